"""Travel time to the nearest facility: one multi-source search for everyone.

How a trip is timed
-------------------
home → (first leg) → graph → (last leg) → facility.

Every point (home or facility) joins the graph by the same rule (:func:`attach_points`):

- **its own lattice cell**, when that cell is passable: a straight leg to the cell
  centre at the cell's off-road speed;
- **the nearest point of the nearest road piece**, then along the piece to its ends
  (one-way rules respected): for a point on a passable cell only when that leg is at
  most one cell long and ends on a passable cell (longer off-road trips run over the
  lattice, so barriers and speed rasters hold); for a point whose own cell is not
  passable (blocked by a barrier, a speed of 0, or outside the study area), and for
  every point of a road-only network, up to ``max_access_m``;
- **the nearest passable lattice cell on its own side**, when its own cell is not
  passable (a village on a river bank whose cell the river blocks, a facility just
  outside the study area): the nearest cell centre within ``max_access_m`` whose
  straight leg crosses no barrier; the distance is reported as ``snap_dist_m``.

No first or last leg ever crosses a barrier: rivers are crossed only on a road bridge.
A home and a facility in the same lattice cell, or on the same road piece, also get
their direct trip.

:func:`nearest` runs one multi-source search per facility set
(:func:`scipy.sparse.csgraph.dijkstra` with ``min_only=True`` on the reversed graph,
so one-way roads are honoured from home to facility) and keeps the time and facility
of every graph node in a :class:`NearestFacility`; reading it at points
(:meth:`NearestFacility.at_points`) or cells (:meth:`NearestFacility.at_cells`) costs
no further search. :func:`travel_time` and :func:`cell_travel_time` are shortcuts for
those two readings.
"""

from __future__ import annotations

import logging
import threading
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import dijkstra

try:  # scipy's own routine of graph.transpose().tocsr(), to reverse into a buffer
    from scipy.sparse._sparsetools import csr_tocsc
except ImportError:  # a private module: without it, the reversed graph is built and copied
    csr_tocsc = None

from .._validate import (
    check_number,
    check_positive,
    require_columns,
    require_crs,
    require_frame,
    require_unique,
)
from ..exceptions import EmptyInputError, GeoAccessWarning, InputValidationError
from .arrays import concat
from .network import MIN_EDGE_MIN, Network
from .speeds import KPH_TO_M_PER_MIN

__all__ = [
    "MODE_CHAINS",
    "NearestFacility",
    "PointAttachment",
    "attach_points",
    "cell_travel_time",
    "nearest",
    "origin_population",
    "path_modes",
    "release_search_buffer",
    "travel_time",
    "travel_time_matrix",
]

log = logging.getLogger(__name__)

#: Longest straight leg from a point to the graph (m): to the nearest road for every
#: point of a road-only network, and to the nearest road or passable lattice cell for a
#: point whose own cell is not passable. 5 km is about 1.7 h on foot at 3 km/h; beyond
#: that "the nearest road" is not a trip anyone makes, and the answer should be
#: "unreachable", not a number.
DEFAULT_MAX_ACCESS_M = 5000.0
#: Hybrid networks: origins farther than this from any mapped road are flagged (m): 2 km
#: is over half an hour on foot (3 km/h), a trip worth showing a planner.
DEFAULT_FAR_FROM_ROAD_M = 2000.0
#: Points that join a lattice cell farther than this (m) from where they lie are flagged
#: ``snapped_far``: a point on a river bank joins a cell one or two cells away (under
#: 500 m at 250 m); 1 km or more usually means the point lies in a lake, the sea or
#: outside the study area, i.e. its coordinates deserve a look.
DEFAULT_SNAP_FLAG_M = 1000.0
#: Columns :meth:`NearestFacility.at_points` adds (before any prefix).
OUTPUT_COLUMNS = (
    "travel_time_min",
    "facility_id",
    "reachable",
    "access_dist_m",
    "far_from_road",
    "snap_dist_m",
    "snapped_far",
)
#: Nearest candidate cells examined per point when looking for a passable cell on its
#: own side of a barrier (widened once, to 16x, for points where none qualifies).
_SNAP_K = 16


#: Recent (source CRS, target CRS) -> transformer, by the CRS objects themselves (kept
#: alive here, so an id is never reused while its entry lives): geopandas' own cache
#: hashes both CRS to WKT on every call.
_TRANSFORMERS: dict[tuple[int, int], tuple[Any, Any, Any]] = {}
_TRANSFORMERS_LOCK = threading.Lock()


def _transformer(src: Any, dst: Any) -> Any:
    """The transformer of ``GeometryArray.to_crs(dst)`` from ``src`` (None: the same CRS)."""
    key = (id(src), id(dst))
    hit = _TRANSFORMERS.get(key)
    if hit is not None and hit[0] is src and hit[1] is dst:
        return hit[2]
    # what GeometryArray.to_crs does: nothing for the exact same CRS, else this transformer
    tr = None if src.is_exact_same(dst) else pyproj.Transformer.from_crs(src, dst, always_xy=True)
    with _TRANSFORMERS_LOCK:
        if len(_TRANSFORMERS) >= 16:
            _TRANSFORMERS.clear()
        _TRANSFORMERS[key] = (src, dst, tr)
    return tr


