"""Finding schools and trusts by URN, name or autocomplete label, with and without JavaScript."""

import pytest
from django.urls import reverse

from inpractice.schools.lookup import resolve_school, resolve_trust

pytestmark = pytest.mark.django_db


def test_a_urn_an_exact_name_or_an_autocomplete_label_resolves_to_one_school(register):
    assert resolve_school("100003").match.urn == 100003
    assert resolve_school("hillside infant school").match.urn == 100003
    assert resolve_school("Oakfield Primary School, London (URN 100001)").match.urn == 100001


def test_an_unknown_urn_is_reported_not_guessed(register):
    result = resolve_school("123456")
    assert result.match is None and result.unknown_urn == 123456


def test_a_partial_name_gives_candidates_and_closed_schools_are_left_out(register):
    result = resolve_school("Oakfield")
    assert result.match is None
    assert [s.urn for s in result.candidates] == [100001, 100002]
    assert resolve_school("Closed Lane").candidates == []


def test_trusts_resolve_by_reference_or_name(register):
    assert resolve_trust("tr01234").match == register["trust"]
    assert resolve_trust("Northern Lights Academy Trust (trust TR01234)").match == register["trust"]
    assert resolve_trust("Northern").match == register["trust"]


def test_the_autocomplete_endpoint_returns_labels(client, register):
    data = client.get(reverse("schools:search_json"), {"q": "oak lon"}).json()
    assert [r["urn"] for r in data["results"]] == [100001, 100002]
    assert data["results"][0]["label"] == "Oakfield Primary School, London (URN 100001)"


def test_search_input_of_any_length_or_character_set_is_answered(client, register):
    for q in ["", "a", "%", "_", "'; DROP TABLE schools_school; --", "É" * 5000, "\u202ex\u0007"]:
        response = client.get(reverse("schools:search_json"), {"q": q})
        assert response.status_code == 200
        finder = client.get(reverse("schools:finder"), {"q": q})
        assert finder.status_code == 200
    # A NUL character, or more than any search needs, is refused before the look-up runs
    # (inpractice.web.request_guards): a 400, JSON for the look-up (whose script then shows no
    # suggestions), a page for the finder; never a server error or a 503.
    for q in ["\u202e\u0000x", "É" * 9000]:
        response = client.get(reverse("schools:search_json"), {"q": q})
        assert response.status_code == 400 and response.json()["status"] == 400
        assert client.get(reverse("schools:finder"), {"q": q}).status_code == 400


def test_a_long_autocomplete_label_still_resolves_by_its_urn(register):
    from inpractice.schools.models import School

    School.objects.create(
        urn=100009, name="St Mary and St John's Church of England Voluntary Aided Primary School"
    )
    label = "St Mary and St John's Church of England Voluntary Aided Primary School (URN 100009)"
    assert resolve_school(label).match.urn == 100009
