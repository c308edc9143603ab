"""The end-to-end job: a region's data in, travel-time tables and a map out.

:func:`run_access` takes a :class:`geoaccess.inputs.datasets.Region` (or its name), builds the
hybrid network once, runs one multi-source search per facility category over the
kabupaten plus its buffer (so facilities across the border count), spreads desa
population over the lattice cells, and reports per cell, desa and kecamatan of the
kabupaten itself. :func:`write_outputs` writes the CSV tables, a self-contained Folium
map, figures, and ``<region>_assumptions.json`` stating every assumption used and
every data problem met (the run's notes).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ._files import file_sha256
from ._utm import utm_crs
from ._validate import check_choice, check_number, require_columns, require_frame, require_unique
from .engine import speeds as _speeds
from .engine.network import DEFAULT_RESOLUTION_M, Network, build_network, check_memory, share_structure
from .engine.travel import MODE_CHAINS, nearest, release_search_buffer
from .exceptions import EmptyInputError, GeoAccessWarning, InputValidationError, OutputError

# The flood steps live in flood_season (re-exported here, where users import them); the
# run's own steps keep calling the two shared helpers by their local names.
from .flood_season import CRITICAL_LINKS_TOP as CRITICAL_LINKS_TOP
from .flood_season import flood_tables as _flood_tables
from .flood_season import with_critical_links, with_flood_exposure, with_flood_season
from .inputs.population import _lattice_pairs, allocation_table
from .notes import Note, localize, network_note, warning_note
from .notes import into_notes as _into_notes
from .settings import options

__all__ = [
    "CATEGORIES",
    "AccessResult",
    "population_weights",
    "run_access",
    "with_critical_links",
    "with_flood_exposure",
    "with_flood_season",
    "write_outputs",
    "write_raster",
]

log = logging.getLogger(__name__)

#: Catchment (minutes) of the enhanced 2SFCA supply measure: the 60-minute Riskesdas
#: band edge, the time beyond which the program counts people as underserved.
DEFAULT_FCA_THRESHOLD_MIN = 60.0

#: Peak memory of :func:`run_access` per passable lattice cell (bytes), for the check made
#: before anything is built. Measured on the development machine (Linux x86-64, 24 GB) as
#: the rise of the process's peak RSS (``ru_maxrss``) during
#: ``run_access("muara_enim", resolution_m=r)`` (motorbike household network, car referral
#: network, cells, allocation and tables): 633 MB for 370,929 cells at r = 250 m, 1,219 MB
#: for 757,038 at 175 m and 2,333 MB for 1,483,783 at 125 m, i.e. 1,706, 1,610 and 1,572
#: bytes per cell; the largest is rounded up here. Since then the run itself needs less
#: (the whole 100 m demo without the flood extras peaks at 1.84 GB for 2,318,368 cells, about
#: 700 bytes a cell above the 0.23 GB of the loaded data), but the default demo with its flood
#: season and critical links peaks at 4.96 GB (about 2,000 a cell; docs/benchmarks.md): the
#: figure is kept, so that the check made before a demo also covers its flood extras.
RUN_BYTES_PER_CELL = 1750.0

#: Facility categories searched by default, with the planner's question each answers.
CATEGORIES: dict[str, str] = {
    "puskesmas": "nearest puskesmas (any)",
    "inpatient": "nearest inpatient (rawat inap) puskesmas",
    "hospital": "nearest hospital (rumah sakit)",
}


@dataclass(frozen=True, eq=False)
class AccessResult:
    """Everything one run produced; tables are new frames, safe to edit.

    Attributes
    ----------
    region : Region
        The input data.
    network : Network
        The travel-time graph of the household's mode.
    cell_table : DataFrame
        One row per lattice cell in the study area, indexed by graph node id, without
        geometry: ``row``, ``col``, ``offroad_speed_kph``, ``population`` (0 outside the
        kabupaten), ``desa_code``, and per category ``<cat>_travel_time_min`` and
        ``<cat>_facility_id``. The cell centre of node ``n`` is ``network.node_xy[n]``.
    cells : GeoDataFrame
        ``cell_table`` with a point per cell centre (network CRS), made on first use
        (about 1 s and 0.6 GB for the 2.3 million cells of Muara Enim at 100 m; runs and
        outputs that need no point read ``cell_table``). From then on ``cell_table`` is
        this same frame.
    desa : GeoDataFrame
        Desa of the kabupaten: population and, per category, the population-weighted
        mean travel time of its cells (``<cat>_travel_time_min``), the time from the
        desa's representative point (``<cat>_point_travel_time_min``), the nearest
        facility from that point (``<cat>_facility_id``), plus ``access_dist_m``
        and ``far_from_road``.
    kecamatan : GeoDataFrame
        Population-weighted mean travel time per category of each kecamatan.
    facilities : GeoDataFrame
        The destination list used (own and buffer), with ``in_kabupaten`` and, for
        puskesmas, ``hospital_travel_time_min`` (referral leg to the nearest hospital).
    assumptions : dict
        Every parameter that shaped the figures, with sources, and ``notes``: every
        data problem met on the way (facilities left out, desa without population...).
    tables : dict of DataFrame
        Who is underserved (issue-level outputs): ``coverage`` (per category and level
        kabupaten/kecamatan/desa: population-weighted mean/median/p90 minutes, people
        and share beyond 30/60/120 min, Riskesdas bands), ``equity`` (Gini and Theil
        across kecamatan and desa), ``poverty`` (relation of travel time to the desa
        poverty rate), ``targets`` (PP 47/2016 and inpatient targets per kecamatan),
        ``priority_kecamatan`` and ``priority_facilities`` (revitalisation ranking).
    referral_network : Network
        The graph of the referral leg (puskesmas -> hospital); the same object as
        ``network`` when the referral mode is the household's.
    flood_hazard : GeoDataFrame or None
        The hazard layer of :func:`with_flood_exposure` or :func:`with_flood_season`;
        None before either runs.
    flood_scenario : Scenario or None
        Its flood season (flooded networks, facilities closed), which
        :func:`with_critical_links` reuses instead of flooding again.

    Examples
    --------
    A kabupaten built by hand: two kecamatan of 2 x 2 km with one desa each, a
    puskesmas in the west, a hospital in the east, one ``lokal`` road between them.

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region()
    >>> result = ga.run_access(region, progress=False)
    >>> result.network
    <geoaccess.Network mode='motorbike': 33 road nodes, lattice 8x17 at 250 m (128 passable cells), ...>
    >>> sorted(result.tables)
    ['coverage', 'equity', 'priority_facilities', 'priority_kecamatan', 'targets']
    >>> float(result.cell_table["population"].sum())  # every person placed on a cell
    4000.0
    >>> first = result.cells.iloc[0]  # points made when asked for, at the cell centres
    >>> (first.geometry.x, first.geometry.y) == tuple(result.network.node_xy[first.name])
    True
    """

    region: Any
    network: Network
    cell_table: pd.DataFrame
    desa: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    assumptions: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    referral_network: Network | None = None
    flood_hazard: gpd.GeoDataFrame | None = field(default=None, repr=False)
    flood_scenario: Any = field(default=None, repr=False)

    @property
    def cells(self) -> gpd.GeoDataFrame:
        """``cell_table`` with a point per cell centre (see the class attributes)."""
        if self.cell_table is None:  # a result assembled by hand without cells
            return None
        if not isinstance(self.cell_table, gpd.GeoDataFrame):
            object.__setattr__(self, "cell_table", self.network.as_cell_points(self.cell_table))
        return self.cell_table


def _mode_note(mode: Any) -> Any:
    """A travel mode as a note value: its catalogue name (``mode.<mode>``), else as it is."""
    from .outputs.i18n import STRINGS

    return Note(f"mode.{mode}") if f"mode.{mode}" in STRINGS else str(mode)


def _weighted_mean(values: pd.Series, weights: pd.Series, groups: pd.Series) -> pd.Series:
    """Population-weighted mean over the reachable rows of each group.

    Groups with no population get the plain mean. Unreachable rows (NaN/inf) are left
    out of the mean and counted separately as ``<category>_people_unreachable``.
    """
    df = pd.DataFrame({"v": values.to_numpy(), "w": weights.to_numpy(), "g": groups.array})
    df = df[np.isfinite(df["v"])]
    df["vw"] = df["v"] * df["w"]
    s = df.groupby("g")[["vw", "w"]].sum()
    plain = df.groupby("g")["v"].mean()
    out = s["vw"] / s["w"].where(s["w"] > 0)
    return out.fillna(plain)


#: Dasymetric weight "roads": a cell's weight is 1 / (1 + d / ROAD_WEIGHT_SCALE_M), d its
#: distance to the nearest mapped road. Rural Sumatran settlement is strung along roads
#: (the shared desa table's ICRAF ``dist_road_m_median`` is a few hundred metres in most
#: desa); the 1 km scale is a planning assumption: a cell 1 km from the road gets half
#: the people of a cell on it.
ROAD_WEIGHT_SCALE_M = 1000.0


def population_weights(net: Network, cells: pd.DataFrame, how: Any) -> pd.Series:
    """Dasymetric weights for spreading desa population over lattice cells.

    Parameters
    ----------
    net : Network
        The network whose cells are weighted.
    cells : DataFrame
        ``net.cells()`` (points), or a cell table of ``net`` (``net.cell_table()``, indexed
        by node id with ``row`` and ``col``: the centres are read from the lattice).
    how : None, "roads", or a raster path / rasterio dataset
        ``None``: uniform (weight 1). ``"roads"``: ``1 / (1 + d / ROAD_WEIGHT_SCALE_M)``
        with ``d`` the distance (m) from the cell centre to the nearest mapped road.
        A raster (e.g. WorldPop counts or a settlement mask): its value at the cell centre
        (nodata and negative values count 0).

    Returns
    -------
    Series
        Weight per cell (index = cells.index), ``>= 0``.

    Examples
    --------
    Cells of 250 m along a 2 km road: those on the road weigh 1 / (1 + 125 / 1000),
    those 375 m away 1 / (1 + 375 / 1000).

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> net = ga.build_network(roads, "motorbike", area=area)
    >>> w = population_weights(net, net.cells(), "roads")
    >>> sorted(w.round(4).unique().tolist())
    [0.7273, 0.8889]
    >>> population_weights(net, net.cells(), None).unique().tolist()
    [1.0]
    """
    if how is None:
        return pd.Series(1.0, index=cells.index)
    from .engine.travel import points_xy

    x, y = points_xy(cells, net)  # the points, or the centres of a cell table
    if isinstance(how, str) and how == "roads":
        _, d, _ = net.nearest_road_point(x, y)
        return pd.Series(1.0 / (1.0 + d / ROAD_WEIGHT_SCALE_M), index=cells.index)
    import rasterio
    from rasterio.warp import transform as warp_xy
    from rasterio.windows import Window

    ds = rasterio.open(how) if isinstance(how, str | Path) else how
    try:
        rx, ry = warp_xy(net.crs.to_wkt(), ds.crs, x, y)
        rows, cols = rasterio.transform.rowcol(ds.transform, rx, ry)
        rows, cols = np.asarray(rows), np.asarray(cols)
        inside = (rows >= 0) & (rows < ds.height) & (cols >= 0) & (cols < ds.width)
        w = np.zeros(len(x))
        if inside.any():  # read only the window the cells cover, once
            r0, r1 = rows[inside].min(), rows[inside].max() + 1
            c0, c1 = cols[inside].min(), cols[inside].max() + 1
            band = ds.read(1, window=Window(c0, r0, c1 - c0, r1 - r0), masked=True)
            vals = band[rows[inside] - r0, cols[inside] - c0]
            w[inside] = np.ma.filled(vals.astype(float), 0.0)
    finally:
        if ds is not how:
            ds.close()
    return pd.Series(np.where(np.isfinite(w) & (w > 0), w, 0.0), index=cells.index)


def _kabupaten_people(region: Any, crs: Any, notes: list[str]) -> gpd.GeoDataFrame:
    """The polygons whose people are spread over the lattice: every desa, plus each desa
    without a polygon (``region.unplaced_population``) as its kecamatan's polygon.

    Such a desa becomes a pseudo-desa ``BPS:<id>`` spread over the cells of its
    kecamatan, so its people count in every kecamatan and kabupaten figure; one whose
    kecamatan is not known stays out and is listed in the notes.
    """
    desa = region.desa.to_crs(crs)
    people = gpd.GeoDataFrame(
        {
            "code": desa["code"].to_numpy(),
            "kecamatan_code": desa["kecamatan_code"].to_numpy() if "kecamatan_code" in desa else None,
            "population": desa["population"].to_numpy(dtype=float),
        },
        geometry=desa.geometry.to_numpy(),
        crs=crs,
    )
    unplaced = getattr(region, "unplaced_population", None)
    if unplaced is None or len(unplaced) == 0:
        return people
    kec = region.kecamatan.to_crs(crs).set_index("code")
    rows = []
    for r in unplaced.itertuples(index=False):
        if r.kecamatan_code is None or pd.isna(r.kecamatan_code) or r.kecamatan_code not in kec.index:
            notes.append(
                Note(
                    "note.desa_no_polygon_left_out",
                    name=repr(r.name),
                    bps=r.iddesa_bps,
                    people=f"{r.population:,.0f}",
                    kecamatan=repr(r.kecamatan),
                )
            )
            continue
        code = f"BPS:{r.iddesa_bps}"
        rows.append((code, r.kecamatan_code, float(r.population), kec.geometry[r.kecamatan_code]))
        notes.append(
            Note(
                "note.desa_no_polygon",
                name=repr(r.name),
                bps=r.iddesa_bps,
                people=f"{r.population:,.0f}",
                kecamatan=r.kecamatan,
                code=code,
            )
        )
    if not rows:
        return people
    extra = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=["code", "kecamatan_code", "population", "geometry"]),
        geometry="geometry",
        crs=crs,
    )
    names = {
        f"BPS:{r.iddesa_bps}": f"{r.name} (no polygon; spread over Kec. {r.kecamatan})"
        for r in unplaced.itertuples(index=False)
    }
    out = gpd.GeoDataFrame(pd.concat([people, extra], ignore_index=True), geometry="geometry", crs=crs)
    out.attrs["names"] = {c: names[c] for c in extra["code"]}
    return out


def _allocate_people(
    region: Any, net: Network, weights_by: Any, notes: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Step "population": people of every desa over the lattice cells.

    Returns the cells (``net.cell_table()`` with ``population`` and ``desa_code``), the long
    (cell, desa) table of :func:`geoaccess.inputs.population.allocation_table` (``node``,
    ``desa_code``, ``kecamatan_code``, ``population``) and the names of the pseudo-desa
    of people without a desa polygon.
    """
    cells = net.cell_table()  # no point geometry: centres are read off the lattice
    people = _kabupaten_people(region, net.crs, notes)
    if weights_by is not None:
        cells["weight"] = population_weights(net, cells, weights_by)
    with _into_notes(notes):
        alloc = allocation_table(
            people,
            cells,
            id_col="code",
            weight_col="weight" if weights_by is not None else None,
            network=net,
        )
    alloc = alloc.rename(columns={"cell": "node", "code": "desa_code"})
    kec_of = alloc["desa_code"].map(people.set_index("code")["kecamatan_code"])
    # codes as categories: every table groups these rows by desa and kecamatan many
    # times, and grouping by category codes skips hashing 10^5-10^6 strings each time
    alloc["desa_code"] = pd.Categorical(alloc["desa_code"])
    alloc["kecamatan_code"] = pd.Categorical(kec_of)
    cells = cells.drop(columns="weight", errors="ignore")
    cells["population"] = alloc.groupby("node")["population"].sum().reindex(cells.index).fillna(0.0)
    desa = people[~people["code"].astype(str).str.startswith("BPS:")].reset_index(drop=True)
    # each cell's desa: the first desa (in table order) whose polygon holds its centre
    which_desa, cell_pos = _lattice_pairs(desa.geometry, net, cells.index)
    order = np.lexsort((which_desa, cell_pos))
    which_desa, cell_pos = which_desa[order], cell_pos[order]
    first = np.r_[True, cell_pos[1:] != cell_pos[:-1]] if len(cell_pos) else np.zeros(0, dtype=bool)
    code = pd.Series(pd.NA, index=cells.index, dtype=desa["code"].dtype)
    code.iloc[cell_pos[first]] = desa["code"].to_numpy()[which_desa[first]]
    cells["desa_code"] = code
    return cells, alloc, dict(people.attrs.get("names", {}))


