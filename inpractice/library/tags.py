"""The library's filters: which tags a case study carries, their labels, and their index terms.

One vocabulary serves the search page's checkboxes, the API's query parameters, the open data
columns and the full-text index: each tag becomes a single token ("zzph" + "primary") in the
`tag_terms` column, so a filter is an index look-up in SQLite FTS5 and PostgreSQL alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inpractice.intake.choices import (
    NEED_AREAS,
    NeedCode,
    OrganisationType,
    Phase,
    PracticeType,
)
from inpractice.schools.models import Region


@dataclass(frozen=True)
class Facet:
    key: str  # query parameter and API field
    label: str
    prefix: str  # index-term prefix; short so the tokens stay small


FACETS: list[Facet] = [
    Facet("principle", "Principle", "zzpr"),
    Facet("need_area", "Area of need", "zzna"),
    Facet("need_code", "Need (DfE code)", "zznc"),
    Facet("practice_type", "Type of practice", "zzpt"),
    Facet("phase", "Phase", "zzph"),
    Facet("region", "Region", "zzrg"),
    Facet("organisation_type", "Organisation type", "zzot"),
]
FACET_KEYS = [f.key for f in FACETS]
BY_KEY = {f.key: f for f in FACETS}

NEED_AREA_LABELS = {key: label for key, (label, _codes) in NEED_AREAS.items()}


def static_options() -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices of every facet except principles, which come from codebooks."""
    return {
        "need_area": list(NEED_AREA_LABELS.items()),
        "need_code": list(NeedCode.choices),
        "practice_type": list(PracticeType.choices),
        "phase": list(Phase.choices),
        "region": list(Region.choices),
        "organisation_type": list(OrganisationType.choices),
    }


def term(facet: str, value: str) -> str:
    """The index token of one tag, made only of lower-case letters and digits."""
    return BY_KEY[facet].prefix + re.sub(r"[^a-z0-9]", "", str(value).lower())


def case_study_tags(case_study) -> dict[str, list[str]]:
    """The tags of a case study by facet (lists, possibly empty)."""
    return {
        "principle": list(case_study.principles or []),
        "need_area": list(case_study.need_areas or []),
        "need_code": list(case_study.need_codes or []),
        "practice_type": list(case_study.practice_types or []),
        "phase": list(case_study.phases or []),
        "region": [case_study.region] if case_study.region else [],
        "organisation_type": [case_study.organisation_type] if case_study.organisation_type else [],
    }


def tag_terms(case_study) -> str:
    return " ".join(
        term(facet, value)
        for facet, values in case_study_tags(case_study).items()
        for value in values
    )


def principle_labels(codebooks: list[dict]) -> dict[str, str]:
    """Code id → name for the top-level codes (principles) of the given codebooks."""
    labels: dict[str, str] = {}
    for codebook in codebooks:
        for code in (codebook or {}).get("codes", []):
            labels.setdefault(code["id"], code["name"])
    return labels


def labels_for(facet: str, values: list[str], principles: dict[str, str]) -> list[str]:
    lookup = principles if facet == "principle" else dict(static_options()[facet])
    return [lookup.get(v, v) for v in values]
