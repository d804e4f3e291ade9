"""A bad parameter is the request's fault: 400 or 404, never "service unavailable".

Found by sending a NUL byte (%00) in a URL (issue 15): PostgreSQL refuses NUL in text, Django
raised DataError, and the error page took any database error for an outage, answering 503 "Sorry,
the service is unavailable" (an HTML page even from the JSON API). Now NUL bytes and over-long
values are refused before any view runs (`inpractice.web.request_guards`), a database error
caused by a value is a 400, and 503 is kept for a database that cannot be reached
(tests/intake/test_database_outage.py).
"""

from __future__ import annotations

import pytest
from django.db import DataError, IntegrityError, OperationalError
from django.test import Client

from inpractice.accounts.roles import add_staff

pytestmark = pytest.mark.django_db

LONG = "x" * 9000  # over MAX_QUERY_VALUE_CHARS (8,000) and MAX_PATH_CHARS (2,000)

# (url, expected status) for HTML pages; every one would reach the database with the value.
HTML = [
    ("/calls/open-call/?q=%00", 400),
    ("/calls/open-call/submit/about-you/?change=%00", 400),
    ("/library/?q=caf%00e", 400),
    ("/library/?phase=%00", 400),
    ("/schools/?q=%00", 400),
    ("/calls/open-call/resume/abc%00def/", 404),
    ("/library/withdraw-consent/abc%00def/", 404),
    ("/library/case%00study/", 404),
    ("/calls/open%00call/", 404),
    (f"/library/?q={LONG}", 400),
    (f"/calls/open-call/resume/{LONG}/", 404),
]
API = [
    ("/api/v1/case-studies/?q=%00", 400),
    ("/api/v1/case-studies/?principle=%00", 400),
    ("/api/v1/case-studies/?page=1%00", 400),
    ("/api/v1/case-studies/abc%00def/", 404),
    ("/api/v1/case-studies/%00/", 404),
    (f"/api/v1/case-studies/?q={LONG}", 400),
    (f"/api/v1/case-studies/{LONG}/", 404),
    ("/api/v1/no-such-thing/", 404),
    ("/api/v1/case-studies/no-such-slug/", 404),
]
JSON_OUTSIDE_API = [
    ("/schools/search.json?q=ab%00cd", 400),
    ("/schools/trusts/search.json?q=%00", 400),
]


@pytest.mark.parametrize(("url", "status"), HTML)
def test_html_pages_answer_400_or_404(client, open_call, url, status):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "govuk-header" in body  # the service's own page
    assert "unavailable" not in body


@pytest.mark.parametrize(("url", "status"), API + JSON_OUTSIDE_API)
def test_the_api_answers_json_problems(client, open_call, url, status):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/staff/?q=%00",
        "/staff/calls/open-call/submissions/?q=%00",
        "/staff/privacy/people/?email=%00",
        "/staff/privacy/audit/?q=%00",
        "/staff/case-studies/new/IP-%00/",
    ],
)
def test_staff_pages_answer_400_or_404(client, open_call, url):
    add_staff("admin@example.org", "programme-admin", "correct horse battery staple")
    client.login(username="admin@example.org", password="correct horse battery staple")
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code in (400, 404)


def test_a_nul_byte_in_a_form_field_is_a_form_error(client, open_call, register):
    response = client.post(
        "/calls/open-call/submit/about-you/",
        {
            "respondent_name": "Priya\x00Shah",
            "respondent_email": "p.shah@example.org",
            "organisation_name": "Oakfield",
            "organisation_type": "school",
            "version": "",
        },
    )
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()


def test_a_nul_byte_in_the_session_cookie_is_not_an_outage(open_call):
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = browser.get("/calls/open-call/")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("error", "status", "title"),
    [
        (DataError("A string literal cannot contain NUL (0x00) characters."), 400, "problem"),
        (OperationalError("could not connect to server"), 503, "unavailable"),
        (IntegrityError("duplicate key"), 500, "problem with the service"),
    ],
)
def test_only_an_unreachable_database_is_a_503(
    client, open_call, monkeypatch, error, status, title
):
    def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr("inpractice.intake.views._window_context", fails)
    client.raise_request_exception = False
    response = client.get("/calls/open-call/")
    assert response.status_code == status
    assert title in response.content.decode()
    assert ("Retry-After" in response) == (status == 503)


@pytest.mark.parametrize(
    ("error", "status"),
    [(DataError("value too long"), 400), (OperationalError("the database is starting up"), 503)],
)
def test_api_errors_are_json_too(client, open_call, monkeypatch, error, status):
    def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr("inpractice.library.api.published", fails)
    client.raise_request_exception = False
    response = client.get("/api/v1/case-studies/some-slug/")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == status
