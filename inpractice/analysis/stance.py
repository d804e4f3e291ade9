"""What a coded passage says about practice: its *stance* (practice, enabler, barrier or impact).

The five principles say what a passage is about; the stance says what it says about it, so the
report can count "most submissions that discussed X described practice; a minority named a
barrier" as a checked figure (docs/stance-guidelines.md gives the categories and rules that two
blind coders and an adjudicator labelled the training set with).

`StanceClassifier` is one multinomial logistic regression over four kinds of feature that each
catch what the others miss:

* word 1–2-gram TF-IDF with **no stop-word list**: "not", "no", "too" and "lack" carry the barrier
  ("waiting times are too long", "leaders have not ensured");
* character 2–5-gram TF-IDF within words (optional; `chars`), for inflections and spellings;
* the passage's sentence embedding from the static embedder's *packaged* weights (never weights
  re-fitted to a corpus, so features when classifying a call are the features it was trained on);
* three counts from a small cue lexicon (`lexicons/stance.yaml`: barrier, enabler and impact
  cues), log-scaled.

`lexicon_stances` is the same lexicon on its own, as a baseline the classifier must beat.

A trained classifier is saved as arrays (`weights.npz`: vocabularies, idf, coefficients; loaded
with `allow_pickle=False`) and a JSON manifest (training hash, cross-validated figures, the cue
lexicon's hash), like the shipped five-principles coder; `shipped_stance_classifier()` loads the
one in `models/stance/` (built by `python -m eval.train_stance`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from threadpoolctl import threadpool_limits

from .coder import TextFeatures, _packaged_weights
from .embeddings import Embedder, StaticEmbedder, default_static_embedder

PRACTICE, ENABLER, BARRIER, IMPACT = "practice", "enabler", "barrier", "impact"
# Order matters: it is the column order of every probability matrix and the order of the
# report's table.
STANCES: tuple[str, ...] = (PRACTICE, ENABLER, BARRIER, IMPACT)
STANCE_LABELS = {
    PRACTICE: "Practice",
    ENABLER: "Enabler",
    BARRIER: "Barrier",
    IMPACT: "Impact",
}
CUE_STANCES: tuple[str, ...] = (BARRIER, ENABLER, IMPACT)
# A tie in cue counts goes to the barrier (guidelines, rule 4: a report must not lose what got
# in the way), then impact, then enabler.
TIE_ORDER: tuple[str, ...] = (BARRIER, IMPACT, ENABLER)
DEFAULT_LEXICON = "lexicons/stance.yaml"
MODEL_DIR = "stance"
FOLDS = 5
# Bump when the features change meaning: a saved model with another version is refused.
FEATURES_VERSION = 1


# --------------------------------------------------------------------------- cue lexicon


@dataclass(frozen=True)
class CueLexicon:
    """Cue phrases per stance, matched as whole words (see `counts`)."""

    cues: Mapping[str, tuple[str, ...]]

    @property
    def sha256(self) -> str:
        data = json.dumps({k: list(v) for k, v in sorted(self.cues.items())}, sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()

    @property
    def table(self) -> _CueTable:
        return _table(tuple((k, tuple(v)) for k, v in sorted(self.cues.items())))

    def counts(self, texts: Sequence[str]) -> np.ndarray:
        """(n_texts, 3) cue counts, columns in CUE_STANCES order.

        Texts are split into word tokens once; each token is looked up as a one-word cue, and
        only a token that starts a longer cue has that cue compared. A regular expression of a
        few hundred alternatives was about 15 times slower (about 250 passages a second) and
        would have dominated the pipeline's stance step.
        """
        single, multi = self.table
        out = np.zeros((len(texts), len(CUE_STANCES)), dtype=np.float64)
        for i, text in enumerate(texts):
            tokens = _tokens(text)
            row = out[i]
            for k, token in enumerate(tokens):
                column = single.get(token)
                if column is not None:
                    row[column] += 1
                for phrase, column in multi.get(token, ()):
                    if tokens[k : k + len(phrase)] == phrase:
                        row[column] += 1
        return out

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        # log1p so one long passage with many cues does not outweigh the words themselves.
        return sparse.csr_matrix(np.log1p(self.counts(texts)))


# Words (with an inner apostrophe: "can't", "don't") and the per cent sign.
TOKEN = re.compile(r"[0-9a-z]+(?:'[a-z]+)?|%")


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower().replace("\u2019", "'"))


# One-word cues -> column; first word -> [(the cue's words, column)] for longer cues.
_CueTable = tuple[dict[str, int], dict[str, list[tuple[list[str], int]]]]


@cache
def _table(cues: tuple[tuple[str, tuple[str, ...]], ...]) -> _CueTable:
    single: dict[str, int] = {}
    multi: dict[str, list[tuple[list[str], int]]] = {}
    seen: set[tuple[str, ...]] = set()
    for stance, phrases in cues:
        for phrase in phrases:
            tokens = _tokens(phrase)
            if not tokens or tuple(tokens) in seen:
                continue  # a cue listed twice counts once, for its first stance
            seen.add(tuple(tokens))
            column = CUE_STANCES.index(stance)
            if len(tokens) == 1:
                single[tokens[0]] = column
            else:
                multi.setdefault(tokens[0], []).append((tokens, column))
    return single, multi


def parse_lexicon(data: object, where: str = "stance lexicon") -> CueLexicon:
    """Check the YAML's shape and return the lexicon; errors name the file and the problem."""
    if not isinstance(data, dict) or not isinstance(data.get("cues"), dict):
        raise ValueError(f"{where}: expected a mapping with a 'cues' mapping")
    cues: dict[str, tuple[str, ...]] = {}
    for stance, phrases in data["cues"].items():
        if stance not in CUE_STANCES:
            raise ValueError(f"{where}: unknown stance {stance!r} (use {', '.join(CUE_STANCES)})")
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise ValueError(f"{where}: cues for {stance!r} must be a list of phrases")
        cues[stance] = tuple(p for p in phrases if p.strip())
    return CueLexicon(cues)


