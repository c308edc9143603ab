"""PMK 43/2019 rawat inap eligibility: hand-computed cases, the report of its effect, errors.

Every network here is a straight road at 20 km/h (car on a ``lokal`` road, no off-road
travel), so a site x km along the road from a hospital is 3x minutes away.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

import geoaccess as ga
from geoaccess.exceptions import EmptyInputError, InputValidationError, MissingColumnError
from geoaccess.planning import eligibility
from geoaccess.planning.eligibility import inpatient_eligibility

UTM = "EPSG:32748"


def pts(xs, index=None, **cols):
    return gpd.GeoDataFrame(cols, geometry=[Point(x, 0) for x in xs], crs=UTM, index=index)


@pytest.fixture(scope="module")
def road():
    """30 km of road at 20 km/h: 3 minutes per km."""
    roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, geometry=[LineString([(0, 0), (30_000, 0)])], crs=UTM)
    return ga.build_network(roads, "car", offroad=False)


@pytest.fixture(scope="module")
def rs():
    return pts([0.0], facility_id=["RS-A"])


def test_hospital_time_rule_by_hand(road, rs):
    # 10 km = 30 min, 19.9 km = 59.7 min, 20 km = 60 min (= threshold: far enough), 25 km = 75 min
    cand = pts([10_000, 19_900, 20_000, 25_000], index=["a", "b", "c", "d"], name=["A", "B", "C", "D"])
    out = inpatient_eligibility(cand, road, rs, min_hospital_time_min=60)
    assert list(out.index) == ["a", "b", "c", "d"]
    np.testing.assert_allclose(out["hospital_time_min"], [30.0, 59.7, 60.0, 75.0], atol=1e-6)
    assert out["eligible"].tolist() == [False, False, True, True]
    assert out["eligible"].dtype == bool
    assert out["nearest_hospital_id"].tolist() == ["RS-A"] * 4
    reasons = out["eligibility_reason"].tolist()
    assert reasons[0] == "hospital 30 min away < 60 min threshold; rural status not checked"
    # 59.7 would round to "60 min away < 60": the reason keeps the decimal instead
    assert reasons[1].startswith("hospital 59.7 min away < 60 min threshold")
    assert reasons[2].startswith("hospital 60 min away >= 60 min threshold")
    assert reasons[3].startswith("hospital 75 min away >= 60 min threshold")
    e = out.attrs["eligibility"]
    assert (e["n_candidates"], e["n_eligible"], e["n_dropped"]) == (4, 2, 2)
    assert e["dropped_by_reason"] == {"near a hospital (< 60 min)": 2}
    assert e["min_hospital_time_min"] == 60.0 and e["rural_checked"] is False
    assert "PMK 43/2019" in e["note"] and "2 of 4 candidates eligible" in e["note"]
    assert "rural status not checked" in e["note"]
    assert "no number" in e["sources"]["min_hospital_time_min"]  # the threshold is an assumption
    # the input is untouched
    assert list(cand.columns) == ["name", "geometry"]


def test_threshold_is_a_parameter(road, rs):
    cand = pts([10_000, 25_000])
    # 30 min: only a site at least 30 minutes from a hospital qualifies (both here)
    assert inpatient_eligibility(cand, road, rs, min_hospital_time_min=30)["eligible"].tolist() == [
        True,
        True,
    ]
    assert inpatient_eligibility(cand, road, rs, min_hospital_time_min=90)["eligible"].tolist() == [
        False,
        False,
    ]
    assert inpatient_eligibility(cand, road, rs)["eligible"].tolist() == [False, True]  # default 60
    off = inpatient_eligibility(cand, road, rs, min_hospital_time_min=None)
    assert off["eligible"].tolist() == [True, True]
    assert off["eligibility_reason"].iloc[0].startswith("hospital 30 min away (time rule not applied)")
    assert off.attrs["eligibility"]["dropped_by_reason"] == {}


def test_nearest_of_several_hospitals(road):
    hosp = pts([0.0, 30_000.0], facility_id=["RS-W", "RS-E"])
    # 12 km from the west one (36 min), 18 km from the east one (54 min); 26 km: 12 min east
    out = inpatient_eligibility(pts([12_000, 26_000]), road, hosp, min_hospital_time_min=30)
    np.testing.assert_allclose(out["hospital_time_min"], [36.0, 12.0], atol=1e-6)
    assert out["nearest_hospital_id"].tolist() == ["RS-W", "RS-E"]
    assert out["eligible"].tolist() == [True, False]


def test_rural_rule_and_overlapping_reasons(road, rs):
    # times 30, 75, 75, 75, 30 min; rural True, False, unknown, True, False
    cand = pts(
        [10_000, 25_000, 25_000, 25_000, 10_000], rural=pd.array([True, False, None, True, False], "boolean")
    )
    out = inpatient_eligibility(cand, road, rs, rural="rural")
    assert out["eligible"].tolist() == [False, False, True, True, False]
    r = out["eligibility_reason"].tolist()
    assert r[0] == "hospital 30 min away < 60 min threshold; rural area"
    assert r[1] == "hospital 75 min away >= 60 min threshold; urban area (perkotaan)"
    assert r[2] == "hospital 75 min away >= 60 min threshold; rural status unknown (kept: check it)"
    assert r[4] == "hospital 30 min away < 60 min threshold; urban area (perkotaan)"
    e = out.attrs["eligibility"]
    # the last candidate fails both rules: counted under each, dropped once
    assert e["dropped_by_reason"] == {"near a hospital (< 60 min)": 2, "urban area (perkotaan)": 2}
    assert (e["n_eligible"], e["n_dropped"], e["kept_unknown_rural"]) == (2, 3, 1)
    assert "1 with unknown rural status kept" in e["note"]

    strict = inpatient_eligibility(cand, road, rs, rural="rural", unknown_rural="drop")
    assert strict["eligible"].tolist() == [False, False, False, True, False]
    assert strict["eligibility_reason"].iloc[2].endswith("rural status unknown (dropped)")
    assert strict.attrs["eligibility"]["dropped_by_reason"]["rural status unknown"] == 1
    assert strict.attrs["eligibility"]["n_dropped"] == 4


def test_rural_as_list_or_series(road, rs):
    cand = pts([25_000, 25_000, 25_000], index=[10, 20, 30])
    by_list = inpatient_eligibility(cand, road, rs, rural=[True, False, np.nan])
    assert by_list["eligible"].tolist() == [True, False, True]
    # a Series is aligned on the candidates' index, not by position
    s = pd.Series([None, False, True], index=[30, 20, 10])
    assert inpatient_eligibility(cand, road, rs, rural=s)["eligible"].tolist() == [True, False, True]
    assert inpatient_eligibility(cand, road, rs, rural=[1, 0, 1])["eligible"].tolist() == [True, False, True]
    with pytest.raises(InputValidationError, match="no value for 1 candidates"):
        inpatient_eligibility(cand, road, rs, rural=pd.Series([True, True], index=[10, 20]))
    with pytest.raises(InputValidationError, match="perkotaan"):
        inpatient_eligibility(cand, road, rs, rural=["desa", "kota", None])
    with pytest.raises(InputValidationError, match="one per candidate"):
        inpatient_eligibility(cand, road, rs, rural=[True, False])
    with pytest.raises(MissingColumnError):
        inpatient_eligibility(cand, road, rs, rural="perdesaan")


def test_no_hospital_reachable_counts_as_far():
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal", "lokal"]},
        geometry=[LineString([(0, 0), (5_000, 0)]), LineString([(0, 50_000), (5_000, 50_000)])],
        crs=UTM,
    )
    net = ga.build_network(roads, "car", offroad=False)
    hosp = pts([0.0], facility_id=["RS-A"])
    cand = gpd.GeoDataFrame(geometry=[Point(3_000, 0), Point(3_000, 50_000)], crs=UTM)
    out = inpatient_eligibility(cand, net, hosp)
    assert np.isclose(out["hospital_time_min"].iloc[0], 9.0) and np.isnan(out["hospital_time_min"].iloc[1])
    assert out["eligible"].tolist() == [False, True]
    assert (
        out["eligibility_reason"].iloc[1].startswith("no hospital reachable on this network (counts as far)")
    )
    assert pd.isna(out["nearest_hospital_id"].iloc[1])
    assert out.attrs["eligibility"]["no_hospital_reachable"] == 1
    assert "1 reach no hospital" in out.attrs["eligibility"]["note"]


def test_any_crs_and_one_search(road, rs, monkeypatch):
    cand = pts([10_000, 25_000]).to_crs("EPSG:4326")
    calls = []
    real = eligibility.nearest

    def counting(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(eligibility, "nearest", counting)
    out = inpatient_eligibility(cand, road, rs)
    assert len(calls) == 1  # one multi-source search from the hospitals, whatever the candidates
    assert out.crs == cand.crs
    np.testing.assert_allclose(out["hospital_time_min"], [30.0, 75.0], atol=1e-3)


def test_errors(road, rs):
    cand = pts([10_000])
    with pytest.raises(EmptyInputError):
        inpatient_eligibility(cand.iloc[:0], road, rs)
    with pytest.raises(EmptyInputError, match="hospitals"):
        inpatient_eligibility(cand, road, rs.iloc[:0])
    with pytest.raises(InputValidationError, match="already have"):
        inpatient_eligibility(cand.assign(eligible=True), road, rs)
    with pytest.raises(InputValidationError):
        inpatient_eligibility(cand, road, rs, unknown_rural="maybe")
    with pytest.raises(InputValidationError):
        inpatient_eligibility(cand, road, rs, min_hospital_time_min=-5)
    with pytest.raises(InputValidationError):
        inpatient_eligibility(pd.DataFrame({"x": [1]}), road, rs)


def test_top_level_and_site_for_targets_column(road, rs):
    assert ga.inpatient_eligibility is inpatient_eligibility
    assert "inpatient_eligibility" in ga.__all__
    # the flag feeds site_for_targets' eligible_col: only the far site may serve the target
    homes = pts([10_000, 25_000], population=[100.0, 100.0])
    cand = pts([10_000, 25_000], index=["near", "far"], kecamatan=["K", "K"], kind=["new", "new"])
    flagged = inpatient_eligibility(cand, road, rs)
    plan = ga.site_for_targets(
        road, homes, rs.assign(kecamatan="other"), flagged, groups=["K"], k=1, eligible_col="eligible"
    )
    assert list(plan.index) == ["far"]
