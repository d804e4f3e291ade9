"""Emergent themes: planted topics come back with their phrases, reproducibly, at any scale."""

from __future__ import annotations

import re
import tracemalloc

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from inpractice.analysis.embeddings import StaticEmbedder
from inpractice.analysis.themes import (
    WITHIN_CODE_SHARE,
    Theme,
    ThemeFinder,
    is_noun_phrase,
    mark_within_codes,
    readable_label,
    surface_forms,
    uncovered,
)

TOPICS = {
    "sensory circuits": [
        "Every morning pupils start with sensory circuits in the hall.",
        "Our sensory circuits run before registration so children arrive calm and regulated.",
        "The sensory circuits include jumping, balancing and a calming cool-down.",
        "Staff lead sensory circuits for pupils who find the start of the day difficult.",
        "After sensory circuits the children are ready to learn and settle quickly.",
    ],
    "visual timetable": [
        "Each classroom displays a visual timetable with symbols for every lesson.",
        "Pupils use a personal visual timetable to see what comes next in the day.",
        "Visual timetables reduce anxiety about transitions between activities.",
        "Teachers update the visual timetable when the routine changes.",
        "We added now-and-next boards alongside the visual timetables.",
    ],
    "coffee mornings": [
        "We hold parent coffee mornings each half term with the SENCO.",
        "Families meet other parents at our coffee mornings and share advice.",
        "The parent coffee mornings give carers an informal way to raise concerns.",
        "Attendance at parent coffee mornings has grown every year.",
        "Speakers from local services come to the parent coffee mornings.",
    ],
    "speech and language": [
        "A speech and language therapist visits weekly to work with small groups.",
        "Speech and language therapy targets are built into every lesson plan.",
        "Teaching assistants were trained by the speech and language therapy team.",
        "Children with communication needs receive speech and language therapy in school.",
        "The speech and language therapist models strategies for class teachers.",
    ],
    "lunchtime clubs": [
        "Lunchtime clubs offer a quiet space for pupils who find the playground overwhelming.",
        "Our lunchtime clubs include Lego, chess and drawing.",
        "Pupils choose a lunchtime club to build friendships in a calm setting.",
        "Older pupils help run the lunchtime clubs as buddies.",
        "The lunchtime clubs have reduced incidents on the playground.",
    ],
}
FILLERS = [
    "",
    " This has made a real difference.",
    " Staff value it highly.",
    " We review it termly.",
    " It works well for many of our pupils.",
]


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    return StaticEmbedder()


def planted(per_topic: int = 30, n_groups: int = 12, seed: int = 1):
    """Passages built from distinct vocabularies; the topic and the submission of each."""
    rng = np.random.default_rng(seed)
    texts, topics, groups = [], [], []
    for t, sentences in enumerate(TOPICS.values()):
        for _ in range(per_topic):
            texts.append(" ".join(rng.choice(sentences, 2, replace=False)) + rng.choice(FILLERS))
            topics.append(t)
            groups.append(f"sub{rng.integers(0, n_groups)}")
    return texts, np.array(topics), groups


def embed(embedder: StaticEmbedder, texts: list[str]) -> np.ndarray:
    return embedder.fit(texts).encode(texts)


def assert_recovered(finder: ThemeFinder, topics: np.ndarray) -> None:
    for t, phrase in enumerate(TOPICS):
        members = finder.labels_[topics == t]
        assigned = members[members >= 0]
        assert len(assigned) >= 0.8 * len(members), f"{phrase}: too many outliers"
        theme_id = int(np.bincount(assigned).argmax())
        purity_topic = np.mean(members == theme_id)
        theme = finder.themes_[theme_id]
        purity_theme = np.mean(topics[theme.passage_indices] == t)
        assert purity_topic >= 0.8, (phrase, purity_topic)
        assert purity_theme >= 0.8, (phrase, purity_theme)
        assert phrase in theme.label.lower(), (phrase, theme.label)


def describe(finder: ThemeFinder) -> list[tuple]:
    return [
        (
            t.id,
            t.label,
            tuple(t.key_phrases),
            t.size,
            tuple(t.passage_indices),
            tuple(t.representatives),
            t.centroid.tobytes(),
            t.coherence,
            t.submissions,
        )
        for t in finder.themes_
    ]


