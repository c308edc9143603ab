"""Capacity-aware access: two-step floating catchment area (2SFCA) and enhanced 2SFCA.

Travel time alone says nothing about crowding: a puskesmas 10 minutes away with
3 staff for 40,000 people is not good access. The floating catchment methods divide
each facility's supply (staff, beds) among the people who can reach it, then add up,
for each origin, the shares of every facility it can reach.

Method
------
With ``t_ij`` the travel time from origin ``i`` to facility ``j`` (minutes),
``d0 = threshold_min`` the catchment size, ``W(t)`` a distance-decay weight
(``W = 1`` for the classic method), ``P_i`` the population of origin ``i`` and
``S_j`` the supply at facility ``j``:

1. **Step 1, per facility.** ``R_j = S_j / sum_{i : t_ij <= d0} W(t_ij) P_i``:
   supply per person in the facility's catchment.
2. **Step 2, per origin.** ``A_i = sum_{j : t_ij <= d0} W(t_ij) R_j``.

geoaccess reports ``access_per_1000 = 1000 * A_i``: units of supply per 1,000 people
(e.g. *staff per 1,000 people* or *beds per 1,000 people*), comparable with national
ratios. Sources: Luo & Wang (2003), "Measures of spatial accessibility to health care
in a GIS environment", *Environment and Planning B* 30(6): 865-884 (classic 2SFCA);
Luo & Qi (2009), "An enhanced two-step floating catchment area (E2SFCA) method for
measuring spatial accessibility to primary care physicians", *Health & Place* 15(4):
1100-1107 (E2SFCA).

Distance decay (enhanced 2SFCA)
-------------------------------
``"step"`` (default): the zones and weights of Luo & Qi (2009): 0-10, 10-20 and
20-30 minutes weighted 1.00, 0.68 and 0.22, for a 30-minute catchment
(:data:`LUO_QI_2009_ZONES_MIN`). For another ``threshold_min`` the zone edges are
scaled by ``threshold_min / 30`` (60 minutes -> 0-20, 20-40, 40-60). Each zone is
closed on the right (exactly 10 minutes gets weight 1.00), as in PySAL ``access``'s
``weights.step_fn``. These are also PySAL ``access``'s default E2SFCA weights.

``"gaussian"``: the Gaussian kernel used for 2SFCA by Dai (2010), "Black residential
segregation, disparities in spatial access to health care facilities, and late-stage
breast cancer diagnosis in metropolitan Detroit", *Health & Place* 16(5): 1038-1052:
``W(t) = (exp(-0.5 (t/d0)^2) - exp(-0.5)) / (1 - exp(-0.5))`` for ``t <= d0``, which
falls smoothly from 1 at 0 minutes to 0 at the catchment edge.

Any callable that maps an array of minutes to weights ``>= 0`` can be passed as well.

Conventions (and how they differ from PySAL ``access``)
-------------------------------------------------------
* The catchment includes its edge: ``t_ij <= threshold_min`` (PySAL: ``cost <= max_cost``).
* Result in supply **per 1,000 people**; PySAL returns supply per person
  (``access_per_1000 = 1000 * PySAL``).
* Origins that reach no facility within the catchment get **0** (no supply within
  reach). PySAL leaves them NaN.
* A facility whose catchment holds nobody (weighted population 0) cannot share its
  supply: ``R_j = 0``. PySAL divides by zero (inf/NaN). A warning names them.
* No normalisation. PySAL's ``normalize=True`` divides by the population-weighted
  mean access; to reproduce it divide ``access_per_1000`` by
  ``np.average(access_per_1000, weights=population)``.
* Pairs with a NaN/inf travel time are unreachable and never inside a catchment.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validate import check_choice, require_columns, require_frame
from ..exceptions import GeoAccessWarning, InputValidationError, NonUniqueIDError
from .columns import format_examples, is_numeric, to_float

__all__ = [
    "LUO_QI_2009_REFERENCE_MIN",
    "LUO_QI_2009_ZONES_MIN",
    "access_by_group",
    "enhanced_two_step_fca",
    "gaussian_decay",
    "step_decay",
    "two_step_fca",
]

logger = logging.getLogger(__name__)

#: Zones (upper edge in minutes, weight) of the E2SFCA of Luo & Qi (2009), Health &
#: Place 15(4):1100-1107, for their 30-minute catchment. Also PySAL access's default
#: ``weights.step_fn({10: 1, 20: 0.68, 30: 0.22})``.
LUO_QI_2009_ZONES_MIN: tuple[tuple[float, float], ...] = ((10.0, 1.0), (20.0, 0.68), (30.0, 0.22))

#: The catchment size (minutes) the Luo & Qi (2009) zones were defined for.
LUO_QI_2009_REFERENCE_MIN: float = 30.0

Decay = Callable[[np.ndarray], np.ndarray]


def _check_threshold(threshold_min: Any) -> float:
    try:
        v = float(threshold_min)
    except (TypeError, ValueError) as exc:
        raise InputValidationError(
            f"expected a number of minutes, got {threshold_min!r}", argument="threshold_min"
        ) from exc
    if not math.isfinite(v) or v <= 0:
        raise InputValidationError(
            f"must be a finite number of minutes > 0, got {threshold_min!r}",
            argument="threshold_min",
        )
    return v


def step_decay(
    threshold_min: float,
    zones_min: Sequence[tuple[float, float]] = LUO_QI_2009_ZONES_MIN,
    *,
    reference_min: float | None = LUO_QI_2009_REFERENCE_MIN,
) -> Decay:
    """Stepwise distance-decay weights (zones closed on the right).

    Parameters
    ----------
    threshold_min : float
        Catchment size in minutes.
    zones_min : sequence of (upper edge in minutes, weight)
        Increasing zone edges with their weights (default Luo & Qi 2009).
    reference_min : float or None
        Catchment size the zones were defined for; edges are multiplied by
        ``threshold_min / reference_min``. ``None`` uses the edges as given.

    Returns
    -------
    callable
        ``f(minutes array) -> weights array``: the weight of the first zone whose
        edge is ``>= t``; 0 beyond the last edge or for NaN.

    Examples
    --------
    >>> f = step_decay(60)
    >>> f(np.array([0.0, 20.0, 20.5, 60.0, 61.0])).tolist()
    [1.0, 1.0, 0.68, 0.22, 0.0]
    """
    d0 = _check_threshold(threshold_min)
    try:
        edges = np.array([float(e) for e, _ in zones_min])
        wts = np.array([float(w) for _, w in zones_min])
    except (TypeError, ValueError) as exc:
        raise InputValidationError(
            f"expected (edge_min, weight) pairs, got {zones_min!r}", argument="zones_min"
        ) from exc
    if edges.size == 0 or np.any(np.diff(edges) <= 0) or np.any(edges <= 0):
        raise InputValidationError(
            f"zone edges must be > 0 and strictly increasing, got {zones_min!r}",
            argument="zones_min",
        )
    if np.any(~np.isfinite(wts)) or np.any(wts < 0):
        raise InputValidationError(
            f"weights must be finite and >= 0, got {zones_min!r}", argument="zones_min"
        )
    if reference_min is not None:
        edges = edges * d0 / _check_threshold(reference_min)

    def decay(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype="float64")
        idx = np.searchsorted(edges, t, side="left")
        out = np.zeros(t.shape)
        ok = (idx < edges.size) & ~np.isnan(t)
        out[ok] = wts[idx[ok]]
        return out

    return decay


def gaussian_decay(threshold_min: float) -> Decay:
    """Gaussian distance-decay of Dai (2010), 1 at 0 minutes, 0 at the catchment edge.

    Parameters
    ----------
    threshold_min : float
        Catchment size ``d0`` in minutes.

    Returns
    -------
    callable
        ``W(t) = (exp(-0.5 (t/d0)^2) - exp(-0.5)) / (1 - exp(-0.5))`` for
        ``0 <= t <= d0``, else 0.

    Examples
    --------
    >>> f = gaussian_decay(30)
    >>> [round(float(v), 4) for v in f(np.array([0.0, 15.0, 30.0, 31.0]))]
    [1.0, 0.7014, 0.0, 0.0]
    """
    d0 = _check_threshold(threshold_min)
    e = math.exp(-0.5)

    def decay(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype="float64")
        inside = (t <= d0) & ~np.isnan(t)
        tt = np.where(inside, t, 0.0)
        w = (np.exp(-0.5 * (tt / d0) ** 2) - e) / (1.0 - e)
        return np.where(inside, w, 0.0)

    return decay


def _check_series(obj: Any, name: str, what: str) -> pd.Series:
    if isinstance(obj, pd.DataFrame) and obj.shape[1] == 1:
        obj = obj.iloc[:, 0]
    if not isinstance(obj, pd.Series):
        raise InputValidationError(
            f"expected a pandas Series of {what} indexed by id, got {type(obj).__name__}. "
            f"Build it with df.set_index('<id column>')['<{what} column>']",
            argument=name,
        )
    if len(obj) == 0:
        raise InputValidationError("it has no rows", argument=name)
    problems = []
    if obj.index.has_duplicates:
        dup = obj.index[obj.index.duplicated(keep=False)]
        dup_txt = format_examples(sorted(map(str, set(dup))))
        problems.append(f"index (ids) must be unique; duplicated: {dup_txt}")
    if not is_numeric(obj):
        problems.append(f"values must be numeric {what}, got dtype {obj.dtype}")
    else:
        v = to_float(obj)
        nan = np.isnan(v)
        if nan.any():
            problems.append(
                f"{int(nan.sum())} id(s) have no {what} (e.g. {format_examples(obj.index[nan])}); "
                "fill them (0 if truly none) or drop them explicitly"
            )
        bad = ~nan & ((v < 0) | ~np.isfinite(v))
        if bad.any():
            problems.append(
                f"{int(bad.sum())} id(s) have negative or infinite {what} "
                f"(e.g. {format_examples(obj.index[bad])})"
            )
    if problems:
        raise InputValidationError(problems, argument=name)
    return pd.Series(to_float(obj), index=obj.index, name=obj.name)


def _fca(
    cost: pd.DataFrame,
    demand: pd.Series,
    supply: pd.Series,
    *,
    threshold_min: float,
    decay: Decay | None,
    origin_col: str,
    facility_col: str,
    cost_col: str,
) -> pd.Series:
    d0 = _check_threshold(threshold_min)
    require_frame(cost, "cost", geo=False)
    require_columns(cost, [origin_col, facility_col, cost_col], "cost")
    if not is_numeric(cost[cost_col]):
        raise InputValidationError(
            f"'{cost_col}' must be numeric minutes, got dtype {cost[cost_col].dtype}",
            argument="cost",
        )
    dem = _check_series(demand, "demand", "population")
    sup = _check_series(supply, "supply", "supply")
    if decay is not None and not callable(decay):
        raise InputValidationError(f"expected None or a function of minutes, got {decay!r}", argument="decay")

    t = to_float(cost[cost_col])
    if np.any(t < 0):
        raise InputValidationError(f"'{cost_col}' has negative travel times", argument="cost")
    pairs = cost[[origin_col, facility_col]]
    dup = pairs.duplicated(keep=False)
    if dup.any():
        ex = pairs[dup].drop_duplicates().head(5).to_records(index=False).tolist()
        raise NonUniqueIDError(
            f"{int(dup.sum())} rows repeat an ({origin_col}, {facility_col}) pair, e.g. {ex}; "
            "keep one travel time per pair (e.g. the minimum)",
            argument="cost",
        )
    o = cost[origin_col].to_numpy()
    f = cost[facility_col].to_numpy()
    o_known = pd.Index(o).isin(dem.index)
    f_known = pd.Index(f).isin(sup.index)
    if not o_known.any() or not f_known.any():
        which = "origin" if not o_known.any() else "facility"
        index_dtype = (dem if which == "origin" else sup).index.dtype
        col_dtype = cost[origin_col if which == "origin" else facility_col].dtype
        raise InputValidationError(
            f"no {which} id in cost matches the index of "
            f"{'demand' if which == 'origin' else 'supply'} (cost ids dtype {col_dtype}, "
            f"index dtype {index_dtype}); use the same ids (and the same type, str vs int)",
            argument="cost",
        )
    if not o_known.all():
        ids = pd.unique(o[~o_known])
        warnings.warn(
            f"{len(ids)} origin id(s) in cost have no demand (e.g. {format_examples(ids)}); "
            "their rows are ignored. Add them to demand (0 if nobody lives there) to silence this.",
            GeoAccessWarning,
            stacklevel=3,
        )
    if not f_known.all():
        ids = pd.unique(f[~f_known])
        warnings.warn(
            f"{len(ids)} facility id(s) in cost have no supply value (e.g. {format_examples(ids)}); "
            "their rows are ignored. Add them to supply (0 if none) to silence this.",
            GeoAccessWarning,
            stacklevel=3,
        )
    n_unreach = int((~np.isfinite(t)).sum())
    if n_unreach:
        logger.info("2SFCA: %d origin-facility pair(s) unreachable (NaN/inf time)", n_unreach)
    inside = o_known & f_known & np.isfinite(t) & (t <= d0)
    o, f, t = o[inside], f[inside], t[inside]
    if decay is None:
        w = np.ones(t.shape)
    else:
        w = np.asarray(decay(t), dtype="float64")
        if w.shape != t.shape or np.any(~np.isfinite(w)) or np.any(w < 0):
            raise InputValidationError(
                "the decay function must return one finite weight >= 0 per travel time",
                argument="decay",
            )

    # Step 1: weighted population in each facility's catchment, R_j = S_j / D_j.
    pop = dem.reindex(o).to_numpy()
    catch = pd.Series(w * pop).groupby(f).sum()
    s_j = sup.reindex(catch.index).to_numpy()
    d_j = catch.to_numpy()
    r_j = np.zeros_like(d_j)
    np.divide(s_j, d_j, out=r_j, where=d_j > 0)
    idle = (d_j <= 0) & (s_j > 0)
    if idle.any():
        warnings.warn(
            f"{int(idle.sum())} facility(ies) have supply but nobody in their {d0:g}-minute "
            f"catchment (e.g. {format_examples(catch.index[idle])}); their supply reaches no one "
            "and is not counted (R_j = 0).",
            GeoAccessWarning,
            stacklevel=3,
        )
    ratio = pd.Series(r_j, index=catch.index)

    # Step 2: A_i = sum_j W(t_ij) R_j, per 1,000 people.
    contrib = pd.Series(w * ratio.reindex(f).to_numpy()).groupby(o).sum()
    acc = contrib.reindex(dem.index, fill_value=0.0) * 1000.0
    n_none = int((~dem.index.isin(contrib.index)).sum())
    if n_none:
        logger.info("2SFCA: %d origin(s) reach no facility within %g minutes (access 0)", n_none, d0)
    acc.name = "access_per_1000"
    acc.index.name = origin_col
    return acc.astype("float64")


def two_step_fca(
    cost: pd.DataFrame,
    demand: pd.Series,
    supply: pd.Series,
    *,
    threshold_min: float,
    decay: Decay | None = None,
    origin_col: str = "origin_id",
    facility_col: str = "facility_id",
    cost_col: str = "travel_time_min",
) -> pd.Series:
    """Two-step floating catchment access (Luo & Wang 2003), supply per 1,000 people.

    Parameters
    ----------
    cost : DataFrame
        Long travel-time table, one row per (origin, facility) pair:
        ``origin_col``, ``facility_col`` and ``cost_col`` (minutes; NaN/inf =
        unreachable). Pairs beyond ``threshold_min`` may be left out.
    demand : Series
        Population (persons) indexed by origin id.
    supply : Series
        Supply indexed by facility id: staff, doctors, beds ... (``>= 0``).
    threshold_min : float
        Catchment size in minutes (pairs with ``time <= threshold_min`` count).
    decay : callable, optional
        Distance-decay weights ``f(minutes array) -> weights``; ``None`` (default) is
        the classic method (weight 1 inside the catchment). See
        :func:`step_decay`, :func:`gaussian_decay`.
    origin_col, facility_col, cost_col : str
        Column names in ``cost``.

    Returns
    -------
    Series
        ``access_per_1000`` indexed like ``demand``: units of supply per 1,000
        people (e.g. staff per 1,000). 0 for origins that reach no facility within
        ``threshold_min``.

    Warns
    -----
    GeoAccessWarning
        Ids in ``cost`` missing from ``demand``/``supply`` (ignored), or facilities
        with supply but nobody in their catchment.

    Examples
    --------
    >>> cost = pd.DataFrame({"origin_id": ["a", "b", "c"], "facility_id": ["x", "x", "y"],
    ...                      "travel_time_min": [10.0, 20.0, 5.0]})
    >>> demand = pd.Series({"a": 100.0, "b": 300.0, "c": 500.0})
    >>> supply = pd.Series({"x": 4.0, "y": 1.0})
    >>> two_step_fca(cost, demand, supply, threshold_min=30).tolist()
    [10.0, 10.0, 2.0]
    """
    return _fca(
        cost,
        demand,
        supply,
        threshold_min=threshold_min,
        decay=decay,
        origin_col=origin_col,
        facility_col=facility_col,
        cost_col=cost_col,
    )


def enhanced_two_step_fca(
    cost: pd.DataFrame,
    demand: pd.Series,
    supply: pd.Series,
    *,
    threshold_min: float,
    weights: str | Decay = "step",
    zones_min: Sequence[tuple[float, float]] = LUO_QI_2009_ZONES_MIN,
    origin_col: str = "origin_id",
    facility_col: str = "facility_id",
    cost_col: str = "travel_time_min",
) -> pd.Series:
    """Enhanced 2SFCA (Luo & Qi 2009): 2SFCA with distance-decay weights.

    Parameters
    ----------
    cost, demand, supply, threshold_min, origin_col, facility_col, cost_col
        As in :func:`two_step_fca`.
    weights : {"step", "gaussian"} or callable
        ``"step"`` (default): Luo & Qi (2009) zones 0-10/10-20/20-30 minutes with
        weights 1.00/0.68/0.22, scaled to ``threshold_min`` (see :func:`step_decay`).
        ``"gaussian"``: the Dai (2010) kernel (:func:`gaussian_decay`). A callable is
        used as the decay function.
    zones_min : sequence of (edge_min, weight)
        Zones for ``"step"``, defined for a 30-minute catchment and scaled.

    Returns
    -------
    Series
        ``access_per_1000`` indexed like ``demand``.

    Examples
    --------
    Three desa and two puskesmas (4 and 1 doctors); desa ``a`` is 5 min from ``x``,
    desa ``b`` 25 min, so ``b``'s people weigh less in ``x``'s catchment:

    >>> cost = pd.DataFrame({"origin_id": ["a", "b", "c"], "facility_id": ["x", "x", "y"],
    ...                      "travel_time_min": [5.0, 25.0, 5.0]})
    >>> demand = pd.Series({"a": 100.0, "b": 300.0, "c": 500.0})
    >>> supply = pd.Series({"x": 4.0, "y": 1.0})
    >>> enhanced_two_step_fca(cost, demand, supply, threshold_min=30).round(2).tolist()
    [24.1, 5.3, 2.0]
    """
    d0 = _check_threshold(threshold_min)
    if callable(weights):
        decay: Decay = weights
    else:
        check_choice(weights, ["step", "gaussian"], "weights")
        decay = step_decay(d0, zones_min) if weights == "step" else gaussian_decay(d0)
    return _fca(
        cost,
        demand,
        supply,
        threshold_min=d0,
        decay=decay,
        origin_col=origin_col,
        facility_col=facility_col,
        cost_col=cost_col,
    )


def access_by_group(access_per_1000: pd.Series, demand: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """Population-weighted 2SFCA access per group (e.g. per kecamatan).

    Parameters
    ----------
    access_per_1000 : Series
        Output of :func:`two_step_fca` / :func:`enhanced_two_step_fca`, by origin id.
    demand : Series
        Population (persons) by origin id (the same ``demand`` given to the FCA).
    groups : Series
        Group (e.g. kecamatan code) by origin id. Origins without a group form
        their own group (never dropped).

    Returns
    -------
    DataFrame
        One row per group (the group as a column named like ``groups``, or
        ``group``): ``population``, ``access_per_1000`` (``sum(A_i P_i) / sum(P_i)``,
        supply per 1,000 people, the indicator :mod:`geoaccess.planning.priority` uses) and
        ``people_no_supply_in_reach`` (people whose access is 0).

    Examples
    --------
    >>> a = pd.Series({"a": 10.0, "b": 0.0, "c": 2.0})
    >>> p = pd.Series({"a": 100.0, "b": 100.0, "c": 200.0})
    >>> g = pd.Series({"a": "K1", "b": "K1", "c": "K2"})
    >>> access_by_group(a, p, g)["access_per_1000"].tolist()
    [5.0, 2.0]
    """
    acc = _check_series(access_per_1000, "access_per_1000", "access")
    dem = _check_series(demand, "demand", "population")
    if not isinstance(groups, pd.Series):
        raise InputValidationError(
            f"expected a Series of group labels indexed by origin id, got {type(groups).__name__}",
            argument="groups",
        )
    missing = acc.index.difference(dem.index)
    if len(missing):
        raise InputValidationError(
            f"{len(missing)} origin id(s) have access but no population "
            f"(e.g. {format_examples(missing)}); pass the same demand as to the FCA",
            argument="demand",
        )
    name = groups.name if groups.name is not None else "group"
    g = groups.reindex(acc.index)
    p = dem.reindex(acc.index).to_numpy()
    a = acc.to_numpy()
    work = pd.DataFrame(
        {name: g.to_numpy(), "population": p, "_ap": a * p, "_zero": np.where(a == 0, p, 0.0)}
    )
    out = work.groupby(name, dropna=False, sort=True).sum().reset_index()
    mean = np.full(len(out), np.nan)
    np.divide(
        out["_ap"].to_numpy(), out["population"].to_numpy(), out=mean, where=out["population"].to_numpy() > 0
    )
    out["access_per_1000"] = mean
    out["people_no_supply_in_reach"] = out["_zero"]
    return pd.DataFrame(out.drop(columns=["_ap", "_zero"]))
