"""The off-road lattice: a square grid of cells joined to their 8 neighbours.

Cells carry an off-road speed (constant for the mode, or resampled from a speed or
land-cover raster); cells outside the study area, at speed 0 or touched by a barrier
are impassable. :func:`build_lattice` returns the grid and its edges for
:func:`geoaccess.build_network`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj

from ..exceptions import InputValidationError, NetworkBuildError
from .speeds import KPH_TO_M_PER_MIN

__all__ = ["Lattice", "build_lattice", "lattice_frame", "offroad_speed_grid"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class Lattice:
    """Geometry of the off-road grid.

    Attributes
    ----------
    x0, y0 : float
        Projected coordinates (m) of the *upper-left corner* of the grid.
    resolution_m : float
        Cell size (m).
    shape : tuple of int
        (rows, cols).
    node_of_cell : ndarray of int
        (rows, cols) array: graph node id of each cell, -1 where impassable or outside the area.
    speed_kph : ndarray of float
        (rows, cols) off-road speed of each cell (0 = impassable).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> lattice = ga.build_network(roads, "motorbike", area=area).lattice
    >>> lattice.shape, lattice.resolution_m, int((lattice.node_of_cell >= 0).sum())
    ((4, 8), 250.0, 32)
    >>> float(lattice.speed_kph.max())  # the motorbike's off-road speed
    10.0
    """

    x0: float
    y0: float
    resolution_m: float
    shape: tuple[int, int]
    node_of_cell: np.ndarray = field(repr=False)
    speed_kph: np.ndarray = field(repr=False)

    @property
    def transform(self) -> Any:
        """The rasterio affine transform of the grid."""
        from rasterio.transform import from_origin

        return from_origin(self.x0, self.y0, self.resolution_m, self.resolution_m)

    def cell_of_xy(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Node id of the cell holding each point, -1 outside the grid or impassable.

        Parameters
        ----------
        x, y : ndarray
            Point coordinates in the network CRS.

        Returns
        -------
        ndarray of int
            Graph node id per point.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> import geoaccess as ga
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
        >>> net = ga.build_network(roads, "motorbike", area=area)
        >>> net.lattice.cell_of_xy([400_100, 401_900, 500_000], [9_590_400, 9_589_600, 9_590_000]).tolist()
        [17, 48, -1]
        """
        col = np.floor((np.asarray(x) - self.x0) / self.resolution_m).astype(np.int64)
        row = np.floor((self.y0 - np.asarray(y)) / self.resolution_m).astype(np.int64)
        ok = (row >= 0) & (row < self.shape[0]) & (col >= 0) & (col < self.shape[1])
        out = np.full(len(col), -1, dtype=np.int64)
        out[ok] = self.node_of_cell[row[ok], col[ok]]
        return out


def offroad_speed_grid(
    shape: tuple[int, int],
    transform: Any,
    crs: pyproj.CRS,
    offroad_speed_kph: float,
    offroad_speed_raster: Any,
    landcover: Any,
    landcover_speeds_kph: Mapping[int, float] | None,
) -> np.ndarray:
    """Per-cell off-road speed (km/h): constant, or resampled from a raster.

    Parameters
    ----------
    shape : tuple of int
        (rows, cols) of the lattice.
    transform : affine.Affine
        Transform of the lattice (upper-left origin).
    crs : pyproj.CRS
        CRS of the lattice.
    offroad_speed_kph : float
        The constant speed when no raster is given.
    offroad_speed_raster, landcover : path, rasterio dataset or None
        A raster of speeds (km/h), or of land-cover codes read through
        ``landcover_speeds_kph``; resampled to the lattice.
    landcover_speeds_kph : mapping of int to float, optional
        Land-cover code -> km/h.

    Returns
    -------
    ndarray of float
        (rows, cols) speeds in km/h (0: impassable).

    Examples
    --------
    >>> import pyproj
    >>> from affine import Affine
    >>> offroad_speed_grid((2, 3), Affine(250, 0, 400_000, 0, -250, 9_590_500),
    ...     pyproj.CRS("EPSG:32748"), 10.0, None, None, None).tolist()
    [[10.0, 10.0, 10.0], [10.0, 10.0, 10.0]]
    """
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.warp import reproject

    def _warp(src: Any, resampling: Resampling) -> np.ndarray:
        if isinstance(src, str | os.PathLike):
            with rasterio.open(src) as ds:
                return _warp(ds, resampling)
        dst = np.full(shape, np.nan, dtype="float64")
        reproject(
            source=rasterio.band(src, 1),
            destination=dst,
            dst_transform=transform,
            dst_crs=crs.to_wkt(),
            dst_nodata=np.nan,
            resampling=resampling,
        )
        return dst

    if offroad_speed_raster is not None:
        grid = _warp(offroad_speed_raster, Resampling.average)
        return np.where(np.isfinite(grid), np.maximum(grid, 0.0), 0.0)
    if landcover is not None:
        if not landcover_speeds_kph:
            raise InputValidationError(
                "a land-cover raster needs landcover_speeds_kph={class_value: km/h, ...}",
                argument="landcover_speeds_kph",
            )
        classes = _warp(landcover, Resampling.mode)
        grid = np.full(shape, float(offroad_speed_kph))
        seen = set(np.unique(classes[np.isfinite(classes)]).astype(int))
        unmapped = sorted(seen - set(int(k) for k in landcover_speeds_kph))
        if unmapped:
            log.warning(
                "land-cover classes %s have no speed in landcover_speeds_kph; they get the "
                "default off-road speed %s km/h",
                unmapped,
                offroad_speed_kph,
            )
        for k, v in landcover_speeds_kph.items():
            grid[classes == int(k)] = float(v)
        return grid
    return np.full(shape, float(offroad_speed_kph))


