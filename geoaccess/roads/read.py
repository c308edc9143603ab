"""Road layers: read any road source into the standard line layer, download OSM, repair topology.

Three public functions:

* :func:`read_roads` turns a GeoDataFrame, a vector file (GeoJSON, GeoPackage,
  shapefile), an OpenStreetMap file (``.osm``, ``.osm.bz2``, ``.osm.xml``,
  ``.osm.pbf``) or an osmnx graph into the *standard road layer* (see below);
* :func:`roads_from_osm` downloads the roads inside a polygon from OpenStreetMap
  (online, through osmnx) and returns the same standard layer;
* :func:`repair_roads` nodes lines at crossings and snaps near-miss line ends, so a
  layer digitised without topology (like BIG RBI 1:50,000 roads) becomes routable,
  and returns a :class:`RoadRepair` report next to the repaired lines.

Standard road layer
-------------------
================  =======================================================================
column            meaning
================  =======================================================================
``road_class``    one of :data:`geoaccess.speeds.ROAD_CLASSES`
``class_source``  the raw label the class was derived from, as ``str`` (``""`` if none)
``speed_kph``     float; the speed given by the source (``maxspeed`` for OSM), ``NaN``
                  where the source gives none (the network then uses the class speed)
``oneway``        bool; ``True`` when motor traffic may only use the line in the
                  direction of its coordinates (``oneway=-1`` lines are reversed)
``access_controlled``  bool; ``True`` for roads entered and left only at junctions with
                  other roads (jalan tol, OSM ``motorway``/``motorway_link``,
                  ``motorroad=yes``, ``access=no``); see :func:`read_roads`
``toll``          bool; ``True`` for toll roads (jalan tol); always access-controlled
geometry          LineString, in the CRS of the source (OSM sources: EPSG:4326)
================  =======================================================================

Examples
--------
The South Sumatra national road layer of the shared data (no class column: every
section is a national road):

>>> import geoaccess.roads as roads
>>> from geoaccess.settings import resolve_data_dir
>>> shp = resolve_data_dir() / "roads" / "sumsel_national" / "jalanSumsel.shp"
>>> national = roads.read_roads(shp, default_class="arteri")
>>> fixed, report = roads.repair_roads(national)
>>> report.n_components_before, report.n_components_after
(11, 1)
"""

from __future__ import annotations

import logging
import os
import re
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .. import speeds
from .._validate import (
    check_choice,
    check_positive,
    require_columns,
    require_crs,
    require_frame,
    require_geom_types,
)
from ..exceptions import (
    CRSError,
    DataNotFoundError,
    EmptyInputError,
    GeoAccessWarning,
    InputValidationError,
    OfflineError,
)
from ..settings import options

__all__ = [
    "CLASS_COLUMN_CANDIDATES",
    "OSM_EXCLUDED_HIGHWAY",
    "RoadRepair",
    "read_roads",
    "repair_roads",
    "roads_from_osm",
]

logger = logging.getLogger(__name__)

#: Columns searched, in this order, for the road class when ``class_column`` is not given
#: (geoaccess standard, OpenStreetMap, BIG RBI 1:50,000, Geofabrik shapefiles, generic).
CLASS_COLUMN_CANDIDATES: tuple[str, ...] = ("road_class", "highway", "REMARK", "fclass", "class")

#: OSM ``highway=*`` values that are not usable roads; OSM readers leave them out. The first
#: eight are the ones osmnx's ``network_type="all"`` query excludes (osmnx ``_overpass.py``),
#: the rest are stops, service areas and disused or guided-bus ways.
OSM_EXCLUDED_HIGHWAY: frozenset[str] = frozenset(
    {
        "abandoned",
        "construction",
        "no",
        "planned",
        "platform",
        "proposed",
        "raceway",
        "razed",
        "bus_guideway",
        "bus_stop",
        "dismantled",
        "disused",
        "elevator",
        "emergency_bay",
        "rest_area",
        "services",
    }
)

#: Extra OSM ``highway`` labels (not in :mod:`geoaccess.speeds`) used by the OSM readers;
#: ``class_mapping=`` entries take precedence.
_OSM_EXTRA_CLASSES: dict[str, str] = {
    "corridor": "setapak",
    "ladder": "setapak",
    "via_ferrata": "setapak",
    "escape": "lingkungan",
}

_OSM_XML_SUFFIXES = (".osm", ".osm.bz2", ".osm.gz", ".osm.xml")
_OSM_PBF_SUFFIXES = (".osm.pbf", ".pbf")
_NETWORK_TYPES = ("all", "all_public", "bike", "drive", "drive_service", "walk")

# oneway codes: 1 = one way along the coordinates, -1 = one way against them, 0 = two-way.
# OSM ``reversible``/``alternating`` ways change direction during the day: two-way, as osmnx.
_ONEWAY_FORWARD = {"yes", "true", "1", "y"}
_ONEWAY_REVERSE = {"-1", "reverse"}
_ONEWAY_TWO_WAY = {"no", "false", "0", "n", "", "alternating", "reversible"}
# Geofabrik shapefile codes (upper case only): F = forward, T = backward, B = both
_ONEWAY_GEOFABRIK = {"F": 1, "T": -1, "B": 0}
_ONEWAY_KNOWN = (
    "yes/true/1/y/True (one way along the line), -1/reverse (one way against it: the line "
    "is reversed), no/false/0/n/reversible/alternating/''/False (two-way), Geofabrik F/T/B; "
    "missing values are two-way"
)

# yes/no flags (``toll``, ``access_controlled``); missing values are False
_FLAG_TRUE = {"yes", "true", "1", "y", "ya"}
_FLAG_FALSE = {"no", "false", "0", "n", "tidak", ""}

#: Road labels (OSM ``highway``, RBI ``REMARK``, Geofabrik ``fclass``; case-insensitive) of
#: access-controlled roads: entered and left only at junctions with other roads.
ACCESS_CONTROLLED_LABELS: frozenset[str] = frozenset(
    {"motorway", "motorway_link", "jalan tol", "jalan bebas hambatan"}
)
#: Road labels that mean a toll road (jalan tol).
TOLL_LABELS: frozenset[str] = frozenset({"jalan tol"})
#: Columns read as a yes/no toll flag (matched case-insensitively; OSM ``toll=*``).
TOLL_COLUMN_CANDIDATES: tuple[str, ...] = ("toll", "tol")
#: Columns whose names mark toll roads ("Jalan Tol ...", "Tol ..."): OSM/generic, the
#: South Sumatra national layer (``nama_ruas``), BIG RBI (``NAMRJL``).
NAME_COLUMN_CANDIDATES: tuple[str, ...] = ("name", "nama", "nama_ruas", "nama_jalan", "NAMRJL")
_TOLL_NAME_RE = re.compile(r"^\s*(?:(?:jalan|jln|jl)\.?\s*)?toll?(?:[\s.\-]|$)", re.IGNORECASE)
#: OSM way tags kept by the OSM readers besides osmnx's defaults (access control).
OSM_ACCESS_TAGS: tuple[str, ...] = ("access", "motorroad", "toll", "name")

_SPEED_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(km/h|kmh|kph|mph|knots|kn)?\s*$", re.IGNORECASE)
_SPEED_FACTOR = {None: 1.0, "km/h": 1.0, "kmh": 1.0, "kph": 1.0, "mph": 1.609344, "knots": 1.852, "kn": 1.852}

#: Geometric tolerance (m) for "this point lies on that line / is that vertex" in repair.
_EPS_M = 1e-4  # 0.1 mm: far above floating error, far below any mapping accuracy
#: Endpoint matching grid (m) for counting nodes and components.
_KEY_M = 1e-6
#: A snapped end goes to the target line's end node instead of a new split point when the
#: nearest point on the line lies within this fraction of ``snap_tolerance_m`` of that node.
_NODE_PREFERENCE = 0.2


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
        :func:`geoaccess.speeds.normalize_road_class` (e.g. ``{"Jalan Tanah": "setapak"}``).
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
        _check_mapping(class_mapping)
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
            frame = _read_osm_xml(path, notes) if kind == "xml" else _read_osm_pbf(path, notes)
            what = f"OSM file {path.name}"
            osm = True
        else:
            frame = _read_vector(path, layer)
            what = f"file {path.name}"
            osm = False
    elif isinstance(source, nx.MultiDiGraph | nx.MultiGraph):
        _check_osm_arguments(layer, speed_column, oneway_column)
        frame = _graph_to_lines(source, notes)
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

    out = _standardize(
        frame,
        class_column=class_column,
        class_mapping=class_mapping,
        default_class=default_class,
        speed_column="maxspeed" if osm else speed_column,
        oneway_column="oneway" if osm else oneway_column,
        osm=osm,
        notes=notes,
    )
    if osm or getattr(source, "attrs", {}).get("geoaccess_source") == "osm":
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


