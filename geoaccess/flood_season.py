"""The flood steps of a run: exposure, the flood season and the critical links.

Each takes the :class:`~geoaccess.pipeline.AccessResult` of :func:`geoaccess.run_access`
and returns a new one with more tables (the run itself is not modified):
:func:`with_flood_exposure` (exposure tables and the map's hazard from a hazard layer),
:func:`with_flood_season` (flood-season access against the dry season:
:func:`geoaccess.flood_scenario` + :func:`geoaccess.compare_scenario`) and
:func:`with_critical_links` (the road links whose cut hurts access most, dry and flood
season). The demo and config runs call them after :func:`geoaccess.run_access`;
:func:`geoaccess.write_outputs` writes what they add. All three are also importable from
:mod:`geoaccess.pipeline` and ``geoaccess``.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from ._validate import check_choice, check_number
from .exceptions import GeoAccessWarning, InputValidationError
from .notes import Note, into_notes

if TYPE_CHECKING:
    from .engine.network import Network
    from .pipeline import AccessResult

__all__ = ["CRITICAL_LINKS_TOP", "with_critical_links", "with_flood_exposure", "with_flood_season"]


def flood_tables(
    net: Network,
    desa: gpd.GeoDataFrame,
    kecamatan: gpd.GeoDataFrame,
    own: gpd.GeoDataFrame,
    notes: list[str],
    hazard: gpd.GeoDataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Step "flood exposure": people, facilities and road km per hazard class, from
    ``hazard`` or else the desa flood-hazard index (:func:`geoaccess.analysis.flood.hazard_from_desa`,
    :func:`geoaccess.analysis.flood.flood_exposure`); nothing without either."""
    if hazard is None and ("flood_hazard_index" not in desa or not desa["flood_hazard_index"].notna().any()):
        return {}
    from .analysis.flood import flood_exposure, hazard_from_desa

    with into_notes(notes):
        if hazard is None:
            hazard = hazard_from_desa(desa)
        exp = flood_exposure(desa, kecamatan, own, net, hazard)
    notes += list(exp.notes)
    return {
        "flood_exposure_kecamatan": exp.kecamatan,
        "flood_exposure_desa": exp.desa,
        "flood_facilities": exp.facilities,  # with geometry: the map layer; the CSV drops it
    }


