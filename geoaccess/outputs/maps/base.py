"""What every map layer shares: the travel-time bands and colours, the map, legend boxes.

Used by the layer modules (:mod:`~geoaccess.outputs.maps.areas`,
:mod:`~geoaccess.outputs.maps.facilities`, :mod:`~geoaccess.outputs.maps.roads`,
:mod:`~geoaccess.outputs.maps.surface`) and by :mod:`~geoaccess.outputs.maps.save`.

Travel-time bands
-----------------
:data:`TIME_BANDS_MIN` = ``(15, 30, 60, 120)`` minutes. Riskesdas (Riset Kesehatan
Dasar, Kementerian Kesehatan; the 2013 and 2018 rounds) asks households how long it
takes to reach a health facility and reports the answer in the bands *up to 15*,
*16-30*, *31-60* and *more than 60* minutes; geoaccess uses the same cut points so a
map can be read next to Riskesdas tables, and adds 120 minutes to separate the remote
desa that matter most for revitalisation. A band holds the times *above* the previous
cut point and *up to and including* its own (``(30, 60]`` is "30-60 min": exactly
60 minutes is in it, 60.2 is not). Times that are ``NaN`` or infinite are shown as
"unreachable / no data" in grey, never hidden.

Colours
-------
Bands use the ColorBrewer *YlOrRd* (yellow-orange-red) sequential scheme of
Cynthia Brewer (colorbrewer2.org), which ColorBrewer marks as colour-blind safe and
print friendly; with the default 4 cut points (5 bands) the colours are
:data:`TIME_BAND_COLORS`. Other numbers of bands take the matching ColorBrewer class
count (1 to 8 cut points). Unreachable / no data is the neutral grey
:data:`NO_DATA_COLOR`. Facility markers use blues, greens, purple and black (after the
Okabe-Ito colour-blind-safe palette, see
:data:`~geoaccess.outputs.maps.facilities.FACILITY_STYLES`) so they never look like a
travel-time band, and each type also carries a short text label (``RS``, ``PKM``,
``PT``, ``PY``, ``KL``) so colour is never the only cue.
"""

from __future__ import annotations

import html
import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..._validate import require_geom_types
from ...exceptions import CRSError, GeoAccessWarning, InputValidationError
from ..i18n import t

if TYPE_CHECKING:  # pragma: no cover
    import folium

#: Travel-time cut points in minutes: Riskesdas bands (<=15, 16-30, 31-60, >60 min)
#: plus 120 min for remote areas. See the module docstring.
TIME_BANDS_MIN: tuple[float, ...] = (15, 30, 60, 120)

# ColorBrewer YlOrRd, by number of classes (colorbrewer2.org, Cynthia A. Brewer).
_YLORRD: dict[int, tuple[str, ...]] = {
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    9: (
        "#ffffcc",
        "#ffeda0",
        "#fed976",
        "#feb24c",
        "#fd8d3c",
        "#fc4e2a",
        "#e31a1c",
        "#bd0026",
        "#800026",
    ),
}

#: Colours of the default bands (ColorBrewer YlOrRd, 5 classes), fastest first.
TIME_BAND_COLORS: tuple[str, ...] = _YLORRD[5]

#: Fill colour of areas whose travel time is NaN / infinite.
NO_DATA_COLOR = "#969696"
#: Legend and tooltip text for NaN / infinite travel times.
NO_DATA_LABEL = t("map.no_data", "en")

_MAX_LISTED = 20

