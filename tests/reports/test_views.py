"""The report page, its PDF, open data and the live coverage page: who sees what, and safety."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from inpractice.workspace.models import MentionReview, QuoteReview, ThemeReview

from . import edition_helpers as eh
from . import helpers as h
from .pdf import assert_tagged_pdf

pytestmark = pytest.mark.django_db

SECRETS = (
    "contact.example.org",
    "Respondent Person",
    "Unpublished practice text",
    "Leeds quote the submitter kept private",
    "A quote nobody has reviewed yet",
    "A quote the analyst rejected",
    "Claire Mason",
    "model words only",
)


def url(name: str, call) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": call.slug})


def test_nothing_is_public_before_an_edition_is_published(client, analysed_small_call):
    call = analysed_small_call.call  # analysed but still open, no edition
    response = client.get(url("report", call))
    # A known call: a page that says so, not a 404 (ADR 19); nothing of the report on it.
    assert response.status_code == 200
    assert "is not published yet" in response.content.decode()
    assert "We know every child" not in response.content.decode()
    h.close(call)  # closed and analysed is not published either (it used to be)
    assert "is not published yet" in client.get(url("report", call)).content.decode()
    for name in ("report_pdf", "figures_csv", "figures_json"):
        assert client.get(url(name, call)).status_code == 404, name
    assert call.title not in client.get(reverse("reports:index")).content.decode()


def test_a_closed_unanalysed_call_is_not_public_and_staff_are_told_what_to_run(client, small_call):
    h.close(small_call.call)
    public = client.get(url("report", small_call.call))
    assert public.status_code == 200 and "is not published yet" in public.content.decode()
    assert client.get(reverse("reports:report", kwargs={"slug": "no-such-call"})).status_code == 404
    staff = h.staff_client(client, "lead-analyst")
    response = staff.get(url("report", small_call.call))
    assert response.status_code == 409
    assert "inpractice analyse --call open-call" in response.content.decode()


def test_the_public_report_shows_published_figures_only(client, analysed_small_call):
    call = analysed_small_call.call
    h.close(call)
    eh.publish_edition(call)
    response = client.get(url("report", call))
    assert response.status_code == 200
    page = response.content.decode()
    for secret in SECRETS:
        assert secret not in page, secret
    assert "We know every child by name and need." in page
    assert "Calm starts to the day" in page and "Transitions" in page
    assert "/evidence/" not in page  # no evidence links for the public
    assert "Staff view" not in page
    doc = lxml_html.fromstring(page)
    numbers = [n.text_content() for n in doc.xpath('//*[contains(@class,"app-snapshot__number")]')]
    assert numbers == ["4", "2", "2", "6", "5"]
    # every chart is an image with a name and a description, followed by its data table
    svgs = doc.xpath('//svg[contains(@class, "app-chart")]')
    assert svgs, "no charts"
    for svg in svgs:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert doc.get_element_by_id(title_id).text_content().strip()
        assert doc.get_element_by_id(desc_id).text_content().strip()
    assert call.title in client.get(reverse("reports:index")).content.decode()


def test_staff_see_evidence_links_and_what_awaits_review(client, analysed_small_call):
    call = analysed_small_call.call
    h.close(call)
    page = h.staff_client(client, "lead-analyst").get(url("report", call)).content.decode()
    evidence = reverse("workspace:evidence", kwargs={"slug": call.slug})
    assert f'href="{evidence}?code=p1"' in page
    assert f'href="{evidence}?code=p1&amp;phase=primary"' in page
    assert f"{evidence}?theme={analysed_small_call.themes.accepted.pk}" in page
    assert "model words only" in page and "Claire Mason" in page  # listed as not yet reviewed
    assert "No quotes approved yet" in page  # principle 2 has no approved quote
    public_view = client.get(url("report", call) + "?view=public").content.decode()
    assert evidence not in public_view and "model words only" not in public_view


def test_a_moderator_sees_the_staff_view_without_links_they_cannot_open(
    client, analysed_small_call
):
    call = analysed_small_call.call
    page = h.staff_client(client, "moderator").get(url("report", call)).content.decode()
    assert "Preview: this call is still open" in page
    assert reverse("workspace:evidence", kwargs={"slug": call.slug}) not in page


def test_text_from_submissions_stays_inert(client, analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    payload_quote = h.quote(c.run, c.s1, "p2", "We said " + h.XSS, 0)
    QuoteReview.objects.create(quote=payload_quote, status="approved")
    ThemeReview.objects.filter(theme=c.themes.accepted).update(label="Theme " + h.XSS)
    MentionReview.objects.filter(mention__mention_id="new:zones").update(name="Tool " + h.XSS)
    eh.publish_edition(c.call)
    for client_ in (client, h.staff_client(type(client)(), "lead-analyst")):
        page = client_.get(url("report", c.call)).content.decode()
        assert h.XSS not in page
        assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in page
        doc = lxml_html.fromstring(page)
        assert not [s for s in doc.xpath("//script") if "pwned" in (s.text or "")]
        assert not doc.xpath("//img[@onerror]")
        assert not doc.xpath("//@*[starts-with(name(), 'on')]")


def test_open_data_csv_and_json(client, analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    formula = '=HYPERLINK("http://example.com","click")'
    MentionReview.objects.filter(mention__mention_id="new:zones").update(name=formula)
    eh.publish_edition(c.call)
    response = client.get(url("figures_csv", c.call))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"section": "snapshot", "measure": "submissions", "count": "4"}.items() <= rows[
        0
    ].items()
    labels = [r["label"] for r in rows if r["section"] == "citations"]
    assert "'" + formula in labels and formula not in [
        r.lstrip("'") for r in labels if r != "'" + formula
    ]
    for secret in SECRETS:
        assert secret not in text

    data = client.get(url("figures_json", c.call)).json()
    assert data["snapshot"]["schools_total"] == 6
    dumped = json.dumps(data)
    for secret in SECRETS + ("We know every child",):
        assert secret not in dumped


def test_the_pdf_is_tagged_and_served_from_the_edition(client, analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    eh.publish_edition(c.call)
    response = client.get(url("report_pdf", c.call))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_tagged_pdf(response.content)
    assert client.get(url("report_pdf", c.call)).content == response.content


def test_live_coverage_before_any_analysis(client, small_call):
    call = small_call.call
    assert client.get(url("coverage", call)).status_code == 302  # sign in first
    assert h.staff_client(type(client)(), "analyst").get(url("coverage", call)).status_code == 403
    page = h.staff_client(client, "programme-admin").get(url("coverage", call)).content.decode()
    assert "Where to target outreach" in page
    doc = lxml_html.fromstring(page)
    outreach = doc.get_element_by_id("outreach").getparent().text_content()
    assert "East of England" in outreach  # no school there is represented yet
    assert "Moderate learning difficulty (MLD)" in outreach
    assert "North West" not in outreach  # no school there in this register: nothing to target
    assert "Open the insights report" not in page
    for secret in SECRETS:
        assert secret not in page


def test_analysts_appear_in_public_by_number_never_by_email(client, analysed_small_call):
    from django.contrib.auth import get_user_model

    from inpractice.workspace.models import Coding

    call = analysed_small_call.call
    h.close(call)
    analyst = get_user_model().objects.create_user(username="hidden.analyst@example.gov.uk")
    submission = analysed_small_call.s1
    Coding.objects.create(
        call=call,
        submission=submission,
        field="practice",
        start=0,
        end=5,
        text="We kn",
        code_id="p1",
        coder=analyst,
    )
    eh.publish_edition(call)
    public = client.get(url("report", call)).content.decode()
    assert "hidden.analyst@example.gov.uk" not in public
    assert "Analysts (1) reviewed the coding" in public
    staff = h.staff_client(client, "lead-analyst").get(url("report", call)).content.decode()
    assert "hidden.analyst@example.gov.uk" in staff
