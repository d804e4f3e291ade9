"""The one personal data check: case studies, report quotes and mentions all use it (no Django).

Microsoft Presidio's `AnalyzerEngine` with recognisers written for England's schools:

* email addresses, including school addresses such as `head@oakfield.sch.uk`, and ones written
  out to dodge a filter ("jane dot doughty at oakfield dot sch dot uk", "jane[at]school.org");
* UK telephone numbers (landline, mobile, +44 forms), however the digits are spaced or dashed;
* postcodes and street addresses ("14 Mill Lane");
* unique pupil numbers (UPN: a check letter and 12 characters, spaces or dashes allowed, validated
  with the DfE check letter, so an ordinary 13-character code is not taken for one);
* dates of birth (a date near "born", "DOB", "date of birth", "birthday");
* people's names, in any case: after a title (Mrs Patel, mrs patel), after a role (our SENCO
  Jane, headteacher sam okafor), and first names from a list, alone or with a surname; first
  names that are ordinary words ("will", "grace", "mark") only with that context;
* a pupil's initials next to a year group ("J.S. in Year 5", "Year 5 pupil JS");
* social media handles and web addresses, and the names a caller says identify the submitter
  (their organisation and schools) when consent is anonymised.

**Normalised before detection, reported against the original.** The text is normalised first:
NFKC (full-width `＠` and letters become ASCII), zero-width and other format characters (Unicode
category Cf) removed, any Unicode decimal digit made ASCII, common Cyrillic and Greek look-alike
letters made Latin, dashes and curly apostrophes made plain. Every normalised character keeps the
span of the original it came from, so a finding's `start`/`end` are offsets into the text the
caller passed: a name written "Al\u200dfie" is found as "Alfie" and covers all six characters.

The word lists (first names, names that are also ordinary words, surnames, titles, roles, words
that are not names, school abbreviations that are not initials, street words, email endings) are
data, in `lexicons/personal_data.yaml`. The evasion corpus in
`tests/analysis/personal_data_evasions.yaml` is the check.

No spaCy model is needed: every recogniser is a pattern or a word list, so Presidio's spaCy engine
is built on a blank English pipeline (`spacy.blank("en")`) that only tokenises. Redaction uses
presidio-anonymizer's replace operator.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import SpacyNlpEngine

LANGUAGE = "en"
LEXICON = "lexicons/personal_data.yaml"
# Presidio compiles patterns case-insensitively by default; names depend on capitals, so every
# pattern here says where it ignores case itself.
CASE_SENSITIVE = re.DOTALL | re.MULTILINE
MIN_SCORE = 0.4

# Replacement text for each kind of finding when a moderator redacts it.
PLACEHOLDERS = {
    "PERSON": "[name removed]",
    "INITIALS": "[initials removed]",
    "EMAIL_ADDRESS": "[email address removed]",
    "UK_PHONE_NUMBER": "[phone number removed]",
    "UK_POSTCODE": "[postcode removed]",
    "UK_ADDRESS": "[address removed]",
    "UK_UPN": "[pupil number removed]",
    "DATE_OF_BIRTH": "[date of birth removed]",
    "SOCIAL_HANDLE": "[account removed]",
    "URL": "[web address removed]",
    "IDENTIFYING_NAME": "[name removed]",
}
LABELS = {
    "PERSON": "Person's name",
    "INITIALS": "A person's initials",
    "EMAIL_ADDRESS": "Email address",
    "UK_PHONE_NUMBER": "Phone number",
    "UK_POSTCODE": "Postcode",
    "UK_ADDRESS": "Address",
    "UK_UPN": "Unique pupil number",
    "DATE_OF_BIRTH": "Date of birth",
    "SOCIAL_HANDLE": "Social media account",
    "URL": "Web address",
    "IDENTIFYING_NAME": "Organisation or school name (consent is anonymised)",
}


@dataclass(frozen=True)
class Finding:
    field: str
    entity_type: str
    start: int  # code-point offsets into the original text
    end: int
    text: str
    score: float

    @property
    def label(self) -> str:
        return LABELS.get(self.entity_type, self.entity_type)

    def key(self) -> tuple[str, str, str]:
        """What a "confirmed safe" decision is tied to."""
        return (self.field, self.entity_type, self.text)


# --- normalisation -------------------------------------------------------------------------

# Look-alike letters from other scripts that a name or an email could be typed with.
CONFUSABLES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ո": "n",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
        "α": "a", "ο": "o", "ν": "v", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H",
        "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y",
        "Χ": "X",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2212": "-", "\u2019": "'", "\u2018": "'", "\u02bc": "'",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, the original span it came from."""

    text: str
    starts: Sequence[int]  # original offset where normalised character i's source begins
    ends: Sequence[int]  # ... and where it ends

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind normalised [start, end) (non-empty)."""
        return self.starts[start], self.ends[end - 1]


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=8192)
def _replacement(cluster: str) -> str:
    """What one character (with its combining marks) becomes: "" for a format character (zero
    width space or joiner, soft hyphen, bidi control: invisible, so not there), an ASCII digit
    for any decimal digit, else its NFKC form with look-alike letters made Latin."""
    if unicodedata.category(cluster[0]) == "Cf":
        return ""
    digit = unicodedata.decimal(cluster, None) if len(cluster) == 1 else None
    if digit is not None:
        return str(digit)
    replaced = unicodedata.normalize("NFKC", cluster).translate(CONFUSABLES)
    return "".join(c for c in replaced if unicodedata.category(c) != "Cf")


def normalise(text: str) -> Normalised:
    """NFKC per character cluster, format characters dropped, digits ASCII, look-alikes Latin.

    A cluster is a character and the combining marks after it, so "e" + U+0301 becomes "é".
    Runs of ASCII are copied as they are (most text is nearly all ASCII)."""
    if text.isascii():
        return Normalised(text, range(len(text)), range(1, len(text) + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0
    for run in _NON_ASCII.finditer(text):
        first, last = run.span()
        if first > done and unicodedata.category(text[first]).startswith("M"):
            first -= 1  # the ASCII letter before a combining mark belongs with it
        out.append(text[done:first])
        starts.extend(range(done, first))
        ends.extend(range(done + 1, first + 1))
        i = first
        while i < last:
            j = i + 1
            while j < last and unicodedata.category(text[j]).startswith("M"):
                j += 1
            if unicodedata.category(text[i]) == "Cf":
                i += 1  # its marks, if any, are clusters of their own
                continue
            for part in _replacement(text[i:j]):
                out.append(part)
                starts.append(i)
                ends.append(j)
            i = j
        done = last
    out.append(text[done:])
    starts.extend(range(done, len(text)))
    ends.extend(range(done + 1, len(text) + 1))
    return Normalised("".join(out), starts, ends)


# --- word lists ----------------------------------------------------------------------------


@cache
def lexicon() -> dict[str, frozenset[str] | tuple[str, ...]]:
    raw = yaml.safe_load(
        resources.files("inpractice.analysis").joinpath(LEXICON).read_text("utf-8")
    )
    words: dict[str, frozenset[str] | tuple[str, ...]] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            words[key] = frozenset(value.split())
        else:
            words[key] = tuple(str(v) for v in value)
    return words


@cache
def _lower(key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon()[key])


@cache
def _not_names() -> frozenset[str]:
    """Words that are never a name after a title or a role, nor a surname: the `not_names` list
    and spaCy's English stop words ("up", "about"), less any listed name ("May")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    names = _lower("first_names") | _lower("surnames")
    return _lower("not_names") | frozenset(w for w in STOP_WORDS if w not in names)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(
        r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True)
    )


