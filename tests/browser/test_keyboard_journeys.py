"""A submission and a nomination from start to finish with the keyboard alone.

No clicks and no `fill`: only Tab, typing, Space, Enter and the arrow keys, as a person using a
keyboard or switch device would. `tab_to` gives up after a fixed number of presses, so a control
that cannot be reached, or a keyboard trap, fails the test.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from inpractice.intake.models import Nomination, Submission, SubmissionStatus

from .conftest import ANSWERS, CALL_SLUG, REFERENCE, expect_error_summary, step_url

MAX_TABS = 60

# What the focused element is, as a person would identify it.
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  let label = '';
  if (el.labels && el.labels.length) {
    label = norm(el.labels[0].innerText);
  } else if (el.getAttribute('aria-labelledby')) {
    label = norm(el.getAttribute('aria-labelledby').split(/\\s+/)
      .map((id) => (document.getElementById(id) || {}).innerText || '').join(' '));
  } else if (el.getAttribute('aria-label')) {
    label = norm(el.getAttribute('aria-label'));
  }
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
    type: el.getAttribute('type') || '', role: el.getAttribute('role') || '',
    label: label, text: norm(el.innerText), value: el.value === undefined ? '' : el.value,
    checked: !!el.checked,
  };
}"""

Target = str | Callable[[dict], bool]
NEXT_FRAMES = (
    "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
)


def _query_of(url: str) -> str | None:
    parsed = urlparse(url)
    if not parsed.path.endswith("search.json"):
        return None
    return parse_qs(parsed.query).get("q", [None])[0]


def focused(page) -> dict | None:
    return page.evaluate(DESCRIBE_FOCUS)


def _matches(desc: dict | None, target: Target) -> bool:
    if desc is None:
        return False
    if callable(target):
        return target(desc)
    return target in (desc["id"], desc["label"], desc["text"])


def tab_to(page, target: Target, max_presses: int = MAX_TABS) -> dict:
    """Press Tab until the focused element matches (its id, label or text, or a predicate)."""
    seen = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        desc = focused(page)
        if _matches(desc, target):
            return desc
        seen.append(desc and (desc["label"] or desc["text"] or desc["id"] or desc["tag"]))
    pytest.fail(
        f"{target!r} not reached after {max_presses} presses of Tab on {page.url}. "
        f"Focus went through: {seen}",
        pytrace=False,
    )