def with_flood_exposure(result: AccessResult, hazard: gpd.GeoDataFrame) -> AccessResult:
    """The run with its flood exposure taken from a hazard layer instead of the desa index.

    The exposure tables (people, puskesmas / pustu / hospitals and road km per hazard
    class, per desa and kecamatan, and the facilities by class:
    :func:`geoaccess.analysis.flood.flood_exposure`) are recomputed with ``hazard``, which
    the map shows and :func:`with_flood_season` and :func:`with_critical_links` then take
    by default. The run itself is not modified.

    Parameters
    ----------
    result : AccessResult
        From :func:`run_access`.
    hazard : GeoDataFrame
        A standard hazard layer (:func:`geoaccess.analysis.flood.hazard_from_polygons`,
        :func:`~geoaccess.analysis.flood.hazard_from_raster`), any CRS.

    Returns
    -------
    AccessResult
        A new result with ``tables["flood_exposure_kecamatan"]``, ``["flood_exposure_desa"]``
        and ``["flood_facilities"]`` from ``hazard``, and ``flood_hazard`` set.

    Examples
    --------
    A 2 x 1 km desa of 1,000 people, its puskesmas and a 2 km road; the west half tinggi:

    >>> import geopandas as gpd, shapely
    >>> from geoaccess import build_network
    >>> from geoaccess.analysis.flood import hazard_from_polygons
    >>> from geoaccess.pipeline import AccessResult
    >>> utm, area = "EPSG:32748", shapely.box(400000, 9590000, 402000, 9591000)
    >>> road = shapely.LineString([(400000, 9590500), (402000, 9590500)])
    >>> net = build_network(gpd.GeoDataFrame({"road_class": ["lokal"]}, geometry=[road], crs=utm),
    ...                     "car", offroad=False)
    >>> desa = gpd.GeoDataFrame({"code": ["D1"], "name": ["Desa"], "kecamatan_code": ["K1"],
    ...                          "population": [1000.0]}, geometry=[area], crs=utm)
    >>> kec = gpd.GeoDataFrame({"code": ["K1"], "name": ["Kec"]}, geometry=[area], crs=utm)
    >>> fac = gpd.GeoDataFrame({"facility_id": ["P1"], "name": ["PKM"], "type": ["puskesmas"],
    ...     "in_kabupaten": [True]}, geometry=[shapely.Point(400500, 9590500)], crs=utm)
    >>> hz = hazard_from_polygons(gpd.GeoDataFrame({"kelas": ["tinggi"]},
    ...     geometry=[shapely.box(400000, 9590000, 401000, 9591000)], crs=utm), "kelas")
    >>> out = with_flood_exposure(AccessResult(None, net, None, desa, kec, fac), hz)
    >>> out.tables["flood_exposure_kecamatan"][["people_tinggi", "puskesmas_tinggi", "road_km_tinggi"]]
       people_tinggi  puskesmas_tinggi  road_km_tinggi
    0          500.0                 1             1.0
    """
    import dataclasses

    if not isinstance(hazard, gpd.GeoDataFrame):
        raise InputValidationError(
            f"expected a hazard layer (GeoDataFrame), got {type(hazard).__name__}", argument="hazard"
        )
    notes = list(result.assumptions.get("notes", []))
    facs = result.facilities
    own = facs[facs["in_kabupaten"]] if "in_kabupaten" in facs else facs
    exposure = flood_tables(result.network, result.desa, result.kecamatan, own, notes, hazard)  # checks it
    tables = {**result.tables, **exposure}
    assumptions = {**result.assumptions, "notes": notes}
    assumptions["flood_exposure"] = {
        "hazard": f"a hazard layer of {len(hazard)} polygons "
        f"({', '.join(f'{k} {v}' for k, v in hazard['hazard_class'].value_counts().sort_index().items())}), "
        "not the desa flood_hazard_index",
    }
    return dataclasses.replace(result, tables=tables, assumptions=assumptions, flood_hazard=hazard)


