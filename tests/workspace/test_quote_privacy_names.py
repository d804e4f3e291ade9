"""The names that identify a submitter, found however they are written (`analysis.known_names`,
the check every report quote goes through with the engine; no database)."""

from __future__ import annotations

import pytest

from inpractice.analysis import known_names

ORGANISATIONS = [
    "Oakfield Primary School",
    "St Mary's C of E Primary School",
    "Leeds City Council",
    "Park Primary School",
    "Northern Lights Academy Trust",
    "Kirkstall Valley High",
]
PEOPLE = ["Jane Doughty"]


def found(text: str) -> list[tuple[str, str]]:
    return [
        (f.entity_type, f.text)
        for f in known_names.check_quote(text, ORGANISATIONS, PEOPLE, "quote")
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("At Oakfield Primary School we plan together.", "Oakfield Primary School"),
        ("At oakfield we plan together.", "oakfield"),  # the distinctive part, lower case
        ("At OAK\u200dFIELD we plan together.", "OAK\u200dFIELD"),  # zero-width joiner
        ("At Oak field we plan together.", "Oak field"),  # odd spacing
        ("At o.a.k.f.i.e.l.d we plan together.", "o.a.k.f.i.e.l.d"),
        (
            "At \uff2f\uff41\uff4b\uff46\uff49\uff45\uff4c\uff44 we plan.",
            "\uff2f\uff41\uff4b\uff46\uff49\uff45\uff4c\uff44",
        ),
        ("Pupils at st marys love it.", "st marys"),
        ("Pupils at ST.  MARY'S love it.", "ST.  MARY'S"),
        ("Everyone in leeds knows it.", "leeds"),
        ("The northern lights academy trust trains us.", "northern lights academy trust"),
        ("Park Primary School pupils lead it.", "Park Primary School"),
        ("Pupils from kirkstall joined us.", "kirkstall"),  # "Valley High" is not needed
    ],
)
def test_an_identifying_name_is_found_however_it_is_written(text, name):
    assert ("IDENTIFYING_NAME", name) in found(text)
    start = text.index(name)
    [finding] = [f for f in known_names.check_quote(text, ORGANISATIONS, PEOPLE) if f.text == name]
    assert (finding.start, finding.end) == (start, start + len(name))  # offsets in the original


@pytest.mark.parametrize(
    "text",
    [
        "We walk in the park every day.",  # "Park" alone is an ordinary word
        "Our northern partners help.",  # so is "Northern"
        "We use an oak tree for the forest school.",
        "Pupils cleaned the field.",
        "The valley school trip was calm.",
    ],
)
def test_ordinary_words_in_a_name_are_not_findings_alone(text):
    assert found(text) == []


def test_the_submitters_name_and_surname_are_found_and_merged_with_the_engine():
    assert found("Ask jane doughty about it.") == [("PERSON", "jane doughty")]
    assert found("Mrs DOUGHTY leads it.") == [("PERSON", "Mrs DOUGHTY")]
    # The engine's own findings come too, one finding per stretch of text.
    text = "alfie at Oakfield emails head\uff20oak.sch.uk"
    assert found(text) == [
        ("PERSON", "alfie"),
        ("IDENTIFYING_NAME", "Oakfield"),
        ("EMAIL_ADDRESS", "head\uff20oak.sch.uk"),
    ]


def test_no_names_means_the_engine_alone():
    assert known_names.find_known_names("At Oakfield we plan.") == []
    assert known_names.check_quote("At Oakfield we plan.") == []