def _check_mapping(mapping: Mapping[str, str]) -> None:
    if not isinstance(mapping, Mapping):
        raise InputValidationError(
            f"must be a dict of label -> class, got {type(mapping).__name__}",
            argument="class_mapping",
        )
    bad = {k: v for k, v in mapping.items() if v not in speeds.ROAD_CLASSES}
    if bad:
        raise InputValidationError(
            f"classes must be one of {list(speeds.ROAD_CLASSES)}, got {bad}",
            argument="class_mapping",
        )


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


# ---- OSM readers ---------------------------------------------------------------------


def _read_osm_xml(path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """OSM XML (optionally bz2/gz) -> lines, through osmnx."""
    import osmnx as ox

    saved = ox.settings.useful_tags_way
    try:
        ox.settings.useful_tags_way = _useful_tags_way(saved)
        graph = ox.graph_from_xml(path, simplify=False, retain_all=True)
    except Exception as exc:
        raise InputValidationError(
            f"osmnx could not read {str(path)!r} as OSM XML: {exc}", argument="source"
        ) from exc
    finally:
        ox.settings.useful_tags_way = saved
    # nodes referenced by ways but absent from the file (a clipped extract) have no x/y
    missing = [n for n, d in graph.nodes(data=True) if "x" not in d]
    if missing:
        graph.remove_nodes_from(missing)
        notes.append(
            f"{len(missing)} node(s) referenced by ways are missing from {path.name}; the "
            "ways were cut there. Extract with complete ways (osmium extract "
            "--strategy complete_ways) to avoid this."
        )
    graph = _road_graph(graph, f"{path.name} holds no ways tagged highway=* (roads)")
    return _graph_to_lines(graph, notes)


def _useful_tags_way(tags: Any) -> list[str]:
    """osmnx's way tags plus the access-control tags geoaccess reads."""
    return list(dict.fromkeys([*tags, *OSM_ACCESS_TAGS]))


def _road_graph(graph: nx.MultiDiGraph, empty_message: str, argument: str = "source") -> nx.MultiDiGraph:
    """Drop non-road edges, then simplify (in place on a graph geoaccess created).

    Non-highway ways (buildings, landuse, ...) are dropped BEFORE simplifying so they are
    never merged into road edges; simplification keeps a node wherever ``highway``,
    ``maxspeed`` or an access-control tag (``toll``, ``motorroad``, ``access``) changes, so
    no edge mixes two classes, speeds or access rules, and keeps isolated rings.
    """
    import osmnx as ox

    drop = [
        (u, v, k)
        for u, v, k, d in graph.edges(keys=True, data=True)
        if not _is_osm_road(d.get("highway"), d.get("area"))
    ]
    graph.remove_edges_from(drop)
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    if graph.number_of_edges() == 0:
        raise EmptyInputError(empty_message, argument=argument)
    if not graph.graph.get("simplified", False):
        graph = ox.simplify_graph(
            graph,
            edge_attrs_differ=["highway", "maxspeed", "toll", "motorroad", "access"],
            remove_rings=False,
        )
    return graph


def _is_osm_road(highway: Any, area: Any = None) -> bool:
    if isinstance(highway, list | tuple):
        highway = highway[0] if highway else None
    if highway is None or (isinstance(highway, float) and highway != highway):
        return False
    if isinstance(area, list | tuple):
        area = area[0] if area else None
    return str(highway).strip().lower() not in OSM_EXCLUDED_HIGHWAY and area != "yes"


def _graph_to_lines(graph: nx.MultiDiGraph, notes: list[str]) -> gpd.GeoDataFrame:
    """osmnx graph -> one line per street segment (two opposite edges -> one two-way line)."""
    import osmnx as ox

    if "crs" not in graph.graph:
        raise CRSError(
            "the graph has no 'crs' graph attribute; build it with osmnx "
            "(graph_from_xml, graph_from_polygon, ...)",
            argument="source",
        )
    if graph.number_of_edges() == 0:
        raise EmptyInputError("the graph has no edges", argument="source")
    edges = ox.graph_to_gdfs(graph, nodes=False, fill_edge_geometry=True)
    if "highway" in edges.columns:
        area = edges["area"] if "area" in edges.columns else pd.Series(None, index=edges.index)
        road = np.array([_is_osm_road(h, a) for h, a in zip(edges["highway"], area, strict=True)])
        if not road.all():
            logger.info(
                "read_roads: left out %d graph edge(s) that are not roads (no highway tag, %s or area=yes)",
                int((~road).sum()),
                "/".join(sorted(OSM_EXCLUDED_HIGHWAY)),
            )
            edges = edges[road]
        if len(edges) == 0:
            raise EmptyInputError("the graph has no road edges", argument="source")

    geoms = edges.geometry.values
    u = edges.index.get_level_values(0).to_numpy()
    v = edges.index.get_level_values(1).to_numpy()
    codes, _ = pd.factorize(np.concatenate([u, v]))
    cu, cv = codes[: len(u)], codes[len(u) :]
    lo, hi = np.minimum(cu, cv), np.maximum(cu, cv)
    shape_key = shapely.to_wkb(shapely.normalize(geoms))
    # orientation of each edge relative to its canonical shape
    first_pt, last_pt = shapely.get_point(geoms, 0), shapely.get_point(geoms, -1)
    x0, y0 = shapely.get_x(first_pt), shapely.get_y(first_pt)
    x1, y1 = shapely.get_x(last_pt), shapely.get_y(last_pt)
    closed = shapely.is_closed(geoms)
    forward = np.where(closed, shapely.is_ccw(geoms), (x0 < x1) | ((x0 == x1) & (y0 < y1)))
    key = pd.DataFrame({"lo": lo, "hi": hi, "shape": shape_key, "fwd": forward})
    n_dirs = key.groupby(["lo", "hi", "shape"], sort=False)["fwd"].transform("nunique")
    both = n_dirs.to_numpy() == 2
    # keep one edge per (shape, direction); of a two-way pair keep the edge in the direction
    # of the OSM way (osmnx reversed=False), else the canonical one
    if "reversed" in edges.columns:
        key["pref"] = [not (r is True or (isinstance(r, list) and r and all(r))) for r in edges["reversed"]]
    else:
        key["pref"] = False
    n_pref = key.groupby(["lo", "hi", "shape"], sort=False)["pref"].transform("sum").to_numpy()
    chosen = np.where(n_pref == 1, key["pref"].to_numpy(), forward)
    first = ~key.duplicated(["lo", "hi", "shape", "fwd"]).to_numpy()
    keep = first & (~both | chosen)
    keep_cols = [
        c for c in edges.columns if c in CLASS_COLUMN_CANDIDATES or c in ("maxspeed", *OSM_ACCESS_TAGS)
    ]
    out = edges.loc[keep, keep_cols].copy()
    out["oneway"] = ~both[keep]
    out = gpd.GeoDataFrame(out.reset_index(drop=True), geometry=geoms[keep], crs=graph.graph["crs"])
    logger.debug("graph -> %d lines from %d edges", len(out), len(edges))
    return out


def _read_osm_pbf(path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """OSM PBF -> lines with pyosmium; ways split where they share nodes (like osmnx)."""
    import osmium

    way_refs: list[np.ndarray] = []
    way_xy: list[np.ndarray] = []
    rows: list[tuple[str, str | None, int, tuple[str | None, ...]]] = []
    n_excluded = n_cut = 0
    processor = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.KeyFilter("highway"))
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
    )
    try:
        for way in processor:
            if not isinstance(way, osmium.osm.Way):  # the EntityFilter lets only ways through
                continue
            tags = way.tags
            highway = tags.get("highway")
            if highway is None or not _is_osm_road(highway, tags.get("area")):
                n_excluded += 1
                continue
            refs: list[int] = []
            xs: list[float] = []
            ys: list[float] = []
            gaps: list[int] = []
            for nd in way.nodes:
                loc = nd.location
                if not loc.valid():
                    gaps.append(len(refs))
                    continue
                if refs and refs[-1] == nd.ref:  # consecutive duplicates, as osmnx
                    continue
                refs.append(nd.ref)
                xs.append(loc.lon)
                ys.append(loc.lat)
            if gaps:
                n_cut += 1
            code = _osm_oneway_code(tags.get("oneway"), tags.get("junction"))
            # cut the way where nodes are missing (never bridge a gap with a straight line)
            bounds = [0, *sorted(set(gaps)), len(refs)]
            for a, b in pairwise(bounds):
                if b - a < 2:
                    continue
                way_refs.append(np.asarray(refs[a:b], dtype=np.int64))
                way_xy.append(np.column_stack([xs[a:b], ys[a:b]]))
                rows.append(
                    (highway, tags.get("maxspeed"), code, tuple(tags.get(t) for t in OSM_ACCESS_TAGS))
                )
    except RuntimeError as exc:
        raise InputValidationError(
            f"pyosmium could not read {str(path)!r}: {exc}", argument="source"
        ) from exc
    if n_excluded:
        logger.info("read_roads: left out %d way(s) tagged highway=* that are not roads", n_excluded)
    if n_cut:
        notes.append(
            f"{n_cut} way(s) in {path.name} reference nodes missing from the file; they were "
            "cut there. Extract with complete ways (osmium extract --strategy complete_ways)."
        )
    if not rows:
        raise EmptyInputError(f"{path.name} holds no ways tagged highway=* (roads)", argument="source")

    # split ways at nodes used more than once (junctions), like an unsimplified osmnx graph
    all_refs = np.concatenate(way_refs)
    uniq, counts = np.unique(all_refs, return_counts=True)
    piece_highway: list[str] = []
    piece_maxspeed: list[str | None] = []
    piece_oneway: list[bool] = []
    piece_tags: list[tuple[str | None, ...]] = []
    geoms: list[np.ndarray] = []
    for node_refs, xy, (hw, ms, code, acc) in zip(way_refs, way_xy, rows, strict=True):
        shared = counts[np.searchsorted(uniq, node_refs[1:-1])] > 1
        cuts = [0, *(np.nonzero(shared)[0] + 1).tolist(), len(node_refs) - 1]
        for a, b in pairwise(cuts):
            piece = xy[a : b + 1]
            if code == -1:
                piece = piece[::-1]
            geoms.append(piece)
            piece_highway.append(hw)
            piece_maxspeed.append(ms)
            piece_oneway.append(code != 0)
            piece_tags.append(acc)
    lines = shapely.linestrings(
        np.concatenate(geoms), indices=np.repeat(np.arange(len(geoms)), [len(g) for g in geoms])
    )
    tag_cols = {t: [acc[i] for acc in piece_tags] for i, t in enumerate(OSM_ACCESS_TAGS)}
    return gpd.GeoDataFrame(
        {"highway": piece_highway, "maxspeed": piece_maxspeed, "oneway": piece_oneway, **tag_cols},
        geometry=lines,
        crs="EPSG:4326",
    )


