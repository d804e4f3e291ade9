"""Train the five-principles coder that ships with the package, on every labelled passage.

    python -m eval.train_default    # writes inpractice/analysis/models/five-principles-coder/

The model is trained on the whole labelled set (`eval/labelled_set.py`, training and held-out
parts: what ships should learn from everything we have). Its manifest records the training set's
size and hash, the grouped cross-validated figures of this fit, and the held-out figures of the
same recipe trained without the held-out documents (`eval/results_five_principles.json`, written
by `python -m eval.evaluate_coder`), so anyone can see what the shipped coder was measured at.
Reads ../shared/data for the passage texts.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from eval.labelled_set import load, summary
from inpractice.analysis.codebook import load_codebook
from inpractice.analysis.coder import Coder
from inpractice.analysis.embeddings import default_static_embedder
from inpractice.analysis.shipped import SHIPPED, VARIANTS

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "inpractice" / "analysis" / "models" / SHIPPED["five-principles"]
RESULTS = Path(__file__).resolve().parent / "results_five_principles.json"


def main() -> None:
    passages = load()
    codebook = load_codebook("default")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for variant in VARIANTS:
        started = time.perf_counter()
        coder = Coder(codebook, embedder=default_static_embedder(), chars=variant == "full").fit(
            [p.text for p in passages],
            [sorted(p.labels) for p in passages],
            groups=[p.group for p in passages],
        )
        seconds = round(time.perf_counter() - started, 1)
        coder.save(
            TARGET / variant,
            trained_by="python -m eval.train_default",
            variant=variant,
            training_set={
                "description": (
                    "Passages of 35 Ofsted area SEND reports and 29 DfE case studies, and "
                    "submission-like passages written for evaluation, each labelled by two "
                    "independent coders with disagreements adjudicated (eval/README.md)"
                ),
                **summary(passages),
            },
            training_seconds=seconds,
            heldout_figures=results.get("heldout", {}).get(f"shipped_recipe_{variant}"),
        )
        print(json.dumps({"written": str(TARGET / variant), "seconds": seconds, **coder.training_}))


if __name__ == "__main__":
    main()
