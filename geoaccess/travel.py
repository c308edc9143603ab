"""Travel time to the nearest facility: one multi-source search for everyone.

How a trip is timed
-------------------
home → (off-road leg) → graph → (off-road leg) → facility.

- Each facility is attached to the graph through a virtual node joined to the lattice
  cell it lies in and to the nearest point of the nearest road (then along that road
  to its ends), the straight-line legs at the off-road speed of the network
  (:attr:`Network.offroad_speed_kph`).
- The reversed graph is searched once from all facilities of a category
  (:func:`scipy.sparse.csgraph.dijkstra` with ``min_only=True``), giving every node
  its time to the nearest facility and which one it is.
- Each origin takes the best of its own legs: to the lattice cell it lies in, and to
  the nearest point of the nearest road (straight line at the off-road speed).

In a road-only network an origin farther than ``max_access_m`` from every road is
*not* connected: it comes back with ``reachable=False`` and ``far_from_road=True``.
In a hybrid network an origin on the lattice reaches roads over it (the straight leg
to a road is used only within one cell), so barriers and speed rasters hold for the
first and last leg too; it is flagged ``far_from_road=True`` beyond ``far_from_road_m``.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from ._validate import check_positive, require_columns, require_crs, require_frame, require_unique
from .exceptions import EmptyInputError, GeoAccessWarning, InputValidationError
from .network import _KPH_TO_M_PER_MIN, _MIN_EDGE_MIN, Network, _concat

__all__ = ["cell_travel_time", "travel_time", "travel_time_matrix"]

log = logging.getLogger(__name__)

#: Points farther than this from any road are not connected to it (m): every point of a
#: road-only network, and points outside the lattice of a hybrid network.
#: 5 km is about 1.7 h on foot at 3 km/h; beyond that "the nearest road" is not a trip
#: anyone makes, and the answer should be "unreachable", not a number.
DEFAULT_MAX_ACCESS_M = 5000.0
#: Hybrid networks: origins farther than this from any mapped road are flagged (m): 2 km
#: is over half an hour on foot (3 km/h), a trip worth showing a planner.
DEFAULT_FAR_FROM_ROAD_M = 2000.0


def _points_xy(gdf: gpd.GeoDataFrame, net: Network) -> tuple[np.ndarray, np.ndarray]:
    g = gdf.geometry.to_crs(net.crs)
    if not (g.geom_type == "Point").all():
        g = g.representative_point()
    return g.x.to_numpy(), g.y.to_numpy()


@dataclass(frozen=True)
class _RoadAttach:
    """How points reach their nearest usable road edge (see :func:`_legs`)."""

    ok: np.ndarray  # the straight leg to the road is allowed
    edge: np.ndarray  # row of Network.edges (-1: none)
    frac: np.ndarray  # position along the edge, 0 at u, 1 at v
    walk_min: np.ndarray  # straight leg, minutes
    dist_m: np.ndarray  # straight leg, metres


def _road_attach(net: Network, x: np.ndarray, y: np.ndarray, max_road_m: float) -> tuple[_RoadAttach, Any]:
    """Road leg of each point, and (lattice cell, cell speed) where the network has a lattice."""
    edge, road_d, frac = net.nearest_road_point(x, y)
    speed_kph = np.full(len(x), net.offroad_speed_kph)
    lat = net.lattice
    ok = edge >= 0
    cell = None
    if lat is not None:
        cell = lat.cell_of_xy(x, y)
        in_cell = cell >= 0
        rr = ((lat.y0 - net.node_xy[cell[in_cell], 1]) // lat.resolution_m).astype(int)
        cc = ((net.node_xy[cell[in_cell], 0] - lat.x0) // lat.resolution_m).astype(int)
        speed_kph[in_cell] = lat.speed_kph[rr, cc]
        if ok.any():
            e = net.edges
            a = net.node_xy[e["u"].to_numpy()[np.maximum(edge, 0)]]
            b = net.node_xy[e["v"].to_numpy()[np.maximum(edge, 0)]]
            rp = a + frac[:, None] * (b - a)
            road_cell = lat.cell_of_xy(rp[:, 0], rp[:, 1])
            short = in_cell & (road_d <= lat.resolution_m) & (road_cell >= 0)
            ok &= short | (~in_cell & (road_d <= max_road_m))
    else:
        ok &= road_d <= max_road_m
    walk = road_d / (speed_kph * _KPH_TO_M_PER_MIN)
    return _RoadAttach(ok, edge, frac, walk, road_d), (cell, speed_kph)


def _legs(
    net: Network, x: np.ndarray, y: np.ndarray, max_road_m: float, *, into_point: bool
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], _RoadAttach]:
    """Candidate attachments of points to graph nodes.

    A point joins the graph (a) at the nearest point of the nearest road edge, reached
    in a straight line, then along the edge to either end it may drive to; (b) at the
    centre of the lattice cell it lies in. In a hybrid network the straight road leg of
    a point on a passable cell is allowed only up to one cell (``resolution_m``) and only
    to a road point on a passable cell, at the point's cell speed: longer off-road trips
    run over the lattice, so they respect barriers and speed rasters. Points off the
    lattice (outside the area, or on an impassable cell), and all points of a road-only
    network, may walk up to ``max_road_m`` at the network's off-road speed.
    ``into_point=False`` times trips from the point into the graph (homes); ``True``
    times trips from the graph to the point (facilities), which matters on one-way roads.

    Returns ((point index, node, leg minutes), the road attachment).
    """
    pidx, nodes, legs = [], [], []
    road, (cell, speed_kph) = _road_attach(net, x, y, max_road_m)
    ok = road.ok
    if ok.any():
        e = net.edges
        i = np.nonzero(ok)[0]
        ei = road.edge[ok]
        u, v = e["u"].to_numpy()[ei], e["v"].to_numpy()[ei]
        t = e["travel_time_min"].to_numpy()[ei]
        oneway = e["oneway"].to_numpy(dtype=bool)[ei]
        s = road.frac[ok]
        walk = road.walk_min[ok]
        # along u->v is always allowed; against it only off one-way roads, or when the
        # point sits on the end node itself (nothing to drive)
        if into_point:  # node -> point: from u along u->v; from v needs v->u
            back = ~oneway | (s >= 1 - 1e-12)
            pidx += [i, i[back]]
            nodes += [u, v[back]]
            legs += [walk + s * t, (walk + (1 - s) * t)[back]]
        else:  # point -> node: to v along u->v; to u needs v->u
            back = ~oneway | (s <= 1e-12)
            pidx += [i, i[back]]
            nodes += [v, u[back]]
            legs += [walk + (1 - s) * t, (walk + s * t)[back]]
    if cell is not None:
        in_cell = cell >= 0
        i = np.nonzero(in_cell)[0]
        c = cell[in_cell]
        d = np.hypot(net.node_xy[c, 0] - x[i], net.node_xy[c, 1] - y[i])
        pidx.append(i)
        nodes.append(c)
        legs.append(d / (speed_kph[in_cell] * _KPH_TO_M_PER_MIN))
    return (_concat(pidx, np.int64), _concat(nodes, np.int64), _concat(legs, float)), road


def _same_edge_trips(
    net: Network, home: _RoadAttach, fac: _RoadAttach
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Direct trips between homes and facilities attached to the same road piece.

    The graph only knows a piece's end nodes; a home and a facility on the same piece
    would otherwise be timed through them. Returns (home index, facility index, minutes).
    """
    h = np.flatnonzero(home.ok)
    f = np.flatnonzero(fac.ok)
    if len(h) == 0 or len(f) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    pairs = pd.DataFrame({"h": h, "edge": home.edge[h]}).merge(
        pd.DataFrame({"f": f, "edge": fac.edge[f]}), on="edge"
    )
    if len(pairs) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    hi, fi, ei = (pairs[c].to_numpy() for c in ("h", "f", "edge"))
    e = net.edges
    t = e["travel_time_min"].to_numpy()[ei]
    oneway = e["oneway"].to_numpy(dtype=bool)[ei]
    ds = fac.frac[fi] - home.frac[hi]  # > 0: the facility lies downstream (u -> v)
    allowed = (ds >= 0) | ~oneway
    minutes = home.walk_min[hi] + fac.walk_min[fi] + np.abs(ds) * t
    return hi[allowed], fi[allowed], minutes[allowed]


