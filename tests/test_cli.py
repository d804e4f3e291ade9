"""The `inpractice` command run as a user runs it: a separate process on its own SQLite file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from inpractice.cli import MANAGEMENT_COMMANDS
from tests.cli import ROOT, environment, run


@pytest.fixture
def cli_env(tmp_path) -> dict:
    """A database that does not exist yet: fine for `code`, refused by the rest."""
    return environment(f"sqlite:///{tmp_path / 'cli.sqlite3'}", tmp_path / "var")


@pytest.fixture
def demo_env(demo_database, tmp_path) -> dict:
    return demo_database.copy(tmp_path)


def test_an_unknown_call_is_a_clear_error_with_a_non_zero_exit(demo_env):
    result = run(demo_env, "snapshot", "--call", "nope", "--json")
    assert result.returncode == 1
    assert "there is no call with the slug 'nope' (calls: demo)" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_staff_add_refuses_a_weak_password_and_accepts_a_strong_one(demo_env):
    weak = run(
        {**demo_env, "INPRACTICE_STAFF_PASSWORD": "password"}, "staff", "add", "a@example.org"
    )
    assert weak.returncode == 1 and "too common" in weak.stderr
    strong = run(
        {**demo_env, "INPRACTICE_STAFF_PASSWORD": "a long enough passphrase"},
        "staff",
        "add",
        "a@example.org",
        "--role",
        "analyst",
    )
    assert strong.returncode == 0, strong.stderr
    assert "Created a@example.org with role analyst" in strong.stdout
    # With no password given and nobody at a terminal to type one, it says how to give it.
    unasked = run(demo_env, "staff", "add", "b@example.org", stdin="")
    assert unasked.returncode == 1 and "INPRACTICE_STAFF_PASSWORD" in unasked.stderr


def test_a_missing_import_file_is_named(demo_env):
    result = run(demo_env, "schools", "import", "/no/such/file.csv")
    assert result.returncode != 0
    assert "/no/such/file.csv" in result.stderr


def test_a_usage_mistake_exits_with_2_and_says_what_is_missing(demo_env):
    result = run(demo_env, "snapshot")
    assert result.returncode == 2
    assert "the following arguments are required: --call" in result.stderr
    assert "usage: inpractice snapshot" in result.stderr
    unknown = run(demo_env, "demo", "--bogus")
    assert unknown.returncode == 2 and "unrecognized arguments: --bogus" in unknown.stderr
    assert "Traceback" not in unknown.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("snapshot", "--call", "demo"),
        ("staff", "add", "a@example.org", "--password", "a long enough passphrase"),
        ("export", "--call", "demo", "--format", "csv", "--out", "/no/such/dir/x.csv"),
        ("serve", "--port", "1"),
    ],
)
def test_commands_other_than_migrate_and_demo_refuse_an_empty_database(cli_env, tmp_path, args):
    result = run(cli_env, *args)
    assert result.returncode == 1
    assert "no inpractice tables yet: run `inpractice migrate` first" in result.stderr
    database = tmp_path / "cli.sqlite3"
    if database.exists():  # SQLite makes an empty file on connecting; nothing may be in it
        tables = sqlite3.connect(database).execute("SELECT name FROM sqlite_master").fetchall()
        assert tables == []


def test_commands_refuse_a_schema_behind_the_code_and_change_nothing(demo_env):
    path = demo_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute(
            # privacy's migration is a leaf: nothing else depends on it
            "DELETE FROM django_migrations WHERE app = 'privacy' AND name = '0001_initial'"
        )
        applied = connection.execute("SELECT COUNT(*) FROM django_migrations").fetchone()
    result = run(demo_env, "snapshot", "--call", "demo")
    assert result.returncode == 1
    assert "schema is behind" in result.stderr
    assert "(1 migration(s) not applied: privacy.0001_initial)" in result.stderr
    assert "run `inpractice migrate`" in result.stderr
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM django_migrations").fetchone() == applied


def test_migrate_makes_a_working_database_and_the_cache_table(cli_env, tmp_path):
    migrated = run(cli_env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    tables = {
        name
        for (name,) in sqlite3.connect(tmp_path / "cli.sqlite3").execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    assert {"intake_submission", "inpractice_cache"} <= tables
    listed = run(cli_env, "manage", "showmigrations", "intake")
    assert listed.returncode == 0 and "[X] 0001_initial" in listed.stdout
    # Django's own manage.py reaches the same commands.
    snapshot = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "snapshot", "--call", "nope"],
        env=cli_env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert snapshot.returncode == 1 and "(calls: none)" in snapshot.stderr


def test_every_friendly_name_leads_to_a_management_command(cli_env):
    from django.core.management import get_commands

    assert set(MANAGEMENT_COMMANDS.values()) <= set(get_commands())
    shown = run(cli_env, "--help")
    assert shown.returncode == 0, shown.stderr
    for friendly in MANAGEMENT_COMMANDS:
        assert friendly.split()[0] in shown.stdout
    detail = run(cli_env, "analyse", "--help")
    assert detail.returncode == 0 and "--call SLUG" in detail.stdout


def test_demo_then_snapshot_prints_the_real_call_shape(demo_database, demo_env):
    assert "Staff sign-in for the demo: admin@demo.example / " in demo_database.stdout
    again = run(demo_env, "demo")
    assert again.returncode == 0 and "Nothing changed" in again.stdout
    assert "Staff sign-in" not in again.stdout  # the password is shown once only

    result = run(demo_env, "snapshot", "--call", "demo", "--json")
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


def test_analyse_and_export_the_demo_call(demo_env, tmp_path):
    analysed = run(demo_env, "analyse", "--call", "demo")
    assert analysed.returncode == 0, analysed.stderr
    report = json.loads(analysed.stdout)
    assert report["status"] == "succeeded" and report["counts"]["submissions"] == 165
    # The demo's own run stays current until a lead promotes this one (ADR 15).
    assert report["current"] is False and report["current_run"] != report["run"]
    assert f"Run {report['run']} is not the current run" in analysed.stderr
    exported = run(
        demo_env,
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
