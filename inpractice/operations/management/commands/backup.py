"""`inpractice backup --out FILE`: back up the whole database (safe while the service runs)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand
from inpractice.operations.backup import BackupError, backup, default_database


class Command(InpracticeCommand):
    help = "Back up the whole database (safe while the service runs)."
    # A backup copies whatever is there, whichever version made it.
    needs_current_schema = False

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--out",
            required=True,
            type=Path,
            help="File to write (pg_dump custom format on PostgreSQL, an SQLite file on SQLite).",
        )

    def handle(self, *, out: Path, **options) -> None:
        try:
            database = default_database()
            summary = backup(database, out)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Backed up {database.describe()} to {out} ({out.stat().st_size:,} bytes)."
        )
        self.stdout.write(f"It holds {summary.describe()}.")