def _prepare_facilities(
    facilities: gpd.GeoDataFrame, id_col: str, net: Network, max_road_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, _RoadAttach]:
    """Validate facilities; return (ids, attachment facility index, node, leg minutes, road leg)."""
    require_frame(facilities, "facilities")
    require_crs(facilities, "facilities")
    require_columns(facilities, [id_col], "facilities")
    require_unique(facilities, id_col, "facilities")
    located = ~(facilities.geometry.isna() | facilities.geometry.is_empty)
    if not located.all():
        missing = facilities.loc[~located, id_col].astype(str).tolist()
        warnings.warn(
            f"{len(missing)} facilities have no location and are left out of the search: {missing}. "
            "Relocate them (geoaccess.read_facilities(..., relocate='kecamatan')) to include them.",
            GeoAccessWarning,
            stacklevel=3,
        )
        facilities = facilities[located]
    if len(facilities) == 0:
        raise EmptyInputError("no facility has a location", argument="facilities")
    ids = facilities[id_col].astype(str).to_numpy()
    x, y = _points_xy(facilities, net)
    (fi, node, leg), road = _legs(net, x, y, max_road_m, into_point=True)
    unattached = np.setdiff1d(np.arange(len(ids)), fi)
    if len(unattached):
        warnings.warn(
            f"{len(unattached)} facilities are farther than {max_road_m:g} m from any road and "
            f"outside the lattice, so nobody can reach them: {ids[unattached].tolist()}",
            GeoAccessWarning,
            stacklevel=3,
        )
    return ids, fi, node, leg, road