def _osm_oneway_code(oneway: Any, junction: Any = None) -> int:
    """osmnx's reading of OSM tags: 1 one way, -1 one way reversed, 0 two-way.

    Uses :func:`_oneway_code`, the reading of every other source; OSM tag values it does
    not know (``oneway=recommended``, typos) are two-way, as osmnx reads them.
    """
    code = _oneway_code(oneway)
    if code:
        return code
    if junction == "roundabout":
        return 1
    return 0


# ---- standardisation -----------------------------------------------------------------


def _find_column(df: pd.DataFrame, name: str) -> str | None:
    if name in df.columns:
        return name
    lowered = {str(c).lower(): c for c in df.columns}
    return lowered.get(name.lower())


def _first(value: Any) -> Any:
    if isinstance(value, list | tuple | np.ndarray):
        return value[0] if len(value) else None
    return value


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and value != value


def _standardize(
    frame: gpd.GeoDataFrame,
    *,
    class_column: str | None,
    class_mapping: Mapping[str, str] | None,
    default_class: str | None,
    speed_column: str | None,
    oneway_column: str | None,
    osm: bool,
    notes: list[str],
) -> gpd.GeoDataFrame:
    require_crs(frame, "source")
    if len(frame) == 0:
        raise EmptyInputError("it has no features", argument="source")
    geom = frame.geometry
    null = (geom.isna() | geom.is_empty).to_numpy()
    types = geom.geom_type.to_numpy()
    bad = ~null & ~np.isin(types, ["LineString", "MultiLineString"])
    if bad.any():
        counts = pd.Series(types[bad]).value_counts().to_dict()
        raise InputValidationError(
            f"{int(bad.sum())} feature(s) are not lines ({counts}). read_roads reads line "
            "layers: drop the other features or convert them (e.g. polygon.boundary) first",
            argument="source",
        )

    # --- road class --------------------------------------------------------------------
    if class_column is not None:
        require_columns(frame, [class_column], "source")
        col: str | None = class_column
    else:
        col = next((c for c in (_find_column(frame, n) for n in CLASS_COLUMN_CANDIDATES) if c), None)
    if col is None:
        if default_class is None:
            raise InputValidationError(
                f"no road-class column found (looked for {list(CLASS_COLUMN_CANDIDATES)}; "
                f"columns are {[str(c) for c in frame.columns][:20]}). Pass class_column="
                "'<column>' if the classes are in another column, or default_class='<class>' "
                f"(one of {list(speeds.ROAD_CLASSES)}) if every feature has the same class, e.g. "
                "default_class='arteri' for a national-roads layer",
                argument="source",
            )
        road_class = pd.Series(default_class, index=frame.index, dtype=object)
        class_source = pd.Series("", index=frame.index, dtype=object)
        logger.info("read_roads: no class column; every feature is %r", default_class)
    else:
        raw = frame[col]
        mapping = dict(_OSM_EXTRA_CLASSES) if osm else {}
        mapping.update(class_mapping or {})
        road_class = speeds.normalize_road_class(raw, mapping=mapping or None)
        road_class.index = frame.index
        class_source = pd.Series(
            ["" if _is_missing(v) else str(v) for v in raw.map(_first)],
            index=frame.index,
            dtype=object,
        )
        if col == "road_class" and "class_source" in frame.columns:  # already standard
            class_source = pd.Series(
                ["" if _is_missing(v) else str(v) for v in frame["class_source"]],
                index=frame.index,
                dtype=object,
            )
        unknown = road_class.isna().to_numpy() & ~null
        if unknown.any():
            counts = (
                class_source[unknown].replace("", "<missing>").value_counts().sort_values(ascending=False)
            )
            listed = ", ".join(f"{lab!r} ({n})" for lab, n in counts.head(20).items())
            more = f" and {len(counts) - 20} more" if len(counts) > 20 else ""
            if default_class is None:
                example = next((lab for lab in counts.index if lab != "<missing>"), "label")
                raise InputValidationError(
                    f"{len(counts)} label(s) in column {col!r} match no geoaccess road class "
                    f"(features per label): {listed}{more}. Classes are "
                    f"{list(speeds.ROAD_CLASSES)}. Pass class_mapping={{{example!r}: "
                    "'lingkungan'}} to map labels, or default_class='<class>' to give every "
                    "unmatched feature one class",
                    argument="source",
                )
            notes.append(
                f"{int(unknown.sum())} feature(s) with labels in {col!r} that match no road "
                f"class were given default_class={default_class!r}: {listed}{more}"
            )
            road_class = road_class.where(~unknown, default_class)

    # --- speed ---------------------------------------------------------------------------
    scol = None
    if speed_column is not None:
        scol = _find_column(frame, speed_column)
        if scol is None and not osm and speed_column != "speed_kph":
            require_columns(frame, [speed_column], "source")
        if scol is None and speed_column == "speed_kph":
            scol = _find_column(frame, "maxspeed")
    speed = _parse_speeds(frame[scol]) if scol else np.full(len(frame), np.nan)

    # --- oneway --------------------------------------------------------------------------
    ocol = None
    if oneway_column is not None:
        ocol = _find_column(frame, oneway_column)
        if ocol is None and oneway_column != "oneway":
            require_columns(frame, [oneway_column], "source")
    if ocol is not None:
        code = _parse_oneway(frame[ocol], str(ocol))
    else:
        code = np.zeros(len(frame), dtype=np.int8)

    # --- access control ------------------------------------------------------------------
    access_controlled, toll = _access_flags(frame, class_source, osm=osm)

    # --- geometry ------------------------------------------------------------------------
    table = pd.DataFrame(
        {
            "road_class": road_class.to_numpy(dtype=object),
            "class_source": class_source.to_numpy(dtype=object),
            "speed_kph": speed,
            "oneway": code != 0,
            "access_controlled": access_controlled,
            "toll": toll,
            "_reverse": code == -1,
        }
    )
    table = table[~null].reset_index(drop=True)
    geoms = np.asarray(geom.to_numpy()[~null])
    parts, idx = shapely.get_parts(geoms, return_index=True)
    ok = ~shapely.is_empty(parts) & (shapely.length(parts) > 0)
    n_degenerate = int((~ok).sum())
    parts, idx = parts[ok], idx[ok]
    if null.any() or n_degenerate:
        bits = []
        if null.any():
            bits.append(f"{int(null.sum())} feature(s) with empty or missing geometry")
        if n_degenerate:
            bits.append(f"{n_degenerate} empty or zero-length line part(s)")
        notes.append(f"dropped {' and '.join(bits)}; fix them in the source to keep them")
    if len(parts) == 0:
        raise EmptyInputError(
            f"no line with a length > 0 is left ({int(null.sum())} feature(s) with empty or "
            f"missing geometry, {n_degenerate} empty or zero-length line part(s))",
            argument="source",
        )
    table = table.iloc[idx].reset_index(drop=True)
    rev = table.pop("_reverse").to_numpy()
    if rev.any():
        parts = parts.copy()
        parts[rev] = shapely.reverse(parts[rev])
    table["road_class"] = table["road_class"].astype(str)
    table["class_source"] = table["class_source"].astype(str)
    table["speed_kph"] = table["speed_kph"].astype(float)
    for flag in ("oneway", "access_controlled", "toll"):
        table[flag] = table[flag].astype(bool)
    return gpd.GeoDataFrame(table, geometry=gpd.array.from_shapely(parts), crs=frame.crs)


