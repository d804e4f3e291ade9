"""The demo call: its published-snapshot figures, idempotence, variety and realism of the texts."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import timedelta

import pytest

from inpractice.demo.loader import CLOSES_AT, DEMO_SLUG, OPENS_AT, load_demo
from inpractice.demo.synthetic import URN_RANGE, build_register
from inpractice.demo.texts import render
from inpractice.intake.choices import (
    Coverage,
    NeedCode,
    Phase,
    PracticeType,
    PublicationConsent,
)
from inpractice.intake.coverage import snapshot
from inpractice.intake.models import CallForEvidence, CoveredSchool, Submission, WindowState
from inpractice.intake.window import closing_phrase, opening_phrase
from inpractice.schools.models import Region, School, Trust
from inpractice.schools.register import local_authority_rows

# Every test here needs the test database: pytest-django creates it only for selected tests that
# ask for it, and the module-scoped `demo` fixture relies on it.
pytestmark = pytest.mark.django_db


def _delete_demo(school_pks: set[int] | None = None, trust_pks: set[int] | None = None) -> None:
    CoveredSchool.objects.filter(submission__call__slug=DEMO_SLUG).delete()
    Submission.objects.filter(call__slug=DEMO_SLUG).delete()
    CallForEvidence.objects.filter(slug=DEMO_SLUG).delete()
    schools = School.objects.filter(synthetic=True)
    trusts = Trust.objects.filter(code__startswith="TR0")
    if school_pks is not None:
        schools = School.objects.exclude(pk__in=school_pks)
    if trust_pks is not None:
        trusts = Trust.objects.exclude(pk__in=trust_pks)
    schools.delete()
    trusts.delete()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module (it takes a few seconds) and remove it afterwards."""
    with django_db_blocker.unblock():
        school_pks = set(School.objects.values_list("pk", flat=True))
        trust_pks = set(Trust.objects.values_list("pk", flat=True))
        messages: list[str] = []
        report = load_demo(progress=messages.append)
        yield report, messages
        _delete_demo(school_pks, trust_pks)


@pytest.fixture
def call(demo, db) -> CallForEvidence:
    return CallForEvidence.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def subs(call) -> list[Submission]:
    return list(call.submissions.all())


def _all_text(s: Submission) -> str:
    return " ".join([s.title, s.need_description, *s.answers.values()])


def _words(s: Submission) -> int:
    return sum(len(v.split()) for v in s.answers.values())


# ------------------------------------------------------------------ figures


def test_snapshot_reproduces_the_published_figures(call):
    snap = snapshot(call)
    assert snap.submissions == 165
    assert snap.schools_via_trusts == 820
    assert abs(snap.schools_via_las_and_providers - 7_600) <= 152
    assert 1 <= snap.schools_not_in_register <= 5
    # "About 8,400 schools in all" in the published snapshot.
    assert 8_200 <= snap.schools_total <= 8_600


def test_total_is_the_union_of_covered_urns(call):
    rows = list(
        CoveredSchool.objects.filter(submission__call=call).values_list(
            "urn", "submission__organisation_type"
        )
    )
    routes: dict[str, set[int]] = {"trusts": set(), "las": set(), "direct": set()}
    for urn, org_type in rows:
        route = {"trust": "trusts", "local_authority": "las", "send_provider": "las"}
        routes[route.get(org_type, "direct")].add(urn)
    union = routes["trusts"] | routes["las"] | routes["direct"]
    snap = snapshot(call)
    assert snap.schools_total == len(union)
    assert snap.schools_via_trusts == len(routes["trusts"])
    assert snap.schools_via_las_and_providers == len(routes["las"])
    assert snap.schools_direct == len(routes["direct"])
    # Some schools are named by more than one route, as in the real call, so the routes add up
    # to more than the de-duplicated total.
    assert len(union) < sum(len(r) for r in routes.values())
    assert routes["trusts"] & routes["las"]


def test_report_summary_gives_the_figures(demo):
    report, messages = demo
    assert report.created is True
    assert report.submissions == 165
    assert report.schools_in_register == 22_000
    summary = report.summary()
    assert "820" in summary and "7,600" in summary and "165" in summary
    assert any("synthetic register" in m for m in messages)


