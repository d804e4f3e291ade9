"""How good is the coder? Agreement of the two human-style coders, then of the model with their
consensus on the held-out split, zero-shot and trained on the development split.

    python -m eval.evaluate_coder [--embedder static|transformer] [--json]

Prints JSON. Reads ../shared/data for the passage texts (see eval/build_devset.py).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from eval.build_devset import DEVSET, load_passages
from eval.devset_labels import CODES, load, read_labels
from inpractice.analysis.agreement import summary
from inpractice.analysis.codebook import load_codebook
from inpractice.analysis.coder import Coder
from inpractice.analysis.embeddings import load_embedder


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


def extra_training() -> list[tuple[str, set[str]]]:
    """Training-only passages labelled by a third coder, if present (never in the test split)."""
    labels_path = DEVSET / "coder_c_extra.jsonl"
    if not labels_path.exists():
        return []
    labels = read_labels(labels_path)
    rows = load_passages(name="extra_passages.jsonl")
    return [(row["text"], labels[row["id"]]) for row in rows if row["id"] in labels]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="static")
    args = parser.parse_args()
    devset = load()
    consensus = devset.consensus()
    dev, test = devset.indices("dev"), devset.indices("test")
    test_ids = [devset.ids[i] for i in test]
    test_texts = [devset.texts[i] for i in test]
    truth = np.array([[c in consensus[i] for c in CODES] for i in test_ids], dtype=int)
    embedder = load_embedder(args.embedder)
    result: dict = {
        "passages": {"dev": len(dev), "test": len(test)},
        "embedder": embedder.name,
        "coder_a_vs_coder_b_test": figures(devset.coder_a, devset.coder_b, test_ids),
        "coder_a_vs_coder_b_all": figures(devset.coder_a, devset.coder_b, devset.ids),
        "coder_a_vs_consensus_test": figures(consensus, devset.coder_a, test_ids),
        "coder_b_vs_consensus_test": figures(consensus, devset.coder_b, test_ids),
    }
    coder = Coder(load_codebook("default"), embedder=embedder)
    started = time.perf_counter()
    embeddings = coder.embed(test_texts)
    probs = coder.predict_proba(test_texts, embeddings)
    zero_shot = dict(zip(test_ids, map(set, coder.labels_from(probs)), strict=True))
    result["model_zero_shot_vs_consensus_test"] = {
        **figures(consensus, zero_shot, test_ids),
        **calibration(probs, truth),
        "seconds": round(time.perf_counter() - started, 3),
    }
    curve = {}
    for n in (25, 50, 100, len(dev)):
        train = dev[:n]
        coder = Coder(load_codebook("default"), embedder=embedder).fit(
            [devset.texts[i] for i in train], [sorted(consensus[devset.ids[i]]) for i in train]
        )
        probs = coder.predict_proba(test_texts, embeddings)
        trained = dict(zip(test_ids, map(set, coder.labels_from(probs)), strict=True))
        curve[n] = {
            **figures(consensus, trained, test_ids),
            **calibration(probs, truth),
            "codes_trained": len(coder.models_),
        }
    result["model_trained_vs_consensus_test"] = curve
    extra = extra_training()
    if extra:
        texts = [devset.texts[i] for i in dev] + [t for t, _ in extra]
        labels = [sorted(consensus[devset.ids[i]]) for i in dev] + [sorted(y) for _, y in extra]
        coder = Coder(load_codebook("default"), embedder=embedder).fit(texts, labels)
        probs = coder.predict_proba(test_texts, embeddings)
        trained = dict(zip(test_ids, map(set, coder.labels_from(probs)), strict=True))
        result["model_trained_on_dev_plus_extra_vs_consensus_test"] = {
            **figures(consensus, trained, test_ids),
            **calibration(probs, truth),
            "training_passages": len(texts),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
