"""Frameworks, tools and programmes mentioned: grouped by name, each name's mentions in context,
and corrections (assigned analysts and lead analysts) through `decisions`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inpractice.accounts.roles import has_role
from inpractice.coding.models import Mention
from inpractice.coding.runs import current_run

from .. import carry, decisions
from ..access import call_for
from ..blind import blind_submission_ids
from ..forms import MentionReviewForm, RenameAllForm
from ..models import MentionReview
from .common import page, query, workspace_role


def _may_correct_mentions(user) -> bool:
    return has_role(user, "analyst", "lead-analyst")


def _examples_url(call, name: str) -> str:
    return reverse("workspace:mention_examples", args=[call.slug]) + "?" + query(name=name)


def _context_of(mention: Mention, width: int = 120) -> dict:
    s = mention.submission
    text = s.need_description if mention.field == "need_description" else s.answer(mention.field)
    text = text or ""
    start, end = mention.start, mention.end
    return {
        "before": ("…" if start > width else "") + text[max(0, start - width) : start],
        "words": text[start:end],
        "after": text[end : end + width] + ("…" if end + width < len(text) else ""),
    }


@workspace_role
def mentions(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    run = current_run(call)
    groups = (
        decisions.visible_mentions(run)
        .values("shown")
        .annotate(
            n=Count("id"),
            subs=Count("submission", distinct=True),
            kinds=Count("kind", distinct=True),
        )
        .order_by("-n", "shown")
        if run
        else Mention.objects.none()
    )
    groups_page = page(request, groups, 50)
    decided = carry.mentions_with_decisions(run).exclude(decision_status="") if run else None
    reviewed = decided.count() if run else 0
    rejected = decided.filter(decision_status=MentionReview.Status.REJECTED).count() if run else 0
    return render(
        request,
        "workspace/mentions.html",
        {"call": call, "run": run, "page": groups_page, "reviewed": reviewed, "rejected": rejected},
    )


@workspace_role
def mention_examples(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    run = current_run(call)
    name = request.GET.get("name", "")
    if not name:
        return redirect("workspace:mentions", slug=call.slug)
    if run is None:
        raise Http404("This call has not been analysed yet.")
    qs = (
        decisions.visible_mentions(run)
        .filter(shown=name)
        .exclude(submission__in=blind_submission_ids(call, request.user))
        .select_related("submission")
        .order_by("pk")
    )
    examples = page(request, qs)
    if not examples.paginator.count:
        raise Http404("No mentions have that name.")
    labels = dict(MentionReview.Status.choices)
    rows = [
        {
            "mention": m,
            "context": _context_of(m),
            "status": labels.get(m.decision_status, ""),
            "on_name": m.decision_status and m.place_review is None,
        }
        for m in examples.object_list
    ]
    return render(
        request,
        "workspace/mentions_examples.html",
        {
            "call": call,
            "name": name,
            "page": examples,
            "rows": rows,
            "may_correct": _may_correct_mentions(request.user),
            "query": query(name=name),
            "rename_all": RenameAllForm(initial={"name": name}),
        },
    )


@require_POST
@workspace_role
def mention_review(request: HttpRequest, slug: str, mention_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    if not _may_correct_mentions(request.user):
        raise PermissionDenied
    mention = get_object_or_404(
        Mention.objects.select_related("run", "submission"), pk=mention_id, run__call=call
    )
    form = MentionReviewForm(request.POST)
    url = _examples_url(call, request.POST.get("back_name") or mention.name)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect(url)
    decisions.correct_mention(
        mention, request.user, form.cleaned_data["action"], form.cleaned_data["name"]
    )
    messages.success(request, "Saved your correction of the mention.")
    return redirect(url)


@require_POST
@workspace_role
def mention_rename_all(request: HttpRequest, slug: str) -> HttpResponse:
    """Give every (not rejected) mention shown under one name a corrected name."""
    call = call_for(request.user, slug)
    if not _may_correct_mentions(request.user):
        raise PermissionDenied
    run = current_run(call)
    old = request.POST.get("old_name", "")
    form = RenameAllForm(request.POST)
    if run is None or not old:
        raise Http404("Choose a framework or tool from the list of mentions.")
    if not form.is_valid():
        messages.error(request, "Enter the correct name for these mentions.")
        return redirect(_examples_url(call, old))
    new = form.cleaned_data["name"].strip()
    renamed = decisions.rename_mentions(run, request.user, old, new)
    messages.success(request, f"Renamed {renamed} mention(s) of {old} to {new}.")
    return redirect(_examples_url(call, new))
