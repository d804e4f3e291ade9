"""Retention per call: contact details erased a set time after the close, by a scheduled command."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.urls import reverse

from inpractice.cli import main
from inpractice.intake.models import Nomination, Submission
from inpractice.privacy.erasure import apply_retention
from inpractice.privacy.models import AuditAction, AuditEvent, RetentionPolicy

pytestmark = pytest.mark.django_db
ONE_SECOND = timedelta(seconds=1)


@pytest.fixture
def policy(open_call, people):
    return RetentionPolicy.objects.create(call=open_call, keep_contact_days=90)


def contact_details_left(call) -> int:
    subs = Submission.objects.filter(call=call).exclude(respondent_email="", respondent_name="")
    noms = Nomination.objects.filter(call=call).exclude(contact_email="", nominator_email="")
    return subs.count() + noms.count()


def test_nothing_is_erased_one_second_before_the_time(policy, open_call):
    before = contact_details_left(open_call)
    report = apply_retention(now=policy.erase_after - ONE_SECOND)
    assert report == [
        {
            "call": "open-call",
            "erase_after": policy.erase_after.isoformat(),
            "due": False,
            "erased": 0,
        }
    ]
    assert contact_details_left(open_call) == before == 5
    assert not AuditEvent.objects.exists()


def test_everything_is_erased_at_the_time_and_the_evidence_kept(policy, open_call, people):
    report = apply_retention(now=policy.erase_after)
    # 3 submissions (with the draft) + both nominations' contacts + both nominators.
    assert report[0]["due"] and report[0]["erased"] == 7
    assert contact_details_left(open_call) == 0
    submitted = Submission.objects.get(pk=people["submitted"].pk)
    assert submitted.respondent_role == "" and submitted.answers["practice"]
    assert Nomination.objects.get(pk=people["as_nominator"].pk).reason
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.RETENTION and event.records == 7 and event.call == open_call
    policy.refresh_from_db()
    assert policy.applied_at == policy.erase_after


def test_running_again_erases_only_what_arrived_since(policy, open_call, people):
    apply_retention(now=policy.erase_after)
    assert apply_retention(now=policy.erase_after + ONE_SECOND)[0]["erased"] == 0
    assert AuditEvent.objects.count() == 1  # a run with nothing to do leaves no record
    Submission.objects.filter(pk=people["other"].pk).update(respondent_email="late@example.org")
    assert apply_retention(now=policy.erase_after + 2 * ONE_SECOND)[0]["erased"] == 1
    assert AuditEvent.objects.count() == 2


def test_zero_days_erases_at_the_close_itself(open_call, people):
    policy = RetentionPolicy.objects.create(call=open_call, keep_contact_days=0)
    assert not apply_retention(now=open_call.closes_at - ONE_SECOND)[0]["due"]
    assert apply_retention(now=open_call.closes_at)[0]["erased"] == 7
    assert policy.erase_after == open_call.closes_at


def test_a_call_without_a_policy_is_left_alone(open_call, people):
    assert apply_retention(now=open_call.closes_at + timedelta(days=10000)) == []
    assert contact_details_left(open_call) == 5


def test_the_scheduled_command_with_a_dry_run_and_a_boundary(policy, open_call):
    runner = CliRunner()
    at = (policy.erase_after - ONE_SECOND).isoformat()
    early = runner.invoke(main, ["privacy", "apply-retention", "--now", at, "--json"])
    assert early.exit_code == 0, early.output
    assert json.loads(early.output)["calls"][0]["due"] is False
    at = policy.erase_after.isoformat()
    dry = runner.invoke(main, ["privacy", "apply-retention", "--now", at, "--dry-run"])
    assert dry.exit_code == 0 and "would erase 7 record(s)" in dry.output
    assert contact_details_left(open_call) == 5
    real = runner.invoke(main, ["privacy", "apply-retention", "--now", at])
    assert real.exit_code == 0 and "erased 7 record(s)" in real.output
    assert contact_details_left(open_call) == 0
    naive = runner.invoke(main, ["privacy", "apply-retention", "--now", "2025-05-01T00:00"])
    assert naive.exit_code == 2 and "offset" in naive.output


def test_a_programme_admin_sets_the_retention_on_a_page(admin_client, open_call):
    url = reverse("privacy:retention", args=[open_call.slug])
    bad = admin_client.post(url, {"keep_contact_days": "-3"})
    assert bad.status_code == 400 and "The number of days must be 0 or more" in bad.content.decode()
    response = admin_client.post(url, {"keep_contact_days": "30"}, follow=True)
    assert "will be kept 30 days after it closes" in response.content.decode()
    policy = RetentionPolicy.objects.get(call=open_call)
    assert policy.keep_contact_days == 30 and policy.updated_by.username == "lead@example.org"
    assert policy.erase_after == open_call.closes_at + timedelta(days=30)
    assert AuditEvent.objects.get().action == AuditAction.RETENTION_SET
    assert admin_client.get(url).content.decode().count('value="30"') == 1
