"""Every number in the insights report and on the live coverage page, computed from stored data.

Framework-light on purpose: the `gather`-style functions read the database once through the ORM,
and all the arithmetic (shares, comparisons with the national picture, gap wording, breakdowns)
happens in plain functions on plain data, so tests can check each figure by hand and the HTML
page, the PDF, the open data and the CLI all show the same numbers.

Two audiences:

* ``public``: what may be published. Quotes appear only when a person approved them *and* the
  submitter consented to publication; themes only when signed off (accepted or promoted), under
  the analyst's label; frameworks and tools only when they come from the curated lexicon or a
  person confirmed them. Nothing else written by submitters is shown.
* ``staff``: the same figures plus what is still waiting for review (unreviewed themes and
  mentions, quotes awaiting approval) and, through the ``evidence`` callable, a link from each
  figure to the coded passages behind it.

Sources: intake (submissions, covered schools, `intake.coverage.snapshot`), the school register,
the call's current `coding.AnalysisRun` (`coding.runs.current_run`: the run a lead analyst
promoted, so a newer run changes nothing here until it is promoted), the workspace's human
reviews (quotes found by span, mentions by name: `workspace.carry`), and the vendored DfE EHC
plan figures (`national.py`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from inpractice.analysis import personal_data
from inpractice.analysis.shipped import model_in_words
from inpractice.coding.models import AnalysisRun, Quote, SubmissionResult, Theme
from inpractice.coding.runner import SUBMISSION_MIN_PROBABILITY
from inpractice.coding.runs import current_run
from inpractice.intake.choices import (
    NEED_AREAS,
    NeedCode,
    OrganisationType,
    PublicationConsent,
    need_areas_for,
)
from inpractice.intake.choices import (
    Phase as SubmissionPhase,
)
from inpractice.intake.coverage import snapshot
from inpractice.intake.models import CallForEvidence, CoveredSchool, Submission, SubmissionStatus
from inpractice.schools.models import Phase as SchoolPhase
from inpractice.schools.models import Region
from inpractice.workspace.carry import attach_quote_reviews, mentions_with_decisions

from . import national

PUBLIC = "public"
STAFF = "staff"
AUDIENCES = (PUBLIC, STAFF)

# A group is under-represented when its share of the evidence is less than half its share
# nationally, and over-represented when more than double. Generous on purpose: with ~150
# submissions, smaller differences are noise.
UNDER = 0.5
OVER = 2.0

NOT_REPRESENTED = "not_represented"
UNDER_REPRESENTED = "under"
IN_LINE = "in_line"
OVER_REPRESENTED = "over"
NO_COMPARISON = "no_comparison"
STATUS_LABELS = {
    NOT_REPRESENTED: "Not yet represented",
    UNDER_REPRESENTED: "Under-represented",
    IN_LINE: "In line",
    OVER_REPRESENTED: "Over-represented",
    NO_COMPARISON: "No national figure",
}

NOT_STATED = ""
NOT_STATED_LABEL = "Not stated"

# Names every submission is bound to use because the law or the SEND system requires them: they
# are counted and listed, but not as "frameworks, tools and training approaches", which would
# otherwise be dominated by them.
STATUTORY_MENTIONS = frozenset(
    {
        "ehcp",
        "graduated-approach",
        "send-code-of-practice",
        "children-and-families-act",
        "equality-act",
        "supporting-medical-conditions",
        "send-ap-improvement-plan",
        "local-offer",
        "access-arrangements",
    }
)
SERVICE_KINDS = frozenset({"service"})
KIND_LABELS = {
    "framework": "Framework",
    "programme": "Programme",
    "intervention": "Intervention",
    "assessment": "Assessment",
    "tool": "Tool",
    "training": "Training",
    "service": "Service",
    "guidance": "Guidance",
    "approach": "Approach",
    "unknown": "Not classified",
}

REGION_SHORT = {
    Region.NORTH_EAST: "North East",
    Region.NORTH_WEST: "North West",
    Region.YORKSHIRE: "Yorkshire & Humber",
    Region.EAST_MIDLANDS: "East Midlands",
    Region.WEST_MIDLANDS: "West Midlands",
    Region.EAST: "East of England",
    Region.LONDON: "London",
    Region.SOUTH_EAST: "South East",
    Region.SOUTH_WEST: "South West",
}

Evidence = Callable[..., str]


class NotAnalysed(Exception):
    """The call has no succeeded analysis run, so there is nothing to report yet."""


# --------------------------------------------------------------------------- plain data


@dataclass
class Share:
    """One group (a region, a phase, a need) in the evidence against the national picture."""

    key: str
    label: str
    short: str
    count: int
    share: float
    national_count: int
    national_share: float
    status: str
    submissions: int | None = None
    mainstream_share: float | None = None
    evidence: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def difference(self) -> float:
        """Percentage points above (+) or below (-) the national share."""
        return (self.share - self.national_share) * 100


@dataclass
class Comparison:
    dimension: str
    title: str
    unit: str  # what `count` counts, in words: "schools represented", "times named"
    national_unit: str
    national_source: str
    total: int
    national_total: int
    rows: list[Share]
    note: str = ""

    @property
    def not_represented(self) -> list[Share]:
        return [r for r in self.rows if r.status == NOT_REPRESENTED]

    @property
    def under_represented(self) -> list[Share]:
        return [r for r in self.rows if r.status == UNDER_REPRESENTED]

    @property
    def over_represented(self) -> list[Share]:
        return [r for r in self.rows if r.status == OVER_REPRESENTED]

    @property
    def gaps(self) -> list[str]:
        return gap_sentences(self)


@dataclass
class CoverageFigures:
    """Who the evidence speaks for: works for an open call before any analysis."""

    slug: str
    title: str
    state: str
    generated_at: datetime
    snapshot: dict[str, int]
    regions: Comparison
    phases: Comparison
    needs: Comparison
    need_areas: Comparison

    @property
    def comparisons(self) -> list[Comparison]:
        return [self.regions, self.phases, self.need_areas, self.needs]

    @property
    def outreach(self) -> list[tuple[str, list[Share], list[Share]]]:
        """(dimension title, not represented, under-represented) for each dimension."""
        return [(c.title, c.not_represented, c.under_represented) for c in self.comparisons]


@dataclass
class BreakdownRow:
    key: str
    label: str
    count: int  # submissions in this group that evidence the principle
    total: int  # submissions in this group
    evidence: str = ""

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0


@dataclass
class Breakdown:
    dimension: str
    title: str
    rows: list[BreakdownRow]


@dataclass
class QuoteFigure:
    text: str
    attribution: str
    evidence: str = ""


@dataclass
class QuoteStatus:
    proposed: int = 0
    approved: int = 0
    rejected: int = 0
    awaiting: int = 0
    held_back: int = 0  # approved, but the submitter did not consent to publication
    # approved, but the personal data check (analysis/personal_data.py) finds something in it:
    # a quote approved before the check caught that kind of thing is still never published
    personal_data: int = 0


@dataclass
class Principle:
    code_id: str
    number: str
    name: str
    description: str
    depth: int
    count: int
    share: float
    breakdowns: list[Breakdown]
    quotes: list[QuoteFigure]
    quote_status: QuoteStatus
    evidence: str = ""


@dataclass
class Cited:
    key: str
    name: str
    kind: str
    submissions: int
    occurrences: int
    known: bool
    reviewed: bool
    mention_id: str
    evidence: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.capitalize())


@dataclass
class Citations:
    total_submissions: int
    submissions_citing: int  # submissions naming at least one framework, tool or approach
    frameworks: list[Cited]  # frameworks, programmes, tools, training, approaches ...
    services: list[Cited]
    statutory: list[Cited]
    unreviewed: list[Cited]  # staff only: names found by discovery that no person has checked
    rejected: int  # mentions a person rejected (not counted anywhere)

    @property
    def distinct(self) -> int:
        return len(self.frameworks)

    @property
    def by_kind(self) -> list[tuple[str, int]]:
        """(kind label, distinct names) for the counted frameworks, most varied kind first."""
        names: Counter = Counter(c.kind_label for c in self.frameworks)
        return sorted(names.items(), key=lambda row: (-row[1], row[0]))

    @property
    def training(self) -> list[Cited]:
        return [c for c in self.frameworks if c.kind == "training"]


@dataclass
class ThemeFigure:
    pk: int
    number: int
    label: str
    status: str
    passages: int
    submissions: int
    key_phrases: list[str]
    promoted_code: str = ""
    evidence: str = ""


@dataclass
class Themes:
    signed_off: list[ThemeFigure]
    not_reviewed: list[ThemeFigure]  # staff only
    discarded: int
    merged: int
    total: int


@dataclass
class MethodFigures:
    codebook_id: str
    codebook_name: str
    codebook_description: str
    codes: list[dict[str, Any]]
    run_id: int
    started_at: datetime | None
    finished_at: datetime | None
    embedder: str
    model: str  # which coder produced the codes, in words
    code_version: str
    seed: Any
    thresholds: list[dict[str, Any]]
    submission_min_probability: float
    passages: int
    coder_count: int
    coders: list[str]  # staff audience only
    human_coded_passages: int
    reviewed_submissions: int
    double_coded_submissions: int
    agreement: list[dict[str, Any]]
    model_vs_human: list[dict[str, Any]]


@dataclass
class ReportFigures:
    slug: str
    title: str
    state: str
    audience: str
    generated_at: datetime
    principle_count: int
    coverage: CoverageFigures
    principles: list[Principle]
    citations: Citations
    themes: Themes
    method: MethodFigures
    notes: list[str] = field(default_factory=list)

    @property
    def snapshot(self) -> dict[str, int]:
        return self.coverage.snapshot

    @property
    def top_principles(self) -> list[Principle]:
        return [p for p in self.principles if p.depth == 0]


# --------------------------------------------------------------------------- arithmetic


def share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def status_for(count: int, share_: float, national_share: float, any_evidence: bool) -> str:
    if national_share <= 0:
        return NO_COMPARISON
    if not any_evidence or count == 0:
        return NOT_REPRESENTED
    if share_ < UNDER * national_share:
        return UNDER_REPRESENTED
    if share_ > OVER * national_share:
        return OVER_REPRESENTED
    return IN_LINE


def compare(
    evidence: Mapping[str, int],
    national_counts: Mapping[str, int],
    labels: Iterable[tuple[str, str, str]],
    submissions: Mapping[str, int] | None = None,
    mainstream: Mapping[str, int] | None = None,
) -> list[Share]:
    """Rows of (key, label, short label) in the given order, each with its share of the evidence,
    its national share and whether it is represented, under- or over-represented.

    Shares are of the totals over *all* keys in `evidence` and `national_counts`, so a group
    the labels leave out still counts in the denominator.
    """
    total = sum(evidence.values())
    national_total = sum(national_counts.values())
    mainstream_total = sum(mainstream.values()) if mainstream else 0
    rows = []
    for key, label, short in labels:
        count = int(evidence.get(key, 0))
        s = share(count, total)
        n = int(national_counts.get(key, 0))
        ns = share(n, national_total)
        rows.append(
            Share(
                key=key,
                label=label,
                short=short,
                count=count,
                share=s,
                national_count=n,
                national_share=ns,
                status=status_for(count, s, ns, total > 0),
                submissions=None if submissions is None else int(submissions.get(key, 0)),
                mainstream_share=(
                    share(mainstream.get(key, 0), mainstream_total) if mainstream else None
                ),
            )
        )
    return rows


def percent(value: float, places: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not defined"
    return f"{value * 100:.{places}f}%"


def join_words(words: list[str]) -> str:
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def gap_sentences(comparison: Comparison) -> list[str]:
    """The gaps in plain words, for the report and for targeting outreach."""
    sentences = []
    missing = comparison.not_represented
    if missing:
        sentences.append(
            f"Not yet represented ({comparison.title.lower()}): "
            f"{join_words([r.label for r in missing])}."
        )
    under = comparison.under_represented
    if under:
        parts = [
            f"{r.label} ({percent(r.share)} of {comparison.unit} against "
            f"{percent(r.national_share)} of {comparison.national_unit})"
            for r in under
        ]
        sentences.append(
            f"Under-represented ({comparison.title.lower()}), at less than half their national "
            f"share: {join_words(parts)}."
        )
    over = comparison.over_represented
    if over:
        sentences.append(
            f"Over-represented ({comparison.title.lower()}), at more than double their national "
            f"share: {join_words([r.label for r in over])}."
        )
    if not sentences and comparison.total:
        sentences.append(
            f"Every group ({comparison.title.lower()}) is represented within half to double its "
            "national share."
        )
    return sentences


# --------------------------------------------------------------------------- reading the data


def _submitted(call: CallForEvidence):
    return Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED)


@dataclass
class _Facts:
    """What the figures need about each submission, read once."""

    org_type: dict[int, str]
    phases: dict[int, set[str]]
    needs: dict[int, set[str]]
    need_areas: dict[int, set[str]]
    regions: dict[int, set[str]]
    consent: dict[int, str]
    # unique represented schools: urn -> (region, phase)
    schools: dict[int, tuple[str, str]]


def _facts(call: CallForEvidence) -> _Facts:
    subs = list(
        _submitted(call).values_list(
            "pk", "organisation_type", "phases", "need_codes", "consent_publication"
        )
    )
    facts = _Facts({}, {}, {}, {}, defaultdict(set), {}, {})
    for pk, org_type, phases, needs, consent in subs:
        facts.org_type[pk] = org_type or NOT_STATED
        facts.phases[pk] = set(phases or []) or {NOT_STATED}
        codes = {c for c in (needs or []) if c in NeedCode.values}
        facts.needs[pk] = codes
        facts.need_areas[pk] = set(need_areas_for(sorted(codes))) or {NOT_STATED}
        facts.consent[pk] = consent or ""
    covered = (
        CoveredSchool.objects.filter(submission__call=call, submission__status="submitted")
        .values_list(
            "submission_id",
            "urn",
            "school__region",
            "school__local_authority__region",
            "school__phase",
        )
        .order_by()
    )
    for sid, urn, region, la_region, phase in covered:
        region = region or la_region or NOT_STATED
        facts.regions[sid].add(region)
        facts.schools.setdefault(urn, (region, phase or NOT_STATED))
    for pk in facts.org_type:
        if not facts.regions.get(pk):
            facts.regions[pk] = {NOT_STATED}
    facts.regions = dict(facts.regions)
    return facts


REGION_LABELS = [(r.value, r.label, REGION_SHORT[r]) for r in Region]
SCHOOL_PHASE_LABELS = [(p.value, p.label, p.label) for p in SchoolPhase]
NEED_LABELS = [(n.value, n.label, n.value) for n in NeedCode]
NEED_AREA_LABELS = [(key, label, label) for key, (label, _codes) in NEED_AREAS.items()]


def coverage_figures(call: CallForEvidence, evidence: Evidence | None = None) -> CoverageFigures:
    """Snapshot and representativeness of a call: needs no analysis, so it works while open."""
    return _coverage(call, _facts(call), evidence)


def _coverage(call: CallForEvidence, facts: _Facts, evidence: Evidence | None) -> CoverageFigures:
    link = evidence or (lambda **_: "")
    national_regions, national_phases = national.open_schools_by_region_and_phase()

    schools_by_region = Counter(region for region, _ in facts.schools.values())
    schools_by_phase = Counter(phase for _, phase in facts.schools.values())
    subs_by_region = Counter(r for regions in facts.regions.values() for r in regions)
    # Schools outside the register have no region or phase: they stay out of both sides.
    schools_by_region.pop(NOT_STATED, None)
    schools_by_phase.pop(NOT_STATED, None)
    national_phases.pop(NOT_STATED, None)
    national_regions.pop(NOT_STATED, None)
    region_rows = compare(schools_by_region, national_regions, REGION_LABELS, subs_by_region)
    for row in region_rows:
        row.evidence = link(region=row.key)
    phase_labels = [p for p in SCHOOL_PHASE_LABELS if p[0] != SchoolPhase.NOT_APPLICABLE] + [
        p
        for p in SCHOOL_PHASE_LABELS
        if p[0] == SchoolPhase.NOT_APPLICABLE and national_phases.get(p[0])
    ]
    phase_rows = compare(schools_by_phase, national_phases, phase_labels)
    for row in phase_rows:
        row.evidence = link(phase=row.key)

    need_counts = Counter(code for codes in facts.needs.values() for code in codes)
    all_plans = national.ehcp_primary_needs("all_ehc_plans")
    mainstream = national.ehcp_primary_needs("mainstream")
    need_rows = compare(need_counts, all_plans, NEED_LABELS, need_counts, mainstream)
    for row in need_rows:
        row.evidence = link(need=row.key)

    area_counts = Counter(
        a for areas in facts.need_areas.values() for a in areas if a != NOT_STATED
    )

    def by_area(counts: Mapping[str, int]) -> dict[str, int]:
        return {
            key: sum(counts.get(code, 0) for code in codes)
            for key, (_label, codes) in NEED_AREAS.items()
        }

    area_rows = compare(
        area_counts, by_area(all_plans), NEED_AREA_LABELS, area_counts, by_area(mainstream)
    )
    for row in area_rows:
        row.evidence = link(need=row.key)

    snap = snapshot(call).as_dict()
    year = national.NATIONAL_NEEDS_YEAR
    return CoverageFigures(
        slug=call.slug,
        title=call.title,
        state=str(call.state()),
        generated_at=timezone.now(),
        snapshot=snap,
        regions=Comparison(
            "region",
            "Regions",
            "schools represented",
            "open schools in England",
            national.REGISTER_SOURCE,
            sum(schools_by_region.values()),
            sum(national_regions.values()),
            region_rows,
        ),
        phases=Comparison(
            "phase",
            "Phases",
            "schools represented",
            "open schools in England",
            national.REGISTER_SOURCE,
            sum(schools_by_phase.values()),
            sum(national_phases.values()),
            phase_rows,
        ),
        needs=Comparison(
            "need",
            "Primary needs",
            "needs named",
            f"EHC plans in England ({year})",
            national.NATIONAL_NEEDS_SOURCE,
            sum(need_counts.values()),
            sum(all_plans.values()),
            need_rows,
            note=(
                "A submission can name several needs; shares are of all the needs named. "
                "The national share is of EHC plans with a recorded primary need."
            ),
        ),
        need_areas=Comparison(
            "need_area",
            "Areas of need",
            "submissions' areas of need",
            f"EHC plans in England ({year})",
            national.NATIONAL_NEEDS_SOURCE,
            sum(area_counts.values()),
            sum(by_area(all_plans).values()),
            area_rows,
            note=(
                "SEND Code of Practice broad areas of need. 'Other difficulty or disability' "
                "belongs to no area and is left out."
            ),
        ),
    )


def _label_maps() -> dict[str, dict[str, str]]:
    def with_not_stated(pairs) -> dict[str, str]:
        return {**dict(pairs), NOT_STATED: NOT_STATED_LABEL}

    return {
        "phase": with_not_stated(SubmissionPhase.choices),
        "region": with_not_stated(Region.choices),
        "org_type": with_not_stated(OrganisationType.choices),
        "need": with_not_stated((k, label) for k, (label, _c) in NEED_AREAS.items()),
    }


BREAKDOWN_TITLES = {
    "phase": "Phase",
    "region": "Region",
    "org_type": "Organisation type",
    "need": "Area of need",
}


def breakdown(
    dimension: str,
    groups: Mapping[int, Iterable[str]],
    evidencing: set[int],
    labels: Mapping[str, str],
) -> list[BreakdownRow]:
    """For each group (in `labels` order, only groups with submissions): how many of its
    submissions evidence the principle. A submission in several groups counts in each."""
    totals: Counter = Counter()
    counts: Counter = Counter()
    for sid, keys in groups.items():
        for key in set(keys):
            totals[key] += 1
            if sid in evidencing:
                counts[key] += 1
    return [
        BreakdownRow(key, label, counts[key], totals[key])
        for key, label in labels.items()
        if totals[key]
    ]


def _attribution(org_type: str, phases: set[str]) -> str:
    labels = _label_maps()
    who = labels["org_type"].get(org_type, "")
    if not who or org_type == NOT_STATED:
        who = "A respondent"
    phase_words = [labels["phase"][p].lower() for p in sorted(phases) if p in labels["phase"]]
    phase_words = [p for p in phase_words if p != NOT_STATED_LABEL.lower()]
    return f"{who}, {join_words(phase_words)}" if phase_words else who


def _principles(
    run: AnalysisRun,
    facts: _Facts,
    audience: str,
    link: Evidence,
) -> list[Principle]:
    codes_of: dict[int, set[str]] = {
        sid: set(codes)
        for sid, codes in SubmissionResult.objects.filter(run=run).values_list(
            "submission_id", "codes"
        )
    }
    total = len(facts.org_type)
    groups = {
        "phase": facts.phases,
        "region": facts.regions,
        "org_type": {sid: {t} for sid, t in facts.org_type.items()},
        "need": facts.need_areas,
    }
    labels = _label_maps()
    quotes_by_code: dict[str, list[Quote]] = defaultdict(list)
    # A decision on a quote is keyed by its words' span, so it holds in every run (ADR 15).
    for q in attach_quote_reviews(
        Quote.objects.filter(run=run, theme__isnull=True).order_by("code_id", "rank")
    ):
        quotes_by_code[q.code_id].append(q)

    principles = []
    coded = set(run.code_ids or [])
    for number, depth, code in _walk_codes(run.codebook):
        cid = code["id"]
        if coded and cid not in coded:
            continue  # a code the run did not apply (e.g. a sub-code): no figure to give
        evidencing = {
            sid for sid, codes in codes_of.items() if cid in codes and sid in facts.org_type
        }
        rows_by_dim = []
        for dim, title in BREAKDOWN_TITLES.items():
            rows = breakdown(dim, groups[dim], evidencing, labels[dim])
            for row in rows:
                row.evidence = link(code=cid, **{dim: row.key}) if row.key else ""
            rows_by_dim.append(Breakdown(dim, title, rows))
        quotes, status = _quotes(quotes_by_code.get(cid, []), facts, audience, link)
        principles.append(
            Principle(
                code_id=cid,
                number=number,
                name=code.get("name", cid),
                description=code.get("description", ""),
                depth=depth,
                count=len(evidencing),
                share=share(len(evidencing), total),
                breakdowns=rows_by_dim,
                quotes=quotes,
                quote_status=status,
                evidence=link(code=cid),
            )
        )
    return principles


def _walk_codes(codebook: dict) -> Iterable[tuple[str, int, dict]]:
    def walk(codes, prefix: str, depth: int):
        for i, code in enumerate(codes or [], 1):
            number = f"{prefix}{i}"
            yield number, depth, code
            yield from walk(code.get("children"), number + ".", depth + 1)

    yield from walk(codebook.get("codes"), "", 0)


PUBLISHABLE = {PublicationConsent.NAMED, PublicationConsent.ANONYMISED}
QUOTES_PER_PRINCIPLE = 3


def _review_status(obj) -> str:
    try:
        review = obj.review
    except ObjectDoesNotExist:  # not reviewed yet
        return ""
    return review.status if review is not None else ""


def _quotes(
    quotes: list[Quote], facts: _Facts, audience: str, link: Evidence
) -> tuple[list[QuoteFigure], QuoteStatus]:
    status = QuoteStatus(proposed=len(quotes))
    shown = []
    for q in quotes:
        review = _review_status(q)
        if review == "approved":
            status.approved += 1
            if facts.consent.get(q.submission_id) not in PUBLISHABLE:
                status.held_back += 1
                continue
            if personal_data.kinds(q.text):
                status.personal_data += 1
                continue
            if len(shown) < QUOTES_PER_PRINCIPLE:
                sid = q.submission_id
                shown.append(
                    QuoteFigure(
                        text=q.text,
                        attribution=_attribution(
                            facts.org_type.get(sid, ""), facts.phases.get(sid, set())
                        ),
                        evidence=link(code=q.code_id) if audience == STAFF else "",
                    )
                )
        elif review == "rejected":
            status.rejected += 1
        else:
            status.awaiting += 1
    return shown, status


def _citations(run: AnalysisRun, total_submissions: int, audience: str, link: Evidence):
    groups: dict[str, dict[str, Any]] = {}
    rejected = 0
    # Decisions are keyed by the mention's normalised name (and words), so they hold in every run.
    for m in mentions_with_decisions(run).order_by("pk"):
        if m.decision_status == "rejected":
            rejected += 1
            continue
        reviewed = bool(m.decision_status)
        name = (m.decision_name if reviewed and (m.decision_name or "").strip() else m.name).strip()
        key = " ".join(name.casefold().split())
        group = groups.setdefault(
            key,
            {
                "name": name,
                "kind": m.kind,
                "known": m.known,
                "reviewed": reviewed,
                "mention_id": m.mention_id,
                "submissions": set(),
                "occurrences": 0,
            },
        )
        group["known"] = group["known"] or m.known
        group["reviewed"] = group["reviewed"] or reviewed
        group["submissions"].add(m.submission_id)
        group["occurrences"] += 1

    frameworks, services, statutory, unreviewed = [], [], [], []
    citing: set[int] = set()
    for key, g in groups.items():
        item = Cited(
            key=key,
            name=g["name"],
            kind=g["kind"] or "unknown",
            submissions=len(g["submissions"]),
            occurrences=g["occurrences"],
            known=g["known"],
            reviewed=g["reviewed"],
            mention_id=g["mention_id"],
            evidence=link(mention=g["mention_id"]),
        )
        if not (item.known or item.reviewed):
            # Discovered in submissions' own words and not checked by a person: it may be a
            # name or a place, so it is never published.
            if audience == STAFF:
                unreviewed.append(item)
            continue
        if item.mention_id in STATUTORY_MENTIONS:
            statutory.append(item)
        elif item.kind in SERVICE_KINDS:
            services.append(item)
        else:
            frameworks.append(item)
            citing |= g["submissions"]

    def order(items: list[Cited]) -> list[Cited]:
        return sorted(items, key=lambda c: (-c.submissions, -c.occurrences, c.name.casefold()))

    return Citations(
        total_submissions=total_submissions,
        submissions_citing=len(citing),
        frameworks=order(frameworks),
        services=order(services),
        statutory=order(statutory),
        unreviewed=order(unreviewed),
        rejected=rejected,
    )


def _themes(run: AnalysisRun, audience: str, link: Evidence) -> Themes:
    signed_off, not_reviewed = [], []
    discarded = merged = 0
    themes = list(Theme.objects.filter(run=run).select_related("review").order_by("number"))
    for t in themes:
        status = _review_status(t)
        figure = ThemeFigure(
            pk=t.pk,
            number=t.number,
            label=t.label,
            status=status or "not_reviewed",
            passages=t.size,
            submissions=t.submissions,
            key_phrases=list(t.key_phrases or []) if audience == STAFF else [],
            evidence=link(theme=t.pk),
        )
        if status in ("accepted", "promoted"):
            figure.label = t.review.label.strip() or t.label
            figure.promoted_code = t.review.promoted_code_id if status == "promoted" else ""
            signed_off.append(figure)
        elif status == "discarded":
            discarded += 1
        elif status == "merged":
            merged += 1
        elif audience == STAFF:
            not_reviewed.append(figure)
    order = lambda items: sorted(items, key=lambda f: (-f.submissions, f.number))  # noqa: E731
    return Themes(order(signed_off), order(not_reviewed), discarded, merged, len(themes))


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _method(run: AnalysisRun, call: CallForEvidence, audience: str) -> MethodFigures:
    from inpractice.workspace.metrics import method_summary

    summary = method_summary(call) or {}
    codebook = run.codebook or {}
    names = {code["id"]: code.get("name", code["id"]) for _n, _d, code in _walk_codes(codebook)}
    thresholds = [
        {"code_id": cid, "name": names.get(cid, cid), "threshold": t}
        for cid, t in zip(run.code_ids or [], run.thresholds or [], strict=False)
    ]

    def rows(key: str) -> list[dict[str, Any]]:
        return [{k: _finite(v) for k, v in row.items()} for row in summary.get(key) or []]

    return MethodFigures(
        codebook_id=codebook.get("id", ""),
        codebook_name=codebook.get("name", ""),
        codebook_description=codebook.get("description", ""),
        codes=[
            {
                "number": number,
                "depth": depth,
                "id": code["id"],
                "name": code.get("name", ""),
                "description": code.get("description", ""),
            }
            for number, depth, code in _walk_codes(codebook)
        ],
        run_id=run.pk,
        started_at=run.started_at,
        finished_at=run.finished_at,
        embedder=run.embedder,
        model=model_in_words((run.parameters or {}).get("coder")),
        code_version=run.code_version,
        seed=(run.parameters or {}).get("seed"),
        thresholds=thresholds,
        submission_min_probability=SUBMISSION_MIN_PROBABILITY,
        passages=int((run.counts or {}).get("passages", 0)),
        coder_count=len(summary.get("coders") or []),
        # Staff appear in public by role and number only, never by name or email address.
        coders=list(summary.get("coders") or []) if audience == STAFF else [],
        human_coded_passages=int(summary.get("human_coded_passages") or 0),
        reviewed_submissions=int(summary.get("reviewed_submissions") or 0),
        double_coded_submissions=int(summary.get("double_coded_submissions") or 0),
        agreement=rows("agreement"),
        model_vs_human=rows("model_vs_human"),
    )


def report_figures(
    call: CallForEvidence, audience: str = PUBLIC, evidence: Evidence | None = None
) -> ReportFigures:
    """All the report's figures from the call's current analysis run.

    Raises NotAnalysed when there is none. `evidence(**filters) -> url` builds the staff link to
    the coded passages behind a figure; it is ignored for the public audience.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, not {audience!r}")
    run = current_run(call)
    if run is None:
        raise NotAnalysed(call.slug)
    link: Evidence = evidence if (evidence and audience == STAFF) else (lambda **_: "")
    facts = _facts(call)
    coverage = _coverage(call, facts, link)
    principles = _principles(run, facts, audience, link)
    notes = []
    analysed = int((run.counts or {}).get("submissions", 0))
    if analysed != len(facts.org_type):
        notes.append(
            f"The analysis covers {analysed:,} submissions; {len(facts.org_type):,} have been "
            + (
                "received. Run the analysis again to include them all."
                if audience == STAFF
                else f"received; these figures describe the {analysed:,} analysed."
            )
        )
    return ReportFigures(
        slug=call.slug,
        title=call.title,
        state=str(call.state()),
        audience=audience,
        generated_at=timezone.now(),
        principle_count=len((run.codebook or {}).get("codes") or []),
        coverage=coverage,
        principles=principles,
        citations=_citations(run, len(facts.org_type), audience, link),
        themes=_themes(run, audience, link),
        method=_method(run, call, audience),
        notes=notes,
    )


