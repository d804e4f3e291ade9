"""Nominations become invitations: the email, the link that starts a submission with the school
filled in, tracking, reminders, undo, who may do it, and the limits (issue 15, part 3)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inpractice.accounts.roles import add_staff
from inpractice.intake.invitations import (
    INVITE_SALT,
    InvitationState,
    state_of,
    with_progress,
)
from inpractice.intake.models import CoveredSchool, Invitation, Nomination, Submission
from inpractice.privacy.models import AuditAction, AuditEvent
from tests.intake.test_journey import ANSWERS, post_page

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
SPAM = "Free prize at evil.example"


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://inpractice.example.org"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_client():
    add_staff("lead@example.org", "programme-admin", PASSWORD)
    client = Client(REMOTE_ADDR="198.51.100.4")
    assert client.login(username="lead@example.org", password=PASSWORD)
    return client


def nominate(call, school, *, share: bool, email="s.lee@example.org", **extra) -> Nomination:
    return Nomination.objects.create(
        call=call,
        urn=school.urn,
        school=school,
        contact_name=SPAM,  # typed by the nominator: must never reach a greeting
        contact_email=email,
        reason="Their nurture base keeps pupils with SEMH needs in lessons.",
        nominator_name="Nina Nominator",
        nominator_email="nina@example.org",
        share_reason=share,
        **extra,
    )


def invite(client, nomination):
    return client.post(reverse("staff:invite", args=[nomination.call.slug, nomination.pk]))


def link_in(message) -> str:
    return re.search(r"https://inpractice\.example\.org(/calls/\S+)", message.body).group(1)


# The email ------------------------------------------------------------------------------


def test_the_invitation_names_the_call_and_school_and_greets_nobody_by_typed_text(
    admin_client, open_call, register
):
    nomination = nominate(open_call, register["schools"][2], share=True)
    assert invite(admin_client, nomination).status_code == 302
    [message] = mail.outbox
    assert message.to == ["s.lee@example.org"]
    assert open_call.title in message.subject and open_call.title in message.body
    assert "Hillside Infant School" in message.body
    assert message.body.startswith("Hello,\n")
    assert SPAM not in message.subject + message.body
    assert "Nina" not in message.body and "nina@example.org" not in message.body
    assert "https://inpractice.example.org/calls/open-call/invitation/" in message.body


def test_the_reason_is_quoted_only_when_the_nominator_agreed(admin_client, open_call, register):
    shared = nominate(open_call, register["schools"][2], share=True)
    private = nominate(open_call, register["schools"][0], share=False, email="b@example.org")
    invite(admin_client, shared)
    invite(admin_client, private)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "keeps pupils with SEMH needs" in by_address["s.lee@example.org"]
    assert "keeps pupils with SEMH needs" not in by_address["b@example.org"]
    assert Invitation.objects.get(nomination=shared).shared_reason is True
    assert Invitation.objects.get(nomination=private).shared_reason is False


def test_the_nomination_form_records_consent_to_share_only_when_ticked(client, open_call, register):
    url = reverse("intake:nominate", args=[open_call.slug])
    form = {
        "school": "100003",
        "contact_name": "Sam Lee",
        "contact_email": "s.lee@example.org",
        "reason": "Great practice.",
    }
    check = reverse("intake:nominate_check", args=[open_call.slug])
    # Each is stored only when sent from the check page.
    for answers in (form, {**form, "share_reason": "on"}):
        assert client.post(url, answers).status_code == 302
        assert client.post(check).status_code == 302
    assert list(Nomination.objects.order_by("pk").values_list("share_reason", flat=True)) == [
        False,
        True,
    ]


def test_the_admin_sees_the_email_before_sending_and_the_nominator_is_shown_and_audited(
    admin_client, open_call, register
):
    nomination = nominate(open_call, register["schools"][2], share=False)
    url = reverse("staff:nomination", args=[open_call.slug, nomination.pk])
    page = admin_client.get(url).content.decode()
    assert "Nina Nominator" in page and "nina@example.org" in page
    assert "You are invited to share" in page and "Send invitation" in page
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.VIEW and url in event.what and event.call == open_call
    listing = admin_client.get(reverse("staff:nominations", args=[open_call.slug]))
    assert "Nina Nominator" in listing.content.decode()


# The link -------------------------------------------------------------------------------


def test_the_link_starts_a_submission_with_the_school_filled_in(admin_client, open_call, register):
    nomination = nominate(open_call, register["schools"][2], share=False)
    invite(admin_client, nomination)
    link = link_in(mail.outbox[0])
    school = Client()

    landing = school.get(link)
    assert landing.status_code == 200
    assert "Hillside Infant School" in landing.content.decode()
    assert Submission.objects.count() == 0  # opening alone starts nothing (mail scanners)
    invitation = Invitation.objects.get()
    assert invitation.opened_at is not None and invitation.started_at is None

    started = school.post(link)
    assert started.status_code == 302
    assert started["Location"] == reverse("intake:question", args=[open_call.slug, "about-you"])
    draft = Submission.objects.get()
    assert list(CoveredSchool.objects.filter(submission=draft).values_list("urn", flat=True)) == [
        100003
    ]
    page = school.get(reverse("intake:question", args=[open_call.slug, "schools"]))
    assert "Hillside Infant School, London (URN 100003)" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.submission == draft and invitation.started_at is not None


@pytest.mark.parametrize(
    ("mangle", "status", "words"),
    [
        (lambda t: t[:-3] + "abc", 404, "This link does not work"),
        (lambda t: "not-a-token", 404, "This link does not work"),
    ],
)
def test_a_tampered_link_says_so(admin_client, open_call, register, mangle, status, words):
    invite(admin_client, nominate(open_call, register["schools"][2], share=False))
    token = link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    response = Client().get(reverse("intake:invitation", args=[open_call.slug, mangle(token)]))
    assert response.status_code == status and words in response.content.decode()


def test_an_expired_link_says_so(admin_client, open_call, register, settings):
    invite(admin_client, nominate(open_call, register["schools"][2], share=False))
    invitation = Invitation.objects.get()
    old = signing.TimestampSigner(salt=INVITE_SALT)
    # A token signed 61 days ago, as the signer would have made it then.
    old.timestamp = lambda: signing.b62_encode(int(timezone.now().timestamp()) - 61 * 86400)
    token = old.sign_object({"i": invitation.pk, "n": invitation.nonce}, compress=False)
    response = Client().get(reverse("intake:invitation", args=[open_call.slug, token]))
    assert response.status_code == 410
    assert "This invitation link has expired" in response.content.decode()


# Tracking -------------------------------------------------------------------------------


def test_sent_opened_started_and_submitted_are_tracked(admin_client, open_call, register):
    nomination = nominate(open_call, register["schools"][2], share=False)
    invite(admin_client, nomination)

    def state():
        return state_of(with_progress(Invitation.objects.all()).get())

    assert state() == InvitationState.SENT
    link = link_in(mail.outbox[0])
    school = Client()
    school.get(link)
    assert state() == InvitationState.OPENED
    school.post(link)
    assert state() == InvitationState.STARTED
    for step, data in ANSWERS.items():
        if step == "schools":
            data = {"coverage": "one_school", "school": "100003"}
        assert post_page(school, open_call, step, data).status_code == 302, step
    sent = school.post(reverse("intake:check", args=[open_call.slug]))
    assert sent.status_code == 302
    assert state() == InvitationState.SUBMITTED
    page = admin_client.get(reverse("staff:nominations", args=[open_call.slug]) + "?show=invited")
    assert "Submitted" in page.content.decode()


# Reminders ------------------------------------------------------------------------------


def _age(invitation: Invitation, days: int, reminded_days: int | None = None) -> None:
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=now - timedelta(days=days),
        reminded_at=None if reminded_days is None else now - timedelta(days=reminded_days),
    )


def test_reminders_skip_the_submitted_and_the_recently_emailed(admin_client, open_call, register):
    schools = register["schools"]
    people = {
        "due": nominate(open_call, schools[0], share=False, email="due@example.org"),
        "fresh": nominate(open_call, schools[1], share=False, email="fresh@example.org"),
        "reminded": nominate(open_call, schools[2], share=False, email="reminded@example.org"),
        "sent": nominate(open_call, schools[4], share=False, email="sent@example.org"),
    }
    for nomination in people.values():
        assert invite(admin_client, nomination).status_code == 302
    invitations = {k: Invitation.objects.get(nomination=n) for k, n in people.items()}
    _age(invitations["due"], 10)
    _age(invitations["fresh"], 2)
    _age(invitations["reminded"], 20, reminded_days=3)
    _age(invitations["sent"], 20)
    # "sent" sent a submission from the contact's own address, without the link.
    _token, token_hash = Submission.new_token()
    Submission.objects.create(
        call=open_call,
        resume_token_hash=token_hash,
        respondent_email="SENT@example.org",
        status="submitted",
        reference="IP-AAAA-BBBB",
        submitted_at=timezone.now(),
    )
    mail.outbox.clear()

    call_command("remind_invitations", "--call", open_call.slug, "--days", "7")
    assert [m.to for m in mail.outbox] == [["due@example.org"]]
    [reminder] = mail.outbox
    assert reminder.subject.startswith("Reminder:") and reminder.body.startswith("Hello,\n")
    assert SPAM not in reminder.body and "closes at" in reminder.body
    invitations["due"].refresh_from_db()
    assert invitations["due"].reminders == 1 and invitations["due"].reminded_at is not None

    # Run again at once: the one just reminded is now recent, so nothing goes.
    mail.outbox.clear()
    call_command("remind_invitations", "--call", open_call.slug, "--days", "7")
    assert mail.outbox == []


def test_the_reminder_link_works(admin_client, open_call, register):
    nomination = nominate(open_call, register["schools"][2], share=False)
    invite(admin_client, nomination)
    _age(Invitation.objects.get(), 10)
    mail.outbox.clear()
    call_command("remind_invitations", "--call", open_call.slug)
    assert Client().get(link_in(mail.outbox[0])).status_code == 200


def test_reminders_need_an_open_call(admin_client, open_call, register):
    open_call.closes_at = timezone.now() - timedelta(minutes=1)
    open_call.opens_at = timezone.now() - timedelta(days=3)
    open_call.save()
    with pytest.raises(CommandError, match="not open"):
        call_command("remind_invitations", "--call", open_call.slug)


# Undo -----------------------------------------------------------------------------------


def test_an_unopened_invitation_can_be_withdrawn_and_its_link_stops_working(
    admin_client, open_call, register
):
    nomination = nominate(open_call, register["schools"][2], share=False)
    invite(admin_client, nomination)
    link = link_in(mail.outbox[0])
    url = reverse("staff:withdraw_invitation", args=[open_call.slug, nomination.pk])
    assert admin_client.post(url).status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.withdrawn_at is not None
    assert invitation.withdrawn_by.username == "lead@example.org"
    nomination.refresh_from_db()
    assert nomination.invited_at is None
    response = Client().get(link)
    assert response.status_code == 410
    assert "This invitation has been withdrawn" in response.content.decode()
    # Back on the list to invite; sending again makes a new invitation, the old one kept.
    to_invite = admin_client.get(reverse("staff:nominations", args=[open_call.slug]))
    assert "Hillside Infant School" in to_invite.content.decode()
    assert invite(admin_client, nomination).status_code == 302
    assert Invitation.objects.count() == 2
    detail = admin_client.get(reverse("staff:nomination", args=[open_call.slug, nomination.pk]))
    assert "Earlier invitations" in detail.content.decode()


def test_an_opened_invitation_cannot_be_withdrawn(admin_client, open_call, register):
    nomination = nominate(open_call, register["schools"][2], share=False)
    invite(admin_client, nomination)
    Client().get(link_in(mail.outbox[0]))
    url = reverse("staff:withdraw_invitation", args=[open_call.slug, nomination.pk])
    response = admin_client.post(url)
    assert response.status_code == 409
    assert "can no longer be withdrawn" in response.content.decode()
    assert Invitation.objects.get().withdrawn_at is None


def test_a_school_is_not_invited_twice(admin_client, open_call, register):
    nomination = nominate(open_call, register["schools"][2], share=False)
    assert invite(admin_client, nomination).status_code == 302
    assert invite(admin_client, nomination).status_code == 409
    assert len(mail.outbox) == 1


# Permissions and limits -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["analyst", "lead-analyst", "moderator"])
def test_only_programme_admins_invite_withdraw_or_see_a_nomination(role, open_call, register):
    nomination = nominate(open_call, register["schools"][2], share=True)
    add_staff(f"{role}@example.org", role, PASSWORD)
    client = Client()
    client.login(username=f"{role}@example.org", password=PASSWORD)
    args = [open_call.slug, nomination.pk]
    assert client.get(reverse("staff:nomination", args=args)).status_code == 403
    assert client.post(reverse("staff:invite", args=args)).status_code == 403
    assert client.post(reverse("staff:withdraw_invitation", args=args)).status_code == 403
    assert mail.outbox == [] and not Invitation.objects.exists()
    anonymous = Client().post(reverse("staff:invite", args=args))
    assert anonymous.status_code == 302 and not Invitation.objects.exists()


def test_invitations_are_limited_per_client_and_per_call(
    admin_client, open_call, register, settings
):
    settings.RATELIMIT_INVITE_PER_CLIENT = "2/h"
    settings.RATELIMIT_INVITE_PER_CALL = "100/h"
    schools = register["schools"]
    nominations = [
        nominate(open_call, s, share=False, email=f"c{i}@example.org")
        for i, s in enumerate(schools[:3])
    ]
    statuses = [invite(admin_client, n).status_code for n in nominations]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2 and Invitation.objects.count() == 2

    # Another admin at another address, same call: the per-call limit holds across clients.
    cache.clear()
    settings.RATELIMIT_INVITE_PER_CLIENT = "100/h"
    settings.RATELIMIT_INVITE_PER_CALL = "1/h"
    add_staff("second@example.org", "programme-admin", PASSWORD)
    other = Client(REMOTE_ADDR="192.0.2.9")
    other.login(username="second@example.org", password=PASSWORD)
    assert invite(other, nominations[2]).status_code == 302
    extra = nominate(open_call, schools[4], share=False, email="x@example.org")
    assert invite(other, extra).status_code == 429
    assert len(mail.outbox) == 3


def test_one_contact_is_not_invited_over_and_over_by_withdrawing(admin_client, open_call, register):
    nomination = nominate(open_call, register["schools"][2], share=False)
    withdraw = reverse("staff:withdraw_invitation", args=[open_call.slug, nomination.pk])
    statuses = []
    for _ in range(4):
        statuses.append(invite(admin_client, nomination).status_code)
        admin_client.post(withdraw)
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def test_no_invitation_is_recorded_when_the_email_cannot_go(
    admin_client, open_call, register, settings, tmp_path
):
    blocked = tmp_path / "mail"
    blocked.write_text("a file where the mail directory should be")
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(blocked)
    nomination = nominate(open_call, register["schools"][2], share=False)
    assert invite(admin_client, nomination).status_code == 503
    nomination.refresh_from_db()
    assert nomination.invited_at is None and not Invitation.objects.exists()


def test_after_the_close_the_link_shows_the_closed_page_and_starts_nothing(
    admin_client, open_call, register
):
    invite(admin_client, nominate(open_call, register["schools"][2], share=False))
    link = link_in(mail.outbox[0])
    open_call.closes_at = timezone.now() - timedelta(seconds=1)
    open_call.save()
    school = Client()
    assert school.get(link).status_code == 409
    assert school.post(link).status_code == 409
    assert not Submission.objects.exists()


def test_a_dry_run_of_reminders_sends_and_records_nothing(admin_client, open_call, register):
    invite(admin_client, nominate(open_call, register["schools"][2], share=False))
    _age(Invitation.objects.get(), 10)
    mail.outbox.clear()
    call_command("remind_invitations", "--call", open_call.slug, "--dry-run")
    assert mail.outbox == [] and Invitation.objects.get().reminders == 0


def test_reopening_the_link_in_the_same_browser_offers_to_continue(
    admin_client, open_call, register
):
    invite(admin_client, nominate(open_call, register["schools"][2], share=False))
    link = link_in(mail.outbox[0])
    school = Client()
    school.post(link)
    again = school.get(link).content.decode()
    assert "Continue your answers" in again and "Start a new example" in again
    assert "Continue your answers" not in Client().get(link).content.decode()


# From the nominations page: several at once, and reminders --------------------------------


def test_an_admin_invites_the_chosen_schools_at_once_within_the_limits(
    admin_client, open_call, register, settings
):
    settings.RATELIMIT_INVITE_PER_CLIENT = "2/h"
    schools = register["schools"]
    chosen = [
        nominate(open_call, s, share=False, email=f"c{i}@example.org")
        for i, s in enumerate(schools[:3])
    ]
    url = reverse("staff:invite_chosen", args=[open_call.slug])
    page = admin_client.get(reverse("staff:nominations", args=[open_call.slug])).content.decode()
    assert "Invite the chosen schools" in page and f'value="{chosen[0].pk}"' in page

    response = admin_client.post(url, {}, follow=True)
    assert "Choose at least one school to invite" in response.content.decode()
    assert mail.outbox == []

    response = admin_client.post(url, {"nomination": [n.pk for n in chosen]}, follow=True)
    text = response.content.decode()
    # Two go (the per-client limit is 2 an hour); the third is refused and named.
    assert sorted(m.to[0] for m in mail.outbox) == ["c0@example.org", "c1@example.org"]
    assert "Invitations sent to 2" in text and "Too many invitations" in text
    assert Invitation.objects.count() == 2
    assert all(m.body.startswith("Hello,\n") and SPAM not in m.body for m in mail.outbox)


def test_chosen_nominations_of_another_call_are_not_invited(admin_client, open_call, register):
    from inpractice.intake.models import CallForEvidence

    other = CallForEvidence.objects.create(
        slug="other-call",
        title="Other",
        opens_at=open_call.opens_at,
        closes_at=open_call.closes_at,
        questions=open_call.questions,
        codebook=open_call.codebook,
    )
    elsewhere = nominate(other, register["schools"][0], share=False)
    url = reverse("staff:invite_chosen", args=[open_call.slug])
    admin_client.post(url, {"nomination": [elsewhere.pk]})
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_the_nominations_page_sends_the_reminders_that_are_due(admin_client, open_call, register):
    schools = register["schools"]
    due = nominate(open_call, schools[0], share=False, email="due@example.org")
    fresh = nominate(open_call, schools[1], share=False, email="fresh@example.org")
    for nomination in (due, fresh):
        invite(admin_client, nomination)
    _age(Invitation.objects.get(nomination=due), 10)
    mail.outbox.clear()
    listing = reverse("staff:nominations", args=[open_call.slug]) + "?show=invited"
    assert "Send 1 reminder" in admin_client.get(listing).content.decode()

    response = admin_client.post(reverse("staff:remind", args=[open_call.slug]), follow=True)
    assert "Reminders sent: 1." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["due@example.org"]]
    assert Client().get(link_in(mail.outbox[0])).status_code == 200
    mail.outbox.clear()
    response = admin_client.post(reverse("staff:remind", args=[open_call.slug]), follow=True)
    assert "Nobody was due a reminder" in response.content.decode() and mail.outbox == []


def test_the_dashboard_counts_invitations(admin_client, open_call, register):
    invite(admin_client, nominate(open_call, register["schools"][0], share=False))
    page = admin_client.get(reverse("staff:dashboard")).content.decode()
    assert "invitations: 1 sent" in page
