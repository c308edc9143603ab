"""The siting of a config run: the new and upgraded inpatient puskesmas its ``siting:`` asks for.

:func:`run_siting` runs the ``siting:`` section of a config checked by
:func:`geoaccess.config.load_config` on a :func:`geoaccess.run_access` result (candidates
from :func:`geoaccess.planning.candidates.plan_candidates`, then
:func:`geoaccess.site_facilities` or :func:`geoaccess.site_for_targets`, and the ranked
:func:`geoaccess.outputs.proposal.proposal_table`) into a :class:`SitingRun`;
:func:`write_siting` writes its files. :func:`geoaccess.config.run_config` calls both when
the config asks for sites; all three names are also importable from :mod:`geoaccess.config`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .exceptions import GeoAccessWarning

__all__ = ["SitingRun", "run_siting", "write_siting"]


@dataclass(frozen=True, eq=False)
class SitingRun:
    """The siting of a config run: the chosen sites, the proposal table, the candidates and
    the inpatient puskesmas kept open, and the settings used (``siting:`` of the config).

    Made by :func:`run_siting`; :func:`write_siting` writes it.

    Attributes
    ----------
    sites : GeoDataFrame
        The chosen candidates in order, from :func:`geoaccess.site_facilities` (or
        :func:`geoaccess.site_for_targets`); its ``attrs`` hold the solver's summary.
    proposal : DataFrame
        :func:`geoaccess.outputs.proposal.proposal_table` of the sites (rank, action, cost,
        people newly within the threshold).
    candidates : GeoDataFrame
        Every candidate (:func:`geoaccess.planning.candidates.plan_candidates`).
    existing : GeoDataFrame
        The inpatient puskesmas of the run, kept open.
    settings : dict
        The ``siting:`` section used.
    summary : dict
        What :func:`run_config` records as ``assumptions["siting"]`` of its result (sites,
        costs, people within the threshold before and after, where the costs came from).

    Examples
    --------
    A kabupaten built by hand (two kecamatan of 2 x 2 km with one desa each, an inpatient
    puskesmas in Barat, the hospital in Timur, one road) and a config asking for one site
    that brings the most people within 5 minutes of an inpatient puskesmas:

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region(inpatient=True)
    >>> result = ga.run_access(region, progress=False)
    >>> from geoaccess.config import load_config
    >>> cfg = load_config({"region": {"name": "contoh", "kabupaten_code": "99.01"},
    ...     "boundaries": {"kecamatan": "kecamatan.geojson"}, "facilities": {"file": "fasilitas.csv"},
    ...     "population": {"kabupaten_total": 4000}, "roads": {"file": "jalan.geojson"},
    ...     "siting": {"sites": 1, "threshold_min": 5}}, check_files=False)
    >>> run = run_siting(result, cfg["siting"])
    >>> run.candidates["candidate_id"].tolist(), run.existing["facility_id"].tolist()
    (['desa:D1', 'desa:D2'], ['P1'])
    >>> run.sites["candidate_id"].tolist(), run.settings["sites"]
    (['desa:D2'], 1.0)
    """

    sites: gpd.GeoDataFrame
    proposal: pd.DataFrame
    candidates: gpd.GeoDataFrame
    existing: gpd.GeoDataFrame
    settings: dict[str, Any]
    summary: dict[str, Any] = field(default_factory=dict)


def run_siting(res: Any, siting: Mapping[str, Any]) -> SitingRun:
    """The ``siting:`` section of a checked config, run on a result as ``geoaccess plan`` does.

    Candidates (:func:`geoaccess.planning.candidates.plan_candidates`): every desa's representative point
    (a new puskesmas, ``new_cost_idr``) and every own puskesmas not known to be inpatient
    (an upgrade, ``upgrade_cost_idr``); the inpatient puskesmas of the run stay open;
    demand is the run's populated lattice cells. ``targets: true`` uses
    :func:`~geoaccess.site_for_targets` over the kecamatan failing the inpatient target,
    else :func:`~geoaccess.site_facilities`. ``res`` is not changed: the summary is
    :attr:`SitingRun.summary`, which :func:`run_config` records as ``assumptions["siting"]``
    (so in ``<name>_assumptions.json``).

    Parameters
    ----------
    res : AccessResult
        From :func:`geoaccess.run_access` (or :func:`run_config`), with the ``inpatient``
        category.
    siting : mapping
        The ``siting:`` section of a config checked by :func:`load_config` (every key
        filled in: ``sites``, ``budget_idr``, ``targets``, ``method``, ``objective``,
        ``threshold_min``, ``new_cost_idr``, ``upgrade_cost_idr``).

    Returns
    -------
    SitingRun

    Examples
    --------
    A kabupaten built by hand (two kecamatan of 2 x 2 km with one desa each, an inpatient
    puskesmas in Barat, the hospital in Timur, one road) and a config asking for one site
    that brings the most people within 5 minutes of an inpatient puskesmas:

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region(inpatient=True)
    >>> result = ga.run_access(region, progress=False)
    >>> from geoaccess.config import load_config
    >>> cfg = load_config({"region": {"name": "contoh", "kabupaten_code": "99.01"},
    ...     "boundaries": {"kecamatan": "kecamatan.geojson"}, "facilities": {"file": "fasilitas.csv"},
    ...     "population": {"kabupaten_total": 4000}, "roads": {"file": "jalan.geojson"},
    ...     "siting": {"sites": 1, "threshold_min": 5}}, check_files=False)
    >>> run = run_siting(result, cfg["siting"])
    >>> run.proposal[["rank", "site_id", "action", "cost_idr", "people_newly_within_5_min"]]
       rank  site_id action      cost_idr  people_newly_within_5_min
    1     1  desa:D2    new  2.400000e+09                   1171.875
    >>> summary = run.summary
    >>> summary["people_within_before"], summary["people_within_after"]
    (828.125, 2000.0)

    The people are spread over the 64 cells of 250 m of each desa: 1,000 / 64 = 15.625
    a cell in Barat, 3,000 / 64 = 46.875 in Timur. 53 cells of Barat are within 5
    minutes of P1 (828.125 people); a new puskesmas in Desa Timur brings 25 cells of
    Timur within 5 minutes: 25 x 46.875 = 1,171.875 people (Rp 2.4 miliar, the default
    cost of a new one).
    """
    from .outputs.proposal import proposal_table
    from .planning.candidates import plan_candidates
    from .planning.siting import site_facilities, site_for_targets

    cand, existing = plan_candidates(res)
    people = res.cell_table[res.cell_table["population"] > 0]
    origins = res.network.as_cell_points(people)  # points of the populated cells only
    k = siting.get("sites")
    kw: dict[str, Any] = {
        "k": int(k) if k is not None else None,
        "budget": siting.get("budget_idr"),
        "candidate_id_col": "candidate_id",
        "method": siting["method"],
        "objective": siting["objective"],
        "threshold_min": float(siting["threshold_min"]),
        "new_cost_idr": float(siting["new_cost_idr"]),
        "upgrade_cost_idr": float(siting["upgrade_cost_idr"]),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)  # data notes: already in the run's notes
        if siting.get("targets"):
            tg = res.tables.get("targets")
            groups = (
                tg.loc[tg["meets_inpatient_target"].eq(False), "code"].tolist() if tg is not None else None
            )
            sites = site_for_targets(
                res.network, origins, existing, cand, group_col="kecamatan_code", groups=groups, **kw
            )
        else:
            sites = site_facilities(res.network, origins, existing, cand, **kw)
    prop = proposal_table(sites, kecamatan=res.kecamatan, id_col="candidate_id")
    a = sites.attrs
    summary = {
        "settings": dict(siting),
        "candidates": {
            "new": int((cand["kind"] == "new").sum()),
            "upgrade": int((cand["kind"] == "upgrade").sum()),
        },
        "sites": len(prop),
        "sites_new": int((prop["action"] == "new").sum()) if "action" in prop else None,
        "sites_upgrade": int((prop["action"] != "new").sum()) if "action" in prop else None,
        "cost_idr": float(prop["cost_idr"].sum()) if "cost_idr" in prop else 0.0,
        "people_within_before": a.get("people_within_before"),
        "people_within_after": a.get("people_within_after"),
        "gap": a.get("gap"),
        "solver_status": str(a.get("solver_status", "")),
        "cost_source": a.get("cost_source"),
        "target_cost_idr": a.get("target_cost_idr"),
        "target_groups_without_candidate": a.get("target_groups_without_candidate"),
    }
    return SitingRun(sites, prop, cand, existing, dict(siting), summary)


def write_siting(res: Any, run: SitingRun, out: Path, name: str, language: str) -> dict[str, Path]:
    """The siting files of a config run in ``out``: ``<name>_proposal.csv`` / ``.xlsx`` (labels in
    ``language``), ``<name>_budget_curve.png`` and ``<name>_proposal_map.html`` (the desa by
    travel time to the nearest inpatient puskesmas, with the proposed sites in order).

    Parameters
    ----------
    res : AccessResult
        The run the siting was made on.
    run : SitingRun
        From :func:`run_siting`.
    out : Path
        An existing folder to write into.
    name : str
        File name prefix (the config's ``region.name``).
    language : {"id", "en"}
        Language of the labels, titles and map.

    Returns
    -------
    dict
        ``key -> path`` of every file written: ``proposal_csv``, ``proposal_xlsx``,
        ``budget_curve``, ``proposal_map``.

    Examples
    --------
    A kabupaten built by hand (two kecamatan of 2 x 2 km with one desa each, an inpatient
    puskesmas in Barat, the hospital in Timur, one road) and a config asking for one site
    that brings the most people within 5 minutes of an inpatient puskesmas:

    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> region = example_region(inpatient=True)
    >>> result = ga.run_access(region, progress=False)
    >>> from geoaccess.config import load_config
    >>> cfg = load_config({"region": {"name": "contoh", "kabupaten_code": "99.01"},
    ...     "boundaries": {"kecamatan": "kecamatan.geojson"}, "facilities": {"file": "fasilitas.csv"},
    ...     "population": {"kabupaten_total": 4000}, "roads": {"file": "jalan.geojson"},
    ...     "siting": {"sites": 1, "threshold_min": 5}}, check_files=False)
    >>> import tempfile
    >>> from pathlib import Path
    >>> run = run_siting(result, cfg["siting"])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = write_siting(result, run, Path(folder), "contoh", "id")
    ...     print(sorted(path.name for path in Path(folder).iterdir()))
    ['contoh_budget_curve.png', 'contoh_proposal.csv', 'contoh_proposal.xlsx', 'contoh_proposal_map.html']
    >>> sorted(files)
    ['budget_curve', 'proposal_csv', 'proposal_map', 'proposal_xlsx']
    """
    from .outputs.proposal import write_proposal

    return write_proposal(
        res,
        run.sites,
        run.proposal,
        out,
        name,
        existing=run.existing,
        budget_idr=run.settings.get("budget_idr"),
        language=language,
    )
