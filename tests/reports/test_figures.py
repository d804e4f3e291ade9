"""The report's figures against a small call worked out by hand (tests/reports/conftest.py)."""

from __future__ import annotations

import csv
import json
from importlib import resources

import pytest

from inpractice.coding.models import Quote
from inpractice.reports import figures as fig

pytestmark = pytest.mark.django_db


def rows_by_key(comparison) -> dict:
    return {r.key: r for r in comparison.rows}


# --- plain arithmetic --------------------------------------------------------------------------


def test_wilson_interval_matches_a_worked_example():
    # Newcombe (1998), Statistics in Medicine 17, table I: 81 of 263 -> 0.2553 to 0.3662
    low, high = fig.wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    # 0 of 10: the interval starts at 0 and does not collapse to a point
    low, high = fig.wilson_interval(0, 10)
    assert low == 0.0 and round(high, 4) == 0.2775
    assert fig.wilson_interval(0, 0) == (0.0, 1.0)


def test_status_is_decided_by_the_confidence_interval_not_the_size_of_the_gap():
    assert fig.status_for(0, 100, 0.2) == fig.NOT_REPRESENTED
    assert fig.status_for(3, 10, 0.0) == fig.NO_COMPARISON
    assert fig.status_for(0, 0, 0.5) == fig.NOT_REPRESENTED  # no evidence at all yet
    # -15.6 points with a tight interval (8,393 schools) is under-represented ...
    assert fig.status_for(round(0.244 * 8393), 8393, 0.40) == fig.UNDER_REPRESENTED
    # ... and +1.5 points is over-represented only when its interval excludes the national share
    assert fig.status_for(round(0.115 * 8393), 8393, 0.10) == fig.OVER_REPRESENTED
    assert fig.status_for(23, 200, 0.10) == fig.IN_LINE  # +1.5 points from 200: noise
    # the old "less than half" rule called 9.9% against 20% under-represented from any sample
    assert fig.status_for(1, 10, 0.2) == fig.IN_LINE
    assert fig.status_for(99, 1000, 0.2) == fig.UNDER_REPRESENTED


def test_a_large_negative_gap_is_never_in_line_while_a_small_positive_one_is_over():
    rows = fig.compare(
        {"london": 2048, "north_east": 965, "rest": 5380},
        {"london": 40, "north_east": 10, "rest": 50},
        [("london", "London"), ("north_east", "North East")],
    )
    london, north_east = rows
    assert round(london.difference, 1) == -15.6
    assert london.status == fig.UNDER_REPRESENTED
    assert london.difference_high < 0  # the whole interval is below the national share
    assert round(north_east.difference, 1) == 1.5
    assert north_east.status == fig.OVER_REPRESENTED
    assert north_east.difference_low > 0


def test_compare_uses_every_key_in_the_denominators():
    rows = fig.compare(
        {"a": 1, "b": 3, "other": 4},
        {"a": 50, "b": 30, "c": 20},
        [("a", "A"), ("b", "B"), ("c", "C")],
    )
    a, b, c = rows
    assert (a.count, a.share, a.national_share) == (1, 1 / 8, 0.5)
    # 12.5% against 50% from 8: the interval (2.2% to 47.1%) lies below 50%
    assert a.status == fig.UNDER_REPRESENTED
    assert (b.share, b.national_share, b.status) == (3 / 8, 0.3, fig.IN_LINE)
    assert (c.count, c.status) == (0, fig.NOT_REPRESENTED)
    assert round(a.difference, 6) == round((1 / 8 - 0.5) * 100, 6)
    assert a.ci_low < a.share < a.ci_high


def test_gap_sentences_name_the_groups_with_their_interval():
    comparison = fig.Comparison(
        "region",
        "Regions",
        "schools represented",
        "open schools",
        "register",
        80,
        100,
        fig.compare(
            {"a": 10, "b": 70},
            {"a": 50, "b": 30, "c": 20},
            [("a", "North East"), ("b", "London"), ("c", "South West")],
        ),
    )
    gaps = " ".join(comparison.gaps)
    assert "Not yet represented (regions): South West." in gaps
    assert (
        "North East (12.5% of schools represented against 50.0% of open schools, "
        "\u221237.5 points, 95% interval" in gaps
    )
    assert "Over-represented (regions)" in gaps and "London" in gaps


# --- coverage: works before any analysis -------------------------------------------------------