def _destinations(
    region: Any, categories: Sequence[str], notes: list[str]
) -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    """Step "facilities": every facility (own and across the border, ``in_kabupaten``) and
    the located destinations of each category (:func:`geoaccess.inputs.facilities.select`)."""
    from .inputs.facilities import select

    facs = region.facilities_all.copy()
    if "neighbour" in facs:
        facs["in_kabupaten"] = ~facs["neighbour"].astype(bool)
    else:
        kab_geom = region.kabupaten.to_crs(facs.crs).union_all()
        facs["in_kabupaten"] = facs.geometry.within(kab_geom).fillna(False)
    with _into_notes(notes):
        dests = {cat: select(facs, cat) for cat in categories}
    for cat, dest in dests.items():
        if len(dest) == 0:
            notes.append(Note("note.no_located_facility", category=repr(cat)))
    return facs, dests


def _search(
    net: Network, dest: gpd.GeoDataFrame, cells: pd.DataFrame, desa: gpd.GeoDataFrame, cat: str
) -> None:
    """Step "search": one multi-source search per category (:func:`geoaccess.nearest`),
    read for every cell and every desa's representative point (columns added in place
    to the run's frames)."""
    tcol, fcol = f"{cat}_travel_time_min", f"{cat}_facility_id"
    if len(dest) == 0:
        cells[tcol], cells[fcol] = np.nan, None
        desa[f"{cat}_point_travel_time_min"], desa[fcol] = np.nan, None
        return
    found = nearest(net, dest)  # the one search of this category, read at cells and desa points
    # read at the run's cells (indexed by node id) without a copy of every cell's frame
    t, fid, _ = found.at_nodes(cells.index.to_numpy())
    cells[tcol] = t
    cells[fcol] = pd.Series(fid, index=cells.index, dtype="object")
    pt = found.at_points(desa[[desa.geometry.name]])  # trimmed: no result columns
    desa[f"{cat}_point_travel_time_min"] = pt["travel_time_min"]
    desa[fcol] = pt["facility_id"]
    if has_boats(net):  # road, boat or both: off the same search's forest
        nodes = cells.index.to_numpy()
        cells[f"{cat}_mode_chain"] = pd.Series(
            found.mode_chain_at_nodes(nodes), index=cells.index, dtype="object"
        )
        cells[f"{cat}_boat_boardings"] = found.boardings_at_nodes(nodes)
        desa[f"{cat}_point_mode_chain"] = found.mode_chain_at_points(desa[[desa.geometry.name]])["mode_chain"]
    if "access_dist_m" not in desa:
        desa["access_dist_m"] = pt["access_dist_m"]
        desa["far_from_road"] = pt["far_from_road"]


def has_boats(net: Network) -> bool:
    """True when the network carries waterway edges (``build_network(waterways=...)``)."""
    return "waterway" in net.edges.columns and bool(net.edges["waterway"].any())


def _boat_summary(
    alloc: pd.DataFrame,
    cells: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    kecamatan: gpd.GeoDataFrame,
    categories: Sequence[str],
    fare_idr: float | None,
) -> None:
    """Step "boats": per desa the mode chain most of its people's trips take, and per desa
    and kecamatan the people whose fastest trip boards a boat (and, with a fare, the mean
    boat fare per trip in rupiah); columns added in place, from the (cell, desa) table."""
    for cat in categories:
        chain, board = f"{cat}_mode_chain", f"{cat}_boat_boardings"
        if chain not in cells:
            continue
        a = pd.DataFrame(
            {
                "desa": alloc["desa_code"].to_numpy(),
                "kec": alloc["kecamatan_code"].to_numpy(),
                "pop": alloc["population"].to_numpy(dtype=float),
                "chain": alloc["node"].map(cells[chain]).to_numpy(),
                "board": alloc["node"].map(cells[board]).fillna(0).to_numpy(dtype=float),
            }
        )
        by_boat = a["pop"].where(a["board"] > 0, 0.0)
        desa[f"{cat}_people_by_boat"] = desa["code"].map(by_boat.groupby(a["desa"]).sum()).fillna(0.0)
        kecamatan[f"{cat}_people_by_boat"] = (
            kecamatan["code"].map(by_boat.groupby(a["kec"]).sum()).fillna(0.0)
        )
        # the chain most of the desa's people take (ties: the first in MODE_CHAINS order)
        most = (
            a[a["chain"].notna() & (a["pop"] > 0)]
            .groupby(["desa", "chain"])["pop"]
            .sum()
            .reset_index()
            .assign(order=lambda d: d["chain"].map({c: i for i, c in enumerate(MODE_CHAINS)}))
            .sort_values(["desa", "pop", "order"], ascending=[True, False, True], kind="stable")
            .drop_duplicates("desa")
            .set_index("desa")["chain"]
        )
        own = desa["code"].map(most)
        point = f"{cat}_point_mode_chain"
        if point in desa:  # a desa with nobody on its cells: the trip from its point
            own = own.where(own.notna(), desa[point])
        desa[chain] = own.astype("object")
        if fare_idr is not None:
            fare = a["board"] * float(fare_idr)
            w = a["pop"].where(a["chain"].notna(), 0.0)
            num = (fare * w).groupby(a["desa"]).sum()
            den = w.groupby(a["desa"]).sum()
            desa[f"{cat}_mean_boat_fare_idr"] = desa["code"].map(num / den.where(den > 0))
            cells[f"{cat}_boat_fare_idr"] = cells[board] * float(fare_idr)


