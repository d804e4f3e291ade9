"""Search latency of the case study library with many published case studies (prints JSON).

    .venv/bin/python -m bench.search_bench --db sqlite --n 100000
    .venv/bin/python -m bench.search_bench --db postgres --n 100000 \
        --postgres postgres://postgres@127.0.0.1:5432/inpractice_bench

Builds a fresh database (a file under /tmp for SQLite; the named PostgreSQL database is dropped
and created), runs the migrations, and bulk-inserts N synthetic published case studies written
from the demo's practice texts (each with its submission, tags and embedding, as publishing
would leave them). Then, for a fixed set of queries (some with filters), it times:

* `search`: the library's whole search (full text + semantic re-ranking + filters), as the
  search page and API call it, with the in-memory index already loaded;
* `raw_fts`: the database's own ranked full-text query for all the query's words (every word
  and its synonyms, OR, top 300 by FTS5 bm25() / PostgreSQL ts_rank_cd()): what a plain
  full-text search costs;

Each query runs `--repeat` times; p50/p95 are over all runs. Results are merged into
bench/results/search.json under the database's name.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SQLITE_PATH = Path(tempfile.gettempdir()) / "inpractice-search-bench.sqlite3"
QUERIES = [
    "helping autistic pupils cope with lesson changes",
    "visual timetables",
    "transition to secondary school",
    "phonics catch-up for struggling readers",
    "working with parents and families",
    "speech and language therapy in the classroom",
    "sensory room",
    "wheelchair users in PE",
    "governors inclusion strategy",
    "early identification of needs in reception",
    "emotionally based school avoidance attendance",
    "deaf pupils radio aids",
    "nurture group",
    "resourced provision",
    "teaching assistants training",
    "dyslexia",
    "ADHD",
    "SEMH",
    "the",
    "a b c",
    '"quoted" NEAR(*) -minus',
    "mental health support team in school",
    "maths mastery with concrete resources",
    "lunchtime clubs for children who find the playground hard",
]
FILTERS = [{}, {"phase": ["primary"]}, {"region": ["E12000007"], "phase": ["secondary"]}]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def setup_database(kind: str, postgres_url: str, path: Path = SQLITE_PATH) -> str:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    base, name = postgres_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url


def populate(n: int, seed: int) -> dict:
    from django.contrib.auth import get_user_model  # noqa: F401 - apps ready
    from django.db import transaction
    from django.utils import timezone

    from inpractice.demo.texts import PRACTICES
    from inpractice.intake.choices import NEED_AREAS, Phase, PracticeType
    from inpractice.intake.models import CallForEvidence, Submission
    from inpractice.library.models import CaseStudy
    from inpractice.library.search import bump_generation, embed, vector_bytes
    from inpractice.library.tags import tag_terms
    from inpractice.schools.models import Region

    rng = random.Random(seed)
    now = timezone.now()
    call = CallForEvidence.objects.create(
        slug="bench",
        title="Benchmark call",
        introduction="Synthetic.",
        opens_at=now - timezone.timedelta(days=60),
        closes_at=now - timezone.timedelta(days=1),
    )
    regions = [r for r, _ in Region.choices]
    phases = [p for p, _ in Phase.choices]
    types = [t for t, _ in PracticeType.choices]
    timings = {}
    t0 = time.perf_counter()
    batch = 5000
    made = 0
    while made < n:
        size = min(batch, n - made)
        subs = [
            Submission(
                call=call,
                status="submitted",
                reference=f"IP-{made + i:09d}",
                resume_token_hash=f"{made + i:064d}",
                source="demo",
                consent_publication="anonymised",
                submitted_at=now,
            )
            for i in range(size)
        ]
        cases = []
        texts = []
        for i in range(size):
            practice = rng.choice(PRACTICES)
            other = rng.choice(PRACTICES)
            sentences = [s for s in practice.text.split(". ") if s]
            rng.shuffle(sentences)
            body = ". ".join(sentences[: max(3, len(sentences) - 2)])
            extra = ". ".join(other.text.split(". ")[:2])
            title = rng.choice(practice.titles)
            codes = list(practice.needs)[:3]
            area_keys = [k for k, (_l, members) in NEED_AREAS.items() if set(codes) & set(members)]
            case = CaseStudy(
                call=call,
                status="published",
                attribution="anonymised",
                title=f"{title} ({made + i})" if rng.random() < 0.5 else title,
                summary=practice.short,
                setting=f"A {rng.choice(phases)} school.",
                need=rng.choice(practice.need_descriptions),
                practice=body,
                enablers=extra,
                impact="Attendance and progress improved over two terms.",
                advice="Start small and involve families.",
                principles=[practice.principle],
                practice_types=[rng.choice(types)],
                need_areas=area_keys,
                need_codes=codes,
                organisation_type=rng.choice(["school", "trust", "local_authority"]),
                phases=sorted(set(practice.phases) & set(phases)) or [rng.choice(phases)],
                region=rng.choice(regions),
                published_at=now - timezone.timedelta(minutes=made + i),
                first_published_at=now - timezone.timedelta(minutes=made + i),
                slug=f"bench-{made + i}",
            )
            case.search_text = "\n\n".join(
                [case.summary, case.setting, case.need, case.practice, case.enablers, case.impact]
            )
            case.tag_terms = tag_terms(case)
            cases.append(case)
            texts.append(f"{case.title}. {case.summary}\n{case.search_text}")
        vectors = embed(texts)
        for case, vector in zip(cases, vectors, strict=True):
            case.embedding = vector_bytes(vector)
        with transaction.atomic():
            Submission.objects.bulk_create(subs, batch_size=1000)
            for case, sub in zip(cases, subs, strict=True):
                case.submission = sub
            CaseStudy.objects.bulk_create(cases, batch_size=1000)
        made += size
        print(f"  inserted {made:,} case studies", file=sys.stderr)
    bump_generation()
    timings["insert_s"] = round(time.perf_counter() - t0, 1)
    return timings


def raw_ranked(words: list[str], groups: list[list[str]], limit: int = 300) -> list:
    """The database's own ranked full-text query for all the words: the baseline."""
    from django.db import connection

    from inpractice.library import query as q

    if not words:
        return []
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, bm25(library_casestudy_fts) FROM library_casestudy_fts "
                "WHERE library_casestudy_fts MATCH %s ORDER BY 2 LIMIT %s",
                [q.fts5_expression(words, groups), limit],
            )
            return cursor.fetchall()
    sql = (
        "SELECT id, ts_rank_cd(search_vector, query, 1) AS score "
        "FROM library_casestudy, to_tsquery('english', %s) AS query "
        "WHERE status = 'published' AND search_vector @@ query"
    )
    params: list = [q.tsquery_text(words)]
    for group in groups:
        sql += " AND search_vector @@ to_tsquery('simple', %s)"
        params.append(" | ".join(group))
    sql += " ORDER BY score DESC, id LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return cursor.fetchall()


