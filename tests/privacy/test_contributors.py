"""A colleague asked to contribute to a shared response is a person with contact details: found,
exported, erased and kept only as long as the call's retention allows, like everyone else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from inpractice.intake.models import AnswerVersion, Contributor, Submission, hash_token
from inpractice.intake.sharing import contributor_token
from inpractice.privacy.erasure import apply_retention, erase, find, subject_access_export
from inpractice.privacy.models import RetentionPolicy

from .conftest import make_submission

pytestmark = pytest.mark.django_db
COLLEAGUE = "Sam.Colleague@Trust.org.uk"


@pytest.fixture
def shared(open_call, register):
    """A trust's draft with one colleague who wrote version 2 of an answer."""
    draft = make_submission(
        open_call, email="author@trust.org.uk", status="draft", organisation_type="trust"
    )
    contributor = Contributor.objects.create(
        submission=draft,
        number=1,
        email=COLLEAGUE.lower(),
        token_hash=hash_token("secret"),
        invited_at=open_call.opens_at,
    )
    AnswerVersion.objects.create(submission=draft, key="practice", number=1, text="Author's.")
    AnswerVersion.objects.create(
        submission=draft, key="practice", number=2, text="Colleague's.", contributor_number=1
    )
    return {"draft": draft, "contributor": contributor, "call": open_call}


def test_a_colleague_is_found_and_exported_with_what_they_wrote_but_not_the_authors_details(
    shared,
):
    found = find(COLLEAGUE)
    assert found.total == 1
    assert "a colleague asked to contribute to a response" in [p["describe"] for p in found.places]

    export = subject_access_export(COLLEAGUE, None, "test")
    (record,) = export["records"]
    assert record["kind"] == "intake.Contributor"
    data = record["data"]
    assert data["email"] == COLLEAGUE.lower()
    assert "token_hash" not in data  # never a usable link, nor its hash
    assert [(a["question"], a["version"], a["text"]) for a in data["answers_written"]] == [
        ("practice", 2, "Colleague's.")
    ]
    assert "author@trust.org.uk" not in str(export)


def test_erasing_a_colleague_blanks_the_address_ends_the_link_and_keeps_the_words(shared):
    link = reverse(
        "intake:contribute",
        args=[shared["call"].slug, contributor_token(shared["contributor"], "secret")],
    )
    assert Client().get(link).status_code == 302

    erased = erase(COLLEAGUE, None, "test")

    assert erased.blanked["intake.Contributor.email"] == 1
    contributor = Contributor.objects.get()
    assert contributor.email == "" and not contributor.is_live
    refused = Client().get(link)
    assert refused.status_code == 410
    assert "You can no longer contribute to this response" in refused.content.decode()
    assert AnswerVersion.objects.get(number=2).text == "Colleague's."
    assert Submission.objects.filter(pk=shared["draft"].pk).exists()  # the author's draft stays


def test_erasing_the_author_deletes_the_draft_with_its_colleagues_and_history(shared):
    erase("author@trust.org.uk", None, "test")
    assert not Submission.objects.exists()
    assert not Contributor.objects.exists() and not AnswerVersion.objects.exists()


def test_retention_blanks_colleagues_addresses_too(shared):
    policy = RetentionPolicy.objects.create(call=shared["call"], keep_contact_days=90)
    report = apply_retention(now=policy.erase_after)
    assert report[0]["erased"] == 2  # the author's draft and the colleague
    assert Contributor.objects.get().email == ""
    assert AnswerVersion.objects.count() == 2
