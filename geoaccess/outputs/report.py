"""Exports (CSV, XLSX, GeoPackage) with planner-readable column names, and report figures.

Column labels
-------------
geoaccess columns use short English names with units (``travel_time_min``,
``people_beyond_60_min``). For reports they can be relabelled in English
(:data:`LABELS_EN`, ``"Travel time (min)"``) or Indonesian (:data:`LABELS_ID`,
``"Waktu tempuh (menit)"``). Columns built from a number (``people_beyond_<t>_min``,
``share_<band>_min``, ``norm_<indicator>`` ...) are labelled by pattern; columns
geoaccess does not know keep their name. Shares are fractions 0-1 and say so. The
labels, and the figure texts, live in the one catalogue :mod:`geoaccess.outputs.i18n`.

Figures
-------
Figures are built with :class:`matplotlib.figure.Figure` directly, not
``pyplot``: nothing touches the global backend or pyplot's figure list, nothing is
shown, and saving uses the Agg renderer (``fig.savefig("x.png")``). In Jupyter, run
``%matplotlib inline`` once (or end a cell with the figure after importing pyplot) to
see it in the notebook.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure

from .._files import atomic_path
from .._validate import check_choice, require_columns, require_crs, require_frame
from ..analysis.metrics import THRESHOLDS_MIN, cumulative_coverage
from ..exceptions import InputValidationError, OutputError
from .i18n import COLUMNS, LANGS, _num, column_label, t

__all__ = [
    "LABELS_EN",
    "LABELS_ID",
    "atomic_path",
    "check_output_dir",
    "column_label",
    "export_table",
    "plot_cumulative_coverage",
    "plot_kecamatan_bars",
    "relabel",
]

logger = logging.getLogger(__name__)

#: English report labels of geoaccess column names (a view of :data:`.i18n.COLUMNS`).
#:
#: :meta hide-value:
LABELS_EN: dict[str, str] = {k: v["en"] for k, v in COLUMNS.items()}
#: Indonesian report labels of geoaccess column names (a view of :data:`.i18n.COLUMNS`).
#:
#: :meta hide-value:
LABELS_ID: dict[str, str] = {k: v["id"] for k, v in COLUMNS.items()}
_LANGS = LANGS


def relabel(df: pd.DataFrame, language: str = "id") -> pd.DataFrame:
    """A copy of ``df`` with planner-readable column names (geometry column kept).

    Parameters
    ----------
    df : DataFrame or GeoDataFrame
        Any geoaccess table.
    language : {"en", "id"}
        English or Indonesian labels.

    Returns
    -------
    DataFrame
        Same data, columns renamed with :func:`column_label`. If two columns would
        get the same label, the later one gets its original name appended in brackets.

    Examples
    --------
    >>> kec = pd.DataFrame({"name": ["Barat", "Timur"], "population": [1000.0, 3000.0],
    ...                     "mean_travel_time_min": [4.95, 8.55], "people_beyond_60_min": [0.0, 250.0]})
    >>> for label in relabel(kec, "id").columns:
    ...     print(label)
    Nama
    Jumlah penduduk
    Rata-rata waktu tempuh (menit)
    Penduduk > 60 menit atau tidak terjangkau (jiwa)
    >>> relabel(kec, "en").columns.tolist()
    ['Name', 'Population (persons)', 'Mean travel time (min)', 'People beyond 60 min or unreachable']
    """
    require_frame(df, "df", geo=False)
    check_choice(language, _LANGS, "language")
    geom = df.geometry.name if isinstance(df, gpd.GeoDataFrame) else None
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for c in df.columns:
        if c == geom:
            mapping[c] = c
            used.add(str(c))
            continue
        lab = column_label(str(c), language)
        if lab in used:
            lab = f"{lab} [{c}]"
        used.add(lab)
        mapping[c] = lab
    return df.rename(columns=mapping)


def _plain_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Categoricals to plain strings (file drivers do not keep categories)."""
    out = df
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            if out is df:
                out = df.copy()
            out[c] = df[c].astype(object).where(df[c].notna(), None)
    return out


