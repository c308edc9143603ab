"""Tests of geoaccess.outputs.maps on tiny synthetic layers (offline; the browser test needs Chromium)."""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import require_module, skip_or_fail
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point, box

folium = require_module("folium")

from geoaccess.exceptions import (  # noqa: E402
    CRSError,
    GeoAccessWarning,
    InputValidationError,
    MissingColumnError,
)
from geoaccess.outputs.maps import (  # noqa: E402
    GAP_COLOR,
    NO_DATA_COLOR,
    NO_DATA_LABEL,
    TIME_BAND_COLORS,
    TIME_BANDS_MIN,
    access_map,
    add_boundaries,
    add_facilities,
    map_travel_time,
    save_map,
    time_band_colors,
    time_band_labels,
)

# UTM zone 48S (EPSG:32748) coordinates near Tanjung Enim, Muara Enim: about 103.83 E, 3.71 S
X0, Y0 = 370_000.0, 9_590_000.0
YELLOW, ORANGE = "#ffffb2", "#fd8d3c"  # YlOrRd-5 colours of <=15 min and 30-60 min

_PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def make_areas() -> gpd.GeoDataFrame:
    """Three 2 km squares (desa) with travel times 10, 45 and NaN minutes."""
    return gpd.GeoDataFrame(
        {
            "code": ["1603010001", "1603010002", "1603010003"],
            "name": ["Desa Lingga", "Desa Keban Agung", "Desa Darmo"],
            "travel_time_min": [10.0, 45.0, np.nan],
            "population": [1200.0, 800.0, 300.0],
            "facility_id": ["F1", "F2", None],
        },
        geometry=[box(X0 + i * 2000, Y0, X0 + (i + 1) * 2000, Y0 + 2000) for i in range(3)],
        crs="EPSG:32748",
    )


def make_facilities() -> gpd.GeoDataFrame:
    """A puskesmas rawat inap (source location), a relocated pustu, a hospital without a point."""
    return gpd.GeoDataFrame(
        {
            "facility_id": ["F1", "F2", "F3"],
            "name": ["Puskesmas Lawang Kidul", "Pustu Keban Agung", "RSUD Dr. H. M. Rabain"],
            "type": ["puskesmas", "pustu", "rs"],
            "inpatient": pd.array([True, pd.NA, True], dtype="boolean"),
            "location_quality": ["source", "desa_centroid", "missing"],
        },
        geometry=[Point(X0 + 1000, Y0 + 1000), Point(X0 + 3000, Y0 + 1000), None],
        crs="EPSG:32748",
    )


def make_kecamatan() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["16.03.01"],
            "name": ["Lawang Kidul"],
            "population": [2300.0],
            "pop_beyond_60_min": [300.0],
        },
        geometry=[box(X0 - 500, Y0 - 500, X0 + 6500, Y0 + 2500)],
        crs="EPSG:32748",
    )


def html_of(m) -> str:
    return m.get_root().render()


def geojson_layers(m) -> list:
    out = []

    def walk(el):
        if isinstance(el, folium.GeoJson):
            out.append(el)
        for child in el._children.values():
            walk(child)

    walk(m)
    return out


def features_by_name(layer, key: str) -> dict:
    """{tooltip field value: properties} of a GeoJson layer, keyed by property ``key``."""
    return {f["properties"][key]: f for f in layer.data["features"]}


def fake_leaflet(tmp_path: Path) -> Path:
    folder = tmp_path / "leaflet"
    (folder / "images").mkdir(parents=True)
    (folder / "leaflet.js").write_text("window.FAKE_LEAFLET = 1;\n//# sourceMappingURL=leaflet.js.map\n")
    (folder / "leaflet.css").write_text(
        ".leaflet-control-layers-toggle { background-image: url(images/layers.png); }\n"
    )
    (folder / "images" / "layers.png").write_bytes(_PNG_1PX)
    return folder


def cdn_links(page: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page)


# ----------------------------------------------------------------------------- bands


