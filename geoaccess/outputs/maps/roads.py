"""Road layer: the mapped road lines, for reading travel times against the network."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd

from ..._validate import require_crs, require_frame
from .base import check_map, display_strings, geojson_frame, import_folium, new_map

if TYPE_CHECKING:  # pragma: no cover
    import folium


def add_roads(m: folium.Map | None, roads: gpd.GeoDataFrame, *, name: str = "Mapped roads") -> folium.Map:
    """Add road lines (thin dark lines, tooltip with the road class) as one layer.

    Parameters
    ----------
    m : folium.Map or None
        Map to add to; a new one fitted to the roads when None.
    roads : GeoDataFrame
        Lines in any CRS; ``road_class`` and ``class_source`` are shown when present.
    name : str
        Layer name in the layer control.

    Returns
    -------
    folium.Map
        The same map (or the new one).
    """
    folium = import_folium()
    require_frame(roads, "roads")
    require_crs(roads, "roads")
    lines = roads[~(roads.geometry.isna() | roads.geometry.is_empty)].to_crs(4326)
    if m is None:
        m = new_map(lines.total_bounds, "OpenStreetMap")
    else:
        check_map(m)
    cols = [c for c in ("road_class", "class_source") if c in lines.columns]
    data = geojson_frame(lines.geometry, {c: display_strings(lines[c]) for c in cols})
    folium.GeoJson(
        data,
        name=name,
        style_function=lambda _f: {"color": "#252525", "weight": 2, "opacity": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=cols) if cols else None,
    ).add_to(m)
    return m
