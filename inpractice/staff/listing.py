"""Finding submissions: search, filters, sorting and the rows of the list and its export.

Everything here is a database query: search and every filter are WHERE clauses and EXISTS
subqueries, sorting is ORDER BY on indexed columns, and a page annotates only its own rows, so
the list costs about the same for a call of 200 or 100,000 submissions (bench/submissions_bench.py).
Nothing loads a call's submissions into Python except the export, which streams them in chunks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from inpractice.coding.models import AnalysisRun, Passage
from inpractice.coding.runs import current_run
from inpractice.intake.choices import Coverage, OrganisationType, Phase, PublicationConsent
from inpractice.intake.models import (
    REFERENCE_ALPHABET,
    CallForEvidence,
    CoveredSchool,
    Submission,
    SubmissionStatus,
)
from inpractice.schools.models import Region

PAGE_SIZE = 50

# "IP-ABCD-2345", also typed as "ip abcd 2345", "IPABCD2345" or "ABCD-2345" (as read aloud).
# Only letters of the reference alphabet: "Oakfield" is not a reference (no O, I or L in one).
REFERENCE_TYPED = re.compile(
    rf"^\s*(?:IP)?[\s-]*([{REFERENCE_ALPHABET}]{{4}})[\s-]*([{REFERENCE_ALPHABET}]{{4}})\s*$"
)
URN_TYPED = re.compile(r"^\s*(\d{5,7})\s*$")

STATUS_CHOICES = [
    (SubmissionStatus.SUBMITTED, "Submitted"),
    (SubmissionStatus.DRAFT, "Drafts not sent yet"),
]
YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]
SORTS = {
    # key: (label, ordering). Each leads with columns of an index on Submission (call, status, …).
    "newest": ("Newest first", ("-submitted_at", "-pk")),
    "oldest": ("Oldest first", ("submitted_at", "pk")),
    "organisation": ("Organisation (A to Z)", ("organisation_name", "pk")),
    "reference": ("Reference", ("reference", "pk")),
}
# Drafts have no submission time or reference yet: they sort by when they were last saved.
DRAFT_SORTS = {
    "newest": ("-updated_at", "-pk"),
    "oldest": ("updated_at", "pk"),
    "organisation": ("organisation_name", "pk"),
    "reference": ("-updated_at", "-pk"),
}


def normalise_reference(text: str) -> str | None:
    """'ip abcd 2345' -> 'IP-ABCD-2345'; None when the text cannot be a reference."""
    match = REFERENCE_TYPED.match((text or "").upper())
    if not match:
        return None
    return f"IP-{match.group(1)}-{match.group(2)}"


class SubmissionFilterForm(forms.Form):
    """The list's GET parameters; every choice is checked on the server."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="A reference (like IP-ABCD-2345), an organisation, a school's name or URN",
    )
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)
    org_type = forms.ChoiceField(
        label="Organisation type", required=False, choices=[("", "Any"), *OrganisationType.choices]
    )
    region = forms.ChoiceField(
        label="Region of a school covered",
        required=False,
        choices=[("", "Any"), *Region.choices],
    )
    phase = forms.ChoiceField(label="Phase", required=False, choices=[("", "Any"), *Phase.choices])
    analysed = forms.ChoiceField(
        label="Analysed in the current run", required=False, choices=YES_NO
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )

    def clean_q(self) -> str:
        # (A NUL never gets here: the field refuses it, and PostgreSQL could not search for it.)
        return " ".join(self.cleaned_data["q"].split())

    def criteria(self) -> dict[str, str]:
        """The valid criteria, with defaults; an invalid form searches for nothing extra."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q", ""),
            "status": data.get("status") or SubmissionStatus.SUBMITTED,
            "org_type": data.get("org_type", ""),
            "region": data.get("region", ""),
            "phase": data.get("phase", ""),
            "analysed": data.get("analysed", ""),
            "sort": data.get("sort") or "newest",
        }

    def narrowed(self) -> bool:
        """Whether anything other than the default status and order narrows the list."""
        c = self.criteria()
        return bool(
            c["q"]
            or c["org_type"]
            or c["region"]
            or c["phase"]
            or c["analysed"]
            or c["status"] != SubmissionStatus.SUBMITTED
        )


def _json_list_has(field: str, value: str) -> Q:
    # JSON lists of short codes: matching the quoted value works the same on SQLite and
    # PostgreSQL, where JSON containment lookups differ (as in workspace/queue.py).
    return Q(**{f"{field}__icontains": f'"{value}"'})


def _search(qs: QuerySet, text: str) -> QuerySet:
    # Each way of reading the text is OR-ed: "Park Gate" is a name and could be a reference.
    reference = normalise_reference(text)
    urn = URN_TYPED.match(text)
    if reference is not None and qs.filter(reference=reference).exists():
        # A reference names one submission: the person quoting it wants that one (and this is
        # an index look-up, where the name search below reads every row of the call).
        return qs.filter(reference=reference)
    if urn is not None:
        # Digits only: a URN (organisation and school names do not hold six-digit numbers).
        return qs.filter(pk__in=_covering(urn=int(urn.group(1))))
    return qs.filter(
        Q(organisation_name__icontains=text) | Q(pk__in=_covering(school__name__icontains=text))
    )


def _covering(**lookup) -> QuerySet:
    # `pk IN (…)` rather than a correlated EXISTS: PostgreSQL then hashes the few matching ids
    # once, where its estimate for EXISTS inside an OR is so high that it spends longer
    # compiling the query (JIT) than running it.
    return CoveredSchool.objects.filter(**lookup).values("submission_id")


def _analysed(run: AnalysisRun | None):
    if run is None:
        return Value(False)
    return Exists(Passage.objects.filter(run=run, submission=OuterRef("pk")))


@dataclass
class Listing:
    """A call's submissions as searched, filtered and sorted; `submissions` is still lazy."""

    call: CallForEvidence
    run: AnalysisRun | None
    form: SubmissionFilterForm
    criteria: dict[str, str]
    submissions: QuerySet


