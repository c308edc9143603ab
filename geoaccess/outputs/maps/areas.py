"""Area layers: desa or lattice cells coloured by travel-time band, boundary outlines.

:func:`map_travel_time` draws the choropleth (with its legend of areas and people per
band); :func:`add_boundaries` draws kecamatan or desa outlines with summary popups, and
marks with a dashed :data:`GAP_COLOR` outline the areas whose priority score rests on
data gaps.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..._validate import require_columns, require_crs, require_frame
from ...exceptions import InputValidationError
from ..i18n import column_label, t
from .base import (
    NO_DATA_COLOR,
    TIME_BANDS_MIN,
    add_box,
    band_index,
    check_bands,
    check_map,
    display_strings,
    geojson_frame,
    import_folium,
    new_map,
    time_band_colors,
    time_band_labels,
    to_wgs84,
)

if TYPE_CHECKING:  # pragma: no cover
    import folium

#: Outline colour (dashed) of an area whose priority score rests on data gaps.
GAP_COLOR = "#d95f02"

_AREA_TYPES = ("Polygon", "MultiPolygon", "Point")
_POLYGON_TYPES = ("Polygon", "MultiPolygon")


def _numeric_minutes(df: pd.DataFrame, col: str, argument: str) -> np.ndarray:
    s = df[col]
    if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
        raise InputValidationError(
            f"column '{col}' must be numeric (minutes), got dtype {s.dtype}. "
            "Convert it with pandas.to_numeric() first.",
            argument=argument,
        )
    values = s.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    n_neg = int((values < 0).sum())
    if n_neg:
        raise InputValidationError(
            f"column '{col}' has {n_neg} negative travel time(s); times must be >= 0 "
            "(use NaN for unreachable)",
            argument=argument,
        )
    return values


def _check_names(cols: Sequence[str] | str | None, argument: str) -> list[str]:
    if cols is None:
        return []
    names = [cols] if isinstance(cols, str) else list(cols)
    bad = [c for c in names if not isinstance(c, str)]
    if bad:
        raise InputValidationError(f"column names must be strings, got {bad}", argument=argument)
    return names


def _aliases(cols: Sequence[str], lang: str) -> dict[str, str]:
    """Popup and tooltip names of the columns a layer names itself."""
    return {c: t(f"map.alias.{c}", lang) for c in cols}


def _alias(col: str, lang: str) -> str:
    """Name of any other column: itself in English (as before), its label in Indonesian."""
    return col if lang == "en" else column_label(col, lang)


def map_travel_time(
    areas: gpd.GeoDataFrame,
    *,
    time_col: str = "travel_time_min",
    m: folium.Map | None = None,
    bands_min: Sequence[float] = TIME_BANDS_MIN,
    name: str | None = None,
    popup_cols: Sequence[str] | None = None,
    tooltip_cols: Sequence[str] | None = None,
    tiles: Any = "OpenStreetMap",
    lang: str = "en",
) -> folium.Map:
    """Colour desa polygons or lattice cells by travel-time band, with a legend.

    Parameters
    ----------
    areas : GeoDataFrame
        Polygons (desa, square cells) or points (cell centres) in any CRS, with a
        travel-time column in minutes (``NaN`` / ``inf`` = unreachable or no data,
        drawn in grey). Rows without geometry are left out with a
        :class:`~geoaccess.exceptions.GeoAccessWarning`. The frame is not modified.
    time_col : str
        Column with the travel time in minutes.
    m : folium.Map, optional
        Map to draw on; a new one, fitted to ``areas``, if omitted.
    bands_min : sequence of float
        Increasing cut points in minutes (1 to 8); default :data:`~geoaccess.outputs.maps.TIME_BANDS_MIN`.
    name : str, optional
        Layer name in the layer control and legend title
        (default ``"Travel time (<time_col>)"``).
    popup_cols : list of str, optional
        Columns shown in a popup when an area is clicked.
    tooltip_cols : list of str, optional
        Columns shown on hover after the travel time and band. Default: ``name``,
        ``population``, ``people_unreachable`` (people who cannot reach any facility, left
        out of a desa's mean time), ``facility_name`` and ``facility_id`` where present.
    tiles : str, xyzservices provider or None
        Background tiles for a new map: the default offers OpenStreetMap tiles (need
        internet) as a base layer switched off at opening, so the map opens on a plain
        light background without any request; ``None`` for no tile layer at all.
    lang : {"en", "id"}
        Language of the legend, tooltips and popups (:mod:`geoaccess.outputs.i18n`).

    Returns
    -------
    folium.Map
        ``m`` (or the new map) with the layer and its legend added.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> desa = gpd.GeoDataFrame({"name": ["A", "B"], "travel_time_min": [12.0, None]},
    ...                         geometry=[box(103.7, -3.8, 103.8, -3.7),
    ...                                   box(103.8, -3.8, 103.9, -3.7)], crs=4326)
    >>> m = map_travel_time(desa)
    >>> type(m).__name__
    'Map'
    """
    folium = import_folium()
    require_frame(areas, "areas")
    require_crs(areas, "areas")
    popup_cols = _check_names(popup_cols, "popup_cols")
    tooltip_list = _check_names(tooltip_cols, "tooltip_cols")
    require_columns(areas, [time_col, *popup_cols, *tooltip_list], "areas")
    bands = check_bands(bands_min)
    if m is not None:
        check_map(m)
    _numeric_minutes(areas, time_col, "areas")  # validate before any work

    gdf = to_wgs84(
        areas,
        "areas",
        id_col="code" if "code" in areas.columns else "name",
        what="areas",
        allowed=_AREA_TYPES,
    )
    minutes = _numeric_minutes(gdf, time_col, "areas")
    band = band_index(minutes, bands)
    labels = time_band_labels(bands, lang)
    colors = time_band_colors(bands)
    no_data = t("map.no_data", lang)

    if tooltip_cols is None:
        tooltip_list = [
            c
            for c in ("name", "population", "people_unreachable", "facility_name", "facility_id")
            if c in gdf.columns
        ]
    aliases = _aliases(
        ("name", "population", "people_unreachable", "facility_name", "facility_id", "code"), lang
    )

    props: dict[str, Sequence[Any]] = {
        "ga_color": [colors[b] if b >= 0 else NO_DATA_COLOR for b in band],
        "ga_minutes": [f"{v:.0f}" if math.isfinite(v) else no_data for v in minutes],
        "ga_band": [html.escape(labels[b]) if b >= 0 else no_data for b in band],
    }
    tip_fields, tip_aliases = [], []
    for i, col in enumerate(tooltip_list):
        key = f"ga_t{i}"
        props[key] = display_strings(gdf[col])
        tip_fields.append(key)
        tip_aliases.append(aliases.get(col) or _alias(col, lang))
    popup_fields, popup_aliases = [], []
    for i, col in enumerate(popup_cols):
        key = f"ga_p{i}"
        props[key] = display_strings(gdf[col])
        popup_fields.append(key)
        popup_aliases.append(aliases.get(col) or _alias(col, lang))

    minutes_band = [t("map.alias.travel_time", lang), t("map.alias.band", lang)]
    if tooltip_list and tooltip_list[0] == "name":
        fields = [tip_fields[0], "ga_minutes", "ga_band", *tip_fields[1:]]
        field_aliases = [tip_aliases[0], *minutes_band, *tip_aliases[1:]]
    else:
        fields = ["ga_minutes", "ga_band", *tip_fields]
        field_aliases = [*minutes_band, *tip_aliases]

    data = geojson_frame(gdf.geometry, props)
    is_point = (gdf.geom_type == "Point").all()
    if m is None:
        m = new_map(gdf.total_bounds, tiles, lang)
    layer_name = name or t("map.layer.travel_time_col", lang, col=time_col)

    outline = "#ffffff" if is_point else "#555555"

    def style(feature: dict) -> dict:
        return {
            "fillColor": feature["properties"]["ga_color"],
            "color": outline,
            "weight": 0.6,
            "fillOpacity": 0.75,
            "opacity": 0.9,
        }

    layer = folium.GeoJson(
        data,
        name=layer_name,
        style_function=style,
        highlight_function=lambda _f: {"weight": 2.5, "color": "#000000"},
        marker=folium.CircleMarker(radius=6, fill=True) if is_point else None,
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=field_aliases, sticky=True),
        popup=folium.GeoJsonPopup(fields=popup_fields, aliases=popup_aliases) if popup_fields else None,
    )
    layer.add_to(m)

    # legend: every band, counts (and people) per band, and the grey no-data entry
    pop = None
    if "population" in gdf.columns and pd.api.types.is_numeric_dtype(gdf["population"]):
        pop = gdf["population"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    rows = []
    for b, (label, color) in enumerate([*zip(labels, colors, strict=True), (no_data, NO_DATA_COLOR)]):
        sel = band == (b if b < len(labels) else -1)
        count = f"{int(sel.sum()):,}"
        if pop is not None:
            count += " · " + t("map.count_people", lang, n=f"{np.nansum(pop[sel]):,.0f}")
        rows.append(
            f'<div class="ga-row"><span class="ga-swatch" style="background:{color}"></span>'
            f'<span>{html.escape(label)}</span><span class="ga-count">{count}</span></div>'
        )
    note = t("map.note.counts_people" if pop is not None else "map.note.counts_areas", lang)
    if bands == tuple(float(b) for b in TIME_BANDS_MIN):
        note += t("map.note.riskesdas", lang)
    legend = (
        f'<div class="ga-box-title">{html.escape(layer_name)}</div>'
        + "".join(rows)
        + f'<div class="ga-note">{note}</div>'
    )
    add_box(
        m,
        f"ga_legend_time_{layer.get_name()}",
        legend,
        css_class="ga-legend",
        position="bottomright",
        layer=layer,
    )
    return m


def add_boundaries(
    m: folium.Map | None,
    boundaries: gpd.GeoDataFrame,
    *,
    name: str | None = None,
    popup_cols: Sequence[str] | None = None,
    lang: str = "en",
) -> folium.Map:
    """Add administrative boundaries as outlines (no fill), with popups.

    Parameters
    ----------
    m : folium.Map or None
        Map to draw on; ``None`` makes a new map fitted to the boundaries.
    boundaries : GeoDataFrame
        Polygons (kecamatan, desa) in any CRS. Not modified.
    name : str, optional
        Layer name in the layer control (default "Kecamatan").
    popup_cols : list of str, optional
        Columns shown when an outline is clicked. Default: ``name``, ``code`` and every
        numeric column (summaries such as population or people beyond 60 minutes),
        at most 12, then ``data_gaps`` when present.
    lang : {"en", "id"}
        Language of the popups and tooltips; with ``"id"`` the popups show the
        Indonesian column labels of :func:`geoaccess.outputs.i18n.column_label`.

    Returns
    -------
    folium.Map
        ``m`` (or the new map) with the outlines added. The outlines are not filled so
        the travel-time layer below stays hoverable: hover or click on a line.
        Boundaries whose ``score_rests_on_gaps`` is True (from
        :func:`geoaccess.planning.priority.mark_data_gaps`) are drawn with a dashed orange outline,
        their tooltip says "score rests on data gaps" and the popup lists the gaps: a
        data gap is not a finding.

    Examples
    --------
    Layers stack on one map (``m`` is returned each time):

    >>> import geopandas as gpd, shapely
    >>> from geoaccess.outputs import maps
    >>> desa = gpd.GeoDataFrame(
    ...     {"code": ["D1", "D2"], "name": ["Desa A", "Desa B"], "travel_time_min": [12.0, 75.0]},
    ...     geometry=[shapely.box(103.80, -3.72, 103.82, -3.70), shapely.box(103.82, -3.72, 103.84, -3.70)],
    ...     crs="EPSG:4326")
    >>> kecamatan = gpd.GeoDataFrame({"code": ["K1"], "name": ["Kecamatan A"]},
    ...     geometry=[shapely.box(103.80, -3.72, 103.84, -3.70)], crs="EPSG:4326")
    >>> m = maps.map_travel_time(desa, tiles=None)
    >>> m = maps.add_boundaries(m, kecamatan)
    >>> names = [layer.layer_name for layer in m._children.values() if hasattr(layer, "layer_name")]
    >>> names[-1]  # the layer just added
    'Kecamatan'
    """
    folium = import_folium()
    require_frame(boundaries, "boundaries")
    require_crs(boundaries, "boundaries")
    cols = _check_names(popup_cols, "popup_cols")
    require_columns(boundaries, cols, "boundaries")
    if m is not None:
        check_map(m)
    gdf = to_wgs84(boundaries, "boundaries", id_col="code", what="boundaries", allowed=_POLYGON_TYPES)
    if popup_cols is None:
        geom_name = gdf.geometry.name
        cols = [c for c in ("name", "code") if c in gdf.columns]
        cols += [
            c
            for c in gdf.columns
            if c not in cols
            and c != geom_name
            and pd.api.types.is_numeric_dtype(gdf[c])
            and not pd.api.types.is_bool_dtype(gdf[c])
        ][: 12 - len(cols)]
        if "data_gaps" in gdf.columns:
            cols.append("data_gaps")
    if m is None:
        m = new_map(gdf.total_bounds, "OpenStreetMap", lang)
    aliases = _aliases(("name", "code", "population", "data_gaps"), lang)
    props: dict[str, list[Any]] = {f"ga_p{i}": display_strings(gdf[c]) for i, c in enumerate(cols)}
    gap = (
        gdf["score_rests_on_gaps"].fillna(False).astype(bool).tolist()
        if "score_rests_on_gaps" in gdf.columns
        else [False] * len(gdf)
    )
    props["ga_gap"] = gap
    has_name = "name" in gdf.columns
    if has_name:
        props["ga_name"] = [
            t("map.gap_suffix", lang, name=n) if g else n
            for n, g in zip(display_strings(gdf["name"]), gap, strict=True)
        ]
    data = geojson_frame(gdf.geometry, props)

    def style(feature: dict) -> dict:
        if feature["properties"].get("ga_gap"):
            return {"fill": False, "color": GAP_COLOR, "weight": 3, "opacity": 1.0, "dashArray": "8 6"}
        return {"fill": False, "color": "#222222", "weight": 2, "opacity": 0.9}

    folium.GeoJson(
        data,
        name=name if name is not None else t("map.layer.kecamatan", lang),
        style_function=style,
        highlight_function=lambda _f: {"weight": 4, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["ga_name"], labels=False) if has_name else None,
        popup=folium.GeoJsonPopup(
            fields=[f"ga_p{i}" for i in range(len(cols))],
            aliases=[aliases.get(c) or _alias(c, lang) for c in cols],
        )
        if cols
        else None,
    ).add_to(m)
    return m
