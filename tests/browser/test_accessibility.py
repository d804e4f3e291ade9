"""Every public and staff page passes axe-core's WCAG 2.2 A and AA rules, as it first appears and
with its errors shown, in real Chromium with JavaScript on; the journey also works without it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inpractice.intake.models import (
    CallForEvidence,
    CoveredSchool,
    Nomination,
    Submission,
    SubmissionStatus,
    new_reference,
)

from .conftest import (
    CALL_SLUG,
    JOURNEY,
    REFERENCE,
    assert_accessible,
    expect_error_summary,
    fill_about_you,
    fill_title,
    go,
    press_continue,
    sign_in,
    step_url,
)

CALL_URL = f"/calls/{CALL_SLUG}/"
CHECK_URL = f"/calls/{CALL_SLUG}/submit/check/"
NOMINATE_URL = f"/calls/{CALL_SLUG}/nominate/"


def visit(page, path: str, label: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)
    assert_accessible(page, label)


def test_public_pages(page, browser_call, browser_register):
    visit(page, "/", "home page")
    visit(page, "/accessibility/", "accessibility statement")
    visit(page, "/privacy/", "privacy notice")
    visit(page, "/schools/", "school finder, empty")
    visit(page, "/schools/?q=Oakfield", "school finder with results")
    assert page.get_by_role("cell", name="100002").is_visible()
    visit(page, "/schools/?q=Nowhere+at+all", "school finder, no results")
    visit(page, "/no-such-page/", "404 page", status=404)
    visit(page, "/calls/no-such-call/", "404 for an unknown call", status=404)


def test_the_call_page_in_each_window_state(page, browser_call):
    now = timezone.now()
    visit(page, CALL_URL, "call page, open")
    assert page.get_by_role("button", name="Start now").is_visible()

    CallForEvidence.objects.filter(pk=browser_call.pk).update(
        opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=30)
    )
    visit(page, CALL_URL, "call page, not open yet")
    assert page.get_by_text("This call for evidence opens at").is_visible()
    visit(page, step_url("about-you"), "a question page before the call opens", status=409)
    assert page.get_by_role("heading", name="This call is not open yet").is_visible()

    CallForEvidence.objects.filter(pk=browser_call.pk).update(
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1)
    )
    visit(page, CALL_URL, "call page, closed")
    assert page.get_by_text("This call for evidence closed at").is_visible()
    visit(page, step_url("about-you"), "a question page after the close", status=409)
    assert page.get_by_role("heading", name="This call has closed").is_visible()
    visit(page, NOMINATE_URL, "nominating after the close", status=409)


def test_every_page_of_the_journey_as_it_is_and_with_errors(page, browser_call, browser_register):
    visit(page, CALL_URL, "call page")
    go(page, "Start now")
    page.wait_for_url(f"**{step_url('about-you')}")

    for slug, fill in JOURNEY:
        assert page.url.endswith(step_url(slug)), (slug, page.url)
        assert_accessible(page, f"{slug} page")
        if slug != "q-advice":  # the only optional question
            press_continue(page)
            expect_error_summary(page)
            assert page.title().startswith("Error: "), page.title()
            assert_accessible(page, f"{slug} page with errors")
        if slug == "about-you":
            _about_you_other_revealed(page)
            fill_about_you(page)
            press_continue(page)
            # Part-way through, the call page offers to continue or start again.
            visit(page, CALL_URL, "call page with a draft")
            assert page.get_by_role("button", name="Continue your answers").is_visible()
            visit(page, CHECK_URL, "check answers, incomplete")
            assert not page.title().startswith("Error: ")
            go(page, "Accept and send")
            expect_error_summary(page)
            assert page.title().startswith("Error: "), page.title()
            assert_accessible(page, "check answers, incomplete, after trying to send")
            page.goto(step_url("schools"))
        elif slug == "schools":
            _schools_by_autocomplete(page)
            press_continue(page)
        elif slug == "title":
            fill_title(page)
            go(page, "Save and come back later")
            page.get_by_role("heading", name="Your answers have been saved").wait_for()
            assert_accessible(page, "saved page")
            page.goto(step_url("q-practice"))
        else:
            fill(page)
            press_continue(page)

    assert page.url.endswith(CHECK_URL), page.url
    assert_accessible(page, "check answers, complete")
    assert page.get_by_text("Oakfield Primary School (URN 100001)").is_visible()
    go(page, "Accept and send")
    page.get_by_role("heading", name="Example submitted").wait_for()
    assert_accessible(page, "confirmation page")
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.fullmatch(reference), reference
    submission = Submission.objects.get(reference=reference)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert list(submission.covered_schools.values_list("urn", flat=True)) == [100001]


def _about_you_other_revealed(page) -> None:
    page.get_by_label("Other", exact=True).check()
    page.get_by_label("Type of organisation", exact=True).wait_for(state="visible")
    assert_accessible(page, "about-you page with 'Other' revealed")


def _schools_by_autocomplete(page) -> None:
    """One school by name: first an ambiguous name (the server offers the matches), then the
    autocomplete's own list."""
    page.get_by_label("One school").check()
    school = page.get_by_role("combobox", name="School name or URN")
    school.fill("Oakfield")
    page.get_by_role("option", name="Oakfield Primary School, London (URN 100001)").wait_for()
    assert_accessible(page, "schools page with the autocomplete's list open")
    page.keyboard.press("Escape")
    press_continue(page)
    expect_error_summary(page)
    assert page.get_by_text("More than one school matches ‘Oakfield’").first.is_visible()
    assert page.get_by_label("Oakfield Secondary Academy, London (URN 100002)").is_visible()
    assert_accessible(page, "schools page when several schools match")

    for coverage, revealed in (
        ("A list of schools", "URNs of the schools"),
        ("All schools in a multi-academy trust", "Trust name or reference"),
        ("All schools in a local authority area", "Local authority"),
    ):
        page.get_by_label(coverage).check()
        page.get_by_label(revealed, exact=True).wait_for(state="visible")
        assert_accessible(page, f"schools page with ‘{coverage}’ revealed")

    page.get_by_label("One school").check()
    school.fill("Oakfield Prim")
    page.get_by_role("option", name="Oakfield Primary School, London (URN 100001)").click()
    assert school.input_value() == "Oakfield Primary School, London (URN 100001)"


