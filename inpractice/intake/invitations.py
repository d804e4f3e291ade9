"""Nominated schools invited by email: the signed link, sending, tracking, reminders, undo.

The address an invitation goes to was typed by the nominator, a member of the public, so the
email's greeting and subject carry none of their words. The one thing they typed that may go in
is their reason for the nomination, and only when they agreed to share it; it is quoted under
the service's own words and a programme admin reads it on the nomination's page before sending.
Sending is limited per call and per client address (`RATELIMIT_INVITE_*`) and per nomination,
so the button cannot be used to mail strangers in bulk or one person over and over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_ratelimit.core import get_usage

from .choices import Coverage
from .emails import absolute
from .models import (
    CallForEvidence,
    CoveredSchool,
    Invitation,
    Nomination,
    Submission,
    SubmissionStatus,
    UnlistedSchool,
)
from .window import closing_phrase

INVITE_SALT = "inpractice.intake.invitation"


class InvitationState(StrEnum):
    SENT = "Sent"
    OPENED = "Opened"
    STARTED = "Started"
    SUBMITTED = "Submitted"
    WITHDRAWN = "Withdrawn"


class InvitationError(Exception):
    """Why an invitation cannot be sent or withdrawn, in words for the programme admin."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.status = status


# The link -------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    """Signed and timestamped: names the invitation and its nonce; lasts INVITATION_LINK_DAYS."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITE_SALT)


class LinkProblem(StrEnum):
    BROKEN = "broken"  # not genuine: tampered with, or cut short when copied
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class LinkCheck:
    invitation: Invitation | None
    problem: LinkProblem | None


def check_token(token: str, call: CallForEvidence) -> LinkCheck:
    max_age = timedelta(days=settings.INVITATION_LINK_DAYS)
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return LinkCheck(None, LinkProblem.EXPIRED)
    except signing.BadSignature:
        return LinkCheck(None, LinkProblem.BROKEN)
    if not isinstance(data, dict):
        return LinkCheck(None, LinkProblem.BROKEN)
    invitation = (
        Invitation.objects.select_related("nomination", "nomination__school", "submission")
        .filter(pk=data.get("i"), nonce=data.get("n"), nomination__call=call)
        .first()
    )
    if invitation is None:
        return LinkCheck(None, LinkProblem.BROKEN)
    if invitation.withdrawn_at is not None:
        return LinkCheck(None, LinkProblem.WITHDRAWN)
    return LinkCheck(invitation, None)


def invitation_link(request, invitation: Invitation) -> str:
    call = invitation.nomination.call
    path = reverse("intake:invitation", args=[call.slug, invitation_token(invitation)])
    return absolute(request, path) if request is not None or settings.SITE_URL else path


# The email ------------------------------------------------------------------------------


def email_content(invitation: Invitation, link: str, *, reminder: bool = False) -> tuple[str, str]:
    """(subject, body): the service's words, the call's title (written by staff), the school's
    name from the register, dates, the link and, with consent, the nominator's reason quoted."""
    nomination = invitation.nomination
    call = nomination.call
    context = {
        "call": call,
        "school": nomination.school_label,
        "reason": nomination.reason if invitation.shared_reason else "",
        "link": link,
        "closes": closing_phrase(call.closes_at),
        "link_days": settings.INVITATION_LINK_DAYS,
        "reminder": reminder,
    }
    kind = "Reminder: you are invited" if reminder else "You are invited"
    subject = f"{kind} to share your school's inclusive practice: {call.title}"
    return subject, render_to_string("intake/email/invitation.txt", context)


def _send(request, invitation: Invitation, *, reminder: bool = False) -> None:
    subject, body = email_content(
        invitation, invitation_link(request, invitation), reminder=reminder
    )
    send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=[invitation.nomination.contact_email],
    )


# Rate limits ----------------------------------------------------------------------------


def _per_call_rate(group, request) -> str:
    return settings.RATELIMIT_INVITE_PER_CALL


def _per_client_rate(group, request) -> str:
    return settings.RATELIMIT_INVITE_PER_CLIENT


