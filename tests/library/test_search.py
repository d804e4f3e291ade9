"""The public search: meaning as well as words, filters, sorting, paging, highlighting, and
any input at all without an error."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inpractice.library import query as q
from inpractice.library.search import search, similar

from .factories import make_case_study

pytestmark = pytest.mark.django_db

OTHER_SUBMISSION = {
    "need_description": "Children who had fallen behind their classmates.",
    "answers": {
        "practice": "Staff plan the work together each week.",
        "impact": "Progress data improved over the year.",
        "enablers": "Time for staff to plan together.",
        "advice": "Keep it simple.",
    },
}
OTHERS = [
    (
        "Phonics catch-up in Year 2",
        "Daily phonics catch-up sessions in small groups for readers who fell behind.",
    ),
    (
        "Wheelchair basketball at sports day",
        "Adapted sports day events so pupils who use wheelchairs compete with friends.",
    ),
    (
        "Family coffee mornings",
        "Parents meet the SENCO each month to share worries and plan support together.",
    ),
    (
        "Governors who own inclusion",
        "The governing board reviews the provision map and inclusion priorities each term.",
    ),
    (
        "Maths mastery for all",
        "Concrete resources and worked examples in every maths lesson keep all pupils with peers.",
    ),
]


@pytest.fixture
def library(open_call):
    target = make_case_study(
        open_call,
        title="Visual timetables for pupils with ASD",
        summary="Picture timetables show what comes next in the day.",
        practice="Each classroom has a visual timetable; staff move a marker as the day goes on.",
        need="Some pupils find it hard when the plan for the day is not clear.",
        need_codes=["ASD"],
        phases=["primary"],
        region="E12000007",
    )
    others = [
        make_case_study(
            open_call,
            title=title,
            summary=summary,
            practice=summary,
            need="Readers and families needed more support.",
            need_codes=["SPLD"] if i % 2 else ["PD"],
            # Every section of its own, so no other case study shares the target's words.
            submission_fields=OTHER_SUBMISSION,
            need_areas=[],
            phases=["secondary"] if i % 2 else ["primary"],
            region="E12000003",
        )
        for i, (title, summary) in enumerate(OTHERS)
    ]
    return target, others


def titles(result) -> list[str]:
    from inpractice.library.models import CaseStudy

    names = dict(CaseStudy.objects.filter(pk__in=result.ids).values_list("pk", "title"))
    return [names[i] for i in result.ids]


def test_meaning_and_synonyms_find_what_the_words_do_not(library):
    target, _others = library
    result = search("helping autistic pupils cope with lesson changes", {})
    assert titles(result)[0] == target.title


def test_words_and_filters(library):
    target, others = library
    assert titles(search("phonics", {}))[0] == "Phonics catch-up in Year 2"
    primary = search("", {"phase": ["primary"]})
    assert target.pk in primary.ids and others[1].pk not in primary.ids
    both = search("", {"phase": ["primary"], "region": ["E12000007"]})
    assert both.ids == [target.pk]
    # A filter applies to the full-text hits and the semantic neighbours alike.
    filtered = search("phonics reading", {"need_code": ["ASD"]})
    assert filtered.ids == [target.pk] or filtered.ids == []
    assert search("", {"need_area": ["communication"]}).ids == [target.pk]


def test_sorting(library):
    target, others = library
    newest = search("", {}, "newest")
    assert newest.ids[0] == others[-1].pk
    by_title = titles(search("", {}, "title"))
    assert by_title == sorted(by_title, key=str.casefold)


def test_similar_case_studies(library):
    target, others = library
    ids = similar(target, limit=3)
    assert len(ids) == 3 and target.pk not in ids


def test_drafts_are_never_found(open_call, library):
    draft = make_case_study(open_call, status="draft", title="Visual timetables in the draft")
    assert draft.pk not in search("visual timetables", {}).ids
    assert draft.pk not in search("", {}).ids


def test_results_page_highlights_safely(open_call, client, library):
    make_case_study(
        open_call,
        title="<script>alert(1)</script> timetables",
        summary="Timetables & <b>bold</b> claims.",
    )
    page = client.get(reverse("library:search"), {"q": "timetables"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert '&lt;script&gt;alert(1)&lt;/script&gt; <mark class="app-mark">timetables</mark>' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_pagination_and_bad_page_numbers(open_call, client):
    for i in range(23):
        make_case_study(open_call, title=f"Practice number {i}", summary=f"Summary {i}.")
    first = client.get(reverse("library:search"))
    assert "23 case studies" in first.content.decode()
    assert len(re.findall(r'<h3 class="govuk-heading-s', first.content.decode())) == 20
    second = client.get(reverse("library:search"), {"page": "2"})
    assert len(re.findall(r'<h3 class="govuk-heading-s', second.content.decode())) == 3
    assert 'aria-label="Page 2" aria-current="page"' in second.content.decode()
    for bad in ("0", "-1", "999", "abc", "1e9"):
        assert client.get(reverse("library:search"), {"page": bad}).status_code == 200


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"unbalanced',
        "*",
        "visual*",
        "NEAR(visual timetables)",
        "NEAR",
        "-",
        "- visual",
        "title:visual",
        "tag_terms : zzphprimary",
        "AND OR NOT",
        "^visual",
        "a" * 8_000,
        "' OR 1=1 --",
        "💡🧩 timetables",
        "时间表",
        "   ",
    ],
)
def test_any_input_gives_results_or_a_message(client, library, text):
    response = client.get(reverse("library:search"), {"q": text})
    assert response.status_code == 200
    api = client.get(reverse("library:api_list"), {"q": text})
    assert api.status_code == 200 and "results" in api.json()


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%C0%AF", "%", "%%22"])
def test_bytes_that_are_not_utf8_are_fine(client, library, raw):
    assert client.get(f"{reverse('library:search')}?q={raw}").status_code == 200
    assert client.get(f"{reverse('library:api_list')}?q={raw}").status_code == 200


@pytest.mark.parametrize("text", ["visual\x00timetables", "\x00", "a" * 100_000])
def test_nul_characters_and_huge_queries_are_refused_with_a_400(client, library, text):
    # Refused before the search runs (inpractice.web.request_guards), never a 500 or 503.
    assert client.get(reverse("library:search"), {"q": text}).status_code == 400
    api = client.get(reverse("library:api_list"), {"q": text})
    assert api.status_code == 400 and api.json()["status"] == 400


def test_the_page_says_when_a_search_had_no_words(client, library):
    html = client.get(reverse("library:search"), {"q": "*** ---"}).content.decode()
    assert "no letters or numbers" in html
    html = client.get(reverse("library:search"), {"q": "word " * 600}).content.decode()
    assert "Your search was long" in html


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=300))
def test_hypothesis_text_never_breaks_the_search(library, text):
    from django.test import Client

    # A NUL character is refused before the search runs (test_nul_characters_...).
    response = Client().get(reverse("library:search"), {"q": text.replace("\x00", "")})
    assert response.status_code == 200
    parsed = q.parse(text)
    assert len(parsed.words) <= q.MAX_WORDS
    assert all(re.fullmatch(r"[^\W_]+", w) for w in parsed.words)
    search(text, {"phase": ["primary"]})


def test_fts_expressions_quote_every_word():
    parsed = q.parse('NEAR("a" b*) -c AND d:e')
    assert q.fts5_expression(parsed.words) == '("near" OR "b" OR "c" OR "d" OR "e")'
    assert q.tsquery_text(["visual", "asd"]) == "visual | asd"


def test_the_index_follows_publishing_incrementally(open_call, library):
    from inpractice.library import search as s
    from inpractice.library import services

    from .factories import ACTOR

    target, others = library
    before = s.semantic_index()
    assert set(before.ids) == {target.pk, *(o.pk for o in others)}
    services.transition(others[0], "unpublish", ACTOR)
    added = make_case_study(open_call, title="Sensory circuits before lessons", phases=["nursery"])
    after = s.semantic_index()
    assert after is not before
    assert set(after.ids) == {target.pk, added.pk, *(o.pk for o in others[1:])}
    # Every row still lines up with its own vector, tags and title.
    fresh = s._load_index(after.generation)
    order = [fresh.position[int(i)] for i in after.ids]
    assert np.allclose(after.matrix, fresh.matrix[order])
    assert search("", {"phase": ["nursery"]}).ids == [added.pk]
    assert others[0].pk not in search("phonics", {}).ids
    titles = [t.casefold() for t in sorted(titles_of(search("", {}, "title")), key=str.casefold)]
    assert titles == [t.casefold() for t in titles_of(search("", {}, "title"))]


def titles_of(result) -> list[str]:
    return titles(result)


def test_a_title_match_counts_most_on_both_databases(open_call):
    """Bodies alike: the case study whose title has the words comes first (FTS5 weighs the title
    in bm25(); PostgreSQL through the titles held in memory)."""
    body = {
        "practice": "Sensory circuits each morning; staff meet every week to plan support.",
        "need": "Pupils.",
    }
    wanted = make_case_study(open_call, title="Sensory circuits for pupils", **body)
    for title in ("Reading at home", "Breakfast club", "Governor visits"):
        make_case_study(open_call, title=title, **body)
    assert search("sensory circuits", {}).ids[0] == wanted.pk


# --- measured relevance on the judged demo library (bench/search_judgements.yaml) -------------

# nDCG@10 over the judged queries reached 0.90 on SQLite and PostgreSQL alike when the fusion was
# tuned (bench/results/search_relevance.json); the search before it scored 0.86 while returning
# 16 of the 24 case studies on average. A change that loses ranking quality or starts listing
# what nobody judged relevant fails here.
NDCG_FLOOR = 0.87
RELEVANT_SHARE_FLOOR = 0.5


@pytest.fixture
def judged_library(db) -> dict[str, int]:
    from bench.search_relevance import load_library

    return load_library()


def test_relevance_on_the_judged_queries_stays_above_its_floor(judged_library):
    from bench.search_relevance import evaluate

    figures = evaluate()
    assert figures["all"]["ndcg@10"] >= NDCG_FLOOR, figures["all"]
    # The held-out half, which no threshold was chosen on, must not fall far behind.
    assert figures["test"]["ndcg@10"] >= NDCG_FLOOR - 0.03, figures["test"]
    assert figures["all"]["share_of_results_judged_relevant"] >= RELEVANT_SHARE_FLOOR
    assert figures["all"]["zero_result_rate"] <= 0.05
    assert figures["all"]["unanswerable_with_results"] <= 0.4


def test_the_heading_counts_only_what_matches(client, judged_library):
    page = client.get(reverse("library:search"), {"q": "deaf children"}).content.decode()
    result = search("deaf children", {})
    assert 0 < result.total < 6
    heading = re.search(r'id="results-heading"[^>]*>([^<]*)<', page).group(1)
    noun = "case study matches" if result.total == 1 else "case studies match"
    assert heading == f"{result.total} {noun} “deaf children”"
    assert len(re.findall(r'<h3 class="govuk-heading-s', page)) == result.total
    browse = client.get(reverse("library:search")).content.decode()
    assert re.search(r'id="results-heading"[^>]*>24 case studies<', browse)


def test_a_search_that_matches_nothing_says_so_and_how_to_do_better(client, judged_library):
    assert search("qwertyuiop", {}).ids == []
    assert search("visual impairment braille", {}).ids == []
    assert search("ADHD medication", {}).ids == []
    page = client.get(reverse("library:search"), {"q": "qwertyuiop"}).content.decode()
    assert "No case studies match “qwertyuiop”" in page
    assert "checking your spelling" in page and "using other words" in page
    assert 'id="results"' not in page


def slugs(result) -> list[str]:
    from inpractice.library.models import CaseStudy

    names = dict(CaseStudy.objects.filter(pk__in=result.ids).values_list("pk", "slug"))
    return [names[i] for i in result.ids]


DEAF = "radio-aids-captions-and-seating-plans-small-changes-for-deaf-students"
DYSLEXIA = "dyslexia-and-literacy-outreach-for-schools"


@pytest.mark.parametrize("text", ["deaf", "hearing impairment", "HI", "hearing loss"])
def test_send_synonyms_find_each_other(judged_library, text):
    assert slugs(search(text, {}))[0] == DEAF


def test_an_abbreviation_finds_the_words_it_stands_for(judged_library):
    # "SpLD" is in the dyslexia case study only through its need code line; ASD and ASC
    # find the case studies that say autistic or autism.
    assert slugs(search("SpLD", {}))[0] == DYSLEXIA
    autism = set(slugs(search("autism", {}))[:3])
    assert set(slugs(search("ASC", {}))[:3]) == autism
    assert "partial-timetables-that-grow-autism-resourced-provision-in-a-secondary" in autism


def test_the_synonym_data_holds_only_whole_groups():
    groups = q.synonym_groups()
    terms = [t for g in groups for t in g.terms]
    assert len(terms) == len(set(terms)), "a term in two groups would join them"
    assert {"autism", "autistic", "asd", "asc"} <= set(q.concept_for("asc").terms)
    assert {"deaf", "hearing impairment"} <= set(q.concept_for("deaf").terms)
    # "HI" is understood when typed, but never searched for: SQLite's stemmer reads "his" as "hi".
    assert q.concept_for("hi").terms == q.concept_for("deaf").terms
    assert "transition" not in q.concept_for("changes").terms


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("dyslexcia", "dyslexia"), ("autisim", "autism"), ("transtion", "transition")],
)
def test_a_typing_mistake_is_searched_as_the_word_meant(client, judged_library, typed, meant):
    result = search(typed, {})
    assert result.corrections == {typed: meant}
    assert result.ids == search(meant, {}).ids
    page = client.get(reverse("library:search"), {"q": typed}).content.decode()
    assert f"No case study has “{typed}”, so we searched for “{meant}”." in page
    assert f"match “{meant}”</h2>" in page


def test_a_real_word_is_not_corrected_into_another(judged_library):
    # One letter from "playgroup" but two from any word the library has: no correction.
    assert search("playground", {}).corrections == {}
    assert search("qwertyuiop", {}).corrections == {}


def test_only_the_words_that_matched_are_highlighted(client, judged_library):
    page = client.get(reverse("library:search"), {"q": "deaf children"}).content.decode()
    marked = {m.lower() for m in re.findall(r'<mark class="app-mark">([^<]*)</mark>', page)}
    assert "deaf" in marked
    # "children" is in nearly every case study: it did not choose the results, so it is not
    # marked; nor is any word that was not searched for.
    assert marked <= {"deaf", "hearing impairment", "hearing loss", "hi", "deafness"}, marked
    assert "Including case studies that say" in page and "“hearing impairment”" in page
    spld = client.get(reverse("library:search"), {"q": "dyslexia"}).content.decode()
    assert "“SpLD”" in spld  # as the synonym data writes it


def test_highlight_patterns_match_whole_words_only():
    pattern = q.highlight_pattern(["hi", "hearing impairment", "timetables"])
    assert pattern.findall("Hi: his high hearing  impairment (HI), timetable, timetabled") == [
        "Hi",
        "hearing  impairment",
        "HI",
        "timetable",
        "timetabled",
    ]


def test_one_typing_mistake():
    from inpractice.library.search import one_edit_apart

    assert one_edit_apart("dyslexcia", "dyslexia")  # one added
    assert one_edit_apart("langauge", "language")  # two swapped
    assert one_edit_apart("awtisum", "autism") is False  # one changed and one added
    assert one_edit_apart("playground", "playgroup") is False


def test_words_too_common_to_fetch_are_looked_for_among_the_candidates(judged_library, monkeypatch):
    """At 100,000 case studies a word can be in more than the database may fetch per query; it
    is then looked for only among the best candidates, and the page says the list is a best-first
    selection. A budget of 2 rows makes "deaf" (3 case studies) such a word; the candidates are
    then the whole demo library, so the results are the same."""
    from inpractice.library import search as s

    full = search("deaf children", {})
    monkeypatch.setattr(s, "RANKING_BUDGET", {"sqlite": 2, "postgresql": 2})
    s.reset_index()
    partial = search("deaf children", {})
    assert partial.capped and not full.capped
    assert partial.ids == full.ids and slugs(partial)[0] == DEAF
