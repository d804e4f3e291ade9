"""Searching the published case studies: full-text hits from the database, re-ranked with
semantic similarity from the analysis embeddings (see docs/decisions/0008-library-search.md).

* Full text: SQLite FTS5 (`library_casestudy_fts`, an external-content table kept in step with
  `library_casestudy` by triggers that index published rows only) or PostgreSQL (a generated
  `search_vector` tsvector column with a GIN index over published rows). Both created by this
  app's migration for the database in use.
* Semantic: each case study's float32 vector (`CaseStudy.embedding`, static MiniLM embeddings).
  Each process keeps one L2-normalised matrix of the published vectors, loaded once and reloaded
  only when `LibraryGeneration` says the published set changed, and does a single matrix-vector
  product per query for nearest neighbours.
* Full-text ranking uses the query's selective words only (`selective_words`): a word in most
  of the library costs the most to rank and tells the least.
* Ranking: the top `TEXT_CANDIDATES` text hits and the top `SEMANTIC_CANDIDATES` neighbours
  (above `SEMANTIC_FLOOR`) are scored as `TEXT_WEIGHT * bm25/best_bm25 + SEMANTIC_WEIGHT *
  cosine`, so a case study that shares no word with the query can still rank by meaning.

Filters are tag tokens: in the full-text query they are FTS/tsquery terms, and in memory they are
boolean masks over the matrix rows, so both halves apply exactly the same filter.
"""

from __future__ import annotations

import math
import secrets
import threading
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from django.db import connection

from . import query as q
from .models import CaseStudy, LibraryGeneration, Status
from .tags import FACET_KEYS, term

TEXT_CANDIDATES = 300
SEMANTIC_CANDIDATES = 300
SEMANTIC_FLOOR = 0.35
TEXT_WEIGHT = 0.55
SEMANTIC_WEIGHT = 0.45
MAX_RESULTS = 1000
# Documents the full-text ranker may score per query, for about 10 ms of ranking on two cores:
# SQLite's bm25() costs about 1.5 µs a document; PostgreSQL's idf sum (see text_hits) about
# 2.5 µs (ts_rank_cd, which reads each row's tsvector, cost about 25 µs).
RANKING_BUDGET = {"sqlite": 5_000, "postgresql": 2_000}
MAX_RANKED_WORDS = 8
TITLE_WEIGHT = 1.0  # PostgreSQL only: see _with_title_weight
SORTS = {"relevance": "Most relevant", "newest": "Newest", "title": "Title (A to Z)"}


