"""The coder on someone else's codebook: pxtextmining's NHS patient feedback, 46 codes.

    python -m eval.pxtextmining [--embedder static|transformer]

Grouped 5-fold cross-validation on the training split in ../shared/data/pxtextmining (comments of
one respondent — the id without its " - Qn" suffix — never straddle folds), comparing:
`Coder.fit` (what `inpractice code --train` runs), the zero-shot coder, and a plain TF-IDF
LinearSVC baseline; their published fine-tuned DistilBERT (micro 0.72 / macro 0.58 on their own
test data) is quoted, not re-run. Macro-F1 is over the codes that occur in the data. Writes
eval/results_pxtextmining.json with 95% bootstrap CIs (resampling texts) and timings.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

from eval.build_devset import SHARED
from inpractice.analysis.codebook import load_codebook
from inpractice.analysis.coder import Coder
from inpractice.analysis.embeddings import load_embedder

DATA = SHARED / "pxtextmining"
RESULTS = Path(__file__).resolve().parent / "results_pxtextmining.json"
PUBLISHED = {"distilbert": {"micro_f1": 0.72, "macro_f1": 0.58}, "svc": {"micro_f1": 0.70}}


def scores(Y: np.ndarray, P: np.ndarray, seed: int = 0, resamples: int = 1000) -> dict:
    present = Y.sum(axis=0) > 0

    def micro(rows):
        tp = (Y[rows] & P[rows]).sum()
        return 2 * tp / (Y[rows].sum() + P[rows].sum())

    def macro(rows):
        tp = (Y[rows] & P[rows]).sum(axis=0)
        d = Y[rows].sum(axis=0) + P[rows].sum(axis=0)
        f = np.where(d > 0, 2 * tp / np.maximum(d, 1), 0.0)
        return f[present].mean()

    rng = np.random.default_rng(seed)
    everything = np.arange(len(Y))
    boot = [rng.choice(everything, len(Y)) for _ in range(resamples)]
    return {
        "micro_f1": round(float(micro(everything)), 3),
        "micro_f1_ci": [
            round(float(x), 3) for x in np.percentile([micro(b) for b in boot], [2.5, 97.5])
        ],
        "macro_f1": round(float(macro(everything)), 3),
        "macro_f1_ci": [
            round(float(x), 3) for x in np.percentile([macro(b) for b in boot], [2.5, 97.5])
        ],
        "exact_set_accuracy": round(float((Y == P).all(axis=1).mean()), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="static")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    rows = [json.loads(line) for line in (DATA / "train.jsonl").read_text().splitlines()]
    codebook = load_codebook(DATA / "codebook.json")
    embedder = load_embedder(args.embedder)
    codes = [c.id for c in codebook.codes]
    texts = [r["text"] for r in rows]
    groups = [re.sub(r"\s*-\s*Q\d+$", "", r["id"]) for r in rows]
    Y = np.array([[c in r["labels"] for c in codes] for r in rows], dtype=bool)
    folds = list(GroupKFold(5).split(texts, groups=groups))
    predicted = {name: np.zeros_like(Y) for name in ("fit", "zero_shot", "tfidf_linearsvc")}
    seconds = dict.fromkeys(predicted, 0.0)
    for train, test in folds:
        train_texts, test_texts = [texts[i] for i in train], [texts[i] for i in test]
        started = time.perf_counter()
        coder = Coder(codebook, embedder=embedder).fit(
            train_texts,
            [[c for c, on in zip(codes, Y[i], strict=True) if on] for i in train],
            groups=[groups[i] for i in train],
        )
        predicted["fit"][test] = coder.applied(coder.predict_proba(test_texts))
        seconds["fit"] += time.perf_counter() - started

        started = time.perf_counter()
        zero = Coder(codebook, embedder=embedder)
        predicted["zero_shot"][test] = zero.applied(zero.predict_proba(test_texts))
        seconds["zero_shot"] += time.perf_counter() - started

        started = time.perf_counter()
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        X_train, X_test = vectorizer.fit_transform(train_texts), vectorizer.transform(test_texts)
        for j in range(len(codes)):
            if Y[train, j].any():
                model = LinearSVC(C=1.0).fit(X_train, Y[train, j])
                predicted["tfidf_linearsvc"][test, j] = model.predict(X_test)
        seconds["tfidf_linearsvc"] += time.perf_counter() - started
    result = {
        "command": f"python -m eval.pxtextmining --embedder {args.embedder}",
        "texts": len(texts),
        "respondents": len(set(groups)),
        "codes": len(codes),
        "folds": "GroupKFold(5) by respondent",
        "embedder": embedder.name,
        "published_on_their_test_data": PUBLISHED,
        **{
            name: {**scores(Y, P), "seconds_all_folds": round(seconds[name], 1)}
            for name, P in predicted.items()
        },
    }
    args.output.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
