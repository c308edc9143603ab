"""A print map for budget proposals: A4 landscape, PNG and PDF, drawn with matplotlib.

:func:`print_map` draws one run (:func:`geoaccess.run_access`) on an A4 landscape page:
the desa coloured by travel-time class, the kecamatan boundaries and names, the
puskesmas, inpatient puskesmas (rawat inap) and hospitals with distinct markers, a scale
bar, a north arrow, the legend (with the desa and people in each class), a title and a
source note (data sources, date, mode, lattice resolution), in Bahasa Indonesia or
English (every text from :mod:`geoaccess.outputs.i18n`).

Nothing is fetched from the network: there is no basemap, and the only font is DejaVu
Sans, which matplotlib ships (embedded in the PDF as TrueType, so the text stays
selectable and editable in Inkscape or Illustrator).

Classes
-------
:data:`PRINT_BANDS_MIN` = ``(30, 60, 120)`` minutes: the 30 and 60 minute edges of the
Riskesdas bands (the interactive map's reasons, :mod:`geoaccess.outputs.maps.base`) and
120 minutes for remote desa. Four classes read well on paper; the interactive map keeps
the 15 minute edge too. A class holds the times above the previous cut point and up to
and including its own (exactly 30 minutes is "≤ 30 min"), as on the interactive map.
Each desa is classed by its population-weighted mean time (the run's desa table,
``<category>_travel_time_min``); a desa without a time (no people, unreachable) is grey.

Figures are :class:`matplotlib.figure.Figure` objects, not ``pyplot``: nothing touches the
global backend; in Jupyter with ``%matplotlib inline`` the returned figure shows inline.
"""

from __future__ import annotations

import datetime as _dt
import math
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from .._validate import check_choice, require_columns, require_crs, require_frame
from ..exceptions import InputValidationError
from ..notes import localize
from .i18n import check_lang, t
from .maps.base import NO_DATA_COLOR, band_index, check_bands, time_band_colors, time_band_labels

__all__ = [
    "A4_LANDSCAPE_IN",
    "FACILITY_MARKERS",
    "PRINT_BANDS_MIN",
    "PRINT_DPI",
    "facility_classes",
    "print_map",
    "travel_time_classes",
]

#: Travel-time cut points (minutes) of the print map: Riskesdas 30 and 60 plus 120 (see
#: the module docstring).
PRINT_BANDS_MIN: tuple[float, ...] = (30.0, 60.0, 120.0)

#: A4 landscape in inches (ISO 216: 297 x 210 mm), i.e. 841.9 x 595.3 PDF points.
A4_LANDSCAPE_IN: tuple[float, float] = (297 / 25.4, 210 / 25.4)

#: Resolution of the PNG (dots per inch): 200 dpi is 2339 x 1654 pixels, sharp on an
#: office laser printer and small enough to paste into a proposal.
PRINT_DPI = 200

#: Marker of each facility class: matplotlib marker, fill colour, size (points^2). Shapes
#: differ as well as colours (a black-and-white copy stays readable); the colours are
#: Okabe-Ito blue and green and black, as on the interactive map
#: (:data:`geoaccess.outputs.maps.FACILITY_STYLES`), never a travel-time colour.
FACILITY_MARKERS: dict[str, dict[str, Any]] = {
    "puskesmas": {"marker": "o", "color": "#0072b2", "size": 26.0},
    "inpatient": {"marker": "^", "color": "#009e73", "size": 46.0},
    "hospital": {"marker": "P", "color": "#000000", "size": 70.0},
}

#: Data sources named in the source note, in this order (keys of ``Region.sources``).
_SOURCE_KEYS: tuple[str, ...] = ("boundaries", "population", "facilities", "inpatient", "roads")


