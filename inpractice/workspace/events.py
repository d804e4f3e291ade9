"""The event log: every analyst action is written here with its state before and after."""

from __future__ import annotations

from typing import Any

from .models import Event


def record(
    call,
    actor,
    kind: str,
    target: str,
    before: Any = None,
    after: Any = None,
    submission=None,
) -> Event:
    """Store one action; call inside the same transaction as the change it describes."""
    return Event.objects.create(
        call=call,
        actor=actor,
        kind=kind,
        target=target[:80],
        before=before,
        after=after,
        submission=submission,
    )
