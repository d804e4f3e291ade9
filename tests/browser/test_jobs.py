"""Starting an analysis from the browser and watching it to done: keyboard only, axe clean, with
a real worker (`inpractice worker --batch`, looping in a thread of this process)."""

from __future__ import annotations

import threading

import pytest

from inpractice.coding.models import AnalysisRun
from inpractice.jobs.models import Job

from . import test_workspace
from .conftest import assert_accessible
from .test_keyboard_journeys import focused, tab_to
from .test_workspace import LEAD, WS, sign_in_as

analysed = test_workspace.analysed  # the workspace tests' analysed call, as a fixture here


@pytest.fixture
def worker():
    """A worker running queued jobs in a thread until the test ends."""
    from django.core.management import call_command
    from django.db import connection

    stop = threading.Event()

    def loop():
        try:
            while not stop.wait(0.2):
                call_command("worker", batch=True, interval=0, verbosity=0)
        finally:
            connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    yield thread
    stop.set()
    if thread.is_alive():
        thread.join(timeout=60)


def test_a_lead_starts_an_analysis_and_watches_it_finish_with_the_keyboard(
    page,
    analysed,
    worker,
):
    call = analysed["call"]
    runs = AnalysisRun.objects.filter(call=call).count()
    sign_in_as(page, LEAD)
    page.goto(f"{WS}/jobs/")
    assert_accessible(page, "jobs page, no jobs")
    tab_to(page, "Start an analysis")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{WS}/jobs/")
    assert "Analysis queued as job" in page.inner_text("main")
    assert "Waiting for a worker" in page.inner_text("#jobs")
    assert_accessible(page, "jobs page, a job waiting")
    job = Job.objects.get(call=call, kind="analyse")
    worker.start()
    # The page polls and reloads itself once the job has finished: no key pressed meanwhile.
    page.wait_for_selector(f'tr[data-job="{job.pk}"] >> text=Done', timeout=120_000)
    page.wait_for_load_state("load")
    page.wait_for_function("!document.querySelector('#jobs[data-poll]')", timeout=30_000)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert AnalysisRun.objects.filter(call=call).count() == runs + 1
    assert f"Run {job.result['run']}" in page.inner_text("#jobs")
    assert_accessible(page, "jobs page, a job done")
    # The new run is one Tab stop away, and opens with Enter.
    tab_to(page, f"Run {job.result['run']}")
    assert focused(page)["text"] == f"Run {job.result['run']}"