def type_into(page, target: Target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press_button(page, name: str) -> None:
    tab_to(page, lambda d: d["tag"] in ("button", "a") and d["text"] == name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_radio(page, name: str, label: str) -> None:
    """Tab into a radio group (one tab stop), then arrow to the option and select it."""
    desc = tab_to(page, lambda d: d["type"] == "radio" and d["name"] == name)
    for _ in range(12):
        if desc["label"] == label:
            page.keyboard.press("Space")
            assert focused(page)["checked"], f"Space did not select {label!r}"
            return
        page.keyboard.press("ArrowDown")
        desc = focused(page)
    pytest.fail(f"no radio {label!r} in the group {name!r}", pytrace=False)


def wait_for_focus(page, condition: str, what: str, timeout: int = 3000) -> None:
    """Wait until `condition` (JavaScript about `el`, the focused element) holds."""
    try:
        page.wait_for_function(
            f"() => {{ const el = document.activeElement; return !!el && ({condition}); }}",
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        pytest.fail(f"focus did not move to {what}; it is on {focused(page)}", pytrace=False)


def tick(page, label: str) -> None:
    tab_to(page, lambda d: d["type"] == "checkbox" and d["label"] == label)
    page.keyboard.press("Space")
    assert focused(page)["checked"], f"Space did not tick {label!r}"


def choose_from_autocomplete(page, label: str, typed: str, option: str) -> None:
    """Type part of a name, wait for the suggestion, then ArrowDown and Enter to choose it."""
    desc = tab_to(page, lambda d: d["label"] == label)
    assert desc["role"] == "combobox", f"{label!r} is not the accessible autocomplete: {desc}"
    # Type at a brisk human pace, then let the look-up for the whole text arrive and be shown.
    with page.expect_response(lambda r: _query_of(r.url) == typed) as answer:
        page.keyboard.type(typed, delay=25)
    answer.value.finished()
    page.get_by_role("option", name=option).wait_for()
    page.evaluate(NEXT_FRAMES)
    page.keyboard.press("ArrowDown")
    # The autocomplete re-renders asynchronously: give focus a moment to move.
    wait_for_focus(page, "el.getAttribute('role') === 'option'", "the first suggestion")
    assert focused(page)["text"] == option
    page.keyboard.press("Enter")
    wait_for_focus(page, "el.getAttribute('role') === 'combobox'", f"the field {label!r}")
    after = focused(page)
    assert after["label"] == label and after["value"] == option, after


def expect_page(page, slug: str) -> None:
    page.wait_for_url(f"**{step_url(slug)}")
    assert page.locator(".govuk-error-summary").count() == 0, (
        f"{slug}: " + page.locator(".govuk-error-summary").inner_text()
    )


def test_the_skip_link_moves_focus_to_the_main_content(page, browser_call):
    for path in ("/", f"/calls/{CALL_SLUG}/", step_url("about-you")):
        page.goto(path)
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Skip to main content", path
        assert page.get_by_role("link", name="Skip to main content").is_visible()
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "main-content", path


def test_a_whole_submission_by_keyboard(page, browser_call, browser_register):
    page.goto(f"/calls/{CALL_SLUG}/")
    press_button(page, "Start now")

    expect_page(page, "about-you")
    type_into(page, "Full name", ANSWERS["respondent_name"])
    type_into(page, "Email address", ANSWERS["respondent_email"])
    type_into(page, "Job title or role", ANSWERS["respondent_role"])
    type_into(page, "Name of your organisation", ANSWERS["organisation_name"])
    choose_radio(page, "organisation_type", "School")
    press_button(page, "Continue")

    expect_page(page, "schools")
    choose_radio(page, "coverage", "One school")
    assert page.get_by_role("combobox", name="School name or URN").is_visible(), (
        "Space on ‘One school’ should reveal the school field"
    )
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "School name or URN", "the revealed field comes next"
    page.keyboard.press("Shift+Tab")
    choose_from_autocomplete(
        page, "School name or URN", "Oakfield Prim", "Oakfield Primary School, London (URN 100001)"
    )
    press_button(page, "Continue")

    expect_page(page, "title")
    type_into(page, "Give your example a short title", ANSWERS["title"])
    press_button(page, "Continue")

    expect_page(page, "q-practice")
    type_into(page, "Describe the practice in your own words", ANSWERS["practice"])
    press_button(page, "Continue")

    expect_page(page, "needs")
    tick(page, "Social, emotional and mental health (SEMH)")
    tick(page, "Autistic spectrum disorder (ASD)")
    type_into(page, "Describe the needs precisely", ANSWERS["need_description"])
    press_button(page, "Continue")

    expect_page(page, "practice-types")
    tick(page, "Other")
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Describe the kind of practice", "the revealed field is next"
    page.keyboard.type(ANSWERS["practice_type_other"])
    press_button(page, "Continue")

    expect_page(page, "phases")
    tick(page, "Primary")
    press_button(page, "Continue")

    expect_page(page, "q-impact")
    type_into(page, "What difference has it made, and how do you know?", ANSWERS["impact"])
    press_button(page, "Continue")

    expect_page(page, "q-enablers")
    type_into(page, "What made it possible?", ANSWERS["enablers"])
    press_button(page, "Continue")

    expect_page(page, "q-advice")
    press_button(page, "Continue")

    expect_page(page, "consent")
    choose_radio(
        page, "consent_publication", "Yes, publish it without our name or our schools' names"
    )
    choose_radio(page, "consent_contact", "Yes")
    press_button(page, "Continue")

    page.wait_for_url(f"**/calls/{CALL_SLUG}/submit/check/")
    press_button(page, "Accept and send")

    page.get_by_role("heading", name="Example submitted").wait_for()
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.fullmatch(reference), reference
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.reference == reference
    assert list(submission.covered_schools.values_list("urn", flat=True)) == [100001]
    assert submission.covered_schools.get().school.name == "Oakfield Primary School"
    assert submission.need_codes == ["SEMH", "ASD"]
    assert submission.practice_type_other == ANSWERS["practice_type_other"]
    assert submission.consent_publication == "anonymised" and submission.consent_contact is True


def test_a_nomination_by_keyboard(page, browser_call, browser_register):
    page.goto(f"/calls/{CALL_SLUG}/")
    press_button(page, "Nominate a school")
    page.get_by_role("heading", name="Nominate a school").wait_for()

    # Sending it empty: the error summary takes the focus and its links lead to the fields.
    press_button(page, "Continue")
    expect_error_summary(page)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Enter the school's name or URN"
    page.keyboard.press("Enter")
    assert focused(page)["label"] == "School name or URN"

    page.keyboard.press("Shift+Tab")  # so that tab_to lands on the field again
    choose_from_autocomplete(
        page, "School name or URN", "Hillside", "Hillside Infant School, London (URN 100003)"
    )
    type_into(page, "Name of a member of staff at the school", "Sam Jones")
    type_into(page, "Their work email address", "s.jones@hillside.sch.uk")
    type_into(page, "Why are you nominating this school?", "A nurture group that really works.")
    type_into(page, "Your name (optional)", "Alex Patel")
    press_button(page, "Continue")
    page.get_by_role("heading", name="Check your nomination before sending it").wait_for()
    press_button(page, "Send nomination")

    page.get_by_role("heading", name="Nomination sent").wait_for()
    assert page.get_by_text("Thank you for nominating Hillside Infant School").is_visible()
    nomination = Nomination.objects.get()
    assert nomination.urn == 100003
    assert nomination.school.name == "Hillside Infant School"
    assert (nomination.contact_name, nomination.contact_email) == (
        "Sam Jones",
        "s.jones@hillside.sch.uk",
    )
    assert nomination.reason == "A nurture group that really works."
    assert (nomination.nominator_name, nomination.nominator_email) == ("Alex Patel", "")