def test_a_second_load_changes_nothing(call):
    before = (
        School.objects.count(),
        Trust.objects.count(),
        Submission.objects.count(),
        CoveredSchool.objects.count(),
        CallForEvidence.objects.count(),
    )
    report = load_demo()
    assert report.created is False
    assert report.submissions == 165
    assert "already loaded" in report.summary()
    after = (
        School.objects.count(),
        Trust.objects.count(),
        Submission.objects.count(),
        CoveredSchool.objects.count(),
        CallForEvidence.objects.count(),
    )
    assert after == before


def test_an_interrupted_load_leaves_nothing_behind(call):
    # Remove the module's demo inside this test's transaction (rolled back afterwards), then
    # make the load fail after the register and the call have been written.
    _delete_demo()
    assert not School.objects.filter(synthetic=True).exists()

    def fail_late(message: str) -> None:
        if message.startswith("Recording the schools"):
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        load_demo(progress=fail_late)
    assert not CallForEvidence.objects.filter(slug=DEMO_SLUG).exists()
    assert not Submission.objects.filter(source="demo").exists()
    assert not School.objects.filter(synthetic=True).exists()
    assert not Trust.objects.filter(code__startswith="TR0").exists()


# ------------------------------------------------------------------ the call


def test_the_call_is_closed_with_the_real_window(call):
    assert call.title == "Inclusion in practice: call for evidence 2025"
    assert closing_phrase(call.closes_at) == "11:59pm on Thursday 1 May 2025"
    assert opening_phrase(call.opens_at) == "the start of Saturday 15 March 2025"
    assert call.state() == WindowState.CLOSED
    assert [q["key"] for q in call.questions] == ["practice", "impact", "enablers", "advice"]
    assert call.codebook["codes"]  # the model's default codebook
    assert "lorem" not in call.introduction.lower()


def test_submissions_are_submitted_inside_the_window_and_bunch_near_the_deadline(subs):
    assert {s.status for s in subs} == {"submitted"}
    assert {s.source for s in subs} == {"demo"}
    assert all(OPENS_AT <= s.submitted_at < CLOSES_AT for s in subs)
    assert all(OPENS_AT <= s.created_at <= s.submitted_at for s in subs)
    first_fortnight = sum(s.submitted_at < OPENS_AT + timedelta(days=14) for s in subs)
    last_fortnight = sum(s.submitted_at >= CLOSES_AT - timedelta(days=14) for s in subs)
    assert last_fortnight > 2 * first_fortnight
    assert any(s.submitted_at >= CLOSES_AT - timedelta(days=1) for s in subs)


def test_references_and_tokens_are_unique_and_well_formed(subs):
    references = [s.reference for s in subs]
    assert len(set(references)) == 165
    assert all(
        re.fullmatch(r"IP-[A-HJKMNP-TV-Z2-9]{4}-[A-HJKMNP-TV-Z2-9]{4}", r) for r in references
    )
    assert len({s.resume_token_hash for s in subs}) == 165


def test_respondents_are_fake_and_consistent(subs):
    assert all(s.respondent_email.endswith(".example.org") for s in subs)
    assert len({s.respondent_email for s in subs}) == 165
    assert all(s.respondent_name and s.respondent_role and s.organisation_name for s in subs)
    consent = Counter(s.consent_publication for s in subs)
    assert consent[PublicationConsent.NAMED] == 91
    assert consent[PublicationConsent.ANONYMISED] == 49
    assert consent[PublicationConsent.NO] == 25
    assert 0.8 < sum(bool(s.consent_contact) for s in subs) / 165 < 0.98


def test_mix_of_organisations_and_coverage(subs):
    types = Counter(s.organisation_type for s in subs)
    assert types == {
        "school": 95,
        "trust": 35,
        "local_authority": 20,
        "send_provider": 12,
        "other": 3,
    }
    assert all(s.organisation_type_other for s in subs if s.organisation_type == "other")
    for s in subs:
        urns = set(s.covered_schools.values_list("urn", flat=True))
        if s.coverage == Coverage.TRUST:
            assert s.coverage_trust is not None
            assert urns == set(s.coverage_trust.schools.values_list("urn", flat=True))
        elif s.coverage == Coverage.LOCAL_AUTHORITY:
            la = s.coverage_local_authority
            assert la is not None
            assert urns == set(la.schools.values_list("urn", flat=True))
            assert 40 <= len(urns) <= 800
        elif s.coverage == Coverage.ONE_SCHOOL:
            assert len(urns) == 1
            school = School.objects.get(urn=urns.pop())
            assert s.organisation_name == school.name
            assert s.phases == [school.phase]
        else:
            assert s.coverage == Coverage.URN_LIST and urns
    providers = [s for s in subs if s.organisation_type == "send_provider"]
    assert all(s.covered_schools.count() >= 100 for s in providers)


