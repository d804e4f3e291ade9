"""A call from start to finish in real Chromium, keyboard only, every page axe-clean (issue 15).

A programme admin creates a call with a custom question and opens it; a trust officer covering
the trust's 12 schools saves, comes back by the emailed link to the task list, asks a colleague
to contribute, and sends; the colleague answers the custom question through their own link (and
is told clearly once the response has been sent); the admin finds the submission by the
reference, sees who contributed, invites a nominated school and closes the call.

Four people, four browser contexts (their own cookies). No clicks and no `fill`: Tab, typing,
Space, Enter and the arrow keys only (`page.goto` stands for opening an emailed link or typing
an address).
"""

from __future__ import annotations

import re
import urllib.request

from django.core import mail

from inpractice.intake.models import (
    AnswerVersion,
    CallForEvidence,
    Nomination,
    Submission,
    SubmissionStatus,
    WindowState,
)

from .conftest import ANSWERS, REFERENCE, STAFF_EMAIL, STAFF_PASSWORD, assert_accessible
from .test_call_setup import _follow, _starts
from .test_keyboard_journeys import (
    choose_from_autocomplete,
    choose_radio,
    press_button,
    tab_to,
    tick,
    type_into,
)
from .test_staff_submissions import _fits

TITLE = "Inclusion in practice 2026"
SLUG = "inclusion-in-practice-2026"
CUSTOM = "What do families say about it?"
COLLEAGUE = "sam.colleague@riverside.org.uk"
FAMILIES = "Parents say their children now want to come to school."


def _trust_of_twelve(register) -> None:
    from inpractice.schools.models import School, Trust

    camden = register["camden"]
    trust = Trust.objects.create(code="TR05555", name="Riverside Learning Trust")
    School.objects.bulk_create(
        School(urn=140100 + n, name=f"Riverside School {n + 1}", town="Camden", trust=trust,
               local_authority=camden, region=camden.region, phase="primary")
        for n in range(12)
    )  # fmt: skip


def _browser(chromium, live_server, page):
    """Another person's browser, watched for console errors like the first."""
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    other = context.new_page()
    other.problems = page.problems
    page.problems.watch(other)
    return context, other


def _sign_in_by_keyboard(page) -> None:
    page.goto("/accounts/sign-in/")
    type_into(page, "Email address", STAFF_EMAIL)
    type_into(page, "Password", STAFF_PASSWORD)
    press_button(page, "Sign in")
    assert page.url.endswith("/staff/"), page.url


def _link_in(message, kind: str) -> str:
    return re.search(rf"http://[^/\s]+(/calls/\S+/{kind}/[^/\s]+/)", message.body)[1]


