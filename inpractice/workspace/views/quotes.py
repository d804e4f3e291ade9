"""Quotes for the report: the analysis's quotes per code and theme; lead analysts approve or
reject each one (through `decisions`)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inpractice.coding.models import Quote, Theme
from inpractice.coding.runs import current_run

from .. import carry, decisions
from .. import codebook_editing as cbe
from ..access import call_for, is_lead
from ..blind import blind_submission_ids
from ..models import QuoteReview, ThemeReview
from .common import page, query, require_lead, workspace_role


def _groups(quotes, names: dict[str, str], theme_labels: dict[int, str]) -> list[dict]:
    """Consecutive quotes about the same code or theme, under one title."""
    groups: list[dict] = []
    for q in quotes:
        if q.theme_id:
            key, title = (
                f"theme:{q.theme_id}",
                f"Theme {q.theme.number}: {theme_labels.get(q.theme_id, q.theme.label)}",
            )
        else:
            key, title = f"code:{q.code_id}", f"Code {q.code_id}: {names.get(q.code_id, q.code_id)}"
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "title": title, "quotes": []})
        groups[-1]["quotes"].append(q)
    return groups


@workspace_role
def quotes(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    run = current_run(call)
    about = request.GET.get("about", "")
    qs = Quote.objects.none()
    if run is not None:
        qs = (
            Quote.objects.filter(run=run)
            .exclude(submission__in=blind_submission_ids(call, request.user))
            .select_related("submission", "theme")
        )
        if about.startswith("code:"):
            qs = qs.filter(code_id=about[5:], theme__isnull=True)
        elif about.startswith("theme:") and about[6:].isdigit():
            qs = qs.filter(theme_id=int(about[6:]))
        qs = qs.order_by(F("theme__number").asc(nulls_first=True), "code_id", "rank")
    quotes_page = page(request, qs, 30)
    codebook_data = cbe.working_codebook(call)[0]
    names = cbe.code_names(run.codebook if run else codebook_data) | cbe.code_names(codebook_data)
    theme_labels = (
        {r.theme_id: r.label for r in ThemeReview.objects.filter(theme__run=run)} if run else {}
    )
    # Decisions are keyed by the quote's words (span), so they hold in every run.
    groups = _groups(carry.attach_quote_reviews(quotes_page.object_list), names, theme_labels)
    counts = (
        Counter(
            Quote.objects.filter(run=run)
            .annotate(decision=carry.quote_review_status())
            .values_list("decision", flat=True)
        )
        if run
        else Counter()
    )
    filters = []
    if run:
        filters = [(f"code:{c}", f"Code {c}: {names.get(c, c)}") for c in run.code_ids] + [
            (f"theme:{t.pk}", f"Theme {t.number}: {theme_labels.get(t.pk, t.label)}")
            for t in Theme.objects.filter(run=run).order_by("number")
        ]
    return render(
        request,
        "workspace/quotes.html",
        {
            "call": call,
            "run": run,
            "page": quotes_page,
            "groups": groups,
            "about": about,
            "query": query(about=about) if about else "",
            "filters": filters,
            "approved": counts.get(QuoteReview.Status.APPROVED, 0),
            "rejected": counts.get(QuoteReview.Status.REJECTED, 0),
            "lead": is_lead(request.user),
        },
    )


@require_POST
@workspace_role
def quote_review(request: HttpRequest, slug: str, quote_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    require_lead(request.user)
    quote = get_object_or_404(
        Quote.objects.select_related("submission", "run__call"), pk=quote_id, run__call=call
    )
    try:
        decisions.review_quote(quote, request.user, request.POST.get("action"))
    except decisions.DecisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Saved your decision on the quote.")
    back = reverse("workspace:quotes", args=[call.slug])
    params = {k: request.POST.get(k) for k in ("about", "page") if request.POST.get(k)}
    return redirect(back + ("?" + query(**params) if params else "") + f"#quote-{quote.pk}")
