"""The one django-tasks task: run a recorded `Job` (inpractice.jobs.service.execute)."""

from __future__ import annotations

from django_tasks import TaskContext, task


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    from .service import execute

    job = execute(job_id, worker=f"task {context.task_result.id}")
    return job.status
