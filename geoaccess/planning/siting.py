"""Siting under a budget: which candidate sites to open, given the facilities already open.

:func:`site_facilities` chooses among candidate sites (new puskesmas, upgrades to
inpatient care) for a number of sites ``k``, a budget in rupiah, or both, under one of
two objectives, with the existing facilities fixed (always open):

- ``"coverage"`` (maximal covering): the people within ``threshold_min`` minutes of any
  open facility. An origin already within the threshold of an existing facility is
  covered whatever is chosen; the objective value is the **people newly within** the
  threshold.
- ``"median"`` (p-median): the population-weighted mean travel time to the nearest open
  facility. The objective value is the **person-minutes saved** (population x minutes,
  summed over origins), which is the same choice as the lowest mean time.

How the inputs become a model
-----------------------------
- Demand is aggregated per origin (a desa point, a populated cell): origin ``i`` has
  ``population_col`` people ``w_i``; origins without people are left out.
- Baseline: ONE multi-source search from the existing facilities,
  ``geoaccess.nearest(network, facilities).at_points(origins)``, gives ``b_i``.
- Candidate x origin times ``t_ij`` come from bounded searches only,
  ``geoaccess.travel_time_matrix(network, origins, candidates, max_time_min=bound)``:
  for coverage ``bound = threshold_min`` (a candidate farther than that covers no one);
  for the median ``bound = max(B, threshold_min)`` where ``B`` (``max_time_min``,
  default the largest baseline time of a populated origin) caps the times: a pair
  matters only when ``t_ij < b_i <= B``. No full recomputation per candidate.
- Median times are **capped at B**: origin ``i`` counts ``min(time_i, B)`` minutes.
  An origin that no existing facility reaches within ``B`` but some candidate does
  counts ``B`` until a candidate that reaches it opens (the model's penalty for "no
  facility within B"). Origins that neither an existing facility nor any candidate
  reaches within ``B`` cannot change: they are left out of the mean and reported in
  ``attrs["people_excluded"]``. With the default ``B``, every origin reached at
  baseline keeps its exact time.

Methods
-------
- ``"exact"``: a mixed-integer program solved with HiGHS (``highspy``). Binary ``x_j``
  per candidate, ``sum x_j <= k``, ``sum cost_j x_j <= budget``. Coverage: ``y_i`` in
  [0, 1] per origin not yet covered, ``y_i <= sum of x_j over the candidates within the
  threshold of i``, maximise ``sum w_i y_i``. Median: assignment ``z_ij`` in [0, 1] only
  for the sparse pairs that beat the baseline (``t_ij < min(b_i, B)``), ``z_ij <= x_j``,
  ``sum_j z_ij <= 1`` (the rest stays with the existing facilities), maximise
  ``sum w_i (min(b_i, B) - t_ij) z_ij``. The greedy answer is the starting incumbent.
  ``attrs`` hold the objective value, HiGHS's MIP dual bound and the gap; a time limit
  (``time_limit_s``) returns the best answer found with its bound and gap.
- ``"greedy"``: lazy greedy (a priority queue of stale marginal gains, re-evaluated only
  when they reach the top; valid because both objectives are monotone submodular). With
  ``k`` only, the gain is in people (or person-minutes); it is within ``1 - 1/e``
  (about 63%) of the optimum (Nemhauser, Wolsey and Fisher 1978). With a budget, the
  gain per rupiah, and the answer is the best of that, the plain-gain greedy and the
  best single affordable candidate, which is within ``(1 - 1/e) / 2`` (about 32%) of
  the optimum (Khuller, Moss and Naor 1999; Leskovec et al. 2007). No guarantee is
  claimed when ``k`` and a budget are both given. The bound reported is the LP
  relaxation of the exact model (solved with HiGHS), so ``attrs["gap"]`` is a proven
  upper limit of what greedy may have missed.
- ``"both"``: greedy, then the exact model started from it; the exact answer is returned
  and ``attrs`` add ``greedy_value`` and ``greedy_ratio`` (greedy value / exact value).

Result
------
A new GeoDataFrame: the chosen rows of ``candidates`` (index, columns, geometry and CRS
kept) in selection order, plus :data:`SITING_COLUMNS`. Exact answers are put in order
greedily among the chosen sites (largest marginal gain first), so the cumulative columns
read as "the first n sites give ...". A chosen site that adds nothing is not proposed.
The summary is in ``result.attrs`` (documented in :func:`site_facilities`); there is no
companion table.

Costs
-----
In rupiah (IDR), per candidate from ``cost_col``; without it from ``kind_col``
(``"new"`` / ``"upgrade"``) and the two defaults below; without both every candidate
counts as a new build. The defaults are planning placeholders to review:
:data:`NEW_PUSKESMAS_COST_IDR` has a public source, :data:`UPGRADE_COST_IDR` has none.

Program targets
---------------
:func:`site_for_targets` first gives every group (kecamatan) without an existing facility
(e.g. without an inpatient puskesmas) its cheapest eligible candidate, then spends what
is left on the objective; ``attrs["target_cost_idr"]`` says what the target costs.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .._validate import check_positive, require_columns, require_crs, require_frame
from ..engine.network import Network
from ..engine.travel import nearest, travel_time_matrix
from ..exceptions import (
    EmptyInputError,
    GeoAccessWarning,
    InputValidationError,
    MissingColumnError,
    NonUniqueIDError,
)
from ..notes import Note

__all__ = [
    "DEFAULT_THRESHOLD_MIN",
    "DEFAULT_TIME_LIMIT_S",
    "NEW_PUSKESMAS_COST_IDR",
    "SITING_COLUMNS",
    "UPGRADE_COST_IDR",
    "site_facilities",
    "site_for_targets",
]

log = logging.getLogger(__name__)

#: Cost of building a new puskesmas (IDR): about Rp 2.4 miliar, the figure reported for
#: a new puskesmas in the Musi Banyuasin APBD 2023 (news report; South Sumatra, the
#: province of Muara Enim). Building only: land, equipment and staff are not included.
#: A planning placeholder; pass your own costs with ``cost_col``.
NEW_PUSKESMAS_COST_IDR = 2_400_000_000.0
#: Cost of upgrading a puskesmas to inpatient care (rawat inap) (IDR): Rp 1 miliar.
#: ASSUMPTION, NOT A PUBLISHED FIGURE: no public source for an upgrade cost was found.
#: It stands for a few inpatient rooms, a delivery room and equipment at well under half
#: a new building. The planner must review it (Dinkes budget office) before using a
#: result; pass real costs with ``cost_col``.
UPGRADE_COST_IDR = 1_000_000_000.0
#: Default coverage threshold (minutes): the 60-minute band edge the program uses.
DEFAULT_THRESHOLD_MIN = 60.0
#: Default time limit of the exact solver (seconds); on time-out the best answer found
#: is returned with its bound and gap.
DEFAULT_TIME_LIMIT_S = 60.0
#: Default relative MIP gap at which HiGHS stops (its own default is 1e-4; 1e-6 makes
#: "exact" mean optimal to well under one person on district-sized instances).
DEFAULT_MIP_REL_GAP = 1e-6
#: Median cap (minutes) used only when no populated origin is reached at baseline
#: (no existing facility within reach), so the default ``B`` would be undefined.
DEFAULT_MEDIAN_CAP_MIN = 240.0
#: Columns added to the chosen candidates, in order.
SITING_COLUMNS = (
    "rank",
    "cost",
    "cumulative_cost",
    "people_newly_within",
    "people_within_cumulative",
    "person_min_saved",
    "mean_travel_time_min_after",
)
OBJECTIVES = ("coverage", "median")
METHODS = ("exact", "greedy", "both")
KINDS = {"new": "new", "build": "new", "baru": "new", "upgrade": "upgrade"}


# --- the model ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Problem:
    """Everything the solvers need, built once (positional indices throughout)."""

    candidates: gpd.GeoDataFrame
    ids: np.ndarray  # candidate ids (column or index values)
    cost: np.ndarray  # IDR per candidate
    cost_source: str
    objective: str
    threshold_min: float
    cap_min: float  # B for the median, inf for coverage
    search_bound_min: float
    w: np.ndarray  # people per origin
    base: np.ndarray  # baseline minutes per origin (inf: unreachable)
    # per candidate (CSR-like): origins within the search bound and their minutes
    indptr: np.ndarray
    origin: np.ndarray
    minutes: np.ndarray

    def value(self, t: np.ndarray) -> np.ndarray:
        """Per-origin 'cost' the objective sums (lower is better): uncovered, or capped minutes."""
        if self.objective == "coverage":
            return (t > self.threshold_min).astype(float)
        return np.minimum(t, self.cap_min)

    @property
    def included(self) -> np.ndarray:
        """Origins in the objective: populated, and (median) reached within B by someone."""
        if self.objective == "coverage":
            return self.w > 0
        reach = self.base <= self.cap_min
        reach[self.origin[self.minutes <= self.cap_min]] = True
        return (self.w > 0) & reach

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Useful pairs (candidate, origin, gain per person): those beating the baseline."""
        cand = np.repeat(np.arange(len(self.ids)), np.diff(self.indptr))
        gain = self.value(self.base)[self.origin] - self.value(self.minutes)
        keep = (gain > 0) & (self.w[self.origin] > 0)
        return cand[keep], self.origin[keep], gain[keep]

    def times_after(self, chosen: Iterable[int]) -> np.ndarray:
        """Minutes per origin with the chosen candidates open (inf: unreachable within the bound)."""
        t = self.base.copy()
        for j in chosen:
            s, e = self.indptr[j], self.indptr[j + 1]
            np.minimum.at(t, self.origin[s:e], self.minutes[s:e])
        return t

    def gain_of(self, chosen: Iterable[int]) -> float:
        """Objective value (people newly within / person-minutes saved) of a set of candidates."""
        t = self.times_after(chosen)
        inc = self.included
        return float((self.w[inc] * (self.value(self.base)[inc] - self.value(t)[inc])).sum())