def _create_and_open_a_call(page) -> CallForEvidence:
    _sign_in_by_keyboard(page)
    _follow(page, "Create a call")
    assert_accessible(page, "new call")
    type_into(page, "What is the call called?", TITLE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    call = CallForEvidence.objects.get(slug=SLUG)
    _follow(page, _starts("Change the introduction"))
    type_into(page, "Introduction", "Tell us about inclusive practice that works.")
    type_into(page, "Consent wording", "We may publish your example without your name.")
    type_into(page, "Privacy notice link", "https://www.example.org/privacy")
    type_into(page, "id_closes_at_2", str(call.closes_at.year + 1))
    press_button(page, "Save")

    _follow(page, _starts("Change the questions"))
    _follow(page, "Add a custom question")
    assert_accessible(page, "add a custom question")
    type_into(page, "Question", CUSTOM)
    type_into(page, "Short name", "family-views")
    tab_to(page, "Several paragraphs (a large text box)")
    page.keyboard.press("ArrowDown")  # a line of text
    type_into(page, "Longest answer, in characters", "500")
    choose_radio(page, "optional", "Yes, it must be answered")
    press_button(page, "Add the question")
    assert page.get_by_text(CUSTOM).first.is_visible()

    _follow(page, "Back to setting up the call")
    _follow(page, "Open the call")
    assert_accessible(page, "open the call")
    if page.get_by_role("button", name="Open the call now").count():
        press_button(page, "Open the call now")
    else:  # its opening time is still to come: open it now rather than then
        choose_radio(page, "when", "Now")
        press_button(page, "Continue")
    page.get_by_text("The call is open").first.wait_for()
    assert_accessible(page, "the call, open")
    call.refresh_from_db()
    assert call.state() == WindowState.OPEN
    assert call.question("family-views")["required"] is True
    return call


def _task(page, title: str) -> None:
    """From the task list, open one section by keyboard."""
    tab_to(page, lambda d: d["tag"] == "a" and d["text"] == title)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _save_to_tasks(page) -> None:
    press_button(page, "Save and return to your answers so far")
    page.get_by_role("heading", name="Your answers so far").wait_for()


def _start_as_a_trust(page, call) -> None:
    page.goto(f"/calls/{call.slug}/")
    press_button(page, "Start now")
    type_into(page, "Full name", ANSWERS["respondent_name"])
    type_into(page, "Email address", ANSWERS["respondent_email"])
    type_into(page, "Job title or role", "Director of inclusion")
    type_into(page, "Name of your organisation", "Riverside Learning Trust")
    choose_radio(page, "organisation_type", "Multi-academy trust")
    press_button(page, "Continue")

    page.wait_for_url(f"**/calls/{call.slug}/submit/schools/")
    choose_radio(page, "coverage", "All schools in a multi-academy trust")
    choose_from_autocomplete(
        page, "Trust name or reference", "Riverside", "Riverside Learning Trust (trust TR05555)"
    )
    assert_accessible(page, "schools: a whole trust")
    press_button(page, "Continue")

    page.wait_for_url(f"**/calls/{call.slug}/submit/title/")
    type_into(page, "Give your example a short title", ANSWERS["title"])
    press_button(page, "Save and come back later")
    page.get_by_role("heading", name="Your answers have been saved").wait_for()
    assert_accessible(page, "saved")


def _ask_a_colleague(page) -> None:
    _follow(page, "Ask colleagues to contribute")
    page.get_by_role("heading", name="Ask colleagues to contribute").wait_for()
    assert_accessible(page, "ask colleagues")
    _fits(page)
    type_into(page, "Your colleague's work email address", "not an address")
    press_button(page, "Send them a link")
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "ask colleagues, with an error")
    type_into(page, "Your colleague's work email address", COLLEAGUE)
    press_button(page, "Send them a link")
    page.get_by_text("We have emailed Contributor 1 a link to contribute").wait_for()
    assert page.get_by_text(COLLEAGUE).first.is_visible()
    assert_accessible(page, "ask colleagues, one asked")
    _fits(page)
    _follow(page, "Back to your answers so far")


def _colleague_answers(page, link: str) -> None:
    page.goto(link)
    page.get_by_role("heading", name="Help answer Riverside Learning Trust's response").wait_for()
    assert page.get_by_text("You are Contributor 1").is_visible()
    body = page.locator("main").inner_text()
    assert ANSWERS["respondent_name"] not in body and ANSWERS["respondent_email"] not in body
    assert_accessible(page, "a colleague's task list")
    _fits(page)
    _task(page, CUSTOM)
    assert_accessible(page, "a colleague's question")
    type_into(page, CUSTOM, FAMILIES)
    press_button(page, "Save and return to the response")
    page.get_by_text(f"Your answer to ‘{CUSTOM}’ is saved").wait_for()
    assert page.get_by_text("Last changed by you on").first.is_visible()
    assert_accessible(page, "a colleague's task list, after saving")