def check_output_dir(
    path: str | os.PathLike, *, argument: str = "out_dir", prefix: str | None = None
) -> Path:
    """Make sure files can be written in ``path`` before any work is done.

    Creates the folder if needed, writes and removes a probe file, and (with
    ``prefix``) checks that no existing ``<prefix>*`` file there is a folder or is
    locked against writing (as a spreadsheet open in Excel is on Windows).

    Parameters
    ----------
    path : path
        The output folder.
    argument : str
        The argument named in error messages.
    prefix : str, optional
        The start of the file names about to be written (``"<region>_"``).

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    OutputError
        Naming the path, what is wrong and what to do.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = check_output_dir(os.path.join(folder, "hasil"))
    ...     print(out.name, out.is_dir(), os.listdir(out))
    hasil True []
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OutputError(
            f"{argument} {str(p)!r} is a file, not a folder; pass a folder (it is created if missing), "
            f"e.g. {str(p.parent / 'geoaccess-output')!r}"
        )
    try:
        p.mkdir(parents=True, exist_ok=True)
        probe = p / f".geoaccess-probe-{uuid.uuid4().hex[:8]}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise OutputError(
            f"{argument} {str(p)!r} cannot be written to ({e.strerror or e}); choose a folder you can "
            "write to (e.g. one in your home folder) or fix its permissions"
        ) from e
    if prefix is not None:
        blocked = []
        for f in sorted(p.glob(f"{glob.escape(prefix)}*")):
            if f.is_dir():
                blocked.append(f"{f.name} (a folder)")
                continue
            try:
                with open(f, "ab"):
                    pass
            except OSError as e:
                blocked.append(f"{f.name} ({e.strerror or e})")
        if blocked:
            raise OutputError(
                f"{argument} {str(p)!r}: existing output(s) cannot be replaced: {blocked[:10]}. Close "
                "them in Excel/QGIS, remove or rename them, or choose another folder"
            )
    return p


def export_table(
    df: pd.DataFrame,
    path: str | Path,
    *,
    language: str | None = "en",
    layer: str | None = None,
    sheet_name: str = "geoaccess",
) -> Path:
    """Write a table to ``.csv``, ``.xlsx`` or ``.gpkg`` (chosen by the file extension).

    Parameters
    ----------
    df : DataFrame or GeoDataFrame
        The table. ``.gpkg`` needs a GeoDataFrame with a CRS.
    path : str or Path
        Output file; the extension picks the format. An existing file is replaced
        (for ``.gpkg``, the layer is replaced), atomically (:func:`atomic_path`): a failed
        write leaves the old file as it was.
    language : {"en", "id"} or None
        Column labels: English (default), Indonesian, or ``None`` to keep the
        geoaccess column names (best for files read back by code).
    layer : str, optional
        GeoPackage layer name (default: the file name without extension).
    sheet_name : str
        Excel sheet name (at most 31 characters).

    Returns
    -------
    Path
        The file written.

    Notes
    -----
    CSV is written as UTF-8 with a byte-order mark so that Excel shows
    Indonesian text correctly; pandas reads it back with ``pd.read_csv(path)``.
    CSV and XLSX cannot hold geometry: the geometry column is left out (logged).
    Missing values (``NaN``, ``<NA>``) are written as empty cells.

    Examples
    --------
    >>> kec = pd.DataFrame({"name": ["Barat", "Timur"], "population": [1000.0, 3000.0],
    ...                     "mean_travel_time_min": [4.95, 8.55], "people_beyond_60_min": [0.0, 250.0]})
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = export_table(kec, os.path.join(folder, "kecamatan.xlsx"), language="id")
    ...     back = pd.read_excel(path)
    >>> for label in back.columns:
    ...     print(label)
    Nama
    Jumlah penduduk
    Rata-rata waktu tempuh (menit)
    Penduduk > 60 menit atau tidak terjangkau (jiwa)
    """
    require_frame(df, "df", geo=False)
    if language is not None:
        check_choice(language, _LANGS, "language")
    p = Path(path)
    ext = p.suffix.lower()
    check_choice(ext, [".csv", ".xlsx", ".gpkg"], "path (file extension)")
    if not p.parent.exists():
        raise InputValidationError(
            f"folder {str(p.parent)!r} does not exist; create it first", argument="path"
        )
    data = _plain_columns(df)
    if ext == ".gpkg":
        if not isinstance(data, gpd.GeoDataFrame):
            raise InputValidationError(
                "a GeoPackage needs geometry, but this is a plain DataFrame. Join it to the "
                "boundaries first (e.g. kecamatan.merge(table, on='code')) or export to "
                ".csv/.xlsx",
                argument="df",
            )
        require_crs(data, "df")
        out = relabel(data, language) if language else data
        with atomic_path(p, keep_existing=True) as tmp:
            out.to_file(tmp, layer=layer or p.stem, driver="GPKG")
        return p
    if isinstance(data, gpd.GeoDataFrame):
        logger.info("export_table: %s cannot hold geometry; the geometry column is left out", ext)
        data = pd.DataFrame(data.drop(columns=data.geometry.name))
    out = relabel(data, language) if language else data
    if ext == ".xlsx" and len(sheet_name) > 31:
        raise InputValidationError("Excel sheet names have at most 31 characters", argument="sheet_name")
    with atomic_path(p) as tmp:
        if ext == ".csv":
            out.to_csv(tmp, index=False, encoding="utf-8-sig")
        else:
            out.to_excel(tmp, index=False, sheet_name=sheet_name, engine="openpyxl", freeze_panes=(1, 0))
    return p


# ---------------------------------------------------------------------------
# figures
# ---------------------------------------------------------------------------


#: Steps of a coverage curve drawn per axis width: finer than the pixels of any figure
#: written here, and it keeps a curve of a million cells from drawing a million steps.
CURVE_STEPS = 4000


def _thinned_steps(x: np.ndarray, y: np.ndarray, xmax: float) -> tuple[np.ndarray, np.ndarray]:
    """The steps of a non-decreasing curve, at most one per 1/CURVE_STEPS of the axis: the
    last point of each bucket, so the drawn curve is off by less than one bucket's width."""
    if len(x) <= CURVE_STEPS:
        return x, y
    bucket = np.floor(x / (max(xmax, 1e-9) / CURVE_STEPS))
    last = np.r_[bucket[1:] != bucket[:-1], True]
    return x[last], y[last]


