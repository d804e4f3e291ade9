"""Blind double coding: drawing a sample, a coder finishing it, and recording the agreed code.

Each is one transaction with an event. Who may do it is checked by the pages, not here.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from inpractice.coding.models import Passage

from . import actions
from .events import record
from .models import Coding, DoubleCodingSample
from .queue import submitted


def draw_sample(
    call, actor, *, name: str, coder_a, coder_b, size: int, seed: int
) -> tuple[DoubleCodingSample, list[int]]:
    """Draw `size` submitted submissions at random (the same seed draws the same ones)."""
    pool = list(submitted(call).order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(seed).sample(pool, min(size, len(pool)))
    with transaction.atomic():
        sample = DoubleCodingSample.objects.create(
            call=call, name=name, created_by=actor, coder_a=coder_a, coder_b=coder_b
        )
        sample.submissions.set(chosen)
        record(
            call,
            actor,
            "sample.created",
            f"sample:{sample.pk}",
            None,
            {
                "name": sample.name,
                "coders": [coder_a.pk, coder_b.pk],
                "submissions": sorted(chosen),
                "seed": seed,
            },
        )
    return sample, chosen


def finish_sample(sample: DoubleCodingSample, coder) -> None:
    """Lock one coder's codes in the sample (once; finishing again changes nothing)."""
    with transaction.atomic():
        sample = DoubleCodingSample.objects.select_for_update().get(pk=sample.pk)
        field = "finished_a_at" if coder.pk == sample.coder_a_id else "finished_b_at"
        if getattr(sample, field) is None:
            setattr(sample, field, timezone.now())
            sample.save(update_fields=[field])
            record(sample.call, coder, "sample.finished", f"sample:{sample.pk}", None, {})


def resolve(sample: DoubleCodingSample, actor, passage: Passage, code_id: str, present: bool):
    """Record the agreed (consensus) code on a passage, replacing an earlier agreed one."""
    with transaction.atomic():
        for old in Coding.objects.filter(
            sample=sample,
            passage=passage,
            code_id=code_id,
            origin=Coding.Origin.CONSENSUS,
            active=True,
        ):
            actions.remove_coding(old, actor, None)
        actions.apply_code(
            passage.submission,
            actor,
            None,
            field=passage.field,
            start=passage.start,
            end=passage.end,
            code_id=code_id,
            passage=passage,
            origin=Coding.Origin.CONSENSUS,
            decision="applied" if present else "rejected",
            sample=sample,
        )
