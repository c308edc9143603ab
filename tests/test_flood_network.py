"""The flood-season network (geoaccess.flood_network), checked by hand and against a rebuild.

Hand-worked layouts in UTM 48S; car on ``lokal`` roads at 20 km/h (1 km = 3 min) and
motorbike off-road at 10 km/h (100 m = 0.6 min).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import hand_region, write_geotiff

import geoaccess as ga
from geoaccess.engine.flood import (
    ROAD_FACTORS,
    flood_network,
    flooded_facilities,
    pregnolato_factor,
)
from geoaccess.exceptions import CRSError, InputValidationError, MissingColumnError
from geoaccess.planning.flood import flood_scenario

UTM = "EPSG:32748"
X0, Y0 = 400_000.0, 9_660_000.0


def _gdf(rows, **cols):
    return gpd.GeoDataFrame(cols, geometry=rows, crs=UTM)


def _roads(*lines, cls="lokal"):
    return _gdf(
        [shapely.LineString([(X0 + x, Y0 + y) for x, y in ln]) for ln in lines], road_class=[cls] * len(lines)
    )


def _hazard(boxes, classes, depth=None):
    cols = {"hazard_class": classes}
    if depth is not None:
        cols["depth_m"] = depth
    return _gdf([shapely.box(X0 + a, Y0 + b, X0 + c, Y0 + d) for a, b, c, d in boxes], **cols)


def _time(net, home, fac):
    f = _gdf([shapely.Point(X0 + fac[0], Y0 + fac[1])], facility_id=["F"])
    h = _gdf([shapely.Point(X0 + home[0], Y0 + home[1])])
    return float(ga.nearest(net, f).at_points(h)["travel_time_min"].iloc[0])


def _snapshot(net):
    return (
        net.graph.data.copy(),
        net.graph.indices.copy(),
        net.graph.indptr.copy(),
        net.edges.copy(),
        None if net.lattice is None else net.lattice.speed_kph.copy(),
        None if net.lattice is None else net.lattice.node_of_cell.copy(),
    )


def _assert_same(net, snap):
    data, indices, indptr, edges, speed, node = snap
    np.testing.assert_array_equal(net.graph.data, data)
    np.testing.assert_array_equal(net.graph.indices, indices)
    np.testing.assert_array_equal(net.graph.indptr, indptr)
    pd.testing.assert_frame_equal(net.edges, edges)
    if speed is not None:
        np.testing.assert_array_equal(net.lattice.speed_kph, speed)
        np.testing.assert_array_equal(net.lattice.node_of_cell, node)


# a direct road (0,0)-(2000,0) and a detour over (0,1000)-(2000,1000): 2 km = 6 min, 4 km = 12 min
DIRECT = [(0, 0), (2000, 0)]
DETOUR = [(0, 0), (0, 1000), (2000, 1000), (2000, 0)]


@pytest.fixture(scope="module")
def road_net():
    return ga.build_network(_roads(DIRECT, DETOUR), "car", offroad=False, speeds_kph={"lokal": 20.0})


def test_a_road_through_tinggi_is_cut_and_the_trip_detours(road_net):
    snap = _snapshot(road_net)
    assert _time(road_net, (0, 0), (2000, 0)) == pytest.approx(6.0)
    flood = flood_network(road_net, _hazard([(950, -50, 1050, 50)], ["tinggi"]))
    assert _time(flood, (0, 0), (2000, 0)) == pytest.approx(12.0)  # 4 km at 20 km/h
    # exactly the two 100 m pieces touching the polygon are cut
    cut = ~np.isfinite(flood.edges["travel_time_min"].to_numpy())
    assert cut.sum() == 2
    assert flood.graph.nnz == road_net.graph.nnz - 4  # both directions dropped
    _assert_same(road_net, snap)  # the baseline is untouched


def test_a_sedang_road_at_half_speed_takes_twice_as_long(road_net):
    flood = flood_network(road_net, _hazard([(950, -50, 1050, 50)], ["sedang"]))
    # 200 m of the 2 km at 10 km/h instead of 20: 6 + 0.6 = 6.6 min
    assert _time(flood, (0, 0), (2000, 0)) == pytest.approx(6.6)
    t0 = road_net.edges["travel_time_min"].to_numpy()
    t1 = flood.edges["travel_time_min"].to_numpy()
    hit = t1 != t0
    assert hit.sum() == 2
    np.testing.assert_allclose(t1[hit], 2 * t0[hit])
    # a factor is a parameter: sedang at 0.25 quadruples it (6 + 3 * 0.6 = 7.8 min)
    slow = flood_network(road_net, _hazard([(950, -50, 1050, 50)], ["sedang"]), road_factors={"sedang": 0.25})
    assert _time(slow, (0, 0), (2000, 0)) == pytest.approx(7.8)


def test_the_worst_class_touching_a_piece_wins_and_depth_follows_pregnolato(road_net):
    hz = _hazard([(950, -50, 1050, 50), (990, -50, 1010, 50)], ["rendah", "sedang"], depth=[np.nan, 0.1])
    t0 = road_net.edges["travel_time_min"].to_numpy()
    by_class = flood_network(road_net, hz).edges["travel_time_min"].to_numpy()
    np.testing.assert_allclose(by_class[by_class != t0], 2 * t0[by_class != t0])
    by_depth = flood_network(road_net, hz, by="depth").edges["travel_time_min"].to_numpy()
    # 10 cm: v = 0.0009*100^2 - 0.5529*100 + 86.9448 = 40.6548 km/h of 86.9448
    f = 40.6548 / 86.9448
    assert pregnolato_factor(0.1) == pytest.approx(f)
    np.testing.assert_allclose(by_depth[by_depth != t0], t0[by_depth != t0] / f)
    assert pregnolato_factor(0.3) == 0.0 and pregnolato_factor(0.0) == 1.0


# a 10 x 10 lattice of 100 m cells at 10 km/h (166.67 m/min): a step = 0.6 min
@pytest.fixture(scope="module")
def lattice_net():
    return ga.build_network(
        None, "motorbike", area=_gdf([shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)]), resolution_m=100
    )


def _entry(net, rc_a, rc_b):
    lat = net.lattice
    a, b = lat.node_of_cell[rc_a], lat.node_of_cell[rc_b]
    return float(net.graph[a, b])


def test_lattice_cells_in_a_polygon_slow_by_hand_computed_amounts(lattice_net):
    snap = _snapshot(lattice_net)
    # centres of columns 0..4 (x = 50 .. 450) lie in the polygon: 5 km/h there
    flood = flood_network(lattice_net, _hazard([(0, -10, 500, 1010)], ["sedang"]))
    np.testing.assert_array_equal(flood.lattice.speed_kph[:, :5], 5.0)
    np.testing.assert_array_equal(flood.lattice.speed_kph[:, 5:], 10.0)
    m5, m10 = 5000 / 60, 10000 / 60
    assert _entry(flood, (3, 4), (3, 5)) == pytest.approx(0.5 * 100 / m5 + 0.5 * 100 / m10)  # 0.9
    assert _entry(flood, (3, 4), (3, 5)) == pytest.approx(0.9)
    assert _entry(flood, (3, 3), (3, 4)) == pytest.approx(1.2)
    assert _entry(flood, (3, 6), (3, 7)) == pytest.approx(0.6)
    assert _entry(flood, (3, 4), (4, 5)) == pytest.approx(0.9 * np.sqrt(2))
    assert flood.graph.nnz == lattice_net.graph.nnz
    _assert_same(lattice_net, snap)


def test_tinggi_cells_are_cut_and_their_people_cut_off(lattice_net):
    flood = flood_network(lattice_net, _hazard([(0, -10, 500, 1010)], ["tinggi"]))
    # the west half has no edge left; the east half keeps its 5 x 10 block
    n_east = 5 * 10
    per_cell = np.diff(flood.graph.indptr)
    west = lattice_net.lattice.node_of_cell[:, :5].ravel()
    assert (per_cell[west] == 0).all()
    assert flood.graph.nnz == 2 * (n_east - 10 + n_east - 5 + 2 * 4 * 9)  # 4-neighbour + diagonals, both ways
    cells = ga.nearest(flood, _gdf([shapely.Point(X0 + 950, Y0 + 50)], facility_id=["F"])).at_cells()
    lat = flood.lattice
    assert not cells.loc[lat.node_of_cell[:, 5:].ravel(), "travel_time_min"].isna().any()
    assert not cells.index.isin(west).any()  # cut cells are no longer passable: NaN when reindexed
    # a home in a cut cell joins the nearest passable cell (as on a river bank)
    home = _gdf([shapely.Point(X0 + 460, Y0 + 950)])
    f = _gdf([shapely.Point(X0 + 550, Y0 + 950)], facility_id=["F"])
    got = ga.nearest(flood, f, max_access_m=200).at_points(home)
    assert got["travel_time_min"].iloc[0] == pytest.approx(90 / (10_000 / 60))  # 90 m at 10 km/h


def test_with_cell_speeds_restores_and_composes_with_edge_times(road_net, lattice_net):
    lat = lattice_net.lattice
    cut = lattice_net.with_cell_speeds(np.where(np.arange(10)[None, :] < 5, 0.0, lat.speed_kph))
    back = cut.with_cell_speeds(lat.speed_kph)
    for a, b in ((back.graph.data, lattice_net.graph.data), (back.graph.indices, lattice_net.graph.indices)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(back.lattice.node_of_cell, lat.node_of_cell)
    with pytest.raises(InputValidationError):
        lattice_net.with_cell_speeds(np.ones((3, 3)))
    with pytest.raises(InputValidationError):
        lattice_net.with_cell_speeds(-lat.speed_kph)


def _speed_raster_build(roads, area, grid, lat, tmp_path):
    path = write_geotiff(tmp_path / "speed.tif", grid.astype("float64"), transform=lat.transform)
    return ga.build_network(
        roads, "motorbike", area=area, resolution_m=lat.resolution_m, offroad_speed_raster=path
    )


def _keyed_entries(net):
    """Graph entries keyed by ((row, col) of a cell, or road node id) at each end."""
    n_road = net.n_road_nodes
    lat = net.lattice
    xy = net.node_xy
    r = np.floor((lat.y0 - xy[:, 1]) / lat.resolution_m).astype(int)
    c = np.floor((xy[:, 0] - lat.x0) / lat.resolution_m).astype(int)
    key = np.where(np.arange(net.n_nodes) < n_road, np.arange(net.n_nodes), 1_000_000 + r * 10_000 + c)
    coo = net.graph.tocoo()
    df = pd.DataFrame({"a": key[coo.row], "b": key[coo.col], "w": coo.data}).sort_values(["a", "b"])
    return df.reset_index(drop=True)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equals_a_network_built_from_scratch_with_the_slowed_speeds(seed, tmp_path):
    rng = np.random.default_rng(seed)
    area = _gdf([shapely.box(X0, Y0, X0 + 3000, Y0 + 2500)])
    lines = [[tuple(p) for p in rng.uniform([0, 0], [3000, 2500], (3, 2))] for _ in range(4)]
    roads = _roads(*lines)
    base = ga.build_network(roads, "motorbike", area=area, resolution_m=100)
    boxes = []
    for _ in range(6):
        x, y = rng.uniform([0, 0], [2600, 2100])
        boxes.append((x, y, x + rng.uniform(100, 900), y + rng.uniform(100, 900)))
    hz = _hazard(boxes, list(rng.choice(["rendah", "sedang", "tinggi"], 6)))
    keep_roads = dict.fromkeys(ROAD_FACTORS, 1.0)  # roads as built: the rebuild cannot slow them
    flood = flood_network(base, hz, road_factors=keep_roads, offroad_factors={"sedang": 0.3})
    rebuilt = _speed_raster_build(roads, area, flood.lattice.speed_kph, base.lattice, tmp_path)
    assert rebuilt.n_cells < base.n_cells or not (flood.lattice.speed_kph == 0).any()
    mine, theirs = _keyed_entries(flood), _keyed_entries(rebuilt)
    pd.testing.assert_frame_equal(mine[["a", "b"]], theirs[["a", "b"]])
    np.testing.assert_allclose(mine["w"], theirs["w"], rtol=1e-12)
    # and the searches agree cell by cell
    fac = _gdf(
        [shapely.Point(X0 + 1500, Y0 + 1250), shapely.Point(X0 + 100, Y0 + 2400)], facility_id=["A", "B"]
    )
    a = ga.nearest(flood, fac).at_cells().set_index(["row", "col"])["travel_time_min"]
    b = ga.nearest(rebuilt, fac).at_cells().set_index(["row", "col"])["travel_time_min"]
    a = a[a.index.isin(b.index)]
    np.testing.assert_allclose(a.sort_index().to_numpy(), b.sort_index().to_numpy(), rtol=1e-9)


def test_facilities_in_tinggi_close_and_the_scenario_counts_people_cut_off():
    region = hand_region()
    base = ga.run_access(region, resolution_m=500, progress=False)
    snap = _snapshot(base.network)
    # P1 (x0+1000, y0+1000) stands in tinggi; East in sedang
    hz = _hazard([(900, 900, 1100, 1100), (2000, 0, 4000, 2000)], ["tinggi", "sedang"])
    assert flooded_facilities(base.facilities, hz) == ["P1"]
    _net, closed = flood_network(base.network, hz, facilities=base.facilities, close_facilities=True)
    assert closed == ["P1"]
    sc = flood_scenario(base, hz)
    assert sc.closed == ("P1",) and sc.network is not None
    cmp = ga.compare_scenario(base, sc)
    pkm = cmp.summary.set_index("category").loc["puskesmas"]
    assert pkm["people_newly_unreachable"] == pytest.approx(4000.0)  # the only puskesmas closed
    hosp = cmp.cells.dropna(subset=["hospital_after_min"])
    assert (hosp["hospital_after_min"] >= hosp["hospital_before_min"] - 1e-9).all()
    assert (hosp["hospital_after_min"] > hosp["hospital_before_min"] + 1e-9).any()
    _assert_same(base.network, snap)
    kept = flood_scenario(base, hz, close_facilities=False)
    assert kept.closed == ()


def test_bad_hazard_inputs_are_refused(road_net):
    hz = _hazard([(0, 0, 10, 10)], ["tinggi"])
    with pytest.raises(InputValidationError, match="hazard_class"):
        flood_network(road_net, _hazard([(0, 0, 10, 10)], ["extreme"]))
    with pytest.raises(InputValidationError):
        flood_network(road_net, hz, road_factors={"tinggi": 1.5})
    with pytest.raises(MissingColumnError):
        flood_network(road_net, hz.rename(columns={"hazard_class": "kelas"}))
    with pytest.raises(MissingColumnError):
        flood_network(road_net, hz, by="depth")
    with pytest.raises(CRSError):
        flood_network(road_net, hz.set_crs(None, allow_override=True))
    with pytest.raises(InputValidationError):
        flood_network(road_net, hz, close_facilities=True)
    assert flood_network(road_net, hz.iloc[0:0]).graph.nnz == road_net.graph.nnz


def test_random_cell_speeds_equal_a_rebuild_including_cut_corners(tmp_path):
    """Any speed grid (30% of cells cut, so diagonals between two cut corners occur)."""
    rng = np.random.default_rng(7)
    area = _gdf([shapely.box(X0, Y0, X0 + 2000, Y0 + 1500)])
    roads = _roads([(0, 700), (2000, 800)], [(300, 0), (1700, 1500)])
    base = ga.build_network(roads, "motorbike", area=area, resolution_m=100)
    grid = base.lattice.speed_kph * rng.uniform(0.2, 1.0, base.lattice.shape)
    grid[rng.random(grid.shape) < 0.3] = 0.0
    slowed = base.with_cell_speeds(grid)
    rebuilt = _speed_raster_build(roads, area, grid, base.lattice, tmp_path)
    mine, theirs = _keyed_entries(slowed), _keyed_entries(rebuilt)
    pd.testing.assert_frame_equal(mine[["a", "b"]], theirs[["a", "b"]])
    np.testing.assert_allclose(mine["w"], theirs["w"], rtol=1e-12)


def test_only_changed_cells_are_recomputed_and_chained_calls_equal_a_rebuild(tmp_path):
    """with_cell_speeds recomputes only the entries near cells whose speed changed: from
    a network already slowed and cut elsewhere (and with a road cut), a second grid that
    changes one patch must still equal a rebuild with that grid, entry by entry, and the
    entries away from the patch are the first network's, bit for bit."""
    rng = np.random.default_rng(11)
    area = _gdf([shapely.box(X0, Y0, X0 + 2000, Y0 + 1500)])
    roads = _roads([(0, 700), (2000, 800)], [(300, 0), (1700, 1500)])
    base = ga.build_network(roads, "motorbike", area=area, resolution_m=100)
    first = base.lattice.speed_kph * rng.uniform(0.2, 1.0, base.lattice.shape)
    first[rng.random(first.shape) < 0.25] = 0.0
    t = base.edges["travel_time_min"].to_numpy()
    step1 = base.with_cell_speeds(first).with_edge_times(np.where(np.arange(len(t)) == 3, np.inf, t))
    second = first.copy()
    second[4:9, 6:12] = rng.uniform(0.0, 12.0, (5, 6))  # one patch: slowed, sped up, cut, restored
    second[5, 8] = 0.0
    second[6, 9] = base.lattice.speed_kph[6, 9]
    step2 = step1.with_cell_speeds(second)
    rebuilt = _speed_raster_build(roads, area, second, base.lattice, tmp_path)
    fresh = rebuilt.with_edge_times(np.where(np.arange(len(t)) == 3, np.inf, t))  # the same road cut
    mine, theirs = _keyed_entries(step2), _keyed_entries(fresh)
    pd.testing.assert_frame_equal(mine, theirs)  # exact, times included
    # and the same as the whole grid applied at once to the network as built
    once = base.with_cell_speeds(second).with_edge_times(np.where(np.arange(len(t)) == 3, np.inf, t))
    for part in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(step2.graph, part), getattr(once.graph, part))
    np.testing.assert_array_equal(step2.csr_edge, once.csr_edge)


