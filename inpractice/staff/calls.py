"""Making and changing a call: one set of rules for the browser and `inpractice calls`.

Every change is validated whole before anything is written (all or nothing, in a transaction),
recorded as a `CallChange`, and a question that has answers is versioned rather than edited in
place (docs/decisions/0020-question-versions.md).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from inpractice.analysis.codebook import (
    CodebookError,
    codebook_from_dict,
    default_codebook_dict,
    load_codebook,
)
from inpractice.intake.choices import DEFAULT_QUESTIONS
from inpractice.intake.models import CallForEvidence, QuestionVersion, Submission, WindowState
from inpractice.intake.window import opening_phrase

from .models import CallChange

RESERVED_SLUGS = {"new"}  # /staff/calls/new/ makes a call
KEY = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
QUESTION_TYPES = {"long": "Several paragraphs (a large text box)", "short": "A line of text"}
# What a question says, with the value a question stored without it has.
WORDING = {"label": "", "hint": "", "max_length": 5000, "required": True, "type": "long"}
MAX_ANSWER_LENGTH = 20000
STANDARD_QUESTIONS: list[dict] = [dict(q, type="long") for q in DEFAULT_QUESTIONS]


class CallError(ValueError):
    """What is wrong with a call, each problem naming where: ("questions[2].label", "...")."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{where}: {what}" for where, what in problems))


@dataclass
class Actor:
    """Who made a change: a signed-in user, or the command line (user None)."""

    user: object | None
    name: str

    @classmethod
    def of(cls, user) -> Actor:
        return cls(user, user.get_username())


def record(call: CallForEvidence, actor: Actor, action: str, summary: str) -> None:
    CallChange.objects.create(
        call=call,
        actor=actor.user if getattr(actor.user, "is_authenticated", False) else None,
        actor_name=actor.name[:254],
        action=action,
        summary=summary[:500],
    )


# --- questions ---------------------------------------------------------------------------------


def clean_question(raw: object, where: str) -> dict:
    """A question as stored, or CallError naming the field that is wrong."""
    problems: list[tuple[str, str]] = []
    if not isinstance(raw, dict):
        raise CallError([(where, "a question must be a mapping with key, label and max_length")])
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        problems.append(
            (
                f"{where}.key",
                "must be 1-40 lower-case letters, digits or '-', starting with a letter",
            )
        )
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.append((f"{where}.label", "enter the question"))
    elif len(label) > 300:
        problems.append((f"{where}.label", "must be 300 characters or fewer"))
    hint = raw.get("hint", "") or ""
    if not isinstance(hint, str) or len(hint) > 1000:
        problems.append((f"{where}.hint", "must be text of 1,000 characters or fewer"))
    kind = raw.get("type", "long")
    if kind not in QUESTION_TYPES:
        problems.append((f"{where}.type", f"must be one of {', '.join(QUESTION_TYPES)}"))
    max_length = raw.get("max_length", 5000)
    if isinstance(max_length, bool) or not isinstance(max_length, int):
        problems.append((f"{where}.max_length", "must be a whole number of characters"))
    elif not 1 <= max_length <= MAX_ANSWER_LENGTH:
        problems.append((f"{where}.max_length", f"must be between 1 and {MAX_ANSWER_LENGTH:,}"))
    required = raw.get("required", True)
    if not isinstance(required, bool):
        problems.append((f"{where}.required", "must be true or false"))
    unknown = sorted(
        set(raw) - {"key", "label", "hint", "type", "max_length", "required", "version"}
    )
    if unknown:
        problems.append((where, f"unknown field(s): {', '.join(unknown)}"))
    if problems:
        raise CallError(problems)
    return {
        "key": key,
        "label": label.strip(),
        "hint": hint.strip(),
        "type": kind,
        "max_length": max_length,
        "required": required,
    }


def clean_questions(raw: object) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise CallError([("questions", "a call needs at least one question")])
    problems: list[tuple[str, str]] = []
    cleaned: list[dict] = []
    seen: set[str] = set()
    for i, q in enumerate(raw):
        try:
            question = clean_question(q, f"questions[{i}]")
        except CallError as exc:
            problems.extend(exc.problems)
            continue
        if question["key"] in seen:
            problems.append((f"questions[{i}].key", f"{question['key']!r} is used twice"))
        seen.add(question["key"])
        cleaned.append(question)
    if problems:
        raise CallError(problems)
    return cleaned