def _referral_leg(
    net: Network, dests: dict[str, gpd.GeoDataFrame], facs: gpd.GeoDataFrame
) -> pd.DataFrame | None:
    """Step "referral" (first half): each puskesmas -> its nearest hospital.

    One search on ``net`` (the referral mode's network) from the hospitals, read at every
    puskesmas. Adds ``hospital_travel_time_min``, ``nearest_hospital_id`` and
    ``nearest_hospital_location_quality`` to ``facs`` (in place); returns the leg table
    for :func:`_referral_chain` (None when there is no puskesmas or no hospital).
    """
    pkm, hosp = dests.get("puskesmas"), dests.get("hospital")
    if pkm is None or hosp is None or len(pkm) == 0 or len(hosp) == 0:
        return None
    from .analysis.metrics import referral_leg

    fth = referral_leg(net, pkm, hosp)
    by_pkm = fth.set_index("origin_id")
    facs["hospital_travel_time_min"] = facs["facility_id"].map(by_pkm["travel_time_min"])
    facs["nearest_hospital_id"] = facs["facility_id"].map(by_pkm["facility_id"])
    # the referral figures are only as good as the hospitals' locations: show them
    facs["nearest_hospital_location_quality"] = facs["nearest_hospital_id"].map(
        facs.set_index("facility_id")["location_quality"]
    )
    return fth


def _referral_chain(fth: pd.DataFrame, cells: pd.DataFrame) -> None:
    """Step "referral" (second half): home -> nearest puskesmas -> that puskesmas' nearest
    hospital, :func:`geoaccess.analysis.metrics.referral_chain` adding the leg of
    :func:`_referral_leg` to each cell's first leg (``referral_travel_time_min``, in place)."""
    from .analysis.metrics import referral_chain

    home = pd.DataFrame(cells[["puskesmas_travel_time_min", "puskesmas_facility_id"]])
    chain = referral_chain(
        home, fth, home_time_col="puskesmas_travel_time_min", home_facility_col="puskesmas_facility_id"
    )
    cells["referral_travel_time_min"] = chain["referral_time_min"]


def _summarise(
    alloc: pd.DataFrame,
    cells: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    kecamatan: gpd.GeoDataFrame,
    time_cols: dict[str, str],
) -> None:
    """Step "coverage" (first half): population-weighted times and unreachable people per
    desa and kecamatan, all from the (cell, desa) allocation table (columns added in place)."""
    at = cells.index.get_indexer(alloc["node"])  # each row's cell, found once
    assert (at >= 0).all(), "every allocated cell is a cell of the run"
    for col in time_cols.values():
        alloc[col] = cells[col].to_numpy(dtype=float)[at]
    if "puskesmas_facility_id" in cells:
        alloc["puskesmas_facility_id"] = cells["puskesmas_facility_id"].to_numpy()[at]
    for cat, col in time_cols.items():
        # people who cannot reach the category at all are counted, not averaged away
        unreach = alloc["population"].where(~np.isfinite(alloc[col]), 0.0)
        desa[f"{cat}_people_unreachable"] = desa["code"].map(unreach.groupby(alloc["desa_code"]).sum())
        kecamatan[f"{cat}_people_unreachable"] = kecamatan["code"].map(
            unreach.groupby(alloc["kecamatan_code"]).sum()
        )
    for cat, col in time_cols.items():
        desa[col] = desa["code"].map(_weighted_mean(alloc[col], alloc["population"], alloc["desa_code"]))
        point = f"{cat}_point_travel_time_min"
        if point in desa:  # a desa holding no cell: the time from its point
            desa[col] = desa[col].fillna(desa[point])
        kecamatan[col] = kecamatan["code"].map(
            _weighted_mean(alloc[col], alloc["population"], alloc["kecamatan_code"])
        )
    kecamatan["population"] = kecamatan["code"].map(alloc.groupby("kecamatan_code")["population"].sum())


