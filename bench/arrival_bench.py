"""How soon a submission that arrives on a big analysed call is in its current run (issue 13).

    python -m bench.arrival_bench --database postgres --submissions 100000 [--arrivals 5]

Reuses the call bench/workspace_bench.py builds. Each arrival is a new submitted response; the
figure is the time from sending `submissions_arrived` (what intake does when a response is
sent) to its results being stored by an in-process worker (`inpractice worker --batch`), i.e.
queueing, the job and `coding.incremental.analyse_new`. The arrivals are deleted afterwards.
Prints JSON with each time and the median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--arrivals", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.workspace_bench import prepared_call

    bench = prepared_call(args.database, args.submissions)
    from django.core.management import call_command
    from django.utils import timezone

    from inpractice.coding.models import SubmissionResult
    from inpractice.coding.runs import current_run
    from inpractice.intake.models import Submission, new_reference
    from inpractice.intake.signals import submissions_arrived

    call, run = bench.call, current_run(bench.call)
    template = Submission.objects.filter(call=call).order_by("pk").first()
    seconds, made = [], []
    try:
        for i in range(args.arrivals):
            late = Submission.objects.create(
                call=call,
                status="submitted",
                reference=new_reference(),
                submitted_at=timezone.now(),
                resume_token_hash=f"arrival-{time.time()}-{i}",
                organisation_type=template.organisation_type,
                organisation_name=f"Arrival {i}",
                title=f"Arrival {i}",
                coverage="one_school",
                need_codes=template.need_codes,
                need_description=template.need_description,
                answers=template.answers,
            )
            made.append(late.pk)
            started = time.perf_counter()
            submissions_arrived.send(sender=Submission, call=call)
            call_command("worker", batch=True, interval=0, verbosity=0)
            assert SubmissionResult.objects.filter(run=run, submission=late).exists()
            seconds.append(round(time.perf_counter() - started, 3))
    finally:
        Submission.objects.filter(pk__in=made).delete()
    result = {
        "benchmark": "a new submission analysed into the current run",
        "database": args.database,
        "submissions": Submission.objects.filter(call=call).count(),
        "run": run.pk,
        "coder": (run.parameters.get("coder") or {}).get("sources"),
        "seconds": seconds,
        "median_seconds": statistics.median(seconds),
        "note": "from the signal to stored results, with a worker started per arrival; a "
        "running worker also waits up to its polling interval (1 s by default) to see the job",
    }
    text = json.dumps(result, indent=2)
    print(text)
    out = args.out or ROOT / "bench" / "results" / f"arrival_{args.database}.json"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
