"""The stance classifier: cue lexicon, training, save/load, the shipped model and the pipeline."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from inpractice.analysis.codebook import load_codebook
from inpractice.analysis.pipeline import Document, analyse
from inpractice.analysis.stance import (
    BARRIER,
    CUE_STANCES,
    ENABLER,
    IMPACT,
    PRACTICE,
    STANCES,
    CueLexicon,
    StanceClassifier,
    default_lexicon,
    lexicon_stances,
    macro_f1,
    parse_lexicon,
    shipped_manifest,
    shipped_model_dir,
    shipped_stance_classifier,
    training_hash,
)

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT / "eval" / "devset"

TOY = {
    PRACTICE: [
        "Every class has a visual timetable and a calm corner.",
        "The SENCO meets each parent termly to review the plan.",
        "We run a nurture group for pupils with SEMH needs every morning.",
        "Teachers use pre-teaching of vocabulary before each topic.",
        "Our trust has a shared graduated response flowchart for all schools.",
        "Pupils have a key adult who checks in with them at the start of the day.",
    ],
    ENABLER: [
        "Because governors protected the SENCO's time, we could see every family.",
        "Training from the outreach team gave staff the confidence to adapt lessons.",
        "Strong partnership with health means referrals are quick.",
        "Thanks to extra funding from the trust, we could employ a speech therapist.",
        "A clear vision from leaders enables staff to put inclusion first.",
        "Protected time for teachers to plan together made the approach possible.",
    ],
    BARRIER: [
        "Waiting times for speech and language therapy are too long.",
        "Leaders have not ensured that plans are reviewed on time.",
        "Funding does not cover the support pupils need.",
        "There is a lack of specialist places and support is fragmented.",
        "Guidance from the local authority is vague and inconsistent.",
        "Staff are stretched and have not had training in autism.",
    ],
    IMPACT: [
        "Attendance for these pupils has risen from 84 % to 93 %.",
        "Pupils with SEND achieve well and make strong progress.",
        "Parents say they now feel listened to.",
        "Fixed-term exclusions fell by half over two years.",
        "Reading ages improved by an average of eighteen months.",
        "Pupils are well prepared for their next steps and attendance improved.",
    ],
}
TEXTS = [t for s in STANCES for t in TOY[s]]
LABELS = [s for s in STANCES for _ in TOY[s]]


@pytest.fixture(scope="module")
def toy_model() -> StanceClassifier:
    return StanceClassifier(C=10.0).fit(TEXTS, LABELS, cross_validate=False)


def test_cue_counts_are_whole_words_and_phrases():
    counts = default_lexicon().counts(
        [
            "Waiting times are too long.",
            "Attendance has improved: 84 % now.",
            "Every class has a visual timetable.",
            "Thanks to the trust, leaders can't ignore it.",
        ]
    )
    column = {s: CUE_STANCES.index(s) for s in CUE_STANCES}
    assert counts[0, column[BARRIER]] == 2  # "waiting", "too long"
    assert counts[1, column[IMPACT]] == 3  # "attendance", "improved", "%"
    assert not counts[2].any()
    assert counts[3, column[ENABLER]] == 1 and counts[3, column[BARRIER]] == 1  # "can't" (’ too)
    # Whole words only: "delayed" is a cue, "delayedness" holds none; ’ matches '.
    lexicon = CueLexicon({BARRIER: ("delayed", "don't")})
    assert lexicon.counts(["delayedness", "We don’t know", "It was delayed."])[:, 0].tolist() == [
        0,
        1,
        1,
    ]


def test_lexicon_baseline_defaults_to_practice_and_gives_ties_to_the_barrier():
    assert lexicon_stances(
        [
            "Every class has a visual timetable.",
            "Attendance improved but waiting times are too long.",
            "Attendance improved a great deal.",
        ]
    ) == [PRACTICE, BARRIER, IMPACT]


def test_a_lexicon_with_an_unknown_stance_is_refused_by_name():
    with pytest.raises(ValueError, match="stance.yaml: unknown stance 'hope'"):
        parse_lexicon({"cues": {"hope": ["maybe"]}}, "stance.yaml")
    with pytest.raises(ValueError, match="must be a list of phrases"):
        parse_lexicon({"cues": {BARRIER: "too long"}}, "stance.yaml")


def test_macro_f1_by_hand():
    truth = [PRACTICE, PRACTICE, BARRIER, IMPACT]
    guess = [PRACTICE, BARRIER, BARRIER, PRACTICE]
    # practice: tp 1, 2 true + 2 predicted -> 0.5; barrier: tp 1, 1 + 2 -> 2/3; impact 0;
    # enabler: absent from both -> 0 (not skipped).
    assert macro_f1(truth, guess) == pytest.approx((0.5 + 2 / 3 + 0 + 0) / 4)


def test_classifier_learns_toy_stances(toy_model):
    probs = toy_model.predict_proba(TEXTS)
    assert probs.shape == (len(TEXTS), 4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-9)
    assert toy_model.predict(TEXTS) == LABELS
    unseen = toy_model.predict(
        [
            "Waiting lists for assessment are far too long and support is fragmented.",
            "Attendance rose and exclusions fell.",
        ]
    )
    assert unseen == [BARRIER, IMPACT]
    about = toy_model.describe()
    assert about["training"]["sha256"] == training_hash(TEXTS, LABELS)
    assert about["training"]["by_stance"] == dict.fromkeys(STANCES, 6)


def test_cross_validation_is_recorded_and_grouped():
    groups = [f"doc{i % 6}" for i in range(len(TEXTS))]
    model = StanceClassifier().fit(TEXTS, LABELS, groups=groups)
    cv = model.training_["cv"]
    assert cv["grouped"] is True and 0.0 <= cv["macro_f1"] <= 1.0 and cv["folds"] == 5


def test_training_refuses_unknown_or_single_stances():
    with pytest.raises(ValueError, match="unknown stances hope"):
        StanceClassifier().fit(["a text", "another"], [PRACTICE, "hope"])
    with pytest.raises(ValueError, match="at least two stances"):
        StanceClassifier().fit(["a text", "another"], [PRACTICE, PRACTICE])
    with pytest.raises(ValueError, match="not trained"):
        StanceClassifier().predict(["a text"])


def test_save_and_load_round_trip(tmp_path, toy_model):
    toy_model.save(tmp_path / "model", note="test")
    assert not list(tmp_path.glob("**/*.pkl"))  # arrays and JSON, never pickle
    again = StanceClassifier().load(tmp_path / "model")
    np.testing.assert_allclose(
        again.predict_proba(TEXTS), toy_model.predict_proba(TEXTS), atol=1e-6
    )
    assert again.training_ == toy_model.training_
    manifest = json.loads((tmp_path / "model" / "manifest.json").read_text())
    assert manifest["note"] == "test" and manifest["stances"] == list(STANCES)
    # Another cue lexicon would read other features: refused, with what to do.
    other = CueLexicon({BARRIER: ("too long",)})
    with pytest.raises(ValueError, match="another cue lexicon: retrain"):
        StanceClassifier(lexicon=other).load(tmp_path / "model")
    manifest["embedder"] = "another-model"
    (tmp_path / "model" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="trained on another-model embeddings"):
        StanceClassifier().load(tmp_path / "model")


def test_pipeline_gives_a_stance_only_to_coded_passages(toy_model):
    documents = [
        Document(
            f"S{i}",
            {
                "practice": (
                    "Every child is screened for speech and language needs in the first weeks "
                    "of Reception, so we know who needs help before they fall behind. "
                    "Waiting times for speech therapy are too long."
                ),
                "impact": "Ok.",
            },
        )
        for i in range(3)
    ]
    result = analyse(documents, load_codebook("default"), stance=toy_model)
    coded = result.passage_labels().any(axis=1)
    assert coded.any()
    assert (result.stances[coded] >= 0).all() and (result.stances[~coded] == -1).all()
    stance, probability = result.stance(int(np.flatnonzero(coded)[0]))
    assert stance in STANCES and 0.25 <= probability <= 1.0
    assert result.parameters["stance"]["training"]["sha256"] == toy_model.training_["sha256"]
    assert "stance" in result.timings
    none = analyse(documents, load_codebook("default"), stance=False)
    assert (none.stances == -1).all() and none.parameters["stance"] is None
    assert none.stance(0) == ("", None)


# -- the shipped model (python -m eval.train_stance) -------------------------------------------

shipped = pytest.mark.skipif(
    shipped_model_dir() is None, reason="no stance model shipped yet (python -m eval.train_stance)"
)


@shipped
def test_the_shipped_model_loads_and_was_measured_above_its_baselines():
    model = shipped_stance_classifier()
    assert model is not None and model.describe()["source"] == "shipped"
    manifest = shipped_manifest()
    assert manifest["training"]["passages"] >= 800
    assert manifest["training"]["cv"]["grouped"] is True
    measured = manifest["heldout_figures"]
    assert measured["classifier"]["macro_f1"] > measured["majority_baseline"]["macro_f1"] + 0.2
    assert measured["classifier"]["macro_f1"] > measured["lexicon_baseline"]["macro_f1"]
    # Unambiguous passages written for this test (not in the training set).
    assert model.predict(
        [
            "Waiting times for an autism assessment are far too long and families are left "
            "without support.",
            "Attendance for pupils with EHC plans has risen from 84% to 93% this year.",
        ]
    ) == [BARRIER, IMPACT]


def _stance_rows() -> list[dict]:
    from eval.labelled_set import is_heldout

    a = {r["id"]: r["stance"] for r in map(json.loads, (DEVSET / "stance_coder_a.jsonl").open())}
    b = {r["id"]: r["stance"] for r in map(json.loads, (DEVSET / "stance_coder_b.jsonl").open())}
    settled = {
        r["id"]: r["stance"] for r in map(json.loads, (DEVSET / "stance_adjudication.jsonl").open())
    }
    rows = []
    for line in (DEVSET / "submission_like.jsonl").open():
        row = json.loads(line)
        pid = row["id"]
        stance = a.get(pid) if a.get(pid) == b.get(pid) else settled.get(pid)
        if stance:
            group = f"submission/{row['submission']}"
            rows.append({"text": row["text"], "stance": stance, "heldout": is_heldout(group)})
    return rows


@shipped
@pytest.mark.skipif(
    not (DEVSET / "stance_adjudication.jsonl").exists(), reason="stance labels not in the repo"
)
def test_the_shipped_recipe_beats_the_majority_on_held_out_submissions():
    """The recipe, trained on the training documents' submission-like passages only (their
    texts are in the repository), scored on the held-out submissions it never saw."""
    rows = _stance_rows()
    train = [r for r in rows if not r["heldout"]]
    test = [r for r in rows if r["heldout"]]
    assert len(test) >= 40
    recipe = {k: shipped_manifest()[k] for k in ("C", "balanced", "chars")}
    model = StanceClassifier(**recipe).fit(
        [r["text"] for r in train], [r["stance"] for r in train], cross_validate=False
    )
    truth = [r["stance"] for r in test]
    predicted = model.predict([r["text"] for r in test])
    majority = Counter(r["stance"] for r in train).most_common(1)[0][0]
    assert macro_f1(truth, predicted) > macro_f1(truth, [majority] * len(truth)) + 0.15
