"""Emails to respondents: the link to come back to a draft, and the receipt after submitting."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Submission
from .window import closing_phrase


def absolute(request, path: str) -> str:
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)


def send_resume_link(request, submission: Submission, token: str) -> None:
    link = absolute(request, reverse("intake:resume", args=[submission.call.slug, token]))
    context = {
        "submission": submission,
        "call": submission.call,
        "link": link,
        "closes": closing_phrase(submission.call.closes_at),
    }
    send_mail(
        subject=f"Your saved answers: {submission.call.title}",
        message=render_to_string("intake/email/resume.txt", context),
        from_email=None,
        recipient_list=[submission.respondent_email],
    )


def send_receipt(submission: Submission) -> None:
    context = {"submission": submission, "call": submission.call}
    send_mail(
        subject=f"Receipt {submission.reference}: {submission.call.title}",
        message=render_to_string("intake/email/receipt.txt", context),
        from_email=None,
        recipient_list=[submission.respondent_email],
    )
