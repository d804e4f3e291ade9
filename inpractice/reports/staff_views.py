"""Staff pages of report editions (ADR 19): the editions of a call, drafting one from the
current run, sending it for review, approving it (not one's own), publishing it (a background
job) and following its progress. Lead analysts and programme admins only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from inpractice.accounts.roles import role_required
from inpractice.coding.runs import current_run
from inpractice.intake.models import CallForEvidence, WindowState
from inpractice.jobs.service import JobError

from . import authoring, editions
from . import text as rtext
from .authoring_views import staff_citer
from .editions import EDITOR_ROLES, EditionError
from .models import Edition

ACTIONS = {
    "save": "Note saved.",
    "review": "Sent for review: another lead analyst or programme admin must approve it.",
    "back": "Sent back to draft.",
    "approve": "Approved. It can be published now.",
    "publish": "Publishing: a worker is building the edition's HTML and PDF.",
    "discard": "Edition discarded.",
}


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def edition_list(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    error = ""
    note = ""
    if request.method == "POST":
        note = request.POST.get("note", "")
        try:
            edition = editions.create_draft(call, request.user, note=note)
        except EditionError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Edition {edition.number} drafted from the current run.")
            return redirect("reports:edition", slug=call.slug, edition=edition.number)
    all_editions = Edition.objects.filter(call=call).select_related("run").order_by("-number")
    return render(
        request,
        "reports/staff/editions.html",
        {
            "call": call,
            "editions": all_editions,
            "published": editions.published(call),
            "unfinished": editions.unfinished(call),
            "closed": call.state() == WindowState.CLOSED,
            "run": current_run(call),
            "error": error,
            "note": note,
        },
        status=409 if error else 200,
    )


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def edition_detail(request: HttpRequest, slug: str, edition: int) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    found = get_object_or_404(
        Edition.objects.select_related("run", "job", "superseded_by"), call=call, number=edition
    )
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "save":
                editions.save_note(found, request.POST.get("note", ""))
            elif action == "review":
                editions.send_for_review(found, request.user)
            elif action == "back":
                editions.back_to_draft(found, request.user)
            elif action == "approve":
                editions.approve(found, request.user)
            elif action == "publish":
                editions.publish(found, request.user)
            elif action == "discard":
                editions.discard(found)
                messages.success(request, ACTIONS[action])
                return redirect("reports:editions", slug=call.slug)
            else:
                raise EditionError("Choose one of the buttons on this page.")
        except (EditionError, JobError) as exc:
            error = str(exc)
        else:
            messages.success(request, ACTIONS[action])
            return redirect("reports:edition", slug=call.slug, edition=found.number)
        found.refresh_from_db()
    is_author = found.author_id is not None and found.author_id == request.user.pk
    current = current_run(call)
    # The written text, rendered for staff (markers open their passages): the approver reads
    # what they approve.
    citer = staff_citer(call, found)
    all_sections = authoring.sections(found)
    written_items = [
        {
            "section": s,
            "anchor": s.field,
            "written": s.written,
            "html": rtext.render(s.body, citer, heading_level=4),
        }
        for s in all_sections
        if s.written or s.required
    ]
    return render(
        request,
        "reports/staff/edition.html",
        {
            "call": call,
            "edition": found,
            "is_author": is_author,
            "run_is_current": current is not None and current.pk == found.run_id,
            "needs_note": editions.published(call) is not None
            and found.status == Edition.Status.DRAFT,
            "preview_url": reverse("reports:report", kwargs={"slug": call.slug}) + "?view=public",
            "jobs_url": reverse("workspace:jobs", kwargs={"slug": call.slug}),
            "error": error,
            "error_target": "written-report"
            if error.startswith("Write every")
            else ("quote-privacy" if "a privacy check before this edition" in error else ""),
            # Approved quotes that would be published and still need a privacy check (ADR 23).
            "privacy_checks": editions.privacy_checks(found) if found.unfinished else [],
            "sections": all_sections,
            "written_count": sum(1 for s in all_sections if s.written),
            "missing": authoring.missing(found),
            "written_items": written_items,
        },
        status=409 if error else 200,
    )
