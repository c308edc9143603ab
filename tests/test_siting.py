"""Siting under a budget: exact answers against brute force, greedy's guarantee, hand cases, errors.

The oracle never uses the siting code's times: for every subset of candidates it runs a
full recomputation ``geoaccess.nearest(network, facilities + subset)`` and scores the
subset from those times, then takes the best subset that satisfies ``k`` / the budget.
"""

from __future__ import annotations

import itertools
import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

import geoaccess as ga
from geoaccess.exceptions import (
    EmptyInputError,
    GeoAccessWarning,
    InputValidationError,
    MissingColumnError,
    NonUniqueIDError,
)
from geoaccess.planning import siting

UTM = "EPSG:32748"
E = 1 - 1 / math.e


def pts(xy, index=None, **cols):
    return gpd.GeoDataFrame(cols, geometry=[Point(p) for p in xy], crs=UTM, index=index)


# --- random instances and the brute-force oracle -------------------------------------


class Instance:
    """A lattice (500 m over 5 x 4 km) with one road, random desa, one puskesmas, 7 candidates.

    ``times[S]`` holds the full-recomputation minutes per origin with the subset ``S``
    of candidates open (inf where unreachable), for every subset.
    """

    def __init__(self, seed: int, n_cand: int = 7):
        rng = np.random.default_rng(seed)
        w, h = 5000.0, 4000.0
        area = gpd.GeoSeries([box(0, 0, w, h)], crs=UTM)
        road = gpd.GeoDataFrame(
            {"road_class": ["lokal"]},
            geometry=[LineString([(0, rng.uniform(500, 3500)), (w, rng.uniform(500, 3500))])],
            crs=UTM,
        )
        self.net = ga.build_network(road, "motorbike", area=area, resolution_m=500, repair=False)
        n_org = 18
        self.origins = pts(
            rng.uniform([0, 0], [w, h], size=(n_org, 2)),
            population=rng.integers(0, 1000, n_org).astype(float),
        )
        self.facilities = pts(rng.uniform([0, 0], [w, h], size=(1, 2)), facility_id=["PKM"])
        self.candidates = pts(
            rng.uniform([0, 0], [w, h], size=(n_cand, 2)),
            index=[f"c{j}" for j in range(n_cand)],
            cost_idr=rng.choice([1.0, 1.5, 2.4, 3.0], n_cand) * 1e9,
        )
        self.w = self.origins["population"].to_numpy()
        self.times = {
            S: self._recompute(S) for r in range(n_cand + 1) for S in itertools.combinations(range(n_cand), r)
        }
        self.base = self.times[()]
        reached = self.base[(self.w > 0) & np.isfinite(self.base)]
        # a threshold between baseline times (never equal to one): some covered, some not
        self.T = float(np.quantile(reached, 0.4)) + 0.37
        self.B = float(reached.max())

    def _recompute(self, S):
        c = self.candidates.iloc[list(S)]
        fac = pd.concat(
            [
                self.facilities,
                gpd.GeoDataFrame({"facility_id": list(c.index)}, geometry=c.geometry.values, crs=UTM),
            ],
            ignore_index=True,
        )
        t = ga.nearest(self.net, fac).at_points(self.origins)["travel_time_min"].to_numpy(dtype=float)
        return np.where(np.isfinite(t), t, np.inf)

    def value(self, objective, S, T=None):
        """Value of subset S from its full recomputation: people newly within / person-min saved."""
        t = self.times[tuple(sorted(S))]
        if objective == "coverage":
            T = self.T if T is None else T
            return float(self.w[t <= T].sum() - self.w[self.base <= T].sum())
        everything = self.times[tuple(range(len(self.candidates)))]
        inc = (self.w > 0) & (everything <= self.B)
        return float((self.w[inc] * (np.minimum(self.base, self.B) - np.minimum(t, self.B))[inc]).sum())

    def feasible(self, S, k, budget):
        cost = self.candidates["cost_idr"].to_numpy()
        return (k is None or len(S) <= k) and (budget is None or cost[list(S)].sum() <= budget + 1e-6)

    def optimum(self, objective, k=None, budget=None):
        return max(self.value(objective, S) for S in self.times if self.feasible(S, k, budget))

    def subset(self, result):
        pos = {c: j for j, c in enumerate(self.candidates.index)}
        return tuple(sorted(pos[i] for i in result.index))