# --- recognisers ---------------------------------------------------------------------------

EMAIL = r"(?i)(?<![\w.+-])[A-Za-z0-9._%+'-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}\b"
# +44 7700 900123, 07700 900123, (0113) 496 0000, 020 7946 0018, 0161-496-0000, 01632 960001,
# 0 7 7 0 0 9 0 0 1 2 3: a 0 (or +44 / 0044) and nine or ten more digits, each after at most
# three spaces, dashes, dots or brackets, and no digit straight after.
UK_PHONE = (
    r"(?<![\w+])(?:(?:\+|00)\s?44[\s.-]{0,3}(?:\(\s?0\s?\)[\s.-]{0,3})?|\(?\s?0)"
    r"(?:[\s.()-]{0,3}\d){9,10}(?![\s.-]?\d)"
)
POSTCODE = (
    r"\b(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9A-HJKPS-UW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})"
    rf"\s+\d{{4}}|(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
DOB = (
    rf"(?i:\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth|birthday(?:\s+is)?)\b)"
    rf"[\s:,(]*(?:on\s+|is\s+)?({DATE})"
)
SOCIAL = r"(?<![\w@.])@[A-Za-z0-9_]{3,30}\b(?!\.[A-Za-z])"
URL = r"(?i)\b(?:https?://|www\.)[^\s<>\"')\]]+"
UPN = r"(?i)\b[A-HJ-NP-RT-Z](?:[\s-]?\d){11}[\s-]?[0-9A-HJ-NP-RT-Z]\b"

# A word in any case ("patel", "O'Brien", "Smith-Jones").
ANY_WORD = r"[A-Za-z]+(?:['-][A-Za-z]+)*"
# A capitalised word ("Patel", "O'Brien", "McDonald").
NAME_WORD = r"[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)*|Mc[A-Z][a-z]+"
YEAR_NUMBER = (
    r"(?:1[0-3]|[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen)"
)
YEAR_GROUP = rf"(?:(?i:\b(?:year|yr|y)\s?{YEAR_NUMBER})\b|\b[Yy]ear\s+R\b)"
DOTTED_INITIALS = r"(?i:\b[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?(?!\w)|\b[A-Z]\.\s?[A-Z]\b(?!\.\w))"
PLAIN_INITIALS = r"\b[A-Z]{2,3}\b"
POSSESSIVE = re.compile(r"'s?$", re.IGNORECASE)
SAINT = re.compile(r"\b(?:St|Saint|ST|SAINT)\.?[ \t]+\Z")
ROMAN = re.compile(r"[ \t]+[IVX]{1,4}\b(?!['-]\w)")
PUPIL_WORDS = r"(?i:\b(?:pupil|child|student|boy|girl|learner|son|daughter)\b)"
# Dotted abbreviations that are not anyone's initials.
NOT_DOTTED_INITIALS = frozenset(["IE", "EG", "AM", "PM", "NB", "PS", "ET", "UK", "US"])


def upn_check_letter(body: str) -> str | None:
    """The DfE check letter for the 12 characters after it (digits, and a final letter in a
    temporary UPN), or None when `body` cannot be a UPN."""
    if len(body) != 12 or not body[:11].isdigit():
        return None
    last = body[11]
    if last.isdigit():
        values = [int(c) for c in body]
    elif last in UPN_LETTERS:
        values = [int(c) for c in body[:11]] + [UPN_LETTERS.index(last)]
    else:
        return None
    total = sum(value * weight for value, weight in zip(values, range(2, 14), strict=True))
    return UPN_LETTERS[total % 23]


# The DfE check letter alphabet: remainder 0..22 of the weighted sum maps to these letters.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def is_valid_upn(candidate: str) -> bool:
    candidate = re.sub(r"[\s-]", "", candidate).upper()
    return len(candidate) == 13 and upn_check_letter(candidate[1:]) == candidate[0]


class UpnRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity="UK_UPN",
            patterns=[Pattern("upn", UPN, 0.6)],
            context=["upn", "pupil number", "unique pupil"],
            name="UkUpnRecognizer",
            global_regex_flags=CASE_SENSITIVE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        # A wrong check letter means this is some other code, not a pupil's number.
        return is_valid_upn(pattern_text)


class RegexRecognizer(EntityRecognizer):
    """Findings from a function of the text: the recognisers below that need more than one
    pattern (context, word lists)."""

    entity = "PERSON"

    def __init__(self, name: str) -> None:
        super().__init__(supported_entities=[self.entity], name=name, supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        return [RecognizerResult(self.entity, s, e, score) for s, e, score in self.spans(text)]

    def spans(self, text: str) -> Iterable[tuple[int, int, float]]:
        raise NotImplementedError


class DateOfBirthRecognizer(RegexRecognizer):
    entity = "DATE_OF_BIRTH"
    regex = re.compile(DOB)

    def spans(self, text):
        for match in self.regex.finditer(text):
            yield (*match.span(1), 0.85)


def _is_name_word(word: str) -> bool:
    """A word that can stand where a name goes after a title or a role (any case)."""
    bare = word.strip(",.;:'")
    return bool(bare) and bare.lower() not in _not_names() and not bare.isdigit()


def _listed(word: str) -> bool:
    lower = word.lower()
    return lower in _lower("first_names") or lower in _lower("surnames")


_NEXT_WORD = re.compile(rf"[ \t]+({ANY_WORD})")


def _surname_after(text: str, end: int, common_words: bool = False) -> int:
    """The end of a surname straight after a name ending at `end`, or `end` when none: a
    capitalised word that is not a stop word, or a listed surname in lower case (one that is
    also an ordinary word, "green", only when `common_words`)."""
    match = _NEXT_WORD.match(text, end)
    if not match:
        return end
    word = match.group(1)
    lower = word.lower()
    if lower in _not_names():
        return end
    if word[0].isupper() and re.fullmatch(NAME_WORD, word):
        return match.end(1)
    if lower in _lower("surnames") and (
        common_words or lower not in _lower("common_word_surnames")
    ):
        return match.end(1)
    return end


class TitledNameRecognizer(RegexRecognizer):
    """A title and the name after it: "Mrs Patel", "mrs patel", "Dr. A. Okafor", "Miss Jones"."""

    def __init__(self) -> None:
        super().__init__("UkTitledNameRecognizer")
        words = lexicon()
        any_case = _alternation(words["titles_any_case"])
        capitalised = _alternation(words["titles_capitalised"])
        self.regex = re.compile(
            rf"(?<![\w.])(?:(?i:{any_case})|{capitalised})\.?[ \t]+(?:[A-Za-z]\.?[ \t]+)?"
            rf"({ANY_WORD})"
        )

    def spans(self, text):
        for match in self.regex.finditer(text):
            word = match.group(1)
            if not _is_name_word(word):
                continue
            # "Dr needs to listen": after a capitalised title a lower-case word is a name only
            # when it is a listed one; "mrs patel", all in lower case, is a name.
            if word[0].islower() and match.group(0)[0].isupper() and not _listed(word):
                continue
            yield match.start(), _surname_after(text, match.end(1), common_words=True), 0.85


class RoleNameRecognizer(RegexRecognizer):
    """A role and the name after it: "our SENCO, Jane Smith", "headteacher sam okafor".

    After a role a capitalised word is a name unless it is a stop word; a lower-case word only
    when it is a listed first name that is not also an ordinary word."""

    def __init__(self) -> None:
        super().__init__("UkRoleNameRecognizer")
        roles = _alternation(lexicon()["roles"])
        self.regex = re.compile(
            rf"(?i:\b(?:{roles}))\b,?[ \t]+(?:(?i:called|named)[ \t]+)?({ANY_WORD})"
        )

    def spans(self, text):
        first_names = _lower("first_names")
        ambiguous = _lower("word_names") | _lower("lower_case_words")
        for match in self.regex.finditer(text):
            word = match.group(1)
            lower = word.lower()
            if not _is_name_word(word):
                continue
            capitalised = re.fullmatch(NAME_WORD, word)
            listed = word.islower() and lower in first_names and lower not in ambiguous
            if not (capitalised or listed):
                continue
            yield match.start(1), _surname_after(text, match.end(1), common_words=True), 0.7


class FirstNameRecognizer(RegexRecognizer):
    """A listed first name standing as a word, in any case, with its surname if one follows.

    Names that are ordinary words ("Grace", "will", "May") count only with a surname after them
    (capitalised, or a listed surname in lower case). All-capital words of fewer than four
    letters are left alone (abbreviations far more often than names); "OLIVER" is a name. A
    possessive ("alfie's") is left out of the finding; a double name counts by its first part
    ("Mary-Jane")."""

    def __init__(self) -> None:
        super().__init__("UkFirstNameRecognizer")
        self.regex = re.compile(rf"(?<![\w@.'-])({ANY_WORD})(?![\w@]|\.\w)")

    def spans(self, text):
        first_names, word_names = _lower("first_names"), _lower("word_names")
        lower_case_words = _lower("lower_case_words")
        for match in self.regex.finditer(text):
            word = match.group(1)
            base = POSSESSIVE.sub("", word)
            lower = base.split("-")[0].lower()
            if lower not in first_names or (base.isupper() and len(base) < 4):
                continue
            capitalised = base[0].isupper() and not base.isupper()
            ambiguous = lower in word_names or (lower in lower_case_words and not capitalised)
            start, name_end = match.start(1), match.start(1) + len(base)
            before = text[max(0, start - 8) : start]
            if SAINT.search(before) or ROMAN.match(text, name_end):
                continue  # St Michael's School, Elizabeth I
            end = name_end
            if base == word:
                end = _surname_after(text, name_end, common_words=not ambiguous)
            if ambiguous:
                if end == name_end:
                    continue
                surname = text[name_end:end].strip()
                if not capitalised and surname.lower() not in _lower("surnames"):
                    continue
                yield start, end, 0.6
            else:
                yield start, end, 0.85 if end > name_end else 0.6


class InitialsRecognizer(RegexRecognizer):
    """Initials next to a year group or a pupil word: "J.S. in Year 5", "JS (Y5)", "Year 5 pupil
    JS", "a child, J.S.". Capital-letter abbreviations used in schools ("the TA in Year 5") are
    not initials; dotted initials always are."""

    entity = "INITIALS"

    def __init__(self) -> None:
        super().__init__("UkInitialsRecognizer")
        initials = rf"({DOTTED_INITIALS}|{PLAIN_INITIALS})"
        self.after = re.compile(
            rf"{initials}[ \t]*(?:,[ \t]*|\([ \t]*|-[ \t]*|(?i:in|from|of|at)[ \t]+)?{YEAR_GROUP}"
        )
        self.before = re.compile(
            rf"(?:{YEAR_GROUP}[ \t]+(?:{PUPIL_WORDS}[ \t]*)?|{PUPIL_WORDS}),?[ \t]+{initials}"
        )

    def spans(self, text):
        not_initials = lexicon()["not_initials"]
        for regex in (self.after, self.before):
            for match in regex.finditer(text):
                found = match.group(1)
                letters = re.sub(r"[\s.]", "", found)
                if letters.upper() in (NOT_DOTTED_INITIALS if "." in found else not_initials):
                    continue
                yield (*match.span(1), 0.7)


class ObfuscatedEmailRecognizer(RegexRecognizer):
    """Email addresses written out to dodge a filter: "jane dot doughty at school dot org",
    "jane[at]school.org", "jane (at) school (dot) org", "jane.doughty at oakfield.sch.uk".

    A bare " at " counts only when a "dot" is spelled out, or the part before it has a dot in it
    or is a first name, or "email" comes just before; and the address must end in a known ending
    (uk, org, com ...). So "we looked at gov.uk" is not an address."""

    entity = "EMAIL_ADDRESS"
    LABEL = r"[A-Za-z0-9_%+'-]+"
    DOT = r"(?:[ \t]*(?:\.|[\[({<][ \t]*(?i:dot)[ \t]*[\])}>])[ \t]*|[ \t]+(?i:dot)[ \t]+)"
    AT = r"(?:[ \t]*(?:@|[\[({<][ \t]*(?i:at)[ \t]*[\])}>])[ \t]*|[ \t]+(?i:at)[ \t]+)"

    def __init__(self) -> None:
        super().__init__("ObfuscatedEmailRecognizer")
        label, dot, at = self.LABEL, self.DOT, self.AT
        self.regex = re.compile(
            # bounded repeats: a long "a dot a dot a ..." must not take quadratic time
            rf"(?<![\w.+-])({label}(?:{dot}{label}){{0,6}})({at})({label}(?:{dot}{label}){{1,6}})"
            r"(?![\w@])"
        )
        self.email_context = re.compile(r"(?i)\b(?:e-?mail(?:ing|ed)?|contact|write to)\W*$")

    def spans(self, text):
        endings = lexicon()["email_endings"]
        for match in self.regex.finditer(text):
            local, at, domain = match.group(1), match.group(2), match.group(3)
            last = re.split(self.DOT, domain)[-1]
            if last.lower() not in endings:
                continue
            bare_at = at.strip().lower() == "at"
            spelled_dot = re.search(r"(?i)(?:^|[\s\[({<])dot(?:$|[\s\])}>])", match.group(0))
            if bare_at and not (
                spelled_dot
                or "." in local
                or local.lower() in _lower("first_names")
                or self.email_context.search(text[max(0, match.start() - 30) : match.start()])
            ):
                continue
            if bare_at and local.lower() in _not_names() and not spelled_dot:
                continue
            yield match.start(), match.end(), 0.85


class KnownNamesRecognizer(EntityRecognizer):
    """Exact names that the caller says identify the submitter (their organisation, schools)."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["IDENTIFYING_NAME"],
            name="IdentifyingNameRecognizer",
            supported_language=LANGUAGE,
        )
        self.names: tuple[str, ...] = ()

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        results = []
        for name in self.names:
            body = r"\s+".join(re.escape(part) for part in name.split())
            for match in re.finditer(rf"(?<!\w){body}(?!\w)", text, re.IGNORECASE):
                results.append(RecognizerResult("IDENTIFYING_NAME", *match.span(), 0.95))
        return results


class BlankSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine on `spacy.blank("en")`: tokens only, no model to download.

    The recognisers above need no named-entity model; the blank pipeline gives Presidio the
    tokens it expects for its context handling.
    """

    def load(self) -> None:
        import spacy

        self.nlp = {LANGUAGE: spacy.blank(LANGUAGE)}


def _recognisers() -> list[EntityRecognizer]:
    def pattern(entity: str, name: str, regex: str, score: float, context=None):
        return PatternRecognizer(
            supported_entity=entity,
            patterns=[Pattern(name, regex, score)],
            context=context,
            name=name,
            global_regex_flags=CASE_SENSITIVE,
        )

    street = _alternation(lexicon()["street_words"])
    address = rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z'-]+\s+){{1,3}}(?:{street})\b\.?"
    return [
        pattern("EMAIL_ADDRESS", "UkEmailRecognizer", EMAIL, 0.9),
        ObfuscatedEmailRecognizer(),
        pattern("UK_PHONE_NUMBER", "UkPhoneRecognizer", UK_PHONE, 0.7, ["phone", "tel", "call"]),
        pattern("UK_POSTCODE", "UkPostcodeRecognizer", POSTCODE, 0.8),
        pattern("UK_ADDRESS", "UkAddressRecognizer", address, 0.7),
        UpnRecognizer(),
        DateOfBirthRecognizer("UkDateOfBirthRecognizer"),
        TitledNameRecognizer(),
        RoleNameRecognizer(),
        FirstNameRecognizer(),
        InitialsRecognizer(),
        pattern("SOCIAL_HANDLE", "SocialHandleRecognizer", SOCIAL, 0.6),
        pattern("URL", "UrlRecognizer", URL, 0.6),
    ]


@cache
def _engine() -> tuple[AnalyzerEngine, KnownNamesRecognizer]:
    nlp_engine = BlankSpacyNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "blank"}])
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recogniser in _recognisers():
        registry.add_recognizer(recogniser)
    known = KnownNamesRecognizer()
    registry.add_recognizer(known)
    engine = AnalyzerEngine(
        registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE]
    )
    return engine, known


