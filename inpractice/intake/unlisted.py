"""Schools described because they are not in the register, and what staff decide about them.

A submitter who cannot find their school describes it (name, town, postcode, phase, URN if they
know one). It is stored as an UnlistedSchool, never as a CoveredSchool, so the register-based
figures are untouched; a programme admin later matches it to a register URN (it then becomes a
covered school like any other, counted once) or confirms it as unlisted. Who decided, and when,
is kept on the row.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from inpractice.schools.models import School

from .choices import Coverage
from .coverage import replace_covered_schools
from .models import CoveredSchool, Submission, UnlistedSchool


class ReviewProblem(ValueError):
    """A staff decision that cannot be recorded; the message says what to put right."""


@transaction.atomic
def describe_school(submission: Submission, data: dict) -> UnlistedSchool:
    """The draft's one school is now the one described (replacing any school chosen before)."""
    submission.coverage = Coverage.ONE_SCHOOL
    submission.coverage_trust = None
    submission.coverage_local_authority = None
    submission.version += 1
    submission.save()
    replace_covered_schools(submission, [])
    submission.unlisted_schools.all().delete()
    return UnlistedSchool.objects.create(
        submission=submission,
        name=data["name"],
        town=data["town"],
        postcode=data["postcode"],
        phase=data["phase"],
        urn=data.get("urn"),
    )


@transaction.atomic
def choose_register_school(submission: Submission, school: School) -> None:
    """The person described a school, then learnt it is in the register: choose that instead."""
    submission.coverage = Coverage.ONE_SCHOOL
    submission.coverage_trust = None
    submission.coverage_local_authority = None
    submission.version += 1
    submission.save()
    submission.unlisted_schools.all().delete()
    replace_covered_schools(submission, [(school.urn, school)])


def forget_described(submission: Submission) -> None:
    """The schools page was saved with register schools: a description no longer applies."""
    submission.unlisted_schools.all().delete()


@transaction.atomic
def match(unlisted: UnlistedSchool, urn_text: str, user: AbstractBaseUser) -> School:
    """Staff match a described school to a register URN; it then counts as a covered school."""
    text = (urn_text or "").strip()
    if not text.isdigit():
        raise ReviewProblem("Enter the register URN of the school, like 123456")
    school = School.objects.filter(urn=int(text)).first()
    if school is None:
        raise ReviewProblem(f"URN {text} is not in the school register. Check the number")
    row = UnlistedSchool.objects.select_for_update().get(pk=unlisted.pk)
    row.matched_urn = school.urn
    row.reviewed_at = timezone.now()
    row.reviewed_by = user
    row.save()
    CoveredSchool.objects.update_or_create(
        submission=row.submission,
        urn=school.urn,
        defaults={"school": school, "in_register": True},
    )
    return school


@transaction.atomic
def confirm_unlisted(unlisted: UnlistedSchool, user: AbstractBaseUser) -> None:
    """Staff confirm that the school is really not in the register (undoing any match)."""
    row = UnlistedSchool.objects.select_for_update().get(pk=unlisted.pk)
    if row.matched_urn is not None:
        CoveredSchool.objects.filter(submission=row.submission, urn=row.matched_urn).delete()
    row.matched_urn = None
    row.reviewed_at = timezone.now()
    row.reviewed_by = user
    row.save()
