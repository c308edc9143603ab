"""Where a puskesmas rawat inap may go: the PMK 43/2019 eligibility rules as an optional filter.

:func:`inpatient_eligibility` flags each candidate site (a new build or a puskesmas to
upgrade) as ``eligible`` for inpatient care (rawat inap) or not, with the reason in
words, and reports in ``attrs["eligibility"]`` how many candidates each rule removes. It
never drops a row: the planner filters (``cand[cand["eligible"]]``) or passes the
column to :func:`geoaccess.site_for_targets` (``eligible_col="eligible"``), and can always
show what the filter did.

The rules and where they come from
----------------------------------
Peraturan Menteri Kesehatan (Permenkes / PMK) No. 43 Tahun 2019 tentang Pusat Kesehatan
Masyarakat, the part on puskesmas by *kemampuan penyelenggaraan* (non rawat inap /
rawat inap), says in substance: a puskesmas that may become a puskesmas rawat inap is a
puskesmas in a rural area (*kawasan perdesaan*), a remote area (*kawasan terpencil*) or a
very remote area (*kawasan sangat terpencil*) **that is far from an advanced referral
facility** (*jauh dari Fasilitas Pelayanan Kesehatan rujukan tingkat lanjut*, i.e. a
hospital). Two rules follow, and both must hold:

1. **Far from a referral hospital** (``min_hospital_time_min``). The regulation gives
   **no number** for "far". The default, :data:`DEFAULT_MIN_HOSPITAL_TIME_MIN` = 60
   minutes, is an ASSUMPTION of this library (the 60-minute band edge the rest of
   geoaccess uses), not a figure from PMK 43/2019: agree it with the Dinas Kesehatan.
   The time is the candidate's travel time to its nearest hospital on the network given
   (use the referral network, e.g. ``result.referral_network``, car by default), from
   ONE multi-source search ``geoaccess.nearest(network, hospitals).at_points(candidates)``.
   A candidate from which no hospital can be reached counts as far (and says so).
2. **Rural, remote or very remote** (``rural``, optional). PMK 43/2019 classifies a
   puskesmas' working area as *perkotaan* (urban) when it meets at least 3 of 4 urban
   criteria (Pasal 26: more than 50 % non-agrarian activity; urban facilities such as a
   school within 2.5 km, a market within 2 km, a hospital within 5 km, or a hotel; more
   than 90 % of households with electricity; road access to those facilities), and
   *perdesaan* (rural) on the matching rural criteria (Pasal 27). geoaccess holds no such
   classification, so the planner supplies it: ``rural`` True (perdesaan, terpencil or
   sangat terpencil), False (perkotaan) or missing (unknown). Without ``rural`` the rule
   is not checked and every reason says so. A *kelurahan* (urban ward, the ``jenis``
   column of the bundled desa) is a rough proxy for "not rural", not the PMK
   classification.

How sure: the sentence of rule 1/2 was read in secondary summaries of PMK 43/2019 (and
its wording matches PMK 75/2014, which it replaced); the urban criteria of Pasal 26 were
read in a copy of the regulation's text. Check the article numbers against the official
text (peraturan.go.id / JDIH Kemenkes) before quoting them. Other conditions in the
regulation (upgrades are gradual, from non rawat inap, except in remote areas; at most
10 beds; strategic, easily reached location; staff and equipment) are not modelled.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .._validate import check_choice, check_positive, require_columns
from ..engine.travel import check_network, nearest
from ..exceptions import EmptyInputError, InputValidationError

__all__ = [
    "DEFAULT_MIN_HOSPITAL_TIME_MIN",
    "ELIGIBILITY_COLUMNS",
    "PMK_43_2019",
    "inpatient_eligibility",
]

log = logging.getLogger(__name__)

#: The regulation the rules come from.
PMK_43_2019 = "Permenkes (PMK) No. 43 Tahun 2019 tentang Pusat Kesehatan Masyarakat"
#: Minimum travel time (minutes) from a candidate to its nearest hospital for the site to
#: count as "far from an advanced referral facility". ASSUMPTION: PMK 43/2019 says "far"
#: (*jauh*) without a number; 60 minutes is the band edge used across geoaccess. Agree
#: the figure with the Dinas Kesehatan.
DEFAULT_MIN_HOSPITAL_TIME_MIN = 60.0
#: Columns added to the candidates.
ELIGIBILITY_COLUMNS = ("hospital_time_min", "nearest_hospital_id", "eligible", "eligibility_reason")

#: Keys of ``attrs["eligibility"]["dropped_by_reason"]``.
REASON_NEAR_HOSPITAL = "near a hospital"
REASON_URBAN = "urban area (perkotaan)"
REASON_RURAL_UNKNOWN = "rural status unknown"

_HOSPITAL_SOURCE = (
    "PMK 43/2019: rawat inap only where far from an advanced referral facility (jauh dari "
    "Fasilitas Pelayanan Kesehatan rujukan tingkat lanjut); the regulation gives no number, "
    "so the threshold is an assumption to agree with the Dinas Kesehatan"
)
_RURAL_SOURCE = (
    "PMK 43/2019: rawat inap only in kawasan perdesaan, terpencil or sangat terpencil "
    "(perkotaan: Pasal 26, at least 3 of 4 urban criteria); the classification is the planner's input"
)


#: Times within this many minutes of the threshold count as on it (sums of edge times
#: carry rounding errors of about 1e-12 minutes).
_EPS_MIN = 1e-6


def _minutes(t: float, threshold: float, near: bool) -> str:
    """``t`` rounded to whole minutes, or to 0.1 / 0.01 when rounding would read wrong."""
    for digits in (0, 1, 2):
        s = f"{t:.{digits}f}"
        if (float(s) < threshold) == near:
            return s
    return f"{t:.0f}"


def _rural_values(candidates: gpd.GeoDataFrame, rural: Any) -> pd.Series:
    """``rural`` as a nullable boolean Series on the candidates' index."""
    if isinstance(rural, str):
        require_columns(candidates, [rural], "candidates")
        values = candidates[rural]
    elif isinstance(rural, pd.Series):
        missing = candidates.index.difference(rural.index)
        if len(missing):
            raise InputValidationError(
                f"the rural Series has no value for {len(missing)} candidates (index "
                f"{missing[:10].tolist()}); give one per candidate (NA = unknown)",
                argument="rural",
            )
        values = rural.reindex(candidates.index)
    else:
        arr = np.asarray(rural, dtype=object)
        if arr.ndim != 1 or len(arr) != len(candidates):
            raise InputValidationError(
                f"expected a column name, a Series or {len(candidates)} values (one per "
                f"candidate), got shape {arr.shape}",
                argument="rural",
            )
        values = pd.Series(arr, index=candidates.index)
    known = values[values.notna()]
    ok = pd.Series(True, index=values.index)
    ok[known.index] = [
        isinstance(v, bool | np.bool_) or (isinstance(v, int | float | np.number) and v in (0, 1))
        for v in known
    ]
    if not ok.all():
        bad = sorted({repr(v) for v in values[~ok]})[:5]
        raise InputValidationError(
            f"rural values must be True (perdesaan / terpencil / sangat terpencil), False "
            f"(perkotaan) or missing (unknown); got {bad}",
            argument="rural",
        )
    return values.astype("boolean")