def find(call: CallForEvidence, params) -> Listing:
    form = SubmissionFilterForm(params)
    criteria = form.criteria()
    run = current_run(call)
    qs = Submission.objects.filter(call=call, status=criteria["status"])
    if criteria["q"]:
        qs = _search(qs, criteria["q"])
    if criteria["org_type"]:
        qs = qs.filter(organisation_type=criteria["org_type"])
    if criteria["region"]:
        qs = qs.filter(
            Q(pk__in=_covering(school__region=criteria["region"]))
            | Q(coverage_local_authority__region=criteria["region"])
        )
    if criteria["phase"]:
        qs = qs.filter(_json_list_has("phases", criteria["phase"]))
    if criteria["analysed"]:
        if run is None:
            # Nothing has been analysed until the call has a current run.
            qs = qs.none() if criteria["analysed"] == "yes" else qs
        else:
            analysed = Exists(Passage.objects.filter(run=run, submission=OuterRef("pk")))
            qs = qs.filter(analysed) if criteria["analysed"] == "yes" else qs.exclude(analysed)
    sorts = SORTS if criteria["status"] == SubmissionStatus.SUBMITTED else None
    ordering = sorts[criteria["sort"]][1] if sorts else DRAFT_SORTS[criteria["sort"]]
    return Listing(call, run, form, criteria, qs.order_by(*ordering))


