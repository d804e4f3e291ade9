"""`inpractice submissions import FILE --call SLUG --mapping MAP.yaml`: survey-tool responses."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand
from inpractice.intake.commandline import call_or_error
from inpractice.intake.importer import SubmissionImportError, import_submissions


class Command(InpracticeCommand):
    help = "Import responses exported from a survey tool (CSV or XLSX), all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The CSV or XLSX export.")
        parser.add_argument(
            "--call", dest="slug", required=True, help="Slug of the call the responses belong to."
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            required=True,
            help="YAML file mapping the export's columns to submission fields.",
        )

    def handle(self, *, file: Path, slug: str, mapping: Path, **options) -> None:
        call = call_or_error(slug)
        try:
            report = import_submissions(file, call=call, mapping_file=mapping)
        except SubmissionImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())
