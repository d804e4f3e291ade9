"""`inpractice invitations remind --call SLUG [--days N]`: remind invited schools before the close.

Never reminds a school that has submitted (through its link, or from the contact's address), one
whose invitation was withdrawn, or one invited or reminded in the last N days. Schedule it (for
example weekly, and two days before the close); running it twice in a row sends nothing new.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand
from inpractice.intake.commandline import call_or_error
from inpractice.intake.invitations import send_reminders


class Command(InpracticeCommand):
    help = "Email a reminder to invited schools that have not submitted yet."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--call", dest="slug", required=True, help="Slug of the call.")
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="Skip anyone invited or reminded in the last N days (default 7).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would be reminded; send nothing."
        )

    def handle(self, *, slug: str, days: int, dry_run: bool, **options) -> None:
        if days < 1:
            raise CommandError("--days must be 1 or more")
        call = call_or_error(slug)
        if not call.is_open():
            raise CommandError(
                f"the call {slug!r} is not open, so there is nothing to remind anyone about"
            )
        if not settings.SITE_URL and not dry_run:
            raise CommandError(
                "set SITE_URL (the service's public address, e.g. https://inpractice.example.org) "
                "so that the link in each reminder is complete"
            )
        found = send_reminders(call, days, dry_run=dry_run)
        verb = "would remind" if dry_run else "reminded"
        done = len(found.due) if dry_run else found.sent
        self.stdout.write(
            f"{verb} {done}; not reminded: {found.submitted} submitted, {found.recent} invited or "
            f"reminded in the last {days} days, {found.no_address} without an email address"
        )
        if found.failed:
            raise CommandError(
                f"{found.failed} reminders could not be emailed (see the log); run again later"
            )
