"""Searching the published case studies: which case studies have the query's words (database
full text) and how close they are in meaning (the analysis embeddings), fused into one score
with a bar below which nothing is a result (docs/decisions/0008-library-search.md, 0018).

* Full text: SQLite FTS5 (`library_casestudy_fts`, an external-content table kept in step with
  `library_casestudy` by triggers that index published rows only) or PostgreSQL (a generated
  `search_vector` tsvector column with a GIN index over published rows). Both created by this
  app's migration for the database in use.
* Semantic: each case study's float32 vector (`CaseStudy.embedding`, static MiniLM embeddings).
  Each process keeps one L2-normalised matrix of the published vectors, loaded once and reloaded
  only when `LibraryGeneration` says the published set changed, and does a single matrix-vector
  product per query for nearest neighbours.
* A query is read as concepts (query.py: each word, or a SEND synonym phrase, with every term
  that means the same). Each case study gets three kinds of evidence: the idf-weighted share of
  the query's concepts it has (`concept_hits`: one UNION ALL query, the rarest concepts fetched
  wherever they are within `RANKING_BUDGET` rows, up to two commoner ones looked for among the
  candidates only), the share in its title, and its cosine similarity to the query. They are
  fused into one score, and only case studies above `RESULT_MIN` are results (ADR 0018: the
  weights and bars were chosen on half of the judged queries in bench/search_judgements.yaml
  and checked on the other half).
* A word no case study has is replaced by the library's word one typing mistake away
  (`correction`, over an in-memory vocabulary), and the page says so.

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

SEMANTIC_CANDIDATES = 300
# Fusing the evidence (ADR 0008 and the ADR on measured relevance). Chosen by a grid search on
# the `tune` half of bench/search_judgements.yaml (best nDCG@10 plus the share of results judged
# relevant), then checked on the held-out `test` half: bench/README.md has the figures.
WORDS_WEIGHT = 0.5  # share of the query's concepts (by idf) the case study has
TITLE_WEIGHT = 0.3  # ... that are in its title
MEANING_WEIGHT = 0.6  # cosine similarity, rescaled from SEMANTIC_ZERO..1 to 0..1
SEMANTIC_ZERO = 0.2
SEMANTIC_ONLY_MIN = 0.6  # a case study with none of the words is listed only above this cosine
RESULT_MIN = 0.35  # below this fused score a case study is not a result at all
COMMON_SHARE = 0.8  # a concept in more of the library than this counts for nothing...
UNKNOWN_WORD_WEIGHT = 0.6  # a word found nowhere, as a share of the weight of the rarest
MAX_RESULTS = 1000
# Rows the full-text side may fetch per query (ADR 0008 measured ranking at about 1.5 µs a
# document on SQLite and 2.5 µs on PostgreSQL; fetching ids costs less, so the budget holds).
RANKING_BUDGET = {"sqlite": 5_000, "postgresql": 2_000}
MAX_RANKED_WORDS = 8
MAX_CHECKED_WORDS = 2  # of those, at most this many looked for among the candidates only
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
    _vocabulary.clear()
    _frequencies_generation[0] = None


# --- full text: which case studies have which concept ------------------------------------


def _concept_sql(
    concept: q.Concept, tag_groups: list[list[str]], in_title: bool = False
) -> tuple[str, list]:
    """WHERE text and parameters: published case studies with any term of `concept` (in the
    title only, if `in_title`: SQLite only), within the filters. Only fixed SQL is joined;
    every value is a parameter (terms hold only letters, digits and spaces)."""
    if connection.vendor == "postgresql":
        # No title-only form: checking a tsvector weight reads every matching row (see search).
        any_term = " || ".join("phraseto_tsquery('english', %s)" for _ in concept.terms)
        params: list = list(concept.terms)
        where = f"status = 'published' AND search_vector @@ ({any_term})"
        for group in tag_groups:
            where += " AND search_vector @@ to_tsquery('simple', %s)"
            params.append(" | ".join(group))
        return where, params
    strings = [f'"{t}"' for t in concept.terms]
    expression = ("title : " if in_title else "") + "(" + " OR ".join(strings) + ")"
    for group in tag_groups:
        expression += " AND tag_terms : (" + " OR ".join(f'"{t}"' for t in group) + ")"
    return "library_casestudy_fts MATCH %s", [expression]


def _table() -> str:
    return "library_casestudy" if connection.vendor == "postgresql" else "library_casestudy_fts"


def _id_column() -> str:
    return "id" if connection.vendor == "postgresql" else "rowid"


def concept_frequency(concept: q.Concept) -> int:
    """How many published case studies have the concept (after the database's stemming)."""
    where, params = _concept_sql(concept, [])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {_table()} WHERE {where}", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def concept_hits(
    concepts: list[q.Concept],
    tag_groups: list[list[str]],
    within: list[int] | None = None,
    with_titles: bool = False,
) -> list[tuple[int, int]]:
    """(case study id, number of a concept in `concepts` it has) pairs, in one query; only
    among the case studies `within`, if given. With `with_titles`, also (id, len(concepts) +
    number) for a concept in the title."""
    if not concepts or within == []:
        return []
    parts, params = [], []
    for number, in_title, concept in [
        *((n, False, c) for n, c in enumerate(concepts)),
        *((len(concepts) + n, True, c) for n, c in enumerate(concepts) if with_titles),
    ]:
        where, values = _concept_sql(concept, tag_groups, in_title)
        if within is not None:
            if connection.vendor == "postgresql":
                where += " AND id = ANY(%s)"
                values = [*values, within]
            else:
                where += f" AND rowid IN ({','.join('%s' for _ in within)})"
                values = [*values, *within]
        parts.append(f"SELECT {_id_column()}, {number} FROM {_table()} WHERE {where}")  # noqa: S608
        params += values
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


