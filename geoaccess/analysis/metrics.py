"""Population-weighted coverage, equity and referral metrics on travel-time tables.

Every function takes a plain table (one row per desa, lattice cell or other origin,
with a travel time in minutes and a population) and returns a new table; inputs are
never modified. Travel times come from :mod:`geoaccess.engine.travel`; any table with the
same two columns works.

Unreachable origins
-------------------
A travel time that is ``NaN`` (or ``inf``) means *no facility can be reached* (no
route found, or beyond the search limit). Such rows are never dropped silently:

* :func:`summarize_access` counts them in ``people_unreachable`` /
  ``share_unreachable`` and **includes them in every** ``people_beyond_<t>_min``
  (someone who cannot reach a facility at all is certainly not within ``t`` minutes).
  They form their own band (``unreachable``), so the band columns plus
  ``people_unreachable`` add up to ``population``.
* Means, medians, 90th percentiles, Gini and Theil are computed over the people who
  *can* reach a facility (an average of "infinite" minutes is meaningless); the
  tables say how many people were left out of them.

Time bands and thresholds
-------------------------
``RISKESDAS_BANDS_MIN = (15, 30, 60)`` gives the four bands ``0-15``, ``16-30``,
``31-60`` and ``>60`` minutes used by Riskesdas (Riset Kesehatan Dasar), the national
basic health survey of the Ministry of Health (Badan Litbangkes, Kemenkes RI). The
Laporan Hasil Riskesdas 2013, section 3.1 *Akses dan Pelayanan Kesehatan* (Gambar 3.6,
"Waktu tempuh menuju fasilitas kesehatan terdekat"), reports household travel time to
the nearest facility of each type in exactly these classes (<= 15, 16-30, 31-60,
> 60 menit). Riskesdas asks households for whole minutes; with continuous modelled
times a band ``16-30`` means *more than 15 and at most 30 minutes* (bands are closed
on the right: ``t <= 15``, ``15 < t <= 30``, ``30 < t <= 60``, ``t > 60``).
Riskesdas figures are travel times *reported by households* for the mode they use most;
modelled network times use the same bands but are not the same measurement.

``THRESHOLDS_MIN = (30, 60, 120)`` are the cut-offs for "people beyond ``t``
minutes": 30 and 60 are the Riskesdas band edges above; 120 minutes (2 hours) is the
timely-access threshold of the Lancet Commission on Global Surgery (Meara et al.,
*Global Surgery 2030*, Lancet 2015; indicator 1: share of the population that can reach,
within 2 hours, a facility able to do caesarean section, laparotomy and treatment of
open fracture), and the issue asks for it. Use it for hospitals; pass your own
``thresholds_min=`` for other questions.

Weighted quantiles
------------------
:func:`weighted_quantile` uses the *inverted CDF* definition: the ``q``-quantile is
the smallest travel time ``x`` such that at least a share ``q`` of the people live
within ``x`` minutes, ``Q(q) = min{x : F(x) >= q}`` with ``F`` the population-weighted
distribution function. It is what a planner means by "90 % of people live within
``Q(0.9)`` minutes", it never interpolates between desa, and it equals
``numpy.quantile(values, q, weights=weights, method="inverted_cdf")``.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validate import require_columns, require_frame, require_unique
from ..exceptions import GeoAccessWarning, InputValidationError
from .columns import column_number, format_examples, format_number, is_numeric, time_pop_arrays, to_float

__all__ = [
    "RISKESDAS_BANDS_MIN",
    "THRESHOLDS_MIN",
    "UNREACHABLE_LABEL",
    "assign_band",
    "band_labels",
    "cumulative_coverage",
    "equity_table",
    "gini",
    "poverty_relation",
    "referral_chain",
    "referral_leg",
    "summarize_access",
    "theil",
    "weighted_quantile",
]

logger = logging.getLogger(__name__)

#: Upper edges (minutes) of the Riskesdas travel-time bands 0-15, 16-30, 31-60, >60
#: (Laporan Hasil Riskesdas 2013, Kemenkes RI, section 3.1, Gambar 3.6).
RISKESDAS_BANDS_MIN: tuple[float, ...] = (15, 30, 60)

#: Thresholds (minutes) for "people beyond t minutes": the Riskesdas band edges 30 and
#: 60, and the 2-hour timely-access threshold of the Lancet Commission on Global
#: Surgery (Meara et al. 2015).
THRESHOLDS_MIN: tuple[float, ...] = (30, 60, 120)

#: Band label given to origins with no reachable facility (NaN or infinite time).
UNREACHABLE_LABEL = "unreachable"

# Relative tolerance used when comparing cumulative weights with q * total weight,
# so that rounding in the cumulative sum does not move a quantile by one row.
_CUM_RTOL = 1e-12


# ---------------------------------------------------------------------------
# internal helpers (the ones fca, targets and priority share are in .columns)
# ---------------------------------------------------------------------------


def _check_minutes(values: Sequence[float], name: str, *, allow_empty: bool = False) -> tuple:
    """Validate a sequence of band edges or thresholds in minutes; return a float tuple."""
    try:
        arr = np.asarray(list(values), dtype="float64")
    except (TypeError, ValueError) as exc:
        raise InputValidationError(
            f"expected a sequence of numbers of minutes, got {values!r}", argument=name
        ) from exc
    problems = []
    if arr.ndim != 1 or (arr.size == 0 and not allow_empty):
        problems.append(f"expected a non-empty sequence of minutes, got {values!r}")
    elif not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        problems.append(f"every value must be a finite number of minutes > 0, got {values!r}")
    elif np.any(np.diff(arr) <= 0):
        problems.append(f"values must be strictly increasing, got {values!r}")
    if problems:
        raise InputValidationError(problems, argument=name)
    return tuple(float(v) for v in arr)


def _by_list(by: str | Sequence[str] | None, df: pd.DataFrame, name: str) -> list[str]:
    if by is None:
        return []
    cols = [by] if isinstance(by, str) else list(by)
    if not cols:
        raise InputValidationError("give a column name or a list of column names", argument="by")
    require_columns(df, cols, name)
    return cols


def _group_positions(df: pd.DataFrame, cols: list[str]) -> list[tuple[Any, np.ndarray]]:
    """(key, integer positions) per group, sorted, with missing keys kept as a group."""
    if not cols:
        return [((), np.arange(len(df)))]
    if len(cols) == 1 and isinstance(df[cols[0]].dtype, pd.CategoricalDtype):
        try:
            return _category_positions(df[cols[0]].array)
        except TypeError:  # categories that cannot be ordered by numpy (text and numbers)
            pass
    # categorical keys would drop rows whose key is missing: group them as plain objects
    keyed = df[cols].astype({c: object for c in cols if isinstance(df[c].dtype, pd.CategoricalDtype)})
    grouped = keyed.groupby(cols if len(cols) > 1 else cols[0], dropna=False, sort=True)
    return [(k, np.asarray(v)) for k, v in grouped.indices.items()]


def _category_positions(cat: pd.Categorical) -> list[tuple[Any, np.ndarray]]:
    """:func:`_group_positions` of one categorical column, from its codes (no hashing of
    the values): groups in the order of the values, missing keys last, positions
    ascending within each group, as the plain-object grouping gives them."""
    codes = np.asarray(cat.codes, dtype=np.int64)
    n_cat = len(cat.categories)
    rank = np.empty(n_cat + 1, dtype=np.int64)
    rank[np.argsort(np.asarray(cat.categories), kind="stable")] = np.arange(n_cat)
    rank[n_cat] = n_cat  # code -1 (missing) reads the last slot: its group comes last
    r = rank[np.where(codes < 0, n_cat, codes)]
    order = np.argsort(r, kind="stable")
    starts: np.ndarray = np.flatnonzero(np.r_[True, r[order][1:] != r[order][:-1]]) if len(order) else order
    values = np.asarray(cat.categories, dtype=object)
    return [
        (values[codes[part[0]]] if codes[part[0]] >= 0 else np.nan, part)
        for part in np.split(order, starts[1:])
        if len(part)
    ]


def _wsum(x: np.ndarray, w: np.ndarray) -> float:
    return float(np.sum(x * w))


def _wmean(x: np.ndarray, w: np.ndarray) -> float:
    tot = float(np.sum(w))
    return float(np.sum(x * w) / tot) if tot > 0 else math.nan


def _wquantile(x: np.ndarray, w: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Inverted-CDF weighted quantile; no validation. NaN if the total weight is 0."""
    keep = w > 0
    x, w = x[keep], w[keep]
    if x.size == 0:
        return np.full(np.shape(q), np.nan)
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cw = np.cumsum(w)
    target = np.asarray(q, dtype="float64") * cw[-1] * (1.0 - _CUM_RTOL)
    idx = np.clip(np.searchsorted(cw, target, side="left"), 0, x.size - 1)
    return x[idx]


