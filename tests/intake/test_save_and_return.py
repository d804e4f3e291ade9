"""Save and come back: the emailed link opens a task list, and optional questions never block."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from inpractice.intake.models import CoveredSchool, Submission, SubmissionStatus

from .test_journey import ANSWERS, post_page

pytestmark = pytest.mark.django_db


def _resume_link() -> str:
    return re.search(r"http://testserver(/calls/\S+/resume/[^/\s]+/)", mail.outbox[-1].body)[1]


def _task(body: str, title: str) -> str:
    """The status text of one task on the task list."""
    item = re.search(
        rf'task-list__link"[^>]*>{re.escape(title)}</a>.*?task-list__status"[^>]*>(.*?)</div>',
        body,
        re.S,
    )
    assert item, f"no task {title!r}"
    return re.sub(r"<[^>]+>", "", item[1]).strip()


def test_the_emailed_link_opens_the_task_list_with_what_is_done_and_left(
    client, open_call, register
):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    post_page(client, open_call, "schools", ANSWERS["schools"])
    post_page(client, open_call, "title", {"title": "Saved for later", "action": "save"})
    other_browser = Client()
    response = other_browser.get(_resume_link())
    tasks_url = reverse("intake:tasks", args=[open_call.slug])
    assert response.status_code == 302 and response["Location"] == tasks_url

    body = other_browser.get(tasks_url).content.decode()
    assert "Your answers so far" in body and "Saved for later" in body
    assert _task(body, "About you and your organisation") == "Completed"
    assert _task(body, "Schools covered") == "Completed"
    assert _task(body, "Title") == "Completed"
    assert _task(body, "Needs") == "Not yet started"
    assert _task(body, "What advice would you give to another school?") == "Optional"
    assert "You have completed 3 of 10 sections" in body
    # Sending is offered only once everything required is answered; the next thing to do is.
    assert "Cannot start yet" in body and reverse("intake:check", args=["open-call"]) not in body
    first_open = reverse("intake:question", args=["open-call", "q-practice"]) + "?from=tasks"
    assert f'href="{first_open}"' in body


def test_a_section_opened_from_the_task_list_returns_to_it(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    url = reverse("intake:question", args=["open-call", "phases"]) + "?from=tasks"
    page = client.get(url).content.decode()
    assert "Save and return to your answers so far" in page
    assert f'href="{reverse("intake:tasks", args=["open-call"])}" class="govuk-back-link"' in page
    response = post_page(client, open_call, "phases", {"phases": ["primary"], "from": "tasks"})
    assert response["Location"] == reverse("intake:tasks", args=["open-call"])
    body = client.get(response["Location"]).content.decode()
    assert _task(body, "Phases") == "Completed"


def test_optional_questions_say_so_and_never_block_sending(client, open_call, register):
    for step, data in ANSWERS.items():
        if step != "q-advice":  # the optional question: never opened at all
            assert post_page(client, open_call, step, data).status_code == 302, step
    advice = client.get(reverse("intake:question", args=["open-call", "q-advice"]))
    assert "What advice would you give to another school? (optional)" in advice.content.decode()
    for required in ("q-practice", "q-impact"):
        page = client.get(reverse("intake:question", args=["open-call", required]))
        assert "(optional)" not in page.content.decode()

    tasks = client.get(reverse("intake:tasks", args=["open-call"])).content.decode()
    assert "You have answered every question you need to" in tasks
    assert _task(tasks, "Check your answers and send") == "Ready"
    check = client.get(reverse("intake:check", args=["open-call"])).content.decode()
    assert "Not answered (optional)" in check and "Some questions still need" not in check

    response = client.post(reverse("intake:check", args=["open-call"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_a_required_question_left_out_still_blocks_sending_and_says_where(
    client, open_call, register
):
    for step, data in ANSWERS.items():
        if step != "q-impact":
            post_page(client, open_call, step, data)
    check = client.get(reverse("intake:check", args=["open-call"])).content.decode()
    assert "Some questions still need an answer" in check
    response = client.post(reverse("intake:check", args=["open-call"]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "What difference has it made, and how do you know?: Not answered yet" in body
    assert "advice" not in body.split("govuk-error-summary__list")[1].split("</ul>")[0]


def test_a_section_that_needs_changing_is_marked_with_why(client, open_call, register):
    for step, data in ANSWERS.items():
        post_page(client, open_call, step, data)
    CoveredSchool.objects.all().delete()  # e.g. a school list lost in an import gone wrong
    body = client.get(reverse("intake:tasks", args=["open-call"])).content.decode()
    assert _task(body, "Schools covered") == "Needs changing"
    assert "Choose the schools again" in body and "Cannot start yet" in body


def test_the_task_list_needs_a_draft_and_ends_once_it_is_sent(client, open_call, register):
    url = reverse("intake:tasks", args=["open-call"])
    assert client.get(url)["Location"] == reverse("intake:call", args=["open-call"])
    for step, data in ANSWERS.items():
        post_page(client, open_call, step, data)
    client.post(reverse("intake:check", args=["open-call"]))
    assert client.get(url)["Location"] == reverse("intake:confirmation", args=["open-call"])


def test_the_start_page_and_the_saved_page_lead_to_the_task_list(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    start = client.get(reverse("intake:call", args=["open-call"])).content.decode()
    tasks = reverse("intake:tasks", args=["open-call"])
    assert f'href="{tasks}"' in start
    saved = post_page(client, open_call, "title", {"title": "Later", "action": "save"})
    assert f'href="{tasks}"' in saved.content.decode()


def test_once_the_call_has_closed_the_task_list_says_so(client, open_call, register):
    from datetime import timedelta

    from django.utils import timezone

    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    open_call.closes_at = timezone.now() - timedelta(minutes=1)
    open_call.opens_at = open_call.closes_at - timedelta(days=1)
    open_call.save()
    response = client.get(reverse("intake:tasks", args=["open-call"]))
    assert response.status_code == 409 and "closed" in response.content.decode()
