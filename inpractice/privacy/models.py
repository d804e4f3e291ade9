"""Retention settings per call and the audit log of who saw, exported or erased personal data.

The audit log never stores the email address it was asked about: erasing someone and keeping
their address in the log would undo the erasure. It keeps a keyed hash instead (see
`subject_hash`), so a later request about the same address can be matched to the log.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models

from inpractice.intake.models import CallForEvidence


def subject_hash(email: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


class RetentionPolicy(models.Model):
    """How long after a call closes its contact details are kept before they are erased."""

    call = models.OneToOneField(
        CallForEvidence, on_delete=models.CASCADE, related_name="retention_policy"
    )
    keep_contact_days = models.PositiveIntegerField(
        help_text="Days after the call closes to keep names, email addresses and roles."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When contact details were last erased under this policy (None: not yet).
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"{self.call.slug}: {self.keep_contact_days} days after the close"

    @property
    def erase_after(self) -> datetime:
        return self.call.closes_at + timedelta(days=self.keep_contact_days)

    def is_due(self, now: datetime) -> bool:
        # Due from the erase-after instant itself: a policy of 0 days erases at the close.
        return now >= self.erase_after


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed contact details"
    EXPORT = "export", "Exported personal data"
    SUBJECT_ACCESS = "subject-access", "Subject access export"
    ERASE = "erase", "Erased a person's data"
    RETENTION = "retention", "Erased contact details at the end of retention"
    RETENTION_SET = "retention-set", "Changed a retention setting"


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Kept as text too, so the record survives the staff account being deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=254)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    what = models.CharField(max_length=300, help_text="The page, file or command.")
    call = models.ForeignKey(
        CallForEvidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    records = models.PositiveIntegerField(default=0)
    subject_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.what}"
