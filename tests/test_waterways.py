"""read_waterways: river lines from OSM files, vector files and frames (for boats).

The two real OSM samples of the shared data (``osm-samples/``, West Oakland and Munich,
ODbL) hold no ``waterway=river|canal`` and no ``route=ferry`` (checked with grep on the
raw XML): the reader must say so, not return an empty layer. The positive case is an OSM
XML file written here by hand: a river of two straight pieces along latitude -3.0, a
ferry route, and a road and a stream that must be left out.
"""

from __future__ import annotations

import bz2

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

import geoaccess as ga
from geoaccess.exceptions import CRSError, DataNotFoundError, EmptyInputError, GeoAccessWarning
from geoaccess.inputs.waterways import OSM_WATERWAY_TAGS, read_waterways

OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="-3.0000" lon="104.0000"/>
  <node id="2" lat="-3.0000" lon="104.0100"/>
  <node id="3" lat="-3.0000" lon="104.0200"/>
  <node id="4" lat="-3.0100" lon="104.0000"/>
  <node id="5" lat="-3.0100" lon="104.0200"/>
  <node id="6" lat="-3.0200" lon="104.0000"/>
  <node id="7" lat="-3.0200" lon="104.0050"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="waterway" v="river"/><tag k="name" v="Sungai Uji"/></way>
  <way id="11"><nd ref="4"/><nd ref="5"/><tag k="route" v="ferry"/></way>
  <way id="12"><nd ref="6"/><nd ref="7"/><tag k="highway" v="residential"/></way>
  <way id="13"><nd ref="4"/><nd ref="6"/><tag k="waterway" v="stream"/></way>
</osm>
"""
GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize("name", ["West-Oakland.osm.bz2", "munich-small.osm"])
def test_the_real_osm_samples_hold_no_waterway_and_say_so(data_dir, name):
    path = data_dir / "osm-samples" / name
    raw = (
        bz2.open(path, "rt", encoding="utf-8") if name.endswith(".bz2") else open(path, encoding="utf-8")
    ).read()
    assert 'k="waterway"' not in raw and 'v="ferry"' not in raw  # the independent check
    with pytest.raises(EmptyInputError, match=rf"{name} holds no feature tagged .*waterway"):
        read_waterways(path)


def test_a_hand_written_osm_file(tmp_path):
    path = tmp_path / "sungai.osm"
    path.write_text(OSM, encoding="utf-8")
    ww = read_waterways(path)
    assert ww.crs.to_epsg() == 4326
    assert sorted(ww["waterway"]) == ["ferry", "river"]  # no road, no stream
    river = ww[ww["waterway"] == "river"].iloc[0]
    assert river["name"] == "Sungai Uji" and np.isnan(river["speed_kph"])
    # geodesic length of 0.02 degree of longitude at 3 degrees south, by pyproj
    want = GEOD.inv(104.0, -3.0, 104.02, -3.0)[2]
    assert GEOD.geometry_length(river.geometry) == pytest.approx(want, rel=1e-9)
    assert want == pytest.approx(0.02 * 111_320 * np.cos(np.radians(3.0)), abs=3.0)  # ~2,223 m by hand
    # bz2-compressed the same
    (tmp_path / "sungai.osm.bz2").write_bytes(bz2.compress(OSM.encode()))
    assert len(read_waterways(tmp_path / "sungai.osm.bz2")) == 2
    # the tags are a parameter: streams too
    assert len(read_waterways(path, tags={"waterway": ["river", "stream"]})) == 2
    assert OSM_WATERWAY_TAGS == {"waterway": ["river", "canal"], "route": "ferry"}


def test_the_osm_river_carries_a_boat(tmp_path):
    # the river of the hand-written file as waterway and barrier across the whole study
    # area (no way round its ends); landings 100 m in from each end, 60 m off the bank
    # line; home 200 m north of the west landing, facility 200 m south of the east one.
    # By hand (UTM 48S lengths): 200 m at 10 km/h (1.2) + wait 15 + (river - 200 m) at
    # 8 km/h + 200 m (1.2); the legs run over 50 m cells, so within about a cell each
    path = tmp_path / "sungai.osm"
    path.write_text(OSM, encoding="utf-8")
    ww = read_waterways(path)
    river = ww[ww["waterway"] == "river"]
    utm = "EPSG:32748"
    r = river.to_crs(utm)
    (x0, y0), (x1, y1) = r.geometry.iloc[0].coords[0], r.geometry.iloc[0].coords[-1]
    area = gpd.GeoDataFrame(geometry=[shapely.box(x0, y0 - 1000, x1, y1 + 1000)], crs=utm)
    landings = gpd.GeoDataFrame(
        geometry=[shapely.Point(x0 + 100, y0 + 60), shapely.Point(x1 - 100, y1 - 60)], crs=utm
    )
    net = ga.build_network(
        None, "motorbike", area=area, resolution_m=50, barriers=river, waterways=river, landings=landings
    )
    home = gpd.GeoDataFrame(geometry=[shapely.Point(x0 + 100, y0 + 260)], crs=utm)
    fac = gpd.GeoDataFrame({"facility_id": ["F"]}, geometry=[shapely.Point(x1 - 100, y1 - 260)], crs=utm)
    found = ga.nearest(net, fac)
    boat_m = r.geometry.iloc[0].length - 200
    got = found.at_points(home)["travel_time_min"].iloc[0]
    want = 2 * 200 / (10_000 / 60) + 15 + boat_m / (8_000 / 60)
    assert got == pytest.approx(want, abs=2 * 50 / (10_000 / 60) + 0.1)
    assert found.mode_chain_at_points(home)["mode_chain"].tolist() == ["boat"]
    # without the boat the far bank cannot be reached
    dry = ga.build_network(None, "motorbike", area=area, resolution_m=50, barriers=river)
    assert np.isnan(ga.nearest(dry, fac).at_points(home)["travel_time_min"].iloc[0])


def test_vector_layers_and_frames(tmp_path):
    rivers = gpd.GeoDataFrame(
        {"NAMOBJ": ["Sungai Lalan", "Danau"], "speed_kph": [12.0, None]},
        geometry=[
            shapely.MultiLineString([[(104.0, -2.5), (104.1, -2.5)], [(104.1, -2.5), (104.2, -2.6)]]),
            shapely.box(104.3, -2.6, 104.4, -2.5),
        ],
        crs="EPSG:4326",
    )
    rivers.to_file(tmp_path / "SUNGAI.gpkg")
    with pytest.warns(GeoAccessWarning, match="1 water area"):
        out = read_waterways(tmp_path / "SUNGAI.gpkg")
    assert out["name"].tolist() == ["Sungai Lalan", "Sungai Lalan"] and out["speed_kph"].tolist() == [
        12.0,
        12.0,
    ]
    assert read_waterways(rivers.geometry.iloc[:1]).geom_type.tolist() == ["LineString", "LineString"]
    with pytest.raises(CRSError):
        read_waterways(gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (1, 1)])]))
    with pytest.raises(DataNotFoundError):
        read_waterways(tmp_path / "nope.geojson")
    with pytest.raises(EmptyInputError, match="no line"):
        read_waterways(gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)], crs=4326))
    with pytest.raises(ga.exceptions.InputValidationError, match="expected an OSM file"):
        read_waterways(42)
