"""Retraining as a background job (inpractice.jobs, ADR 16): the browser's Retrain queues one,
so no web request runs the coder."""

from __future__ import annotations

from inpractice.jobs.models import Job
from inpractice.jobs.service import register


@register(Job.Kind.RETRAIN)
def retrain_call(job: Job, progress) -> dict:
    from .retrain import retrain

    run = retrain(job.call, actor=job.started_by, progress=progress)
    return {"run": run.pk}