def _kind_costs(cand: gpd.GeoDataFrame, kind_col: str, new_cost: float, upgrade_cost: float) -> np.ndarray:
    kinds = cand[kind_col].astype("string").str.strip().str.lower().map(KINDS)
    bad = kinds.isna()
    if bad.any():
        raise InputValidationError(
            f"column '{kind_col}' must say 'new' or 'upgrade' for every candidate; "
            f"{int(bad.sum())} row(s) do not (e.g. {cand.loc[bad, kind_col].head(3).tolist()}). "
            "Fix the values or pass cost_col= with a cost in rupiah per candidate.",
            argument="kind_col",
        )
    return np.where(kinds.to_numpy() == "upgrade", upgrade_cost, new_cost).astype(float)


def _check_args(
    k: Any,
    budget: Any,
    objective: Any,
    method: Any,
    threshold_min: Any,
    time_limit_s: Any,
    max_time_min: Any,
    *,
    need_k_or_budget: bool = True,
) -> None:
    """Every scalar argument at once: one error naming each problem and its fix."""
    problems: list[tuple[type[InputValidationError], str, str]] = []
    if need_k_or_budget and k is None and budget is None:
        problems.append(
            (
                InputValidationError,
                "k",
                "pass k= (the number of sites), budget= (rupiah, with cost_col= or the "
                "default costs), or both",
            )
        )
    if k is not None and (isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1):
        problems.append((InputValidationError, "k", f"must be a whole number >= 1, got {k!r}"))
    if budget is not None:
        ok = isinstance(budget, int | float | np.integer | np.floating) and not isinstance(budget, bool)
        if not ok or not math.isfinite(float(budget)) or float(budget) < 0:
            problems.append(
                (
                    InputValidationError,
                    "budget",
                    f"must be a finite number of rupiah >= 0, got {budget!r} "
                    "(e.g. budget=10e9 for Rp 10 miliar)",
                )
            )
    for value, choices, name in ((objective, OBJECTIVES, "objective"), (method, METHODS, "method")):
        if value not in choices:
            problems.append((InputValidationError, name, f"got {value!r}; choose one of {list(choices)}"))
    for value, name in (
        (threshold_min, "threshold_min"),
        (time_limit_s, "time_limit_s"),
        (max_time_min, "max_time_min"),
    ):
        if name == "max_time_min" and value is None:
            continue
        try:
            check_positive(float(value), name)
        except (TypeError, ValueError):
            problems.append((InputValidationError, name, f"must be a number > 0, got {value!r}"))
    if len(problems) == 1:
        cls, arg, msg = problems[0]
        raise cls(msg, argument=arg)
    if problems:
        raise InputValidationError([f"`{a}`: {m}" for _, a, m in problems])


