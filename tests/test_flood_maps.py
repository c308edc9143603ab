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