def _merge(results: Iterable[RecognizerResult]) -> list[RecognizerResult]:
    """Keep one finding per stretch of text: overlapping findings become their union, labelled
    with the most confident entity (an email inside a 'name' match is still one finding)."""
    merged: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (r.start, -r.end)):
        if merged and r.start < merged[-1].end:
            last = merged[-1]
            entity = last.entity_type if last.score >= r.score else r.entity_type
            merged[-1] = RecognizerResult(
                entity, last.start, max(last.end, r.end), max(last.score, r.score)
            )
        else:
            merged.append(r)
    return merged


def analyse_text(
    text: str,
    field: str = "text",
    identifying_names: Sequence[str] = (),
    entities: Collection[str] | None = None,
) -> list[Finding]:
    """Personal data findings in one text, with offsets into `text` as given.

    `entities` limits the check to some kinds (e.g. `{"UK_POSTCODE"}`); default: all."""
    if not text or not text.strip():
        return []
    normalised = normalise(text)
    if not normalised.text.strip():
        return []
    engine, known = _engine()
    # Only names long enough to be specific; "Oak" would match half the corpus.
    names = {normalise(n).text.strip() for n in identifying_names}
    known.names = tuple(sorted(n for n in names if len(n) >= 4))
    raw = engine.analyze(
        text=normalised.text,
        language=LANGUAGE,
        score_threshold=MIN_SCORE,
        entities=sorted(entities) if entities else None,
    )
    findings = []
    for r in _merge(raw):
        start, end = normalised.original(r.start, r.end)
        findings.append(
            Finding(field, r.entity_type, start, end, text[start:end], round(r.score, 2))
        )
    return findings