def test_default_bands_labels_and_colours():
    assert TIME_BANDS_MIN == (15, 30, 60, 120)
    assert time_band_labels() == ["≤ 15 min", "15–30 min", "30–60 min", "60–120 min", "> 120 min"]
    assert time_band_colors() == list(TIME_BAND_COLORS)
    assert TIME_BAND_COLORS == ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
    assert NO_DATA_COLOR not in TIME_BAND_COLORS


def test_custom_bands():
    assert time_band_labels((30, 60)) == ["≤ 30 min", "30–60 min", "> 60 min"]
    assert time_band_colors((30, 60)) == ["#ffeda0", "#feb24c", "#f03b20"]
    assert len(time_band_colors((60,))) == 2
    assert len(time_band_colors(range(10, 90, 10))) == 9


@pytest.mark.parametrize("bad", [(30, 15), (0, 30), (15, float("nan")), (), tuple(range(1, 11)), "x"])
def test_bad_bands_are_rejected(bad):
    with pytest.raises(InputValidationError, match="bands_min"):
        map_travel_time(make_areas(), bands_min=bad)


def test_band_edges_belong_to_the_lower_band():
    areas = make_areas().assign(travel_time_min=[15.0, 15.2, np.inf])
    layer = geojson_layers(map_travel_time(areas, tiles=None))[0]
    props = {f["properties"]["ga_t0"]: f["properties"] for f in layer.data["features"]}
    assert props["Desa Lingga"]["ga_band"] == "≤ 15 min"
    assert props["Desa Keban Agung"]["ga_band"] == "15–30 min"
    assert props["Desa Darmo"]["ga_color"] == NO_DATA_COLOR  # inf = unreachable
    assert props["Desa Darmo"]["ga_minutes"] == NO_DATA_LABEL


# ----------------------------------------------------------------------------- travel time


def test_travel_time_colours_legend_and_tooltip():
    m = map_travel_time(make_areas(), tiles=None)
    (layer,) = geojson_layers(m)
    feats = features_by_name(layer, "ga_t0")  # first tooltip field is the name
    assert len(feats) == 3  # the NaN area is drawn, not hidden
    assert feats["Desa Lingga"]["properties"]["ga_color"] == YELLOW
    assert feats["Desa Keban Agung"]["properties"]["ga_color"] == ORANGE
    assert feats["Desa Darmo"]["properties"]["ga_color"] == NO_DATA_COLOR
    assert feats["Desa Lingga"]["properties"]["ga_minutes"] == "10"
    assert feats["Desa Keban Agung"]["properties"]["ga_minutes"] == "45"
    assert feats["Desa Keban Agung"]["properties"]["ga_t1"] == "800"  # population

    page = html_of(m)
    # the style function sends these fill colours to Leaflet
    for colour in (YELLOW, ORANGE, NO_DATA_COLOR):
        assert re.search(rf'"fillColor":\s*"{colour}"', page), colour
    # legend: every band label, the no-data entry, counts and people per band
    for label in time_band_labels():
        assert html.escape(label) in page
    assert NO_DATA_LABEL in page
    assert "1 · 1,200 people" in page and "1 · 300 people" in page
    assert "Riskesdas" in page
    # tooltip aliases
    for alias in ("Travel time (min)", "Band", "Population", "Nearest facility id"):
        assert alias in page


def test_tooltip_says_how_many_people_of_a_desa_cannot_reach_any():
    # Keban Agung: 45 min is the mean of its 600 people within reach; 200 of its 800 cannot
    # reach any facility (a desa's mean leaves them out), and the tooltip says so
    areas = make_areas().assign(people_unreachable=[0.0, 200.0, 300.0])
    for lang, alias in (
        ("en", "People who cannot reach one (not in the mean time)"),
        ("id", "Penduduk yang tidak dapat menjangkau (tidak masuk rata-rata waktu)"),
    ):
        m = map_travel_time(areas, tiles=None, lang=lang)
        (layer,) = geojson_layers(m)
        feats = features_by_name(layer, "ga_t0")
        assert feats["Desa Keban Agung"]["properties"]["ga_t1"] == "800"  # population
        assert feats["Desa Keban Agung"]["properties"]["ga_t2"] == "200"  # cannot reach any
        assert feats["Desa Lingga"]["properties"]["ga_t2"] == "0"
        assert alias in html_of(m)


