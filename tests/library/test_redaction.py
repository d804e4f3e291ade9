"""Redaction a reader can read: suggested words from a finding's kind and context, the moderator's
choice put in place (on the page, by keyboard-sized forms), and placeholders refused at publish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inpractice.analysis.redaction import placeholders, replace_spans, suggestions
from inpractice.library import services
from inpractice.library.models import Status

from .factories import ACTOR, approve_as_submitter, make_case_study
from .test_workflow import staff_client


def words(entity_type: str, text: str, before: str = "", after: str = "") -> list[str]:
    return [s.words for s in suggestions(entity_type, text, before, after)]


def test_suggestions_follow_the_kind_and_the_words_around():
    # The role already says who: the name can go, or the role stand in for the person.
    assert words("PERSON", "Jane Doughty", "Contact our SENCO ", " on the phone")[:2] == [
        "",
        "the SENCO",
    ]
    assert "a parent" in words("PERSON", "Sarah", "J.S. in Year 5 and his mum ", " came in")
    assert words("INITIALS", "J.S.", "Year 5 started, so we worked with ", " on reading")[0] == (
        "a Year 5 pupil"
    )
    # The year is said right beside the initials: not "a Year 5 pupil in Year 5".
    assert words("INITIALS", "J.S.", "We worked with ", " in Year 5 on reading")[0] == "a pupil"
    assert words("INITIALS", "JS", "a Year 5 pupil ", " who")[0] == ""
    assert words("INITIALS", "AB", "In Reception we met ", " each day")[0] == "a Reception pupil"
    assert words("PERSON", "Mrs Patel", "", " runs the club")[0] == "a teacher"
    assert words("IDENTIFYING_NAME", "Oakfield Primary School", "We are at ", ".")[0] == (
        "our school"
    )
    assert words("IDENTIFYING_NAME", "Oak Learning Trust")[0] == "our trust"
    assert words("IDENTIFYING_NAME", "Kent County Council")[0] == "the local authority"
    assert words("EMAIL_ADDRESS", "jo@oak.sch.uk")[0] == "the school office"
    assert words("URL", "www.oak.sch.uk")[0] == "our website"
    for kind in ("PERSON", "UK_PHONE_NUMBER", "UK_POSTCODE", "UK_UPN", "DATE_OF_BIRTH"):
        found = words(kind, "x", "some words before ", " and after")
        assert 1 <= len(found) <= 5 and len(set(found)) == len(found)
        assert not any(placeholders({"w": w}) for w in found)


def test_chosen_words_read_as_a_sentence():
    text = "Mrs Patel runs it. Contact our SENCO Jane Doughty on 0163."
    assert replace_spans(text, [(0, 9)], "a teacher") == (
        "A teacher runs it. Contact our SENCO Jane Doughty on 0163."
    )
    start = text.index("Jane")
    assert replace_spans(text, [(start, start + len("Jane Doughty"))], "") == (
        "Mrs Patel runs it. Contact our SENCO on 0163."
    )
    assert placeholders({"practice": "Ask [name removed] or [Removed]", "title": "[ok]"}) == [
        ("practice", "[name removed]"),
        ("practice", "[Removed]"),
    ]


@pytest.mark.django_db
def test_the_check_page_offers_words_in_context_and_puts_the_choice_in(open_call):
    case_study = make_case_study(
        open_call,
        "draft",
        practice="Our SENCO Jane Doughty worked with J.S. in Year 5 every morning.",
    )
    moderator = staff_client("moderator")
    url = reverse("library:staff_check", args=[case_study.pk])
    page = moderator.get(url).content.decode()
    assert "Redact all" not in page
    assert "…Our SENCO <mark>Jane Doughty</mark> worked with" in page
    assert "Take it out (no words in its place)" in page and "“a pupil”" in page
    assert "Other words" in page

    findings = {f.text: f for f in services.check_personal_data(case_study).open}

    def post(finding, **data):
        return moderator.post(
            url,
            {
                "field": finding.field,
                "entity_type": finding.entity_type,
                "text": finding.text,
                **data,
            },
        )

    # Nothing chosen, or a placeholder typed: refused with what to do.
    assert post(findings["J.S."], action="replace", choice="").status_code == 400
    refused = post(
        findings["J.S."], action="replace", choice="other", other_words="[initials removed]"
    )
    assert refused.status_code == 400 and "not a placeholder" in refused.content.decode()
    # Suggestion 0 for the name (take it out: "our SENCO" already says who), own words for J.S.
    assert post(findings["Jane Doughty"], action="replace", choice="s0").status_code == 302
    assert (
        post(
            findings["J.S."], action="replace", choice="other", other_words="one  Year 5 reader"
        ).status_code
        == 302
    )
    case_study.refresh_from_db()
    assert case_study.practice == "Our SENCO worked with one Year 5 reader in Year 5 every morning."
    notes = list(case_study.versions.filter(action="redacted").values_list("note", flat=True))
    assert "person's name taken out" in notes
    assert "a person's initials replaced with 'one Year 5 reader'" in notes


@pytest.mark.django_db
def test_placeholders_are_not_a_way_to_publish(open_call):
    case_study = make_case_study(open_call, "draft")
    case_study = services.save_edits(
        case_study,
        {"practice": "Contact our SENCO [name removed] on [phone number removed]."},
        ACTOR,
        case_study.version,
    )
    # Nor is it sent to the submitter: they approve words a reader would see.
    with pytest.raises(services.CaseStudyError, match="Resolve the personal data check"):
        approve_as_submitter(case_study)
    for action in ("submit_for_review", "approve"):
        case_study = services.transition(case_study, action, ACTOR)
    problems = " ".join(services.publish_problems(case_study))
    assert "“[name removed]”, “[phone number removed]”" in problems
    assert "a reader cannot follow" in problems
    with pytest.raises(services.CaseStudyError, match="placeholders"):
        services.transition(case_study, "publish", ACTOR)
    assert case_study.status == Status.APPROVED
    page = staff_client("moderator").get(reverse("library:staff_publish", args=[case_study.pk]))
    assert "I have read it: publish" not in page.content.decode()
    assert "[name removed]" in page.content.decode()  # read back, so it is seen
    with pytest.raises(services.CaseStudyError, match="not a placeholder"):
        services.replace_findings(case_study, {("practice", "PERSON", "x"): "[removed]"}, ACTOR)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Yorkshire and The Humber", "Yorkshire and The Humber"),
        ("London", "London"),
        ("North West", "the North West"),
        ("East of England", "the East of England"),
    ],
)
def test_a_region_reads_right_in_the_setting_line(label, words):
    from inpractice.library.services import _the_region

    assert _the_region(label) == words