_CSS = """
div.leaflet-container { background: #f4f3ee; }
.ga-box { background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 5px;
  box-shadow: 0 0 12px rgba(0,0,0,0.25); font: 12px/1.35 Arial, Helvetica, sans-serif;
  color: #222; }
.ga-box .ga-box-title { font-weight: bold; margin-bottom: 4px; }
.ga-box .ga-row { display: flex; align-items: center; margin: 2px 0; white-space: nowrap; }
.ga-box .ga-swatch { display: inline-block; width: 18px; height: 13px; margin-right: 6px;
  border: 1px solid #555; flex: none; opacity: 0.75; }
.ga-box .ga-count { color: #666; margin-left: 6px; }
.ga-box .ga-note { color: #555; margin-top: 4px; font-size: 11px; white-space: normal;
  max-width: 260px; }
.ga-title { position: absolute; top: 10px; left: 50%; transform: translateX(-50%);
  z-index: 1000; max-width: 60%; text-align: center; font-size: 15px; font-weight: bold; }
.ga-fac-icon { background: transparent; border: none; }
.ga-fac { box-sizing: border-box; display: flex; align-items: center; justify-content: center;
  width: 100%; height: 100%; border: 2px solid; border-radius: 999px;
  font: bold 9px/1 Arial, Helvetica, sans-serif; letter-spacing: -0.2px;
  box-shadow: 0 0 0 1px #ffffff; }
.ga-fac.ga-fac-rs { border-radius: 3px; }
.ga-fac.ga-fac-inpatient { box-shadow: 0 0 0 2px #ffffff, 0 0 0 4px #000000; }
.ga-fac.ga-fac-approx { background: rgba(255,255,255,0.85); border-style: dashed;
  font-style: italic; color: #222222; box-shadow: 0 0 0 1px #333333; }
.ga-legend-icon { position: relative; width: 30px; height: 18px; margin-right: 6px;
  flex: none; display: flex; align-items: center; justify-content: center; }
"""


# ----------------------------------------------------------------------------- bands


def check_bands(bands_min: Sequence[float]) -> tuple[float, ...]:
    """Validate band cut points (1 to 8 increasing minutes > 0); return them as floats.

    Raises :class:`~geoaccess.exceptions.InputValidationError` naming ``bands_min``.
    """
    try:
        bands = tuple(float(b) for b in bands_min)
    except (TypeError, ValueError) as err:
        raise InputValidationError(
            f"must be a sequence of numbers (minutes), got {bands_min!r}", argument="bands_min"
        ) from err
    problems = []
    if not 1 <= len(bands) <= 8:
        problems.append(f"give 1 to 8 cut points, got {len(bands)}")
    if any(not math.isfinite(b) or b <= 0 for b in bands):
        problems.append(f"cut points must be finite and > 0, got {list(bands)}")
    if any(b2 <= b1 for b1, b2 in itertools.pairwise(bands)):
        problems.append(f"cut points must increase, got {list(bands)}")
    if problems:
        raise InputValidationError(problems, argument="bands_min")
    return bands


def _fmt_min(v: float) -> str:
    return f"{v:g}"


def time_band_labels(bands_min: Sequence[float] = TIME_BANDS_MIN, lang: str = "en") -> list[str]:
    """Legend labels of the travel-time bands, fastest first (``lang``: "en" or "id").

    Parameters
    ----------
    bands_min : sequence of float
        Band cut points in minutes, increasing.
    lang : {"en", "id"}
        Language of the labels.

    Returns
    -------
    list of str
        One label per band: ``len(bands_min) + 1``.

    Examples
    --------
    >>> time_band_labels()
    ['≤ 15 min', '15–30 min', '30–60 min', '60–120 min', '> 120 min']
    >>> time_band_labels((30, 60), lang="id")
    ['≤ 30 menit', '30–60 menit', '> 60 menit']
    """
    bands = check_bands(bands_min)
    labels = [t("map.band_first", lang, b=_fmt_min(bands[0]))]
    labels += [t("map.band_mid", lang, a=_fmt_min(a), b=_fmt_min(b)) for a, b in itertools.pairwise(bands)]
    labels.append(t("map.band_last", lang, a=_fmt_min(bands[-1])))
    return labels


def time_band_colors(bands_min: Sequence[float] = TIME_BANDS_MIN) -> list[str]:
    """Fill colours of the travel-time bands (ColorBrewer YlOrRd), fastest first.

    Parameters
    ----------
    bands_min : sequence of float
        Band cut points in minutes, increasing.

    Returns
    -------
    list of str
        One hex colour per band: ``len(bands_min) + 1``.

    Examples
    --------
    >>> time_band_colors((30, 60))
    ['#ffeda0', '#feb24c', '#f03b20']
    """
    n = len(check_bands(bands_min)) + 1
    if n == 2:  # ColorBrewer starts at 3 classes: take its lightest and darkest
        return [_YLORRD[3][0], _YLORRD[3][2]]
    return list(_YLORRD[n])


