"""The coder: calibrated multi-label scores, zero-shot on any codebook, better with labels."""

import json
from pathlib import Path

import numpy as np
import pytest

from inpractice.analysis.codebook import codebook_from_dict, load_codebook
from inpractice.analysis.coder import (
    ZERO_SHOT_THRESHOLD,
    Coder,
    submission_codes,
    training_hash,
)
from inpractice.analysis.shipped import FAST_PATH_PASSAGES, default_coder, shipped_manifest

TRANSITIONS = [
    "Before pupils join Year 7 we visit every feeder primary and meet each child with SEND.",
    "Transition passports record what helps each child when they move up to secondary school.",
    "Children visit their new classroom several times in the summer term before they move.",
    "We share one-page profiles with the next teacher so nothing is lost at the move.",
    "A summer school helps autistic pupils get to know the building before September.",
    "Information about needs follows the child when they move between schools.",
]
FAMILIES = [
    "Parents co-write their child's support plan and review it with us every term.",
    "We hold coffee mornings where families meet the SENCO informally.",
    "Parent carers told us they felt listened to and part of every decision.",
    "Home visits help us build trust with families who found school difficult.",
    "Weekly phone calls keep parents informed about how their child is doing.",
    "Families join workshops on supporting reading at home.",
]
TOY = codebook_from_dict(
    {
        "codes": [
            {
                "id": "transition",
                "name": "Transitions between schools",
                "description": "Moving from primary to secondary school, visits and information "
                "sharing at moves.",
            },
            {
                "id": "families",
                "name": "Working with parents and families",
                "description": "Communication, trust and co-production with parents and carers.",
            },
        ]
    }
)


def test_zero_shot_codes_passages_from_descriptions_alone():
    coder = Coder(TOY)
    probs = coder.predict_proba(TRANSITIONS + FAMILIES)
    assert probs.shape == (12, 2) and ((probs >= 0) & (probs <= 1)).all()
    assert probs[:6, 0].mean() > probs[6:, 0].mean()
    assert probs[6:, 1].mean() > probs[:6, 1].mean()


def test_training_on_labelled_passages_improves_on_zero_shot():
    texts = TRANSITIONS + FAMILIES
    labels = [["transition"]] * 6 + [["families"]] * 6
    zero = Coder(TOY).predict(texts)
    trained = Coder(TOY, min_examples=3).fit(texts, labels)
    assert set(trained.models_) == {"transition", "families"}
    predicted = trained.predict(texts)
    accuracy = lambda preds: np.mean([p == y for p, y in zip(preds, labels, strict=True)])  # noqa: E731
    assert accuracy(predicted) >= accuracy(zero)
    assert accuracy(predicted) >= 0.9


def test_a_trained_coder_never_applies_a_code_it_could_not_train():
    other = ["The hall roof was repaired.", "Lunch is at noon.", "The car park was resurfaced."]
    texts = TRANSITIONS[:2] + FAMILIES + other
    labels = [["transition"]] * 2 + [["families"]] * 6 + [[]] * 3
    coder = Coder(TOY, min_examples=3).fit(texts, labels)
    assert "transition" not in coder.models_ and "families" in coder.models_
    probs = coder.predict_proba(TRANSITIONS)
    # Its zero-shot probability is still reported, and is high for these passages ...
    assert probs[:, 0].max() > ZERO_SHOT_THRESHOLD
    # ... but it is not applied, and the coder says why.
    assert not any("transition" in row for row in coder.labels_from(probs))
    assert coder.describe()["untrained_codes"] == ["transition"]
    assert Coder(TOY).thresholds()[0] == pytest.approx(ZERO_SHOT_THRESHOLD)


def test_thresholds_of_rare_codes_lean_on_the_global_threshold():
    texts = TRANSITIONS + FAMILIES
    labels = [["transition"]] * 6 + [["families"]] * 6
    loose = Coder(TOY, min_examples=3, shrinkage=0.0).fit(texts, labels)
    tight = Coder(TOY, min_examples=3, shrinkage=1e6).fit(texts, labels)
    # With overwhelming shrinkage every code takes the one global threshold.
    assert tight.thresholds()[0] == pytest.approx(tight.thresholds()[1], abs=1e-3)
    assert loose.models_["transition"].cv_f1 >= 0.0


def test_folds_never_split_a_source_document():
    texts = TRANSITIONS + FAMILIES
    groups = ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e", "f", "f"]
    coder = Coder(TOY)
    for train, test in coder._folds(len(texts), groups):
        assert {groups[i] for i in train}.isdisjoint({groups[i] for i in test})
    with pytest.raises(ValueError, match="two source documents"):
        coder._folds(3, ["one"] * 3)


def test_at_least_one_code_when_every_training_text_had_one():
    texts = TRANSITIONS + FAMILIES
    labels = [["transition"]] * 6 + [["families"]] * 6
    coder = Coder(TOY, min_examples=3).fit(texts, labels)
    assert coder.at_least_one_  # every training text had a code
    odd = ["The weather was fine on sports day.", "Our car park is small."]
    assert all(coder.predict(odd))
    assert not Coder(TOY, min_examples=3, at_least_one=False).fit(texts, labels).at_least_one_


