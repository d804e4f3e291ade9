"""A school not in the register can be described, is shown back and flagged for staff, and never
counts as a register school until a programme admin matches it (issue 15, part 4)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from inpractice.accounts.roles import ROLES
from inpractice.intake.coverage import snapshot
from inpractice.intake.invitations import email_content, start_draft
from inpractice.intake.models import (
    CoveredSchool,
    Invitation,
    Nomination,
    Submission,
    UnlistedSchool,
)
from inpractice.intake.unlisted import ReviewProblem, match
from tests.intake.test_journey import complete_draft, post_page

pytestmark = pytest.mark.django_db

DESCRIBED = {
    "name": "Brook Farm Free School",
    "town": "Ledbury",
    "postcode": "hr8 2ab",
    "phase": "primary",
    "urn": "",
}


def url(call, change: bool = False) -> str:
    return reverse("intake:school_not_listed", args=[call.slug]) + ("?change=1" if change else "")


def described_draft(client, call) -> Submission:
    draft = complete_draft(client, call)
    response = client.post(url(call, change=True), {**DESCRIBED, "change": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == reverse("intake:check", args=[call.slug])
    return Submission.objects.get(pk=draft.pk)


def test_the_schools_page_offers_it(client, open_call, register):
    complete_draft(client, open_call)
    page = client.get(reverse("intake:question", args=[open_call.slug, "schools"]))
    assert "My school is not in the list" in page.content.decode()
    assert url(open_call) in page.content.decode()


def test_a_described_school_replaces_the_register_school_and_shows_on_check(
    client, open_call, register
):
    draft = described_draft(client, open_call)
    assert not draft.covered_schools.exists()  # never stored as a register school
    described = UnlistedSchool.objects.get(submission=draft)
    assert (described.name, described.postcode, described.urn) == (
        "Brook Farm Free School",
        "HR8 2AB",  # tidied to the usual form
        None,
    )
    body = client.get(reverse("intake:check", args=[open_call.slug])).content.decode()
    assert "Brook Farm Free School, Ledbury, HR8 2AB (Primary)" in body
    assert "Not in the school register: described by you" in body
    # Nothing else is missing: it can be sent, and then counts only as described.
    sent = client.post(reverse("intake:check", args=[open_call.slug]))
    assert sent.status_code == 302
    figures = snapshot(open_call)
    assert figures.submissions == 1 and figures.schools_total == 0
    assert figures.schools_not_in_register == 0 and figures.schools_described_not_in_register == 1
    assert "schools_described_not_in_register" not in figures.as_dict()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "NOT A CODE", "Enter a real postcode, like SW1A 1AA"),
        ("urn", "12ab", "A URN is 5 to 7 digits, like 123456"),
        ("name", "", "Enter the school&#x27;s name"),
        ("phase", "", "Select the school&#x27;s phase of education"),
    ],
)
def test_each_field_is_checked(client, open_call, register, field, value, message):
    complete_draft(client, open_call)
    response = client.post(url(open_call), {**DESCRIBED, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not UnlistedSchool.objects.exists()


def test_a_urn_that_is_in_the_register_is_offered_instead(client, open_call, register):
    complete_draft(client, open_call)
    response = client.post(url(open_call), {**DESCRIBED, "urn": "107001"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "URN 107001 is in the school register" in body
    assert "Choose Roundhay Park Primary" in body
    assert not UnlistedSchool.objects.exists()
    picked = client.post(url(open_call), {"pick": "107001"})
    assert picked.status_code == 302
    draft = Submission.objects.get()
    assert list(draft.covered_schools.values_list("urn", flat=True)) == [107001]


def test_choosing_a_register_school_again_drops_the_description(client, open_call, register):
    draft = described_draft(client, open_call)
    post_page(client, open_call, "schools", {"coverage": "one_school", "school": "100003"})
    assert not UnlistedSchool.objects.filter(submission=draft).exists()
    assert list(draft.covered_schools.values_list("urn", flat=True)) == [100003]


def _admin(role: str = "programme-admin"):
    user = get_user_model().objects.create_user(f"{role}@example.org", f"{role}@example.org")
    user.groups.add(Group.objects.get_or_create(name=ROLES[role])[0])
    return user


def test_staff_see_the_tag_and_match_it_to_the_register(client, open_call, register):
    draft = described_draft(client, open_call)
    client.post(reverse("intake:check", args=[open_call.slug]))
    described = UnlistedSchool.objects.get()
    admin = _admin()
    client.force_login(admin)
    page = client.get(reverse("staff:submission", args=[open_call.slug, draft.pk]))
    body = page.content.decode()
    assert "Brook Farm Free School" in body and "Not in the register" in body
    assert "Not checked yet" in body and "A school not in the register" in body
    dashboard = client.get(reverse("staff:dashboard")).content.decode()
    assert "Schools described, not in the register" in dashboard
    listing = client.get(reverse("staff:submissions", args=[open_call.slug])).content.decode()
    assert "A school not in the register" in listing
    review = reverse("intake:review_unlisted", args=[open_call.slug, described.pk])

    wrong = client.post(review, {"decision": "match", "urn": "999999"}, follow=True)
    assert "URN 999999 is not in the school register" in wrong.content.decode()
    assert not CoveredSchool.objects.exists()

    client.post(review, {"decision": "match", "urn": "100003"})
    described.refresh_from_db()
    assert described.matched_urn == 100003 and described.reviewed_by == admin
    # Matched: it now counts once as a register school, and no longer as described.
    figures = snapshot(open_call)
    assert figures.schools_total == 1 and figures.schools_described_not_in_register == 0
    assert CoveredSchool.objects.get().in_register is True

    client.post(review, {"decision": "confirm"})
    described.refresh_from_db()
    assert described.matched_urn is None and described.confirmed_unlisted
    assert snapshot(open_call).schools_total == 0
    assert snapshot(open_call).schools_described_not_in_register == 1


def test_only_programme_admins_may_review(client, open_call, register):
    draft = described_draft(client, open_call)
    described = UnlistedSchool.objects.get(submission=draft)
    review = reverse("intake:review_unlisted", args=[open_call.slug, described.pk])
    assert client.post(review, {"decision": "confirm"}).status_code == 302  # to sign in
    client.force_login(_admin("analyst"))
    assert client.post(review, {"decision": "confirm"}).status_code == 403
    described.refresh_from_db()
    assert described.reviewed_at is None


def test_match_refuses_what_is_not_a_urn(open_call, register, client):
    draft = described_draft(client, open_call)
    with pytest.raises(ReviewProblem, match="Enter the register URN"):
        match(UnlistedSchool.objects.get(submission=draft), "abc", None)


def test_the_schools_page_says_a_school_was_described(client, open_call, register):
    described_draft(client, open_call)
    page = client.get(reverse("intake:question", args=[open_call.slug, "schools"]))
    body = page.content.decode()
    assert "You described Brook Farm Free School, Ledbury as not in the list" in body
    assert "Change the school you described" in body
    again = client.get(url(open_call)).content.decode()
    assert 'value="Brook Farm Free School"' in again and 'value="HR8 2AB"' in again


# Nominating a school that is not in the register ---------------------------------------------

NOMINATION = {
    "contact_name": "Sam Lee",
    "contact_email": "s.lee@brookfarm.sch.uk",
    "reason": "Their nurture base keeps pupils in lessons.",
}


def test_a_nominator_describes_a_school_and_it_is_checked_then_stored(
    client, open_call, register, admin_client
):
    slug = open_call.slug
    form_url = reverse("intake:nominate", args=[slug])
    not_listed = reverse("intake:nominate_school_not_listed", args=[slug])
    assert not_listed in client.get(form_url).content.decode()
    assert client.post(not_listed, {**DESCRIBED, "postcode": "nope"}).status_code == 400
    back = client.post(not_listed, DESCRIBED)
    assert back.status_code == 302 and back.url == form_url
    page = client.get(form_url).content.decode()
    assert "Brook Farm Free School, Ledbury, HR8 2AB" in page and "Not in the register" in page
    assert 'name="school"' not in page  # the look-up is replaced by the description

    to_check = client.post(form_url, NOMINATION)
    assert to_check.status_code == 302
    check = client.get(to_check.url).content.decode()
    assert "Brook Farm Free School" in check and "Ledbury, HR8 2AB" in check
    assert "Not in the register" in check and "Primary" in check
    assert not UnlistedSchool.objects.exists()  # nothing stored before Send

    done = client.post(to_check.url)
    assert done.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.urn is None and nomination.school is None
    described = nomination.unlisted_schools.get()
    assert (described.name, described.postcode, described.submission) == (
        "Brook Farm Free School",
        "HR8 2AB",
        None,
    )
    thanks = client.get(done.url).content.decode()
    assert "<strong>Brook Farm Free School</strong>, Ledbury (not in the register)" in thanks

    staff = admin_client.get(reverse("staff:nomination", args=[slug, nomination.pk]))
    assert "Brook Farm Free School, Ledbury (not in register)" in staff.content.decode()
    listing = admin_client.get(reverse("staff:nominations", args=[slug]))
    assert "No URN" in listing.content.decode()


def test_the_invited_school_starts_a_draft_with_the_description(open_call, register):
    nomination = Nomination.objects.create(
        call=open_call, contact_name="Sam", contact_email="s@example.org", reason="Good"
    )
    UnlistedSchool.objects.create(
        nomination=nomination,
        name="Brook Farm Free School",
        town="Ledbury",
        postcode="HR8 2AB",
        phase="primary",
    )
    invitation = Invitation.objects.create(
        nomination=nomination, nonce=Invitation.new_nonce(), sent_at=timezone.now()
    )
    subject, body = email_content(invitation, "https://example.org/link")
    assert "Brook Farm Free School, Ledbury" in body and "URN None" not in body
    draft = start_draft(invitation)
    assert not draft.covered_schools.exists()
    assert draft.unlisted_schools.get().name == "Brook Farm Free School"
    assert nomination.unlisted_schools.count() == 1  # the nomination keeps its own


def test_a_nominated_urn_in_the_register_is_offered_and_picked(client, open_call, register):
    not_listed = reverse("intake:nominate_school_not_listed", args=[open_call.slug])
    refused = client.post(not_listed, {**DESCRIBED, "urn": "100003"})
    assert "Choose Hillside Infant School" in refused.content.decode()
    client.post(not_listed, {"pick": "100003"})
    page = client.get(reverse("intake:nominate", args=[open_call.slug])).content.decode()
    assert 'value="Hillside Infant School, London (URN 100003)"' in page
