"""Short, self-contained, representative quotes for a code or a theme, pointing back to the source.

Candidates are passages (with their offset in the source's canonical text and a relevance score,
such as a code probability or closeness to a theme's centre). Each candidate is split into
sentences (`segmentation.sentences`); each sentence of a usable length is scored for

* relevance: the candidate's relevance, clipped to [0, 1];
* representativeness: cosine between the sentence's embedding and the centre of all candidates'
  passage embeddings (or a centre the caller gives, e.g. a theme centroid);
* self-containedness: starts with a capital or digit, ends with . ! or ?, does not open with an
  anaphor ("This", "It", "They", "However", "As a result" ...), and has no he/she/him/her with no
  name before it. Each failure scales the score down, so such sentences are chosen only when
  nothing better exists.

Sentences in which the personal data check (`personal_data.py`, the one the case studies use)
finds anything (a name, initials, an email address, a phone number, a postcode, a URL ...) are
never quoted. Quotes are then chosen by maximal marginal relevance, so
near-duplicates are not both picked, with at most `max_per_source` from one source. Every quote's
`text` is exactly `canonical_text[start:end]` of its source (code-point offsets).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from inpractice.analysis import personal_data as pd
from inpractice.analysis.segmentation import sentences

ANAPHORIC_OPENERS = (
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "it's",
    "they",
    "them",
    "their",
    "theirs",
    "he",
    "she",
    "his",
    "her",
    "him",
    "however",
    "also",
    "as a result",
    "therefore",
    "thus",
    "furthermore",
    "moreover",
    "in addition",
    "additionally",
    "but",
    "and",
    "so",
    "such",
    "similarly",
    "consequently",
    "again",
    "then",
    "otherwise",
    "instead",
    "both",
    "another",
    "the latter",
    "the former",
    "likewise",
    "meanwhile",
    "hence",
    "nevertheless",
    "nonetheless",
    "which",
    "whereas",
    "still",
    "here",
    "as such",
    "in turn",
    "for this reason",
    "because of this",
    "on the other hand",
    "in this way",
    "this is why",
)
_OPENER = re.compile(
    r"^[\"'“‘(]*("
    + "|".join(
        r"\s+".join(map(re.escape, o.split()))  # "As a\nresult" in hard-wrapped text
        for o in sorted(ANAPHORIC_OPENERS, key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers|himself|herself)\b", re.IGNORECASE)
# A name-like word: capitalised, not all capitals (SENCO, EHCP), not a sentence's first word.
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?\b")
_NOT_NAMES = {
    "I",
    "Year",
    "Reception",
    "Key",
    "Stage",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "English",
    "Maths",
    "Mathematics",
    "Science",
    "School",
    "Academy",
    "Trust",
    "Council",
    "The",
    "Our",
    "We",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
}
_BULLET = re.compile(r"^(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class Candidate:
    source_id: str
    passage_start: int  # offset of passage_text in the source's canonical text
    passage_text: str
    relevance: float  # e.g. a code probability, or 1 - distance to a theme's centre


@dataclass
class Quote:
    text: str
    source_id: str
    start: int  # code-point offsets into the source's canonical text
    end: int
    score: float
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "source_id": self.source_id,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
        }


@dataclass
class _Sentence:
    candidate: int
    start: int  # offsets within the candidate's passage_text
    end: int
    text: str
    self_contained: float
    reasons: list[str]


def self_containedness(text: str) -> tuple[float, list[str]]:
    """A factor in (0, 1] and the reasons it is below 1: how well a sentence stands on its own."""
    factor, reasons = 1.0, []
    if not (text[:1].isupper() or text[:1].isdigit()):
        factor *= 0.7
        reasons.append("does not start with a capital letter")
    if not re.search(r"[.!?][\"'”’)\]]*$", text):
        factor *= 0.7
        reasons.append("does not end a sentence")
    opener = _OPENER.match(text)
    if opener:
        factor *= 0.4
        opening = " ".join(opener.group(1).split())
        reasons.append(f"opens with {opening!r}, which points back to earlier text")
    else:
        pronoun = _PRONOUN.search(text)
        if pronoun:
            names = [
                m for m in _NAME.finditer(text[: pronoun.start()]) if m.group(0) not in _NOT_NAMES
            ]
            if not names:
                factor *= 0.5
                reasons.append(f"{pronoun.group(1)!r} refers to someone not named")
    return factor, reasons


def personal_data(text: str) -> list[str]:
    """Kinds of personal data the text seems to contain, in words ("email address", "person's
    name"; empty when none): the one personal data check, `analysis.personal_data`."""
    return [pd.LABELS.get(kind, kind).lower() for kind in pd.kinds(text)]


def _candidate_sentences(
    candidates: Sequence[Candidate], min_words: int, max_words: int
) -> list[_Sentence]:
    found = []
    for c_index, candidate in enumerate(candidates):
        text = candidate.passage_text
        for start, end in sentences(text, 0, len(text)):
            bullet = _BULLET.match(text, start, end)
            if bullet:
                start = bullet.end()
            piece = text[start:end]
            if not min_words <= len(piece.split()) <= max_words or personal_data(piece):
                continue
            factor, reasons = self_containedness(piece)
            found.append(_Sentence(c_index, start, end, piece, factor, reasons))
    return found


def select_quotes(
    candidates: Sequence[Candidate],
    embeddings: np.ndarray,
    k: int = 5,
    max_per_source: int = 1,
    min_words: int = 8,
    max_words: int = 45,
    *,
    embedder=None,
    centre: np.ndarray | None = None,
    diversity: float = 0.3,
    duplicate_similarity: float = 0.9,
) -> list[Quote]:
    """Up to k quotes, best first.

    `embeddings` are the candidates' passage embeddings (one row per candidate, the space the
    codes or themes live in); their normalised mean is the centre that "representative" is
    measured against, unless `centre` is given. Sentences are embedded with `embedder` (anything
    with `.encode(texts) -> (n, dim)` in the same space; default: the packaged StaticEmbedder).
    `diversity` is the MMR trade-off (0: score only); sentences whose cosine to an already chosen
    quote is at least `duplicate_similarity` are never chosen.
    """
    if k <= 0 or not candidates:
        return []
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if embeddings.ndim != 2 or len(embeddings) != len(candidates):
        raise ValueError(f"embeddings must have one row per candidate ({len(candidates)})")
    found = _candidate_sentences(candidates, min_words, max_words)
    if not found:
        return []
    if embedder is None:
        from inpractice.analysis.embeddings import default_static_embedder

        embedder = default_static_embedder()
    vectors = np.asarray(embedder.encode([s.text for s in found]), dtype=np.float32)
    if vectors.shape[1] != embeddings.shape[1]:
        raise ValueError(
            f"sentence embeddings have {vectors.shape[1]} dimensions and the candidates' "
            f"{embeddings.shape[1]}: pass the embedder that made `embeddings`"
        )
    vectors = _unit(vectors)
    if centre is None:
        centre = embeddings.mean(axis=0)
    centre = np.asarray(centre, dtype=np.float32)
    norm = float(np.linalg.norm(centre))
    centre = centre / norm if norm else centre

    relevance = np.clip([candidates[s.candidate].relevance for s in found], 0.0, 1.0)
    representative = vectors @ centre
    factor = np.array([s.self_contained for s in found])
    scores = (0.5 * relevance + 0.5 * np.clip(representative, 0.0, 1.0)) * factor
    # Deterministic order: best score, then source, then position.
    order = sorted(
        range(len(found)),
        key=lambda i: (
            -round(float(scores[i]), 9),
            candidates[found[i].candidate].source_id,
            candidates[found[i].candidate].passage_start + found[i].start,
        ),
    )
    rank = np.empty(len(found), dtype=np.int64)
    rank[order] = np.arange(len(found))

    chosen: list[int] = []
    per_source: dict[str, int] = {}
    seen_text: set[str] = set()
    max_similarity = np.full(len(found), -np.inf)
    available = np.ones(len(found), dtype=bool)
    while len(chosen) < k and available.any():
        redundancy = np.where(np.isfinite(max_similarity), np.maximum(max_similarity, 0.0), 0.0)
        mmr = (1 - diversity) * scores - diversity * redundancy
        mmr[~available] = -np.inf
        best = max(np.flatnonzero(available), key=lambda i: (round(float(mmr[i]), 9), -rank[i]))
        available[best] = False
        sentence = found[best]
        source = candidates[sentence.candidate].source_id
        key = " ".join(sentence.text.lower().split())
        if (
            per_source.get(source, 0) >= max_per_source
            or key in seen_text
            or max_similarity[best] >= duplicate_similarity
        ):
            continue
        chosen.append(best)
        per_source[source] = per_source.get(source, 0) + 1
        seen_text.add(key)
        max_similarity = np.maximum(max_similarity, vectors @ vectors[best])
        available &= max_similarity < duplicate_similarity
        if per_source[source] >= max_per_source:
            available &= np.array([candidates[s.candidate].source_id != source for s in found])

    quotes = []
    for i in chosen:
        sentence = found[i]
        candidate = candidates[sentence.candidate]
        reasons = [f"relevance {relevance[i]:.2f}", f"representative {representative[i]:.2f}"]
        reasons += sentence.reasons or ["self-contained"]
        quotes.append(
            Quote(
                text=sentence.text,
                source_id=candidate.source_id,
                start=candidate.passage_start + sentence.start,
                end=candidate.passage_start + sentence.end,
                score=float(scores[i]),
                reasons=reasons,
            )
        )
    return quotes


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
