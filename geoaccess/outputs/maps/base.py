"""Interactive travel-time maps (folium / Leaflet) for Jupyter and budget proposals.

Every function returns the :class:`folium.Map` it drew on and accepts ``m=`` (or takes
the map as its first argument), so layers stack::

    m = map_travel_time(desa)                    # desa coloured by travel-time band
    m = add_boundaries(m, kecamatan)             # kecamatan outlines with summaries
    m = add_facilities(m, facilities)            # puskesmas, pustu, posyandu, klinik, RS
    save_map(m, "akses_muara_enim.html")         # one self-contained HTML file

or in one call: ``access_map(desa, facilities, kecamatan, title="...")``.

folium is imported only when a map is drawn; without it these functions raise an
``ImportError`` that says ``pip install folium``.

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
Okabe-Ito colour-blind-safe palette) so they never look like a travel-time band, and
each type also carries a short text label (``RS``, ``PKM``, ``PT``, ``PY``, ``KL``) so
colour is never the only cue.

Offline use and self-contained files
------------------------------------
folium writes ``<script src=...>`` links to Leaflet, jQuery, Bootstrap and Font Awesome
on public CDNs. Without internet such a page stays blank (``L is not defined``).
:func:`save_map` (``inline_assets=True``, the default) therefore embeds Leaflet's
JavaScript and CSS (with its images as data URIs) in the file and leaves out the
folium extras the map does not use, so the file opens offline. The Leaflet copy comes
from the ``xstatic-leaflet`` package (``pip install xstatic-leaflet``, Leaflet 1.9.3,
the version folium 0.20 links) or from ``assets_dir=`` (any folder holding
``leaflet.js``, ``leaflet.css`` and ``images/``, e.g. the ``dist`` folder of the npm
``leaflet`` package). Without either, the file is still written, with a
:class:`~geoaccess.exceptions.GeoAccessWarning`, and then needs internet to show.

Two limits remain: background map tiles (OpenStreetMap) always need internet — the
layers, legends and popups work without them, on Leaflet's plain grey background —
and the map *displayed inside Jupyter* loads Leaflet from the CDN as folium does. In a
notebook without internet, save the map and show the file:
``IPython.display.IFrame(str(save_map(m, "map.html")), width="100%", height=600)``.

Implementation note: the layers are drawn with :class:`folium.GeoJson`, as
:meth:`geopandas.GeoDataFrame.explore` does internally, rather than through
``explore`` itself: ``explore`` requires ``mapclassify`` and ``matplotlib`` and its
legend loads jQuery UI from a CDN, which would break offline files.
"""

from __future__ import annotations

import base64
import html
import importlib
import itertools
import math
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..._validate import (
    require_columns,
    require_crs,
    require_frame,
    require_geom_types,
)
from ...exceptions import (
    CRSError,
    DataNotFoundError,
    GeoAccessWarning,
    InputValidationError,
)

if TYPE_CHECKING:  # pragma: no cover
    import folium

__all__ = [
    "FACILITY_STYLES",
    "GAP_COLOR",
    "NO_DATA_COLOR",
    "NO_DATA_LABEL",
    "TIME_BANDS_MIN",
    "TIME_BAND_COLORS",
    "access_map",
    "add_boundaries",
    "add_facilities",
    "add_roads",
    "add_travel_time_surface",
    "map_travel_time",
    "save_map",
    "time_band_colors",
    "time_band_labels",
]

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
NO_DATA_LABEL = "unreachable / no data"

#: Outline colour (dashed) of an area whose priority score rests on data gaps.
GAP_COLOR = "#d95f02"

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

_QUALITY_TEXT = {
    "source": "as given by the source",
    "desa_centroid": "APPROXIMATE: placed at the desa centroid (real site unknown)",
    "kecamatan_centroid": "APPROXIMATE: placed at the kecamatan centroid (real site unknown)",
    "missing": "missing",
}

_AREA_TYPES = ("Polygon", "MultiPolygon", "Point")
_POLYGON_TYPES = ("Polygon", "MultiPolygon")
_MAX_LISTED = 20

