"""The travel-time engine: hand-worked answers, a networkx oracle, invariants."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import write_geotiff
from shapely.geometry import LineString, Point, box

import geoaccess as ga
from geoaccess.exceptions import GeoAccessWarning, InputValidationError, NetworkBuildError

UTM = "EPSG:32748"


def lines(specs, **cols):
    """GeoDataFrame of road lines in UTM 48S from [(coords, class), ...]."""
    return gpd.GeoDataFrame(
        {"road_class": [c for _, c in specs], **cols},
        geometry=[LineString(xy) for xy, _ in specs],
        crs=UTM,
    )


def pts(xy, **cols):
    return gpd.GeoDataFrame(cols, geometry=[Point(p) for p in xy], crs=UTM)


def area_box(x0, y0, x1, y1):
    return gpd.GeoSeries([box(x0, y0, x1, y1)], crs=UTM)


# --- hand-worked answers -------------------------------------------------------------


def test_road_only_times_by_class_and_access_leg():
    # arteri 0..3 km then lokal 3..5 km. Car: arteri 60 km/h = 1 min/km, lokal 20 km/h = 3 min/km.
    roads = lines([([(0, 0), (3000, 0)], "arteri"), ([(3000, 0), (5000, 0)], "lokal")])
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    fac = pts([(0, 0)], facility_id=["PKM-A"])
    # origin 1: on the road at 5 km -> 2 km lokal (6 min) + 3 km arteri (3 min) = 9 min
    # origin 2: 150 m off the road at x=1 km -> 150 m at 3 km/h (car off-road = walk) = 3 min + 1 min
    homes = pts([(5000, 0), (1000, 150)], desa=["far", "near"])
    out = ga.travel_time(net, homes, fac)
    assert out["travel_time_min"].tolist() == pytest.approx([9.0, 4.0])
    assert out["facility_id"].tolist() == ["PKM-A", "PKM-A"]
    assert out["access_dist_m"].tolist() == pytest.approx([0.0, 150.0])
    assert out["reachable"].all()
    assert out["desa"].tolist() == ["far", "near"]  # origins' columns kept


def test_motorbike_and_walk_use_their_own_tables():
    roads = lines([([(0, 0), (4000, 0)], "lokal")])
    homes, fac = pts([(4000, 0)]), pts([(0, 0)], facility_id=["F"])
    # lokal: motorbike 25 km/h -> 4 km = 9.6 min; walk 4 km/h -> 60 min
    for mode, want in [("motorbike", 9.6), ("walk", 60.0)]:
        net = ga.build_network(roads, mode, offroad=False, repair=False)
        assert ga.travel_time(net, homes, fac)["travel_time_min"].iloc[0] == pytest.approx(want)


def test_speed_kph_column_overrides_class_speed():
    roads = lines([([(0, 0), (6000, 0)], "lokal")], speed_kph=[36.0])  # 6 km at 36 km/h = 10 min
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    out = ga.travel_time(net, pts([(6000, 0)]), pts([(0, 0)], facility_id=["F"]))
    assert out["travel_time_min"].iloc[0] == pytest.approx(10.0)


def test_parallel_roads_keep_the_fastest():
    # same two endpoints, one arteri (1 min/km) and one lokal (3 min/km): 2 km -> 2 min
    roads = lines([([(0, 0), (2000, 0)], "lokal"), ([(0, 0), (2000, 0)], "arteri")])
    net = ga.build_network(roads, "car", offroad=False, repair=False, max_edge_m=5000)
    out = ga.travel_time(net, pts([(2000, 0)]), pts([(0, 0)], facility_id=["F"]))
    assert out["travel_time_min"].iloc[0] == pytest.approx(2.0)


def test_oneway_is_respected_from_home_to_facility():
    # one-way arteri from home (0,0) east to the facility (2000,0): 2 min.
    # The way back is a lokal loop via (1000, 1000): 2 * 1414.2 m at 20 km/h = 8.485 min.
    loop = [(2000, 0), (1000, 1000), (0, 0)]
    roads = lines([([(0, 0), (2000, 0)], "arteri"), (loop, "lokal")], oneway=[True, False])
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    fac_east, fac_west = pts([(2000, 0)], facility_id=["E"]), pts([(0, 0)], facility_id=["W"])
    t_east = ga.travel_time(net, pts([(0, 0)]), fac_east)["travel_time_min"].iloc[0]
    t_west = ga.travel_time(net, pts([(2000, 0)]), fac_west)["travel_time_min"].iloc[0]
    assert t_east == pytest.approx(2.0)
    assert t_west == pytest.approx(2 * np.hypot(1000, 1000) / (20_000 / 60))


def test_mode_that_cannot_use_a_class_drops_it():
    # car speed on setapak is 0: a footpath-only network has nothing for a car
    roads = lines([([(0, 0), (1000, 0)], "setapak")])
    with pytest.raises(NetworkBuildError, match="car"):
        ga.build_network(roads, "car", offroad=False, repair=False)


def test_lattice_only_straight_and_diagonal_walk():
    # 100 m lattice, walk off-road 3 km/h = 50 m/min; points at cell centres
    area = area_box(0, 0, 1000, 1000)
    net = ga.build_network(None, "walk", area=area, resolution_m=100)
    assert net.n_cells == 100
    fac = pts([(50, 50)], facility_id=["F"])
    homes = pts([(950, 50), (350, 350)])
    out = ga.travel_time(net, homes, fac)
    # 9 straight steps of 100 m = 18 min; 3 diagonal steps of 141.42 m = 8.485 min
    assert out["travel_time_min"].tolist() == pytest.approx([18.0, 3 * np.sqrt(2) * 100 / 50])


def test_origin_leg_inside_its_cell():
    area = area_box(0, 0, 1000, 1000)
    net = ga.build_network(None, "walk", area=area, resolution_m=100)
    # origin 30 m east of the facility's cell centre: leg 30 m at 50 m/min = 0.6 min,
    # facility leg 0 (at the centre)
    out = ga.travel_time(net, pts([(80, 50)]), pts([(50, 50)], facility_id=["F"]))
    assert out["travel_time_min"].iloc[0] == pytest.approx(0.6)


def test_hybrid_prefers_road_and_uses_connectors():
    # a 5 km arteri along y=50 inside a 100 m lattice; car off-road 3 km/h = 50 m/min
    area = area_box(0, 0, 5000, 1000)
    roads = lines([([(0, 50), (5000, 50)], "arteri")])
    net = ga.build_network(roads, "car", area=area, resolution_m=100, repair=False)
    fac = pts([(50, 50)], facility_id=["F"])
    # home at (4950, 450): 4 cells north of the road -> 400 m off-road = 8 min, then
    # 4.9 km arteri = 4.9 min -> 12.9 min (the all-lattice path is far longer)
    out = ga.travel_time(net, pts([(4950, 450)]), fac)
    assert out["travel_time_min"].iloc[0] == pytest.approx(12.9, abs=1e-6)
    cells = ga.cell_travel_time(net, fac)
    assert len(cells) == net.n_cells == 500
    row = cells[(cells.geometry.x == 4950) & (cells.geometry.y == 450)]
    assert row["travel_time_min"].iloc[0] == pytest.approx(12.9, abs=1e-6)


def test_river_barrier_blocks_lattice_but_not_the_bridge():
    area = area_box(0, 0, 1000, 1000)
    river = gpd.GeoDataFrame(geometry=[LineString([(500, -10), (500, 1010)])], crs=UTM)
    fac, home = pts([(150, 550)], facility_id=["F"]), pts([(850, 550)])
    net = ga.build_network(None, "walk", area=area, resolution_m=100, barriers=river)
    out = ga.travel_time(net, home, fac)
    assert not out["reachable"].iloc[0] and np.isnan(out["travel_time_min"].iloc[0])
    # a footbridge along y=550 reconnects; walking 4 km/h on it
    bridge = lines([([(350, 550), (650, 550)], "setapak")])
    net2 = ga.build_network(bridge, "walk", area=area, resolution_m=100, barriers=river, repair=False)
    assert ga.travel_time(net2, home, fac)["reachable"].iloc[0]


def test_diagonal_river_cannot_be_jumped():
    area = area_box(0, 0, 1000, 1000)
    river = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1000, 1000)])], crs=UTM)
    net = ga.build_network(None, "walk", area=area, resolution_m=100, barriers=river)
    out = ga.travel_time(net, pts([(850, 150)]), pts([(150, 850)], facility_id=["F"]))
    assert not out["reachable"].iloc[0]


def test_road_only_far_origin_is_flagged_not_connected():
    roads = lines([([(0, 0), (1000, 0)], "lokal")])
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    out = ga.travel_time(
        net, pts([(0, 100), (0, 8000)]), pts([(1000, 0)], facility_id=["F"]), max_access_m=5000
    )
    assert out["reachable"].tolist() == [True, False]
    assert out["far_from_road"].tolist() == [False, True]
    assert np.isnan(out["travel_time_min"].iloc[1]) and out["facility_id"].iloc[1] is None


def test_max_time_min_limits_the_search():
    roads = lines([([(0, 0), (10_000, 0)], "lokal")])  # 3 min/km by car
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    out = ga.travel_time(net, pts([(2000, 0), (9000, 0)]), pts([(0, 0)], facility_id=["F"]), max_time_min=10)
    assert out["reachable"].tolist() == [True, False]
    assert out["travel_time_min"].iloc[0] == pytest.approx(6.0)


def test_nearest_facility_id_and_missing_location_warning():
    roads = lines([([(0, 0), (10_000, 0)], "arteri")])
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    fac = gpd.GeoDataFrame(
        {"facility_id": ["W", "E", "LOST"]},
        geometry=[Point(0, 0), Point(10_000, 0), None],
        crs=UTM,
    )
    with pytest.warns(GeoAccessWarning, match="LOST"):
        out = ga.travel_time(net, pts([(2000, 0), (7000, 0)]), fac)
    assert out["facility_id"].tolist() == ["W", "E"]
    assert out["travel_time_min"].tolist() == pytest.approx([2.0, 3.0])


def test_empty_facility_point_is_left_out_and_polygon_joins_at_its_inner_point():
    # arteri by car: 1 min/km. "GONE" has an empty point (no location); "SITE" is a 20 m square
    # around the east end, joined at its representative point (the end itself).
    roads = lines([([(0, 0), (10_000, 0)], "arteri")])
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    fac = gpd.GeoDataFrame(
        {"facility_id": ["W", "GONE", "SITE"]},
        geometry=[Point(0, 0), Point(), box(9_990, -10, 10_010, 10)],
        crs=UTM,
    )
    with pytest.warns(GeoAccessWarning, match="GONE"):
        near = ga.nearest(net, fac)
    assert near.facility_ids.tolist() == ["W", "SITE"]
    assert near.facilities.xy.tolist() == [[0.0, 0.0], [10_000.0, 0.0]]
    with pytest.warns(GeoAccessWarning, match="GONE"):
        out = ga.travel_time(net, pts([(2000, 0), (7000, 0)]), fac)
    assert out["facility_id"].tolist() == ["W", "SITE"]
    assert out["travel_time_min"].tolist() == pytest.approx([2.0, 3.0])


def test_results_in_callers_crs_and_index_and_inputs_untouched():
    # near Muara Enim (UTM 48S x=400 km, y=9,600 km), handed over in longitude/latitude
    X, Y = 400_000, 9_600_000
    roads = lines([([(X, Y), (X + 10_000, Y)], "arteri")]).to_crs(4326)
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    assert net.crs.to_epsg() == 32748  # UTM zone estimated from the data
    homes = pts([(X + 2000, Y), (X + 7000, Y)]).to_crs(4326).set_index(pd.Index(["a", "b"]))
    fac = pts([(X, Y)], facility_id=["W"]).to_crs(4326)
    before_h, before_f = homes.copy(), fac.copy()
    out = ga.travel_time(net, homes, fac)
    assert out.crs == homes.crs and list(out.index) == ["a", "b"]
    assert out["travel_time_min"].tolist() == pytest.approx([2.0, 7.0], abs=1e-3)
    pd.testing.assert_frame_equal(homes, before_h)
    pd.testing.assert_frame_equal(fac, before_f)


def test_validation_messages_name_the_argument():
    roads = lines([([(0, 0), (1000, 0)], "lokal")])
    with pytest.raises(InputValidationError, match="mode"):
        ga.build_network(roads, "boat", offroad=False)
    with pytest.raises(InputValidationError, match="area"):
        ga.build_network(roads, "car")
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    with pytest.raises(InputValidationError, match="network"):
        ga.travel_time("not a network", pts([(0, 0)]), pts([(0, 0)], facility_id=["F"]))
    with pytest.raises(InputValidationError, match="facilities"):
        ga.travel_time(net, pts([(0, 0)]), pts([(0, 0), (1, 1)], facility_id=["F", "F"]))
    with pytest.raises(ga.GeoAccessError, match="CRS"):
        ga.travel_time(net, gpd.GeoDataFrame(geometry=[Point(0, 0)]), pts([(0, 0)], facility_id=["F"]))


def test_offroad_speed_raster_sets_cell_speeds(tmp_path):
    pytest.importorskip("rasterio")
    from rasterio.transform import from_origin

    # 10 x 10 cells of 100 m: left half 6 km/h (100 m/min), right half 1.5 km/h (25 m/min)
    arr = np.full((10, 10), 1.5, dtype="float32")
    arr[:, :5] = 6.0
    path = tmp_path / "speed.tif"
    write_geotiff(path, arr, transform=from_origin(0, 1000, 100, 100))
    net = ga.build_network(
        None, "walk", area=area_box(0, 0, 1000, 1000), resolution_m=100, offroad_speed_raster=path
    )
    out = ga.travel_time(net, pts([(450, 550), (850, 550)]), pts([(50, 550)], facility_id=["F"]))
    # 4 steps at 100 m/min = 4 min; to x=850: 4 fast steps, one mixed step (0.5+2 min), 3 slow steps (12)
    assert out["travel_time_min"].tolist() == pytest.approx([4.0, 4.0 + 2.5 + 12.0])


def test_with_edge_times_changes_only_data():
    roads = lines([([(0, 0), (3000, 0)], "arteri")])
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    slow = net.with_edge_times(net.edges["travel_time_min"] * 2)  # flood: half speed
    home, fac = pts([(3000, 0), (1550, 20)]), pts([(0, 0)], facility_id=["F"])
    # 3 km at 30 km/h = 6 min; 20 m walk (0.4 min) + 1.55 km at 30 km/h (3.1 min)
    assert ga.travel_time(slow, home, fac)["travel_time_min"].tolist() == pytest.approx([6.0, 3.5])
    assert ga.travel_time(net, home, fac)["travel_time_min"].tolist() == pytest.approx([3.0, 1.95])
    assert np.array_equal(slow.graph.indices, net.graph.indices)  # same structure
    # cutting the middle piece of road disconnects the far home
    cut = net.edges["travel_time_min"].to_numpy().copy()
    ux = net.node_xy[net.edges["u"].to_numpy(), 0]
    vx = net.node_xy[net.edges["v"].to_numpy(), 0]
    cut[(np.minimum(ux, vx) >= 2000) & (np.maximum(ux, vx) <= 2200)] = np.inf  # 2.0-2.2 km
    out = ga.travel_time(net.with_edge_times(cut), home, fac)
    assert out["reachable"].tolist() == [False, True]


# --- oracle and invariants on random networks ----------------------------------------


def random_roads(seed: int, n_nodes: int = 40, n_edges: int = 90):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 20_000, size=(n_nodes, 2)).round(0)
    classes = np.array(["arteri", "kolektor", "lokal", "lingkungan"])
    specs, seen = [], set()
    for _ in range(n_edges):
        a, b = rng.choice(n_nodes, 2, replace=False)
        if (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        specs.append(([tuple(xy[a]), tuple(xy[b])], str(rng.choice(classes))))
    oneway = rng.random(len(specs)) < 0.2
    return xy, lines(specs, oneway=oneway)


@pytest.mark.parametrize("seed", range(6))
def test_engine_agrees_with_networkx(seed):
    xy, roads = random_roads(seed)
    speeds = ga.speeds.road_speeds("motorbike")
    # the oracle: networkx on the raw lines, minutes = length / speed, oneway honoured
    G = nx.DiGraph()
    for line, cls, ow in zip(roads.geometry, roads["road_class"], roads["oneway"], strict=True):
        a, b = line.coords[0], line.coords[-1]
        t = line.length / (speeds[cls] * 1000 / 60)
        for u, v in [(a, b)] + ([] if ow else [(b, a)]):
            if not G.has_edge(u, v) or G[u][v]["w"] > t:
                G.add_edge(u, v, w=t)
    rng = np.random.default_rng(100 + seed)
    fac_nodes = [tuple(p) for p in xy[rng.choice(len(xy), 4, replace=False)]]
    fac_nodes = [p for p in fac_nodes if p in G]
    want = nx.multi_source_dijkstra_path_length(G.reverse(copy=True), fac_nodes, weight="w")

    net = ga.build_network(roads, "motorbike", offroad=False, repair=False)
    homes = pts([p for p in map(tuple, xy) if p in G])
    fac = pts(fac_nodes, facility_id=[f"F{i}" for i in range(len(fac_nodes))])
    out = ga.travel_time(net, homes, fac)
    got = dict(zip([(g.x, g.y) for g in homes.geometry], out["travel_time_min"], strict=True))
    for p, t in got.items():
        if p in want:
            assert t == pytest.approx(want[p], rel=1e-9, abs=1e-9)
        else:
            assert np.isnan(t)


@pytest.mark.parametrize("seed", range(4))
def test_adding_a_facility_never_increases_any_time(seed):
    _, roads = random_roads(seed)
    area = area_box(-500, -500, 20_500, 20_500)
    net = ga.build_network(roads, "motorbike", area=area, resolution_m=500, repair=False)
    rng = np.random.default_rng(seed)
    homes = pts(rng.uniform(0, 20_000, size=(200, 2)))
    base = pts(rng.uniform(0, 20_000, size=(3, 2)), facility_id=["A", "B", "C"])
    more = pd.concat([base, pts(rng.uniform(0, 20_000, size=(1, 2)), facility_id=["D"])])
    t0 = ga.travel_time(net, homes, base)
    t1 = ga.travel_time(net, homes, more)
    assert len(t0) == len(t1) == len(homes) and t0.index.equals(homes.index)
    assert (t1["travel_time_min"] <= t0["travel_time_min"] + 1e-9).all()
    # where D is nearest the time must be strictly the new, smaller value
    changed = t1["facility_id"] == "D"
    assert (t1.loc[changed, "travel_time_min"] <= t0.loc[changed, "travel_time_min"]).all()


def test_matrix_agrees_with_nearest_search():
    _, roads = random_roads(7)
    area = area_box(-500, -500, 20_500, 20_500)
    net = ga.build_network(roads, "motorbike", area=area, resolution_m=500, repair=False)
    rng = np.random.default_rng(7)
    homes = pts(rng.uniform(0, 20_000, size=(50, 2)), desa=[f"d{i}" for i in range(50)])
    fac = pts(rng.uniform(0, 20_000, size=(5, 2)), facility_id=list("ABCDE"))
    mat = ga.travel_time_matrix(net, homes, fac, max_time_min=1e6, origin_id_col="desa", progress=False)
    assert len(mat) == 50 * 5
    nearest = mat.sort_values("travel_time_min").groupby("origin_id").first()
    each = {
        f: ga.travel_time(net, homes, fac[fac.facility_id == f])["travel_time_min"].to_numpy()
        for f in "ABCDE"
    }
    for i, d in enumerate(homes["desa"]):
        for f in "ABCDE":
            got = mat[(mat.origin_id == d) & (mat.facility_id == f)]["travel_time_min"].iloc[0]
            assert got == pytest.approx(each[f][i])
    tt = ga.travel_time(net, homes, fac).set_index("desa")
    assert nearest["travel_time_min"].to_numpy() == pytest.approx(
        tt.loc[nearest.index, "travel_time_min"].to_numpy()
    )
    # bounded: a 10-minute limit keeps only pairs within 10 minutes
    small = ga.travel_time_matrix(net, homes, fac, max_time_min=10, origin_id_col="desa", progress=False)
    assert (small["travel_time_min"] <= 10).all()
    assert len(small) == int((mat["travel_time_min"] <= 10).sum())


def test_network_repr_and_components():
    roads = lines([([(0, 0), (1000, 0)], "lokal"), ([(5000, 0), (6000, 0)], "lokal")])
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    n, largest = net.components()
    assert n == 2 and largest == pytest.approx(0.5)
    assert "road-only" in repr(net)
    edges = net.road_edges_gdf()
    assert edges.length.sum() == pytest.approx(2000.0)
    assert shapely.get_num_coordinates(edges.geometry.to_numpy()).min() == 2


# --- real road inputs, end to end ----------------------------------------------------


def test_build_from_osm_file_offline(data_dir):
    # a real OSM extract (West Oakland, ODbL): file -> read_roads -> repair -> CSR graph
    path = data_dir / "osm-samples" / "West-Oakland.osm.bz2"
    net = ga.build_network(path, "car", offroad=False)
    assert net.n_road_nodes > 100
    assert net.repair is not None and net.repair.n_crossings_noded == 0  # OSM: no noding
    edges = net.road_edges_gdf()
    # every road piece's time is its length at its class speed
    spd = edges["road_class"].map(ga.speeds.road_speeds("car"))
    own = edges["speed_kph"]
    assert np.allclose(edges["travel_time_min"], edges.length / (own.where(own > 0, spd) * 1000 / 60))
    # two points along the network: the search runs and agrees with networkx on the same CSR
    homes = gpd.GeoDataFrame(geometry=[Point(net.node_xy[0]), Point(net.node_xy[-1])], crs=net.crs)
    fac = gpd.GeoDataFrame(
        {"facility_id": ["X"]}, geometry=[Point(net.node_xy[len(net.node_xy) // 2])], crs=net.crs
    )
    out = ga.travel_time(net, homes, fac)
    G = nx.from_scipy_sparse_array(net.graph, create_using=nx.DiGraph)
    want = nx.single_source_dijkstra_path_length(G.reverse(copy=True), len(net.node_xy) // 2)
    for i, node in enumerate([0, len(net.node_xy) - 1]):
        if node in want:
            assert out["travel_time_min"].iloc[i] == pytest.approx(want[node], abs=1e-9)
        else:
            assert not out["reachable"].iloc[i]


def test_build_from_national_layer_repairs_it(data_dir):
    shp = data_dir / "roads" / "sumsel_national" / "jalanSumsel.shp"
    net = ga.build_network(shp, "motorbike", offroad=False, read_kwargs={"default_class": "arteri"})
    # roads/SOURCES.md: noded at crossings and snapped at 5 m, the layer is one component
    assert net.repair.n_components_after == 1
    assert net.components()[0] == 1
    assert net.edges["length_m"].sum() / 1000 == pytest.approx(1573.6, abs=0.5)


def test_landcover_raster_speeds(tmp_path):
    pytest.importorskip("rasterio")
    from rasterio.transform import from_origin

    # classes: 1 = plantation (6 km/h), 2 = swamp (1.5 km/h); left half 1, right half 2
    arr = np.ones((10, 10), dtype="uint8")
    arr[:, 5:] = 2
    path = tmp_path / "lc.tif"
    write_geotiff(path, arr, transform=from_origin(0, 1000, 100, 100))
    net = ga.build_network(
        None,
        "walk",
        area=area_box(0, 0, 1000, 1000),
        resolution_m=100,
        landcover=path,
        landcover_speeds_kph={1: 6.0, 2: 1.5},
    )
    out = ga.travel_time(net, pts([(450, 550), (850, 550)]), pts([(50, 550)], facility_id=["F"]))
    # same arithmetic as the speed raster: 4 min; 4 + 2.5 + 12 min
    assert out["travel_time_min"].tolist() == pytest.approx([4.0, 18.5])
    with pytest.raises(InputValidationError, match="landcover_speeds_kph"):
        ga.build_network(None, "walk", area=area_box(0, 0, 1000, 1000), resolution_m=100, landcover=path)


def test_build_from_osmnx_graph(data_dir):
    ox = pytest.importorskip("osmnx")
    # unsimplified: osmnx's simplification merges edges whose highway tags differ (it keeps
    # a list, of which the first counts), which would move ~670 m between classes here
    G = ox.graph_from_xml(data_dir / "osm-samples" / "West-Oakland.osm.bz2", retain_all=True, simplify=False)
    from_graph = ga.build_network(G, "car", offroad=False)
    from_file = ga.build_network(data_dir / "osm-samples" / "West-Oakland.osm.bz2", "car", offroad=False)
    # the same streets either way (lengths per class agree to a metre)
    a = from_graph.edges.groupby("road_class")["length_m"].sum()
    b = from_file.edges.groupby("road_class")["length_m"].sum()
    assert a.index.equals(b.index)
    assert np.allclose(a, b, atol=1.0)


# --- regressions found in review -------------------------------------------------------


def test_first_leg_respects_barriers_like_the_lattice():
    # home south of a 500 m river strip, the only road (to the facility) north of it, no
    # bridge: unreachable from the home point, exactly as from its cell
    area = area_box(0, -3000, 6000, 3000)
    river = gpd.GeoDataFrame(geometry=[box(-100, -700, 6100, -200)], crs=UTM)
    road = lines([([(0, 0), (6000, 0)], "lokal")])
    net = ga.build_network(road, "car", area=area, resolution_m=100, barriers=river, repair=False)
    fac = pts([(6000, 0)], facility_id=["F"])
    home = pts([(3050, -950)])
    out = ga.travel_time(net, home, fac)
    cells = ga.cell_travel_time(net, fac)
    cell = cells[(cells.geometry.x == 3050) & (cells.geometry.y == -950)]
    assert not out["reachable"].iloc[0] and np.isnan(cell["travel_time_min"].iloc[0])
    # with a road from the home across a bridge: 950 m north then 2,950 m east, 3.9 km at 20 km/h
    bridged = pd.concat([road, lines([([(3050, -950), (3050, 0)], "lokal")])])
    net2 = ga.build_network(bridged, "car", area=area, resolution_m=100, barriers=river)
    assert ga.travel_time(net2, home, fac)["travel_time_min"].iloc[0] == pytest.approx(3900 / (20_000 / 60))


def test_cut_edges_are_not_used_for_attachment_and_can_be_restored():
    X0, Y0 = 400_000, 9_600_000
    # an L: road 1 along y=Y0 to the corner, road 2 north from the corner; facility at the corner
    road = lines(
        [([(X0, Y0), (X0 + 1000, Y0)], "lokal"), ([(X0 + 1000, Y0), (X0 + 1000, Y0 + 1000)], "lokal")]
    )
    fac = pts([(X0 + 1000, Y0)], facility_id=["A"])
    home = pts([(X0 + 1000, Y0 + 1000)])
    for offroad in (False, True):
        area = area_box(X0 - 3000, Y0 - 3000, X0 + 3000, Y0 + 3000) if offroad else None
        net = ga.build_network(road, "car", offroad=offroad, area=area, repair=False)
        e = net.edges
        ux, uy = net.node_xy[e["u"].to_numpy()].T
        vx, vy = net.node_xy[e["v"].to_numpy()].T
        last_piece = (np.maximum(ux, vx) == X0 + 1000) & (uy == Y0) & (vy == Y0)
        assert last_piece.sum() == 1
        t = e["travel_time_min"].to_numpy().copy()
        t[last_piece] = np.inf
        flooded = net.with_edge_times(t)
        # 1 km north-south road at 20 km/h = 3 min: the cut piece of road 1 does not matter
        assert ga.travel_time(flooded, home, fac)["travel_time_min"].iloc[0] == pytest.approx(3.0)
        restored = flooded.with_edge_times(e["travel_time_min"])
        assert restored.graph.nnz == net.graph.nnz
        # cut the whole north-south road, then restore it in a chained call
        t2 = e["travel_time_min"].to_numpy().copy()
        t2[(ux == X0 + 1000) & (vx == X0 + 1000)] = np.inf
        cut = net.with_edge_times(t2)
        back = cut.with_edge_times(e["travel_time_min"])
        assert ga.travel_time(back, home, fac)["travel_time_min"].iloc[0] == pytest.approx(3.0)
        if not offroad:
            # the home now walks 1 km to the corner (the nearest usable road): 20 min at 3 km/h
            assert ga.travel_time(cut, home, fac)["travel_time_min"].iloc[0] == pytest.approx(20.0)


def test_multilinestring_parts_are_not_joined():
    from shapely.geometry import MultiLineString

    two_parts = gpd.GeoDataFrame(
        {"road_class": ["lokal"]},
        geometry=[MultiLineString([[(0, 0), (1000, 0)], [(7400, 0), (8400, 0)]])],
        crs=UTM,
    )
    net = ga.build_network(two_parts, "car", offroad=False, repair=False)
    assert net.components()[0] == 2
    out = ga.travel_time(net, pts([(0, 0)]), pts([(8400, 0)], facility_id=["F"]))
    assert not out["reachable"].iloc[0]


def test_entry_validation_of_cell_and_matrix_searches():
    roads = lines([([(0, 0), (1000, 0)], "lokal")])
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    fac = pts([(0, 0)], facility_id=["F"])
    with pytest.raises(InputValidationError, match="network"):
        ga.cell_travel_time("net", fac)
    with pytest.raises(InputValidationError, match="max_time_min"):
        ga.travel_time(net, pts([(0, 0)]), fac, max_time_min=-5)
    with pytest.raises(InputValidationError, match="batch_size"):
        ga.travel_time_matrix(net, pts([(0, 0)]), fac, max_time_min=10, batch_size=0)
    no_geom = gpd.GeoDataFrame(geometry=[Point(0, 0), None], crs=UTM)
    with pytest.raises(InputValidationError, match="origins"):
        ga.travel_time_matrix(net, no_geom, fac, max_time_min=10)


def test_home_and_facility_on_the_same_road_piece():
    # 10 km one-way road, cut into 100 m pieces; home at 5,020 m, facility at 5,050 m
    roads = lines([([(0, 0), (10_000, 0)], "lokal")], oneway=[True])
    net = ga.build_network(roads, "car", offroad=False, repair=False)
    fac = pts([(5050, 0)], facility_id=["F"])
    out = ga.travel_time(net, pts([(5020, 0), (5080, 0)]), fac)
    # downstream: 30 m at 20 km/h = 0.09 min; upstream on a one-way road: no way back
    assert out["travel_time_min"].iloc[0] == pytest.approx(0.09)
    assert not out["reachable"].iloc[1]
    two_way = ga.build_network(lines([([(0, 0), (10_000, 0)], "lokal")]), "car", offroad=False, repair=False)
    out = ga.travel_time(two_way, pts([(5020, 0), (5080, 0)]), fac)
    assert out["travel_time_min"].tolist() == pytest.approx([0.09, 0.09])
    mat = ga.travel_time_matrix(two_way, pts([(5020, 0), (5080, 0)]), fac, max_time_min=5, progress=False)
    assert mat["travel_time_min"].tolist() == pytest.approx([0.09, 0.09])


def test_walking_ignores_motor_speeds_and_one_way_rules():
    # a lokal street with maxspeed 50 and one-way: a car takes 50 km/h one way only;
    # walking is 4 km/h both ways; a footpath with a speed stays closed to cars
    roads = lines(
        [([(0, 0), (1000, 0)], "lokal"), ([(1000, 0), (2000, 0)], "setapak")],
        speed_kph=[50.0, 30.0],
        oneway=[True, False],
    )
    fac = pts([(0, 0)], facility_id=["F"])
    home = pts([(1000, 0)])
    walk = ga.build_network(roads, "walk", offroad=False, repair=False)
    assert ga.travel_time(walk, home, fac)["travel_time_min"].iloc[0] == pytest.approx(15.0)
    car = ga.build_network(roads, "car", offroad=False, repair=False)
    assert set(car.edges["road_class"]) == {"lokal"}  # the footpath is not for cars
    fwd = ga.travel_time(car, pts([(0, 0)]), pts([(1000, 0)], facility_id=["E"]))
    assert fwd["travel_time_min"].iloc[0] == pytest.approx(1.2)  # 1 km at 50 km/h
    assert not ga.travel_time(car, home, fac, max_access_m=10)["reachable"].iloc[0]


def test_osm_layers_are_not_noded(data_dir):
    path = data_dir / "osm-samples" / "munich-small.osm"
    layer = ga.read_roads(path)
    assert layer.attrs.get("geoaccess_source") == "osm"
    from geoaccess.engine.network import _is_osm_source

    assert _is_osm_source(layer) and _is_osm_source(path)
    assert not _is_osm_source(lines([([(0, 0), (1, 0)], "lokal")]))


def test_travel_time_matrix_from_a_cell_table_equals_from_the_cells_points():
    # the 2SFCA passes populated cells as a table (no point per cell); the cost table
    # must be the one from the same cells' points
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal"]},
        geometry=[LineString([(400_000, 9_590_000), (402_000, 9_590_000)])],
        crs="EPSG:32748",
    )
    area = gpd.GeoSeries([box(400_000, 9_589_000, 402_000, 9_591_000)], crs="EPSG:32748")
    net = ga.build_network(roads, "motorbike", area=area)
    fac = gpd.GeoDataFrame({"facility_id": ["P"]}, geometry=[Point(401_000, 9_590_000)], crs="EPSG:32748")
    table = net.cell_table().iloc[::3]
    a = ga.travel_time_matrix(net, table, fac, max_time_min=30, progress=False)
    b = ga.travel_time_matrix(net, net.cells().loc[table.index], fac, max_time_min=30, progress=False)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) > 10
    with pytest.raises(InputValidationError, match="expected a cell table"):
        ga.travel_time_matrix(net, pd.DataFrame(index=[0, 1]), fac, max_time_min=30, progress=False)


def test_a_cell_table_must_be_cells_of_the_network():
    # node ids alone could number other cells: a second network with one more road has
    # more road nodes, so the first one's cell ids point elsewhere; a frame that lost its
    # geometry (0..n index, no row / col) is not a cell table either, also on a network
    # without roads where every id would be in range
    road = LineString([(400_000, 9_590_000), (402_000, 9_590_000)])
    area = gpd.GeoSeries([box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    net = ga.build_network(
        gpd.GeoDataFrame({"road_class": ["lokal"]}, geometry=[road], crs="EPSG:32748"), "motorbike", area=area
    )
    two = gpd.GeoDataFrame(
        {"road_class": ["lokal", "lokal"]},
        geometry=[road, LineString([(400_100, 9_590_400), (400_300, 9_590_400)])],
        crs="EPSG:32748",
    )
    other = ga.build_network(two, "motorbike", area=area)
    assert other.n_road_nodes > net.n_road_nodes
    table = net.cell_table()
    x, y = net.cell_xy(table)
    assert np.array_equal(np.column_stack([x, y]), net.node_xy[table.index])
    with pytest.raises(InputValidationError, match="not lattice cells of this network"):
        other.cell_xy(table)
    bare = ga.build_network(None, "walk", area=area)
    lost = pd.DataFrame({"population": [5.0, 7.0]})  # a 0..1 index: in range on a road-less net
    fac = gpd.GeoDataFrame({"facility_id": ["P"]}, geometry=[Point(401_000, 9_590_000)], crs="EPSG:32748")
    with pytest.raises(InputValidationError, match="expected a cell table"):
        ga.travel_time_matrix(bare, lost, fac, max_time_min=60, progress=False)
    with pytest.raises(InputValidationError, match="repeats node ids"):
        net.cell_xy(pd.concat([table.head(2), table.head(1)]))