@pytest.fixture(scope="module", params=[3, 11, 29])
def inst(request):
    return Instance(request.param)


CASES = [
    {"k": 1},
    {"k": 2},
    {"k": 3},
    {"budget": 3.0e9},
    {"budget": 4.5e9},
    {"k": 2, "budget": 4.0e9},
]


@pytest.mark.parametrize("objective", ["coverage", "median"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{a}={b:g}" for a, b in c.items()))
def test_exact_equals_brute_force(inst, objective, case):
    out = ga.site_facilities(
        inst.net, inst.origins, inst.facilities, inst.candidates,
        cost_col="cost_idr", objective=objective, threshold_min=inst.T, **case,
    )  # fmt: skip
    best = inst.optimum(objective, case.get("k"), case.get("budget"))
    S = inst.subset(out)
    assert inst.feasible(S, case.get("k"), case.get("budget"))
    # the chosen set, scored by full recomputation, is optimal; so is the reported value
    assert inst.value(objective, S) == pytest.approx(best, rel=1e-6, abs=1e-6)
    assert out.attrs["objective_value"] == pytest.approx(best, rel=1e-6, abs=1e-6)
    assert out.attrs["gap"] == pytest.approx(0.0, abs=1e-5)
    assert out.attrs["bound"] >= out.attrs["objective_value"] - 1e-6
    assert out.attrs["solver_status"] == "Optimal"
    # per-row columns: every prefix of the selection, against its full recomputation
    cost = inst.candidates["cost_idr"].to_numpy()
    pos = [inst.candidates.index.get_loc(i) for i in out.index]
    within0 = inst.w[inst.base <= inst.T].sum()
    for r in range(len(out)):
        prefix, prev = pos[: r + 1], pos[:r]
        t = inst.times[tuple(sorted(prefix))]
        assert out["people_within_cumulative"].iloc[r] == pytest.approx(inst.w[t <= inst.T].sum())
        newly = inst.value("coverage", prefix) - inst.value("coverage", prev)
        assert out["people_newly_within"].iloc[r] == pytest.approx(newly)
        assert out["cumulative_cost"].iloc[r] == pytest.approx(cost[prefix].sum())
        if objective == "median":
            saved = inst.value("median", prefix) - inst.value("median", prev)
            assert out["person_min_saved"].iloc[r] == pytest.approx(saved, rel=1e-9, abs=1e-6)
    assert out["rank"].tolist() == list(range(1, len(out) + 1))
    assert out.attrs["people_within_before"] == pytest.approx(within0)
    assert (out["cost"].to_numpy() == cost[pos]).all()
    assert list(out.columns[: len(inst.candidates.columns)]) == list(inst.candidates.columns)
    assert out.crs == inst.candidates.crs


@pytest.mark.parametrize("objective", ["coverage", "median"])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_greedy_within_guarantee_and_ratio_reported(inst, objective, k):
    out = ga.site_facilities(
        inst.net, inst.origins, inst.facilities, inst.candidates,
        k=k, objective=objective, threshold_min=inst.T, method="both",
    )  # fmt: skip
    best = inst.optimum(objective, k)
    pos = {c: j for j, c in enumerate(inst.candidates.index)}
    greedy_value = inst.value(objective, [pos[i] for i in out.attrs["greedy_site_ids"]])
    assert out.attrs["greedy_value"] == pytest.approx(greedy_value, rel=1e-9, abs=1e-6)
    want_ratio = greedy_value / best if best > 0 else 1.0
    assert out.attrs["greedy_ratio"] == pytest.approx(want_ratio, rel=1e-6)
    assert want_ratio >= E - 1e-9
    assert out.attrs["greedy_guarantee"] == pytest.approx(E)
    # greedy alone: the same sites, in its own order, with the LP bound above the optimum
    g = ga.site_facilities(
        inst.net, inst.origins, inst.facilities, inst.candidates,
        k=k, objective=objective, threshold_min=inst.T, method="greedy",
    )  # fmt: skip
    assert g.index.tolist() == out.attrs["greedy_site_ids"]
    assert g.attrs["bound_source"] == "LP relaxation"
    assert g.attrs["bound"] >= best - 1e-6
    assert g.attrs["gap"] == pytest.approx((g.attrs["bound"] - greedy_value) / g.attrs["bound"], rel=1e-6)


@pytest.mark.parametrize("budget", [2.5e9, 4.0e9])
def test_budget_greedy_within_its_guarantee(inst, budget):
    g = ga.site_facilities(
        inst.net, inst.origins, inst.facilities, inst.candidates,
        budget=budget, cost_col="cost_idr", threshold_min=inst.T, method="greedy",
    )  # fmt: skip
    S = inst.subset(g)
    assert inst.feasible(S, None, budget)
    best = inst.optimum("coverage", budget=budget)
    assert inst.value("coverage", S) >= E / 2 * best - 1e-9
    assert g.attrs["greedy_guarantee"] == pytest.approx(E / 2)


# --- hand-worked cases ---------------------------------------------------------------


@pytest.fixture(scope="module")
def line():
    """A 12 km lokal road (car: 20 km/h, 3 min/km); puskesmas at 0; desa at 2, 8 and 12 km.

    Baseline times 6, 24, 36 min. Candidate 'mid' at 6 km reaches 2 / 8 / 12 km in 12 / 6
    / 18 min, 'east' at 10 km in 24 / 6 / 6 min.
    """
    road = gpd.GeoDataFrame({"road_class": ["lokal"]}, geometry=[LineString([(0, 0), (12_000, 0)])], crs=UTM)
    net = ga.build_network(road, "car", offroad=False, repair=False)
    desa = pts([(2000, 0), (8000, 0), (12_000, 0)], population=[100.0, 200.0, 300.0])
    pkm = pts([(0, 0)], facility_id=["P"])
    cands = pts([(6000, 0), (10_000, 0)], index=["mid", "east"], cost_idr=[1e9, 3e9], kind=["upgrade", "new"])
    return net, desa, pkm, cands


def test_hand_coverage_k1(line):
    net, desa, pkm, cands = line
    out = ga.site_facilities(net, desa, pkm, cands, k=1, threshold_min=15)
    # east covers 8 and 12 km (200 + 300 people); mid only 8 km
    assert out.index.tolist() == ["east"]
    assert out["people_newly_within"].tolist() == [500.0]
    assert out["people_within_cumulative"].tolist() == [600.0]
    assert out.attrs["people_within_before"] == 100.0
    assert out.attrs["objective_value"] == 500.0
    # no cost_col: costs from the 'kind' column and the module defaults
    assert out["cost"].tolist() == [siting.NEW_PUSKESMAS_COST_IDR]


def test_hand_budget_binds(line):
    net, desa, pkm, cands = line
    # Rp 2 miliar: east (Rp 3 miliar) is out of reach, mid (Rp 1 miliar) covers 8 km only
    for method in ("exact", "greedy"):
        out = ga.site_facilities(
            net, desa, pkm, cands, budget=2e9, cost_col="cost_idr", threshold_min=15, method=method
        )
        assert out.index.tolist() == ["mid"], method
        assert out["people_newly_within"].tolist() == [200.0]
        assert out["cumulative_cost"].tolist() == [1e9]
        assert out.attrs["total_cost"] == 1e9
    both = ga.site_facilities(net, desa, pkm, cands, budget=4e9, cost_col="cost_idr", threshold_min=15)
    assert both.index.tolist() == ["east"]  # mid adds no one once east is open: not proposed
    assert both["cost"].tolist() == [3e9]


def test_hand_median(line):
    net, desa, pkm, cands = line
    out = ga.site_facilities(net, desa, pkm, cands, k=1, objective="median")
    # mid saves 200*18 + 300*18 = 9000 person-min; east 200*18 + 300*30 = 12600
    assert out.index.tolist() == ["east"]
    assert out["person_min_saved"].iloc[0] == pytest.approx(12600)
    assert out.attrs["objective_value"] == pytest.approx(12600)
    assert out.attrs["mean_travel_time_min_before"] == pytest.approx((100 * 6 + 200 * 24 + 300 * 36) / 600)
    assert out.attrs["mean_travel_time_min_after"] == pytest.approx((100 * 6 + 200 * 6 + 300 * 6) / 600)
    assert out["mean_travel_time_min_after"].iloc[0] == pytest.approx(6.0)
    assert out.attrs["median_cap_min"] == pytest.approx(36.0)
    two = ga.site_facilities(net, desa, pkm, cands, k=2, objective="median", method="greedy")
    assert two.index.tolist() == ["east"]  # mid saves nothing more: greedy stops


def test_unreachable_origin_reported_not_averaged(line):
    net, desa, pkm, cands = line
    far = pd.concat([desa, pts([(6000, 50_000)], population=[1000.0])], ignore_index=True)
    out = ga.site_facilities(net, far, pkm, cands, k=1, objective="median")
    assert out.attrs["people_excluded"] == 1000.0
    assert out.attrs["people_unreachable_before"] == 1000.0
    assert out.attrs["mean_travel_time_min_before"] == pytest.approx(27.0)
    assert out.index.tolist() == ["east"]


def test_everyone_already_covered_gives_no_site(line):
    net, desa, pkm, cands = line
    out = ga.site_facilities(net, desa, pkm, cands, k=2, threshold_min=40)
    assert len(out) == 0
    assert out.attrs["objective_value"] == 0.0
    assert out.attrs["gap"] == 0.0
    assert list(out.columns) == [*cands.columns, *siting.SITING_COLUMNS]


def test_no_existing_facility(line):
    net, desa, _, cands = line
    out = ga.site_facilities(net, desa, None, cands, k=1, threshold_min=15)
    # east: 8 and 12 km within 6 min, 2 km at 24 min -> 500 people
    assert out.index.tolist() == ["east"]
    assert out.attrs["people_within_before"] == 0.0


def test_candidate_id_col_and_inputs_untouched(line):
    net, desa, pkm, cands = line
    c = cands.reset_index(names="site")
    before = c.copy()
    out = ga.site_facilities(net, desa, pkm, c, k=1, candidate_id_col="site", threshold_min=15)
    assert out["site"].tolist() == ["east"]
    assert out.attrs["site_ids"] == ["east"]
    pd.testing.assert_frame_equal(c, before)


def test_targets_cheapest_per_group_then_coverage(line):
    net, desa, pkm, cands = line
    pkm = pkm.assign(kecamatan=["A"])
    c = pd.concat([cands, pts([(11_000, 0)], index=["east2"], cost_idr=[2e9], kind=["new"])])
    c["kecamatan"] = ["B", "C", "C"]
    # kecamatan B and C lack a facility: B gets mid (its only one), C the cheaper east2 (Rp 2 miliar)
    out = ga.site_for_targets(net, desa, pkm, c, cost_col="cost_idr", threshold_min=15)
    assert out.index.tolist() == ["mid", "east2"]
    assert out["target_group"].tolist() == ["B", "C"]
    assert out.attrs["target_cost_idr"] == 3e9
    assert out.attrs["target_groups"] == ["B", "C"]
    # with Rp 6 miliar the rest goes to coverage: east adds no one at 15 min -> nothing more
    more = ga.site_for_targets(net, desa, pkm, c, cost_col="cost_idr", budget=6e9, threshold_min=15)
    assert more.index.tolist()[:2] == ["mid", "east2"]
    with pytest.raises(InputValidationError, match="costs Rp 3,000,000,000") as e:
        ga.site_for_targets(net, desa, pkm, c, cost_col="cost_idr", budget=2e9)
    assert e.value.argument == "budget"
    with pytest.warns(GeoAccessWarning, match="no eligible candidate"):
        none = ga.site_for_targets(net, desa, pkm, c, groups=["B", "Z"], cost_col="cost_idr")
    assert none.attrs["target_groups_without_candidate"] == ["Z"]


# --- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "exc", "argument"),
    [
        ({}, InputValidationError, "k"),
        ({"budget": -1.0}, InputValidationError, "budget"),
        ({"k": 0}, InputValidationError, "k"),
        ({"k": 1, "objective": "pmedian"}, InputValidationError, "objective"),
        ({"k": 1, "method": "heuristic"}, InputValidationError, "method"),
        ({"budget": 1e9, "cost_col": "harga"}, MissingColumnError, "cost_col"),
        ({"k": 1, "threshold_min": 0}, InputValidationError, "threshold_min"),
    ],
)
def test_argument_errors(line, kwargs, exc, argument):
    net, desa, pkm, cands = line
    with pytest.raises(exc) as e:
        ga.site_facilities(net, desa, pkm, cands, **kwargs)
    assert e.value.argument == argument


def test_several_argument_problems_reported_at_once(line):
    net, desa, pkm, cands = line
    with pytest.raises(InputValidationError, match="2 problems") as e:
        ga.site_facilities(net, desa, pkm, cands, budget=-5, method="fast")
    assert any("budget" in p for p in e.value.problems)


def test_frame_errors(line):
    net, desa, pkm, cands = line
    dup = pd.concat([cands, cands.iloc[:1]])
    with pytest.raises(NonUniqueIDError, match="mid"):
        ga.site_facilities(net, desa, pkm, dup, k=1)
    with pytest.raises(EmptyInputError) as e:
        ga.site_facilities(net, desa, pkm, cands.iloc[:0], k=1)
    assert e.value.argument == "candidates"
    with pytest.raises(MissingColumnError):
        ga.site_facilities(net, desa.drop(columns="population"), pkm, cands, k=1)
    with pytest.raises(InputValidationError, match="fillna"):
        ga.site_facilities(net, desa.assign(population=[1.0, np.nan, 2.0]), pkm, cands, k=1)
    with pytest.raises(InputValidationError, match="rupiah >= 0") as e:
        ga.site_facilities(net, desa, pkm, cands.assign(cost_idr=[1e9, -1.0]), k=1, cost_col="cost_idr")
    assert e.value.argument == "cost_col"
    with pytest.raises(InputValidationError, match="'new' or 'upgrade'"):
        ga.site_facilities(net, desa, pkm, cands.assign(kind=["new", "renovate"]), budget=5e9)
    with pytest.raises(InputValidationError, match="output column"):
        ga.site_facilities(net, desa, pkm, cands.assign(rank=[1, 2]), k=1)
    with pytest.raises(InputValidationError) as e:
        ga.site_facilities("net", desa, pkm, cands, k=1)
    assert e.value.argument == "network"


def test_time_limit_returns_best_found_with_its_gap(inst):
    with pytest.warns(GeoAccessWarning, match="before proving optimality"):
        out = ga.site_facilities(
            inst.net, inst.origins, inst.facilities, inst.candidates,
            k=3, objective="median", threshold_min=inst.T, method="both", time_limit_s=1e-9,
        )  # fmt: skip
    assert out.attrs["solver_status"] == "Time limit reached"
    assert out.attrs["objective_value"] >= out.attrs["greedy_value"] - 1e-9  # never worse than its start
    assert inst.value("median", inst.subset(out)) == pytest.approx(out.attrs["objective_value"])
    assert out.attrs["bound"] >= inst.optimum("median", 3) - 1e-6
    assert 0 <= out.attrs["gap"] <= 1


def test_costs_in_miliar_warn(line):
    net, desa, pkm, cands = line
    # Rp 2.4 (miliar meant): every site almost free, so the budget would limit nothing
    with pytest.warns(GeoAccessWarning, match=r"2 candidate\(s\) cost less than Rp 1 juta \(e.g. Rp 2.4\)"):
        ga.site_facilities(
            net, desa, pkm, cands, k=1, threshold_min=15, new_cost_idr=2.4, upgrade_cost_idr=2.4
        )
    small = cands.assign(cost_idr=[1.0, 3e9])
    with pytest.warns(GeoAccessWarning, match=r"1 candidate\(s\) cost less than Rp 1 juta"):
        ga.site_facilities(net, desa, pkm, small, budget=2e9, cost_col="cost_idr", threshold_min=15)
    with warnings.catch_warnings():  # rupiah: no warning
        warnings.simplefilter("error", GeoAccessWarning)
        ga.site_facilities(net, desa, pkm, cands, budget=2e9, cost_col="cost_idr", threshold_min=15)


def test_cost_source_reads_in_the_planners_language(line):
    from geoaccess.notes import localize

    net, desa, pkm, cands = line
    out = ga.site_facilities(
        net, desa, pkm, cands, k=1, threshold_min=15, new_cost_idr=2e9, upgrade_cost_idr=9e8
    )
    src = out.attrs["cost_source"]  # both costs set by the planner: not called defaults
    assert src == (
        "column 'kind': new Rp 2,000,000,000 (given by the planner), "
        "upgrade Rp 900,000,000 (given by the planner)"
    )
    assert localize(src, "id") == (
        "kolom 'kind': bangun baru Rp 2.000.000.000 (ditetapkan perencana), "
        "peningkatan Rp 900.000.000 (ditetapkan perencana)"
    )
    # the defaults, each with its source; a mix says which is which
    default = ga.site_facilities(net, desa, pkm, cands, k=1, threshold_min=15).attrs["cost_source"]
    assert localize(default, "id") == (
        "kolom 'kind': bangun baru Rp 2.400.000.000 (nilai bawaan, dari APBD Musi Banyuasin 2023: "
        "tinjau kembali), peningkatan Rp 1.000.000.000 (nilai bawaan, asumsi tanpa sumber "
        "terbitan: tinjau kembali)"
    )
    mixed = ga.site_facilities(net, desa, pkm, cands, k=1, threshold_min=15, new_cost_idr=3.1e9)
    assert mixed.attrs["cost_source"] == (
        "column 'kind': new Rp 3,100,000,000 (given by the planner), upgrade Rp 1,000,000,000 "
        "(default, an assumption without a published source: review it)"
    )
    all_new = ga.site_facilities(net, desa, pkm, cands.drop(columns="kind"), k=1, threshold_min=15)
    assert all_new.attrs["cost_source"] == (
        "every candidate a new build at Rp 2,400,000,000 (default, from the Musi Banyuasin APBD 2023: "
        "review it)"
    )
    by_col = ga.site_facilities(net, desa, pkm, cands, k=1, threshold_min=15, cost_col="cost_idr")
    assert localize(by_col.attrs["cost_source"], "id") == "kolom 'cost_idr'"


def test_the_solver_prints_no_banner():
    """HiGHS prints a banner from C++ to file descriptor 1 when a process makes its first
    solver; a library must not print (the exact siting printed it). Fresh processes, since
    the banner comes once per process."""
    import subprocess
    import sys

    def stdout_of(code):
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert "HiGHS" in stdout_of("import highspy; highspy.Highs()")  # the banner, unguarded
    quiet = (
        "import highspy\n"
        "from geoaccess.planning.siting import _quiet_highs\n"
        "h = _quiet_highs(highspy)\n"
        "print(h.getOptionValue('output_flag')[1])"
    )
    assert stdout_of(quiet) == "False\n"
