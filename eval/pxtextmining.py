"""The coder on someone else's codebook: pxtextmining's NHS patient feedback, 46 codes.

    python -m eval.pxtextmining [--embedder static|transformer] [--ablations]

Grouped 5-fold cross-validation on the training split in ../shared/data/pxtextmining (comments of
one respondent — the id without its " - Qn" suffix — never straddle folds), comparing:
`Coder.fit` (what `inpractice code --train` runs), the zero-shot coder, and a plain TF-IDF
LinearSVC baseline; their published fine-tuned DistilBERT (micro 0.72 / macro 0.58 on their own
test data) is quoted, not re-run. Macro-F1 is over the codes that occur in the data. Writes
eval/results_pxtextmining.json with 95% bootstrap CIs (resampling texts) and timings.

`--ablations` instead re-runs `Coder.fit` on the same folds with one setting changed at a time
(C, threshold shrinkage, `min_examples`, no character n-grams, class-balanced SVMs) and writes
eval/results_pxtextmining_ablations.json: what was tried to close the gap to the target.
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
from threadpoolctl import threadpool_limits

from eval.build_devset import SHARED
from inpractice.analysis.codebook import Codebook, load_codebook
from inpractice.analysis.coder import Coder
from inpractice.analysis.embeddings import Embedder, load_embedder

DATA = SHARED / "pxtextmining"
RESULTS = Path(__file__).resolve().parent / "results_pxtextmining.json"
ABLATIONS = Path(__file__).resolve().parent / "results_pxtextmining_ablations.json"
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


class BalancedCoder(Coder):
    """`Coder.fit` with class-balanced SVMs (each code's positives weighted up to its negatives)."""

    def _classifier(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight="balanced", random_state=self.seed)


# One setting changed at a time from `Coder`'s defaults (C 0.2, shrinkage 30, min_examples 3,
# character n-grams on, unweighted SVMs).
VARIANTS = {
    "C=0.07": (Coder, {"C": 0.07}),
    "C=0.6": (Coder, {"C": 0.6}),
    "shrinkage=3": (Coder, {"shrinkage": 3.0}),
    "shrinkage=100": (Coder, {"shrinkage": 100.0}),
    "min_examples=2": (Coder, {"min_examples": 2}),
    "no character n-grams": (Coder, {"chars": False}),
    "class_weight=balanced": (BalancedCoder, {}),
}


def ablations(
    args: argparse.Namespace,
    codebook: Codebook,
    embedder: Embedder,
    codes: list[str],
    texts: list[str],
    groups: list[str],
    Y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
) -> None:
    """Each variant of `Coder.fit` on the same grouped folds as the main comparison."""
    result = {
        "command": f"python -m eval.pxtextmining --embedder {args.embedder} --ablations",
        "folds": "GroupKFold(5) by respondent",
        "embedder": embedder.name,
        "note": "timings on a shared 2-core machine under load: compare them with care",
        "bootstrap_resamples": 200,
    }
    for name, (kind, settings) in {"default": (Coder, {}), **VARIANTS}.items():
        predicted, started = np.zeros_like(Y), time.perf_counter()
        for train, test in folds:
            coder = kind(codebook, embedder=embedder, **settings).fit(
                [texts[i] for i in train],
                [[c for c, on in zip(codes, Y[i], strict=True) if on] for i in train],
                groups=[groups[i] for i in train],
            )
            predicted[test] = coder.applied(coder.predict_proba([texts[i] for i in test]))
        result[name] = {
            **scores(Y, predicted, resamples=200),
            "seconds_all_folds": round(time.perf_counter() - started, 1),
        }
        print(name, result[name], flush=True)
        ABLATIONS.write_text(json.dumps(result, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="static")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--ablations", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (DATA / "train.jsonl").read_text().splitlines()]
    codebook = load_codebook(DATA / "codebook.json")
    embedder = load_embedder(args.embedder)
    codes = [c.id for c in codebook.codes]
    texts = [r["text"] for r in rows]
    groups = [re.sub(r"\s*-\s*Q\d+$", "", r["id"]) for r in rows]
    Y = np.array([[c in r["labels"] for c in codes] for r in rows], dtype=bool)
    folds = list(GroupKFold(5).split(texts, groups=groups))
    if args.ablations:
        # One thread: the machine is shared, and liblinear is single-threaded anyway.
        with threadpool_limits(1):
            ablations(args, codebook, embedder, codes, texts, groups, Y, folds)
        return
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
