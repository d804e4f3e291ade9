"""Privacy commands for the `inpractice` CLI: retention, erasure and subject access export.

`inpractice privacy apply-retention` is meant to run on a schedule (daily is plenty); it is
safe to run as often as you like. Nothing touches the database at import time.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click


@click.group("privacy")
def privacy_group() -> None:
    """Personal data: retention, erasure and subject access requests (UK GDPR)."""


@privacy_group.command("apply-retention")
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Act as if it were this ISO 8601 time (with offset), e.g. to check a schedule.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be erased; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def apply_retention_command(now_text: str | None, dry_run: bool, as_json: bool) -> None:
    """Erase contact details of calls whose retention time after the close has passed."""
    from inpractice.cli import _django

    _django()
    from django.utils import timezone

    from .personal_data import apply_retention

    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter(
                f"{now_text!r} is not an ISO 8601 time, like 2025-08-01T00:00:00+01:00",
                param_hint="--now",
            ) from None
        if timezone.is_naive(now):
            raise click.BadParameter(
                "give the time with its offset, like +01:00", param_hint="--now"
            )
    report = apply_retention(now=now, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, "calls": report}, indent=2))
        return
    if not report:
        click.echo(
            "No call has a retention setting. Set one on the staff dashboard under "
            "'Privacy and personal data'."
        )
    for row in report:
        verb = "would erase" if dry_run else "erased"
        state = f"{verb} {row['erased']} record(s)" if row["due"] else "not due yet"
        click.echo(f"{row['call']}: erase after {row['erase_after']}: {state}")


@privacy_group.command("erase")
@click.option("--email", required=True, help="Email address of the person.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(email: str, yes: bool) -> None:
    """Erase one person's contact details everywhere and delete their unsent drafts."""
    from inpractice.cli import _django

    _django()
    from .personal_data import ErasureError, erase, find, normalise_email

    try:
        email = normalise_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--email") from None
    found = find(email)
    for place in found.places:
        click.echo(f"As {place['describe']}: {place['count']} record(s)")
    if not found.total:
        click.echo(f"No contact details are held for {email}; nothing to erase.")
        return
    if not yes:
        click.confirm(
            f"Erase {found.total} record(s) for {email}? This cannot be undone", abort=True
        )
    try:
        result = erase(email, None, "erasure (command line)")
    except ErasureError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Erased contact details in {sum(result.blanked.values())} record(s) and deleted "
        f"{result.drafts_deleted} unsent draft(s) for {email}."
    )


@privacy_group.command("export")
@click.option("--email", required=True, help="Email address of the person.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file to write (not overwritten if it exists).",
)
def export_command(email: str, out: Path) -> None:
    """Write everything held about one person to a JSON file (a subject access export)."""
    from inpractice.cli import _django

    _django()
    from .personal_data import normalise_email, subject_access_export

    try:
        email = normalise_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--email") from None
    if out.exists():
        raise click.ClickException(f"{out} already exists; choose a new file name")
    if not out.parent.is_dir():
        raise click.ClickException(f"the folder {out.parent} does not exist")
    data = subject_access_export(email, None, f"subject access export to {out.name} (command line)")
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out)
    click.echo(f"Wrote {len(data['records'])} record(s) about {email} to {out}.")


COMMANDS = [privacy_group]
