"""An independent oracle for the hybrid road + off-road graph (issue 6).

It rebuilds, from the same input geometry, a plain :mod:`networkx` graph by the written
rules below and nothing else: no geoaccess import, no look at ``Network.graph``. The
engine (``geoaccess.build_network`` + ``geoaccess.travel_time``) must give the same
time to the nearest facility for every home.

Rules (the specification, see docs/method.md and issue 6)
----------------------------------------------------------
1. Lattice: square cells of ``resolution_m``, upper-left corner at
   ``(floor(minx/res)*res, ceil(maxy/res)*res)`` of the area bounds. A cell is passable
   iff its centre lies inside the area and no barrier touches the cell (all_touched).
   8-neighbour edges, time ``0.5*step/v_a + 0.5*step/v_b``; a diagonal step only if at
   least one of the two cells sharing its corner is passable.
2. Roads: each line cut with :func:`shapely.segmentize` at ``max_edge_m``, a node at every
   vertex, time ``length / class speed``, both ways.
3. Connectors: each road node in a passable cell to that cell's centre, both ways, at the
   off-road speed.
4. Points (homes, facilities) join the graph
   (a) at their own cell's centre when that cell is passable;
   (b) at the nearest point of the nearest road piece when the straight leg is at most one
       resolution, home and road point lie in passable cells and the leg crosses no
       barrier, then along the piece to either end;
   (c) when their own cell is not passable: at the nearest passable cell centre whose
       straight leg crosses no barrier, and at the nearest road point when it is within
       ``max_access_m`` and the leg crosses no barrier.
   In (b) and (c), when the nearest road point's leg crosses a barrier, the nearest road
   point within the same reach whose leg does not is used instead (its own side).
5. Direct trips: a home and a facility on the same road piece go along it; a home and a
   facility in the same passable cell go straight at the off-road speed.

Time = min over first leg + graph path + last leg (and the direct trips).

:class:`Rules` switches single rules off or breaks them on purpose, so the tests can show
that the layouts exercise them (a broken oracle must disagree with the engine).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import LineString, Point, box

M_PER_MIN_PER_KPH = 1000.0 / 60.0


@dataclass(frozen=True, eq=False)
class Layout:
    """Input geometry of one test case, all in metres (EPSG:32748)."""

    name: str
    area: shapely.Polygon
    resolution_m: float
    offroad_kph: float
    max_edge_m: float
    roads: tuple[tuple[LineString, str], ...]
    speeds_kph: dict[str, float]
    homes: np.ndarray  # (n, 2)
    facilities: np.ndarray  # (m, 2)
    barriers: tuple[shapely.Geometry, ...] = ()

    def describe(self) -> str:
        roads = "; ".join(
            f"{cls} {self.speeds_kph[cls]:.3f} km/h {list(line.coords)}" for line, cls in self.roads
        )
        bars = "; ".join(g.wkt for g in self.barriers) or "none"
        return (
            f"layout {self.name}: area {self.area.bounds}, res {self.resolution_m:g} m, "
            f"off-road {self.offroad_kph:.4f} km/h, max_edge_m {self.max_edge_m:g}\n"
            f"  roads: {roads}\n  barriers: {bars}\n"
            f"  facilities: {self.facilities.tolist()}"
        )


@dataclass(frozen=True)
class Rules:
    """Which rules the oracle applies; the defaults are the specification."""

    connector_factor: float = 1.0  # 2.0: connectors cost double
    corner_cutting: bool = False  # True: diagonal steps between two impassable cells allowed
    leg_barriers: bool = True  # False: first/last legs may cross barriers
    partway: bool = True  # False: road legs go to the nearer end node of the piece only
    roads: bool = True  # False: ignore the roads
    barriers: bool = True  # False: ignore the barriers
    same_piece: bool = True  # False: no direct trip along a shared road piece
    same_cell: bool = True  # False: no direct trip within a shared cell
    max_access_m: float = 5000.0
    # Rule 4 takes the nearest road point whose leg crosses no barrier: when the nearest
    # road lies across a river, the nearest one on the point's own side (within one
    # resolution and on a passable cell for points on the lattice, within max_access_m
    # otherwise). False: the literal first reading, which drops the road leg instead.
    road_fallback: bool = True


@dataclass
class Attachment:
    """How one point joins the graph."""

    cands: list[tuple[object, float]] = field(default_factory=list)  # (node, leg minutes)
    piece: tuple[int, float, float] | None = None  # (piece index, frac from a, leg minutes)
    cell: tuple[int, int] | None = None  # own passable cell


class Oracle:
    """The networkx graph of one layout under :class:`Rules`."""

    def __init__(self, layout: Layout, rules: Rules | None = None):
        self.layout = layout
        self.rules = rules = rules or Rules()
        res = self.res = float(layout.resolution_m)
        self.v = layout.offroad_kph * M_PER_MIN_PER_KPH  # off-road metres per minute
        minx, miny, maxx, maxy = layout.area.bounds
        self.x0 = math.floor(minx / res) * res
        self.y0 = math.ceil(maxy / res) * res
        self.nrows = math.ceil((self.y0 - miny) / res)
        self.ncols = math.ceil((maxx - self.x0) / res)
        bars = [g for g in layout.barriers if rules.barriers]
        self.barrier = shapely.union_all(bars) if bars else None

        # rule 1: passable cells and lattice edges
        self.passable = np.zeros((self.nrows, self.ncols), dtype=bool)
        for r in range(self.nrows):
            for c in range(self.ncols):
                inside = layout.area.contains(Point(self.centre(r, c)))
                touched = self.barrier is not None and self.barrier.intersects(self.cell_box(r, c))
                self.passable[r, c] = inside and not touched
        self.G = nx.Graph()
        for r, c in zip(*np.nonzero(self.passable), strict=True):
            self.G.add_node(("cell", int(r), int(c)))
            for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                r2, c2 = r + dr, c + dc
                if not self.is_passable(r2, c2):
                    continue
                if dr and dc and not rules.corner_cutting:
                    if not (self.is_passable(r + dr, c) or self.is_passable(r, c + dc)):
                        continue
                step = res * (math.sqrt(2.0) if dr and dc else 1.0)
                self._link(("cell", int(r), int(c)), ("cell", int(r2), int(c2)), step / self.v)

        # rule 2: road pieces
        self.pieces: list[tuple[np.ndarray, np.ndarray, object, object, float]] = []
        self.road_xy: dict[object, np.ndarray] = {}
        for line, cls in layout.roads if rules.roads else ():
            xy = shapely.get_coordinates(shapely.segmentize(line, layout.max_edge_m))
            speed = layout.speeds_kph[cls] * M_PER_MIN_PER_KPH
            for a, b in itertools.pairwise(xy):
                if np.array_equal(a, b):
                    continue
                ka, kb = self._road_key(a), self._road_key(b)
                self.road_xy.setdefault(ka, a)
                self.road_xy.setdefault(kb, b)
                t = float(np.hypot(*(b - a))) / speed
                self.pieces.append((a, b, ka, kb, t))
                self._link(ka, kb, t)
        # rule 3: connectors
        for node, xy in self.road_xy.items():
            cell = self.cell_of(xy)
            if cell is not None and self.passable[cell]:
                d = math.dist(xy, self.centre(*cell))
                self._link(node, ("cell", *cell), rules.connector_factor * d / self.v)

    # --- geometry helpers -------------------------------------------------------------

    def centre(self, r: int, c: int) -> tuple[float, float]:
        return (self.x0 + (c + 0.5) * self.res, self.y0 - (r + 0.5) * self.res)

    def cell_box(self, r: int, c: int) -> shapely.Polygon:
        x, y = self.x0 + c * self.res, self.y0 - r * self.res
        return box(x, y - self.res, x + self.res, y)

    def cell_of(self, xy) -> tuple[int, int] | None:
        c = math.floor((xy[0] - self.x0) / self.res)
        r = math.floor((self.y0 - xy[1]) / self.res)
        return (r, c) if 0 <= r < self.nrows and 0 <= c < self.ncols else None

    def is_passable(self, r: int, c: int) -> bool:
        return 0 <= r < self.nrows and 0 <= c < self.ncols and bool(self.passable[r, c])

    def on_lattice(self, xy) -> bool:
        cell = self.cell_of(xy)
        return cell is not None and bool(self.passable[cell])

    def crosses_barrier(self, p, q) -> bool:
        return self.barrier is not None and self.barrier.intersects(LineString([tuple(p), tuple(q)]))

    def _clear(self, p, q) -> bool:
        return not (self.rules.leg_barriers and self.crosses_barrier(p, q))

    @staticmethod
    def _road_key(xy) -> tuple[str, int, int]:
        return ("road", round(float(xy[0]) * 1000), round(float(xy[1]) * 1000))

    def _link(self, u, v, w: float) -> None:
        """Undirected edge keeping the fastest of parallel ones."""
        if not self.G.has_edge(u, v) or self.G[u][v]["w"] > w:
            self.G.add_edge(u, v, w=w)

    def nearest_piece(self, p) -> tuple[int, float, np.ndarray, float] | None:
        """(piece index, distance, nearest point, frac from a) or None without roads."""
        if not self.pieces:
            return None
        p = np.asarray(p, dtype=float)
        a = np.array([pc[0] for pc in self.pieces])
        b = np.array([pc[1] for pc in self.pieces])
        ab = b - a
        frac = np.clip(((p - a) * ab).sum(axis=1) / (ab**2).sum(axis=1), 0.0, 1.0)
        q = a + frac[:, None] * ab
        d = np.hypot(*(q - p).T)
        k = int(np.argmin(d))
        return k, float(d[k]), q[k], float(frac[k])

    def _nearest_clear_piece(self, p, reach: float, on: bool) -> tuple[int, float, np.ndarray, float]:
        """Nearest piece (by its nearest point) within ``reach`` with a leg clear of barriers."""
        a = np.array([pc[0] for pc in self.pieces])
        b = np.array([pc[1] for pc in self.pieces])
        ab = b - a
        frac = np.clip(((p - a) * ab).sum(axis=1) / (ab**2).sum(axis=1), 0.0, 1.0)
        q = a + frac[:, None] * ab
        d = np.hypot(*(q - p).T)
        for k in np.argsort(d, kind="stable"):
            if d[k] > reach:
                break
            if not self.crosses_barrier(p, q[k]) and (self.on_lattice(q[k]) or not on):
                return int(k), float(d[k]), q[k], float(frac[k])
        return -1, np.inf, p, 0.0

    def road_leg_crosses_barrier(self, p) -> bool:
        """True where rule 4(b) would allow the road leg but for a barrier on it."""
        near = self.nearest_piece(p)
        if near is None or not self.on_lattice(p):
            return False
        _, d, q, _ = near
        return d <= self.res and self.on_lattice(q) and self.crosses_barrier(p, q)

    # --- rule 4: attaching points -------------------------------------------------------

    def attach(self, p) -> Attachment:
        p = np.asarray(p, dtype=float)
        att = Attachment()
        cell = self.cell_of(p)
        on = cell is not None and bool(self.passable[cell])
        if on:  # 4(a)
            att.cell = cell
            att.cands.append((("cell", *cell), math.dist(p, self.centre(*cell)) / self.v))
        else:  # 4(c): nearest passable cell centre with a clear leg
            best = None
            for r, c in zip(*np.nonzero(self.passable), strict=True):
                ctr = self.centre(int(r), int(c))
                d = math.dist(p, ctr)
                if (best is None or d < best[0]) and self._clear(p, ctr):
                    best = (d, (int(r), int(c)))
            if best is not None:
                att.cands.append((("cell", *best[1]), best[0] / self.v))
        near = self.nearest_piece(p)
        if near is not None:
            k, d, q, frac = near
            a, b, ka, kb, t = self.pieces[k]
            if not self.rules.partway:
                frac = 0.0 if frac < 0.5 else 1.0
                q = a if frac == 0.0 else b
                d = math.dist(p, q)
            if on:  # 4(b)
                ok = d <= self.res and self.on_lattice(q) and self._clear(p, q)
            else:  # 4(c)
                ok = d <= self.rules.max_access_m and self._clear(p, q)
            if (
                not ok
                and self.rules.road_fallback
                and (d <= self.res and self.on_lattice(q) if on else d <= self.rules.max_access_m)
            ):
                k, d, q, frac = self._nearest_clear_piece(p, self.res if on else self.rules.max_access_m, on)
                ok = k >= 0
                if ok:
                    a, b, ka, kb, t = self.pieces[k]
            if ok:
                leg = d / self.v
                att.piece = (k, frac, leg)
                att.cands += [(ka, leg + frac * t), (kb, leg + (1.0 - frac) * t)]
        return att

    # --- travel times --------------------------------------------------------------------

    def times(self) -> np.ndarray:
        """Minutes from each home to its nearest facility (inf when unreachable)."""
        G = self.G.copy()
        sink = ("sink",)
        fac = [self.attach(f) for f in self.layout.facilities]
        G.add_node(sink)
        for att in fac:
            for node, leg in att.cands:
                if not G.has_edge(sink, node) or G[sink][node]["w"] > leg:
                    G.add_edge(sink, node, w=leg)
        # every edge is two-way, so time from a node to the facilities = search from them
        dist = nx.single_source_dijkstra_path_length(G, sink, weight="w")
        out = np.full(len(self.layout.homes), np.inf)
        for i, h in enumerate(self.layout.homes):
            att = self.attach(h)
            best = min((leg + dist.get(node, np.inf) for node, leg in att.cands), default=np.inf)
            for fa, f in zip(fac, self.layout.facilities, strict=True):
                # rule 5: along a shared road piece, or straight within a shared cell
                if (
                    self.rules.same_piece
                    and att.piece is not None
                    and fa.piece is not None
                    and att.piece[0] == fa.piece[0]
                ):
                    t = self.pieces[att.piece[0]][4]
                    best = min(best, att.piece[2] + fa.piece[2] + abs(att.piece[1] - fa.piece[1]) * t)
                if self.rules.same_cell and att.cell is not None and att.cell == fa.cell:
                    best = min(best, math.dist(h, f) / self.v)
            out[i] = best
        return out
