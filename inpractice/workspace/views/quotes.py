"""Quotes for the report: the analysis's quotes per code and theme; lead analysts approve or
reject each one (through `decisions`), and resolve the privacy check of an approved quote
(`quote_privacy`: redact it, or, as a second person, confirm it safe)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inpractice.coding.models import Quote, Theme
from inpractice.coding.runs import current_run

from .. import carry, decisions, quote_privacy
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
        if about == "privacy":
            qs = qs.filter(pk__in=[c.quote.pk for c in quote_privacy.unresolved(call, run)])
        elif about.startswith("code:"):
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
    shown = carry.attach_quote_reviews(quotes_page.object_list)
    # The privacy check of each approved quote on this page, worked out afresh (ADR 23).
    approved_here = [
        q for q in shown if q.review and q.review.status == QuoteReview.Status.APPROVED
    ]
    for check in quote_privacy.check_quotes(approved_here):
        check.quote.privacy = check
    groups = _groups(shown, names, theme_labels)
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
            "needs_check": len(quote_privacy.unresolved(call, run)) if run else 0,
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
    action = request.POST.get("action")
    try:
        decisions.review_quote(quote, request.user, action)
    except decisions.DecisionError as exc:
        messages.error(request, str(exc))
    else:
        check = quote_privacy.after_approval(quote, request.user) if action == "approve" else None
        if check is not None and check.needs_check:
            kinds = ", ".join(sorted({f.label.lower() for f in check.open}))
            messages.warning(
                request,
                f"Approved, but the quote needs a privacy check ({kinds}): it will not be "
                "published until you redact it or another lead analyst confirms it is safe.",
            )
            return redirect(check.url)
        messages.success(request, "Saved your decision on the quote.")
    back = reverse("workspace:quotes", args=[call.slug])
    params = {k: request.POST.get(k) for k in ("about", "page") if request.POST.get(k)}
    return redirect(back + ("?" + query(**params) if params else "") + f"#quote-{quote.pk}")


def _privacy_rows(check: quote_privacy.QuoteCheck) -> list[dict]:
    confirmations = check.review.safe_findings or []
    people = dict(
        get_user_model()
        .objects.filter(pk__in=[s.get("by") for s in confirmations])
        .values_list("pk", "email")
    )
    safe = {
        (s.get("entity_type"), s.get("text")): {**s, "by_email": people.get(s.get("by"), "")}
        for s in confirmations
    }
    rows = []
    for i, f in enumerate(check.findings):
        before, after = quote_privacy.context(check.words, f)
        rows.append(
            {
                "id": f"finding-{i}",
                "finding": f,
                "before": before,
                "after": after,
                "safe": safe.get((f.entity_type, f.text)),
                "suggestions": [
                    (f"s{j}", s.label, s.words)
                    for j, s in enumerate(quote_privacy.suggestions_for(check, f))
                ],
            }
        )
    return rows


def _chosen_words(request: HttpRequest, check, finding) -> str | None:
    """The words the lead chose for a finding: one of its suggestions, or their own."""
    choice = request.POST.get("choice", "")
    if choice == "other":
        words = " ".join(request.POST.get("other_words", "").split())
        return words or None
    for j, suggestion in enumerate(quote_privacy.suggestions_for(check, finding)):
        if choice == f"s{j}":
            return suggestion.words
    return None


@workspace_role
def quote_privacy_check(request: HttpRequest, slug: str, quote_id: int) -> HttpResponse:
    """One approved quote's privacy check: each finding in context, and the ways to resolve it
    (redact with chosen words; confirm safe, as a lead who did not approve it, with a reason)."""
    call = call_for(request.user, slug)
    quote = get_object_or_404(
        Quote.objects.select_related("submission", "run__call").exclude(
            submission__in=blind_submission_ids(call, request.user)
        ),
        pk=quote_id,
        run__call=call,
    )
    lead = is_lead(request.user)
    error, error_target, status = "", "findings", 200
    if request.method == "POST":
        require_lead(request.user)
        action = request.POST.get("action", "")
        key = (request.POST.get("entity_type", ""), request.POST.get("text", ""))
        try:
            if action == "restore":
                quote_privacy.restore(quote, request.user)
                messages.success(request, "The quote's own words are back; check them again.")
                return redirect(quote_privacy.privacy_url(quote))
            check = quote_privacy.check_quote(quote)
            finding = next((f for f in check.open if (f.entity_type, f.text) == key), None)
            if finding is None:
                raise quote_privacy.PrivacyError(
                    "That finding is no longer in the quote's words: check the list again."
                )
            row = next(i for i, f in enumerate(check.findings) if (f.entity_type, f.text) == key)
            error_target = f"finding-{row}"
            if action == "replace":
                words = _chosen_words(request, check, finding)
                if words is None:
                    raise quote_privacy.PrivacyError(
                        f"Choose the words to put in place of “{finding.text}”."
                    )
                quote_privacy.redact(quote, request.user, key, words)
                messages.success(
                    request,
                    f"Replaced “{finding.text}” with “{words}”."
                    if words
                    else f"Took out “{finding.text}”.",
                )
            elif action == "safe":
                error_target = f"finding-{row}-reason"
                quote_privacy.confirm_safe(quote, request.user, key, request.POST.get("reason", ""))
                messages.success(request, f"Confirmed “{finding.text}” is safe to publish.")
            else:
                raise quote_privacy.PrivacyError(
                    "Choose words to replace the finding, or confirm it is safe."
                )
        except quote_privacy.PrivacyError as exc:
            error, status = str(exc), 400
        else:
            return redirect(quote_privacy.privacy_url(quote))
    review = quote_privacy.review_of(quote)
    approved = review is not None and review.status == QuoteReview.Status.APPROVED
    check = quote_privacy.check_quote(quote) if approved else None
    approvers = quote_privacy.approvers(quote, review) if approved else set()
    return render(
        request,
        "workspace/quote_privacy.html",
        {
            "call": call,
            "quote": quote,
            "review": review,
            "approved": approved,
            "check": check,
            "rows": _privacy_rows(check) if check else [],
            "open_count": len(check.open) if check else 0,
            "lead": lead,
            "is_approver": request.user.pk in approvers,
            "anonymised": quote.submission.consent_publication != "named",
            "error": error,
            "error_target": error_target,
            "reason": request.POST.get("reason", "") if error else "",
        },
        status=status,
    )
