"""Access-controlled and toll roads, one-way values on every input path, degenerate lines.

Hand-worked answers; each test fails if the rule it checks is removed (issue 6).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

import geoaccess as ga
from geoaccess.engine.speeds import access_rules
from geoaccess.exceptions import EmptyInputError, GeoAccessWarning, InputValidationError
from geoaccess.inputs import roads

UTM = "EPSG:32748"
# car: off-road 3 km/h = 50 m/min, arteri 60 km/h = 1 km/min, lokal 20 km/h = 3 min/km
# motorbike: off-road 10 km/h, arteri 60 km/h = 1 km/min, lokal 25 km/h = 2.4 min/km


def lines(specs, **cols):
    """Road lines in UTM 48S from [(coords, class), ...]."""
    return gpd.GeoDataFrame(
        {"road_class": [c for _, c in specs], **cols},
        geometry=[LineString(xy) for xy, _ in specs],
        crs=UTM,
    )


def pts(xy, **cols):
    return gpd.GeoDataFrame(cols, geometry=[Point(p) for p in xy], crs=UTM)


def minutes(net, home_xy, fac_xy, **kw):
    out = ga.travel_time(net, pts([home_xy]), pts([fac_xy], facility_id=["F"]), **kw)
    return float(out["travel_time_min"].iloc[0]), bool(out["reachable"].iloc[0])


# --- access control in the network ----------------------------------------------------

# A 5 km toll road along y=550 passes 100 m south of the home at (50, 650); its only
# junction with an ordinary road is J = (5050, 550), 5 km east, where a 500 m lokal road
# runs south to the puskesmas at (5050, 50). 100 m lattice over 6 km x 1 km.
TOLL = ([(50, 550), (5050, 550)], "arteri")
EXIT = ([(5050, 550), (5050, 50)], "lokal")
AREA = gpd.GeoSeries([box(0, 0, 6000, 1000)], crs=UTM)
HOME, PKM = (50, 650), (5050, 50)


def test_toll_road_is_entered_only_at_a_junction():
    layer = lines([TOLL, EXIT], toll=[True, False])
    net = ga.build_network(layer, "car", area=AREA, resolution_m=100, repair=False)
    assert net.edges.groupby("road_class")[["access_controlled", "toll"]].all().to_dict() == {
        "access_controlled": {"arteri": True, "lokal": False},
        "toll": {"arteri": True, "lokal": False},
    }
    # The home cannot step onto the toll road 100 m away. It crosses the lattice to the
    # junction cell: 49 straight steps + 1 diagonal = 4,900 + 141.42 m at 50 m/min
    # = 100.83 min, then 500 m of lokal at 20 km/h = 1.5 min.
    want = (4900 + 100 * np.sqrt(2)) / 50 + 1.5
    t, ok = minutes(net, HOME, PKM)
    assert ok and t == pytest.approx(want, abs=1e-6)
    # Without the rule: 100 m off-road (2 min) + 5 km toll (5 min) + 1.5 min = 8.5 min.
    ordinary = ga.build_network(lines([TOLL, EXIT]), "car", area=AREA, resolution_m=100, repair=False)
    assert minutes(ordinary, HOME, PKM)[0] == pytest.approx(8.5, abs=1e-6)
    # the other way round too: a facility next to the toll road is reached from the junction
    t_back, _ = minutes(net, PKM, HOME)
    assert t_back == pytest.approx(want, abs=1e-6)


def test_no_connector_on_toll_nodes_except_at_junctions():
    net = ga.build_network(
        lines([TOLL, EXIT], toll=[True, False]), "car", area=AREA, resolution_m=100, repair=False
    )
    g = net.graph.tocoo()
    to_cell = (g.row < net.n_road_nodes) & (g.col >= net.n_road_nodes)
    connected = set(g.row[to_cell].tolist())
    xy = net.node_xy[: net.n_road_nodes]
    on_toll_only = (xy[:, 1] == 550) & (xy[:, 0] < 5050)
    assert not connected & set(np.flatnonzero(on_toll_only).tolist())
    junction = int(np.flatnonzero((xy[:, 0] == 5050) & (xy[:, 1] == 550))[0])
    assert junction in connected
    # every node of the lokal road keeps its connector
    assert set(np.flatnonzero(xy[:, 0] == 5050).tolist()) <= connected
    # and nothing attaches to the toll road: the nearest road of the home is the lokal one
    edge, dist, _ = net.nearest_road_point(np.array([50.0]), np.array([650.0]))
    assert not net.edges["access_controlled"].iloc[edge[0]]
    assert dist[0] == pytest.approx(np.hypot(5000, 100))


# Road-only network: a 400 m lokal road from the home (50, 950) down to the toll road's
# west end W = (50, 550), the 5 km toll road to J, the 500 m lokal road to the puskesmas.
WEST = ([(50, 950), (50, 550)], "lokal")


def test_toll_closed_to_motorbikes_by_default_and_always_to_walking():
    layer = lines([WEST, TOLL, EXIT], toll=[False, True, False])
    home = (50, 950)
    car = ga.build_network(layer, "car", offroad=False, repair=False)
    # 400 m lokal 1.2 min + 5 km toll 5 min + 500 m lokal 1.5 min
    assert minutes(car, home, PKM)[0] == pytest.approx(7.7)
    moto = ga.build_network(layer, "motorbike", offroad=False, repair=False)
    assert not moto.edges["toll"].any()
    assert not minutes(moto, home, PKM, max_access_m=10)[1]
    moto_lane = ga.build_network(layer, "motorbike", offroad=False, repair=False, motorbike_on_toll=True)
    # 400 m at 25 km/h 0.96 min + 5 km at 60 km/h 5 min + 500 m at 25 km/h 1.2 min
    assert minutes(moto_lane, home, PKM)[0] == pytest.approx(7.16)
    for kw in ({}, {"motorbike_on_toll": True}):
        walk = ga.build_network(layer, "walk", offroad=False, repair=False, **kw)
        assert not walk.edges["access_controlled"].any()
        assert not minutes(walk, home, PKM, max_access_m=10)[1]
    with pytest.raises(InputValidationError, match="motorbike_on_toll"):
        ga.build_network(layer, "car", offroad=False, repair=False, motorbike_on_toll="yes")


def test_access_rules_table():
    assert access_rules("car") == (True, True)
    assert access_rules("motorbike") == (False, True)
    assert access_rules("motorbike", motorbike_on_toll=True) == (True, True)
    assert access_rules("walk", motorbike_on_toll=True) == (False, False)


def test_motorway_without_toll_is_access_controlled_but_open_to_motorbikes():
    layer = lines([WEST, TOLL, EXIT], highway=["residential", "motorway", "residential"])
    layer = layer.drop(columns="road_class")
    moto = ga.build_network(layer, "motorbike", offroad=False, repair=False)
    assert moto.edges.groupby("road_class")["access_controlled"].all().to_dict() == {
        "arteri": True,
        "lingkungan": False,
    }
    # 400 m lingkungan at 20 km/h 1.2 min + 5 km at 60 km/h + 500 m at 20 km/h 1.5 min
    assert minutes(moto, (50, 950), PKM)[0] == pytest.approx(7.7)


# --- one-way values on every path --------------------------------------------------------

ONEWAY_CASES = (
    [(v, "both") for v in ["no", "false", "0", "reversible", "alternating", "", False, 0, None, np.nan, "B"]]
    + [(v, "along") for v in ["yes", "true", "1", "y", "YES", True, 1, "F"]]
    + [(v, "against") for v in ["-1", "reverse", -1, "T"]]
)


@pytest.mark.parametrize(("value", "direction"), ONEWAY_CASES, ids=[repr(c) for c in ONEWAY_CASES])
def test_oneway_values_mean_the_same_for_a_road_class_layer(value, direction):
    # 2 km lokal by car, 6 min, drawn west to east
    layer = lines([([(0, 0), (2000, 0)], "lokal")], oneway=[value])
    net = ga.build_network(layer, "car", offroad=False, repair=False)
    east = minutes(net, (0, 0), (2000, 0), max_access_m=10)
    west = minutes(net, (2000, 0), (0, 0), max_access_m=10)
    want = {"both": (True, True), "along": (True, False), "against": (False, True)}[direction]
    assert (east[1], west[1]) == want
    assert [t for t, ok in (east, west) if ok] == pytest.approx([6.0] * sum(want))
    # the layer read on its own gives the same flag, and reading is idempotent
    once = roads.read_roads(layer)
    assert bool(once["oneway"].iloc[0]) == (direction != "both")
    assert roads.read_roads(once).geom_equals(once).all()


def test_unknown_oneway_value_in_a_road_class_layer_is_an_error():
    layer = lines([([(0, 0), (2000, 0)], "lokal")] * 3, oneway=["no", "kadang", "yes"])
    with pytest.raises(InputValidationError, match=r"column 'oneway'.*'kadang' \(row 1\)"):
        ga.build_network(layer, "car", offroad=False, repair=False)


# --- reading: OSM files, osmnx graphs, GIS layers --------------------------------------

_WAYS = [  # (tags, access_controlled, toll, oneway)
    ({"highway": "motorway", "oneway": "yes"}, True, False, True),
    ({"highway": "motorway_link"}, True, False, False),
    ({"highway": "trunk", "motorroad": "yes"}, True, False, False),
    ({"highway": "trunk"}, False, False, False),
    ({"highway": "primary", "toll": "yes"}, True, True, False),
    ({"highway": "primary", "toll": "no", "oneway": "no"}, False, False, False),
    ({"highway": "residential", "access": "no"}, True, False, False),
    ({"highway": "primary", "name": "Jalan Tol Kayu Agung - Palembang"}, True, True, False),
    ({"highway": "residential", "name": "Jalan Tolitoli", "oneway": "reversible"}, False, False, False),
    ({"highway": "residential", "oneway": "-1"}, False, False, True),
]


def _osm_xml():
    nodes, ways = [], []
    for i, (tags, *_) in enumerate(_WAYS):
        lon = 104.90 + 0.01 * i
        nodes.append(f'<node id="{2 * i + 1}" version="1" lat="-5.3000" lon="{lon:.2f}"/>')
        nodes.append(f'<node id="{2 * i + 2}" version="1" lat="-5.3050" lon="{lon:.2f}"/>')
        tag_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        ways.append(
            f'<way id="{100 + i}" version="1"><nd ref="{2 * i + 1}"/><nd ref="{2 * i + 2}"/>{tag_xml}</way>'
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"geoaccess-test\">\n"
        + "\n".join(nodes + ways)
        + "\n</osm>\n"
    )


def _to_pbf(src, dst):
    import osmium

    writer = osmium.SimpleWriter(str(dst), overwrite=True)
    try:
        for obj in osmium.FileProcessor(str(src)):
            writer.add(obj)
    finally:
        writer.close()
    return dst


def _check_flags(out):
    out = out.assign(_x=out.geometry.get_coordinates()["x"].groupby(level=0).first().round(2))
    out = out.sort_values("_x").reset_index(drop=True)
    assert len(out) == len(_WAYS)
    assert out["access_controlled"].tolist() == [w[1] for w in _WAYS]
    assert out["toll"].tolist() == [w[2] for w in _WAYS]
    assert out["oneway"].tolist() == [w[3] for w in _WAYS]
    # oneway=-1: drawn north to south, reversed to run south to north
    last = out.geometry.iloc[-1]
    assert last.coords[0][1] < last.coords[-1][1]


@pytest.fixture
def access_osm(tmp_path):
    path = tmp_path / "access.osm"
    path.write_text(_osm_xml(), encoding="utf-8")
    return path


def test_osm_xml_and_pbf_keep_access_tags(access_osm, tmp_path):
    import osmnx as ox

    before = list(ox.settings.useful_tags_way)
    _check_flags(roads.read_roads(access_osm))
    assert ox.settings.useful_tags_way == before  # osmnx settings restored
    _check_flags(roads.read_roads(_to_pbf(access_osm, tmp_path / "access.osm.pbf")))


def test_osmnx_graph_with_access_tags(access_osm, monkeypatch):
    import osmnx as ox

    monkeypatch.setattr(ox.settings, "useful_tags_way", [*ox.settings.useful_tags_way, "toll", "motorroad"])
    graph = ox.graph_from_xml(access_osm, retain_all=True)
    _check_flags(roads.read_roads(graph))


def test_gis_layers_toll_column_names_and_rbi_labels():
    geoms = [[(0, 10 * i), (100, 10 * i)] for i in range(7)]
    gdf = gpd.GeoDataFrame(
        {
            "REMARK": [
                "Jalan Tol",
                "Jalan Bebas Hambatan",
                "Jalan Arteri",
                "Jalan Arteri",
                "Jalan Lokal",
                "Jalan Lokal",
                "Jalan Lokal",
            ],
            "tol": ["tidak", None, "ya", "0", "no", "1", ""],
            "NAMRJL": [None, None, None, "Jl. Tol Palindra", "TOL CIPALI", "Jalan Tol", "Jalan Toll"],
        },
        geometry=[LineString(c) for c in geoms],
        crs=UTM,
    )
    out = roads.read_roads(gdf)
    assert out["toll"].tolist() == [True, False, True, True, True, True, True]
    assert out["access_controlled"].tolist() == [True, True, True, True, True, True, True]
    assert out["road_class"].tolist()[:2] == ["arteri", "arteri"]
    again = roads.read_roads(out)  # a standard layer keeps its flags
    assert again[["access_controlled", "toll"]].equals(out[["access_controlled", "toll"]])
    plain = gdf.assign(tol=None, NAMRJL="Jalan Lintas Timur", REMARK="Jalan Lokal")
    flags = roads.read_roads(plain)[["access_controlled", "toll"]]
    assert not flags.to_numpy().any()
    with pytest.raises(InputValidationError, match=r"column 'tol'.*'kadang' \(row 2\)"):
        roads.read_roads(gdf.assign(tol=["no", "no", "kadang", "no", "no", "no", "no"]))


# --- degenerate geometries ------------------------------------------------------------


def test_zero_length_and_empty_lines_are_dropped_with_a_count():
    layer = gpd.GeoDataFrame(
        {"road_class": ["lokal"] * 4},
        geometry=[LineString([(0, 0), (2000, 0)]), LineString([(5, 5), (5, 5)]), LineString(), None],
        crs=UTM,
    )
    with pytest.warns(GeoAccessWarning, match="2 feature.*empty or missing.*1 empty or zero-length"):
        net = ga.build_network(layer, "car", offroad=False, repair=True)
    assert minutes(net, (0, 0), (2000, 0))[0] == pytest.approx(6.0)
    with pytest.warns(GeoAccessWarning, match="1 empty or zero-length"):
        fixed, _ = roads.repair_roads(layer.iloc[:2])
    assert len(fixed) == 1
    with pytest.raises(EmptyInputError, match=r"no line with a length > 0 is left \(2 feature.*1 empty"):
        ga.build_network(layer.iloc[1:], "car", offroad=False)
    with pytest.raises(EmptyInputError, match="no line with a length > 0"):
        roads.repair_roads(layer.iloc[1:2])


def test_points_in_a_line_layer_are_a_clear_error():
    layer = gpd.GeoDataFrame(
        {"road_class": ["lokal", "lokal"]}, geometry=[LineString([(0, 0), (10, 0)]), Point(5, 5)], crs=UTM
    )
    with pytest.raises(InputValidationError, match=r"1 feature\(s\) are not lines \(\{'Point': 1\}\)"):
        ga.build_network(layer, "car", offroad=False)


def test_repaired_osm_layer_keeps_its_mark_so_bridges_stay_bridges():
    # An OSM way crossing another without a shared node is a bridge. After repair_roads
    # the layer must still be read as OSM, so build_network does not node the crossing:
    # a home on the upper road then cannot turn onto the lower one at (500, 0) and, in a
    # road-only network, cannot reach the facility on it. The same lines as a GIS layer
    # (no OSM tags) are noded: 400 m down + 500 m along at the class speed.
    # (the upper road's 100 m pieces end at y = -550, -450, ..., 450: none at the crossing)
    lines = [LineString([(0, 0), (1000, 0)]), LineString([(500, -550), (500, 450)])]
    osm = gpd.GeoDataFrame({"highway": ["primary", "primary"]}, geometry=lines, crs="EPSG:32748")
    repaired, _ = roads.repair_roads(roads.read_roads(osm), node_crossings=False)
    home = gpd.GeoDataFrame(geometry=[Point(500, 400)], crs="EPSG:32748")
    fac = gpd.GeoDataFrame({"facility_id": ["F"]}, geometry=[Point(1000, 0)], crs="EPSG:32748")
    net = ga.build_network(repaired, "car", offroad=False)
    out = ga.travel_time(net, home, fac, max_access_m=10)
    assert not out["reachable"].iloc[0]
    gis = gpd.GeoDataFrame({"road_class": ["arteri", "arteri"]}, geometry=lines, crs="EPSG:32748")
    net = ga.build_network(gis, "car", offroad=False)
    out = ga.travel_time(net, home, fac, max_access_m=10)
    speed_m_per_min = ga.speeds.ROAD_SPEED_KPH["car"]["arteri"] * 1000 / 60
    assert out["travel_time_min"].iloc[0] == pytest.approx(900 / speed_m_per_min)