class _Steps:
    """The progress bar of a run: ``steps(label, fn, *args)`` runs one named step."""

    def __init__(self, name: str, total: int, show: bool) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(total=total, desc=f"geoaccess {name}", unit="step", disable=not show)

    def __call__(self, label: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        self.bar.set_postfix_str(label)
        out = fn(*args, **kwargs)
        self.bar.update()
        return out


def _as_region(region: Any, data_dir: Any) -> Any:
    """A Region: given, or loaded by name (its load warnings shown to the caller once)."""
    from .inputs import datasets

    if not isinstance(region, str):
        return region
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", GeoAccessWarning)
        loaded = datasets.load(region, data_dir=data_dir)
    for w in caught:  # the region keeps them too, in its notes
        warnings.warn(warning_note(w.message), GeoAccessWarning, stacklevel=3)
    return loaded


def run_access(
    region: Any,
    *,
    mode: str = "motorbike",
    referral_mode: str = "car",
    resolution_m: float = DEFAULT_RESOLUTION_M,
    categories: Sequence[str] = tuple(CATEGORIES),
    data_dir: Any = None,
    roads: Any = None,
    speeds_kph: dict[str, float] | None = None,
    offroad_speed_kph: float | None = None,
    offroad_speed_raster: Any = None,
    landcover: Any = None,
    landcover_speeds_kph: dict[int, float] | None = None,
    barriers: Any = None,
    motorbike_on_toll: bool = False,
    referral_speeds_kph: dict[str, float] | None = None,
    referral_offroad_speed_kph: float | None = None,
    fca_threshold_min: float = DEFAULT_FCA_THRESHOLD_MIN,
    population_weights_by: Any = None,
    progress: bool | None = None,
    max_speed_kph: float | None = None,
    memory_check: bool = True,
    waterways: Any = None,
    landings: Any = None,
    boat_speed_kph: float | str | None = None,
    landing_wait_min: float | None = None,
    boat_fare_idr: float | None = None,
    network: Network | None = None,
    referral_network: Network | None = None,
) -> AccessResult:
    """Travel time to the nearest puskesmas, inpatient puskesmas and hospital for a region,
    and who is underserved.

    The steps, each a public building block: :func:`geoaccess.build_network`;
    :func:`geoaccess.inputs.population.allocation_table` (desa people over lattice cells);
    :func:`geoaccess.inputs.facilities.select` and one search per category
    (:func:`geoaccess.nearest`, read at the lattice cells and the desa points);
    :func:`geoaccess.analysis.metrics.referral_chain`; then the coverage, equity, 2SFCA, targets
    and priority tables (:mod:`geoaccess.analysis.metrics`, :mod:`geoaccess.analysis.fca`,
    :mod:`geoaccess.analysis.targets`, :mod:`geoaccess.planning.priority`).

    Parameters
    ----------
    region : Region or str
        A :class:`geoaccess.inputs.datasets.Region`, or a name for :func:`geoaccess.inputs.datasets.load`
        (e.g. ``"muara_enim"``). A Region built by hand from your own layers works: it
        needs desa ``code``, ``name``, ``kecamatan_code`` and ``population``, kecamatan
        ``code`` and ``name``, and facilities as :func:`geoaccess.read_facilities`
        returns them. The optional columns (desa ``poverty_rate`` and
        ``flood_hazard_index``, puskesmas ``staff``) feed the poverty table, flood
        exposure and the 2SFCA; without them those are left out, with a note.
    mode : {"motorbike", "car", "walk"}
        Travel mode of the household (speeds in :mod:`geoaccess.engine.speeds`): every trip
        from home, including the first leg of the referral chain.
    referral_mode : {"car", "motorbike", "walk"}, default ``"car"``
        Mode of the referral leg, puskesmas -> hospital. Default car: a referred patient
        goes by the puskesmas ambulance or the PSC 119 emergency service, not on the
        family's motorbike. A second network is built for it when it differs from
        ``mode`` (same roads, area and rasters); pass ``referral_mode=mode`` to time
        the whole chain in one mode.
    resolution_m : float
        Off-road lattice resolution (m).
    categories : sequence of str
        Facility categories to search (see :data:`CATEGORIES`).
    data_dir : path, optional
        Data directory when ``region`` is a name.
    roads : GeoDataFrame, path or osmnx graph, optional
        Your own road layer (e.g. an OSM extract or the RBI layer), used instead of
        ``region.roads``; read by :func:`geoaccess.build_network`.
    speeds_kph, offroad_speed_kph
        Class and off-road speeds of the household's ``mode`` (see
        :func:`geoaccess.build_network`); they do not change the referral network.
    offroad_speed_raster, landcover, landcover_speeds_kph, barriers, motorbike_on_toll
        Passed to :func:`geoaccess.build_network` for both networks (speed / land-cover
        raster, water bodies that the lattice cannot cross, motorbikes on toll roads).
    referral_speeds_kph, referral_offroad_speed_kph
        Class and off-road speeds of the referral network (default: those of
        ``referral_mode`` in :mod:`geoaccess.engine.speeds`).
    fca_threshold_min : float
        Catchment of the enhanced 2SFCA supply measure (minutes).
    population_weights_by : None, "roads" or raster path
        How desa population is spread over the lattice cells: uniformly (default),
        nearer to roads, or by a population / settlement raster
        (see :func:`population_weights`).
    progress : bool, optional
        Progress bar; default ``geoaccess.options.progress``.
    max_speed_kph : float, optional
        Bound every speed is checked against, for both networks (see
        :func:`geoaccess.build_network`; default the per-mode bounds of
        :mod:`geoaccess.engine.speeds`). Raise it only for a speed you know is real.
    memory_check : bool, default True
        Estimate the memory of the run (:data:`RUN_BYTES_PER_CELL` per lattice cell)
        and refuse, before building anything, a resolution the machine cannot hold.
    waterways, landings, boat_speed_kph, landing_wait_min
        Boats (see :func:`geoaccess.build_network`, "Boats"): navigable river lines, the
        landings (dermaga) where boats are boarded, the boat speed (default ketek, 8 km/h)
        and the boarding wait (default 15 min), all assumptions documented in
        :mod:`geoaccess.engine.speeds`. Passed to both networks: the referral leg of a
        puskesmas that only a river reaches goes by boat too (without boats there it
        would be cut off). Pass the same rivers as ``barriers=`` so the off-road lattice
        cannot cross them. With boats, the run also says how each trip travels:
        ``cells`` get ``<cat>_mode_chain`` (``road``, ``boat``, ``road+boat`` or
        ``offroad``: :data:`geoaccess.engine.travel.MODE_CHAINS`) and
        ``<cat>_boat_boardings``; ``desa`` get ``<cat>_mode_chain`` (the chain most of
        its people take), ``<cat>_point_mode_chain`` (the trip from its point) and
        ``<cat>_people_by_boat``; ``kecamatan`` get ``<cat>_people_by_boat``.
    boat_fare_idr : float, optional
        Fare of one boat boarding (rupiah). Reported, never added to the time: cells get
        ``<cat>_boat_fare_idr`` (boardings x fare) and desa ``<cat>_mean_boat_fare_idr``
        (the population-weighted mean over its people's trips). Default None: no fare
        columns (no fare figure is known for the seed kabupaten; pass the local one).
    network, referral_network : Network, optional
        Networks already built (e.g. by :func:`geoaccess.build_network` or a
        :class:`~geoaccess.engine.network_cache.NetworkCache`) for ``mode`` and
        ``referral_mode``, used instead of building them here. Each must have a lattice of
        ``resolution_m`` over ``region.study_area`` and the mode (and any speeds) given;
        the build-only arguments (``roads``, rasters, ``barriers``, ``motorbike_on_toll``,
        ``max_speed_kph``) must then be left at their defaults for it: they were the
        builder's to apply. A network that does not match is refused.

    Returns
    -------
    AccessResult

    Examples
    --------
    A kabupaten built by hand: two kecamatan of 2 x 2 km with one desa each, a
    puskesmas in the west, a hospital in the east, one ``lokal`` road between them.

    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region()
    >>> result = run_access(region, progress=False)
    >>> result.desa[["code", "puskesmas_point_travel_time_min", "hospital_point_travel_time_min"]].round(2)
      code  puskesmas_point_travel_time_min  hospital_point_travel_time_min
    0   D1                              0.0                             6.0
    1   D2                              4.8                             1.2

    From the east desa's centre the puskesmas is 2 km along the road, 4.8 min at
    25 km/h by motorbike; the hospital from the west desa's centre 2.5 km, 6.0 min.
    The desa figures weight each 250 m cell of the desa by its people:

    >>> result.desa[["code", "puskesmas_travel_time_min", "hospital_travel_time_min"]].round(2)
      code  puskesmas_travel_time_min  hospital_travel_time_min
    0   D1                       4.95                      9.75
    1   D2                       8.55                      5.25
    >>> cov = result.tables["coverage"]
    >>> cov.loc[cov["level"] == "kabupaten", ["category", "mean_travel_time_min", "people_beyond_30_min"]]
         category  mean_travel_time_min  people_beyond_30_min
    0   puskesmas                 7.650                   0.0
    5   inpatient                   NaN                4000.0
    10   hospital                 6.375                   0.0
    15   referral                15.150                   0.0

    Nobody reaches an inpatient puskesmas (there is none: the hospital is not one), so
    all 4,000 people count beyond every threshold. The referral leg adds the car trip
    from the puskesmas to the hospital, 2.5 km at 20 km/h (7.5 min), to the 7.65 min
    of the first leg.

    Raises
    ------
    InputValidationError
        Before any search, for bad arguments (categories, modes, numbers given as
        strings, infinite or out-of-bound speeds and resolutions) and for a region whose
        desa table cannot give right figures (missing ``code``, ``kecamatan_code`` or
        ``population``; duplicated codes; populations that are text, negative or
        infinite), naming the rows and the fix; for a ``network`` or ``referral_network``
        that does not match the other arguments.
    InsufficientMemoryError
        When the run would not fit in memory (the message suggests a resolution).
    """
    categories = check_run_arguments(
        categories,
        mode,
        referral_mode,
        resolution_m,
        fca_threshold_min,
        speeds_kph,
        offroad_speed_kph,
        referral_speeds_kph,
        referral_offroad_speed_kph,
        max_speed_kph,
    )
    if boat_fare_idr is not None:
        boat_fare_idr = check_number(boat_fare_idr, "boat_fare_idr", allow_zero=True, unit="rupiah")
        if waterways is None:
            raise InputValidationError("a boat fare needs waterways= (the rivers)", argument="boat_fare_idr")
    region = _as_region(region, data_dir)
    _check_region(region)
    if memory_check:
        area = region.study_area
        area_m = area.to_crs(utm_crs(area)) if area.crs.is_geographic else area
        check_memory(
            area_m.geometry,
            float(resolution_m),
            bytes_per_cell=RUN_BYTES_PER_CELL,
            job="run_access",
            override="memory_check=False (command line: --no-memory-check)",
        )
    notes: list[str] = list(getattr(region, "notes", ()))
    steps = _Steps(region.name, 6 + len(categories), options.progress if progress is None else progress)
    build: dict[str, Any] = dict(
        area=region.study_area,
        resolution_m=resolution_m,
        offroad_speed_raster=offroad_speed_raster,
        landcover=landcover,
        landcover_speeds_kph=landcover_speeds_kph,
        barriers=barriers,
        motorbike_on_toll=motorbike_on_toll,
        max_speed_kph=max_speed_kph,
        memory_check=memory_check,
        waterways=waterways,
        landings=landings,
        boat_speed_kph=boat_speed_kph,
        landing_wait_min=landing_wait_min,
    )
    road_layer = region.roads if roads is None else roads
    _check_prebuilt(
        (network, mode, speeds_kph, offroad_speed_kph),
        (referral_network, referral_mode, referral_speeds_kph, referral_offroad_speed_kph),
        region.study_area,
        dict(build, roads=roads),
        region_has_roads=isinstance(road_layer, pd.DataFrame) and len(road_layer) > 0,
    )
    net = network or steps(
        "building network",
        build_network,
        road_layer,
        mode,
        speeds_kph=speeds_kph,
        offroad_speed_kph=offroad_speed_kph,
        **build,
    )
    # the referral leg has its own mode (ambulance) and speeds; a second graph only when
    # it differs from the household's
    same = referral_mode == mode and referral_speeds_kph is None and referral_offroad_speed_kph is None
    ref_net = referral_network or (
        net
        if same
        else share_structure(  # one copy of the layout both graphs have (~230 MB at 100 m)
            steps(
                "referral network",
                build_network,
                road_layer,
                referral_mode,
                speeds_kph=referral_speeds_kph,
                offroad_speed_kph=referral_offroad_speed_kph,
                **build,
            ),
            net,
        )
    )
    cells, alloc, extra_names = steps(
        "population", _allocate_people, region, net, population_weights_by, notes
    )
    facs, dests = steps("facilities", _destinations, region, categories, notes)
    # the referral leg first: its network's search buffer is freed before the household
    # network's is built, so the two (~225 MB each at 100 m) are never held together
    fth = steps("referral", _referral_leg, ref_net, dests, facs)
    if ref_net is not net:  # searched once: its buffer would outlive the run's peak
        release_search_buffer(ref_net)
    desa, kecamatan = region.desa.copy(), region.kecamatan.copy()
    for cat, dest in dests.items():
        steps(f"search: {cat}", _search, net, dest, cells, desa, cat)
    time_cols = {cat: f"{cat}_travel_time_min" for cat in categories}
    if fth is not None and "puskesmas_travel_time_min" in cells:
        _referral_chain(fth, cells)
        time_cols["referral"] = "referral_travel_time_min"
    steps("coverage", _summarise, alloc, cells, desa, kecamatan, time_cols)
    if has_boats(net):
        _boat_summary(alloc, cells, desa, kecamatan, categories, boat_fare_idr)
    tables = _underserved_tables(
        region,
        net,
        alloc,
        cells,
        desa,
        kecamatan,
        facs,
        dests,
        time_cols,
        fca_threshold_min,
        notes,
        extra_names,
    )
    steps.bar.close()
    assumptions = _assumptions(
        region, net, alloc, resolution_m, dests, population_weights_by, fca_threshold_min, roads is not None
    )
    assumptions["data_sources"] = dict(getattr(region, "sources", {}) or {})
    assumptions["referral_mode"] = referral_mode
    assumptions["referral_mode_reason"] = Note("note.referral_mode_reason")
    if ref_net is not net:
        assumptions["referral_road_speeds_kph"] = ref_net.road_speeds_kph
        assumptions["referral_offroad_speed_kph"] = ref_net.offroad_speed_kph
        if ref_net.offroad_speed_kph < net.offroad_speed_kph:
            notes.append(
                Note(
                    "note.referral_offroad",
                    referral_mode=_mode_note(referral_mode),
                    referral_speed=f"{ref_net.offroad_speed_kph:g}",
                    mode=_mode_note(mode),
                    speed=f"{net.offroad_speed_kph:g}",
                    mode_value=repr(mode),
                )
            )
    # a network without a road (no road layer, or none in the area): say so once per mode,
    # unless the config run already said it for its road file
    said = any(getattr(n, "key", None) == "note.no_road_in_area" for n in notes)
    for n in dict.fromkeys([net, ref_net]):
        if not said and n.road_km() == 0:
            notes.append(
                Note("note.network_without_roads", mode=_mode_note(n.mode), speed=f"{n.offroad_speed_kph:g}")
            )
    if has_boats(net):
        assumptions["boats"] = {
            "boat_speed_kph": net.boat_speed_kph,
            "landing_wait_min": net.landing_wait_min,
            "boat_fare_idr": boat_fare_idr,
            "landings": "the given landings (dermaga)"
            if landings is not None
            else "every waterway node in a passable lattice cell",
            "source": "geoaccess.engine.speeds, 'Boats' (ketek 8 km/h, 15 min boarding wait: "
            "assumptions to calibrate); the fare is reported, not added to the time",
            "referral": "the referral network carries the same boats",
        }
    assumptions["priority_weights"] = tables.pop("priority_weights", None)
    assumptions["notes"] = notes
    return AccessResult(region, net, cells, desa, kecamatan, facs, assumptions, tables, ref_net)


def check_run_arguments(
    categories: Any,
    mode: str,
    referral_mode: str,
    resolution_m: Any,
    fca_threshold_min: Any,
    speeds_kph: Any,
    offroad_speed_kph: Any,
    referral_speeds_kph: Any,
    referral_offroad_speed_kph: Any,
    max_speed_kph: Any,
) -> list[str]:
    """Step 0: every argument of :func:`run_access` checked before any data is read;
    returns the categories as a list."""
    if isinstance(categories, str) or not isinstance(categories, Sequence | set | frozenset | tuple):
        raise InputValidationError(
            f"expected a list of categories, got {type(categories).__name__} {categories!r}; "
            f"e.g. categories=['puskesmas', 'hospital'] (choose from {list(CATEGORIES)})",
            argument="categories",
        )
    cats = list(categories)
    if not cats:
        raise EmptyInputError(
            f"no category to search; pass e.g. categories=['puskesmas'] (choose from {list(CATEGORIES)})",
            argument="categories",
        )
    for c in cats:
        check_choice(c, list(CATEGORIES), "categories")
    if len(set(cats)) < len(cats):
        raise InputValidationError(f"categories repeat: {cats}; give each once", argument="categories")
    if "puskesmas" not in cats:
        raise InputValidationError(
            f"got {cats}, without 'puskesmas': the coverage, referral, targets and priority figures "
            "are about the nearest puskesmas; add it, e.g. categories=['puskesmas', *your_list]",
            argument="categories",
        )
    check_choice(mode, list(_speeds.MODES), "mode")
    check_choice(referral_mode, list(_speeds.MODES), "referral_mode")
    check_number(resolution_m, "resolution_m", unit="m")
    check_number(fca_threshold_min, "fca_threshold_min", unit="minutes")
    if max_speed_kph is not None:
        check_number(max_speed_kph, "max_speed_kph", unit="km/h")
    for m, road, road_name, off, off_name in (
        (mode, speeds_kph, "speeds_kph", offroad_speed_kph, "offroad_speed_kph"),
        (
            referral_mode,
            referral_speeds_kph,
            "referral_speeds_kph",
            referral_offroad_speed_kph,
            "referral_offroad_speed_kph",
        ),
    ):
        _speeds.road_speeds(m, road, max_speed_kph=max_speed_kph, argument=road_name)
        if off is not None:
            _speeds.check_speed(off, off_name, mode=m, offroad=True, max_speed_kph=max_speed_kph)
    return cats


def _check_prebuilt(
    leg: tuple[Any, str, Any, Any],
    referral_leg: tuple[Any, str, Any, Any],
    area: Any,
    build: dict[str, Any],
    region_has_roads: bool,
) -> None:
    """Refuse a prebuilt network of :func:`run_access` that does not match its arguments.

    ``leg`` and ``referral_leg`` are ``(network or None, mode, speeds_kph, offroad_speed_kph)``;
    ``build`` the build arguments :func:`run_access` would pass to
    :func:`geoaccess.build_network` (``area``, ``resolution_m``, ... and ``roads``). A
    network must be of the leg's mode, have a lattice of ``build["resolution_m"]`` laid
    over ``area`` exactly as :func:`geoaccess.build_network` lays it, carry the speeds
    given, and come with the build-only arguments at their defaults (the builder applied
    its own).
    """
    from .engine.lattice import lattice_frame

    given = [
        (n, m, sp, off, name)
        for (n, m, sp, off), name in ((leg, "network"), (referral_leg, "referral_network"))
    ]
    if all(n is None for n, *_ in given):
        return
    extra = sorted(
        k
        for k, v in build.items()
        if k not in ("area", "resolution_m", "memory_check") and v is not None and v is not False
    )
    res = float(build["resolution_m"])
    for net, m, speeds, off, name in given:
        if net is None:
            continue
        if not isinstance(net, Network):
            raise InputValidationError(
                f"expected a geoaccess Network, got {type(net).__name__}; "
                "build one with geoaccess.build_network",
                argument=name,
            )
        problems = []
        if net.mode != m:
            problems.append(f"its mode is {net.mode!r}, the run's is {m!r}")
        if net._base is not None:
            problems.append(
                "it is a changed network (with_cell_speeds / with_edge_times: a flood season or "
                "scenario), and run_access times the network as built; compare seasons with "
                "geoaccess.with_flood_season or geoaccess.compare_scenario"
            )
        if (net.n_road_nodes > 0) != region_has_roads:
            problems.append(
                "it has no roads while the region has a road layer"
                if region_has_roads
                else "it has roads while the region has none"
            )
        lat = net.lattice
        if lat is None:
            problems.append("it has no off-road lattice (built with offroad=False)")
        elif lat.resolution_m != res:
            problems.append(f"its lattice is {lat.resolution_m:g} m, the run's resolution_m is {res:g} m")
        else:
            area_m = gpd.GeoSeries(area.geometry, crs=area.crs).to_crs(net.crs)
            if lattice_frame(area_m, res) != (lat.x0, lat.y0, tuple(lat.shape)):
                problems.append("its lattice does not cover region.study_area (built over another area?)")
        # the speeds the run would use: those given, else the mode's defaults (engine.speeds)
        want = _speeds.road_speeds(m, speeds, max_speed_kph=build.get("max_speed_kph"))
        for cls, v in want.items():
            if cls in net.road_speeds_kph and net.road_speeds_kph[cls] != float(v):
                problems.append(
                    f"road class {cls!r} is {net.road_speeds_kph[cls]:g} km/h in it, {v:g} km/h asked"
                )
        want_off = float(off) if off is not None else _speeds.OFFROAD_SPEED_KPH[m]
        if net.offroad_speed_kph != want_off:
            problems.append(f"its off-road speed is {net.offroad_speed_kph:g} km/h, {want_off:g} km/h asked")
        if extra:
            problems.append(f"{', '.join(extra)} given too: pass them to build_network instead")
        if problems:
            raise InputValidationError(
                f"the {name} given does not match this run: "
                + "; ".join(problems)
                + "; build it with the run's arguments or leave it out",
                argument=name,
            )


def _check_region(region: Any) -> None:
    """Refuse, before any search, a region whose desa table cannot give right figures:
    missing columns, duplicated or missing codes, populations that are text, negative or
    infinite (NaN is allowed: a desa without a figure, reported in the notes)."""
    for attr in ("desa", "kecamatan"):
        if not hasattr(region, attr):
            raise InputValidationError(
                f"expected a geoaccess Region (or a region name), got {type(region).__name__} without "
                f"`{attr}`; load one with geoaccess.datasets.load() or build a Region",
                argument="region",
            )
    desa, kec = region.desa, region.kecamatan
    require_frame(desa, "region.desa")
    require_columns(desa, ["code", "kecamatan_code", "population"], "region.desa")
    require_frame(kec, "region.kecamatan")
    require_columns(kec, ["code", "name"], "region.kecamatan")
    for df, name in ((desa, "region.desa"), (kec, "region.kecamatan")):
        if df["code"].isna().any():
            rows = df.index[df["code"].isna()].tolist()
            raise InputValidationError(
                f"{len(rows)} row(s) have no code (index {rows[:10]}); give every unit its Kemendagri code",
                argument=name,
            )
        require_unique(df, "code", name)
    pop = desa["population"]
    as_num = pd.to_numeric(pop, errors="coerce")
    text = pop.notna() & (as_num.isna() | pop.map(lambda v: isinstance(v, str)))
    if text.any():
        ex = {str(c): v for c, v in zip(desa.loc[text, "code"], pop[text], strict=True)}
        raise InputValidationError(
            f"column 'population' holds {int(text.sum())} value(s) that are not numbers (desa code: value) "
            f"{dict(list(ex.items())[:10])}. Convert it to numbers first (persons; '12.000' in Indonesian "
            "is twelve thousand): e.g. read the table with geoaccess' loaders, or pd.to_numeric after "
            "removing thousands separators",
            argument="region.desa",
        )
    v = as_num.to_numpy(dtype=float)
    bad = np.isinf(v) | (v < 0)
    if bad.any():
        ex = {str(c): x for c, x in zip(desa.loc[bad, "code"], v[bad], strict=True)}
        raise InputValidationError(
            f"column 'population' has {int(bad.sum())} negative or infinite value(s) (desa code: value) "
            f"{dict(list(ex.items())[:10])}: a fill value such as -9999 or a broken sum? Set them to the "
            "real count, or to NaN where unknown (such desa are reported in the notes)",
            argument="region.desa",
        )


def _assumptions(
    region: Any,
    net: Network,
    alloc: pd.DataFrame,
    resolution_m: float,
    dests: dict[str, gpd.GeoDataFrame],
    weights_by: Any,
    fca_threshold_min: float,
    own_roads: bool,
) -> dict[str, Any]:
    """Every parameter that shaped the figures, with sources (the run's assumptions file)."""
    sources = dict(getattr(region, "sources", {}) or {})
    pop_in = float(region.desa["population"].sum())
    unplaced = getattr(region, "unplaced_population", None)
    if unplaced is not None and len(unplaced):
        kec_codes = set(region.kecamatan["code"])
        pop_in += float(unplaced.loc[unplaced["kecamatan_code"].isin(kec_codes), "population"].sum())
    pop_out = float(alloc["population"].sum())
    return {
        "region": f"{getattr(region, 'display_name', region.name)} ({region.kabupaten_code})",
        "mode": net.mode,
        "road_speeds_kph": net.road_speeds_kph,
        "offroad_speed_kph": net.offroad_speed_kph,
        "speed_source": Note("note.speed_source"),
        "lattice_resolution_m": resolution_m,
        "buffer_km": getattr(region, "buffer_km", None),
        "network": network_note(net),
        "road_repair": str(net.repair) if net.repair is not None else None,
        "roads_note": "the caller's road layer (roads=)"
        if own_roads
        else sources.get("roads", "region.roads"),
        "n_facilities_by_category": {c: len(d) for c, d in dests.items()},
        "inpatient_source": sources.get("inpatient", "the facilities' inpatient column"),
        "population": sources.get("population", "the desa population column"),
        "population_allocation": Note("note.population_uniform")
        if weights_by is None
        else f"dasymetric: {weights_by!s}",
        "population_desa_total": pop_in,
        "population_allocated_total": pop_out,
        "population_conservation_error": abs(pop_out - pop_in) / pop_in if pop_in else None,
        "fca": Note(
            "note.fca_assumption",
            threshold=f"{fca_threshold_min:g}",
            staff=sources.get("staff", Note("source.staff_column")),
        ),
    }


def _underserved_tables(
    region: Any,
    net: Network,
    alloc: pd.DataFrame,
    cells: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    kecamatan: gpd.GeoDataFrame,
    facs: gpd.GeoDataFrame,
    dests: dict[str, gpd.GeoDataFrame],
    time_cols: dict[str, str],
    fca_threshold_min: float,
    notes: list[str],
    extra_names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Coverage, equity, poverty relation, 2SFCA, program targets and priority tables.

    Tables that need a column the region does not have (``population``, desa
    ``poverty_rate`` or ``flood_hazard_index``, puskesmas ``staff``) are skipped, or
    scored without that indicator, with a note saying so.
    """
    own = facs[facs["in_kabupaten"]] if "in_kabupaten" in facs else facs
    if not (desa["population"].fillna(0) > 0).any():
        notes.append(Note("note.no_population"))
        return {"targets": _targets_table(kecamatan, own, None, notes)}
    out = _coverage_tables(region, alloc, desa, kecamatan, time_cols, notes, extra_names)
    acc_k = _fca_table(net, alloc, cells, desa, kecamatan, own, dests, fca_threshold_min, notes)
    cov = out["coverage"]
    cov_pkm = cov[(cov["category"] == "puskesmas") & (cov["level"] == "kecamatan")]
    acc_sum = pd.DataFrame(cov_pkm.drop(columns=["category", "level", "name", "n_units"]))
    # say which facility the joined figures are about
    acc_sum = acc_sum.rename(
        columns={c: f"puskesmas_{c}" for c in acc_sum.columns if c not in ("code", "population")}
    )
    out["targets"] = _targets_table(kecamatan, own, acc_sum, notes)
    out.update(_priority_tables(net, alloc, desa, kecamatan, own, dests, acc_sum, acc_k, notes))
    out["priority_kecamatan"] = _flag_data_gaps(
        out["priority_kecamatan"], out["targets"], kecamatan, own, notes
    )
    out.update(_flood_tables(net, desa, kecamatan, own, notes))
    return out


def _flag_data_gaps(
    table: pd.DataFrame,
    targets_table: pd.DataFrame,
    kecamatan: gpd.GeoDataFrame,
    own: gpd.GeoDataFrame,
    notes: list[str],
) -> pd.DataFrame:
    """Step "data gaps": each kecamatan's score says which missing data it rests on
    (:func:`geoaccess.planning.priority.kecamatan_data_gaps`,
    :func:`geoaccess.planning.priority.mark_data_gaps`)."""
    from .analysis import targets
    from .planning import priority

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)  # said once by the targets step
        placed = targets.assign_facilities_to_kecamatan(
            own,
            kecamatan,
            facility_kecamatan_col="kecamatan" if "kecamatan" in own else None,
            facility_kecamatan_by="name",
        )
    gaps = priority.kecamatan_data_gaps(targets_table, placed)
    out = priority.mark_data_gaps(table, gaps)
    flagged = out.loc[out["score_rests_on_gaps"], "name"].tolist()
    if flagged:
        notes.append(Note("note.score_rests_on_gaps", n=len(flagged), names=flagged))
    return out


def _coverage_tables(
    region: Any,
    alloc: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    kecamatan: gpd.GeoDataFrame,
    time_cols: dict[str, str],
    notes: list[str],
    extra_names: dict[str, str] | None,
) -> dict[str, pd.DataFrame]:
    """Coverage per kabupaten/kecamatan/desa, equity, and (with ``poverty_rate``) poverty."""
    from .analysis import metrics

    names_k = kecamatan.set_index("code")["name"]
    names_d = pd.concat([desa.set_index("code")["name"], pd.Series(extra_names or {}, dtype=object)])
    cov, eq, pov = [], [], []
    has_poverty = "poverty_rate" in desa and desa["poverty_rate"].notna().any()
    for cat, col in time_cols.items():
        for level, by, names in (
            ("kabupaten", None, None),
            ("kecamatan", "kecamatan_code", names_k),
            ("desa", "desa_code", names_d),
        ):
            s = metrics.summarize_access(alloc, time_col=col, pop_col="population", by=by)
            if by is None:
                s.insert(0, "code", region.kabupaten_code)
                s.insert(1, "name", getattr(region, "display_name", region.name))
            else:
                s = s.rename(columns={by: "code"})
                s.insert(1, "name", s["code"].map(names))
            s.insert(0, "level", level)
            s.insert(0, "category", cat)
            cov.append(s)
        for by in ("kecamatan_code", "desa_code"):
            e = metrics.equity_table(alloc, time_col=col, pop_col="population", by=by)
            e.insert(0, "across", by.replace("_code", ""))
            e.insert(0, "category", cat)
            eq.append(e)
        if has_poverty:
            d = pd.DataFrame(desa[["population", col, "poverty_rate"]])
            d = d[d["population"].notna()]
            r = metrics.poverty_relation(d, time_col=col, pop_col="population", poverty_col="poverty_rate")
            pov.append(r.rename(cat))
    out = {"coverage": pd.concat(cov, ignore_index=True), "equity": pd.concat(eq, ignore_index=True)}
    if pov:
        out["poverty"] = pd.DataFrame(pov).rename_axis("category").reset_index()
    else:
        notes.append(Note("note.no_poverty_rate"))
    return out


def _fca_table(
    net: Network,
    alloc: pd.DataFrame,
    cells: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    kecamatan: gpd.GeoDataFrame,
    own: gpd.GeoDataFrame,
    dests: dict[str, gpd.GeoDataFrame],
    fca_threshold_min: float,
    notes: list[str],
) -> pd.Series | None:
    """Capacity-aware access: E2SFCA with the kabupaten's own puskesmas staff as supply.

    Demand is the populated lattice cells, the same people and places as the coverage
    tables (not one point per desa): a desa half beyond the catchment counts half.
    Puskesmas across the border are left out: their staff also serve their own
    kabupaten's people, whose numbers are not in the data, and counting their supply
    against this kabupaten's demand alone would inflate access at the border. Adds
    ``access_per_1000`` to ``cells`` and ``desa`` (population-weighted over the desa's
    cells) and ``puskesmas_staff_per_1000_e2sfca`` to ``kecamatan``; returns the
    kecamatan figure (None when there is no staff column).
    """
    from .analysis import fca
    from .engine.travel import travel_time_matrix

    pkm = dests.get("puskesmas")
    if pkm is None or len(pkm) == 0:
        return None
    fca_pkm = pkm[pkm["facility_id"].isin(own["facility_id"])]
    if len(fca_pkm) == 0:
        return None
    if "staff" not in fca_pkm or fca_pkm["staff"].isna().all():
        notes.append(Note("note.no_staff_counts"))
        return None
    supply = fca_pkm.set_index("facility_id")["staff"].astype(float)
    if supply.isna().any():
        # unknown is not "none": a puskesmas without a staff count gets the median of
        # the others, and the run says so (0 would push its kecamatan up the ranking)
        fill = float(supply.median())
        notes.append(
            Note(
                "note.staff_median",
                n=int(supply.isna().sum()),
                median=f"{fill:g}",
                ids=supply[supply.isna()].index.tolist(),
            )
        )
        supply = supply.fillna(fill)
    people = cells[cells["population"] > 0]
    cost = travel_time_matrix(  # from the populated cells' centres (a cell table: no points)
        net, people[["row", "col"]], fca_pkm, max_time_min=fca_threshold_min, progress=False
    )
    if len(cost) == 0:  # as the 2SFCA gives a cell that reaches no facility: 0
        notes.append(Note("note.fca_nobody_within", minutes=f"{fca_threshold_min:g}"))
        a = pd.Series(0.0, index=people.index, name="access_per_1000")
    else:
        with _into_notes(notes):
            a = fca.enhanced_two_step_fca(cost, people["population"], supply, threshold_min=fca_threshold_min)
    cells["access_per_1000"] = a.reindex(cells.index)
    # per desa and kecamatan over the (cell, desa) rows: a cell shared by two desa counts
    # each desa's people in it once
    rows = alloc[alloc["population"] > 0]
    acc_rows = rows["node"].map(a).astype(float)
    by_desa = fca.access_by_group(acc_rows, rows["population"], rows["desa_code"])
    desa["access_per_1000"] = desa["code"].map(by_desa.set_index("desa_code")["access_per_1000"])
    by_kec = fca.access_by_group(acc_rows, rows["population"], rows["kecamatan_code"])
    acc_k = by_kec.set_index("kecamatan_code")["access_per_1000"].rename_axis("code")
    kecamatan["puskesmas_staff_per_1000_e2sfca"] = kecamatan["code"].map(acc_k)
    return acc_k


def _targets_table(
    kecamatan: gpd.GeoDataFrame, own: gpd.GeoDataFrame, acc_sum: pd.DataFrame | None, notes: list[str]
) -> pd.DataFrame:
    """Program targets per kecamatan (own facilities only: the targets are the kabupaten's)."""
    from .analysis import targets

    fac_kec_col = "kecamatan" if "kecamatan" in own else None
    with _into_notes(notes):
        tg = targets.kecamatan_targets(
            kecamatan,
            own,
            acc_sum,
            facility_kecamatan_col=fac_kec_col,
            facility_kecamatan_by="name",
            summary_code_col="code" if acc_sum is not None else None,
        )
    return pd.DataFrame(tg.drop(columns="geometry", errors="ignore"))


def _flood_by_kecamatan(desa: gpd.GeoDataFrame) -> pd.Series:
    """Population-weighted mean flood hazard index of each kecamatan's desa."""
    d = desa[(desa["population"].fillna(0) > 0) & desa["flood_hazard_index"].notna()]
    fw = d["flood_hazard_index"] * d["population"]
    return fw.groupby(d["kecamatan_code"]).sum() / d.groupby("kecamatan_code")["population"].sum()


def _flood_at_sites(net: Network, desa: gpd.GeoDataFrame, sites: gpd.GeoDataFrame) -> np.ndarray:
    """Flood hazard index of the desa at each facility's site (within 1 km of a desa
    polygon); unknown (NaN) where the site is not known (relocated facilities)."""
    j = gpd.sjoin_nearest(
        sites[["facility_id", "geometry"]].to_crs(net.crs),
        desa[["flood_hazard_index", "geometry"]].to_crs(net.crs),
        how="left",
        max_distance=1000.0,
    )
    j = j[~j.index.duplicated(keep="first")]
    quality = sites["location_quality"] if "location_quality" in sites else pd.Series("source", sites.index)
    site_known = (quality == "source").to_numpy()
    return np.where(site_known, j["flood_hazard_index"].reindex(sites.index).to_numpy(dtype=float), np.nan)


def _priority_tables(
    net: Network,
    alloc: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    kecamatan: gpd.GeoDataFrame,
    own: gpd.GeoDataFrame,
    dests: dict[str, gpd.GeoDataFrame],
    acc_sum: pd.DataFrame,
    acc_k: pd.Series | None,
    notes: list[str],
) -> dict[str, Any]:
    """Revitalisation priority of the kecamatan and of the kabupaten's own puskesmas."""
    from .planning import priority

    has_flood = "flood_hazard_index" in desa and desa["flood_hazard_index"].notna().any()
    if not has_flood:
        notes.append(Note("note.no_flood_hazard_index"))
    names_k = kecamatan.set_index("code")["name"]
    # indicators of the kecamatan priority score (all about the nearest puskesmas)
    summ = acc_sum.set_index("code")[
        ["population", "puskesmas_people_beyond_60_min", "puskesmas_mean_travel_time_min"]
    ].rename(columns=lambda c: c.removeprefix("puskesmas_"))
    if acc_k is not None:
        summ["access_per_1000"] = acc_k
    if has_flood:
        summ["flood_exposure"] = _flood_by_kecamatan(desa)
    summ.insert(0, "name", summ.index.map(names_k))
    summ = summ.reset_index()
    weights = dict(priority.PRIORITY_WEIGHTS)
    weights = {k: w for k, w in weights.items() if k in summ}  # left out above, with a note
    out: dict[str, Any] = {}
    with _into_notes(notes):
        out["priority_kecamatan"] = priority.priority_table(summ, weights=weights)
    out["priority_weights"] = weights

    pkm = dests.get("puskesmas")
    if pkm is None or len(pkm) == 0:
        return out
    origins = alloc.rename(
        columns={"puskesmas_travel_time_min": "travel_time_min", "puskesmas_facility_id": "facility_id"}
    )
    own_pkm = pkm[pkm["facility_id"].isin(own["facility_id"])]
    across = origins["facility_id"].notna() & ~origins["facility_id"].isin(own_pkm["facility_id"])
    if across.any():
        notes.append(
            Note(
                "note.nearest_across_border",
                people=f"{origins.loc[across, 'population'].sum():,.0f}",
                n=origins.loc[across, "facility_id"].nunique(),
            )
        )
    if not (~across & origins["facility_id"].notna()).any():
        notes.append(Note("note.no_own_puskesmas_nearest"))
        return out
    fac_tab = pd.DataFrame(own_pkm.drop(columns="geometry"))
    if has_flood:
        fac_tab["flood_exposure"] = _flood_at_sites(net, desa, own_pkm)
    fac_weights = {
        k: w
        for k, w in priority.FACILITY_PRIORITY_WEIGHTS.items()
        if not (k == "flood_exposure" and not has_flood)
        and not (k == "staff_per_1000" and "staff" not in fac_tab)
    }
    with _into_notes(notes):
        out["priority_facilities"] = priority.facility_priority_table(
            origins[~across],
            fac_tab,
            supply_col="staff" if "staff" in fac_tab else None,
            weights=fac_weights,
        )
    return out


def _planner_view(df: pd.DataFrame, audit_columns: Sequence[str] = ()) -> pd.DataFrame:
    """A spreadsheet-friendly copy: audit (``audit_columns``, the data loader's) and empty
    columns left out, people as whole persons, minutes and scores to one decimal, shares
    to three."""
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
    out = out.drop(columns=[c for c in out.columns if c in set(audit_columns)])
    out = out.loc[:, out.notna().any()]
    for c in out.columns:
        if not pd.api.types.is_float_dtype(out[c]):
            continue
        if c == "population" or c.startswith(("people_", "population_")) or c.endswith("_people_unreachable"):
            out[c] = out[c].round(0)
        elif c.startswith("share_"):
            out[c] = out[c].round(3)
        elif c.endswith(("_min", "_score")) or c.startswith(("points_", "norm_")):
            out[c] = out[c].round(1 if not c.startswith("norm_") else 3)
    return out


def _coverage_figure(
    cells: pd.DataFrame, tcols: list[str], language: str, title_name: str, path: Path, files: dict[str, Path]
) -> None:
    """Cumulative coverage curve of the populated cells, one curve per category."""
    from .outputs.report import plot_cumulative_coverage

    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "category": c.removesuffix("_travel_time_min"),
                    "travel_time_min": cells[c],
                    "population": cells["population"],
                }
            )
            for c in tcols
        ],
        ignore_index=True,
    )
    from .outputs.i18n import STRINGS, t

    title = t("output.coverage_title", language, name=title_name)
    if language != "en":  # curve names in the planner's language (English keeps the category keys)
        long["category"] = long["category"].map(
            lambda c: t(f"category_short.{c}", language) if f"category_short.{c}" in STRINGS else c
        )
    fig = plot_cumulative_coverage(long, by="category", language=language, title=title)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    files["coverage_curve"] = path