_frequencies: dict[str, int] = {}
_frequencies_generation: list[int | None] = [None]


def frequency(concept: q.Concept, index: SemanticIndex) -> int:
    """concept_frequency, cached per process until the published set changes."""
    if _frequencies_generation[0] != index.generation:
        _frequencies.clear()
        _vocabulary.clear()
        _frequencies_generation[0] = index.generation
    if concept.key not in _frequencies:
        _frequencies[concept.key] = concept_frequency(concept)
    return _frequencies[concept.key]


# --- typing mistakes: the nearest word the library uses --------------------------------------

VOCABULARY_SAMPLE = 3000  # recent case studies whose words make the vocabulary (with all titles)
CORRECTION_MIN_SIMILARITY = 0.4  # Dice coefficient of letter trigrams, to find candidates
_vocabulary: dict[str, object] = {}


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def vocabulary(index: SemanticIndex) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Words of the library ({word: case studies using it}) and a trigram index over them, made
    once per published set: every title, the text of the most recent VOCABULARY_SAMPLE case
    studies, and the synonym data. A sample bounds the cost at 100,000 case studies (reading
    every text would take seconds); a word the sample misses is rare enough not to matter."""
    if _frequencies_generation[0] != index.generation:
        _frequencies.clear()
        _vocabulary.clear()
        _frequencies_generation[0] = index.generation
    if "words" not in _vocabulary:
        counts: dict[str, int] = {}
        recent = index.ids[np.argsort(-index.published, kind="stable")[:VOCABULARY_SAMPLE]]
        texts = list(
            CaseStudy.objects.filter(pk__in=[int(i) for i in recent]).values_list(
                "search_text", flat=True
            )
        )
        for text in [*texts, *index.titles]:
            for word in set(q.WORD.findall(text.lower())):
                if len(word) >= 4 and word.isalpha():
                    counts[word] = counts.get(word, 0) + 1
        for group in q.synonym_groups():
            for t in group.terms:
                for word in t.split():
                    counts.setdefault(word, 1)
        grams: dict[str, list[str]] = {}
        for word in counts:
            for gram in _trigrams(word):
                grams.setdefault(gram, []).append(word)
        _vocabulary["words"], _vocabulary["grams"] = counts, grams
    return _vocabulary["words"], _vocabulary["grams"]  # type: ignore[return-value]


def one_edit_apart(a: str, b: str) -> bool:
    """True if one letter added, dropped, changed, or two neighbours swapped turns a into b:
    most typing mistakes (measured on the judged typos: dyslexcia, autisim, transtion,
    langauge, provison). Two edits also turn real words into other real words
    (playground, playgroup)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def correction(word: str, index: SemanticIndex) -> str | None:
    """The library's word nearest to `word` by letter trigrams, if one typing mistake away."""
    if len(word) < 5 or not word.isalpha():
        return None
    counts, grams = vocabulary(index)
    if word in counts:
        return None
    mine = _trigrams(word)
    shared: dict[str, int] = {}
    for gram in mine:
        for other in grams.get(gram, ()):
            shared[other] = shared.get(other, 0) + 1
    best, best_key = None, (0.0, 0)
    for other, n in shared.items():
        similarity = 2 * n / (len(mine) + len(_trigrams(other)))
        key = (similarity, counts[other])
        if (
            similarity >= CORRECTION_MIN_SIMILARITY
            and key > best_key
            and one_edit_apart(word, other)
        ):
            best, best_key = other, key
    return best


