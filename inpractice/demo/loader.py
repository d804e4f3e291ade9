"""Loading the demo call: a closed call shaped like the real 2025 one, with 165 submissions.

The demo lets anyone run the whole product (the programme team's dashboard, coding, the case
study library, the report) on realistic data without touching real submissions. It loads:

* a school register: the synthetic one from `inpractice.demo.synthetic` (or a GIAS file, or
  whatever register is already in the database);
* the call "Inclusion in practice: call for evidence 2025", open from the start of Saturday
  15 March 2025 to the midnight ending Thursday 1 May 2025, UK time;
* 165 submitted submissions from schools, trusts, local authorities, SEND support providers and
  others, whose coverage reproduces the published snapshot: exactly 820 schools through trusts
  and 7,600 through local authorities and providers.

The texts come from the YAML files in `data/` (see `inpractice.demo.texts`); this module plans
who responds and which schools each response covers, and assembles the answers. Everything is
drawn from seeded random generators, so two loads on the same register give the same submissions
(only the resume-token hashes differ, because those must never be guessable). The load runs in
one transaction and does nothing if the demo call is already there.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import transaction

from inpractice.intake.choices import Coverage, Phase, PublicationConsent
from inpractice.intake.coverage import snapshot
from inpractice.intake.models import (
    REFERENCE_ALPHABET,
    CallForEvidence,
    CoveredSchool,
    Submission,
    SubmissionStatus,
)
from inpractice.intake.window import UK, uk_instant
from inpractice.schools.models import LocalAuthority, Region, School, Trust

from . import checks, texts
from .synthetic import build_register
from .texts import (
    BY_KEY,
    CITY_COUNCILS,
    COUNTY_COUNCILS,
    INTRODUCTION,
    NUMBER_WORDS,
    PHASE_NOUNS,
    PHASE_WORD,
    PRACTICES,
    REGION_PHRASE,
    TEMPLATES,
    TITLE,
    Practice,
    render,
)

DEMO_SLUG = "demo"
SEED = 2025
SUBMISSIONS = 165
VIA_TRUSTS = 820
VIA_LAS_AND_PROVIDERS = 7_600

OPENS_AT = uk_instant(date(2025, 3, 15), time(0, 0))
CLOSES_AT = uk_instant(date(2025, 5, 2), time(0, 0))  # the midnight that ends Thursday 1 May


@dataclass
class DemoReport:
    created: bool
    submissions: int
    schools_in_register: int
    figures: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        if not self.created:
            return (
                f"The demo call '{DEMO_SLUG}' is already loaded ({self.submissions} submissions; "
                f"{self.schools_in_register:,} open schools in the register). Nothing changed."
            )
        lines = [
            f"Loaded the demo call '{DEMO_SLUG}': {TITLE}.",
            f"  submissions:                            {self.submissions}",
        ]
        labels = {
            "schools_via_trusts": "schools through trusts",
            "schools_via_las_and_providers": "schools through LAs and providers",
            "schools_direct": "schools through schools and others",
            "schools_total": "schools represented in all",
            "schools_not_in_register": "URNs not in the register",
        }
        for key, label in labels.items():
            if key in self.figures:
                lines.append(f"  {label + ':':<39} {self.figures[key]:,}")
        lines.append(f"  open schools in the register:           {self.schools_in_register:,}")
        return "\n".join(lines)


# ------------------------------------------------------------------------------ register


@dataclass(frozen=True)
class Row:
    """What planning needs to know about one open school."""

    pk: int
    urn: int
    name: str
    la_id: int | None
    trust_id: int | None
    phase: str
    region: str
    town: str


def _write_synthetic_register(progress: Callable[[str], None]) -> None:
    las = list(LocalAuthority.objects.values_list("code", "name", "region"))
    register = build_register(las)
    progress(
        f"Writing a synthetic register of {len(register.schools):,} schools and "
        f"{len(register.trusts):,} trusts ..."
    )
    Trust.objects.bulk_create(
        [Trust(code=t.code, name=t.name) for t in register.trusts], batch_size=2000
    )
    trust_ids = dict(Trust.objects.filter(code__startswith="TR0").values_list("code", "pk"))
    la_ids = dict(LocalAuthority.objects.values_list("code", "pk"))
    School.objects.bulk_create(
        [
            School(
                urn=s.urn,
                name=s.name,
                local_authority_id=la_ids[s.la_code],
                trust_id=trust_ids[s.trust_code] if s.trust_code else None,
                phase=s.phase,
                establishment_type=s.establishment_type,
                establishment_group=s.establishment_group,
                status="Open",
                region=s.region,
                town=s.town,
                open_date=s.open_date,
                synthetic=True,
            )
            for s in register.schools
        ],
        batch_size=2000,
    )


def _ensure_register(register_file: Path | None, progress: Callable[[str], None]) -> None:
    if register_file is not None:
        # Written by the register importer; imported here so the synthetic path never needs it.
        from inpractice.schools.importer import import_register

        progress(f"Importing the school register from {register_file} ...")
        import_register(register_file, progress=progress)
    elif not School.objects.exists():
        _write_synthetic_register(progress)
    else:
        progress("Using the school register already in the database.")


def _open_schools() -> list[Row]:
    return [
        Row(*values)
        for values in School.objects.filter(status__istartswith="open")
        .order_by("urn")
        .values_list(
            "pk", "urn", "name", "local_authority_id", "trust_id", "phase", "region", "town"
        )
    ]


# ------------------------------------------------------------------------------ planning


@dataclass
class Plan:
    """One submission before its text is written: who sends it and which schools it covers."""

    org_type: str
    coverage: str
    urns: list[int]
    org_name: str = ""
    org_type_other: str = ""
    main: Row | None = None  # the school the text is about, where there is one
    trust_id: int | None = None  # the submitting trust
    la_id: int | None = None  # the submitting local authority
    practice_key: str = ""
    role: str = ""
    unknown_urns: list[int] = field(default_factory=list)


def _weighted_order(rng: random.Random, items: list, weight: Callable) -> list:
    """Items in a random order where heavier ones tend to come first (Efraimidis-Spirakis)."""
    return sorted(items, key=lambda item: -(rng.random() ** (1 / max(weight(item), 1e-9))))


class Planner:
    def __init__(self, rows: list[Row], rng: random.Random):
        self.rng = rng
        self.rows = rows
        self.by_urn = {r.urn: r for r in rows}
        self.by_trust: dict[int, list[Row]] = defaultdict(list)
        self.by_la: dict[int, list[Row]] = defaultdict(list)
        for r in rows:
            if r.trust_id:
                self.by_trust[r.trust_id].append(r)
            if r.la_id:
                self.by_la[r.la_id].append(r)
        self.la_region = dict(LocalAuthority.objects.values_list("pk", "region"))
        self.la_name = {
            pk: _la_short_name(n) for pk, n in LocalAuthority.objects.values_list("pk", "name")
        }
        self.trust_name = dict(Trust.objects.filter(pk__in=self.by_trust).values_list("pk", "name"))
        self.trust_urns: set[int] = set()
        self.la_urns: set[int] = set()

    # -- trusts: exactly VIA_TRUSTS schools ------------------------------------------------

    def trusts(self, count: int) -> list[Plan]:
        rng = self.rng
        candidates = [t for t, schools in self.by_trust.items() if len(schools) >= 2]
        ordered = _weighted_order(rng, sorted(candidates), lambda t: len(self.by_trust[t]) ** 0.5)
        chosen = ordered[: count - 1]
        spare = ordered[count - 1 :]
        sizes = {t: len(self.by_trust[t]) for t in candidates}
        # Most trusts speak for all their schools; some for a few of them.
        share = {
            t: sizes[t] if sizes[t] < 4 or rng.random() < 0.75 else rng.randint(2, sizes[t] - 1)
            for t in chosen
        }

        def room() -> int:
            return VIA_TRUSTS - sum(share.values())

        # The last trust names a list of some of its schools, which lands the total exactly;
        # it needs a remainder of at least 2 and a trust with more schools than that.
        biggest_spare = max(sizes[t] for t in spare)
        while room() < 2 or room() > biggest_spare - 1:
            if room() < 2:
                t = rng.choice([t for t in chosen if share[t] > 2])
                share[t] = max(2, share[t] - (2 - room()))
            else:
                partial = [t for t in chosen if share[t] < sizes[t]]
                if partial:
                    t = rng.choice(partial)
                    share[t] = min(sizes[t], share[t] + room() - (biggest_spare - 1))
                else:
                    small = min(chosen, key=lambda t: sizes[t])
                    big = max(spare, key=lambda t: sizes[t])
                    chosen[chosen.index(small)] = big
                    spare[spare.index(big)] = small
                    del share[small]
                    share[big] = sizes[big]
                    biggest_spare = max(sizes[t] for t in spare)
        last = rng.choice([t for t in spare if sizes[t] > room()])
        share[last] = room()
        chosen.append(last)

        plans = []
        for t in chosen:
            schools = sorted(self.by_trust[t], key=lambda r: r.urn)
            if share[t] == sizes[t]:
                plan = Plan("trust", Coverage.TRUST, [r.urn for r in schools], trust_id=t)
            else:
                picked = sorted(rng.sample(schools, share[t]), key=lambda r: r.urn)
                plan = Plan("trust", Coverage.URN_LIST, [r.urn for r in picked], trust_id=t)
            plan.org_name = self.trust_name[t]
            plan.main = self.by_urn[rng.choice(plan.urns)]
            self.trust_urns.update(plan.urns)
            plans.append(plan)
        if len(self.trust_urns) != VIA_TRUSTS:  # pragma: no cover - trusts never share schools
            raise RuntimeError(f"trust coverage came to {len(self.trust_urns)}, not {VIA_TRUSTS}")
        return plans

    # -- local authorities and providers: VIA_LAS_AND_PROVIDERS schools -------------------

    def las_and_providers(self, whole: int, lists: int) -> list[Plan]:
        rng = self.rng
        sizeable = sorted(la for la, schools in self.by_la.items() if len(schools) >= 40)
        ordered = _weighted_order(rng, sizeable, lambda la: len(self.by_la[la]) ** 0.5)
        plans: list[Plan] = []
        covered: set[int] = set()

        whole_practices = [
            "la_ordinarily_available",
            "la_locality_partnerships",
            "la_senco_network",
            "la_early_help",
            "la_inclusion_mark",
            "la_early_years",
        ]
        for i, la in enumerate(ordered[:whole]):
            urns = sorted(r.urn for r in self.by_la[la])
            plan = Plan("local_authority", Coverage.LOCAL_AUTHORITY, urns, la_id=la)
            plan.practice_key = whole_practices[i % len(whole_practices)]
            plans.append(plan)
            covered.update(urns)

        # (practice, how many schools, which phases the list draws on)
        list_kinds = [
            ("la_arp_network", (8, 20), {"primary", "secondary", "all_through"}),
            ("la_sensory_service", (80, 220), None),
            ("la_inclusive_sport", (25, 70), {"primary", "secondary", "middle", "all_through"}),
            ("la_virtual_school", (18, 45), {"primary", "secondary", "middle", "all_through"}),
            ("la_transition_programme", (25, 60), {"primary", "secondary", "middle"}),
            ("la_pins_ep", (20, 30), {"primary"}),
        ]
        for i, la in enumerate(ordered[whole : whole + lists]):
            key, (low, high), phases = list_kinds[i % len(list_kinds)]
            pool = [r for r in self.by_la[la] if phases is None or r.phase in phases]
            picked = rng.sample(pool, min(len(pool), rng.randint(low, high)))
            plan = Plan(
                "local_authority", Coverage.URN_LIST, sorted(r.urn for r in picked), la_id=la
            )
            plan.practice_key = key
            plans.append(plan)
            covered.update(plan.urns)

        for plan in plans:
            plan.org_name = _council_name(LocalAuthority.objects.get(pk=plan.la_id).name)
            plan.main = self.by_urn[rng.choice(plan.urns)]

        # Providers: each works in a handful of authorities in one region. The running union is
        # kept below the target so that the last provider's list can land it exactly.
        profiles = list(texts.PROVIDER_PROFILES)
        budget = VIA_LAS_AND_PROVIDERS - len(covered)
        weights = [rng.uniform(0.5, 1.5) for _ in profiles]
        targets = [max(40, round(budget * w / sum(weights) * 1.15)) for w in weights]
        regions = [code for code, _label in Region.choices]
        for n, (name, key, role) in enumerate(profiles):
            practice = BY_KEY[key]
            last = n == len(profiles) - 1
            region = (
                rng.choice(["E12000001", "E12000002", "E12000003"])
                if name.startswith("Northern")
                else rng.choice(regions)
            )
            target = VIA_LAS_AND_PROVIDERS - len(covered) if last else targets[n]
            pool = self._provider_pool(practice, region, covered, target, last)
            if last:
                fresh = [r for r in pool if r.urn not in covered][:target]
                if len(fresh) < target:  # pragma: no cover - only on a tiny real register
                    raise RuntimeError("the register is too small for the demo's coverage")
                overlap = [r for r in pool if r.urn in covered][: target // 8]
                picked = fresh + overlap
            else:
                picked = pool[:target]
                room = VIA_LAS_AND_PROVIDERS - 150 - len(covered)
                fresh = [r for r in picked if r.urn not in covered]
                if len(fresh) > room:  # keep enough room for the last provider
                    drop = {r.urn for r in fresh[max(room, 0) :]}
                    picked = [r for r in picked if r.urn not in drop]
            plan = Plan("send_provider", Coverage.URN_LIST, sorted(r.urn for r in picked))
            plan.org_name, plan.practice_key, plan.role = name, key, role
            plan.main = self.by_urn[rng.choice(plan.urns)]
            plans.append(plan)
            covered.update(plan.urns)

        if len(covered) != VIA_LAS_AND_PROVIDERS:  # pragma: no cover
            raise RuntimeError(f"LA and provider coverage came to {len(covered)}")
        self.la_urns = covered
        return plans

    def _provider_pool(
        self, practice: Practice, region: str, covered: set[int], target: int, last: bool
    ) -> list[Row]:
        """Schools a provider could work with: its region first, in random order.

        Providers mostly work outside the trusts that responded, so the total comes out near the
        published "about 8,400" rather than far below it.
        """
        rng = self.rng
        las = [la for la in self.by_la if self.la_region.get(la) == region]
        rng.shuffle(las)
        others = [la for la in sorted(self.by_la) if la not in las]
        rng.shuffle(others)
        pool: list[Row] = []
        for la in las + others:
            for r in self.by_la[la]:
                if r.phase in practice.phases and (
                    r.urn not in self.trust_urns or rng.random() < 0.1
                ):
                    pool.append(r)
            enough = [r for r in pool if r.urn not in covered] if last else pool
            if len(enough) >= target * 1.3:
                break
        rng.shuffle(pool)
        return pool

    # -- schools and others ------------------------------------------------------------------

    def direct(self, schools: int, federations: int, others: int) -> list[Plan]:
        rng = self.rng
        taken: set[int] = set()
        elsewhere = self.trust_urns | self.la_urns
        regions = [code for code, _label in Region.choices]
        quota = (
            ["nursery"] * 4
            + ["16_plus"] * 4
            + ["middle"] * 3
            + ["all_through"] * 4
            + ["secondary"] * 24
        )
        quota += ["primary"] * (schools - len(quota))
        rng.shuffle(quota)
        by_phase_region: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for r in self.rows:
            by_phase_region[(r.phase, r.region)].append(r)

        def pick(phase: str, region: str) -> Row:
            for options in (
                by_phase_region[(phase, region)],
                [r for r in self.rows if r.phase == phase],
                self.rows,
            ):
                fresh = [r for r in options if r.urn not in taken]
                if not fresh:
                    continue
                # Most schools that respond on their own are not already counted elsewhere.
                outside = [r for r in fresh if r.urn not in elsewhere]
                row = rng.choice(outside if outside and rng.random() < 0.8 else fresh)
                taken.add(row.urn)
                return row
            raise RuntimeError("no school left to pick")  # pragma: no cover

        plans = []
        for i, phase in enumerate(quota):
            row = pick(phase, regions[i % len(regions)])
            plan = Plan("school", Coverage.ONE_SCHOOL, [row.urn], org_name=row.name, main=row)
            if federations and phase == "primary":
                federations -= 1
                # A federation speaks for two or three nearby schools under one headteacher.
                partners = [
                    r
                    for r in self.by_la.get(row.la_id, [])
                    if r.urn not in taken and r.phase in {"primary", "nursery"}
                ][: rng.randint(1, 2)]
                taken.update(r.urn for r in partners)
                plan.coverage = Coverage.URN_LIST
                plan.urns = [row.urn] + [r.urn for r in partners]
                plan.org_name = render(
                    TEMPLATES["federation_name"], {"word": _federation_word(row.name)}, rng
                )
            plans.append(plan)

        for name, key, role, other_type in texts.OTHER_PROFILES[:others]:
            row = pick("primary", rng.choice(regions))
            size = {"other_hub_training": 14, "other_parent_forum": 9}.get(key, 6)
            nearby = [
                r
                for r in self.by_la.get(row.la_id, [])
                if r.urn not in taken and r.phase in BY_KEY[key].phases
            ][: size - 1]
            taken.update(r.urn for r in nearby)
            plan = Plan("other", Coverage.URN_LIST, [row.urn] + [r.urn for r in nearby], main=row)
            plan.org_name = name.replace("{la}", self.la_name.get(row.la_id, "Local"))
            plan.org_type_other, plan.practice_key, plan.role = other_type, key, role
            plans.append(plan)

        # A few lists name a school the register does not know yet (a new free school, or a
        # URN typed from an old letter), as real responses do.
        known = set(self.by_urn)
        lists = [p for p in plans if p.coverage == Coverage.URN_LIST]
        for plan in lists[:2] + [p for p in plans if p.org_type == "other"][:1]:
            urn = rng.randint(150_000, 159_999)
            while urn in known:
                urn = rng.randint(150_000, 159_999)
            known.add(urn)
            plan.unknown_urns.append(urn)
        return plans


def _federation_word(name: str) -> str:
    word = name.split()[0]
    return word if word not in {"St", "The", "Our", "Holy", "All"} else " ".join(name.split()[:2])


def _la_short_name(name: str) -> str:
    return name.removesuffix(", City of").replace("Upon", "upon").replace("St. ", "St ")


def _council_name(la_name: str) -> str:
    name = _la_short_name(la_name)
    if name == "City of London":
        return "City of London Corporation"
    if name in CITY_COUNCILS:
        return f"{name} City Council"
    if name in COUNTY_COUNCILS:
        return f"{name} County Council"
    return f"{name} Council"


# ------------------------------------------------------------------------------ writing

PHASE_ORDER = [p.value for p in Phase]
ROUTES = ("school", "trust", "local_authority", "send_provider", "other")
# Typical numbers on roll by phase, for the figures an opening gives.
ROLL = {
    "nursery": (70, 130),
    "primary": (180, 630),
    "middle": (320, 620),
    "secondary": (750, 1650),
    "all_through": (1200, 1950),
    "16_plus": (900, 2400),
}


class Writer:
    """Turns a plan into a submission's fields, drawing on the text library."""

    def __init__(self, planner: Planner, rng: random.Random):
        self.p = planner
        self.rng = rng
        self.used: Counter[str] = Counter()
        self.used_fragments: Counter[str] = Counter()
        self.seen_practice_texts: set[str] = set()
        self.people: set[tuple[str, str]] = set()
        self.in_trust = False
        self.role_words: list[str] = []
        # How many submissions each (normalised) sentence is in so far: the budget that keeps
        # any sentence out of more than two items (see `keep_fresh`).
        self.sentence_uses: Counter[str] = Counter()
        self.target_phases: set[str] = set()
        self.current_values: dict[str, str] = {}
        self.limit = checks.MAX_ITEMS_PER_SENTENCE

    # -- choosing ----------------------------------------------------------------------------

    def phases_of(self, plan: Plan) -> set[str]:
        return {self.p.by_urn[u].phase for u in plan.urns if u in self.p.by_urn} - {
            "not_applicable",
            "",
        }

    def practice_for(self, plan: Plan) -> Practice:
        if plan.practice_key:
            return BY_KEY[plan.practice_key]
        phases = self.phases_of(plan)
        voice = plan.org_type
        fits = [p for p in PRACTICES if voice in p.voices and p.phases & phases]
        if voice == "trust":  # trust-level practices first; school-level ones for subsets
            own = [p for p in fits if p.voices == frozenset({"trust"})]
            if plan.coverage == Coverage.TRUST and own and self.rng.random() < 0.7:
                fits = own
        least = min(self.used[p.key] for p in fits)
        choice = self.rng.choice([p for p in fits if self.used[p.key] == least])
        self.used[choice.key] += 1
        return choice

    def fresh_share(self, practice: Practice) -> float:
        """The share of the practice's fixed sentences (those without alternatives) that the
        budget still allows: low once two responses have told it."""
        fixed = [x for x in checks.sentences(practice.text) if "{" not in x]
        if not fixed:
            return 1.0
        return sum(self.sentence_uses[x] < self.limit for x in fixed) / len(fixed)

    def fresher_practice(self, plan: Plan, practice: Practice) -> Practice:
        """A school's, trust's or authority's practice, changed for a fitting one with more left
        to say when the chosen one has been told twice already (a third telling would be mostly
        cut). Providers and other organisations keep theirs: it is what they are."""
        voices = {"school", "trust", "local_authority"}
        if plan.org_type not in voices or self.fresh_share(practice) >= 0.5:
            return practice
        phases = self.phases_of(plan)
        fits = [p for p in PRACTICES if plan.org_type in p.voices and p.phases & phases]
        best = max(fits, key=lambda p: (self.fresh_share(p), -self.used[p.key], p.key))
        if self.fresh_share(best) <= self.fresh_share(practice):
            return practice
        self.used[best.key] += 1
        plan.practice_key = best.key
        return best

    def fragments(
        self,
        pool: tuple[texts.Fragment, ...],
        practice: Practice,
        phases: set[str],
        voice: str,
        count: int,
        principle_avoid: str = "",
    ) -> list[str]:
        """`count` fitting fragments, those matching the practice's needs and used least first."""
        fits = [
            f
            for f in pool
            if voice in f.voices
            and f.phases & phases
            and (not f.needs or f.needs & set(practice.needs))
            and (not f.only or f.only & {practice.key, *practice.types})
            and (not principle_avoid or f.principle != principle_avoid)
            # Nothing a response of these phases would not say (a primary school has no PE
            # department), and no need the practice does not serve.
            and not checks.phase_problems(f.text, self.target_phases)
            and not checks.need_problems(f.text, practice.needs)
            # Only a trust or a school in one can talk about "the trust", and a SENCO or a
            # headteacher does not write about "our SENCO" or "our headteacher".
            and (self.in_trust or "trust" not in f.text.lower())
            and not any(f"our {r.lower()}" in f.text.lower() for r in self.role_words)
        ]
        self.rng.shuffle(fits)
        fits.sort(key=lambda f: (not f.only, self.used_fragments[f.text]))
        # Rendered now, and only those whose every sentence is still within the budget: a
        # response runs shorter rather than repeat what two others have said.
        chosen = []
        for f in fits:
            if len(chosen) == count:
                break
            text = render(f.text, self.current_values, self.rng)
            if all(self.sentence_uses[k] < self.limit for k in checks.sentences(text)):
                self.used_fragments[f.text] += 1
                chosen.append(text)
        return chosen

    # -- people ------------------------------------------------------------------------------

    def person(self) -> tuple[str, str]:
        while True:
            person = (self.rng.choice(texts.FIRST_NAMES), self.rng.choice(texts.SURNAMES))
            if person not in self.people:
                self.people.add(person)
                return person

    # -- the submission --------------------------------------------------------------------

    def values(self, plan: Plan, role: str) -> dict[str, str]:
        rng, p = self.rng, self.p
        main = plan.main
        assert main is not None  # every plan has a main school
        la_name = p.la_name.get(main.la_id, "the local authority")
        low, high = ROLL.get(main.phase, (200, 900))
        roll = rng.randint(low, high)
        third = (high - low) / 3
        size = "small" if roll < low + third else "large" if roll > high - third else "medium-sized"
        values = {
            "org": plan.org_name,
            "school": main.name,
            "la": p.la_name.get(plan.la_id, la_name) if plan.la_id else la_name,
            "town": main.town or la_name,
            "n": _number(len(plan.urns) + len(plan.unknown_urns)),
            "role_lower": role if role.isupper() else role[0].lower() + role[1:],
            "phase_word": PHASE_WORD.get(main.phase, "mainstream"),
            "a_phase": ("an " if main.phase == "all_through" else "a ")
            + PHASE_WORD.get(main.phase, "mainstream"),
            "size": size,
            "roll": str(roll),
            "sen_pct": str(rng.randint(14, 29)),
            "ehcp": str(rng.randint(6, 40)),
            "region": REGION_PHRASE.get(main.region, "England"),
            "trust": p.trust_name.get(main.trust_id, ""),
        }
        trust_id = plan.trust_id or main.trust_id
        if trust_id:
            schools = p.by_trust[trust_id]
            values["trust_mix"] = _trust_mix(Counter(r.phase for r in schools))
            values["trust_size"] = str(NUMBER_WORDS.get(len(schools), len(schools)))
            la_names = sorted({p.la_name.get(r.la_id, "") for r in schools} - {""})
            values["la_list"] = (
                (
                    ", ".join(la_names[:-1]) + " and " + la_names[-1]
                    if len(la_names) > 1
                    else la_names[0]
                )
                if la_names
                else la_name
            )
            n = len(plan.urns)
            values["n_phrase"] = (
                render(TEMPLATES["all_of_our_schools"], {"n": _number(n)}, rng)
                if plan.coverage == Coverage.TRUST
                else render(TEMPLATES["some_of_them"], {"n": str(NUMBER_WORDS.get(n, n))}, rng)
            )
        if plan.la_id:
            values["la_size"] = f"{len(p.by_la[plan.la_id]):,}"
        return values

    def opening(self, plan: Plan, practice: Practice, values: dict[str, str]) -> str:
        if plan.org_type == "school":
            if plan.main and plan.main.phase == "16_plus":
                return render(TEMPLATES["sixth_form_college"], values, self.rng)
            if plan.coverage == Coverage.URN_LIST:
                return render(TEMPLATES["federation"], values, self.rng)
            options = [
                f.text for f in texts.SCHOOL_OPENINGS if values["trust"] or "{trust}" not in f.text
            ]
        elif plan.org_type == "trust":
            if practice.voices != frozenset({"trust"}):
                # A school-level practice told by a trust: say where it started.
                return render(texts.TRUST_OPENING_FROM_A_SCHOOL, values, self.rng)
            options = [f.text for f in texts.TRUST_OPENINGS]
            if plan.coverage == Coverage.TRUST:
                options = [o for o in options if "covers {n}" not in o]
        elif plan.org_type == "local_authority":
            options = [f.text for f in texts.LA_OPENINGS]
        else:
            return ""
        return render(self.rng.choice(options), values, self.rng)

    def write(self, plan: Plan, quality: str, reserved: bool = False) -> dict:
        """The submission's fields; a `reserved` one (likely to be published as a case study)
        uses only sentences no other submission has."""
        rng = self.rng
        practice = self.fresher_practice(plan, self.practice_for(plan))
        if plan.main is None or plan.main.phase not in practice.phases:
            # Tell the story from a covered school the practice suits.
            fitting = [
                self.p.by_urn[u]
                for u in plan.urns
                if u in self.p.by_urn and self.p.by_urn[u].phase in practice.phases
            ]
            if fitting:
                plan.main = rng.choice(fitting)
        if plan.role:
            role = plan.role
        elif plan.org_type == "school" and plan.main and plan.main.phase == "16_plus":
            role = rng.choice(texts.COLLEGE_ROLES)
        else:
            role = rng.choice(texts.ROLES[plan.org_type])
        values = self.values(plan, role)
        self.in_trust = bool(values["trust"]) or plan.org_type == "trust"
        self.role_words = [w for w in ("SENCO", "headteacher") if w.lower() in role.lower()]
        trust_told_school_practice = plan.org_type == "trust" and practice.voices != frozenset(
            {"trust"}
        )
        phases = self.phases_of(plan) or set(practice.phases)
        self.target_phases = phases & practice.phases or phases
        self.current_values = values
        voice = plan.org_type
        vp = (practice, phases, voice)
        if quality == "off_topic":
            return self.off_topic(plan, practice, role, values, phases)

        for _attempt in range(20):
            core = render(practice.text, values, rng)
            short = render(practice.short, values, rng)
            if quality == "weak":
                text = render(rng.choice(texts.WEAK_PRACTICE), {"short": short}, rng)
                impact = self.fragments(texts.WEAK_IMPACT, *vp, count=rng.choice([1, 1, 2]))
                enablers = self.fragments(texts.WEAK_ENABLERS, *vp, count=1)
                advice = self.fragments(texts.ADVICE, *vp, count=rng.choice([0, 0, 1]))
            elif quality == "tiny":
                text = short
                impact = self.fragments(texts.WEAK_IMPACT, *vp, count=1)
                enablers = self.fragments(texts.WEAK_ENABLERS, *vp, count=1)
                advice = []
            elif quality == "short":
                text = short if rng.random() < 0.5 else core.split("\n\n")[0]
                impact = self.fragments(texts.IMPACT, *vp, count=1)
                enablers = self.fragments(texts.ENABLERS, *vp, count=1)
                advice = self.fragments(texts.ADVICE, *vp, count=rng.choice([0, 1]))
            else:
                long = quality in {"long", "epic"}
                epic = quality == "epic"
                opening = (
                    self.opening(plan, practice, values)
                    if long or trust_told_school_practice or rng.random() < 0.6
                    else ""
                )
                extras = self.fragments(
                    texts.EXTRAS,
                    *vp,
                    count=7 if epic else rng.randint(4, 6) if long else rng.choice([0, 0, 1]),
                    principle_avoid=practice.principle,
                )
                story = self.fragments(texts.VIGNETTES, *vp, count=2 if epic else 1) if long else []
                then = self.fragments(
                    texts.NEXT_STEPS, *vp, count=1 if epic or (long and rng.random() < 0.5) else 0
                )
                text = "\n\n".join(x for x in [opening, core, *story, *extras, *then] if x)
                impact = self.fragments(
                    texts.IMPACT, *vp, count=6 if epic else rng.randint(4, 5) if long else 2
                )
                enablers = self.fragments(
                    texts.ENABLERS,
                    *vp,
                    count=5 if epic else rng.randint(3, 4) if long else rng.randint(1, 2),
                )
                if epic or (long and rng.random() < 0.7):
                    enablers.append(rng.choice(texts.CHALLENGES))
                advice = self.fragments(
                    texts.ADVICE,
                    *vp,
                    count=3 if epic else rng.randint(1, 3) if long else rng.randint(0, 2),
                )
            text = render(text, values, rng)
            if text not in self.seen_practice_texts:
                break
        else:
            # Short texts have few variants; a line of context keeps each one distinct.
            text = render(TEMPLATES["context"], values, rng) + text
        self.seen_practice_texts.add(text)

        def join(parts: list[str], sep: str = " ") -> str:
            return sep.join(render(x, values, rng) for x in parts)

        # The need description first: it is the first thing a reader meets after the title.
        need = render(rng.choice(practice.need_descriptions), values, rng)
        here: set[str] = set()
        need = self.keep_fresh(need, here, reserved) or self.fallback("need", values, here)
        # A reserved response's own telling of the practice is kept for it alone; what it adds
        # from the shared fragments the moderator trims from its case study if another uses it.
        own = {" ".join(p.split()) for p in core.split("\n\n")} if reserved else set()
        answers = {}
        for key, raw in (
            ("practice", text),
            ("impact", join(impact, "\n\n" if quality in {"long", "epic"} else " ")),
            ("enablers", join(enablers)),
            ("advice", join(advice)),
        ):
            fresh = self.keep_fresh(raw, here, own=own)
            if not fresh and key != "advice":
                fresh = self.fallback(key, values, here)
            answers[key] = fresh
        return self.fields(plan, practice, role, phases, values, answers, need)

    # -- keeping sentences fresh ----------------------------------------------------------

    def keep_fresh(
        self, text: str, here: set[str], reserved: bool = False, own: set[str] | None = None
    ) -> str:
        """`text` without the sentences that are already in as many submissions as the budget
        allows, or that its phases would not use; the rest are counted against the budget.

        Each sentence may be in two submissions. A reserved submission (one likely to become a
        case study, which repeats its sentences in a second item) takes only sentences nobody
        has used, and uses them up; so do the paragraphs in `own`."""
        paragraphs = []
        for paragraph in re.split(r"\n\s*\n", text):
            exclusive = reserved or " ".join(paragraph.split()) in (own or set())
            limit = 1 if exclusive else checks.MAX_ITEMS_PER_SENTENCE
            kept = []
            for sentence in checks.split_sentences(paragraph):
                keys = checks.sentences(sentence)
                if not keys or checks.phase_problems(sentence, self.target_phases):
                    continue
                if any(k not in here and self.sentence_uses[k] >= limit for k in keys):
                    continue
                for k in keys:
                    if k not in here:
                        here.add(k)
                        self.sentence_uses[k] += 2 if exclusive else 1
                kept.append(sentence)
            if kept:
                paragraphs.append(" ".join(kept))
        return "\n\n".join(paragraphs)

    def fallback(self, key: str, values: dict[str, str], here: set[str]) -> str:
        """A plain sentence for an answer whose every sentence was used up: it names the
        organisation, so it is its own."""
        for _attempt in range(30):
            text = render(self.rng.choice(texts.FALLBACKS[key]), values, self.rng)
            fresh = self.keep_fresh(text, here)
            if fresh:
                return fresh
        raise RuntimeError(f"no fresh fallback sentence for {key!r}")  # pragma: no cover

    # -- off-topic responses ----------------------------------------------------------------

    def off_topic(
        self, plan: Plan, practice: Practice, role: str, values: dict[str, str], phases: set[str]
    ) -> dict:
        """A response that misses the question, as real calls get some: a complaint about
        funding, an advert, a parent's own story. Its needs and types stay the practice's."""
        fits = [
            o
            for o in texts.OFF_TOPIC
            if o.voices & {plan.org_type}
            and o.key not in self.used_fragments
            and not checks.phase_problems(" ".join(o.answers.values()), self.target_phases)
        ]
        entry = self.rng.choice(fits)
        self.used_fragments[entry.key] += 1
        here: set[str] = set()
        answers = {
            k: self.keep_fresh(render(v, values, self.rng), here) for k, v in entry.answers.items()
        }
        need = render(entry.need_description, values, self.rng)
        fields = self.fields(plan, practice, role, phases, values, answers, need)
        fields["title"] = render(entry.title, values, self.rng)
        return fields

    def fields(
        self,
        plan: Plan,
        practice: Practice,
        role: str,
        phases: set[str],
        values: dict[str, str],
        answers: dict[str, str],
        need: str,
    ) -> dict:
        """The submission's fields around its answers."""
        rng = self.rng
        first, last = self.person()
        domain = _slug(plan.org_name)
        submission_phases = [p for p in PHASE_ORDER if p in (phases & practice.phases or phases)]
        types = list(practice.types)
        return {
            "organisation_type": plan.org_type,
            "organisation_type_other": plan.org_type_other,
            "organisation_name": plan.org_name,
            "respondent_name": f"{first} {last}",
            "respondent_email": f"{first[0].lower()}.{_slug(last)}@{domain}.example.org",
            "respondent_role": role,
            "coverage": plan.coverage,
            "coverage_trust_id": plan.trust_id if plan.coverage == Coverage.TRUST else None,
            "coverage_local_authority_id": (
                plan.la_id if plan.coverage == Coverage.LOCAL_AUTHORITY else None
            ),
            # A title whose words fit the phases ("... first weeks of Reception" is not a
            # nursery school's).
            "title": render(
                rng.choice(
                    [t for t in practice.titles if not checks.phase_problems(t, self.target_phases)]
                    or practice.titles
                ),
                values,
                rng,
            )[:150],
            "need_codes": list(practice.needs[:4]),
            "need_description": need,
            "practice_types": types,
            "practice_type_other": practice.other_type if "other" in types else "",
            "phases": submission_phases,
            "answers": answers,
        }


