"""`inpractice retrain --call SLUG`: re-run the coder trained on analysts' codes.

Big calls are retrained here rather than in a web request.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from inpractice.coding import runs
from inpractice.commandline import InpracticeCommand
from inpractice.intake.commandline import call_or_error
from inpractice.workspace.retrain import RetrainError, retrain, training_set


class Command(InpracticeCommand):
    help = "Re-run the coder with people's accepted codes as training examples; say what changed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--call", dest="slug", required=True, help="Slug of the call.")
        parser.add_argument("--seed", default=0, type=int, help="Random seed (default 0).")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print what changed as JSON."
        )
        parser.add_argument(
            "--promote",
            action="store_true",
            help="Make the retrained run the call's current run at once (otherwise a lead "
            "analyst promotes it in the workspace after seeing what changed).",
        )

    def handle(self, *, slug: str, seed: int, as_json: bool, promote: bool, **options) -> None:
        call = call_or_error(slug)
        data = training_set(call, texts=False)
        self.progress(
            f"Training on {data.size:,} passages ({sum(bool(r) for r in data.labels):,} with "
            f"codes) from run {data.run.pk if data.run else '-'}; trainable codes: "
            f"{', '.join(data.trainable) or 'none'}"
        )
        try:
            run = retrain(call, actor=None, seed=seed)
        except RetrainError as exc:
            raise CommandError(str(exc)) from None
        changes = run.parameters["what_changed"]
        if promote and not runs.is_current(run):
            # Through coding's promote: the workspace's receiver carries theme sign-offs and
            # records the event, as the promotion page does.
            runs.promote(run, None, note="inpractice retrain --promote")
        self.progress(runs.current_note(run))
        if as_json:
            self.stdout.write(json.dumps(changes, indent=2))
            return
        self.stdout.write(
            f"Run {run.pk} compared with run {changes['previous_run']} (the current run when it "
            "started)."
        )
        for row in changes["codes"]:
            self.stdout.write(
                f"{row['code']:<8} passages {row['passages_before']:>6} -> "
                f"{row['passages_after']:<6} (+{row['gained']} -{row['lost']})  submissions "
                f"{row['submissions_before']} -> {row['submissions_after']}"
                f"{'  [trained]' if row['trained'] else '  [zero-shot]'}"
            )