def travel_time_classes(minutes: Any, bands_min: Sequence[float] = PRINT_BANDS_MIN) -> np.ndarray:
    """Class number of each travel time (0 = fastest), -1 for NaN / infinite.

    Parameters
    ----------
    minutes : array-like of float
        Travel times (minutes).
    bands_min : sequence of float, default :data:`PRINT_BANDS_MIN`
        Class cut points in minutes (1 to 8, increasing); a time equal to a cut point is
        in the class below it.

    Returns
    -------
    ndarray of int
        Per time, 0 to ``len(bands_min)``; -1 where it is NaN or infinite.

    Examples
    --------
    >>> travel_time_classes([10, 30, 30.5, 60, 119, 121, float("nan")]).tolist()
    [0, 0, 1, 1, 2, 3, -1]
    >>> travel_time_classes([10, 30, 30.5, float("inf")], bands_min=[15, 30]).tolist()
    [0, 1, 2, -1]
    """
    bands = check_bands(bands_min)
    return band_index(np.asarray(minutes, dtype=float), bands)


def facility_classes(facilities: pd.DataFrame) -> pd.Series:
    """The print-map class of each facility: ``hospital`` (type ``rs``), ``inpatient``
    (a puskesmas whose ``inpatient`` is True), ``puskesmas`` (any other puskesmas,
    including unknown inpatient status), or None (other types: not drawn).

    Parameters
    ----------
    facilities : DataFrame
        Facilities with ``type`` (``puskesmas``, ``rs``, ...) and, optionally,
        ``inpatient`` (True, False or missing), as :func:`geoaccess.read_facilities`
        gives them.

    Returns
    -------
    Series of object
        On ``facilities``' index: a key of :data:`FACILITY_MARKERS` or None.

    Examples
    --------
    >>> f = pd.DataFrame({"type": ["rs", "puskesmas", "puskesmas", "pustu"],
    ...                   "inpatient": [True, True, None, False]})
    >>> facility_classes(f).tolist()
    ['hospital', 'inpatient', 'puskesmas', None]
    """
    typ = facilities["type"].astype(str)
    inp = (
        facilities["inpatient"].astype("boolean").fillna(False).astype(bool)
        if "inpatient" in facilities
        else pd.Series(False, index=facilities.index)
    )
    out = pd.Series([None] * len(facilities), index=facilities.index, dtype=object)
    out[typ == "puskesmas"] = "puskesmas"
    out[(typ == "puskesmas") & inp] = "inpatient"
    out[typ == "rs"] = "hospital"
    return out


# ----------------------------------------------------------------------------- geometry


def _ring_path(coords: np.ndarray) -> tuple[np.ndarray, list[int]]:
    codes = [int(MplPath.MOVETO)] + [int(MplPath.LINETO)] * (len(coords) - 2) + [int(MplPath.CLOSEPOLY)]
    return coords, codes


def _polygon_path(geom: Any) -> MplPath | None:
    """One compound path per (multi)polygon, holes included (rings oriented for nonzero fill)."""
    if geom is None or geom.is_empty:
        return None
    polys = (
        [geom] if geom.geom_type == "Polygon" else [g for g in getattr(geom, "geoms", []) if not g.is_empty]
    )
    verts: list[np.ndarray] = []
    codes: list[int] = []
    for p in polys:
        if p.geom_type != "Polygon":
            continue
        p = shapely.geometry.polygon.orient(p, 1.0)
        for ring in [p.exterior, *p.interiors]:
            c = np.asarray(ring.coords)[:, :2]
            if len(c) < 4:
                continue
            v, k = _ring_path(c)
            verts.append(v)
            codes += k
    if not verts:
        return None
    return MplPath(np.concatenate(verts), codes)


