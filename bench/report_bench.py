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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    args = parser.parse_args()

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
