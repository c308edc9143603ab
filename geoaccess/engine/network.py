"""Build the travel-time graph: roads plus an off-road lattice, as one sparse matrix.

The mapped road network in rural Sumatra is incomplete (the shared Muara Enim data
has only national roads), so geoaccess searches one *hybrid* graph:

- **road nodes and edges**: every road line is cut into pieces no longer than
  ``max_edge_m`` (so every lattice cell a road crosses holds a road node);
  edge time = length / speed of its class for the mode (:mod:`geoaccess.engine.speeds`),
  or the line's own ``speed_kph``;
- **lattice nodes** (``offroad=True``): the centres of a square grid of
  ``resolution_m`` over the study ``area``, joined to their 8 neighbours; time =
  half the step at each cell's off-road speed (cells with speed 0, or touched by a
  ``barriers`` layer such as rivers, are impassable; diagonal steps between two
  impassable cells are not allowed, so a diagonal river cannot be jumped);
- **connectors** between every road node and the lattice cell it lies in, at the
  cell's off-road speed, both ways;
- **waterway nodes and edges** (``waterways=``, optional): navigable rivers cut into
  pieces like roads, with their own nodes, at the boat speed both ways
  (``waterway=True`` rows of ``Network.edges``); people board and leave a boat only at
  **landings** (dermaga), joined to the land by connectors that carry the boarding wait
  (see :func:`build_network`, "Boats"). Homes and facilities never attach to a waterway.

With ``offroad=False`` the graph is the road network alone and origins reach the
nearest road node at the off-road speed (see :func:`geoaccess.travel_time`).

The graph is stored once as a SciPy CSR matrix of travel times in minutes
(``Network.graph``); searches run on it with :mod:`scipy.sparse.csgraph`.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components

from .._utm import utm_crs
from .._validate import check_choice, check_number
from ..exceptions import (
    CRSError,
    EmptyInputError,
    GeoAccessWarning,
    InputValidationError,
    InsufficientMemoryError,
    NetworkBuildError,
)
from . import speeds as _speeds
from .arrays import concat
from .lattice import Lattice, build_lattice_csr
from .speeds import KPH_TO_M_PER_MIN

__all__ = ["Lattice", "MemoryEstimate", "Network", "build_network", "check_memory", "estimate_memory"]

log = logging.getLogger(__name__)

#: Default lattice resolution (m). 250 m keeps the Muara Enim graph under 1 M nodes
#: (measured: about 0.2 M cells over the kabupaten plus a 25 km buffer) while a cell's
#: off-road crossing stays under 2 minutes by motorbike.
DEFAULT_RESOLUTION_M = 250.0
#: Smallest positive edge time (minutes); keeps zero-length edges explicit in the CSR.
MIN_EDGE_MIN = 1e-9

#: Peak memory of :func:`build_network` per lattice grid cell (the bounding box of the
#: area, passable or not) and per directed lattice edge (8 per passable cell), in bytes.
#: Measured on the development machine (Linux x86-64, 2 cores, 24 GB; numpy 2, scipy
#: 1.1x) as the rise of the process's peak RSS (``ru_maxrss``) during
#: ``build_network(None, "motorbike", area=..., resolution_m=r)`` over a 60 km square and
#: over a 3 km wide diagonal band with the same bounding box, at r = 100, 60 and 40 m
#: (0.36 to 2.5 M grid cells, 0.2 to 18 M edges). A least-squares fit of the six runs gave
#: 35.1 bytes per grid cell and 109.3 per edge, within 12% of every run above 0.5 M edges;
#: rounded up here. Road edges are left out (few next to the lattice's at fine resolutions).
BUILD_BYTES_PER_GRID_CELL = 40
BUILD_BYTES_PER_EDGE = 110
#: Share of the available memory a job may plan to use (the rest: the notebook, the OS).
MEMORY_BUDGET_SHARE = 0.8
#: A landing farther than this (m) from every waterway is left out, with a warning: it is
#: not on a river of the layer (a jetty lies on the bank, metres from the centreline).
LANDING_MAX_OFFSET_M = 500.0
#: A landing whose own lattice cell is impassable (the river, a barrier, blocks it) joins
#: the nearest passable cell within this many cells on its own side of any barrier.
LANDING_REACH_CELLS = 2.0
#: ``Network.csr_edge`` codes: lattice edges and road connectors (recomputed by
#: :meth:`Network.with_cell_speeds`), and landing connectors (fixed: they keep the boarding
#: wait and their dry-season time). Road and waterway entries carry their edge row (>= 0).
_LATTICE_ENTRY = -1
_LANDING_ENTRY = -2


@dataclass(frozen=True)
class MemoryEstimate:
    """What a lattice over an area would hold, and the memory it would need.

    Attributes
    ----------
    grid_cells, cells, edges : int
        Cells of the grid's bounding box, passable cells (area / cell area) and directed
        lattice edges (8 per cell).
    bytes : float
        Estimated peak memory (bytes) of the job it was estimated for.
    available : float or None
        Memory available on this machine (bytes; None when it cannot be read).

    Examples
    --------
    A 10 x 10 km area at 250 m: 1,600 cells, 8 lattice edges each.

    >>> import geopandas as gpd, shapely
    >>> from geoaccess.engine.network import estimate_memory
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_580_000, 410_000, 9_590_000)], crs="EPSG:32748")
    >>> est = estimate_memory(area, 250)
    >>> est.cells, est.edges, round(est.bytes / 1e6, 1)
    (1600, 12800, 1.5)
    """

    resolution_m: float
    grid_cells: int
    cells: int
    edges: int
    bytes: float
    available: float | None

    def suggested_resolution_m(self) -> float:
        """The finest resolution (a multiple of 10 m) whose estimate fits the budget.

        Returns
        -------
        float
            Metres; the estimate's own resolution when it fits, or when the memory available
            is unknown.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_580_000, 410_000, 9_590_000)], crs="EPSG:32748")
        >>> estimate_memory(area, 250).suggested_resolution_m()  # 10 x 10 km at 250 m fits
        250.0
        """
        if not self.available:
            return self.resolution_m
        scale = np.sqrt(self.bytes / (MEMORY_BUDGET_SHARE * self.available))
        return float(np.ceil(self.resolution_m * max(scale, 1.0) / 10.0) * 10.0)


def available_memory_bytes() -> float | None:
    """Memory available to a new job (bytes): psutil if installed, else /proc/meminfo, else None."""
    try:
        import psutil

        return float(psutil.virtual_memory().available)
    except ImportError:
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:
        pass
    return None


def estimate_memory(
    area_m: gpd.GeoSeries, resolution_m: float, *, bytes_per_cell: float | None = None
) -> MemoryEstimate:
    """Estimate the peak memory of a lattice over ``area_m`` (projected, metres).

    With ``bytes_per_cell`` (per passable cell, for a whole job such as
    :func:`geoaccess.run_access`) the estimate is that figure times the cells; otherwise
    it is :func:`build_network`'s (:data:`BUILD_BYTES_PER_GRID_CELL`,
    :data:`BUILD_BYTES_PER_EDGE`).

    Parameters
    ----------
    area_m : GeoSeries
        The study area in a projected CRS (metres).
    resolution_m : float
        Lattice cell size (m).
    bytes_per_cell : float, optional
        Memory per passable cell of a whole job (e.g. :data:`geoaccess.pipeline.RUN_BYTES_PER_CELL`).

    Returns
    -------
    MemoryEstimate
        Cells, edges, the bytes needed and the bytes available.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_580_000, 410_000, 9_590_000)], crs="EPSG:32748")
    >>> est = estimate_memory(area, 250)
    >>> est.grid_cells, est.cells, est.edges
    (1681, 1600, 12800)
    """
    minx, miny, maxx, maxy = area_m.total_bounds
    grid = int(np.ceil((maxx - minx) / resolution_m + 1) * np.ceil((maxy - miny) / resolution_m + 1))
    cells = int(min(grid, np.ceil(float(area_m.union_all().area) / resolution_m**2)))
    edges = 8 * cells
    need: float
    if bytes_per_cell is None:
        need = BUILD_BYTES_PER_GRID_CELL * grid + BUILD_BYTES_PER_EDGE * edges
    else:
        need = float(bytes_per_cell) * cells
    return MemoryEstimate(float(resolution_m), grid, cells, edges, float(need), available_memory_bytes())


def check_memory(
    area_m: gpd.GeoSeries,
    resolution_m: float,
    *,
    bytes_per_cell: float | None = None,
    job: str = "build_network",
    override: str = "memory_check=False",
) -> MemoryEstimate:
    """Refuse, before anything is built, a lattice the machine has no memory for.

    Parameters
    ----------
    area_m : GeoSeries
        The study area in a projected CRS (metres).
    resolution_m : float
        Lattice cell size (m).
    bytes_per_cell : float, optional
        Memory per passable cell of the whole job (see :func:`estimate_memory`).
    job : str
        The job named in the message (``"build_network"``, ``"run_access"``).
    override : str
        How to switch the check off, named in the message.

    Returns
    -------
    MemoryEstimate
        The estimate, when it fits.

    Raises
    ------
    InsufficientMemoryError
        When the estimate (:func:`estimate_memory`) is above
        :data:`MEMORY_BUDGET_SHARE` of the memory available, with both figures, a
        resolution that fits and the override (``override``).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess.engine.network import check_memory
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_580_000, 410_000, 9_590_000)], crs="EPSG:32748")
    >>> check_memory(area, 250).cells  # 10 x 10 km at 250 m fits easily
    1600
    """
    est = estimate_memory(area_m, resolution_m, bytes_per_cell=bytes_per_cell)
    if est.available is None:
        log.info("memory available unknown; %s needs about %.1f GB", job, est.bytes / 1e9)
        return est
    if est.bytes > MEMORY_BUDGET_SHARE * est.available:
        raise InsufficientMemoryError(
            f"{job} at resolution_m={resolution_m:g} would need about {est.bytes / 1e9:.1f} GB "
            f"({est.cells:,} lattice cells, {est.edges:,} edges) but {est.available / 1e9:.1f} GB "
            f"is available (a job may plan {MEMORY_BUDGET_SHARE:.0%} of it). Use "
            f"resolution_m={est.suggested_resolution_m():g} or coarser, or a smaller area; if you "
            f"know better (memory freed elsewhere), pass {override}"
        )
    return est


@dataclass(frozen=True, eq=False)
class Network:
    """A travel-time graph ready for searching. Build it with :func:`build_network`.

    Attributes
    ----------
    graph : scipy.sparse.csr_matrix
        (n, n) travel time in minutes from row node to column node.
    node_xy : ndarray
        (n, 2) node coordinates in ``crs`` (metres).
    crs : pyproj.CRS
        The projected CRS of the graph.
    n_road_nodes : int
        Nodes ``0 .. n_road_nodes-1`` are road nodes, then waterway nodes (with
        ``waterways=``); the rest are lattice cells.
    mode : str
        ``"motorbike"``, ``"car"`` or ``"walk"``.
    road_speeds_kph : dict
        Class speeds used (km/h), for the record.
    offroad_speed_kph : float
        Off-road speed used where no raster was given (km/h).
    lattice : Lattice or None
        The off-road grid, or None for a road-only network.
    edges : DataFrame
        Road edges: ``u``, ``v`` (node ids), ``length_m``, ``road_class``, ``speed_kph``,
        ``travel_time_min``, ``oneway``, ``access_controlled``, ``toll``, ``waterway``;
        one row per directed-or-not road piece. Waterway pieces (boats) follow the road
        pieces with ``waterway=True`` and ``road_class="waterway"``.
    repair : object or None
        The :class:`geoaccess.inputs.roads.RoadRepair` report when roads were repaired.
    csr_edge : ndarray of int
        For each stored entry of ``graph`` (CSR order), the row of :attr:`edges` it
        comes from, -1 for lattice and connector entries, -2 for landing connectors
        (boarding and leaving a boat). Used by :meth:`with_edge_times` to change road
        times without a rebuild.
    barriers : GeoSeries or None
        The barrier geometries (rivers, water bodies) in ``crs``, as given to
        :func:`build_network`. No leg between a point and the graph crosses them.
    boat_speed_kph, landing_wait_min : float or None
        Default boat speed (km/h) and boarding wait (minutes) used, for the record; None
        without waterways.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> net = ga.build_network(roads, "motorbike", area=area)
    >>> net
    <geoaccess.Network mode='motorbike': 17 road nodes, lattice 4x8 at 250 m (32 passable cells), ...>
    >>> round(float(net.edges["length_m"].sum())), round(float(net.edges["travel_time_min"].sum()), 2)
    (2000, 4.8)

    The 2 km road at 25 km/h takes 4.8 minutes, split over its pieces.
    """

    graph: sp.csr_matrix = field(repr=False)
    node_xy: np.ndarray = field(repr=False)
    crs: pyproj.CRS
    n_road_nodes: int
    mode: str
    road_speeds_kph: dict[str, float]
    offroad_speed_kph: float
    lattice: Lattice | None = field(repr=False)
    edges: pd.DataFrame = field(repr=False)
    repair: Any = field(default=None, repr=False)
    csr_edge: np.ndarray | None = field(default=None, repr=False)
    _base: tuple[sp.csr_matrix, np.ndarray] | None = field(default=None, repr=False)
    barriers: gpd.GeoSeries | None = field(default=None, repr=False)
    boat_speed_kph: float | None = None
    landing_wait_min: float | None = None

    @property
    def n_nodes(self) -> int:
        """Number of graph nodes (road nodes plus lattice cells)."""
        return int(self.graph.shape[0])

    @property
    def n_cells(self) -> int:
        """Number of passable lattice cells (0 for a road-only network)."""
        return self.n_nodes - self.n_road_nodes

    @cached_property
    def graph_reversed(self) -> sp.csr_matrix:
        """The transposed graph as CSR: searching it from facilities gives time *to* them."""
        return self.graph.transpose().tocsr()

    @cached_property
    def barrier_tree(self) -> Any:
        """STRtree over the barrier geometries, or None without barriers."""
        if self.barriers is None or len(self.barriers) == 0:
            return None
        geoms = self.barriers.geometry.to_numpy()
        geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
        return shapely.STRtree(geoms) if len(geoms) else None

    @cached_property
    def cell_tree(self) -> Any:
        """KD-tree over the passable lattice cell centres (node id = index + n_road_nodes)."""
        from scipy.spatial import cKDTree

        if self.lattice is None or self.n_cells == 0:
            return None
        xy = self.node_xy[self.n_road_nodes :]
        live = self._live_cells()
        if not live.all():  # cells cut by with_cell_speeds: out of every search radius
            xy = np.where(live[:, None], xy, 1e15)
        return cKDTree(xy)

    def _cell_rc_of_nodes(self) -> tuple[np.ndarray, np.ndarray]:
        """(row, col) in the lattice grid of every lattice node as built."""
        lat = self.lattice
        assert lat is not None
        xy = self.node_xy[self.n_road_nodes :]
        rr = np.floor((lat.y0 - xy[:, 1]) / lat.resolution_m).astype(np.int64)
        cc = np.floor((xy[:, 0] - lat.x0) / lat.resolution_m).astype(np.int64)
        return rr, cc

    def _node_grid_as_built(self) -> np.ndarray:
        """(rows, cols) grid of the lattice node of each cell as built, -1 where none (cells
        cut since, e.g. flooded, keep theirs: unlike ``lattice.node_of_cell``)."""
        lat = self.lattice
        assert lat is not None
        rr, cc = self._cell_rc_of_nodes()
        built = np.full(lat.shape, -1, dtype=np.int64)
        built[rr, cc] = self.n_road_nodes + np.arange(len(rr))
        return built

    def _live_cells(self) -> np.ndarray:
        """Per lattice node: still passable (False for cells cut by :meth:`with_cell_speeds`)."""
        if self.lattice is None:
            return np.zeros(0, dtype=bool)
        rr, cc = self._cell_rc_of_nodes()
        return self.lattice.node_of_cell[rr, cc] >= 0

    @cached_property
    def _edge_tree(self) -> tuple[Any, np.ndarray] | None:
        """STRtree over the road edges points may attach to.

        Cut edges (time inf), access-controlled edges (toll roads, motorways: entered
        only at junctions) and waterway edges (boarded only at landings) are left out.
        """
        e = self.edges
        ok = np.isfinite(e["travel_time_min"].to_numpy(dtype=float))
        if "access_controlled" in e.columns:
            ok &= ~e["access_controlled"].to_numpy(dtype=bool)
        if "waterway" in e.columns:
            ok &= ~e["waterway"].to_numpy(dtype=bool)
        usable = np.flatnonzero(ok)
        if len(usable) == 0:
            return None
        a = self.node_xy[e["u"].to_numpy()[usable]]
        b = self.node_xy[e["v"].to_numpy()[usable]]
        return shapely.STRtree(shapely.linestrings(np.stack([a, b], axis=1))), usable

    def nearest_road_point(
        self, x: np.ndarray, y: np.ndarray, max_dist_m: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The nearest point on a road edge for each point.

        ``max_dist_m`` (optional) searches only that far: a point with no road within it
        gets edge -1 and distance inf. Far from the roads the unbounded search is the slow
        part (on the Muara Enim cells, 7.3 s against 1.6 s within 5 km).

        Parameters
        ----------
        x, y : ndarray
            Point coordinates in the network CRS.
        max_dist_m : float, optional
            Search radius (m); default unbounded.

        Returns
        -------
        edge : ndarray of int
            Row of :attr:`edges` (-1 when the network has no roads, or none within
            ``max_dist_m``).
        dist_m : ndarray of float
            Straight-line distance to the road (inf without one).
        frac : ndarray of float
            Position of the nearest point along the edge, 0 at ``u``, 1 at ``v``.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> edge, dist_m, frac = net.nearest_road_point([401_050.0], [9_590_300.0])
        >>> dist_m.tolist(), frac.round(2).tolist()  # 300 m from the road, 50 m into a 125 m piece
        ([300.0], [0.4])
        """
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if self._edge_tree is None:
            return np.full(len(x), -1, dtype=np.int64), np.full(len(x), np.inf), np.zeros(len(x))
        tree, usable = self._edge_tree
        edge = np.full(len(x), -1, dtype=np.int64)
        dist = np.full(len(x), np.inf)
        step = 1 << 16  # points made a chunk at a time: ~16 MB of them, not one per cell at once
        for lo in range(0, len(x), step):
            p = shapely.points(x[lo : lo + step], y[lo : lo + step])
            (pi, ei), d = tree.query_nearest(
                p, return_distance=True, all_matches=False, max_distance=max_dist_m
            )
            edge[lo + pi], dist[lo + pi] = usable[ei], d
        e = self.edges
        a = self.node_xy[e["u"].to_numpy()[edge]]
        b = self.node_xy[e["v"].to_numpy()[edge]]
        ab = b - a
        den = np.maximum((ab**2).sum(axis=1), 1e-12)
        frac = np.clip(((np.column_stack([x, y]) - a) * ab).sum(axis=1) / den, 0.0, 1.0)
        if max_dist_m is not None:
            frac[edge < 0] = 0.0
        return edge, dist, frac

    def road_points_within(
        self, x: np.ndarray, y: np.ndarray, max_m: np.ndarray | float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every usable road edge within ``max_m`` of each point, with its nearest point.

        Parameters
        ----------
        x, y : ndarray
            Point coordinates in the network CRS.
        max_m : float or ndarray
            Reach (m), one for all points or one per point.

        Returns
        -------
        point, edge, dist_m, frac : ndarray
            One row per (point, edge) pair within reach, sorted by point then distance.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> point, edge, dist_m, frac = net.road_points_within([401_050.0], [9_590_300.0], 350.0)
        >>> point.tolist(), dist_m.round(1).tolist()  # the 125 m piece below it, then its neighbours
        ([0, 0, 0, 0], [300.0, 304.1, 309.2, 347.3])
        """
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        reach = np.broadcast_to(np.asarray(max_m, dtype=float), x.shape)
        empty = np.empty(0, np.int64)
        if self._edge_tree is None or len(x) == 0:
            return empty, empty, np.empty(0), np.empty(0)
        tree, usable = self._edge_tree
        pi, ei = tree.query(shapely.points(x, y), predicate="dwithin", distance=reach)
        edge = usable[ei]
        e = self.edges
        a = self.node_xy[e["u"].to_numpy()[edge]]
        b = self.node_xy[e["v"].to_numpy()[edge]]
        ab = b - a
        p = np.column_stack([x[pi], y[pi]])
        den = np.maximum((ab**2).sum(axis=1), 1e-12)
        frac = np.clip(((p - a) * ab).sum(axis=1) / den, 0.0, 1.0)
        dist = np.hypot(*(a + frac[:, None] * ab - p).T)
        order = np.lexsort((dist, pi))
        return pi[order], edge[order], dist[order], frac[order]

    def cells(self) -> gpd.GeoDataFrame:
        """The passable lattice cells as points (cell centres) in the network CRS.

        :meth:`cell_table` with a point geometry per cell, made on each call and not kept
        by the network. At fine resolutions the points are the costly part (about 1 s and
        0.6 GB for the 2.3 million cells of Muara Enim at 100 m); code that needs no
        geometry reads :meth:`cell_table`.

        Returns
        -------
        GeoDataFrame
            A new frame indexed by graph node id, with ``row``, ``col`` and
            ``offroad_speed_kph``.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> cells = net.cells()
        >>> len(cells), bool(cells.index[0] == net.n_road_nodes), cells.columns.tolist()
        (32, True, ['row', 'col', 'offroad_speed_kph', 'geometry'])
        """
        return self.as_cell_points(self._make_cell_table())

    def cell_table(self) -> pd.DataFrame:
        """The passable lattice cells without geometry: :meth:`cells` less its points.

        Returns
        -------
        DataFrame
            A new frame indexed by graph node id (ascending), with ``row``, ``col``
            and ``offroad_speed_kph``; the cell centre of node ``n`` is
            ``network.node_xy[n]``.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> table = net.cell_table()
        >>> len(table), table.columns.tolist()
        (32, ['row', 'col', 'offroad_speed_kph'])
        >>> net.node_xy[table.index[0]].tolist()  # the centre of the upper-left cell
        [400125.0, 9590375.0]
        """
        return self._make_cell_table()

    def _make_cell_table(self) -> pd.DataFrame:
        # made anew on each call (tens of ms at 100 m), not kept: the run holds its own
        # copy with its columns, and a second one on the network would be 55 MB more
        if self.lattice is None:
            raise NetworkBuildError("this network has no off-road lattice; build it with offroad=True")
        lat = self.lattice
        rows, cols = np.nonzero(lat.node_of_cell >= 0)
        order = np.argsort(lat.node_of_cell[rows, cols])
        rows, cols = rows[order], cols[order]
        # every lattice node as built; fewer after with_cell_speeds cut some cells
        nodes = lat.node_of_cell[rows, cols]
        return pd.DataFrame(
            {"row": rows, "col": cols, "offroad_speed_kph": lat.speed_kph[rows, cols]},
            index=pd.Index(nodes, name="node"),
        )

    def as_cell_points(self, table: pd.DataFrame) -> gpd.GeoDataFrame:
        """A table of lattice cells (indexed by node id) as points at the cell centres.

        Parameters
        ----------
        table : DataFrame
            Rows indexed by lattice node id, as :meth:`cell_table` (or a run's
            ``AccessResult.cell_table``) gives them; its columns are kept.

        Returns
        -------
        GeoDataFrame
            A new frame with the same index and columns and a point geometry per row, in
            the network CRS.

        Raises
        ------
        InputValidationError
            When the table is not cells of this network (:meth:`check_cell_table`).

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> first = net.cell_table().head(2)
        >>> net.as_cell_points(first).geometry.to_wkt().tolist()
        ['POINT (400125 9590375)', 'POINT (400375 9590375)']
        """
        x, y = self.cell_xy(table)
        return gpd.GeoDataFrame(table.copy(), geometry=shapely.points(x, y), crs=self.crs)

    def check_cell_table(self, table: Any, argument: str = "table") -> None:
        """Raise unless ``table`` holds lattice cells of this network: a frame indexed by
        unique node ids whose ``row`` and ``col`` are those cells' places in the grid.

        The index alone could be another network's (the same ids number other cells
        when the road nodes differ) or a plain 0..n index; ``row`` and ``col`` tie each
        id to its cell. Cells cut since the build (flooded, :meth:`with_cell_speeds`)
        keep their node and place, so a dry run's table passes on its flooded network.

        Parameters
        ----------
        table : DataFrame
            As :meth:`cell_table` (or a run's ``cell_table``) gives it, any subset.
        argument : str
            The argument name the error message names.

        Returns
        -------
        None

        Raises
        ------
        InputValidationError
            Naming what is wrong and how to fix it.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> net.check_cell_table(net.cell_table())  # its own cells: fine
        >>> net.check_cell_table(net.cell_table().reset_index(drop=True))
        Traceback (most recent call last):
        ...
        geoaccess.exceptions.InputValidationError: invalid `table`: 32 rows are not lattice cells ...
        """
        fix = (
            "pass points as a GeoDataFrame, or lattice cells of this network as "
            "Network.cell_table() / a run's cell_table gives them (indexed by node id, with row and col)"
        )
        if not isinstance(table, pd.DataFrame) or not {"row", "col"} <= set(table.columns):
            raise InputValidationError(
                f"expected a cell table (columns row and col); {fix}", argument=argument
            )
        nodes = table.index.to_numpy()
        if len(nodes) == 0:
            return
        if not table.index.is_unique:
            raise InputValidationError(f"the cell table repeats node ids; {fix}", argument=argument)
        ok = np.zeros(len(nodes), dtype=bool)
        if self.lattice is not None and np.issubdtype(nodes.dtype, np.integer):
            inside = (nodes >= self.n_road_nodes) & (nodes < self.n_nodes)
            rr, cc = self._cell_rc_of_nodes()
            at = np.where(inside, nodes - self.n_road_nodes, 0)
            ok = inside & (rr[at] == table["row"].to_numpy()) & (cc[at] == table["col"].to_numpy())
        if not ok.all():
            bad = table.index[~ok][:5].tolist()
            raise InputValidationError(
                f"{int((~ok).sum())} rows are not lattice cells of this network (node ids with their "
                f"row and col, e.g. {bad}); {fix}",
                argument=argument,
            )

    def cell_xy(self, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """The centres of a table of this network's lattice cells (indexed by node id).

        Parameters
        ----------
        table : DataFrame
            Rows indexed by lattice node id (:meth:`cell_table`, a run's ``cell_table``).

        Returns
        -------
        x, y : ndarray of float
            Cell-centre coordinates in the network CRS, in the table's row order.

        Raises
        ------
        InputValidationError
            When the table is not cells of this network (:meth:`check_cell_table`).

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> x, y = net.cell_xy(net.cell_table().tail(1))  # the lower-right cell of 250 m
        >>> x.tolist(), y.tolist()
        ([401875.0], [9589625.0])
        """
        self.check_cell_table(table)
        nodes = table.index.to_numpy()
        xy = self.node_xy[nodes.astype(np.int64)]
        return xy[:, 0].copy(), xy[:, 1].copy()

    def road_km(self, within: Any = None) -> float:
        """Kilometres of mapped road the searches can use (waterways and cut pieces left
        out), optionally only the pieces whose midpoint lies in a polygon.

        Parameters
        ----------
        within : shapely geometry, optional
            A polygon in the network's CRS; default: every piece of the network.

        Returns
        -------
        float
            Road length (km); 0.0 for a network on the off-road grid alone.

        Examples
        --------
        A 2 km road, 1.5 km of it inside a 1.5 x 1 km box (the pieces are cut at the
        250 m cells, so the midpoint rule is exact here):

        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> net.road_km(), net.road_km(shapely.box(400_000, 9_589_500, 401_500, 9_590_500))
        (2.0, 1.5)
        >>> ga.build_network(None, "car", area=area).road_km()  # the off-road grid alone
        0.0
        """
        e = self.edges
        if len(e) == 0:
            return 0.0
        ok = np.isfinite(e["travel_time_min"].to_numpy(dtype=float))
        if "waterway" in e.columns:
            ok &= ~e["waterway"].to_numpy(dtype=bool)
        if within is not None:
            mid = (self.node_xy[e["u"].to_numpy()] + self.node_xy[e["v"].to_numpy()]) / 2.0
            ok &= shapely.contains_xy(within, mid[:, 0], mid[:, 1])
        return float(e["length_m"].to_numpy(dtype=float)[ok].sum() / 1000.0)

    def components(self) -> tuple[int, float]:
        """Number of weakly connected components and the share of nodes in the largest.

        Returns
        -------
        n_components : int
            Weakly connected components of the graph.
        largest_share : float
            Share of the nodes in the largest one (1.0: everything is connected).

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> net.components()
        (1, 1.0)
        """
        n, labels = connected_components(self.graph, directed=True, connection="weak")
        largest = np.bincount(labels).max() / max(len(labels), 1)
        return int(n), float(largest)

    def _as_built(self) -> tuple[sp.csr_matrix, np.ndarray]:
        """The graph as built and its per-entry edge index: scenarios always start from it."""
        if self._base is not None:
            return self._base
        if self.csr_edge is not None:
            return self.graph, self.csr_edge
        raise NetworkBuildError("this network has no edge index; build it with build_network()")

    def with_edge_times(self, edge_times_min: Any) -> Network:
        """A copy with new road-edge travel times; no rebuild of the graph.

        Parameters
        ----------
        edge_times_min : array-like or Series
            One time (minutes) per row of :attr:`edges`; ``np.inf`` cuts the edge (a
            flooded road). Lattice and connector edges keep their times.

        Returns
        -------
        Network
            A new network; this one is unchanged. Times always apply to the network as
            built, so a cut edge can be restored by a later call.

        Notes
        -----
        Where two parallel entries joined the same pair of nodes, the graph kept the
        faster one when it was built; slowing that one does not bring back the other.
        Cut edges are also left out when homes and facilities are attached to the
        nearest road.

        Examples
        --------
        Cut one 125 m piece of the road: the trip from its west end detours off road around the
        cut (10 km/h instead of 25).

        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> times = net.edges["travel_time_min"].copy()
        >>> times.iloc[10] = float("inf")  # one piece of the 16
        >>> cut = net.with_edge_times(times)
        >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
        ...     geometry=[shapely.Point(402_000, 9_590_000)])
        >>> home = gpd.GeoDataFrame(geometry=[shapely.Point(400_000, 9_590_000)], crs="EPSG:32748")
        >>> [round(float(ga.travel_time(n, home, pkm)["travel_time_min"].iloc[0]), 2) for n in (net, cut)]
        [4.8, 6.31]
        """
        t = np.asarray(edge_times_min, dtype=float)
        if t.shape != (len(self.edges),):
            raise InputValidationError(
                f"needs one time per road edge ({len(self.edges)}), got shape {t.shape}",
                argument="edge_times_min",
            )
        if np.isnan(t).any() or (t < 0).any():
            raise InputValidationError("times must be >= 0 (np.inf cuts an edge)", argument="edge_times_min")
        base_graph, base_edge = self._as_built()
        data = base_graph.data.copy()
        k = np.arange(base_graph.indptr[self.n_road_nodes])  # road entries join road nodes only
        k = k[base_edge[k] >= 0]
        data[k] = np.maximum(t[base_edge[k]], MIN_EDGE_MIN)
        g = sp.csr_matrix((data, base_graph.indices, base_graph.indptr), shape=base_graph.shape)
        g, csr_edge = _without_cut(g, base_edge)  # the structure is shared, never modified
        edges = self.edges.copy()
        edges["travel_time_min"] = t
        return Network(
            graph=g,
            node_xy=self.node_xy,
            crs=self.crs,
            n_road_nodes=self.n_road_nodes,
            mode=self.mode,
            road_speeds_kph=self.road_speeds_kph,
            offroad_speed_kph=self.offroad_speed_kph,
            lattice=self.lattice,
            edges=edges,
            repair=self.repair,
            csr_edge=csr_edge,
            _base=(base_graph, base_edge),
            barriers=self.barriers,
            boat_speed_kph=self.boat_speed_kph,
            landing_wait_min=self.landing_wait_min,
        )

    def with_cell_speeds(self, speed_kph: Any) -> Network:
        """A copy with new off-road speeds per lattice cell; no rebuild of the graph.

        Lattice edges (half the step at each cell's speed, as :func:`build_network`
        computes them) and connectors (road node to its cell, at the cell's speed) are
        recomputed on a copy of the graph's data; its structure is kept. Road edges keep
        their current times (see :meth:`with_edge_times`).

        Parameters
        ----------
        speed_kph : array-like
            (rows, cols) off-road speed (km/h) of every cell of :attr:`lattice`, e.g.
            ``network.lattice.speed_kph * factor`` (the flood season,
            :func:`geoaccess.flood_network`). 0 cuts a cell: its lattice edges and
            connectors are dropped, as are diagonal steps that would cut its corner (no
            passable cell left beside them), and points no longer join it.

        Returns
        -------
        Network
            A new network with the same node ids; this one is unchanged. Speeds always
            apply to the lattice as built: a cut cell is restored by a later call, cells
            impassable when built stay impassable, and a later :meth:`with_edge_times`
            keeps these cell speeds. Landing connectors (boats) keep their time: a
            landing into a cut cell leads nowhere, one into a slowed cell keeps its
            dry-season leg (tens of metres) and its boarding wait.

        Examples
        --------
        Halve the off-road speed everywhere (a wet season):

        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> wet = net.with_cell_speeds(net.lattice.speed_kph * 0.5)
        >>> pkm = gpd.GeoDataFrame({"facility_id": ["P1"]}, crs="EPSG:32748",
        ...     geometry=[shapely.Point(402_000, 9_590_000)])
        >>> dry_max = ga.cell_travel_time(net, pkm)["travel_time_min"].max()
        >>> wet_max = ga.cell_travel_time(wet, pkm)["travel_time_min"].max()
        >>> round(float(dry_max), 2), round(float(wet_max), 2)
        (8.25, 12.0)
        """
        lat = self.lattice
        if lat is None:
            raise NetworkBuildError("this network has no off-road lattice; build it with offroad=True")
        s = np.asarray(speed_kph, dtype=float)
        if s.shape != lat.shape:
            raise InputValidationError(
                f"needs one speed per lattice cell, shape {lat.shape}, got {s.shape}", argument="speed_kph"
            )
        if not np.isfinite(s).all() or (s < 0).any():
            raise InputValidationError("speeds must be finite and >= 0 (0 cuts a cell)", argument="speed_kph")
        base_graph, base_edge = self._as_built()
        n_road = self.n_road_nodes
        rr, cc = self._cell_rc_of_nodes()
        built = self._node_grid_as_built()
        sv = s[rr, cc]
        live = sv > 0
        node_of_cell = np.where(s > 0, built, -1)
        m_per_min = np.zeros(self.n_nodes)
        m_per_min[n_road:] = sv * KPH_TO_M_PER_MIN

        # The base holds every lattice entry at the speeds of self.lattice (inf = cut):
        # only the entries of cells whose speed changed are recomputed, with those of
        # their 8 neighbours (the steps into a changed cell, and the diagonals whose
        # corner it is); the others keep their time. Same values as a full recompute.
        changed = sv != lat.speed_kph[rr, cc]
        grid = np.zeros((lat.shape[0] + 2, lat.shape[1] + 2), dtype=bool)
        grid[rr[changed] + 1, cc[changed] + 1] = True
        near = np.zeros(lat.shape, dtype=bool)
        for r0 in (0, 1, 2):
            for c0 in (0, 1, 2):
                near |= grid[r0 : r0 + lat.shape[0], c0 : c0 + lat.shape[1]]
        nodes = built[near & (built >= 0)]  # row-major: increasing node id
        indptr = base_graph.indptr
        start, count = indptr[nodes], indptr[nodes + 1] - indptr[nodes]
        row = np.repeat(nodes, count)
        i = np.arange(len(row)) + np.repeat(start - (np.cumsum(count) - count), count)
        col = base_graph.indices[i].astype(np.int64)
        # road rows: the connectors into a changed cell (landing connectors keep their time)
        k = np.arange(indptr[n_road])
        road_col = base_graph.indices[k].astype(np.int64)
        into = (base_edge[k] == _LATTICE_ENTRY) & (road_col >= n_road)
        into[into] = changed[road_col[into] - n_road]
        k = k[into]
        road_row = np.searchsorted(indptr, k, side="right") - 1

        data = base_graph.data.copy()
        other = base_edge[i] == _LATTICE_ENTRY  # landing connectors keep their time
        both = other & (col >= n_road)
        # lattice entries: the step as build_lattice takes it, half at each cell's speed
        a, b = row[both] - n_road, col[both] - n_road
        dr, dc = rr[b] - rr[a], cc[b] - cc[a]
        diag = (dr != 0) & (dc != 0)
        step = lat.resolution_m * np.where(diag, np.sqrt(2.0), 1.0)
        ok = live[a] & live[b]
        # a diagonal step needs one of the two cells sharing its corner passable
        corner = (node_of_cell[rr[a], cc[b]] >= 0) | (node_of_cell[rr[b], cc[a]] >= 0)
        ok &= ~diag | corner
        with np.errstate(divide="ignore"):
            w = 0.5 * step / m_per_min[row[both]] + 0.5 * step / m_per_min[col[both]]
        data[i[both]] = np.where(ok, np.maximum(w, MIN_EDGE_MIN), np.inf)
        # connectors (cell -> road in the cells' rows, road -> cell in the road rows):
        # straight distance at the cell's speed
        j = np.concatenate([i[other & ~both], k])
        cell = np.concatenate([row[other & ~both], road_col[into]])
        road = np.concatenate([col[other & ~both], road_row])
        d = np.hypot(*(self.node_xy[road] - self.node_xy[cell]).T)
        with np.errstate(divide="ignore"):
            t = d / m_per_min[cell]
        data[j] = np.where(live[cell - n_road], np.maximum(t, MIN_EDGE_MIN), np.inf)
        # road entries (they join road and waterway nodes only): the current road times
        k = np.arange(indptr[n_road])
        k = k[base_edge[k] >= 0]
        times = self.edges["travel_time_min"].to_numpy(dtype=float)
        data[k] = np.maximum(times[base_edge[k]], MIN_EDGE_MIN)
        # the base keeps every entry (inf = cut), so later calls can restore them; it
        # shares its (never modified) structure with the base it came from
        g = sp.csr_matrix((data, base_graph.indices, base_graph.indptr), shape=base_graph.shape)
        out, csr_edge = _without_cut(g, base_edge)
        new_lat = Lattice(lat.x0, lat.y0, lat.resolution_m, lat.shape, node_of_cell, s.copy())
        return Network(
            graph=out,
            node_xy=self.node_xy,
            crs=self.crs,
            n_road_nodes=n_road,
            mode=self.mode,
            road_speeds_kph=self.road_speeds_kph,
            offroad_speed_kph=self.offroad_speed_kph,
            lattice=new_lat,
            edges=self.edges.copy(),
            repair=self.repair,
            csr_edge=csr_edge,
            _base=(g, base_edge),
            barriers=self.barriers,
            boat_speed_kph=self.boat_speed_kph,
            landing_wait_min=self.landing_wait_min,
        )

    def road_edges_gdf(self, *, waterways: bool = False) -> gpd.GeoDataFrame:
        """Road edges as straight-segment lines in the network CRS (for maps and checks).

        Waterway pieces (``edges.waterway``) are left out unless ``waterways=True``; the
        frame keeps the row numbers of :attr:`edges` as its index.

        Parameters
        ----------
        waterways : bool
            Also return the waterway pieces.

        Returns
        -------
        GeoDataFrame
            :attr:`edges` with LineString geometry.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> lines = net.road_edges_gdf()
        >>> len(lines), round(float(lines.length.sum()))
        (16, 2000)
        """
        e = self.edges
        if not waterways and "waterway" in e.columns:
            e = e[~e["waterway"].to_numpy(dtype=bool)]
        a, b = self.node_xy[e["u"].to_numpy()], self.node_xy[e["v"].to_numpy()]
        geom = shapely.linestrings(np.stack([a, b], axis=1))
        return gpd.GeoDataFrame(e.copy(), geometry=geom, crs=self.crs)

    def __repr__(self) -> str:
        lat = (
            f"lattice {self.lattice.shape[0]}x{self.lattice.shape[1]} at {self.lattice.resolution_m:g} m "
            f"({self.n_cells:,} passable cells)"
            if self.lattice is not None
            else "no lattice (road-only)"
        )
        n_water = int(self.edges["waterway"].sum()) if "waterway" in self.edges.columns else 0
        boats = f", {n_water:,} waterway pieces" if n_water else ""
        return (
            f"<geoaccess.Network mode={self.mode!r}: {self.n_road_nodes:,} road nodes{boats}, {lat}, "
            f"{self.graph.nnz:,} directed edges, crs={self.crs.to_string()}>"
        )


def share_structure(net: Network, like: Network) -> Network:
    """``net`` holding ``like``'s arrays wherever the two are equal: one copy in memory.

    Two networks of the same roads, area and lattice in two modes (the household's and
    the referral leg's) differ only in their times; their graph layout (CSR indices and
    row pointers), entry-to-edge index, node coordinates and lattice node numbers are
    equal, and at 100 m over Muara Enim weigh about 230 MB. Each array is compared and
    taken from ``like`` only when equal, so the figures cannot change; arrays that
    differ (a mode without toll roads) stay ``net``'s own. The arrays are never written
    in place by geoaccess (scenarios and :meth:`Network.with_cell_speeds` make new ones).

    Parameters
    ----------
    net : Network
        The network to slim.
    like : Network
        The network whose arrays to share (unchanged).

    Returns
    -------
    Network
        A new network equal to ``net`` in every value.

    Examples
    --------
    >>> import geopandas as gpd, numpy as np, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> bike = ga.build_network(roads, "motorbike", area=area)
    >>> car = share_structure(ga.build_network(roads, "car", area=area), bike)
    >>> np.shares_memory(car.graph.indices, bike.graph.indices)  # one layout in memory
    True
    >>> np.shares_memory(car.graph.data, bike.graph.data)  # the times are the car's own
    False
    >>> float(car.graph.data.sum()) > float(bike.graph.data.sum())  # cars are slower off road
    True
    """
    g, lg = net.graph, like.graph
    same_layout = (
        g.shape == lg.shape
        and g.indptr.dtype == lg.indptr.dtype
        and g.indices.dtype == lg.indices.dtype
        and np.array_equal(g.indptr, lg.indptr)
        and np.array_equal(g.indices, lg.indices)
    )
    if same_layout:
        g = sp.csr_matrix((g.data, lg.indices, lg.indptr), shape=g.shape, copy=False)
        if g.has_sorted_indices is not lg.has_sorted_indices:
            g.has_sorted_indices = lg.has_sorted_indices

    def same(a: Any, b: Any) -> bool:
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and a.shape == b.shape
            and bool(np.array_equal(a, b))
        )

    lattice = net.lattice
    other = like.lattice
    if lattice is not None and other is not None and same(lattice.node_of_cell, other.node_of_cell):
        lattice = dataclasses.replace(lattice, node_of_cell=other.node_of_cell)
    return dataclasses.replace(
        net,
        graph=g,
        node_xy=like.node_xy if same(net.node_xy, like.node_xy) else net.node_xy,
        csr_edge=like.csr_edge if same_layout and same(net.csr_edge, like.csr_edge) else net.csr_edge,
        lattice=lattice,
    )


def _as_road_layer(roads: Any, read_kwargs: Mapping[str, Any]) -> gpd.GeoDataFrame:
    """Turn any accepted road input into the standard road layer.

    Every input, a layer that already has ``road_class`` included, goes through
    :func:`geoaccess.inputs.roads.read_roads`, so one-way values, access control, toll flags and
    degenerate lines are read the same way whatever the source.
    """
    from ..inputs.roads import read_roads

    return read_roads(roads, **dict(read_kwargs))


def _is_osm_source(roads: Any) -> bool:
    """True for OpenStreetMap files and osmnx/networkx graphs."""
    if isinstance(roads, str | os.PathLike):
        name = os.fspath(roads).lower()
        return name.endswith((".osm", ".osm.bz2", ".osm.xml", ".osm.pbf", ".pbf"))
    if isinstance(roads, pd.DataFrame):  # read_roads marks OSM layers; raw ones keep their tags
        return roads.attrs.get("geoaccess_source") == "osm" or bool({"osmid", "highway"} & set(roads.columns))
    return hasattr(roads, "edges") and hasattr(roads, "nodes")


def _segments(roads: gpd.GeoDataFrame, max_edge_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut lines into straight pieces no longer than ``max_edge_m``.

    Returns start and end coordinates (k, 2) and the source row position of each piece.
    """
    geoms = shapely.segmentize(roads.geometry.to_numpy(), max_edge_m)
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    same = idx[1:] == idx[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    keep = np.any(a != b, axis=1)
    return a[keep], b[keep], idx[:-1][same][keep]


def _node_ids(points: np.ndarray, precision_m: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """Merge coordinates equal at ``precision_m`` into nodes: (unique xy, inverse index)."""
    key = np.round(points / precision_m).astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return points[first], inverse.ravel()


def _to_geoseries(obj: Any, name: str, crs: pyproj.CRS) -> gpd.GeoSeries:
    """``obj`` (a layer, or a bare shapely geometry in EPSG:4326) as a GeoSeries in ``crs``.

    Refuses layers without a CRS, empty layers, coordinates that cannot be in a
    geographic CRS (metres passed as lon/lat), and for ``area`` anything without a
    surface (points, lines): each with the fix.
    """
    if isinstance(obj, gpd.GeoDataFrame | gpd.GeoSeries):
        if obj.crs is None:
            raise CRSError("it has no CRS; set one with .set_crs(...)", argument=name)
        geo = gpd.GeoSeries(obj.geometry, crs=obj.crs)
        how = f"its CRS is {obj.crs.name}"
    elif isinstance(obj, shapely.Geometry):
        geo = gpd.GeoSeries([obj], crs="EPSG:4326")
        how = "a bare shapely geometry is read as EPSG:4326 (longitude, latitude)"
    else:
        raise InputValidationError(
            f"expected a GeoDataFrame, GeoSeries or shapely geometry in EPSG:4326, got {type(obj).__name__}",
            argument=name,
        )
    geo = geo[~(geo.isna() | geo.is_empty)]
    if len(geo) == 0:
        raise EmptyInputError(
            "it holds no geometry; pass the study area (e.g. the kabupaten polygon buffered by 25 km)",
            argument=name,
        )
    minx, miny, maxx, maxy = geo.total_bounds
    if geo.crs.is_geographic and not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
        raise CRSError(
            f"{how}, but its coordinates reach ({minx:.6g}, {miny:.6g})-({maxx:.6g}, {maxy:.6g}), "
            "impossible for longitude/latitude: they look like metres. Pass it with its CRS, "
            "e.g. gpd.GeoSeries([area], crs='EPSG:32748') (UTM 48S) or area_gdf.set_crs(...)",
            argument=name,
        )
    if name == "area" and float(geo.to_crs(crs).union_all().area) <= 0:
        raise InputValidationError(
            f"it has no surface (geometry types {sorted(set(geo.geom_type))}); the lattice needs a "
            "polygon, e.g. the kabupaten boundary buffered by 25 km, or point.buffer(...) around a point "
            "in a projected CRS",
            argument=name,
        )
    return geo.to_crs(crs)


def build_network(
    roads: Any = None,
    mode: str = "motorbike",
    *,
    area: Any = None,
    offroad: bool = True,
    resolution_m: float = DEFAULT_RESOLUTION_M,
    speeds_kph: Mapping[str, float] | None = None,
    offroad_speed_kph: float | None = None,
    offroad_speed_raster: Any = None,
    landcover: Any = None,
    landcover_speeds_kph: Mapping[int, float] | None = None,
    barriers: Any = None,
    repair: bool = True,
    snap_tolerance_m: float = 5.0,
    node_crossings: bool | None = None,
    max_edge_m: float | None = None,
    crs: Any = None,
    read_kwargs: Mapping[str, Any] | None = None,
    motorbike_on_toll: bool = False,
    max_speed_kph: float | None = None,
    memory_check: bool = True,
    waterways: Any = None,
    boat_speed_kph: float | str | None = None,
    landings: Any = None,
    landing_wait_min: float | None = None,
) -> Network:
    """Build the travel-time graph once, for one mode of travel.

    Parameters
    ----------
    roads : GeoDataFrame, path, osmnx graph or None
        Road lines. Every input goes through :func:`geoaccess.inputs.roads.read_roads` (a
        GeoDataFrame with a ``road_class`` column too, so its one-way, toll and geometry
        values are checked like any other; files, OSM ``.osm``/``.osm.bz2``/``.osm.pbf``,
        osmnx graphs, other class columns; pass its options in ``read_kwargs``). ``None``
        builds an off-road lattice only.
    mode : {"motorbike", "car", "walk"}
        Travel mode; selects the speed tables in :mod:`geoaccess.engine.speeds`. Default
        motorbike: most rural Indonesians reach a puskesmas by motorbike.
    area : GeoDataFrame, GeoSeries or shapely geometry (EPSG:4326), optional
        The study area the lattice covers (e.g. the kabupaten plus a buffer). Required
        when ``offroad=True``.
    offroad : bool
        Add the off-road lattice (default). ``False`` gives a road-only network.
    resolution_m : float
        Lattice cell size in metres (100 to 500 m is sensible; default 250 m).
    speeds_kph : dict, optional
        ``{road_class: km/h}`` overriding the class speeds of the mode. A road line's
        own ``speed_kph`` (e.g. OSM ``maxspeed``) overrides its class speed for motorbike
        and car, never for walking, and never where the class speed is 0 (a class the
        mode cannot use). One-way roads are one-way for vehicles only.
    offroad_speed_kph : float, optional
        Off-road speed; default :data:`geoaccess.engine.speeds.OFFROAD_SPEED_KPH` for the mode.
    offroad_speed_raster : path or rasterio dataset, optional
        GeoTIFF of off-road speed in km/h (0 or nodata = impassable), averaged onto the lattice.
    landcover : path or rasterio dataset, optional
        Categorical land-cover GeoTIFF; with ``landcover_speeds_kph={class: km/h}``.
    barriers : GeoDataFrame, optional
        Water bodies or rivers: every lattice cell they touch is impassable (roads still
        cross them on their bridges).
    repair : bool
        Node crossing lines and snap near-miss ends (:func:`geoaccess.inputs.roads.repair_roads`);
        the report is kept in ``Network.repair``.
    snap_tolerance_m : float
        Snap tolerance for the repair (m).
    node_crossings : bool, optional
        Split lines where they cross without a shared vertex. Default: ``True`` for
        GIS layers (RBI, the national layer: crossings there are junctions) and
        ``False`` for OpenStreetMap files, osmnx graphs and layers with an ``osmid`` or
        ``highway`` column, where junctions share a node and a crossing without one is
        a bridge or tunnel.
    max_edge_m : float, optional
        Longest road piece (m). Default: half the lattice resolution (so every cell a
        road crosses holds a road node), or 100 m for a road-only network.
    crs : CRS-like, optional
        Projected CRS to work in; default the UTM zone of the data.
    read_kwargs : dict, optional
        Extra arguments for :func:`geoaccess.inputs.roads.read_roads`.
    motorbike_on_toll : bool, default False
        Let motorbikes use toll roads (``toll`` lines of the road layer). By default they
        may not: PP 15/2005 *tentang Jalan Tol* Pasal 38 ayat (1) reserves toll roads for
        vehicles with four or more wheels, and PP 44/2009 allows two-wheelers only on a
        separate, physically divided lane (ayat 1a); set ``True`` where such a lane
        exists. Toll roads are always closed to walking (see
        :func:`geoaccess.engine.speeds.access_rules`).
    max_speed_kph : float, optional
        Raise (or lower) the bound every speed of this network is checked against: class
        speeds, the off-road speed, the road layer's ``speed_kph`` column, a speed raster
        and ``landcover_speeds_kph``. By default :data:`geoaccess.engine.speeds.MAX_ROAD_SPEED_KPH`
        and :data:`~geoaccess.engine.speeds.MAX_OFFROAD_SPEED_KPH` per mode (car 120 / 30,
        motorbike 100 / 30, walk 7 / 6 km/h; sources in :mod:`geoaccess.engine.speeds`), so a
        typo such as 450 for 45 km/h is refused rather than giving near-zero trips.
    memory_check : bool, default True
        Estimate the memory the lattice needs (:func:`check_memory`) and refuse, before
        building, when it exceeds what the machine has available. ``False`` builds anyway.
    waterways : GeoDataFrame or GeoSeries of lines, optional
        Rivers and canals navigable by boat (ketek, speedboat), with a CRS. Each line is
        cut into pieces of at most ``max_edge_m`` that become graph edges both ways, on
        their own nodes (a river never joins a road where the two cross). Optional column
        ``speed_kph``: the boat speed of that reach (NaN: ``boat_speed_kph``; 0: no boat
        service, the reach is left out). Optional column ``upstream_speed_kph``, where the
        flow direction is known: the line is then read as drawn downstream (as OSM draws
        ``waterway=river|canal``), ``speed_kph`` is the speed with the flow and
        ``upstream_speed_kph`` against it (NaN: the same both ways; 0: no boat upstream).
        See "Boats" below.
    boat_speed_kph : float or {"ketek", "speedboat"}, optional
        Boat speed (km/h) for reaches without their own; default
        :data:`geoaccess.engine.speeds.DEFAULT_BOAT_SPEED_KPH` (ketek, 8 km/h, an
        assumption; sources and bound in :mod:`geoaccess.engine.speeds`, "Boats").
    landings : GeoDataFrame or GeoSeries of points, optional
        Landings (dermaga), with a CRS: the only places to board and leave a boat. Each
        is joined to the nearest point of the nearest waterway (within
        :data:`LANDING_MAX_OFFSET_M`; the waterway is cut there) and, on land, to the
        lattice cell it lies in (or, when the river blocks that cell, the nearest
        passable cell within :data:`LANDING_REACH_CELLS` cells whose straight leg crosses
        no barrier) and to the nearest road node within ``resolution_m`` (same rule), at
        the off-road speed. Without ``landings``, every waterway node in a passable
        lattice cell is a landing (so none when the waterways are also ``barriers=``:
        pass landings then).
    landing_wait_min : float, optional
        Minutes waited on boarding (the land-to-boat connector; none on leaving);
        default :data:`geoaccess.engine.speeds.LANDING_WAIT_MIN` (15 min, an assumption).

    Returns
    -------
    Network

    Raises
    ------
    InputValidationError
        On a bad mode, resolution, speed (not a number, infinite, negative or above its
        bound) or a missing, empty or point area.
    CRSError
        On an area without a CRS or with coordinates impossible for its CRS.
    InsufficientMemoryError
        When the lattice would not fit in memory (the message suggests a resolution).
    NetworkBuildError
        If nothing routable is left (no road usable by the mode and no lattice).

    Notes
    -----
    Access-controlled roads (``access_controlled`` lines: jalan tol, motorways,
    ``motorroad=yes``; see :func:`geoaccess.inputs.roads.read_roads`) are entered and left only
    at junctions with ordinary roads: their nodes get no connector to the lattice unless
    an ordinary road meets them there, and homes and facilities never attach to them
    (:meth:`Network.nearest_road_point` skips them). ``Network.edges`` carries the
    ``access_controlled`` and ``toll`` flags of each edge.

    **Boats.** Boats are a way of travel of their own that any household can take: one
    search finds the fastest trip over road, off-road and boat legs together, so a river
    village's time is by road, by boat or both, whichever is faster. A boat trip is:
    to a landing over land, the boarding wait, the waterway at the boat speed, off at
    another landing (no wait), on over land. There is no way on or off a boat between
    landings, homes and facilities never attach to a waterway edge
    (:meth:`Network.nearest_road_point` skips them), and the network's mode is kept on
    land after the boat (a motorbike rides on; run the walk network for households
    without one). Pass the same river layer as ``barriers=`` so the lattice cannot
    cross it: the boat, or a road bridge, is then the way across. Boats run at the same
    speed both ways (no current) and at any hour; the flood season
    (:func:`geoaccess.flood_network`) leaves them alone.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]},
    ...     geometry=[shapely.LineString([(0, 0), (1000, 0)])], crs="EPSG:32748")
    >>> net = build_network(roads, "car", offroad=False)
    >>> round(float(net.graph.data.sum() / 2), 3)  # 1 km at 20 km/h, cut in 100 m pieces
    3.0
    """
    class_speeds, offroad_speed_kph = _check_build_arguments(
        roads,
        mode,
        area,
        offroad,
        resolution_m,
        snap_tolerance_m,
        speeds_kph,
        offroad_speed_kph,
        max_speed_kph=max_speed_kph,
        offroad_speed_raster=offroad_speed_raster,
        landcover_speeds_kph=landcover_speeds_kph,
    )
    if node_crossings is None:
        node_crossings = not _is_osm_source(roads)
    layer = _as_road_layer(roads, read_kwargs or {}) if roads is not None else None
    crs = _working_crs(layer, area, crs)
    if layer is not None:
        _check_layer_speeds(layer, mode, class_speeds, motorbike_on_toll, max_speed_kph)
    area_m = _to_geoseries(area, "area", crs) if offroad else None
    if area_m is not None and memory_check:
        check_memory(area_m, float(resolution_m))
    report = None
    if layer is not None:
        layer = layer.to_crs(crs)
        if repair:
            from ..inputs.roads import repair_roads

            layer, report = repair_roads(
                layer, snap_tolerance_m=snap_tolerance_m, node_crossings=node_crossings
            )
    if max_edge_m is None:
        max_edge_m = resolution_m / 2.0 if offroad else 100.0
    check_number(max_edge_m, "max_edge_m", unit="m")

    road_xy, edges = road_edges(layer, mode, class_speeds, max_edge_m, motorbike_on_toll=motorbike_on_toll)
    road_only_edges = edges
    barriers_m = _to_geoseries(barriers, "barriers", crs) if barriers is not None else None
    boat_kph = wait = None
    if waterways is not None:
        boat_kph = _speeds.boat_speed(boat_speed_kph, max_speed_kph=max_speed_kph)
        wait = _speeds.LANDING_WAIT_MIN if landing_wait_min is None else landing_wait_min
        wait = check_number(wait, "landing_wait_min", allow_zero=True, unit="min")
        if landings is None and not offroad:
            raise InputValidationError(
                "a road-only network (offroad=False) has no lattice cells for boats to land on: "
                "pass landings= (the dermaga, as points)",
                argument="landings",
            )
        water_xy, water_edges, land_xy, land_node = _waterway_edges(
            waterways, landings, crs, boat_kph, max_speed_kph, float(max_edge_m), len(road_xy)
        )
        edges = pd.concat([edges, water_edges], ignore_index=True)
        road_xy_all = np.vstack([road_xy, water_xy])
    elif landings is not None:
        raise InputValidationError(
            "landings= needs waterways= (the rivers the boats run on)", argument="landings"
        )
    else:
        road_xy_all = road_xy
    parts = [_road_entries(edges)]
    lattice = None
    lattice_csr: _LatticeCSR | None = None
    node_xy = road_xy_all
    if offroad:
        lattice, cell_xy, l_counts, l_cols, l_minutes = build_lattice_csr(
            area_m,
            float(resolution_m),
            crs,
            offroad_speed_kph,
            offroad_speed_raster,
            landcover,
            landcover_speeds_kph,
            barriers_m,
            len(road_xy_all),
        )
        node_xy = np.vstack([road_xy_all, cell_xy])
        del cell_xy
        lattice_csr = (len(road_xy_all), l_counts, l_cols, l_minutes)
        del l_counts, l_cols, l_minutes
        parts.append(_connector_entries(road_only_edges, node_xy, len(road_xy), lattice))
    if waterways is not None:
        assert wait is not None
        parts.append(
            _landing_entries(
                land_xy,
                land_node,
                np.arange(len(road_xy), len(road_xy_all)),
                node_xy,
                road_only_edges,
                len(road_xy),
                lattice,
                barriers_m,
                float(offroad_speed_kph),
                wait,
                float(resolution_m),
            )
        )
    if len(node_xy) == 0:
        raise NetworkBuildError("the network is empty: no road nodes and no passable lattice cell")
    graph, src = _assemble_csr(parts, len(node_xy), lattice_csr)
    del parts, lattice_csr
    net = Network(
        graph=graph,
        node_xy=node_xy,
        crs=crs,
        n_road_nodes=len(road_xy_all),
        mode=mode,
        road_speeds_kph=class_speeds,
        offroad_speed_kph=float(offroad_speed_kph),
        lattice=lattice,
        edges=edges,
        repair=report,
        csr_edge=src,
        barriers=barriers_m,
        boat_speed_kph=boat_kph,
        landing_wait_min=wait,
    )
    log.info("built %r", net)
    return net


def _check_build_arguments(
    roads: Any,
    mode: str,
    area: Any,
    offroad: bool,
    resolution_m: float,
    snap_tolerance_m: float,
    speeds_kph: Mapping[str, float] | None,
    offroad_speed_kph: float | None,
    *,
    max_speed_kph: float | None = None,
    offroad_speed_raster: Any = None,
    landcover_speeds_kph: Mapping[int, float] | None = None,
) -> tuple[dict[str, float], float]:
    """Validate :func:`build_network`'s arguments; return (class speeds, off-road speed).

    Numbers must be numbers (not ``"250"``), finite and positive; every speed must lie
    under its bound for the mode (:func:`geoaccess.engine.speeds.speed_bound`).
    """
    check_choice(mode, _speeds.MODES, "mode")
    check_number(resolution_m, "resolution_m", unit="m")
    check_number(snap_tolerance_m, "snap_tolerance_m", allow_zero=True, unit="m")
    if not isinstance(offroad, bool | np.bool_):
        raise InputValidationError(f"must be True or False, got {offroad!r}", argument="offroad")
    class_speeds = _speeds.road_speeds(mode, speeds_kph, max_speed_kph=max_speed_kph, argument="speeds_kph")
    if offroad_speed_kph is None:
        offroad_speed_kph = _speeds.OFFROAD_SPEED_KPH[mode]
    offroad_speed_kph = _speeds.check_speed(
        offroad_speed_kph, "offroad_speed_kph", mode=mode, offroad=True, max_speed_kph=max_speed_kph
    )
    for k, v in (landcover_speeds_kph or {}).items():
        _speeds.check_speed(
            v,
            f"landcover_speeds_kph[{k!r}]",
            mode=mode,
            offroad=True,
            max_speed_kph=max_speed_kph,
            allow_zero=True,
        )
    if offroad_speed_raster is not None:
        _check_speed_raster(offroad_speed_raster, mode, max_speed_kph)
    if roads is None and not offroad:
        raise InputValidationError(
            "give roads, or set offroad=True to build a lattice only", argument="roads"
        )
    if offroad and area is None:
        raise InputValidationError(
            "the off-road lattice needs a study area: pass area= (e.g. the kabupaten "
            "polygon buffered by 25 km), or offroad=False for a road-only network",
            argument="area",
        )
    return class_speeds, float(offroad_speed_kph)


def _check_speed_raster(raster: Any, mode: str, max_speed_kph: float | None) -> None:
    """Refuse a speed raster that cannot be read, or whose speeds are infinite, negative
    (an undeclared nodata value such as -9999) or above the off-road bound of the mode."""
    import rasterio

    try:
        if isinstance(raster, str | os.PathLike):
            with rasterio.open(raster) as ds:
                band = ds.read(1, masked=True)
        else:
            band = raster.read(1, masked=True)
    except (rasterio.errors.RasterioError, OSError, AttributeError) as e:
        raise InputValidationError(
            f"cannot read {raster!r} as a raster ({e}); give a GeoTIFF of off-road speed in km/h",
            argument="offroad_speed_raster",
        ) from None
    vals = np.ma.compressed(band).astype(float)
    vals = vals[~np.isnan(vals)]
    bound = _speeds.speed_bound(mode, offroad=True, max_speed_kph=max_speed_kph)
    problems = []
    if np.isinf(vals).any():
        problems.append(f"{int(np.isinf(vals).sum())} cell(s) are infinite")
    if (vals < 0).any():
        problems.append(
            f"{int((vals < 0).sum())} cell(s) are negative (min {vals.min():g}): an undeclared nodata "
            "value? Declare it as the raster's nodata, or set those cells to 0 (impassable)"
        )
    big = np.isfinite(vals) & (vals > bound)
    if big.any():
        problems.append(
            f"{int(big.sum())} cell(s) are above the {bound:g} km/h off-road bound for {mode} "
            f"(max {vals[big].max():g}): is the raster in km/h? If these speeds are real, pass "
            "max_speed_kph="
        )
    if problems:
        raise InputValidationError(
            [f"{raster!r}: {p}" for p in problems] if len(problems) > 1 else f"{raster!r}: {problems[0]}",
            argument="offroad_speed_raster",
        )


def _check_layer_speeds(
    layer: gpd.GeoDataFrame,
    mode: str,
    class_speeds: Mapping[str, float],
    motorbike_on_toll: bool,
    max_speed_kph: float | None,
) -> None:
    """Refuse a road layer whose own ``speed_kph`` is infinite, negative or above the bound,
    on the rows the mode would drive at that speed (as :func:`road_edges` uses it)."""
    if mode == "walk" or "speed_kph" not in layer:
        return  # a line's own speed never applies on foot
    own = pd.to_numeric(layer["speed_kph"], errors="coerce").to_numpy(dtype=float)
    by_class = layer["road_class"].map(class_speeds).to_numpy(dtype=float)
    toll = layer["toll"].to_numpy(dtype=bool) if "toll" in layer else np.zeros(len(layer), bool)
    ac = (layer["access_controlled"].to_numpy(dtype=bool) if "access_controlled" in layer else toll) | toll
    toll_open, ac_open = _speeds.access_rules(mode, motorbike_on_toll=motorbike_on_toll)
    used = (by_class > 0) & ~((toll & (not toll_open)) | (ac & ~toll & (not ac_open)))
    bound = _speeds.speed_bound(mode, max_speed_kph=max_speed_kph)
    bad = used & ~np.isnan(own) & (np.isinf(own) | (own < 0) | (own > bound))
    if bad.any():
        rows = [f"{i!r}: {v:g}" for i, v in zip(layer.index[bad][:10], own[bad][:10], strict=True)]
        raise InputValidationError(
            f"column 'speed_kph' has {int(bad.sum())} speed(s) that are infinite, negative or above "
            f"the {bound:g} km/h bound for {mode} on roads, by row (index: km/h) {rows}. Fix them (km/h; "
            "NaN = use the class speed), or pass max_speed_kph= if they are real",
            argument="roads",
        )


def _working_crs(layer: gpd.GeoDataFrame | None, area: Any, crs: Any) -> pyproj.CRS:
    """The projected CRS to build in: the caller's, the roads', the area's, or a UTM zone."""
    if crs is None:
        if layer is not None:
            crs = utm_crs(layer) if layer.crs.is_geographic else layer.crs
        elif (
            isinstance(area, gpd.GeoDataFrame | gpd.GeoSeries)
            and area.crs is not None
            and area.crs.is_projected
        ):
            crs = area.crs
        else:
            crs = utm_crs(_to_geoseries(area, "area", pyproj.CRS("EPSG:4326")))
    try:
        crs = pyproj.CRS(crs)
    except pyproj.exceptions.CRSError as e:
        raise CRSError(
            f"cannot read {crs!r} as a CRS ({e}); pass e.g. 'EPSG:32748'", argument="crs"
        ) from None
    if not crs.is_projected:
        raise InputValidationError(f"must be a projected CRS in metres, got {crs.name}", argument="crs")
    return crs


#: Columns of :attr:`Network.edges`.
EDGE_COLUMNS = (
    "u",
    "v",
    "length_m",
    "road_class",
    "speed_kph",
    "travel_time_min",
    "oneway",
    "access_controlled",
    "toll",
    "waterway",
)


def road_edges(
    layer: gpd.GeoDataFrame | None,
    mode: str,
    class_speeds: Mapping[str, float],
    max_edge_m: float,
    *,
    motorbike_on_toll: bool = False,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Road nodes and the road pieces the mode may use.

    Parameters
    ----------
    layer : GeoDataFrame or None
        The standard road layer (:func:`geoaccess.inputs.roads.read_roads`) in a projected CRS.
    mode : str
        Travel mode.
    class_speeds : dict
        km/h per road class for the mode.
    max_edge_m : float
        Longest piece (m).
    motorbike_on_toll : bool
        See :func:`build_network`.

    Returns
    -------
    node_xy : ndarray
        (n, 2) road node coordinates.
    edges : DataFrame
        One row per usable piece, columns :data:`EDGE_COLUMNS`.

    Raises
    ------
    NetworkBuildError
        If no road of the layer can be used by the mode.
    """
    if layer is None or len(layer) == 0:
        return np.empty((0, 2)), _empty_edges()
    a, b, src = _segments(layer, max_edge_m)
    road_xy, inv = _node_ids(np.vstack([a, b]))
    u, v = inv[: len(a)], inv[len(a) :]
    length = np.hypot(*(b - a).T)
    cls = layer["road_class"].to_numpy()[src]
    by_class = pd.Series(cls).map(class_speeds).to_numpy(dtype=float)
    own = pd.to_numeric(layer["speed_kph"], errors="coerce").to_numpy(dtype=float)[src]
    # a line's own speed (e.g. OSM maxspeed) is a motor-traffic speed: it never applies
    # on foot, and never opens a class the mode cannot use (class speed 0)
    use_own = np.isfinite(own) & (own > 0) & (by_class > 0) & (mode != "walk")
    spd = np.where(use_own, own, by_class)
    # one-way rules bind vehicles, not people walking
    oneway = layer["oneway"].fillna(False).to_numpy(dtype=bool)[src] & (mode != "walk")
    # toll roads: closed on foot and (unless motorbike_on_toll) to motorbikes; other
    # access-controlled roads closed on foot (geoaccess.engine.speeds.access_rules)
    toll = layer["toll"].to_numpy(dtype=bool)[src]
    ac = layer["access_controlled"].to_numpy(dtype=bool)[src] | toll
    toll_open, ac_open = _speeds.access_rules(mode, motorbike_on_toll=motorbike_on_toll)
    spd = np.where((toll & (not toll_open)) | (ac & ~toll & (not ac_open)), 0.0, spd)
    usable = spd > 0
    if not usable.any():
        raise NetworkBuildError(f"no road in the layer can be used by mode {mode!r}")
    ttime = np.where(usable, length / np.where(usable, spd, 1.0) / KPH_TO_M_PER_MIN, np.inf)
    edges = pd.DataFrame(
        dict(
            zip(
                EDGE_COLUMNS,
                (u, v, length, cls, spd, ttime, oneway, ac, toll, np.zeros(len(u), dtype=bool)),
                strict=True,
            )
        )
    )[usable].reset_index(drop=True)
    return road_xy, edges


def _empty_edges() -> pd.DataFrame:
    """An :attr:`Network.edges` frame with no row (columns typed as in a built one)."""
    dtypes = dict(u=np.int64, v=np.int64, length_m=float, road_class=object, speed_kph=float)
    dtypes.update(travel_time_min=float, oneway=bool, access_controlled=bool, toll=bool, waterway=bool)
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in EDGE_COLUMNS})


_Entries = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # rows, cols, minutes, edge row


def _road_entries(edges: pd.DataFrame) -> _Entries:
    """Directed graph entries of the road pieces (both ways unless one-way)."""
    ru, rv, rt, rw = (edges[c].to_numpy() for c in ("u", "v", "travel_time_min", "oneway"))
    rw = rw.astype(bool)
    rows = concat([ru, rv[~rw]], np.int64)
    cols = concat([rv, ru[~rw]], np.int64)
    return (
        rows,
        cols,
        concat([rt, rt[~rw]], float),
        concat([np.arange(len(edges)), np.flatnonzero(~rw)], np.int64),
    )


def _connector_entries(edges: pd.DataFrame, node_xy: np.ndarray, n_road: int, lattice: Lattice) -> _Entries:
    """Connectors between road nodes and the lattice cell they lie in, both ways.

    Only nodes on an ordinary (not access-controlled) usable piece join the lattice:
    toll roads and motorways are entered and left at junctions only. Time = straight
    distance at the cell's off-road speed.
    """
    if n_road == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0), np.empty(0, np.int64)
    plain = ~edges["access_controlled"].to_numpy(dtype=bool)
    ordinary = np.zeros(n_road, dtype=bool)
    ordinary[edges["u"].to_numpy(dtype=np.int64)[plain]] = True
    ordinary[edges["v"].to_numpy(dtype=np.int64)[plain]] = True
    road_xy = node_xy[:n_road]
    cell = lattice.cell_of_xy(road_xy[:, 0], road_xy[:, 1])
    has = (cell >= 0) & ordinary
    rn = np.flatnonzero(has)
    cn = cell[has]
    d = np.hypot(*(road_xy[rn] - node_xy[cn]).T)
    rr = ((lattice.y0 - node_xy[cn, 1]) // lattice.resolution_m).astype(int)
    cc = ((node_xy[cn, 0] - lattice.x0) // lattice.resolution_m).astype(int)
    t = d / (lattice.speed_kph[rr, cc] * KPH_TO_M_PER_MIN)
    return (
        concat([rn, cn], np.int64),
        concat([cn, rn], np.int64),
        concat([t, t], float),
        np.full(2 * len(rn), -1, dtype=np.int64),
    )


#: The lattice's entries already in CSR order: (first cell node, entries per cell, their
#: columns, their minutes); see :func:`geoaccess.engine.lattice.build_lattice_csr`.
_LatticeCSR = tuple[int, np.ndarray, np.ndarray, np.ndarray]


def _assemble_csr(
    parts: list[_Entries], n: int, lattice: _LatticeCSR | None = None
) -> tuple[sp.csr_matrix, np.ndarray]:
    """One CSR matrix from entry lists; parallel entries keep the fastest.

    Returns the graph and, per stored entry (CSR order), the road edge row it comes from
    (-1 for lattice and connector entries, -2 for landing connectors; int32 when the rows fit).

    ``lattice`` (optional) holds the lattice entries already in CSR order (code -1). They
    join cells only, with no duplicate, and in a cell's row every other entry (a connector
    or landing to a road or waterway node, which come before the cells) has a smaller
    column: so only the small ``parts`` are sorted, and both are merged row by row. The
    result is the same as sorting all entries together (tested).
    """
    r = concat([p[0] for p in parts], np.int64)
    c = concat([p[1] for p in parts], np.int64)
    w = np.maximum(concat([p[2] for p in parts], float), MIN_EDGE_MIN)
    src = concat([p[3] for p in parts], np.int64)
    if lattice is not None:
        first, counts, lc, lw = lattice
        if len(counts) == 0:
            lattice = None
        elif bool(np.any((r >= first) & (c >= first))):  # not the layout assumed: sort all
            rows = np.repeat(np.arange(first, first + len(counts), dtype=np.int64), counts)
            r = np.concatenate([r, rows])
            c = np.concatenate([c, lc.astype(np.int64)])
            w = np.concatenate([w, np.maximum(lw, MIN_EDGE_MIN)])
            src = np.concatenate([src, np.full(len(rows), _LATTICE_ENTRY, dtype=np.int64)])
            lattice = None
    # parallel edges: keep the fastest (a CSR built from COO would add them up)
    order = np.lexsort((w, c, r))
    r, c, w, src = r[order], c[order], w[order], src[order]
    first_ = np.ones(len(r), dtype=bool)
    first_[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    r, c, w, src = r[first_], c[first_], w[first_], src[first_]
    per_row = np.bincount(r, minlength=n)
    # edge rows as int32 when they fit (always, in practice): half the memory
    src_dtype = np.int32 if len(src) == 0 or int(src.max()) < np.iinfo(np.int32).max else np.int64
    if lattice is None:
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_row, out=indptr[1:])
        # entries are sorted by (row, col): this is already CSR order, so src stays aligned
        return sp.csr_matrix((w, c, indptr), shape=(n, n)), src.astype(src_dtype)
    first, counts, lc, lw = lattice
    small_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(per_row, out=small_start[1:])
    per_row[first : first + len(counts)] += counts
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(per_row, out=indptr[1:])
    nnz = int(indptr[-1])
    # the sorted small entries go first in their row, the lattice entries fill the rest
    pos = indptr[r] + (np.arange(len(r)) - small_start[r])
    small = np.zeros(nnz, dtype=bool)
    small[pos] = True
    idx_dtype = np.int32 if max(n, nnz) < np.iinfo(np.int32).max else np.int64
    indices = np.empty(nnz, dtype=idx_dtype)
    data = np.empty(nnz)
    out_src = np.full(nnz, _LATTICE_ENTRY, dtype=src_dtype)
    indices[pos], data[pos], out_src[pos] = c, w, src
    lattice_slots = ~small
    del small
    indices[lattice_slots] = lc
    data[lattice_slots] = np.maximum(lw, MIN_EDGE_MIN)
    del lattice_slots
    return sp.csr_matrix((data, indices, indptr), shape=(n, n)), out_src


def _without_cut(g: sp.csr_matrix, entry: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """``g`` without its cut (inf) entries, and the per-entry ``entry`` codes kept.

    Without a cut entry ``g`` itself comes back; otherwise a new matrix (``g`` is not
    modified).
    """
    keep = np.isfinite(g.data)
    if keep.all():
        return g, entry
    kept = np.concatenate([[0], np.cumsum(keep)])
    out = sp.csr_matrix((g.data[keep], g.indices[keep], kept[g.indptr]), shape=g.shape)
    return out, entry[keep]


def _waterway_lines(
    waterways: Any, crs: pyproj.CRS, boat_kph: float, max_speed_kph: float | None
) -> tuple[gpd.GeoSeries, np.ndarray, np.ndarray]:
    """The navigable waterway lines in ``crs`` (one LineString a row), their boat speed (km/h)
    and their upstream speed (km/h against the line's direction; NaN: the same both ways)."""
    if not isinstance(waterways, gpd.GeoDataFrame | gpd.GeoSeries):
        raise InputValidationError(
            f"expected a GeoDataFrame or GeoSeries of river lines with a CRS, got {type(waterways).__name__}",
            argument="waterways",
        )
    if waterways.crs is None:
        raise CRSError("it has no CRS; set one with .set_crs(...)", argument="waterways")
    geo = waterways.geometry
    keep = ~(geo.isna() | geo.is_empty).to_numpy()
    other = sorted(set(geo[keep].geom_type) - {"LineString", "MultiLineString"})
    if other:
        raise InputValidationError(
            f"waterways are lines (river and canal centrelines), got {other}; water-body "
            "polygons block the lattice through barriers= but carry no boat",
            argument="waterways",
        )
    own = _boat_speed_column(
        waterways, "speed_kph", max_speed_kph, "NaN = boat_speed_kph, 0 = no boat service"
    )
    speed = np.where(np.isnan(own), boat_kph, own)
    up = _boat_speed_column(
        waterways,
        "upstream_speed_kph",
        max_speed_kph,
        "against the flow; NaN = the same both ways, 0 = no boat upstream",
    )
    keep &= speed > 0  # 0: no boat service on that reach
    if not keep.any():
        raise EmptyInputError("it holds no navigable line (speed_kph > 0)", argument="waterways")
    lines = _to_geoseries(gpd.GeoSeries(geo.to_numpy()[keep], crs=waterways.crs), "waterways", crs)
    lines = lines.reset_index(drop=True).explode(index_parts=False)
    rows = lines.index.to_numpy()
    return lines.reset_index(drop=True), speed[keep][rows], up[keep][rows]


def _boat_speed_column(waterways: Any, column: str, max_speed_kph: float | None, meaning: str) -> np.ndarray:
    """A waterways column of boat speeds (km/h; NaN where absent or not given), refused when
    a value is infinite, negative or above the boat bound (rows named)."""
    if not (isinstance(waterways, gpd.GeoDataFrame) and column in waterways.columns):
        return np.full(len(waterways), np.nan)
    v = pd.to_numeric(waterways[column], errors="coerce").to_numpy(dtype=float)
    bound = _speeds.boat_speed_bound(max_speed_kph)
    bad = ~np.isnan(v) & (np.isinf(v) | (v < 0) | (v > bound))
    if bad.any():
        rows = [f"{i!r}: {x:g}" for i, x in zip(waterways.index[bad][:10], v[bad][:10], strict=True)]
        raise InputValidationError(
            f"column {column!r} has {int(bad.sum())} boat speed(s) that are infinite, negative or "
            f"above the {bound:g} km/h bound for boats, by row (index: km/h) {rows}. Fix them (km/h; "
            f"{meaning}), or pass max_speed_kph= if they are real",
            argument="waterways",
        )
    return v


def _points_layer(obj: Any, name: str, crs: pyproj.CRS) -> np.ndarray:
    """(n, 2) coordinates in ``crs`` of a point layer (rows without a location left out)."""
    if not isinstance(obj, gpd.GeoDataFrame | gpd.GeoSeries):
        raise InputValidationError(
            f"expected a GeoDataFrame or GeoSeries of points with a CRS, got {type(obj).__name__}",
            argument=name,
        )
    geo = _to_geoseries(obj, name, crs)
    if not (geo.geom_type == "Point").all():
        raise InputValidationError(
            f"expected points (the landings, dermaga), got {sorted(set(geo.geom_type))}", argument=name
        )
    return np.column_stack([geo.x.to_numpy(), geo.y.to_numpy()])


def _waterway_edges(
    waterways: Any,
    landings: Any,
    crs: pyproj.CRS,
    boat_kph: float,
    max_speed_kph: float | None,
    max_edge_m: float,
    first_node: int,
) -> tuple[np.ndarray, pd.DataFrame, np.ndarray | None, np.ndarray]:
    """Waterway nodes and pieces, cut at the landings.

    Returns the waterway node coordinates (node ids from ``first_node``), their edges
    (columns :data:`EDGE_COLUMNS`, ``waterway=True``), the landing coordinates (None
    without ``landings``: every waterway node may be one) and each landing's waterway node
    (-1 for landings too far from every waterway).
    """
    lines, speed, upstream = _waterway_lines(waterways, crs, boat_kph, max_speed_kph)
    a, b, src = _segments(gpd.GeoDataFrame(geometry=lines, crs=crs), max_edge_m)
    land_xy = None if landings is None else _points_layer(landings, "landings", crs)
    proj = np.empty((0, 2))
    near = np.zeros(0, dtype=bool)
    if land_xy is not None and len(a):
        # cut the piece nearest to each landing at the landing's foot on it
        tree = shapely.STRtree(shapely.linestrings(np.stack([a, b], axis=1)))
        (li, si), d = tree.query_nearest(shapely.points(land_xy), return_distance=True, all_matches=False)
        seg = np.full(len(land_xy), -1, dtype=np.int64)
        dist = np.full(len(land_xy), np.inf)
        seg[li], dist[li] = si, d
        near = dist <= LANDING_MAX_OFFSET_M
        if not near.all():
            warnings.warn(
                f"{int((~near).sum())} landing(s) lie more than {LANDING_MAX_OFFSET_M:g} m from every "
                f"waterway and are left out (positions {np.flatnonzero(~near)[:10].tolist()})",
                GeoAccessWarning,
                stacklevel=3,
            )
        ab = b[seg] - a[seg]
        t = ((land_xy - a[seg]) * ab).sum(axis=1) / np.maximum((ab**2).sum(axis=1), 1e-12)
        t = np.clip(t, 0.0, 1.0)
        proj = a[seg] + t[:, None] * ab
        cut = near & (t > 1e-9) & (t < 1 - 1e-9)
        if cut.any():
            keep = np.ones(len(a), dtype=bool)
            na, nb, ns = [], [], []
            for s_ in np.unique(seg[cut]):
                ts = np.unique(t[cut & (seg == s_)])
                pts = np.vstack([a[s_], a[s_] + ts[:, None] * (b[s_] - a[s_]), b[s_]])
                keep[s_] = False
                na.append(pts[:-1])
                nb.append(pts[1:])
                ns.append(np.full(len(ts) + 1, src[s_]))
            a, b = np.vstack([a[keep], *na]), np.vstack([b[keep], *nb])
            src = concat([src[keep], *ns], np.int64)
    water_xy, inv = _node_ids(np.vstack([a, b]))
    u, v = inv[: len(a)] + first_node, inv[len(a) :] + first_node
    length = np.hypot(*(b - a).T)
    spd = speed[src]
    up = upstream[src]
    # a reach with an upstream speed runs downstream along its line (u -> v, speed_kph) and
    # upstream back (v -> u, upstream_speed_kph): two one-way pieces; 0 upstream: none back
    directed = ~np.isnan(up)
    back = directed & (up > 0)
    u = np.concatenate([u, v[back]]).astype(np.int64)
    v = np.concatenate([v, (inv[: len(a)] + first_node)[back]]).astype(np.int64)
    length = np.concatenate([length, length[back]])
    spd = np.concatenate([spd, up[back]])
    oneway = np.concatenate([directed, np.ones(int(back.sum()), dtype=bool)])
    n = len(u)
    edges = pd.DataFrame(
        {
            "u": u,
            "v": v,
            "length_m": length,
            "road_class": np.full(n, "waterway", dtype=object),
            "speed_kph": spd,
            "travel_time_min": length / spd / KPH_TO_M_PER_MIN,
            "oneway": oneway,
            "access_controlled": np.zeros(n, dtype=bool),
            "toll": np.zeros(n, dtype=bool),
            "waterway": np.ones(n, dtype=bool),
        },
        columns=list(EDGE_COLUMNS),
    )
    land_node = np.zeros(0, dtype=np.int64)
    if land_xy is not None:
        from scipy.spatial import cKDTree

        land_node = np.full(len(land_xy), -1, dtype=np.int64)
        if near.any():
            _, j = cKDTree(water_xy).query(proj[near])
            land_node[near] = first_node + np.asarray(j, dtype=np.int64)
    return water_xy, edges, land_xy, land_node


def _clear(barrier_tree: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where the straight leg a[i] -> b[i] touches no barrier."""
    ok = np.ones(len(a), dtype=bool)
    if barrier_tree is None or len(a) == 0:
        return ok
    hit, _ = barrier_tree.query(shapely.linestrings(np.stack([a, b], axis=1)), predicate="intersects")
    ok[np.unique(hit)] = False
    return ok


def _cell_speed(lattice: Lattice, xy: np.ndarray) -> np.ndarray:
    """Off-road speed (km/h) of the lattice cell holding each point."""
    rr = np.floor((lattice.y0 - xy[:, 1]) / lattice.resolution_m).astype(np.int64)
    cc = np.floor((xy[:, 0] - lattice.x0) / lattice.resolution_m).astype(np.int64)
    return np.asarray(lattice.speed_kph[rr, cc], dtype=float)


def _landing_cells(
    lattice: Lattice, node_xy: np.ndarray, pts: np.ndarray, barrier_tree: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Per landing: its own passable cell, else the nearest passable cell within
    :data:`LANDING_REACH_CELLS` cells whose straight leg crosses no barrier (node id, m;
    -1 / inf where none)."""
    res = lattice.resolution_m
    own = lattice.cell_of_xy(pts[:, 0], pts[:, 1])
    node = own.copy()
    dist = np.full(len(pts), np.inf)
    has = own >= 0
    dist[has] = np.hypot(*(pts[has] - node_xy[own[has]]).T)
    k = int(np.ceil(LANDING_REACH_CELLS)) + 1
    off = np.arange(-k, k + 1)
    for i in np.flatnonzero(~has):
        r0 = int(np.floor((lattice.y0 - pts[i, 1]) / res))
        c0 = int(np.floor((pts[i, 0] - lattice.x0) / res))
        gr, gc = np.meshgrid(r0 + off, c0 + off, indexing="ij")
        rr, cc = gr.ravel(), gc.ravel()
        inside = (rr >= 0) & (rr < lattice.shape[0]) & (cc >= 0) & (cc < lattice.shape[1])
        cand = lattice.node_of_cell[rr[inside], cc[inside]]
        cand = cand[cand >= 0]
        d = np.hypot(*(node_xy[cand] - pts[i]).T)
        near = d <= LANDING_REACH_CELLS * res
        cand, d = cand[near], d[near]
        order = np.argsort(d, kind="stable")
        cand, d = cand[order], d[order]
        clear = _clear(barrier_tree, np.repeat(pts[i : i + 1], len(cand), axis=0), node_xy[cand])
        if clear.any():
            j = int(np.argmax(clear))
            node[i], dist[i] = cand[j], d[j]
    return node, dist


def _landing_entries(
    land_xy: np.ndarray | None,
    land_node: np.ndarray,
    water_nodes: np.ndarray,
    node_xy: np.ndarray,
    road_edges_: pd.DataFrame,
    n_road: int,
    lattice: Lattice | None,
    barriers_m: gpd.GeoSeries | None,
    offroad_kph: float,
    wait_min: float,
    resolution_m: float,
) -> _Entries:
    """Connectors between landings and the land: boarding (land -> waterway, with the
    wait) and leaving (waterway -> land), code ``_LANDING_ENTRY``.

    With ``land_xy`` None every waterway node in a passable lattice cell is a landing
    joined to that cell.
    """
    water = np.zeros(0, dtype=np.int64)
    land = np.zeros(0, dtype=np.int64)
    leg = np.zeros(0)
    if land_xy is None:
        assert lattice is not None
        cell = lattice.cell_of_xy(node_xy[water_nodes, 0], node_xy[water_nodes, 1])
        has = cell >= 0
        water, land = water_nodes[has], cell[has]
        leg = np.hypot(*(node_xy[water] - node_xy[land]).T) / (
            _cell_speed(lattice, node_xy[land]) * KPH_TO_M_PER_MIN
        )
        if len(water) == 0:
            warnings.warn(
                "no waterway node lies in a passable lattice cell, so no boat can be boarded (are the "
                "waterways also barriers=? then pass landings=, the dermaga on the banks)",
                GeoAccessWarning,
                stacklevel=3,
            )
    else:
        tree = None
        if barriers_m is not None and len(barriers_m):
            geoms = barriers_m.geometry.to_numpy()
            geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
            tree = shapely.STRtree(geoms) if len(geoms) else None
        ok = np.flatnonzero(land_node >= 0)
        w_parts, l_parts, t_parts = [], [], []
        joined = np.zeros(len(land_xy), dtype=bool)
        if lattice is not None and len(ok):
            cell, dist = _landing_cells(lattice, node_xy, land_xy[ok], tree)
            has = cell >= 0
            w_parts.append(land_node[ok][has])
            l_parts.append(cell[has])
            t_parts.append(dist[has] / (_cell_speed(lattice, node_xy[cell[has]]) * KPH_TO_M_PER_MIN))
            joined[ok[has]] = True
        plain = ~road_edges_["access_controlled"].to_numpy(dtype=bool)
        ordinary = np.unique(
            np.concatenate(
                [
                    road_edges_["u"].to_numpy(dtype=np.int64)[plain],
                    road_edges_["v"].to_numpy(dtype=np.int64)[plain],
                ]
            )
        )
        if len(ordinary) and len(ok):
            from scipy.spatial import cKDTree

            k = min(8, len(ordinary))
            d, j = cKDTree(node_xy[ordinary]).query(land_xy[ok], k=k, distance_upper_bound=resolution_m)
            d, j = d.reshape(len(ok), k), j.reshape(len(ok), k)
            pi, ci = np.nonzero(np.isfinite(d))  # per landing, nearest first
            rn = ordinary[j[pi, ci]]
            clear = _clear(tree, land_xy[ok][pi], node_xy[rn])
            pi, ci, rn = pi[clear], ci[clear], rn[clear]
            first = np.ones(len(pi), dtype=bool)
            first[1:] = pi[1:] != pi[:-1]
            w_parts.append(land_node[ok][pi[first]])
            l_parts.append(rn[first])
            t_parts.append(d[pi[first], ci[first]] / (offroad_kph * KPH_TO_M_PER_MIN))
            joined[ok[pi[first]]] = True
        lost = (land_node >= 0) & ~joined
        if lost.any():
            warnings.warn(
                f"{int(lost.sum())} landing(s) join no passable land (a lattice cell within "
                f"{LANDING_REACH_CELLS:g} cells or a road node within {resolution_m:g} m, on their side "
                f"of every barrier) and are left out (positions {np.flatnonzero(lost)[:10].tolist()}); "
                "a landing lies on the bank, not on the river line",
                GeoAccessWarning,
                stacklevel=3,
            )
        water = concat(w_parts, np.int64)
        land = concat(l_parts, np.int64)
        leg = concat(t_parts, float)
    return (
        concat([land, water], np.int64),
        concat([water, land], np.int64),
        concat([leg + wait_min, leg], float),
        np.full(2 * len(water), _LANDING_ENTRY, dtype=np.int64),
    )
