"""The one public shape of a case study, shared by the pages, the API and the downloads.

Only what is listed here ever leaves the service: no contact details (the respondent's name,
email or role), no submission reference, and the organisation's name only when the submitter
consented to a named case study. Rows are always read with `published()`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from inpractice.intake.models import CallForEvidence

from .models import SECTIONS, Attribution, CaseStudy, Status
from .tags import FACET_KEYS, case_study_tags, labels_for, principle_labels

PUBLIC_FIELDS = [
    "slug",
    "title",
    "summary",
    "organisation",
    "attribution",
    *[key for key, _ in SECTIONS],
    "quotes",
    *FACET_KEYS,
    "published_at",
    "first_published_at",
    "call",
]


def published() -> QuerySet[CaseStudy]:
    # defer(): the vectors and search columns are large and never shown.
    return CaseStudy.objects.filter(status=Status.PUBLISHED, slug__isnull=False).defer(
        "embedding", "search_text", "tag_terms"
    )


def principle_names() -> dict[str, str]:
    call_ids = published().values("call_id").distinct()
    return principle_labels(
        list(CallForEvidence.objects.filter(pk__in=call_ids).values_list("codebook", flat=True))
    )


def tags_with_labels(case_study: CaseStudy, principles: dict[str, str]) -> dict[str, list[dict]]:
    return {
        facet: [
            {"value": v, "label": label}
            for v, label in zip(values, labels_for(facet, values, principles), strict=True)
        ]
        for facet, values in case_study_tags(case_study).items()
    }


def record(case_study: CaseStudy, principles: dict[str, str], url: str = "") -> dict:
    """The public record of a published case study (JSON-ready)."""
    named = case_study.attribution == Attribution.NAMED
    data = {
        "slug": case_study.slug,
        "url": url,
        "title": case_study.title,
        "summary": case_study.summary,
        "organisation": case_study.organisation_display if named else None,
        "attribution": case_study.attribution,
        **{key: getattr(case_study, key) for key, _ in SECTIONS},
        "quotes": [q.get("text", "") for q in case_study.quotes or [] if q.get("text")],
        **tags_with_labels(case_study, principles),
        "published_at": case_study.published_at.isoformat() if case_study.published_at else None,
        "first_published_at": case_study.first_published_at.isoformat()
        if case_study.first_published_at
        else None,
        "call": case_study.call.slug,
    }
    return data


def flat_row(data: dict) -> dict:
    """A record as one CSV row: tags as '; '-joined values and labels."""
    row = {}
    for key, value in data.items():
        if key in FACET_KEYS:
            row[key] = "; ".join(t["value"] for t in value)
            row[f"{key}_labels"] = "; ".join(t["label"] for t in value)
        elif key == "quotes":
            row[key] = "\n".join(value)
        else:
            row[key] = value
    return row


CSV_COLUMNS = [
    "slug",
    "url",
    "title",
    "summary",
    "organisation",
    "attribution",
    *[key for key, _ in SECTIONS],
    "quotes",
    *[c for key in FACET_KEYS for c in (key, f"{key}_labels")],
    "published_at",
    "first_published_at",
    "call",
]