def check(texts: Mapping[str, str], identifying_names: Sequence[str] = ()) -> list[Finding]:
    """Findings in every field of a case study, in field order then position."""
    findings: list[Finding] = []
    for field, text in texts.items():
        findings.extend(analyse_text(text or "", field, identifying_names))
    return findings


@lru_cache(maxsize=20_000)
def kinds(text: str) -> tuple[str, ...]:
    """The kinds of personal data in `text` (entity types, in order of first appearance): what
    quote selection needs to leave a sentence out. Cached: quotes re-check the same sentences."""
    return tuple(dict.fromkeys(f.entity_type for f in analyse_text(text)))


def postcode_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` has a UK postcode (offsets into `text`): the postcode recogniser alone, for
    callers that only need to step around postcodes (mentions)."""
    normalised = normalise(text)
    return [normalised.original(*m.span()) for m in _POSTCODE_RE.finditer(normalised.text)]


_POSTCODE_RE = re.compile(POSTCODE)


def redact(text: str, findings: Sequence[Finding]) -> str:
    """`text` with each finding replaced by its placeholder, using presidio-anonymizer."""
    if not findings:
        return text
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig
    from presidio_anonymizer.entities import RecognizerResult as AnonymizerResult

    operators = {
        entity: OperatorConfig("replace", {"new_value": placeholder})
        for entity, placeholder in PLACEHOLDERS.items()
    }
    operators["DEFAULT"] = OperatorConfig("replace", {"new_value": "[removed]"})
    results = [AnonymizerResult(f.entity_type, f.start, f.end, f.score) for f in findings]
    return (
        AnonymizerEngine().anonymize(text=text, analyzer_results=results, operators=operators).text
    )
