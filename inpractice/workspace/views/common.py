"""What the workspace's pages share: the role check, lead-only actions, paging and query strings."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest

from inpractice.accounts.roles import has_role, role_required

from ..access import WORKSPACE_ROLES, is_lead
from ..blind import blind_samples, blind_submission_ids
from ..models import Coding

PAGE_SIZE = 20
workspace_role = role_required(*WORKSPACE_ROLES)


def require_lead(user) -> None:
    if not is_lead(user):
        raise PermissionDenied


def page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def query(**params) -> str:
    return urlencode(params)


def without_blind_codes(events, call, user):
    """Hide what a blind coder must not see, and other people's codes inside samples.

    Analysts and programme admins never see other people's codes made inside a sample; lead
    analysts do, except in an open sample they code themselves. A coder of an open sample sees
    nobody else's change to its submissions at all (other people's codes, accepted proposals,
    memos), only their own (`blind.py`).
    """
    hidden_codings = Coding.objects.filter(call=call, sample__isnull=False).exclude(coder=user)
    if has_role(user, "lead-analyst"):
        hidden_codings = hidden_codings.filter(sample__in=blind_samples(call, user))
    hidden = [f"coding:{pk}" for pk in hidden_codings.values_list("pk", flat=True)]
    if hidden:
        events = events.exclude(target__in=hidden)
    return events.exclude(Q(submission_id__in=blind_submission_ids(call, user)) & ~Q(actor=user))
