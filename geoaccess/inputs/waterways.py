"""Navigable waterways (rivers, canals, ferry routes) for boats: one line layer from any source.

:func:`read_waterways` turns a river layer into the lines
:func:`geoaccess.build_network` (``waterways=``) and :func:`geoaccess.run_access` take:

- an **OpenStreetMap file** (``.osm``, ``.osm.bz2``, ``.osm.xml``, read offline with osmnx):
  the ways tagged ``waterway=river`` or ``waterway=canal`` and the ``route=ferry`` routes
  (:data:`OSM_WATERWAY_TAGS`, the tags the issue names; ``tags=`` changes them);
- a **vector file** (GeoJSON, shapefile, GeoPackage), e.g. the RBI (Rupabumi Indonesia)
  layer ``SUNGAI`` of BIG;
- a **GeoDataFrame or GeoSeries** of lines.

Only lines are kept: water *areas* (``SUNGAI_AR``, ``DANAU_AR``, riverbank polygons) block
the off-road lattice through ``barriers=`` and carry no boat, so they are left out with a
:class:`~geoaccess.GeoAccessWarning`; points are left out too. Multi-part lines are split
into their parts. Online, osmnx reads the same tags for a place
(``ox.features_from_place(place, tags=OSM_WATERWAY_TAGS)``, see ``docs/user-guide.md``,
"Where to get the rivers of your kabupaten").
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..exceptions import CRSError, DataNotFoundError, EmptyInputError, GeoAccessWarning, InputValidationError

__all__ = ["OSM_WATERWAY_TAGS", "read_waterways"]

#: OpenStreetMap tags of the navigable waterways read from OSM files: rivers and canals
#: (``waterway=river|canal``; streams, drains and ditches carry no boat service) and ferry
#: routes (``route=ferry``), as issue 8 names them.
OSM_WATERWAY_TAGS: dict[str, list[str] | str] = {"waterway": ["river", "canal"], "route": "ferry"}

_OSM_SUFFIXES = (".osm", ".osm.bz2", ".osm.xml")


def read_waterways(source: Any, *, tags: Mapping[str, Any] | None = None) -> gpd.GeoDataFrame:
    """Waterway lines for boats, from an OSM file, a vector file or a GeoDataFrame.

    Parameters
    ----------
    source : path, GeoDataFrame or GeoSeries
        An OpenStreetMap XML file (``.osm``, ``.osm.bz2``, ``.osm.xml``), any vector file
        ``geopandas.read_file`` opens (e.g. RBI ``SUNGAI``), or lines with a CRS.
    tags : dict, optional
        OSM tags to read from an OSM file (osmnx ``tags=`` form); default
        :data:`OSM_WATERWAY_TAGS`.

    Returns
    -------
    GeoDataFrame
        A new frame, one LineString a row, in the source's CRS (EPSG:4326 for OSM files):
        ``waterway`` (the OSM value, ``"ferry"`` for ferry routes, ``None`` for other
        sources), ``name`` (when the source has one), ``speed_kph`` (the source's own
        column, else NaN: the boat speed of :func:`geoaccess.build_network` applies).

    Raises
    ------
    DataNotFoundError
        A path that does not exist.
    EmptyInputError
        No line left (an OSM file with no way tagged as in ``tags``).
    CRSError
        A frame without a CRS.
    InputValidationError
        Any other input type.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> two = [[(104.0, -3.0), (104.1, -3.0)], [(104.1, -3.0), (104.2, -3.1)]]
    >>> rivers = gpd.GeoDataFrame({"NAMOBJ": ["Sungai Musi"]}, crs="EPSG:4326",
    ...     geometry=[shapely.MultiLineString(two)])
    >>> read_waterways(rivers)[["name", "speed_kph"]].values.tolist()
    [['Sungai Musi', nan], ['Sungai Musi', nan]]
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            raise DataNotFoundError(f"read_waterways: no such file {str(path)!r}; check the path")
        if path.name.lower().endswith(_OSM_SUFFIXES):
            frame = _read_osm(path, dict(tags or OSM_WATERWAY_TAGS))
        else:
            frame = gpd.read_file(path)
    elif isinstance(source, gpd.GeoSeries):
        frame = gpd.GeoDataFrame(geometry=source)
    elif isinstance(source, gpd.GeoDataFrame):
        frame = source
    else:
        raise InputValidationError(
            "expected an OSM file, a vector file path, or a GeoDataFrame / GeoSeries of lines, got "
            f"{type(source).__name__}",
            argument="source",
        )
    if frame.crs is None:
        raise CRSError("it has no CRS; set one with .set_crs(...)", argument="source")
    return _lines(frame)


def _read_osm(path: Path, tags: dict[str, Any]) -> gpd.GeoDataFrame:
    import osmnx as ox

    try:
        feats = ox.features_from_xml(path, tags=tags)
    except Exception as exc:  # osmnx's "no matching features" (its error classes are private)
        if type(exc).__name__ != "InsufficientResponseError":
            raise
        raise EmptyInputError(
            f"{path.name} holds no feature tagged {tags} (no navigable river, canal or ferry route)",
            argument="source",
        ) from None
    out = gpd.GeoDataFrame(feats.reset_index(drop=True), geometry="geometry", crs=feats.crs)
    kind = pd.Series([None] * len(out), index=out.index, dtype="object")
    if "waterway" in out.columns:
        kind = out["waterway"].astype("object").where(out["waterway"].notna(), None)
    if "route" in out.columns:
        kind = kind.where(kind.notna(), out["route"].where(out["route"] == "ferry", None))
    out["waterway"] = kind
    return out


def _lines(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Lines only (multi-part lines split), with ``waterway``, ``name`` and ``speed_kph``."""
    geo = frame.geometry
    present = ~(geo.isna() | geo.is_empty).to_numpy()
    kinds = geo.geom_type.to_numpy()
    is_line = present & np.isin(kinds, ["LineString", "MultiLineString"])
    areas = present & np.isin(kinds, ["Polygon", "MultiPolygon"])
    if areas.any():
        warnings.warn(
            f"read_waterways: {int(areas.sum())} water area(s) (polygons) left out: they carry no boat; "
            "pass them as barriers= so the off-road grid cannot cross them",
            GeoAccessWarning,
            stacklevel=3,
        )
    if not is_line.any():
        raise EmptyInputError("it holds no line (river, canal or ferry route)", argument="source")
    kept = frame[is_line]
    name_col = next((c for c in ("name", "NAMOBJ", "NAMA", "nama") if c in kept.columns), None)
    n = len(kept)
    out = gpd.GeoDataFrame(
        {
            "waterway": kept["waterway"].to_numpy() if "waterway" in kept.columns else np.full(n, None),
            "name": kept[name_col].to_numpy() if name_col else np.full(n, None),
            "speed_kph": pd.to_numeric(kept["speed_kph"], errors="coerce").to_numpy(dtype=float)
            if "speed_kph" in kept.columns
            else np.full(n, np.nan),
        },
        geometry=kept.geometry.to_numpy(),
        crs=frame.crs,
    )
    return out.explode(index_parts=False).reset_index(drop=True)
