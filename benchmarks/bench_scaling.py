"""Benchmark: how the nearest-facility search scales, against its floor and networkx.

Run:  python benchmarks/bench_scaling.py [--data-dir ../shared/data] [--sizes 1e4,...]
          [--resolutions 500,250,100] [--nx-max-edges 1.2e6] [--repeat 3] [--json out.json]

For each graph, in one run on the same machine:

- ``build``: :func:`geoaccess.build_network` (reported apart from the search);
- ``geoaccess``: :func:`geoaccess.engine.travel.nearest` (facilities attached to the graph,
  then one multi-source search with predecessors), best of ``--repeat`` after one warm-up
  call (the warm-up pays for the reversed graph and its search buffer, reported as
  ``first``);
- ``scipy``: raw ``scipy.sparse.csgraph.dijkstra(graph_reversed, indices=<facility
  cells>, min_only=True)`` on the same graph: the floor geoaccess is measured against;
- ``networkx``: ``nx.multi_source_dijkstra_path_length`` on the same reversed graph from the
  same sources as ``scipy``, best of ``--repeat`` like the others (its
  graph conversion reported apart), only up to ``--nx-max-edges`` edges;
- ``scipy + predecessors``: the ``scipy`` call with ``return_predecessors=True``, the
  shortest-path forest geoaccess also returns (for reading, not the floor of the goal).

Graphs: synthetic walking lattices (``build_network(None, "walk", area=<square>,
resolution_m=100)``, no roads) sized for 10 thousand to 2 million directed edges, with 30
random facilities; and the Muara Enim kabupaten (roads + lattice, motorbike) at the given
resolutions with its puskesmas. Times are CPU seconds of this process
(``time.process_time``; the machine may be shared, so the load average is printed with
them) with wall seconds beside; memory is the peak of Python-tracked allocations
(``tracemalloc``: NumPy and SciPy arrays) during the step, measured in a separate call so
that tracing does not slow the timed ones. The growth with size is the slope of a
least-squares line through log(value) against log(edges). Ratios are between figures of
this one run; they are not targets for timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse.csgraph import dijkstra

import geoaccess as ga
from geoaccess.engine.travel import nearest

UTM = "EPSG:32748"


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, float, Any]:
    """Best CPU and wall seconds per call over ``repeat`` rounds, and the last result.

    A call under 0.05 s is repeated within a round (to 0.2 s) and the round's mean taken.
    """
    cpu, wall, out = [], [], None
    number = 1
    for i in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        for _ in range(number):
            out = fn()
        cpu.append((time.process_time() - c) / number)
        wall.append((time.perf_counter() - w) / number)
        if i == 0 and repeat > 1 and wall[0] < 0.05:
            number = int(np.ceil(0.2 / max(wall[0], 1e-4)))
    return min(cpu), min(wall), out


def peak_mb(fn: Callable[[], Any]) -> float:
    """Peak traced allocation (MB) while ``fn`` runs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def measure(name: str, build: Callable[[], Any], facilities: gpd.GeoDataFrame, args: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"graph": name, "load_before": os.getloadavg()[0]}
    row["build_cpu"], row["build_wall"], net = timed(build, args.repeat)
    row["build_peak_mb"] = peak_mb(build)
    row["nodes"], row["edges"] = net.n_nodes, int(net.graph.nnz)
    row["first_cpu"], _, _ = timed(lambda: nearest(net, facilities))  # reversed graph + buffer
    row["ga_cpu"], row["ga_wall"], res = timed(lambda: nearest(net, facilities), args.repeat)
    row["ga_peak_mb"] = peak_mb(lambda: nearest(net, facilities))
    g = net.graph_reversed
    fx = facilities.to_crs(net.crs)
    src = net.lattice.cell_of_xy(fx.geometry.x.to_numpy(), fx.geometry.y.to_numpy())
    src = np.unique(src[src >= 0])
    row["sources"] = len(src)
    row["scipy_cpu"], row["scipy_wall"], d = timed(
        lambda: dijkstra(g, directed=True, indices=src, min_only=True), args.repeat
    )
    row["scipy_peak_mb"] = peak_mb(lambda: dijkstra(g, directed=True, indices=src, min_only=True))
    # the same search with the shortest-path forest, as geoaccess returns it
    row["scipy_pred_cpu"], _, _ = timed(
        lambda: dijkstra(g, directed=True, indices=src, min_only=True, return_predecessors=True), args.repeat
    )
    # same answer where both start from the facility's own cell (geoaccess adds the leg)
    row["ratio_ga_scipy"] = row["ga_cpu"] / row["scipy_cpu"]
    if row["edges"] <= args.nx_max_edges:
        import networkx as nx

        row["nx_build_cpu"], _, G = timed(lambda: nx.from_scipy_sparse_array(g, create_using=nx.DiGraph))
        row["nx_cpu"], row["nx_wall"], dn = timed(
            lambda: nx.multi_source_dijkstra_path_length(G, set(src.tolist())), args.repeat
        )
        sample = np.random.default_rng(0).choice(net.n_nodes, min(2000, net.n_nodes), replace=False)
        row["nx_max_diff_min"] = float(
            max((abs(d[i] - dn.get(int(i), np.inf)) for i in sample if np.isfinite(d[i])), default=0.0)
        )
        row["ratio_nx_ga"] = row["nx_cpu"] / row["ga_cpu"]
        del G, dn
    row["reachable"] = float(np.isfinite(res.time_min).mean())
    row["load_after"] = os.getloadavg()[0]
    print(
        f"{name}: {row['edges']:,} edges, build {row['build_cpu']:.2f} s, geoaccess {row['ga_cpu']:.3f} s, "
        f"scipy {row['scipy_cpu']:.3f} s ({row['ratio_ga_scipy']:.2f}x; "
        f"with predecessors {row['scipy_pred_cpu']:.3f} s), "
        + (f"networkx {row['nx_cpu']:.2f} s ({row['ratio_nx_ga']:.0f}x), " if "nx_cpu" in row else "")
        + f"load {row['load_before']:.2f}/{row['load_after']:.2f}",
        flush=True,
    )
    return row


