"""Who may open which call in the workspace, decided on the server for every request, and
changes to a call's team.

Analysts see only the calls they are assigned to; lead analysts and programme admins see every
call. Contact details of submitters are never shown in the workspace (programme admins see them on
the programme team's own pages).
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from inpractice.accounts.roles import has_role
from inpractice.intake.models import CallForEvidence

from .events import record
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


def add_to_team(call, actor, user) -> bool:
    """Let an analyst work on a call; False if they already could."""
    with transaction.atomic():
        _, created = CallAssignment.objects.get_or_create(
            call=call, user=user, defaults={"assigned_by": actor}
        )
        if created:
            record(call, actor, "team.added", f"user:{user.pk}", None, {"user": user.pk})
    return created


def remove_from_team(call, actor, user_pk) -> None:
    """Take someone off a call's team (if they were on it)."""
    with transaction.atomic():
        gone = CallAssignment.objects.filter(call=call, user_id=user_pk).first()
        if gone:
            record(
                call, actor, "team.removed", f"user:{gone.user_id}", {"user": gone.user_id}, None
            )
            gone.delete()
