"""Back up and restore the whole database: `inpractice backup --out F`, `inpractice restore F`.

PostgreSQL backups are `pg_dump --format=custom` archives, restored through `pg_restore` into
`psql --single-transaction`, so a restore either completes or leaves the database as it was.
SQLite backups use SQLite's online backup API: a consistent copy even while the service writes,
restored into the target in one write transaction.

A restore refuses a database that already has tables unless `--force` (then it replaces
everything), and refuses a file that is not a backup of an `inpractice` database. Backup and
restore both print every table's row count and a checksum of the submissions, so an operator can
see that nothing was lost on the way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from inpractice.commandline import PRIVATE_MODE, private_file

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# A backup must hold this table: it tells an inpractice database from any other.
MARKER_TABLE = "django_migrations"
SUBMISSION_TABLE = "intake_submission"
COVERED_TABLE = "intake_coveredschool"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    """Where a database lives, taken from a Django DATABASES entry."""

    vendor: str  # "postgresql" or "sqlite"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    options: dict = field(default_factory=dict)

    @classmethod
    def from_settings(cls, entry: dict) -> Database:
        engine = entry["ENGINE"]
        if engine.endswith("sqlite3"):
            name = str(entry["NAME"])
            if name == ":memory:" or "mode=memory" in name:
                raise BackupError("an in-memory SQLite database cannot be backed up or restored")
            return cls("sqlite", name)
        if "postgresql" in engine:
            return cls(
                "postgresql",
                str(entry["NAME"]),
                str(entry.get("HOST") or ""),
                str(entry.get("PORT") or ""),
                str(entry.get("USER") or ""),
                str(entry.get("PASSWORD") or ""),
                dict(entry.get("OPTIONS") or {}),
            )
        raise BackupError(f"backups support PostgreSQL and SQLite, not {engine}")

    def describe(self) -> str:
        if self.vendor == "sqlite":
            return f"SQLite database {self.name}"
        where = f"{self.host or 'localhost'}:{self.port or 5432}"
        return f"PostgreSQL database {self.name!r} on {where}"

    # --- PostgreSQL access -------------------------------------------------------------------

    def pg_env(self) -> dict[str, str]:
        """Environment for pg_dump, pg_restore and psql (libpq reads these)."""
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGDATABASE", self.name),
            ("PGSSLMODE", str(self.options.get("sslmode", ""))),
        ):
            if value:
                env[key] = value
        return env

    @contextmanager
    def cursor(self) -> Iterator:
        """A DB-API cursor on this database, whichever engine; closed afterwards."""
        if self.vendor == "sqlite":
            connection = sqlite3.connect(f"file:{self.name}?mode=ro", uri=True, timeout=20)
        else:
            import psycopg

            connection = psycopg.connect(
                host=self.host or None,
                port=self.port or None,
                user=self.user or None,
                password=self.password or None,
                dbname=self.name,
                connect_timeout=10,
                **{k: v for k, v in self.options.items() if k == "sslmode"},
            )
        try:
            yield connection.cursor()
        finally:
            connection.close()

    def tables(self) -> list[str]:
        if self.vendor == "sqlite" and not Path(self.name).exists():
            return []
        with self.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            else:
                cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
                )
            return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class Summary:
    """What a database holds: every table's row count and a checksum of the submissions."""

    counts: dict[str, int]
    submissions_checksum: str

    def describe(self) -> str:
        rows = sum(self.counts.values())
        submissions = self.counts.get(SUBMISSION_TABLE, 0)
        covered = self.counts.get(COVERED_TABLE, 0)
        return (
            f"{len(self.counts)} tables, {rows:,} rows ({submissions:,} submissions, "
            f"{covered:,} covered schools); submissions checksum {self.submissions_checksum}"
        )


def summarise(database: Database) -> Summary:
    """Row counts of every table, and a SHA-256 over every submission and its covered schools."""
    tables = database.tables()
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    with database.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            counts[table] = int(cursor.fetchone()[0])
        for table, order in ((SUBMISSION_TABLE, "id"), (COVERED_TABLE, "submission_id, urn")):
            if table not in counts:
                continue
            columns = _columns(cursor, database.vendor, table)
            # Every column as text, so the checksum covers answers, times and references alike.
            select = ", ".join(f'CAST("{c}" AS TEXT)' for c in columns)
            cursor.execute(f'SELECT {select} FROM "{table}" ORDER BY {order}')  # noqa: S608
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return Summary(counts, digest.hexdigest()[:16])


