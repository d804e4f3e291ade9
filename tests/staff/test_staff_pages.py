"""Programme team pages: sign-in, roles enforced on the server, the window, nominations."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from inpractice.accounts.roles import add_staff
from inpractice.intake.models import Nomination

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_client(client):
    add_staff("lead@example.org", "programme-admin", PASSWORD)
    assert client.login(username="lead@example.org", password=PASSWORD)
    return client


@pytest.fixture
def nomination(open_call, register):
    return Nomination.objects.create(
        call=open_call,
        urn=100003,
        school=register["schools"][2],
        contact_name="Sam Lee",
        contact_email="s.lee@example.org",
        reason="Their nurture base is excellent.",
    )


STAFF_URLS = [
    ("staff:dashboard", []),
    ("staff:call_details", ["open-call"]),
    ("staff:nominations", ["open-call"]),
    ("staff:submissions", ["open-call"]),
]


@pytest.mark.parametrize(("name", "args"), STAFF_URLS)
def test_staff_pages_send_anonymous_people_to_sign_in(client, open_call, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "args"), STAFF_URLS[1:])
def test_staff_pages_refuse_other_roles(client, open_call, name, args):
    add_staff("analyst@example.org", "analyst", PASSWORD)
    client.login(username="analyst@example.org", password=PASSWORD)
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(
    ("role", "home"), [("analyst", "workspace:home"), ("moderator", "library:staff_list")]
)
def test_the_dashboard_sends_other_roles_to_their_own_home(client, open_call, role, home):
    add_staff(f"{role}@example.org", role, PASSWORD)
    client.login(username=f"{role}@example.org", password=PASSWORD)
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse(home)


def test_the_dashboard_refuses_a_signed_in_person_with_no_role(client, open_call):
    get_user_model().objects.create_user("nobody@example.org", "nobody@example.org", PASSWORD)
    client.login(username="nobody@example.org", password=PASSWORD)
    assert client.get(reverse("staff:dashboard")).status_code == 403


def test_inviting_needs_a_programme_admin(client, nomination):
    add_staff("analyst@example.org", "analyst", PASSWORD)
    client.login(username="analyst@example.org", password=PASSWORD)
    url = reverse("staff:invite", args=["open-call", nomination.pk])
    assert client.post(url).status_code == 403
    nomination.refresh_from_db()
    assert nomination.invited_at is None and not nomination.invitations.exists()


def test_a_programme_admin_sees_nominations_and_invites_a_school(admin_client, nomination):
    page = admin_client.get(reverse("staff:nominations", args=["open-call"])).content.decode()
    assert "Hillside Infant School" in page and "s.lee@example.org" in page
    response = admin_client.post(reverse("staff:invite", args=["open-call", nomination.pk]))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.invited_at is not None
    assert nomination.invited_by.username == "lead@example.org"
    remaining = admin_client.get(reverse("staff:nominations", args=["open-call"])).content.decode()
    assert "There are no nominations to show" in remaining


WINDOW_DETAILS = {"title": "Open call", "introduction": "", "consent_wording": ""}


def test_the_old_window_page_sends_admins_to_the_call_details(admin_client, open_call):
    response = admin_client.get(reverse("staff:call_window", args=["open-call"]))
    assert response.status_code == 301
    assert response["Location"] == reverse("staff:call_details", args=["open-call"])


def test_the_window_is_entered_in_uk_time_and_stored_in_utc(admin_client, open_call):
    response = admin_client.post(
        reverse("staff:call_details", args=["open-call"]),
        {
            **WINDOW_DETAILS,
            "opens_at_0": "15",
            "opens_at_1": "3",
            "opens_at_2": "2025",
            "opens_at_3": "00:00",
            "closes_at_0": "2",
            "closes_at_1": "5",
            "closes_at_2": "2025",
            "closes_at_3": "00:00",
        },
    )
    assert response.status_code == 302
    open_call.refresh_from_db()
    assert open_call.opens_at == datetime(2025, 3, 15, 0, 0, tzinfo=UTC)
    assert open_call.closes_at == datetime(2025, 5, 1, 23, 0, tzinfo=UTC)
    dashboard = admin_client.get(reverse("staff:dashboard")).content.decode()
    assert "11:59pm on Thursday 1 May 2025" in dashboard


@pytest.mark.parametrize(
    ("closes", "message"),
    [
        (["1", "3", "2025", "00:00"], "must be after the opening"),
        (["30", "3", "2025", "01:30"], "does not exist in the UK"),
        (["31", "2", "2025", "00:00"], "must be a real date"),
        (["1", "5", "2025", "25:00"], "Enter the time as hours and minutes"),
    ],
)
def test_a_bad_window_is_refused_with_a_reason_and_nothing_changes(
    admin_client, open_call, closes, message
):
    before = (open_call.opens_at, open_call.closes_at)
    data = {
        **WINDOW_DETAILS,
        "opens_at_0": "15",
        "opens_at_1": "3",
        "opens_at_2": "2025",
        "opens_at_3": "00:00",
    }
    data.update({f"closes_at_{i}": v for i, v in enumerate(closes)})
    response = admin_client.post(reverse("staff:call_details", args=["open-call"]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    open_call.refresh_from_db()
    assert (open_call.opens_at, open_call.closes_at) == before


def test_sign_in_errors_are_generic(client):
    add_staff("lead@example.org", "programme-admin", PASSWORD)
    response = client.post(
        reverse("accounts:login"), {"username": "lead@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_weak_staff_passwords_are_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        add_staff("x@example.org", "programme-admin", "password")
