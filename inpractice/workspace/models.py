"""The analyst workspace's own records: assignments, human codings, memos, reviews, events.

Review reads analysis results (`inpractice.coding`) and writes only here, so a re-run of the
coder never overwrites what a person decided. Every change an analyst makes goes through
`inpractice.workspace.actions`, which stores it as an `Event` (who, when, what, before/after):
that log is the audit trail, the undo, and the source of every agreement figure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from inpractice.coding.models import Mention, Passage, Quote, Theme, mention_key
from inpractice.intake.models import CallForEvidence, Submission

User = settings.AUTH_USER_MODEL


class CallAssignment(models.Model):
    """An analyst may work on a call's submissions only when assigned to it."""

    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="call_assignments")
    assigned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="one_assignment_per_call_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.call.slug}"


class SubmissionReview(models.Model):
    """Review state of one submission, and the version that detects simultaneous edits.

    Every change to the submission's codings or memos bumps ``version`` under a row lock; a form
    carries the version it was drawn from, so a stale form is refused as a conflict instead of
    silently overwriting another analyst's work.
    """

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="review")
    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    assigned_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["call", "reviewed"]),
            models.Index(fields=["call", "assigned_to"]),
        ]

    def __str__(self) -> str:
        return f"review of submission {self.submission_id} (v{self.version})"


class DoubleCodingSample(models.Model):
    """A sample of submissions coded blind by two analysts, then compared and resolved by a lead."""

    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    coder_a = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    coder_b = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submissions = models.ManyToManyField(Submission, related_name="+")
    finished_a_at = models.DateTimeField(null=True, blank=True)
    finished_b_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def coders(self) -> tuple:
        return (self.coder_a, self.coder_b)

    def is_coder(self, user) -> bool:
        return user.pk in (self.coder_a_id, self.coder_b_id)

    def finished_by(self, user) -> bool:
        if user.pk == self.coder_a_id:
            return self.finished_a_at is not None
        if user.pk == self.coder_b_id:
            return self.finished_b_at is not None
        return False

    @property
    def complete(self) -> bool:
        return self.finished_a_at is not None and self.finished_b_at is not None


class Coding(models.Model):
    """A person's code on exact words of one answer, or their rejection of a model proposal.

    Rows are never deleted: removing a coding (or undoing it) sets ``active`` false, so the
    history stays whole. Codings made inside a blind sample carry it and are shown only to
    their coder until the lead resolves them; the lead's resolution is a ``consensus`` coding.
    """

    class Decision(models.TextChoices):
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected"

    class Origin(models.TextChoices):
        PROPOSAL = "proposal", "Accepted or changed from the model's proposal"
        MANUAL = "manual", "Applied by hand"
        CONSENSUS = "consensus", "Agreed after double coding"

    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    code_id = models.CharField(max_length=64)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.APPLIED)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    coder = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    passage = models.ForeignKey(
        Passage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sample = models.ForeignKey(
        DoubleCodingSample,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="codings",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission_id", "field", "start", "code_id"]
        indexes = [
            models.Index(fields=["call", "code_id", "active"]),
            models.Index(fields=["submission", "active"]),
        ]

    def __str__(self) -> str:
        return f"{self.code_id} on {self.field}[{self.start}:{self.end}] by {self.coder_id}"


class Memo(models.Model):
    """An analyst's note on a passage, a code or a submission."""

    class Target(models.TextChoices):
        SUBMISSION = "submission", "Submission"
        PASSAGE = "passage", "Passage"
        CODE = "code", "Code"

    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=10, choices=Target.choices)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    passage = models.ForeignKey(
        Passage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code_id = models.CharField(max_length=64, blank=True)
    text = models.TextField(max_length=5000)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"memo on {self.target} by {self.author_id}"


class CodebookVersion(models.Model):
    """One saved state of a call's working codebook; the newest is current, all are kept."""

    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    codebook = models.JSONField()
    note = models.CharField(max_length=300)
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="one_codebook_version_number")
        ]

    def __str__(self) -> str:
        return f"codebook v{self.number} of {self.call_id}"