def _gini(x: np.ndarray, w: np.ndarray) -> float:
    """Weighted Gini (no validation); NaN if total weight is 0, 0 if the mean is 0."""
    tot = float(np.sum(w))
    if tot <= 0:
        return math.nan
    mu = float(np.sum(w * x)) / tot
    if mu == 0:
        return 0.0
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cw = np.cumsum(ws)
    before = cw - ws
    after = tot - cw
    # sum_i sum_j w_i w_j |x_i - x_j| = 2 * sum_i w_i x_i (W_before_i - W_after_i)
    s = float(np.sum(ws * xs * (before - after)))
    return max(0.0, s / (tot * tot * mu))


def _theil(x: np.ndarray, w: np.ndarray) -> float:
    """Weighted Theil T (no validation); NaN if total weight is 0, 0 if the mean is 0."""
    tot = float(np.sum(w))
    if tot <= 0:
        return math.nan
    mu = float(np.sum(w * x)) / tot
    if mu == 0:
        return 0.0
    r = x / mu
    pos = r > 0
    terms = np.zeros_like(r)
    terms[pos] = r[pos] * np.log(r[pos])  # 0 * ln 0 = 0 (limit convention)
    return max(0.0, float(np.sum(w * terms)) / tot)


def _check_value_weight_arrays(
    values: Any, weights: Any, *, allow_inf: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    try:
        x = np.asarray(values, dtype="float64")
    except (TypeError, ValueError) as exc:
        raise InputValidationError(f"expected numbers, got {values!r}", argument="values") from exc
    if x.ndim != 1 or x.size == 0:
        raise InputValidationError(
            f"expected a non-empty 1-D sequence, got shape {x.shape}", argument="values"
        )
    bad_values = np.isnan(x) if allow_inf else ~np.isfinite(x)
    if bad_values.any():
        raise InputValidationError(
            f"{int(bad_values.sum())} value(s) are NaN{'' if allow_inf else ' or infinite'}. "
            "These are unreachable origins: leave them out explicitly (and report them), "
            "or use summarize_access()/equity_table(), which count them separately",
            argument="values",
        )
    if weights is None:
        w = np.ones_like(x)
    else:
        try:
            w = np.asarray(weights, dtype="float64")
        except (TypeError, ValueError) as exc:
            raise InputValidationError(f"expected numbers, got {weights!r}", argument="weights") from exc
        if w.shape != x.shape:
            raise InputValidationError(
                f"must have the same length as values ({x.size}), got shape {w.shape}",
                argument="weights",
            )
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise InputValidationError("weights (population) must be finite and >= 0", argument="weights")
        if float(w.sum()) <= 0:
            raise InputValidationError("the weights sum to 0", argument="weights")
    return x, w


# ---------------------------------------------------------------------------
# quantiles, bands
# ---------------------------------------------------------------------------


def weighted_quantile(values: Any, weights: Any, q: float | Sequence[float]) -> float | np.ndarray:
    """Population-weighted quantile of travel times (inverted-CDF definition).

    Parameters
    ----------
    values : array-like of float
        Travel times in minutes (or any values). ``inf`` is allowed and sorts last
        (an unreachable person); ``NaN`` is refused.
    weights : array-like of float
        Population (persons) of each value, ``>= 0``, not all zero.
    q : float or sequence of float
        Quantile(s) in ``[0, 1]``: 0.5 for the median, 0.9 for the 90th percentile.

    Returns
    -------
    float or ndarray
        The smallest value ``x`` such that the people with values ``<= x`` make up
        at least a share ``q`` of the total weight. Same shape as ``q``.

    Notes
    -----
    Equals ``numpy.quantile(values, q, weights=weights, method="inverted_cdf")``;
    values with zero weight are ignored.

    Examples
    --------
    >>> weighted_quantile([10, 40, 90], [100, 200, 700], 0.5)
    90.0
    >>> weighted_quantile([10, 40, 90], [100, 200, 700], [0.1, 0.3])
    array([10., 40.])
    """
    x, w = _check_value_weight_arrays(values, weights, allow_inf=True)
    qa = np.asarray(q, dtype="float64")
    if not np.all((qa >= 0) & (qa <= 1)):
        raise InputValidationError(f"quantiles must lie in [0, 1], got {q!r}", argument="q")
    out = _wquantile(x, w, qa)
    return float(out) if qa.ndim == 0 else out


def _band_parts(bands_min: Sequence[float]) -> list[tuple[str, str]]:
    """(label, column stem) per band for validated edges, e.g. ('16-30', '16_30')."""
    edges = list(bands_min)
    integer = all(float(e).is_integer() for e in edges)
    parts = []
    lo = 0.0
    for e in edges:
        lo_txt = format_number(lo + 1 if (integer and lo > 0) else lo)
        parts.append((f"{lo_txt}-{format_number(e)}", f"{column_number(float(lo_txt))}_{column_number(e)}"))
        lo = e
    parts.append((f">{format_number(edges[-1])}", f"over_{column_number(edges[-1])}"))
    return parts


def band_labels(bands_min: Sequence[float] = RISKESDAS_BANDS_MIN) -> list[str]:
    """Labels of the travel-time bands defined by their upper edges in minutes.

    Parameters
    ----------
    bands_min : sequence of float
        Strictly increasing upper edges in minutes (default Riskesdas 15, 30, 60).

    Returns
    -------
    list of str
        One label per band, the last one open-ended. With whole-minute edges the
        labels follow Riskesdas: ``16-30`` means *more than 15, at most 30 minutes*.
        The unreachable band (:data:`UNREACHABLE_LABEL`) is not included.

    Examples
    --------
    >>> band_labels()
    ['0-15', '16-30', '31-60', '>60']
    >>> band_labels((15, 30, 60, 120))
    ['0-15', '16-30', '31-60', '61-120', '>120']
    """
    edges = _check_minutes(bands_min, "bands_min")
    return [label for label, _ in _band_parts(edges)]


def assign_band(
    times: pd.Series | Sequence[float], bands_min: Sequence[float] = RISKESDAS_BANDS_MIN
) -> pd.Series:
    """Put each travel time into its band (right-closed) or ``unreachable``.

    Parameters
    ----------
    times : Series or sequence of float
        Travel times in minutes; NaN or inf means no facility can be reached.
    bands_min : sequence of float
        Upper band edges in minutes (default :data:`RISKESDAS_BANDS_MIN`).

    Returns
    -------
    Series
        Ordered categorical with the labels of :func:`band_labels` plus
        ``"unreachable"``; on the index of ``times`` when it is a Series.

    Examples
    --------
    >>> assign_band([0, 15, 15.5, 60, 61, float("nan")]).tolist()
    ['0-15', '0-15', '16-30', '31-60', '>60', 'unreachable']
    """
    edges = _check_minutes(bands_min, "bands_min")
    s = times if isinstance(times, pd.Series) else pd.Series(list(times), dtype="float64")
    if not is_numeric(s):
        raise InputValidationError(f"expected travel times in minutes, got dtype {s.dtype}", argument="times")
    t = to_float(s)
    if np.any(t < 0):
        raise InputValidationError("travel times must be >= 0 minutes", argument="times")
    labels = [*band_labels(edges), UNREACHABLE_LABEL]
    codes = np.searchsorted(np.asarray(edges), t, side="left")  # t <= edge -> that band
    codes = np.where(np.isfinite(t), codes, len(labels) - 1)
    cat = pd.Categorical.from_codes(codes, categories=labels, ordered=True)
    return pd.Series(cat, index=s.index, name="travel_time_band")


# ---------------------------------------------------------------------------
# coverage summary
# ---------------------------------------------------------------------------


def summarize_access(
    df: pd.DataFrame,
    *,
    time_col: str = "travel_time_min",
    pop_col: str = "population",
    by: str | Sequence[str] | None = None,
    thresholds_min: Sequence[float] = THRESHOLDS_MIN,
    bands_min: Sequence[float] = RISKESDAS_BANDS_MIN,
) -> pd.DataFrame:
    """Population-weighted coverage per group (desa, kecamatan, kabupaten) or overall.

    Parameters
    ----------
    df : DataFrame
        One row per origin (desa, lattice cell ...) with a travel time and a population.
    time_col : str
        Travel time to the nearest facility, minutes. NaN/inf = unreachable.
    pop_col : str
        Population, persons (float, ``>= 0``, no missing values).
    by : str or list of str, optional
        Column(s) to group by, e.g. ``"kecamatan_code"``. ``None`` gives one row for
        the whole table. Rows with a missing group key form their own group (never
        dropped).
    thresholds_min : sequence of float
        Cut-offs for the ``people_beyond_<t>_min`` columns (default 30, 60, 120).
    bands_min : sequence of float
        Upper edges of the time bands (default Riskesdas 15, 30, 60).

    Returns
    -------
    DataFrame
        One row per group (group columns first), with:

        - ``n_units``: rows in the group; ``population``: persons.
        - ``people_unreachable``, ``share_unreachable``: persons with no reachable
          facility, and their share of ``population``.
        - ``mean_travel_time_min``, ``median_travel_time_min``, ``p90_travel_time_min``:
          population-weighted, over the people who can reach a facility (median and
          90th percentile by :func:`weighted_quantile`).
        - ``people_beyond_<t>_min``, ``share_beyond_<t>_min`` per threshold: persons
          with a time ``> t`` **or unreachable**, and their share of ``population``.
        - ``people_<band>_min``, ``share_<band>_min`` per band, e.g.
          ``people_0_15_min``, ``people_16_30_min``, ``people_31_60_min``,
          ``people_over_60_min`` (reachable people only; bands plus
          ``people_unreachable`` add up to ``population``).

        Shares are fractions 0-1; NaN when the group population is 0.

    Examples
    --------
    >>> d = pd.DataFrame({"travel_time_min": [10, 40, 90], "population": [100, 200, 700]})
    >>> s = summarize_access(d)
    >>> float(s.loc[0, "mean_travel_time_min"]), float(s.loc[0, "people_beyond_60_min"])
    (72.0, 700.0)
    """
    t, p = time_pop_arrays(df, time_col, pop_col, "df")
    cols = _by_list(by, df, "df")
    thresholds = _check_minutes(thresholds_min, "thresholds_min", allow_empty=True)
    edges = _check_minutes(bands_min, "bands_min")
    parts = _band_parts(edges)
    reach = np.isfinite(t)
    band_code = np.where(reach, np.searchsorted(np.asarray(edges), t, side="left"), -1)
    n_unreach = int((~reach).sum())
    if n_unreach:
        logger.info(
            "summarize_access: %d row(s) (%.0f people) have no reachable facility; "
            "counted in people_unreachable and in every people_beyond_<t>_min",
            n_unreach,
            float(p[~reach].sum()),
        )

    rows = []
    for key, pos in _group_positions(df, cols):
        tg, pg, rg = t[pos], p[pos], reach[pos]
        pop = float(pg.sum())
        unreach = float(pg[~rg].sum())

        def share(x: float, pop: float = pop) -> float:
            return x / pop if pop > 0 else math.nan

        row: dict[str, Any] = {}
        keys = key if isinstance(key, tuple) else (key,)
        for c, k in zip(cols, keys, strict=False):
            row[c] = k
        row["n_units"] = len(pos)
        row["population"] = pop
        row["people_unreachable"] = unreach
        row["share_unreachable"] = share(unreach)
        med, p90 = _wquantile(tg[rg], pg[rg], np.array([0.5, 0.9]))
        row["mean_travel_time_min"] = _wmean(tg[rg], pg[rg])
        row["median_travel_time_min"] = float(med)
        row["p90_travel_time_min"] = float(p90)
        for thr in thresholds:
            beyond = float(pg[tg > thr].sum())  # inf > thr: unreachable included
            row[f"people_beyond_{column_number(thr)}_min"] = beyond
            row[f"share_beyond_{column_number(thr)}_min"] = share(beyond)
        bc = band_code[pos]
        for i, (_, stem) in enumerate(parts):
            people = float(pg[bc == i].sum())
            row[f"people_{stem}_min"] = people
        for _, stem in parts:
            row[f"share_{stem}_min"] = share(row[f"people_{stem}_min"])
        rows.append(row)
    out = pd.DataFrame(rows)
    for c in cols:  # keep the dtype of the group keys where possible
        try:
            out[c] = out[c].astype(df[c].dtype)
        except (TypeError, ValueError):
            pass
    return out


# ---------------------------------------------------------------------------
# inequality
# ---------------------------------------------------------------------------


def gini(values: Any, weights: Any = None) -> float:
    """Population-weighted Gini coefficient of travel times.

    Parameters
    ----------
    values : array-like of float
        Travel times in minutes (finite, ``>= 0``). Leave unreachable origins out
        explicitly; :func:`equity_table` does this and reports them.
    weights : array-like of float, optional
        Population per value (persons); ``None`` weights every value equally.

    Returns
    -------
    float
        ``G = sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mu)`` with ``W = sum w`` and
        ``mu`` the weighted mean: 0 when everyone has the same travel time, towards 1
        when a few people carry all the travel time. No small-sample correction
        (one of ``n`` equal groups carrying everything gives ``(n - 1) / n``).
        Defined as 0 when every time is 0.

    Examples
    --------
    >>> gini([20, 20, 20], [1, 5, 3])
    0.0
    >>> gini([0, 10], [1, 1])
    0.5
    """
    x, w = _check_value_weight_arrays(values, weights)
    if np.any(x < 0):
        raise InputValidationError("travel times must be >= 0", argument="values")
    return _gini(x, w)


def theil(values: Any, weights: Any = None) -> float:
    """Population-weighted Theil T index of travel times.

    Parameters
    ----------
    values : array-like of float
        Travel times in minutes (finite, ``>= 0``).
    weights : array-like of float, optional
        Population per value (persons); ``None`` weights every value equally.

    Returns
    -------
    float
        ``T = (1 / W) * sum_i w_i (x_i / mu) ln(x_i / mu)``, ``W = sum w``, ``mu`` the
        weighted mean. 0 means everyone has the mean travel time; the maximum is
        ``ln(W / w_k)`` when one group ``k`` carries all the travel time. Zero times
        contribute ``0 * ln 0 = 0`` (the limit of ``r ln r`` as ``r -> 0``, the standard
        convention), so desa next to a puskesmas are kept, not dropped. Defined as 0
        when every time is 0. Unlike Gini, Theil T splits exactly into a between-group
        and a within-group part (see :func:`equity_table`).

    Examples
    --------
    >>> round(theil([1, 3], [1, 1]), 6)  # 0.5 * (0.5 ln 0.5 + 1.5 ln 1.5)
    0.130812
    """
    x, w = _check_value_weight_arrays(values, weights)
    if np.any(x < 0):
        raise InputValidationError("travel times must be >= 0", argument="values")
    return _theil(x, w)


def equity_table(
    df: pd.DataFrame,
    time_col: str = "travel_time_min",
    pop_col: str = "population",
    by: str | None = None,
) -> pd.DataFrame:
    """Gini and Theil of population-weighted travel time, across units and within groups.

    Each row of ``df`` is a unit (desa, lattice cell) whose people all share its
    travel time. With ``by="kecamatan_code"`` the table answers: how unequal is
    travel time across all desa, how much of it lies *between* kecamatan (kecamatan
    means differ) and how much *within* them (desa of one kecamatan differ).

    Parameters
    ----------
    df : DataFrame
        Units with a travel time (minutes; NaN/inf = unreachable) and a population.
    time_col, pop_col : str
        Column names.
    by : str, optional
        Grouping column (e.g. kecamatan code). ``None`` gives only the overall row.

    Returns
    -------
    DataFrame
        Columns ``scope``, ``group``, ``n_units``, ``population``,
        ``people_unreachable_excluded``, ``mean_travel_time_min``, ``gini``, ``theil``,
        ``theil_share``. Rows:

        - ``scope="overall"``: across all units.
        - ``scope="between"``: every person given their group's mean time
          (between-group Gini and Theil).
        - ``scope="within"``: the within-group part of Theil,
          ``sum_g s_g T_g`` with ``s_g = P_g mu_g / (P mu)`` (the group's share of all
          person-minutes). Gini does not decompose this way, so ``gini`` is NaN.
        - ``scope="group"``: one row per group with its own Gini and Theil;
          ``theil_share`` is its contribution ``s_g T_g / T``.

        ``theil_share`` of ``between`` and ``within`` add up to 1
        (``T = T_between + T_within``). Unreachable people cannot enter these
        measures; their number is in ``people_unreachable_excluded``.

    Examples
    --------
    Four desa in two kecamatan:

    >>> desa = pd.DataFrame({"travel_time_min": [10.0, 20.0, 60.0, 90.0],
    ...                      "population": [100, 100, 100, 100], "kecamatan_code": ["K1", "K1", "K2", "K2"]})
    >>> equity_table(desa, by="kecamatan_code")[["scope", "group", "gini", "theil", "theil_share"]].round(3)
         scope group   gini  theil  theil_share
    0  overall   NaN  0.389  0.269        1.000
    1  between   NaN  0.333  0.243        0.902
    2   within   NaN    NaN  0.026        0.098
    3    group    K1  0.167  0.057        0.035
    4    group    K2  0.100  0.020        0.062

    Most of the inequality lies between the two kecamatan.
    """
    t, p = time_pop_arrays(df, time_col, pop_col, "df")
    if by is not None and not isinstance(by, str):
        raise InputValidationError(
            f"give one column name, got {by!r}; combine columns first if needed", argument="by"
        )
    cols = _by_list(by, df, "df")
    reach = np.isfinite(t)
    x_all, w_all = t[reach], p[reach]
    total_t = _theil(x_all, w_all)
    mu = _wmean(x_all, w_all)
    pop_all = float(w_all.sum())

    def tshare(v: float) -> float:
        return v / total_t if total_t and total_t > 0 else math.nan

    rows: list[dict[str, Any]] = [
        {
            "scope": "overall",
            "group": None,
            "n_units": len(t),
            "population": pop_all,
            "people_unreachable_excluded": float(p[~reach].sum()),
            "mean_travel_time_min": mu,
            "gini": _gini(x_all, w_all),
            "theil": total_t,
            "theil_share": 1.0 if total_t and total_t > 0 else math.nan,
        }
    ]
    if cols:
        grows = []
        for key, pos in _group_positions(df, cols):
            r = reach[pos]
            xg, wg = t[pos][r], p[pos][r]
            pg = float(wg.sum())
            mug = _wmean(xg, wg)
            s_g = (pg * mug) / (pop_all * mu) if pop_all > 0 and mu > 0 and pg > 0 else 0.0
            tg = _theil(xg, wg)
            grows.append(
                {
                    "scope": "group",
                    "group": key,
                    "n_units": len(pos),
                    "population": pg,
                    "people_unreachable_excluded": float(p[pos][~r].sum()),
                    "mean_travel_time_min": mug,
                    "gini": _gini(xg, wg),
                    "theil": tg,
                    "_s": s_g,
                }
            )
        means = np.array([g["mean_travel_time_min"] for g in grows], dtype="float64")
        pops = np.array([g["population"] for g in grows], dtype="float64")
        ok = pops > 0
        t_between = _theil(means[ok], pops[ok])
        t_within = float(sum(g["_s"] * g["theil"] for g in grows if g["_s"] > 0))
        rows.append(
            {
                "scope": "between",
                "group": None,
                "n_units": len(t),
                "population": pop_all,
                "people_unreachable_excluded": float(p[~reach].sum()),
                "mean_travel_time_min": mu,
                "gini": _gini(means[ok], pops[ok]),
                "theil": t_between,
                "theil_share": tshare(t_between),
            }
        )
        rows.append(
            {
                "scope": "within",
                "group": None,
                "n_units": len(t),
                "population": pop_all,
                "people_unreachable_excluded": float(p[~reach].sum()),
                "mean_travel_time_min": mu,
                "gini": math.nan,
                "theil": t_within,
                "theil_share": tshare(t_within),
            }
        )
        for g in grows:
            s_g = g.pop("_s")
            g["theil_share"] = tshare(s_g * g["theil"] if s_g > 0 else 0.0)
            rows.append(g)
    out = pd.DataFrame(rows)
    out["group"] = out["group"].astype(object)
    return out


def _strength(r: float) -> str:
    a = round(abs(r), 2)  # classify what the note prints
    if a < 0.1:
        return "negligible"
    if a < 0.3:
        return "weak"
    if a < 0.5:
        return "moderate"
    return "strong"


def poverty_relation(
    df: pd.DataFrame,
    time_col: str = "travel_time_min",
    pop_col: str = "population",
    poverty_col: str = "poverty_rate",
) -> pd.Series:
    """How travel time relates to desa poverty, weighted by population.

    Parameters
    ----------
    df : DataFrame
        One row per desa with travel time (minutes), population and a poverty
        rate (e.g. ``poverty_rate_idm``, percent of households).
    time_col, pop_col, poverty_col : str
        Column names.

    Returns
    -------
    Series
        ``n_units`` (desa used), ``n_units_excluded`` (no poverty value or no
        reachable facility), ``population`` (persons in the desa used),
        ``weighted_correlation`` (Pearson, population-weighted),
        ``slope_min_per_poverty_point`` (weighted least squares: extra minutes of travel
        per one unit of ``poverty_col``, e.g. per percentage point),
        ``intercept_min`` and ``note``, a plain-language sentence for a report.

    Notes
    -----
    ``r = cov_w(x, y) / sqrt(var_w(x) var_w(y))`` and ``slope = cov_w(x, y) / var_w(x)``
    with population weights, ``x`` the poverty rate and ``y`` the travel time. The
    words used for strength follow Cohen's (1988) benchmarks: ``|r| < 0.1``
    negligible, ``< 0.3`` weak, ``< 0.5`` moderate, otherwise strong. This is an
    association between areas (an ecological correlation), not evidence about
    individual households or about cause.

    Examples
    --------
    Poorer desa farther away:

    >>> desa = pd.DataFrame({"travel_time_min": [10.0, 20.0, 40.0], "population": [100, 100, 100],
    ...                      "poverty_rate": [5.0, 10.0, 20.0]})
    >>> rel = poverty_relation(desa)
    >>> round(float(rel["weighted_correlation"]), 3), round(float(rel["slope_min_per_poverty_point"]), 3)
    (1.0, 2.0)
    """
    t, p = time_pop_arrays(df, time_col, pop_col, "df")
    require_columns(df, [poverty_col], "df")
    if not is_numeric(df[poverty_col]):
        raise InputValidationError(
            f"poverty column '{poverty_col}' must be numeric, got dtype {df[poverty_col].dtype}",
            argument="df",
        )
    pov = to_float(df[poverty_col])
    use = np.isfinite(t) & np.isfinite(pov) & (p > 0)
    n = int(use.sum())
    n_excl = int(len(t) - n)
    x, y, w = pov[use], t[use], p[use]
    pop = float(w.sum())
    r = slope = intercept = math.nan
    if n >= 3:
        mx, my = _wmean(x, w), _wmean(y, w)
        vx = _wmean((x - mx) ** 2, w)
        vy = _wmean((y - my) ** 2, w)
        cxy = _wmean((x - mx) * (y - my), w)
        if vx > 0:
            slope = cxy / vx
            intercept = my - slope * mx
        if vx > 0 and vy > 0:
            r = max(-1.0, min(1.0, cxy / math.sqrt(vx * vy)))
    excl_txt = (
        f" {n_excl} desa without a poverty value, without population or without a "
        "reachable facility were left out."
        if n_excl
        else ""
    )
    if n < 3:
        note = (
            f"Not enough desa with both a poverty rate and a travel time (n = {n}; need "
            f"at least 3) to describe a relation.{excl_txt}"
        )
    elif math.isnan(r):
        note = (
            f"No relation can be computed across {n} desa: travel time or "
            f"{poverty_col} does not vary.{excl_txt}"
        )
    elif _strength(r) == "negligible":
        note = (
            f"Across {n} desa ({pop:,.0f} people), travel time shows no meaningful relation "
            f"with {poverty_col} (population-weighted correlation r = {r:.2f}, negligible).{excl_txt}"
        )
    else:
        direction = "longer" if r > 0 else "shorter"
        note = (
            f"Across {n} desa ({pop:,.0f} people), desa with a higher {poverty_col} tend to "
            f"have {direction} travel times (population-weighted correlation r = {r:.2f}, "
            f"{_strength(r)}). On average each extra point of {poverty_col} goes with "
            f"{slope:+.1f} minutes of travel. This describes areas, not households, and "
            f"does not show cause.{excl_txt}"
        )
    return pd.Series(
        {
            "n_units": n,
            "n_units_excluded": n_excl,
            "population": pop,
            "weighted_correlation": r,
            "slope_min_per_poverty_point": slope,
            "intercept_min": intercept,
            "note": note,
        },
        name="poverty_relation",
        dtype=object,
    )


# ---------------------------------------------------------------------------
# referral chain and cumulative coverage
# ---------------------------------------------------------------------------


def referral_leg(network: Any, puskesmas: Any, hospitals: Any) -> pd.DataFrame:
    """Each puskesmas' nearest hospital and the time to it: one search on ``network``.

    The second leg of :func:`referral_chain` (its ``facility_to_hospital`` table), searched
    once from all hospitals (:func:`geoaccess.nearest`) and read at every puskesmas.

    Parameters
    ----------
    network : Network
        The referral mode's network (e.g. car: the puskesmas ambulance).
    puskesmas : GeoDataFrame
        The origins, with a ``facility_id`` column.
    hospitals : GeoDataFrame
        The destinations, with a unique ``facility_id`` column.

    Returns
    -------
    DataFrame
        One row per puskesmas, in their order: ``origin_id`` (the puskesmas),
        ``facility_id`` (its nearest hospital, None when none is reachable) and
        ``travel_time_min`` (NaN when none is reachable).

    Examples
    --------
    A puskesmas and a hospital 2 km apart on a ``lokal`` road, by car at 20 km/h:

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> utm = "EPSG:32748"
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm,
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> car = ga.build_network(roads, "car", offroad=False)
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs=utm, geometry=[shapely.Point(400_000, 9_590_000)])
    >>> rs = gpd.GeoDataFrame({"facility_id": ["H1"]}, crs=utm, geometry=[shapely.Point(402_000, 9_590_000)])
    >>> referral_leg(car, pkm, rs).round(2).values.tolist()
    [['P1', 'H1', 6.0]]
    """
    from ..engine.travel import nearest

    leg = nearest(network, hospitals).at_points(puskesmas[[puskesmas.geometry.name]])
    return pd.DataFrame(
        {
            "origin_id": puskesmas["facility_id"].to_numpy(),
            "facility_id": leg["facility_id"].to_numpy(),
            "travel_time_min": leg["travel_time_min"].to_numpy(dtype=float),
        }
    )


def referral_chain(
    home: pd.DataFrame,
    facility_to_hospital: pd.DataFrame,
    *,
    home_time_col: str = "travel_time_min",
    home_facility_col: str = "facility_id",
    referral_from_col: str | None = "origin_id",
    referral_to_col: str = "facility_id",
    referral_time_col: str = "travel_time_min",
) -> pd.DataFrame:
    """Total referral time: home to nearest puskesmas, then puskesmas to its nearest hospital.

    Parameters
    ----------
    home : DataFrame
        One row per origin with the travel time to the nearest puskesmas
        (``home_time_col``, minutes, NaN = unreachable) and that puskesmas' id
        (``home_facility_col``), as :func:`geoaccess.engine.travel.travel_time` returns.
    facility_to_hospital : DataFrame
        One row per puskesmas: its id (``referral_from_col``, or the index when
        ``None``), the nearest hospital's id (``referral_to_col``) and the travel
        time in minutes (``referral_time_col``, NaN = no hospital reachable).
    home_time_col, home_facility_col, referral_from_col, referral_to_col, referral_time_col : str
        Column names.

    Returns
    -------
    DataFrame
        A copy of ``home`` (GeoDataFrame stays one) with ``puskesmas_id``,
        ``travel_time_to_puskesmas_min``, ``hospital_id``,
        ``travel_time_puskesmas_to_hospital_min`` and ``referral_time_min`` (sum of
        the two legs; NaN when either leg is unreachable).

    Warns
    -----
    GeoAccessWarning
        When a puskesmas named in ``home`` is missing from ``facility_to_hospital``
        (its origins get a NaN referral time; usually an id mismatch).

    Examples
    --------
    Two desa; their puskesmas are 15 and 30 minutes from the hospital (the table is
    shaped like :func:`geoaccess.travel_time_matrix`'s, from the puskesmas):

    >>> home = pd.DataFrame({"travel_time_min": [12.0, 40.0], "facility_id": ["P1", "P2"]})
    >>> to_hospital = pd.DataFrame({"origin_id": ["P1", "P2"], "facility_id": ["H1", "H1"],
    ...                             "travel_time_min": [15.0, 30.0]})
    >>> referral_chain(home, to_hospital)[["puskesmas_id", "hospital_id", "referral_time_min"]]
      puskesmas_id hospital_id  referral_time_min
    0           P1          H1               27.0
    1           P2          H1               70.0
    """
    require_frame(home, "home", geo=False)
    require_frame(facility_to_hospital, "facility_to_hospital", geo=False)
    require_columns(home, [home_time_col, home_facility_col], "home")
    fth_cols = [referral_to_col, referral_time_col]
    if referral_from_col is not None:
        fth_cols.insert(0, referral_from_col)
    require_columns(facility_to_hospital, fth_cols, "facility_to_hospital")
    problems = []
    if not is_numeric(home[home_time_col]):
        problems.append(f"'{home_time_col}' in home must be numeric minutes")
    if not is_numeric(facility_to_hospital[referral_time_col]):
        problems.append(f"'{referral_time_col}' in facility_to_hospital must be numeric minutes")
    if problems:
        raise InputValidationError(problems, argument="home / facility_to_hospital")
    fth = facility_to_hospital
    if referral_from_col is None:
        fth = fth.rename_axis("_pkm").reset_index()
        key = "_pkm"
    else:
        key = referral_from_col
    require_unique(fth, key, "facility_to_hospital")
    t_leg2 = pd.Series(to_float(fth[referral_time_col]), index=fth[key].to_numpy())
    t_leg2 = t_leg2.where(np.isfinite(t_leg2))
    hosp = pd.Series(fth[referral_to_col].to_numpy(), index=fth[key].to_numpy())

    out = home.copy()
    pk = home[home_facility_col]
    t1 = to_float(home[home_time_col])
    t1 = np.where(np.isfinite(t1), t1, np.nan)
    # each origin's puskesmas as a code into its few distinct ids: every lookup below
    # reads the small table of ids instead of hashing one id per origin again
    codes, uniq = pd.factorize(pk, use_na_sentinel=True)
    uniq = pd.Index(uniq, dtype=object)
    missing = sorted({str(v) for v in uniq[~uniq.isin(t_leg2.index)]})
    if missing:
        warnings.warn(
            f"{len(missing)} puskesmas id(s) in home['{home_facility_col}'] are not in "
            f"facility_to_hospital (e.g. {format_examples(missing)}); their origins get no "
            "referral time. Check that both tables use the same facility ids.",
            GeoAccessWarning,
            stacklevel=2,
        )

    def per_origin(table: pd.Series, dtype: Any) -> np.ndarray:
        values = np.append(table.reindex(uniq).to_numpy(dtype=dtype), np.array([np.nan], dtype=dtype))
        return values[np.where(codes < 0, len(uniq), codes)]  # no puskesmas: the NaN slot

    leg2 = per_origin(t_leg2, "float64")
    new_cols = [
        "puskesmas_id",
        "travel_time_to_puskesmas_min",
        "hospital_id",
        "travel_time_puskesmas_to_hospital_min",
        "referral_time_min",
    ]
    clash = [c for c in new_cols if c in out.columns]
    if clash:
        logger.info("referral_chain: replacing existing column(s) %s", clash)
    out["puskesmas_id"] = pk.to_numpy()
    out["travel_time_to_puskesmas_min"] = t1
    out["hospital_id"] = per_origin(hosp, object)
    out["travel_time_puskesmas_to_hospital_min"] = leg2
    out["referral_time_min"] = t1 + leg2  # NaN if either leg is NaN
    n_nan = int(np.isnan(out["referral_time_min"].to_numpy(dtype="float64")).sum())
    if n_nan:
        logger.info("referral_chain: %d origin(s) have no complete referral route", n_nan)
    return out


def cumulative_coverage(
    df: pd.DataFrame,
    time_col: str = "travel_time_min",
    pop_col: str = "population",
    *,
    by: str | Sequence[str] | None = None,
    minutes: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Share of the population within each travel time (the cumulative coverage curve).

    Parameters
    ----------
    df : DataFrame
        Units with a travel time (minutes; NaN/inf = unreachable) and a population.
    time_col, pop_col : str
        Column names.
    by : str or list of str, optional
        One curve per group (e.g. per kabupaten).
    minutes : sequence of float, optional
        Times at which to evaluate the curve. Default: 0 and every distinct
        finite travel time in the data (the exact step curve).

    Returns
    -------
    DataFrame
        Group columns, ``travel_time_min``, ``people_within`` (persons with a time
        ``<= travel_time_min``) and ``share_within`` (fraction 0-1 of the *whole*
        population, unreachable people included, so the curve ends at
        ``1 - share_unreachable``).

    Examples
    --------
    >>> d = pd.DataFrame({"travel_time_min": [10, 40, None], "population": [100, 300, 100]})
    >>> cumulative_coverage(d)["share_within"].tolist()
    [0.0, 0.2, 0.8]
    """
    t, p = time_pop_arrays(df, time_col, pop_col, "df")
    cols = _by_list(by, df, "df")
    grid = None
    if minutes is not None:
        try:
            grid = np.asarray(list(minutes), dtype="float64")
        except (TypeError, ValueError) as exc:
            raise InputValidationError(
                f"expected numbers of minutes, got {minutes!r}", argument="minutes"
            ) from exc
        if grid.ndim != 1 or grid.size == 0 or np.any(~np.isfinite(grid)) or np.any(grid < 0):
            raise InputValidationError(
                "expected a non-empty sequence of finite minutes >= 0", argument="minutes"
            )
        grid = np.sort(grid)
    frames = []
    for key, pos in _group_positions(df, cols):
        tg, pg = t[pos], p[pos]
        total = float(pg.sum())
        reach = np.isfinite(tg)
        xs = tg[reach]
        ws = pg[reach]
        order = np.argsort(xs, kind="stable")
        xs, ws = xs[order], ws[order]
        cw = np.cumsum(ws)
        g = grid if grid is not None else np.unique(np.concatenate([[0.0], xs]))
        idx = np.searchsorted(xs, g, side="right")
        within = np.where(idx > 0, cw[np.maximum(idx - 1, 0)] if cw.size else 0.0, 0.0)
        part = pd.DataFrame(
            {
                "travel_time_min": g,
                "people_within": within,
                "share_within": within / total if total > 0 else np.full(g.shape, np.nan),
            }
        )
        keys = key if isinstance(key, tuple) else (key,)
        for i, c in enumerate(cols):
            part.insert(i, c, keys[i])
        frames.append(part)
    return pd.DataFrame(pd.concat(frames, ignore_index=True))