def _augmented_reverse(
    net: Network, fi: np.ndarray, node: np.ndarray, leg: np.ndarray, n_fac: int
) -> sp.csr_matrix:
    """Reversed graph with one virtual row per facility (edges virtual → attachment node)."""
    g = net.graph_reversed
    n = g.shape[0]
    order = np.argsort(fi, kind="stable")
    fi, node, leg = fi[order], node[order], leg[order]
    counts = np.bincount(fi, minlength=n_fac)
    indptr = np.concatenate([g.indptr, g.indptr[-1] + np.cumsum(counts)])
    indices = np.concatenate([g.indices, node])
    data = np.concatenate([g.data, np.maximum(leg, _MIN_EDGE_MIN)])
    return sp.csr_matrix((data, indices, indptr), shape=(n + n_fac, n + n_fac))


def _nearest(
    net: Network, facilities: gpd.GeoDataFrame, id_col: str, max_road_m: float, limit: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, _RoadAttach]:
    """Time (min) from every node to its nearest facility, that facility's index, the
    facility ids and their road legs."""
    ids, fi, node, leg, road = _prepare_facilities(facilities, id_col, net, max_road_m)
    n = net.n_nodes
    g = _augmented_reverse(net, fi, node, leg, len(ids))
    dist, _, src = dijkstra(
        g,
        directed=True,
        indices=n + np.arange(len(ids)),
        min_only=True,
        return_predecessors=True,
        limit=limit,
    )
    fac = np.where(src >= n, src - n, -1)
    return dist[:n], fac[:n], ids, road


def _check_network(network: Any) -> None:
    if not isinstance(network, Network):
        raise InputValidationError(
            f"expected a geoaccess Network, got {type(network).__name__}; build one with "
            "geoaccess.build_network()",
            argument="network",
        )


def _check_origins(origins: Any) -> None:
    require_frame(origins, "origins")
    require_crs(origins, "origins")
    bad = origins.geometry.isna() | origins.geometry.is_empty
    if bad.any():
        idx = origins.index[bad].tolist()
        raise InputValidationError(
            f"{len(idx)} origins have no geometry (index {idx[:10]}); drop or fix them first",
            argument="origins",
        )


def _check_limit(max_time_min: float | None) -> float:
    if max_time_min is None:
        return np.inf
    check_positive(max_time_min, "max_time_min")
    return float(max_time_min)