def write_raster(result: AccessResult, path: str | Path) -> Path:
    """Write the per-cell results as a multi-band GeoTIFF on the lattice grid.

    Band 1 is the population allocated to each cell (persons); the next bands are the
    travel time in minutes to each category (``puskesmas``, ``inpatient``, ``hospital``,
    ``referral``), named in the band descriptions. Cells outside the study area or
    impassable are nodata (NaN). The CRS is the network's (metres), so GIS software
    measures areas and distances correctly.

    Parameters
    ----------
    result : AccessResult
        From :func:`run_access`.
    path : path
        The ``.tif`` file to write (replaced when it exists).

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    The kabupaten built by hand of :func:`~geoaccess.inputs.datasets.example_region` (two
    kecamatan of 2 x 2 km with one desa each, a puskesmas in the west, a hospital in the
    east, one road):

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region()
    >>> import os, tempfile, rasterio
    >>> result = ga.run_access(region, progress=False)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_raster(result, os.path.join(folder, "contoh.tif"))
    ...     with rasterio.open(path) as tif:
    ...         print(tif.count, tif.shape, tif.descriptions[:2])
    5 (8, 17) ('population', 'puskesmas_travel_time_min')
    """
    import rasterio

    lat = result.network.lattice
    if lat is None:
        raise InputValidationError(
            "the run's network has no lattice, so there is no grid to write", argument="result"
        )
    c = result.cell_table
    cols = ["population"] + [k for k in c.columns if k.endswith("_travel_time_min")]
    rows, colsx = c["row"].to_numpy(), c["col"].to_numpy()
    data = np.full((len(cols), *lat.shape), np.nan, dtype="float32")
    for b, k in enumerate(cols):
        data[b, rows, colsx] = c[k].to_numpy(dtype="float32")
    from .outputs.report import atomic_path

    path = Path(path)
    with (
        atomic_path(path) as tmp,
        rasterio.open(
            tmp,
            "w",
            driver="GTiff",
            height=lat.shape[0],
            width=lat.shape[1],
            count=len(cols),
            dtype="float32",
            crs=result.network.crs.to_wkt(),
            transform=lat.transform,
            nodata=np.nan,
            compress="deflate",
            zlevel=1,  # twice as fast as the default level 6, files about 2% larger
            predictor=3,
            tiled=True,
        ) as ds,
    ):
        ds.write(data)
        for b, k in enumerate(cols, start=1):
            ds.set_band_description(b, k)
        ds.update_tags(
            source="geoaccess",
            mode=result.network.mode,
            units="band 1: persons per cell; other bands: minutes",
        )
    return path


