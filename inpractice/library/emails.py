"""The email asking a submitter to check the case study drafted from their example.

As with intake's emails, nothing a member of the public typed goes into it: only the service's
words, the call's title (written by staff), the reference, the link and the date to answer by.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from inpractice.intake.emails import absolute

from . import services
from .models import SubmitterReview


def send_submitter_review(request, review: SubmitterReview) -> None:
    case_study = review.case_study
    submission = case_study.submission
    link = absolute(
        request, reverse("library:submitter_review", args=[services.submitter_token(review)])
    )
    context = {
        "submission": submission,
        "call": case_study.call,
        "link": link,
        "answer_by": timezone.localtime(review.expires_at),
        "days": services.review_days(),
        "publish_without_answer": services.publish_without_answer(),
    }
    send_mail(
        subject=f"Check your case study before we publish it: {submission.reference}",
        message=render_to_string("library/email/submitter_review.txt", context),
        from_email=None,
        recipient_list=[submission.respondent_email],
    )