def test_planted_topics_are_recovered_with_their_key_phrases(embedder):
    texts, topics, groups = planted()
    X = embed(embedder, texts)
    finder = ThemeFinder(seed=0).fit(X, texts, groups)
    assert len(finder.themes_) == len(TOPICS)
    assert_recovered(finder, topics)
    for theme in finder.themes_:
        assert isinstance(theme, Theme)
        assert 3 <= len(theme.representatives) <= 5
        assert set(theme.representatives) <= set(theme.passage_indices)
        assert theme.passage_indices == sorted(theme.passage_indices)
        assert theme.submissions == len({groups[i] for i in theme.passage_indices})
        assert 0 < theme.coherence <= 1
        assert theme.centroid.shape == (X.shape[1],)
        # The label: the key phrases that read as noun phrases, in order, as "A, B and C".
        assert theme.label.lower() == readable_label(theme.key_phrases).lower()
        assert theme.label[0].isupper() and " · " not in theme.label
        # Representatives come from different submissions when the theme has enough of them.
        assert len({groups[i] for i in theme.representatives}) == len(theme.representatives)
    sizes = [t.size for t in finder.themes_]
    assert sizes == sorted(sizes, reverse=True)
    assert [t.id for t in finder.themes_] == list(range(len(finder.themes_)))


def test_labels_prefer_the_longer_phrase_and_do_not_repeat_words(embedder):
    texts, _, groups = planted()
    finder = ThemeFinder(seed=0).fit(embed(embedder, texts), texts, groups)
    labels = {re.split(r", | and (?!language)", t.label)[0].lower() for t in finder.themes_}
    assert "speech and language therapy" in labels
    for theme in finder.themes_:
        words = [w for p in theme.key_phrases for w in p.split() if w not in ENGLISH_STOP_WORDS]
        assert len(words) == len(set(words)), theme.key_phrases


def test_same_seed_gives_identical_themes_and_another_seed_is_still_sensible(embedder):
    texts, topics, groups = planted()
    X = embed(embedder, texts)
    a = ThemeFinder(seed=3).fit(X, texts, groups)
    b = ThemeFinder(seed=3).fit(X.copy(), list(texts), list(groups))
    assert describe(a) == describe(b)
    assert np.array_equal(a.labels_, b.labels_)
    other = ThemeFinder(seed=11).fit(X, texts, groups)
    assert_recovered(other, topics)


def test_transform_agrees_with_fit_and_marks_far_passages_as_outliers(embedder):
    texts, topics, groups = planted()
    X = embed(embedder, texts)
    finder = ThemeFinder(seed=0).fit(X, texts, groups)
    assert np.array_equal(finder.transform(X), finder.labels_)
    assert np.array_equal(finder.fit_transform(X, texts, groups), finder.labels_)
    strangers = [
        "Quarterly procurement invoices for photocopier toner cartridges were reconciled.",
        "The volcanic eruption in Iceland disrupted transatlantic aviation schedules.",
    ]
    assert list(finder.transform(embedder.encode(strangers))) == [-1, -1]


def test_outliers_are_minus_one_and_a_fixed_threshold_can_be_set():
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((4, 32))
    X = np.vstack([c + 0.3 * rng.standard_normal((50, 32)) for c in centres])
    X = np.vstack([X, 3 * rng.standard_normal((3, 32))])  # three strays near no centre
    X = (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32)
    texts = [f"group{i // 50} note" for i in range(len(X))]
    finder = ThemeFinder(seed=0).fit(X, texts)
    assert len(finder.themes_) == 4
    assert list(finder.labels_[-3:]) == [-1, -1, -1]
    assert np.mean(finder.labels_[:-3] >= 0) > 0.95
    everyone = ThemeFinder(seed=0, outlier_z=None).fit(X, texts)
    assert (everyone.labels_ >= 0).all()
    strict = ThemeFinder(seed=0, outlier_threshold=0.999).fit(X, texts)
    assert (strict.labels_ == -1).mean() > 0.9


def test_a_theme_from_a_single_submission_is_dropped(embedder):
    texts, topics, groups = planted()
    solo = [
        "Our minibus routes were redesigned so every pupil can travel to the farm visit.",
        "The minibus routes now include a wheelchair accessible vehicle for farm trips.",
        "Drivers on the minibus routes are trained in first aid and calm communication.",
        "Minibus routes are planned with parents so the farm visits suit every child.",
    ]
    extra = [" ".join(pair) for pair in zip(solo * 5, solo[1:] * 5 + solo[:1], strict=False)]
    all_texts = texts + extra
    X = embed(embedder, all_texts)
    with_groups = ThemeFinder(seed=0).fit(X, all_texts, groups + ["solo"] * len(extra))
    assert all(t.submissions >= 2 for t in with_groups.themes_)
    assert all("minibus" not in t.label.lower() for t in with_groups.themes_)
    assert (with_groups.labels_[len(texts) :] == -1).all()
    without_groups = ThemeFinder(seed=0).fit(X, all_texts)
    assert any("minibus" in t.label.lower() for t in without_groups.themes_)
    assert all(t.submissions is None for t in without_groups.themes_)