def plot_cumulative_coverage(
    df: pd.DataFrame,
    *,
    time_col: str = "travel_time_min",
    pop_col: str = "population",
    by: str | None = None,
    thresholds_min: Sequence[float] = THRESHOLDS_MIN,
    max_minutes: float | None = None,
    language: str = "en",
    title: str | None = None,
    figsize: tuple[float, float] = (7.0, 4.5),
) -> Figure:
    """Cumulative coverage curve: share of the population within each travel time.

    Parameters
    ----------
    df : DataFrame
        Units with travel time (minutes; NaN = unreachable) and population.
    time_col, pop_col : str
        Column names.
    by : str, optional
        One curve per group (e.g. ``"kabupaten"``).
    thresholds_min : sequence of float
        Vertical guide lines, labelled with the share within (overall curve only).
    max_minutes : float, optional
        Right end of the x axis (default: the largest finite time).
    language : {"en", "id"}
        Axis labels in English or Indonesian.
    title : str, optional
        Figure title (default "Cumulative coverage" / "Cakupan kumulatif").
    figsize : (float, float)
        Size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Not shown; save with ``fig.savefig("coverage.png", dpi=200)``.

    Examples
    --------
    >>> desa = pd.DataFrame({"travel_time_min": [10.0, 40.0, 90.0], "population": [100, 200, 700]})
    >>> fig = plot_cumulative_coverage(desa, language="id")
    >>> fig.axes[0].get_xlabel()
    'Waktu tempuh (menit)'
    """
    check_choice(language, _LANGS, "language")
    curve = cumulative_coverage(df, time_col, pop_col, by=by)
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    finite = curve["travel_time_min"]
    xmax = float(max_minutes) if max_minutes is not None else float(max(finite.max(), 1.0))
    groups = [(t("fig.all", language), curve)] if by is None else list(curve.groupby(by, sort=True))
    for label, part in groups:
        x, y = _thinned_steps(part["travel_time_min"].to_numpy(), part["share_within"].to_numpy(), xmax)
        ax.step(np.append(x, xmax), np.append(y, y[-1]) * 100, where="post", label=str(label))
    if by is None:
        y_end = float(curve["share_within"].iloc[-1]) * 100
        for thr in thresholds_min:
            if thr > xmax:
                continue
            s = float(curve.loc[curve["travel_time_min"] <= thr, "share_within"].max()) * 100
            ax.axvline(thr, color="grey", linestyle="--", linewidth=0.8)
            ax.annotate(
                t("fig.within", language, s=s, t=f"{thr:g}"),
                xy=(thr, s),
                xytext=(4, -12),
                textcoords="offset points",
                fontsize=8,
            )
        if y_end < 100:
            ax.text(
                0.99,
                0.02,
                t("fig.unreach", language, s=100 - y_end),
                transform=ax.transAxes,
                ha="right",
                fontsize=8,
            )
    else:  # the curves rise to the right: their lower right is free (and "best" is slow)
        ax.legend(fontsize=8, loc="lower right")
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, 100)
    ax.set_xlabel(t("fig.cum_x", language))
    ax.set_ylabel(t("fig.cum_y", language))
    ax.set_title(title if title is not None else t("fig.cum_title", language))
    ax.grid(alpha=0.3)
    return fig


def _band_columns(summary: pd.DataFrame, share: bool) -> list[str]:
    kind = "share" if share else "people"
    pat = re.compile(rf"^{kind}_(over_[0-9p]+|[0-9p]+_[0-9p]+)_min$")
    cols = [c for c in summary.columns if pat.match(str(c))]
    extra = f"{kind}_unreachable"
    if extra in summary.columns:
        cols.append(extra)
    return cols


