"""The written report of the demo's edition 1 (ADR 25): what a programme team would publish.

`inpractice demo` drafts edition 1 and calls `write_demo_text` before approving it. The demo
stands in for the programme's analysts, as nobody signs in to load it:

1. it approves, for each principle, up to four of the analysis's quotes that may be published
   (the submitter consented; the personal data and quote privacy checks find nothing), as an
   analyst would in the workspace, so the report has quotes;
2. it writes each principle's narrative the way an analyst does: it starts from the suggested
   draft (`drafting.suggested_draft`: the most central approved quotes, each with its evidence
   marker) and adds the analyst's framing before and after it;
3. it writes the executive summary, what this means for the sector and the recommendations for
   each of the five default focus areas, with the figures of this run (never a number that the
   figures below it contradict).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from inpractice.coding.models import Quote, SubmissionResult
from inpractice.workspace.carry import attach_quote_reviews
from inpractice.workspace.models import QuoteReview

from . import authoring, drafting
from . import figures as fig
from .models import Edition

QUOTES_APPROVED = 4
TEXT = Path(__file__).resolve().parent / "data" / "demo_text.yaml"


@cache
def demo_text() -> dict:
    """The demo's words (data/demo_text.yaml): the summary, each principle's framing before
    and after its suggested draft, the implications and the recommendations by focus area."""
    return yaml.safe_load(TEXT.read_text(encoding="utf-8"))


def approve_demo_quotes(edition: Edition) -> int:
    """Approve up to QUOTES_APPROVED publishable quotes per principle, one per submission, as
    an analyst would; returns how many were approved."""
    run = edition.run
    consented = set(
        SubmissionResult.objects.filter(
            run=run, submission__consent_publication__in=fig.PUBLISHABLE
        ).values_list("submission_id", flat=True)
    )
    made: list[int] = []
    for cid, _number, _name, _description in authoring.principles(run):
        codes = drafting._code_and_children(edition, cid)
        quotes = attach_quote_reviews(
            Quote.objects.filter(run=run, theme__isnull=True, code_id__in=codes)
            .select_related("submission")
            .order_by("rank", "pk")
        )
        sources: set[int] = set()
        for q in quotes:
            if len(sources) >= QUOTES_APPROVED:
                break
            if q.submission_id not in consented or q.submission_id in sources:
                continue
            if q.review is not None:  # a decision a person made stands
                if q.review.status == QuoteReview.Status.APPROVED:
                    sources.add(q.submission_id)
                continue
            review = QuoteReview(quote=q, status=QuoteReview.Status.APPROVED)
            review.save()
            made.append(review.pk)
            sources.add(q.submission_id)
    # Keep only what may be published: an approval the privacy check would hold back is undone
    # (the demo made it a moment ago; no person decided it).
    allowed = authoring.publishable_quotes(edition, made)
    QuoteReview.objects.filter(pk__in=[pk for pk in made if pk not in allowed]).delete()
    return len(allowed)


def write_demo_text(edition: Edition) -> None:
    """Approve the demo's quotes and write edition 1's text (see the module's docstring)."""
    approve_demo_quotes(edition)
    words = demo_text()
    figures = fig.report_figures(edition.call, fig.PUBLIC)
    top = sorted(figures.top_principles, key=lambda p: (-p.count, p.number))
    snapshot = figures.snapshot
    bodies = {
        "summary": words["summary"]
        .strip()
        .format(
            submissions=f"{snapshot.get('submissions', 0):,}",
            schools=f"{snapshot.get('schools_total', 0):,}",
            top_name=top[0].name if top else "",
            top_share=fig.percent(top[0].share, 0) if top else "",
            low_name=top[-1].name if top else "",
            low_share=fig.percent(top[-1].share, 0) if top else "",
            frameworks=f"{figures.citations.distinct:,}",
        ),
        "implications": words["implications"].strip(),
    }
    for section in authoring.sections(edition):
        if section.kind == authoring.Kind.PRINCIPLE:
            framing = words["framing"].get(section.key, {"before": section.description})
            before, after = framing.get("before", ""), framing.get("after", "")
            draft = drafting.suggested_draft(edition, section.key)
            bodies[section.field] = "\n\n".join(part for part in (before, draft, after) if part)
        elif section.kind == authoring.Kind.RECOMMENDATION and (
            section.key in words["recommendations"]
        ):
            bodies[section.field] = words["recommendations"][section.key].strip()
    authoring.save_sections(edition, bodies, None, source="demo")
