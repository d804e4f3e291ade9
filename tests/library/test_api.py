"""The read-only API against its own OpenAPI 3 schema, with schemathesis, in-process (WSGI)."""

from __future__ import annotations

import pytest
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from inpractice.library.api import schema as build_schema

from .factories import make_case_study

pytestmark = pytest.mark.django_db


def test_the_schema_is_served_at_a_stable_url(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    data = response.json()
    assert data["openapi"].startswith("3.")
    assert {"/api/v1/case-studies/", "/api/v1/case-studies/{slug}/"} <= set(data["paths"])
    assert reverse("library:api_schema") == "/api/v1/openapi.json"


def test_bad_parameters_are_clear_problems(client):
    response = client.get(reverse("library:api_list"), {"page": "zero"})
    assert response.status_code == 400 and "page" in response.json()["detail"]
    assert client.get(reverse("library:api_list"), {"phase": "nowhere"}).status_code == 400
    assert client.get(reverse("library:api_list"), {"sort": "random"}).status_code == 400
    assert client.get(reverse("library:api_detail", args=["no-such"])).status_code == 404


@pytest.fixture
def keep_test_connection():
    """Let requests through the real WSGI handler share the test's transaction, as Django's test
    client does: otherwise the end of each request closes the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_problem(open_call, keep_test_connection):
    from django.core.wsgi import get_wsgi_application

    for i in range(3):
        make_case_study(open_call, title=f"Visual timetables {i}", need_codes=["ASD"])
    app = get_wsgi_application()
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, calls = [], []
    for operation in api.get_all_operations():
        op = operation.ok()
        strategy = op.as_strategy()

        @settings(
            max_examples=40,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=strategy)
        def run(case):
            calls.append(case.path)
            case.call_and_validate()

        try:
            run()
        except Exception as exc:  # collect, so every operation is reported
            failures.append(f"{op.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    assert len(calls) >= 40  # both operations were really exercised
    assert build_schema()["info"]["version"]
