"""Names that identify a submitter, found in a text however they are written (no Django).

A quote from a submission whose consent is *anonymised* must not name the organisation, its
schools, trust or local authority; no quote may name the person who submitted it. The general
check (`personal_data.analyse_text`) cannot know those names, so the caller passes them here:

* **organisations** (school, trust, local authority, the organisation's own name): found whole
  and by their distinctive part, so "Oakfield Primary School" is found as "oakfield" too, and
  "Leeds City Council" as "Leeds", "Roundhay Park Primary" as "Roundhay". A distinctive part
  that is one ordinary word ("Park", "Northern") is not looked for alone: it would flag every
  park;
* **people** (the submitter): found whole, and by their surname when it is not an ordinary word.

Matching is on the normalised text (`personal_data.normalise`: NFKC, zero-width and other format
characters removed, look-alike letters made Latin), ignores case, and tolerates odd spacing and
punctuation: "St Mary's" is found as "st marys", "ST. MARY'S" or "St  Mary ' s", and
"Oakfield" as "oak field", "o.a.k.f.i.e.l.d" or "Oak\u200dfield". Findings carry offsets into
the text as given, like every finding of the engine.

`check_quote` is the one check a report quote goes through: the engine's findings and these,
overlaps merged into one finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from . import personal_data
from .personal_data import Finding, normalise

ORGANISATION = "IDENTIFYING_NAME"
PERSON = "PERSON"

# Words that say what kind of place an organisation is, not which one: taken off the end (and
# "The" off the front) to leave the distinctive part of its name.
GENERIC = frozenset(
    """
    the of and primary secondary junior juniors infant infants nursery school schools academy
    academies college church england c e ce cofe catholic rc roman voluntary aided controlled
    community foundation free high grammar first middle upper lower multi trust mat learning
    partnership federation council city county borough metropolitan district local authority
    education special sixth form centre studio university technical tc sch mixed girls boys
    all through village
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
# Ordinary words that are a distinctive part of many school names ("Park Primary School"): not
# looked for alone.
ORDINARY = frozenset(
    """
    park hill hills green grange meadow meadows field fields lane road brook wood woods oak
    oaks beech elm ash river valley forest bridge castle cross abbey priory manor court gate
    north south east west northern southern eastern western central new old great little st
    saint saints holy trinity all star hope heart spring springs lake view vale mount rise
    harbour bay moor moorland heath common orchard garden gardens grove ridge dale farm mill
    mills wells well bank banks sea city town victoria queen queens king kings prince princes
    royal english british
    """.split()  # noqa: SIM905
)
MIN_LETTERS = 4  # a shorter name or part ("Oak", "Bay") would match too much
_TOKEN = re.compile(r"[A-Za-z0-9]+")
# Between two letters of one word: at most one space, dot, dash, star, underscore or apostrophe
# ("o.a.k field", "oak-field"); between two words: up to three of them, or none ("StMarys").
_IN_WORD = r"[\s.\-_*'`]?"
_BETWEEN_WORDS = r"[\s.\-_*'`,&/()]{0,3}"


def _tokens(name: str) -> list[str]:
    return _TOKEN.findall(normalise(name).text)


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _distinctive(tokens: list[str]) -> list[str]:
    """The name without generic words at either end ("The Oakfield Primary School" → Oakfield)."""
    words = list(tokens)
    while words and words[0].lower() == "the":
        words.pop(0)
    while words and words[-1].lower() in GENERIC:
        words.pop()
    return words


def _core(tokens: list[str]) -> list[str]:
    """The distinctive part without ordinary words at its end ("Roundhay Park" → Roundhay,
    "Kirkstall Valley" → Kirkstall): the word people use for the place."""
    words = list(tokens)
    while len(words) > 1 and words[-1].lower() in ORDINARY:
        words.pop()
    return words


