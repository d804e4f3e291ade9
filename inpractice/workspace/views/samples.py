"""Blind double coding: drawing samples, a coder's list and finishing, agreement and resolving
disagreements (lead analysts). The changes themselves are in `double_coding`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from inpractice.coding.models import Passage

from .. import double_coding
from ..access import call_for, is_lead
from ..forms import ResolveForm, SampleForm
from ..metrics import sample_agreement
from ..models import Coding, DoubleCodingSample
from .common import require_lead, workspace_role


@workspace_role
def samples(request, slug: str):
    call = call_for(request.user, slug)
    lead = is_lead(request.user)
    form = SampleForm(request.POST or None) if lead else None
    if request.method == "POST":
        require_lead(request.user)
        if form.is_valid():
            data = form.cleaned_data
            sample, chosen, excluded = double_coding.draw_sample(
                call,
                request.user,
                name=data["name"],
                coder_a=data["coder_a"],
                coder_b=data["coder_b"],
                size=data["size"],
                seed=data["seed"],
            )
            made = f"Sample “{sample.name}” of {len(chosen)} submissions made."
            if excluded:
                them = "it" if excluded == 1 else "them"
                made += (
                    f" {excluded} submission{pluralize(excluded)} left out: one of the coders"
                    f" has already coded {them} or is coding {them} in another open sample."
                )
            messages.success(request, made)
            return redirect("workspace:sample", slug=call.slug, pk=sample.pk)
    listed = DoubleCodingSample.objects.filter(call=call).select_related("coder_a", "coder_b")
    if not lead:
        listed = listed.filter(Q(coder_a=request.user) | Q(coder_b=request.user))
    listed = listed.annotate(size=Count("submissions"))
    return render(
        request,
        "workspace/samples.html",
        {"call": call, "samples": listed, "form": form, "lead": lead},
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@workspace_role
def sample(request, slug: str, pk: int):
    call = call_for(request.user, slug)
    sample = get_object_or_404(DoubleCodingSample, call=call, pk=pk)
    lead = is_lead(request.user)
    coder = sample.is_coder(request.user)
    if not (lead or coder):
        raise PermissionDenied
    if request.method == "POST":
        if not coder:
            raise PermissionDenied
        double_coding.finish_sample(sample, request.user)
        messages.success(request, "Your coding of this sample is finished and locked.")
        return redirect("workspace:sample", slug=call.slug, pk=sample.pk)
    submissions = sample.submissions.order_by("reference")
    mine = {}
    if coder:
        mine = dict(
            Coding.objects.filter(sample=sample, coder=request.user, active=True)
            .values("submission_id")
            .annotate(n=Count("pk"))
            .values_list("submission_id", "n")
        )
    agreement = None
    disagreements = []
    if lead and sample.complete:
        agreement = sample_agreement(sample)
        disagreements = _disagreement_rows(sample, agreement)
    return render(
        request,
        "workspace/sample.html",
        {
            "call": call,
            "sample": sample,
            "coder": coder,
            "lead": lead,
            "finished": sample.finished_by(request.user),
            "rows": [{"submission": s, "codes": mine.get(s.pk, 0)} for s in submissions],
            "agreement": agreement,
            "disagreements": disagreements,
        },
    )


def _disagreement_rows(sample, agreement) -> list[dict]:
    rows = agreement["disagreements"]
    if not rows:
        return []
    passages = Passage.objects.in_bulk([r["passage_id"] for r in rows])
    resolved = {
        (c.passage_id, c.code_id): c
        for c in Coding.objects.filter(sample=sample, origin=Coding.Origin.CONSENSUS, active=True)
    }
    names = {c["code_id"]: c["name"] for c in agreement["codes"]}
    out = []
    for r in rows[:200]:
        p = passages[r["passage_id"]]
        out.append(
            {
                **r,
                "passage": p,
                "name": names.get(r["code_id"], r["code_id"]),
                "resolved": resolved.get((p.pk, r["code_id"])),
            }
        )
    return out


@workspace_role
@require_POST
def resolve(request, slug: str, pk: int):
    call = call_for(request.user, slug)
    require_lead(request.user)
    sample = get_object_or_404(DoubleCodingSample, call=call, pk=pk)
    if not sample.complete:
        raise PermissionDenied
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the code applies.")
        return redirect("workspace:sample", slug=call.slug, pk=sample.pk)
    data = form.cleaned_data
    passage = get_object_or_404(
        Passage, pk=data["passage"], submission__in=sample.submissions.all()
    )
    double_coding.resolve(sample, request.user, passage, data["code"], data["present"] == "yes")
    messages.success(request, f"Recorded the agreed code for passage {passage.index + 1}.")
    return redirect(reverse("workspace:sample", args=[call.slug, sample.pk]) + "#disagreements")
