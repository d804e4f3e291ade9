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
