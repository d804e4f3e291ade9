"""Inter-coder agreement: how far two or more coders (people or a model) agree on a coding.

Analysts and a model code passages from call-for-evidence submissions against a codebook. Before
anyone leans on the model's coding, or on one analyst's, we measure how well coders agree. This
module holds the statistics for that, as plain functions over plain data (no Django, no ORM):

* nominal two-coder statistics: :func:`percent_agreement` and :func:`cohens_kappa`;
* :func:`krippendorff_alpha` for any number of coders, missing values, and nominal, ordinal,
  interval or ratio data (coincidence-matrix formulation, Krippendorff 2011);
* multi-label helpers for our codings, which are a *set* of code ids per passage:
  :func:`binary_matrix`, :func:`per_code_agreement` and :func:`summary`;
* :func:`bootstrap_ci`, percentile bootstrap intervals that resample units, vectorised with
  numpy so that per-code intervals over thousands of passages take well under a second.

Missing versus empty, for multi-label codings (``Mapping[unit_id, set[code_id]]``):

* a unit that is **absent** from a coder's mapping, or mapped to ``None``, was *not coded* by
  that coder. It is missing data and is left out of every pairwise statistic;
* a unit mapped to an **empty set** *was* coded, and the coder judged that none of the codes
  apply. It counts as "absent" for every code, and agreement on absence is agreement.

Undefined statistics are returned as ``nan`` rather than raised, so that one degenerate code does
not stop a whole report; each function says when that happens. Callers that need a number should
check with :func:`math.isnan`.

See ``docs/agreement.md`` for the formulas in words and the published examples the tests reproduce.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Level = Literal["nominal", "ordinal", "interval", "ratio"]
Interval = tuple[float, float]

__all__ = [
    "AgreementSummary",
    "BootstrapCI",
    "CodeAgreement",
    "binary_matrix",
    "bootstrap_ci",
    "cohens_kappa",
    "krippendorff_alpha",
    "per_code_agreement",
    "percent_agreement",
    "resample_counts",
    "summary",
]


# --------------------------------------------------------------------------------------------
# Missing values
# --------------------------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    """None and NaN (float or numpy floating) both mean "this coder gave no value here"."""
    if value is None:
        return True
    try:
        return bool(isinstance(value, float | np.floating) and math.isnan(value))
    except TypeError:
        return False


# --------------------------------------------------------------------------------------------
# Two coders, nominal labels
# --------------------------------------------------------------------------------------------


def _paired(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[list, list]:
    """Pairs of labels where both coders gave a value (pairwise deletion of missing values)."""
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(
            f"the two coders must label the same units in the same order: got {len(a)} labels "
            f"from the first coder and {len(b)} from the second"
        )
    kept = [(x, y) for x, y in zip(a, b, strict=True) if not _is_missing(x) and not _is_missing(y)]
    return [x for x, _ in kept], [y for _, y in kept]


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Share of units on which two coders gave the same nominal label.

    ``a`` and ``b`` are the two coders' labels for the same units, in the same order. A unit where
    either label is missing (``None`` or NaN) is left out. Returns ``nan`` when no unit has both
    labels. Raises ``ValueError`` when the sequences differ in length.
    """
    x, y = _paired(a, b)
    if not x:
        return math.nan
    return sum(p == q for p, q in zip(x, y, strict=True)) / len(x)


