"""Which frameworks, programmes, assessments, tools and training approaches submissions name.

Three pieces, all plain data in and out:

* a seed **lexicon** (YAML, `lexicons/mentions.yaml`) of named things English schools cite around
  SEND and inclusion, each with aliases, acronyms and a kind;
* a fast **extractor** that finds lexicon aliases in a text (one compiled trie-shaped regex, whole
  words, case-insensitive except listed acronyms, leftmost-longest, no overlaps) and reports
  code-point offsets into `segmentation.canonical(text)`;
* **discovery** of names the lexicon lacks (capitalised multi-word names, acronyms,
  "... approach" / "... programme" phrases) ranked by how many submissions use them, and
  **counting** of mentions per submission for the report ("numerous frameworks and tools were
  cited": which, how many, how often).

Typical use::

    extractor = MentionExtractor()
    candidates = extractor.discover(texts.values(), min_submissions=2)
    per_submission = {sid: extractor.extract(t, include=candidates) for sid, t in texts.items()}
    summary = count_mentions(per_submission)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from inpractice.analysis.personal_data import postcode_spans
from inpractice.analysis.segmentation import canonical

KINDS = (
    "framework",
    "programme",
    "intervention",
    "assessment",
    "tool",
    "training",
    "service",
    "guidance",
    "approach",
)
UNKNOWN_KIND = "unknown"
NEED_CODES = frozenset(
    {"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH"}
)
ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DEFAULT_LEXICON = "lexicons/mentions.yaml"

# Separators an alias space or hyphen may match in text; apostrophes straight or curly.
_SEP_CHARS = " \t\n-\u2010\u2011\u2012\u2013"
_SEP_RE = r"[\s\-\u2010\u2011\u2012\u2013]+"
_APOS_CHARS = "'\u2019"
_APOS_RE = "['\u2019]"
_SEP_SPLIT = re.compile(r"[\s\-\u2010\u2011\u2012\u2013]+")
_APOS_SUB = re.compile("['\u2019]")


class LexiconError(ValueError):
    """A lexicon file or entry that cannot be used, with a message naming the entry."""


# --------------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class LexiconEntry:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    case_sensitive_aliases: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class DiscoveryConfig:
    """Stop lists and trigger words for `discover`, read from the lexicon's `discovery` block."""

    triggers: Mapping[str, str] = field(default_factory=dict)
    stop_acronyms: frozenset[str] = frozenset()
    stop_phrases: frozenset[str] = frozenset()
    generic_modifiers: frozenset[str] = frozenset()
    organisation_suffixes: frozenset[str] = frozenset()
    stop_words: frozenset[str] = frozenset()
    function_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[LexiconEntry, ...]
    discovery: DiscoveryConfig = field(default_factory=DiscoveryConfig)

    def get(self, entry_id: str) -> LexiconEntry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class Mention:
    """One named thing found in a text; `canonical(text)[start:end] == surface`."""

    id: str
    name: str
    kind: str
    start: int
    end: int
    surface: str
    known: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Candidate:
    """A name the lexicon lacks, found by `discover`, ranked by distinct submissions."""

    id: str  # "new:<normalised>"
    name: str  # most frequent surface form
    kind: str  # suggested by a trigger word ("... programme"), else "unknown"
    source: str  # "name" | "acronym" | "phrase" | "word"
    submissions: int
    occurrences: int
    aliases: tuple[str, ...] = ()  # surface forms seen, most frequent first
    example: str = ""  # a little context from the first submission using it

    def to_dict(self) -> dict:
        data = asdict(self)
        data["aliases"] = list(self.aliases)
        return data


@dataclass
class MentionCount:
    id: str
    name: str
    kind: str
    known: bool
    submissions: int = 0  # submissions citing it at least once
    occurrences: int = 0  # every occurrence in every submission


