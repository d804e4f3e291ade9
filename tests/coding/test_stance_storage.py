"""Stances are stored with a run's coded passages, and a late submission gets the same model's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inpractice.analysis.stance import STANCES
from inpractice.coding.incremental import analyse_new
from inpractice.coding.models import CodeApplication, Passage
from inpractice.coding.runner import run_analysis
from inpractice.intake.models import Submission, new_reference

from .test_analyse import analysed_call  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _late(call) -> Submission:
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
            "practice": (
                "Waiting times for speech and language therapy are far too long, so families "
                "wait a year for an assessment."
            ),
            "impact": "",
            "enablers": "",
            "advice": "",
        },
    )


def test_coded_passages_carry_a_stance_and_the_rest_none(analysed_call):  # noqa: F811
    run = run_analysis(analysed_call)
    assert run.parameters["stance"]["source"] == "shipped"
    coded = CodeApplication.objects.filter(run=run, applied=True).values("passage_id")
    with_codes = Passage.objects.filter(run=run, pk__in=coded)
    assert with_codes.exists()
    assert set(with_codes.values_list("stance", flat=True)) <= set(STANCES)
    assert not with_codes.filter(stance_probability__isnull=True).exists()
    assert not with_codes.filter(stance_probability__lt=0.25).exists()  # the argmax of four
    others = Passage.objects.filter(run=run).exclude(pk__in=coded)
    assert not others.exclude(stance="").exists()
    assert not others.filter(stance_probability__isnull=False).exists()

    late = _late(analysed_call)
    assert analyse_new(analysed_call)["added"] == 1
    theirs = Passage.objects.filter(run=run, submission=late, pk__in=coded)
    assert theirs.filter(stance="barrier").exists()


def test_a_run_without_stances_gives_its_late_submissions_none(analysed_call):  # noqa: F811
    run = run_analysis(analysed_call)
    # As a run made before stances were classified: nothing recorded, nothing stored.
    run.parameters = {k: v for k, v in run.parameters.items() if k != "stance"}
    run.save()
    Passage.objects.filter(run=run).update(stance="", stance_probability=None)
    late = _late(analysed_call)
    assert analyse_new(analysed_call)["added"] == 1
    assert not Passage.objects.filter(run=run, submission=late).exclude(stance="").exists()
