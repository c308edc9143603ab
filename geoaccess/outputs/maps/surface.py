"""Travel-time surface: a grid of minutes (the lattice cells) as an image layer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ...exceptions import InputValidationError
from ..i18n import check_lang, t
from .base import TIME_BANDS_MIN, band_index, check_bands, check_map, import_folium, new_map, time_band_colors

if TYPE_CHECKING:  # pragma: no cover
    import folium


def add_travel_time_surface(
    m: folium.Map | None,
    grid_min: np.ndarray,
    transform: Any,
    crs: Any,
    *,
    bands_min: Sequence[float] = TIME_BANDS_MIN,
    name: str | None = None,
    opacity: float = 0.65,
    show: bool = False,
    lang: str = "en",
) -> folium.Map:
    """Add a gridded travel-time surface (e.g. the lattice cells) as an image layer.

    The grid is warped to longitude/latitude (nearest neighbour), coloured with the same
    bands as :func:`~geoaccess.outputs.maps.map_travel_time` (NaN cells transparent) and
    embedded in the page as a PNG, so the HTML stays self-contained.

    Parameters
    ----------
    m : folium.Map or None
        Map to add to; a new one fitted to the grid when None.
    grid_min : ndarray
        2-D array of minutes; NaN where there is nothing to show.
    transform : affine.Affine
        Transform of the grid (rasterio convention, upper-left origin).
    crs : CRS-like
        CRS of the grid.
    bands_min : sequence of float
        Band cut points in minutes.
    name : str, optional
        Layer name (default "Travel time surface").
    opacity : float
        Layer opacity, 0 to 1.
    show : bool
        Switched on when the map opens (default off: it sits under the desa layer;
        switch the desa layer off to see it).
    lang : {"en", "id"}
        Language of the default layer name.

    Returns
    -------
    folium.Map

    Examples
    --------
    A 2 x 2 grid of 250 m cells in UTM 48S (one cell without data):

    >>> import numpy as np
    >>> from affine import Affine
    >>> from geoaccess.outputs import maps
    >>> grid = np.array([[5.0, 20.0], [45.0, np.nan]])
    >>> transform = Affine(250, 0, 400_000, 0, -250, 9_590_500)
    >>> m = maps.add_travel_time_surface(None, grid, transform, "EPSG:32748", show=True)
    >>> names = [layer.layer_name for layer in m._children.values() if hasattr(layer, "layer_name")]
    >>> names[-1]  # the layer just added
    'Travel time surface'
    """
    folium = import_folium()
    check_lang(lang)
    import rasterio.warp
    from rasterio.enums import Resampling

    grid = np.asarray(grid_min, dtype="float64")
    if grid.ndim != 2:
        raise InputValidationError(f"must be a 2-D array, got shape {grid.shape}", argument="grid_min")
    bands = check_bands(bands_min)
    h, w = grid.shape
    left, top = transform * (0, 0)
    right, bottom = transform * (w, h)
    dst_t, dw, dh = rasterio.warp.calculate_default_transform(
        crs, "EPSG:4326", w, h, left, bottom, right, top
    )
    dst = np.full((dh, dw), np.nan)
    rasterio.warp.reproject(
        grid,
        dst,
        src_transform=transform,
        src_crs=crs,
        dst_transform=dst_t,
        dst_crs="EPSG:4326",
        src_nodata=np.nan,
        dst_nodata=np.nan,
        resampling=Resampling.nearest,
    )
    colors = time_band_colors(bands)
    rgba = np.zeros((dh, dw, 4), dtype=np.uint8)
    idx = band_index(dst, bands)
    for i, c in enumerate(colors):
        sel = idx == i
        rgba[sel, 0], rgba[sel, 1], rgba[sel, 2] = (int(c[k : k + 2], 16) for k in (1, 3, 5))
        rgba[sel, 3] = 255
    west, north = dst_t * (0, 0)
    east, south = dst_t * (dw, dh)
    if m is None:
        m = new_map(np.array([west, south, east, north]), "OpenStreetMap")
    else:
        check_map(m)
    folium.raster_layers.ImageOverlay(
        rgba,
        bounds=[[south, west], [north, east]],
        opacity=opacity,
        name=name if name is not None else t("map.layer.surface", lang),
        # no re-projection to Web Mercator: near the equator over a kabupaten the
        # linear stretch Leaflet applies is off by far less than a cell, and folium's
        # mercator_project interpolates (blends) the band colours
        mercator_project=False,
        interactive=False,
        show=show,
    ).add_to(m)
    return m
