"""Measure candidate job queues for the job layer (ADR 16); writes JSON.

    python -m bench.jobs_bench --python /tmp/jobbench/venv/bin/python --out bench/results/jobs.json

For each library and database it measures, in a fresh scratch database:

- **enqueue**: median and p95 milliseconds to enqueue one no-op job from Django (N jobs);
- **throughput**: jobs a second, one worker process draining the N jobs just enqueued;
- **killed**: a job that sleeps is started by a worker, the worker is killed with SIGKILL, and a
  new worker runs for `--wait` seconds: is the job re-run, left "running" for ever, or failed?

Libraries: `django-tasks` 0.12 with the `django-tasks-db` 0.13 database backend, `django-q2` 1.11
(ORM broker). Procrastinate 3.10 is PostgreSQL-only (no SQLite), so it cannot be the embedded
default; it is not measured here. `--python` picks the interpreter that has the libraries
installed (a scratch venv: the project installs only the chosen one). Each measurement runs in
its own subprocess (`--one LIB DB`), configured by `_configure`; PostgreSQL is a scratch database
`inpractice_jobs_bench` on 127.0.0.1:5432 (user postgres, or `--pg-url`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ["django-tasks-db", "django-q2"]
DATABASES = ["sqlite", "postgres"]


# -- the jobs ---------------------------------------------------------------------------------


def noop() -> int:
    return 1


def sleeper(marker: str) -> None:
    """Append a line to `marker` at start, sleep, then append "done": a re-run shows twice."""
    with open(marker, "a") as fh:
        fh.write("start\n")
    time.sleep(4)
    with open(marker, "a") as fh:
        fh.write("done\n")


_TASKS: dict = {}


def __getattr__(name: str):
    """`noop_task`, `sleeper_task`: django-tasks Task objects, made once settings exist (the
    worker imports them by dotted path)."""
    if name.endswith("_task") and name[: -len("_task")] in ("noop", "sleeper"):
        if name not in _TASKS:
            from django_tasks import task

            function = globals()[name[: -len("_task")]]

            def wrapper(*args):
                return function(*args)

            # The Task is found again by this module's attribute of the same name.
            wrapper.__name__ = wrapper.__qualname__ = name
            wrapper.__module__ = __name__
            _TASKS[name] = task()(wrapper)
        return _TASKS[name]
    raise AttributeError(name)


# -- configuration (in the measuring subprocess) -----------------------------------------------


def _configure(lib: str, db: str, sqlite_path: str, pg_url: str) -> None:
    import django
    from django.conf import settings

    if db == "sqlite":
        database = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    else:
        import dj_database_url

        database = dj_database_url.parse(pg_url)
    apps = ["django.contrib.contenttypes", "django.contrib.auth"]
    extra = {}
    if lib == "django-tasks-db":
        apps += ["django_tasks", "django_tasks_db"]
        extra["TASKS"] = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    else:
        apps += ["django_q"]
        extra["Q_CLUSTER"] = {
            "name": "bench",
            "orm": "default",
            "workers": 1,
            "timeout": 8,
            "retry": 10,
            "poll": 0.1,
            "max_attempts": 2,
            "save_limit": 0,
            "catch_up": False,
        }
    settings.configure(
        DATABASES={"default": database},
        INSTALLED_APPS=apps,
        USE_TZ=True,
        SECRET_KEY="bench-only",  # noqa: S106 - a scratch database, signs nothing kept
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        LOGGING_CONFIG=None,
        **extra,
    )
    django.setup()


def _enqueue(lib: str, name: str, *args):
    if lib == "django-tasks-db":
        return __getattr__(f"{name}_task").enqueue(*args)
    from django_q.tasks import async_task

    return async_task(f"bench.jobs_bench.{name}", *args)


def _completed(lib: str) -> int:
    if lib == "django-tasks-db":
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status="SUCCESSFUL").count()
    from django_q.models import Success

    return Success.objects.count()


def _states(lib: str) -> dict:
    if lib == "django-tasks-db":
        from django_tasks_db.models import DBTaskResult

        return {r.status: 1 for r in DBTaskResult.objects.all()} | {
            "rows": DBTaskResult.objects.count()
        }
    from django_q.models import Failure, OrmQ, Success

    return {
        "queued": OrmQ.objects.count(),
        "succeeded": Success.objects.count(),
        "failed": Failure.objects.count(),
    }


def _worker_cmd(lib: str, db: str) -> list[str]:
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import bench.jobs_bench as b; "
        f"b._worker({lib!r}, {db!r})"
    )
    return [sys.executable, "-c", code]


def _worker(lib: str, db: str) -> None:
    _configure(lib, db, os.environ["BENCH_SQLITE"], os.environ["BENCH_PG"])
    from django.core.management import call_command

    if lib == "django-tasks-db":
        call_command("db_worker", interval=0.05, no_startup_delay=True, reload=False, verbosity=0)
    else:
        call_command("qcluster")


def _spawn_worker(lib: str, db: str) -> subprocess.Popen:
    return subprocess.Popen(
        _worker_cmd(lib, db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=os.environ.copy(),
    )


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def measure_one(lib: str, db: str, jobs: int, wait: float) -> dict:
    _configure(lib, db, os.environ["BENCH_SQLITE"], os.environ["BENCH_PG"])
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Enqueue latency.
    times = []
    for _ in range(jobs):
        started = time.perf_counter()
        _enqueue(lib, "noop")
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    # Throughput: one worker drains them.
    started = time.perf_counter()
    worker = _spawn_worker(lib, db)
    deadline = started + 300
    while _completed(lib) < jobs and time.perf_counter() < deadline:
        time.sleep(0.05)
    drained = time.perf_counter() - started
    done = _completed(lib)
    # Killed mid-job: the worker is running `sleeper`; SIGKILL it, then start another.
    marker = os.path.join(tempfile.mkdtemp(prefix="jobs-bench-"), "marker")
    _enqueue(lib, "sleeper", marker)
    t0 = time.perf_counter()
    while not os.path.exists(marker) and time.perf_counter() - t0 < 30:
        time.sleep(0.05)
    _stop(worker, signal.SIGKILL)
    after_kill = _states(lib)
    worker = _spawn_worker(lib, db)
    time.sleep(wait)
    _stop(worker)
    lines = Path(marker).read_text().split() if os.path.exists(marker) else []
    Path(marker).unlink(missing_ok=True)
    return {
        "library": lib,
        "database": db,
        "jobs": jobs,
        "enqueue_ms": {
            "median": round(statistics.median(times), 2),
            "p95": round(times[int(len(times) * 0.95) - 1], 2),
        },
        "throughput": {
            "completed": done,
            "seconds": round(drained, 2),
            "jobs_per_second": round(done / drained, 1),
            "note": "includes the worker process starting (about 0.5 s)",
        },
        "worker_killed_mid_job": {
            "state_after_kill": after_kill,
            "state_after_new_worker": _states(lib),
            "seconds_new_worker_ran": wait,
            "job_started_times": lines.count("start"),
            "job_finished_times": lines.count("done"),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--wait", type=float, default=20.0)
    parser.add_argument(
        "--pg-url", default="postgres://postgres@127.0.0.1:5432/inpractice_jobs_bench"
    )
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--one", nargs=2, metavar=("LIB", "DB"))
    args = parser.parse_args()
    if args.one:
        # Run from the importable module, so the jobs' dotted paths name it, not __main__.
        sys.path.insert(0, str(ROOT))
        from bench import jobs_bench

        print(json.dumps(jobs_bench.measure_one(*args.one, args.jobs, args.wait)))
        return
    results = []
    for lib in LIBRARIES:
        for db in DATABASES:
            with tempfile.TemporaryDirectory() as tmp:
                env = {
                    **os.environ,
                    "BENCH_SQLITE": f"{tmp}/bench.sqlite3",
                    "BENCH_PG": args.pg_url,
                }
                if db == "postgres":
                    _fresh_pg(args.pg_url)
                proc = subprocess.run(
                    [args.python, "-m", "bench.jobs_bench", "--one", lib, db]
                    + ["--jobs", str(args.jobs), "--wait", str(args.wait)],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if proc.returncode:
                    results.append({"library": lib, "database": db, "error": proc.stderr[-2000:]})
                else:
                    results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1])[:600], file=sys.stderr)
    out = {
        "bench": "jobs",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "command": " ".join(sys.argv),
        "results": results,
    }
    text = json.dumps(out, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)


def _fresh_pg(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
