"""Shared responses: colleagues asked to help answer a trust's or local authority's draft, and
the history of every answer, so that nobody overwrites anyone.

The person who started a draft (the *author*) may ask up to `MAX_CONTRIBUTORS` colleagues, by
email address, to contribute. Each gets their own link: signed with the site's key, naming the
`Contributor` row and a secret whose hash only is stored, and working for
`CONTRIBUTOR_LINK_DAYS` days, until the author removes them, their address is erased, or the
response is sent. A contributor answers the call's questions and nothing else: the author keeps
the details about them and their organisation, the schools, the consent, the list of
contributors and the sending.

Every save of an answer, by anyone, is a numbered `AnswerVersion`. A question page carries the
number it was drawn from; a save from an older number is refused with both texts shown
(`AnswerConflict`), so a second person's words never silently replace the first's.

The address a link goes to was typed by the author, a member of the public, so the email holds
none of their words: a fixed greeting, the call's title (written by staff), dates and the link.
Sending is limited per draft and per client address, like the "save and come back" emails.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .choices import OrganisationType
from .emails import absolute, email_limited
from .models import (
    AnswerVersion,
    CallForEvidence,
    Contributor,
    Submission,
    hash_token,
)
from .window import closing_phrase

SHARE_SALT = "inpractice.intake.contributor"
MAX_CONTRIBUTORS = 10
SHAREABLE_TYPES = frozenset({OrganisationType.TRUST, OrganisationType.LOCAL_AUTHORITY})
AUTHOR = 0  # AnswerVersion.contributor_number of the person whose draft it is


def link_days() -> int:
    return settings.CONTRIBUTOR_LINK_DAYS


def can_share(submission: Submission) -> bool:
    """Only an organisation's response is written by several people: a trust's or an LA's."""
    return submission.organisation_type in SHAREABLE_TYPES and not submission.is_submitted


