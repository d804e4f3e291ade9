"""Turning what a person types into safe full-text queries, and marking matches (no Django).

Anything can arrive in the search box: a whole page pasted in, NUL bytes, emoji, FTS operators
(`"`, `*`, `NEAR`, `-`, `:`, `^`). Nothing typed is ever passed to the database's query language
as syntax: the text is reduced to words (letters and digits only), each word becomes a quoted
FTS5 string or a tsquery built by the database from plain text. The query is read as concepts
(`Concept`): each content word, or a phrase from the SEND synonym data
(data/send_synonyms.yaml: autism, autistic, ASD, ASC; deaf, hearing impairment, HI; ...), with
every term that means the same, so either form finds the other.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

MAX_CHARS = 500
MAX_WORDS = 16
# Letters and digits of any script; everything else (quotes, stars, colons, dashes) separates.
WORD = re.compile(r"[^\W_]+", re.UNICODE)

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "help",
        "helping",
        "helps",
        "use",
        "using",
        "used",
        "way",
        "ways",
        "make",
        "making",
        "made",
        "get",
        "getting",
    ]
)

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "send_synonyms.yaml"


@dataclass(frozen=True)
class SynonymGroup:
    terms: tuple[str, ...]  # lower case; a term of several words is a phrase
    need_code: str = ""
    typed_only: frozenset[str] = frozenset()  # understood when typed, never searched for

    def searched(self, typed: str) -> tuple[str, ...]:
        """The terms to search for when `typed` was typed: it first, then the others."""
        ordered = (typed, *[t for t in self.terms if t != typed])
        return tuple(t for t in ordered if t not in self.typed_only)


@cache
def synonym_groups() -> tuple[SynonymGroup, ...]:
    """The SEND synonym groups (data/send_synonyms.yaml), terms reduced to words as typed ones."""
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8"))
    groups = []
    for group in data["groups"]:
        terms = tuple(dict.fromkeys(" ".join(WORD.findall(str(t).lower())) for t in group["terms"]))
        typed_only = {" ".join(WORD.findall(str(t).lower())) for t in group.get("typed_only", [])}
        groups.append(
            SynonymGroup(
                tuple(t for t in terms if t),
                str(group.get("need_code", "")),
                frozenset(typed_only),
            )
        )
    return tuple(groups)


@cache
def term_labels() -> dict[str, str]:
    """{term as searched: as written in the synonym data} ("spld": "SpLD")."""
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8"))
    return {
        " ".join(WORD.findall(str(t).lower())): str(t) for g in data["groups"] for t in g["terms"]
    }


@cache
def _synonym_lookup() -> dict[tuple[str, ...], SynonymGroup]:
    lookup: dict[tuple[str, ...], SynonymGroup] = {}
    for group in synonym_groups():
        for t in group.terms:
            lookup.setdefault(tuple(t.split()), group)
    return lookup


@dataclass(frozen=True)
class Concept:
    """One thing the person asked for: a word they typed (or a phrase from the synonym data),
    with every term that means the same. A case study matches it if it has any of the terms."""

    typed: str  # as it was in the query (lower case)
    terms: tuple[str, ...]  # the typed term first; phrases are space-separated words
    need_code: str = ""

    @property
    def key(self) -> str:
        return "|".join(sorted(self.terms)) + (f"#{self.need_code}" if self.need_code else "")

    @property
    def synonyms(self) -> list[str]:
        return [t for t in self.terms if t != self.typed]


def concept_for(word: str) -> Concept:
    group = _synonym_lookup().get((word,))
    if group is None:
        return Concept(word, (word,))
    return Concept(word, group.searched(word), group.need_code)


def concepts_of(tokens: list[str]) -> list[Concept]:
    """Concepts of the query's tokens, in order: the longest synonym phrase at each position
    ("hearing impairment"), else each content word on its own. At most MAX_WORDS."""
    lookup = _synonym_lookup()
    longest = max((len(k) for k in lookup), default=1)
    out: list[Concept] = []
    seen: set[str] = set()
    i = 0
    while i < len(tokens) and len(out) < MAX_WORDS:
        for n in range(min(longest, len(tokens) - i), 0, -1):
            group = lookup.get(tuple(tokens[i : i + n]))
            if group is not None and (n > 1 or tokens[i] not in STOP_WORDS):
                typed = " ".join(tokens[i : i + n])
                concept = Concept(typed, group.searched(typed), group.need_code)
                i += n
                break
        else:
            word = tokens[i]
            i += 1
            if word in STOP_WORDS or len(word) > 40:
                continue
            concept = Concept(word, (word,))
        if concept.key not in seen:
            seen.add(concept.key)
            out.append(concept)
    return out


@dataclass
class ParsedQuery:
    text: str  # the cleaned text, as shown back to the person and embedded
    words: list[str] = field(default_factory=list)  # content words, lower case, in order
    truncated: bool = False
    had_input: bool = False
    concepts: list[Concept] = field(default_factory=list)

    @property
    def expanded(self) -> list[str]:
        """Every word of every concept's terms, typed ones first."""
        out: list[str] = []
        for concept in self.concepts:
            for t in concept.terms:
                for w in t.split():
                    if w not in out:
                        out.append(w)
        return out