def test_popup_and_tooltip_columns():
    m = map_travel_time(make_areas(), tooltip_cols=["code"], popup_cols=["name", "population"], tiles=None)
    (layer,) = geojson_layers(m)
    props = layer.data["features"][0]["properties"]
    assert props["ga_t0"] == "1603010001"
    assert props["ga_p0"] == "Desa Lingga" and props["ga_p1"] == "1,200"
    with pytest.raises(MissingColumnError, match="nope"):
        map_travel_time(make_areas(), popup_cols=["nope"])


def test_points_are_drawn_as_circle_markers():
    cells = make_areas()
    cells = cells.set_geometry(cells.geometry.centroid)
    page = html_of(map_travel_time(cells, tiles=None))
    assert "L.CircleMarker" in page or "L.circleMarker" in page
    assert re.search(rf'"fillColor":\s*"{NO_DATA_COLOR}"', page)


def test_crs_is_reprojected_without_mutating_input():
    areas = make_areas()
    before = areas.copy()
    m = map_travel_time(areas, tiles=None)
    assert_geodataframe_equal(areas, before)
    assert areas.crs.to_epsg() == 32748
    (layer,) = geojson_layers(m)
    lons = [x for f in layer.data["features"] for x, _ in f["geometry"]["coordinates"][0]]
    lats = [y for f in layer.data["features"] for _, y in f["geometry"]["coordinates"][0]]
    # UTM 48S: x = 370 km is 130 km west of the 105 E central meridian, y = 9590 km is 410 km
    # south of the equator
    assert 103.75 < min(lons) < max(lons) < 103.95
    assert -3.75 < min(lats) < max(lats) < -3.65
    bounds = m.get_bounds()
    assert bounds[0][0] == pytest.approx(min(lats), abs=1e-6)
    assert bounds[1][1] == pytest.approx(max(lons), abs=1e-6)


def test_geographic_input_and_wrong_crs():
    areas = make_areas().to_crs(4326)
    m = map_travel_time(areas, tiles=None)
    assert isinstance(m, folium.Map)
    wrong = make_areas().set_crs(4326, allow_override=True)  # metres labelled as degrees
    with pytest.raises(CRSError, match="set_crs"):
        map_travel_time(wrong)


def test_area_validation():
    areas = make_areas()
    with pytest.raises(InputValidationError, match="GeoDataFrame"):
        map_travel_time(pd.DataFrame(areas.drop(columns="geometry")))
    with pytest.raises(CRSError):
        map_travel_time(areas.set_crs(None, allow_override=True))
    with pytest.raises(MissingColumnError, match="walk_min"):
        map_travel_time(areas, time_col="walk_min")
    with pytest.raises(InputValidationError, match="numeric"):
        map_travel_time(areas.assign(travel_time_min=["10", "45", "x"]))
    with pytest.raises(InputValidationError, match="numeric"):
        map_travel_time(areas.assign(travel_time_min=[True, False, True]))
    with pytest.raises(InputValidationError, match="negative"):
        map_travel_time(areas.assign(travel_time_min=[-1.0, 2.0, 3.0]))
    with pytest.raises(InputValidationError, match=r"folium\.Map"):
        map_travel_time(areas, m="not a map")


def test_area_without_geometry_is_reported():
    areas = make_areas()
    areas.loc[1, "geometry"] = None
    with pytest.warns(GeoAccessWarning, match="1603010002"):
        m = map_travel_time(areas, tiles=None)
    assert len(geojson_layers(m)[0].data["features"]) == 2


