"""Scenarios: each comparison equals an independent full run with the changed facilities.

The baseline is the hand-made two-kecamatan region of the pipeline tests (West: 1,000
people and puskesmas P1; East: 3,000 people and hospital H1; a road along the middle).
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import hand_region

import geoaccess as ga
from geoaccess.exceptions import InputValidationError
from geoaccess.planning.scenario import Scenario, compare_scenario

X0, Y0 = 400_000, 9_660_000
NEW_EAST = (X0 + 3000, Y0 + 1000)  # on the road, in East


@pytest.fixture(scope="module")
def region():
    return hand_region()


@pytest.fixture(scope="module")
def base(region):
    return ga.run_access(region, resolution_m=500, progress=False)


def _rerun_with(region, extra_rows: pd.DataFrame | None = None, inpatient_ids=(), drop_ids=()):
    """An independent full run on a region whose facility table was edited by hand."""
    fac = region.facilities.copy()
    fac = fac[~fac["facility_id"].isin(drop_ids)]
    fac.loc[fac["facility_id"].isin(inpatient_ids), "inpatient"] = True
    if extra_rows is not None:
        fac = gpd.GeoDataFrame(pd.concat([fac, extra_rows], ignore_index=True), crs=fac.crs)
    return ga.run_access(dataclasses.replace(region, facilities=fac), resolution_m=500, progress=False)


def _new_row(crs):
    p = gpd.GeoSeries([shapely.Point(*NEW_EAST)], crs="EPSG:32748").to_crs(crs)
    return gpd.GeoDataFrame(
        {
            "facility_id": ["NEW"],
            "name": ["New"],
            "type": ["puskesmas"],
            "inpatient": pd.array([True], dtype="boolean"),
            "kecamatan": ["East"],
        },
        geometry=p,
        crs=crs,
    )


def test_a_new_puskesmas_equals_a_full_rerun(region, base):
    s = Scenario("east").add(NEW_EAST, "NEW", crs="EPSG:32748")
    before = (base.facilities.copy(), base.cells.copy(), base.kecamatan.copy())
    cmp = compare_scenario(base, s)
    rerun = _rerun_with(region, _new_row(region.facilities.crs))
    k = cmp.kecamatan.set_index(["code", "category"])
    for cat in ("puskesmas", "inpatient"):
        for code in ("K1", "K2"):
            want = rerun.kecamatan.set_index("code").loc[code, f"{cat}_travel_time_min"]
            assert k.loc[(code, cat), "mean_min_after"] == pytest.approx(want, rel=1e-9, nan_ok=True)
            was = base.kecamatan.set_index("code").loc[code, f"{cat}_travel_time_min"]
            assert k.loc[(code, cat), "mean_min_before"] == pytest.approx(was, rel=1e-9, nan_ok=True)
        # people newly within 30 minutes, from the two independent runs' cells
        b = base.cells[f"{cat}_travel_time_min"].fillna(np.inf)
        a = rerun.cells[f"{cat}_travel_time_min"].reindex(b.index).fillna(np.inf)
        want = base.cells["population"][(b > 30) & (a <= 30)].sum()
        got = cmp.summary.set_index("category").loc[cat, "people_newly_within_30_min"]
        assert got == pytest.approx(want)
    # East gains a puskesmas: its kecamatan meets PP 47/2016 and the inpatient target now
    tg = cmp.targets.set_index("code")
    assert not tg.loc["K2", "meets_pp47_2016_before"] and tg.loc["K2", "meets_pp47_2016_after"]
    assert tg.loc["K2", "newly_meets_inpatient_target"]
    assert not tg.loc["K1", "newly_meets_inpatient_target"]
    # the baseline is untouched
    pd.testing.assert_frame_equal(base.facilities, before[0])
    pd.testing.assert_frame_equal(base.cells, before[1])
    pd.testing.assert_frame_equal(base.kecamatan, before[2])
    assert "NEW" not in set(base.facilities["facility_id"])


def test_closing_the_only_puskesmas_cuts_everyone_off(base):
    cmp = compare_scenario(base, Scenario().close("P1"))
    s = cmp.summary.set_index("category")
    assert s.loc["puskesmas", "people_newly_unreachable"] == pytest.approx(4000.0)
    assert s.loc["puskesmas", "people_newly_within_30_min"] == 0
    before_30 = base.cells.loc[base.cells["puskesmas_travel_time_min"] <= 30, "population"].sum()
    assert s.loc["puskesmas", "people_no_longer_within_30_min"] == pytest.approx(before_30)
    assert np.isnan(s.loc["puskesmas", "mean_min_after"])


def test_upgrading_the_puskesmas_makes_it_the_inpatient_one(region, base):
    cmp = compare_scenario(base, Scenario().upgrade("P1"))
    rerun = _rerun_with(region, inpatient_ids=["P1"])
    k = cmp.kecamatan.set_index(["code", "category"])
    for code in ("K1", "K2"):
        want = rerun.kecamatan.set_index("code").loc[code, "inpatient_travel_time_min"]
        assert k.loc[(code, "inpatient"), "mean_min_after"] == pytest.approx(want, rel=1e-9)
        # the inpatient puskesmas is now the same place as the puskesmas
        assert k.loc[(code, "inpatient"), "mean_min_after"] == pytest.approx(
            base.kecamatan.set_index("code").loc[code, "puskesmas_travel_time_min"], rel=1e-9
        )
    assert cmp.targets.set_index("code").loc["K1", "newly_meets_inpatient_target"]
    assert cmp.facilities.set_index("facility_id").loc["P1", "scenario_change"] == "upgraded"


def test_a_cut_road_is_a_scenario_too(base):
    net = base.network
    cut = net.with_edge_times(np.full(len(net.edges), np.inf))  # every road piece closed
    cmp = compare_scenario(base, Scenario("no roads").with_network(cut))
    s = cmp.summary.set_index("category")
    assert s.loc["puskesmas", "mean_min_after"] > s.loc["puskesmas", "mean_min_before"]
    assert s.loc["puskesmas", "person_min_saved"] < 0
    assert base.network is net and np.isfinite(net.edges["travel_time_min"]).all()


def test_scenarios_are_immutable_and_checked(base):
    s0 = Scenario("a")
    s1 = s0.upgrade("P1")
    assert s0.upgraded == () and s1.upgraded == ("P1",)
    s2 = s1.add(NEW_EAST, "NEW", crs="EPSG:32748")
    assert s1.added is None and len(s2.added) == 1
    with pytest.raises(InputValidationError, match="already added"):
        s2.add(NEW_EAST, "NEW", crs="EPSG:32748")
    with pytest.raises(InputValidationError, match="no facility with id"):
        compare_scenario(base, Scenario().close("NOPE"))
    with pytest.raises(InputValidationError, match="only puskesmas"):
        compare_scenario(base, Scenario().upgrade("H1"))
    with pytest.raises(InputValidationError, match="must be one of"):
        Scenario().add(NEW_EAST, "X", type="clinic")
    with pytest.raises(InputValidationError, match="matches 0 rows"):
        Scenario().add_at(base.kecamatan, "K9", "X")
    s3 = Scenario().add_at(base.kecamatan, "K2", "AT-K2")
    assert s3.added["kecamatan"].iloc[0] == "East"


def test_a_scenario_network_with_more_roads_is_compared_cell_by_cell():
    # a new road in a corner nobody uses adds road nodes, so the scenario network numbers
    # its cells otherwise: the comparison must match cells by their place, and find that
    # nothing changes; a network of another lattice cannot be compared at all
    from geoaccess.inputs.datasets import example_region

    region = example_region()
    res = ga.run_access(region, progress=False)
    lat = res.network.lattice
    corner = shapely.LineString([(lat.x0 + 60, lat.y0 - 60), (lat.x0 + 200, lat.y0 - 60)])
    extra = gpd.GeoDataFrame({"road_class": ["lokal"]}, geometry=[corner], crs=res.network.crs)
    roads = pd.concat([region.roads.to_crs(res.network.crs), extra], ignore_index=True)
    net2 = ga.build_network(roads, "motorbike", area=region.study_area, resolution_m=lat.resolution_m)
    assert net2.n_road_nodes > res.network.n_road_nodes
    cmp = ga.compare_scenario(res, ga.Scenario("jalan baru").with_network(net2))
    for cat in ("puskesmas", "hospital"):
        np.testing.assert_array_equal(cmp.cells[f"{cat}_after_min"], cmp.cells[f"{cat}_before_min"])
    coarse = ga.build_network(roads, "motorbike", area=region.study_area, resolution_m=500)
    with pytest.raises(InputValidationError, match="another off-road lattice"):
        ga.compare_scenario(res, ga.Scenario("kasar").with_network(coarse))
