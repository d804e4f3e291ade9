"""A programme admin finds a submission by the reference a submitter quotes, by keyboard alone;
the list, its filters, an error and the submission's page pass axe and reflow at 320 px."""

from __future__ import annotations

from django.utils import timezone

from inpractice.intake.models import CoveredSchool, Submission, SubmissionStatus

from .conftest import CALL_SLUG, assert_accessible, expect_error_summary, go, sign_in
from .test_keyboard_journeys import tab_to

LIST_URL = f"/staff/calls/{CALL_SLUG}/submissions/"


def _sent(call, reference: str, organisation: str, schools, minutes: int) -> Submission:
    submission = Submission.objects.create(
        call=call,
        status=SubmissionStatus.SUBMITTED,
        reference=reference,
        resume_token_hash=Submission.new_token()[1],
        respondent_name="Priya Shah",
        respondent_email="p.shah@example.org",
        title=f"Inclusive practice at {organisation}",
        organisation_name=organisation,
        organisation_type="school",
        coverage="one_school" if len(schools) == 1 else "urn_list",
        phases=["primary"],
        answers={"practice": "Every morning pupils start in a calm room."},
        consent_publication="named",
        consent_contact=True,
        submitted_at=timezone.now() - timezone.timedelta(minutes=minutes),
    )
    for school in schools:
        CoveredSchool.objects.create(submission=submission, urn=school.urn, school=school)
    return submission


def _fits(page, width: int = 320) -> None:
    """Reflow (WCAG 1.4.10): at 320 CSS pixels nothing needs scrolling sideways."""
    page.set_viewport_size({"width": width, "height": 800})
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    if wide > width:
        culprits = page.evaluate(
            """(w) => [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right > w)
                .slice(0, 8).map((el) => el.tagName + '.' + el.className + ' ' +
                    Math.round(el.getBoundingClientRect().right))""",
            width,
        )
        raise AssertionError(f"{page.url} is {wide}px wide at a {width}px viewport: {culprits}")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_finding_a_submission_by_its_reference_with_the_keyboard(
    page, browser_call, browser_register, staff_user
):
    schools = browser_register["schools"]
    for n in range(12):
        _sent(browser_call, f"IP-TEST-{n + 2:04d}", f"School number {n}", [schools[n % 3]], n)
    wanted = _sent(browser_call, "IP-WXYZ-2345", "Kirkstall Valley High", schools[4:6], 30)

    sign_in(page)
    page.goto(LIST_URL)
    assert_accessible(page, "submissions")
    _fits(page)

    tab_to(page, "Search")
    page.keyboard.type("ip wxyz 2345")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("1 submission matches the search and filters").is_visible()
    assert_accessible(page, "submissions found by reference")
    tab_to(page, "Inclusive practice at Kirkstall Valley High")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"/submissions/{wanted.pk}/?back=" in page.url, page.url
    page.get_by_role("heading", name="Inclusive practice at Kirkstall Valley High").wait_for()
    for shown in ("IP-WXYZ-2345", "Roundhay Park Primary", "Kirkstall Valley High", "p.shah"):
        assert page.get_by_text(shown).first.is_visible(), shown
    assert_accessible(page, "one submission")
    _fits(page)
    go(page, "Back to the list", role="link")
    assert page.get_by_text("1 submission matches the search and filters").is_visible()

    page.goto(LIST_URL + "?region=E12000003&sort=organisation")
    assert page.get_by_text("1 submission matches").is_visible()
    assert_accessible(page, "submissions filtered by region")
    page.goto(LIST_URL + "?org_type=wombat")
    expect_error_summary(page)
    assert_accessible(page, "submissions with a bad filter")
    _fits(page)