def points_xy(gdf: pd.DataFrame, net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Point coordinates in the network CRS (representative points of polygons); for a
    cell table of ``net`` (no geometry, indexed by lattice node id, with ``row`` and
    ``col``: :meth:`Network.check_cell_table`) the cell centres."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        return net.cell_xy(gdf)
    g = gdf.geometry
    return _xy_of(g.values, g.crs, net)


def _xy_of(values: Any, src: Any, net: Network) -> tuple[np.ndarray, np.ndarray]:
    """:func:`points_xy` of a GeometryArray ``values`` in CRS ``src``."""
    geoms = np.asarray(values)
    if (
        src is not None
        and len(geoms)
        and (shapely.get_type_id(geoms) == shapely.GeometryType.POINT).all()
        and not (shapely.is_empty(geoms) | shapely.has_z(geoms)).any()
    ):
        # plain 2-D points (facilities): their coordinates through the transformer that
        # GeometryArray.to_crs would use, the same numbers without building geometries
        xy = shapely.get_coordinates(geoms)
        tr = _transformer(src, net.crs)
        if tr is None:
            return xy[:, 0].copy(), xy[:, 1].copy()
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    # on the geometry array, not a GeoSeries: the same transform (GeometryArray.to_crs is
    # what GeoSeries.to_crs calls) without the pandas wrapping
    geoms = np.asarray(values.to_crs(net.crs))
    if not (shapely.get_type_id(geoms) == shapely.GeometryType.POINT).all():
        geoms = shapely.point_on_surface(geoms)  # GeoSeries.representative_point
    return shapely.get_x(geoms), shapely.get_y(geoms)


def crosses_barrier(net: Network, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where the straight segment from ``a[i]`` to ``b[i]`` touches a barrier.

    Parameters
    ----------
    net : Network
        Its :attr:`Network.barriers` are checked.
    a, b : ndarray
        (n, 2) segment ends in the network CRS.

    Returns
    -------
    ndarray of bool
        All False when the network has no barriers.
    """
    out = np.zeros(len(a), dtype=bool)
    tree = net.barrier_tree
    if tree is None or len(a) == 0:
        return out
    segs = shapely.linestrings(np.stack([np.asarray(a, float), np.asarray(b, float)], axis=1))
    hit = tree.query(segs, predicate="intersects")
    out[np.unique(hit[0])] = True
    return out


def _cell_rc(net: Network, node: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat = net.lattice
    assert lat is not None
    rr = ((lat.y0 - net.node_xy[node, 1]) // lat.resolution_m).astype(int)
    cc = ((net.node_xy[node, 0] - lat.x0) // lat.resolution_m).astype(int)
    return rr, cc


def _snap_to_cells(
    net: Network, x: np.ndarray, y: np.ndarray, which: np.ndarray, max_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest passable cell within ``max_m`` whose straight leg crosses no barrier.

    Returns (node, distance m) per point of ``which`` (-1 / inf where none qualifies).
    """
    node = np.full(len(which), -1, dtype=np.int64)
    dist = np.full(len(which), np.inf)
    if len(which) == 0:  # before the tree: building it costs seconds on a fine lattice
        return node, dist
    tree = net.cell_tree
    if tree is None:
        return node, dist
    todo = np.arange(len(which))
    for k in (_SNAP_K, 16 * _SNAP_K):
        if len(todo) == 0:
            break
        k = min(k, net.n_cells)
        pts = np.column_stack([x[which[todo]], y[which[todo]]])
        d, j = tree.query(pts, k=k, distance_upper_bound=max_m)
        d, j = np.atleast_2d(d).reshape(len(todo), k), np.atleast_2d(j).reshape(len(todo), k)
        pi, ci = np.nonzero(np.isfinite(d))  # row-major: per point, nearest candidate first
        cand = net.n_road_nodes + j[pi, ci]
        bad = crosses_barrier(net, pts[pi], net.node_xy[cand])
        pi, ci, cand = pi[~bad], ci[~bad], cand[~bad]
        first = np.ones(len(pi), dtype=bool)
        first[1:] = pi[1:] != pi[:-1]
        node[todo[pi[first]]] = cand[first]
        dist[todo[pi[first]]] = d[pi[first], ci[first]]
        # points whose k nearest cells were all behind a barrier but more lie in range
        found = np.zeros(len(todo), dtype=bool)
        found[pi[first]] = True
        more = np.isfinite(d[:, -1])
        todo = todo[~found & more]
    return node, dist


@dataclass(frozen=True, eq=False)
class PointAttachment:
    """How a set of points joins the graph (see :func:`attach_points`).

    Attributes
    ----------
    point, node, leg_min : ndarray
        Candidate legs: point index, graph node, minutes (one point may have several).
    road_ok, road_edge, road_frac, road_walk_min : ndarray
        The straight leg to the nearest road piece (allowed or not), that piece (row of
        :attr:`Network.edges`, -1 none), the position along it (0 at ``u``) and the
        leg's minutes.
    access_dist_m : ndarray
        Straight-line distance to the nearest mapped road (inf without roads).
    cell : ndarray
        The passable lattice cell each point lies in (node id), -1 where its own cell
        is not passable or there is no lattice.
    cell_speed_kph : ndarray
        Off-road speed of that cell (the network's off-road speed elsewhere).
    snap_dist_m : ndarray
        0 for points on a passable cell; for the others the distance to the passable
        cell they join on their own side of any barrier (inf: none within reach); NaN
        in a road-only network.
    xy : ndarray
        (n, 2) point coordinates in the network CRS.

    Examples
    --------
    A home 300 m from a 2 km road, on passable ground: it joins the graph at its own
    250 m cell (no road leg: the road is farther than one cell).

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> from geoaccess.engine.travel import attach_points
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> net = ga.build_network(roads, "motorbike", area=area)
    >>> home = attach_points(net, [401_000.0], [9_590_300.0], 1000.0, into_point=False)
    >>> home.access_dist_m.tolist(), home.road_ok.tolist(), home.snap_dist_m.tolist()
    ([300.0], [False], [0.0])
    >>> home.attached.tolist()
    [True]
    """

    point: np.ndarray
    node: np.ndarray
    leg_min: np.ndarray
    road_ok: np.ndarray
    road_edge: np.ndarray
    road_frac: np.ndarray
    road_walk_min: np.ndarray
    access_dist_m: np.ndarray
    cell: np.ndarray
    cell_speed_kph: np.ndarray
    snap_dist_m: np.ndarray
    xy: np.ndarray = field(repr=False)

    @property
    def attached(self) -> np.ndarray:
        """Boolean per point: it has at least one way into the graph."""
        out = np.zeros(len(self.xy), dtype=bool)
        out[self.point] = True
        return out


#: Per live network, its edges frame and their ``u``, ``v``, ``travel_time_min`` and
#: ``oneway`` columns as arrays: every attachment reads them, and a pandas column lookup
#: costs more than the arithmetic on a few hundred points.
_EDGE_ARRAYS: weakref.WeakKeyDictionary[Network, tuple[Any, ...]] = weakref.WeakKeyDictionary()


def _edge_arrays(net: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``u``, ``v``, ``travel_time_min``, ``oneway`` (bool) of ``net.edges`` as arrays."""
    hit = _EDGE_ARRAYS.get(net)
    e = net.edges
    if hit is None or hit[0] is not e:
        cols = (
            e["u"].to_numpy(),
            e["v"].to_numpy(),
            e["travel_time_min"].to_numpy(),
            e["oneway"].to_numpy(dtype=bool),
        )
        hit = (e, *cols)
        with _BUFFERS_LOCK:
            _EDGE_ARRAYS[net] = hit
    return hit[1], hit[2], hit[3], hit[4]


def attach_points(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    max_access_m: float,
    *,
    into_point: bool,
    roads_beyond_reach: bool = True,
) -> PointAttachment:
    """Join points to the graph over passable ground (the rule in the module docstring).

    Parameters
    ----------
    net : Network
    x, y : ndarray
        Point coordinates in the network CRS.
    max_access_m : float
        Longest straight leg for points whose own cell is not passable, and for every
        point of a road-only network (m).
    into_point : bool
        ``False`` times trips from the point into the graph (homes); ``True`` from the
        graph to the point (facilities), which matters on one-way roads.
    roads_beyond_reach : bool, default True
        Find every point's nearest road, however far (:attr:`PointAttachment.access_dist_m`).
        ``False`` looks only as far as a road leg may be (``resolution_m`` from a point on
        a passable cell, ``max_access_m`` from the others): the legs are the same, and
        ``road_edge`` is -1 and ``access_dist_m`` inf beyond. Much faster for many points
        far from roads (every populated cell of a kabupaten).

    Returns
    -------
    PointAttachment

    Examples
    --------
    A facility on the end of a 2 km road joins it there (a road leg of 0 m) and at its
    own lattice cell:

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> net = ga.build_network(roads, "motorbike", area=area)
    >>> fac = attach_points(net, [402_000.0], [9_590_000.0], 1000.0, into_point=True)
    >>> fac.access_dist_m.tolist(), fac.road_ok.tolist()
    ([0.0], [True])
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    xy = np.column_stack([x, y])
    lat = net.lattice
    if roads_beyond_reach:
        edge, road_d, frac = net.nearest_road_point(x, y)
    else:
        edge, road_d, frac = np.full(n, -1, dtype=np.int64), np.full(n, np.inf), np.zeros(n)
        own = lat.cell_of_xy(x, y) >= 0 if lat is not None else np.zeros(n, dtype=bool)
        for sel, limit in ((own, lat.resolution_m if lat is not None else 0.0), (~own, max_access_m)):
            i = np.flatnonzero(sel)
            if len(i):
                edge[i], road_d[i], frac[i] = net.nearest_road_point(x[i], y[i], max_dist_m=float(limit))
    has_road = edge >= 0
    e = net.edges
    eu, ev, e_time, e_oneway = _edge_arrays(net)
    a = net.node_xy[eu[np.maximum(edge, 0)]] if len(e) else np.zeros((n, 2))
    b = net.node_xy[ev[np.maximum(edge, 0)]] if len(e) else np.zeros((n, 2))
    road_pt = a + frac[:, None] * (b - a)
    speed_kph = np.full(n, net.offroad_speed_kph)
    cell = np.full(n, -1, dtype=np.int64)
    snap_node = np.full(n, -1, dtype=np.int64)
    snap_d = np.full(n, np.nan)
    if lat is not None:
        cell = lat.cell_of_xy(x, y)
        in_cell = cell >= 0
        rr, cc = _cell_rc(net, cell[in_cell])
        speed_kph[in_cell] = lat.speed_kph[rr, cc]
        road_cell = lat.cell_of_xy(road_pt[:, 0], road_pt[:, 1])
        road_ok = has_road & np.where(
            in_cell, (road_d <= lat.resolution_m) & (road_cell >= 0), road_d <= max_access_m
        )
        snap_d[in_cell] = 0.0
        off = np.flatnonzero(~in_cell)
        sn, sd = _snap_to_cells(net, x, y, off, max_access_m)
        snap_node[off], snap_d[off] = sn, sd
    else:
        road_ok = has_road & (road_d <= max_access_m)
    leg_d = road_d.copy()
    if road_ok.any():
        i = np.flatnonzero(road_ok)
        bad = i[crosses_barrier(net, xy[i], road_pt[i])]
        if len(bad):  # the nearest road lies across a barrier: the nearest on this side
            road_ok[bad] = False
            reach = np.full(len(bad), max_access_m)
            if lat is not None:
                reach[cell[bad] >= 0] = lat.resolution_m
            pi, ei, di, fi = net.road_points_within(x[bad], y[bad], reach)
            pa, pb = net.node_xy[eu[ei]], net.node_xy[ev[ei]]
            rp = pa + fi[:, None] * (pb - pa)
            good = ~crosses_barrier(net, xy[bad[pi]], rp)
            if lat is not None:
                good &= (cell[bad[pi]] < 0) | (lat.cell_of_xy(rp[:, 0], rp[:, 1]) >= 0)
            pi, ei, di, fi = pi[good], ei[good], di[good], fi[good]
            first = np.ones(len(pi), dtype=bool)
            first[1:] = pi[1:] != pi[:-1]
            j = bad[pi[first]]
            road_ok[j] = True
            edge = edge.copy()
            frac = frac.copy()
            edge[j], frac[j], leg_d[j] = ei[first], fi[first], di[first]
    walk = leg_d / (speed_kph * KPH_TO_M_PER_MIN)

    pidx, nodes, legs = [], [], []
    if road_ok.any():
        i = np.flatnonzero(road_ok)
        ei = edge[i]
        u, v = eu[ei], ev[ei]
        t = e_time[ei]
        oneway = e_oneway[ei]
        s = frac[i]
        w = walk[i]
        # along u->v is always allowed; against it only off one-way roads, or when the
        # point sits on the end node itself (nothing to drive)
        if into_point:  # node -> point: from u along u->v; from v needs v->u
            back = ~oneway | (s >= 1 - 1e-12)
            pidx += [i, i[back]]
            nodes += [u, v[back]]
            legs += [w + s * t, (w + (1 - s) * t)[back]]
        else:  # point -> node: to v along u->v; to u needs v->u
            back = ~oneway | (s <= 1e-12)
            pidx += [i, i[back]]
            nodes += [v, u[back]]
            legs += [w + (1 - s) * t, (w + s * t)[back]]
    if lat is not None:
        own = np.flatnonzero(cell >= 0)
        d = np.hypot(*(net.node_xy[cell[own]] - xy[own]).T)
        pidx.append(own)
        nodes.append(cell[own])
        legs.append(d / (speed_kph[own] * KPH_TO_M_PER_MIN))
        snapped = np.flatnonzero(snap_node >= 0)
        if len(snapped):
            rr, cc = _cell_rc(net, snap_node[snapped])
            pidx.append(snapped)
            nodes.append(snap_node[snapped])
            legs.append(snap_d[snapped] / (lat.speed_kph[rr, cc] * KPH_TO_M_PER_MIN))
    return PointAttachment(
        point=concat(pidx, np.int64),
        node=concat(nodes, np.int64),
        leg_min=concat(legs, float),
        road_ok=road_ok,
        road_edge=edge,
        road_frac=frac,
        road_walk_min=walk,
        access_dist_m=road_d,
        cell=cell,
        cell_speed_kph=speed_kph,
        snap_dist_m=snap_d,
        xy=xy,
    )


def _empty_pairs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)


def direct_trips(
    net: Network, home: PointAttachment, fac: PointAttachment
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Direct trips between homes and facilities that share a road piece or a lattice cell.

    The graph only knows a piece's end nodes and a cell's centre; a home and a facility
    on the same piece, or in the same cell, would otherwise be timed through them.
    Returns (home index, facility index, minutes).
    """
    parts = [_empty_pairs()]
    h = np.flatnonzero(home.road_ok)
    f = np.flatnonzero(fac.road_ok)
    if len(h) and len(f):
        pairs = pd.DataFrame({"h": h, "edge": home.road_edge[h]}).merge(
            pd.DataFrame({"f": f, "edge": fac.road_edge[f]}), on="edge"
        )
        if len(pairs):
            hi, fi, ei = (pairs[c].to_numpy() for c in ("h", "f", "edge"))
            _, _, e_time, e_oneway = _edge_arrays(net)
            t = e_time[ei]
            oneway = e_oneway[ei]
            ds = fac.road_frac[fi] - home.road_frac[hi]  # > 0: the facility lies downstream (u -> v)
            allowed = (ds >= 0) | ~oneway
            minutes = home.road_walk_min[hi] + fac.road_walk_min[fi] + np.abs(ds) * t
            parts.append((hi[allowed], fi[allowed], minutes[allowed]))
    h = np.flatnonzero(home.cell >= 0)
    f = np.flatnonzero(fac.cell >= 0)
    if len(h) and len(f):
        pairs = pd.DataFrame({"h": h, "cell": home.cell[h]}).merge(
            pd.DataFrame({"f": f, "cell": fac.cell[f]}), on="cell"
        )
        if len(pairs):
            hi, fi = pairs["h"].to_numpy(), pairs["f"].to_numpy()
            d = np.hypot(*(home.xy[hi] - fac.xy[fi]).T)
            parts.append((hi, fi, d / (home.cell_speed_kph[hi] * KPH_TO_M_PER_MIN)))
    return (
        concat([p[0] for p in parts], np.int64),
        concat([p[1] for p in parts], np.int64),
        concat([p[2] for p in parts], float),
    )


def _prepare_facilities(
    facilities: gpd.GeoDataFrame, id_col: str, net: Network, max_access_m: float
) -> tuple[np.ndarray, PointAttachment]:
    """Validate facilities; return (ids, how each joins the graph)."""
    require_frame(facilities, "facilities")
    require_crs(facilities, "facilities")
    require_columns(facilities, [id_col], "facilities")
    id_values = facilities[id_col]
    if not id_values.is_unique:  # the hash check; the error lists the duplicates
        require_unique(facilities, id_col, "facilities")
    geometry = facilities.geometry  # read once: each lookup goes through pandas
    values = geometry.values
    geoms = np.asarray(values)
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not located.all():
        missing = facilities.loc[~located, id_col].astype(str).tolist()
        warnings.warn(
            f"{len(missing)} facilities have no location and are left out of the search: {missing}. "
            "Relocate them (geoaccess.read_facilities(..., relocate='kecamatan')) to include them.",
            GeoAccessWarning,
            stacklevel=3,
        )
        id_values, values = id_values[located], values[located]
    if len(values) == 0:
        raise EmptyInputError("no facility has a location", argument="facilities")
    ids = id_values.astype(str).to_numpy()
    x, y = _xy_of(values, geometry.crs, net)
    att = attach_points(net, x, y, max_access_m, into_point=True)
    unattached = ~att.attached
    if unattached.any():
        warnings.warn(
            f"{int(unattached.sum())} facilities cannot be reached by anyone: they are farther than "
            f"{max_access_m:g} m from any road and from any passable lattice cell on their side of a "
            f"barrier: {ids[unattached].tolist()}. Check their coordinates, or widen the study area "
            "or max_access_m.",
            GeoAccessWarning,
            stacklevel=3,
        )
    far = np.isfinite(att.snap_dist_m) & (att.snap_dist_m > DEFAULT_SNAP_FLAG_M)
    if far.any():
        warnings.warn(
            f"{int(far.sum())} facilities lie off passable ground (a barrier, impassable land or outside "
            f"the study area) and join the lattice more than {DEFAULT_SNAP_FLAG_M:g} m away: "
            f"{ids[far].tolist()}. Check their coordinates.",
            GeoAccessWarning,
            stacklevel=3,
        )
    return ids, att


def _augmented_reverse(net: Network, fac: PointAttachment, n_fac: int) -> sp.csr_matrix:
    """Reversed graph with one virtual row per facility (edges virtual → attachment node).

    A fresh copy; :func:`_search_graph` gives the same matrix without copying the graph.
    """
    g = net.graph_reversed
    n = g.shape[0]
    order = np.argsort(fac.point, kind="stable")
    fi, node, leg = fac.point[order], fac.node[order], fac.leg_min[order]
    counts = np.bincount(fi, minlength=n_fac)
    indptr = np.concatenate([g.indptr, g.indptr[-1] + np.cumsum(counts)])
    indices = np.concatenate([g.indices, node])
    data = np.concatenate([g.data, np.maximum(leg, MIN_EDGE_MIN)])
    return sp.csr_matrix((data, indices, indptr), shape=(n + n_fac, n + n_fac))


class _SearchBuffer:
    """The reversed graph of one network with room for virtual facility rows.

    Built once per network (the reversed graph is copied once into buffers with spare
    rows and entries at the end); each search writes its facilities' rows into the spare
    part and searches a CSR matrix made of views of the buffers, so no search copies the
    graph. ``lock`` guards the spare part: one search at a time uses a buffer.
    """

    def __init__(self, rev: sp.csr_matrix, rows: int, entries: int, *, reverse: bool = False) -> None:
        n, nnz = rev.shape[0], rev.nnz
        big = max(n + rows, nnz + entries) >= np.iinfo(np.int32).max
        idx = np.int64 if big else np.int32
        self.n, self.nnz = n, nnz
        self.indptr = np.empty(n + rows + 1, dtype=idx)
        self.indices = np.empty(nnz + entries, dtype=idx)
        self.data = np.empty(nnz + entries, dtype=np.float64)
        if reverse and csr_tocsc is None:  # scipy without the private routine: reverse, then copy
            rev, reverse = rev.transpose().tocsr(), False
        if reverse:  # ``rev`` is the graph: reversed straight into the buffers, no copy
            # the routine of ``graph.transpose().tocsr()``, writing into the buffers' views
            csr_tocsc(
                n,
                n,
                rev.indptr.astype(idx, copy=False),
                rev.indices.astype(idx, copy=False),
                rev.data.astype(np.float64, copy=False),
                self.indptr[: n + 1],
                self.indices[:nnz],
                self.data[:nnz],
            )
        else:
            self.indptr[: n + 1] = rev.indptr
            self.indices[:nnz] = rev.indices
            self.data[:nnz] = rev.data
        self.lock = threading.Lock()

    def fits(self, rows: int, entries: int) -> bool:
        return self.n + rows + 1 <= len(self.indptr) and self.nnz + entries <= len(self.data)

    def matrix(self, fac: PointAttachment, n_fac: int) -> sp.csr_matrix:
        """The reversed graph plus ``n_fac`` virtual rows: equal to :func:`_augmented_reverse`."""
        n, nnz = self.n, self.nnz
        order = np.argsort(fac.point, kind="stable")
        m = len(order)
        counts = np.bincount(fac.point[order], minlength=n_fac)
        np.cumsum(counts, out=self.indptr[n + 1 : n + n_fac + 1])
        self.indptr[n + 1 : n + n_fac + 1] += self.indptr[n]
        self.indices[nnz : nnz + m] = fac.node[order]
        np.maximum(fac.leg_min[order], MIN_EDGE_MIN, out=self.data[nnz : nnz + m])
        shape = (n + n_fac, n + n_fac)
        return sp.csr_matrix(
            (self.data[: nnz + m], self.indices[: nnz + m], self.indptr[: n + n_fac + 1]),
            shape=shape,
            copy=False,
        )


#: One :class:`_SearchBuffer` per live network (dropped with the network).
_BUFFERS: weakref.WeakKeyDictionary[Network, _SearchBuffer] = weakref.WeakKeyDictionary()
_BUFFERS_LOCK = threading.Lock()


def release_search_buffer(net: Network) -> None:
    """Free the search buffer a network keeps between searches (about the size of its
    graph); the next search builds it again. For a network searched once, e.g. the
    referral leg's of :func:`geoaccess.run_access`.

    Parameters
    ----------
    net : Network
        The network whose buffer to free. Nothing happens when it has none, or while a
        search is using it.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> net = ga.build_network(roads, "motorbike", offroad=False)
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
    ...     geometry=[shapely.Point(402_000, 9_590_000)])
    >>> near = ga.nearest(net, pkm)
    >>> net in _BUFFERS  # the search kept a buffer for the next one
    True
    >>> release_search_buffer(net)
    >>> net in _BUFFERS
    False
    >>> round(float(ga.nearest(net, pkm).time_min[0]), 2)  # a new search builds it again: 2 km at 25 km/h
    4.8
    """
    with _BUFFERS_LOCK:
        buf = _BUFFERS.get(net)
        if buf is not None and not buf.lock.locked():
            del _BUFFERS[net]


@contextmanager
def _search_graph(net: Network, fac: PointAttachment, n_fac: int) -> Iterator[sp.csr_matrix]:
    """The reversed graph with one virtual row per facility, for the duration of a search.

    Equal to :func:`_augmented_reverse` but without copying the graph per search: the
    network's :class:`_SearchBuffer` is reused (built on first use, grown when a search
    has more facilities or legs than it has room for). When another thread is searching
    the same network, this search gets a private copy instead.
    """
    rows, entries = n_fac, len(fac.point)
    with _BUFFERS_LOCK:
        buf = _BUFFERS.get(net)
        if buf is None or not buf.fits(rows, entries):
            if buf is not None and buf.lock.locked():
                buf = None  # busy and too small: a private copy below
            else:
                cached = net.__dict__.get("graph_reversed")  # reuse it when already built
                reverse = cached is None  # else the graph is reversed into the buffer, no copy
                rev = net.graph if cached is None else cached
                # spare entries at most about the graph's size: scipy copies a view
                # of less than half its base array
                spare = max(2 * entries, min(16384, rev.nnz))
                buf = _SearchBuffer(rev, max(2 * rows, 4096), spare, reverse=reverse)
                del rev
                _BUFFERS[net] = buf
    if buf is None or not buf.lock.acquire(blocking=False):
        yield _augmented_reverse(net, fac, n_fac)
        return
    try:
        yield buf.matrix(fac, n_fac)
    finally:
        buf.lock.release()


def check_network(network: Any) -> None:
    """Raise unless ``network`` is a :class:`Network`."""
    if not isinstance(network, Network):
        raise InputValidationError(
            f"expected a geoaccess Network, got {type(network).__name__}; build one with "
            "geoaccess.build_network()",
            argument="network",
        )


def check_origins(origins: Any) -> None:
    """Raise unless ``origins`` is a GeoDataFrame with a CRS and a geometry on every row,
    or a cell table (a DataFrame indexed by lattice node ids with ``row`` and ``col``,
    which :func:`points_xy` checks against the network: :meth:`Network.check_cell_table`)."""
    if isinstance(origins, pd.DataFrame) and not isinstance(origins, gpd.GeoDataFrame):
        return
    require_frame(origins, "origins")
    require_crs(origins, "origins")
    bad = origins.geometry.isna() | origins.geometry.is_empty
    if bad.any():
        idx = origins.index[bad].tolist()
        raise InputValidationError(
            f"{len(idx)} origins have no geometry (index {idx[:10]}); drop or fix them first",
            argument="origins",
        )


def origin_population(origins: gpd.GeoDataFrame, population_col: str) -> np.ndarray:
    """People per origin as floats; missing, negative or infinite figures are refused.

    Parameters
    ----------
    origins : GeoDataFrame
        The origins (desa points, cells, ...).
    population_col : str
        Their column of people; numbers or text that reads as a number.

    Returns
    -------
    ndarray of float
        One figure per origin, in row order.

    Raises
    ------
    MissingColumnError
        Without ``population_col``.
    InputValidationError
        Naming the origins (index) whose figure is missing, negative or infinite.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> desa = gpd.GeoDataFrame({"population": [1200, "350"]}, crs="EPSG:4326",
    ...     geometry=[shapely.Point(103.80, -3.70), shapely.Point(103.81, -3.71)])
    >>> origin_population(desa, "population").tolist()
    [1200.0, 350.0]
    """
    require_columns(origins, [population_col], "origins")
    pop = pd.to_numeric(origins[population_col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(pop) | (pop < 0)
    if bad.any():
        rows = origins.index[bad].tolist()
        raise InputValidationError(
            f"{int(bad.sum())} origins have a missing, negative or infinite {population_col!r} "
            f"(index {rows[:10]}); fix or drop them first",
            argument="origins",
        )
    return pop


def _check_limit(max_time_min: float | None) -> float:
    if max_time_min is None:
        return np.inf
    return check_number(max_time_min, "max_time_min", allow_inf=True, unit="minutes")


def _check_access(max_access_m: float | None) -> float:
    if max_access_m is None:
        return DEFAULT_MAX_ACCESS_M
    return check_number(max_access_m, "max_access_m", unit="m")


#: Mode bits of a path (:func:`path_modes`): along a mapped road piece; on a boat.
ROAD_BIT, BOAT_BIT = 1, 2
#: The mode chains a trip is labelled with, by its mode bits (0 to 3).
MODE_CHAINS = ("offroad", "road", "boat", "road+boat")


def _water_nodes(net: Network) -> np.ndarray:
    """Boolean per graph node: a waterway node (boats only)."""
    out = np.zeros(net.n_nodes, dtype=bool)
    e = net.edges
    if "waterway" in e.columns and len(e):
        w = e["waterway"].to_numpy(dtype=bool)
        out[e["u"].to_numpy(dtype=np.int64)[w]] = True
        out[e["v"].to_numpy(dtype=np.int64)[w]] = True
    return out


def _chain_names(bits: np.ndarray, reach: np.ndarray) -> np.ndarray:
    out = np.asarray(MODE_CHAINS, dtype=object)[np.asarray(bits, dtype=np.int64) & 3]
    out[~np.asarray(reach, dtype=bool)] = None
    return out


def road_legs(net: Network, att: PointAttachment) -> np.ndarray:
    """Boolean per leg of ``att``: it runs along part of a road piece (not just a walk to a node)."""
    node = att.node
    on_road = (node < net.n_road_nodes) & ~_water_nodes(net)[node]
    return on_road & (att.leg_min - att.road_walk_min[att.point] > 1e-9)


def path_modes(
    net: Network, pred: np.ndarray, facilities: PointAttachment | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Mode bits and boats boarded along every node's path in a shortest-path forest.

    Parameters
    ----------
    net : Network
        The network searched.
    pred : ndarray of int
        Predecessors of a search of :func:`nearest` (reversed graph plus one virtual node
        per facility, ids from ``net.n_nodes``): the next node towards the facility.
    facilities : PointAttachment, optional
        How the facilities joined the graph: a last step from a road node onto a
        facility counts as road when that facility's leg runs along its road piece.

    Returns
    -------
    bits : ndarray of int8
        Per graph node: :data:`ROAD_BIT` when its path runs along a road piece (between
        two road nodes, or the facility's last leg along its piece), :data:`BOAT_BIT` when
        it runs along a waterway piece.
    boardings : ndarray of int64
        Per graph node: land-to-waterway steps (boats boarded) on its path.

    Notes
    -----
    No second search: each node's own step (node -> predecessor) is classified, then
    the flags and counts are carried down the forest by pointer jumping (each round
    doubles the stretch of path a node has summed, so about log2 of the longest path
    rounds of vectorised work).

    Examples
    --------
    A puskesmas at the east landing of a 3.75 km river, on foot (3 km/h off road, no
    road): from the west landing the ketek is faster (15 min boarding wait + 3.75 km at
    8 km/h = 43.1 min, against 75 min walking); from 500 m west of the puskesmas the
    walk is (10 min):

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> river = gpd.GeoSeries([shapely.LineString([(400_125, 9_590_125), (403_875, 9_590_125)])],
    ...     crs="EPSG:32748")
    >>> landings = gpd.GeoSeries(shapely.points([(400_125, 9_590_125), (403_875, 9_590_125)]),
    ...     crs="EPSG:32748")
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 404_000, 9_590_500)], crs="EPSG:32748")
    >>> net = ga.build_network(None, "walk", area=area, waterways=river, landings=landings)
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
    ...     geometry=[shapely.Point(403_875, 9_590_125)])
    >>> near = ga.nearest(net, pkm)
    >>> bits, boardings = path_modes(net, near.predecessors, near.facilities)
    >>> node = net.lattice.cell_of_xy([400_125, 403_375], [9_590_125, 9_590_125])
    >>> bits[node].tolist(), boardings[node].tolist()  # BOAT_BIT = 2, and no mode bit
    ([2, 0], [1, 0])
    """
    n = net.n_nodes
    p = np.asarray(pred, dtype=np.int64).copy()
    m = len(p)
    water = np.zeros(m, dtype=bool)
    water[:n] = _water_nodes(net)
    road = np.zeros(m, dtype=bool)
    road[: net.n_road_nodes] = True
    road &= ~water
    root = p < 0
    p[root] = np.flatnonzero(root)
    virtual = p >= n  # the step onto the facility itself
    real = ~virtual & ~root
    bits = np.zeros(m, dtype=np.int8)
    last = np.zeros(m, dtype=bool)  # the step onto the facility runs along a road piece
    if facilities is not None:
        ok = road_legs(net, facilities)
        key = (facilities.point[ok] + n) * m + facilities.node[ok]
        v = np.flatnonzero(virtual)
        last[v[np.isin(p[v] * m + v, key)]] = True
    bits[(road & real & road[p]) | last] |= ROAD_BIT
    bits[water & real & water[p]] |= BOAT_BIT
    board = (~water & real & water[p]).astype(np.int64)
    while True:
        pp = p[p]
        if np.array_equal(pp, p):
            break
        bits = bits | bits[p]
        board = board + board[p]
        p = pp
    return bits[:n], board[:n]


@dataclass(frozen=True, eq=False)
class NearestFacility:
    """The result of one multi-source search: every graph node's nearest facility.

    Build it with :func:`nearest`; read it at points (:meth:`at_points`) and lattice
    cells (:meth:`at_cells`) without searching again. It is the baseline that
    scenarios, flood-season networks and candidate sites are compared against.

    Attributes
    ----------
    network : Network
        The network searched.
    facility_ids : ndarray of str
        The located facilities, in search order.
    time_min : ndarray of float
        Per graph node, minutes to the nearest facility (inf: none within reach).
    facility_index : ndarray of int
        Per graph node, the position in :attr:`facility_ids` of that facility (-1: none).
    max_access_m : float
        The longest straight leg into the graph, for facilities and for the points read.
    max_time_min : float
        The search stopped here (inf: unbounded).
    facilities : PointAttachment
        How each facility joins the graph (for direct trips at :meth:`at_points`).
    predecessors : ndarray of int or None
        The shortest-path forest of the search: per node of the search graph (the graph
        nodes, then one virtual node per facility), the next node on its fastest path
        to the facility (< 0 at the facilities and unreached nodes). Read by
        :meth:`mode_chain_at_nodes` and :meth:`mode_chain_at_points`.

    Examples
    --------
    One search from a puskesmas at the east end of a 2 km road (motorbike, 25 km/h on a
    ``lokal`` road, 10 km/h off road), read at two homes and at the 32 cells of 250 m:

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> net = ga.build_network(roads, "motorbike", area=area)
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
    ...     geometry=[shapely.Point(402_000, 9_590_000)])
    >>> near = ga.nearest(net, pkm)
    >>> near
    <geoaccess.NearestFacility: 1 facilities, 100% of 49 nodes reached, mode='motorbike'>
    >>> homes = gpd.GeoDataFrame({"desa": ["A", "B"]}, crs="EPSG:32748",
    ...     geometry=[shapely.Point(400_000, 9_590_000), shapely.Point(401_000, 9_590_000)])
    >>> near.at_points(homes)["travel_time_min"].round(2).tolist()  # 2 km, 1 km at 25 km/h
    [4.8, 2.4]
    >>> cells = near.at_cells()
    >>> len(cells), round(float(cells["travel_time_min"].max()), 2)
    (32, 8.25)
    """

    network: Network = field(repr=False)
    facility_ids: np.ndarray = field(repr=False)
    time_min: np.ndarray = field(repr=False)
    facility_index: np.ndarray = field(repr=False)
    max_access_m: float
    max_time_min: float
    facilities: PointAttachment = field(repr=False)
    predecessors: np.ndarray | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        reached = np.isfinite(self.time_min).mean() if len(self.time_min) else 0.0
        return (
            f"<geoaccess.NearestFacility: {len(self.facility_ids)} facilities, "
            f"{reached:.0%} of {len(self.time_min):,} nodes reached, mode={self.network.mode!r}>"
        )

    def _ids(self, idx: np.ndarray, reach: np.ndarray) -> np.ndarray:
        out = np.full(len(idx), None, dtype=object)
        ok = reach & (idx >= 0)
        out[ok] = self.facility_ids[idx[ok]]
        return out

    def at_points(
        self,
        origins: gpd.GeoDataFrame,
        *,
        far_from_road_m: float = DEFAULT_FAR_FROM_ROAD_M,
        snap_flag_m: float = DEFAULT_SNAP_FLAG_M,
        prefix: str = "",
    ) -> gpd.GeoDataFrame:
        """Time from each origin to its nearest facility (no new search).

        Parameters
        ----------
        origins : GeoDataFrame
            Points, or polygons (their representative point is used). Any CRS.
        far_from_road_m : float
            Origins farther than this from any mapped road are flagged ``far_from_road``.
        snap_flag_m : float
            Origins that join the lattice farther than this from where they lie are
            flagged ``snapped_far``.
        prefix : str
            Put before every output column name (e.g. ``"hospital_"``). Output columns
            that already exist in ``origins`` are refused, never overwritten.

        Returns
        -------
        GeoDataFrame
            A new frame on ``origins``' index and CRS: the origins' columns plus
            ``travel_time_min`` (NaN when unreachable), ``facility_id`` (None when
            unreachable), ``reachable``, ``access_dist_m`` (straight line to the nearest
            mapped road), ``far_from_road``, ``snap_dist_m`` (0 on passable ground,
            else the leg to the passable cell joined on the origin's side of any
            barrier; NaN for a road-only network) and ``snapped_far``.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
        ...     geometry=[shapely.Point(402_000, 9_590_000)])
        >>> near = ga.nearest(net, pkm)
        >>> homes = gpd.GeoDataFrame({"desa": ["A", "B"]}, crs="EPSG:32748",
        ...     geometry=[shapely.Point(400_000, 9_590_000), shapely.Point(401_000, 9_590_300)])
        >>> out = near.at_points(homes, prefix="pkm_")
        >>> out[["desa", "pkm_travel_time_min", "pkm_access_dist_m"]].round(2)
          desa  pkm_travel_time_min  pkm_access_dist_m
        0    A                 4.80                0.0
        1    B                 6.72              300.0
        """
        check_origins(origins)
        check_positive(far_from_road_m, "far_from_road_m")
        check_positive(snap_flag_m, "snap_flag_m")
        if not isinstance(prefix, str):
            raise InputValidationError(f"must be a string, got {type(prefix).__name__}", argument="prefix")
        names = [prefix + c for c in OUTPUT_COLUMNS]
        clash = [c for c in names if c in origins.columns]
        if clash:
            raise InputValidationError(
                f"origins already have the output column(s) {clash}; pass prefix= (e.g. "
                f"prefix='hospital_') or drop them first (origins.drop(columns={clash}))",
                argument="origins",
            )
        net = self.network
        x, y = points_xy(origins, net)
        home = attach_points(net, x, y, self.max_access_m, into_point=False)
        best, best_fac, _ = self._best(home)
        reach = np.isfinite(best) & (best <= self.max_time_min)
        out = origins.copy()
        values = {
            "travel_time_min": np.where(reach, best, np.nan),
            "facility_id": pd.Series(self._ids(best_fac, reach), index=out.index, dtype="object"),
            "reachable": reach,
            "access_dist_m": home.access_dist_m,
            "far_from_road": home.access_dist_m > far_from_road_m,
            "snap_dist_m": home.snap_dist_m,
            "snapped_far": np.nan_to_num(home.snap_dist_m, nan=0.0, posinf=np.inf) > snap_flag_m,
        }
        for c in OUTPUT_COLUMNS:
            out[prefix + c] = values[c]
        n_far = int(out[prefix + "far_from_road"].sum())
        if n_far:
            log.info("%d origins are more than %g m from any mapped road", n_far, far_from_road_m)
        return out

    def _best(self, home: PointAttachment) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per origin: the fastest time, its facility (index) and the candidate that won
        (position in the home legs, then ``len(home.point) + k`` for direct trip k; -1 none)."""
        hi, fi, direct = direct_trips(self.network, home, self.facilities)
        cand_o = np.concatenate([home.point, hi])
        cand_t = np.concatenate([home.leg_min + self.time_min[home.node], direct])
        cand_f = np.concatenate([self.facility_index[home.node], fi])
        n = len(home.xy)
        best = np.full(n, np.inf)
        best_fac = np.full(n, -1)
        win = np.full(n, -1, dtype=np.int64)
        order = np.lexsort((cand_t, cand_o))  # per origin, fastest candidate first
        o_s = cand_o[order]
        first = np.ones(len(o_s), dtype=bool)
        first[1:] = o_s[1:] != o_s[:-1]
        best[o_s[first]] = cand_t[order][first]
        best_fac[o_s[first]] = cand_f[order][first]
        win[o_s[first]] = order[first]
        return best, best_fac, win

    @cached_property
    def _chains(self) -> tuple[np.ndarray, np.ndarray]:
        """Per graph node: the mode bits of its fastest path (:data:`ROAD_BIT`,
        :data:`BOAT_BIT`) and the boats boarded on it, read off the shortest-path forest."""
        if self.predecessors is None:
            raise InputValidationError(
                "this result has no shortest-path forest; search again with geoaccess.nearest()",
                argument="self",
            )
        return path_modes(self.network, self.predecessors, self.facilities)

    def mode_chain_at_nodes(self, node: np.ndarray) -> np.ndarray:
        """How the fastest trip from each graph node travels (no new search).

        Parameters
        ----------
        node : ndarray of int
            Graph node ids (e.g. lattice cells, from :meth:`Lattice.cell_of_xy`).

        Returns
        -------
        ndarray of object
            One of :data:`MODE_CHAINS` per node (None where no facility is within reach):
            ``"road"`` (along at least one mapped road, no boat), ``"boat"`` (a boat and
            no mapped road: over land to a landing, the boat, over land), ``"road+boat"``
            (both) or ``"offroad"`` (neither: across the off-road lattice only).

        Examples
        --------
        A puskesmas at the east landing of a 3.75 km river, on foot (3 km/h off road, no
        road): from the west landing the ketek is faster (15 min boarding wait + 3.75 km at
        8 km/h = 43.1 min, against 75 min walking); from 500 m west of the puskesmas the
        walk is (10 min):

        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> river = gpd.GeoSeries([shapely.LineString([(400_125, 9_590_125), (403_875, 9_590_125)])],
        ...     crs="EPSG:32748")
        >>> landings = gpd.GeoSeries(shapely.points([(400_125, 9_590_125), (403_875, 9_590_125)]),
        ...     crs="EPSG:32748")
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 404_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(None, "walk", area=area, waterways=river, landings=landings)
        >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
        ...     geometry=[shapely.Point(403_875, 9_590_125)])
        >>> near = ga.nearest(net, pkm)
        >>> node = net.lattice.cell_of_xy([400_125, 403_375], [9_590_125, 9_590_125])
        >>> near.mode_chain_at_nodes(node).tolist()
        ['boat', 'offroad']
        >>> near.at_nodes(node)[0].round(1).tolist()
        [43.1, 10.0]
        """
        node = np.asarray(node, dtype=np.int64)
        bits, _ = self._chains
        _, _, reach = self.at_nodes(node)
        return _chain_names(bits[node], reach)

    def boardings_at_nodes(self, node: np.ndarray) -> np.ndarray:
        """Boats boarded on the fastest trip from each graph node (0 where unreachable).

        Parameters
        ----------
        node : ndarray of int
            Graph node ids (e.g. lattice cells, from :meth:`Lattice.cell_of_xy`).

        Returns
        -------
        ndarray of int
            Land-to-waterway steps on each node's fastest trip.

        Examples
        --------
        A puskesmas at the east landing of a 3.75 km river, on foot (3 km/h off road, no
        road): from the west landing the ketek is faster (15 min boarding wait + 3.75 km at
        8 km/h = 43.1 min, against 75 min walking); from 500 m west of the puskesmas the
        walk is (10 min):

        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> river = gpd.GeoSeries([shapely.LineString([(400_125, 9_590_125), (403_875, 9_590_125)])],
        ...     crs="EPSG:32748")
        >>> landings = gpd.GeoSeries(shapely.points([(400_125, 9_590_125), (403_875, 9_590_125)]),
        ...     crs="EPSG:32748")
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 404_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(None, "walk", area=area, waterways=river, landings=landings)
        >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
        ...     geometry=[shapely.Point(403_875, 9_590_125)])
        >>> near = ga.nearest(net, pkm)
        >>> node = net.lattice.cell_of_xy([400_125, 403_375], [9_590_125, 9_590_125])
        >>> near.boardings_at_nodes(node).tolist()  # one ketek, then none
        [1, 0]
        """
        node = np.asarray(node, dtype=np.int64)
        _, board = self._chains
        _, _, reach = self.at_nodes(node)
        return np.where(reach, board[node], 0)

    def mode_chain_at_points(self, origins: gpd.GeoDataFrame) -> pd.DataFrame:
        """How the fastest trip from each origin travels, read like :meth:`at_points`.

        Returns
        -------
        DataFrame
            On ``origins``' index: ``mode_chain`` (see :meth:`mode_chain_at_nodes`; a
            first leg along a road piece counts as road; None when unreachable) and
            ``boat_boardings`` (boats boarded on the way).

        Parameters
        ----------
        origins : GeoDataFrame
            Points, or polygons (their representative point is used). Any CRS.

        Examples
        --------
        A puskesmas at the east landing of a 3.75 km river, on foot (3 km/h off road, no
        road): from the west landing the ketek is faster (15 min boarding wait + 3.75 km at
        8 km/h = 43.1 min, against 75 min walking); from 500 m west of the puskesmas the
        walk is (10 min):

        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> river = gpd.GeoSeries([shapely.LineString([(400_125, 9_590_125), (403_875, 9_590_125)])],
        ...     crs="EPSG:32748")
        >>> landings = gpd.GeoSeries(shapely.points([(400_125, 9_590_125), (403_875, 9_590_125)]),
        ...     crs="EPSG:32748")
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 404_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(None, "walk", area=area, waterways=river, landings=landings)
        >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
        ...     geometry=[shapely.Point(403_875, 9_590_125)])
        >>> near = ga.nearest(net, pkm)
        >>> homes = gpd.GeoDataFrame({"desa": ["A", "B"]}, crs="EPSG:32748",
        ...     geometry=shapely.points([(400_125, 9_590_125), (403_375, 9_590_125)]))
        >>> near.mode_chain_at_points(homes)
          mode_chain  boat_boardings
        0       boat               1
        1    offroad               0
        >>> near.at_points(homes)["travel_time_min"].round(1).tolist()
        [43.1, 10.0]
        """
        check_origins(origins)
        net = self.network
        x, y = points_xy(origins, net)
        home = attach_points(net, x, y, self.max_access_m, into_point=False)
        best, _, win = self._best(home)
        reach = np.isfinite(best) & (best <= self.max_time_min)
        bits_all, board_all = self._chains
        k = len(home.point)
        bits = np.zeros(len(origins), dtype=np.int8)
        board = np.zeros(len(origins), dtype=np.int64)
        via = np.flatnonzero(reach & (win >= 0) & (win < k))  # through the graph
        node = home.node[win[via]]
        bits[via] = bits_all[node] | np.where(road_legs(net, home)[win[via]], ROAD_BIT, 0)
        board[via] = board_all[node]
        direct = np.flatnonzero(reach & (win >= k))  # a shared road piece, or a shared cell
        if len(direct):
            hi, fi, _ = direct_trips(net, home, self.facilities)
            j = win[direct] - k
            same_piece = (
                home.road_ok[hi[j]]
                & self.facilities.road_ok[fi[j]]
                & (home.road_edge[hi[j]] == self.facilities.road_edge[fi[j]])
            )
            bits[direct] = np.where(same_piece, ROAD_BIT, 0)
        return pd.DataFrame(
            {
                "mode_chain": pd.Series(_chain_names(bits, reach), index=origins.index, dtype="object"),
                "boat_boardings": np.where(reach, board, 0),
            },
            index=origins.index,
        )

    def at_cells(self) -> gpd.GeoDataFrame:
        """Time from every passable lattice cell (its centre) to the nearest facility.

        Returns
        -------
        GeoDataFrame
            :meth:`Network.cells` with ``travel_time_min`` (NaN unreachable),
            ``facility_id`` and ``reachable``, in the network CRS, indexed by graph node id.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
        ...     geometry=[shapely.Point(402_000, 9_590_000)])
        >>> near = ga.nearest(net, pkm)
        >>> cells = near.at_cells()
        >>> len(cells), round(float(cells["travel_time_min"].min()), 2)
        (32, 1.05)
        """
        cells = self.network.cells()
        t, fid, reach = self.at_nodes(cells.index.to_numpy())
        cells["travel_time_min"] = t
        cells["facility_id"] = pd.Series(fid, index=cells.index, dtype="object")
        cells["reachable"] = reach
        return cells

    def at_nodes(self, node: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(minutes, NaN unreachable; facility id, None unreachable; reachable) at graph nodes.

        Parameters
        ----------
        node : ndarray of int
            Graph node ids.

        Returns
        -------
        minutes : ndarray of float
            NaN where unreachable.
        facility_id : ndarray of object
            The nearest facility's id, None where unreachable.
        reachable : ndarray of bool

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
        ...     geometry=[shapely.Point(402_000, 9_590_000)])
        >>> near = ga.nearest(net, pkm)
        >>> minutes, ids, ok = near.at_nodes(np.array([0, net.n_road_nodes - 1]))
        >>> minutes.round(2).tolist(), ids.tolist()  # the road's two ends
        ([4.8, 0.0], ['P1', 'P1'])
        """
        d = self.time_min[node]
        reach = np.isfinite(d) & (d <= self.max_time_min)
        return np.where(reach, d, np.nan), self._ids(self.facility_index[node], reach), reach


