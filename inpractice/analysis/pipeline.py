"""The whole analysis of a call in one pass: segment, embed, code, themes, mentions, quotes.

Plain data in (documents: an id and named text fields), plain data out (`AnalysisResult`), so the
web app, the CLI, a notebook or a batch worker all run the same thing. Work is done in chunks of
documents so memory stays bounded at 100,000 submissions: only compact arrays are kept for all
passages (embeddings in float16, probabilities, offsets), and passage texts are sliced from the
documents when needed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .codebook import Codebook
from .coder import Coder, submission_codes
from .embeddings import Embedder, StaticEmbedder
from .evidence import EvidenceAssessment, assess
from .mentions import Mention, MentionExtractor, count_mentions
from .quotes import Candidate, Quote, select_quotes
from .segmentation import canonical, segment
from .shipped import default_coder
from .stance import STANCES, StanceClassifier, shipped_stance_classifier
from .themes import Theme, ThemeFinder, mark_within_codes

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True)
class Document:
    """One submission: `fields` maps a field name (e.g. an answer key) to its text, in order."""

    id: str
    fields: Mapping[str, str]


@dataclass
class PassageTable:
    """Every passage as parallel arrays; `text(i)` slices it from its document's field."""

    documents: list[Document]
    field_names: list[str]
    doc: np.ndarray  # int32 document index
    field: np.ndarray  # int16 index into field_names
    start: np.ndarray  # int32 code-point offsets into canonical(field text)
    end: np.ndarray
    _canonical: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.doc)

    def field_text(self, d: int, f: int) -> str:
        key = (d, f)
        text = self._canonical.get(key)
        if text is None:
            raw = self.documents[d].fields[self.field_names[f]] or ""
            text = canonical(raw)
            # Most answers are canonical already: keep the one string, not an equal copy.
            self._canonical[key] = raw if text == raw else text
            text = self._canonical[key]
        return text

    def text(self, i: int) -> str:
        return self.field_text(int(self.doc[i]), int(self.field[i]))[
            int(self.start[i]) : int(self.end[i])
        ]

    def texts(self, indices: Sequence[int] | np.ndarray) -> list[str]:
        return [self.text(int(i)) for i in indices]

    def source_id(self, i: int) -> str:
        return f"{self.documents[int(self.doc[i])].id}\x1f{self.field_names[int(self.field[i])]}"


class LazyTexts(Sequence[str]):
    """A sequence view of passage texts, so a theme finder can read the few it describes."""

    def __init__(self, table: PassageTable, indices: np.ndarray | None = None):
        self.table = table
        self.indices = np.arange(len(table)) if indices is None else indices

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self.table.text(int(j)) for j in self.indices[i]]
        return self.table.text(int(self.indices[i]))


@dataclass
class QuoteResult:
    document_id: str
    field: str
    start: int
    end: int
    text: str
    score: float


@dataclass
class AnalysisResult:
    code_ids: list[str]
    passages: PassageTable
    probabilities: np.ndarray  # (n_passages, n_codes) float32
    thresholds: np.ndarray
    embeddings: np.ndarray  # (n_passages, dim) float16
    document_codes: dict[str, np.ndarray]
    themes: list[Theme]
    theme_of_passage: np.ndarray  # theme id or -1
    theme_coverage: dict[int, float]  # share of a theme's passages that some code explains
    mentions: dict[str, list[tuple[str, Mention]]]  # document id -> [(field, mention)]
    mention_summary: dict
    code_quotes: dict[str, list[QuoteResult]]
    theme_quotes: dict[int, list[QuoteResult]]
    evidence: dict[str, EvidenceAssessment]
    timings: dict[str, float]
    parameters: dict = field(default_factory=dict)
    # Each passage's stance (index into stance.STANCES; -1: none, for a passage without an
    # applied code or when no stance model ran) and that stance's probability.
    stances: np.ndarray | None = None
    stance_probabilities: np.ndarray | None = None

    def passage_labels(self) -> np.ndarray:
        return self.probabilities >= self.thresholds

    def stance(self, i: int) -> tuple[str, float | None]:
        """Passage i's stance and its probability, or ("", None) when it has none."""
        if self.stances is None or self.stances[i] < 0:
            return "", None
        return STANCES[int(self.stances[i])], float(self.stance_probabilities[i])


