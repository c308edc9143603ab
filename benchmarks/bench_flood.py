"""Benchmark: the flood-season network (geoaccess.flood_network) against a full rebuild.

Run:  python benchmarks/bench_flood.py [--data-dir ../shared/data] [--resolution 250]
                                       [--regions muara_enim musi_banyuasin] [--repeat 3]

Hazard: the desa polygons classed by the bundled BNPB InaRISK ``flood_hazard_index`` with
the library's ``ga.hazard_from_desa`` (0.333 and below rendah, 0.667 and above tinggi;
desa without an index are ``unknown``, which ``flood_network`` leaves out); default
factors of :mod:`geoaccess.engine.flood` (tinggi cut, sedang 0.5, rendah 1).

1. Muara Enim, motorbike: the dry-season build, then ``flood_network`` plus one
   category's recompute (nearest inpatient puskesmas), against a full rebuild of the
   network with the flooded off-road speeds (``build_network(offroad_speed_raster=...)``,
   the lattice being what a rebuild pays for; the flooded road times would come on top)
   plus the same search. Ratio in the same run, best of ``--repeat``.
2. The headline per region: ``compare_scenario(run_access(...), flood_scenario(...))``:
   people pushed beyond 60 and 120 minutes of a puskesmas / an inpatient puskesmas, and
   people cut off, facilities closed (standing in tinggi); the exposure per hazard class
   (``flood_exposure``: people, own puskesmas / pustu / hospitals, road km).

The first part also checks that ``flood_network`` with the roads left as built gives the
rebuild's graph entry by entry, times included (no tolerance).

Measured (this machine, 250 m, best of 5 or 7 per run). 2026-12-01, 2 cores shared with
other jobs (load average 4-7: each figure moved by a factor of two between six runs, so
the ratio in one run is between two noisy numbers): Muara Enim dry build 0.26-0.55 s;
flood_network 0.10-0.18 s + nearest inpatient 0.10-0.21 s = 0.20-0.38 s beyond the dry
build (goal < 1 s: met); a full rebuild with the flooded speeds 0.28-0.61 s. Ratio
rebuild / flood_network 1.9-4.8x per run, 2.8x between the best times of all runs (0.28 /
0.10 s); (rebuild + search) / (flood + search) 1.4-2.9x. flood_network equals the rebuild
entry by entry in every run. ``Network.with_cell_speeds`` now recomputes only the lattice
entries of the cells whose speed changed and of their 8 neighbours (30,725 of 370,929
cells changed, about 278,000 of 3,063,227 entries) and the connectors into those cells, in
a copy of the graph's data array; the road pieces are matched to the hazard polygons with
a tree over the pieces (before: every entry, 0.50 s of flood_network's 0.57 s, ratio
0.7x). The flood-season tables below are the same as before the change.

The bundled index tops out at 0.583 (Muara Enim) and 0.606 (Musi Banyuasin): no desa is
tinggi, so nothing is cut or closed; the flood season is the sedang desa at half speed
(Muara Enim 96 of 254 desa, Musi Banyuasin 95 of 239). People pushed beyond 60 min of a
puskesmas: 57,340 (Muara Enim), 100,988 (Musi Banyuasin); of an inpatient puskesmas:
57,981 and 121,649. Exposure (``flood_exposure``): Muara Enim 422,343 people / 12
puskesmas in rendah, 226,432 people / 5 puskesmas and 1 hospital in sedang (4 puskesmas
and 5 hospitals unknown: placed at a kecamatan centroid); Musi Banyuasin 458,838 / 15
puskesmas in rendah, 271,842 / 9 puskesmas and 2 hospitals in sedang (1 hospital unknown).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

import geoaccess as ga
from geoaccess.engine.flood import ROAD_FACTORS, flood_network, flooded_facilities
from geoaccess.planning.flood import flood_scenario


def _keyed_entries(net: ga.Network) -> list[np.ndarray]:
    """Graph entries as (key from, key to, minutes), sorted; a node's key is its road node
    id or its lattice cell, so a rebuild without the cut cells compares with a network
    that keeps them as nodes without entries."""
    lat = net.lattice
    assert lat is not None
    n_road = net.n_road_nodes
    xy = net.node_xy[n_road:]
    r = np.floor((lat.y0 - xy[:, 1]) / lat.resolution_m).astype(np.int64)
    c = np.floor((xy[:, 0] - lat.x0) / lat.resolution_m).astype(np.int64)
    key = np.concatenate([np.arange(n_road), n_road + r * lat.shape[1] + c])
    coo = net.graph.tocoo()
    a, b = key[coo.row], key[coo.col]
    order = np.lexsort((b, a))
    return [a[order], b[order], coo.data[order]]


def _same_entries(n1: ga.Network, n2: ga.Network) -> bool:
    """Exactly the same entries, times included (no tolerance)."""
    e1, e2 = _keyed_entries(n1), _keyed_entries(n2)
    return all(x.shape == y.shape and bool(np.array_equal(x, y)) for x, y in zip(e1, e2, strict=True))


def _best(fn, repeat):  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--resolution", type=float, default=250.0)
    ap.add_argument("--regions", nargs="*", default=["muara_enim", "musi_banyuasin"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-headline", action="store_true")
    args = ap.parse_args()
    warnings.simplefilter("ignore", ga.GeoAccessWarning)  # the loader's data notes

    import rasterio

    region = ga.datasets.load("muara_enim", data_dir=args.data_dir)
    hz = ga.hazard_from_desa(region.desa)
    print(f"Muara Enim hazard: {hz['hazard_class'].value_counts().to_dict()} desa")
    kw = dict(area=region.study_area, resolution_m=args.resolution)
    t_build, net = _best(lambda: ga.build_network(region.roads, "motorbike", **kw), args.repeat)
    inpatient = ga.facilities.select(region.facilities_all, "inpatient")
    t_flood, fnet = _best(lambda: flood_network(net, hz), args.repeat)
    t_search, _ = _best(lambda: ga.nearest(fnet, inpatient), args.repeat)
    lat = fnet.lattice
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "flood_speed.tif"
        with rasterio.open(
            path, "w", driver="GTiff", height=lat.shape[0], width=lat.shape[1], count=1,
            dtype="float64", crs=net.crs.to_wkt(), transform=lat.transform,
        ) as ds:  # fmt: skip
            ds.write(lat.speed_kph, 1)
        t_rebuild, rnet = _best(
            lambda: ga.build_network(region.roads, "motorbike", offroad_speed_raster=path, **kw), args.repeat
        )
    t_rsearch, _ = _best(lambda: ga.nearest(rnet, inpatient), args.repeat)
    # the same network, entry by entry: flood_network with the roads left as built (the
    # rebuild cannot slow them) against the rebuild
    keep_roads = dict.fromkeys(ROAD_FACTORS, 1.0)
    same = _same_entries(flood_network(net, hz, road_factors=keep_roads), rnet)
    rr, cc = net._cell_rc_of_nodes()
    n_changed = int((lat.speed_kph[rr, cc] != net.lattice.speed_kph[rr, cc]).sum())
    cut_roads = int((~np.isfinite(fnet.edges["travel_time_min"].to_numpy())).sum())
    print(f"\n{net!r}")
    print(f"road edges cut: {cut_roads:,} of {len(net.edges):,}; cells cut: {net.n_cells - rnet.n_cells:,}; "
          f"cells slowed or cut: {n_changed:,} of {net.n_cells:,}")  # fmt: skip
    print(f"flood_network (roads as built) = the rebuild, entry by entry: {same}")
    print(f"dry-season build                         {t_build:7.3f} s")
    print(f"flood_network                            {t_flood:7.3f} s")
    print(f"nearest inpatient on the flood network   {t_search:7.3f} s")
    print(f"  flood recompute beyond the dry build   {t_flood + t_search:7.3f} s (goal < 1 s)")
    print(f"full rebuild with the flooded speeds     {t_rebuild:7.3f} s  + search {t_rsearch:.3f} s")
    print(f"  ratio rebuild / flood_network          {t_rebuild / t_flood:7.1f} x")
    print(f"  ratio (rebuild+search)/(flood+search)  {(t_rebuild + t_rsearch) / (t_flood + t_search):7.1f} x")

    if args.skip_headline:
        return
    for name in args.regions:
        reg = region if name == "muara_enim" else ga.datasets.load(name, data_dir=args.data_dir)
        hz_r = ga.hazard_from_desa(reg.desa)
        t = time.perf_counter()
        res = ga.run_access(reg, resolution_m=args.resolution, progress=False)
        t_run = time.perf_counter() - t
        t = time.perf_counter()
        sc = flood_scenario(res, hz_r)
        cmp = ga.compare_scenario(res, sc)
        t_cmp = time.perf_counter() - t
        closed = flooded_facilities(res.facilities, hz_r)
        names = res.facilities.set_index("facility_id").loc[closed]
        print(f"\n== {reg.name}: hazard {hz_r['hazard_class'].value_counts().to_dict()} desa; run_access "
              f"{t_run:.1f} s, flood scenario + compare {t_cmp:.1f} s")  # fmt: skip
        listed = ", ".join(f"{n} ({t})" for n, t in zip(names["name"], names["type"], strict=True))
        print(f"facilities closed (in tinggi): {len(closed)}: {listed}")
        s = cmp.summary.set_index("category")
        cols = [
            "population",
            "mean_min_before",
            "mean_min_after",
            "people_no_longer_within_60_min",
            "people_no_longer_within_120_min",
            "people_newly_unreachable",
        ]
        print(s.loc[[c for c in ("puskesmas", "inpatient", "hospital", "referral") if c in s.index], cols]
              .round(1).to_string())  # fmt: skip
        own = res.facilities[res.facilities["in_kabupaten"]]
        exp = ga.flood_exposure(res.desa, res.kecamatan, own, res.network, ga.hazard_from_desa(res.desa))
        print("exposure (ga.flood_exposure: people, own facilities and road km per hazard class):")
        print(exp.summary.round(0).to_string(index=False))
        kec = cmp.kecamatan[cmp.kecamatan["category"] == "inpatient"]
        top = kec.sort_values("people_no_longer_within_60_min", ascending=False).head(5)
        print("kecamatan with most people pushed beyond 60 min of an inpatient puskesmas:")
        print(top[["name", "population", "people_no_longer_within_60_min", "people_newly_unreachable"]]
              .round(0).to_string(index=False))  # fmt: skip


if __name__ == "__main__":
    main()
