"""Analysis as a background job (inpractice.jobs, ADR 16): the work of an "analyse" job, and
what a job that lost its worker leaves behind (its run, marked failed).

A run is stored in one transaction (runner.run_analysis), so a worker killed mid-job leaves a run
row marked "running" and no passages, codes, themes or quotes: nothing half-visible, and a run
that did not succeed is never current (runs.current_run).
"""

from __future__ import annotations

import logging

from django.utils import timezone

from inpractice.jobs.models import Job
from inpractice.jobs.service import job_failed, register

from .models import AnalysisRun

logger = logging.getLogger(__name__)


@register(Job.Kind.ANALYSE)
def analyse_call(job: Job, progress) -> dict:
    from . import runs
    from .runner import run_analysis

    arguments = job.arguments
    run = run_analysis(
        job.call,
        embedder=arguments.get("embedder", "static"),
        seed=int(arguments.get("seed", 0)),
        progress=progress,
        parameters={"job": job.pk},
    )
    if arguments.get("promote"):
        runs.promote(run, user=job.started_by, note=f"Promoted by job {job.pk}.")
    return {"run": run.pk}


@register(Job.Kind.ANALYSE_NEW)
def analyse_new_submissions(job: Job, progress) -> dict:
    from .incremental import analyse_new

    return analyse_new(job.call, progress=progress)


def queue_new_submissions(sender, call, **kwargs) -> None:
    """A submission arrived: have a worker add it to the current run soon, if that run can be
    extended (coding.incremental) and no such job is already waiting (it will take this one)."""
    from inpractice.jobs.service import JobError, start

    from .incremental import extendable
    from .runs import current_run

    if not extendable(current_run(call)):
        return
    if Job.objects.filter(call=call, kind=Job.Kind.ANALYSE_NEW, status=Job.Status.QUEUED).exists():
        return
    try:
        start(Job.Kind.ANALYSE_NEW, call=call)
    except JobError:
        # Never fail the person sending their response: the next run will include it.
        logger.exception("could not queue analysis of new submissions of %s", call.slug)


def _runs_left_running(sender, job: Job, **kwargs) -> None:
    """A job that lost its worker: its call's runs still "running" since it started failed."""
    if job.call_id is None or job.kind not in ("analyse", "retrain") or job.started_at is None:
        return
    AnalysisRun.objects.filter(
        call_id=job.call_id, status=AnalysisRun.Status.RUNNING, started_at__gte=job.started_at
    ).update(
        status=AnalysisRun.Status.FAILED,
        finished_at=timezone.now(),
        error=f"The worker running job {job.pk} stopped before the run was stored.",
    )


def connect() -> None:
    from inpractice.intake.signals import submissions_arrived

    job_failed.connect(_runs_left_running, dispatch_uid="coding-runs-left-running")
    submissions_arrived.connect(queue_new_submissions, dispatch_uid="coding-analyse-new")
