"""Agreement statistics reproduce published worked examples, and agree with scikit-learn.

Published values are the reference: Krippendorff (2011) "Computing Krippendorff's
Alpha-Reliability" (Annenberg School for Communication, U. Pennsylvania), and the worked example
on Wikipedia's "Cohen's kappa" and "Krippendorff's alpha" pages. See docs/agreement.md.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score, f1_score, precision_score, recall_score

from inpractice.analysis.agreement import (
    binary_matrix,
    bootstrap_ci,
    cohens_kappa,
    krippendorff_alpha,
    per_code_agreement,
    percent_agreement,
    resample_counts,
    summary,
)

nan = np.nan

# Krippendorff (2011), section C: four observers, twelve units, nominal/interval/... values, with
# missing data ("." in the paper). Unit 12 has a single value (observer B's 3): not pairable.
KRIPPENDORFF_2011_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],  # observer A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],  # observer B
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],  # observer C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],  # observer D
]

# Krippendorff (2011), section A: binary data, two observers, ten units, no missing data.
KRIPPENDORFF_2011_A = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]

# Wikipedia, "Krippendorff's alpha", "A computational example": three coders, fifteen units.
WIKIPEDIA_ALPHA = [
    [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
    [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
    [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
]


# ------------------------------------------------------------------ Krippendorff's alpha


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_reproduces_krippendorff_2011_four_coders_with_missing_data(level, published):
    assert round(krippendorff_alpha(KRIPPENDORFF_2011_C, level), 3) == published


def test_alpha_reproduces_krippendorff_2011_exact_nominal_value():
    # By hand from the paper's coincidence matrix: n = 40 pairable values, and
    # alpha = 1 - (n - 1) * sum(o_ck, c != k) / sum(n_c n_k, c != k) = 1 - 39 * 4 / 608.
    assert krippendorff_alpha(KRIPPENDORFF_2011_C) == pytest.approx(1 - 39 * 4 / 608)


def test_alpha_reproduces_krippendorff_2011_binary_two_coders():
    # Paper: alpha = 0.095 (= 1 - 19 * 4 / (14 * 6)).
    alpha = krippendorff_alpha(KRIPPENDORFF_2011_A)
    assert round(alpha, 3) == 0.095
    assert alpha == pytest.approx(1 - 19 * 4 / (14 * 6))


def test_alpha_reproduces_wikipedia_computational_example():
    assert round(krippendorff_alpha(WIKIPEDIA_ALPHA), 3) == 0.691


def test_alpha_drops_units_with_fewer_than_two_values():
    without_unit_12 = [row[:11] for row in KRIPPENDORFF_2011_C]
    assert krippendorff_alpha(without_unit_12) == krippendorff_alpha(KRIPPENDORFF_2011_C)
    # A unit only one coder coded, with a value nobody else used, changes nothing either.
    extra = [[*row, 9 if i == 0 else None] for i, row in enumerate(KRIPPENDORFF_2011_C)]
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(extra, level) == pytest.approx(
            krippendorff_alpha(KRIPPENDORFF_2011_C, level)
        )


def test_alpha_accepts_numpy_nan_arrays_and_string_labels():
    as_array = np.array(KRIPPENDORFF_2011_C, dtype=float)  # None -> nan
    assert krippendorff_alpha(as_array) == krippendorff_alpha(KRIPPENDORFF_2011_C)
    names = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    labelled = [[names.get(v) for v in row] for row in KRIPPENDORFF_2011_C]
    assert krippendorff_alpha(labelled) == krippendorff_alpha(KRIPPENDORFF_2011_C)


def test_alpha_edge_cases():
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3], [1, 2, 3]]) == 1.0
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]], "interval") == 1.0
    # All missing, or no unit with two values: nothing to pair.
    assert math.isnan(krippendorff_alpha([[None, None], [None, None]]))
    assert math.isnan(krippendorff_alpha([[1, None], [None, 2]]))
    # One value used throughout: no variation, expected disagreement 0, alpha undefined.
    assert math.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))
    with pytest.raises(ValueError, match="rectangular"):
        krippendorff_alpha([[1, 2, 3], [1, 2]])
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha([["a", "b"], ["a", "b"]], "interval")
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha([[1, 2], [1, 2]], "circular")


def test_alpha_two_coders_binary_matches_per_code_closed_form():
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 2, 200), rng.integers(0, 2, 200)
    coder_a = {i: {"x"} if a[i] else set() for i in range(200)}
    coder_b = {i: {"x"} if b[i] else set() for i in range(200)}
    result = per_code_agreement(coder_a, coder_b, ["x"])["x"]
    assert result.alpha == pytest.approx(krippendorff_alpha([a, b]))


def test_alpha_matches_the_krippendorff_package_if_installed():
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(11)
    data = rng.integers(1, 6, size=(4, 60)).astype(float)
    data[rng.random(data.shape) < 0.2] = nan
    for level in ("nominal", "ordinal", "interval", "ratio"):
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
        assert krippendorff_alpha(data, level) == pytest.approx(expected)


# ------------------------------------------------------------------ Cohen's kappa


def test_kappa_reproduces_wikipedia_worked_example():
    # 50 proposals: 20 yes/yes, 5 A-yes/B-no, 10 A-no/B-yes, 15 no/no. p_o 0.7, p_e 0.5, kappa 0.4.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert percent_agreement(a, b) == pytest.approx(0.7)
    assert cohens_kappa(a, b) == pytest.approx(0.4)


@pytest.mark.parametrize("seed", range(5))
def test_kappa_matches_sklearn_on_random_labels(seed):
    rng = np.random.default_rng(seed)
    a = rng.choice(["p1", "p2", "p3", "p4"], size=300, p=[0.4, 0.3, 0.2, 0.1])
    b = np.where(rng.random(300) < 0.6, a, rng.choice(["p1", "p2", "p3", "p4"], size=300))
    assert cohens_kappa(list(a), list(b)) == pytest.approx(cohen_kappa_score(a, b))


def test_kappa_handles_a_category_only_one_coder_used():
    a = ["x", "x", "y", "y", "z", "x"]
    b = ["x", "x", "y", "y", "y", "x"]  # b never used "z"
    assert cohens_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_kappa_edge_cases():
    assert cohens_kappa([1, 2, 3, 1], [1, 2, 3, 1]) == 1.0
    assert percent_agreement([1, 2, 3, 1], [1, 2, 3, 1]) == 1.0
    # A single category for both coders: p_e == 1, kappa is 0/0 -> nan (documented).
    assert math.isnan(cohens_kappa(["a"] * 5, ["a"] * 5))
    assert math.isnan(cohens_kappa([None, None], [1, 2]))
    assert math.isnan(percent_agreement([], []))
    # Missing values drop the pair, not the whole comparison.
    assert cohens_kappa([1, 2, None, 1, 2], [1, 2, 1, nan, 2]) == 1.0
    with pytest.raises(ValueError, match="same units"):
        cohens_kappa([1, 2, 3], [1, 2])


# ------------------------------------------------------------------ multi-label codings


def test_binary_matrix_distinguishes_not_coded_from_none_apply():
    codings = {"u1": {"p1", "p3"}, "u2": set(), "u3": None}
    matrix = binary_matrix(codings, ["p1", "p2", "p3"], ["u1", "u2", "u3", "u4"])
    assert matrix[:2].tolist() == [[1, 0, 1], [0, 0, 0]]
    assert np.isnan(matrix[2:]).all()  # u3 mapped to None, u4 absent: both not coded


def test_binary_matrix_refuses_what_is_probably_a_mistake():
    with pytest.raises(ValueError, match="not among the codes"):
        binary_matrix({"u1": {"p9"}}, ["p1"], ["u1"])
    assert binary_matrix({"u1": {"p9", "p1"}}, ["p1"], ["u1"], ignore_unknown=True).tolist() == [
        [1.0]
    ]
    with pytest.raises(ValueError, match="set of code ids"):
        binary_matrix({"u1": "p1"}, ["p1"], ["u1"])  # a bare string, not {"p1"}
    with pytest.raises(ValueError, match="repeat a unit"):
        binary_matrix({}, ["p1"], ["u1", "u1"])
    with pytest.raises(ValueError, match="repeat a code"):
        binary_matrix({}, ["p1", "p1"], ["u1"])


def _random_codings(rng, n_units, codes, agreement=0.8, missing=0.0):
    """A reference coder, and a second coder that copies each decision with some probability."""
    a = rng.random((n_units, len(codes))) < rng.uniform(0.05, 0.5, len(codes))
    flip = rng.random(a.shape) > agreement
    b = np.where(flip, rng.random(a.shape) < 0.3, a)
    to_set = lambda row: {c for c, on in zip(codes, row, strict=True) if on}  # noqa: E731
    coder_a = {f"u{i}": to_set(a[i]) for i in range(n_units) if rng.random() >= missing}
    coder_b = {f"u{i}": to_set(b[i]) for i in range(n_units) if rng.random() >= missing}
    return coder_a, coder_b, a, b


@pytest.mark.parametrize("seed", range(3))
def test_per_code_and_summary_match_sklearn(seed):
    rng = np.random.default_rng(seed)
    codes = [f"p{j}" for j in range(8)]
    coder_a, coder_b, a, b = _random_codings(rng, 400, codes)
    result = per_code_agreement(coder_a, coder_b, codes)
    for j, code in enumerate(codes):
        stats = result[code]
        assert stats.n_units == 400
        assert stats.both + stats.a_only + stats.b_only + stats.neither == 400
        assert stats.kappa == pytest.approx(cohen_kappa_score(a[:, j], b[:, j]))
        assert stats.f1 == pytest.approx(f1_score(a[:, j], b[:, j]))
        assert stats.precision == pytest.approx(precision_score(a[:, j], b[:, j]))
        assert stats.recall == pytest.approx(recall_score(a[:, j], b[:, j]))
        assert stats.alpha == pytest.approx(krippendorff_alpha([a[:, j], b[:, j]]))
        assert stats.percent_agreement == pytest.approx(np.mean(a[:, j] == b[:, j]))
    overall = summary(coder_a, coder_b, codes)
    assert overall.micro_f1 == pytest.approx(f1_score(a, b, average="micro"))
    assert overall.macro_f1 == pytest.approx(f1_score(a, b, average="macro"))
    assert overall.micro_precision == pytest.approx(precision_score(a, b, average="micro"))
    assert overall.macro_recall == pytest.approx(recall_score(a, b, average="macro"))
    assert overall.mean_kappa == pytest.approx(np.mean([result[c].kappa for c in codes]))
    assert overall.mean_alpha == pytest.approx(np.mean([result[c].alpha for c in codes]))
    assert overall.pooled_kappa == pytest.approx(cohen_kappa_score(a.ravel(), b.ravel()))


def test_codes_neither_coder_used_are_undefined_and_left_out_of_macro_f1():
    coder_a = {"u1": {"p1"}, "u2": set(), "u3": {"p1"}}
    coder_b = {"u1": {"p1"}, "u2": {"p1"}, "u3": {"p1"}}
    result = per_code_agreement(coder_a, coder_b, ["p1", "p2"])
    unused = result["p2"]
    assert (unused.neither, unused.percent_agreement) == (3, 1.0)
    assert math.isnan(unused.kappa) and math.isnan(unused.alpha) and math.isnan(unused.f1)
    a = np.array([[1, 0], [0, 0], [1, 0]])
    b = np.array([[1, 0], [1, 0], [1, 0]])
    assert summary(coder_a, coder_b, ["p1", "p2"]).macro_f1 == pytest.approx(
        f1_score(a, b, average="macro", zero_division=np.nan)
    )


def test_units_one_coder_left_uncoded_are_missing_not_empty():
    coder_a = {"u1": {"p1"}, "u2": set(), "u3": {"p1"}, "u4": {"p1"}}
    coder_b = {"u1": {"p1"}, "u2": set(), "u3": None, "u5": set()}
    result = per_code_agreement(coder_a, coder_b, ["p1"])["p1"]
    # Only u1 and u2 were coded by both; u3/u4 (a only) and u5 (b only) are not disagreements.
    assert (result.n_units, result.both, result.neither, result.a_only, result.b_only) == (
        2,
        1,
        1,
        0,
        0,
    )
    assert result.kappa == 1.0 and result.alpha == 1.0 and result.f1 == 1.0
    overall = summary(coder_a, coder_b, ["p1"])
    assert (overall.n_units, overall.units_only_a, overall.units_only_b) == (2, 2, 1)
    # Had u3 been coded as "none apply" by b, it *would* be a disagreement.
    coder_b["u3"] = set()
    assert per_code_agreement(coder_a, coder_b, ["p1"])["p1"].a_only == 1


def test_units_argument_restricts_the_comparison():
    coder_a = {"u1": {"p1"}, "u2": set(), "u3": {"p1"}}
    coder_b = {"u1": {"p1"}, "u2": {"p1"}, "u3": {"p1"}}
    assert per_code_agreement(coder_a, coder_b, ["p1"], units=["u1", "u3"])["p1"].f1 == 1.0


def test_perfect_multilabel_agreement():
    coding = {"u1": {"p1", "p2"}, "u2": {"p2"}, "u3": set(), "u4": {"p1"}}
    result = per_code_agreement(coding, dict(coding), ["p1", "p2"])
    assert all(r.kappa == 1.0 and r.alpha == 1.0 and r.f1 == 1.0 for r in result.values())


def test_codings_with_no_unit_in_common_raise_a_clear_error():
    with pytest.raises(ValueError, match="no unit was coded by both"):
        per_code_agreement({"s1": {"p1"}}, {"passage-1": {"p1"}}, ["p1"])
    with pytest.raises(ValueError, match="no unit was coded by both"):
        summary({}, {}, ["p1"])
    with pytest.raises(ValueError, match="at least one code"):
        per_code_agreement({"u1": set()}, {"u1": set()}, [])


# ------------------------------------------------------------------ bootstrap


def test_resample_counts_are_resamples_with_replacement():
    counts = resample_counts(50, 200, seed=1)
    assert counts.shape == (200, 50)
    assert (counts.sum(axis=1) == 50).all()
    assert np.array_equal(counts, resample_counts(50, 200, seed=1))
    assert not np.array_equal(counts, resample_counts(50, 200, seed=2))
    # Each unit is drawn with probability 1/n each time: mean multiplicity 1.
    assert resample_counts(50, 4000, seed=3).mean(axis=0) == pytest.approx(np.ones(50), abs=0.1)


def test_bootstrap_is_deterministic_and_vectorised_equals_loop():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 3, 150)
    b = np.where(rng.random(150) < 0.7, a, rng.integers(0, 3, 150))
    pairs = np.column_stack([a, b])

    def kappa_loop(sample):
        return cohens_kappa(list(sample[:, 0]), list(sample[:, 1]))

    def kappa_vectorised(units, weights):
        # Weighted 3x3 tables for every resample at once, then kappa from each table.
        onehot_a, onehot_b = np.eye(3)[units[:, 0]], np.eye(3)[units[:, 1]]
        tables = (
            np.einsum("rn,ni,nj->rij", weights, onehot_a, onehot_b) / weights.sum(1)[:, None, None]
        )
        p_o = np.trace(tables, axis1=1, axis2=2)
        p_e = np.einsum("ri,ri->r", tables.sum(2), tables.sum(1))
        return (p_o - p_e) / (1 - p_e)

    first = bootstrap_ci(kappa_loop, pairs, n_resamples=300, seed=7)
    assert first == bootstrap_ci(kappa_loop, pairs, n_resamples=300, seed=7)
    assert first != bootstrap_ci(kappa_loop, pairs, n_resamples=300, seed=8)
    fast = bootstrap_ci(kappa_vectorised, pairs, n_resamples=300, seed=7, vectorized=True)
    assert fast.estimate == pytest.approx(first.estimate)
    assert (fast.low, fast.high) == pytest.approx((first.low, first.high))
    assert first.n_valid == 300


def test_bootstrap_interval_contains_estimate_and_narrows_with_more_units():
    codes = [f"p{j}" for j in range(5)]
    widths = []
    for n_units in (100, 400, 1600):
        coder_a, coder_b, _, _ = _random_codings(np.random.default_rng(n_units), n_units, codes)
        result = per_code_agreement(coder_a, coder_b, codes, ci=True, n_resamples=500, seed=0)
        for stats in result.values():
            for value, (low, high) in [
                (stats.kappa, stats.kappa_ci),
                (stats.alpha, stats.alpha_ci),
                (stats.f1, stats.f1_ci),
            ]:
                assert low <= value <= high
        widths.append(np.mean([r.kappa_ci[1] - r.kappa_ci[0] for r in result.values()]))
    # Width shrinks roughly as 1 / sqrt(n): quadrupling n about halves it.
    assert widths[0] > widths[1] > widths[2]
    assert widths[2] < 0.7 * widths[1] < 0.7 * 0.7 * widths[0]


def test_per_code_intervals_match_the_generic_bootstrap():
    codes = ["p1", "p2", "p3"]
    coder_a, coder_b, a, b = _random_codings(np.random.default_rng(9), 120, codes)
    result = per_code_agreement(coder_a, coder_b, codes, ci=True, n_resamples=200, seed=4)
    pairs = np.column_stack([a[:, 1], b[:, 1]])
    generic = bootstrap_ci(
        lambda s: cohens_kappa(list(s[:, 0]), list(s[:, 1])), pairs, n_resamples=200, seed=4
    )
    assert result["p2"].kappa_ci == pytest.approx((generic.low, generic.high))


def test_summary_intervals_bracket_the_estimates():
    codes = [f"p{j}" for j in range(6)]
    coder_a, coder_b, _, _ = _random_codings(np.random.default_rng(2), 500, codes, missing=0.1)
    overall = summary(coder_a, coder_b, codes, ci=True, n_resamples=400, seed=1)
    assert overall.units_only_a > 0 and overall.units_only_b > 0
    for key in ("micro_f1", "macro_f1", "mean_kappa", "mean_alpha", "pooled_kappa"):
        low, high = getattr(overall, f"{key}_ci")
        assert low <= getattr(overall, key) <= high
    assert summary(coder_a, coder_b, codes).micro_f1_ci is None


def test_bootstrap_rejects_nonsense():
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_ci(np.mean, np.arange(5), confidence=95)
    with pytest.raises(ValueError, match="zero units"):
        bootstrap_ci(np.mean, np.array([]))