def plot_kecamatan_bars(
    summary: pd.DataFrame,
    *,
    label_col: str = "name",
    columns: Sequence[str] | None = None,
    share: bool = False,
    sort_by: str | None = None,
    top: int | None = None,
    language: str = "en",
    title: str | None = None,
    colors: Mapping[str, str] | None = None,
) -> Figure:
    """Horizontal stacked bars per kecamatan: people (or shares) per travel-time band.

    Parameters
    ----------
    summary : DataFrame
        One row per kecamatan, e.g. ``summarize_access(desa, by=...)`` merged with names.
    label_col : str
        Column with the bar labels (kecamatan names).
    columns : sequence of str, optional
        Columns to stack. Default: the band columns (``people_0_15_min`` ...
        ``people_over_60_min``) and ``people_unreachable`` (``share_`` columns when
        ``share=True``).
    share : bool
        Plot shares of the kecamatan population (%) instead of people.
    sort_by : str, optional
        Column to sort by, largest at the top. Default ``people_beyond_60_min`` (or
        ``share_beyond_60_min`` with ``share=True``) when present, else the stacked total.
    top : int, optional
        Show only the first ``top`` kecamatan after sorting.
    language : {"en", "id"}
        Labels in English or Indonesian.
    title : str, optional
        Figure title.
    colors : mapping of column -> colour, optional
        Colours per column (default: yellow to red for bands, grey for unreachable).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from geoaccess.analysis.metrics import summarize_access
    >>> desa = pd.DataFrame({"travel_time_min": [10.0, 40.0, 90.0], "population": [100, 200, 700],
    ...                      "kecamatan": ["Barat", "Barat", "Timur"]})
    >>> summary = summarize_access(desa, by="kecamatan")
    >>> fig = plot_kecamatan_bars(summary, label_col="kecamatan")
    >>> [label.get_text() for label in fig.axes[0].get_yticklabels()]
    ['Barat', 'Timur']
    """
    require_frame(summary, "summary", geo=False)
    check_choice(language, _LANGS, "language")
    require_columns(summary, [label_col], "summary")
    cols = list(columns) if columns is not None else _band_columns(summary, share)
    if not cols:
        raise InputValidationError(
            "no band columns found (people_0_15_min ...); pass columns= or use the output "
            "of summarize_access()",
            argument="summary",
        )
    require_columns(summary, cols, "summary")
    if sort_by is None:
        cand = "share_beyond_60_min" if share else "people_beyond_60_min"
        sort_by = cand if cand in summary.columns else None
    elif sort_by not in summary.columns:
        require_columns(summary, [sort_by], "summary")
    data = summary[[label_col, *cols] + ([sort_by] if sort_by and sort_by not in cols else [])]
    key = data[sort_by] if sort_by else data[cols].sum(axis=1)
    data = data.assign(_key=key.to_numpy()).sort_values("_key", ascending=False, kind="stable")
    if top is not None:
        data = data.head(int(top))
    data = data.iloc[::-1]  # largest at the top of a horizontal bar chart
    fig = Figure(figsize=(8.0, max(2.5, 0.32 * len(data) + 1.2)), layout="constrained")
    ax = fig.subplots()
    cmap = colormaps["YlOrRd"]
    band_cols = [c for c in cols if not str(c).endswith("unreachable")]
    left = np.zeros(len(data))
    factor = 100.0 if share else 1.0
    for i, c in enumerate(cols):
        vals = data[c].astype("float64").fillna(0.0).to_numpy() * factor
        color: str | tuple[float, float, float, float]
        if colors and c in colors:
            color = colors[c]
        elif str(c).endswith("unreachable"):
            color = "#555555"
        else:
            color = cmap(0.2 + 0.75 * i / max(1, len(band_cols) - 1))
        ax.barh(
            data[label_col].astype(str), vals, left=left, color=color, label=_short_label(str(c), language)
        )
        left += vals
    ax.set_xlabel(t("fig.bars_x_share", language) if share else t("fig.bars_x_people", language))
    ax.set_title(title if title is not None else t("fig.bars_title", language))
    ax.set_xlim(0, float(left.max()) * 1.03 if left.size and left.max() > 0 else 1.0)
    fig.legend(loc="outside lower center", ncol=min(len(cols), 5), fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig


def _short_label(col: str, language: str) -> str:
    """Legend label: '0-15 min' for a band column, else the full column label."""
    unit = t("unit.min", language)
    if col.endswith("_unreachable"):
        return t("fig.unreachable", language)
    m = re.fullmatch(r"(?:people|share)_([0-9p]+)_([0-9p]+)_min", col)
    if m:
        return f"{_num(m.group(1))}-{_num(m.group(2))} {unit}"
    m = re.fullmatch(r"(?:people|share)_over_([0-9p]+)_min", col)
    if m:
        return f"> {_num(m.group(1))} {unit}"
    return re.sub(r"\s*\((jiwa|0-1)\)$", "", column_label(col, language))
