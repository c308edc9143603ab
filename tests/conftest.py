"""Shared fixtures and the skip policy.

Skip policy: locally a test whose requirement is missing (shared data, Chromium and
chromedriver, a dev dependency) is skipped with the reason. With ``CI=true`` in the
environment nothing may be skipped silently: :func:`skip_or_fail` fails the test (or the
collection of its module) with the same reason, and the hooks below turn any other skip
(``pytest.skip`` / ``importorskip`` in a test file) into a failure too. A test that may
legitimately skip under CI says so with ``@pytest.mark.ci_may_skip(reason=...)``.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

import geoaccess
from geoaccess.exceptions import DataNotFoundError

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
_CI_PREFIX = "CI=true: a skip is a failure here, install what is missing. Reason: "


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason`` locally; under ``CI=true`` fail with it instead.

    Works in a test, a fixture or at module level (then the whole module is skipped or,
    under CI, its collection fails).
    """
    if IN_CI:
        pytest.fail(_CI_PREFIX + reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require_module(name: str, why: str = "") -> ModuleType:
    """Import ``name``, or :func:`skip_or_fail` naming the package (and ``why`` it is needed)."""
    try:
        return importlib.import_module(name)
    except ImportError as e:
        error = str(e)
    skip_or_fail(f"{name} is not installed ({error}){': ' + why if why else ''}; pip install -e '.[dev]'")
    raise AssertionError("unreachable: skip_or_fail always raises")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test (not xfail, not ``ci_may_skip``) is reported as failed."""
    outcome = yield
    rep = outcome.get_result()
    allowed = item.get_closest_marker("ci_may_skip") is not None
    if IN_CI and rep.skipped and not hasattr(rep, "wasxfail") and not allowed:
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.outcome = "failed"
        rep.longrepr = f"{_CI_PREFIX}{reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """Under CI=true a module skipped at collection (module-level importorskip) is an error."""
    outcome = yield
    rep = outcome.get_result()
    if IN_CI and rep.skipped:
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.outcome = "failed"
        rep.longrepr = f"{_CI_PREFIX}{reason}"


@pytest.fixture(scope="session")
def data_dir():
    """The shared data directory (../shared/data in CI); skipped locally, failed under CI=true."""
    try:
        return geoaccess.settings.resolve_data_dir()
    except DataNotFoundError as e:  # pragma: no cover - only without the data
        skip_or_fail(f"shared data not available: {e}")


@pytest.fixture(autouse=True)
def _no_progress(monkeypatch):
    """Progress bars off in tests (they go to stderr and slow nothing, but clutter logs)."""
    monkeypatch.setitem(geoaccess.options._values, "progress", False)


@pytest.fixture(scope="session")
def shared_data(data_dir):
    """Alias of :func:`data_dir` used by the loader tests."""
    return data_dir


def write_geotiff(path, array, *, transform, crs="EPSG:32748", nodata=None):
    """Write a one-band GeoTIFF for a test (the array's dtype is kept)."""
    import rasterio

    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=array.shape[0],
        width=array.shape[1],
        count=1,
        dtype=str(array.dtype),
        crs=crs,
        transform=transform,
        nodata=nodata,
    ) as ds:
        ds.write(array, 1)
    return path


def hand_region(staff=True):
    """Two kecamatan side by side (4 x 2 km, UTM 48S), one desa each: W (1,000 people,
    a puskesmas) and E (3,000 people, a hospital, no puskesmas); a road along the middle.
    No poverty, flood or audit columns: only what a user would have."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from geoaccess import read_facilities
    from geoaccess.inputs.datasets import Region

    utm = "EPSG:32748"
    x0, y0 = 400_000, 9_660_000
    w, e = shapely.box(x0, y0, x0 + 2000, y0 + 2000), shapely.box(x0 + 2000, y0, x0 + 4000, y0 + 2000)
    kec = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["West", "East"]}, geometry=[w, e], crs=utm)
    desa = gpd.GeoDataFrame(
        {"code": ["D1", "D2"], "name": ["Wdesa", "Edesa"], "kecamatan_code": ["K1", "K2"]},
        geometry=[w, e],
        crs=utm,
    ).assign(population=[1000.0, 3000.0])
    kab = gpd.GeoDataFrame({"code": ["99.01"], "name": ["Hand"]}, geometry=[w.union(e)], crs=utm)
    pts = gpd.GeoSeries([shapely.Point(x0 + 1000, y0 + 1000), shapely.Point(x0 + 3500, y0 + 1000)], crs=utm)
    pts = pts.to_crs(4326)
    table = pd.DataFrame(
        {
            "facility_id": ["P1", "H1"],
            "name": ["Puskesmas West", "RSUD East"],
            "type": ["puskesmas", "rs"],
            "inpatient": [False, True],
            "kecamatan": ["West", "East"],
            "lat": pts.y,
            "lon": pts.x,
        }
    )
    if staff:
        table["staff"] = [10.0, 50.0]
    fac = read_facilities(table)
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal"]},
        geometry=[shapely.LineString([(x0, y0 + 1000), (x0 + 4000, y0 + 1000)])],
        crs=utm,
    )
    return Region(
        "hand",
        "99.01",
        kab.to_crs(4326),
        kec.to_crs(4326),
        desa.to_crs(4326),
        fac,
        fac.iloc[0:0],
        roads.to_crs(4326),
        buffer_km=0.0,
    )


def random_hybrid_network(
    rng,
    x0: float,
    y0: float,
    *,
    n_roads: tuple[int, int] = (1, 4),
    classes: tuple[str, ...] = ("kolektor", "lokal", "lingkungan"),
    oneway_p: float = 0.3,
    offroad_kph: tuple[float, float] = (4.0, 12.0),
    repair: bool = False,
):
    """A random small lattice + roads network (UTM 48S) for tests against a recomputation.

    A box of 2.5-4 km a side at (x0, y0); ``n_roads`` random 3-vertex roads of ``classes``,
    each one-way with probability ``oneway_p``; half the time a river barrier across;
    250 or 500 m cells. Returns (network, width_m, height_m, road lines).
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    import geoaccess as ga

    utm = "EPSG:32748"
    w, h = rng.uniform(2500, 4000, 2)
    area = gpd.GeoSeries([shapely.box(x0, y0, x0 + w, y0 + h)], crs=utm)
    lines, oneway = [], []
    for _ in range(rng.integers(*n_roads)):
        pts = np.column_stack([x0 + rng.uniform(0, w, 3), y0 + rng.uniform(0, h, 3)])
        lines.append(shapely.LineString(pts))
        oneway.append(bool(rng.random() < oneway_p))
    roads = gpd.GeoDataFrame(
        {"road_class": rng.choice(list(classes), len(lines)), "oneway": oneway}, geometry=lines, crs=utm
    )
    barriers = None
    if rng.random() < 0.5:
        x = x0 + rng.uniform(0.3, 0.7) * w
        barriers = gpd.GeoDataFrame(
            geometry=[shapely.LineString([(x, y0 - 100), (x + rng.uniform(-500, 500), y0 + h + 100)])],
            crs=utm,
        )
    net = ga.build_network(
        roads,
        "motorbike",
        area=area,
        resolution_m=float(rng.choice([250.0, 500.0])),
        offroad_speed_kph=float(rng.uniform(*offroad_kph)),
        barriers=barriers,
        repair=repair,
    )
    return net, w, h, lines
