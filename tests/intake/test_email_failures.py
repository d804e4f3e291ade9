"""When an email cannot be sent (a full mail disk, SMTP or Notify down), nothing is lost and the
person is told the truth.

Found by the deadline-rush bench (bench/rush.py, the full-disk phase): a receipt that could not be
written after the submission was committed turned the confirmation into a server error, and a
failed "save and come back" email retired the old link without delivering the new one.
"""

from __future__ import annotations

import errno

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from inpractice.intake.models import Submission, SubmissionStatus

from .test_journey import ANSWERS, complete_draft, post_page

pytestmark = pytest.mark.django_db


class FullDiskBackend(BaseEmailBackend):
    """Fails as the file backend does when its directory is full."""

    def send_messages(self, email_messages):
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def mail_fails(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FullDiskBackend"


def test_a_receipt_that_cannot_be_sent_does_not_lose_or_hide_the_submission(
    client, open_call, register, mail_fails, django_capture_on_commit_callbacks
):
    draft = complete_draft(client, open_call)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:check", args=[open_call.slug]))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.SUBMITTED and draft.reference
    page = client.get(response["Location"]).content.decode()
    assert draft.reference in page
    assert "We have sent a receipt" not in page
    assert "could not send your receipt" in page
    # A retry (a second click) still finds the one submission.
    again = client.post(reverse("intake:check", args=[open_call.slug]))
    assert again.status_code == 302
    assert Submission.objects.filter(status=SubmissionStatus.SUBMITTED).count() == 1


def test_a_save_link_that_cannot_be_sent_keeps_the_old_link_and_says_so(
    client, open_call, register, mail_fails
):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    draft = Submission.objects.get()
    old_hash = draft.resume_token_hash

    response = post_page(client, open_call, "title", {**ANSWERS["title"], "action": "save"})

    assert response.status_code == 503
    body = response.content.decode()
    assert "could not email you a link" in body
    assert "We've sent a link" not in body
    draft.refresh_from_db()
    # The answers are saved, and the link already held (if any) still works.
    assert draft.title == ANSWERS["title"]["title"]
    assert draft.resume_token_hash == old_hash
