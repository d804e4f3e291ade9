"""`inpractice report --call SLUG --out DIR`: a call's insights report as HTML and a tagged PDF."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand
from inpractice.intake.commandline import call_or_error
from inpractice.intake.models import WindowState


class Command(InpracticeCommand):
    help = "Write the insights report of an analysed call: report.html and a tagged PDF."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--call", dest="slug", required=True, help="Slug of the call.")
        parser.add_argument(
            "--out",
            required=True,
            type=Path,
            help="Folder to write report.html (with its CSS files) and report.pdf into.",
        )
        parser.add_argument(
            "--audience",
            choices=["public", "staff"],
            default="public",
            help="public (the default): only approved quotes, signed-off themes and checked "
            "names. staff: also what still awaits review.",
        )

    def handle(self, *, slug: str, out: Path, audience: str, **options) -> None:
        from inpractice.reports.build import ReportError, write_report

        call = call_or_error(slug)
        if call.state() != WindowState.CLOSED:
            self.progress(
                f"Note: the call {slug!r} is still {call.state().label.lower()}; this report is "
                "a preview and its figures will change."
            )
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} is a file; give a folder to write the report into")
        try:
            written = write_report(call, out, audience=audience, progress=self.progress)
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"could not write the report into {out}: {exc}") from None
        self.progress(f"Wrote {written.html} and {written.pdf}.")
        result = {
            "html": str(written.html),
            "pdf": str(written.pdf),
            "seconds": {k: round(v, 3) for k, v in written.seconds.items()},
        }
        self.stdout.write(json.dumps(result, indent=2))
