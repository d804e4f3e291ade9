"""What the workspace's pages share: the role check, lead-only actions, paging and query strings."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest

from inpractice.accounts.roles import has_role, role_required

from ..access import WORKSPACE_ROLES, is_lead
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
    """Hide other people's codes inside blind samples from everyone but the lead analysts."""
    if has_role(user, "lead-analyst"):
        return events
    hidden = [
        f"coding:{pk}"
        for pk in Coding.objects.filter(call=call, sample__isnull=False)
        .exclude(coder=user)
        .values_list("pk", flat=True)
    ]
    return events.exclude(target__in=hidden) if hidden else events
