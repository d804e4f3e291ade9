"""Splitting one theme into parts: plain data in, the same parts out for the same seed."""

from __future__ import annotations

import numpy as np
import pytest

from inpractice.analysis.embeddings import StaticEmbedder
from inpractice.analysis.theme_split import ThemeSplitError, _shorten, split_theme, split_vectors
from inpractice.analysis.themes import readable_label

CIRCUITS = [
    "Every morning pupils start with sensory circuits in the hall.",
    "Our sensory circuits run before registration so children arrive calm.",
    "The sensory circuits include jumping, balancing and a calming cool-down.",
    "Staff lead sensory circuits for pupils who find the start of the day difficult.",
]
TIMETABLES = [
    "Each classroom displays a visual timetable with symbols for every lesson.",
    "Pupils use a personal visual timetable to see what comes next in the day.",
    "Visual timetables reduce anxiety about transitions between activities.",
    "Teachers update the visual timetable when the routine changes.",
    "We added now-and-next boards alongside the visual timetables.",
]


def blobs() -> tuple[np.ndarray, list[str], list[int], list[str]]:
    """Two well-separated groups of unit vectors: four about circuits, five about timetables."""
    rng = np.random.default_rng(3)
    a = np.array([1.0, 0.0, 0.0]) + rng.normal(0, 0.05, (4, 3))
    b = np.array([0.0, 1.0, 0.0]) + rng.normal(0, 0.05, (5, 3))
    vectors = np.vstack([a, b])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [101, 102, 103, 104, 201, 202, 203, 204, 205]
    groups = ["s1", "s1", "s2", "s3", "s4", "s4", "s5", "s6", "s7"]
    return vectors, CIRCUITS + TIMETABLES, ids, groups


def test_vectors_split_into_their_groups_largest_first():
    vectors, texts, ids, groups = blobs()
    parts = split_vectors(vectors, texts, ids, groups, parts=2, seed=0)
    assert [p["passage_ids"] for p in parts] == [[201, 202, 203, 204, 205], [101, 102, 103, 104]]
    assert [p["size"] for p in parts] == [5, 4]
    assert [p["submissions"] for p in parts] == [4, 3]
    assert "visual timetable" in parts[0]["key_phrases"]
    assert "sensory circuits" in parts[1]["key_phrases"]
    # A readable label (noun phrases, sentence case, "A, B and C"), never a list cut mid-word.
    assert parts[1]["label"].lower() == readable_label(parts[1]["key_phrases"]).lower()
    assert parts[1]["label"][0].isupper()
    assert all(len(p["examples"]) == 3 for p in parts)
    assert set(parts[1]["examples"]) <= set(CIRCUITS)


def test_the_same_seed_gives_the_same_parts():
    vectors, texts, ids, groups = blobs()
    first = split_vectors(vectors, texts, ids, groups, seed=7)
    assert split_vectors(vectors, texts, ids, groups, seed=7) == first


def test_texts_are_embedded_and_split_reproducibly():
    texts = [
        "Sensory circuits with jumping and balancing.",
        "Sensory circuits in the hall each morning.",
        "Jumping, balancing and sensory circuits.",
        "Sensory circuits calm pupils with movement.",
        "A visual timetable with picture symbols.",
        "Visual timetables show each lesson in pictures.",
        "Picture symbols on a visual timetable.",
        "Visual timetable symbols for the day ahead.",
        "Each lesson shown on a visual timetable.",
    ]
    ids = [f"p{i}" for i in range(len(texts))]
    groups = [i // 2 for i in range(len(texts))]
    first = split_theme(texts, ids, groups, seed=0, embedder=StaticEmbedder())
    assert split_theme(texts, ids, groups, seed=0, embedder=StaticEmbedder()) == first
    assert [p["passage_ids"] for p in first] == [ids[4:], ids[:4]]
    assert [p["submissions"] for p in first] == [3, 2]


def test_fewer_passages_than_the_parts_need_cannot_be_split():
    with pytest.raises(ThemeSplitError, match="has 3 passage\\(s\\): it needs at least 4"):
        split_theme(CIRCUITS[:3], [1, 2, 3], [1, 2, 3])
    with pytest.raises(ThemeSplitError, match="at least 6"):
        split_vectors(np.eye(5), [f"text {i}" for i in range(5)], range(5), range(5), parts=3)


def test_one_repeated_answer_cannot_be_split():
    with pytest.raises(ThemeSplitError, match="nothing to split"):
        split_theme(["The same words."] * 6, range(6), range(6))


def test_identical_vectors_are_too_alike_to_split():
    texts = [f"passage {i}" for i in range(6)]
    with pytest.warns(Warning), pytest.raises(ThemeSplitError, match="too alike"):
        split_vectors(np.ones((6, 3)), texts, range(6), range(6))


def test_examples_are_cut_at_a_word_boundary():
    text = "Sensory circuits before registration help pupils settle. " * 20
    short = _shorten(text, 100)
    assert len(short) <= 100 and short.endswith("…")
    assert text.startswith(short[:-1]) and text[len(short) - 1] == " "
    assert _shorten("short", 100) == "short"
