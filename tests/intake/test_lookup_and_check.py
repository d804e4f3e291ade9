"""The school look-up says when it shows only the first matches, and Check your answers names
every school covered, folded away past ten (issue 15, part 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inpractice.intake.models import CoveredSchool, Submission
from inpractice.schools.models import School

from .test_journey import ANSWERS, post_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_st_marys(register):
    camden = register["camden"]
    School.objects.bulk_create(
        School(urn=130000 + n, name="St Mary's Primary School", town=f"Upton {n:03d}",
               local_authority=camden, region=camden.region, phase="primary")
        for n in range(110)
    )  # fmt: skip


def test_the_json_look_up_gives_the_first_20_the_total_and_the_query(client, many_st_marys):
    data = client.get(reverse("schools:search_json"), {"q": " St Mary's "}).json()
    assert data["q"] == "St Mary's" and data["total"] == 110 and len(data["results"]) == 20
    few = client.get(reverse("schools:search_json"), {"q": "Oakfield"}).json()
    assert few["total"] == len(few["results"]) == 2


def test_without_javascript_the_choice_list_says_how_many_match(client, open_call, many_st_marys):
    response = client.post(
        reverse("intake:nominate", args=[open_call.slug]),
        {"school": "St Mary's", "contact_name": "Sam", "contact_email": "s@example.org",
         "reason": "Great"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400
    assert "Showing 20 of 110 schools that match" in body and "add the town to narrow it" in body
    few = client.post(reverse("intake:nominate", args=[open_call.slug]), {"school": "Oakfield"})
    assert "Showing" not in few.content.decode()


def _check(client, call) -> str:
    return client.get(reverse("intake:check", args=[call.slug])).content.decode()


def _schools_section(body: str) -> str:
    return body.split('<h2 class="govuk-heading-m">Schools covered</h2>')[1].split("</dl>")[0]


def test_check_your_answers_names_a_short_list_of_schools(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    post_page(client, open_call, "schools", {"coverage": "urn_list", "urns": "100001 107001"})
    body = _check(client, open_call)
    assert "Oakfield Primary School, London (URN 100001)" in body
    assert "Roundhay Park Primary, Leeds (URN 107001)" in body
    assert "govuk-details" not in _schools_section(body)


def test_check_your_answers_folds_away_more_than_ten_schools_and_flags_unknown_urns(
    client, open_call, register, many_st_marys
):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    urns = " ".join(str(130000 + n) for n in range(11))
    response = post_page(client, open_call, "schools", {"coverage": "urn_list", "urns": urns})
    assert response.status_code == 302
    # An imported draft can hold a URN the register does not know.
    CoveredSchool.objects.create(
        submission=Submission.objects.get(), urn=999999, school=None, in_register=False
    )
    schools = _schools_section(_check(client, open_call))
    assert "Show all 12 schools" in schools and 'class="govuk-details' in schools
    assert "St Mary&#x27;s Primary School, Upton 010 (URN 130010)" in schools
    assert "URN 999999: not in the school register" in schools


def test_one_school_is_named_once(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])
    post_page(client, open_call, "schools", ANSWERS["schools"])
    body = _check(client, open_call)
    assert body.count("Oakfield Primary School") == 2  # the answer, and the organisation
