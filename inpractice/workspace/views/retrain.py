"""Retraining the coder on people's codes (lead analysts), and what changed in a retrained run."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inpractice.coding.models import AnalysisRun
from inpractice.coding.runs import current_run

from .. import codebook_editing as cbe
from .. import retrain as retraining
from ..access import call_for, is_lead
from ..blind import without_blind_examples
from .common import require_lead, workspace_role


@workspace_role
def retrain(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    submitted = call.submissions.filter(status="submitted").count()
    too_big = submitted > retraining.IN_REQUEST_LIMIT
    error = ""
    if request.method == "POST":
        require_lead(request.user)
        if too_big:
            error = (
                f"This call has {submitted:,} submissions, too many to retrain while you wait. "
                f"Ask the operator to run: inpractice retrain --call {call.slug}"
            )
        else:
            try:
                run = retraining.retrain(call, actor=request.user)
            except (retraining.RetrainError, cbe.CodebookEditError) as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    f"Retrained the coder: analysis run {run.pk} is done. It is not the current "
                    "run until you promote it: check what changed first.",
                )
                return redirect("workspace:retrain_result", slug=call.slug, run_id=run.pk)
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
            "too_big": too_big,
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
