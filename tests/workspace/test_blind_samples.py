"""Blind double coding that is blind: while a sample is open, its two coders reach its submissions
only through the blind view, and a sample never draws what either coder has already coded."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from inpractice.coding.models import Mention, Passage, Quote
from inpractice.workspace import actions, double_coding
from inpractice.workspace.blind import blind_submission_ids, without_blind_examples
from inpractice.workspace.models import Coding, DoubleCodingSample, Event
from inpractice.workspace.queue import submitted

from .conftest import code_passage, signed_in

pytestmark = pytest.mark.django_db


def _draw(call, lead, a, b, size=3, seed=7, name="Pilot"):
    sample, _chosen, _excluded = double_coding.draw_sample(
        call, lead, name=name, coder_a=a, coder_b=b, size=size, seed=seed
    )
    return sample


def _finish(sample, *coders):
    for coder in coders:
        double_coding.finish_sample(sample, coder)
    sample.refresh_from_db()


def _queue_ids(client, call, **params):
    page = client.get(reverse("workspace:queue", args=[call.slug]), params)
    assert page.status_code == 200
    return {row["submission"].pk for row in page.context["rows"]}


def test_the_queue_and_evidence_leave_out_an_open_samples_submissions_for_its_coders(
    client, analysed_call, lead, analyst, second_analyst
):
    sample = _draw(analysed_call, lead, analyst, second_analyst)
    sampled = set(sample.submissions.values_list("pk", flat=True))
    everyone = set(submitted(analysed_call).values_list("pk", flat=True))
    for coder in (analyst, second_analyst):
        signed_in(client, coder)
        assert _queue_ids(client, analysed_call) == everyone - sampled
        evidence = client.get(
            reverse("workspace:evidence", args=[analysed_call.slug]), {"code": "p1"}
        )
        shown = {p.submission_id for p in evidence.context["page"].object_list}
        assert shown and not shown & sampled
    # Everyone else sees the call as usual, the lead who resolves included.
    signed_in(client, lead)
    assert _queue_ids(client, analysed_call) == everyone
    # Finishing alone is not enough: the other coder may still be coding.
    _finish(sample, analyst)
    signed_in(client, analyst)
    assert not _queue_ids(client, analysed_call) & sampled
    _finish(sample, second_analyst)
    assert _queue_ids(client, analysed_call) == everyone


def test_a_coder_opening_the_ordinary_page_is_sent_to_the_blind_view(
    client, analysed_call, lead, analyst, second_analyst
):
    sample = _draw(analysed_call, lead, analyst, second_analyst)
    sub = sample.submissions.order_by("pk").first()
    passage = Passage.objects.filter(submission=sub).first()
    code_passage(second_analyst, passage, "p2", sample=sample)
    code_passage(lead, passage, "p3")  # someone else's open code on the same submission
    ordinary = reverse("workspace:submission", args=[analysed_call.slug, sub.pk])
    blind = reverse("workspace:sample_submission", args=[analysed_call.slug, sample.pk, sub.pk])
    signed_in(client, analyst)
    response = client.get(ordinary)
    assert response.status_code == 302 and response["Location"] == blind
    page = client.get(ordinary, follow=True)
    html = page.content.decode()
    assert f"is in the double-coding sample “{sample.name}”, which you are coding blind" in html
    assert "Model proposes" not in html
    assert "second@example.gov.uk" not in html and "lead@example.gov.uk" not in html
    # The lead (not a coder) sees the page as usual, proposals and codes included.
    signed_in(client, lead)
    page = client.get(ordinary)
    assert page.status_code == 200 and "Model proposes" in page.content.decode()
    # Until both coders have finished; then the ordinary page opens for them again.
    _finish(sample, analyst)
    signed_in(client, analyst)
    assert client.get(ordinary).status_code == 302
    _finish(sample, second_analyst)
    assert client.get(ordinary).status_code == 200


def test_changes_posted_to_the_ordinary_page_are_refused_and_nothing_is_saved(
    client, analysed_call, lead, analyst, second_analyst
):
    sample = _draw(analysed_call, lead, analyst, second_analyst)
    sub = sample.submissions.order_by("pk").first()
    passage = Passage.objects.filter(submission=sub).first()
    blind = reverse("workspace:sample_submission", args=[analysed_call.slug, sample.pk, sub.pk])
    slug = analysed_call.slug
    signed_in(client, second_analyst)
    posts = [
        (
            reverse("workspace:code_span", args=[slug, sub.pk]),
            {"version": 0, "field": passage.field, "words": passage.text[:12], "code": "p1"},
        ),
        (
            reverse("workspace:decide", args=[slug, sub.pk]),
            {"version": 0, "passage": passage.pk, "code": "p1", "decision": "accept"},
        ),
        (
            reverse("workspace:memo", args=[slug, sub.pk]),
            {"version": 0, "target": "submission", "text": "A note"},
        ),
        (reverse("workspace:reviewed", args=[slug, sub.pk]), {"version": 0, "reviewed": "yes"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"] == blind, url
    assert not Coding.objects.exists()
    assert not Event.objects.filter(submission=sub).exists()
    page = client.get(blind)
    assert "Nothing was saved." in page.content.decode()
    # In the blind view the same change is saved, inside the sample.
    response = client.post(
        reverse("workspace:sample_code_span", args=[slug, sample.pk, sub.pk]),
        {"version": 0, "field": passage.field, "words": passage.text[:12], "code": "p1"},
    )
    assert response.status_code == 302
    assert Coding.objects.get().sample == sample


def test_a_sample_leaves_out_what_either_coder_has_already_coded(
    client, analysed_call, lead, analyst, second_analyst
):
    subs = list(submitted(analysed_call).order_by("pk"))
    first = Passage.objects.filter(submission=subs[0]).first()
    second = Passage.objects.filter(submission=subs[1]).first()
    third = Passage.objects.filter(submission=subs[2]).first()
    code_passage(analyst, first)  # coded openly by the first coder
    removed = code_passage(second_analyst, second)  # coded and then removed: still seen
    actions.remove_coding(removed, second_analyst, None)
    code_passage(lead, third)  # coded by someone who is not a coder: may be drawn
    # A submission the first coder codes in an earlier sample (with someone else).
    earlier = _draw(analysed_call, lead, analyst, lead, size=1, seed=3, name="Earlier")
    in_earlier = earlier.submissions.get()
    seen = {subs[0].pk, subs[1].pk, in_earlier.pk}
    signed_in(client, lead)
    response = client.post(
        reverse("workspace:samples", args=[analysed_call.slug]),
        {
            "name": "Everything",
            "coder_a": analyst.pk,
            "coder_b": second_analyst.pk,
            "size": 500,
            "seed": 1,
        },
        follow=True,
    )
    sample = DoubleCodingSample.objects.get(name="Everything")
    drawn = set(sample.submissions.values_list("pk", flat=True))
    assert drawn == {s.pk for s in subs} - seen
    assert subs[2].pk in drawn
    html = response.content.decode()
    assert f"Sample “Everything” of {len(drawn)} submissions made." in html
    assert f"{len(seen)} submissions left out: one of the coders has already coded them" in html
    event = Event.objects.get(kind="sample.created", target=f"sample:{sample.pk}")
    assert event.after["excluded"] == len(seen)
    # The same seed on the same state draws the same sample.
    again, chosen, excluded = double_coding.draw_sample(
        analysed_call,
        lead,
        name="Again",
        coder_a=second_analyst,
        coder_b=analyst,
        size=500,
        seed=1,
    )
    assert excluded == len(seen) + len(drawn) and chosen == []


def test_history_shows_a_coder_nothing_anyone_else_did_on_a_blind_submission(
    client, analysed_call, lead, analyst, second_analyst
):
    sample = _draw(analysed_call, lead, analyst, second_analyst)
    sub = sample.submissions.order_by("pk").first()
    passage = Passage.objects.filter(submission=sub).first()
    mine = code_passage(analyst, passage, "p1", sample=sample)
    theirs = code_passage(second_analyst, passage, "p2", sample=sample)
    leads = code_passage(lead, passage, "p3")  # the lead codes it openly meanwhile
    history = reverse("workspace:history", args=[analysed_call.slug])

    def targets(user):
        signed_in(client, user)
        return {e.target for e in client.get(history).context["page"].object_list}

    seen = targets(analyst)
    assert f"coding:{mine.pk}" in seen
    assert f"coding:{theirs.pk}" not in seen and f"coding:{leads.pk}" not in seen
    assert f"sample:{sample.pk}" in seen  # events on no submission stay
    assert {f"coding:{theirs.pk}", f"coding:{leads.pk}"} <= targets(lead)
    # The submission page's own history (in the blind view) shows only the coder's changes.
    signed_in(client, analyst)
    page = client.get(
        reverse("workspace:sample_submission", args=[analysed_call.slug, sample.pk, sub.pk])
    )
    assert {e.target for e in page.context["history"]} == {f"coding:{mine.pk}"}
    # After both have finished, the lead's open code shows; the other coder's blind code never
    # does to an analyst.
    _finish(sample, analyst, second_analyst)
    seen = targets(analyst)
    assert f"coding:{leads.pk}" in seen and f"coding:{theirs.pk}" not in seen


def test_a_lead_who_codes_a_sample_is_as_blind_as_any_coder(client, analysed_call, lead, analyst):
    sample = _draw(analysed_call, lead, lead, analyst)
    sub = sample.submissions.order_by("pk").first()
    passage = Passage.objects.filter(submission=sub).first()
    theirs = code_passage(analyst, passage, "p2", sample=sample)
    signed_in(client, lead)
    history = reverse("workspace:history", args=[analysed_call.slug])
    targets = {e.target for e in client.get(history).context["page"].object_list}
    assert f"coding:{theirs.pk}" not in targets
    ordinary = reverse("workspace:submission", args=[analysed_call.slug, sub.pk])
    assert client.get(ordinary).status_code == 302
    _finish(sample, lead, analyst)
    targets = {e.target for e in client.get(history).context["page"].object_list}
    assert f"coding:{theirs.pk}" in targets


def test_a_stale_form_in_the_blind_view_does_not_show_the_other_coders_change(
    client, analysed_call, lead, analyst, second_analyst
):
    sample = _draw(analysed_call, lead, analyst, second_analyst)
    sub = sample.submissions.order_by("pk").first()
    passage = Passage.objects.filter(submission=sub).first()
    code_passage(second_analyst, passage, "p2", sample=sample)  # bumps the submission's version
    signed_in(client, analyst)
    response = client.post(
        reverse("workspace:sample_code_span", args=[analysed_call.slug, sample.pk, sub.pk]),
        {"version": 0, "field": passage.field, "words": passage.text[:12], "code": "p1"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    # A word boundary: the page's random CSRF tokens may hold the letters "p2".
    assert "second@example.gov.uk" not in html and not re.search(r"\bp2\b", html)


def test_theme_quote_and_mention_lists_leave_out_blind_submissions_for_the_coders(
    client, analysed_call, lead, analyst, second_analyst
):
    sample = _draw(analysed_call, lead, analyst, second_analyst, size=500)
    slug = analysed_call.slug
    quote = Quote.objects.filter(submission__in=sample.submissions.all()).first()
    assert quote is not None
    theme = Passage.objects.filter(submission__in=sample.submissions.all(), theme__isnull=False)
    theme = theme.first().theme
    name = Mention.objects.filter(submission__in=sample.submissions.all()).first().name
    for user, blind in ((analyst, True), (lead, False)):
        signed_in(client, user)
        quotes = client.get(reverse("workspace:quotes", args=[slug]))
        assert (quotes.context["page"].paginator.count == 0) is blind
        detail = client.get(reverse("workspace:theme", args=[slug, theme.pk]))
        assert (detail.context["page"].paginator.count == 0) is blind
        assert (list(detail.context["quotes"]) == []) is blind
        themes = client.get(reverse("workspace:themes", args=[slug]))
        assert all(row["quotes"] == [] for row in themes.context["rows"]) is blind
        # Every mention of a name is in the sample: for a coder the name has no examples.
        examples = client.get(reverse("workspace:mention_examples", args=[slug]), {"name": name})
        assert examples.status_code == (404 if blind else 200)


def test_what_changed_examples_of_blind_submissions_are_left_out(
    analysed_call, lead, analyst, second_analyst
):
    sample = _draw(analysed_call, lead, analyst, second_analyst, size=1)
    sub = sample.submissions.get()
    other = submitted(analysed_call).exclude(pk=sub.pk).first()
    changes = {
        "codes": [
            {
                "code": "p1",
                "gained_examples": [
                    {"text": "hidden", "submission": sub.reference},
                    {"text": "shown", "submission": other.reference},
                ],
                "lost_examples": [{"text": "hidden too", "submission": str(sub.pk)}],
            }
        ]
    }
    mine = without_blind_examples(changes, analysed_call, analyst)
    assert [e["text"] for e in mine["codes"][0]["gained_examples"]] == ["shown"]
    assert mine["codes"][0]["lost_examples"] == []
    assert without_blind_examples(changes, analysed_call, lead) == changes
    assert list(blind_submission_ids(analysed_call, lead)) == []


def test_the_codebook_counts_do_not_add_up_the_other_coders_blind_codes(
    client, analysed_call, lead, analyst, second_analyst
):
    sample = _draw(analysed_call, lead, analyst, second_analyst)
    passage = Passage.objects.filter(submission__in=sample.submissions.all()).first()
    code_passage(second_analyst, passage, "p2", sample=sample)
    url = reverse("workspace:codebook", args=[analysed_call.slug])
    signed_in(client, analyst)
    assert client.get(url).context["counts"].get("p2", 0) == 0
    signed_in(client, lead)
    assert client.get(url).context["counts"]["p2"] == 1