def band_index(minutes: np.ndarray, bands: tuple[float, ...]) -> np.ndarray:
    """Band number per value (0 = fastest); -1 for NaN / infinite."""
    idx = np.searchsorted(np.asarray(bands), minutes, side="left")
    return np.where(np.isfinite(minutes), idx, -1)


# ----------------------------------------------------------------------------- layer data


def _row_ids(df: pd.DataFrame, mask: np.ndarray, id_col: str | None) -> list[str]:
    if id_col is not None and id_col in df.columns:
        ids = df.loc[mask, id_col]
    else:
        ids = df.index[mask].to_series()
    return [str(v) for v in ids]


def _listed(ids: list[str]) -> str:
    more = f" and {len(ids) - _MAX_LISTED} more" if len(ids) > _MAX_LISTED else ""
    return ", ".join(ids[:_MAX_LISTED]) + more


def to_wgs84(
    gdf: gpd.GeoDataFrame, argument: str, *, id_col: str | None, what: str, allowed: Sequence[str]
) -> gpd.GeoDataFrame:
    """Drop rows without geometry (with a warning), check types, reproject to EPSG:4326."""
    geom = gdf.geometry
    missing = (geom.isna() | geom.is_empty).to_numpy()
    if missing.all():
        raise InputValidationError("no row has a geometry; nothing to map", argument=argument)
    if missing.any():
        ids = _row_ids(gdf, missing, id_col)
        warnings.warn(
            f"{len(ids)} {what} without geometry are not shown on the map: {_listed(ids)}",
            GeoAccessWarning,
            stacklevel=3,
        )
    kept = gdf.loc[~missing]
    require_geom_types(kept, allowed, argument)
    out = kept.to_crs(4326) if not kept.crs.equals("EPSG:4326") else kept.copy()
    minx, miny, maxx, maxy = out.total_bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise CRSError(
            f"its coordinates do not fit its CRS ({gdf.crs.to_string()}): bounds "
            f"{[round(float(v), 3) for v in gdf.total_bounds]} cannot be placed on the globe. "
            "Set the CRS the coordinates are really in with `.set_crs(..., allow_override=True)`.",
            argument=argument,
        )
    return out


def _fmt_number(v: Any) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)) or v is pd.NA:
        return "–"
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, int | np.integer):
        return f"{int(v):,}"
    if isinstance(v, float | np.floating):
        v = float(v)
        if v.is_integer() or abs(v) >= 100:
            return f"{v:,.0f}"
        return f"{v:,.1f}" if abs(v) >= 10 else f"{v:.3g}"
    return str(v)


def display_strings(series: pd.Series) -> list[str]:
    """HTML-escaped display strings of a column (numbers formatted, NaN as a dash)."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return [html.escape(_fmt_number(v)) for v in series.astype(object)]
    return [html.escape("–" if pd.isna(v) else str(v)) for v in series.astype(object)]


def geojson_frame(geometry: gpd.GeoSeries, props: Mapping[str, Sequence[Any]]) -> gpd.GeoDataFrame:
    """A small frame holding only what the map shows (keeps the HTML small)."""
    data = {k: list(v) for k, v in props.items()}
    return gpd.GeoDataFrame(data, geometry=list(geometry), crs="EPSG:4326")


# ----------------------------------------------------------------------------- the map


def import_folium() -> Any:
    """The folium module, or an ``ImportError`` that says ``pip install folium``."""
    try:
        import folium
    except ImportError as err:
        raise ImportError("geoaccess maps need the folium package: pip install folium") from err
    return folium


def new_map(bounds: np.ndarray, tiles: Any, lang: str = "en") -> folium.Map:
    """A new map fitted (without animation) to ``bounds`` = (minx, miny, maxx, maxy) in EPSG:4326.

    It opens on a plain light background, so it makes no request to the internet.
    ``tiles``: ``None`` for no tile layer at all; ``"OpenStreetMap"`` (the default of
    the map functions) for OpenStreetMap tiles offered as an optional base layer of the
    layer control ("OpenStreetMap (internet)"), switched off at opening; any other
    folium ``tiles`` value is shown at opening, as folium does.
    """
    folium = import_folium()
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    optional_osm = isinstance(tiles, str) and tiles == "OpenStreetMap"
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=10,
        tiles=None if optional_osm else tiles,
        control_scale=True,
    )
    _ensure_css(m)  # the light background
    if optional_osm:  # Leaflet fetches the tiles of the selected base layer only
        folium.TileLayer("OpenStreetMap", name=t("map.layer.osm", lang), show=False).add_to(m)
    fit = folium.FitBounds([[miny, minx], [maxy, maxx]], padding=(20, 20), max_zoom=15)
    # no zoom animation on load: a screenshot or print taken right away shows the final view
    fit.options["animate"] = False
    m.add_child(fit)
    return m


def check_map(m: Any, argument: str = "m") -> None:
    """Raise :class:`~geoaccess.exceptions.InputValidationError` unless ``m`` is a folium.Map."""
    folium = import_folium()
    if not isinstance(m, folium.Map):
        raise InputValidationError(
            f"expected a folium.Map (as returned by a geoaccess map function), got {type(m).__name__}",
            argument=argument,
        )


def _set_attrs(element: object, **attrs: Any) -> None:
    """Set attributes read by an element's template (branca declares none of them)."""
    for name, value in attrs.items():
        setattr(element, name, value)