def travel_time(
    network: Network,
    origins: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    *,
    facility_id_col: str = "facility_id",
    max_access_m: float | None = None,
    far_from_road_m: float = DEFAULT_FAR_FROM_ROAD_M,
    max_time_min: float | None = None,
) -> gpd.GeoDataFrame:
    """Travel time from every origin to its nearest facility, with one multi-source search.

    Parameters
    ----------
    network : Network
        From :func:`geoaccess.build_network`.
    origins : GeoDataFrame
        Where people are: points, or polygons (their representative point is used). Any CRS.
    facilities : GeoDataFrame
        Destinations (points, any CRS) with a unique ``facility_id_col``. Rows without a
        location are left out with a :class:`GeoAccessWarning` naming them.
    facility_id_col : str
        Column with the facility id (default ``facility_id``).
    max_access_m : float, optional
        Longest straight-line leg from a point to the nearest road (m), default
        :data:`DEFAULT_MAX_ACCESS_M`. It applies to every point of a road-only network
        and to points outside the lattice of a hybrid one; points on the lattice reach
        roads over it (respecting barriers and speed rasters).
    far_from_road_m : float
        Origins farther than this from any road are flagged ``far_from_road``.
    max_time_min : float, optional
        Stop the search at this many minutes; origins beyond it come back unreachable.

    Returns
    -------
    GeoDataFrame
        A new frame on ``origins``' index and CRS with the origins' columns plus
        ``travel_time_min`` (NaN when unreachable), ``facility_id`` (nearest, ``None`` when
        unreachable), ``reachable``, ``access_dist_m`` (straight line to the nearest mapped road),
        ``far_from_road``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess import build_network
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]},
    ...     geometry=[shapely.LineString([(0, 0), (10_000, 0)])], crs="EPSG:32748")
    >>> net = build_network(roads, "car", offroad=False)
    >>> homes = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)], crs="EPSG:32748")
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["A"]},
    ...     geometry=[shapely.Point(10_000, 0)], crs="EPSG:32748")
    >>> round(float(travel_time(net, homes, pkm)["travel_time_min"].iloc[0]), 6)  # 10 km at 20 km/h
    30.0
    """
    _check_network(network)
    _check_origins(origins)
    if max_access_m is None:
        max_access_m = DEFAULT_MAX_ACCESS_M
    check_positive(max_access_m, "max_access_m")
    check_positive(far_from_road_m, "far_from_road_m")
    limit = _check_limit(max_time_min)

    dist, fac, ids, fac_road = _nearest(network, facilities, facility_id_col, max_access_m, limit)
    x, y = _points_xy(origins, network)
    (oi, node, leg), road = _legs(network, x, y, max_access_m, into_point=False)
    # candidates: through the graph, and direct along a road piece shared with a facility
    hi, fi, direct = _same_edge_trips(network, road, fac_road)
    cand_o = np.concatenate([oi, hi])
    cand_t = np.concatenate([leg + dist[node], direct])
    cand_f = np.concatenate([fac[node], fi])
    best = np.full(len(origins), np.inf)
    best_fac = np.full(len(origins), -1)
    order = np.lexsort((cand_t, cand_o))  # per origin, fastest candidate first
    o_s = cand_o[order]
    first = np.ones(len(o_s), dtype=bool)
    first[1:] = o_s[1:] != o_s[:-1]
    best[o_s[first]] = cand_t[order][first]
    best_fac[o_s[first]] = cand_f[order][first]
    road_d = road.dist_m
    reach = np.isfinite(best) & (best <= limit)
    out = origins.copy()
    out["travel_time_min"] = np.where(reach, best, np.nan)
    out["facility_id"] = pd.Series(
        np.where(reach & (best_fac >= 0), ids[np.maximum(best_fac, 0)], None), index=out.index, dtype="object"
    )
    out["reachable"] = reach
    out["access_dist_m"] = road_d
    out["far_from_road"] = road_d > far_from_road_m
    n_far = int(out["far_from_road"].sum())
    if n_far:
        log.info("%d origins are more than %g m from any mapped road", n_far, far_from_road_m)
    return out


def cell_travel_time(
    network: Network,
    facilities: gpd.GeoDataFrame,
    *,
    facility_id_col: str = "facility_id",
    max_time_min: float | None = None,
) -> gpd.GeoDataFrame:
    """Travel time from every lattice cell (cell centre) to the nearest facility.

    Returns
    -------
    GeoDataFrame
        :meth:`Network.cells` with ``travel_time_min`` (NaN unreachable), ``facility_id``
        and ``reachable``, in the network CRS, indexed by graph node id.
    """
    _check_network(network)
    limit = _check_limit(max_time_min)
    cells = network.cells()
    dist, fac, ids, _ = _nearest(network, facilities, facility_id_col, DEFAULT_MAX_ACCESS_M, limit)
    d = dist[cells.index.to_numpy()]
    f = fac[cells.index.to_numpy()]
    reach = np.isfinite(d)
    cells["travel_time_min"] = np.where(reach, d, np.nan)
    cells["facility_id"] = pd.Series(
        np.where(reach & (f >= 0), ids[np.maximum(f, 0)], None), index=cells.index, dtype="object"
    )
    cells["reachable"] = reach
    return cells


