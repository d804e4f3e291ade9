"""The workspace: access, the queue, coding a submission, conflicts, undo and the event log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inpractice.coding.models import CodeApplication, Passage
from inpractice.intake.models import Submission
from inpractice.workspace import actions
from inpractice.workspace.models import Coding, Event, Memo, SubmissionReview

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def _first(call) -> Submission:
    return Submission.objects.filter(call=call).order_by("reference").first()


def test_an_analyst_cannot_open_a_call_they_are_not_assigned_to(client, analysed_call, outsider):
    signed_in(client, outsider)
    sub = _first(analysed_call)
    for url in (
        reverse("workspace:queue", args=[analysed_call.slug]),
        reverse("workspace:submission", args=[analysed_call.slug, sub.pk]),
        reverse("workspace:evidence", args=[analysed_call.slug]),
        reverse("workspace:samples", args=[analysed_call.slug]),
        reverse("workspace:model_agreement", args=[analysed_call.slug]),
        reverse("workspace:history", args=[analysed_call.slug]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("workspace:code_span", args=[analysed_call.slug, sub.pk]),
        {"version": 0, "field": "practice", "words": "We", "code": "p1", "occurrence": 1},
    )
    assert response.status_code == 404
    assert not Coding.objects.exists()
    home = client.get(reverse("workspace:home"))
    assert analysed_call.title not in home.content.decode()


def test_the_public_is_sent_to_sign_in(client, analysed_call):
    response = client.get(reverse("workspace:queue", args=[analysed_call.slug]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_analysts_never_see_contact_details(client, analysed_call, analyst):
    signed_in(client, analyst)
    sub = _first(analysed_call)
    pages = [
        client.get(reverse("workspace:queue", args=[analysed_call.slug])),
        client.get(reverse("workspace:submission", args=[analysed_call.slug, sub.pk])),
        client.get(reverse("workspace:evidence", args=[analysed_call.slug]) + "?code=p1"),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "Secret Person" not in html
        assert "@example.org" not in html


def test_the_queue_filters_and_counts(client, analysed_call, analyst):
    signed_in(client, analyst)
    url = reverse("workspace:queue", args=[analysed_call.slug])
    everything = client.get(url)
    assert everything.context["page"].paginator.count == 12
    trusts = client.get(url, {"org_type": "trust"})
    assert trusts.context["page"].paginator.count == 6
    assert all(row["submission"].organisation_type == "trust" for row in trusts.context["rows"])
    primary_asd = client.get(url, {"phase": "primary", "need": "ASD"})
    assert primary_asd.context["page"].paginator.count == 6
    cognition = client.get(url, {"need": "area:communication"})
    assert cognition.context["page"].paginator.count == 12  # ASD and SLCN are both there
    leeds = client.get(url, {"region": "E12000003"})
    assert leeds.context["page"].paginator.count == 6
    sub = _first(analysed_call)
    actions.set_reviewed(sub, analyst, None, True)
    assert client.get(url, {"reviewed": "yes"}).context["page"].paginator.count == 1
    assert client.get(url, {"reviewed": "no"}).context["page"].paginator.count == 11
    assert client.get(url).context["progress"]["reviewed"] == 1
    bad = client.get(url, {"region": "Atlantis"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_coding_exact_words_records_the_span_and_an_event(client, analysed_call, analyst):
    signed_in(client, analyst)
    sub = _first(analysed_call)
    text = sub.answer("practice")
    words = text.split(".")[0].split()[2:5]
    response = client.post(
        reverse("workspace:code_span", args=[analysed_call.slug, sub.pk]),
        {
            "version": 0,
            "field": "practice",
            "words": "  ".join(words),  # extra spaces are forgiven
            "occurrence": 1,
            "code": "p2",
        },
    )
    assert response.status_code == 302
    coding = Coding.objects.get()
    assert text[coding.start : coding.end] == " ".join(words)
    assert (coding.code_id, coding.coder, coding.active) == ("p2", analyst, True)
    event = Event.objects.get(kind="coding.applied")
    assert event.actor == analyst and event.before is None
    assert event.after["start"] == coding.start and event.after["code_id"] == "p2"
    assert SubmissionReview.objects.get(submission=sub).version == 1
    page = client.get(reverse("workspace:submission", args=[analysed_call.slug, sub.pk]))
    assert '<mark class="app-coded">' in page.content.decode()


def test_words_not_in_the_answer_are_refused_clearly(client, analysed_call, analyst):
    signed_in(client, analyst)
    sub = _first(analysed_call)
    response = client.post(
        reverse("workspace:code_span", args=[analysed_call.slug, sub.pk]),
        {"version": 0, "field": "practice", "words": "not in there", "code": "p2"},
    )
    assert response.status_code == 400
    assert "Those words are not in this answer" in response.content.decode()
    assert not Coding.objects.exists() and not Event.objects.exists()


def test_accept_reject_and_change_a_proposal(client, analysed_call, analyst):
    signed_in(client, analyst)
    app = CodeApplication.objects.filter(applied=True).select_related("passage").first()
    assert app is not None, "the analysed call should have model proposals"
    sub = app.passage.submission
    url = reverse("workspace:decide", args=[analysed_call.slug, sub.pk])
    base = {"passage": app.passage_id, "code": app.code_id}
    assert client.post(url, {**base, "version": 0, "decision": "accept"}).status_code == 302
    accepted = Coding.objects.get(decision="applied")
    assert (accepted.start, accepted.end) == (app.passage.start, app.passage.end)
    other = next(c for c in ("p1", "p2", "p3") if c != app.code_id)
    response = client.post(url, {**base, "version": 1, "decision": "change", "new_code": other})
    assert response.status_code == 302
    active = Coding.objects.filter(active=True, passage=app.passage)
    assert {(c.code_id, c.decision) for c in active} == {
        (app.code_id, "rejected"),
        (other, "applied"),
    }
    kinds = list(Event.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["coding.applied", "coding.removed", "coding.rejected", "coding.applied"]


def test_a_stale_page_is_a_conflict_not_an_overwrite(
    client, analysed_call, analyst, second_analyst
):
    sub = _first(analysed_call)
    passage = Passage.objects.filter(submission=sub).first()
    # Both analysts open the page at version 0; the second saves first.
    actions.apply_code(
        sub,
        second_analyst,
        0,
        field=passage.field,
        start=passage.start,
        end=passage.end,
        code_id="p3",
    )
    signed_in(client, analyst)
    response = client.post(
        reverse("workspace:decide", args=[analysed_call.slug, sub.pk]),
        {"version": 0, "passage": passage.pk, "code": "p1", "decision": "accept"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this submission" in html
    assert "second@example.gov.uk" in html
    assert list(Coding.objects.values_list("code_id", flat=True)) == ["p3"]


def test_undo_puts_back_the_state_before_and_is_logged(client, analysed_call, analyst):
    signed_in(client, analyst)
    sub = _first(analysed_call)
    passage = Passage.objects.filter(submission=sub).first()
    coding = actions.apply_code(
        sub,
        analyst,
        None,
        field=passage.field,
        start=passage.start,
        end=passage.end,
        code_id="p4",
    )
    response = client.post(
        reverse("workspace:undo", args=[analysed_call.slug, sub.pk]), {"version": 1}
    )
    assert response.status_code == 302
    coding.refresh_from_db()
    assert coding.active is False
    undo = Event.objects.get(kind="undo")
    assert undo.undoes.kind == "coding.applied"
    assert undo.before["active"] is True and undo.after["active"] is False
    # Nothing further of the analyst's to undo: the undo itself is not undone by "undo".
    assert actions.last_undoable(sub, analyst) is None


def test_memos_on_a_submission_and_a_code(client, analysed_call, analyst):
    signed_in(client, analyst)
    sub = _first(analysed_call)
    url = reverse("workspace:memo", args=[analysed_call.slug, sub.pk])
    assert (
        client.post(
            url, {"version": 0, "target": "submission", "text": "Strong example"}
        ).status_code
        == 302
    )
    missing = client.post(url, {"version": 1, "target": "code", "text": "About p1"})
    assert missing.status_code == 400
    assert "Choose the code the memo is about" in missing.content.decode()
    assert (
        client.post(
            url, {"version": 1, "target": "code", "code": "p1", "text": "Edge of p1"}
        ).status_code
        == 302
    )
    assert list(Memo.objects.order_by("id").values_list("target", "code_id")) == [
        ("submission", ""),
        ("code", "p1"),
    ]
    assert Event.objects.filter(kind="memo.written").count() == 2


def test_model_against_human_counts_reviewed_passages(analysed_call, analyst):
    from inpractice.workspace.metrics import model_vs_human

    sub = _first(analysed_call)
    apps = CodeApplication.objects.filter(passage__submission=sub, applied=True)
    for app in apps:
        p = app.passage
        actions.apply_code(
            sub, analyst, None, field=p.field, start=p.start, end=p.end, code_id=app.code_id
        )
    actions.set_reviewed(sub, analyst, None, True)
    result = model_vs_human(analysed_call, ci=False)
    assert result["reviewed_submissions"] == 1
    assert result["passages"] == Passage.objects.filter(submission=sub).count()
    for row in result["codes"]:
        # The human accepted exactly the model's codes, so wherever defined they agree fully.
        assert row["human"] == row["model"] == row["both"]
        if row["model"]:
            assert row["precision"] == row["recall"] == row["f1"] == 1.0


def test_evidence_lists_the_passages_behind_a_code_a_theme_and_a_mention(
    client, analysed_call, analyst
):
    from inpractice.coding.models import Mention, Theme

    signed_in(client, analyst)
    url = reverse("workspace:evidence", args=[analysed_call.slug])
    by_code = client.get(url, {"code": "p1"}).context["page"]
    expected = Passage.objects.filter(codes__code_id="p1", codes__applied=True).distinct().count()
    assert by_code.paginator.count == expected and not by_code.paginator.capped
    theme = Theme.objects.order_by("-size").first()
    if theme is not None:
        in_theme = client.get(url, {"theme": theme.pk}).context["page"]
        assert in_theme.paginator.count == Passage.objects.filter(theme=theme).count()
    mention = Mention.objects.first()
    assert mention is not None, "WellComm and visual timetables should be found as mentions"
    shown = client.get(url, {"mention": mention.mention_id}).context["page"].object_list
    assert shown
    for p in shown:
        spans = Mention.objects.filter(
            mention_id=mention.mention_id, submission=p.submission, field=p.field
        )
        assert any(m.start < p.end and p.start < m.end for m in spans)


def test_a_huge_evidence_list_is_counted_only_up_to_a_cap(
    client, analysed_call, analyst, monkeypatch
):
    from inpractice.workspace.views.queue import CappedPaginator

    signed_in(client, analyst)
    url = reverse("workspace:evidence", args=[analysed_call.slug])
    total = Passage.objects.filter(codes__code_id="p1", codes__applied=True).distinct().count()
    assert total > 2
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    response = client.get(url, {"code": "p1"})
    assert response.context["page"].paginator.capped
    assert "More than 2 passages" in response.content.decode()
