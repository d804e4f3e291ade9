"""How good is the five-principles coder? Coder agreement, then the model on held-out documents.

    python -m eval.evaluate_coder [--embedder static|transformer]

Writes eval/results_five_principles.json (and prints it): the two coders' agreement with each other
and with the adjudicated labels; on the held-out documents (`eval/labelled_set.py`: one source
document in five, never tuned on) the zero-shot coder, the shipped recipe (full and fast variants)
trained on the other documents, per origin (Ofsted, DfE, submission-like), with 95% bootstrap
CIs and calibration; and the learning curve (labelled passages → F1). Reads ../shared/data for
the passage texts.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from eval.labelled_set import CODES, load
from eval.labelled_set import summary as set_summary
from inpractice.analysis.agreement import summary
from inpractice.analysis.codebook import load_codebook
from inpractice.analysis.coder import Coder
from inpractice.analysis.embeddings import load_embedder

RESULTS = Path(__file__).resolve().parent / "results_five_principles.json"
ORIGINS = ("ofsted", "dfe", "submission-like")


def figures(reference: dict, other: dict, units: list[str], seed: int = 0) -> dict:
    s = summary(reference, other, CODES, units=units, ci=True, n_resamples=1000, seed=seed)
    return {
        "micro_f1": round(s.micro_f1, 3),
        "micro_f1_ci": [round(x, 3) for x in s.micro_f1_ci],
        "macro_f1": round(s.macro_f1, 3),
        "macro_f1_ci": [round(x, 3) for x in s.macro_f1_ci],
        "mean_kappa": round(s.mean_kappa, 3),
        "mean_kappa_ci": [round(x, 3) for x in s.mean_kappa_ci],
        "mean_alpha": round(s.mean_alpha, 3),
    }


def calibration(probs: np.ndarray, truth: np.ndarray, bins: int = 10) -> dict:
    """Brier score and expected calibration error over all (passage, code) pairs."""
    p, y = probs.reshape(-1), truth.reshape(-1)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    ece = sum(
        abs(p[which == b].mean() - y[which == b].mean()) * (which == b).mean()
        for b in range(bins)
        if (which == b).any()
    )
    return {"brier": round(float(np.mean((p - y) ** 2)), 4), "ece": round(float(ece), 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="static")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    passages = load()
    gold = {p.id: set(p.labels) for p in passages}
    first = {p.id: set(p.first) for p in passages}
    second = {p.id: set(p.second) for p in passages}
    every = [p.id for p in passages]
    train = [p for p in passages if not p.heldout]
    test = [p for p in passages if p.heldout]
    test_ids = [p.id for p in test]
    test_texts = [p.text for p in test]
    truth = np.array([[c in gold[i] for c in CODES] for i in test_ids], dtype=int)
    embedder = load_embedder(args.embedder)
    codebook = load_codebook("default")

    def by_origin(predicted: dict) -> dict:
        out = {}
        for origin in ORIGINS:
            ids = [p.id for p in test if p.origin == origin]
            out[origin] = {"passages": len(ids), **figures(gold, predicted, ids)}
        return out

    result: dict = {
        "command": "python -m eval.evaluate_coder" + f" --embedder {args.embedder}",
        "embedder": embedder.name,
        "labelled_set": set_summary(passages),
        "agreement": {
            "first_vs_second_coder_all": figures(first, second, every),
            "first_vs_second_coder_by_origin": {
                o: figures(first, second, [p.id for p in passages if p.origin == o])
                for o in ORIGINS
            },
            "first_coder_vs_adjudicated": figures(gold, first, every),
            "second_coder_vs_adjudicated": figures(gold, second, every),
            "first_vs_second_coder_heldout": figures(first, second, test_ids),
        },
        "heldout": {},
    }
    coder = Coder(codebook, embedder=embedder)
    started = time.perf_counter()
    probs = coder.predict_proba(test_texts)
    zero_shot = dict(zip(test_ids, map(set, coder.labels_from(probs)), strict=True))
    result["heldout"]["zero_shot"] = {
        **figures(gold, zero_shot, test_ids),
        **calibration(probs, truth),
        "by_origin": by_origin(zero_shot),
        "seconds": round(time.perf_counter() - started, 3),
    }
    for variant in ("full", "fast"):
        started = time.perf_counter()
        coder = Coder(codebook, embedder=embedder, chars=variant == "full").fit(
            [p.text for p in train],
            [sorted(p.labels) for p in train],
            groups=[p.group for p in train],
        )
        probs = coder.predict_proba(test_texts)
        trained = dict(zip(test_ids, map(set, coder.labels_from(probs)), strict=True))
        result["heldout"][f"shipped_recipe_{variant}"] = {
            **figures(gold, trained, test_ids),
            **calibration(probs, truth),
            "by_origin": by_origin(trained),
            "by_code_f1_cv": {c: m.cv_f1 for c, m in coder.models_.items()},
            "cv_micro_f1": coder.training_["cv"]["micro_f1"],
            "training_passages": len(train),
            "seconds": round(time.perf_counter() - started, 3),
        }
    # The learning curve: what more labels buy, on the same held-out documents.
    curve = {}
    order = list(train)
    random.Random(0).shuffle(order)
    for n in (100, 250, 500, 1000, 2000, len(order)):
        subset = order[:n]
        coder = Coder(codebook, embedder=embedder).fit(
            [p.text for p in subset], [sorted(p.labels) for p in subset]
        )
        trained = dict(zip(test_ids, map(set, coder.predict(test_texts)), strict=True))
        f = figures(gold, trained, test_ids)
        ofsted = [p.id for p in test if p.origin == "ofsted"]
        curve[n] = {
            "micro_f1": f["micro_f1"],
            "micro_f1_ci": f["micro_f1_ci"],
            "macro_f1": f["macro_f1"],
            "ofsted_micro_f1": figures(gold, trained, ofsted)["micro_f1"],
        }
    result["learning_curve_heldout"] = curve
    args.output.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
