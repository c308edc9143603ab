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
        """Node id of the cell holding each point, -1 outside the grid or impassable."""
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
    """Per-cell off-road speed (km/h): constant, or resampled from a raster."""
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

    Returns
    -------
    (Lattice, cell centres (k, 2), edge rows, edge cols, edge minutes)
        Node ids start at ``first_node``.
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
    (projected): the area's bounds snapped outwards to multiples of ``resolution_m``."""
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
    ok = np.empty((k, 8), dtype=bool)
    col = np.empty((k, 8), dtype=ids.dtype)
    w = np.empty((k, 8))
    here = {diag: flat[diag].take(at) for diag in (False, True)}
    for j, (dr, dc) in enumerate(_STEPS):
        diag = bool(dr and dc)
        nb = at + (dr * width + dc)
        if diag:  # no corner cutting between two impassable cells
            ok[:, j] = pad.take(nb) & (pad.take(at + dr * width) | pad.take(at + dc))
        else:
            ok[:, j] = pad.take(nb)
        col[:, j] = ids.take(nb)
        w[:, j] = here[diag] + flat[diag].take(nb)
    counts = ok.sum(axis=1)
    return counts, col[ok], w[ok]
