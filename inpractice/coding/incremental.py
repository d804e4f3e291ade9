"""Analyse submissions that arrive after a call's current run, into that run (issue 13, part 3).

While a call is open, each new submission is segmented, coded, scanned for mentions and assessed
for evidence soon after it is sent, and its passages, codes and results are added to the call's
current run, so the workspace, live coverage and principle counts include it without a full
re-analysis. It joins no theme and offers no quote until the next full run re-clusters the call
(the workspace says so).

Only a run whose codes can be reproduced one submission at a time is extended: one coded by the
model shipped with its codebook (`analysis.shipped`), whose features do not depend on the rest of
the corpus. A run coded zero-shot (codes standardised over the whole corpus) or by a model
retrained for the call (not kept after the run) is left alone, and its new submissions wait for
the next run, as the workspace says.
"""

from __future__ import annotations

from django.db import transaction

from inpractice.analysis.codebook import codebook_from_dict
from inpractice.analysis.pipeline import analyse
from inpractice.analysis.shipped import default_coder
from inpractice.analysis.stance import StanceClassifier, shipped_stance_classifier
from inpractice.intake.models import CallForEvidence, Submission, SubmissionStatus

from . import models
from .runner import documents_for, store_mentions, store_passages, store_submission_results
from .runs import current_run


def extendable(run: models.AnalysisRun | None) -> bool:
    """Whether new submissions can be coded exactly as `run` coded the rest."""
    if run is None or run.status != models.AnalysisRun.Status.SUCCEEDED:
        return False
    coder = (run.parameters or {}).get("coder") or {}
    sources = coder.get("sources") or []
    return (
        coder.get("kind") == "trained"
        and bool(sources)
        and all(s.startswith("shipped:") for s in sources)
    )


def _stance_like(run: models.AnalysisRun) -> StanceClassifier | bool:
    """The stance model that classified the run, or False: a run made before stances were
    classified, or by a stance model the package no longer has, gets no stances for its new
    submissions either, so its stance counts never mix two models (the report says so)."""
    about = (run.parameters or {}).get("stance") or {}
    classifier = shipped_stance_classifier() if about else None
    if classifier is None:
        return False
    if classifier.training_.get("sha256") != (about.get("training") or {}).get("sha256"):
        return False
    return classifier


def waiting(call: CallForEvidence, run: models.AnalysisRun) -> list[int]:
    """Submitted submissions of the call that the run has no results for yet."""
    analysed = models.SubmissionResult.objects.filter(run=run).values("submission_id")
    return list(
        Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED)
        .exclude(pk__in=analysed)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def analyse_new(call: CallForEvidence, progress=None, limit: int = 500) -> dict:
    """Add every submitted submission the current run lacks (up to `limit`) to that run."""
    run = current_run(call)
    if not extendable(run):
        return {"run": run.pk if run else None, "added": 0, "reason": "not extendable"}
    pending = waiting(call, run)[:limit]
    if not pending:
        return {"run": run.pk, "added": 0}
    documents, submissions = documents_for(call, ids=pending)
    about = run.parameters["coder"]
    variant = about["sources"][0].split(":", 1)[1]
    coder = default_coder(codebook_from_dict(run.codebook), variant=variant)
    if coder.describe().get("training", {}).get("sha256") != about["training"]["sha256"]:
        # The package's model changed since the run (an upgrade): codes would not be comparable.
        return {"run": run.pk, "added": 0, "reason": "the shipped model changed since the run"}
    result = analyse(
        documents,
        codebook_from_dict(run.codebook),
        coder=coder,
        progress=progress,
        stance=_stance_like(run),
    )
    with transaction.atomic():
        # Lock the run's row: two workers adding the same submission twice is impossible.
        run = models.AnalysisRun.objects.select_for_update().get(pk=run.pk)
        again = set(waiting(call, run))
        fresh = {ref: s for ref, s in submissions.items() if s.pk in again}
        if len(fresh) != len(submissions):
            return {"run": run.pk, "added": 0, "reason": "already added"}
        passages = store_passages(run, result, fresh)
        results = store_submission_results(run, result, fresh)
        store_mentions(run, result, fresh)
        counts = dict(run.counts or {})
        counts["submissions"] = counts.get("submissions", 0) + len(fresh)
        counts["passages"] = counts.get("passages", 0) + passages
        counts["added_after_run"] = counts.get("added_after_run", 0) + len(fresh)
        by_code = dict(counts.get("submissions_by_code") or {})
        for r in results:
            for code in r.codes:
                by_code[code] = by_code.get(code, 0) + 1
        counts["submissions_by_code"] = by_code
        counts["evidence_rich"] = counts.get("evidence_rich", 0) + sum(
            r.evidence_rich for r in results
        )
        counts["mentions"] = counts.get("mentions", 0) + sum(
            len(result.mentions.get(ref, ())) for ref in fresh
        )
        run.counts = counts
        run.save(update_fields=["counts"])
    return {"run": run.pk, "added": len(fresh), "passages": passages}