def _season_hazard(result: AccessResult, hazard: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """The hazard of a flood season: the one given, else :func:`with_flood_exposure`'s layer,
    else the desa ``flood_hazard_index`` (:func:`~geoaccess.analysis.flood.hazard_from_desa`),
    else None."""
    if hazard is None:
        hazard = result.flood_hazard
    index = result.desa.get("flood_hazard_index")
    if hazard is None and index is not None and index.notna().any():
        from .analysis.flood import hazard_from_desa

        hazard = hazard_from_desa(result.desa)
    return hazard


def with_flood_season(result: AccessResult, *, hazard: gpd.GeoDataFrame | None = None) -> AccessResult:
    """The run with its flood-season access tables, against the dry season.

    :func:`geoaccess.flood_scenario` floods both networks of the run with ``hazard``
    (default factors: tinggi cut, sedang half speed, boats unchanged) and closes the
    facilities standing in tinggi; :func:`geoaccess.compare_scenario` compares it with
    the run. The run itself is not modified.

    Parameters
    ----------
    result : AccessResult
        From :func:`run_access`.
    hazard : GeoDataFrame, optional
        Hazard polygons (:mod:`geoaccess.analysis.flood`); default the layer of
        :func:`with_flood_exposure` when it ran, else the run's desa flood-hazard index
        (:func:`geoaccess.analysis.flood.hazard_from_desa`). Without any, the result
        comes back with a note and no flood-season table.

    Returns
    -------
    AccessResult
        A new result with ``tables["flood_season_kabupaten"]``, ``["flood_season_kecamatan"]``
        and ``["flood_season_desa"]``: per area and category, ``population``,
        ``people_newly_unreachable`` (cut off in the flood season),
        ``mean_min_before_reachable_both`` / ``mean_min_after_reachable_both`` (dry /
        flood season, over the same people: those who can reach the category in both
        seasons, ``people_reachable_both``), ``mean_min_before`` / ``mean_min_after``
        (each over the people who can reach it in that season: not the same people when
        some are cut off), ``people_no_longer_within_<t>_min`` (pushed beyond 30, 60,
        120 minutes or cut off) and the rest of
        :class:`geoaccess.planning.scenario.ScenarioComparison`; and
        ``assumptions["flood_season"]`` (the factors and the facilities closed).
        :func:`write_outputs` writes them and maps the change in minutes per desa.

    Examples
    --------
    A kabupaten built by hand (two kecamatan of 2 x 2 km, a puskesmas in the west, the
    hospital in the east, one road between them); high hazard over the east three
    quarters of the east kecamatan, hospital included:

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> utm = "EPSG:32748"  # UTM 48S, metres
    >>> region = example_region()
    >>> result = ga.run_access(region, progress=False)
    >>> hazard = gpd.GeoDataFrame({"hazard_class": ["tinggi"]}, crs=utm,
    ...     geometry=[shapely.box(402_500, 9_590_000, 404_000, 9_592_000)])
    >>> wet = ga.with_flood_season(result, hazard=hazard)
    >>> kec_table = wet.tables["flood_season_kecamatan"]
    >>> kec_table[kec_table["category"] == "puskesmas"][["name", "population", "people_newly_unreachable"]]
        name  population  people_newly_unreachable
    0  Barat      1000.0                       0.0
    1  Timur      3000.0                    2250.0
    >>> wet.assumptions["flood_season"]["facilities_closed"]
    ['H1']
    >>> kec_table[kec_table["category"] == "puskesmas"][["name", "people_reachable_both",
    ...     "mean_min_after_reachable_both"]].round(2)
        name  people_reachable_both  mean_min_after_reachable_both
    0  Barat                 1000.0                           4.95
    1  Timur                  750.0                           6.75

    The 2,250 people of the flooded three quarters of Timur (3,000 x 1.5 / 2 km) are cut
    off from the puskesmas; the 750 left keep their dry-season trip; the hospital, in
    tinggi, is closed. Without a hazard layer
    (and no desa ``flood_hazard_index``) the run comes back with a note:

    >>> "flood_season_kecamatan" in ga.with_flood_season(result).tables
    False
    """
    import dataclasses

    from .engine.flood import OFFROAD_FACTORS, ROAD_FACTORS
    from .planning.flood import flood_scenario
    from .planning.scenario import compare_scenario

    assumptions = dict(result.assumptions)
    hazard = _season_hazard(result, hazard)
    if hazard is None:
        assumptions["notes"] = [
            *assumptions.get("notes", []),
            Note("note.no_hazard_flood_tables"),
        ]
        return dataclasses.replace(result, assumptions=assumptions)
    sc = flood_scenario(result, hazard)
    cmp = compare_scenario(result, sc)
    assumptions["flood_season"] = {
        "method": "geoaccess.flood_scenario + compare_scenario: both networks flooded, facilities in "
        "tinggi closed; people_no_longer_within_<t>_min = pushed beyond t minutes",
        "road_factors": dict(ROAD_FACTORS),
        "offroad_factors": dict(OFFROAD_FACTORS),
        "facilities_closed": list(getattr(sc, "closed", ())),
    }
    tables = {
        **result.tables,
        "flood_season_kabupaten": cmp.summary,
        "flood_season_kecamatan": cmp.kecamatan,
        "flood_season_desa": cmp.desa,
    }
    return dataclasses.replace(
        result, tables=tables, assumptions=assumptions, flood_hazard=hazard, flood_scenario=sc
    )


#: Links kept per season by :func:`with_critical_links`: the issue's "exact top 50" (about
#: 5 s per season on Muara Enim at 250 m, ``benchmarks/bench_links.py``).
CRITICAL_LINKS_TOP = 50


def with_critical_links(
    result: AccessResult,
    *,
    top: int = CRITICAL_LINKS_TOP,
    threshold_min: float | None = None,
    category: str = "puskesmas",
    flood_season: bool = True,
    hazard: gpd.GeoDataFrame | None = None,
) -> AccessResult:
    """The run with a critical-links table: the road links whose cut hurts access most.

    Each season's exact top ``top`` links by :func:`geoaccess.engine.links.critical_links`
    (people pushed beyond ``threshold_min`` of the nearest facility of ``category`` when
    the link alone is cut, then person-minutes of delay), from the run's populated
    lattice cells over the household network. The flood season floods that network with
    ``hazard`` (:func:`geoaccess.flood_network`, default factors) and closes the
    facilities standing in ``tinggi``.

    Parameters
    ----------
    result : AccessResult
        From :func:`run_access`; not modified.
    top : int
        Links kept per season (default :data:`CRITICAL_LINKS_TOP`).
    threshold_min : float, optional
        "Within reach" threshold, minutes; default
        :data:`geoaccess.engine.links.DEFAULT_THRESHOLD_MIN` (60, the program's band).
    category : str
        Facility category (:data:`CATEGORIES`), default puskesmas.
    flood_season : bool
        Also rank the links in the flood season (skipped, with a note, without a hazard).
    hazard : GeoDataFrame, optional
        Hazard polygons (:mod:`geoaccess.analysis.flood`); default the hazard of
        :func:`with_flood_season` when it ran (its flooded network is reused, not built
        again), else the desa flood-hazard index of the run
        (:func:`geoaccess.analysis.flood.hazard_from_desa`).

    Returns
    -------
    AccessResult
        A new result whose ``tables["critical_links"]`` is a GeoDataFrame (EPSG:4326),
        best first per season: ``season`` (``dry`` / ``flood``), ``rank``, ``link_id``,
        ``road_name`` (the nearest line of the region's road layer, when it names its
        roads), ``road_class``, ``length_m``, ``people_pushed_beyond_<t>_min``,
        ``person_min_delay``, ``people_cut_off``, ``people_routed``; the run's
        ``assumptions["critical_links"]`` says how far each ranking was evaluated.

    Examples
    --------
    The kabupaten built by hand of :func:`~geoaccess.inputs.datasets.example_region` (two
    kecamatan of 2 x 2 km, a puskesmas in the west, the hospital in the east) with its road
    replaced by two named roads: Jalan Poros, 4 km west to east past both, and Jalan Desa,
    2 km north to south, crossing it at x = 402 000. The crossing cuts the roads into four
    links of junction-to-junction road; ranked by the people a cut pushes beyond 10
    minutes of the puskesmas:

    >>> import dataclasses
    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> utm = "EPSG:32748"  # UTM 48S, metres
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal", "lokal"],
    ...     "name": ["Jalan Poros", "Jalan Desa"]}, crs=utm,
    ...     geometry=[shapely.LineString([(400_000, 9_591_000), (404_000, 9_591_000)]),
    ...               shapely.LineString([(402_000, 9_590_000), (402_000, 9_592_000)])]).to_crs(4326)
    >>> region = dataclasses.replace(example_region(), roads=roads)
    >>> result = ga.run_access(region, progress=False)
    >>> hazard = gpd.GeoDataFrame({"hazard_class": ["tinggi"]}, crs=utm,
    ...     geometry=[shapely.box(402_500, 9_590_000, 404_000, 9_592_000)])
    >>> crit = ga.with_critical_links(result, top=3, threshold_min=10, hazard=hazard)
    >>> links = crit.tables["critical_links"]
    >>> links[["season", "rank", "road_name", "length_m", "people_routed"]]
      season  rank    road_name  length_m  people_routed
    0    dry     1  Jalan Poros    2000.0       4000.000
    1    dry     2  Jalan Poros    2000.0       1921.875
    2    dry     3   Jalan Desa    1000.0        671.875
    3  flood     1  Jalan Poros    2000.0       4000.000
    4  flood     2  Jalan Poros    2000.0       1968.750
    5  flood     3   Jalan Desa    1000.0        578.125
    >>> links["people_pushed_beyond_10_min"].round(1).tolist()
    [2015.6, 656.2, 140.6, 1734.4, 375.0, 46.9]

    In both seasons the 2 km of Jalan Poros the puskesmas stands on comes first:
    everybody's fastest trip (all 4,000 people) runs along it.
    """
    import dataclasses

    from .engine.flood import flood_network
    from .engine.links import DEFAULT_THRESHOLD_MIN, critical_links
    from .inputs.facilities import select
    from .pipeline import CATEGORIES

    check_choice(category, list(CATEGORIES), "category")
    thr = DEFAULT_THRESHOLD_MIN if threshold_min is None else check_number(threshold_min, "threshold_min")
    net = result.network
    cells = result.cell_table  # the populated cells as a table: no point per cell
    origins = cells.loc[cells["population"] > 0, ["population", "row", "col"]]
    if len(origins) == 0:  # a region without population figures: nobody to push out of reach
        assumptions = dict(result.assumptions)
        assumptions["notes"] = [
            *assumptions.get("notes", []),
            Note("note.no_population_links"),
        ]
        return dataclasses.replace(result, assumptions=assumptions)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)  # the run's notes already say it
        fac = select(result.facilities, category)
    fac = fac[~(fac.geometry.isna() | fac.geometry.is_empty)][["facility_id", "geometry"]]
    notes: list[str] = []
    seasons: list[tuple[str, Network, gpd.GeoDataFrame]] = [("dry", net, fac)]
    if flood_season:
        hazard = _season_hazard(result, hazard)
        if hazard is None:
            notes.append(Note("note.no_hazard_links_dry_only"))
        elif hazard is result.flood_hazard and result.flood_scenario is not None:
            # with_flood_season's flood season: the same network and closures (its
            # facilities closed in tinggi, of every category)
            sc = result.flood_scenario
            seasons.append(("flood", sc.network, fac[~fac["facility_id"].isin(sc.closed)]))
        else:
            wet, closed = flood_network(net, hazard, close_facilities=True, facilities=fac)
            seasons.append(("flood", wet, fac[~fac["facility_id"].isin(closed)]))
    if len(seasons) == 2 and len(seasons[1][2]) == 0:
        seasons.pop()
        notes.append(Note("note.flood_closes_all_links", category=category))
    col = f"people_pushed_beyond_{thr:g}_min".replace(".", "p")
    parts, info = [], {}
    for season, n, f in seasons:
        out = critical_links(n, origins, f, threshold_min=thr, top=top)
        info[season] = {k: out.attrs[k] for k in ("links", "evaluated", "exact", "baseline")}
        parts.append(out.rename(columns={"people_pushed_beyond": col}).assign(season=season))
    table = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=net.crs)
    table["road_name"] = _road_names(table, getattr(result.region, "roads", None))
    cols = ["season", "rank", "link_id", "road_name", "road_class", "length_m", col]
    cols += ["person_min_delay", "people_cut_off", "people_routed", "geometry"]
    table = table[cols].to_crs(4326)
    assumptions = dict(result.assumptions)
    assumptions["critical_links"] = {
        "method": "geoaccess.engine.links.critical_links: one road link (junction to junction) cut at "
        f"a time, exact top {top} per season by people pushed beyond {thr:g} min of the nearest "
        f"{category}, then person-minutes of delay; origins = the run's populated lattice cells",
        "flood_season": "flood_network with the default factors (tinggi cut, sedang half speed); "
        "facilities in tinggi closed",
        "seasons": info,
        "notes": notes,
    }
    return dataclasses.replace(
        result, tables={**result.tables, "critical_links": table}, assumptions=assumptions
    )


def _road_names(links: gpd.GeoDataFrame, roads: Any) -> list[str]:
    """Name of each link: the road line nearest its midpoint (``nama_ruas`` or ``name``), else ""."""
    if not isinstance(roads, gpd.GeoDataFrame) or len(links) == 0:
        return [""] * len(links)
    col = next((c for c in ("nama_ruas", "name", "nama") if c in roads.columns), None)
    if col is None:
        return [""] * len(links)
    mid = gpd.GeoDataFrame(geometry=links.geometry.interpolate(0.5, normalized=True), crs=links.crs)
    j = gpd.sjoin_nearest(mid, roads[[col, "geometry"]].to_crs(links.crs), how="left")
    j = j[~j.index.duplicated()]
    return j[col].reindex(mid.index).fillna("").astype(str).tolist()