def _prepare(
    network: Network,
    origins: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame | None,
    candidates: gpd.GeoDataFrame,
    *,
    objective: str,
    threshold_min: float,
    budget: float | None,
    cost_col: str | None,
    kind_col: str,
    new_cost_idr: float,
    upgrade_cost_idr: float,
    population_col: str,
    candidate_id_col: str | None,
    facility_id_col: str,
    max_time_min: float | None,
    max_access_m: float | None,
) -> _Problem:
    """Validate the frames, run the baseline search and the bounded candidate searches."""
    if not isinstance(network, Network):
        raise InputValidationError(
            f"expected a geoaccess Network, got {type(network).__name__}; build one with "
            "geoaccess.build_network()",
            argument="network",
        )
    require_frame(origins, "origins")
    require_crs(origins, "origins")
    require_columns(origins, [population_col], "origins")
    if not isinstance(candidates, gpd.GeoDataFrame):
        require_frame(candidates, "candidates")
    if len(candidates) == 0:
        raise EmptyInputError(
            "it has no rows: pass at least one candidate site (desa points, puskesmas to upgrade, ...)",
            argument="candidates",
        )
    require_crs(candidates, "candidates")
    pop = pd.to_numeric(origins[population_col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(pop) | (pop < 0)
    if bad.any():
        raise InputValidationError(
            f"column '{population_col}' must hold people >= 0 in every row; {int(bad.sum())} row(s) "
            f"do not (index {origins.index[bad].tolist()[:10]}). Fill or drop them first "
            f"(e.g. origins.fillna({{'{population_col}': 0}})).",
            argument="origins",
        )
    gone = origins.geometry.isna() | origins.geometry.is_empty
    if gone.any():
        raise InputValidationError(
            f"{int(gone.sum())} origins have no geometry (index {origins.index[gone].tolist()[:10]}); "
            "drop or fix them first",
            argument="origins",
        )
    if candidate_id_col is not None:
        if candidate_id_col not in candidates.columns:
            raise MissingColumnError(
                f"candidate_id_col={candidate_id_col!r} is not a column of candidates "
                f"(it has {list(candidates.columns)[:20]}); pass an existing column or None to use the index",
                argument="candidate_id_col",
            )
        id_values = candidates[candidate_id_col]
    else:
        id_values = candidates.index.to_series()
    dup = id_values[id_values.duplicated(keep=False)]
    if len(dup):
        where = f"column '{candidate_id_col}'" if candidate_id_col else "the index"
        raise NonUniqueIDError(
            f"candidate ids ({where}) must be unique; duplicated: {sorted(map(str, set(dup)))[:10]}. "
            "Drop the duplicates or pass candidate_id_col= naming a unique column.",
            argument="candidates",
        )
    if id_values.isna().any():
        raise InputValidationError("candidate ids must not be missing", argument="candidates")
    clash = [c for c in SITING_COLUMNS if c in candidates.columns and c != cost_col]
    if clash:
        raise InputValidationError(
            f"candidates already have the output column(s) {clash}; rename or drop them first "
            f"(candidates.drop(columns={clash}))",
            argument="candidates",
        )
    if cost_col is not None:
        if cost_col not in candidates.columns:
            raise MissingColumnError(
                f"cost_col={cost_col!r} is not a column of candidates (it has "
                f"{list(candidates.columns)[:20]}); add a cost in rupiah per candidate or pass "
                "cost_col=None to use the default costs",
                argument="cost_col",
            )
        cost = pd.to_numeric(candidates[cost_col], errors="coerce").to_numpy(dtype=float)
        badc = ~np.isfinite(cost) | (cost < 0)
        if badc.any():
            raise InputValidationError(
                f"column '{cost_col}' must hold a cost in rupiah >= 0 for every candidate; "
                f"{int(badc.sum())} row(s) do not (index {candidates.index[badc].tolist()[:10]})",
                argument="cost_col",
            )
        cost_source = Note("note.cost_column", column=cost_col)
    else:
        for v, name in ((new_cost_idr, "new_cost_idr"), (upgrade_cost_idr, "upgrade_cost_idr")):
            check_positive(float(v), name, allow_zero=True)
        # where each cost came from: the planner, or the module default (and its source)
        new_origin = Note(
            "note.cost_default_new" if new_cost_idr == NEW_PUSKESMAS_COST_IDR else "note.cost_given"
        )
        up_origin = Note(
            "note.cost_default_upgrade" if upgrade_cost_idr == UPGRADE_COST_IDR else "note.cost_given"
        )
        if kind_col in candidates.columns:
            cost = _kind_costs(candidates, kind_col, float(new_cost_idr), float(upgrade_cost_idr))
            cost_source = Note(
                "note.cost_by_kind",
                column=kind_col,
                new=f"{new_cost_idr:,.0f}",
                upgrade=f"{upgrade_cost_idr:,.0f}",
                new_origin=new_origin,
                upgrade_origin=up_origin,
            )
        else:
            cost = np.full(len(candidates), float(new_cost_idr))
            cost_source = Note("note.cost_all_new", new=f"{new_cost_idr:,.0f}", new_origin=new_origin)
            if budget is not None:
                log.info("no cost_col and no %r column: every candidate costs Rp %s", kind_col, new_cost_idr)
    small = (cost > 0) & (cost < 1e6)
    if small.any():
        warnings.warn(
            f"{int(small.sum())} candidate(s) cost less than Rp 1 juta (e.g. Rp {float(cost[small][0]):g}); "
            "costs are in rupiah, not miliar: Rp 2.4 miliar is 2400000000",
            GeoAccessWarning,
            stacklevel=3,
        )

    # baseline: one multi-source search from the existing facilities
    o_pts = gpd.GeoDataFrame(geometry=origins.geometry.to_numpy(), crs=origins.crs)
    w = pop
    if facilities is None or (isinstance(facilities, pd.DataFrame) and len(facilities) == 0):
        base = np.full(len(origins), np.inf)
    else:
        res = nearest(network, facilities, facility_id_col=facility_id_col, max_access_m=max_access_m)
        tt = res.at_points(o_pts)["travel_time_min"].to_numpy(dtype=float)
        base = np.where(np.isfinite(tt), tt, np.inf)
    if objective == "coverage":
        cap = np.inf
        bound = float(threshold_min)
    else:
        if max_time_min is not None:
            cap = float(max_time_min)
        else:
            finite = base[(w > 0) & np.isfinite(base)]
            cap = float(finite.max()) if len(finite) else DEFAULT_MEDIAN_CAP_MIN
        bound = max(cap, float(threshold_min))
    c_pts = gpd.GeoDataFrame(
        {"facility_id": np.arange(len(candidates))},
        geometry=candidates.geometry.to_numpy(),
        crs=candidates.crs,
    )
    mat = travel_time_matrix(
        network, o_pts, c_pts, max_time_min=bound, max_access_m=max_access_m, progress=False
    )
    cj = mat["facility_id"].astype(int).to_numpy()
    oi = mat["origin_id"].to_numpy(dtype=np.int64)
    tm = mat["travel_time_min"].to_numpy(dtype=float)
    order = np.lexsort((oi, cj))
    cj, oi, tm = cj[order], oi[order], tm[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(cj, minlength=len(candidates)))])
    return _Problem(
        candidates=candidates,
        ids=id_values.to_numpy(),
        cost=cost,
        cost_source=cost_source,
        objective=objective,
        threshold_min=float(threshold_min),
        cap_min=cap,
        search_bound_min=bound,
        w=w,
        base=base,
        indptr=indptr,
        origin=oi,
        minutes=tm,
    )