# ------------------------------------------------------------------ what the submissions cover


def test_every_need_practice_type_phase_and_region_occurs(subs):
    assert {c for s in subs for c in s.need_codes} == set(NeedCode.values)
    assert {t for s in subs for t in s.practice_types} == set(PracticeType.values)
    assert {p for s in subs for p in s.phases} == set(Phase.values)
    direct = School.objects.filter(
        coveredschool__submission__in=[s for s in subs if s.organisation_type == "school"]
    )
    assert set(direct.values_list("region", flat=True)) == set(Region.values)


def test_fields_are_valid_choices(subs):
    for s in subs:
        assert 1 <= len(s.need_codes) <= 4 and set(s.need_codes) <= set(NeedCode.values)
        assert 1 <= len(s.practice_types) <= 3
        assert set(s.practice_types) <= set(PracticeType.values)
        assert bool(s.practice_type_other) == ("other" in s.practice_types)
        assert s.phases and set(s.phases) <= set(Phase.values)
        assert len(s.title) <= 150
        assert len(s.need_description.split()) >= 12  # a precise description, not a label
        assert set(s.answers) == {"practice", "impact", "enablers", "advice"}
        assert s.answers["practice"] and s.answers["impact"] and s.answers["enablers"]
        for question in s.call.questions:
            assert len(s.answers[question["key"]]) <= question["max_length"]


# ------------------------------------------------------------------ the texts


def test_texts_are_varied_in_content_and_length(subs):
    assert len({s.answers["practice"] for s in subs}) == 165
    assert len({s.answers["impact"] for s in subs}) >= 150
    assert len({s.title for s in subs}) >= 100
    words = sorted(_words(s) for s in subs)
    assert words[0] <= 80 and words[-1] >= 700
    assert sum(w >= 500 for w in words) >= 20  # some long, rich responses
    assert sum(w <= 120 for w in words) >= 15  # and some short, plain ones
    assert 20 <= sum(not s.answers["advice"] for s in subs) <= 100
    # No template syntax left behind.
    assert not any(re.search(r"[{}]", _all_text(s)) for s in subs)


@pytest.mark.parametrize(
    ("principle", "pattern", "at_least"),
    [
        ("knowing children well", r"transition|screen|early identification|one-page profile", 40),
        ("evidence-informed teaching", r"\beef\b|coaching|adaptive teaching|rosenshine", 25),
        (
            "coherent targeted support",
            r"graduated approach|assess, plan, do, review|provision map|intervention|referr",
            50,
        ),
        ("relationships and partnerships", r"parents?\b|famil(y|ies)", 80),
        (
            "strategic shared responsibility",
            r"governor|trustee|senior leadership|development plan",
            40,
        ),
    ],
)
def test_every_principle_is_represented(subs, principle, pattern, at_least):
    hits = sum(bool(re.search(pattern, _all_text(s), re.IGNORECASE)) for s in subs)
    assert hits >= at_least, f"{principle}: {hits} submissions"


FRAMEWORKS = [
    "Zones of Regulation",
    "Emotion Coaching",
    "ELSA",
    "Boxall Profile",
    "nurture group",
    "PACE",
    "Attachment Aware Schools",
    "Talk Boost",
    "Nuffield Early Language Intervention",
    "WellComm",
    "Language Link",
    "Speech Link",
    "Colourful Semantics",
    "Lego-based therapy",
    "Attention Autism",
    "TEACCH",
    "SCERTS",
    "Intensive Interaction",
    "PECS",
    "Makaton",
    "Widgit",
    "Precision Teaching",
    "Read Write Inc.",
    "Rosenshine",
    "EEF",
    "five-a-day",
    "Edukey",
    "Strengths and Difficulties Questionnaire",
    "New Group Reading Test",
    "CAT4",
    "Lucid Exact",
    "sensory circuit",
    "Dyslexia Friendly Schools",
    "Autism Education Trust",
    "Whole School SEND",
    "restorative",
    "Mental Health Support Team",
    "CAMHS",
    "educational psycholog",
    "speech and language therap",
    "occupational therap",
    "Teacher of the Deaf",
    "habilitation",
    "Youth Sport Trust",
    "Boccia",
    "Early Help",
    "annual review",
    "one-page profile",
    "person-centred",
    "WalkThrus",
    "NPQ for SENCOs",
    "Thrive",
    "Team Teach",
    "nasen",
    "Partnerships for Inclusion of Neurodiversity in Schools",
    "graduated approach",
]


