"""The `inpractice` command line: one entry point for loading data, serving, and reporting.

Each subcommand is a thin shell around a function in the owning app, so the same work can be
done from tests, notebooks or a worker. Errors a person can fix are printed as "Error: ..." with
what to do, and exit with status 1 (usage mistakes exit with 2); nothing is half-written.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpractice.settings")
    import django

    django.setup()


def _prepare_database() -> None:
    """Create or update the schema and cache table; safe to run every time."""
    from django.conf import settings
    from django.core.management import call_command

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)


def _call_or_exit(slug: str):
    from inpractice.intake.models import CallForEvidence

    try:
        return CallForEvidence.objects.get(slug=slug)
    except CallForEvidence.DoesNotExist:
        known = ", ".join(CallForEvidence.objects.values_list("slug", flat=True)) or "none"
        raise click.ClickException(
            f"there is no call with the slug {slug!r} (calls: {known}). Run `inpractice demo` "
            "to load the demo call."
        ) from None


@click.group()
@click.version_option(package_name="inpractice")
def main() -> None:
    """Run a call for evidence on inclusive SEND practice, analyse it and publish it."""


@main.command()
def migrate() -> None:
    """Create or update the database schema."""
    _django()
    _prepare_database()
    click.echo("Database is up to date.")


@main.command()
@click.option(
    "--schools",
    "register",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A GIAS CSV to use as the school register instead of the synthetic one.",
)
def demo(register: Path | None) -> None:
    """Load the demo call (idempotent): a closed call shaped like the real 2025 one."""
    _django()
    _prepare_database()
    from inpractice.intake.demo import load_demo
    from inpractice.schools.importer import RegisterImportError

    try:
        report = load_demo(register_file=register, progress=lambda msg: click.echo(msg, err=True))
    except RegisterImportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.summary())
    _analyse_demo_once()
    from inpractice.library.demo import publish_demo_case_studies

    published = publish_demo_case_studies(progress=lambda msg: click.echo(msg, err=True))
    if published:
        click.echo(f"  case studies published in the library:  {published}")
    _demo_staff_account()


DEMO_ADMIN = "admin@demo.example"
# The demo's one sign-in can try every staff area: programme pages, workspace, moderation.
DEMO_ROLES = ("programme-admin", "lead-analyst", "moderator")


def _analyse_demo_once() -> None:
    """Analyse the demo call unless a finished analysis exists, so every page has results."""
    from inpractice.coding.models import AnalysisRun
    from inpractice.coding.runner import run_analysis
    from inpractice.intake.models import CallForEvidence

    call = CallForEvidence.objects.filter(slug="demo").first()
    if call is None or AnalysisRun.objects.filter(call=call, status="succeeded").exists():
        return
    click.echo("Analysing the demo call (codes, themes, mentions, quotes)…", err=True)
    run = run_analysis(call)
    click.echo(f"  analysis run {run.pk}: {run.counts.get('passages', 0)} passages coded")


def _demo_staff_account() -> None:
    """A staff account in every staff role for trying the demo, with a password shown once."""
    import secrets

    from django.conf import settings
    from django.contrib.auth import get_user_model

    from inpractice.accounts.roles import add_staff

    if settings.PRODUCTION or get_user_model().objects.filter(username=DEMO_ADMIN).exists():
        return
    password = secrets.token_urlsafe(12)
    for role in DEMO_ROLES:
        add_staff(DEMO_ADMIN, role, password)
    click.echo(
        f"Staff sign-in for the demo: {DEMO_ADMIN} / {password} (shown once; reset it with "
        f"`inpractice staff add {DEMO_ADMIN}`)."
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Start the web service with gunicorn (as in production)."""
    _django()
    _prepare_database()
    from django.conf import settings

    if settings.PRODUCTION:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
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


@main.group()
def schools() -> None:
    """The school register."""


@schools.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def schools_import(file: Path) -> None:
    """Import or update schools from a GIAS CSV (full 139-column export or urn,name,... form)."""
    _django()
    _prepare_database()
    from inpractice.schools.importer import RegisterImportError, import_register

    try:
        report = import_register(file)
    except RegisterImportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.summary())


@main.group()
def submissions() -> None:
    """Submissions to a call."""


@submissions.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--call", "slug", required=True, help="Slug of the call the responses belong to.")
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="YAML file mapping the export's columns to submission fields.",
)
def submissions_import(file: Path, slug: str, mapping: Path) -> None:
    """Import responses exported from a survey tool (CSV or XLSX), all or nothing."""
    _django()
    _prepare_database()
    from inpractice.intake.importer import SubmissionImportError, import_submissions

    call = _call_or_exit(slug)
    try:
        report = import_submissions(file, call=call, mapping_file=mapping)
    except SubmissionImportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.summary())


