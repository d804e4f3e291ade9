"""People with contact details in several places, for the privacy tests."""

from __future__ import annotations

import pytest

from inpractice.accounts.roles import add_staff
from inpractice.intake.models import CoveredSchool, Nomination, Submission, SubmissionStatus

PASSWORD = "correct horse battery staple"
PERSON = "Jo.Bloggs@Example.org"


def make_submission(call, email=PERSON, status=SubmissionStatus.SUBMITTED, n=1, **extra):
    _, token_hash = Submission.new_token()
    return Submission.objects.create(
        call=call,
        status=status,
        reference=f"IP-TEST-{n:04d}" if status == SubmissionStatus.SUBMITTED else None,
        resume_token_hash=token_hash,
        respondent_name=extra.pop("name", "Jo Bloggs"),
        respondent_email=email,
        respondent_role=extra.pop("role", "Chief Wombat Officer"),
        organisation_name="Oakfield Primary School",
        title=f"Practice {n}",
        answers={"practice": "A calm start to every day."},
        **extra,
    )


@pytest.fixture
def people(open_call, register):
    """Jo wrote one submission, has one draft, nominated a school and was nominated once."""
    submitted = make_submission(open_call, n=1)
    CoveredSchool.objects.create(submission=submitted, urn=100001, school=register["schools"][0])
    draft = make_submission(open_call, email="jo.bloggs@example.org", status="draft", n=2)
    other = make_submission(open_call, email="other@example.org", name="Al Other", n=3)
    as_nominator = Nomination.objects.create(
        call=open_call,
        urn=100003,
        school=register["schools"][2],
        contact_name="Sam Lee",
        contact_email="s.lee@example.org",
        reason="Their nurture base is excellent.",
        nominator_name="Jo Bloggs",
        nominator_email="jo.bloggs@example.org",
    )
    as_contact = Nomination.objects.create(
        call=open_call,
        urn=100001,
        school=register["schools"][0],
        contact_name="Jo Bloggs",
        contact_email="JO.BLOGGS@example.org",
        reason="Jo runs the resourced provision.",
        nominator_name="Pat Nominator",
        nominator_email="pat@example.org",
    )
    return {
        "submitted": submitted,
        "draft": draft,
        "other": other,
        "as_nominator": as_nominator,
        "as_contact": as_contact,
    }


@pytest.fixture
def admin_client(client, db):
    add_staff("lead@example.org", "programme-admin", PASSWORD)
    assert client.login(username="lead@example.org", password=PASSWORD)
    return client


@pytest.fixture
def analyst_client(client, db):
    add_staff("analyst@example.org", "analyst", PASSWORD)
    assert client.login(username="analyst@example.org", password=PASSWORD)
    return client
