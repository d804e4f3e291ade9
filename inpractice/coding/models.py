"""Stored results of analysing a call: the run record, passages, codes, themes, mentions, quotes.

Analysis reads intake's submissions and writes only here; review and publication read these rows.
Model-made rows carry the run that made them, so every figure can be traced to the model,
parameters and code version that produced it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from inpractice.intake.models import CallForEvidence, Submission


def mention_key(name: str) -> str:
    """A mention's name as decisions about it are keyed: case-folded, spaces collapsed, so
    "Zones of  Regulation" and "zones of regulation" are one name in every run."""
    return " ".join((name or "").casefold().split())[:200]


class AnalysisRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    call = models.ForeignKey(
        CallForEvidence, on_delete=models.CASCADE, related_name="analysis_runs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    embedder = models.CharField(max_length=200)
    code_version = models.CharField(max_length=100)
    parameters = models.JSONField(default=dict)
    codebook = models.JSONField(default=dict)
    code_ids = models.JSONField(default=list)
    thresholds = models.JSONField(default=list)
    timings = models.JSONField(default=dict)
    counts = models.JSONField(default=dict)
    mention_summary = models.JSONField(default=dict)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"Analysis {self.pk} of {self.call.slug} ({self.status})"


class Passage(models.Model):
    """Words of one answer field of a submission, by code-point offsets into its canonical text."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="passages")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=40)
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    theme = models.ForeignKey(
        "Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="passages"
    )
    # What the passage says about practice (analysis/stance.py), given only to a passage with at
    # least one applied code; blank for the others and for every passage of a run made before
    # stances were classified (the report says so rather than guessing).
    stance = models.CharField(
        max_length=10,
        blank=True,
        default="",
        choices=[
            ("practice", "Practice"),
            ("enabler", "Enabler"),
            ("barrier", "Barrier"),
            ("impact", "Impact"),
        ],
    )
    stance_probability = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["submission_id", "index"]
        indexes = [models.Index(fields=["run", "submission"])]

    def __str__(self) -> str:
        return f"passage {self.index} of submission {self.submission_id}"


class CodeApplication(models.Model):
    """A code on a passage with the model's calibrated probability (applied: above threshold)."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="code_applications")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="codes")
    code_id = models.CharField(max_length=64)
    probability = models.FloatField()
    applied = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["run", "code_id", "applied"])]
        constraints = [
            models.UniqueConstraint(
                fields=["passage", "code_id"], name="one_score_per_code_and_passage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code_id} ({self.probability:.2f})"


class SubmissionResult(models.Model):
    """Per-submission results of a run: codes, evidence-rich flag."""

    run = models.ForeignKey(
        AnalysisRun, on_delete=models.CASCADE, related_name="submission_results"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="analysis_results"
    )
    codes = models.JSONField(default=list)  # code ids applied to the submission
    probabilities = models.JSONField(default=dict)
    evidence_score = models.FloatField()
    evidence_rich = models.BooleanField()
    evidence_reasons = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "submission"], name="one_result_per_submission")
        ]

    def __str__(self) -> str:
        return f"result of submission {self.submission_id} in run {self.run_id}"


class Theme(models.Model):
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=300)
    key_phrases = models.JSONField(default=list)
    size = models.PositiveIntegerField()
    submissions = models.PositiveIntegerField()
    coherence = models.FloatField()
    coverage = models.FloatField(help_text="Share of the theme's passages that some code explains.")

    class Meta:
        ordering = ["run", "number"]

    def __str__(self) -> str:
        return self.label


class Mention(models.Model):
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="mentions")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    mention_id = models.CharField(max_length=120)
    name = models.CharField(max_length=200)
    # `mention_key(name)`: what people's decisions on the name are keyed by, across runs.
    name_key = models.CharField(max_length=200, default="")
    kind = models.CharField(max_length=30)
    known = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["run", "mention_id"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.name_key:
            self.name_key = mention_key(self.name)
        super().save(*args, **kwargs)


class Quote(models.Model):
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="quotes")
    code_id = models.CharField(max_length=64, blank=True)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="quotes"
    )
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    score = models.FloatField()
    rank = models.PositiveIntegerField()

    class Meta:
        ordering = ["run", "code_id", "rank"]

    def __str__(self) -> str:
        return self.text[:60]


class RunPromotion(models.Model):
    """A lead analyst made `run` the call's current run (see `runs.current_run`).

    Rows are only added: the newest promotion of a succeeded run decides, and the list is the
    history of which run was current when, and who said so.
    """

    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="promotions")
    previous = models.ForeignKey(
        AnalysisRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    promoted_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-promoted_at", "-pk"]
        indexes = [models.Index(fields=["call", "promoted_at"], name="coding_promotion_call_at")]

    def __str__(self) -> str:
        return f"run {self.run_id} current for {self.call_id} from {self.promoted_at:%Y-%m-%d}"
