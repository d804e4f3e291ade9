"""A 100,000-submission call analysed end to end from a job (issue 13): time, stages, memory.

    python -m bench.job_analysis_bench --database postgres --submissions 100000

Reuses the call that bench/workspace_bench.py builds (same database and size), queues an
"analyse" job as the browser's button does, and runs it with one in-process worker, so the
figures include queueing, the pipeline and storing the run. Prints JSON: the job's wall time,
the run's stage timings (store included), and this process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.workspace_bench import prepared_call

    bench = prepared_call(args.database, args.submissions)
    from django.core.management import call_command

    from inpractice.coding.models import AnalysisRun
    from inpractice.jobs.service import start

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    job = start("analyse", call=bench.call, user=bench.lead)
    call_command("worker", batch=True, interval=0, verbosity=0)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    run = AnalysisRun.objects.get(pk=job.result["run"]) if job.result else None
    result = {
        "benchmark": "analysis of a call from a job, stored",
        "database": args.database,
        "submissions": args.submissions,
        "job_status": job.status,
        "job_error": job.error,
        "job_seconds": round(seconds, 1),
        "run_stage_seconds": run.timings if run else None,
        "passages": (run.counts or {}).get("passages") if run else None,
        "coder": ((run.parameters or {}).get("coder") or {}).get("sources") if run else None,
        "peak_rss_gib_before": round(before / 1024**2, 2),
        "peak_rss_gib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2),
    }
    text = json.dumps(result, indent=2)
    print(text)
    out = args.out or ROOT / "bench" / "results" / f"job_analysis_{args.database}.json"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