def test_nullable_float_times():
    areas = make_areas().assign(travel_time_min=pd.array([10.0, 45.0, pd.NA], dtype="Float64"))
    (layer,) = geojson_layers(map_travel_time(areas, tiles=None))
    assert [f["properties"]["ga_color"] for f in layer.data["features"]] == [
        YELLOW,
        ORANGE,
        NO_DATA_COLOR,
    ]


# ----------------------------------------------------------------------------- facilities


def test_facilities_markers_legend_and_missing_geometry_warning():
    facilities = make_facilities()
    before = facilities.copy()
    m = map_travel_time(make_areas(), tiles=None)
    with pytest.warns(GeoAccessWarning, match=r"without geometry.*F3"):
        out = add_facilities(m, facilities)
    assert out is m
    assert_geodataframe_equal(facilities, before)

    page = html_of(m)
    assert "Puskesmas Lawang Kidul" in page and "Pustu Keban Agung" in page
    assert "RSUD Dr. H. M. Rabain" not in page  # no point: skipped, named in the warning
    # inpatient puskesmas ring, relocated pustu hollow with its quality in the popup
    assert re.search(r'class=\\?"ga-fac ga-fac-puskesmas ga-fac-inpatient\\?"', page)
    assert re.search(r'class=\\?"ga-fac ga-fac-pustu ga-fac-approx\\?"', page)
    assert "APPROXIMATE: placed at the desa centroid" in page
    assert "as given by the source" in page
    # legend
    for text in (
        "Puskesmas",
        "Pustu (puskesmas pembantu)",
        "Puskesmas rawat inap (inpatient)",
        "Approximate location",
    ):
        assert text in page
    assert "Rumah sakit" not in page  # no hospital is drawn, so none in the legend


def test_facility_groups_and_popups():
    facilities = make_facilities().iloc[:2]
    m = add_facilities(None, facilities, name="Fasilitas")
    layers = geojson_layers(m)
    assert len(layers) == 2  # one GeoJson per (type, inpatient, relocated) style
    props = {f["properties"]["ga_p0"]: f["properties"] for lay in layers for f in lay.data["features"]}
    assert props["Pustu Keban Agung"]["ga_p3"] == "unknown"  # inpatient <NA>
    assert props["Puskesmas Lawang Kidul"]["ga_p3"] == "yes"
    assert "Fasilitas" in html_of(m)


def test_facility_validation():
    facilities = make_facilities().iloc[:2]
    with pytest.raises(MissingColumnError, match="type"):
        add_facilities(None, facilities.drop(columns="type"))
    with pytest.raises(InputValidationError, match="not allowed"):
        add_facilities(None, facilities.set_geometry(facilities.buffer(10)))
    with pytest.raises(InputValidationError, match=r"folium\.Map"):
        add_facilities(object(), facilities)
    missing = make_facilities().iloc[2:]
    with pytest.raises(InputValidationError, match="nothing to map"):
        add_facilities(None, missing)


# ----------------------------------------------------------------------------- boundaries


def test_boundaries_outline_and_popup():
    kec = make_kecamatan()
    before = kec.copy()
    m = map_travel_time(make_areas(), tiles=None)
    assert add_boundaries(m, kec) is m
    assert_geodataframe_equal(kec, before)
    layer = geojson_layers(m)[-1]
    props = layer.data["features"][0]["properties"]
    assert [props[f"ga_p{i}"] for i in range(4)] == ["Lawang Kidul", "16.03.01", "2,300", "300"]
    page = html_of(m)
    assert re.search(r'"fill":\s*false', page)
    assert "pop_beyond_60_min" in page  # popup alias of the summary column
    m2 = add_boundaries(None, kec, popup_cols=["name"])
    assert geojson_layers(m2)[0].data["features"][0]["properties"]["ga_p0"] == "Lawang Kidul"


# ----------------------------------------------------------------------------- access_map


