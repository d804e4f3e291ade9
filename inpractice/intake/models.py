"""Calls for evidence, the submissions and nominations they receive, and the schools covered."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import models
from django.utils import timezone

from inpractice.analysis.codebook import default_codebook_dict
from inpractice.schools.models import LocalAuthority, School, Trust

from .choices import (
    DEFAULT_QUESTIONS,
    Coverage,
    OrganisationType,
    Phase,
    PublicationConsent,
)


def _default_questions() -> list[dict]:
    return [dict(q) for q in DEFAULT_QUESTIONS]


class WindowState(models.TextChoices):
    NOT_OPEN = "not_open", "Not open yet"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CallForEvidence(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(max_length=10000)
    questions = models.JSONField(default=_default_questions)
    codebook = models.JSONField(default=default_codebook_dict)
    # Instants in UTC; entered and shown in Europe/London. Submissions are accepted while
    # opens_at <= now < closes_at.
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    # A call made by the programme team is a draft, never open whatever its window says, until
    # someone opens it (which needs a complete call; see inpractice/staff/calls.py).
    is_draft = models.BooleanField(default=False)
    consent_wording = models.TextField(max_length=5000, blank=True)
    privacy_notice_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = "call for evidence"
        verbose_name_plural = "calls for evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, now: datetime | None = None) -> WindowState:
        now = now or timezone.now()
        if self.is_draft or now < self.opens_at:
            return WindowState.NOT_OPEN
        if now >= self.closes_at:
            return WindowState.CLOSED
        return WindowState.OPEN

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state(now) == WindowState.OPEN

    def question(self, key: str) -> dict | None:
        return next((q for q in self.questions if q["key"] == key), None)


class QuestionVersion(models.Model):
    """The wording of one of a call's questions as it stood from `created_at`.

    The call's `questions` hold the current wording; once a question has answers, changing it
    adds a version here instead of editing in place, and each answer records the version it was
    given to (`Submission.answer_versions`), so its words are never shown against another text.
    """

    call = models.ForeignKey(
        CallForEvidence, on_delete=models.CASCADE, related_name="question_versions"
    )
    key = models.SlugField(max_length=40)
    version = models.PositiveIntegerField()
    label = models.CharField(max_length=300)
    hint = models.TextField(max_length=1000, blank=True)
    max_length = models.PositiveIntegerField()
    required = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["call", "key", "version"], name="question_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Submission(models.Model):
    """One response to a call: a draft until submitted, then read-only for the respondent."""

    call = models.ForeignKey(CallForEvidence, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    reference = models.CharField(max_length=12, unique=True, null=True, blank=True)
    # Only a hash of the resume link's token is stored, so a database leak cannot open drafts.
    resume_token_hash = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=10, default="web")  # web, import, demo
    external_id = models.CharField(max_length=100, blank=True)

    # About you
    respondent_name = models.CharField(max_length=120, blank=True)
    respondent_email = models.EmailField(max_length=254, blank=True)
    respondent_role = models.CharField(max_length=120, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    organisation_type = models.CharField(
        max_length=20, choices=OrganisationType.choices, blank=True
    )
    organisation_type_other = models.CharField(max_length=120, blank=True)

    # Schools the example covers
    coverage = models.CharField(max_length=20, choices=Coverage.choices, blank=True)
    coverage_trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    coverage_local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The practice
    title = models.CharField(max_length=150, blank=True)
    need_codes = models.JSONField(default=list, blank=True)
    need_description = models.TextField(max_length=2000, blank=True)
    practice_types = models.JSONField(default=list, blank=True)
    practice_type_other = models.CharField(max_length=200, blank=True)
    phases = models.JSONField(default=list, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # The version of each question an answer was given to (key -> number); absent means 1.
    answer_versions = models.JSONField(default=dict, blank=True)

    # Consent
    consent_publication = models.CharField(
        max_length=12, choices=PublicationConsent.choices, blank=True
    )
    consent_contact = models.BooleanField(null=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every save of a draft so two tabs cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["call", "status"]),
            # The staff list's orders (staff/listing.py): newest first and by organisation.
            models.Index(
                fields=["call", "status", "submitted_at", "id"], name="submission_list_by_time"
            ),
            models.Index(
                fields=["call", "status", "organisation_name", "id"],
                name="submission_list_by_org",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_submission_per_imported_row",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(reference__isnull=False),
                name="submitted_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"draft {self.pk}"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    @property
    def is_submitted(self) -> bool:
        return self.status == SubmissionStatus.SUBMITTED

    def answer(self, key: str) -> str:
        return (self.answers or {}).get(key, "")


# Crockford-style alphabet without look-alikes (no I, L, O, U, 0, 1) for references read aloud.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"IP-{body[:4]}-{body[4:]}"


class CoveredSchool(models.Model):
    """A school a submission speaks for. URNs not in the register are kept and flagged."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="covered_schools"
    )
    urn = models.PositiveIntegerField("URN", db_index=True)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL)
    in_register = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "urn"], name="school_once_per_submission")
        ]

    def __str__(self) -> str:
        return f"URN {self.urn}"


