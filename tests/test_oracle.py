"""The engine against an independent networkx oracle on random small layouts (issue 6).

The oracle (``tests/oracle.py``) builds its own graph from the input geometry by the
written rules; it never reads ``Network.graph``. Layouts are seeded, a few km across,
in EPSG:32748, with explicit off-road and road speeds and ``repair=False``.

* ``test_plain_*``: rules 1-3, 4(a), 4(b) and direct trips along a shared road piece,
  without and with barriers (every point on a passable cell, no road leg across a
  barrier, no home in a facility's cell, so the rules below stay out of the way).
* ``test_off_lattice_*``: rule 4(c), points on a barrier-blocked cell or outside the area.
* ``test_same_cell_*``: rule 5, home and facility in one cell.
* ``test_road_leg_*`` / ``test_corner_cutting_*``: hand-made layouts for barriers on the
  first/last leg and for diagonal rivers.
* ``test_oracle_catches_*``: a broken oracle (doubled connectors, corner cutting, legs
  across barriers, no part-way attachment, no roads, no barriers) disagrees with the true
  one, and with the engine, on at least one layout: the layouts exercise those rules.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from functools import cache

import geopandas as gpd
import numpy as np
import pytest
from oracle import Layout, Oracle, Rules
from shapely.geometry import LineString, Point, box

import geoaccess as ga
from geoaccess.exceptions import GeoAccessWarning

UTM = "EPSG:32748"
X0, Y0 = 432_000.0, 9_611_000.0  # south Sumatra, UTM 48S
CLASSES = ("arteri", "kolektor", "lokal", "lingkungan")

PLAIN = tuple(range(0, 12))
PLAIN_BARRIER = tuple(range(100, 112))
OFF_LATTICE = tuple(range(200, 210))
SAME_CELL = tuple(range(300, 306))


# --- layouts --------------------------------------------------------------------------


def _barriers(rng: np.random.Generator, area, res: float) -> tuple:
    """A straight river across the area, or a 'dotted' diagonal river of blocked cells."""
    minx, miny, maxx, maxy = area.bounds
    w, h = maxx - minx, maxy - miny
    if rng.random() < 0.6:
        if rng.random() < 0.5:  # west to east
            ya, yb = miny + h * rng.uniform(0.2, 0.8, 2)
            return (LineString([(minx - 100, ya), (maxx + 100, yb)]),)
        xa, xb = minx + w * rng.uniform(0.2, 0.8, 2)
        return (LineString([(xa, miny - 100), (xb, maxy + 100)]),)
    # one short segment inside each cell along a diagonal: cells meet only at corners
    x0 = math.floor(minx / res) * res
    y0 = math.ceil(maxy / res) * res
    ncols = math.ceil((maxx - x0) / res)
    nrows = math.ceil((y0 - miny) / res)
    c, dc = (ncols - 1, -1) if rng.random() < 0.5 else (0, 1)
    r = int(rng.integers(0, max(1, nrows // 3)))
    out = []
    while 0 <= r < nrows and 0 <= c < ncols:
        cx, cy = x0 + (c + 0.5) * res, y0 - (r + 0.5) * res
        dx, dy = rng.uniform(-0.2, 0.2, 2) * res
        out.append(LineString([(cx + dx - 0.1 * res, cy + dy), (cx + dx + 0.1 * res, cy + dy + 0.05 * res)]))
        r, c = r + 1, c + dc
    return tuple(out)


def _in_area(rng: np.random.Generator, area, n: int) -> np.ndarray:
    minx, miny, maxx, maxy = area.bounds
    return np.column_stack([rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)])


def _near_barrier_or_outside(rng: np.random.Generator, area, barriers, res: float) -> np.ndarray:
    """A point likely off the lattice: close to a barrier, or just outside the area."""
    if barriers and rng.random() < 0.65:
        line = barriers[int(rng.integers(len(barriers)))]
        p = line.interpolate(rng.uniform(0.1, 0.9), normalized=True)
        return np.array([p.x, p.y]) + rng.uniform(-0.3, 0.3, 2) * res
    minx, miny, maxx, maxy = area.bounds
    side = int(rng.integers(4))
    t = rng.uniform(0.05, 0.95)
    out = rng.uniform(20, 300)
    return {
        0: np.array([minx - out, miny + t * (maxy - miny)]),
        1: np.array([maxx + out, miny + t * (maxy - miny)]),
        2: np.array([minx + t * (maxx - minx), miny - out]),
        3: np.array([minx + t * (maxx - minx), maxy + out]),
    }[side]


@cache
def random_layout(seed: int, kind: str) -> Layout:
    """``kind``: plain, plain_barrier, off_lattice (rule 4c) or same_cell (rule 5)."""
    rng = np.random.default_rng(seed)
    res = float(rng.choice([250.0, 500.0]))
    w, h = rng.uniform(2000, 4000, 2)
    ox, oy = X0 + rng.uniform(0, 1000), Y0 + rng.uniform(0, 1000)
    area = box(ox, oy, ox + w, oy + h)
    offroad = float(rng.uniform(3, 12))
    speeds = {c: float(rng.uniform(15, 70)) for c in CLASSES}
    max_edge = float(res * rng.choice([0.5, 1.0, 1.7]))
    roads = []
    big = box(ox - 0.1 * w, oy - 0.1 * h, ox + 1.1 * w, oy + 1.1 * h)
    for _ in range(int(rng.integers(1, 4))):
        xy = _in_area(rng, big, int(rng.choice([2, 3])))
        roads.append((LineString(xy), str(rng.choice(CLASSES))))
    barriers = _barriers(rng, area, res) if kind != "plain" else ()
    base = Layout(
        seed, area, res, offroad, max_edge, tuple(roads), speeds, np.empty((0, 2)), np.empty((0, 2)), barriers
    )
    probe = Oracle(base)

    def plain_point() -> np.ndarray:
        for _ in range(1000):
            p = _in_area(rng, area, 1)[0]
            if probe.on_lattice(p) and not probe.road_leg_crosses_barrier(p):
                return p
        raise AssertionError(f"no plain point in layout {seed}")

    def off_point() -> np.ndarray:
        for _ in range(1000):
            p = _near_barrier_or_outside(rng, area, barriers, res)
            if not probe.on_lattice(p):
                return p
        raise AssertionError(f"no off-lattice point in layout {seed}")

    n_fac = int(rng.integers(1, 4))
    facs = [plain_point() for _ in range(n_fac)]
    if kind == "off_lattice":
        facs[0] = off_point()
    fac_cells = {probe.cell_of(f) for f in facs}
    homes = []
    while len(homes) < 7:
        p = plain_point()
        if probe.cell_of(p) not in fac_cells:
            homes.append(p)
    if kind == "off_lattice":
        homes += [off_point() for _ in range(4)]
    if kind == "same_cell":
        for f in facs:
            if probe.on_lattice(f):
                r, c = probe.cell_of(f)
                cx, cy = probe.centre(r, c)
                for _ in range(2):
                    p = np.array([cx, cy]) + rng.uniform(-0.49, 0.49, 2) * res
                    if not probe.road_leg_crosses_barrier(p):
                        homes.append(p)
    return Layout(
        f"{kind}-{seed}",
        area,
        res,
        offroad,
        max_edge,
        tuple(roads),
        speeds,
        np.array(homes),
        np.array(facs),
        barriers,
    )


def corner_layout() -> Layout:
    """A 9x9 lattice of 250 m cells cut by a diagonal river of blocked cells that meet only at
    their corners; one road crosses it. Corner cutting would let the lattice jump the river."""
    res = 250.0
    area = box(X0 + 10, Y0 + 10, X0 + 2240, Y0 + 2240)  # grid corner (X0, Y0 + 2250)
    bars = []
    for r in range(9):  # anti-diagonal cells (r, 8 - r)
        cx, cy = X0 + (8 - r + 0.5) * res, Y0 + 2250 - (r + 0.5) * res
        bars.append(LineString([(cx - 30, cy - 10), (cx + 30, cy + 12)]))
    road = LineString([(X0 + 1630, Y0 + 1710), (X0 + 520, Y0 + 480)])  # crosses the river
    return Layout(
        "corner",
        area,
        res,
        4.0,
        125.0,
        ((road, "lokal"),),
        {c: 30.0 for c in CLASSES},
        np.array([[X0 + 210, Y0 + 1930], [X0 + 1030, Y0 + 1870], [X0 + 170, Y0 + 1100]]),
        np.array([[X0 + 1980, Y0 + 330], [X0 + 1320, Y0 + 460]]),
        tuple(bars),
    )


def road_leg_layout() -> Layout:
    """A short barrier ending inside one cell, across the straight leg from a home in the
    cell to its west to the road in the cell to its north (leg < one resolution)."""
    res = 250.0
    area = box(X0 + 5, Y0 + 5, X0 + 1995, Y0 + 1995)  # grid corner (X0, Y0 + 2000)
    # blocked cell: x 1000..1250, y 750..1000 (local); barrier from its middle to near its NW corner
    bar = LineString([(X0 + 1100, Y0 + 850), (X0 + 1010, Y0 + 990)])
    road = LineString([(X0 + 1040, Y0 + 1010), (X0 + 1900, Y0 + 1900)])
    return Layout(
        "road-leg",
        area,
        res,
        5.0,
        2000.0,  # one piece: the home and the facility attach part-way along it
        ((road, "arteri"),),
        {c: 50.0 for c in CLASSES},
        np.array([[X0 + 980, Y0 + 900], [X0 + 1020, Y0 + 1070]]),
        np.array([[X0 + 1880, Y0 + 1860]]),
        (bar,),
    )


# --- engine ---------------------------------------------------------------------------


@cache
def engine_times(layout: Layout) -> np.ndarray:
    """geoaccess minutes per home (inf when unreachable)."""
    roads = gpd.GeoDataFrame(
        {"road_class": [c for _, c in layout.roads]}, geometry=[g for g, _ in layout.roads], crs=UTM
    )
    barriers = gpd.GeoDataFrame(geometry=list(layout.barriers), crs=UTM) if layout.barriers else None
    net = ga.build_network(
        roads,
        "motorbike",
        area=gpd.GeoSeries([layout.area], crs=UTM),
        resolution_m=layout.resolution_m,
        speeds_kph=layout.speeds_kph,
        offroad_speed_kph=layout.offroad_kph,
        barriers=barriers,
        repair=False,
        max_edge_m=layout.max_edge_m,
    )
    homes = gpd.GeoDataFrame(geometry=[Point(p) for p in layout.homes], crs=UTM)
    fac = gpd.GeoDataFrame(
        {"facility_id": [f"F{i}" for i in range(len(layout.facilities))]},
        geometry=[Point(p) for p in layout.facilities],
        crs=UTM,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)  # unattached facilities are a result here
        out = ga.travel_time(net, homes, fac)
    t = out["travel_time_min"].to_numpy(dtype=float)
    assert (np.isfinite(t) == out["reachable"].to_numpy(dtype=bool)).all()
    return np.where(np.isfinite(t), t, np.inf)


@cache
def oracle_times(layout: Layout, rules: Rules | None = None) -> np.ndarray:
    return Oracle(layout, rules).times()


def where(layout: Layout, p: np.ndarray) -> str:
    """How the oracle sees a point: its cell and its nearest road point."""
    o = Oracle(layout)
    cell = o.cell_of(p)
    state = (
        "outside the grid" if cell is None else f"cell {cell} {'passable' if o.on_lattice(p) else 'blocked'}"
    )
    near = o.nearest_piece(p)
    if near is None:
        return state
    _, d, q, frac = near
    return (
        f"{state}; nearest road point {q.tolist()} ({d:.1f} m, frac {frac:.3f}, "
        f"{'passable' if o.on_lattice(q) else 'not passable'}), "
        f"leg crosses a barrier: {o.crosses_barrier(p, q)}"
    )


def assert_engine_matches_oracle(layout: Layout, homes: np.ndarray | None = None) -> None:
    """Same reachability and times (rtol 1e-9) for every home, or for the homes selected."""
    want, got = oracle_times(layout), engine_times(layout)
    sel = np.arange(len(want)) if homes is None else np.asarray(homes)
    bad = [
        i
        for i in sel
        if np.isfinite(want[i]) != np.isfinite(got[i])
        or (np.isfinite(want[i]) and not math.isclose(want[i], got[i], rel_tol=1e-9))
    ]
    if bad:
        rows = "\n".join(
            f"  home {i} at {layout.homes[i].tolist()}: expected {want[i]!r} min, got {got[i]!r} min"
            f"\n    {where(layout, layout.homes[i])}"
            for i in bad
        )
        facs = "\n".join(f"  facility {j}: {where(layout, f)}" for j, f in enumerate(layout.facilities))
        rows += "\n" + facs
        pytest.fail(f"engine disagrees with the oracle\n{layout.describe()}\n{rows}", pytrace=False)
    np.testing.assert_array_equal(np.isfinite(got[sel]), np.isfinite(want[sel]))
    fin = np.isfinite(want[sel])
    np.testing.assert_allclose(got[sel][fin], want[sel][fin], rtol=1e-9)


def differs(a: np.ndarray, b: np.ndarray) -> bool:
    fa, fb = np.isfinite(a), np.isfinite(b)
    if (fa != fb).any():
        return True
    return not np.allclose(a[fa], b[fa], rtol=1e-6, atol=0)


# --- the oracle itself on hand-worked cases ---------------------------------------------


def test_oracle_hand_worked_lattice_and_road():
    # 4 x 1 km box, 500 m cells, 6 km/h off-road (100 m/min); points at cell centres
    area = box(X0 + 1, Y0 + 1, X0 + 3999, Y0 + 999)  # grid corner (X0, Y0 + 1000): 2 rows
    lay = Layout(
        "hand",
        area,
        500.0,
        6.0,
        250.0,
        (),
        {},
        np.array([[X0 + 250, Y0 + 750], [X0 + 250, Y0 + 250]]),
        np.array([[X0 + 1750, Y0 + 750]]),
    )
    # 3 straight steps of 500 m = 15 min; one diagonal (7.07) + 2 straight (10)
    np.testing.assert_allclose(Oracle(lay).times(), [15.0, 5 * math.sqrt(2) + 10.0])
    # a 60 km/h road (1 km/min) from home 0's cell centre to the facility's: 1.5 min
    road = LineString([(X0 + 250, Y0 + 750), (X0 + 1750, Y0 + 750)])
    with_road = dataclasses.replace(
        lay, name="hand-road", roads=((road, "arteri"),), speeds_kph={"arteri": 60.0}
    )
    np.testing.assert_allclose(Oracle(with_road).times(), [1.5, 5.0 + 1.5])


# --- the engine against the oracle --------------------------------------------------------


@pytest.mark.parametrize("seed", PLAIN)
def test_plain_layouts_lattice_roads_connectors(seed):
    assert_engine_matches_oracle(random_layout(seed, "plain"))


@pytest.mark.parametrize("seed", PLAIN_BARRIER)
def test_plain_layouts_with_barriers(seed):
    assert_engine_matches_oracle(random_layout(seed, "plain_barrier"))


@pytest.mark.parametrize("seed", OFF_LATTICE)
def test_off_lattice_points_rule_4c(seed):
    """Homes (and one facility) on barrier-blocked cells or outside the area."""
    assert_engine_matches_oracle(random_layout(seed, "off_lattice"))


@pytest.mark.parametrize("seed", SAME_CELL)
def test_same_cell_direct_trip_rule_5(seed):
    assert_engine_matches_oracle(random_layout(seed, "same_cell"))


def same_piece_layout() -> Layout:
    """One 2.4 km road piece (max_edge_m 3 km); a home and a facility near its middle."""
    road = LineString([(X0 + 300, Y0 + 1210), (X0 + 2700, Y0 + 1290)])
    return Layout(
        "same-piece",
        box(X0 + 7, Y0 + 7, X0 + 2993, Y0 + 2493),
        250.0,
        4.0,
        3000.0,
        ((road, "lingkungan"),),
        {c: 20.0 for c in CLASSES},
        np.array([[X0 + 1420, Y0 + 1180], [X0 + 2100, Y0 + 1400]]),
        np.array([[X0 + 1530, Y0 + 1320]]),
    )


def test_same_road_piece_direct_trip():
    # home 0 and the facility are ~180 m apart along the piece, in different cells:
    # through the piece's end nodes or the lattice would take longer
    lay = same_piece_layout()
    assert differs(oracle_times(lay), oracle_times(lay, Rules(same_piece=False)))
    assert_engine_matches_oracle(lay)


def test_road_leg_never_crosses_a_barrier():
    lay = road_leg_layout()
    assert differs(oracle_times(lay), oracle_times(lay, Rules(leg_barriers=False)))
    assert_engine_matches_oracle(lay)


def test_corner_cutting_layout():
    lay = corner_layout()
    assert differs(oracle_times(lay), oracle_times(lay, Rules(corner_cutting=True)))
    assert_engine_matches_oracle(lay)


# --- the layouts exercise the rules: a broken oracle is caught ------------------------------


def all_layouts() -> list[Layout]:
    return (
        [random_layout(s, "plain") for s in PLAIN]
        + [random_layout(s, "plain_barrier") for s in PLAIN_BARRIER]
        + [random_layout(s, "off_lattice") for s in OFF_LATTICE]
        + [random_layout(s, "same_cell") for s in SAME_CELL]
        + [corner_layout(), road_leg_layout(), same_piece_layout()]
    )


def same_cell_layouts() -> list[Layout]:
    return [random_layout(s, "same_cell") for s in SAME_CELL]


def plain_layouts() -> list[Layout]:
    return [random_layout(s, "plain") for s in PLAIN] + [
        random_layout(s, "plain_barrier") for s in PLAIN_BARRIER
    ]


@pytest.mark.parametrize(
    ("broken", "layouts"),
    [
        (Rules(connector_factor=2.0), plain_layouts),
        (Rules(corner_cutting=True), all_layouts),
        (Rules(leg_barriers=False), all_layouts),
        (Rules(partway=False), plain_layouts),
        (Rules(roads=False), plain_layouts),
        (Rules(barriers=False), plain_layouts),
        (Rules(same_cell=False), same_cell_layouts),
        (Rules(same_piece=False), all_layouts),
    ],
    ids=[
        "doubled-connectors",
        "corner-cutting",
        "legs-across-barriers",
        "no-partway",
        "no-roads",
        "no-barriers",
        "no-same-cell-trip",
        "no-same-piece-trip",
    ],
)
def test_oracle_catches_a_broken_rule(broken, layouts):
    # the rule matters on some layout: the broken oracle disagrees with the true one ...
    exercised = [lay for lay in layouts() if differs(oracle_times(lay), oracle_times(lay, broken))]
    assert exercised, f"no layout exercises {broken}"
    # ... and a comparison with the broken oracle would fail against the engine
    assert any(differs(engine_times(lay), oracle_times(lay, broken)) for lay in exercised)


def test_layouts_have_lattice_only_homes():
    """Some homes' best trip needs no road (the same time with the roads removed)."""
    n = 0
    for lay in plain_layouts():
        t, no_roads = oracle_times(lay), oracle_times(lay, Rules(roads=False))
        n += int((np.isfinite(t) & np.isclose(t, no_roads, rtol=1e-12, atol=0)).sum())
    assert n >= 10