def measure(repeat: int) -> dict:
    from django.db import connection

    from inpractice.library import query as q
    from inpractice.library.search import reset_index, search, semantic_index, tag_groups_for

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    reset_index()
    t0 = time.perf_counter()
    index = semantic_index()
    load_s = time.perf_counter() - t0
    search_ms: list[float] = []
    raw_ms: list[float] = []
    counts = []
    for text in QUERIES:
        for filters in FILTERS:
            parsed = q.parse(text)
            groups = tag_groups_for(filters)
            search(text, filters)  # warm the query's pages in the database cache
            for _ in range(repeat):
                t = time.perf_counter()
                raw_ranked(parsed.expanded, groups)
                raw_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                result = search(text, filters)
                search_ms.append((time.perf_counter() - t) * 1000)
            counts.append(result.total)
    p95_search, p95_raw = percentile(search_ms, 0.95), percentile(raw_ms, 0.95)
    return {
        "published_case_studies": len(index.ids),
        "index_load_s": round(load_s, 2),
        "queries": len(QUERIES) * len(FILTERS),
        "runs_per_query": repeat,
        "search_ms": {
            "p50": round(statistics.median(search_ms), 2),
            "p95": round(p95_search, 2),
            "max": round(max(search_ms), 2),
        },
        "raw_fts_ms": {
            "p50": round(statistics.median(raw_ms), 2),
            "p95": round(p95_raw, 2),
            "max": round(max(raw_ms), 2),
        },
        "p95_ratio_search_to_raw": round(p95_search / p95_raw, 2) if p95_raw else None,
        "median_results": statistics.median(counts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/inpractice_search_bench"
    )
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument(
        "--out", type=Path, default=HERE / "results" / "search.json", help="JSON to merge into"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database left by the last run as it is"
    )
    args = parser.parse_args()

    if args.reuse:
        os.environ["DATABASE_URL"] = (
            args.postgres if args.db == "postgres" else f"sqlite:///{SQLITE_PATH}"
        )
    else:
        os.environ["DATABASE_URL"] = setup_database(args.db, args.postgres)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpractice.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = {"database": args.db, "n": args.n}
    if not args.reuse:
        result.update(populate(args.n, args.seed))
    result.update(measure(args.repeat))
    result["cpu_count"] = os.cpu_count()
    print(json.dumps(result, indent=2))
    if not args.no_save:
        out = args.out
        data = json.loads(out.read_text()) if out.exists() else {}
        if args.reuse and "insert_s" in data.get(args.db, {}):
            result["insert_s"] = data[args.db]["insert_s"]  # from the run that built it
        data[args.db] = result
        out.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
