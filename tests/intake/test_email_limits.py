"""The service cannot be used to send mail to strangers: "save and come back" emails are limited
per draft and per client address, and no email carries text the sender typed.

Found by trying it as a spammer would (issue 15): one draft emailed 12 different addresses in a
row, each greeted with the name field ("Hello Free prize at evil.example").
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from inpractice.intake.models import Submission, SubmissionStatus

from .test_journey import ANSWERS, complete_draft, post_page

pytestmark = pytest.mark.django_db

SPAM = "Free prize at evil.example"


@pytest.fixture(autouse=True)
def _fresh_counts(settings):
    # The counts live in the database cache table, which a test's rollback does not always reach.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


def save(client, call, email: str = "p.shah@example.org", **extra):
    """'Save and come back later' on the first page, with the address typed there."""
    return post_page(
        client,
        call,
        "about-you",
        {**ANSWERS["about-you"], "respondent_email": email, "action": "save", **extra},
    )


def test_one_draft_cannot_email_twelve_addresses(open_call, register, settings):
    settings.RATELIMIT_EMAIL_PER_DRAFT = "3/h"
    settings.RATELIMIT_EMAIL_PER_CLIENT = "100/h"  # only the per-draft limit is tested here
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [save(client, open_call, f"victim{n}@example.org").status_code for n in range(12)]

    assert statuses == [200, 200, 200] + [429] * 9
    assert len(mail.outbox) == 3
    assert [m.to for m in mail.outbox] == [[f"victim{n}@example.org"] for n in range(3)]
    assert Submission.objects.count() == 1


def test_when_limited_nothing_is_sent_the_answers_are_kept_and_the_last_link_still_works(
    open_call, register, settings
):
    settings.RATELIMIT_EMAIL_PER_DRAFT = "2/h"
    client = Client(REMOTE_ADDR="203.0.113.8")
    save(client, open_call)
    save(client, open_call)
    link = re.search(r"http://testserver(/calls/\S+/resume/[^/\s]+/)", mail.outbox[-1].body)[1]

    refused = save(client, open_call, respondent_role="Head of inclusion")

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Your answers are saved, but we cannot email you another link yet" in page
    assert "govuk-heading-l" in page  # the service's own GOV.UK page
    assert len(mail.outbox) == 2
    draft = Submission.objects.get()
    assert draft.respondent_role == "Head of inclusion"  # the answers on that page were saved
    # The link already sent was not retired by the refused request.
    resumed = Client().get(link)
    assert resumed.status_code == 302
    assert resumed["Location"] != reverse("intake:call", args=[open_call.slug])


def test_one_client_cannot_email_from_many_drafts(open_call, register, settings):
    settings.RATELIMIT_EMAIL_PER_DRAFT = "3/h"
    settings.RATELIMIT_EMAIL_PER_CLIENT = "3/h"
    statuses = []
    for n in range(5):
        browser = Client(REMOTE_ADDR="203.0.113.9")  # a new browser: a new draft each time
        statuses.append(save(browser, open_call, f"victim{n}@example.org", version="").status_code)

    assert statuses == [200, 200, 200, 429, 429]
    assert len(mail.outbox) == 3
    assert Submission.objects.count() == 5  # each draft was still saved
    # Another client address is not held back by this one.
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert save(other, open_call, "someone@example.org", version="").status_code == 200
    assert len(mail.outbox) == 4


def test_the_limits_are_settings(open_call, register, settings):
    settings.RATELIMIT_EMAIL_PER_DRAFT = "1/h"
    client = Client(REMOTE_ADDR="203.0.113.10")
    assert [save(client, open_call).status_code for _ in range(2)] == [200, 429]


def test_no_typed_text_reaches_a_resume_email(open_call, register):
    client = Client(REMOTE_ADDR="203.0.113.11")
    save(client, open_call, "victim@example.org", respondent_name=SPAM, organisation_name=SPAM)

    (message,) = mail.outbox
    assert message.to == ["victim@example.org"]
    assert message.body.startswith("Hello,\n")
    for text in (message.subject, message.body):
        assert "evil.example" not in text
        assert "Free prize" not in text


def test_no_typed_text_reaches_a_receipt(
    client, open_call, register, django_capture_on_commit_callbacks
):
    complete_draft(client, open_call)
    Submission.objects.update(
        respondent_name=SPAM, organisation_name=SPAM, title=SPAM, respondent_role=SPAM
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:check", args=[open_call.slug]))

    (message,) = mail.outbox
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert message.body.startswith("Hello,\n")
    assert submission.reference in message.subject and submission.reference in message.body
    for text in (message.subject, message.body):
        assert "evil.example" not in text
        assert "Free prize" not in text
