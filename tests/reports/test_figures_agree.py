"""Figures that agree (issue 14, part 5): one denominator, region totals that add up to the unique
schools, small groups suppressed, one name for each region and need in every output, and chart
labels that are never cut inside a word. On a real database, from hand-made calls."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from inpractice.analysis.spreadsheet import write_csv
from inpractice.reports import charts
from inpractice.reports import figures as fig
from inpractice.reports.build import render_document, render_pdf
from inpractice.schools.models import School

from . import helpers as h
from .pdf import pdf_text

pytestmark = pytest.mark.django_db


def public_page(client, call) -> str:
    """The report page as the public will see it: staff preview with ?view=public (whichever
    way a call's report is published, the page is built from these figures and templates)."""
    h.staff_client(client, "lead-analyst")
    url = reverse("reports:report", kwargs={"slug": call.slug})
    response = client.get(url + "?view=public")
    assert response.status_code == 200
    return response.content.decode()


def open_data_csv(call) -> list[dict]:
    buffer = io.BytesIO()
    write_csv(fig.open_data_rows(fig.report_figures(call)), fig.CSV_COLUMNS, buffer)
    return list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))


def open_data_json(call) -> dict:
    return json.loads(json.dumps(fig.open_data(fig.report_figures(call))))


def pdf_of(call) -> str:
    return pdf_text(render_pdf(render_document(fig.report_figures(call))))


def _principle(f, code_id: str):
    return next(p for p in f.principles if p.code_id == code_id)


def test_shares_are_of_the_analysed_submissions_when_one_arrives_after_the_run(
    client, analysed_small_call
):
    c = analysed_small_call
    # a fifth response, submitted after the run: received, not analysed, not in any figure
    late = h.submission(c.call, 6, org_type="trust", needs=["MLD"], urns=[200001, 107001])
    f = fig.report_figures(c.call)
    assert (f.snapshot["submissions"], f.received) == (4, 5)
    p1 = _principle(f, "p1")
    assert (p1.count, p1.share) == (3, 0.75)  # 3 of the 4 analysed, not 3 of 5 received
    by_dim = {b.dimension: {r.key: r for r in b.rows} for b in p1.breakdowns}
    assert by_dim["org_type"]["trust"].total == 1  # s2 only: the late trust is not counted
    assert sum(r.count for r in f.coverage.needs.rows) == 4  # MLD from the late one is not
    assert f.coverage.snapshot["schools_total"] == 6  # its schools are not either
    assert f.citations.total_submissions == 4
    assert f.notes == []  # the public read the denominator once, under the snapshot
    staff = fig.report_figures(c.call, fig.STAFF)
    assert any("1 received submission is not in the current analysis run" in n for n in staff.notes)
    # live coverage counts what has been received, with no analysis needed
    assert fig.coverage_figures(c.call).snapshot["submissions"] == 5

    page = public_page(client, c.call)
    assert "Every share in this report is of the <strong>4 analysed submissions</strong>" in page
    assert "Share of 4 submissions" in page and "Share of 5 submissions" not in page
    assert page.count("have been received") == 1  # stated once
    data = open_data_json(c.call)
    assert data["denominator"]["analysed_submissions"] == 4
    assert data["denominator"]["received_submissions"] == 5
    assert late.pk  # still there, simply not analysed


def test_region_totals_add_up_to_the_unique_schools(client, analysed_small_call, register):
    c = analysed_small_call
    # a school with no region of its own falls back to its local authority's: it has a region
    School.objects.filter(urn=100003).update(region="")
    f = fig.report_figures(c.call)
    regions, phases = f.coverage.regions, f.coverage.phases
    assert f.snapshot["schools_total"] == 6
    # 999999 is not in the register: no region, shown as such, so the table adds up
    assert (regions.total, regions.not_known, regions.all_counted) == (5, 1, 6)
    assert sum(r.count for r in regions.rows) + regions.not_known == f.snapshot["schools_total"]
    assert sum(r.count for r in phases.rows) + phases.not_known == f.snapshot["schools_total"]
    london = next(r for r in regions.rows if r.key == "E12000007")
    assert london.count == 3  # 100001, 100002 and 100003 (by its local authority)

    page = public_page(client, c.call)
    assert fig.NO_REGION_LABEL in page
    rows = open_data_csv(c.call)
    region_rows = [
        r for r in rows if r["section"] == "representativeness" and r["group"] == "Regions"
    ]
    assert sum(int(r["count"]) for r in region_rows) == 6
    assert {r["label"] for r in region_rows} >= {fig.NO_REGION_LABEL, "London"}


def test_a_school_named_by_two_submissions_counts_once_in_its_region(analysed_small_call):
    c = analysed_small_call
    run = c.run
    twice = h.submission(c.call, 7, urns=[100001, 100003])  # both already covered by others
    from inpractice.coding.models import SubmissionResult

    SubmissionResult.objects.create(
        run=run,
        submission=twice,
        codes=["p1"],
        probabilities={},
        evidence_score=0.5,
        evidence_rich=False,
    )
    f = fig.report_figures(c.call)
    assert f.snapshot["submissions"] == 5 and f.snapshot["schools_total"] == 6
    london = next(r for r in f.coverage.regions.rows if r.key == "E12000007")
    assert (london.count, london.submissions) == (3, 3)
    assert f.coverage.regions.all_counted == 6