def _columns(cursor, vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(f'PRAGMA table_info("{table}")')
        return [row[1] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


# --- checking a file -------------------------------------------------------------------------


def backup_kind(file: Path) -> str:
    """'postgresql' or 'sqlite' for a readable inpractice backup; BackupError otherwise."""
    if not file.is_file():
        raise BackupError(f"{file} does not exist or is not a file")
    with file.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(PG_MAGIC):
        listing = _run([_require("pg_restore"), "--list", str(file)], what="read the backup")
        if listing.returncode != 0:
            raise BackupError(
                f"{file} looks like a pg_dump archive but cannot be read "
                f"(it may be truncated): {_last_line(listing.stderr)}"
            )
        if f"TABLE DATA public {MARKER_TABLE}" not in listing.stdout:
            raise BackupError(f"{file} is a pg_dump archive, but not of an inpractice database")
        return "postgresql"
    if head == SQLITE_MAGIC:
        try:
            connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
            try:
                check = connection.execute("PRAGMA quick_check").fetchone()[0]
                tables = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
                names = {row[0] for row in tables}
            finally:
                connection.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{file} is a damaged SQLite file: {exc}") from None
        if check != "ok":
            raise BackupError(f"{file} is a damaged SQLite file: {check}")
        if MARKER_TABLE not in names:
            raise BackupError(f"{file} is an SQLite file, but not an inpractice database")
        return "sqlite"
    raise BackupError(
        f"{file} is not an inpractice backup (expected a pg_dump custom-format archive or an "
        "SQLite database made by `inpractice backup`)"
    )


# --- backup ----------------------------------------------------------------------------------


def backup(database: Database, out: Path) -> Summary:
    """Write a consistent backup of the database to `out` (replaced only once complete)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    if MARKER_TABLE not in database.tables():
        raise BackupError(f"{database.describe()} has no inpractice tables: nothing to back up")
    try:
        # A backup holds everyone's personal data: the file is made readable by its owner only
        # (0600) before anything is written. pg_dump and SQLite then write into that file (they
        # truncate an existing file, keeping its mode), and os.replace keeps it too.
        os.close(private_file(partial))
        if database.vendor == "postgresql":
            pg_dump = _require("pg_dump")
            result = _run(
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges", "-f", str(partial)],
                env=database.pg_env(),
                what="run pg_dump",
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {_last_line(result.stderr)}")
        else:
            source = sqlite3.connect(f"file:{database.name}?mode=ro", uri=True, timeout=20)
            target = sqlite3.connect(partial)
            try:
                # The online backup API copies a consistent snapshot while others keep writing.
                source.backup(target)
                # One self-contained file: no -wal/-shm companions when the backup is opened.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
                source.close()
        backup_kind(partial)
        os.chmod(partial, PRIVATE_MODE)  # in case a tool made the file again
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return summarise(database)


# --- restore ---------------------------------------------------------------------------------


def restore(database: Database, file: Path, force: bool = False) -> Summary:
    """Replace the database's contents with the backup's, all or nothing."""
    kind = backup_kind(file)
    if kind != database.vendor:
        raise BackupError(
            f"{file} is a {_vendor_name(kind)} backup but DATABASE_URL points to a "
            f"{_vendor_name(database.vendor)} database; restore it into {_vendor_name(kind)}"
        )
    existing = database.tables()
    if existing and not force:
        raise BackupError(
            f"{database.describe()} is not empty ({len(existing)} tables); restoring would "
            "replace everything in it. Point DATABASE_URL at an empty database, or add --force."
        )
    if kind == "postgresql":
        _restore_postgresql(database, file, replace=bool(existing))
    else:
        _restore_sqlite(database, file)
    return summarise(database)


def _restore_postgresql(database: Database, file: Path, replace: bool) -> None:
    pg_restore, psql = _require("pg_restore"), _require("psql")
    env = database.pg_env()
    # pg_restore turns the archive into SQL, streamed into psql inside one transaction that is
    # committed only once pg_restore has finished cleanly: a truncated archive or any failing
    # statement leaves the database exactly as it was.
    with tempfile.TemporaryFile() as dump_err, tempfile.TemporaryFile() as load_err:
        load = subprocess.Popen(  # noqa: S603 - fixed argument list
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=load_err,
            env=env,
        )
        dump = subprocess.Popen(  # noqa: S603 - fixed argument list
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(file)],
            stdout=subprocess.PIPE,
            stderr=dump_err,
            env=env,
        )
        try:
            load.stdin.write(b"BEGIN;\n")
            if replace:
                load.stdin.write(
                    b"DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; "
                    b"GRANT USAGE ON SCHEMA public TO PUBLIC;\n"
                )
            while chunk := dump.stdout.read(1 << 16):
                load.stdin.write(chunk)
            if dump.wait() == 0:
                load.stdin.write(b"COMMIT;\n")
            load.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error; its message is read below
        finally:
            dump.kill() if dump.poll() is None else None
            dump.wait()
            load.wait()
        dump_err.seek(0)
        load_err.seek(0)
        dump_message = dump_err.read().decode(errors="replace")
        load_message = load_err.read().decode(errors="replace")
    if dump.returncode != 0:
        raise BackupError(
            f"pg_restore could not read {file} ({_last_line(dump_message)}); nothing was "
            f"changed in {database.describe()}"
        )
    if load.returncode != 0:
        raise BackupError(
            f"the restore failed and was rolled back, so {database.describe()} is unchanged: "
            f"{_last_line(load_message)}"
        )


def _restore_sqlite(database: Database, file: Path) -> None:
    Path(database.name).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    target = sqlite3.connect(database.name, timeout=20)
    try:
        # All pages in one step: one write transaction on the target, so all or nothing.
        source.backup(target, pages=-1)
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"the restore failed, so {database.describe()} is unchanged: {exc}"
        ) from None
    finally:
        target.close()
        source.close()


# --- helpers ---------------------------------------------------------------------------------


def _vendor_name(vendor: str) -> str:
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[vendor]


def _require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} is not installed; install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client)"
        )
    return path


def _run(args: list[str], what: str, env: dict | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(  # noqa: S603 - fixed argument list
            args, capture_output=True, text=True, env=env, check=False
        )
    except OSError as exc:
        raise BackupError(f"could not {what}: {exc}") from None


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def default_database() -> Database:
    """The database Django is configured to use."""
    from django.conf import settings

    return Database.from_settings(settings.DATABASES["default"])