def invite_limited(request, call: CallForEvidence) -> bool:
    """True if this call or this client has sent as many invitations this hour as allowed; else
    False, and this one is counted against both. Checked before anything is sent or stored."""
    checks = [
        ("invite-per-call", lambda _group, _request: f"call:{call.pk}", _per_call_rate),
        ("invite-per-client", "ip", _per_client_rate),
    ]
    for group, key, rate in checks:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    for group, key, rate in checks:
        get_usage(request, group=group, key=key, rate=rate, increment=True)
    return False


# Sending and withdrawing ----------------------------------------------------------------

# One nomination's contact gets at most this many invitations a day, however often an invitation
# is withdrawn and sent again.
MAX_INVITATIONS_PER_NOMINATION_PER_DAY = 3


def live_invitation(nomination: Nomination) -> Invitation | None:
    return nomination.invitations.filter(withdrawn_at__isnull=True).first()


def send_invitation(request, nomination: Nomination, user) -> Invitation:
    """Store the invitation and email it, in one transaction: if the email cannot go, nothing
    is recorded as sent. Raises InvitationError with what to tell the admin."""
    call = nomination.call
    if not call.is_open():
        raise InvitationError("You can only send invitations while the call is open.")
    if not nomination.contact_email:
        raise InvitationError("This nomination has no email address (it may have been erased).")
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if live_invitation(locked) is not None:
            raise InvitationError("This school has already been invited.")
        recent = locked.invitations.filter(sent_at__gte=timezone.now() - timedelta(days=1))
        if recent.count() >= MAX_INVITATIONS_PER_NOMINATION_PER_DAY:
            raise InvitationError(
                "This school has been invited too many times today. Try again tomorrow.", 429
            )
        if invite_limited(request, call):
            raise InvitationError(
                "Too many invitations have been sent in the last hour. Nothing was sent: try "
                "again later.",
                429,
            )
        now = timezone.now()
        invitation = Invitation.objects.create(
            nomination=locked,
            nonce=Invitation.new_nonce(),
            shared_reason=locked.share_reason,
            sent_at=now,
            sent_by=user,
        )
        locked.invited_at, locked.invited_by = now, user
        locked.save(update_fields=["invited_at", "invited_by"])
        try:
            _send(request, invitation)
        except Exception as exc:  # any backend: file (OSError), SMTP, Notify (HTTP)
            raise InvitationError(
                "The invitation could not be emailed, so it was not sent. Try again in a few "
                "minutes.",
                503,
            ) from exc
    return invitation


def withdraw_invitation(nomination: Nomination, user) -> Invitation:
    """Undo an invitation nobody has opened yet: its link stops working, the school is back on
    the list to invite, and who withdrew it and when are kept."""
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        invitation = live_invitation(locked)
        if invitation is None:
            raise InvitationError("There is no invitation to withdraw.")
        if invitation.opened_at is not None:
            raise InvitationError(
                "The invitation has been opened, so it can no longer be withdrawn."
            )
        invitation.withdrawn_at, invitation.withdrawn_by = timezone.now(), user
        invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
        locked.invited_at, locked.invited_by = None, None
        locked.save(update_fields=["invited_at", "invited_by"])
    return invitation


# Opening the link -----------------------------------------------------------------------


def mark_opened(invitation: Invitation) -> None:
    if invitation.opened_at is None:
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now


def start_draft(invitation: Invitation) -> Submission:
    """A new draft covering the invited school, recorded as started from this invitation."""
    nomination = invitation.nomination
    _token, token_hash = Submission.new_token()
    with transaction.atomic():
        draft = Submission.objects.create(
            call=nomination.call,
            resume_token_hash=token_hash,
            coverage=Coverage.ONE_SCHOOL,
            source="invitation",
        )
        described = nomination.unlisted_schools.first() if nomination.urn is None else None
        if described is not None:
            # A school the nominator described as not in the register: the draft carries the
            # same description (never a covered school), for staff to match or confirm.
            UnlistedSchool.objects.create(
                submission=draft,
                name=described.name,
                town=described.town,
                postcode=described.postcode,
                phase=described.phase,
                urn=described.urn,
            )
        else:
            CoveredSchool.objects.create(
                submission=draft,
                urn=nomination.urn,
                school=nomination.school,
                in_register=nomination.school is not None,
            )
        now = timezone.now()
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        locked.opened_at = locked.opened_at or now
        locked.started_at = locked.started_at or now
        # A second person at the school may start again from the same link; keep a sent
        # submission as the one that counts.
        if locked.submission is None or not locked.submission.is_submitted:
            locked.submission = draft
        locked.save(update_fields=["opened_at", "started_at", "submission"])
    return draft


