"""`inpractice staff add EMAIL --role ROLE`: create a staff account, or reset its password."""

from __future__ import annotations

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from inpractice.accounts.roles import StaffAccountError, add_staff
from inpractice.commandline import InpracticeCommand

ROLES = ["programme-admin", "analyst", "lead-analyst", "moderator"]
PASSWORD_VARIABLE = "INPRACTICE_STAFF_PASSWORD"  # noqa: S105 - a variable name, not a password


class Command(InpracticeCommand):
    help = "Create a staff account, or reset its password and add the role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The person's email address (their sign-in name).")
        parser.add_argument("--role", choices=ROLES, default="programme-admin")
        parser.add_argument(
            "--password",
            help=f"Or set {PASSWORD_VARIABLE}; asked for (twice) when neither is given. "
            "A password on the command line is visible to other users of the machine.",
        )

    def handle(self, *, email: str, role: str, password: str | None, **options) -> None:
        password = password or os.environ.get(PASSWORD_VARIABLE) or self._ask_for_password()
        try:
            created = add_staff(email, role, password)
        except (StaffAccountError, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("; ".join(messages)) from None
        self.stdout.write(f"{'Created' if created else 'Updated'} {email} with role {role}.")

    def _ask_for_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"give the password with --password or {PASSWORD_VARIABLE}")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Repeat for confirmation: "):
            raise CommandError("the two passwords differ; nothing was changed")
        return first
