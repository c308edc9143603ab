"""Flood map layers: the classes, colours and counts a planner sees, offline."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from geoaccess.exceptions import InputValidationError
from geoaccess.outputs import maps

UTM = "EPSG:32748"


def _hazard():
    x0, y0 = 400_000, 9_660_000
    polys = [shapely.box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(4)]
    return gpd.GeoDataFrame(
        {
            "name": ["A", "B", "C", "D"],
            "hazard_class": ["tinggi", "sedang", "rendah", "unknown"],
            "hazard_index": [0.8, 0.5, 0.1, None],
        },
        geometry=polys,
        crs=UTM,
    )


def test_hazard_layer_colours_and_counts(tmp_path):
    m = maps.add_hazard_layer(None, _hazard(), population=[100, 200, 300, 400])
    out = maps.save_map(m, tmp_path / "flood.html")
    page = out.read_text(encoding="utf-8")
    for c in ("tinggi", "sedang", "rendah", "unknown"):
        assert maps.HAZARD_COLORS[c] in page
    # the legend counts one area and its people per class, by hand
    assert "1 areas · 100 people" in page and "1 areas · 400 people" in page
    assert "http://" not in page.split("<body")[0].replace("http://www.w3.org", "")  # offline head


def test_flood_facilities_layer_marks_the_class():
    hz = _hazard()
    fac = gpd.GeoDataFrame(
        {"name": ["Puskesmas X"], "type": ["puskesmas"], "hazard_class": ["tinggi"], "site_known": [True]},
        geometry=[hz.geometry.iloc[0].centroid],
        crs=UTM,
    )
    m = maps.add_flood_facilities(maps.add_hazard_layer(None, hz), fac)
    page = m.get_root().render()
    assert "Puskesmas X (puskesmas): flood hazard tinggi" in page


def test_population_must_match_the_polygons():
    with pytest.raises(InputValidationError, match="one figure per hazard polygon"):
        maps.add_hazard_layer(None, _hazard(), population=[1, 2])


def test_run_access_reports_flood_exposure_and_maps_it(tmp_path):
    # the hand-made region with a flood index per desa: West 0.2 (rendah), East 0.5
    # (sedang). By hand: 1,000 people and the puskesmas in rendah; 3,000 people and the
    # hospital in sedang; the 4 km road half in each
    import dataclasses

    from conftest import hand_region

    import geoaccess as ga

    region = hand_region()
    region = dataclasses.replace(region, desa=region.desa.assign(flood_hazard_index=[0.2, 0.5]))
    res = ga.run_access(region, resolution_m=500, progress=False)
    k = res.tables["flood_exposure_kecamatan"].set_index("code")
    assert k.loc["K1", "people_rendah"] == pytest.approx(1000) and k.loc["K1", "people_sedang"] == 0
    assert k.loc["K2", "people_sedang"] == pytest.approx(3000)
    assert k.loc["K1", "puskesmas_rendah"] == 1 and k.loc["K2", "hospital_sedang"] == 1
    assert k["road_km_rendah"].sum() == pytest.approx(2.0, rel=1e-3)
    assert k["road_km_sedang"].sum() == pytest.approx(2.0, rel=1e-3)
    files = ga.write_outputs(res, tmp_path)
    assert "flood_exposure_kecamatan" in files
    page = files["map"].read_text(encoding="utf-8")
    assert "Flood hazard (BNPB index per desa)" in page and "1 areas · 3,000 people" in page


# ------------------------------------------------- flood season: the same people before and after


def _docstring_kabupaten():
    """The two-kecamatan kabupaten of the with_flood_season docstring (250 m cells)."""
    import geoaccess as ga
    from geoaccess.inputs.datasets import Region

    west = shapely.box(400_000, 9_590_000, 402_000, 9_592_000)
    east = shapely.box(402_000, 9_590_000, 404_000, 9_592_000)
    kec = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["Barat", "Timur"]}, geometry=[west, east], crs=UTM)
    kec = kec.to_crs(4326)
    desa = kec.assign(code=["D1", "D2"], kecamatan_code=["K1", "K2"], population=[1000.0, 3000.0])
    kab = gpd.GeoDataFrame({"code": ["99.01"], "name": ["Contoh"]}, geometry=[west | east], crs=UTM).to_crs(
        4326
    )
    fac = ga.read_facilities(
        gpd.GeoDataFrame(
            {
                "facility_id": ["P1", "H1"],
                "name": ["Puskesmas Barat", "RSUD Timur"],
                "type": ["puskesmas", "rs"],
                "inpatient": [False, True],
            },
            crs=UTM,
            geometry=[shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)],
        )
    )
    line = shapely.LineString([(400_000, 9_591_000), (404_000, 9_591_000)])
    roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=UTM, geometry=[line]).to_crs(4326)
    region = Region("contoh", "99.01", kab, kec, desa, fac, fac.iloc[0:0], roads, buffer_km=0.0)
    return ga.run_access(region, progress=False)


def _tinggi(x0):
    return gpd.GeoDataFrame(
        {"hazard_class": ["tinggi"]}, crs=UTM, geometry=[shapely.box(x0, 9_590_000, 404_000, 9_592_000)]
    )


def test_flood_season_means_compare_the_same_people_and_the_map_shows_the_cut_off(tmp_path):
    import geoaccess as ga

    base = _docstring_kabupaten()
    # tinggi over the east three quarters of Timur (x > 402,500): 6 of its 8 columns of
    # 250 m cells, 3,000 x 6/8 = 2,250 people cut off from the puskesmas; 750 left.
    wet = ga.with_flood_season(base, hazard=_tinggi(402_500))
    kec = wet.tables["flood_season_kecamatan"].query("category == 'puskesmas'").set_index("code")
    kab = wet.tables["flood_season_kabupaten"].query("category == 'puskesmas'").iloc[0]
    assert kec.loc["K2", "people_newly_unreachable"] == pytest.approx(2250.0)
    assert kec.loc["K2", "people_reachable_both"] == pytest.approx(750.0)
    # Everyone in Timur goes west along the road (25 km/h: 0.6 min per 250 m column),
    # so its column means are m, m + 0.6, ..., m + 4.2, with mean m + 2.1 = 8.55 (the
    # dry-season figure of the docstrings): m = 6.45, and the two west columns, the
    # people left, average m + 0.3 = 6.75 in both seasons (their trip is not flooded).
    assert kec.loc["K2", "mean_min_before_reachable_both"] == pytest.approx(6.75)
    assert kec.loc["K2", "mean_min_after_reachable_both"] == pytest.approx(6.75)
    assert kec.loc["K1", "mean_min_before_reachable_both"] == pytest.approx(4.95)  # Barat untouched
    # kabupaten, the same 1,750 people: (1,000 x 4.95 + 750 x 6.75) / 1,750 = 10,012.5 / 1,750
    assert kab["people_reachable_both"] == pytest.approx(1750.0)
    assert kab["mean_min_before_reachable_both"] == pytest.approx(10_012.5 / 1750)
    assert kab["mean_min_after_reachable_both"] == pytest.approx(10_012.5 / 1750)
    assert kab["people_newly_unreachable"] == pytest.approx(2250.0)

    # the map: Timur (D2) in the "cut off" class, not "faster" (-1.8 min over fewer
    # people before this fix) nor "no data"; Barat (D1) "no change"
    def layer(hazard_x0, lang):
        w = ga.with_flood_season(base, hazard=_tinggi(hazard_x0))
        cmp = type(
            "C",
            (),
            {
                "desa": w.tables["flood_season_desa"],
                "facilities": w.facilities,
                "scenario": type("S", (), {"closed": ("H1",)})(),
            },
        )()
        m = maps.add_scenario_layer(None, cmp, base.desa, "puskesmas", facilities=base.facilities, lang=lang)
        return maps.save_map(m, tmp_path / f"f{hazard_x0}{lang}.html").read_text(encoding="utf-8")

    from geoaccess.outputs.maps.planning import CHANGE_COLORS, CUT_OFF_COLOR

    page = layer(402_500, "en")
    assert page.count(f'"ga_color": "{CUT_OFF_COLOR}"') == 1
    assert page.count(f'"ga_color": "{CHANGE_COLORS[3]}"') == 1  # Barat: no change
    for c in CHANGE_COLORS[:3]:
        assert f'"ga_color": "{c}"' not in page  # nothing "faster"
    assert '"ga_cut": "2,250"' in page and '"ga_cut": "0"' in page
    assert "cut off: people who can no longer reach it" in page
    # all of Timur in tinggi: 3,000 cut off, none left to average; "terputus", not "tanpa data"
    page = layer(402_000, "id")
    assert page.count(f'"ga_color": "{CUT_OFF_COLOR}"') == 1
    assert '"ga_cut": "3,000"' in page
    assert "terputus: ada penduduk yang tidak lagi dapat menjangkaunya" in page
