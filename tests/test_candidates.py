"""score_candidates: every candidate's row equals a full recomputation with it added.

The expected values come from :func:`geoaccess.nearest` run from scratch on the existing
facilities plus that one candidate (the search the oracle tests check), never from the
pruned search under test.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import random_hybrid_network

import geoaccess as ga
from geoaccess.exceptions import EmptyInputError, InputValidationError

UTM = "EPSG:32748"
X0, Y0 = 430_000.0, 9_610_000.0


def _layout(seed: int):
    rng = np.random.default_rng(seed)
    net, w, h, _ = random_hybrid_network(rng, X0, Y0)

    def points(n, margin=0.0):
        return gpd.points_from_xy(
            X0 + rng.uniform(-margin, w + margin, n), Y0 + rng.uniform(-margin, h + margin, n), crs=UTM
        )

    fac = gpd.GeoDataFrame({"facility_id": [f"F{i}" for i in range(2)]}, geometry=points(2), crs=UTM).iloc[
        : int(rng.integers(1, 3))
    ]
    origins = gpd.GeoDataFrame(
        {"population": rng.integers(0, 500, 25).astype(float)}, geometry=points(25, 300)
    )
    origins = origins.set_crs(UTM)
    cand = gpd.GeoDataFrame(geometry=points(8, 200), crs=UTM)
    # one candidate next to an origin (same cell: a direct trip), one right on a facility
    o0 = origins.geometry.iloc[0]
    cand.loc[8] = shapely.Point(o0.x + 15, o0.y + 10)
    cand.loc[9] = fac.geometry.iloc[0]
    cand.index = [f"C{i}" for i in range(len(cand))]
    return net, origins, fac, cand


def _expected(net, origins, fac, cand, thr):
    b = ga.nearest(net, fac).at_points(origins[["geometry"]])["travel_time_min"].to_numpy()
    b = np.where(np.isnan(b), np.inf, b)
    pop = origins["population"].to_numpy()
    rows = {}
    for cid in cand.index:
        both = pd.concat(
            [fac, gpd.GeoDataFrame({"facility_id": ["NEW"]}, geometry=[cand.geometry[cid]], crs=UTM)],
            ignore_index=True,
        )
        a = ga.nearest(net, both).at_points(origins[["geometry"]])["travel_time_min"].to_numpy()
        a = np.where(np.isnan(a), np.inf, a)
        fin_b, fin_a = np.isfinite(b), np.isfinite(a)
        rows[cid] = {
            "people_newly_within": pop[(b > thr) & (a <= thr)].sum(),
            "person_min_saved": (pop[fin_b] * (b[fin_b] - a[fin_b])).sum(),
            "people_newly_reachable": pop[~fin_b & fin_a].sum(),
            "mean_travel_time_min_after": (pop[fin_a] * a[fin_a]).sum() / pop[fin_a].sum(),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


@pytest.mark.parametrize("seed", range(12))
def test_scores_equal_full_recomputation(seed):
    net, origins, fac, cand = _layout(seed)
    b = ga.nearest(net, fac).at_points(origins[["geometry"]])["travel_time_min"]
    thr = float(np.nanmedian(b)) if b.notna().any() else 30.0
    got = ga.score_candidates(net, origins, fac, cand, threshold_min=thr)
    want = _expected(net, origins, fac, cand, thr)
    assert list(got.index) == list(cand.index)
    for col in want.columns:
        np.testing.assert_allclose(
            got[col].to_numpy(), want[col].to_numpy(), rtol=1e-9, atol=1e-9, err_msg=col
        )
    # a candidate on an existing facility changes nothing, and its search stops at once
    assert got.loc["C9", "person_min_saved"] == pytest.approx(0.0, abs=1e-9)


def test_the_search_is_pruned_to_the_candidates_catchment():
    # lattice only, facility in the west; a candidate in the far east improves only the
    # nodes closer to it than to the facility: about half of them, never all
    area = gpd.GeoSeries([shapely.box(X0, Y0, X0 + 10_000, Y0 + 2_000)], crs=UTM)
    net = ga.build_network(None, "walk", area=area, resolution_m=500)
    fac = gpd.GeoDataFrame({"facility_id": ["W"]}, geometry=[shapely.Point(X0 + 250, Y0 + 1250)], crs=UTM)
    cand = gpd.GeoDataFrame(
        geometry=[shapely.Point(X0 + 9750, Y0 + 1250), shapely.Point(X0 + 300, Y0 + 1250)], crs=UTM
    )
    origins = gpd.GeoDataFrame({"population": [1.0]}, geometry=[shapely.Point(X0 + 9000, Y0 + 1000)], crs=UTM)
    got = ga.score_candidates(net, origins, fac, cand, threshold_min=60)
    far, near = got["nodes_improved"]
    assert 0.4 * net.n_nodes <= far <= 0.6 * net.n_nodes
    assert near < 0.1 * net.n_nodes


def test_inputs_are_not_mutated_and_errors_are_typed():
    net, origins, fac, cand = _layout(3)
    before = (origins.copy(), fac.copy(), cand.copy())
    ga.score_candidates(net, origins, fac, cand)
    pd.testing.assert_frame_equal(origins, before[0])
    pd.testing.assert_frame_equal(fac, before[1])
    pd.testing.assert_frame_equal(cand, before[2])
    with pytest.raises(EmptyInputError):
        ga.score_candidates(net, origins, fac, cand.iloc[:0])
    bad = origins.copy()
    bad.loc[bad.index[2], "population"] = -5
    with pytest.raises(InputValidationError, match="negative"):
        ga.score_candidates(net, bad, fac, cand)
    with pytest.raises(InputValidationError, match="unique"):
        ga.score_candidates(net, origins, fac, pd.concat([cand, cand]))
    with pytest.raises(ga.exceptions.MissingColumnError):
        ga.score_candidates(net, origins.drop(columns="population"), fac, cand)