# --- the search ---------------------------------------------------------------------------


@dataclass
class SearchResult:
    query: q.ParsedQuery
    ids: list[int]  # every result id, in order (at most MAX_RESULTS)
    scores: dict[int, float]
    capped: bool = False
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> word searched
    matched_terms: list[str] = field(default_factory=list)  # what the results were found by

    @property
    def total(self) -> int:
        return len(self.ids)


def tag_groups_for(filters: dict[str, list[str]]) -> list[list[str]]:
    return [[term(facet, v) for v in filters[facet]] for facet in FACET_KEYS if filters.get(facet)]


def _browse(parsed, index, mask, sort) -> SearchResult:
    rows = np.flatnonzero(mask) if mask is not None else np.arange(len(index.ids))
    if sort == "title":
        order = rows[np.argsort(index.title_order[rows], kind="stable")]
    else:
        order = rows[np.lexsort((-index.ids[rows], -index.published[rows]))]
    ids = [int(x) for x in index.ids[order[:MAX_RESULTS]]]
    return SearchResult(parsed, ids, {}, capped=len(order) > MAX_RESULTS)


def _understood(parsed: q.ParsedQuery, index: SemanticIndex) -> tuple[list, dict[str, str]]:
    """The query's concepts with their frequencies. A typed word the library never uses is
    replaced by the library's word one typing mistake away, when there is one, and the query
    read again (so "speech and langauge therapy" becomes the phrase it was meant to be)."""
    corrections = {}
    for concept in parsed.concepts:
        if " " not in concept.typed and frequency(concept, index) == 0:
            better = correction(concept.typed, index)
            if better is not None and frequency(q.concept_for(better), index):
                corrections[concept.typed] = better
    concepts = parsed.concepts
    if corrections:
        tokens = [corrections.get(t, t) for t in q.tokens(parsed.text)]
        concepts = q.concepts_of(tokens)
    return [(c, frequency(c, index)) for c in concepts], corrections


