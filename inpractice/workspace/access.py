"""Who may open which call in the workspace, decided on the server for every request.

Analysts see only the calls they are assigned to; lead analysts and programme admins see every
call. Contact details of submitters are never shown in the workspace (programme admins see them on
the programme team's own pages).
"""

from __future__ import annotations

from django.http import Http404

from inpractice.accounts.roles import has_role
from inpractice.intake.models import CallForEvidence

from .models import CallAssignment

WORKSPACE_ROLES = ("analyst", "lead-analyst", "programme-admin")
LEAD_ROLES = ("lead-analyst",)


def is_lead(user) -> bool:
    return has_role(user, *LEAD_ROLES)


def visible_calls(user):
    calls = CallForEvidence.objects.order_by("-closes_at")
    if has_role(user, "lead-analyst", "programme-admin"):
        return calls
    return calls.filter(pk__in=CallAssignment.objects.filter(user=user).values("call_id"))


def call_for(user, slug: str) -> CallForEvidence:
    """The call, if this user may work on it; 404 otherwise (an unassigned call is not revealed)."""
    call = visible_calls(user).filter(slug=slug).first()
    if call is None:
        raise Http404("No call you are assigned to has that address.")
    return call
