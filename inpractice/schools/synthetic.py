"""A made-up but realistic school register for the demo, built without the network or GIAS.

The demo needs a register shaped like England's: about 22,000 open schools spread over the real
local authorities (bigger counties have more), phases in roughly national proportions, academies
grouped into about 1,200 trusts of very uneven size, and GIAS-style establishment types. Every
name here is invented and every URN lies in 900000-999999, a range GIAS has not reached, so a
synthetic school can never be mistaken for (or collide with) a real one.

This module is pure Python: it returns plain dataclasses from a seeded `random.Random`, so two
builds with the same seed are identical. `inpractice.intake.demo` writes them with the ORM.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

SEED = 2025
SCHOOL_COUNT = 22_000
TRUST_COUNT = 1_200
ACADEMY_SHARE = 0.45
URN_RANGE = (900_000, 999_999)
MAX_TRUST_SIZE = 60

# Roughly national proportions of open state-funded mainstream schools by phase.
PHASE_WEIGHTS: dict[str, float] = {
    "primary": 75,
    "secondary": 16,
    "all_through": 2,
    "nursery": 3,
    "16_plus": 2,
    "middle": 2,
}

# Approximate numbers of state-funded schools in the larger authorities, so the big shire
# counties come out big. Authorities not named get a size by kind (see `_base_size`).
KNOWN_SIZES: dict[str, int] = {
    "886": 590,
    "888": 630,
    "881": 560,
    "850": 530,
    "919": 530,
    "936": 400,
    "926": 430,
    "878": 370,
    "815": 390,
    "330": 450,
    "925": 380,
    "830": 410,
    "860": 370,
    "891": 350,
    "908": 280,
    "933": 270,
    "935": 330,
    "855": 290,
    "916": 300,
    "931": 290,
    "865": 240,
    "938": 280,
    "845": 190,
    "873": 260,
    "885": 240,
    "937": 250,
    "825": 240,
    "840": 270,
    "929": 170,
    "942": 150,
    "943": 160,
    "893": 160,
    "383": 270,
    "380": 200,
    "373": 180,
    "352": 200,
    "341": 170,
    "382": 180,
    "384": 150,
    "895": 160,
    "896": 160,
    "811": 170,
    "838": 170,
    "940": 140,
    "941": 170,
    "359": 130,
    "344": 120,
    "371": 130,
    "801": 150,
    "884": 100,
    "333": 120,
    "332": 110,
    "335": 115,
    "336": 100,
    "331": 110,
    "356": 110,
    "201": 1,
    "420": 1,
    "857": 20,
    # Cumbria and Northamptonshire were abolished in 2023; their schools now sit with the
    # successor authorities (942/943 and 940/941), so they keep no open schools.
    "909": 0,
    "928": 0,
}

SAINTS = [
    "St Mary's",
    "St John's",
    "St Peter's",
    "Holy Trinity",
    "St Michael and All Angels",
    "Christ Church",
    "All Saints",
    "St Anne's",
    "St Bede's",
    "St Chad's",
    "St Hilda's",
    "St Aidan's",
    "St Oswald's",
    "St Wilfrid's",
    "St Cuthbert's",
    "St Nicholas",
    "St Margaret's",
    "St George's",
    "St Andrew's",
    "St Paul's",
    "St Augustine's",
    "St Barnabas",
    "St Luke's",
    "St Mark's",
    "St James'",
    "St Edmund's",
    "St Catherine's",
    "St Stephen's",
    "St Helen's",
    "St Lawrence",
    "Emmanuel",
]
CATHOLIC_SAINTS = [
    "St Joseph's",
    "Our Lady of Lourdes",
    "Sacred Heart",
    "St Thomas More",
    "Holy Family",
    "St Teresa's",
    "St Gregory's",
    "St Columba's",
    "Our Lady Queen of Peace",
    "St Bernadette's",
    "Corpus Christi",
    "St Vincent de Paul",
    "English Martyrs",
    "St Clare's",
    "St Patrick's",
    "St Anthony's",
    "Blessed Sacrament",
    "St Winefride's",
    "St Benedict's",
    "St Dominic's",
]
PLACE_FIRST = [
    "Oak",
    "Ash",
    "Beech",
    "Elm",
    "Hazel",
    "Holly",
    "Willow",
    "Birch",
    "Rowan",
    "Cedar",
    "Lime",
    "Fern",
    "Heather",
    "Bramble",
    "Thorn",
    "Brook",
    "River",
    "Mill",
    "Church",
    "Hill",
    "Green",
    "Kings",
    "Queens",
    "Priory",
    "Abbey",
    "Castle",
    "Meadow",
    "Moor",
    "Marsh",
    "Wood",
    "Spring",
    "Well",
    "Bridge",
    "Fox",
    "Lark",
    "Swallow",
    "Kestrel",
    "Red",
    "White",
    "Black",
    "Long",
    "Broad",
    "High",
    "North",
    "South",
    "East",
    "West",
    "Orchard",
    "Badger",
    "Heron",
]
PLACE_SECOND = [
    "wood",
    "field",
    "lands",
    "mead",
    "side",
    "dale",
    "hurst",
    "bank",
    "croft",
    "lea",
    "ley",
    "brook",
    "gate",
    "hill",
    "moor",
    "ford",
    "stone",
    "way",
    "acre",
    "grove",
    "combe",
    "view",
    "haven",
    "lynch",
    "thorpe",
    "holme",
    "den",
    "worth",
]
STREET_WORDS = ["Lane", "Road", "Park", "Hill", "Green", "Vale", "Fields", "Street", "Rise"]
TOWN_STEM = [
    "Ash",
    "Brad",
    "Camber",
    "Dun",
    "Eller",
    "Fen",
    "Gar",
    "Hal",
    "Ing",
    "Kel",
    "Lang",
    "Mar",
    "Nether",
    "Oak",
    "Pen",
    "Rad",
    "Stan",
    "Thorn",
    "Wes",
    "Whit",
    "Yar",
    "Bark",
    "Chal",
    "Ab",
    "Bel",
    "Col",
    "Dray",
    "Frid",
    "Gos",
    "Hart",
    "Lin",
    "Mel",
    "Nor",
    "Ol",
    "Pres",
    "Rother",
    "Sel",
    "Tad",
    "Ux",
    "Wal",
    "Wick",
    "Ald",
    "Bren",
    "Cal",
    "Ed",
    "Hemp",
    "Kirk",
    "Sut",
    "Brix",
    "Cran",
    "Elm",
    "Fair",
    "Grims",
    "Hols",
    "Ketter",
    "Market ",
    "Little ",
    "Great ",
]
TOWN_SUFFIX = [
    "ton",
    "ley",
    "ham",
    "bury",
    "field",
    "ford",
    "worth",
    "by",
    "thorpe",
    "wick",
    "stead",
    "well",
    "combe",
    "mouth",
    "borough",
    "den",
    "hurst",
    "minster",
    "bridge",
    "ing",
    "wood",
    "stow",
    "cote",
    "haven",
]
TRUST_WORDS = [
    "Harbour",
    "Horizon",
    "Compass",
    "Beacon",
    "Pennine",
    "Aspire",
    "Unity",
    "Evolve",
    "Kite",
    "Lighthouse",
    "Heartwood",
    "Meridian",
    "Northstar",
    "Riverbank",
    "Willow",
    "Keystone",
    "Lantern",
    "Skylark",
    "Summit",
    "Tidal",
    "Wayfarer",
    "Acorn",
    "Bluebell",
    "Cornerstone",
    "Ember",
    "Fellside",
    "Granite",
    "Hawthorn",
    "Ironbridge",
    "Juniper",
    "Kingfisher",
    "Larch",
    "Milestone",
    "Nightingale",
    "Orchid",
    "Pathway",
    "Quarry",
    "Rosewood",
    "Saltmarsh",
    "Thistle",
    "Upland",
    "Vista",
    "Wildflower",
    "Yewtree",
    "Bridgewater",
    "Clearwater",
    "Dovecote",
    "Estuary",
    "Foxglove",
    "Greenway",
    "Highgate",
    "Ivywood",
    "Kestrel",
    "Limestone",
    "Marlpit",
    "Northgate",
    "Oakhurst",
    "Primrose",
    "Ridgeway",
    "Sandstone",
    "Tamarisk",
    "Valley",
    "Watermill",
    "Cobalt",
    "Drumlin",
    "Flint",
    "Harebell",
    "Linnet",
    "Mosaic",
]
TRUST_ENDINGS = [
    "Learning Trust",
    "Academy Trust",
    "Multi-Academy Trust",
    "Education Trust",
    "Schools Trust",
    "Partnership Trust",
    "Learning Partnership",
    "Trust",
    "Academies Trust",
    "Learning Community",
]
DIOCESES = [
    "Northfleet",
    "Westbury",
    "Aldminster",
    "Kirkham Vale",
    "Stanbridge",
    "Holmesdale",
    "Marcombe",
    "Thornbury Vale",
    "Eastwick",
    "Selbourne",
    "Calder Ridge",
    "Penmoor",
]
BISHOPS = [
    "Harkness",
    "Doyle",
    "Ullathorne",
    "Fennick",
    "Marrin",
    "Quinlan",
    "Aston",
    "Brennan",
    "Carrow",
    "Devane",
    "Ellery",
    "Gorman",
    "Hallam",
    "Kenrick",
    "Mostyn",
]


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


def _trust_name(rng: random.Random, flavour: str, used: set[str]) -> str:
    for attempt in range(200):
        if flavour == "catholic":
            name = rng.choice(
                [
                    f"{rng.choice(CATHOLIC_SAINTS)} Catholic Academy Trust",
                    f"{rng.choice(CATHOLIC_SAINTS)} Catholic Multi-Academy Company",
                    f"{rng.choice(DIOCESES)} Catholic Schools Partnership",
                    f"{_town_name(rng)} Catholic Education Trust",
                    f"Bishop {rng.choice(BISHOPS)} Catholic Education Trust",
                ]
            )
        elif flavour == "cofe":
            name = rng.choice(
                [
                    f"{rng.choice(DIOCESES)} Diocesan Academies Trust",
                    f"{rng.choice(DIOCESES)} Church of England Learning Trust",
                    f"{rng.choice(SAINTS)} Church of England Academy Trust",
                    f"{_town_name(rng)} Church Schools Trust",
                    f"{_town_name(rng)} Anglican Learning Trust",
                ]
            )
        else:
            word = rng.choice(TRUST_WORDS)
            if attempt > 20:  # the simple names run out; add a place, as real trusts do
                word = f"{_town_name(rng)} {word}"
            name = f"{'The ' if rng.random() < 0.1 else ''}{word} {rng.choice(TRUST_ENDINGS)}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of trust names")  # pragma: no cover - 200 tries never fail


def _school_name(rng: random.Random, phase: str, town: str, faith: str, academy: bool) -> str:
    place = _place(rng)
    if phase == "nursery":
        return rng.choice(
            [
                f"{place} Nursery School",
                f"{town} Nursery School",
                f"{place} Children's Centre and Nursery School",
                f"{place} Early Years Centre",
            ]
        )
    if phase == "16_plus":
        return rng.choice(
            [
                f"{town} Sixth Form College",
                f"{place} Sixth Form College",
                f"{town} 16-19 Academy" if academy else f"{town} College",
            ]
        )
    if faith == "catholic":
        saint = rng.choice(CATHOLIC_SAINTS)
        return {
            "primary": f"{saint} Catholic Primary School",
            "middle": f"{saint} Catholic Middle School",
            "secondary": rng.choice(
                [
                    f"{saint} Catholic High School",
                    f"{saint} Catholic College",
                    f"{saint} Catholic Academy",
                ]
            ),
            "all_through": f"{saint} Catholic All-Through School",
        }[phase]
    if faith == "cofe":
        saint = rng.choice(SAINTS) if rng.random() < 0.6 else place
        return {
            "primary": rng.choice(
                [
                    f"{saint} Church of England Primary School",
                    f"{saint} CofE Primary School",
                    f"{saint} Church of England Primary Academy",
                    f"{saint} CofE Infant School",
                    f"{saint} CofE Junior School",
                ]
            ),
            "middle": f"{saint} CofE Middle School",
            "secondary": rng.choice(
                [f"{saint} Church of England Academy", f"{saint} CofE High School"]
            ),
            "all_through": f"{saint} Church of England School",
        }[phase]
    if phase == "primary":
        return rng.choice(
            [
                f"{place} Primary School",
                f"{place} Primary School",
                f"{place} Community Primary School",
                f"{place} Infant School",
                f"{place} Junior School",
                f"{place} Primary Academy" if academy else f"{place} Primary School",
                f"{town} Primary School",
                f"{place} Nursery and Infant School",
            ]
        )
    if phase == "middle":
        return rng.choice([f"{place} Middle School", f"{town} Middle School"])
    if phase == "secondary":
        return rng.choice(
            [
                f"{place} Academy" if academy else f"{place} Community School",
                f"{place} High School",
                f"{place} School",
                f"{town} Community College",
                f"The {place} School",
                f"{place} School and Sixth Form",
                f"{town} Academy" if academy else f"{town} School",
                f"{town} High School",
            ]
        )
    return rng.choice(
        [
            f"{place} All-Through School",
            f"{town} Academy" if academy else f"{town} School",
            f"{place} School",
        ]
    )


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
