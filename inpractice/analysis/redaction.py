"""Words a reader can follow in place of personal data: suggestions for each finding of the check,
and putting the chosen words into the text (no Django).

A placeholder such as "[name removed]" tells a reader nothing and reads as a broken page, so a
moderator (case studies) or a lead analyst (report quotes) replaces each finding with words of
their choosing; the suggestions here start them off, from the kind of finding and the words
around it ("our SENCO Jane Doughty" → keep "our SENCO"; "J.S. in Year 5" → "a Year 5 pupil"; the
school's own name → "our school").

It lives in the analysis core so that the library (case studies) and the workspace (report
quotes, which may not import the library, a layer above it) redact the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Anything in square brackets that ends in "removed" (the engine's placeholders, and "[removed]").
PLACEHOLDER = re.compile(r"\[[^\[\]\n]{0,40}\bremoved\]", re.IGNORECASE)
MAX_WORDS_LENGTH = 80
CONTEXT = 60

ROLES = [
    # (words in the text just before a name, what to call that person instead)
    (r"senco|sendco|inclusion lead|send lead|send co-?ordinator", "the SENCO"),
    (r"head ?teacher|head of school|principal|headmistress|headmaster", "the headteacher"),
    (r"deputy head(?:teacher)?|assistant head(?:teacher)?", "a senior leader"),
    (r"teaching assistant|\bta\b|learning support assistant|\blsa\b", "a teaching assistant"),
    (r"class teacher|teacher|tutor", "a teacher"),
    (r"mum|mother|dad|father|parent|carer|grandparent|gran|nan", "a parent"),
    (r"governor", "a governor"),
    (r"speech and language therapist|\bsalt\b|therapist", "a therapist"),
    (r"educational psychologist|\bep\b", "the educational psychologist"),
    (r"son|daughter|pupil|child|student|boy|girl|learner", "a pupil"),
]
YEAR = re.compile(r"\b(?:year|yr|y)\s?(\d{1,2}|r)\b", re.IGNORECASE)
RECEPTION = re.compile(r"\breception\b", re.IGNORECASE)
PUPIL_WORDS = re.compile(r"\b(?:pupil|child|student|boy|girl|learner|son|daughter)s?\b", re.I)
PARENT_WORDS = re.compile(r"\b(?:mum|mother|dad|father|parents?|carers?|famil(?:y|ies))\b", re.I)
TITLE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr)\.?\s", re.IGNORECASE)

GENERAL = {
    "PERSON": ["a teacher", "the SENCO", "a pupil", "a parent", "a colleague"],
    "INITIALS": ["a pupil", "one pupil", "a child"],
    "EMAIL_ADDRESS": ["the school office", "the SENCO", "the school"],
    "UK_PHONE_NUMBER": ["the school office", "the school"],
    "UK_POSTCODE": ["our area", "the local area"],
    "UK_ADDRESS": ["our school", "a local venue", "the local area"],
    "UK_UPN": ["", "their record"],
    "DATE_OF_BIRTH": ["", "their birthday", "the start of the year"],
    "SOCIAL_HANDLE": ["our social media account", "the school's social media"],
    "URL": ["our website", "the school website"],
    "IDENTIFYING_NAME": ["our school", "the school", "a local school"],
}


@dataclass(frozen=True)
class Suggestion:
    words: str  # "" means: take the finding out and leave the words around it

    @property
    def label(self) -> str:
        return self.words if self.words else "Take it out (no words in its place)"


def _year_pupil(context: str) -> str:
    match = YEAR.search(context)
    if not match:
        return "a Reception pupil" if RECEPTION.search(context) else ""
    number = match.group(1).upper()
    return "a Reception pupil" if number == "R" else f"a Year {int(number)} pupil"


def _role_just_before(before: str) -> str:
    """What the person is called when a role names them just before ("our SENCO Jane")."""
    tail = before[-40:].lower()
    for pattern, words in ROLES:
        if re.search(rf"(?:{pattern})\W{{0,3}}$", tail):
            return words
    return ""


def _organisation(text: str) -> list[str]:
    lower = text.lower()
    if "trust" in lower:
        return ["our trust", "the trust", "a multi-academy trust"]
    if any(w in lower for w in ("council", "county", "borough", "local authority")):
        return ["the local authority", "our local authority"]
    if any(w in lower for w in ("nursery", "infant", "primary", "junior")):
        return ["our school", "our primary school", "the school"]
    if any(w in lower for w in ("secondary", "high school", "college", "academy", "grammar")):
        return ["our school", "our secondary school", "the school"]
    return list(GENERAL["IDENTIFYING_NAME"])


def suggestions(entity_type: str, text: str, before: str = "", after: str = "") -> list[Suggestion]:
    """Sensible words for one finding, best first, from its kind and the words around it."""
    before = before[-CONTEXT:]
    after = after[:CONTEXT]
    around = f"{before} {after}"
    out: list[str] = []
    if entity_type == "PERSON":
        role = _role_just_before(before)
        if role:
            # "our SENCO Jane Doughty": the role already says who; the name can simply go.
            out += ["", role]
        year = _year_pupil(around)
        if year and PUPIL_WORDS.search(around) and role in ("", "a pupil"):
            out.append(year)
        if PARENT_WORDS.search(around):
            out.append("a parent")
        if TITLE.match(text):
            out += ["a teacher", "a colleague", "the SENCO"]
        if PUPIL_WORDS.search(around):
            out.append("a pupil")
    elif entity_type == "INITIALS":
        year = _year_pupil(f"{text} {around}")
        if PUPIL_WORDS.search(before[-12:]):
            out.append("")  # "a Year 5 pupil JS": the words before already say who
        if year and (YEAR.search(after[:12]) or YEAR.search(before[-12:])):
            # "J.S. in Year 5": the year is said already, so not "a Year 5 pupil in Year 5".
            out += ["a pupil", year]
        elif year:
            out.append(year)
    elif entity_type == "IDENTIFYING_NAME":
        out += _organisation(text)
    out += GENERAL.get(entity_type, ["", "the school"])
    seen: list[str] = []
    for words in out:
        if words not in seen:
            seen.append(words)
    return [Suggestion(w) for w in seen[:5]]


def problem_with_words(words: str) -> str:
    """Why these words cannot replace a finding ("" when they can)."""
    if len(words) > MAX_WORDS_LENGTH:
        return f"Use {MAX_WORDS_LENGTH} characters or fewer."
    if PLACEHOLDER.search(words) or "[" in words or "]" in words:
        return "Use words a reader can follow, not a placeholder in square brackets."
    return ""


def _sentence_start(text: str, start: int) -> bool:
    head = text[:start].rstrip(" \t")
    return not head or head[-1] in ".!?\n" or head.endswith(("\u201c", '"'))


def replace_spans(text: str, spans: Sequence[tuple[int, int]], words: str) -> str:
    """`text` with each (start, end) span replaced by `words`: a capital letter where a sentence
    starts, and no doubled space where the words are empty."""
    out = text
    for start, end in sorted(spans, reverse=True):
        new = words
        if new and _sentence_start(out, start):
            new = new[0].upper() + new[1:]
        left, right = out[:start], out[end:]
        if not new:
            if left.endswith(" ") and (right.startswith((" ", ",", ".", ";", ":")) or not right):
                left = left.rstrip(" ")
            elif not left and right.startswith(" "):
                right = right.lstrip(" ")
        out = left + new + right
    return out


def placeholders(texts: dict[str, str]) -> list[tuple[str, str]]:
    """(field, placeholder) for each placeholder left in the texts a reader would see."""
    return [
        (field, m.group(0))
        for field, text in texts.items()
        for m in PLACEHOLDER.finditer(text or "")
    ]
