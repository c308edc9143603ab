"""The ranked proposal of a siting run: a table for the planner and a budget curve.

:func:`proposal_table` turns the result of :func:`geoaccess.site_facilities` or
:func:`geoaccess.site_for_targets` into one row per proposed site, in the order the sites
were chosen: its kecamatan, build or upgrade, its cost, the people it brings within the
threshold (60 minutes by default), the cumulative people and cost, and the marginal
people per Rp 1 miliar (``people gained / (cost / 1e9)``). :func:`export_proposal` writes it
as CSV or XLSX with English or Indonesian column labels (the one catalogue in
:mod:`geoaccess.outputs.report`).

Budget curve
------------
:func:`budget_curve` reads the curve from the **cumulative columns of one run**: the point
``(0, people within before)`` and, after each site, ``(cumulative cost, people within)``.
No extra solver runs. For an exact run the sites are put in greedy order among the chosen
ones, so each point is what the first *n* proposed sites give; it is a lower bound on the
optimum at that smaller budget (the best choice for Rp 4 miliar need not be a prefix of
the best for Rp 10 miliar). For the exact curve, run :func:`geoaccess.site_facilities`
once per budget and pass the results to :func:`budget_curve_from_runs`.
:func:`plot_budget_curve` draws either as a :class:`matplotlib.figure.Figure` (no pyplot,
no global state).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .._utm import utm_crs
from .._validate import check_choice, require_columns, require_crs, require_frame
from ..exceptions import InputValidationError
from .i18n import LANGS, t
from .report import export_table

__all__ = [
    "ACTION_LABELS",
    "IDR_PER_MILIAR",
    "budget_curve",
    "budget_curve_from_runs",
    "export_proposal",
    "plot_budget_curve",
    "proposal_table",
    "write_proposal",
]

#: Rupiah in one miliar (10^9).
IDR_PER_MILIAR = 1e9
#: Text of the ``action`` values per language (the table keeps ``"new"`` / ``"upgrade"``).
ACTION_LABELS: dict[str, dict[str, str]] = {
    lang: {a: t(f"action.{a}", lang) for a in ("new", "upgrade")} for lang in LANGS
}
_SITING = ("rank", "cost", "cumulative_cost", "people_newly_within", "people_within_cumulative")
_KINDS = {"new": "new", "build": "new", "baru": "new", "upgrade": "upgrade"}


def _threshold(sites: pd.DataFrame) -> float:
    t = sites.attrs.get("threshold_min", 60.0)
    try:
        t = float(t)
    except (TypeError, ValueError):
        t = math.nan
    if not math.isfinite(t) or t <= 0:
        raise InputValidationError(
            f"attrs['threshold_min'] must be minutes > 0, got {sites.attrs.get('threshold_min')!r}; "
            "pass the unchanged result of site_facilities()",
            argument="sites",
        )
    return t


def proposal_table(
    sites: gpd.GeoDataFrame,
    *,
    kecamatan: gpd.GeoDataFrame | None = None,
    kecamatan_col: str | None = None,
    name_col: str = "name",
    kind_col: str = "kind",
    id_col: str | None = None,
) -> gpd.GeoDataFrame:
    """One row per proposed site, in selection order, with cost and people gained.

    Parameters
    ----------
    sites : GeoDataFrame
        The unchanged result of :func:`geoaccess.site_facilities` or
        :func:`geoaccess.site_for_targets` (its ``rank``, ``cost``, ``cumulative_cost``,
        ``people_newly_within``, ``people_within_cumulative`` columns and
        ``attrs["threshold_min"]``).
    kecamatan : GeoDataFrame, optional
        Kecamatan polygons with ``name``: each site's kecamatan is the one it lies in (the
        nearest one for a site in none, e.g. on the border).
    kecamatan_col : str, optional
        Column of ``sites`` holding the kecamatan name (used where ``kecamatan`` is not
        given, or does not contain the site).
    name_col : str
        Column of ``sites`` with the site's name (left empty when missing).
    kind_col : str
        Column saying ``"new"`` or ``"upgrade"``; without it every site counts as ``"new"``
        (as :func:`geoaccess.site_facilities` costs it).
    id_col : str, optional
        Column with the site id; default the index.

    Returns
    -------
    GeoDataFrame
        Columns ``rank``, ``site_id``, ``name``, ``kecamatan``, ``action`` (``"new"`` /
        ``"upgrade"``), ``cost_idr``, ``cumulative_cost_idr``,
        ``people_newly_within_<T>_min`` (marginal), ``people_within_<T>_min_cumulative``
        (everyone within ``T`` minutes with the sites so far, existing facilities
        included), ``people_per_miliar_idr`` (marginal people per Rp 1 miliar),
        ``for_target`` (chosen by :func:`geoaccess.site_for_targets` for a kecamatan
        without a facility) and the site's geometry. ``attrs`` are those of ``sites``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> sites = gpd.GeoDataFrame(
    ...     {"name": ["Pkm A", "Desa B"], "kind": ["upgrade", "new"], "rank": [1, 2],
    ...      "cost": [1e9, 2.4e9], "cumulative_cost": [1e9, 3.4e9],
    ...      "people_newly_within": [5000.0, 6000.0],
    ...      "people_within_cumulative": [105000.0, 111000.0]},
    ...     geometry=[shapely.Point(0, 0), shapely.Point(1, 1)], crs=4326, index=["a", "b"])
    >>> proposal_table(sites)["people_per_miliar_idr"].tolist()
    [5000.0, 2500.0]
    """
    require_frame(sites, "sites")
    require_columns(sites, list(_SITING), "sites")
    t = _threshold(sites)
    n = len(sites)
    if id_col is not None:
        require_columns(sites, [id_col], "sites")
        ids = sites[id_col].astype(object).to_numpy()
    else:
        ids = sites.index.to_numpy(dtype=object)
    names = sites[name_col].astype(object).to_numpy() if name_col in sites else np.full(n, None, dtype=object)
    if kind_col in sites:
        kinds = sites[kind_col].astype("string").str.strip().str.lower().map(_KINDS)
        if kinds.isna().any():
            bad = sites.loc[kinds.isna(), kind_col].head(3).tolist()
            raise InputValidationError(
                f"column {kind_col!r} must say 'new' or 'upgrade' for every site, got e.g. {bad}",
                argument="kind_col",
            )
        action = kinds.to_numpy(dtype=object)
    else:
        action = np.full(n, "new", dtype=object)
    kec = pd.Series(None, index=sites.index, dtype=object)
    if kecamatan_col is not None:
        require_columns(sites, [kecamatan_col], "sites")
        kec = sites[kecamatan_col].astype(object).where(sites[kecamatan_col].notna(), None)
    if kecamatan is not None and n:
        require_frame(kecamatan, "kecamatan")
        require_crs(kecamatan, "kecamatan")
        require_columns(kecamatan, ["name"], "kecamatan")
        require_crs(sites, "sites")
        # the polygon holding the site; a site in no polygon (a sliver, the border) gets the
        # nearest one, measured in a metric CRS
        metric = utm_crs(kecamatan) if kecamatan.crs.is_geographic else kecamatan.crs
        poly = kecamatan[["name", kecamatan.geometry.name]].to_crs(metric)
        pts = gpd.GeoDataFrame(geometry=sites.geometry.to_crs(metric).to_numpy(), crs=metric)
        j = gpd.sjoin_nearest(pts, poly, how="left")
        found = j[~j.index.duplicated()]["name"].reindex(pts.index).to_numpy(dtype=object)
        kec = pd.Series(
            [f if isinstance(f, str) else k for f, k in zip(found, kec.to_numpy(), strict=True)],
            index=sites.index,
            dtype=object,
        )
    cost = sites["cost"].to_numpy(dtype=float)
    gained = sites["people_newly_within"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_miliar = np.where(cost > 0, gained / (cost / IDR_PER_MILIAR), np.nan)
    tt = f"{t:g}".replace(".", "p")
    out = pd.DataFrame(
        {
            "rank": sites["rank"].to_numpy(dtype=int),
            "site_id": ids,
            "name": names,
            "kecamatan": kec.to_numpy(dtype=object),
            "action": action,
            "cost_idr": cost,
            "cumulative_cost_idr": sites["cumulative_cost"].to_numpy(dtype=float),
            f"people_newly_within_{tt}_min": gained,
            f"people_within_{tt}_min_cumulative": sites["people_within_cumulative"].to_numpy(dtype=float),
            "people_per_miliar_idr": per_miliar,
            "for_target": (
                sites["target_group"].notna().to_numpy(dtype=bool)
                if "target_group" in sites
                else np.zeros(n, dtype=bool)
            ),
        },
        index=sites.index,
    )
    res = gpd.GeoDataFrame(out, geometry=sites.geometry.to_numpy(), crs=sites.crs)
    res.attrs = dict(sites.attrs)
    return res


def export_proposal(proposal: pd.DataFrame, path: str | Path, *, language: str = "id") -> Path:
    """Write a :func:`proposal_table` to ``.csv`` or ``.xlsx`` with planner-readable labels.

    Column labels come from :func:`geoaccess.outputs.report.column_label`; the ``action``
    values are written in words of the same language (:data:`ACTION_LABELS`); people
    (``people_*`` columns) are rounded to whole persons. The geometry is left out
    (CSV/XLSX hold none); the write is atomic.

    Parameters
    ----------
    proposal : DataFrame
        From :func:`proposal_table`.
    path : str or Path
        ``.csv`` or ``.xlsx`` (the folder must exist).
    language : {"id", "en"}
        Indonesian (default) or English.

    Returns
    -------
    Path

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> sites = gpd.GeoDataFrame(
    ...     {"name": ["Pkm A", "Desa B"], "kind": ["upgrade", "new"], "rank": [1, 2],
    ...      "cost": [1e9, 2.4e9], "cumulative_cost": [1e9, 3.4e9],
    ...      "people_newly_within": [5000.0, 6000.0],
    ...      "people_within_cumulative": [105000.0, 111000.0]},
    ...     geometry=[shapely.Point(103.81, -3.71), shapely.Point(103.83, -3.71)], crs=4326)
    >>> sites.attrs["people_within_before"] = 100000.0
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = export_proposal(proposal_table(sites), os.path.join(folder, "usulan.csv"))
    ...     header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    >>> header.split(",")[:4]
    ['Peringkat', 'ID lokasi', 'Nama', 'Kecamatan']
    """
    require_frame(proposal, "proposal", geo=False)
    check_choice(language, ["en", "id"], "language")
    ext = Path(path).suffix.lower()
    check_choice(ext, [".csv", ".xlsx"], "path (file extension)")
    data = proposal.copy()
    for c in data.columns:  # whole persons in the file (the table itself stays exact)
        if str(c).startswith("people_") and pd.api.types.is_float_dtype(data[c]):
            data[c] = data[c].round().astype("Int64")
    if "action" in data:
        data["action"] = data["action"].map(lambda v: ACTION_LABELS[language].get(v, v))
    if "for_target" in data:
        yes, no = t("word.yes", language), t("word.no", language)
        data["for_target"] = data["for_target"].map(lambda v: yes if bool(v) else no)
    return export_table(data, path, language=language, sheet_name=t("sheet.proposal", language))


def budget_curve(sites: pd.DataFrame) -> pd.DataFrame:
    """People within the threshold against money spent, from one run's cumulative columns.

    Parameters
    ----------
    sites : DataFrame
        A :func:`geoaccess.site_facilities` result (``cumulative_cost``,
        ``people_within_cumulative``, ``attrs["people_within_before"]``) or a
        :func:`proposal_table`.

    Returns
    -------
    DataFrame
        ``n_sites`` (0, 1, ...), ``budget_idr``, ``budget_miliar`` and ``people_within``:
        the first row is the baseline at Rp 0, then one row per site. See the module
        docstring for what the points of an exact run mean.

    Examples
    --------
    Two sites chosen in order: an upgrade for Rp 1 miliar (5,000 people), then a new
    puskesmas for Rp 2.4 miliar (6,000 more):

    >>> import geopandas as gpd, shapely
    >>> sites = gpd.GeoDataFrame(
    ...     {"name": ["Pkm A", "Desa B"], "kind": ["upgrade", "new"], "rank": [1, 2],
    ...      "cost": [1e9, 2.4e9], "cumulative_cost": [1e9, 3.4e9],
    ...      "people_newly_within": [5000.0, 6000.0],
    ...      "people_within_cumulative": [105000.0, 111000.0]},
    ...     geometry=[shapely.Point(103.81, -3.71), shapely.Point(103.83, -3.71)], crs=4326)
    >>> sites.attrs["people_within_before"] = 100000.0
    >>> budget_curve(sites)
       n_sites    budget_idr  budget_miliar  people_within
    0        0  0.000000e+00            0.0       100000.0
    1        1  1.000000e+09            1.0       105000.0
    2        2  3.400000e+09            3.4       111000.0
    """
    require_frame(sites, "sites", geo=False)
    t = _threshold(sites)
    tt = f"{t:g}".replace(".", "p")
    if "cumulative_cost" in sites:
        cost, within = sites["cumulative_cost"], sites["people_within_cumulative"]
    else:
        require_columns(sites, ["cumulative_cost_idr", f"people_within_{tt}_min_cumulative"], "sites")
        cost, within = sites["cumulative_cost_idr"], sites[f"people_within_{tt}_min_cumulative"]
    before = sites.attrs.get("people_within_before")
    if before is None:
        raise InputValidationError(
            "attrs['people_within_before'] is missing; pass the unchanged result of site_facilities()",
            argument="sites",
        )
    budget = np.concatenate([[0.0], cost.to_numpy(dtype=float)])
    people = np.concatenate([[float(before)], within.to_numpy(dtype=float)])
    out = pd.DataFrame(
        {
            "n_sites": np.arange(len(budget)),
            "budget_idr": budget,
            "budget_miliar": budget / IDR_PER_MILIAR,
            "people_within": people,
        }
    )
    out.attrs = {"threshold_min": t, "source": "cumulative columns of one run"}
    return out


def budget_curve_from_runs(runs: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The exact budget curve: one :func:`geoaccess.site_facilities` run per budget.

    Parameters
    ----------
    runs : iterable of GeoDataFrame
        Results of ``site_facilities(..., budget=b)`` for several ``b``.

    Returns
    -------
    DataFrame
        One row per run, by budget: ``budget_idr``, ``budget_miliar``, ``n_sites``,
        ``cost_idr`` (what the chosen sites cost), ``people_within`` (after) and ``gap``.

    Examples
    --------
    Three villages on a 12 km road, the puskesmas at one end; one run per budget:

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> road = gpd.GeoDataFrame({"road_class": ["lokal"]},
    ...     geometry=[shapely.LineString([(0, 0), (12_000, 0)])], crs="EPSG:32748")
    >>> net = ga.build_network(road, "car", offroad=False)  # lokal: 20 km/h, 3 min/km
    >>> pts = lambda xs: [shapely.Point(x, 0) for x in xs]
    >>> desa = gpd.GeoDataFrame({"population": [100, 200, 300]},
    ...     geometry=pts([2_000, 8_000, 12_000]), crs="EPSG:32748")
    >>> pkm = gpd.GeoDataFrame({"facility_id": ["P"]}, geometry=pts([0]), crs="EPSG:32748")
    >>> sites = gpd.GeoDataFrame({"cost": [1e9, 1e9]}, geometry=pts([8_000, 12_000]),
    ...     crs="EPSG:32748", index=["desa_8km", "desa_12km"])
    >>> runs = [ga.site_facilities(net, desa, pkm, sites, budget=b, threshold_min=5, cost_col="cost")
    ...         for b in (1e9, 2e9)]
    >>> budget_curve_from_runs(runs)[["budget_miliar", "n_sites", "people_within"]]
       budget_miliar  n_sites  people_within
    0            1.0        1          300.0
    1            2.0        2          500.0

    Within 5 minutes (1.67 km) nobody reaches the puskesmas; Rp 1 miliar builds at the
    largest village (300 people), Rp 2 miliar at both.
    """
    rows = []
    ts = set()
    for r in runs:
        a = r.attrs
        if a.get("budget") is None or "people_within_after" not in a:
            raise InputValidationError(
                "each run must be a site_facilities(..., budget=...) result with its attrs",
                argument="runs",
            )
        ts.add(_threshold(r))
        rows.append(
            {
                "budget_idr": float(a["budget"]),
                "budget_miliar": float(a["budget"]) / IDR_PER_MILIAR,
                "n_sites": int(a.get("n_sites", len(r))),
                "cost_idr": float(a.get("total_cost", math.nan)),
                "people_within": float(a["people_within_after"]),
                "gap": float(a.get("gap", math.nan)),
            }
        )
    if not rows:
        raise InputValidationError("give at least one run", argument="runs")
    if len(ts) > 1:
        raise InputValidationError(f"the runs use different thresholds {sorted(ts)}", argument="runs")
    out = pd.DataFrame(rows).sort_values("budget_idr", kind="stable").reset_index(drop=True)
    out.attrs = {"threshold_min": ts.pop(), "source": "one run per budget"}
    return out


