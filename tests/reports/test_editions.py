"""Report editions (ADR 19): draft, review by a second person, publication by a worker, and what
the public see: only a published edition, frozen, until a later one supersedes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from inpractice.coding.runs import promote
from inpractice.jobs.models import Job
from inpractice.reports import editions
from inpractice.reports.editions import EditionError
from inpractice.reports.models import Edition, EditionSnapshot
from inpractice.workspace.models import QuoteReview
from tests.jobs import fixtures

from . import edition_helpers as eh
from . import helpers as h
from .pdf import assert_tagged_pdf, pdf_text

pytestmark = pytest.mark.django_db
committed_db = fixtures.committed_db


def url(name: str, call, **kwargs) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": call.slug, **kwargs})


PUBLIC_URLS = ("report_pdf", "figures_csv", "figures_json")


def assert_nothing_public(client, call) -> None:
    response = client.get(url("report", call))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not published yet" in page
    assert "We know every child by name and need." not in page
    assert 'name="robots" content="noindex"' in page
    for name in PUBLIC_URLS:
        assert client.get(url(name, call)).status_code == 404, name
    assert call.title not in client.get(reverse("reports:index")).content.decode()


@pytest.mark.usefixtures("committed_db")  # a real worker builds the edition: committed data
def test_an_edition_is_drafted_reviewed_approved_and_published_by_a_worker(
    client, analysed_small_call
):
    call = analysed_small_call.call
    h.close(call)
    lead, admin = eh.editor("lead-analyst"), eh.editor("programme-admin")

    edition = editions.create_draft(call, lead)
    assert (edition.number, edition.status, edition.run) == (1, "draft", analysed_small_call.run)
    assert_nothing_public(client, call)
    eh.write_required(edition, lead)
    editions.send_for_review(edition, lead)
    assert_nothing_public(client, call)
    editions.approve(edition, admin)
    assert edition.status == "approved" and edition.approver == admin and edition.approved_at
    assert_nothing_public(client, call)

    job = editions.publish(edition, admin)
    edition.refresh_from_db()
    assert edition.status == "publishing" and job.kind == "build_edition"
    assert_nothing_public(client, call)  # not until the worker has built it

    call_command("worker", batch=True, interval=0, verbosity=0)
    job.refresh_from_db()
    edition.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result == {"edition": edition.pk, "number": 1}
    assert job.stage == "done"
    assert edition.status == "published" and edition.published_at
    snapshot = EditionSnapshot.objects.get(edition=edition)
    assert snapshot.figures["snapshot"]["submissions"] == 4

    page = client.get(url("report", call)).content.decode()
    assert "We know every child by name and need." in page
    assert f"Edition 1, published {timezone.localdate(edition.published_at):%-d %B %Y}" in page
    assert "approved by a programme admin" in page
    assert call.title in client.get(reverse("reports:index")).content.decode()
    pdf = client.get(url("report_pdf", call))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert_tagged_pdf(pdf.content)
    assert "Edition 1, published" in pdf_text(pdf.content)
    assert client.get(url("figures_json", call)).json() == snapshot.figures
    assert client.get(url("edition_public", call, edition=1)).status_code == 200


def test_the_author_cannot_approve_their_own_edition(analysed_small_call):
    call = analysed_small_call.call
    h.close(call)
    lead = eh.editor("lead-analyst")
    edition = editions.create_draft(call, lead)
    eh.write_required(edition, lead)
    editions.send_for_review(edition, lead)
    with pytest.raises(EditionError, match="another lead analyst or programme admin"):
        editions.approve(edition, lead)
    edition.refresh_from_db()
    assert edition.status == "in_review" and edition.approver is None
    # The database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(approver=lead, status="approved")


def test_an_open_call_has_no_edition(analysed_small_call):
    lead = eh.editor()
    with pytest.raises(EditionError, match="still open"):
        editions.create_draft(analysed_small_call.call, lead)


def test_nothing_but_a_published_edition_reaches_the_public(client, analysed_small_call):
    call = analysed_small_call.call
    h.close(call)
    edition = eh.approved_edition(call)
    assert_nothing_public(client, call)
    # A draft, an edition in review or approved has no public address, even by number.
    assert client.get(url("edition_public", call, edition=edition.number)).status_code == 404
    # Staff see the live preview at the same address, with what awaits review.
    staff = h.staff_client(type(client)(), "lead-analyst")
    assert "Nothing is published yet" in staff.get(url("report", call)).content.decode()


def test_a_reopened_call_a_new_submission_and_a_new_run_leave_the_edition_as_published(
    client, analysed_small_call
):
    c = analysed_small_call
    h.close(c.call)
    eh.publish_edition(c.call)
    before = {name: client.get(url(name, c.call)).content for name in ("report",) + PUBLIC_URLS}

    # Reopen the call, a new response arrives, a new run is made and promoted.
    type(c.call).objects.filter(pk=c.call.pk).update(closes_at=timezone.now() + timedelta(days=10))
    c.call.refresh_from_db()
    s5 = h.submission(c.call, 6, urns=[107001])
    promote(h.run_for(c.call, {c.s1: ["p1"], c.s2: ["p2"], s5: ["p3"]}))
    QuoteReview.objects.filter(status="approved").update(status="rejected")

    after = {name: client.get(url(name, c.call)).content for name in ("report",) + PUBLIC_URLS}
    assert after["report_pdf"] == before["report_pdf"]
    assert after["figures_csv"] == before["figures_csv"]
    assert after["figures_json"] == before["figures_json"]
    # The page is the frozen snapshot, inside the site's layout.
    snapshot = EditionSnapshot.objects.get().html
    assert snapshot in before["report"].decode() and snapshot in after["report"].decode()
    assert "We know every child by name and need." in snapshot


def test_a_later_edition_supersedes_with_a_note_and_the_old_snapshot_is_deleted(
    client, analysed_small_call
):
    c = analysed_small_call
    h.close(c.call)
    first = eh.publish_edition(c.call, note="First edition.")
    # The second edition needs a note of what changed.
    with pytest.raises(EditionError, match="what changed"):
        editions.create_draft(c.call, eh.editor())
    s5 = h.submission(c.call, 6, urns=[107001])
    promote(h.run_for(c.call, {c.s1: ["p1"], c.s2: ["p1"], c.s3: ["p4"], c.s4: [], s5: ["p2"]}))
    second = eh.publish_edition(c.call, note="One late submission analysed.")

    first.refresh_from_db()
    assert first.status == "superseded" and first.superseded_by == second
    assert first.superseded_at == second.published_at
    assert first.note == "First edition."  # the record and its note are kept
    assert not EditionSnapshot.objects.filter(edition=first).exists()
    assert EditionSnapshot.objects.filter(edition=second).exists()
    assert second.number == 2 and "Submissions analysed: 4 → 5" in second.changes

    page = client.get(url("report", c.call)).content.decode()
    assert "Edition 2, published" in page and "One late submission analysed." in page
    assert f'href="{url("edition_public", c.call, edition=1)}"' in page  # earlier editions
    old = client.get(url("edition_public", c.call, edition=1))
    assert old.status_code == 200
    text = old.content.decode()
    assert "Edition 1 has been superseded" in text
    assert "One late submission analysed." in text and "First edition." in text
    assert "We know every child by name and need." not in text  # its snapshot is gone


def test_a_build_refuses_evidence_that_changed_after_approval(analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    edition = eh.approved_edition(c.call)
    QuoteReview.objects.filter(status="approved").update(status="rejected")
    with pytest.raises(EditionError, match="evidence changed"):
        editions.publish_now(edition)
    assert not EditionSnapshot.objects.exists()
    assert editions.published(c.call) is None


def test_staff_appear_by_role_never_by_email_in_public(client, analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    edition = eh.publish_edition(c.call)
    emails = [edition.author.email, edition.approver.email]
    page = client.get(url("report", c.call)).content.decode()
    pdf = pdf_text(client.get(url("report_pdf", c.call)).content)
    data = client.get(url("figures_json", c.call)).content.decode()
    for email in emails:
        assert email not in page and email not in pdf and email not in data
    assert "@example.gov.uk" not in page + pdf + data
    assert "Drafted by a lead analyst and approved by a programme admin" in page


@pytest.mark.usefixtures("committed_db")
def test_staff_pages_take_an_edition_from_draft_to_published(client, analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    lead, admin = eh.editor("lead-analyst"), eh.editor("programme-admin")
    editions_url = url("editions", c.call)

    analyst = h.staff_client(type(client)(), "analyst")
    assert analyst.get(editions_url).status_code == 403
    assert analyst.post(editions_url, {"note": ""}).status_code == 403

    client.force_login(lead)
    assert "Draft edition 1 from run" in client.get(editions_url).content.decode()
    response = client.post(editions_url, {"note": "The first edition."})
    edition_url = url("edition", c.call, edition=1)
    assert response.status_code == 302 and response["Location"] == edition_url
    eh.write_required(Edition.objects.get(call=c.call, number=1), lead)
    assert client.post(edition_url, {"action": "review"}).status_code == 302
    refused = client.post(edition_url, {"action": "approve"})
    assert refused.status_code == 409
    assert "another lead analyst or programme admin must approve it" in refused.content.decode()
    assert "Approve edition 1" not in client.get(edition_url).content.decode()

    client.force_login(admin)
    assert "Approve edition 1" in client.get(edition_url).content.decode()
    assert client.post(edition_url, {"action": "approve"}).status_code == 302
    assert client.post(edition_url, {"action": "publish"}).status_code == 302
    page = client.get(edition_url).content.decode()
    assert "Check progress" in page and "Waiting for a worker" in page
    assert Job.objects.get(kind="build_edition").started_by == admin

    call_command("worker", batch=True, interval=0, verbosity=0)
    page = client.get(edition_url).content.decode()
    assert "Edition 1: published" in page
    assert "We know every child" in type(client)().get(url("report", c.call)).content.decode()


def test_a_failed_build_leaves_the_edition_approved_to_publish_again(analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    edition = eh.approved_edition(c.call)
    Edition.objects.filter(pk=edition.pk).update(status="publishing")
    editions.build_failed(edition.pk, "The worker stopped.", back_to_review=False)
    edition.refresh_from_db()
    assert edition.status == "approved" and edition.error == "The worker stopped."
    assert editions.publish_now(edition).status == "published"


def test_the_demo_publishes_its_first_edition_once(client, analysed_small_call):
    from inpractice.demo.loader import DEMO_SLUG
    from inpractice.demo.steps import publish_demo_edition

    c = analysed_small_call
    h.close(c.call)
    type(c.call).objects.filter(pk=c.call.pk).update(slug=DEMO_SLUG)
    c.call.refresh_from_db()
    edition = publish_demo_edition()
    assert edition.number == 1 and edition.status == "published"
    assert (edition.author_role, edition.approver_role) == ("Lead analyst", "Programme admin")
    page = client.get(url("report", c.call)).content.decode()
    assert "We know every child" in page
    # Written, as a programme's report is (ADR 25): a summary, each principle's narrative
    # started from its suggested draft, implications and the five focus areas' recommendations.
    from inpractice.reports import authoring

    sections = authoring.sections(edition)
    assert all(s.written for s in sections) and authoring.missing(edition) == []
    assert "This report sets out what 4 submissions" in page
    assert "Settings that include well start by" in page
    assert "Leadership and strategy" in page and "Policy support" in page
    # The demo approved the consented, unreviewed quote: it is quoted; the private one is not.
    assert "A quote nobody has reviewed yet." in page
    assert "Leeds quote the submitter kept private." not in page
    assert publish_demo_edition() is None  # idempotent


def test_a_build_whose_worker_died_leaves_the_edition_approved(analysed_small_call):
    from inpractice.jobs import service

    c = analysed_small_call
    h.close(c.call)
    edition = eh.approved_edition(c.call)
    job = editions.publish(edition, eh.editor("programme-admin"))
    long_ago = timezone.now() - timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(
        status="running", started_at=long_ago, heartbeat_at=long_ago
    )
    assert [j.pk for j in service.reap_stale()] == [job.pk]
    edition.refresh_from_db()
    assert edition.status == "approved" and "worker building this edition stopped" in edition.error
    assert editions.published(c.call) is None
