"""`inpractice analyse --call SLUG`: code, find themes, mentions and quotes, and store the run."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from inpractice.commandline import InpracticeCommand
from inpractice.intake.commandline import call_or_error


class Command(InpracticeCommand):
    help = (
        "Segment, code, find themes, mentions and quotes for a call's submissions, and store them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--call", dest="slug", required=True, help="Slug of the call.")
        parser.add_argument(
            "--embedder",
            default="static",
            help="static (the default), transformer, or transformer:NAME_OR_PATH.",
        )
        parser.add_argument("--seed", default=0, type=int, help="Random seed (default 0).")
        parser.add_argument(
            "--promote",
            action="store_true",
            help="Make the new run the call's current run at once (otherwise a lead analyst "
            "promotes it in the workspace after seeing what changed).",
        )

    def handle(self, *, slug: str, embedder: str, seed: int, promote: bool, **options) -> None:
        from inpractice.coding import runs
        from inpractice.coding.runner import run_analysis

        call = call_or_error(slug)

        def progress(stage: str, done: int, total: int) -> None:
            self.progress(
                f"\r{stage.capitalize()}: {done:,} of {total:,}",
                ending="\n" if done >= total else "",
            )

        try:
            run = run_analysis(call, embedder=embedder, seed=seed, progress=progress)
        except Exception as exc:  # the run row records it too
            raise CommandError(f"the analysis failed: {exc}") from None
        if promote and not runs.is_current(run):
            runs.promote(run, None, note="inpractice analyse --promote")
        current = runs.current_run(call)
        self.progress(runs.current_note(run))
        summary = {
            "run": run.pk,
            "status": run.status,
            "current": current is not None and current.pk == run.pk,
            "current_run": current.pk if current else None,
            "seconds": round(sum(run.timings.values()), 2),
            "counts": run.counts,
            "timings": run.timings,
        }
        self.stdout.write(json.dumps(summary, indent=2))
