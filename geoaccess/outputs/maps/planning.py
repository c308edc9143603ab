"""Planning layers: what a scenario changes per desa, and a budget proposal's sites.

- :func:`add_scenario_layer`: the change in population-weighted minutes per desa of a
  :class:`~geoaccess.planning.scenario.ScenarioComparison` (after minus before; blue =
  faster, red = slower, in the ColorBrewer *RdBu* diverging scheme, colour-blind safe),
  with the scenario's new, upgraded and closed sites as markers with popups.
- :func:`add_proposal_layer`: the sites of a :func:`~geoaccess.outputs.proposal.proposal_table`
  numbered in the order they were chosen, with a popup giving cost and people gained.

Both draw only Leaflet-native elements (GeoJson, DivIcon markers, the legend boxes of
:mod:`~geoaccess.outputs.maps.base`), so :func:`~geoaccess.outputs.maps.save_map` writes
a file that opens offline.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..._validate import require_columns, require_crs, require_frame
from ...exceptions import InputValidationError
from ..i18n import check_lang, t
from .base import (
    NO_DATA_COLOR,
    add_box,
    check_map,
    display_strings,
    geojson_frame,
    import_folium,
    new_map,
    to_wgs84,
)

if TYPE_CHECKING:  # pragma: no cover
    import folium

__all__ = ["CHANGE_BANDS_MIN", "CHANGE_COLORS", "add_proposal_layer", "add_scenario_layer"]

#: Cut points (minutes, after minus before) of the change classes; symmetric around 0.
#: A change within +-1 minute counts as "no change".
CHANGE_BANDS_MIN: tuple[float, ...] = (-30.0, -10.0, -1.0, 1.0, 10.0, 30.0)
#: ColorBrewer RdBu, 7 classes, blue (faster) to red (slower).
CHANGE_COLORS: tuple[str, ...] = (
    "#2166ac",
    "#67a9cf",
    "#d1e5f0",
    "#f7f7f7",
    "#fddbc7",
    "#ef8a62",
    "#b2182b",
)
#: Marker colour per scenario site kind; marker text and legend words in :mod:`..i18n`
#: (``site.label.<kind>``, ``site.<kind>``).
_SITE_COLORS = {"added": "#009e73", "upgraded": "#0072b2", "closed": "#d55e00"}
#: Colour of a desa where people can no longer reach the category (cut off): its own
#: class, never "faster" or "no data" (dark purple, apart from the red-blue scale).
CUT_OFF_COLOR = "#40004b"


def _action_text(action: Any, lang: str) -> str:
    a = str(action)
    return t(f"map.action.{a}", lang) if a in ("new", "upgrade") else a


_CATEGORY_KEYS = ("puskesmas", "inpatient", "hospital", "referral")


def _change_labels(lang: str) -> list[str]:
    """Legend labels of the change classes, fastest gain first."""
    return [t(f"change.{i}", lang) for i in range(len(CHANGE_COLORS))]


def _layer_control_last(m: Any) -> None:
    """Keep an existing layer control after the layers added since (so it lists them)."""
    for key, child in list(m._children.items()):
        if type(child).__name__ == "LayerControl":
            m._children.pop(key)
            m._children[key] = child


def _marker_icon(folium: Any, text: str, color: str, *, size: int = 22) -> Any:
    width = max(size, 8 * len(text) + 8)
    inner = (
        f'<div class="ga-fac" style="background:{color};border-color:#ffffff;color:#ffffff;'
        f'box-shadow:0 0 0 2px {color};font-size:10px">{html.escape(text)}</div>'
    )
    return folium.DivIcon(
        html=inner, icon_size=(width, size), icon_anchor=(width // 2, size // 2), class_name="ga-fac-icon"
    )


def _rp(v: Any) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(f):
        return "–"
    return f"Rp {f:,.0f} ({f / 1e9:,.2f} miliar)"


def add_scenario_layer(
    m: folium.Map | None,
    comparison: Any,
    desa_polygons: gpd.GeoDataFrame,
    category: str = "inpatient",
    *,
    facilities: gpd.GeoDataFrame | None = None,
    name: str | None = None,
    lang: str = "en",
) -> folium.Map:
    """Change in population-weighted minutes per desa, and the scenario's sites.

    Parameters
    ----------
    m : folium.Map or None
        Map to draw on; ``None`` makes a new map fitted to the desa.
    comparison : ScenarioComparison
        From :func:`geoaccess.compare_scenario`; its ``desa`` table gives, per desa
        ``code`` and ``category``, ``mean_min_before_reachable_both`` /
        ``mean_min_after_reachable_both`` (the same people: those who can reach the
        category before and after; a table without them: ``mean_min_before`` /
        ``mean_min_after``) and ``people_newly_unreachable``. A desa with people cut off
        (at least one person rounded) is drawn in its own "cut off" class, whatever the
        change of the others.
    desa_polygons : GeoDataFrame
        Desa polygons with ``code`` (e.g. ``result.desa``); desa not in the comparison
        (no people) are grey.
    category : str
        ``"inpatient"``, ``"puskesmas"``, ``"hospital"`` or ``"referral"``.
    facilities : GeoDataFrame, optional
        The baseline facility table (``result.facilities``): closed facilities are drawn
        at their location from it. Without it, closed ones are only counted in the legend.
    name : str, optional
        Layer name (default "Change in travel time to the <category> (min)").
    lang : {"en", "id"}
        Language of the layer name, legend, tooltips and popups.

    Returns
    -------
    folium.Map
        ``m`` (or the new map) with the desa layer, the site markers and a legend.

    Examples
    --------
    A kabupaten built by hand, and a new inpatient puskesmas in its east kecamatan:

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region()
    >>> from geoaccess.outputs import maps
    >>> result = ga.run_access(region, progress=False)
    >>> plan = ga.Scenario("puskesmas Timur").add_at(result.kecamatan, "K2", "NEW-1")
    >>> cmp = ga.compare_scenario(result, plan)
    >>> m = maps.add_scenario_layer(None, cmp, result.desa, "puskesmas", facilities=result.facilities)
    >>> names = [layer.layer_name for layer in m._children.values() if hasattr(layer, "layer_name")]
    >>> names[-1]  # the layer just added
    'Change in travel time to the puskesmas (min)'
    """
    folium = import_folium()
    check_lang(lang)
    for attr in ("desa", "facilities", "scenario"):
        if not hasattr(comparison, attr):
            raise InputValidationError(
                "expected a ScenarioComparison (geoaccess.compare_scenario), got "
                f"{type(comparison).__name__}",
                argument="comparison",
            )
    require_frame(desa_polygons, "desa_polygons")
    require_crs(desa_polygons, "desa_polygons")
    require_columns(desa_polygons, ["code"], "desa_polygons")
    table = comparison.desa
    cats = sorted(set(table["category"]))
    if category not in cats:
        raise InputValidationError(f"got {category!r}; the comparison has {cats}", argument="category")
    if m is not None:
        check_map(m)
    rows = table[table["category"] == category].drop_duplicates("code").set_index("code")
    gdf = to_wgs84(
        desa_polygons, "desa_polygons", id_col="code", what="desa", allowed=("Polygon", "MultiPolygon")
    )
    codes = gdf["code"].astype(object)
    both = "_reachable_both" if "mean_min_before_reachable_both" in rows else ""
    before = codes.map(rows[f"mean_min_before{both}"]).astype(float).to_numpy()
    after = codes.map(rows[f"mean_min_after{both}"]).astype(float).to_numpy()
    cut = (
        codes.map(rows["people_newly_unreachable"]).astype(float).fillna(0.0).to_numpy()
        if "people_newly_unreachable" in rows
        else np.zeros(len(codes))
    )
    change = after - before
    # side="left": a change of exactly -30 is "faster by > 30", exactly +1 is "no change"
    idx = np.searchsorted(np.asarray(CHANGE_BANDS_MIN), np.nan_to_num(change), side="left")
    cls = np.where(np.isfinite(change), idx, -1)
    n_cut_class = len(CHANGE_COLORS)  # people cut off: own class, before the change of the others
    cls = np.where(cut >= 0.5, n_cut_class, cls)
    if m is None:
        m = new_map(gdf.total_bounds, "OpenStreetMap")
    cat_text = t(f"category_short.{category}", lang) if category in _CATEGORY_KEYS else category
    layer_name = name or t("map.layer.scenario", lang, category=cat_text)
    no_data = t("change.no_data", lang)

    def fmt(v: float) -> str:
        return f"{v:.1f}" if math.isfinite(v) else "–"

    label = (gdf["name"].astype(object).fillna("").astype(str) if "name" in gdf else codes.astype(str)).map(
        html.escape
    )
    props = {
        "ga_color": [
            CUT_OFF_COLOR if c == n_cut_class else CHANGE_COLORS[c] if c >= 0 else NO_DATA_COLOR for c in cls
        ],
        "ga_name": list(label),
        "ga_before": [fmt(v) for v in before],
        "ga_after": [fmt(v) for v in after],
        "ga_change": [(f"{v:+.1f}" if math.isfinite(v) else no_data) for v in change],
        "ga_cut": [f"{v:,.0f}" for v in cut],
    }
    data = geojson_frame(gdf.geometry, props)

    def style(feature: dict) -> dict:
        return {
            "fillColor": feature["properties"]["ga_color"],
            "color": "#555555",
            "weight": 0.6,
            "fillOpacity": 0.8,
        }

    group = folium.FeatureGroup(name=layer_name)
    folium.GeoJson(
        data,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=["ga_name", "ga_change", "ga_before", "ga_after", "ga_cut"],
            aliases=[t(f"change.alias.{k}", lang) for k in ("desa", "change", "before", "after", "cut_off")],
            sticky=True,
        ),
    ).add_to(group)

    # sites: added and upgraded from the scenario's facility table, closed from the baseline
    facs = comparison.facilities
    sites = []
    if "scenario_change" in facs:
        for kind in ("added", "upgraded"):
            sub = facs[(facs["scenario_change"] == kind) & facs.geometry.notna()]
            if len(sub):
                sites.append(sub.assign(ga_kind=kind))
    closed = tuple(getattr(comparison.scenario, "closed", ()))
    n_closed_unplaced = 0
    if closed:
        if facilities is not None and "facility_id" in facilities:
            sub = facilities[facilities["facility_id"].astype(str).isin(closed) & facilities.geometry.notna()]
            n_closed_unplaced = len(closed) - len(sub)
            if len(sub):
                sites.append(sub.to_crs(facs.crs).assign(ga_kind="closed"))
        else:
            n_closed_unplaced = len(closed)
    counts = {k: 0 for k in _SITE_COLORS}
    for sub in sites:
        s84 = sub.to_crs(4326)
        kind = str(s84["ga_kind"].iloc[0])
        counts[kind] += len(s84)
        text, color, what = t(f"site.label.{kind}", lang), _SITE_COLORS[kind], t(f"site.{kind}", lang)
        props_s = {
            "ga_what": [what] * len(s84),
            "ga_name": display_strings(s84["name"]) if "name" in s84 else ["–"] * len(s84),
            "ga_id": display_strings(s84["facility_id"]) if "facility_id" in s84 else ["–"] * len(s84),
            "ga_kec": display_strings(s84["kecamatan"]) if "kecamatan" in s84 else ["–"] * len(s84),
        }
        folium.GeoJson(
            geojson_frame(s84.geometry, props_s),
            marker=folium.Marker(icon=_marker_icon(folium, text, color), z_index_offset=5000),
            tooltip=folium.GeoJsonTooltip(fields=["ga_what", "ga_name"], labels=False),
            popup=folium.GeoJsonPopup(
                fields=["ga_what", "ga_name", "ga_id", "ga_kec"],
                aliases=[t(f"change.alias.{k}", lang) for k in ("site", "name", "id", "kecamatan")],
            ),
        ).add_to(group)
    group.add_to(m)
    _layer_control_last(m)

    legend_rows = [
        f'<div class="ga-row"><span class="ga-swatch" style="background:{c}"></span>'
        f'<span>{html.escape(lab)}</span><span class="ga-count">{int((cls == i).sum()):,}</span></div>'
        for i, (lab, c) in enumerate(zip(_change_labels(lang), CHANGE_COLORS, strict=True))
    ]
    legend_rows.append(
        f'<div class="ga-row"><span class="ga-swatch" style="background:{CUT_OFF_COLOR}"></span>'
        f"<span>{html.escape(t('change.cut_off', lang))}</span>"
        f'<span class="ga-count">{int((cls == n_cut_class).sum()):,}</span></div>'
    )
    legend_rows.append(
        f'<div class="ga-row"><span class="ga-swatch" style="background:{NO_DATA_COLOR}"></span>'
        f'<span>{html.escape(no_data)}</span><span class="ga-count">{int((cls < 0).sum()):,}</span></div>'
    )
    for kind, color in _SITE_COLORS.items():
        text, what = t(f"site.label.{kind}", lang), t(f"site.{kind}", lang)
        if counts[kind]:
            legend_rows.append(
                f'<div class="ga-row"><span class="ga-legend-icon">'
                f'<div class="ga-fac" style="background:{color};border-color:{color};color:#fff">'
                f"{text}</div></span><span>{html.escape(what)}</span>"
                f'<span class="ga-count">{counts[kind]:,}</span></div>'
            )
    note = t("map.note.scenario", lang)
    if n_closed_unplaced:
        note += t("map.note.closed_unplaced", lang, n=n_closed_unplaced)
    legend = (
        f'<div class="ga-box-title">{html.escape(layer_name)}</div>'
        + "".join(legend_rows)
        + f'<div class="ga-note">{html.escape(note)}</div>'
    )
    add_box(
        m,
        f"ga_legend_scen_{group.get_name()}",
        legend,
        css_class="ga-legend",
        position="bottomright",
        layer=group,
    )
    return m


def add_proposal_layer(
    m: folium.Map | None, proposal: gpd.GeoDataFrame, *, name: str | None = None, lang: str = "en"
) -> folium.Map:
    """The proposed sites numbered in the order they were chosen, with cost and people gained.

    Parameters
    ----------
    m : folium.Map or None
        Map to draw on; ``None`` makes a new map fitted to the sites.
    proposal : GeoDataFrame
        From :func:`geoaccess.outputs.proposal.proposal_table` (points, with ``rank``,
        ``action``, ``cost_idr``, ``people_newly_within_<T>_min``, ...).
    name : str, optional
        Layer name in the layer control and legend title (default "Proposed sites").
    lang : {"en", "id"}
        Language of the layer name, legend, tooltips and popups.

    Returns
    -------
    folium.Map
        ``m`` (or the new map) with one numbered marker per site and a legend.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess.outputs import maps
    >>> from geoaccess.outputs.proposal import proposal_table
    >>> sites = gpd.GeoDataFrame(
    ...     {"name": ["Pkm A", "Desa B"], "kind": ["upgrade", "new"], "rank": [1, 2],
    ...      "cost": [1e9, 2.4e9], "cumulative_cost": [1e9, 3.4e9],
    ...      "people_newly_within": [5000.0, 6000.0],
    ...      "people_within_cumulative": [105000.0, 111000.0]},
    ...     geometry=[shapely.Point(103.81, -3.71), shapely.Point(103.83, -3.71)], crs=4326)
    >>> m = maps.add_proposal_layer(None, proposal_table(sites), lang="id")
    >>> names = [layer.layer_name for layer in m._children.values() if hasattr(layer, "layer_name")]
    >>> names[-1]  # the layer just added
    'Lokasi usulan'
    """
    folium = import_folium()
    check_lang(lang)
    if name is None:
        name = t("map.layer.proposal", lang)
    require_frame(proposal, "proposal")
    require_crs(proposal, "proposal")
    require_columns(proposal, ["rank", "action", "cost_idr", "cumulative_cost_idr"], "proposal")
    gained_cols = [c for c in proposal.columns if str(c).startswith("people_newly_within_")]
    if not gained_cols:
        raise InputValidationError(
            "no people_newly_within_<T>_min column; pass a table from proposal_table()", argument="proposal"
        )
    gained_col = gained_cols[0]
    tmin = gained_col.removeprefix("people_newly_within_").removesuffix("_min").replace("p", ".")
    if m is not None:
        check_map(m)
    if len(proposal) == 0:
        if m is None:
            raise InputValidationError("no sites to map", argument="proposal")
        return m
    gdf = to_wgs84(proposal, "proposal", id_col="site_id", what="sites", allowed=("Point",))
    if m is None:
        m = new_map(gdf.total_bounds, "OpenStreetMap")
    n = len(gdf)

    def col(c: str) -> list[str]:
        return display_strings(gdf[c]) if c in gdf else ["–"] * n

    props = {
        "ga_rank": [str(int(r)) for r in gdf["rank"]],
        "ga_name": col("name"),
        "ga_kec": col("kecamatan"),
        "ga_action": [html.escape(_action_text(a, lang)) for a in gdf["action"]],
        "ga_cost": [html.escape(_rp(v)) for v in gdf["cost_idr"]],
        "ga_gain": col(gained_col),
        "ga_per": col("people_per_miliar_idr"),
        "ga_cum": [html.escape(_rp(v)) for v in gdf["cumulative_cost_idr"]],
        "ga_target": [
            t("word.yes", lang) if bool(v) else t("word.no", lang)
            for v in gdf.get("for_target", pd.Series(False, index=gdf.index))
        ],
    }
    aliases = [
        t(f"proposal.alias.{k}", lang)
        for k in (
            "rank",
            "site",
            "kecamatan",
            "action",
            "cost",
            "gained",
            "per_miliar",
            "cumulative",
            "for_target",
        )
    ]
    aliases[5] = t("proposal.alias.gained", lang, t=tmin)
    group = folium.FeatureGroup(name=name)
    colors = {"new": "#009e73", "upgrade": "#0072b2"}
    for i in range(n):
        one = geojson_frame(gdf.geometry.iloc[[i]], {k: [v[i]] for k, v in props.items()})
        action = str(gdf["action"].iloc[i])
        folium.GeoJson(
            one,
            marker=folium.Marker(
                icon=_marker_icon(folium, props["ga_rank"][i], colors.get(action, "#444444")),
                z_index_offset=6000 - i,
            ),
            tooltip=folium.GeoJsonTooltip(fields=["ga_rank", "ga_name", "ga_action"], labels=False),
            popup=folium.GeoJsonPopup(fields=list(props), aliases=aliases),
        ).add_to(group)
    group.add_to(m)
    _layer_control_last(m)
    total_cost = float(gdf["cost_idr"].sum())
    total_gain = float(gdf[gained_col].sum())
    legend = (
        f'<div class="ga-box-title">{html.escape(name)}</div>'
        + "".join(
            f'<div class="ga-row"><span class="ga-legend-icon"><div class="ga-fac" '
            f'style="background:{c};border-color:{c};color:#fff">1</div></span>'
            f"<span>{html.escape(_action_text(a, lang))}</span>"
            f'<span class="ga-count">{int((gdf["action"] == a).sum()):,}</span></div>'
            for a, c in colors.items()
        )
        + '<div class="ga-note">'
        + html.escape(
            t("map.note.proposal", lang, n=n, cost=_rp(total_cost), gain=f"{total_gain:,.0f}", t=tmin)
        )
        + "</div>"
    )
    add_box(
        m,
        f"ga_legend_prop_{group.get_name()}",
        legend,
        css_class="ga-legend",
        position="topright",
        layer=group,
    )
    return m
