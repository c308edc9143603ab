"""Benchmark: many kabupaten through :func:`geoaccess.run_many` (all of Indonesia by default).

Run:  python benchmarks/bench_national.py [--resolution 500] [--province 15,16]
          [--workers 2] [--cache-dir DIR] [--out DIR] [--data-dir ../shared/data]

Runs every kabupaten of ``indonesia/kabupaten.geojson`` (or of the provinces given) on a
local Dask cluster of ``--workers`` processes and writes the merged outputs to ``--out``
(:func:`geoaccess.batch.write_many`: per-province, kabupaten and kecamatan tables, failures,
the run log). Prints the wall time of the call, the CPU seconds of the whole process tree
(this process and the Dask workers, from ``psutil``), the peak of the summed resident
memory of that tree (sampled every ``--sample`` seconds: the scheduler, nanny and worker
processes all count) and the load average. Without ``--cache-dir`` nothing is cached, so
the time is that of a first run.

Outside South Sumatra the shared data hold no roads: those kabupaten run on the off-road
grid alone, so the national figures test scale, not access.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import psutil

import geoaccess as ga
from geoaccess import batch


class TreeSampler(threading.Thread):
    """Peak of the summed RSS of this process and all its descendants, and their CPU time."""

    def __init__(self, every_s: float) -> None:
        super().__init__(daemon=True)
        self.every_s = every_s
        self.peak_rss = 0
        self.cpu: dict[int, float] = {}
        self.stop = threading.Event()

    def sample(self) -> None:
        me = psutil.Process()
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                with p.oneshot():
                    total += p.memory_info().rss
                    t = p.cpu_times()
                    self.cpu[p.pid] = t.user + t.system + t.children_user + t.children_system
            except psutil.Error:
                continue
        self.peak_rss = max(self.peak_rss, total)

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.every_s)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--resolution", type=float, default=500.0)
    ap.add_argument("--province", default=None, help="province codes, comma-separated (default: all)")
    ap.add_argument("--codes", default=None, help="kabupaten codes, comma-separated (default: all)")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--cache-dir", default=None)
    ap.add_argument("--out", default=None)
    ap.add_argument("--map", action="store_true", help="write the merged map too")
    ap.add_argument("--sample", type=float, default=2.0)
    args = ap.parse_args(argv)
    if args.codes:
        codes = args.codes.split(",")
    else:
        prov = args.province.split(",") if args.province else None
        codes = batch.kabupaten_codes(prov, data_dir=args.data_dir)
    sampler = TreeSampler(args.sample)
    sampler.start()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    res = ga.run_many(
        codes,
        data_dir=args.data_dir,
        resolution_m=args.resolution,
        n_workers=args.workers,
        cache_dir=args.cache_dir,
        progress=False,
    )
    wall = time.perf_counter() - t0
    sampler.stop.set()
    sampler.join()
    cpu_tree = sum(v for pid, v in sampler.cpu.items() if pid != os.getpid()) + (time.process_time() - cpu0)
    load = os.getloadavg()
    summary = {
        "kabupaten": len(codes),
        "resolution_m": args.resolution,
        "ok": int(res.runs["ok"].sum()) if len(res.runs) else 0,
        "failed": len(res.failures),
        "wall_s": round(wall, 1),
        "cpu_tree_s": round(cpu_tree, 1),
        "peak_tree_rss_mb": round(sampler.peak_rss / 2**20),
        "max_worker_peak_rss_mb": round(float(res.runs["peak_rss_mb"].max()), 1) if len(res.runs) else None,
        "partition_seconds_sum": round(float(res.runs["seconds"].sum()), 1) if len(res.runs) else None,
        "loadavg": [round(x, 2) for x in load],
        "kabupaten_offroad_only": int(
            res.kabupaten.loc[res.kabupaten["category"] == "puskesmas", "offroad_only"].sum()
        )
        if "offroad_only" in res.kabupaten
        else None,
    }
    if args.out:
        written = batch.write_many(res, args.out, map=args.map) if hasattr(batch, "write_many") else {}
        Path(args.out).mkdir(parents=True, exist_ok=True)
        if not written:
            res.province.to_csv(Path(args.out) / "province.csv", index=False)
            res.kabupaten.to_csv(Path(args.out) / "kabupaten.csv", index=False)
            res.failures.to_csv(Path(args.out) / "failures.csv", index=False)
            res.runs.to_csv(Path(args.out) / "runs.csv", index=False)
        (Path(args.out) / "bench_summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    if len(res.failures):
        for code, err in zip(res.failures["code"], res.failures["error"], strict=True):
            print(f"FAILED {code}: {err}")
    pusk = res.province[res.province["category"] == "puskesmas"] if len(res.province) else res.province
    cols = [
        "province_code",
        "province",
        "n_kabupaten",
        "population",
        "share_within_60_min",
        "share_within_120_min",
    ]
    # which figures rest on no road at all (off-road grid only): say it beside them
    cols += [c for c in ("kabupaten_road_km", "share_population_offroad_only") if c in pusk]
    if len(pusk):
        print(pusk[cols].to_string(index=False))
    for note in getattr(res, "notes", ()):
        print(f"NOTE: {note}")
    return summary


if __name__ == "__main__":
    main()
