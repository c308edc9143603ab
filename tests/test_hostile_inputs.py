"""Hostile inputs to the loaders (issue 9): each ends in a typed error naming the argument,
the rows and the fix, or in an explicit flag / value in the output; never a silently
different number, never a raw dependency traceback.

One line of intent per case (the comment or the test id). The engine / run_access / CLI
side of the catalogue is tests/test_hostile_engine.py.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from geoaccess.exceptions import (
    CRSError,
    DataNotFoundError,
    EmptyInputError,
    GeoAccessWarning,
    InputValidationError,
    NonUniqueIDError,
)
from geoaccess.inputs import boundaries, facilities, population, tables

# ----------------------------------------------------------------------------- helpers


def _fac(**cols) -> pd.DataFrame:
    base = {"facility_id": ["A", "B"], "type": ["puskesmas", "rs"], "lat": [-3.64, -3.70],
            "lon": [103.78, 103.80]}  # fmt: skip
    base.update(cols)
    return pd.DataFrame(base)


def _read_fac(src, **kw) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        return facilities.read_facilities(src, **kw)


def _desa() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["16.03.01.2001", "16.03.01.2002"]},
        geometry=[box(103.0, -4.0, 103.1, -3.9), box(103.1, -4.0, 103.2, -3.9)],
        crs="EPSG:4326",
    )


def _write(tmp_path, name: str, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


CSV_TEXT = (
    "facility_id,name,type,lat,lon,staff\n"
    "A,PKM Satu,puskesmas,-3.64,103.78,12\nB,RSUD Dua,rs,-3.70,103.80,40\n"
)


def _accounted(out: gpd.GeoDataFrame, n_in: int) -> None:
    """Every input row is located, relocated or flagged with a reason."""
    assert len(out) == n_in
    located = (out["location_quality"] == "source") & out.geometry.notna()
    relocated = out["location_quality"].isin(["desa_centroid", "kecamatan_centroid"])
    flagged = (out["location_quality"] == "missing") & out["location_reason"].notna()
    assert (located | relocated | flagged).all()
    assert out.loc[out["coord_problem"].notna(), "location_reason"].notna().all()


# ----------------------------------------------------------------------------- numbers


# The same facility table written the Indonesian way, the English way and plainly: same staff.
@pytest.mark.parametrize(
    "staff, expected",
    [
        (["1.234", "12.000"], [1234.0, 12000.0]),  # dots as thousands, no decimal anywhere: read as thousands
        (["1.234.567", "12"], [1234567.0, 12.0]),  # several dot groups: Indonesian thousands
        (["1,5", "12.000"], [1.5, 12000.0]),  # a decimal comma tells the column is Indonesian
        (["1,234.5", "12.000"], [1234.5, 12.0]),  # an English value tells 12.000 is twelve
        (["12 000", "7"], [12000.0, 7.0]),  # space as thousands separator
        (["-", ""], [np.nan, np.nan]),  # dash and blank are unknown, not 0
    ],
)
def test_staff_numbers_in_either_format(staff, expected):
    out = _read_fac(_fac(staff=staff))
    assert out["staff"].tolist() == pytest.approx(expected, nan_ok=True)


# "12 orang" staff used to become NaN silently: now an error naming column, id and fix.
def test_staff_with_unit_words_raises_naming_rows():
    with pytest.raises(InputValidationError, match=r"`source`.*'staff'.*B: '12 orang'.*number only"):
        facilities.read_facilities(_fac(staff=["4", "12 orang"]))


# A column mixing the two ways of writing numbers cannot be read: error, both examples shown.
def test_staff_mixed_formats_raise():
    with pytest.raises(InputValidationError, match=r"mixes English.*'1.5'.*Indonesian.*'2,5'"):
        facilities.read_facilities(_fac(staff=["1.5", "2,5"]))


# Beds written with a percent sign are not a count: error, the row is named.
def test_beds_percent_raises():
    with pytest.raises(InputValidationError, match=r"'beds'.*A: '50%'"):
        facilities.read_facilities(_fac(beds=["50%", "10"]))


# Negative staff: error naming the ids.
def test_negative_staff_raises():
    with pytest.raises(InputValidationError, match=r"'staff'.*negative.*B"):
        facilities.read_facilities(_fac(staff=[3, -2]))


# A population of "12.000" used to be read as 12 people: now 12,000 with a note in the warning.
def test_join_population_indonesian_thousands_with_note():
    table = pd.DataFrame({"code": ["16.03.01.2001", "16.03.01.2002"], "population": ["12.000", "950"]})
    with pytest.warns(GeoAccessWarning, match=r"'population'.*'12.000'.*read as thousands"):
        out = population.join_population(_desa(), table)
    assert out["population"].tolist() == [12000.0, 950.0]


# "1,234" used to become NaN blamed on the join keys: now 1,234 persons (counts have no decimals).
def test_join_population_english_thousands():
    table = pd.DataFrame({"code": ["16.03.01.2001", "16.03.01.2002"], "population": ["1,234", "1,234,567"]})
    out = population.join_population(_desa(), table)
    assert out["population"].tolist() == [1234.0, 1234567.0]


# A population written as words names the key of the row and the fix.
def test_join_population_text_raises_with_key():
    table = pd.DataFrame({"code": ["16.03.01.2001", "16.03.01.2002"], "population": ["1200", "sekitar 800"]})
    with pytest.raises(InputValidationError, match=r"`table`.*16.03.01.2002: 'sekitar 800'.*number only"):
        population.join_population(_desa(), table)


# Carried-over float column "12,345" could be 12345 or 12.345: ambiguous, error names the rows.
def test_join_population_ambiguous_extra_column_raises():
    table = pd.DataFrame(
        {"code": ["16.03.01.2001", "16.03.01.2002"], "population": [1, 2], "poverty_rate": ["12,345", "7"]}
    )
    with pytest.raises(InputValidationError, match=r"'poverty_rate'.*'12,345'.*no other value"):
        population.join_population(_desa(), table, columns=["poverty_rate"])


# Carried-over column with decimal commas is converted (unambiguous).
def test_join_population_extra_column_decimal_comma():
    table = pd.DataFrame(
        {"code": ["16.03.01.2001", "16.03.01.2002"], "population": [1, 2], "poverty_rate": ["12,5", "7,25"]}
    )
    out = population.join_population(_desa(), table, columns=["poverty_rate"])
    assert out["poverty_rate"].tolist() == [12.5, 7.25]


# Population with infinity: error before any computation.
def test_join_population_infinite_raises():
    table = pd.DataFrame({"code": ["16.03.01.2001", "16.03.01.2002"], "population": [np.inf, 2.0]})
    with pytest.raises(InputValidationError, match=r"'population'.*infinite.*16.03.01.2001"):
        population.join_population(_desa(), table)


# allocate_population with a text population "12.000" spreads 12,000 people, not 12.
def test_allocation_text_population():
    polys = gpd.GeoDataFrame({"population": ["12.000"]}, geometry=[box(0, 0, 2, 1)], crs="EPSG:32748")
    cells = gpd.GeoDataFrame(geometry=[Point(0.5, 0.5), Point(1.5, 0.5)], crs="EPSG:32748")
    with pytest.warns(GeoAccessWarning, match="read as thousands"):
        out = population.allocate_population(polys, cells)
    assert out.tolist() == [6000.0, 6000.0]


# ----------------------------------------------------------------------------- identifiers


# Ids 1 (int) and "1" (str) are the same as text: error naming both types.
def test_mixed_int_str_ids_collide():
    with pytest.raises(NonUniqueIDError, match=r"`source`.*'1' \(int and str\)"):
        facilities.read_facilities(_fac(facility_id=[1, "1"]))


# A CSV id "0012" stays "0012" (read as text, never reformatted).
def test_csv_id_keeps_leading_zeros(tmp_path):
    p = _write(tmp_path, "f.csv", b"facility_id,type,lat,lon,kab_code\n0012,puskesmas,-3.64,103.78,1603\n")
    out = _read_fac(p)
    assert out["facility_id"].tolist() == ["0012"]
    assert out["kab_code"].tolist() == ["1603"]  # codes stay text too


# Ids that are decimal numbers (16.03 for "16.030") are refused, with the dtype=str fix.
def test_decimal_number_ids_refused():
    with pytest.raises(InputValidationError, match=r"decimal numbers.*16.03.*dtype"):
        facilities.read_facilities(_fac(facility_id=[16.03, 16.04]))


# A kecamatan code "16.030" read as the float 16.03 is another valid code: refused in boundaries.
def test_boundary_code_as_float_refused():
    geoms = [box(103, -4, 103.1, -3.9), box(103.1, -4, 103.2, -3.9)]
    gdf = gpd.GeoDataFrame({"code": [16.03, 16.04], "name": ["a", "b"]}, geometry=geoms, crs=4326)
    with pytest.raises(InputValidationError, match=r"`source`.*decimal numbers.*16.03.*text"):
        boundaries.read_boundaries(gdf)


# A join key read as a decimal number is refused in join_population (names column and fix).
def test_join_key_as_float_refused():
    table = pd.DataFrame({"code": [16.03, 16.04], "population": [1, 2]})
    with pytest.raises(InputValidationError, match=r"`table`.*'code'.*decimal numbers.*dtype"):
        population.join_population(_desa(), table)


# A population CSV key "0012" is matched as text, not as 12.
def test_join_csv_keys_text(tmp_path):
    desa = _desa().assign(code=["0012", "12"])
    p = _write(tmp_path, "pop.csv", b"code;population\n0012;5\n12;7\n")
    assert population.join_population(desa, p)["population"].tolist() == [5.0, 7.0]


# ----------------------------------------------------------------------------- places


# Points in neighbouring countries or at sea are not trusted; the reason says where they are.
@pytest.mark.parametrize(
    "lat, lon, reason",
    [
        (3.14, 101.69, r"Peninsular Malaysia, not in Indonesia"),  # Kuala Lumpur
        (1.29, 103.85, r"Singapore"),  # Singapore, 12 km from Batam
        (-8.56, 125.57, r"Timor-Leste"),  # Dili
        (4.89, 114.94, r"not on Indonesian land .* km away"),  # Bandar Seri Begawan (Brunei)
        (4.25, 117.89, r"Sabah \(Malaysia\)"),  # Tawau, 9 km from Sebatik
        (-5.0, 110.0, r"not on Indonesian land \(nearest kabupaten polygon 85 km"),  # Java Sea
        (50.0, 10.0, r"outside Indonesia \(bounding box"),  # Germany
    ],
    ids=["malaysia", "singapore", "timor-leste", "brunei", "tawau", "java-sea", "europe"],
)
def test_points_off_indonesian_land_flagged_with_reason(shared_data, lat, lon, reason):
    with pytest.warns(GeoAccessWarning, match=r"X"):
        out = facilities.read_facilities(
            pd.DataFrame({"facility_id": ["X"], "type": ["rs"], "lat": [lat], "lon": [lon]})
        )
    assert out["coord_problem"].iloc[0] == "outside_area"
    assert out["location_quality"].iloc[0] == "missing" and out.geometry.iloc[0] is None
    assert pd.Series(out["location_reason"]).str.contains(reason).iloc[0]
    _accounted(out, 1)


# Latitude with a flipped sign (Muara Enim at +3.64): flagged flipped_lat_sign, not trusted.
def test_flipped_latitude_flagged(shared_data):
    df = pd.DataFrame({"facility_id": ["X"], "type": ["puskesmas"], "lat": [3.64], "lon": [103.78]})
    with pytest.warns(GeoAccessWarning, match=r"latitude sign probably flipped.*X"):
        out = facilities.read_facilities(df)
    assert out["coord_problem"].tolist() == ["flipped_lat_sign"]
    assert "lat -3.64 lies inside" in out["location_reason"].iloc[0]
    assert out.geometry.iloc[0] is None


# Flipped sign against a study area: the mirrored point lies in the area.
def test_flipped_latitude_against_area():
    area = box(103.0, -4.0, 104.0, -3.5)
    out = _read_fac(_fac(lat=[3.64, -3.70]), area=area, land=None)
    assert out["coord_problem"].tolist() == ["flipped_lat_sign", None]
    assert "the study area" in out["location_reason"].iloc[0]


# In Indonesia but outside the study area: a different reason from "not in Indonesia".
def test_outside_area_but_in_indonesia_reason(shared_data):
    area = box(103.0, -4.0, 104.0, -3.5)
    out = _read_fac(_fac(lat=[-6.2, -3.7], lon=[106.8, 103.8]), area=area)  # Jakarta
    assert out["coord_problem"].tolist() == ["outside_area", None]
    assert "in Indonesia but outside the study area" in out["location_reason"].iloc[0]


# A bad `land` argument is a typed error naming it.
def test_bad_land_argument():
    with pytest.raises(InputValidationError, match=r"`land`.*GeoDataFrame"):
        facilities.read_facilities(_fac(), land="indonesia")


# Accounting on the real national list: every row located, relocated or flagged with a reason.
def test_accounting_on_the_national_list(shared_data):
    nat = pd.read_csv(shared_data / "indonesia" / "facilities.csv", dtype={"facility_id": str})
    nat = nat[nat["type"].isin(["puskesmas", "rs"])].iloc[:3000]
    out = _read_fac(nat)
    _accounted(out, len(nat))


# Accounting with relocation: relocated rows say why and where they were placed.
def test_accounting_with_relocation():
    kec = gpd.GeoDataFrame({"code": ["16.03.01"], "name": ["Kec A"], "level": ["kecamatan"]},
                           geometry=[box(103.0, -4.0, 103.5, -3.5)], crs=4326)  # fmt: skip
    df = _fac(lat=["", "abc"], lon=["", "103.2"], kecamatan=["Kec A", "Nowhere"])
    out = _read_fac(df, area=kec, boundaries=kec, relocate="kecamatan")
    _accounted(out, 2)
    assert out["location_quality"].tolist() == ["kecamatan_centroid", "missing"]
    assert "placed at the representative point of its kecamatan" in out["location_reason"].iloc[0]
    assert "could not be relocated" in out["location_reason"].iloc[1]


# Boundaries declared EPSG:4326 with metres (y 9,580,000): CRS error saying they look like UTM.
def test_boundaries_metres_declared_as_degrees():
    gdf = gpd.GeoDataFrame({"code": ["a"], "name": ["x"]},
                           geometry=[box(400_000, 9_570_000, 410_000, 9_580_000)], crs=4326)  # fmt: skip
    with pytest.raises(CRSError, match=r"`source`.*9,580,000.*metres.*EPSG:32748"):
        boundaries.read_boundaries(gdf)


# Boundaries with latitudes of 103 (axes swapped): CRS error saying (lat, lon) order.
def test_boundaries_swapped_axes():
    gdf = gpd.GeoDataFrame({"code": ["a"], "name": ["x"]}, geometry=[box(-4.0, 103.0, -3.9, 103.1)], crs=4326)
    with pytest.raises(CRSError, match=r"`source`.*\(latitude, longitude\).*wrong order"):
        boundaries.read_boundaries(gdf)


# ----------------------------------------------------------------------------- files


# Semicolon CSV with decimal commas (Excel, Indonesian locale) reads correctly.
def test_semicolon_csv_decimal_commas(tmp_path):
    p = _write(tmp_path, "f.csv", b"facility_id;type;lat;lon;staff\nA;puskesmas;-3,64;103,78;1.200\n")
    out = _read_fac(p)
    assert out.geometry.iloc[0].equals(Point(103.78, -3.64))
    assert out["staff"].tolist() == [1200.0]


# The same table in UTF-8 with BOM, cp1252, UTF-16 (BOM) and UTF-16 without BOM: same read.
@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_encodings(tmp_path, encoding):
    text = CSV_TEXT.replace("PKM Satu", "PKM Tanjung Enim – Sélatan")
    p = _write(tmp_path, "f.csv", text.encode(encoding))
    out = _read_fac(p)
    assert out["name"].tolist() == ["PKM Tanjung Enim – Sélatan", "RSUD Dua"]
    assert out["staff"].tolist() == [12.0, 40.0]


# An empty file: EmptyInputError naming the file.
@pytest.mark.parametrize(
    "data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"], ids=["0-bytes", "blank-lines", "bom-only"]
)
def test_empty_file(tmp_path, data):
    p = _write(tmp_path, "f.csv", data)
    with pytest.raises(EmptyInputError, match=r"`source`.*empty"):
        facilities.read_facilities(p)


# A header without rows: EmptyInputError.
def test_header_only(tmp_path):
    p = _write(tmp_path, "f.csv", b"facility_id,type,lat,lon\n")
    with pytest.raises(EmptyInputError, match=r"`source`.*no rows"):
        facilities.read_facilities(p)


# A directory passed as the facility file: error listing the files inside, never one picked.
def test_directory_as_facility_file(tmp_path):
    (tmp_path / "a.csv").write_text(CSV_TEXT)
    (tmp_path / "b.csv").write_text(CSV_TEXT)
    with pytest.raises(InputValidationError, match=r"`source`.*is a directory.*'a.csv', 'b.csv'"):
        facilities.read_facilities(tmp_path)


# A CSV cut mid-row: error saying the file is truncated, not a complete-looking result.
def test_truncated_csv(tmp_path):
    p = _write(tmp_path, "f.csv", CSV_TEXT.encode()[:-14])
    with pytest.raises(InputValidationError, match=r"`source`.*looks truncated.*line 3.*again"):
        facilities.read_facilities(p)


# A CSV cut inside a quoted value: error, not a traceback from the csv module.
def test_truncated_inside_quotes(tmp_path):
    p = _write(tmp_path, "f.csv", b'facility_id,type,lat,lon,name\nA,rs,-3.6,103.7,"RSUD Mu')
    with pytest.raises(InputValidationError, match=r"`source`.*(quote|truncated)"):
        facilities.read_facilities(p)


# A row with an unquoted separator inside a value (more fields than the header): error, line named.
def test_extra_fields(tmp_path):
    p = _write(tmp_path, "f.csv", b"facility_id,type,lat,lon\nA,rs,-3,64,103,78\n")
    with pytest.raises(InputValidationError, match=r"more fields than the header.*line 2.*quote"):
        facilities.read_facilities(p)


# Binary content with a .csv name (e.g. a GeoTIFF): error, not a decode traceback.
def test_binary_csv(tmp_path):
    p = _write(tmp_path, "f.csv", b"II*\x00" + bytes(range(256)) * 4)
    with pytest.raises(InputValidationError, match=r"`source`.*binary data"):
        facilities.read_facilities(p)


# A fake .xlsx (text inside): error saying it is not a readable workbook.
def test_fake_xlsx(tmp_path):
    p = _write(tmp_path, "f.xlsx", b"this is not a workbook")
    with pytest.raises(InputValidationError, match=r"`source`.*not a readable Excel workbook"):
        facilities.read_facilities(p)


# A real XLSX table: ids and codes as text, Indonesian numbers parsed.
def test_xlsx_reads_text(tmp_path):
    p = tmp_path / "f.xlsx"
    pd.DataFrame({"facility_id": ["0012"], "type": ["puskesmas"], "lat": ["-3,64"], "lon": ["103,78"],
                  "staff": ["1.200"]}).to_excel(p, index=False)  # fmt: skip
    out = _read_fac(p)
    assert out["facility_id"].tolist() == ["0012"] and out["staff"].tolist() == [1200.0]


# Duplicate column names in a file: error naming them (pandas would rename one silently).
def test_duplicate_column_names(tmp_path):
    p = _write(tmp_path, "f.csv", b"facility_id,type,lat,lon,lat\nA,rs,-3.6,103.7,-3.7\n")
    with pytest.raises(InputValidationError, match=r"duplicate column name.*'lat'"):
        facilities.read_facilities(p)


# A fake vector file (e.g. a .geojson holding text): typed error, not a pyogrio traceback.
def test_fake_vector_file(tmp_path):
    p = _write(tmp_path, "b.geojson", b"not json at all")
    with pytest.raises(InputValidationError, match=r"`source`.*could not read.*vector"):
        boundaries.read_boundaries(p)
    with pytest.raises(InputValidationError, match=r"`source`.*could not read.*vector"):
        facilities.read_facilities(p)


# A population table path that is a directory: error naming the argument.
def test_population_table_directory(tmp_path):
    with pytest.raises(InputValidationError, match=r"`table`.*is a directory"):
        population.join_population(_desa(), tmp_path)


# A missing table path: DataNotFoundError naming the file.
def test_missing_table_path(tmp_path):
    with pytest.raises(DataNotFoundError, match=r"nope\.csv"):
        tables.read_table(tmp_path / "nope.csv")


# ----------------------------------------------------------------------------- rasters


def _raster(tmp_path, values, nodata=None):
    arr = np.asarray(values, dtype="float32")
    p = tmp_path / "pop.tif"
    with rasterio.open(p, "w", driver="GTiff", height=arr.shape[0], width=arr.shape[1], count=1,
                       dtype="float32", crs="EPSG:32748", transform=from_origin(0, 200, 100, 100),
                       nodata=nodata) as dst:  # fmt: skip
        dst.write(arr, 1)
    return p


def _polys(*geoms):
    return gpd.GeoDataFrame(
        geometry=list(geoms), crs="EPSG:32748", index=[f"d{i}" for i in range(len(geoms))]
    )


# An undeclared fill value (-99999) gave negative people: error naming the value and nodata= fix.
def test_raster_undeclared_fill_value(tmp_path):
    p = _raster(tmp_path, [[1, 2], [-99999, 4]])
    with pytest.raises(InputValidationError, match=r"`raster`.*-99999 \(1 cells\).*no nodata.*nodata=-99999"):
        population.zonal_population(p, _polys(box(0, 0, 200, 200)))


# The same raster with nodata=-99999 given: the fill cell is left out, the rest summed.
def test_raster_fill_value_declared_by_argument(tmp_path):
    p = _raster(tmp_path, [[1, 2], [-99999, 4]])
    with pytest.warns(GeoAccessWarning, match=r"partly covered.*d0 \(75%\)"):
        out = population.zonal_population(p, _polys(box(0, 0, 200, 200)), nodata=-99999)
    assert out.tolist() == pytest.approx([7.0])


# A desa outside the raster or under nodata gets NaN (not 0) and is listed in a warning.
def test_raster_outside_and_nodata_nan(tmp_path):
    p = _raster(tmp_path, [[1, 2], [-1, 4]], nodata=-1)
    with pytest.warns(GeoAccessWarning, match=r"outside the raster or under nodata.*d0, d1"):
        out = population.zonal_population(p, _polys(box(0, 0, 100, 100), box(5000, 5000, 5100, 5100)))
    assert np.isnan(out).all()


# A truncated GeoTIFF: typed error saying it may be an interrupted download.
def test_raster_truncated(tmp_path):
    p = _raster(tmp_path, np.ones((64, 64)))
    p.write_bytes(p.read_bytes()[:300])
    with pytest.raises(InputValidationError, match=r"`raster`.*(truncated|not a readable raster)"):
        population.zonal_population(p, _polys(box(0, 0, 100, 100)))


# A fake GeoTIFF (text with a .tif name): typed error from both raster entry points.
def test_raster_fake(tmp_path):
    p = _write(tmp_path, "pop.tif", b"not a tiff")
    with pytest.raises(InputValidationError, match=r"`raster`.*not a readable raster"):
        population.zonal_population(p, _polys(box(0, 0, 100, 100)))
    with pytest.raises(InputValidationError, match=r"`path`.*not a readable raster"):
        population.read_population_raster(p)


# A directory passed as the raster: typed error listing what is inside.
def test_raster_directory(tmp_path):
    with pytest.raises(InputValidationError, match=r"`raster`.*is a directory"):
        population.zonal_population(tmp_path, _polys(box(0, 0, 100, 100)))
