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
    _demo_staff_account()


DEMO_ADMIN = "admin@demo.example"


def _demo_staff_account() -> None:
    """A programme admin for trying the staff pages, with a random password shown once."""
    import secrets

    from django.conf import settings
    from django.contrib.auth import get_user_model

    from inpractice.accounts.roles import add_staff

    if settings.PRODUCTION or get_user_model().objects.filter(username=DEMO_ADMIN).exists():
        return
    password = secrets.token_urlsafe(12)
    add_staff(DEMO_ADMIN, "programme-admin", password)
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


if __name__ == "__main__":
    main()
