"""Benchmark the analyst workspace's pages on a call of 10,000 analysed submissions; prints JSON.

    python -m bench.workspace_bench                       # SQLite file under var/bench/
    python -m bench.workspace_bench --database postgres   # a scratch PostgreSQL database

Builds the call once per database (reused on later runs with the same size): submissions from
the benchmark corpus (about 500 words each), one covered school each, then the real analysis run
(`run_analysis`), so passages, codes and themes are what the pages really meet. Pages are
requested through Django's test client as a signed-in analyst, which measures the server's work
(views, queries, templates) without network noise. Each page is timed `--repeat` times; the JSON
gives median and p95 milliseconds and the number of SQL queries per page.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from bench.database import use_database

ROOT = Path(__file__).resolve().parent.parent


def _setup(database: str, n: int) -> None:
    use_database(database, "inpractice_workspace_bench", sqlite_name=f"workspace-{n}")


def _build_call(n: int) -> dict:
    """A closed call of n analysed submissions (reused when it already exists)."""
    from django.utils import timezone

    from bench.corpus import submissions
    from inpractice.coding.models import AnalysisRun
    from inpractice.coding.runner import run_analysis
    from inpractice.intake.choices import NeedCode, OrganisationType, Phase
    from inpractice.intake.models import CallForEvidence, CoveredSchool, Submission
    from inpractice.schools.models import LocalAuthority, School

    slug = f"bench-{n}"
    call = CallForEvidence.objects.filter(slug=slug).first()
    timings: dict[str, float] = {}
    if call and AnalysisRun.objects.filter(call=call, status="succeeded").exists():
        return {"call": call, "built": False, "timings": timings}
    if call:
        Submission.objects.filter(call=call).delete()
        call.delete()
    started = time.perf_counter()
    now = timezone.now()
    call = CallForEvidence.objects.create(
        slug=slug,
        title=f"Benchmark call of {n} submissions",
        introduction="Benchmark.",
        opens_at=now - timezone.timedelta(days=60),
        closes_at=now - timezone.timedelta(days=1),
    )
    las = list(LocalAuthority.objects.exclude(region="").order_by("code")[:150])
    schools = [
        School(
            urn=990000 + i,
            name=f"Bench School {i}",
            local_authority=las[i % len(las)],
            region=las[i % len(las)].region,
            phase="primary" if i % 2 else "secondary",
            synthetic=True,
        )
        for i in range(600)
    ]
    School.objects.bulk_create(schools, ignore_conflicts=True)
    schools = list(School.objects.filter(urn__gte=990000, urn__lt=990600).order_by("urn"))
    orgs = [c for c, _ in OrganisationType.choices]
    phases = [c for c, _ in Phase.choices]
    needs = [c for c, _ in NeedCode.choices]
    rows = []
    for i, doc in enumerate(submissions(n, seed=1)):
        rows.append(
            Submission(
                call=call,
                status="submitted",
                reference=f"IP-B{i // 10000:03d}-{i % 10000:04d}",
                resume_token_hash=f"bench-{n}-{i}",
                source="import",
                organisation_type=orgs[i % len(orgs)],
                organisation_name=f"Bench organisation {i}",
                respondent_name=f"Bench Person {i}",
                respondent_email=f"person{i}@example.org",
                title=f"Benchmark practice {i}",
                coverage="one_school",
                need_codes=[needs[i % len(needs)], needs[(i * 7) % len(needs)]],
                need_description=doc.fields["need_description"],
                phases=[phases[i % len(phases)]],
                answers={k: v for k, v in doc.fields.items() if k != "need_description"},
                consent_publication="named",
                submitted_at=now - timezone.timedelta(days=2),
            )
        )
    Submission.objects.bulk_create(rows, batch_size=2000)
    ids = list(Submission.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    CoveredSchool.objects.bulk_create(
        [
            CoveredSchool(submission_id=pk, urn=schools[i % 600].urn, school=schools[i % 600])
            for i, pk in enumerate(ids)
        ],
        batch_size=5000,
    )
    timings["load_submissions_s"] = round(time.perf_counter() - started, 1)
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    run = run_analysis(call)
    timings["analysis_s"] = round(time.perf_counter() - started, 1)
    timings["analysis_stage_s"] = run.timings
    # Peak resident memory of this process so far (the analysis dominates it).
    timings["peak_rss_gib_before_analysis"] = round(before / 1024**2, 2)
    timings["peak_rss_gib_after_analysis"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2
    )
    timings["coder"] = run.parameters.get("coder", {}).get("sources")
    return {"call": call, "built": True, "timings": timings}


def _prepare_review(call, analyst, lead) -> None:
    """Some human work, so the model-agreement and history pages have something to count."""
    from inpractice.coding.models import CodeApplication
    from inpractice.intake.models import Submission
    from inpractice.workspace import actions
    from inpractice.workspace.models import CallAssignment, SubmissionReview

    CallAssignment.objects.get_or_create(call=call, user=analyst)
    if SubmissionReview.objects.filter(call=call, reviewed=True).count() >= 50:
        return
    for sub in Submission.objects.filter(call=call).order_by("pk")[:50]:
        for app in CodeApplication.objects.filter(passage__submission=sub, applied=True)[:3]:
            p = app.passage
            actions.apply_code(
                sub,
                analyst,
                None,
                field=p.field,
                start=p.start,
                end=p.end,
                code_id=app.code_id,
                passage=p,
            )
        actions.set_reviewed(sub, analyst, None, True)


def _time(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    status = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            try:
                response = client.get(url)
            except Exception as exc:  # e.g. PostgreSQL's statement_timeout: report, go on
                return {"url": url, "error": f"{type(exc).__name__}: {exc}"[:300]}
            times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {
        "url": url,
        "status": status,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "queries": queries,
        "repeat": repeat,
    }


def prepared_call(database: str, n: int) -> SimpleNamespace:
    """The benchmark call of n analysed submissions with its analyst and lead (built once)."""
    _setup(database, n)
    from django.contrib.auth import get_user_model

    from inpractice.accounts.roles import add_staff

    built = _build_call(n)
    User = get_user_model()
    people = {}
    for role in ("analyst", "lead-analyst"):
        email = f"bench-{role.split('-')[0]}@example.gov.uk"
        add_staff(email, role, "a long bench passphrase 42")
        people[role] = User.objects.get(username=email)
    _prepare_review(built["call"], people["analyst"], people["lead-analyst"])
    return SimpleNamespace(
        call=built["call"], built=built, analyst=people["analyst"], lead=people["lead-analyst"]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    bench = prepared_call(args.database, args.submissions)
    call, built = bench.call, bench.built
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(bench.analyst)
    from django.db import connection

    if connection.vendor == "postgresql":
        # A page whose query never returns is reported as such instead of hanging the bench.
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 60000")

    from inpractice.coding.models import AnalysisRun, Passage
    from inpractice.intake.models import Submission

    run = AnalysisRun.objects.filter(call=call, status="succeeded").latest()
    subs = list(Submission.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    pages = {}
    queue = reverse("workspace:queue", args=[call.slug])
    pages["queue_first_page"] = _time(client, queue, args.repeat)
    pages["queue_page_100"] = _time(client, queue + "?page=100", args.repeat)
    pages["queue_filtered_code_phase_region"] = _time(
        client, queue + "?code=p2&phase=primary&region=E12000007&reviewed=no", args.repeat
    )
    pages["queue_filtered_need_area_evidence_rich"] = _time(
        client, queue + "?need=area%3Acommunication&evidence_rich=yes", args.repeat
    )
    # Orders of the queue (issue 13, part 6): received date by index; "first" orders as two
    # indexed parts, measured on a page of each part.
    pages["queue_newest_first"] = _time(client, queue + "?order=newest", args.repeat)
    pages["queue_oldest_page_100"] = _time(client, queue + "?order=oldest&page=100", args.repeat)
    pages["queue_evidence_rich_first"] = _time(client, queue + "?order=evidence", args.repeat)
    pages["queue_evidence_rich_first_page_100"] = _time(
        client, queue + "?order=evidence&page=100", args.repeat
    )
    pages["queue_unreviewed_first_page_100"] = _time(
        client, queue + "?order=unreviewed&page=100", args.repeat
    )
    theme = run.themes.order_by("-size").first()
    if theme is not None:
        pages["queue_filtered_theme"] = _time(client, f"{queue}?theme={theme.pk}", args.repeat)
    submission_times = []
    for pk in subs[:: max(1, len(subs) // args.repeat)][: args.repeat]:
        submission_times.append(
            _time(client, reverse("workspace:submission", args=[call.slug, pk]), 1)
        )
    ms = sorted(t["median_ms"] for t in submission_times)
    pages["submission"] = {
        "url": "different submissions, spread over the call",
        "status": submission_times[-1]["status"],
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))],
        "queries": max(t["queries"] for t in submission_times),
        "repeat": len(ms),
    }
    pages["evidence_code"] = _time(
        client, reverse("workspace:evidence", args=[call.slug]) + "?code=p1", args.repeat
    )
    pages["model_against_human"] = _time(
        client, reverse("workspace:model_agreement", args=[call.slug]), max(3, args.repeat // 3)
    )
    pages["history"] = _time(client, reverse("workspace:history", args=[call.slug]), args.repeat)
    result = {
        "benchmark": "workspace pages",
        "database": args.database,
        "submissions": len(subs),
        "passages": Passage.objects.filter(run=run).count(),
        "call_built_now": built["built"],
        "build_timings": built["timings"],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "pages": pages,
    }
    text = json.dumps(result, indent=2)
    print(text)
    out = args.out or ROOT / "bench" / "results" / f"workspace_{args.database}.json"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
