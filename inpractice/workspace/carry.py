"""Review that outlives runs: people's decisions found again in every analysis run.

An analysis run makes new rows for everything (passages, themes, mentions, quotes), so a decision
tied to one run's row would be lost when the analysis runs again. Decisions are keyed instead by
what a new run finds again:

- **quotes** by their words' source span (submission, field, start, end): a run's quote of the
  same words shows the same decision (`attach_quote_reviews`, `quote_review_status`);
- **mentions** by the call and the normalised name (`coding.models.mention_key`), and for a
  decision on one mention also its span (`mentions_with_decisions`);
- **theme sign-offs** are carried forward, when a lead promotes a run, to the new run's theme whose
  passages overlap most (`match_themes`: Jaccard over the passages' (submission, field, start,
  end), one new theme per old one). Below `CARRY_MIN` nothing is carried; a carried review whose
  passages differ at all is flagged *changed since sign-off*, and a *weak match* below
  `STRONG_MATCH`.

No review row is deleted when the analysis runs again or a run is promoted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from django.db.models import CharField, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from inpractice.coding.models import AnalysisRun, Mention, Passage, Quote, mention_key
from inpractice.coding.runs import run_promoted

from .events import record
from .models import MentionReview, QuoteReview, ThemeReview

# Jaccard overlap of passages: below CARRY_MIN two themes are not the same theme; below
# STRONG_MATCH a carried sign-off is flagged as a weak match, for a person to look at again.
CARRY_MIN = 0.3
STRONG_MATCH = 0.8


# -- quotes, by span ----------------------------------------------------------------------------


def span_of(quote) -> tuple[int, str, int, int]:
    return (quote.submission_id, quote.field, quote.start, quote.end)


def quote_reviews(quotes) -> dict[tuple, QuoteReview]:
    """The decisions on these quotes' spans, by span."""
    quotes = list(quotes)
    submissions = {q.submission_id for q in quotes}
    if not submissions:
        return {}
    spans = {span_of(q) for q in quotes}
    return {
        r.span: r
        for r in QuoteReview.objects.filter(submission_id__in=submissions).select_related(
            "reviewed_by"
        )
        if r.span in spans
    }


def attach_quote_reviews(quotes) -> list:
    """The quotes, each with `review`: the decision on its span, or None."""
    quotes = list(quotes)
    found = quote_reviews(quotes)
    for q in quotes:
        q.review = found.get(span_of(q))
    return quotes


def quote_review_status():
    """A subquery for a Quote queryset's annotation: the status of the decision on its span."""
    return Subquery(
        QuoteReview.objects.filter(
            submission_id=OuterRef("submission_id"),
            field=OuterRef("field"),
            start=OuterRef("start"),
            end=OuterRef("end"),
        ).values("status")[:1]
    )


# -- mentions, by normalised name (and span) ----------------------------------------------------


def key_of(mention: Mention) -> str:
    return mention.name_key or mention_key(mention.name)


def _place(call_id: int, column: str):
    return Subquery(
        MentionReview.objects.filter(
            call_id=call_id,
            key=OuterRef("name_key"),
            submission_id=OuterRef("submission_id"),
            field=OuterRef("field"),
            start=OuterRef("start"),
            end=OuterRef("end"),
        ).values(column)[:1]
    )


def _name(call_id: int, column: str):
    return Subquery(
        MentionReview.objects.filter(
            call_id=call_id, key=OuterRef("name_key"), submission__isnull=True
        ).values(column)[:1]
    )


def mentions_with_decisions(run: AnalysisRun):
    """The run's mentions with `decision_status` ("" when nobody decided), `decision_name`
    (None when nobody decided) and `place_review` (the id of a decision on that very mention):
    a decision on the mention's own words wins over one on its name.

    The look-ups are correlated subqueries on an index of (call, key); a kind of decision the
    call has none of is left out of the query altogether.
    """
    call_id = run.call_id
    decided = MentionReview.objects.filter(call_id=call_id)
    on_places = decided.filter(submission__isnull=False).exists()
    on_names = decided.filter(submission__isnull=True).exists()
    nothing = Value(None, output_field=CharField())

    def lookup(column: str):
        found = [f(call_id, column) for f, used in ((_place, on_places), (_name, on_names)) if used]
        return Coalesce(*found, nothing) if found else nothing

    return Mention.objects.filter(run=run).annotate(
        decision_status=Coalesce(lookup("status"), Value("")),
        decision_name=lookup("name"),
        place_review=_place(call_id, "pk") if on_places else Value(None, IntegerField()),
    )


def mention_decision(mention: Mention) -> MentionReview | None:
    """The decision that applies to one mention: on its words, else on its name."""
    reviews = MentionReview.objects.filter(call_id=mention.run.call_id, key=key_of(mention))
    place = reviews.filter(
        submission_id=mention.submission_id,
        field=mention.field,
        start=mention.start,
        end=mention.end,
    ).first()
    return place or reviews.filter(submission__isnull=True).first()


