"""Programme team pages: calls and their snapshot, the window, nominations, submissions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from inpractice.accounts.roles import has_role, role_required
from inpractice.intake.coverage import snapshot
from inpractice.intake.models import CallForEvidence, Nomination, SubmissionStatus
from inpractice.intake.window import closing_phrase, opening_phrase

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


@role_required(ADMIN)
def nominations(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    show = request.GET.get("show", "to-invite")
    qs = call.nominations.select_related("school", "invited_by").order_by("-created_at")
    if show == "to-invite":
        qs = qs.filter(invited_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/nominations.html", {"call": call, "page": page, "show": show})


@role_required(ADMIN)
@require_POST
def mark_invited(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    with transaction.atomic():
        nomination = get_object_or_404(Nomination.objects.select_for_update(), pk=pk, call=call)
        if nomination.invited_at is None:
            nomination.invited_at = timezone.now()
            nomination.invited_by = request.user
            nomination.save(update_fields=["invited_at", "invited_by"])
    messages.success(
        request,
        f"Marked {nomination.school.name if nomination.school else nomination.urn} as invited.",
    )
    return redirect("staff:nominations", call.slug)