class Nomination(models.Model):
    call = models.ForeignKey(CallForEvidence, on_delete=models.PROTECT, related_name="nominations")
    # None only for a school the nominator described as not in the register (UnlistedSchool).
    urn = models.PositiveIntegerField("URN", null=True, blank=True)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL)
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField(max_length=254)
    reason = models.TextField(max_length=2000)
    nominator_name = models.CharField(max_length=120, blank=True)
    nominator_email = models.EmailField(max_length=254, blank=True)
    # The nominator's answer to "May we share why you nominated the school with them?": the
    # reason goes into the invitation only when this is True (never for older nominations).
    share_reason = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Nomination of {self.school_label}"

    @property
    def school_label(self) -> str:
        """The school as staff and emails name it: the register's name, else what is known."""
        if self.school is not None:
            return self.school.name
        if self.urn is not None:
            return f"URN {self.urn}"
        described = self.unlisted_schools.first()
        return f"{described.name}, {described.town}" if described else "A school"


class Invitation(models.Model):
    """A nominated school invited by email to submit, and how far the invitation has gone.

    The emailed link is signed (intake/invitations.py) and names this row and its `nonce`, so a
    withdrawn invitation's link stops working. Sent, opened and started are recorded here;
    submitted is read from the draft the link started (or any submission sent from the
    contact's address), so it cannot fall out of step with the submission itself.
    """

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="invitations")
    nonce = models.CharField(max_length=32, unique=True)
    # Whether the reason went into the email: the nominator's consent as it stood when sent.
    shared_reason = models.BooleanField(default=False)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_invitation_per_nomination",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.nomination})"

    @classmethod
    def new_nonce(cls) -> str:
        return secrets.token_hex(16)


class Contributor(models.Model):
    """A colleague the author of a trust's or local authority's draft asked to help answer it.

    Each has their own emailed link (intake/sharing.py): signed, expiring, naming this row; only
    a hash of its secret is stored, so the database never holds a usable link. A contributor may
    answer the call's questions and nothing else. `number` is how everyone but the author and the
    programme admins know them ("Contributor 2"); the address is contact details, listed in
    privacy/erasure.py's CONTACT_FIELDS, so erasure and retention blank it, and a blank address
    ends the link.
    """

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="contributors"
    )
    number = models.PositiveSmallIntegerField()
    email = models.EmailField(max_length=254, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="contributor_number_once_per_submission"
            ),
            models.UniqueConstraint(
                fields=["submission", "email"],
                condition=models.Q(revoked_at__isnull=True) & ~models.Q(email=""),
                name="one_live_contributor_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"Contributor {self.number} to {self.submission}"

    @property
    def label(self) -> str:
        return f"Contributor {self.number}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and bool(self.email)


class AnswerVersion(models.Model):
    """One saved answer to one of a call's questions in one response: who, when, what.

    Numbered per (submission, question key) from 1. A question page carries the number it was
    drawn from, and a save from an older number is refused (optimistic concurrency), so two
    people answering the same question cannot overwrite each other. The current answer stays in
    `Submission.answers`, which every reader uses; this is the history.
    """

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="answer_history"
    )
    key = models.SlugField(max_length=40)
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    # 0: the author (the person whose draft it is); otherwise Contributor.number. A number, not
    # a foreign key, so the history reads the same after a contributor's address is erased.
    contributor_number = models.PositiveSmallIntegerField(default=0)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "key", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "key", "number"], name="answer_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.number} of {self.submission}"


class UnlistedSchool(models.Model):
    """A school a submitter described because it is not in the register (issue 15, part 4).

    Kept apart from CoveredSchool so the register-based figures (coverage.snapshot) never count
    it as a register school: it is counted on its own, as "described, not in the register",
    until a programme admin matches it to a register URN (`matched_urn`, which then counts with
    the register schools) or confirms it as unlisted. Both decisions record who and when.
    """

    # One or the other: the draft/submission that covers it, or the nomination that names it.
    submission = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="unlisted_schools",
    )
    nomination = models.ForeignKey(
        "Nomination",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="unlisted_schools",
    )
    name = models.CharField(max_length=200)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    # What the submitter typed, if anything: checked not to be a register URN when given.
    urn = models.PositiveIntegerField("URN", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when staff match it to a register school; reviewed with no match = confirmed unlisted.
    matched_urn = models.PositiveIntegerField("matched URN", null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(submission__isnull=False, nomination__isnull=True)
                    | models.Q(submission__isnull=True, nomination__isnull=False)
                ),
                name="unlisted_school_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.town} (not in the register)"

    @property
    def label(self) -> str:
        return f"{self.name}, {self.town}, {self.postcode}"

    @property
    def confirmed_unlisted(self) -> bool:
        return self.reviewed_at is not None and self.matched_urn is None