def test_small_inputs_do_not_crash(embedder):
    texts, _, groups = planted(per_topic=6, n_groups=30)  # 30 passages
    X = embed(embedder, texts)
    finder = ThemeFinder(seed=0).fit(X, texts, groups)
    assert 1 <= len(finder.themes_) <= 5
    assert finder.labels_.shape == (30,)
    # More themes asked for than there are passages, or too few passages for any theme.
    few = ThemeFinder(n_themes=10, min_size=1, min_submissions=1).fit(X[:4], texts[:4])
    assert len(few.labels_) == 4 and len(few.themes_) <= 4
    none = ThemeFinder(min_size=50).fit(X, texts, groups)
    assert none.themes_ == [] and (none.labels_ == -1).all()
    assert (none.transform(X) == -1).all()
    empty = ThemeFinder().fit(np.zeros((0, 256), dtype=np.float32), [])
    assert empty.themes_ == [] and len(empty.labels_) == 0
    duplicates = ThemeFinder(n_themes=5).fit(np.repeat(X[:1], 12, axis=0), [texts[0]] * 12)
    assert len(duplicates.themes_) == 1 and duplicates.themes_[0].size == 12


def test_stop_phrases_are_kept_out_of_labels(embedder):
    texts, _, groups = planted()
    finder = ThemeFinder(seed=0, stop_phrases=["lunchtime clubs", "sensory"]).fit(
        embed(embedder, texts), texts, groups
    )
    for theme in finder.themes_:
        assert "lunchtime clubs" not in theme.key_phrases
        assert not any(
            p.split()[0] == "sensory" or p.split()[-1] == "sensory" for p in theme.key_phrases
        )


def test_mismatched_inputs_are_refused():
    X = np.zeros((3, 8), dtype=np.float32)
    with pytest.raises(ValueError, match="texts"):
        ThemeFinder().fit(X, ["a", "b"])
    with pytest.raises(ValueError, match="groups"):
        ThemeFinder().fit(X, ["a", "b", "c"], ["g"])


def test_uncovered_selects_passages_no_code_explains():
    p = np.array([[0.9, 0.1], [0.2, 0.3], [0.5, 0.49], [0.0, 0.0]])
    assert list(uncovered(p)) == [False, True, False, True]
    assert list(uncovered(p, threshold=0.95)) == [True, True, True, True]
    assert uncovered(np.zeros((3, 0))).all()


