"""The case study library in real Chromium: search and filter with the keyboard alone, open a
case study, and axe-core WCAG 2.2 A/AA on every library page, public and moderator."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from inpractice.accounts.roles import add_staff
from inpractice.library import services
from inpractice.library.models import CaseStudy
from tests.library.factories import PLANTED_EMAIL, make_case_study, make_submission

from .conftest import STAFF_PASSWORD, assert_accessible, go
from .test_keyboard_journeys import focused, tab_to

MODERATOR = "moderator@example.gov.uk"
TARGET = "Visual timetables for pupils with ASD"
OTHER_SUBMISSION = {
    "need_description": "Children who had fallen behind their classmates.",
    "need_codes": ["SPLD"],
    "answers": {
        "practice": "Staff plan the work together each week.",
        "impact": "Progress data improved over the year.",
        "enablers": "Time for staff to plan together.",
        "advice": "Keep it simple.",
    },
}


@pytest.fixture
def library(browser_call, browser_register):
    target = make_case_study(
        browser_call,
        title=TARGET,
        summary="Picture timetables show what comes next in the day.",
        practice="Each classroom has a visual timetable; staff move a marker as the day goes on.",
        phases=["primary"],
        region="E12000007",
    )
    others = [
        make_case_study(
            browser_call,
            title=title,
            summary=summary,
            practice=summary,
            need_codes=["SPLD"],
            # Every section of its own, so no other case study shares the target's words.
            submission_fields=OTHER_SUBMISSION,
            need_areas=[],
            phases=["secondary"],
            region="E12000003",
        )
        for title, summary in [
            (
                "Phonics catch-up in Year 9",
                "Small-group phonics for older readers who fell behind.",
            ),
            (
                "Wheelchair basketball",
                "Adapted PE so pupils who use wheelchairs play with friends.",
            ),
            (
                "Family coffee mornings",
                "Parents meet the SENCO each month to plan support together.",
            ),
        ]
    ]
    return target, others


def test_search_and_filter_the_library_by_keyboard(page, library):
    page.goto("/library/")
    assert_accessible(page, "library search page")
    tab_to(page, "q")
    page.keyboard.type("helping autistic pupils cope with lesson changes")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first = page.locator("#results h3").first
    assert first.inner_text() == TARGET
    assert_accessible(page, "library results")

    tab_to(page, lambda d: d["tag"] == "summary" and d["text"] == "Phase")
    page.keyboard.press("Enter")
    desc = tab_to(page, "Primary")
    assert desc["type"] == "checkbox" and not desc["checked"]
    page.keyboard.press("Space")
    assert focused(page)["checked"]
    tab_to(page, "Apply filters")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "phase=primary" in page.url
    titles = page.locator("#results h3").all_inner_texts()
    assert titles == [TARGET]
    assert page.get_by_role(
        "link", name=re.compile(r"^Remove filter\s*Phase: Primary")
    ).is_visible()
    assert_accessible(page, "filtered results")

    tab_to(page, TARGET)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == TARGET
    assert page.get_by_role("heading", name="Similar case studies").is_visible()
    assert_accessible(page, "a case study")


def test_public_library_pages_are_accessible(page, library):
    target, _others = library
    for path, label in [
        ("/library/?q=zzzzqqqq+xxyyzz", "no results"),
        ("/library/?q=timetabels", "a typing mistake corrected"),
        ("/library/?q=ASD", "a search through synonyms"),
        ("/library/?q=%22NEAR*", "search with operators"),
        ("/library/?sort=title", "sorted by title"),
        ("/open-data/", "open data page"),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page, label)
    token = services.withdrawal_token(target.submission)
    page.goto(f"/library/withdraw-consent/{token}/")
    assert_accessible(page, "withdraw consent")
    go(page, "Withdraw consent")
    assert page.get_by_role("heading", name="Consent withdrawn").is_visible()
    assert_accessible(page, "consent withdrawn")
    response = page.goto(f"/library/{target.slug}/")
    assert response is not None and response.status == 410
    assert_accessible(page, "a withdrawn case study")


def test_moderator_pages_are_accessible(page, library, browser_call):
    add_staff(MODERATOR, "moderator", STAFF_PASSWORD)
    waiting = make_submission(
        browser_call,
        "anonymised",
        title="Calm starts",
        answers={"practice": f"Email {PLANTED_EMAIL} or ask Mrs Patel at Oakfield Primary School."},
    )
    page.goto("/accounts/sign-in/?next=/staff/case-studies/")
    page.get_by_label("Email address").fill(MODERATOR)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    go(page, "Sign in")
    assert page.url.endswith("/staff/case-studies/")
    assert_accessible(page, "case study list")

    go(page, f"Draft a case study from {waiting.reference}", role="link")
    assert_accessible(page, "draft a case study")
    page.get_by_label("Title").fill("")
    go(page, "Save draft")
    assert_accessible(page, "draft form with an error")
    page.get_by_label("Title").fill("Calm starts to the day")
    go(page, "Save draft")
    assert "/personal-data/" in page.url
    assert page.get_by_text(PLANTED_EMAIL).first.is_visible()
    assert_accessible(page, "personal data check with findings")

    go(page, "Back to the case study", role="link")
    assert_accessible(page, "case study (staff)")
    go(page, "Send for review")
    go(page, "Approve")
    # Four eyes: whoever drafted it cannot approve it.
    assert page.get_by_text("another moderator must approve").first.is_visible()
    assert_accessible(page, "approval refused to the author")
    add_staff("second.moderator@example.gov.uk", "moderator", STAFF_PASSWORD)
    second = get_user_model().objects.get(username="second.moderator@example.gov.uk")
    case_study = CaseStudy.objects.get(submission=waiting)
    services.transition(case_study, "approve", services.Actor(user=second))
    page.reload()
    # Publishing starts with reading the words back; while findings are open it cannot go on.
    go(page, "Read back and publish", role="link")
    assert page.get_by_role("heading", name="Read it back before publishing").is_visible()
    assert page.get_by_text("personal data finding(s) are not resolved").is_visible()
    assert not page.get_by_role("button", name="I have read it: publish").count()
    assert_accessible(page, "read back before publishing, with problems")
    go(page, "Back to the case study", role="link")

    go(page, "Open the check", role="link")
    assert not page.get_by_role("button", name=re.compile("Redact all")).count()
    # Each finding replaced by its first suggested words.
    replace = page.get_by_role("button", name=re.compile(r"^Replace"))
    while replace.count():
        with page.expect_navigation():
            replace.first.click()
    assert (
        page.get_by_text("The check found nothing").is_visible()
        or page.get_by_text("Every finding is resolved").is_visible()
    )
    assert_accessible(page, "personal data check, resolved")
    go(page, "Back to the case study", role="link")
    go(page, "Edit", role="link")
    assert_accessible(page, "edit a case study")
    page.goto(page.url.replace("/edit/", "/versions/1/"))
    assert_accessible(page, "a version")
