"""Command line: ``geoaccess demo`` runs the whole job on a bundled region.

Examples
--------
``geoaccess demo`` (Muara Enim, motorbike, 250 m lattice, outputs in ``geoaccess-output/``)

``geoaccess demo --region musi_banyuasin --mode car --resolution 500 --out out/``
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from .exceptions import GeoAccessError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="geoaccess", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="travel time to puskesmas and hospitals for a bundled region")
    d.add_argument("--region", default="muara_enim", help="muara_enim (default), musi_banyuasin, ogan_komering_ilir, sarolangun")
    d.add_argument("--mode", default="motorbike", choices=["motorbike", "car", "walk"])
    d.add_argument("--resolution", type=float, default=250.0, help="off-road lattice resolution in metres (default 250)")
    d.add_argument("--out", default="geoaccess-output", help="output directory (default geoaccess-output)")
    d.add_argument("--data-dir", default=None, help="shared data directory (default: $GEOACCESS_DATA_DIR or ../shared/data)")
    d.add_argument("--no-progress", action="store_true", help="hide progress bars")
    d.add_argument("-v", "--verbose", action="store_true", help="log details")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``geoaccess`` command; returns the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from .pipeline import run_access, write_outputs

    try:
        t0 = time.perf_counter()
        res = run_access(args.region, mode=args.mode, resolution_m=args.resolution,
                         data_dir=args.data_dir, progress=not args.no_progress)
        files = write_outputs(res, args.out)
    except GeoAccessError as e:
        print(f"geoaccess: error: {e}", file=sys.stderr)
        return 2
    secs = time.perf_counter() - t0
    print(f"\n{res.region.name}: {res.network!r}")
    print(_summary(res))
    print(f"\nwritten in {secs:.1f} s:")
    for k, p in files.items():
        print(f"  {k:<12} {p}")
    return 0


def _summary(res) -> str:  # type: ignore[no-untyped-def]
    desa = res.desa
    pop = desa["population"].fillna(0)
    lines = [f"population (desa table): {pop.sum():,.0f} in {len(desa)} desa"]
    for cat in ("puskesmas", "inpatient", "hospital"):
        col = f"{cat}_travel_time_min"
        if col not in res.cells:
            continue
        c = res.cells[res.cells["population"] > 0]
        t, w = c[col], c["population"]
        ok = t.notna()
        mean = (t[ok] * w[ok]).sum() / max(w[ok].sum(), 1e-9)
        beyond = {m: w[ok & (t > m)].sum() / w.sum() * 100 for m in (30, 60, 120)}
        lines.append(
            f"{cat:>10}: mean {mean:5.1f} min; people beyond 30/60/120 min: "
            + " / ".join(f"{beyond[m]:.0f}%" for m in (30, 60, 120))
        )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