def nearest(
    network: Network,
    facilities: gpd.GeoDataFrame,
    *,
    facility_id_col: str = "facility_id",
    max_access_m: float | None = None,
    max_time_min: float | None = None,
) -> NearestFacility:
    """One multi-source search: the nearest facility and its time for every graph node.

    Parameters
    ----------
    network : Network
        From :func:`geoaccess.build_network`.
    facilities : GeoDataFrame
        Destinations (points, any CRS) with a unique ``facility_id_col``. Rows without a
        location are left out with a :class:`GeoAccessWarning` naming them, and so are
        (with a warning) facilities that cannot join the graph.
    facility_id_col : str
        Column with the facility id (default ``facility_id``).
    max_access_m : float, optional
        Longest straight leg into the graph (m), default :data:`DEFAULT_MAX_ACCESS_M`:
        for points whose own lattice cell is not passable, and for every point of a
        road-only network. The same value applies to the origins read from the result.
    max_time_min : float, optional
        Stop the search at this many minutes; nodes beyond it come back unreachable.

    Returns
    -------
    NearestFacility

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess import build_network
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]},
    ...     geometry=[shapely.LineString([(0, 0), (10_000, 0)])], crs="EPSG:32748")
    >>> net = build_network(roads, "car", offroad=False)
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["A"]},
    ...     geometry=[shapely.Point(10_000, 0)], crs="EPSG:32748")
    >>> res = nearest(net, pkm)
    >>> homes = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0), shapely.Point(5_000, 0)],
    ...     crs="EPSG:32748")
    >>> res.at_points(homes)["travel_time_min"].round(6).tolist()  # 10 and 5 km at 20 km/h
    [30.0, 15.0]
    """
    check_network(network)
    limit = _check_limit(max_time_min)
    access = _check_access(max_access_m)
    ids, fac = _prepare_facilities(facilities, facility_id_col, network, access)
    n = network.n_nodes
    with _search_graph(network, fac, len(ids)) as g:
        dist, pred, src = dijkstra(
            g,
            directed=True,
            indices=n + np.arange(len(ids)),
            min_only=True,
            return_predecessors=True,
            limit=limit,
        )
    src = src[:n]  # the graph nodes' (the virtual ones are the facilities themselves)
    fac_idx = np.where(src >= n, src - n, -1)
    return NearestFacility(network, ids, dist[:n], fac_idx, access, limit, fac, pred)


