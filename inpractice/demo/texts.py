"""The demo's text library, read from the YAML files in `data/`, and its template language.

`data/practices.yaml` holds the hand-written practices, `data/fragments.yaml` the pieces around
them (openings, further detail, stories, impact, enablers, advice, and off-topic responses),
`data/people.yaml` the made-up respondents and organisations, `data/wording.yaml` the call's own
words, the phrases the generator writes and the fallback sentences for an answer whose every
sentence is used up, and `data/groups.yaml` the named groups of phases, voices and practices that
the tags in the first two may use. The loader (`inpractice.demo.loader`) chooses and combines
them with a seeded random generator so that no two submissions read alike and no sentence is in
more than two items (`inpractice.demo.checks`).

Texts use a small template language (see `render`): `{a|b|c}` picks one alternative, `{3..9}`
picks a whole number, and `{name}` fills in a value about the submitting organisation.

Pure Python (no Django), so benchmarks can build corpora from the same texts.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_data(name: str) -> Any:
    """One of the YAML files in `data/`, parsed."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


# ------------------------------------------------------------------ the template language

TOKEN = re.compile(r"\{([^{}]*)\}")


def render(template: str, values: dict[str, str], rng: random.Random) -> str:
    """Expand `{a|b}` (choose one), `{3..9}` (a whole number) and `{name}` (a value).

    Innermost braces are expanded first, so alternatives may contain numbers or names.
    """

    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        if "|" in body:
            return rng.choice(body.split("|"))
        low, dots, high = body.partition("..")
        if dots and low.isdigit() and high.isdigit():
            return str(rng.randint(int(low), int(high)))
        if body in values:
            return values[body]
        raise KeyError(f"no value for {{{body}}} in a demo text")

    previous = None
    while previous != template:
        previous, template = template, TOKEN.sub(one, template)
    return template


# ------------------------------------------------------------------------------ tags

GROUPS: dict[str, dict[str, list[str]]] = read_data("groups.yaml")


def tags(names: list[str] | None, kind: str, default: str | None = None) -> frozenset[str]:
    """The set a tag list stands for: group names (from groups.yaml) and single values."""
    groups = GROUPS[kind]
    result: set[str] = set()
    for name in names if names is not None else ([default] if default else []):
        if name in groups:
            result.update(groups[name])
        elif name.isupper():
            raise ValueError(f"no group {name!r} under {kind!r} in groups.yaml")
        else:
            result.add(name)
    return frozenset(result)


# Register phases a practice suits, as named in groups.yaml.
ANY = tags(["ANY"], "phases")


# ------------------------------------------------------------------------------ practices


@dataclass(frozen=True)
class Practice:
    key: str
    principle: str  # the codebook principle it most clearly shows: p1..p5
    titles: tuple[str, ...]
    needs: tuple[str, ...]
    need_descriptions: tuple[str, ...]
    types: tuple[str, ...]
    phases: frozenset[str]
    voices: frozenset[str]
    text: str
    short: str
    other_type: str = ""


def _practice(entry: dict[str, Any]) -> Practice:
    fields = dict(entry)
    return Practice(
        **{
            **fields,
            "titles": tuple(fields["titles"]),
            "needs": tuple(fields["needs"]),
            "need_descriptions": tuple(fields["need_descriptions"]),
            "types": tuple(fields["types"]),
            "phases": tags(fields["phases"], "phases"),
            "voices": tags(fields["voices"], "voices"),
            "text": "\n\n".join(fields["text"]),  # a list of paragraphs
        }
    )


PRACTICES: tuple[Practice, ...] = tuple(
    _practice(entry) for entry in read_data("practices.yaml")["practices"]
)
BY_KEY: dict[str, Practice] = {p.key: p for p in PRACTICES}


# ------------------------------------------------------------------------------ fragments


@dataclass(frozen=True)
class Fragment:
    text: str
    needs: frozenset[str] = frozenset()  # empty: fits any need
    phases: frozenset[str] = ANY
    voices: frozenset[str] = tags(["ALL"], "voices")
    principle: str = ""
    # Practice types or practice keys the fragment is specific to; empty: any practice.
    only: frozenset[str] = frozenset()


