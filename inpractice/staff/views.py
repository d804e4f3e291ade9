"""Programme team pages: calls and their snapshot, the window, nominations, submissions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inpractice.accounts.roles import has_role, role_required
from inpractice.intake.coverage import snapshot
from inpractice.intake.models import CallForEvidence, SubmissionStatus
from inpractice.intake.window import closing_phrase, opening_phrase

from . import calls
from .forms import CallWindowForm, split_uk

ADMIN = "programme-admin"
PAGE_SIZE = 50


def dashboard(request: HttpRequest) -> HttpResponse:
    """The programme team's dashboard; other staff land on their own area after sign-in."""
    user = request.user
    if user.is_authenticated and not has_role(user, ADMIN):
        if has_role(user, "analyst", "lead-analyst"):
            return redirect("workspace:home")
        if has_role(user, "moderator"):
            return redirect("library:staff_list")
    return _programme_dashboard(request)


@role_required(ADMIN)
def _programme_dashboard(request: HttpRequest) -> HttpResponse:
    calls = [
        {
            "call": call,
            "state": call.state(),
            "opens": opening_phrase(call.opens_at),
            "closes": closing_phrase(call.closes_at),
            "snapshot": snapshot(call),
            "drafts": call.submissions.filter(status=SubmissionStatus.DRAFT).count(),
            "nominations": call.nominations.count(),
            "to_invite": call.nominations.filter(invited_at__isnull=True).count(),
        }
        for call in CallForEvidence.objects.all()
    ]
    return render(request, "staff/dashboard.html", {"calls": calls})


@role_required(ADMIN)
def call_window(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    if request.method == "POST":
        form = CallWindowForm(request.POST)
        if form.is_valid():
            call.opens_at = form.cleaned_data["opens_at"]
            call.closes_at = form.cleaned_data["closes_at"]
            call.save(update_fields=["opens_at", "closes_at"])
            calls.record(call, calls.Actor.of(request.user), "edit", "changed the window")
            messages.success(
                request,
                f"The call now opens at {opening_phrase(call.opens_at)} and closes at "
                f"{closing_phrase(call.closes_at)}.",
            )
            return redirect("staff:dashboard")
        status = 400
    else:
        form = CallWindowForm(
            initial={"opens_at": split_uk(call.opens_at), "closes_at": split_uk(call.closes_at)}
        )
        status = 200
    return render(request, "staff/call_window.html", {"call": call, "form": form}, status=status)
