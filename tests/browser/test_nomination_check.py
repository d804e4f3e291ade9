"""A nomination checked before sending, and a school described as not in the register, by
keyboard alone (issue 15, part 4).

The person picks the wrong school, sees it on the check page (name, URN, town and local
authority from the register), follows its Change link back to the form with every answer kept,
picks the right one and sends. The check page passes axe (WCAG 2.2 AA) and reflows at 320 px.
"""

from __future__ import annotations

from inpractice.intake.models import Nomination, UnlistedSchool

from .conftest import (
    CALL_SLUG,
    assert_accessible,
    expect_error_summary,
    fill_about_you,
    press_continue,
    sign_in,
    step_url,
)
from .test_keyboard_journeys import (
    choose_from_autocomplete,
    choose_radio,
    press_button,
    tab_to,
    tick,
    type_into,
)

NOMINATE_URL = f"/calls/{CALL_SLUG}/nominate/"
CHECK_HEADING = "Check your nomination before sending it"


def _fits_at_320(page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"the page is {width} px wide at a 320 px viewport"
    assert_accessible(page, f"{page.url} at 320 px")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_wrong_school_is_seen_changed_and_the_right_one_sent(
    page, browser_call, browser_register
):
    page.goto(NOMINATE_URL)
    page.get_by_role("heading", name="Nominate a school").wait_for()
    choose_from_autocomplete(
        page, "School name or URN", "Hillside", "Hillside Infant School, London (URN 100003)"
    )
    type_into(page, "Name of a member of staff at the school", "Sam Jones")
    type_into(page, "Their work email address", "s.jones@roundhay.sch.uk")
    type_into(page, "Why are you nominating this school?", "A nurture group that really works.")
    tick(page, "You may share why I nominated the school with the school when you invite it")
    type_into(page, "Your name (optional)", "Alex Patel")
    press_button(page, "Continue")

    page.get_by_role("heading", name=CHECK_HEADING).wait_for()
    school = page.locator("#school-summary")
    for shown in ("Hillside Infant School", "100003", "London", "Camden"):
        assert shown in school.inner_text()
    assert page.get_by_text("Yes, you may quote my reason to the school").is_visible()
    assert Nomination.objects.count() == 0  # nothing is stored before Send
    assert_accessible(page, "nomination check page")
    _fits_at_320(page)

    # The wrong school: its Change link leads back to the form with the answers kept.
    press_button(page, "Change the school")
    page.get_by_role("heading", name="Nominate a school").wait_for()
    assert page.get_by_label("Name of a member of staff at the school").input_value() == "Sam Jones"
    assert page.get_by_label("Your name (optional)").input_value() == "Alex Patel"
    assert page.get_by_label(
        "You may share why I nominated the school with the school when you invite it"
    ).is_checked()
    tab_to(page, lambda d: d["label"] == "School name or URN")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.press("Shift+Tab")
    choose_from_autocomplete(
        page, "School name or URN", "Roundhay", "Roundhay Park Primary, Leeds (URN 107001)"
    )
    press_button(page, "Continue")

    page.get_by_role("heading", name=CHECK_HEADING).wait_for()
    school_text = page.locator("#school-summary").inner_text()
    assert "Roundhay Park Primary" in school_text and "Leeds" in school_text
    assert "Hillside" not in school_text
    press_button(page, "Send nomination")

    page.get_by_role("heading", name="Nomination sent").wait_for()
    assert page.get_by_text("Thank you for nominating Roundhay Park Primary").is_visible()
    assert_accessible(page, "nominated page")
    _fits_at_320(page)
    nomination = Nomination.objects.get()
    assert (nomination.urn, nomination.contact_name, nomination.share_reason) == (
        107001,
        "Sam Jones",
        True,
    )


def test_a_school_not_in_the_register_is_described_and_flagged_for_staff(
    page, browser_call, browser_register, staff_user
):
    page.goto(step_url("about-you"))
    fill_about_you(page)
    press_continue(page)
    page.get_by_role("heading", name="Which schools does your example cover?").wait_for()
    choose_radio(page, "coverage", "One school")
    press_button(page, "My school is not in the list")

    page.get_by_role("heading", name="Describe your school").wait_for()
    assert_accessible(page, "describe your school")
    press_button(page, "Continue")
    expect_error_summary(page)
    assert_accessible(page, "describe your school with errors")

    type_into(page, "School name", "Brook Farm Free School")
    type_into(page, "Town or city", "Ledbury")
    type_into(page, "Postcode", "hr8 2ab")
    choose_radio(page, "phase", "Primary")
    type_into(page, "URN (optional)", "107001")  # a URN that is in the register after all
    press_button(page, "Continue")
    expect_error_summary(page)
    assert page.get_by_role("button", name="Choose Roundhay Park Primary").is_visible()
    assert_accessible(page, "describe your school: the URN is in the register")
    _fits_at_320(page)

    tab_to(page, lambda d: d["label"] == "URN (optional)")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    press_button(page, "Continue")
    page.get_by_role("heading", name="Give your example a short title").wait_for()
    described = UnlistedSchool.objects.get()
    assert (described.name, described.postcode, described.urn) == (
        "Brook Farm Free School",
        "HR8 2AB",
        None,
    )
    assert not described.submission.covered_schools.exists()

    sign_in(page)
    page.goto(f"/staff/calls/{CALL_SLUG}/submissions/{described.submission_id}/")
    card = page.locator(f"#unlisted-{described.pk}")
    assert "Not in the register" in card.inner_text()
    assert_accessible(page, "staff submission with a described school")
    type_into(page, "Register URN of this school (Brook Farm Free School)", "100003")
    press_button(page, "Match to this URN for Brook Farm Free School")
    assert "Matched to URN 100003" in page.locator(f"#unlisted-{described.pk}").inner_text()
    described.refresh_from_db()
    assert described.matched_urn == 100003


def test_a_nominator_describes_a_school_not_in_the_register(page, browser_call, browser_register):
    page.goto(NOMINATE_URL)
    page.get_by_role("heading", name="Nominate a school").wait_for()
    press_button(page, "The school is not in the list")
    page.get_by_role("heading", name="Describe the school").wait_for()
    type_into(page, "School name", "Brook Farm Free School")
    type_into(page, "Town or city", "Ledbury")
    type_into(page, "Postcode", "HR8 2AB")
    choose_radio(page, "phase", "Secondary")
    press_button(page, "Continue")

    page.get_by_role("heading", name="Nominate a school").wait_for()
    assert "Brook Farm Free School" in page.locator("#described-school").inner_text()
    assert_accessible(page, "nominate page with a described school")
    type_into(page, "Name of a member of staff at the school", "Sam Jones")
    type_into(page, "Their work email address", "s.jones@brookfarm.sch.uk")
    type_into(page, "Why are you nominating this school?", "A nurture group that really works.")
    press_button(page, "Continue")

    page.get_by_role("heading", name=CHECK_HEADING).wait_for()
    summary = page.locator("#school-summary").inner_text()
    assert "Brook Farm Free School" in summary and "Not in the register" in summary
    assert "Ledbury, HR8 2AB" in summary and "Secondary" in summary
    assert_accessible(page, "nomination check page with a described school")
    _fits_at_320(page)
    press_button(page, "Send nomination")

    page.get_by_role("heading", name="Nomination sent").wait_for()
    assert page.get_by_text("Thank you for nominating Brook Farm Free School").is_visible()
    nomination = Nomination.objects.get()
    assert nomination.urn is None
    assert nomination.unlisted_schools.get().postcode == "HR8 2AB"