# --- greedy ------------------------------------------------------------------------


def _lazy_greedy(
    prob: _Problem,
    gain_pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    k: int | None,
    budget: float | None,
    forced: list[int],
    per_rupiah: bool,
) -> list[int]:
    """Lazy greedy from the forced sites: stale gains in a heap, re-evaluated at the top."""
    cand, org, g = gain_pairs
    n = len(prob.ids)
    order = np.argsort(cand, kind="stable")
    cand, org, g = cand[order], org[order], g[order]
    ptr = np.concatenate([[0], np.cumsum(np.bincount(cand, minlength=n))])
    # remaining per-origin improvable amount: value(current) - value(best so far) is
    # tracked as 'cur' (the origin's current value); a pair helps by max(0, cur - pairval)
    base_val = prob.value(prob.base)
    pair_val = base_val[org] - g
    cur = base_val.copy()
    w = prob.w

    def gain(j: int) -> float:
        s, e = ptr[j], ptr[j + 1]
        o = org[s:e]
        return float((w[o] * np.maximum(0.0, cur[o] - pair_val[s:e])).sum())

    def open_site(j: int) -> None:
        s, e = ptr[j], ptr[j + 1]
        np.minimum.at(cur, org[s:e], pair_val[s:e])

    chosen = list(forced)
    for j in forced:
        open_site(j)
    spent = float(prob.cost[forced].sum())
    left = math.inf if budget is None else float(budget) - spent

    def key(j: int, gj: float) -> float:
        if not per_rupiah:
            return gj
        return math.inf if prob.cost[j] <= 0 else gj / prob.cost[j]

    heap: list[tuple[float, float, int, int]] = []
    for j in range(n):
        if j in chosen:
            continue
        gj = gain(j)
        if gj > 0:
            heap.append((-key(j, gj), -gj, j, len(chosen)))
    heapq.heapify(heap)
    while heap and (k is None or len(chosen) < k):
        _, _, j, stamp = heapq.heappop(heap)
        if prob.cost[j] > left + 1e-9:
            continue  # never affordable again: the budget only shrinks
        if stamp != len(chosen):
            gj = gain(j)  # stale: re-evaluate, push back
            if gj > 0:
                heapq.heappush(heap, (-key(j, gj), -gj, j, len(chosen)))
            continue
        chosen.append(j)
        open_site(j)
        left -= prob.cost[j]
    return chosen


def _greedy(
    prob: _Problem,
    gain_pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    k: int | None,
    budget: float | None,
    forced: list[int],
) -> list[int]:
    """Greedy answer: plain gain for k; with a budget the best of gain per rupiah, plain
    gain and the best single affordable candidate ((1 - 1/e)/2 guarantee)."""
    runs = [_lazy_greedy(prob, gain_pairs, k=k, budget=budget, forced=forced, per_rupiah=False)]
    if budget is not None:
        runs.append(_lazy_greedy(prob, gain_pairs, k=k, budget=budget, forced=forced, per_rupiah=True))
        left = float(budget) - float(prob.cost[forced].sum())
        if k is None or len(forced) < k:
            singles = [j for j in range(len(prob.ids)) if j not in forced and prob.cost[j] <= left + 1e-9]
            if singles:
                vals = [prob.gain_of([*forced, j]) for j in singles]
                runs.append([*forced, singles[int(np.argmax(vals))]])
    values = [prob.gain_of(r) for r in runs]
    return runs[int(np.argmax(values))]  # first best: ties keep the plain greedy


# --- exact -------------------------------------------------------------------------


def _runs(keys: np.ndarray) -> np.ndarray:
    """Start of each run of equal sorted keys, then len(keys) (empty for no keys)."""
    if len(keys) == 0:
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1], True])


@dataclass(frozen=True)
class _Solved:
    chosen: list[int]
    bound: float
    status: str
    seconds: float


