"""Tests of geoaccess.inputs.boundaries.read_boundaries (synthetic squares + the shared data)."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from geoaccess.exceptions import (
    CRSError,
    DataNotFoundError,
    GeoAccessWarning,
    InputValidationError,
    MissingColumnError,
    NonUniqueIDError,
)
from geoaccess.inputs import boundaries


def _squares(crs: str | None = "EPSG:32748") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"kode": ["16.03.01", "16.03.02"], "nama": [" Alpha ", "Beta"], "luas": [4.0, 4.0]},
        geometry=[box(0, 0, 2, 2), box(2, 0, 4, 2)],
        crs=crs,
    )


def test_standard_columns_other_columns_kept_crs_kept():
    src = _squares()
    before = src.copy()
    out = boundaries.read_boundaries(src, level="kecamatan")
    assert list(out.columns[:3]) == ["code", "name", "level"]
    assert out["code"].tolist() == ["16.03.01", "16.03.02"]
    assert out["name"].tolist() == ["Alpha", "Beta"]  # stripped
    assert out["level"].tolist() == ["kecamatan", "kecamatan"]
    assert out["luas"].tolist() == [4.0, 4.0]
    assert out.crs == "EPSG:32748"
    assert out.geometry.area.tolist() == [4.0, 4.0]
    # input untouched
    assert src.equals(before) and list(src.columns) == list(before.columns)


def test_parent_codes_kept_and_numeric_codes_become_text():
    src = gpd.GeoDataFrame(
        {
            "code": [160301.0, 160302.0],
            "name": ["A", "B"],
            "kabupaten_code": ["16.03", "16.03"],
            "kecamatan_code": [None, "16.03.02"],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    out = boundaries.read_boundaries(src)
    assert out["code"].tolist() == ["160301", "160302"]
    assert list(out.columns[:5]) == ["code", "name", "level", "kecamatan_code", "kabupaten_code"]
    assert out["kecamatan_code"].tolist() == [None, "16.03.02"]
    assert out["level"].isna().all()


def test_invalid_geometry_repaired_with_structure_and_reported():
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])  # self-intersecting
    assert not bowtie.is_valid
    src = gpd.GeoDataFrame(
        {"code": ["a", "b"], "name": ["bow", "ok"]},
        geometry=[bowtie, box(5, 5, 6, 6)],
        crs="EPSG:32748",
    )
    with pytest.warns(GeoAccessWarning, match=r"1 boundary geometry was invalid.*'a'"):
        out = boundaries.read_boundaries(src)
    assert out.is_valid.all()
    assert out.geometry.iloc[0].geom_type == "MultiPolygon"
    # two triangles of area 1 meeting at (1, 1)
    assert out.geometry.iloc[0].area == pytest.approx(2.0)
    assert not src.geometry.iloc[0].is_valid  # input untouched


def test_duplicate_codes_raise_naming_them():
    src = _squares()
    src["kode"] = ["x", "x"]
    with pytest.raises(NonUniqueIDError, match=r"`source`.*'x'"):
        boundaries.read_boundaries(src)


def test_no_crs_raises():
    with pytest.raises(CRSError, match=r"`source`.*set_crs"):
        boundaries.read_boundaries(_squares(crs=None))


def test_points_are_refused():
    src = gpd.GeoDataFrame({"code": ["a"], "name": ["p"]}, geometry=[Point(0, 0)], crs=4326)
    with pytest.raises(InputValidationError, match="Point"):
        boundaries.read_boundaries(src)


def test_missing_geometry_is_refused():
    src = gpd.GeoDataFrame(
        {"code": ["a", "b"], "name": ["p", "q"]}, geometry=[box(0, 0, 1, 1), None], crs=4326
    )
    with pytest.raises(InputValidationError, match="no geometry"):
        boundaries.read_boundaries(src)


def test_empty_code_is_refused():
    src = _squares()
    src["kode"] = ["a", None]
    with pytest.raises(InputValidationError, match="empty code"):
        boundaries.read_boundaries(src)


def test_level_column_filters_and_bad_level_names_argument():
    src = _squares()
    src["level"] = ["kecamatan", "desa"]
    out = boundaries.read_boundaries(src, level="desa")
    assert out["code"].tolist() == ["16.03.02"]
    with pytest.raises(InputValidationError, match="`level`"):
        boundaries.read_boundaries(src, level="village")
    with pytest.raises(InputValidationError, match=r"`level`.*no row has level 'kabupaten'"):
        boundaries.read_boundaries(src, level="kabupaten")


def test_explicit_columns_and_collisions():
    src = _squares()
    src["code"] = ["old1", "old2"]
    out = boundaries.read_boundaries(src, code_col="kode", name_col="nama")
    assert out["code"].tolist() == ["16.03.01", "16.03.02"]
    assert out["code_input"].tolist() == ["old1", "old2"]
    with pytest.raises(MissingColumnError, match="`code_col`"):
        boundaries.read_boundaries(src, code_col="nope")


def test_no_code_column_found():
    src = gpd.GeoDataFrame({"label": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    with pytest.raises(InputValidationError, match="`code_col`"):
        boundaries.read_boundaries(src)


def test_reads_files_and_reports_missing_path(tmp_path):
    path = tmp_path / "kec.gpkg"
    _squares().to_file(path)
    out = boundaries.read_boundaries(path, level="kecamatan")
    assert out["code"].tolist() == ["16.03.01", "16.03.02"]
    assert out.crs == "EPSG:32748"
    with pytest.raises(DataNotFoundError, match=r"nope\.geojson"):
        boundaries.read_boundaries(tmp_path / "nope.geojson")
    with pytest.raises(InputValidationError, match="`source`"):
        boundaries.read_boundaries(42)


# ----------------------------------------------------------------------------- shared data


def test_shared_muara_enim_kecamatan_and_desa(shared_data):
    kec = boundaries.read_boundaries(
        shared_data / "boundaries" / "kecamatan_from_desa.geojson", level="kecamatan"
    )
    assert len(kec) == 66
    me = kec[kec["kabupaten_code"] == "16.03"]
    assert len(me) == 22
    assert {"Muara Enim", "Lawang Kidul", "Belida Darat", "Panang Enim"} <= set(me["name"])
    desa = boundaries.read_boundaries(shared_data / "boundaries" / "desa.geojson", level="desa")
    assert (desa["kabupaten_code"] == "16.03").sum() == 254
    assert desa["kecamatan_code"].notna().all()


def test_shared_province_file_has_one_invalid_polygon_repaired(shared_data):
    # SOURCES.md: 15.07.02 Nipah Panjang is invalid ("nested shells") in this file
    path = shared_data / "boundaries" / "kecamatan_prov15_prov16.geojson"
    with pytest.warns(GeoAccessWarning, match=r"15\.07\.02"):
        kec = boundaries.read_boundaries(path)
    assert len(kec) == 385
    assert shapely.is_valid(kec.geometry.to_numpy()).all()