def cohens_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's (1960) kappa for two coders' nominal labels over the same units.

    kappa = (p_o - p_e) / (1 - p_e), where p_o is the observed proportion of agreement and p_e the
    agreement expected by chance from each coder's *own* marginal distribution. Categories are the
    union of both coders' labels, so a category that only one coder used is handled (it simply
    has a zero marginal for the other coder).

    Units where either label is missing are left out (pairwise deletion). Returns ``nan`` when
    no unit has both labels, or when p_e == 1 -- i.e. both coders used one and the same category
    for every unit -- because kappa is then 0/0: there is no variation to agree about. (Some
    tools report 1.0 there; we prefer to say "undefined" than to claim perfect reliability.)
    """
    x, y = _paired(a, b)
    n = len(x)
    if n == 0:
        return math.nan
    categories = {label: i for i, label in enumerate(dict.fromkeys([*x, *y]))}
    table = np.zeros((len(categories), len(categories)))
    np.add.at(table, ([categories[v] for v in x], [categories[v] for v in y]), 1)
    table /= n
    p_o = float(np.trace(table))
    p_e = float(table.sum(axis=1) @ table.sum(axis=0))
    # Compare with a tolerance: marginals are sums of floats, and p_e that is 1 "in exact
    # arithmetic" would otherwise give a huge, meaningless kappa instead of nan.
    if math.isclose(p_e, 1.0, rel_tol=0.0, abs_tol=1e-12):
        return math.nan
    return (p_o - p_e) / (1.0 - p_e)


# --------------------------------------------------------------------------------------------
# Krippendorff's alpha
# --------------------------------------------------------------------------------------------


def _value_counts(reliability_data: Any, level: Level) -> tuple[np.ndarray, np.ndarray | None]:
    """Turn coders x units data into a units x values count matrix, and the sorted values.

    The second item is the numeric value of each column for ordinal/interval/ratio data (which
    need an order or a distance), and ``None`` for nominal data, where values are only labels.
    """
    rows = [list(row) for row in reliability_data]
    if not rows:
        raise ValueError("reliability_data must have at least one coder (one row)")
    n_units = len(rows[0])
    if any(len(row) != n_units for row in rows):
        raise ValueError(
            "reliability_data must be rectangular (coders x units): every coder's row needs one "
            "entry per unit, using None or nan where the coder gave no value"
        )
    present = [(u, value) for row in rows for u, value in enumerate(row) if not _is_missing(value)]
    units = np.array([u for u, _ in present], dtype=np.intp)
    values = [value for _, value in present]
    if level == "nominal":
        # Labels may be strings, ints or anything hashable; their order carries no meaning.
        index = {v: i for i, v in enumerate(dict.fromkeys(values))}
        columns = np.array([index[v] for v in values], dtype=np.intp)
        numeric = None
        n_values = len(index)
    else:
        try:
            floats = np.array(values, dtype=float)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"{level} alpha needs numeric values (or nominal level for labels): {error}"
            ) from None
        numeric, columns = np.unique(floats, return_inverse=True)
        columns = columns.reshape(-1)
        n_values = len(numeric)
    counts = np.zeros((n_units, n_values))
    np.add.at(counts, (units, columns), 1)
    return counts, numeric


def _delta_squared(level: Level, marginals: np.ndarray, numeric: np.ndarray | None) -> np.ndarray:
    """The difference function delta^2(c, k) between every pair of values, as a matrix."""
    k = len(marginals)
    if level == "nominal":
        return 1.0 - np.eye(k)
    assert numeric is not None
    if level == "interval":
        return np.subtract.outer(numeric, numeric) ** 2
    if level == "ratio":
        total = np.add.outer(numeric, numeric)
        diff = np.subtract.outer(numeric, numeric)
        # (c - k) / (c + k) is 0/0 only when c == k == 0, which is no difference at all.
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total == 0, 0.0, (diff / np.where(total == 0, 1, total)) ** 2)
    if level == "ordinal":
        # delta^2(c, k) = (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2 over the ranked values, where n_g
        # is how often value g was used among pairable values: distance is measured in how many
        # *used* values lie between c and k, not in their numeric gap.
        cumulative = np.concatenate([[0.0], np.cumsum(marginals)])
        lo = np.minimum.outer(np.arange(k), np.arange(k))
        hi = np.maximum.outer(np.arange(k), np.arange(k))
        between = cumulative[hi + 1] - cumulative[lo]
        return (between - np.add.outer(marginals, marginals) / 2.0) ** 2
    raise ValueError(f"level must be nominal, ordinal, interval or ratio, not {level!r}")


def krippendorff_alpha(reliability_data: Any, level: Level = "nominal") -> float:
    """Krippendorff's alpha for any number of coders, with missing values.

    ``reliability_data`` is coders x units (a list of rows, or a 2-D array): entry [i][u] is
    coder i's value for unit u, or ``None`` / ``nan`` where coder i did not code unit u. ``level``
    is the level of measurement: ``"nominal"`` (labels; any hashable values), ``"ordinal"``,
    ``"interval"`` or ``"ratio"`` (numeric values).

    Computed from the coincidence matrix as in Krippendorff (2011):

    * units with fewer than two values are not pairable and are dropped;
    * each pairable unit u with m_u values adds every ordered pair of its values (c, k), taken
      from different coders, to the coincidence matrix with weight 1 / (m_u - 1), so each unit
      contributes m_u pairable values in all;
    * n_c are the row sums (how often value c was paired), n the grand total;
    * alpha = 1 - D_o / D_e = 1 - (n - 1) * sum o_ck d2_ck / sum n_c n_k d2_ck.

    Returns ``nan`` when no unit is pairable, or when D_e == 0 (every pairable value is the same:
    with no variation alpha is undefined).
    """
    counts, numeric = _value_counts(reliability_data, level)
    per_unit = counts.sum(axis=1)
    pairable = per_unit >= 2
    counts, per_unit = counts[pairable], per_unit[pairable]
    if counts.size == 0 or not pairable.any():
        return math.nan
    # o = sum_u (n_u n_u^T - diag(n_u)) / (m_u - 1), as one matrix product over all units.
    weighted = counts / (per_unit - 1.0)[:, None]
    coincidences = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    marginals = coincidences.sum(axis=1)
    n = marginals.sum()
    d2 = _delta_squared(level, marginals, numeric)
    expected = float(marginals @ d2 @ marginals)
    if expected <= 0.0:
        return math.nan
    observed = float((coincidences * d2).sum())
    return 1.0 - (n - 1.0) * observed / expected


# --------------------------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BootstrapCI:
    """A point estimate with a percentile bootstrap interval.

    ``estimate``, ``low`` and ``high`` are floats for a scalar statistic, arrays for a vector one.
    ``n_valid`` is how many resamples gave a defined (non-nan) statistic; the interval is taken
    over those only, so a small ``n_valid`` means the interval should not be trusted.
    """

    estimate: Any
    low: Any
    high: Any
    confidence: float
    n_resamples: int
    n_valid: Any


def resample_counts(n_units: int, n_resamples: int, seed: int | None = 0) -> np.ndarray:
    """How often each unit appears in each bootstrap resample: an (n_resamples, n_units) array.

    Row r is the multiplicity of every unit in resample r: drawing ``n_units`` units uniformly
    with replacement. Statistics that are sums over units (all of ours: contingency tables,
    coincidence matrices) can then be computed for every resample at once with one matrix product
    ``counts @ per_unit_contributions`` instead of a Python loop. The same seed always gives the
    same resamples, whichever way the statistic is then computed.
    """
    rng = np.random.default_rng(seed)
    drawn = rng.integers(0, n_units, size=(n_resamples, n_units))
    # Offset each resample's draws into its own block so one bincount counts all rows at once.
    offsets = (np.arange(n_resamples) * n_units)[:, None]
    flat = np.bincount((drawn + offsets).ravel(), minlength=n_resamples * n_units)
    return flat.reshape(n_resamples, n_units)


def _percentile_interval(
    replicates: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile interval over the defined (non-nan) replicates, along axis 0."""
    tail = (1.0 - confidence) / 2.0 * 100.0
    valid = np.sum(~np.isnan(replicates), axis=0)
    if replicates.size == 0 or np.all(valid == 0):
        nan = np.full(replicates.shape[1:], np.nan)
        return nan, nan.copy(), valid
    with warnings.catch_warnings():
        # Columns with no defined replicate give an all-nan slice: nan is the right answer.
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanpercentile(replicates, [tail, 100.0 - tail], axis=0)
    return low, high, valid