def _finish_and_send(page, call) -> str:
    page.reload()
    item = page.locator(".govuk-task-list__item").filter(has_text=CUSTOM)
    assert "Last changed by Contributor 1 on" in item.inner_text()
    assert_accessible(page, "task list, a colleague has answered")

    _task(page, "Describe the practice in your own words")
    type_into(page, "Describe the practice in your own words", ANSWERS["practice"])
    _save_to_tasks(page)
    _task(page, "Needs")
    tick(page, "Social, emotional and mental health (SEMH)")
    type_into(page, "Describe the needs precisely", ANSWERS["need_description"])
    _save_to_tasks(page)
    _task(page, "Kind of practice")
    tick(page, "Resourced provision")
    _save_to_tasks(page)
    _task(page, "Phases")
    tick(page, "Primary")
    _save_to_tasks(page)
    _task(page, "What difference has it made, and how do you know?")
    type_into(page, "What difference has it made, and how do you know?", ANSWERS["impact"])
    _save_to_tasks(page)
    _task(page, "What made it possible?")
    type_into(page, "What made it possible?", ANSWERS["enablers"])
    _save_to_tasks(page)
    _task(page, "Publication and contact")
    choose_radio(
        page, "consent_publication", "Yes, publish it without our name or our schools' names"
    )
    choose_radio(page, "consent_contact", "Yes")
    _save_to_tasks(page)

    assert page.get_by_text("You have answered every question you need to").is_visible()
    _task(page, "Check your answers and send")
    page.get_by_role("heading", name="Check your answers before sending your example").wait_for()
    assert page.get_by_text("Show all 12 schools").is_visible()
    assert page.get_by_text(FAMILIES).is_visible()
    assert_accessible(page, "check your answers")
    press_button(page, "Accept and send")
    page.get_by_role("heading", name="Example submitted").wait_for()
    assert_accessible(page, "sent")
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.fullmatch(reference), reference
    return reference


def _admin_finds_invites_and_closes(page, call, reference: str) -> None:
    page.goto(f"/staff/calls/{call.slug}/submissions/")
    tab_to(page, "Search")
    page.keyboard.type(reference.lower().replace("-", " "))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("1 submission matches the search and filters").is_visible()
    _follow(page, ANSWERS["title"])
    page.get_by_role("heading", name=ANSWERS["title"]).wait_for()
    for shown in (reference, "Shared response", "Contributor 1", COLLEAGUE, "Riverside School 12"):
        assert page.get_by_text(shown).first.is_visible(), shown
    # The history of the custom question, opened by keyboard.
    tab_to(page, lambda d: d["text"].startswith(CUSTOM) and "version" in d["text"])
    page.keyboard.press("Enter")
    assert page.locator("details[open]").filter(has_text="Version 1, Contributor 1").count() == 1
    assert_accessible(page, "the submission, shared")
    _fits(page)

    page.goto(f"/staff/calls/{call.slug}/nominations/")
    page.get_by_role("heading", name="Nominated schools").wait_for()
    press_button(page, "Hillside Infant School")
    press_button(page, "Send invitation to Hillside Infant School")
    page.get_by_role("alert").filter(
        has_text="Invitation sent to Hillside Infant School"
    ).wait_for()
    assert_accessible(page, "a nomination just invited")

    page.goto(f"/staff/calls/{call.slug}/")
    _follow(page, "Close the call")
    assert_accessible(page, "close the call")
    press_button(page, "Yes, close the call now")
    page.get_by_text("The call is closed").first.wait_for()
    assert_accessible(page, "the call, closed")


def test_a_call_end_to_end_with_a_shared_response_by_keyboard(
    page, chromium, live_server, browser_register, staff_user
):
    # The live server's first request loads the URL conf and everything it imports, which on a
    # busy machine takes longer than a page load may; do it before the browser's clock starts.
    urllib.request.urlopen(live_server.url + "/", timeout=120).read()  # noqa: S310 - our server
    _trust_of_twelve(browser_register)
    call = _create_and_open_a_call(page)
    school = browser_register["schools"][2]
    Nomination.objects.create(
        call=call,
        urn=school.urn,
        school=school,
        contact_name="Sam Lee",
        contact_email="s.lee@example.org",
        reason="Their nurture base keeps pupils in lessons.",
        share_reason=True,
    )

    contexts = []
    try:
        first_day, submitter = _browser(chromium, live_server, page)
        contexts.append(first_day)
        _start_as_a_trust(submitter, call)
        resume = _link_in(mail.outbox[-1], "resume")

        next_day, submitter = _browser(chromium, live_server, page)
        contexts.append(next_day)
        submitter.goto(resume)
        submitter.wait_for_url(f"**/calls/{call.slug}/submit/tasks/")
        submitter.get_by_role("heading", name="Your answers so far").wait_for()
        assert_accessible(submitter, "the task list, resumed")
        _ask_a_colleague(submitter)
        invited = mail.outbox[-1]
        assert invited.to == [COLLEAGUE] and invited.body.startswith("Hello,\n")
        assert ANSWERS["respondent_name"] not in invited.body

        colleague_context, colleague = _browser(chromium, live_server, page)
        contexts.append(colleague_context)
        _colleague_answers(colleague, _link_in(invited, "contribute"))

        reference = _finish_and_send(submitter, call)

        # Once sent, the colleague's page says so (not an unexplained error).
        colleague.reload()
        colleague.get_by_role("heading", name="This response has been sent").wait_for()
        assert_accessible(colleague, "a colleague, after sending")
    finally:
        for context in contexts:
            context.close()

    submission = Submission.objects.get(reference=reference)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.covered_schools.count() == 12
    assert submission.answers["family-views"] == FAMILIES
    families = AnswerVersion.objects.get(submission=submission, key="family-views")
    assert families.contributor_number == 1

    _admin_finds_invites_and_closes(page, call, reference)
    call.refresh_from_db()
    assert call.state() == WindowState.CLOSED
    assert Nomination.objects.get().invitations.count() == 1


