"""Revitalisation priority tables: a transparent, adjustable score for kecamatan and facilities.

The score
---------
For each indicator column ``k`` with weight ``w_k``:

1. **Min-max normalisation** over the rows of the table, oriented so that 1 is the
   highest priority and 0 the lowest:

   - direction ``"higher"`` (more means more priority, e.g. people beyond 60 min):
     ``norm_k = (x - min) / (max - min)``;
   - direction ``"lower"`` (less means more priority, e.g. staff per 1,000):
     ``norm_k = (max - x) / (max - min)``.

   If every row has the same value the indicator cannot separate them:
   ``norm_k = 0`` for all.
2. **Weighted sum** on a 0-100 scale with the weights rescaled to add up to 1:
   ``priority_score = 100 * sum_k w_k norm_k / sum_k w_k``.
3. ``rank`` 1 = highest score (ties share the lower rank number).

The table keeps ``norm_<k>`` and ``points_<k> = 100 * w_k norm_k / sum w`` for every
indicator, so ``priority_score`` is the sum of the ``points_`` columns and can be
checked by hand in a spreadsheet. The weights used are in ``df.attrs["priority_weights"]``.

Because min-max is relative to the rows given, adding or removing a kecamatan can
change the other scores: compare ranks within one table, not across tables.

Missing indicators
------------------
A weighted indicator that is absent (or empty) is dropped and the other weights are
rescaled, with a :class:`~geoaccess.exceptions.GeoAccessWarning` naming it (e.g. no
flood data yet). Give it weight 0, or leave it out of ``weights``, to drop it
without a warning. If an indicator is missing for *some* rows only, those rows are
scored on their other indicators (weights rescaled for that row), listed in
``indicators_missing``, and a warning says how many.

Default weights
---------------
:data:`PRIORITY_WEIGHTS` and :data:`FACILITY_PRIORITY_WEIGHTS` are **defaults chosen
for transparency, not a standard**: no regulation or guideline sets them. They put
the most weight on the people furthest from care (the equity question the issue
asks), then on travel time, then on supply per capita, then on flood exposure.
Agree on your own weights with the Dinas Kesehatan and pass ``weights=``; the table
records what was used.
"""

from __future__ import annotations

import logging
import math
import re
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validate import check_positive, require_columns, require_frame, require_unique
from ..analysis.columns import column_number, format_examples, is_numeric, time_pop_arrays, to_float
from ..exceptions import GeoAccessWarning, InputValidationError
from ..notes import Joined, Note

__all__ = [
    "FACILITY_PRIORITY_WEIGHTS",
    "GAP_INDICATORS",
    "INDICATOR_DIRECTIONS",
    "PRIORITY_WEIGHTS",
    "facility_catchment_summary",
    "facility_priority_table",
    "kecamatan_data_gaps",
    "mark_data_gaps",
    "priority_table",
]

logger = logging.getLogger(__name__)

#: Default kecamatan weights (transparent defaults, not a standard; set your own):
#: people beyond 60 minutes 0.4, population-weighted mean travel time 0.3,
#: supply per capita (``access_per_1000`` from 2SFCA, low = priority) 0.2,
#: flood exposure 0.1.
PRIORITY_WEIGHTS: dict[str, float] = {
    "people_beyond_60_min": 0.4,
    "mean_travel_time_min": 0.3,
    "access_per_1000": 0.2,
    "flood_exposure": 0.1,
}

#: Default facility weights (transparent defaults, not a standard; set your own):
#: people whose nearest facility it is 0.3, of them beyond 60 minutes 0.3,
#: staff per 1,000 people served (low = priority) 0.3, flood exposure 0.1.
FACILITY_PRIORITY_WEIGHTS: dict[str, float] = {
    "population_served": 0.3,
    "people_beyond_60_min": 0.3,
    "staff_per_1000": 0.3,
    "flood_exposure": 0.1,
}

