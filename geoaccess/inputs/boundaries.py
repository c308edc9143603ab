"""Administrative boundaries (kabupaten, kecamatan, desa) in the geoaccess schema.

:func:`read_boundaries` turns any polygon layer into a GeoDataFrame with the standard
columns ``code``, ``name`` and ``level`` (plus ``kecamatan_code`` and ``kabupaten_code``
where the input has them); every other column is kept.

The shared data (``boundaries/`` in the data directory, see ``data/README.md``) already
uses these names. Its polygons come from ``cahyadsn/wilayah_boundaries`` (MIT) with
Kemendagri 2025 codes such as ``16.03.08``; these are **not** BPS codes.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .._validate import check_choice, require_columns, require_crs, require_frame, require_geom_types
from .._validate import require_unique as _require_unique
from ..exceptions import CRSError, DataNotFoundError, GeoAccessWarning, InputValidationError
from .tables import directory_message

__all__ = ["LEVELS", "read_boundaries"]

logger = logging.getLogger(__name__)

#: Administrative levels geoaccess knows, largest first. ``desa`` covers kelurahan too.
LEVELS: tuple[str, ...] = ("provinsi", "kabupaten", "kecamatan", "desa")

# Column names tried, in order, when ``code_col`` / ``name_col`` are not given.
_CODE_CANDIDATES = ("code", "kode", "kode_wilayah", "kode_kemendagri", "kd_wilayah", "pcode")
_NAME_CANDIDATES = ("name", "nama", "nama_wilayah", "namobj")
_PARENT_COLS = ("kecamatan_code", "kabupaten_code")
_POLYGONAL = ("Polygon", "MultiPolygon")


def read_boundaries(
    source: str | os.PathLike[str] | gpd.GeoDataFrame,
    *,
    level: str | None = None,
    code_col: str | None = None,
    name_col: str | None = None,
) -> gpd.GeoDataFrame:
    """Read administrative polygons into the geoaccess boundary schema.

    Parameters
    ----------
    source : path or GeoDataFrame
        A vector file geopandas/pyogrio can read (GeoJSON, GeoPackage, shapefile, ...)
        or a GeoDataFrame. Any CRS, but it must have one; the output keeps it.
    level : {'provinsi', 'kabupaten', 'kecamatan', 'desa'}, optional
        If the input has a ``level`` column, keep only the rows of this level.
        Otherwise write this value into a new ``level`` column. ``None`` keeps the
        input's ``level`` column, or sets ``level`` to missing if there is none.
    code_col, name_col : str, optional
        Input columns holding the unique region code and the region name. Default: the
        first of ``code``, ``kode``, ``kode_wilayah``, ... and ``name``, ``nama``, ...
        (case-insensitive) found in the input. A column already called ``code`` /
        ``name`` that is not the chosen one is kept as ``code_input`` / ``name_input``.

    Returns
    -------
    GeoDataFrame
        A new frame (the input is not modified) with ``code`` (str, unique), ``name``
        (str), ``level`` (str), ``kecamatan_code`` and ``kabupaten_code`` (str) where
        present in the input, every other input column, and Polygon/MultiPolygon
        geometry in the input CRS.

    Raises
    ------
    DataNotFoundError
        ``source`` is a path that does not exist.
    CRSError
        The layer has no CRS, or coordinates impossible for the declared CRS (a latitude
        of 103 or 9,580,000 in EPSG:4326, degrees in a metric CRS); the message says
        which CRS they look like.
    MissingColumnError
        No code or name column was found.
    NonUniqueIDError
        Two rows share a code.
    InputValidationError
        A geometry is missing or not polygonal, a code is empty or stored as a decimal
        number (``16.03`` for ``16.030``), ``level`` selects no row, or the file is a
        directory or unreadable.

    Warns
    -----
    GeoAccessWarning
        When invalid geometries were repaired with
        ``shapely.make_valid(method="structure")``; the warning lists their codes.
        (``"structure"`` keeps island parts nested in a simplified mainland as they are
        meant; the default ``"linework"`` would punch holes there.)

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> gdf = gpd.GeoDataFrame({"kode": ["16.03.01"], "nama": ["Semende Darat Laut"]},
    ...                        geometry=[box(103.5, -4.2, 103.7, -4.0)], crs="EPSG:4326")
    >>> read_boundaries(gdf, level="kecamatan")[["code", "name", "level"]].iloc[0].tolist()
    ['16.03.01', 'Semende Darat Laut', 'kecamatan']
    """
    if level is not None:
        check_choice(level, LEVELS, "level")
    gdf = _read_vector(source, "source")
    require_frame(gdf, "source")
    require_crs(gdf, "source")
    check_coordinates_fit_crs(gdf, "source")

    code_src = _pick_column(gdf, code_col, _CODE_CANDIDATES, "code_col", "region codes")
    name_src = _pick_column(gdf, name_col, _NAME_CANDIDATES, "name_col", "region names")

    out = gdf.copy()
    out = _adopt(out, code_src, "code")
    out = _adopt(out, name_src, "name")

    # Level: filter on an existing column, else set it.
    if "level" in out.columns:
        if level is not None:
            keep = out["level"].astype("string").str.strip().str.lower() == level
            if not keep.any():
                found = sorted(map(str, out["level"].dropna().unique()))[:10]
                raise InputValidationError(
                    f"no row has level {level!r}; the `level` column holds {found}. "
                    "Pass one of those, or level=None to keep every row.",
                    argument="level",
                )
            out = out[keep.fillna(False).to_numpy()].copy()
    else:
        out["level"] = level if level is not None else None

    # Codes: strings, present, unique.
    codes = out["code"]
    empty = codes.isna() | (codes.astype("string").str.strip() == "")
    if empty.any():
        raise InputValidationError(
            f"{int(empty.sum())} row(s) have an empty code in column {code_src!r} "
            f"(row positions {list(map(int, empty.to_numpy().nonzero()[0][:10]))}). "
            "Every region needs a code; fill them or drop those rows.",
            argument="source",
        )
    out["code"] = _as_code(out["code"])
    out["name"] = out["name"].astype("string").str.strip().astype(object)
    for col in _PARENT_COLS:
        if col in out.columns:
            out[col] = _as_code(out[col])
    _require_unique(out, "code", "source")

    require_geom_types(out, (*_POLYGONAL, "GeometryCollection"), "source")
    out, repaired = _repair(out)
    if repaired:
        warnings.warn(
            f"{len(repaired)} boundary geometr{'y was' if len(repaired) == 1 else 'ies were'} "
            f"invalid and repaired with shapely.make_valid(method='structure') (codes: "
            f"{repaired[:50]}{' ...' if len(repaired) > 50 else ''}). Check them if areas matter.",
            GeoAccessWarning,
            stacklevel=2,
        )
    require_geom_types(out, _POLYGONAL, "source")

    front = ["code", "name", "level"] + [c for c in _PARENT_COLS if c in out.columns]
    rest = [c for c in out.columns if c not in front]
    out = out[front + rest]
    logger.info("read %d boundary polygon(s) (level %s)", len(out), level)
    return out


# --------------------------------------------------------------------------- helpers


def _read_vector(source: Any, argument: str) -> gpd.GeoDataFrame:
    """Return a GeoDataFrame from a path or GeoDataFrame (internal; never the same object)."""
    if isinstance(source, gpd.GeoDataFrame):
        return source
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            raise DataNotFoundError(
                f"`{argument}`: file {str(path)!r} does not exist. Check the path "
                "(see data/README.md for where the shared data lives)."
            )
        if path.is_dir() and path.suffix.lower() != ".gdb":
            raise InputValidationError(directory_message(path), argument=argument)
        try:
            return gpd.read_file(path)
        except Exception as exc:  # pyogrio DataSourceError / DataLayerError, ...
            raise InputValidationError(
                f"could not read {str(path)!r} as a vector file ({type(exc).__name__}: {exc}). The "
                "file may be truncated or not a GeoJSON/GeoPackage/shapefile; export it again.",
                argument=argument,
            ) from exc
    raise InputValidationError(
        f"expected a file path or a GeoDataFrame, got {type(source).__name__}",
        argument=argument,
    )


def _pick_column(
    df: pd.DataFrame, given: str | None, candidates: tuple[str, ...], argument: str, what: str
) -> str:
    if given is not None:
        require_columns(df, [given], argument)
        return given
    lower = {str(c).lower(): c for c in df.columns}
    for cand in candidates:
        if cand in lower:
            return lower[cand]
    raise InputValidationError(
        f"found no column with {what}; looked for {list(candidates)} in "
        f"{[str(c) for c in df.columns][:20]}. Pass {argument}='your_column'.",
        argument=argument,
    )


def _adopt(df: gpd.GeoDataFrame, src: str, std: str) -> gpd.GeoDataFrame:
    """Rename ``src`` to ``std``; an unrelated existing ``std`` column becomes ``std_input``."""
    if src == std:
        return df
    if std in df.columns:
        df = df.rename(columns={std: f"{std}_input"})
    return df.rename(columns={src: std})


def _as_code(s: pd.Series) -> pd.Series:
    """Codes as stripped strings; integral floats (1603.0) lose the ``.0``; missing stays None."""

    fractional = [
        f"{v!r} (row position {i})"
        for i, v in enumerate(s)
        if isinstance(v, float | np.floating) and np.isfinite(v) and not float(v).is_integer()
    ]
    if fractional:
        raise InputValidationError(
            f"column {s.name!r} holds codes stored as decimal numbers: {fractional[:10]}. A "
            "Kemendagri code such as '16.030' stored as a number becomes 16.03, another code; "
            "store the codes as text (a GeoPackage text field, or quoted strings in GeoJSON).",
            argument="source",
        )

    def one(v: Any) -> Any:
        if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
            return None
        if isinstance(v, float | np.floating) and float(v).is_integer():
            v = int(v)
        return str(v).strip()

    return pd.Series([one(v) for v in s], index=s.index, dtype=object)


def check_coordinates_fit_crs(gdf: gpd.GeoDataFrame, argument: str) -> None:
    """Raise :class:`CRSError` if the coordinates are impossible for the declared CRS.

    Degrees beyond +-90 latitude / +-360 longitude in a geographic CRS (e.g. a
    latitude of 103: the axes are swapped, or 9,580,000: the coordinates are metres), or
    coordinates a projected CRS cannot turn into longitude/latitude; the message says
    which CRS they look like. (Degrees declared as metres are not caught here: small
    metric test layers look the same.)
    """
    geoms = gdf.geometry
    geoms = geoms[~(geoms.isna() | geoms.is_empty)]
    if len(geoms) == 0:
        return
    x0, y0, x1, y1 = (float(v) for v in geoms.total_bounds)
    if not all(np.isfinite([x0, y0, x1, y1])):
        raise CRSError("some coordinates are not finite numbers (NaN or inf); fix the geometries.",
                       argument=argument)  # fmt: skip
    crs = gdf.crs
    seen = f"x {x0:,.10g} .. {x1:,.10g}, y {y0:,.10g} .. {y1:,.10g}"
    if crs.is_geographic:
        if max(abs(y0), abs(y1)) <= 90 and max(abs(x0), abs(x1)) <= 360:
            return
        if max(abs(x0), abs(x1)) <= 90 and max(abs(y0), abs(y1)) <= 180:
            guess = (
                "they look like (latitude, longitude) written in the wrong order; swap the axes, "
                "e.g. gdf.set_geometry(shapely.ops.transform(lambda x, y: (y, x), g) for g in "
                "gdf.geometry)"
            )
        else:
            guess = (
                "they look like metres of a projected CRS (for Indonesia mostly UTM: zones 46-54, "
                "EPSG:327xx south of the equator, EPSG:326xx north; South Sumatra is EPSG:32748). "
                "Declare the right one with .set_crs('EPSG:32748', allow_override=True)"
            )
        raise CRSError(
            f"the layer declares the geographic CRS {crs.to_string()} (degrees), but its coordinates "
            f"span {seen}, impossible in degrees: {guess}.",
            argument=argument,
        )
    try:
        tr = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        _lon, lat = tr.transform([x0, x1, x0, x1], [y0, y0, y1, y1], errcheck=True)
    except Exception as exc:  # pyproj.exceptions.ProjError
        raise CRSError(
            f"the coordinates (span {seen}) cannot be converted from the declared CRS "
            f"{crs.to_string()} to longitude/latitude ({exc}); check the declared CRS.",
            argument=argument,
        ) from exc
    if not (np.all(np.isfinite(lat)) and np.all(np.abs(lat) <= 90)):
        raise CRSError(
            f"the coordinates (span {seen}) are impossible for the declared CRS {crs.to_string()}; "
            "check the declared CRS.",
            argument=argument,
        )


def _repair(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Repair invalid polygons with make_valid(structure), keeping the polygonal part.

    Returns the repaired frame and the codes of the repaired rows.
    """
    geoms = gdf.geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms)
    is_gc = shapely.get_type_id(geoms) == 7
    fix = invalid | is_gc
    if not fix.any():
        return gdf, []
    fixed = geoms.copy()
    repaired = shapely.make_valid(geoms[fix], method="structure", keep_collapsed=False)
    fixed[fix] = [_polygonal_part(g) for g in repaired]
    out = gdf.copy()
    out[gdf.geometry.name] = gpd.GeoSeries(fixed, index=gdf.index, crs=gdf.crs)
    return out, [str(c) for c in out.loc[fix, "code"]]


def _polygonal_part(g: Any) -> Any:
    """The Polygon/MultiPolygon part of a geometry (a collection keeps its polygons)."""
    if g is None or g.is_empty:
        return None
    if g.geom_type in _POLYGONAL:
        return g
    polys = [p for p in shapely.get_parts(g) if p.geom_type in _POLYGONAL]
    parts = [q for p in polys for q in shapely.get_parts(p)]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