def _number(n: int) -> str:
    """GOV.UK style: words for one to nine, digits (with commas) from 10."""
    return NUMBER_WORDS.get(n, f"{n:,}")


def _trust_mix(phases: Counter[str]) -> str:
    """'twelve primaries, three secondaries and one all-through school'."""
    parts = [
        f"{NUMBER_WORDS.get(n, n)} {one if n == 1 else many}"
        for phase, one, many in PHASE_NOUNS
        if (n := phases[phase])
    ]
    if not parts:
        return TEMPLATES["several_phases"]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")
    if len(slug) > 40:
        slug = slug[:40].rsplit("-", 1)[0]
    return slug


def _reference(rng: random.Random, used: set[str]) -> str:
    """Like `models.new_reference`, but seeded, so the demo's references are the same each time."""
    while True:
        body = "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"IP-{body[:4]}-{body[4:]}"
        if reference not in used:
            used.add(reference)
            return reference


def _submitted_times(rng: random.Random, count: int) -> list[datetime]:
    """Submission times across the window, bunched towards the deadline as in real calls."""
    first_day = OPENS_AT.astimezone(UK).date()
    days = (CLOSES_AT.astimezone(UK).date() - first_day).days  # 48 UK days, 15 March to 1 May
    times = []
    for _ in range(count):
        fraction = 0.999 if rng.random() < 0.06 else rng.betavariate(2.4, 1.0)
        day = first_day + timedelta(days=min(days - 1, int(fraction * days)))
        # Working hours mostly, with the evening rush that every deadline brings.
        hour = rng.choices(
            range(7, 24), weights=[2, 4, 6, 6, 5, 5, 6, 5, 5, 6, 5, 3, 3, 4, 5, 5, 3]
        )[0]
        times.append(uk_instant(day, time(hour, rng.randint(0, 59), rng.randint(0, 59))))
    return sorted(times)


