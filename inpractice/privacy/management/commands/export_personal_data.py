"""`inpractice privacy export --email E --out FILE`: a subject access export as JSON.

The file holds one person's personal data, so it is created readable by its owner only (0600),
the partial file included, before anything is written to it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand, private_file
from inpractice.privacy.erasure import subject_access_export
from inpractice.privacy.management.commands.erase_personal_data import email_or_error


class Command(InpracticeCommand):
    help = "Write everything held about one person to a JSON file (a subject access export)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True, help="Email address of the person.")
        parser.add_argument(
            "--out", required=True, type=Path, help="JSON file to write (never overwritten)."
        )

    def handle(self, *, email: str, out: Path, **options) -> None:
        email = email_or_error(email)
        if out.exists():
            raise CommandError(f"{out} already exists; choose a new file name")
        if not out.parent.is_dir():
            raise CommandError(f"the folder {out.parent} does not exist")
        data = subject_access_export(
            email, None, f"subject access export to {out.name} (command line)"
        )
        partial = out.with_name(out.name + ".part")
        try:
            with os.fdopen(private_file(partial), "w", encoding="utf-8") as fh:
                fh.write(json.dumps(data, indent=2, ensure_ascii=False))
            partial.replace(out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote {len(data['records'])} record(s) about {email} to {out}.")
