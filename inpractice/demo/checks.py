"""What makes the demo read like a real call, as checks the generator and its tests share.

A real call for evidence does not contain the same sentence in a dozen responses, a primary
school does not write about its PE department, and a response about deaf pupils does not
suddenly talk about autism. The loader (`inpractice.demo.loader`) uses these functions to keep
each fragment it chooses fitting and fresh; `tests/demo/test_realism.py` runs them over the
whole generated demo (submissions and published case studies together).

Pure Python, no Django: the functions take plain strings and sets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache

# The rule: no sentence appears in more than this many items (submissions and case studies).
MAX_ITEMS_PER_SENTENCE = 2

# A sentence ends at . ! or ? (and any closing quote) before a space, but not after an initial
# ("F. joined us in Year 3").
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)[\"'”’)]*\s+")


def sentences(text: str) -> list[str]:
    """The sentences of `text`, each normalised (whitespace collapsed, lower case, no outer
    quotes), so that two copies differing only in spacing or capitals count as one sentence."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text or ""):
        for part in _SENTENCE_END.split(" ".join(paragraph.split())):
            part = part.strip(" \"'“”‘’").lower()
            if any(ch.isalpha() for ch in part):
                out.append(part)
    return out


_SPLIT = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)\s+(?=[A-Z\"'‘“(])")


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences as written (whitespace collapsed), for cutting some out."""
    return [x for x in _SPLIT.split(" ".join(paragraph.split())) if x]


def items_per_sentence(items: Mapping[str, str]) -> dict[str, set[str]]:
    """Normalised sentence -> the keys of the items (texts) it appears in."""
    where: dict[str, set[str]] = defaultdict(set)
    for key, text in items.items():
        for sentence in sentences(text):
            where[sentence].add(key)
    return where


def repeated_sentences(
    items: Mapping[str, str], limit: int = MAX_ITEMS_PER_SENTENCE
) -> dict[str, int]:
    """Sentences found in more than `limit` items, with the number of items."""
    return {s: len(keys) for s, keys in items_per_sentence(items).items() if len(keys) > limit}


# ------------------------------------------------------------------ phase

# Register phases: nursery, primary, middle, secondary, all_through, 16_plus.
_SECONDARY_WORDS = re.compile(
    r"\b(years? (7|8|9|10|11|12|13)|years (7|8|9|10|11|12) (to|and|-|–) \d+|"
    r"departments?|form tutors?|form groups?|gcses?|key stages? [345]|ks[345]|sixth form)\b",
    re.IGNORECASE,
)
_INFANT_WORDS = re.compile(
    r"\b(reception|years? [1-4]\b|eyfs|early years foundation stage|key stage 1|ks1|"
    r"nursery class|phonics screening)",
    re.IGNORECASE,
)
_SCHOOL_YEAR_WORDS = re.compile(r"\b(years? ([1-9]|1[0-3])\b|reception|departments?)", re.I)


def phase_problems(text: str, phases: Iterable[str]) -> list[str]:
    """Words in `text` that a response covering only `phases` would not use: secondary years,
    departments and form tutors in a primary or nursery response; Reception, Years 1 to 4 and
    key stage 1 in a secondary or 16 to 19 one. A response covering several phases (a trust of
    primaries and secondaries, an all-through school) may use either."""
    return list(_phase_problems(text, frozenset(phases)))


@lru_cache(maxsize=16384)  # the loader asks about the same fragments many times
def _phase_problems(text: str, phases: frozenset[str]) -> tuple[str, ...]:
    """`phase_problems` for a set of phases, remembered."""
    if not phases or phases & {"all_through", "middle"}:
        return ()
    found: list[str] = []
    if phases <= {"nursery", "primary"}:
        found += [m.group(0) for m in _SECONDARY_WORDS.finditer(text)]
    if phases <= {"nursery"}:
        found += [m.group(0) for m in _SCHOOL_YEAR_WORDS.finditer(text)]
    if phases <= {"secondary", "16_plus"}:
        found += [m.group(0) for m in _INFANT_WORDS.finditer(text)]
    return tuple(found)


# ------------------------------------------------------------------ need

# Words that tie a text to one DfE need code. A fragment that names a need belongs only in a
# response about that need (an autism story in a response about deaf pupils reads false).
NEED_WORDS: dict[str, re.Pattern[str]] = {
    "ASD": re.compile(r"\b(autis\w*|asd|asc)\b", re.IGNORECASE),
    "HI": re.compile(
        r"\b(deaf\w*|hearing (loss|impair\w*|aids?)|bsl|teachers? of the deaf)\b", re.I
    ),
    "VI": re.compile(r"\b(blind\w*|braille|visual(ly)? impair\w*|vision|habilitation)\b", re.I),
    "SPLD": re.compile(r"\b(dyslexi\w*|dyscalcul\w*|dyspraxi\w*)\b", re.IGNORECASE),
    "PD": re.compile(r"\b(wheelchairs?|cerebral palsy|physical disabilit\w*)\b", re.I),
    "MSI": re.compile(r"\b(multi-sensory impair\w*|deafblind\w*)\b", re.IGNORECASE),
    "PMLD": re.compile(r"\b(profound and multiple)\b", re.IGNORECASE),
}
# A response about one of these needs may also name the others without reading false.
_RELATED = {"HI": {"MSI"}, "VI": {"MSI"}, "MSI": {"HI", "VI"}, "PMLD": {"PD", "SLD", "MSI"}}


@lru_cache(maxsize=8192)  # the loader asks about the same fragments many times
def needs_named(text: str) -> frozenset[str]:
    """The need codes whose words `text` uses."""
    return frozenset(code for code, pattern in NEED_WORDS.items() if pattern.search(text))


def need_problems(text: str, needs: Iterable[str]) -> set[str]:
    """Need codes `text` names that a response about `needs` does not serve."""
    needs = set(needs)
    allowed = needs | {r for n in needs for r in _RELATED.get(n, set())}
    return set(needs_named(text) - allowed)
