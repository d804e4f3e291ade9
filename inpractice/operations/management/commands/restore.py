"""`inpractice restore FILE`: restore a backup, all or nothing (stop the service first)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand
from inpractice.operations.backup import BackupError, default_database, restore


class Command(InpracticeCommand):
    help = "Restore a backup made by `inpractice backup`, all or nothing (stop the service first)."
    # A restore replaces the schema with the backup's, into an empty database by default.
    needs_current_schema = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already has tables."
        )

    def handle(self, *, file: Path, force: bool, **options) -> None:
        try:
            database = default_database()
            summary = restore(database, file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored {file} into {database.describe()}.")
        self.stdout.write(f"It now holds {summary.describe()}.")
