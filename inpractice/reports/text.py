"""The report's authored text, rendered safely: a few Markdown forms and evidence markers (ADR 25).

What an analyst may write (docs/writing-the-report.md):

* paragraphs (a blank line between them), ``**bold**``, ``*italic*``;
* bullet lists (``- item``) and numbered lists (``1. item``), block quotes (``> words``);
* headings: ``###`` and ``####`` (any other level is brought into that range, so a section's
  outline under its own heading stays valid);
* links, to ``https://`` addresses only (anything else stays as the literal text);
* evidence markers: ``[evidence: q12]`` or ``[evidence: q12, q40]``, where ``q12`` is an approved
  quote (the decision on a span of a submission's words, `workspace.QuoteReview`, which holds
  across analysis runs).

Everything else is escaped: markdown-it-py runs with HTML off (``<script>`` is text), images,
code blocks, tables and raw HTML are disabled, and only https links are made links.

An evidence marker renders through a `Citer`: for staff (`StaffCiter`) a link to the passages
behind it; for the public (`PublicCiter`) a numbered reference to the quote's words, printed
beneath the section, and only for a quote that may be published when the edition is built
(approved, consented, passing the personal data check). A marker that names nothing publishable
renders as nothing: the public never get a link into staff pages nor any unpublished words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

# `[evidence: q12]`, `[evidence: q12, q40]`; case and spaces are forgiven.
MARKER = re.compile(r"\[\s*evidence\s*:\s*(q\d+(?:\s*,\s*q\d+)*)\s*\]", re.IGNORECASE)
MARKER_ID = re.compile(r"q(\d+)", re.IGNORECASE)


def marker(ids: Sequence[int]) -> str:
    """The marker text for these quote decisions, as the suggested draft writes it."""
    return "[evidence: " + ", ".join(f"q{i}" for i in ids) + "]"


def cited_ids(text: str) -> list[int]:
    """Every quote decision the text's markers name, in order of first mention."""
    seen: dict[int, None] = {}
    for match in MARKER.finditer(text or ""):
        for number in MARKER_ID.findall(match.group(1)):
            seen.setdefault(int(number), None)
    return list(seen)


class Citer:
    """Turns one marker's quote ids into HTML (already escaped)."""

    def cite(self, ids: list[int]) -> str:  # pragma: no cover - the subclasses say
        raise NotImplementedError


class NoCiter(Citer):
    """Markers render as nothing (a plain preview with no evidence)."""

    def cite(self, ids: list[int]) -> str:
        return ""


class StaffCiter(Citer):
    """A link to the staff page that opens the passages behind a marker."""

    def __init__(self, url_for: Callable[[list[int]], str]):
        self.url_for = url_for

    def cite(self, ids: list[int]) -> str:
        names = ", ".join(f"q{i}" for i in ids)
        count = f"{len(ids)} passage{'s' if len(ids) != 1 else ''}"
        return str(
            format_html(
                '<a class="govuk-link app-evidence-link" href="{}">[evidence<span '
                'class="govuk-visually-hidden">: open {} ({})</span>]</a>',
                self.url_for(ids),
                count,
                names,
            )
        )


@dataclass
class Source:
    """A quote the public text refers to, numbered in order of first mention."""

    number: int
    text: str
    attribution: str


@dataclass
class PublicCiter(Citer):
    """Numbered references to publishable quotes; `sources` lists them for beneath the section.

    `quotes` maps a quote decision's id to (words, attribution) for the quotes that may be
    published; any other id is dropped without a trace. `anchor` makes the ids of the
    references unique on the page. A quote whose words the section already quotes in full
    (`body`, as the suggested draft does) needs no reference: it renders as nothing, and
    counts in `quoted`.
    """

    quotes: dict[int, tuple[str, str]]
    anchor: str
    body: str = ""
    sources: list[Source] = field(default_factory=list)
    quoted: set[int] = field(default_factory=set)
    _numbers: dict[int, int] = field(default_factory=dict)

    def cite(self, ids: list[int]) -> str:
        parts = []
        plain = _squash(self.body)
        for i in ids:
            if i not in self.quotes:
                continue
            self.quoted.add(i)
            if _squash(self.quotes[i][0]) in plain:
                continue  # its words are in the text already, with their attribution
            if i not in self._numbers:
                self._numbers[i] = len(self._numbers) + 1
                words, attribution = self.quotes[i]
                self.sources.append(Source(self._numbers[i], words, attribution))
            n = self._numbers[i]
            parts.append(
                str(
                    format_html(
                        '<a class="govuk-link" href="#{}-source-{}">{}</a>',
                        self.anchor,
                        n,
                        n,
                    )
                )
            )
        if not parts:
            return ""
        return '<sup class="app-source-ref">[' + ", ".join(parts) + "]</sup>"


def _squash(words: str) -> str:
    return " ".join((words or "").split()).casefold()


def _evidence_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[":
        return False
    match = MARKER.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("evidence", "", 0)
        token.meta = {"ids": [int(n) for n in MARKER_ID.findall(match.group(1))]}
    state.pos = match.end()
    return True


def _https_only(url: str) -> bool:
    return url.strip().lower().startswith("https://")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "code", "fence", "html_block", "html_inline", "entity", "reference"])
    md.validateLink = _https_only
    md.inline.ruler.before("link", "evidence", _evidence_rule)
    return md


def _render_evidence(self, tokens, idx, options, env) -> str:
    return env["citer"].cite(tokens[idx].meta["ids"])


_MD = _parser()
_MD.add_render_rule("evidence", _render_evidence)
CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "blockquote": "app-quote__text app-text-quote",
    "a": "govuk-link",
}


def render(text: str, citer: Citer | None = None, heading_level: int = 3) -> SafeString:
    """The HTML of an authored section: safe to mark safe, every character of input escaped
    unless it is one of the forms above. Headings become `heading_level` and the level below."""
    citer = citer or NoCiter()
    tokens: list[Token] = _MD.parse(text or "")
    top = max(2, min(heading_level, 5))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{top if level <= 3 else top + 1}"
            if token.type == "heading_open":
                token.attrSet("class", "govuk-heading-m" if level <= 3 else "govuk-heading-s")
        elif token.type.endswith("_open") and token.tag in CLASSES:
            token.attrSet("class", CLASSES[token.tag])
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("class", "govuk-link")
                child.attrSet("rel", "noopener noreferrer")

    # The citer travels in `env`, so one shared parser serves every request at once.
    html = _MD.renderer.render(tokens, _MD.options, {"citer": citer})
    return mark_safe(html)  # noqa: S308 - markdown-it escapes all input (html off)


def is_written(text: str) -> bool:
    """A section counts as written when it has words besides its evidence markers."""
    return bool(MARKER.sub("", text or "").strip())