def bootstrap_ci(
    statistic_fn: Callable[..., Any],
    units: Any,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int | None = 0,
    *,
    vectorized: bool = False,
) -> BootstrapCI:
    """Percentile bootstrap confidence interval, resampling units with replacement.

    Each resample draws ``len(units)`` units with replacement (a unit may appear several times or
    not at all) and recomputes the statistic; the interval is the (1 - confidence) / 2 and
    (1 + confidence) / 2 quantiles of those replicates (Efron's percentile method). Units -- here,
    passages -- are resampled because they are the sampled things; coders are held fixed.
    Resamples where the statistic is undefined (nan: e.g. kappa when a resample happens to hold a
    single category) are left out of the quantiles and counted in ``n_valid``.

    Two ways to give the statistic:

    * ``vectorized=False`` (simple, slow): ``statistic_fn(sample)`` gets the resampled units
      (``units[indices]`` for an array, a list otherwise; repeated units are adjacent, so the
      statistic must not depend on unit order) and returns a float or 1-D array; it is called
      ``n_resamples + 1`` times.
    * ``vectorized=True`` (fast): ``statistic_fn(units, counts)`` gets the original units and an
      (R, n_units) array of multiplicities (see :func:`resample_counts`) and returns an (R,) or
      (R, k) array, one row per resample. The point estimate is the same function with every
      unit once (counts of all ones), so point and interval can never disagree in definition.

    Both ways see exactly the same resamples for a given seed. ``n_resamples`` of 1,000 is the
    usual minimum for a 95% percentile interval; use more for publication figures.
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    if n_resamples < 1:
        raise ValueError("n_resamples must be at least 1")
    n_units = len(units)
    if n_units == 0:
        raise ValueError("cannot bootstrap over zero units")
    counts = resample_counts(n_units, n_resamples, seed)
    if vectorized:
        estimate = np.asarray(statistic_fn(units, np.ones((1, n_units))), dtype=float)[0]
        replicates = np.asarray(statistic_fn(units, counts), dtype=float)
    else:
        array = units if isinstance(units, np.ndarray) else None
        seq = None if array is not None else list(units)

        def take(idx: np.ndarray) -> Any:
            return array[idx] if array is not None else [seq[i] for i in idx]

        estimate = np.asarray(statistic_fn(units if array is not None else seq), dtype=float)
        # Rebuild index lists from the multiplicities so both modes share the same resamples.
        replicates = np.array(
            [statistic_fn(take(np.repeat(np.arange(n_units), row))) for row in counts],
            dtype=float,
        )
    low, high, valid = _percentile_interval(replicates, confidence)

    def unwrap(x: np.ndarray) -> Any:
        return float(x) if np.ndim(x) == 0 else x

    return BootstrapCI(
        estimate=unwrap(estimate),
        low=unwrap(low),
        high=unwrap(high),
        confidence=confidence,
        n_resamples=n_resamples,
        n_valid=int(valid) if np.ndim(valid) == 0 else valid,
    )


# --------------------------------------------------------------------------------------------
# Multi-label codings: one set of code ids per unit
# --------------------------------------------------------------------------------------------


def _check_coding(unit: Hashable, coding: Any) -> Collection[str] | None:
    """A unit's coding: a collection of code ids, or None for "not coded"."""
    if coding is None:
        return None
    # A bare string is iterable, so {"u1": "p1"} would silently become {"p", "1"}: refuse it.
    if isinstance(coding, str | bytes) or not isinstance(coding, Iterable):
        raise ValueError(
            f"unit {unit!r}: a coding must be a set of code ids (use an empty set for 'none of "
            f"the codes apply' and leave the unit out for 'not coded'), got {coding!r}"
        )
    return coding if isinstance(coding, Collection) else list(coding)


