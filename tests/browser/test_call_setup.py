"""A programme admin creates a call with a custom question, opens it and closes it, by keyboard
alone; every page passes axe (WCAG 2.2 AA) and reflows at 320 px."""

from __future__ import annotations

from inpractice.intake.models import CallForEvidence, WindowState

from .conftest import assert_accessible, expect_error_summary, sign_in
from .test_keyboard_journeys import choose_radio, press_button, tab_to, type_into
from .test_staff_submissions import _fits


def _follow(page, target) -> None:
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _starts(text: str):
    return lambda d: d["tag"] in ("a", "button") and d["text"].startswith(text)


def test_an_admin_creates_a_call_with_a_custom_question_and_opens_it(page, staff_user):
    sign_in(page)
    _follow(page, "Create a call")
    assert_accessible(page, "new call")
    type_into(page, "What is the call called?", "Inclusion in practice 2026")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    call = CallForEvidence.objects.get(slug="inclusion-in-practice-2026")
    assert page.url.endswith(f"/staff/calls/{call.slug}/"), page.url
    assert_accessible(page, "call overview")
    _fits(page)

    _follow(page, _starts("Change the introduction"))
    assert_accessible(page, "details")
    _fits(page)
    type_into(page, "Introduction", "Tell us about inclusive practice that works.")
    type_into(page, "Consent wording", "We may publish your example without your name.")
    type_into(page, "Privacy notice link", "https://www.example.org/privacy")
    type_into(page, "id_closes_at_2", str(call.closes_at.year + 1))
    press_button(page, "Save")
    # (a redirect keeps the #fragment the Change link had)
    assert page.url.split("#")[0].endswith(f"/staff/calls/{call.slug}/"), page.url

    _follow(page, _starts("Change the questions"))
    assert_accessible(page, "questions")
    _fits(page)
    _follow(page, "Add a custom question")
    press_button(page, "Add the question")  # nothing filled in: errors first
    expect_error_summary(page)
    assert_accessible(page, "question with errors")
    _fits(page)
    type_into(page, "Question", "What do families say about it?")
    type_into(page, "Short name", "family-views")
    tab_to(page, "Several paragraphs (a large text box)")
    page.keyboard.press("ArrowDown")  # a line of text
    type_into(page, "Longest answer, in characters", "500")
    tab_to(page, "Yes, it must be answered")
    page.keyboard.press("ArrowDown")  # optional
    press_button(page, "Add the question")
    assert page.url.endswith(f"/staff/calls/{call.slug}/questions/"), page.url
    assert page.get_by_text("What do families say about it? (optional)").first.is_visible()
    _follow(page, _starts("Move up ‘What do families say about it?’"))
    assert_accessible(page, "questions after adding one")
    _fits(page)

    _follow(page, "Back to setting up the call")
    _follow(page, "Open the call")
    assert_accessible(page, "open the call")
    _fits(page)
    press_button(page, "Continue")  # it opens tomorrow by default: the page asks when
    expect_error_summary(page)
    assert_accessible(page, "open the call without choosing when")
    at_opening = tab_to(page, lambda d: d["type"] == "radio" and d["name"] == "when")
    assert at_opening["label"].startswith("At its opening time"), at_opening
    page.keyboard.press("Space")
    press_button(page, "Continue")
    page.get_by_text("will open by itself").first.wait_for()
    call.refresh_from_db()
    assert not call.is_draft and call.state() == WindowState.NOT_OPEN

    _follow(page, "Open now or take back to a draft")
    assert_accessible(page, "a scheduled call")
    choose_radio(page, "when", "Open it now")
    press_button(page, "Continue")
    page.get_by_text("The call is open").first.wait_for()
    assert_accessible(page, "an open call")

    call.refresh_from_db()
    assert call.state() == WindowState.OPEN and not call.is_draft
    custom = call.question("family-views")
    assert custom["type"] == "short" and custom["required"] is False
    assert [q["key"] for q in call.questions][-2:] == ["family-views", "advice"]
    assert call.consent_wording.startswith("We may publish")
    assert list(call.changes.values_list("action", flat=True))[:2] == ["open", "schedule"]

    _follow(page, "Close the call")  # closing asks first
    assert_accessible(page, "close the call")
    _fits(page)
    press_button(page, "Yes, close the call now")
    page.get_by_text("The call is closed").first.wait_for()
    call.refresh_from_db()
    assert call.state() == WindowState.CLOSED


def test_the_other_call_pages_pass_axe_and_reflow(page, staff_user, browser_call):
    sign_in(page)
    slug = browser_call.slug
    for path in ("", "codebook/", "preview/", "questions/practice/", "close/", "open/"):
        page.goto(f"/staff/calls/{slug}/{path}")
        assert_accessible(page, path or "overview")
        _fits(page)
    page.goto(f"/staff/calls/{slug}/codebook/")
    tab_to(page, "The five principles (the default)")
    page.keyboard.press("ArrowDown")  # the only other call is this one: no copy offered
    assert page.get_by_label("Import a YAML or JSON file").is_checked()
    press_button(page, "Use this codebook")  # no file chosen
    expect_error_summary(page)
    assert_accessible(page, "codebook with an error")