def travel_time_matrix(
    network: Network,
    origins: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    *,
    max_time_min: float,
    origin_id_col: str | None = None,
    facility_id_col: str = "facility_id",
    max_access_m: float | None = None,
    batch_size: int = 16,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Long table of travel times from origins to every facility within ``max_time_min``.

    One bounded search per facility (``limit=max_time_min``), in batches, so only each
    facility's neighbourhood is explored. This is the cost table for catchment
    measures (2SFCA) and location models.

    Parameters
    ----------
    network : Network
        From :func:`geoaccess.build_network`.
    origins : GeoDataFrame
        Points or polygons (representative point used), any CRS.
    facilities : GeoDataFrame
        Destinations with a unique ``facility_id_col``; rows without a location are left
        out with a :class:`GeoAccessWarning`.
    max_time_min : float
        Pairs farther apart than this (minutes) are not reported.
    origin_id_col : str, optional
        Column with unique origin ids; default the origins' index.
    facility_id_col : str
        Facility id column.
    max_access_m : float, optional
        See :func:`travel_time`.
    batch_size : int
        Facilities searched together; lowered automatically so one batch holds at
        most about 200 MB of distances.
    progress : bool, optional
        Progress bar; default ``geoaccess.options.progress``.

    Returns
    -------
    DataFrame
        ``origin_id``, ``facility_id``, ``travel_time_min``; pairs beyond the limit are absent.
    """
    from tqdm.auto import tqdm

    from .settings import options

    _check_network(network)
    limit = _check_limit(max_time_min)
    _check_origins(origins)
    if not isinstance(batch_size, int | np.integer) or batch_size < 1:
        raise InputValidationError(f"must be a whole number >= 1, got {batch_size!r}", argument="batch_size")
    batch_size = int(max(1, min(batch_size, 200e6 // (8 * network.n_nodes))))
    if origin_id_col is not None:
        require_columns(origins, [origin_id_col], "origins")
        require_unique(origins, origin_id_col, "origins")
        oid = origins[origin_id_col].to_numpy()
    else:
        oid = origins.index.to_numpy()
    if max_access_m is None:
        max_access_m = DEFAULT_MAX_ACCESS_M
    check_positive(max_access_m, "max_access_m")
    ids, fi, fnode, fleg, fac_road = _prepare_facilities(facilities, facility_id_col, network, max_access_m)
    n = network.n_nodes
    g = _augmented_reverse(network, fi, fnode, fleg, len(ids))
    x, y = _points_xy(origins, network)
    (oi, onode, oleg), road = _legs(network, x, y, max_access_m, into_point=False)
    show = options.progress if progress is None else progress
    starts = range(0, len(ids), batch_size)
    order = np.argsort(oi, kind="stable")  # candidates grouped by origin
    oi_s, onode_s, oleg_s = oi[order], onode[order], oleg[order]
    starts_o = np.flatnonzero(np.r_[True, oi_s[1:] != oi_s[:-1]]) if len(oi_s) else np.empty(0, int)
    origin_of_group = oi_s[starts_o]
    o_parts, f_parts, t_parts = [], [], []
    for s in tqdm(starts, desc="travel-time matrix", unit="batch", disable=not show):
        sel = np.arange(s, min(s + batch_size, len(ids)))
        d = dijkstra(g, directed=True, indices=n + sel, limit=limit)
        t = d[:, onode_s] + oleg_s[None, :]  # (batch, candidates)
        best = np.minimum.reduceat(t, starts_o, axis=1) if len(starts_o) else t[:, :0]
        fi_b, gi = np.nonzero(best <= limit)
        o_parts.append(origin_of_group[gi])
        f_parts.append(sel[fi_b])
        t_parts.append(best[fi_b, gi])
    hi, fi_d, direct = _same_edge_trips(network, road, fac_road)
    keep = direct <= limit
    o_parts.append(hi[keep])
    f_parts.append(fi_d[keep])
    t_parts.append(direct[keep])
    res = (
        pd.DataFrame(
            {
                "_o": _concat(o_parts, np.int64),
                "_f": _concat(f_parts, np.int64),
                "travel_time_min": _concat(t_parts, float),
            }
        )
        .groupby(["_o", "_f"], as_index=False)["travel_time_min"]
        .min()  # a direct trip along a shared road piece may beat the graph's
    )
    res.insert(1, "facility_id", ids[res.pop("_f").to_numpy(dtype=np.int64)])
    res.insert(0, "origin_id", oid[res["_o"].to_numpy(dtype=int)])
    return (
        res.drop(columns="_o")
        .sort_values(["origin_id", "travel_time_min"], kind="stable")
        .reset_index(drop=True)
    )
