"""Train the stance classifier that ships with the package, on every labelled passage.

    python -m eval.evaluate_stance   # first: chooses the recipe, measures it on held-out documents
    python -m eval.train_stance      # writes inpractice/analysis/models/stance/

The shipped model learns from the whole stance set (`eval/stance_set.py`, training and held-out
parts: what ships should learn from everything we have), with the recipe `evaluate_stance` chose
by cross-validation on the training part. Its manifest records the training set's size and hash,
this fit's grouped cross-validated figures, and the held-out figures of the same recipe trained
without the held-out documents (`eval/results_stance.json`), so anyone can see what it was
measured at. A provisional label set (`STANCE_LABELS`) is refused: only the coders' adjudicated
labels ship.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from eval.stance_set import available, load, provisional_path, summary
from inpractice.analysis.stance import MODEL_DIR, StanceClassifier

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "inpractice" / "analysis" / "models" / MODEL_DIR
RESULTS = Path(__file__).resolve().parent / "results_stance.json"
HEADLINE = ("accuracy", "macro_f1", "kappa")


def main() -> None:
    if provisional_path() is not None:
        raise SystemExit("STANCE_LABELS is set: a provisional label set is never shipped")
    if not available():
        raise SystemExit("the stance labels are missing from eval/devset (see eval/stance_set.py)")
    if not RESULTS.exists():
        raise SystemExit(f"{RESULTS} is missing: run python -m eval.evaluate_stance first")
    results = json.loads(RESULTS.read_text())
    if results["data"].get("provisional"):
        raise SystemExit(f"{RESULTS} was measured on provisional labels: run evaluate_stance again")
    passages = load()
    params = results["selection"]["chosen"]
    started = time.perf_counter()
    model = StanceClassifier(**params).fit(
        [p.text for p in passages], [p.stance for p in passages], groups=[p.group for p in passages]
    )
    seconds = round(time.perf_counter() - started, 1)
    h = results["heldout"]
    model.save(
        TARGET,
        trained_by="python -m eval.train_stance",
        training_set={
            "description": (
                "Coded passages of Ofsted area SEND reports, DfE case studies and submission-like "
                "texts (eval/labelled_set.py), each given one stance by two blind coders under "
                "docs/stance-guidelines.md, disagreements adjudicated (eval/stance_set.py)"
            ),
            **summary(passages),
        },
        training_seconds=seconds,
        heldout_figures={
            "classifier": {
                k: h["classifier"][k] for k in HEADLINE + tuple(f"{k}_ci" for k in HEADLINE)
            },
            "majority_baseline": {k: h["majority_baseline"][k] for k in HEADLINE},
            "lexicon_baseline": {k: h["lexicon_baseline"][k] for k in HEADLINE},
            "coder_agreement": results["coder_agreement"]["heldout"],
        },
    )
    print(json.dumps({"written": str(TARGET), "seconds": seconds, **model.training_}))


if __name__ == "__main__":
    main()