def test_a_diagonal_between_two_cut_corners_is_dropped(lattice_net):
    lat = lattice_net.lattice
    grid = lat.speed_kph.copy()
    grid[0, 1] = grid[1, 0] = 0.0  # the corner shared by (0, 0) and (1, 1) is blocked
    cut = lattice_net.with_cell_speeds(grid)
    a, b = lat.node_of_cell[0, 0], lat.node_of_cell[1, 1]
    assert lattice_net.graph[a, b] == pytest.approx(0.6 * np.sqrt(2))
    assert cut.graph[a, b] == 0  # no entry
    grid[1, 0] = 10.0  # one side open again: the diagonal is back
    assert lattice_net.with_cell_speeds(grid).graph[a, b] == pytest.approx(0.6 * np.sqrt(2))


def test_unknown_hazard_polygons_change_nothing_and_are_said():
    # the exposure readers mark desa without an index "unknown": the flood network leaves
    # them out (dry speeds) with a warning instead of refusing the whole layer
    import shapely as _sh

    from geoaccess.exceptions import GeoAccessWarning

    area = gpd.GeoSeries([_sh.box(0, 0, 2000, 1000)], crs="EPSG:32748")
    net = ga.build_network(None, "walk", area=area, resolution_m=500)
    hz = gpd.GeoDataFrame(
        {"hazard_class": ["unknown"]}, geometry=[_sh.box(0, 0, 1000, 1000)], crs="EPSG:32748"
    )
    with pytest.warns(GeoAccessWarning, match="1 hazard polygon"):
        wet = ga.flood_network(net, hz)
    np.testing.assert_array_equal(wet.graph.data, net.graph.data)
