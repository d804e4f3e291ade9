"""Retraining the coder on people's codes (lead analysts), and what changed in a retrained run."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inpractice.coding.models import AnalysisRun
from inpractice.coding.runs import current_run
from inpractice.jobs import service as job_service

from .. import codebook_editing as cbe
from .. import retrain as retraining
from ..access import call_for, is_lead
from ..blind import without_blind_examples
from .common import require_lead, workspace_role


@workspace_role
def retrain(request: HttpRequest, slug: str) -> HttpResponse:
    """Retraining runs as a background job (inpractice.jobs): the form checks there are enough
    people's codes, queues the job and sends the lead to the call's Jobs page to follow it."""
    call = call_for(request.user, slug)
    submitted = call.submissions.filter(status="submitted").count()
    error = ""
    if request.method == "POST":
        require_lead(request.user)
        ready = retraining.training_set(call, texts=False)
        try:
            cbe.validate(cbe.working_codebook(call)[0])
            if ready.run is None:
                raise retraining.RetrainError(
                    "There is no successful analysis of this call yet: run the analysis first."
                )
            if not ready.trainable:
                raise retraining.RetrainError(
                    "Not enough people's codes to train any code yet. Each code needs at least "
                    f"{ready.readiness[0].min_examples if ready.readiness else 4} passages with "
                    "it and as many reviewed passages without it. Still needed: "
                    f"{ready.shortfall()}."
                )
            job = job_service.start("retrain", call=call, user=request.user)
        except (retraining.RetrainError, cbe.CodebookEditError, job_service.JobError) as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"Retraining is queued as job {job.pk}. When it is done, its run is not the "
                "current run until you promote it: check what changed first.",
            )
            return redirect("workspace:jobs", slug=call.slug)
    data = retraining.training_set(call, texts=False)
    runs = list(retraining.retrain_runs(call)[:10])
    return render(
        request,
        "workspace/retrain.html",
        {
            "call": call,
            "data": data,
            "runs": runs,
            "lead": is_lead(request.user),
            "too_big": False,
            "submitted": submitted,
            "errors": [{"href": "#retrain-form", "message": error}] if error else [],
        },
        status=400 if error else 200,
    )


@workspace_role
def retrain_result(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    run = get_object_or_404(AnalysisRun, call=call, pk=run_id, parameters__has_key="retrain")
    current = current_run(call)
    return render(
        request,
        "workspace/retrain_result.html",
        {
            "call": call,
            "run": run,
            "info": run.parameters.get("retrain", {}),
            "changes": without_blind_examples(
                run.parameters.get("what_changed"), call, request.user
            ),
            "current": current,
            "is_current": current is not None and current.pk == run.pk,
            "lead": is_lead(request.user),
        },
    )
