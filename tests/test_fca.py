"""Tests of geoaccess.analysis.fca: hand-worked 2SFCA / E2SFCA and a cross-check against PySAL access.

The hand-worked tests stand alone: their expected values are worked out in the comments
and do not need PySAL. The cross-check tests take the ``pysal_access`` fixture (``access``
is a dev dependency: skipped locally when absent, a failure under ``CI=true``).

Conventions aligned for the cross-check (see the fca module docstring):

* geoaccess returns supply per 1,000 people, PySAL supply per person -> divide ours by 1000;
* origins with no facility in reach are 0 in geoaccess and NaN in PySAL -> fill PySAL with 0;
* PySAL ``normalize=True`` divides by the population-weighted mean access -> shown below;
* both include the catchment edge (``cost <= max_cost``) and apply the weight in both steps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import require_module

from geoaccess.analysis import fca
from geoaccess.exceptions import GeoAccessWarning, InputValidationError, NonUniqueIDError


@pytest.fixture(scope="module")
def pysal_access():
    """The PySAL ``access`` package, for the cross-check tests only."""
    return require_module("access", "the cross-check against PySAL access")


def _hand_inputs():
    # 3 origins (A 1000, B 2000, C 500 people), 2 puskesmas (X 10 staff, Y 5 staff)
    cost = pd.DataFrame(
        {
            "origin_id": ["A", "A", "B", "B", "C", "C"],
            "facility_id": ["X", "Y", "X", "Y", "X", "Y"],
            "travel_time_min": [10.0, 50.0, 25.0, 20.0, 70.0, 15.0],
        }
    )
    demand = pd.Series({"A": 1000.0, "B": 2000.0, "C": 500.0})
    supply = pd.Series({"X": 10.0, "Y": 5.0})
    return cost, demand, supply


def test_two_step_fca_hand_case():
    cost, demand, supply = _hand_inputs()
    before = (cost.copy(), demand.copy(), supply.copy())
    a = fca.two_step_fca(cost, demand, supply, threshold_min=30)
    # Step 1 (catchment <= 30 min):
    #   X reaches A (10) and B (25): 1000 + 2000 = 3000 people -> R_X = 10 / 3000
    #   Y reaches B (20) and C (15): 2000 + 500  = 2500 people -> R_Y =  5 / 2500 = 0.002
    # Step 2, per 1,000 people:
    #   A: R_X          = 0.0033333 -> 3.3333 staff per 1,000
    #   B: R_X + R_Y    = 0.0053333 -> 5.3333
    #   C: R_Y          = 0.002     -> 2.0
    assert a.name == "access_per_1000"
    assert a.to_dict() == pytest.approx({"A": 10 / 3, "B": 10 / 3 + 2, "C": 2.0})
    # all supply is inside some catchment, so sum(A_i * P_i) / 1000 = total staff = 15
    assert float((a * demand).sum() / 1000) == pytest.approx(15.0)
    pd.testing.assert_frame_equal(cost, before[0])
    pd.testing.assert_series_equal(demand, before[1])
    pd.testing.assert_series_equal(supply, before[2])


def test_enhanced_two_step_fca_hand_case():
    cost, demand, supply = _hand_inputs()
    e = fca.enhanced_two_step_fca(cost, demand, supply, threshold_min=30)
    # Luo & Qi weights for 30 min: <=10 -> 1.00, <=20 -> 0.68, <=30 -> 0.22
    #   A-X 10 -> 1.00 (edge inclusive); B-X 25 -> 0.22; B-Y 20 -> 0.68; C-Y 15 -> 0.68
    # Step 1: D_X = 1.00*1000 + 0.22*2000 = 1440       -> R_X = 10 / 1440
    #         D_Y = 0.68*2000 + 0.68*500  = 1700       -> R_Y =  5 / 1700
    # Step 2: A = 1.00 * R_X                = 0.0069444 -> 6.9444 per 1,000
    #         B = 0.22 * R_X + 0.68 * R_Y   = 0.0015278 + 0.0020000 -> 3.5278
    #         C = 0.68 * R_Y                = 0.0020000 -> 2.0
    assert e["A"] == pytest.approx(1000 * 10 / 1440)
    assert e["B"] == pytest.approx(1000 * (0.22 * 10 / 1440 + 0.68 * 5 / 1700))
    assert e["C"] == pytest.approx(2.0)


def test_unreachable_and_out_of_catchment_origins_get_zero():
    cost, demand, supply = _hand_inputs()
    demand = pd.concat([demand, pd.Series({"D": 300.0})])
    cost = pd.concat(
        [
            cost,
            pd.DataFrame(
                {"origin_id": ["D", "D"], "facility_id": ["X", "Y"], "travel_time_min": [np.nan, 45.0]}
            ),
        ],
        ignore_index=True,
    )
    a = fca.two_step_fca(cost, demand, supply, threshold_min=30)
    # D: X unreachable (NaN), Y at 45 > 30 min -> nothing in reach -> 0, and the
    # others are unchanged
    assert a["D"] == 0.0
    assert a["A"] == pytest.approx(10 / 3)


def test_decay_functions():
    f = fca.step_decay(60)  # Luo & Qi zones scaled x2: 0-20, 20-40, 40-60
    assert f(np.array([0.0, 20.0, 20.5, 40.0, 59.9, 60.0, 60.1, np.nan])).tolist() == [
        1.0,
        1.0,
        0.68,
        0.68,
        0.22,
        0.22,
        0.0,
        0.0,
    ]
    g = fca.gaussian_decay(30)
    # Dai (2010): W(15) = (exp(-0.125) - exp(-0.5)) / (1 - exp(-0.5))
    expected = (np.exp(-0.125) - np.exp(-0.5)) / (1 - np.exp(-0.5))
    np.testing.assert_allclose(g(np.array([0.0, 15.0, 30.0, 45.0])), [1.0, expected, 0.0, 0.0])


def test_validation_and_warnings():
    cost, demand, supply = _hand_inputs()
    with pytest.raises(NonUniqueIDError):
        fca.two_step_fca(pd.concat([cost, cost.head(1)]), demand, supply, threshold_min=30)
    with pytest.raises(InputValidationError, match="no population"):
        fca.two_step_fca(cost, demand.astype(float).where(demand.index != "A"), supply, threshold_min=30)
    with pytest.raises(InputValidationError, match="threshold_min"):
        fca.two_step_fca(cost, demand, supply, threshold_min=0)
    with pytest.raises(InputValidationError, match="same ids"):
        fca.two_step_fca(cost, demand.set_axis([1, 2, 3]), supply, threshold_min=30)
    with pytest.raises(InputValidationError, match="weights"):
        fca.enhanced_two_step_fca(cost, demand, supply, threshold_min=30, weights="linear")
    # an origin in cost without demand is ignored, with a warning
    extra = pd.concat(
        [cost, pd.DataFrame({"origin_id": ["Z"], "facility_id": ["X"], "travel_time_min": [5.0]})],
        ignore_index=True,
    )
    with pytest.warns(GeoAccessWarning, match="Z"):
        fca.two_step_fca(extra, demand, supply, threshold_min=30)
    # a facility with staff but nobody in its catchment: warned, supply reaches no one
    lonely = pd.concat(
        [cost, pd.DataFrame({"origin_id": ["A"], "facility_id": ["W"], "travel_time_min": [90.0]})],
        ignore_index=True,
    )
    sup = pd.concat([supply, pd.Series({"W": 3.0})])
    cost_w = pd.concat(
        [lonely, pd.DataFrame({"origin_id": ["Q"], "facility_id": ["W"], "travel_time_min": [5.0]})],
        ignore_index=True,
    )
    dem = pd.concat([demand, pd.Series({"Q": 0.0})])
    with pytest.warns(GeoAccessWarning, match="nobody"):
        a = fca.two_step_fca(cost_w, dem, sup, threshold_min=30)
    assert a["Q"] == 0.0


# ---------------------------------------------------------------------------
# cross-check against PySAL access on the same seeded random inputs
# ---------------------------------------------------------------------------


def _random_inputs(seed: int = 20240917):
    rng = np.random.default_rng(seed)
    origins = [f"desa{i:03d}" for i in range(60)]
    facilities = [f"pkm{j:02d}" for j in range(9)]
    demand = pd.Series(rng.uniform(200, 6000, len(origins)), index=origins)
    supply = pd.Series(rng.integers(2, 40, len(facilities)).astype(float), index=facilities)
    rows = [(o, f, rng.uniform(0, 100)) for o in origins for f in facilities]
    cost = pd.DataFrame(rows, columns=["origin_id", "facility_id", "travel_time_min"])
    # a sparse table, as a bounded search gives: drop 30 % of the pairs
    cost = cost[rng.uniform(size=len(cost)) > 0.3].reset_index(drop=True)
    # one origin with nothing in reach (PySAL gives NaN, geoaccess 0)
    cost.loc[cost["origin_id"] == "desa000", "travel_time_min"] += 200.0
    return cost, demand, supply


def _pysal(access, cost, demand, supply):
    return access.Access(
        demand_df=demand.rename("pop").rename_axis("origin_id").reset_index(),
        demand_index="origin_id",
        demand_value="pop",
        supply_df=supply.rename("staff").rename_axis("facility_id").reset_index(),
        supply_index="facility_id",
        supply_value="staff",
        cost_df=cost,
        cost_origin="origin_id",
        cost_dest="facility_id",
        cost_name="travel_time_min",
    )


def _aligned(pysal_frame: pd.DataFrame, col: str, index: pd.Index) -> pd.Series:
    # PySAL: per person, NaN where nothing is in reach -> per 1,000, 0
    return pysal_frame[col].reindex(index).fillna(0.0) * 1000.0


@pytest.mark.parametrize("threshold", [30.0, 45.0, 60.0])
def test_two_step_fca_matches_pysal(pysal_access, threshold):
    cost, demand, supply = _random_inputs()
    ours = fca.two_step_fca(cost, demand, supply, threshold_min=threshold)
    ref = _aligned(
        _pysal(pysal_access, cost, demand, supply).two_stage_fca(name="t", max_cost=threshold),
        "t_staff",
        demand.index,
    )
    assert ours["desa000"] == 0.0
    np.testing.assert_allclose(ours.to_numpy(), ref.to_numpy(), rtol=1e-9, atol=0)


@pytest.mark.parametrize("threshold", [30.0, 60.0])
def test_enhanced_two_step_fca_step_matches_pysal(pysal_access, threshold):
    cost, demand, supply = _random_inputs()
    ours = fca.enhanced_two_step_fca(cost, demand, supply, threshold_min=threshold)
    k = threshold / 30.0  # Luo & Qi zones scaled to the catchment
    fn = pysal_access.weights.step_fn({10 * k: 1.0, 20 * k: 0.68, 30 * k: 0.22})
    a = _pysal(pysal_access, cost, demand, supply)
    ref = a.enhanced_two_stage_fca(name="e", max_cost=threshold, weight_fn=fn)
    np.testing.assert_allclose(
        ours.to_numpy(), _aligned(ref, "e_staff", demand.index).to_numpy(), rtol=1e-9, atol=0
    )
    if threshold == 30.0:  # PySAL's own default weights are the same Luo & Qi zones
        ref_default = a.enhanced_two_stage_fca(name="d", max_cost=30.0)
        np.testing.assert_allclose(
            ours.to_numpy(),
            _aligned(ref_default, "d_staff", demand.index).to_numpy(),
            rtol=1e-9,
            atol=0,
        )


def test_enhanced_two_step_fca_gaussian_matches_pysal(pysal_access):
    cost, demand, supply = _random_inputs()
    decay = fca.gaussian_decay(60.0)
    ours = fca.enhanced_two_step_fca(cost, demand, supply, threshold_min=60, weights="gaussian")
    # PySAL applies weight_fn to one cost at a time: wrap the same function
    ref = _pysal(pysal_access, cost, demand, supply).two_stage_fca(
        name="g", max_cost=60.0, weight_fn=lambda t: float(decay(np.array([t]))[0])
    )
    np.testing.assert_allclose(
        ours.to_numpy(), _aligned(ref, "g_staff", demand.index).to_numpy(), rtol=1e-9, atol=0
    )


def _zone_edge_inputs():
    # travel times exactly on the zone edges 10 / 20 / 30 min, and just past the catchment
    cost = pd.DataFrame(
        {
            "origin_id": ["a", "b", "c", "d"],
            "facility_id": ["x", "x", "x", "x"],
            "travel_time_min": [10.0, 20.0, 30.0, 30.000001],
        }
    )
    demand = pd.Series({"a": 100.0, "b": 200.0, "c": 300.0, "d": 400.0})
    supply = pd.Series({"x": 6.0})
    return cost, demand, supply


def test_zone_edges_inclusive_hand_case():
    ours = fca.enhanced_two_step_fca(*_zone_edge_inputs(), threshold_min=30)
    # edges inclusive: a (10) -> 1.00, b (20) -> 0.68, c (30) -> 0.22, d (30.000001) outside
    # D_x = 1*100 + 0.68*200 + 0.22*300 = 100 + 136 + 66 = 302; R_x = 6 / 302 staff per person
    # A_i = w_i * R_x, per 1,000 people
    assert ours.to_dict() == pytest.approx(
        {"a": 1000 * 6 / 302, "b": 1000 * 0.68 * 6 / 302, "c": 1000 * 0.22 * 6 / 302, "d": 0.0}
    )


def test_zone_edges_inclusive_like_pysal(pysal_access):
    cost, demand, supply = _zone_edge_inputs()
    ours = fca.enhanced_two_step_fca(cost, demand, supply, threshold_min=30)
    ref = _pysal(pysal_access, cost, demand, supply).enhanced_two_stage_fca(name="e", max_cost=30)
    np.testing.assert_allclose(
        ours.to_numpy(), _aligned(ref, "e_staff", demand.index).to_numpy(), rtol=1e-9, atol=0
    )


def test_pysal_normalisation_reproduced(pysal_access):
    cost, demand, supply = _random_inputs()
    ours = fca.two_step_fca(cost, demand, supply, threshold_min=45)
    ref = _pysal(pysal_access, cost, demand, supply).two_stage_fca(name="n", max_cost=45, normalize=True)
    # PySAL normalize=True: access / population-weighted mean access, where the mean is
    # sum(A_i P_i) (NaN rows skipped) / sum(P_i) (all rows); our 0 rows add nothing to
    # the numerator either, so the two means agree
    mean = np.average(ours, weights=demand.reindex(ours.index))
    expected = ours / mean
    got = ref["n_staff"].reindex(demand.index)
    reached = got.notna()
    np.testing.assert_allclose(got[reached], expected[reached], rtol=1e-9, atol=0)


def test_access_by_group_hand_case():
    cost, demand, supply = _hand_inputs()
    a = fca.two_step_fca(cost, demand, supply, threshold_min=30)
    groups = pd.Series({"A": "K1", "B": "K1", "C": "K2"}, name="kecamatan_code")
    g = fca.access_by_group(a, demand, groups).set_index("kecamatan_code")
    # K1: A = 10/3, B = 10/3 + 2 = 16/3 per 1,000:
    #     (1000 * 10/3 + 2000 * 16/3) / 3000 = (3333.3 + 10666.7) / 3000 = 4.6667 per 1,000,
    #     i.e. K1's 3000 people hold 14 of the 15 staff; K2's 500 people hold 1 (2 per 1,000)
    assert g.loc["K1", "access_per_1000"] == pytest.approx((1000 * 10 / 3 + 2000 * 16 / 3) / 3000)
    assert g.loc["K2", "access_per_1000"] == pytest.approx(2.0)
    assert g.loc["K1", "population"] == 3000
    assert g["people_no_supply_in_reach"].sum() == 0


def test_access_by_group_counts_people_with_nothing_in_reach():
    cost, demand, supply = _hand_inputs()
    # D (300 people) only has Y at 45 min > 30: nothing in reach, access 0
    demand = pd.concat([demand, pd.Series({"D": 300.0})])
    cost = pd.concat(
        [cost, pd.DataFrame({"origin_id": ["D"], "facility_id": ["Y"], "travel_time_min": [45.0]})],
        ignore_index=True,
    )
    a = fca.two_step_fca(cost, demand, supply, threshold_min=30)
    groups = pd.Series({"A": "K1", "B": "K1", "C": "K2", "D": "K2"}, name="kecamatan_code")
    g = fca.access_by_group(a, demand, groups).set_index("kecamatan_code")
    # catchments unchanged (D is outside both), so C = 2.0 per 1,000 as before;
    # K2 = (500 * 2.0 + 300 * 0) / 800 = 1.25 per 1,000, with 300 people having nothing in reach
    assert g.loc["K2", "access_per_1000"] == pytest.approx(1.25)
    assert g.loc["K2", "population"] == 800
    assert g["people_no_supply_in_reach"].to_dict() == {"K1": 0, "K2": 300}
