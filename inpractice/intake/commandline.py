"""Finding a call by the slug given on the command line, with an error a person can act on."""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import CallForEvidence


def call_or_error(slug: str) -> CallForEvidence:
    try:
        return CallForEvidence.objects.get(slug=slug)
    except CallForEvidence.DoesNotExist:
        known = ", ".join(CallForEvidence.objects.values_list("slug", flat=True)) or "none"
        raise CommandError(
            f"there is no call with the slug {slug!r} (calls: {known}). Run `inpractice demo` "
            "to load the demo call."
        ) from None