def answered(call: CallForEvidence, key: str) -> bool:
    """Whether anyone (a draft or a sent response) has answered the question."""
    return Submission.objects.filter(call=call, answers__has_key=key).exists()


def _wording(q: dict) -> tuple:
    return tuple(q.get(field, default) for field, default in WORDING.items())


def _keep_version(call: CallForEvidence, q: dict) -> None:
    QuestionVersion.objects.update_or_create(
        call=call,
        key=q["key"],
        version=q["version"],
        defaults={
            "label": q["label"],
            "hint": q.get("hint", ""),
            "max_length": q["max_length"],
            "required": q.get("required", True),
        },
    )


def set_questions(call: CallForEvidence, new: list[dict]) -> list[str]:
    """Replace the call's questions (already cleaned); return what changed, in words.

    A question nobody has answered is edited in place. One with answers gets a new version: the
    old wording stays in QuestionVersion, and answers name the version they were given to.
    """
    old = {q["key"]: q for q in call.questions}
    latest = dict(
        QuestionVersion.objects.filter(call=call)
        .values("key")
        .annotate(v=Max("version"))
        .values_list("key", "v")
    )
    changes: list[str] = []
    result: list[dict] = []
    for q in new:
        q = dict(q)
        before = old.get(q["key"])
        base = max(int(before.get("version", 1)) if before else 0, latest.get(q["key"], 0))
        if before is None:
            if base and answered(call, q["key"]):
                q["version"] = base + 1
            else:
                q["version"] = max(base, 1)
            changes.append(f"added ‘{q['label']}’")
        elif _wording(before) != _wording(q):
            if answered(call, q["key"]):
                before = {**before, "version": int(before.get("version", 1))}
                QuestionVersion.objects.get_or_create(
                    call=call,
                    key=before["key"],
                    version=before["version"],
                    defaults={
                        "label": before["label"],
                        "hint": before.get("hint", ""),
                        "max_length": before.get("max_length", 5000),
                        "required": before.get("required", True),
                    },
                )
                q["version"] = base + 1
                changes.append(f"‘{q['label']}’ is now version {q['version']}")
            else:
                q["version"] = int(before.get("version", 1))
                changes.append(f"changed ‘{q['label']}’")
        else:
            q["version"] = int(before.get("version", 1))
        _keep_version(call, q)
        result.append(q)
    for key, before in old.items():
        if key not in {q["key"] for q in new}:
            # Its wording is kept for the answers already given.
            _keep_version(call, {**before, "version": int(before.get("version", 1))})
            changes.append(f"removed ‘{before['label']}’")
    kept = [q["key"] for q in result if q["key"] in old]
    if kept != [key for key in old if key in set(kept)]:
        changes.append("reordered the questions")
    call.questions = result
    return changes


def version_label(call: CallForEvidence, key: str, version: int) -> str | None:
    """The wording of a question as it was at `version` (None if never recorded)."""
    row = QuestionVersion.objects.filter(call=call, key=key, version=version).first()
    if row:
        return row.label
    current = call.question(key)
    if current and int(current.get("version", 1)) == version:
        return current["label"]
    return None


# --- codebooks ---------------------------------------------------------------------------------