def plot_budget_curve(
    curve: pd.DataFrame,
    *,
    language: str = "en",
    title: str | None = None,
    population: float | None = None,
    figsize: tuple[float, float] = (7.0, 4.5),
) -> Figure:
    """Budget curve: people within the threshold against budget in Rp miliar.

    Parameters
    ----------
    curve : DataFrame
        From :func:`budget_curve` (drawn as steps: the people are reached once the
        cumulative cost is spent) or :func:`budget_curve_from_runs` (drawn as points
        joined by lines).
    language : {"en", "id"}
        Labels in English or Indonesian.
    title : str, optional
        Figure title.
    population : float, optional
        Total population: a dashed line at the top.
    figsize : (float, float)
        Size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Not shown; save with ``fig.savefig("budget_curve.png", dpi=150)``. The data are
        in ``fig.axes[0].lines[0].get_xydata()``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> sites = gpd.GeoDataFrame(
    ...     {"name": ["Pkm A", "Desa B"], "kind": ["upgrade", "new"], "rank": [1, 2],
    ...      "cost": [1e9, 2.4e9], "cumulative_cost": [1e9, 3.4e9],
    ...      "people_newly_within": [5000.0, 6000.0],
    ...      "people_within_cumulative": [105000.0, 111000.0]},
    ...     geometry=[shapely.Point(103.81, -3.71), shapely.Point(103.83, -3.71)], crs=4326)
    >>> sites.attrs["people_within_before"] = 100000.0
    >>> fig = plot_budget_curve(budget_curve(sites), language="id", population=150000)
    >>> fig.axes[0].lines[0].get_xydata().tolist()
    [[0.0, 100000.0], [1.0, 105000.0], [3.4, 111000.0]]
    """
    require_frame(curve, "curve", geo=False)
    require_columns(curve, ["budget_miliar", "people_within"], "curve")
    check_choice(language, ["en", "id"], "language")
    tmin = f"{float(curve.attrs.get('threshold_min', 60.0)):g}"
    x = curve["budget_miliar"].to_numpy(dtype=float)
    y = curve["people_within"].to_numpy(dtype=float)
    one_run = "n_sites" in curve and "cost_idr" not in curve
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    if one_run:
        ax.step(x, y, where="post", marker="o", color="#0072b2")
        for xi, yi, n in zip(x[1:], y[1:], curve["n_sites"].to_numpy()[1:], strict=True):
            ax.annotate(str(int(n)), (xi, yi), xytext=(3, -11), textcoords="offset points", fontsize=7)
    else:
        ax.plot(x, y, marker="o", color="#0072b2")
    if one_run and len(y):
        ax.axhline(y[0], color="grey", linestyle=":", linewidth=0.8)
        ax.annotate(
            t("budget.base", language), (0, y[0]), xytext=(3, 4), textcoords="offset points", fontsize=8
        )
    if population is not None:
        ax.axhline(float(population), color="grey", linestyle="--", linewidth=0.8)
    ax.set_xlabel(t("budget.x", language))
    ax.set_ylabel(t("budget.y", language, t=tmin))
    title_text = title if title is not None else t("budget.title", language, t=tmin)
    ax.set_title(textwrap.fill(title_text, 70), fontsize=11)
    ax.text(
        0.99,
        0.02,
        t("budget.src1" if one_run else "budget.srcn", language),
        transform=ax.transAxes,
        ha="right",
        fontsize=7,
    )
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    return fig


