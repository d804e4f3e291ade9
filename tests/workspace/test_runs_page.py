"""The analysis runs page: which run is current, what a newer run changes, and promoting it
(lead analysts only; a POST with the CSRF token; an event)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from inpractice.accounts.roles import add_staff
from inpractice.coding.models import AnalysisRun, RunPromotion
from inpractice.coding.runner import run_analysis
from inpractice.coding.runs import current_run
from inpractice.workspace.models import Event

from .conftest import PASSWORD


@pytest.fixture
def admin(db):
    add_staff("admin@example.gov.uk", "programme-admin", PASSWORD)
    return get_user_model().objects.get(username="admin@example.gov.uk")


@pytest.fixture
def two_runs(analysed_call):
    first = current_run(analysed_call)
    return first, run_analysis(analysed_call)


def test_the_runs_page_lists_runs_and_says_which_is_current(client, analysed_call, two_runs, lead):
    first, second = two_runs
    client.force_login(lead)
    page = client.get(reverse("workspace:runs", args=[analysed_call.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Run {second.pk}" in html and f"Run {first.pk}" in html
    assert page.context["current"] == first
    assert "the first run that succeeded is current" in html
    detail = client.get(reverse("workspace:run", args=[analysed_call.slug, second.pk]))
    assert detail.status_code == 200
    assert detail.context["candidate"] and detail.context["changes"]["codes"]
    assert b"Passages and submissions coded, before and after" in detail.content
    assert b"Promote run" in detail.content
    # Worked out once, then kept with the run for the next look.
    kept = AnalysisRun.objects.get(pk=second.pk).parameters["compared_with"][str(first.pk)]
    assert kept == detail.context["changes"] and kept["previous_run"] == first.pk
    again = client.get(reverse("workspace:run", args=[analysed_call.slug, second.pk]))
    assert again.context["changes"] == kept
    current = client.get(reverse("workspace:run", args=[analysed_call.slug, first.pk]))
    assert b"This is the call's current run" in current.content
    assert b"Promote run" not in current.content


def test_only_leads_see_and_promote_runs(client, analysed_call, two_runs, analyst, admin, outsider):
    _first, second = two_runs
    urls = [
        reverse("workspace:runs", args=[analysed_call.slug]),
        reverse("workspace:run", args=[analysed_call.slug, second.pk]),
    ]
    for user, denied in ((analyst, 403), (admin, 403), (outsider, 404)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == denied, (user, url)
            assert client.post(url).status_code == denied, (user, url)
    assert not RunPromotion.objects.exists() and not Event.objects.exists()


def test_promoting_needs_the_csrf_token_and_records_an_event(analysed_call, two_runs, lead):
    first, second = two_runs
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lead)
    url = reverse("workspace:run", args=[analysed_call.slug, second.pk])
    assert browser.post(url).status_code == 403  # no token
    assert current_run(analysed_call) == first
    page = browser.get(url)
    token = page.context["csrf_token"]
    response = browser.post(url, {"csrfmiddlewaretoken": str(token), "note": "looked at it"})
    assert response.status_code == 302 and response["Location"] == url
    assert current_run(analysed_call) == second
    promotion = RunPromotion.objects.get()
    assert (promotion.run, promotion.previous, promotion.promoted_by, promotion.note) == (
        second,
        first,
        lead,
        "looked at it",
    )
    event = Event.objects.get(kind="run.promote")
    assert event.actor == lead and event.target == f"run:{second.pk}"
    assert event.before == {"run": first.pk} and event.after["run"] == second.pk
    listing = browser.get(reverse("workspace:runs", args=[analysed_call.slug]))
    assert f"Run {second.pk} made current" in listing.content.decode()


def test_a_failed_or_current_run_cannot_be_promoted(client, analysed_call, lead):
    first = current_run(analysed_call)
    failed = AnalysisRun.objects.create(
        call=analysed_call, status=AnalysisRun.Status.FAILED, embedder="static", code_version="t"
    )
    client.force_login(lead)
    for run, words in ((failed, b"has not succeeded"), (first, b"already the current run")):
        url = reverse("workspace:run", args=[analysed_call.slug, run.pk])
        response = client.post(url)
        assert response.status_code == 400 and words in response.content
        assert b"govuk-error-summary" in response.content
    assert current_run(analysed_call) == first and not RunPromotion.objects.exists()


def test_the_analyse_command_says_a_new_run_is_not_current_and_can_promote(analysed_call):
    import json

    from click.testing import CliRunner

    from inpractice.cli import main

    first = current_run(analysed_call)
    result = CliRunner().invoke(main, ["analyse", "--call", analysed_call.slug])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["current"] is False and summary["current_run"] == first.pk
    assert f"Run {summary['run']} is not the current run" in result.stderr
    assert current_run(analysed_call) == first
    promoted = CliRunner().invoke(main, ["analyse", "--call", analysed_call.slug, "--promote"])
    assert promoted.exit_code == 0, promoted.output
    summary = json.loads(promoted.stdout)
    assert summary["current"] is True and current_run(analysed_call).pk == summary["run"]
    event = Event.objects.get(kind="run.promote")
    assert event.actor is None and event.before == {"run": first.pk}
