"""Background jobs (inpractice.jobs, ADR 16): a real database queue and a real worker, run
in-process (`inpractice worker --batch`) or as a separate process that is killed mid-job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from inpractice.coding.models import AnalysisRun
from inpractice.jobs import service
from inpractice.jobs.models import Job
from tests.cli import INPRACTICE, ROOT, run


def _work(**kwargs) -> None:
    call_command("worker", batch=True, interval=0, verbosity=0, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_queued_job_is_run_by_a_worker_and_reports_its_progress():
    job = service.start("noop", steps=4)
    assert job.status == Job.Status.QUEUED and job.task_id
    _work()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.stage, job.done, job.total, job.percent) == ("done", 4, 4, 100)
    assert job.started_at and job.finished_at and job.result == {"steps": 4}


@pytest.mark.django_db(transaction=True)
def test_one_analysis_per_call_at_a_time_and_a_cancelled_job_never_runs(open_call):
    first = service.start("analyse", call=open_call)
    with pytest.raises(service.JobError, match="already waiting or running"):
        service.start("retrain", call=open_call)
    service.cancel(first)
    first.refresh_from_db()
    assert first.status == Job.Status.CANCELLED
    _work()
    first.refresh_from_db()
    assert first.status == Job.Status.CANCELLED and first.started_at is None
    with pytest.raises(service.JobError, match="finished already"):
        service.cancel(first)
    # Once the first is out of the way another may start, and a retry is a new job.
    again = service.retry(first)
    assert again.pk != first.pk and again.retry_of == first and again.status == "queued"


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_recorded_failed_with_its_error_and_progress():
    job = service.start("noop", steps=5, fail_at=2)
    _work()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "RuntimeError: asked to fail at step 2"
    assert (job.stage, job.done, job.total) == ("waiting", 2, 5) and job.finished_at


def _despite_locks(action, seconds: float = 20):
    """Run `action`, again while SQLite says a table is locked.

    The SQLite test database is in memory with a shared cache, where one connection writing
    (the worker thread's heartbeat) locks the table for another (this test's thread) and the busy
    timeout does not apply; a real deployment uses a file in WAL mode, where readers never wait.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            return action()
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
def test_a_running_job_stops_when_cancelled(settings):
    settings.JOBS_HEARTBEAT_SECONDS = 0.05
    job = service.start("noop", steps=400, sleep=0.02)
    worker = threading.Thread(target=_work)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while (
            _despite_locks(lambda: Job.objects.get(pk=job.pk).status) != "running"
            and time.monotonic() < deadline
        ):
            time.sleep(0.02)
        _despite_locks(lambda: service.cancel(job))
        _despite_locks(job.refresh_from_db)
        assert job.status == "running" and job.cancel_requested
    finally:
        worker.join(timeout=60)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and job.finished_at
    assert 0 < job.done < 400 and job.result == {}
    with pytest.raises(service.JobError, match="finished already"):
        service.cancel(job)


@pytest.mark.django_db
def test_a_job_whose_worker_stopped_is_failed_with_its_run_and_can_be_retried(open_call):
    long_ago = timezone.now() - timedelta(minutes=10)
    job = Job.objects.create(
        kind="analyse", call=open_call, status="running", started_at=long_ago, heartbeat_at=long_ago
    )
    left = AnalysisRun.objects.create(call=open_call, embedder="static", code_version="x")
    AnalysisRun.objects.filter(pk=left.pk).update(started_at=long_ago + timedelta(seconds=1))
    fresh = Job.objects.create(
        kind="noop", status="running", started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    assert [j.pk for j in service.reap_stale()] == [job.pk]
    job.refresh_from_db()
    left.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == "failed" and "worker stopped" in job.error
    assert left.status == "failed" and f"job {job.pk}" in left.error
    assert fresh.status == "running"
    retried = service.retry(job)
    assert retried.status == "queued" and retried.retry_of_id == job.pk


def _job_status(path, job_id):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT status, stage FROM jobs_job WHERE id = ?", (job_id,)).fetchone()


def test_a_worker_killed_mid_analysis_leaves_nothing_half_written_and_a_retry_completes(
    demo_database, tmp_path
):
    env = demo_database.copy(tmp_path)
    env.update(JOBS_HEARTBEAT_SECONDS="0.3", JOBS_STALE_AFTER_SECONDS="2")
    path = tmp_path / "demo.sqlite3"
    with sqlite3.connect(path) as db:
        runs_before = db.execute("SELECT count(*) FROM coding_analysisrun").fetchone()[0]
        passages_before = db.execute("SELECT count(*) FROM coding_passage").fetchone()[0]
    queued = run(env, "jobs", "analyse", "--call", "demo")
    assert queued.returncode == 0, queued.stderr
    job_id = int(queued.stdout.split()[2].rstrip(":"))
    worker = subprocess.Popen(  # noqa: S603 - our own command
        [*INPRACTICE, "worker", "--interval", "0.1"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status, stage = _job_status(path, job_id)
            if status == "running" and stage:
                break
            time.sleep(0.1)
        assert status == "running", status
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    time.sleep(2.5)
    listed = run(env, "jobs", "list", "--call", "demo")
    assert listed.returncode == 0, listed.stderr
    assert f"{job_id}\tanalyse\tdemo\tfailed" in listed.stdout
    with sqlite3.connect(path) as db:
        killed = db.execute(
            "SELECT id, status FROM coding_analysisrun ORDER BY id DESC LIMIT 1"
        ).fetchone()
        assert killed[1] == "failed"
        assert (
            db.execute(
                "SELECT count(*) FROM coding_passage WHERE run_id = ?", (killed[0],)
            ).fetchone()[0]
            == 0
        )
    retried = run(env, "jobs", "retry", str(job_id))
    assert retried.returncode == 0, retried.stderr
    drained = run(env, "worker", "--batch", "--interval", "0")
    assert drained.returncode == 0, drained.stderr
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT id, status, retry_of_id, result FROM jobs_job").fetchall()
        runs = db.execute("SELECT status, count(*) FROM coding_analysisrun GROUP BY status")
        runs = dict(runs.fetchall())
        passages = db.execute("SELECT count(*) FROM coding_passage").fetchone()[0]
    retry = [r for r in rows if r[2] == job_id]
    assert len(retry) == 1 and retry[0][1] == "succeeded", rows
    assert runs.get("failed") == 1 and runs.get("succeeded") == runs_before + 0 + 1
    # The new run stored exactly as many passages as the first analysis: nothing duplicated.
    assert passages == 2 * passages_before
