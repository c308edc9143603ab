"""Column checks and number formatting shared by the analysis and planning modules.

Used by :mod:`~geoaccess.analysis.metrics`, :mod:`~geoaccess.analysis.fca`,
:mod:`~geoaccess.analysis.targets` and :mod:`~geoaccess.planning.priority`, so they check
travel-time and population columns, name columns after minutes and list offending rows
in the same way.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validate import require_columns, require_frame
from ..exceptions import InputValidationError


def format_number(x: float) -> str:
    """Format a number of minutes for labels: 15 -> '15', 7.5 -> '7.5'.

    Parameters
    ----------
    x : float
        Minutes.

    Returns
    -------
    str
        Without a trailing ``.0``.

    Examples
    --------
    >>> format_number(15.0), format_number(7.5)
    ('15', '7.5')
    """
    return f"{x:g}"


def column_number(x: float) -> str:
    """Format a number for a column name: 15 -> '15', 7.5 -> '7p5'.

    Parameters
    ----------
    x : float
        The number (minutes, usually).

    Returns
    -------
    str
        Digits, with ``p`` for the decimal point.

    Examples
    --------
    >>> f"people_beyond_{column_number(7.5)}_min"
    'people_beyond_7p5_min'
    """
    return format_number(x).replace(".", "p").replace("-", "m")


def is_numeric(s: pd.Series) -> bool:
    """True for a numeric column (numpy or nullable dtype), False for bool and text.

    Parameters
    ----------
    s : Series
        The column.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_numeric(pd.Series([1.5, None])), is_numeric(pd.Series([1, None], dtype="Int64"))
    (True, True)
    >>> is_numeric(pd.Series([True, False])), is_numeric(pd.Series(["12"]))
    (False, False)
    """
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def to_float(s: pd.Series) -> np.ndarray:
    """Numeric Series (numpy or nullable dtype) -> float64 array, NA -> NaN.

    Parameters
    ----------
    s : Series
        A numeric column.

    Returns
    -------
    ndarray of float64

    Examples
    --------
    >>> to_float(pd.Series([1, None, 3], dtype="Int64")).tolist()
    [1.0, nan, 3.0]
    """
    return pd.Series(s).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


def format_examples(labels: Any, n: int = 5) -> str:
    """The first ``n`` labels, comma-separated, for error messages ("..." if there are more).

    Parameters
    ----------
    labels : iterable
        The labels (ids, names, codes).
    n : int
        How many to show.

    Returns
    -------
    str
        The labels joined with ", ", followed by " ..." when some were left out.

    Examples
    --------
    >>> format_examples(["A", "B", "C"], n=2)
    'A, B ...'
    """
    vals = [str(v) for v in list(labels)[:n]]
    return ", ".join(vals) + (" ..." if len(list(labels)) > n else "")


def time_pop_arrays(
    df: pd.DataFrame, time_col: str, pop_col: str, name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Validate a travel-time/population table; return (time, population) float arrays.

    Times that are NaN or infinite come back as ``inf`` (unreachable).

    Parameters
    ----------
    df : DataFrame
        One row per unit (desa, cell).
    time_col, pop_col : str
        The columns of minutes and of people.
    name : str
        The argument named in error messages.

    Returns
    -------
    times : ndarray of float
        Minutes, ``inf`` where unreachable.
    population : ndarray of float
        People (checked: numeric, finite, not negative).

    Examples
    --------
    >>> df = pd.DataFrame({"travel_time_min": [12.0, None], "population": [100, 250]})
    >>> time_pop_arrays(df, "travel_time_min", "population", "desa")
    (array([12., inf]), array([100., 250.]))
    """
    require_frame(df, name, geo=False)
    require_columns(df, [time_col, pop_col], name)
    problems: list[str] = []
    t = p = None
    if not is_numeric(df[time_col]):
        problems.append(
            f"travel-time column '{time_col}' must be numeric (minutes), "
            f"got dtype {df[time_col].dtype}; convert it with pd.to_numeric()"
        )
    else:
        t = to_float(df[time_col])
        neg = np.flatnonzero(t < 0)
        if neg.size:
            problems.append(
                f"{neg.size} row(s) have a negative travel time in '{time_col}' "
                f"(rows {format_examples(df.index[neg])}); travel times are minutes >= 0"
            )
        t = np.where(np.isfinite(t), t, np.inf)
    if not is_numeric(df[pop_col]):
        problems.append(
            f"population column '{pop_col}' must be numeric (persons), "
            f"got dtype {df[pop_col].dtype}; convert it with pd.to_numeric()"
        )
    else:
        p = to_float(df[pop_col])
        miss = np.flatnonzero(np.isnan(p))
        if miss.size:
            problems.append(
                f"{miss.size} row(s) have no population in '{pop_col}' "
                f"(rows {format_examples(df.index[miss])}); fill them with an estimate "
                "(e.g. pop_est in population/SOURCES.md) or drop those rows explicitly"
            )
        bad = np.flatnonzero(~np.isnan(p) & ((p < 0) | ~np.isfinite(p)))
        if bad.size:
            problems.append(
                f"{bad.size} row(s) have a negative or infinite population in '{pop_col}' "
                f"(rows {format_examples(df.index[bad])})"
            )
    if problems:
        raise InputValidationError(problems, argument=name)
    assert t is not None and p is not None
    return t, p
