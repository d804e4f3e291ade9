"""Retraining the coder on people's codes: training labels, the new run and what changed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from inpractice.cli import main
from inpractice.coding.models import AnalysisRun, Passage
from inpractice.coding.runs import current_run
from inpractice.jobs.models import Job
from inpractice.workspace import retrain as retraining
from inpractice.workspace.models import (
    Coding,
    DoubleCodingSample,
    Event,
    SubmissionReview,
)
from tests.jobs import fixtures

from .conftest import make_submission

committed_db = fixtures.committed_db


def code(call, submission, coder, code_id, field="practice", **extra) -> Coding:
    text = submission.answer(field)
    return Coding.objects.create(
        call=call,
        submission=submission,
        field=field,
        start=0,
        end=len(text),
        text=text,
        code_id=code_id,
        coder=coder,
        **extra,
    )


def reviewed(call, submission, user) -> None:
    SubmissionReview.objects.update_or_create(
        submission=submission,
        defaults={
            "call": call,
            "reviewed": True,
            "reviewed_by": user,
            "reviewed_at": timezone.now(),
        },
    )


@pytest.fixture
def labelled_call(analysed_call, analyst, lead):
    """Every submission reviewed; the language-screening ones coded p1 (by a sub-code) and the
    parent-partnership ones coded p4: enough examples to train both."""
    for i in range(12, 20):
        make_submission(analysed_call, i)
    from inpractice.coding.runner import run_analysis
    from inpractice.coding.runs import promote

    # A new run is not current until a lead promotes it (ADR 15): promote it, to code on it.
    promote(run_analysis(analysed_call), lead)
    for s in analysed_call.submissions.filter(status="submitted").order_by("pk"):
        reviewed(analysed_call, s, analyst)
        practice = s.answer("practice")
        if "WellComm" in practice or "resourced provision" in practice:
            code(analysed_call, s, analyst, "p1.early-identification")
        if "Parents co-write" in practice:
            code(analysed_call, s, analyst, "p4")
    return analysed_call


def test_labels_map_codings_to_overlapping_passages_at_the_top_level(
    analysed_call, analyst, second_analyst, lead
):
    submissions = list(analysed_call.submissions.filter(status="submitted").order_by("pk"))
    first, second, third = submissions[:3]
    code(analysed_call, first, analyst, "p1.transitions")  # a sub-code: labels p1
    code(analysed_call, first, analyst, "p2", decision=Coding.Decision.REJECTED)  # not a label
    code(analysed_call, first, analyst, "p3", active=False)  # removed: not a label
    sample = DoubleCodingSample.objects.create(
        call=analysed_call, name="s", created_by=lead, coder_a=analyst, coder_b=second_analyst
    )
    code(analysed_call, second, analyst, "p5", sample=sample)  # blind: not a label
    code(analysed_call, third, lead, "p5", sample=sample, origin=Coding.Origin.CONSENSUS)
    reviewed(analysed_call, second, analyst)

    data = retraining.training_set(analysed_call)
    run = current_run(analysed_call)
    assert data.run == run
    labels = dict(zip(data.passage_ids, data.labels, strict=True))
    for p in Passage.objects.filter(run=run, submission=first):
        if p.field == "practice":
            assert labels[p.pk] == ["p1"]
        else:
            assert p.pk not in labels  # not reviewed, and no coding overlaps it
    for p in Passage.objects.filter(run=run, submission=second):
        assert labels[p.pk] == []  # reviewed, uncoded (its only coding was blind)
    third_practice = Passage.objects.filter(run=run, submission=third, field="practice")
    assert all(labels[p.pk] == ["p5"] for p in third_practice)
    p1 = next(r for r in data.readiness if r.code_id == "p1")
    first_practice = Passage.objects.filter(run=run, submission=first, field="practice")
    assert p1.positive == first_practice.count() >= 1
    assert not p1.trainable and p1.more_positive == max(0, p1.min_examples - p1.positive)


def test_too_few_labels_says_how_many_more_are_needed(client, analysed_call, lead, analyst):
    s = analysed_call.submissions.filter(status="submitted").first()
    code(analysed_call, s, analyst, "p2")
    client.force_login(lead)
    page = client.get(reverse("workspace:retrain", args=[analysed_call.slug]))
    assert page.status_code == 200
    assert b"No code has enough examples yet" in page.content
    assert b"more passage" in page.content
    runs = AnalysisRun.objects.count()
    response = client.post(reverse("workspace:retrain", args=[analysed_call.slug]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Still needed:" in html
    assert "p2): " in html and "more reviewed passage" in html
    assert AnalysisRun.objects.count() == runs


@pytest.mark.usefixtures("committed_db")  # a real worker runs the job: committed data
def test_retraining_makes_a_new_run_and_shows_what_changed(client, labelled_call, lead):
    previous = current_run(labelled_call)
    data = retraining.training_set(labelled_call)
    assert set(data.trainable) >= {"p1", "p4"}
    client.force_login(lead)
    response = client.post(reverse("workspace:retrain", args=[labelled_call.slug]))
    # The browser queues a job (no web request retrains); a worker runs it.
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:jobs", args=[labelled_call.slug])
    job = Job.objects.get(kind="retrain", call=labelled_call)
    assert job.status == "queued" and job.started_by == lead
    call_command("worker", batch=True, interval=0, verbosity=0)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    run = AnalysisRun.objects.filter(call=labelled_call).latest("pk")
    assert job.result == {"run": run.pk}
    assert run.pk != previous.pk and run.status == AnalysisRun.Status.SUCCEEDED
    # The retrained run is kept beside the current one, which stays current until promoted.
    assert current_run(labelled_call) == previous
    assert run.parameters["retrain"]["previous_run"] == previous.pk
    assert run.parameters["retrain"]["training_size"] == data.size
    assert {"p1", "p4"} <= set(run.parameters["trained_codes"])
    choices = run.parameters["retrain"]["model_choices"]
    assert set(choices) == set(run.code_ids)
    for code in ("p1", "p4"):  # trained from the analysts' codes, then compared, with reasons
        assert choices[code]["model"] in {"new", "current"} and "F1" in choices[code]["reason"]
    changes = run.parameters["what_changed"]
    rows = {r["code"]: r for r in changes["codes"]}
    assert set(rows) == set(run.code_ids)
    for r in rows.values():
        assert r["passages_after"] - r["passages_before"] == r["gained"] - r["lost"]
        assert len(r["gained_examples"]) == min(r["gained"], retraining.EXAMPLES_PER_CHANGE)
    # The previous run's rows are untouched: a new run is added beside it.
    assert Passage.objects.filter(run=previous).count() == previous.counts["passages"]
    event = Event.objects.get(kind="coder.retrained")
    assert event.actor == lead and event.before == {"run": previous.pk}
    assert event.after["run"] == run.pk
    jobs_page = client.get(response["Location"])
    assert jobs_page.status_code == 200 and f"Run {run.pk}".encode() in jobs_page.content
    page = client.get(reverse("workspace:retrain_result", args=[labelled_call.slug, run.pk]))
    assert page.status_code == 200
    assert b"Passages and submissions coded, before and after" in page.content
    assert b"Which model codes each principle" in page.content
    assert b"This run is not the call" in page.content
    assert reverse("workspace:run", args=[labelled_call.slug, run.pk]).encode() in page.content
    listing = client.get(reverse("workspace:retrain", args=[labelled_call.slug]))
    assert f"Run {run.pk}".encode() in listing.content


def test_the_cli_retrains_a_call(labelled_call):
    previous = current_run(labelled_call)
    result = CliRunner().invoke(main, ["retrain", "--call", labelled_call.slug, "--json"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)
    assert changes["previous_run"] == previous.pk
    # Not current until promoted, and the command says so.
    assert current_run(labelled_call) == previous
    assert f"Run {changes['run']} is not the current run" in result.stderr
    promoted = CliRunner().invoke(
        main, ["retrain", "--call", labelled_call.slug, "--json", "--promote"]
    )
    assert promoted.exit_code == 0, promoted.output
    newest = json.loads(promoted.stdout)["run"]
    assert current_run(labelled_call).pk == newest
    assert f"Run {newest} is the current run" in promoted.stderr
    event = Event.objects.get(kind="run.promote", target=f"run:{newest}")
    assert event.actor is None and event.before == {"run": previous.pk}


def test_the_cli_explains_too_few_labels(analysed_call):
    result = CliRunner().invoke(main, ["retrain", "--call", analysed_call.slug])
    assert result.exit_code != 0 and "Still needed" in result.output


def test_only_leads_retrain(client, labelled_call, analyst, outsider):
    url = reverse("workspace:retrain", args=[labelled_call.slug])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(analyst)
    page = client.get(url)
    assert page.status_code == 200 and b"Only lead analysts can retrain" in page.content
    assert client.post(url).status_code == 403
    assert not Event.objects.filter(kind="coder.retrained").exists()


def test_a_big_call_is_retrained_by_a_job_too(client, labelled_call, lead, monkeypatch):
    monkeypatch.setattr(retraining, "IN_REQUEST_LIMIT", 5)
    runs = AnalysisRun.objects.count()
    client.force_login(lead)
    url = reverse("workspace:retrain", args=[labelled_call.slug])
    assert client.post(url).status_code == 302
    # Queued, not run in the request; and one analysis of a call at a time.
    assert AnalysisRun.objects.count() == runs
    assert Job.objects.filter(kind="retrain", status="queued").count() == 1
    again = client.post(url)
    assert again.status_code == 400 and b"already waiting or running" in again.content


def test_a_new_model_worse_than_the_current_one_is_refused_with_its_reason():
    """Labels the shipped model gets all right: a model fitted on a dozen of them cannot beat it,
    so every code keeps the shipped model, and the reason gives both F1 figures."""
    from inpractice.analysis.codebook import load_codebook
    from inpractice.analysis.shipped import default_coder

    texts = [
        "Every child is screened for speech and language needs when they join Reception.",
        "We assess reading in the first weeks of Year 7 so that needs are found early.",
        "Teachers adapt lessons with scaffolds, worked examples and chunked instructions.",
        "Our curriculum is sequenced so that every pupil can build on what they know.",
        "Speech and language therapists deliver weekly sessions to pupils with EHC plans.",
        "The resourced provision gives autistic pupils specialist support each afternoon.",
        "Parents meet the SENCO every term to review their child's support together.",
        "Health, education and care teams hold a joint panel to plan support for families.",
        "Governors and leaders set a strategy so that inclusion is everyone's responsibility.",
        "Leaders check the quality of SEND provision and report to the trust board.",
        "The hall was repainted over the summer holidays.",
        "Lunch is served at noon in the dining room.",
    ]
    codebook = load_codebook("default")
    shipped = default_coder(codebook)
    labels = shipped.predict(texts)
    data = retraining.TrainingSet(
        run=None, texts=texts, labels=labels, unknown=[[]] * 12, groups=list(range(12))
    )
    coder, choices = retraining.choose_models(codebook, None, data)
    assert any(choice["model"] == "current" for choice in choices.values())
    for code, choice in choices.items():
        if choice["model"] == "current" and "current_f1" in choice:
            assert choice["current_f1"] == 1.0 and choice["new_cv_f1"] < 1.0
            assert "kept the current model" in choice["reason"]
            assert coder.models_[code].source == "shipped:full"