def test_snapshot_counts_each_route_once_and_ignores_drafts(small_call):
    snap = fig.coverage_figures(small_call.call).snapshot
    assert snap == {
        "submissions": 4,
        "schools_via_trusts": 2,  # 100001, 100002
        "schools_via_las_and_providers": 2,  # 107001, 107002
        "schools_direct": 2,  # 100003 and the unknown 999999
        "schools_total": 6,
        "schools_not_in_register": 1,
    }


def test_regions_and_phases_against_the_register(small_call):
    cov = fig.coverage_figures(small_call.call)
    regions = rows_by_key(cov.regions)
    london, yorkshire, east = regions["E12000007"], regions["E12000003"], regions["E12000006"]
    # 5 represented schools in the register (999999 is not), 6 open schools nationally
    assert (cov.regions.total, cov.regions.national_total) == (5, 6)
    assert (london.count, london.share, london.national_share) == (3, 0.6, 0.5)
    assert (london.submissions, yorkshire.submissions) == (2, 1)
    assert (yorkshire.count, yorkshire.national_count) == (2, 2)
    assert (east.count, east.national_count, east.status) == (0, 1, fig.NOT_REPRESENTED)
    assert regions["E12000001"].status == fig.NO_COMPARISON  # no North East school at all
    assert [r.label for r in cov.regions.not_represented] == ["East of England"]
    assert any("East of England" in s for s in cov.regions.gaps)

    phases = rows_by_key(cov.phases)
    assert (phases["primary"].count, phases["primary"].national_count) == (3, 4)
    assert (phases["secondary"].count, phases["secondary"].national_count) == (2, 2)
    assert phases["primary"].status == fig.IN_LINE


def test_needs_against_the_vendored_ehc_plan_figures(small_call):
    text = (
        resources.files("inpractice.reports")
        .joinpath("data/ehcp_primary_need_2025.csv")
        .read_text(encoding="utf-8")
    )
    national = {
        r["need_code"]: int(r["plans"])
        for r in csv.DictReader(text.splitlines())
        if r["population"] == "all_ehc_plans"
    }
    cov = fig.coverage_figures(small_call.call)
    needs = rows_by_key(cov.needs)
    # named: ASD twice (s1, s3), SLCN once, SEMH once: 4 in all
    assert cov.needs.total == 4
    assert (needs["ASD"].count, needs["ASD"].share) == (2, 0.5)
    assert needs["ASD"].national_share == pytest.approx(national["ASD"] / sum(national.values()))
    assert needs["MLD"].status == fig.NOT_REPRESENTED
    assert "Moderate learning difficulty (MLD)" in " ".join(cov.needs.gaps)
    areas = rows_by_key(cov.need_areas)
    assert (areas["communication"].count, areas["semh"].count, areas["cognition"].count) == (
        2,
        1,
        0,
    )
    assert areas["communication"].national_count == national["ASD"] + national["SLCN"]


def test_coverage_of_a_call_with_no_submissions_says_everything_is_to_be_reached(
    open_call, register
):
    cov = fig.coverage_figures(open_call)
    assert cov.snapshot["submissions"] == 0
    assert {r.key for r in cov.regions.not_represented} == {"E12000007", "E12000003"}
    assert len(cov.needs.not_represented) == 12


# --- the report --------------------------------------------------------------------------------


def test_a_call_without_a_succeeded_run_is_not_analysed(small_call):
    with pytest.raises(fig.NotAnalysed):
        fig.report_figures(small_call.call)


def test_principle_counts_and_breakdowns(analysed_small_call):
    f = fig.report_figures(analysed_small_call.call)
    assert f.principle_count == 5
    by_id = {p.code_id: p for p in f.principles}
    assert [p.code_id for p in f.principles] == ["p1", "p2", "p3", "p4", "p5"]
    assert (by_id["p1"].count, by_id["p1"].share) == (3, 0.75)
    assert (by_id["p2"].count, by_id["p4"].count, by_id["p3"].count) == (1, 1, 0)

    p1 = {b.dimension: {r.key: (r.count, r.total) for r in b.rows} for b in by_id["p1"].breakdowns}
    assert p1["org_type"] == {"school": (1, 2), "trust": (1, 1), "local_authority": (1, 1)}
    assert p1["phase"] == {"primary": (2, 3), "secondary": (2, 2)}
    assert p1["region"] == {"E12000007": (2, 2), "E12000003": (1, 1), "": (0, 1)}
    assert p1["need"] == {"communication": (2, 2), "semh": (1, 1), "": (0, 1)}


