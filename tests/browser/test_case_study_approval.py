"""Four eyes and the submitter's say in real Chromium, by keyboard alone, axe on every page:
the drafting moderator replaces personal data with words of their choosing, sends the case study
to the submitter, cannot approve it themselves; a second moderator approves; the submitter
approves (or asks for changes) by their emailed link; the words are read back, then published."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail

from inpractice.accounts.roles import add_staff
from inpractice.library import services
from inpractice.library.models import CaseStudy, Status, SubmitterReview
from tests.library.factories import make_submission

from .conftest import STAFF_PASSWORD, assert_accessible, go
from .test_keyboard_journeys import choose_radio, focused, press_button, tab_to

AUTHOR = "author.moderator@example.gov.uk"
SECOND = "second.moderator@example.gov.uk"
LINK = re.compile(r"http://[^/\s]+(/library/check-your-case-study/[^/\s]+/)")
PRACTICE = (
    "Our SENCO Jane Doughty meets J.S. in Year 5 every morning to plan the day, and the whole "
    "class uses a visual timetable."
)


def sign_in_as(page, email: str, next_url: str) -> None:
    page.goto(f"/accounts/sign-in/?next={next_url}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    go(page, "Sign in")
    assert page.url.endswith(next_url), page.url


def other_browser(chromium, live_server, page):
    """A second person's browser (own cookies), its problems watched like the first's."""
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    other = context.new_page()
    other.problems = page.problems
    page.problems.watch(other)
    return context, other


def drafted_case_study(browser_call) -> CaseStudy:
    add_staff(AUTHOR, "moderator", STAFF_PASSWORD)
    add_staff(SECOND, "moderator", STAFF_PASSWORD)
    author = get_user_model().objects.get(username=AUTHOR)
    submission = make_submission(
        browser_call, "named", title="A planned start", answers={"practice": PRACTICE}
    )
    return services.draft_case_study(
        submission, services.Actor(user=author), {"summary": "A planned start to each day."}
    )


def replace_by_keyboard(page, finding_text: str, choice_label: str, own_words: str = "") -> None:
    """Tab to the finding's choices, arrow to one (typing own words if it is "Other words"), and
    press its Replace button."""
    desc = tab_to(
        page,
        lambda d: (
            d["type"] == "radio"
            and d["name"] == "choice"
            and d["checked"]
            and focused_card_has(page, finding_text)
        ),
    )
    for _ in range(8):
        if desc["label"] == choice_label:
            break
        page.keyboard.press("ArrowDown")
        desc = focused(page)
    assert desc["label"] == choice_label, desc
    page.keyboard.press("Space")
    if own_words:
        tab_to(page, lambda d: d["name"] == "other_words")
        page.keyboard.type(own_words)
    tab_to(page, lambda d: d["tag"] == "button" and d["text"].startswith("Replace"))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focused_card_has(page, text: str) -> bool:
    return page.evaluate(
        """(text) => {
            const card = document.activeElement.closest('.govuk-summary-card');
            return !!card && card.querySelector('h2').innerText.includes(text);
        }""",
        text,
    )


def test_two_moderators_and_the_submitter_by_keyboard(page, chromium, live_server, browser_call):
    case_study = drafted_case_study(browser_call)
    detail_url = f"/staff/case-studies/{case_study.pk}/"
    sign_in_as(page, AUTHOR, f"/staff/case-studies/{case_study.pk}/personal-data/")
    assert page.get_by_text("Jane Doughty").first.is_visible()
    assert not page.get_by_role("button", name=re.compile("Redact all")).count()
    assert_accessible(page, "personal data check with suggestions")

    # The name goes ("our SENCO" already says who); the initials become the moderator's words.
    replace_by_keyboard(page, "Jane Doughty", "Take it out (no words in its place)")
    assert page.get_by_text("Took out").is_visible()
    replace_by_keyboard(page, "J.S.", "Other words", own_words="a pupil in their class")
    assert_accessible(page, "personal data check after replacing")
    case_study.refresh_from_db()
    assert case_study.practice.startswith(
        "Our SENCO meets a pupil in their class in Year 5 every morning"
    )
    assert not services.check_personal_data(case_study).open

    page.goto(detail_url)
    press_button(page, "Send for review")
    press_button(page, "Send to the submitter to check")
    assert page.get_by_text("We emailed the submitter a link").is_visible()
    assert_accessible(page, "case study sent to the submitter")
    link = LINK.search(mail.outbox[-1].body)[1]
    # Four eyes: the author's approval is refused.
    press_button(page, "Approve")
    assert page.get_by_text("another moderator must approve").first.is_visible()
    assert_accessible(page, "approval refused to the author")

    # A second moderator approves.
    context, second = other_browser(chromium, live_server, page)
    try:
        sign_in_as(second, SECOND, detail_url)
        press_button(second, "Approve")
        assert second.get_by_text("The case study is now approved").is_visible()
        assert_accessible(second, "approved by the second moderator")
    finally:
        context.close()

    # The submitter approves by their link, in their own browser.
    context, submitter = other_browser(chromium, live_server, page)
    try:
        submitter.goto(link)
        heading = "Check your case study before we publish it"
        assert submitter.get_by_role("heading", name=heading).is_visible()
        assert submitter.get_by_text("Our SENCO meets a pupil in their class").is_visible()
        assert_accessible(submitter, "the submitter's check")
        choose_radio(submitter, "answer", "Yes, publish it as it is")
        press_button(submitter, "Send your answer")
        assert submitter.get_by_text("you approved the case study").is_visible()
        assert_accessible(submitter, "the submitter approved")
    finally:
        context.close()

    # The author reads it back and publishes.
    page.goto(detail_url)
    assert page.get_by_text("Approved by the submitter").is_visible()
    press_button(page, "Read back and publish")
    assert page.get_by_role("heading", name="Read it back before publishing").is_visible()
    assert page.locator("#read-back").get_by_text("Our SENCO meets a pupil").is_visible()
    assert_accessible(page, "read back before publishing")
    press_button(page, "I have read it: publish")
    assert page.get_by_text("The case study is now published").is_visible()
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    page.goto(f"/library/{case_study.slug}/")
    assert page.get_by_text("Our SENCO meets a pupil in their class in Year 5").is_visible()
    assert "removed]" not in page.content()
    actions = list(case_study.versions.order_by("number").values_list("action", flat=True))
    assert actions == [
        "drafted",
        "redacted",
        "redacted",
        "submit_for_review",
        "sent to the submitter",
        "approve",
        "submitter opened link",
        "submitter approved",
        "publish",
    ]


def test_the_submitter_asks_for_changes_by_keyboard(page, browser_call):
    case_study = drafted_case_study(browser_call)
    services.replace_findings(
        case_study, services.suggested_replacements(case_study), services.Actor(label="test")
    )
    review = services.ask_submitter(case_study, services.Actor(label="test"))
    page.goto(f"/library/check-your-case-study/{services.submitter_token(review)}/")
    choose_radio(page, "answer", "No, I would like something changed")
    # Without saying what: an error summary that passes axe.
    press_button(page, "Send your answer")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, "the submitter's answer with an error")
    tab_to(page, lambda d: d["name"] == "comment")
    page.keyboard.type("Please say it is every class in the school.")
    press_button(page, "Send your answer")
    assert page.get_by_text("we will make changes").is_visible()
    assert_accessible(page, "the submitter asked for changes")
    review.refresh_from_db()
    assert review.answer == SubmitterReview.Answer.CHANGES
    assert review.comment == "Please say it is every class in the school."
