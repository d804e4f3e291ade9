"""Single sign-on end to end against an OpenID provider run here, in a thread.

The provider is small but real on the wire: it answers the authorisation redirect with a code,
exchanges the code for an RS256-signed ID token carrying the nonce, publishes its key as a JWKS and
serves userinfo, over HTTP on 127.0.0.1. So the service's side (mozilla-django-oidc's token
exchange, signature and nonce checks, and our role mapping) runs exactly as against a hosted one.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import include, path

from inpractice.accounts.roles import has_role

CLIENT_ID = "inpractice-test"
SECRET = "client-secret"

urlpatterns = [
    path("", include("inpractice.urls")),
    path("accounts/oidc/", include("mozilla_django_oidc.urls")),
]


class Provider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signing_key = self.key  # a test may swap in an impostor's key
        self.codes: dict[str, dict] = {}
        self.claims: dict = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, data, status=200):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": query["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                elif url.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
                elif url.path == "/userinfo":
                    self._json(provider.claims)
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                request = provider.codes.pop(form.get("code", ""), None)
                if request is None or form.get("client_secret") != SECRET:
                    self._json({"error": "invalid_grant"}, 400)
                    return
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": provider.url,
                        "sub": provider.claims["email"],
                        "aud": CLIENT_ID,
                        "iat": now,
                        "exp": now + 300,
                        "nonce": request.get("nonce"),
                        **provider.claims,
                    },
                    provider.signing_key,
                    algorithm="RS256",
                    headers={"kid": "k1"},
                )
                self._json({"access_token": "at-" + secrets.token_hex(8), "id_token": id_token})

        return Handler


@pytest.fixture
def provider(settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    running = Provider()
    running.thread.start()
    settings.ROOT_URLCONF = __name__
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "inpractice.accounts.oidc.StaffOIDCBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = running.url + "/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = running.url + "/token"
    settings.OIDC_OP_USER_ENDPOINT = running.url + "/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = running.url + "/jwks"
    settings.OIDC_ROLE_MAP = "ip-coders=analyst,ip-admins=programme-admin"
    yield running
    running.server.shutdown()
    running.server.server_close()


def sign_in_through(provider) -> tuple[Client, object]:
    """A browser: start at the service, follow it to the provider and back."""
    import requests

    client = Client()
    start = client.get("/accounts/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"].startswith(provider.url)
    back = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    callback = urlparse(back.headers["Location"])
    return client, client.get(f"{callback.path}?{callback.query}")


@pytest.mark.django_db
def test_a_person_in_a_mapped_group_signs_in_with_that_role(provider):
    provider.claims = {"email": "Coder@Example.org", "roles": ["ip-coders", "staff"]}
    client, finished = sign_in_through(provider)
    assert finished.status_code == 302 and finished["Location"] == "/staff/"
    user = get_user_model().objects.get(username="coder@example.org")
    assert has_role(user, "analyst") and not has_role(user, "programme-admin")
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_person_with_no_mapped_role_is_refused(provider):
    provider.claims = {"email": "visitor@example.org", "roles": ["everyone"]}
    client, finished = sign_in_through(provider)
    assert finished.status_code == 302 and finished["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(username="visitor@example.org").exists()


@pytest.mark.django_db
def test_a_token_signed_by_another_key_is_refused(provider):
    provider.claims = {"email": "coder@example.org", "roles": ["ip-coders"]}
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client, finished = sign_in_through(provider)
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(username="coder@example.org").exists()


@pytest.mark.django_db
def test_losing_the_group_at_the_provider_removes_the_role_at_next_sign_in(provider):
    provider.claims = {"email": "pat@example.org", "roles": ["ip-admins"]}
    sign_in_through(provider)
    user = get_user_model().objects.get(username="pat@example.org")
    assert has_role(user, "programme-admin")
    provider.claims = {"email": "pat@example.org", "roles": ["ip-coders"]}
    sign_in_through(provider)
    user = get_user_model().objects.get(pk=user.pk)
    assert has_role(user, "analyst") and not has_role(user, "programme-admin")
