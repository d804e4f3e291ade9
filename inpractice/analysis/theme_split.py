"""Splitting one emergent theme into parts: k-means on its passages' embeddings.

Plain data in, plain data out (no Django): the workspace reads a theme's passages (ids, the
submission each came from, texts), calls `split_theme`, and stores the parts it returns, which are
JSON-ready dicts, in a `theme.split` event. The same texts and seed give the same parts.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import CountVectorizer

from .embeddings import Embedder, load_embedder
from .themes import readable_label, surface_forms

METHOD = "k-means (k={parts}) on static embeddings"


class ThemeSplitError(ValueError):
    """The passages cannot be split as asked (said in words a lead analyst can act on)."""


def key_phrases(texts: Sequence[str], others: Sequence[str], k: int = 5) -> list[str]:
    """Words and pairs used more in `texts` than in `others`: a short label for a split part."""
    try:
        vec = CountVectorizer(
            ngram_range=(1, 2),
            stop_words="english",
            binary=True,
            # Words only: numbers ("92 per cent") say little about what a part is about.
            token_pattern=r"(?u)\b[^\W\d_]{2,}\b",  # noqa: S106 - a regex, not a password
        )
        matrix = vec.fit_transform(list(texts) + list(others))
    except ValueError:  # only stop words
        return []
    ours = np.asarray(matrix[: len(texts)].mean(axis=0)).ravel()
    theirs = np.asarray(matrix[len(texts) :].mean(axis=0)).ravel() if others else 0
    score = ours - theirs
    vocab = vec.get_feature_names_out()
    return [str(vocab[i]) for i in np.argsort(-score)[:k] if score[i] > 0]


def check_splittable(texts: Sequence[str], parts: int = 2) -> None:
    """Raise `ThemeSplitError` unless there are enough, and different enough, passages."""
    if len(texts) < parts * 2:
        raise ThemeSplitError(
            f"This theme has {len(texts)} passage(s): it needs at least {parts * 2} to split."
        )
    if len(set(texts)) < parts:
        raise ThemeSplitError(
            "Every passage in this theme says the same thing: there is nothing to split."
        )


def split_vectors(
    vectors: np.ndarray,
    texts: Sequence[str],
    ids: Sequence[Hashable],
    groups: Sequence[Hashable],
    parts: int = 2,
    seed: int = 0,
) -> list[dict]:
    """Group passages (one row of `vectors` each) into `parts` by k-means, largest part first.

    Each part: `label` (a readable noun phrase from its key phrases, as `themes.readable_label`
    makes, or "Part n"), `key_phrases`, `size`, `submissions` (distinct `groups`), `passage_ids`
    (from `ids`, in input order) and up to three `examples` (the passages nearest the part's
    centre, cut at a word boundary within 400 characters).
    """
    check_splittable(texts, parts)
    vectors = np.asarray(vectors)
    model = KMeans(n_clusters=parts, n_init=10, random_state=seed).fit(vectors)
    if len(set(model.labels_.tolist())) < parts:
        raise ThemeSplitError("The passages of this theme are too alike to split into two groups.")
    out = []
    for k in range(parts):
        members = np.flatnonzero(model.labels_ == k)
        centre = model.cluster_centers_[k]
        nearest = members[np.argsort(-(vectors[members] @ centre))][:3]
        inside = [texts[i] for i in members]
        outside = [texts[i] for i in np.flatnonzero(model.labels_ != k)]
        phrases = key_phrases(inside, outside)
        out.append(
            {
                "label": readable_label(phrases, surface_forms(inside)) or f"Part {k + 1}",
                "key_phrases": phrases,
                "size": int(len(members)),
                "submissions": len({groups[i] for i in members}),
                "passage_ids": [ids[i] for i in members],
                "examples": [_shorten(texts[i], 400) for i in nearest],
            }
        )
    return sorted(out, key=lambda p: -p["size"])


def _shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word boundary (never inside a word)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head).rstrip(",;: ") + "…"


def split_theme(
    texts: Sequence[str],
    ids: Sequence[Hashable],
    groups: Sequence[Hashable],
    parts: int = 2,
    seed: int = 0,
    embedder: Embedder | None = None,
) -> list[dict]:
    """Embed the passages (the static embedder, fitted on them, unless one is given) and split
    them with `split_vectors`. Raises `ThemeSplitError` before embedding when they cannot split."""
    texts = list(texts)
    check_splittable(texts, parts)
    embedder = embedder if embedder is not None else load_embedder("static")
    if hasattr(embedder, "fit"):
        embedder.fit(texts)
    vectors = embedder.encode(texts)
    return split_vectors(vectors, texts, ids, groups, parts=parts, seed=seed)
