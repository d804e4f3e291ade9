"""Nothing unpublished, no contact detail and no unresolved personal data reaches any public page,
the API or a download: every public URL of the library is fetched with a withdrawn, a draft and a
published case study, each carrying planted personal data."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from inpractice.library import services
from inpractice.library.models import CaseStudy

from .factories import ACTOR, PLANTED_EMAIL, PLANTED_NAME, make_case_study

pytestmark = pytest.mark.django_db

RESPONDENT = {
    "respondent_name": "Rosalind Contactperson",
    "respondent_email": "rosalind.contact@example.org",
    "respondent_role": "Deputy head and SENCO",
}


def planted(title: str) -> dict:
    return {
        "title": title,
        "practice": f"Ask {PLANTED_NAME} or email {PLANTED_EMAIL}; pupil UPN Q801200110001.",
        "submission_fields": RESPONDENT,
    }


@pytest.fixture
def world(open_call):
    published = make_case_study(
        open_call, "published", consent="anonymised", **planted("Published visual timetables")
    )
    draft = make_case_study(open_call, "draft", **planted("Draft visual timetables quixotic"))
    withdrawn = make_case_study(
        open_call, "withdrawn", **planted("Withdrawn visual timetables quixotic")
    )
    unpublished = make_case_study(
        open_call, "unpublished", **planted("Unpublished visual timetables quixotic")
    )
    return published, draft, withdrawn, unpublished


def public_urls(published: CaseStudy, others: list[CaseStudy]) -> list[str]:
    urls = [
        reverse("library:search"),
        reverse("library:search") + "?q=visual+timetables",
        reverse("library:search") + "?q=draft+withdrawn+unpublished",
        reverse("library:search") + "?q=Mrs+email+pupil&sort=title",
        reverse("library:search") + "?phase=primary&region=E12000007",
        reverse("library:case_study", args=[published.slug]),
        reverse("library:open_data"),
        reverse("library:download_csv"),
        reverse("library:download_json"),
        reverse("library:api_list"),
        reverse("library:api_list") + "?q=draft+visual",
        reverse("library:api_schema"),
        reverse("library:api_detail", args=[published.slug]),
    ]
    for other in others:
        if other.slug:
            urls += [
                reverse("library:case_study", args=[other.slug]),
                reverse("library:api_detail", args=[other.slug]),
            ]
    return urls


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def test_every_public_url_shows_only_published_checked_text(client, world):
    published, *others = world
    assert others[1].slug and others[2].slug  # withdrawn and unpublished were once public
    forbidden = [
        PLANTED_EMAIL,
        "Higginbottom",
        "Q801200110001",
        RESPONDENT["respondent_name"],
        RESPONDENT["respondent_email"],
        RESPONDENT["respondent_role"],
        "Oakfield Primary School",  # consent for the published one is anonymised
        published.submission.reference,
        "quixotic",
    ]
    for url in public_urls(published, others):
        response = client.get(url)
        assert response.status_code in (200, 404, 410), url
        text = body(response)
        for bad in forbidden:
            assert bad.lower() not in text.lower(), f"{bad!r} appears on {url}"
    page = body(client.get(reverse("library:case_study", args=[published.slug])))
    assert "Published visual timetables" in page
    # Each finding was replaced by words a reader can follow, never by a placeholder.
    assert "Ask a teacher or email the school office;" in page
    assert "removed]" not in page
    for other in others:
        if other.slug:
            assert client.get(reverse("library:case_study", args=[other.slug])).status_code == 410
            assert client.get(reverse("library:api_detail", args=[other.slug])).status_code == 404


def test_downloads_hold_exactly_the_published_case_studies(client, world):
    published, *_ = world
    data = json.loads(body(client.get(reverse("library:download_json"))))
    assert [c["slug"] for c in data["case_studies"]] == [published.slug]
    assert data["case_studies"][0]["organisation"] is None
    csv_text = body(client.get(reverse("library:download_csv")))
    assert csv_text.count("\r\n") == 2  # header and one row
    api = client.get(reverse("library:api_list")).json()
    assert api["count"] == 1 and api["results"][0]["slug"] == published.slug


def test_the_csv_cannot_run_formulas(open_call, client):
    make_case_study(open_call, title='=HYPERLINK("http://evil")', summary="+cmd|' /C calc'!A0")
    text = body(client.get(reverse("library:download_csv")))
    assert "'=HYPERLINK" in text and "'+cmd" in text


def test_unresolved_personal_data_cannot_be_forced_public(open_call):
    case_study = make_case_study(open_call, "draft", **planted("Forced"))
    for action in ("submit_for_review", "approve"):
        case_study = services.transition(case_study, action, ACTOR)
    with pytest.raises(services.CaseStudyError):
        services.transition(case_study, "publish", ACTOR)
    assert CaseStudy.objects.get(pk=case_study.pk).status == "approved"
