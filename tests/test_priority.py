"""Tests of geoaccess.planning.priority: hand-computed scores and ranks, missing indicators, facilities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geoaccess.exceptions import GeoAccessWarning, InputValidationError
from geoaccess.planning import priority


def _three_kecamatan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["K1", "K2", "K3"],
            "people_beyond_60_min": [1000.0, 5000.0, 3000.0],
            "mean_travel_time_min": [20.0, 50.0, 80.0],
            "access_per_1000": [2.0, 1.0, 0.5],
        }
    )


def test_priority_by_hand():
    k = _three_kecamatan()
    before = k.copy()
    w = {"people_beyond_60_min": 0.5, "mean_travel_time_min": 0.3, "access_per_1000": 0.2}
    t = priority.priority_table(k, weights=w).set_index("name")
    # min-max, higher = priority:
    #   people beyond 60: (x - 1000) / 4000 -> K1 0, K2 1, K3 0.5
    #   mean time:        (x - 20) / 60     -> K1 0, K2 0.5, K3 1
    # lower = priority:
    #   access per 1000:  (2 - x) / 1.5     -> K1 0, K2 2/3, K3 1
    assert t["norm_people_beyond_60_min"].to_dict() == pytest.approx({"K1": 0, "K2": 1, "K3": 0.5})
    assert t["norm_access_per_1000"].to_dict() == pytest.approx({"K1": 0, "K2": 2 / 3, "K3": 1})
    # scores: K1 = 0
    #         K2 = 100 * (0.5*1 + 0.3*0.5 + 0.2*2/3) = 100 * 0.78333 = 78.333
    #         K3 = 100 * (0.5*0.5 + 0.3*1 + 0.2*1)   = 100 * 0.75    = 75.0
    assert t["priority_score"].to_dict() == pytest.approx({"K1": 0.0, "K2": 78.3333333, "K3": 75.0})
    assert t["rank"].to_dict() == {"K2": 1, "K3": 2, "K1": 3}
    # the table is sorted by rank; each indicator's points, by hand (100 * w * norm):
    #   K2: 50 (beyond 60), 15 (mean), 13.33 (access); K3: 25, 30, 20; K1: 0, 0, 0
    assert list(t.index) == ["K2", "K3", "K1"]
    assert t["points_people_beyond_60_min"].to_dict() == pytest.approx({"K1": 0, "K2": 50, "K3": 25})
    assert t["points_mean_travel_time_min"].to_dict() == pytest.approx({"K1": 0, "K2": 15, "K3": 30})
    assert t["points_access_per_1000"].to_dict() == pytest.approx({"K1": 0, "K2": 40 / 3, "K3": 20})
    assert t.attrs["priority_weights"] == pytest.approx(w)
    pd.testing.assert_frame_equal(k, before)


def test_default_weights_without_flood_data_renormalise_with_warning():
    with pytest.warns(GeoAccessWarning, match="flood_exposure"):
        t = priority.priority_table(_three_kecamatan()).set_index("name")
    # default 0.4 / 0.3 / 0.2 (+ 0.1 flood, missing) -> rescaled by 1 / 0.9:
    #   K2 = 100 * (0.4*1 + 0.3*0.5 + 0.2*2/3) / 0.9 = 100 * 0.683333 / 0.9 = 75.926
    #   K3 = 100 * (0.4*0.5 + 0.3*1 + 0.2*1) / 0.9   = 100 * 0.7 / 0.9      = 77.778
    assert t.loc["K2", "priority_score"] == pytest.approx(100 * 0.6833333333 / 0.9)
    assert t.loc["K3", "priority_score"] == pytest.approx(100 * 0.7 / 0.9)
    assert t["rank"].to_dict() == {"K3": 1, "K2": 2, "K1": 3}
    assert t.attrs["priority_weights"]["people_beyond_60_min"] == pytest.approx(0.4 / 0.9)
    assert "flood_exposure" not in t.attrs["priority_weights"]
    # weight 0 silences it (the filterwarnings=error config would fail otherwise)
    w = dict(priority.PRIORITY_WEIGHTS, flood_exposure=0.0)
    t0 = priority.priority_table(_three_kecamatan(), weights=w)
    assert t0["priority_score"].max() == pytest.approx(100 * 0.7 / 0.9)


def test_partly_missing_indicator_row_renormalised():
    k = _three_kecamatan()
    k.loc[2, "access_per_1000"] = np.nan  # K3 has no 2SFCA value
    w = {"people_beyond_60_min": 0.5, "mean_travel_time_min": 0.3, "access_per_1000": 0.2}
    with pytest.warns(GeoAccessWarning, match="access_per_1000"):
        t = priority.priority_table(k, weights=w).set_index("name")
    # access min-max over K1, K2 only: K1 (2-2)/1 = 0, K2 (2-1)/1 = 1
    # K2 = 100 * (0.5*1 + 0.3*0.5 + 0.2*1) = 85
    # K3 scored on the other two, weights 0.5 / 0.3 rescaled by 1 / 0.8:
    #   100 * (0.5*0.5 + 0.3*1) / 0.8 = 100 * 0.55 / 0.8 = 68.75
    assert t.loc["K2", "priority_score"] == pytest.approx(85.0)
    assert t.loc["K3", "priority_score"] == pytest.approx(68.75)
    assert t.loc["K3", "indicators_missing"] == "access_per_1000"
    assert t.loc["K2", "indicators_missing"] == ""


def test_constant_indicator_ties_and_custom_direction():
    k = pd.DataFrame(
        {
            "name": ["A", "B", "C"],
            "mean_travel_time_min": [30.0, 30.0, 30.0],
            "road_damage_km": [5.0, 5.0, 1.0],
        }
    )
    w = {"mean_travel_time_min": 0.5, "road_damage_km": 0.5}
    with pytest.raises(InputValidationError, match="road_damage_km"):
        priority.priority_table(k, weights=w)  # no known direction
    t = priority.priority_table(k, weights=w, indicators={"road_damage_km": "higher"})
    t = t.set_index("name")
    # constant time -> norm 0 everywhere; damage: A, B -> 1, C -> 0
    # A = B = 100 * 0.5 * 1 = 50 (tied, both rank 1); C = 0 (rank 3)
    assert t["priority_score"].to_dict() == pytest.approx({"A": 50.0, "B": 50.0, "C": 0.0})
    assert t["rank"].to_dict() == {"A": 1, "B": 1, "C": 3}


def test_weight_validation():
    with pytest.raises(InputValidationError, match=">= 0"):
        priority.priority_table(_three_kecamatan(), weights={"mean_travel_time_min": -1})
    with pytest.raises(InputValidationError, match="all weights are 0"):
        priority.priority_table(_three_kecamatan(), weights={"mean_travel_time_min": 0})
    with pytest.raises(InputValidationError, match="none of the weighted"):
        priority.priority_table(_three_kecamatan(), weights={"flood_exposure": 1})


def _facility_inputs():
    origins = pd.DataFrame(
        {
            "desa": ["o1", "o2", "o3", "o4"],
            "facility_id": ["F1", "F1", "F2", None],
            "travel_time_min": [10.0, 70.0, 20.0, np.nan],
            "population": [100.0, 300.0, 200.0, 50.0],
        }
    )
    facilities = pd.DataFrame(
        {"facility_id": ["F1", "F2", "F3"], "name": ["PKM A", "PKM B", "PKM C"], "staff": [8.0, 10.0, 5.0]}
    )
    return origins, facilities


def test_facility_catchment_summary_by_hand():
    origins, facilities = _facility_inputs()
    before = origins.copy()
    with pytest.warns(GeoAccessWarning, match="no nearest facility"):
        s = priority.facility_catchment_summary(origins, facilities).set_index("facility_id")
    # F1 serves o1 (100 at 10 min) and o2 (300 at 70 min): 400 people,
    #   mean (1000 + 21000) / 400 = 55 min, 300 beyond 60, 8 staff / 400 * 1000 = 20 per 1,000
    # F2 serves o3: 200 people, 20 min, 0 beyond, 10 / 200 * 1000 = 50 per 1,000
    # F3 serves nobody: 0 people, NaN mean, NaN staff per 1,000
    assert s.loc["F1", "population_served"] == 400
    assert s.loc["F1", "mean_travel_time_min"] == pytest.approx(55.0)
    assert s.loc["F1", "people_beyond_60_min"] == 300
    assert s.loc["F1", "share_beyond_60_min"] == pytest.approx(0.75)
    assert s.loc["F1", "staff_per_1000"] == pytest.approx(20.0)
    assert s.loc["F2", "staff_per_1000"] == pytest.approx(50.0)
    assert s.loc["F3", "population_served"] == 0
    assert np.isnan(s.loc["F3", "staff_per_1000"])
    pd.testing.assert_frame_equal(origins, before)


def test_facility_priority_by_hand():
    origins, facilities = _facility_inputs()
    w = {"population_served": 1, "people_beyond_60_min": 1, "staff_per_1000": 1}
    with pytest.warns(GeoAccessWarning):  # o4 unreachable; F3 has no staff ratio
        t = priority.facility_priority_table(origins, facilities, weights=w)
    t = t.set_index("facility_id")
    # norms: served 400/200/0 -> 1, 0.5, 0; beyond 300/0/0 -> 1, 0, 0;
    #        staff per 1000 (lower = priority) 20/50/NaN -> 1, 0, NaN
    # F1 = 100 * (1 + 1 + 1) / 3 = 100; F2 = 100 * 0.5 / 3 = 16.667;
    # F3 = 100 * (0 + 0) / (2/3 of the weight) = 0
    assert t["priority_score"].to_dict() == pytest.approx({"F1": 100.0, "F2": 50 / 3, "F3": 0.0})
    assert t["rank"].to_dict() == {"F1": 1, "F2": 2, "F3": 3}
    assert t.loc["F3", "indicators_missing"] == "staff_per_1000"


def test_defaults_documented_as_not_a_standard():
    assert sum(priority.PRIORITY_WEIGHTS.values()) == pytest.approx(1.0)
    assert sum(priority.FACILITY_PRIORITY_WEIGHTS.values()) == pytest.approx(1.0)
    assert "not a standard" in " ".join(priority.__doc__.split())


def test_exact_ties_share_a_rank():
    # three kecamatan with the same two indicators mirrored: each scores exactly 50
    df = pd.DataFrame(
        {
            "code": ["A", "B", "C", "D"],
            "people_beyond_60_min": [1.0, 0.0, 0.5, 0.0],
            "mean_travel_time_min": [0.0, 1.0, 0.5, 0.0],
        }
    )
    t = priority.priority_table(df, weights={"people_beyond_60_min": 0.5, "mean_travel_time_min": 0.5})
    r = t.set_index("code")["rank"]
    assert r["A"] == r["B"] == r["C"] == 1 and r["D"] == 4


# ----------------------------------------------------------------------------- data gaps


def test_data_gaps_by_hand():
    from geoaccess.planning.priority import kecamatan_data_gaps, mark_data_gaps, priority_table

    targets = pd.DataFrame({"code": ["K1", "K2", "K3"], "name": ["A", "B", "C"], "n_puskesmas": [1, 0, 1]})
    fac = pd.DataFrame(
        {
            "facility_id": ["P1", "P3", "H1"],
            "type": ["puskesmas", "puskesmas", "rs"],
            "assigned_kecamatan_code": ["K1", "K3", "K2"],
            "location_quality": ["source", "kecamatan_centroid", "kecamatan_centroid"],
            "staff": [10.0, np.nan, np.nan],
            "inpatient": pd.array([pd.NA, False, True], dtype="boolean"),
        }
    )
    gaps = kecamatan_data_gaps(targets, fac)
    # K1: inpatient unknown (no scored indicator); K2: no puskesmas; K3: relocated, no
    # staff (the hospital H1 at a centroid is not a puskesmas gap)
    assert gaps[["code", "gap"]].values.tolist() == [
        ["K1", "inpatient_unknown"],
        ["K2", "no_puskesmas"],
        ["K3", "no_staff"],
        ["K3", "placed_at_centroid"],
    ]
    summary = targets.assign(people_beyond_60_min=[10.0, 50.0, 30.0], flood_exposure=[0.2, 0.1, np.nan])
    with pytest.warns(GeoAccessWarning, match="flood_exposure"):
        table = priority_table(summary, weights={"people_beyond_60_min": 0.5, "flood_exposure": 0.5})
    out = mark_data_gaps(table, gaps).set_index("code")
    # B ranks first on people beyond 60 min, but its puskesmas is not in the data
    assert out.loc["K2", "rank"] == 1 and bool(out.loc["K2", "score_rests_on_gaps"])
    assert out.loc["K2", "data_gaps"] == "no puskesmas of this kecamatan in the data"
    # A: only its inpatient status is unknown, which the score does not use
    assert out.loc["K1", "data_gaps"] == "puskesmas P1: inpatient status unknown"
    assert not out.loc["K1", "score_rests_on_gaps"]
    # C: relocated puskesmas (people beyond 60 min rest on it) and no flood figure
    assert bool(out.loc["K3", "score_rests_on_gaps"])
    assert out.loc["K3", "data_gaps"] == (
        "puskesmas P3: no staff count (the 2SFCA uses the median); "
        "puskesmas P3: placed at a centroid (no coordinate); "
        "no figure for flood_exposure (scored on the other indicators)"
    )

    # no gap anywhere: nothing flagged (an empty gap table is valid)
    clean = mark_data_gaps(table, gaps.iloc[0:0])
    assert clean["data_gaps"].tolist() == [
        "",
        "",
        "no figure for flood_exposure (scored on the other indicators)",
    ]
    assert clean["score_rests_on_gaps"].tolist() == [False, False, True]
