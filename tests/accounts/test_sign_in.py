"""Staff sign-in: scrypt hashing, throttling with django-axes, idle and absolute session expiry."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.urls import reverse

from inpractice import settings as project_settings
from inpractice.accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from inpractice.accounts.roles import add_staff

pytestmark = pytest.mark.django_db
EMAIL = "lead@example.org"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(db):
    add_staff(EMAIL, "programme-admin", PASSWORD)
    return get_user_model().objects.get(username=EMAIL)


def sign_in(client, email=EMAIL, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_passwords_are_hashed_with_scrypt_and_older_pbkdf2_hashes_are_upgraded(client, settings):
    # The test suite swaps in a fast hasher; put back the project's own setting for this test.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0].endswith("ScryptPasswordHasher")
    encoded = make_password(PASSWORD)
    assert identify_hasher(encoded).algorithm == "scrypt"
    assert check_password(PASSWORD, encoded) and not check_password("wrong", encoded)
    user = get_user_model().objects.create(
        username=EMAIL, password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    assert sign_in(client).status_code == 302
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "scrypt"


def test_a_right_password_signs_in(client, staff):
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == reverse("staff:dashboard")


def test_repeated_wrong_passwords_lock_the_email_out_on_a_gov_uk_page(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, password="wrong password").status_code == 200
    locked = sign_in(client, password="wrong password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many attempts to sign in" in page and "15 minutes" in page
    assert 'class="govuk-heading-l"' in page
    # Locked means locked: even the right password (typed in another case) is refused now.
    assert sign_in(client, email=EMAIL.upper()).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_email_so_a_colleague_can_still_sign_in(client, staff, settings):
    add_staff("analyst@example.org", "analyst", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, password="wrong password")
    assert sign_in(client, email="analyst@example.org").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, password="wrong password")
    assert sign_in(client).status_code == 429
    # Move the failed attempts back past the cool-off rather than waiting for it.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert sign_in(client).status_code == 302


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN}[key]] = now - ago
    session.save()


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(client, staff, settings):
    sign_in(client)
    _age_session(client, last_seen=settings.STAFF_SESSION_IDLE_SECONDS + 5)
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
    page = client.get(response["Location"]).content.decode()
    minutes = settings.STAFF_SESSION_IDLE_SECONDS // 60
    assert f"had not done anything for {minutes} minutes" in page


def test_a_session_just_inside_the_idle_limit_stays_signed_in(client, staff, settings):
    sign_in(client)
    _age_session(client, last_seen=settings.STAFF_SESSION_IDLE_SECONDS - 5)
    assert client.get(reverse("staff:dashboard")).status_code == 200


def test_an_active_session_still_ends_at_the_absolute_limit(client, staff, settings):
    sign_in(client)
    _age_session(client, signed_in=settings.STAFF_SESSION_MAX_SECONDS + 5, last_seen=10)
    response = client.get(reverse("staff:dashboard"))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "signed in more than 8 hours ago" in client.get(response["Location"]).content.decode()


def test_activity_keeps_a_session_alive_past_the_idle_limit(client, staff, settings):
    sign_in(client)
    _age_session(client, last_seen=settings.STAFF_SESSION_IDLE_SECONDS - 5)
    assert client.get(reverse("staff:dashboard")).status_code == 200
    # That request counted as activity, so the idle clock restarted.
    assert int(time.time()) - client.session[LAST_SEEN] < 5


def test_one_address_cannot_spray_a_password_across_many_accounts(client, staff, settings):
    settings.RATELIMIT_SIGN_IN = "4/10m"
    for n in range(4):
        assert (
            sign_in(client, email=f"person{n}@example.org", password="Winter2025!").status_code
            == 200
        )
    refused = sign_in(client, email="person9@example.org", password="Winter2025!")
    assert refused.status_code == 429
    assert "too many attempts to sign in from your connection" in refused.content.decode()
    assert "Wait 10 minutes" in refused.content.decode()
    assert sign_in(client).status_code == 429  # even the right password, until the time passes
