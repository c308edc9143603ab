"""Tests of geoaccess.inputs.facilities (synthetic kecamatan + facilities, and the shared data).

The synthetic world: kecamatan "Kec A" = box(103.0, -4.0, 103.5, -3.5) and "Kec B" =
box(103.5, -4.0, 104.0, -3.5) (lon/lat degrees, inside the Indonesia box), and six
facilities, one per kind of coordinate problem.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geoaccess.exceptions import (
    CRSError,
    DataNotFoundError,
    GeoAccessWarning,
    InputValidationError,
    MissingColumnError,
    NonUniqueIDError,
)
from geoaccess.inputs import facilities

KEC_A = box(103.0, -4.0, 103.5, -3.5)
KEC_B = box(103.5, -4.0, 104.0, -3.5)


def _kecamatan() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["16.03.01", "16.03.02"],
            "name": ["Kec A", "Kec B"],
            "level": ["kecamatan", "kecamatan"],
            "kabupaten_code": ["16.03", "16.03"],
        },
        geometry=[KEC_A, KEC_B],
        crs="EPSG:4326",
    )


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "facility_id": ["P1", "P2", "P3", "R1", "R2", "T1"],
            "name": ["PKM Satu", "PKM Dua", "PKM Tiga", "RSUD Satu", "RS Dua", "Pustu Satu"],
            "type": ["Puskesmas", "PKM", "puskesmas", "RSUD", "rumah sakit", "Puskesmas Pembantu"],
            "inpatient": ["ya", "tidak", "unknown", None, "true", ""],
            "lat": ["-3.75", "103.75", "", "0", "abc", "-3.75"],
            "lon": ["103.25", "-3.75", None, "0", "103.2", "105.0"],
            "kecamatan": ["Kec A", "Kec B", "KEC B ", "kec a", "Nowhere", None],
            "pkm_code_type_digit": [2, 2, 1, np.nan, np.nan, np.nan],
            "staff_total_2019": [30, 20, np.nan, 400, np.nan, 3],
            "rs_beds": [np.nan, np.nan, np.nan, 120, 50, np.nan],
        },
        index=[10, 11, 12, 13, 14, 15],
    )


def _read(df=None, **kw):
    with pytest.warns(GeoAccessWarning) as rec:
        out = facilities.read_facilities(_table() if df is None else df, **kw)
    return out, "\n".join(str(w.message) for w in rec)


# ----------------------------------------------------------------------------- schema


def test_every_row_back_in_order_and_input_untouched():
    src = _table()
    before = src.copy()
    out, _ = _read(src, area=_kecamatan())
    assert out.index.tolist() == src.index.tolist()
    assert out["facility_id"].tolist() == ["P1", "P2", "P3", "R1", "R2", "T1"]
    assert out.crs == "EPSG:4326"
    pd.testing.assert_frame_equal(src, before)
    assert list(out.columns[:9]) == [
        "facility_id",
        "name",
        "type",
        "type_input",
        "inpatient",
        "inpatient_source",
        "staff",
        "beds",
        "location_quality",
    ]
    assert "coord_problem" in out.columns and "kecamatan" in out.columns


def test_types_normalised_and_raw_label_kept():
    out, _ = _read()
    assert out["type"].tolist() == ["puskesmas", "puskesmas", "puskesmas", "rs", "rs", "pustu"]
    assert out["type_input"].tolist() == _table()["type"].tolist()


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("PUSKESMAS", "puskesmas"),
        ("Puskesmas Rawat Inap", "puskesmas"),
        ("pkm", "puskesmas"),
        ("Pustu", "pustu"),
        ("puskesmas_pembantu", "pustu"),
        ("Posyandu", "posyandu"),
        ("Klinik Pratama", "klinik"),
        ("clinic", "klinik"),
        ("RSUD", "rs"),
        ("RSIA", "rs"),
        ("Rumah Sakit Umum Daerah", "rs"),
        ("hospital", "rs"),
        ("RS Bhayangkara", "rs"),
        ("RSIA Karunia", "rs"),
        ("rs", "rs"),
    ],
)
def test_type_variants(label, expected):
    df = pd.DataFrame({"facility_id": ["a"], "type": [label], "lat": [-3.7], "lon": [103.7]})
    assert facilities.read_facilities(df)["type"].iloc[0] == expected


def test_inpatient_parsed_to_nullable_boolean():
    out, _ = _read()
    assert str(out["inpatient"].dtype) == "boolean"
    assert out["inpatient"].tolist() == [True, False, pd.NA, pd.NA, True, pd.NA]
    assert out["inpatient_source"].tolist() == [
        "source",
        "source",
        "unknown",
        "unknown",
        "source",
        "unknown",
    ]


def test_staff_and_beds():
    out, _ = _read()
    assert out["staff"].tolist()[:2] == [30.0, 20.0]
    assert np.isnan(out["staff"].iloc[2])
    assert out["beds"].iloc[3] == 120.0


# ----------------------------------------------------------------------------- coordinate QA


def test_coordinate_problems_without_relocation():
    out, msg = _read(area=_kecamatan())
    assert out["coord_problem"].tolist() == [
        None,
        "swapped_latlon",
        "missing",
        "zero",
        "not_numeric",
        "outside_area",
    ]
    assert out["location_quality"].tolist() == [
        "source",
        "source",
        "missing",
        "missing",
        "missing",
        "missing",
    ]
    assert out.geometry.iloc[0].equals(Point(103.25, -3.75))
    assert out.geometry.iloc[1].equals(Point(103.75, -3.75))  # swapped back
    assert out.geometry.iloc[2:].isna().all()
    # one warning, every problem row by id
    for fid in ["P2", "P3", "R1", "R2", "T1"]:
        assert fid in msg
    assert "swapped" in msg and "outside the study area" in msg
    # the raw coordinate columns are returned unchanged for audit
    assert out["lat"].tolist() == _table()["lat"].tolist()


def test_outside_area_uses_indonesia_box_by_default():
    # without `area`, T1 (lon 105.0, lat -3.75) is inside Indonesia and is kept
    out, _ = _read()
    assert out.loc[15, "coord_problem"] is None
    assert out.loc[15, "location_quality"] == "source"
    far = pd.DataFrame(
        # Y: Semarang with lat/lon swapped (a swapped point must land on Indonesian land)
        {"facility_id": ["X", "Y"], "type": ["rs", "rs"], "lat": [50.0, 110.42], "lon": [10.0, -6.99]}
    )
    with pytest.warns(GeoAccessWarning, match=r"outside the study area \(not trusted\) \[1\]: X"):
        res = facilities.read_facilities(far)
    assert res["coord_problem"].tolist() == ["outside_area", "swapped_latlon"]
    assert res.geometry.iloc[1].equals(Point(110.42, -6.99))


def test_area_as_shapely_geometry_or_projected_frame():
    area_geom = KEC_A.union(KEC_B)
    out1, _ = _read(area=area_geom)
    out2, _ = _read(area=_kecamatan().to_crs("EPSG:32748"))
    assert out1["coord_problem"].tolist() == out2["coord_problem"].tolist()
    assert out1.loc[15, "coord_problem"] == "outside_area"
    with pytest.raises(InputValidationError, match="`area`"):
        facilities.read_facilities(_table(), area=Point(0, 0))
    with pytest.raises(CRSError, match="`area`"):
        facilities.read_facilities(_table(), area=_kecamatan().set_crs(None, allow_override=True))


def test_relocation_to_kecamatan_representative_point():
    kec = _kecamatan()
    out, msg = _read(area=kec, boundaries=kec, relocate="kecamatan")
    assert out["location_quality"].tolist() == [
        "source",
        "source",
        "kecamatan_centroid",
        "kecamatan_centroid",
        "missing",
        "missing",
    ]
    # P3 'KEC B ' matched case-insensitively to 'Kec B'; R1 'kec a' to 'Kec A'
    assert out.geometry.loc[12].equals(KEC_B.representative_point())
    assert out.geometry.loc[13].equals(KEC_A.representative_point())
    assert KEC_B.contains(out.geometry.loc[12])
    assert "R2 (kecamatan='Nowhere' matches no polygon)" in msg
    assert "T1 (no kecamatan given)" in msg
    assert "left without a location" in msg and "R2" in msg
    # the coordinate problem stays recorded after relocation
    assert out.loc[12, "coord_problem"] == "missing"


def test_relocation_prefers_code_and_respects_kabupaten():
    kec = pd.concat(
        [
            _kecamatan(),
            gpd.GeoDataFrame(
                {
                    "code": ["16.04.01"],
                    "name": ["Kec A"],
                    "level": ["kecamatan"],
                    "kabupaten_code": ["16.04"],
                },
                geometry=[box(110, -4, 111, -3)],
                crs="EPSG:4326",
            ),
        ],
        ignore_index=True,
    )
    df = pd.DataFrame(
        {
            "facility_id": ["a", "b", "c"],
            "type": ["puskesmas"] * 3,
            "lat": [None] * 3,
            "lon": [None] * 3,
            "kecamatan": ["Kec A", "Kec A", "Kec A"],
            "kecamatan_code": [None, "16.03.02", None],
            "kab_code": [1604, 1603, None],
        }
    )
    with pytest.warns(GeoAccessWarning) as rec:
        out = facilities.read_facilities(df, boundaries=kec, relocate="kecamatan")
    msg = str(rec[0].message)
    # a: name 'Kec A' in kab 1604 -> the 16.04 polygon
    assert box(110, -4, 111, -3).contains(out.geometry.iloc[0])
    # b: code 16.03.02 wins over the name -> Kec B
    assert KEC_B.contains(out.geometry.iloc[1])
    # c: name only, no kab -> two 'Kec A' polygons -> ambiguous, left missing
    assert out["location_quality"].iloc[2] == "missing"
    assert "c (kecamatan='Kec A' matches 2 polygons)" in msg


def test_relocate_needs_boundaries_and_matching_level():
    with pytest.raises(InputValidationError, match=r"`relocate`.*boundaries="):
        facilities.read_facilities(_table(), relocate="kecamatan")
    with pytest.raises(InputValidationError, match="`relocate`"):
        facilities.read_facilities(_table(), relocate="province")
    with pytest.raises(InputValidationError, match=r"`boundaries`.*level"):
        facilities.read_facilities(_table(), boundaries=_kecamatan(), relocate="desa")
    with pytest.raises(MissingColumnError, match="read_boundaries"):
        facilities.read_facilities(
            _table(), boundaries=_kecamatan().drop(columns="name"), relocate="kecamatan"
        )


# ----------------------------------------------------------------------------- inpatient rule


def test_inpatient_rule_pkm_code_digit():
    df = _table()
    df["facility_id"] = ["P1603032101", "P2", "P3", "R1", "R2", "T1"]
    df = df.drop(columns="pkm_code_type_digit")
    df.loc[10, "inpatient"] = None
    out, _ = _read(df, inpatient_rule="pkm_code_digit")
    # P1603032101: 9th character '1' -> True (unverified); P3 has no code -> unknown
    assert out["inpatient"].tolist() == [True, False, pd.NA, True, True, pd.NA]
    assert out["inpatient_source"].tolist() == [
        "pkm_code_type_digit (unverified)",
        "source",
        "unknown",
        "type rs",
        "source",
        "unknown",
    ]


def test_inpatient_rule_uses_digit_column():
    out, _ = _read(inpatient_rule="pkm_code_digit")
    # P3: unknown + digit 1 -> True; P1/P2 known values are never overwritten
    assert out["inpatient"].tolist() == [True, False, True, True, True, pd.NA]
    assert out.loc[12, "inpatient_source"] == facilities.PKM_DIGIT_SOURCE
    with pytest.raises(InputValidationError, match="`inpatient_rule`"):
        facilities.read_facilities(_table(), inpatient_rule="guess")


# ----------------------------------------------------------------------------- errors


def test_unknown_types_listed_with_ids():
    df = _table()
    df.loc[11, "type"] = "apotek"
    df.loc[12, "type"] = None
    expected = r"`source`.*'apotek' \(ids P2\); <empty> \(ids P3\)"
    with pytest.raises(InputValidationError, match=expected):
        facilities.read_facilities(df)


def test_unknown_inpatient_value():
    df = _table()
    df.loc[10, "inpatient"] = "maybe"
    with pytest.raises(InputValidationError, match=r"'maybe' \(ids P1\)"):
        facilities.read_facilities(df)


def test_duplicate_and_empty_ids():
    df = _table()
    df["facility_id"] = ["a", "a", "b", "c", "d", "e"]
    with pytest.raises(NonUniqueIDError, match="'a'"):
        facilities.read_facilities(df)
    df["facility_id"] = ["a", None, "b", "c", "d", "e"]
    with pytest.raises(InputValidationError, match="empty id"):
        facilities.read_facilities(df)


def test_missing_columns_named():
    with pytest.raises(MissingColumnError, match=r"`source`.*'lat'"):
        facilities.read_facilities(_table().drop(columns="lat"))
    with pytest.raises(MissingColumnError, match="'kode'"):
        facilities.read_facilities(_table(), id_col="kode")
    with pytest.raises(MissingColumnError, match="'rawat_inap'"):
        facilities.read_facilities(_table(), inpatient_col="rawat_inap")
    with pytest.raises(CRSError, match="`crs`"):
        facilities.read_facilities(_table(), crs="EPSG:999999")


# ----------------------------------------------------------------------------- other inputs


def test_csv_path_and_numeric_ids(tmp_path):
    path = tmp_path / "fac.csv"
    pd.DataFrame(
        {
            "facility_id": [101, 102],
            "name": ["a", "b"],
            "type": ["klinik", "rs"],
            "lat": [-3.7, 103.8],
            "lon": [103.7, -3.7],
        }
    ).to_csv(path, index=False)
    with pytest.warns(GeoAccessWarning, match=r"swapped.*102"):
        out = facilities.read_facilities(path)
    assert out["facility_id"].tolist() == ["101", "102"]
    assert out["coord_problem"].tolist() == [None, "swapped_latlon"]
    with pytest.raises(DataNotFoundError, match=r"nope\.csv"):
        facilities.read_facilities(tmp_path / "nope.csv")


def test_geodataframe_in_projected_crs_and_missing_geometry():
    pts = gpd.GeoDataFrame(
        {"facility_id": ["a", "b"], "type": ["posyandu", "pustu"]},
        geometry=[Point(103.25, -3.75), None],
        crs="EPSG:4326",
    ).to_crs("EPSG:32748")
    with pytest.warns(GeoAccessWarning, match=r"no coordinate \[1\]: b"):
        out = facilities.read_facilities(pts)
    assert out.crs == "EPSG:4326"
    assert out.geometry.iloc[0].distance(Point(103.25, -3.75)) < 1e-9
    assert out["location_quality"].tolist() == ["source", "missing"]
    assert out["name"].tolist() == ["a", "b"]  # no name column -> the id


def test_latlon_columns_in_a_projected_crs():
    utm = gpd.GeoSeries([Point(103.25, -3.75)], crs=4326).to_crs(32748).iloc[0]
    df = pd.DataFrame({"facility_id": ["a"], "type": ["puskesmas"], "lat": [utm.y], "lon": [utm.x]})
    out = facilities.read_facilities(df, crs="EPSG:32748")
    assert out.geometry.iloc[0].distance(Point(103.25, -3.75)) < 1e-9


def test_clean_input_gives_no_warning():
    df = pd.DataFrame({"facility_id": ["a"], "type": ["puskesmas"], "lat": [-3.7], "lon": [103.7]})
    out = facilities.read_facilities(df)  # filterwarnings=error would fail on any warning
    assert out["coord_problem"].tolist() == [None]
    assert out["inpatient"].isna().all()


# ----------------------------------------------------------------------------- select


def test_select_categories_and_missing_geometry_warning():
    kec = _kecamatan()
    fac, _ = _read(boundaries=kec, relocate="kecamatan", inpatient_rule="pkm_code_digit")
    before = fac.copy()
    assert facilities.select(fac, "puskesmas")["facility_id"].tolist() == ["P1", "P2", "P3"]
    assert facilities.select(fac, "inpatient")["facility_id"].tolist() == ["P1", "P3"]
    with pytest.warns(GeoAccessWarning, match=r"without a location left out: R2"):
        hosp = facilities.select(fac, "hospital")
    assert hosp["facility_id"].tolist() == ["R1"]
    assert facilities.select(fac, "pustu")["facility_id"].tolist() == ["T1"]
    assert facilities.select(fac, "any")["facility_id"].tolist() == ["P1", "P2", "P3", "T1"]
    pd.testing.assert_frame_equal(pd.DataFrame(fac), pd.DataFrame(before))
    with pytest.raises(InputValidationError, match="`category`"):
        facilities.select(fac, "rs")


def test_select_inpatient_reports_unknown():
    fac, _ = _read()
    with pytest.warns(GeoAccessWarning, match=r"unknown inpatient status left out: P3"):
        out = facilities.select(fac, "inpatient")
    assert out["facility_id"].tolist() == ["P1"]


# ----------------------------------------------------------------------------- shared data


@pytest.fixture(scope="session")
def fac_4kab(shared_data) -> pd.DataFrame:
    return pd.read_csv(shared_data / "facilities" / "facilities_4kab.csv")


@pytest.fixture(scope="session")
def kec_me(shared_data) -> gpd.GeoDataFrame:
    from geoaccess.inputs.boundaries import read_boundaries

    kec = read_boundaries(shared_data / "boundaries" / "kecamatan_from_desa.geojson")
    return kec[kec["kabupaten_code"] == "16.03"]


def test_shared_muara_enim_located_relocated_missing(fac_4kab, kec_me):
    me = fac_4kab[fac_4kab["kab_code"] == 1603]
    with pytest.warns(GeoAccessWarning) as rec:
        out = facilities.read_facilities(
            me, boundaries=kec_me, relocate="kecamatan", inpatient_rule="pkm_code_digit"
        )
    msg = "\n".join(str(w.message) for w in rec)
    assert len(out) == len(me) == 29
    assert out["facility_id"].tolist() == me["facility_id"].tolist()
    assert (out["type"] == "puskesmas").sum() == 22 and (out["type"] == "rs").sum() == 7
    src = out["location_quality"] == "source"
    assert ((out["type"] == "puskesmas") & src).sum() == 18
    assert ((out["type"] == "rs") & src).sum() == 1
    assert src.sum() == int(me["coord_usable"].sum())
    assert (out["location_quality"] == "kecamatan_centroid").sum() == 9
    # RS Ibu dan Anak Karunia Indah Medika names no kecamatan: listed as missing
    assert out.loc[out["location_quality"] == "missing", "facility_id"].tolist() == ["F1603-RS077"]
    assert "F1603-RS077" in msg and "coord_quality=suspect_duplicate_coordinate" in msg
    # relocated points lie in the kecamatan they name
    reloc = out[out["location_quality"] == "kecamatan_centroid"]
    by_name = kec_me.set_index(kec_me["name"].str.lower()).geometry
    for _, row in reloc.iterrows():
        assert by_name[row["kecamatan"].lower()].contains(row.geometry)
    # inpatient: hospitals True from the source, puskesmas from the unverified digit
    assert out.loc[out["type"] == "rs", "inpatient"].all()
    pkm = out[out["type"] == "puskesmas"]
    assert (pkm["inpatient_source"] == facilities.PKM_DIGIT_SOURCE).sum() == 18
    assert pkm["inpatient"].isna().sum() == 4  # the 4 without a Kemenkes code


def test_shared_all_four_kabupaten_usable_coords(fac_4kab):
    with pytest.warns(GeoAccessWarning):
        out = facilities.read_facilities(fac_4kab)
    assert len(out) == 115
    assert (out["location_quality"] == "source").sum() == int(fac_4kab["coord_usable"].sum()) == 82


def test_shared_national_list_flags_the_lost_decimal_point(shared_data):
    nat = pd.read_csv(shared_data / "indonesia" / "facilities.csv", dtype={"facility_id": str})
    nat = nat[nat["type"].isin(["puskesmas", "rs"])]
    expected = r"outside the study area \(not trusted\) \[1\]: P7602051101"
    with pytest.warns(GeoAccessWarning, match=expected):
        out = facilities.read_facilities(nat)
    assert len(out) == 10282
    assert out["coord_problem"].notna().sum() == 1


def test_explicit_inpatient_status_wins_and_says_so():
    from geoaccess.inputs.facilities import apply_inpatient_status

    fac = facilities.read_facilities(
        pd.DataFrame(
            {
                "facility_id": ["0012", "A", "B"],
                "name": ["P 12", "P A", "P B"],
                "type": ["puskesmas"] * 3,
                "inpatient": ["yes", "unknown", "no"],
                "lat": [-3.7, -3.8, -3.9],
                "lon": [103.7, 103.8, 103.9],
            }
        )
    )
    status = pd.DataFrame(
        {"facility_id": ["0012", "A"], "inpatient": ["tidak", "ya"], "source": ["Dinkes 2026", "SK"]}
    )
    out = apply_inpatient_status(fac, status)
    got = out.set_index("facility_id")
    assert got.loc["0012", "inpatient"] is False or got.loc["0012", "inpatient"] == False  # noqa: E712
    assert bool(got.loc["A", "inpatient"]) and got.loc["B", "inpatient"] == False  # noqa: E712
    assert got.loc["0012", "inpatient_source"] == "explicit: Dinkes 2026"
    assert got.loc["B", "inpatient_source"] == fac.set_index("facility_id").loc["B", "inpatient_source"]
    assert out.attrs["inpatient_changes"] == [
        "0012 (P 12): inpatient -> not inpatient",
        "A (P A): unknown -> inpatient",
    ]
    assert fac.set_index("facility_id").loc["0012", "inpatient"] == True  # noqa: E712  (input unchanged)
    with pytest.raises(InputValidationError, match="not in the facility table"):
        apply_inpatient_status(fac, pd.DataFrame({"facility_id": ["12"], "inpatient": ["no"]}))
    with pytest.raises(InputValidationError, match="yes / no / unknown"):
        apply_inpatient_status(fac, pd.DataFrame({"facility_id": ["A"], "inpatient": ["kadang"]}))


def test_bundled_evidence_replaces_the_code_digit(data_dir):
    import warnings

    from geoaccess.inputs import datasets

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        region = datasets.load("muara_enim", data_dir=data_dir)
    f = region.facilities.set_index("facility_id")
    # Tanjung Raya: code digit 1 (inpatient), a 2025 report says non-inpatient
    assert f.loc["F1603-PKM073", "inpatient"] == False  # noqa: E712
    assert f.loc["F1603-PKM073", "inpatient_source"].startswith("explicit: Koran Enim Ekspres")
    assert any(
        "F1603-PKM073 (Puskesmas Tanjung Raya): inpatient -> not inpatient" in str(w.message) for w in caught
    )