def test_the_frameworks_schools_really_cite_appear(subs):
    text = "\n".join(_all_text(s) for s in subs).lower()
    missing = [f for f in FRAMEWORKS if f.lower() not in text]
    assert not missing


def test_no_placeholder_or_american_spelling(subs):
    american = re.compile(
        r"\b(lorem|ipsum|behavior|color|center|organization|organize|program|pediatric|"
        r"recognize|favorite|judgment|enroll)\b",
        re.IGNORECASE,
    )
    offenders = [s.reference for s in subs if american.search(_all_text(s))]
    assert not offenders


def test_no_real_pupil_details(subs):
    # Vignettes use an initial only; no full names other than the respondent's appear.
    for s in subs:
        assert s.respondent_name not in s.answers["practice"]


# ------------------------------------------------------------------ the synthetic register


def _la_rows() -> list[tuple[str, str, str]]:
    return [(r["la_code"], r["name"], r["region_code"]) for r in local_authority_rows()]


def test_synthetic_register_is_deterministic_and_well_shaped():
    first = build_register(_la_rows())
    second = build_register(_la_rows())
    assert first == second
    urns = [s.urn for s in first.schools]
    assert len(urns) == len(set(urns)) == 22_000
    assert all(URN_RANGE[0] <= u <= URN_RANGE[1] for u in urns)
    assert len(first.trusts) == 1_200
    assert len({t.code for t in first.trusts}) == 1_200
    assert all(re.fullmatch(r"TR0\d{4}", t.code) for t in first.trusts)
    assert len({t.name for t in first.trusts}) == 1_200

    phases = Counter(s.phase for s in first.schools)
    assert 0.72 < phases["primary"] / 22_000 < 0.78
    assert 0.13 < phases["secondary"] / 22_000 < 0.19
    assert {"nursery", "middle", "all_through", "16_plus"} <= set(phases)
    in_trust = Counter(s.trust_code for s in first.schools if s.trust_code)
    assert 0.43 < sum(in_trust.values()) / 22_000 < 0.47
    assert min(in_trust.values()) >= 1 and max(in_trust.values()) <= 60
    assert sum(size >= 30 for size in in_trust.values()) >= 20  # a heavy tail of large trusts
    # Academies are exactly the schools in trusts.
    for s in first.schools:
        is_academy = s.establishment_group in {"Academies", "Free Schools"}
        assert is_academy == (s.trust_code is not None), s
    # Bigger counties get more schools than small unitaries.
    per_la = Counter(s.la_code for s in first.schools)
    assert per_la["886"] > 4 * per_la["867"]  # Kent and Bracknell Forest
    assert not any("lorem" in s.name.lower() for s in first.schools)


def test_a_different_seed_gives_a_different_register():
    assert build_register(_la_rows(), seed=1).schools != build_register(_la_rows()).schools


def test_loaded_register_matches_the_synthetic_build(call):
    expected = {s.urn: s.name for s in build_register(_la_rows()).schools}
    loaded = dict(School.objects.filter(synthetic=True).values_list("urn", "name"))
    assert loaded == expected
    assert set(School.objects.filter(synthetic=True).values_list("region", flat=True)) == set(
        Region.values
    )


# ------------------------------------------------------------------ the template language


def test_render_expands_alternatives_numbers_and_names():
    rng = random.Random(3)
    for _ in range(20):
        first, number, org, rest = render(
            "{a|b}/{3..5}/{org}/{x {1..2}|y}", {"org": "Oak"}, rng
        ).split("/")
        assert first in {"a", "b"}
        assert 3 <= int(number) <= 5
        assert org == "Oak"
        assert rest in {"x 1", "x 2", "y"}
    with pytest.raises(KeyError):
        render("{missing}", {}, rng)