@dataclass
class MentionSummary:
    submissions: int  # submissions counted (with or without mentions)
    submissions_with_mentions: int
    distinct: int  # distinct ids cited anywhere
    distinct_known: int
    distinct_new: int
    distinct_by_kind: dict[str, int]
    submissions_by_kind: dict[str, int]  # submissions citing at least one thing of that kind
    mentions: dict[str, MentionCount]  # by id, most-cited first

    def to_dict(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------------------------ loading


def _strings(value: Any, where: str, field_name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise LexiconError(f"{where}: '{field_name}' must be a list of strings")
    out = []
    for item in value:
        if not isinstance(item, str | int | float) or not str(item).strip():
            raise LexiconError(f"{where}: '{field_name}' has an empty or non-text item: {item!r}")
        out.append(unicodedata.normalize("NFC", str(item).strip()))
    return tuple(out)


def alias_key(alias: str, case_sensitive: bool = False) -> str:
    """How an alias is compared: NFC, separators collapsed, apostrophes unified, lower case
    unless case-sensitive. Two aliases with one key match exactly the same text."""
    text = unicodedata.normalize("NFC", alias).strip()
    text = _APOS_SUB.sub("'", _SEP_SPLIT.sub(" ", text))
    return text if case_sensitive else text.lower()


def _parse_discovery(raw: Any) -> DiscoveryConfig:
    if raw is None:
        return DiscoveryConfig()
    if not isinstance(raw, Mapping):
        raise LexiconError("'discovery' must be a mapping")
    triggers = raw.get("triggers") or {}
    if not isinstance(triggers, Mapping):
        raise LexiconError("discovery: 'triggers' must map a word to a kind")
    for word, kind in triggers.items():
        if kind not in KINDS:
            raise LexiconError(f"discovery trigger '{word}': unknown kind '{kind}'")

    def words(name: str, upper: bool = False) -> frozenset[str]:
        items = _strings(raw.get(name), "discovery", name)
        return frozenset(i.upper() if upper else i.lower() for i in items)

    return DiscoveryConfig(
        triggers={str(k).lower(): str(v) for k, v in triggers.items()},
        stop_acronyms=words("stop_acronyms", upper=True),
        stop_phrases=frozenset(alias_key(p) for p in words("stop_phrases")),
        generic_modifiers=words("generic_modifiers"),
        organisation_suffixes=words("organisation_suffixes"),
        stop_words=words("stop_words"),
        function_words=words("function_words"),
    )


def parse_lexicon(data: Any) -> Lexicon:
    """Validate a lexicon structure (as loaded from YAML/JSON) and build a `Lexicon`."""
    if isinstance(data, Mapping):
        raw_entries = data.get("entries")
        discovery = _parse_discovery(data.get("discovery"))
    else:
        raw_entries, discovery = data, DiscoveryConfig()
    if not isinstance(raw_entries, Sequence) or isinstance(raw_entries, str) or not raw_entries:
        raise LexiconError("a lexicon needs a non-empty list of 'entries'")
    entries: list[LexiconEntry] = []
    seen_ids: set[str] = set()
    owners: dict[str, str] = {}  # alias key -> entry id, insensitive keys lower-cased
    for position, raw in enumerate(raw_entries):
        if not isinstance(raw, Mapping):
            raise LexiconError(f"entry {position + 1}: must be a mapping")
        entry_id = str(raw.get("id") or "")
        where = f"entry '{entry_id or position + 1}'"
        if not ENTRY_ID.match(entry_id):
            raise LexiconError(f"{where}: id must be lower-case letters, digits and '-'")
        if entry_id in seen_ids:
            raise LexiconError(f"{where}: duplicate id")
        seen_ids.add(entry_id)
        name = str(raw.get("name") or "").strip()
        if not name:
            raise LexiconError(f"{where}: needs a name")
        kind = raw.get("kind")
        if kind not in KINDS:
            raise LexiconError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
        aliases = _strings(raw.get("aliases"), where, "aliases")
        sensitive = _strings(raw.get("case_sensitive_aliases"), where, "case_sensitive_aliases")
        if not aliases and not sensitive:
            raise LexiconError(f"{where}: needs at least one alias")
        needs = _strings(raw.get("needs"), where, "needs")
        for need in needs:
            if need.upper() not in NEED_CODES:
                raise LexiconError(f"{where}: unknown need code '{need}'")
        for alias, is_sensitive in [(a, False) for a in aliases] + [(a, True) for a in sensitive]:
            if not any(ch.isalnum() for ch in alias):
                raise LexiconError(f"{where}: alias {alias!r} has no letters or digits")
            tag = ("s:" + alias_key(alias, True)) if is_sensitive else ("i:" + alias_key(alias))
            other = owners.setdefault(tag, entry_id)
            if other != entry_id:
                raise LexiconError(f"{where}: alias {alias!r} already belongs to '{other}'")
        entries.append(
            LexiconEntry(
                id=entry_id,
                name=name,
                kind=kind,
                aliases=aliases,
                case_sensitive_aliases=sensitive,
                needs=tuple(n.upper() for n in needs),
                note=str(raw.get("note") or "").strip(),
            )
        )
    # A case-sensitive alias whose lower-cased form is some other entry's insensitive alias is a
    # clash too: the insensitive one would already match it.
    for entry in entries:
        for alias in entry.case_sensitive_aliases:
            other = owners.get("i:" + alias_key(alias))
            if other is not None and other != entry.id:
                raise LexiconError(
                    f"entry '{entry.id}': alias {alias!r} already belongs to '{other}'"
                )
    return Lexicon(entries=tuple(entries), discovery=discovery)


def load_lexicon(source: str | Path | None = None) -> Lexicon:
    """Load the packaged seed lexicon, or a YAML/JSON file at `source`."""
    if source is None:
        text = resources.files("inpractice.analysis").joinpath(DEFAULT_LEXICON).read_text("utf-8")
        origin = DEFAULT_LEXICON
    else:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise LexiconError(f"cannot read lexicon {path}: {exc}") from exc
        origin = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{origin}: not valid YAML/JSON: {exc}") from exc
    return parse_lexicon(data)


# ------------------------------------------------------------------------------------ matcher

_SEP, _APOS = ("sep",), ("apos",)


def _tokens(alias: str, case_sensitive: bool) -> tuple[tuple, ...]:
    out: list[tuple] = []
    for ch in unicodedata.normalize("NFC", alias.strip()):
        if ch in _SEP_CHARS or ch.isspace():
            if out and out[-1] != _SEP:
                out.append(_SEP)
        elif ch in _APOS_CHARS:
            out.append(_APOS)
        elif case_sensitive:
            out.append(("c", ch, True))
        else:
            for low in ch.lower():  # lower() may yield more than one code point
                out.append(("c", low, False))
    while out and out[-1] == _SEP:
        out.pop()
    return tuple(out)


class _Matcher:
    """All aliases of a set of targets compiled into one trie-shaped regex.

    Leftmost match wins; at one start the trie tries longer continuations first, so the longest
    alias wins ("Zones of Regulation" over a bare "Regulation"). Whole words only, an optional
    plural "s", and `(?<!\\w)` / `(?!\\w)` boundaries.
    """

    def __init__(self, items: Iterable[tuple[str, bool, str]]):
        trie: dict = {}
        self._sensitive: dict[str, str] = {}
        self._insensitive: dict[str, str] = {}
        for alias, case_sensitive, target in items:
            tokens = _tokens(alias, case_sensitive)
            if not tokens:
                continue
            node = trie
            for token in tokens:
                node = node.setdefault(token, {})
            node[None] = True
            if case_sensitive:
                self._sensitive.setdefault(alias_key(alias, True), target)
            else:
                self._insensitive.setdefault(alias_key(alias), target)
        self.size = len(self._sensitive) + len(self._insensitive)
        self._depths: dict[int, int] = {}
        if trie:
            body = self._render(trie)
            self.regex: re.Pattern | None = re.compile(rf"(?<!\w)(?:{body})s?(?!\w)", re.IGNORECASE)
        else:
            self.regex = None

    def _depth(self, node: dict) -> int:
        cached = self._depths.get(id(node))
        if cached is None:
            cached = max((1 + self._depth(c) for k, c in node.items() if k), default=0)
            self._depths[id(node)] = cached
        return cached

    def _render(self, node: dict) -> str:
        children = [(key, child) for key, child in node.items() if key is not None]
        # longer subtrees first, then case-sensitive branches, for a stable, longest-first order
        children.sort(key=lambda kc: (-self._depth(kc[1]), kc[0][0] != "c" or not kc[0][2], kc[0]))
        alternatives = []
        for key, child in children:
            chain = [key]
            # follow single-child chains so literal runs render compactly
            while len(child) == 1 and None not in child:
                ((next_key, next_child),) = child.items()
                chain.append(next_key)
                child = next_child
            alternatives.append(self._render_chain(chain) + self._render(child))
        if not alternatives:
            return ""
        terminal = None in node
        if len(alternatives) == 1 and not terminal:
            return alternatives[0]
        body = "(?:" + "|".join(alternatives) + ")"
        return body + "?" if terminal else body

    @staticmethod
    def _render_chain(chain: list[tuple]) -> str:
        parts: list[str] = []
        sensitive_run: list[str] = []

        def flush() -> None:
            if sensitive_run:
                parts.append("(?-i:" + "".join(sensitive_run) + ")")
                sensitive_run.clear()

        for token in chain:
            if token == _SEP:
                flush()
                parts.append(_SEP_RE)
            elif token == _APOS:
                flush()
                parts.append(_APOS_RE)
            elif token[2]:
                sensitive_run.append(re.escape(token[1]))
            else:
                flush()
                parts.append(re.escape(token[1]))
        flush()
        return "".join(parts)

    def lookup(self, surface: str) -> str | None:
        for form in (surface, surface[:-1] if surface[-1:] in "sS" else None):
            if not form:
                continue
            target = self._sensitive.get(alias_key(form, True))
            if target is None:
                target = self._insensitive.get(alias_key(form))
            if target is not None:
                return target
        return None

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        if self.regex is None:
            return []
        out = []
        lookup = self.lookup
        for match in self.regex.finditer(text):
            target = lookup(match.group())
            if target is not None:
                out.append((match.start(), match.end(), target))
        return out


def _resolve(spans: list[tuple[int, int, int, Any]]) -> list[tuple[int, int, int, Any]]:
    """Leftmost-longest, non-overlapping; ties go to the lower priority number."""
    spans.sort(key=lambda s: (s[0], s[0] - s[1], s[2]))
    kept, last_end = [], -1
    for span in spans:
        if span[0] >= last_end:
            kept.append(span)
            last_end = span[1]
    return kept


# ---------------------------------------------------------------------------------- extractor

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
_QUOTES = "\"'\u2018\u2019\u201c\u201d"


class MentionExtractor:
    """Find lexicon entries (and, optionally, discovered candidates) in free text.

    `MentionExtractor(lexicon=None | path | Lexicon)`; `extract(text, include=None)` returns
    `Mention`s with offsets into `canonical(text)`; `discover(texts)` proposes names the lexicon
    lacks; `fit(texts)` / `transform(texts)` wrap both in the scikit-learn shape.
    """

    def __init__(self, lexicon: Lexicon | str | Path | None = None):
        if lexicon is None or isinstance(lexicon, str | Path):
            lexicon = load_lexicon(lexicon)
        if not isinstance(lexicon, Lexicon):
            lexicon = parse_lexicon(lexicon)
        self.lexicon = lexicon
        self._entries = {entry.id: entry for entry in lexicon.entries}
        items = []
        for entry in lexicon.entries:
            items += [(alias, False, entry.id) for alias in entry.aliases]
            items += [(alias, True, entry.id) for alias in entry.case_sensitive_aliases]
        self._matcher = _Matcher(items)
        self._include_cache: dict[tuple, tuple[_Matcher, dict[str, Candidate]]] = {}
        self.candidates_: list[Candidate] = []

    # -- extraction

    def extract(self, text: str, include: Sequence[Candidate] | None = None) -> list[Mention]:
        """Mentions in `canonical(text)`, in text order, never overlapping."""
        text = canonical(text)
        entries = self._entries
        if not include:
            return [
                Mention(t, entries[t].name, entries[t].kind, s, e, text[s:e], True)
                for s, e, t in self._matcher.spans(text)
            ]
        matcher, by_id = self._candidate_matcher(include)
        spans = [(s, e, 0, t) for s, e, t in self._matcher.spans(text)]
        spans += [(s, e, 1, t) for s, e, t in matcher.spans(text)]
        out = []
        for s, e, priority, target in _resolve(spans):
            if priority == 0:
                entry = entries[target]
                out.append(Mention(target, entry.name, entry.kind, s, e, text[s:e], True))
            else:
                candidate = by_id[target]
                out.append(Mention(target, candidate.name, candidate.kind, s, e, text[s:e], False))
        return out

    def _candidate_matcher(self, include: Sequence[Candidate]) -> tuple[_Matcher, dict]:
        key = tuple((c.id, c.aliases, c.source) for c in include)
        cached = self._include_cache.get(key)
        if cached is None:
            items = []
            for candidate in include:
                sensitive = candidate.source == "acronym"
                for alias in candidate.aliases or (candidate.name,):
                    items.append((alias, sensitive, candidate.id))
            cached = (_Matcher(items), {c.id: c for c in include})
            if len(self._include_cache) > 8:
                self._include_cache.clear()
            self._include_cache[key] = cached
        return cached

    def fit(self, texts: Iterable[str] | Mapping[str, str], min_submissions: int = 2):
        self.candidates_ = self.discover(texts, min_submissions=min_submissions)
        return self

    def transform(self, texts: Iterable[str]) -> list[list[Mention]]:
        return [self.extract(text, include=self.candidates_ or None) for text in texts]

    # -- discovery

    def discover(
        self,
        texts: Iterable[str] | Mapping[str, str],
        min_submissions: int = 2,
        limit: int | None = None,
    ) -> list[Candidate]:
        """Names the lexicon lacks, used in at least `min_submissions` texts, most widely used
        first. Each text counts as one submission."""
        if isinstance(texts, Mapping):
            texts = list(texts.values())
        docs = [canonical(t) for t in texts]
        config = self.lexicon.discovery
        tokenised = [self._tokenise(doc) for doc in docs]
        lower_vocab: Counter[str] = Counter()
        for tokens in tokenised:
            for tok in tokens:
                if tok.text[0].islower():
                    lower_vocab[tok.text.lower()] += 1

        boilerplate = _boilerplate_lines(docs)
        # per doc: (key, surface, source, kind, position)
        raw: list[list[tuple[str, str, str, str, int]]] = []
        midsentence_names: set[str] = set()
        initial_runs: list[tuple[int, list[_Tok], list[_Tok], str]] = []
        for doc_index, (doc, tokens) in enumerate(zip(docs, tokenised, strict=True)):
            found: list[tuple[str, str, str, str, int]] = []
            # skip what the lexicon already knows, postcodes, and template lines
            skip = self._matcher.spans(doc)
            skip += [(start, end, "") for start, end in postcode_spans(doc)]
            if boilerplate:
                for pattern in (_LINE, _SENTENCE):
                    for m in pattern.finditer(doc):
                        if " ".join(m.group().split()) in boilerplate:
                            skip.append((m.start(), m.end(), ""))
            covered = _coverage(skip, len(doc))
            self._runs(
                doc,
                tokens,
                covered,
                config,
                found,
                midsentence_names,
                initial_runs,
                doc_index,
                lower_vocab,
            )
            self._acronyms(doc, tokens, covered, config, lower_vocab, found)
            self._phrases(tokens, covered, config, found)
            raw.append(found)
        # Sentence-initial runs: keep the first word only when that full name is also used
        # mid-sentence somewhere, or when the first word is not an ordinary word.
        for doc_index, run, trimmed, kind in initial_runs:
            full_key = _name_key(run)
            first = run[0].text.lower()
            if full_key in midsentence_names or (
                first not in config.stop_words and lower_vocab[first] == 0
            ):
                chosen = run
            else:
                chosen = trimmed
            if _valid_run(chosen, config, lower_vocab, kind):
                raw[doc_index].append(
                    (
                        _name_key(chosen),
                        _surface(docs[doc_index], chosen),
                        "name",
                        kind,
                        chosen[0].start,
                    )
                )

        submissions: dict[str, set[int]] = defaultdict(set)
        occurrences: Counter[str] = Counter()
        surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        sources: dict[str, Counter[str]] = defaultdict(Counter)
        kinds: dict[str, Counter[str]] = defaultdict(Counter)
        first_seen: dict[str, tuple[int, int]] = {}
        for doc_index, found in enumerate(raw):
            for key, surface, source, kind, pos in found:
                if not key or key in config.stop_phrases:
                    continue
                submissions[key].add(doc_index)
                occurrences[key] += 1
                surfaces[key][surface] += 1
                sources[key][source] += 1
                if kind != UNKNOWN_KIND:
                    kinds[key][kind] += 1
                first_seen.setdefault(key, (doc_index, pos))

        candidates = []
        for key, docs_using in submissions.items():
            if len(docs_using) < min_submissions:
                continue
            forms = [form for form, _ in surfaces[key].most_common()]
            doc_index, pos = first_seen[key]
            doc = docs[doc_index]
            example = " ".join(doc[max(0, pos - 60) : pos + 90].split())
            candidates.append(
                Candidate(
                    id="new:" + _slug(key),
                    name=forms[0],
                    kind=kinds[key].most_common(1)[0][0] if kinds[key] else UNKNOWN_KIND,
                    source=sources[key].most_common(1)[0][0],
                    submissions=len(docs_using),
                    occurrences=occurrences[key],
                    aliases=tuple(forms),
                    example=example,
                )
            )
        candidates.sort(key=lambda c: (-c.submissions, -c.occurrences, c.name.lower()))
        # one id per candidate: different keys can slug alike ("A&B" / "A B")
        unique, seen = [], set()
        for candidate in candidates:
            if candidate.id not in seen:
                seen.add(candidate.id)
                unique.append(candidate)
        return unique[:limit] if limit else unique

    @staticmethod
    def _tokenise(doc: str) -> list[_Tok]:
        tokens: list[_Tok] = []
        previous_end = 0
        for match in _TOKEN.finditer(doc):
            gap = doc[previous_end : match.start()]
            tok = _Tok(match.group(), match.start(), match.end(), gap, not tokens)
            if tokens:
                tokens[-1].next = tok
            tokens.append(tok)
            previous_end = match.end()
        return tokens

    def _runs(
        self, doc, tokens, covered, config, found, midsentence, initial_runs, doc_index, lower_vocab
    ) -> None:
        """Capitalised multi-word names, with "of", "and", "for", "the", "&" allowed inside."""
        run: list[_Tok] = []

        def close(next_token: _Tok | None) -> None:
            # "... Programme in September", "... Programme in Reception": cut at a date or a
            # school time that follows a connector
            for cut, tok in enumerate(run):
                if tok.lower in _CALENDAR or (
                    cut and tok.lower in _TIME_WORDS and run[cut - 1].lower in _CONNECTORS
                ):
                    del run[cut:]
                    break
            while run and run[-1].lower in _CONNECTORS:
                run.pop()
            if not run:
                return
            kind = UNKNOWN_KIND
            if next_token is not None and next_token.joined and not _is_capitalised(next_token):
                kind = config.triggers.get(next_token.lower, UNKNOWN_KIND)
            tokens_ = list(run)
            run.clear()
            if len(tokens_) > 8 or sum(_is_capitalised(t) for t in tokens_) < 2:
                return
            if tokens_[0].sentence_initial:
                trimmed = tokens_[1:]
                while trimmed and trimmed[0].lower in _CONNECTORS:
                    trimmed = trimmed[1:]
                initial_runs.append((doc_index, tokens_, trimmed, kind))
                return
            if _valid_run(tokens_, config, lower_vocab, kind):
                key = _name_key(tokens_)
                midsentence.add(key)
                found.append((key, _surface(doc, tokens_), "name", kind, tokens_[0].start))

        for tok in tokens:
            if covered[tok.start]:
                close(None)
                continue
            if run and not tok.joined:
                close(None)
            if _is_capitalised(tok) or (run and tok.text in _CONNECTORS):
                run.append(tok)
            else:
                close(tok)
        close(None)

    @staticmethod
    def _acronyms(doc, tokens, covered, config, lower_vocab, found) -> None:
        for tok in tokens:
            if covered[tok.start]:
                continue
            text = tok.text
            if text.endswith(("'s", "\u2019s")):
                text = text[:-2]
            if len(text) > 3 and text.endswith("s") and text[:-1].isupper():
                text = text[:-1]
            if not _ACRONYM.match(text) or sum(ch.isalpha() for ch in text) < 2:
                continue
            if text in config.stop_acronyms or lower_vocab[text.lower()] > 0:
                continue
            if _in_caps_heading(doc, tok.start):
                continue
            kind = UNKNOWN_KIND
            nxt = tok.next
            if nxt is not None and nxt.joined:
                kind = config.triggers.get(nxt.lower, UNKNOWN_KIND)
            found.append((text.lower(), text, "acronym", kind, tok.start))

    @staticmethod
    def _phrases(tokens, covered, config, found) -> None:
        """Lower-case "<modifiers> approach/programme/..." phrases with a non-generic modifier."""
        for index, tok in enumerate(tokens):
            kind = config.triggers.get(tok.lower)
            if kind is None or covered[tok.start] or not tok.text.islower():
                continue
            modifiers: list[_Tok] = []
            j = index
            while j > 0 and len(modifiers) < 3 and tokens[j].joined:
                prev = tokens[j - 1]
                if (
                    covered[prev.start]
                    or prev.text.endswith(("'s", "\u2019s", "s'", "s\u2019"))
                    or not prev.text.islower()
                    or not prev.text[0].isalpha()
                    or prev.lower in config.function_words
                    or prev.lower in _CONNECTORS
                    or prev.lower in config.triggers
                ):
                    break
                modifiers.insert(0, prev)
                j -= 1
            while modifiers and _generic(modifiers[0].lower, config):
                modifiers.pop(0)
            if not modifiers or all(
                _generic(m.lower, config) or m.lower in config.stop_words for m in modifiers
            ):
                continue
            trigger = _singular(tok.lower, config.triggers)
            words = [m.lower for m in modifiers] + [trigger]
            surface = " ".join([m.text for m in modifiers] + [tok.text])
            found.append((" ".join(words), surface, "phrase", kind, modifiers[0].start))


class _Tok:
    """A word with its offsets and what separates it from the previous word."""

    __slots__ = ("text", "lower", "start", "end", "joined", "sentence_initial", "next")

    def __init__(self, text: str, start: int, end: int, gap: str, first: bool):
        self.text = text
        self.lower = text.lower()
        self.start = start
        self.end = end
        self.next: _Tok | None = None
        if first:
            self.joined, self.sentence_initial = False, True
        elif gap == " ":  # the common case, decided without scanning
            self.joined, self.sentence_initial = True, False
        else:
            # joined: only spaces, quotes, an ampersand or one line break since the previous word
            breaks = gap.count("\n")
            stripped = gap.replace("\n", " ").strip(_GAP_TRANSPARENT)
            self.joined = breaks <= 1 and stripped in ("", "&")
            # sentence-initial: after . ! ? : ; a bullet, or at the start of a line
            self.sentence_initial = breaks > 0 or any(ch in _SENTENCE_BREAK for ch in gap)


_GAP_TRANSPARENT = " \t" + _QUOTES
_SENTENCE_BREAK = frozenset(".!?:;\u2022*\u25fc")


def _generic(word: str, config: DiscoveryConfig) -> bool:
    """A modifier that names nothing: "new", "holistic", "whole-service", "multi-agency"."""
    if word in config.generic_modifiers:
        return True
    if word.endswith("ly") and len(word) > 4 and word not in _LY_NOUNS:
        return True  # adverbs: "nationally recognised", "highly effective"
    parts = word.split("-")
    return len(parts) > 1 and (
        parts[0] == "whole" or all(part in config.generic_modifiers for part in parts)
    )


def _boilerplate_lines(docs: Sequence[str]) -> set[str]:
    """Lines of six or more words repeated verbatim in at least 3 and 30% of the texts: a
    template's headers and footers rather than anything a submitter chose to cite."""
    if len(docs) < 3:
        return set()
    counts: Counter[str] = Counter()
    for doc in docs:
        pieces = {
            " ".join(m.group().split())
            for pattern in (_LINE, _SENTENCE)
            for m in pattern.finditer(doc)
        }
        counts.update(piece for piece in pieces if len(piece.split()) >= 6)
    threshold = max(3, 0.2 * len(docs))
    return {piece for piece, n in counts.items() if n >= threshold}


# Template text repeats as whole lines, or as sentences that wrap differently from copy to copy.
_LY_NOUNS = frozenset(
    [
        "family",
        "early",
        "daily",
        "weekly",
        "monthly",
        "fortnightly",
        "termly",
        "yearly",
        "friendly",
        "assembly",
        "rally",
        "bully",
        "holy",
        "jelly",
        "belly",
    ]
)
_LINE = re.compile(r"[^\n]+")
_SENTENCE = re.compile(r"[^.!?\s][^.!?]*[.!?]")
_CONNECTORS = frozenset({"of", "and", "for", "the", "in", "on", "to", "&", "with"})


def _is_capitalised(tok: _Tok) -> bool:
    first = tok.text[0]
    return first.isupper() or (first.isdigit() and any(ch.isupper() for ch in tok.text))


def _valid_run(
    run: list[_Tok], config: DiscoveryConfig, lower_vocab: Mapping[str, int], kind: str
) -> bool:
    while run and run[0].lower in _CONNECTORS | {"a", "an"}:
        run = run[1:]
    if not run:
        return False
    if sum(_is_capitalised(t) for t in run) < 2:
        return False
    lowers = [t.lower for t in run]
    if any(w in {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame"} for w in lowers):
        return False
    if lowers[-1] in config.organisation_suffixes or any(w in _ADDRESS for w in lowers):
        return False
    if lowers[0] in _PLACE_PREFIXES and len(run) <= 3:
        return False
    if any(w in _CALENDAR for w in lowers) or alias_key(" ".join(lowers)) in config.stop_phrases:
        return False
    content = [
        t
        for t in run
        if _possessive_stem(t.lower) not in config.stop_words
        and t.text.upper() not in config.stop_acronyms
        and t.lower not in _CONNECTORS
    ]
    if not content:
        return False
    # Two or more proper words never written in lower case anywhere: a person or a place
    # ("Claire Mason", "Hebden Bridge"), not a programme.
    # ("Claire Mason", "Hebden Bridge"), not a programme, unless a trigger word says otherwise
    # ("Beacon Reading Scheme", "Sumdog approach").
    if kind != UNKNOWN_KIND or any(w in config.triggers for w in lowers):
        return True
    proper = [t for t in content if _PROPER.match(t.text) and not lower_vocab.get(t.lower)]
    return not (len(content) >= 2 and len(proper) == len(content))


_TIME_WORDS = frozenset(
    [
        "reception",
        "nursery",
        "year",
        "years",
        "term",
        "terms",
        "autumn",
        "spring",
        "summer",
        "winter",
        "week",
        "weeks",
    ]
)
_PROPER = re.compile(r"^(?:[A-Z][a-z]+|Mc[A-Z][a-z]+|O['\u2019][A-Z][a-z]+)(?:-[A-Z][a-z]+)*$")
_ADDRESS = frozenset(
    [
        "street",
        "road",
        "avenue",
        "lane",
        "drive",
        "floor",
        "square",
        "house",
        "close",
        "way",
        "crescent",
        "terrace",
        "st",
        "rd",
        "postcode",
        "tel",
        "telephone",
        "email",
    ]
)
_PLACE_PREFIXES = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "greater",
        "central",
        "mid",
        "upper",
        "lower",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
    ]
)


def _possessive_stem(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "\u2019s")) else word


_CALENDAR = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def _name_key(run: list[_Tok]) -> str:
    words = [t.lower for t in run]
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return alias_key(" ".join(words).replace("\u2019", "'"))


def _surface(doc: str, run: list[_Tok]) -> str:
    while run and run[0].lower in ("the", "a", "an"):
        run = run[1:]
    return " ".join(doc[run[0].start : run[-1].end].split()) if run else ""


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "x"


def _singular(word: str, triggers: Mapping[str, str]) -> str:
    if word.endswith("es") and word[:-2] in triggers:
        return word[:-2]
    if word.endswith("s") and word[:-1] in triggers:
        return word[:-1]
    return {"program": "programme"}.get(word, word)


def _coverage(spans: list[tuple[int, int, str]], length: int) -> bytearray:
    covered = bytearray(length + 1)
    for start, end, _ in spans:
        covered[start:end] = b"\x01" * (end - start)
    return covered


def _in_caps_heading(doc: str, position: int) -> bool:
    """True when the line holding `position` is written in capitals (a shouted heading)."""
    line_start = doc.rfind("\n", 0, position) + 1
    line_end = doc.find("\n", position)
    line = doc[line_start : line_end if line_end != -1 else len(doc)]
    letters = [ch for ch in line if ch.isalpha()]
    return len(line.split()) >= 3 and bool(letters) and all(ch.isupper() for ch in letters)


# ----------------------------------------------------------------------------------- counting


def count_mentions(per_submission: Mapping[str, Iterable[Mention]]) -> MentionSummary:
    """Per id: how many submissions cite it (once each, however often) and how often in all;
    distinct ids overall and by kind. JSON-serialisable via `to_dict()`."""
    counts: dict[str, MentionCount] = {}
    kind_submissions: dict[str, set[str]] = defaultdict(set)
    with_mentions = 0
    for submission_id, mentions in per_submission.items():
        seen: set[str] = set()
        for mention in mentions:
            count = counts.get(mention.id)
            if count is None:
                count = counts[mention.id] = MentionCount(
                    mention.id, mention.name, mention.kind, mention.known
                )
            count.occurrences += 1
            if mention.id not in seen:
                seen.add(mention.id)
                count.submissions += 1
                kind_submissions[mention.kind].add(submission_id)
        with_mentions += bool(seen)
    ordered = sorted(counts.values(), key=lambda c: (-c.submissions, -c.occurrences, c.id))
    by_kind = Counter(c.kind for c in ordered)
    return MentionSummary(
        submissions=len(per_submission),
        submissions_with_mentions=with_mentions,
        distinct=len(ordered),
        distinct_known=sum(c.known for c in ordered),
        distinct_new=sum(not c.known for c in ordered),
        distinct_by_kind=dict(sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))),
        submissions_by_kind={k: len(v) for k, v in sorted(kind_submissions.items())},
        mentions={c.id: c for c in ordered},
    )


def discover(
    texts: Iterable[str] | Mapping[str, str],
    min_submissions: int = 2,
    lexicon: Lexicon | str | Path | None = None,
) -> list[Candidate]:
    """Module-level convenience for `MentionExtractor(lexicon).discover(texts, ...)`."""
    return MentionExtractor(lexicon).discover(texts, min_submissions=min_submissions)