def test_a_conflict_and_a_removal_are_explained_by_keyboard_and_pass_axe(
    page, chromium, live_server, browser_call, browser_register
):
    """Two people save the same answer: the second sees both texts, merges and saves; then the
    author removes the colleague, whose page says so."""
    from inpractice.intake.models import Contributor, hash_token
    from inpractice.intake.sharing import AUTHOR, contributor_token, save_answer

    urllib.request.urlopen(live_server.url + "/", timeout=120).read()  # noqa: S310 - see above
    token, token_hash = Submission.new_token()
    draft = Submission.objects.create(
        call=browser_call,
        resume_token_hash=token_hash,
        respondent_name=ANSWERS["respondent_name"],
        respondent_email=ANSWERS["respondent_email"],
        organisation_name="Northern Lights Academy Trust",
        organisation_type="trust",
        title=ANSWERS["title"],
    )
    contributor = Contributor.objects.create(
        submission=draft,
        number=1,
        email=COLLEAGUE,
        token_hash=hash_token("browser-secret"),
        invited_at=browser_call.opens_at,
    )
    token_for_link = contributor_token(contributor, "browser-secret")
    link = f"/calls/{browser_call.slug}/contribute/{token_for_link}/"
    question = next(q for q in browser_call.questions if q["key"] == "impact")

    context, colleague = _browser(chromium, live_server, page)
    try:
        colleague.goto(link)
        _task(colleague, question["label"])
        type_into(colleague, question["label"], "Exclusions fell by half.")
        # Meanwhile the author saves the same question.
        save_answer(draft, question, "Attendance rose to 95%.", 0, AUTHOR)
        press_button(colleague, "Save and return to the response")
        colleague.get_by_text(
            "The person who started the response saved an answer to this question while you "
            "were writing yours"
        ).wait_for()
        assert colleague.get_by_text("Attendance rose to 95%.").is_visible()
        assert_accessible(colleague, "a colleague's conflicting save")
        _fits(colleague)
        tab_to(colleague, "Change your answer and save again")
        colleague.keyboard.press("Enter")
        assert colleague.evaluate("() => document.activeElement.id") == "id_answer"
        colleague.keyboard.press("Control+A")
        colleague.keyboard.type("Attendance rose to 95%. Exclusions fell by half.")
        press_button(colleague, "Save and return to the response")
        colleague.get_by_text(f"Your answer to ‘{question['label']}’ is saved").wait_for()
        assert Submission.objects.get().answers["impact"] == (
            "Attendance rose to 95%. Exclusions fell by half."
        )

        page.goto(f"/calls/{browser_call.slug}/resume/{token}/")
        _follow(page, "See or change who can contribute")
        press_button(page, "Remove Contributor 1")
        page.get_by_text("Contributor 1 can no longer contribute").wait_for()
        assert_accessible(page, "ask colleagues, one removed")
        _fits(page)

        colleague.reload()
        colleague.get_by_role(
            "heading", name="You can no longer contribute to this response"
        ).wait_for()
        assert_accessible(colleague, "a removed colleague")
    finally:
        context.close()
