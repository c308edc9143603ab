"""The planner notebook runs end to end on the shared data and shows real figures.

``notebooks/underserved.ipynb`` (who is underserved: the whole Muara Enim study) is
executed with nbclient in a fresh kernel of the *current* interpreter (a kernelspec
written on the fly by ipykernel, so a ``python3``
kernelspec of another environment on this machine cannot be picked up), with the working
directory set to ``notebooks/``. The notebook finds the data with the library defaults;
the test points it at the same directory as the ``data_dir`` fixture through
``GEOACCESS_DATA_DIR`` and sends its output files to a temporary folder through
``GEOACCESS_OUT_DIR``. Cells checked here carry a tag (cell metadata ``tags``).

How long the notebook takes is not tested here (a busy runner must not fail a test):
``benchmarks/bench_workflows.py --only notebook`` reports it against a baseline kernel.
``TIMEOUT_S`` is a per-cell hang guard, not a performance goal.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from conftest import require_module

nbformat = require_module("nbformat", "the notebook test reads and runs the notebook")
nbclient = require_module("nbclient", "the notebook test runs the notebook")
require_module("ipykernel", "the notebook runs in a kernel of this interpreter")

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK = NOTEBOOK_DIR / "underserved.ipynb"
TIMEOUT_S = 600


def _kernel_manager(kernel_dir: Path):
    """A KernelManager whose only ``python3`` kernelspec runs ``sys.executable``."""
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    write_kernel_spec(path=kernel_dir / "python3")  # argv[0] = sys.executable
    ksm = KernelSpecManager(kernel_dirs=[str(kernel_dir)], ensure_native_kernel=False)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=ksm)
    assert km.kernel_spec.argv[0] == sys.executable
    return km


def execute_notebook(path: Path, tmp: Path, data_dir: Path, timeout_s: float, out_dir: Path | None = None):
    """Run the notebook at ``path`` in a fresh kernel of this interpreter, from its folder,
    with ``GEOACCESS_DATA_DIR`` (and ``GEOACCESS_OUT_DIR`` when ``out_dir`` is given);
    returns the executed notebook (raises CellExecutionError on the first failing cell)."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        km=_kernel_manager(tmp / "kernels"),
        kernel_name="python3",
        timeout=timeout_s,
        resources={"metadata": {"path": str(path.parent)}},  # cwd of the kernel
    )
    env = {**os.environ, "GEOACCESS_DATA_DIR": str(data_dir)}
    if out_dir is not None:
        env["GEOACCESS_OUT_DIR"] = str(out_dir)
    client.execute(env=env)
    return nb


@pytest.fixture(scope="module")
def executed(data_dir, tmp_path_factory):
    """The notebook after execution and the output folder it wrote to."""
    tmp = tmp_path_factory.mktemp("notebook")
    out_dir = tmp / "out"
    return execute_notebook(NOTEBOOK, tmp, data_dir, TIMEOUT_S, out_dir), out_dir


def _cell(nb, tag: str):
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def _text(cell) -> str:
    """All text output of a cell: stdout/stderr and the text/plain of results."""
    parts = []
    for o in cell.outputs:
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type in ("execute_result", "display_data"):
            parts.append(o.data.get("text/plain", ""))
    return "\n".join(parts)


def _mimetypes(cell) -> set[str]:
    return {m for o in cell.outputs if "data" in o for m in o.data}


def test_notebook_is_saved_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the notebook has no code cells"
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    src = "\n".join(c.source for c in code)
    assert "/work/" not in src and "shared/data" not in src  # data found by library defaults


@pytest.mark.slow
def test_notebook_runs_without_errors(executed):
    nb, _ = executed
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert all(c.execution_count is not None for c in nb.cells if c.cell_type == "code")


@pytest.mark.slow
def test_notebook_region_and_network(executed):
    nb, _ = executed
    region = _text(_cell(nb, "region"))
    assert "kecamatan: 22, desa: 254" in region
    assert "population 648,775" in region
    assert "F1603-RS077" in region  # the hospital left without a location is named
    quality = _text(_cell(nb, "facility-quality"))
    assert "kecamatan_centroid" in quality
    network = _text(_cell(nb, "network"))
    assert "Road repair" in network and "EPSG:32748" in network and "250 m" in network


