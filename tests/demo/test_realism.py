"""The generated demo reads like a real call: no sentence in more than two items (submissions and
published case studies together), phase and need consistent, varied in length and quality, and
case studies with their own titles and summaries written as summaries.

These run over the whole demo as `inpractice demo` makes it (loaded, then case studies
published), so they fail on any edit to the texts or the generator that brings a repeat back.
"""

from __future__ import annotations

from collections import Counter

import pytest

from inpractice.demo.checks import (
    MAX_ITEMS_PER_SENTENCE,
    need_problems,
    phase_problems,
    repeated_sentences,
    sentences,
)
from inpractice.demo.library import DEMO_CASE_STUDIES, publish_demo_case_studies
from inpractice.demo.loader import DEMO_SLUG, load_demo
from inpractice.demo.texts import OFF_TOPIC
from inpractice.intake.models import CallForEvidence, CoveredSchool, Submission
from inpractice.library.models import CaseStudy, Status
from inpractice.schools.models import School, Trust

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded and its case studies published, once for the module."""
    with django_db_blocker.unblock():
        school_pks = set(School.objects.values_list("pk", flat=True))
        trust_pks = set(Trust.objects.values_list("pk", flat=True))
        load_demo()
        publish_demo_case_studies()
        yield
        CaseStudy.objects.filter(call__slug=DEMO_SLUG).delete()
        CoveredSchool.objects.filter(submission__call__slug=DEMO_SLUG).delete()
        Submission.objects.filter(call__slug=DEMO_SLUG).delete()
        CallForEvidence.objects.filter(slug=DEMO_SLUG).delete()
        School.objects.exclude(pk__in=school_pks).delete()
        Trust.objects.exclude(pk__in=trust_pks).delete()


@pytest.fixture
def subs(demo, db) -> list[Submission]:
    return list(Submission.objects.filter(call__slug=DEMO_SLUG).order_by("reference"))


@pytest.fixture
def studies(demo, db) -> list[CaseStudy]:
    return list(
        CaseStudy.objects.filter(call__slug=DEMO_SLUG, status=Status.PUBLISHED)
        .select_related("submission")
        .order_by("slug")
    )


def submission_text(s: Submission) -> str:
    return "\n\n".join([s.need_description, *s.answers.values()])


def case_study_text(c: CaseStudy) -> str:
    # The product adds a "Needs addressed: ..." list to the need and writes the setting ("A
    # primary school in London."): labels, not prose, so they are not counted as sentences.
    need = "\n".join(x for x in c.need.splitlines() if not x.startswith("Needs addressed:"))
    return "\n\n".join([c.summary, need, c.practice, c.impact, c.enablers, c.advice])


def test_no_sentence_is_in_more_than_two_items(subs, studies):
    items = {f"submission {s.reference}": submission_text(s) for s in subs}
    items.update({f"case study {c.slug}": case_study_text(c) for c in studies})
    assert len(items) == len(subs) + len(studies)
    repeated = repeated_sentences(items, MAX_ITEMS_PER_SENTENCE)
    worst = sorted(repeated.items(), key=lambda kv: -kv[1])[:10]
    assert not repeated, f"{len(repeated)} sentences in more than two items, e.g. {worst}"


def test_the_rule_can_fail():
    # The check itself: whitespace and case do not hide a repeat.
    items = {"a": "We test. Fine.", "b": "we  test.", "c": "WE TEST.\n", "d": "Other."}
    assert repeated_sentences(items) == {"we test.": 3}
    assert sentences("One.  Two!\n\nThree? 'Four.'") == ["one.", "two!", "three?", "four."]


def test_headline_sizes_stay(subs, studies):
    assert len(subs) == 165
    assert len(studies) == DEMO_CASE_STUDIES


def test_phase_words_fit_the_phases(subs, studies):
    problems = {
        s.reference: phase_problems(f"{s.title}\n\n{submission_text(s)}", s.phases) for s in subs
    }
    problems.update({c.slug: phase_problems(case_study_text(c), c.phases) for c in studies})
    assert not {k: v for k, v in problems.items() if v}


def test_phase_check_can_fail():
    assert phase_problems("One Year 8 pupil told the PE department.", ["primary"]) == [
        "Year 8",
        "department",
    ]
    assert phase_problems("Children in Reception and Year 2.", ["secondary"]) == [
        "Reception",
        "Year 2",
    ]
    assert phase_problems("Year 8 and Reception.", ["primary", "secondary"]) == []


def test_need_words_fit_the_needs(subs):
    # A response about specific needs does not name an unrelated specific need. Practices
    # written for many needs (a local authority's service, a general approach) name several.
    focused = [s for s in subs if len(s.need_codes) == 1]
    assert len(focused) >= 10
    problems = {s.reference: need_problems(submission_text(s), s.need_codes) for s in focused}
    assert not {k: v for k, v in problems.items() if v}
    assert need_problems("Our autistic pupils and a deaf pupil.", ["HI"]) == {"ASD"}


def test_lengths_voices_and_quality_vary(subs):
    words = sorted(sum(len(v.split()) for v in s.answers.values()) for s in subs)
    assert words[0] <= 60 and words[-1] >= 600
    assert sum(w <= 100 for w in words) >= 15
    roles = Counter(s.respondent_role for s in subs)
    assert len(roles) >= 12
    # Off-topic responses, as every real call gets: known by their titles.
    endings = [entry.title.split("}")[-1] for entry in OFF_TOPIC]
    off_topic = [s for s in subs if any(s.title.endswith(e) for e in endings)]
    assert len(off_topic) >= 4


def test_case_studies_have_their_own_titles_and_written_summaries(studies):
    titles = Counter(c.title.lower() for c in studies)
    assert titles.most_common(1)[0][1] == 1, titles.most_common(3)
    for c in studies:
        first = sentences(c.practice)[0]
        assert sentences(c.summary)[0] != first, c.slug
        assert c.summary.endswith(".") and len(c.summary) <= 300
        if c.organisation_display:
            assert c.summary.startswith(c.organisation_display)
        else:
            assert c.summary.startswith(c.setting.rstrip("."))
