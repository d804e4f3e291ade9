"""`inpractice backup` and `inpractice restore`, run as an operator runs them: separate processes.

The demo call (165 submissions with their covered schools) is loaded into a database of its own,
backed up, and restored into a fresh one; every table's row count and a checksum of every
submission and covered school must come back the same. PostgreSQL round trips use scratch
databases, never the test database in use.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parent.parent
INPRACTICE = [sys.executable, "-m", "inpractice.cli"]


def run(database_url: str, var: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=database_url, INPRACTICE_VAR_DIR=str(var))
    return subprocess.run(
        [*INPRACTICE, *args], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def contents(cursor, tables: list[str]) -> dict:
    """Row counts of every table, and a hash of every submission and covered school as text."""
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    digest = hashlib.sha256()
    cursor.execute(
        "SELECT id, reference, status, CAST(submitted_at AS TEXT), title, CAST(answers AS TEXT),"
        " respondent_email, coverage FROM intake_submission ORDER BY id"
    )
    for row in cursor.fetchall():
        digest.update(repr(row).encode())
    cursor.execute("SELECT submission_id, urn, school_id FROM intake_coveredschool ORDER BY id")
    for row in cursor.fetchall():
        digest.update(repr(row).encode())
    return {"counts": counts, "submissions": digest.hexdigest()}


# --- SQLite ----------------------------------------------------------------------------------


def sqlite_contents(path: Path) -> dict:
    connection = sqlite3.connect(path)
    try:
        cursor = connection.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = sorted(row[0] for row in cursor.fetchall())
        return contents(cursor, tables)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory, demo_database) -> dict:
    where = tmp_path_factory.mktemp("backup")
    source = where / "source.sqlite3"
    shutil.copy(demo_database.path, source)
    backup = where / "demo.backup"
    made = run(f"sqlite:///{source}", where / "var", "backup", "--out", str(backup))
    assert made.returncode == 0, made.stderr
    return {"dir": where, "source": source, "backup": backup, "stdout": made.stdout}


def test_a_backup_is_readable_by_its_owner_only(sqlite_demo):
    # It holds everyone's personal data; made by `inpractice backup` under the usual umask 022.
    assert stat.S_IMODE(sqlite_demo["backup"].stat().st_mode) == 0o600


def test_a_sqlite_backup_restores_into_a_fresh_database_with_nothing_lost(sqlite_demo, tmp_path):
    before = sqlite_contents(sqlite_demo["source"])
    assert before["counts"]["intake_submission"] == 165
    assert before["counts"]["intake_coveredschool"] > 165
    fresh = tmp_path / "fresh.sqlite3"

    restored = run(f"sqlite:///{fresh}", tmp_path / "var", "restore", str(sqlite_demo["backup"]))

    assert restored.returncode == 0, restored.stderr
    assert sqlite_contents(fresh) == before
    # The operator sees the same figures after the restore as after the backup.
    assert sqlite_demo["stdout"].splitlines()[-1].split("holds ")[1] in restored.stdout


def test_restore_refuses_a_database_with_data_unless_forced(sqlite_demo, tmp_path):
    target = tmp_path / "target.sqlite3"
    shutil.copy(sqlite_demo["source"], target)
    connection = sqlite3.connect(target)
    connection.execute("DELETE FROM intake_coveredschool")
    connection.execute("UPDATE intake_submission SET title = 'changed since the backup'")
    connection.commit()
    connection.close()
    changed = sqlite_contents(target)

    refused = run(f"sqlite:///{target}", tmp_path / "var", "restore", str(sqlite_demo["backup"]))
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    assert sqlite_contents(target) == changed

    forced = run(
        f"sqlite:///{target}", tmp_path / "var", "restore", "--force", str(sqlite_demo["backup"])
    )
    assert forced.returncode == 0, forced.stderr
    assert sqlite_contents(target) == sqlite_contents(sqlite_demo["source"])


@pytest.mark.parametrize("damage", ["not-a-backup", "truncated", "other-sqlite"])
def test_a_file_that_is_not_a_whole_backup_is_refused_and_changes_nothing(
    sqlite_demo, tmp_path, damage
):
    bad = tmp_path / "bad.backup"
    if damage == "not-a-backup":
        bad.write_text("name,email\nPriya,p@example.org\n")
    elif damage == "truncated":
        bad.write_bytes(sqlite_demo["backup"].read_bytes()[:100_000])
    else:
        other = sqlite3.connect(bad)
        other.execute("CREATE TABLE notes (body TEXT)")
        other.commit()
        other.close()
    target = tmp_path / "target.sqlite3"
    shutil.copy(sqlite_demo["source"], target)
    before = sqlite_contents(target)

    result = run(f"sqlite:///{target}", tmp_path / "var", "restore", "--force", str(bad))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(bad) in result.stderr
    assert any(
        words in result.stderr
        for words in ("not an inpractice backup", "damaged", "not an inpractice database")
    )
    assert sqlite_contents(target) == before


def test_a_backup_of_a_database_that_is_not_there_is_a_clear_error(tmp_path):
    result = run(
        f"sqlite:///{tmp_path / 'missing.sqlite3'}",
        tmp_path / "var",
        "backup",
        "--out",
        str(tmp_path / "x.backup"),
    )
    assert result.returncode == 1
    assert "nothing to back up" in result.stderr
    assert not (tmp_path / "x.backup").exists()
    assert not (tmp_path / "x.backup.partial").exists()


# --- PostgreSQL ------------------------------------------------------------------------------


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def needs_postgres(test):
    return pytest.mark.postgresql(
        pytest.mark.skipif(
            _postgres_url() is None
            or shutil.which("pg_dump") is None
            or shutil.which("psql") is None,
            reason="runs when DATABASE_URL is PostgreSQL and pg_dump and psql are installed",
        )(test)
    )


class ScratchDatabases:
    """Databases named after this process, created and always dropped by the test."""

    def __init__(self, url: str):
        self.config = dj_database_url.parse(url)
        self.names: list[str] = []

    def _admin(self):
        import psycopg

        c = self.config
        return psycopg.connect(
            host=c["HOST"] or None,
            port=c["PORT"] or None,
            user=c["USER"] or None,
            password=c["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )

    def create(self, suffix: str) -> str:
        name = f"inpractice_backup_{suffix}_{os.getpid()}"
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        c = self.config
        auth = c["USER"] + (f":{c['PASSWORD']}" if c["PASSWORD"] else "")
        return f"postgres://{auth}@{c['HOST']}:{c['PORT'] or 5432}/{name}"

    def drop_all(self) -> None:
        with self._admin() as admin:
            for name in self.names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def contents(self, url: str) -> dict:
        import psycopg

        with psycopg.connect(url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = sorted(row[0] for row in cursor.fetchall())
            if not tables:
                return {"counts": {}}
            return contents(cursor, tables)


@pytest.fixture
def scratch():
    databases = ScratchDatabases(_postgres_url())
    yield databases
    databases.drop_all()


@needs_postgres
def test_a_postgresql_backup_round_trip_loses_nothing(scratch, tmp_path):
    source = scratch.create("source")
    fresh = scratch.create("fresh")
    var = tmp_path / "var"
    assert run(source, var, "demo").returncode == 0
    backup = tmp_path / "demo.dump"
    made = run(source, var, "backup", "--out", str(backup))
    assert made.returncode == 0, made.stderr
    assert backup.read_bytes().startswith(b"PGDMP")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # pg_dump wrote into our 0600 file
    before = scratch.contents(source)
    assert before["counts"]["intake_submission"] == 165

    restored = run(fresh, var, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert scratch.contents(fresh) == before

    # Restoring again needs --force; a truncated archive then changes nothing at all.
    again = run(fresh, var, "restore", str(backup))
    assert again.returncode == 1 and "is not empty" in again.stderr
    truncated = tmp_path / "truncated.dump"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    broken = run(fresh, var, "restore", "--force", str(truncated))
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert scratch.contents(fresh) == before

    forced = run(fresh, var, "restore", "--force", str(backup))
    assert forced.returncode == 0, forced.stderr
    assert scratch.contents(fresh) == before


@needs_postgres
def test_a_sqlite_backup_is_refused_by_a_postgresql_database(scratch, sqlite_demo, tmp_path):
    empty = scratch.create("empty")
    result = run(empty, tmp_path / "var", "restore", str(sqlite_demo["backup"]))
    assert result.returncode == 1
    assert "SQLite backup but DATABASE_URL points to a PostgreSQL database" in result.stderr
    assert scratch.contents(empty)["counts"] == {}
