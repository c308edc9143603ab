"""Benchmark: geoaccess engine vs networkx on the same graph, and the Muara Enim demo.

Run:  python benchmarks/bench_engine.py [--data-dir ../shared/data] [--resolution 250]

Prints times measured in this run and the ratio networkx / geoaccess (higher is better
for geoaccess). Figures are ratios against a baseline measured in the same run, never
absolute targets: machines differ.
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

import geoaccess as ga
from geoaccess.inputs import datasets, facilities


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--resolution", type=float, default=250.0)
    ap.add_argument("--skip-demo", action="store_true")
    args = ap.parse_args()
    ga.options.progress = False

    region = datasets.load("muara_enim", data_dir=args.data_dir)
    t_build, net = best_of(
        lambda: ga.build_network(
            region.roads, "motorbike", area=region.study_area, resolution_m=args.resolution
        ),
        repeat=1,
    )
    print(f"network: {net!r}")
    print(f"build_network: {t_build:.2f} s")
    pkm = facilities.select(region.facilities_all, "puskesmas")
    print(f"puskesmas (own + buffer, located): {len(pkm)}")

    # the search alone, same sources, same graph: csgraph vs networkx
    cells = net.cells()
    pk = pkm.to_crs(net.crs)
    src = np.unique(net.lattice.cell_of_xy(pk.geometry.x.to_numpy(), pk.geometry.y.to_numpy()))
    src = src[src >= 0]
    g = net.graph_reversed
    t_cs, d_cs = best_of(lambda: dijkstra(g, indices=src, min_only=True))
    t_nx_build, G = best_of(lambda: nx.from_scipy_sparse_array(g, create_using=nx.DiGraph), repeat=1)
    t_nx, d_nx = best_of(lambda: nx.multi_source_dijkstra_path_length(G, set(src.tolist())), repeat=1)
    sample = np.random.default_rng(0).choice(len(cells), 2000, replace=False) + net.n_road_nodes
    diff = max(abs(d_cs[i] - d_nx.get(int(i), np.inf)) for i in sample if np.isfinite(d_cs[i]))
    print(f"multi-source search from {len(src)} sources over {net.n_nodes:,} nodes:")
    print(f"  scipy csgraph (geoaccess): {t_cs:.3f} s")
    print(f"  networkx multi_source_dijkstra: {t_nx:.3f} s (+ {t_nx_build:.2f} s to build the nx graph)")
    print(
        f"  ratio networkx / geoaccess: {t_nx / t_cs:.1f}x (search only), "
        f"{(t_nx + t_nx_build) / t_cs:.1f}x incl. nx graph build; max |diff| on 2,000 nodes: {diff:.2e} min"
    )

    t_tt, _ = best_of(lambda: ga.cell_travel_time(net, pkm))
    print(f"cell_travel_time (all {net.n_cells:,} cells, attach + search): {t_tt:.3f} s")

    if not args.skip_demo:
        import tempfile

        from geoaccess.pipeline import run_access, write_outputs

        t = time.perf_counter()
        res = run_access(region, resolution_m=args.resolution, progress=False)
        t_run = time.perf_counter() - t
        with tempfile.TemporaryDirectory() as d:
            t = time.perf_counter()
            write_outputs(res, d)
            t_write = time.perf_counter() - t
        print(
            f"Muara Enim demo: run_access {t_run:.2f} s, write_outputs {t_write:.2f} s "
            f"(ratio to one search: {t_run / t_cs:.0f}x)"
        )


if __name__ == "__main__":
    main()