def test_access_map_combines_layers():
    areas, facilities, kec = make_areas(), make_facilities(), make_kecamatan()
    with pytest.warns(GeoAccessWarning, match="F3"):
        m = access_map(areas, facilities, kec, title="Akses <puskesmas> Muara Enim")
    assert "facility_name" not in areas.columns
    page = html_of(m)
    assert "Akses &lt;puskesmas&gt; Muara Enim" in page  # escaped title box
    assert "L.control.layers" in page
    assert '"collapsed": true' in page  # a button, not a list over the title box
    for layer_name in ("Travel time (minutes)", "Kecamatan", "Facilities"):
        assert layer_name in page
    # nearest facility names looked up from facilities for the tooltip
    time_layer = geojson_layers(m)[0]
    names = {f["properties"]["ga_t0"]: f["properties"] for f in time_layer.data["features"]}
    assert names["Desa Lingga"]["ga_t2"] == "Puskesmas Lawang Kidul"
    assert names["Desa Darmo"]["ga_t2"] == "–"
    # fitted to every layer: the kecamatan is the largest
    (_south, west), (north, _east) = m.get_bounds()
    kec_bounds = kec.to_crs(4326).total_bounds
    assert west == pytest.approx(kec_bounds[0], abs=1e-6)
    assert north == pytest.approx(kec_bounds[3], abs=1e-6)


def test_missing_folium_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "folium", None)
    with pytest.raises(ImportError, match="pip install folium"):
        map_travel_time(make_areas())


# ----------------------------------------------------------------------------- saving


def test_save_map_inlines_leaflet_from_assets_dir(tmp_path):
    m = map_travel_time(make_areas(), tiles=None)
    out = save_map(m, tmp_path / "sub" / "map.html", assets_dir=fake_leaflet(tmp_path))
    assert out == tmp_path / "sub" / "map.html"
    page = out.read_text(encoding="utf-8")
    assert "window.FAKE_LEAFLET = 1;" in page
    assert "sourceMappingURL" not in page
    assert "url(data:image/png;base64," in page
    assert cdn_links(page) == []  # no jQuery / Bootstrap / awesome-markers for this map
    assert "Desa Keban Agung" in page and "15–30 min" in page and "&gt; 120 min" in page


def test_save_map_with_xstatic_leaflet(tmp_path):
    require_module("xstatic.pkg.leaflet", "the map inlines Leaflet from xstatic-leaflet")
    m = access_map(make_areas(), boundaries=make_kecamatan(), tiles=None)
    page = save_map(m, tmp_path / "map.html").read_text(encoding="utf-8")
    assert "Leaflet 1.9.3" in page
    assert cdn_links(page) == []


def test_save_map_keeps_cdn_links_for_unknown_elements(tmp_path):
    m = map_travel_time(make_areas(), tiles=None)
    folium.Marker([-3.7, 103.8], icon=folium.Icon(color="red", icon="info-sign")).add_to(m)
    with pytest.warns(GeoAccessWarning, match="awesome-markers"):
        out = save_map(m, tmp_path / "map.html", assets_dir=fake_leaflet(tmp_path))
    page = out.read_text(encoding="utf-8")
    assert "window.FAKE_LEAFLET = 1;" in page
    assert any("awesome-markers" in u for u in cdn_links(page))
    assert not any(re.search(r"/leaflet\.(js|css)$", u) for u in cdn_links(page))


def test_save_map_without_local_leaflet_warns(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "xstatic.pkg.leaflet", None)
    m = map_travel_time(make_areas(), tiles=None)
    with pytest.warns(GeoAccessWarning, match="xstatic-leaflet"):
        out = save_map(m, tmp_path / "map.html")
    assert any(u.endswith("/leaflet.js") for u in cdn_links(out.read_text(encoding="utf-8")))


def test_save_map_plain_folium_output(tmp_path):
    m = map_travel_time(make_areas(), tiles=None)
    page = save_map(m, tmp_path / "map.htm", inline_assets=False).read_text(encoding="utf-8")
    assert any(u.endswith("/leaflet.js") for u in cdn_links(page))


