"""The end-to-end job: a region's data in, travel-time tables and a map out.

:func:`run_access` takes a :class:`geoaccess.datasets.Region` (or its name), builds the
hybrid network once, runs one multi-source search per facility category over the
kabupaten plus its buffer (so facilities across the border count), spreads desa
population over the lattice cells, and reports per cell, desa and kecamatan of the
kabupaten itself. :func:`write_outputs` writes the CSV tables, a self-contained Folium
map and a ``README.txt`` stating every assumption used.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ._validate import check_choice
from .exceptions import GeoAccessWarning, InputValidationError
from .network import DEFAULT_RESOLUTION_M, Network, build_network
from .settings import options
from .travel import cell_travel_time, travel_time

__all__ = ["CATEGORIES", "AccessResult", "run_access", "write_outputs"]

log = logging.getLogger(__name__)

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
        The travel-time graph.
    cells : GeoDataFrame
        One row per lattice cell in the study area (network CRS): ``population`` (0
        outside the kabupaten), ``desa_code``, and per category ``<cat>_travel_time_min``
        and ``<cat>_facility_id``.
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
        Every parameter that shaped the figures, with sources.
    """

    region: Any
    network: Network
    cells: gpd.GeoDataFrame
    desa: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    assumptions: dict[str, Any] = field(default_factory=dict)


def _weighted_mean(values: pd.Series, weights: pd.Series, groups: pd.Series) -> pd.Series:
    """Population-weighted mean per group; groups with no population get the plain mean."""
    df = pd.DataFrame({"v": values.to_numpy(), "w": weights.to_numpy(), "g": groups.to_numpy()})
    df = df[np.isfinite(df["v"])]
    df["vw"] = df["v"] * df["w"]
    s = df.groupby("g")[["vw", "w"]].sum()
    plain = df.groupby("g")["v"].mean()
    out = s["vw"] / s["w"].where(s["w"] > 0)
    return out.fillna(plain)