def test_two_hundred_thousand_passages_with_working_memory_below_the_input():
    # How fast this runs is measured in bench/core_speed_bench.py, not here:
    # a wall-clock bound in the suite fails on a loaded machine and proves nothing on a quiet one.
    n, dim = 200_000, 256
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((30, dim)).astype(np.float32)
    topic = rng.integers(0, 30, n)
    X = centres[topic] + 2.0 * rng.standard_normal((n, dim), dtype=np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    texts = [f"Pupils use approach{t} with support{i % 13}." for i, t in enumerate(topic)]
    groups = [f"s{i // 7}" for i in range(n)]
    tracemalloc.start()
    finder = ThemeFinder(seed=0, n_themes=20, n_init=1, sample_size=20_000).fit(X, texts, groups)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 0.75 * X.nbytes, peak / 2**20  # working memory well below the input itself
    assert len(finder.themes_) == 20
    assert sum(t.size for t in finder.themes_) + (finder.labels_ == -1).sum() == n


def test_split_topics_merge_and_the_reducer_is_swappable(embedder):
    from sklearn.decomposition import TruncatedSVD

    texts, topics, groups = planted()
    X = embed(embedder, texts)
    split = ThemeFinder(n_themes=8, merge_threshold=None).fit(X, texts, groups)
    assert len(split.themes_) == 8
    merged = ThemeFinder(n_themes=8, merge_threshold=0.5).fit(X, texts, groups)
    assert len(merged.themes_) == len(TOPICS)
    assert_recovered(merged, topics)
    assert np.array_equal(merged.transform(X), merged.labels_)
    svd = ThemeFinder(reducer=TruncatedSVD(20, random_state=0)).fit(X, texts, groups)
    assert_recovered(svd, topics)


def test_transform_before_fit_is_an_error():
    with pytest.raises(RuntimeError, match="not fitted"):
        ThemeFinder().transform(np.zeros((2, 4), dtype=np.float32))


# ------------------------------------------------------------------ readable labels


@pytest.mark.parametrize(
    "phrase",
    [
        "sensory circuits",
        "zones of regulation",
        "speech and language therapy",
        "targeted support",
        "pupils with autism",
        "member of school staff",
        "early help",
        "calm corners",
    ],
)
def test_noun_phrases_are_accepted(phrase):
    assert is_noun_phrase(phrase)


@pytest.mark.parametrize(
    "phrase",
    # The fragments a demo theme was once labelled with, and other clauses.
    [
        "share a short summary",
        "comments shifted from send",
        "staff feel confident",
        "arrive calm and regulated",
        "pupils settle quickly",
        "make the most",
        "children happier",
    ],
)
def test_clauses_are_not_noun_phrases(phrase):
    assert not is_noun_phrase(phrase)


def test_a_label_reads_as_a_phrase_with_the_passages_capitals():
    forms = surface_forms(
        ["Our SENCO runs sensory circuits.", "The SENCO uses Makaton signs.", "We use Makaton."]
    )
    assert forms["senco"] == "SENCO" and forms["makaton"] == "Makaton" and forms["uses"] == "uses"
    label = readable_label(
        ["share a short summary", "senco", "makaton signs", "sensory circuits", "calm corners"],
        forms,
    )
    assert label == "SENCO, Makaton signs and sensory circuits"
    assert (
        readable_label(["sensory circuits", "calm corners"]) == "Sensory circuits and calm corners"
    )
    assert readable_label([]) == ""
    # Nothing reads as a noun phrase: the first phrase, whole.
    assert readable_label(["share a short summary"]) == "Share a short summary"


def test_a_long_label_loses_whole_phrases_never_part_of_a_word():
    phrases = ["speech and language therapy", "educational psychology service", "pupil's day"]
    assert readable_label(phrases, limit=60) == "Speech and language therapy"
    assert readable_label(phrases, limit=90) == (
        "Speech and language therapy, educational psychology service and pupil's day"
    )
    words = set(re.findall(r"[\w']+", " ".join(phrases).lower()))
    for limit in range(1, 90):
        cut = readable_label(phrases, limit=limit)
        assert len(cut) <= max(limit, len("Speech…")), (limit, cut)
        # Every word in the label is a whole word of the phrases: "pupil's d" cannot happen.
        assert all(w in words for w in re.findall(r"[\w']+", cut.lower())), (limit, cut)


def _theme(indices: list[int]) -> Theme:
    return Theme(
        id=0,
        label="Sensory circuits",
        key_phrases=["sensory circuits"],
        size=len(indices),
        passage_indices=indices,
        representatives=indices[:3],
        centroid=np.zeros(2, dtype=np.float32),
        coherence=0.5,
    )


def test_a_theme_mostly_inside_one_code_is_labelled_within_it():
    explained = np.zeros((10, 2), dtype=bool)
    explained[:7, 0] = True  # 7 of the first theme's 10 passages carry code A
    explained[:3, 1] = True
    mostly, partly = _theme(list(range(10))), _theme([0, 1, 7, 8, 9])
    mark_within_codes([mostly, partly], explained, ["Knowing children well", "Teaching"])
    assert WITHIN_CODE_SHARE <= 0.7
    assert mostly.within_code == "Knowing children well" and mostly.within_share == 0.7
    assert mostly.label == "Sensory circuits (within Knowing children well)"
    assert partly.within_code is None and partly.label == "Sensory circuits"  # 2 of 5: emergent
    # Marking twice does not label twice.
    mark_within_codes([mostly], explained, ["Knowing children well", "Teaching"])
    assert mostly.label.count("within") == 1
    assert mostly.to_dict()["within_code"] == "Knowing children well"
    with pytest.raises(ValueError, match="one column per code"):
        mark_within_codes([mostly], explained, ["only one"])


def test_a_clause_gives_its_opening_noun_phrase_not_its_end():
    assert readable_label(["pupils with send fell"], {"send": "SEND"}) == "Pupils with SEND"
    assert readable_label(["share a short summary", "calm corners"]) == "Calm corners"
