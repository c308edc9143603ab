"""Break each method on purpose and check that the test suite notices.

Each mutant is one textual change to the library (a doubled connector cost, a dropped
barrier test, ...), applied to a copy of the repository; the suite then runs on that copy
and must fail. A mutant the suite does not kill is a method no test checks.

Run from the repository root::

    python tests/mutations.py            # every mutant, full suite each (-x)
    python tests/mutations.py --list
    python tests/mutations.py connector_cost_doubled no_corner_cutting

Exit status 1 when a mutant survives. Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutant:
    name: str
    what: str
    path: str  # relative to the repository root
    old: str  # must occur exactly once
    new: str


MUTANTS = (
    Mutant(
        "connector_cost_doubled",
        "connectors between road nodes and their cell cost twice the off-road time",
        "geoaccess/engine/network.py",
        "t = d / (lattice.speed_kph[rr, cc] * KPH_TO_M_PER_MIN)",
        "t = 2 * d / (lattice.speed_kph[rr, cc] * KPH_TO_M_PER_MIN)",
    ),
    Mutant(
        "no_corner_cutting_removed",
        "diagonal lattice steps allowed between two impassable cells",
        "geoaccess/engine/lattice.py",
        "ok &= active[r0 + dr : r1 + dr, c0:c1] | active[r0:r1, c0 + dc : c1 + dc]",
        "pass",
    ),
    Mutant(
        "leg_barrier_test_removed",
        "first and last legs may cross barriers",
        "geoaccess/engine/travel.py",
        "    tree = net.barrier_tree\n",
        "    tree = None\n",
    ),
    Mutant(
        "same_cell_direct_trip_removed",
        "a home and a facility in the same cell are timed through the cell centre",
        "geoaccess/engine/travel.py",
        "    h = np.flatnonzero(home.cell >= 0)\n",
        "    h = np.flatnonzero(home.cell >= 0)[:0]\n",
    ),
    Mutant(
        "access_controlled_connectors_kept",
        "toll roads and motorways joined to the lattice at every node",
        "geoaccess/engine/network.py",
        "has = (cell >= 0) & ordinary",
        "has = cell >= 0",
    ),
    Mutant(
        "population_weighting_removed",
        "desa and kecamatan mean times are plain means of their cells, not population-weighted",
        "geoaccess/pipeline.py",
        'df["vw"] = df["v"] * df["w"]',
        'df["vw"] = df["v"]; df["w"] = 1.0',
    ),
    Mutant(
        "referral_mode_ignored",
        "the referral leg is searched on the household's network whatever referral_mode says",
        "geoaccess/pipeline.py",
        "    same = referral_mode == mode and",
        "    same = True or",
    ),
    Mutant(
        "lattice_diagonal_as_orthogonal",
        "a diagonal lattice step costs the same as an orthogonal one",
        "geoaccess/engine/lattice.py",
        "step = resolution_m * (np.sqrt(2.0) if dr and dc else 1.0)",
        "step = resolution_m",
    ),
    Mutant(
        "cell_speeds_neighbours_not_recomputed",
        "with_cell_speeds recomputes the entries of changed cells only, not those of their neighbours",
        "geoaccess/engine/network.py",
        "        for r0 in (0, 1, 2):\n            for c0 in (0, 1, 2):\n",
        "        for r0 in (1,):\n            for c0 in (1,):\n",
    ),
)


def run(mutant: Mutant, python: str, pytest_args: list[str]) -> tuple[bool, str, float]:
    """Apply ``mutant`` to a copy of the repository and run the suite there.

    Returns (killed, first failing test or the tail of the output, seconds).
    """
    with tempfile.TemporaryDirectory(prefix=f"mutant-{mutant.name}-") as tmp:
        dst = Path(tmp) / "repo"
        shutil.copytree(
            ROOT,
            dst,
            ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "geoaccess-output"),
        )
        target = dst / mutant.path
        text = target.read_text()
        if text.count(mutant.old) != 1:
            raise SystemExit(
                f"{mutant.name}: expected the text to mutate exactly once in {mutant.path}, "
                f"found it {text.count(mutant.old)} times; update tests/mutations.py"
            )
        target.write_text(text.replace(mutant.old, mutant.new))
        data = os.environ.get("GEOACCESS_DATA_DIR", str(ROOT.parent / "shared" / "data"))
        env = dict(os.environ, PYTHONPATH=str(dst), GEOACCESS_DATA_DIR=data)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *pytest_args],
            cwd=dst,
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - t0
    out = proc.stdout + proc.stderr
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", out, flags=re.MULTILINE)
    killed = proc.returncode not in (0, 5)
    return killed, failed[0] if failed else out.strip().splitlines()[-1], seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="mutants to run (default: all)")
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--pytest-args", default="", help="extra pytest arguments, e.g. 'tests/test_engine.py'")
    args = ap.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.names or m.name in args.names]
    unknown = set(args.names) - {m.name for m in MUTANTS}
    if unknown:
        ap.error(f"unknown mutants {sorted(unknown)}; --list shows them")
    if args.list:
        for m in chosen:
            print(f"{m.name:36s} {m.what}")
        return 0
    survived = []
    print(f"{'mutant':36s} {'result':8s} {'s':>5s}  first failing test")
    for m in chosen:
        killed, first, seconds = run(m, args.python, args.pytest_args.split())
        print(f"{m.name:36s} {'killed' if killed else 'SURVIVED':8s} {seconds:5.0f}  {first}", flush=True)
        if not killed:
            survived.append(m.name)
    if survived:
        print(f"\n{len(survived)} mutant(s) survived: {survived}")
        return 1
    print(f"\nall {len(chosen)} mutants killed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
