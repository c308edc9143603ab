"""OpenStreetMap roads: the readers of ``.osm`` XML (through osmnx), ``.osm.pbf`` (through
pyosmium) and osmnx graphs, and :func:`roads_from_osm` (online download through osmnx, with
the offline route in its error).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from ..._validate import check_choice, check_positive, require_crs
from ...engine import speeds
from ...exceptions import CRSError, EmptyInputError, GeoAccessWarning, InputValidationError, OfflineError
from ...settings import options
from .standardize import CLASS_COLUMN_CANDIDATES, check_class_mapping, oneway_code, standardize_roads

logger = logging.getLogger(__name__)

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

_NETWORK_TYPES = ("all", "all_public", "bike", "drive", "drive_service", "walk")

#: OSM way tags kept by the OSM readers besides osmnx's defaults (access control).
OSM_ACCESS_TAGS: tuple[str, ...] = ("access", "motorroad", "toll", "name")


# ---- OSM readers ---------------------------------------------------------------------


def read_osm_xml(path: Path, notes: list[str]) -> gpd.GeoDataFrame:
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
    return graph_to_lines(graph, notes)


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


def graph_to_lines(graph: nx.MultiDiGraph, notes: list[str]) -> gpd.GeoDataFrame:
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


def read_osm_pbf(path: Path, notes: list[str]) -> gpd.GeoDataFrame:
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

    Uses :func:`~geoaccess.inputs.roads.standardize.oneway_code`, the reading of every other
    source; OSM tag values it does not know (``oneway=recommended``, typos) are two-way, as
    osmnx reads them.
    """
    code = oneway_code(oneway)
    if code:
        return code
    if junction == "roundabout":
        return 1
    return 0


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

    Examples
    --------
    Needs internet (the Overpass API), so it is not run by the tests; offline, pass an
    OpenStreetMap extract to :func:`read_roads` instead.

    >>> import shapely
    >>> import geoaccess as ga
    >>> roads = roads_from_osm(shapely.box(103.80, -3.72, 103.84, -3.70))  # doctest: +SKIP
    >>> net = ga.build_network(roads, "motorbike")  # doctest: +SKIP
    """
    poly = _polygon_4326(polygon)
    check_choice(network_type, _NETWORK_TYPES, "network_type")
    check_positive(timeout_s, "timeout_s")
    if default_class is not None:
        check_choice(default_class, speeds.ROAD_CLASSES, "default_class")
    if class_mapping is not None:
        check_class_mapping(class_mapping)

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
            "geoaccess.inputs.roads.read_roads('<file>.osm.pbf') instead. If the server was only "
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
    out = standardize_roads(
        graph_to_lines(graph, notes),
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
