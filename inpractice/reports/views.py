"""The insights report: published editions for everyone, a live preview for staff, the
published PDF and open data, the programme team's live coverage page, and the staff pages that
draft, review, approve and publish editions (ADR 19).

Who sees what is decided here, on the server:

* the public see only a call's published edition, served from its frozen snapshot (no figure
  is computed for them); before the first edition of a known call they get a page that says the
  report is not published yet, and its PDF and open data are "not found";
* signed-in staff (any role) see a live preview at the same address, with what still awaits
  review, and links from each figure to the coded passages when they may open the workspace;
* lead analysts and programme admins draft, review, approve (not their own) and publish
  editions; the live coverage page is theirs too, and needs no analysis.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from inpractice.accounts.roles import ROLES, has_role, role_required
from inpractice.coding.runs import current_run
from inpractice.intake.models import CallForEvidence

from . import editions
from . import figures as fig
from .build import coverage_charts, report_context
from .editions import can_edit
from .models import Edition, EditionSnapshot

COVERAGE_ROLES = ("programme-admin", "lead-analyst")


def _published_edition(slug: str) -> Edition:
    """The call's published edition; 404 when there is none (or no such call)."""
    edition = (
        Edition.objects.filter(call__slug=slug, status=Edition.Status.PUBLISHED)
        .select_related("call")
        .first()
    )
    if edition is None:
        raise Http404("No published report has that address.")
    return edition


def _snapshot_value(edition: Edition, field: str):
    # One column of the snapshot: the page never loads the PDF, nor the PDF the page.
    value = EditionSnapshot.objects.filter(edition=edition).values_list(field, flat=True).first()
    if value is None:
        raise Http404("No published report has that address.")
    return value


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
        e.call
        for e in Edition.objects.filter(status=Edition.Status.PUBLISHED)
        .select_related("call")
        .order_by("-call__closes_at")
    ]
    return render(request, "reports/index.html", {"calls": calls})


def _serve_edition(request: HttpRequest, edition: Edition) -> HttpResponse:
    history = Edition.objects.filter(
        call_id=edition.call_id, status=Edition.Status.SUPERSEDED
    ).order_by("-number")
    return render(
        request,
        "reports/edition.html",
        {
            "edition": edition,
            "body": _snapshot_value(edition, "html"),
            "history": history,
            "can_edit": can_edit(request.user),
            "needs_source": fig.national.NATIONAL_NEEDS_SOURCE,
        },
    )


def report(request: HttpRequest, slug: str) -> HttpResponse:
    """The public: the published edition (or "not published yet"); staff: the live preview."""
    call = get_object_or_404(CallForEvidence, slug=slug)
    if not _is_staff(request.user):
        edition = editions.published(call)
        if edition is None:
            if getattr(call, "is_draft", False):
                # A call still being written is not public at all.
                raise Http404("No published report has that address.")
            # A known call: say plainly that its report is not published yet (200, ADR 19).
            return render(request, "reports/not_published.html", {"call": call})
        return _serve_edition(request, edition)

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
    context["can_edit_editions"] = can_edit(request.user)
    context["published_edition"] = editions.published(call)
    return render(request, "reports/report.html", context)


def edition_public(request: HttpRequest, slug: str, edition: int) -> HttpResponse:
    """One edition by number: the published one, or the record of a superseded one (its
    snapshot is gone); drafts and editions being reviewed are never shown here."""
    found = get_object_or_404(
        Edition.objects.select_related("call"),
        call__slug=slug,
        number=edition,
        status__in=[Edition.Status.PUBLISHED, Edition.Status.SUPERSEDED],
    )
    if found.status == Edition.Status.PUBLISHED:
        return _serve_edition(request, found)
    return render(
        request, "reports/superseded.html", {"edition": found, "newer": found.superseded_by}
    )


def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The tagged PDF of the published edition, as built when it was published."""
    edition = _published_edition(slug)
    response = HttpResponse(bytes(_snapshot_value(edition, "pdf")), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-insights-report-edition-{edition.number}.pdf"'
    )
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
    data = _snapshot_value(_published_edition(slug), "figures")
    return JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})


def figures_csv(request: HttpRequest, slug: str) -> HttpResponse:
    text = _snapshot_value(_published_edition(slug), "figures_csv")
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-figures.csv"'
    return response