def test_save_map_validation(tmp_path):
    m = map_travel_time(make_areas(), tiles=None)
    with pytest.raises(InputValidationError, match=r"\.html"):
        save_map(m, tmp_path / "map.png")
    with pytest.raises(InputValidationError, match=r"folium\.Map"):
        save_map("map", tmp_path / "map.html")
    with pytest.raises(FileNotFoundError, match=r"leaflet\.js"):
        save_map(m, tmp_path / "map.html", assets_dir=tmp_path)


def test_maps_stack_on_one_map():
    m = map_travel_time(make_areas(), tiles=None)
    assert map_travel_time(make_areas(), m=m, time_col="travel_time_min", name="Walk") is m
    assert add_boundaries(m, make_kecamatan()) is m
    assert add_facilities(m, make_facilities().iloc[:2]) is m
    assert len(geojson_layers(m)) == 2 + 1 + 2
    page = html_of(m)
    assert page.count('class="ga-box ga-legend"') == 3  # two travel-time legends + facilities


# ----------------------------------------------------------------------------- browser


def _executable(*names: str) -> str | None:
    """The first of ``names`` found on PATH (or /usr/bin), as a full path."""
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    return None


def _browser_or_skip():
    """A headless Chromium driver; skipped locally when absent, a failure under CI=true."""
    webdriver = require_module("selenium.webdriver", "the browser test drives Chromium with selenium")
    require_module("xstatic.pkg.leaflet", "needed to open the map offline")
    chromium = _executable("chromium", "chromium-browser")
    chromedriver = _executable("chromedriver")
    for exe, path in (("chromium", chromium), ("chromedriver", chromedriver)):
        if path is None:
            skip_or_fail(f"{exe} not found on PATH: apt-get install -y chromium chromium-driver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,800",
    ):
        opts.add_argument(arg)
    opts.binary_location = str(chromium)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(str(chromedriver)), options=opts)


