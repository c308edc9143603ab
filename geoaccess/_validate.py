"""Validation helpers used once at every public entry point (internal)."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .exceptions import (
    CRSError,
    EmptyInputError,
    InputValidationError,
    MissingColumnError,
    NonUniqueIDError,
)


def require_frame(obj: Any, name: str, *, geo: bool = True) -> None:
    """Raise if ``obj`` is not a (Geo)DataFrame or is empty."""
    want = gpd.GeoDataFrame if geo else pd.DataFrame
    if not isinstance(obj, want):
        raise InputValidationError(
            f"expected a {want.__name__}, got {type(obj).__name__}. "
            + ("Read a file with geopandas.read_file() or a geoaccess reader first." if geo else ""),
            argument=name,
        )
    if len(obj) == 0:
        raise EmptyInputError("it has no rows", argument=name)


def require_columns(df: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise :class:`MissingColumnError` naming every missing column at once."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MissingColumnError(
            f"missing column(s) {missing}; it has {list(df.columns)[:20]}. "
            "Rename your columns or pass the column names as arguments.",
            argument=name,
        )


def require_crs(gdf: gpd.GeoDataFrame, name: str) -> None:
    """Raise :class:`CRSError` if the layer has no CRS."""
    if gdf.crs is None:
        raise CRSError(
            "it has no CRS. Set one with `.set_crs('EPSG:4326')` (longitude/latitude) "
            "or the CRS the coordinates are in.",
            argument=name,
        )


def require_unique(df: pd.DataFrame, column: str, name: str) -> None:
    """Raise :class:`NonUniqueIDError` listing duplicated ids."""
    dup = df[column][df[column].duplicated(keep=False)]
    if len(dup):
        raise NonUniqueIDError(
            f"column '{column}' must be unique; duplicated: {sorted(map(str, set(dup)))[:10]}",
            argument=name,
        )


def require_geom_types(gdf: gpd.GeoDataFrame, allowed: Sequence[str], name: str) -> None:
    """Raise if any geometry is missing or of a type not in ``allowed``."""
    problems = []
    n_null = int(gdf.geometry.isna().sum() + gdf.geometry.is_empty.sum())
    if n_null:
        problems.append(f"{n_null} row(s) have no geometry; drop or fix them first")
    types = set(gdf.geometry.dropna().geom_type.unique()) - set(allowed)
    if types:
        problems.append(f"geometry types {sorted(types)} are not allowed here (allowed: {list(allowed)})")
    if problems:
        raise InputValidationError(problems, argument=name)


def check_choice(value: Any, choices: Iterable[Any], name: str) -> None:
    """Raise if ``value`` is not one of ``choices``."""
    choices = list(choices)
    if value not in choices:
        raise InputValidationError(f"got {value!r}; choose one of {choices}", argument=name)


def _not_a_number(value: Any, name: str) -> InputValidationError | None:
    """The error for a value that is not a real number (strings, None, bools), or None."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        hint = ""
        if isinstance(value, str):
            try:
                hint = f" without quotes ({name}={float(value.strip().replace(',', '.')):g})"
            except ValueError:
                hint = f" for {name}"
        return InputValidationError(
            f"must be a number, got {type(value).__name__} {value!r}; pass a number{hint}",
            argument=name,
        )
    return None


def check_number(
    value: Any, name: str, *, allow_zero: bool = False, allow_inf: bool = False, unit: str = ""
) -> float:
    """Return ``value`` as a float, or raise if it is not a finite (strictly) positive number.

    Strings (``"250"``), None, booleans, NaN and (unless ``allow_inf``) infinity are refused
    with a message naming the argument, the value received and what to pass instead.
    """
    err = _not_a_number(value, name)
    if err is not None:
        raise err
    v = float(value)
    unit = f" ({unit})" if unit else ""
    if v != v or (np.isinf(v) and not allow_inf):
        raise InputValidationError(f"must be a finite number{unit}, got {value!r}", argument=name)
    if not (v >= 0 if allow_zero else v > 0):
        want = ">= 0" if allow_zero else "> 0"
        raise InputValidationError(f"must be {want}{unit}, got {value!r}", argument=name)
    return v


def check_positive(value: float, name: str, *, allow_zero: bool = False) -> None:
    """Raise if a number is not (strictly) positive (or is not a number at all)."""
    err = _not_a_number(value, name)
    if err is not None:
        raise err
    ok = value >= 0 if allow_zero else value > 0
    if not ok or value != value:  # NaN check
        raise InputValidationError(f"must be {'>= 0' if allow_zero else '> 0'}, got {value!r}", argument=name)
