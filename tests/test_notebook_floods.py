"""The floods notebook runs end to end on the shared data and shows real figures.

``notebooks/floods.ipynb`` is executed like the other notebooks (``tests/test_notebooks.py``):
nbclient, a fresh kernel of the *current* interpreter, working directory ``notebooks/``, the
data directory of the ``data_dir`` fixture through ``GEOACCESS_DATA_DIR``. Cells checked here
carry a tag; their figures are read back from the printed text and checked against
independent facts (the bundled index, the hand-worked boat layout of
``tests/test_mode_chain.py``). It takes about 35 s here; ``TIMEOUT_S`` is a hang guard.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import require_module
from test_notebooks import _cell, _mimetypes, _text, execute_notebook

nbformat = require_module("nbformat", "the notebook test reads and runs the notebook")
nbclient = require_module("nbclient", "the notebook test runs the notebook")
require_module("ipykernel", "the notebook runs in a kernel of this interpreter")

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK = NOTEBOOK_DIR / "floods.ipynb"
TIMEOUT_S = 600


@pytest.fixture(scope="module")
def executed(data_dir, tmp_path_factory):
    return execute_notebook(NOTEBOOK, tmp_path_factory.mktemp("floods-notebook"), data_dir, TIMEOUT_S)


def _n(text: str) -> float:
    return float(text.replace(",", ""))


def test_notebook_is_saved_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    src = "\n".join(c.source for c in code)
    assert "/work/" not in src and "shared/data" not in src
    for api in (
        "ga.hazard_from_desa(",
        "ga.flood_exposure(",
        "ga.flood_scenario(",
        "ga.compare_scenario(",
        "ga.with_critical_links(",
        "ga.maps.add_critical_links(",
        "waterways=",
        "mode_chain_at_points(",
    ):
        assert api in src, api


@pytest.mark.slow
def test_notebook_runs_without_errors(executed):
    errors = [
        o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    assert "text/html" in _mimetypes(_cell(executed, "map"))


@pytest.mark.slow
def test_hazard_exposure_and_flood_season(executed, data_dir):
    import warnings

    from geoaccess.inputs import datasets

    text = _text(_cell(executed, "hazard"))
    # independent count: the bundled index of Muara Enim's desa split at 0.333 / 0.667
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        desa = datasets.load("muara_enim", data_dir=data_dir).desa
    idx = desa["flood_hazard_index"]
    sedang = int(((idx > 0.333) & (idx < 0.667)).sum())
    m = re.search(r"sedang:\s+(\d+) desa,\s+([\d,]+) people", text)
    assert m and int(m.group(1)) == sedang, text
    assert re.search(r"tinggi:\s+0 desa", text) and f"highest index: {idx.max():.3f}" in text
    exp = _text(_cell(executed, "exposure"))
    m2 = re.search(r"in sedang: ([\d,]+) people, (\d+) puskesmas", exp)
    assert m2 and abs(_n(m2.group(1)) - _n(m.group(2))) / _n(m.group(2)) < 0.01  # desa sum vs area spread
    flood = _text(_cell(executed, "flood-season"))
    m3 = re.search(r"flood season: ([\d,]+) people pushed beyond 60 min of a puskesmas", flood)
    assert m3 and 0 < _n(m3.group(1)) < desa["population"].sum()
    what_if = _text(_cell(executed, "what-if"))
    m4 = re.search(r"what-if: ([\d,]+) people pushed beyond 60 min", what_if)
    assert m4 and _n(m4.group(1)) > _n(m3.group(1))  # cutting tinggi desa pushes more people out
    assert int(re.search(r"tinggi desa: (\d+)", what_if).group(1)) == int((idx >= 0.5).sum())


@pytest.mark.slow
def test_critical_links_and_boats(executed):
    text = _text(_cell(executed, "critical-links"))
    assert "== dry season" in text and "== flood season" in text
    assert "SP. BELIMBING - BTS. KOTA MUARA ENIM" in text.split("== flood season")[0].splitlines()[2]
    boats = _text(_cell(executed, "boats"))
    rows = {r.split()[0]: r.split()[1:] for r in boats.strip().splitlines()[1:]}
    # the hand-worked layout of tests/test_mode_chain.py
    assert rows == {
        "B": ["27.3", "boat", "1"],
        "R": ["12.0", "road", "0"],
        "RB": ["36.9", "road+boat", "1"],
        "O": ["1.2", "offroad", "0"],
    }