def test_a_saved_coder_codes_exactly_as_it_did(tmp_path):
    texts = TRANSITIONS + FAMILIES
    labels = [["transition"]] * 6 + [["families"]] * 6
    coder = Coder(TOY, min_examples=3).fit(texts, labels)
    coder.save(tmp_path / "model", note="test")
    assert not list(tmp_path.glob("**/*.pkl"))  # arrays and JSON, never pickle
    again = Coder(TOY).load(tmp_path / "model")
    np.testing.assert_allclose(again.predict_proba(texts), coder.predict_proba(texts), atol=1e-6)
    assert again.training_["sha256"] == training_hash(texts, labels)
    manifest = json.loads((tmp_path / "model" / "manifest.json").read_text())
    manifest["embedder"] = "another-model"
    (tmp_path / "model" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="trained on another-model embeddings"):
        Coder(TOY).load(tmp_path / "model")


def test_the_default_codebook_ships_trained():
    coder = default_coder(load_codebook("default"))
    about = coder.describe()
    assert about["kind"] == "trained" and about["sources"] == ["shipped:full"]
    assert about["untrained_codes"] == []
    manifest = shipped_manifest("five-principles")
    assert manifest["training"]["passages"] >= 3000
    assert manifest["training"]["cv"]["grouped"] is True
    # Unambiguous passages, written for this test (not in the training set), get their principle.
    predicted = coder.predict(
        [
            "Every child is screened for speech and language needs in the first weeks of "
            "Reception, so we know who needs help before they fall behind.",
            "Parents told us the weekly phone call from the SENCO made them feel listened to.",
        ]
    )
    assert "p1" in predicted[0] and "p4" in predicted[1]
    # A very large call gets the fast variant; another codebook or sub-codes get zero-shot.
    fast = default_coder(load_codebook("default"), passages=FAST_PATH_PASSAGES + 1)
    assert fast.describe()["sources"] == ["shipped:fast"]
    assert default_coder(TOY).describe()["kind"] == "zero-shot"
    assert default_coder(load_codebook("default"), level="all").describe()["kind"] == "zero-shot"


def test_labels_outside_the_codebook_are_refused_by_name():
    with pytest.raises(ValueError, match="labels not in the codebook at level 'top': p9"):
        Coder(load_codebook("default")).fit(["text"], [["p9"]])


def test_sub_codes_are_coded_at_level_all():
    coder = Coder(load_codebook("default"), level="all")
    assert "p1.transitions" in coder.code_ids and len(coder.code_ids) == 20
    assert coder.predict_proba(TRANSITIONS[:2]).shape == (2, 20)


def test_proposals_are_uncertain_passages_not_repeats():
    texts = TRANSITIONS + FAMILIES + [TRANSITIONS[0]] * 3
    coder = Coder(TOY)
    proposed = coder.propose(texts, k=4)
    assert len(proposed) == len(set(proposed)) == 4
    assert sum(texts[i] == TRANSITIONS[0] for i in proposed) <= 1
    assert set(coder.propose(texts, k=4, exclude=proposed)).isdisjoint(proposed)


def test_a_submission_takes_its_strongest_passage():
    probs = np.array([[0.1, 0.9], [0.7, 0.2], [0.3, 0.3]])
    combined = submission_codes(probs, ["a", "a", "b"], np.array([0.5, 0.5]))
    np.testing.assert_allclose(combined["a"], [0.7, 0.9])
    np.testing.assert_allclose(combined["b"], [0.3, 0.3])


def test_codes_nobody_decided_are_left_out_of_training():
    texts = TRANSITIONS + FAMILIES
    labels = [["transition"]] * 6 + [[]] * 6
    # Nobody said whether the family passages are about families: only "not transition".
    unknown = [[]] * 6 + [["families"]] * 6
    coder = Coder(TOY, min_examples=3).fit(texts, labels, unknown=unknown)
    assert coder.models_["transition"].n_negative == 6
    assert "families" not in coder.models_  # no decided example of it at all
    with pytest.raises(ValueError, match="12 texts but 1 unknown-code lists"):
        Coder(TOY).fit(texts, labels, unknown=[[]])


def test_a_coder_can_adopt_another_fit_s_model_for_some_codes():
    texts = TRANSITIONS + FAMILIES
    labels = [["transition"]] * 6 + [["families"]] * 6
    one = Coder(TOY, min_examples=3).fit(texts, labels)
    other = Coder(TOY, min_examples=3, chars=False).fit(texts[::-1], labels[::-1])
    combined = Coder(TOY, min_examples=3).fit(texts, labels).adopt(other, ["families"])
    probs = combined.predict_proba(texts)
    np.testing.assert_allclose(probs[:, 0], one.predict_proba(texts)[:, 0], atol=1e-6)
    np.testing.assert_allclose(probs[:, 1], other.predict_proba(texts)[:, 1], atol=1e-6)
    with pytest.raises(ValueError, match="several fits cannot be saved"):
        combined.save(Path("/nonexistent"))