def _worth_finding(tokens: list[str]) -> bool:
    letters = sum(len(t) for t in tokens)
    if letters < MIN_LETTERS:
        return False
    if len(tokens) == 1:
        word = tokens[0].lower()
        return word not in ORDINARY and word not in GENERIC and word not in _stopwords()
    return not all(t.lower() in ORDINARY | GENERIC for t in tokens)


def variants(organisations: Iterable[str] = (), people: Iterable[str] = ()) -> list[tuple]:
    """(entity type, tokens) to look for: each name whole and its distinctive part, longest
    first, each once."""
    found: dict[tuple[str, ...], str] = {}

    def add(tokens: list[str], entity: str) -> None:
        key = tuple(t.lower() for t in tokens)
        if tokens and key not in found and _worth_finding(tokens):
            found[key] = entity

    for name in people:
        tokens = _tokens(name)
        add(tokens, PERSON)
        if len(tokens) > 1:
            add(tokens[-1:], PERSON)  # the surname alone, when it is not an ordinary word
    for name in organisations:
        tokens = _tokens(name)
        if sum(len(t) for t in tokens) >= MIN_LETTERS and len(tokens) > 1:
            found.setdefault(tuple(t.lower() for t in tokens), ORGANISATION)
        add(tokens, ORGANISATION)
        add(_distinctive(tokens), ORGANISATION)
        add(_core(_distinctive(tokens)), ORGANISATION)
    ordered = sorted(found.items(), key=lambda item: -sum(len(t) for t in item[0]))
    return [(entity, list(key)) for key, entity in ordered]


@lru_cache(maxsize=256)
def _pattern(key: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern | None:
    """One case-insensitive pattern for every variant, a named group per entity type."""
    by_entity: dict[str, list[str]] = {}
    for entity, tokens in key:
        words = [_IN_WORD.join(re.escape(ch) for ch in token) for token in tokens]
        by_entity.setdefault(entity, []).append(_BETWEEN_WORDS.join(words))
    if not by_entity:
        return None
    groups = "|".join(
        f"(?P<{entity}>{'|'.join(alternatives)})" for entity, alternatives in by_entity.items()
    )
    return re.compile(rf"(?<![A-Za-z0-9])(?:{groups})(?![A-Za-z0-9])", re.IGNORECASE)


def find_known_names(
    text: str,
    organisations: Sequence[str] = (),
    people: Sequence[str] = (),
    field: str = "text",
) -> list[Finding]:
    """Where `text` names one of these organisations or people (offsets into `text`)."""
    if not text or not (organisations or people):
        return []
    key = tuple((entity, tuple(tokens)) for entity, tokens in variants(organisations, people))
    pattern = _pattern(key)
    if pattern is None:
        return []
    normalised = normalise(text)
    findings = []
    for match in pattern.finditer(normalised.text):
        if match.end() == match.start():
            continue
        start, end = normalised.original(*match.span())
        entity = match.lastgroup or ORGANISATION
        findings.append(Finding(field, entity, start, end, text[start:end], 0.95))
    return findings


def merge(findings: Iterable[Finding], text: str) -> list[Finding]:
    """One finding per stretch of text: overlapping findings become their union, labelled with
    the more confident kind (the known name when equally sure: it says what it is)."""
    merged: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            keep = last if last.score > f.score else f
            end = max(last.end, f.end)
            merged[-1] = Finding(
                last.field,
                keep.entity_type,
                last.start,
                end,
                text[last.start : end],
                max(last.score, f.score),
            )
        else:
            merged.append(f)
    return merged


def check_quote(
    text: str,
    organisations: Sequence[str] = (),
    people: Sequence[str] = (),
    field: str = "text",
) -> list[Finding]:
    """Every personal data finding in a quote: the engine's, and the names that identify its
    submitter (`organisations` only when consent is anonymised; `people` always)."""
    return merge(
        personal_data.analyse_text(text, field)
        + find_known_names(text, organisations, people, field),
        text,
    )
