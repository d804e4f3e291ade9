"""A call's Jobs page: start an analysis from the browser, follow its progress (JSON and without
JavaScript), cancel and retry; a real queue and a real worker run in-process."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from inpractice.coding.models import AnalysisRun
from inpractice.jobs.models import Job
from tests.jobs import fixtures

# A real worker runs the jobs in this process: it needs committed data (tests/jobs/fixtures.py).
committed_db = fixtures.committed_db


@pytest.mark.usefixtures("committed_db")
def test_a_lead_starts_an_analysis_and_follows_it_to_done(client, analysed_call, lead, analyst):
    slug = analysed_call.slug
    page_url = reverse("workspace:jobs", args=[slug])
    runs = AnalysisRun.objects.filter(call=analysed_call).count()
    client.force_login(lead)
    page = client.get(page_url)
    assert page.status_code == 200 and b"Start an analysis" in page.content
    response = client.post(reverse("workspace:start_analysis", args=[slug]))
    assert response.status_code == 302 and response["Location"] == page_url
    job = Job.objects.get(call=analysed_call, kind="analyse")
    assert job.status == "queued" and job.started_by == lead
    page = client.get(page_url)
    html = page.content.decode()
    assert "Waiting for a worker" in html and 'data-poll="true"' in html
    assert "Start an analysis" not in html and "Cancel<span" in html
    assert "Check progress" in html  # without JavaScript: reload the page
    # One analysis of a call at a time.
    again = client.post(reverse("workspace:start_analysis", args=[slug]), follow=True)
    assert b"already waiting or running" in again.content
    assert Job.objects.filter(call=analysed_call).count() == 1

    call_command("worker", batch=True, interval=0, verbosity=0)
    data = client.get(reverse("workspace:jobs_json", args=[slug])).json()
    [shown] = data["jobs"]
    assert shown["status"] == "succeeded", shown["error"]
    assert shown["stage"] == "done" and shown["done"] == shown["total"] > 0
    new_run = AnalysisRun.objects.get(pk=shown["result"]["run"])
    assert new_run.status == "succeeded" and new_run.parameters["job"] == job.pk
    assert AnalysisRun.objects.filter(call=analysed_call).count() == runs + 1
    page = client.get(page_url).content.decode()
    assert f"Run {new_run.pk}" in page and "data-poll" not in page

    # Analysts see the jobs but cannot start, cancel or retry.
    client.force_login(analyst)
    seen = client.get(page_url)
    assert seen.status_code == 200 and b"Start an analysis" not in seen.content
    assert client.post(reverse("workspace:start_analysis", args=[slug])).status_code == 403
    assert client.post(reverse("workspace:retry_job", args=[slug, job.pk])).status_code == 403


def test_a_queued_analysis_is_cancelled_and_retried(client, analysed_call, lead):
    slug = analysed_call.slug
    client.force_login(lead)
    client.post(reverse("workspace:start_analysis", args=[slug]))
    job = Job.objects.get(call=analysed_call)
    done = client.post(reverse("workspace:cancel_job", args=[slug, job.pk]), follow=True)
    assert f"Job {job.pk} is cancelled".encode() in done.content
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert b"Retry<span" in done.content
    retried = client.post(reverse("workspace:retry_job", args=[slug, job.pk]), follow=True)
    assert f"queued again as job {job.pk + 1}".encode() in retried.content
    assert Job.objects.get(pk=job.pk + 1).retry_of == job
    # A job of another call is not found here.
    assert client.post(reverse("workspace:cancel_job", args=[slug, 999999])).status_code == 404


def test_a_submission_that_arrived_after_the_run_says_it_is_not_analysed_yet(
    client, analysed_call, lead
):
    from .conftest import make_submission

    analysed = analysed_call.submissions.filter(status="submitted").first()
    late = make_submission(analysed_call, 999)
    client.force_login(lead)
    page = client.get(reverse("workspace:submission", args=[analysed_call.slug, late.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="not-analysed"' in html and "Not analysed yet." in html
    assert "arrived after analysis run" in html
    seen = client.get(reverse("workspace:submission", args=[analysed_call.slug, analysed.pk]))
    assert b'id="not-analysed"' not in seen.content


def test_the_programme_team_dashboard_links_to_the_call_s_jobs(client, analysed_call):
    from django.contrib.auth import get_user_model

    from inpractice.accounts.roles import add_staff

    add_staff("admin@example.gov.uk", "programme-admin", "a long test passphrase 42")
    client.force_login(get_user_model().objects.get(username="admin@example.gov.uk"))
    page = client.get(reverse("staff:dashboard"))
    jobs_url = reverse("workspace:jobs", args=[analysed_call.slug])
    assert page.status_code == 200 and jobs_url.encode() in page.content
    jobs = client.get(jobs_url)
    assert jobs.status_code == 200 and b"Start an analysis" in jobs.content
