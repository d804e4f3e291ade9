"""The privacy check of report quotes in real Chromium, by keyboard alone, axe at 1280 and 320 px
(ADR 23): a lead approves a quote that names a child and is taken to its privacy check, redacts
the name with a suggested word; a second quote the approver cannot confirm, and a second lead
confirms it safe, after being told a reason is needed."""

from __future__ import annotations

from inpractice.accounts.roles import add_staff
from tests.reports import helpers as h

from .conftest import STAFF_PASSWORD, expect_error_summary
from .test_keyboard_journeys import focused, tab_to, type_into
from .test_report_editions import accessible_at_both_widths, press, sign_in_as

LEAD = "lead.analyst@example.gov.uk"
SECOND = "second.lead@example.gov.uk"
CHILD = "Every morning alfie thompson starts the day in our calm room."
DOG = "Our therapy dog Alfie visits every class on Fridays."


def test_a_lead_redacts_and_a_second_lead_confirms_by_keyboard(
    page, chromium, live_server, browser_call, browser_register
):
    s1 = h.submission(browser_call, 1, urns=[100003])
    run = h.run_for(browser_call, {s1: ["p1"]})
    h.quote(run, s1, "p1", CHILD, 0)
    dog = h.quote(run, s1, "p1", DOG, 1)
    add_staff(LEAD, "lead-analyst", STAFF_PASSWORD)
    add_staff(SECOND, "lead-analyst", STAFF_PASSWORD)
    quotes_url = f"/staff/workspace/{browser_call.slug}/quotes/"

    sign_in_as(page, LEAD, quotes_url)
    press(page, "Approve quote 1")
    assert "/privacy/" in page.url
    assert page.locator("h1").inner_text().startswith("Privacy check of quote 1")
    assert "alfie thompson" in page.locator("mark").first.inner_text()
    accessible_at_both_widths(page, "privacy check of a quote naming a child")

    # The first suggestion is chosen; the arrow keys move to "a pupil"; Replace puts it in.
    desc = tab_to(page, lambda d: d["tag"] == "input" and d["type"] == "radio")
    assert desc["checked"]
    for _ in range(6):
        if desc["label"] == "“a pupil”":
            break
        page.keyboard.press("ArrowDown")
        desc = focused(page)
    assert desc["label"] == "“a pupil”" and desc["checked"]
    press(page, "Replace")
    assert "Every morning a pupil starts the day in our calm room." in page.content()
    assert "The check found nothing" in page.content()

    # The approver of the dog quote may redact it but not confirm it safe.
    page.goto(quotes_url)
    press(page, "Approve quote 2")
    assert "You approved this quote" in page.content()
    assert page.locator("button[value=safe]").count() == 0

    # A second lead confirms it, after being told to say why.
    second = chromium.new_context(base_url=live_server.url, locale="en-GB").new_page()
    second.problems = page.problems
    page.problems.watch(second)
    sign_in_as(second, SECOND, f"{quotes_url}{dog.pk}/privacy/")
    press(second, "Confirm it is safe")
    expect_error_summary(second)
    accessible_at_both_widths(second, "privacy check with an error")
    type_into(second, "Or confirm it is safe to publish: say why", "Alfie is the school's dog.")
    press(second, "Confirm it is safe")
    assert "Confirmed safe by second.lead@example.gov.uk" in second.content()
    assert "Every finding is resolved" in second.content()

    second.goto(quotes_url)
    assert "Needs a privacy check" not in second.content()
    assert "approved quote needs a privacy check" not in second.content()
    accessible_at_both_widths(second, "quotes page")
