"""Files holding personal data are created readable by their owner only (0600), before any byte
is written: backups (`inpractice backup`) and subject access exports (`inpractice privacy
export`), their partial files included, whatever the umask.

The whole round trips, as an operator runs them, are in tests/test_backup.py (which checks the
modes of real backups on SQLite and PostgreSQL) and tests/privacy/test_erasure_and_export.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from inpractice.commandline import private_file
from inpractice.operations import backup as backup_module
from inpractice.operations.backup import Database, backup


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@contextmanager
def umask(value: int):
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_private_file_is_0600_whatever_the_umask(tmp_path):
    path = tmp_path / "secret"
    with umask(0):
        fd = private_file(path)
    os.close(fd)
    assert mode(path) == 0o600
    assert path.stat().st_size == 0


def test_a_private_file_replaces_a_wider_file_and_never_follows_a_link(tmp_path):
    stale = tmp_path / "stale.part"
    stale.write_text("old")
    stale.chmod(0o644)
    os.close(private_file(stale))
    assert mode(stale) == 0o600 and stale.read_text() == ""

    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("not to be touched")
    link = tmp_path / "link.part"
    link.symlink_to(elsewhere)
    os.close(private_file(link))
    assert not link.is_symlink() and mode(link) == 0o600
    assert elsewhere.read_text() == "not to be touched"


def small_database(path: Path) -> Database:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT)")
    connection.execute("CREATE TABLE intake_submission (id INTEGER PRIMARY KEY, email TEXT)")
    connection.execute("INSERT INTO intake_submission (email) VALUES ('jo@example.org')")
    connection.commit()
    connection.close()
    return Database(vendor="sqlite", name=str(path))


def test_a_sqlite_backup_and_its_partial_file_are_0600_before_any_data(tmp_path, monkeypatch):
    database = small_database(tmp_path / "db.sqlite3")
    out = tmp_path / "backups" / "db.backup"
    partial = out.with_name(out.name + ".partial")
    seen = {}
    real_connect = sqlite3.connect

    def spy(target, *args, **kwargs):
        if str(target) == str(partial):
            # The moment SQLite opens the partial file to write the copy into it.
            seen["mode"], seen["size"] = mode(partial), partial.stat().st_size
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(backup_module.sqlite3, "connect", spy)
    with umask(0):  # the widest umask: every file would be world-readable by default
        backup(database, out)
    assert seen == {"mode": 0o600, "size": 0}
    assert mode(out) == 0o600
    assert not partial.exists()


@dataclass
class Done:
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""


def test_a_postgresql_backup_is_written_into_a_0600_file(tmp_path, monkeypatch):
    """pg_dump is given a file that already exists with mode 0600: it truncates and writes it,
    keeping the mode (the real pg_dump is run in tests/test_backup.py)."""
    out = tmp_path / "db.dump"
    partial = out.with_name(out.name + ".partial")
    seen = {}

    def fake_run(args, what, env=None):
        if "--list" in args:  # pg_restore --list, checking the archive
            return Done(stdout="TABLE DATA public django_migrations")
        seen["mode"], seen["size"] = mode(partial), partial.stat().st_size
        with open(partial, "wb") as fh:  # as pg_dump does: fopen(..., "wb")
            fh.write(b"PGDMP" + b"\x00" * 100)
        return Done()

    monkeypatch.setattr(backup_module, "_require", lambda program: program)
    monkeypatch.setattr(backup_module, "_run", fake_run)
    monkeypatch.setattr(Database, "tables", lambda self: ["django_migrations"])
    monkeypatch.setattr(backup_module, "summarise", lambda database: None)
    with umask(0):
        backup(Database(vendor="postgresql", name="inpractice"), out)
    assert seen == {"mode": 0o600, "size": 0}
    assert mode(out) == 0o600


@pytest.mark.django_db
def test_a_subject_access_export_is_0600_and_so_is_its_partial_file(tmp_path, monkeypatch):
    from django.core.management import call_command

    from inpractice.privacy.management.commands import export_personal_data

    out = tmp_path / "jo.json"
    seen = {}
    real_fdopen = os.fdopen

    def spy(fd, *args, **kwargs):
        seen["mode"] = stat.S_IMODE(os.fstat(fd).st_mode)
        seen["size"] = os.fstat(fd).st_size
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(export_personal_data.os, "fdopen", spy)
    with umask(0):
        call_command("export_personal_data", email="jo@example.org", out=out)
    assert seen == {"mode": 0o600, "size": 0}
    assert mode(out) == 0o600
    assert json.loads(out.read_text())["records"] == []
    assert not out.with_name(out.name + ".part").exists()
