"""The `inpractice` command: one friendly front door to the project's management commands.

Each piece of work is a Django management command in the app that owns it (so `python
manage.py analyse --call demo` works as an operator expects); this module maps the friendly
names (`inpractice schools import`, `inpractice staff add`) onto those commands and passes the
arguments through untouched, so every option is defined once, in its command. `inpractice
manage ...` reaches any other Django command (showmigrations, shell, dbshell, createsuperuser).
`inpractice code` needs no database and calls the framework-free analysis core directly.

Errors a person can fix are printed as "Error: ..." with what to do and exit with
status 1 (usage mistakes exit with 2); nothing is half-written. Only `migrate` and `demo`
change the schema: every other command refuses to run while migrations are pending.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

# Friendly name -> management command. Groups ("schools import") are written with a space.
MANAGEMENT_COMMANDS: dict[str, str] = {
    "migrate": "migrate",
    "demo": "demo",
    "calls": "calls",
    "serve": "serve",
    "schools import": "import_schools",
    "submissions import": "import_submissions",
    "invitations remind": "remind_invitations",
    "snapshot": "snapshot",
    "analyse": "analyse",
    "export": "export_analysis",
    "retrain": "retrain",
    "report": "build_report",
    "staff add": "add_staff",
    "privacy apply-retention": "apply_retention",
    "privacy erase": "erase_personal_data",
    "privacy export": "export_personal_data",
    "worker": "worker",
    "jobs": "jobs",
    "backup": "backup",
    "restore": "restore",
}
GROUPS = {
    "schools": "The school register.",
    "submissions": "Submissions to a call.",
    "invitations": "Invitations to nominated schools.",
    "staff": "Staff accounts.",
    "privacy": "Personal data: retention, erasure and subject access requests (UK GDPR).",
}


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpractice.settings")
    import django

    django.setup()


def _command_class(name: str):
    """The management command object behind a friendly name (Django set up on first use)."""
    _django()
    from django.core.management import get_commands, load_command_class

    app = get_commands().get(name)
    if app is None:
        raise click.ClickException(f"no app provides the management command {name!r}")
    return load_command_class(app, name)


class ManagementCommand(click.Command):
    """A click command that hands its arguments, unparsed, to a Django management command, whose
    own parser gives the help, the validation and the error messages."""

    def __init__(self, friendly: str, command_name: str) -> None:
        super().__init__(
            friendly.split()[-1],
            context_settings={"ignore_unknown_options": True, "help_option_names": []},
            params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
            add_help_option=False,
        )
        self.friendly, self.command_name = friendly, command_name

    def get_short_help_str(self, limit: int = 45) -> str:
        text = getattr(_command_class(self.command_name), "help", "") or ""
        return text.split(". ")[0].strip().rstrip(".")[: max(limit, 80)]

    def invoke(self, ctx: click.Context) -> None:
        from django.core.management.base import CommandError, handle_default_options

        command = _command_class(self.command_name)
        # Django's run_from_argv, less its closing of every database connection: the command
        # may run inside a caller's transaction (tests, notebooks).
        command._called_from_command_line = True  # usage mistakes: argparse's message, exit 2
        parser = command.create_parser("inpractice", self.friendly)
        parsed = parser.parse_args(ctx.params["args"])
        handle_default_options(parsed)
        options = vars(parsed)
        positional = options.pop("args", ())
        try:
            command.execute(*positional, **options)
        except CommandError as exc:
            if options.get("traceback"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.returncode)


@click.group()
@click.version_option(package_name="inpractice")
def main() -> None:
    """Run a call for evidence on inclusive SEND practice, analyse it and publish it.

    Every command but `code` works on the database named by DATABASE_URL (SQLite at
    var/inpractice.sqlite3 by default). `inpractice COMMAND --help` describes each.
    """


def _add_management_commands() -> None:
    groups: dict[str, click.Group] = {}
    for friendly, command_name in MANAGEMENT_COMMANDS.items():
        *group_name, _ = friendly.split()
        parent = main
        if group_name:
            if group_name[0] not in groups:
                groups[group_name[0]] = click.Group(group_name[0], help=GROUPS[group_name[0]])
                main.add_command(groups[group_name[0]])
            parent = groups[group_name[0]]
        parent.add_command(ManagementCommand(friendly, command_name))


_add_management_commands()


@main.command(
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Any Django management command, e.g. `inpractice manage showmigrations`."""
    _django()
    from django.core.management import ManagementUtility

    ManagementUtility(["inpractice manage", *args]).execute()


