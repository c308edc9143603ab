"""The flood-season network: roads and off-road cells in hazard areas slowed or cut.

:func:`flood_network` takes a built :class:`~geoaccess.engine.network.Network` and hazard
polygons (a GeoDataFrame with ``hazard_class``, one of ``rendah`` / ``sedang`` /
``tinggi``, and optionally ``depth_m``) and returns a **new** network; the baseline is
never modified. Nothing is rebuilt: road times change through
:meth:`Network.with_edge_times` and off-road speeds through
:meth:`Network.with_cell_speeds`, both on copies of the graph's data with the same node
ids, so the flood network plugs into :class:`geoaccess.Scenario` and
:func:`geoaccess.compare_scenario` (see :func:`geoaccess.flood_scenario`, in :mod:`geoaccess.planning.flood`).

Rules
-----
- **Road pieces** (the pieces of :attr:`Network.edges`, at most half a lattice cell
  long by default) take the factor of the *worst* hazard polygon they touch (intersect):
  a piece is cut as soon as any part of it lies in a cut class. With 125 m pieces this is
  close to a length share and errs on the side of the flood; time = built time / factor.
- **Off-road cells** whose centre lies in a hazard polygon get their off-road speed
  multiplied by the factor of the worst polygon holding the centre; their lattice edges
  (half the step at each cell's speed) and connectors are recomputed; a factor of 0 cuts
  the cell (its edges are dropped; people living there are cut off).
- **Facilities** standing in a closed class (default ``tinggi``) are closed
  (:func:`flooded_facilities`).
- **Boats** (waterway pieces) take ``boat_factor`` whatever the hazard (default 1:
  unchanged; 0 stops them, above 1 speeds them up).
- **By depth** (``by="depth"``): the factor of a polygon with a ``depth_m`` comes from
  ``depth_factor(depth_m)`` (default :func:`pregnolato_factor`); polygons without a
  depth fall back to their class factor.

Default factors and where they come from
----------------------------------------
The hazard classes are the InaRISK / BNPB flood-hazard index split at 0.333 and 0.667
(DESIGN-NOTES "Floods"). The index is a *potential*, not a water depth, so the factors
are planning assumptions; every one is a parameter.

- ``tinggi`` (high): roads and off-road cut (factor 0). Pregnolato et al. (2017), "The
  impact of flooding on road transport: a depth-disruption function", *Transportation
  Research Part D* 55: 67-81, find vehicles stop at about 30 cm of standing water; a
  high-hazard area in the flood season is taken to be deeper than that. For motorbike
  and car; on foot pass your own factors.
- ``sedang`` (medium): speed halved (factor 0.5), roads and off-road: shallow water and
  mud over part of the area. An assumption (no source gives a single figure); test it.
- ``rendah`` (low): unchanged (factor 1.0).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, overload

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..exceptions import CRSError, GeoAccessWarning, InputValidationError, MissingColumnError
from .network import Network

__all__ = [
    "BOAT_FACTOR",
    "CLOSE_CLASSES",
    "HAZARD_CLASSES",
    "OFFROAD_FACTORS",
    "PREGNOLATO_COEFFS",
    "PREGNOLATO_STOP_M",
    "ROAD_FACTORS",
    "flood_network",
    "flooded_facilities",
    "pregnolato_factor",
]

#: Hazard classes, least to most severe: the InaRISK flood-hazard index split at 0.333
#: and 0.667 (rendah / sedang / tinggi).
HAZARD_CLASSES = ("rendah", "sedang", "tinggi")
#: Classes meaning "no hazard figure here"; such polygons change nothing.
UNKNOWN_CLASSES = ("unknown", "none")
#: Road speed factor per hazard class (0 cuts the road). See the module docstring:
#: tinggi from Pregnolato et al. (2017) (vehicles stop near 30 cm of water); sedang an
#: assumption; rendah unchanged.
ROAD_FACTORS: dict[str, float] = {"rendah": 1.0, "sedang": 0.5, "tinggi": 0.0}
#: Boat speed factor in the flood season (:func:`flood_network` ``boat_factor``): 1, boats as in
#: the dry season. An assumption: high water can speed boats downstream, slow them upstream,
#: open shortcuts or stop services; no source gives a figure for the Musi basin. Values above
#: 1 speed boats up, 0 stops them; at most :data:`MAX_BOAT_FACTOR`.
BOAT_FACTOR = 1.0
#: Highest ``boat_factor`` accepted: boats at three times their dry-season speed.
MAX_BOAT_FACTOR = 3.0
#: Off-road (lattice) speed factor per hazard class (0 cuts the cell); same reasoning.
OFFROAD_FACTORS: dict[str, float] = {"rendah": 1.0, "sedang": 0.5, "tinggi": 0.0}
#: Classes whose facilities close in the flood season (``close_facilities=True``).
CLOSE_CLASSES: tuple[str, ...] = ("tinggi",)
#: Pregnolato et al. (2017), eq. 3: vehicle speed v (km/h) in standing water of depth
#: w (mm): v = 0.0009 w^2 - 0.5529 w + 86.9448, fitted for 0 <= w < 300 mm.
PREGNOLATO_COEFFS = (0.0009, -0.5529, 86.9448)
#: Depth (m) at which Pregnolato et al. (2017) take vehicles to stop.
PREGNOLATO_STOP_M = 0.3


def pregnolato_factor(depth_m: Any, *, stop_m: float = PREGNOLATO_STOP_M) -> np.ndarray:
    """Speed factor for a water depth: Pregnolato et al. (2017), relative to dry road.

    factor = v(w) / v(0) with v(w) = 0.0009 w^2 - 0.5529 w + 86.9448 (w in mm), 0 from
    ``stop_m`` on (vehicles stop near 30 cm); 1 for depth <= 0.

    Parameters
    ----------
    depth_m : array-like of float
        Water depths (m).
    stop_m : float
        Depth from which traffic stops (factor 0).

    Returns
    -------
    ndarray of float
        The speed factor per depth, from 0 to 1.

    Examples
    --------
    >>> pregnolato_factor([0.0, 0.1, 0.3]).round(3).tolist()
    [1.0, 0.468, 0.0]
    """
    d = np.clip(np.asarray(depth_m, dtype=float), 0.0, None)
    w = d * 1000.0
    a, b, c = PREGNOLATO_COEFFS
    f = (a * w**2 + b * w + c) / c
    return np.where(d >= stop_m, 0.0, np.clip(f, 0.0, 1.0))


def _factors(given: Mapping[str, float] | None, default: Mapping[str, float], name: str) -> dict[str, float]:
    out = dict(default)
    for k, v in (given or {}).items():
        key = str(k).strip().lower()
        if key not in HAZARD_CLASSES:
            raise InputValidationError(
                f"unknown hazard class {k!r}; classes are {list(HAZARD_CLASSES)}", argument=name
            )
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
            raise InputValidationError(f"{k!r}: expected a number, got {v!r}", argument=name)
        if not (0.0 <= float(v) <= 1.0):
            raise InputValidationError(
                f"{k!r}: a speed factor lies in [0, 1] (0 cuts), got {v!r}", argument=name
            )
        out[key] = float(v)
    return out


def _hazard(hazard: Any, crs: Any, by: str) -> gpd.GeoDataFrame:
    """Hazard polygons in ``crs`` with a clean ``hazard_class``."""
    if not isinstance(hazard, gpd.GeoDataFrame):
        raise InputValidationError(
            f"expected a GeoDataFrame of polygons with 'hazard_class', got {type(hazard).__name__}",
            argument="hazard",
        )
    if hazard.crs is None:
        raise CRSError("it has no CRS; set one with .set_crs(...)", argument="hazard")
    if "hazard_class" not in hazard:
        raise MissingColumnError(
            "needs a 'hazard_class' column (rendah / sedang / tinggi)", argument="hazard"
        )
    if by not in ("class", "depth"):
        raise InputValidationError(f"must be 'class' or 'depth', got {by!r}", argument="by")
    if by == "depth" and "depth_m" not in hazard:
        raise MissingColumnError("by='depth' needs a 'depth_m' column (metres)", argument="hazard")
    h = hazard[hazard.geometry.notna() & ~hazard.geometry.is_empty].to_crs(crs)
    cls = h["hazard_class"].astype("string").str.strip().str.lower()
    # "unknown" (no index for a desa, raster nodata: geoaccess.analysis.flood readers) is
    # no hazard known: left out, and said
    unknown = cls.isin(UNKNOWN_CLASSES).fillna(False)
    if unknown.any():
        warnings.warn(
            f"{int(unknown.sum())} hazard polygon(s) of class 'unknown' are left out: their "
            "roads and land keep their dry-season speeds",
            GeoAccessWarning,
            stacklevel=4,
        )
        h, cls = h[~unknown.to_numpy()], cls[~unknown.to_numpy()]
    bad = cls.isna() | ~cls.isin(HAZARD_CLASSES)
    if bad.any():
        vals = sorted(map(str, pd.unique(h.loc[bad, "hazard_class"])))[:10]
        raise InputValidationError(
            f"{int(bad.sum())} polygon(s) have no known hazard_class (values {vals}); classes are "
            f"{list(HAZARD_CLASSES)}",
            argument="hazard",
        )
    out = gpd.GeoDataFrame(
        {"hazard_class": cls.to_numpy(dtype=object)}, geometry=h.geometry.to_numpy(), crs=crs
    )
    if "depth_m" in h:
        out["depth_m"] = pd.to_numeric(h["depth_m"], errors="coerce").to_numpy(dtype=float)
    return out


def _polygon_factors(
    h: gpd.GeoDataFrame,
    factors: Mapping[str, float],
    by: str,
    depth_factor: Callable[[np.ndarray], Any],
) -> np.ndarray:
    f = h["hazard_class"].map(factors).to_numpy(dtype=float).copy()
    if by == "depth":
        d = h["depth_m"].to_numpy(dtype=float)
        has = np.isfinite(d)
        f[has] = np.clip(np.asarray(depth_factor(d[has]), dtype=float), 0.0, 1.0)
    return f


def road_factors_of(network: Network, h: gpd.GeoDataFrame, poly_factor: np.ndarray) -> np.ndarray:
    """Per road edge: the smallest factor of the hazard polygons its piece touches (1: none).

    Waterway pieces (boats, ``edges.waterway``) keep factor 1: a flooded river is still
    navigable.
    """
    e = network.edges
    out = np.ones(len(e))
    if len(e) == 0 or len(h) == 0:
        return out
    a = network.node_xy[e["u"].to_numpy(dtype=np.int64)]
    b = network.node_xy[e["v"].to_numpy(dtype=np.int64)]
    segs = shapely.linestrings(np.stack([a, b], axis=1))
    # a tree over the many short pieces, queried with each (prepared) polygon: the same
    # pairs as the other way round, in a third of the time on Muara Enim
    pi, si = shapely.STRtree(segs).query(h.geometry.to_numpy(), predicate="intersects")
    np.minimum.at(out, si, poly_factor[pi])
    if "waterway" in e.columns:
        out[e["waterway"].to_numpy(dtype=bool)] = 1.0
    return out


def cell_factors_of(network: Network, h: gpd.GeoDataFrame, poly_factor: np.ndarray) -> np.ndarray:
    """(rows, cols) factor per lattice cell: the smallest of the polygons holding its centre (1: none)."""
    from rasterio import features

    lat = network.lattice
    assert lat is not None
    if len(h) == 0:
        return np.ones(lat.shape)
    order = np.argsort(-poly_factor, kind="stable")  # worst burnt last, so it wins
    shapes = ((g, float(f)) for g, f in zip(h.geometry.to_numpy()[order], poly_factor[order], strict=True))
    # all_touched=False: a cell is burnt when its centre lies in the polygon
    return features.rasterize(shapes, out_shape=lat.shape, transform=lat.transform, fill=1.0, dtype="float64")


def flooded_facilities(
    facilities: gpd.GeoDataFrame,
    hazard: gpd.GeoDataFrame,
    *,
    classes: Iterable[str] = CLOSE_CLASSES,
    facility_id_col: str = "facility_id",
) -> list[str]:
    """Ids of the facilities standing in a hazard polygon of ``classes`` (default tinggi).

    Parameters
    ----------
    facilities : GeoDataFrame
        Facilities (points, any CRS) with ``facility_id_col``.
    hazard : GeoDataFrame
        Hazard polygons (any CRS) with ``hazard_class``.
    classes : iterable of str
        The hazard classes that count (default tinggi).
    facility_id_col : str
        Column with the facility id.

    Returns
    -------
    list of str
        The ids, in the facilities' order.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> hz = gpd.GeoDataFrame({"hazard_class": ["tinggi"]},
    ...     geometry=[shapely.box(0, 0, 10, 10)], crs="EPSG:32748")
    >>> fac = gpd.GeoDataFrame({"facility_id": ["A", "B"]},
    ...     geometry=[shapely.Point(5, 5), shapely.Point(50, 5)], crs="EPSG:32748")
    >>> flooded_facilities(fac, hz)
    ['A']
    """
    if facility_id_col not in facilities:
        raise MissingColumnError(f"needs a {facility_id_col!r} column", argument="facilities")
    wanted = {str(c).strip().lower() for c in classes}
    unknown = sorted(wanted - set(HAZARD_CLASSES))
    if unknown:
        raise InputValidationError(f"unknown hazard classes {unknown}", argument="classes")
    fac = facilities[facilities.geometry.notna() & ~facilities.geometry.is_empty]
    if len(fac) == 0:
        return []
    h = _hazard(hazard, fac.crs, "class")
    h = h[h["hazard_class"].isin(wanted)]
    if len(h) == 0:
        return []
    pi, _ = shapely.STRtree(h.geometry.to_numpy()).query(fac.geometry.to_numpy(), predicate="intersects")
    hit = np.unique(pi)
    return [str(x) for x in fac[facility_id_col].to_numpy()[hit]]


@overload
def flood_network(
    network: Network,
    hazard: gpd.GeoDataFrame,
    *,
    road_factors: Mapping[str, float] | None = ...,
    offroad_factors: Mapping[str, float] | None = ...,
    by: str = ...,
    depth_factor: Callable[[np.ndarray], Any] = ...,
    boat_factor: float = ...,
    close_facilities: Literal[False] = ...,
    facilities: gpd.GeoDataFrame | None = ...,
    close_classes: Iterable[str] = ...,
) -> Network: ...
@overload
def flood_network(
    network: Network,
    hazard: gpd.GeoDataFrame,
    *,
    road_factors: Mapping[str, float] | None = ...,
    offroad_factors: Mapping[str, float] | None = ...,
    by: str = ...,
    depth_factor: Callable[[np.ndarray], Any] = ...,
    boat_factor: float = ...,
    close_facilities: Literal[True],
    facilities: gpd.GeoDataFrame | None = ...,
    close_classes: Iterable[str] = ...,
) -> tuple[Network, list[str]]: ...
def flood_network(
    network: Network,
    hazard: gpd.GeoDataFrame,
    *,
    road_factors: Mapping[str, float] | None = None,
    offroad_factors: Mapping[str, float] | None = None,
    by: str = "class",
    depth_factor: Callable[[np.ndarray], Any] = pregnolato_factor,
    boat_factor: float = BOAT_FACTOR,
    close_facilities: bool = False,
    facilities: gpd.GeoDataFrame | None = None,
    close_classes: Iterable[str] = CLOSE_CLASSES,
) -> Network | tuple[Network, list[str]]:
    """The flood-season network: a new network; ``network`` is unchanged.

    Parameters
    ----------
    network : Network
        The dry-season network (:func:`geoaccess.build_network`).
    hazard : GeoDataFrame
        Hazard polygons (any CRS) with ``hazard_class`` (``rendah`` / ``sedang`` /
        ``tinggi``, case-insensitive) and optionally ``depth_m`` (metres).
    road_factors, offroad_factors : dict, optional
        Speed factor per class (0 cuts), merged over :data:`ROAD_FACTORS` and
        :data:`OFFROAD_FACTORS` (tinggi 0, sedang 0.5, rendah 1; sources in the module
        docstring).
    by : {"class", "depth"}
        Factor from the class, or from ``depth_m`` through ``depth_factor`` (polygons
        without a depth use their class factor), for roads and off-road alike.
    depth_factor : callable
        Depth (m) to speed factor; default :func:`pregnolato_factor`.
    boat_factor : float
        Speed factor of every boat (waterway) piece in the flood season, whatever the
        hazard: default :data:`BOAT_FACTOR` (1, unchanged; an assumption); above 1 speeds
        boats up (up to :data:`MAX_BOAT_FACTOR`), below 1 slows them, 0 stops them.
    close_facilities : bool
        Also return the ids of the facilities in ``close_classes`` (needs ``facilities``).
    facilities : GeoDataFrame, optional
        With ``facility_id``; for ``close_facilities``.
    close_classes : iterable of str
        Classes whose facilities close (default :data:`CLOSE_CLASSES`: tinggi).

    Returns
    -------
    Network, or (Network, list of str) with ``close_facilities=True``

    Notes
    -----
    Boats (waterway edges, :func:`geoaccess.build_network` ``waterways=``) take
    ``boat_factor`` only (by default they keep their times: a flooded river is still
    navigable). A landing whose land cell is cut leads nowhere; one in a slowed cell keeps
    its dry-season leg and boarding wait.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess import build_network
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]},
    ...     geometry=[shapely.LineString([(0, 0), (1000, 0)])], crs="EPSG:32748")
    >>> net = build_network(roads, "car", offroad=False)
    >>> hz = gpd.GeoDataFrame({"hazard_class": ["sedang"]},
    ...     geometry=[shapely.box(-10, -10, 1010, 10)], crs="EPSG:32748")
    >>> round(float(flood_network(net, hz).graph.data.sum() / 2), 3)  # 3 min doubled
    6.0
    """
    if not isinstance(network, Network):
        raise InputValidationError(f"expected a Network, got {type(network).__name__}", argument="network")
    rf = _factors(road_factors, ROAD_FACTORS, "road_factors")
    of = _factors(offroad_factors, OFFROAD_FACTORS, "offroad_factors")
    if close_facilities and facilities is None:
        raise InputValidationError("close_facilities=True needs facilities=", argument="facilities")
    if (
        isinstance(boat_factor, bool)
        or not isinstance(boat_factor, int | float | np.integer | np.floating)
        or not (0.0 <= float(boat_factor) <= MAX_BOAT_FACTOR)
    ):
        raise InputValidationError(
            f"a boat speed factor lies in [0, {MAX_BOAT_FACTOR:g}] (0 stops the boats, 1 leaves them, "
            f"above 1 speeds them up), got {boat_factor!r}",
            argument="boat_factor",
        )
    h = _hazard(hazard, network.crs, by)
    net = network
    if network.lattice is not None:
        cell_f = cell_factors_of(network, h, _polygon_factors(h, of, by, depth_factor))
        if (cell_f != 1.0).any():
            net = net.with_cell_speeds(network.lattice.speed_kph * cell_f)
    road_f = road_factors_of(network, h, _polygon_factors(h, rf, by, depth_factor))
    if "waterway" in network.edges.columns:
        road_f[network.edges["waterway"].to_numpy(dtype=bool)] = float(boat_factor)
    if (road_f != 1.0).any() or net is network:
        t = network.edges["travel_time_min"].to_numpy(dtype=float)
        with np.errstate(divide="ignore"):
            net = net.with_edge_times(np.where(road_f > 0, t / np.where(road_f > 0, road_f, 1.0), np.inf))
    if close_facilities:
        assert facilities is not None
        return net, flooded_facilities(facilities, hazard, classes=close_classes)
    return net