@cache
def _blas() -> object:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def similarities(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector on one BLAS thread. A single matrix-vector product is memory-bound, and
    OpenBLAS's threads, woken for it on a busy machine, made it 10-20 times slower (measured:
    7.8 ms against 0.4 ms for 5,000 rows on two cores)."""
    with _blas().limit(limits=1, user_api="blas"):
        return matrix @ vector


@cache
def embedder():
    from inpractice.analysis.embeddings import load_embedder

    return load_embedder("static")


def embed(texts: list[str]) -> np.ndarray:
    return embedder().encode(texts)


def vector_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from(data) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype="<f4")


def document_text(case_study: CaseStudy) -> str:
    """What the full-text index and the embedding read: summary and every section."""
    parts = [case_study.summary, *case_study.section_texts().values()]
    parts += [quote.get("text", "") for quote in case_study.quotes or []]
    if case_study.organisation_display:
        parts.append(case_study.organisation_display)
    return "\n\n".join(p for p in parts if p)


def prepare_for_index(case_study: CaseStudy) -> None:
    """Fill the search columns from the content (call before every save)."""
    from .tags import tag_terms

    case_study.search_text = document_text(case_study)
    case_study.tag_terms = tag_terms(case_study)
    text = f"{case_study.title}. {case_study.summary}\n{case_study.search_text}"
    case_study.embedding = vector_bytes(embed([text])[0])


def bump_generation() -> None:
    """Mark the published set as changed. A fresh random value rather than a count: a restored
    backup or an emptied test database can never bring back a value an index was built at."""
    value = secrets.randbits(62)
    if not LibraryGeneration.objects.filter(pk=1).update(number=value):
        LibraryGeneration.objects.update_or_create(pk=1, defaults={"number": value})


def current_generation() -> int:
    row = LibraryGeneration.objects.filter(pk=1).values_list("number", flat=True).first()
    return int(row or 0)


# --- the in-memory semantic index -----------------------------------------------------------


@dataclass
class SemanticIndex:
    generation: int
    ids: np.ndarray  # int64, one per published case study
    matrix: np.ndarray  # float32 (n, dim), rows L2-normalised
    published: np.ndarray  # float64 timestamps
    title_order: np.ndarray  # rank of each row by title
    terms: dict[str, np.ndarray] = field(default_factory=dict)  # tag term -> row numbers
    position: dict[int, int] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)  # case-folded, for ordering after reloads

    def mask(self, tag_groups: list[list[str]]) -> np.ndarray | None:
        if not tag_groups:
            return None
        result = np.ones(len(self.ids), dtype=bool)
        for group in tag_groups:
            any_of = np.zeros(len(self.ids), dtype=bool)
            for t in group:
                rows = self.terms.get(t)
                if rows is not None:
                    any_of[rows] = True
            result &= any_of
        return result


_index: SemanticIndex | None = None
_lock = threading.Lock()


def _rows(ids=None) -> list[tuple]:
    qs = CaseStudy.objects.filter(status=Status.PUBLISHED)
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    return list(
        qs.order_by("id").values_list("id", "embedding", "published_at", "title", "tag_terms")
    )


def _arrays(rows: list[tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    n, dim = len(rows), embedder().dim
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    matrix = np.zeros((n, dim), dtype=np.float32)
    for i, r in enumerate(rows):
        vector = vector_from(r[1])
        if vector is not None and len(vector) == dim:
            matrix[i] = vector
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    matrix /= norms
    published = np.fromiter(
        (r[2].timestamp() if r[2] else 0.0 for r in rows), dtype=np.float64, count=n
    )
    return ids, matrix, published, [(r[3] or "").casefold() for r in rows]


def _build(generation, ids, matrix, published, titles, terms) -> SemanticIndex:
    title_order = np.empty(len(ids), dtype=np.int64)
    title_order[np.argsort(np.asarray(titles, dtype=object), kind="stable")] = np.arange(len(ids))
    index = SemanticIndex(
        generation,
        ids,
        matrix,
        published,
        title_order,
        terms,
        {int(x): i for i, x in enumerate(ids)},
    )
    index.titles = titles
    return index


def _term_rows(rows: list[tuple], offset: int = 0) -> dict[str, list[int]]:
    buckets: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        for t in (r[4] or "").split():
            buckets.setdefault(t, []).append(offset + i)
    return buckets


def _load_index(generation: int, previous: SemanticIndex | None = None) -> SemanticIndex:
    """Build the index; from `previous` when only a few case studies came or went.

    A published case study cannot be edited in place (it is unpublished first), so a published
    row's vector and tags never change while it stays published: reloading only needs the rows
    that joined, and drops the rows that left.
    """
    if previous is not None and len(previous.ids):
        current = np.fromiter(
            CaseStudy.objects.filter(status=Status.PUBLISHED).values_list("id", flat=True),
            dtype=np.int64,
        )
        keep = np.isin(previous.ids, current)
        added = np.setdiff1d(current, previous.ids)
        if len(added) <= max(1000, len(current) // 10):
            new_rows = _rows(added) if len(added) else []
            ids, matrix, published, titles = _arrays(new_rows)
            kept = int(keep.sum())
            remap = np.full(len(previous.ids), -1, dtype=np.int64)
            remap[keep] = np.arange(kept)
            terms: dict[str, np.ndarray] = {}
            for t, old in previous.terms.items():
                moved = remap[old]
                terms[t] = moved[moved >= 0]
            for t, extra in _term_rows(new_rows, offset=kept).items():
                terms[t] = np.concatenate([terms.get(t, np.zeros(0, dtype=np.int64)), extra])
            return _build(
                generation,
                np.concatenate([previous.ids[keep], ids]),
                np.vstack([previous.matrix[keep], matrix]),
                np.concatenate([previous.published[keep], published]),
                [t for t, k in zip(previous.titles, keep, strict=True) if k] + titles,
                terms,
            )
    rows = _rows()
    ids, matrix, published, titles = _arrays(rows)
    terms = {t: np.asarray(v, dtype=np.int64) for t, v in _term_rows(rows).items()}
    return _build(generation, ids, matrix, published, titles, terms)


def semantic_index() -> SemanticIndex:
    """The process's index, reloaded when the published set has changed since it was built."""
    global _index
    generation = current_generation()
    index = _index
    if index is not None and index.generation == generation:
        return index
    with _lock:
        if _index is None or _index.generation != generation:
            _index = _load_index(generation, _index)
        return _index


