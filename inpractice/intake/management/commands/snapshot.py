"""`inpractice snapshot --call SLUG`: submissions received and unique schools represented."""

from __future__ import annotations

import json

from inpractice.commandline import InpracticeCommand
from inpractice.intake.commandline import call_or_error
from inpractice.intake.coverage import snapshot


class Command(InpracticeCommand):
    help = "Submissions received and unique schools represented, by route."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--call", dest="slug", required=True, help="Slug of the call.")
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print JSON.")

    def handle(self, *, slug: str, as_json: bool, **options) -> None:
        figures = snapshot(call_or_error(slug)).as_dict()
        if as_json:
            self.stdout.write(json.dumps(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key.replace('_', ' ')}: {value:,}")
