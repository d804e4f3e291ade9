"""A suggested extractive draft of a principle's narrative: its most central approved quotes.

The candidates are the quotes of the principle (its code and sub-codes) in the edition's run
that may be published: approved by a person, consented to by the submitter, passing the personal
data check (`authoring.publishable_quotes`). Each is embedded with the embedder the analysis uses
(`analysis.embeddings.default_static_embedder`, offline) and ranked by **centrality**: the cosine
between its embedding and the normalised mean of all candidates' embeddings, so the quotes that
say what most of the principle's approved evidence says come first. Ties (and a single quote)
fall back to the analysis's own quote score. At most one quote per submission, so one
respondent does not speak for the principle alone.

The draft is a starting point the analyst edits: the central quotes, each with its attribution
and its evidence marker (`[evidence: q12]`) so every quoted sentence
keeps the passage behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from inpractice.coding.models import Quote
from inpractice.workspace.carry import attach_quote_reviews

from . import text as rtext
from .authoring import principles, publishable_quotes
from .models import Edition

DRAFT_QUOTES = 4


@dataclass
class CentralQuote:
    review_id: int  # the approved decision on the span: the id evidence markers use
    text: str
    attribution: str
    centrality: float
    score: float


@cache
def _embedder():
    """Loaded once per process (seconds), then each draft embeds a few quotes in milliseconds."""
    from inpractice.analysis.embeddings import default_static_embedder

    return default_static_embedder()


def _centrality(texts: list[str]) -> list[float]:
    if len(texts) < 2:
        return [1.0] * len(texts)
    try:
        vectors = np.asarray(_embedder().encode(texts), dtype=np.float32)
    except Exception:  # noqa: BLE001 - no embedder files: fall back to the quote score alone
        return [0.0] * len(texts)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1.0, norms)
    centre = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centre))
    centre = centre / norm if norm else centre
    return [float(v) for v in vectors @ centre]


def central_quotes(edition: Edition, code_id: str, k: int = DRAFT_QUOTES) -> list[CentralQuote]:
    """Up to k publishable approved quotes of the principle, most central first."""
    if edition.run_id is None:
        return []
    quotes = attach_quote_reviews(
        Quote.objects.filter(run_id=edition.run_id, theme__isnull=True)
        .filter(code_id__in=_code_and_children(edition, code_id))
        .order_by("rank", "pk")
    )
    by_review: dict[int, Quote] = {}
    for q in quotes:
        review = getattr(q, "review", None)
        if review is not None and review.status == "approved":
            by_review.setdefault(review.pk, q)
    allowed = publishable_quotes(edition, by_review)
    candidates = [(rid, q) for rid, q in by_review.items() if rid in allowed]
    if not candidates:
        return []
    central = _centrality([allowed[rid][0] for rid, _ in candidates])
    ranked = sorted(
        (
            CentralQuote(rid, allowed[rid][0], allowed[rid][1], c, float(q.score))
            for (rid, q), c in zip(candidates, central, strict=True)
        ),
        key=lambda cq: (-round(cq.centrality, 6), -cq.score, cq.review_id),
    )
    chosen, sources = [], set()
    for cq in ranked:
        source = by_review[cq.review_id].submission_id
        if source in sources:
            continue
        sources.add(source)
        chosen.append(cq)
        if len(chosen) == k:
            break
    return chosen


def _code_and_children(edition: Edition, code_id: str) -> list[str]:
    codes = {code_id}
    run = edition.run
    for code in (run.codebook or {}).get("codes") or []:
        if code.get("id") == code_id:
            stack = list(code.get("children") or [])
            while stack:
                child = stack.pop()
                codes.add(child.get("id", ""))
                stack.extend(child.get("children") or [])
    return sorted(c for c in codes if c)


def suggested_draft(edition: Edition, code_id: str) -> str:
    """The narrative an analyst starts from for one principle (Markdown with markers)."""
    names = {cid: (number, name) for cid, number, name, _ in principles(edition.run)}
    if code_id not in names:
        raise KeyError(code_id)
    # No figures here: the report prints the principle's count above its narrative, from the
    # same computation as every other figure, so the two can never disagree.
    lines: list[str] = []
    quotes = central_quotes(edition, code_id)
    if quotes:
        lines += ["The practice they describe most often, in their own words:", ""]
        for q in quotes:
            lines.append(f"- “{q.text}” ({q.attribution}) {rtext.marker([q.review_id])}")
    else:
        lines.append(
            "No approved quote of this principle may be published yet: approve quotes in the "
            "workspace, or write the narrative from the figures."
        )
    return "\n".join(lines)
