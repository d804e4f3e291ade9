"""The national picture the evidence is compared with: the school register and EHC plan needs.

Regions and phases come from the open schools in the school register (`schools.School`, loaded
from GIAS in production). The mix of needs comes from DfE's EHC plan statistics, vendored as a
small CSV with its source in `data/README.md`.
"""

from __future__ import annotations

import csv
from collections import Counter
from functools import cache
from importlib import resources

from django.db.models import Count

from inpractice.schools.models import School

NATIONAL_NEEDS_FILE = "ehcp_primary_need_2025.csv"
NATIONAL_NEEDS_SOURCE = (
    "Department for Education, Education, health and care plans, England, January 2025: "
    "EHC plans by primary type of need (Open Government Licence v3.0)"
)
NATIONAL_NEEDS_YEAR = "2025"
REGISTER_SOURCE = "open schools in the school register (Get Information About Schools)"


@cache
def ehcp_primary_needs(population: str = "all_ehc_plans") -> dict[str, int]:
    """Number of EHC plans in England by DfE primary need code, for `all_ehc_plans` or
    `mainstream` (children placed in mainstream schools); unknown needs are left out."""
    text = (
        resources.files("inpractice.reports")
        .joinpath("data", NATIONAL_NEEDS_FILE)
        .read_text(encoding="utf-8")
    )
    counts = {
        row["need_code"]: int(row["plans"])
        for row in csv.DictReader(text.splitlines())
        if row["population"] == population
    }
    if not counts:
        raise ValueError(f"no national need figures for the population {population!r}")
    return counts


def open_schools_by_region_and_phase() -> tuple[Counter, Counter]:
    """Open schools in the register counted by region (falling back to the local authority's
    region when the school's own is blank) and by phase ("" when not recorded)."""
    regions: Counter = Counter()
    phases: Counter = Counter()
    # Counted in the database: a register holds ~22,000 schools but only a few hundred distinct
    # (region, LA region, phase) triples.
    rows = (
        School.objects.filter(status__istartswith="open")
        .values("region", "local_authority__region", "phase")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        regions[row["region"] or row["local_authority__region"] or ""] += row["n"]
        phases[row["phase"] or ""] += row["n"]
    return regions, phases