# ------------------------------------------------------------------------------ loading


def load_demo(
    register_file: Path | None = None, progress: Callable[[str], None] = lambda m: None
) -> DemoReport:
    """Load the demo call and its submissions, once; see the module docstring."""
    with transaction.atomic():
        existing = CallForEvidence.objects.filter(slug=DEMO_SLUG).first()
        if existing is not None:
            progress(f"The demo call '{DEMO_SLUG}' is already loaded.")
            return DemoReport(
                created=False,
                submissions=existing.submissions.filter(status=SubmissionStatus.SUBMITTED).count(),
                schools_in_register=School.objects.filter(status__istartswith="open").count(),
            )
        _ensure_register(register_file, progress)
        rows = _open_schools()
        progress(f"Planning {SUBMISSIONS} submissions over {len(rows):,} open schools ...")
        rng = random.Random(SEED)
        planner = Planner(rows, rng)
        plans = planner.trusts(35) + planner.las_and_providers(whole=8, lists=12)
        plans += planner.direct(schools=SUBMISSIONS - len(plans) - 3, federations=7, others=3)
        rng.shuffle(plans)

        # Choose every practice first, so that each one is told in full at least once.
        writer = Writer(planner, rng)
        for plan in plans:
            plan.practice_key = writer.practice_for(plan).key
        first_telling: set[int] = set()
        told: set[str] = set()
        for i, plan in enumerate(plans):
            if plan.practice_key not in told:
                told.add(plan.practice_key)
                first_telling.add(i)

        # Thin, very short and off-topic responses come mostly from single schools (and one
        # provider's advert); organisations speaking for many schools tend to write at length.
        qualities = [""] * len(plans)
        for org_types, thin, full in (
            (
                {"school"},
                ["tiny"] * 5 + ["weak"] * 10 + ["off_topic"] * 4 + ["short"] * 11,
                ["long"] * 14 + ["epic"] * 3,
            ),
            (
                set(ROUTES) - {"school"},
                ["short"] * 3 + ["off_topic"],
                ["long"] * 17 + ["epic"] * 3,
            ),
        ):
            mine = [i for i, plan in enumerate(plans) if plan.org_type in org_types]
            thin_slots = rng.sample([i for i in mine if i not in first_telling], len(thin))
            rest = [i for i in mine if i not in thin_slots]
            full += ["medium"] * (len(rest) - len(full))
            rng.shuffle(full)
            for i, quality in zip(thin_slots + rest, thin + full, strict=True):
                qualities[i] = quality
        consents = (
            [PublicationConsent.NAMED] * 91
            + [PublicationConsent.ANONYMISED] * 49
            + [PublicationConsent.NO] * (len(plans) - 140)
        )
        rng.shuffle(consents)
        times = _submitted_times(rng, len(plans))

        # Full responses that may be published are likely case studies, which repeat their
        # sentences in a second item: they are written first, from sentences nobody else uses
        # (one per practice, so that each has a fresh telling of it).
        reserved: set[int] = set()
        held: set[str] = set()
        for i, plan in enumerate(plans):
            if (
                consents[i] != PublicationConsent.NO
                and qualities[i] in {"long", "epic"}
                and plan.practice_key not in held
            ):
                reserved.add(i)
                held.add(plan.practice_key)
        rank = {"epic": 1, "long": 1, "medium": 2, "short": 3}
        order = sorted(
            range(len(plans)), key=lambda i: (i not in reserved, rank.get(qualities[i], 4), i)
        )

        call = CallForEvidence.objects.create(
            slug=DEMO_SLUG,
            title=TITLE,
            introduction=INTRODUCTION,
            opens_at=OPENS_AT,
            closes_at=CLOSES_AT,
        )
        progress("Writing the submissions ...")
        written = {i: writer.write(plans[i], qualities[i], i in reserved) for i in order}
        references: set[str] = set()
        submissions = []
        for i, (consent, submitted_at) in enumerate(zip(consents, times, strict=True)):
            fields = written[i]
            submissions.append(
                Submission(
                    call=call,
                    status=SubmissionStatus.SUBMITTED,
                    reference=_reference(rng, references),
                    resume_token_hash=Submission.new_token()[1],
                    source="demo",
                    consent_publication=consent,
                    consent_contact=rng.random() < 0.9,
                    submitted_at=submitted_at,
                    **fields,
                )
            )
        Submission.objects.bulk_create(submissions)

        # Drafts were started some time before they were sent, never before the call opened.
        for submission in submissions:
            started = submission.submitted_at - timedelta(
                minutes=rng.choice([25, 40, 90, 60 * 24, 60 * 24 * 3, 60 * 24 * 9])
            )
            submission.created_at = max(started, OPENS_AT)
            submission.updated_at = submission.submitted_at
        Submission.objects.bulk_update(submissions, ["created_at", "updated_at"])
        CallForEvidence.objects.filter(pk=call.pk).update(
            created_at=uk_instant(date(2025, 3, 10), time(9, 30))
        )

        progress("Recording the schools each submission covers ...")
        pks = {r.urn: r.pk for r in rows}
        CoveredSchool.objects.bulk_create(
            [
                CoveredSchool(submission=submission, urn=urn, school_id=pks[urn])
                for submission, plan in zip(submissions, plans, strict=True)
                for urn in plan.urns
            ]
            + [
                CoveredSchool(submission=submission, urn=urn, school=None, in_register=False)
                for submission, plan in zip(submissions, plans, strict=True)
                for urn in plan.unknown_urns
            ],
            batch_size=2000,
        )
        figures = snapshot(call).as_dict()
        return DemoReport(
            created=True,
            submissions=figures["submissions"],
            schools_in_register=len(rows),
            figures=figures,
        )
