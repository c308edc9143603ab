"""What one new (or upgraded) facility would change, for many candidate sites at once.

A candidate site ``c`` can only help the graph nodes whose time through ``c`` beats
their time today. :func:`score_candidates` therefore searches from each candidate with a
*pruned* Dijkstra on the reversed graph: a node is expanded only while the candidate
reaches it faster than the baseline (one multi-source search from the existing
facilities, :func:`geoaccess.nearest`). The pruning is exact: if the candidate reaches
node ``n`` no faster than the baseline, every node it would reach through ``n`` is also
reached no faster, because the baseline times obey ``T(m) <= w(m, n) + T(n)``. Each
search touches only the candidate's would-be catchment, so scoring hundreds of
candidates costs a small fraction of one full recomputation each (``benchmarks/
bench_candidates.py``). SciPy's Dijkstra cannot prune per node, so the search is a small
compiled (numba) binary-heap Dijkstra over the network's CSR arrays.

Every candidate's row equals what a full recomputation with that one candidate added to
the facilities gives (``tests/test_candidates.py`` checks this on random networks).
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .._validate import check_positive
from ..engine.arrays import concat
from ..engine.travel import (
    attach_points,
    check_network,
    check_origins,
    direct_trips,
    nearest,
    origin_population,
    points_xy,
)
from ..exceptions import EmptyInputError, GeoAccessWarning, InputValidationError
from ..inputs.facilities import select

__all__ = ["plan_candidates", "score_candidates"]

log = logging.getLogger(__name__)

#: Default coverage threshold (minutes): the 60-minute Riskesdas band edge the program
#: uses for "underserved".
DEFAULT_THRESHOLD_MIN = 60.0


def _kernel() -> Any:
    """Compile (once) the pruned multi-candidate search."""
    import heapq

    import numba

    @numba.njit(cache=True)
    def score_all(  # pragma: no cover - compiled; tested through score_candidates
        indptr,
        indices,
        data,
        base_node,
        c_ptr,
        c_node,
        c_leg,
        d_ptr,
        d_origin,
        d_min,
        o_ptr,
        o_origin,
        o_leg,
        base_o,
        pop,
        thr,
    ):
        n = base_node.shape[0]
        n_cand = c_ptr.shape[0] - 1
        n_org = base_o.shape[0]
        dist = np.full(n, np.inf)
        touched = np.empty(n, np.int64)
        new_o = base_o.copy()
        o_touched = np.empty(n_org, np.int64)
        o_seen = np.zeros(n_org, np.bool_)
        out_within = np.zeros(n_cand)
        out_saved = np.zeros(n_cand)
        out_delta = np.zeros(n_cand)  # change in sum(pop * time) over origins reachable before
        out_newly_reach = np.zeros(n_cand)
        out_newly_reach_time = np.zeros(n_cand)  # sum(pop * time) of origins newly reachable
        out_nodes = np.zeros(n_cand, np.int64)
        for c in range(n_cand):
            nt = 0
            no = 0
            heap = [(0.0, np.int64(0))]
            heap.pop()
            for k in range(c_ptr[c], c_ptr[c + 1]):
                v = c_node[k]
                d0 = c_leg[k]
                if d0 < dist[v] and d0 < base_node[v]:
                    if dist[v] == np.inf:
                        touched[nt] = v
                        nt += 1
                    dist[v] = d0
                    heapq.heappush(heap, (d0, v))
            while len(heap) > 0:
                d, u = heapq.heappop(heap)
                if d > dist[u]:
                    continue
                for k in range(indptr[u], indptr[u + 1]):
                    v = indices[k]
                    nd = d + data[k]
                    if nd < dist[v] and nd < base_node[v]:
                        if dist[v] == np.inf:
                            touched[nt] = v
                            nt += 1
                        dist[v] = nd
                        heapq.heappush(heap, (nd, v))
            # origins: through the improved nodes, and direct trips to the candidate
            for t in range(nt):
                v = touched[t]
                for k in range(o_ptr[v], o_ptr[v + 1]):
                    o = o_origin[k]
                    tt = dist[v] + o_leg[k]
                    if tt < new_o[o]:
                        if not o_seen[o]:
                            o_seen[o] = True
                            o_touched[no] = o
                            no += 1
                        new_o[o] = tt
            for k in range(d_ptr[c], d_ptr[c + 1]):
                o = d_origin[k]
                tt = d_min[k]
                if tt < new_o[o]:
                    if not o_seen[o]:
                        o_seen[o] = True
                        o_touched[no] = o
                        no += 1
                    new_o[o] = tt
            for t in range(no):
                o = o_touched[t]
                b = base_o[o]
                a = new_o[o]
                if b > thr and a <= thr:
                    out_within[c] += pop[o]
                if b == np.inf:
                    out_newly_reach[c] += pop[o]
                    out_newly_reach_time[c] += pop[o] * a
                else:
                    out_saved[c] += pop[o] * (b - a)
                    out_delta[c] += pop[o] * (a - b)
                new_o[o] = b
                o_seen[o] = False
            for t in range(nt):
                dist[touched[t]] = np.inf
            out_nodes[c] = nt
        return out_within, out_saved, out_delta, out_newly_reach, out_newly_reach_time, out_nodes

    return score_all


_KERNEL: Any = None


def _score_all(*args: Any) -> tuple[np.ndarray, ...]:
    global _KERNEL
    if _KERNEL is None:
        _KERNEL = _kernel()
    out: tuple[np.ndarray, ...] = _KERNEL(*args)
    return out


def _grouped(keys: np.ndarray, n: int, *values: np.ndarray) -> tuple[np.ndarray, ...]:
    """CSR-style grouping of rows by ``keys`` in ``0..n-1``: (ptr, values sorted by key...)."""
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return (ptr, *(v[order] for v in values))


def score_candidates(
    network: Any,
    origins: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame,
    *,
    population_col: str = "population",
    threshold_min: float = DEFAULT_THRESHOLD_MIN,
    facility_id_col: str = "facility_id",
    max_access_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Score every candidate site by what it alone would add to the existing facilities.

    Parameters
    ----------
    network : Network
        From :func:`geoaccess.build_network`.
    origins : GeoDataFrame
        Where people are (points, or polygons: their representative point), with
        ``population_col``; e.g. populated lattice cells or desa.
    facilities : GeoDataFrame
        The existing facilities (kept open), with a unique ``facility_id_col``.
    candidates : GeoDataFrame
        Candidate sites (points, any CRS): new builds, or existing puskesmas to upgrade
        when ``facilities`` holds only the inpatient ones.
    population_col : str
        People per origin (>= 0, finite).
    threshold_min : float
        "Within reach" threshold for ``people_newly_within`` (minutes).
    facility_id_col : str
        Facility id column of ``facilities``.
    max_access_m : float, optional
        Longest straight leg into the graph, as in :func:`geoaccess.nearest`.

    Returns
    -------
    GeoDataFrame
        A new frame on ``candidates``' index with its columns plus
        ``people_newly_within`` (people whose time to the nearest facility drops to at
        most ``threshold_min`` because of that one candidate), ``person_min_saved``
        (sum over origins reachable today of people x minutes saved),
        ``people_newly_reachable`` (people who cannot reach any facility today and
        could reach this one), ``mean_travel_time_min_after`` (population-weighted over
        the people who can reach a facility with the candidate added),
        ``nodes_improved`` (graph nodes the candidate would serve faster) and
        ``attached`` (False when the candidate cannot join the graph: all scores 0).
        ``attrs["baseline"]`` holds the baseline population-weighted mean, people within
        the threshold and people unreachable.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess import build_network
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]},
    ...     geometry=[shapely.LineString([(0, 0), (10_000, 0)])], crs="EPSG:32748")
    >>> net = build_network(roads, "car", offroad=False)   # 20 km/h: 3 min per km
    >>> homes = gpd.GeoDataFrame({"population": [100.0, 50.0]},
    ...     geometry=[shapely.Point(0, 0), shapely.Point(6_000, 0)], crs="EPSG:32748")
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["A"]},
    ...     geometry=[shapely.Point(10_000, 0)], crs="EPSG:32748")
    >>> cand = gpd.GeoDataFrame(geometry=[shapely.Point(1_000, 0)], crs="EPSG:32748")
    >>> s = score_candidates(net, homes, pkm, cand, threshold_min=10)
    >>> # home 0: 30 -> 3 min (within 10); home 6 km: 12 min today, 15 via the candidate
    >>> s[["people_newly_within", "person_min_saved"]].round(6).values.tolist()
    [[100.0, 2700.0]]
    """
    check_network(network)
    check_origins(origins)
    pop = origin_population(origins, population_col)
    check_positive(threshold_min, "threshold_min")
    if not isinstance(candidates, gpd.GeoDataFrame) or candidates.crs is None:
        raise InputValidationError(
            "expected a GeoDataFrame of candidate points with a CRS", argument="candidates"
        )
    if len(candidates) == 0:
        raise EmptyInputError("no candidate sites given", argument="candidates")
    if candidates.geometry.isna().any() or candidates.geometry.is_empty.any():
        rows = candidates.index[candidates.geometry.isna() | candidates.geometry.is_empty].tolist()
        raise InputValidationError(
            f"{len(rows)} candidates have no location (index {rows[:10]}); drop them first",
            argument="candidates",
        )
    if not candidates.index.is_unique:
        dup = candidates.index[candidates.index.duplicated()].unique().tolist()
        raise InputValidationError(
            f"the candidates' index must be unique (it keys the scores); repeated: {dup[:10]}. "
            "Use candidates.reset_index(drop=True) or set a unique id as the index",
            argument="candidates",
        )

    net = network
    base = nearest(net, facilities, facility_id_col=facility_id_col, max_access_m=max_access_m)
    ox, oy = points_xy(origins, net)
    home = attach_points(net, ox, oy, base.max_access_m, into_point=False)
    base_o = base.at_points(origins[[origins.geometry.name]])["travel_time_min"].to_numpy(dtype=float)
    base_o = np.where(np.isfinite(base_o), base_o, np.inf)

    cx, cy = points_xy(candidates, net)
    cand = attach_points(net, cx, cy, base.max_access_m, into_point=True)
    c_ptr, c_node, c_leg = _grouped(cand.point, len(candidates), cand.node, cand.leg_min)
    hi, ci, direct = direct_trips(net, home, cand)
    d_ptr, d_origin, d_min = _grouped(ci, len(candidates), hi, direct)
    o_ptr, o_origin, o_leg = _grouped(home.node, net.n_nodes, home.point, home.leg_min)
    g = net.graph_reversed
    within, saved, delta, newly_reach, newly_reach_time, nodes = _score_all(
        g.indptr.astype(np.int64),
        g.indices.astype(np.int64),
        g.data.astype(np.float64),
        np.asarray(base.time_min, dtype=np.float64),
        c_ptr,
        concat([c_node], np.int64),
        concat([c_leg], float),
        d_ptr,
        concat([d_origin], np.int64),
        concat([d_min], float),
        o_ptr,
        concat([o_origin], np.int64),
        concat([o_leg], float),
        base_o,
        pop,
        float(threshold_min),
    )
    reach = np.isfinite(base_o)
    base_sum = float(np.sum(pop[reach] * base_o[reach]))
    base_pop = float(np.sum(pop[reach]))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_after = (base_sum + delta + newly_reach_time) / (base_pop + newly_reach)
    out = candidates.copy()
    out["people_newly_within"] = within
    out["person_min_saved"] = saved
    out["people_newly_reachable"] = newly_reach
    out["mean_travel_time_min_after"] = mean_after
    out["nodes_improved"] = nodes
    out["attached"] = cand.attached
    out.attrs["baseline"] = {
        "mean_travel_time_min": base_sum / base_pop if base_pop > 0 else float("nan"),
        "people_within": float(np.sum(pop[base_o <= threshold_min])),
        "people_unreachable": float(np.sum(pop[~reach])),
        "threshold_min": float(threshold_min),
    }
    return out