# -- themes, by overlap -------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeMatch:
    """Where an old theme went: the new theme (None: nowhere) and how well they match."""

    old: int
    new: int | None
    jaccard: float

    @property
    def changed(self) -> bool:
        return self.new is not None and self.jaccard < 1.0

    @property
    def weak(self) -> bool:
        return self.new is not None and self.jaccard < STRONG_MATCH


def match_by_overlap(
    old_sizes: dict[int, int],
    new_sizes: dict[int, int],
    overlaps: dict[tuple[int, int], int],
    carry_min: float = CARRY_MIN,
) -> dict[int, ThemeMatch]:
    """Match old themes to new ones, one to one, best overlap first.

    `overlaps[(old, new)]` counts the passages the two share; the Jaccard index is that over the
    size of their union. A pair under `carry_min` is no match. Ties go to the lower ids, so the
    result does not depend on dictionary order.
    """
    pairs = []
    for (o, n), shared in overlaps.items():
        union = old_sizes[o] + new_sizes[n] - shared
        j = shared / union if union else 0.0
        if j >= carry_min:
            pairs.append((-j, o, n))
    pairs.sort()
    out: dict[int, ThemeMatch] = {}
    taken: set[int] = set()
    for neg, o, n in pairs:
        if o in out or n in taken:
            continue
        out[o] = ThemeMatch(o, n, round(-neg, 4))
        taken.add(n)
    for o in old_sizes:
        out.setdefault(o, ThemeMatch(o, None, 0.0))
    return out


def match_themes(
    old: dict[int, set], new: dict[int, set], carry_min: float = CARRY_MIN
) -> dict[int, ThemeMatch]:
    """`match_by_overlap` for themes given as sets of members (any hashable keys)."""
    owner = {m: n for n, members in new.items() for m in members}
    overlaps: Counter = Counter()
    for o, members in old.items():
        for m in members:
            if m in owner:
                overlaps[(o, owner[m])] += 1
    return match_by_overlap(
        {o: len(v) for o, v in old.items()},
        {n: len(v) for n, v in new.items()},
        overlaps,
        carry_min,
    )


def theme_matches(old_run: AnalysisRun, new_run: AnalysisRun, theme_ids) -> dict[int, ThemeMatch]:
    """Match these themes of `old_run` to `new_run`'s themes by their passages' places.

    Only the given themes' passages are held in memory; the new run's are streamed.
    """
    theme_ids = set(theme_ids)
    if not theme_ids:
        return {}
    where: dict[tuple, int] = {}
    old_sizes: Counter = Counter(dict.fromkeys(theme_ids, 0))
    rows = Passage.objects.filter(run=old_run, theme_id__in=theme_ids).values_list(
        "theme_id", "submission_id", "field", "start", "end"
    )
    for theme_id, *place in rows.iterator(chunk_size=5000):
        where[tuple(place)] = theme_id
        old_sizes[theme_id] += 1
    new_sizes: Counter = Counter()
    overlaps: Counter = Counter()
    rows = Passage.objects.filter(run=new_run, theme__isnull=False).values_list(
        "theme_id", "submission_id", "field", "start", "end"
    )
    for theme_id, *place in rows.iterator(chunk_size=5000):
        new_sizes[theme_id] += 1
        old = where.get(tuple(place))
        if old is not None:
            overlaps[(old, theme_id)] += 1
    return match_by_overlap(old_sizes, new_sizes, overlaps)


def _reviewed_themes(run: AnalysisRun) -> tuple[list[ThemeReview], set[int]]:
    """The run's theme reviews, and the themes to match (reviewed ones and merge targets)."""
    reviews = list(
        ThemeReview.objects.filter(theme__run=run).select_related("theme").order_by("theme_id")
    )
    ids = {r.theme_id for r in reviews} | {r.merged_into_id for r in reviews if r.merged_into_id}
    return reviews, ids


@dataclass
class ThemeCarry:
    """What happens (or would happen) to the theme sign-offs of one run on another."""

    reviewed: int = 0
    unchanged: int = 0  # carried, exactly the same passages
    changed: int = 0  # carried, strong match but not the same passages
    weak: int = 0  # carried, weak match
    not_found: int = 0  # no matching theme: not carried
    already_decided: int = 0  # the matching theme has its own decision already
    carried: list = field(default_factory=list)  # (old theme, new theme, jaccard)

    @property
    def carried_count(self) -> int:
        return self.unchanged + self.changed + self.weak

    def as_dict(self) -> dict:
        out = asdict(self)
        out["carried"] = [list(row) for row in self.carried]
        return out


