"""Every number in the insights report and on the live coverage page, computed from stored data.

Framework-light on purpose: `_facts` counts in the database (GROUP BY and COUNT over the run's
results, submissions and covered schools: a few hundred rows back per dimension, and at most a
few per school in the register for the unique schools, whatever the number of submissions),
and all the arithmetic (shares, confidence intervals, comparisons with the national picture, gap
wording, breakdowns, suppression of small groups) happens in plain functions on plain data, so
tests can check each figure by hand and the HTML page, the PDF, the open data and the CLI all
show the same numbers.

The rules every figure follows (docs/report.md): one denominator, the analysed submissions
(submitted, with results in the current run); each unique school once, in the region and phase
the register gives it, with those the register lacks as their own row; breakdown figures from
fewer than SMALL_GROUP submissions suppressed; under- or over-represented only when the 95%
Wilson interval of the share excludes the national share; one name for each region and need.

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
from django.db.models import Case, Count, F, Min, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from inpractice.analysis.shipped import model_in_words
from inpractice.coding.models import AnalysisRun, Quote, SubmissionResult, Theme
from inpractice.coding.runner import SUBMISSION_MIN_PROBABILITY
from inpractice.coding.runs import current_run
from inpractice.intake.choices import (
    NEED_AREAS,
    ROUTE_LAS_AND_PROVIDERS,
    ROUTE_TRUSTS,
    NeedCode,
    OrganisationType,
    PublicationConsent,
    need_areas_for,
)
from inpractice.intake.choices import (
    Phase as SubmissionPhase,
)
from inpractice.intake.models import CallForEvidence, CoveredSchool, Submission, SubmissionStatus
from inpractice.schools.models import Phase as SchoolPhase
from inpractice.schools.models import Region
from inpractice.workspace import quote_privacy
from inpractice.workspace.carry import attach_quote_reviews, mentions_with_decisions

from . import national

PUBLIC = "public"
STAFF = "staff"
AUDIENCES = (PUBLIC, STAFF)

# Representativeness (docs/report.md, "Who the evidence speaks for"): a group is under- or
# over-represented only when the 95% confidence interval of its share of the evidence (Wilson
# score interval) lies wholly below or above its national share; otherwise it is in line. The
# national shares are counts of every open school or every EHC plan, so they carry no sampling
# error of their own.
Z_95 = 1.959963984540054

# Small groups: a breakdown figure from fewer than SMALL_GROUP submissions is not published (the
# count and the share are shown as SUPPRESSED), as the Code of Practice for Statistics asks of
# figures too small to be reliable or that could identify a respondent.
SMALL_GROUP = 5
SUPPRESSED = "[c]"
SUPPRESSED_NOTE = f"fewer than {SMALL_GROUP} submissions in the group: not shown"

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

Evidence = Callable[..., str]


class NotAnalysed(Exception):
    """The call has no succeeded analysis run, so there is nothing to report yet."""


# --------------------------------------------------------------------------- plain data


@dataclass
class Share:
    """One group (a region, a phase, a need) in the evidence against the national picture."""

    key: str
    label: str
    count: int
    share: float
    national_count: int
    national_share: float
    status: str
    # the 95% confidence interval of `share` (Wilson score interval), as fractions
    ci_low: float = 0.0
    ci_high: float = 0.0
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

    @property
    def difference_low(self) -> float:
        """The lower end of the 95% interval of the difference, in percentage points."""
        return (self.ci_low - self.national_share) * 100

    @property
    def difference_high(self) -> float:
        return (self.ci_high - self.national_share) * 100


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
    # counted in the snapshot but in no group here, e.g. schools whose URN is not in the register
    # and so have no region: shown as their own row so the table adds up to the snapshot
    not_known: int = 0
    not_known_label: str = ""

    @property
    def all_counted(self) -> int:
        return self.total + self.not_known

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
    def suppressed(self) -> bool:
        """Too few submissions in the group to publish its count or share (SMALL_GROUP)."""
        return self.total < SMALL_GROUP

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
    # submitted responses, analysed or not; every share is of the analysed (snapshot) instead
    received: int = 0
    # practice, enablers, barriers and impact per principle (barriers.BarrierFigures)
    barriers: Any = None

    @property
    def snapshot(self) -> dict[str, int]:
        return self.coverage.snapshot

    @property
    def top_principles(self) -> list[Principle]:
        return [p for p in self.principles if p.depth == 0]


# --------------------------------------------------------------------------- arithmetic


def share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def wilson_interval(count: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of the proportion count/total (95% by default); (0, 1) when
    there is nothing to estimate from. Unlike the normal approximation it stays inside [0, 1]
    and behaves for small counts and shares near 0 or 1."""
    if total <= 0:
        return 0.0, 1.0
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def status_for(count: int, total: int, national_share: float) -> str:
    """Not yet represented (none), under- or over-represented (the 95% interval of the group's
    share of the evidence lies wholly below or above its national share), else in line."""
    if national_share <= 0:
        return NO_COMPARISON
    if total <= 0 or count == 0:
        return NOT_REPRESENTED
    low, high = wilson_interval(count, total)
    if high < national_share:
        return UNDER_REPRESENTED
    if low > national_share:
        return OVER_REPRESENTED
    return IN_LINE


