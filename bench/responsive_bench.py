"""Web requests stay fast while a worker analyses a call (issue 13): the longest request.

    python -m bench.responsive_bench --database postgres --submissions 10000

(With a 100,000-submission bench call in the default bench database, give this one its own:
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/inpractice_responsive_bench; the
benchmark calls' references would collide.)

Reuses the call bench/workspace_bench.py builds, queues an "analyse" job, and runs a worker in
another process (`inpractice worker --batch`), as in production. Meanwhile it requests the
workspace's queue, a submission, the evidence page and the Jobs page's JSON in turn, as a signed-in
lead, until the job finishes. Prints JSON: how many requests, their median, p95 and maximum.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.workspace_bench import prepared_call

    bench = prepared_call(args.database, args.submissions)
    from django.test import Client
    from django.urls import reverse

    from inpractice.intake.models import Submission
    from inpractice.jobs.service import start

    call = bench.call
    client = Client()
    client.force_login(bench.lead)
    first = Submission.objects.filter(call=call).order_by("pk").values_list("pk", flat=True)[0]
    urls = [
        reverse("workspace:queue", args=[call.slug]),
        reverse("workspace:submission", args=[call.slug, first]),
        reverse("workspace:evidence", args=[call.slug]) + "?code=p1",
        reverse("workspace:jobs_json", args=[call.slug]),
    ]
    job = start("analyse", call=call, user=bench.lead)
    worker = subprocess.Popen(
        [sys.executable, "-m", "inpractice.cli", "worker", "--batch"],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    times: list[float] = []
    started = time.perf_counter()
    while worker.poll() is None:
        for url in urls:
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    job.refresh_from_db()
    times.sort()
    result = {
        "benchmark": "web requests during an analysis by a worker",
        "database": args.database,
        "submissions": args.submissions,
        "job_status": job.status,
        "job_seconds": round(time.perf_counter() - started, 1),
        "requests": len(times),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
        "pages": urls,
    }
    text = json.dumps(result, indent=2)
    print(text)
    out = args.out or ROOT / "bench" / "results" / f"responsive_{args.database}.json"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