def _quiet_highs(highspy: Any) -> Any:
    """A ``highspy.Highs`` with its output off, made without its banner.

    HiGHS prints a two-line banner from C++ straight to file descriptor 1 whenever a
    solver is made, before any option can be set (a library must not print): the
    descriptor points at the null device for the construction only.
    """
    import os
    import sys

    try:
        sys.stdout.flush()
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
        saved = os.dup(fd)
    except (OSError, ValueError, AttributeError):  # no real stdout (some notebook hosts)
        h = highspy.Highs()
    else:
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), fd)
                h = highspy.Highs()
        finally:
            os.dup2(saved, fd)
            os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def _milp(
    prob: _Problem,
    gain_pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    k: int | None,
    budget: float | None,
    forced: list[int],
    start: list[int] | None,
    relax: bool,
    time_limit_s: float,
    mip_rel_gap: float,
) -> _Solved:
    """The exact model in HiGHS (or its LP relaxation): chosen sites and the dual bound."""
    import highspy

    cand, org, g = gain_pairs
    n = len(prob.ids)
    inf = highspy.kHighsInf
    useful = np.zeros(n, dtype=bool)
    useful[cand] = True
    x_ub = np.where(useful, 1.0, 0.0)
    x_lb = np.zeros(n)
    x_lb[forced] = 1.0
    x_ub[forced] = 1.0
    rows_lo: list[float] = []
    rows_hi: list[float] = []
    r_start: list[int] = []
    r_idx: list[np.ndarray] = []
    r_val: list[np.ndarray] = []
    nnz = 0

    def add_row(idx: np.ndarray, val: np.ndarray, lo: float, hi: float) -> None:
        nonlocal nnz
        r_start.append(nnz)
        r_idx.append(idx.astype(np.int32))
        r_val.append(val.astype(float))
        rows_lo.append(lo)
        rows_hi.append(hi)
        nnz += len(idx)

    if prob.objective == "coverage":
        # y per origin reachable by a candidate: maximise sum w_i y_i, y_i <= sum_j x_j
        dem, inv = np.unique(org, return_inverse=True)
        obj = np.concatenate([np.zeros(n), prob.w[dem]])
        col_lo = np.concatenate([x_lb, np.zeros(len(dem))])
        col_hi = np.concatenate([x_ub, np.ones(len(dem))])
        order = np.argsort(inv, kind="stable")
        inv_s, cand_s = inv[order], cand[order]
        cuts = _runs(inv_s)
        for a, b in itertools.pairwise(cuts):
            i = int(inv_s[a])
            idx = np.concatenate([[n + i], cand_s[a:b]])
            add_row(idx, np.concatenate([[1.0], -np.ones(b - a)]), -inf, 0.0)
    else:
        # z per useful pair: maximise sum w_i gain_ij z_ij, z_ij <= x_j, sum_j z_ij <= 1
        m = len(cand)
        obj = np.concatenate([np.zeros(n), prob.w[org] * g])
        col_lo = np.concatenate([x_lb, np.zeros(m)])
        col_hi = np.concatenate([x_ub, np.ones(m)])
        for p in range(m):
            add_row(np.array([n + p, cand[p]]), np.array([1.0, -1.0]), -inf, 0.0)
        order = np.argsort(org, kind="stable")
        org_s = org[order]
        cuts = _runs(org_s)
        for a, b in itertools.pairwise(cuts):
            if b - a > 1:
                add_row(n + order[a:b], np.ones(b - a), -inf, 1.0)
    if k is not None:
        add_row(np.arange(n), np.ones(n), -inf, float(k))
    if budget is not None:
        add_row(np.arange(n), prob.cost, -inf, float(budget))

    h = _quiet_highs(highspy)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    ncol = len(obj)
    h.addCols(
        ncol,
        obj.astype(float),
        col_lo.astype(float),
        col_hi.astype(float),
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=float),
    )
    if rows_lo:
        h.addRows(
            len(rows_lo),
            np.array(rows_lo, dtype=float),
            np.array(rows_hi, dtype=float),
            nnz,
            np.array(r_start, dtype=np.int32),
            np.concatenate(r_idx).astype(np.int32),
            np.concatenate(r_val).astype(float),
        )
    if not relax:
        h.changeColsIntegrality(
            n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n)
        )
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    if start is not None and not relax:
        sol = highspy.HighsSolution()
        x0 = np.zeros(n)
        x0[start] = 1.0
        rest = np.zeros(ncol - n)  # y / z implied by x: the start's full value
        is_open = x0[cand] > 0.5
        if prob.objective == "coverage":
            rest[inv[is_open]] = 1.0
        elif is_open.any():
            p_open = np.flatnonzero(is_open)
            best = pd.Series(g[p_open]).groupby(org[p_open]).idxmax().to_numpy()
            rest[p_open[best]] = 1.0
        sol.col_value = np.concatenate([x0, rest]).tolist()
        h.setSolution(sol)
    t0 = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t0
    status = h.getModelStatus()
    status_text = h.modelStatusToString(status)
    info = h.getInfo()
    if relax:
        if status != highspy.HighsModelStatus.kOptimal:
            return _Solved([], math.inf, status_text, seconds)
        return _Solved([], float(info.objective_function_value), status_text, seconds)
    x = np.asarray(h.getSolution().col_value[:n], dtype=float)
    if info.primal_solution_status == 0:  # no feasible point: return the start (or nothing)
        chosen = list(start) if start is not None else list(forced)
    else:
        chosen = [int(j) for j in np.flatnonzero(x > 0.5)]
    bound = float(info.mip_dual_bound)
    if not math.isfinite(bound):
        bound = math.inf
    return _Solved(chosen, bound, status_text, seconds)


# --- result ------------------------------------------------------------------------


def _ordered(prob: _Problem, chosen: list[int], forced: list[int]) -> list[int]:
    """Forced sites first (as given), then the rest greedily by marginal gain; zero-gain
    non-forced sites dropped (they change nothing, see the module docstring)."""
    rest = [j for j in chosen if j not in forced]
    out = list(forced)
    while rest:
        cur = prob.gain_of(out)
        gains = [prob.gain_of([*out, j]) - cur for j in rest]
        best = int(np.argmax(gains))  # ties: the first in candidate order
        if gains[best] <= 1e-9 * max(1.0, abs(cur)):
            break
        out.append(rest.pop(best))
    return out


def _result(
    prob: _Problem,
    order: list[int],
    attrs: dict[str, Any],
) -> gpd.GeoDataFrame:
    cand = prob.candidates
    out = cand.iloc[order].copy()
    inc = prob.included
    w = prob.w
    T = prob.threshold_min
    t = prob.base.copy()
    within0 = float(w[t <= T].sum())
    val0 = prob.value(prob.base)
    median = prob.objective == "median"
    cols: dict[str, list[float]] = {c: [] for c in SITING_COLUMNS}
    within, spent = within0, 0.0
    for r, j in enumerate(order, start=1):
        before_t = t.copy()
        s, e = prob.indptr[j], prob.indptr[j + 1]
        np.minimum.at(t, prob.origin[s:e], prob.minutes[s:e])
        new_within = float(w[(t <= T) & ~(before_t <= T)].sum())
        within += new_within
        spent += float(prob.cost[j])
        cols["rank"].append(r)
        cols["cost"].append(float(prob.cost[j]))
        cols["cumulative_cost"].append(spent)
        cols["people_newly_within"].append(new_within)
        cols["people_within_cumulative"].append(within)
        if median:
            saved = float((w[inc] * (prob.value(before_t)[inc] - prob.value(t)[inc])).sum())
            mean_after = float((w[inc] * prob.value(t)[inc]).sum() / w[inc].sum())
        else:
            saved = mean_after = math.nan
        cols["person_min_saved"].append(saved)
        cols["mean_travel_time_min_after"].append(mean_after)
    for c in SITING_COLUMNS:
        out[c] = np.asarray(cols[c], dtype=int if c == "rank" else float)
    value = prob.gain_of(order)
    bound = max(float(attrs.pop("bound")), value)
    pop_inc = float(w[inc].sum())
    summary: dict[str, Any] = {
        "objective": prob.objective,
        "objective_unit": "people newly within threshold" if not median else "person-minutes saved",
        "objective_value": value,
        "bound": bound,
        "gap": _gap(value, bound),
        "threshold_min": T,
        "people_within_before": within0,
        "people_within_after": within,
        "people_unreachable_before": float(w[~np.isfinite(prob.base)].sum()),
        "people_excluded": float(w[(w > 0) & ~inc].sum()),
        "mean_travel_time_min_before": float((w[inc] * val0[inc]).sum() / pop_inc)
        if median and pop_inc > 0
        else math.nan,
        "mean_travel_time_min_after": float((w[inc] * prob.value(t)[inc]).sum() / pop_inc)
        if median and pop_inc > 0
        else math.nan,
        "median_cap_min": prob.cap_min if median else math.nan,
        "search_bound_min": prob.search_bound_min,
        "total_cost": spent,
        "cost_source": prob.cost_source,
        "n_sites": len(order),
        "site_ids": [_plain(prob.ids[j]) for j in order],
    }
    summary.update(attrs)
    out.attrs = summary
    return out