#: Characters a region name may not hold, since it starts every output file name: path
#: separators, the characters Windows refuses, control characters.
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _output_stem(name: Any) -> str:
    """The region name as the start of output file names, or an error if it cannot be one.

    Refused: path separators (``/``, ``\\``), ``..``, a leading dot, characters Windows
    refuses in file names (``: * ? " < > |``) and control characters: they would write
    outside the output folder, hide the files or fail on a Dinkes Windows PC.
    """
    n = str(name)
    if not n.strip() or n.startswith(".") or ".." in n or _UNSAFE_NAME.search(n):
        safe = re.sub(r"[^0-9A-Za-z_-]+", "_", n).strip("_") or "region"
        raise InputValidationError(
            f"the region name {n!r} cannot start file names: path separators, '..', a leading dot and "
            "': * ? \" < > |' would write outside the output folder or fail on Windows. Rename it, e.g. "
            f"result = dataclasses.replace(result, region=dataclasses.replace(result.region, name={safe!r}))",
            argument="result.region.name",
        )
    return n


#: The last file :func:`write_outputs` writes: its presence marks a complete set.
MANIFEST_SUFFIX = "_manifest.json"


def write_outputs(
    result: AccessResult,
    out_dir: str | Path,
    *,
    map_category: str = "puskesmas",
    language: str = "en",
    csv_labels: bool = False,
) -> dict[str, Path]:
    """Write the tables, figures, map and assumptions of a run to ``out_dir``.

    Parameters
    ----------
    result : AccessResult
        From :func:`run_access`.
    out_dir : path
        Created if needed; files are named ``<region>_<table>.<ext>``.
    map_category : str
        Category whose travel time colours the map.
    language : {"en", "id"}
        Language of everything a planner reads (:mod:`geoaccess.outputs.i18n`): the
        map (title, legends, layer names, tooltips, popups), the print map
        (``<region>_print_map.pdf`` / ``.png``, :func:`geoaccess.print_map` of
        ``map_category``), the figure titles and labels, and the column labels of the
        XLSX priority tables. Indonesian XLSX
        files (``*_id.xlsx``) are always written too.
    csv_labels : bool
        ``False`` (default): CSV tables keep the geoaccess column names
        (``travel_time_min``), so programs (and :func:`pandas.read_csv`) can read them
        back. ``True``: CSV headers are the labels in ``language`` ("Waktu tempuh
        (menit)"), written with a UTF-8 byte-order mark for Excel.

    Returns
    -------
    dict
        ``name -> path`` of every file written; ``manifest`` is ``<region>_manifest.json``.

    Raises
    ------
    OutputError
        Before anything is written, when ``out_dir`` is a file, cannot be written to, or
        holds an output of this region that cannot be replaced (a folder, a file open in
        Excel on Windows); after, if a file cannot be moved into place (the message
        says which files are new and which stale).
    InputValidationError
        When the region name cannot start a file name (it holds ``/``, ``..``, ...).

    Examples
    --------
    The kabupaten built by hand of :func:`~geoaccess.inputs.datasets.example_region` (two
    kecamatan of 2 x 2 km with one desa each, a puskesmas in the west, a hospital in the
    east, one road):

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region()
    >>> import tempfile
    >>> result = ga.run_access(region, progress=False)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = write_outputs(result, folder, language="id")
    ...     print(files["desa"].name, files["map"].name, files["manifest"].name)
    contoh_desa.csv contoh_map.html contoh_manifest.json

    Notes
    -----
    How a set is never left half-written without saying so: every file is first written
    to a staging folder inside ``out_dir`` (``.geoaccess-staging-*``); any failure
    there removes it and leaves ``out_dir`` as it was. Then the old
    ``<region>_manifest.json`` is removed, each file is moved into place with
    :func:`os.replace` (atomic per file), and the new manifest, listing every file with
    its size and SHA-256, is written last. A folder whose manifest is missing, or
    whose files do not match it, holds an incomplete set.
    """
    from .outputs.report import check_output_dir

    check_choice(map_category, list(CATEGORIES), "map_category")
    check_choice(language, ["en", "id"], "language")
    name = _output_stem(result.region.name)
    out = check_output_dir(out_dir, prefix=f"{name}_")
    stage = Path(tempfile.mkdtemp(prefix=".geoaccess-staging-", dir=out))
    try:
        staged = _write_files(result, stage, name, map_category, language, csv_labels)
    except OSError as e:
        shutil.rmtree(stage, ignore_errors=True)
        raise OutputError(f"writing the outputs failed ({e}); nothing in {str(out)!r} was changed") from e
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return _publish(stage, out, name, staged)


