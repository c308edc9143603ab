"""Tests of geoaccess.inputs.roads: reading road layers, OSM download (mocked), topology repair.

Hand-computed cases use small synthetic lines in UTM 48S (EPSG:32748) around
(500000, 9400000). Real-data tests read the shared data directory (skipped if absent).
"""

from __future__ import annotations

import math
import time

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely import LineString, MultiLineString, Point

from geoaccess.engine.speeds import ROAD_CLASSES
from geoaccess.exceptions import (
    CRSError,
    DataNotFoundError,
    EmptyInputError,
    GeoAccessWarning,
    InputValidationError,
    MissingColumnError,
    OfflineError,
)
from geoaccess.inputs import roads
from geoaccess.settings import options, resolve_data_dir

X0, Y0 = 500_000.0, 9_400_000.0
UTM = "EPSG:32748"


def _data_file(*parts: str):
    """Path of a shared data file, or skip the test with the reason."""
    try:
        base = resolve_data_dir()
    except DataNotFoundError as exc:
        pytest.skip(f"shared data directory not found: {exc}")
    path = base.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data file {path} not found")
    return path


def _lines(coords_list, crs=UTM, **cols):
    geoms = [LineString([(X0 + x, Y0 + y) for x, y in c]) for c in coords_list]
    return gpd.GeoDataFrame(cols, geometry=geoms, crs=crs)


def _ends(gdf):
    g = gdf.geometry.to_numpy()
    return (
        shapely.get_coordinates(shapely.get_point(g, 0)),
        shapely.get_coordinates(shapely.get_point(g, -1)),
    )


def _metric_length(gdf):
    g = gdf.to_crs(gdf.estimate_utm_crs()) if gdf.crs.is_geographic else gdf
    return g.geometry.length


def _lengths_by(gdf, cols):
    return gdf.assign(_len=_metric_length(gdf).to_numpy()).groupby(cols)["_len"].sum()


def _to_pbf(src, dst):
    import osmium

    writer = osmium.SimpleWriter(str(dst), overwrite=True)
    try:
        for obj in osmium.FileProcessor(str(src)):
            writer.add(obj)
    finally:
        writer.close()
    return dst


# A tiny hand-written OSM file: way 10 is oneway=-1 (30 mph), way 11 oneway=yes,
# way 12 a two-way track, way 13 a proposed road (not a road), way 14 a building.
HAND_OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="geoaccess-test">
  <node id="1" version="1" lat="-5.3000" lon="104.9000"/>
  <node id="2" version="1" lat="-5.3000" lon="104.9010"/>
  <node id="3" version="1" lat="-5.3000" lon="104.9020"/>
  <node id="4" version="1" lat="-5.2990" lon="104.9020"/>
  <node id="5" version="1" lat="-5.3010" lon="104.9020"/>
  <node id="6" version="1" lat="-5.3020" lon="104.9020"/>
  <way id="10" version="1">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="oneway" v="-1"/><tag k="maxspeed" v="30 mph"/>
  </way>
  <way id="11" version="1">
    <nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="primary"/><tag k="oneway" v="yes"/><tag k="maxspeed" v="50"/>
  </way>
  <way id="12" version="1">
    <nd ref="3"/><nd ref="5"/>
    <tag k="highway" v="track"/>
  </way>
  <way id="13" version="1">
    <nd ref="5"/><nd ref="6"/>
    <tag k="highway" v="proposed"/>
  </way>
  <way id="14" version="1">
    <nd ref="1"/><nd ref="4"/><nd ref="6"/><nd ref="1"/>
    <tag k="building" v="yes"/>
  </way>
