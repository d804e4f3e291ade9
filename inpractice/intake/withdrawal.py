"""The submitter's signed link to withdraw consent to publication.

The token is made here, in intake, because the receipt email (emails.py) carries it; the
library's withdrawal page (library/views.py, through library/services.py) reads it back. It
names the submission and its reference, signed with the site's secret key, and never expires:
consent can be withdrawn at any time.
"""

from __future__ import annotations

from django.core import signing

from .models import Submission, SubmissionStatus

# Unchanged since the token was made in the library app: links in receipts already sent must
# keep working, so this value never changes.
WITHDRAW_SALT = "inpractice.library.withdraw-consent"


def withdrawal_token(submission: Submission) -> str:
    return signing.dumps({"s": submission.pk, "r": submission.reference}, salt=WITHDRAW_SALT)


def submission_for_token(token: str) -> Submission | None:
    """The submitted submission the token names, or None for a token that is not genuine."""
    try:
        data = signing.loads(token, salt=WITHDRAW_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return Submission.objects.filter(
        pk=data.get("s"), reference=data.get("r"), status=SubmissionStatus.SUBMITTED
    ).first()
