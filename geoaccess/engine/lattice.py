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
from .arrays import concat
from .speeds import KPH_TO_M_PER_MIN

__all__ = ["Lattice", "build_lattice", "offroad_speed_grid"]

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
    from rasterio import features
    from rasterio.transform import from_origin

    minx, miny, maxx, maxy = area_m.total_bounds
    x0 = np.floor(minx / resolution_m) * resolution_m
    y0 = np.ceil(maxy / resolution_m) * resolution_m
    ncols = int(np.ceil((maxx - x0) / resolution_m))
    nrows = int(np.ceil((y0 - miny) / resolution_m))
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

    m_per_min = speed * KPH_TO_M_PER_MIN
    rows, cols, w = [], [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        step = resolution_m * (np.sqrt(2.0) if dr and dc else 1.0)
        r0, r1 = 0, nrows - dr
        c0, c1 = max(0, -dc), ncols - max(0, dc)
        a = active[r0:r1, c0:c1]
        b = active[r0 + dr : r1 + dr, c0 + dc : c1 + dc]
        ok = a & b
        if dr and dc:  # no corner cutting between two impassable cells
            ok &= active[r0 + dr : r1 + dr, c0:c1] | active[r0:r1, c0 + dc : c1 + dc]
        ia = node_of_cell[r0:r1, c0:c1][ok]
        ib = node_of_cell[r0 + dr : r1 + dr, c0 + dc : c1 + dc][ok]
        t = (
            0.5 * step / m_per_min[r0:r1, c0:c1][ok]
            + 0.5 * step / m_per_min[r0 + dr : r1 + dr, c0 + dc : c1 + dc][ok]
        )
        rows += [ia, ib]
        cols += [ib, ia]
        w += [t, t]
    lat = Lattice(float(x0), float(y0), float(resolution_m), (nrows, ncols), node_of_cell, speed)
    return lat, xy, concat(rows, np.int64), concat(cols, np.int64), concat(w, float)