def inpatient_eligibility(
    candidates: gpd.GeoDataFrame,
    network: Any,
    hospitals: gpd.GeoDataFrame,
    *,
    min_hospital_time_min: float | None = DEFAULT_MIN_HOSPITAL_TIME_MIN,
    rural: str | Sequence[Any] | pd.Series | None = None,
    unknown_rural: str = "keep",
    facility_id_col: str = "facility_id",
    max_access_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Flag candidate sites that PMK 43/2019 allows for a puskesmas rawat inap.

    Parameters
    ----------
    candidates : GeoDataFrame
        Candidate sites (points, or polygons: their representative point), any CRS; new
        builds and puskesmas to upgrade alike. Not modified.
    network : Network
        The network to time the trip to a hospital on: the referral network of the run
        (``result.referral_network``, car by default) matches "far from a referral
        hospital" best.
    hospitals : GeoDataFrame
        The advanced referral facilities (hospitals), with a unique ``facility_id_col``;
        include those across the kabupaten border (e.g.
        ``geoaccess.facilities.select(result.facilities, "hospital")``).
    min_hospital_time_min : float or None
        A candidate is far enough from a hospital when its nearest hospital is at least
        this many minutes away. Default :data:`DEFAULT_MIN_HOSPITAL_TIME_MIN` (60): an
        ASSUMPTION, PMK 43/2019 gives no number. None: the rule is not applied (the time
        is still reported).
    rural : str, sequence or Series, optional
        Whether each candidate lies in a rural, remote or very remote area (True), an
        urban one (False) or unknown (missing): a column of ``candidates``, a Series on
        its index or one value per row. None (default): the rule is not checked.
    unknown_rural : {"keep", "drop"}
        What an unknown rural status does: ``"keep"`` (default; the reason says it was
        not checked) or ``"drop"``.
    facility_id_col : str
        Id column of ``hospitals``.
    max_access_m : float, optional
        Longest straight leg into the graph, as in :func:`geoaccess.nearest`.

    Returns
    -------
    GeoDataFrame
        A new frame on ``candidates``' index with its columns plus
        ``hospital_time_min`` (NaN when no hospital is reachable), ``nearest_hospital_id``,
        ``eligible`` (bool) and ``eligibility_reason`` (e.g. ``"hospital 34 min away <
        60 min threshold"``; every rule checked, joined by ``"; "``).
        ``attrs["eligibility"]`` holds the effect: ``n_candidates``, ``n_eligible``,
        ``n_dropped``, ``dropped_by_reason`` (candidates each rule removes; one candidate
        can fail several rules), ``kept_unknown_rural``, the thresholds with their
        ``sources`` and a one-line ``note``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess import build_network
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]},
    ...     geometry=[shapely.LineString([(0, 0), (30_000, 0)])], crs="EPSG:32748")
    >>> net = build_network(roads, "car", offroad=False)   # 20 km/h: 3 min per km
    >>> rs = gpd.GeoDataFrame({"facility_id": ["RS"]},
    ...     geometry=[shapely.Point(0, 0)], crs="EPSG:32748")
    >>> cand = gpd.GeoDataFrame(geometry=[shapely.Point(10_000, 0), shapely.Point(25_000, 0)],
    ...     crs="EPSG:32748")
    >>> out = inpatient_eligibility(cand, net, rs, min_hospital_time_min=60)
    >>> out[["hospital_time_min", "eligible"]].round(6).values.tolist()
    [[30.0, False], [75.0, True]]
    >>> out["eligibility_reason"].iloc[0]
    'hospital 30 min away < 60 min threshold; rural status not checked'
    >>> out.attrs["eligibility"]["n_dropped"]
    1
    """
    check_network(network)
    if not isinstance(candidates, gpd.GeoDataFrame) or candidates.crs is None:
        raise InputValidationError(
            "expected a GeoDataFrame of candidate sites with a CRS", argument="candidates"
        )
    if len(candidates) == 0:
        raise EmptyInputError("no candidate sites given", argument="candidates")
    if not isinstance(hospitals, gpd.GeoDataFrame) or len(hospitals) == 0:
        raise EmptyInputError(
            "no hospitals given: 'far from a referral hospital' needs the hospitals, "
            "including those across the border",
            argument="hospitals",
        )
    clash = [c for c in ELIGIBILITY_COLUMNS if c in candidates.columns]
    if clash:
        raise InputValidationError(
            f"candidates already have the output column(s) {clash}; drop them first "
            f"(candidates.drop(columns={clash}))",
            argument="candidates",
        )
    threshold = None
    if min_hospital_time_min is not None:
        check_positive(min_hospital_time_min, "min_hospital_time_min")
        threshold = float(min_hospital_time_min)
    check_choice(unknown_rural, ["keep", "drop"], "unknown_rural")
    rural_values = None if rural is None else _rural_values(candidates, rural)

    # ONE multi-source search from all hospitals, read at every candidate.
    found = nearest(network, hospitals, facility_id_col=facility_id_col, max_access_m=max_access_m).at_points(
        candidates[[candidates.geometry.name]]
    )
    t = found["travel_time_min"].to_numpy(dtype=float)
    reachable = np.isfinite(t)

    n = len(candidates)
    near = np.zeros(n, dtype=bool)
    if threshold is not None:
        near = reachable & (np.where(reachable, t, np.inf) < threshold - _EPS_MIN)
    urban = np.zeros(n, dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    if rural_values is not None:
        urban = (rural_values == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
        unknown = rural_values.isna().to_numpy(dtype=bool)
    drop_unknown = unknown & (unknown_rural == "drop")
    eligible = ~near & ~urban & ~drop_unknown

    reasons = []
    for i in range(n):
        parts = []
        if not reachable[i]:
            parts.append("no hospital reachable on this network (counts as far)")
        elif threshold is None:
            parts.append(f"hospital {t[i]:.0f} min away (time rule not applied)")
        else:
            sign = "<" if near[i] else ">="
            minutes = _minutes(t[i], threshold, bool(near[i]))
            parts.append(f"hospital {minutes} min away {sign} {threshold:g} min threshold")
        if rural_values is None:
            parts.append("rural status not checked")
        elif urban[i]:
            parts.append("urban area (perkotaan)")
        elif unknown[i]:
            parts.append(f"rural status unknown ({'dropped' if drop_unknown[i] else 'kept: check it'})")
        else:
            parts.append("rural area")
        reasons.append("; ".join(parts))

    out = candidates.copy()
    out["hospital_time_min"] = t
    out["nearest_hospital_id"] = np.where(reachable, found["facility_id"].to_numpy(dtype=object), None)
    out["eligible"] = eligible
    out["eligibility_reason"] = reasons

    by_reason = {}
    if threshold is not None:
        by_reason[f"{REASON_NEAR_HOSPITAL} (< {threshold:g} min)"] = int(near.sum())
    if rural_values is not None:
        by_reason[REASON_URBAN] = int(urban.sum())
        if unknown_rural == "drop":
            by_reason[REASON_RURAL_UNKNOWN] = int(drop_unknown.sum())
    n_eligible = int(eligible.sum())
    dropped = ", ".join(f"{v} {k}" for k, v in by_reason.items()) or "no rule applied"
    note = (
        f"PMK 43/2019 rawat inap eligibility: {n_eligible} of {n} candidates eligible, "
        f"{n - n_eligible} dropped ({dropped})"
    )
    if rural_values is None:
        note += "; rural status not checked"
    elif unknown.any() and unknown_rural == "keep":
        note += f"; {int(unknown.sum())} with unknown rural status kept"
    if (~reachable).any():
        note += f"; {int((~reachable).sum())} reach no hospital (count as far)"
    out.attrs["eligibility"] = {
        "rule": PMK_43_2019,
        "n_candidates": n,
        "n_eligible": n_eligible,
        "n_dropped": n - n_eligible,
        "dropped_by_reason": by_reason,
        "kept_unknown_rural": int((unknown & ~drop_unknown).sum()),
        "no_hospital_reachable": int((~reachable).sum()),
        "min_hospital_time_min": threshold,
        "rural_checked": rural_values is not None,
        "unknown_rural": unknown_rural,
        "network_mode": getattr(network, "mode", None),
        "sources": {
            "min_hospital_time_min": _HOSPITAL_SOURCE,
            "rural": _RURAL_SOURCE,
        },
        "note": note,
    }
    log.info(note)
    return out
