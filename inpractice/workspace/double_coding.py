"""Blind double coding: drawing a sample, a coder finishing it, and recording the agreed code.

Each is one transaction with an event. Who may do it is checked by the pages, not here.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from inpractice.coding.models import Passage

from . import actions
from .blind import open_samples
from .events import record
from .models import Coding, DoubleCodingSample
from .queue import submitted


def already_seen(call, coders) -> QuerySet:
    """Ids of submissions one of `coders` has already coded (any coding row, open or in a
    sample, removed or not) or is coding blind in another open sample: drawing them would
    let that coder's earlier look at the proposals or codes into the agreement figures."""
    coded = Coding.objects.filter(call=call, coder__in=coders).values("submission_id")
    through = DoubleCodingSample.submissions.through
    other_samples = open_samples(call).filter(Q(coder_a__in=coders) | Q(coder_b__in=coders))
    in_samples = through.objects.filter(doublecodingsample__in=other_samples).values(
        "submission_id"
    )
    return submitted(call).filter(Q(pk__in=coded) | Q(pk__in=in_samples)).values("pk")


def draw_sample(
    call, actor, *, name: str, coder_a, coder_b, size: int, seed: int
) -> tuple[DoubleCodingSample, list[int], int]:
    """Draw `size` submitted submissions at random (the same seed, on the same call in the
    same state, draws the same ones), leaving out those either coder has already seen
    (`already_seen`). Returns the sample, the ids drawn and how many were left out."""
    with transaction.atomic():
        seen = set(already_seen(call, [coder_a, coder_b]).values_list("pk", flat=True))
        everyone = list(submitted(call).order_by("pk").values_list("pk", flat=True))
        pool = [pk for pk in everyone if pk not in seen]
        chosen = random.Random(seed).sample(pool, min(size, len(pool)))
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
                "excluded": len(seen),
            },
        )
    return sample, chosen, len(seen)


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
