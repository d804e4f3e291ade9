"""Drafting, the personal data gate, the workflow, versions, roles and withdrawal of consent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from inpractice.accounts.roles import ROLES
from inpractice.library import services
from inpractice.library.models import CaseStudy, Status

from .factories import (
    ACTOR,
    PLANTED_EMAIL,
    approve_as_submitter,
    make_case_study,
    make_submission,
)

pytestmark = pytest.mark.django_db


def staff_client(role: str, name: str = "") -> Client:
    email = f"{name or role}@example.org"
    user = get_user_model().objects.create_user(username=email, email=email)
    user.groups.add(Group.objects.get_or_create(name=ROLES[role])[0])
    client = Client()
    client.force_login(user)
    return client


def test_no_consent_means_no_case_study(open_call):
    submission = make_submission(open_call, consent="no")
    with pytest.raises(services.CaseStudyError, match="did not consent"):
        services.draft_case_study(submission, ACTOR)
    response = staff_client("moderator").get(
        reverse("library:staff_new", args=[submission.reference])
    )
    assert response.status_code == 409


def test_anonymised_consent_hides_the_organisation_and_flags_its_name(open_call):
    case_study = services.draft_case_study(
        make_submission(
            open_call,
            consent="anonymised",
            answers={"practice": "At Oakfield Primary School every class uses visual timetables."},
        ),
        ACTOR,
    )
    assert case_study.attribution == "anonymised"
    assert case_study.organisation_display == ""
    assert "Oakfield" not in case_study.setting
    found = {(f.field, f.entity_type) for f in services.check_personal_data(case_study).open}
    assert ("practice", "IDENTIFYING_NAME") in found


def test_named_consent_shows_the_organisation(open_call):
    case_study = services.draft_case_study(make_submission(open_call, consent="named"), ACTOR)
    assert case_study.organisation_display == "Oakfield Primary School"
    assert not services.check_personal_data(case_study).open


def test_publishing_is_refused_until_every_finding_is_resolved(open_call):
    case_study = services.draft_case_study(
        make_submission(open_call, answers={"practice": f"Email {PLANTED_EMAIL} or Mrs Patel."}),
        ACTOR,
    )
    for action in ("submit_for_review", "approve"):
        case_study = services.transition(case_study, action, ACTOR)
    client = staff_client("moderator")
    url = reverse("library:staff_transition", args=[case_study.pk])
    # Publishing is done from the read-back page, which lists what stands in the way.
    assert client.post(url, {"action": "publish"})["Location"] == reverse(
        "library:staff_publish", args=[case_study.pk]
    )
    publish_url = reverse("library:staff_publish", args=[case_study.pk])
    response = client.post(publish_url, {"version": case_study.version})
    assert response.status_code == 400
    assert "not resolved" in response.content.decode()
    assert CaseStudy.objects.get(pk=case_study.pk).status == Status.APPROVED

    # Confirm the name safe by the page, replace the email with chosen words: then publishing
    # works (after the change sent it back to draft, it must be reviewed and approved again).
    check_url = reverse("library:staff_check", args=[case_study.pk])
    # The summary repeats the practice's first sentence, so each appears twice: every finding
    # in every field must be resolved.
    for finding in services.check_personal_data(case_study).open:
        safe = finding.entity_type == "PERSON"
        response = client.post(
            check_url,
            {
                "action": "safe" if safe else "replace",
                "choice": "s0",
                "field": finding.field,
                "entity_type": finding.entity_type,
                "text": finding.text,
            },
        )
        assert response.status_code == 302
    case_study.refresh_from_db()
    assert PLANTED_EMAIL not in case_study.practice
    assert "Email the school office or Mrs Patel." in case_study.practice
    assert case_study.status == Status.DRAFT
    assert client.post(url, {"action": "submit_for_review"}).status_code == 302
    # Whoever changed the words shaped them: a second moderator approves.
    refused = client.post(url, {"action": "approve"})
    assert (
        refused.status_code == 409 and "another moderator must approve" in refused.content.decode()
    )
    second = staff_client("moderator", name="second-moderator")
    assert second.post(url, {"action": "approve"}).status_code == 302
    # The submitter has not approved it yet.
    case_study.refresh_from_db()
    response = client.post(publish_url, {"version": case_study.version})
    assert response.status_code == 400 and "Send the case study to the submitter" in (
        response.content.decode()
    )
    approve_as_submitter(case_study)
    case_study.refresh_from_db()
    assert client.post(publish_url, {"version": case_study.version}).status_code == 302
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED and case_study.slug


def test_an_edit_after_a_check_is_checked_again_at_publish(open_call):
    case_study = make_case_study(open_call, status="approved")
    services.save_edits(
        case_study,
        {"advice": "Ring 0113 496 0000."},
        ACTOR,
        expected_version=case_study.version,
    )
    case_study.refresh_from_db()
    assert case_study.status == Status.DRAFT  # approval was for other words
    for action in ("submit_for_review", "approve"):
        case_study = services.transition(case_study, action, ACTOR)
    with pytest.raises(services.CaseStudyError, match="not resolved"):
        services.transition(case_study, "publish", ACTOR)


def test_every_change_is_a_version(open_call):
    case_study = make_case_study(open_call, status="published")
    actions = list(case_study.versions.order_by("number").values_list("action", flat=True))
    assert actions[0] == "drafted"
    assert actions[-3:] == ["submit_for_review", "approve", "publish"]
    last = case_study.versions.order_by("-number").first()
    assert last.snapshot["status"] == "published"
    assert last.snapshot["title"] == case_study.title
    assert last.saved_by_label == "test moderator"


def test_stale_edits_are_refused(open_call):
    case_study = make_case_study(open_call, status="draft")
    services.save_edits(case_study, {"title": "First"}, ACTOR, expected_version=case_study.version)
    with pytest.raises(services.CaseStudyError, match="Someone else saved"):
        services.save_edits(
            case_study, {"title": "Second"}, ACTOR, expected_version=case_study.version
        )


def test_a_published_case_study_cannot_be_edited_in_place(open_call):
    case_study = make_case_study(open_call)
    with pytest.raises(services.CaseStudyError, match="Unpublish it first"):
        services.save_edits(
            case_study, {"title": "New"}, ACTOR, expected_version=case_study.version
        )


def test_the_slug_is_permanent(open_call):
    case_study = make_case_study(open_call)
    slug = case_study.slug
    case_study = services.transition(case_study, "unpublish", ACTOR)
    case_study = services.save_edits(
        case_study, {"title": "A new title"}, ACTOR, expected_version=case_study.version
    )
    # New words: the submitter approves them again.
    approve_as_submitter(case_study)
    for action in ("submit_for_review", "approve", "publish"):
        case_study = services.transition(case_study, action, ACTOR)
    assert case_study.slug == slug and case_study.title == "A new title"


@pytest.mark.parametrize("role", ["programme-admin", "analyst", "lead-analyst"])
def test_only_moderators_change_case_studies(open_call, role):
    case_study = make_case_study(open_call, status="approved")
    client = staff_client(role)
    response = client.post(
        reverse("library:staff_transition", args=[case_study.pk]), {"action": "publish"}
    )
    assert response.status_code == 403
    assert CaseStudy.objects.get(pk=case_study.pk).status == Status.APPROVED
    response = client.post(
        reverse("library:staff_check", args=[case_study.pk]), {"action": "replace"}
    )
    assert response.status_code == 403
    view = client.get(reverse("library:staff_detail", args=[case_study.pk])).status_code
    assert view == (200 if role == "programme-admin" else 403)


def test_withdrawing_consent_by_the_emailed_link_unpublishes_at_once(open_call, client):
    case_study = make_case_study(open_call)
    public = reverse("library:case_study", args=[case_study.slug])
    assert client.get(public).status_code == 200
    token = services.withdrawal_token(case_study.submission)
    url = reverse("library:withdraw", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and case_study.submission.reference in page.content.decode()
    assert client.post(url).status_code == 200
    case_study.refresh_from_db()
    assert case_study.status == Status.WITHDRAWN
    assert case_study.submission.consent_publication == "no"
    assert client.get(public).status_code == 410
    assert case_study.title not in client.get(reverse("library:search")).content.decode()
    # And it can never be published again.
    with pytest.raises(services.CaseStudyError):
        services.transition(case_study, "publish", ACTOR)
    assert client.get(reverse("library:withdraw", args=[token + "x"])).status_code == 404


def test_the_receipt_email_carries_the_withdrawal_link(open_call, settings):
    from inpractice.intake.emails import send_receipt

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://inpractice.example.org"
    submission = make_submission(open_call)
    send_receipt(submission)
    body = mail.outbox[-1].body
    link = "https://inpractice.example.org" + reverse(
        "library:withdraw", args=[services.withdrawal_token(submission)]
    )
    assert link in body


def test_demo_publishes_case_studies_once(db):
    from inpractice.demo.library import publish_demo_case_studies
    from inpractice.demo.loader import load_demo

    load_demo()
    first = publish_demo_case_studies(count=5)
    assert first == 5
    assert publish_demo_case_studies(count=5) == 0
    published = CaseStudy.objects.filter(status=Status.PUBLISHED)
    assert published.count() == 5
    for case_study in published:
        assert case_study.submission.consent_publication in ("named", "anonymised")
        assert not services.check_personal_data(case_study).open
        if case_study.attribution == "anonymised":
            assert case_study.organisation_display == ""


def test_approved_quotes_from_the_workspace_are_offered_and_checked(open_call, client):
    from inpractice.coding.models import AnalysisRun, Quote
    from inpractice.workspace.models import QuoteReview

    submission = make_submission(open_call)
    run = AnalysisRun.objects.create(call=open_call, embedder="static", code_version="test")

    def quote(text: str, status: str) -> Quote:
        made = Quote.objects.create(
            run=run,
            code_id="p1",
            submission=submission,
            field="practice",
            start=0,
            end=len(text),
            text=text,
            score=0.9,
            rank=1,
        )
        QuoteReview.objects.create(quote=made, status=status)
        return made

    approved = quote("Every child knows what comes next; ask Mrs Patel.", "approved")
    quote("A rejected quote.", "rejected")
    offered = services.approved_quotes(submission)
    assert [q["text"] for q in offered] == [approved.text]

    moderator = staff_client("moderator")
    form = moderator.get(reverse("library:staff_new", args=[submission.reference]))
    assert (
        approved.text in form.content.decode() and "A rejected quote." not in form.content.decode()
    )
    values = services.draft_values(submission)
    values["quotes"] = [str(approved.pk)]
    data = {k: v for k, v in values.items() if v not in (None, [])}
    posted = moderator.post(reverse("library:staff_new", args=[submission.reference]), data)
    assert posted.status_code == 302
    case_study = CaseStudy.objects.get(submission=submission)
    assert case_study.quotes == [{"id": approved.pk, "text": approved.text}]
    found = services.check_personal_data(case_study).open
    assert any(f.field == "quote_0" and f.text == "Mrs Patel" for f in found)
    services.replace_findings(case_study, {f.key(): "the SENCO" for f in found}, ACTOR)
    case_study.refresh_from_db()
    assert case_study.quotes[0]["text"] == "Every child knows what comes next; ask the SENCO."


def test_nobody_approves_a_case_study_they_wrote(open_call):
    """Four eyes: a moderator who drafted, edited, redacted or confirmed a finding in a case
    study cannot approve it; another moderator can, and the history names who did."""

    def moderator(name: str):
        client = staff_client("moderator", name=name)
        user = get_user_model().objects.get(username=f"{name}@example.org")
        return client, services.Actor(user=user)

    author_client, author = moderator("author")
    case_study = services.draft_case_study(make_submission(open_call), author)
    case_study = services.transition(case_study, "submit_for_review", author)
    with pytest.raises(services.CaseStudyError, match="another moderator must approve"):
        services.transition(case_study, "approve", author)
    url = reverse("library:staff_transition", args=[case_study.pk])
    refused = author_client.post(url, {"action": "approve"})
    assert refused.status_code == 409
    assert CaseStudy.objects.get(pk=case_study.pk).status == Status.IN_REVIEW

    editor_client, editor = moderator("editor")
    case_study.refresh_from_db()
    case_study = services.save_edits(
        case_study, {"title": "Calm starts, edited"}, editor, expected_version=case_study.version
    )
    assert case_study.status == Status.DRAFT  # an edit sends it back for review
    case_study = services.transition(case_study, "submit_for_review", editor)
    assert editor_client.post(url, {"action": "approve"}).status_code == 409  # an author now
    reviewer_client, _ = moderator("reviewer")
    assert reviewer_client.post(url, {"action": "approve"}).status_code == 302
    case_study.refresh_from_db()
    assert case_study.status == Status.APPROVED
    assert case_study.versions.get(action="approve").saved_by.username == "reviewer@example.org"
