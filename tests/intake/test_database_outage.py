"""While the database is away (a restart, a failover) a submitter gets the service's own page.

Found by the deadline-rush bench (bench/rush.py, the restart-postgres phase): the error page read
the session from the database to draw the header, failed again, and gunicorn answered with its
bare "Internal Server Error" instead.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.urls import reverse

from .test_journey import ANSWERS, post_page

pytestmark = pytest.mark.django_db


def database_away(*args, **kwargs):
    raise OperationalError("FATAL:  the database system is starting up")


def test_a_database_outage_gets_a_503_page_that_says_try_again(
    client, open_call, register, monkeypatch
):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])  # a session with a draft
    monkeypatch.setattr(SessionStore, "load", database_away)
    client.raise_request_exception = False

    response = client.get(reverse("intake:question", args=[open_call.slug, "title"]))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body
    assert "Nothing you saved has been lost" in body
    assert "govuk-header" in body  # the service's own layout, not a bare error


def test_other_errors_stay_500(client, open_call, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("inpractice.intake.views._window_context", broken)
    client.raise_request_exception = False
    response = client.get(reverse("intake:call", args=[open_call.slug]))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_an_error_caused_by_the_database_going_away_is_a_503_too(client, open_call, monkeypatch):
    def session_half_loaded(*args, **kwargs):
        # What Django's session store raises on the next access after a failed load.
        try:
            database_away()
        except OperationalError as exc:
            raise AttributeError("'SessionStore' object has no attribute '_session_cache'") from exc

    monkeypatch.setattr("inpractice.intake.views._window_context", session_half_loaded)
    client.raise_request_exception = False
    response = client.get(reverse("intake:call", args=[open_call.slug]))
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