def _parse_speed(value: Any) -> float:
    """One OSM ``maxspeed``-style value -> km/h (NaN if not numeric or <= 0)."""
    if isinstance(value, list | tuple | np.ndarray):
        vals = [_parse_speed(v) for v in value]
        vals = [v for v in vals if v == v]
        return float(np.mean(vals)) if vals else np.nan
    if _is_missing(value) or isinstance(value, bool | np.bool_):
        return np.nan
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value) if value > 0 else np.nan
    text = str(value)
    if ";" in text or "|" in text:
        return _parse_speed(re.split(r"[;|]", text))
    m = _SPEED_RE.match(text)
    if not m:
        return np.nan
    number = float(m.group(1).replace(",", "."))
    unit = m.group(2).lower() if m.group(2) else None
    kph = number * _SPEED_FACTOR[unit]
    return kph if kph > 0 else np.nan


def _parse_speeds(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = np.array(pd.to_numeric(values, errors="coerce"), dtype=float)  # a writable copy
        out[~(out > 0)] = np.nan
        return out
    cache: dict[Any, float] = {}
    out = np.empty(len(values))
    for i, v in enumerate(values):
        try:
            out[i] = cache[v]
        except (KeyError, TypeError):  # TypeError: unhashable (list)
            out[i] = _parse_speed(v)
            try:
                cache[v] = out[i]
            except TypeError:
                pass
    return out


def _oneway_code(value: Any) -> int | None:
    """One one-way value -> 1 (along the line), -1 (against it), 0 (two-way); None if unknown.

    The single reading of one-way values used by every reader (layers, OSM PBF tags).
    """
    value = _first(value)
    if _is_missing(value):
        return 0
    if isinstance(value, bool | np.bool_):
        return int(bool(value))
    if isinstance(value, int | float | np.integer | np.floating):
        return int(value) if value in (1, -1, 0) else None
    text = str(value).strip()
    if text in _ONEWAY_GEOFABRIK:
        return _ONEWAY_GEOFABRIK[text]
    low = text.lower()
    if low in _ONEWAY_FORWARD:
        return 1
    if low in _ONEWAY_REVERSE:
        return -1
    if low in _ONEWAY_TWO_WAY:
        return 0
    return None


def _unique_codes(values: pd.Series, read: Any) -> tuple[np.ndarray, dict[Any, list[Any]]]:
    """Apply ``read`` once per distinct value: (codes, {unknown value: row labels})."""
    keys = [None if _is_missing(v := _first(v0)) else v for v0 in values]
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=False)
    table = [read(u) for u in uniques]
    bad = {uniques[i]: list(values.index[codes == i]) for i, t in enumerate(table) if t is None}
    out = np.array([0 if t is None else t for t in table], dtype=np.int8)
    return (out[codes] if len(codes) else np.zeros(0, dtype=np.int8)), bad


