"""`inpractice calls`: the browser's rules, errors that say where, nothing half-written."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inpractice.intake.models import CallForEvidence, WindowState
from inpractice.staff.models import CallChange

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("calls", *args, stdout=out)
    return out.getvalue()


def test_create_edit_open_close_and_list(tmp_path):
    questions = tmp_path / "questions.json"
    questions.write_text(
        json.dumps(
            [
                {"key": "practice", "label": "Describe the practice", "max_length": 6000},
                {
                    "key": "family-views",
                    "label": "What do families say?",
                    "type": "short",
                    "max_length": 500,
                    "required": False,
                },
            ]
        )
    )
    intro = tmp_path / "intro.txt"
    intro.write_text("Tell us what works.\n\nIn your own words.")
    out = run(
        "create",
        "--title",
        "Inclusion 2026",
        "--questions",
        str(questions),
        "--introduction",
        f"@{intro}",
        "--consent",
        "We may publish it.",
        "--privacy-url",
        "https://www.example.org/privacy",
        "--opens",
        "2026-07-01 00:00",
        "--closes",
        "2099-01-01 00:00",
    )
    assert "Created inclusion-2026" in out
    call = CallForEvidence.objects.get(slug="inclusion-2026")
    assert call.opens_at == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)  # BST
    assert call.introduction.startswith("Tell us what works.")
    assert [q["key"] for q in call.questions] == ["practice", "family-views"]
    assert "changed the title" in run("edit", "inclusion-2026", "--title", "Inclusion in 2026")
    assert "is open" in run("open", "inclusion-2026")
    assert "inclusion-2026\topen" in run("list")
    with pytest.raises(CommandError, match="add --yes"):
        run("close", "inclusion-2026")
    run("close", "inclusion-2026", "--yes")
    call.refresh_from_db()
    assert call.state() == WindowState.CLOSED
    assert CallChange.objects.filter(call=call).count() == 4
    assert CallChange.objects.filter(call=call).first().actor_name.startswith("command line")


def test_errors_say_what_and_where_and_nothing_is_written(tmp_path):
    questions = tmp_path / "questions.yaml"
    questions.write_text("- key: practice\n  label: ''\n  max_length: 99999\n")
    with pytest.raises(CommandError) as caught:
        run("create", "--title", "Broken", "--questions", str(questions))
    assert "questions[0].label: enter the question" in str(caught.value)
    assert "questions[0].max_length: must be between 1 and 20,000" in str(caught.value)
    assert not CallForEvidence.objects.filter(slug="broken").exists()

    codebook = tmp_path / "codebook.yaml"
    codebook.write_text("id: x\nname: X\ncodes: []\n")
    with pytest.raises(CommandError, match=r"--codebook: .*codebook.yaml: a codebook needs"):
        run("create", "--title", "Broken", "--codebook", str(codebook))
    with pytest.raises(CommandError, match="--opens: 1:30am does not exist in the UK"):
        run("create", "--title", "Broken", "--opens", "2026-03-29 01:30")
    with pytest.raises(CommandError, match="the call must close after it opens"):
        run(
            "create",
            "--title",
            "Broken",
            "--opens",
            "2026-05-02 00:00",
            "--closes",
            "2026-05-01 00:00",
        )
    assert not CallForEvidence.objects.filter(slug="broken").exists()
    assert not CallChange.objects.exists()


def test_opening_an_incomplete_call_names_what_is_missing():
    run("create", "--title", "Thin")
    with pytest.raises(CommandError) as caught:
        run("open", "thin")
    assert "introduction: Write an introduction" in str(caught.value)
    assert "privacy notice link: Give the privacy notice link" in str(caught.value)
    assert CallForEvidence.objects.get(slug="thin").is_draft
    with pytest.raises(CommandError, match="there is no call 'nope'"):
        run("open", "nope")


def test_a_codebook_is_copied_from_another_call(open_call):
    run("create", "--title", "Copy", "--codebook", f"copy:{open_call.slug}")
    assert CallForEvidence.objects.get(slug="copy").codebook == open_call.codebook


def test_a_call_is_scheduled_from_the_command_line(tmp_path):
    run(
        "create",
        "--title",
        "Later call",
        "--introduction",
        "Tell us what works.",
        "--consent",
        "We may publish it.",
        "--privacy-url",
        "https://www.example.org/privacy",
        "--opens",
        "2098-07-01 09:00",
        "--closes",
        "2099-01-01 00:00",
    )
    out = run("open", "later-call", "--at-opening-time")
    assert "will open by itself at 9am on Tuesday 1 July 2098" in out
    call = CallForEvidence.objects.get(slug="later-call")
    assert not call.is_draft and not call.is_open()
    with pytest.raises(CommandError, match="already scheduled"):
        run("open", "later-call", "--at-opening-time")
