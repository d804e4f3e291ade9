"""What every `inpractice` management command shares: it refuses to run on an out-of-date schema.

Only `migrate` and `demo` change the schema. Every other command checks first and stops with a
message that says what to run, rather than migrating a production database as a side effect of,
say, an export. Commands that write personal data to a file (backups, subject access exports)
create it with `private_file`, readable by its owner only.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

PRIVATE_MODE = 0o600


def private_file(path: Path) -> int:
    """Create `path` afresh, readable and writable by its owner only (0600), and return an open
    file descriptor for writing.

    The mode is set as the file is created, before any byte is written, whatever the umask: a
    file made with open() and chmod-ed afterwards is readable by others in between. An existing
    file or link at `path` is removed first (never followed), so a stale partial file cannot keep
    a wider mode.
    """
    path = Path(path)
    path.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, PRIVATE_MODE)
    os.fchmod(fd, PRIVATE_MODE)  # os.open's mode is narrowed by the umask, never widened
    return fd


def pending_migrations(database: str = DEFAULT_DB_ALIAS) -> tuple[list[str], bool]:
    """'app.migration' for each migration not applied yet, and whether any has been applied."""
    executor = MigrationExecutor(connections[database])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    return pending, bool(executor.loader.applied_migrations)


def ensure_schema_current(database: str = DEFAULT_DB_ALIAS) -> None:
    """Raise CommandError, naming what to do, unless every migration has been applied."""
    try:
        pending, started = pending_migrations(database)
    except DatabaseError as exc:
        raise CommandError(
            f"could not open the database ({_describe(database)}): {exc}. Check DATABASE_URL."
        ) from None
    if not pending:
        return
    if not started:
        raise CommandError(
            "the database has no inpractice tables yet: run `inpractice migrate` first (or "
            "`inpractice demo` to load the demo call)."
        )
    shown = ", ".join(pending[:3]) + (f" and {len(pending) - 3} more" if len(pending) > 3 else "")
    raise CommandError(
        f"the database schema is behind this version of inpractice ({len(pending)} migration(s) "
        f"not applied: {shown}). Back it up, then run `inpractice migrate`."
    )


def _describe(database: str) -> str:
    """Where the database is, without its password."""
    settings = connections[database].settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {settings['NAME']}"
    return f"{settings['NAME']} on {settings.get('HOST') or 'localhost'}"


class InpracticeCommand(BaseCommand):
    """A management command that refuses to run until every migration has been applied."""

    # Commands that work on whatever schema is there (backup, restore into an empty database)
    # set this to False.
    needs_current_schema = True
    # Django's system checks import every view (and with them Presidio, spaCy and
    # scikit-learn: over two seconds) to check the URLs; a data command has no use for that.
    # `migrate`, `serve` and `manage check` still run them.
    requires_system_checks: list[str] | str = []

    def execute(self, *args, **options):
        if self.needs_current_schema:
            ensure_schema_current()
        return super().execute(*args, **options)

    def progress(self, message: str, ending: str = "\n") -> None:
        """Progress and notes go to stderr, so stdout stays clean for JSON and summaries."""
        self.stderr.write(message, style_func=lambda text: text, ending=ending)
