"""What-if scenarios: new, upgraded or closed facilities, and changed networks.

A :class:`Scenario` is an immutable description of changes: facilities added (at a
point, or at the representative point of a desa or kecamatan), puskesmas upgraded to
inpatient (rawat inap), facilities closed, and a different network (e.g. the flood
season's). Its methods return new scenarios, so they chain::

    s = (Scenario("Rawat inap for Panang Enim, upgrade at Belida Darat")
         .add_at(result.kecamatan, "16.03.27", facility_id="NEW-1")  # Panang Enim
         .upgrade("F1603-PKM055"))                                    # inpatient status unknown today
    cmp = compare_scenario(result, s)
    cmp.kecamatan          # minutes saved, people newly within 30/60/120 min, ...

:func:`compare_scenario` runs one multi-source search per facility category on the scenario's
facilities (:func:`geoaccess.nearest`) and sets it against the baseline
:class:`~geoaccess.pipeline.AccessResult` per lattice cell, desa, kecamatan and for the
kabupaten; the baseline's network, facilities and tables are never modified.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._validate import require_columns
from ..analysis.metrics import referral_leg
from ..engine.network import Network
from ..engine.travel import nearest, release_search_buffer
from ..exceptions import GeoAccessWarning, InputValidationError

__all__ = ["Scenario", "ScenarioComparison", "compare_scenario"]

#: Thresholds (minutes) of the "people newly within" columns: the Riskesdas band edges
#: 30 and 60 minutes, and 120 minutes.
DEFAULT_THRESHOLDS_MIN = (30.0, 60.0, 120.0)
#: Categories compared, in order (those present in the baseline run).
CATEGORIES = ("puskesmas", "inpatient", "hospital", "referral")
_FACILITY_TYPES = ("puskesmas", "pustu", "rs")


@dataclass(frozen=True, eq=False)
class Scenario:
    """An immutable set of changes to a baseline run.

    Attributes
    ----------
    name : str
        Shown in tables and maps.
    added : GeoDataFrame or None
        New facilities: ``facility_id``, ``name``, ``type``, ``inpatient``, ``kecamatan``
        (name, when known), Point geometry (EPSG:4326).
    upgraded : tuple of str
        Ids of puskesmas that become inpatient.
    closed : tuple of str
        Ids of facilities closed.
    network, referral_network : Network or None
        Networks replacing the baseline's (e.g. from a flood-season scenario); None
        keeps the baseline's.

    Examples
    --------
    Every method returns a new scenario; the one it was called on is unchanged:

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> base = ga.Scenario("rawat inap")
    >>> plan = base.upgrade("P1").add((103.84, -3.70), "NEW-1", name="Puskesmas Baru")
    >>> plan
    <geoaccess.Scenario 'rawat inap': 1 added, 1 upgraded, 0 closed>
    >>> base
    <geoaccess.Scenario 'rawat inap': 0 added, 0 upgraded, 0 closed>
    >>> facilities = ga.read_facilities(gpd.GeoDataFrame(
    ...     {"facility_id": ["P1"], "name": ["Puskesmas Barat"], "type": ["puskesmas"],
    ...      "inpatient": [False]}, geometry=[shapely.Point(103.81, -3.70)], crs="EPSG:4326"))
    >>> plan.apply(facilities)[["facility_id", "inpatient", "scenario_change"]]
      facility_id  inpatient scenario_change
    0          P1       True        upgraded
    1       NEW-1       True           added
    """

    name: str = "scenario"
    added: gpd.GeoDataFrame | None = field(default=None, repr=False)
    upgraded: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()
    network: Network | None = field(default=None, repr=False)
    referral_network: Network | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        n_add = 0 if self.added is None else len(self.added)
        net = ", own network" if self.network is not None else ""
        return (
            f"<geoaccess.Scenario {self.name!r}: {n_add} added, {len(self.upgraded)} upgraded, "
            f"{len(self.closed)} closed{net}>"
        )

    def add(
        self,
        location: Any,
        facility_id: str,
        *,
        name: str | None = None,
        type: str = "puskesmas",
        inpatient: bool = True,
        kecamatan: str | None = None,
        crs: Any = "EPSG:4326",
    ) -> Scenario:
        """A new scenario with one more facility.

        Parameters
        ----------
        location : shapely Point or (x, y)
            Where it stands, in ``crs`` (default longitude, latitude).
        facility_id : str
            A new, unique id.
        name : str, optional
            Display name (default ``"New <type> <id>"``).
        type : {"puskesmas", "pustu", "rs"}
            Facility type.
        inpatient : bool
            Rawat inap (default True: the scenario is usually a new inpatient puskesmas).
        kecamatan : str, optional
            Kecamatan name, for the program targets; found from the location when omitted.
        crs : CRS-like
            CRS of ``location``.

        Returns
        -------
        Scenario

        Examples
        --------
        >>> plan = Scenario("baru").add((103.84, -3.70), "NEW-1", name="Puskesmas Baru", inpatient=True)
        >>> plan.added[["facility_id", "name", "type", "inpatient"]]
          facility_id            name       type  inpatient
        0       NEW-1  Puskesmas Baru  puskesmas       True
        """
        if type not in _FACILITY_TYPES:
            raise InputValidationError(
                f"must be one of {list(_FACILITY_TYPES)}, got {type!r}", argument="type"
            )
        if not isinstance(facility_id, str) or not facility_id:
            raise InputValidationError("give a non-empty string id", argument="facility_id")
        point = location if isinstance(location, shapely.Geometry) else shapely.Point(*location)
        if not isinstance(point, shapely.Point) or point.is_empty:
            raise InputValidationError(
                f"expected a Point or (x, y), got {point.geom_type}", argument="location"
            )
        row = gpd.GeoDataFrame(
            {
                "facility_id": [facility_id],
                "name": [name or f"New {type} {facility_id}"],
                "type": [type],
                "inpatient": pd.array([bool(inpatient)], dtype="boolean"),
                "kecamatan": [kecamatan],
            },
            geometry=[point],
            crs=crs,
        ).to_crs("EPSG:4326")
        ids = [] if self.added is None else list(self.added["facility_id"])
        if facility_id in ids:
            raise InputValidationError(f"{facility_id!r} is already added", argument="facility_id")
        added = row if self.added is None else pd.concat([self.added, row], ignore_index=True)
        return replace(self, added=gpd.GeoDataFrame(added, geometry="geometry", crs="EPSG:4326"))

    def add_at(
        self, areas: gpd.GeoDataFrame, code: str, facility_id: str, *, code_col: str = "code", **kw: Any
    ) -> Scenario:
        """A new scenario with a facility at the representative point of one desa or kecamatan.

        ``areas`` is e.g. ``result.desa`` or ``result.kecamatan``; other keywords as in
        :meth:`add`. From a kecamatan layer (no ``kecamatan_code`` column) the kecamatan
        name is its ``name``; for a desa it is found from the location by :func:`compare_scenario`.

        Parameters
        ----------
        areas : GeoDataFrame
            Desa or kecamatan polygons with ``code_col``.
        code : str
            The code of the one area to build in.
        facility_id : str
            A new, unique id.
        code_col : str
            Column of ``areas`` with the codes.
        **kw
            Other keywords of :meth:`add`.

        Returns
        -------
        Scenario

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> kecamatan = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["Barat", "Timur"]}, crs="EPSG:4326",
        ...     geometry=[shapely.box(x, -3.72, x + 0.02, -3.70) for x in (103.80, 103.82)])
        >>> plan = Scenario("Timur").add_at(kecamatan, "K2", "NEW-1")
        >>> plan.added[["facility_id", "kecamatan"]]
          facility_id kecamatan
        0       NEW-1     Timur
        >>> bool(plan.added.geometry.iloc[0].within(kecamatan.geometry[1]))
        True
        """
        require_columns(areas, [code_col], "areas")
        hit = areas[areas[code_col].astype(str) == str(code)]
        if len(hit) != 1:
            raise InputValidationError(
                f"{code!r} matches {len(hit)} rows of column {code_col!r}; give one existing code",
                argument="code",
            )
        geom = hit.to_crs("EPSG:4326").geometry.iloc[0].representative_point()
        if "kecamatan" not in kw and "name" in hit and "kecamatan_code" not in hit:
            kw["kecamatan"] = hit["name"].iloc[0]  # a kecamatan layer (desa carry kecamatan_code)
        return self.add(geom, facility_id, crs="EPSG:4326", **kw)

    def upgrade(self, *facility_ids: str) -> Scenario:
        """A new scenario in which these puskesmas are inpatient (rawat inap).

        Returns
        -------
        Scenario

        Examples
        --------
        >>> Scenario("rawat inap").upgrade("P1", "P2").upgrade("P1").upgraded
        ('P1', 'P2')
        """
        return replace(self, upgraded=tuple(dict.fromkeys((*self.upgraded, *map(str, facility_ids)))))

    def close(self, *facility_ids: str) -> Scenario:
        """A new scenario in which these facilities are closed.

        Returns
        -------
        Scenario

        Examples
        --------
        >>> Scenario("tutup").close("P3")
        <geoaccess.Scenario 'tutup': 0 added, 0 upgraded, 1 closed>
        """
        return replace(self, closed=tuple(dict.fromkeys((*self.closed, *map(str, facility_ids)))))

    def with_network(self, network: Network, referral_network: Network | None = None) -> Scenario:
        """A new scenario searched on another network (e.g. the flood season's).

        Parameters
        ----------
        network : Network
            Replaces the baseline's network of the household's mode.
        referral_network : Network, optional
            Replaces the baseline's referral network (default: the baseline's).

        Returns
        -------
        Scenario

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> from geoaccess import build_network
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> Scenario("jalan baru").with_network(build_network(roads, "motorbike", offroad=False))
        <geoaccess.Scenario 'jalan baru': 0 added, 0 upgraded, 0 closed, own network>
        """
        if not isinstance(network, Network):
            raise InputValidationError(
                f"expected a Network, got {type(network).__name__}", argument="network"
            )
        return replace(self, network=network, referral_network=referral_network)

    def apply(self, facilities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """The facility table of the scenario: a new frame; ``facilities`` is unchanged.

        Adds ``scenario_change`` (``"added"``, ``"upgraded"`` or ``""``); upgraded rows get
        ``inpatient=True`` and ``inpatient_source="scenario"``; closed rows are dropped.

        Parameters
        ----------
        facilities : GeoDataFrame
            The baseline's facility table (``facility_id``, ``type``, ``inpatient``).

        Returns
        -------
        GeoDataFrame

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> facilities = gpd.GeoDataFrame({"facility_id": ["P1", "P2"], "type": ["puskesmas", "puskesmas"],
        ...     "inpatient": [False, False]}, crs="EPSG:4326",
        ...     geometry=[shapely.Point(103.81, -3.71), shapely.Point(103.83, -3.71)])
        >>> plan = Scenario("x").upgrade("P1").close("P2")
        >>> plan.apply(facilities)[["facility_id", "inpatient", "scenario_change"]]
          facility_id  inpatient scenario_change
        0          P1       True        upgraded
        >>> len(facilities)  # unchanged
        2
        """
        require_columns(facilities, ["facility_id", "type", "inpatient"], "facilities")
        ids = set(facilities["facility_id"].astype(str))
        unknown = sorted((set(self.upgraded) | set(self.closed)) - ids)
        if unknown:
            raise InputValidationError(
                f"no facility with id {unknown}; upgrade and close take ids of the baseline's facilities",
                argument="scenario",
            )
        not_pkm = sorted(
            facilities.loc[
                facilities["facility_id"].astype(str).isin(self.upgraded)
                & (facilities["type"] != "puskesmas"),
                "facility_id",
            ].astype(str)
        )
        if not_pkm:
            raise InputValidationError(
                f"only puskesmas can be upgraded to inpatient: {not_pkm}", argument="scenario"
            )
        out = facilities.copy()
        out["scenario_change"] = ""
        up = out["facility_id"].astype(str).isin(self.upgraded)
        out["inpatient"] = out["inpatient"].astype("boolean")
        out.loc[up, "inpatient"] = True
        if "inpatient_source" in out:
            out["inpatient_source"] = out["inpatient_source"].astype(object)
            out.loc[up, "inpatient_source"] = "scenario"
        out.loc[up, "scenario_change"] = "upgraded"
        out = out[~out["facility_id"].astype(str).isin(self.closed)]
        if self.added is not None and len(self.added):
            clash = sorted(set(self.added["facility_id"]) & ids)
            if clash:
                raise InputValidationError(
                    f"added ids already exist in the baseline: {clash}", argument="scenario"
                )
            new = self.added.to_crs(out.crs).assign(scenario_change="added")
            if "in_kabupaten" in out:
                new["in_kabupaten"] = True
            if "location_quality" in out:
                new["location_quality"] = "scenario"
            out = gpd.GeoDataFrame(
                pd.concat([out, new], ignore_index=True), geometry=out.geometry.name, crs=out.crs
            )
        return out


@dataclass(frozen=True, eq=False)
class ScenarioComparison:
    """A scenario set against its baseline (new frames, safe to edit).

    Attributes
    ----------
    scenario : Scenario
    facilities : GeoDataFrame
        The scenario's facility table (:meth:`Scenario.apply`).
    cells : GeoDataFrame
        Per lattice cell: ``population``, ``desa_code`` and, per category,
        ``<cat>_before_min`` and ``<cat>_after_min``.
    summary, kecamatan, desa : DataFrame
        One row per category and area (``level``, ``code``, ``name``, ``category``):
        ``population``, ``mean_min_before`` (population-weighted over the people who can
        reach the category before) and ``mean_min_after`` (over those who can reach it
        after: with closures or floods fewer people, so compare the two only with
        ``people_newly_unreachable`` beside them), ``people_reachable_both`` and
        ``mean_min_before_reachable_both`` / ``mean_min_after_reachable_both`` (the same
        people before and after: those who can reach it in both; their difference is
        the change in minutes), ``minutes_saved_per_person`` (over those same people),
        ``person_min_saved``, ``people_newly_within_<t>_min``,
        ``people_no_longer_within_<t>_min`` (e.g. closures), ``people_newly_reachable``
        and ``people_newly_unreachable`` (cut off: reach it before, not after).
    targets : DataFrame
        Per kecamatan: ``meets_pp47_2016`` and ``meets_inpatient_target`` before and after,
        and ``newly_meets_inpatient_target``.

    Examples
    --------
    Upgrading the one puskesmas of a kabupaten built by hand to rawat inap gives its
    4,000 people an inpatient puskesmas within 30 minutes, and the west kecamatan the
    inpatient target:

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region()
    >>> result = ga.run_access(region, progress=False)
    >>> cmp = ga.compare_scenario(result, ga.Scenario("rawat inap Barat").upgrade("P1"))
    >>> cmp.summary[["category", "mean_min_before", "mean_min_after", "people_newly_within_30_min"]]
        category  mean_min_before  mean_min_after  people_newly_within_30_min
    0  puskesmas            7.650           7.650                         0.0
    1  inpatient              NaN           7.650                      4000.0
    2   hospital            6.375           6.375                         0.0
    3   referral           15.150          15.150                         0.0
    >>> cmp.targets[["code", "meets_inpatient_target_before", "meets_inpatient_target_after"]]
      code  meets_inpatient_target_before  meets_inpatient_target_after
    0   K1                          False                          True
    1   K2                          False                         False
    """

    scenario: Scenario
    facilities: gpd.GeoDataFrame
    cells: gpd.GeoDataFrame
    summary: pd.DataFrame
    kecamatan: pd.DataFrame
    desa: pd.DataFrame
    targets: pd.DataFrame


def _select(facs: gpd.GeoDataFrame, cat: str) -> gpd.GeoDataFrame:
    from ..inputs.facilities import select

    with warnings.catch_warnings():  # facilities without a location were reported by the run
        warnings.simplefilter("ignore", GeoAccessWarning)
        return select(facs, cat)


def _cell_times(net: Network, dest: gpd.GeoDataFrame) -> tuple[pd.Series, pd.Series]:
    """Minutes and nearest facility at every passable cell of ``net`` (``at_cells`` without
    making the cells' points)."""
    cells = net.cell_table().index
    if len(dest) == 0:
        return pd.Series(np.nan, index=cells), pd.Series(None, index=cells, dtype=object)
    t, fid, _ = nearest(net, dest).at_nodes(cells.to_numpy())
    return pd.Series(t, index=cells), pd.Series(fid, index=cells, dtype=object)


def _on_run_cells(values: pd.Series, net: Network, run_net: Network) -> pd.Series:
    """Values indexed by ``net``'s lattice nodes, indexed instead by ``run_net``'s nodes of
    the same cells (matched by grid row and column). A network with other roads numbers
    its cells otherwise (the road nodes come first), so node ids cannot be compared."""
    if net is run_net or len(values) == 0:
        return values
    lat, run_lat = net.lattice, run_net.lattice
    if (
        lat is None
        or run_lat is None
        or (lat.x0, lat.y0, lat.resolution_m, lat.shape)
        != (run_lat.x0, run_lat.y0, run_lat.resolution_m, run_lat.shape)
    ):
        raise InputValidationError(
            "the scenario's network has another off-road lattice than the run's (area or "
            "resolution): its cells cannot be set against the run's; build it over the run's "
            "study area at the run's resolution_m",
            argument="scenario",
        )
    run_node = run_net._node_grid_as_built()
    r_all, c_all = net._cell_rc_of_nodes()
    at = values.index.to_numpy() - net.n_road_nodes
    target = run_node[r_all[at], c_all[at]]
    keep = target >= 0  # a cell passable here but not in the run (another barrier): left out
    return pd.Series(values.to_numpy()[keep], index=pd.Index(target[keep], name=values.index.name))


def _after_times(result: Any, scenario: Scenario, facs: gpd.GeoDataFrame) -> dict[str, pd.Series]:
    """Per cell and category, the scenario's minutes (one search per category)."""
    net = scenario.network or result.network
    ref_net = scenario.referral_network or (
        scenario.network
        if scenario.network is not None and result.referral_network is result.network
        else None
    )
    ref_net = ref_net or result.referral_network or net
    # the scenario's own networks are searched for this comparison only: their search
    # buffers (about the size of the graph) are freed after use, the referral network's
    # before the household network's is made, so the two are never held together
    own = [n for n in (scenario.network, scenario.referral_network) if n is not None]
    cats = [c for c in CATEGORIES if f"{c}_travel_time_min" in result.cell_table and c != "referral"]
    by_pkm = None
    if "referral_travel_time_min" in result.cell_table and "puskesmas" in cats:
        pkm, hosp = _select(facs, "puskesmas"), _select(facs, "hospital")
        if len(pkm) and len(hosp):
            by_pkm = referral_leg(ref_net, pkm, hosp).set_index("origin_id")["travel_time_min"]
        if ref_net is not net and any(ref_net is n for n in own):
            release_search_buffer(ref_net)
    out: dict[str, pd.Series] = {}
    ids: dict[str, pd.Series] = {}
    for cat in cats:
        t, f = _cell_times(net, _select(facs, cat))
        out[cat], ids[cat] = _on_run_cells(t, net, result.network), _on_run_cells(f, net, result.network)
    if any(net is n for n in own):
        release_search_buffer(net)
    if "referral_travel_time_min" in result.cell_table and "puskesmas" in out:
        if by_pkm is not None:
            out["referral"] = out["puskesmas"] + ids["puskesmas"].map(by_pkm).astype(float)
        else:
            out["referral"] = pd.Series(np.nan, index=out["puskesmas"].index)
    return out


def _summaries(
    cells: pd.DataFrame, cats: Sequence[str], group: pd.Series | None, thresholds: Sequence[float]
) -> pd.DataFrame:
    """Per group and category: the before/after figures (population-weighted)."""
    rows = []
    keys = pd.Series("all", index=cells.index) if group is None else group
    pop = cells["population"].to_numpy(dtype=float)
    for cat in cats:
        b = cells[f"{cat}_before_min"].to_numpy(dtype=float)
        a = cells[f"{cat}_after_min"].to_numpy(dtype=float)
        b = np.where(np.isnan(b), np.inf, b)
        a = np.where(np.isnan(a), np.inf, a)
        fb, fa = np.isfinite(b), np.isfinite(a)
        both = fb & fa
        cols: dict[str, np.ndarray] = {
            "population": pop,
            "_pb": pop * fb,
            "_pbt": np.where(fb, pop * np.where(fb, b, 0.0), 0.0),
            "_pa": pop * fa,
            "_pat": np.where(fa, pop * np.where(fa, a, 0.0), 0.0),
            "_pboth": pop * both,
            "_pbtb": np.where(both, pop * np.where(both, b, 0.0), 0.0),
            "_patb": np.where(both, pop * np.where(both, a, 0.0), 0.0),
            "person_min_saved": np.where(both, pop * (np.where(both, b, 0.0) - np.where(both, a, 0.0)), 0.0),
            "people_newly_reachable": pop * (~fb & fa),
            "people_newly_unreachable": pop * (fb & ~fa),
        }
        for t in thresholds:
            cols[f"people_newly_within_{t:g}_min"] = pop * ((b > t) & (a <= t))
            cols[f"people_no_longer_within_{t:g}_min"] = pop * ((b <= t) & (a > t))
        df = pd.DataFrame(cols, index=cells.index)
        g = df.groupby(keys.to_numpy()).sum()
        g["mean_min_before"] = g["_pbt"] / g["_pb"].where(g["_pb"] > 0)
        g["mean_min_after"] = g["_pat"] / g["_pa"].where(g["_pa"] > 0)
        g["minutes_saved_per_person"] = g["person_min_saved"] / g["_pboth"].where(g["_pboth"] > 0)
        # the same people before and after: those who reach the category in both
        g["people_reachable_both"] = g["_pboth"]
        g["mean_min_before_reachable_both"] = g["_pbtb"] / g["_pboth"].where(g["_pboth"] > 0)
        g["mean_min_after_reachable_both"] = g["_patb"] / g["_pboth"].where(g["_pboth"] > 0)
        g = g.drop(columns=[c for c in g.columns if c.startswith("_")])
        g.insert(0, "category", cat)
        rows.append(g)
    out = pd.concat(rows)
    out.index.name = "code"
    return out.reset_index()


def compare_scenario(
    result: Any, scenario: Scenario, *, thresholds_min: Sequence[float] = DEFAULT_THRESHOLDS_MIN
) -> ScenarioComparison:
    """Set a scenario against its baseline run.

    Parameters
    ----------
    result : AccessResult
        The baseline, from :func:`geoaccess.run_access`.
    scenario : Scenario
        The changes.
    thresholds_min : sequence of float
        Thresholds of the ``people_newly_within_<t>_min`` columns.

    Returns
    -------
    ScenarioComparison

    Examples
    --------
    A kabupaten built by hand (two kecamatan of 2 x 2 km, a puskesmas in the west, a
    hospital in the east); a new inpatient puskesmas at the east kecamatan's
    representative point:

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region()
    >>> result = ga.run_access(region, progress=False)
    >>> plan = ga.Scenario("puskesmas Timur").add_at(result.kecamatan, "K2", "NEW-1")
    >>> cmp = compare_scenario(result, plan)
    >>> cmp.kecamatan.loc[cmp.kecamatan["category"] == "puskesmas",
    ...                   ["code", "mean_min_before", "mean_min_after"]].round(2)
      code  mean_min_before  mean_min_after
    0   K1             4.95            4.95
    1   K2             8.55            4.61

    The west kecamatan keeps its puskesmas; the east's people save four minutes on
    average. The baseline is never changed:

    >>> float(result.kecamatan["puskesmas_travel_time_min"].iloc[1])
    8.55
    """
    from ..analysis import targets as _targets

    if not isinstance(scenario, Scenario):
        raise InputValidationError(f"expected a Scenario, got {type(scenario).__name__}", argument="scenario")
    for attr in ("cells", "facilities", "network", "desa", "kecamatan"):
        if not hasattr(result, attr):
            raise InputValidationError(
                "expected the AccessResult of geoaccess.run_access (the baseline)", argument="result"
            )
    facs = scenario.apply(result.facilities)
    if "kecamatan" in facs and facs["kecamatan"].isna().any():
        kec = result.kecamatan.to_crs(facs.crs)[["name", "geometry"]]
        missing = facs["kecamatan"].isna() & facs.geometry.notna()
        j = gpd.sjoin(facs.loc[missing, ["geometry"]], kec, predicate="within", how="left")
        facs.loc[missing, "kecamatan"] = (
            j[~j.index.duplicated()]["name"].reindex(facs.index[missing]).to_numpy()
        )
    after = _after_times(result, scenario, facs)
    base = result.cell_table
    # points for this comparison's own frame only (the run keeps its cells as a table)
    cells = result.network.as_cell_points(base[["population", "desa_code", "row", "col"]])
    cells = cells.drop(columns=["row", "col"])
    cats = [c for c in CATEGORIES if c in after]
    for cat in cats:
        cells[f"{cat}_before_min"] = base[f"{cat}_travel_time_min"].astype(float)
        cells[f"{cat}_after_min"] = after[cat].reindex(cells.index).astype(float)
    people = cells[cells["population"] > 0]
    desa_kec = result.desa.set_index("code")["kecamatan_code"]
    summary = _summaries(people, cats, None, thresholds_min).assign(
        level="kabupaten", name=result.region.name
    )
    kec_of = people["desa_code"].map(desa_kec)
    kec_names = result.kecamatan.set_index("code")["name"]
    by_kec = _summaries(people, cats, kec_of, thresholds_min)
    by_kec.insert(1, "name", by_kec["code"].map(kec_names))
    by_desa = _summaries(people, cats, people["desa_code"].astype(object).fillna("?"), thresholds_min)
    by_desa.insert(1, "name", by_desa["code"].map(result.desa.set_index("code")["name"]))

    own_before = result.facilities[result.facilities.get("in_kabupaten", True).astype(bool)]
    own_after = facs[facs.get("in_kabupaten", True).astype(bool)]
    kw = dict(
        facility_kecamatan_col="kecamatan" if "kecamatan" in facs else None, facility_kecamatan_by="name"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        tb = _targets.kecamatan_targets(result.kecamatan, own_before, **kw)  # type: ignore[arg-type]
        ta = _targets.kecamatan_targets(result.kecamatan, own_after, **kw)  # type: ignore[arg-type]
    tg = pd.DataFrame({"code": tb["code"], "name": tb["name"]})
    for col in ("meets_pp47_2016", "meets_inpatient_target"):
        tg[f"{col}_before"] = tb[col].to_numpy()
        tg[f"{col}_after"] = ta.set_index("code")[col].reindex(tb["code"]).to_numpy()
    tg["newly_meets_inpatient_target"] = (
        tg["meets_inpatient_target_after"].astype("boolean").fillna(False)
        & ~tg["meets_inpatient_target_before"].astype("boolean").fillna(False)
    ).astype(bool)
    return ScenarioComparison(scenario, facs, cells, summary, by_kec, by_desa, tg)