def reset_index() -> None:
    global _index
    _index = None
    _frequencies.clear()


# --- full-text ----------------------------------------------------------------------------


def text_hits(
    words: list[str], tag_groups: list[list[str]], limit: int = TEXT_CANDIDATES
) -> list[tuple[int, float]]:
    """(id, score) of the best full-text matches among published case studies, best first.
    Scores are positive and larger is better on both databases."""
    if not words:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ts_rank_cd must read every matching row's stored tsvector, about ten times the
            # cost of finding the row. Here each selective word adds its inverse document
            # frequency to the rows that contain it (BM25 without term counts), which needs
            # only the GIN index and the row ids.
            size = max(len(semantic_index().ids), 1)
            parts, params = [], []
            filters = "".join(" AND search_vector @@ to_tsquery('simple', %s)" for _ in tag_groups)
            for word in words:
                weight = math.log(1 + size / max(_frequencies.get(word) or 1, 1))
                # Only fixed SQL text is joined here; every value is a query parameter.
                parts.append(
                    "SELECT id, %s::float8 AS w FROM library_casestudy WHERE status = "  # noqa: S608
                    "'published' AND search_vector @@ to_tsquery('english', %s)" + filters
                )
                params += [weight, word, *(" | ".join(group) for group in tag_groups)]
            sql = (
                "SELECT id, sum(w) AS score FROM ("  # noqa: S608 - fixed text, values are params
                + " UNION ALL ".join(parts)
                + ") AS hits "
                "GROUP BY id ORDER BY score DESC, id LIMIT %s"
            )
            params.append(limit)
        else:
            # bm25() is lower-is-better; the title counts ten times the body, tags nothing.
            sql = (
                "SELECT rowid, -bm25(library_casestudy_fts, 10.0, 1.0, 0.0) AS score "
                "FROM library_casestudy_fts WHERE library_casestudy_fts MATCH %s "
                "ORDER BY bm25(library_casestudy_fts, 10.0, 1.0, 0.0) LIMIT %s"
            )
            params = [q.fts5_expression(words, tag_groups), limit]
        cursor.execute(sql, params)
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]


