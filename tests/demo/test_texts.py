"""The demo's data files: every tag names something real, so a typo in the YAML cannot silently
stop a practice or a fragment from ever being chosen."""

from __future__ import annotations

import pytest

from inpractice.demo import texts
from inpractice.intake.choices import NeedCode, OrganisationType, PracticeType
from inpractice.schools.models import Phase

PHASES = set(Phase.values) - {"not_applicable"}
VOICES = set(OrganisationType.values)
PRINCIPLES = {"p1", "p2", "p3", "p4", "p5"}
POOLS = {
    name: getattr(texts, name)
    for name in (
        "SCHOOL_OPENINGS",
        "TRUST_OPENINGS",
        "LA_OPENINGS",
        "EXTRAS",
        "IMPACT",
        "WEAK_IMPACT",
        "ENABLERS",
        "WEAK_ENABLERS",
        "ADVICE",
        "VIGNETTES",
        "NEXT_STEPS",
    )
}


def test_practices_are_tagged_with_known_values():
    assert len(texts.PRACTICES) == 81
    assert len(texts.BY_KEY) == len(texts.PRACTICES)  # keys are unique
    for p in texts.PRACTICES:
        assert p.principle in PRINCIPLES, p.key
        assert p.phases and p.phases <= PHASES, p.key
        assert p.voices and p.voices <= VOICES, p.key
        assert p.needs and set(p.needs) <= set(NeedCode.values), p.key
        assert p.types and set(p.types) <= set(PracticeType.values), p.key
        assert bool(p.other_type) == ("other" in p.types), p.key
        assert p.titles and p.need_descriptions and p.short, p.key
        assert p.text.count("\n\n") >= 1, p.key  # paragraphs


@pytest.mark.parametrize("name", sorted(POOLS))
def test_fragments_are_tagged_with_known_values(name):
    specific = set(texts.BY_KEY) | set(PracticeType.values)
    for f in POOLS[name]:
        assert f.text and f.phases <= PHASES and f.voices <= VOICES, f.text
        assert f.needs <= set(NeedCode.values), f.text
        assert f.principle in PRINCIPLES | {""}, f.text
        assert f.only <= specific, f.only - specific


def test_groups_and_people_refer_to_known_values():
    assert texts.tags(["ANY"], "phases") == PHASES
    assert texts.tags(["ALL"], "voices") == VOICES
    assert texts.tags(["INFANT_AGE", "nursery"], "phases") == {"nursery", "primary", "all_through"}
    with pytest.raises(ValueError, match="no group 'INFANTS'"):
        texts.tags(["INFANTS"], "phases")
    for profile in (*texts.PROVIDER_PROFILES, *texts.OTHER_PROFILES):
        assert profile.practice in texts.BY_KEY, profile
    assert set(texts.ROLES) == {"school", "trust", "local_authority"}
    assert set(texts.PHASE_WORD) == PHASES
    assert {phase for phase, _one, _many in texts.PHASE_NOUNS} == PHASES


def test_the_call_reads_as_prose():
    assert texts.TITLE == "Inclusion in practice: call for evidence 2025"
    paragraphs = texts.INTRODUCTION.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 5 and all("\n" not in p for p in paragraphs)
