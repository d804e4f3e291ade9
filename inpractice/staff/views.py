"""Programme team pages: the dashboard of calls and their snapshot (the rest of the staff area is
in call_views, nomination_views and submission_views)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inpractice.accounts.roles import has_role, role_required
from inpractice.intake.coverage import snapshot
from inpractice.intake.invitations import counts as invitation_counts
from inpractice.intake.models import CallForEvidence, SubmissionStatus
from inpractice.intake.window import closing_phrase, opening_phrase

ADMIN = "programme-admin"


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
            "invitations": invitation_counts(call),
        }
        for call in CallForEvidence.objects.all()
    ]
    return render(request, "staff/dashboard.html", {"calls": calls})


@role_required(ADMIN)
def call_window(request: HttpRequest, slug: str) -> HttpResponse:
    """The old window page: the window is now changed with the call's other details."""
    call = get_object_or_404(CallForEvidence, slug=slug)
    return redirect("staff:call_details", call.slug, permanent=True)