@pytest.mark.browser
def test_saved_map_renders_offline_in_chromium(tmp_path):
    with pytest.warns(GeoAccessWarning, match="F3"):
        m = access_map(
            make_areas(), make_facilities(), make_kecamatan(), title="Waktu tempuh ke fasilitas kesehatan"
        )
    path = save_map(m, tmp_path / "access.html")
    driver = _browser_or_skip()
    try:
        # network blocked: any request other than file: / data: fails and is counted below
        driver.execute_cdp_cmd("Network.enable", {})
        blocked = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": blocked})
        driver.get(path.as_uri())
        deadline = time.time() + 30
        js_counts = """return {
            leaflet: typeof window.L === 'object',
            paths: document.querySelectorAll(
                '.leaflet-overlay-pane path.leaflet-interactive').length,
            markers: document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon').length,
            legends: document.querySelectorAll('.leaflet-control-container .ga-legend').length,
            title: document.querySelectorAll('.leaflet-container .ga-title').length,
            layersOpen: document.querySelectorAll('.leaflet-control-layers-expanded').length,
            overlays: Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
                          .map(l => l.textContent.trim()),
            bases: Array.from(document.querySelectorAll('.leaflet-control-layers-base label'))
                       .map(l => [l.textContent.trim(), l.querySelector('input').checked]),
            tiles: document.querySelectorAll('.leaflet-tile-pane img').length,
            kecLabels: Array.from(document.querySelectorAll('.ga-label-kec'))
                            .map(l => getComputedStyle(l).display),
            desaLabels: Array.from(document.querySelectorAll('.ga-label-desa'))
                             .map(l => getComputedStyle(l).display),
            legendTitles: Array.from(document.querySelectorAll('.ga-legend .ga-box-title'))
                               .map(b => b.textContent.trim()),
            animating: document.querySelectorAll('.leaflet-zoom-anim').length,
            fills: Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))
                        .map(p => p.getAttribute('fill'))
        };"""
        state = driver.execute_script(js_counts)
        while time.time() < deadline and (state["paths"] < 4 or state["animating"]):
            time.sleep(0.2)
            state = driver.execute_script(js_counts)
        assert state["leaflet"], "Leaflet did not load (not embedded?)"
        assert state["paths"] == 4  # 3 desa squares + 1 kecamatan outline
        assert state["markers"] == 2  # puskesmas + relocated pustu; the RS has no point
        assert state["legends"] == 2 and state["title"] == 1
        assert state["layersOpen"] == 0  # the layer control opens on hover / click only
        assert sorted(state["legendTitles"]) == ["Facilities", "Travel time (minutes)"]
        assert state["overlays"] == ["Travel time (minutes)", "Kecamatan", "Facilities", "Place names"]
        # OpenStreetMap is offered, not selected: no tile is requested
        assert state["bases"] == [["OpenStreetMap (internet)", False]] and state["tiles"] == 0
        assert {YELLOW, ORANGE, NO_DATA_COLOR} <= set(state["fills"])
        # vector basemap: the kecamatan name always shows, the desa names from zoom 12 on
        assert state["kecLabels"] == ["block"] and len(state["desaLabels"]) == 3
        get_map = "var m = Object.values(window).find(v => v instanceof L.Map);"
        start = driver.execute_script(get_map + "return m.getZoom();")
        assert set(state["desaLabels"]) == ({"block"} if start >= 12 else {"none"})
        displays = (
            get_map + "m.setZoom(arguments[0], {animate: false}); return Array.from(document"
            ".querySelectorAll('.ga-label-desa, .ga-label-kec')).map(l => getComputedStyle(l).display);"
        )
        assert set(driver.execute_script(displays, 10)[:3]) == {"none"}
        assert driver.execute_script(displays, 10)[3:] == ["block"]
        assert set(driver.execute_script(displays, 14)) == {"block"}

        # no script error, and no request at all other than the file itself and data: URLs
        severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert severe == []
        requests = [
            msg["params"]["request"]["url"]
            for msg in (json.loads(e["message"])["message"] for e in driver.get_log("performance"))
            if msg["method"] == "Network.requestWillBeSent"
        ]
        assert requests and requests[0] == path.as_uri()
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
        driver.execute_script(get_map + "m.setZoom(arguments[0], {animate: false});", start)

        shot = tmp_path / "access.png"
        assert driver.save_screenshot(str(shot))
    finally:
        driver.quit()

    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image_mod = require_module("PIL.Image", "reads the screenshot")
    with image_mod.open(io.BytesIO(data)) as img:
        rgb = img.convert("RGB")
        assert rgb.size[0] >= 800
        colours = rgb.getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50  # not a blank page
        most_common = max(c for c, _ in colours)
        assert most_common < 0.9 * rgb.size[0] * rgb.size[1]
        # the grey "unreachable" square is painted (fill #969696 at 0.8 over the light
        # background); check some pixel is close to it
        arr = np.asarray(rgb, dtype=int)
        grey = np.array([0x96, 0x96, 0x96])
        assert (np.abs(arr - grey).sum(axis=2) < 40).sum() > 1000


def test_travel_time_surface_is_embedded_and_coloured():
    import base64
    import io
    import re

    from PIL import Image
    from rasterio.transform import from_origin

    from geoaccess.outputs import maps

    # 2 x 3 grid of 1 km cells in UTM 48S near Muara Enim: 10, 45, NaN / 70, 130, 20 minutes
    grid = np.array([[10.0, 45.0, np.nan], [70.0, 130.0, 20.0]])
    m = maps.add_travel_time_surface(None, grid, from_origin(400_000, 9_600_000, 1000, 1000), "EPSG:32748")
    html = m.get_root().render()
    png = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html)
    assert png is not None  # embedded: no file or network needed
    img = np.asarray(Image.open(io.BytesIO(base64.b64decode(png.group(1)))).convert("RGBA"))
    colours = {tuple(p[:3]) for p in img.reshape(-1, 4) if p[3] == 255}
    want = maps.time_band_colors()
    hexes = {"#{:02x}{:02x}{:02x}".format(*c) for c in colours}
    # bands: 10 -> <=15, 20 -> 15-30, 45 -> 30-60, 70 -> 60-120, 130 -> >120
    assert hexes == set(want)
    assert (img[..., 3] == 0).any()  # the NaN cell is transparent


