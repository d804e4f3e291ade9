"""Optional OpenID Connect sign-in: wired in only when configured, and claims map to staff roles.

These tests check the wiring (settings, URLs, the sign-in page) in a fresh process with the
OIDC_* variables set, and the backend's role mapping with claims dictionaries; the whole flow
against a provider is in test_oidc_provider.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, include, path, reverse

from inpractice.accounts.oidc import StaffOIDCBackend, parse_role_map, roles_from_claims
from inpractice.accounts.roles import add_staff, has_role

OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "inpractice",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://id.example.org/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://id.example.org/token",
    "OIDC_OP_USER_ENDPOINT": "https://id.example.org/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://id.example.org/jwks",
    "OIDC_ROLE_MAP": "ip-admins=programme-admin,ip-coders=analyst",
}
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import reverse
page = Client().get(reverse("accounts:login")).content.decode()
print(json.dumps({
    "enabled": settings.OIDC_ENABLED,
    "app": "mozilla_django_oidc" in settings.INSTALLED_APPS,
    "backends": settings.AUTHENTICATION_BACKENDS,
    "init": reverse("oidc_authentication_init"),
    "callback": reverse("oidc_authentication_callback"),
    "button": "Sign in with your organisation" in page,
}))
"""


def test_single_sign_on_is_off_unless_configured(client, db):
    from django.conf import settings

    assert not settings.OIDC_ENABLED
    assert not any("oidc" in b.lower() for b in settings.AUTHENTICATION_BACKENDS)
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert (
        "Sign in with your organisation"
        not in client.get(reverse("accounts:login")).content.decode()
    )


def test_setting_the_oidc_variables_adds_the_backend_urls_and_button():
    env = {**os.environ, **OIDC_ENV, "DJANGO_SETTINGS_MODULE": "inpractice.settings"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    assert probe["enabled"] and probe["app"] and probe["button"]
    assert probe["backends"][-1] == "inpractice.accounts.oidc.StaffOIDCBackend"
    # Password sign-in stays behind django-axes, first in the list.
    assert probe["backends"][0] == "inpractice.accounts.backends.WebSignInThrottle"
    assert probe["init"] == "/accounts/oidc/authenticate/"
    assert probe["callback"] == "/accounts/oidc/callback/"


def test_the_role_map_is_checked_when_read():
    assert parse_role_map(" a=analyst , b = moderator ") == {"a": "analyst", "b": "moderator"}
    with pytest.raises(ImproperlyConfigured, match="unknown role 'boss'"):
        parse_role_map("admins=boss")
    with pytest.raises(ImproperlyConfigured, match="claim-value=role"):
        parse_role_map("admins")


def test_claims_may_be_a_list_or_a_space_separated_string():
    mapping = {"ip-admins": "programme-admin", "ip-coders": "analyst"}
    assert roles_from_claims({"roles": ["ip-coders", "other"]}, "roles", mapping) == {"analyst"}
    assert roles_from_claims({"roles": "ip-admins ip-coders"}, "roles", mapping) == {
        "programme-admin",
        "analyst",
    }
    assert roles_from_claims({}, "roles", mapping) == set()


@pytest.fixture
def backend(settings):
    for key, value in OIDC_ENV.items():
        setattr(settings, key, value)
    settings.OIDC_ROLE_CLAIM = "roles"
    return StaffOIDCBackend()


@pytest.mark.django_db
def test_a_person_with_no_mapped_role_is_refused(backend):
    assert not backend.verify_claims({"email": "x@example.org", "roles": ["everyone"]})
    assert backend.verify_claims({"email": "x@example.org", "roles": ["ip-coders"]})


@pytest.mark.django_db
def test_sign_in_creates_the_person_with_the_mapped_role_and_no_password(backend):
    user = backend.create_user({"email": "New.Coder@Example.org", "roles": ["ip-coders"]})
    assert user.username == "new.coder@example.org" and not user.has_usable_password()
    assert has_role(user, "analyst") and not has_role(user, "programme-admin")
    assert list(backend.filter_users_by_claims({"email": "NEW.coder@example.org"})) == [user]


@pytest.mark.django_db
def test_each_sign_in_makes_roles_match_the_provider(backend):
    add_staff("pat@example.org", "programme-admin", "a long test passphrase 42")
    user = get_user_model().objects.get(username="pat@example.org")
    backend.update_user(user, {"email": "pat@example.org", "roles": ["ip-coders"]})
    user = get_user_model().objects.get(pk=user.pk)
    assert has_role(user, "analyst") and not has_role(user, "programme-admin")


# Used as ROOT_URLCONF below: the single sign-on URLs as inpractice/urls.py adds them when set up.
urlpatterns = [
    path("accounts/", include("inpractice.accounts.urls")),
    path("accounts/oidc/", include("mozilla_django_oidc.urls")),
]


@pytest.mark.django_db
def test_the_start_of_single_sign_on_redirects_to_the_provider(client, settings):
    for key, value in OIDC_ENV.items():
        setattr(settings, key, value)
    settings.ROOT_URLCONF = __name__
    response = client.get("/accounts/oidc/authenticate/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://id.example.org/authorize?")
    assert "client_id=inpractice" in location and "state=" in location and "nonce=" in location
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Faccounts%2Foidc%2Fcallback%2F" in location