_CSS = """
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

_SAFE_FOLIUM = {
    "Map",
    "TileLayer",
    "GeoJson",
    "GeoJsonTooltip",
    "GeoJsonPopup",
    "FeatureGroup",
    "LayerControl",
    "CircleMarker",
    "Circle",
    "Marker",
    "DivIcon",
    "Popup",
    "Tooltip",
    "PolyLine",
    "Polygon",
    "Rectangle",
    "FitBounds",
    "CustomPane",
    "GlobalSwitches",
    "ElementAddToElement",
    "ImageOverlay",
}
_SAFE_BRANCA = {"Figure", "JavascriptLink", "CssLink", "Html", "IFrame", "Div"}

# raw HTML that loads scripts or uses jQuery, Bootstrap or awesome-markers
_NEEDS_EXTRAS_RE = re.compile(
    r"<script[^>]+src=|\$\(|\$\.|jQuery|AwesomeMarkers|bootstrap|data-bs-", re.IGNORECASE
)
_SCRIPT_LINK_RE = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>', re.IGNORECASE)
_CSS_LINK_RE = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>', re.IGNORECASE)


# ----------------------------------------------------------------------------- helpers


def _import_folium() -> Any:
    try:
        import folium
    except ImportError as err:
        raise ImportError("geoaccess maps need the folium package: pip install folium") from err
    return folium


def _check_bands(bands_min: Sequence[float]) -> tuple[float, ...]:
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


def time_band_labels(bands_min: Sequence[float] = TIME_BANDS_MIN) -> list[str]:
    """Legend labels of the travel-time bands, fastest first.

    Examples
    --------
    >>> time_band_labels()
    ['≤ 15 min', '15–30 min', '30–60 min', '60–120 min', '> 120 min']
    """
    bands = _check_bands(bands_min)
    labels = [f"≤ {_fmt_min(bands[0])} min"]
    labels += [f"{_fmt_min(a)}–{_fmt_min(b)} min" for a, b in itertools.pairwise(bands)]
    labels.append(f"> {_fmt_min(bands[-1])} min")
    return labels


def time_band_colors(bands_min: Sequence[float] = TIME_BANDS_MIN) -> list[str]:
    """Fill colours of the travel-time bands (ColorBrewer YlOrRd), fastest first.

    Examples
    --------
    >>> time_band_colors((30, 60))
    ['#ffeda0', '#feb24c', '#f03b20']
    """
    n = len(_check_bands(bands_min)) + 1
    if n == 2:  # ColorBrewer starts at 3 classes: take its lightest and darkest
        return [_YLORRD[3][0], _YLORRD[3][2]]
    return list(_YLORRD[n])


def _band_index(minutes: np.ndarray, bands: tuple[float, ...]) -> np.ndarray:
    """Band number per value (0 = fastest); -1 for NaN / infinite."""
    idx = np.searchsorted(np.asarray(bands), minutes, side="left")
    return np.where(np.isfinite(minutes), idx, -1)


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


def _row_ids(df: pd.DataFrame, mask: np.ndarray, id_col: str | None) -> list[str]:
    if id_col is not None and id_col in df.columns:
        ids = df.loc[mask, id_col]
    else:
        ids = df.index[mask].to_series()
    return [str(v) for v in ids]


def _listed(ids: list[str]) -> str:
    more = f" and {len(ids) - _MAX_LISTED} more" if len(ids) > _MAX_LISTED else ""
    return ", ".join(ids[:_MAX_LISTED]) + more


def _to_wgs84(
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


def _display(series: pd.Series) -> list[str]:
    """HTML-escaped display strings of a column (numbers formatted, NaN as a dash)."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return [html.escape(_fmt_number(v)) for v in series.astype(object)]
    return [html.escape("–" if pd.isna(v) else str(v)) for v in series.astype(object)]


