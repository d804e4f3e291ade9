"""`inpractice worker`: run queued jobs (analysis, retraining) until stopped.

A worker is django-tasks' database worker (ADR 16) on the same database as the web server, so
any machine that can reach the database can run one (docs/workers.md). Several may run at once:
each job is claimed by one. `--batch` runs what is queued and exits (for cron or tests).
"""

from __future__ import annotations

import socket

from django.utils.crypto import get_random_string

from inpractice.commandline import InpracticeCommand


class Command(InpracticeCommand):
    help = "Run queued background jobs (analyses, retraining) until stopped (Ctrl+C)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between looks for work when the queue is empty (default 1).",
        )
        parser.add_argument("--batch", action="store_true", help="Run every queued job, then exit.")
        parser.add_argument(
            "--max-jobs", type=int, default=None, help="Exit after running this many jobs."
        )
        parser.add_argument("--worker-id", default="", help="A name unique among your workers.")

    def handle(self, *, interval: float, batch: bool, max_jobs, worker_id: str, **options):
        from django_tasks_db.management.commands.db_worker import Worker

        from inpractice.jobs.service import reap_stale

        for job in reap_stale():
            self.stderr.write(f"Job {job.pk} lost its worker and is marked failed: {job.error}")
        worker_id = (worker_id or f"{socket.gethostname()}-{get_random_string(8)}")[:64]
        if options["verbosity"] >= 1:
            self.stdout.write(f"Worker {worker_id} is waiting for jobs (Ctrl+C to stop).")
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_jobs,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        worker.run()