# --------------------------------------------------------------------------- open data


def _plain(obj: Any) -> Any:
    """JSON-ready copy without staff links."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items() if k != "evidence"}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, float):
        return round(obj, 6) if math.isfinite(obj) else None
    return obj


def _comparison_dict(c: Comparison) -> dict[str, Any]:
    return {
        "title": c.title,
        "unit": c.unit,
        "national_unit": c.national_unit,
        "national_source": c.national_source,
        "total": c.total,
        "national_total": c.national_total,
        "note": c.note,
        "rows": [{**asdict(r), "status_label": r.status_label} for r in c.rows],
        "gaps": c.gaps,
    }


def open_data(figures: ReportFigures) -> dict[str, Any]:
    """The call's aggregate results as JSON-ready data: counts, shares and reviewed labels only.

    Built from public figures only, so it carries no quote, contact detail or unreviewed text.
    """
    if figures.audience != PUBLIC:
        raise ValueError("open data is built from the public figures only")
    f = figures
    return _plain(
        {
            "call": {"slug": f.slug, "title": f.title, "state": f.state},
            "generated_at": f.generated_at,
            "licence": "Open Government Licence v3.0",
            "snapshot": {**f.snapshot, "principles": f.principle_count},
            "principles": [
                {
                    "number": p.number,
                    "code_id": p.code_id,
                    "name": p.name,
                    "submissions": p.count,
                    "share_of_submissions": p.share,
                    "breakdowns": {
                        b.dimension: [
                            {
                                "key": r.key,
                                "label": r.label,
                                "submissions": r.count,
                                "of": r.total,
                                "share": r.share,
                            }
                            for r in b.rows
                        ]
                        for b in p.breakdowns
                    },
                }
                for p in f.principles
            ],
            "representativeness": {
                c.dimension: _comparison_dict(c) for c in f.coverage.comparisons
            },
            "citations": {
                "distinct_frameworks_tools_and_approaches": f.citations.distinct,
                "submissions_citing_one": f.citations.submissions_citing,
                "frameworks": [_cited_dict(c) for c in f.citations.frameworks],
                "services": [_cited_dict(c) for c in f.citations.services],
                "statutory_terms": [_cited_dict(c) for c in f.citations.statutory],
            },
            "themes": [
                {
                    "label": t.label,
                    "status": t.status,
                    "passages": t.passages,
                    "submissions": t.submissions,
                }
                for t in f.themes.signed_off
            ],
            "method": {
                "codebook": f.method.codebook_name,
                "analysis_run": f.method.run_id,
                "embedder": f.method.embedder,
                "model": f.method.model,
                "code_version": f.method.code_version,
                "finished_at": f.method.finished_at,
                "human_coded_passages": f.method.human_coded_passages,
                "reviewed_submissions": f.method.reviewed_submissions,
                "double_coded_submissions": f.method.double_coded_submissions,
                "agreement": f.method.agreement,
                "model_vs_human": f.method.model_vs_human,
            },
        }
    )


def _cited_dict(c: Cited) -> dict[str, Any]:
    return {
        "name": c.name,
        "kind": c.kind,
        "submissions": c.submissions,
        "occurrences": c.occurrences,
    }


CSV_COLUMNS = (
    "section",
    "group",
    "measure",
    "category",
    "label",
    "count",
    "of",
    "share",
    "national_count",
    "national_share",
    "status",
)


def open_data_rows(figures: ReportFigures) -> Iterable[dict[str, Any]]:
    """The same aggregates as one long table (one figure a row) for spreadsheets."""
    f = figures
    if f.audience != PUBLIC:
        raise ValueError("open data is built from the public figures only")
    for key, value in f.snapshot.items():
        yield {"section": "snapshot", "measure": key, "count": value}
    yield {"section": "snapshot", "measure": "principles", "count": f.principle_count}
    subs = f.snapshot.get("submissions", 0)
    for p in f.principles:
        group = f"{p.number} {p.name}"
        yield {
            "section": "principle",
            "group": group,
            "measure": "submissions evidencing",
            "count": p.count,
            "of": subs,
            "share": round(p.share, 6),
        }
        for b in p.breakdowns:
            for r in b.rows:
                yield {
                    "section": "principle",
                    "group": group,
                    "measure": f"submissions evidencing, by {b.title.lower()}",
                    "category": r.key,
                    "label": r.label,
                    "count": r.count,
                    "of": r.total,
                    "share": round(r.share, 6),
                }
    for c in f.coverage.comparisons:
        for r in c.rows:
            yield {
                "section": "representativeness",
                "group": c.title,
                "measure": c.unit,
                "category": r.key,
                "label": r.label,
                "count": r.count,
                "of": c.total,
                "share": round(r.share, 6),
                "national_count": r.national_count,
                "national_share": round(r.national_share, 6),
                "status": r.status,
            }
    for section, items in (
        ("frameworks, tools and approaches", f.citations.frameworks),
        ("services", f.citations.services),
        ("statutory terms", f.citations.statutory),
    ):
        for c in items:
            yield {
                "section": "citations",
                "group": section,
                "measure": "submissions citing",
                "category": c.kind,
                "label": c.name,
                "count": c.submissions,
                "of": subs,
                "share": round(share(c.submissions, subs), 6),
            }
    for t in f.themes.signed_off:
        yield {
            "section": "themes",
            "group": "signed-off themes",
            "measure": "submissions",
            "label": t.label,
            "count": t.submissions,
            "of": subs,
        }