def test_only_approved_quotes_with_consent_are_shown(analysed_small_call):
    for audience in fig.AUDIENCES:
        p1 = fig.report_figures(analysed_small_call.call, audience).principles[0]
        assert [q.text for q in p1.quotes] == ["We know every child by name and need."]
        assert p1.quotes[0].attribution == "School, primary"
        status = p1.quote_status
        assert (status.proposed, status.approved, status.held_back) == (4, 2, 1)
        assert (status.rejected, status.awaiting) == (1, 1)


def test_approved_quotes_with_personal_data_are_never_shown(analysed_small_call):
    """A quote approved before the personal data check caught its kind of detail stays out."""
    quote = Quote.objects.get(text="We know every child by name and need.")
    Quote.objects.filter(pk=quote.pk).update(text="We know every child by name, says mrs patel.")
    for audience in fig.AUDIENCES:
        p1 = fig.report_figures(analysed_small_call.call, audience).principles[0]
        assert p1.quotes == []
        assert (p1.quote_status.approved, p1.quote_status.personal_data) == (2, 1)


def test_themes_public_shows_signed_off_under_the_analysts_label(analysed_small_call):
    public = fig.report_figures(analysed_small_call.call).themes
    assert [t.label for t in public.signed_off] == ["Calm starts to the day", "Transitions"]
    assert public.signed_off[1].promoted_code == "p1.transitions"
    assert public.not_reviewed == [] and public.signed_off[0].key_phrases == []
    assert (public.discarded, public.merged, public.total) == (1, 0, 4)
    staff = fig.report_figures(analysed_small_call.call, fig.STAFF).themes
    assert [t.label for t in staff.not_reviewed] == ["model words only"]


def test_mentions_reviews_and_statutory_terms(analysed_small_call):
    c = fig.report_figures(analysed_small_call.call).citations
    # the confirmed "Zones" is renamed and merges with the lexicon's entry; ELSA was rejected
    assert [(x.name, x.submissions, x.occurrences) for x in c.frameworks] == [
        ("Zones of Regulation", 2, 2)
    ]
    assert (c.distinct, c.submissions_citing, c.rejected) == (1, 2, 1)
    assert [x.name for x in c.services] == ["CAMHS"]
    assert [x.mention_id for x in c.statutory] == ["ehcp"]
    assert c.unreviewed == []  # never public
    staff = fig.report_figures(analysed_small_call.call, fig.STAFF).citations
    assert [x.name for x in staff.unreviewed] == ["Claire Mason"]


def test_evidence_links_are_built_for_staff_only(analysed_small_call):
    def link(**params) -> str:
        return "/evidence?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))

    public = fig.report_figures(analysed_small_call.call, fig.PUBLIC, evidence=link)
    assert public.principles[0].evidence == ""
    staff = fig.report_figures(analysed_small_call.call, fig.STAFF, evidence=link)
    p1 = staff.principles[0]
    assert p1.evidence == "/evidence?code=p1"
    phase = next(b for b in p1.breakdowns if b.dimension == "phase")
    assert phase.rows[0].evidence == "/evidence?code=p1&phase=primary"
    assert (
        staff.themes.signed_off[0].evidence
        == f"/evidence?theme={analysed_small_call.themes.accepted.pk}"
    )
    assert staff.citations.frameworks[0].evidence == "/evidence?mention=zones-of-regulation"


def test_open_data_holds_aggregates_only(analysed_small_call):
    f = fig.report_figures(analysed_small_call.call)
    text = json.dumps(fig.open_data(f)) + json.dumps(list(fig.open_data_rows(f)))
    for secret in (
        "contact.example.org",
        "Respondent",
        "Organisation 1",
        "Unpublished practice",
        "We know every child",  # even approved quotes stay in the report, not the data
        "Claire Mason",
        "model words only",
        "Example 1",
    ):
        assert secret not in text, secret
    data = fig.open_data(f)
    assert data["snapshot"]["submissions"] == 4 and data["snapshot"]["principles"] == 5
    assert data["principles"][0]["submissions"] == 3
    assert data["themes"][0]["label"] == "Calm starts to the day"
    with pytest.raises(ValueError):
        fig.open_data(fig.report_figures(analysed_small_call.call, fig.STAFF))