def build_lattice(
    area_m: gpd.GeoSeries,
    resolution_m: float,
    crs: pyproj.CRS,
    offroad_speed_kph: float,
    offroad_speed_raster: Any,
    landcover: Any,
    landcover_speeds_kph: Mapping[int, float] | None,
    barriers_m: gpd.GeoSeries | None,
    first_node: int,
) -> tuple[Lattice, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The lattice over ``area_m``, its cell centres and its edges.

    Cells are passable where their centre lies in the area, their off-road speed is
    positive and no barrier touches them; each passable cell is joined to its 8
    neighbours, time = half the step at each cell's speed; a diagonal step needs one of
    the two cells sharing its corner to be passable (no corner cutting).

    Parameters
    ----------
    area_m : GeoSeries
        The study area in ``crs`` (metres).
    resolution_m : float
        Cell size (m).
    crs : pyproj.CRS
        The projected CRS of the network.
    offroad_speed_kph : float
        Off-road speed where no raster is given (km/h).
    offroad_speed_raster, landcover : path, rasterio dataset or None
        A raster of off-road speeds (km/h), or of land-cover codes read through
        ``landcover_speeds_kph``.
    landcover_speeds_kph : mapping of int to float, optional
        Land-cover code -> km/h.
    barriers_m : GeoSeries, optional
        Rivers and water bodies in ``crs``: the cells they touch are impassable.
    first_node : int
        Node id of the first cell (after the road nodes).

    Returns
    -------
    (Lattice, cell centres (k, 2), edge rows, edge cols, edge minutes)
        Node ids start at ``first_node``.

    Examples
    --------
    A 10 x 10 km area at 1 km, 10 km/h off road: a straight step between cell centres
    takes 6 minutes, a diagonal one 8.5.

    >>> import geopandas as gpd, pyproj, shapely
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_580_000, 410_000, 9_590_000)], crs="EPSG:32748")
    >>> lattice, centres, rows, cols, minutes = build_lattice(
    ...     area, 1000, pyproj.CRS("EPSG:32748"), 10.0, None, None, None, None, 0)
    >>> lattice.shape, len(centres), len(minutes)
    ((10, 10), 100, 684)
    >>> round(float(minutes.min()), 2), round(float(minutes.max()), 2)
    (6.0, 8.49)
    """
    lat, xy, counts, cols, w = build_lattice_csr(
        area_m,
        resolution_m,
        crs,
        offroad_speed_kph,
        offroad_speed_raster,
        landcover,
        landcover_speeds_kph,
        barriers_m,
        first_node,
    )
    rows = np.repeat(np.arange(first_node, first_node + len(counts), dtype=np.int64), counts)
    return lat, xy, rows, cols.astype(np.int64), w


def lattice_frame(area_m: gpd.GeoSeries, resolution_m: float) -> tuple[float, float, tuple[int, int]]:
    """Upper-left corner ``(x0, y0)`` and ``(rows, cols)`` of the lattice over ``area_m``
    (projected): the area's bounds snapped outwards to multiples of ``resolution_m``.

    Parameters
    ----------
    area_m : GeoSeries
        The study area in a projected CRS (metres).
    resolution_m : float
        Cell size (m).

    Returns
    -------
    x0, y0 : float
        Projected coordinates (m) of the grid's upper-left corner.
    shape : tuple of int
        (rows, cols).

    Examples
    --------
    An area from x = 400 010 to 402 000 and y = 9 589 500 to 9 590 520 at 250 m: its
    west edge snaps out to 400 000 and its north edge to 9 590 750, so 8 columns and
    (9 590 750 - 9 589 500) / 250 = 5 rows:

    >>> import geopandas as gpd, shapely
    >>> area = gpd.GeoSeries([shapely.box(400_010, 9_589_500, 402_000, 9_590_520)], crs="EPSG:32748")
    >>> lattice_frame(area, 250)
    (400000.0, 9590750.0, (5, 8))
    """
    minx, miny, maxx, maxy = area_m.total_bounds
    x0 = np.floor(minx / resolution_m) * resolution_m
    y0 = np.ceil(maxy / resolution_m) * resolution_m
    ncols = int(np.ceil((maxx - x0) / resolution_m))
    nrows = int(np.ceil((y0 - miny) / resolution_m))
    return float(x0), float(y0), (nrows, ncols)


def build_lattice_csr(
    area_m: gpd.GeoSeries,
    resolution_m: float,
    crs: pyproj.CRS,
    offroad_speed_kph: float,
    offroad_speed_raster: Any,
    landcover: Any,
    landcover_speeds_kph: Mapping[int, float] | None,
    barriers_m: gpd.GeoSeries | None,
    first_node: int,
) -> tuple[Lattice, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`build_lattice` with its edges already in CSR order.

    Returns the lattice, the cell centres, the number of edges leaving each cell (in node
    order) and the edges' columns (node ids, int32 when they fit) and minutes, sorted by
    row then column: the rows of a CSR matrix with no duplicate entry.
    """
    from rasterio import features
    from rasterio.transform import from_origin

    x0, y0, (nrows, ncols) = lattice_frame(area_m, resolution_m)
    if nrows * ncols > 60_000_000:
        raise NetworkBuildError(
            f"a {resolution_m:g} m lattice over this area has {nrows * ncols:,} cells; "
            "use a coarser resolution_m or a smaller area"
        )
    transform = from_origin(x0, y0, resolution_m, resolution_m)
    inside = features.geometry_mask(
        list(area_m.geometry), out_shape=(nrows, ncols), transform=transform, invert=True
    )
    speed = offroad_speed_grid(
        (nrows, ncols),
        transform,
        crs,
        offroad_speed_kph,
        offroad_speed_raster,
        landcover,
        landcover_speeds_kph,
    )
    if barriers_m is not None and len(barriers_m):
        blocked = features.geometry_mask(
            list(barriers_m.geometry),
            out_shape=(nrows, ncols),
            transform=transform,
            invert=True,
            all_touched=True,
        )
        speed = np.where(blocked, 0.0, speed)
    active = inside & (speed > 0)
    node_of_cell = np.full((nrows, ncols), -1, dtype=np.int64)
    rr, cc = np.nonzero(active)
    node_of_cell[rr, cc] = first_node + np.arange(len(rr))
    xy = np.column_stack([x0 + (cc + 0.5) * resolution_m, y0 - (rr + 0.5) * resolution_m])
    del rr, cc
    counts, cols, w = _lattice_edges_csr(active, node_of_cell, speed, float(resolution_m))
    lat = Lattice(float(x0), float(y0), float(resolution_m), (nrows, ncols), node_of_cell, speed)
    return lat, xy, counts, cols, w