def _gap(value: float, bound: float) -> float:
    """(bound - value) / bound: 0 when both are 0, 1 when no finite bound is known."""
    if not math.isfinite(bound):
        return 1.0
    return (bound - value) / bound if bound > 0 else 0.0


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _solve(
    prob: _Problem,
    *,
    k: int | None,
    budget: float | None,
    method: str,
    forced: list[int],
    time_limit_s: float,
    mip_rel_gap: float,
) -> gpd.GeoDataFrame:
    pairs = prob.pairs()
    attrs: dict[str, Any] = {"method": method, "k": k, "budget": budget}
    t0 = time.perf_counter()
    greedy = _greedy(prob, pairs, k=k, budget=budget, forced=forced)
    greedy_s = time.perf_counter() - t0
    greedy_value = prob.gain_of(greedy)
    if method == "greedy":
        lp = _milp(
            prob, pairs, k=k, budget=budget, forced=forced, start=None, relax=True,
            time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap,
        )  # fmt: skip
        attrs.update(
            bound=lp.bound,
            bound_source="LP relaxation",
            solver_status="greedy",
            solve_time_s=greedy_s,
            bound_time_s=lp.seconds,
            greedy_guarantee=_guarantee(k, budget),
        )
        return _result(prob, greedy, attrs)  # greedy's own selection order
    ex = _milp(
        prob, pairs, k=k, budget=budget, forced=forced, start=greedy, relax=False,
        time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap,
    )  # fmt: skip
    chosen = ex.chosen
    if prob.gain_of(chosen) < greedy_value:  # a time-out before HiGHS improved on its start
        chosen = greedy
    if ex.status != "Optimal":
        warnings.warn(
            f"the exact solver stopped before proving optimality ({ex.status}); the answer is the "
            "best found, see attrs['gap']. Raise time_limit_s= for a proven optimum.",
            GeoAccessWarning,
            stacklevel=3,
        )
    attrs.update(
        bound=ex.bound,
        bound_source="MIP dual bound (HiGHS)",
        solver_status=ex.status,
        solve_time_s=ex.seconds,
    )
    if method == "both":
        exact_value = prob.gain_of(chosen)
        attrs.update(
            greedy_value=greedy_value,
            greedy_ratio=greedy_value / exact_value if exact_value > 0 else 1.0,
            greedy_site_ids=[_plain(prob.ids[j]) for j in _ordered(prob, greedy, forced)],
            greedy_time_s=greedy_s,
            greedy_guarantee=_guarantee(k, budget),
        )
    return _result(prob, _ordered(prob, chosen, forced), attrs)


def _guarantee(k: int | None, budget: float | None) -> float:
    if budget is None:
        return 1 - 1 / math.e
    if k is None:
        return (1 - 1 / math.e) / 2
    return math.nan


# --- public ------------------------------------------------------------------------


