"""Emails to respondents: the link to come back to a draft, and the receipt after submitting.

Every address here was typed by a member of the public, so nothing they typed goes into an
email: no name in the greeting, no title or organisation in a subject or body. Only the
service's own words, the call's title (written by staff), a reference and a link are sent, so
the service cannot carry someone else's message to a stranger. How often a draft and a client
may have a link emailed is limited too (`email_limited`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_ratelimit.core import get_usage

from .models import Submission
from .window import closing_phrase
from .withdrawal import withdrawal_token

logger = logging.getLogger(__name__)


def delivered(send: Callable[..., None], *args) -> bool:
    """Run one of the senders below; False (and the error logged) if the email could not go.

    Email is sent after the answers are stored, so a full mail disk or a mail service that is
    down must not turn a stored submission into an error page: the caller tells the person
    what happened instead.
    """
    try:
        send(*args)
    except Exception:  # any backend: file (OSError), SMTP, Notify (HTTP)
        # Name the submission (its reference, or the draft's id) so the email can be sent
        # again by hand; never the address, which is personal data.
        about = next((str(a) for a in args if isinstance(a, Submission)), "")
        logger.exception("could not send an email (%s for %s)", send.__name__, about)
        return False
    return True


def _per_draft_rate(group, request) -> str:
    return settings.RATELIMIT_EMAIL_PER_DRAFT


def _per_client_rate(group, request) -> str:
    return settings.RATELIMIT_EMAIL_PER_CLIENT


def email_limited(request, about: str) -> bool:
    """True if `about` (a draft, "draft:<id>") or this client has had as many emails to a typed
    address this hour as the settings allow; else False, and this email is counted against both.

    Checked before anything is sent or changed, so a refused request sends nothing. Counts live in
    the shared cache (the database table by default), like the other rate limits.
    """
    checks = [
        ("email-per-draft", lambda _group, _request: about, _per_draft_rate),
        ("email-per-client", "ip", _per_client_rate),
    ]
    for group, key, rate in checks:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    for group, key, rate in checks:
        get_usage(request, group=group, key=key, rate=rate, increment=True)
    return False


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


def send_receipt(submission: Submission, request=None) -> None:
    context = {"submission": submission, "call": submission.call, "withdraw_link": ""}
    if submission.consent_publication in ("named", "anonymised"):
        # The submitter's own signed link to withdraw consent to publication at any time.
        path = reverse("library:withdraw", args=[withdrawal_token(submission)])
        context["withdraw_link"] = absolute(request, path) if request or settings.SITE_URL else path
    send_mail(
        subject=f"Receipt {submission.reference}: {submission.call.title}",
        message=render_to_string("intake/email/receipt.txt", context),
        from_email=None,
        recipient_list=[submission.respondent_email],
    )
