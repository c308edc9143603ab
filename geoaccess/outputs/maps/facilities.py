"""Facility layer: labelled markers, one style per facility type, with a legend.

See :func:`add_facilities` and :data:`FACILITY_STYLES`.
"""

from __future__ import annotations

import html
import math
import re
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..._validate import require_columns, require_crs, require_frame
from ..i18n import check_lang, t
from .base import add_box, check_map, display_strings, geojson_frame, import_folium, new_map, to_wgs84

if TYPE_CHECKING:  # pragma: no cover
    import folium

#: Marker style per facility ``type``: label shown on the marker, legend text, colour,
#: text colour and marker height in pixels (larger for higher levels of care).
FACILITY_STYLES: dict[str, dict[str, Any]] = {
    "rs": {
        "label": "RS",
        "name": "Rumah sakit (hospital)",
        "color": "#000000",
        "text": "#ffffff",
        "size": 20,
    },
    "puskesmas": {"label": "PKM", "name": "Puskesmas", "color": "#0072b2", "text": "#ffffff", "size": 18},
    "klinik": {"label": "KL", "name": "Klinik (clinic)", "color": "#cc79a7", "text": "#000000", "size": 16},
    "pustu": {
        "label": "PT",
        "name": "Pustu (puskesmas pembantu)",
        "color": "#56b4e9",
        "text": "#000000",
        "size": 15,
    },
    "posyandu": {"label": "PY", "name": "Posyandu", "color": "#009e73", "text": "#ffffff", "size": 14},
}
_OTHER_STYLE = {"label": "?", "name": "Other type", "color": "#666666", "text": "#ffffff", "size": 14}
_QUALITIES = ("source", "desa_centroid", "kecamatan_centroid", "missing")


def _quality_text(q: str, lang: str) -> str:
    return t(f"facility.quality.{q}", lang) if q in _QUALITIES else q