@main.command()
@click.option("--call", "slug", required=True, help="Slug of the call.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def snapshot(slug: str, as_json: bool) -> None:
    """Submissions received and unique schools represented, by route."""
    _django()
    _prepare_database()
    from inpractice.intake.coverage import snapshot as take_snapshot

    figures = take_snapshot(_call_or_exit(slug)).as_dict()
    if as_json:
        click.echo(json.dumps(figures))
    else:
        for key, value in figures.items():
            click.echo(f"{key.replace('_', ' ')}: {value:,}")


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
    """Code texts against a codebook; writes {"id", "labels", "scores"} lines."""
    from inpractice.analysis.codebook import CodebookError, load_codebook
    from inpractice.analysis.coder import Coder
    from inpractice.analysis.embeddings import EmbeddingError, load_embedder
    from inpractice.analysis.jsonl import JsonlError, read_records

    try:
        codebook = load_codebook(codebook_source)
        known = {c.id for c in (codebook.walk() if level == "all" else codebook.codes)}
        records = read_records(input_path)
        training = read_records(train_path, labelled=True, known_codes=known) if train_path else []
        coder = Coder(codebook, embedder=load_embedder(embedder), level=level)
    except (CodebookError, JsonlError, EmbeddingError) as exc:
        raise click.ClickException(str(exc)) from None
    if training:
        click.echo(f"Training on {len(training):,} labelled texts ...", err=True)
        coder.fit([r.text for r in training], [r.labels for r in training])
    lines = []
    with click.progressbar(length=len(records), label="Coding", file=sys.stderr) as bar:
        for start in range(0, len(records), 2000):
            batch = records[start : start + 2000]
            probs = coder.predict_proba([r.text for r in batch])
            for record, row, labels in zip(batch, probs, coder.labels_from(probs), strict=True):
                scores = {c: round(float(p), 4) for c, p in zip(coder.code_ids, row, strict=True)}
                lines.append(json.dumps({"id": record.id, "labels": labels, "scores": scores}))
            bar.update(len(batch))
    # Write to a temporary file and rename, so a failure never leaves half an output file.
    partial = output_path.with_name(output_path.name + ".partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(output_path)
    click.echo(f"Coded {len(records):,} texts into {output_path}", err=True)


@main.command()
@click.option("--call", "slug", required=True, help="Slug of the call.")
@click.option(
    "--embedder",
    default="static",
    show_default=True,
    help="static, transformer, or transformer:NAME_OR_PATH.",
)
@click.option("--seed", default=0, show_default=True, type=int)
def analyse(slug: str, embedder: str, seed: int) -> None:
    """Segment, code, find themes, mentions and quotes for a call's submissions, and store them."""
    _django()
    _prepare_database()
    from inpractice.coding.runner import run_analysis

    call = _call_or_exit(slug)

    def progress(stage: str, done: int, total: int) -> None:
        click.echo(f"\r{stage.capitalize()}: {done:,} of {total:,}", err=True, nl=done >= total)

    try:
        run = run_analysis(call, embedder=embedder, seed=seed, progress=progress)
    except Exception as exc:  # the run row records it too
        raise click.ClickException(f"the analysis failed: {exc}") from None
    total = sum(run.timings.values())
    click.echo(
        json.dumps(
            {
                "run": run.pk,
                "status": run.status,
                "seconds": round(total, 2),
                "counts": run.counts,
                "timings": run.timings,
            },
            indent=2,
        )
    )


@main.command()
@click.option("--call", "slug", required=True, help="Slug of the call.")
@click.option("--format", "fmt", type=click.Choice(["qdpx", "qdc", "csv", "xlsx"]), required=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export(slug: str, fmt: str, out: Path) -> None:
    """Export a call's latest analysis: REFI-QDA project or codebook, or codings as CSV/XLSX."""
    _django()
    _prepare_database()
    from inpractice.coding.exports import ExportError, write_export

    try:
        count = write_export(_call_or_exit(slug), fmt, out)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    what = "the codebook" if fmt == "qdc" else f"{count:,} codings"
    click.echo(f"Wrote {out} ({what}).", err=True)


@main.group()
def staff() -> None:
    """Staff accounts."""


@staff.command("add")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["programme-admin", "analyst", "lead-analyst", "moderator"]),
    default="programme-admin",
    show_default=True,
)
@click.option(
    "--password",
    envvar="INPRACTICE_STAFF_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Or set INPRACTICE_STAFF_PASSWORD.",
)
def staff_add(email: str, role: str, password: str) -> None:
    """Create a staff account, or reset its password and add the role."""
    _django()
    _prepare_database()
    from django.core.exceptions import ValidationError

    from inpractice.accounts.roles import StaffAccountError, add_staff

    try:
        created = add_staff(email, role, password)
    except (StaffAccountError, ValidationError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        raise click.ClickException("; ".join(messages)) from None
    click.echo(f"{'Created' if created else 'Updated'} {email} with role {role}.")


# Commands that belong to one area live beside it, in a module with a list named COMMANDS;
# such a module must not touch the database at import time (call `_django()` inside).
_COMMAND_MODULES = (
    "inpractice.workspace.commands",
    "inpractice.library.commands",
    "inpractice.reports.commands",
    "inpractice.privacy.commands",
    "inpractice.backup",
)


def _add_area_commands() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that area has no commands yet
            raise
        for command in module.COMMANDS:
            main.add_command(command)


_add_area_commands()

if __name__ == "__main__":
    main()