def travel_time(
    network: Network,
    origins: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    *,
    facility_id_col: str = "facility_id",
    max_access_m: float | None = None,
    far_from_road_m: float = DEFAULT_FAR_FROM_ROAD_M,
    max_time_min: float | None = None,
    prefix: str = "",
) -> gpd.GeoDataFrame:
    """Travel time from every origin to its nearest facility, with one multi-source search.

    Shortcut for ``nearest(network, facilities, ...).at_points(origins, ...)``; when
    you read the same facilities at several sets of points, call :func:`nearest` once.

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
        See :func:`nearest`.
    far_from_road_m : float
        Origins farther than this from any road are flagged ``far_from_road``.
    max_time_min : float, optional
        Stop the search at this many minutes; origins beyond it come back unreachable.
    prefix : str
        Put before every output column (see :meth:`NearestFacility.at_points`).

    Returns
    -------
    GeoDataFrame
        See :meth:`NearestFacility.at_points`.

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
    check_network(network)
    check_origins(origins)
    res = nearest(
        network,
        facilities,
        facility_id_col=facility_id_col,
        max_access_m=max_access_m,
        max_time_min=max_time_min,
    )
    return res.at_points(origins, far_from_road_m=far_from_road_m, prefix=prefix)


def cell_travel_time(
    network: Network,
    facilities: gpd.GeoDataFrame,
    *,
    facility_id_col: str = "facility_id",
    max_access_m: float | None = None,
    max_time_min: float | None = None,
) -> gpd.GeoDataFrame:
    """Travel time from every lattice cell (cell centre) to the nearest facility.

    Shortcut for ``nearest(network, facilities, ...).at_cells()``.

    Parameters
    ----------
    network : Network
        From :func:`geoaccess.build_network`, with a lattice (``offroad=True``).
    facilities : GeoDataFrame
        Destinations (points, any CRS) with a unique ``facility_id_col``.
    facility_id_col : str
        Column with the facility id (default ``facility_id``).
    max_access_m : float, optional
        See :func:`nearest`.
    max_time_min : float, optional
        Stop the search at this many minutes; cells beyond it come back unreachable.

    Returns
    -------
    GeoDataFrame
        :meth:`Network.cells` with ``travel_time_min`` (NaN unreachable), ``facility_id``
        and ``reachable``, in the network CRS, indexed by graph node id.

    Examples
    --------
    A 2 x 1 km area (32 cells of 250 m) along a 2 km ``lokal`` road, a puskesmas at its
    east end; by motorbike (25 km/h on the road, 10 km/h off road):

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> net = ga.build_network(roads, "motorbike", area=area)
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
    ...     geometry=[shapely.Point(402_000, 9_590_000)])
    >>> cells = cell_travel_time(net, pkm)
    >>> len(cells), bool(cells["reachable"].all())
    (32, True)
    >>> cells["travel_time_min"].agg(["min", "max"]).round(2).tolist()
    [1.05, 8.25]

    The cells beside the puskesmas take about a minute; the far corners (375 m off the
    road at its west end, 1.9 km away in a straight line) 8.25 min, part of the way
    off road at 10 km/h.
    """
    check_network(network)
    return nearest(
        network,
        facilities,
        facility_id_col=facility_id_col,
        max_access_m=max_access_m,
        max_time_min=max_time_min,
    ).at_cells()


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
    origins : GeoDataFrame or DataFrame
        Points or polygons (representative point used), any CRS; or lattice cells of
        ``network`` as a table indexed by node id with ``row`` and ``col``
        (:meth:`Network.cell_table`, a run's ``cell_table``): their centres, with no
        point geometry to make.
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
        most about 64 MB of distances.
    progress : bool, optional
        Progress bar; default ``geoaccess.options.progress``.

    Returns
    -------
    DataFrame
        ``origin_id``, ``facility_id``, ``travel_time_min``; pairs beyond the limit are absent.

    Examples
    --------
    Two puskesmas at the ends of a 2 km ``lokal`` road, two homes on it (motorbike,
    25 km/h: 2.4 min per km):

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> net = ga.build_network(roads, "motorbike", offroad=False)
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1", "P2"]}, crs="EPSG:32748",
    ...     geometry=[shapely.Point(402_000, 9_590_000), shapely.Point(400_000, 9_590_000)])
    >>> homes = gpd.GeoDataFrame({"desa": ["A", "B"]}, crs="EPSG:32748",
    ...     geometry=[shapely.Point(400_000, 9_590_000), shapely.Point(401_000, 9_590_000)])
    >>> travel_time_matrix(net, homes, pkm, max_time_min=60, origin_id_col="desa", progress=False)
      origin_id facility_id  travel_time_min
    0         A          P2              0.0
    1         A          P1              4.8
    2         B          P1              2.4
    3         B          P2              2.4
    >>> len(travel_time_matrix(net, homes, pkm, max_time_min=3, progress=False))  # 4.8 min is beyond
    3
    """
    from tqdm.auto import tqdm

    from ..settings import options

    check_network(network)
    limit = _check_limit(max_time_min)
    check_origins(origins)
    if not isinstance(batch_size, int | np.integer) or batch_size < 1:
        raise InputValidationError(f"must be a whole number >= 1, got {batch_size!r}", argument="batch_size")
    batch_size = int(max(1, min(batch_size, 64e6 // (8 * network.n_nodes))))
    if origin_id_col is not None:
        require_columns(origins, [origin_id_col], "origins")
        require_unique(origins, origin_id_col, "origins")
        oid = origins[origin_id_col].to_numpy()
    else:
        oid = origins.index.to_numpy()
    access = _check_access(max_access_m)
    ids, fac = _prepare_facilities(facilities, facility_id_col, network, access)
    n = network.n_nodes
    x, y = points_xy(origins, network)
    home = attach_points(network, x, y, access, into_point=False, roads_beyond_reach=False)
    oi, onode, oleg = home.point, home.node, home.leg_min
    show = options.progress if progress is None else progress
    starts = range(0, len(ids), batch_size)
    order = np.argsort(oi, kind="stable")  # candidates grouped by origin
    oi_s, onode_s, oleg_s = oi[order], onode[order], oleg[order]
    starts_o = np.flatnonzero(np.r_[True, oi_s[1:] != oi_s[:-1]]) if len(oi_s) else np.empty(0, int)
    origin_of_group = oi_s[starts_o]
    o_parts, f_parts, t_parts = [], [], []
    with _search_graph(network, fac, len(ids)) as g:
        for s in tqdm(starts, desc="travel-time matrix", unit="batch", disable=not show):
            sel = np.arange(s, min(s + batch_size, len(ids)))
            d = dijkstra(g, directed=True, indices=n + sel, limit=limit)
            t = d[:, onode_s] + oleg_s[None, :]  # (batch, candidates)
            best = np.minimum.reduceat(t, starts_o, axis=1) if len(starts_o) else t[:, :0]
            fi_b, gi = np.nonzero(best <= limit)
            o_parts.append(origin_of_group[gi])
            f_parts.append(sel[fi_b])
            t_parts.append(best[fi_b, gi])
    hi, fi_d, direct = direct_trips(network, home, fac)
    keep = direct <= limit
    o_parts.append(hi[keep])
    f_parts.append(fi_d[keep])
    t_parts.append(direct[keep])
    res = (
        pd.DataFrame(
            {
                "_o": concat(o_parts, np.int64),
                "_f": concat(f_parts, np.int64),
                "travel_time_min": concat(t_parts, float),
            }
        )
        .groupby(["_o", "_f"], as_index=False)["travel_time_min"]
        .min()  # a direct trip (shared road piece or cell) may beat the graph's
    )
    res.insert(1, "facility_id", ids[res.pop("_f").to_numpy(dtype=np.int64)])
    res.insert(0, "origin_id", oid[res["_o"].to_numpy(dtype=int)])
    return (
        res.drop(columns="_o")
        .sort_values(["origin_id", "travel_time_min"], kind="stable")
        .reset_index(drop=True)
    )