def _ensure_css(m: folium.Map) -> None:
    from branca.element import Element, Figure

    root = m.get_root()
    assert isinstance(root, Figure), "a folium.Map always sits in a branca Figure"
    el = Element("")
    el._template = _template("{{ this.content }}")
    _set_attrs(el, content=f"<style>{_CSS}</style>", _geoaccess=True)
    root.header.add_child(el, name="geoaccess_css")


def _template(src: str) -> Any:
    from branca.element import Template

    return Template(src)


_BOX_JS = """
{% macro script(this, kwargs) %}
(function () {
    var map = {{ this._parent.get_name() }};
    var box = document.getElementById({{ this.box_id|tojson }});
    if (!box) { return; }
    {%- if this.position %}
    var ctl = L.control({position: {{ this.position|tojson }}});
    ctl.onAdd = function () {
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
    };
    ctl.addTo(map);
    {%- else %}
    map.getContainer().appendChild(box);
    L.DomEvent.disableClickPropagation(box);
    {%- endif %}
    {%- if this.layer %}
    var layer = {{ this.layer }};
    map.on('overlayadd', function (e) { if (e.layer === layer) { box.style.display = ''; } });
    map.on('overlayremove', function (e) {
        if (e.layer === layer) { box.style.display = 'none'; }
    });
    // a layer switched off when the map opens (show=False) starts with its box hidden;
    // checked once every script of the page has run (layers are added in order)
    setTimeout(function () { if (!map.hasLayer(layer)) { box.style.display = 'none'; } }, 0);
    {%- endif %}
})();
{% endmacro %}
"""


def add_box(
    m: folium.Map, key: str, inner_html: str, *, css_class: str, position: str | None, layer: Any = None
) -> None:
    """Put an HTML box on the map: a Leaflet control at ``position`` or, if None, floating.

    The box is written into the page as plain HTML (so it is readable even where
    JavaScript cannot run) and moved into the map by a small script. ``layer``: hide
    the box while that overlay is switched off in the layer control.
    """
    from branca.element import Element, Figure, MacroElement

    _ensure_css(m)
    box_id = f"{key}_{m.get_name()}"
    el = Element("")
    el._template = _template("{{ this.content }}")
    _set_attrs(
        el, content=f'<div id="{box_id}" class="ga-box {css_class}">{inner_html}</div>', _geoaccess=True
    )
    root = m.get_root()
    assert isinstance(root, Figure), "a folium.Map always sits in a branca Figure"
    root.html.add_child(el, name=box_id)

    mover = MacroElement()
    mover._name = "GeoaccessBox"
    mover._template = _template(_BOX_JS)
    _set_attrs(
        mover,
        box_id=box_id,
        position=position,
        layer=layer.get_name() if layer is not None else None,
        _geoaccess=True,
    )
    m.add_child(mover, name=f"{box_id}_script")