def synthetic(edges: float, rng: np.random.Generator) -> tuple[Callable[[], Any], gpd.GeoDataFrame]:
    res = 100.0
    side = np.ceil(np.sqrt(edges / 8.0)) * res
    area = gpd.GeoSeries([shapely.box(0, 0, side, side)], crs=UTM)
    pts = rng.uniform(0, side, (30, 2))
    fac = gpd.GeoDataFrame(
        {"facility_id": [f"F{i}" for i in range(30)]}, geometry=shapely.points(pts), crs=UTM
    )
    return lambda: ga.build_network(None, "walk", area=area, resolution_m=res, memory_check=False), fac


def fit(rows: list[dict[str, Any]], key: str) -> float:
    x = np.log([r["edges"] for r in rows if r.get(key)])
    y = np.log([r[key] for r in rows if r.get(key)])
    return float(np.polyfit(x, y, 1)[0]) if len(x) >= 2 else float("nan")


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| graph | nodes | edges | build CPU s | build peak MB | geoaccess CPU s | scipy CPU s | "
        "geoaccess / scipy | scipy + predecessors CPU s | networkx CPU s | networkx / geoaccess | "
        "search peak MB (geoaccess / scipy) | load |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    out = [head]
    for r in rows:
        nx_ = f"{r['nx_cpu']:.2f}" if "nx_cpu" in r else "-"
        ratio = f"{r['ratio_nx_ga']:.0f}x" if "ratio_nx_ga" in r else "-"
        out.append(
            f"| {r['graph']} | {r['nodes']:,} | {r['edges']:,} | {r['build_cpu']:.3f} | "
            f"{r['build_peak_mb']:.1f} | {r['ga_cpu']:.4f} | {r['scipy_cpu']:.4f} | "
            f"{r['ratio_ga_scipy']:.2f}x | {r['scipy_pred_cpu']:.4f} | "
            f"{nx_} | {ratio} | "
            f"{r['ga_peak_mb']:.1f} / {r['scipy_peak_mb']:.1f} | "
            f"{r['load_before']:.1f}-{r['load_after']:.1f} |"
        )
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--sizes", default="1e4,3e4,1e5,3e5,1e6,2e6")
    ap.add_argument("--resolutions", default="500,250,100")
    ap.add_argument("--nx-max-edges", type=float, default=1.2e6)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    ga.options.progress = False
    rng = np.random.default_rng(0)
    rows = []
    timed(synthetic(1e4, rng)[0])  # warm-up: imports and first-call costs
    for e in (float(s) for s in args.sizes.split(",") if s):
        build, fac = synthetic(e, rng)
        rows.append(measure(f"lattice {e:.0e}", build, fac, args))
    syn = list(rows)
    real = []
    if args.resolutions:
        from geoaccess.inputs import datasets, facilities

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            region = datasets.load("muara_enim", data_dir=args.data_dir)
        pkm = facilities.select(region.facilities_all, "puskesmas")
        pkm = pkm[pkm.geometry.notna()]
        for r in (float(s) for s in args.resolutions.split(",") if s):

            def build(r: float = r) -> Any:
                return ga.build_network(
                    region.roads, "motorbike", area=region.study_area, resolution_m=r, memory_check=False
                )

            real.append(measure(f"Muara Enim {r:g} m", build, pkm, args))
        rows += real
    print()
    print(table(rows))
    print()
    for label, part in (("synthetic", syn), ("Muara Enim", real)):
        if len(part) >= 2:
            print(
                f"{label}: growth exponent vs edges (log-log least squares): "
                f"build CPU {fit(part, 'build_cpu'):.2f}, "
                f"build peak memory {fit(part, 'build_peak_mb'):.2f}, "
                f"geoaccess search CPU {fit(part, 'ga_cpu'):.2f}, scipy CPU {fit(part, 'scipy_cpu'):.2f}, "
                f"search peak memory {fit(part, 'ga_peak_mb'):.2f}, networkx CPU {fit(part, 'nx_cpu'):.2f}"
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
