"""Splitting a submission into passages that point back to the exact words.

Every passage carries code-point offsets into the *canonical* text (line endings normalised to
`\\n`, Unicode NFC), so a code, quote or theme can always be shown in place: for any passage,
`canonical[p.start:p.end] == p.text`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Full stops after these are not sentence ends ("e.g. Zones", "St. Mary's", "Dr. Khan").
ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "eg",
    "ie",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "prof",
    "no",
    "vs",
    "approx",
    "incl",
    "dept",
    "yr",
    "fig",
    "cf",
    "al",
    "ltd",
    "inc",
    "co",
    "sen",
    "nb",
}
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+|$)")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def canonical(text: str) -> str:
    """The form every offset refers to: NFC, `\\n` line endings, no trailing whitespace."""
    text = unicodedata.normalize("NFC", text or "")
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


@dataclass(frozen=True)
class Passage:
    index: int
    start: int
    end: int
    text: str
    paragraph: int

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "paragraph": self.paragraph,
        }


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: blank lines separate them, and so does each list item."""
    position = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        start, end = _trimmed(text, position, match.start())
        if end > start:
            yield start, end
        position = match.end()
    start, end = _trimmed(text, position, len(text))
    if end > start:
        yield start, end


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end]."""
    position = start
    for match in SENTENCE_END.finditer(text, start, end):
        before = text[position : match.start()]
        last_word = re.findall(r"[A-Za-z.]+$", before)
        if last_word and last_word[0].lower().rstrip(".") in ABBREVIATIONS:
            continue
        # "1.5" never matches (needs whitespace after); a capital or digit should follow a real end
        following = text[match.end() : end].lstrip()
        if following and following[0].islower():
            continue
        s, e = _trimmed(text, position, match.end())
        if e > s:
            yield s, e
        position = match.end()
    s, e = _trimmed(text, position, end)
    if e > s:
        yield s, e


def segment(text: str, max_words: int = 80, min_words: int = 8) -> list[Passage]:
    """Passages of whole sentences within a paragraph, about `max_words` long at most.

    Short paragraphs are one passage; long ones are cut into consecutive sentence windows. A
    sentence shorter than `min_words` joins its neighbour so headings and fragments do not
    become passages of their own unless they stand alone as a paragraph.
    """
    text = canonical(text)
    passages: list[Passage] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs(text)):
        window_start: int | None = None
        window_end = p_start
        window_words = 0
        for s_start, s_end in sentences(text, p_start, p_end):
            words = len(text[s_start:s_end].split())
            if (
                window_start is not None
                and window_words + words > max_words
                and window_words >= min_words
            ):
                passages.append(_passage(text, len(passages), window_start, window_end, p_index))
                window_start, window_words = None, 0
            if window_start is None:
                window_start = s_start
            window_end = s_end
            window_words += words
        if window_start is not None:
            passages.append(_passage(text, len(passages), window_start, window_end, p_index))
    return passages


def _passage(text: str, index: int, start: int, end: int, paragraph: int) -> Passage:
    return Passage(index=index, start=start, end=end, text=text[start:end], paragraph=paragraph)