@pytest.mark.slow
def test_notebook_desa_travel_times(executed):
    nb, _ = executed
    text = _text(_cell(nb, "desa-travel-time"))
    m = re.search(r"(\d+) of 254 desa \(([\d,]+) people\) are more than 60 minutes", text)
    assert m, text[:2000]
    assert 0 < int(m.group(1)) < 254
    assert int(m.group(2).replace(",", "")) > 0


@pytest.mark.slow
def test_notebook_tables(executed):
    nb, _ = executed
    run = _text(_cell(nb, "run-access"))
    for table in ("coverage", "equity", "poverty", "targets", "priority_kecamatan", "priority_facilities"):
        assert f"'{table}'" in run
    # 648,775 in desa polygons + 4,974 in 2 desa without a polygon, spread over their kecamatan
    assert "Travel time to the nearest puskesmas in 22 kecamatan (population 653,749)" in _text(
        _cell(nb, "coverage-kecamatan")
    )
    equity = _text(_cell(nb, "equity"))
    assert "between" in equity and "within" in equity
    # the desa column is poverty_rate since the dataset names moved to datasets.py (IDM source)
    assert "Across 254 desa (648,775 people), desa with a higher poverty_rate" in _text(_cell(nb, "poverty"))
    failing = _text(_cell(nb, "failing"))
    # the two kecamatan whose new puskesmas are in no source fail PP 47/2016 in the data
    assert "Panang Enim" in failing and "Empat Petulai Dangku" in failing
    m = re.search(r"\((\d+) unknown for the inpatient target\)", failing)
    assert m and int(m.group(1)) > 0  # unknown inpatient status is reported, not hidden
    assert "'people_beyond_60_min': 0.4" in _text(_cell(nb, "priority"))
    reweight = _text(_cell(nb, "reweight"))
    assert "'people_beyond_60_min': 0.5" in reweight and "rank_my_weights" in reweight
    assert "health workers per 1,000 people" in _text(_cell(nb, "fca"))


@pytest.mark.slow
def test_notebook_map_figures_and_export(executed):
    import pandas as pd

    nb, out_dir = executed
    map_cell = _cell(nb, "map")
    html = "".join(o.data.get("text/html", "") for o in map_cell.outputs if "data" in o)
    assert "leaflet" in html.lower()
    assert (out_dir / "muara_enim_puskesmas_map.html").stat().st_size > 100_000
    for tag in ("figure-curve", "figure-bars"):
        assert "image/png" in _mimetypes(_cell(nb, tag)), f"{tag}: figure not rendered"
    xlsx = out_dir / "prioritas_kecamatan_muara_enim.xlsx"
    assert xlsx.name in _text(_cell(nb, "export"))
    back = pd.read_excel(xlsx)
    assert len(back) == 22
    assert {"Nama", "Skor prioritas (0-100)", "Peringkat"} <= set(back.columns)


@pytest.mark.slow
def test_notebook_walk_is_slower_than_motorbike(executed):
    nb, _ = executed
    text = _text(_cell(nb, "walk"))
    means = dict(re.findall(r"(motorbike|walk): mean\s+(\d+) min", text))
    assert set(means) == {"motorbike", "walk"}, text[:2000]
    assert int(means["walk"]) > int(means["motorbike"]) > 0


@pytest.mark.slow
def test_notebook_coverage_matches_a_count_by_hand(executed):
    """People beyond 60 min per category, recounted from the cells of a fresh run: the
    people of every cell whose time is over 60 min or not finite (unreachable)."""
    import warnings

    import numpy as np

    import geoaccess as ga

    nb, _ = executed
    text = _text(_cell(nb, "coverage-kabupaten"))
    printed = {c: float(n.replace(",", "")) for c, n in re.findall(r"(\w+): ([\d,]+) of [\d,]+ people", text)}
    assert set(printed) == {"puskesmas", "inpatient", "hospital", "referral"}, text[:2000]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ga.GeoAccessWarning)
        res = ga.run_access("muara_enim", mode="motorbike", progress=False)
    pop = res.cells["population"].to_numpy()
    for cat, n in printed.items():
        t = res.cells[f"{cat}_travel_time_min"].to_numpy(dtype=float)
        beyond = ~np.isfinite(t) | (t > 60)
        assert n == pytest.approx(pop[beyond].sum(), abs=1.0), cat
