"""Benchmark: the whole demo job at a fine resolution, CPU, wall and peak memory.

Run:  python benchmarks/bench_demo.py [--resolution 100] [--repeat 3] [--against REF]
      [--data-dir ../shared/data] [--flood-extras]

Runs ``geoaccess demo --resolution R --no-progress`` (by default also
``--no-flood-season --no-critical-links``, the job the 100 m goal of issue 11 was set on)
in a fresh interpreter, ``--repeat`` times, and reports per run the CPU seconds (user +
system of the process, from ``os.wait4``), the wall seconds, the peak resident memory
(``ru_maxrss``) and the machine's 1-minute load before and after.

With ``--against REF`` (a commit, branch or tag), the same job at REF runs alternately with
the working tree's (a temporary ``git worktree`` of REF), so both see the same load; the
report gives each run and the ratio of the medians, and compares the outputs of the last
run of each: every CSV byte for byte, the GeoTIFF band by band (its compressed bytes
follow the compression settings); the map HTML, XLSX and GeoPackage carry random ids or
timestamps, and the PNG figures change whenever their drawing does.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_once(tree: Path, out: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One demo run of the code in ``tree``, in a fresh interpreter."""
    cmd = [
        sys.executable,
        "-m",
        "geoaccess.cli",
        "demo",
        "--resolution",
        str(args.resolution),
        "--out",
        str(out),
        "--data-dir",
        str(args.data_dir),
        "--no-progress",
    ]
    if not args.flood_extras:
        cmd += ["--no-flood-season", "--no-critical-links"]
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONWARNINGS="ignore")
    shutil.rmtree(out, ignore_errors=True)  # no file of an earlier run left to compare
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryFile() as err_file:  # a file, not a pipe: no deadlock on long output
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=err_file)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
    if status != 0:
        raise SystemExit(f"demo failed in {tree}:\n{err[-2000:]}")
    return {
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "sys_s": usage.ru_stime,
        "wall_s": wall,
        "peak_gb": usage.ru_maxrss * 1024 / 1e9,  # ru_maxrss is in KiB on Linux
        "load": f"{load0:.1f}-{os.getloadavg()[0]:.1f}",
    }


def same_outputs(a: Path, b: Path) -> list[str]:
    """Names of the outputs that differ between two output folders: CSV by their bytes,
    the GeoTIFF by its bands, their names, grid and CRS (not its compressed bytes)."""
    import numpy as np
    import rasterio

    wanted = (".csv", ".tif")
    only = {p.name for p in b.iterdir() if p.suffix in wanted} - {p.name for p in a.iterdir()}
    differ = sorted(f"{n} (only in the second)" for n in only)
    for p in sorted(a.iterdir()):
        q = b / p.name
        if p.suffix == ".csv":
            if not q.exists() or not filecmp.cmp(p, q, shallow=False):
                differ.append(p.name)
        elif p.suffix == ".tif":
            if not q.exists():
                differ.append(p.name)
                continue
            with rasterio.open(p) as x, rasterio.open(q) as y:
                same = (
                    x.descriptions == y.descriptions
                    and x.transform == y.transform
                    and x.crs == y.crs
                    and np.array_equal(x.read(), y.read(), equal_nan=True)
                )
            if not same:
                differ.append(p.name)
    return differ


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resolution", type=float, default=100.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", help="commit / branch to run alternately with the working tree")
    ap.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--flood-extras", action="store_true", help="keep the flood season and critical links")
    args = ap.parse_args()
    args.data_dir = Path(args.data_dir).resolve()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        trees = {"HEAD (working tree)": ROOT}
        if args.against:
            ref_tree = tmp / "ref"
            subprocess.run(
                ["git", "worktree", "add", "--detach", str(ref_tree), args.against],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            trees = {f"{args.against}": ref_tree, **trees}
        rows: dict[str, list[dict[str, Any]]] = {k: [] for k in trees}
        try:
            for i in range(args.repeat):
                for name, tree in trees.items():
                    out = tmp / f"out-{abs(hash(name))}"
                    r = run_once(tree, out, args)
                    rows[name].append(r)
                    print(
                        f"{name:24s} run {i + 1}: CPU {r['cpu_s']:.1f} s (system {r['sys_s']:.1f}), "
                        f"wall {r['wall_s']:.1f} s, peak {r['peak_gb']:.2f} GB, load {r['load']}",
                        flush=True,
                    )
            print()
            for name, rs in rows.items():
                med = {k: statistics.median(r[k] for r in rs) for k in ("cpu_s", "wall_s", "peak_gb")}
                print(
                    f"{name:24s} median of {len(rs)}: CPU {med['cpu_s']:.1f} s, wall {med['wall_s']:.1f} s, "
                    f"peak {med['peak_gb']:.2f} GB"
                )
            if args.against:
                ref, head = (statistics.median(r["cpu_s"] for r in rs) for rs in rows.values())
                print(f"CPU ratio HEAD / {args.against}: {head / ref:.2f}")
                outs = [tmp / f"out-{abs(hash(name))}" for name in trees]
                diff = same_outputs(*outs)
                print("CSV bytes and GeoTIFF bands: " + ("identical" if not diff else f"differ: {diff}"))
        finally:
            if args.against:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(tmp / "ref")], cwd=ROOT, capture_output=True
                )


if __name__ == "__main__":
    main()
