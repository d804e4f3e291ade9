"""New submissions join the call's current run soon after they arrive (issue 13, part 3)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from inpractice.coding.incremental import analyse_new, extendable
from inpractice.coding.models import (
    AnalysisRun,
    CodeApplication,
    Mention,
    Passage,
    SubmissionResult,
)
from inpractice.coding.runner import run_analysis
from inpractice.coding.runs import current_run
from inpractice.intake.models import Submission, new_reference
from inpractice.intake.signals import submissions_arrived
from inpractice.jobs.models import Job

from .test_analyse import TEXTS, analysed_call  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _arrive(call, text: str) -> Submission:
    return Submission.objects.create(
        call=call,
        status="submitted",
        reference=new_reference(),
        submitted_at=timezone.now(),
        resume_token_hash=Submission.new_token()[1],
        organisation_type="school",
        organisation_name="Late School",
        respondent_email="late@example.org",
        respondent_name="Late Head",
        title="Late",
        coverage="one_school",
        need_codes=["SLCN"],
        need_description="Pupils with speech and language needs.",
        answers={
            "practice": text,
            "impact": "Pupils join in more.",
            "enablers": "",
            "advice": "",
        },
    )


def _applied(run, submission) -> set[tuple]:
    return set(
        CodeApplication.objects.filter(run=run, passage__submission=submission).values_list(
            "passage__field", "passage__start", "passage__end", "code_id"
        )
    )


def test_a_late_submission_is_coded_into_the_current_run_exactly_as_a_full_run_would(
    analysed_call,  # noqa: F811
):
    run = run_analysis(analysed_call)
    assert extendable(run)
    late = _arrive(analysed_call, TEXTS[0] + " " + TEXTS[3] + " Sessions with WellComm weekly.")
    before = dict(run.counts)
    added = analyse_new(analysed_call)
    assert added["added"] == 1 and added["run"] == run.pk
    result = SubmissionResult.objects.get(run=run, submission=late)
    passages = Passage.objects.filter(run=run, submission=late)
    assert passages.exists() and not passages.filter(theme__isnull=False).exists()
    assert Mention.objects.filter(run=run, submission=late, name__icontains="WellComm").exists()
    run.refresh_from_db()
    assert run.counts["submissions"] == before["submissions"] + 1
    assert run.counts["passages"] == before["passages"] + passages.count()
    assert run.counts["added_after_run"] == 1
    # Nothing twice: a second pass adds nothing.
    assert analyse_new(analysed_call)["added"] == 0
    assert SubmissionResult.objects.filter(run=run, submission=late).count() == 1
    # A full run over the whole call codes the late submission the same way (the shipped
    # model's features do not depend on the rest of the call).
    full = run_analysis(analysed_call)
    assert _applied(full, late) == _applied(run, late) != set()
    assert SubmissionResult.objects.get(run=full, submission=late).codes == result.codes


def test_a_run_coded_zero_shot_waits_for_the_next_run(analysed_call):  # noqa: F811
    codebook = {
        "id": "custom",
        "name": "Custom",
        "codes": [
            {"id": "a", "name": "Transitions", "description": "Moving between schools."},
            {"id": "b", "name": "Families", "description": "Working with parents."},
        ],
    }
    run = run_analysis(analysed_call, codebook=codebook)
    assert run.parameters["coder"]["kind"] == "zero-shot" and not extendable(run)
    late = _arrive(analysed_call, TEXTS[1])
    assert analyse_new(analysed_call)["added"] == 0
    assert not SubmissionResult.objects.filter(submission=late).exists()


# The worker closes connections it finds inside a transaction, as a test's own is: run this test
# outside one, as the other worker tests do.
@pytest.mark.django_db(transaction=True)
def test_an_arrival_queues_one_job_that_a_worker_runs(committed_db, analysed_call):  # noqa: F811
    run = run_analysis(analysed_call)
    first = _arrive(analysed_call, TEXTS[2])
    submissions_arrived.send(sender=Submission, call=analysed_call)
    second = _arrive(analysed_call, TEXTS[4])
    submissions_arrived.send(sender=Submission, call=analysed_call)
    jobs = Job.objects.filter(call=analysed_call, kind=Job.Kind.ANALYSE_NEW)
    assert jobs.count() == 1  # the waiting job takes both
    call_command("worker", batch=True, interval=0, verbosity=0)
    job = jobs.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["added"] == 2
    assert current_run(analysed_call) == run
    assert SubmissionResult.objects.filter(run=run, submission__in=[first, second]).count() == 2
    assert AnalysisRun.objects.filter(call=analysed_call).count() == 1  # no new run


def test_a_call_never_analysed_queues_nothing(open_call):
    submissions_arrived.send(sender=Submission, call=open_call)
    assert not Job.objects.filter(call=open_call).exists()
