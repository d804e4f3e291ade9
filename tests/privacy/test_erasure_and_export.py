"""Erasure and subject access export for one person, by email, from pages and the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.urls import reverse

from inpractice.cli import main
from inpractice.intake.models import Nomination, Submission
from inpractice.privacy import erasure
from inpractice.privacy.erasure import ErasureError, erase, subject_access_export
from inpractice.privacy.models import AuditAction, AuditEvent, subject_hash

from .conftest import PERSON

pytestmark = pytest.mark.django_db


def test_erasure_blanks_the_person_everywhere_and_deletes_their_drafts(people):
    result = erase(PERSON, None, "test")
    assert result.drafts_deleted == 1
    assert not Submission.objects.filter(pk=people["draft"].pk).exists()
    submitted = Submission.objects.get(pk=people["submitted"].pk)
    assert (submitted.respondent_name, submitted.respondent_email, submitted.respondent_role) == (
        "",
        "",
        "",
    )
    assert submitted.answers == {"practice": "A calm start to every day."}  # the evidence stays
    as_nominator = Nomination.objects.get(pk=people["as_nominator"].pk)
    assert (as_nominator.nominator_name, as_nominator.nominator_email) == ("", "")
    assert as_nominator.contact_email == "s.lee@example.org"  # someone else's details stay
    as_contact = Nomination.objects.get(pk=people["as_contact"].pk)
    assert (as_contact.contact_name, as_contact.contact_email) == ("", "")
    assert as_contact.nominator_email == "pat@example.org"
    other = Submission.objects.get(pk=people["other"].pk)
    assert other.respondent_email == "other@example.org" and other.respondent_name == "Al Other"


def test_erasure_is_recorded_without_keeping_the_address(people):
    erase(PERSON, None, "test")
    event = AuditEvent.objects.get(action=AuditAction.ERASE)
    assert event.records == 4 and event.subject_hash == subject_hash("jo.bloggs@example.org")
    everything = json.dumps(list(AuditEvent.objects.values()), default=str).lower()
    assert "jo.bloggs" not in everything


def test_erasure_is_all_or_nothing(people, monkeypatch):
    # Fail on the last place contact details are kept, after the others were already updated.
    real_matches = erasure.matches

    def failing_matches(email):
        found = real_matches(email)
        cf, qs = found[-1]

        class Exploding:
            def update(self, **kwargs):
                raise RuntimeError("disk full")

        return [*found[:-1], (cf, Exploding())]

    monkeypatch.setattr(erasure, "matches", failing_matches)
    with pytest.raises(
        ErasureError, match="nothing was erased for jo.bloggs@example.org: disk full"
    ):
        erase(PERSON, None, "test")
    assert Submission.objects.filter(pk=people["draft"].pk).exists()
    assert Submission.objects.get(pk=people["submitted"].pk).respondent_email == PERSON
    assert Nomination.objects.get(pk=people["as_nominator"].pk).nominator_name == "Jo Bloggs"
    assert not AuditEvent.objects.filter(action=AuditAction.ERASE).exists()


def test_the_export_holds_their_records_but_not_other_peoples_details(people):
    data = subject_access_export("jo.bloggs@EXAMPLE.org", None, "test")
    kinds = sorted((r["kind"], r["id"]) for r in data["records"])
    assert kinds == sorted(
        [
            ("intake.Submission", people["submitted"].pk),
            ("intake.Submission", people["draft"].pk),
            ("intake.Nomination", people["as_contact"].pk),
            ("intake.Nomination", people["as_nominator"].pk),
        ]
    )
    text = json.dumps(data)
    assert "Chief Wombat Officer" in text and "A calm start to every day." in text
    assert "s.lee@example.org" not in text and "Sam Lee" not in text  # the contact they named
    assert "pat@example.org" not in text and "Pat Nominator" not in text  # who named them
    assert "other@example.org" not in text and "resume_token_hash" not in text
    submitted = next(r for r in data["records"] if r["id"] == people["submitted"].pk)
    assert submitted["data"]["covered_school_urns"] == [100001]
    assert AuditEvent.objects.get(action=AuditAction.SUBJECT_ACCESS).records == 4


def test_the_command_line_exports_and_erases(people, tmp_path):
    out = tmp_path / "jo.json"
    runner = CliRunner()
    result = runner.invoke(main, ["privacy", "export", "--email", PERSON, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())["records"]) == 4
    again = runner.invoke(main, ["privacy", "export", "--email", PERSON, "--out", str(out)])
    assert again.exit_code == 1 and "already exists" in again.output
    refused = runner.invoke(main, ["privacy", "erase", "--email", PERSON], input="n\n")
    assert refused.exit_code == 1 and Submission.objects.filter(pk=people["draft"].pk).exists()
    result = runner.invoke(main, ["privacy", "erase", "--email", PERSON, "--yes"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 unsent draft(s)" in result.output
    assert Submission.objects.get(pk=people["submitted"].pk).respondent_email == ""
    bad = runner.invoke(main, ["privacy", "erase", "--email", "not-an-address", "--yes"])
    assert bad.exit_code == 2 and "is not an email address" in bad.output
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor_name"))
    assert [a for a, _ in events] == [AuditAction.SUBJECT_ACCESS, AuditAction.ERASE]
    assert all(name.startswith("command line") for _, name in events)


def test_a_programme_admin_finds_exports_and_erases_a_person(admin_client, people):
    page = admin_client.post(reverse("privacy:subject"), {"email": PERSON})
    assert page.status_code == 200
    text = page.content.decode()
    assert "What we hold about jo.bloggs@example.org" in text
    download = admin_client.post(reverse("privacy:export"), {"email": PERSON})
    assert download.status_code == 200 and download["Content-Type"] == "application/json"
    assert download["Content-Disposition"].startswith("attachment;")
    assert len(json.loads(download.content)["records"]) == 4
    unconfirmed = admin_client.post(reverse("privacy:erase"), {"email": PERSON})
    assert unconfirmed.status_code == 400
    assert "Confirm that you want to erase" in unconfirmed.content.decode()
    assert Submission.objects.get(pk=people["submitted"].pk).respondent_email == PERSON
    done = admin_client.post(
        reverse("privacy:erase"), {"email": PERSON, "confirm": "on"}, follow=True
    )
    assert "Erased 4 records of contact details for jo.bloggs@example.org" in done.content.decode()
    assert Submission.objects.get(pk=people["submitted"].pk).respondent_email == ""
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "actor_name"))
    assert actions == [
        (AuditAction.VIEW, "lead@example.org"),
        (AuditAction.SUBJECT_ACCESS, "lead@example.org"),
        (AuditAction.ERASE, "lead@example.org"),
    ]


def test_an_analyst_cannot_export_or_erase(analyst_client, people):
    assert analyst_client.post(reverse("privacy:export"), {"email": PERSON}).status_code == 403
    response = analyst_client.post(reverse("privacy:erase"), {"email": PERSON, "confirm": "on"})
    assert response.status_code == 403
    assert Submission.objects.get(pk=people["submitted"].pk).respondent_email == PERSON
    assert not AuditEvent.objects.exists()
