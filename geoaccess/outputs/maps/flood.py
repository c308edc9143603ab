"""Flood layers: hazard areas by class, the facilities standing in them, critical roads.

The hazard layer takes the standard hazard polygons of :mod:`geoaccess.analysis.flood`
(``hazard_class`` rendah / sedang / tinggi / unknown, optional ``hazard_index`` and
``depth_m``); the facility layer takes :attr:`geoaccess.analysis.flood.FloodExposure.facilities`;
the critical-roads layer takes the table of :func:`geoaccess.pipeline.with_critical_links`
(or :func:`geoaccess.engine.links.critical_links`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np

from ..._validate import require_columns, require_crs, require_frame
from ..i18n import check_lang, t
from .base import add_box, check_map, display_strings, geojson_frame, import_folium, new_map

if TYPE_CHECKING:  # pragma: no cover
    import folium

__all__ = ["HAZARD_COLORS", "LINK_COLORS", "add_critical_links", "add_flood_facilities", "add_hazard_layer"]

#: Fill colour per hazard class (ColorBrewer YlOrRd for the three InaRISK classes; grey
#: for areas without a hazard figure).
HAZARD_COLORS: dict[str, str] = {
    "rendah": "#ffeda0",
    "sedang": "#feb24c",
    "tinggi": "#f03b20",
    "unknown": "#bdbdbd",
}
_CLASS_ORDER = ("tinggi", "sedang", "rendah", "unknown")


def add_hazard_layer(
    m: folium.Map | None,
    hazard: gpd.GeoDataFrame,
    *,
    name: str | None = None,
    population: Any = None,
    show: bool = True,
    lang: str = "en",
) -> folium.Map:
    """Shade hazard polygons by class, with a legend counting areas (and people).

    Parameters
    ----------
    m : folium.Map or None
        Map to add to; a new one fitted to the hazard polygons when None.
    hazard : GeoDataFrame
        Polygons with ``hazard_class`` (``hazard_index``, ``depth_m``, ``name`` shown
        when present), any CRS.
    name : str, optional
        Layer name (default "Flood hazard").
    population : array-like, optional
        People per polygon (e.g. the desa population), counted per class in the legend.
    show : bool
        Whether the layer is switched on when the map opens.
    lang : {"en", "id"}
        Language of the layer name, legend and tooltip.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess.outputs import maps
    >>> desa = gpd.GeoDataFrame(
    ...     {"code": ["D1", "D2"], "name": ["Desa A", "Desa B"], "travel_time_min": [12.0, 75.0]},
    ...     geometry=[shapely.box(103.80, -3.72, 103.82, -3.70), shapely.box(103.82, -3.72, 103.84, -3.70)],
    ...     crs="EPSG:4326")
    >>> hazard = desa.assign(hazard_class=["tinggi", "rendah"])
    >>> m = maps.add_hazard_layer(None, hazard, population=[1000, 3000])
    >>> names = [layer.layer_name for layer in m._children.values() if hasattr(layer, "layer_name")]
    >>> names[-1]  # the layer just added
    'Flood hazard'
    """
    folium = import_folium()
    check_lang(lang)
    if name is None:
        name = t("map.layer.flood", lang)
    require_frame(hazard, "hazard")
    require_crs(hazard, "hazard")
    require_columns(hazard, ["hazard_class"], "hazard")
    h = hazard[~(hazard.geometry.isna() | hazard.geometry.is_empty)].to_crs(4326)
    cls = h["hazard_class"].astype(str).str.lower().where(lambda s: s.isin(HAZARD_COLORS), "unknown")
    if m is None:
        m = new_map(h.total_bounds, "OpenStreetMap")
    else:
        check_map(m)
    cols = [c for c in ("name", "hazard_class", "hazard_index", "depth_m") if c in h.columns]
    props = {c: display_strings(h[c]) for c in cols}
    props["_color"] = [HAZARD_COLORS[c] for c in cls]
    layer = folium.GeoJson(
        geojson_frame(h.geometry, props),
        name=name,
        show=show,
        style_function=lambda f: {
            "fillColor": f["properties"]["_color"],
            "color": "#636363",
            "weight": 0.5,
            "fillOpacity": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(fields=cols, aliases=[_hazard_alias(c, lang) for c in cols])
        if cols
        else None,
    )
    layer.add_to(m)
    pop = None if population is None else np.asarray(population, dtype=float)
    if pop is not None and len(pop) != len(hazard):
        from ...exceptions import InputValidationError

        raise InputValidationError(
            f"needs one figure per hazard polygon ({len(hazard)}), got {len(pop)}", argument="population"
        )
    if pop is not None:
        pop = pop[~(hazard.geometry.isna() | hazard.geometry.is_empty).to_numpy()]
    rows = []
    for c in _CLASS_ORDER:
        sel = (cls == c).to_numpy()
        if not sel.any():
            continue
        count = t("map.count_areas", lang, n=int(sel.sum()))
        if pop is not None:
            count += " · " + t("map.count_people", lang, n=f"{np.nansum(pop[sel]):,.0f}")
        rows.append(
            f'<div class="ga-row"><span class="ga-swatch" style="background:{HAZARD_COLORS[c]}"></span>'
            f'<span>{html.escape(t(f"hazard.{c}", lang))}</span><span class="ga-count">{count}</span></div>'
        )
    note = t("map.note.hazard", lang)
    legend = (
        f'<div class="ga-box-title">{html.escape(name)}</div>'
        + "".join(rows)
        + f'<div class="ga-note">{note}</div>'
    )
    add_box(
        m,
        f"ga_legend_hazard_{layer.get_name()}",
        legend,
        css_class="ga-legend",
        position="bottomleft",
        layer=layer,
    )
    return m


def _hazard_alias(col: str, lang: str) -> str:
    return t("map.alias.hazard_name" if col == "name" else f"map.alias.{col}", lang)


def add_flood_facilities(
    m: folium.Map | None, facilities: gpd.GeoDataFrame, *, name: str | None = None, lang: str = "en"
) -> folium.Map:
    """Facilities as circles coloured by the hazard class at their site.

    Parameters
    ----------
    m : folium.Map or None
        Map to add to.
    facilities : GeoDataFrame
        :attr:`~geoaccess.analysis.flood.FloodExposure.facilities` (``hazard_class``,
        ``name``, ``type``, ``site_known``).
    name : str, optional
        Layer name (default "Facilities by flood hazard").
    lang : {"en", "id"}
        Language of the layer name and tooltips.

    Returns
    -------
    folium.Map

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
    >>> m = maps.add_hazard_layer(None, desa.assign(hazard_class=["tinggi", "rendah"]))
    >>> at_risk = facilities.assign(hazard_class="tinggi", site_known=True)
    >>> m = maps.add_flood_facilities(m, at_risk)
    >>> names = [layer.layer_name for layer in m._children.values() if hasattr(layer, "layer_name")]
    >>> names[-1]  # the layer just added
    'Facilities by flood hazard'
    """
    folium = import_folium()
    check_lang(lang)
    if name is None:
        name = t("map.layer.flood_facilities", lang)
    require_frame(facilities, "facilities")
    require_crs(facilities, "facilities")
    require_columns(facilities, ["hazard_class"], "facilities")
    f = facilities[~(facilities.geometry.isna() | facilities.geometry.is_empty)].to_crs(4326)
    if m is None:
        m = new_map(f.total_bounds, "OpenStreetMap")
    else:
        check_map(m)
    group = folium.FeatureGroup(name=name)
    for r in f.itertuples():
        c = str(r.hazard_class).lower()
        color = HAZARD_COLORS.get(c, HAZARD_COLORS["unknown"])
        cls_text = t(f"hazard.{c}", lang) if c in HAZARD_COLORS else c
        label = html.escape(
            t("map.flood_tip", lang, name=getattr(r, "name", ""), type=getattr(r, "type", ""), cls=cls_text)
        )
        if getattr(r, "site_known", True) is False:
            label += t("map.flood_tip_unplaced", lang)
        folium.CircleMarker(
            location=(r.geometry.y, r.geometry.x),
            radius=6 if c != "tinggi" else 9,
            color="#252525",
            weight=1,
            fill=True,
            fill_color=color,
            fill_opacity=0.9,
            tooltip=label,
        ).add_to(group)
    group.add_to(m)
    return m


#: Line colour of the critical roads by the people a cut pushes beyond the threshold:
#: some (red), none but a delay (orange). ColorBrewer Reds / Oranges.
LINK_COLORS: dict[str, str] = {"pushed": "#cb181d", "delay": "#fd8d3c"}


def add_critical_links(
    m: folium.Map | None,
    links: gpd.GeoDataFrame,
    *,
    pushed_col: str | None = None,
    name: str | None = None,
    show: bool = False,
    lang: str = "en",
) -> folium.Map:
    """Road links whose cut slows people down, thicker the more people it pushes out.

    Parameters
    ----------
    m : folium.Map or None
        Map to add to; a new one fitted to the links when None.
    links : GeoDataFrame
        One season's rows of the critical-links table: line geometry, ``rank``,
        ``person_min_delay``, ``people_cut_off``, the people-pushed column and, when
        present, ``road_name``, ``road_class`` and ``length_m``. Links without any delay
        are left out (a cut that changes nobody's trip is not critical).
    pushed_col : str, optional
        The people-pushed column (default: the one column named
        ``people_pushed_beyond_<t>_min``, else ``people_pushed_beyond``).
    name : str, optional
        Layer name (default "Critical roads").
    show : bool
        Whether the layer is switched on when the map opens.
    lang : {"en", "id"}
        Language of the layer name and tooltips.

    Returns
    -------
    folium.Map

    Examples
    --------
    Two links of a critical-links table (:func:`geoaccess.with_critical_links`); the
    second delays nobody when cut, so it is left out:

    >>> import geopandas as gpd, shapely
    >>> from geoaccess.outputs import maps
    >>> links = gpd.GeoDataFrame(
    ...     {"rank": [1, 2], "road_name": ["Jalan Poros", "Jalan Desa"], "length_m": [2000.0, 1000.0],
    ...      "people_pushed_beyond_60_min": [650.0, 0.0], "person_min_delay": [19_800.0, 0.0],
    ...      "people_cut_off": [0.0, 0.0]},
    ...     geometry=[shapely.LineString([(103.80, -3.71), (103.82, -3.71)]),
    ...               shapely.LineString([(103.82, -3.72), (103.82, -3.70)])], crs="EPSG:4326")
    >>> m = maps.add_critical_links(None, links, lang="id")
    >>> group = [layer for layer in m._children.values() if hasattr(layer, "layer_name")][-1]
    >>> group.layer_name, len(group._children)  # the layer just added, with one road
    ('Ruas jalan kritis', 1)
    >>> [tip.text for road in group._children.values() for tip in road._children.values()]
    ['#1 Jalan Poros (2.0 km): bila terputus, 650 jiwa melewati batas waktu, 0 jiwa terisolasi,
    tambahan waktu 19.800 jiwa-menit']
    """
    folium = import_folium()
    check_lang(lang)
    if name is None:
        name = t("map.layer.critical_links", lang)
    require_frame(links, "links")
    require_crs(links, "links")
    if pushed_col is None:
        cand = [c for c in links.columns if str(c).startswith("people_pushed_beyond")]
        pushed_col = cand[0] if cand else "people_pushed_beyond"
    require_columns(links, [pushed_col, "person_min_delay", "people_cut_off", "rank"], "links")
    keep = ~(links.geometry.isna() | links.geometry.is_empty) & (
        (links["person_min_delay"].fillna(0) > 0) | (links[pushed_col].fillna(0) > 0)
    )
    lk = links[keep].to_crs(4326)
    if m is None:
        m = new_map(lk.total_bounds if len(lk) else links.to_crs(4326).total_bounds, "OpenStreetMap")
    else:
        check_map(m)
    group = folium.FeatureGroup(name=name, show=show)
    top = float(lk[pushed_col].max()) if len(lk) else 0.0
    for r in lk.itertuples():
        pushed = float(getattr(r, pushed_col))
        label = t(
            "map.link_tip",
            lang,
            rank=int(r.rank),
            road=str(getattr(r, "road_name", "") or getattr(r, "road_class", "")),
            km=f"{float(getattr(r, 'length_m', np.nan)) / 1000:.1f}",
            pushed=f"{pushed:,.0f}",
            delay=f"{float(r.person_min_delay):,.0f}",
            cut=f"{float(r.people_cut_off):,.0f}",
        )
        width = 3.0 + (7.0 * pushed / top if top > 0 else 0.0)
        color = LINK_COLORS["pushed"] if pushed > 0 else LINK_COLORS["delay"]
        folium.GeoJson(
            r.geometry.__geo_interface__,
            style_function=lambda f, c=color, w=width: {"color": c, "weight": w, "opacity": 0.85},
            tooltip=html.escape(label),
        ).add_to(group)
    group.add_to(m)
    legend = (
        f'<div class="ga-box-title">{html.escape(name)}</div>'
        f'<div class="ga-row"><span class="ga-swatch" style="background:{LINK_COLORS["pushed"]}"></span>'
        f"<span>{html.escape(t('map.link_pushed', lang))}</span></div>"
        f'<div class="ga-row"><span class="ga-swatch" style="background:{LINK_COLORS["delay"]}"></span>'
        f"<span>{html.escape(t('map.link_delay', lang))}</span></div>"
        f'<div class="ga-note">{html.escape(t("map.note.critical_links", lang))}</div>'
    )
    add_box(
        m,
        f"ga_legend_links_{group.get_name()}",
        legend,
        css_class="ga-legend",
        position="bottomleft",
        layer=group,
    )
    return m
