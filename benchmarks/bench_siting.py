"""Benchmark: siting inpatient puskesmas in Muara Enim, exact (HiGHS) vs lazy greedy.

Run:  python benchmarks/bench_siting.py [--data-dir ../shared/data] [--resolution 250] [--median]

Network: motorbike at 250 m. Demand: desa (representative points) with population.
Existing facilities (fixed): inpatient puskesmas, own and buffer neighbours
(``geoaccess.facilities.select(region.facilities_all, "inpatient")``). Candidates: every
desa's representative point (a new build, ``NEW_PUSKESMAS_COST_IDR``) and every own
puskesmas without inpatient care (an upgrade, ``UPGRADE_COST_IDR``, an assumption).
Coverage within 60 minutes for k = 5 and for a budget of Rp 10 miliar; times measured in
this run (each call includes the baseline search and the bounded candidate searches).
"""

from __future__ import annotations

import argparse
import time
import warnings

import geopandas as gpd
import pandas as pd

import geoaccess as ga
from geoaccess.planning import siting


def candidates_for(region: ga.datasets.Region, inpatient: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    desa = region.desa
    new = gpd.GeoDataFrame(
        {
            "site_id": "desa:" + desa["code"].astype(str),
            "name": desa["name"].to_numpy(),
            "kecamatan": desa["kecamatan"].to_numpy(),
            "kind": "new",
        },
        geometry=desa.geometry.representative_point().to_numpy(),
        crs=desa.crs,
    )
    own = region.facilities
    pkm = own[(own["type"] == "puskesmas") & ~own["facility_id"].isin(inpatient["facility_id"])]
    pkm = pkm[pkm.geometry.notna()]
    upgrade = gpd.GeoDataFrame(
        {
            "site_id": pkm["facility_id"].to_numpy(),
            "name": pkm["name"].to_numpy(),
            "kecamatan": pkm["kecamatan"].to_numpy(),
            "kind": "upgrade",
        },
        geometry=pkm.geometry.to_numpy(),
        crs=pkm.crs,
    )
    return gpd.GeoDataFrame(pd.concat([new, upgrade.to_crs(new.crs)], ignore_index=True), crs=new.crs)


def show(label: str, out: gpd.GeoDataFrame, seconds: float) -> None:
    a = out.attrs
    print(f"\n== {label}: {seconds:.2f} s (solver {a['solve_time_s']:.2f} s, {a['solver_status']})")
    cols = ["rank", "site_id", "name", "kecamatan", "kind", "cost", "people_newly_within", "cumulative_cost"]
    table = out[cols].copy()
    table["cost"] = (table["cost"] / 1e9).round(2)
    table["cumulative_cost"] = (table["cumulative_cost"] / 1e9).round(2)
    print(
        table.rename(columns={"cost": "cost_Rp_miliar", "cumulative_cost": "cum_Rp_miliar"}).to_string(
            index=False
        )
    )
    unit = a["objective_unit"]
    print(
        f"total cost Rp {a['total_cost'] / 1e9:.2f} miliar; {unit}: {a['objective_value']:,.0f}; "
        f"bound {a['bound']:,.0f} ({a['bound_source']}); gap {100 * a['gap']:.3f}%"
    )
    if "mean_travel_time_min_before" in a and a["objective"] == "median":
        print(
            f"mean time {a['mean_travel_time_min_before']:.2f} -> {a['mean_travel_time_min_after']:.2f} min "
            f"(cap {a['median_cap_min']:.1f} min; people excluded {a['people_excluded']:,.0f})"
        )
    print(
        f"people within {a['threshold_min']:g} min: {a['people_within_before']:,.0f} -> "
        f"{a['people_within_after']:,.0f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--resolution", type=float, default=250.0)
    ap.add_argument("--median", action="store_true", help="also p-median with k=5")
    ap.add_argument("--time-limit", type=float, default=120.0)
    args = ap.parse_args()
    ga.options.progress = False
    warnings.simplefilter("ignore", ga.GeoAccessWarning)  # the loader's data notes; not the point here

    region = ga.datasets.load("muara_enim", data_dir=args.data_dir)
    t = time.perf_counter()
    net = ga.build_network(region.roads, "motorbike", area=region.study_area, resolution_m=args.resolution)
    print(f"network: {net!r} built in {time.perf_counter() - t:.1f} s")
    inpatient = ga.facilities.select(region.facilities_all, "inpatient")
    cands = candidates_for(region, inpatient)
    desa = region.desa[["code", "name", "kecamatan", "population", "geometry"]]
    print(
        f"demand: {len(desa)} desa, {desa['population'].sum():,.0f} people; existing inpatient puskesmas "
        f"(own + buffer): {len(inpatient)}; candidates: {(cands['kind'] == 'new').sum()} desa points + "
        f"{(cands['kind'] == 'upgrade').sum()} upgrades"
    )
    print(
        f"costs: new Rp {siting.NEW_PUSKESMAS_COST_IDR / 1e9:.1f} miliar (Musi Banyuasin APBD 2023), "
        f"upgrade Rp {siting.UPGRADE_COST_IDR / 1e9:.1f} miliar (ASSUMPTION to review)"
    )
    t = time.perf_counter()
    base = ga.nearest(net, inpatient)
    t_base = time.perf_counter() - t
    t = time.perf_counter()
    mat = ga.travel_time_matrix(
        net, desa, cands.rename(columns={"site_id": "facility_id"}), max_time_min=60.0
    )
    t_mat = time.perf_counter() - t
    print(
        f"one baseline search {t_base:.2f} s; bounded searches for {len(cands)} candidates (60 min) "
        f"{t_mat:.2f} s, {len(mat):,} pairs"
    )
    del base

    common = dict(candidate_id_col="site_id", threshold_min=60.0, time_limit_s=args.time_limit)
    runs = [
        ("coverage, k=5, greedy", dict(k=5, method="greedy")),
        ("coverage, k=5, exact", dict(k=5, method="exact")),
        ("coverage, Rp 10 miliar, greedy", dict(budget=10e9, method="greedy")),
        ("coverage, Rp 10 miliar, exact", dict(budget=10e9, method="exact")),
    ]
    if args.median:
        runs += [
            ("median, k=5, greedy", dict(k=5, objective="median", method="greedy")),
            ("median, k=5, exact", dict(k=5, objective="median", method="exact")),
        ]
    results = {}
    for label, kw in runs:
        t = time.perf_counter()
        out = ga.site_facilities(net, desa, inpatient, cands, **common, **kw)
        results[label] = out
        show(label, out, time.perf_counter() - t)
    for obj, k in (("coverage", "k=5"), ("coverage", "Rp 10 miliar"), ("median", "k=5")):
        g, e = results.get(f"{obj}, {k}, greedy"), results.get(f"{obj}, {k}, exact")
        if g is not None and e is not None and e.attrs["objective_value"] > 0:
            r = g.attrs["objective_value"] / e.attrs["objective_value"]
            print(f"\n{obj}, {k}: greedy / exact = {r:.4f}")

    # program target: every kecamatan without an inpatient puskesmas gets one, then coverage
    own_inpatient = inpatient[inpatient["facility_id"].isin(region.facilities["facility_id"])]
    t = time.perf_counter()
    tgt = ga.site_for_targets(
        net, desa, inpatient, cands, group_col="kecamatan", eligible_col=None, budget=40e9,
        groups=sorted(set(region.desa["kecamatan"]) - set(own_inpatient["kecamatan"])), **common,
    )  # fmt: skip
    show(
        "program target (one inpatient puskesmas per kecamatan), then coverage, Rp 40 miliar",
        tgt,
        time.perf_counter() - t,
    )
    print(
        f"target: {len(tgt.attrs['target_groups'])} kecamatan, costs Rp "
        f"{tgt.attrs['target_cost_idr'] / 1e9:.1f} miliar; "
        f"without a candidate: {tgt.attrs['target_groups_without_candidate']}"
    )


if __name__ == "__main__":
    main()