def search(raw_query: str | None, filters: dict[str, list[str]], sort: str = "") -> SearchResult:
    parsed = q.parse(raw_query)
    groups = tag_groups_for(filters)
    index = semantic_index()
    mask = index.mask(groups)
    sort = sort if sort in SORTS else ("relevance" if parsed.words else "newest")
    if not parsed.words:
        return _browse(parsed, index, mask, sort)
    size = len(index.ids)
    if not size:
        return SearchResult(parsed, [], {})

    concepts, corrections = _understood(parsed, index)
    # Evidence from words. Each concept weighs its inverse document frequency. One found in
    # more than COMMON_SHARE of the library ("pupils", "school") tells nothing and is left out
    # of both sides; one found nowhere counts against every case study. The rarest are fetched
    # wherever they are while the rows stay within the database's budget; the rest ("checked")
    # are looked for only among the candidates: the best by the fetched words and by meaning.
    budget = RANKING_BUDGET.get(connection.vendor, 2000)
    fetched, checked, fetched_weights, checked_weights = [], [], [], []
    total_weight, rows = 0.0, 0
    informative = [c for c in concepts if c[1] <= COMMON_SHARE * size] or concepts
    for concept, df in sorted(informative, key=lambda c: c[1]):
        weight = math.log(1 + size / max(df, 1)) * (1.0 if df else UNKNOWN_WORD_WEIGHT)
        if df and (
            len(fetched) + len(checked) >= MAX_RANKED_WORDS
            or (rows + df > budget and len(checked) >= MAX_CHECKED_WORDS)
        ):
            continue  # counts for nobody
        total_weight += weight
        if df and rows + df <= budget:
            fetched.append(concept)
            fetched_weights.append(weight)
            rows += df
        elif df:
            checked.append(concept)
            checked_weights.append(weight)
    n_fetched, n_used = len(fetched), len(fetched) + len(checked)
    # Numbered 0..n_used-1 for a concept in the text, n_used + that for one in the title.
    # Titles: FTS5 reads its title column cheaply; PostgreSQL would have to read every matching
    # row's tsvector to check a weight, so there the titles held in memory are matched instead.
    in_sql = connection.vendor != "postgresql"
    hits = [
        (i, n if n < n_fetched else n_used + n - n_fetched)
        for i, n in concept_hits(fetched, groups, with_titles=in_sql)
    ]
    if not in_sql:
        hits += _titles_with(fetched, hits, index, offset=n_used)

    # The embedding reads the query as meant: typing mistakes corrected, abbreviations spelt out.
    text = parsed.text
    if corrections:
        text = " ".join(corrections.get(t, t) for t in q.tokens(parsed.text))
    query_text = " ".join([text, *_abbreviation_meanings(concepts)])
    sims = similarities(index.matrix, embed([query_text])[0])
    if mask is not None:
        sims = np.where(mask, sims, -1.0)
    k = min(SEMANTIC_CANDIDATES, size)
    nearest = np.argpartition(-sims, k - 1)[:k]
    if checked:
        closest = nearest[np.argsort(-sims[nearest])[:CHECK_CANDIDATES]]
        pool = _candidates(hits, fetched_weights, index) | {int(i) for i in index.ids[closest]}
        if mask is not None:
            pool = {i for i in pool if mask[index.position[i]]}
        hits += [
            (i, n_fetched + n if n < len(checked) else n_used + n_fetched + n - len(checked))
            for i, n in _read_for(checked, sorted(pool))
        ]
    concepts_used = fetched + checked
    weights = np.asarray(fetched_weights + checked_weights)
    scores = _word_scores(hits, weights, total_weight, sims, index)
    # Evidence from meaning alone: a case study sharing no word with the query is listed only
    # when it is very close in meaning.
    for row in nearest:
        case_id = int(index.ids[row])
        if case_id not in scores and sims[row] >= SEMANTIC_ONLY_MIN:
            scores[case_id] = _fused(0.0, 0.0, float(sims[row]))
    kept = {i: v for i, v in scores.items() if v >= RESULT_MIN}
    ranked = sorted(kept, key=lambda i: (-kept[i], i))
    if sort == "newest":
        ranked.sort(key=lambda i: -index.published[index.position[i]])
    elif sort == "title":
        ranked.sort(key=lambda i: index.title_order[index.position[i]])
    matched = [t for c in concepts_used for t in c.terms]
    return SearchResult(
        parsed,
        ranked[:MAX_RESULTS],
        kept,
        # Words looked for among the candidates only: more case studies may have them.
        capped=len(ranked) > MAX_RESULTS or bool(checked),
        corrections=corrections,
        matched_terms=matched,
    )


# Words too common to fetch everywhere are looked for among these many best case studies by the
# fetched words and as many by meaning (each such word costs about 3 ms at 100,000 on SQLite).
CHECK_CANDIDATES = 100