@main.command()
@click.option(
    "--codebook",
    "codebook_source",
    default="default",
    show_default=True,
    help="'default' (the five principles) or a YAML/JSON codebook file.",
)
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help='JSONL, one {"id": ..., "text": ...} per line.',
)
@click.option(
    "--output", "output_path", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--train",
    "train_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help='Labelled JSONL: lines add "labels": [code ids].',
)
@click.option(
    "--level",
    type=click.Choice(["top", "all"]),
    default="top",
    show_default=True,
    help="Code top-level codes only, or sub-codes too.",
)
@click.option(
    "--embedder",
    default="static",
    show_default=True,
    help="static, transformer, or transformer:NAME_OR_PATH.",
)
def code(
    codebook_source: str,
    input_path: Path,
    output_path: Path,
    train_path: Path | None,
    level: str,
    embedder: str,
) -> None:
    """Code texts against a codebook; writes {"id", "labels", "scores", "model"} lines.

    Without --train, a codebook that ships a trained coder (the default five principles) is
    coded by it; any other codebook is coded zero-shot from its code descriptions.
    """
    from inpractice.analysis.codebook import CodebookError, load_codebook
    from inpractice.analysis.coder import Coder
    from inpractice.analysis.embeddings import EmbeddingError, load_embedder
    from inpractice.analysis.jsonl import JsonlError, read_records
    from inpractice.analysis.shipped import default_coder, model_in_words, model_name

    try:
        codebook = load_codebook(codebook_source)
        known = {c.id for c in (codebook.walk() if level == "all" else codebook.codes)}
        records = read_records(input_path)
        training = read_records(train_path, labelled=True, known_codes=known) if train_path else []
        loaded = load_embedder(embedder)
        if training:
            coder = Coder(codebook, embedder=loaded, level=level)
        else:
            coder = default_coder(codebook, embedder=loaded, level=level, passages=len(records))
    except (CodebookError, JsonlError, EmbeddingError) as exc:
        raise click.ClickException(str(exc)) from None
    if training:
        click.echo(f"Training on {len(training):,} labelled texts ...", err=True)
        try:
            coder.fit([r.text for r in training], [r.labels for r in training])
        except ValueError as exc:
            raise click.ClickException(f"{train_path}: {exc}") from None
    about = coder.describe()
    model = model_name(about)
    click.echo(f"Coder: {model_in_words(about)}", err=True)
    lines = []
    with click.progressbar(length=len(records), label="Coding", file=sys.stderr) as bar:
        for start in range(0, len(records), 2000):
            batch = records[start : start + 2000]
            probs = coder.predict_proba([r.text for r in batch])
            for record, row, labels in zip(batch, probs, coder.labels_from(probs), strict=True):
                scores = {c: round(float(p), 4) for c, p in zip(coder.code_ids, row, strict=True)}
                lines.append(
                    json.dumps(
                        {"id": record.id, "labels": labels, "scores": scores, "model": model}
                    )
                )
            bar.update(len(batch))
    # Write to a temporary file and rename, so a failure never leaves half an output file.
    partial = output_path.with_name(output_path.name + ".partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(output_path)
    click.echo(f"Coded {len(records):,} texts into {output_path}", err=True)


if __name__ == "__main__":
    main()
