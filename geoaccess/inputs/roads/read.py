"""Read any road source into the standard road layer: :func:`read_roads` (GeoDataFrame,
GeoSeries, vector file, OpenStreetMap file or osmnx graph).
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import pandas as pd

from ..._utm import utm_crs
from ..._validate import check_choice
from ...engine import speeds
from ...exceptions import DataNotFoundError, GeoAccessWarning, InputValidationError
from .osm import graph_to_lines, read_osm_pbf, read_osm_xml
from .standardize import check_class_mapping, standardize_roads

logger = logging.getLogger(__name__)

_OSM_XML_SUFFIXES = (".osm", ".osm.bz2", ".osm.gz", ".osm.xml")
_OSM_PBF_SUFFIXES = (".osm.pbf", ".pbf")


# --------------------------------------------------------------------------------------
# read_roads
# --------------------------------------------------------------------------------------


def read_roads(
    source: Any,
    *,
    class_column: str | None = None,
    class_mapping: Mapping[str, str] | None = None,
    default_class: str | None = None,
    speed_column: str | None = "speed_kph",
    oneway_column: str | None = "oneway",
    layer: str | int | None = None,
) -> gpd.GeoDataFrame:
    """Read a road layer into the standard geoaccess road layer.

    Parameters
    ----------
    source : GeoDataFrame, GeoSeries, str, path or networkx.MultiDiGraph
        * a GeoDataFrame (or GeoSeries) of LineStrings/MultiLineStrings with a CRS;
        * a path to a vector file GDAL reads (GeoJSON, GeoPackage, shapefile, ...);
        * a path to an OpenStreetMap file: ``.osm``, ``.osm.bz2``, ``.osm.gz``,
          ``.osm.xml`` (read with osmnx) or ``.osm.pbf`` (read with pyosmium). Only ways
          with a ``highway`` tag are read, minus non-roads (:data:`OSM_EXCLUDED_HIGHWAY`,
          ``area=yes``); lines run between junctions (ways sharing a node) and, for
          ``.osm`` files, through nodes where neither ``highway`` nor ``maxspeed`` changes;
        * an osmnx graph (``MultiDiGraph`` with a ``crs`` graph attribute); each two-way
          street, stored by osmnx as two opposite edges, becomes one line.
    class_column : str, optional
        Column holding the road class. Default: the first of
        :data:`CLASS_COLUMN_CANDIDATES` present (matched case-insensitively).
    class_mapping : dict, optional
        Extra ``label -> class`` entries, taking precedence over the built-in labels of
        :func:`geoaccess.engine.speeds.normalize_road_class` (e.g. ``{"Jalan Tanah": "setapak"}``).
    default_class : str, optional
        Class given to features whose label matches nothing (a warning lists them) or to
        every feature when the layer has no class column (e.g. ``"arteri"`` for the South
        Sumatra national-roads layer, where every section is a national road).
    speed_column : str or None, default "speed_kph"
        Column with speeds in km/h (numbers or OSM ``maxspeed`` strings such as
        ``"50"`` or ``"30 mph"``). If the default column is absent, ``maxspeed`` is used
        when present. Values <= 0 or unparseable become NaN. ``None``: no speeds. OSM
        sources always use ``maxspeed``.
    oneway_column : str or None, default "oneway"
        Column with one-way flags: ``True``/``"yes"``/``"true"``/``"1"``/``"y"`` (one way
        along the line), ``"-1"``/``"reverse"`` (one way against it: the line is reversed and
        then one way), ``False``/``"no"``/``"false"``/``"0"``/``"n"``/``""``/
        ``"reversible"``/``"alternating"`` and missing values (two-way), Geofabrik
        ``"F"``/``"T"``/``"B"``. Any other value is an error naming the values and rows.
        ``None``: all two-way. OSM sources use the osmnx reading of ``oneway`` and
        ``junction=roundabout`` (the same values; unknown OSM tag values are two-way, as in
        osmnx). The same reading applies to a layer that is already standard.
    layer : str or int, optional
        Layer of a multi-layer vector file (GeoPackage). Required when there are several.

    Returns
    -------
    GeoDataFrame
        Columns ``road_class``, ``class_source``, ``speed_kph``, ``oneway``,
        ``access_controlled``, ``toll``, ``geometry`` (LineString; MultiLineStrings split
        into parts), in the source CRS, with a new RangeIndex. The input is not modified.

    Notes
    -----
    Access control. A line is a toll road (``toll=True``) when its class label is
    ``"Jalan Tol"`` (RBI), a ``toll``/``tol`` column says yes (OSM ``toll=yes``), or a
    name column (:data:`NAME_COLUMN_CANDIDATES`) starts with "Jalan Tol", "Jl. Tol" or
    "Tol ". It is access-controlled (``access_controlled=True``) when it is a toll road
    (PP 15/2005 *tentang Jalan Tol*, syarat teknis: no at-grade crossings, every entry and
    exit fully controlled), its label is ``motorway``/``motorway_link``/"Jalan Bebas
    Hambatan", OSM ``motorroad=yes`` or ``access=no``, or an ``access_controlled`` column
    says yes. :func:`geoaccess.build_network` enters and leaves such roads only at
    junctions with ordinary roads, and closes toll roads to walking (and by default to
    motorbikes). OSM readers keep the tags :data:`OSM_ACCESS_TAGS`; an osmnx graph you
    build yourself carries them only if ``ox.settings.useful_tags_way`` listed them.

    Raises
    ------
    InputValidationError
        Labels that match no class and no ``default_class`` (the message lists them with
        counts), no class column and no ``default_class``, non-line geometries (points,
        polygons), unknown one-way or toll values (the message lists values and rows), bad
        arguments.
    MissingColumnError
        An explicitly named column is absent.
    CRSError
        The source has no CRS.
    EmptyInputError
        No usable line is left.
    DataNotFoundError
        The file does not exist.

    Warns
    -----
    GeoAccessWarning
        Features with empty or missing geometry and zero-length lines dropped (with the
        counts); labels given ``default_class``; OSM ways with missing nodes.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> gdf = gpd.GeoDataFrame({"REMARK": ["Jalan Lokal"], "oneway": ["-1"]},
    ...                        geometry=[LineString([(0, 0), (100, 0)])], crs="EPSG:32748")
    >>> out = read_roads(gdf)
    >>> out.loc[0, "road_class"], out.loc[0, "class_source"], bool(out.loc[0, "oneway"])
    ('lokal', 'Jalan Lokal', True)
    >>> out.geometry.iloc[0].coords[0]
    (100.0, 0.0)
    """
    if default_class is not None:
        check_choice(default_class, speeds.ROAD_CLASSES, "default_class")
    if class_mapping is not None:
        check_class_mapping(class_mapping)
    for arg, val in (
        ("class_column", class_column),
        ("speed_column", speed_column),
        ("oneway_column", oneway_column),
    ):
        if val is not None and not isinstance(val, str):
            raise InputValidationError(f"must be a column name (str) or None, got {val!r}", argument=arg)
    notes: list[str] = []
    t0 = time.perf_counter()

    if isinstance(source, str | os.PathLike):
        path = Path(source).expanduser()
        if not path.exists():
            raise DataNotFoundError(
                f"road file {str(path)!r} does not exist. Check the path; shared data live "
                "under geoaccess.settings.resolve_data_dir()."
            )
        kind = _osm_kind(path)
        if kind is not None:
            _check_osm_arguments(layer, speed_column, oneway_column)
            frame = read_osm_xml(path, notes) if kind == "xml" else read_osm_pbf(path, notes)
            what = f"OSM file {path.name}"
            osm = True
        else:
            frame = _read_vector(path, layer)
            what = f"file {path.name}"
            osm = False
    elif isinstance(source, nx.MultiDiGraph | nx.MultiGraph):
        _check_osm_arguments(layer, speed_column, oneway_column)
        frame = graph_to_lines(source, notes)
        what = "osmnx graph"
        osm = True
    elif isinstance(source, gpd.GeoSeries):
        frame = gpd.GeoDataFrame(geometry=source.reset_index(drop=True), crs=source.crs)
        what, osm = "GeoSeries", False
    elif isinstance(source, gpd.GeoDataFrame):
        what, osm = "GeoDataFrame", False
        frame = source
    else:
        hint = (
            " It is a plain DataFrame: build a GeoDataFrame with geometry and a CRS first."
            if isinstance(source, pd.DataFrame)
            else ""
        )
        raise InputValidationError(
            f"expected a GeoDataFrame, a path to a road file (.geojson/.gpkg/.shp/.osm/"
            f".osm.bz2/.osm.pbf) or an osmnx MultiDiGraph, got {type(source).__name__}.{hint}",
            argument="source",
        )
    if layer is not None and not (isinstance(source, str | os.PathLike) and not osm):
        raise InputValidationError("layer= applies only to multi-layer vector files (GPKG)", argument="layer")

    out = standardize_roads(
        frame,
        class_column=class_column,
        class_mapping=class_mapping,
        default_class=default_class,
        speed_column="maxspeed" if osm else speed_column,
        oneway_column="oneway" if osm else oneway_column,
        osm=osm,
        notes=notes,
    )
    osm_frame = isinstance(source, pd.DataFrame) and bool({"osmid", "highway"} & set(source.columns))
    if osm or osm_frame or getattr(source, "attrs", {}).get("geoaccess_source") == "osm":
        # build_network then leaves crossings without a shared node alone (bridges)
        out.attrs["geoaccess_source"] = "osm"
    for msg in notes:
        warnings.warn(msg, GeoAccessWarning, stacklevel=2)
    logger.info(
        "read_roads: %s -> %d lines, %.1f km (%s), %.2f s",
        what,
        len(out),
        _length_km(out),
        out["road_class"].value_counts().to_dict(),
        time.perf_counter() - t0,
    )
    return out


def _check_osm_arguments(layer: Any, speed_column: str | None, oneway_column: str | None) -> None:
    problems = []
    if layer is not None:
        problems.append("layer= does not apply to OSM sources")
    if speed_column not in ("speed_kph", None):
        problems.append("speed_column= does not apply to OSM sources (speeds come from maxspeed)")
    if oneway_column not in ("oneway", None):
        problems.append("oneway_column= does not apply to OSM sources (osmnx reads oneway tags)")
    if problems:
        raise InputValidationError(problems, argument="source")


def _osm_kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(_OSM_PBF_SUFFIXES):
        return "pbf"
    if name.endswith(_OSM_XML_SUFFIXES):
        return "xml"
    return None


def _read_vector(path: Path, layer: str | int | None) -> gpd.GeoDataFrame:
    import pyogrio

    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise InputValidationError(
            f"could not open {str(path)!r} as a vector file ({exc}). Pass a GeoJSON, "
            "GeoPackage or shapefile, an OSM file (.osm, .osm.bz2, .osm.pbf) or a GeoDataFrame.",
            argument="source",
        ) from exc
    if layer is None and len(layers) > 1:
        names = [str(n) for n in layers[:, 0]]
        raise InputValidationError(
            f"{path.name} holds {len(names)} layers {names}; pass layer=<name> to choose one",
            argument="layer",
        )
    try:
        return pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise InputValidationError(
            f"could not read {str(path)!r} (layer={layer!r}): {exc}", argument="source"
        ) from exc


def _length_km(gdf: gpd.GeoDataFrame) -> float:
    if gdf.crs is not None and gdf.crs.is_geographic:
        return float(gdf.geometry.to_crs(utm_crs(gdf.geometry)).length.sum() / 1000)
    return float(gdf.geometry.length.sum() / 1000)
