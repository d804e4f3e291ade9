"""The coder: calibrated multi-label scores, zero-shot on any codebook, better with labels."""

import numpy as np
import pytest

from inpractice.analysis.codebook import codebook_from_dict, load_codebook
from inpractice.analysis.coder import Coder, submission_codes

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


def test_a_code_with_too_few_examples_stays_zero_shot():
    other = ["The hall roof was repaired.", "Lunch is at noon.", "The car park was resurfaced."]
    texts = TRANSITIONS[:2] + FAMILIES + other
    labels = [["transition"]] * 2 + [["families"]] * 6 + [[]] * 3
    coder = Coder(TOY, min_examples=3).fit(texts, labels)
    assert "transition" not in coder.models_ and "families" in coder.models_
    assert coder.thresholds()[0] == pytest.approx(0.28)  # the zero-shot threshold


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
