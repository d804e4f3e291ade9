"""Benchmark building the demo call's insights report; prints JSON.

    python -m bench.report_bench                      # fresh SQLite database in a temp folder
    python -m bench.report_bench --repeat 5 --out bench/results/report.json
    python -m bench.report_bench --database-url postgres://postgres@127.0.0.1:5432/bench

It loads the demo (`inpractice demo`, which also analyses it) into the database unless the demo
call is already there, then times, in one process and `--repeat` times each: computing the
figures, rendering the HTML document, and rendering the tagged PDF (PDF/UA-1) from it. It also
times one whole `inpractice report --call demo --out DIR` run as a user runs it (a new process:
Django start-up, migrations check, figures, HTML, PDF and writing the files). The aim is under
20 seconds for the whole report.

At scale (issue 14), the figures alone on calls of 1,000 to 100,000 submissions, on SQLite or
PostgreSQL, with HEAD's figures.py timed on the same data for comparison:

    python -m bench.report_bench --scale 1000,10000,100000 --before \
        --out bench/results/report_scale_sqlite.json
    python -m bench.report_bench --scale 1000,10000,100000 --before --database postgres \
        --out bench/results/report_scale_postgres.json

The calls are written row by row (submissions, covered schools, a succeeded run's results,
mentions, quotes, themes) with no model, under var/bench/report-scale.sqlite3 or the PostgreSQL
database inpractice_report_bench, and reused by later runs.

`--edition` also builds edition 1 of each call as the "build_edition" job does (figures, HTML and
the tagged PDF, after a lead writes it from the suggested drafts and a programme admin approves
it) and times the public page and PDF served from its snapshot:

    python -m bench.report_bench --scale 1000,10000,100000 --edition --database postgres \
        --out bench/results/report_edition_postgres.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.database import use_database

AIM_SECONDS = 20.0


def _summary(samples: list[float]) -> dict:
    return {
        "median_s": round(statistics.median(samples), 3),
        "min_s": round(min(samples), 3),
        "max_s": round(max(samples), 3),
        "runs": len(samples),
    }


def _pages(pdf: bytes) -> int:
    """Page objects in the PDF (WeasyPrint compresses them into object streams)."""
    import re
    import zlib

    found = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            found += len(re.findall(rb"/Type\s*/Page\b(?!s)", zlib.decompress(match.group(1))))
        except zlib.error:
            continue
    return found


# --------------------------------------------------------------------------- scale (issue 14)

MENTION_NAMES = [
    ("zones-of-regulation", "Zones of Regulation", "programme"),
    ("elsa", "ELSA", "intervention"),
    ("ehcp", "EHC plan", "framework"),
    ("camhs", "CAMHS", "service"),
    ("thrive", "Thrive", "approach"),
    ("lego-therapy", "Lego therapy", "intervention"),
    ("precision-teaching", "Precision teaching", "intervention"),
    ("graduated-approach", "Graduated approach", "framework"),
]


def _scale_setup(database: str) -> None:
    """Django on its own scratch database (bench/database.py), migrated."""
    use_database(database, "inpractice_report_bench", sqlite_name="report-scale")


def _scale_call(n: int) -> dict:
    """A closed call of n submissions with a succeeded run written row by row (no model: the
    figures read stored results, so the analysis itself is not what is measured). Shaped like
    the demo: most submissions cover one school, trusts eight, local authorities and providers
    twenty; 1% arrived after the run. Reused when it exists."""
    from django.utils import timezone

    from inpractice.analysis.codebook import default_codebook_dict
    from inpractice.coding.models import AnalysisRun, Mention, Quote, SubmissionResult, Theme
    from inpractice.intake.choices import NeedCode, OrganisationType, Phase
    from inpractice.intake.models import CallForEvidence, CoveredSchool, Submission
    from inpractice.schools.models import LocalAuthority, School

    slug = f"report-bench-{n}"
    call = CallForEvidence.objects.filter(slug=slug).first()
    if call and AnalysisRun.objects.filter(call=call, status="succeeded").exists():
        return {"call": call, "built": False}
    if call:
        Submission.objects.filter(call=call).delete()
        AnalysisRun.objects.filter(call=call).delete()
        call.delete()
    started = time.perf_counter()
    now = timezone.now()
    call = CallForEvidence.objects.create(
        slug=slug,
        title=f"Report benchmark call of {n} submissions",
        introduction="Benchmark.",
        opens_at=now - timezone.timedelta(days=60),
        closes_at=now - timezone.timedelta(days=1),
    )
    las = list(LocalAuthority.objects.exclude(region="").order_by("code")[:150])
    if not School.objects.filter(urn__gte=980000, urn__lt=983000).exists():
        School.objects.bulk_create(
            [
                School(
                    urn=980000 + i,
                    name=f"Report Bench School {i}",
                    local_authority=las[i % len(las)],
                    region=las[i % len(las)].region if i % 50 else "",  # some only via the LA
                    phase=("primary", "secondary", "all_through", "16_plus")[i % 4],
                    status="Open",
                    synthetic=True,
                )
                for i in range(3000)
            ],
            batch_size=2000,
        )
    schools = list(School.objects.filter(urn__gte=980000, urn__lt=983000).order_by("urn"))
    orgs = [c for c, _ in OrganisationType.choices]
    phases = [c for c, _ in Phase.choices]
    needs = [c for c, _ in NeedCode.choices]
    Submission.objects.bulk_create(
        (
            Submission(
                call=call,
                status="submitted",
                # unique across the calls of every size in one database (12 characters)
                reference=f"R{len(str(n))}-{i:09d}",
                resume_token_hash=f"report-bench-{n}-{i}",
                source="import",
                organisation_type=orgs[i % len(orgs)],
                organisation_name=f"Bench organisation {i}",
                respondent_name=f"Bench Person {i}",
                respondent_email=f"person{i}@example.org",
                title=f"Benchmark practice {i}",
                coverage="urn_list",
                need_codes=sorted({needs[i % 12], needs[(i * 7) % 12], needs[(i // 3) % 12]}),
                need_description="Benchmark.",
                phases=sorted({phases[i % 6], phases[(i // 5) % 6]}),
                answers={"practice": "Benchmark practice."},
                consent_publication=("named", "anonymised", "no")[i % 3],
                submitted_at=now - timezone.timedelta(days=2),
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    ids = list(Submission.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    width = {"trust": 8, "local_authority": 20, "send_provider": 20}

    def covered():
        for i, pk in enumerate(ids):
            k = width.get(orgs[i % len(orgs)], 1)
            for j in range(k):
                school = schools[(i * 37 + j * 101) % len(schools)]
                if i % 97 == 0 and j == 0:  # a URN not in the register
                    yield CoveredSchool(submission_id=pk, urn=970000 + i % 500, in_register=False)
                else:
                    yield CoveredSchool(submission_id=pk, urn=school.urn, school=school)

    CoveredSchool.objects.bulk_create(covered(), batch_size=5000, ignore_conflicts=True)
    codebook = default_codebook_dict()
    code_ids = [c["id"] for c in codebook["codes"]]
    run = AnalysisRun.objects.create(
        call=call,
        status=AnalysisRun.Status.SUCCEEDED,
        finished_at=now,
        embedder="bench",
        code_version="bench",
        parameters={"seed": 1},
        codebook=codebook,
        code_ids=code_ids,
        thresholds=[0.3] * len(code_ids),
        counts={"submissions": len(ids) - len(ids) // 100, "passages": 0},
    )
    analysed = ids[: len(ids) - len(ids) // 100]  # the last 1% arrived after the run
    SubmissionResult.objects.bulk_create(
        (
            SubmissionResult(
                run=run,
                submission_id=pk,
                codes=[c for b, c in enumerate(code_ids) if (i * 2654435761 >> b) & 1],
                probabilities={},
                evidence_score=0.5,
                evidence_rich=False,
            )
            for i, pk in enumerate(analysed)
        ),
        batch_size=5000,
    )
    Mention.objects.bulk_create(
        (
            Mention(
                run=run,
                submission_id=pk,
                field="practice",
                start=0,
                end=5,
                mention_id=MENTION_NAMES[(i + j) % len(MENTION_NAMES)][0],
                name=MENTION_NAMES[(i + j) % len(MENTION_NAMES)][1],
                name_key=MENTION_NAMES[(i + j) % len(MENTION_NAMES)][0],
                kind=MENTION_NAMES[(i + j) % len(MENTION_NAMES)][2],
                known=True,
            )
            for i, pk in enumerate(analysed)
            for j in range(2)
        ),
        batch_size=5000,
    )
    Quote.objects.bulk_create(
        Quote(
            run=run,
            code_id=cid,
            submission_id=analysed[k * 13 + c],
            field="practice",
            start=0,
            end=10,
            text="Benchmark practice.",
            score=0.9,
            rank=k,
        )
        for c, cid in enumerate(code_ids)
        for k in range(5)
    )
    Theme.objects.bulk_create(
        Theme(
            run=run,
            number=t,
            label=f"theme {t}",
            key_phrases=[],
            size=10,
            submissions=5,
            coherence=0.5,
            coverage=0.5,
        )
        for t in range(10)
    )
    return {"call": call, "built": True, "build_s": round(time.perf_counter() - started, 1)}


def _head_figures():
    """The figures module as committed (HEAD), loaded beside the working one, to time the
    'before' on the same data. Read with `git show`; nothing in the tree changes."""
    import importlib.util
    import types

    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(
        ["git", "show", "HEAD:inpractice/reports/figures.py"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("from . import national", "from inpractice.reports import national")
    spec = importlib.util.spec_from_loader("bench_head_figures", loader=None)
    module = importlib.util.module_from_spec(spec)
    assert isinstance(module, types.ModuleType)
    sys.modules["bench_head_figures"] = module  # dataclasses look their module up
    exec(compile(source, "HEAD:inpractice/reports/figures.py", "exec"), module.__dict__)  # noqa: S102
    return module


def _timed(fn, repeat: int) -> tuple[dict, Any, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            result = fn()
            samples.append(time.perf_counter() - t)
        queries = len(ctx.captured_queries)
    return {**_summary(samples), "queries": queries}, result, queries


def _edition_at_scale(call, repeat: int) -> dict:
    """Draft, write, review, approve and build edition 1 of `call` as a lead and a programme
    admin would (the demo's words and suggested drafts), timing the build (figures, HTML and
    the tagged PDF: the "build_edition" job's work) and the public page and PDF served from the
    frozen snapshot through Django's test client."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from inpractice.accounts.roles import add_staff
    from inpractice.reports import editions
    from inpractice.reports.demo_text import write_demo_text
    from inpractice.reports.models import Edition, EditionSnapshot

    Edition.objects.filter(call=call).delete()  # a rerun measures a fresh build
    users = get_user_model().objects
    add_staff("bench-lead@example.org", "lead-analyst", "a long bench passphrase 42")
    add_staff("bench-admin@example.org", "programme-admin", "a long bench passphrase 42")
    lead = users.get(username="bench-lead@example.org")
    admin = users.get(username="bench-admin@example.org")
    t = time.perf_counter()
    edition = editions.create_draft(call, lead)
    write_demo_text(edition)
    editions.send_for_review(edition, lead)
    editions.approve(edition, admin)
    prepare_s = time.perf_counter() - t
    t = time.perf_counter()
    editions.build_snapshot(edition)
    build_s = time.perf_counter() - t
    snapshot = EditionSnapshot.objects.get(edition=edition)
    public = Client()
    page_url = f"/reports/{call.slug}/"
    pdf_url = f"/reports/{call.slug}/report.pdf"
    for url in (page_url, pdf_url):  # a first request warms the URL resolver and templates
        assert public.get(url).status_code == 200, url

    def fetch(url):
        response = public.get(url)
        assert response.status_code == 200, url
        return response

    page, _r, page_queries = _timed(lambda: fetch(page_url), repeat)
    pdf, _r, _q = _timed(lambda: fetch(pdf_url), repeat)
    return {
        "draft_write_review_approve_s": round(prepare_s, 2),
        "build_s": round(build_s, 2),
        "snapshot_bytes": {
            "html": len(snapshot.html.encode()),
            "pdf": len(bytes(snapshot.pdf)),
            "figures_json": len(json.dumps(snapshot.figures).encode()),
            "figures_csv": len(snapshot.figures_csv.encode()),
        },
        "pdf_pages": _pages(bytes(snapshot.pdf)),
        "public_page_from_snapshot": page,
        "public_pdf_from_snapshot": pdf,
    }


def scale(
    sizes: list[int], database: str, repeat: int, before: bool, edition: bool = False
) -> dict:
    import resource

    _scale_setup(database)
    import django

    from inpractice.intake.models import CoveredSchool
    from inpractice.reports import figures as fig
    from inpractice.reports.build import render_document

    old = _head_figures() if before else None
    results = []
    for n in sizes:
        built = _scale_call(n)
        call = built["call"]
        # Fresh statistics, as autovacuum (PostgreSQL) keeps them in production: planning a
        # million bulk-inserted rows without any picks nested loops where hashes belong.
        with django.db.connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rows = CoveredSchool.objects.filter(submission__call=call).count()
        entry: dict[str, Any] = {
            "submissions": n,
            "covered_school_rows": rows,
            "fixture_built_now": built["built"],
            "fixture_build_s": built.get("build_s"),
        }
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        timing, figures, _q = _timed(lambda call=call: fig.report_figures(call, fig.PUBLIC), repeat)
        entry["after"] = {
            "figures": timing,
            "analysed": figures.snapshot["submissions"],
            "received": figures.received,
            "schools_total": figures.snapshot["schools_total"],
            "region_rows_plus_not_known": figures.coverage.regions.all_counted,
        }
        timing, html, _q = _timed(lambda figures=figures: render_document(figures), repeat)
        entry["after"]["html_render"] = timing
        entry["after"]["html_bytes"] = len(html.encode())
        entry["after"]["peak_rss_mib_growth"] = round(
            (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024, 1
        )
        if old is not None:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            timing, old_figures, _q = _timed(
                lambda call=call: old.report_figures(call, old.PUBLIC), max(1, repeat // 2)
            )
            entry["before"] = {
                "figures": timing,
                "submissions_in_shares": old_figures.snapshot["submissions"],
                "schools_total": old_figures.snapshot["schools_total"],
                "region_rows": old_figures.coverage.regions.total,
                "peak_rss_mib_growth": round(
                    (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024, 1
                ),
            }
        if edition:
            entry["edition"] = _edition_at_scale(call, repeat)
        print(json.dumps(entry), file=sys.stderr)
        results.append(entry)
    return {
        "benchmark": "report_bench --scale",
        "database": django.db.connection.vendor,
        "what": (
            "report_figures(call, PUBLIC) on calls of n submissions (written row by row, no "
            "model), median of --repeat; 'before' is HEAD's figures.py on the same data; "
            "html_render is render_document (the page body and standalone document); with "
            "--edition, 'edition' is edition 1 built as the job builds it and served from its "
            "snapshot"
        ),
        "sizes": results,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    parser.add_argument(
        "--scale",
        default="",
        help="comma-separated call sizes (e.g. 1000,10000,100000): time the figures at scale "
        "instead of building the demo's report",
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--before", action="store_true", help="with --scale, also time HEAD's figures.py"
    )
    parser.add_argument(
        "--edition",
        action="store_true",
        help="with --scale, also build edition 1 (HTML and PDF) and time serving it",
    )
    args = parser.parse_args()
    if args.scale:
        result = scale(
            [int(x) for x in args.scale.split(",")],
            args.database,
            args.repeat,
            args.before,
            args.edition,
        )
        text = json.dumps(result, indent=2)
        print(text)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text + "\n", encoding="utf-8")
        return

    workdir = Path(tempfile.mkdtemp(prefix="report-bench-"))
    env = dict(os.environ)
    env["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env["INPRACTICE_VAR_DIR"] = str(workdir / "var")
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "INPRACTICE_VAR_DIR")})
    cli = [sys.executable, "-m", "inpractice.cli"]

    started = time.perf_counter()
    demo = subprocess.run([*cli, "demo"], env=env, capture_output=True, text=True, check=False)
    if demo.returncode != 0:
        raise SystemExit(f"inpractice demo failed:\n{demo.stderr}")
    setup_seconds = time.perf_counter() - started

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpractice.settings")
    import django

    django.setup()
    from inpractice.intake.models import CallForEvidence
    from inpractice.reports import figures as fig
    from inpractice.reports.build import render_document, render_pdf

    call = CallForEvidence.objects.get(slug="demo")
    if fig.current_run(call) is None:
        raise SystemExit("the demo call has no succeeded analysis: run `inpractice analyse`")

    timings: dict[str, list[float]] = {"figures": [], "html": [], "pdf": []}
    pages = pdf_bytes = html_bytes = 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        figures = fig.report_figures(call, fig.PUBLIC)
        timings["figures"].append(time.perf_counter() - t)
        t = time.perf_counter()
        html = render_document(figures)
        timings["html"].append(time.perf_counter() - t)
        t = time.perf_counter()
        pdf = render_pdf(html)
        timings["pdf"].append(time.perf_counter() - t)
        html_bytes, pdf_bytes = len(html.encode()), len(pdf)
        pages = _pages(pdf)

    out_dir = workdir / "report"
    t = time.perf_counter()
    whole = subprocess.run(
        [*cli, "report", "--call", "demo", "--out", str(out_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    cli_seconds = time.perf_counter() - t
    if whole.returncode != 0:
        raise SystemExit(f"inpractice report failed:\n{whole.stderr}")

    snap = fig.coverage_figures(call).snapshot
    html_total = statistics.median(timings["figures"]) + statistics.median(timings["html"])
    result = {
        "benchmark": "report_bench",
        "call": "demo",
        "database": django.db.connection.vendor,
        "submissions": snap["submissions"],
        "schools_total": snap["schools_total"],
        "html": {
            "figures": _summary(timings["figures"]),
            "render": _summary(timings["html"]),
            "total_median_s": round(html_total, 3),
            "bytes": html_bytes,
        },
        "pdf": {
            "render": _summary(timings["pdf"]),
            "bytes": pdf_bytes,
            "pages": pages,
            "variant": "pdf/ua-1",
        },
        "cli_report_wall_s": round(cli_seconds, 3),
        "cli_report_stages_s": json.loads(whole.stdout)["seconds"],
        "aim_s": AIM_SECONDS,
        "within_aim": cli_seconds < AIM_SECONDS,
        "setup_demo_and_analyse_s": round(setup_seconds, 3),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            # the machine is shared: a high load average means slower, noisier timings
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        },
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
