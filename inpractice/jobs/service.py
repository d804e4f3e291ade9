"""Starting, running, cancelling and retrying jobs (ADR 16).

The work of each kind is a function registered by the app that owns it (`register`), called as
`work(job, progress)` in a worker; it returns what it made (JSON) for `Job.result`. Apps above
this one register their kinds in their `AppConfig.ready`, so this layer imports none of them.

While a job runs, a heartbeat thread in its worker writes the heartbeat and the latest progress
every `JOBS_HEARTBEAT_SECONDS` through its own database connection (so progress shows even while
the work holds a transaction) and reads back a cancel request, which the work sees at its next
progress call. A job whose heartbeat is older than `JOBS_STALE_AFTER_SECONDS` has lost its worker:
`reap_stale` marks it failed and sends `job_failed`, so the app that owns the work can mark what
it left (an analysis run left "running") as failed too. Analysis stores each run in one
transaction, so a killed worker leaves no half-written results.
"""

from __future__ import annotations

import socket
import threading
import traceback
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import ANALYSIS_KINDS, Job

Work = Callable[[Job, Callable[[str, int, int], None]], dict | None]
_REGISTRY: dict[str, Work] = {}

# Sent with `job` when a job is marked failed because its worker stopped (no heartbeat).
job_failed = Signal()


class JobError(ValueError):
    """A job cannot be started, cancelled or retried; the message says why."""


class JobCancelled(Exception):  # noqa: N818 - it is what happened, not an error
    """Raised inside the work, at a progress call, when someone cancelled the job."""


def register(kind: str) -> Callable[[Work], Work]:
    def decorator(work: Work) -> Work:
        _REGISTRY[kind] = work
        return work

    return decorator


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "JOBS_STALE_AFTER_SECONDS", 120))


def heartbeat_seconds() -> float:
    return getattr(settings, "JOBS_HEARTBEAT_SECONDS", 2)


def start(kind: str, call=None, user=None, **arguments) -> Job:
    """Record a job and queue it for a worker. One analysis (analyse, retrain) of a call at a
    time: raises `JobError` if one is queued or running."""
    from .tasks import run_job

    if kind not in _REGISTRY:
        raise JobError(f"No work is registered for jobs of kind {kind!r}.")
    reap_stale()
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, call=call, started_by=user, arguments=arguments)
            # The task row is written in the same transaction: both or neither.
            result = run_job.enqueue(job.pk)
            job.task_id = str(result.id)
            job.save(update_fields=["task_id"])
    except IntegrityError:
        if kind in ANALYSIS_KINDS:
            raise JobError(
                "An analysis of this call is already waiting or running: wait for it to finish, "
                "or cancel it."
            ) from None
        raise
    return job


def retry(job: Job, user=None) -> Job:
    """Start the same work again as a new job (the failed or cancelled one is kept)."""
    reap_stale()
    job.refresh_from_db()
    if not job.can_retry:
        raise JobError(
            f"Job {job.pk} is {job.get_status_display().lower()}: only a failed or "
            "cancelled job can be retried."
        )
    new = start(job.kind, call=job.call, user=user or job.started_by, **job.arguments)
    Job.objects.filter(pk=new.pk).update(retry_of=job)
    new.retry_of = job
    return new


def cancel(job: Job) -> Job:
    """Cancel a job: one still waiting never runs; a running one stops at its next progress
    report and keeps nothing it had not finished storing."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status == Job.Status.QUEUED:
            job.status = Job.Status.CANCELLED
            job.finished_at = timezone.now()
            job.cancel_requested = True
            job.save(update_fields=["status", "finished_at", "cancel_requested"])
        elif job.status == Job.Status.RUNNING:
            job.cancel_requested = True
            job.save(update_fields=["cancel_requested"])
        else:
            raise JobError(f"Job {job.pk} has finished already.")
    return job


def reap_stale(now=None) -> list[Job]:
    """Mark failed every running job whose worker has stopped beating; returns them."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    reaped = []
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff):
        updated = Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, heartbeat_at__lt=cutoff
        ).update(
            status=Job.Status.FAILED,
            finished_at=now,
            error=(
                f"The worker stopped (no heartbeat since {job.heartbeat_at:%Y-%m-%d %H:%M:%S} "
                "UTC): nothing it had not finished storing was kept. Retry the job."
            ),
        )
        if updated:
            job.refresh_from_db()
            job_failed.send(sender=Job, job=job)
            reaped.append(job)
    return reaped


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat and progress every few seconds; reads back a cancel request."""

    def __init__(self, job_id: int) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.progress = ("", 0, 0)
        self.cancelled = False
        self._stop_event = threading.Event()

    def beat(self) -> None:
        stage, done, total = self.progress
        try:
            Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                heartbeat_at=timezone.now(), stage=stage[:60], done=done, total=total
            )
            self.cancelled = Job.objects.filter(pk=self.job_id, cancel_requested=True).exists()
        except OperationalError:
            # SQLite is busy with the work's own write transaction: beat next time.
            pass

    def run(self) -> None:
        try:
            while not self._stop_event.wait(heartbeat_seconds()):
                self.beat()
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def execute(job_id: int, worker: str = "") -> Job:
    """Run a queued job here and now (what the worker's task does); records the outcome."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=(worker or socket.gethostname())[:100],
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job  # cancelled before it started, or run already
    work = _REGISTRY.get(job.kind)
    heartbeat = _Heartbeat(job.pk)

    def progress(stage: str, done: int, total: int) -> None:
        heartbeat.progress = (stage, int(done), int(total))
        if heartbeat.cancelled:
            raise JobCancelled()

    heartbeat.start()
    status, error, result = Job.Status.SUCCEEDED, "", {}
    try:
        if work is None:
            raise JobError(f"No work is registered for jobs of kind {job.kind!r}.")
        result = work(job, progress) or {}
    except JobCancelled:
        status = Job.Status.CANCELLED
    except Exception as exc:
        status = Job.Status.FAILED
        error = "".join(traceback.format_exception_only(exc)).strip()
    finally:
        heartbeat.stop()
    stage, done, total = heartbeat.progress
    fields = {"status": status, "finished_at": timezone.now(), "error": error, "result": result}
    if status == Job.Status.SUCCEEDED:
        fields.update(stage="done", done=total, total=total)
    else:
        fields.update(stage=stage[:60], done=done, total=total)
    # Only a job still marked running is finished here: one reaped as stale meanwhile stays failed.
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**fields)
    job.refresh_from_db()
    return job


@register(Job.Kind.NOOP)
def _noop(job: Job, progress) -> dict:
    """A job that does nothing but report progress (and fails if asked): for checking that
    workers run, report progress, stop when cancelled and record errors."""
    import time

    steps = int(job.arguments.get("steps", 3))
    for step in range(steps):
        progress("waiting", step, steps)
        time.sleep(float(job.arguments.get("sleep", 0)))
        if job.arguments.get("fail_at") == step:
            raise RuntimeError(f"asked to fail at step {step}")
    progress("waiting", steps, steps)
    return {"steps": steps}
