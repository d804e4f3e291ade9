"""Save and come back in real Chromium: the emailed link opens the task list, which passes axe,
reflows at 320 px and works by keyboard; an optional question is marked and does not block."""

from __future__ import annotations

import re

from django.core import mail

from .conftest import (
    CALL_SLUG,
    JOURNEY,
    assert_accessible,
    go,
    press_continue,
    step_url,
)
from .test_keyboard_journeys import press_button, tab_to, tick, type_into
from .test_staff_submissions import _fits

TASKS_URL = f"/calls/{CALL_SLUG}/submit/tasks/"


def _status(page, title: str) -> str:
    item = page.locator(".govuk-task-list__item").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    return item.locator(".govuk-task-list__status").inner_text().strip()


def test_the_resume_link_opens_a_task_list_that_works_by_keyboard(
    page, chromium, live_server, browser_call, browser_register
):
    page.goto(step_url("about-you"))
    for slug, fill in JOURNEY[:3]:  # about you, schools, title
        assert page.url.endswith(step_url(slug)), page.url
        fill(page)
        if slug != "title":
            press_continue(page)
    go(page, "Save and come back later")
    page.get_by_role("heading", name="Your answers have been saved").wait_for()
    link = re.search(r"http://[^/\s]+(/calls/\S+/resume/[^/\s]+/)", mail.outbox[-1].body)[1]

    # Another browser, as on another day: the link opens the task list.
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    other = context.new_page()
    other.problems = page.problems
    page.problems.watch(other)
    try:
        other.goto(link)
        other.wait_for_url(f"**{TASKS_URL}")
        other.get_by_role("heading", name="Your answers so far").wait_for()
        assert_accessible(other, "task list")
        _fits(other)
        assert _status(other, "Title") == "Completed"
        assert _status(other, "Needs") == "Not yet started"
        assert _status(other, "What advice would you give to another school?") == "Optional"
        assert other.get_by_text("You have completed 3 of 10 sections").is_visible()
        assert other.get_by_text("Cannot start yet").is_visible()

        tab_to(other, "Needs")
        with other.expect_navigation():
            other.keyboard.press("Enter")
        assert other.url.endswith(step_url("needs") + "?from=tasks")
        tick(other, "Autistic spectrum disorder (ASD)")
        type_into(other, "Describe the needs precisely", "Autistic pupils in Key Stage 2")
        press_button(other, "Save and return to your answers so far")
        other.wait_for_url(f"**{TASKS_URL}")
        assert _status(other, "Needs") == "Completed"

        other.goto(step_url("q-advice") + "?from=tasks")
        label = other.locator("label[for=id_answer]").inner_text()
        assert label.endswith("(optional)"), label
        assert_accessible(other, "an optional question")
    finally:
        context.close()


def test_check_your_answers_names_twelve_schools_behind_show_all(
    page, browser_call, browser_register
):
    from inpractice.schools.models import School

    camden = browser_register["camden"]
    School.objects.bulk_create(
        School(urn=140000 + n, name=f"Trust School {n + 1}", town="Camden",
               local_authority=camden, region=camden.region, phase="primary")
        for n in range(12)
    )  # fmt: skip
    page.goto(step_url("about-you"))
    JOURNEY[0][1](page)
    press_continue(page)
    page.get_by_label("A list of schools").check()
    page.get_by_label("URNs of the schools").fill(" ".join(str(140000 + n) for n in range(12)))
    press_continue(page)
    page.goto(f"/calls/{CALL_SLUG}/submit/check/")
    assert page.get_by_text("Show all 12 schools").is_visible()
    assert not page.get_by_text("Trust School 12, Camden (URN 140011)").is_visible()
    assert_accessible(page, "check your answers with twelve schools folded")
    tab_to(page, "Show all 12 schools")
    page.keyboard.press("Enter")
    assert page.get_by_text("Trust School 12, Camden (URN 140011)").is_visible()
    assert_accessible(page, "check your answers with twelve schools shown")
    _fits(page)