</osm>
"""


@pytest.fixture
def hand_osm(tmp_path):
    path = tmp_path / "hand.osm"
    path.write_text(HAND_OSM, encoding="utf-8")
    return path


# ======================================================================================
# read_roads: GeoDataFrames
# ======================================================================================


def test_class_mapping_rbi_osm_national():
    rbi = _lines(
        [[(0, 0), (10, 0)]] * 4, REMARK=["Jalan Arteri", "Jalan Kolektor", "Jalan Lokal", "Jalan Lain"]
    )
    out = roads.read_roads(rbi)
    assert out["road_class"].tolist() == ["arteri", "kolektor", "lokal", "lingkungan"]
    assert out["class_source"].tolist() == ["Jalan Arteri", "Jalan Kolektor", "Jalan Lokal", "Jalan Lain"]

    osm = _lines([[(0, 0), (10, 0)]] * 5, highway=["primary", "secondary", "tertiary", "track", "footway"])
    assert roads.read_roads(osm)["road_class"].tolist() == [
        "arteri",
        "kolektor",
        "lokal",
        "lingkungan",
        "setapak",
    ]

    national = _lines([[(0, 0), (10, 0)]] * 2, no_ruas=["001", "001K"])
    out = roads.read_roads(national, default_class="arteri")
    assert out["road_class"].tolist() == ["arteri", "arteri"]
    assert out["class_source"].tolist() == ["", ""]


def test_standard_columns_and_dtypes():
    out = roads.read_roads(_lines([[(0, 0), (10, 0)]], highway=["primary"]))
    assert list(out.columns) == [
        "road_class",
        "class_source",
        "speed_kph",
        "oneway",
        "access_controlled",
        "toll",
        "geometry",
    ]
    assert out["speed_kph"].dtype == float
    for flag in ("oneway", "access_controlled", "toll"):
        assert out[flag].dtype == bool
        assert not out[flag].iloc[0]
    assert out.crs == UTM
    assert set(out["road_class"]) <= set(ROAD_CLASSES)
    assert not out["oneway"].iloc[0]
    assert math.isnan(out["speed_kph"].iloc[0])
    assert isinstance(out.index, pd.RangeIndex)


def test_class_column_lowercase_and_explicit():
    gdf = _lines([[(0, 0), (10, 0)]], remark=["Jalan Lokal"], kelas=["Jalan Arteri"])
    assert roads.read_roads(gdf)["road_class"].tolist() == ["lokal"]  # 'remark' ~ 'REMARK'
    assert roads.read_roads(gdf, class_column="kelas")["road_class"].tolist() == ["arteri"]
    with pytest.raises(MissingColumnError, match="nope"):
        roads.read_roads(gdf, class_column="nope")


def test_unknown_labels_error_lists_labels_counts_and_fixes():
    gdf = _lines(
        [[(0, 0), (10, 0)]] * 5, REMARK=["Jalan Lokal", "Jalan Tanah", "Jalan Tanah", "Titian", None]
    )
    with pytest.raises(InputValidationError) as err:
        roads.read_roads(gdf)
    msg = str(err.value)
    assert "'Jalan Tanah' (2)" in msg
    assert "'Titian' (1)" in msg
    assert "'<missing>' (1)" in msg
    assert "REMARK" in msg
    assert "class_mapping=" in msg and "default_class=" in msg


def test_class_mapping_and_default_class_resolve_unknowns():
    gdf = _lines([[(0, 0), (10, 0)]] * 3, REMARK=["Jalan Tanah", "Titian", "Jalan Lokal"])
    with pytest.warns(GeoAccessWarning, match="default_class='setapak'"):
        out = roads.read_roads(gdf, class_mapping={"Jalan Tanah": "lingkungan"}, default_class="setapak")
    assert out["road_class"].tolist() == ["lingkungan", "setapak", "lokal"]
    assert out["class_source"].tolist() == ["Jalan Tanah", "Titian", "Jalan Lokal"]
    with pytest.raises(InputValidationError, match="class_mapping"):
        roads.read_roads(gdf, class_mapping={"Jalan Tanah": "dirt"})
    with pytest.raises(InputValidationError, match="default_class"):
        roads.read_roads(gdf, default_class="gravel")


def test_no_class_column_needs_default_class():
    gdf = _lines([[(0, 0), (10, 0)]], nama_ruas=["Muara Enim - Lahat"])
    with pytest.raises(InputValidationError, match="default_class='arteri'"):
        roads.read_roads(gdf)
    with pytest.raises(InputValidationError, match="no road-class column"):
        roads.read_roads(gdf.geometry)  # a GeoSeries has no class column either
    assert roads.read_roads(gdf.geometry, default_class="lokal")["road_class"].tolist() == ["lokal"]


def test_maxspeed_parsing():
    speeds_in = ["50", "30 mph", "none", "40;60", None, "0", "20 km/h", "signals", "10 knots"]
    gdf = _lines(
        [[(0, 0), (10, 0)]] * len(speeds_in), highway=["primary"] * len(speeds_in), maxspeed=speeds_in
    )
    got = roads.read_roads(gdf)["speed_kph"].to_numpy()
    want = [50, 30 * 1.609344, np.nan, 50, np.nan, np.nan, 20, np.nan, 18.52]
    np.testing.assert_allclose(got, want, equal_nan=True)
    # a numeric speed column; <= 0 means unknown (Geofabrik uses 0)
    gdf = _lines([[(0, 0), (10, 0)]] * 3, highway=["primary"] * 3, kmh=[60, 0, np.nan])
    np.testing.assert_allclose(
        roads.read_roads(gdf, speed_column="kmh")["speed_kph"], [60, np.nan, np.nan], equal_nan=True
    )
    with pytest.raises(MissingColumnError, match="velocity"):
        roads.read_roads(gdf, speed_column="velocity")


def test_oneway_values_and_reverse():
    values = ["yes", "-1", "no", None, True, "F", "T", "B", 1, "reverse"]
    gdf = _lines(
        [[(0, 0), (10, 0), (20, 5)]] * len(values), highway=["residential"] * len(values), oneway=values
    )
    out = roads.read_roads(gdf)
    assert out["oneway"].tolist() == [True, True, False, False, True, True, True, False, True, True]
    reversed_rows = [1, 6, 9]  # '-1', Geofabrik 'T', 'reverse'
    for i in range(len(values)):
        first = out.geometry.iloc[i].coords[0]
        assert first == ((X0 + 20, Y0 + 5) if i in reversed_rows else (X0, Y0))
    # the input keeps its direction (not mutated)
    assert gdf.geometry.iloc[1].coords[0] == (X0, Y0)


def test_unrecognised_oneway_value_is_an_error_naming_column_values_rows_and_fix():
    gdf = _lines(
        [[(0, 0), (10, 0)]] * 4, highway=["residential"] * 4, oneway=["yes", "perhaps", "2", "perhaps"]
    )
    with pytest.raises(InputValidationError) as err:
        roads.read_roads(gdf)
    msg = str(err.value)
    assert "column 'oneway'" in msg
    assert "'perhaps' (rows 1, 3)" in msg and "'2' (row 2)" in msg
    assert ".replace(" in msg and "oneway_column=None" in msg
    # the same values in another column named by the caller
    with pytest.raises(InputValidationError, match="column 'arah'"):
        roads.read_roads(gdf.rename(columns={"oneway": "arah"}), oneway_column="arah")
    out = roads.read_roads(gdf, oneway_column=None)
    assert not out["oneway"].any()


def test_multilines_exploded_and_empty_geometries_dropped_with_count():
    gdf = gpd.GeoDataFrame(
        {"REMARK": ["Jalan Lokal", "Jalan Lain", "Jalan Lain", "Jalan Lokal"]},
        geometry=[
            MultiLineString([[(X0, Y0), (X0 + 10, Y0)], [(X0, Y0 + 5), (X0 + 10, Y0 + 5)]]),
            None,
            LineString(),
            LineString([(X0, Y0), (X0, Y0 + 7)]),
        ],
        crs=UTM,
    )
    before = gdf.copy()
    with pytest.warns(GeoAccessWarning, match="dropped 2 feature"):
        out = roads.read_roads(gdf)
    assert len(out) == 3
    assert (out.geom_type == "LineString").all()
    assert out["road_class"].tolist() == ["lokal", "lokal", "lokal"]
    np.testing.assert_allclose(out.length, [10, 10, 7])
    assert_geodataframe_equal(gdf, before)


def test_non_line_geometries_and_bad_sources_rejected(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"highway": ["primary", "primary"]},
        geometry=[Point(X0, Y0), LineString([(X0, Y0), (X0 + 1, Y0)])],
        crs=UTM,
    )
    with pytest.raises(InputValidationError, match="not lines"):
        roads.read_roads(gdf)
    with pytest.raises(InputValidationError, match="plain DataFrame"):
        roads.read_roads(pd.DataFrame({"highway": ["primary"]}))
    with pytest.raises(InputValidationError, match="expected a GeoDataFrame"):
        roads.read_roads(42)
    with pytest.raises(DataNotFoundError, match="does not exist"):
        roads.read_roads(tmp_path / "nothing.geojson")
    with pytest.raises(EmptyInputError):
        roads.read_roads(gdf.iloc[:0])


def test_missing_crs_raises_crserror():
    gdf = _lines([[(0, 0), (10, 0)]], highway=["primary"]).set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="set_crs"):
        roads.read_roads(gdf)


def test_read_roads_idempotent_and_input_not_mutated():
    gdf = _lines(
        [[(0, 0), (10, 0)], [(0, 0), (0, 10)]],
        REMARK=["Jalan Lokal", "Jalan Lain"],
        oneway=["-1", "no"],
        speed_kph=[30.0, np.nan],
    )
    before = gdf.copy()
    once = roads.read_roads(gdf)
    twice = roads.read_roads(once)
    assert_geodataframe_equal(once, twice)
    assert twice["class_source"].tolist() == ["Jalan Lokal", "Jalan Lain"]
    assert_geodataframe_equal(gdf, before)


# ======================================================================================
# read_roads: files
# ======================================================================================


def test_read_vector_files_roundtrip(tmp_path):
    gdf = _lines([[(0, 0), (10, 0)], [(0, 0), (0, 10)]], REMARK=["Jalan Lokal", "Jalan Lain"])
    expected = roads.read_roads(gdf)
    for name in ("roads.geojson", "roads.gpkg", "roads.shp"):
        path = tmp_path / name
        gdf.to_file(path)
        got = roads.read_roads(path)
        assert got["road_class"].tolist() == expected["road_class"].tolist()
        assert got.crs.equals(expected.crs)
        np.testing.assert_allclose(got.length, expected.length)
        assert str(path) == str(path)  # str path and Path both accepted
        assert len(roads.read_roads(str(path))) == 2


def test_multilayer_gpkg_needs_layer(tmp_path):
    path = tmp_path / "two.gpkg"
    a = _lines([[(0, 0), (10, 0)]], REMARK=["Jalan Lokal"])
    b = _lines([[(0, 0), (0, 10)]], REMARK=["Jalan Arteri"])
    a.to_file(path, layer="lokal")
    b.to_file(path, layer="arteri")
    with pytest.raises(InputValidationError, match="layer="):
        roads.read_roads(path)
    assert roads.read_roads(path, layer="arteri")["road_class"].tolist() == ["arteri"]


def test_read_national_shapefile():
    path = _data_file("roads", "sumsel_national", "jalanSumsel.shp")
    with pytest.raises(InputValidationError, match="default_class='arteri'"):
        roads.read_roads(path)
    out = roads.read_roads(path, default_class="arteri")
    assert len(out) == 88
    assert out.crs.to_epsg() == 32748
    assert (out["road_class"] == "arteri").all()
    assert out["speed_kph"].isna().all() and not out["oneway"].any()
    assert out.length.sum() / 1000 == pytest.approx(1573.6, abs=0.1)  # SOURCES.md


@pytest.mark.slow
def test_read_pringsewu_rbi():
    path = _data_file("roads", "pringsewu_rbi50k", "JALAN_LN_50K_pringsewu.geojson")
    out = roads.read_roads(path)
    assert out.crs.to_epsg() == 4326
    km = _lengths_by(out, "class_source") / 1000
    # SOURCES.md: Lain 762.1 km, Lokal 254.7, Kolektor 109.9, Arteri 26.5 (UTM 48S)
    assert km["Jalan Lain"] == pytest.approx(762.1, abs=0.5)
    assert km["Jalan Lokal"] == pytest.approx(254.7, abs=0.5)
    assert km["Jalan Kolektor"] == pytest.approx(109.9, abs=0.5)
    assert km["Jalan Arteri"] == pytest.approx(26.5, abs=0.5)
    assert set(out["road_class"]) == {"arteri", "kolektor", "lokal", "lingkungan"}


# ======================================================================================
# read_roads: OpenStreetMap
# ======================================================================================


def test_hand_osm_xml_oneway_reverse_maxspeed_and_filters(hand_osm):
    out = roads.read_roads(hand_osm)
    assert out.crs.to_epsg() == 4326
    assert len(out) == 3  # proposed road and building left out
    by = out.set_index("class_source")
    res = by.loc["residential"]
    assert res["oneway"]
    # oneway=-1: reversed, so it starts at node 3 (104.902) and ends at node 1 (104.900)
    assert res.geometry.coords[0] == pytest.approx((104.902, -5.3))
    assert res.geometry.coords[-1] == pytest.approx((104.900, -5.3))
    assert res["speed_kph"] == pytest.approx(30 * 1.609344)
    assert res["road_class"] == "lingkungan"
    prim = by.loc["primary"]
    assert prim["oneway"] and prim["speed_kph"] == 50 and prim["road_class"] == "arteri"
    assert prim.geometry.coords[0] == pytest.approx((104.902, -5.3))
    track = by.loc["track"]
    assert not track["oneway"] and math.isnan(track["speed_kph"])


def test_hand_osm_pbf_matches_xml(hand_osm, tmp_path):
    pbf = _to_pbf(hand_osm, tmp_path / "hand.osm.pbf")
    xml = roads.read_roads(hand_osm).sort_values("class_source").reset_index(drop=True)
    got = roads.read_roads(pbf).sort_values("class_source").reset_index(drop=True)
    assert got["class_source"].tolist() == xml["class_source"].tolist()
    assert got["oneway"].tolist() == xml["oneway"].tolist()
    np.testing.assert_allclose(got["speed_kph"], xml["speed_kph"], equal_nan=True)
    for a, b in zip(got.geometry, xml.geometry, strict=True):
        assert a.equals_exact(b, 1e-9)  # same coordinates in the same direction


@pytest.mark.parametrize("name", ["munich-small.osm", "West-Oakland.osm.bz2"])
def test_osm_xml_and_pbf_give_same_highway_lengths(name, tmp_path):
    src = _data_file("osm-samples", name)
    xml = roads.read_roads(src)
    pbf = roads.read_roads(_to_pbf(src, tmp_path / (name.split(".")[0] + ".osm.pbf")))
    assert xml.crs.equals(pbf.crs)
    for out in (xml, pbf):
        assert (out.geom_type == "LineString").all()
        assert set(out["road_class"]) <= set(ROAD_CLASSES)
    a = _lengths_by(xml, ["class_source", "oneway"])
    b = _lengths_by(pbf, ["class_source", "oneway"])
    pd.testing.assert_series_equal(a, b, rtol=1e-9)
    assert _metric_length(xml).sum() == pytest.approx(_metric_length(pbf).sum(), rel=1e-9)


def test_munich_osm_contents():
    out = roads.read_roads(_data_file("osm-samples", "munich-small.osm"))
    assert set(out["class_source"]) == {"residential", "service", "track"}
    assert not out["oneway"].any()
    # maxspeed=30 on the residential streets that carry it
    assert set(out["speed_kph"].dropna()) == {30.0}


def test_west_oakland_bz2_has_oneways():
    out = roads.read_roads(_data_file("osm-samples", "West-Oakland.osm.bz2"))
    assert out["oneway"].any() and not out["oneway"].all()
    assert {"arteri", "kolektor", "lokal", "lingkungan", "setapak"} - set(out["road_class"]) == {"arteri"}


def test_osmnx_graph_input_dedupes_two_way_edges():
    import osmnx as ox

    src = _data_file("osm-samples", "West-Oakland.osm.bz2")
    graph = ox.graph_from_xml(src, bidirectional=True, retain_all=True)
    n_edges = graph.number_of_edges()
    out = roads.read_roads(graph)
    assert graph.number_of_edges() == n_edges  # not mutated
    assert not out["oneway"].any()  # bidirectional graph: every edge has its twin
    highway_edges = [d for _, _, d in graph.edges(data=True) if "highway" in d]
    assert len(out) == len(highway_edges) / 2

    directed = ox.graph_from_xml(src, retain_all=True)
    out2 = roads.read_roads(directed)
    n_single = sum(1 for u, v, d in directed.edges(data=True) if "highway" in d and d["oneway"])
    assert int(out2["oneway"].sum()) == n_single
    # same network length as the file reader
    assert _metric_length(out2).sum() == pytest.approx(_metric_length(roads.read_roads(src)).sum(), rel=1e-6)


def test_graph_without_crs_rejected():
    graph = nx.MultiDiGraph()
    graph.add_edge(1, 2)
    with pytest.raises(CRSError, match="crs"):
        roads.read_roads(graph)


def test_osm_arguments_that_do_not_apply(hand_osm):
    with pytest.raises(InputValidationError, match="layer="):
        roads.read_roads(hand_osm, layer="lines")
    with pytest.raises(InputValidationError, match="maxspeed"):
        roads.read_roads(hand_osm, speed_column="kmh")


# ======================================================================================
# roads_from_osm (offline: osmnx is mocked)
# ======================================================================================


POLY = shapely.box(10.068, 48.135, 10.071, 48.137)


@pytest.fixture
def cache_dir(tmp_path):
    """Point geoaccess.options.cache_dir at tmp_path for one test.

    Set and restored through the public setter: pytest's monkeypatch.setattr cannot undo
    on ``Options`` (it looks for the value in the instance ``__dict__``, finds nothing and
    tries to delete the option at teardown).
    """
    old = options.cache_dir
    options.cache_dir = str(tmp_path / "cache")
    try:
        yield options.cache_dir
    finally:
        options.cache_dir = old


def test_roads_from_osm_with_mocked_download(monkeypatch, cache_dir):
    import osmnx as ox

    src = _data_file("osm-samples", "munich-small.osm")
    # what graph_from_polygon(..., simplify=False) returns: unsimplified, and here with the
    # file's non-road ways too (they must not leak into the roads)
    graph = ox.graph_from_xml(src, simplify=False, retain_all=True)
    seen = {}

    def fake_graph_from_polygon(polygon, **kwargs):
        seen.update(
            kwargs,
            polygon=polygon,
            cache=ox.settings.cache_folder,
            timeout=ox.settings.requests_timeout,
            tags=set(ox.settings.useful_tags_way),
        )
        return graph

    monkeypatch.setattr(ox, "graph_from_polygon", fake_graph_from_polygon)
    cache_before = ox.settings.cache_folder
    out = roads.roads_from_osm(POLY, network_type="drive", timeout_s=30)
    assert seen["cache"] == cache_dir
    assert seen["timeout"] == 30
    assert seen["network_type"] == "drive"
    assert seen["simplify"] is False and seen["retain_all"] is True
    assert seen["polygon"].equals(POLY)
    assert ox.settings.cache_folder == cache_before  # osmnx settings restored
    assert seen["tags"] >= {"toll", "motorroad", "access"}  # kept while downloading
    assert not {"toll", "motorroad"} & set(ox.settings.useful_tags_way)  # and restored
    assert list(out.columns) == [
        "road_class",
        "class_source",
        "speed_kph",
        "oneway",
        "access_controlled",
        "toll",
        "geometry",
    ]
    assert out.crs.to_epsg() == 4326
    assert set(out["class_source"]) == {"residential", "service", "track"}
    assert out["speed_kph"].max() == 30.0
    from_file = roads.read_roads(src)
    assert len(out) == len(from_file)
    assert _metric_length(out).sum() == pytest.approx(_metric_length(from_file).sum(), rel=1e-9)

    # a GeoDataFrame polygon in another CRS is reprojected to EPSG:4326
    graph = ox.graph_from_xml(src, simplify=False, retain_all=True)  # consumed above
    gdf = gpd.GeoDataFrame(geometry=[POLY], crs=4326).to_crs(32632)
    roads.roads_from_osm(gdf)
    assert seen["polygon"].bounds == pytest.approx(POLY.bounds, abs=1e-6)


def test_roads_from_osm_offline_raises_offline_error(monkeypatch):
    import osmnx as ox
    import requests

    def offline(polygon, **kwargs):
        raise requests.exceptions.ConnectionError("Failed to resolve 'overpass-api.de'")

    monkeypatch.setattr(ox, "graph_from_polygon", offline)
    with pytest.raises(OfflineError, match=r"read_roads\(") as err:
        roads.roads_from_osm(POLY)
    assert isinstance(err.value, ConnectionError)
    assert ".osm.pbf" in str(err.value)
    assert isinstance(err.value.__cause__, requests.exceptions.ConnectionError)


def test_roads_from_osm_validates_polygon():
    with pytest.raises(CRSError, match="longitude/latitude"):
        roads.roads_from_osm(shapely.box(X0, Y0, X0 + 100, Y0 + 100))
    with pytest.raises(InputValidationError, match="Polygon"):
        roads.roads_from_osm(Point(10, 48))
    with pytest.raises(InputValidationError, match="network_type"):
        roads.roads_from_osm(POLY, network_type="boat")
    with pytest.raises(CRSError):
        roads.roads_from_osm(gpd.GeoDataFrame(geometry=[POLY]))


@pytest.mark.network
def test_roads_from_osm_live(cache_dir):
    out = roads.roads_from_osm(POLY)
    assert len(out) > 0 and out.crs.to_epsg() == 4326


# ======================================================================================
# repair_roads: hand-computed cases
# ======================================================================================


def test_x_crossing_is_noded():
    x = _lines([[(0, 0), (10, 10)], [(0, 10), (10, 0)]], road_id=["a", "b"], road_class=["lokal", "arteri"])
    before = x.copy()
    out, rep = roads.repair_roads(x)
    assert len(out) == 4
    assert rep.n_input_lines == 2 and rep.n_output_lines == 4
    assert rep.n_crossings_noded == 1
    assert rep.n_endpoints_snapped == 0
    assert rep.n_components_before == 2 and rep.n_components_after == 1
    assert rep.n_nodes_before == 4 and rep.n_nodes_after == 5
    assert rep.total_length_km_after == pytest.approx(rep.total_length_km_before, abs=1e-12)
    assert rep.total_length_km_before == pytest.approx(2 * math.sqrt(200) / 1000)
    np.testing.assert_allclose(out.length, math.sqrt(50))
    # attributes and direction come from the source line
    assert out["road_id"].tolist() == ["a", "a", "b", "b"]
    assert out["road_class"].tolist() == ["lokal", "lokal", "arteri", "arteri"]
    assert out.geometry.iloc[0].coords[:] == [(X0, Y0), (X0 + 5, Y0 + 5)]
    assert out.geometry.iloc[1].coords[:] == [(X0 + 5, Y0 + 5), (X0 + 10, Y0 + 10)]
    assert out.crs == x.crs and list(out.columns) == list(x.columns)
    assert_geodataframe_equal(x, before)


def test_t_near_miss_snapped_at_5m_not_2m():
    t = _lines([[(0, 0), (20, 0)], [(10, 3), (10, 20)]], road_id=["bar", "stem"])
    out, rep = roads.repair_roads(t, snap_tolerance_m=5.0)
    assert rep.n_endpoints_snapped == 1
    assert rep.n_crossings_noded == 0
    assert len(out) == 3  # bar split at (10, 0), stem extended down to it
    assert rep.n_components_before == 2 and rep.n_components_after == 1
    assert rep.snap_length_km == pytest.approx(0.003)
    assert rep.total_length_km_after == pytest.approx(rep.total_length_km_before + 0.003, abs=1e-12)
    stem = out[out["road_id"] == "stem"].geometry.iloc[0]
    assert stem.coords[0] == (X0 + 10, Y0)  # snap segment prepended; direction kept
    assert stem.length == pytest.approx(20)
    bars = out[out["road_id"] == "bar"].geometry
    assert sorted(b.length for b in bars) == [10, 10]

    out2, rep2 = roads.repair_roads(t, snap_tolerance_m=2.0)
    assert rep2.n_endpoints_snapped == 0 and len(out2) == 2
    assert rep2.n_components_after == 2
    assert rep2.total_length_km_after == rep2.total_length_km_before


def test_overshoot_is_noded_not_snapped_back():
    # the stem crosses the bar and overshoots by 2 m: noding makes a junction; the 2 m stub
    # stays a dead end instead of being snapped back onto the bar
    t = _lines([[(0, 0), (20, 0)], [(10, -2), (10, 20)]])
    out, rep = roads.repair_roads(t)
    assert rep.n_crossings_noded == 1 and rep.n_endpoints_snapped == 0
    assert len(out) == 4 and rep.n_components_after == 1
    assert rep.total_length_km_after == pytest.approx(rep.total_length_km_before, abs=1e-12)


def test_gap_between_two_ends_closed_once():
    g = _lines([[(0, 0), (10, 0)], [(13, 0), (30, 0)]])
    out, rep = roads.repair_roads(g)
    assert rep.n_endpoints_snapped == 1 and rep.snap_length_km == pytest.approx(0.003)
    assert len(out) == 2 and rep.n_components_after == 1 and rep.n_nodes_after == 3


def test_three_lines_through_one_point():
    lines = _lines([[(-10, 0), (10, 0)], [(0, -10), (0, 10)], [(-10, -10), (10, 10)]])
    out, rep = roads.repair_roads(lines)
    assert len(out) == 6 and rep.n_crossings_noded == 1
    assert rep.n_components_after == 1 and rep.n_nodes_after == 7
    s, e = _ends(out)
    centre = np.array([X0, Y0])
    assert int((np.all(s == centre, axis=1) | np.all(e == centre, axis=1)).sum()) == 6


def test_shared_interior_vertex_and_overlap_conserve_length():
    # b passes through a's interior vertex (10, 0); c overlaps a from x=15 to 20
    lines = _lines([[(0, 0), (10, 0), (20, 0)], [(10, -5), (10, 0), (10, 5)], [(15, 0), (30, 0)]])
    _, rep = roads.repair_roads(lines, snap_tolerance_m=0)
    assert rep.n_components_after == 1
    assert rep.total_length_km_after == pytest.approx(rep.total_length_km_before, abs=1e-12)
    assert rep.n_crossings_noded == 3  # (10, 0), (15, 0), (20, 0)


def test_node_crossings_false_keeps_bridges():
    x = _lines([[(0, 0), (10, 10)], [(0, 10), (10, 0)]])
    out, rep = roads.repair_roads(x, node_crossings=False)
    assert len(out) == 2 and rep.n_crossings_noded == 0 and rep.n_components_after == 2


def test_repair_geographic_input_returns_input_crs_and_keeps_vertices():
    x = _lines([[(0, 0), (100, 100)], [(0, 100), (100, 0)]]).to_crs(4326)
    out, rep = roads.repair_roads(x)
    assert out.crs == x.crs and rep.metric_crs == "EPSG:32748"
    assert len(out) == 4 and rep.n_components_after == 1
    # untouched vertices are bit-identical to the input
    assert out.geometry.iloc[0].coords[0] == x.geometry.iloc[0].coords[0]
    assert out.geometry.iloc[3].coords[-1] == x.geometry.iloc[1].coords[-1]
    # the new node is the same point in both lines
    assert out.geometry.iloc[0].coords[-1] == out.geometry.iloc[2].coords[-1]


def test_repair_multilines_and_custom_geometry_column():
    gdf = gpd.GeoDataFrame(
        {"name": ["m"]},
        geometry=[MultiLineString([[(X0, Y0), (X0 + 10, Y0 + 10)], [(X0, Y0 + 10), (X0 + 10, Y0)]])],
        crs=UTM,
    ).rename_geometry("geom")
    out, rep = roads.repair_roads(gdf)
    assert rep.n_input_lines == 2 and len(out) == 4
    assert out.geometry.name == "geom" and list(out.columns) == ["name", "geom"]


def test_repair_validation():
    x = _lines([[(0, 0), (10, 10)]])
    with pytest.raises(CRSError):
        roads.repair_roads(x.set_crs(None, allow_override=True))
    with pytest.raises(InputValidationError, match="snap_tolerance_m"):
        roads.repair_roads(x, snap_tolerance_m=-1)
    with pytest.raises(InputValidationError, match="no geometry"):
        roads.repair_roads(pd.concat([x, gpd.GeoDataFrame(geometry=[None], crs=UTM)]))
    with pytest.raises(InputValidationError, match="GeoDataFrame"):
        roads.repair_roads(x.geometry)


def test_report_is_frozen_and_readable():
    _, rep = roads.repair_roads(_lines([[(0, 0), (10, 10)], [(0, 10), (10, 0)]]))
    text = str(rep)
    assert "crossings noded" in text and "components" in text and "2 -> 1" in text
    with pytest.raises(AttributeError):
        rep.n_output_lines = 3  # type: ignore[misc]
    assert rep.length_check_km == pytest.approx(0, abs=1e-12)


# ======================================================================================
# repair_roads: real layers (figures compared with roads/SOURCES.md)
# ======================================================================================


@pytest.mark.slow
def test_repair_pringsewu_rbi():
    path = _data_file("roads", "pringsewu_rbi50k", "JALAN_LN_50K_pringsewu.geojson")
    layer = roads.read_roads(path)
    before = layer.copy()
    t0 = time.perf_counter()
    out, rep = roads.repair_roads(layer, snap_tolerance_m=5.0)
    seconds = time.perf_counter() - t0
    print(rep)
    assert seconds < 10
    # SOURCES.md (union noding + 5 m grid): 1,430 nodes, 10 weakly connected components
    assert rep.n_components_after == 10
    assert rep.n_nodes_after == 1430
    assert rep.n_crossings_noded > 500
    assert rep.total_length_km_before == pytest.approx(1153.3, abs=0.1)
    assert abs(rep.length_check_km) < 1e-9
    assert out.crs == layer.crs
    assert set(out["road_class"]) == set(layer["road_class"])
    assert_geodataframe_equal(layer, before)


def test_repair_national_layer():
    layer = roads.read_roads(
        _data_file("roads", "sumsel_national", "jalanSumsel.shp"), default_class="arteri"
    )
    _, rep = roads.repair_roads(layer, snap_tolerance_m=5.0)
    print(rep)
    # SOURCES.md: noded + 5 m snapping -> one component
    assert rep.n_components_before > 1
    assert rep.n_components_after == 1
    assert abs(rep.length_check_km) < 1e-9
    assert rep.total_length_km_before == pytest.approx(1573.6, abs=0.1)
