"""Flood hazard inputs and flood exposure per desa and kecamatan (issue 8).

Hazard inputs
-------------
Three readers turn the hazard data a Dinkes has into one **standard hazard layer**:

- :func:`hazard_from_desa`: a per-desa hazard index 0-1 (the shared desa table carries
  the BNPB flood-hazard index, loaded as ``flood_hazard_index``);
- :func:`hazard_from_raster`: a GeoTIFF holding an InaRISK-like index 0-1
  (``kind="index"``) or water depth in metres (``kind="depth_m"``);
- :func:`hazard_from_polygons`: polygons with a class, a depth or an index column.

The standard hazard layer is a GeoDataFrame of Polygon/MultiPolygon rows with

``hazard_class``
    ``"rendah"``, ``"sedang"``, ``"tinggi"`` (:data:`HAZARD_CLASSES`), or ``"unknown"``
    where the source row has no value (a desa without an index);
``hazard_index``
    the index 0-1 (NaN when the source is a depth or a class);
``depth_m``
    water depth in metres (NaN when the source is an index or a class);
``source_id``
    the source row (desa code, polygon index) as text; None for raster polygons;

and ``attrs``: ``hazard_kind`` (``"index"``, ``"depth_m"`` or ``"class"``),
``thresholds`` (the class limits used) and ``source`` (in words). Rows may overlap;
where they do, the higher class wins (:func:`flood_exposure`).

Classes and their sources
-------------------------
**Index 0-1** (:data:`INDEX_CLASS_THRESHOLDS` = ``(0.333, 0.667)``): ``rendah`` for
index <= 0.333, ``sedang`` for 0.333 < index < 0.667, ``tinggi`` for index >= 0.667.
What this rests on, precisely:

- Peraturan Kepala BNPB Nomor 2 Tahun 2012 tentang Pedoman Umum Pengkajian Risiko
  Bencana asks for hazard (*ancaman*) and risk maps in **three interval classes**,
  *tinggi, sedang, rendah*, built on indices that run from 0 to 1.
- The split of the 0-1 index into equal thirds at 0.333 and 0.667 (rendah 0-0.333,
  sedang 0.334-0.666, tinggi 0.667-1) is the legend commonly read off BNPB's InaRISK
  hazard-index layers and used in the kabupaten risk studies (KRB) that follow Perka
  2/2012; the project notes (``DESIGN-NOTES.md``, "Floods, links and boats") record it
  as "the common reading". We have **not** checked it against a BNPB document: some
  studies split at 0.3 and 0.6 instead. Pass ``thresholds=`` to use other limits.
- The InaRISK index is not a depth and carries no speed: it says how likely and how
  severe flooding is, not how deep the water stands on a road.
- The desa index in the shared data is the **mean** BNPB index over the desa
  (``population/SOURCES.md``): a desa mean dilutes small high-hazard patches, so a
  per-desa "tinggi" is rarer than tinggi cells (in Muara Enim the highest desa mean is
  0.58: no desa is tinggi).

**Depth** (:data:`DEPTH_CLASS_THRESHOLDS_M` = ``(0.1, 0.3)``): ``rendah`` below 0.1 m,
``sedang`` from 0.1 m to below 0.3 m, ``tinggi`` from 0.3 m. The 0.3 m limit is where
Pregnolato et al. (2017) place the end of a passable road (:func:`speed_factor_for_depth`
is 0 from there on); 0.1 m is a geoaccess choice read off the same curve (at 0.1 m a
vehicle's safe speed has already fallen to 47 % of its dry-road speed). Depth cells at
or below ``min_depth_m`` (default 0) are dry and are not hazard.

**Depth to speed** (:func:`speed_factor_for_depth`): Pregnolato, M., Ford, A.,
Wilkinson, S. M. and Dawson, R. J. (2017), "The impact of flooding on road transport:
A depth-disruption function", *Transportation Research Part D: Transport and
Environment* 55: 67-81, doi:10.1016/j.trd.2017.06.020. The fitted maximum safe vehicle
speed in standing water of depth ``w`` millimetres is
``v(w) = 0.0009 w^2 - 0.5529 w + 86.9448`` km/h (:data:`PREGNOLATO_COEFFS`), and the
paper places the limit of a passable road at 300 mm. geoaccess uses the ratio
``v(w) / v(0)`` (``v(0)`` = 86.9448 km/h) as a multiplier of each road's own speed,
and 0 from 300 mm on (:data:`VEHICLE_CLOSURE_DEPTH_M`). Applying the curve as a ratio
to roads whose dry speed is not 87 km/h is our assumption, not the paper's.

Exposure
--------
:func:`flood_exposure` counts, per desa and kecamatan and per hazard class, the people,
the puskesmas, pustu and hospitals and the road length (km); it lists the facilities
standing in high hazard by name. :func:`add_flood_exposure` adds those figures to a
priority table (``result.tables["priority_kecamatan"]`` or ``["priority_facilities"]``).
The rules (every one also in the function's docstring):

- Hazard rows are flattened into disjoint class areas, the higher class winning
  (tinggi > sedang > rendah > unknown); what no row covers is ``none``.
- People: a desa's population is taken as spread evenly over the desa (area
  weighting), so people in a class = population x the desa's area share in it. With a
  per-desa index the desa lies wholly in one class and the split is exact.
- Facilities: by their point, only when the point is the facility's own site
  (``location_quality == "source"``). A facility placed at its desa centroid gets its
  desa's class when the whole desa lies in one class, else ``unknown``; one placed at
  a kecamatan centroid is counted in its kecamatan as ``unknown`` and in no desa.
- Roads: lines clipped by the desa x class pieces (vectorised shapely intersections
  over an STRtree); a :class:`~geoaccess.engine.network.Network` is read through
  ``road_edges_gdf()`` (each road piece once).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from .._utm import utm_crs
from .._validate import check_choice, check_number, require_columns, require_crs, require_frame
from ..engine.flood import PREGNOLATO_COEFFS, PREGNOLATO_STOP_M
from ..exceptions import (
    CRSError,
    DataNotFoundError,
    GeoAccessWarning,
    InputValidationError,
)
from ..notes import Note

__all__ = [
    "DEPTH_CLASS_THRESHOLDS_M",
    "EXPOSURE_CLASSES",
    "FACILITY_TYPES",
    "HAZARD_CLASSES",
    "INDEX_CLASS_THRESHOLDS",
    "PREGNOLATO_COEFFS",
    "PRIORITY_EXPOSURE_COLUMNS",
    "VEHICLE_CLOSURE_DEPTH_M",
    "FloodExposure",
    "add_flood_exposure",
    "classify_depth",
    "classify_index",
    "flood_exposure",
    "hazard_from_desa",
    "hazard_from_polygons",
    "hazard_from_raster",
    "speed_factor_for_depth",
]

log = logging.getLogger(__name__)

#: Hazard classes from low to high (InaRISK / Perka BNPB 2/2012 wording).
HAZARD_CLASSES: tuple[str, ...] = ("rendah", "sedang", "tinggi")

#: Classes of the exposure tables: the hazard classes, ``unknown`` (a hazard row
#: without a value, or a facility whose site is not known) and ``none`` (no hazard
#: row covers the place).
EXPOSURE_CLASSES: tuple[str, ...] = (*HAZARD_CLASSES, "unknown", "none")

#: Index limits (low, high): rendah <= 0.333 < sedang < 0.667 <= tinggi. The common
#: reading of BNPB's InaRISK index legend in three classes (Perka BNPB 2/2012 asks for
#: three classes); see the module docstring for exactly what was checked.
INDEX_CLASS_THRESHOLDS: tuple[float, float] = (0.333, 0.667)

#: Depth limits in metres (low, high): rendah < 0.1 <= sedang < 0.3 <= tinggi. 0.3 m:
#: Pregnolato et al. (2017), the limit of a passable road; 0.1 m: a geoaccess choice
#: (speed factor 0.47 on the same curve).
DEPTH_CLASS_THRESHOLDS_M: tuple[float, float] = (0.1, 0.3)

# The Pregnolato et al. (2017) curve (Transportation Research Part D 55: 67-81) and its
# 300 mm stop depth are defined once, in geoaccess.engine.flood, which the flood-season
# network uses too.
#: Depth (m) from which vehicles stop (:data:`geoaccess.engine.flood.PREGNOLATO_STOP_M`).
VEHICLE_CLOSURE_DEPTH_M: float = PREGNOLATO_STOP_M

#: Facility groups counted by :func:`flood_exposure`: column prefix -> value of the
#: facility ``type`` column.
FACILITY_TYPES: dict[str, str] = {"puskesmas": "puskesmas", "pustu": "pustu", "hospital": "rs"}

# class labels a polygon layer may use, mapped to the standard ones
_CLASS_ALIASES = {
    "rendah": "rendah",
    "low": "rendah",
    "1": "rendah",
    "sedang": "sedang",
    "medium": "sedang",
    "moderate": "sedang",
    "2": "sedang",
    "tinggi": "tinggi",
    "high": "tinggi",
    "3": "tinggi",
}
_STANDARD_COLUMNS = ["hazard_class", "hazard_index", "depth_m", "source_id"]
_PRIORITY = ("tinggi", "sedang", "rendah", "unknown")  # flattening order: the first wins
_INDEX_TOLERANCE = 1e-6


# --------------------------------------------------------------------------- classes
def _check_thresholds(thresholds: Any, name: str, *, upper: float | None = None) -> tuple[float, float]:
    """Two increasing positive numbers (low, high), the high one at most ``upper``."""
    try:
        low, high = thresholds
    except (TypeError, ValueError):
        raise InputValidationError(
            f"expected two numbers (low, high), got {thresholds!r}", argument=name
        ) from None
    low = check_number(low, name)
    high = check_number(high, name)
    if not low < high:
        raise InputValidationError(f"low must be below high, got ({low:g}, {high:g})", argument=name)
    if upper is not None and high > upper:
        raise InputValidationError(f"high must be at most {upper:g}, got {high:g}", argument=name)
    return low, high


def classify_index(values: Any, thresholds: Sequence[float] = INDEX_CLASS_THRESHOLDS) -> np.ndarray:
    """Hazard class of each index value 0-1.

    ``rendah`` for ``value <= low``, ``sedang`` for ``low < value < high``, ``tinggi``
    for ``value >= high`` (default ``(0.333, 0.667)``, :data:`INDEX_CLASS_THRESHOLDS`:
    0.333 is rendah, 0.667 is tinggi); NaN gives ``unknown``.

    Parameters
    ----------
    values : array-like of float
        Hazard index values, 0 to 1.
    thresholds : (low, high)
        Class limits.

    Returns
    -------
    ndarray of str
        ``rendah``, ``sedang``, ``tinggi`` or ``unknown`` per value.

    Examples
    --------
    >>> classify_index([0.0, 0.333, 0.334, 0.666, 0.667, 1.0]).tolist()
    ['rendah', 'rendah', 'sedang', 'sedang', 'tinggi', 'tinggi']
    """
    low, high = _check_thresholds(thresholds, "thresholds", upper=1.0)
    v = np.asarray(values, dtype=float)
    out = np.where(v <= low, "rendah", np.where(v >= high, "tinggi", "sedang")).astype(object)
    out[np.isnan(v)] = "unknown"
    return out


def classify_depth(depth_m: Any, thresholds_m: Sequence[float] = DEPTH_CLASS_THRESHOLDS_M) -> np.ndarray:
    """Hazard class of each water depth (metres).

    ``rendah`` for ``depth < low``, ``sedang`` for ``low <= depth < high``, ``tinggi``
    for ``depth >= high`` (default ``(0.1, 0.3)`` m, :data:`DEPTH_CLASS_THRESHOLDS_M`:
    0.3 m, where vehicles stop, is tinggi); NaN gives ``unknown``.

    Parameters
    ----------
    depth_m : array-like of float
        Water depths (m).
    thresholds_m : (low, high)
        Class limits (m).

    Returns
    -------
    ndarray of str
        ``rendah``, ``sedang``, ``tinggi`` or ``unknown`` per depth.

    Examples
    --------
    >>> classify_depth([0.05, 0.1, 0.299, 0.3, 1.2]).tolist()
    ['rendah', 'sedang', 'sedang', 'tinggi', 'tinggi']
    """
    low, high = _check_thresholds(thresholds_m, "thresholds_m")
    d = np.asarray(depth_m, dtype=float)
    out = np.where(d < low, "rendah", np.where(d >= high, "tinggi", "sedang")).astype(object)
    out[np.isnan(d)] = "unknown"
    return out


def speed_factor_for_depth(
    depth_m: Any,
    *,
    closure_depth_m: float = VEHICLE_CLOSURE_DEPTH_M,
    coeffs: Sequence[float] = PREGNOLATO_COEFFS,
) -> Any:
    """Share of the dry-road vehicle speed left in standing water ``depth_m`` deep.

    Pregnolato et al. (2017, Transportation Research Part D 55: 67-81,
    doi:10.1016/j.trd.2017.06.020) fit the maximum safe speed in water ``w`` mm deep as
    ``v(w) = 0.0009 w^2 - 0.5529 w + 86.9448`` km/h. The factor is
    ``v(1000 d) / v(0)`` for ``0 <= d < closure_depth_m`` and 0 from
    ``closure_depth_m`` (default 0.3 m, the paper's limit of a passable road) on.

    Parameters
    ----------
    depth_m : float or array-like
        Water depth in metres (>= 0; NaN gives NaN).
    closure_depth_m : float, default 0.3
        Depth from which vehicles stop. At most 0.3 m: the fitted parabola has its
        minimum at 307 mm and rises again beyond it, so it says nothing past 0.3 m.
    coeffs : (a, b, c), default :data:`PREGNOLATO_COEFFS`
        The curve ``a w^2 + b w + c`` (w in mm, km/h).

    Returns
    -------
    float or ndarray
        A float for a scalar input, else an array of the input's shape; values in 0-1.

    Examples
    --------
    >>> round(speed_factor_for_depth(0.1), 4)  # 40.6548 / 86.9448 km/h
    0.4676
    >>> speed_factor_for_depth([0.0, 0.3]).tolist()
    [1.0, 0.0]
    """
    closure = check_number(closure_depth_m, "closure_depth_m", unit="m")
    if closure > VEHICLE_CLOSURE_DEPTH_M:
        raise InputValidationError(
            f"must be at most {VEHICLE_CLOSURE_DEPTH_M:g} m, got {closure:g}: the Pregnolato curve "
            "turns upward beyond about 0.307 m and does not describe deeper water",
            argument="closure_depth_m",
        )
    try:
        a, b, c = (float(x) for x in coeffs)
    except (TypeError, ValueError):
        raise InputValidationError(
            f"expected three numbers (a, b, c), got {coeffs!r}", argument="coeffs"
        ) from None
    scalar = np.ndim(depth_m) == 0
    try:
        d = np.asarray(depth_m, dtype=float)
    except (TypeError, ValueError):
        raise InputValidationError(
            f"expected depths in metres (numbers), got {depth_m!r}", argument="depth_m"
        ) from None
    if np.any(d < 0):
        raise InputValidationError(
            f"depths must be >= 0 m; got {np.unique(d[d < 0])[:5].tolist()}", argument="depth_m"
        )
    w = d * 1000.0
    with np.errstate(invalid="ignore"):
        f = (a * w * w + b * w + c) / c
        f = np.where(d >= closure, 0.0, np.clip(f, 0.0, 1.0))
    f = np.where(np.isnan(d), np.nan, f)
    return float(f) if scalar else f


# ------------------------------------------------------------------ hazard readers
def _standard(
    geometry: Any,
    crs: Any,
    hazard_class: Any,
    *,
    index: Any = None,
    depth: Any = None,
    source_id: Any = None,
    kind: str,
    thresholds: tuple[float, float] | None,
    source: str,
) -> gpd.GeoDataFrame:
    n = len(hazard_class)
    out = gpd.GeoDataFrame(
        {
            "hazard_class": pd.Series(np.asarray(hazard_class, dtype=object), dtype=object),
            "hazard_index": np.full(n, np.nan) if index is None else np.asarray(index, dtype=float),
            "depth_m": np.full(n, np.nan) if depth is None else np.asarray(depth, dtype=float),
            "source_id": pd.Series([None] * n if source_id is None else list(source_id), dtype=object),
        },
        geometry=gpd.GeoSeries(list(geometry), crs=crs).to_numpy(),
        crs=crs,
    )
    out.attrs = {"hazard_kind": kind, "thresholds": thresholds, "source": source}
    return out


def _check_index_values(v: np.ndarray, argument: str, where: str) -> None:
    bad = ~np.isnan(v) & ((v < -_INDEX_TOLERANCE) | (v > 1 + _INDEX_TOLERANCE))
    if bad.any():
        vals = np.unique(v[bad])
        raise InputValidationError(
            f"{int(bad.sum())} {where} hold values outside 0-1 ({', '.join(f'{x:g}' for x in vals[:5])}); "
            "a hazard index runs from 0 to 1. For water depth use kind='depth_m' / depth_col=; for a "
            "fill value pass nodata=.",
            argument=argument,
        )


def hazard_from_desa(
    desa: gpd.GeoDataFrame,
    index_col: str = "flood_hazard_index",
    *,
    id_col: str | None = "code",
    thresholds: Sequence[float] = INDEX_CLASS_THRESHOLDS,
) -> gpd.GeoDataFrame:
    """Hazard layer from a per-desa hazard index 0-1 (e.g. the BNPB flood-hazard index).

    Parameters
    ----------
    desa : GeoDataFrame
        Desa polygons with a CRS and the index column.
    index_col : str, default ``'flood_hazard_index'``
        The index 0-1 (:func:`geoaccess.datasets.load` maps the shared table's
        ``flood_hazard_index_bnpb`` to this name). Empty cells give ``unknown`` rows.
    id_col : str or None, default ``'code'``
        Column copied to ``source_id`` (skipped when absent or None).
    thresholds : (low, high), default ``(0.333, 0.667)``
        Class limits (:func:`classify_index`).

    Returns
    -------
    GeoDataFrame
        The standard hazard layer (module docstring), one row per desa, in the desa CRS.

    Raises
    ------
    InputValidationError
        Not a GeoDataFrame or empty (:class:`~geoaccess.EmptyInputError`), missing
        column (:class:`~geoaccess.MissingColumnError`), no CRS
        (:class:`~geoaccess.CRSError`), non-polygon geometry, non-numeric values or
        values outside 0-1.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> d = gpd.GeoDataFrame({"code": ["A", "B"], "flood_hazard_index": [0.2, 0.7]},
    ...                      geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs=32748)
    >>> hazard_from_desa(d)["hazard_class"].tolist()
    ['rendah', 'tinggi']
    """
    require_frame(desa, "desa")
    require_columns(desa, [index_col], "desa")
    require_crs(desa, "desa")
    _require_polygons(desa, "desa")
    th = _check_thresholds(thresholds, "thresholds", upper=1.0)
    v = _numeric(desa[index_col], "desa", index_col)
    _check_index_values(v, "desa", f"desa in column '{index_col}'")
    v = np.clip(v, 0.0, 1.0)
    n_unknown = int(np.isnan(v).sum())
    if n_unknown:
        warnings.warn(
            f"{n_unknown} desa have no '{index_col}' value; their hazard class is 'unknown'",
            GeoAccessWarning,
            stacklevel=2,
        )
    ids = desa[id_col].astype(str) if id_col is not None and id_col in desa else desa.index.astype(str)
    return _standard(
        desa.geometry.values,
        desa.crs,
        classify_index(v, th),
        index=v,
        source_id=ids,
        kind="index",
        thresholds=th,
        source=f"per-desa hazard index '{index_col}'",
    )


def hazard_from_polygons(
    gdf: gpd.GeoDataFrame,
    class_col: str | None = None,
    depth_col: str | None = None,
    *,
    index_col: str | None = None,
    depth_thresholds_m: Sequence[float] = DEPTH_CLASS_THRESHOLDS_M,
    index_thresholds: Sequence[float] = INDEX_CLASS_THRESHOLDS,
    min_depth_m: float = 0.0,
) -> gpd.GeoDataFrame:
    """Hazard layer from polygons carrying a class, a water depth or an index.

    Give exactly one of ``class_col``, ``depth_col`` and ``index_col``.

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons with a CRS.
    class_col : str, optional
        Class labels: ``rendah``/``sedang``/``tinggi`` (any case), ``low``/``medium``
        (``moderate``)/``high``, or 1/2/3. Empty cells give ``unknown``.
    depth_col : str, optional
        Water depth in metres (>= 0), classed with ``depth_thresholds_m``
        (:func:`classify_depth`); rows at or below ``min_depth_m`` are dry and dropped.
    index_col : str, optional
        Index 0-1, classed with ``index_thresholds`` (:func:`classify_index`).

    Returns
    -------
    GeoDataFrame
        The standard hazard layer, in the input CRS; ``source_id`` is the input index.

    Raises
    ------
    InputValidationError
        None or several value columns, unknown class labels (all listed), negative
        depths, indices outside 0-1, non-polygon geometry, no CRS or missing columns.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> zones = gpd.GeoDataFrame({"kedalaman": [0.05, 0.2, 0.8]}, crs="EPSG:32748",
    ...     geometry=[shapely.box(x, 0, x + 100, 100) for x in (0, 100, 200)])
    >>> hazard_from_polygons(zones, depth_col="kedalaman")[["hazard_class", "depth_m", "source_id"]]
      hazard_class  depth_m source_id
    0       rendah     0.05         0
    1       sedang     0.20         1
    2       tinggi     0.80         2
    """
    require_frame(gdf, "gdf")
    cols = (("class_col", class_col), ("depth_col", depth_col), ("index_col", index_col))
    given = {k: c for k, c in cols if c}
    if len(given) != 1:
        raise InputValidationError(
            f"give exactly one of class_col=, depth_col=, index_col=; got {sorted(given) or 'none'}",
            argument="gdf",
        )
    require_columns(gdf, list(given.values()), "gdf")
    require_crs(gdf, "gdf")
    _require_polygons(gdf, "gdf")
    ids = gdf.index.astype(str)
    if class_col:
        raw = gdf[class_col]
        norm = raw.map(
            lambda x: None if pd.isna(x) else _CLASS_ALIASES.get(str(x).strip().lower().removesuffix(".0"))
        )
        bad = raw[norm.isna() & raw.notna()]
        if len(bad):
            raise InputValidationError(
                f"column '{class_col}' has labels that are not hazard classes: "
                f"{sorted(map(str, set(bad)))[:10]}; use rendah/sedang/tinggi (or low/medium/high, 1/2/3)",
                argument="gdf",
            )
        cls = norm.fillna("unknown").to_numpy(dtype=object)
        return _standard(
            gdf.geometry.values,
            gdf.crs,
            cls,
            source_id=ids,
            kind="class",
            thresholds=None,
            source=f"hazard polygons, class column '{class_col}'",
        )
    if index_col:
        th = _check_thresholds(index_thresholds, "index_thresholds", upper=1.0)
        v = _numeric(gdf[index_col], "gdf", index_col)
        _check_index_values(v, "gdf", f"rows of '{index_col}'")
        v = np.clip(v, 0.0, 1.0)
        return _standard(
            gdf.geometry.values,
            gdf.crs,
            classify_index(v, th),
            index=v,
            source_id=ids,
            kind="index",
            thresholds=th,
            source=f"hazard polygons, index column '{index_col}'",
        )
    assert depth_col is not None
    th = _check_thresholds(depth_thresholds_m, "depth_thresholds_m")
    dry_limit = check_number(min_depth_m, "min_depth_m", allow_zero=True, unit="m")
    d = _numeric(gdf[depth_col], "gdf", depth_col)
    if np.any(d < 0):
        raise InputValidationError(
            f"column '{depth_col}' has negative depths ({np.unique(d[d < 0])[:5].tolist()}); "
            "depths are metres of water above ground (>= 0)",
            argument="gdf",
        )
    keep = np.isnan(d) | (d > dry_limit)
    return _standard(
        gdf.geometry.values[keep],
        gdf.crs,
        classify_depth(d[keep], th),
        depth=d[keep],
        source_id=ids[keep],
        kind="depth_m",
        thresholds=th,
        source=f"hazard polygons, depth column '{depth_col}' (m)",
    )


def hazard_from_raster(
    path_or_dataset: Any,
    kind: str = "index",
    *,
    band: int = 1,
    nodata: float | None = None,
    thresholds: Sequence[float] | None = None,
    min_depth_m: float = 0.0,
    value_step: float | None = None,
    nodata_class: str = "unknown",
) -> gpd.GeoDataFrame:
    """Hazard layer from a GeoTIFF: an InaRISK-like index 0-1 or water depth in metres.

    Cells are classed one by one (:func:`classify_index` / :func:`classify_depth`) and
    joined into polygons of equal class and equal value rounded to ``value_step``
    (``rasterio.features.shapes``); each polygon carries the rounded value.

    Parameters
    ----------
    path_or_dataset : path or rasterio dataset
        A GeoTIFF (any GDAL raster) path, or an open ``rasterio`` dataset. Must have a CRS.
    kind : {'index', 'depth_m'}, default ``'index'``
        What the cells hold.
    band : int, default 1
        Band to read.
    nodata : float, optional
        Fill value when the file declares none (or another one). Cells that are
        nodata or NaN are no data: not hazard, not dry.
    thresholds : (low, high), optional
        Class limits; default :data:`INDEX_CLASS_THRESHOLDS` or
        :data:`DEPTH_CLASS_THRESHOLDS_M`.
    min_depth_m : float, default 0
        ``kind='depth_m'``: cells at or below it are dry (no polygon).
    value_step : float, optional
        Rounding of the value a polygon carries: default 0.001 (index), 0.01 m (depth).
        The class is decided on the unrounded cell value.
    nodata_class : {'unknown', 'none'}, default ``'unknown'``
        What nodata cells inside the raster are: ``unknown`` (polygons of class
        ``unknown``: hazard not mapped there) or ``none`` (no polygon: no hazard, e.g.
        a flood model that writes nodata where the ground stays dry). Places outside
        the raster's extent are covered by no row (``none`` in :func:`flood_exposure`):
        check ``people_none`` when the raster does not cover the whole area.

    Returns
    -------
    GeoDataFrame
        The standard hazard layer in the raster CRS (``source_id`` None). A raster with
        no hazard cell gives an empty layer, with a warning.

    Raises
    ------
    DataNotFoundError
        The path does not exist.
    CRSError
        The raster has no CRS.
    InputValidationError
        Unknown ``kind``, a directory or a file that is not a readable raster (fake,
        empty or cut), a band that does not exist, index values outside 0-1 or negative
        depths (with the hint ``nodata=`` when they look like a fill value).

    Examples
    --------
    A 2 x 2 index raster of 100 m cells (one nodata cell), written to a temporary file:

    >>> import os, tempfile
    >>> import numpy as np, rasterio
    >>> from rasterio.transform import from_origin
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "inarisk.tif")
    ...     with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=1, dtype="float32",
    ...                        crs="EPSG:32748", transform=from_origin(400_000, 9_590_200, 100, 100),
    ...                        nodata=-1) as tif:
    ...         tif.write(np.array([[0.1, 0.5], [0.9, -1]], dtype="float32"), 1)
    ...     hazard = hazard_from_raster(path)
    >>> hazard[["hazard_class", "hazard_index"]].sort_values("hazard_index")
      hazard_class  hazard_index
    0       rendah           0.1
    1       sedang           0.5
    2       tinggi           0.9
    3      unknown           NaN
    """
    import rasterio
    from rasterio.features import shapes

    check_choice(kind, ("index", "depth_m"), "kind")
    if isinstance(band, bool) or not isinstance(band, int | np.integer):
        raise InputValidationError(f"must be a band number (int), got {band!r}", argument="band")
    if thresholds is None:
        th = INDEX_CLASS_THRESHOLDS if kind == "index" else DEPTH_CLASS_THRESHOLDS_M
    else:
        th = _check_thresholds(thresholds, "thresholds", upper=1.0 if kind == "index" else None)
    step = check_number(
        value_step if value_step is not None else (0.001 if kind == "index" else 0.01), "value_step"
    )
    dry_limit = check_number(min_depth_m, "min_depth_m", allow_zero=True, unit="m")
    if nodata is not None and (isinstance(nodata, bool) or not isinstance(nodata, int | float | np.number)):
        raise InputValidationError(f"must be a number, got {nodata!r}", argument="nodata")
    check_choice(nodata_class, ("unknown", "none"), "nodata_class")

    opened = None
    if isinstance(path_or_dataset, str | Path):
        p = Path(path_or_dataset)
        if not p.exists():
            raise DataNotFoundError(f"`path_or_dataset`: raster file {str(p)!r} does not exist.")
        if p.is_dir():
            raise InputValidationError(
                f"{str(p)!r} is a folder; pass the GeoTIFF file inside it", argument="path_or_dataset"
            )
        try:
            opened = rasterio.open(p)
        except Exception as exc:  # RasterioIOError for fake, empty and cut files
            raise InputValidationError(
                f"{str(p)!r} is not a readable raster ({type(exc).__name__}: {exc}). The file may be cut "
                "(an interrupted download) or not a GeoTIFF; download or export it again.",
                argument="path_or_dataset",
            ) from exc
        ds = opened
    elif hasattr(path_or_dataset, "read") and hasattr(path_or_dataset, "transform"):
        ds = path_or_dataset
    else:
        raise InputValidationError(
            f"expected a raster file path or an open rasterio dataset, got {type(path_or_dataset).__name__}",
            argument="path_or_dataset",
        )
    try:
        if ds.crs is None:
            raise CRSError(
                "the raster has no CRS; assign one (e.g. gdal_edit.py -a_srs EPSG:32748 file.tif). A "
                "downloaded file without a CRS may also be cut short.",
                argument="path_or_dataset",
            )
        if not 1 <= band <= ds.count:
            raise InputValidationError(f"the raster has {ds.count} band(s); got band={band}", argument="band")
        try:
            raw = ds.read(band)
            arr = raw.astype(float)
        except Exception as exc:
            raise InputValidationError(
                f"could not read the raster cells ({type(exc).__name__}: {exc}); the file may be cut. "
                "Download or export it again.",
                argument="path_or_dataset",
            ) from exc
        fill = nodata if nodata is not None else ds.nodata
        crs, transform, name = ds.crs, ds.transform, getattr(ds, "name", "raster")
    finally:
        if opened is not None:
            opened.close()

    # a float32 cell written as 0.333 reads back as 0.33300000429: compare with the limits
    # stored the same way, so that a cell equal to a limit falls on the documented side
    cell_th = tuple(float(np.asarray(t, dtype=raw.dtype)) for t in th) if raw.dtype.kind == "f" else th
    valid = np.isfinite(arr)
    if fill is not None:
        valid &= arr != fill
    v = np.where(valid, arr, np.nan)
    hint = f" If this is a fill value, pass nodata={np.nanmin(v):g}." if valid.any() else ""
    if kind == "index":
        bad = valid & ((v < -_INDEX_TOLERANCE) | (v > 1 + _INDEX_TOLERANCE))
        if bad.any():
            raise InputValidationError(
                f"{int(bad.sum())} cell(s) lie outside 0-1 (min {np.nanmin(v):g}, max {np.nanmax(v):g}) and "
                f"{'no nodata value is declared' if fill is None else f'nodata is {fill:g}'}; an index runs "
                f"from 0 to 1. For water depth pass kind='depth_m'.{hint}",
                argument="path_or_dataset",
            )
        v = np.clip(v, 0.0, 1.0)
        hazard = valid
        cls = classify_index(v, cell_th)
    else:
        bad = valid & (v < 0)
        if bad.any():
            raise InputValidationError(
                f"{int(bad.sum())} cell(s) hold negative depths (min {np.nanmin(v):g} m) and "
                f"{'no nodata value is declared' if fill is None else f'nodata is {fill:g}'}; depth is "
                f"metres of water above ground.{hint}",
                argument="path_or_dataset",
            )
        hazard = valid & (v > dry_limit)
        cls = classify_depth(v, cell_th)
    class_code = np.select([cls == c for c in HAZARD_CLASSES], [1, 2, 3], 0)
    if nodata_class == "unknown":
        class_code = np.where(valid, class_code, 4)
        hazard = hazard | ~valid
    q = np.where(hazard & valid, np.round(np.nan_to_num(v) / step), 0)
    if q.max(initial=0) >= 1_000_000:
        raise InputValidationError(
            f"values up to {np.nanmax(v):g} are too large for value_step={step:g}; pass a larger value_step",
            argument="value_step",
        )
    code = (class_code * 1_000_000 + q).astype(np.int32)
    geoms, codes = [], []
    if hazard.any():
        for geom, val in shapes(code, mask=hazard, transform=transform, connectivity=4):
            geoms.append(shapely.geometry.shape(geom))
            codes.append(int(val))
    else:
        warnings.warn(
            f"{name}: no hazard cell (all {'dry' if kind == 'depth_m' and valid.any() else 'nodata'}); "
            "the hazard layer is empty",
            GeoAccessWarning,
            stacklevel=2,
        )
    c = np.asarray(codes, dtype=np.int64)
    labels = np.asarray([*HAZARD_CLASSES, "unknown"], dtype=object)
    classes = labels[(c // 1_000_000) - 1] if len(c) else np.array([], object)
    value = np.where(c // 1_000_000 == 4, np.nan, (c % 1_000_000) * step)
    return _standard(
        geoms,
        crs,
        classes,
        index=value if kind == "index" else None,
        depth=value if kind == "depth_m" else None,
        kind=kind,
        thresholds=tuple(th),  # type: ignore[arg-type]
        source=f"raster {name} ({'index 0-1' if kind == 'index' else 'depth in metres'}, band {band})",
    )


def _require_polygons(gdf: gpd.GeoDataFrame, name: str) -> None:
    from .._validate import require_geom_types

    require_geom_types(gdf, ("Polygon", "MultiPolygon"), name)


def _numeric(s: pd.Series, argument: str, col: str) -> np.ndarray:
    try:
        return pd.to_numeric(s, errors="raise").to_numpy(dtype=float)
    except (TypeError, ValueError):
        bad = s[pd.to_numeric(s, errors="coerce").isna() & s.notna()]
        raise InputValidationError(
            f"column '{col}' must hold numbers; not numbers: {sorted(map(str, set(bad)))[:5]}",
            argument=argument,
        ) from None


def _require_hazard(hazard: Any) -> None:
    require_frame(hazard, "hazard")
    require_columns(hazard, _STANDARD_COLUMNS, "hazard")
    require_crs(hazard, "hazard")
    bad = set(hazard["hazard_class"].dropna().unique()) - {*HAZARD_CLASSES, "unknown"}
    if bad or hazard["hazard_class"].isna().any():
        raise InputValidationError(
            f"hazard_class must be one of {[*HAZARD_CLASSES, 'unknown']}; got {sorted(map(str, bad))[:5]}"
            + (" and empty cells" if hazard["hazard_class"].isna().any() else "")
            + ". Build the layer with hazard_from_desa / hazard_from_raster / hazard_from_polygons.",
            argument="hazard",
        )


# ------------------------------------------------------------------------ exposure
@dataclass(frozen=True)
class FloodExposure:
    """What :func:`flood_exposure` returns.

    Attributes
    ----------
    desa, kecamatan : DataFrame
        One row per desa (``code``, ``name``, ``kecamatan_code``) / kecamatan (``code``,
        ``name``) with ``population``; ``people_<c>`` for every class ``c`` of
        :data:`EXPOSURE_CLASSES`; ``share_people_tinggi``; ``<facility>_<c>`` for
        ``puskesmas``, ``pustu``, ``hospital`` (:data:`FACILITY_TYPES`); ``road_km_<c>``
        (``unknown`` / ``none`` as defined in the module docstring).
    facilities : GeoDataFrame
        Every facility with ``hazard_class`` (an :data:`EXPOSURE_CLASSES` value),
        ``hazard_index``, ``depth_m`` (the highest of the hazard rows at its point),
        ``site_known``, ``desa_code``, ``desa_name``, ``kecamatan_code``,
        ``kecamatan_name``; in the facilities' CRS (a map layer).
    high_hazard_facilities : DataFrame
        The facilities standing in ``tinggi``, named: ``facility_id``, ``name``,
        ``type``, ``desa_name``, ``kecamatan_name``, ``hazard_index``, ``depth_m``,
        ``location_quality``.
    summary : DataFrame
        Totals over the desa, one row per class: ``people``, ``puskesmas``, ``pustu``,
        ``hospital``, ``road_km`` (facilities placed at a kecamatan centroid included
        as ``unknown``).
    notes : tuple of str
        What was assumed or left out, in words.

    Examples
    --------
    Two desa of 2 x 2 km; high hazard over the east half of the second:

    >>> import geopandas as gpd, shapely
    >>> utm = "EPSG:32748"
    >>> desa = gpd.GeoDataFrame({"code": ["D1", "D2"], "name": ["Ulu", "Ilir"],
    ...     "kecamatan_code": ["K1", "K1"], "population": [1000.0, 3000.0]}, crs=utm,
    ...     geometry=[shapely.box(400_000, 9_590_000, 402_000, 9_592_000),
    ...               shapely.box(402_000, 9_590_000, 404_000, 9_592_000)])
    >>> kecamatan = gpd.GeoDataFrame({"code": ["K1"], "name": ["Tengah"]}, crs=utm,
    ...     geometry=[shapely.box(400_000, 9_590_000, 404_000, 9_592_000)])
    >>> facilities = gpd.GeoDataFrame({"facility_id": ["P1", "H1"], "name": ["Puskesmas Ulu", "RSUD"],
    ...     "type": ["puskesmas", "rs"]}, crs=utm,
    ...     geometry=[shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)])
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm,
    ...     geometry=[shapely.LineString([(400_000, 9_591_000), (404_000, 9_591_000)])])
    >>> hazard = hazard_from_polygons(gpd.GeoDataFrame({"kelas": ["tinggi"]}, crs=utm,
    ...     geometry=[shapely.box(403_000, 9_590_000, 404_000, 9_592_000)]), class_col="kelas")
    >>> exposure = flood_exposure(desa, kecamatan, facilities, roads, hazard)
    >>> exposure.desa[["code", "people_tinggi", "share_people_tinggi", "road_km_tinggi"]]
      code  people_tinggi  share_people_tinggi  road_km_tinggi
    0   D1            0.0                  0.0             0.0
    1   D2         1500.0                  0.5             1.0
    >>> exposure.high_hazard_facilities["facility_id"].tolist()
    ['H1']
    """

    desa: pd.DataFrame
    kecamatan: pd.DataFrame
    facilities: gpd.GeoDataFrame
    high_hazard_facilities: pd.DataFrame
    summary: pd.DataFrame
    notes: tuple[str, ...] = field(default=())


def _metric_crs(gdf: gpd.GeoDataFrame) -> CRS:
    return CRS(utm_crs(gdf)) if gdf.crs.is_geographic else CRS(gdf.crs)


def _flatten(hazard: gpd.GeoDataFrame, crs: CRS) -> np.ndarray:
    """Disjoint area of each class of :data:`_PRIORITY`, the higher class winning."""
    h = hazard.to_crs(crs)
    geoms = shapely.make_valid(h.geometry.to_numpy())
    out, covered = [], shapely.Polygon()
    for c in _PRIORITY:
        sel = geoms[(h["hazard_class"] == c).to_numpy()]
        u = shapely.union_all(sel) if len(sel) else shapely.Polygon()
        u = shapely.difference(u, covered)
        covered = shapely.union(covered, u)
        out.append(u)
    return np.asarray(out, dtype=object)


def _road_lines(roads_or_network: Any) -> gpd.GeoDataFrame:
    from ..engine.network import Network

    if isinstance(roads_or_network, Network):
        return roads_or_network.road_edges_gdf()[["geometry"]]
    require_frame(roads_or_network, "roads_or_network")
    require_crs(roads_or_network, "roads_or_network")
    from .._validate import require_geom_types

    require_geom_types(roads_or_network, ("LineString", "MultiLineString"), "roads_or_network")
    return roads_or_network[[roads_or_network.geometry.name]]


def flood_exposure(
    desa: gpd.GeoDataFrame,
    kecamatan: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    roads_or_network: Any,
    hazard: gpd.GeoDataFrame,
    *,
    population_col: str = "population",
    facility_types: Mapping[str, str] = FACILITY_TYPES,
    uniform_share: float = 0.999,
) -> FloodExposure:
    """People, facilities and road length in each flood-hazard class, per desa and kecamatan.

    Parameters
    ----------
    desa : GeoDataFrame
        Desa polygons with ``code``, ``name``, ``kecamatan_code`` and ``population_col``
        (NaN = unknown: that desa's people columns stay NaN).
    kecamatan : GeoDataFrame
        Kecamatan with ``code`` and ``name`` (the geometry places facilities relocated
        to a kecamatan centroid).
    facilities : GeoDataFrame
        geoaccess facility schema (``facility_id``, ``name``, ``type``; optional
        ``location_quality``: rows other than ``source`` are not at their own site).
        Rows without geometry are listed as ``unknown`` and counted nowhere.
    roads_or_network : GeoDataFrame of lines or Network
        Road lines, or a built :class:`~geoaccess.Network` (its road pieces).
    hazard : GeoDataFrame
        A standard hazard layer (:func:`hazard_from_desa`, :func:`hazard_from_raster`,
        :func:`hazard_from_polygons`).
    population_col : str, default ``'population'``
    facility_types : mapping, default :data:`FACILITY_TYPES`
        Column prefix -> facility ``type`` value.
    uniform_share : float, default 0.999
        A facility placed at its desa centroid takes its desa's class when that class
        covers at least this share of the desa area.

    Returns
    -------
    FloodExposure
        ``desa``, ``kecamatan``, ``facilities``, ``high_hazard_facilities``, ``summary``,
        ``notes``. People are spread evenly over each desa's area (see the module
        docstring); areas and lengths are computed in a UTM CRS when the inputs are
        longitude/latitude.

    Raises
    ------
    InputValidationError
        Missing columns, no CRS, wrong geometry types, or a hazard layer not in the
        standard form (each reported with the fix).

    Examples
    --------
    Two desa of 2 x 2 km; high hazard over the east half of the second (people are
    spread evenly over each desa):

    >>> import geopandas as gpd, shapely
    >>> utm = "EPSG:32748"
    >>> desa = gpd.GeoDataFrame({"code": ["D1", "D2"], "name": ["Ulu", "Ilir"],
    ...     "kecamatan_code": ["K1", "K1"], "population": [1000.0, 3000.0]}, crs=utm,
    ...     geometry=[shapely.box(400_000, 9_590_000, 402_000, 9_592_000),
    ...               shapely.box(402_000, 9_590_000, 404_000, 9_592_000)])
    >>> kecamatan = gpd.GeoDataFrame({"code": ["K1"], "name": ["Tengah"]}, crs=utm,
    ...     geometry=[shapely.box(400_000, 9_590_000, 404_000, 9_592_000)])
    >>> facilities = gpd.GeoDataFrame({"facility_id": ["P1", "H1"], "name": ["Puskesmas Ulu", "RSUD"],
    ...     "type": ["puskesmas", "rs"]}, crs=utm,
    ...     geometry=[shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)])
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm,
    ...     geometry=[shapely.LineString([(400_000, 9_591_000), (404_000, 9_591_000)])])
    >>> hazard = hazard_from_polygons(gpd.GeoDataFrame({"kelas": ["tinggi"]}, crs=utm,
    ...     geometry=[shapely.box(403_000, 9_590_000, 404_000, 9_592_000)]), class_col="kelas")
    >>> exposure = flood_exposure(desa, kecamatan, facilities, roads, hazard)
    >>> exposure.summary[["hazard_class", "people", "puskesmas", "hospital", "road_km"]]
      hazard_class  people  puskesmas  hospital  road_km
    0       rendah     0.0          0         0      0.0
    1       sedang     0.0          0         0      0.0
    2       tinggi  1500.0          0         1      1.0
    3      unknown     0.0          0         0      0.0
    4         none  2500.0          1         0      3.0

    Half of the second desa (1,500 people), its hospital and 1 km of road are in
    high hazard; the rest is in none of the hazard polygons.
    """
    require_frame(desa, "desa")
    require_columns(desa, ["code", "name", "kecamatan_code", population_col], "desa")
    require_crs(desa, "desa")
    _require_polygons(desa, "desa")
    require_frame(kecamatan, "kecamatan")
    require_columns(kecamatan, ["code", "name"], "kecamatan")
    require_crs(kecamatan, "kecamatan")
    require_frame(facilities, "facilities")
    require_columns(facilities, ["facility_id", "name", "type"], "facilities")
    require_crs(facilities, "facilities")
    _require_hazard(hazard)
    share_min = check_number(uniform_share, "uniform_share")
    notes: list[str] = []

    crs = _metric_crs(desa)
    d = desa.to_crs(crs)
    dgeom = shapely.make_valid(d.geometry.to_numpy())
    n = len(d)
    classes = np.asarray(_PRIORITY, dtype=object)  # tinggi, sedang, rendah, unknown
    pieces_cls = _flatten(hazard, crs) if len(hazard) else np.array([shapely.Polygon()] * 4, dtype=object)

    # desa x class pieces and their areas
    pieces = shapely.intersection(dgeom[:, None], pieces_cls[None, :])  # (n, 4)
    area = shapely.area(pieces)
    darea = shapely.area(dgeom)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(darea[:, None] > 0, area / darea[:, None], 0.0)
    share = np.clip(share, 0.0, 1.0)
    share_none = np.clip(1.0 - share.sum(axis=1), 0.0, 1.0)
    pop = pd.to_numeric(d[population_col], errors="coerce").to_numpy(dtype=float)

    tab = pd.DataFrame(
        {
            "code": d["code"].to_numpy(),
            "name": d["name"].to_numpy(),
            "kecamatan_code": d["kecamatan_code"].to_numpy(),
            "population": pop,
        }
    )
    for j, c in enumerate(classes):
        tab[f"people_{c}"] = pop * share[:, j]
    tab["people_none"] = pop * share_none
    if np.isnan(pop).any():
        notes.append(Note("note.flood_desa_no_population", n=int(np.isnan(pop).sum())))

    # roads: lengths per desa x class piece, and per desa
    roads = _road_lines(roads_or_network).to_crs(crs)
    rgeom = roads.geometry.to_numpy()
    rgeom = rgeom[~(shapely.is_missing(rgeom) | shapely.is_empty(rgeom))]
    flat = pieces.ravel()
    km_cls = _clipped_km(rgeom, flat).reshape(n, len(classes))
    km_desa = _clipped_km(rgeom, dgeom)
    for j, c in enumerate(classes):
        tab[f"road_km_{c}"] = km_cls[:, j]
    tab["road_km_none"] = np.clip(km_desa - km_cls.sum(axis=1), 0.0, None)

    # facilities: class at their site, desa and kecamatan they are counted in
    fac = _facility_classes(facilities, d, dgeom, kecamatan, crs, hazard, pieces_cls, share, share_min)
    for prefix, ftype in facility_types.items():
        sel = fac[fac["type"] == ftype]
        in_desa = sel[sel["desa_code"].notna()]
        counts = pd.crosstab(in_desa["desa_code"], in_desa["hazard_class"])
        for c in EXPOSURE_CLASSES:
            col = counts[c] if c in counts else pd.Series(dtype=float)
            tab[f"{prefix}_{c}"] = tab["code"].map(col).fillna(0).astype(int)
    tab.insert(5, "share_people_tinggi", _ratio(tab["people_tinggi"], tab["population"]))
    tab = tab[_column_order(tab.columns, facility_types)]

    # kecamatan: sums of their desa plus the facilities known only by kecamatan
    names_k = kecamatan.set_index("code")["name"]
    num = [c for c in tab.columns if c not in ("code", "name", "kecamatan_code", "share_people_tinggi")]
    kt = tab.groupby("kecamatan_code")[num].sum(min_count=1).reindex(names_k.index)
    for prefix, ftype in facility_types.items():
        only_k = fac[(fac["type"] == ftype) & fac["desa_code"].isna() & fac["kecamatan_code"].notna()]
        extra = pd.crosstab(only_k["kecamatan_code"], only_k["hazard_class"])
        for c in extra.columns:
            kt[f"{prefix}_{c}"] = kt[f"{prefix}_{c}"].fillna(0) + extra[c].reindex(kt.index).fillna(0)
    fcols = [f"{p}_{c}" for p in facility_types for c in EXPOSURE_CLASSES]
    kt[fcols] = kt[fcols].fillna(0).astype(int)
    rcols = [c for c in kt.columns if c.startswith("road_km_")]
    kt[rcols] = kt[rcols].fillna(0.0)
    kt.insert(0, "name", names_k)
    kt.insert(2, "share_people_tinggi", _ratio(kt["people_tinggi"], kt["population"]))
    kt = kt.rename_axis("code").reset_index()

    # totals per class
    summary = pd.DataFrame(
        {
            "hazard_class": list(EXPOSURE_CLASSES),
            "people": [kt[f"people_{c}"].sum() for c in EXPOSURE_CLASSES],
            **{p: [int(kt[f"{p}_{c}"].sum()) for c in EXPOSURE_CLASSES] for p in facility_types},
            "road_km": [kt[f"road_km_{c}"].sum() for c in EXPOSURE_CLASSES],
        }
    )
    high = fac[fac["hazard_class"] == "tinggi"]
    high_tab = pd.DataFrame(
        high[
            [
                "facility_id",
                "name",
                "type",
                "desa_name",
                "kecamatan_name",
                "hazard_index",
                "depth_m",
                "location_quality",
            ]
        ]
    ).reset_index(drop=True)
    n_unknown_site = int((~fac["site_known"]).sum())
    if n_unknown_site:
        notes.append(Note("note.flood_site_unknown", n=n_unknown_site))
    notes.append(Note("note.area_weighting"))
    return FloodExposure(
        desa=tab,
        kecamatan=kt,
        facilities=fac,
        high_hazard_facilities=high_tab,
        summary=summary,
        notes=tuple(notes),
    )


def _ratio(a: pd.Series, b: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (a / b.where(b > 0)).astype(float)


def _column_order(cols: Any, facility_types: Mapping[str, str]) -> list[str]:
    head = ["code", "name", "kecamatan_code", "population", "share_people_tinggi"]
    people = [f"people_{c}" for c in EXPOSURE_CLASSES]
    facs = [f"{p}_{c}" for p in facility_types for c in EXPOSURE_CLASSES]
    roads = [f"road_km_{c}" for c in EXPOSURE_CLASSES]
    return [c for c in head + people + facs + roads if c in cols]


def _clipped_km(lines: np.ndarray, polys: np.ndarray) -> np.ndarray:
    """Length (km) of ``lines`` inside each polygon of ``polys``."""
    out = np.zeros(len(polys))
    if len(lines) == 0 or len(polys) == 0:
        return out
    tree = shapely.STRtree(polys)
    li, pj = tree.query(lines, predicate="intersects")
    if len(li):
        lengths = shapely.length(shapely.intersection(lines[li], polys[pj]))
        out = np.bincount(pj, weights=lengths, minlength=len(polys)) / 1000.0
    return out


def _facility_classes(
    facilities: gpd.GeoDataFrame,
    d: gpd.GeoDataFrame,
    dgeom: np.ndarray,
    kecamatan: gpd.GeoDataFrame,
    crs: CRS,
    hazard: gpd.GeoDataFrame,
    pieces_cls: np.ndarray,
    share: np.ndarray,
    share_min: float,
) -> gpd.GeoDataFrame:
    fac = facilities.copy()
    pts = fac.geometry.to_crs(crs).to_numpy()
    has_pt = ~(shapely.is_missing(pts) | shapely.is_empty(pts))
    quality = (
        fac["location_quality"].astype(object).to_numpy()
        if "location_quality" in fac
        else np.full(len(fac), "source", dtype=object)
    )
    site_known = has_pt & (quality == "source")
    # desa of each point (first match), kecamatan of each point
    desa_ix = np.full(len(fac), -1)
    tree = shapely.STRtree(dgeom)
    pi, dj = tree.query(np.where(has_pt, pts, None), predicate="intersects")
    first = ~pd.Series(pi).duplicated().to_numpy()
    desa_ix[pi[first]] = dj[first]
    in_desa_known = (desa_ix >= 0) & np.isin(quality, ["source", "desa_centroid"]) & has_pt
    kec = kecamatan.to_crs(crs)
    kgeom = shapely.make_valid(kec.geometry.to_numpy())
    kec_ix = np.full(len(fac), -1)
    ki, kj = shapely.STRtree(kgeom).query(np.where(has_pt, pts, None), predicate="intersects")
    kfirst = ~pd.Series(ki).duplicated().to_numpy()
    kec_ix[ki[kfirst]] = kj[kfirst]

    # class at the point: the first class piece (tinggi first) that holds it
    pts_or_none = np.asarray(np.where(has_pt, pts, None), dtype=object)
    hit = shapely.intersects(pts_or_none[:, None], pieces_cls[None, :])  # (m, 4)
    classes = np.asarray(_PRIORITY, dtype=object)
    at_point = np.where(hit.any(axis=1), classes[np.argmax(hit, axis=1)], "none")
    cls = np.full(len(fac), "unknown", dtype=object)
    cls[site_known] = at_point[site_known]
    # desa centroid: the desa's class when one class covers (almost) all of it
    dc = has_pt & (quality == "desa_centroid") & (desa_ix >= 0)
    if dc.any():
        full = np.column_stack([share, 1.0 - share.sum(axis=1)])[desa_ix[dc]]
        labels = np.append(classes, "none")
        best = np.argmax(full, axis=1)
        cls[dc] = np.where(full[np.arange(len(best)), best] >= share_min, labels[best], "unknown")

    # index / depth of the hazard rows at the point (the highest)
    h = hazard.to_crs(crs)
    hi, hj = shapely.STRtree(shapely.make_valid(h.geometry.to_numpy())).query(
        np.where(site_known, pts, None), predicate="intersects"
    )
    idx = pd.DataFrame({"f": hi, "i": h["hazard_index"].to_numpy()[hj], "d": h["depth_m"].to_numpy()[hj]})
    agg = idx.groupby("f")[["i", "d"]].max()
    fac["hazard_class"] = cls
    fac["hazard_index"] = agg["i"].reindex(np.arange(len(fac))).to_numpy()
    fac["depth_m"] = agg["d"].reindex(np.arange(len(fac))).to_numpy()
    fac["site_known"] = site_known
    fac["location_quality"] = quality
    dcode, dname = d["code"].to_numpy(dtype=object), d["name"].to_numpy(dtype=object)
    kcode, kname = kec["code"].to_numpy(dtype=object), kec["name"].to_numpy(dtype=object)
    fac["desa_code"] = np.where(in_desa_known, dcode[np.maximum(desa_ix, 0)], None)
    fac["desa_name"] = np.where(in_desa_known, dname[np.maximum(desa_ix, 0)], None)
    desa_kec = d["kecamatan_code"].to_numpy(dtype=object)[np.maximum(desa_ix, 0)]
    kec_code = np.where(in_desa_known, desa_kec, np.where(kec_ix >= 0, kcode[np.maximum(kec_ix, 0)], None))
    fac["kecamatan_code"] = kec_code
    names = dict(zip(kcode, kname, strict=True))
    fac["kecamatan_name"] = pd.Series(kec_code).map(names).to_numpy(dtype=object)
    return fac


#: Columns :func:`add_flood_exposure` adds to a kecamatan (or desa) priority table
#: (names in the exposure tables; added with the prefix ``flood_``).
PRIORITY_EXPOSURE_COLUMNS: tuple[str, ...] = (
    "people_tinggi",
    "share_people_tinggi",
    "people_sedang",
    "puskesmas_tinggi",
    "pustu_tinggi",
    "hospital_tinggi",
    "road_km_tinggi",
    "road_km_sedang",
)


def add_flood_exposure(
    table: pd.DataFrame,
    exposure: FloodExposure,
    *,
    level: str = "kecamatan",
    on: str | None = None,
    columns: Sequence[str] = PRIORITY_EXPOSURE_COLUMNS,
    prefix: str = "flood_",
) -> pd.DataFrame:
    """A copy of a priority table with flood-exposure columns added.

    Parameters
    ----------
    table : DataFrame
        E.g. ``result.tables["priority_kecamatan"]`` (``level='kecamatan'``, joined on
        ``code``), a desa table (``level='desa'``, on ``code``) or
        ``result.tables["priority_facilities"]`` (``level='facility'``, on
        ``facility_id``). Not modified.
    exposure : FloodExposure
        From :func:`flood_exposure`.
    level : {'kecamatan', 'desa', 'facility'}, default ``'kecamatan'``
    on : str, optional
        The key column of ``table`` (default ``code``, or ``facility_id``).
    columns : sequence of str
        Exposure columns to add (kecamatan/desa; default
        :data:`PRIORITY_EXPOSURE_COLUMNS`). For facilities: ``hazard_class``,
        ``hazard_index``, ``depth_m``, ``site_known``.
    prefix : str, default ``'flood_'``
        Prepended to the added column names.

    Returns
    -------
    DataFrame
        ``table`` with the columns added (rows without a match get NaN / None).

    Raises
    ------
    InputValidationError
        Unknown ``level``, a missing key column, unknown ``columns``, or added names
        that already exist in ``table``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> utm = "EPSG:32748"
    >>> desa = gpd.GeoDataFrame({"code": ["D1", "D2"], "name": ["Ulu", "Ilir"],
    ...     "kecamatan_code": ["K1", "K1"], "population": [1000.0, 3000.0]}, crs=utm,
    ...     geometry=[shapely.box(400_000, 9_590_000, 402_000, 9_592_000),
    ...               shapely.box(402_000, 9_590_000, 404_000, 9_592_000)])
    >>> kecamatan = gpd.GeoDataFrame({"code": ["K1"], "name": ["Tengah"]}, crs=utm,
    ...     geometry=[shapely.box(400_000, 9_590_000, 404_000, 9_592_000)])
    >>> facilities = gpd.GeoDataFrame({"facility_id": ["P1", "H1"], "name": ["Puskesmas Ulu", "RSUD"],
    ...     "type": ["puskesmas", "rs"]}, crs=utm,
    ...     geometry=[shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)])
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm,
    ...     geometry=[shapely.LineString([(400_000, 9_591_000), (404_000, 9_591_000)])])
    >>> hazard = hazard_from_polygons(gpd.GeoDataFrame({"kelas": ["tinggi"]}, crs=utm,
    ...     geometry=[shapely.box(403_000, 9_590_000, 404_000, 9_592_000)]), class_col="kelas")
    >>> exposure = flood_exposure(desa, kecamatan, facilities, roads, hazard)
    >>> priority = pd.DataFrame({"code": ["K1"], "name": ["Tengah"], "score": [3.0]})
    >>> table = add_flood_exposure(priority, exposure)
    >>> table[["code", "score", "flood_people_tinggi", "flood_hospital_tinggi", "flood_road_km_tinggi"]]
      code  score  flood_people_tinggi  flood_hospital_tinggi  flood_road_km_tinggi
    0   K1    3.0               1500.0                      1                   1.0
    """
    require_frame(table, "table", geo=False)
    check_choice(level, ("kecamatan", "desa", "facility"), "level")
    if not isinstance(exposure, FloodExposure):
        raise InputValidationError(
            f"expected a FloodExposure (from flood_exposure()), got {type(exposure).__name__}",
            argument="exposure",
        )
    if level == "facility":
        src = pd.DataFrame(exposure.facilities.drop(columns=exposure.facilities.geometry.name))
        key_src = "facility_id"
        if columns is PRIORITY_EXPOSURE_COLUMNS:
            columns = ("hazard_class", "hazard_index", "depth_m", "site_known")
    else:
        src = exposure.kecamatan if level == "kecamatan" else exposure.desa
        key_src = "code"
    key = on or key_src
    require_columns(table, [key], "table")
    require_columns(src, list(columns), "columns")
    new = [f"{prefix}{c}" for c in columns]
    clash = [c for c in new if c in table.columns]
    if clash:
        raise InputValidationError(
            f"the table already has {clash}; pass another prefix= or drop them first", argument="table"
        )
    add = src.drop_duplicates(key_src).set_index(key_src)[list(columns)]
    add.columns = new
    out = table.copy()
    joined = add.reindex(out[key].to_numpy())
    for c in new:
        out[c] = joined[c].to_numpy()
    return out