def _truthy(v: Any) -> bool:
    """True only for real True values (True, 1); NA, False, strings and others are False."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return False
    return isinstance(v, bool | np.bool_ | int | np.integer | float | np.floating) and v == 1


def _facility_icon_html(ftype: str, inpatient: bool, approx: bool, style: dict) -> str:
    classes = ["ga-fac", f"ga-fac-{re.sub(r'[^a-z0-9_-]', '', ftype) or 'other'}"]
    if inpatient:
        classes.append("ga-fac-inpatient")
    if approx:
        classes.append("ga-fac-approx")
    if approx:  # hollow: white inside, dashed border in the type's colour
        css = f"border-color:{style['color']}"
    else:
        css = f"background:{style['color']};border-color:{style['color']};color:{style['text']}"
    return f'<div class="{" ".join(classes)}" style="{css}">{style["label"]}</div>'


def add_facilities(
    m: folium.Map | None,
    facilities: gpd.GeoDataFrame,
    *,
    name: str | None = None,
    lang: str = "en",
) -> folium.Map:
    """Add health facilities as labelled markers, one style per ``type``, with a legend.

    Parameters
    ----------
    m : folium.Map or None
        Map to draw on; ``None`` makes a new map fitted to the facilities.
    facilities : GeoDataFrame
        Point layer with ``name`` and ``type`` (``puskesmas``, ``pustu``, ``posyandu``,
        ``klinik``, ``rs``; others are drawn grey with a ``?``) and optionally
        ``facility_id``, ``inpatient``, ``location_quality``, ``staff``, ``beds``.
        Inpatient (*rawat inap*) puskesmas, klinik etc. get a black ring (not RS: all
        have beds). Rows whose
        ``location_quality`` is not ``'source'`` (relocated to a desa or kecamatan
        centroid) are drawn hollow with a dashed border and the quality in the popup.
        Rows without geometry are skipped and listed (by ``facility_id``) in a
        :class:`~geoaccess.exceptions.GeoAccessWarning`. Not modified.
    name : str, optional
        Layer name in the layer control and legend title (default "Facilities").
    lang : {"en", "id"}
        Language of the legend, popups and tooltips (:mod:`geoaccess.outputs.i18n`);
        the ``name`` and ``label`` of :data:`FACILITY_STYLES` are the English ones.

    Returns
    -------
    folium.Map
        ``m`` (or the new map) with the markers and legend added.

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
    >>> m = maps.add_facilities(maps.map_travel_time(desa, tiles=None), facilities)
    >>> names = [layer.layer_name for layer in m._children.values() if hasattr(layer, "layer_name")]
    >>> names[-1]  # the layer just added
    'Facilities'
    """
    folium = import_folium()
    check_lang(lang)
    if name is None:
        name = t("map.layer.facilities", lang)
    require_frame(facilities, "facilities")
    require_crs(facilities, "facilities")
    require_columns(facilities, ["name", "type"], "facilities")
    if m is not None:
        check_map(m)
    gdf = to_wgs84(facilities, "facilities", id_col="facility_id", what="facilities", allowed=("Point",))
    if m is None:
        m = new_map(gdf.total_bounds, "OpenStreetMap")

    ftype = gdf["type"].astype(object).map(lambda v: "" if pd.isna(v) else str(v).strip().lower())
    if "inpatient" in gdf.columns:
        inpatient = gdf["inpatient"].astype(object).map(_truthy)
    else:
        inpatient = pd.Series(False, index=gdf.index)
    if "location_quality" in gdf.columns:
        quality = gdf["location_quality"].astype(object).map(lambda v: "unknown" if pd.isna(v) else str(v))
    else:
        quality = pd.Series("source", index=gdf.index)
    approx = quality != "source"

    popup_cols: list[tuple[str, list[str]]] = [(t("map.alias.name", lang), display_strings(gdf["name"]))]
    if "facility_id" in gdf.columns:
        popup_cols.append((t("facility.alias.id", lang), display_strings(gdf["facility_id"])))
    popup_cols.append((t("facility.alias.type", lang), [html.escape(ft or "–") for ft in ftype]))
    if "inpatient" in gdf.columns:
        yes, no, unknown = (t(f"word.{w}", lang) for w in ("yes", "no", "unknown"))
        popup_cols.append(
            (
                t("facility.alias.inpatient", lang),
                [
                    unknown if pd.isna(v) else (yes if _truthy(v) else no)
                    for v in gdf["inpatient"].astype(object)
                ],
            )
        )
    popup_cols.append(
        (t("facility.alias.location", lang), [html.escape(_quality_text(q, lang)) for q in quality])
    )
    for col in ("staff", "beds"):
        if col in gdf.columns:
            popup_cols.append((t(f"facility.alias.{col}", lang), display_strings(gdf[col])))

    group = folium.FeatureGroup(name=name)
    # the inpatient ring marks rawat inap puskesmas (and klinik); every RS has beds anyway
    keys = pd.DataFrame(
        {
            "type": ftype.to_numpy(),
            "ring": inpatient.to_numpy(dtype=bool) & (ftype != "rs").to_numpy(),
            "approx": approx.to_numpy(dtype=bool),
        }
    )
    props_all = {f"ga_p{i}": vals for i, (_, vals) in enumerate(popup_cols)}
    type_unknown = t("facility.type_unknown", lang)
    tip_ip, tip_ap = t("facility.tip_inpatient", lang), t("facility.tip_approx", lang)
    tip = [
        html.escape(f"{n} ({ft or type_unknown}{tip_ip if ip else ''}{tip_ap if ap else ''})")
        for n, ft, ip, ap in zip(gdf["name"].astype(object), ftype, keys["ring"], keys["approx"], strict=True)
    ]
    # higher levels of care on top: Leaflet stacks markers by zIndexOffset
    rank = {t: i for i, t in enumerate(reversed(FACILITY_STYLES))}
    groups = keys.groupby(["type", "ring", "approx"]).groups
    for (ft, ip, ap), sub in sorted(groups.items(), key=lambda kv: str(kv[0])):
        pos = np.asarray(sub)
        style = FACILITY_STYLES.get(ft, _OTHER_STYLE)
        size = style["size"] + (4 if ip else 0)
        width = max(size, 7 * len(style["label"]) + 8)
        icon = folium.DivIcon(
            html=_facility_icon_html(ft, bool(ip), bool(ap), style),
            icon_size=(width, size),
            icon_anchor=(width // 2, size // 2),
            class_name="ga-fac-icon",
        )
        props = {k: [v[i] for i in pos] for k, v in props_all.items()}
        props["ga_tip"] = [tip[i] for i in pos]
        data = geojson_frame(gdf.geometry.iloc[pos], props)
        folium.GeoJson(
            data,
            control=False,
            marker=folium.Marker(
                icon=icon, z_index_offset=1000 * (rank.get(ft, -1) + 1) + (500 if ip else 0)
            ),
            tooltip=folium.GeoJsonTooltip(fields=["ga_tip"], labels=False),
            popup=folium.GeoJsonPopup(fields=list(props_all), aliases=[a for a, _ in popup_cols]),
        ).add_to(group)
    group.add_to(m)

    # legend
    rows = []
    counts = ftype.value_counts()
    for ft in [*FACILITY_STYLES, *sorted(set(counts.index) - set(FACILITY_STYLES))]:
        if ft not in counts.index:
            continue
        style = FACILITY_STYLES.get(ft, _OTHER_STYLE)
        label = (
            t(f"facility.{ft}", lang)
            if ft in FACILITY_STYLES
            else t("facility.other_named", lang, type=ft or t("facility.no_type", lang))
        )
        rows.append((_facility_icon_html(ft, False, False, style), label, int(counts[ft])))
    pkm = FACILITY_STYLES["puskesmas"]
    ring_types = sorted(set(keys.loc[keys["ring"], "type"]))
    if ring_types:
        ft = "puskesmas" if "puskesmas" in ring_types else ring_types[0]
        label = (
            t("facility.legend.inpatient_pkm", lang)
            if ring_types == ["puskesmas"]
            else t("facility.legend.inpatient", lang, types=", ".join(ring_types))
        )
        rows.append(
            (
                _facility_icon_html(ft, True, False, FACILITY_STYLES.get(ft, _OTHER_STYLE)),
                label,
                int(keys["ring"].sum()),
            )
        )
    n_approx = int(keys["approx"].sum())
    if n_approx:
        rows.append(
            (
                _facility_icon_html("puskesmas", False, True, pkm),
                t("facility.legend.approx", lang),
                n_approx,
            )
        )
    legend = f'<div class="ga-box-title">{html.escape(name)}</div>' + "".join(
        f'<div class="ga-row"><span class="ga-legend-icon">{icon}</span>'
        f'<span>{html.escape(label)}</span><span class="ga-count">{n:,}</span></div>'
        for icon, label, n in rows
    )
    add_box(
        m,
        f"ga_legend_fac_{group.get_name()}",
        legend,
        css_class="ga-legend",
        position="bottomleft",
        layer=group,
    )
    return m