def _school_count():
    return Coalesce(
        Subquery(
            CoveredSchool.objects.filter(submission=OuterRef("pk"))
            .order_by()
            .values("submission")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _first_school_name():
    return Subquery(
        CoveredSchool.objects.filter(submission=OuterRef("pk"), school__isnull=False)
        .order_by("pk")
        .values("school__name")[:1]
    )


def page_rows(listing: Listing, page_objects) -> list[Submission]:
    """The rows of one page, with schools covered and analysed, in one query for the page."""
    ids = [s.pk for s in page_objects]
    annotated = (
        Submission.objects.filter(pk__in=ids)
        .select_related("coverage_trust", "coverage_local_authority")
        .annotate(
            school_count=_school_count(),
            first_school=_first_school_name(),
            analysed=_analysed(listing.run),
        )
        .defer("answers", "need_description")
        .in_bulk()
    )
    return [annotated[pk] for pk in ids if pk in annotated]


def coverage_summary(s: Submission) -> str:
    """'Oakfield Primary School' / 'All schools in Northern Lights Academy Trust' / '40 schools'."""
    count = getattr(s, "school_count", None)
    if s.coverage == Coverage.TRUST and s.coverage_trust_id:
        return f"All schools in {s.coverage_trust.name}"
    if s.coverage == Coverage.LOCAL_AUTHORITY and s.coverage_local_authority_id:
        return f"All schools in {s.coverage_local_authority.name}"
    if s.coverage == Coverage.ONE_SCHOOL and getattr(s, "first_school", None):
        return s.first_school
    if count:
        return f"{count:,} school{'s' if count != 1 else ''}"
    if s.coverage == Coverage.ONE_SCHOOL and s.unlisted_schools.exists():
        # Described by the submitter (intake/unlisted.py): a query only for such rows.
        return "A school not in the register"
    return "Not answered yet"


# --- the export --------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "reference",
    "status",
    "submitted_at",
    "organisation_name",
    "organisation_type",
    "respondent_name",
    "respondent_email",
    "respondent_role",
    "title",
    "coverage",
    "coverage_trust",
    "coverage_local_authority",
    "schools_covered",
    "urns",
    "phases",
    "need_codes",
    "consent_publication",
    "consent_contact",
    "analysed",
)


def export_rows(listing: Listing) -> Iterator[dict[str, Any]]:
    """Every submission of the listing as a flat row, read in chunks (never all at once).

    URNs come from one query per chunk, not one per row."""
    org_types = dict(OrganisationType.choices)
    consents = dict(PublicationConsent.choices)
    coverages = dict(Coverage.choices)
    qs = listing.submissions.annotate(
        trust_name=F("coverage_trust__name"),
        la_name=F("coverage_local_authority__name"),
        analysed=_analysed(listing.run),
    ).values(
        "pk",
        "reference",
        "status",
        "submitted_at",
        "organisation_name",
        "organisation_type",
        "respondent_name",
        "respondent_email",
        "respondent_role",
        "title",
        "coverage",
        "trust_name",
        "la_name",
        "phases",
        "need_codes",
        "consent_publication",
        "consent_contact",
        "analysed",
    )
    chunk: list[dict] = []
    for row in qs.iterator(chunk_size=1000):
        chunk.append(row)
        if len(chunk) == 1000:
            yield from _export_chunk(chunk, org_types, consents, coverages)
            chunk = []
    if chunk:
        yield from _export_chunk(chunk, org_types, consents, coverages)


def _export_chunk(chunk, org_types, consents, coverages) -> Iterator[dict[str, Any]]:
    urns: dict[int, list[int]] = {}
    for submission_id, urn in (
        CoveredSchool.objects.filter(submission_id__in=[r["pk"] for r in chunk])
        .order_by("submission_id", "pk")
        .values_list("submission_id", "urn")
    ):
        urns.setdefault(submission_id, []).append(urn)
    for row in chunk:
        covered = urns.get(row["pk"], [])
        yield {
            "reference": row["reference"] or "",
            "status": row["status"],
            "submitted_at": row["submitted_at"],
            "organisation_name": row["organisation_name"],
            "organisation_type": org_types.get(row["organisation_type"], ""),
            "respondent_name": row["respondent_name"],
            "respondent_email": row["respondent_email"],
            "respondent_role": row["respondent_role"],
            "title": row["title"],
            "coverage": coverages.get(row["coverage"], ""),
            "coverage_trust": row["trust_name"] or "",
            "coverage_local_authority": row["la_name"] or "",
            "schools_covered": len(covered),
            "urns": " ".join(str(u) for u in covered),
            "phases": list(row["phases"] or []),
            "need_codes": list(row["need_codes"] or []),
            "consent_publication": consents.get(row["consent_publication"], ""),
            "consent_contact": row["consent_contact"],
            "analysed": bool(row["analysed"]),
        }
