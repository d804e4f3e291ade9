"""The `inpractice` command run as a user runs it: a separate process on its own SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

INPRACTICE = [sys.executable, "-m", "inpractice.cli"]


@pytest.fixture
def cli_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env["INPRACTICE_VAR_DIR"] = str(tmp_path / "var")
    return env


def run(env, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*INPRACTICE, *args],
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )


def test_an_unknown_call_is_a_clear_error_with_a_non_zero_exit(cli_env):
    result = run(cli_env, "snapshot", "--call", "nope", "--json")
    assert result.returncode == 1
    assert "there is no call with the slug 'nope'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_staff_add_refuses_a_weak_password_and_accepts_a_strong_one(cli_env):
    weak = run(
        {**cli_env, "INPRACTICE_STAFF_PASSWORD": "password"}, "staff", "add", "a@example.org"
    )
    assert weak.returncode == 1 and "too common" in weak.stderr
    strong = run(
        {**cli_env, "INPRACTICE_STAFF_PASSWORD": "a long enough passphrase"},
        "staff",
        "add",
        "a@example.org",
        "--role",
        "analyst",
    )
    assert strong.returncode == 0, strong.stderr
    assert "Created a@example.org with role analyst" in strong.stdout


def test_a_missing_import_file_is_named(cli_env):
    result = run(cli_env, "schools", "import", "/no/such/file.csv")
    assert result.returncode != 0
    assert "/no/such/file.csv" in result.stderr


def test_demo_then_snapshot_prints_the_real_call_shape(cli_env):
    first = run(cli_env, "demo")
    assert first.returncode == 0, first.stderr
    assert "Staff sign-in for the demo: admin@demo.example / " in first.stdout
    again = run(cli_env, "demo")
    assert again.returncode == 0 and "Nothing changed" in again.stdout
    assert "Staff sign-in" not in again.stdout  # the password is shown once only

    result = run(cli_env, "snapshot", "--call", "demo", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["submissions"] == 165
    assert figures["schools_via_trusts"] == 820
    assert abs(figures["schools_via_las_and_providers"] - 7600) <= 152
    assert figures["schools_total"] <= (
        figures["schools_via_trusts"]
        + figures["schools_via_las_and_providers"]
        + figures["schools_direct"]
    )


def test_code_writes_labels_and_scores_for_any_codebook(cli_env, tmp_path):
    codebook = tmp_path / "mine.yaml"
    codebook.write_text(
        "id: toy\nname: Toy\ncodes:\n"
        "  - {id: families, name: Working with families,\n"
        "     description: Parents and carers as partners}\n"
        "  - {id: sport, name: Sport and PE, description: Inclusive physical education and sport}\n"
    )
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": 1, "text": "Parents join coffee mornings with the SENCO."})
        + "\n"
        + json.dumps({"id": "b", "text": "Boccia and adapted PE lessons for wheelchair users."})
        + "\n"
    )
    train = tmp_path / "train.jsonl"
    train.write_text(
        "".join(
            json.dumps({"id": i, "text": t, "labels": labels}) + "\n"
            for i, (t, labels) in enumerate(
                [
                    ("Weekly calls with parents.", ["families"]),
                    ("Parents co-write plans.", ["families"]),
                    ("Family workshops on reading.", ["families"]),
                    ("Home visits build trust.", ["families"]),
                    ("Sports day for all.", ["sport"]),
                    ("Adapted PE kit.", ["sport"]),
                    ("Inclusive football club.", ["sport"]),
                    ("Swimming with support.", ["sport"]),
                ]
            )
        )
    )
    out = tmp_path / "out.jsonl"
    result = run(
        cli_env,
        "code",
        "--codebook",
        str(codebook),
        "--input",
        str(source),
        "--output",
        str(out),
        "--train",
        str(train),
    )
    assert result.returncode == 0, result.stderr
    assert "Coding" in result.stderr  # the progress bar is on stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["1", "b"]
    assert set(rows[0]["scores"]) == {"families", "sport"}
    assert rows[0]["scores"]["families"] > rows[0]["scores"]["sport"]
    assert rows[1]["scores"]["sport"] > rows[1]["scores"]["families"]
    assert "families" in rows[0]["labels"] and "sport" in rows[1]["labels"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": 1, "text": "ok"}\n{"id": 2, "text": "ok"\n', "line 2: not valid JSON"),
        ('{"id": 1, "text": "ok"}\n["a"]\n', "line 2: each line must be a JSON object"),
        (
            '{"id": 1, "text": "ok"}\n{"id": 1, "text": "again"}\n',
            "line 2: id '1' is repeated (first on line 1)",
        ),
        ('{"id": 1}\n', 'line 1: "text" is missing'),
        ("", "no records"),
    ],
)
def test_code_names_the_bad_line_and_writes_nothing(cli_env, tmp_path, content, message):
    source = tmp_path / "in.jsonl"
    source.write_text(content)
    out = tmp_path / "out.jsonl"
    result = run(cli_env, "code", "--input", str(source), "--output", str(out))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_analyse_and_export_the_demo_call(cli_env, tmp_path):
    assert run(cli_env, "demo").returncode == 0
    analysed = run(cli_env, "analyse", "--call", "demo")
    assert analysed.returncode == 0, analysed.stderr
    report = json.loads(analysed.stdout)
    assert report["status"] == "succeeded" and report["counts"]["submissions"] == 165
    exported = run(
        cli_env,
        "export",
        "--call",
        "demo",
        "--format",
        "qdpx",
        "--out",
        str(tmp_path / "demo.qdpx"),
    )
    assert exported.returncode == 0, exported.stderr
    import zipfile

    from inpractice.analysis.refi import validate_qde

    with zipfile.ZipFile(tmp_path / "demo.qdpx") as z:
        validate_qde(z.read("project.qde"))