def _geojson_frame(geometry: gpd.GeoSeries, props: Mapping[str, Sequence[Any]]) -> gpd.GeoDataFrame:
    """A small frame holding only what the map shows (keeps the HTML small)."""
    data = {k: list(v) for k, v in props.items()}
    return gpd.GeoDataFrame(data, geometry=list(geometry), crs="EPSG:4326")


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
    {%- endif %}
})();
{% endmacro %}
"""


def _add_box(
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


def _new_map(bounds: np.ndarray, tiles: Any) -> folium.Map:
    folium = _import_folium()
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=10,
        tiles=tiles,
        control_scale=True,
    )
    fit = folium.FitBounds([[miny, minx], [maxy, maxx]], padding=(20, 20), max_zoom=15)
    # no zoom animation on load: a screenshot or print taken right away shows the final view
    fit.options["animate"] = False
    m.add_child(fit)
    return m


def _check_map(m: Any, argument: str = "m") -> None:
    folium = _import_folium()
    if not isinstance(m, folium.Map):
        raise InputValidationError(
            f"expected a folium.Map (as returned by a geoaccess map function), got {type(m).__name__}",
            argument=argument,
        )


def _check_names(cols: Sequence[str] | str | None, argument: str) -> list[str]:
    if cols is None:
        return []
    names = [cols] if isinstance(cols, str) else list(cols)
    bad = [c for c in names if not isinstance(c, str)]
    if bad:
        raise InputValidationError(f"column names must be strings, got {bad}", argument=argument)
    return names


def _truthy(v: Any) -> bool:
    """True only for real True values (True, 1); NA, False, strings and others are False."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return False
    return isinstance(v, bool | np.bool_ | int | np.integer | float | np.floating) and v == 1


