"""The report's figures on practice, enablers, barriers and impact: what submissions said.

Each coded passage of a run carries a stance (analysis/stance.py: practice, enabler, barrier or
impact). For each principle this module counts, **in the database** (one GROUP BY over the run's
applied codes joined to their passages, COUNT DISTINCT submissions; a few dozen rows back whatever
the call's size), how many analysed submissions have at least one passage coded to the principle
with each stance, and how many discussed the principle at all (any coded passage with a stance).

Rules, the same as the rest of the report (docs/report.md, ADR 0021):

* one denominator for "share of analysed submissions" (submitted, with results in the current
  run); the sentences read a share of the submissions that *discussed* the principle, and say so;
* a count from fewer than SMALL_GROUP submissions (other than none) is suppressed (`[c]`), and a
  principle discussed by fewer than SMALL_GROUP submissions shows no figures and no sentence;
* examples are **approved quotes only**, through the same checks as the principles' quotes
  (`figures._quotes`: a person approved the span, the submitter consented to publication, the
  personal-data check finds nothing), chosen where the quote's passage has the stance; with none
  approved, the counts stand without examples;
* staff get a link from each count to the passages behind it (the workspace's evidence page,
  filtered by code and stance); the public never do;
* a run made before stances were classified has none: the section says so instead of guessing.

`stance_sentence` words the counts, using "most" only for more than half, "half" for exactly
half, and "a minority" for less than half, so a sentence never says more than its figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from inpractice.analysis.stance import (
    BARRIER,
    ENABLER,
    IMPACT,
    PRACTICE,
    STANCES,
    shipped_manifest,
    stance_in_words,
)
from inpractice.coding.models import AnalysisRun, CodeApplication, Passage, Quote
from inpractice.intake.models import CallForEvidence
from inpractice.workspace.carry import attach_quote_reviews

from .figures import (
    SMALL_GROUP,
    STAFF,
    Evidence,
    QuoteFigure,
    QuoteStatus,
    _analysed,
    _quotes,
    _walk_codes,
    share,
)

# How each stance reads in a sentence ("… that discussed X described practice").
VERBS = {
    PRACTICE: "described practice",
    ENABLER: "named an enabler (something that made inclusive practice possible)",
    BARRIER: "named a barrier",
    IMPACT: "reported an impact",
}
SHORT_VERBS = {
    PRACTICE: "described practice",
    ENABLER: "named an enabler",
    BARRIER: "named a barrier",
    IMPACT: "reported an impact",
}
HEADINGS = {
    PRACTICE: "Describe practice",
    ENABLER: "Name an enabler",
    BARRIER: "Name a barrier",
    IMPACT: "Report an impact",
}
EXAMPLE_STANCES = (BARRIER, ENABLER)


@dataclass
class StanceCount:
    stance: str
    heading: str
    count: int  # analysed submissions with a passage coded to the principle with this stance
    analysed: int  # the report's denominator
    discussing: int  # analysed submissions with any stance-bearing passage coded to the principle
    evidence: str = ""

    @property
    def suppressed(self) -> bool:
        return 0 < self.count < SMALL_GROUP or 0 < self.discussing < SMALL_GROUP

    @property
    def share(self) -> float:
        """Share of the analysed submissions."""
        return share(self.count, self.analysed)

    @property
    def share_of_discussing(self) -> float:
        return share(self.count, self.discussing)


@dataclass
class PrincipleStances:
    code_id: str
    number: str
    name: str
    discussing: int
    counts: list[StanceCount]
    examples: dict[str, list[QuoteFigure]] = field(default_factory=dict)
    quote_status: dict[str, QuoteStatus] = field(default_factory=dict)
    sentence: str = ""
    evidence: str = ""

    @property
    def suppressed(self) -> bool:
        return 0 < self.discussing < SMALL_GROUP

    @property
    def barrier_examples(self) -> list[QuoteFigure]:
        return self.examples.get(BARRIER, [])

    @property
    def enabler_examples(self) -> list[QuoteFigure]:
        return self.examples.get(ENABLER, [])

    def count_of(self, stance: str) -> StanceCount:
        return next(c for c in self.counts if c.stance == stance)


@dataclass
class BarrierFigures:
    classified: bool  # False: the run predates stance classification; no figures
    model: str  # what classified the stances, in words
    analysed: int
    principles: list[PrincipleStances]
    note: str = ""
    measured: dict = field(default_factory=dict)  # the shipped model's held-out figures


def _percent_for_words(count: int, whole: int) -> str:
    """A percentage that never contradicts the word beside it: 50.2% is not shown as "50%"
    next to "most", nor 49.8% next to "a minority"."""
    value = 100 * count / whole
    for places in (0, 1, 2):
        text = f"{value:.{places}f}"
        if float(text) != 50 or 2 * count == whole:
            return f"{text}%"
    return f"{value:.3f}%"


def stance_sentence(name: str, discussing: int, counts: dict[str, int]) -> str:
    """Word the counts of one principle honestly, or say why there is no sentence.

    `counts[stance]` is how many of the `discussing` submissions have a passage with that stance
    (a submission can have several, so they need not add up to `discussing`). "Most" only for
    more than half, "half" for exactly half, "a minority" for fewer than half; a count from
    fewer than SMALL_GROUP submissions is never put in words as a number.
    """
    if discussing == 0:
        return f"No analysed submission discussed {name}."
    if discussing < SMALL_GROUP:
        return f"Fewer than {SMALL_GROUP} submissions discussed {name}: no figures are given."
    ordered = sorted(STANCES, key=lambda s: (-counts.get(s, 0), STANCES.index(s)))
    top = ordered[0]
    n = counts.get(top, 0)
    if n == 0:
        return f"No submission that discussed {name} had a passage with a stance."
    pct = _percent_for_words(n, discussing)
    if 2 * n > discussing:
        first = f"Most submissions that discussed {name} ({pct}) {VERBS[top]}"
    elif 2 * n == discussing:
        first = f"Half of the submissions that discussed {name} ({pct}) {VERBS[top]}"
    else:
        first = (
            f"No single stance was taken by most submissions that discussed {name}: the most "
            f"common, {pct}, {SHORT_VERBS[top]}"
        )
    # The second clause: what got in the way, unless that was the first; then practice.
    other = BARRIER if top != BARRIER else PRACTICE
    m = counts.get(other, 0)
    if m == 0:
        second = f"none {SHORT_VERBS[other]}"
    elif m < SMALL_GROUP:
        second = f"fewer than {SMALL_GROUP} {SHORT_VERBS[other]}"
    else:
        other_pct = _percent_for_words(m, discussing)
        if 2 * m > discussing:
            second = f"most ({other_pct}) also {SHORT_VERBS[other]}"
        elif 2 * m == discussing:
            second = f"half ({other_pct}) {SHORT_VERBS[other]}"
        else:
            second = f"a minority ({other_pct}) {SHORT_VERBS[other]}"
    return f"{first}; {second}."


def _counts(call: CallForEvidence, run: AnalysisRun) -> tuple[dict, dict]:
    """({(code, stance): submissions}, {code: submissions discussing it}), counted in SQL: two
    GROUP BY queries with COUNT(DISTINCT submission) over the run's applied codes. About 1 s
    together for 10,000 submissions (110,000 passages) on PostgreSQL on a busy 2-core machine;
    counting distinct triples first was no faster (the planner sorts either way)."""
    applied = CodeApplication.objects.filter(
        run=run,
        applied=True,
        passage__stance__in=STANCES,
        passage__submission__in=_analysed(call, run).values("pk"),
    )
    by_stance = {
        (row["code_id"], row["passage__stance"]): row["n"]
        for row in applied.values("code_id", "passage__stance")
        .order_by()
        .annotate(n=Count("passage__submission_id", distinct=True))
    }
    discussing = {
        row["code_id"]: row["n"]
        for row in applied.values("code_id")
        .order_by()
        .annotate(n=Count("passage__submission_id", distinct=True))
    }
    return by_stance, discussing


def _stance_of_quotes(run: AnalysisRun, quotes: list[Quote]) -> dict[int, str]:
    """{quote pk: stance of the passage that holds most of its words} for a few quotes."""
    if not quotes:
        return {}
    spans: dict[tuple[int, str], list[tuple[int, int, str]]] = defaultdict(list)
    for p in Passage.objects.filter(
        run=run,
        submission_id__in={q.submission_id for q in quotes},
        stance__in=STANCES,
    ).values_list("submission_id", "field", "start", "end", "stance"):
        spans[(p[0], p[1])].append((p[2], p[3], p[4]))
    out = {}
    for q in quotes:
        best, overlap = "", 0
        for start, end, stance in spans.get((q.submission_id, q.field), ()):
            shared = min(end, q.end) - max(start, q.start)
            if shared > overlap:
                best, overlap = stance, shared
        if best:
            out[q.pk] = best
    return out


def barrier_figures(
    call: CallForEvidence,
    run: AnalysisRun,
    analysed: int,
    audience: str,
    link: Evidence,
) -> BarrierFigures:
    """The section's figures from the call's current run (`analysed`: the report's denominator)."""
    about = (run.parameters or {}).get("stance")
    if not about:
        return BarrierFigures(
            classified=False,
            model=stance_in_words(None),
            analysed=analysed,
            principles=[],
            note=(
                "The analysis run behind this report was made before passages were classified "
                "as practice, enablers, barriers or impact, so this section has no figures. "
                + (
                    "Run the analysis again and promote the new run to see them."
                    if audience == STAFF
                    else ""
                )
            ).strip(),
        )
    by_stance, discussing = _counts(call, run)

    quotes = attach_quote_reviews(
        Quote.objects.filter(run=run, theme__isnull=True).order_by("code_id", "rank")
    )
    approved = [q for q in quotes if getattr(q.review, "status", "") == "approved"]
    stance_of = _stance_of_quotes(run, approved)
    quoted = {q.submission_id for q in approved}
    quoted_subs = {
        pk: (org or "", set(phases or []), consent or "")
        for pk, org, phases, consent in _analysed(call, run)
        .filter(pk__in=quoted)
        .values_list("pk", "organisation_type", "phases", "consent_publication")
    }
    examples_for: dict[tuple[str, str], list[Quote]] = defaultdict(list)
    for q in approved:
        if stance_of.get(q.pk) in EXAMPLE_STANCES:
            examples_for[(q.code_id, stance_of[q.pk])].append(q)

    coded = set(run.code_ids or [])
    principles = []
    for number, _depth, code in _walk_codes(run.codebook or {}):
        cid = code["id"]
        if coded and cid not in coded:
            continue
        total = discussing.get(cid, 0)
        counts = [
            StanceCount(
                stance=s,
                heading=HEADINGS[s],
                count=by_stance.get((cid, s), 0),
                analysed=analysed,
                discussing=total,
                evidence=link(code=cid, stance=s),
            )
            for s in STANCES
        ]
        examples, statuses = {}, {}
        for s in EXAMPLE_STANCES:
            shown, status = _quotes(examples_for.get((cid, s), []), quoted_subs, audience, link)
            if audience == STAFF:
                for q in shown:
                    q.evidence = link(code=cid, stance=s)
            examples[s], statuses[s] = shown, status
        name = code.get("name", cid)
        principles.append(
            PrincipleStances(
                code_id=cid,
                number=number,
                name=name,
                discussing=total,
                counts=counts,
                examples=examples,
                quote_status=statuses,
                sentence=stance_sentence(name, total, {c.stance: c.count for c in counts}),
                evidence=link(code=cid),
            )
        )
    manifest = shipped_manifest() or {}
    measured = (
        manifest.get("heldout_figures") or {}
        if manifest.get("training", {}).get("sha256") == (about.get("training") or {}).get("sha256")
        else {}
    )
    return BarrierFigures(
        classified=True,
        model=stance_in_words(about),
        analysed=analysed,
        principles=principles,
        measured=measured,
    )


def open_data(figures: BarrierFigures | None) -> dict | None:
    """The section's counts for the open data (public figures only: no quotes, no links)."""
    if figures is None:
        return None
    if not figures.classified:
        return {"classified": False, "note": figures.note}
    return {
        "classified": True,
        "model": figures.model,
        "note": (
            "Submissions with at least one passage coded to the principle with each stance; a "
            "submission can have several stances. Counts from fewer than "
            f"{SMALL_GROUP} submissions are suppressed (null, suppressed: true)."
        ),
        "principles": [
            {
                "number": p.number,
                "code_id": p.code_id,
                "name": p.name,
                "submissions_discussing": None if p.suppressed else p.discussing,
                "stances": {
                    c.stance: {
                        "submissions": None if c.suppressed else c.count,
                        "share_of_analysed": None if c.suppressed else round(c.share, 6),
                        "share_of_discussing": (
                            None if c.suppressed else round(c.share_of_discussing, 6)
                        ),
                        "suppressed": c.suppressed,
                    }
                    for c in p.counts
                },
            }
            for p in figures.principles
        ],
    }
