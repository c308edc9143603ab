"""The quickstart notebook ("your first travel-time map in ten lines") runs and its figures hold.

``notebooks/quickstart.ipynb`` is executed like ``underserved.ipynb`` (``tests/test_notebooks.py``):
nbclient, a fresh kernel of the current interpreter, working directory ``notebooks/``, the
data through ``GEOACCESS_DATA_DIR``, its files into ``GEOACCESS_OUT_DIR``. Its desa travel
times are checked against a bound computed here without the engine: no trip can be faster
than the straight line from the desa's point to the nearest puskesmas at the fastest
motorbike speed. How long it takes is not tested here (``TIMEOUT_S`` is a hang guard).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import require_module
from test_notebooks import _cell, _mimetypes, _text, execute_notebook

nbformat = require_module("nbformat", "the notebook test reads and runs the notebook")
nbclient = require_module("nbclient", "the notebook test runs the notebook")
require_module("ipykernel", "the notebook runs in a kernel of this interpreter")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "quickstart.ipynb"
TIMEOUT_S = 300


@pytest.fixture(scope="module")
def executed(data_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("quickstart")
    out_dir = tmp / "out"
    return execute_notebook(NOTEBOOK, tmp, data_dir, TIMEOUT_S, out_dir), out_dir


def test_quickstart_is_saved_without_outputs_and_has_ten_lines():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    src = "\n".join(c.source for c in code)
    assert "/work/" not in src and "shared/data" not in src
    first = _cell(nb, "quickstart").source
    lines = [ln for ln in first.splitlines() if ln.strip()]
    assert len(lines) <= 10, lines
    for api in ("ga.datasets.load(", "ga.build_network(", "ga.travel_time(", "ga.maps.map_travel_time("):
        assert api in first


@pytest.mark.slow
def test_quickstart_runs_and_shows_the_map(executed):
    nb, out_dir = executed
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    html = "".join(o.data.get("text/html", "") for o in _cell(nb, "quickstart").outputs if "data" in o)
    assert "leaflet" in html.lower()  # the folium.Map displays inline
    assert (out_dir / "peta_waktu_tempuh.html").stat().st_size > 100_000
    assert "image/png" in _mimetypes(_cell(nb, "print-map"))
    assert (out_dir / "peta_cetak.pdf").read_bytes()[:5] == b"%PDF-"
    assert (out_dir / "peta_cetak.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_quickstart_figures_hold(executed):
    import geopandas as gpd
    import pandas as pd

    import geoaccess as ga
    from geoaccess.engine.speeds import OFFROAD_SPEED_KPH, ROAD_SPEED_KPH

    nb, out_dir = executed
    desa = pd.read_csv(out_dir / "waktu_tempuh_desa.csv", dtype={"code": str})
    assert len(desa) == 254 and desa["travel_time_min"].notna().all()
    # the printed count is the count in the saved table
    m = re.search(
        r"(\d+) of 254 desa \(([\d,]+) of ([\d,]+) people\) are more than 60", _text(_cell(nb, "summary"))
    )
    assert m
    far = desa[desa["travel_time_min"] > 60]
    assert int(m.group(1)) == len(far)
    assert float(m.group(2).replace(",", "")) == pytest.approx(far["population"].sum(), abs=1)
    # lower bound: the straight line to the nearest puskesmas at the fastest motorbike speed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ga.GeoAccessWarning)
        region = ga.datasets.load("muara_enim")
        pkm = ga.facilities.select(region.facilities_all, "puskesmas")
    utm = "EPSG:32748"
    pts = region.desa.to_crs(utm).geometry.representative_point()
    fx, fy = pkm.to_crs(utm).geometry.x.to_numpy(), pkm.to_crs(utm).geometry.y.to_numpy()
    d_m = np.hypot(pts.x.to_numpy()[:, None] - fx, pts.y.to_numpy()[:, None] - fy).min(axis=1)
    vmax_kph = max(max(ROAD_SPEED_KPH["motorbike"].values()), OFFROAD_SPEED_KPH["motorbike"])
    bound_min = pd.Series(d_m / (vmax_kph * 1000 / 60), index=region.desa["code"].to_numpy())
    got = desa.set_index("code")["travel_time_min"]
    assert (got >= bound_min.reindex(got.index) - 1e-6).all()
    assert isinstance(pts, gpd.GeoSeries)