def test_boundaries_mark_scores_resting_on_data_gaps():
    one = make_kecamatan()
    other = one.assign(code=["16.03.02"], name=["Panang Enim"], geometry=one.translate(5000).to_numpy())
    kec = gpd.GeoDataFrame(pd.concat([one, other], ignore_index=True), crs=one.crs).assign(
        data_gaps=["", "no puskesmas of this kecamatan in the data"], score_rests_on_gaps=[False, True]
    )
    m = add_boundaries(None, kec)
    layer = geojson_layers(m)[0]
    ok, gap = (f["properties"] for f in layer.data["features"])
    assert ok["ga_name"] == "Lawang Kidul" and gap["ga_name"] == "Panang Enim (score rests on data gaps)"
    # the reason is a popup field, labelled
    assert "no puskesmas of this kecamatan in the data" in gap.values()
    assert "Score rests on data gaps" in html_of(m)
    # dashed orange outline for the flagged kecamatan only
    assert layer.style_function({"properties": gap})["dashArray"] == "8 6"
    assert layer.style_function({"properties": gap})["color"] == GAP_COLOR
    assert "dashArray" not in layer.style_function({"properties": ok})


@pytest.mark.browser
def test_legend_of_a_layer_off_at_opening_is_hidden(tmp_path):
    # the flood hazard layer of the demo map is off when the map opens (show=False): its
    # legend must be hidden too, and appear when the layer is switched on
    import shapely as _sh

    from geoaccess.outputs.maps import add_hazard_layer

    hz = gpd.GeoDataFrame(
        {"hazard_class": ["sedang", "rendah"]},
        geometry=[_sh.box(103.0, -3.0, 103.1, -2.9), _sh.box(103.1, -3.0, 103.2, -2.9)],
        crs="EPSG:4326",
    )
    shown = add_hazard_layer(None, hz, name="Shown")
    m = add_hazard_layer(shown, hz, name="Hidden", show=False)
    import folium

    folium.LayerControl().add_to(m)
    path = save_map(m, tmp_path / "legends.html")
    driver = _browser_or_skip()
    try:
        driver.get(path.as_uri())
        js = """return Array.from(document.querySelectorAll('.ga-legend')).map(
                    b => [b.querySelector('.ga-box-title').textContent, b.style.display]);"""
        deadline = time.time() + 20
        state = driver.execute_script(js)
        while time.time() < deadline and dict(state).get("Hidden") != "none":
            time.sleep(0.2)
            state = driver.execute_script(js)
        assert dict(state) == {"Shown": "", "Hidden": "none"}
        # switching the layer on shows its legend
        driver.execute_script(
            """Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
                   .find(l => l.textContent.includes('Hidden')).querySelector('input').click();"""
        )
        assert dict(driver.execute_script(js))["Hidden"] == ""
    finally:
        driver.quit()


def test_map_opens_without_tiles_and_offers_openstreetmap_off():
    import folium

    # default: OpenStreetMap is an optional base layer, switched off at opening
    m = access_map(make_areas(), boundaries=make_kecamatan(), lang="id")
    (osm,) = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert osm.layer_name == "OpenStreetMap (perlu internet)" and osm.show is False
    page = html_of(m)
    assert "div.leaflet-container { background: #f4f3ee; }" in page
    assert "ga-label-kec" in page and "Nama wilayah" in page
    # tiles=None: no tile layer at all
    m = access_map(make_areas(), boundaries=make_kecamatan(), tiles=None)
    assert not [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