def site_facilities(
    network: Network,
    origins: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame | None,
    candidates: gpd.GeoDataFrame,
    *,
    k: int | None = None,
    budget: float | None = None,
    cost_col: str | None = None,
    objective: str = "coverage",
    threshold_min: float = DEFAULT_THRESHOLD_MIN,
    method: str = "exact",
    population_col: str = "population",
    candidate_id_col: str | None = None,
    facility_id_col: str = "facility_id",
    kind_col: str = "kind",
    new_cost_idr: float = NEW_PUSKESMAS_COST_IDR,
    upgrade_cost_idr: float = UPGRADE_COST_IDR,
    max_time_min: float | None = None,
    max_access_m: float | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    mip_rel_gap: float = DEFAULT_MIP_REL_GAP,
) -> gpd.GeoDataFrame:
    """Choose candidate sites for ``k`` sites and/or a budget, existing facilities fixed.

    See the module docstring for the model, the methods and their guarantees.

    Parameters
    ----------
    network : Network
        From :func:`geoaccess.build_network`.
    origins : GeoDataFrame
        Where people are (desa points, populated cells; polygons use their representative
        point), with ``population_col``. One demand unit per row.
    facilities : GeoDataFrame or None
        The facilities already open (always open), with ``facility_id_col``. ``None`` or
        empty: none.
    candidates : GeoDataFrame
        Candidate sites (points), ids in ``candidate_id_col`` or the index (unique).
    k : int, optional
        At most this many sites.
    budget : float, optional
        At most this many rupiah in total (e.g. ``10e9`` for Rp 10 miliar). Give ``k``,
        ``budget`` or both.
    cost_col : str, optional
        Column of ``candidates`` with the cost of each site (rupiah). Without it, costs
        come from ``kind_col`` and the defaults (see the module docstring).
    objective : {"coverage", "median"}
        Maximal covering (people within ``threshold_min``) or p-median (mean time).
    threshold_min : float
        Coverage threshold (minutes); also the threshold of ``people_newly_within``.
    method : {"exact", "greedy", "both"}
        HiGHS MILP, lazy greedy, or both (exact answer; greedy's ratio in ``attrs``).
    population_col : str
        People per origin.
    candidate_id_col : str, optional
        Unique candidate id column; default the index.
    facility_id_col : str
        Id column of ``facilities``.
    kind_col : str
        Column of ``candidates`` saying ``"new"`` or ``"upgrade"``, used for costs when
        ``cost_col`` is not given.
    new_cost_idr, upgrade_cost_idr : float
        Default costs (:data:`NEW_PUSKESMAS_COST_IDR`, :data:`UPGRADE_COST_IDR`).
    max_time_min : float, optional
        Median only: the cap ``B`` (minutes); default the largest baseline time of a
        populated origin.
    max_access_m : float, optional
        See :func:`geoaccess.nearest`; the same for baseline and candidates.
    time_limit_s : float
        Time limit of the exact solver (seconds).
    mip_rel_gap : float
        Relative gap at which the exact solver stops.

    Returns
    -------
    GeoDataFrame
        The chosen rows of ``candidates`` in selection order with ``rank``, ``cost``,
        ``cumulative_cost`` (rupiah), ``people_newly_within`` (marginal),
        ``people_within_cumulative`` (everyone within ``threshold_min``, existing
        facilities included), and for the median ``person_min_saved`` (marginal) and
        ``mean_travel_time_min_after`` (cumulative; NaN for coverage, whose bounded
        searches do not give times beyond the threshold). ``attrs``: ``objective``,
        ``objective_value`` (people newly within / person-minutes saved, all sites),
        ``bound`` (upper bound on that value), ``bound_source``, ``gap`` ((bound -
        value) / bound), ``solver_status``, ``solve_time_s``, ``people_within_before``
        / ``_after``, ``mean_travel_time_min_before`` / ``_after`` (median),
        ``people_unreachable_before``, ``people_excluded`` (median: reached by no
        facility or candidate within the cap, not in the mean), ``median_cap_min``,
        ``search_bound_min``, ``total_cost``, ``cost_source``, ``site_ids``, ``k``,
        ``budget``, ``method``; with ``method="both"`` also ``greedy_value``,
        ``greedy_ratio``, ``greedy_site_ids``, ``greedy_time_s``; greedy methods
        ``greedy_guarantee``.

    Raises
    ------
    InputValidationError
        Neither ``k`` nor ``budget``, a negative budget, an unknown objective or method
        (subclasses: :class:`MissingColumnError` for a missing cost column,
        :class:`NonUniqueIDError` for duplicate candidate ids, :class:`EmptyInputError`
        for no candidates).

    Examples
    --------
    Three villages on a 12 km road, the puskesmas at one end; one new site, 15 minutes:

    >>> import geopandas as gpd, shapely
    >>> from geoaccess import build_network
    >>> road = gpd.GeoDataFrame({"road_class": ["lokal"]},
    ...     geometry=[shapely.LineString([(0, 0), (12_000, 0)])], crs="EPSG:32748")
    >>> net = build_network(road, "car", offroad=False)  # lokal: 20 km/h, 3 min/km
    >>> pts = lambda xs: [shapely.Point(x, 0) for x in xs]
    >>> desa = gpd.GeoDataFrame({"population": [100, 200, 300]},
    ...     geometry=pts([2_000, 8_000, 12_000]), crs="EPSG:32748")
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["P"]}, geometry=pts([0]), crs="EPSG:32748")
    >>> sites = gpd.GeoDataFrame(geometry=pts([6_000, 10_000]), crs="EPSG:32748",
    ...     index=["mid", "east"])
    >>> out = site_facilities(net, desa, pkm, sites, k=1, threshold_min=15)
    >>> out.index.tolist(), out["people_newly_within"].tolist()  # 'east' reaches 8 and 12 km
    (['east'], [500.0])
    """
    _check_args(k, budget, objective, method, threshold_min, time_limit_s, max_time_min)
    prob = _prepare(
        network, origins, facilities, candidates,
        objective=objective, threshold_min=threshold_min, budget=budget, cost_col=cost_col,
        kind_col=kind_col, new_cost_idr=new_cost_idr, upgrade_cost_idr=upgrade_cost_idr,
        population_col=population_col, candidate_id_col=candidate_id_col,
        facility_id_col=facility_id_col, max_time_min=max_time_min, max_access_m=max_access_m,
    )  # fmt: skip
    return _solve(
        prob,
        k=None if k is None else int(k),
        budget=None if budget is None else float(budget),
        method=method,
        forced=[],
        time_limit_s=float(time_limit_s),
        mip_rel_gap=float(mip_rel_gap),
    )


