"""`inpractice jobs`: list a call's jobs, queue an analysis, cancel or retry a job."""

from __future__ import annotations

from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand


class Command(InpracticeCommand):
    help = "List background jobs; queue an analysis of a call; cancel or retry a job."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="The newest jobs (of one call with --call).")
        listing.add_argument("--call", dest="slug", default=None)
        analyse = sub.add_parser("analyse", help="Queue an analysis of a call for a worker.")
        analyse.add_argument("--call", dest="slug", required=True)
        for name in ("cancel", "retry"):
            one = sub.add_parser(name, help=f"{name.capitalize()} a job.")
            one.add_argument("job_id", type=int)

    def handle(self, *, action: str, **options) -> None:
        from inpractice.intake.commandline import call_or_error
        from inpractice.jobs import service
        from inpractice.jobs.models import Job

        try:
            if action == "list":
                service.reap_stale()
                jobs = Job.objects.select_related("call")
                if options.get("slug"):
                    jobs = jobs.filter(call=call_or_error(options["slug"]))
                for job in jobs[:50]:
                    progress = f" {job.stage} {job.done}/{job.total}" if job.total else ""
                    where = job.call.slug if job.call else "-"
                    line = f"{job.pk}\t{job.kind}\t{where}\t{job.status}{progress}"
                    self.stdout.write(line + (f"\t{job.error}" if job.error else ""))
            elif action == "analyse":
                job = service.start("analyse", call=call_or_error(options["slug"]))
                self.stdout.write(f"Queued job {job.pk}: a worker (`inpractice worker`) runs it.")
            else:
                job = Job.objects.filter(pk=options["job_id"]).first()
                if job is None:
                    raise CommandError(f"there is no job {options['job_id']}.")
                if action == "cancel":
                    service.cancel(job)
                    self.stdout.write(f"Cancelled job {job.pk}.")
                else:
                    new = service.retry(job)
                    self.stdout.write(f"Queued job {new.pk}, a retry of job {job.pk}.")
        except service.JobError as exc:
            raise CommandError(str(exc)) from None
