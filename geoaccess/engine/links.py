"""Critical road links: which road, if cut, pushes the most people beyond the threshold.

A **link** is the chain of road pieces (rows of :attr:`Network.edges`) between two
junctions or dead ends, i.e. between road nodes whose road degree (pieces touching them)
is not 2 (:func:`road_links`). A bridge or the single road into a valley is one link.
Links are defined on every piece of the network *as built*, so a dry-season and a
flood-season network (:func:`geoaccess.flood_network`) share the same link ids.

:func:`critical_links` cuts one link at a time (every piece at ``np.inf``, as
``network.with_edge_times`` would) and reports, per link, the people whose time to the
nearest facility goes from at most ``threshold_min`` to beyond it, the person-minutes of
delay and the people left with no path at all. It never recomputes the whole network per
link.

Method
------
1. **Baseline**: one multi-source search from the facilities on the reversed graph
   augmented with one virtual node per facility (as :func:`geoaccess.nearest` does),
   with predecessors: a shortest-path forest rooted at the facilities. Origins join the
   graph with :func:`~geoaccess.engine.travel.attach_points` and
   :func:`~geoaccess.engine.travel.direct_trips`, as in
   :meth:`~geoaccess.engine.travel.NearestFacility.at_points`.
2. **Prune score** (``people_routed``): each origin's people are put on the graph node of
   its fastest leg and accumulated up the forest, so every tree edge carries the people
   whose shortest path crosses it. A link's routed population is the sum over its
   *topmost* tree pieces (pieces whose parent piece is not in the same link): a chain
   carries the same people piece after piece, so each person is counted once per chain
   (between the max and the sum over its pieces), plus the people of origins attached to
   one of its pieces (they must join the graph elsewhere once it is cut); a facility
   standing on one of its pieces reaches the piece's ends along it, so the people
   arriving through those legs count too. Only people
   counted there can be slowed, so the same figure restricted to the people within the
   threshold today bounds ``people_pushed_beyond`` from above.
3. **Exact evaluation**, links in decreasing bound order, until the next link's bound is
   below the ``top``-th exact ``people_pushed_beyond`` found (then no link left can
   enter the top: the ranking returned is exact). Per link:

   - the cut pieces are removed; the nodes whose tree path uses a cut piece (the
     subtrees below the cut tree edges) lose their time; every other node keeps its
     baseline time ``T``, because its tree path still exists and removing edges never
     shortens anything;
   - each subtree node is seeded with its best way out of the subtree:
     ``min w(x, y) + T(y)`` over kept edges to nodes ``y`` outside it;
   - a Dijkstra from those seeds runs on the cut graph, entering a node only when it
     beats the node's current label (``T`` outside the subtree).

   This is exact: the result equals a Dijkstra from a super-source joined to every node
   at its initial label (all are lengths of real paths in the cut graph, so upper
   bounds), and skipping the nodes outside the subtree that keep ``T`` loses nothing,
   since by the baseline's optimality ``T(y) <= w(y, x) + T(x)`` for every edge, so
   relaxing from such a node can only help subtree nodes, whose seeds already hold those
   values. Cost: the subtree plus the nodes it improves, not the network.
   Attachment follows the full recomputation too: origins and facilities whose nearest
   road piece is cut (and that may join a road at all: off a passable cell, or on one
   within one cell of the road) join again on a copy of the network with those pieces cut
   (:func:`attach_points` skips cut pieces); a facility's changed legs are removed
   (their subtrees invalidated like cut edges) and its new legs seeded; direct trips are
   recomputed for them.

``tests/test_links.py`` checks every reported figure against a full recomputation
(``network.with_edge_times`` with the link's pieces at ``np.inf``, then
:func:`geoaccess.nearest` and ``at_points``) and the top-k against brute force over all
links on small networks.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components, dijkstra

from .._validate import check_positive
from ..exceptions import InputValidationError
from .network import MIN_EDGE_MIN, Network
from .travel import (
    PointAttachment,
    attach_points,
    check_network,
    check_origins,
    direct_trips,
    nearest,
    origin_population,
    points_xy,
)

__all__ = ["critical_links", "road_links"]

log = logging.getLogger(__name__)

#: Default threshold (minutes): the 60-minute band the program uses for "underserved".
DEFAULT_THRESHOLD_MIN = 60.0


# --------------------------------------------------------------------------- links
def _link_of_edge(network: Network) -> np.ndarray:
    """Link id of every row of ``network.edges`` (chains through road nodes of degree 2)."""
    e = network.edges
    m = len(e)
    if m == 0:
        return np.empty(0, dtype=np.int64)
    u = e["u"].to_numpy(dtype=np.int64)
    v = e["v"].to_numpy(dtype=np.int64)
    ends = np.concatenate([u, v])
    rows = np.concatenate([np.arange(m), np.arange(m)])
    deg = np.bincount(ends, minlength=network.n_road_nodes)
    inner = deg[ends] == 2
    node, row = ends[inner], rows[inner]
    order = np.argsort(node, kind="stable")
    row = row[order]
    a, b = row[0::2], row[1::2]  # the two pieces meeting at each interior node
    g = sp.csr_matrix((np.ones(len(a)), (a, b)), shape=(m, m))
    _, lab = connected_components(g, directed=False)
    # number links by their first piece, so ids follow the edge order
    first = np.full(lab.max() + 1, m, dtype=np.int64)
    np.minimum.at(first, lab, np.arange(m))
    rank = np.empty_like(first)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[lab].astype(np.int64)


def road_links(network: Network) -> gpd.GeoDataFrame:
    """The road links of a network: chains of pieces between junctions or dead ends.

    Parameters
    ----------
    network : Network
        From :func:`geoaccess.build_network` (or a flood-season copy: same links).

    Returns
    -------
    GeoDataFrame
        One row per link, indexed by ``link_id``: ``geometry`` (the pieces merged into
        one line where they join), ``length_m``, ``road_class`` (the class of most of its
        length), ``n_pieces`` and ``edges`` (the rows of :attr:`Network.edges` it holds),
        in the network CRS.

    Examples
    --------
    Three 1 km roads meeting at a T junction, each in pieces of 100 m:

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal", "lokal", "kolektor"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (401_000, 9_590_000)]),
    ...               shapely.LineString([(401_000, 9_590_000), (402_000, 9_590_000)]),
    ...               shapely.LineString([(401_000, 9_590_000), (401_000, 9_591_000)])])
    >>> net = ga.build_network(roads, "motorbike", offroad=False)
    >>> road_links(net)[["length_m", "road_class", "n_pieces"]]
             length_m road_class  n_pieces
    link_id
    0          1000.0      lokal        10
    1          1000.0      lokal        10
    2          1000.0   kolektor        10
    """
    check_network(network)
    e = network.edges
    link = _link_of_edge(network)
    n = int(link.max()) + 1 if len(link) else 0
    a = network.node_xy[e["u"].to_numpy(dtype=np.int64)]
    b = network.node_xy[e["v"].to_numpy(dtype=np.int64)]
    order = np.argsort(link, kind="stable")
    segs = shapely.linestrings(np.stack([a, b], axis=1))
    geom = shapely.line_merge(shapely.multilinestrings(segs[order], indices=link[order])) if n else []
    length = np.bincount(link, weights=e["length_m"].to_numpy(dtype=float), minlength=n)
    by = (
        pd.DataFrame(
            {"link": link, "cls": e["road_class"].astype(str).to_numpy(), "len": e["length_m"].to_numpy()}
        )
        .groupby(["link", "cls"])["len"]
        .sum()
        .reset_index()
        .sort_values(["link", "len"], ascending=[True, False], kind="stable")
        .drop_duplicates("link")
        .set_index("link")["cls"]
    )
    edges = pd.Series(list(np.split(order, np.cumsum(np.bincount(link, minlength=n))[:-1])) if n else [])
    return gpd.GeoDataFrame(
        {
            "length_m": length,
            "road_class": by.reindex(np.arange(n)).to_numpy(),
            "n_pieces": np.bincount(link, minlength=n),
            "edges": edges.to_numpy() if n else np.empty(0, dtype=object),
        },
        geometry=np.asarray(geom, dtype=object) if n else [],
        index=pd.Index(np.arange(n), name="link_id"),
        crs=network.crs,
    )


# --------------------------------------------------------------------------- kernels
def _kernels() -> tuple[Any, Any, Any]:
    """Compile (once) the forest accumulation and the per-link repair search."""
    import heapq

    import numba

    @numba.njit(cache=True)
    def accumulate(order, pred, flow):  # pragma: no cover - compiled
        # nodes in decreasing time: children before parents
        for i in range(order.shape[0]):
            v = order[i]
            p = pred[v]
            if p >= 0:
                for j in range(flow.shape[1]):
                    flow[p, j] += flow[v, j]
        return flow

    @numba.njit(cache=True)
    def euler(ch_ptr, ch_idx, roots, tin, tout):  # pragma: no cover - compiled
        # entry / exit counters of a depth-first walk: x lies below r iff
        # tin[r] <= tin[x] < tout[r]
        pos = ch_ptr[:-1].copy()
        stack = np.empty(tin.shape[0], np.int64)
        t = 0
        for r in roots:
            stack[0] = r
            ns = 1
            tin[r] = t
            t += 1
            while ns > 0:
                x = stack[ns - 1]
                if pos[x] < ch_ptr[x + 1]:
                    c = ch_idx[pos[x]]
                    pos[x] += 1
                    tin[c] = t
                    t += 1
                    stack[ns] = c
                    ns += 1
                else:
                    tout[x] = t
                    ns -= 1

    @numba.njit(cache=True)
    def repair(  # pragma: no cover - compiled; tested through critical_links
        rev_ptr,
        rev_idx,
        rev_w,
        fwd_ptr,
        fwd_idx,
        fwd_w,
        fwd_entry,
        removed,
        base,
        ch_ptr,
        ch_idx,
        cur,
        mark,
        roots,
        add_node,
        add_leg,
        touched,
    ):
        nt = 0
        # 1. the subtrees below the cut tree edges lose their time
        stack = np.empty(cur.shape[0], np.int64)
        ns = 0
        for r in roots:
            if not mark[r]:
                mark[r] = True
                stack[ns] = r
                ns += 1
        while ns > 0:
            ns -= 1
            x = stack[ns]
            touched[nt] = x
            nt += 1
            cur[x] = np.inf
            for k in range(ch_ptr[x], ch_ptr[x + 1]):
                c = ch_idx[k]
                if not mark[c]:
                    mark[c] = True
                    stack[ns] = c
                    ns += 1
        n_sub = nt
        heap = [(0.0, np.int64(0))]
        heap.pop()
        # 2. seeds: best way out of the subtree over kept edges (forward x -> y)
        for t in range(n_sub):
            x = touched[t]
            best = np.inf
            for k in range(fwd_ptr[x], fwd_ptr[x + 1]):
                y = fwd_idx[k]
                if removed[fwd_entry[k]] or mark[y]:
                    continue
                d = fwd_w[k] + base[y]
                if d < best:
                    best = d
            if best < np.inf:
                cur[x] = best
                heapq.heappush(heap, (best, x))
        # 3. new facility legs
        for k in range(add_node.shape[0]):
            x = add_node[k]
            if add_leg[k] < cur[x]:
                if not mark[x]:
                    mark[x] = True
                    touched[nt] = x
                    nt += 1
                cur[x] = add_leg[k]
                heapq.heappush(heap, (add_leg[k], x))
        # 4. Dijkstra on the reversed cut graph, entering a node only when it improves
        while len(heap) > 0:
            d, u = heapq.heappop(heap)
            if d > cur[u]:
                continue
            for k in range(rev_ptr[u], rev_ptr[u + 1]):
                if removed[k]:
                    continue
                v = rev_idx[k]
                nd = d + rev_w[k]
                if nd < cur[v]:
                    if not mark[v]:
                        mark[v] = True
                        touched[nt] = v
                        nt += 1
                    cur[v] = nd
                    heapq.heappush(heap, (nd, v))
        for t in range(nt):
            mark[touched[t]] = False
        return nt

    return accumulate, euler, repair


_KERNELS: Any = None


def _get_kernels() -> tuple[Any, Any, Any]:
    global _KERNELS
    if _KERNELS is None:
        _KERNELS = _kernels()
    return _KERNELS


# --------------------------------------------------------------------------- helpers
def _group(keys: np.ndarray, n: int, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR grouping of ``values`` by ``keys`` in ``0..n-1``: (ptr, values sorted by key)."""
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, values[order]


