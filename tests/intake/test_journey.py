"""The submission journey through the real views and database, page by page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inpractice.intake.models import CoveredSchool, Submission, SubmissionStatus

pytestmark = pytest.mark.django_db

ANSWERS = {
    "about-you": {
        "respondent_name": "Priya Shah",
        "respondent_email": "p.shah@example.org",
        "respondent_role": "SENCO",
        "organisation_name": "Oakfield Primary School",
        "organisation_type": "school",
    },
    "schools": {"coverage": "one_school", "school": "100001"},
    "title": {"title": "A calm start to every day"},
    "q-practice": {"answer": "Every morning pupils with sensory needs start in a calm room."},
    "needs": {
        "need_codes": ["ASD", "SEMH"],
        "need_description": (
            "Autistic pupils in Key Stage 2 who find the noisy start of the day overwhelming"
        ),
    },
    "practice-types": {"practice_types": ["other"], "practice_type_other": "Calm start room"},
    "phases": {"phases": ["primary"]},
    "q-impact": {"answer": "Attendance rose from 88% to 95% over two terms."},
    "q-enablers": {"answer": "Governors funded a part-time learning mentor."},
    "q-advice": {"answer": ""},
    "consent": {"consent_publication": "anonymised", "consent_contact": "yes"},
}


def post_page(client, call, step, data, version=None, follow=False):
    url = reverse("intake:question", args=[call.slug, step])
    payload = dict(data)
    if version is None:
        draft = Submission.objects.filter(call=call).order_by("-pk").first()
        payload["version"] = draft.version if draft else ""
    else:
        payload["version"] = version
    return client.post(url, payload, follow=follow)


def complete_draft(client, call):
    for step, data in ANSWERS.items():
        response = post_page(client, call, step, data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    return Submission.objects.get(call=call)


def test_a_whole_submission_gets_a_reference_and_a_receipt(
    client, open_call, register, django_capture_on_commit_callbacks
):
    draft = complete_draft(client, open_call)
    check = client.get(reverse("intake:check", args=[open_call.slug]))
    assert check.status_code == 200
    assert "Oakfield Primary School (URN 100001)" in check.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:check", args=[open_call.slug]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.SUBMITTED
    assert re.fullmatch(r"IP-[A-Z2-9]{4}-[A-Z2-9]{4}", draft.reference)
    assert list(draft.covered_schools.values_list("urn", flat=True)) == [100001]
    done = client.get(response["Location"])
    assert draft.reference in done.content.decode()
    assert len(mail.outbox) == 1
    assert draft.reference in mail.outbox[0].body
    assert mail.outbox[0].to == ["p.shah@example.org"]
    assert draft.answers["advice"] == ""


def test_submitting_the_same_draft_twice_gives_one_submission(client, open_call, register):
    complete_draft(client, open_call)
    url = reverse("intake:check", args=[open_call.slug])
    first = client.post(url)
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    assert Submission.objects.filter(status=SubmissionStatus.SUBMITTED).count() == 1
    assert Submission.objects.count() == 1


def test_the_server_refuses_a_draft_after_the_close(client, open_call, register):
    draft = complete_draft(client, open_call)
    open_call.closes_at = timezone.now() - timedelta(seconds=1)
    open_call.save()
    response = client.post(reverse("intake:check", args=[open_call.slug]))
    assert response.status_code == 409
    assert "This call has closed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT and draft.reference is None
    # and no page can be saved either
    saved = post_page(client, open_call, "title", {"title": "Changed after the close"})
    assert saved.status_code == 409
    draft.refresh_from_db()
    assert draft.title == "A calm start to every day"


def test_before_opening_the_start_page_says_when_it_opens(client, open_call):
    open_call.opens_at = timezone.now() + timedelta(days=2)
    open_call.save()
    page = client.get(reverse("intake:call", args=[open_call.slug])).content.decode()
    assert "This call for evidence opens at" in page
    assert "Start now" not in page
    response = post_page(client, open_call, "about-you", ANSWERS["about-you"], version="")
    assert response.status_code == 409
    assert Submission.objects.count() == 0


def test_an_incomplete_draft_cannot_be_submitted(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    response = client.post(reverse("intake:check", args=[open_call.slug]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "Schools covered: Not answered yet" in body
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_errors_name_the_field_and_link_to_it(client, open_call, register):
    response = post_page(
        client, open_call, "about-you", {"respondent_email": "not-an-email"}, version=""
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_respondent_name">Enter your full name' in body
    assert "Enter an email address in the correct format" in body
    assert "govuk-form-group--error" in body
    assert Submission.objects.count() == 0


def test_a_coarse_need_label_alone_is_not_enough(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    response = post_page(
        client, open_call, "needs", {"need_codes": ["SEMH"], "need_description": "SEMH"}
    )
    assert response.status_code == 400
    assert "not only with a category" in response.content.decode()


def test_html_in_answers_is_stored_as_text_and_escaped(client, open_call, register):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    complete_draft(client, open_call)
    post_page(client, open_call, "title", {"title": payload, "change": "1"})
    assert Submission.objects.get().title == payload
    page = client.get(reverse("intake:check", args=[open_call.slug])).content.decode()
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    )


def test_lengths_are_limited_with_a_clear_message(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    response = post_page(client, open_call, "q-practice", {"answer": "x" * 6001})
    assert response.status_code == 400
    assert "6,000 characters or fewer" in response.content.decode()


def test_an_unknown_urn_is_flagged_not_dropped(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    response = post_page(
        client, open_call, "schools", {"coverage": "urn_list", "urns": "100001, 999123\n100003"}
    )
    assert response.status_code == 400
    assert "1 URN is not in the school register: 999123" in response.content.decode()
    assert CoveredSchool.objects.count() == 0
    ok = post_page(client, open_call, "schools", {"coverage": "urn_list", "urns": "100001, 100003"})
    assert ok.status_code == 302
    assert sorted(CoveredSchool.objects.values_list("urn", flat=True)) == [100001, 100003]


def test_an_ambiguous_school_name_offers_a_choice_without_javascript(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    response = post_page(
        client, open_call, "schools", {"coverage": "one_school", "school": "Oakfield"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'name="school_choice" type="radio" value="100001"' in body
    assert 'value="100002"' in body
    chosen = post_page(
        client,
        open_call,
        "schools",
        {"coverage": "one_school", "school": "Oakfield", "school_choice": "100002"},
    )
    assert chosen.status_code == 302
    assert list(CoveredSchool.objects.values_list("urn", flat=True)) == [100002]


def test_a_whole_trust_covers_its_open_schools(client, open_call, register):
    post_page(
        client, open_call, "about-you", {**ANSWERS["about-you"], "organisation_type": "trust"}
    )
    response = post_page(client, open_call, "schools", {"coverage": "trust", "trust": "TR01234"})
    assert response.status_code == 302
    assert sorted(CoveredSchool.objects.values_list("urn", flat=True)) == [100001, 100002]


def test_a_whole_local_authority_covers_only_its_open_schools(client, open_call, register):
    post_page(
        client,
        open_call,
        "about-you",
        {**ANSWERS["about-you"], "organisation_type": "local_authority"},
    )
    response = post_page(
        client, open_call, "schools", {"coverage": "local_authority", "local_authority": "202"}
    )
    assert response.status_code == 302
    assert sorted(CoveredSchool.objects.values_list("urn", flat=True)) == [100001, 100002, 100003]


def test_save_and_come_back_emails_a_link_that_reopens_the_draft(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    response = post_page(client, open_call, "title", {"title": "Saved for later", "action": "save"})
    assert response.status_code == 200
    assert "Your answers have been saved" in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://testserver(/calls/open-call/resume/[^/\s]+/)", mail.outbox[0].body
    ).group(1)

    from django.test import Client

    other_browser = Client()
    assert other_browser.get(reverse("intake:check", args=[open_call.slug])).status_code == 302
    resumed = other_browser.get(link, follow=True)
    assert "Saved for later" in resumed.content.decode()
    # the stored hash is not the token, and a second save invalidates the first link
    draft = Submission.objects.get()
    assert link.split("/")[-2] not in draft.resume_token_hash
    post_page(other_browser, open_call, "title", {"title": "Saved again", "action": "save"})
    assert Client().get(link).status_code == 404


def test_a_stale_page_does_not_overwrite_newer_answers(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    draft = Submission.objects.get()
    stale_version = draft.version
    post_page(client, open_call, "title", {"title": "First tab"}, version=stale_version)
    response = post_page(client, open_call, "title", {"title": "Second tab"}, version=stale_version)
    assert response.status_code == 409
    assert "Your answers were changed somewhere else" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "First tab"


def test_posting_without_a_csrf_token_is_refused(open_call, register):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("intake:question", args=[open_call.slug, "about-you"]), ANSWERS["about-you"]
    )
    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_new_drafts_are_rate_limited_per_client(client, open_call, register, settings):
    settings.RATELIMIT_SUBMIT = "2/h"
    from django.core.cache import cache

    cache.clear()
    from django.test import Client

    statuses = []
    for _ in range(3):
        browser = Client(REMOTE_ADDR="203.0.113.9")
        statuses.append(
            post_page(browser, open_call, "about-you", ANSWERS["about-you"], version="").status_code
        )
    assert statuses == [302, 302, 429]
    assert Submission.objects.count() == 2
    cache.clear()