def _publish(stage: Path, out: Path, name: str, staged: dict[str, Path]) -> dict[str, Path]:
    """Move the staged files into ``out`` (old manifest removed first), then write the manifest."""
    manifest = out / f"{name}{MANIFEST_SUFFIX}"
    moved: list[str] = []
    try:
        manifest.unlink(missing_ok=True)
        for p in staged.values():
            os.replace(p, out / p.name)
            moved.append(p.name)
    except OSError as e:
        left = [p.name for p in staged.values() if p.name not in moved]
        raise OutputError(
            f"could not move the outputs into {str(out)!r} ({e}). The set there is INCOMPLETE: "
            f"new files {moved}; not written {left} (they are in {str(stage)!r}; any older files with "
            f"those names are stale); no {manifest.name} was written. Close files open in other "
            "programs and run write_outputs again"
        ) from e
    files = {k: out / p.name for k, p in staged.items()}
    entries = {
        k: {"file": p.name, "bytes": p.stat().st_size, "sha256": file_sha256(p)}
        for k, p in sorted(files.items())
    }
    from .outputs.report import atomic_path

    with atomic_path(manifest) as tmp:
        tmp.write_text(
            json.dumps({"region": name, "complete": True, "files": entries}, indent=2), encoding="utf-8"
        )
    shutil.rmtree(stage, ignore_errors=True)
    files["manifest"] = manifest
    return files


