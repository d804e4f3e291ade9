"""`inpractice export --call SLUG --format F --out FILE`: a call's analysis for other tools."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from inpractice.coding.exports import ExportError, write_export
from inpractice.commandline import InpracticeCommand
from inpractice.intake.commandline import call_or_error


class Command(InpracticeCommand):
    help = (
        "Export a call's current analysis run: REFI-QDA project or codebook, or codings as "
        "CSV/XLSX."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--call", dest="slug", required=True, help="Slug of the call.")
        parser.add_argument(
            "--format", dest="fmt", required=True, choices=["qdpx", "qdc", "csv", "xlsx"]
        )
        parser.add_argument("--out", required=True, type=Path, help="File to write.")

    def handle(self, *, slug: str, fmt: str, out: Path, **options) -> None:
        try:
            count = write_export(call_or_error(slug), fmt, out)
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        what = "the codebook" if fmt == "qdc" else f"{count:,} codings"
        self.progress(f"Wrote {out} ({what}).")