def _nice_length_m(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^k m) near a fifth of the map width."""
    target = span_m / 5
    k = math.floor(math.log10(target))
    for m in (5, 2, 1):
        if m * 10**k <= target:
            return float(m * 10**k)
    return float(10**k)


def _fmt_int(v: float, lang: str) -> str:
    s = f"{v:,.0f}"
    return s.replace(",", ".") if lang == "id" else s


def _fmt_len(m: float, lang: str) -> str:
    if m >= 1000:
        km = m / 1000
        s = f"{km:g}"
        return (s.replace(".", ",") if lang == "id" else s) + " km"
    return f"{m:g} m"


# ----------------------------------------------------------------------------- drawing


def _check_result(result: Any, category: str) -> tuple[gpd.GeoDataFrame, str]:
    for attr in ("desa", "kecamatan", "facilities", "region", "network"):
        if not hasattr(result, attr):
            raise InputValidationError(
                f"expected the AccessResult of geoaccess.run_access, got {type(result).__name__} "
                f"without {attr!r}",
                argument="result",
            )
    desa = result.desa
    require_frame(desa, "result.desa")
    require_crs(desa, "result.desa")
    cats = [c.removesuffix("_travel_time_min") for c in desa.columns if c.endswith("_travel_time_min")]
    cats = [c for c in cats if "_" not in c or c in ("puskesmas", "inpatient", "hospital", "referral")]
    check_choice(category, cats, "category")
    require_frame(result.kecamatan, "result.kecamatan")
    require_columns(result.kecamatan, ["name"], "result.kecamatan")
    return desa, f"{category}_travel_time_min"


def _label_kecamatan(ax: Any, kec: gpd.GeoDataFrame, fig: Figure, obstacles: np.ndarray) -> None:
    """Kecamatan names at a point inside each, largest first, nudged off the labels already
    placed and off the facility markers at ``obstacles`` (x, y in map units)."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    placed: list[Any] = []
    r_px = 4.0 * fig.dpi / 72  # about a marker's radius
    for px, py in ax.transData.transform(obstacles) if len(obstacles) else []:
        placed.append(Bbox([[px - r_px, py - r_px], [px + r_px, py + r_px]]))
    n_obstacles = len(placed)
    order = kec.assign(_a=kec.geometry.area).sort_values("_a", ascending=False)
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for _, r in order.iterrows():
        if r.geometry is None or r.geometry.is_empty:
            continue
        pt = r.geometry.representative_point()
        name = "\n".join(textwrap.wrap(str(r["name"]), 16)) or str(r["name"])
        best = None
        for size in (6.5, 5.5):
            for dx, dy in ((0, 0), (0, 9), (0, -9), (14, 0), (-14, 0), (0, 16), (0, -16)):
                txt = ax.annotate(
                    name,
                    (pt.x, pt.y),
                    xytext=(dx, dy),
                    textcoords="offset points",
                    ha="center",
                    va="center",
                    fontsize=size,
                    color="#1a1a1a",
                    fontweight="bold",
                    path_effects=halo,
                    zorder=6,
                )
                bb = txt.get_window_extent(renderer).expanded(1.04, 1.1)
                if not any(bb.overlaps(o) for o in placed):
                    best = (txt, bb)
                    break
                txt.remove()
            if best is not None:
                break
        if best is None:  # free of other names at least, else at the point
            for dx, dy in ((0, 0), (0, 9), (0, -9), (14, 0), (-14, 0)):
                txt = ax.annotate(
                    name,
                    (pt.x, pt.y),
                    xytext=(dx, dy),
                    textcoords="offset points",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="#1a1a1a",
                    fontweight="bold",
                    path_effects=halo,
                    zorder=6,
                )
                bb = txt.get_window_extent(renderer).expanded(1.04, 1.1)
                if not any(bb.overlaps(o) for o in placed[n_obstacles:]):
                    best = (txt, bb)
                    break
                txt.remove()
        if best is None:  # nowhere free: the smaller text at the point, never left out
            txt = ax.annotate(
                name,
                (pt.x, pt.y),
                ha="center",
                va="center",
                fontsize=5.5,
                color="#1a1a1a",
                fontweight="bold",
                path_effects=halo,
                zorder=6,
            )
            best = (txt, txt.get_window_extent(renderer))
        placed.append(best[1])