def binary_matrix(
    codings: Mapping[Hashable, Collection[str] | None],
    codes: Sequence[str],
    units: Sequence[Hashable],
    *,
    ignore_unknown: bool = False,
) -> np.ndarray:
    """Presence/absence of each code on each unit: a float array of shape (len(units), len(codes)).

    Entry [i, j] is 1.0 if ``codes[j]`` is in the coding of ``units[i]``, 0.0 if the unit was coded
    but without that code (an empty set gives a row of zeros), and ``nan`` across the whole row if
    the unit was not coded (absent from ``codings`` or mapped to ``None``).

    A code id in a coding that is not in ``codes`` raises ``ValueError`` -- it usually means a
    coder used a code outside the codebook, or codes from another codebook version -- unless
    ``ignore_unknown=True``, for when you deliberately analyse a subset of the codes.
    """
    codes = list(codes)
    if len(set(codes)) != len(codes):
        raise ValueError("codes must not repeat a code id")
    if len(set(units)) != len(units):
        raise ValueError("units must not repeat a unit id")
    column = {code: j for j, code in enumerate(codes)}
    matrix = np.zeros((len(units), len(codes)))
    for i, unit in enumerate(units):
        coding = _check_coding(unit, codings.get(unit))
        if coding is None:
            matrix[i] = np.nan
            continue
        for code in coding:
            j = column.get(code)
            if j is not None:
                matrix[i, j] = 1.0
            elif not ignore_unknown:
                raise ValueError(
                    f"unit {unit!r} is coded with {code!r}, which is not among the codes being "
                    "compared (pass ignore_unknown=True to compare a subset of the codes)"
                )
    return matrix


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement between two coders on one code, treated as present/absent on each unit.

    Counts are over the ``n_units`` units that *both* coders coded. ``coder_a`` is the reference
    for precision/recall/F1 (say, the analyst), ``coder_b`` the one being checked (say, the model):
    precision = both / (both + b_only), recall = both / (both + a_only), F1 their harmonic mean.
    Undefined values are ``nan``: kappa/alpha when the code is always present or always absent;
    precision when coder_b never used the code; recall when coder_a never did; F1 when neither did.
    The ``*_ci`` fields are (low, high) percentile bootstrap intervals, or ``None`` unless
    requested with ``ci=True``.
    """

    code: str
    n_units: int
    both: int
    a_only: int
    b_only: int
    neither: int
    percent_agreement: float
    kappa: float
    alpha: float
    precision: float
    recall: float
    f1: float
    kappa_ci: Interval | None = None
    alpha_ci: Interval | None = None
    f1_ci: Interval | None = None


@dataclass(frozen=True)
class AgreementSummary:
    """Agreement across all codes.

    Micro averages pool the per-code 2x2 tables (every unit-code decision counts once, so common
    codes dominate); macro averages are the unweighted mean over codes of the per-code statistic,
    skipping codes where it is undefined (as scikit-learn does with ``zero_division=np.nan``).
    ``pooled_kappa`` is kappa on the summed 2x2 table (De Vries et al. 2008).
    ``units_only_a``/``units_only_b`` count units that only one coder coded (left out).
    """

    n_codes: int
    n_units: int
    units_only_a: int
    units_only_b: int
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    mean_percent_agreement: float
    mean_kappa: float
    mean_alpha: float
    pooled_kappa: float
    micro_f1_ci: Interval | None = None
    macro_f1_ci: Interval | None = None
    mean_kappa_ci: Interval | None = None
    mean_alpha_ci: Interval | None = None
    pooled_kappa_ci: Interval | None = None


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den elementwise, nan where den == 0 (an undefined ratio, not an error)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _table_statistics(both: Any, a_only: Any, b_only: Any, neither: Any) -> dict[str, np.ndarray]:
    """Every per-code statistic from the 2x2 counts, elementwise (any broadcastable shape).

    Working from (possibly weighted) counts is what makes the bootstrap fast: a resample's table
    is just ``multiplicities @ indicators``, and these formulas then run on all resamples at once.
    """
    both, a_only, b_only, neither = (
        np.asarray(x, dtype=float) for x in (both, a_only, b_only, neither)
    )
    n = both + a_only + b_only + neither
    disagree = a_only + b_only
    p_o = _div(both + neither, n)
    p_a, p_b = _div(both + a_only, n), _div(both + b_only, n)
    p_e = p_a * p_b + (1.0 - p_a) * (1.0 - p_b)
    # p_e == 1 (one coder's marginal is all-present and the other's all-present too, or both all
    # absent) leaves kappa 0/0; the tolerance catches float round-off in weighted tables.
    undefined = np.isclose(p_e, 1.0, rtol=0.0, atol=1e-12)
    kappa = _div(p_o - p_e, np.where(undefined, 0.0, 1.0 - p_e))
    # Binary nominal alpha, two coders, every unit pairable: the coincidence matrix has
    # o_11 = 2*both, o_00 = 2*neither, o_01 = o_10 = a_only + b_only over 2n pairable values, so
    # alpha = 1 - (2n - 1) * (a_only + b_only) / (n_0 * n_1).
    n_1 = 2.0 * both + disagree
    n_0 = 2.0 * neither + disagree
    alpha = 1.0 - _div((2.0 * n - 1.0) * disagree, n_0 * n_1)
    precision = _div(both, both + b_only)
    recall = _div(both, both + a_only)
    f1 = _div(2.0 * both, 2.0 * both + disagree)
    return {
        "percent_agreement": p_o,
        "kappa": kappa,
        "alpha": alpha,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def _nanmean(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Mean over the defined values; nan (quietly) when none is defined."""
    defined = ~np.isnan(x)
    total = np.where(defined, x, 0.0).sum(axis=axis)
    return _div(total, defined.sum(axis=axis))


