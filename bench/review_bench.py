"""Benchmark the workspace's review pages (codebook, retrain, themes, mentions, quotes) on a call
of 10,000 analysed submissions; prints JSON.

    python -m bench.review_bench                       # SQLite file under var/bench/
    python -m bench.review_bench --database postgres   # a scratch PostgreSQL database

Uses the same call as `bench.workspace_bench` (built there once and reused), with its 50 reviewed
and coded submissions, and requests each page through Django's test client as a signed-in lead
analyst, so it measures the server's work (views, queries, templates). Each page is timed
`--repeat` times: median and p95 milliseconds and SQL queries per page.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.workspace_bench import _time, prepared_call

    bench = prepared_call(args.database, args.submissions)
    call = bench.call
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from inpractice.coding.models import AnalysisRun, Mention, Passage

    client = Client()
    client.force_login(bench.lead)

    run = AnalysisRun.objects.filter(call=call, status="succeeded").latest()
    slug = call.slug
    r = args.repeat

    def url(name: str, *extra) -> str:
        return reverse(f"workspace:{name}", args=[slug, *extra])

    theme = run.themes.order_by("-size").first()
    top = (
        Mention.objects.filter(run=run)
        .values("name")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    pages = {
        "codebook": _time(client, url("codebook"), r),
        "codebook_history": _time(client, url("codebook_history"), r),
        "codebook_split_form": _time(client, url("codebook_split", "p1"), r),
        "retrain_readiness": _time(client, url("retrain"), max(3, r // 2)),
        "themes": _time(client, url("themes"), r),
        "mentions": _time(client, url("mentions"), r),
        "quotes": _time(client, url("quotes"), r),
        "quotes_one_code": _time(client, url("quotes") + "?about=code:p2", r),
    }
    if theme is not None:
        pages["theme_largest"] = _time(client, url("theme", theme.pk), r)
        pages["theme_largest_page_20"] = _time(client, url("theme", theme.pk) + "?page=20", r)
    if top is not None:
        from urllib.parse import urlencode

        examples = url("mention_examples") + "?" + urlencode({"name": top["name"]})
        pages["mention_examples_most_mentioned"] = _time(client, examples, r)
        pages["mention_examples_page_10"] = _time(client, examples + "&page=10", r)
    result = {
        "benchmark": "workspace review pages",
        "database": args.database,
        "submissions": call.submissions.count(),
        "passages": Passage.objects.filter(run=run).count(),
        "themes": run.themes.count(),
        "largest_theme_passages": theme.size if theme else 0,
        "mentions": Mention.objects.filter(run=run).count(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "pages": pages,
    }
    text = json.dumps(result, indent=2)
    print(text)
    out = args.out or ROOT / "bench" / "results" / f"workspace_review_{args.database}.json"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
