"""A made-up but realistic school register for the demo, built without the network or GIAS.

The demo needs a register shaped like England's: about 22,000 open schools spread over the real
local authorities (bigger counties have more), phases in roughly national proportions, academies
grouped into about 1,200 trusts of very uneven size, and GIAS-style establishment types. Every
name here is invented and every URN lies in 900000-999999, a range GIAS has not reached, so a
synthetic school can never be mistaken for (or collide with) a real one.

This module is pure Python: it returns plain dataclasses from a seeded `random.Random`, so two
builds with the same seed are identical. The words it builds names from (saints, place-name
parts, trust words, patterns of school and trust names) and the sizes of the larger authorities
are in `data/register.yaml`. `inpractice.demo.loader` writes the register with the ORM.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from .texts import read_data

SEED = 2025
SCHOOL_COUNT = 22_000
TRUST_COUNT = 1_200
ACADEMY_SHARE = 0.45
URN_RANGE = (900_000, 999_999)
MAX_TRUST_SIZE = 60

_register = read_data("register.yaml")
# Roughly national proportions of open state-funded mainstream schools by phase.
PHASE_WEIGHTS: dict[str, float] = _register["phase_weights"]
# Approximate numbers of schools in the larger authorities, by LA code; see `_base_size`.
KNOWN_SIZES: dict[str, int] = _register["la_sizes"]
# Parts of names (see data/register.yaml).
SAINTS: list[str] = _register["saints"]
CATHOLIC_SAINTS: list[str] = _register["catholic_saints"]
PLACE_FIRST: list[str] = _register["place_first"]
PLACE_SECOND: list[str] = _register["place_second"]
STREET_WORDS: list[str] = _register["street_words"]
TOWN_STEM: list[str] = _register["town_stems"]
TOWN_SUFFIX: list[str] = _register["town_suffixes"]
TRUST_WORDS: list[str] = _register["trust_words"]
TRUST_ENDINGS: list[str] = _register["trust_endings"]
DIOCESES: list[str] = _register["dioceses"]
BISHOPS: list[str] = _register["bishops"]
# Patterns of names: by faith for trusts, by phase for schools.
TRUST_NAMES: dict[str, list[str]] = _register["trust_names"]
SCHOOL_NAMES: dict[str, list] = _register["school_names"]
FAITH_SCHOOL_NAMES: dict[str, dict] = {
    "catholic": _register["catholic_school_names"],
    "cofe": _register["cofe_school_names"],
}
SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class SyntheticTrust:
    code: str
    name: str
    flavour: str  # "catholic", "cofe" or "" - decides how its schools are named


@dataclass(frozen=True)
class SyntheticSchool:
    urn: int
    name: str
    la_code: str
    region: str
    phase: str
    establishment_type: str
    establishment_group: str
    town: str
    trust_code: str | None = None
    open_date: date | None = None


@dataclass
class SyntheticRegister:
    trusts: list[SyntheticTrust] = field(default_factory=list)
    schools: list[SyntheticSchool] = field(default_factory=list)


def _base_size(code: str, region: str) -> int:
    if code in KNOWN_SIZES:
        return KNOWN_SIZES[code]
    if region == "E12000007":  # London boroughs
        return 75
    if code.startswith("3"):  # metropolitan districts
        return 100
    return 65  # unitary authorities


def _town_name(rng: random.Random) -> str:
    stem = rng.choice(TOWN_STEM)
    if stem.endswith(" "):  # "Great ", "Little ", "Market " qualify a whole town name
        stem = stem + rng.choice([s for s in TOWN_STEM if not s.endswith(" ")])
    return stem + rng.choice(TOWN_SUFFIX)


def _place(rng: random.Random) -> str:
    if rng.random() < 0.18:
        return f"{rng.choice(PLACE_FIRST)} {rng.choice(STREET_WORDS)}"
    return rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)


def _school_sizes(
    rng: random.Random, las: list[tuple[str, str, str]], total: int
) -> dict[str, int]:
    """How many schools each authority gets: its base size with noise, scaled to `total`."""
    raw = {
        code: _base_size(code, region) * rng.uniform(0.85, 1.15)
        if _base_size(code, region) > 1
        else _base_size(code, region)
        for code, _name, region in las
    }
    scale = (total - sum(v for v in raw.values() if v <= 1)) / sum(v for v in raw.values() if v > 1)
    sizes = {code: (round(v * scale) if v > 1 else int(v)) for code, v in raw.items()}
    # Rounding leaves a few schools over or under; settle them on the largest authorities.
    drift = total - sum(sizes.values())
    biggest = sorted(sizes, key=lambda c: -sizes[c])
    i = 0
    while drift:
        step = 1 if drift > 0 else -1
        sizes[biggest[i % 10]] += step
        drift -= step
        i += 1
    return sizes


def _trust_sizes(rng: random.Random, count: int, academies: int) -> list[int]:
    """Heavy-tailed trust sizes from 1 to MAX_TRUST_SIZE summing to `academies`."""
    raw = [rng.paretovariate(0.9) - 0.6 for _ in range(count)]
    # Draws past the cap get a size spread over the upper range instead of piling up at the cap.
    large = [rng.randint(MAX_TRUST_SIZE // 2, MAX_TRUST_SIZE) for _ in range(count)]

    def sizes_for(scale: float) -> list[int]:
        return [
            max(1, round(r * scale)) if r * scale <= MAX_TRUST_SIZE else big
            for r, big in zip(raw, large, strict=True)
        ]

    low, high = 0.1, 50.0
    for _ in range(60):  # bisect the scale so the sizes add up to about `academies`
        mid = (low + high) / 2
        if sum(sizes_for(mid)) < academies:
            low = mid
        else:
            high = mid
    sizes = sizes_for(high)
    drift = academies - sum(sizes)
    order = list(range(count))
    while drift:
        i = rng.choice(order)
        step = 1 if drift > 0 else -1
        if 1 <= sizes[i] + step <= MAX_TRUST_SIZE:
            sizes[i] += step
            drift -= step
    return sizes


def _fill(rng: random.Random, pattern: str) -> str:
    """A trust name pattern with each {slot} drawn at random, in order."""
    draw = {
        "catholic_saint": lambda: rng.choice(CATHOLIC_SAINTS),
        "saint": lambda: rng.choice(SAINTS),
        "diocese": lambda: rng.choice(DIOCESES),
        "bishop": lambda: rng.choice(BISHOPS),
        "town": lambda: _town_name(rng),
    }
    return SLOT.sub(lambda match: draw[match.group(1)](), pattern)


def _trust_name(rng: random.Random, flavour: str, used: set[str]) -> str:
    for attempt in range(200):
        if flavour in TRUST_NAMES:
            # Every pattern is filled in before one is chosen, which keeps the register the same
            # as it has always been for a given seed.
            name = rng.choice([_fill(rng, pattern) for pattern in TRUST_NAMES[flavour]])
        else:
            word = rng.choice(TRUST_WORDS)
            if attempt > 20:  # the simple names run out; add a place, as real trusts do
                word = f"{_town_name(rng)} {word}"
            name = f"{'The ' if rng.random() < 0.1 else ''}{word} {rng.choice(TRUST_ENDINGS)}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of trust names")  # pragma: no cover - 200 tries never fail


def _pattern(option: str | dict[str, str], academy: bool) -> str:
    """A school name pattern; an academy/otherwise pair depends on whether it is an academy."""
    if isinstance(option, str):
        return option
    return option["academy"] if academy else option["otherwise"]


def _school_name(rng: random.Random, phase: str, town: str, faith: str, academy: bool) -> str:
    place = _place(rng)
    if faith and phase not in {"nursery", "16_plus"}:
        if faith == "catholic":
            saint = rng.choice(CATHOLIC_SAINTS)
        else:
            saint = rng.choice(SAINTS) if rng.random() < 0.6 else place
        # A pattern is drawn for every phase that has a list, whichever phase this school is:
        # that keeps the register the same as it has always been for a given seed.
        drawn = {
            each: rng.choice(option) if isinstance(option, list) else option
            for each, option in FAITH_SCHOOL_NAMES[faith].items()
        }
        return drawn[phase].format(saint=saint)
    options = [_pattern(option, academy) for option in SCHOOL_NAMES[phase]]
    return rng.choice(options).format(place=place, town=town)


def _maintained_type(rng: random.Random, phase: str) -> tuple[str, str, str]:
    """(establishment type, group, faith) for a school outside any trust."""
    if phase == "nursery":
        return "Local authority nursery school", "Local authority maintained schools", ""
    if phase == "16_plus":
        return "Sixth form centres", "Colleges", ""
    roll = rng.random()
    if roll < 0.58:
        return "Community school", "Local authority maintained schools", ""
    if roll < 0.72:
        faith = "catholic" if rng.random() < 0.4 else "cofe"
        return "Voluntary aided school", "Local authority maintained schools", faith
    if roll < 0.86:
        return "Voluntary controlled school", "Local authority maintained schools", "cofe"
    return "Foundation school", "Local authority maintained schools", ""


def _academy_type(rng: random.Random, phase: str) -> tuple[str, str]:
    if phase == "16_plus":
        return rng.choice(
            [("Academy 16-19 converter", "Academies"), ("Free schools 16 to 19", "Free Schools")]
        )
    roll = rng.random()
    if roll < 0.70:
        return "Academy converter", "Academies"
    if roll < 0.92:
        return "Academy sponsor led", "Academies"
    return "Free schools", "Free Schools"


def build_register(
    local_authorities: list[tuple[str, str, str]],
    seed: int = SEED,
    school_count: int = SCHOOL_COUNT,
    trust_count: int = TRUST_COUNT,
) -> SyntheticRegister:
    """A deterministic register over `local_authorities`, given as (LA code, name, region code)."""
    rng = random.Random(seed)
    las = sorted(local_authorities)
    sizes = _school_sizes(rng, las, school_count)
    region_of = {code: region for code, _name, region in las}
    name_of = {code: name for code, name, _region in las}

    # Slots first (authority, phase, made-up locality); names come once trusts are known,
    # because a Catholic trust's schools should sound Catholic.
    slots: list[tuple[str, str, str]] = []
    phases, weights = zip(*PHASE_WEIGHTS.items(), strict=True)
    for code, _name, _region in las:
        localities = [_town_name(rng) for _ in range(max(2, sizes[code] // 25))]
        for phase in rng.choices(phases, weights=weights, k=sizes[code]):
            slots.append((code, phase, rng.choice(localities)))

    urns = sorted(rng.sample(range(URN_RANGE[0], URN_RANGE[1] + 1), len(slots)))
    rng.shuffle(urns)

    # Trusts: each has a home authority (bigger authorities host more trusts) and takes most of
    # its academies from there and the rest from neighbours in the same region.
    by_la: dict[str, list[int]] = defaultdict(list)
    for index, (code, _phase, _town) in enumerate(slots):
        by_la[code].append(index)
    for indices in by_la.values():
        rng.shuffle(indices)
    by_region: dict[str, list[str]] = defaultdict(list)
    for code, _name, region in las:
        if by_la.get(code):
            by_region[region].append(code)

    academies = round(len(slots) * ACADEMY_SHARE)
    trust_sizes = sorted(_trust_sizes(rng, trust_count, academies), reverse=True)
    la_codes = [code for code, _n, _r in las if by_la.get(code)]
    la_weights = [len(by_la[code]) for code in la_codes]
    used_names: set[str] = set()
    trusts: list[SyntheticTrust] = []
    trust_of: dict[int, str] = {}
    for number, size in enumerate(trust_sizes):
        roll = rng.random()
        flavour = "catholic" if roll < 0.08 else "cofe" if roll < 0.2 else ""
        trust = SyntheticTrust(
            code=f"TR0{5000 + number:04d}",
            name=_trust_name(rng, flavour, used_names),
            flavour=flavour,
        )
        trusts.append(trust)
        home = rng.choices(la_codes, weights=la_weights)[0]
        neighbours = by_region[region_of[home]]
        taken = 0
        for _ in range(size * 20):  # bounded: gives up on a slot rather than looping forever
            if taken == size:
                break
            code = home if rng.random() < 0.75 else rng.choice(neighbours)
            free = by_la[code]
            if not free:
                code = next((c for c in neighbours if by_la[c]), None) or next(
                    c for c in la_codes if by_la[c]
                )
                free = by_la[code]
            slot = free.pop()
            if slots[slot][1] == "nursery" and rng.random() < 0.8:
                free.insert(0, slot)  # few nursery schools are academies; try another
                continue
            trust_of[slot] = trust.code
            taken += 1

    flavour_of = {t.code: t.flavour for t in trusts}
    schools: list[SyntheticSchool] = []
    for index, (code, phase, locality) in enumerate(slots):
        trust_code = trust_of.get(index)
        if trust_code:
            establishment_type, group = _academy_type(rng, phase)
            faith = flavour_of[trust_code]
            opened = date(rng.randint(2011, 2024), rng.choice([1, 4, 9]), 1)
        else:
            establishment_type, group, faith = _maintained_type(rng, phase)
            opened = None
        # Postal towns: London for the boroughs, the city or borough for metropolitan districts,
        # otherwise the made-up locality (also used in names, so "London Primary School" and
        # names of real towns never appear).
        if region_of[code] == "E12000007":
            town = "London"
        elif code.startswith("3"):
            town = name_of[code].replace("St. ", "St ")
        else:
            town = locality
        schools.append(
            SyntheticSchool(
                urn=urns[index],
                name=_school_name(rng, phase, locality, faith, academy=trust_code is not None),
                la_code=code,
                region=region_of[code],
                phase=phase,
                establishment_type=establishment_type,
                establishment_group=group,
                town=town,
                trust_code=trust_code,
                open_date=opened,
            )
        )
    schools.sort(key=lambda s: s.urn)
    return SyntheticRegister(trusts=trusts, schools=schools)