def clean(raw: str | None) -> tuple[str, bool]:
    """Printable text of at most MAX_CHARS characters; True if anything was cut."""
    text = unicodedata.normalize("NFKC", raw or "")
    # Control characters (NUL included) and unpaired surrogates cannot be stored or shown.
    text = "".join(
        " " if (unicodedata.category(c) in ("Cc", "Cs", "Co") or c in "\u2028\u2029") else c
        for c in text
    )
    text = " ".join(text.split())
    truncated = len(text) > MAX_CHARS
    return text[:MAX_CHARS].strip(), truncated


def tokens(text: str) -> list[str]:
    return [t.lower() for t in WORD.findall(text)]


def parse(raw: str | None) -> ParsedQuery:
    text, truncated = clean(raw)
    tokens = [t.lower() for t in WORD.findall(text)]
    words = [t for t in tokens if t not in STOP_WORDS and len(t) <= 40]
    if not words:
        # Only stop words ("what is it"): search on them rather than nothing at all.
        words = [t for t in tokens if len(t) <= 40]
    unique: list[str] = []
    for w in words:
        if w not in unique:
            unique.append(w)
    if len(unique) > MAX_WORDS:
        unique, truncated = unique[:MAX_WORDS], True
    concepts = concepts_of([t for t in tokens if len(t) <= 40])
    if not concepts and unique:
        concepts = [concept_for(w) for w in unique]
    return ParsedQuery(
        text=text, words=unique, truncated=truncated, had_input=bool(text), concepts=concepts
    )


def fts5_expression(words: list[str], tag_groups: list[list[str]] | None = None) -> str:
    """An FTS5 MATCH expression: any of the words, and (for each facet) any of its tag terms.

    Words are wrapped in double quotes (which FTS5 reads as a plain string), so NEAR, AND, OR,
    NOT, `*`, `^` and `:` typed by a person are searched for as words, never run as operators.
    """
    parts = []
    if words:
        parts.append("(" + " OR ".join(f'"{w}"' for w in words) + ")")
    for group in tag_groups or []:
        parts.append("tag_terms : (" + " OR ".join(f'"{t}"' for t in group) + ")")
    return " AND ".join(parts)


def tsquery_text(words: list[str]) -> str:
    """Text for PostgreSQL `to_tsquery`: lexemes joined with `|`. Words hold only letters and
    digits, so no tsquery operator can appear."""
    return " | ".join(words)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _term_pattern(term: str) -> str:
    """A regex for one term: each word by its stem and its usual endings (`pupil`, `pupils`);
    words of three letters or fewer (ASD, HI, PE) only exactly; a phrase's words in order."""
    parts = []
    for word in term.split():
        if len(word) <= 3:
            parts.append(re.escape(word) + r"(?!\w)")
        else:
            parts.append(re.escape(_stem(word)) + r"\w{0,4}(?!\w)")
    return r"[\W_]+".join(parts)


def highlight_pattern(terms: list[str]) -> re.Pattern | None:
    """Marks the given terms (words or phrases) wherever they occur, whole words only."""
    terms = sorted({t for t in terms if len(t) >= 2}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(_term_pattern(t) for t in terms) + ")", re.I)


def highlight(text: str, pattern: re.Pattern | None) -> str:
    """HTML of `text` with matches in <mark>; every piece of `text` is escaped first."""
    if pattern is None:
        return html.escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f'<mark class="app-mark">{html.escape(match.group())}</mark>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, pattern: re.Pattern | None, width: int = 260) -> str:
    """A passage of about `width` characters around the first match (plain text)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    match = pattern.search(text) if pattern else None
    start = max(0, (match.start() if match else 0) - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def count_matches(text: str, pattern: re.Pattern | None) -> int:
    return len(pattern.findall(text)) if pattern else 0
