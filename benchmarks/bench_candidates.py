"""Candidate scoring against full recomputation, on the Muara Enim graph.

``geoaccess.score_candidates`` scores N candidate sites for a new inpatient puskesmas
with one pruned search each; the baseline is what a planner would otherwise do: one full
multi-source recomputation per candidate (``geoaccess.nearest`` with the candidate added,
read at the same origins). Both are timed in the same run; the recomputation on a sample
of candidates, extrapolated to N. The answers of the sample are compared too.

Run from the repository root::

    python benchmarks/bench_candidates.py                  # 250 m, 500 candidates
    python benchmarks/bench_candidates.py --resolution 100
"""

from __future__ import annotations

import argparse
import time
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

import geoaccess as ga
from geoaccess.exceptions import GeoAccessWarning
from geoaccess.inputs import datasets, facilities
from geoaccess.inputs.population import populated_cells


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--region", default="muara_enim")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--resolution", type=float, default=250.0)
    ap.add_argument("--candidates", type=int, default=500)
    ap.add_argument("--sample", type=int, default=10, help="candidates recomputed in full")
    ap.add_argument("--threshold", type=float, default=60.0)
    args = ap.parse_args()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        region = datasets.load(args.region, data_dir=args.data_dir)
        t0 = time.perf_counter()
        net = ga.build_network(
            region.roads, "motorbike", area=region.study_area, resolution_m=args.resolution
        )
        t_build = time.perf_counter() - t0
        existing = facilities.select(region.facilities_all, "inpatient")[["facility_id", "geometry"]]
        existing = existing[existing.geometry.notna()].to_crs(net.crs)
        # demand: the lattice cells of the kabupaten, people spread over each desa's cells
        # by the library's own rule (the same people as the coverage tables)
        origins = populated_cells(net, region.desa)
    # candidates: random points in the kabupaten (seeded)
    rng = np.random.default_rng(0)
    kab = region.kabupaten.to_crs(net.crs).union_all()
    minx, miny, maxx, maxy = kab.bounds
    pts = []
    while len(pts) < args.candidates:
        xy = rng.uniform([minx, miny], [maxx, maxy], size=(4 * args.candidates, 2))
        p = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=net.crs)
        pts += list(p[p.within(kab)])
    cand = gpd.GeoDataFrame(geometry=pts[: args.candidates], crs=net.crs)
    print(f"{net!r}\nbuild_network: {t_build:.2f} s")
    print(
        f"origins: {len(origins):,} populated cells ({origins['population'].sum():,.0f} people); "
        f"existing inpatient puskesmas: {len(existing)}; candidates: {len(cand)}"
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        ga.score_candidates(net, origins.iloc[:10], existing, cand.iloc[:2])  # compile once
        t0 = time.perf_counter()
        scores = ga.score_candidates(net, origins, existing, cand, threshold_min=args.threshold)
        t_score = time.perf_counter() - t0

        base = ga.nearest(net, existing).at_points(origins[["geometry"]])["travel_time_min"].to_numpy()
        base = np.where(np.isnan(base), np.inf, base)
        pop = origins["population"].to_numpy()
        sample = rng.choice(len(cand), size=min(args.sample, len(cand)), replace=False)
        t0 = time.perf_counter()
        worst = 0.0
        for i in sample:
            both = pd.concat(
                [
                    existing,
                    gpd.GeoDataFrame({"facility_id": ["NEW"]}, geometry=[cand.geometry.iloc[i]], crs=net.crs),
                ],
                ignore_index=True,
            )
            after = ga.nearest(net, both).at_points(origins[["geometry"]])["travel_time_min"].to_numpy()
            after = np.where(np.isnan(after), np.inf, after)
            within = pop[(base > args.threshold) & (after <= args.threshold)].sum()
            worst = max(worst, abs(within - scores["people_newly_within"].iloc[i]))
        t_full = (time.perf_counter() - t0) / len(sample) * len(cand)

    each_ms = 1000 * t_score / len(cand)
    print(f"score_candidates, {len(cand)} candidates: {t_score:.2f} s ({each_ms:.1f} ms each)")
    print(
        f"full recomputation per candidate: {t_full:.1f} s for {len(cand)} "
        f"(measured on {len(sample)}, extrapolated)"
    )
    print(
        f"ratio full / score_candidates: {t_full / t_score:.0f}x; max |diff| people_newly_within: {worst:.3g}"
    )
    top = scores.sort_values("people_newly_within", ascending=False).head(3)
    print(
        "best 3 candidates by people newly within "
        f"{args.threshold:g} min: {top['people_newly_within'].round(0).tolist()}"
    )


if __name__ == "__main__":
    main()
