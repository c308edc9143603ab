"""Road layer: the mapped road lines, for reading travel times against the network."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd

from ..._validate import require_crs, require_frame
from ..i18n import check_lang, t
from .base import check_map, display_strings, geojson_frame, import_folium, new_map

if TYPE_CHECKING:  # pragma: no cover
    import folium


def add_roads(
    m: folium.Map | None, roads: gpd.GeoDataFrame, *, name: str | None = None, lang: str = "en"
) -> folium.Map:
    """Add road lines (thin dark lines, tooltip with the road class) as one layer.

    Parameters
    ----------
    m : folium.Map or None
        Map to add to; a new one fitted to the roads when None.
    roads : GeoDataFrame
        Lines in any CRS; ``road_class`` and ``class_source`` are shown when present.
    name : str, optional
        Layer name in the layer control (default "Mapped roads").
    lang : {"en", "id"}
        Language of the layer name and tooltip.

    Returns
    -------
    folium.Map
        The same map (or the new one).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess.outputs import maps
    >>> desa = gpd.GeoDataFrame(
    ...     {"code": ["D1", "D2"], "name": ["Desa A", "Desa B"], "travel_time_min": [12.0, 75.0]},
    ...     geometry=[shapely.box(103.80, -3.72, 103.82, -3.70), shapely.box(103.82, -3.72, 103.84, -3.70)],
    ...     crs="EPSG:4326")
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:4326",
    ...     geometry=[shapely.LineString([(103.80, -3.71), (103.84, -3.71)])])
    >>> m = maps.add_roads(maps.map_travel_time(desa, tiles=None), roads)
    >>> names = [layer.layer_name for layer in m._children.values() if hasattr(layer, "layer_name")]
    >>> names[-1]  # the layer just added
    'Mapped roads'
    """
    folium = import_folium()
    check_lang(lang)
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
        name=name if name is not None else t("map.layer.roads", lang),
        style_function=lambda _f: {"color": "#252525", "weight": 2, "opacity": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=cols, aliases=[t(f"map.alias.{c}", lang) for c in cols])
        if cols
        else None,
    ).add_to(m)
    return m
