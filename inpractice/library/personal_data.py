"""The personal data check run before a case study is published (no Django in here).

Microsoft Presidio's `AnalyzerEngine` with recognisers written for England's schools:

* email addresses, including school addresses such as `head@oakfield.sch.uk`;
* UK telephone numbers (landline, mobile, +44 forms);
* postcodes and street addresses ("14 Mill Lane");
* unique pupil numbers (UPN: a check letter and 12 characters, validated with the DfE check
  letter, so an ordinary 13-character code is not taken for one);
* dates of birth (a date near "born", "DOB", "date of birth", "birthday");
* people's names: after a title (Mrs Patel), after a role (our SENCO Jane, headteacher Sam
  Okafor), and first names from a list followed by a surname or standing where a name goes;
* our own rules: social media handles and web addresses, and the names a moderator's context says
  identify the submitter (their organisation and schools) when consent is anonymised.

No spaCy model can be downloaded here, and none is needed: every recogniser is a pattern or a
word list, so Presidio's spaCy engine is built on a blank English pipeline (`spacy.blank("en")`)
that only tokenises. Redaction uses presidio-anonymizer's replace operator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

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
# Presidio compiles patterns case-insensitively by default; names depend on capitals, so every
# pattern here says where it ignores case itself.
CASE_SENSITIVE = re.DOTALL | re.MULTILINE
MIN_SCORE = 0.4

# Replacement text for each kind of finding when a moderator redacts it.
PLACEHOLDERS = {
    "PERSON": "[name removed]",
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
    start: int
    end: int
    text: str
    score: float

    @property
    def label(self) -> str:
        return LABELS.get(self.entity_type, self.entity_type)

    def key(self) -> tuple[str, str, str]:
        """What a "confirmed safe" decision is tied to."""
        return (self.field, self.entity_type, self.text)


# --- recognisers ---------------------------------------------------------------------------

EMAIL = r"(?i)(?<![\w.+-])[A-Za-z0-9._%+'-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}\b"
# +44 7700 900123, 07700 900123, (0113) 496 0000, 020 7946 0018, 0161-496-0000, 01632 960001
UK_PHONE = (
    r"(?<![\w+])(?:(?:\+|00)44\s?\(?0?\)?\s?|\(?0)"
    r"(?:\d\s?-?){2,4}\)?[\s-]?(?:\d[\s-]?){5,7}\d(?!\d)"
)
POSTCODE = (
    r"\b(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9A-HJKPS-UW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)
STREET_WORDS = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Grove|Place|Gardens|"
    "Terrace|Court|Square|Hill|Park|Rise|View|Walk|Mews|Row|Green|Parade|Vale|Broadway"
)
ADDRESS = rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z'’-]+\s+){{1,3}}(?:{STREET_WORDS})\b\.?"
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

TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Rev|Revd)"
NAME_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
TITLED_NAME = rf"\b{TITLES}\.?\s+(?:[A-Z]\.?\s+)?{NAME_WORD}(?:\s+{NAME_WORD})?"
# A role word followed by a capitalised name: "our SENCO, Jane Smith", "headteacher Sam Okafor".
ROLES = (
    r"SENCO|SENCo|SENDCo|SENDCO|head\s?teacher|headteacher|head|deputy\s+head|principal|"
    r"teacher|teaching\s+assistant|TA|learning\s+mentor|mentor|pupil|student|child|son|"
    r"daughter|boy|girl|parent|mum|mother|dad|father|carer|governor|chair\s+of\s+governors|"
    r"educational\s+psychologist|EP|therapist|speech\s+and\s+language\s+therapist|nurse|"
    r"colleague|manager|officer|coordinator|co-ordinator|lead|trustee|CEO|director"
)
ROLE_NAME = rf"(?i:\b(?:{ROLES}))\b,?\s+(?:called\s+|named\s+)?({NAME_WORD}(?:\s+{NAME_WORD})?)"

# Words that follow a role and look like a name but are not (sentence starts, school words).
NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "And",
        "But",
        "Or",
        "So",
        "Then",
        "We",
        "Our",
        "Their",
        "His",
        "Her",
        "They",
        "It",
        "This",
        "That",
        "These",
        "Those",
        "In",
        "On",
        "At",
        "Of",
        "For",
        "To",
        "With",
        "From",
        "By",
        "As",
        "Is",
        "Was",
        "Were",
        "Has",
        "Had",
        "Have",
        "Year",
        "Years",
        "Key",
        "Stage",
        "Reception",
        "Nursery",
        "Team",
        "Teams",
        "School",
        "Schools",
        "Trust",
        "Academy",
        "Academies",
        "Primary",
        "Secondary",
        "Council",
        "Local",
        "Authority",
        "SEND",
        "SEN",
        "SENCO",
        "SENCo",
        "EHC",
        "EHCP",
        "Support",
        "Provision",
        "Unit",
        "Base",
        "Room",
        "Class",
        "Classes",
        "Department",
        "Mondays",
        "Tuesdays",
        "Wednesdays",
        "Thursdays",
        "Fridays",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Every",
        "Each",
        "All",
        "Some",
        "Many",
        "Most",
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "When",
        "Where",
        "Who",
        "Why",
        "How",
        "What",
        "If",
        "After",
        "Before",
        "During",
        "Through",
        "Across",
        "Within",
        "Without",
        "Also",
        "Only",
        "Now",
        "Today",
        "Here",
        "There",
        "English",
        "Maths",
        "Mathematics",
        "Science",
        "Music",
        "Art",
        "PE",
        "Pupils",
        "Children",
        "Students",
        "Staff",
        "Teachers",
        "Parents",
        "Families",
        "Leaders",
        "Governors",
        "Teaching",
        "Learning",
        "Assistant",
        "Assistants",
        "Mentor",
        "Mentors",
        "Lead",
        "Leads",
        "Director",
        "Officer",
        "Manager",
        "Coordinator",
        "Therapist",
        "Therapists",
        "Nurse",
        "Head",
        "Deputy",
        "Plan",
        "Plans",
        "Review",
        "Reviews",
        "Meeting",
        "Meetings",
        "Group",
        "Groups",
        "Programme",
        "Programmes",
        "Zones",
        "Zone",
        "Autism",
        "Autistic",
        "Dyslexia",
        "ADHD",
        "Speech",
        "Language",
        "Communication",
        "Interaction",
        "Cognition",
        "Sensory",
        "Physical",
        "Social",
        "Emotional",
        "Mental",
        "Health",
        "Wellbeing",
        "Trustee",
        "Trustees",
        "Board",
        "National",
        "Curriculum",
        "Ofsted",
        "DfE",
        "NHS",
        "CAMHS",
        "Inclusion",
        "Inclusive",
        "Hub",
        "Centre",
        "Center",
        "Service",
        "Services",
        "Road",
        "Street",
        "Lane",
        "Avenue",
        "Close",
        "Drive",
        "Way",
        "Crescent",
        "Grove",
        "Place",
        "Gardens",
        "Terrace",
        "Court",
        "Square",
        "Hill",
        "Park",
        "Rise",
        "View",
        "Walk",
        "Mews",
        "Row",
        "Green",
        "Parade",
        "Vale",
    ]
)

# Common first names in England (ONS baby names across the decades teachers, parents and pupils
# were born in). Names that are also ordinary English words are listed separately: they count as
# names only when a surname follows.
FIRST_NAMES = frozenset(
    [
        "Aaliyah",
        "Aaron",
        "Abdul",
        "Abigail",
        "Adam",
        "Aden",
        "Adrian",
        "Ahmed",
        "Aidan",
        "Aisha",
        "Alan",
        "Albert",
        "Alex",
        "Alexander",
        "Alexandra",
        "Alfie",
        "Alice",
        "Alicia",
        "Alison",
        "Alistair",
        "Amal",
        "Amanda",
        "Amber",
        "Amelia",
        "Amir",
        "Amira",
        "Amy",
        "Andrew",
        "Angela",
        "Anna",
        "Anne",
        "Annie",
        "Anthony",
        "Archie",
        "Arjun",
        "Arthur",
        "Ashley",
        "Aurora",
        "Ava",
        "Ayesha",
        "Barbara",
        "Barry",
        "Beatrice",
        "Ben",
        "Benjamin",
        "Beth",
        "Bethany",
        "Bilal",
        "Bradley",
        "Brian",
        "Caitlin",
        "Callum",
        "Cameron",
        "Carl",
        "Carol",
        "Caroline",
        "Catherine",
        "Charles",
        "Charlie",
        "Charlotte",
        "Chloe",
        "Chris",
        "Christine",
        "Christopher",
        "Claire",
        "Clare",
        "Colin",
        "Connor",
        "Craig",
        "Daisy",
        "Daniel",
        "Danielle",
        "Darren",
        "David",
        "Dean",
        "Deborah",
        "Declan",
        "Dennis",
        "Diane",
        "Dominic",
        "Donna",
        "Dylan",
        "Edward",
        "Eleanor",
        "Elijah",
        "Elizabeth",
        "Ella",
        "Ellie",
        "Elliot",
        "Emily",
        "Emma",
        "Eric",
        "Erin",
        "Ethan",
        "Eva",
        "Evie",
        "Fatima",
        "Finley",
        "Fiona",
        "Florence",
        "Francesca",
        "Frank",
        "Freddie",
        "Freya",
        "Gary",
        "Gemma",
        "Geoffrey",
        "George",
        "Georgia",
        "Gillian",
        "Graham",
        "Hannah",
        "Harper",
        "Harriet",
        "Harrison",
        "Harry",
        "Harvey",
        "Hassan",
        "Hayley",
        "Heather",
        "Helen",
        "Henry",
        "Holly",
        "Hugo",
        "Ian",
        "Ibrahim",
        "Imogen",
        "Isaac",
        "Isabel",
        "Isabella",
        "Isabelle",
        "Isla",
        "Ismail",
        "Jack",
        "Jacob",
        "Jade",
        "James",
        "Jamie",
        "Jane",
        "Janet",
        "Jasmine",
        "Jason",
        "Jayden",
        "Jennifer",
        "Jenny",
        "Jessica",
        "Joanne",
        "Joe",
        "Joel",
        "John",
        "Jonathan",
        "Joseph",
        "Joshua",
        "Julia",
        "Julie",
        "Karen",
        "Kate",
        "Katherine",
        "Katie",
        "Kayla",
        "Keith",
        "Kelly",
        "Kevin",
        "Kieran",
        "Laura",
        "Lauren",
        "Layla",
        "Leah",
        "Leo",
        "Leon",
        "Liam",
        "Lily",
        "Linda",
        "Lisa",
        "Logan",
        "Louis",
        "Louise",
        "Lucas",
        "Lucy",
        "Luke",
        "Maisie",
        "Maria",
        "Mariam",
        "Martin",
        "Mary",
        "Maryam",
        "Matilda",
        "Matthew",
        "Maya",
        "Megan",
        "Mia",
        "Michael",
        "Michelle",
        "Millie",
        "Mohamed",
        "Mohammad",
        "Mohammed",
        "Muhammad",
        "Nadia",
        "Naomi",
        "Natalie",
        "Nathan",
        "Neil",
        "Nicholas",
        "Nicola",
        "Niamh",
        "Noah",
        "Oliver",
        "Olivia",
        "Omar",
        "Oscar",
        "Owen",
        "Paul",
        "Paula",
        "Peter",
        "Phoebe",
        "Poppy",
        "Priya",
        "Rachel",
        "Rebecca",
        "Reggie",
        "Rhys",
        "Richard",
        "Riley",
        "Robert",
        "Ronnie",
        "Rosie",
        "Ruby",
        "Ryan",
        "Sadie",
        "Sam",
        "Samantha",
        "Samuel",
        "Sara",
        "Sarah",
        "Scarlett",
        "Sean",
        "Sebastian",
        "Sharon",
        "Simon",
        "Sienna",
        "Sofia",
        "Sophia",
        "Sophie",
        "Stephen",
        "Steven",
        "Stuart",
        "Susan",
        "Tariq",
        "Theo",
        "Theodore",
        "Thomas",
        "Timothy",
        "Toby",
        "Tom",
        "Tommy",
        "Tracy",
        "Tyler",
        "Valerie",
        "Victoria",
        "Vincent",
        "Wendy",
        "William",
        "Yasmin",
        "Yusuf",
        "Zachary",
        "Zain",
        "Zara",
        "Zoe",
        "Zuzanna",
        "Aditya",
        "Anaya",
        "Chen",
        "Dev",
        "Femi",
        "Kwame",
        "Lola",
        "Nia",
        "Olu",
        "Raj",
        "Ravi",
        "Sanjay",
        "Tomasz",
        "Wei",
        "Yuki",
    ]
)
WORD_NAMES = frozenset(
    [
        "Grace",
        "Hope",
        "Faith",
        "Joy",
        "May",
        "Will",
        "Mark",
        "Bill",
        "Rose",
        "Summer",
        "Autumn",
        "Ray",
        "Dawn",
    ]
)

# The DfE check letter alphabet: remainder 0..22 of the weighted sum maps to these letters.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


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


def is_valid_upn(candidate: str) -> bool:
    candidate = candidate.strip().upper()
    return len(candidate) == 13 and upn_check_letter(candidate[1:]) == candidate[0]


class UpnRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity="UK_UPN",
            patterns=[Pattern("upn", r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b", 0.6)],
            context=["upn", "pupil number", "unique pupil"],
            name="UkUpnRecognizer",
            global_regex_flags=CASE_SENSITIVE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        # A wrong check letter means this is some other code, not a pupil's number.
        return is_valid_upn(pattern_text)


class GroupPatternRecognizer(EntityRecognizer):
    """A pattern whose first group (not the whole match) is the finding: "born on <date>"."""

    def __init__(self, entity: str, pattern: str, score: float, name: str) -> None:
        self.regex = re.compile(pattern)
        self.score = score
        super().__init__(supported_entities=[entity], name=name, supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        results = []
        for match in self.regex.finditer(text):
            start, end = match.span(1)
            if self.name == "UkRoleNameRecognizer":
                start, end = _trim_name(text, start, end)
                if start is None:
                    continue
            results.append(RecognizerResult(self.supported_entities[0], start, end, self.score))
        return results


def _trim_name(text: str, start: int, end: int) -> tuple[int | None, int]:
    """Drop words that are not names from a role-name match; None when nothing is left."""
    words = list(re.finditer(r"\S+", text[start:end]))
    kept = [w for w in words if w.group().strip(",.;:") not in NOT_NAMES]
    if not kept or kept[0].start() != 0:
        return None, end
    last = kept[0]
    for w in kept[1:]:
        if w.start() == last.end() + 1:
            last = w
        else:
            break
    return start, start + last.end()


class FirstNameRecognizer(EntityRecognizer):
    """A listed first name (optionally with a capitalised surname after it) standing as a word.

    Names that are ordinary words ("Grace", "May") count only with a surname after them, and a
    first name at the start of a sentence needs a surname too ("Ella loves..." is rare in a
    case study; "Ella Smith" is clear).
    """

    def __init__(self) -> None:
        # The surname is looked ahead at, not consumed, so "Then Oliver Brown" still reaches
        # "Oliver" after trying "Then".
        self.regex = re.compile(rf"\b({NAME_WORD})(?=(\s+{NAME_WORD})?)")
        super().__init__(
            supported_entities=["PERSON"], name="UkFirstNameRecognizer", supported_language=LANGUAGE
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        results = []
        for match in self.regex.finditer(text):
            first, surname = match.group(1), match.group(2)
            if surname and surname.strip() in NOT_NAMES:
                surname = None
            if first in FIRST_NAMES:
                end = match.end(1) + (len(surname) if surname else 0)
                score = 0.85 if surname else 0.6
            elif first in WORD_NAMES and surname:
                end, score = match.end(1) + len(surname), 0.6
            else:
                continue
            results.append(RecognizerResult("PERSON", match.start(1), end, score))
        return results


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
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
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

    return [
        pattern("EMAIL_ADDRESS", "UkEmailRecognizer", EMAIL, 0.9),
        pattern("UK_PHONE_NUMBER", "UkPhoneRecognizer", UK_PHONE, 0.7, ["phone", "tel", "call"]),
        pattern("UK_POSTCODE", "UkPostcodeRecognizer", POSTCODE, 0.8),
        pattern("UK_ADDRESS", "UkAddressRecognizer", ADDRESS, 0.7),
        UpnRecognizer(),
        GroupPatternRecognizer("DATE_OF_BIRTH", DOB, 0.85, "UkDateOfBirthRecognizer"),
        pattern("PERSON", "UkTitledNameRecognizer", TITLED_NAME, 0.85),
        GroupPatternRecognizer("PERSON", ROLE_NAME, 0.7, "UkRoleNameRecognizer"),
        FirstNameRecognizer(),
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
    text: str, field: str = "text", identifying_names: Sequence[str] = ()
) -> list[Finding]:
    """Personal data findings in one text."""
    if not text or not text.strip():
        return []
    engine, known = _engine()
    # Only names long enough to be specific; "Oak" would match half the corpus.
    known.names = tuple(n for n in {n.strip() for n in identifying_names} if len(n) >= 4)
    raw = engine.analyze(text=text, language=LANGUAGE, score_threshold=MIN_SCORE)
    return [
        Finding(field, r.entity_type, r.start, r.end, text[r.start : r.end], round(r.score, 2))
        for r in _merge(raw)
    ]


def check(texts: Mapping[str, str], identifying_names: Sequence[str] = ()) -> list[Finding]:
    """Findings in every field of a case study, in field order then position."""
    findings: list[Finding] = []
    for field, text in texts.items():
        findings.extend(analyse_text(text or "", field, identifying_names))
    return findings


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