def document_frequency(word: str) -> int:
    """How many published case studies contain `word` (after the database's stemming)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM library_casestudy WHERE status = 'published' "
                "AND search_vector @@ to_tsquery('english', %s)",
                [word],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM library_casestudy_fts WHERE library_casestudy_fts MATCH %s",
                [q.fts5_expression([word])],
            )
        return int(cursor.fetchone()[0])


_frequencies: dict[str, int] = {}
_frequencies_generation: list[int | None] = [None]


def selective_words(words: list[str], index: SemanticIndex) -> list[str]:
    """The words worth ranking by full text: the rarest first, while the documents they occur in
    add up to no more than the database's ranking budget (`RANKING_BUDGET`), at most
    MAX_RANKED_WORDS.

    Ranking scores every document a word occurs in, so a word found in much of the library
    ("pupils", "support") costs the most and tells the least; its meaning still counts through
    the semantic half. Frequencies are cached per process until the published set changes.
    """
    if _frequencies_generation[0] != index.generation:
        _frequencies.clear()
        _frequencies_generation[0] = index.generation
    for word in words:
        if word not in _frequencies:
            _frequencies[word] = document_frequency(word)
    budget = RANKING_BUDGET.get(connection.vendor, 2000)
    chosen, total = [], 0
    for word in sorted((w for w in words if _frequencies[w] > 0), key=_frequencies.get):
        if total + _frequencies[word] > budget or len(chosen) == MAX_RANKED_WORDS:
            break
        chosen.append(word)
        total += _frequencies[word]
    return chosen


# --- the search ---------------------------------------------------------------------------


@dataclass
class SearchResult:
    query: q.ParsedQuery
    ids: list[int]  # every result id, in order (at most MAX_RESULTS)
    scores: dict[int, float]
    capped: bool = False

    @property
    def total(self) -> int:
        return len(self.ids)


def tag_groups_for(filters: dict[str, list[str]]) -> list[list[str]]:
    return [[term(facet, v) for v in filters[facet]] for facet in FACET_KEYS if filters.get(facet)]


def search(raw_query: str | None, filters: dict[str, list[str]], sort: str = "") -> SearchResult:
    parsed = q.parse(raw_query)
    groups = tag_groups_for(filters)
    index = semantic_index()
    mask = index.mask(groups)
    sort = sort if sort in SORTS else ("relevance" if parsed.words else "newest")

    if not parsed.words:
        rows = np.flatnonzero(mask) if mask is not None else np.arange(len(index.ids))
        if sort == "title":
            order = rows[np.argsort(index.title_order[rows], kind="stable")]
        else:
            order = rows[np.lexsort((-index.ids[rows], -index.published[rows]))]
        ids = [int(x) for x in index.ids[order[:MAX_RESULTS]]]
        return SearchResult(parsed, ids, {}, capped=len(order) > MAX_RESULTS)

    hits = text_hits(selective_words(parsed.expanded, index), groups)
    scores: dict[int, float] = {}
    sims = np.zeros(0, dtype=np.float32)
    if len(index.ids):
        vector = embed([parsed.text])[0]
        sims = similarities(index.matrix, vector)
        if mask is not None:
            sims = np.where(mask, sims, -1.0)
    if hits and connection.vendor == "postgresql":
        hits = _with_title_weight(hits, parsed.words, index)
    best_text = max((s for _i, s in hits), default=0.0) or 1.0
    for case_id, score in hits:
        row = index.position.get(case_id)
        if row is None:
            continue  # published after this process's index was built: shown next reload
        scores[case_id] = TEXT_WEIGHT * score / best_text + SEMANTIC_WEIGHT * float(sims[row])
    if len(sims):
        k = min(SEMANTIC_CANDIDATES, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        for row in top:
            similarity = float(sims[row])
            case_id = int(index.ids[row])
            if similarity >= SEMANTIC_FLOOR and case_id not in scores:
                scores[case_id] = SEMANTIC_WEIGHT * similarity
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    if sort == "newest":
        ranked.sort(key=lambda i: -index.published[index.position[i]])
    elif sort == "title":
        ranked.sort(key=lambda i: index.title_order[index.position[i]])
    return SearchResult(parsed, ranked[:MAX_RESULTS], scores, capped=len(ranked) > MAX_RESULTS)


def _with_title_weight(
    hits: list[tuple[int, float]], words: list[str], index: SemanticIndex
) -> list[tuple[int, float]]:
    """PostgreSQL's idf sum (see text_hits) ignores where a word is; FTS5's bm25() counts the
    title ten times. This gives PostgreSQL hits the same preference from the titles held in
    memory: each query word found at the start of a title word adds the hit's best score."""
    pattern = q.highlight_pattern(words)
    if pattern is None or not index.titles:
        return hits
    best = max(score for _i, score in hits)
    out = []
    for case_id, score in hits:
        row = index.position.get(case_id)
        found = len(pattern.findall(index.titles[row])) if row is not None else 0
        out.append((case_id, score + TITLE_WEIGHT * best * found / len(words)))
    return out


def similar(case_study: CaseStudy, limit: int = 3) -> list[int]:
    """Ids of the published case studies closest in meaning to this one."""
    index = semantic_index()
    row = index.position.get(case_study.pk)
    if row is None or len(index.ids) < 2:
        return []
    sims = similarities(index.matrix, index.matrix[row])
    sims[row] = -math.inf
    k = min(limit, len(sims) - 1)
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.argsort(-sims[top])]
    return [int(index.ids[i]) for i in top]