def _scale_bar(panel: Any, m_per_inch: float, lang: str) -> None:
    """A two-tone bar of a round length at the foot of the legend panel, drawn at the map's
    scale (``m_per_inch``: metres of the map per inch of paper), with the ratio 1 : N."""
    panel_w_in = panel.get_position().width * panel.figure.get_figwidth()
    length = _nice_length_m(m_per_inch * panel_w_in * 4.0)  # up to 80% of the panel width
    n = 4
    seg_frac = length / m_per_inch / panel_w_in / n  # one segment, in panel fractions
    x0, y0, h = 0.0, 0.06, 0.012
    for i in range(n):
        panel.add_patch(
            Rectangle(
                (x0 + i * seg_frac, y0),
                seg_frac,
                h,
                transform=panel.transAxes,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
                clip_on=False,
            )
        )
    for i in (0, n // 2, n):
        label = "0" if i == 0 else _fmt_len(i * length / n, lang)
        panel.text(
            x0 + i * seg_frac,
            y0 + h + 0.008,
            label,
            transform=panel.transAxes,
            ha="center",
            va="bottom",
            fontsize=7.5,
        )
    ratio = float(f"{m_per_inch / 0.0254:.2g}")
    panel.text(
        x0,
        y0 - 0.012,
        t("print.scale_note", lang, ratio=_fmt_int(ratio, lang)),
        transform=panel.transAxes,
        ha="left",
        va="top",
        fontsize=6.5,
        color="#333333",
    )


def _north_arrow(panel: Any, lang: str) -> None:
    """An arrow pointing up the page, with the letter U (utara) or N, at the foot of the
    legend panel. The map is drawn in a UTM projection, whose grid north is within about
    1.5 degrees of true north over Sumatra and Kalimantan."""
    panel.annotate(
        "",
        xy=(0.9, 0.16),
        xytext=(0.9, 0.03),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>,head_width=0.45,head_length=0.9", "color": "black", "lw": 2.2},
    )
    panel.text(
        0.9,
        0.175,
        t("print.north", lang),
        transform=panel.transAxes,
        ha="center",
        va="bottom",
        fontsize=12,
        fontweight="bold",
    )


def _source_note(
    result: Any, lang: str, date: _dt.date, sources: Mapping[str, str] | None, has_pop: bool = True
) -> str:
    from .. import __version__

    src = dict(sources) if sources is not None else dict(getattr(result.region, "sources", {}) or {})
    if sources is None:
        src.update((result.assumptions or {}).get("data_sources", {}) or {})
    parts = []
    if not has_pop:  # a run without population figures: no population source to name
        src.pop("population", None)
    for key in (*_SOURCE_KEYS, *[k for k in src if k not in _SOURCE_KEYS and sources is not None]):
        if src.get(key):
            label = t(f"print.source.{key}", lang) if key in _SOURCE_KEYS else key
            text = str(localize(src[key], lang)).split(";")[0].strip()
            parts.append(f"{label}: {textwrap.shorten(text, 150, placeholder=' …')}")
    net = result.network
    lat = getattr(net, "lattice", None)
    res = getattr(lat, "resolution_m", None) or (result.assumptions or {}).get("lattice_resolution_m")
    mode = str(getattr(net, "mode", ""))
    from .i18n import STRINGS

    mode_text = t(f"mode.{mode}", lang) if f"mode.{mode}" in STRINGS else mode
    offroad = getattr(net, "offroad_speed_kph", None)
    assume = t(
        "print.assumptions" if has_pop else "print.assumptions_no_pop",
        lang,
        mode=mode_text,
        res=f"{float(res):g}" if res is not None else "?",
        offroad=f"{float(offroad):g}" if isinstance(offroad, int | float) else "?",
    )
    crs = result.desa.crs
    made = t(
        "print.made",
        lang,
        version=__version__,
        date=date.isoformat(),
        crs=getattr(net, "crs", crs).name if getattr(net, "crs", None) is not None else crs.name,
    )
    head = t("print.sources", lang)
    return f"{head} " + (" · ".join(parts) if parts else "-") + f". {assume} {made}"


def print_map(
    result: Any,
    path: str | Path | Sequence[str | Path] | None = None,
    *,
    category: str = "puskesmas",
    lang: str = "id",
    bands_min: Sequence[float] = PRINT_BANDS_MIN,
    title: str | None = None,
    date: _dt.date | None = None,
    sources: Mapping[str, str] | None = None,
    dpi: int = PRINT_DPI,
) -> Figure:
    """An A4 landscape print map of a run: travel-time classes per desa, facilities by type.

    Parameters
    ----------
    result : AccessResult
        From :func:`geoaccess.run_access`. Read: ``desa`` (``<category>_travel_time_min``,
        the population-weighted desa time, and ``population``), ``cell_table`` (``population``
        and the same column: the legend counts people by their own time, those who cannot
        reach the category in the "unreachable" row), ``kecamatan`` (``name``),
        ``facilities`` (``type``, ``inpatient``, ``location_quality``,
        ``in_kabupaten``), ``region`` (``kabupaten``, ``display_name``, ``sources``) and
        ``network`` (``mode``, ``crs``, lattice resolution).
    path : path or list of paths, optional
        Files to write; the format follows the extension (``.png``, ``.pdf``). Each is
        written under a temporary name and moved into place. ``None``: nothing written.
    category : str, default "puskesmas"
        Whose travel time colours the desa: ``puskesmas``, ``inpatient``, ``hospital``
        or ``referral`` (a category of the run).
    lang : {"id", "en"}, default "id"
        Language of every text on the page (:mod:`geoaccess.outputs.i18n`).
    bands_min : sequence of float, default :data:`PRINT_BANDS_MIN`
        Class cut points in minutes (1 to 8, increasing).
    title : str, optional
        Replaces the title (default: "<kabupaten>: travel time to the <category>").
    date : datetime.date, optional
        Date in the source note (default: today). Pass one to make the files repeatable.
    sources : mapping, optional
        ``{key: text}`` of the data sources named in the note; default the run's
        (``result.region.sources`` and ``result.assumptions["data_sources"]``: boundaries,
        population, facilities, inpatient status, roads, as the loaders wrote them).
    dpi : int, default :data:`PRINT_DPI`
        Resolution of the PNG (the PDF is vector).

    Returns
    -------
    matplotlib.figure.Figure
        The page (297 x 210 mm). The desa collection has ``gid="desa"`` and one patch per
        desa row, in order.

    Raises
    ------
    InputValidationError
        ``result`` is not a run, ``category`` is not one of its categories, ``lang`` is not
        "id" or "en", ``bands_min`` is not increasing, or a path has another extension.
    OutputError
        A file cannot be put in place (e.g. open in a PDF viewer on Windows).

    Examples
    --------
    A kabupaten built by hand (two kecamatan of 2 x 2 km, one desa each, a puskesmas in
    the west and the hospital in the east on one road), printed to a PDF in a temporary
    folder:

    >>> import datetime, tempfile
    >>> from pathlib import Path
    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region()
    >>> result = ga.run_access(region, progress=False)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     fig = ga.print_map(result, Path(folder) / "peta.pdf", date=datetime.date(2026, 1, 5))
    ...     print(sorted(p.name for p in Path(folder).iterdir()))
    ['peta.pdf']
    >>> fig.get_size_inches().round(2).tolist()  # A4 landscape: 297 x 210 mm / 25.4
    [11.69, 8.27]
    >>> fig.texts[0].get_text()
    'contoh: waktu tempuh ke puskesmas terdekat (semua)'
    >>> desa_patches = [c for ax in fig.axes for c in ax.collections if c.get_gid() == "desa"][0]
    >>> len(desa_patches.get_paths())  # one patch per desa
    2

    Both desa are within 30 minutes of the puskesmas (about 5 and 9 minutes), so both
    get the fastest class's colour:

    >>> travel_time_classes(result.desa["puskesmas_travel_time_min"]).tolist()
    [0, 0]

    With the shared data directory (about 10 s; ``tests/test_print_map.py`` draws a hand-made
    run and checks every class, colour and label)::

        res = ga.run_access("muara_enim")
        fig = ga.print_map(res, ["peta.pdf", "peta.png"], lang="id")
    """
    check_lang(lang)
    bands = check_bands(bands_min)
    desa_in, col = _check_result(result, category)
    paths = [] if path is None else [Path(path)] if isinstance(path, str | Path) else [Path(p) for p in path]
    bad = [str(p) for p in paths if p.suffix.lower() not in (".png", ".pdf")]
    if bad:
        raise InputValidationError(
            f"print maps are written as .png or .pdf, got {bad}; name the file e.g. peta_akses.pdf",
            argument="path",
        )
    if not (isinstance(dpi, int | float) and 50 <= dpi <= 1200):
        raise InputValidationError(f"expected dots per inch from 50 to 1200, got {dpi!r}", argument="dpi")
    date = date or _dt.date.today()

    crs = getattr(result.network, "crs", None) or desa_in.crs
    if crs is None or not crs.is_projected:
        crs = desa_in.estimate_utm_crs()
    desa = desa_in.to_crs(crs)
    kec = result.kecamatan.to_crs(crs)
    kab_src = getattr(result.region, "kabupaten", None)
    kab = kab_src.to_crs(crs) if kab_src is not None else kec.dissolve()

    minutes = pd.to_numeric(desa[col], errors="coerce").to_numpy(dtype=float)
    cls = travel_time_classes(minutes, bands)
    colors = time_band_colors(bands)
    labels = time_band_labels(bands, lang)
    face = [colors[c] if c >= 0 else NO_DATA_COLOR for c in cls]

    from matplotlib import rc_context

    with rc_context({"font.family": "DejaVu Sans", "pdf.fonttype": 42, "ps.fonttype": 42}):
        fig = Figure(figsize=A4_LANDSCAPE_IN)
        FigureCanvasAgg(fig)
        # page layout (figure fractions): map left, legend panel right, title top, note bottom
        ax = fig.add_axes((0.025, 0.105, 0.665, 0.79))
        panel = fig.add_axes((0.705, 0.105, 0.275, 0.79))
        panel.set_axis_off()

        patches = []
        for g in desa.geometry:  # one patch per desa row, in order (empty ones too)
            shape = _polygon_path(g)
            patches.append(PathPatch(shape if shape is not None else MplPath(np.zeros((1, 2)))))
        coll = PatchCollection(patches, facecolors=face, edgecolors="white", linewidths=0.2, zorder=2)
        coll.set_gid("desa")
        ax.add_collection(coll)
        kec.boundary.plot(ax=ax, color="#4d4d4d", linewidth=0.7, zorder=4)
        kab.boundary.plot(ax=ax, color="black", linewidth=1.6, zorder=5)
        ax.set_xlabel("")
        ax.set_ylabel("")

        x0, y0, x1, y1 = kab.total_bounds
        # fit the kabupaten to the map box's aspect, with a margin
        box_w, box_h = 0.665 * A4_LANDSCAPE_IN[0], 0.79 * A4_LANDSCAPE_IN[1]
        w, h = (x1 - x0) * 1.06, (y1 - y0) * 1.06
        if w / h > box_w / box_h:
            h = w * box_h / box_w
        else:
            w = h * box_w / box_h
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        ax.set_xlim(cx - w / 2, cx + w / 2)
        ax.set_ylim(cy - h / 2, cy + h / 2)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("")
        ax.set_ylabel("")
        for s in ax.spines.values():
            s.set_linewidth(0.8)
        ax.set_facecolor("#f4f6f7")

        # facilities in the map frame; across the border paler; approximate sites hollow
        fac = result.facilities
        fac = fac[~(fac.geometry.isna() | fac.geometry.is_empty)].to_crs(crs)
        fcls = facility_classes(fac)
        xmin, xmax = ax.get_xlim()
        ymin, ymax = ax.get_ylim()
        fx, fy = fac.geometry.x.to_numpy(), fac.geometry.y.to_numpy()
        inside = (fx >= xmin) & (fx <= xmax) & (fy >= ymin) & (fy <= ymax)
        own = (
            fac["in_kabupaten"].astype(bool).to_numpy()
            if "in_kabupaten" in fac
            else np.ones(len(fac), dtype=bool)
        )
        approx = (
            (fac["location_quality"].astype(str) != "source").to_numpy()
            if "location_quality" in fac
            else np.zeros(len(fac), dtype=bool)
        )
        present: list[str] = []
        for key in ("puskesmas", "inpatient", "hospital"):
            st = FACILITY_MARKERS[key]
            sel = (fcls == key).to_numpy() & inside
            if not sel.any():
                continue
            present.append(key)
            for mask, alpha, scale in ((sel & own & ~approx, 1.0, 1.0), (sel & ~own & ~approx, 0.4, 0.7)):
                if mask.any():
                    ax.scatter(
                        fx[mask],
                        fy[mask],
                        s=st["size"] * scale,
                        marker=st["marker"],
                        c=st["color"],
                        edgecolors="white",
                        linewidths=0.7,
                        alpha=alpha,
                        zorder=7,
                        gid=f"fac-{key}",
                    )
            m2 = sel & approx
            if m2.any():
                ax.scatter(
                    fx[m2],
                    fy[m2],
                    s=st["size"],
                    marker=st["marker"],
                    facecolors="white",
                    edgecolors=st["color"],
                    linewidths=1.2,
                    zorder=7,
                    gid=f"fac-{key}-approx",
                )

        own_drawn = inside & own & fcls.notna().to_numpy()
        _label_kecamatan(ax, kec, fig, np.column_stack([fx[own_drawn], fy[own_drawn]]))
        pos = ax.get_position()
        _scale_bar(panel, (xmax - xmin) / (pos.width * fig.get_figwidth()), lang)
        _north_arrow(panel, lang)

        # title and subtitle
        name = str(getattr(result.region, "display_name", getattr(result.region, "name", "")))
        cat_text = t(f"category.{category}", lang)
        fig.text(
            0.025,
            0.955,
            title or t("print.title", lang, name=name, category=cat_text),
            fontsize=15,
            fontweight="bold",
            ha="left",
            va="center",
            wrap=True,
        )
        from .i18n import STRINGS

        mode = str(getattr(result.network, "mode", ""))
        has_pop = "population" in desa and pd.to_numeric(desa["population"], errors="coerce").notna().any()
        fig.text(
            0.025,
            0.917,
            t(
                "print.subtitle" if has_pop else "print.subtitle_no_pop",
                lang,
                mode=t(f"mode.{mode}", lang) if f"mode.{mode}" in STRINGS else mode,
            ),
            fontsize=9.5,
            color="#333333",
            ha="left",
            va="center",
        )

        # legend 1: classes, desa by their colour, people by their own (cell) time: a desa's
        # mean is over its people who can reach the category, so its unreachable people go
        # to the "unreachable" row (the totals are the run's, as in the coverage table)
        # the per-cell figures only: no need to make the cells' points
        cells = getattr(result, "cell_table", None)
        if cells is None:
            cells = getattr(result, "cells", None)
        if has_pop and isinstance(cells, pd.DataFrame) and {"population", col} <= set(cells.columns):
            pop = pd.to_numeric(cells["population"], errors="coerce").fillna(0).to_numpy(dtype=float)
            pop_cls = travel_time_classes(pd.to_numeric(cells[col], errors="coerce"), bands)
        else:  # no cell table: each desa's people by the desa's time
            pop = (
                pd.to_numeric(desa["population"], errors="coerce").fillna(0).to_numpy(dtype=float)
                if has_pop
                else np.zeros(len(desa))
            )
            pop_cls = cls

        unit = t(f"unit.{getattr(getattr(result, 'region', None), 'desa_unit', 'desa')}", lang)

        def row(label: str, i: int) -> str:
            n = int((cls == i).sum())
            if not has_pop:  # travel times only (no population figures in the run)
                return t("print.class_row_no_pop", lang, label=label, n=n, unit=unit)
            people = float(pop[pop_cls == i].sum())
            return t("print.class_row", lang, label=label, n=n, people=_fmt_int(people, lang), unit=unit)

        handles, texts = [], []
        for i, lab in enumerate(labels):
            handles.append(Patch(facecolor=colors[i], edgecolor="#666666", linewidth=0.5))
            texts.append(row(lab, i))
        if (cls < 0).any() or (has_pop and pop[pop_cls < 0].sum() > 0):
            handles.append(Patch(facecolor=NO_DATA_COLOR, edgecolor="#666666", linewidth=0.5))
            texts.append(row(t("map.no_data", lang), -1))
        leg1 = panel.legend(
            handles,
            texts,
            loc="upper left",
            bbox_to_anchor=(0.0, 1.0),
            frameon=False,
            title="\n".join(
                textwrap.wrap(
                    t(
                        "print.legend_time" if has_pop else "print.legend_time_no_pop",
                        lang,
                        category=cat_text,
                    ),
                    42,
                )
            ),
            title_fontproperties={"weight": "bold", "size": 8.5},
            fontsize=8,
            handlelength=2.2,
            handleheight=1.3,
            alignment="left",
            borderaxespad=0,
        )
        leg1.set_gid("legend-classes")
        panel.add_artist(leg1)

        # legend 2: facilities and boundaries
        h2, t2 = [], []
        for key in present:
            st = FACILITY_MARKERS[key]
            h2.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker=st["marker"],
                    markersize=math.sqrt(st["size"]),
                    markerfacecolor=st["color"],
                    markeredgecolor="white",
                    markeredgewidth=0.7,
                )
            )
            t2.append(t(f"print.facility.{key}", lang))
        if any(inside & ~own & fcls.notna().to_numpy()):
            h2.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=5,
                    markerfacecolor="#0072b2",
                    alpha=0.45,
                    markeredgecolor="white",
                )
            )
            t2.append(t("print.facility.neighbour", lang))
        if any(inside & approx & fcls.notna().to_numpy()):
            h2.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=5,
                    markerfacecolor="white",
                    markeredgecolor="#0072b2",
                    markeredgewidth=1.2,
                )
            )
            t2.append(t("print.facility.approx", lang))
        h2.append(Line2D([], [], color="black", linewidth=1.6))
        t2.append(t("print.boundary.kabupaten", lang))
        h2.append(Line2D([], [], color="#4d4d4d", linewidth=0.7))
        t2.append(t("print.boundary.kecamatan", lang))
        fig.canvas.draw()  # the height of the first legend, to put the second below it
        bb = leg1.get_window_extent().transformed(panel.transAxes.inverted())
        leg2 = panel.legend(
            h2,
            ["\n".join(textwrap.wrap(s, 44)) for s in t2],
            loc="upper left",
            bbox_to_anchor=(0.0, bb.y0 - 0.04),
            frameon=False,
            title=t("print.legend_facilities", lang),
            title_fontproperties={"weight": "bold", "size": 8.5},
            fontsize=8,
            handlelength=2.2,
            alignment="left",
            borderaxespad=0,
        )
        leg2.set_gid("legend-facilities")
        panel.add_artist(leg2)
        fig.canvas.draw()
        bb2 = leg2.get_window_extent().transformed(panel.transAxes.inverted())
        how_key = "print.how_to_read" if has_pop else "print.how_to_read_no_pop"
        how = "\n".join(textwrap.wrap(t(how_key, lang, category=cat_text), 58))
        panel.text(
            0.0,
            bb2.y0 - 0.04,
            how,
            transform=panel.transAxes,
            fontsize=7,
            color="#333333",
            ha="left",
            va="top",
        )

        # source note along the bottom
        note = _source_note(result, lang, date, sources, has_pop)
        fig.text(
            0.025,
            0.085,
            "\n".join(textwrap.wrap(note, 215)),
            fontsize=6.2,
            color="#333333",
            ha="left",
            va="top",
            gid="source-note",
        )

        if paths:
            from .report import atomic_path

            for out in paths:
                out.parent.mkdir(parents=True, exist_ok=True)
                with atomic_path(out) as tmp:
                    if out.suffix.lower() == ".pdf":
                        fig.savefig(
                            tmp, format="pdf", metadata={"Creator": "geoaccess", "CreationDate": None}
                        )
                    else:
                        fig.savefig(tmp, format="png", dpi=dpi)
    return fig
