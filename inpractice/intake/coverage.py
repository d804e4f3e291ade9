"""Which schools a submission speaks for, and how many unique schools a call represents."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from inpractice.schools.models import LocalAuthority, School, Trust

from .choices import ROUTE_LAS_AND_PROVIDERS, ROUTE_TRUSTS, Coverage
from .models import (
    CallForEvidence,
    CoveredSchool,
    Submission,
    SubmissionStatus,
    UnlistedSchool,
)

URN_TOKEN = re.compile(r"[^\s,;]+")


class UrnListError(ValueError):
    def __init__(self, bad: list[str]):
        self.bad = bad
        super().__init__("not URNs: " + ", ".join(bad))


def parse_urns(text: str) -> list[int]:
    """URNs from text separated by commas, semicolons, spaces or new lines; order kept, no repeats.

    Raises UrnListError naming every token that is not a 5- to 7-digit number (GIAS URNs are
    6 digits today).
    """
    seen: dict[int, None] = {}
    bad: list[str] = []
    for token in URN_TOKEN.findall(text or ""):
        if token.isdigit() and 5 <= len(token) <= 7:
            seen.setdefault(int(token), None)
        else:
            bad.append(token)
    if bad:
        raise UrnListError(bad)
    return list(seen)


def schools_for(
    coverage: str,
    urns: Iterable[int] = (),
    trust: Trust | None = None,
    local_authority: LocalAuthority | None = None,
) -> list[tuple[int, School | None]]:
    """The (URN, register entry or None) pairs a coverage choice stands for."""
    if coverage == Coverage.TRUST:
        if trust is None:
            raise ValueError("a trust is required for trust coverage")
        return [(s.urn, s) for s in trust.schools.filter(status__istartswith="open")]
    if coverage == Coverage.LOCAL_AUTHORITY:
        if local_authority is None:
            raise ValueError("a local authority is required for local authority coverage")
        return [(s.urn, s) for s in local_authority.schools.filter(status__istartswith="open")]
    urn_list = list(dict.fromkeys(urns))
    found = School.objects.in_bulk(urn_list, field_name="urn")
    return [(urn, found.get(urn)) for urn in urn_list]


def unknown_urns(urns: Iterable[int]) -> list[int]:
    urns = list(urns)
    known = set(School.objects.filter(urn__in=urns).values_list("urn", flat=True))
    return [u for u in urns if u not in known]


@transaction.atomic
def replace_covered_schools(submission: Submission, pairs: list[tuple[int, School | None]]) -> None:
    submission.covered_schools.all().delete()
    CoveredSchool.objects.bulk_create(
        [
            CoveredSchool(
                submission=submission, urn=urn, school=school, in_register=school is not None
            )
            for urn, school in pairs
        ],
        batch_size=2000,
    )


@dataclass(frozen=True)
class Snapshot:
    """The call's data snapshot, as in the published report."""

    submissions: int
    schools_via_trusts: int
    schools_via_las_and_providers: int
    schools_direct: int
    schools_total: int
    schools_not_in_register: int
    # Schools described by name because they are not in the register, and not (yet) matched to a
    # register URN by staff. Never part of the unique-school figures above, which count register
    # URNs only (a matched one is a CoveredSchool by then, so it counts there, once); kept out of
    # as_dict, which is the published report's snapshot (reports/figures.py builds the same six).
    schools_described_not_in_register: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "submissions": self.submissions,
            "schools_via_trusts": self.schools_via_trusts,
            "schools_via_las_and_providers": self.schools_via_las_and_providers,
            "schools_direct": self.schools_direct,
            "schools_total": self.schools_total,
            "schools_not_in_register": self.schools_not_in_register,
        }


def snapshot(call: CallForEvidence) -> Snapshot:
    """Count submissions and unique schools, never counting a school twice within a figure.

    A school named by a trust and by a local authority counts once in each route and once in
    the total, which is why the routes can add up to more than the total.
    """
    submitted = Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED)
    covered = CoveredSchool.objects.filter(submission__in=submitted)

    def unique(qs) -> int:
        return qs.values("urn").distinct().count()

    return Snapshot(
        submissions=submitted.count(),
        schools_via_trusts=unique(covered.filter(submission__organisation_type__in=ROUTE_TRUSTS)),
        schools_via_las_and_providers=unique(
            covered.filter(submission__organisation_type__in=ROUTE_LAS_AND_PROVIDERS)
        ),
        schools_direct=unique(
            covered.exclude(
                submission__organisation_type__in=ROUTE_TRUSTS | ROUTE_LAS_AND_PROVIDERS
            )
        ),
        schools_total=unique(covered),
        schools_not_in_register=unique(covered.filter(in_register=False)),
        schools_described_not_in_register=described_not_in_register(call),
    )


def described_not_in_register(call: CallForEvidence) -> int:
    """Schools submitters described because they are not in the register, still unmatched.

    Counted per description: with no URN there is nothing to tell two descriptions of one
    school apart, so staff match or confirm them (intake/unlisted.py) rather than guess here.
    """
    return UnlistedSchool.objects.filter(
        submission__call=call,
        submission__status=SubmissionStatus.SUBMITTED,
        matched_urn__isnull=True,
    ).count()
