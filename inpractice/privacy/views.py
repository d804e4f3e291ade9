"""Programme-admin pages: retention per call, a person's data (export, erase), the audit log.

The email address a person is looked up by travels only in POST bodies, never in a URL, so it
does not end up in access logs or browser history.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from inpractice.accounts.roles import role_required
from inpractice.intake.models import CallForEvidence
from inpractice.intake.window import closing_phrase

from .erasure import ErasureError, audit, erase, find, subject_access_export
from .forms import EraseForm, PersonForm, RetentionForm
from .models import AuditAction, AuditEvent, RetentionPolicy

ADMIN = "programme-admin"


@role_required(ADMIN)
def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = []
    for call in CallForEvidence.objects.all().select_related("retention_policy"):
        policy = getattr(call, "retention_policy", None)
        rows.append(
            {
                "call": call,
                "closes": closing_phrase(call.closes_at),
                "policy": policy,
                "erase_after": closing_phrase(policy.erase_after) if policy else "",
                "due": policy.is_due(now) if policy else False,
            }
        )
    return render(request, "privacy/index.html", {"rows": rows})


@role_required(ADMIN)
def retention(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    policy = RetentionPolicy.objects.filter(call=call).first()
    if request.method == "POST":
        form = RetentionForm(request.POST)
        if form.is_valid():
            days = form.cleaned_data["keep_contact_days"]
            with transaction.atomic():
                RetentionPolicy.objects.update_or_create(
                    call=call, defaults={"keep_contact_days": days, "updated_by": request.user}
                )
                audit(
                    request.user,
                    AuditAction.RETENTION_SET,
                    f"retention of {call.slug} set to {days} days after the close",
                    call=call,
                )
            messages.success(
                request,
                f"Contact details for {call.title} will be kept {days} days after it closes.",
            )
            return redirect("privacy:index")
        status = 400
    else:
        form = RetentionForm(
            initial={"keep_contact_days": policy.keep_contact_days if policy else ""}
        )
        status = 200
    return render(
        request,
        "privacy/retention.html",
        {"call": call, "form": form, "closes": closing_phrase(call.closes_at)},
        status=status,
    )


@role_required(ADMIN)
def subject(request: HttpRequest) -> HttpResponse:
    """Look a person up by email address: what is held, then export or erase it."""
    found = None
    form = PersonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            email = form.cleaned_data["email"]
            found = find(email)
            audit(
                request.user,
                AuditAction.VIEW,
                "Personal data held about one person (look-up)",
                records=found.total,
                email=email,
            )
        else:
            status = 400
    erase_form = EraseForm(initial={"email": found.email}) if found else None
    return render(
        request,
        "privacy/subject.html",
        {"form": form, "found": found, "erase_form": erase_form},
        status=status,
    )


@role_required(ADMIN)
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/subject.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    data = subject_access_export(email, request.user, "subject access export (download)")
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(ADMIN)
@require_POST
def erase_person(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST)
    if not form.is_valid():
        email = request.POST.get("email", "")
        found = None
        lookup = PersonForm({"email": email})
        if lookup.is_valid():
            found = find(lookup.cleaned_data["email"])
        return render(
            request,
            "privacy/subject.html",
            {"form": lookup, "found": found, "erase_form": form},
            status=400,
        )
    try:
        result = erase(form.cleaned_data["email"], request.user, "erasure (staff page)")
    except ErasureError as exc:
        return render(
            request,
            "web/error.html",
            {"title": "Nothing was erased", "body": str(exc)},
            status=500,
        )
    messages.success(
        request,
        f"Erased {result.total} record{'s' if result.total != 1 else ''} of contact details "
        f"for {result.email}."
        if result.total
        else f"No contact details were held for {result.email}.",
    )
    return redirect("privacy:subject")


@role_required(ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = AuditEvent.objects.select_related("call")
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        qs = qs.filter(action=action)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/audit.html",
        {"page": page, "action": action, "actions": AuditAction.choices},
    )