def write_proposal(
    result: Any,
    sites: pd.DataFrame,
    proposal: pd.DataFrame,
    out: str | Path,
    name: str,
    *,
    existing: gpd.GeoDataFrame | None,
    budget_idr: float | None = None,
    language: str = "id",
    table_language: str | None = None,
) -> dict[str, Path]:
    """The files of a siting proposal: ``<name>_proposal.csv`` / ``.xlsx``,
    ``<name>_budget_curve.png`` and ``<name>_proposal_map.html``.

    One writer for ``geoaccess plan`` and the ``siting:`` section of ``geoaccess run``.
    The map shows the desa by travel time to the nearest inpatient puskesmas, the
    existing inpatient puskesmas (none is a legitimate case: the kabupaten the siting is
    most needed for) and the proposed sites in order.

    Parameters
    ----------
    result : AccessResult
        The run the siting was made on (its ``desa`` need
        ``inpatient_travel_time_min``).
    sites : GeoDataFrame
        From :func:`geoaccess.site_facilities` or :func:`geoaccess.site_for_targets`.
    proposal : DataFrame
        ``proposal_table(sites, ...)``.
    out : str or Path
        An existing folder.
    name : str
        File name prefix.
    existing : GeoDataFrame or None
        The inpatient puskesmas the siting started from; empty or None draws none.
    budget_idr : float, optional
        Budget in the map title (default: the cost of the proposal).
    language : {"id", "en"}
        Language of the figure and the map.
    table_language : {"id", "en"}, optional
        Language of the table labels (default ``language``).

    Returns
    -------
    dict
        ``proposal_csv``, ``proposal_xlsx``, ``budget_curve``, ``proposal_map`` -> path.

    Examples
    --------
    A kabupaten built by hand with no inpatient puskesmas at all (two kecamatan of
    2 x 2 km, 1,000 people in Barat with a plain puskesmas, 3,000 in Timur): one site at
    5 minutes goes to the desa of Timur, where most people live:

    >>> import os, tempfile
    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> from geoaccess.planning.candidates import plan_candidates
    >>> region = example_region(hospital=False)
    >>> result = ga.run_access(region, categories=("puskesmas", "inpatient"), progress=False)
    >>> candidates, existing = plan_candidates(result)
    >>> origins = result.cells[result.cells["population"] > 0]
    >>> sites = ga.site_facilities(result.network, origins, existing, candidates, k=1,
    ...     threshold_min=5, candidate_id_col="candidate_id")
    >>> proposal = proposal_table(sites, kecamatan=result.kecamatan, id_col="candidate_id")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = write_proposal(result, sites, proposal, folder, "contoh", existing=existing)
    ...     print(sorted(os.listdir(folder)))
    ['contoh_budget_curve.png', 'contoh_proposal.csv', 'contoh_proposal.xlsx', 'contoh_proposal_map.html']
    >>> sites["candidate_id"].tolist()
    ['desa:D2']
    """
    import warnings

    from ..exceptions import GeoAccessWarning
    from .maps import access_map, add_proposal_layer, save_map
    from .report import atomic_path

    check_choice(language, list(LANGS), "language")
    out = Path(out)
    tlang = language if table_language is None else table_language
    files = {
        "proposal_csv": export_proposal(proposal, out / f"{name}_proposal.csv", language=tlang),
        "proposal_xlsx": export_proposal(proposal, out / f"{name}_proposal.xlsx", language=tlang),
    }
    title_name = getattr(result.region, "display_name", name)
    cells = result.cell_table
    pop = float(cells.loc[cells["population"] > 0, "population"].sum())
    fig = plot_budget_curve(
        budget_curve(sites),
        population=pop,
        language=language,
        title=t("output.budget_title", language, name=title_name),
    )
    png = out / f"{name}_budget_curve.png"
    with atomic_path(png) as tmp:
        fig.savefig(tmp, dpi=150)
    files["budget_curve"] = png
    budget = budget_idr if budget_idr is not None else float(proposal["cost_idr"].sum())
    desa = result.desa[["code", "name", "population", "inpatient_travel_time_min", "geometry"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        m = access_map(
            desa,
            existing if existing is not None and len(existing) else None,
            result.kecamatan[["code", "name", "geometry"]],
            roads=getattr(getattr(result, "region", None), "roads", None),
            time_col="inpatient_travel_time_min",
            title=t("output.plan_title", language, name=title_name, budget=f"{budget / IDR_PER_MILIAR:g}"),
            lang=language,
        )
        add_proposal_layer(m, proposal, lang=language)
        files["proposal_map"] = save_map(m, out / f"{name}_proposal_map.html")
    return files
