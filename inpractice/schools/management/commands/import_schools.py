"""`inpractice schools import FILE`: import or update the school register from a GIAS CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand
from inpractice.schools.importer import RegisterImportError, import_register


class Command(InpracticeCommand):
    help = "Import or update schools from a GIAS CSV (full 139-column export or urn,name,... form)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The GIAS CSV file.")

    def handle(self, *, file: Path, **options) -> None:
        try:
            report = import_register(file)
        except RegisterImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())