def _fragment(entry: str | dict[str, Any]) -> Fragment:
    if isinstance(entry, str):  # plain text fits any submission
        return Fragment(entry)
    unknown = set(entry) - {"text", "needs", "phases", "voices", "principle", "only"}
    if unknown:
        raise ValueError(f"unknown fragment tags {sorted(unknown)} in {entry['text'][:40]!r}")
    return Fragment(
        text=entry["text"],
        needs=frozenset(entry.get("needs", ())),
        phases=tags(entry.get("phases"), "phases", default="ANY"),
        voices=tags(entry.get("voices"), "voices", default="ALL"),
        principle=entry.get("principle", ""),
        only=tags(entry.get("only"), "only"),
    )


_fragments = read_data("fragments.yaml")


def _pool(name: str) -> tuple[Fragment, ...]:
    return tuple(_fragment(entry) for entry in _fragments[name])


# Openings set the scene in the respondent's voice, before the practice itself.
SCHOOL_OPENINGS = _pool("school_openings")
TRUST_OPENINGS = _pool("trust_openings")
TRUST_OPENING_FROM_A_SCHOOL: str = _fragments["trust_opening_from_a_school"]
LA_OPENINGS = _pool("la_openings")
EXTRAS = _pool("extras")  # further detail for fuller submissions, one principle each
IMPACT = _pool("impact")
WEAK_IMPACT = _pool("weak_impact")
ENABLERS = _pool("enablers")
WEAK_ENABLERS = _pool("weak_enablers")
ADVICE = _pool("advice")
VIGNETTES = _pool("vignettes")  # short stories of one child, told with an initial only
NEXT_STEPS = _pool("next_steps")
CHALLENGES: tuple[str, ...] = tuple(_fragments["challenges"])
WEAK_PRACTICE: tuple[str, ...] = tuple(_fragments["weak_practice"])  # {short}: the short form


@dataclass(frozen=True)
class OffTopic:
    """A response that misses the question (a complaint, an advert, a parent's own story)."""

    key: str
    voices: frozenset[str]
    title: str
    need_description: str
    answers: dict[str, str]  # practice, impact, enablers, advice


OFF_TOPIC: tuple[OffTopic, ...] = tuple(
    OffTopic(
        key=entry["key"],
        voices=tags(entry.get("voices"), "voices", default="ALL"),
        title=entry["title"],
        need_description=entry["need_description"],
        answers={k: entry.get(k, "") for k in ("practice", "impact", "enablers", "advice")},
    )
    for entry in _fragments["off_topic"]
)


# ------------------------------------------------------------------------------ people


class Provider(NamedTuple):
    name: str
    practice: str  # a key in practices.yaml
    role: str


class OtherOrganisation(NamedTuple):
    name: str  # "{la}" becomes a local authority's name
    practice: str
    role: str
    type: str  # the submission's organisation_type_other


_people = read_data("people.yaml")
FIRST_NAMES: tuple[str, ...] = tuple(_people["first_names"])
SURNAMES: tuple[str, ...] = tuple(_people["surnames"])
ROLES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _people["roles"].items()}
COLLEGE_ROLES: tuple[str, ...] = tuple(_people["college_roles"])
PROVIDER_PROFILES: tuple[Provider, ...] = tuple(Provider(**p) for p in _people["providers"])
OTHER_PROFILES: tuple[OtherOrganisation, ...] = tuple(
    OtherOrganisation(**o) for o in _people["other_organisations"]
)


# ------------------------------------------------------------------------------ wording

_wording = read_data("wording.yaml")
TITLE: str = _wording["call"]["title"]
INTRODUCTION: str = "\n\n".join(_wording["call"]["introduction"]) + "\n"
PHASE_WORD: dict[str, str] = _wording["phase_words"]
PHASE_NOUNS: tuple[tuple[str, str, str], ...] = tuple(
    (phase, one, many) for phase, (one, many) in _wording["phase_nouns"].items()
)
REGION_PHRASE: dict[str, str] = _wording["regions"]
NUMBER_WORDS: dict[int, str] = _wording["number_words"]
CITY_COUNCILS: frozenset[str] = frozenset(_wording["city_councils"])
COUNTY_COUNCILS: frozenset[str] = frozenset(_wording["county_councils"])
TEMPLATES: dict[str, str] = _wording["templates"]
# Plain sentences for an answer whose every sentence is used up elsewhere (see the loader's
# `keep_fresh`), by answer: need, practice, impact, enablers.
FALLBACKS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _wording["fallbacks"].items()}
