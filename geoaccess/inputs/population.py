"""Population: desa tables joined to polygons, raster zonal sums, and polygon-to-cell allocation.

- :func:`join_population` joins a desa/kelurahan population table to desa polygons and
  reports every row that did not match, on both sides.
- :func:`zonal_population` sums a gridded population raster (e.g. WorldPop) over
  polygons with exactextract, which weights each raster cell by the exact fraction of it
  covered by the polygon (no all-touched / centre-point bias on small desa).
- :func:`allocation_table` spreads polygon totals over lattice cells (points) as a long
  (cell, polygon, population) table, so that travel-time results on a cell lattice can be
  population-weighted per cell, desa and kecamatan; :func:`allocate_population` is its
  sum per cell. Totals are conserved exactly.

All population figures are persons (float). The shared desa table
(``population/population_desa_sumsel_3kab.csv``) holds Kemendes 2024 village population
with gaps filled from PODES 2021 households and scaled to the Kepmendagri 2025 kabupaten
totals (``pop_est_scaled_kepmendagri2025``): an estimate, not an official figure. See the
folder's SOURCES.md.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._utm import utm_crs
from .._validate import (
    check_choice,
    require_columns,
    require_crs,
    require_frame,
    require_geom_types,
    require_unique,
)
from ..exceptions import DataNotFoundError, GeoAccessWarning, InputValidationError
from ..notes import Joined, Note
from .tables import BLANK_TOKENS, directory_message, is_code_column, parse_numbers, read_table

__all__ = [
    "PARTIAL_COVERAGE",
    "ZONAL_STATS",
    "allocate_population",
    "allocation_table",
    "join_population",
    "populated_cells",
    "read_population_raster",
    "zonal_population",
]

logger = logging.getLogger(__name__)

_NAME_COLS = ("desa", "name", "nama", "nama_desa")

_FLOAT_TEXT = re.compile(r"^\d+\.0+$")

#: Statistics :func:`zonal_population` accepts (exactextract operation names).
ZONAL_STATS: tuple[str, ...] = ("sum", "mean", "min", "max", "count", "median")


def join_population(
    desa: gpd.GeoDataFrame,
    table: pd.DataFrame | str | os.PathLike[str],
    *,
    on: str = "code",
    table_on: str | None = None,
    pop_col: str = "population",
    columns: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """Join a desa population table to desa polygons.

    Parameters
    ----------
    desa : GeoDataFrame
        Desa/kelurahan polygons with a unique key column ``on``.
    table : DataFrame or path to a CSV file
        One row per desa with a key column ``table_on`` and a population column. Keys
        are compared as text (``1603010001``, ``1603010001.0`` and ``"1603010001"`` match).
    on : str, default ``"code"``
        Key column in ``desa`` (Kemendagri code in the shared boundaries).
    table_on : str, optional
        Key column in ``table``; default: same as ``on``. For the shared table use
        ``"kode_kemendagri_matched"``.
    pop_col : str, default ``"population"``
        Population column in ``table`` (persons). For the shared table use
        ``"pop_est_scaled_kepmendagri2025"``.
    columns : sequence of str, optional
        Extra table columns to carry over, e.g. ``["flood_hazard_index_bnpb",
        "poverty_rate_idm", "flood_event_freq_kemendes_2024"]``. Existing desa columns of
        the same name are replaced.

    Returns
    -------
    GeoDataFrame
        A copy of ``desa`` (same index, order and CRS) with ``population`` (float,
        persons; NaN where the table has no figure) and the requested ``columns``.

    Raises
    ------
    MissingColumnError
        A key, population or requested column is absent.
    NonUniqueIDError
        Duplicate keys in ``desa`` or in ``table`` (rows with an empty key excepted).
    InputValidationError
        Negative population values.

    Warns
    -----
    GeoAccessWarning
        Listing polygons without a population figure (they get NaN) and table rows that
        match no polygon (with their key or position and the persons they hold), so
        nothing is dropped silently.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> desa = gpd.GeoDataFrame({"code": ["a", "b"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
    ...                         crs="EPSG:4326")
    >>> table = pd.DataFrame({"code": ["a", "b"], "population": [100, 250]})
    >>> join_population(desa, table)["population"].tolist()
    [100.0, 250.0]
    """
    require_frame(desa, "desa")
    tab = _read_table(table)
    require_frame(tab, "table", geo=False)
    table_on = on if table_on is None else table_on
    columns = list(columns or [])
    require_columns(desa, [on], "desa")
    require_columns(tab, [table_on, pop_col, *columns], "table")
    require_unique(desa, on, "desa")

    desa_key = _keys(desa[on], on, "desa")
    tab_key = _keys(tab[table_on], table_on, "table")
    keyed = tab_key.notna()
    require_unique(pd.DataFrame({table_on: tab_key[keyed]}), table_on, "table")
    row_labels = [str(k) if pd.notna(k) else f"row {i}" for i, k in zip(tab.index, tab_key, strict=True)]
    pop, number_notes = parse_numbers(
        tab[pop_col], column=pop_col, argument="table", kind="count", labels=row_labels
    )
    if (pop < 0).any():
        neg = [row_labels[i] for i in np.flatnonzero((pop < 0).to_numpy())]
        raise InputValidationError(
            f"column {pop_col!r} has {len(neg)} negative value(s) (keys {_fmt(neg, 10)}); "
            "population must be >= 0 (leave the cell empty for unknown).",
            argument="table",
        )

    lookup = pd.DataFrame({"_key": tab_key[keyed], "population": pop[keyed]})
    for c in columns:
        extra = _extra_column(tab[c], c, row_labels)
        lookup[c] = extra[keyed]
    lookup = lookup.set_index("_key")
    matched = desa_key.isin(lookup.index)

    out = desa.copy()
    for c in ["population", *columns]:
        vals = lookup[c].reindex(desa_key.where(matched).to_numpy())
        out[c] = vals.to_numpy()
    out["population"] = out["population"].astype(float)

    notes: list[str] = list(number_notes)
    no_fig = out["population"].isna()
    if no_fig.any():
        keys = desa.loc[no_fig.to_numpy(), on].astype(str).tolist()
        notes.append(Note("note.no_population_figure", n=len(keys), total=len(desa), keys=_fmt(keys)))
    unused = ~keyed | ~tab_key.isin(set(desa_key.dropna()))
    if unused.any():
        name_col = next((c for c in _NAME_COLS if c in tab.columns), None)
        labels = []
        for label, k in zip(tab.index[unused.to_numpy()], tab_key[unused], strict=True):
            text = str(k) if pd.notna(k) else f"index {label} (empty {table_on})"
            if name_col is not None:
                text += f" {tab.loc[label, name_col]!r}" if tab.index.is_unique else ""
            labels.append(text)
        lost = float(pop[unused].sum(skipna=True))
        notes.append(
            Note("note.rows_match_no_polygon", n=len(labels), people=f"{lost:,.0f}", rows=_fmt(labels))
        )
    if notes:
        warnings.warn(
            Note("note.join_population", notes=Joined("; ", notes), on=repr(on), table_on=repr(table_on)),
            GeoAccessWarning,
            stacklevel=2,
        )
    logger.info("joined population to %d of %d polygons", int((~no_fig).sum()), len(desa))
    return out


def zonal_population(
    raster: Any,
    polygons: gpd.GeoDataFrame,
    *,
    stat: str = "sum",
    nodata: float | None = None,
) -> pd.Series:
    """Summarise a population raster over polygons with exact partial-cell coverage.

    Uses exactextract (https://github.com/isciences/exactextract), which weights every
    raster cell by the exact fraction of its area inside the polygon. A ``sum`` over a
    persons-per-cell raster (WorldPop, GHSL, HRSL) therefore counts a cell half inside
    the desa as half, instead of all-or-nothing as centre-point or all-touched methods
    do; this matters for small desa covering only a few cells. Raster nodata cells are
    ignored.

    Parameters
    ----------
    raster : path or rasterio dataset
        A GeoTIFF (or any GDAL raster) path, or an open ``rasterio`` dataset. Band 1 is
        used. Must have a CRS.
    polygons : GeoDataFrame
        Polygons in any CRS (reprojected to the raster CRS for the computation).
    stat : {'sum', 'mean', 'min', 'max', 'count', 'median'}, default ``'sum'``
        exactextract operation. ``count`` is the covered cell count (fractional).
    nodata : float, optional
        A fill value to treat as nodata when the raster does not declare it (or declares
        another one), e.g. ``-99999``. Without it, a raster with no declared nodata
        that holds negative or huge (>= 1e30) values raises, as those are fill values,
        not people.

    Returns
    -------
    Series of float
        Indexed like ``polygons``; named ``population`` for ``sum``, else
        ``population_<stat>``. Polygons outside the raster or under nodata only get NaN
        (``count``: 0), and are listed in a warning. ``result.attrs['valid_fraction']``
        holds, per polygon, the share of its area with raster data.

    Raises
    ------
    DataNotFoundError
        The raster path does not exist.
    CRSError
        ``polygons`` has no CRS.
    InputValidationError
        Unknown ``stat``, raster without a CRS, non-polygon geometries, a file that is
        not a readable raster (truncated, fake or a directory), or negative cells / an
        undeclared fill value.

    Warns
    -----
    GeoAccessWarning
        Polygons with no raster data (NaN) and polygons only partly covered (their sum
        counts only the covered part).

    Examples
    --------
    A 2 x 2 raster of 100 m cells with 10, 20, 30 and 40 people; a desa over its west
    half, and one over the east half of the east column (half of each cell: 30 people):

    >>> import os, tempfile
    >>> import numpy as np, rasterio
    >>> from rasterio.transform import from_origin
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = os.path.join(folder.name, "penduduk.tif")
    >>> with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=1, dtype="float32",
    ...                    crs="EPSG:32748", transform=from_origin(400_000, 9_590_200, 100, 100)) as tif:
    ...     tif.write(np.array([[10, 20], [30, 40]], dtype="float32"), 1)
    >>> import geopandas as gpd, shapely
    >>> desa = gpd.GeoDataFrame({"code": ["D1", "D2"]}, crs="EPSG:32748",
    ...     geometry=[shapely.box(400_000, 9_590_000, 400_100, 9_590_200),
    ...               shapely.box(400_150, 9_590_000, 400_200, 9_590_200)])
    >>> zonal_population(path, desa).tolist()
    [40.0, 30.0]
    >>> folder.cleanup()
    """
    from exactextract import exact_extract

    check_choice(stat, ZONAL_STATS, "stat")
    require_frame(polygons, "polygons")
    require_crs(polygons, "polygons")
    require_geom_types(polygons, ("Polygon", "MultiPolygon"), "polygons")

    opened = None
    if isinstance(raster, str | os.PathLike):
        opened = _open_raster(raster, "raster")
        ds = opened
    elif hasattr(raster, "crs") and hasattr(raster, "read"):
        ds = raster
    else:
        raise InputValidationError(
            f"expected a raster file path or an open rasterio dataset, got {type(raster).__name__}",
            argument="raster",
        )
    memfile = None
    try:
        if ds.crs is None:
            raise InputValidationError(
                "the raster has no CRS; assign one (e.g. with rasterio or gdal_edit.py -a_srs). If "
                "the file was downloaded, it may also be truncated (its header cut off).",
                argument="raster",
            )
        memfile, src = _with_nodata(ds, nodata)
        vec = polygons[[polygons.geometry.name]].to_crs(ds.crs).reset_index(drop=True)
        vec["_row"] = np.arange(len(vec))
        ops = [stat] if stat == "count" else [stat, "count"]
        try:
            res = exact_extract(src, vec, ops, include_cols=["_row"], output="pandas")
        except Exception as exc:  # exactextract/GDAL read errors on damaged files
            raise InputValidationError(
                f"could not read the raster cells ({type(exc).__name__}: {exc}); the file may be "
                "truncated. Download or export it again.",
                argument="raster",
            ) from exc
        cell_area = abs(ds.transform.a * ds.transform.e - ds.transform.b * ds.transform.d)
    finally:
        if memfile is not None:
            src.close()
            memfile.close()
        if opened is not None:
            opened.close()
    res = res.set_index("_row").sort_index().reindex(np.arange(len(polygons)))
    values = res[stat].to_numpy(dtype=float)
    covered = np.nan_to_num(res["count"].to_numpy(dtype=float), nan=0.0)
    expected = vec.geometry.area.to_numpy() / cell_area if cell_area > 0 else np.full(len(vec), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        valid_fraction = np.where(expected > 0, np.minimum(covered / expected, 1.0), np.nan)
    if stat == "count":
        values = np.nan_to_num(values, nan=0.0)
    elif stat == "sum":
        values = np.where(covered > 0, np.nan_to_num(values, nan=0.0), np.nan)
    name = "population" if stat == "sum" else f"population_{stat}"
    out = pd.Series(values, index=polygons.index, name=name, dtype=float)
    out.attrs["valid_fraction"] = pd.Series(valid_fraction, index=polygons.index, name="valid_fraction")
    labels = [str(v) for v in polygons.index]
    none = [labels[i] for i in np.flatnonzero(covered <= 0)]
    partial = [
        f"{labels[i]} ({valid_fraction[i]:.0%})"
        for i in np.flatnonzero((covered > 0) & (valid_fraction < PARTIAL_COVERAGE))
    ]
    notes = []
    if none:
        notes.append(
            f"{len(none)} polygon(s) lie outside the raster or under nodata only; their {name} is "
            f"NaN, not 0 (polygon index {_fmt(none, 20)})"
        )
    if partial and stat in ("sum", "count"):
        notes.append(
            f"{len(partial)} polygon(s) are only partly covered by raster data, so their {name} "
            f"counts only that part (index and covered share: {_fmt(partial, 20)})"
        )
    if notes:
        warnings.warn(
            "zonal_population: " + "; ".join(notes) + ". The share per polygon is in "
            "result.attrs['valid_fraction']; use a raster that covers the whole area.",
            GeoAccessWarning,
            stacklevel=2,
        )
    return out


#: A polygon with raster data under less than this share of its area is reported.
PARTIAL_COVERAGE = 0.99


def _open_raster(path: Any, argument: str) -> Any:
    """Open a raster file with rasterio, turning every failure into a typed error."""
    import rasterio

    p = Path(path)
    if not p.exists():
        raise DataNotFoundError(f"`{argument}`: raster file {str(p)!r} does not exist.")
    if p.is_dir():
        raise InputValidationError(directory_message(p), argument=argument)
    try:
        return rasterio.open(p)
    except Exception as exc:  # RasterioIOError for fake, empty and truncated files
        raise InputValidationError(
            f"{str(p)!r} is not a readable raster ({type(exc).__name__}: {exc}). The file may be "
            "truncated (an interrupted download) or not a GeoTIFF; download or export it again.",
            argument=argument,
        ) from exc


def _with_nodata(ds: Any, nodata: float | None) -> tuple[Any, Any]:
    """Band 1 checked for fill values, as an in-memory copy with ``nodata`` declared."""
    from rasterio.io import MemoryFile

    try:
        band = ds.read(1)
    except Exception as exc:
        raise InputValidationError(
            f"could not read the raster cells ({type(exc).__name__}: {exc}); the file may be "
            "truncated. Download or export it again.",
            argument="raster",
        ) from exc
    fill = nodata if nodata is not None else ds.nodata
    valid = np.isfinite(band) if fill is None else (np.isfinite(band) & (band != fill))
    bad = valid & ((band < 0) | (np.abs(band) >= 1e30))
    if bad.any():
        vals, counts = np.unique(band[bad], return_counts=True)
        top = ", ".join(
            f"{v:g} ({c} cells)" for v, c in sorted(zip(vals, counts, strict=True), key=lambda t: -t[1])[:3]
        )
        hint = f"nodata={vals[np.argmax(counts)]:g}"
        raise InputValidationError(
            f"band 1 has {int(bad.sum())} cell(s) that cannot be people: {top}, and "
            f"{'no nodata value is declared' if fill is None else f'nodata is {fill:g}'}. If this is "
            f"a fill value, pass {hint} (or declare it: gdal_edit.py -a_nodata ... file.tif); "
            "a population raster has no negative cells.",
            argument="raster",
        )
    if nodata is None:
        return None, ds
    profile = ds.profile.copy()
    profile.update(nodata=nodata, count=1)
    mem = MemoryFile()
    with mem.open(**profile) as dst:
        dst.write(band, 1)
    return mem, mem.open()


def populated_cells(
    network: Any, polygons: gpd.GeoDataFrame, *, pop_col: str = "population"
) -> gpd.GeoDataFrame:
    """The lattice cells that hold people, as origins for searches and scores.

    Each polygon's people are spread over the network's cells by
    :func:`allocate_population` (the rule the pipeline uses), and the cells with people
    are returned.

    Parameters
    ----------
    network : Network
        A network with an off-road lattice.
    polygons : GeoDataFrame
        E.g. desa with ``pop_col``.
    pop_col : str
        Population column.

    Returns
    -------
    GeoDataFrame
        Cell centres (network CRS) with ``population`` > 0, indexed by graph node id.

    Examples
    --------
    One desa of 1,000 people covering half of a 2 x 1 km area (16 of its 32 cells of 250 m):

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> net = ga.build_network(roads, "motorbike", area=area)
    >>> desa = gpd.GeoDataFrame({"code": ["D1"], "population": [1000.0]}, crs="EPSG:32748",
    ...     geometry=[shapely.box(400_000, 9_589_500, 401_000, 9_590_500)])
    >>> cells = populated_cells(net, desa)
    >>> len(cells), float(cells["population"].sum())
    (16, 1000.0)
    """
    cells = network.cells()
    pop = allocate_population(polygons.to_crs(network.crs), cells[["geometry"]], pop_col=pop_col)
    out = gpd.GeoDataFrame(
        {"population": pop.to_numpy()}, geometry=cells.geometry.to_numpy(), crs=cells.crs, index=cells.index
    )
    return out[out["population"] > 0]


def allocation_table(
    polygons: gpd.GeoDataFrame,
    cells: pd.DataFrame,
    *,
    id_col: str | None = None,
    pop_col: str = "population",
    weight_col: str | None = None,
    network: Any = None,
) -> pd.DataFrame:
    """Which cells each polygon's people live in: the long (cell, polygon) table.

    The rule (shared by :func:`allocate_population`, which sums this table per cell):

    * a polygon's people go to the cells whose centre lies inside it or on its
      boundary, equally or in proportion to ``weight_col``; a cell on the shared edge
      of two polygons gets a share from each;
    * a polygon whose cells all weigh 0 is spread equally over them;
    * a polygon that holds no cell centre (smaller than a cell) puts all its people on
      the cell nearest to its representative point (nearest in metres);
    * every polygon with a population gets back exactly that total (up to float
      rounding, ~1e-12 relative); polygons with a NaN population give nobody.

    Every (cell, polygon) pair with the centre inside is a row, also for polygons of
    0 or NaN population (with ``population`` 0), so the table is the full membership:
    group it by polygon for population-weighted means over each polygon's cells.

    Parameters
    ----------
    polygons : GeoDataFrame
        Polygons with a population column (persons). Any CRS.
    cells : GeoDataFrame or DataFrame
        Point geometries (cell centres), any CRS, reprojected to the polygons' CRS.
        With ``network``: the network's lattice cells, a frame indexed by node id with
        ``row`` and ``col`` as :meth:`geoaccess.Network.cell_table` gives it (any subset,
        no geometry needed; checked by :meth:`geoaccess.Network.check_cell_table`).
    id_col : str, optional
        Column of ``polygons`` naming them in the result; default their index.
    pop_col : str, default ``"population"``
        Population column of ``polygons``.
    weight_col : str, optional
        Non-negative weight column of ``cells`` (e.g. a dasymetric weight: built-up
        share, raster population, nearness to roads). NaN weights count as 0.
        ``None``: equal shares.
    network : Network, optional
        Read the cell centres off this network's lattice instead of point geometries;
        the polygons are reprojected to the network CRS. The same table as with
        ``network.cells()``, several times faster on fine grids (each polygon tests the
        cells of its bounding box only, and no point is made).

    Returns
    -------
    DataFrame
        ``cell`` (index label of ``cells``), ``id_col`` (or ``polygon``: the polygon's
        index label) and ``population`` (persons of that polygon in that cell), sorted
        by polygon then cell.

    Raises
    ------
    MissingColumnError, CRSError, EmptyInputError, InputValidationError, NonUniqueIDError
        Missing columns or CRS, empty inputs, non-point cells, non-polygon polygons,
        negative population or weights, duplicate ``id_col`` values.

    Warns
    -----
    GeoAccessWarning
        Listing polygons with NaN population (not allocated), polygons with no cell
        inside (given to the nearest cell) and polygons whose weights were all zero.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> polys = gpd.GeoDataFrame({"code": ["A", "B"], "population": [90.0, 10.0]},
    ...     geometry=[box(0, 0, 3, 1), box(3, 0, 4, 1)], crs="EPSG:32748")
    >>> cells = gpd.GeoDataFrame(geometry=[Point(0.5, 0.5), Point(1.5, 0.5), Point(3.0, 0.5)],
    ...     crs="EPSG:32748")
    >>> allocation_table(polys, cells, id_col="code").values.tolist()  # cell 2 is on the A|B edge
    [[0, 'A', 30.0], [1, 'A', 30.0], [2, 'A', 30.0], [2, 'B', 10.0]]

    The cells of a network's lattice, without making points: a 2 x 1 km area of 250 m
    cells, one desa of 1,000 people over its west half (16 cells of 62.5 people):

    >>> import shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> net = ga.build_network(roads, "motorbike", area=area)
    >>> desa = gpd.GeoDataFrame({"code": ["D1"], "population": [1000.0]}, crs="EPSG:32748",
    ...     geometry=[box(400_000, 9_589_500, 401_000, 9_590_500)])
    >>> t = allocation_table(desa, net.cell_table(), id_col="code", network=net)
    >>> len(t), t["population"].unique().tolist()
    (16, [62.5])
    """
    table, notes = _allocation(
        polygons, cells, id_col=id_col, pop_col=pop_col, weight_col=weight_col, network=network
    )
    _warn_allocation(notes, id_col)
    return table


def allocate_population(
    polygons: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    pop_col: str = "population",
    weight_col: str | None = None,
) -> pd.Series:
    """Spread each polygon's population over the lattice cells inside it, conserving totals.

    The per-cell sum of :func:`allocation_table` (same rule): each polygon's population
    goes to the cells whose centre lies inside it (or on its boundary), equally or in
    proportion to ``weight_col``. A polygon that contains no cell centre (a desa smaller
    than a cell) gives all its population to the cell nearest to its representative
    point, so nothing is lost. For every polygon with a population the cells receive
    exactly that total (up to float rounding, ~1e-12 relative). A cell inside two
    overlapping polygons receives a share from each.

    Parameters
    ----------
    polygons : GeoDataFrame
        Polygons with a population column (persons). Any CRS.
    cells : GeoDataFrame
        Point geometries (cell centres). Any CRS; reprojected to the polygons' CRS.
    pop_col : str, default ``"population"``
        Population column of ``polygons``. NaN rows contribute nothing (reported).
    weight_col : str, optional
        Non-negative weight column of ``cells`` (e.g. built-up share or a raster
        population). NaN weights count as 0. If all cells of a polygon weigh 0, that
        polygon is spread equally (reported). ``None``: equal shares.

    Returns
    -------
    Series of float
        Persons per cell, indexed like ``cells``, named ``population``. Cells in no
        polygon get 0.

    Raises
    ------
    MissingColumnError, CRSError, EmptyInputError, InputValidationError
        Missing columns or CRS, empty inputs, non-point cells, non-polygon polygons,
        negative population or weights.

    Warns
    -----
    GeoAccessWarning
        Listing polygons with NaN population (not allocated), polygons with no cell
        inside (given to the nearest cell) and polygons whose weights were all zero.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> polys = gpd.GeoDataFrame({"population": [90.0]}, geometry=[box(0, 0, 3, 1)],
    ...                          crs="EPSG:32748")
    >>> cells = gpd.GeoDataFrame(geometry=[Point(0.5, 0.5), Point(1.5, 0.5), Point(2.5, 0.5),
    ...                                    Point(9, 9)], crs="EPSG:32748")
    >>> allocate_population(polys, cells).tolist()
    [30.0, 30.0, 30.0, 0.0]
    """
    table, notes = _allocation(polygons, cells, id_col=None, pop_col=pop_col, weight_col=weight_col)
    _warn_allocation(notes, None)
    per_cell = table.groupby("cell", sort=False)["population"].sum()
    return pd.Series(
        per_cell.reindex(cells.index, fill_value=0.0).to_numpy(dtype=float),
        index=cells.index,
        name="population",
        dtype=float,
    )


def _allocation(
    polygons: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    *,
    id_col: str | None,
    pop_col: str,
    weight_col: str | None,
    network: Any = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The rule of :func:`allocation_table`; returns the table and the notes to warn."""
    require_frame(polygons, "polygons")
    require_frame(cells, "cells", geo=network is None)
    require_crs(polygons, "polygons")
    if network is None:
        require_crs(cells, "cells")
    else:
        network.check_cell_table(cells, "cells")
    require_columns(polygons, [pop_col] + ([id_col] if id_col is not None else []), "polygons")
    if id_col is not None:
        require_unique(polygons, id_col, "polygons")
    if weight_col is not None:
        require_columns(cells, [weight_col], "cells")
    require_geom_types(polygons, ("Polygon", "MultiPolygon"), "polygons")
    if network is None:
        require_geom_types(cells, ("Point",), "cells")

    pop_series, pop_notes = parse_numbers(
        polygons[pop_col], column=pop_col, argument="polygons", kind="count"
    )
    pop = pop_series.to_numpy()
    if (pop < 0).any():
        raise InputValidationError(
            f"column {pop_col!r} has negative values; population must be >= 0.",
            argument="polygons",
        )
    if weight_col is not None:
        weights = parse_numbers(cells[weight_col], column=weight_col, argument="cells")[0].to_numpy()
        if (weights < 0).any():
            raise InputValidationError(
                f"column {weight_col!r} has negative values; weights must be >= 0.",
                argument="cells",
            )
        weights = np.nan_to_num(weights, nan=0.0)
    else:
        weights = np.ones(len(cells))
    labels = (polygons[id_col] if id_col is not None else polygons.index.to_series()).to_numpy()

    if network is None:
        poly_geom = polygons.geometry.reset_index(drop=True)
        pts = cells.geometry.to_crs(polygons.crs).reset_index(drop=True)
        poly_idx, cell_idx = pts.sindex.query(poly_geom, predicate="intersects")
    else:
        poly_geom = polygons.geometry.to_crs(network.crs).reset_index(drop=True)
        poly_idx, cell_idx = _lattice_pairs(poly_geom, network, cells.index)
    order = np.lexsort((cell_idx, poly_idx))
    poly_idx, cell_idx = poly_idx[order], cell_idx[order]
    starts = np.searchsorted(poly_idx, np.arange(len(polygons)), side="left")
    ends = np.searchsorted(poly_idx, np.arange(len(polygons)), side="right")

    has_pop = np.isfinite(pop)
    share = np.zeros(len(poly_idx))
    zero_weight: list[str] = []
    empty: list[int] = []
    for i in range(len(polygons)):
        if not has_pop[i] or pop[i] == 0:
            continue
        lo, hi = starts[i], ends[i]
        if hi == lo:
            empty.append(i)
            continue
        w = weights[cell_idx[lo:hi]]
        total = w.sum()
        if total <= 0:
            zero_weight.append(str(labels[i]))
            w = np.ones(hi - lo)
            total = float(hi - lo)
        share[lo:hi] = pop[i] * (w / total)
    rows_p, rows_c, rows_v = [poly_idx], [cell_idx], [share]
    if empty:
        reps = poly_geom.iloc[empty].representative_point()
        if network is not None:  # network CRS: projected, so nearest in metres
            which, nearest = _nearest_lattice_cells(reps, network, cells.index)
        else:
            if polygons.crs.is_geographic:  # nearest in metres, not degrees
                utm = utm_crs(reps)
                reps, pts_m = reps.to_crs(utm), pts.to_crs(utm)
            else:
                pts_m = pts
            which, nearest = pts_m.sindex.nearest(reps, return_all=False)
        rows_p.append(np.asarray(empty)[which])
        rows_c.append(np.asarray(nearest))
        rows_v.append(pop[np.asarray(empty)[which]])
    p_all, c_all = np.concatenate(rows_p).astype(int), np.concatenate(rows_c).astype(int)
    order = np.lexsort((c_all, p_all))
    name = id_col if id_col is not None else "polygon"
    table = pd.DataFrame(
        {
            "cell": cells.index.to_numpy()[c_all[order]],
            name: labels[p_all[order]],
            "population": np.concatenate(rows_v)[order].astype(float),
        }
    )

    notes: list[str] = list(pop_notes)
    nan_pop = [str(k) for k in labels[~has_pop]]
    if nan_pop:
        notes.append(Note("note.nan_population_not_allocated", n=len(nan_pop), ids=_fmt(nan_pop)))
    if empty:
        notes.append(Note("note.polygon_no_cell", n=len(empty), ids=_fmt([str(labels[i]) for i in empty])))
    if zero_weight:
        notes.append(Note("note.zero_weight_polygons", n=len(zero_weight), ids=_fmt(zero_weight)))
    return table, notes


def _lattice_pairs(
    poly_geom: gpd.GeoSeries, network: Any, cell_index: pd.Index
) -> tuple[np.ndarray, np.ndarray]:
    """Every (polygon, cell) pair whose cell centre lies in the polygon or on its boundary,
    as positions in ``poly_geom`` and ``cell_index`` (lattice node ids of ``network``).

    The same pairs as a spatial-index ``intersects`` query over point geometries, without
    making the points: each polygon tests only the cells of its bounding box, read off
    the lattice grid (about 8x faster on the 2.3 million cells of Muara Enim at 100 m).
    """
    lat = network.lattice
    if lat is None:
        raise InputValidationError(
            "the network has no off-road lattice, so there are no cells to fill", argument="network"
        )
    res, noc = lat.resolution_m, lat.node_of_cell
    geoms = poly_geom.to_numpy()
    bounds = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):  # empty geometries have NaN bounds
        c0 = np.floor((bounds[:, 0] - lat.x0) / res) - 1
        c1 = np.floor((bounds[:, 2] - lat.x0) / res) + 2
        r0 = np.floor((lat.y0 - bounds[:, 3]) / res) - 1
        r1 = np.floor((lat.y0 - bounds[:, 1]) / res) + 2
    polys, nodes_in = [], []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty or not np.isfinite(c0[i]):
            continue
        window = noc[
            int(np.clip(r0[i], 0, noc.shape[0])) : int(np.clip(r1[i], 0, noc.shape[0])),
            int(np.clip(c0[i], 0, noc.shape[1])) : int(np.clip(c1[i], 0, noc.shape[1])),
        ]
        nodes = window[window >= 0]
        if len(nodes) == 0:
            continue
        xy = network.node_xy[nodes]
        shapely.prepare(geom)
        inside = shapely.intersects_xy(geom, xy[:, 0], xy[:, 1])
        polys.append(np.full(int(inside.sum()), i))
        nodes_in.append(nodes[inside])
    if not polys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pos = cell_index.get_indexer(np.concatenate(nodes_in))
    kept = pos >= 0  # cells left out of the table are not filled
    return np.concatenate(polys)[kept].astype(np.int64), pos[kept].astype(np.int64)


def _nearest_lattice_cells(
    points: gpd.GeoSeries, network: Any, cell_index: pd.Index
) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the position in ``cell_index`` of the nearest of those cells'
    centres (network CRS, metres; ties to the first in ``cell_index``); returned like
    ``sindex.nearest``: (point positions, cell positions).

    Searched on the grid: squares around the point grow until they hold a cell, then one
    square wide enough for any nearer cell is searched exactly.
    """
    lat = network.lattice
    res, noc = lat.resolution_m, lat.node_of_cell
    n_rows, n_cols = noc.shape
    which, found = [], []

    def around(r: int, c: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        window = noc[max(r - k, 0) : max(r + k + 1, 0), max(c - k, 0) : max(c + k + 1, 0)]
        nodes = window[window >= 0]
        pos = cell_index.get_indexer(nodes)
        return nodes[pos >= 0], pos[pos >= 0]

    for i, (x, y) in enumerate(shapely.get_coordinates(points.to_numpy())):
        r, c = int(np.floor((lat.y0 - y) / res)), int(np.floor((x - lat.x0) / res))
        k = 1
        nodes, pos = around(r, c, k)
        while len(pos) == 0 and k <= 2 * max(n_rows, n_cols) + abs(r) + abs(c):
            k *= 2
            nodes, pos = around(r, c, k)
        if len(pos) == 0:
            continue
        d = np.hypot(*(network.node_xy[nodes] - (x, y)).T)
        nodes, pos = around(r, c, int(np.ceil(d.min() / res)) + 1)  # every cell as near
        d = np.hypot(*(network.node_xy[nodes] - (x, y)).T)
        best = np.lexsort((pos, d))[0]
        which.append(i)
        found.append(int(pos[best]))
    return np.asarray(which, dtype=np.int64), np.asarray(found, dtype=np.int64)


def _warn_allocation(notes: list[str], id_col: str | None) -> None:
    if notes:
        which = (
            Note("note.labels_index") if id_col is None else Note("note.labels_column", column=repr(id_col))
        )
        warnings.warn(
            Note("note.allocate_population", notes=Joined("; ", notes), which=which),
            GeoAccessWarning,
            stacklevel=3,
        )


def read_population_raster(path: str | os.PathLike[str]) -> Any:
    """Open a population raster (GeoTIFF) with rasterio, checking it exists and has a CRS.

    A thin helper for :func:`zonal_population`; use it as a context manager.

    Parameters
    ----------
    path : path
        Raster file (persons per cell, e.g. WorldPop 100 m).

    Returns
    -------
    rasterio.io.DatasetReader
        The open dataset; close it (or use ``with``) when done.

    Raises
    ------
    DataNotFoundError
        The file does not exist.
    InputValidationError
        The raster has no CRS, or the file is not a readable raster (truncated, fake, a
        directory).

    Examples
    --------
    A 2 x 2 raster of 100 m cells with 10, 20, 30 and 40 people:

    >>> import os, tempfile
    >>> import numpy as np, rasterio
    >>> from rasterio.transform import from_origin
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = os.path.join(folder.name, "penduduk.tif")
    >>> with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=1, dtype="float32",
    ...                    crs="EPSG:32748", transform=from_origin(400_000, 9_590_200, 100, 100)) as tif:
    ...     tif.write(np.array([[10, 20], [30, 40]], dtype="float32"), 1)
    >>> with read_population_raster(path) as src:
    ...     print(src.crs, src.shape, float(src.read(1).sum()))
    EPSG:32748 (2, 2) 100.0
    >>> folder.cleanup()
    """
    ds = _open_raster(path, "path")
    if ds.crs is None:
        ds.close()
        raise InputValidationError("the raster has no CRS; assign one before using it.", argument="path")
    return ds


# --------------------------------------------------------------------------- helpers


def _read_table(table: Any) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    if isinstance(table, str | os.PathLike):
        return read_table(table, argument="table")
    raise InputValidationError(
        f"expected a DataFrame or a CSV/XLSX path, got {type(table).__name__}", argument="table"
    )


def _keys(s: pd.Series, column: str = "key", argument: str = "table") -> pd.Series:
    """Join keys as stripped text; integral floats lose ``.0``; empty -> NaN.

    A key that is a decimal number (``16.03`` for ``16.030``) raises: it was read as a
    number and may have lost digits, so it cannot be matched safely.
    """
    fractional = [
        f"{v!r} (row {label})"
        for label, v in s.items()
        if isinstance(v, float | np.floating) and np.isfinite(v) and not float(v).is_integer()
    ]
    if fractional:
        raise InputValidationError(
            f"column {column!r} holds codes read as decimal numbers: {fractional[:10]}. A code such "
            "as '16.030' read as a number becomes 16.03, another code; read the column as text "
            f"(pd.read_csv(..., dtype={{{column!r}: str}}) or pass the file path).",
            argument=argument,
        )

    def one(v: Any) -> Any:
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return np.nan
        if isinstance(v, float | np.floating) and float(v).is_integer():
            v = int(v)
        text = str(v).strip()
        if _FLOAT_TEXT.match(text):  # "1603010001.0": a number written by a float column
            text = text.split(".")[0]
        return text or np.nan

    return pd.Series([one(v) for v in s], index=s.index, dtype=object)


def _extra_column(s: pd.Series, column: str, labels: list[str]) -> pd.Series:
    """A carried-over column: text that is all numbers (either way of writing) becomes float.

    Text columns with words in them are kept as they are; numbers that could be read two
    ways (``1.234``) raise, naming the rows.
    """
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) or is_code_column(column):
        return s
    present = s.dropna().astype(str).str.strip()
    present = present[~present.str.lower().isin(BLANK_TOKENS)]
    if len(present) == 0 or not present.str.match(r"^[+-]?[\d.,\s\u00a0]+$").all():
        return s
    return parse_numbers(s, column=column, argument="table", kind="float", labels=labels)[0]


def _fmt(items: list[str], limit: int = 40) -> str:
    more = f" ... (+{len(items) - limit} more)" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more