def plan_candidates(res: Any) -> tuple[Any, Any]:
    """Candidates and existing facilities of ``geoaccess plan`` for a run ``res``.

    Candidates: every desa's representative point (``kind="new"``) and every own puskesmas
    whose inpatient status is not known to be True (``kind="upgrade"``), each with its
    ``kecamatan_code`` (desa: its own; puskesmas: the kecamatan polygon it lies in, else the
    nearest) and
    ``name``; ids ``desa:<code>`` / ``pkm:<facility_id>``. Existing: the inpatient
    puskesmas the run searched from (own and across the border).

    Parameters
    ----------
    res : AccessResult
        A run of :func:`geoaccess.run_access`.

    Returns
    -------
    candidates : GeoDataFrame
        The candidate sites: ``candidate_id``, ``name``, ``kind``, ``kecamatan_code``.
    existing : GeoDataFrame
        The inpatient puskesmas the run searched from.

    Examples
    --------
    A kabupaten built by hand: two kecamatan with one desa each, a puskesmas (not rawat
    inap) in the west, a hospital in the east:

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> from geoaccess.planning.candidates import plan_candidates
    >>> region = example_region()
    >>> result = ga.run_access(region, progress=False)
    >>> candidates, existing = plan_candidates(result)
    >>> candidates[["candidate_id", "kind", "kecamatan_code"]]
      candidate_id     kind kecamatan_code
    0      desa:D1      new             K1
    1      desa:D2      new             K2
    2       pkm:P1  upgrade             K1
    >>> len(existing)
    0
    """
    crs = res.network.crs
    desa = res.desa.to_crs(crs)
    # kecamatan standing in for desa (a config run without a desa layer) are named as such
    unit = "Kecamatan " if getattr(res.region, "desa_unit", "desa") == "kecamatan" else "Desa "
    new = gpd.GeoDataFrame(
        {
            "candidate_id": "desa:" + desa["code"].astype(str),
            "name": unit + desa["name"].astype(str),
            "kind": "new",
            "kecamatan_code": desa["kecamatan_code"].to_numpy(),
        },
        geometry=desa.geometry.representative_point().to_numpy(),
        crs=crs,
    )
    f = res.facilities
    own = f[
        f["in_kabupaten"].astype(bool)
        & (f["type"] == "puskesmas")
        & ~f["inpatient"].astype("boolean").fillna(False).astype(bool)
        & ~(f.geometry.isna() | f.geometry.is_empty)
    ].to_crs(crs)
    kec = res.kecamatan.to_crs(crs)[["code", "geometry"]]
    j = gpd.sjoin_nearest(own[["geometry"]], kec, how="left")  # within, else the nearest
    up = gpd.GeoDataFrame(
        {
            "candidate_id": "pkm:" + own["facility_id"].astype(str),
            "name": own["name"].astype(str),
            "kind": "upgrade",
            "kecamatan_code": j[~j.index.duplicated()]["code"].reindex(own.index).to_numpy(),
        },
        geometry=own.geometry.to_numpy(),
        crs=crs,
    )
    cand = gpd.GeoDataFrame(pd.concat([new, up], ignore_index=True), geometry="geometry", crs=crs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)  # unknown status: reported by the run
        existing = select(f, "inpatient")
    return cand, existing
