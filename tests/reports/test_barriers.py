"""The barriers section: stance counts per principle, suppression, examples and honest wording.

A hand-made run (no model): twelve submissions, their passages and stances written row by row,
so every count below can be checked by hand against the fixture's comments.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from inpractice.coding.models import CodeApplication, Passage
from inpractice.reports import barriers as bar
from inpractice.reports import figures as fig
from inpractice.reports.build import report_context
from inpractice.workspace.models import QuoteReview

from . import helpers as h

STANCE_RECORD = {
    "kind": "trained",
    "source": "shipped",
    "features": "words+embedding+cues",
    "training": {"passages": 900, "sha256": "test", "cv": {"macro_f1": 0.6}},
}

BARRIER_QUOTE = "Waiting lists for speech therapy are far too long for our pupils."
NO_CONSENT_QUOTE = "The panel never answers our requests for a specialist place."
UNREVIEWED_QUOTE = "Guidance from the local authority is vague and keeps changing."
PRACTICE_QUOTE = "Every class has a visual timetable and a calm corner."
ENABLER_QUOTE = "Because governors protected the SENCO's time, every family was seen."
LATE_TEXT = "A barrier from a submission outside the analysed ones."


def _passage(run, s, index: int, text: str, stance: str, codes: list[str]) -> Passage:
    start = index * 100
    p = Passage.objects.create(
        run=run,
        submission=s,
        field="practice",
        index=index,
        start=start,
        end=start + len(text),
        text=text,
        stance=stance,
        stance_probability=0.8 if stance else None,
    )
    for code in codes:
        CodeApplication.objects.create(
            run=run, passage=p, code_id=code, probability=0.9, applied=True
        )
    return p


def _quote(run, passage: Passage, code: str, text: str, rank: int):
    q = h.quote(run, passage.submission, code, text, rank)
    q.start, q.end = passage.start, passage.end
    q.save()
    return q


@pytest.fixture
def stance_call(open_call, register) -> SimpleNamespace:
    """Twelve submissions; s2 gave no consent to publication; s12 has no result in the run.

    p1 (Knowing children well):
      practice  s1 s2 s3 s4 s5 s6 s7          -> 7
      barrier   s1 (twice) s2 s3 s4 s5 s8     -> 6 distinct submissions
      enabler   s6 s7                         -> 2: suppressed
      impact    none                          -> 0
      discussed s1..s8                        -> 8 (s9's p1 passage has no stance)
    p4 (Relationships): s10 impact only -> discussed by 1: the whole row suppressed.
    s12 (not analysed) has a p1 barrier passage: counted nowhere.
    """
    call = open_call
    subs = {
        n: h.submission(call, n, urns=[100003], consent="no" if n == 2 else "anonymised")
        for n in range(1, 13)
    }
    run = h.run_for(call, {subs[n]: ["p1"] for n in range(1, 12)})
    run.parameters = {**run.parameters, "stance": STANCE_RECORD}
    run.save()
    passages = {}
    for n in range(1, 8):
        passages[(n, "practice")] = _passage(run, subs[n], 0, f"Practice {n}.", "practice", ["p1"])
    for n in (1, 2, 3, 4, 5, 8):
        passages[(n, "barrier")] = _passage(run, subs[n], 1, f"Barrier {n}.", "barrier", ["p1"])
    _passage(run, subs[1], 2, "Another barrier of s1.", "barrier", ["p1"])
    for n in (6, 7):
        passages[(n, "enabler")] = _passage(run, subs[n], 1, f"Enabler {n}.", "enabler", ["p1"])
    _passage(run, subs[9], 0, "Coded before stances.", "", ["p1"])
    _passage(run, subs[10], 0, "Attendance rose.", "impact", ["p4"])
    _passage(run, subs[11], 0, "Not coded at all.", "", [])
    _passage(run, subs[12], 0, LATE_TEXT, "barrier", ["p1"])

    approved = _quote(run, passages[(1, "barrier")], "p1", BARRIER_QUOTE, 0)
    no_consent = _quote(run, passages[(2, "barrier")], "p1", NO_CONSENT_QUOTE, 1)
    _quote(run, passages[(3, "barrier")], "p1", UNREVIEWED_QUOTE, 2)  # nobody reviewed it
    practice = _quote(run, passages[(4, "practice")], "p1", PRACTICE_QUOTE, 3)
    enabler = _quote(run, passages[(6, "enabler")], "p1", ENABLER_QUOTE, 4)
    for q in (approved, no_consent, practice, enabler):
        QuoteReview.objects.create(quote=q, status="approved")
    return SimpleNamespace(call=call, run=run, subs=subs)


def _principle(figures, code: str) -> bar.PrincipleStances:
    return next(p for p in figures.barriers.principles if p.code_id == code)


def test_counts_per_principle_equal_the_hand_count(stance_call):
    f = fig.report_figures(stance_call.call, fig.PUBLIC)
    p1 = _principle(f, "p1")
    assert f.barriers.classified and f.barriers.analysed == 11
    assert p1.discussing == 8
    assert {c.stance: c.count for c in p1.counts} == {
        "practice": 7,
        "enabler": 2,
        "barrier": 6,
        "impact": 0,
    }
    barrier = p1.count_of("barrier")
    assert barrier.share == pytest.approx(6 / 11)  # of the analysed submissions
    assert barrier.share_of_discussing == pytest.approx(6 / 8)
    assert p1.sentence == (
        "Most submissions that discussed Knowing children well, early and often (88%) "
        "described practice; most (75%) also named a barrier."
    )


def test_small_counts_are_suppressed(stance_call):
    f = fig.report_figures(stance_call.call, fig.PUBLIC)
    p1, p4 = _principle(f, "p1"), _principle(f, "p4")
    assert p1.count_of("enabler").suppressed  # 2 submissions
    assert not p1.count_of("impact").suppressed  # none is not a small group
    assert not p1.count_of("barrier").suppressed
    assert p4.discussing == 1 and p4.suppressed
    assert all(c.suppressed or c.count == 0 for c in p4.counts)
    assert p4.sentence.startswith("Fewer than 5 submissions discussed")
    p2 = _principle(f, "p2")  # discussed by none: zeros are shown, not suppressed
    assert p2.discussing == 0 and not p2.suppressed
    assert not any(c.suppressed for c in p2.counts)
    assert (
        p2.sentence == "No analysed submission discussed High-quality, evidence-informed teaching."
    )
    data = fig.open_data(f)["stances"]
    row = next(r for r in data["principles"] if r["code_id"] == "p1")
    assert row["stances"]["enabler"] == {
        "submissions": None,
        "share_of_analysed": None,
        "share_of_discussing": None,
        "suppressed": True,
    }
    assert row["stances"]["barrier"]["submissions"] == 6
    p4_row = next(r for r in data["principles"] if r["code_id"] == "p4")
    assert p4_row["submissions_discussing"] is None


def test_examples_are_approved_consented_quotes_of_that_stance_only(stance_call):
    f = fig.report_figures(stance_call.call, fig.PUBLIC)
    p1 = _principle(f, "p1")
    assert [q.text for q in p1.barrier_examples] == [BARRIER_QUOTE]
    # s6 consented and the quote is approved: an enabler example even though the count is [c]
    # in the table; the count itself is never shown.
    assert [q.text for q in p1.enabler_examples] == [ENABLER_QUOTE]
    assert p1.quote_status["barrier"].held_back == 1  # approved, but s2 did not consent
    html = render_to_string("reports/_barriers.html", report_context(f))
    assert BARRIER_QUOTE in html
    for private in (NO_CONSENT_QUOTE, UNREVIEWED_QUOTE, LATE_TEXT, "Barrier 5.", "Practice 1."):
        assert private not in html
    assert PRACTICE_QUOTE not in html  # approved, but practice: not a barrier example
    assert "workspace" not in html  # no staff links in public
    assert 'id="barriers"' in html and "[c]" in html


def test_staff_get_links_by_code_and_stance(stance_call, client):
    links = []

    def link(**filters):
        links.append(filters)
        return "/evidence?" + "&".join(f"{k}={v}" for k, v in sorted(filters.items()))

    f = fig.report_figures(stance_call.call, fig.STAFF, evidence=link)
    assert _principle(f, "p1").count_of("barrier").evidence == "/evidence?code=p1&stance=barrier"
    # The workspace's evidence page lists exactly the passages behind the count.
    h.staff_client(client, "lead-analyst")
    url = reverse("workspace:evidence", kwargs={"slug": stance_call.call.slug})
    page = client.get(url, {"code": "p1", "stance": "barrier"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Barrier 1." in body and "Another barrier of s1." in body
    assert "Practice 1." not in body and "Enabler 6." not in body
    assert "Stance: Barrier" in body


def test_a_run_before_stances_says_so(stance_call):
    run = stance_call.run
    run.parameters = {k: v for k, v in run.parameters.items() if k != "stance"}
    run.save()
    f = fig.report_figures(stance_call.call, fig.PUBLIC)
    assert not f.barriers.classified and f.barriers.principles == []
    assert "made before passages were classified" in f.barriers.note
    html = render_to_string("reports/_barriers.html", report_context(f))
    assert "made before passages were classified" in html and "Most submissions" not in html
    assert fig.open_data(f)["stances"]["classified"] is False


@pytest.mark.parametrize(
    ("discussing", "counts", "expected"),
    [
        (
            10,
            {"practice": 6, "barrier": 2},
            "Most submissions that discussed X (60%) described practice; "
            "fewer than 5 named a barrier.",
        ),
        (
            10,
            {"practice": 5, "barrier": 5},
            "Half of the submissions that discussed X (50%) described practice; "
            "half (50%) named a barrier.",
        ),
        (
            1000,
            {"practice": 501, "barrier": 180},
            "Most submissions that discussed X (50.1%) described practice; "
            "a minority (18%) named a barrier.",
        ),
        (
            20,
            {"practice": 8, "barrier": 6, "impact": 7},
            "No single stance was taken by most submissions that discussed X: the most common, "
            "40%, described practice; a minority (30%) named a barrier.",
        ),
        (
            20,
            {"barrier": 12, "practice": 8},
            "Most submissions that discussed X (60%) named a barrier; "
            "a minority (40%) described practice.",
        ),
        (
            20,
            {"practice": 20},
            "Most submissions that discussed X (100%) described practice; none named a barrier.",
        ),
        (4, {"practice": 4}, "Fewer than 5 submissions discussed X: no figures are given."),
        (0, {}, "No analysed submission discussed X."),
    ],
)
def test_sentences_only_say_what_the_numbers_support(discussing, counts, expected):
    assert bar.stance_sentence("X", discussing, counts) == expected


def test_a_published_edition_and_its_pdf_carry_the_section(stance_call):
    from inpractice.reports.models import EditionSnapshot

    from .edition_helpers import publish_edition
    from .pdf import assert_tagged_pdf

    h.close(stance_call.call)
    edition = publish_edition(stance_call.call)
    snapshot = EditionSnapshot.objects.get(edition=edition)
    assert 'id="barriers"' in snapshot.html
    assert "described practice; most (75%) also named a barrier." in snapshot.html
    assert BARRIER_QUOTE in snapshot.html
    for private in (NO_CONSENT_QUOTE, UNREVIEWED_QUOTE, LATE_TEXT, "Barrier 5."):
        assert private not in snapshot.html
    assert_tagged_pdf(bytes(snapshot.pdf))
    assert snapshot.figures["stances"]["principles"][0]["stances"]["barrier"]["submissions"] == 6


def test_the_report_document_behind_the_pdf_has_the_section_once(stance_call):
    from inpractice.reports.build import render_document

    html = render_document(fig.report_figures(stance_call.call, fig.PUBLIC))
    assert html.count('id="barriers"') == 1
    assert 'href="#barriers"' in html  # in the contents
    assert BARRIER_QUOTE in html and NO_CONSENT_QUOTE not in html
