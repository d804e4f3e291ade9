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
        if now < self.opens_at:
            return WindowState.NOT_OPEN
        if now >= self.closes_at:
            return WindowState.CLOSED
        return WindowState.OPEN

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state(now) == WindowState.OPEN

    def question(self, key: str) -> dict | None:
        return next((q for q in self.questions if q["key"] == key), None)


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
    urn = models.PositiveIntegerField("URN")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL)
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField(max_length=254)
    reason = models.TextField(max_length=2000)
    nominator_name = models.CharField(max_length=120, blank=True)
    nominator_email = models.EmailField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Nomination of URN {self.urn}"