def _mode_text(mode: Any, language: str) -> str:
    """A travel mode in the planner's language (unknown modes as they are)."""
    from .outputs.i18n import STRINGS, t

    return t(f"mode.{mode}", language) if f"mode.{mode}" in STRINGS else str(mode)


def _write_files(
    result: AccessResult, out: Path, name: str, map_category: str, language: str, csv_labels: bool = False
) -> dict[str, Path]:
    """Write every output file of a run into the folder ``out`` (the staging folder)."""
    from .outputs.i18n import t
    from .outputs.maps import access_map, save_map
    from .outputs.report import export_table, plot_kecamatan_bars, relabel

    files: dict[str, Path] = {}
    title_name = getattr(result.region, "display_name", name)
    category_text = t(f"category.{map_category}", language)

    def csv(df: pd.DataFrame, stem: str) -> None:
        p = out / f"{name}_{stem}.csv"
        table = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
        if csv_labels:
            relabel(table, language).to_csv(p, index=False, encoding="utf-8-sig")
        else:
            table.to_csv(p, index=False)
        files[stem] = p

    csv(result.desa, "desa")
    csv(result.kecamatan, "kecamatan")
    # the location actually used (relocated facilities have no source lat/lon)
    fac_out = result.facilities.copy()
    located = ~(fac_out.geometry.isna() | fac_out.geometry.is_empty)
    fac_out["lon_used"] = np.where(located, fac_out.geometry.x.where(located), np.nan)
    fac_out["lat_used"] = np.where(located, fac_out.geometry.y.where(located), np.nan)
    csv(fac_out, "facilities")
    for stem, df in result.tables.items():
        csv(df, stem)
    for stem in ("priority_kecamatan", "priority_facilities", "targets"):
        if stem in result.tables:
            for lang in sorted({language, "id"}):
                suffix = "" if lang == "en" else "_id"
                view = _planner_view(result.tables[stem], getattr(result.region, "audit_columns", ()))
                if "data_gaps" in view:  # notes (geoaccess.notes) in the spreadsheet's language
                    view = view.assign(data_gaps=[localize(v, lang) for v in view["data_gaps"]])
                files[f"{stem}{suffix}_xlsx"] = export_table(
                    view,
                    out / f"{name}_{stem}{suffix}.xlsx",
                    language=lang,
                )
    if "priority_kecamatan" in result.tables:
        kec = result.kecamatan[["code", "geometry"]].merge(result.tables["priority_kecamatan"], on="code")
        files["priority_kecamatan_gpkg"] = export_table(
            gpd.GeoDataFrame(kec, geometry="geometry", crs=result.kecamatan.crs),
            out / f"{name}_priority_kecamatan.gpkg",
            language=None,
        )

    # figures (Agg canvas; no global backend change); they need people
    cells = result.cell_table[result.cell_table["population"] > 0]
    tcols = [c for c in cells.columns if c.endswith("_travel_time_min")]
    cov = result.tables.get("coverage")
    if len(cells) == 0:
        cov = None
    else:
        _coverage_figure(cells, tcols, language, title_name, out / f"{name}_coverage_curve.png", files)
    if cov is not None:
        kec_cov = cov[(cov["category"] == map_category) & (cov["level"] == "kecamatan")]
        fig = plot_kecamatan_bars(
            kec_cov,
            label_col="name",
            share=True,
            language=language,
            title=t("output.bars_title", language, name=title_name, category=category_text),
        )
        files["kecamatan_bars"] = out / f"{name}_kecamatan_bars.png"
        fig.savefig(files["kecamatan_bars"], dpi=120, bbox_inches="tight")

    lat = result.network.lattice
    if lat is not None:
        files["raster"] = write_raster(result, out / f"{name}_travel_time.tif")

    col = f"{map_category}_travel_time_min"
    layer = result.desa.assign(
        travel_time_min=result.desa[col], facility_id=result.desa[f"{map_category}_facility_id"]
    )
    if f"{map_category}_people_unreachable" in layer:  # the desa time is the mean of the others
        layer["people_unreachable"] = layer[f"{map_category}_people_unreachable"].round(0)
    keep = [
        c
        for c in (
            "code",
            "name",
            "kecamatan",
            "population",
            "people_unreachable",
            "travel_time_min",
            "facility_id",
            "access_dist_m",
            "geometry",
        )
        if c in layer.columns
    ]
    # kecamatan popups: the planner's figures only (name, people, minutes, priority)
    kec_cols = ["code", "name", "population", f"{map_category}_travel_time_min", "geometry"]
    kec_layer = result.kecamatan[[c for c in kec_cols if c in result.kecamatan.columns]]
    if "priority_kecamatan" in result.tables:
        pr = result.tables["priority_kecamatan"]
        pr = pr[
            [
                c
                for c in (
                    "code",
                    "rank",
                    "priority_score",
                    "people_beyond_60_min",
                    "data_gaps",
                    "score_rests_on_gaps",
                )
                if c in pr
            ]
        ]
        kec_layer = kec_layer.merge(pr, on="code", how="left")
        if "data_gaps" in kec_layer:  # notes (geoaccess.notes) in the map's language
            kec_layer["data_gaps"] = [localize(v, language) for v in kec_layer["data_gaps"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)  # already in the run's notes
        m = access_map(
            layer[keep],
            result.facilities,
            kec_layer,
            roads=result.region.roads,
            time_col="travel_time_min",
            title=t(
                "output.map_title",
                language,
                name=title_name,
                category=category_text,
                mode=_mode_text(result.network.mode, language),
            ),
            lang=language,
        )
        lat = result.network.lattice
        if lat is not None:
            from rasterio import features

            from .outputs.maps import add_travel_time_surface

            grid = np.full(lat.shape, np.nan)
            c = result.cell_table
            grid[c["row"].to_numpy(), c["col"].to_numpy()] = c[col].to_numpy()
            kab = result.region.kabupaten.to_crs(result.network.crs)
            outside = features.geometry_mask(list(kab.geometry), out_shape=lat.shape, transform=lat.transform)
            grid[outside] = np.nan
            add_travel_time_surface(
                m,
                grid,
                lat.transform,
                result.network.crs,
                name=t("output.surface", language, res=f"{lat.resolution_m:g}"),
                lang=language,
            )
            # keep the layer control listing the new layer: move it to the end
            for key, child in list(m._children.items()):
                if type(child).__name__ == "LayerControl":
                    m._children.pop(key)
                    m._children[key] = child
        # a hazard layer given to with_flood_exposure, else the desa index (with its people)
        given = result.flood_hazard is not None and "flood_exposure" in result.assumptions
        if given or ("flood_hazard_index" in result.desa and result.desa["flood_hazard_index"].notna().any()):
            from .analysis.flood import hazard_from_desa
            from .outputs.maps import add_hazard_layer

            by_desa = not given
            add_hazard_layer(
                m,
                hazard_from_desa(result.desa) if by_desa else result.flood_hazard,
                name=t("output.flood_layer", language),
                population=result.desa["population"].to_numpy(dtype=float) if by_desa else None,
                show=False,
                lang=language,
            )
            exposed = result.tables.get("flood_facilities")
            if isinstance(exposed, gpd.GeoDataFrame) and len(exposed):
                from .outputs.maps import add_flood_facilities

                add_flood_facilities(m, exposed, lang=language)
                for child in m._children.values():  # off when the map opens
                    if getattr(child, "layer_name", None) == t("map.layer.flood_facilities", language):
                        setattr(child, "show", False)  # noqa: B010 - a folium FeatureGroup
            for key, child in list(m._children.items()):  # the layer control stays last
                if type(child).__name__ == "LayerControl":
                    m._children.pop(key)
                    m._children[key] = child
        season = result.tables.get("flood_season_desa")
        if season is not None and map_category in set(season["category"]):
            from types import SimpleNamespace

            from .outputs.maps import add_scenario_layer

            closed = tuple(result.assumptions.get("flood_season", {}).get("facilities_closed", ()))
            layer_name = t(
                "map.layer.flood_change", language, category=t(f"category_short.{map_category}", language)
            )
            add_scenario_layer(
                m,
                SimpleNamespace(
                    desa=season, facilities=result.facilities, scenario=SimpleNamespace(closed=closed)
                ),
                result.desa,
                map_category,
                facilities=result.facilities,
                name=layer_name,
                lang=language,
            )
            for child in m._children.values():  # off when the map opens, like the other flood layers
                if getattr(child, "layer_name", None) == layer_name:
                    setattr(child, "show", False)  # noqa: B010 - a folium FeatureGroup
        links = result.tables.get("critical_links")
        if isinstance(links, gpd.GeoDataFrame) and len(links):
            from .outputs.maps import add_critical_links

            for season in links["season"].unique():
                add_critical_links(
                    m,
                    links[links["season"] == season],
                    name=t(
                        "map.layer.critical_links_season", language, season=t(f"season.{season}", language)
                    ),
                    show=False,
                    lang=language,
                )
            for key, child in list(m._children.items()):  # the layer control stays last
                if type(child).__name__ == "LayerControl":
                    m._children.pop(key)
                    m._children[key] = child
        files["map"] = save_map(m, out / f"{name}_map.html")
    # print map (A4 landscape, PDF + PNG) for budget proposals
    if map_category in {c.removesuffix("_travel_time_min") for c in result.desa.columns}:
        from .outputs.print_map import print_map

        pdf, png = out / f"{name}_print_map.pdf", out / f"{name}_print_map.png"
        print_map(result, [pdf, png], category=map_category, lang=language)
        files["print_map_pdf"], files["print_map_png"] = pdf, png
    p = out / f"{name}_assumptions.json"
    # notes and data sources in the output language (geoaccess.notes)
    p.write_text(json.dumps(localize(result.assumptions, language), indent=2, default=str), encoding="utf-8")
    files["assumptions"] = p
    return files
