"""The one-call map: travel time, roads, boundaries and facilities with a title.

:func:`access_map` stacks the layers of :mod:`~geoaccess.outputs.maps.areas`,
:mod:`~geoaccess.outputs.maps.roads` and :mod:`~geoaccess.outputs.maps.facilities` on
one map fitted to all of them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..._validate import require_columns, require_crs, require_frame
from ...exceptions import InputValidationError
from ..i18n import check_lang, t
from .areas import add_boundaries, map_travel_time
from .base import TIME_BANDS_MIN, add_box, check_map, import_folium, new_map
from .facilities import add_facilities
from .labels import add_place_labels
from .roads import add_roads

if TYPE_CHECKING:  # pragma: no cover
    import folium


def access_map(
    areas: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    *,
    roads: gpd.GeoDataFrame | None = None,
    time_col: str = "travel_time_min",
    title: str | None = None,
    bands_min: Sequence[float] = TIME_BANDS_MIN,
    tiles: Any = "OpenStreetMap",
    lang: str = "en",
    m: folium.Map | None = None,
) -> folium.Map:
    """One map with travel time, boundaries, facilities, a layer control and a title.

    Parameters
    ----------
    areas : GeoDataFrame
        Desa or cells with ``time_col`` (see :func:`~geoaccess.outputs.maps.map_travel_time`). If it has
        ``facility_id`` but no ``facility_name``, the nearest facility's name is looked
        up in ``facilities`` for the tooltip.
    facilities, boundaries : GeoDataFrame, optional
        See :func:`~geoaccess.outputs.maps.add_facilities` and
        :func:`~geoaccess.outputs.maps.add_boundaries`.
    roads : GeoDataFrame, optional
        Road lines, see :func:`~geoaccess.outputs.maps.add_roads`.
    time_col : str
        Travel-time column in minutes.
    title : str, optional
        Text of the title box (default "Travel time to the nearest health facility").
    bands_min : sequence of float
        Band cut points in minutes, default :data:`~geoaccess.outputs.maps.TIME_BANDS_MIN`.
    tiles : str, xyzservices provider or None
        Background tiles: the default offers OpenStreetMap tiles (need internet) as a
        base layer of the layer control, switched off at opening, so the map opens on a
        plain light background without any request; ``None`` for no tile layer at all.
    lang : {"en", "id"}
        Language of the title, layer names, legends, tooltips and popups of every
        layer (:mod:`geoaccess.outputs.i18n`); ``"id"`` for Bahasa Indonesia.
    m : folium.Map, optional
        Map to draw on (its view and tiles are kept; ``tiles`` is then not used); the
        layer control is redrawn last, listing the layers already there too.

    Returns
    -------
    folium.Map
        ``m``, or a new map fitted to all layers. It shows inline in Jupyter (end a cell
        with it) and is saved with :func:`~geoaccess.outputs.maps.save_map`.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess.outputs import maps
    >>> desa = gpd.GeoDataFrame(
    ...     {"code": ["D1", "D2"], "name": ["Desa A", "Desa B"], "travel_time_min": [12.0, 75.0]},
    ...     geometry=[shapely.box(103.80, -3.72, 103.82, -3.70), shapely.box(103.82, -3.72, 103.84, -3.70)],
    ...     crs="EPSG:4326")
    >>> facilities = gpd.GeoDataFrame(
    ...     {"facility_id": ["P1"], "name": ["Puskesmas A"], "type": ["puskesmas"], "inpatient": [True]},
    ...     geometry=[shapely.Point(103.81, -3.71)], crs="EPSG:4326")
    >>> kecamatan = gpd.GeoDataFrame({"code": ["K1"], "name": ["Kecamatan A"]},
    ...     geometry=[shapely.box(103.80, -3.72, 103.84, -3.70)], crs="EPSG:4326")
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:4326",
    ...     geometry=[shapely.LineString([(103.80, -3.71), (103.84, -3.71)])])
    >>> m = maps.access_map(desa, facilities, kecamatan, roads=roads, title="Contoh", tiles=None)
    >>> names = [layer.layer_name for layer in m._children.values() if hasattr(layer, "layer_name")]
    >>> {"Travel time (minutes)", "Mapped roads", "Kecamatan", "Facilities"} <= set(names)
    True
    """
    folium = import_folium()
    check_lang(lang)
    if m is not None:
        check_map(m)
    require_frame(areas, "areas")
    require_crs(areas, "areas")
    require_columns(areas, [time_col], "areas")
    if facilities is not None:
        require_frame(facilities, "facilities")
        require_crs(facilities, "facilities")
    if boundaries is not None:
        require_frame(boundaries, "boundaries")
        require_crs(boundaries, "boundaries")

    layer_areas = areas
    if (
        facilities is not None
        and "facility_id" in areas.columns
        and "facility_name" not in areas.columns
        and {"facility_id", "name"} <= set(facilities.columns)
    ):
        lookup = dict(zip(facilities["facility_id"].astype(str), facilities["name"], strict=True))
        ids = areas["facility_id"].astype(object)
        layer_areas = areas.assign(facility_name=[None if pd.isna(i) else lookup.get(str(i)) for i in ids])

    bounds = [layer_areas.to_crs(4326).total_bounds]
    for layer in (boundaries, facilities):
        if layer is not None:
            geom = layer.geometry[~(layer.geometry.isna() | layer.geometry.is_empty)]
            if len(geom):
                bounds.append(geom.to_crs(4326).total_bounds)
    arr = np.array(bounds)
    total = np.array([np.nanmin(arr[:, 0]), np.nanmin(arr[:, 1]), np.nanmax(arr[:, 2]), np.nanmax(arr[:, 3])])
    if not np.isfinite(total).all():
        raise InputValidationError("no row has a geometry; nothing to map", argument="areas")

    if m is None:
        m = new_map(total, tiles, lang)
    else:  # one layer control, drawn after every layer: drop the map's old one
        for key, child in list(m._children.items()):
            if isinstance(child, folium.LayerControl):
                m._children.pop(key)
    map_travel_time(
        layer_areas,
        time_col=time_col,
        m=m,
        bands_min=bands_min,
        name=t("map.layer.travel_time", lang),
        lang=lang,
    )
    if roads is not None:
        add_roads(m, roads, lang=lang)
    if boundaries is not None:
        add_boundaries(m, boundaries, lang=lang)
    if facilities is not None:
        add_facilities(m, facilities, lang=lang)
    add_place_labels(m, boundaries, layer_areas, lang=lang)
    folium.LayerControl(collapsed=True).add_to(m)  # a button: open, its 11 entries would cover the title
    text = title if title is not None else t("map.title.default", lang)
    add_box(m, "ga_title", html.escape(text), css_class="ga-title", position=None)
    return m
