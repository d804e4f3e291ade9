"""`inpractice demo`: load the demo call, analyse it once, publish its report's first edition
and demo case studies, and make a staff sign-in (docs/demo.md). Idempotent: a second run
changes nothing.

Like `migrate`, and unlike every other command, it brings the schema up to date first, so that
`inpractice demo` on a fresh checkout is all it takes to try the product.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand
from inpractice.demo.library import publish_demo_case_studies
from inpractice.demo.loader import load_demo
from inpractice.demo.steps import (
    DEMO_ADMIN,
    analyse_demo_once,
    demo_staff_account,
    publish_demo_edition,
)
from inpractice.schools.importer import RegisterImportError


def check_register_file(path: Path) -> None:
    """Stop before anything is written unless `--schools` names a file that can be read."""
    if not path.exists():
        problem = "does not exist"
    elif path.is_dir():
        problem = "is a directory"
    elif not os.access(path, os.R_OK):
        problem = "is not readable"
    else:
        return
    # A usage mistake: exit status 2, as for any other bad option.
    raise CommandError(
        f"Invalid value for '--schools': File {str(path)!r} {problem}.", returncode=2
    )


class Command(InpracticeCommand):
    help = "Load the demo call (idempotent): a closed call shaped like the real 2025 one."
    # It migrates first, so it runs on an empty or out-of-date database.
    needs_current_schema = False

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--schools",
            dest="register",
            type=Path,
            metavar="FILE",
            help="A GIAS CSV to use as the school register instead of the synthetic one.",
        )

    def handle(self, *, register: Path | None = None, **options) -> None:
        if register is not None:
            check_register_file(register)
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)  # the cache table too
        try:
            report = load_demo(register_file=register, progress=self.progress)
        except RegisterImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())

        run = analyse_demo_once(progress=self.progress)
        if run is not None:
            passages = run.counts.get("passages", 0)
            self.stdout.write(f"  analysis run {run.pk}: {passages} passages coded")

        edition = publish_demo_edition(progress=self.progress)
        if edition is not None:
            self.stdout.write(f"  report edition {edition.number} published")

        published = publish_demo_case_studies(progress=self.progress)
        if published:
            self.stdout.write(f"  case studies published in the library:  {published}")

        password = demo_staff_account()
        if password:
            self.stdout.write(
                f"Staff sign-in for the demo: {DEMO_ADMIN} / {password} (shown once; reset it "
                f"with `inpractice staff add {DEMO_ADMIN}`)."
            )