#: Which end of each known indicator gets priority: ``"higher"`` (more = more
#: priority) or ``"lower"`` (less = more priority). Columns named
#: ``people_beyond_<t>_min``, ``share_beyond_<t>_min``, ``*_travel_time_min`` are
#: ``"higher"`` and ``*_per_1000`` ``"lower"`` by pattern. Others: pass ``indicators=``.
INDICATOR_DIRECTIONS: dict[str, str] = {
    "population": "higher",
    "population_served": "higher",
    "people_unreachable": "higher",
    "share_unreachable": "higher",
    "mean_travel_time_min": "higher",
    "median_travel_time_min": "higher",
    "p90_travel_time_min": "higher",
    "referral_time_min": "higher",
    "flood_exposure": "higher",
    "poverty_rate": "higher",
    "poverty_rate_idm": "higher",
    "access_per_1000": "lower",
    "staff_per_1000": "lower",
    "beds_per_1000": "lower",
}

_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^(people|share)_beyond_.+_min$", "higher"),
    (r"^(people|share)_over_.+_min$", "higher"),
    (r"travel_time_min$", "higher"),
    (r"_per_1000$", "lower"),
)


def _direction(col: str, overrides: Mapping[str, str]) -> str | None:
    if col in overrides:
        return overrides[col]
    if col in INDICATOR_DIRECTIONS:
        return INDICATOR_DIRECTIONS[col]
    for pat, d in _PATTERNS:
        if re.search(pat, col):
            return d
    return None