def compare(
    evidence: Mapping[str, int],
    national_counts: Mapping[str, int],
    labels: Iterable[tuple[str, str]],
    submissions: Mapping[str, int] | None = None,
    mainstream: Mapping[str, int] | None = None,
) -> list[Share]:
    """Rows of (key, label) in the given order, each with its share of the evidence and that
    share's 95% interval, its national share and whether it is represented, under- or
    over-represented.

    Shares are of the totals over *all* keys in `evidence` and `national_counts`, so a group
    the labels leave out still counts in the denominator.
    """
    total = sum(evidence.values())
    national_total = sum(national_counts.values())
    mainstream_total = sum(mainstream.values()) if mainstream else 0
    rows = []
    for key, label in labels:
        count = int(evidence.get(key, 0))
        s = share(count, total)
        n = int(national_counts.get(key, 0))
        ns = share(n, national_total)
        low, high = wilson_interval(count, total)
        rows.append(
            Share(
                key=key,
                label=label,
                count=count,
                share=s,
                national_count=n,
                national_share=ns,
                status=status_for(count, total, ns),
                ci_low=low,
                ci_high=high,
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


def signed_points(value: float) -> str:
    """A difference in percentage points with its sign: "+3.1", "−2.0" (a real minus sign)."""
    text = f"{abs(value):.1f}"
    if text == "0.0":
        return "0.0"
    return ("+" if value > 0 else "\u2212") + text


def gap_sentences(comparison: Comparison) -> list[str]:
    """The gaps in plain words, for the report and for targeting outreach."""
    sentences = []
    missing = comparison.not_represented
    if missing:
        sentences.append(
            f"Not yet represented ({comparison.title.lower()}): "
            f"{join_words([r.label for r in missing])}."
        )

    def gap(r: Share) -> str:
        return (
            f"{r.label} ({percent(r.share)} of {comparison.unit} against "
            f"{percent(r.national_share)} of {comparison.national_unit}, "
            f"{signed_points(r.difference)} points, 95% interval "
            f"{signed_points(r.difference_low)} to {signed_points(r.difference_high)})"
        )

    under = comparison.under_represented
    if under:
        sentences.append(
            f"Under-represented ({comparison.title.lower()}), below their national share "
            f"beyond the margin of error: {join_words([gap(r) for r in under])}."
        )
    over = comparison.over_represented
    if over:
        sentences.append(
            f"Over-represented ({comparison.title.lower()}), above their national share "
            f"beyond the margin of error: {join_words([gap(r) for r in over])}."
        )
    if not sentences and comparison.total:
        sentences.append(
            f"Every group ({comparison.title.lower()}) is in line with its national share "
            "within the margin of error."
        )
    return sentences


# --------------------------------------------------------------------------- reading the data


def _submitted(call: CallForEvidence):
    return Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED)


def _analysed(call: CallForEvidence, run: AnalysisRun):
    """The report's one denominator: submitted responses with results in the current run. A
    response that arrived (or was reopened) after the run is received but not analysed."""
    return _submitted(call).filter(analysis_results__run=run)


def _region_expression(prefix: str):
    # a school's own region, falling back to its local authority's when blank (as national.py)
    return Coalesce(
        NullIf(F(f"{prefix}school__region"), Value("")),
        NullIf(F(f"{prefix}school__local_authority__region"), Value("")),
    )


# One row of a grouped count: the dimension's groups a set of submissions belongs to (a
# submission naming two phases is in both), the codes the run applied to them, and how many
# submissions share both. Each dimension is counted by one GROUP BY in the database, whose
# result has a few hundred rows whatever the call's size: the groups' JSON lists are only split
# into keys here, on those few rows.
Counted = list[tuple[frozenset[str], frozenset[str], int]]

NEED_CODES = frozenset(NeedCode.values)


@dataclass
class _Facts:
    """What the figures need, read as aggregates (Count over grouped values), never row by row."""

    submissions: int  # the denominator: analysed submissions (received, for live coverage)
    received: int
    # dimension ("phase", "region", "org_type", "need" for areas of need, "need_code" for the
    # DfE codes named) -> grouped counts
    counted: dict[str, Counted]
    schools_by_region: Counter  # unique schools with a known region
    schools_by_phase: Counter  # unique schools with a known phase
    schools_total: int
    snapshot: dict[str, int]


def _codes(value: Any) -> frozenset[str]:
    return frozenset(str(v) for v in (value or []) if isinstance(v, str))


def _grouped(rows: Iterable[dict], keys: Callable[[Any], frozenset[str]]) -> Counted:
    merged: Counter = Counter()
    for row in rows:
        merged[(keys(row["group"]), _codes(row.get("codes")))] += row["n"]
    return [(k, codes, n) for (k, codes), n in merged.items()]


def _need_areas(codes: frozenset[str]) -> frozenset[str]:
    return frozenset(need_areas_for(sorted(codes))) or frozenset({NOT_STATED})


def _facts(call: CallForEvidence, run: AnalysisRun | None) -> _Facts:
    """Counted in the database. With a run: the analysed submissions and their codes; without
    (live coverage of an open call): every submitted response, with no codes."""
    received = _submitted(call)
    subs = _analysed(call, run) if run is not None else received
    if run is not None:
        # one result per submission in a run (a unique constraint), so COUNT(*) counts them
        base = SubmissionResult.objects.filter(run=run, submission__in=subs)
        prefix, extra = "submission__", ("codes",)
    else:
        base, prefix, extra = subs, "", ()

    def grouped(expression, keys: Callable[[Any], frozenset[str]], n=None) -> Counted:
        rows = base.values(*extra, group=expression).annotate(n=n or Count("pk")).order_by()
        return _grouped(rows, keys)

    need_codes = grouped(
        F(f"{prefix}need_codes"), lambda v: frozenset(c for c in _codes(v) if c in NEED_CODES)
    )
    counted = {
        "org_type": grouped(
            F(f"{prefix}organisation_type"), lambda v: frozenset({v or NOT_STATED})
        ),
        "phase": grouped(F(f"{prefix}phases"), lambda v: _codes(v) or frozenset({NOT_STATED})),
        # Regions of the schools each submission covers: "Not stated" when none is in the
        # register. COUNT(DISTINCT): a submission covering ten schools of a region counts once.
        "region": grouped(
            _region_expression(f"{prefix}covered_schools__"),
            lambda v: frozenset({v or NOT_STATED}),
            Count(f"{prefix}id" if prefix else "pk", distinct=True),
        ),
        "need": [(_need_areas(k), codes, n) for k, codes, n in need_codes],
        "need_code": need_codes,
    }

    # Unique schools: a URN counts once in all, and once in the region and phase the register
    # gives it; URNs with no region (not in the register) are counted as such, so the regions
    # add up to the unique total. One scan: the distinct (URN, route, in register, region,
    # phase) rows, at most a few per school in the register whatever the call's size.
    schools = (
        CoveredSchool.objects.filter(submission__in=subs)
        .values(
            "urn",
            "in_register",
            org=F("submission__organisation_type"),
            region=_region_expression(""),
            phase=Case(When(school__isnull=False, then=NullIf(F("school__phase"), Value("")))),
        )
        .distinct()
        .order_by()
    )
    urns: dict[str, set[int]] = defaultdict(set)
    region_of: dict[int, str] = {}
    phase_of: dict[int, str] = {}
    for row in schools:
        urn = row["urn"]
        urns["total"].add(urn)
        if row["org"] in ROUTE_TRUSTS:
            urns["trusts"].add(urn)
        elif row["org"] in ROUTE_LAS_AND_PROVIDERS:
            urns["las"].add(urn)
        else:
            urns["direct"].add(urn)
        if not row["in_register"]:
            urns["not_in_register"].add(urn)
        if row["region"]:
            region_of[urn] = row["region"]
        if row["phase"]:
            phase_of[urn] = row["phase"]
    schools_by_region = Counter(region_of.values())
    schools_by_phase = Counter(phase_of.values())
    submissions = sum(n for _k, _c, n in counted["org_type"])
    return _Facts(
        submissions=submissions,
        received=received.count() if run is not None else submissions,
        counted=counted,
        schools_by_region=schools_by_region,
        schools_by_phase=schools_by_phase,
        schools_total=len(urns["total"]),
        # As in the published report (ADR 3): a school named by several submissions counts
        # once in each figure, so the routes can add up to more than the total.
        snapshot={
            "submissions": submissions,
            "schools_via_trusts": len(urns["trusts"]),
            "schools_via_las_and_providers": len(urns["las"]),
            "schools_direct": len(urns["direct"]),
            "schools_total": len(urns["total"]),
            "schools_not_in_register": len(urns["not_in_register"]),
        },
    )


REGION_LABELS = [(r.value, r.label) for r in Region]
SCHOOL_PHASE_LABELS = [(p.value, p.label) for p in SchoolPhase]
NEED_LABELS = [(n.value, n.label) for n in NeedCode]
NEED_AREA_LABELS = [(key, label) for key, (label, _codes) in NEED_AREAS.items()]
NO_REGION_LABEL = "No region (URN not in the school register)"


def coverage_figures(call: CallForEvidence, evidence: Evidence | None = None) -> CoverageFigures:
    """Snapshot and representativeness of a call's received submissions: needs no analysis, so
    it works while the call is open."""
    return _coverage(call, _facts(call, None), evidence)


def _coverage(call: CallForEvidence, facts: _Facts, evidence: Evidence | None) -> CoverageFigures:
    link = evidence or (lambda **_: "")
    national_regions, national_phases = national.open_schools_by_region_and_phase()

    schools_by_region = facts.schools_by_region
    schools_by_phase = facts.schools_by_phase
    subs_by_region: Counter = Counter()
    for regions, _, n in facts.counted["region"]:
        for region in regions:
            subs_by_region[region] += n
    # Schools outside the register have no region or phase: they stay out of both sides' shares
    # and are shown as their own row, so the table adds up to the unique schools.
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

    need_counts: Counter = Counter()
    for codes_named, _, n in facts.counted["need_code"]:
        for code in codes_named:
            need_counts[code] += n
    area_counts: Counter = Counter()
    for areas, _, n in facts.counted["need"]:
        for area in areas - {NOT_STATED}:
            area_counts[area] += n
    all_plans = national.ehcp_primary_needs("all_ehc_plans")
    mainstream = national.ehcp_primary_needs("mainstream")
    need_rows = compare(need_counts, all_plans, NEED_LABELS, need_counts, mainstream)
    for row in need_rows:
        row.evidence = link(need=row.key)

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

    year = national.NATIONAL_NEEDS_YEAR
    with_region = sum(schools_by_region.values())
    with_phase = sum(schools_by_phase.values())
    return CoverageFigures(
        slug=call.slug,
        title=call.title,
        state=str(call.state()),
        generated_at=timezone.now(),
        snapshot=facts.snapshot,
        regions=Comparison(
            "region",
            "Regions",
            "schools represented",
            "open schools in England",
            national.REGISTER_SOURCE,
            with_region,
            sum(national_regions.values()),
            region_rows,
            note=(
                "Shares are of the schools with a region in the register."
                if facts.schools_total > with_region
                else ""
            ),
            not_known=facts.schools_total - with_region,
            not_known_label=NO_REGION_LABEL,
        ),
        phases=Comparison(
            "phase",
            "Phases",
            "schools represented",
            "open schools in England",
            national.REGISTER_SOURCE,
            with_phase,
            sum(national_phases.values()),
            phase_rows,
            note=(
                "Shares are of the schools with a phase in the register."
                if facts.schools_total > with_phase
                else ""
            ),
            not_known=facts.schools_total - with_phase,
            not_known_label="No phase (not in the school register, or none recorded)",
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
    totals: Mapping[str, int], counts: Mapping[str, int], labels: Mapping[str, str]
) -> list[BreakdownRow]:
    """For each group (in `labels` order, only groups with submissions): how many of its
    submissions evidence the principle (`counts`) of how many it holds (`totals`)."""
    return [
        BreakdownRow(key, label, int(counts.get(key, 0)), int(totals[key]))
        for key, label in labels.items()
        if totals.get(key)
    ]


def _attribution(org_type: str, phases: Iterable[str]) -> str:
    labels = _label_maps()
    who = labels["org_type"].get(org_type, "")
    if not who or org_type == NOT_STATED:
        who = "A respondent"
    phase_words = [labels["phase"][p].lower() for p in sorted(phases) if p in labels["phase"]]
    phase_words = [p for p in phase_words if p != NOT_STATED_LABEL.lower()]
    return f"{who}, {join_words(phase_words)}" if phase_words else who


def _principles(
    call: CallForEvidence,
    run: AnalysisRun,
    facts: _Facts,
    audience: str,
    link: Evidence,
) -> list[Principle]:
    total = facts.submissions
    labels = _label_maps()
    # Group sizes do not depend on the principle: a submission in several groups counts in each.
    totals: dict[str, Counter] = {dim: Counter() for dim in BREAKDOWN_TITLES}
    for dim in BREAKDOWN_TITLES:
        for keys, _, n in facts.counted[dim]:
            for key in keys:
                totals[dim][key] += n

    quotes_by_code: dict[str, list[Quote]] = defaultdict(list)
    # A decision on a quote is keyed by its words' span, so it holds in every run (ADR 15).
    for q in attach_quote_reviews(
        Quote.objects.filter(run=run, theme__isnull=True).order_by("code_id", "rank")
    ):
        quotes_by_code[q.code_id].append(q)
    quoted = {q.submission_id for qs in quotes_by_code.values() for q in qs}
    # Consent and attribution of the quoted submissions only (a few hundred at most), and only
    # those the report counts, so a quote never comes from a submission outside its figures.
    quoted_subs = {
        pk: (org or NOT_STATED, set(phases or []), consent or "")
        for pk, org, phases, consent in _analysed(call, run)
        .filter(pk__in=quoted)
        .values_list("pk", "organisation_type", "phases", "consent_publication")
    }

    principles = []
    coded = set(run.code_ids or [])
    for number, depth, code in _walk_codes(run.codebook):
        cid = code["id"]
        if coded and cid not in coded:
            continue  # a code the run did not apply (e.g. a sub-code): no figure to give
        counts: dict[str, Counter] = {dim: Counter() for dim in BREAKDOWN_TITLES}
        for dim in BREAKDOWN_TITLES:
            for keys, codes, n in facts.counted[dim]:
                if cid in codes:
                    for key in keys:
                        counts[dim][key] += n
        # every submission has exactly one organisation type, so this is each one once
        evidencing = sum(counts["org_type"].values())
        rows_by_dim = []
        for dim, title in BREAKDOWN_TITLES.items():
            rows = breakdown(totals[dim], counts[dim], labels[dim])
            for row in rows:
                row.evidence = link(code=cid, **{dim: row.key}) if row.key else ""
            rows_by_dim.append(Breakdown(dim, title, rows))
        quotes, status = _quotes(quotes_by_code.get(cid, []), quoted_subs, audience, link)
        principles.append(
            Principle(
                code_id=cid,
                number=number,
                name=code.get("name", cid),
                description=code.get("description", ""),
                depth=depth,
                count=evidencing,
                share=share(evidencing, total),
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
    quotes: list[Quote],
    submissions: Mapping[int, tuple[str, set[str], str]],
    audience: str,
    link: Evidence,
) -> tuple[list[QuoteFigure], QuoteStatus]:
    status = QuoteStatus(proposed=len(quotes))
    shown = []
    for q in quotes:
        review = _review_status(q)
        if review == "approved":
            status.approved += 1
            org_type, phases, consent = submissions.get(q.submission_id, ("", set(), ""))
            if consent not in PUBLISHABLE:
                status.held_back += 1
                continue
            # The privacy check (ADR 23): the redacted words where a lead redacted the quote,
            # and never a quote with an unresolved finding, whatever an edition's guard said.
            words = quote_privacy.publishable_words(q)
            if words is None:
                status.personal_data += 1
                continue
            if len(shown) < QUOTES_PER_PRINCIPLE:
                shown.append(
                    QuoteFigure(
                        text=words,
                        attribution=_attribution(org_type, phases),
                        evidence=link(code=q.code_id) if audience == STAFF else "",
                    )
                )
        elif review == "rejected":
            status.rejected += 1
        else:
            status.awaiting += 1
    return shown, status


OR_LIMIT = 100  # (name, decision) pairs matched in one query


def _citations(run: AnalysisRun, total_submissions: int, audience: str, link: Evidence):
    mentions = mentions_with_decisions(run)
    identity = ("mention_id", "name", "kind", "known", "decision_status", "decision_name")
    # Counted in the database: one row per distinct (name, decision) with its occurrences and
    # submissions, a few hundred rows for a call of any size.
    rows = (
        mentions.values(*identity)
        .annotate(
            occurrences=Count("pk"),
            submissions=Count("submission_id", distinct=True),
            first=Min("pk"),
        )
        .order_by("first")
    )
    groups: dict[str, dict[str, Any]] = {}
    rejected = 0
    # Decisions are keyed by the mention's normalised name (and words), so they hold in every run.
    for m in rows:
        if m["decision_status"] == "rejected":
            rejected += m["occurrences"]
            continue
        reviewed = bool(m["decision_status"])
        decided = (m["decision_name"] or "").strip()
        name = (decided if reviewed and decided else m["name"]).strip()
        key = " ".join(name.casefold().split())
        group = groups.setdefault(
            key,
            {
                "name": name,
                "kind": m["kind"],
                "known": m["known"],
                "reviewed": reviewed,
                "mention_id": m["mention_id"],
                "rows": [],
                "submissions": 0,
                "occurrences": 0,
            },
        )
        group["known"] = group["known"] or m["known"]
        group["reviewed"] = group["reviewed"] or reviewed
        group["rows"].append({k: m[k] for k in identity})
        group["submissions"] += m["submissions"]
        group["occurrences"] += m["occurrences"]

    def matching(group_rows: list[dict]) -> Q:
        found = Q(pk__in=[])
        for row in group_rows:
            found |= Q(**{k: v for k, v in row.items() if v is not None}) & Q(
                **{f"{k}__isnull": True for k, v in row.items() if v is None}
            )
        return found

    def distinct_submissions(group_rows: list[dict]) -> int:
        if len(group_rows) <= OR_LIMIT:
            return mentions.filter(matching(group_rows)).aggregate(
                n=Count("submission_id", distinct=True)
            )["n"]
        # A long OR would pass SQLite's expression depth limit: take the ids in chunks.
        ids: set[int] = set()
        for i in range(0, len(group_rows), OR_LIMIT):
            chunk = matching(group_rows[i : i + OR_LIMIT])
            ids.update(mentions.filter(chunk).values_list("submission_id", flat=True).distinct())
        return len(ids)

    frameworks, services, statutory, unreviewed = [], [], [], []
    framework_rows: list[dict] = []
    for key, g in groups.items():
        if len(g["rows"]) > 1:
            # Several names or decisions merged under one name: a submission naming two of
            # them counts once, so count its submissions again across all of them.
            g["submissions"] = distinct_submissions(g["rows"])
        item = Cited(
            key=key,
            name=g["name"],
            kind=g["kind"] or "unknown",
            submissions=g["submissions"],
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
            framework_rows += g["rows"]

    def order(items: list[Cited]) -> list[Cited]:
        return sorted(items, key=lambda c: (-c.submissions, -c.occurrences, c.name.casefold()))

    return Citations(
        total_submissions=total_submissions,
        submissions_citing=distinct_submissions(framework_rows) if framework_rows else 0,
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
    facts = _facts(call, run)
    coverage = _coverage(call, facts, link)
    principles = _principles(call, run, facts, audience, link)
    notes = []
    if facts.received != facts.submissions and audience == STAFF:
        # The public read the denominator once, under the snapshot; staff also learn what to do.
        late = facts.received - facts.submissions
        notes.append(
            f"{late:,} received submission{'s are' if late != 1 else ' is'} not in the current "
            "analysis run, so in no figure here. Run the analysis again and promote the new "
            "run to include them."
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
        citations=_citations(run, facts.submissions, audience, link),
        themes=_themes(run, audience, link),
        method=_method(run, call, audience),
        notes=notes,
        received=facts.received,
        barriers=_barrier_figures(call, run, facts.submissions, audience, link),
    )


def _barrier_figures(call, run, analysed: int, audience: str, link: Evidence):
    from .barriers import barrier_figures  # barriers builds on this module's helpers

    return barrier_figures(call, run, analysed, audience, link)


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
        "rows": [
            {
                **asdict(r),
                "status_label": r.status_label,
                "difference_points": r.difference,
                "difference_points_95_interval": [r.difference_low, r.difference_high],
            }
            for r in c.rows
        ],
        "not_known": {"label": c.not_known_label, "count": c.not_known} if c.not_known else None,
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
            "denominator": {
                "analysed_submissions": f.snapshot.get("submissions", 0),
                "received_submissions": f.received,
                "note": "Every share is of the analysed submissions.",
            },
            "rules": {
                "small_groups": (
                    f"Breakdown figures from fewer than {SMALL_GROUP} submissions are "
                    "suppressed (null, with suppressed: true)."
                ),
                "representativeness": (
                    "Under- or over-represented only when the 95% Wilson score interval of "
                    "the share lies wholly below or above the national share."
                ),
            },
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
                                "submissions": None if r.suppressed else r.count,
                                "of": r.total,
                                "share": None if r.suppressed else r.share,
                                "suppressed": r.suppressed,
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
            "stances": _barriers_open_data(f.barriers),
        }
    )


def _barriers_open_data(barriers: Any) -> dict[str, Any] | None:
    from .barriers import open_data as barriers_open_data

    return barriers_open_data(barriers)


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
    "share_ci_low",
    "share_ci_high",
    "note",
)


def open_data_rows(figures: ReportFigures) -> Iterable[dict[str, Any]]:
    """The same aggregates as one long table (one figure a row) for spreadsheets."""
    f = figures
    if f.audience != PUBLIC:
        raise ValueError("open data is built from the public figures only")
    for key, value in f.snapshot.items():
        yield {"section": "snapshot", "measure": key, "count": value}
    yield {"section": "snapshot", "measure": "principles", "count": f.principle_count}
    yield {
        "section": "snapshot",
        "measure": "submissions received",
        "count": f.received,
        "note": "every share is of the analysed submissions (measure: submissions)",
    }
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
                    "count": SUPPRESSED if r.suppressed else r.count,
                    "of": r.total,
                    "share": SUPPRESSED if r.suppressed else round(r.share, 6),
                    "note": SUPPRESSED_NOTE if r.suppressed else "",
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
                "share_ci_low": round(r.ci_low, 6),
                "share_ci_high": round(r.ci_high, 6),
            }
        if c.not_known:
            yield {
                "section": "representativeness",
                "group": c.title,
                "measure": c.unit,
                "label": c.not_known_label,
                "count": c.not_known,
                "of": c.all_counted,
                "note": "not in any group, so not in the shares",
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
