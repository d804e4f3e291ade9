"""A call's current analysis run: one definition (coding/runs.py), and every stage agrees on it.

The current run is the one a lead analyst promoted last or, until anyone has, the first run that
succeeded; a newer run never takes over by itself (ADR 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from inpractice.coding import exports, runs
from inpractice.coding.models import AnalysisRun, RunPromotion, SubmissionResult
from inpractice.coding.runs import current_run
from inpractice.intake.models import Submission, new_reference
from inpractice.library import services

pytestmark = pytest.mark.django_db

T0 = timezone.now() - timedelta(days=1)


@pytest.fixture
def lead(db):
    return get_user_model().objects.create_user("lead@example.gov.uk", "lead@example.gov.uk")


def run(call, status, started: int, finished: int | None) -> AnalysisRun:
    """A run started and finished this many minutes after T0 (finished None: not recorded)."""
    made = AnalysisRun.objects.create(
        call=call, status=status, embedder="static", code_version="test"
    )
    # started_at is set on creation (auto_now_add): put it where the test wants it.
    AnalysisRun.objects.filter(pk=made.pk).update(
        started_at=T0 + timedelta(minutes=started),
        finished_at=None if finished is None else T0 + timedelta(minutes=finished),
    )
    made.refresh_from_db()
    return made


def every_callers_current_run(call) -> dict[str, AnalysisRun | None]:
    return {
        "coding.runs": current_run(call),
        "coding.exports": exports.latest_run(call),
    }


def test_until_a_run_is_promoted_the_first_run_to_succeed_is_current(open_call):
    S = AnalysisRun.Status
    # A long run started first and finished last; a quick one started after it and finished
    # before it. Finishing decides: the quick one was the first to have results.
    long_run = run(open_call, S.SUCCEEDED, started=0, finished=60)
    quick_run = run(open_call, S.SUCCEEDED, started=10, finished=20)
    # Never current: one failed, one is still going.
    run(open_call, S.FAILED, started=70, finished=80)
    run(open_call, S.RUNNING, started=90, finished=None)

    assert current_run(open_call) == quick_run != long_run
    callers = every_callers_current_run(open_call)
    assert set(callers.values()) == {quick_run}, callers


def test_a_later_run_is_current_only_once_promoted_and_the_newest_promotion_wins(open_call, lead):
    S = AnalysisRun.Status
    first = run(open_call, S.SUCCEEDED, started=0, finished=10)
    second = run(open_call, S.SUCCEEDED, started=20, finished=30)
    third = run(open_call, S.SUCCEEDED, started=40, finished=50)
    assert current_run(open_call) == first  # newer runs do not take over by themselves

    promotion = runs.promote(third, lead, note="checked")
    assert promotion.previous == first and promotion.promoted_by == lead
    assert set(every_callers_current_run(open_call).values()) == {third}
    # A run made after the promotion does not replace it either.
    run(open_call, S.SUCCEEDED, started=60, finished=70)
    assert current_run(open_call) == third
    # Going back to an older run is a promotion too; the newest promotion decides.
    runs.promote(second, lead)
    assert current_run(open_call) == second
    assert list(
        RunPromotion.objects.filter(call=open_call).order_by("pk").values_list("run", flat=True)
    ) == [third.pk, second.pk]
    assert runs.is_current(second) and not runs.is_current(third)


def test_only_a_succeeded_run_that_is_not_current_can_be_promoted(open_call, lead):
    S = AnalysisRun.Status
    first = run(open_call, S.SUCCEEDED, started=0, finished=10)
    failed = run(open_call, S.FAILED, started=20, finished=30)
    going = run(open_call, S.RUNNING, started=40, finished=None)
    for made in (failed, going):
        with pytest.raises(runs.PromotionError, match="has not succeeded"):
            runs.promote(made, lead)
    with pytest.raises(runs.PromotionError, match="already the current run"):
        runs.promote(first, lead)
    assert not RunPromotion.objects.exists()
    assert current_run(open_call) == first


def test_promoting_sends_the_signal_inside_its_transaction(open_call, lead):
    """A receiver that fails undoes the promotion (the workspace records its event there)."""
    S = AnalysisRun.Status
    run(open_call, S.SUCCEEDED, started=0, finished=10)
    later = run(open_call, S.SUCCEEDED, started=20, finished=30)

    def broken(**kwargs):
        raise RuntimeError("receiver failed")

    runs.run_promoted.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            runs.promote(later, lead)
    finally:
        runs.run_promoted.disconnect(dispatch_uid="test-broken")
    assert not RunPromotion.objects.exists() and not runs.is_current(later)


def test_the_library_suggests_principles_from_the_current_run(open_call, lead):
    S = AnalysisRun.Status
    codes = [c["id"] for c in open_call.codebook["codes"]]
    long_run = run(open_call, S.SUCCEEDED, started=0, finished=60)
    quick_run = run(open_call, S.SUCCEEDED, started=10, finished=20)
    failed = run(open_call, S.FAILED, started=70, finished=80)
    submission = Submission.objects.create(
        call=open_call,
        status="submitted",
        reference=new_reference(),
        submitted_at=timezone.now(),
        resume_token_hash=Submission.new_token()[1],
    )
    for made, code in ((long_run, codes[0]), (quick_run, codes[1]), (failed, codes[2])):
        SubmissionResult.objects.create(
            run=made,
            submission=submission,
            codes=[code],
            probabilities={code: 0.9},
            evidence_score=0.5,
            evidence_rich=False,
        )
    assert services.suggested_principles(submission) == [codes[1]]  # the first to succeed
    runs.promote(long_run, lead)
    assert services.suggested_principles(submission) == [codes[0]]


def test_a_tie_goes_to_the_earlier_run_and_an_unrecorded_finish_counts_as_the_start(open_call):
    S = AnalysisRun.Status
    first = run(open_call, S.SUCCEEDED, started=0, finished=30)
    second = run(open_call, S.SUCCEEDED, started=5, finished=30)
    assert current_run(open_call) == first and first.pk < second.pk
    # Stored without a finishing time (older rows, fixtures): it counts as finishing when it
    # started, so the same on SQLite and PostgreSQL (which sort missing values differently).
    unrecorded = run(open_call, S.SUCCEEDED, started=-10, finished=None)
    assert current_run(open_call) == unrecorded
    assert set(every_callers_current_run(open_call).values()) == {unrecorded}


def test_a_call_with_no_succeeded_run_has_no_current_run(open_call):
    S = AnalysisRun.Status
    run(open_call, S.FAILED, started=0, finished=5)
    run(open_call, S.RUNNING, started=10, finished=None)
    assert current_run(open_call) is None
    with pytest.raises(exports.ExportError, match="has not been analysed yet"):
        exports.latest_run(open_call)
