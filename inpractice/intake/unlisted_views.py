"""Describing a school that is not in the register (public), and staff matching or confirming it.

The public page belongs to a draft's "Schools covered" step; the staff action is a small form on
the staff submission page (programme admins only), recorded with who and when on the row.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inpractice.accounts.roles import role_required
from inpractice.schools.models import School

from .forms import UnlistedSchoolForm
from .journey import next_step
from .models import CallForEvidence, UnlistedSchool, WindowState
from .unlisted import (
    ReviewProblem,
    choose_register_school,
    confirm_unlisted,
    describe_school,
    match,
)
from .views import _closed_response, _draft, _pending_key, _window_context

ADMIN = "programme-admin"


def school_not_listed(request: HttpRequest, slug: str) -> HttpResponse:
    """'My school is not in the list': a short description, flagged for staff."""
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    if not call.is_open():
        return _closed_response(request, call)
    draft = _draft(request, call)
    if draft is None:
        return redirect("intake:question", call.slug, "about-you")
    if draft.is_submitted:
        return redirect("intake:confirmation", call.slug)
    changing = request.GET.get("change") == "1" or request.POST.get("change") == "1"
    schools_url = reverse("intake:question", args=[call.slug, "schools"])
    back = schools_url + ("?change=1" if changing else "")
    following = next_step(call, "schools")
    onward = (
        reverse("intake:check", args=[call.slug])
        if changing or following is None
        else reverse("intake:question", args=[call.slug, following.slug])
    )
    status = 200
    if request.method == "POST":
        pick = request.POST.get("pick", "")
        school = School.objects.filter(urn=int(pick)).first() if pick.isdigit() else None
        if school is not None:
            with transaction.atomic():
                if not CallForEvidence.objects.get(pk=call.pk).is_open():
                    return _closed_response(request, call)
                choose_register_school(draft, school)
            return redirect(onward)
        form = UnlistedSchoolForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                if not CallForEvidence.objects.get(pk=call.pk).is_open():
                    return _closed_response(request, call)
                describe_school(draft, form.cleaned_data)
            return redirect(onward)
        status = 400
    else:
        described = draft.unlisted_schools.first()
        initial = (
            {
                "name": described.name,
                "town": described.town,
                "postcode": described.postcode,
                "phase": described.phase,
                "urn": described.urn or "",
            }
            if described
            else {}
        )
        form = UnlistedSchoolForm(initial=initial)
    context = {**_window_context(call), "form": form, "back": back, "changing": changing}
    return render(request, "intake/school_not_listed.html", context, status=status)


def nominate_school_not_listed(request: HttpRequest, slug: str) -> HttpResponse:
    """'The school is not in the list' on the nomination form: described, kept in the session
    with the rest of the nomination, and stored only when the nomination is sent."""
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    if call.state() == WindowState.CLOSED:
        return _closed_response(request, call)
    key = _pending_key(call)
    pending = request.session.get(key) or {}
    form_url = reverse("intake:nominate", args=[call.slug])
    status = 200
    if request.method == "POST":
        pick = request.POST.get("pick", "")
        school = School.objects.filter(urn=int(pick)).first() if pick.isdigit() else None
        if school is not None:
            request.session[key] = {**pending, "urn": school.urn, "described": None}
            return redirect(form_url)
        form = UnlistedSchoolForm(request.POST)
        if form.is_valid():
            request.session[key] = {**pending, "urn": None, "described": form.cleaned_data}
            return redirect(form_url)
        status = 400
    else:
        form = UnlistedSchoolForm(initial=pending.get("described") or {})
    context = {
        **_window_context(call),
        "form": form,
        "back": form_url,
        "changing": False,
        "nominating": True,
    }
    return render(request, "intake/school_not_listed.html", context, status=status)


@role_required(ADMIN)
@require_POST
def review_unlisted(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Match a described school to a register URN, or confirm it is not in the register."""
    call = get_object_or_404(CallForEvidence, slug=slug)
    unlisted = get_object_or_404(UnlistedSchool, pk=pk, submission__call=call)
    page = reverse("staff:submission", args=[call.slug, unlisted.submission_id]) + "#schools"
    if request.POST.get("decision") == "confirm":
        confirm_unlisted(unlisted, request.user)
        messages.success(request, f"{unlisted.name} confirmed as not in the school register.")
        return redirect(page)
    try:
        school = match(unlisted, request.POST.get("urn", ""), request.user)
    except ReviewProblem as problem:
        messages.error(request, f"{unlisted.name} was not matched: {problem}.")
        return redirect(page)
    messages.success(
        request, f"{unlisted.name} matched to {school.name} (URN {school.urn}) in the register."
    )
    return redirect(page)
