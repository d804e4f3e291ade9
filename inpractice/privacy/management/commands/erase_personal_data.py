"""`inpractice privacy erase --email E`: erase one person's contact details everywhere."""

from __future__ import annotations

from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand
from inpractice.privacy.erasure import ErasureError, erase, find, normalise_email


def email_or_error(text: str) -> str:
    try:
        return normalise_email(text)
    except ValueError as exc:
        raise CommandError(f"--email: {exc}", returncode=2) from None


class Command(InpracticeCommand):
    help = "Erase one person's contact details everywhere and delete their unsent drafts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True, help="Email address of the person.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *, email: str, yes: bool, **options) -> None:
        email = email_or_error(email)
        found = find(email)
        for place in found.places:
            self.stdout.write(f"As {place['describe']}: {place['count']} record(s)")
        if not found.total:
            self.stdout.write(f"No contact details are held for {email}; nothing to erase.")
            return
        if not yes:
            self.stdout.write(
                f"Erase {found.total} record(s) for {email}? This cannot be undone [y/N]: ",
                ending="",
            )
            self.stdout.flush()
            answer = input().strip().lower()
            if answer not in ("y", "yes"):
                raise CommandError("Aborted: nothing was erased.")
        try:
            result = erase(email, None, "erasure (command line)")
        except ErasureError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Erased contact details in {sum(result.blanked.values())} record(s) and deleted "
            f"{result.drafts_deleted} unsent draft(s) for {email}."
        )