def codebook_from_upload(name: str, content: bytes) -> dict:
    """A codebook from an uploaded YAML or JSON file, validated as analysis/codebook.py does."""
    suffix = Path(name).suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        raise CodebookError(f"{name}: choose a .yaml, .yml or .json file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"codebook{suffix}"
        path.write_bytes(content)
        try:
            return load_codebook(path).to_dict()
        except CodebookError as exc:
            raise CodebookError(str(exc).replace(str(path), name)) from None


def codebook_from_file(path: str) -> dict:
    return load_codebook(path).to_dict()


def codebook_copied_from(slug: str) -> dict:
    source = CallForEvidence.objects.filter(slug=slug).first()
    if source is None:
        raise CodebookError(f"there is no call {slug!r} to copy a codebook from")
    return codebook_from_dict(source.codebook).to_dict()


# --- the call ----------------------------------------------------------------------------------


def unique_slug(title: str) -> str:
    base = slugify(title)[:50].strip("-") or "call"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or CallForEvidence.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def default_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """From the start of tomorrow (UK) for eight weeks: a placeholder until someone sets it."""
    from inpractice.intake.window import UK, uk_instant

    today = (now or timezone.now()).astimezone(UK).date()
    opens = uk_instant(today + timedelta(days=1), datetime.min.time())
    closes = uk_instant(today + timedelta(days=57), datetime.min.time())
    return opens, closes


FIELDS = ("title", "introduction", "consent_wording", "privacy_notice_url")
NAMES = {
    "title": "title",
    "introduction": "introduction",
    "consent_wording": "consent wording",
    "privacy_notice_url": "privacy notice link",
    "opens_at": "opening time",
    "closes_at": "closing time",
    "codebook": "codebook",
}


def check_details(values: dict) -> None:
    problems = []
    title = values.get("title")
    if title is not None and not str(title).strip():
        problems.append(("title", "enter a title"))
    if title and len(title) > 200:
        problems.append(("title", "must be 200 characters or fewer"))
    url = values.get("privacy_notice_url")
    if url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
        problems.append(("privacy_notice_url", "must be a web address starting https://"))
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens and closes and closes <= opens:
        problems.append(("closes_at", "the call must close after it opens"))
    if problems:
        raise CallError(problems)


@transaction.atomic
def create_call(actor: Actor, *, title: str, slug: str = "", **values) -> CallForEvidence:
    """A new call, a draft, with the standard questions and the five principles unless given."""
    check_details({"title": title, **values})
    if slug:
        if not re.match(r"^[a-z0-9][a-z0-9-]{0,59}$", slug):
            raise CallError([("slug", "must be lower-case letters, digits and '-'")])
        if slug in RESERVED_SLUGS or CallForEvidence.objects.filter(slug=slug).exists():
            raise CallError([("slug", f"{slug!r} is already used by another call")])
    questions = values.pop("questions", None)
    opens, closes = default_window()
    call = CallForEvidence(
        slug=slug or unique_slug(title),
        title=title.strip(),
        introduction=values.pop("introduction", "") or "",
        questions=[],
        codebook=values.pop("codebook", None) or default_codebook_dict(),
        opens_at=values.pop("opens_at", None) or opens,
        closes_at=values.pop("closes_at", None) or closes,
        is_draft=True,
        **{k: v for k, v in values.items() if k in FIELDS},
    )
    if call.closes_at <= call.opens_at:
        raise CallError([("closes_at", "the call must close after it opens")])
    call.save()
    set_questions(call, clean_questions(questions) if questions is not None else STANDARD_QUESTIONS)
    call.save(update_fields=["questions"])
    record(call, actor, "create", f"created the call ‘{call.title}’ (a draft)")
    return call


@transaction.atomic
def update_call(call: CallForEvidence, actor: Actor, **values) -> list[str]:
    """Change any of the call's details, questions, codebook or window; all or nothing."""
    call = CallForEvidence.objects.select_for_update().get(pk=call.pk)
    check_details(
        {
            "opens_at": values.get("opens_at", call.opens_at),
            "closes_at": values.get("closes_at", call.closes_at),
            **{k: v for k, v in values.items() if k not in ("opens_at", "closes_at")},
        }
    )
    changes: list[str] = []
    for field in (*FIELDS, "opens_at", "closes_at"):
        if field in values and values[field] is not None and getattr(call, field) != values[field]:
            value = values[field].strip() if isinstance(values[field], str) else values[field]
            setattr(call, field, value)
            changes.append(f"changed the {NAMES[field]}")
    if values.get("codebook") is not None and values["codebook"] != call.codebook:
        if not call.is_draft and call.submissions.exists():
            raise CallError(
                [("codebook", "the call has responses; its codebook is changed in the workspace")]
            )
        call.codebook = values["codebook"]
        changes.append(f"set the codebook to ‘{call.codebook.get('name', 'Codebook')}’")
    if values.get("questions") is not None:
        changes += set_questions(call, clean_questions(values["questions"]))
    if changes:
        call.save()
        record(call, actor, "edit", "; ".join(changes))
    return changes


def problems_before_opening(call: CallForEvidence, now: datetime | None = None) -> list[tuple]:
    """What must be put right before the call can open: (field, message)."""
    now = now or timezone.now()
    found = []
    if not call.title.strip():
        found.append(("title", "Enter a title"))
    if not call.introduction.strip():
        found.append(("introduction", "Write an introduction"))
    if not call.questions:
        found.append(("questions", "Add at least one question"))
    if not call.consent_wording.strip():
        found.append(("consent_wording", "Write the consent wording"))
    if not call.privacy_notice_url:
        found.append(("privacy_notice_url", "Give the privacy notice link"))
    try:
        codebook_from_dict(call.codebook)
    except CodebookError as exc:
        found.append(("codebook", f"Choose a codebook: {exc}"))
    if call.closes_at <= now:
        found.append(("closes_at", "Set a closing time in the future"))
    return found


@transaction.atomic
def open_call(
    call: CallForEvidence, actor: Actor, now: datetime | None = None, scheduled: bool = False
) -> None:
    """Open the call now, or (`scheduled`) let it open by itself at its opening time.

    A scheduled call is no longer a draft, so nothing more is needed on the day: its state turns
    open when the clock reaches `opens_at` (CallForEvidence.state). Until then it can be opened
    at once, or taken back to a draft (`unschedule_call`)."""
    now = now or timezone.now()
    call = CallForEvidence.objects.select_for_update().get(pk=call.pk)
    if call.state(now) == WindowState.OPEN:
        raise CallError([("state", "the call is already open")])
    if scheduled:
        if not call.is_draft:
            raise CallError([("state", "the call is already scheduled to open")])
        if call.opens_at <= now:
            raise CallError(
                [
                    (
                        "opens_at",
                        "the opening time has passed: open the call now, or set a later "
                        "opening time first",
                    )
                ]
            )
    problems = problems_before_opening(call, now)
    if problems:
        raise CallError([(NAMES.get(w, w), m) for w, m in problems])
    call.is_draft = False
    if scheduled:
        call.save(update_fields=["is_draft"])
        when = opening_phrase(call.opens_at)
        record(call, actor, "schedule", f"scheduled the call to open at {when}")
        return
    call.opens_at = min(call.opens_at, now)
    call.save(update_fields=["is_draft", "opens_at"])
    record(call, actor, "open", "opened the call")


@transaction.atomic
def unschedule_call(call: CallForEvidence, actor: Actor, now: datetime | None = None) -> None:
    """Take a call scheduled to open later back to a draft (it will not open by itself)."""
    now = now or timezone.now()
    call = CallForEvidence.objects.select_for_update().get(pk=call.pk)
    if call.is_draft or call.opens_at <= now:
        raise CallError(
            [("state", "only a call scheduled to open later can go back to being a draft")]
        )
    call.is_draft = True
    call.save(update_fields=["is_draft"])
    record(call, actor, "unschedule", "took the call back to a draft before it opened")


def is_scheduled(call: CallForEvidence, now: datetime | None = None) -> bool:
    """Not a draft, and its opening time is still to come: it will open by itself."""
    return not call.is_draft and call.opens_at > (now or timezone.now())


@transaction.atomic
def close_call(call: CallForEvidence, actor: Actor, now: datetime | None = None) -> None:
    """Close the call at once: nothing more can be sent from this instant."""
    now = now or timezone.now()
    call = CallForEvidence.objects.select_for_update().get(pk=call.pk)
    if call.state(now) != WindowState.OPEN:
        raise CallError([("state", f"the call is not open ({call.state(now).label.lower()})")])
    call.closes_at = now
    call.save(update_fields=["closes_at"])
    record(call, actor, "close", "closed the call")


# --- answers shown against the wording they answered --------------------------------------------


def versioned_lines(call: CallForEvidence, s: Submission, step, lines: list) -> list:
    """A question's summary lines, labelled with the wording the answer was given to when the
    question has changed since (the staff submission page)."""
    question = getattr(step, "question", None)
    if not question or question["key"] not in (s.answers or {}):
        return lines
    given = int((s.answer_versions or {}).get(question["key"], 1))
    now = int(question.get("version", 1))
    if given == now:
        return lines
    label = version_label(call, question["key"], given) or question["label"]
    note = f"{label} (answered version {given}; the question is now version {now})"
    return [(note, value) for _label, value in lines]


def removed_question_answers(call: CallForEvidence, s: Submission) -> list[dict]:
    """Answers to questions since removed from the call, under the wording they answered."""
    current = {q["key"] for q in call.questions}
    found = []
    for key, value in (s.answers or {}).items():
        if key in current:
            continue
        given = int((s.answer_versions or {}).get(key, 1))
        label = version_label(call, key, given) or key
        found.append(
            {"step": None, "lines": [(f"{label} (a question since removed from the call)", value)]}
        )
    return found