_EXTRACTOR: MentionExtractor | None = None


def _extractor() -> MentionExtractor:
    # One extractor per process: compiling the lexicon takes about a second.
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = MentionExtractor()
    return _EXTRACTOR


@dataclass
class _TextWork:
    """What the per-document text stages found for a run of documents (picklable)."""

    doc: list[int]
    field: list[int]
    start: list[int]
    end: list[int]
    mentions: list[list[tuple[str, Mention]]]
    evidence: list[EvidenceAssessment]


def _text_stages(
    documents: Sequence[Document],
    offset: int,
    field_index: dict[str, int],
    max_words: int,
    evidence_fields: tuple[str, str],
) -> tuple[_TextWork, dict[str, float]]:
    """Segmentation, mentions and the evidence assessment: independent per document, so they
    run in worker processes while nothing else needs the CPU."""
    work = _TextWork([], [], [], [], [], [])
    timings: dict[str, float] = {}
    extractor = _extractor()
    first, second = evidence_fields
    for d, document in enumerate(documents, start=offset):
        with _timer(timings, "segment"):
            for name, text in document.fields.items():
                for p in segment(text or "", max_words=max_words):
                    work.doc.append(d)
                    work.field.append(field_index[name])
                    work.start.append(p.start)
                    work.end.append(p.end)
        with _timer(timings, "mentions"):
            work.mentions.append(
                [
                    (name, m)
                    for name, text in document.fields.items()
                    for m in extractor.extract(text or "")
                ]
            )
        with _timer(timings, "evidence"):
            work.evidence.append(
                assess(
                    document.fields.get(first, ""),
                    document.fields.get(second, ""),
                    " ".join(v for k, v in document.fields.items() if k not in evidence_fields),
                )
            )
    return work, timings


def _run_text_stages(
    documents: list[Document],
    field_index: dict[str, int],
    max_words: int,
    evidence_fields: tuple[str, str],
    workers: int,
) -> tuple[list[_TextWork], dict[str, float]]:
    size = 1000
    spans = [(i, documents[i : i + size]) for i in range(0, len(documents), size)]
    if workers <= 1 or len(spans) <= 1:
        results = [
            _text_stages(chunk, i, field_index, max_words, evidence_fields) for i, chunk in spans
        ]
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(_text_stages, chunk, i, field_index, max_words, evidence_fields)
                for i, chunk in spans
            ]
            results = [f.result() for f in futures]
    cpu: dict[str, float] = {}
    for _, t in results:
        for stage, seconds in t.items():
            cpu[stage] = cpu.get(stage, 0.0) + seconds
    return [w for w, _ in results], cpu


def _timer(timings: dict[str, float], stage: str):
    class _T:
        def __enter__(self):
            self.t = time.perf_counter()

        def __exit__(self, *exc):
            # Not rounded here: a stage timed once per document would round to nothing.
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - self.t

    return _T()


