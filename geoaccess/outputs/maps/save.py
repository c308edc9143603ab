"""Saving a map as one self-contained HTML file that opens offline.

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

The maps open on a plain light background with place names and roads drawn from the
data, so the saved file makes no request at all; OpenStreetMap tiles (which need
internet) are an optional base layer of the layer control, off at opening. One limit
remains: the map *displayed inside Jupyter* loads Leaflet from the CDN as folium does. In a
notebook without internet, save the map and show the file:
``IPython.display.IFrame(str(save_map(m, "map.html")), width="100%", height=600)``.
"""

from __future__ import annotations

import base64
import importlib
import os
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...exceptions import DataNotFoundError, GeoAccessWarning, InputValidationError
from .base import check_map, import_folium

if TYPE_CHECKING:  # pragma: no cover
    import folium

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
    "SetIcon",
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
    folium = import_folium()
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
        The path written. Everything works offline except background tiles switched on
        in the layer control.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoaccess.outputs import maps
    >>> desa = gpd.GeoDataFrame(
    ...     {"code": ["D1", "D2"], "name": ["Desa A", "Desa B"], "travel_time_min": [12.0, 75.0]},
    ...     geometry=[shapely.box(103.80, -3.72, 103.82, -3.70), shapely.box(103.82, -3.72, 103.84, -3.70)],
    ...     crs="EPSG:4326")
    >>> import os, tempfile
    >>> m = maps.map_travel_time(desa, tiles=None)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = maps.save_map(m, os.path.join(folder, "akses.html"))
    ...     html = path.read_text(encoding="utf-8")
    >>> path.name, '<script src="http' in html  # Leaflet is inside the file
    ('akses.html', False)
    """
    check_map(m)
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
    from ..report import atomic_path

    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:  # a failed write leaves the old map as it was
        tmp.write_text(page, encoding="utf-8")
    return out