def test_nominating_a_school(page, browser_call, browser_register):
    visit(page, CALL_URL, "call page")
    go(page, "Nominate a school", role="link")
    page.get_by_role("heading", name="Nominate a school").wait_for()
    assert_accessible(page, "nominate page")

    go(page, "Continue")
    expect_error_summary(page)
    assert_accessible(page, "nominate page with errors")

    page.get_by_role("combobox", name="School name or URN").fill("Oakfield")
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("Escape")
    page.get_by_label("Name of a member of staff at the school").fill("Sam Jones")
    page.get_by_label("Their work email address").fill("not-an-email")
    page.get_by_label("Why are you nominating this school?").fill("A brilliant nurture group.")
    go(page, "Continue")
    expect_error_summary(page)
    assert page.get_by_label("Oakfield Primary School, London (URN 100001)").is_visible()
    assert_accessible(page, "nominate page when several schools match")

    page.get_by_label("Oakfield Primary School, London (URN 100001)").check()
    page.get_by_label("Their work email address").fill("s.jones@oakfield.sch.uk")
    go(page, "Continue")
    page.get_by_role("heading", name="Check your nomination before sending it").wait_for()
    assert_accessible(page, "nomination check page")
    go(page, "Send nomination")
    page.get_by_role("heading", name="Nomination sent").wait_for()
    assert_accessible(page, "nominated page")
    nomination = Nomination.objects.get()
    assert (nomination.urn, nomination.contact_email) == (100001, "s.jones@oakfield.sch.uk")


def _submitted(call, title: str, urn: int) -> Submission:
    token_hash = Submission.new_token()[1]
    submission = Submission.objects.create(
        call=call,
        status=SubmissionStatus.SUBMITTED,
        reference=new_reference(),
        resume_token_hash=token_hash,
        title=title,
        organisation_name="Oakfield Primary School",
        organisation_type="school",
        coverage="one_school",
        submitted_at=timezone.now(),
    )
    CoveredSchool.objects.create(submission=submission, urn=urn)
    return submission


