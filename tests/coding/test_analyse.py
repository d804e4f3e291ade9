"""Analysing a call stores passages, codes, themes, mentions and quotes with a run record."""

import csv
import io
import zipfile

import pytest
from django.utils import timezone

from inpractice.analysis.refi import validate_qde
from inpractice.coding.exports import ExportError, write_export
from inpractice.coding.models import AnalysisRun, CodeApplication, Passage, Quote, SubmissionResult
from inpractice.coding.runner import run_analysis
from inpractice.intake.coverage import replace_covered_schools, schools_for
from inpractice.intake.models import Submission, new_reference

pytestmark = pytest.mark.django_db

TEXTS = [
    "We screen every child's language with WellComm in Reception and share "
    "transition passports with secondary schools.",
    "Teachers use chunked instructions and visual timetables in every "
    "lesson, with instructional coaching each fortnight.",
    "Our resourced provision lets pupils with speech and language needs "
    "learn in class, with therapy twice a week.",
    "Parents co-write their child's plan and review it with us each term "
    "at coffee mornings with the SENCO.",
    "Our SENCO sits on the senior leadership team and governors get a termly report on inclusion.",
    '=HYPERLINK("http://example.com","click") Zones of Regulation check-ins start every '
    "morning, and the school's therapist runs small-group sessions for pupils who need more.",
]


@pytest.fixture
def analysed_call(open_call, register):
    for i in range(18):
        s = Submission.objects.create(
            call=open_call,
            status="submitted",
            reference=new_reference(),
            submitted_at=timezone.now(),
            resume_token_hash=Submission.new_token()[1],
            organisation_type="school",
            organisation_name=f"School {i}",
            respondent_email=f"head{i}@example.org",
            respondent_name=f"Head Teacher {i}",
            title=f"Example {i}",
            coverage="one_school",
            need_codes=["ASD"],
            need_description="Autistic pupils in Key Stage 2 who find change hard.",
            answers={
                "practice": TEXTS[i % 6] + f" Example number {i}.",
                "impact": "Attendance rose from 88% to 95%, and our survey shows "
                "pupils feel calmer.",
                "enablers": "Training and time.",
                "advice": "",
            },
        )
        replace_covered_schools(s, schools_for("one_school", urns=[100001]))
    return open_call


def test_a_run_stores_every_stage_with_its_record(analysed_call):
    run = run_analysis(analysed_call)
    assert run.status == AnalysisRun.Status.SUCCEEDED and run.finished_at
    assert run.code_ids == ["p1", "p2", "p3", "p4", "p5"]
    assert (
        run.counts["submissions"] == 18
        and run.counts["passages"] == Passage.objects.filter(run=run).count()
    )
    assert {
        "text_stages",
        "segment_cpu",
        "mentions_cpu",
        "evidence_cpu",
        "embed",
        "code",
        "themes",
        "quotes",
        "store",
    } <= set(run.timings)
    assert run.code_version.startswith("inpractice ")
    # Only applied codes are stored: one row per (passage, code) at or above the code's threshold.
    stored = CodeApplication.objects.filter(run=run)
    assert stored.exists() and not stored.filter(applied=False).exists()
    thresholds = dict(zip(run.code_ids, run.thresholds, strict=True))
    assert all(a.probability >= thresholds[a.code_id] - 1e-4 for a in stored)
    assert stored.count() < 5 * run.counts["passages"]
    assert run.parameters["coder"]["kind"] == "trained"  # the shipped five-principles model
    assert SubmissionResult.objects.filter(run=run).count() == 18
    for p in Passage.objects.filter(run=run).select_related("submission"):
        source = (
            p.submission.need_description
            if p.field == "need_description"
            else p.submission.answer(p.field)
        )
        assert source[p.start : p.end] == p.text
    assert Quote.objects.filter(run=run).exists()
    assert run.mention_summary["distinct"] >= 3  # WellComm, Zones of Regulation, SENCO ...


def test_a_failed_run_is_recorded_and_stores_nothing(analysed_call):
    with pytest.raises(Exception, match="unknown embedder"):
        run_analysis(analysed_call, embedder="no-such-model")
    run = AnalysisRun.objects.get()
    assert run.status == AnalysisRun.Status.FAILED and "unknown embedder" in run.error
    assert not Passage.objects.exists()


def test_exports_validate_and_are_safe_in_a_spreadsheet(analysed_call, tmp_path):
    with pytest.raises(ExportError, match="has not been analysed yet"):
        write_export(analysed_call, "qdpx", tmp_path / "x.qdpx")
    run_analysis(analysed_call)
    count = write_export(analysed_call, "qdpx", tmp_path / "call.qdpx")
    assert count == CodeApplication.objects.filter(applied=True).count() > 0
    with zipfile.ZipFile(tmp_path / "call.qdpx") as z:
        validate_qde(z.read("project.qde"))
        project = z.read("project.qde").decode()
    assert "head0@example.org" not in project and "Head Teacher" not in project

    write_export(analysed_call, "csv", tmp_path / "call.csv")
    rows = list(
        csv.DictReader(io.StringIO((tmp_path / "call.csv").read_text(encoding="utf-8-sig")))
    )
    assert rows and all(not r["text"].startswith(("=", "+", "-", "@")) for r in rows)
    assert any(r["text"].startswith("'=HYPERLINK") for r in rows)
    assert not list(tmp_path.glob("*.partial"))


def test_a_run_refreshes_the_planner_statistics_on_postgresql(analysed_call):
    """The workspace's filters join passages, submissions and schools: after a bulk load the
    planner must know their sizes, or a filtered queue takes seconds (bench/workspace_bench.py)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    run = run_analysis(analysed_call)
    expected = {
        "intake_submission": Submission.objects.count(),
        "coding_passage": run.passages.count(),
        "coding_submissionresult": SubmissionResult.objects.filter(run=run).count(),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(expected)]
        )
        estimated = {name: int(rows) for name, rows in cursor.fetchall()}
    assert estimated == expected


def test_postgresql_never_jit_compiles_our_short_queries(db):
    """JIT compiling took a second of a 1.5 s workspace filter at 100,000 submissions."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_an_answer_is_exported_under_the_wording_it_answered(analysed_call):
    """A question changed after answers arrived is a new version (ADR 0020): the export's heading
    for an older answer is the old wording, marked, not the wording it never saw."""
    from inpractice.coding.exports import sources_and_codings
    from inpractice.intake.models import QuestionVersion

    call = analysed_call
    key = call.questions[0]["key"]
    old_label = call.questions[0]["label"]
    QuestionVersion.objects.create(call=call, key=key, version=1, label=old_label, max_length=5000)
    questions = [dict(q) for q in call.questions]
    questions[0].update(label="What changed for pupils this year?", version=2)
    call.questions = questions
    call.save(update_fields=["questions"])
    answered_old, answered_new = Submission.objects.filter(call=call).order_by("reference")[:2]
    answered_old.answer_versions = {key: 1}
    answered_old.save(update_fields=["answer_versions"])
    answered_new.answer_versions = {key: 2}
    answered_new.save(update_fields=["answer_versions"])

    run = run_analysis(call)
    sources = {s.id: s.text for s in sources_and_codings(call, run)[0]}
    old_text, new_text = sources[answered_old.reference], sources[answered_new.reference]
    assert f"{old_label} (question version 1; now version 2)" in old_text
    assert "What changed for pupils this year?" not in old_text
    assert "What changed for pupils this year?" in new_text and "question version" not in new_text