class ThemeReview(models.Model):
    """A person's sign-off of an emergent theme found by the model.

    A theme belongs to one run, so its review does too; when a lead promotes a new run, each
    review is carried forward to the new run's matching theme (`carry.carry_theme_reviews`, by
    the overlap of their passages) as a new row that says where it came from, how well the
    themes matched, and whether the theme changed since it was signed off.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Signed off"
        DISCARDED = "discarded", "Discarded"
        MERGED = "merged", "Merged into another theme"
        PROMOTED = "promoted", "Promoted to a code"

    theme = models.OneToOneField(Theme, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(max_length=10, choices=Status.choices)
    label = models.CharField(max_length=300)
    merged_into = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    promoted_code_id = models.CharField(max_length=64, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    match = models.FloatField(
        null=True, blank=True, help_text="Jaccard overlap of passages with the theme carried from."
    )
    changed = models.BooleanField(
        default=False, help_text="The theme's passages changed since a person decided on it."
    )

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"


class MentionReview(models.Model):
    """A correction of framework/tool mentions: confirmed (perhaps renamed) or rejected.

    Keyed by what stays the same from run to run: the call and the mention's normalised name
    (`coding.models.mention_key`), and, for a decision on one mention, where its words are
    (submission, field, start, end). A decision without a place (`submission` empty) is about
    every mention of that name, in every run; one with a place overrides it for those words.
    `mention` is the mention it was last made on, kept for the record only.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Not a mention"

    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    field = models.CharField(max_length=40, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    mention = models.ForeignKey(
        Mention, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    name = models.CharField(max_length=200)
    reviewed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "key"],
                condition=models.Q(submission__isnull=True),
                name="one_mention_decision_per_name",
            ),
            models.UniqueConstraint(
                fields=["call", "key", "submission", "field", "start", "end"],
                condition=models.Q(submission__isnull=False),
                name="one_mention_decision_per_place",
            ),
        ]
        indexes = [models.Index(fields=["call", "key"], name="workspace_mention_decision_key")]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    def save(self, *args, **kwargs):
        # Made from a mention (the pages, fixtures): a decision on those words.
        if self.mention_id is not None and not self.key:
            m = self.mention
            self.call_id = self.call_id or m.run.call_id
            self.key = m.name_key or mention_key(m.name)
            self.submission_id, self.field, self.start, self.end = (
                m.submission_id,
                m.field,
                m.start,
                m.end,
            )
        super().save(*args, **kwargs)


class QuoteReview(models.Model):
    """Whether a quote's words are approved for the report (approved quotes only are used).

    Keyed by the words' source span (call, submission, field, start, end), not by one run's quote
    row, so a later run's quote of the same words shows the same decision. `quote` is the quote
    it was last made on and `text` its words, kept for the record.
    """

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved for the report"
        REJECTED = "rejected", "Not for the report"

    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    quote = models.ForeignKey(
        Quote, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    reviewed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now=True)
    # The privacy check (`workspace.quote_privacy`, ADR 23). The words the report publishes are
    # `redacted_text` when a lead redacted the quote, else `text`; the submission is never
    # changed. `safe_findings` are findings a second person confirmed safe: one
    # {"entity_type", "text", "reason", "by" (a user id), "at"} each.
    redacted_text = models.TextField(blank=True)
    redacted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    redacted_at = models.DateTimeField(null=True, blank=True)
    safe_findings = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "submission", "field", "start", "end"],
                name="one_quote_decision_per_span",
            )
        ]

    def __str__(self) -> str:
        return f"quote {self.submission_id}:{self.field}[{self.start}:{self.end}] {self.status}"

    def save(self, *args, **kwargs):
        # Made from a quote (the pages, fixtures): keyed by the quote's span.
        if self.quote_id is not None and not self.submission_id:
            q = self.quote
            self.call_id = self.call_id or q.run.call_id
            self.submission_id, self.field, self.start, self.end = (
                q.submission_id,
                q.field,
                q.start,
                q.end,
            )
            self.text = self.text or q.text
        super().save(*args, **kwargs)

    @property
    def span(self) -> tuple[int, str, int, int]:
        return (self.submission_id, self.field, self.start, self.end)

    @property
    def published_words(self) -> str:
        """The words the report would publish: the redacted version when there is one."""
        return self.redacted_text or self.text


class Event(models.Model):
    """One analyst action: who, when, what, and the state before and after (JSON)."""

    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=40)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target = models.CharField(max_length=80, help_text='What changed, e.g. "coding:42".')
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undone_by"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["call", "actor", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"