def test_staff_pages(page, browser_call, browser_register, staff_user):
    oakfield = browser_register["schools"][0]
    Nomination.objects.create(
        call=browser_call, urn=oakfield.urn, school=oakfield, contact_name="Sam Jones",
        contact_email="s.jones@oakfield.sch.uk", reason="A brilliant nurture group.",
    )  # fmt: skip
    _submitted(browser_call, "A calm start to every day", oakfield.urn)

    response = page.goto("/staff/")
    assert "/accounts/sign-in/" in page.url and response.status == 200
    assert_accessible(page, "staff sign-in")
    go(page, "Sign in")
    expect_error_summary(page)
    assert_accessible(page, "staff sign-in with empty fields")
    page.get_by_label("Email address").fill(staff_user)
    page.get_by_label("Password").fill("not the password at all")
    go(page, "Sign in")
    expect_error_summary(page)
    assert page.get_by_text("Enter a correct email address and password").first.is_visible()
    assert_accessible(page, "staff sign-in with a wrong password")

    sign_in(page)
    assert_accessible(page, "staff dashboard")

    go(page, f"Change the window of {browser_call.title}", role="link")
    page.get_by_role("heading", name="When is the call open?").wait_for()
    assert_accessible(page, "change the window")
    _set_window(page, "opens_at", "1", "5", "2025", "09:00")
    _set_window(page, "closes_at", "1", "4", "2025", "09:00")
    go(page, "Save")
    expect_error_summary(page)
    assert page.get_by_text("The closing date and time must be after").first.is_visible()
    assert_accessible(page, "change the window: closes before it opens")
    _set_window(page, "opens_at", "30", "3", "2025", "01:30")
    _set_window(page, "closes_at", "1", "6", "2025", "00:00")
    go(page, "Save")
    expect_error_summary(page)
    assert page.get_by_text("because the clocks go forward").first.is_visible()
    assert_accessible(page, "change the window: a time the clocks skip")
    _set_window(page, "opens_at", "", "", "", "")
    go(page, "Save")
    expect_error_summary(page)
    assert_accessible(page, "change the window: no opening date")
    now = timezone.localtime()
    _set_window(page, "opens_at", str(now.day), str(now.month), str(now.year - 1), "09:00")
    _set_window(page, "closes_at", "1", "1", str(now.year + 1), "00:00")
    go(page, "Save")
    page.wait_for_url(f"**/staff/calls/{browser_call.slug}/")
    assert page.get_by_role("alert").filter(has_text="Call details saved").is_visible()
    assert_accessible(page, "the call's page with a success message")
    page.goto("/staff/")

    go(page, f"Nominations for {browser_call.title}", role="link")
    page.get_by_role("heading", name="Nominated schools").wait_for()
    assert_accessible(page, "nominations to invite")
    go(page, "Oakfield Primary School", role="link")
    page.get_by_role("heading", name="Oakfield Primary School").wait_for()
    assert_accessible(page, "a nomination with the invitation to send")
    go(page, "Send invitation to Oakfield Primary School")
    page.get_by_role("alert").filter(
        has_text="Invitation sent to Oakfield Primary School"
    ).wait_for()
    assert_accessible(page, "a nomination after inviting the school")
    go(page, "Back to nominations", role="link")
    go(page, "Show all", role="link")
    page.wait_for_url("**show=all")
    assert_accessible(page, "all nominations")

    page.goto("/staff/")
    go(page, f"Submissions to {browser_call.title}", role="link")
    page.get_by_role("heading", name="Submissions").wait_for()
    assert_accessible(page, "submissions")
    assert page.get_by_role("cell", name="A calm start to every day").is_visible()


def _set_window(page, name: str, day: str, month: str, year: str, clock: str) -> None:
    for part, value in enumerate((day, month, year, clock)):
        page.locator(f"#id_{name}_{part}").fill(value)


def test_the_journey_works_without_javascript(page_without_js, browser_call, browser_register):
    page = page_without_js
    page.goto(CALL_URL)
    go(page, "Start now")
    for slug, fill in JOURNEY:
        page.wait_for_url(f"**{step_url(slug)}")
        if slug == "schools":
            # Without the autocomplete, an ambiguous name is answered with the matching schools.
            page.get_by_label("One school").check()
            page.get_by_label("School name or URN").fill("Oakfield")
            press_continue(page)
            assert page.locator(".govuk-error-summary").is_visible()
            page.get_by_label("Oakfield Primary School, London (URN 100001)").check()
        else:
            fill(page)
        press_continue(page)
    page.wait_for_url(f"**{CHECK_URL}")
    assert page.get_by_text("Oakfield Primary School (URN 100001)").is_visible()
    go(page, "Accept and send")
    page.get_by_role("heading", name="Example submitted").wait_for()
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.fullmatch(reference), reference
    submission = Submission.objects.get(reference=reference)
    assert list(submission.covered_schools.values_list("urn", flat=True)) == [100001]


def test_the_checks_themselves_catch_a_broken_page(page, browser_call):
    """So that a green run means something: axe, console errors and missing files all fail."""
    page.goto("/")
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=bad>')"
    )
    with pytest.raises(pytest.fail.Exception, match=r"label: Form elements must have labels"):
        assert_accessible(page, "home with an unlabelled field")

    with page.expect_response("**/static/inpractice/missing.css"):
        page.evaluate("() => fetch('/static/inpractice/missing.css').catch(() => null)")
    page.evaluate("() => console.error('something broke')")
    with pytest.raises(pytest.fail.Exception) as failed:
        page.problems.check()
    assert "404 http" in str(failed.value) and "missing.css" in str(failed.value)
    assert "console error: something broke" in str(failed.value)
