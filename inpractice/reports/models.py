"""Models of the insights report app: editions of a call's report and their frozen snapshots.

A report is published as an **edition** (ADR 19): drafted from the call's current analysis run,
sent for review, approved by a person who is not its author, then published by a background job
that freezes a snapshot (the figures as open data, the page's HTML and the tagged PDF). The
public only ever see a published edition's snapshot. A later edition supersedes it with a dated
note of what changed; the superseded edition's snapshot is deleted, its record and note kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Edition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        PUBLISHING = "publishing", "Publishing"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    # Not yet published: a call has at most one of these at a time.
    UNFINISHED = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHING)

    call = models.ForeignKey(
        "intake.CallForEvidence", on_delete=models.CASCADE, related_name="editions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The analysis run the edition was drafted from; it must still be the call's current run
    # when the edition is approved and when it is built.
    run = models.ForeignKey(
        "coding.AnalysisRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What changed since the edition before (required from the second edition on).
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Shown in public instead of the person: staff appear by role, never by name or email.
    author_role = models.CharField(max_length=40, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approver_role = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The evidence the approver saw (editions.evidence_fingerprint): a build refuses to
    # publish anything else.
    fingerprint = models.CharField(max_length=64, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why the last build failed, shown on the staff page.
    error = models.TextField(blank=True)
    # The headline figures that changed since the edition it superseded, written by the build.
    changes = models.JSONField(default=list, blank=True)
    # The focus areas its recommendations are grouped by, frozen when it is sent for review
    # (empty while a draft: a draft follows the call's list, `FocusAreas`).
    focus_areas = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["call", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="reports_edition_number"),
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(status="published"),
                name="reports_one_published_edition_per_call",
            ),
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(status__in=["draft", "in_review", "approved", "publishing"]),
                name="reports_one_unfinished_edition_per_call",
            ),
            # Four eyes: nobody approves their own edition.
            models.CheckConstraint(
                condition=Q(author__isnull=True)
                | Q(approver__isnull=True)
                | ~Q(author=F("approver")),
                name="reports_edition_approver_is_not_author",
            ),
        ]

    def __str__(self) -> str:
        return f"Edition {self.number} of {self.call_id} ({self.status})"

    @property
    def unfinished(self) -> bool:
        return self.status in self.UNFINISHED


class EditionSnapshot(models.Model):
    """What the public are served for a published edition, frozen when it was built.

    Stored in the database, the one source of truth the web processes share (no files on one
    machine's disk), and deleted when the edition is superseded.
    """

    edition = models.OneToOneField(
        Edition, on_delete=models.CASCADE, primary_key=True, related_name="snapshot"
    )
    figures = models.JSONField()  # the open data (figures.open_data)
    figures_csv = models.TextField()
    html = models.TextField()  # the report's body, served inside the site's layout
    pdf = models.BinaryField()
    built_at = models.DateTimeField(auto_now_add=True)
    build_seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"Snapshot of edition {self.edition_id}"


# --------------------------------------------------------------------------- authored text (ADR 25)

# The focus areas recommendations are grouped by, unless a call's leads say otherwise.
DEFAULT_FOCUS_AREAS = [
    "Leadership and strategy",
    "Teaching and CPD",
    "Support structures",
    "Partnership working",
    "Policy support",
]


class FocusAreas(models.Model):
    """The focus areas a call's report groups its recommendations by (editable per call by
    lead analysts and programme admins; `authoring.focus_areas` gives the default five when a
    call has no row). A draft edition follows this list; sending it for review freezes the list
    into the edition (`Edition.focus_areas`), so what is approved is what is published."""

    call = models.OneToOneField(
        "intake.CallForEvidence",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="report_focus_areas",
    )
    areas = models.JSONField(default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Focus areas of {self.call_id}: {', '.join(self.areas)}"


class EditionText(models.Model):
    """One section of an edition's authored text: the executive summary, a principle's
    narrative (keyed by the codebook code id), the implications for the sector, or the
    recommendations of one focus area (keyed by the area's name).

    The text belongs to the edition: it can be edited only while the edition is a draft, and a
    new edition starts from a copy of the edition before it, so nothing a person wrote is lost.
    `body` is the analyst's own markup (docs/writing-the-report.md): a few Markdown forms and
    evidence markers such as ``[evidence: q12]``, rendered by `reports.text`.
    """

    class Kind(models.TextChoices):
        SUMMARY = "summary", "Executive summary"
        PRINCIPLE = "principle", "Principle narrative"
        IMPLICATIONS = "implications", "What this means for the sector"
        RECOMMENDATION = "recommendation", "Recommendations"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="texts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The principle's code id or the focus area's name; empty for the summary and implications.
    key = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Shown to staff beside the section; the public never see who wrote what.
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["edition", "kind", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "key"], name="reports_one_text_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} of edition {self.edition_id}".strip()


class EditionTextRevision(models.Model):
    """Every saved version of a section, oldest first: who wrote what, when (staff only)."""

    text = models.ForeignKey(EditionText, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)
    # Where this version came from: typed in, the suggested draft, or the edition before.
    source = models.CharField(max_length=20, default="edited")

    class Meta:
        ordering = ["text", "edited_at", "pk"]

    def __str__(self) -> str:
        return f"Revision of {self.text_id} at {self.edited_at:%Y-%m-%d %H:%M}"
