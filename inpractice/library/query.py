"""Turning what a person types into safe full-text queries, and marking matches (no Django).

Anything can arrive in the search box: a whole page pasted in, NUL bytes, emoji, FTS operators
(`"`, `*`, `NEAR`, `-`, `:`, `^`). Nothing typed is ever passed to the database's query language
as syntax: the text is reduced to words (letters and digits only), each word becomes a quoted
FTS5 string or a bare tsquery lexeme, and words are joined with OR so that BM25 / ts_rank rank
documents with more of them higher. A few words that SEND practitioners use interchangeably
(autistic, autism, ASD) are expanded so the full-text side already finds either form.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

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

# Interchangeable terms in SEND practice. Each group expands to all its members.
SYNONYM_GROUPS = [
    {"autistic", "autism", "asd", "asc"},
    {"semh", "wellbeing", "emotional"},
    {"slcn", "speech", "language"},
    {"adhd", "attention"},
    {"dyslexia", "dyslexic", "spld"},
    {"send", "sen"},
    {"ehcp", "ehc"},
    {"timetable", "timetables", "schedule", "schedules"},
    {"change", "changes", "transition", "transitions"},
    {"anxiety", "anxious", "worries"},
    {"hearing", "deaf"},
    {"vision", "visual", "blind"},
    {"sport", "sports", "pe"},
]
SYNONYMS: dict[str, frozenset[str]] = {}
for _group in SYNONYM_GROUPS:
    for _word in _group:
        SYNONYMS[_word] = SYNONYMS.get(_word, frozenset()) | frozenset(_group)


@dataclass
class ParsedQuery:
    text: str  # the cleaned text, as shown back to the person and embedded
    words: list[str] = field(default_factory=list)  # content words, lower case, in order
    truncated: bool = False
    had_input: bool = False

    @property
    def expanded(self) -> list[str]:
        out: list[str] = []
        for word in self.words:
            for w in sorted(SYNONYMS.get(word, {word}) | {word}):
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
    return ParsedQuery(text=text, words=unique, truncated=truncated, had_input=bool(text))


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


def highlight_pattern(words: list[str]) -> re.Pattern | None:
    stems = sorted({_stem(w) for w in words if len(w) >= 2}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(s) + r"\w*" for s in stems) + ")", re.I)


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
