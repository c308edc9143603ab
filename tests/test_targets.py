"""Tests of geoaccess.analysis.targets: kecamatan assignment, PP 47/2016 and inpatient targets."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geoaccess.analysis import targets
from geoaccess.exceptions import GeoAccessWarning, InputValidationError

CRS = "EPSG:32748"  # UTM 48S, metres (South Sumatra)


def _kecamatan() -> gpd.GeoDataFrame:
    # three 10 km squares side by side: K1 [0, 10 km], K2 [10, 20 km], K3 [20, 30 km]
    return gpd.GeoDataFrame(
        {"code": ["K1", "K2", "K3"], "name": ["Lawang Kidul", "Tanjung Agung", "Semende Darat"]},
        geometry=[box(0, 0, 10_000, 10_000), box(10_000, 0, 20_000, 10_000), box(20_000, 0, 30_000, 10_000)],
        crs=CRS,
    )


def _facilities() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "facility_id": ["P1", "P2", "P3", "P4", "P5", "H1"],
            "type": ["puskesmas", "puskesmas", "puskesmas", "puskesmas", "puskesmas", "rs"],
            "inpatient": pd.array([True, pd.NA, False, False, True, True], dtype="boolean"),
            # P3's column says K1 but its point is in K2 (the point wins);
            # P4 has no point, so its column is used
            "kecamatan_code": ["K1", "K2", "K1", "K1", None, "K3"],
        },
        geometry=[
            Point(5_000, 5_000),  # P1 in K1
            Point(15_000, 5_000),  # P2 in K2
            Point(12_000, 2_000),  # P3 in K2
            None,  # P4: no coordinate
            Point(50_000, 5_000),  # P5 outside every kecamatan (neighbouring kabupaten)
            Point(25_000, 5_000),  # H1 (hospital) in K3
        ],
        crs=CRS,
    )


def test_assignment_methods_recorded_per_row():
    fac, kec = _facilities(), _kecamatan()
    before_f, before_k = fac.copy(), kec.copy()
    a = targets.assign_facilities_to_kecamatan(fac, kec).set_index("facility_id")
    assert a.loc["P1", "kecamatan_assigned_by"] == "point_in_polygon"
    assert a.loc["P3", "assigned_kecamatan_code"] == "K2"
    assert not a.loc["P3", "kecamatan_column_agrees"]  # column said K1
    assert a.loc["P4", "kecamatan_assigned_by"] == "code_column"
    assert a.loc["P4", "assigned_kecamatan_code"] == "K1"
    assert a.loc["P5", "kecamatan_assigned_by"] == "outside_boundaries"
    assert pd.isna(a.loc["P5", "assigned_kecamatan_code"])
    assert a.loc["H1", "assigned_kecamatan_name"] == "Semende Darat"
    pd.testing.assert_frame_equal(fac, before_f)
    pd.testing.assert_frame_equal(kec, before_k)


def test_assignment_by_name_and_other_crs():
    # plain DataFrame (no geometry): names matched ignoring case and spaces
    fac = pd.DataFrame(
        {
            "facility_id": ["A", "B"],
            "type": ["puskesmas"] * 2,
            "kec": ["  lawang  KIDUL", "Nowhere"],
        }
    )
    with pytest.warns(GeoAccessWarning, match="could not be placed"):
        a = targets.assign_facilities_to_kecamatan(
            fac, _kecamatan(), facility_kecamatan_col="kec", facility_kecamatan_by="name"
        )
    assert a["assigned_kecamatan_code"].tolist()[0] == "K1"
    assert a["kecamatan_assigned_by"].tolist() == ["name_column", "unassigned"]
    # facilities in lon/lat are reprojected to the kecamatan CRS before the join
    fac4326 = _facilities().to_crs("EPSG:4326")
    b = targets.assign_facilities_to_kecamatan(fac4326, _kecamatan())
    assert b.set_index("facility_id").loc["P2", "assigned_kecamatan_code"] == "K2"


def test_kecamatan_targets_hand_case():
    summary = pd.DataFrame(
        {
            "code": ["K1", "K2", "K3"],
            "population": [10_000.0, 25_000.0, 8_000.0],
            "mean_travel_time_min": [12.0, 35.0, 80.0],
            "people_beyond_60_min": [0.0, 2_000.0, 6_000.0],
        }
    )
    t = targets.kecamatan_targets(_kecamatan(), _facilities(), summary).set_index("code")
    # K1: P1 (inpatient) + P4 (by code column, not inpatient) -> 2 puskesmas, 1 inpatient
    assert t.loc["K1", "n_puskesmas"] == 2
    assert t.loc["K1", "n_inpatient"] == 1
    assert bool(t.loc["K1", "meets_pp47_2016"]) is True
    assert t["meets_inpatient_target"].tolist()[0] is True
    # K2: P2 (unknown) + P3 (no) -> 2 puskesmas, 0 known inpatient, 1 unknown -> <NA>
    assert t.loc["K2", "n_puskesmas"] == 2
    assert t.loc["K2", "n_inpatient"] == 0
    assert t.loc["K2", "n_inpatient_unknown"] == 1
    assert pd.isna(t.loc["K2", "meets_inpatient_target"])  # unknown, never False
    # K3: only a hospital -> fails PP 47/2016 and the inpatient puskesmas target
    assert t.loc["K3", "n_puskesmas"] == 0
    assert t.loc["K3", "n_hospital"] == 1
    assert bool(t.loc["K3", "meets_pp47_2016"]) is False
    assert t["meets_inpatient_target"].tolist()[2] is False
    assert str(t["meets_inpatient_target"].dtype) == "boolean"
    assert t.loc["K3", "mean_travel_time_min"] == 80.0
    assert isinstance(t, gpd.GeoDataFrame)


def test_hospitals_can_count_for_inpatient_target():
    t = targets.kecamatan_targets(_kecamatan(), _facilities(), inpatient_types=("puskesmas", "rs")).set_index(
        "code"
    )
    assert bool(t.loc["K3", "meets_inpatient_target"]) is True
    assert bool(t.loc["K3", "meets_pp47_2016"]) is False  # still no puskesmas


def test_failing_kecamatan():
    summary = pd.DataFrame({"code": ["K1", "K2", "K3"], "population": [1.0, 3.0, 2.0]})
    t = targets.kecamatan_targets(_kecamatan(), _facilities(), summary)
    f = targets.failing_kecamatan(t)
    # K2 (unknown inpatient status, population 3) before K3 (fails both, population 2)
    assert f["code"].tolist() == ["K2", "K3"]
    k3 = f.set_index("code").loc["K3", "failed_targets"]
    assert "PP 47/2016" in k3 and "inpatient" in k3
    assert "unknown" in f.set_index("code").loc["K2", "failed_targets"]
    assert targets.failing_kecamatan(t, include_unknown=False)["code"].tolist() == ["K3"]
    assert targets.failing_kecamatan(t, target="pp47_2016")["code"].tolist() == ["K3"]


def test_inpatient_strings_missing_column_and_bad_values():
    fac = pd.DataFrame(
        {
            "facility_id": ["A", "B", "C"],
            "type": ["Puskesmas", "puskesmas", "puskesmas"],
            "inpatient": ["true", "unknown", "tidak"],
            "kecamatan_code": ["K1", "K2", "K3"],
        }
    )
    t = targets.kecamatan_targets(_kecamatan(), fac).set_index("code")
    assert t["n_inpatient"].tolist() == [1, 0, 0]
    assert t["n_inpatient_unknown"].tolist() == [0, 1, 0]
    assert bool(t.loc["K3", "meets_inpatient_target"]) is False
    with pytest.warns(GeoAccessWarning, match="unknown"):
        t2 = targets.kecamatan_targets(_kecamatan(), fac.drop(columns="inpatient"))
    assert t2["meets_inpatient_target"].isna().all()  # unknown, not False
    with pytest.raises(InputValidationError, match="maybe"):
        targets.kecamatan_targets(_kecamatan(), fac.assign(inpatient=["maybe", "true", "true"]))


def test_summary_missing_kecamatan_warns():
    summary = pd.DataFrame({"code": ["K1", "K2"], "population": [1.0, 2.0]})
    with pytest.warns(GeoAccessWarning, match="K3"):
        t = targets.kecamatan_targets(_kecamatan(), _facilities(), summary)
    assert pd.isna(t.set_index("code").loc["K3", "population"])


def test_sources_cited():
    doc = " ".join(targets.__doc__.split())
    assert "Nomor 47 Tahun 2016" in doc and "Pasal 11" in doc
    assert "Nomor 43 Tahun 2019" in doc
    assert "as stated in the geoaccess issue" in doc


def test_muara_enim_shared_data(data_dir):
    """Real data: the 2 kecamatan whose new puskesmas are in no dataset fail PP 47/2016.

    facilities/SOURCES.md: Empat Petulai Dangku and Panang Enim got their puskesmas
    after every source was compiled; no source gives a rawat-inap flag, so the
    inpatient target is unknown (<NA>) wherever a puskesmas exists.
    """
    kec = gpd.read_file(data_dir / "boundaries" / "kecamatan.geojson")
    kec = kec[kec["kabupaten_code"].astype(str) == "16.03"]
    fac = pd.read_csv(data_dir / "facilities" / "facilities_4kab.csv")
    fac = fac[fac["kab_code"] == 1603]
    usable = fac["coord_usable"].fillna(False).astype(bool).to_numpy()
    pts = gpd.points_from_xy(fac["lon"], fac["lat"])
    geom = gpd.GeoSeries(
        [p if u else None for p, u in zip(pts, usable, strict=True)], index=fac.index, crs="EPSG:4326"
    )
    fac = gpd.GeoDataFrame(fac, geometry=geom)
    # one hospital has neither a usable coordinate nor a kecamatan name
    with pytest.warns(GeoAccessWarning, match="could not be placed"):
        t = targets.kecamatan_targets(
            kec, fac, facility_kecamatan_col="kecamatan", facility_kecamatan_by="name"
        )
    assert len(t) == 22
    failing = set(t.loc[~t["meets_pp47_2016"], "name"])
    assert failing == {"Empat Petulai Dangku", "Panang Enim"}
    has_pkm = t["n_puskesmas"] > 0
    assert t.loc[has_pkm, "meets_inpatient_target"].isna().all()
    assert t["n_inpatient"].sum() == 0


def _with_unplaced_puskesmas() -> gpd.GeoDataFrame:
    """The test facilities plus P9: a puskesmas with neither a location nor a kecamatan."""
    p9 = gpd.GeoDataFrame(
        {
            "facility_id": ["P9"],
            "type": ["puskesmas"],
            "inpatient": pd.array([pd.NA], dtype="boolean"),
            "kecamatan_code": [None],
        },
        geometry=[None],
        crs=CRS,
    )
    return pd.concat([_facilities(), p9], ignore_index=True)


def test_unplaced_puskesmas_make_shortfalls_unknown():
    # a puskesmas with neither a location nor a kecamatan might be in any kecamatan that
    # falls short: K3 (no puskesmas placed there) becomes unknown, never "fails"
    fac = _with_unplaced_puskesmas()
    with pytest.warns(GeoAccessWarning, match="could not be placed"):
        t = targets.kecamatan_targets(_kecamatan(), fac).set_index("code")
    assert bool(t.loc["K1", "meets_pp47_2016"]) is True
    assert pd.isna(t.loc["K3", "meets_pp47_2016"])
    assert pd.isna(t.loc["K3", "meets_inpatient_target"])
    assert t.loc["K1", "meets_inpatient_target"] is True or bool(t.loc["K1", "meets_inpatient_target"])


def test_failing_kecamatan_reports_unknown_pp47_and_float_codes_match():
    fac = _with_unplaced_puskesmas()
    with pytest.warns(GeoAccessWarning, match="could not be placed"):
        t = targets.kecamatan_targets(_kecamatan(), fac)
    f = targets.failing_kecamatan(t).set_index("code")
    assert "PP 47/2016: unknown" in f.loc["K3", "failed_targets"]
    # numeric codes read with a blank become floats: 1603010.0 must still match "1603010"
    assert targets._norm_code(1603010.0) == "1603010" and targets._norm_code("16.03.01") == "16.03.01"