def _summary_statistics(tables: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Micro/macro/mean statistics from per-code tables whose last axis is the code."""
    per_code = _table_statistics(**tables)
    pooled = {key: value.sum(axis=-1) for key, value in tables.items()}
    micro = _table_statistics(**pooled)
    return {
        "micro_precision": micro["precision"],
        "micro_recall": micro["recall"],
        "micro_f1": micro["f1"],
        "macro_precision": _nanmean(per_code["precision"]),
        "macro_recall": _nanmean(per_code["recall"]),
        "macro_f1": _nanmean(per_code["f1"]),
        "mean_percent_agreement": _nanmean(per_code["percent_agreement"]),
        "mean_kappa": _nanmean(per_code["kappa"]),
        "mean_alpha": _nanmean(per_code["alpha"]),
        "pooled_kappa": micro["kappa"],
    }


@dataclass(frozen=True)
class _Paired:
    """The two coders' presence/absence matrices over the units both coded."""

    codes: list[str]
    a: np.ndarray  # (n_units, n_codes) of 0/1
    b: np.ndarray
    only_a: int
    only_b: int

    def tables(self, weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """2x2 counts per code; with (R, n_units) weights, per resample: shape (R, n_codes)."""
        a, b = self.a, self.b
        indicators = {
            "both": a * b,
            "a_only": a * (1 - b),
            "b_only": (1 - a) * b,
            "neither": (1 - a) * (1 - b),
        }
        if weights is None:
            return {key: value.sum(axis=0) for key, value in indicators.items()}
        return {key: weights @ value for key, value in indicators.items()}


def _pair_codings(
    coder_a: Mapping[Hashable, Collection[str] | None],
    coder_b: Mapping[Hashable, Collection[str] | None],
    codes: Sequence[str],
    units: Sequence[Hashable] | None,
    ignore_unknown: bool,
) -> _Paired:
    if not codes:
        raise ValueError("codes must name at least one code id")
    if units is None:
        # Every unit either coder mentions, in a stable order (coder_a's first); those that only
        # one coder coded become missing for the other and drop out below, and are reported.
        units = list(dict.fromkeys([*coder_a.keys(), *coder_b.keys()]))
    else:
        units = list(units)
    a = binary_matrix(coder_a, codes, units, ignore_unknown=ignore_unknown)
    b = binary_matrix(coder_b, codes, units, ignore_unknown=ignore_unknown)
    coded_a, coded_b = ~np.isnan(a[:, 0]), ~np.isnan(b[:, 0])
    if not units or not np.any(coded_a & coded_b):
        raise ValueError(
            "no unit was coded by both coders, so agreement cannot be measured: check that both "
            "codings use the same unit ids (e.g. passage ids, not submission ids)"
        )
    keep = coded_a & coded_b
    return _Paired(
        codes=list(codes),
        a=a[keep],
        b=b[keep],
        only_a=int(np.sum(coded_a & ~coded_b)),
        only_b=int(np.sum(coded_b & ~coded_a)),
    )


def _bootstrap_tables(
    paired: _Paired,
    compute: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]],
    keys: Sequence[str],
    n_resamples: int,
    confidence: float,
    seed: int | None,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Percentile intervals for the named statistics, resampling the units both coders coded."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def statistic(_units: Any, weights: np.ndarray) -> np.ndarray:
        values = compute(paired.tables(weights))
        return np.stack([np.asarray(values[key], dtype=float) for key in keys], axis=1)

    result = bootstrap_ci(
        statistic,
        np.arange(len(paired.a)),
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
        vectorized=True,
    )
    for i, key in enumerate(keys):
        out[key] = (np.asarray(result.low)[i], np.asarray(result.high)[i])
    return out


def per_code_agreement(
    coder_a: Mapping[Hashable, Collection[str] | None],
    coder_b: Mapping[Hashable, Collection[str] | None],
    codes: Sequence[str],
    units: Sequence[Hashable] | None = None,
    *,
    ci: bool = False,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int | None = 0,
    ignore_unknown: bool = False,
) -> dict[str, CodeAgreement]:
    """Agreement between two coders on each code, as presence/absence over units.

    ``coder_a`` and ``coder_b`` map unit ids (passages) to the set of code ids the coder applied;
    ``coder_a`` is the reference for precision/recall/F1. ``units`` restricts the comparison to
    those unit ids (default: every unit either coder mentions). A unit absent from a coder's
    mapping (or mapped to ``None``) is *not coded* by that coder and is left out; an empty set
    means "coded, none apply". Raises ``ValueError`` when no unit was coded by both, when a coding
    is not a set of code ids, or when a code outside ``codes`` is used (unless ``ignore_unknown``).

    With ``ci=True`` each result carries percentile bootstrap intervals for kappa, alpha and F1,
    from ``n_resamples`` resamples of the units both coders coded (deterministic for a seed; the
    same resamples are used for every code, so intervals of different codes are comparable).
    """
    paired = _pair_codings(coder_a, coder_b, codes, units, ignore_unknown)
    tables = paired.tables()
    stats = _table_statistics(**tables)
    intervals: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if ci:
        intervals = _bootstrap_tables(
            paired,
            lambda t: _table_statistics(**t),
            ("kappa", "alpha", "f1"),
            n_resamples,
            confidence,
            seed,
        )

    def interval(key: str, j: int) -> Interval | None:
        if key not in intervals:
            return None
        low, high = intervals[key]
        return (float(low[j]), float(high[j]))

    n_units = len(paired.a)
    return {
        code: CodeAgreement(
            code=code,
            n_units=n_units,
            both=int(tables["both"][j]),
            a_only=int(tables["a_only"][j]),
            b_only=int(tables["b_only"][j]),
            neither=int(tables["neither"][j]),
            percent_agreement=float(stats["percent_agreement"][j]),
            kappa=float(stats["kappa"][j]),
            alpha=float(stats["alpha"][j]),
            precision=float(stats["precision"][j]),
            recall=float(stats["recall"][j]),
            f1=float(stats["f1"][j]),
            kappa_ci=interval("kappa", j),
            alpha_ci=interval("alpha", j),
            f1_ci=interval("f1", j),
        )
        for j, code in enumerate(paired.codes)
    }


def summary(
    coder_a: Mapping[Hashable, Collection[str] | None],
    coder_b: Mapping[Hashable, Collection[str] | None],
    codes: Sequence[str],
    units: Sequence[Hashable] | None = None,
    *,
    ci: bool = False,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int | None = 0,
    ignore_unknown: bool = False,
) -> AgreementSummary:
    """Agreement across all codes: micro/macro precision, recall and F1, mean kappa and alpha.

    Takes the same arguments, with the same meaning, as :func:`per_code_agreement`. With
    ``ci=True`` micro-F1, macro-F1, mean kappa, mean alpha and pooled kappa get percentile
    bootstrap intervals; the whole multi-code statistic is recomputed on each resample of units,
    so the intervals account for codes being correlated within a passage.
    """
    paired = _pair_codings(coder_a, coder_b, codes, units, ignore_unknown)
    stats = _summary_statistics(paired.tables())
    ci_keys = ("micro_f1", "macro_f1", "mean_kappa", "mean_alpha", "pooled_kappa")
    intervals: dict[str, Interval] = {}
    if ci:
        raw = _bootstrap_tables(paired, _summary_statistics, ci_keys, n_resamples, confidence, seed)
        intervals = {key: (float(low), float(high)) for key, (low, high) in raw.items()}
    return AgreementSummary(
        n_codes=len(paired.codes),
        n_units=len(paired.a),
        units_only_a=paired.only_a,
        units_only_b=paired.only_b,
        **{key: float(value) for key, value in stats.items()},
        **{f"{key}_ci": intervals.get(key) for key in ci_keys},
    )
