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
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from inpractice.accounts.roles import role_required
from inpractice.intake.invitations import (
    InvitationError,
    InvitationState,
    counts,
    due_reminders,
    email_content,
    send_invitation,
    send_reminders,
    state_of,
    with_progress,
    withdraw_invitation,
)
from inpractice.intake.models import CallForEvidence, Invitation, Nomination

ADMIN = "programme-admin"
PAGE_SIZE = 50
# A school invited or reminded within this many days is not reminded again (as the command's
# default, `inpractice invitations remind --days 7`).
REMIND_AFTER_DAYS = 7
# At most this many invitations are sent by one press of "Invite the chosen schools" (one page).
INVITE_AT_ONCE = PAGE_SIZE
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
            "open": call.is_open(),
            "reminders": due_reminders(call, REMIND_AFTER_DAYS) if call.is_open() else None,
            "remind_after_days": REMIND_AFTER_DAYS,
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
    return nomination.school_label


@role_required(ADMIN)
@require_POST
def invite_chosen(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite each nomination ticked on the list, one by one, under the same rules and limits as
    a single invitation; stops at the first limit and says what was and was not sent."""
    call = get_object_or_404(CallForEvidence, slug=slug)
    back = redirect(f"{reverse('staff:nominations', args=[call.slug])}?show=to-invite")
    chosen = [pk for pk in request.POST.getlist("nomination") if pk.isdigit()]
    if not chosen:
        messages.error(request, "Choose at least one school to invite.")
        return back
    if len(chosen) > INVITE_AT_ONCE:
        messages.error(request, f"Choose at most {INVITE_AT_ONCE} schools at a time.")
        return back
    found = list(
        call.nominations.select_related("school", "call").filter(pk__in=chosen).order_by("pk")
    )
    sent, problems = [], []
    for nomination in found:
        try:
            send_invitation(request, nomination, request.user)
        except InvitationError as exc:
            problems.append(f"{_school(nomination)}: {exc}")
            if exc.status in (429, 503):  # a limit or the email service: the rest would fail too
                left = len(found) - len(sent) - len(problems)
                if left:
                    problems.append(f"{left} more not tried; nothing was sent to them.")
                break
        else:
            sent.append(_school(nomination))
    if sent:
        messages.success(request, f"Invitations sent to {len(sent)}: {', '.join(sent)}.")
    for problem in problems:
        messages.error(request, problem)
    return back


@role_required(ADMIN)
@require_POST
def remind(request: HttpRequest, slug: str) -> HttpResponse:
    """Remind every invited school that is due one (as `inpractice invitations remind`)."""
    call = get_object_or_404(CallForEvidence, slug=slug)
    back = redirect(f"{reverse('staff:nominations', args=[call.slug])}?show=invited")
    if not call.is_open():
        messages.error(request, "The call is not open, so there is nothing to remind anyone about.")
        return back
    found = send_reminders(call, REMIND_AFTER_DAYS, request=request)
    if found.sent:
        messages.success(request, f"Reminders sent: {found.sent}.")
    else:
        messages.success(request, "Nobody was due a reminder, so none were sent.")
    if found.failed:
        messages.error(
            request,
            f"{found.failed} reminders could not be emailed. Try again in a few minutes: only "
            "those not reminded yet will be sent.",
        )
    return back
