"""Nominated schools: the list, one nomination with its invitations, sending and withdrawing.

Programme admins only: these pages show the school contact's and the nominator's details, and
viewing them is audited (AUDITED_PAGES in inpractice/privacy/erasure.py). The sending itself,
its limits and the link live in inpractice/intake/invitations.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from inpractice.accounts.roles import role_required
from inpractice.intake.invitations import (
    InvitationError,
    InvitationState,
    counts,
    email_content,
    send_invitation,
    state_of,
    with_progress,
    withdraw_invitation,
)
from inpractice.intake.models import CallForEvidence, Invitation, Nomination

ADMIN = "programme-admin"
PAGE_SIZE = 50
SHOWS = {"to-invite": "not yet invited", "invited": "invited", "all": "all"}


@role_required(ADMIN)
@require_GET
def nominations(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    show = request.GET.get("show", "to-invite")
    if show not in SHOWS:
        show = "to-invite"
    live = Invitation.objects.filter(nomination=OuterRef("pk"), withdrawn_at__isnull=True)
    qs = (
        call.nominations.select_related("school")
        .annotate(invited=Exists(live))
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=with_progress(Invitation.objects.filter(withdrawn_at__isnull=True)),
                to_attr="live",
            )
        )
        .order_by("-created_at", "-pk")
    )
    if show == "to-invite":
        qs = qs.filter(invited=False)
    elif show == "invited":
        qs = qs.filter(invited=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "n": n,
            "invitation": n.live[0] if n.live else None,
            "state": state_of(n.live[0]) if n.live else None,
        }
        for n in page.object_list
    ]
    return render(
        request,
        "staff/nominations.html",
        {
            "call": call,
            "page": page,
            "rows": rows,
            "show": show,
            "shows": SHOWS,
            "counts": counts(call),
        },
    )


def _problem(request, call, nomination, title: str, exc: InvitationError) -> HttpResponse:
    # A page of its own, without the contact details: only a 200 page showing them is audited.
    context = {"call": call, "pk": nomination.pk, "title": title, "message": str(exc)}
    return render(request, "staff/invitation_problem.html", context, status=exc.status)


def _nomination_page(
    request: HttpRequest, call: CallForEvidence, nomination: Nomination
) -> HttpResponse:
    history = [
        {"invitation": i, "state": state_of(i)}
        for i in with_progress(
            nomination.invitations.select_related("sent_by", "withdrawn_by")
        ).order_by("-sent_at", "-pk")
    ]
    live = next((h for h in history if h["state"] != InvitationState.WITHDRAWN), None)
    preview = None
    if live is None:
        # What the school would be sent, with the link described rather than made.
        draft = Invitation(nomination=nomination, shared_reason=nomination.share_reason)
        subject, body = email_content(draft, "[a link just for this school]")
        preview = {"subject": subject, "body": body}
    return render(
        request,
        "staff/nomination.html",
        {
            "call": call,
            "n": nomination,
            "history": history,
            "live": live,
            "can_withdraw": live is not None
            and live["invitation"].opened_at is None
            and live["state"] == InvitationState.SENT,
            "preview": preview,
            "open": call.is_open(),
        },
    )


def _get(slug: str, pk: int) -> tuple[CallForEvidence, Nomination]:
    call = get_object_or_404(CallForEvidence, slug=slug)
    nomination = get_object_or_404(
        Nomination.objects.select_related("school", "call"), pk=pk, call=call
    )
    return call, nomination


@role_required(ADMIN)
@require_GET
def nomination(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call, found = _get(slug, pk)
    return _nomination_page(request, call, found)


@role_required(ADMIN)
@require_POST
def invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call, found = _get(slug, pk)
    try:
        send_invitation(request, found, request.user)
    except InvitationError as exc:
        return _problem(request, call, found, "The invitation was not sent", exc)
    messages.success(request, f"Invitation sent to {_school(found)}.")
    return redirect("staff:nomination", call.slug, found.pk)


@role_required(ADMIN)
@require_POST
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call, found = _get(slug, pk)
    try:
        withdraw_invitation(found, request.user)
    except InvitationError as exc:
        return _problem(request, call, found, "The invitation was not withdrawn", exc)
    messages.success(
        request, f"Invitation to {_school(found)} withdrawn. Its link no longer works."
    )
    return redirect("staff:nomination", call.slug, found.pk)


def _school(nomination: Nomination) -> str:
    return nomination.school.name if nomination.school else f"URN {nomination.urn}"