def _describe_rows(bad: Mapping[Any, list[Any]]) -> str:
    parts = []
    for value, rows in list(bad.items())[:20]:
        shown = ", ".join(str(r) for r in rows[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
        parts.append(f"{value!r} (row{'s' if len(rows) > 1 else ''} {shown})")
    more = f" and {len(bad) - 20} more value(s)" if len(bad) > 20 else ""
    return "; ".join(parts) + more


def _parse_oneway(values: pd.Series, column: str) -> np.ndarray:
    """One-way codes of a layer's column; unknown values raise (see :func:`_oneway_code`)."""
    code, bad = _unique_codes(values, _oneway_code)
    if bad:
        example = next(iter(bad))
        raise InputValidationError(
            f"column {column!r} holds one-way values geoaccess does not know: "
            f"{_describe_rows(bad)}. Known values: {_ONEWAY_KNOWN}. Fix: map them first, e.g. "
            f"roads[{column!r}] = roads[{column!r}].replace({{{example!r}: 'no'}}), or pass "
            "oneway_column=None to read every line as two-way",
            argument="source",
        )
    return code


def _flag_value(value: Any) -> int | None:
    """One yes/no value -> 1/0; None if unknown. Missing values are 0 (no)."""
    if _is_missing(value):
        return 0
    if isinstance(value, bool | np.bool_):
        return int(bool(value))
    if isinstance(value, int | float | np.integer | np.floating):
        return int(value) if value in (0, 1) else None
    low = str(value).strip().lower()
    if low in _FLAG_TRUE:
        return 1
    if low in _FLAG_FALSE:
        return 0
    return None


def _parse_flag(values: pd.Series, column: str, *, strict: bool) -> np.ndarray:
    """A yes/no column as bool. Unknown values raise, or (``strict=False``, OSM tags) are no."""
    code, bad = _unique_codes(values, _flag_value)
    if bad and strict:
        example = next(iter(bad))
        raise InputValidationError(
            f"column {column!r} holds values that are neither yes nor no: {_describe_rows(bad)}. "
            "Known: yes/true/1/y/ya/True and no/false/0/n/tidak/''/False; missing values are no. "
            f"Fix: map them first, e.g. roads[{column!r}] = roads[{column!r}].replace("
            f"{{{example!r}: 'yes'}})",
            argument="source",
        )
    if bad:
        logger.info("read_roads: %s values %s read as no", column, sorted(map(str, bad))[:20])
    return code.astype(bool)


def _access_flags(
    frame: pd.DataFrame, class_source: pd.Series, *, osm: bool
) -> tuple[np.ndarray, np.ndarray]:
    """``(access_controlled, toll)`` of each feature (see :func:`read_roads`)."""
    labels = class_source.str.strip().str.lower().to_numpy(dtype=object)
    toll = np.isin(labels, list(TOLL_LABELS))
    ac = np.isin(labels, list(ACCESS_CONTROLLED_LABELS))
    for name in TOLL_COLUMN_CANDIDATES:
        col = _find_column(frame, name)
        if col is not None:
            toll |= _parse_flag(frame[col], str(col), strict=not osm)
    for name in NAME_COLUMN_CANDIDATES:
        col = _find_column(frame, name)
        if col is not None:
            toll |= np.array(
                [not _is_missing(v) and bool(_TOLL_NAME_RE.match(str(v))) for v in frame[col].map(_first)],
                dtype=bool,
            )
    col = _find_column(frame, "access_controlled")
    if col is not None:  # an already standard layer
        ac |= _parse_flag(frame[col], str(col), strict=True)
    # OSM tags: motorroad=yes (motor vehicles only, junctions only), access=no
    for name, value in (("motorroad", "yes"), ("access", "no")):
        col = _find_column(frame, name)
        if col is not None:
            ac |= np.array(
                [not _is_missing(v) and str(v).strip().lower() == value for v in frame[col].map(_first)],
                dtype=bool,
            )
    # every jalan tol is access-controlled (PP 15/2005: no at-grade crossings, all entries
    # and exits fully controlled)
    return ac | toll, toll


def _length_km(gdf: gpd.GeoDataFrame) -> float:
    if gdf.crs is not None and gdf.crs.is_geographic:
        return float(gdf.geometry.to_crs(gdf.geometry.estimate_utm_crs()).length.sum() / 1000)
    return float(gdf.geometry.length.sum() / 1000)


# --------------------------------------------------------------------------------------
# roads_from_osm
# --------------------------------------------------------------------------------------


def roads_from_osm(
    polygon: Any,
    *,
    network_type: str = "all",
    timeout_s: float = 180,
    class_mapping: Mapping[str, str] | None = None,
    default_class: str | None = None,
) -> gpd.GeoDataFrame:
    """Download the OpenStreetMap roads inside a polygon (online) as the standard road layer.

    Uses ``osmnx.graph_from_polygon`` (Overpass API) with the osmnx response cache in
    ``geoaccess.options.cache_dir``, so a repeated call is served from disk.

    Parameters
    ----------
    polygon : shapely Polygon/MultiPolygon, GeoDataFrame or GeoSeries
        Area to download. A shapely geometry must be in longitude/latitude (EPSG:4326);
        a GeoDataFrame/GeoSeries may be in any CRS (it is reprojected, and its geometries
        are merged).
    network_type : {"all", "all_public", "bike", "drive", "drive_service", "walk"}
        osmnx network type. ``"all"`` (default) keeps footpaths and tracks, which matter
        for walking and motorbike access in rural Indonesia.
    timeout_s : float, default 180
        Timeout of each Overpass request in seconds.
    class_mapping, default_class
        As in :func:`read_roads`, for unusual ``highway`` values.

    Returns
    -------
    GeoDataFrame
        Standard road layer (see :func:`read_roads`) in EPSG:4326.

    Raises
    ------
    OfflineError
        The Overpass API cannot be reached (no internet). The message gives the offline
        route: download an extract elsewhere and pass the file to :func:`read_roads`.
    EmptyInputError
        OpenStreetMap has no roads of this type inside the polygon.
    CRSError, InputValidationError
        Bad polygon or arguments.
    """
    poly = _polygon_4326(polygon)
    check_choice(network_type, _NETWORK_TYPES, "network_type")
    check_positive(timeout_s, "timeout_s")
    if default_class is not None:
        check_choice(default_class, speeds.ROAD_CLASSES, "default_class")
    if class_mapping is not None:
        _check_mapping(class_mapping)

    import osmnx as ox
    import requests

    saved = {
        k: getattr(ox.settings, k)
        for k in ("cache_folder", "use_cache", "requests_timeout", "useful_tags_way")
    }
    t0 = time.perf_counter()
    try:
        ox.settings.cache_folder = str(options.cache_dir)
        ox.settings.use_cache = True
        ox.settings.requests_timeout = float(timeout_s)
        ox.settings.useful_tags_way = _useful_tags_way(saved["useful_tags_way"])
        graph = ox.graph_from_polygon(poly, network_type=network_type, simplify=False, retain_all=True)
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        raise OfflineError(
            "could not reach the OpenStreetMap Overpass API "
            f"({type(exc).__name__}: {str(exc)[:200]}). To work offline: download an OSM "
            "extract of the area on a connected machine (e.g. the Geofabrik "
            "indonesia/sumatra .osm.pbf, cut with `osmium extract -b <bbox>`, or an .osm "
            "export from openstreetmap.org), copy it here and call "
            "geoaccess.roads.read_roads('<file>.osm.pbf') instead. If the server was only "
            "slow, retry later or pass a larger timeout_s=."
        ) from exc
    except Exception as exc:
        if type(exc).__name__ == "InsufficientResponseError":
            raise EmptyInputError(
                f"OpenStreetMap returned no roads of network_type={network_type!r} inside the "
                "polygon; check the polygon (longitude/latitude order, EPSG:4326) or use "
                "network_type='all'",
                argument="polygon",
            ) from exc
        raise
    finally:
        for k, v in saved.items():
            setattr(ox.settings, k, v)
    logger.info(
        "roads_from_osm: downloaded graph with %d edges in %.1f s",
        graph.number_of_edges(),
        time.perf_counter() - t0,
    )
    graph = _road_graph(
        graph,
        f"OpenStreetMap has no roads of network_type={network_type!r} inside the polygon",
        argument="polygon",
    )
    notes: list[str] = []
    out = _standardize(
        _graph_to_lines(graph, notes),
        class_column=None,
        class_mapping=class_mapping,
        default_class=default_class,
        speed_column="maxspeed",
        oneway_column="oneway",
        osm=True,
        notes=notes,
    )
    out.attrs["geoaccess_source"] = "osm"
    for msg in notes:
        warnings.warn(msg, GeoAccessWarning, stacklevel=2)
    return out


def _polygon_4326(polygon: Any) -> shapely.Geometry:
    if isinstance(polygon, gpd.GeoDataFrame | gpd.GeoSeries):
        if len(polygon) == 0:
            raise EmptyInputError("it has no rows", argument="polygon")
        require_crs(polygon if isinstance(polygon, gpd.GeoDataFrame) else polygon.to_frame(), "polygon")
        geom = polygon.geometry.to_crs("EPSG:4326").union_all()
    elif isinstance(polygon, shapely.Geometry):
        geom = polygon
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise CRSError(
                f"coordinates {geom.bounds} are not longitude/latitude. Pass the polygon in "
                "EPSG:4326, or as a GeoDataFrame/GeoSeries with its CRS set",
                argument="polygon",
            )
    else:
        raise InputValidationError(
            f"expected a shapely Polygon/MultiPolygon or a GeoDataFrame/GeoSeries, got "
            f"{type(polygon).__name__}",
            argument="polygon",
        )
    if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise InputValidationError(
            f"must be a non-empty Polygon or MultiPolygon, got {geom.geom_type}"
            + (" (empty)" if geom.is_empty else ""),
            argument="polygon",
        )
    return geom


# --------------------------------------------------------------------------------------
# repair_roads
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadRepair:
    """What :func:`repair_roads` changed.

    Attributes
    ----------
    n_input_lines, n_output_lines : int
        LineStrings before (MultiLineStrings counted per part) and after.
    n_crossings_noded : int
        Points where lines crossed or touched without a shared line end and were split.
    n_endpoints_snapped : int
        Dangling line ends moved onto a line within the snap tolerance.
    n_components_before, n_components_after : int
        Connected components of the endpoint graph (lines are edges, line ends matched at
        1e-6 m are nodes) before and after.
    total_length_km_before, total_length_km_after : float
        Total line length in the metric CRS. ``after == before + snap_length_km`` up to
        rounding: noding splits lines without adding or losing length.
    snap_length_km : float
        Length of the snap segments added (each from a dangling end to its snap point).
    n_nodes_before, n_nodes_after : int
        Distinct line ends (graph nodes) before and after.
    snap_tolerance_m : float
        Tolerance used.
    metric_crs : str
        CRS the repair was computed in.
    seconds : float
        Run time.
    """

    n_input_lines: int
    n_output_lines: int
    n_crossings_noded: int
    n_endpoints_snapped: int
    n_components_before: int
    n_components_after: int
    total_length_km_before: float
    total_length_km_after: float
    snap_length_km: float
    n_nodes_before: int
    n_nodes_after: int
    snap_tolerance_m: float
    metric_crs: str
    seconds: float

    @property
    def length_check_km(self) -> float:
        """``after - before - snap_length_km``; zero up to rounding."""
        return self.total_length_km_after - self.total_length_km_before - self.snap_length_km

    def __str__(self) -> str:
        return "\n".join(
            [
                f"Road repair (in {self.metric_crs}, snap tolerance {self.snap_tolerance_m:g} m,"
                f" {self.seconds:.2f} s)",
                f"  lines               {self.n_input_lines:>8,} -> {self.n_output_lines:,}",
                f"  crossings noded     {self.n_crossings_noded:>8,}",
                f"  endpoints snapped   {self.n_endpoints_snapped:>8,}"
                f"  (snap segments {self.snap_length_km * 1000:,.1f} m)",
                f"  nodes               {self.n_nodes_before:>8,} -> {self.n_nodes_after:,}",
                f"  components          {self.n_components_before:>8,} -> {self.n_components_after:,}",
                f"  length km       {self.total_length_km_before:>12,.3f} -> "
                f"{self.total_length_km_after:,.3f} (snap segments +{self.snap_length_km:.4f}, "
                f"unexplained {self.length_check_km:+.2e})",
            ]
        )


def repair_roads(
    roads: gpd.GeoDataFrame,
    *,
    snap_tolerance_m: float = 5.0,
    node_crossings: bool = True,
) -> tuple[gpd.GeoDataFrame, RoadRepair]:
    """Make a road layer routable: node lines at crossings and snap near-miss line ends.

    Works in a metric CRS (the layer's own if projected in metres, else
    ``roads.estimate_utm_crs()``) and returns the lines in the input CRS.

    1. **Noding** (``node_crossings=True``): wherever two lines cross or touch at a point
       that is not an end of both (including shared interior vertices and overlaps), each
       line is split there at the same exact point. Lines keep their own attributes and
       direction. Self-crossing lines are split too.
    2. **Snapping**: a line end that no other line end shares (a dangling end) and that
       lies within ``snap_tolerance_m`` of another line is extended by a straight snap
       segment to the nearest point of that line, and that line is split there. If the
       nearest point is within ``0.2 * snap_tolerance_m`` of an end of the target line, the
       snap goes to that end instead (no sliver). Ends are handled nearest first, and an end
       that an earlier snap already reached is left alone. Lines touching the dangling
       line's other end are not targets, so short overshoots past a junction stay as they
       are (they are harmless dead ends).

    No length is added or removed except the snap segments (see :class:`RoadRepair`).

    Parameters
    ----------
    roads : GeoDataFrame
        LineStrings/MultiLineStrings (e.g. from :func:`read_roads`) with a CRS.
        MultiLineStrings are split into parts. Z values are dropped.
    snap_tolerance_m : float, default 5.0
        Largest gap in metres closed by snapping; ``0`` disables snapping. 5 m is about
        the positional accuracy of 1:50,000 maps (RBI: 0.1 mm at map scale = 5 m).
    node_crossings : bool, default True
        Split lines at crossings. Use ``False`` for OpenStreetMap data, where roads meet
        at shared nodes and a crossing without one is a bridge or tunnel.

    Returns
    -------
    repaired : GeoDataFrame
        One row per repaired line with the attributes of the source row, a new RangeIndex,
        in the input CRS. Vertices not touched keep their exact input coordinates.
    report : RoadRepair
        Counts, components and lengths before and after.

    Raises
    ------
    InputValidationError
        Not a GeoDataFrame, empty, missing/non-line geometries, bad tolerance.
    CRSError
        No CRS.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> x = gpd.GeoDataFrame({"id": [1, 2]}, crs="EPSG:32748", geometry=[
    ...     LineString([(0, 0), (10, 10)]), LineString([(0, 10), (10, 0)])])
    >>> fixed, report = repair_roads(x)
    >>> len(fixed), report.n_crossings_noded, report.n_components_after
    (4, 1, 1)
    """
    require_frame(roads, "roads")
    require_crs(roads, "roads")
    require_geom_types(roads, ("LineString", "MultiLineString"), "roads")
    if isinstance(snap_tolerance_m, bool) or not isinstance(snap_tolerance_m, int | float):
        raise InputValidationError(
            f"must be a number of metres, got {snap_tolerance_m!r}", argument="snap_tolerance_m"
        )
    check_positive(snap_tolerance_m, "snap_tolerance_m", allow_zero=True)
    if not isinstance(node_crossings, bool):
        raise InputValidationError(
            f"must be True or False, got {node_crossings!r}", argument="node_crossings"
        )
    t0 = time.perf_counter()
    tol = float(snap_tolerance_m)

    # ---- explode, 2D, metric coordinates ----------------------------------------------
    parts, src_row = shapely.get_parts(
        shapely.force_2d(np.asarray(roads.geometry.to_numpy())), return_index=True
    )
    keep = ~shapely.is_empty(parts) & (shapely.length(parts) > 0)
    n_dropped = int((~keep).sum())
    parts, src_row = parts[keep], src_row[keep]
    if len(parts) == 0:
        raise EmptyInputError(
            f"no line with a length > 0 ({n_dropped} empty or zero-length line part(s))",
            argument="roads",
        )
    if n_dropped:
        warnings.warn(
            f"repair_roads dropped {n_dropped} empty or zero-length line part(s); fix them "
            "in the source to keep them",
            GeoAccessWarning,
            stacklevel=2,
        )
    xy_in, vidx = shapely.get_coordinates(parts, return_index=True)
    metric = _metric_crs(roads)
    if CRS.from_user_input(roads.crs) == metric:
        xy_m = xy_in
        to_input = None
    else:
        fwd = Transformer.from_crs(roads.crs, metric, always_xy=True)
        to_input = Transformer.from_crs(metric, roads.crs, always_xy=True)
        xy_m = np.column_stack(fwd.transform(xy_in[:, 0], xy_in[:, 1]))
    n_lines = len(parts)
    offsets = np.concatenate([[0], np.cumsum(np.bincount(vidx, minlength=n_lines))])
    lines_m = shapely.linestrings(xy_m, indices=vidx)
    line_xy = [xy_m[offsets[k] : offsets[k + 1]] for k in range(n_lines)]
    line_orig = [np.arange(offsets[k], offsets[k + 1]) for k in range(n_lines)]
    length_before = float(shapely.length(lines_m).sum())
    starts0 = xy_m[offsets[:-1]]
    ends0 = xy_m[offsets[1:] - 1]
    n_nodes_before, n_comp_before = _endpoint_components(starts0, ends0)[:2]

    # ---- 1. noding at crossings --------------------------------------------------------
    n_crossings = 0
    if node_crossings:
        split_pts, cross_xy = _crossing_points(lines_m, starts0, ends0)
        piece_xy, piece_orig, piece_line = [], [], []
        used_pts: set[int] = set()
        for k in range(n_lines):
            pts_ids = split_pts.get(k)
            if pts_ids is None:
                piece_xy.append(line_xy[k])
                piece_orig.append(line_orig[k])
                piece_line.append(k)
                continue
            ids = np.fromiter(pts_ids, dtype=np.int64)
            pieces, used = _split_line(line_xy[k], line_orig[k], cross_xy[ids])
            used_pts.update(ids[used].tolist())
            for pxy, porig in pieces:
                piece_xy.append(pxy)
                piece_orig.append(porig)
                piece_line.append(k)
        n_crossings = len(used_pts)
    else:
        piece_xy, piece_orig, piece_line = list(line_xy), list(line_orig), list(range(n_lines))

    # ---- 2. snapping dangling ends ----------------------------------------------------
    n_snapped, snap_len = 0, 0.0
    if tol > 0:
        piece_xy, piece_orig, piece_line, n_snapped, snap_len = _snap_dangles(
            piece_xy, piece_orig, piece_line, tol
        )

    # ---- output -----------------------------------------------------------------------
    sizes = np.array([len(p) for p in piece_xy])
    all_xy = np.concatenate(piece_xy)
    all_orig = np.concatenate(piece_orig)
    pid = np.repeat(np.arange(len(piece_xy)), sizes)
    out_lines_m = shapely.linestrings(all_xy, indices=pid)
    length_after = float(shapely.length(out_lines_m).sum())
    p_off = np.concatenate([[0], np.cumsum(sizes)])
    n_nodes_after, n_comp_after, _ = _endpoint_components(all_xy[p_off[:-1]], all_xy[p_off[1:] - 1])

    out_xy = np.empty_like(all_xy)
    known = all_orig >= 0
    out_xy[known] = xy_in[all_orig[known]]
    if to_input is None:
        out_xy[~known] = all_xy[~known]
    elif (~known).any():
        out_xy[~known] = np.column_stack(to_input.transform(all_xy[~known, 0], all_xy[~known, 1]))
    out_geoms = shapely.linestrings(out_xy, indices=pid)

    geom_name = roads.geometry.name
    rows = src_row[np.asarray(piece_line, dtype=np.int64)]
    attrs = pd.DataFrame(roads.drop(columns=geom_name)).iloc[rows].reset_index(drop=True)
    out = gpd.GeoDataFrame(attrs, geometry=gpd.array.from_shapely(out_geoms), crs=roads.crs)
    if geom_name != "geometry":
        out = out.rename_geometry(geom_name)
    out = out[list(roads.columns)]

    report = RoadRepair(
        n_input_lines=n_lines,
        n_output_lines=len(out),
        n_crossings_noded=n_crossings,
        n_endpoints_snapped=n_snapped,
        n_components_before=n_comp_before,
        n_components_after=n_comp_after,
        total_length_km_before=length_before / 1000,
        total_length_km_after=length_after / 1000,
        snap_length_km=snap_len / 1000,
        n_nodes_before=n_nodes_before,
        n_nodes_after=n_nodes_after,
        snap_tolerance_m=tol,
        metric_crs=metric.to_string(),
        seconds=time.perf_counter() - t0,
    )
    logger.info("repair_roads:\n%s", report)
    return out, report


def _metric_crs(gdf: gpd.GeoDataFrame) -> CRS:
    crs = CRS.from_user_input(gdf.crs)
    if crs.is_projected and all(
        (ax.unit_name or "").lower() in ("metre", "meter", "m") for ax in crs.axis_info[:2]
    ):
        return crs
    utm = gdf.estimate_utm_crs()
    if utm is None:  # pragma: no cover - estimate_utm_crs raises rather than return None
        raise CRSError(
            "no UTM zone found for the layer; reproject it to a metric CRS first", argument="roads"
        )
    return utm


def _node_keys(points: np.ndarray) -> np.ndarray:
    """Integer keys of points on a 1e-6 m grid."""
    return np.rint(points / _KEY_M).astype(np.int64)


def _endpoint_components(starts: np.ndarray, ends: np.ndarray) -> tuple[int, int, np.ndarray]:
    """(number of nodes, number of connected components, node id per end [starts, ends])."""
    keys = _node_keys(np.vstack([starts, ends]))
    _, inv = np.unique(keys, axis=0, return_inverse=True)
    inv = inv.ravel()
    n_nodes = int(inv.max()) + 1
    m = len(starts)
    graph = coo_matrix((np.ones(m), (inv[:m], inv[m:])), shape=(n_nodes, n_nodes))
    n_comp, _ = connected_components(graph, directed=False)
    return n_nodes, int(n_comp), inv


def _crossing_points(
    lines: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[dict[int, set[int]], np.ndarray]:
    """Points where lines meet: ``({line index: {point id}}, point coordinates)``.

    Points within ``_EPS_M`` of each other are merged into one, and points within
    ``_EPS_M`` of a line end take that end's exact coordinates, so every line split at a
    place gets the same coordinates there.
    """
    tree = shapely.STRtree(lines)
    a, b = tree.query(lines, predicate="intersects")
    sel = a < b
    a, b = a[sel], b[sel]
    pair_a: list[np.ndarray] = []
    pair_b: list[np.ndarray] = []
    pts: list[np.ndarray] = []
    if len(a):
        inter = shapely.intersection(lines[a], lines[b])
        geoms, pidx = shapely.get_parts(inter, return_index=True)
        # nested collections: flatten one more level
        nested = shapely.get_type_id(geoms) >= 4
        if nested.any():
            sub, sidx = shapely.get_parts(geoms[nested], return_index=True)
            geoms = np.concatenate([geoms[~nested], sub])
            pidx = np.concatenate([pidx[~nested], pidx[nested][sidx]])
        tid = shapely.get_type_id(geoms)
        is_pt = tid == 0
        is_ln = (tid == 1) | (tid == 2)
        p_xy = shapely.get_coordinates(geoms[is_pt])
        ln = geoms[is_ln]
        l_xy = np.vstack(
            [
                shapely.get_coordinates(shapely.get_point(ln, 0)),
                shapely.get_coordinates(shapely.get_point(ln, -1)),
            ]
        )
        owner = np.concatenate([pidx[is_pt], pidx[is_ln], pidx[is_ln]])
        if is_ln.any():
            logger.info(
                "repair_roads: %d pair(s) of lines overlap; both are kept and split at the overlap ends",
                len(np.unique(pidx[is_ln])),
            )
        pts.append(np.vstack([p_xy, l_xy]))
        pair_a.append(a[owner])
        pair_b.append(b[owner])
    # self-crossing lines
    nonsimple = np.nonzero(~shapely.is_simple(lines))[0]
    for k in nonsimple:
        noded = shapely.get_parts(shapely.node(lines[k]))
        ends_k = np.vstack(
            [
                shapely.get_coordinates(shapely.get_point(noded, 0)),
                shapely.get_coordinates(shapely.get_point(noded, -1)),
            ]
        )
        pts.append(ends_k)
        pair_a.append(np.full(len(ends_k), k))
        pair_b.append(np.full(len(ends_k), k))
    if not pts:
        return {}, np.empty((0, 2))
    xy = np.vstack(pts)
    pa = np.concatenate(pair_a)
    pb = np.concatenate(pair_b)
    # take exact line-end coordinates for points within eps of an end of either line
    for side in (pa, pb):
        for ends_arr in (starts, ends):
            e = ends_arr[side]
            close = np.hypot(*(xy - e).T) <= _EPS_M
            xy[close] = e[close]
    # merge points within eps of each other (three lines through one point)
    uniq, inv = np.unique(xy, axis=0, return_inverse=True)
    inv = inv.ravel()
    ptree = shapely.STRtree(shapely.points(uniq))
    qa, qb = ptree.query(shapely.points(uniq), predicate="dwithin", distance=_EPS_M)
    n_u = len(uniq)
    _, label = connected_components(
        coo_matrix((np.ones(len(qa)), (qa, qb)), shape=(n_u, n_u)), directed=False
    )
    _, rep = np.unique(label, return_index=True)  # first point of each cluster represents it
    pid = rep[label[inv]]
    out: dict[int, set[int]] = {}
    for side in (pa, pb):
        for k, p in zip(side.tolist(), pid.tolist(), strict=True):
            out.setdefault(k, set()).add(p)
    return out, uniq


def _split_line(
    xy: np.ndarray, orig: np.ndarray, pts: np.ndarray
) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """Split one line at every place it passes within ``_EPS_M`` of one of ``pts``.

    A vertex within ``_EPS_M`` of a split point is replaced by the point; the split point
    gets original index -1 unless it equals the vertex exactly. Places within ``_EPS_M`` of
    the line's ends do not split. Returns the pieces ``(xy, orig)`` in line order and, per
    point, whether it split the line.
    """
    m = len(pts)
    used = np.zeros(m, dtype=bool)
    n = len(xy)
    if m == 0 or n < 2:
        return [(xy, orig)], used
    a = xy[:-1]
    d = xy[1:] - a
    seg2 = (d * d).sum(axis=1)
    seglen = np.sqrt(seg2)
    cum = np.concatenate([[0.0], np.cumsum(seglen)])
    total = cum[-1]
    ev_pos, ev_seg, ev_vert, ev_pt = [], [], [], []
    chunk = max(1, 2_000_000 // max(n - 1, 1))
    for c0 in range(0, m, chunk):
        p = pts[c0 : c0 + chunk]
        rel = p[:, None, :] - a[None, :, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(seg2 > 0, (rel * d).sum(axis=2) / seg2, 0.0)
        t = np.clip(t, 0.0, 1.0)
        off = rel - t[..., None] * d
        dist = np.hypot(off[..., 0], off[..., 1])
        pi, si = np.nonzero(dist <= _EPS_M)
        if len(pi) == 0:
            continue
        along = t[pi, si] * seglen[si]
        vert = np.where(along <= _EPS_M, si, np.where(seglen[si] - along <= _EPS_M, si + 1, -1))
        pos = np.where(vert >= 0, cum[np.maximum(vert, 0)], cum[si] + along)
        ev_pos.append(pos)
        ev_seg.append(si)
        ev_vert.append(vert)
        ev_pt.append(pi + c0)
    if not ev_pos:
        return [(xy, orig)], used
    pos = np.concatenate(ev_pos)
    seg = np.concatenate(ev_seg)
    vert = np.concatenate(ev_vert)
    pt = np.concatenate(ev_pt)
    inner = (pos > _EPS_M) & (pos < total - _EPS_M) & (vert != 0) & (vert != n - 1)
    pos, seg, vert, pt = pos[inner], seg[inner], vert[inner], pt[inner]
    if len(pos) == 0:
        return [(xy, orig)], used
    order = np.lexsort((pt, pos))
    pos, seg, vert, pt = pos[order], seg[order], vert[order], pt[order]
    # drop repeats: same place (a point at a vertex is found on both adjacent segments,
    # and two points may land on one vertex)
    keep = np.ones(len(pos), dtype=bool)
    last_pos = -np.inf
    last_vert = -2
    for i in range(len(pos)):
        if pos[i] - last_pos <= 2 * _EPS_M or (vert[i] >= 0 and vert[i] == last_vert):
            keep[i] = False
            continue
        last_pos, last_vert = pos[i], vert[i]
    pos, seg, vert, pt = pos[keep], seg[keep], vert[keep], pt[keep]
    used[np.unique(pt)] = True

    pieces: list[tuple[np.ndarray, np.ndarray]] = []
    cur_xy = [xy[:1]]
    cur_or = [orig[:1]]
    nxt = 1  # next vertex to copy
    for s, v, p in zip(seg.tolist(), vert.tolist(), pt.tolist(), strict=True):
        stop = v if v >= 0 else s + 1  # copy vertices nxt .. stop-1
        cur_xy.append(xy[nxt:stop])
        cur_or.append(orig[nxt:stop])
        point = pts[p]
        p_orig = orig[v] if v >= 0 and np.array_equal(point, xy[v]) else -1
        cur_xy.append(point[None, :])
        cur_or.append(np.array([p_orig]))
        pieces.append((np.concatenate(cur_xy), np.concatenate(cur_or)))
        cur_xy = [point[None, :]]
        cur_or = [np.array([p_orig])]
        nxt = v + 1 if v >= 0 else s + 1
    cur_xy.append(xy[nxt:])
    cur_or.append(orig[nxt:])
    pieces.append((np.concatenate(cur_xy), np.concatenate(cur_or)))
    return pieces, used


def _snap_dangles(
    piece_xy: list[np.ndarray],
    piece_orig: list[np.ndarray],
    piece_line: list[int],
    tol: float,
) -> tuple[list[np.ndarray], list[np.ndarray], list[int], int, float]:
    """Snap dangling ends onto the nearest other line within ``tol`` (see repair_roads)."""
    n = len(piece_xy)
    starts = np.array([p[0] for p in piece_xy])
    ends = np.array([p[-1] for p in piece_xy])
    _, _, node = _endpoint_components(starts, ends)
    node_start, node_end = node[:n], node[n:]
    degree = np.bincount(node, minlength=int(node.max()) + 1)
    dangling = np.nonzero(degree[node] == 1)[0]  # index into [starts, ends]
    if len(dangling) == 0:
        return piece_xy, piece_orig, piece_line, 0, 0.0
    d_piece = dangling % n
    d_is_end = dangling >= n
    d_xy = np.where(d_is_end[:, None], ends[d_piece], starts[d_piece])
    d_other = np.where(d_is_end, node_start[d_piece], node_end[d_piece])
    geoms = shapely.linestrings(
        np.concatenate(piece_xy), indices=np.repeat(np.arange(n), [len(p) for p in piece_xy])
    )
    d_pts = shapely.points(d_xy)
    tree = shapely.STRtree(geoms)
    qi, qc = tree.query(d_pts, predicate="dwithin", distance=tol)
    ok = (qc != d_piece[qi]) & (node_start[qc] != d_other[qi]) & (node_end[qc] != d_other[qi])
    qi, qc = qi[ok], qc[ok]
    if len(qi) == 0:
        return piece_xy, piece_orig, piece_line, 0, 0.0
    dist = shapely.distance(d_pts[qi], geoms[qc])
    order = np.lexsort((qc, dist, qi))
    qi, qc, dist = qi[order], qc[order], dist[order]
    first = np.concatenate([[True], qi[1:] != qi[:-1]])
    qi, qc, dist = qi[first], qc[first], dist[first]
    # nearest point on each target
    targets = geoms[qc]
    near = shapely.line_interpolate_point(targets, shapely.line_locate_point(targets, d_pts[qi]))
    near_xy = shapely.get_coordinates(near)

    splits: dict[int, list[np.ndarray]] = {}
    extend: dict[tuple[int, bool], np.ndarray] = {}
    n_snapped, snap_len = 0, 0.0
    degree = degree.copy()
    pref = max(_EPS_M, _NODE_PREFERENCE * tol)
    for j in np.argsort(dist, kind="stable").tolist():
        e = qi[j]
        e_node = node[dangling[e]]
        if degree[e_node] != 1:
            continue  # an earlier snap reached this end
        c = qc[j]
        exy = d_xy[e]
        p = near_xy[j]
        target_node = None
        for cand_xy, cand_node in ((starts[c], node_start[c]), (ends[c], node_end[c])):
            to_node = np.hypot(*(p - cand_xy))
            if to_node <= _EPS_M or (to_node <= pref and np.hypot(*(exy - cand_xy)) <= tol):
                p, target_node = cand_xy, cand_node
                break
        if target_node is None:
            if dist[j] <= _EPS_M:
                p = exy  # the end already lies on the line: split it exactly there
            splits.setdefault(int(c), []).append(np.asarray(p, dtype=float))
        else:
            degree[target_node] += 1
        degree[e_node] += 1
        gap = float(np.hypot(*(p - exy)))
        if gap > 0:
            extend[(int(d_piece[e]), bool(d_is_end[e]))] = np.asarray(p, dtype=float)
            snap_len += gap
        n_snapped += 1

    new_xy, new_orig, new_line = [], [], []
    for k in range(n):
        if k in splits:
            pieces, _ = _split_line(piece_xy[k], piece_orig[k], np.vstack(splits[k]))
        else:
            pieces = [(piece_xy[k], piece_orig[k])]
        pieces = list(pieces)
        if (k, False) in extend:
            pxy, por = pieces[0]
            pieces[0] = (np.vstack([extend[(k, False)], pxy]), np.concatenate([[-1], por]))
        if (k, True) in extend:
            pxy, por = pieces[-1]
            pieces[-1] = (np.vstack([pxy, extend[(k, True)]]), np.concatenate([por, [-1]]))
        for pxy, por in pieces:
            new_xy.append(pxy)
            new_orig.append(por)
            new_line.append(piece_line[k])
    logger.debug("snapped %d dangling end(s) of %d", n_snapped, len(dangling))
    return new_xy, new_orig, new_line, n_snapped, snap_len
