"""Multi-label coding of passages against a codebook, zero-shot or trained on analysts' labels.

Zero-shot, each code is represented by the embedding of its name, description, guidance and
examples; a passage's cosine similarity to each code is standardised over the corpus being coded
and mapped to a probability by a logistic curve calibrated on the labelled development set
(`ZERO_SHOT_SLOPE`, `ZERO_SHOT_OFFSET`, `ZERO_SHOT_THRESHOLD`; see eval/README.md). With labelled
passages (`fit`), each
code with enough examples gets a logistic regression over the passage embedding, the zero-shot
similarities and TF-IDF word features, Platt-calibrated on out-of-fold scores, with a decision
threshold chosen by cross-validation for F1. Codes without enough examples stay zero-shot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from .codebook import Code, Codebook
from .embeddings import Embedder, default_static_embedder

# Fitted on the development split of eval/devset (never the held-out split) by
# `python -m eval.calibrate_zero_shot`; they map a standardised similarity z to
# P(code applies) = 1 / (1 + exp(-(slope * z + offset))).
ZERO_SHOT_SLOPE = 1.93
ZERO_SHOT_OFFSET = -1.868
# The probability above which a zero-shot code is applied: chosen for F1 on the same split. It is
# below 0.5 because a calibrated probability of 0.3 already means "more often right than the
# cost of missing it", which is what F1 rewards.
ZERO_SHOT_THRESHOLD = 0.28


def code_description(code: Code) -> list[str]:
    """The texts that stand for a code: what an analyst reads before applying it."""
    parts = [code.name, f"{code.name}. {code.description}"]
    if code.include:
        parts.append(code.include)
    parts.extend(code.examples)
    parts.extend(f"{child.name}: {child.description}" for child in code.children)
    return [p for p in parts if p.strip()]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass
class CodeModel:
    """The trained part for one code: a classifier, its Platt calibration and threshold."""

    classifier: LogisticRegression
    platt: tuple[float, float]
    threshold: float
    n_positive: int
    n_negative: int


@dataclass
class Coder:
    """Codes passages with calibrated probabilities; `level` 'top' or 'all' (sub-codes too)."""

    codebook: Codebook
    embedder: Embedder | None = None
    level: str = "top"
    min_examples: int = 4
    C: float = 8.0
    seed: int = 0
    models_: dict[str, CodeModel] = field(default_factory=dict, init=False)
    vectorizer_: TfidfVectorizer | None = field(default=None, init=False)
    similarity_stats_: tuple[np.ndarray, np.ndarray] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.level not in ("top", "all"):
            raise ValueError("level must be 'top' or 'all'")
        self.embedder = self.embedder or default_static_embedder()
        codes = self.codebook.codes if self.level == "top" else tuple(self.codebook.walk())
        self.code_ids: list[str] = [c.id for c in codes]
        prototypes = []
        for code in codes:
            vectors = self.embedder.encode(code_description(code))
            centre = vectors.mean(axis=0)
            prototypes.append(centre / (np.linalg.norm(centre) or 1.0))
        self.prototypes = np.vstack(prototypes).astype(np.float32)

    # -- features ---------------------------------------------------------------------------

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.encode(list(texts))

    def similarities(self, embeddings: np.ndarray) -> np.ndarray:
        """Standardised cosine similarity of each passage to each code (columns: code_ids)."""
        raw = embeddings @ self.prototypes.T
        if self.similarity_stats_ is not None:
            mean, std = self.similarity_stats_
        else:
            # Zero-shot: standardise within the corpus being coded, so a code's scores are read
            # relative to how this corpus talks, not to an absolute cosine that varies by model.
            mean, std = raw.mean(axis=0), raw.std(axis=0)
        return (raw - mean) / np.where(std > 0, std, 1.0)

    def _features(self, embeddings: np.ndarray, z: np.ndarray, texts: Sequence[str]):
        dense = sparse.csr_matrix(np.hstack([embeddings, z]).astype(np.float64))
        return sparse.hstack([dense, self.vectorizer_.transform(texts)]).tocsr()

    # -- scikit-learn-like API ----------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        embeddings: np.ndarray | None = None,
    ) -> Coder:
        """Learn from passages labelled by analysts (each label list may be empty)."""
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} label lists")
        unknown = sorted({c for row in labels for c in row} - set(self.code_ids))
        if unknown:
            raise ValueError(
                f"labels not in the codebook at level {self.level!r}: {', '.join(unknown)}"
            )
        embeddings = self.embed(texts) if embeddings is None else embeddings
        raw = embeddings @ self.prototypes.T
        self.similarity_stats_ = (raw.mean(axis=0), raw.std(axis=0))
        z = self.similarities(embeddings)
        self.vectorizer_ = TfidfVectorizer(
            ngram_range=(1, 2),
            min_df=2,
            sublinear_tf=True,
            stop_words="english",
            max_features=50_000,
        ).fit(texts)
        features = self._features(embeddings, z, texts)
        label_sets = [set(row) for row in labels]
        self.models_ = {}
        for code in self.code_ids:
            y = np.array([code in row for row in label_sets], dtype=int)
            n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
            if min(n_pos, n_neg) < self.min_examples:
                continue
            self.models_[code] = self._fit_code(features, y, n_pos, n_neg)
        return self

    def _fit_code(self, features, y: np.ndarray, n_pos: int, n_neg: int) -> CodeModel:
        folds = min(5, n_pos, n_neg)
        oof = np.zeros(len(y))
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=self.seed).split(
            features, y
        ):
            model = self._classifier().fit(features[train], y[train])
            oof[test] = model.decision_function(features[test])
        platt = LogisticRegression(C=1e4, max_iter=1000).fit(oof.reshape(-1, 1), y)
        calibrated = platt.predict_proba(oof.reshape(-1, 1))[:, 1]
        threshold = _best_threshold(y, calibrated)
        final = self._classifier().fit(features, y)
        return CodeModel(
            final, (float(platt.coef_[0, 0]), float(platt.intercept_[0])), threshold, n_pos, n_neg
        )

    def _classifier(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=5000, random_state=self.seed
        )

    def predict_proba(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        embeddings = self.embed(texts) if embeddings is None else embeddings
        z = self.similarities(embeddings)
        probs = _sigmoid(ZERO_SHOT_SLOPE * z + ZERO_SHOT_OFFSET)
        if self.models_:
            features = self._features(embeddings, z, texts)
            for j, code in enumerate(self.code_ids):
                model = self.models_.get(code)
                if model is not None:
                    a, b = model.platt
                    probs[:, j] = _sigmoid(a * model.classifier.decision_function(features) + b)
        return probs

    def thresholds(self) -> np.ndarray:
        return np.array(
            [
                self.models_[c].threshold if c in self.models_ else ZERO_SHOT_THRESHOLD
                for c in self.code_ids
            ]
        )

    def predict(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> list[list[str]]:
        return self.labels_from(self.predict_proba(texts, embeddings))

    def labels_from(self, probs: np.ndarray) -> list[list[str]]:
        chosen = probs >= self.thresholds()
        return [[c for c, on in zip(self.code_ids, row, strict=True) if on] for row in chosen]

    def propose(
        self,
        texts: Sequence[str],
        k: int = 10,
        embeddings: np.ndarray | None = None,
        exclude: Sequence[int] = (),
    ) -> list[int]:
        """Passages worth labelling next: the least certain, spread across the corpus.

        Uncertainty is how close the most doubtful code is to its threshold; among the 5k most
        uncertain, a greedy farthest-point pass keeps proposals from all saying the same thing.
        """
        embeddings = self.embed(texts) if embeddings is None else embeddings
        probs = self.predict_proba(texts, embeddings)
        margin = np.abs(probs - self.thresholds()).min(axis=1)
        margin[list(exclude)] = np.inf
        pool = np.argsort(margin, kind="stable")[: max(5 * k, k)]
        pool = pool[np.isfinite(margin[pool])]
        if len(pool) == 0:
            return []
        chosen = [int(pool[0])]
        nearest = 1.0 - embeddings[pool] @ embeddings[pool[0]]
        while len(chosen) < min(k, len(pool)):
            # Favour uncertain passages that are far from everything already proposed.
            score = nearest - margin[pool]
            score[np.isin(pool, chosen)] = -np.inf
            best = int(pool[int(np.argmax(score))])
            chosen.append(best)
            nearest = np.minimum(nearest, 1.0 - embeddings[pool] @ embeddings[best])
        return chosen


def _best_threshold(y: np.ndarray, probs: np.ndarray) -> float:
    best_t, best_f1 = 0.5, -1.0
    for t in np.arange(0.2, 0.81, 0.05):
        predicted = probs >= t
        tp = int((predicted & (y == 1)).sum())
        denominator = int(predicted.sum() + y.sum())
        f1 = 2 * tp / denominator if denominator else 0.0
        if f1 > best_f1 + 1e-9:
            best_t, best_f1 = float(round(t, 2)), f1
    return best_t


def submission_codes(
    passage_probs: np.ndarray, groups: Sequence[str], thresholds: np.ndarray
) -> dict[str, np.ndarray]:
    """A submission's probability for a code is that of its strongest passage (it needs only
    one passage to evidence a principle); returns {submission id: probabilities}."""
    out: dict[str, np.ndarray] = {}
    for row, group in zip(passage_probs, groups, strict=True):
        out[group] = row if group not in out else np.maximum(out[group], row)
    return out