# ----------------------------------------------------------------------------- public


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
        Increasing cut points in minutes (1 to 8); default :data:`TIME_BANDS_MIN`.
    name : str, optional
        Layer name in the layer control and legend title
        (default ``"Travel time (<time_col>)"``).
    popup_cols : list of str, optional
        Columns shown in a popup when an area is clicked.
    tooltip_cols : list of str, optional
        Columns shown on hover after the travel time and band. Default: ``name``,
        ``population``, ``facility_name`` and ``facility_id`` where present.
    tiles : str, xyzservices provider or None
        Background tiles for a new map (need internet; ``None`` for none).

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
    folium = _import_folium()
    require_frame(areas, "areas")
    require_crs(areas, "areas")
    popup_cols = _check_names(popup_cols, "popup_cols")
    tooltip_list = _check_names(tooltip_cols, "tooltip_cols")
    require_columns(areas, [time_col, *popup_cols, *tooltip_list], "areas")
    bands = _check_bands(bands_min)
    if m is not None:
        _check_map(m)
    _numeric_minutes(areas, time_col, "areas")  # validate before any work

    gdf = _to_wgs84(
        areas,
        "areas",
        id_col="code" if "code" in areas.columns else "name",
        what="areas",
        allowed=_AREA_TYPES,
    )
    minutes = _numeric_minutes(gdf, time_col, "areas")
    band = _band_index(minutes, bands)
    labels = time_band_labels(bands)
    colors = time_band_colors(bands)

    if tooltip_cols is None:
        tooltip_list = [c for c in ("name", "population", "facility_name", "facility_id") if c in gdf.columns]
    aliases = {
        "name": "Name",
        "population": "Population",
        "facility_name": "Nearest facility",
        "facility_id": "Nearest facility id",
        "code": "Code",
    }

    props: dict[str, Sequence[Any]] = {
        "ga_color": [colors[b] if b >= 0 else NO_DATA_COLOR for b in band],
        "ga_minutes": [f"{v:.0f}" if math.isfinite(v) else NO_DATA_LABEL for v in minutes],
        "ga_band": [html.escape(labels[b]) if b >= 0 else NO_DATA_LABEL for b in band],
    }
    tip_fields, tip_aliases = [], []
    for i, col in enumerate(tooltip_list):
        key = f"ga_t{i}"
        props[key] = _display(gdf[col])
        tip_fields.append(key)
        tip_aliases.append(aliases.get(col, col))
    popup_fields, popup_aliases = [], []
    for i, col in enumerate(popup_cols):
        key = f"ga_p{i}"
        props[key] = _display(gdf[col])
        popup_fields.append(key)
        popup_aliases.append(aliases.get(col, col))

    if tooltip_list and tooltip_list[0] == "name":
        fields = [tip_fields[0], "ga_minutes", "ga_band", *tip_fields[1:]]
        field_aliases = [tip_aliases[0], "Travel time (min)", "Band", *tip_aliases[1:]]
    else:
        fields = ["ga_minutes", "ga_band", *tip_fields]
        field_aliases = ["Travel time (min)", "Band", *tip_aliases]

    data = _geojson_frame(gdf.geometry, props)
    is_point = (gdf.geom_type == "Point").all()
    if m is None:
        m = _new_map(gdf.total_bounds, tiles)
    layer_name = name or f"Travel time ({time_col})"

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
    for b, (label, color) in enumerate([*zip(labels, colors, strict=True), (NO_DATA_LABEL, NO_DATA_COLOR)]):
        sel = band == (b if b < len(labels) else -1)
        count = f"{int(sel.sum()):,}"
        if pop is not None:
            count += f" · {np.nansum(pop[sel]):,.0f} people"
        rows.append(
            f'<div class="ga-row"><span class="ga-swatch" style="background:{color}"></span>'
            f'<span>{html.escape(label)}</span><span class="ga-count">{count}</span></div>'
        )
    note = (
        "Counts: areas · people per band, each area classed by its own time (the tables "
        "count people cell by cell, so their band totals differ)."
        if pop is not None
        else "Counts: areas per band."
    )
    if bands == tuple(float(b) for b in TIME_BANDS_MIN):
        note += " Bands as in Riskesdas (≤15, 16–30, 31–60, &gt;60 min) plus 120 min."
    legend = (
        f'<div class="ga-box-title">{html.escape(layer_name)}</div>'
        + "".join(rows)
        + f'<div class="ga-note">{note}</div>'
    )
    _add_box(
        m,
        f"ga_legend_time_{layer.get_name()}",
        legend,
        css_class="ga-legend",
        position="bottomright",
        layer=layer,
    )
    return m


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
    name: str = "Facilities",
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
    name : str
        Layer name in the layer control and legend title.

    Returns
    -------
    folium.Map
        ``m`` (or the new map) with the markers and legend added.
    """
    folium = _import_folium()
    require_frame(facilities, "facilities")
    require_crs(facilities, "facilities")
    require_columns(facilities, ["name", "type"], "facilities")
    if m is not None:
        _check_map(m)
    gdf = _to_wgs84(facilities, "facilities", id_col="facility_id", what="facilities", allowed=("Point",))
    if m is None:
        m = _new_map(gdf.total_bounds, "OpenStreetMap")

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

    popup_cols: list[tuple[str, list[str]]] = [("Name", _display(gdf["name"]))]
    if "facility_id" in gdf.columns:
        popup_cols.append(("ID", _display(gdf["facility_id"])))
    popup_cols.append(("Type", [html.escape(t or "–") for t in ftype]))
    if "inpatient" in gdf.columns:
        popup_cols.append(
            (
                "Inpatient (rawat inap)",
                [
                    "unknown" if pd.isna(v) else ("yes" if _truthy(v) else "no")
                    for v in gdf["inpatient"].astype(object)
                ],
            )
        )
    popup_cols.append(("Location", [html.escape(_QUALITY_TEXT.get(q, q)) for q in quality]))
    for col, alias in (("staff", "Staff"), ("beds", "Beds")):
        if col in gdf.columns:
            popup_cols.append((alias, _display(gdf[col])))

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
    tip = [
        html.escape(
            f"{n} ({t or 'type ?'}{', rawat inap' if ip else ''}{', approximate location' if ap else ''})"
        )
        for n, t, ip, ap in zip(gdf["name"].astype(object), ftype, keys["ring"], keys["approx"], strict=True)
    ]
    # higher levels of care on top: Leaflet stacks markers by zIndexOffset
    rank = {t: i for i, t in enumerate(reversed(FACILITY_STYLES))}
    groups = keys.groupby(["type", "ring", "approx"]).groups
    for (t, ip, ap), sub in sorted(groups.items(), key=lambda kv: str(kv[0])):
        pos = np.asarray(sub)
        style = FACILITY_STYLES.get(t, _OTHER_STYLE)
        size = style["size"] + (4 if ip else 0)
        width = max(size, 7 * len(style["label"]) + 8)
        icon = folium.DivIcon(
            html=_facility_icon_html(t, bool(ip), bool(ap), style),
            icon_size=(width, size),
            icon_anchor=(width // 2, size // 2),
            class_name="ga-fac-icon",
        )
        props = {k: [v[i] for i in pos] for k, v in props_all.items()}
        props["ga_tip"] = [tip[i] for i in pos]
        data = _geojson_frame(gdf.geometry.iloc[pos], props)
        folium.GeoJson(
            data,
            control=False,
            marker=folium.Marker(icon=icon, z_index_offset=1000 * (rank.get(t, -1) + 1) + (500 if ip else 0)),
            tooltip=folium.GeoJsonTooltip(fields=["ga_tip"], labels=False),
            popup=folium.GeoJsonPopup(fields=list(props_all), aliases=[a for a, _ in popup_cols]),
        ).add_to(group)
    group.add_to(m)

    # legend
    rows = []
    counts = ftype.value_counts()
    for t in [*FACILITY_STYLES, *sorted(set(counts.index) - set(FACILITY_STYLES))]:
        if t not in counts.index:
            continue
        style = FACILITY_STYLES.get(t, _OTHER_STYLE)
        label = style["name"] if t in FACILITY_STYLES else f"Other: {t or 'no type'}"
        rows.append((_facility_icon_html(t, False, False, style), label, int(counts[t])))
    pkm = FACILITY_STYLES["puskesmas"]
    ring_types = sorted(set(keys.loc[keys["ring"], "type"]))
    if ring_types:
        t = "puskesmas" if "puskesmas" in ring_types else ring_types[0]
        label = (
            "Puskesmas rawat inap (inpatient)"
            if ring_types == ["puskesmas"]
            else "Rawat inap (inpatient): " + ", ".join(ring_types)
        )
        rows.append(
            (
                _facility_icon_html(t, True, False, FACILITY_STYLES.get(t, _OTHER_STYLE)),
                label,
                int(keys["ring"].sum()),
            )
        )
    n_approx = int(keys["approx"].sum())
    if n_approx:
        rows.append(
            (
                _facility_icon_html("puskesmas", False, True, pkm),
                "Approximate location (relocated, see popup)",
                n_approx,
            )
        )
    legend = f'<div class="ga-box-title">{html.escape(name)}</div>' + "".join(
        f'<div class="ga-row"><span class="ga-legend-icon">{icon}</span>'
        f'<span>{html.escape(label)}</span><span class="ga-count">{n:,}</span></div>'
        for icon, label, n in rows
    )
    _add_box(
        m,
        f"ga_legend_fac_{group.get_name()}",
        legend,
        css_class="ga-legend",
        position="bottomleft",
        layer=group,
    )
    return m


def add_boundaries(
    m: folium.Map | None,
    boundaries: gpd.GeoDataFrame,
    *,
    name: str = "Kecamatan",
    popup_cols: Sequence[str] | None = None,
) -> folium.Map:
    """Add administrative boundaries as outlines (no fill), with popups.

    Parameters
    ----------
    m : folium.Map or None
        Map to draw on; ``None`` makes a new map fitted to the boundaries.
    boundaries : GeoDataFrame
        Polygons (kecamatan, desa) in any CRS. Not modified.
    name : str
        Layer name in the layer control.
    popup_cols : list of str, optional
        Columns shown when an outline is clicked. Default: ``name``, ``code`` and every
        numeric column (summaries such as population or people beyond 60 minutes),
        at most 12, then ``data_gaps`` when present.

    Returns
    -------
    folium.Map
        ``m`` (or the new map) with the outlines added. The outlines are not filled so
        the travel-time layer below stays hoverable: hover or click on a line.
        Boundaries whose ``score_rests_on_gaps`` is True (from
        :func:`geoaccess.planning.priority.mark_data_gaps`) are drawn with a dashed orange outline,
        their tooltip says "score rests on data gaps" and the popup lists the gaps: a
        data gap is not a finding.
    """
    folium = _import_folium()
    require_frame(boundaries, "boundaries")
    require_crs(boundaries, "boundaries")
    cols = _check_names(popup_cols, "popup_cols")
    require_columns(boundaries, cols, "boundaries")
    if m is not None:
        _check_map(m)
    gdf = _to_wgs84(boundaries, "boundaries", id_col="code", what="boundaries", allowed=_POLYGON_TYPES)
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
        m = _new_map(gdf.total_bounds, "OpenStreetMap")
    aliases = {
        "name": "Name",
        "code": "Code",
        "population": "Population",
        "data_gaps": "Score rests on data gaps",
    }
    props: dict[str, list[Any]] = {f"ga_p{i}": _display(gdf[c]) for i, c in enumerate(cols)}
    gap = (
        gdf["score_rests_on_gaps"].fillna(False).astype(bool).tolist()
        if "score_rests_on_gaps" in gdf.columns
        else [False] * len(gdf)
    )
    props["ga_gap"] = gap
    has_name = "name" in gdf.columns
    if has_name:
        props["ga_name"] = [
            f"{n} (score rests on data gaps)" if g else n
            for n, g in zip(_display(gdf["name"]), gap, strict=True)
        ]
    data = _geojson_frame(gdf.geometry, props)

    def style(feature: dict) -> dict:
        if feature["properties"].get("ga_gap"):
            return {"fill": False, "color": GAP_COLOR, "weight": 3, "opacity": 1.0, "dashArray": "8 6"}
        return {"fill": False, "color": "#222222", "weight": 2, "opacity": 0.9}

    folium.GeoJson(
        data,
        name=name,
        style_function=style,
        highlight_function=lambda _f: {"weight": 4, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["ga_name"], labels=False) if has_name else None,
        popup=folium.GeoJsonPopup(
            fields=[f"ga_p{i}" for i in range(len(cols))], aliases=[aliases.get(c, c) for c in cols]
        )
        if cols
        else None,
    ).add_to(m)
    return m


def add_travel_time_surface(
    m: folium.Map | None,
    grid_min: np.ndarray,
    transform: Any,
    crs: Any,
    *,
    bands_min: Sequence[float] = TIME_BANDS_MIN,
    name: str = "Travel time surface",
    opacity: float = 0.65,
    show: bool = False,
) -> folium.Map:
    """Add a gridded travel-time surface (e.g. the lattice cells) as an image layer.

    The grid is warped to longitude/latitude (nearest neighbour), coloured with the same
    bands as :func:`map_travel_time` (NaN cells transparent) and embedded in the page as
    a PNG, so the HTML stays self-contained.

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
    name : str
        Layer name.
    opacity : float
        Layer opacity, 0 to 1.
    show : bool
        Switched on when the map opens (default off: it sits under the desa layer;
        switch the desa layer off to see it).

    Returns
    -------
    folium.Map
    """
    folium = _import_folium()
    import rasterio.warp
    from rasterio.enums import Resampling

    grid = np.asarray(grid_min, dtype="float64")
    if grid.ndim != 2:
        raise InputValidationError(f"must be a 2-D array, got shape {grid.shape}", argument="grid_min")
    bands = _check_bands(bands_min)
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
    idx = _band_index(dst, bands)
    for i, c in enumerate(colors):
        sel = idx == i
        rgba[sel, 0], rgba[sel, 1], rgba[sel, 2] = (int(c[k : k + 2], 16) for k in (1, 3, 5))
        rgba[sel, 3] = 255
    west, north = dst_t * (0, 0)
    east, south = dst_t * (dw, dh)
    if m is None:
        m = _new_map(np.array([west, south, east, north]), "OpenStreetMap")
    else:
        _check_map(m)
    folium.raster_layers.ImageOverlay(
        rgba,
        bounds=[[south, west], [north, east]],
        opacity=opacity,
        name=name,
        # no re-projection to Web Mercator: near the equator over a kabupaten the
        # linear stretch Leaflet applies is off by far less than a cell, and folium's
        # mercator_project interpolates (blends) the band colours
        mercator_project=False,
        interactive=False,
        show=show,
    ).add_to(m)
    return m


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
    folium = _import_folium()
    require_frame(roads, "roads")
    require_crs(roads, "roads")
    lines = roads[~(roads.geometry.isna() | roads.geometry.is_empty)].to_crs(4326)
    if m is None:
        m = _new_map(lines.total_bounds, "OpenStreetMap")
    else:
        _check_map(m)
    cols = [c for c in ("road_class", "class_source") if c in lines.columns]
    data = _geojson_frame(lines.geometry, {c: _display(lines[c]) for c in cols})
    folium.GeoJson(
        data,
        name=name,
        style_function=lambda _f: {"color": "#252525", "weight": 2, "opacity": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=cols) if cols else None,
    ).add_to(m)
    return m


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
) -> folium.Map:
    """One map with travel time, boundaries, facilities, a layer control and a title.

    Parameters
    ----------
    areas : GeoDataFrame
        Desa or cells with ``time_col`` (see :func:`map_travel_time`). If it has
        ``facility_id`` but no ``facility_name``, the nearest facility's name is looked
        up in ``facilities`` for the tooltip.
    facilities, boundaries : GeoDataFrame, optional
        See :func:`add_facilities` and :func:`add_boundaries`.
    roads : GeoDataFrame, optional
        Road lines, see :func:`add_roads`.
    time_col : str
        Travel-time column in minutes.
    title : str, optional
        Text of the title box (default "Travel time to the nearest health facility").
    bands_min : sequence of float
        Band cut points in minutes, default :data:`TIME_BANDS_MIN`.
    tiles : str, xyzservices provider or None
        Background tiles (need internet; ``None`` for none).

    Returns
    -------
    folium.Map
        A new map fitted to all layers.
    """
    folium = _import_folium()
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

    m = _new_map(total, tiles)
    map_travel_time(layer_areas, time_col=time_col, m=m, bands_min=bands_min, name="Travel time (minutes)")
    if roads is not None:
        add_roads(m, roads)
    if boundaries is not None:
        add_boundaries(m, boundaries)
    if facilities is not None:
        add_facilities(m, facilities)
    folium.LayerControl(collapsed=False).add_to(m)
    text = title if title is not None else "Travel time to the nearest health facility"
    _add_box(m, "ga_title", html.escape(text), css_class="ga-title", position=None)
    return m


# ----------------------------------------------------------------------------- saving


@lru_cache(maxsize=4)
def _leaflet_assets(folder: str) -> tuple[str, str]:
    """(JavaScript, CSS) of Leaflet from ``folder``, CSS images inlined as data URIs."""
    base = Path(folder)
    js_path, css_path = base / "leaflet.js", base / "leaflet.css"
    if not (js_path.is_file() and css_path.is_file()):
        raise DataNotFoundError(
            f"no leaflet.js and leaflet.css in {base}; pass the folder that holds them "
            "(for example the dist/ folder of the npm 'leaflet' package)"
        )
    js = js_path.read_text(encoding="utf-8")
    css = css_path.read_text(encoding="utf-8")
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)
    js = js.replace("</script", "<\\/script")
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)

    def data_uri(match: re.Match) -> str:
        rel = match.group(2)
        img = base / rel
        if not img.is_file():
            return match.group(0)
        kind = "png" if img.suffix.lower() == ".png" else img.suffix.lower().lstrip(".")
        b64 = base64.b64encode(img.read_bytes()).decode("ascii")
        return f"url(data:image/{kind};base64,{b64})"

    css = re.sub(r"""url\((['"]?)(images/[^'")]+)\1\)""", data_uri, css)
    return js, css.replace("</style", "<\\/style")


def _find_leaflet(assets_dir: str | os.PathLike | None) -> tuple[str, str] | None:
    if assets_dir is not None:
        return _leaflet_assets(str(Path(assets_dir).resolve()))
    try:
        xleaflet = importlib.import_module("xstatic.pkg.leaflet")
    except ImportError:
        return None
    return _leaflet_assets(str(Path(xleaflet.BASE_DIR).resolve()))


def _walk(element: Any):
    yield element
    children = list(getattr(element, "_children", {}).values())
    for part in ("header", "html", "script"):  # a branca Figure's page sections
        section = getattr(element, part, None)
        if section is not None and section is not element and hasattr(section, "_children"):
            children.append(section)
    for child in children:
        yield from _walk(child)


def _uses_only_leaflet(m: Any) -> bool:
    """True if every element on the page is known to need Leaflet alone.

    folium also links jQuery, Bootstrap and Leaflet.awesome-markers for elements such
    as ``folium.Icon`` and plugins; they are left in whenever an element not known to
    be Leaflet-only is present.
    """
    from branca.element import Element

    for el in _walk(m.get_root()):
        if getattr(el, "_geoaccess", False):
            continue
        cls = type(el)
        mod = cls.__module__.split(".")[0]
        if (
            mod == "folium"
            and cls.__name__ in _SAFE_FOLIUM
            and not cls.__module__.startswith("folium.plugins")
        ):
            continue
        if mod == "branca" and cls.__name__ in _SAFE_BRANCA:
            continue
        if cls is Element and not _NEEDS_EXTRAS_RE.search(getattr(el, "_template_str", "") or ""):
            continue
        return False
    return True


def _inline_html(m: Any, page: str, assets_dir: str | os.PathLike | None) -> str:
    folium = _import_folium()
    assets = _find_leaflet(assets_dir)
    if assets is None:
        warnings.warn(
            "Leaflet could not be embedded, so the saved map needs internet to show "
            "(offline it stays blank). Install a local copy with `pip install "
            "xstatic-leaflet` or pass assets_dir= (a folder with leaflet.js and leaflet.css).",
            GeoAccessWarning,
            stacklevel=3,
        )
        return page
    js, css = assets
    extras = {
        url
        for _, url in [*folium.Map.default_js, *folium.Map.default_css]
        if not re.search(r"/leaflet(-src)?\.(js|css)$", url)
    }
    drop_extras = _uses_only_leaflet(m)

    def script(match: re.Match) -> str:
        url = match.group("url")
        if re.search(r"/leaflet(-src)?\.js$", url, re.IGNORECASE):
            return f"<script>{js}</script>"
        if drop_extras and url in extras:
            return ""
        return match.group(0)

    def link(match: re.Match) -> str:
        url = match.group("url")
        if re.search(r"/leaflet\.css$", url, re.IGNORECASE):
            return f"<style>{css}</style>"
        if drop_extras and url in extras:
            return ""
        return match.group(0)

    # stylesheets first, then scripts: the inlined code holds no such tags
    result = _SCRIPT_LINK_RE.sub(script, _CSS_LINK_RE.sub(link, page))

    remote = [
        u.group("url")
        for u in _SCRIPT_LINK_RE.finditer(result)
        if u.group("url").startswith(("http:", "https:", "//"))
    ]
    remote += [
        u.group("url")
        for u in _CSS_LINK_RE.finditer(result)
        if u.group("url").startswith(("http:", "https:", "//"))
    ]
    if remote:
        warnings.warn(
            f"the saved map still loads {len(remote)} file(s) from the internet for "
            f"elements geoaccess does not know (offline they will not work): {remote}",
            GeoAccessWarning,
            stacklevel=3,
        )
    return result


def save_map(
    m: folium.Map,
    path: str | os.PathLike,
    *,
    inline_assets: bool = True,
    assets_dir: str | os.PathLike | None = None,
) -> Path:
    """Write the map to one self-contained HTML file that opens offline.

    Parameters
    ----------
    m : folium.Map
        The map (from any geoaccess map function, or any folium map).
    path : str or PathLike
        Output file ending in ``.html`` or ``.htm``; folders are created.
    inline_assets : bool
        Embed Leaflet's JavaScript and CSS in the file and drop the unused folium CDN
        links (default), so the map shows without internet. ``False`` writes folium's
        plain output, which links the CDNs. See the module docstring for where the
        Leaflet copy comes from; if none is found the file is written as folium would
        and a :class:`~geoaccess.exceptions.GeoAccessWarning` says so.
    assets_dir : str or PathLike, optional
        Folder with ``leaflet.js``, ``leaflet.css`` (and ``images/``) to embed instead
        of the ``xstatic-leaflet`` copy.

    Returns
    -------
    pathlib.Path
        The path written. Background tiles still need internet; everything else works
        offline.
    """
    _check_map(m)
    out = Path(path)
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputValidationError(
            f"maps are saved as HTML; give a path ending in .html, got {str(path)!r}. "
            "For a picture, open the HTML file in a browser and take a screenshot.",
            argument="path",
        )
    page = m.get_root().render()
    if inline_assets:
        page = _inline_html(m, page, assets_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
