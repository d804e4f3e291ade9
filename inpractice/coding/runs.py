"""Which analysis run is a call's current one: the one definition every stage reads.

Review (the workspace's queue, agreement figures and retraining), publication (the report's
figures, the library's suggested principles) and the exports all show the results of one run of
a call, and must agree on which. The current run is chosen, not assumed:

- once a lead analyst has **promoted** a run (`promote`, a `RunPromotion` row), the run of the
  newest promotion is current, until another is promoted;
- until anyone has promoted one, the **first** succeeded run (the first to finish) is current, so
  a new call, or the demo, works from its first analysis without anyone promoting it.

A later run (running the analysis again, retraining) never becomes current by itself: a lead sees
what changed against the current run and promotes it (`/staff/workspace/<call>/runs/`). A run that
failed, or is still running, is never current. Finishing, not starting, decides which run came
first: ties (the same finishing time) go to the earlier run by id.

Promoting sends `run_promoted` inside the promotion's transaction; the workspace (a layer above,
which this module may not import) listens to it to record an event and to carry people's theme
sign-offs onto the new run's themes.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.dispatch import Signal

from inpractice.intake.models import CallForEvidence

from .models import AnalysisRun, RunPromotion

# Sent with `promotion` (the new RunPromotion) and `previous` (the run current before, or None),
# inside the transaction that stores the promotion: a receiver that fails undoes the promotion.
run_promoted = Signal()


class PromotionError(ValueError):
    """A run that cannot be made current (it did not succeed, or is current already)."""


def current_run(call) -> AnalysisRun | None:
    """The call's current analysis run: the run a lead promoted last, or, until anyone has, the
    first succeeded run; None when the call has no succeeded run yet. One query."""
    return (
        AnalysisRun.objects.filter(call=call, status=AnalysisRun.Status.SUCCEEDED)
        # Promotions only ever add rows, so the highest id is the newest promotion.
        .annotate(
            last_promotion=Max("promotions__pk"),
            # A succeeded run always records when it finished (runner.py); one stored without it
            # counts as finished when it started, rather than sorting differently by database.
            finished=Coalesce("finished_at", "started_at"),
        )
        .order_by(F("last_promotion").desc(nulls_last=True), F("finished").asc(), "pk")
        .first()
    )


def is_current(run: AnalysisRun) -> bool:
    current = current_run(run.call)
    return current is not None and current.pk == run.pk


def promote(run: AnalysisRun, user=None, note: str = "") -> RunPromotion:
    """Make `run` its call's current run, recording who did it and when.

    Raises `PromotionError` when the run has not succeeded or is current already.
    """
    if run.status != AnalysisRun.Status.SUCCEEDED:
        raise PromotionError(f"Run {run.pk} has not succeeded, so it cannot be the current run.")
    with transaction.atomic():
        # One promotion of a call at a time: the call row is the lock.
        CallForEvidence.objects.select_for_update().filter(pk=run.call_id).first()
        previous = current_run(run.call)
        if previous is not None and previous.pk == run.pk:
            raise PromotionError(f"Run {run.pk} is already the current run.")
        promotion = RunPromotion.objects.create(
            call=run.call, run=run, previous=previous, promoted_by=user, note=note[:300]
        )
        run_promoted.send(sender=RunPromotion, promotion=promotion, previous=previous)
    return promotion


def current_note(run: AnalysisRun) -> str:
    """One line for whoever made `run` (the commands print it): is it the current run?"""
    current = current_run(run.call)
    slug = run.call.slug
    if current is not None and current.pk == run.pk:
        return f"Run {run.pk} is the current run of {slug}: the workspace and the report show it."
    return (
        f"Run {run.pk} is not the current run: the workspace and the report still show run "
        f"{current.pk if current else '-'} until a lead analyst promotes run {run.pk} at "
        f"/staff/workspace/{slug}/runs/{run.pk}/ (with --promote, a new run is made current at "
        "once)."
    )
