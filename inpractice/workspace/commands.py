"""Workspace commands for the `inpractice` CLI: retrain the coder on analysts' codes.

Big calls are retrained here rather than in a web request. Nothing touches the database at
import time; `inpractice.cli` adds every command in `COMMANDS`.
"""

from __future__ import annotations

import json

import click


@click.command("retrain")
@click.option("--call", "slug", required=True, help="Slug of the call.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print what changed as JSON.")
def retrain_command(slug: str, seed: int, as_json: bool) -> None:
    """Re-run the coder with people's accepted codes as training examples; say what changed."""
    from inpractice.cli import _call_or_exit, _django

    _django()
    from .retrain import RetrainError, retrain, training_set

    call = _call_or_exit(slug)
    data = training_set(call, texts=False)
    click.echo(
        f"Training on {data.size:,} passages ({sum(bool(r) for r in data.labels):,} with codes) "
        f"from run {data.run.pk if data.run else '-'}; trainable codes: "
        f"{', '.join(data.trainable) or 'none'}",
        err=True,
    )
    try:
        run = retrain(call, actor=None, seed=seed)
    except RetrainError as exc:
        raise click.ClickException(str(exc)) from None
    changes = run.parameters["what_changed"]
    if as_json:
        click.echo(json.dumps(changes, indent=2))
        return
    click.echo(f"Run {run.pk} replaces run {changes['previous_run']} as the latest analysis.")
    for row in changes["codes"]:
        click.echo(
            f"{row['code']:<8} passages {row['passages_before']:>6} -> {row['passages_after']:<6} "
            f"(+{row['gained']} -{row['lost']})  submissions {row['submissions_before']} -> "
            f"{row['submissions_after']}{'  [trained]' if row['trained'] else '  [zero-shot]'}"
        )


COMMANDS = [retrain_command]