# Tracking -------------------------------------------------------------------------------


def with_progress(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    """Annotated with `sent_elsewhere`: a submission was sent to the call from the contact's
    address without the link (they came to the call's page instead)."""
    by_address = Submission.objects.filter(
        call=OuterRef("nomination__call"),
        status=SubmissionStatus.SUBMITTED,
        respondent_email__iexact=OuterRef("nomination__contact_email"),
    ).exclude(respondent_email="")
    return invitations.select_related("submission").annotate(sent_elsewhere=Exists(by_address))


def state_of(invitation: Invitation) -> InvitationState:
    if invitation.withdrawn_at is not None:
        return InvitationState.WITHDRAWN
    submission = invitation.submission
    if (submission is not None and submission.is_submitted) or getattr(
        invitation, "sent_elsewhere", False
    ):
        return InvitationState.SUBMITTED
    if invitation.started_at is not None:
        return InvitationState.STARTED
    if invitation.opened_at is not None:
        return InvitationState.OPENED
    return InvitationState.SENT


def counts(call: CallForEvidence) -> dict[str, int]:
    """How many live invitations of the call are at each state."""
    found = {state.value: 0 for state in InvitationState if state != InvitationState.WITHDRAWN}
    live = with_progress(
        Invitation.objects.filter(nomination__call=call, withdrawn_at__isnull=True)
    )
    for invitation in live:
        found[state_of(invitation).value] += 1
    return found


# Reminders ------------------------------------------------------------------------------


@dataclass
class Reminders:
    due: list[Invitation]
    submitted: int = 0
    recent: int = 0
    no_address: int = 0
    sent: int = 0
    failed: int = 0


def due_reminders(call: CallForEvidence, days: int, now: datetime | None = None) -> Reminders:
    """Live invitations of the call to remind: not submitted (by the link or from the contact's
    address), with an address, and neither invited nor reminded in the last `days` days."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    live = with_progress(
        Invitation.objects.filter(nomination__call=call, withdrawn_at__isnull=True)
        .select_related("nomination", "nomination__school", "nomination__call")
        .order_by("sent_at", "pk")
    )
    found = Reminders(due=[])
    for invitation in live:
        if state_of(invitation) == InvitationState.SUBMITTED:
            found.submitted += 1
        elif not invitation.nomination.contact_email:
            found.no_address += 1
        elif max(invitation.sent_at, invitation.reminded_at or invitation.sent_at) > since:
            found.recent += 1
        else:
            found.due.append(invitation)
    return found


def send_reminders(
    call: CallForEvidence, days: int, *, dry_run: bool = False, request=None
) -> Reminders:
    """Remind every invitation due one (`due_reminders`); `request` (the staff page's) makes the
    links absolute where SITE_URL is not set."""
    found = due_reminders(call, days)
    if dry_run:
        return found
    for invitation in found.due:
        with transaction.atomic():
            # Re-read under lock, so two runs at once cannot both remind the same person.
            locked = (
                with_progress(Invitation.objects.filter(pk=invitation.pk))
                .select_for_update(of=("self",))
                .select_related("nomination", "nomination__school", "nomination__call")
                .first()
            )
            since = timezone.now() - timedelta(days=days)
            if (
                locked is None
                or locked.withdrawn_at is not None
                or state_of(locked) == InvitationState.SUBMITTED
                or max(locked.sent_at, locked.reminded_at or locked.sent_at) > since
            ):
                continue
            try:
                _send(request, locked, reminder=True)
            except Exception:  # noqa: BLE001 - counted and reported; the rest still go
                found.failed += 1
                continue
            Invitation.objects.filter(pk=locked.pk).update(
                reminded_at=timezone.now(), reminders=locked.reminders + 1
            )
            found.sent += 1
    return found
