"""The submitter's say before publication (their emailed, signed, expiring link), the time-out the
programme sets, and the read-back before publishing: on the real database, through the pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from inpractice.library import services
from inpractice.library.models import CaseStudy, Status, SubmitterReview

from .factories import ACTOR, approve_as_submitter, make_case_study
from .test_workflow import staff_client

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/library/check-your-case-study/\S+/")


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


def approved_case_study(open_call, **values) -> CaseStudy:
    """In review and approved by a second moderator, but not yet seen by the submitter."""
    case_study = make_case_study(open_call, "draft", **values)
    replacements = services.suggested_replacements(case_study)
    if replacements:
        services.replace_findings(case_study, replacements, ACTOR)
    for action in ("submit_for_review", "approve"):
        case_study = services.transition(case_study, action, ACTOR)
    return case_study


def send(client, case_study) -> str:
    """A moderator sends it from the page; the link from the email."""
    before = len(mail.outbox)
    response = client.post(reverse("library:staff_ask_submitter", args=[case_study.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == before + 1
    return LINK.search(mail.outbox[-1].body).group(0)


def actions(case_study) -> list[str]:
    return list(case_study.versions.order_by("number").values_list("action", flat=True))


def test_the_submitter_approves_by_their_link_and_then_it_can_be_published(open_call, client):
    case_study = approved_case_study(open_call, title="Quiet lunch club")
    other = approved_case_study(open_call, title="Another school's sensory garden")
    moderator = staff_client("moderator")
    publish_url = reverse("library:staff_publish", args=[case_study.pk])

    refused = moderator.post(publish_url, {"version": case_study.version})
    assert refused.status_code == 400
    assert "Send the case study to the submitter" in refused.content.decode()

    link = send(moderator, case_study)
    email = mail.outbox[-1]
    assert email.to == [case_study.submission.respondent_email]
    # Nothing the submitter typed goes into an email: no title, no organisation.
    assert "Quiet lunch club" not in email.body + email.subject
    assert case_study.submission.organisation_name not in email.body
    assert case_study.submission.reference in email.subject
    assert "We will not publish it without your approval." in email.body

    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    # Only this case study's draft: every word that would be published, and nothing else.
    assert "Quiet lunch club" in text and case_study.practice.split(",")[0] in text
    assert "sensory garden" not in text
    assert "no-store" in page["Cache-Control"] and page["X-Robots-Tag"] == "noindex"
    client.get(link)  # opening it again is not a new step

    assert client.post(link, {"answer": "approve"}).status_code == 302
    thanks = client.get(link).content.decode()
    assert "you approved the case study" in thanks
    # Answered once: a second answer is not taken.
    again = client.post(link, {"answer": "changes", "comment": "Actually no."})
    assert SubmitterReview.objects.get(case_study=case_study).answer == "approved"
    assert again.status_code == 200

    case_study.refresh_from_db()
    assert moderator.post(publish_url, {"version": case_study.version}).status_code == 302
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    assert actions(case_study)[-4:] == [
        "sent to the submitter",
        "submitter opened link",
        "submitter approved",
        "publish",
    ]
    assert case_study.versions.get(action="submitter approved").saved_by_label == (
        "the submitter (emailed link)"
    )
    assert not SubmitterReview.objects.filter(case_study=other).exists()


def test_the_submitter_asks_for_changes_with_a_comment(open_call, client):
    case_study = approved_case_study(open_call)
    moderator = staff_client("moderator")
    link = send(moderator, case_study)

    missing = client.post(link, {"answer": "changes", "comment": "  "})
    assert missing.status_code == 400
    assert "Tell us what you would like changed" in missing.content.decode()

    comment = "Please say we are a primary school, not a secondary."
    assert client.post(link, {"answer": "changes", "comment": comment}).status_code == 302
    case_study.refresh_from_db()
    # Back to draft: the words must change, and be approved again by both.
    assert case_study.status == Status.DRAFT
    version = case_study.versions.get(action="submitter asked for changes")
    assert version.note == comment
    detail = moderator.get(reverse("library:staff_detail", args=[case_study.pk])).content.decode()
    assert "The submitter asked for changes" in detail and comment in detail
    assert "The submitter asked for changes" in " ".join(services.publish_problems(case_study))

    # Edited and sent again: the old link now says there is a newer one.
    case_study = services.save_edits(
        case_study, {"setting": "A primary school."}, ACTOR, case_study.version
    )
    newer = send(moderator, case_study)
    old = client.get(link)
    assert old.status_code == 404 and "There is a newer link" in old.content.decode()
    assert client.get(newer).status_code == 200


def test_an_approval_is_for_the_words_approved(open_call):
    case_study = approved_case_study(open_call)
    approve_as_submitter(case_study)
    assert services.submitter_state(case_study).allows_publish
    case_study = services.save_edits(
        case_study, {"advice": "Start with one class."}, ACTOR, case_study.version
    )
    state = services.submitter_state(case_study)
    assert not state.allows_publish
    assert "send it to them again" in state.problem


def test_links_are_signed_expire_and_name_one_case_study(open_call, client):
    case_study = approved_case_study(open_call)
    link = send(staff_client("moderator"), case_study)
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = reverse("library:submitter_review", args=[token[:-2] + "xx"])
    assert client.get(tampered).status_code == 404
    # Signed for one request of one case study: pointing it at another case study fails.
    review = SubmitterReview.objects.get(case_study=case_study)
    from django.core import signing

    forged = signing.dumps({"c": case_study.pk + 1, "q": review.pk}, salt="not-the-salt")
    assert client.get(reverse("library:submitter_review", args=[forged])).status_code == 404
    # When the time to answer has passed, the link no longer works.
    SubmitterReview.objects.filter(pk=review.pk).update(
        expires_at=review.asked_at - timedelta(seconds=1)
    )
    expired = client.get(link)
    assert expired.status_code == 404 and "This link has expired" in expired.content.decode()
    assert client.post(link, {"answer": "approve"}).status_code == 404
    assert SubmitterReview.objects.get(pk=review.pk).answer == "waiting"


def test_the_submitters_page_is_rate_limited(open_call, client, settings):
    settings.RATELIMIT_SUBMITTER_REVIEW = "3/h"
    case_study = approved_case_study(open_call)
    link = send(staff_client("moderator"), case_study)
    statuses = [client.get(link).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Guessing tokens counts too.
    assert client.get(reverse("library:submitter_review", args=["guess"])).status_code == 429


def test_a_moderator_cannot_flood_the_submitter(open_call):
    case_study = approved_case_study(open_call)
    for _ in range(services.MAX_REQUESTS_PER_DAY):
        services.ask_submitter(case_study, ACTOR)
    with pytest.raises(services.CaseStudyError, match="Wait before sending another"):
        services.ask_submitter(case_study, ACTOR)


def test_only_words_with_the_check_resolved_are_sent(open_call):
    case_study = make_case_study(
        open_call, "draft", practice="Ask Mrs Patel on 01632 960 123 for details."
    )
    with pytest.raises(services.CaseStudyError, match="Resolve the personal data check"):
        services.ask_submitter(case_study, ACTOR)


@pytest.mark.parametrize("allowed", [False, True])
def test_the_time_out_the_programme_sets(open_call, settings, allowed):
    settings.LIBRARY_SUBMITTER_REVIEW_DAYS = 10
    settings.LIBRARY_PUBLISH_WITHOUT_SUBMITTER_ANSWER = allowed
    case_study = approved_case_study(open_call)
    review = services.ask_submitter(case_study, ACTOR)
    assert (review.expires_at - review.asked_at).days == 10
    assert not services.submitter_state(case_study).allows_publish  # still waiting
    SubmitterReview.objects.filter(pk=review.pk).update(
        asked_at=review.asked_at - timedelta(days=11),
        expires_at=review.expires_at - timedelta(days=11),
    )
    state = services.submitter_state(case_study)
    assert state.timed_out and state.allows_publish is allowed
    moderator = staff_client("moderator")
    detail = moderator.get(reverse("library:staff_detail", args=[case_study.pk])).content.decode()
    assert "Time to answer passed" in detail and "within 10 days" in detail
    if not allowed:
        with pytest.raises(services.CaseStudyError, match="does not allow publishing"):
            services.transition(case_study, "publish", ACTOR)
        return
    published = services.transition(case_study, "publish", ACTOR)
    assert published.status == Status.PUBLISHED
    # The history says it went out without the submitter's answer.
    note = published.versions.get(action="publish").note
    assert "No answer from the submitter within 10 days" in note


def test_publishing_reads_the_words_back_first(open_call):
    case_study = approved_case_study(open_call, title="Read-back title")
    approve_as_submitter(case_study)
    case_study.refresh_from_db()
    moderator = staff_client("moderator")
    url = reverse("library:staff_publish", args=[case_study.pk])
    page = moderator.get(url).content.decode()
    assert "Read it back before publishing" in page
    assert "Read-back title" in page and case_study.need.split(".")[0] in page
    assert "I have read it: publish" in page
    # A publish button on the case study's page only leads here.
    detail = reverse("library:staff_transition", args=[case_study.pk])
    assert moderator.post(detail, {"action": "publish"})["Location"] == url
    # Changed after it was read back: refused, so what goes out is what was read.
    stale = moderator.post(url, {"version": case_study.version - 1})
    assert stale.status_code == 400 and "changed after you read it" in stale.content.decode()
    assert CaseStudy.objects.get(pk=case_study.pk).status == Status.APPROVED
    assert moderator.post(url, {"version": case_study.version}).status_code == 302
    assert CaseStudy.objects.get(pk=case_study.pk).status == Status.PUBLISHED


def test_an_email_that_cannot_be_sent_is_recorded_and_not_counted_as_sent(open_call, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = "/dev/null/not-a-folder"  # any backend error will do
    case_study = approved_case_study(open_call)
    moderator = staff_client("moderator")
    response = moderator.post(reverse("library:staff_ask_submitter", args=[case_study.pk]))
    assert response.status_code == 302
    review = SubmitterReview.objects.get(case_study=case_study)
    assert review.answer == SubmitterReview.Answer.NOT_SENT
    assert actions(case_study)[-2:] == ["sent to the submitter", "email to the submitter failed"]
    state = services.submitter_state(case_study)
    assert state.review is None and not state.allows_publish
    page = moderator.get(reverse("library:staff_detail", args=[case_study.pk])).content.decode()
    assert "Email could not be sent" in page and "Send to the submitter to check" in page