@cache
def default_lexicon() -> CueLexicon:
    path = resources.files("inpractice.analysis").joinpath(DEFAULT_LEXICON)
    return parse_lexicon(yaml.safe_load(path.read_text(encoding="utf-8")), DEFAULT_LEXICON)


def lexicon_stances(texts: Sequence[str], lexicon: CueLexicon | None = None) -> list[str]:
    """The lexicon-only baseline: the stance with most cues; none at all is practice."""
    counts = (lexicon or default_lexicon()).counts(texts)
    order = [CUE_STANCES.index(s) for s in TIE_ORDER]
    out = []
    for row in counts:
        if not row.any():
            out.append(PRACTICE)
            continue
        best = max(order, key=lambda j: (row[j], -order.index(j)))
        out.append(CUE_STANCES[best])
    return out


# --------------------------------------------------------------------------- the classifier


def training_hash(texts: Sequence[str], stances: Sequence[str]) -> str:
    """Identifies a training set: the same texts and stances, in any order, give the same hash."""
    rows = sorted(json.dumps([t, s]) for t, s in zip(texts, stances, strict=True))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the four stances (a stance absent from both counts as F1 0, not skipped)."""
    scores = []
    for s in STANCES:
        tp = sum(t == s and p == s for t, p in zip(truth, predicted, strict=True))
        denominator = sum(t == s for t in truth) + sum(p == s for p in predicted)
        scores.append(2 * tp / denominator if denominator else 0.0)
    return float(np.mean(scores))


@dataclass
class StanceClassifier:
    """A single-label stance classifier with the scikit-learn shape: fit, predict_proba, predict.

    `C` is the inverse regularisation of the logistic regression; `balanced` weights classes
    inversely to their frequency (impact and enabler are rarer than practice and barrier, and the
    report counts each one); `chars` adds character n-grams (slower: measured in ADR 0027).
    """

    C: float = 4.0
    balanced: bool = True
    chars: bool = False
    embedder: Embedder | None = None
    lexicon: CueLexicon | None = None
    seed: int = 0
    features_: TextFeatures | None = field(default=None, init=False)
    coef_: np.ndarray | None = field(default=None, init=False)  # (4, n_features)
    intercept_: np.ndarray | None = field(default=None, init=False)  # (4,)
    training_: dict = field(default_factory=dict, init=False)
    source_: str = field(default="fit", init=False)

    def __post_init__(self) -> None:
        self.embedder = self.embedder or default_static_embedder()
        self.lexicon = self.lexicon or default_lexicon()

    @property
    def feature_embedder(self) -> Embedder:
        """A static embedder keeps its packaged weights (see `coder.Coder.feature_embedder`)."""
        if isinstance(self.embedder, StaticEmbedder):
            return _packaged_weights(self.embedder.model_dir)
        return self.embedder

    @property
    def trained(self) -> bool:
        return self.coef_ is not None

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        texts = list(texts)
        base = self.features_.transform(texts, self.feature_embedder.encode(texts))
        return sparse.hstack([base, self.lexicon.features(texts)], format="csr")

    def _model(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C,
            max_iter=3000,
            class_weight="balanced" if self.balanced else None,
            random_state=self.seed,
        )

    def fit(
        self,
        texts: Sequence[str],
        stances: Sequence[str],
        groups: Sequence[str] | None = None,
        cross_validate: bool = True,
    ) -> StanceClassifier:
        """Learn from labelled passages; `groups` (source documents) keep folds apart.

        With `cross_validate`, the training record holds out-of-fold accuracy and macro-F1
        (folds grouped by document when groups are given), measured on the training data only.
        """
        texts, stances = list(texts), list(stances)
        if len(texts) != len(stances):
            raise ValueError(f"{len(texts)} texts but {len(stances)} stances")
        strangers = sorted(set(stances) - set(STANCES))
        if strangers:
            raise ValueError(f"unknown stances {', '.join(strangers)}: use {', '.join(STANCES)}")
        if len(set(stances)) < 2:
            raise ValueError("training needs passages of at least two stances")
        y = np.array([STANCES.index(s) for s in stances])
        # One BLAS thread: the solver's vectors are small, and on a busy machine many threads
        # made one fit 30 times slower (27 s instead of 0.9 s for 714 passages).
        with threadpool_limits(limits=1):
            return self._fit(texts, stances, y, groups, cross_validate)

    def _fit(
        self,
        texts: list[str],
        stances: list[str],
        y: np.ndarray,
        groups: Sequence[str] | None,
        cross_validate: bool,
    ) -> StanceClassifier:
        cv: dict = {}
        if cross_validate:
            predicted = self._out_of_fold(texts, y, groups)
            truth = [STANCES[i] for i in y]
            guess = [STANCES[i] for i in predicted]
            cv = {
                "folds": FOLDS,
                "grouped": groups is not None,
                "accuracy": round(float(np.mean(predicted == y)), 4),
                "macro_f1": round(macro_f1(truth, guess), 4),
            }
        self.features_ = TextFeatures.fit(texts, chars=self.chars)
        model = self._model().fit(self.features(texts), y)
        self.coef_, self.intercept_ = _full_rows(model, y)
        self.training_ = {
            "passages": len(texts),
            "sha256": training_hash(texts, stances),
            "by_stance": {s: int((y == i).sum()) for i, s in enumerate(STANCES)},
            "cv": cv,
        }
        self.source_ = "fit"
        return self

    def _out_of_fold(
        self, texts: list[str], y: np.ndarray, groups: Sequence[str] | None
    ) -> np.ndarray:
        n = len(texts)
        if groups is not None and len(set(groups)) >= FOLDS:
            folds = GroupKFold(FOLDS).split(np.zeros(n), y, groups=list(groups))
        else:
            k = max(2, min(FOLDS, int(np.bincount(y).min())))
            folds = StratifiedKFold(k, shuffle=True, random_state=self.seed).split(np.zeros(n), y)
        predicted = np.zeros(n, dtype=int)
        for train, test in folds:
            fold = type(self)(
                C=self.C,
                balanced=self.balanced,
                chars=self.chars,
                embedder=self.embedder,
                lexicon=self.lexicon,
                seed=self.seed,
            )
            train_texts = [texts[i] for i in train]
            fold.fit(train_texts, [STANCES[i] for i in y[train]], cross_validate=False)
            predicted[test] = fold.predict_proba([texts[i] for i in test]).argmax(axis=1)
        return predicted

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 4) probabilities, columns in STANCES order."""
        if not self.trained:
            raise ValueError("the stance classifier is not trained: fit or load it first")
        texts = list(texts)
        if not texts:
            return np.zeros((0, len(STANCES)))
        scores = self.features(texts) @ self.coef_.T + self.intercept_
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [STANCES[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def describe(self) -> dict:
        """Which model gave the stances: recorded with every run."""
        return {
            "kind": "trained",
            "source": self.source_,
            "embedder": self.feature_embedder.name,
            "features": "words+chars+embedding+cues" if self.chars else "words+embedding+cues",
            "lexicon": self.lexicon.sha256[:12],
            "training": self.training_,
        }

    # -- saving -----------------------------------------------------------------------------

    def save(self, folder: Path, **about) -> None:
        """Write the model as arrays and JSON (no pickle), with `about` in the manifest."""
        if not self.trained:
            raise ValueError("only a trained stance classifier can be saved")
        folder.mkdir(parents=True, exist_ok=True)
        arrays = self.features_.arrays()
        arrays["coef"] = self.coef_.astype(np.float32)
        arrays["intercept"] = self.intercept_.astype(np.float64)
        np.savez_compressed(folder / "weights.npz", **arrays)
        manifest = {
            "features_version": FEATURES_VERSION,
            "stances": list(STANCES),
            "embedder": self.feature_embedder.name,
            "lexicon_sha256": self.lexicon.sha256,
            "C": self.C,
            "balanced": self.balanced,
            "chars": self.chars,
            "training": self.training_,
            **about,
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")

    def load(self, folder: Path, source: str = "fit") -> StanceClassifier:
        """Read a model written by `save`; refuses one for other features, embedder or cues."""
        manifest = json.loads((Path(folder) / "manifest.json").read_text())
        if manifest.get("features_version") != FEATURES_VERSION:
            version = manifest.get("features_version")
            raise ValueError(f"{folder} was saved for stance features version {version}")
        if manifest.get("stances") != list(STANCES):
            raise ValueError(f"{folder} classifies {manifest.get('stances')}, not {list(STANCES)}")
        if manifest["embedder"] != self.feature_embedder.name:
            raise ValueError(
                f"{folder} was trained on {manifest['embedder']} embeddings, "
                f"not {self.feature_embedder.name}"
            )
        if manifest["lexicon_sha256"] != self.lexicon.sha256:
            raise ValueError(
                f"{folder} was trained with another cue lexicon: retrain it "
                "(python -m eval.train_stance)"
            )
        with np.load(Path(folder) / "weights.npz", allow_pickle=False) as arrays:
            self.features_ = TextFeatures.from_arrays(arrays)
            self.coef_ = arrays["coef"].astype(np.float64)
            self.intercept_ = arrays["intercept"].astype(np.float64)
        self.C, self.balanced = manifest["C"], manifest["balanced"]
        self.chars = self.features_.chars is not None
        self.training_ = manifest["training"]
        self.source_ = source
        return self


def _full_rows(model: LogisticRegression, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients with one row per stance, even for a stance absent from the training data
    (its row gets a score no present stance loses to)."""
    coef = np.zeros((len(STANCES), model.coef_.shape[1]))
    intercept = np.full(len(STANCES), -1e3)
    if len(model.classes_) == 2:
        # scikit-learn stores one row for two classes: the second class's log-odds.
        coef[model.classes_[1]] = model.coef_[0]
        intercept[model.classes_[1]] = model.intercept_[0]
        intercept[model.classes_[0]] = 0.0
    else:
        for row, cls in enumerate(model.classes_):
            coef[cls] = model.coef_[row]
            intercept[cls] = model.intercept_[row]
    return coef, intercept


# --------------------------------------------------------------------------- the shipped model


def shipped_model_dir() -> Path | None:
    folder = Path(str(resources.files("inpractice.analysis").joinpath("models", MODEL_DIR)))
    return folder if (folder / "manifest.json").exists() else None


@cache
def shipped_manifest() -> dict | None:
    folder = shipped_model_dir()
    return json.loads((folder / "manifest.json").read_text()) if folder else None


def shipped_stance_classifier(embedder: Embedder | None = None) -> StanceClassifier | None:
    """The stance model that ships with the package, or None when there is none (or it was
    trained on other embeddings than `embedder`'s: its weights would read the wrong features)."""
    folder = shipped_model_dir()
    if folder is None:
        return None
    classifier = StanceClassifier(embedder=embedder)
    if shipped_manifest()["embedder"] != classifier.feature_embedder.name:
        return None
    return classifier.load(folder, source="shipped")


def stance_in_words(about: dict | None) -> str:
    """What gave the stances, for people: the run pages and the report's barriers section."""
    if not about:
        return "not recorded: this analysis run predates stance classification"
    training = about.get("training") or {}
    cv = training.get("cv") or {}
    origin = (
        "the stance model shipped with the package"
        if about.get("source") == "shipped"
        else ("a stance model trained for this run")
    )
    sentence = (
        f"{origin} ({about.get('features', '')}), trained on "
        f"{training.get('passages', 0):,} labelled passages"
    )
    if cv.get("macro_f1") is not None:
        sentence += f", cross-validated macro-F1 {cv['macro_f1']:.2f}"
    return sentence
