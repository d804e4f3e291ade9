"""The record of every change the programme team makes to a call, from the browser or the CLI."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from inpractice.intake.models import CallForEvidence


class CallChange(models.Model):
    """One change to a call: who (kept as text too, so it outlives the account), what, when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    call = models.ForeignKey(CallForEvidence, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=254)
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=500)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.call.slug}"
