"""Road topology repair: :func:`repair_roads` nodes lines at crossings and snaps near-miss
line ends, so a layer digitised without topology (like BIG RBI 1:50,000 roads) becomes
routable, and returns a :class:`RoadRepair` report next to the repaired lines.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..._utm import utm_crs
from ..._validate import check_positive, require_crs, require_frame, require_geom_types
from ...exceptions import CRSError, EmptyInputError, GeoAccessWarning, InputValidationError

logger = logging.getLogger(__name__)

#: Geometric tolerance (m) for "this point lies on that line / is that vertex" in repair.
_EPS_M = 1e-4  # 0.1 mm: far above floating error, far below any mapping accuracy
#: Endpoint matching grid (m) for counting nodes and components.
_KEY_M = 1e-6
#: A snapped end goes to the target line's end node instead of a new split point when the
#: nearest point on the line lies within this fraction of ``snap_tolerance_m`` of that node.
_NODE_PREFERENCE = 0.2


# --------------------------------------------------------------------------------------
# repair_roads
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadRepair:
    """What :func:`repair_roads` changed.

    Attributes
    ----------
    n_input_lines, n_output_lines : int
        LineStrings before (MultiLineStrings counted per part) and after.
    n_crossings_noded : int
        Points where lines crossed or touched without a shared line end and were split.
    n_endpoints_snapped : int
        Dangling line ends moved onto a line within the snap tolerance.
    n_components_before, n_components_after : int
        Connected components of the endpoint graph (lines are edges, line ends matched at
        1e-6 m are nodes) before and after.
    total_length_km_before, total_length_km_after : float
        Total line length in the metric CRS. ``after == before + snap_length_km`` up to
        rounding: noding splits lines without adding or losing length.
    snap_length_km : float
        Length of the snap segments added (each from a dangling end to its snap point).
    n_nodes_before, n_nodes_after : int
        Distinct line ends (graph nodes) before and after.
    snap_tolerance_m : float
        Tolerance used.
    metric_crs : str
        CRS the repair was computed in.
    seconds : float
        Run time.

    Examples
    --------
    Two roads crossing without a shared vertex, and a third ending 3 m short of one:

    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame({"id": [1, 2, 3]}, crs="EPSG:32748", geometry=[
    ...     LineString([(0, 0), (100, 100)]), LineString([(0, 100), (100, 0)]),
    ...     LineString([(100, 50), (53, 50)])])
    >>> fixed, report = repair_roads(roads)
    >>> report.n_crossings_noded, report.n_endpoints_snapped
    (1, 1)
    >>> report.n_components_before, report.n_components_after
    (3, 1)
    """

    n_input_lines: int
    n_output_lines: int
    n_crossings_noded: int
    n_endpoints_snapped: int
    n_components_before: int
    n_components_after: int
    total_length_km_before: float
    total_length_km_after: float
    snap_length_km: float
    n_nodes_before: int
    n_nodes_after: int
    snap_tolerance_m: float
    metric_crs: str
    seconds: float

    @property
    def length_check_km(self) -> float:
        """``after - before - snap_length_km``; zero up to rounding."""
        return self.total_length_km_after - self.total_length_km_before - self.snap_length_km

    def __str__(self) -> str:
        return "\n".join(
            [
                f"Road repair (in {self.metric_crs}, snap tolerance {self.snap_tolerance_m:g} m,"
                f" {self.seconds:.2f} s)",
                f"  lines               {self.n_input_lines:>8,} -> {self.n_output_lines:,}",
                f"  crossings noded     {self.n_crossings_noded:>8,}",
                f"  endpoints snapped   {self.n_endpoints_snapped:>8,}"
                f"  (snap segments {self.snap_length_km * 1000:,.1f} m)",
                f"  nodes               {self.n_nodes_before:>8,} -> {self.n_nodes_after:,}",
                f"  components          {self.n_components_before:>8,} -> {self.n_components_after:,}",
                f"  length km       {self.total_length_km_before:>12,.3f} -> "
                f"{self.total_length_km_after:,.3f} (snap segments +{self.snap_length_km:.4f}, "
                f"unexplained {self.length_check_km:+.2e})",
            ]
        )


def repair_roads(
    roads: gpd.GeoDataFrame,
    *,
    snap_tolerance_m: float = 5.0,
    node_crossings: bool = True,
) -> tuple[gpd.GeoDataFrame, RoadRepair]:
    """Make a road layer routable: node lines at crossings and snap near-miss line ends.

    Works in a metric CRS (the layer's own if projected in metres, else
    ``roads.estimate_utm_crs()``) and returns the lines in the input CRS.

    1. **Noding** (``node_crossings=True``): wherever two lines cross or touch at a point
       that is not an end of both (including shared interior vertices and overlaps), each
       line is split there at the same exact point. Lines keep their own attributes and
       direction. Self-crossing lines are split too.
    2. **Snapping**: a line end that no other line end shares (a dangling end) and that
       lies within ``snap_tolerance_m`` of another line is extended by a straight snap
       segment to the nearest point of that line, and that line is split there. If the
       nearest point is within ``0.2 * snap_tolerance_m`` of an end of the target line, the
       snap goes to that end instead (no sliver). Ends are handled nearest first, and an end
       that an earlier snap already reached is left alone. Lines touching the dangling
       line's other end are not targets, so short overshoots past a junction stay as they
       are (they are harmless dead ends).

    No length is added or removed except the snap segments (see :class:`RoadRepair`).

    Parameters
    ----------
    roads : GeoDataFrame
        LineStrings/MultiLineStrings (e.g. from :func:`read_roads`) with a CRS.
        MultiLineStrings are split into parts. Z values are dropped.
    snap_tolerance_m : float, default 5.0
        Largest gap in metres closed by snapping; ``0`` disables snapping. 5 m is about
        the positional accuracy of 1:50,000 maps (RBI: 0.1 mm at map scale = 5 m).
    node_crossings : bool, default True
        Split lines at crossings. Use ``False`` for OpenStreetMap data, where roads meet
        at shared nodes and a crossing without one is a bridge or tunnel.

    Returns
    -------
    repaired : GeoDataFrame
        One row per repaired line with the attributes of the source row, a new RangeIndex,
        in the input CRS. Vertices not touched keep their exact input coordinates.
    report : RoadRepair
        Counts, components and lengths before and after.

    Raises
    ------
    InputValidationError
        Not a GeoDataFrame, empty, missing/non-line geometries, bad tolerance.
    CRSError
        No CRS.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> x = gpd.GeoDataFrame({"id": [1, 2]}, crs="EPSG:32748", geometry=[
    ...     LineString([(0, 0), (10, 10)]), LineString([(0, 10), (10, 0)])])
    >>> fixed, report = repair_roads(x)
    >>> len(fixed), report.n_crossings_noded, report.n_components_after
    (4, 1, 1)
    """
    require_frame(roads, "roads")
    require_crs(roads, "roads")
    require_geom_types(roads, ("LineString", "MultiLineString"), "roads")
    if isinstance(snap_tolerance_m, bool) or not isinstance(snap_tolerance_m, int | float):
        raise InputValidationError(
            f"must be a number of metres, got {snap_tolerance_m!r}", argument="snap_tolerance_m"
        )
    check_positive(snap_tolerance_m, "snap_tolerance_m", allow_zero=True)
    if not isinstance(node_crossings, bool):
        raise InputValidationError(
            f"must be True or False, got {node_crossings!r}", argument="node_crossings"
        )
    t0 = time.perf_counter()
    tol = float(snap_tolerance_m)

    # ---- explode, 2D, metric coordinates ----------------------------------------------
    parts, src_row = shapely.get_parts(
        shapely.force_2d(np.asarray(roads.geometry.to_numpy())), return_index=True
    )
    keep = ~shapely.is_empty(parts) & (shapely.length(parts) > 0)
    n_dropped = int((~keep).sum())
    parts, src_row = parts[keep], src_row[keep]
    if len(parts) == 0:
        raise EmptyInputError(
            f"no line with a length > 0 ({n_dropped} empty or zero-length line part(s))",
            argument="roads",
        )
    if n_dropped:
        warnings.warn(
            f"repair_roads dropped {n_dropped} empty or zero-length line part(s); fix them "
            "in the source to keep them",
            GeoAccessWarning,
            stacklevel=2,
        )
    xy_in, vidx = shapely.get_coordinates(parts, return_index=True)
    metric = _metric_crs(roads)
    if CRS.from_user_input(roads.crs) == metric:
        xy_m = xy_in
        to_input = None
    else:
        fwd = Transformer.from_crs(roads.crs, metric, always_xy=True)
        to_input = Transformer.from_crs(metric, roads.crs, always_xy=True)
        xy_m = np.column_stack(fwd.transform(xy_in[:, 0], xy_in[:, 1]))
    n_lines = len(parts)
    offsets = np.concatenate([[0], np.cumsum(np.bincount(vidx, minlength=n_lines))])
    lines_m = shapely.linestrings(xy_m, indices=vidx)
    line_xy = [xy_m[offsets[k] : offsets[k + 1]] for k in range(n_lines)]
    line_orig = [np.arange(offsets[k], offsets[k + 1]) for k in range(n_lines)]
    length_before = float(shapely.length(lines_m).sum())
    starts0 = xy_m[offsets[:-1]]
    ends0 = xy_m[offsets[1:] - 1]
    n_nodes_before, n_comp_before = _endpoint_components(starts0, ends0)[:2]

    # ---- 1. noding at crossings --------------------------------------------------------
    n_crossings = 0
    if node_crossings:
        split_pts, cross_xy = _crossing_points(lines_m, starts0, ends0)
        piece_xy, piece_orig, piece_line = [], [], []
        used_pts: set[int] = set()
        for k in range(n_lines):
            pts_ids = split_pts.get(k)
            if pts_ids is None:
                piece_xy.append(line_xy[k])
                piece_orig.append(line_orig[k])
                piece_line.append(k)
                continue
            ids = np.fromiter(pts_ids, dtype=np.int64)
            pieces, used = _split_line(line_xy[k], line_orig[k], cross_xy[ids])
            used_pts.update(ids[used].tolist())
            for pxy, porig in pieces:
                piece_xy.append(pxy)
                piece_orig.append(porig)
                piece_line.append(k)
        n_crossings = len(used_pts)
    else:
        piece_xy, piece_orig, piece_line = list(line_xy), list(line_orig), list(range(n_lines))

    # ---- 2. snapping dangling ends ----------------------------------------------------
    n_snapped, snap_len = 0, 0.0
    if tol > 0:
        piece_xy, piece_orig, piece_line, n_snapped, snap_len = _snap_dangles(
            piece_xy, piece_orig, piece_line, tol
        )

    # ---- output -----------------------------------------------------------------------
    sizes = np.array([len(p) for p in piece_xy])
    all_xy = np.concatenate(piece_xy)
    all_orig = np.concatenate(piece_orig)
    pid = np.repeat(np.arange(len(piece_xy)), sizes)
    out_lines_m = shapely.linestrings(all_xy, indices=pid)
    length_after = float(shapely.length(out_lines_m).sum())
    p_off = np.concatenate([[0], np.cumsum(sizes)])
    n_nodes_after, n_comp_after, _ = _endpoint_components(all_xy[p_off[:-1]], all_xy[p_off[1:] - 1])

    out_xy = np.empty_like(all_xy)
    known = all_orig >= 0
    out_xy[known] = xy_in[all_orig[known]]
    if to_input is None:
        out_xy[~known] = all_xy[~known]
    elif (~known).any():
        out_xy[~known] = np.column_stack(to_input.transform(all_xy[~known, 0], all_xy[~known, 1]))
    out_geoms = shapely.linestrings(out_xy, indices=pid)

    geom_name = roads.geometry.name
    rows = src_row[np.asarray(piece_line, dtype=np.int64)]
    attrs = pd.DataFrame(roads.drop(columns=geom_name)).iloc[rows].reset_index(drop=True)
    out = gpd.GeoDataFrame(attrs, geometry=gpd.array.from_shapely(out_geoms), crs=roads.crs)
    if geom_name != "geometry":
        out = out.rename_geometry(geom_name)
    out = out[list(roads.columns)]
    # keep the source mark (OSM layers are never noded again downstream: a crossing
    # without a shared node there is a bridge)
    out.attrs.update(roads.attrs)

    report = RoadRepair(
        n_input_lines=n_lines,
        n_output_lines=len(out),
        n_crossings_noded=n_crossings,
        n_endpoints_snapped=n_snapped,
        n_components_before=n_comp_before,
        n_components_after=n_comp_after,
        total_length_km_before=length_before / 1000,
        total_length_km_after=length_after / 1000,
        snap_length_km=snap_len / 1000,
        n_nodes_before=n_nodes_before,
        n_nodes_after=n_nodes_after,
        snap_tolerance_m=tol,
        metric_crs=metric.to_string(),
        seconds=time.perf_counter() - t0,
    )
    logger.info("repair_roads:\n%s", report)
    return out, report


def _metric_crs(gdf: gpd.GeoDataFrame) -> CRS:
    crs = CRS.from_user_input(gdf.crs)
    if crs.is_projected and all(
        (ax.unit_name or "").lower() in ("metre", "meter", "m") for ax in crs.axis_info[:2]
    ):
        return crs
    utm = utm_crs(gdf)
    if utm is None:  # pragma: no cover - estimate_utm_crs raises rather than return None
        raise CRSError(
            "no UTM zone found for the layer; reproject it to a metric CRS first", argument="roads"
        )
    return utm


def _node_keys(points: np.ndarray) -> np.ndarray:
    """Integer keys of points on a 1e-6 m grid."""
    return np.rint(points / _KEY_M).astype(np.int64)


def _endpoint_components(starts: np.ndarray, ends: np.ndarray) -> tuple[int, int, np.ndarray]:
    """(number of nodes, number of connected components, node id per end [starts, ends])."""
    keys = _node_keys(np.vstack([starts, ends]))
    _, inv = np.unique(keys, axis=0, return_inverse=True)
    inv = inv.ravel()
    n_nodes = int(inv.max()) + 1
    m = len(starts)
    graph = coo_matrix((np.ones(m), (inv[:m], inv[m:])), shape=(n_nodes, n_nodes))
    n_comp, _ = connected_components(graph, directed=False)
    return n_nodes, int(n_comp), inv


def _crossing_points(
    lines: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[dict[int, set[int]], np.ndarray]:
    """Points where lines meet: ``({line index: {point id}}, point coordinates)``.

    Points within ``_EPS_M`` of each other are merged into one, and points within
    ``_EPS_M`` of a line end take that end's exact coordinates, so every line split at a
    place gets the same coordinates there.
    """
    tree = shapely.STRtree(lines)
    a, b = tree.query(lines, predicate="intersects")
    sel = a < b
    a, b = a[sel], b[sel]
    pair_a: list[np.ndarray] = []
    pair_b: list[np.ndarray] = []
    pts: list[np.ndarray] = []
    if len(a):
        inter = shapely.intersection(lines[a], lines[b])
        geoms, pidx = shapely.get_parts(inter, return_index=True)
        # nested collections: flatten one more level
        nested = shapely.get_type_id(geoms) >= 4
        if nested.any():
            sub, sidx = shapely.get_parts(geoms[nested], return_index=True)
            geoms = np.concatenate([geoms[~nested], sub])
            pidx = np.concatenate([pidx[~nested], pidx[nested][sidx]])
        tid = shapely.get_type_id(geoms)
        is_pt = tid == 0
        is_ln = (tid == 1) | (tid == 2)
        p_xy = shapely.get_coordinates(geoms[is_pt])
        ln = geoms[is_ln]
        l_xy = np.vstack(
            [
                shapely.get_coordinates(shapely.get_point(ln, 0)),
                shapely.get_coordinates(shapely.get_point(ln, -1)),
            ]
        )
        owner = np.concatenate([pidx[is_pt], pidx[is_ln], pidx[is_ln]])
        if is_ln.any():
            logger.info(
                "repair_roads: %d pair(s) of lines overlap; both are kept and split at the overlap ends",
                len(np.unique(pidx[is_ln])),
            )
        pts.append(np.vstack([p_xy, l_xy]))
        pair_a.append(a[owner])
        pair_b.append(b[owner])
    # self-crossing lines
    nonsimple = np.nonzero(~shapely.is_simple(lines))[0]
    for k in nonsimple:
        noded = shapely.get_parts(shapely.node(lines[k]))
        ends_k = np.vstack(
            [
                shapely.get_coordinates(shapely.get_point(noded, 0)),
                shapely.get_coordinates(shapely.get_point(noded, -1)),
            ]
        )
        pts.append(ends_k)
        pair_a.append(np.full(len(ends_k), k))
        pair_b.append(np.full(len(ends_k), k))
    if not pts:
        return {}, np.empty((0, 2))
    xy = np.vstack(pts)
    pa = np.concatenate(pair_a)
    pb = np.concatenate(pair_b)
    # take exact line-end coordinates for points within eps of an end of either line
    for side in (pa, pb):
        for ends_arr in (starts, ends):
            e = ends_arr[side]
            close = np.hypot(*(xy - e).T) <= _EPS_M
            xy[close] = e[close]
    # merge points within eps of each other (three lines through one point)
    uniq, inv = np.unique(xy, axis=0, return_inverse=True)
    inv = inv.ravel()
    ptree = shapely.STRtree(shapely.points(uniq))
    qa, qb = ptree.query(shapely.points(uniq), predicate="dwithin", distance=_EPS_M)
    n_u = len(uniq)
    _, label = connected_components(
        coo_matrix((np.ones(len(qa)), (qa, qb)), shape=(n_u, n_u)), directed=False
    )
    _, rep = np.unique(label, return_index=True)  # first point of each cluster represents it
    pid = rep[label[inv]]
    out: dict[int, set[int]] = {}
    for side in (pa, pb):
        for k, p in zip(side.tolist(), pid.tolist(), strict=True):
            out.setdefault(k, set()).add(p)
    return out, uniq


def _split_line(
    xy: np.ndarray, orig: np.ndarray, pts: np.ndarray
) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """Split one line at every place it passes within ``_EPS_M`` of one of ``pts``.

    A vertex within ``_EPS_M`` of a split point is replaced by the point; the split point
    gets original index -1 unless it equals the vertex exactly. Places within ``_EPS_M`` of
    the line's ends do not split. Returns the pieces ``(xy, orig)`` in line order and, per
    point, whether it split the line.
    """
    m = len(pts)
    used = np.zeros(m, dtype=bool)
    n = len(xy)
    if m == 0 or n < 2:
        return [(xy, orig)], used
    a = xy[:-1]
    d = xy[1:] - a
    seg2 = (d * d).sum(axis=1)
    seglen = np.sqrt(seg2)
    cum = np.concatenate([[0.0], np.cumsum(seglen)])
    total = cum[-1]
    ev_pos, ev_seg, ev_vert, ev_pt = [], [], [], []
    chunk = max(1, 2_000_000 // max(n - 1, 1))
    for c0 in range(0, m, chunk):
        p = pts[c0 : c0 + chunk]
        rel = p[:, None, :] - a[None, :, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(seg2 > 0, (rel * d).sum(axis=2) / seg2, 0.0)
        t = np.clip(t, 0.0, 1.0)
        off = rel - t[..., None] * d
        dist = np.hypot(off[..., 0], off[..., 1])
        pi, si = np.nonzero(dist <= _EPS_M)
        if len(pi) == 0:
            continue
        along = t[pi, si] * seglen[si]
        vert = np.where(along <= _EPS_M, si, np.where(seglen[si] - along <= _EPS_M, si + 1, -1))
        pos = np.where(vert >= 0, cum[np.maximum(vert, 0)], cum[si] + along)
        ev_pos.append(pos)
        ev_seg.append(si)
        ev_vert.append(vert)
        ev_pt.append(pi + c0)
    if not ev_pos:
        return [(xy, orig)], used
    pos = np.concatenate(ev_pos)
    seg = np.concatenate(ev_seg)
    vert = np.concatenate(ev_vert)
    pt = np.concatenate(ev_pt)
    inner = (pos > _EPS_M) & (pos < total - _EPS_M) & (vert != 0) & (vert != n - 1)
    pos, seg, vert, pt = pos[inner], seg[inner], vert[inner], pt[inner]
    if len(pos) == 0:
        return [(xy, orig)], used
    order = np.lexsort((pt, pos))
    pos, seg, vert, pt = pos[order], seg[order], vert[order], pt[order]
    # drop repeats: same place (a point at a vertex is found on both adjacent segments,
    # and two points may land on one vertex)
    keep = np.ones(len(pos), dtype=bool)
    last_pos = -np.inf
    last_vert = -2
    for i in range(len(pos)):
        if pos[i] - last_pos <= 2 * _EPS_M or (vert[i] >= 0 and vert[i] == last_vert):
            keep[i] = False
            continue
        last_pos, last_vert = pos[i], vert[i]
    pos, seg, vert, pt = pos[keep], seg[keep], vert[keep], pt[keep]
    used[np.unique(pt)] = True

    pieces: list[tuple[np.ndarray, np.ndarray]] = []
    cur_xy = [xy[:1]]
    cur_or = [orig[:1]]
    nxt = 1  # next vertex to copy
    for s, v, p in zip(seg.tolist(), vert.tolist(), pt.tolist(), strict=True):
        stop = v if v >= 0 else s + 1  # copy vertices nxt .. stop-1
        cur_xy.append(xy[nxt:stop])
        cur_or.append(orig[nxt:stop])
        point = pts[p]
        p_orig = orig[v] if v >= 0 and np.array_equal(point, xy[v]) else -1
        cur_xy.append(point[None, :])
        cur_or.append(np.array([p_orig]))
        pieces.append((np.concatenate(cur_xy), np.concatenate(cur_or)))
        cur_xy = [point[None, :]]
        cur_or = [np.array([p_orig])]
        nxt = v + 1 if v >= 0 else s + 1
    cur_xy.append(xy[nxt:])
    cur_or.append(orig[nxt:])
    pieces.append((np.concatenate(cur_xy), np.concatenate(cur_or)))
    return pieces, used


def _snap_dangles(
    piece_xy: list[np.ndarray],
    piece_orig: list[np.ndarray],
    piece_line: list[int],
    tol: float,
) -> tuple[list[np.ndarray], list[np.ndarray], list[int], int, float]:
    """Snap dangling ends onto the nearest other line within ``tol`` (see repair_roads)."""
    n = len(piece_xy)
    starts = np.array([p[0] for p in piece_xy])
    ends = np.array([p[-1] for p in piece_xy])
    _, _, node = _endpoint_components(starts, ends)
    node_start, node_end = node[:n], node[n:]
    degree = np.bincount(node, minlength=int(node.max()) + 1)
    dangling = np.nonzero(degree[node] == 1)[0]  # index into [starts, ends]
    if len(dangling) == 0:
        return piece_xy, piece_orig, piece_line, 0, 0.0
    d_piece = dangling % n
    d_is_end = dangling >= n
    d_xy = np.where(d_is_end[:, None], ends[d_piece], starts[d_piece])
    d_other = np.where(d_is_end, node_start[d_piece], node_end[d_piece])
    geoms = shapely.linestrings(
        np.concatenate(piece_xy), indices=np.repeat(np.arange(n), [len(p) for p in piece_xy])
    )
    d_pts = shapely.points(d_xy)
    tree = shapely.STRtree(geoms)
    qi, qc = tree.query(d_pts, predicate="dwithin", distance=tol)
    ok = (qc != d_piece[qi]) & (node_start[qc] != d_other[qi]) & (node_end[qc] != d_other[qi])
    qi, qc = qi[ok], qc[ok]
    if len(qi) == 0:
        return piece_xy, piece_orig, piece_line, 0, 0.0
    dist = shapely.distance(d_pts[qi], geoms[qc])
    order = np.lexsort((qc, dist, qi))
    qi, qc, dist = qi[order], qc[order], dist[order]
    first = np.concatenate([[True], qi[1:] != qi[:-1]])
    qi, qc, dist = qi[first], qc[first], dist[first]
    # nearest point on each target
    targets = geoms[qc]
    near = shapely.line_interpolate_point(targets, shapely.line_locate_point(targets, d_pts[qi]))
    near_xy = shapely.get_coordinates(near)

    splits: dict[int, list[np.ndarray]] = {}
    extend: dict[tuple[int, bool], np.ndarray] = {}
    n_snapped, snap_len = 0, 0.0
    degree = degree.copy()
    pref = max(_EPS_M, _NODE_PREFERENCE * tol)
    for j in np.argsort(dist, kind="stable").tolist():
        e = qi[j]
        e_node = node[dangling[e]]
        if degree[e_node] != 1:
            continue  # an earlier snap reached this end
        c = qc[j]
        exy = d_xy[e]
        p = near_xy[j]
        target_node = None
        for cand_xy, cand_node in ((starts[c], node_start[c]), (ends[c], node_end[c])):
            to_node = np.hypot(*(p - cand_xy))
            if to_node <= _EPS_M or (to_node <= pref and np.hypot(*(exy - cand_xy)) <= tol):
                p, target_node = cand_xy, cand_node
                break
        if target_node is None:
            if dist[j] <= _EPS_M:
                p = exy  # the end already lies on the line: split it exactly there
            splits.setdefault(int(c), []).append(np.asarray(p, dtype=float))
        else:
            degree[target_node] += 1
        degree[e_node] += 1
        gap = float(np.hypot(*(p - exy)))
        if gap > 0:
            extend[(int(d_piece[e]), bool(d_is_end[e]))] = np.asarray(p, dtype=float)
            snap_len += gap
        n_snapped += 1

    new_xy, new_orig, new_line = [], [], []
    for k in range(n):
        if k in splits:
            pieces, _ = _split_line(piece_xy[k], piece_orig[k], np.vstack(splits[k]))
        else:
            pieces = [(piece_xy[k], piece_orig[k])]
        pieces = list(pieces)
        if (k, False) in extend:
            pxy, por = pieces[0]
            pieces[0] = (np.vstack([extend[(k, False)], pxy]), np.concatenate([[-1], por]))
        if (k, True) in extend:
            pxy, por = pieces[-1]
            pieces[-1] = (np.vstack([pxy, extend[(k, True)]]), np.concatenate([por, [-1]]))
        for pxy, por in pieces:
            new_xy.append(pxy)
            new_orig.append(por)
            new_line.append(piece_line[k])
    logger.debug("snapped %d dangling end(s) of %d", n_snapped, len(dangling))
    return new_xy, new_orig, new_line, n_snapped, snap_len
