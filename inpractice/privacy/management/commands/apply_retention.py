"""`inpractice privacy apply-retention`: erase contact details whose retention time has passed.

Meant to run on a schedule (daily is plenty); safe to run as often as you like.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from inpractice.commandline import InpracticeCommand
from inpractice.privacy.erasure import apply_retention


class Command(InpracticeCommand):
    help = "Erase contact details of calls whose retention time after the close has passed."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now",
            dest="now_text",
            default=None,
            help="Act as if it were this ISO 8601 time (with offset), e.g. to check a schedule.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be erased; change nothing."
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the result as JSON."
        )

    def handle(self, *, now_text: str | None, dry_run: bool, as_json: bool, **options) -> None:
        report = apply_retention(now=_moment(now_text), dry_run=dry_run)
        if as_json:
            self.stdout.write(json.dumps({"dry_run": dry_run, "calls": report}, indent=2))
            return
        if not report:
            self.stdout.write(
                "No call has a retention setting. Set one on the staff dashboard under "
                "'Privacy and personal data'."
            )
        for row in report:
            verb = "would erase" if dry_run else "erased"
            state = f"{verb} {row['erased']} record(s)" if row["due"] else "not due yet"
            self.stdout.write(f"{row['call']}: erase after {row['erase_after']}: {state}")


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--now: {text!r} is not an ISO 8601 time, like 2025-08-01T00:00:00+01:00",
            returncode=2,
        ) from None
    if timezone.is_naive(moment):
        raise CommandError("--now: give the time with its offset, like +01:00", returncode=2)
    return moment