def _call_with_a_group_of_three(call, register):
    """Five submissions from schools and three from local authorities, all evidencing p1."""
    schools = [h.submission(call, n, urns=[100001 + (n % 3)], needs=["ASD"]) for n in range(1, 6)]
    las = [
        h.submission(
            call,
            10 + n,
            org_type="local_authority",
            phases=["secondary"],
            coverage="local_authority",
            la=register["leeds"],
            needs=["SEMH"],
        )
        for n in range(3)
    ]
    run = h.run_for(call, {s: ["p1"] for s in schools + las})
    return run, schools, las


def test_a_group_of_three_is_suppressed_in_the_page_the_open_data_and_the_pdf(
    client, open_call, register
):
    _call_with_a_group_of_three(open_call, register)
    f = fig.report_figures(open_call)
    p1 = _principle(f, "p1")
    org = {r.key: r for r in next(b for b in p1.breakdowns if b.dimension == "org_type").rows}
    assert (org["school"].total, org["school"].suppressed) == (5, False)
    assert (org["local_authority"].total, org["local_authority"].suppressed) == (3, True)

    page = public_page(client, open_call)
    table = page[page.index(f"{p1.number}. {p1.name}: by organisation type") :]
    table = table[: table.index("</table>")]
    la_row = table[table.index("Local authority") :]
    la_row = la_row[: la_row.index("</tr>")]
    assert "[c]" in la_row and "100.0%" not in la_row and ">3<" in la_row
    school_row = table[table.index(">School<") :]
    assert "100.0%" in school_row[: school_row.index("</tr>")]
    assert "fewer than 5 submissions" in page

    rows = open_data_csv(open_call)
    la = [
        r
        for r in rows
        if r["section"] == "principle"
        and r["label"] == "Local authority"
        and "organisation type" in r["measure"]
        and r["group"].startswith(p1.number + " ")
    ]
    assert len(la) == 1
    assert (la[0]["count"], la[0]["of"], la[0]["share"]) == ("[c]", "3", "[c]")
    data = open_data_json(open_call)
    json_la = next(
        r for r in data["principles"][0]["breakdowns"]["org_type"] if r["key"] == "local_authority"
    )
    assert json_la == {
        "key": "local_authority",
        "label": "Local authority",
        "submissions": None,
        "of": 3,
        "share": None,
        "suppressed": True,
    }
    text = re.sub(r"\s+", "", pdf_of(open_call))
    assert "[c]" in text and "fewerthan5submissions" in text


def test_one_name_for_each_region_and_need_in_the_page_open_data_and_pdf(
    client, analysed_small_call
):
    c = analysed_small_call
    page = public_page(client, c.call)
    region = "Yorkshire and The Humber"
    need = "Autistic spectrum disorder (ASD)"
    for short in ("Yorkshire &amp; Humber", "Yorkshire & Humber", "Yorkshire and Humber"):
        assert short not in page
    # in the chart (its SVG text) as well as the table
    charts_text = " ".join(re.findall(r"<svg.*?</svg>", page, re.S))
    chart_words = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", charts_text))
    assert region in chart_words and need in chart_words
    assert not re.search(r"<tspan[^>]*>ASD</tspan>", charts_text)  # not the bare code
    assert page.count(f">{region}<") >= 2  # the region table, and a breakdown row
    labels = {r["label"] for r in open_data_csv(c.call)}
    assert {region, need} <= labels
    assert not [label for label in labels if "Humber" in label and label != region]
    data = json.dumps(open_data_json(c.call), ensure_ascii=False)
    assert region in data and need in data and "Yorkshire &" not in data
    pdf = pdf_of(c.call)
    flat = re.sub(r"\s+", "", pdf)
    assert "YorkshireandTheHumber" in flat and "Yorkshire&Humber" not in flat
    assert "Autisticspectrumdisorder(ASD)" in flat


def test_chart_labels_wrap_between_words_and_are_never_cut_inside_one():
    label = "Specialist equipment and support for sport and physical education lessons"
    lines = charts.wrap_label(label, width=20, max_lines=3)
    words = set(label.split())
    assert len(lines) == 3 and lines[-1].endswith("…")
    for line in lines:
        assert all(w in words for w in line.removesuffix(" …").split()), line
    assert charts.wrap_label("Yorkshire and The Humber") == ["Yorkshire and The Humber"]
    assert " ".join(charts.wrap_label(label, width=33)) == label  # fits in three lines: whole

    svg = charts.bar_chart(
        "chart-x", "A chart", "What it shows.", [charts.Bar(label, 0.5, "50.0%", marker=0.4)]
    )
    texts = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert " ".join(texts[: len(charts.wrap_label(label))]) == label  # the wide chart: whole
    # two layouts, one shown at a time, each with its own accessible name
    assert 'class="app-chart app-chart--wide"' in svg
    assert 'class="app-chart app-chart--narrow"' in svg
    assert 'id="chart-x-title"' in svg and 'id="chart-x-narrow-title"' in svg
    assert 'viewBox="0 0 320 ' in svg
