"""Staff pages for writing an edition's text (ADR 25): the sections and their status, one page
per section (with the suggested draft for a principle), the focus areas, a preview of the edition
as it will be published, and the passages behind any evidence marker. Lead analysts and
programme admins only; text is saved only while the edition is a draft."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from inpractice.accounts.roles import role_required
from inpractice.intake.models import CallForEvidence

from . import authoring, drafting, editions
from . import figures as fig
from . import text as rtext
from .authoring import AuthoringError
from .build import report_context
from .editions import EDITOR_ROLES
from .models import Edition

MAX_IDS = 50  # passages one evidence page opens


def _edition(slug: str, number: int) -> tuple[CallForEvidence, Edition]:
    call = get_object_or_404(CallForEvidence, slug=slug)
    found = get_object_or_404(
        Edition.objects.select_related("run", "call"), call=call, number=number
    )
    return call, found


def staff_citer(call: CallForEvidence, edition: Edition) -> rtext.StaffCiter:
    base = reverse(
        "reports:edition_evidence", kwargs={"slug": call.slug, "edition": edition.number}
    )
    return rtext.StaffCiter(
        lambda ids: f"{base}?{urlencode({'ids': ','.join(f'q{i}' for i in ids)})}"
    )


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def edition_text(request: HttpRequest, slug: str, edition: int) -> HttpResponse:
    """Every section with its status, and the call's focus areas (editable here)."""
    call, found = _edition(slug, edition)
    error = ""
    areas_value = "\n".join(authoring.focus_areas(call))
    if request.method == "POST":
        areas_value = request.POST.get("focus_areas", "")
        try:
            authoring.save_focus_areas(call, areas_value, request.user)
        except AuthoringError as exc:
            error = str(exc)
        else:
            messages.success(request, "Focus areas saved.")
            return redirect("reports:edition_text", slug=call.slug, edition=found.number)
    all_sections = authoring.sections(found, with_people=True)
    return render(
        request,
        "reports/staff/text.html",
        {
            "call": call,
            "edition": found,
            "sections": all_sections,
            "written": sum(1 for s in all_sections if s.written),
            "missing": authoring.missing(found),
            "editable": found.status == Edition.Status.DRAFT,
            "areas_value": areas_value,
            "area_limit": authoring.MAX_FOCUS_AREAS,
            "error": error,
        },
        status=400 if error else 200,
    )


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def edition_section(request: HttpRequest, slug: str, edition: int, field: str) -> HttpResponse:
    """One section: its editor (with a character count), its suggested draft when it is a
    principle's narrative, a preview of the saved text and its earlier versions."""
    call, found = _edition(slug, edition)
    section = next(
        (s for s in authoring.sections(found, with_people=True) if s.field == field), None
    )
    if section is None:
        raise Http404("This edition has no such section.")
    editable = found.status == Edition.Status.DRAFT
    body = section.body
    error = ""
    status = 200
    drafted = False
    suggested = ""
    central: list[drafting.CentralQuote] = []
    if section.kind == authoring.Kind.PRINCIPLE and editable:
        central = drafting.central_quotes(found, section.key)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "draft" and section.kind == authoring.Kind.PRINCIPLE:
            # Copied into the editor, not saved: the analyst edits it, then saves.
            body = drafting.suggested_draft(found, section.key)
            drafted = True
        else:
            body = request.POST.get("body", "")
            try:
                authoring.save_sections(found, {section.field: body}, request.user)
            except AuthoringError as exc:
                error = str(exc)
                status = 409 if not editable else 400
            else:
                messages.success(request, f"{section.title}: saved.")
                return redirect("reports:edition_text", slug=call.slug, edition=found.number)
    if section.kind == authoring.Kind.PRINCIPLE and editable and not drafted:
        suggested = drafting.suggested_draft(found, section.key) if central else ""
    revisions = authoring.history(found).get((section.kind, section.key), [])
    return render(
        request,
        "reports/staff/section.html",
        {
            "call": call,
            "edition": found,
            "section": section,
            "body": body,
            "editable": editable,
            "drafted": drafted,
            "central": central,
            "suggested": suggested,
            "preview": rtext.render(section.body, staff_citer(call, found)),
            "revisions": revisions,
            "error": error,
        },
        status=status,
    )


def written_context(call: CallForEvidence, found: Edition, figures: fig.ReportFigures) -> dict:
    """The edition's written sections rendered for staff: markers open their passages."""
    citer = staff_citer(call, found)
    return editions.authored_context(found, figures, citer_for=lambda anchor, body: citer)


@role_required(*EDITOR_ROLES)
def edition_preview(request: HttpRequest, slug: str, edition: int) -> HttpResponse:
    """The edition as it will be published, with links from each marker, principle and figure
    to the passages behind it (staff only: the public snapshot has none of these links)."""
    from .views import _evidence_link

    call, found = _edition(slug, edition)
    if found.run_id is None:
        raise Http404("This edition has no analysis run.")
    try:
        figures = fig.report_figures(call, fig.STAFF, evidence=_evidence_link(request, call))
    except fig.NotAnalysed:
        raise Http404("The call has not been analysed.") from None
    return render(
        request,
        "reports/staff/preview.html",
        {
            **report_context(figures),
            **written_context(call, found, figures),
            "call": call,
            "edition": found,
            "staff_preview": True,
            "in_edition": True,
        },
    )


@role_required(*EDITOR_ROLES)
def edition_evidence(request: HttpRequest, slug: str, edition: int) -> HttpResponse:
    """The passages behind an evidence marker (`?ids=q12,q40`), with whether each may be
    published and, where this person may open the workspace, a link to its submission."""
    from inpractice.workspace.access import visible_calls
    from inpractice.workspace.models import QuoteReview

    call, found = _edition(slug, edition)
    wanted = [int(n) for n in rtext.MARKER_ID.findall(request.GET.get("ids", ""))][:MAX_IDS]
    reviews = {
        r.pk: r
        for r in QuoteReview.objects.filter(pk__in=wanted, call=call).select_related("submission")
    }
    allowed = authoring.publishable_quotes(found, wanted)
    workspace = visible_calls(request.user).filter(pk=call.pk).exists()
    items = []
    for i in wanted:
        r = reviews.get(i)
        if r is None:
            items.append({"id": i, "missing": True})
            continue
        s = r.submission
        if i in allowed:
            why = "May be published: approved, consented and free of personal data."
        elif r.status != QuoteReview.Status.APPROVED:
            why = "Not published: not approved for the report."
        elif s.consent_publication not in fig.PUBLISHABLE:
            why = "Not published: the submitter did not consent to publication."
        else:
            why = (
                "Not published: the personal data check finds something in it, or the "
                "submission is not in this edition's analysis run."
            )
        items.append(
            {
                "id": i,
                "review": r,
                "submission": s,
                "publishable": i in allowed,
                "why": why,
                "url": (
                    reverse("workspace:submission", kwargs={"slug": call.slug, "pk": s.pk})
                    if workspace
                    else ""
                ),
            }
        )
    return render(
        request,
        "reports/staff/evidence.html",
        {"call": call, "edition": found, "items": items},
    )