def run_access(
    region: Any,
    *,
    mode: str = "motorbike",
    resolution_m: float = DEFAULT_RESOLUTION_M,
    categories: Sequence[str] = tuple(CATEGORIES),
    data_dir: Any = None,
    speeds: dict[str, float] | None = None,
    offroad_speed_kph: float | None = None,
    progress: bool | None = None,
) -> AccessResult:
    """Travel time to the nearest puskesmas, inpatient puskesmas and hospital for a region.

    Parameters
    ----------
    region : Region or str
        A :class:`geoaccess.datasets.Region`, or a name for :func:`geoaccess.datasets.load`
        (e.g. ``"muara_enim"``).
    mode : {"motorbike", "car", "walk"}
        Travel mode (speeds in :mod:`geoaccess.speeds`).
    resolution_m : float
        Off-road lattice resolution (m).
    categories : sequence of str
        Facility categories to search (see :data:`CATEGORIES`).
    data_dir : path, optional
        Data directory when ``region`` is a name.
    speeds, offroad_speed_kph
        Overrides for :func:`geoaccess.build_network`.
    progress : bool, optional
        Progress bar; default ``geoaccess.options.progress``.

    Returns
    -------
    AccessResult
    """
    from tqdm.auto import tqdm

    from . import datasets
    from .facilities import select
    from .population import allocate_population

    for c in categories:
        check_choice(c, list(CATEGORIES), "categories")
    if isinstance(region, str):
        region = datasets.load(region, data_dir=data_dir)
    show = options.progress if progress is None else progress
    steps = 4 + 2 * len(categories)
    bar = tqdm(total=steps, desc=f"geoaccess {region.name}", unit="step", disable=not show)

    bar.set_postfix_str("building network")
    net = build_network(
        region.roads, mode, area=region.study_area, resolution_m=resolution_m, speeds=speeds,
        offroad_speed_kph=offroad_speed_kph,
    )
    bar.update()

    bar.set_postfix_str("population")
    cells = net.cells()
    desa = region.desa.copy()
    desa_m = desa.to_crs(net.crs)
    joined = gpd.sjoin(cells[["geometry"]], desa_m[["code", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    cells["desa_code"] = joined["code"].reindex(cells.index)
    pop_desa = desa_m[["code", "population", "geometry"]]
    if pop_desa["population"].notna().any():
        cells["population"] = allocate_population(pop_desa, cells, pop_col="population").reindex(cells.index).fillna(0.0)
    else:
        cells["population"] = 0.0
    bar.update()

    facs = region.facilities_all.copy()
    kab_geom = region.kabupaten.to_crs(facs.crs).union_all()
    facs["in_kabupaten"] = facs.geometry.within(kab_geom).fillna(False)
    kecamatan = region.kecamatan.copy()
    desa_code_to_kec = desa.set_index("code")["kecamatan_code"] if "kecamatan_code" in desa else None

    for cat in categories:
        bar.set_postfix_str(f"search: {cat}")
        dest = select(facs, cat)
        if len(dest) == 0:
            warnings.warn(
                f"no located facility in category {cat!r}; its travel times are left empty",
                GeoAccessWarning, stacklevel=2,
            )
            for frame in (cells, desa):
                frame[f"{cat}_travel_time_min"] = np.nan
                frame[f"{cat}_facility_id"] = None
            bar.update(2)
            continue
        ct = cell_travel_time(net, dest)
        cells[f"{cat}_travel_time_min"] = ct["travel_time_min"]
        cells[f"{cat}_facility_id"] = ct["facility_id"]
        bar.update()
        pt = travel_time(net, desa, dest)
        desa[f"{cat}_point_travel_time_min"] = pt["travel_time_min"]
        desa[f"{cat}_facility_id"] = pt["facility_id"]
        if "access_dist_m" not in desa:
            desa["access_dist_m"] = pt["access_dist_m"]
            desa["far_from_road"] = pt["far_from_road"]
        in_desa = cells["desa_code"].notna()
        wm = _weighted_mean(
            cells.loc[in_desa, f"{cat}_travel_time_min"], cells.loc[in_desa, "population"],
            cells.loc[in_desa, "desa_code"],
        )
        desa[f"{cat}_travel_time_min"] = desa["code"].map(wm).fillna(desa[f"{cat}_point_travel_time_min"])
        if desa_code_to_kec is not None:
            kc = cells.loc[in_desa, "desa_code"].map(desa_code_to_kec)
            km = _weighted_mean(
                cells.loc[in_desa, f"{cat}_travel_time_min"], cells.loc[in_desa, "population"], kc
            )
            kecamatan[f"{cat}_travel_time_min"] = kecamatan["code"].map(km)
        bar.update()

    # referral leg: each puskesmas to its nearest hospital
    bar.set_postfix_str("referral")
    hosp = select(facs, "hospital") if "hospital" in categories else None
    pkm_mask = facs["type"].eq("puskesmas") & ~(facs.geometry.isna() | facs.geometry.is_empty)
    if hosp is not None and len(hosp) and pkm_mask.any():
        ref = travel_time(net, facs[pkm_mask], hosp.rename(columns={"facility_id": "hospital_id"}),
                          facility_id_col="hospital_id")
        facs.loc[pkm_mask, "hospital_travel_time_min"] = ref["travel_time_min"]
        facs.loc[pkm_mask, "nearest_hospital_id"] = ref["facility_id"]
    bar.update()

    bar.set_postfix_str("kecamatan")
    if "kecamatan_code" in desa:
        pop_k = desa.groupby("kecamatan_code")["population"].sum(min_count=1)
        kecamatan["population"] = kecamatan["code"].map(pop_k)
    bar.update()
    bar.close()

    assumptions = {
        "mode": mode,
        "road_speeds_kph": net.road_speeds_kph,
        "offroad_speed_kph": net.offroad_speed_kph,
        "speed_source": "geoaccess.speeds (PP 34/2006 minimum design speeds; planning assumptions documented there)",
        "lattice_resolution_m": resolution_m,
        "buffer_km": getattr(region, "buffer_km", None),
        "network": repr(net),
        "road_repair": str(net.repair) if net.repair is not None else None,
        "n_facilities_by_category": {c: int(len(select(facs, c))) for c in categories},
        "population_column": "population (desa table joined by Kemendagri code)",
    }
    return AccessResult(region, net, cells, desa, kecamatan, facs, assumptions)


def write_outputs(result: AccessResult, out_dir: str | Path, *, map_category: str = "puskesmas") -> dict[str, Path]:
    """Write the tables, the map and the assumptions of a run to ``out_dir``.

    Returns
    -------
    dict
        ``name -> path`` of every file written.
    """
    from .maps import access_map, save_map

    if map_category not in CATEGORIES:
        raise InputValidationError(f"choose one of {list(CATEGORIES)}", argument="map_category")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    name = result.region.name

    def table(df: pd.DataFrame, stem: str) -> None:
        p = out / f"{name}_{stem}.csv"
        pd.DataFrame(df.drop(columns="geometry", errors="ignore")).to_csv(p, index=False)
        files[stem] = p

    table(result.desa, "desa")
    table(result.kecamatan, "kecamatan")
    table(result.facilities, "facilities")

    col = f"{map_category}_travel_time_min"
    m = access_map(
        result.desa, result.facilities, result.kecamatan, time_col=col,
        title=f"{name}: travel time to the {CATEGORIES[map_category]} ({result.network.mode})",
    )
    files["map"] = save_map(m, out / f"{name}_map.html")
    p = out / f"{name}_assumptions.json"
    p.write_text(json.dumps(result.assumptions, indent=2, default=str), encoding="utf-8")
    files["assumptions"] = p
    return files
