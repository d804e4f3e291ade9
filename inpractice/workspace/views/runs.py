"""A call's analysis runs and which one is current (lead analysts): compare a newer run with the
current one and promote it (`inpractice.coding.runs.promote`; the workspace's receiver carries
theme sign-offs and records a `run.promote` event)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inpractice.coding.models import AnalysisRun, RunPromotion
from inpractice.coding.runs import PromotionError, current_run, promote

from .. import carry
from .. import retrain as retraining
from ..access import call_for
from ..blind import without_blind_examples
from .common import page, require_lead, workspace_role


@workspace_role
def runs(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    require_lead(request.user)
    current = current_run(call)
    runs_page = page(request, AnalysisRun.objects.filter(call=call).order_by("-started_at", "-pk"))
    promotions = list(
        RunPromotion.objects.filter(call=call).select_related("promoted_by").order_by("-pk")[:20]
    )
    return render(
        request,
        "workspace/runs.html",
        {
            "call": call,
            "current": current,
            "page": runs_page,
            "promotions": promotions,
            "promoted_ever": bool(promotions),
        },
    )


def _code_changes(current: AnalysisRun, run: AnalysisRun) -> dict:
    """Per code, what `run` codes differently from `current`: retrain's what-changed summary,
    the one stored with a retrained run when it was made against the current run, else worked
    out once and kept with the run (`parameters.compared_with`, by current run id)."""
    stored = run.parameters.get("what_changed") or {}
    if stored.get("previous_run") == current.pk and stored.get("run") == run.pk:
        return stored
    kept = (run.parameters.get("compared_with") or {}).get(str(current.pk))
    if kept:
        return kept
    codebook = run.codebook or current.codebook or run.call.codebook or {}
    changes = retraining.what_changed(current, run, codebook)
    compared = {**(run.parameters.get("compared_with") or {}), str(current.pk): changes}
    run.parameters = {**run.parameters, "compared_with": compared}
    AnalysisRun.objects.filter(pk=run.pk).update(parameters=run.parameters)
    return changes


@workspace_role
def run(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    require_lead(request.user)
    item = get_object_or_404(AnalysisRun, call=call, pk=run_id)
    error = ""
    if request.method == "POST":
        try:
            promote(item, request.user, note=request.POST.get("note", "").strip())
        except PromotionError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"Run {item.pk} is now the current run: the workspace and the report show its "
                "results.",
            )
            return redirect("workspace:run", slug=call.slug, run_id=item.pk)
    current = current_run(call)
    is_current = current is not None and current.pk == item.pk
    candidate = (
        current is not None and not is_current and item.status == AnalysisRun.Status.SUCCEEDED
    )
    return render(
        request,
        "workspace/run.html",
        {
            "call": call,
            "run": item,
            "current": current,
            "is_current": is_current,
            "candidate": candidate,
            "promotable": item.status == AnalysisRun.Status.SUCCEEDED and not is_current,
            "changes": without_blind_examples(_code_changes(current, item), call, request.user)
            if candidate
            else None,
            "reviews": carry.review_changes(current, item) if candidate else None,
            "errors": [{"href": "#promote-form", "message": error}] if error else [],
        },
        status=400 if error else 200,
    )
