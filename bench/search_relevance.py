"""How well the library search finds what people look for: nDCG@10, precision@5 and zero-result
rate over the judged queries in bench/search_judgements.yaml (prints JSON).

    .venv/bin/python -m bench.search_relevance --db sqlite --label after
    .venv/bin/python -m bench.search_relevance --db postgres --label after

The judgements were made against the demo library's 24 published case studies as `inpractice
demo` made them on 2026-12-06. Those case studies are frozen in bench/search_library.json (made
by `python -m bench.search_relevance export --from sqlite:///demo.sqlite3`), so the judged set
keeps meaning what it meant when the demo's wording changes. `load_library()` publishes that
copy into whichever database is set (the bench's fresh database, or a test's), with the search
columns filled exactly as publishing fills them.

Metrics, per query then averaged:
* nDCG@10 with gain 2^grade - 1, over the queries that have at least one judged case study;
* precision@5: the share of the first five results graded 2 or 3 (a shorter list counts the
  missing places as misses);
* zero-result rate: the share of answerable queries that returned nothing (a miss for sure);
* for the queries nothing answers, the share that returned anything (should be none);
* the mean number of results and the share of all results judged relevant at all (grade >= 1),
  which is what the heading's count promises.
Each is reported for all queries and for each half of the split (`tune`: thresholds were chosen
on it; `test`: held out).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
JUDGEMENTS = HERE / "search_judgements.yaml"
LIBRARY = HERE / "search_library.json"
RESULTS = HERE / "results" / "search_relevance.json"
FIELDS = [
    "slug",
    "title",
    "summary",
    "setting",
    "need",
    "practice",
    "enablers",
    "impact",
    "advice",
    "quotes",
    "attribution",
    "organisation_display",
    "principles",
    "practice_types",
    "need_areas",
    "need_codes",
    "organisation_type",
    "phases",
    "region",
]


def judgements() -> list[dict]:
    """The judged queries, each with `rel` as {slug: grade}."""
    data = yaml.safe_load(JUDGEMENTS.read_text())
    slugs = data["case_studies"]
    return [
        {**query, "rel": {slugs[key]: grade for key, grade in (query["rel"] or {}).items()}}
        for query in data["queries"]
    ]


# --- the frozen library -----------------------------------------------------------------------


def export(database_url: str) -> None:
    """Write bench/search_library.json from a database the demo was loaded into."""
    os.environ["DATABASE_URL"] = database_url
    _django()
    from inpractice.library.models import CaseStudy, Status

    rows = CaseStudy.objects.filter(status=Status.PUBLISHED).order_by("id").values(*FIELDS)
    LIBRARY.write_text(json.dumps(list(rows), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {LIBRARY} ({len(rows)} case studies)", file=sys.stderr)


def load_library() -> dict[str, int]:
    """Publish the frozen judged library into the current database; returns {slug: id}."""
    from django.db import transaction
    from django.utils import timezone

    from inpractice.intake.models import CallForEvidence, Submission
    from inpractice.library.models import CaseStudy, Status
    from inpractice.library.search import bump_generation, prepare_for_index

    records = json.loads(LIBRARY.read_text())
    now = timezone.now()
    ids = {}
    with transaction.atomic():
        call = CallForEvidence.objects.create(
            slug="judged-library",
            title="The judged demo library",
            introduction="Case studies frozen for the search relevance bench.",
            opens_at=now - timezone.timedelta(days=90),
            closes_at=now - timezone.timedelta(days=30),
        )
        for i, record in enumerate(records):
            submission = Submission.objects.create(
                call=call,
                status="submitted",
                reference=f"IP-J{i:08d}",
                resume_token_hash=f"judged{i:058d}",
                source="demo",
                consent_publication=record["attribution"],
                submitted_at=now,
            )
            case_study = CaseStudy(
                call=call,
                submission=submission,
                status=Status.PUBLISHED,
                published_at=now - timezone.timedelta(hours=i),
                first_published_at=now - timezone.timedelta(hours=i),
                **record,
            )
            prepare_for_index(case_study)
            case_study.save()
            ids[case_study.slug] = case_study.pk
        bump_generation()
    return ids


# --- metrics ----------------------------------------------------------------------------------


def dcg(gains: list[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: list[str], rel: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted((2**g - 1 for g in rel.values()), reverse=True)[:k])
    if not ideal:
        return 0.0
    return dcg([2 ** rel.get(slug, 0) - 1 for slug in ranked[:k]]) / ideal


def precision_at(ranked: list[str], rel: dict[str, int], k: int = 5) -> float:
    return sum(1 for slug in ranked[:k] if rel.get(slug, 0) >= 2) / k


def summarise(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["rel"]]
    unanswerable = [r for r in rows if not r["rel"]]
    returned = [slug for r in answerable for slug in r["ranked"]]
    mean = statistics.fmean
    return {
        "queries": len(rows),
        "ndcg@10": round(mean(r["ndcg@10"] for r in answerable), 3) if answerable else None,
        "p@5": round(mean(r["p@5"] for r in answerable), 3) if answerable else None,
        "zero_result_rate": round(mean(not r["ranked"] for r in answerable), 3)
        if answerable
        else None,
        "unanswerable_queries": len(unanswerable),
        "unanswerable_with_results": round(mean(bool(r["ranked"]) for r in unanswerable), 3)
        if unanswerable
        else None,
        "mean_results": round(mean(len(r["ranked"]) for r in rows), 1),
        "share_of_results_judged_relevant": round(
            sum(1 for r in answerable for s in r["ranked"] if r["rel"].get(s, 0) >= 1)
            / len(returned),
            3,
        )
        if returned
        else None,
    }


def evaluate(search: Callable[[str], list[str]] | None = None) -> dict:
    """Run every judged query (through `search`, by default the library's) and score it."""
    if search is None:
        search = library_search
    rows = []
    for query in judgements():
        ranked = search(query["q"])
        rows.append(
            {
                **query,
                "ranked": ranked,
                "ndcg@10": ndcg_at(ranked, query["rel"]),
                "p@5": precision_at(ranked, query["rel"]),
            }
        )
    return {
        "all": summarise(rows),
        "tune": summarise([r for r in rows if r["split"] == "tune"]),
        "test": summarise([r for r in rows if r["split"] == "test"]),
        "per_query": [
            {
                "q": r["q"],
                "split": r["split"],
                "ndcg@10": round(r["ndcg@10"], 3),
                "p@5": r["p@5"],
                "results": len(r["ranked"]),
                "top5": [f"{s[:40]}:{r['rel'].get(s, 0)}" for s in r["ranked"][:5]],
            }
            for r in rows
        ],
    }


def library_search(text: str) -> list[str]:
    """Slugs of the library's results for `text`, in order, as the search page lists them."""
    from inpractice.library.models import CaseStudy
    from inpractice.library.search import search

    ids = search(text, {}).ids
    slugs = dict(CaseStudy.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return [slugs[i] for i in ids]


# --- the command ------------------------------------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpractice.settings")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="evaluate", choices=["evaluate", "export"])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/inpractice_search_relevance"
    )
    parser.add_argument("--from", dest="source", help="export: the demo database's URL")
    parser.add_argument("--label", default="current", help="the key to save the figures under")
    parser.add_argument("--per-query", action="store_true", help="print every query's figures")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    if args.command == "export":
        export(args.source)
        return

    import tempfile

    from bench.search_bench import setup_database

    path = Path(tempfile.gettempdir()) / "inpractice-search-relevance.sqlite3"
    os.environ["DATABASE_URL"] = setup_database(args.db, args.postgres, path)
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load_library()
    result = evaluate()
    summary = {key: result[key] for key in ("all", "tune", "test")}
    print(json.dumps(result if args.per_query else summary, indent=2))
    if not args.no_save:
        data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        data.setdefault(args.label, {})[args.db] = {**summary, "per_query": result["per_query"]}
        RESULTS.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
