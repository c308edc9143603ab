"""The scripts in examples/ run from the repository root and print real figures.

Each script runs in a fresh interpreter (``sys.executable``) with the data directory of the
``data_dir`` fixture in ``GEOACCESS_DATA_DIR``; it must exit with 0 and print its key
lines. How long each takes is reported by ``benchmarks/bench_workflows.py --only examples``
(a ratio to a bare ``import geoaccess``), not asserted here; ``HANG_GUARD_S`` only stops a
script that hangs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HANG_GUARD_S = 900  # not a performance goal: only so a hung script cannot block CI


def _run(name: str, data_dir: Path) -> str:
    env = {**os.environ, "GEOACCESS_DATA_DIR": str(data_dir)}
    proc = subprocess.run(
        [sys.executable, str(Path("examples") / name)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
    )
    assert proc.returncode == 0, f"{name} exited with {proc.returncode}:\n{proc.stderr[-3000:]}"
    return proc.stdout


def test_every_example_has_a_docstring_and_a_test():
    import ast

    scripts = sorted(p.name for p in EXAMPLES.glob("*.py"))
    assert scripts == ["custom_facilities_csv.py", "offline_osm_file.py", "rbi_road_layer.py"]
    for name in scripts:
        doc = ast.get_docstring(ast.parse((EXAMPLES / name).read_text(encoding="utf-8")))
        assert doc and "Run from the repository root" in doc, name


def test_offline_osm_file(data_dir):
    out = _run("offline_osm_file.py", data_dir)
    assert "West-Oakland.osm.bz2 (West Oakland, California; not Indonesian)" in out
    assert re.search(r"\d+ road lines, [\d.]+ km, \d+ one-way", out)
    assert "crossings noded            0" in out  # OSM data: node_crossings=False
    assert "Travel time to the made-up Clinic X (minutes):" in out
    rows = re.findall(r"^\s+([A-D]) \(.+?\)\s+[\d,]+\s+[\d,]+\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert len(rows) == 4, out
    for _, moto, walk in rows:
        assert 0 < float(moto) < float(walk)


def test_rbi_road_layer(data_dir):
    out = _run("rbi_road_layer.py", data_dir)
    # REMARK classes of the RBI layer and their lengths (roads/SOURCES.md: Lain 762.1 km ...)
    assert re.search(r"Jalan Lain\s+-> lingkungan\s+762\.\d", out)
    assert re.search(r"Jalan Arteri\s+-> arteri\s+26\.\d", out)
    m = re.search(r"crossings noded\s+([\d,]+)", out)
    assert m and int(m.group(1).replace(",", "")) > 0  # the RBI lines needed noding
    assert "3 TEST facilities" in out and "not real" in out
    m = re.search(r"area within 60 min:\s+([\d.]+)%", out)
    assert m and 50 < float(m.group(1)) <= 100
    assert "PAGELARAN UTARA" in out


def test_custom_facilities_csv(data_dir):
    out = _run("custom_facilities_csv.py", data_dir)
    assert "GeoAccessWarning:" in out
    assert "latitude/longitude swapped (fixed) [1]: RS-ME" in out
    assert "no coordinate [1]: PKM-BN" in out
    assert re.search(r"RS-ME\s+rs\s+RSUD\s+True\s+source\s+source\s+swapped_latlon", out)
    assert re.search(r"PT-01\s+pustu\s+Puskesmas Pembantu", out)
    assert re.search(r"PKM-BN\s+puskesmas\s+Puskesmas\s+<NA>\s+unknown\s+missing", out)
    assert "pustu ['PT-01']" in out
    assert re.search(r"PKM-BN\s+puskesmas\s+Puskesmas\s+<NA>\s+unknown\s+kecamatan_centroid", out)
    assert "{'source': 4, 'kecamatan_centroid': 1}" in out
