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
