"""Making a call: validation, question versions, the UK-time window, permissions, the audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inpractice.accounts.roles import add_staff
from inpractice.intake.forms import QuestionForm
from inpractice.intake.models import CallForEvidence, QuestionVersion, Submission, WindowState
from inpractice.staff import calls
from inpractice.staff.models import CallChange

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
CLI = calls.Actor(None, "command line (test)")

CUSTOM = {
    "key": "family-views",
    "label": "What do families say about it?",
    "hint": "In their words if you can.",
    "type": "short",
    "max_length": 500,
    "required": False,
}


@pytest.fixture
def admin_client(client):
    add_staff("lead@example.org", "programme-admin", PASSWORD)
    assert client.login(username="lead@example.org", password=PASSWORD)
    return client


def complete(call: CallForEvidence) -> CallForEvidence:
    calls.update_call(
        call,
        CLI,
        introduction="Tell us what works.",
        consent_wording="We may publish your example.",
        privacy_notice_url="https://www.example.org/privacy",
        closes_at=timezone.now() + timedelta(days=30),
    )
    call.refresh_from_db()
    return call


def answer(call: CallForEvidence, key: str, text: str) -> Submission:
    s = Submission.objects.create(call=call, resume_token_hash=f"h-{key}-{text}"[:64])
    form = QuestionForm({"answer": text}, question=call.question(key))
    assert form.is_valid(), form.errors
    form.apply(s)
    s.save()
    return s


# --- validation ---------------------------------------------------------------------------------


def test_a_new_call_is_a_draft_with_the_standard_questions_and_five_principles():
    call = calls.create_call(CLI, title="Inclusion 2026")
    assert call.slug == "inclusion-2026" and call.is_draft
    assert [q["key"] for q in call.questions] == ["practice", "impact", "enablers", "advice"]
    assert call.codebook["codes"] and call.state() == WindowState.NOT_OPEN
    assert CallChange.objects.get(call=call).action == "create"


def test_question_problems_name_where_they_are_and_nothing_is_written():
    call = calls.create_call(CLI, title="Call")
    before = list(call.questions)
    bad = [
        CUSTOM,
        {**CUSTOM, "label": ""},
        {"key": "Bad Key", "label": "x", "max_length": 0, "type": "essay"},
    ]
    with pytest.raises(calls.CallError) as caught:
        calls.update_call(call, CLI, questions=bad)
    where = [w for w, _ in caught.value.problems]
    assert where == [
        "questions[1].label",
        "questions[2].key",
        "questions[2].type",
        "questions[2].max_length",
    ]
    call.refresh_from_db()
    assert call.questions == before
    assert CallChange.objects.filter(call=call, action="edit").count() == 0


def test_duplicate_keys_and_an_empty_list_are_refused():
    call = calls.create_call(CLI, title="Call")
    with pytest.raises(calls.CallError, match=r"questions\[1\].key: 'family-views' is used twice"):
        calls.update_call(call, CLI, questions=[CUSTOM, CUSTOM])
    with pytest.raises(calls.CallError, match="at least one question"):
        calls.update_call(call, CLI, questions=[])


def test_opening_needs_a_complete_call_and_closing_is_immediate():
    call = calls.create_call(CLI, title="Call")
    with pytest.raises(calls.CallError) as caught:
        calls.open_call(call, CLI)
    assert {w for w, _ in caught.value.problems} >= {
        "introduction",
        "consent wording",
        "privacy notice link",
    }
    call = complete(call)
    now = timezone.now()
    calls.open_call(call, CLI, now=now)
    call.refresh_from_db()
    assert not call.is_draft and call.state(now) == WindowState.OPEN and call.opens_at <= now
    with pytest.raises(calls.CallError, match="already open"):
        calls.open_call(call, CLI)
    later = now + timedelta(minutes=5)
    calls.close_call(call, CLI, now=later)
    call.refresh_from_db()
    assert call.closes_at == later and call.state(later) == WindowState.CLOSED
    assert list(call.changes.values_list("action", flat=True)) == [
        "close",
        "open",
        "edit",
        "create",
    ]


def test_a_call_can_be_scheduled_to_open_by_itself_and_taken_back_before_it_opens():
    call = complete(calls.create_call(CLI, title="Call"))
    now = timezone.now()
    assert call.opens_at > now  # tomorrow, by default
    calls.open_call(call, CLI, now=now, scheduled=True)
    call.refresh_from_db()
    assert not call.is_draft and calls.is_scheduled(call, now)
    assert call.state(now) == WindowState.NOT_OPEN
    assert call.state(call.opens_at) == WindowState.OPEN  # nobody needs to do anything then
    with pytest.raises(calls.CallError, match="already scheduled"):
        calls.open_call(call, CLI, now=now, scheduled=True)
    calls.unschedule_call(call, CLI, now=now)
    call.refresh_from_db()
    assert call.is_draft and call.state(call.opens_at) == WindowState.NOT_OPEN
    with pytest.raises(calls.CallError, match="only a call scheduled to open later"):
        calls.unschedule_call(call, CLI, now=now)
    with pytest.raises(calls.CallError, match="the opening time has passed"):
        calls.open_call(call, CLI, now=call.opens_at + timedelta(minutes=1), scheduled=True)
    assert list(call.changes.values_list("action", flat=True))[:2] == ["unschedule", "schedule"]


def test_scheduling_in_the_browser_asks_when_and_says_so(admin_client):
    call = complete(calls.create_call(CLI, title="Call"))
    url = reverse("staff:call_open", args=[call.slug])
    page = admin_client.get(url).content.decode()
    assert "At its opening time" in page and "checked" not in page
    response = admin_client.post(url, {"when": "sometime"})
    assert response.status_code == 400 and "Choose when the call should open" in response.text
    assert admin_client.post(url, {"when": "scheduled"}).status_code == 302
    overview = admin_client.get(reverse("staff:call", args=[call.slug])).content.decode()
    assert "Scheduled" in overview and "Open now or take back to a draft" in overview
    assert admin_client.post(url, {"when": "draft"}).status_code == 302
    call.refresh_from_db()
    assert call.is_draft


def test_a_draft_is_never_open_whatever_its_window(open_call):
    open_call.is_draft = True
    assert open_call.state() == WindowState.NOT_OPEN


# --- versions -----------------------------------------------------------------------------------


def test_an_unanswered_question_is_edited_in_place():
    call = calls.create_call(CLI, title="Call", questions=[CUSTOM])
    calls.update_call(call, CLI, questions=[{**CUSTOM, "label": "What do parents say?"}])
    call.refresh_from_db()
    assert call.question("family-views")["version"] == 1
    assert list(QuestionVersion.objects.filter(call=call).values_list("version", "label")) == [
        (1, "What do parents say?")
    ]


def test_an_answered_question_gets_a_new_version_and_answers_keep_theirs():
    call = calls.create_call(CLI, title="Call", questions=[CUSTOM])
    first = answer(call, "family-views", "They love it.")
    assert first.answer_versions == {"family-views": 1}
    calls.update_call(call, CLI, questions=[{**CUSTOM, "label": "What do parents and carers say?"}])
    call.refresh_from_db()
    assert call.question("family-views")["version"] == 2
    second = answer(call, "family-views", "Much calmer mornings.")
    assert second.answer_versions == {"family-views": 2}
    assert calls.version_label(call, "family-views", 1) == "What do families say about it?"
    assert calls.version_label(call, "family-views", 2) == "What do parents and carers say?"
    assert "now version 2" in call.changes.first().summary
    # Moving it is not a change of wording: no new version.
    calls.update_call(call, CLI, questions=[calls.STANDARD_QUESTIONS[0], call.questions[0]])
    call.refresh_from_db()
    assert call.question("family-views")["version"] == 2


def test_a_removed_answered_question_keeps_its_wording():
    call = calls.create_call(CLI, title="Call", questions=[calls.STANDARD_QUESTIONS[0], CUSTOM])
    answer(call, "family-views", "Good.")
    calls.update_call(call, CLI, questions=[calls.STANDARD_QUESTIONS[0]])
    assert calls.version_label(call, "family-views", 1) == CUSTOM["label"]


# --- the window in UK time ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("1 7 2026", datetime(2026, 6, 30, 23, 0, tzinfo=UTC)),  # BST: UTC+1
        ("1 12 2026", datetime(2026, 12, 1, 0, 0, tzinfo=UTC)),  # GMT
    ],
)
def test_the_window_is_entered_in_uk_time(admin_client, day, expected):
    call = calls.create_call(CLI, title="Call")
    d, m, y = day.split()
    response = admin_client.post(
        reverse("staff:call_details", args=[call.slug]),
        {
            "title": "Call",
            "introduction": "",
            "consent_wording": "",
            "privacy_notice_url": "",
            "opens_at_0": d,
            "opens_at_1": m,
            "opens_at_2": y,
            "opens_at_3": "00:00",
            "closes_at_0": "1",
            "closes_at_1": "1",
            "closes_at_2": "2027",
            "closes_at_3": "00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    call.refresh_from_db()
    assert call.opens_at == expected


def test_a_time_the_clocks_skip_is_refused_with_a_reason(admin_client):
    call = calls.create_call(CLI, title="Call")
    response = admin_client.post(
        reverse("staff:call_details", args=[call.slug]),
        {
            "title": "Call",
            "opens_at_0": "29",
            "opens_at_1": "3",
            "opens_at_2": "2026",
            "opens_at_3": "01:30",
            "closes_at_0": "1",
            "closes_at_1": "1",
            "closes_at_2": "2027",
            "closes_at_3": "00:00",
        },
    )
    assert response.status_code == 400
    assert "does not exist in the UK" in response.content.decode()


# --- pages and permissions ----------------------------------------------------------------------


def test_other_roles_cannot_manage_calls(client, open_call):
    add_staff("analyst@example.org", "analyst", PASSWORD)
    client.login(username="analyst@example.org", password=PASSWORD)
    assert client.get(reverse("staff:call_new")).status_code == 403
    assert client.post(reverse("staff:call_close", args=[open_call.slug])).status_code == 403
    open_call.refresh_from_db()
    assert open_call.state() == WindowState.OPEN


def test_an_admin_builds_and_opens_a_call_in_the_browser(admin_client):
    response = admin_client.post(reverse("staff:call_new"), {"title": "Inclusion 2026"})
    call = CallForEvidence.objects.get(slug="inclusion-2026")
    assert response["Location"] == reverse("staff:call", args=[call.slug])
    response = admin_client.post(
        reverse("staff:call_question_add", args=[call.slug]),
        {
            "label": CUSTOM["label"],
            "key": "family-views",
            "hint": "",
            "type": "short",
            "max_length": "500",
            "optional": "yes",
        },
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.question("family-views")["required"] is False
    admin_client.post(
        reverse("staff:call_question_move", args=[call.slug, "family-views"]),
        {"direction": "up"},
    )
    call.refresh_from_db()
    assert [q["key"] for q in call.questions][-2:] == ["family-views", "advice"]
    page = admin_client.get(reverse("staff:call_open", args=[call.slug])).content.decode()
    assert "Write the consent wording" in page
    complete(call)
    open_url = reverse("staff:call_open", args=[call.slug])
    # It opens tomorrow by default, so the page asks when: nothing is assumed.
    assert admin_client.post(open_url).status_code == 400
    assert admin_client.post(open_url, {"when": "now"}).status_code == 302
    call.refresh_from_db()
    assert call.is_open()
    confirm = admin_client.get(reverse("staff:call_close", args=[call.slug])).content.decode()
    assert "Yes, close the call now" in confirm
    admin_client.post(reverse("staff:call_close", args=[call.slug]))
    call.refresh_from_db()
    assert call.state() == WindowState.CLOSED
    assert call.changes.first().actor_name == "lead@example.org"
    for name in ("staff:call", "staff:call_preview", "staff:call_questions", "staff:call_codebook"):
        assert admin_client.get(reverse(name, args=[call.slug])).status_code == 200


def test_a_codebook_file_is_validated_with_its_message(admin_client):
    call = calls.create_call(CLI, title="Call")
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("mine.yaml", b"id: x\nname: X\ncodes:\n  - id: Bad Id\n    name: A\n")
    response = admin_client.post(
        reverse("staff:call_codebook", args=[call.slug]), {"source": "upload", "file": bad}
    )
    assert response.status_code == 400
    assert "mine.yaml, line 4: codes[0]: id" in response.content.decode()
    good = SimpleUploadedFile(
        "mine.json", b'{"id": "mine", "name": "Mine", "codes": [{"id": "a", "name": "A"}]}'
    )
    response = admin_client.post(
        reverse("staff:call_codebook", args=[call.slug]), {"source": "upload", "file": good}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.codebook["name"] == "Mine"


def test_the_submission_page_shows_the_version_an_answer_was_given_to(admin_client):
    call = calls.create_call(CLI, title="Call", questions=[calls.STANDARD_QUESTIONS[0], CUSTOM])
    old = answer(call, "family-views", "They love it.")
    calls.update_call(
        call,
        CLI,
        questions=[calls.STANDARD_QUESTIONS[0], {**CUSTOM, "label": "What do carers say?"}],
    )
    page = admin_client.get(reverse("staff:submission", args=[call.slug, old.pk])).content.decode()
    assert "What do families say about it? (answered version 1; the question is now version 2)" in (
        page.replace("&#x27;", "'")
    )
    calls.update_call(call, CLI, questions=[calls.STANDARD_QUESTIONS[0]])
    page = admin_client.get(reverse("staff:submission", args=[call.slug, old.pk])).content.decode()
    assert "(a question since removed from the call)" in page and "They love it." in page


def test_a_draft_is_not_public_and_an_open_call_shows_its_consent_wording(client):
    call = calls.create_call(CLI, title="Secret draft")
    assert client.get(reverse("intake:call", args=[call.slug])).status_code == 404
    assert "Secret draft" not in client.get(reverse("web:home")).content.decode()
    calls.open_call(complete(call), CLI)
    assert client.get(reverse("intake:call", args=[call.slug])).status_code == 200
    draft = Submission.objects.create(call=call, resume_token_hash="h-consent")
    session = client.session
    session[f"draft:{call.slug}"] = draft.pk
    session.save()
    page = client.get(reverse("intake:question", args=[call.slug, "consent"])).content.decode()
    assert "We may publish your example." in page
    assert 'href="https://www.example.org/privacy"' in page
    calls.update_call(call, CLI, questions=[*call.questions, CUSTOM])
    page = client.get(reverse("intake:question", args=[call.slug, "q-family-views"]))
    assert '<input class="govuk-input' in page.content.decode()  # a line of text
    assert "(optional)" in page.content.decode()