class SharingError(Exception):
    """Why a colleague cannot be added or removed, in words for the author."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# The link -------------------------------------------------------------------------------


def contributor_token(contributor: Contributor, secret: str) -> str:
    return signing.dumps({"c": contributor.pk, "s": secret}, salt=SHARE_SALT)


class LinkProblem(StrEnum):
    BROKEN = "broken"  # not genuine: tampered with, or cut short when copied
    EXPIRED = "expired"
    REMOVED = "removed"  # the author removed them, or their address was erased
    SENT = "sent"  # the response has been sent: nothing more can be added


@dataclass(frozen=True)
class LinkCheck:
    contributor: Contributor | None
    problem: LinkProblem | None


def _state(contributor: Contributor | None) -> LinkCheck:
    if contributor is None:
        return LinkCheck(None, LinkProblem.BROKEN)
    if not contributor.is_live:
        return LinkCheck(None, LinkProblem.REMOVED)
    if contributor.submission.is_submitted:
        return LinkCheck(None, LinkProblem.SENT)
    return LinkCheck(contributor, None)


def check_token(token: str, call: CallForEvidence) -> LinkCheck:
    try:
        data = signing.loads(token, salt=SHARE_SALT, max_age=timedelta(days=link_days()))
    except signing.SignatureExpired:
        return LinkCheck(None, LinkProblem.EXPIRED)
    except signing.BadSignature:
        return LinkCheck(None, LinkProblem.BROKEN)
    if not isinstance(data, dict) or not isinstance(data.get("s"), str):
        return LinkCheck(None, LinkProblem.BROKEN)
    contributor = (
        Contributor.objects.select_related("submission")
        .filter(pk=data.get("c"), token_hash=hash_token(data["s"]), submission__call=call)
        .first()
    )
    return _state(contributor)


def check_session(contributor_pk, call: CallForEvidence) -> LinkCheck:
    """A contributor's browser holds the row's id once the link was opened; re-checked on every
    request, so removing someone or sending the response ends an open session at once."""
    if not isinstance(contributor_pk, int):
        return LinkCheck(None, LinkProblem.BROKEN)
    contributor = (
        Contributor.objects.select_related("submission")
        .filter(pk=contributor_pk, submission__call=call)
        .first()
    )
    return _state(contributor)


def mark_opened(contributor: Contributor) -> None:
    if contributor.opened_at is None:
        now = timezone.now()
        Contributor.objects.filter(pk=contributor.pk, opened_at__isnull=True).update(opened_at=now)
        contributor.opened_at = now


# Adding and removing --------------------------------------------------------------------


def live_contributors(submission: Submission):
    return submission.contributors.filter(revoked_at__isnull=True).exclude(email="")


def email_content(request, contributor: Contributor, token: str) -> tuple[str, str]:
    """(subject, body): the service's words, the call's title, dates and the link only."""
    call = contributor.submission.call
    link = absolute(request, reverse("intake:contribute", args=[call.slug, token]))
    context = {
        "call": call,
        "link": link,
        "closes": closing_phrase(call.closes_at),
        "link_days": link_days(),
    }
    subject = f"You have been asked to help answer: {call.title}"
    return subject, render_to_string("intake/email/contributor.txt", context)


def add_contributor(request, submission: Submission, email: str) -> Contributor:
    """Store a colleague and email them their link, in one transaction: if the email cannot go,
    nobody is added. Raises SharingError with what to tell the author."""
    email = email.strip().lower()
    if not can_share(submission):
        raise SharingError(
            "Only a response from a multi-academy trust or a local authority can be shared.", 409
        )
    if email == (submission.respondent_email or "").strip().lower():
        raise SharingError("That is your own email address. Enter a colleague's address")
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.is_submitted:
            raise SharingError("This response has been sent, so nobody more can be added.", 409)
        live = live_contributors(locked)
        if live.filter(email=email).exists():
            raise SharingError(f"You have already asked {email} to contribute")
        if live.count() >= MAX_CONTRIBUTORS:
            raise SharingError(
                f"You can ask up to {MAX_CONTRIBUTORS} colleagues. Remove someone first to ask "
                "someone else",
                409,
            )
        # Counted only once the request is otherwise acceptable, and before anything is stored
        # or sent, so a refused request sends nothing.
        if email_limited(request, f"contributors:{locked.pk}"):
            raise SharingError(
                "We have sent several invitations from this response in the last hour. Nothing "
                "was sent: try again in an hour",
                429,
            )
        number = (locked.contributors.aggregate(n=Max("number"))["n"] or 0) + 1
        secret = secrets.token_urlsafe(32)
        contributor = Contributor.objects.create(
            submission=locked,
            number=number,
            email=email,
            token_hash=hash_token(secret),
            invited_at=timezone.now(),
        )
        subject, body = email_content(request, contributor, contributor_token(contributor, secret))
        try:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[email])
        except Exception as exc:  # any backend: file (OSError), SMTP, Notify (HTTP)
            raise SharingError(
                "We could not email your colleague, so they have not been added. Try again in a "
                "few minutes",
                503,
            ) from exc
    return contributor


def remove_contributor(submission: Submission, number: int) -> Contributor:
    """End a contributor's link at once. What they wrote stays, under their label."""
    with transaction.atomic():
        contributor = (
            Contributor.objects.select_for_update()
            .filter(submission=submission, number=number, revoked_at__isnull=True)
            .first()
        )
        if contributor is None:
            raise SharingError("That colleague cannot contribute already.", 409)
        contributor.revoked_at = timezone.now()
        contributor.save(update_fields=["revoked_at"])
    return contributor


# Answers and their history --------------------------------------------------------------


def latest_number(submission: Submission, key: str) -> int:
    found = submission.answer_history.filter(key=key).aggregate(n=Max("number"))["n"]
    return found or 0


def latest_versions(submission: Submission) -> dict[str, AnswerVersion]:
    """The newest saved version of each question's answer, by question key."""
    latest: dict[str, AnswerVersion] = {}
    for version in submission.answer_history.order_by("key", "number"):
        latest[version.key] = version
    return latest


