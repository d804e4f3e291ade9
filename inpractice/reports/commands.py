"""`inpractice report`: write a call's insights report as HTML and a tagged PDF."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.option("--call", "slug", required=True, help="Slug of the call.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write report.html (with its CSS files) and report.pdf into.",
)
@click.option(
    "--audience",
    type=click.Choice(["public", "staff"]),
    default="public",
    show_default=True,
    help="public: only approved quotes, signed-off themes and checked names. staff: also what "
    "still awaits review.",
)
def report(slug: str, out: Path, audience: str) -> None:
    """Write the insights report of an analysed call: report.html and a tagged PDF."""
    from inpractice.cli import _call_or_exit, _django, _prepare_database

    _django()
    _prepare_database()
    from inpractice.intake.models import WindowState
    from inpractice.reports.build import ReportError, write_report

    call = _call_or_exit(slug)
    if call.state() != WindowState.CLOSED:
        click.echo(
            f"Note: the call {slug!r} is still {call.state().label.lower()}; this report is a "
            "preview and its figures will change.",
            err=True,
        )
    try:
        written = write_report(
            call, out, audience=audience, progress=lambda msg: click.echo(msg, err=True)
        )
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"could not write the report into {out}: {exc}") from None
    click.echo(f"Wrote {written.html} and {written.pdf}.", err=True)
    click.echo(
        json.dumps(
            {
                "html": str(written.html),
                "pdf": str(written.pdf),
                "seconds": {k: round(v, 3) for k, v in written.seconds.items()},
            },
            indent=2,
        )
    )


COMMANDS = [report]
