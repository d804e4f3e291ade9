"""Throughput in the workspace (issue 13, part 6): back to the same passage after a change,
accepting many proposals at once, assigning many submissions at once, ordering the queue, and
asking which occurrence of repeated words to code. Real database, real analysis run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inpractice.accounts.roles import add_staff
from inpractice.coding.models import CodeApplication, Passage, SubmissionResult
from inpractice.coding.runs import current_run
from inpractice.intake.models import Submission
from inpractice.workspace import actions, double_coding
from inpractice.workspace.models import Coding, Event, SubmissionReview
from inpractice.workspace.queue import Sections

from .conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


def _passage_with_proposals(call, probabilities=(0.91, 0.62, 0.55)) -> Passage:
    """A passage of the current run on which the model proposes codes p1, p2, p3 with these
    probabilities (and nothing else), whatever the shipped model scored."""
    run = current_run(call)
    passage = Passage.objects.filter(run=run).order_by("submission__reference", "index").first()
    CodeApplication.objects.filter(passage=passage).update(applied=False)
    for code, p in zip(("p1", "p2", "p3"), probabilities, strict=False):
        CodeApplication.objects.update_or_create(
            run=run, passage=passage, code_id=code, defaults={"probability": p, "applied": True}
        )
    return passage


def _submission_url(call, sub) -> str:
    return reverse("workspace:submission", args=[call.slug, sub.pk])


# -- back to the same passage ------------------------------------------------------------------


def test_accept_reject_and_change_come_back_to_the_passage(client, analysed_call, analyst):
    signed_in(client, analyst)
    passage = _passage_with_proposals(analysed_call)
    sub = passage.submission
    codes = list(
        CodeApplication.objects.filter(passage=passage, applied=True).values_list(
            "code_id", flat=True
        )
    )
    url = reverse("workspace:decide", args=[analysed_call.slug, sub.pk])
    here = f"{_submission_url(analysed_call, sub)}#passage-{passage.pk}"
    for version, (code, decision) in enumerate(zip(codes, ["accept", "reject"], strict=False)):
        data = {"version": version, "passage": passage.pk, "code": code, "decision": decision}
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"] == here
    page = client.get(here).content.decode()
    assert f'id="passage-{passage.pk}" tabindex="-1"' in page
    assert "workspace/focus.mjs" in page


def test_coding_words_comes_back_to_their_passage(client, analysed_call, analyst):
    signed_in(client, analyst)
    passage = Passage.objects.filter(run=current_run(analysed_call)).first()
    sub = passage.submission
    words = passage.text.split()[:3]
    response = client.post(
        reverse("workspace:code_span", args=[analysed_call.slug, sub.pk]),
        {"version": 0, "field": passage.field, "words": " ".join(words), "code": "p2"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#passage-{passage.pk}")


# -- accept many proposals at once ------------------------------------------------------------


def test_accept_all_of_a_passage_records_each_acceptance_and_undoes_them_together(
    client, analysed_call, analyst
):
    signed_in(client, analyst)
    passage = _passage_with_proposals(analysed_call)
    sub = passage.submission
    url = reverse("workspace:accept_proposals", args=[analysed_call.slug, sub.pk])
    button = (
        'Accept all 3 proposals<span class="govuk-visually-hidden"> for passage '
        f"{passage.index + 1}</span>"
    )
    assert button in client.get(_submission_url(analysed_call, sub)).content.decode()
    response = client.post(url, {"version": 0, "passage": passage.pk})
    assert response["Location"].endswith(f"#passage-{passage.pk}")
    codings = Coding.objects.filter(passage=passage, active=True)
    assert codings.count() == 3
    assert {(c.origin, c.decision, c.coder_id) for c in codings} == {
        ("proposal", "applied", analyst.pk)
    }
    assert all((c.start, c.end) == (passage.start, passage.end) for c in codings)
    events = Event.objects.filter(kind="coding.applied", submission=sub)
    assert events.count() == 3
    assert len({e.after["batch"] for e in events}) == 1
    # One action, one version: a page drawn before it is stale.
    assert SubmissionReview.objects.get(submission=sub).version == 1
    page = client.get(_submission_url(analysed_call, sub)).content.decode()
    assert (
        f'proposals<span class="govuk-visually-hidden"> for passage {passage.index + 1}<'
        not in page
    )

    # "Undo your last change" undoes the whole action, one undo event per acceptance.
    response = client.post(
        reverse("workspace:undo", args=[analysed_call.slug, sub.pk]), {"version": 1}
    )
    assert response.status_code == 302
    assert not Coding.objects.filter(passage=passage, active=True).exists()
    assert Event.objects.filter(kind="undo", submission=sub).count() == 3
    assert actions.last_undoable(sub, analyst) is None


def test_accept_all_of_a_submission_at_or_above_a_probability(client, analysed_call, analyst):
    signed_in(client, analyst)
    passage = _passage_with_proposals(analysed_call)
    sub = passage.submission
    run = current_run(analysed_call)
    # Someone already decided one proposal: it is left as it is.
    decided = CodeApplication.objects.get(passage=passage, probability=0.55)
    actions.decide_proposal(
        sub, analyst, 0, passage=passage, code_id=decided.code_id, decision="reject"
    )
    shown = CodeApplication.objects.filter(run=run, passage__submission=sub, applied=True)
    above = shown.filter(probability__gte=0.6).exclude(pk=decided.pk).count()
    url = reverse("workspace:accept_proposals", args=[analysed_call.slug, sub.pk])
    response = client.post(url, {"version": 1, "min_probability": "0.6"})
    assert response.status_code == 302 and response["Location"].endswith("#accept-all")
    made = Coding.objects.filter(submission=sub, decision="applied", active=True)
    assert made.count() == above
    assert Coding.objects.get(submission=sub, decision="rejected").code_id == decided.code_id
    # Blank: the rest of what is shown (each code's own threshold).
    rest = shown.count() - above - 1
    if rest:
        assert client.post(url, {"version": 2}).status_code == 302
        assert made.count() == above + rest
    # Nothing left: said plainly, nothing saved.
    version = SubmissionReview.objects.get(submission=sub).version
    response = client.post(url, {"version": version})
    assert response.status_code == 400
    assert "no proposals left to accept" in response.content.decode()
    assert SubmissionReview.objects.get(submission=sub).version == version
    # The place "accept all" comes back to is still there, saying nothing is left to decide.
    page = client.get(_submission_url(analysed_call, sub)).content.decode()
    assert 'id="accept-all" tabindex="-1"' in page
    assert "Every proposal the model made on this submission has been accepted" in page


def test_accept_all_refuses_a_bad_probability_and_a_stale_page(
    client, analysed_call, analyst, second_analyst
):
    passage = _passage_with_proposals(analysed_call)
    sub = passage.submission
    url = reverse("workspace:accept_proposals", args=[analysed_call.slug, sub.pk])
    signed_in(client, analyst)
    response = client.post(url, {"version": 0, "min_probability": "high"})
    assert response.status_code == 400
    assert "Enter the probability as a number from 0 to 1" in response.content.decode()
    assert client.post(url, {"version": 0, "min_probability": "1.5"}).status_code == 400
    actions.write_memo(sub, second_analyst, 0, text="Looking at this", target="submission")
    response = client.post(url, {"version": 0})
    assert response.status_code == 409
    assert not Coding.objects.exists()


def test_accept_all_is_refused_in_a_blind_sample(
    client, analysed_call, lead, analyst, second_analyst
):
    sample, _chosen, _excluded = double_coding.draw_sample(
        analysed_call, lead, name="Pilot", coder_a=analyst, coder_b=second_analyst, size=12, seed=1
    )
    sub = sample.submissions.order_by("reference").first()
    passage = Passage.objects.filter(run=current_run(analysed_call), submission=sub).first()
    signed_in(client, analyst)
    blind = reverse("workspace:sample_submission", args=[analysed_call.slug, sample.pk, sub.pk])
    assert "Accept proposals" not in client.get(blind).content.decode()
    response = client.post(
        reverse("workspace:accept_proposals", args=[analysed_call.slug, sub.pk]),
        {"version": 0, "passage": passage.pk},
    )
    assert response.status_code == 302 and response["Location"] == blind
    with pytest.raises(actions.ActionError, match="blind double coding"):
        actions.accept_proposals(sub, analyst, None, run=current_run(analysed_call), sample=sample)
    assert not Coding.objects.exists()
    assert not Event.objects.filter(submission=sub).exists()


# -- assign many at once ----------------------------------------------------------------------


def _queue_rows(client, call, **params):
    page = client.get(reverse("workspace:queue", args=[call.slug]), params)
    assert page.status_code == 200
    return page


def test_a_lead_assigns_the_ticked_submissions_in_one_go(client, analysed_call, lead, analyst):
    signed_in(client, lead)
    page = _queue_rows(client, analysed_call)
    html = page.content.decode()
    assert "Select all 12 submissions on this page" in html and "Assign selected" in html
    ids = [row["submission"].pk for row in page.context["rows"]][:3]
    data = {"user": analyst.pk, "submissions": ids, "next": "/staff/workspace/?x"}
    data |= {f"version-{pk}": 0 for pk in ids}
    data["on_page"] = [row["submission"].pk for row in page.context["rows"]]
    response = client.post(reverse("workspace:assign_many", args=[analysed_call.slug]), data)
    assert response.status_code == 302 and response["Location"] == "/staff/workspace/?x"
    assigned = SubmissionReview.objects.filter(assigned_to=analyst)
    assert sorted(assigned.values_list("submission_id", flat=True)) == sorted(ids)
    assert Event.objects.filter(kind="submission.assigned").count() == 3
    # Each is undone on its own submission, as a single assignment is.
    actions.undo(actions.last_undoable(Submission.objects.get(pk=ids[0]), lead), lead, None)
    assert assigned.count() == 2


def test_select_all_on_the_page_works_without_javascript(client, analysed_call, lead, analyst):
    signed_in(client, lead)
    page = _queue_rows(client, analysed_call, order="newest")
    rows = [row["submission"].pk for row in page.context["rows"]]
    data = {"user": analyst.pk, "all_on_page": "on", "on_page": rows}
    data |= {f"version-{pk}": 0 for pk in rows}
    client.post(reverse("workspace:assign_many", args=[analysed_call.slug]), data)
    assert SubmissionReview.objects.filter(assigned_to=analyst).count() == len(rows) == 12


def test_assigning_many_is_all_or_nothing_on_a_stale_queue(
    client, analysed_call, lead, analyst, second_analyst
):
    signed_in(client, lead)
    ids = list(Submission.objects.filter(call=analysed_call).values_list("pk", flat=True)[:3])
    actions.assign(Submission.objects.get(pk=ids[1]), lead, None, second_analyst)
    data = {"user": analyst.pk, "submissions": ids} | {f"version-{pk}": 0 for pk in ids}
    response = client.post(
        reverse("workspace:assign_many", args=[analysed_call.slug]), data, follow=True
    )
    assert "Nothing was assigned" in response.content.decode()
    assert not SubmissionReview.objects.filter(assigned_to=analyst).exists()
    # Nothing ticked: said, nothing done.
    response = client.post(
        reverse("workspace:assign_many", args=[analysed_call.slug]),
        {"user": analyst.pk},
        follow=True,
    )
    assert "Select at least one submission to assign" in response.content.decode()


def test_only_lead_analysts_assign_many(client, analysed_call, analyst, second_analyst):
    add_staff("admin@example.gov.uk", "programme-admin", PASSWORD)
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin@example.gov.uk")
    ids = list(Submission.objects.filter(call=analysed_call).values_list("pk", flat=True)[:2])
    data = {"user": second_analyst.pk, "submissions": ids} | {f"version-{pk}": 0 for pk in ids}
    url = reverse("workspace:assign_many", args=[analysed_call.slug])
    for user in (analyst, admin):
        signed_in(client, user)
        assert "Assign selected" not in _queue_rows(client, analysed_call).content.decode()
        assert client.post(url, data).status_code == 403
    assert not SubmissionReview.objects.filter(assigned_to__isnull=False).exists()
    assert client.get(url).status_code == 405


# -- ordering the queue -----------------------------------------------------------------------


def _order(client, call, order: str, page_size_check=True) -> list[int]:
    return [row["submission"].pk for row in _queue_rows(client, call, order=order).context["rows"]]


def test_the_queue_orders_by_received_date_evidence_and_review(client, analysed_call, analyst):
    signed_in(client, analyst)
    subs = list(Submission.objects.filter(call=analysed_call).order_by("reference"))
    now = timezone.now()
    for i, sub in enumerate(subs):
        sub.submitted_at = now - timedelta(days=(i * 5) % 12, hours=i)
        sub.save(update_fields=["submitted_at"])
    newest = sorted(subs, key=lambda s: s.submitted_at, reverse=True)
    assert _order(client, analysed_call, "newest") == [s.pk for s in newest]
    assert _order(client, analysed_call, "oldest") == [s.pk for s in reversed(newest)]
    assert _order(client, analysed_call, "") == [s.pk for s in subs]

    run = current_run(analysed_call)
    SubmissionResult.objects.filter(run=run).update(evidence_rich=False)
    rich = [subs[7], subs[2]]
    SubmissionResult.objects.filter(run=run, submission__in=rich).update(evidence_rich=True)
    by_ref = [s.pk for s in subs]
    expected = [subs[2].pk, subs[7].pk] + [
        pk for pk in by_ref if pk not in (subs[2].pk, subs[7].pk)
    ]
    assert _order(client, analysed_call, "evidence") == expected

    for sub in subs[:3]:
        actions.set_reviewed(sub, analyst, None, True)
    assert _order(client, analysed_call, "unreviewed") == by_ref[3:] + by_ref[:3]
    # Orders combine with filters, and an unknown order is a form error, not a crash.
    assert _order(client, analysed_call, "evidence") == expected
    mine = _queue_rows(client, analysed_call, order="unreviewed", reviewed="yes").context["rows"]
    assert [r["submission"].pk for r in mine] == by_ref[:3]
    assert _queue_rows(client, analysed_call, order="bogus").status_code == 200


def test_sections_page_across_their_parts(analysed_call):
    qs = Submission.objects.filter(call=analysed_call).order_by("reference")
    pks = list(qs.values_list("pk", flat=True))
    sections = Sections(qs.filter(pk__in=pks[5:]), qs.filter(pk__in=pks[:5]))
    whole = pks[5:] + pks[:5]
    assert sections.count() == len(sections) == 12
    for start, stop in [(0, 4), (4, 9), (6, 8), (9, 12), (0, 12), (11, 30)]:
        assert [s.pk for s in sections[start:stop]] == whole[start:stop]
    assert sections[8].pk == whole[8]


# -- which occurrence of repeated words -------------------------------------------------------


def test_words_found_more_than_once_ask_which_one(client, analysed_call, analyst):
    signed_in(client, analyst)
    sub = Submission.objects.filter(call=analysed_call).order_by("reference").first()
    sub.answers = {
        **sub.answers,
        "practice": "We read together every morning. After lunch we read together again, "
        "and at home families read together too.",
    }
    sub.save(update_fields=["answers"])
    url = reverse("workspace:code_span", args=[analysed_call.slug, sub.pk])
    data = {"version": 0, "field": "practice", "words": "read  together", "code": "p2"}
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Those words appear 3 times in this answer: choose which one to code" in html
    assert html.count('name="occurrence" type="radio"') == 3
    assert "After lunch we <strong>read together</strong> again" in html
    assert not Coding.objects.exists()

    response = client.post(url, {**data, "occurrence": 2})
    assert response.status_code == 302
    coding = Coding.objects.get()
    text = sub.answer("practice")
    assert coding.start == text.index("read together", text.index("After"))
    assert coding.text == "read together"
    # Words found once need no choice.
    once = {**data, "version": 1, "words": "families read"}
    assert client.post(url, once).status_code == 302
    after = "together every morning. After lunch we…"
    assert actions.in_context(text, (3, 7)) == ("We", "read", after)
