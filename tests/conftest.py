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
