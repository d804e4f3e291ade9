"""Case studies of practice: the moderated, published form of a submission, and its history.

A case study is drafted by a moderator from one submitted `Submission` whose publication consent
allows it. It moves draft → in review → approved → published, and can be unpublished (by a
moderator) or withdrawn (the submitter withdrew consent; final). Every saved change is kept as a
`CaseStudyVersion` with who, when and a full snapshot. `PersonalDataDecision` records what a
moderator decided about each finding of the personal data check (redacted or confirmed safe).
`SubmitterReview` is one emailed request to the submitter to approve the words to be published,
and their answer.

Search runs over published rows only: the full-text index (SQLite FTS5 table or PostgreSQL
tsvector column, created by this app's migration per database vendor) is fed from `search_text`
and `tag_terms`, and `embedding` holds the float32 sentence vector used for semantic ranking.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from inpractice.intake.choices import PublicationConsent
from inpractice.intake.models import CallForEvidence, Submission


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Attribution(models.TextChoices):
    """How much of who wrote it may be shown, fixed by the submitter's consent."""

    NAMED = PublicationConsent.NAMED.value, "Named (organisation shown)"
    ANONYMISED = PublicationConsent.ANONYMISED.value, "Anonymised (no organisation or school names)"


# The text sections of a case study, in reading order, with their public headings.
SECTIONS: list[tuple[str, str]] = [
    ("setting", "The setting"),
    ("need", "The need and the barrier"),
    ("practice", "What they do"),
    ("enablers", "What made it possible"),
    ("impact", "The impact and how they know"),
    ("advice", "Advice to others"),
]
SECTION_KEYS = [key for key, _ in SECTIONS]


class CaseStudy(models.Model):
    # The permanent public address: made from the checked title when first published, and never
    # changed after, so links keep working (staff pages use the id until then).
    slug = models.SlugField(max_length=90, unique=True, null=True, blank=True)
    call = models.ForeignKey(CallForEvidence, on_delete=models.PROTECT, related_name="+")
    submission = models.OneToOneField(
        Submission, on_delete=models.PROTECT, related_name="case_study"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    attribution = models.CharField(max_length=12, choices=Attribution.choices)
    # Shown only when attribution is "named"; the publish check refuses it otherwise.
    organisation_display = models.CharField(max_length=200, blank=True)

    title = models.CharField(max_length=150)
    summary = models.TextField(max_length=600)
    setting = models.TextField(max_length=2000, blank=True)
    need = models.TextField(max_length=6000)
    practice = models.TextField(max_length=10000)
    enablers = models.TextField(max_length=6000, blank=True)
    impact = models.TextField(max_length=6000, blank=True)
    advice = models.TextField(max_length=6000, blank=True)

    # Tags (filters of the public library).
    principles = models.JSONField(default=list, blank=True)  # codebook code ids
    practice_types = models.JSONField(default=list, blank=True)
    need_areas = models.JSONField(default=list, blank=True)  # Code of Practice area keys
    need_codes = models.JSONField(default=list, blank=True)  # DfE need codes
    organisation_type = models.CharField(max_length=20, blank=True)
    phases = models.JSONField(default=list, blank=True)
    region = models.CharField(max_length=9, blank=True)
    quotes = models.JSONField(default=list, blank=True)  # approved quotes chosen: [{"text": ...}]

    # Search: maintained by `search.prepare_for_index` on every save.
    search_text = models.TextField(blank=True, editable=False)
    tag_terms = models.TextField(blank=True, editable=False)
    embedding = models.BinaryField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every save so two moderators cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_at", "-updated_at"]
        verbose_name_plural = "case studies"
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["status", "title"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(attribution="named") | models.Q(organisation_display=""),
                name="anonymised_shows_no_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def section_texts(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in SECTION_KEYS}

    def public_texts(self) -> dict[str, str]:
        """Every field that a public page, the API or a download shows, by name."""
        return {
            "title": self.title,
            "summary": self.summary,
            "organisation_display": self.organisation_display,
            **self.section_texts(),
            **{f"quote_{i}": q.get("text", "") for i, q in enumerate(self.quotes or [])},
        }


class CaseStudyVersion(models.Model):
    """One saved state of a case study: every save, status change and redaction adds one."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=Status.choices)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_by_label = models.CharField(max_length=254, blank=True)
    saved_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["case_study", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case_study", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"version {self.number} of {self.case_study_id}"


class PersonalDataDecision(models.Model):
    """A moderator's decision that one finding is not personal data (safe to publish).

    Redactions need no row: they change the text, so the finding is gone from the next check.
    A decision is tied to the exact text found in the exact field, so editing it re-opens it.
    """

    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="personal_data_decisions"
    )
    field = models.CharField(max_length=40)
    entity_type = models.CharField(max_length=40)
    text = models.CharField(max_length=500)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "field", "entity_type", "text"], name="one_decision_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_type} {self.text!r} in {self.field}: safe"


class SubmitterReview(models.Model):
    """One request to the submitter to check the draft: what they were sent, and their answer.

    The words sent are kept (`snapshot`, and `content_hash` over them), so an approval counts
    only for those words: edit them afterwards and the case study must be sent again.
    """

    class Answer(models.TextChoices):
        WAITING = "waiting", "Waiting for an answer"
        APPROVED = "approved", "Approved"
        CHANGES = "changes", "Asked for changes"
        NOT_SENT = "not_sent", "Email could not be sent"

    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="submitter_reviews"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_by_label = models.CharField(max_length=254, blank=True)
    asked_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    snapshot = models.JSONField()
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.WAITING)
    answered_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(max_length=2000, blank=True)
    first_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_study", "-asked_at", "-pk"]
        indexes = [models.Index(fields=["case_study", "asked_at"])]

    def __str__(self) -> str:
        return f"submitter review {self.pk} of {self.case_study_id}: {self.answer}"


class LibraryGeneration(models.Model):
    """One row whose value changes (to a new random number) whenever the set of published case
    studies changes, so each web process knows when to reload its in-memory semantic index."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"library generation {self.number}"
