"""A call's background jobs (inpractice.jobs): progress, starting an analysis, cancel and retry.

Anyone on the call's workspace sees its jobs; lead analysts and programme admins start an
analysis, cancel and retry. The page works without JavaScript (a "Check progress" link reloads
it); with it, `jobs.mjs` polls the JSON list and updates the progress in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from inpractice.accounts.roles import has_role
from inpractice.coding.runs import current_run
from inpractice.jobs import service
from inpractice.jobs.models import Job

from ..access import call_for
from .common import workspace_role

RUNNERS = ("lead-analyst", "programme-admin")


def can_run_jobs(user) -> bool:
    return has_role(user, *RUNNERS)


def _require_runner(user) -> None:
    if not can_run_jobs(user):
        raise PermissionDenied


def _jobs(call):
    service.reap_stale()
    return list(Job.objects.filter(call=call).select_related("started_by")[:20])


@workspace_role
def jobs(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    listed = _jobs(call)
    return render(
        request,
        "workspace/jobs.html",
        {
            "call": call,
            "jobs": listed,
            "any_active": any(job.active for job in listed),
            "analysing": any(job.active and job.kind in ("analyse", "retrain") for job in listed),
            "can_run": can_run_jobs(request.user),
            "current": current_run(call),
        },
    )


@workspace_role
def jobs_json(request: HttpRequest, slug: str) -> JsonResponse:
    call = call_for(request.user, slug)
    return JsonResponse({"jobs": [job.as_json() for job in _jobs(call)]})


@workspace_role
@require_POST
def start_analysis(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    _require_runner(request.user)
    try:
        job = service.start("analyse", call=call, user=request.user)
    except service.JobError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Analysis queued as job {job.pk}. The new run is not current until a lead analyst "
            "promotes it on Analysis runs.",
        )
    return redirect("workspace:jobs", slug=call.slug)


@workspace_role
@require_POST
def cancel_job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    _require_runner(request.user)
    job = get_object_or_404(Job, call=call, pk=job_id)
    try:
        service.cancel(job)
    except service.JobError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Job {job.pk} is cancelled.")
    return redirect("workspace:jobs", slug=call.slug)


@workspace_role
@require_POST
def retry_job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    _require_runner(request.user)
    job = get_object_or_404(Job, call=call, pk=job_id)
    try:
        new = service.retry(job, user=request.user)
    except service.JobError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Job {job.pk} is queued again as job {new.pk}.")
    return redirect("workspace:jobs", slug=call.slug)
