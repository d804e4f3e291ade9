"""The personal data check: each UK recogniser, the UPN check letter, merging and redaction."""

from __future__ import annotations

import pytest

from inpractice.analysis import personal_data as pd


def types(text: str, **kwargs) -> dict[str, str]:
    return {f.text: f.entity_type for f in pd.analyse_text(text, **kwargs)}


@pytest.mark.parametrize(
    ("text", "found", "entity"),
    [
        ("Email head@oakfield.sch.uk for details.", "head@oakfield.sch.uk", "EMAIL_ADDRESS"),
        ("Write to J.Smith@Example.org.uk today.", "J.Smith@Example.org.uk", "EMAIL_ADDRESS"),
        ("Ring 0113 496 0000 after school.", "0113 496 0000", "UK_PHONE_NUMBER"),
        ("Her mobile is 07700 900123.", "07700 900123", "UK_PHONE_NUMBER"),
        ("Call +44 20 7946 0018 now.", "+44 20 7946 0018", "UK_PHONE_NUMBER"),
        ("We are at LS6 2AB in Leeds.", "LS6 2AB", "UK_POSTCODE"),
        ("The base is at 14 Mill Lane near the park.", "14 Mill Lane", "UK_ADDRESS"),
        ("He was born on 12/03/2015 in Leeds.", "12/03/2015", "DATE_OF_BIRTH"),
        ("DOB: 3 March 2014.", "3 March 2014", "DATE_OF_BIRTH"),
        ("Mrs Patel leads the nurture group.", "Mrs Patel", "PERSON"),
        ("Our SENCO, Jane Smith, trains staff.", "Jane Smith", "PERSON"),
        ("The headteacher Sam Okafor agreed.", "Sam Okafor", "PERSON"),
        ("Then Oliver Brown joined the class.", "Oliver Brown", "PERSON"),
        ("Follow us at @oakfieldpri for news.", "@oakfieldpri", "SOCIAL_HANDLE"),
        ("See www.oakfield.sch.uk/send for more.", "www.oakfield.sch.uk/send", "URL"),
    ],
)
def test_each_recogniser_finds_its_kind(text, found, entity):
    assert types(text).get(found) == entity, pd.analyse_text(text)


def test_upn_needs_the_right_check_letter():
    body = "801200110001"
    letter = pd.upn_check_letter(body)
    assert letter == "Q"  # worked by hand: sum of weights 2..13 times digits = 177; 177 % 23 = 16
    assert pd.is_valid_upn(letter + body)
    wrong = "A" if letter != "A" else "B"
    assert not pd.is_valid_upn(wrong + body)
    assert types(f"Pupil UPN {letter}{body} moved school.").get(letter + body) == "UK_UPN"
    assert (wrong + body) not in types(f"Pupil UPN {wrong}{body} moved school.")


def test_temporary_upn_with_a_final_letter():
    body = "80120011000A"
    letter = pd.upn_check_letter(body)
    assert letter is not None and pd.is_valid_upn(letter + body)


def test_ordinary_school_prose_has_no_findings():
    text = (
        "Every class in Key Stage 2 uses visual timetables. The SENCO meets the Year 6 team "
        "each term, and the Trust Board reviews the provision map in March. Pupils with ASD "
        "and SEMH needs have a calm space."
    )
    assert pd.analyse_text(text) == []


def test_word_names_need_a_surname():
    assert types("We hope May will be better.") == {}
    assert types("Grace Hopper visited the school.") == {"Grace Hopper": "PERSON"}


def test_identifying_names_are_flagged_case_insensitively():
    found = types(
        "At OAKFIELD PRIMARY SCHOOL we share ideas.", identifying_names=["Oakfield Primary School"]
    )
    assert found == {"OAKFIELD PRIMARY SCHOOL": "IDENTIFYING_NAME"}


def test_redaction_replaces_every_finding_with_its_placeholder():
    text = "Contact Mrs Patel on head@oakfield.sch.uk or 0113 496 0000."
    redacted = pd.redact(text, pd.analyse_text(text))
    assert redacted == (
        "Contact [name removed] on [email address removed] or [phone number removed]."
    )
    assert pd.analyse_text(redacted) == []


def test_empty_and_odd_text_is_fine():
    assert pd.analyse_text("") == []
    assert pd.analyse_text("\x00 \u2028 💡") == []
    assert pd.check({"a": "", "b": "Email x@y.org"}) == [
        pd.Finding("b", "EMAIL_ADDRESS", 6, 13, "x@y.org", 0.9)
    ]
