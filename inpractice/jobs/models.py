"""A background job as people see it: what it is, for which call, who started it, how far it got.

The queue itself is django-tasks' database backend (ADR 16): its `DBTaskResult` rows say which
worker claimed what. A `Job` is our record around it: progress (stage, done of total), a
heartbeat its worker writes while it runs, cancel and retry, and the result (e.g. the analysis
run it made). A worker that dies leaves its job "running" with a heartbeat that stops; such a job
is marked failed (`inpractice.jobs.service.reap_stale`) and can be retried.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# Kinds that write a new analysis run of a call: one at a time per call.
ANALYSIS_KINDS = ("analyse", "retrain")


class Job(models.Model):
    class Kind(models.TextChoices):
        ANALYSE = "analyse", "Analyse the call"
        RETRAIN = "retrain", "Retrain the coder"
        ANALYSE_NEW = "analyse_new", "Analyse new submissions"
        BUILD_EDITION = "build_edition", "Publish a report edition"
        NOOP = "noop", "Test job"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(max_length=30, choices=Kind.choices)
    call = models.ForeignKey(
        "intake.CallForEvidence",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Keyword arguments the work is done with (JSON), kept so a retry does the same work.
    arguments = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=60, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    cancel_requested = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    # What the work made, e.g. {"run": 12} for an analysis.
    result = models.JSONField(default=dict, blank=True)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    # The django-tasks result id of the queued task.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(status__in=["queued", "running"], kind__in=list(ANALYSIS_KINDS)),
                name="jobs_one_active_analysis_per_call",
            )
        ]
        indexes = [models.Index(fields=["call", "-created_at"], name="jobs_call_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (job {self.pk}, {self.status})"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def can_retry(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.CANCELLED)

    def as_json(self) -> dict:
        return {
            "id": self.pk,
            "kind": self.kind,
            "kind_display": self.get_kind_display(),
            "status": self.status,
            "status_display": self.get_status_display(),
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "cancel_requested": self.cancel_requested,
            "error": self.error,
            "result": self.result,
        }