def _candidates(hits, weights, index) -> set[int]:
    """Ids of the CHECK_CANDIDATES case studies with the most weight of fetched concepts."""
    hits = [(i, n) for i, n in hits if n < len(weights)]  # in the text, not the title
    if not hits:
        return set()
    ids = np.fromiter((int(i) for i, _n in hits), dtype=np.int64, count=len(hits))
    numbers = np.fromiter((n for _i, n in hits), dtype=np.int64, count=len(hits))
    unique, local = np.unique(ids, return_inverse=True)
    totals = np.bincount(local, weights=np.asarray(weights)[numbers], minlength=len(unique))
    k = min(CHECK_CANDIDATES, len(unique))
    return {int(i) for i in unique[np.argpartition(-totals, k - 1)[:k]]}


def _titles_with(concepts, hits, index, offset: int) -> list[tuple[int, int]]:
    """(id, offset + number) for the hits whose title (held in memory) has each concept."""
    patterns = [q.highlight_pattern(list(c.terms)) for c in concepts]
    position, titles = index.position, index.titles
    found = []
    for case_id, n in hits:
        row = position.get(int(case_id))
        pattern = patterns[n] if n < len(patterns) else None
        if row is not None and pattern is not None and pattern.search(titles[row]):
            found.append((case_id, offset + n))
    return found


def _read_for(concepts: list[q.Concept], ids: list[int]) -> list[tuple[int, int]]:
    """(id, concept number) pairs for the case studies `ids` whose text has each concept (and
    (id, len(concepts) + number) where the title has it), read
    from their text: for a concept too common to fetch everywhere, reading a couple of hundred
    texts costs less than asking the index about them (FTS5's `rowid IN` with several terms
    took 50 ms at 100,000). Words are matched as the highlighting matches them."""
    patterns = [q.highlight_pattern(list(c.terms)) for c in concepts]
    found = []
    rows = CaseStudy.objects.filter(pk__in=ids).values_list("id", "title", "search_text")
    for case_id, title, text in rows:
        for n, pattern in enumerate(patterns):
            if pattern is None:
                continue
            if pattern.search(title):
                found += [(case_id, n), (case_id, len(concepts) + n)]
            elif pattern.search(text):
                found.append((case_id, n))
    return found


def _word_scores(hits, weights, total_weight, sims, index) -> dict[int, float]:
    """Fused scores of the case studies with any of the fetched concepts (vectorised: at
    100,000 case studies a query can have thousands)."""
    position = index.position
    pairs = [(position.get(int(i)), n) for i, n in hits]
    # A row not in the index was published after it was built: shown at the next reload.
    pairs = [(row, n) for row, n in pairs if row is not None]
    if not pairs or not total_weight:
        return {}
    rows = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    numbers = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs))
    unique, local = np.unique(rows, return_inverse=True)
    body = numbers < len(weights)
    words = (
        np.bincount(local[body], weights=weights[numbers[body]], minlength=len(unique))
        / total_weight
    )
    title = ~body
    in_title = np.bincount(
        local[title], weights=weights[numbers[title] - len(weights)], minlength=len(unique)
    )
    meaning = np.maximum(0.0, (sims[unique] - SEMANTIC_ZERO) / (1.0 - SEMANTIC_ZERO))
    base = WORDS_WEIGHT * words + MEANING_WEIGHT * meaning
    total = base + TITLE_WEIGHT * in_title / total_weight
    return {int(i): float(v) for i, v in zip(index.ids[unique], total, strict=True)}


def _fused(words: float, in_title: float, similarity: float) -> float:
    """One score from the three kinds of evidence, each between 0 and 1 (see the constants)."""
    meaning = max(0.0, (similarity - SEMANTIC_ZERO) / (1.0 - SEMANTIC_ZERO))
    return WORDS_WEIGHT * words + TITLE_WEIGHT * in_title + MEANING_WEIGHT * meaning


def _abbreviation_meanings(concepts) -> list[str]:
    """The longest synonym of each short term typed (ASD, HI, SpLD), so that the embedding,
    which knows words rather than abbreviations, reads what was meant."""
    out = []
    for concept, _df in concepts:
        if len(concept.typed) <= 5 and concept.synonyms:
            out.append(max(concept.synonyms, key=len))
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