def _theme_plan(old_run: AnalysisRun, new_run: AnalysisRun):
    reviews, ids = _reviewed_themes(old_run)
    matches = theme_matches(old_run, new_run, ids)
    decided = set(ThemeReview.objects.filter(theme__run=new_run).values_list("theme_id", flat=True))
    plan, summary = [], ThemeCarry(reviewed=len(reviews))
    # Merges last, so the theme they were merged into is placed first.
    for r in sorted(reviews, key=lambda r: (r.status == ThemeReview.Status.MERGED, r.theme_id)):
        m = matches.get(r.theme_id)
        target = None
        if r.status == ThemeReview.Status.MERGED and r.merged_into_id:
            merged = matches.get(r.merged_into_id)
            target = merged.new if merged else None
        if m is None or m.new is None or (r.status == ThemeReview.Status.MERGED and not target):
            summary.not_found += 1
            continue
        if m.new in decided:
            summary.already_decided += 1
            continue
        if m.weak:
            summary.weak += 1
        elif m.changed:
            summary.changed += 1
        else:
            summary.unchanged += 1
        summary.carried.append((r.theme_id, m.new, m.jaccard))
        plan.append((r, m, target))
    return plan, summary


def preview_theme_carry(old_run: AnalysisRun, new_run: AnalysisRun) -> ThemeCarry:
    """What promoting `new_run` would do to `old_run`'s theme sign-offs (nothing is saved)."""
    return _theme_plan(old_run, new_run)[1]


def carry_theme_reviews(old_run: AnalysisRun, new_run: AnalysisRun, user) -> ThemeCarry:
    """Copy each theme decision of `old_run` onto its matching theme of `new_run` (one
    `theme.carry` event each). The old reviews stay; themes of the new run that already have a
    decision keep it. Call inside a transaction."""
    from .decisions import theme_review_state

    plan, summary = _theme_plan(old_run, new_run)
    for review, match, target in plan:
        made = ThemeReview.objects.create(
            theme_id=match.new,
            status=review.status,
            label=review.label,
            merged_into_id=target,
            promoted_code_id=review.promoted_code_id,
            reviewed_by=review.reviewed_by,
            carried_from=review,
            match=match.jaccard,
            changed=match.changed,
        )
        record(
            new_run.call,
            user,
            "theme.carry",
            f"theme:{match.new}",
            before={"theme": review.theme_id, "review": theme_review_state(review)},
            after={
                "theme": match.new,
                "review": theme_review_state(made),
                "match": match.jaccard,
                "changed": match.changed,
                "weak": match.weak,
            },
        )
    return summary


# -- what a new run keeps of people's decisions -------------------------------------------------


def _quote_spans(run: AnalysisRun) -> set[tuple]:
    return set(Quote.objects.filter(run=run).values_list("submission_id", "field", "start", "end"))


def review_changes(current: AnalysisRun, candidate: AnalysisRun) -> dict:
    """What people decided on `current` that `candidate` would show, and what it would lose."""
    now, then = _quote_spans(current), _quote_spans(candidate)
    decided = {r.span: r.status for r in QuoteReview.objects.filter(call_id=current.call_id)}
    on_current = {s: st for s, st in decided.items() if s in now}
    approved = {s for s, st in on_current.items() if st == QuoteReview.Status.APPROVED}
    quotes = {
        "decided": len(on_current),
        "found": sum(s in then for s in on_current),
        "missing": sum(s not in then for s in on_current),
        "approved": len(approved),
        "approved_found": len(approved & then),
        "approved_missing": len(approved - then),
        "undecided_new": len({s for s in then if s not in decided}),
    }
    name_keys = set(
        MentionReview.objects.filter(call_id=current.call_id, submission__isnull=True).values_list(
            "key", flat=True
        )
    )
    found_keys = set(
        Mention.objects.filter(run=candidate, name_key__in=name_keys)
        .values_list("name_key", flat=True)
        .distinct()
    )
    places = MentionReview.objects.filter(
        call_id=current.call_id, submission__isnull=False
    ).annotate(
        found=Exists(
            Mention.objects.filter(
                run=candidate,
                name_key=OuterRef("key"),
                submission_id=OuterRef("submission_id"),
                field=OuterRef("field"),
                start=OuterRef("start"),
                end=OuterRef("end"),
            )
        )
    )
    place_found = places.filter(found=True).count()
    place_total = places.count()
    mentions = {
        "names": len(name_keys),
        "names_found": len(found_keys),
        "names_missing": len(name_keys - found_keys),
        "places": place_total,
        "places_found": place_found,
        "places_missing": place_total - place_found,
    }
    return {
        "themes": preview_theme_carry(current, candidate),
        "quotes": quotes,
        "mentions": mentions,
    }


# -- promotion ----------------------------------------------------------------------------------


def _on_promotion(sender, promotion, previous, **kwargs) -> None:
    """A run was made current: carry theme sign-offs onto it and record a `run.promote` event,
    in the promotion's transaction."""
    summary = (
        carry_theme_reviews(previous, promotion.run, promotion.promoted_by)
        if previous is not None
        else ThemeCarry()
    )
    record(
        promotion.call,
        promotion.promoted_by,
        "run.promote",
        f"run:{promotion.run_id}",
        before={"run": previous.pk if previous else None},
        after={
            "run": promotion.run_id,
            "promotion": promotion.pk,
            "note": promotion.note,
            "themes": summary.as_dict(),
        },
    )


def connect() -> None:
    run_promoted.connect(_on_promotion, dispatch_uid="inpractice.workspace.carry")
