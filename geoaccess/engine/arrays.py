"""Small array helpers shared by the engine modules."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["concat"]


def concat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    """Concatenate array pieces into one array of ``dtype`` (empty when there are none)."""
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype)
