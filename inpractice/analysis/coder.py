"""Multi-label coding of passages against a codebook: trained where people labelled, else zero-shot.

**Trained** (`fit`, or a model shipped with a codebook, see `shipped.py`): every code with at
least `min_examples` positive and negative passages gets a linear SVM over three kinds of feature
that each catch what the others miss: word 1–2-gram TF-IDF (no stop-word list, because "not",
"no", "never" and "enough" carry the meaning in this domain), character 2–5-gram TF-IDF within
words (spelling variants, plurals, typos, "EHCP"/"EHCPs") and the passage's sentence embedding.
Decision values are Platt-calibrated on out-of-fold scores — folds grouped by source document when
groups are given, so a report's boilerplate cannot leak between folds — and each code's decision
threshold is the F1-best out-of-fold threshold shrunk toward one global threshold, in proportion
to how few positives the code has, so rare codes do not overfit their threshold. A code without
enough examples is never applied by a trained coder: its zero-shot probability is still shown, but
measured on someone else's codebook such codes fire on a third of texts. When every training text
carries at least one code, an "at least one code" rule (`at_least_one`) gives a text with none
above threshold its most likely code.

**Zero-shot** (a codebook nobody has labelled): each code is represented by the embedding of its
name, description, guidance and examples; a passage's cosine similarity to each code is
standardised over the corpus being coded and mapped to a probability by a logistic curve
calibrated on the labelled development set (`ZERO_SHOT_SLOPE`, `ZERO_SHOT_OFFSET`,
`ZERO_SHOT_THRESHOLD`; see eval/README.md).

The embedding features of a trained coder come from the embedder with its *packaged* token
weights (`feature_embedder`), never from weights re-fitted to the corpus being coded, so the
classifier sees the same features when it codes a call as when it was trained.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold
from sklearn.svm import LinearSVC

from .codebook import Code, Codebook
from .embeddings import Embedder, StaticEmbedder, default_static_embedder

# Fitted on the development split of eval/devset (never the held-out split) by
# `python -m eval.calibrate_zero_shot`; they map a standardised similarity z to
# P(code applies) = 1 / (1 + exp(-(slope * z + offset))).
ZERO_SHOT_SLOPE = 1.93
ZERO_SHOT_OFFSET = -1.868
# The probability above which a zero-shot code is applied: chosen for F1 on the same split. It is
# below 0.5 because a calibrated probability of 0.3 already means "more often right than the
# cost of missing it", which is what F1 rewards.
ZERO_SHOT_THRESHOLD = 0.28
# A threshold no probability reaches: how a trained coder leaves an untrained code unapplied
# while still reporting its zero-shot probability (and JSON can store it, unlike infinity).
NEVER = 1.01
# Out-of-fold thresholds are searched on this grid.
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
FOLDS = 5
# Bump when the features change meaning: a saved model with another version is refused.
FEATURES_VERSION = 1


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
class TextFeatures:
    """Word and character n-gram TF-IDF fitted on training texts, plus sentence embeddings."""

    words: TfidfVectorizer
    chars: TfidfVectorizer | None

    @classmethod
    def fit(cls, texts: Sequence[str], chars: bool = True) -> TextFeatures:
        words = TfidfVectorizer(**WORD_PARAMS, min_df=2, max_features=60_000).fit(texts)
        fitted = (
            TfidfVectorizer(**CHAR_PARAMS, min_df=2, max_features=120_000).fit(texts)
            if chars
            else None
        )
        return cls(words, fitted)

    def transform(self, texts: Sequence[str], embeddings: np.ndarray) -> sparse.csr_matrix:
        blocks = [self.words.transform(texts)]
        if self.chars is not None:
            blocks.append(self.chars.transform(texts))
        blocks.append(sparse.csr_matrix(embeddings, dtype=np.float64))
        return sparse.hstack(blocks, format="csr")

    # A saved vectoriser is its vocabulary and idf weights, so no pickle is ever loaded.
    def arrays(self) -> dict[str, np.ndarray]:
        out = {}
        for name, vectorizer in (("words", self.words), ("chars", self.chars)):
            if vectorizer is not None:
                out[f"{name}_vocabulary"] = np.asarray(vectorizer.get_feature_names_out(), str)
                out[f"{name}_idf"] = vectorizer.idf_.astype(np.float64)
        return out

    @classmethod
    def from_arrays(cls, arrays) -> TextFeatures:
        def rebuild(name: str, params: dict) -> TfidfVectorizer | None:
            if f"{name}_vocabulary" not in arrays:
                return None
            vocabulary = arrays[f"{name}_vocabulary"].tolist()
            vectorizer = TfidfVectorizer(
                **params, vocabulary={term: i for i, term in enumerate(vocabulary)}
            )
            vectorizer.idf_ = arrays[f"{name}_idf"]
            return vectorizer

        return cls(rebuild("words", WORD_PARAMS), rebuild("chars", CHAR_PARAMS))


WORD_PARAMS = {"ngram_range": (1, 2), "sublinear_tf": True, "dtype": np.float64}
CHAR_PARAMS = {
    "analyzer": "char_wb",
    "ngram_range": (2, 5),
    "sublinear_tf": True,
    "dtype": np.float64,
}


@dataclass
class CodeModel:
    """The trained part for one code: linear weights, Platt calibration and threshold."""

    coef: np.ndarray  # (n_features,)
    intercept: float
    platt: tuple[float, float]
    threshold: float
    n_positive: int
    n_negative: int
    cv_f1: float  # out-of-fold F1 at `threshold`, on the training data
    source: str = "fit"  # "fit", or "shipped:<variant>" for a model that came with the codebook
    # The features this model reads when they are not the coder's own (a model adopted from
    # another coder, see `Coder.adopt`).
    features: TextFeatures | None = None


@dataclass
class Coder:
    """Codes passages with calibrated probabilities; `level` 'top' or 'all' (sub-codes too)."""

    codebook: Codebook
    embedder: Embedder | None = None
    level: str = "top"
    min_examples: int = 3
    C: float = 0.2
    seed: int = 0
    # The number of positives at which a code's own threshold and the global one weigh equally.
    shrinkage: float = 30.0
    chars: bool = True
    at_least_one: bool | None = None  # None: on when every training text has a code
    models_: dict[str, CodeModel] = field(default_factory=dict, init=False)
    features_: TextFeatures | None = field(default=None, init=False)
    similarity_stats_: tuple[np.ndarray, np.ndarray] | None = field(default=None, init=False)
    at_least_one_: bool = field(default=False, init=False)
    training_: dict = field(default_factory=dict, init=False)

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
        self._feature_embedder: Embedder | None = None

    # -- features ---------------------------------------------------------------------------

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.encode(list(texts))

    @property
    def feature_embedder(self) -> Embedder:
        """The embedder behind trained features: a static embedder keeps its packaged weights."""
        if self._feature_embedder is None:
            self._feature_embedder = (
                _packaged_weights(self.embedder.model_dir)
                if isinstance(self.embedder, StaticEmbedder)
                else self.embedder
            )
        return self._feature_embedder

    def similarities(self, embeddings: np.ndarray) -> np.ndarray:
        """Standardised cosine similarity of each passage to each code (columns: code_ids)."""
        raw = embeddings @ self.prototypes.T
        if self.similarity_stats_ is not None:
            mean, std = self.similarity_stats_
        else:
            # Standardise within the corpus being coded, so a code's scores are read relative to
            # how this corpus talks, not to an absolute cosine that varies by model.
            mean, std = raw.mean(axis=0), raw.std(axis=0)
        return (raw - mean) / np.where(std > 0, std, 1.0)

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.features_.transform(texts, self.feature_embedder.encode(list(texts)))

    # -- training -----------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        embeddings: np.ndarray | None = None,  # unused; kept for callers of the old signature
        groups: Sequence[str] | None = None,
        unknown: Sequence[Collection[str]] | None = None,
    ) -> Coder:
        """Learn from labelled passages (each label list may be empty).

        `groups` names each text's source document; folds never split a group. `unknown` gives,
        per text, codes whose label nobody decided (e.g. a passage where an analyst rejected one
        proposal and said nothing about the others): the text is left out of those codes'
        training, and is a positive or negative example only for the codes someone decided.
        """
        del embeddings
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} label lists")
        if groups is not None and len(groups) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(groups)} groups")
        strangers = sorted({c for row in labels for c in row} - set(self.code_ids))
        if strangers:
            raise ValueError(
                f"labels not in the codebook at level {self.level!r}: {', '.join(strangers)}"
            )
        texts = list(texts)
        Y = np.array([[c in set(row) for c in self.code_ids] for row in labels], dtype=bool)
        Y = Y.reshape(len(texts), len(self.code_ids))
        known = np.ones_like(Y)
        if unknown is not None:
            if len(unknown) != len(texts):
                raise ValueError(f"{len(texts)} texts but {len(unknown)} unknown-code lists")
            for i, codes in enumerate(unknown):
                for j, code in enumerate(self.code_ids):
                    known[i, j] = code not in codes or Y[i, j]
        self.features_ = TextFeatures.fit(texts, chars=self.chars)
        X = self.features(texts)
        folds = self._folds(len(texts), groups)
        positives = (Y & known).sum(axis=0)
        negatives = (~Y & known).sum(axis=0)
        trainable = [
            j
            for j in range(len(self.code_ids))
            if min(positives[j], negatives[j]) >= self.min_examples
        ]
        oof = np.zeros((len(texts), len(self.code_ids)))
        fitted = {}
        for j in trainable:
            y, rows = Y[:, j], known[:, j]
            for train, test in folds:
                train, test = train[rows[train]], test[rows[test]]
                if y[train].all() or not y[train].any():
                    # A fold without both classes says nothing about this code.
                    oof[test, j] = -5.0 if not y[train].any() else 5.0
                    continue
                oof[test, j] = self._classifier().fit(X[train], y[train]).decision_function(X[test])
            fitted[j] = self._classifier().fit(X[rows], y[rows])
        calibrated = np.zeros_like(oof)
        platt = {}
        for j in trainable:
            rows = known[:, j]
            curve = LogisticRegression(C=1e4, max_iter=1000).fit(oof[rows][:, [j]], Y[rows, j])
            platt[j] = (float(curve.coef_[0, 0]), float(curve.intercept_[0]))
            calibrated[:, j] = _sigmoid(platt[j][0] * oof[:, j] + platt[j][1])
        pooled = known[:, trainable]
        overall = _best_threshold(Y[:, trainable][pooled], calibrated[:, trainable][pooled])
        self.models_ = {}
        for j in trainable:
            rows = known[:, j]
            n_pos = int(positives[j])
            own = _best_threshold(Y[rows, j], calibrated[rows, j])
            weight = n_pos / (n_pos + self.shrinkage)
            threshold = round(weight * own + (1 - weight) * overall, 3)
            self.models_[self.code_ids[j]] = CodeModel(
                coef=fitted[j].coef_.ravel().astype(np.float32),
                intercept=float(fitted[j].intercept_[0]),
                platt=platt[j],
                threshold=threshold,
                n_positive=n_pos,
                n_negative=int(negatives[j]),
                cv_f1=round(_f1(Y[rows, j], calibrated[rows, j] >= threshold), 4),
            )
        self.at_least_one_ = (
            bool(Y.any(axis=1).mean() >= 0.99) if self.at_least_one is None else self.at_least_one
        )
        predicted = calibrated >= self.thresholds()
        self.training_ = {
            "passages": len(texts),
            "sha256": training_hash(texts, labels),
            "cv": {
                "folds": len(folds),
                "grouped": groups is not None,
                "micro_f1": round(_f1(Y[:, trainable][pooled], predicted[:, trainable][pooled]), 4),
            },
        }
        return self

    def _folds(self, n: int, groups: Sequence[str] | None) -> list[tuple[np.ndarray, np.ndarray]]:
        k = min(FOLDS, n if groups is None else len(set(groups)))
        if k < 2:
            raise ValueError("training needs at least two texts (two source documents)")
        if groups is None:
            return list(KFold(k, shuffle=True, random_state=self.seed).split(np.zeros(n)))
        return list(GroupKFold(k).split(np.zeros(n), groups=list(groups)))

    def _classifier(self) -> LinearSVC:
        return LinearSVC(C=self.C, random_state=self.seed)

    # -- coding ----------------------------------------------------------------------------

    def predict_proba(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        texts = list(texts)
        untrained = [j for j, c in enumerate(self.code_ids) if c not in self.models_]
        probs = np.zeros((len(texts), len(self.code_ids)))
        if untrained:
            embeddings = self.embed(texts) if embeddings is None else embeddings
            z = self.similarities(embeddings)
            probs[:, untrained] = _sigmoid(ZERO_SHOT_SLOPE * z[:, untrained] + ZERO_SHOT_OFFSET)
        if self.models_ and texts:
            # Models that read the same features are scored together, from one feature matrix.
            by_features: dict[int, tuple[TextFeatures, list[int]]] = {}
            for j, code in enumerate(self.code_ids):
                if code in self.models_:
                    features = self.models_[code].features or self.features_
                    by_features.setdefault(id(features), (features, []))[1].append(j)
            vectors = self.feature_embedder.encode(texts)
            for features, columns in by_features.values():
                models = [self.models_[self.code_ids[j]] for j in columns]
                weights = np.vstack([m.coef for m in models]).T
                decision = features.transform(texts, vectors) @ weights + np.array(
                    [m.intercept for m in models]
                )
                a = np.array([m.platt[0] for m in models])
                b = np.array([m.platt[1] for m in models])
                probs[:, columns] = _sigmoid(a * decision + b)
        return probs

    def adopt(self, other: Coder, codes: Collection[str]) -> Coder:
        """Take `other`'s trained models for `codes` (each keeps reading its own features)."""
        if other.feature_embedder.name != self.feature_embedder.name:
            raise ValueError("models trained on different embeddings cannot be combined")
        for code in codes:
            model = other.models_[code]
            self.models_[code] = replace(model, features=model.features or other.features_)
        if self.features_ is None:
            self.features_ = other.features_
        return self

    def thresholds(self) -> np.ndarray:
        untrained = NEVER if self.models_ else ZERO_SHOT_THRESHOLD
        return np.array(
            [self.models_[c].threshold if c in self.models_ else untrained for c in self.code_ids]
        )

    def predict(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> list[list[str]]:
        return self.labels_from(self.predict_proba(texts, embeddings))

    def applied(self, probs: np.ndarray) -> np.ndarray:
        thresholds = self.thresholds()
        chosen = probs >= thresholds
        if self.at_least_one_ and len(probs):
            empty = np.flatnonzero(~chosen.any(axis=1))
            reachable = thresholds < NEVER
            if len(empty) and reachable.any():
                ratio = np.where(reachable, probs[empty] / thresholds, -np.inf)
                chosen[empty, ratio.argmax(axis=1)] = True
        return chosen

    def labels_from(self, probs: np.ndarray) -> list[list[str]]:
        return [
            [c for c, on in zip(self.code_ids, row, strict=True) if on]
            for row in self.applied(probs)
        ]

    def describe(self) -> dict:
        """Which model produced the codes: recorded with every run and printed by the CLI."""
        if not self.models_:
            return {"kind": "zero-shot", "embedder": self.embedder.name}
        sources = sorted({m.source for m in self.models_.values()})
        return {
            "kind": "trained",
            "sources": sources,
            "embedder": self.feature_embedder.name,
            "features": sorted(
                {
                    "words+chars+embedding" if f.chars is not None else "words+embedding"
                    for f in (m.features or self.features_ for m in self.models_.values())
                }
            ),
            "training": self.training_,
            "trained_codes": {
                c: {
                    "positives": m.n_positive,
                    "negatives": m.n_negative,
                    "threshold": m.threshold,
                    "cv_f1": m.cv_f1,
                    "source": m.source,
                }
                for c, m in self.models_.items()
            },
            "untrained_codes": [c for c in self.code_ids if c not in self.models_],
            "at_least_one": self.at_least_one_,
        }

    # -- saving -----------------------------------------------------------------------------

    def save(self, folder: Path, **about) -> None:
        """Write the trained part as arrays and JSON (no pickle), with `about` in the manifest."""
        if not self.models_:
            raise ValueError("only a trained coder can be saved")
        if any(m.features is not None for m in self.models_.values()):
            raise ValueError("a coder combining models of several fits cannot be saved")
        folder.mkdir(parents=True, exist_ok=True)
        codes = list(self.models_)
        arrays = self.features_.arrays()
        arrays["coef"] = np.vstack([self.models_[c].coef for c in codes]).astype(np.float32)
        np.savez_compressed(folder / "weights.npz", **arrays)
        manifest = {
            "features_version": FEATURES_VERSION,
            "codebook": self.codebook.id,
            "level": self.level,
            "embedder": self.feature_embedder.name,
            "C": self.C,
            "min_examples": self.min_examples,
            "shrinkage": self.shrinkage,
            "at_least_one": self.at_least_one_,
            "training": self.training_,
            "codes": {
                c: {
                    "intercept": self.models_[c].intercept,
                    "platt": list(self.models_[c].platt),
                    "threshold": self.models_[c].threshold,
                    "positives": self.models_[c].n_positive,
                    "negatives": self.models_[c].n_negative,
                    "cv_f1": self.models_[c].cv_f1,
                }
                for c in codes
            },
            **about,
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")

    def load(self, folder: Path, source: str = "fit") -> Coder:
        """Read a model written by `save`; refuses one trained for other features or embedder."""
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest["features_version"] != FEATURES_VERSION:
            raise ValueError(
                f"{folder} was saved for features version {manifest['features_version']}"
            )
        if manifest["embedder"] != self.feature_embedder.name:
            raise ValueError(
                f"{folder} was trained on {manifest['embedder']} embeddings, "
                f"not {self.feature_embedder.name}"
            )
        missing = sorted(set(manifest["codes"]) - set(self.code_ids))
        if missing:
            raise ValueError(f"{folder} has codes the codebook lacks: {', '.join(missing)}")
        with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
            self.features_ = TextFeatures.from_arrays(arrays)
            coef = arrays["coef"]
        self.chars = self.features_.chars is not None
        self.models_ = {
            c: CodeModel(
                coef=coef[i],
                intercept=m["intercept"],
                platt=tuple(m["platt"]),
                threshold=m["threshold"],
                n_positive=m["positives"],
                n_negative=m["negatives"],
                cv_f1=m["cv_f1"],
                source=source,
            )
            for i, (c, m) in enumerate(manifest["codes"].items())
        }
        self.at_least_one_ = manifest["at_least_one"]
        self.training_ = manifest["training"]
        return self

    # -- active learning --------------------------------------------------------------------

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
        thresholds = self.thresholds()
        reachable = thresholds < NEVER
        margin = np.abs(probs[:, reachable] - thresholds[reachable]).min(axis=1)
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


@cache
def _packaged_weights(model_dir: Path) -> StaticEmbedder:
    # Its own instance, never `fit` to a corpus: analyse() re-weights the embedder it is given.
    return StaticEmbedder(model_dir)


def training_hash(texts: Sequence[str], labels: Sequence[Sequence[str]]) -> str:
    """Identifies a training set: the same texts and labels, in any order, give the same hash."""
    rows = sorted(json.dumps([t, sorted(set(row))]) for t, row in zip(texts, labels, strict=True))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _f1(y: np.ndarray, predicted: np.ndarray) -> float:
    tp = int((predicted & y).sum())
    denominator = int(predicted.sum() + y.sum())
    return 2 * tp / denominator if denominator else 0.0


def _best_threshold(y: np.ndarray, probs: np.ndarray) -> float:
    best_t, best_f1 = 0.5, -1.0
    y = y.astype(bool)
    for t in THRESHOLD_GRID:
        f1 = _f1(y, probs >= t)
        if f1 > best_f1 + 1e-9:
            best_t, best_f1 = float(t), f1
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
