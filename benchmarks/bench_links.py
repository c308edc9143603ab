"""Critical links on the Muara Enim graph: the exact top 50 road links, dry and flood season.

``geoaccess.engine.links.critical_links`` ranks road links (chains between junctions) by
the people a cut of that link pushes beyond 60 minutes of the nearest puskesmas, by
motorbike. Origins: the populated lattice cells, each desa's population spread over its
cells (as in ``bench_candidates.py``). Facilities: every puskesmas. The top links are
checked against a full recomputation (``Network.with_edge_times`` with the link cut,
then ``nearest``); the time of one full recomputation per link is reported for scale.
Flood season: the desa hazard from the bundled InaRISK index (``hazard_from_desa``),
``flood_network``.

Measured (this machine, 250 m, motorbike, 108,125 origin cells, 149 puskesmas, 44 road
links: the shared data has national roads only), 2026-12-01 with the 2 cores shared: dry
season 3.0 s for the exact top 50 (all 44 links evaluated: fewer links than the top
asked), flood season 4.8 s; a full recomputation costs 1.6-2.4 s per link (69-108 s for
all 44); the top 5 agree with it exactly. (An earlier run: 5.2 s and 3.8 s.) Top link:
SP. BELIMBING - BTS. KOTA MUARA ENIM (arteri, 82.9 km), 18,670 people pushed beyond 60
minutes (flood season 20,582); only 4 links push anyone beyond 60 minutes. (The demo's
``*_critical_links.csv`` gives 19,731 for that link: its origins are the run's own
allocation, with the desa without a polygon spread over their kecamatan.)

Run from the repository root::

    python benchmarks/bench_links.py
    python benchmarks/bench_links.py --resolution 100 --top 50
"""

from __future__ import annotations

import argparse
import time
import warnings

import geopandas as gpd
import numpy as np

import geoaccess as ga
from geoaccess.analysis.flood import hazard_from_desa
from geoaccess.engine.links import critical_links, road_links
from geoaccess.exceptions import GeoAccessWarning
from geoaccess.inputs import datasets, facilities
from geoaccess.inputs.population import populated_cells


def _names(out: gpd.GeoDataFrame, roads: gpd.GeoDataFrame) -> list[str]:
    """Road name of each link: the road line nearest its midpoint (``nama_ruas``)."""
    if "nama_ruas" not in roads.columns or len(out) == 0:
        return [""] * len(out)
    mid = gpd.GeoDataFrame(geometry=out.geometry.interpolate(0.5, normalized=True), crs=out.crs)
    j = gpd.sjoin_nearest(mid, roads[["nama_ruas", "geometry"]].to_crs(out.crs), how="left")
    j = j[~j.index.duplicated()]
    return j["nama_ruas"].fillna("").astype(str).tolist()


def _check(net, origins, fac, out, thr, k):  # type: ignore[no-untyped-def]
    """Full recomputation for the first k links: max |diff| of people pushed beyond, s per link."""
    links = road_links(net)
    geo = origins[["geometry"]]
    pop = origins["population"].to_numpy()
    b = ga.nearest(net, fac).at_points(geo)["travel_time_min"].to_numpy()
    b = np.where(np.isnan(b), np.inf, b)
    times = net.edges["travel_time_min"].to_numpy(dtype=float)
    worst = 0.0
    t0 = time.perf_counter()
    for lk, got in zip(out["link_id"][:k], out["people_pushed_beyond"][:k], strict=True):
        t = times.copy()
        t[links.loc[lk, "edges"]] = np.inf
        a = ga.nearest(net.with_edge_times(t), fac).at_points(geo)["travel_time_min"].to_numpy()
        a = np.where(np.isnan(a), np.inf, a)
        worst = max(worst, abs(pop[(b <= thr) & (a > thr)].sum() - got))
    return worst, (time.perf_counter() - t0) / max(k, 1)


def _run(label, net, origins, fac, roads, args) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = critical_links(net, origins, fac, threshold_min=args.threshold, top=args.top)
    dt = time.perf_counter() - t0
    a = out.attrs
    print(
        f"\n== {label}: critical_links top {args.top}: {dt:.2f} s; {a['evaluated']} of {a['links']} links "
        f"evaluated exactly (exact top: {a['exact']}); baseline within {args.threshold:g} min: "
        f"{a['baseline']['people_within']:,.0f}, unreachable {a['baseline']['people_unreachable']:,.0f}"
    )
    names = _names(out.head(5), roads)
    for (_, r), name in zip(out.head(5).iterrows(), names, strict=True):
        print(
            f"  #{r['rank']} link {r['link_id']} {name or '(no name)'} [{r['road_class']}, "
            f"{r['length_m'] / 1000:.1f} km]: {r['people_pushed_beyond']:,.0f} pushed beyond, "
            f"{r['people_cut_off']:,.0f} cut off, {r['person_min_delay']:,.0f} person-min delay, "
            f"{r['people_routed']:,.0f} routed, {r['nodes_recomputed']:,} nodes recomputed"
        )
    if args.check:
        worst, per = _check(net, origins, fac, out, args.threshold, args.check)
        print(
            f"  full recomputation of the top {args.check}: max |diff| people pushed beyond {worst:.3g}; "
            f"{per:.2f} s per link ({per * a['links']:.0f} s for all {a['links']} links)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--region", default="muara_enim")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--resolution", type=float, default=250.0)
    ap.add_argument("--threshold", type=float, default=60.0)
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--check", type=int, default=5, help="top links checked by full recomputation")
    ap.add_argument("--no-flood", action="store_true")
    args = ap.parse_args()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        region = datasets.load(args.region, data_dir=args.data_dir)
        t0 = time.perf_counter()
        net = ga.build_network(
            region.roads, "motorbike", area=region.study_area, resolution_m=args.resolution
        )
        t_build = time.perf_counter() - t0
        fac = facilities.select(region.facilities_all, "puskesmas")[["facility_id", "geometry"]]
        fac = fac[fac.geometry.notna()].to_crs(net.crs)
        origins = populated_cells(net, region.desa)
        print(f"{net!r}\nbuild_network: {t_build:.2f} s")
        print(
            f"origins: {len(origins):,} populated cells ({origins['population'].sum():,.0f} people); "
            f"puskesmas: {len(fac)}; road links: {len(road_links(net))}"
        )
        critical_links(net, origins.iloc[:20], fac, top=2)  # compile the kernels once
        _run("dry season", net, origins, fac, region.roads, args)
        if not args.no_flood:
            hz = hazard_from_desa(region.desa)
            t0 = time.perf_counter()
            fnet = ga.flood_network(net, hz)
            classes = hz["hazard_class"].value_counts().to_dict()
            print(f"\nflood_network: {time.perf_counter() - t0:.2f} s; hazard {classes}")
            _run("flood season", fnet, origins, fac, region.roads, args)


if __name__ == "__main__":
    main()
