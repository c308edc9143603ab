"""Flood hazard inputs and exposure (geoaccess.analysis.flood), answers worked out by hand.

The hand region (UTM 48S, metres from (X0, Y0)): kecamatan K1 = x 0-2000, K2 = x 2000-4000,
y 0-2000. Desa D1 = K1 (1,000 people), D2 = x 2000-3000 (600), D3 = x 3000-4000 (400).
Roads: a horizontal line at y = 500 from x 0 to 4000 (4 km) and a vertical one at
x = 3500 from y 0 to 2000 (2 km, in D3). Facilities (x, y): P1 puskesmas (500, 500) D1;
S1 pustu (2400, 500) D2; P2 puskesmas (3500, 1500) D3; H1 hospital (3200, 300) D3;
P3 puskesmas at a kecamatan centroid (2800, 1000) (site unknown, in K2); P4 puskesmas at
its desa centroid (3700, 800) in D3.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import write_geotiff
from rasterio.transform import from_origin

from geoaccess import CRSError, DataNotFoundError, InputValidationError, MissingColumnError
from geoaccess.analysis import flood
from geoaccess.analysis.flood import (
    add_flood_exposure,
    classify_depth,
    classify_index,
    flood_exposure,
    hazard_from_desa,
    hazard_from_polygons,
    hazard_from_raster,
    speed_factor_for_depth,
)

UTM = "EPSG:32748"
X0, Y0 = 400_000.0, 9_660_000.0


def box(x1, y1, x2, y2):
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def pt(x, y):
    return shapely.Point(X0 + x, Y0 + y)


@pytest.fixture
def region():
    kec = gpd.GeoDataFrame(
        {"code": ["K1", "K2"], "name": ["West", "East"]},
        geometry=[box(0, 0, 2000, 2000), box(2000, 0, 4000, 2000)],
        crs=UTM,
    )
    desa = gpd.GeoDataFrame(
        {
            "code": ["D1", "D2", "D3"],
            "name": ["Satu", "Dua", "Tiga"],
            "kecamatan_code": ["K1", "K2", "K2"],
            "population": [1000.0, 600.0, 400.0],
            "flood_hazard_index": [0.333, 0.5, 0.667],
        },
        geometry=[box(0, 0, 2000, 2000), box(2000, 0, 3000, 2000), box(3000, 0, 4000, 2000)],
        crs=UTM,
    )
    fac = gpd.GeoDataFrame(
        {
            "facility_id": ["P1", "S1", "P2", "H1", "P3", "P4"],
            "name": ["Pkm Satu", "Pustu Dua", "Pkm Tiga", "RSUD Tiga", "Pkm Kec", "Pkm Desa"],
            "type": ["puskesmas", "pustu", "puskesmas", "rs", "puskesmas", "puskesmas"],
            "location_quality": [
                "source",
                "source",
                "source",
                "source",
                "kecamatan_centroid",
                "desa_centroid",
            ],
        },
        geometry=[pt(500, 500), pt(2400, 500), pt(3500, 1500), pt(3200, 300), pt(2800, 1000), pt(3700, 800)],
        crs=UTM,
    ).to_crs(4326)  # the facilities' CRS is kept in the output; the rest is projected
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal", "lokal"]},
        geometry=[
            shapely.LineString([(X0, Y0 + 500), (X0 + 4000, Y0 + 500)]),
            shapely.LineString([(X0 + 3500, Y0), (X0 + 3500, Y0 + 2000)]),
        ],
        crs=UTM,
    )
    return desa, kec, fac, roads


# --------------------------------------------------------------------- classes, curve
def test_index_class_boundaries():
    got = classify_index([0.0, 0.333, 0.3331, 0.5, 0.6669, 0.667, 1.0, np.nan]).tolist()
    assert got == ["rendah", "rendah", "sedang", "sedang", "sedang", "tinggi", "tinggi", "unknown"]
    # other limits are a parameter
    assert classify_index([0.3, 0.31, 0.6], thresholds=(0.3, 0.6)).tolist() == ["rendah", "sedang", "tinggi"]


def test_depth_class_boundaries():
    got = classify_depth([0.0, 0.099, 0.1, 0.299, 0.3, 2.0]).tolist()
    assert got == ["rendah", "rendah", "sedang", "sedang", "tinggi", "tinggi"]


@pytest.mark.parametrize(
    ("depth_m", "kph"),
    [
        (0.0, 86.9448),
        (0.05, 0.0009 * 50**2 - 0.5529 * 50 + 86.9448),  # 61.5498
        (0.1, 40.6548),  # 9 - 55.29 + 86.9448
        (0.2, 12.3648),  # 36 - 110.58 + 86.9448
        (0.299, 2.0886),  # 80.4609 - 165.3171 + 86.9448
    ],
)
def test_speed_factor_by_hand(depth_m, kph):
    assert speed_factor_for_depth(depth_m) == pytest.approx(kph / 86.9448, abs=1e-6)


def test_speed_factor_closure_and_arrays():
    assert speed_factor_for_depth(0.3) == 0.0
    assert speed_factor_for_depth(1.5) == 0.0
    f = speed_factor_for_depth(np.array([0.0, np.nan, 0.25]), closure_depth_m=0.2)
    assert f[0] == 1.0 and np.isnan(f[1]) and f[2] == 0.0
    with pytest.raises(InputValidationError, match="closure_depth_m"):
        speed_factor_for_depth(0.1, closure_depth_m=0.5)
    with pytest.raises(InputValidationError, match="depth_m"):
        speed_factor_for_depth([-0.1, 0.2])
    with pytest.raises(InputValidationError, match="closure_depth_m"):
        speed_factor_for_depth(0.1, closure_depth_m="0.3")


# ---------------------------------------------------------------------- the three inputs
def test_hazard_from_desa(region):
    desa = region[0]
    h = hazard_from_desa(desa)
    assert h["hazard_class"].tolist() == ["rendah", "sedang", "tinggi"]
    assert h["source_id"].tolist() == ["D1", "D2", "D3"]
    assert h["hazard_index"].tolist() == [0.333, 0.5, 0.667]
    assert h["depth_m"].isna().all() and h.crs == desa.crs
    assert h.attrs["hazard_kind"] == "index" and h.attrs["thresholds"] == (0.333, 0.667)
    assert "hazard_class" not in desa  # input untouched
    d2 = desa.assign(flood_hazard_index=[0.1, np.nan, 0.9])
    with pytest.warns(UserWarning, match="1 desa have no"):
        h2 = hazard_from_desa(d2)
    assert h2["hazard_class"].tolist() == ["rendah", "unknown", "tinggi"]


def test_hazard_from_desa_errors(region):
    desa = region[0]
    with pytest.raises(InputValidationError, match="outside 0-1"):
        hazard_from_desa(desa.assign(flood_hazard_index=[0.2, 1.5, 0.1]))
    with pytest.raises(MissingColumnError):
        hazard_from_desa(desa.drop(columns="flood_hazard_index"))
    with pytest.raises(CRSError):
        hazard_from_desa(desa.set_crs(None, allow_override=True))
    with pytest.raises(InputValidationError, match="must hold numbers"):
        hazard_from_desa(desa.assign(flood_hazard_index=["0.2", "tinggi", "0.1"]))
    with pytest.raises(InputValidationError, match="not allowed"):
        hazard_from_desa(desa.set_geometry(desa.centroid))


def test_hazard_from_polygons_class_depth_index():
    polys = gpd.GeoDataFrame(
        {"kelas": ["Tinggi ", "low", 2, None], "depth": [0.3, 0.0, 0.1, 0.05], "idx": [0.9, 0.1, 0.5, 0.4]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), box(3, 0, 4, 1)],
        crs=UTM,
    )
    hc = hazard_from_polygons(polys, class_col="kelas")
    assert hc["hazard_class"].tolist() == ["tinggi", "rendah", "sedang", "unknown"]
    assert hc.attrs["hazard_kind"] == "class"
    hd = hazard_from_polygons(polys, depth_col="depth")  # 0.0 m is dry: dropped
    assert hd["hazard_class"].tolist() == ["tinggi", "sedang", "rendah"]
    assert hd["depth_m"].tolist() == [0.3, 0.1, 0.05] and hd["source_id"].tolist() == ["0", "2", "3"]
    hi = hazard_from_polygons(polys, index_col="idx")
    assert hi["hazard_class"].tolist() == ["tinggi", "rendah", "sedang", "sedang"]


def test_hazard_from_polygons_errors():
    polys = gpd.GeoDataFrame(
        {"kelas": ["tinggi", "banjir"], "d": [-0.2, 0.1]}, geometry=[box(0, 0, 1, 1)] * 2, crs=UTM
    )
    with pytest.raises(InputValidationError, match="exactly one"):
        hazard_from_polygons(polys)
    with pytest.raises(InputValidationError, match="exactly one"):
        hazard_from_polygons(polys, class_col="kelas", depth_col="d")
    with pytest.raises(InputValidationError, match=r"\['banjir'\]"):
        hazard_from_polygons(polys, class_col="kelas")
    with pytest.raises(InputValidationError, match="negative depths"):
        hazard_from_polygons(polys, depth_col="d")
    with pytest.raises(MissingColumnError):
        hazard_from_polygons(polys, class_col="class")


def _index_raster(tmp_path, nodata=-9999.0):
    # 1,000 m cells over the hand region: row 0 = y 1000-2000, row 1 = y 0-1000
    arr = np.array([[0.333, 0.667, -9999.0, 0.5], [0.333, 0.2, 0.9, 0.5]], dtype="float32")
    return write_geotiff(
        tmp_path / "idx.tif", arr, transform=from_origin(X0, Y0 + 2000, 1000, 1000), nodata=nodata
    )


def test_hazard_from_raster_index(tmp_path):
    h = hazard_from_raster(_index_raster(tmp_path))
    h = h.assign(area_km2=h.area / 1e6).sort_values(["hazard_class", "hazard_index"]).reset_index(drop=True)
    # 0.333 cells (both rows of column 0) join into one rendah polygon; float32 0.333 rounds to 0.333
    got = list(zip(h["hazard_class"], h["hazard_index"].round(3), h["area_km2"], strict=True))
    assert got[:2] == [("rendah", 0.2, 1.0), ("rendah", 0.333, 2.0)]
    assert got[2] == ("sedang", 0.5, 2.0)
    assert got[3:5] == [("tinggi", 0.667, 1.0), ("tinggi", 0.9, 1.0)]
    assert got[5][0] == "unknown" and np.isnan(got[5][1]) and got[5][2] == 1.0  # the nodata cell
    assert h.crs == UTM and h.attrs["hazard_kind"] == "index"
    h_none = hazard_from_raster(_index_raster(tmp_path), nodata_class="none")
    assert "unknown" not in set(h_none["hazard_class"]) and len(h_none) == 5


def test_hazard_from_raster_depth(tmp_path):
    arr = np.array([[0.0, 0.05, 0.1], [0.299, 0.3, 1.2]], dtype="float32")
    path = write_geotiff(tmp_path / "depth.tif", arr, transform=from_origin(X0, Y0 + 2000, 1000, 1000))
    with rasterio_open(path) as ds:  # an open dataset works as well as a path
        h = hazard_from_raster(ds, kind="depth_m")
    h = h.sort_values("depth_m").reset_index(drop=True)
    # the 0 m cell is dry; the class is decided on the raw depth (0.299 is sedang) though
    # the polygon carries the depth rounded to 1 cm (0.30)
    assert h["hazard_class"].tolist() == ["rendah", "sedang", "sedang", "tinggi", "tinggi"]
    assert h["depth_m"].round(2).tolist() == [0.05, 0.1, 0.3, 0.3, 1.2]
    assert h["hazard_index"].isna().all()
    h2 = hazard_from_raster(path, kind="depth_m", thresholds=(0.5, 1.0), min_depth_m=0.07)
    # 0.1 (rendah), 0.299 and 0.3 (both rendah now, both 0.30 at 1 cm: one 2 km2 polygon), 1.2 tinggi
    assert sorted(zip(h2["hazard_class"], h2.area / 1e6, strict=True)) == [
        ("rendah", 1.0), ("rendah", 2.0), ("tinggi", 1.0),
    ]  # fmt: skip


def rasterio_open(path):
    import rasterio

    return rasterio.open(path)


def test_hazard_from_raster_errors(tmp_path):
    with pytest.raises(DataNotFoundError):
        hazard_from_raster(tmp_path / "missing.tif")
    with pytest.raises(InputValidationError, match="folder"):
        hazard_from_raster(tmp_path)
    fake = tmp_path / "fake.tif"
    fake.write_text("not a raster")
    with pytest.raises(InputValidationError, match="not a readable raster"):
        hazard_from_raster(fake)
    cut = tmp_path / "cut.tif"
    cut.write_bytes(_index_raster(tmp_path).read_bytes()[:200])
    with pytest.raises(InputValidationError):
        hazard_from_raster(cut)
    with pytest.raises(InputValidationError, match="kind"):
        hazard_from_raster(_index_raster(tmp_path), kind="depth")
    with pytest.raises(InputValidationError, match="band"):
        hazard_from_raster(_index_raster(tmp_path), band=2)
    # undeclared fill value: refused, with the hint
    undeclared = _index_raster(tmp_path, nodata=None)
    with pytest.raises(InputValidationError, match="nodata=-9999"):
        hazard_from_raster(undeclared)
    assert len(hazard_from_raster(undeclared, nodata=-9999)) == 6
    depth_in_index = write_geotiff(
        tmp_path / "d.tif", np.array([[0.5, 2.5]], dtype="float32"), transform=from_origin(X0, Y0, 10, 10)
    )
    with pytest.raises(InputValidationError, match="kind='depth_m'"):
        hazard_from_raster(depth_in_index)
    no_crs = write_geotiff(
        tmp_path / "nocrs.tif",
        np.array([[0.5]], dtype="float32"),
        transform=from_origin(X0, Y0, 10, 10),
        crs=None,
    )
    with pytest.raises(CRSError):
        hazard_from_raster(no_crs)
    with pytest.warns(UserWarning, match="no hazard cell"):
        empty = hazard_from_raster(
            write_geotiff(
                tmp_path / "dry.tif", np.zeros((2, 2), "float32"), transform=from_origin(X0, Y0, 10, 10)
            ),
            kind="depth_m",
        )
    assert len(empty) == 0


# ----------------------------------------------------------------------------- exposure
def test_exposure_from_desa_index(region):
    desa, kec, fac, roads = region
    ex = flood_exposure(desa, kec, fac, roads, hazard_from_desa(desa))
    d = ex.desa.set_index("code")
    assert d.loc["D1", "people_rendah"] == pytest.approx(1000)
    assert d.loc["D2", "people_sedang"] == pytest.approx(600)
    assert d.loc["D3", "people_tinggi"] == pytest.approx(400)
    assert d[["people_none", "people_unknown"]].to_numpy().sum() == pytest.approx(0)
    # roads: D1 2 km rendah, D2 1 km sedang, D3 1 + 2 km tinggi
    assert d["road_km_rendah"].tolist() == pytest.approx([2, 0, 0])
    assert d["road_km_sedang"].tolist() == pytest.approx([0, 1, 0])
    assert d["road_km_tinggi"].tolist() == pytest.approx([0, 0, 3])
    assert d["road_km_none"].sum() == pytest.approx(0, abs=1e-9)
    # facilities: P2 on site, P4 at its desa centroid (D3 is tinggi throughout) -> 2 tinggi
    assert d.loc["D3", "puskesmas_tinggi"] == 2 and d.loc["D3", "hospital_tinggi"] == 1
    assert d.loc["D1", "puskesmas_rendah"] == 1 and d.loc["D2", "pustu_sedang"] == 1
    assert d.loc["D2", "puskesmas_unknown"] == 0  # P3 is not placed in a desa
    k = ex.kecamatan.set_index("code")
    assert k.loc["K2", "people_tinggi"] == pytest.approx(400)
    assert k.loc["K2", "share_people_tinggi"] == pytest.approx(0.4)
    assert k.loc["K2", "puskesmas_unknown"] == 1 and k.loc["K2", "puskesmas_tinggi"] == 2
    assert k.loc["K2", "road_km_tinggi"] == pytest.approx(3)
    assert k.loc["K1", "name"] == "West"
    assert sorted(ex.high_hazard_facilities["name"]) == ["Pkm Desa", "Pkm Tiga", "RSUD Tiga"]
    assert set(ex.high_hazard_facilities["kecamatan_name"]) == {"East"}
    s = ex.summary.set_index("hazard_class")
    assert s.loc["tinggi", "people"] == pytest.approx(400) and s.loc["tinggi", "puskesmas"] == 2
    assert s.loc["unknown", "puskesmas"] == 1 and s["puskesmas"].sum() == 4
    assert ex.facilities.crs == fac.crs
    f = ex.facilities.set_index("facility_id")
    assert f.loc["P2", "hazard_index"] == pytest.approx(0.667)
    assert not f.loc["P3", "site_known"] and f.loc["P3", "hazard_class"] == "unknown"


def test_exposure_from_overlapping_polygons(region):
    desa, kec, fac, roads = region
    polys = gpd.GeoDataFrame(
        {"kelas": ["tinggi", "sedang"]},
        geometry=[box(0, 0, 1000, 2000), box(500, 0, 2500, 2000)],  # overlap x 500-1000: tinggi wins
        crs=UTM,
    )
    ex = flood_exposure(desa, kec, fac, roads, hazard_from_polygons(polys, class_col="kelas"))
    d = ex.desa.set_index("code")
    assert d.loc["D1", ["people_tinggi", "people_sedang", "people_none"]].tolist() == pytest.approx(
        [500, 500, 0]
    )
    assert d.loc["D2", ["people_sedang", "people_none"]].tolist() == pytest.approx([300, 300])
    assert d.loc["D3", "people_none"] == pytest.approx(400)
    assert d.loc["D1", ["road_km_tinggi", "road_km_sedang"]].tolist() == pytest.approx([1, 1])
    assert d.loc["D2", ["road_km_sedang", "road_km_none"]].tolist() == pytest.approx([0.5, 0.5])
    assert d.loc["D3", "road_km_none"] == pytest.approx(3)
    f = ex.facilities.set_index("facility_id")["hazard_class"]
    assert f.to_dict() == {
        "P1": "tinggi",
        "S1": "sedang",
        "P2": "none",
        "H1": "none",
        "P3": "unknown",
        "P4": "none",
    }
    assert ex.high_hazard_facilities["facility_id"].tolist() == ["P1"]
    assert ex.summary.set_index("hazard_class").loc["none", "people"] == pytest.approx(700)


def test_exposure_from_index_raster(region, tmp_path):
    desa, kec, fac, roads = region
    ex = flood_exposure(desa, kec, fac, roads, hazard_from_raster(_index_raster(tmp_path)))
    d = ex.desa.set_index("code")
    # D1: 3 of 4 km2 rendah, 1 tinggi; D2: upper cell nodata (unknown), lower 0.9 (tinggi); D3 sedang
    assert d.loc["D1", ["people_rendah", "people_tinggi"]].tolist() == pytest.approx([750, 250])
    assert d.loc["D2", ["people_unknown", "people_tinggi"]].tolist() == pytest.approx([300, 300])
    assert d.loc["D3", "people_sedang"] == pytest.approx(400)
    assert d.loc["D1", "road_km_rendah"] == pytest.approx(2)
    assert d.loc["D2", "road_km_tinggi"] == pytest.approx(1)
    assert d.loc["D3", "road_km_sedang"] == pytest.approx(3)
    f = ex.facilities.set_index("facility_id")
    assert f["hazard_class"].to_dict() == {
        "P1": "rendah", "S1": "tinggi", "P2": "sedang", "H1": "sedang", "P3": "unknown", "P4": "sedang",
    }  # fmt: skip
    assert f.loc["P1", "hazard_index"] == pytest.approx(0.333)
    assert ex.high_hazard_facilities["name"].tolist() == ["Pustu Dua"]


def test_exposure_over_a_network(region):
    from geoaccess import build_network

    desa, kec, fac, roads = region
    net = build_network(roads, "car", offroad=False)
    ex_net = flood_exposure(desa, kec, fac, net, hazard_from_desa(desa))
    ex_lines = flood_exposure(desa, kec, fac, roads, hazard_from_desa(desa))
    cols = [f"road_km_{c}" for c in flood.EXPOSURE_CLASSES]
    np.testing.assert_allclose(ex_net.desa[cols].to_numpy(), ex_lines.desa[cols].to_numpy(), atol=1e-6)


def test_exposure_inputs_unchanged_and_errors(region):
    desa, kec, fac, roads = region
    before = desa.copy(), fac.copy()
    flood_exposure(desa, kec, fac, roads, hazard_from_desa(desa))
    pd.testing.assert_frame_equal(desa, before[0])
    pd.testing.assert_frame_equal(fac, before[1])
    bad = hazard_from_desa(desa).assign(hazard_class=["rendah", "banjir", "tinggi"])
    with pytest.raises(InputValidationError, match="hazard_class"):
        flood_exposure(desa, kec, fac, roads, bad)
    with pytest.raises(MissingColumnError):
        flood_exposure(desa.drop(columns="kecamatan_code"), kec, fac, roads, hazard_from_desa(desa))
    with pytest.raises(InputValidationError, match="roads_or_network"):
        flood_exposure(desa, kec, fac, desa, hazard_from_desa(desa))


def test_add_flood_exposure(region):
    desa, kec, fac, roads = region
    ex = flood_exposure(desa, kec, fac, roads, hazard_from_desa(desa))
    prio = pd.DataFrame(
        {"code": ["K2", "K1", "K9"], "name": ["East", "West", "Nowhere"], "score": [3.0, 1.0, 2.0]}
    )
    out = add_flood_exposure(prio, ex)
    assert "flood_people_tinggi" not in prio  # a new frame
    assert out["flood_people_tinggi"].tolist()[:2] == pytest.approx([400, 0])
    assert np.isnan(out["flood_people_tinggi"].iloc[2])
    assert out["flood_puskesmas_tinggi"].tolist()[:2] == [2, 0]
    assert out["flood_share_people_tinggi"].iloc[0] == pytest.approx(0.4)
    fp = pd.DataFrame({"facility_id": ["P2", "P1"], "score": [1.0, 2.0]})
    fo = add_flood_exposure(fp, ex, level="facility")
    assert fo["flood_hazard_class"].tolist() == ["tinggi", "rendah"]
    with pytest.raises(InputValidationError, match="already has"):
        add_flood_exposure(out, ex)
    with pytest.raises(InputValidationError, match="level"):
        add_flood_exposure(prio, ex, level="kabupaten")