#: The 8 neighbour steps (row, col) in increasing order of the neighbour's node id (node
#: ids are given to passable cells row by row), so each cell's edges come out CSR-sorted.
_STEPS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


def _lattice_edges_csr(
    active: np.ndarray, node_of_cell: np.ndarray, speed: np.ndarray, resolution_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges of the passable cells, cell by cell in node order, neighbours by node id.

    Time of a step = half the step at each end's speed, ``0.5 * step / m_per_min`` summed
    over both ends (the same floating-point operations for both directions of a step).
    Returns (edges per passable cell, columns, minutes).
    """
    ncols = active.shape[1]
    k = int(np.count_nonzero(active))
    pad = np.pad(active, 1)
    big = int(node_of_cell.max(initial=-1)) >= np.iinfo(np.int32).max
    ids = np.pad(node_of_cell.astype(np.int64 if big else np.int32), 1, constant_values=-1)
    m_per_min = np.pad(speed * KPH_TO_M_PER_MIN, 1)
    # per cell, half a straight and half a diagonal step in minutes (only passable cells)
    half = {}
    for diag in (False, True):
        step = resolution_m * (np.sqrt(2.0) if diag else 1.0)
        q = np.zeros(pad.shape)
        np.divide(0.5 * step, m_per_min, out=q, where=pad)
        half[diag] = q
    del m_per_min

    # flat positions in the padded grid: a neighbour is a fixed offset away, read with
    # take (the same values as masking each shifted view, without copying the grid)
    width = ncols + 2
    at = np.flatnonzero(active)
    at = (at // ncols + 1) * width + (at % ncols + 1)
    pad, ids = pad.ravel(), ids.ravel()
    flat = {diag: q.ravel() for diag, q in half.items()}
    # one contiguous row per step (writing a column of a (k, 8) array is strided and
    # slower); read back cell by cell through the transposed views: CSR order
    ok = np.empty((8, k), dtype=bool)
    col = np.empty((8, k), dtype=ids.dtype)
    w = np.empty((8, k))
    here = {diag: flat[diag].take(at) for diag in (False, True)}
    for j, (dr, dc) in enumerate(_STEPS):
        diag = bool(dr and dc)
        nb = at + (dr * width + dc)
        if diag:  # no corner cutting between two impassable cells
            np.logical_and(pad.take(nb), pad.take(at + dr * width) | pad.take(at + dc), out=ok[j])
        else:
            pad.take(nb, out=ok[j])
        ids.take(nb, out=col[j])
        np.add(here[diag], flat[diag].take(nb), out=w[j])
    counts = ok.sum(axis=0)
    by_cell = ok.T
    return counts, col.T[by_cell], w.T[by_cell]
