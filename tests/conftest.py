"""Shared fixtures: the shared data directory (skips cleanly when it is absent)."""

from __future__ import annotations

import pytest

import geoaccess
from geoaccess.exceptions import DataNotFoundError


@pytest.fixture(scope="session")
def data_dir():
    """The shared data directory (../shared/data in CI), or skip."""
    try:
        return geoaccess.settings.resolve_data_dir()
    except DataNotFoundError as e:  # pragma: no cover - only without the data
        pytest.skip(f"shared data not available: {e}")


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
