"""Workspace fixtures: an analysed call and staff in each role (shared by the workspace tests)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from inpractice.accounts.roles import add_staff
from inpractice.coding.runner import run_analysis
from inpractice.intake.coverage import replace_covered_schools, schools_for
from inpractice.intake.models import Submission, new_reference
from inpractice.workspace.models import CallAssignment

PASSWORD = "a long test passphrase 42"

PRACTICES = [
    "We screen every child's language with WellComm in Reception. Transition passports go "
    "with each pupil to secondary school.",
    "Teachers use chunked instructions and visual timetables in every lesson. Instructional "
    "coaching happens each fortnight.",
    "Our resourced provision lets pupils with speech and language needs learn in class. "
    "Therapy is twice a week.",
    "Parents co-write their child's plan and review it with us each term. Coffee mornings "
    "with the SENCO build trust.",
]


def make_submission(call, i: int, **extra) -> Submission:
    s = Submission.objects.create(
        call=call,
        status="submitted",
        reference=new_reference(),
        submitted_at=timezone.now(),
        resume_token_hash=Submission.new_token()[1],
        organisation_type="school" if i % 2 else "trust",
        organisation_name=f"School {i}",
        respondent_email=f"head{i}@example.org",
        respondent_name=f"Secret Person {i}",
        title=f"Practice {i}",
        coverage="one_school",
        need_codes=["ASD"] if i % 2 else ["SEMH", "SLCN"],
        phases=["primary"] if i % 2 else ["secondary"],
        need_description="Autistic pupils in Key Stage 2 who find change hard.",
        answers={
            "practice": PRACTICES[i % len(PRACTICES)] + f" Example number {i}.",
            "impact": "Attendance rose from 88% to 95%. Pupils say they feel calmer.",
            "enablers": "Training and time.",
            "advice": "",
        },
        **extra,
    )
    replace_covered_schools(s, schools_for("one_school", urns=[100001 if i % 2 else 107001]))
    return s


@pytest.fixture
def analysed_call(open_call, register):
    for i in range(12):
        make_submission(open_call, i)
    run_analysis(open_call)
    return open_call


def _staff(email: str, role: str):
    add_staff(email, role, PASSWORD)
    return get_user_model().objects.get(username=email)


@pytest.fixture
def analyst(db, open_call):
    user = _staff("analyst@example.gov.uk", "analyst")
    CallAssignment.objects.create(call=open_call, user=user)
    return user


@pytest.fixture
def second_analyst(db, open_call):
    user = _staff("second@example.gov.uk", "analyst")
    CallAssignment.objects.create(call=open_call, user=user)
    return user


@pytest.fixture
def outsider(db):
    """An analyst who is not assigned to the open call."""
    return _staff("outsider@example.gov.uk", "analyst")


@pytest.fixture
def lead(db):
    return _staff("lead@example.gov.uk", "lead-analyst")


def signed_in(client, user):
    client.force_login(user)
    return client


def code_passage(user, passage, code: str = "p1", sample=None):
    """`user` codes a whole passage's words with `code` (inside `sample` when given)."""
    from inpractice.workspace import actions

    return actions.apply_code(
        passage.submission,
        user,
        None,
        field=passage.field,
        start=passage.start,
        end=passage.end,
        code_id=code,
        sample=sample,
    )
