"""Quotes: exact offsets, self-contained sentences, diverse and spread across sources."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from inpractice.analysis.embeddings import StaticEmbedder
from inpractice.analysis.quotes import (
    Candidate,
    Quote,
    personal_data,
    select_quotes,
    self_containedness,
)
from inpractice.analysis.segmentation import canonical, segment


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    return StaticEmbedder()


def candidates_from(sources: dict[str, str], relevance: float = 0.8) -> list[Candidate]:
    out = []
    for source_id, text in sources.items():
        for passage in segment(text):
            out.append(Candidate(source_id, passage.start, passage.text, relevance))
    return out


def pick(embedder, candidates, **kwargs) -> list[Quote]:
    embeddings = embedder.encode([c.passage_text for c in candidates])
    return select_quotes(candidates, embeddings, embedder=embedder, **kwargs)


SOURCES = {
    "s1": "Café Ünïcode 😀🎉 — naïve résumé first.\n\nOur SENCO meets every family before "
    "Year 7 so that needs are known before the first day of term. This has worked well.",
    "s2": "Pupils with autism use a quiet base at lunchtime, which helps them stay in lessons "
    "all afternoon. It is popular.",
    "s3": "Teachers plan lessons with visual supports so that every pupil can take part in "
    "the same learning as their peers.",
}


def test_quote_text_is_exactly_the_canonical_source_slice(embedder):
    sources = dict(SOURCES)
    # Decomposed accents and CRLF line endings: offsets refer to the canonical (NFC, \n) text.
    sources["s4"] = unicodedata.normalize(
        "NFD",
        "Élève 🧒🏽 café.\r\n\r\nThe école team runs "
        "sensory circuits every morning so pupils arrive "
        "ready to learn.",
    )
    candidates = candidates_from(sources)
    quotes = pick(embedder, candidates, k=10)
    assert len(quotes) == 4
    for quote in quotes:
        assert canonical(sources[quote.source_id])[quote.start : quote.end] == quote.text
        assert 8 <= len(quote.text.split()) <= 45
    emoji_quote = next(q for q in quotes if q.source_id == "s1")
    assert emoji_quote.text.startswith("Our SENCO meets every family")


def test_anaphoric_openers_are_avoided_when_alternatives_exist(embedder):
    candidates = [
        Candidate(
            "a",
            0,
            "This approach means pupils with autism access the full curriculum "
            "with their classmates every day.",
            0.9,
        ),
        Candidate(
            "b",
            0,
            "Pupils with autism access the full curriculum with their classmates "
            "through visual supports and calm spaces.",
            0.9,
        ),
        Candidate(
            "c",
            0,
            "However, pupils with autism now access the full curriculum with "
            "their classmates every day.",
            0.9,
        ),
    ]
    quotes = pick(embedder, candidates, k=1)
    assert [q.source_id for q in quotes] == ["b"]
    # With no alternative, the anaphoric sentence is still offered, with the reason.
    only = pick(embedder, candidates[:1], k=1)
    assert only and any("points back" in r for r in only[0].reasons)


def test_self_containedness_flags():
    assert self_containedness("Pupils with autism join every lesson with their peers.")[0] == 1.0
    for text in [
        "They join every lesson with their peers.",
        "As a result, pupils join lessons.",
        "As a\nresult, pupils join every lesson with their peers.",
        "It works well for pupils with autism in every class.",
        "these pupils join every lesson with their peers.",
    ]:
        factor, reasons = self_containedness(text)
        assert factor < 1.0 and reasons
    factor, reasons = self_containedness("After the review meeting she attends every lesson.")
    assert factor < 1.0 and "'she'" in reasons[0]
    assert self_containedness("After the review Amira said she enjoys every lesson.")[0] == 1.0
    assert self_containedness("Pupils join every lesson with their peers")[0] < 1.0
    assert self_containedness("As a\nresult, pupils join lessons.")[1] == [
        "opens with 'As a result', which points back to earlier text"
    ]


def test_personal_data_is_never_quoted(embedder):
    assert personal_data("Email jo.bloggs@school.org.uk for details.") == ["email address"]
    assert personal_data("Ring 01632 960 123 to book a place.") == ["phone number"]
    assert personal_data("Pupils in Year 7 join 30 lessons a week.") == []
    # the one check the case studies use: names and disguised details too
    assert personal_data("Ask mrs patel about the club.") == ["person's name"]
    assert personal_data("Email jane dot doughty at school dot org today.") == ["email address"]
    candidates = [
        Candidate(
            "a",
            0,
            "Families can email jo.bloggs@school.org.uk to book a place at our coffee mornings.",
            1.0,
        ),
        Candidate(
            "b",
            0,
            "Families book a place at our coffee mornings through the school "
            "office each half term.",
            0.5,
        ),
    ]
    quotes = pick(embedder, candidates, k=2)
    assert [q.source_id for q in quotes] == ["b"]


def test_near_duplicates_are_not_both_chosen(embedder):
    candidates = [
        Candidate(
            "a",
            0,
            "Sensory circuits every morning help pupils arrive calm and ready to learn.",
            0.9,
        ),
        Candidate(
            "b",
            0,
            "Sensory circuits every morning help our pupils arrive calm and ready to learn.",
            0.9,
        ),
        Candidate(
            "c",
            0,
            "Sensory circuits each morning help pupils to arrive calm and ready to learn.",
            0.9,
        ),
        Candidate(
            "d",
            0,
            "A weekly coffee morning lets parents talk to the SENCO about their "
            "child's support plan.",
            0.6,
        ),
    ]
    quotes = pick(embedder, candidates, k=2)
    assert len(quotes) == 2
    assert "d" in {q.source_id for q in quotes}
    all_quotes = pick(embedder, candidates, k=4)
    assert sum("Sensory circuits" in q.text for q in all_quotes) == 1


def test_at_most_max_per_source(embedder):
    text = " ".join(
        f"Pupils in class {n} use visual timetables and now-and-next boards to manage "
        f"change during the day."
        for n in ["one", "two", "three", "four"]
    )
    candidates = [
        Candidate("big", 10, text, 0.9),
        Candidate(
            "small",
            0,
            "Teachers use visual timetables so pupils know what happens next in every lesson.",
            0.5,
        ),
    ]
    quotes = pick(embedder, candidates, k=5, duplicate_similarity=1.01)
    assert [q.source_id for q in quotes].count("big") == 1
    assert {q.source_id for q in quotes} == {"big", "small"}
    two = pick(embedder, candidates, k=5, max_per_source=2, duplicate_similarity=1.01)
    assert [q.source_id for q in two].count("big") == 2
    for quote in two:
        if quote.source_id == "big":
            assert text[quote.start - 10 : quote.end - 10] == quote.text


def test_length_limits_and_bullets(embedder):
    candidates = [
        Candidate(
            "a",
            5,
            "- Our inclusion lead coaches every new teacher in "
            "adaptive teaching during their first term.\n- Short one.",
            0.7,
        )
    ]
    quotes = pick(embedder, candidates, k=3)
    assert len(quotes) == 1
    assert quotes[0].text.startswith("Our inclusion lead")
    assert quotes[0].start == 5 + 2
    assert pick(embedder, candidates, k=3, min_words=20) == []


def test_selection_is_deterministic(embedder):
    candidates = candidates_from(SOURCES)
    embeddings = embedder.encode([c.passage_text for c in candidates])
    first = select_quotes(candidates, embeddings, k=3, embedder=embedder)
    for _ in range(3):
        again = select_quotes(candidates, embeddings.copy(), k=3, embedder=embedder)
        assert [q.to_dict() for q in again] == [q.to_dict() for q in first]
    scores = [q.score for q in first]
    assert scores == sorted(scores, reverse=True) or len(first) < 2


def test_the_default_embedder_and_a_given_centre(embedder):
    candidates = candidates_from(SOURCES)
    embeddings = embedder.encode([c.passage_text for c in candidates])
    assert select_quotes(candidates, embeddings, k=2)  # packaged static embedder by default
    centre = embedder.encode(["visual supports so every pupil takes part in lessons"])[0]
    quotes = select_quotes(candidates, embeddings, k=1, embedder=embedder, centre=centre)
    assert quotes[0].source_id == "s3"


def test_bad_inputs():
    assert select_quotes([], np.zeros((0, 4)), k=3) == []
    with pytest.raises(ValueError, match="one row per candidate"):
        select_quotes(
            [Candidate("a", 0, "Some text here that is long enough to quote.", 1.0)],
            np.zeros((2, 4)),
        )
