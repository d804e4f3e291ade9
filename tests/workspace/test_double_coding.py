"""Blind double coding: coders never see each other's codes; the lead sees agreement, resolves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inpractice.analysis.agreement import cohens_kappa
from inpractice.coding.models import Passage
from inpractice.workspace.metrics import sample_agreement
from inpractice.workspace.models import Coding, DoubleCodingSample

from .conftest import code_passage, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(client, analysed_call, lead, analyst, second_analyst):
    signed_in(client, lead)
    response = client.post(
        reverse("workspace:samples", args=[analysed_call.slug]),
        {
            "name": "Pilot",
            "coder_a": analyst.pk,
            "coder_b": second_analyst.pk,
            "size": 3,
            "seed": 7,
        },
    )
    assert response.status_code == 302
    client.logout()
    return DoubleCodingSample.objects.get()


def test_a_lead_draws_a_reproducible_sample(sample, analysed_call):
    assert sample.submissions.count() == 3
    assert sample.coders()[0].username == "analyst@example.gov.uk"


def test_an_analyst_cannot_draw_a_sample(client, analysed_call, analyst, second_analyst):
    signed_in(client, analyst)
    response = client.post(
        reverse("workspace:samples", args=[analysed_call.slug]),
        {"name": "x", "coder_a": analyst.pk, "coder_b": second_analyst.pk, "size": 2, "seed": 1},
    )
    assert response.status_code == 403
    assert not DoubleCodingSample.objects.exists()


def test_coders_are_blind_to_each_other_and_to_the_model(
    client, sample, analysed_call, analyst, second_analyst
):
    sub = sample.submissions.order_by("pk").first()
    passage = Passage.objects.filter(submission=sub).first()
    code_passage(second_analyst, passage, "p2", sample=sample)
    signed_in(client, analyst)
    page = client.get(
        reverse("workspace:sample_submission", args=[analysed_call.slug, sample.pk, sub.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "second@example.gov.uk" not in html
    assert "Model proposes" not in html
    # Nor through the ordinary submission page (it sends the coder to the blind view) or the
    # history.
    plain = client.get(reverse("workspace:submission", args=[analysed_call.slug, sub.pk]))
    assert plain.status_code == 302
    assert plain["Location"] == reverse(
        "workspace:sample_submission", args=[analysed_call.slug, sample.pk, sub.pk]
    )
    history = client.get(reverse("workspace:history", args=[analysed_call.slug]))
    assert f"coding:{Coding.objects.get().pk}" not in history.content.decode()
    # The lead sees no agreement until both have finished.
    client.logout()


def test_agreement_matches_kappa_and_the_lead_resolves(
    client, sample, analysed_call, lead, analyst, second_analyst
):
    passages = list(Passage.objects.filter(submission__in=sample.submissions.all()).order_by("pk"))
    # Coder A codes p1 on every even passage; coder B on every passage divisible by 3.
    a_labels, b_labels = [], []
    for i, p in enumerate(passages):
        a, b = i % 2 == 0, i % 3 == 0
        if a:
            code_passage(analyst, p, "p1", sample=sample)
        if b:
            code_passage(second_analyst, p, "p1", sample=sample)
        a_labels.append(a)
        b_labels.append(b)
    signed_in(client, lead)
    url = reverse("workspace:sample", args=[analysed_call.slug, sample.pk])
    assert client.get(url).context["agreement"] is None
    for coder in (analyst, second_analyst):
        signed_in(client, coder)
        assert client.post(url).status_code == 302
    # A finished coder's codes are locked.
    locked = client.post(
        reverse(
            "workspace:sample_code_span",
            args=[analysed_call.slug, sample.pk, passages[0].submission_id],
        ),
        {"version": 0, "field": passages[0].field, "words": passages[0].text[:10], "code": "p1"},
    )
    assert locked.status_code == 403
    signed_in(client, lead)
    page = client.get(url)
    agreement = page.context["agreement"]
    p1 = next(c for c in agreement["codes"] if c["code_id"] == "p1")
    assert p1["kappa"] == pytest.approx(cohens_kappa(a_labels, b_labels))
    assert p1["kappa_ci"] is not None and p1["kappa_ci"][0] <= p1["kappa"] <= p1["kappa_ci"][1]
    disagreements = page.context["disagreements"]
    expected = sum(1 for a, b in zip(a_labels, b_labels, strict=True) if a != b)
    assert len([d for d in disagreements if d["code_id"] == "p1"]) == expected
    first = disagreements[0]
    response = client.post(
        reverse("workspace:resolve", args=[analysed_call.slug, sample.pk]),
        {"passage": first["passage"].pk, "code": "p1", "present": "yes"},
    )
    assert response.status_code == 302
    consensus = Coding.objects.get(origin="consensus")
    assert (consensus.passage_id, consensus.code_id, consensus.decision) == (
        first["passage"].pk,
        "p1",
        "applied",
    )
    assert client.get(url).context["disagreements"][0]["resolved"] == consensus
    # The agreement figures themselves come from the blind codes, not the consensus.
    again = sample_agreement(DoubleCodingSample.objects.get(), ci=False)
    assert next(c for c in again["codes"] if c["code_id"] == "p1")["kappa"] == pytest.approx(
        p1["kappa"]
    )
