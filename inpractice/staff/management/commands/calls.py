"""`inpractice calls list|create|edit|open|close`: make and run a call from a script.

The same rules as the browser (inpractice/staff/calls.py): every problem is named with where it
is, the exit status is 1, and nothing is written unless the whole change is valid.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from pathlib import Path

import yaml
from django.core.management.base import CommandError

from inpractice.analysis.codebook import CodebookError
from inpractice.commandline import InpracticeCommand
from inpractice.intake.models import CallForEvidence
from inpractice.intake.window import UkTimeError, closing_phrase, opening_phrase, uk_instant
from inpractice.staff import calls


def _actor() -> calls.Actor:
    try:
        return calls.Actor(None, f"command line ({getpass.getuser()})")
    except Exception:  # noqa: BLE001 - no login name in some containers
        return calls.Actor(None, "command line")


def _uk_time(option: str, text: str) -> dt.datetime:
    try:
        local = dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise CommandError(f"{option}: {text!r} is not a UK time like '2025-05-02 00:00'") from None
    try:
        return uk_instant(local.date(), local.time())
    except UkTimeError as exc:
        raise CommandError(f"{option}: {exc}") from None


def _read_questions(path: str) -> list:
    try:
        text = Path(path).read_text(encoding="utf-8")
        raw = json.loads(text) if path.lower().endswith(".json") else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"--questions {path}: cannot read the file ({exc})") from None
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise CommandError(f"--questions {path}: not valid JSON or YAML: {exc}") from None
    if isinstance(raw, dict) and "questions" in raw:
        raw = raw["questions"]
    if raw == "standard":
        return [dict(q) for q in calls.STANDARD_QUESTIONS]
    return raw


def _codebook(value: str) -> dict:
    try:
        if value == "default":
            return calls.default_codebook_dict()
        if value.startswith("copy:"):
            return calls.codebook_copied_from(value.removeprefix("copy:"))
        return calls.codebook_from_file(value)
    except CodebookError as exc:
        raise CommandError(f"--codebook: {exc}") from None


def _text(value: str | None) -> str | None:
    """A value, or the contents of a file given as @path."""
    if value and value.startswith("@"):
        try:
            return Path(value[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {value[1:]}: {exc}") from None
    return value


class Command(InpracticeCommand):
    help = "Create, change, open, close and list calls for evidence."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("list", help="Every call with its state and window (UK time).")
        for name in ("create", "edit"):
            p = sub.add_parser(
                name, help="Create a call (as a draft)." if name == "create" else "Change a call."
            )
            if name == "edit":
                p.add_argument("slug", help="The call's short name, as in its address.")
            else:
                p.add_argument("--slug", default="", help="Short name (made from the title).")
            p.add_argument("--title", required=name == "create")
            p.add_argument("--introduction", help="Text, or @FILE to read it from a file.")
            p.add_argument("--consent", help="Consent wording: text, or @FILE.")
            p.add_argument("--privacy-url", help="The privacy notice's web address.")
            p.add_argument(
                "--questions",
                help="A YAML or JSON file with a list of questions (key, label, hint, type "
                "long|short, max_length, required). Default for a new call: the standard set.",
            )
            p.add_argument(
                "--codebook", help="default, copy:SLUG (another call's) or a YAML/JSON file."
            )
            p.add_argument("--opens", help="UK time, 'YYYY-MM-DD HH:MM'.")
            p.add_argument("--closes", help="UK time, 'YYYY-MM-DD HH:MM'.")
        p = sub.add_parser(
            "open", help="Open a complete call now, or schedule it to open at its opening time."
        )
        p.add_argument("slug")
        p.add_argument(
            "--at-opening-time",
            action="store_true",
            help="Do not open it now: it opens by itself at its opening time (--opens).",
        )
        p = sub.add_parser("close", help="Close an open call now.")
        p.add_argument("slug")
        p.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"_{action}")(options)
        except calls.CallError as exc:
            raise CommandError(
                "nothing was changed: "
                + "; ".join(f"{calls.NAMES.get(w, w)}: {m}" for w, m in exc.problems)
            ) from None

    def _call(self, slug: str) -> CallForEvidence:
        call = CallForEvidence.objects.filter(slug=slug).first()
        if call is None:
            raise CommandError(f"there is no call {slug!r}; `inpractice calls list` shows them")
        return call

    def _values(self, options) -> dict:
        values = {
            "title": options.get("title"),
            "introduction": _text(options.get("introduction")),
            "consent_wording": _text(options.get("consent")),
            "privacy_notice_url": options.get("privacy_url"),
        }
        if options.get("questions"):
            values["questions"] = _read_questions(options["questions"])
        if options.get("codebook"):
            values["codebook"] = _codebook(options["codebook"])
        if options.get("opens"):
            values["opens_at"] = _uk_time("--opens", options["opens"])
        if options.get("closes"):
            values["closes_at"] = _uk_time("--closes", options["closes"])
        return {k: v for k, v in values.items() if v is not None}

    def _list(self, options) -> None:
        for call in CallForEvidence.objects.order_by("slug"):
            state = "draft" if call.is_draft else call.state().value
            self.stdout.write(
                f"{call.slug}\t{state}\topens {opening_phrase(call.opens_at)}\t"
                f"closes {closing_phrase(call.closes_at)}\t{call.title}"
            )

    def _create(self, options) -> None:
        values = self._values(options)
        call = calls.create_call(_actor(), slug=options.get("slug") or "", **values)
        self.stdout.write(f"Created {call.slug} (a draft): `inpractice calls open {call.slug}`.")

    def _edit(self, options) -> None:
        call = self._call(options["slug"])
        changes = calls.update_call(call, _actor(), **self._values(options))
        self.stdout.write(f"{call.slug}: " + ("; ".join(changes) if changes else "no change"))

    def _open(self, options) -> None:
        call = self._call(options["slug"])
        calls.open_call(call, _actor(), scheduled=options["at_opening_time"])
        call.refresh_from_db()
        if options["at_opening_time"]:
            self.stdout.write(
                f"{call.slug} will open by itself at {opening_phrase(call.opens_at)} and close "
                f"at {closing_phrase(call.closes_at)}."
            )
            return
        self.stdout.write(f"{call.slug} is open until {closing_phrase(call.closes_at)}.")

    def _close(self, options) -> None:
        call = self._call(options["slug"])
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("closing is immediate: add --yes to confirm")
            answer = input(f"Close {call.title} now? Nobody can respond after this. [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("not closed")
        calls.close_call(call, _actor())
        self.stdout.write(f"{call.slug} is closed.")