def site_for_targets(
    network: Network,
    origins: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame | None,
    candidates: gpd.GeoDataFrame,
    *,
    group_col: str = "kecamatan",
    groups: Iterable[Any] | None = None,
    eligible_col: str | None = None,
    k: int | None = None,
    budget: float | None = None,
    cost_col: str | None = None,
    objective: str = "coverage",
    threshold_min: float = DEFAULT_THRESHOLD_MIN,
    method: str = "exact",
    population_col: str = "population",
    candidate_id_col: str | None = None,
    facility_id_col: str = "facility_id",
    kind_col: str = "kind",
    new_cost_idr: float = NEW_PUSKESMAS_COST_IDR,
    upgrade_cost_idr: float = UPGRADE_COST_IDR,
    max_time_min: float | None = None,
    max_access_m: float | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    mip_rel_gap: float = DEFAULT_MIP_REL_GAP,
) -> gpd.GeoDataFrame:
    """Program target first (one site per group without a facility), then the objective.

    1. The target groups: ``groups`` if given, else every value of ``candidates[group_col]``
       that no row of ``facilities[group_col]`` has (e.g. kecamatan without an inpatient
       puskesmas, with ``facilities`` the inpatient ones).
    2. Each target group gets its cheapest eligible candidate (``eligible_col`` True, or
       every candidate of the group); ties go to the one with more people newly within
       ``threshold_min`` on its own, then to candidate order. Groups without an eligible
       candidate are reported (``attrs["target_groups_without_candidate"]``, and a
       :class:`GeoAccessWarning`).
    3. What is left of ``k`` and ``budget`` is spent like :func:`site_facilities`, with the
       target sites open. Neither ``k`` nor ``budget``: the target sites only.

    Parameters
    ----------
    group_col : str
        Column naming each candidate's group (and each facility's, unless ``groups`` is given).
    groups : iterable, optional
        The groups that need a site; default derived as in step 1.
    eligible_col : str, optional
        Boolean column of ``candidates``: which may serve a target group.
    Others
        As :func:`site_facilities`.

    Returns
    -------
    GeoDataFrame
        As :func:`site_facilities`, target sites first, with a ``target_group`` column
        (None for sites chosen for the objective). ``attrs`` add ``target_groups``,
        ``target_site_ids``, ``target_cost_idr`` and ``target_groups_without_candidate``;
        ``objective_value``, ``bound`` and ``gap`` are for all sites together.

    Raises
    ------
    InputValidationError
        When the target alone costs more than ``budget`` or needs more than ``k`` sites
        (the message gives what it needs), and as :func:`site_facilities`.

    Examples
    --------
    Two kecamatan on a 12 km road, the puskesmas in the west one; the east kecamatan
    needs a site first, whatever the objective says:

    >>> import geopandas as gpd, shapely
    >>> from geoaccess import build_network
    >>> road = gpd.GeoDataFrame({"road_class": ["lokal"]},
    ...     geometry=[shapely.LineString([(0, 0), (12_000, 0)])], crs="EPSG:32748")
    >>> net = build_network(road, "car", offroad=False)  # lokal: 20 km/h, 3 min/km
    >>> pts = lambda xs: [shapely.Point(x, 0) for x in xs]
    >>> desa = gpd.GeoDataFrame({"population": [100, 200, 300]},
    ...     geometry=pts([2_000, 8_000, 12_000]), crs="EPSG:32748")
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["P"], "kecamatan": ["Barat"]}, geometry=pts([0]),
    ...     crs="EPSG:32748")
    >>> sites = gpd.GeoDataFrame({"kecamatan": ["Barat", "Timur", "Timur"], "cost": [1e9, 3e9, 2e9]},
    ...     geometry=pts([4_000, 10_000, 11_000]), crs="EPSG:32748", index=["west", "east", "far_east"])
    >>> out = site_for_targets(net, desa, pkm, sites, threshold_min=15, cost_col="cost")
    >>> out.index.tolist(), out["target_group"].tolist()
    (['far_east'], ['Timur'])
    """
    _check_args(
        k, budget, objective, method, threshold_min, time_limit_s, max_time_min, need_k_or_budget=False
    )
    prob = _prepare(
        network, origins, facilities, candidates,
        objective=objective, threshold_min=threshold_min, budget=budget, cost_col=cost_col,
        kind_col=kind_col, new_cost_idr=new_cost_idr, upgrade_cost_idr=upgrade_cost_idr,
        population_col=population_col, candidate_id_col=candidate_id_col,
        facility_id_col=facility_id_col, max_time_min=max_time_min, max_access_m=max_access_m,
    )  # fmt: skip
    if group_col not in candidates.columns:
        raise MissingColumnError(
            f"group_col={group_col!r} is not a column of candidates; add each candidate's group "
            "(e.g. its kecamatan) or pass group_col=",
            argument="group_col",
        )
    if eligible_col is not None:
        require_columns(candidates, [eligible_col], "candidates")
        eligible = candidates[eligible_col].astype("boolean").fillna(False).to_numpy(dtype=bool)
    else:
        eligible = np.ones(len(candidates), dtype=bool)
    if groups is None:
        have: set[Any] = set()
        if facilities is not None and len(facilities):
            if group_col not in facilities.columns:
                raise MissingColumnError(
                    f"facilities have no column {group_col!r}, so the groups without a facility are "
                    "unknown; add it or pass groups= (the groups that need a site)",
                    argument="groups",
                )
            have = set(facilities[group_col].dropna())
        target = sorted(set(candidates[group_col].dropna()) - have, key=str)
    else:
        target = list(dict.fromkeys(groups))
    grp = candidates[group_col].to_numpy()
    # people newly within the threshold, each candidate alone (coverage tie-break)
    T = prob.threshold_min
    newly = np.zeros(len(candidates))
    uncovered = ~(prob.base <= T)
    for j in range(len(candidates)):
        s, e = prob.indptr[j], prob.indptr[j + 1]
        o = prob.origin[s:e][prob.minutes[s:e] <= T]
        newly[j] = prob.w[np.unique(o[uncovered[o]])].sum()
    forced: list[int] = []
    forced_group: dict[int, Any] = {}
    missing: list[Any] = []
    for gval in target:
        js = np.flatnonzero((grp == gval) & eligible)
        if len(js) == 0:
            missing.append(gval)
            continue
        best = min(js, key=lambda j: (prob.cost[j], -newly[j], j))
        forced.append(int(best))
        forced_group[int(best)] = gval
    if missing:
        warnings.warn(
            f"{len(missing)} target group(s) have no eligible candidate and stay without a site: "
            f"{missing[:20]}. Add candidates there (e.g. desa points) or check "
            f"{eligible_col or group_col!r}.",
            GeoAccessWarning,
            stacklevel=2,
        )
    target_cost = float(prob.cost[forced].sum())
    if budget is not None and target_cost > float(budget) + 1e-6:
        raise InputValidationError(
            f"the target alone ({len(forced)} sites) costs Rp {target_cost:,.0f}, more than the budget "
            f"Rp {float(budget):,.0f}; raise budget to at least {target_cost:.0f} or pass groups= a subset",
            argument="budget",
        )
    if k is not None and len(forced) > int(k):
        raise InputValidationError(
            f"the target alone needs {len(forced)} sites, more than k={k}; raise k or pass groups= a subset",
            argument="k",
        )
    if k is None and budget is None:
        k_eff: int | None = max(len(forced), 1)
        budget_eff: float | None = target_cost
        forced_only = True
    else:
        k_eff, budget_eff, forced_only = k, budget, False
    if forced_only and not forced:
        out = _result(prob, [], {"bound": 0.0, "method": method, "k": None, "budget": None})
    elif forced_only:
        out = _result(
            prob,
            forced,
            {"bound": prob.gain_of(forced), "bound_source": "target sites only", "method": method,
             "k": None, "budget": None, "solver_status": "target only"},
        )  # fmt: skip
    else:
        out = _solve(
            prob,
            k=None if k_eff is None else int(k_eff),
            budget=None if budget_eff is None else float(budget_eff),
            method=method,
            forced=forced,
            time_limit_s=float(time_limit_s),
            mip_rel_gap=float(mip_rel_gap),
        )
    pos = {_plain(prob.ids[j]): j for j in range(len(prob.ids))}
    out["target_group"] = pd.Series(
        [forced_group.get(pos[_plain(i)]) for i in out.attrs["site_ids"]], index=out.index, dtype="object"
    )
    out.attrs.update(
        target_groups=list(target),
        target_site_ids=[_plain(prob.ids[j]) for j in forced],
        target_cost_idr=target_cost,
        target_groups_without_candidate=missing,
    )
    return out