def analyse(
    documents: Sequence[Document],
    codebook: Codebook,
    *,
    embedder: Embedder | None = None,
    coder: Coder | None = None,
    seed: int = 0,
    chunk_size: int = 5000,
    max_words: int = 80,
    quotes_per_code: int = 5,
    progress: Progress | None = None,
    evidence_fields: tuple[str, str] = ("practice", "impact"),
    workers: int | None = None,
    stance: StanceClassifier | bool = True,
) -> AnalysisResult:
    """Run every stage over the documents and return plain results with timings.

    `stance`: True classifies every passage with an applied code by the shipped stance model
    (when the package has one), a `StanceClassifier` by that model, False not at all.
    """
    timings: dict[str, float] = {}
    documents = list(documents)
    if workers is None:
        # Worker processes pay off from a few thousand submissions; small calls stay in-process.
        workers = min(os.cpu_count() or 1, 16) if len(documents) >= 4000 else 1
    field_names = sorted(
        {name for d in documents for name in d.fields}, key=_field_order(documents)
    )
    field_index = {name: i for i, name in enumerate(field_names)}
    embedder = embedder or StaticEmbedder()

    with _timer(timings, "text_stages"):
        parts, cpu = _run_text_stages(documents, field_index, max_words, evidence_fields, workers)
        table = PassageTable(
            documents,
            field_names,
            np.asarray([d for w in parts for d in w.doc], np.int32),
            np.asarray([f for w in parts for f in w.field], np.int16),
            np.asarray([x for w in parts for x in w.start], np.int32),
            np.asarray([x for w in parts for x in w.end], np.int32),
        )
        mentions = {
            documents[i].id: found for i, found in enumerate(m for w in parts for m in w.mentions)
        }
        evidence = {documents[i].id: e for i, e in enumerate(e for w in parts for e in w.evidence)}
        del parts
    timings.update({f"{stage}_cpu": seconds for stage, seconds in cpu.items()})
    n = len(table)
    if isinstance(embedder, StaticEmbedder):
        with _timer(timings, "fit_weights"):
            # Corpus weights from a sample: enough to know which words every passage uses.
            rng = np.random.default_rng(seed)
            sample = rng.choice(n, size=min(n, 20_000), replace=False) if n else []
            embedder.fit(table.texts(sorted(sample)))
    coder = coder or default_coder(codebook, embedder=embedder, seed=seed, passages=n)

    # A GPU encoder wants big chunks to stay busy; the CPU path is as fast with small ones.
    chunk_size = max(chunk_size, int(getattr(embedder, "preferred_chunk", 0)))
    embeddings = np.zeros((n, embedder.dim), dtype=np.float16)
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        with _timer(timings, "embed"):
            embeddings[start:stop] = embedder.encode(table.texts(range(start, stop)))
        if progress:
            progress("embed", stop, n)

    probabilities = np.zeros((n, len(coder.code_ids)), dtype=np.float32)
    zero_shot = coder.similarity_stats_ is None
    with _timer(timings, "code"):
        if zero_shot and n:
            # Standardise similarities over the whole corpus, not per chunk, so a passage's
            # score does not depend on which chunk it fell in. Summed chunk by chunk to avoid
            # a second full-size copy of the embeddings.
            total = np.zeros(len(coder.code_ids))
            squares = np.zeros(len(coder.code_ids))
            for start in range(0, n, chunk_size):
                raw = embeddings[start : start + chunk_size].astype(np.float32) @ coder.prototypes.T
                total += raw.sum(axis=0)
                squares += (raw.astype(np.float64) ** 2).sum(axis=0)
            mean = total / n
            coder.similarity_stats_ = (mean, np.sqrt(np.maximum(squares / n - mean**2, 0.0)))
        for start in range(0, n, chunk_size):
            stop = min(start + chunk_size, n)
            probabilities[start:stop] = coder.predict_proba(
                table.texts(range(start, stop)), embeddings[start:stop].astype(np.float32)
            )
        if zero_shot:
            coder.similarity_stats_ = None
    if progress:
        progress("code", n, n)
    thresholds = coder.thresholds()

    classifier = shipped_stance_classifier() if stance is True else (stance or None)
    stances = np.full(n, -1, dtype=np.int8)
    stance_probabilities = np.zeros(n, dtype=np.float32)
    if classifier is not None:
        with _timer(timings, "stance"):
            # Only coded passages get a stance: the report counts stances per principle, so a
            # stance on a passage without a code would never be read.
            coded = np.flatnonzero((probabilities >= thresholds).any(axis=1))
            for start in range(0, len(coded), chunk_size):
                rows = coded[start : start + chunk_size]
                probs = classifier.predict_proba(table.texts(rows))
                stances[rows] = probs.argmax(axis=1)
                stance_probabilities[rows] = probs.max(axis=1)
        if progress:
            progress("stance", n, n)

    with _timer(timings, "document_codes"):
        groups = [documents[int(d)].id for d in table.doc]
        document_codes = submission_codes(probabilities, groups, thresholds) if n else {}

    with _timer(timings, "themes"):
        finder = ThemeFinder(seed=seed)
        themes: list[Theme] = []
        theme_of = np.full(n, -1, dtype=np.int32)
        if n >= 10:
            finder.fit(embeddings.astype(np.float32), LazyTexts(table), groups)
            themes = finder.themes_
            theme_of = np.asarray(finder.labels_, dtype=np.int32)
        carried = probabilities >= thresholds
        # A theme mostly inside one code is labelled as within it, not offered as emergent.
        names = {c.id: c.name for c in codebook.walk()}
        mark_within_codes(themes, carried, [names.get(c, c) for c in coder.code_ids])
        explained = carried.any(axis=1)
        coverage = {
            t.id: float(explained[t.passage_indices].mean()) if t.passage_indices else 0.0
            for t in themes
        }
    if progress:
        progress("themes", len(themes), len(themes))

    with _timer(timings, "mention_counts"):
        summary = count_mentions({k: [m for _, m in v] for k, v in mentions.items()}).to_dict()

    with _timer(timings, "quotes"):
        code_quotes = {
            code: _quotes(
                table, embeddings, probabilities[:, j], thresholds[j], quotes_per_code, embedder
            )
            for j, code in enumerate(coder.code_ids)
        }
        theme_quotes = {}
        for theme in themes:
            members = np.asarray(theme.passage_indices)
            centre = embeddings[members].astype(np.float32).mean(axis=0)
            closeness = embeddings[members].astype(np.float32) @ (
                centre / (np.linalg.norm(centre) or 1)
            )
            relevance = np.zeros(n, dtype=np.float32)
            relevance[members] = closeness
            theme_quotes[theme.id] = _quotes(table, embeddings, relevance, 1e-6, 3, embedder)

    timings = {stage: round(seconds, 3) for stage, seconds in timings.items()}
    return AnalysisResult(
        code_ids=list(coder.code_ids),
        passages=table,
        probabilities=probabilities,
        thresholds=thresholds,
        embeddings=embeddings,
        document_codes=document_codes,
        themes=themes,
        theme_of_passage=theme_of,
        theme_coverage=coverage,
        mentions=mentions,
        mention_summary=summary,
        code_quotes=code_quotes,
        theme_quotes=theme_quotes,
        evidence=evidence,
        timings=timings,
        parameters={
            "embedder": embedder.name,
            "seed": seed,
            "max_words": max_words,
            "trained_codes": sorted(coder.models_),
            "coder": coder.describe(),
            "codebook": codebook.id,
            "stance": classifier.describe() if classifier is not None else None,
        },
        stances=stances,
        stance_probabilities=stance_probabilities,
    )


def _field_order(documents: Sequence[Document]):
    first_seen: dict[str, int] = {}
    for d in documents:
        for name in d.fields:
            first_seen.setdefault(name, len(first_seen))
    return lambda name: first_seen[name]


def _quotes(
    table: PassageTable,
    embeddings: np.ndarray,
    relevance: np.ndarray,
    threshold: float,
    k: int,
    embedder: Embedder,
    pool: int = 200,
) -> list[QuoteResult]:
    eligible = np.flatnonzero(relevance >= threshold)
    if len(eligible) == 0:
        return []
    top = eligible[np.argsort(-relevance[eligible], kind="stable")[:pool]]
    candidates = [
        Candidate(
            table.source_id(int(i)), int(table.start[i]), table.text(int(i)), float(relevance[i])
        )
        for i in top
    ]
    chosen: list[Quote] = select_quotes(
        candidates, embeddings[top].astype(np.float32), k=k, embedder=embedder
    )
    results = []
    for q in chosen:
        document_id, field_name = q.source_id.split("\x1f", 1)
        results.append(QuoteResult(document_id, field_name, q.start, q.end, q.text, q.score))
    return results
