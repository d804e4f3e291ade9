"""Secure headers and production safeguards: CSP without 'unsafe-inline', frames denied, HSTS,
secure and HttpOnly cookies, and no debug pages outside development."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse

PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({k: getattr(s, k, None) for k in [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF"]}))
"""


def settings_in(env: dict) -> dict:
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "inpractice.settings", **env}
    for key in ("INPRACTICE_ENV", "INPRACTICE_DEBUG"):
        if key not in env:
            full.pop(key, None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=full, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/accounts/sign-in/", "/schools/", "/staff/", "/no-such-page/"]
)
def test_every_page_has_a_strict_content_security_policy(client, url):
    response = client.get(url)
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only(client):
    from inpractice.intake.models import CallForEvidence  # noqa: F401  (the form needs the tables)

    response = client.get(reverse("accounts:login"))
    assert response.cookies["csrftoken"]["httponly"]
    client.post(reverse("accounts:login"), {"username": "x@example.org", "password": "nope"})
    session = client.get(reverse("accounts:login"))
    for cookie in list(session.cookies.values()) + list(client.cookies.values()):
        assert cookie["httponly"], cookie.key


def test_production_turns_on_secure_cookies_and_hsts_and_cannot_show_debug_pages():
    prod = settings_in(
        {"INPRACTICE_ENV": "production", "SECRET_KEY": "x" * 50, "INPRACTICE_DEBUG": "1"}
    )
    assert prod["DEBUG"] is False  # INPRACTICE_DEBUG=1 is ignored in production
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"]
    assert prod["SESSION_COOKIE_HTTPONLY"] and prod["CSRF_COOKIE_HTTPONLY"]
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000 and prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert prod["X_FRAME_OPTIONS"] == "DENY" and prod["SECURE_CONTENT_TYPE_NOSNIFF"]
    hsts = settings_in(
        {"INPRACTICE_ENV": "production", "SECRET_KEY": "x" * 50, "SECURE_HSTS_SECONDS": "600"}
    )
    assert hsts["SECURE_HSTS_SECONDS"] == 600


def test_development_shows_debug_pages_only_when_asked():
    assert settings_in({})["DEBUG"] is False
    assert settings_in({"INPRACTICE_DEBUG": "1"})["DEBUG"] is True


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"INPRACTICE_ENV": "production", "DJANGO_SETTINGS_MODULE": "inpractice.settings"})
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0 and "SECRET_KEY must be set" in out.stderr


@pytest.mark.django_db
def test_hsts_is_sent_over_https_when_set(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _boom(request) -> HttpResponse:
    raise RuntimeError("secret internals: DATABASE password=hunter2")


urlpatterns = [path("boom/", _boom), path("", include("inpractice.urls"))]
handler500 = "inpractice.web.views.server_error"
handler404 = "inpractice.web.views.not_found"


@pytest.mark.django_db
def test_errors_show_the_service_pages_not_tracebacks(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    crashed = client.get("/boom/")
    assert crashed.status_code == 500
    body = crashed.content.decode()
    assert "hunter2" not in body and "Traceback" not in body and "govuk-template" in body
    missing = client.get("/nothing-here/")
    assert missing.status_code == 404
    assert (
        "URLconf" not in missing.content.decode() and "Page not found" in missing.content.decode()
    )


# --- Cache-Control: no-store on pages with personal data ---------------------------------------


@pytest.fixture
def programme_admin(client, db):
    from inpractice.accounts.roles import add_staff

    add_staff("admin@example.org", "programme-admin", "correct horse battery staple")
    assert client.login(username="admin@example.org", password="correct horse battery staple")
    return client


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/staff/",
        "/staff/calls/open-call/submissions/",
        "/staff/calls/open-call/nominations/",
        "/staff/privacy/people/?email=jo%40example.org",
        "/staff/privacy/audit/",
        "/staff/no-such-page/",
    ],
)
def test_staff_pages_with_personal_data_are_never_stored(programme_admin, open_call, url):
    response = programme_admin.get(url)
    assert response.status_code in (200, 404)
    assert _no_store(response), response.get("Cache-Control")


@pytest.mark.django_db
def test_anything_for_a_signed_in_person_is_never_stored(programme_admin, open_call):
    assert _no_store(programme_admin.get("/"))
    assert _no_store(programme_admin.get("/calls/open-call/"))


@pytest.mark.django_db
def test_staff_addresses_are_never_stored_even_before_signing_in(client):
    assert _no_store(client.get("/staff/"))  # the redirect to sign in
    assert _no_store(client.get("/accounts/sign-in/"))


@pytest.mark.django_db
def test_public_pages_for_the_public_are_left_cacheable(client, open_call):
    for url in ["/", "/calls/open-call/", "/library/"]:
        assert not _no_store(client.get(url)), url
