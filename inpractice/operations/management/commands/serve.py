"""`inpractice serve`: the web service under gunicorn, as in production."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command

from inpractice.commandline import InpracticeCommand


class Command(InpracticeCommand):
    help = "Start the web service with gunicorn (as in production)."
    requires_system_checks = "__all__"  # a misconfigured site should not start

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Default 127.0.0.1.")
        parser.add_argument("--port", default=8000, type=int, help="Default 8000.")
        parser.add_argument("--workers", default=2, type=int, help="Default 2.")

    def handle(self, *, host: str, port: int, workers: int, **options) -> None:
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.progress(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
        # Replace this process with gunicorn so signals (Ctrl+C, SIGTERM) reach it directly.
        os.execvp(  # noqa: S606 - fixed argument list, no shell
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "inpractice.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                "--timeout",
                "60",
            ],
        )
