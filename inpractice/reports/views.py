"""The insights report (public once a call has closed and been analysed; a preview for staff),
its PDF, the call's figures as open data, and the programme team's live coverage page.

Who sees what is decided here, on the server:

* the public see a report, its PDF and its open data only for a call that has closed and has a
  succeeded analysis run; anything else is "not found", so unpublished calls are not revealed;
* signed-in staff (any role) also see a preview while the call is open, with what still awaits
  review, and links from each figure to the coded passages when they may open the workspace;
* the live coverage page is for the programme admin and lead analysts, and needs no analysis.
"""

from __future__ import annotations

import hashlib
import io
import json

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from inpractice.accounts.roles import ROLES, has_role, role_required
from inpractice.analysis.spreadsheet import write_csv
from inpractice.coding.runs import current_run
from inpractice.intake.models import CallForEvidence, WindowState

from . import figures as fig
from .build import coverage_charts, render_document, render_pdf, report_context

COVERAGE_ROLES = ("programme-admin", "lead-analyst")
PDF_CACHE_SECONDS = 24 * 3600


def _published(call: CallForEvidence) -> bool:
    return call.state() == WindowState.CLOSED and current_run(call) is not None


def _public_call(slug: str) -> CallForEvidence:
    """The call, if its report is public; 404 otherwise (unpublished calls stay unrevealed)."""
    call = get_object_or_404(CallForEvidence, slug=slug)
    if not _published(call):
        raise Http404("No published report has that address.")
    return call


def _is_staff(user) -> bool:
    return has_role(user, *ROLES)


def _evidence_link(request: HttpRequest, call: CallForEvidence):
    """A builder of links to the workspace's evidence page, or None when this person may not
    open the workspace for this call (a link that answers 404 would only confuse)."""
    from inpractice.workspace.access import visible_calls

    if not visible_calls(request.user).filter(pk=call.pk).exists():
        return None
    base = reverse("workspace:evidence", kwargs={"slug": call.slug})

    def link(**filters) -> str:
        params = {k: v for k, v in filters.items() if v not in (None, "")}
        return f"{base}?{urlencode(params)}" if params else base

    return link


def index(request: HttpRequest) -> HttpResponse:
    calls = [
        c
        for c in CallForEvidence.objects.order_by("-closes_at")
        if c.state() == WindowState.CLOSED and current_run(c) is not None
    ]
    return render(request, "reports/index.html", {"calls": calls})


def report(request: HttpRequest, slug: str) -> HttpResponse:
    staff = _is_staff(request.user)
    if not staff:
        call = _public_call(slug)
        figures = fig.report_figures(call, fig.PUBLIC)
        return render(request, "reports/report.html", report_context(figures))

    call = get_object_or_404(CallForEvidence, slug=slug)
    if current_run(call) is None:
        return render(
            request,
            "reports/not_analysed.html",
            {"call": call, "can_see_coverage": has_role(request.user, *COVERAGE_ROLES)},
            status=409,
        )
    audience = fig.PUBLIC if request.GET.get("view") == "public" else fig.STAFF
    figures = fig.report_figures(call, audience, evidence=_evidence_link(request, call))
    context = report_context(figures)
    context["staff_viewer"] = True
    context["can_see_coverage"] = has_role(request.user, *COVERAGE_ROLES)
    return render(request, "reports/report.html", context)


def _fingerprint(call: CallForEvidence) -> str:
    """Changes whenever anything the public report shows could have changed."""
    from inpractice.workspace.models import MentionReview, QuoteReview, ThemeReview

    run = current_run(call)
    parts = [call.pk, call.title, str(call.state()), run.pk if run else None]
    # Quote and mention decisions are keyed by span and name, so they belong to the call;
    # theme decisions to the run's themes.
    for qs in (
        QuoteReview.objects.filter(call=call),
        ThemeReview.objects.filter(theme__run=run),
        MentionReview.objects.filter(call=call),
    ):
        agg = qs.aggregate(n=Count("pk"), last=Max("reviewed_at"))
        parts += [agg["n"], str(agg["last"])]
    parts.append(call.submissions.filter(status="submitted").aggregate(last=Max("updated_at")))
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The tagged PDF of the public report (staff may fetch it before publication to check it)."""
    if _is_staff(request.user):
        call = get_object_or_404(CallForEvidence, slug=slug)
        if current_run(call) is None:
            return render(request, "reports/not_analysed.html", {"call": call}, status=409)
    else:
        call = _public_call(slug)
    key = f"reports:pdf:{call.slug}:{_fingerprint(call)}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(render_document(fig.report_figures(call, fig.PUBLIC)))
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-insights-report.pdf"'
    return response


@role_required(*COVERAGE_ROLES)
def coverage(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    figures = fig.coverage_figures(call)
    state = call.state()
    return render(
        request,
        "reports/coverage.html",
        {
            "coverage": figures,
            "charts": coverage_charts(figures),
            "state": str(state),
            "state_label": state.label,
            "report_available": current_run(call) is not None,
        },
    )


def figures_json(request: HttpRequest, slug: str) -> HttpResponse:
    call = _public_call(slug)
    data = fig.open_data(fig.report_figures(call, fig.PUBLIC))
    return JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})


def figures_csv(request: HttpRequest, slug: str) -> HttpResponse:
    call = _public_call(slug)
    buffer = io.BytesIO()
    write_csv(fig.open_data_rows(fig.report_figures(call, fig.PUBLIC)), fig.CSV_COLUMNS, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-figures.csv"'
    return response