def priority_table(
    kecamatan_summary: pd.DataFrame,
    *,
    weights: Mapping[str, float] = PRIORITY_WEIGHTS,
    indicators: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Rank kecamatan (or any units) by a transparent weighted priority score.

    Parameters
    ----------
    kecamatan_summary : DataFrame or GeoDataFrame
        One row per kecamatan (or facility, or any unit) with the indicator columns,
        e.g. the output of :func:`geoaccess.analysis.targets.kecamatan_targets` or
        :func:`geoaccess.analysis.metrics.summarize_access` plus an ``access_per_1000`` column
        (from :func:`geoaccess.analysis.fca.access_by_group`) and a ``flood_exposure`` column.
    weights : mapping of column -> weight
        Weights ``>= 0``; rescaled to add up to 1 (default :data:`PRIORITY_WEIGHTS`).
    indicators : mapping of column -> {"higher", "lower"}, optional
        Direction per indicator (which end gets priority), for columns not in
        :data:`INDICATOR_DIRECTIONS` or to override it.

    Returns
    -------
    DataFrame
        A copy of ``kecamatan_summary`` sorted by ``rank`` with, per used indicator,
        ``norm_<col>`` (0-1, 1 = highest priority) and ``points_<col>`` (its share of
        the score), then ``priority_score`` (0-100), ``rank`` (1 = first; Int64) and
        ``indicators_missing`` (indicators missing for that row, ``""`` if none).

    Warns
    -----
    GeoAccessWarning
        When a weighted indicator is missing (weights rescaled) or missing in some rows.

    Examples
    --------
    >>> k = pd.DataFrame({"name": ["A", "B"], "people_beyond_60_min": [10.0, 30.0],
    ...                   "mean_travel_time_min": [50.0, 20.0]})
    >>> t = priority_table(k, weights={"people_beyond_60_min": 0.6, "mean_travel_time_min": 0.4})
    >>> t[["name", "priority_score", "rank"]].to_dict("list")
    {'name': ['B', 'A'], 'priority_score': [60.0, 40.0], 'rank': [1, 2]}
    """
    summary = kecamatan_summary
    require_frame(summary, "kecamatan_summary", geo=False)
    if not isinstance(weights, Mapping) or not weights:
        raise InputValidationError(
            "give a non-empty mapping {column: weight}, e.g. PRIORITY_WEIGHTS", argument="weights"
        )
    overrides = dict(indicators or {})
    problems = []
    for col, d in overrides.items():
        if d not in ("higher", "lower"):
            problems.append(f"direction of '{col}' must be 'higher' or 'lower', got {d!r}")
    w_in: dict[str, float] = {}
    for col, w in weights.items():
        try:
            wf = float(w)
        except (TypeError, ValueError):
            problems.append(f"weight of '{col}' must be a number, got {w!r}")
            continue
        if not math.isfinite(wf) or wf < 0:
            problems.append(f"weight of '{col}' must be finite and >= 0, got {w!r}")
            continue
        if _direction(col, overrides) is None:
            problems.append(
                f"no known direction for '{col}'; pass indicators={{'{col}': 'higher'}} "
                "(more = more priority) or 'lower'"
            )
        w_in[col] = wf
    if problems:
        raise InputValidationError(problems, argument="weights / indicators")
    active = {c: w for c, w in w_in.items() if w > 0}
    if not active:
        raise InputValidationError("all weights are 0", argument="weights")

    absent = [c for c in active if c not in summary.columns or summary[c].isna().all()]
    present = {c: w for c, w in active.items() if c not in absent}
    if not present:
        raise InputValidationError(
            f"none of the weighted indicators {list(active)} is in the table (it has "
            f"{list(summary.columns)[:20]}); add them or change `weights`",
            argument="kecamatan_summary",
        )
    bad_dtype = [c for c in present if not is_numeric(summary[c])]
    if bad_dtype:
        raise InputValidationError(
            f"indicator column(s) {bad_dtype} must be numeric", argument="kecamatan_summary"
        )
    total = sum(present.values())
    eff = {c: w / total for c, w in present.items()}
    if absent:
        warnings.warn(
            f"indicator(s) {absent} are not in the table (or are empty) and were left out; "
            "the other weights were rescaled to "
            + ", ".join(f"{c}={w:.3g}" for c, w in eff.items())
            + ". Give them weight 0 to silence this.",
            GeoAccessWarning,
            stacklevel=2,
        )

    n = len(summary)
    norms: dict[str, np.ndarray] = {}
    for c in eff:
        x = to_float(summary[c])
        if np.any(np.isinf(x)):
            raise InputValidationError(
                f"indicator '{c}' has infinite values; replace them (e.g. unreachable "
                "travel times) with a number or NaN",
                argument="kecamatan_summary",
            )
        lo, hi = np.nanmin(x), np.nanmax(x)
        if hi > lo:
            higher = _direction(c, overrides) == "higher"
            nx = (x - lo) / (hi - lo) if higher else (hi - x) / (hi - lo)
        else:
            logger.info("priority_table: '%s' is the same in every row; it adds 0 points", c)
            nx = np.where(np.isnan(x), np.nan, 0.0)
        norms[c] = nx
    avail = np.column_stack([~np.isnan(norms[c]) for c in eff])
    wvec = np.array(list(eff.values()))
    row_w = avail.astype(float) @ wvec
    partial = [c for i, c in enumerate(eff) if not avail[:, i].all()]
    if partial:
        counts = {c: int((~avail[:, i]).sum()) for i, c in enumerate(eff) if c in partial}
        warnings.warn(
            Note(
                "note.indicators_missing",
                counts=Joined(", ", [Note("note.indicator_rows", name=c, n=k) for c, k in counts.items()]),
            ),
            GeoAccessWarning,
            stacklevel=2,
        )

    out = summary.copy()
    score = np.zeros(n)
    for i, c in enumerate(eff):
        nx = norms[c]
        pts = np.full(n, np.nan)
        np.divide(100.0 * eff[c] * nx, row_w, out=pts, where=(row_w > 0) & avail[:, i])
        out[f"norm_{c}"] = nx
        out[f"points_{c}"] = pts
        score += np.where(np.isnan(pts), 0.0, pts)
    score = np.where(row_w > 0, score, np.nan)
    out["priority_score"] = score
    # exact ties rank equal (scores are rounded first: sums of floats differ in the last digit)
    out["rank"] = (
        pd.Series(score, index=out.index).round(9).rank(ascending=False, method="min").astype("Int64")
    )
    out["indicators_missing"] = [", ".join(c for i, c in enumerate(eff) if not avail[r, i]) for r in range(n)]
    out = out.sort_values("rank", na_position="last", kind="stable")
    out.attrs["priority_weights"] = dict(eff)
    out.attrs["priority_directions"] = {c: _direction(c, overrides) for c in eff}
    return out


def facility_catchment_summary(
    origins: pd.DataFrame,
    facilities: pd.DataFrame,
    *,
    facility_col: str = "facility_id",
    time_col: str = "travel_time_min",
    pop_col: str = "population",
    supply_col: str | None = "staff",
    threshold_min: float = 60,
) -> pd.DataFrame:
    """Per facility: the people whose nearest facility it is, how far they are, supply per 1,000.

    Parameters
    ----------
    origins : DataFrame
        One row per origin with its nearest facility (``facility_col``), the travel
        time to it (``time_col``, minutes) and its population (``pop_col``).
    facilities : DataFrame
        One row per facility, ``facility_col`` unique; optional ``supply_col``.
    facility_col, time_col, pop_col : str
        Column names.
    supply_col : str or None
        Supply column in ``facilities`` (staff, beds) for ``<supply_col>_per_1000``.
    threshold_min : float
        Threshold for ``people_beyond_<t>_min`` (default 60).

    Returns
    -------
    DataFrame
        A copy of ``facilities`` with ``population_served`` (persons),
        ``mean_travel_time_min`` (population-weighted, NaN if nobody),
        ``people_beyond_<t>_min``, ``share_beyond_<t>_min`` and, when ``supply_col`` is
        present, ``<supply_col>_per_1000`` (supply per 1,000 people served; NaN when
        nobody is served).

    Warns
    -----
    GeoAccessWarning
        For origins with no nearest facility (unreachable) or a facility id missing
        from ``facilities``: they are in no catchment.

    Examples
    --------
    Puskesmas ``P1`` serves 1,500 people, 500 of them 70 minutes away:

    >>> desa = pd.DataFrame({"facility_id": ["P1", "P1", "P2"], "travel_time_min": [10.0, 70.0, 20.0],
    ...                      "population": [1000.0, 500.0, 2000.0]})
    >>> facilities = pd.DataFrame({"facility_id": ["P1", "P2"], "name": ["Pkm Ulu", "Pkm Ilir"],
    ...                            "staff": [12.0, 10.0]})
    >>> summary = facility_catchment_summary(desa, facilities)
    >>> summary[["facility_id", "population_served", "mean_travel_time_min"]]
      facility_id  population_served  mean_travel_time_min
    0          P1             1500.0                  30.0
    1          P2             2000.0                  20.0
    >>> summary[["facility_id", "people_beyond_60_min", "staff_per_1000"]]
      facility_id  people_beyond_60_min  staff_per_1000
    0          P1                 500.0             8.0
    1          P2                   0.0             5.0
    """
    check_positive(threshold_min, "threshold_min")
    t, p = time_pop_arrays(origins, time_col, pop_col, "origins")
    require_columns(origins, [facility_col], "origins")
    require_frame(facilities, "facilities", geo=False)
    require_columns(facilities, [facility_col], "facilities")
    require_unique(facilities, facility_col, "facilities")
    fid = origins[facility_col]
    no_fac = fid.isna().to_numpy()
    unknown = ~no_fac & ~fid.isin(facilities[facility_col]).to_numpy()
    if no_fac.any():
        warnings.warn(
            f"{int(no_fac.sum())} origin(s) ({float(p[no_fac].sum()):,.0f} people) have no "
            "nearest facility (unreachable) and are in no facility's catchment; "
            "summarize_access() counts them as unreachable.",
            GeoAccessWarning,
            stacklevel=2,
        )
    if unknown.any():
        warnings.warn(
            f"{int(unknown.sum())} origin(s) name a facility that is not in facilities "
            f"(e.g. {format_examples(pd.unique(fid[unknown]))}); they are left out.",
            GeoAccessWarning,
            stacklevel=2,
        )
    use = ~no_fac & ~unknown
    tu, pu = t[use], p[use]
    finite = np.isfinite(tu)
    thr = float(threshold_min)
    beyond_col = f"people_beyond_{column_number(thr)}_min"
    share_col = f"share_beyond_{column_number(thr)}_min"
    work = pd.DataFrame(
        {
            "fid": fid[use].to_numpy(),
            "pop": pu,
            "pop_reach": np.where(finite, pu, 0.0),
            "pop_time": pu * np.where(finite, tu, 0.0),
            "beyond": np.where(tu > thr, pu, 0.0),  # inf > thr: unreachable counted
        }
    )
    g = work.groupby("fid").sum()
    keys = facilities[facility_col]
    out = facilities.copy()
    served = keys.map(g["pop"]).fillna(0.0).astype("float64").to_numpy()
    reach = keys.map(g["pop_reach"]).fillna(0.0).astype("float64").to_numpy()
    ptime = keys.map(g["pop_time"]).fillna(0.0).astype("float64").to_numpy()
    beyond = keys.map(g["beyond"]).fillna(0.0).astype("float64").to_numpy()
    out["population_served"] = served
    mean = np.full(len(out), np.nan)
    np.divide(ptime, reach, out=mean, where=reach > 0)
    out["mean_travel_time_min"] = mean
    out[beyond_col] = beyond
    share = np.full(len(out), np.nan)
    np.divide(beyond, served, out=share, where=served > 0)
    out[share_col] = share
    if supply_col is not None:
        if supply_col in facilities.columns:
            if not is_numeric(facilities[supply_col]):
                raise InputValidationError(
                    f"supply column '{supply_col}' must be numeric", argument="facilities"
                )
            s = to_float(facilities[supply_col])
            per = np.full(len(out), np.nan)
            np.divide(1000.0 * s, served, out=per, where=(served > 0) & ~np.isnan(s))
            out[f"{supply_col}_per_1000"] = per
        else:
            logger.info(
                "facility_catchment_summary: no '%s' column in facilities; no supply ratio",
                supply_col,
            )
    return out


def facility_priority_table(
    origins: pd.DataFrame,
    facilities: pd.DataFrame,
    *,
    facility_col: str = "facility_id",
    time_col: str = "travel_time_min",
    pop_col: str = "population",
    supply_col: str | None = "staff",
    threshold_min: float = 60,
    weights: Mapping[str, float] = FACILITY_PRIORITY_WEIGHTS,
    indicators: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Rank facilities for revitalisation from their catchments.

    Builds :func:`facility_catchment_summary` and scores it with
    :func:`priority_table`. Extra indicator columns (e.g. ``flood_exposure``) are
    taken from ``facilities`` when present.

    Parameters
    ----------
    origins, facilities, facility_col, time_col, pop_col, supply_col, threshold_min
        See :func:`facility_catchment_summary`.
    weights : mapping of column -> weight
        Default :data:`FACILITY_PRIORITY_WEIGHTS` (for ``threshold_min=60`` and
        ``supply_col="staff"``; name ``people_beyond_<t>_min`` and
        ``<supply_col>_per_1000`` when you change those).
    indicators : mapping of column -> {"higher", "lower"}, optional
        Directions for columns not known to geoaccess.

    Returns
    -------
    DataFrame
        The facility summary ranked as in :func:`priority_table`.

    Examples
    --------
    >>> desa = pd.DataFrame({"facility_id": ["P1", "P1", "P2"], "travel_time_min": [10.0, 70.0, 20.0],
    ...                      "population": [1000.0, 500.0, 2000.0]})
    >>> facilities = pd.DataFrame({"facility_id": ["P1", "P2"], "name": ["Pkm Ulu", "Pkm Ilir"],
    ...                            "staff": [12.0, 10.0]})
    >>> weights = {"population_served": 1, "people_beyond_60_min": 1, "staff_per_1000": 1}
    >>> ranked = facility_priority_table(desa, facilities, weights=weights)
    >>> ranked[["facility_id", "priority_score", "rank"]]
      facility_id  priority_score  rank
    1          P2       66.666667     1
    0          P1       33.333333     2

    With equal weights for people served, people beyond 60 minutes and staff per
    1,000 (the defaults without flood exposure), ``P2`` wins two of the three: more
    people and fewer staff per 1,000.
    """
    summary = facility_catchment_summary(
        origins,
        facilities,
        facility_col=facility_col,
        time_col=time_col,
        pop_col=pop_col,
        supply_col=supply_col,
        threshold_min=threshold_min,
    )
    return priority_table(summary, weights=weights, indicators=indicators)


#: Indicators of the kecamatan score that a data gap of each kind makes unreliable.
GAP_INDICATORS: dict[str, tuple[str, ...]] = {
    "no_puskesmas": ("people_beyond_60_min", "mean_travel_time_min", "access_per_1000"),
    "placed_at_centroid": ("people_beyond_60_min", "mean_travel_time_min", "access_per_1000"),
    "no_staff": ("access_per_1000", "staff_per_1000"),
    "inpatient_unknown": (),
}


def kecamatan_data_gaps(
    targets: pd.DataFrame,
    facilities: pd.DataFrame,
    *,
    code_col: str = "code",
    facility_kecamatan_col: str = "assigned_kecamatan_code",
) -> pd.DataFrame:
    """The data gaps behind each kecamatan's figures, one row per gap.

    Kinds (and the indicators they make unreliable, :data:`GAP_INDICATORS`):

    - ``no_puskesmas``: the kecamatan has no puskesmas in the data (``n_puskesmas`` 0).
      Often a puskesmas missing from every source, not a kecamatan without one: its
      travel times and supply are then those of the neighbours' puskesmas.
    - ``placed_at_centroid``: a puskesmas of the kecamatan has no coordinate and was
      placed at a centroid (``location_quality`` not ``"source"``).
    - ``no_staff``: a puskesmas of the kecamatan has no staff count.
    - ``inpatient_unknown``: a puskesmas of the kecamatan has unknown inpatient status
      (it matters for the inpatient target, not for the default score).

    Parameters
    ----------
    targets : DataFrame
        One row per kecamatan with ``code_col`` and ``n_puskesmas``
        (:func:`geoaccess.analysis.targets.kecamatan_targets`).
    facilities : DataFrame
        The kabupaten's own facilities with ``facility_id``, ``type`` and the kecamatan
        code each is in (``facility_kecamatan_col``, as
        :func:`geoaccess.analysis.targets.assign_facilities_to_kecamatan` returns); optional
        ``location_quality``, ``staff``, ``inpatient``.

    Returns
    -------
    DataFrame
        ``code``, ``gap`` (kind), ``reason`` (readable) and ``indicators`` (tuple of the
        score indicators it affects), sorted by code.

    Examples
    --------
    >>> targets = pd.DataFrame({"code": ["K1", "K2"], "n_puskesmas": [1, 0]})
    >>> facilities = pd.DataFrame({"facility_id": ["P1"], "type": ["puskesmas"],
    ...                            "assigned_kecamatan_code": ["K1"], "staff": [float("nan")]})
    >>> kecamatan_data_gaps(targets, facilities)[["code", "gap", "reason"]]
      code           gap                                             reason
    0   K1      no_staff  puskesmas P1: no staff count (the 2SFCA uses t...
    1   K2  no_puskesmas         no puskesmas of this kecamatan in the data
    """
    require_frame(targets, "targets", geo=False)
    require_columns(targets, [code_col, "n_puskesmas"], "targets")
    require_frame(facilities, "facilities", geo=False)
    require_columns(facilities, ["facility_id", "type", facility_kecamatan_col], "facilities")
    rows: list[tuple[Any, str, str]] = []
    for code in targets.loc[targets["n_puskesmas"] == 0, code_col]:
        rows.append((code, "no_puskesmas", Note("note.gap.no_puskesmas")))
    pkm = facilities[(facilities["type"] == "puskesmas") & facilities[facility_kecamatan_col].notna()]
    checks = []
    if "location_quality" in pkm:
        checks.append(
            (
                "placed_at_centroid",
                pkm["location_quality"] != "source",
                Note("note.gap.placed_at_centroid"),
            )
        )
    if "staff" in pkm:
        checks.append(("no_staff", pkm["staff"].isna(), Note("note.gap.no_staff")))
    if "inpatient" in pkm:
        checks.append(("inpatient_unknown", pkm["inpatient"].isna(), Note("note.gap.inpatient_unknown")))
    for gap, mask, text in checks:
        hit = pkm[mask.fillna(False).astype(bool)]
        for code, ids in hit.groupby(facility_kecamatan_col)["facility_id"]:
            rows.append((code, gap, Note("note.gap.puskesmas", ids=", ".join(map(str, ids)), gap=text)))
    out = pd.DataFrame(rows, columns=["code", "gap", "reason"])
    out["indicators"] = out["gap"].map(GAP_INDICATORS)
    return out.sort_values(["code", "gap"], kind="stable").reset_index(drop=True)


def mark_data_gaps(table: pd.DataFrame, gaps: pd.DataFrame, *, code_col: str = "code") -> pd.DataFrame:
    """Say, for each row of a priority table, which data gaps its score rests on.

    A data gap is never a finding: a kecamatan that ranks high because its puskesmas is
    missing from the data must say so next to its score.

    Parameters
    ----------
    table : DataFrame
        A :func:`priority_table` result (its ``points_<indicator>`` columns say which
        indicators carry points).
    gaps : DataFrame
        ``code``, ``reason`` and ``indicators`` (tuple of the indicators the gap
        affects), e.g. :func:`kecamatan_data_gaps`.
    code_col : str
        Key column of ``table`` matching ``gaps["code"]``.

    Returns
    -------
    DataFrame
        A copy of ``table`` with ``data_gaps`` (the reasons, ``"; "``-separated, ``""``
        if none) and ``score_rests_on_gaps`` (True when a gap affects an indicator that
        carries points in this table, or an indicator is missing for the row,
        ``indicators_missing``).

    Examples
    --------
    >>> t = pd.DataFrame({"code": ["A", "B"], "points_mean_travel_time_min": [60.0, 0.0],
    ...                   "indicators_missing": ["", ""]})
    >>> g = pd.DataFrame({"code": ["A", "B"], "reason": ["no puskesmas in the data", "x unknown"],
    ...                   "indicators": [("mean_travel_time_min",), ()]})
    >>> mark_data_gaps(t, g)[["data_gaps", "score_rests_on_gaps"]].values.tolist()
    [['no puskesmas in the data', True], ['x unknown', False]]
    """
    require_frame(table, "table", geo=False)
    require_columns(table, [code_col], "table")
    if not isinstance(gaps, pd.DataFrame):  # no rows is fine: no gaps
        raise InputValidationError(f"expected a DataFrame, got {type(gaps).__name__}", argument="gaps")
    require_columns(gaps, ["code", "reason", "indicators"], "gaps")
    scored = {c.removeprefix("points_") for c in table.columns if c.startswith("points_")}
    reasons: dict[Any, list[str]] = {}
    rests: dict[Any, bool] = {}
    for code, reason, inds in gaps[["code", "reason", "indicators"]].itertuples(index=False):
        reasons.setdefault(code, []).append(reason if isinstance(reason, str) else str(reason))
        rests[code] = rests.get(code, False) or bool(scored & set(inds or ()))
    out = table.copy()
    text = [list(reasons.get(c, [])) for c in out[code_col]]
    if "indicators_missing" in out:
        for t, missing in zip(text, out["indicators_missing"].fillna(""), strict=True):
            if missing:
                t.append(Note("note.gap.no_figure", indicators=missing))
    out["data_gaps"] = [Joined("; ", t) for t in text]  # notes: in the output language (geoaccess.notes)
    missing_any = out["indicators_missing"].fillna("").astype(bool) if "indicators_missing" in out else False
    out["score_rests_on_gaps"] = out[code_col].map(rests).fillna(False).astype(bool) | missing_any
    return out
