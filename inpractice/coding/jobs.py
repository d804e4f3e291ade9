"""Analysis as a background job (inpractice.jobs, ADR 16): the work of an "analyse" job, and
what a job that lost its worker leaves behind (its run, marked failed).

A run is stored in one transaction (runner.run_analysis), so a worker killed mid-job leaves a run
row marked "running" and no passages, codes, themes or quotes: nothing half-visible, and a run
that did not succeed is never current (runs.current_run).
"""

from __future__ import annotations

from django.utils import timezone

from inpractice.jobs.models import Job
from inpractice.jobs.service import job_failed, register

from .models import AnalysisRun


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
    job_failed.connect(_runs_left_running, dispatch_uid="coding-runs-left-running")
