"""The planning notebook runs end to end on the shared data and shows real figures.

``notebooks/new_inpatient_puskesmas.ipynb`` is executed like ``underserved.ipynb``
(``tests/test_notebooks.py``): nbclient, a fresh kernel of the *current* interpreter,
working directory ``notebooks/``, the data directory of the ``data_dir`` fixture through
``GEOACCESS_DATA_DIR``. Cells checked here carry a tag (cell metadata ``tags``); the figures
are read back from their printed text. How long it takes is not tested (it is about 20 s
here); ``TIMEOUT_S`` is a per-cell hang guard.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import require_module
from test_notebooks import _cell, _text, execute_notebook

nbformat = require_module("nbformat", "the notebook test reads and runs the notebook")
nbclient = require_module("nbclient", "the notebook test runs the notebook")
require_module("ipykernel", "the notebook runs in a kernel of this interpreter")

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK = NOTEBOOK_DIR / "new_inpatient_puskesmas.ipynb"
TIMEOUT_S = 600


@pytest.fixture(scope="module")
def executed(data_dir, tmp_path_factory):
    """The notebook after execution."""
    return execute_notebook(NOTEBOOK, tmp_path_factory.mktemp("planning-notebook"), data_dir, TIMEOUT_S)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_notebook_is_saved_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    src = "\n".join(c.source for c in code)
    assert "/work/" not in src and "shared/data" not in src  # data found by library defaults
    for api in (
        "ga.run_access(",
        "ga.Scenario(",
        "ga.compare_scenario(",
        "ga.score_candidates(",
        "ga.inpatient_eligibility(",
        "ga.site_facilities(",
        'method="both"',
        "ga.site_for_targets(",
    ):
        assert api in src, api


@pytest.mark.slow
def test_notebook_runs_without_errors(executed):
    errors = [
        o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    assert all(c.execution_count is not None for c in executed.cells if c.cell_type == "code")


@pytest.mark.slow
def test_notebook_baseline_and_scenario(executed):
    base = _text(_cell(executed, "baseline"))
    m = re.search(r"([\d,]+) of ([\d,]+) people \((\d+)%\) are more than 60 min away", base)
    assert m, base[:2000]
    assert 0 < _number(m.group(1)) < _number(m.group(2))
    assert "unknown (inpatient status unknown)" in base  # unknown is reported, not hidden
    newly = _text(_cell(executed, "scenario-targets"))
    m = re.search(r"(\d+) kecamatan newly meet the target", newly)
    assert m and int(m.group(1)) >= 1, newly
    assert "Panang Enim" in newly  # the new build's kecamatan had none


@pytest.mark.slow
def test_notebook_candidates_and_eligibility(executed):
    text = _text(_cell(executed, "candidates"))
    m = re.search(r"(\d+) candidates: (\d+) new builds \(one per desa\) and (\d+) upgrades", text)
    assert m, text
    total, new, upgrades = map(int, m.groups())
    assert (total, new) == (new + upgrades, 254) and upgrades > 0
    top = _text(_cell(executed, "top10"))
    assert "people_newly_within" in top and "Sungai Rotan" in top

    elig = _text(_cell(executed, "eligibility"))
    m = re.search(r"(\d+) of (\d+) candidates eligible, (\d+) dropped", elig)
    assert m, elig
    n_ok, n_all, n_dropped = map(int, m.groups())
    assert n_all == total and n_ok + n_dropped == n_all and 0 < n_dropped < n_all
    assert "near a hospital (< 60 min)" in elig and "urban area (perkotaan)" in elig
    dropped = _text(_cell(executed, "eligibility-dropped"))
    assert "min threshold" in dropped


@pytest.mark.slow
def test_notebook_budget_proposal(executed):
    text = _text(_cell(executed, "budget"))
    m = re.search(r"Rp ([\d.]+) miliar of a budget of Rp ([\d.]+) miliar", text)
    assert m, text[:2000]
    cost, budget = map(float, m.groups())
    assert 0 < cost <= budget
    m = re.search(r"([\d,]+) -> ([\d,]+) \(\+([\d,]+)\); gap ([\d.]+)%", text)
    assert m, text[:2000]
    before, after, gain = (_number(g) for g in m.groups()[:3])
    assert gain > 0 and abs(after - before - gain) <= 1
    assert float(m.group(4)) == 0.0  # exact: proven best

    both = _text(_cell(executed, "greedy-vs-exact"))
    m = re.search(r"greedy_ratio ([\d.]+)", both)
    assert m and 0 < float(m.group(1)) <= 1.0, both

    target = _text(_cell(executed, "targets-mode"))
    m = re.search(
        r"target alone: Rp ([\d.]+) miliar; with Rp (\d+) miliar in all: (\d+) sites, Rp ([\d.]+) miliar",
        target,
    )
    assert m, target[:2000]
    t_cost, t_budget, _, t_total = float(m.group(1)), float(m.group(2)), int(m.group(3)), float(m.group(4))
    assert 0 < t_cost <= t_total <= t_budget