def editor_label(number: int, viewer: int | None = None) -> str:
    """Who saved a version, as `viewer` may know them: the author (AUTHOR), a contributor's
    number, or None for programme staff. Nobody but staff sees an address here."""
    if viewer is not None and number == viewer:
        return "you"
    if number == AUTHOR:
        return "the person who started the response" if viewer is not None else "The author"
    return f"Contributor {number}"


def when(moment: datetime) -> str:
    """'6 December 2026 at 2:40pm', UK time (the site's time zone)."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def record_version(submission: Submission, key: str, contributor_number: int) -> AnswerVersion:
    """Add the stored answer to `key` to its history; the caller holds the draft's row lock."""
    return AnswerVersion.objects.create(
        submission=submission,
        key=key,
        number=latest_number(submission, key) + 1,
        text=submission.answer(key),
        contributor_number=contributor_number,
    )


class AnswerConflict(Exception):
    """The answer was saved by someone (or another window) since the page was drawn."""

    def __init__(self, saved: AnswerVersion | None, text: str, number: int):
        super().__init__(f"answer saved since the page was drawn (now version {number})")
        self.saved = saved  # None: an answer from before versions were kept
        self.text = text
        self.number = number


class ResponseSent(Exception):
    pass


class CallClosed(Exception):
    pass


def save_answer(
    submission: Submission, question: dict, text: str, seen: int, contributor_number: int
) -> AnswerVersion | None:
    """Store `text` as the answer to `question` if nobody saved one since version `seen`.

    Locks the draft, so two saves of the same question are ordered and the second is refused;
    saves of different questions both go in. Returns the new version, or None when the text is
    what is already stored (nothing changed). Raises AnswerConflict, ResponseSent or CallClosed.
    """
    key = question["key"]
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.is_submitted:
            raise ResponseSent()
        if not CallForEvidence.objects.get(pk=locked.call_id).is_open():
            raise CallClosed()
        current = latest_number(locked, key)
        stored = locked.answer(key)
        already = key in (locked.answers or {})
        if already and stored == text:
            return None
        if current != seen:
            saved = locked.answer_history.filter(key=key, number=current).first()
            raise AnswerConflict(saved, stored, current)
        answers = {**(locked.answers or {}), key: text}
        versions = {**(locked.answer_versions or {}), key: int(question.get("version", 1))}
        # Only these fields: the author may be saving another page of the same draft.
        Submission.objects.filter(pk=locked.pk).update(
            answers=answers, answer_versions=versions, updated_at=timezone.now()
        )
        version = AnswerVersion.objects.create(
            submission=locked,
            key=key,
            number=current + 1,
            text=text,
            contributor_number=contributor_number,
        )
    submission.answers, submission.answer_versions = answers, versions
    return version


# For programme staff --------------------------------------------------------------------


@dataclass
class StaffSharing:
    contributors: list[Contributor]
    history: list[dict]  # {"label": question, "versions": [AnswerVersion with .who]}


def staff_sharing(submission: Submission) -> StaffSharing | None:
    """What the staff submission page shows about a shared response; None if never shared and
    nobody but the author ever saved an answer."""
    contributors = list(submission.contributors.order_by("number"))
    versions = list(submission.answer_history.order_by("key", "number"))
    if not contributors:
        return None
    labels = {q["key"]: q["label"] for q in submission.call.questions}
    history: dict[str, dict] = {}
    for version in versions:
        version.who = editor_label(version.contributor_number)
        version.when = when(version.saved_at)
        entry = history.setdefault(
            version.key, {"label": labels.get(version.key, version.key), "versions": []}
        )
        entry["versions"].append(version)
    order = [q["key"] for q in submission.call.questions]
    ordered = sorted(history.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    return StaffSharing(contributors, [entry for _key, entry in ordered])
