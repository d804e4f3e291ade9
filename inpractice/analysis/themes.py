"""Emergent themes: clusters of passages with readable labels, BERTopic-style, in linear time.

The pipeline is BERTopic's (embed, reduce, cluster, describe), built so that 700,000 passages take
seconds to a minute and a few hundred MiB beyond the embeddings on two cores: no pairwise distance
matrix, no agglomerative or density clustering over all points.

1. **reduce**: centre on the mean of a seeded sample (removing the direction every passage shares),
   project onto the sample's top `n_components` principal axes, re-normalise; cosine in that space
   is the clustering metric. Any scikit-learn transformer can replace the PCA (`reducer=`); it is
   fitted on the sample only.
2. **cluster**: KMeans on at most `sample_size` sampled passages. Without `n_themes`, k is the best
   silhouette among up to five values from k0/2 to k0, k0 = sqrt(n / 4) within [2, max_themes].
   One more Lloyd step over all passages (in chunks) refines the centres. Centres that are
   near-duplicates (cosine >= `merge_threshold`) form one cluster, merged over the k centres only.
3. **assign**: each passage goes to its nearest centre. A cluster with fewer than `min_size`
   passages, or, when `groups` are given, fewer than `min_submissions` distinct submissions, is
   dropped and its passages become -1. A passage much further from its centre than passages
   typically are (robust z-score below -`outlier_z`, or cosine below a fixed
   `outlier_threshold`) is an outlier, -1. `transform` applies the same rule, so
   `fit(X).labels_ == transform(X)`.
4. **describe**: class-based TF-IDF (c-TF-IDF as in BERTopic, with square-root term frequency as
   in its `reduce_frequent_words`), computed on a seeded sample of each theme's passages against
   the other themes and the outliers. Phrases have one to three words that are not stop words,
   with stop words allowed inside ("speech and language therapy", "theory of mind") but not at
   either end. Multi-word phrases get a bonus. A longer phrase replaces a shorter one it contains
   when it accounts for at least half of the shorter one's uses ("sensory circuits" over
   "sensory"). Phrases that share a word are not both kept. When the theme spans two or more
   submissions, a phrase must occur in at least two of them, so one school's name cannot label
   a theme.
5. **label**: the label is a readable noun phrase built from the key phrases that look like noun
   phrases (`is_noun_phrase`: no verb such as "share" or "shifted", no article or "from" inside,
   not ending in an adverb or a predicative adjective), written with the capitals the passages use
   ("SENCO", "Makaton"), in sentence case and joined as "A, B and C"; it is shortened only by
   dropping whole phrases (`readable_label`), never inside a word.

A theme most of whose passages already carry one code is a part of that code, not something the
codebook misses: `mark_within_codes` names the code in its label ("... (within <code>)"); ADR
0026 (docs/decisions/0026-demo-that-reads-real-and-themes-within-codes.md) gives the cut,
`WITHIN_CODE_SHARE`.

Themes are ordered by size (largest first), then label, and numbered in that order. The same
input and seed give identical themes, order and labels (KMeans runs on one OpenMP thread for
that reason).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

CHUNK = 65_536  # rows per block when streaming over all passages
LABEL_SEPARATOR = " · "  # between key phrases where they are listed, not in labels
MAX_LABEL_CHARS = 80  # a label longer than this loses whole phrases from its end
# A theme is "within" a code when at least this share of its passages carry that one code (the
# code's probability reaches its threshold). ADR 0026 gives the reasons for two thirds.
WITHIN_CODE_SHARE = 2 / 3
MAX_CONTENT_WORDS = 3  # words in a key phrase that are not stop words
MAX_PHRASE_TOKENS = 4  # words in a key phrase, stop words included
PHRASE_BONUS = 0.25  # score x (1 + bonus per extra content word): prefer multi-word phrases

_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘/|•*\n–—]+|\s[-‘’']+\s")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'\-]*[a-z0-9]|[a-z]")


@dataclass
class Theme:
    id: int
    label: str
    key_phrases: list[str]
    size: int
    passage_indices: list[int]
    representatives: list[int]
    centroid: np.ndarray
    coherence: float
    submissions: int | None = None  # distinct submissions among the members, when groups are known
    within_code: str | None = None  # the code that explains most of it (`mark_within_codes`)
    within_share: float = 0.0  # the share of its passages that carry `within_code`

    def to_dict(self, include_centroid: bool = False) -> dict:
        data = {
            "id": self.id,
            "label": self.label,
            "key_phrases": list(self.key_phrases),
            "size": self.size,
            "submissions": self.submissions,
            "coherence": round(float(self.coherence), 4),
            "representatives": list(self.representatives),
            "passage_indices": list(self.passage_indices),
            "within_code": self.within_code,
            "within_share": round(float(self.within_share), 4),
        }
        if include_centroid:
            data["centroid"] = [float(v) for v in self.centroid]
        return data


def uncovered(code_probabilities: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """True for passages that no code explains: every code's probability is below `threshold`.

    `code_probabilities` is (n_passages, n_codes); run a ThemeFinder on
    `embeddings[uncovered(p)]` to see what the codebook misses.
    """
    probabilities = np.asarray(code_probabilities, dtype=np.float64)
    if probabilities.ndim == 1:
        probabilities = probabilities[:, None]
    if probabilities.ndim != 2:
        raise ValueError("code_probabilities must be (n_passages, n_codes)")
    if probabilities.shape[1] == 0:
        return np.ones(probabilities.shape[0], dtype=bool)
    return probabilities.max(axis=1) < threshold


# ---- readable labels --------------------------------------------------------------------------


# Words that make a phrase a clause rather than a name for something: verbs that are rarely
# nouns ("share a short summary", "comments shifted from send", "staff feel confident").
# Words that are both (support, plan, review, need, help, work, change, care) are not listed.
def _word_list(text: str) -> frozenset[str]:
    """A set of words written as a paragraph, for the lists below."""
    return frozenset(text.split())


_VERBS = _word_list(
    """
    allow allows allowed ask asks asked became become becomes believe believes bring brings
    brought build builds came come comes could create creates describe describes develop develops
    did does done enable enables ensure ensures explain explains feel feels felt find finds found
    gave get gets give gives go goes going gone got identify identifies include includes involve
    involves keep keeps kept knew know knows learnt made make makes meet meets met move moves
    offer offers provide provides put puts ran reduce reduces said saw say says see seem seems
    seen sees share shares shifted spend spends spent start starts stop stops take takes taken
    teach teaches tell tells think thinks thought told took tried tries try understand understands
    want wants went wrote learn learns settle settles arrive arrives stay stays listen listens
    notice noticed manage manages cope copes follow follows fell rose began grew receive receives
    received compared speak speaks spoke
    """
)
# Words that end a clause, not a noun phrase: predicative adjectives and adverbs.
_NOT_LAST = _word_list(
    """
    able available better calm calmer clear confident different difficult easier easy good happier
    happy hard important inclusive large possible ready right safe small useful well willing
    """
)
# Words that label nothing on their own ("cent" from "per cent", "moment" from "at the right
# moment"), and the last words of organisations' names, whose fragments ("Primary School",
# "Trust") are not themes.
_TOO_GENERIC = frozenset(
    {"cent", "moment", "months", "number", "year", "years", "way", "lot", "proportion", "time"}
)
_NAME_ENDINGS = frozenset({"school", "schools", "trust", "academy", "council", "college"})
# Words ending in "al" that are nouns; any other such word ends a phrase cut short ("special
# educational" from "special educational needs").
_AL_NOUNS = frozenset(
    {
        "approval",
        "arrival",
        "hospital",
        "individual",
        "manual",
        "principal",
        "professional",
        "proposal",
        "referral",
        "removal",
        "renewal",
        "signal",
        "survival",
        "tutorial",
    }
)
# Stop words that can sit inside a noun phrase: "theory of mind", "speech and language
# therapy", "support for families", "pupils with autism", "access to lessons".
_INNER = frozenset({"of", "and", "for", "in", "with", "to", "on"})
# Words ending in "ed" that are not past participles ("special educational need").
_ED_NOUNS = frozenset({"need", "needed", "seed", "bed", "speed", "feed"})


def is_noun_phrase(phrase: str, stop: frozenset[str] = ENGLISH_STOP_WORDS) -> bool:
    """Whether a key phrase reads as a name for something rather than part of a clause: no
    verb, no stop word inside except a few prepositions and "and", a past participle only
    before a noun ("targeted support", not "comments shifted from"), and not ending in an
    adverb or a predicative adjective."""
    tokens = phrase.lower().split()
    if not tokens or any(t in _VERBS for t in tokens):
        return False
    last = tokens[-1]
    if last in _NOT_LAST or last.endswith("ly") or last in stop:
        return False
    if last.endswith("al") and last not in _AL_NOUNS:
        return False
    if tokens[0] in stop:
        return False
    for i, token in enumerate(tokens):
        if token in stop and token not in _INNER:
            return False
        if token.endswith("ed") and token not in _ED_NOUNS:
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if not following or following in stop:
                return False
    return True


def surface_forms(texts: Iterable[str]) -> dict[str, str]:
    """How each word is usually written inside a sentence ("SENCO", "Makaton", "pupils"):
    lower-case word -> the most common form, sentence starts ignored."""
    counts: dict[str, dict[str, int]] = {}
    for text in texts:
        for sentence in re.split(r"(?<=[.!?:;])\s+|\n+", text):
            words = re.findall(r"[A-Za-z][A-Za-z'\-]*", sentence)
            for word in words[1:]:
                forms = counts.setdefault(word.lower(), {})
                forms[word] = forms.get(word, 0) + 1
    out = {}
    for lower, forms in counts.items():
        best = max(sorted(forms), key=lambda form: forms[form])
        out[lower] = best if best != lower and forms[best] * 2 > sum(forms.values()) else lower
    return out


def readable_label(
    phrases: Sequence[str],
    forms: dict[str, str] | None = None,
    limit: int = MAX_LABEL_CHARS,
    count: int = 3,
) -> str:
    """A label from key phrases: the first `count` that read as noun phrases, or whose longest
    opening words do (the first phrase where none does), as the passages write them, sentence
    case, joined "A, B and C"; whole phrases are dropped from the end to fit `limit` characters,
    and a single phrase longer than that is cut at a word boundary with an ellipsis (never
    inside a word)."""
    forms = forms or {}

    def usable(phrase: str) -> bool:
        words = phrase.split()
        written = [forms.get(w, w) for w in words]
        if words[-1] in _NAME_ENDINGS and all(w[:1].isupper() for w in written):
            return False  # a piece of a school's or trust's name
        if words[0] in _TOO_GENERIC:
            return False  # "cent of parents"
        if len(words) == 1:
            # One word labels a theme only when it is a name or an abbreviation ("SENCO",
            # "Makaton"), not a common noun ("budget") or a fragment ("cent").
            return written[0] != words[0] and words[0] not in _TOO_GENERIC
        return True

    def readable_part(phrase: str) -> str | None:
        """The phrase, or else its longest opening of two or more words that reads as a noun
        phrase ("pupils with SEND" of "pupils with SEND fell"). Not a later part: the
        end of a clause ("short summary" of "share a short summary") is not what it is about."""
        words = phrase.split()
        for size in range(len(words), 1 if len(words) > 1 else 0, -1):
            part = " ".join(words[:size])
            if is_noun_phrase(part) and usable(part):
                return part
        return None

    nouns = [part for p in phrases if (part := readable_part(p))][:count]
    nouns = nouns or [p for p in phrases if is_noun_phrase(p)][:1] or list(phrases[:1])
    if not nouns:
        return ""
    written = [" ".join(forms.get(w, w) for w in p.split()) for p in nouns]

    def join(parts: list[str]) -> str:
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return text[:1].upper() + text[1:]

    while len(written) > 1 and len(join(written)) > limit:
        written.pop()
    label = join(written)
    if len(label) > limit:
        # Cut at the last word boundary that fits; a first word longer than the limit stays whole.
        head = label[: limit - 1]
        cut = head.rsplit(" ", 1)[0] if " " in head else label.split(" ", 1)[0]
        label = cut.rstrip(",;: ") + ("…" if cut != label else "")
    return label


def mark_within_codes(
    themes: Sequence[Theme],
    explained: np.ndarray,
    code_names: Sequence[str],
    share: float = WITHIN_CODE_SHARE,
) -> None:
    """Name the code in the label of each theme that is mostly one code's passages.

    `explained` is (n_passages, n_codes), True where a passage carries the code (probability at
    or above its threshold); `code_names` names its columns. A theme where one code covers at
    least `share` of the passages gets `within_code`, `within_share` and the label
    "<label> (within <code name>)": it is a part of that code, not something the codebook misses.
    """
    explained = np.asarray(explained, dtype=bool)
    if explained.ndim != 2 or explained.shape[1] != len(code_names):
        raise ValueError("explained must be (n_passages, n_codes), one column per code name")
    for theme in themes:
        if not theme.passage_indices or not len(code_names):
            continue
        shares = explained[np.asarray(theme.passage_indices)].mean(axis=0)
        best = int(np.argmax(shares))
        if shares[best] >= share:
            theme.within_code = str(code_names[best])
            theme.within_share = float(shares[best])
            if "(within " not in theme.label:
                theme.label = f"{theme.label} (within {code_names[best]})"


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


def _factorise(groups: Sequence[str]) -> tuple[np.ndarray, int]:
    codes: dict[str, int] = {}
    ids = np.fromiter(
        (codes.setdefault(g, len(codes)) for g in groups), dtype=np.int64, count=len(groups)
    )
    return ids, len(codes)


def _distinct_per_cluster(
    labels: np.ndarray, group_ids: np.ndarray, n_groups: int, k: int
) -> np.ndarray:
    """Number of distinct groups in each cluster 0..k-1 (labels of -1 ignored)."""
    ok = labels >= 0
    pairs = np.unique(labels[ok].astype(np.int64) * n_groups + group_ids[ok])
    return np.bincount(pairs // n_groups, minlength=k)[:k]


def _singular(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _overlaps(a: tuple[str, ...], b: tuple[str, ...], stop: frozenset[str]) -> bool:
    """Phrases that would repeat each other in a label: they share a word that is not a stop
    word ("speech and language therapy" / "... therapist", "sensory" / "sensory room")."""
    return bool((set(a) & set(b)) - stop)


class ThemeFinder:
    """Find emergent themes in passage embeddings; scikit-learn style (`fit`, `transform`).

    Parameters beyond the common ones: `stop_phrases` never used as key phrases (a one-word
    entry also acts as a stop word, so no phrase starts or ends with it); `n_components` PCA
    dimensions for clustering (None: centre only); `reducer` any transformer to use instead
    (cloned, fitted on the sample); `merge_threshold` centre cosine at which clusters merge (None:
    never); `min_submissions` distinct submissions a theme needs when `groups` are given;
    `outlier_z` robust z-score below which a passage is an outlier (None: no outliers), or
    `outlier_threshold` a fixed cosine in the clustering space instead; `describe_sample`
    passages per theme used for c-TF-IDF.

    After `fit`: `themes_` (list of Theme, ids 0.., passage indices into the arrays given to
    `fit`), `labels_` (theme id per passage or -1), `n_clusters_` (KMeans k), `k_scores_`
    (silhouette per candidate k, when k was chosen).
    """

    def __init__(
        self,
        n_themes: int | None = None,
        min_size: int = 5,
        seed: int = 0,
        sample_size: int = 50_000,
        max_themes: int = 40,
        stop_phrases: Iterable[str] = (),
        *,
        n_components: int | None = 48,
        reducer=None,
        merge_threshold: float | None = 0.8,
        min_submissions: int = 2,
        outlier_z: float | None = 3.0,
        outlier_threshold: float | None = None,
        n_key_phrases: int = 8,
        n_label_phrases: int = 3,
        n_representatives: int = 5,
        describe_sample: int = 500,
        n_init: int = 3,
    ):
        self.n_themes = n_themes
        self.min_size = min_size
        self.seed = seed
        self.sample_size = sample_size
        self.max_themes = max_themes
        self.stop_phrases = tuple(stop_phrases)
        self.n_components = n_components
        self.reducer = reducer
        self.merge_threshold = merge_threshold
        self.min_submissions = min_submissions
        self.outlier_z = outlier_z
        self.outlier_threshold = outlier_threshold
        self.n_key_phrases = n_key_phrases
        self.n_label_phrases = n_label_phrases
        self.n_representatives = n_representatives
        self.describe_sample = describe_sample
        self.n_init = n_init

    # ---- choosing k -------------------------------------------------------------------------

    def choose_k(self, n: int) -> int:
        """Clusters to look for in n passages: about sqrt(n / 4), within [2, max_themes]."""
        if n < 2:
            return n
        if self.n_themes is not None:
            return max(1, min(int(self.n_themes), n))
        k = min(max(round(math.sqrt(n / 4)), 2), self.max_themes)
        return max(1, min(k, n // max(self.min_size, 1)))

    # ---- fitting ----------------------------------------------------------------------------

    def fit(
        self, embeddings: np.ndarray, texts: Sequence[str], groups: Sequence[str] | None = None
    ) -> ThemeFinder:
        X = np.asarray(embeddings, dtype=np.float32)
        if X.ndim != 2:
            raise ValueError("embeddings must be a 2-D array (n_passages, dim)")
        n = X.shape[0]
        if len(texts) != n:
            raise ValueError(f"{len(texts)} texts for {n} embeddings")
        if groups is not None and len(groups) != n:
            raise ValueError(f"{len(groups)} groups for {n} embeddings")
        self._reset(X.shape[1])
        k = self.choose_k(n)
        if k < 1 or n < self.min_size:
            self.labels_ = np.full(n, -1, dtype=np.int64)
            return self

        rng = np.random.default_rng(self.seed)
        if n > self.sample_size:
            sample = np.sort(rng.choice(n, size=self.sample_size, replace=False))
        else:
            sample = np.arange(n)
        X_sample = X[sample]
        self._fit_reduction(X_sample)
        Z_sample = self._project(X_sample)
        k = min(k, len(np.unique(np.round(Z_sample, 5), axis=0)))
        kmeans = self._cluster(Z_sample, k)
        k = kmeans.n_clusters
        centres = _normalise_rows(kmeans.cluster_centers_.astype(np.float32))
        del X_sample, Z_sample
        if n > len(sample):
            centres = self._refine(X, centres)
        self.centres_ = centres
        self.n_clusters_ = k
        # Near-duplicate centres (one topic split in two) become one cluster; each keeps its own
        # centre, so a cluster may own several, and assignment stays nearest-centre.
        nearest, score = self._nearest(X)
        self.centre_cluster_ = self._merge(centres, np.bincount(nearest, minlength=k))
        m = int(self.centre_cluster_.max()) + 1
        clusters = self.centre_cluster_[nearest]
        group_ids, n_groups = _factorise(groups) if groups is not None else (None, 0)
        keep = self._enough(clusters, group_ids, n_groups, m)
        # Outliers: much further from their nearest centre than passages typically are
        # (median - z * 1.4826 * MAD over all passages of kept clusters), or a fixed cosine.
        self.threshold_ = -np.inf
        if self.outlier_threshold is not None:
            self.threshold_ = float(self.outlier_threshold)
        elif self.outlier_z is not None and keep.any():
            s = score[keep[clusters]]
            median = float(np.median(s))
            mad = float(np.median(np.abs(s - median))) * 1.4826
            self.threshold_ = median - self.outlier_z * max(mad, 1e-3)
        inlier = keep[clusters] & (score >= self.threshold_)
        # Outliers can leave a cluster too small or too narrow: drop it too (one pass, no loop).
        keep &= self._enough(np.where(inlier, clusters, -1), group_ids, n_groups, m)
        inlier &= keep[clusters]
        cluster_labels = np.where(inlier, clusters, -1)

        themes = self._describe(X, texts, cluster_labels, keep, group_ids, n_groups, m)
        themes.sort(key=lambda item: (-item[1].size, item[1].label, item[0]))
        self.cluster_to_theme_ = np.full(m, -1, dtype=np.int64)
        for theme_id, (cluster, theme) in enumerate(themes):
            theme.id = theme_id
            self.cluster_to_theme_[cluster] = theme_id
        self.themes_ = [theme for _, theme in themes]
        self.labels_ = np.where(
            cluster_labels >= 0, self.cluster_to_theme_[np.maximum(cluster_labels, 0)], -1
        )
        return self

    def fit_transform(
        self, embeddings: np.ndarray, texts: Sequence[str], groups: Sequence[str] | None = None
    ) -> np.ndarray:
        return self.fit(embeddings, texts, groups).labels_

    def transform(self, embeddings: np.ndarray) -> np.ndarray:
        """Theme id for each passage, or -1 when no theme claims it (outlier or dropped cluster)."""
        if not hasattr(self, "themes_"):
            raise RuntimeError("ThemeFinder is not fitted")
        if self.centres_ is None:
            return np.full(len(embeddings), -1, dtype=np.int64)
        X = np.asarray(embeddings, dtype=np.float32)
        nearest, score = self._nearest(X)
        themes = self.cluster_to_theme_[self.centre_cluster_[nearest]]
        return np.where(score >= self.threshold_, themes, -1)

    # ---- internals --------------------------------------------------------------------------

    def _reset(self, dim: int) -> None:
        self.themes_: list[Theme] = []
        self.labels_ = np.zeros(0, dtype=np.int64)
        self.centres_: np.ndarray | None = None
        self.threshold_ = -np.inf
        self.cluster_to_theme_ = np.zeros(0, dtype=np.int64)
        self.centre_cluster_ = np.zeros(0, dtype=np.int64)
        self.n_clusters_ = 0
        self.k_scores_: dict[int, float] = {}
        self.mean_ = np.zeros(dim, dtype=np.float32)
        self.components_: np.ndarray | None = None
        self.reducer_ = None

    def _fit_reduction(self, X_sample: np.ndarray) -> None:
        self.mean_ = X_sample.mean(axis=0, dtype=np.float64).astype(np.float32)
        if self.reducer is not None:
            self.reducer_ = clone(self.reducer).fit(X_sample)
            return
        dim = X_sample.shape[1]
        d = (
            None
            if self.n_components is None
            else min(self.n_components, dim, max(len(X_sample) - 1, 1))
        )
        if d is None or d >= dim:
            return
        centred = (X_sample - self.mean_).astype(np.float64)
        values, vectors = np.linalg.eigh(centred.T @ centred)
        top = vectors[:, np.argsort(values)[::-1][:d]]
        # Fix each axis's sign so the projection does not depend on the eigensolver's choice.
        signs = np.sign(top[np.abs(top).argmax(axis=0), np.arange(d)])
        signs[signs == 0] = 1.0
        self.components_ = (top * signs).astype(np.float32)

    def _cluster(self, Z: np.ndarray, k: int) -> KMeans:
        """KMeans with k clusters, or, when `n_themes` is not set, the best of a few k up to k.

        The candidates are up to five values from k/2 to k, each tried on at most 10,000
        sampled passages; the one with the highest silhouette (on 2,000 of them) is then fitted on
        the whole sample. Five planted topics give five themes, not six.
        """
        self.k_scores_ = {}
        if self.n_themes is None and k > 2:
            candidates = sorted(
                {int(round(x)) for x in np.linspace(max(2, math.ceil(k / 2)), k, 5)}
            )
            rng = np.random.default_rng([self.seed, 1])
            trial = Z if len(Z) <= 10_000 else Z[np.sort(rng.choice(len(Z), 10_000, replace=False))]
            for candidate in candidates:
                labels = self._kmeans(trial, candidate, n_init=self.n_init).labels_
                if len(np.unique(labels)) < 2:
                    continue
                self.k_scores_[candidate] = round(
                    float(
                        silhouette_score(
                            trial, labels, sample_size=min(2000, len(trial)), random_state=self.seed
                        )
                    ),
                    4,
                )
            if self.k_scores_:
                k = max(self.k_scores_, key=lambda c: (self.k_scores_[c], -c))
        return self._kmeans(Z, k, n_init=self.n_init)

    def _kmeans(self, Z: np.ndarray, k: int, n_init: int) -> KMeans:
        # One OpenMP thread: scikit-learn's Lloyd step adds per-thread partial sums in whichever
        # order the threads finish, which can flip a borderline passage between runs.
        with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="openmp"):
            warnings.simplefilter("ignore", ConvergenceWarning)
            return KMeans(
                n_clusters=k, n_init=n_init, random_state=self.seed, algorithm="lloyd"
            ).fit(Z)

    def _project(self, X: np.ndarray) -> np.ndarray:
        if self.reducer_ is not None:
            return _normalise_rows(np.asarray(self.reducer_.transform(X), dtype=np.float32))
        centred = X - self.mean_
        if self.components_ is not None:
            centred = centred @ self.components_
        return _normalise_rows(centred)

    def _nearest(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = X.shape[0]
        nearest = np.empty(n, dtype=np.int64)
        score = np.empty(n, dtype=np.float32)
        for start in range(0, n, CHUNK):
            similarity = self._project(X[start : start + CHUNK]) @ self.centres_.T
            nearest[start : start + CHUNK] = similarity.argmax(axis=1)
            score[start : start + CHUNK] = similarity.max(axis=1)
        return nearest, score

    def _refine(self, X: np.ndarray, centres: np.ndarray) -> np.ndarray:
        """One Lloyd step over every passage: centres become the means of all their members."""
        k = len(centres)
        sums = np.zeros_like(centres, dtype=np.float64)
        for start in range(0, X.shape[0], CHUNK):
            Z = self._project(X[start : start + CHUNK])
            nearest = (Z @ centres.T).argmax(axis=1)
            onehot = sparse.csr_matrix(
                (np.ones(len(Z), dtype=np.float32), (nearest, np.arange(len(Z)))), shape=(k, len(Z))
            )
            sums += onehot @ Z
        empty = ~np.any(sums, axis=1)
        sums[empty] = centres[empty]
        return _normalise_rows(sums.astype(np.float32))

    def _merge(self, centres: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """Cluster id per centre: average-linkage over the k centres (never over passages).

        Two groups of centres merge while their size-weighted mean centre cosine is at least
        `merge_threshold` (cosine in the centred space, where unrelated topics sit near 0).
        """
        k = len(centres)
        if self.merge_threshold is None or k < 2:
            return np.arange(k, dtype=np.int64)
        sizes = sizes.astype(np.float64)
        similarity = (centres @ centres.T).astype(np.float64)
        groups = [[c] for c in range(k)]
        while len(groups) > 1:
            best, pair = -np.inf, None
            for a in range(len(groups)):
                for b in range(a + 1, len(groups)):
                    wa, wb = sizes[groups[a]], sizes[groups[b]]
                    total = wa.sum() * wb.sum()
                    sim = (
                        wa @ similarity[np.ix_(groups[a], groups[b])] @ wb / total
                        if total
                        else similarity[np.ix_(groups[a], groups[b])].mean()
                    )
                    if sim > best + 1e-12:
                        best, pair = sim, (a, b)
            if best < self.merge_threshold:
                break
            a, b = pair
            groups[a] = sorted(groups[a] + groups[b])
            del groups[b]
        out = np.empty(k, dtype=np.int64)
        for g, members in enumerate(sorted(groups)):
            out[members] = g
        return out

    def _enough(self, labels, group_ids, n_groups, k) -> np.ndarray:
        sizes = np.bincount(labels[labels >= 0], minlength=k)[:k]
        keep = sizes >= max(self.min_size, 1)
        if group_ids is not None:
            keep &= _distinct_per_cluster(labels, group_ids, n_groups, k) >= self.min_submissions
        return keep

    def _describe(self, X, texts, labels, keep, group_ids, n_groups, k) -> list[tuple[int, Theme]]:
        kept = [int(c) for c in np.flatnonzero(keep)]
        if not kept:
            return []
        order = np.argsort(labels, kind="stable")
        bounds = np.searchsorted(labels[order], np.arange(-1, k + 1))
        members = {c: order[bounds[c + 1] : bounds[c + 2]] for c in [-1, *kept]}

        # Centroids, coherence and closeness in the original embedding space.
        centroids = {}
        for c in kept:
            centroids[c] = np.zeros(X.shape[1], dtype=np.float64)
        for start in range(0, X.shape[0], CHUNK):
            block = labels[start : start + CHUNK]
            ok = np.isin(block, kept)
            if not ok.any():
                continue
            rows = np.flatnonzero(ok)
            onehot = sparse.csr_matrix(
                (np.ones(len(rows), dtype=np.float32), (block[rows], rows)), shape=(k, len(block))
            )
            sums = onehot @ X[start : start + CHUNK]
            for c in kept:
                centroids[c] += sums[c]
        phrases = self._key_phrases(texts, members, kept, group_ids)
        themes = []
        for c in kept:
            idx = members[c]
            centroid = centroids[c]
            norm = np.linalg.norm(centroid)
            centroid = (centroid / norm if norm else centroid).astype(np.float32)
            closeness = (
                X[idx] @ centroid
                if len(idx) <= CHUNK
                else np.concatenate(
                    [X[idx[s : s + CHUNK]] @ centroid for s in range(0, len(idx), CHUNK)]
                )
            )
            key_phrases = phrases[c]
            sample = idx[: self.describe_sample]
            label = (
                readable_label(
                    key_phrases,
                    surface_forms(texts[int(i)] for i in sample),
                    count=self.n_label_phrases,
                )
                or f"Theme {c + 1}"
            )
            themes.append(
                (
                    c,
                    Theme(
                        id=-1,
                        label=label,
                        key_phrases=key_phrases,
                        size=int(len(idx)),
                        passage_indices=[int(i) for i in np.sort(idx)],
                        representatives=self._representatives(idx, closeness, texts, group_ids),
                        centroid=centroid,
                        coherence=float(closeness.mean()),
                        submissions=None
                        if group_ids is None
                        else int(len(np.unique(group_ids[idx]))),
                    ),
                )
            )
        return themes

    def _representatives(self, idx, closeness, texts, group_ids) -> list[int]:
        want = min(self.n_representatives, len(idx))
        top = min(len(idx), max(200, 20 * want))
        while True:
            part = (
                np.argpartition(-closeness, top - 1)[:top]
                if top < len(idx)
                else np.arange(len(idx))
            )
            ranked = part[np.lexsort((idx[part], -closeness[part]))]
            chosen, seen_groups, seen_texts = [], set(), set()
            for j in ranked:
                i = int(idx[j])
                key = " ".join(texts[i].lower().split())
                group = None if group_ids is None else int(group_ids[i])
                if key in seen_texts or (group is not None and group in seen_groups):
                    continue
                chosen.append(i)
                seen_texts.add(key)
                seen_groups.add(group)
                if len(chosen) == want:
                    return chosen
            if top >= len(idx):
                break
            top = len(idx)
        # Not enough distinct submissions: fill up with the next closest passages.
        need = min(max(3, len(chosen)), want)
        for j in ranked:
            if len(chosen) >= need:
                break
            if int(idx[j]) not in chosen:
                chosen.append(int(idx[j]))
        return chosen

    # ---- describing: c-TF-IDF over phrases --------------------------------------------------

    def _stop_words(self) -> tuple[frozenset[str], frozenset[str]]:
        single = {p.strip().lower() for p in self.stop_phrases if len(p.split()) == 1}
        multi = {
            " ".join(_TOKEN.findall(p.lower())) for p in self.stop_phrases if len(p.split()) > 1
        }
        return frozenset(ENGLISH_STOP_WORDS | single), frozenset(multi)

    def _analyser(self, stop: frozenset[str]):
        def bad(token: str) -> bool:
            return token in stop or len(token) < 2 or token.isdigit()

        def analyse(text: str) -> list[str]:
            out = []
            for chunk in _BREAK.split(text.lower().replace("’", "'")):
                tokens = _TOKEN.findall(chunk)
                size = len(tokens)
                for i, token in enumerate(tokens):
                    if bad(token):
                        continue
                    out.append(token)
                    content = 1
                    # Up to MAX_CONTENT_WORDS words that are not stop words, with stop words
                    # allowed inside: "speech and language therapy", "theory of mind".
                    for j in range(i + 1, min(size, i + MAX_PHRASE_TOKENS)):
                        if bad(tokens[j]):
                            continue
                        content += 1
                        if content > MAX_CONTENT_WORDS:
                            break
                        out.append(" ".join(tokens[i : j + 1]))
            return out

        return analyse

    def _key_phrases(self, texts, members, kept, group_ids) -> dict[int, list[str]]:
        classes = [*kept, -1]
        docs, doc_class = [], []
        for row, c in enumerate(classes):
            idx = members[c]
            if len(idx) > self.describe_sample:
                rng = np.random.default_rng([self.seed, c + 1])
                idx = np.sort(rng.choice(idx, size=self.describe_sample, replace=False))
            docs.extend(int(i) for i in idx)
            doc_class.extend([row] * len(idx))
        stop, stop_multi = self._stop_words()
        vectoriser = CountVectorizer(analyzer=self._analyser(stop), min_df=1)
        try:
            counts = vectoriser.fit_transform([texts[i] for i in docs]).tocsc()
        except ValueError:  # nothing but stop words
            return {c: [] for c in kept}
        vocabulary = vectoriser.get_feature_names_out()
        onehot = sparse.csr_matrix(
            (np.ones(len(docs)), (doc_class, np.arange(len(docs)))), shape=(len(classes), len(docs))
        )
        class_counts = np.asarray((onehot @ counts).todense(), dtype=np.float64)
        present = counts.copy()
        present.data[:] = 1
        class_df = np.asarray((onehot @ present).todense(), dtype=np.float64)
        # c-TF-IDF: term frequency within the class x log(1 + average class size / total frequency).
        totals = class_counts.sum(axis=1, keepdims=True)
        totals[totals == 0] = 1.0
        # Square-root term frequency (BERTopic's reduce_frequent_words) keeps phrases that are
        # everywhere, such as "children and young people", from heading every label.
        tf = np.sqrt(class_counts / totals)
        frequency = class_counts.sum(axis=0)
        average = class_counts.sum() / len(classes)
        idf = np.log1p(average / np.maximum(frequency, 1.0))
        lengths = np.array([sum(w not in stop for w in v.split()) for v in vocabulary])
        scores = tf * idf * (1.0 + PHRASE_BONUS * (lengths - 1))
        scores[:, [i for i, v in enumerate(vocabulary) if v in stop_multi]] = 0.0
        doc_groups = None if group_ids is None else group_ids[np.asarray(docs, dtype=np.int64)]
        doc_class = np.asarray(doc_class, dtype=np.int64)

        result = {}
        for row, c in enumerate(classes[:-1]):
            class_docs = np.flatnonzero(doc_class == row)
            eligible = np.flatnonzero(
                (class_df[row] >= min(2, len(class_docs))) & (scores[row] > 0)
            )
            ranked = eligible[np.lexsort((vocabulary[eligible], -scores[row, eligible]))][:150]
            if doc_groups is not None:
                # A phrase must come from two submissions or more: not one school's own name.
                groups_here = doc_groups[class_docs]
                needed = min(2, len(np.unique(groups_here)))
                block = counts[class_docs][:, ranked].tocsc()
                ranked = [
                    j
                    for col, j in enumerate(ranked)
                    if len(
                        np.unique(
                            groups_here[block.indices[block.indptr[col] : block.indptr[col + 1]]]
                        )
                    )
                    >= needed
                ]
            result[c] = self._select(list(ranked), vocabulary, class_counts[row], stop)
        return result

    def _select(
        self, ranked: list[int], vocabulary, counts: np.ndarray, stop: frozenset[str]
    ) -> list[str]:
        normal = {j: tuple(_singular(t) for t in vocabulary[j].split()) for j in ranked}
        chosen: list[int] = []
        for j in ranked:
            clashes = [c for c in chosen if _overlaps(normal[j], normal[c], stop)]
            if not clashes:
                chosen.append(j)
                continue
            # A longer phrase replaces the shorter ones it contains when it accounts for most of
            # their uses: "sensory circuits" rather than "sensory".
            if all(
                len(normal[j]) > len(normal[c])
                and _contains(normal[j], normal[c])
                and counts[j] >= 0.5 * counts[c]
                for c in clashes
            ):
                position = chosen.index(clashes[0])
                chosen[position] = j
                chosen = [c for c in chosen if c not in clashes[1:]]
        return [str(vocabulary[j]) for j in chosen[: self.n_key_phrases]]
