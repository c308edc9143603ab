"""Small array helpers shared by the engine modules."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["concat"]


def concat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    """Concatenate array pieces into one array of ``dtype`` (empty when there are none).

    Parameters
    ----------
    parts : list of ndarray
        The pieces, possibly none.
    dtype : dtype-like
        Type of the result.

    Returns
    -------
    ndarray
        One array (length 0 when ``parts`` is empty).

    Examples
    --------
    >>> import numpy as np
    >>> concat([np.array([1, 2]), np.array([3])], np.int64).tolist()
    [1, 2, 3]
    >>> concat([], float).shape
    (0,)
    """
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype)
