"""Place names drawn from the data: a light vector basemap that needs no internet.

:func:`add_place_labels` writes kecamatan names as light permanent labels and desa
names as smaller labels shown only when zoomed in (a class on the map set by a small
inlined script), so a map without background tiles stays readable offline.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import geopandas as gpd

from ..i18n import t
from .base import _set_attrs, _template, check_map, import_folium

if TYPE_CHECKING:  # pragma: no cover
    import folium

#: Zoom level from which desa names are shown.
DESA_LABEL_MIN_ZOOM = 12

_PANE = "ga_labels"

_CSS = """
.ga-label { background: transparent; border: none; }
.ga-label span { position: absolute; left: 0; top: 0; transform: translate(-50%, -50%);
  white-space: nowrap; font: 11px/1.2 Arial, Helvetica, sans-serif; color: #555555;
  text-shadow: 0 0 2px #ffffff, 0 0 2px #ffffff, 0 0 3px #ffffff; pointer-events: none; }
.ga-label-kec span { font-size: 13px; font-weight: bold; letter-spacing: 0.5px;
  color: #444444; text-transform: uppercase; opacity: 0.75; }
.leaflet-container .ga-label.ga-label-desa { display: none; }
.leaflet-container.ga-show-desa .ga-label.ga-label-desa { display: block; }
"""

_ZOOM_JS = """
{% macro script(this, kwargs) %}
(function () {
    var map = {{ this._parent.get_name() }};
    function toggle() {
        var el = map.getContainer();
        if (map.getZoom() >= {{ this.min_zoom }}) { el.classList.add('ga-show-desa'); }
        else { el.classList.remove('ga-show-desa'); }
    }
    map.on('zoomend', toggle);
    map.whenReady(toggle);
})();
{% endmacro %}
"""


def _names(gdf: gpd.GeoDataFrame | None) -> list[tuple[float, float, str]]:
    """(lat, lon, escaped name) at a point inside each named polygon."""
    if gdf is None or "name" not in gdf.columns:
        return []
    keep = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty) & gdf["name"].notna()]
    if not len(keep):
        return []
    keep = keep.to_crs(4326) if not keep.crs.equals("EPSG:4326") else keep
    pts = keep.geometry.representative_point()
    return [(p.y, p.x, html.escape(str(n))) for p, n in zip(pts, keep["name"], strict=True)]


def add_place_labels(
    m: folium.Map,
    kecamatan: gpd.GeoDataFrame | None = None,
    desa: gpd.GeoDataFrame | None = None,
    *,
    lang: str = "en",
    desa_min_zoom: int = DESA_LABEL_MIN_ZOOM,
) -> folium.Map:
    """Write kecamatan and desa names (their ``name`` column) on the map.

    Kecamatan names are light permanent labels; desa names show from zoom level
    ``desa_min_zoom`` on. The labels sit in their own pane above the areas (below the
    markers), let clicks and hovers through, and form one layer ("Place names") of the
    layer control. Everything is inlined: the saved map needs no internet for them.

    Parameters
    ----------
    m : folium.Map
        The map to write on.
    kecamatan, desa : GeoDataFrame, optional
        Polygons in any CRS with a ``name`` column; each name is written at a point
        inside its polygon. Frames without a ``name`` column are skipped.
    lang : {"en", "id"}
        Language of the layer name.
    desa_min_zoom : int
        Zoom level from which desa names show (default :data:`DESA_LABEL_MIN_ZOOM`).

    Returns
    -------
    folium.Map
        ``m`` with the labels added (unchanged if no name was found).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess.outputs import maps
    >>> from geoaccess.outputs.maps.labels import add_place_labels
    >>> desa = gpd.GeoDataFrame(
    ...     {"name": ["Desa A"], "travel_time_min": [12.0]},
    ...     geometry=[shapely.box(103.80, -3.72, 103.82, -3.70)], crs="EPSG:4326")
    >>> m = add_place_labels(maps.map_travel_time(desa, tiles=None), None, desa)
    >>> "ga-label-desa" in m.get_root().render()
    True
    """
    folium = import_folium()
    from branca.element import Element, Figure, MacroElement

    check_map(m)
    kec, des = _names(kecamatan), _names(desa)
    if not kec and not des:
        return m
    folium.map.CustomPane(_PANE, z_index=450, pointer_events=False).add_to(m)
    group = folium.FeatureGroup(name=t("map.layer.names", lang))
    for rows, cls in ((des, "ga-label-desa"), (kec, "ga-label-kec")):
        for lat, lon, name in rows:
            icon = folium.DivIcon(html=f"<span>{name}</span>", class_name=f"ga-label {cls}", icon_size=(0, 0))
            folium.Marker([lat, lon], icon=icon, pane=_PANE, interactive=False).add_to(group)
    group.add_to(m)
    root = m.get_root()
    assert isinstance(root, Figure), "a folium.Map always sits in a branca Figure"
    css = Element("")
    css._template = _template("{{ this.content }}")
    _set_attrs(css, content=f"<style>{_CSS}</style>", _geoaccess=True)
    root.header.add_child(css, name="geoaccess_label_css")
    zoom = MacroElement()
    zoom._template = _template(_ZOOM_JS)
    _set_attrs(zoom, min_zoom=int(desa_min_zoom), _geoaccess=True)
    m.add_child(zoom, name="geoaccess_label_zoom")
    return m