def _splice(att: PointAttachment, idx: np.ndarray, sub: PointAttachment) -> PointAttachment:
    """``att`` with the points ``idx`` replaced by the points of ``sub`` (same order)."""
    gone = np.zeros(len(att.xy), dtype=bool)
    gone[idx] = True
    keep = ~gone[att.point]
    per_point = {}
    for f in (
        "road_ok",
        "road_edge",
        "road_frac",
        "road_walk_min",
        "access_dist_m",
        "cell",
        "cell_speed_kph",
        "snap_dist_m",
    ):
        a = getattr(att, f).copy()
        a[idx] = getattr(sub, f)
        per_point[f] = a
    return PointAttachment(
        point=np.concatenate([att.point[keep], idx[sub.point]]),
        node=np.concatenate([att.node[keep], sub.node]),
        leg_min=np.concatenate([att.leg_min[keep], sub.leg_min]),
        xy=att.xy,
        **per_point,
    )


def _min_by(keys: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.inf)
    np.minimum.at(out, keys, values)
    return out


def _direct_min(net: Network, home: PointAttachment, fac: PointAttachment, n: int) -> np.ndarray:
    hi, _, t = direct_trips(net, home, fac)
    return _min_by(hi, t, n)


class _Cut:
    """A network view with some road pieces cut, for attaching points only."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.times = net.edges["travel_time_min"].to_numpy(dtype=float)

    def view(self, rows: np.ndarray) -> Network:
        t = self.times.copy()
        t[rows] = np.inf
        edges = self.net.edges.copy()
        edges["travel_time_min"] = t
        # the graph is not searched through this view: only attach_points reads it
        # (road pieces with finite times; the cell and barrier trees, shared)
        view = dataclasses.replace(self.net, edges=edges)
        vars(view)["cell_tree"] = self.net.cell_tree
        vars(view)["barrier_tree"] = self.net.barrier_tree
        return view


# --------------------------------------------------------------------------- main
def critical_links(
    network: Network,
    origins: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    *,
    population_col: str = "population",
    threshold_min: float = DEFAULT_THRESHOLD_MIN,
    top: int | None = 50,
    candidates: int | Iterable[int] | None = None,
    facility_id_col: str = "facility_id",
    max_access_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Rank road links by the people a cut of that one link pushes beyond ``threshold_min``.

    Parameters
    ----------
    network : Network
        Any network: the dry season, or the flood season (``flood_network(...)``; pass
        the facilities still open).
    origins : GeoDataFrame or DataFrame
        Where people are (points, or polygons: their representative point), with
        ``population_col``, e.g. populated lattice cells or desa; or lattice cells of
        ``network`` as a table indexed by node id with ``row`` and ``col`` (a run's
        ``cell_table``: their centres, no point geometry needed).
    facilities : GeoDataFrame
        Facilities with a unique ``facility_id_col``.
    population_col : str
        People per origin (>= 0, finite).
    threshold_min : float
        "Within reach" threshold (minutes).
    top : int or None
        Rows returned (the ``top`` best links); None returns every link evaluated.
    candidates : None, int or iterable of link ids
        None (default): evaluate exactly, in decreasing prune-score order, until no link
        left can enter the top (the ranking is exact; ``attrs["exact"]`` is True).
        An int: evaluate at most that many links (the top may then be inexact;
        ``attrs["exact"]`` says whether the stop rule was reached anyway). Link ids
        (:func:`road_links`): evaluate exactly those links.
    facility_id_col : str
        Facility id column.
    max_access_m : float, optional
        Longest straight leg into the graph, as in :func:`geoaccess.nearest`.

    Returns
    -------
    GeoDataFrame
        One row per link evaluated (the best ``top``), in the network CRS, best first:
        ``link_id``, ``geometry`` (merged line), ``length_m``, ``road_class``,
        ``n_pieces``, ``people_pushed_beyond`` (people within ``threshold_min`` today and
        beyond it, or cut off, with the link cut), ``person_min_delay`` (sum of people x
        change in minutes over the origins with a path before and after; a re-attached
        origin may gain a little), ``people_cut_off`` (people with a path today and
        none with the link cut), ``people_routed`` (the prune score: people whose
        shortest path today crosses the link or who join the graph on it),
        ``nodes_recomputed`` and ``rank`` (by people pushed beyond, then person-minutes
        of delay, then link id). ``attrs`` holds ``links`` (all links), ``evaluated``,
        ``exact``, ``threshold_min`` and the ``baseline`` (people within the threshold,
        unreachable).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess import build_network
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"] * 3}, geometry=[
    ...     shapely.LineString([(0, 0), (6_000, 0)]),          # facility - junction
    ...     shapely.LineString([(6_000, 0), (6_000, 7_000)]),  # junction - village
    ...     shapely.LineString([(6_000, 0), (9_000, 0)])],     # nobody's road
    ...     crs="EPSG:32748")
    >>> net = build_network(roads, "car", offroad=False)   # 20 km/h: 3 min per km
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["A"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:32748")
    >>> village = gpd.GeoDataFrame({"population": [100.0]}, geometry=[shapely.Point(6_000, 7_000)],
    ...     crs="EPSG:32748")   # 13 km: 39 min today
    >>> out = critical_links(net, village, pkm, threshold_min=60, top=None)
    >>> out[["people_pushed_beyond", "people_cut_off", "people_routed"]].values.tolist()
    [[100.0, 100.0, 100.0], [100.0, 100.0, 100.0], [0.0, 0.0, 0.0]]
    """
    check_network(network)
    check_origins(origins)
    pop = origin_population(origins, population_col)
    check_positive(threshold_min, "threshold_min")
    thr = float(threshold_min)
    if top is not None and (not isinstance(top, int | np.integer) or top < 1):
        raise InputValidationError(f"must be a whole number >= 1 or None, got {top!r}", argument="top")

    net = network
    n = net.n_nodes
    link_of = _link_of_edge(net)
    n_links = int(link_of.max()) + 1 if len(link_of) else 0

    # ---- baseline: facilities' attachment (as nearest), forest with predecessors
    base = nearest(net, facilities, facility_id_col=facility_id_col, max_access_m=max_access_m)
    access = base.max_access_m
    fac = base.facilities
    n_fac = len(base.facility_ids)
    g = net.graph.tocoo()
    csr_edge = net.csr_edge if net.csr_edge is not None else np.full(g.nnz, -1, dtype=np.int64)
    f_order = np.argsort(fac.point, kind="stable")
    fr = n + fac.point[f_order]
    # reversed graph entries (row = head of the forward edge), then one row per facility
    r_row = np.concatenate([g.col.astype(np.int64), fr])
    r_col = np.concatenate([g.row.astype(np.int64), fac.node[f_order]])
    r_w = np.concatenate([g.data.astype(float), np.maximum(fac.leg_min[f_order], MIN_EDGE_MIN)])
    r_edge = np.concatenate([np.asarray(csr_edge, dtype=np.int64), np.full(len(fr), -1, dtype=np.int64)])
    r_fleg = np.concatenate([np.full(g.nnz, -1, dtype=np.int64), fac.point[f_order]])  # facility of a leg
    del g  # a copy of the graph: not needed from here (~300 MB at 100 m)
    order = np.lexsort((r_col, r_row))
    # one array at a time, each old one freed before the next is sorted: the peak holds
    # one extra array, not five (~150 MB each at 100 m)
    r_row = r_row[order]
    r_col = r_col[order]
    r_w = r_w[order]
    r_edge = r_edge[order]
    r_fleg = r_fleg[order]
    del order
    N = n + n_fac
    rev_ptr = np.zeros(N + 1, dtype=np.int64)
    np.cumsum(np.bincount(r_row, minlength=N), out=rev_ptr[1:])
    rev = sp.csr_matrix((r_w, r_col, rev_ptr), shape=(N, N))
    T, pred = dijkstra(
        rev, directed=True, indices=n + np.arange(n_fac), min_only=True, return_predecessors=True
    )[:2]
    del rev
    pred = np.where(pred >= 0, pred, -1).astype(np.int64)
    fo = np.lexsort((r_row, r_col))  # forward view of the same entries (int64 positions)
    fwd_ptr = np.zeros(N + 1, dtype=np.int64)
    np.cumsum(np.bincount(r_col, minlength=N), out=fwd_ptr[1:])
    fwd_idx, fwd_w, fwd_entry = r_row[fo], r_w[fo], fo.astype(np.int64, copy=False)
    has_parent = np.flatnonzero(pred >= 0)
    ch_ptr, ch_idx = _group(pred[has_parent], N, has_parent)

    # ---- origins as at_points reads them; the nearest-road search stops at the longest
    # road leg allowed (the access leg, or one cell): same legs, faster
    search = max(access, net.lattice.resolution_m if net.lattice is not None else 0.0)
    ox, oy = points_xy(origins, net)
    n_org = len(origins)
    home = attach_points(net, ox, oy, access, into_point=False, roads_beyond_reach=False)
    direct0 = _direct_min(net, home, fac, n_org)
    leg_t = home.leg_min + T[home.node]
    base_o = np.minimum(_min_by(home.point, leg_t, n_org), direct0)
    within = base_o <= thr

    # ---- prune score: people accumulated up the forest
    accumulate, euler, repair = _get_kernels()
    lo = np.lexsort((leg_t, home.point))
    first = np.ones(len(lo), dtype=bool)
    first[1:] = home.point[lo][1:] != home.point[lo][:-1]
    bo, bnode, bt = home.point[lo][first], home.node[lo][first], leg_t[lo][first]
    via = bt < direct0[bo]
    flow = np.zeros((N, 2))
    np.add.at(flow[:, 0], bnode[via], pop[bo[via]])
    np.add.at(flow[:, 1], bnode[via], (pop * within)[bo[via]])
    fin = np.flatnonzero(np.isfinite(T))
    accumulate(fin[np.argsort(-T[fin], kind="stable")].astype(np.int64), pred, flow)
    # tree entries of road pieces: reversed entry p -> v with pred[v] == p
    road = np.flatnonzero(r_edge >= 0)
    tree = road[pred[r_col[road]] == r_row[road]]
    child_link = np.full(N, -1, dtype=np.int64)
    child_link[r_col[tree]] = link_of[r_edge[tree]]
    # a facility on a road piece reaches the piece's ends along it: those legs are the link's
    fl = np.flatnonzero(r_fleg >= 0)
    f_edge = fac.road_edge[r_fleg[fl]]
    fl_tree = (
        fac.road_ok[r_fleg[fl]]
        & (f_edge >= 0)
        & (r_col[fl] < net.n_road_nodes)
        & (pred[r_col[fl]] == r_row[fl])
    )
    child_link[r_col[fl[fl_tree]]] = link_of[f_edge[fl_tree]]
    v = np.concatenate([r_col[tree], r_col[fl[fl_tree]]])
    topmost = v[child_link[pred[v]] != child_link[v]]
    routed = np.bincount(child_link[topmost], weights=flow[topmost, 0], minlength=n_links)
    bound = np.bincount(child_link[topmost], weights=flow[topmost, 1], minlength=n_links)

    # points joined on a link's pieces: their nearest piece (before and after the
    # barrier fallback) is cut, so they join again
    # A point on a passable cell joins a road only within one cell (attach_points); its
    # nearest road after a cut is no nearer, so farther points keep their own cell.
    reach = net.lattice.resolution_m if net.lattice is not None else np.inf

    def joined(att: PointAttachment, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        may = np.flatnonzero((att.cell < 0) | (att.access_dist_m <= reach * (1 + 1e-9) + 1e-6))
        near = net.nearest_road_point(x[may], y[may], search)[0] if len(may) else np.empty(0, np.int64)
        idx = np.concatenate([may, may])
        ed = np.concatenate([att.road_edge[may], near])
        ok = ed >= 0
        pairs = (
            np.unique(np.column_stack([link_of[ed[ok]], idx[ok]]), axis=0)
            if ok.any()
            else np.empty((0, 2), int)
        )
        return _group(pairs[:, 0], n_links, pairs[:, 1].astype(np.int64))

    ro_ptr, ro_idx = joined(home, ox, oy)
    fx, fy = fac.xy[:, 0], fac.xy[:, 1]
    rf_ptr, rf_idx = joined(fac, fx, fy)
    ro_link = np.repeat(np.arange(n_links), np.diff(ro_ptr))
    # ... counted once: not when their path already runs below a cut piece of the link
    tin = np.full(N, -1, dtype=np.int64)
    tout = np.full(N, -1, dtype=np.int64)
    euler(ch_ptr, ch_idx, np.arange(n, N, dtype=np.int64), tin, tout)
    best_node = np.full(n_org, -1, dtype=np.int64)
    best_node[bo[via]] = bnode[via]
    pairs = pd.DataFrame({"link": ro_link, "o": ro_idx, "b": best_node[ro_idx]})
    tops = pd.DataFrame({"link": child_link[topmost], "t": topmost})
    m = pairs.reset_index().merge(tops, on="link")
    b_, t_ = m["b"].to_numpy(), m["t"].to_numpy()
    below = (b_ >= 0) & (tin[np.maximum(b_, 0)] >= tin[t_]) & (tin[np.maximum(b_, 0)] < tout[t_])
    counted = np.zeros(len(pairs), dtype=bool)
    counted[m["index"].to_numpy()[below]] = True
    extra = ro_idx[~counted]
    routed += np.bincount(ro_link[~counted], weights=pop[extra], minlength=n_links)
    bound += np.bincount(ro_link[~counted], weights=(pop * within)[extra], minlength=n_links)
    affected_all = routed.copy()
    bound[np.diff(rf_ptr) > 0] = np.inf  # a facility joins elsewhere: always evaluate

    # ---- which links to evaluate
    ptr_l, entries_l = _group(link_of[r_edge[road]], n_links, road)
    if candidates is None or isinstance(candidates, int | np.integer):
        order_l = np.lexsort((np.arange(n_links), -affected_all, -bound))
        cap = n_links if candidates is None else int(candidates)
        explicit = False
    else:
        order_l = np.unique(np.asarray(list(candidates), dtype=np.int64))
        if len(order_l) and (order_l.min() < 0 or order_l.max() >= n_links):
            raise InputValidationError(f"link ids run 0..{n_links - 1}", argument="candidates")
        cap = len(order_l)
        explicit = True
    k_top = top if top is not None else n_links

    cut = _Cut(net)
    cur = T.copy()
    mark = np.zeros(N, dtype=bool)
    removed = np.zeros(len(r_row), dtype=bool)
    touched = np.empty(N, dtype=np.int64)
    nflag = np.zeros(N, dtype=bool)
    results: list[tuple[int, float, float, float, int]] = []
    best_pushed: list[float] = []
    exact = explicit
    edges_of_link = np.argsort(link_of, kind="stable")
    le_ptr = np.zeros(n_links + 1, dtype=np.int64)
    np.cumsum(np.bincount(link_of, minlength=n_links), out=le_ptr[1:])
    for lk in order_l[:cap]:
        lk = int(lk)
        if not explicit and len(best_pushed) >= k_top:
            kth = best_pushed[k_top - 1]
            if bound[lk] < kth or (kth == 0 and affected_all[lk] == 0 and not np.isinf(bound[lk])):
                exact = True
                break
        ent = entries_l[ptr_l[lk] : ptr_l[lk + 1]]
        R_o = ro_idx[ro_ptr[lk] : ro_ptr[lk + 1]]
        R_f = rf_idx[rf_ptr[lk] : rf_ptr[lk + 1]]
        rem = [ent]
        add_node = np.empty(0, np.int64)
        add_leg = np.empty(0)
        fac_now = fac
        view = cut.view(edges_of_link[le_ptr[lk] : le_ptr[lk + 1]]) if len(R_o) or len(R_f) else None
        if len(R_f):
            assert view is not None
            sub = attach_points(view, fx[R_f], fy[R_f], access, into_point=True)
            fac_now = _splice(fac, R_f, sub)
            old = np.flatnonzero(np.isin(r_fleg, R_f) & (r_fleg >= 0))
            old_key = set(zip(r_fleg[old].tolist(), r_col[old].tolist(), r_w[old].tolist(), strict=True))
            new_f = R_f[sub.point]
            new_w = np.maximum(sub.leg_min, MIN_EDGE_MIN)
            new_key = set(zip(new_f.tolist(), sub.node.tolist(), new_w.tolist(), strict=True))
            rem.append(
                old[
                    [
                        k not in new_key
                        for k in zip(
                            r_fleg[old].tolist(), r_col[old].tolist(), r_w[old].tolist(), strict=True
                        )
                    ]
                ]
            )
            keep_new = np.array(
                [
                    k not in old_key
                    for k in zip(new_f.tolist(), sub.node.tolist(), new_w.tolist(), strict=True)
                ],
                dtype=bool,
            )
            add_node, add_leg = sub.node[keep_new].astype(np.int64), new_w[keep_new]
        rem_e = np.concatenate(rem).astype(np.int64)
        removed[rem_e] = True
        roots = r_col[rem_e][pred[r_col[rem_e]] == r_row[rem_e]]
        nt = repair(
            rev_ptr, r_col, r_w, fwd_ptr, fwd_idx, fwd_w, fwd_entry, removed, T, ch_ptr, ch_idx,
            cur, mark, roots.astype(np.int64), add_node, add_leg.astype(float), touched,
        )  # fmt: skip
        removed[rem_e] = False
        tn = touched[:nt]
        # origins: through the recomputed nodes, re-attached ones, changed direct trips
        nflag[tn] = True
        aff = np.zeros(n_org, dtype=bool)
        aff[home.point[nflag[home.node]]] = True
        nflag[tn] = False
        aff[R_o] = True
        direct = direct0
        home_now = home
        if len(R_o) or len(R_f):
            assert view is not None
            sub_o = attach_points(view, ox[R_o], oy[R_o], access, into_point=False, roads_beyond_reach=False)
            home_now = _splice(home, R_o, sub_o)
            if len(R_f):
                direct = _direct_min(view, home_now, fac_now, n_org)
                aff |= direct != direct0
            else:
                direct = direct0.copy()
                direct[R_o] = _direct_min(view, sub_o, fac, len(R_o))
        sel = aff[home_now.point]
        new = _min_by(home_now.point[sel], home_now.leg_min[sel] + cur[home_now.node[sel]], n_org)
        new = np.minimum(new, direct)
        cur[tn] = T[tn]
        b, a, p = base_o[aff], new[aff], pop[aff]
        pushed = float(p[(b <= thr) & (a > thr)].sum())
        both = np.isfinite(a) & np.isfinite(b)
        delay = float((p[both] * (a[both] - b[both])).sum())
        cut_off = float(p[np.isfinite(b) & ~np.isfinite(a)].sum())
        results.append((lk, pushed, delay, cut_off, nt))
        best_pushed.append(pushed)
        best_pushed.sort(reverse=True)
        del best_pushed[k_top:]
    else:
        exact = exact or len(order_l) <= cap

    links = road_links(net)
    res = pd.DataFrame(
        results,
        columns=["link_id", "people_pushed_beyond", "person_min_delay", "people_cut_off", "nodes_recomputed"],
    )
    res = res.sort_values(
        ["people_pushed_beyond", "person_min_delay", "link_id"], ascending=[False, False, True], kind="stable"
    )
    if top is not None:
        res = res.head(top)
    lid = res["link_id"].to_numpy(dtype=np.int64)
    out = gpd.GeoDataFrame(
        {
            "link_id": lid,
            "length_m": links["length_m"].to_numpy()[lid],
            "road_class": links["road_class"].to_numpy()[lid],
            "n_pieces": links["n_pieces"].to_numpy()[lid],
            "people_pushed_beyond": res["people_pushed_beyond"].to_numpy(),
            "person_min_delay": res["person_min_delay"].to_numpy(),
            "people_cut_off": res["people_cut_off"].to_numpy(),
            "people_routed": routed[lid],
            "nodes_recomputed": res["nodes_recomputed"].to_numpy(dtype=np.int64),
            "rank": np.arange(1, len(lid) + 1),
        },
        geometry=links.geometry.to_numpy()[lid],
        crs=net.crs,
    )
    out.attrs.update(
        links=n_links,
        evaluated=len(results),
        exact=bool(exact),
        threshold_min=float(thr),
        baseline={
            "people_within": float(pop[within].sum()),
            "people_unreachable": float(pop[~np.isfinite(base_o)].sum()),
        },
    )
    log.info("critical_links: %d of %d links evaluated exactly (exact top: %s)", len(results), n_links, exact)
    return out
