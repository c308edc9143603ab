"""Runs from a YAML config file: ``geoaccess init`` and ``geoaccess run CONFIG.yaml``.

A config file names the data of one kabupaten or kota (boundaries, facilities, population,
roads, optional barriers / waterways / hazard layers), the travel settings and the output
folder. :func:`load_config` reads and checks it **before any work**, listing every problem at
once in one :class:`ConfigError` (unknown keys with a "did you mean", missing files, wrong
types, values out of range). :func:`build_region` turns it into a
:class:`geoaccess.inputs.datasets.Region`; :func:`run_config` runs
:func:`geoaccess.run_access` and :func:`geoaccess.write_outputs` and copies the config into the
outputs (``<name>_config.yaml``) with the package version and the SHA-256 checksum of every
data file used, so the same run can be repeated next year and compared: when a config copy
is run again, data files whose checksum changed are listed in the run's notes.

Relative paths in a config file are read relative to the folder of the config file.

Examples
--------
>>> cfg = load_config(template_dict(data_dir=None), check_files=False)
>>> cfg["analysis"]["mode"], cfg["analysis"]["resolution_m"]
('motorbike', 250.0)
>>> try:
...     load_config({"region": {"nmae": "x"}, "analysis": {"resolution_m": -5}}, check_files=False)
... except ConfigError as e:
...     print(len(e.problems) >= 3, "did you mean 'name'" in str(e))
True True
"""

from __future__ import annotations

import copy
import datetime as _dt
import difflib
import inspect
import logging
import math
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ._files import file_sha256
from .exceptions import DataNotFoundError, GeoAccessWarning, InputValidationError
from .inputs.datasets import Region
from .notes import Note, warning_note
from .planning.siting import DEFAULT_THRESHOLD_MIN, NEW_PUSKESMAS_COST_IDR, UPGRADE_COST_IDR
from .siting_run import SitingRun, run_siting, write_siting  # re-exported: config runs make them

__all__ = [
    "SCHEMA",
    "ConfigError",
    "SitingRun",
    "build_region",
    "data_files",
    "file_checksums",
    "load_config",
    "read_hazard",
    "run_config",
    "run_siting",
    "siting_wanted",
    "template_dict",
    "write_siting",
    "write_template",
]

log = logging.getLogger(__name__)


class ConfigError(InputValidationError):
    """A config file cannot be used; ``problems`` lists every problem found, each with its key."""


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Field:
    """One config key: its kind, default and bounds.

    kind: ``str``, ``name`` (file-name safe), ``code`` (Kemendagri code), ``path`` (an
    existing file), ``outdir``, ``number``, ``bool``, ``choice``, ``choices`` (a list of
    choices), ``speeds`` ({road class: km/h}), ``mapping`` ({str: str}), ``weights``
    (None, "roads" or a raster path), ``total`` (a number of people, or the name of a
    column of the kabupaten boundary layer), ``any``.
    """

    kind: str
    default: Any = None
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    choices: tuple[Any, ...] = ()
    help: str = ""


def _modes() -> tuple[str, ...]:
    from .engine.speeds import MODES

    return tuple(MODES)


def _categories() -> tuple[str, ...]:
    from .pipeline import CATEGORIES

    return tuple(CATEGORIES)


#: Every key a config file may hold: section -> key -> :class:`Field`. ``language`` and
#: ``provenance`` are top-level keys (``provenance`` is written into the config copy of a run
#: and read back when that copy is run again).
#:
#: :meta hide-value:
SCHEMA: dict[str, dict[str, Field]] = {
    "region": {
        "name": Field("name", required=True, help="start of every output file name"),
        "title": Field("str", help="title of maps and summaries, e.g. 'Kabupaten Lahat'"),
        "kabupaten_code": Field("code", required=True, help="Kemendagri code, e.g. '16.04'"),
        "buffer_km": Field("number", 25.0, lo=0.0, hi=200.0),
    },
    "boundaries": {
        "kecamatan": Field("path", required=True),
        "desa": Field("path"),
        "kabupaten": Field("path"),
        "kabupaten_code_column": Field("str", "kabupaten_code"),
        "kecamatan_code_column": Field("str", "kecamatan_code"),
    },
    "facilities": {
        "file": Field("path", required=True),
        "kabupaten_column": Field("str"),
        "types": Field("choices", None, choices=("puskesmas", "pustu", "posyandu", "klinik", "rs")),
        "type_column": Field("str", "type"),
        "inpatient_rule": Field("choice", None, choices=(None, "pkm_code_digit")),
        "neighbours": Field("bool", True),
        "relocate": Field("choice", "kecamatan", choices=("kecamatan", "desa", None)),
    },
    "population": {
        "table": Field("path"),
        "code_column": Field("str", "code"),
        "population_column": Field("str", "population"),
        "level": Field("choice", None, choices=(None, "desa", "kecamatan")),
        "raster": Field("path"),
        "raster_nodata": Field("number"),
        "kabupaten_total": Field("total", lo=0.0),
    },
    "roads": {
        "file": Field("path"),
        "from_osm": Field("bool", False),
        "osm_network_type": Field("choice", "all", choices=("all", "drive", "walk", "bike", "drive_service")),
        "class_column": Field("str"),
        "default_class": Field(
            "choice", None, choices=(None, "arteri", "kolektor", "lokal", "lingkungan", "setapak")
        ),
        "class_mapping": Field("mapping"),
    },
    "layers": {
        "barriers": Field("path"),
        "waterways": Field("path", help="navigable river lines (boats); see analysis.boat_*"),
        "landings": Field("path", help="landings (dermaga), points: the only places to board"),
        "hazard": Field("path", help="flood hazard: polygons (.gpkg .shp .geojson) or a GeoTIFF"),
        "hazard_column": Field("str", help="column of the hazard polygons (class, depth or index)"),
        "hazard_kind": Field("choice", None, choices=(None, "class", "depth_m", "index")),
    },
    "analysis": {
        "mode": Field("choice", "motorbike", choices=("motorbike", "car", "walk")),
        "referral_mode": Field("choice", "car", choices=("car", "motorbike", "walk")),
        "resolution_m": Field("number", 250.0, lo=25.0, hi=5000.0),
        "categories": Field("choices", ["puskesmas", "inpatient", "hospital"], choices=()),
        "speeds_kph": Field("speeds"),
        "offroad_speed_kph": Field("number", lo=0.0, hi=30.0),
        "referral_speeds_kph": Field("speeds"),
        "referral_offroad_speed_kph": Field("number", lo=0.0, hi=30.0),
        "max_speed_kph": Field("number", lo=1.0, hi=300.0),
        "fca_threshold_min": Field("number", 60.0, lo=1.0, hi=1440.0),
        "population_weights_by": Field("weights"),
        "memory_check": Field("bool", True),
        "boat_speed_kph": Field("number", lo=0.5, hi=80.0, help="default 8 (ketek)"),
        "landing_wait_min": Field("number", lo=0.0, hi=1440.0, help="default 15"),
        "boat_fare_idr": Field("number", lo=0.0, hi=10_000_000.0, help="per boarding; reported only"),
    },
    "outputs": {
        "folder": Field("outdir", "geoaccess-output"),
        "map_category": Field("choice", "puskesmas", choices=()),
        "flood_season": Field("bool", True, help="flood-season access tables (geoaccess.with_flood_season)"),
        "critical_links": Field("bool", True, help="critical road links, dry and flood season"),
    },
    # where to build or upgrade inpatient puskesmas (as `geoaccess plan`): runs when
    # budget_idr, sites or targets is given; defaults from geoaccess.planning.siting
    "siting": {
        "budget_idr": Field("number", lo=0.0, hi=1e15, help="budget in rupiah"),
        "sites": Field("number", lo=1.0, hi=10_000.0, help="at most this many sites"),
        "targets": Field("bool", False, help="first an inpatient puskesmas in every kecamatan without one"),
        "new_cost_idr": Field("number", NEW_PUSKESMAS_COST_IDR, lo=1.0, hi=1e13),
        "upgrade_cost_idr": Field("number", UPGRADE_COST_IDR, lo=1.0, hi=1e13),
        "objective": Field("choice", "coverage", choices=("coverage", "median")),
        "threshold_min": Field("number", DEFAULT_THRESHOLD_MIN, lo=1.0, hi=1440.0),
        "method": Field("choice", "exact", choices=("exact", "greedy")),
    },
}
_TOP_LEVEL: dict[str, Field] = {
    "language": Field("choice", "id", choices=("id", "en")),
    "provenance": Field("any"),
}
_PATH_KEYS: tuple[tuple[str, str], ...] = tuple(
    (s, k) for s, keys in SCHEMA.items() for k, f in keys.items() if f.kind in ("path", "outdir")
)


def _did_you_mean(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _check_value(where: str, f: Field, v: Any, base: Path, check_files: bool, problems: list[str]) -> Any:
    """The value of one key, checked (paths made absolute); problems appended."""
    if v is None:
        if f.required:
            problems.append(f"{where}: required, missing")
        return None
    kind = f.kind
    if kind in ("str", "name", "code"):
        if not isinstance(v, str) or not v.strip():
            quote = (
                ' (write codes in quotes, e.g. "16.04": a number loses its trailing zero)'
                if kind == "code"
                else ""
            )
            problems.append(f"{where}: expected text, got {v!r} ({type(v).__name__}){quote}")
            return None
        if kind == "name" and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", v):
            problems.append(f"{where}: {v!r} cannot start a file name; use letters, digits, '_', '-' or '.'")
        if kind == "code" and not re.fullmatch(r"\d{2}\.\d{2}", v.strip()):
            problems.append(
                f"{where}: expected a Kemendagri kabupaten code written as text, e.g. '16.04', got {v!r}"
            )
        return v.strip() if kind == "code" else v
    if kind in ("path", "outdir"):
        if not isinstance(v, str | os.PathLike) or not str(v).strip():
            problems.append(f"{where}: expected a file path, got {v!r} ({type(v).__name__})")
            return None
        p = Path(os.path.expanduser(str(v)))
        p = p if p.is_absolute() else (base / p)
        p = Path(os.path.normpath(p))
        if kind == "path" and check_files and not p.exists():
            problems.append(f"{where}: file not found: {p}")
        return str(p)
    if kind == "number":
        if not _is_number(v) or not math.isfinite(float(v)):
            problems.append(f"{where}: expected a number, got {v!r} ({type(v).__name__})")
            return None
        if (f.lo is not None and v < f.lo) or (f.hi is not None and v > f.hi):
            rng = f"{f.lo:g} to {f.hi:g}" if f.hi is not None else f"at least {f.lo:g}"
            problems.append(f"{where}: {v} is out of range; expected {rng}")
        return float(v)
    if kind == "bool":
        if not isinstance(v, bool):
            problems.append(f"{where}: expected true or false, got {v!r} ({type(v).__name__})")
            return None
        return v
    if kind == "choice":
        if v not in f.choices:
            shown = ", ".join("null" if c is None else repr(c) for c in f.choices)
            close = difflib.get_close_matches(
                str(v), [c for c in f.choices if isinstance(c, str)], n=1, cutoff=0.6
            )
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(f"{where}: {v!r} is not one of {shown}{hint}")
            return None
        return v
    if kind == "choices":
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not v:
            problems.append(
                f"{where}: expected a list, e.g. [{', '.join(map(repr, f.choices[:2]))}], got {v!r}"
            )
            return None
        bad = [x for x in v if x not in f.choices]
        if bad:
            hints = "".join(_did_you_mean(str(b), list(f.choices)) for b in bad if isinstance(b, str))
            problems.append(f"{where}: unknown value(s) {bad}; expected some of {list(f.choices)}{hints}")
        return list(v)
    if kind == "speeds":
        from .engine.speeds import ROAD_CLASSES

        if not isinstance(v, dict):
            problems.append(f"{where}: expected {{road class: km/h}}, e.g. {{arteri: 45}}, got {v!r}")
            return None
        for k, s in v.items():
            if k not in ROAD_CLASSES:
                problems.append(
                    f"{where}: unknown road class {k!r}{_did_you_mean(str(k), list(ROAD_CLASSES))}"
                )
            if not _is_number(s) or not math.isfinite(float(s)) or s < 0 or s > 300:
                problems.append(f"{where}.{k}: expected km/h from 0 to 300, got {s!r}")
        return dict(v)
    if kind == "mapping":
        if not isinstance(v, dict) or not all(
            isinstance(a, str) and isinstance(b, str) for a, b in v.items()
        ):
            problems.append(f"{where}: expected {{label in your file: road class}}, got {v!r}")
            return None
        return dict(v)
    if kind == "weights":
        if v == "roads":
            return v
        return _check_value(where, Field("path"), v, base, check_files, problems)
    if kind == "total":
        if isinstance(v, str) and v.strip():
            return v  # a column of the kabupaten boundary layer
        if not _is_number(v) or not math.isfinite(float(v)) or v <= 0:
            problems.append(
                f"{where}: expected a number of people > 0, or the name of a column of the "
                f"kabupaten boundary layer that holds it (e.g. population), got {v!r}"
            )
            return None
        return float(v)
    return v  # any


def load_config(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    check_files: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Read and check a config: every problem is listed at once in one :class:`ConfigError`.

    Parameters
    ----------
    source : path or mapping
        A YAML file, or the parsed mapping.
    check_files : bool, default True
        Check that every data file exists.
    base_dir : path, optional
        Folder relative paths are read from; default the folder of the file (or the
        current folder for a mapping).

    Returns
    -------
    dict
        The config with every default filled in and every path absolute (``_source`` is
        the config file, or None).

    Raises
    ------
    ConfigError
        Unknown keys (with a "did you mean"), missing required keys or files, wrong types,
        values out of range, contradicting keys; ``problems`` lists them.
    DataNotFoundError
        The config file itself does not exist.

    Examples
    --------
    >>> cfg = load_config({"region": {"name": "lahat", "kabupaten_code": "16.04"},
    ...                    "boundaries": {"kecamatan": "kec.geojson"},
    ...                    "facilities": {"file": "fas.csv"},
    ...                    "population": {"kabupaten_total": 448141},
    ...                    "roads": {"file": "jalan.shp"}}, check_files=False)
    >>> cfg["outputs"]["map_category"], cfg["language"]
    ('puskesmas', 'id')
    """
    import yaml

    where = "config"
    path: Path | None = None
    if isinstance(source, Mapping):
        raw: Any = copy.deepcopy(dict(source))
    else:
        path = Path(source)
        where = str(path)
        if not path.is_file():
            raise DataNotFoundError(
                f"config file not found: {path}"
                + (" (it is a folder)" if path.is_dir() else "")
                + "; write one with: geoaccess init "
                + str(path)
            )
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            problem = getattr(e, "problem", None) or str(e).splitlines()[0]
            raise ConfigError([f"not valid YAML{at}: {problem}"], argument=where) from None
        except UnicodeDecodeError:
            raise ConfigError(["not a text file (save it as UTF-8)"], argument=where) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(
            [f"expected sections such as 'region:' and 'boundaries:', got {type(raw).__name__}"],
            argument=where,
        )
    base = Path(base_dir) if base_dir is not None else (path.parent if path is not None else Path.cwd())
    base = base.resolve()
    problems: list[str] = []
    known_top = [*SCHEMA, *_TOP_LEVEL]
    out: dict[str, Any] = {}
    for key in raw:
        if key not in known_top:
            problems.append(f"unknown key {key!r}{_did_you_mean(str(key), known_top)}")
    for section, keys in SCHEMA.items():
        given = raw.get(section)
        if given is None:
            given = {}
        if not isinstance(given, dict):
            problems.append(f"{section}: expected a section of 'key: value' lines, got {given!r}")
            given = {}
        for key in given:
            if key not in keys:
                problems.append(f"{section}: unknown key {key!r}{_did_you_mean(str(key), list(keys))}")
        sec: dict[str, Any] = {}
        for key, f in keys.items():
            fx = f
            if section == "analysis" and key == "categories":
                fx = Field("choices", f.default, choices=_categories())
            if section == "outputs" and key == "map_category":
                fx = Field("choice", f.default, choices=(*_categories(), "referral"))
            v = given.get(key, copy.deepcopy(f.default))
            sec[key] = _check_value(f"{section}.{key}", fx, v, base, check_files, problems)
        out[section] = sec
    for key, f in _TOP_LEVEL.items():
        out[key] = _check_value(key, f, raw.get(key, f.default), base, check_files, problems)
    _cross_checks(out, problems)
    if problems:
        raise ConfigError(problems, argument=where)
    out["_source"] = str(path.resolve()) if path is not None else None
    return out


def _cross_checks(cfg: dict[str, Any], problems: list[str]) -> None:
    pop, roads, fac, an = cfg["population"], cfg["roads"], cfg["facilities"], cfg["analysis"]
    given = [k for k in ("table", "raster", "kabupaten_total") if pop.get(k) is not None]
    if len(given) != 1:
        problems.append(
            "population: give exactly one of 'table' (desa or kecamatan figures), 'raster' "
            "(a persons-per-cell GeoTIFF) or 'kabupaten_total' (spread over the area: the crude "
            f"fallback), got {given or 'none'}"
        )
    if isinstance(pop.get("kabupaten_total"), str) and cfg["boundaries"].get("kabupaten") is None:
        problems.append(
            f"population.kabupaten_total: {pop['kabupaten_total']!r} names a column of the kabupaten "
            "boundary layer, but boundaries.kabupaten is not given"
        )
    if (roads.get("file") is None) == (not roads.get("from_osm")):
        problems.append(
            "roads: give either 'file' (a road layer) or 'from_osm: true' (download OpenStreetMap "
            "roads; needs the internet)" + (", not both" if roads.get("file") is not None else "")
        )
    if fac.get("relocate") == "desa" and cfg["boundaries"].get("desa") is None:
        problems.append("facilities.relocate: 'desa' needs boundaries.desa")
    if pop.get("level") == "desa" and cfg["boundaries"].get("desa") is None:
        problems.append("population.level: 'desa' needs boundaries.desa")
    if cfg["layers"].get("waterways") is None:
        boats = ["layers.landings"] if cfg["layers"].get("landings") is not None else []
        boats += [
            f"analysis.{k}"
            for k in ("boat_speed_kph", "landing_wait_min", "boat_fare_idr")
            if an.get(k) is not None
        ]
        if boats:
            problems.append(f"{', '.join(boats)}: boat settings need layers.waterways (the navigable rivers)")
    lay = cfg["layers"]
    if lay.get("hazard") is None:
        extra = [f"layers.{k}" for k in ("hazard_column", "hazard_kind") if lay.get(k) is not None]
        if extra:
            problems.append(f"{', '.join(extra)}: need layers.hazard (the hazard file)")
    elif _is_raster(lay["hazard"]):
        if lay.get("hazard_column") is not None:
            problems.append(
                "layers.hazard_column: a raster has no column (say hazard_kind: index or depth_m)"
            )
        if lay.get("hazard_kind") == "class":
            problems.append(
                "layers.hazard_kind: a raster holds an index (0-1) or a depth in metres, not a class"
            )
    cats = an.get("categories") or []
    mc = cfg["outputs"].get("map_category")
    if mc is not None and cats and mc not in cats and not (mc == "referral" and "puskesmas" in cats):
        problems.append(f"outputs.map_category: {mc!r} is not among analysis.categories {cats}")
    _siting_checks(cfg, problems)
    from .engine.speeds import MAX_OFFROAD_SPEED_KPH, MAX_ROAD_SPEED_KPH

    bound = an.get("max_speed_kph")
    for key, mode_key in (("speeds_kph", "mode"), ("referral_speeds_kph", "referral_mode")):
        mode = an.get(mode_key)
        if mode is None:  # the mode itself is wrong: already listed
            continue
        for cls, v in (an.get(key) or {}).items():
            hi = bound or MAX_ROAD_SPEED_KPH.get(mode or "", 300.0)
            if _is_number(v) and v > hi:
                problems.append(
                    f"analysis.{key}.{cls}: {v} km/h is above the {mode} bound {hi:g} km/h "
                    "(a typo? raise analysis.max_speed_kph if it is real)"
                )
    for key, mode_key in (("offroad_speed_kph", "mode"), ("referral_offroad_speed_kph", "referral_mode")):
        v, mode = an.get(key), an.get(mode_key)
        if mode is None:
            continue
        hi = bound or MAX_OFFROAD_SPEED_KPH.get(mode or "", 30.0)
        if _is_number(v) and v > hi:
            problems.append(f"analysis.{key}: {v} km/h is above the off-road {mode} bound {hi:g} km/h")


def siting_wanted(cfg: dict[str, Any]) -> bool:
    """Whether a checked config asks for the siting (``budget_idr``, ``sites`` or ``targets``).

    Parameters
    ----------
    cfg : dict
        A config checked by :func:`load_config`.

    Returns
    -------
    bool
        True when its ``siting:`` section gives ``budget_idr`` or ``sites``, or sets
        ``targets: true``; then :func:`run_config` also runs :func:`run_siting`.

    Examples
    --------
    >>> cfg = load_config({"region": {"name": "contoh", "kabupaten_code": "99.01"},
    ...     "boundaries": {"kecamatan": "kecamatan.geojson"}, "facilities": {"file": "fasilitas.csv"},
    ...     "population": {"kabupaten_total": 4000}, "roads": {"file": "jalan.geojson"},
    ...     "siting": {"sites": 1, "threshold_min": 5}}, check_files=False)
    >>> siting_wanted(cfg)
    True
    >>> del cfg["siting"]["sites"]  # the defaults alone (costs, objective) ask for nothing
    >>> siting_wanted(cfg)
    False
    """
    st = cfg.get("siting") or {}
    return st.get("budget_idr") is not None or st.get("sites") is not None or bool(st.get("targets"))


def _siting_checks(cfg: dict[str, Any], problems: list[str]) -> None:
    st = cfg.get("siting") or {}
    k = st.get("sites")
    if isinstance(k, int | float) and not isinstance(k, bool) and math.isfinite(k) and k != int(k):
        problems.append(f"siting.sites: expected a whole number of sites, got {k}")
    for key, eg in (("new_cost_idr", "2400000000 for Rp 2.4"), ("upgrade_cost_idr", "1000000000 for Rp 1")):
        v = st.get(key)
        # miliar (as geoaccess plan --budget) written for rupiah
        if isinstance(v, int | float) and not isinstance(v, bool) and 0 < v < 1e6:
            problems.append(
                f"siting.{key}: {v:g} rupiah is less than Rp 1 juta; write the cost in rupiah, "
                f"e.g. {eg} miliar"
            )
    if not siting_wanted(cfg):
        return
    cats = cfg["analysis"].get("categories") or []
    if cats and "inpatient" not in cats:
        problems.append(
            "siting: proposes inpatient puskesmas, so analysis.categories must include 'inpatient' "
            f"(the existing ones are kept open), got {cats}"
        )
    if st.get("budget_idr") is not None and 0 < st["budget_idr"] < 1e6:
        problems.append(
            f"siting.budget_idr: {st['budget_idr']:g} rupiah is less than Rp 1 juta; write the budget in "
            "rupiah, e.g. 10000000000 for Rp 10 miliar"
        )


#: File endings read as a raster (a hazard GeoTIFF); every other file is a vector layer.
_RASTER_SUFFIXES = (".tif", ".tiff", ".vrt", ".img", ".asc")


def _is_raster(path: str) -> bool:
    return Path(path).suffix.lower() in _RASTER_SUFFIXES


def read_hazard(cfg: dict[str, Any]) -> gpd.GeoDataFrame | None:
    """The standard hazard layer of ``layers.hazard`` (None when not given).

    A GeoTIFF goes through :func:`geoaccess.analysis.flood.hazard_from_raster`
    (``hazard_kind`` index, the default, or depth_m); polygons through
    :func:`~geoaccess.analysis.flood.hazard_from_polygons`, with the value in
    ``hazard_column`` (default ``hazard_class``) read as ``hazard_kind`` (class, the
    default; depth_m; index).

    Parameters
    ----------
    cfg : dict
        A checked config (:func:`load_config`).

    Returns
    -------
    GeoDataFrame or None

    Raises
    ------
    ConfigError
        The column is missing (with a "did you mean").

    Examples
    --------
    >>> import tempfile, geopandas as gpd, shapely
    >>> path = tempfile.mkdtemp() + "/banjir.geojson"
    >>> gpd.GeoDataFrame({"KELAS": ["Tinggi", "sedang"]}, crs="EPSG:32748", geometry=[
    ...     shapely.box(400000, 9590000, 401000, 9591000),
    ...     shapely.box(401000, 9590000, 402000, 9591000)]).to_file(path)
    >>> list(read_hazard({"layers": {"hazard": path, "hazard_column": "KELAS"}})["hazard_class"])
    ['tinggi', 'sedang']
    >>> read_hazard({"layers": {"hazard": None}}) is None
    True
    """
    from .analysis.flood import hazard_from_polygons, hazard_from_raster

    lay = cfg["layers"]
    path = lay.get("hazard")
    if path is None:
        return None
    kind = lay.get("hazard_kind")
    if _is_raster(path):
        return hazard_from_raster(path, kind or "index")
    gdf = _read_vector(path)
    col = lay.get("hazard_column") or "hazard_class"
    if col not in gdf.columns:
        cols = [str(c) for c in gdf.columns if c != "geometry"]
        raise ConfigError(
            [f"layers.hazard_column: {path} has no column {col!r}{_did_you_mean(col, cols)}"],
            argument="layers.hazard",
        )
    kind = kind or "class"
    if kind == "depth_m":
        return hazard_from_polygons(gdf, depth_col=col)
    if kind == "index":
        return hazard_from_polygons(gdf, index_col=col)
    return hazard_from_polygons(gdf, class_col=col)


# --------------------------------------------------------------------------- template


def template_dict(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The values of the template: Kabupaten Ogan Ilir (16.10) from the national files.

    With ``data_dir`` the paths point into that shared data directory; without it they are
    the placeholders of the template (relative paths).

    Parameters
    ----------
    data_dir : path, optional
        The shared data directory.

    Returns
    -------
    dict
        The template's sections and values (what :func:`write_template` writes, without
        the comments).

    Examples
    --------
    >>> template = template_dict()
    >>> template["region"]["name"], template["analysis"]["mode"], template["language"]
    ('ogan_ilir', 'motorbike', 'id')
    """
    d = Path(data_dir) if data_dir is not None else Path("data")
    return {
        "region": {
            "name": "ogan_ilir",
            "title": "Kabupaten Ogan Ilir",
            "kabupaten_code": "16.10",
            "buffer_km": 25.0,
        },
        "boundaries": {
            "kecamatan": str(d / "indonesia/kecamatan.geojson"),
            "desa": None,
            "kabupaten": str(d / "indonesia/kabupaten.geojson"),
            "kabupaten_code_column": "kabupaten_code",
            "kecamatan_code_column": "kecamatan_code",
        },
        "facilities": {
            "file": str(d / "indonesia/facilities.csv"),
            "kabupaten_column": "kab_code",
            "types": ["puskesmas", "rs"],
            "type_column": "type",
            "inpatient_rule": "pkm_code_digit",
            "neighbours": True,
            "relocate": "kecamatan",
        },
        "population": {"kabupaten_total": "population"},
        "roads": {
            "file": str(d / "roads/sumsel_national/jalanSumsel.shp"),
            "from_osm": False,
            "osm_network_type": "all",
            "default_class": "arteri",
        },
        "layers": {
            "barriers": None,
            "waterways": None,
            "landings": None,
            "hazard": None,
            "hazard_column": None,
            "hazard_kind": None,
        },
        "analysis": {
            "mode": "motorbike",
            "referral_mode": "car",
            "resolution_m": 250,
            "categories": ["puskesmas", "inpatient", "hospital"],
            "speeds_kph": None,
            "offroad_speed_kph": None,
            "referral_speeds_kph": None,
            "referral_offroad_speed_kph": None,
            "max_speed_kph": None,
            "fca_threshold_min": 60,
            "population_weights_by": None,
            "memory_check": True,
        },
        "outputs": {
            "folder": "geoaccess-output",
            "map_category": "puskesmas",
            "flood_season": True,
            "critical_links": True,
        },
        "siting": {
            "budget_idr": None,
            "sites": None,
            "targets": False,
            "new_cost_idr": NEW_PUSKESMAS_COST_IDR,
            "upgrade_cost_idr": UPGRADE_COST_IDR,
            "objective": "coverage",
            "threshold_min": DEFAULT_THRESHOLD_MIN,
            "method": "exact",
        },
        "language": "id",
    }


_TEMPLATE = """\
# geoaccess run configuration: travel time to puskesmas and hospitals for one kabupaten/kota.
# Run it with:  geoaccess run {filename}
# Relative paths are read from the folder of this file. Every problem is listed at once
# before anything is computed. 'null' means: not given.
# The example below is Kabupaten Ogan Ilir (16.10), assembled from the national files of
# the shared data directory; put your own files and code in their place.

region:
  name: {name}                  # start of every output file name (letters, digits, _ - .)
  title: {title}     # title of maps and summaries
  kabupaten_code: "{code}"           # Kemendagri code, as text ("16.04", not 16.04)
  buffer_km: 25                     # facilities and roads this far across the border count too

boundaries:
  # kecamatan polygons (required). A national or provincial file is fine: only rows whose
  # kabupaten_code_column equals region.kabupaten_code are kept.
  kecamatan: {kecamatan}
  # desa/kelurahan polygons (optional). Without them each kecamatan stands in for a desa,
  # and the "desa" tables are per kecamatan.
  desa: null
  # kabupaten polygon (optional; default: the union of the kecamatan). Filtered by its code.
  kabupaten: {kabupaten}
  kabupaten_code_column: kabupaten_code   # column of the kecamatan/desa files with the kabupaten code
  kecamatan_code_column: kecamatan_code   # column of the desa file with the kecamatan code

facilities:
  file: {facilities}   # CSV: facility_id, name, type, lat, lon (+ inpatient, staff)
  kabupaten_column: kab_code        # column with the kabupaten code (1610 or 16.10); null = every row is own
  types: [puskesmas, rs]            # keep these types (null = all): puskesmas, pustu, posyandu, klinik, rs
  type_column: type
  inpatient_rule: pkm_code_digit    # null, or pkm_code_digit (Kemenkes code digit 1 = rawat inap; unverified)
  neighbours: true                  # facilities of other kabupaten within buffer_km (needs kabupaten_column)
  relocate: kecamatan               # facilities without a usable coordinate: kecamatan, desa or null

population:
  # Exactly one of table, raster, kabupaten_total.
  # table: penduduk_desa.csv        # desa (or kecamatan) figures, joined on code_column
  # code_column: code
  # population_column: population
  # level: desa                     # the units the table's codes name: desa or kecamatan
  # raster: worldpop.tif            # persons per cell (WorldPop, GHSL); summed per unit
  # raster_nodata: null
  # kabupaten_total: 446020         # CRUDE FALLBACK: one total spread over the units by area;
  kabupaten_total: population       # ... or the column of the kabupaten file that holds it

roads:
  file: {roads}
  from_osm: false                   # true (and no file): download OpenStreetMap roads (needs the internet)
  osm_network_type: all             # with from_osm, OSM roads taken: all, drive, walk, bike, drive_service
  default_class: arteri             # class of lines without one: arteri, kolektor, lokal, lingkungan, setapak
  # class_column: REMARK            # column with the road class (found automatically if null)
  # class_mapping: {{"Jalan Tanah": setapak}}

layers:
  barriers: null                    # rivers and lakes the off-road grid may not cross (polygons or lines)
  waterways: null                   # navigable rivers and canals (lines): boats run on them; also list
                                    # them under barriers so the off-road grid cannot cross them
  landings: null                    # landings / dermaga (points): the only places to board a boat;
                                    # null = anywhere a river line passes a passable grid cell
  # flood hazard (optional; without it the desa flood_hazard_index is used when the desa
  # layer has one): polygons (.gpkg, .shp, .geojson) with a class, depth or index column,
  # or a GeoTIFF (InaRISK-like index 0-1, or water depth in metres). It feeds the flood
  # exposure tables, the map, the flood season and the critical links.
  hazard: null
  hazard_column: null               # column of the polygons (null = hazard_class); rasters: null
  hazard_kind: null                 # class (rendah/sedang/tinggi, low/medium/high, 1/2/3), depth_m
                                    # or index; null = class for polygons, index for a raster

analysis:
  mode: motorbike                   # motorbike, car or walk
  referral_mode: car                # puskesmas -> hospital leg (ambulance)
  resolution_m: 250                 # off-road grid in metres (25 to 5000; 100-500 is sensible)
  categories: [puskesmas, inpatient, hospital]
  speeds_kph: null                  # e.g. {{arteri: 45, lokal: 20}}; defaults in geoaccess/engine/speeds.py
  offroad_speed_kph: null           # e.g. 6
  referral_speeds_kph: null         # referral_mode's class speeds, e.g. {{arteri: 60}}; null = its defaults
  referral_offroad_speed_kph: null  # referral_mode's off-road speed, e.g. 5; null = its default
  max_speed_kph: null               # bound every speed is checked against; null = per mode: road car 120,
                                    # motorbike 100, walk 7; off-road 30, 30, 6. Raise only for a real speed
  fca_threshold_min: 60             # catchment of the 2SFCA supply measure (minutes)
  population_weights_by: null       # null (even), roads, or a raster path
  memory_check: true
  # boats (used only with layers.waterways): speed km/h (null = 8, ketek; speedboat 30),
  # boarding wait in minutes (null = 15) and a fare per boarding in rupiah (reported, not
  # added to the time); assumptions: see geoaccess/engine/speeds.py, "Boats"
  boat_speed_kph: null
  landing_wait_min: null
  boat_fare_idr: null

outputs:
  folder: geoaccess-output          # created if needed; the config is copied here with checksums
  map_category: puskesmas
  flood_season: true                # flood-season access per desa/kecamatan (sedang half speed,
                                    # tinggi cut and its facilities closed): needs a hazard
  critical_links: true              # the 50 road links whose cut hurts access most, dry and
                                    # flood season (a few seconds per season per kabupaten)

siting:
  # Where to build new puskesmas or upgrade puskesmas to rawat inap (inpatient) so that the most
  # people are within threshold_min of an inpatient puskesmas (as 'geoaccess plan'). Runs when
  # budget_idr, sites or targets is given; writes <name>_proposal.csv/.xlsx, a budget curve and
  # a proposal map. Candidates: every desa's point (new) and every puskesmas not known to be inpatient.
  budget_idr: null                  # budget in rupiah, e.g. 10000000000 (Rp 10 miliar)
  sites: null                       # at most this many sites (null: as many as the budget allows)
  targets: false                    # true: first an inpatient puskesmas in every kecamatan without one
  new_cost_idr: 2400000000          # new puskesmas, building only: Rp 2.4 miliar (Musi Banyuasin APBD
                                    # 2023, news report); replace with your own Dinkes figure
  upgrade_cost_idr: 1000000000      # upgrade to rawat inap: Rp 1 miliar, an ASSUMPTION (no public
                                    # source found); have the budget office review it
  objective: coverage               # coverage (people newly within threshold_min) or median (mean time)
  threshold_min: 60                 # minutes
  method: exact                     # exact (HiGHS, with its gap) or greedy

language: {language}                        # id or en: maps, print map, figures, spreadsheet labels, summary
"""


def write_template(
    path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    language: str = "id",
) -> Path:
    """Write the commented config template to ``path``.

    ``data_dir`` (default: the shared data directory when one is found) fills in the paths
    of the example, Kabupaten Ogan Ilir from the national files, so the template runs as
    written. Refuses to replace an existing file unless ``overwrite=True``.

    Parameters
    ----------
    path : path
        The file to write (``.yaml``).
    data_dir : path, optional
        The shared data directory the example paths point into.
    overwrite : bool
        Replace an existing file.
    language : {"id", "en"}
        The template's ``language:`` (of the outputs and summary of the run); default
        ``"id"`` (``geoaccess init --lang``).

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_template(os.path.join(folder, "geoaccess.yaml"), data_dir=folder)
    ...     config = load_config(path, check_files=False)
    >>> config["region"]["kabupaten_code"], config["analysis"]["resolution_m"], config["language"]
    ('16.10', 250.0, 'id')
    """
    from ._validate import check_choice
    from .exceptions import OutputError
    from .settings import resolve_data_dir

    check_choice(language, ["id", "en"], "language")
    p = Path(path)
    if p.is_dir():
        p = p / "geoaccess.yaml"
    if p.exists() and not overwrite:
        raise OutputError(f"{p} exists; choose another name or delete it first")
    if data_dir is None:
        try:
            data_dir = resolve_data_dir(None)
        except DataNotFoundError:
            data_dir = None
    t = template_dict(data_dir)

    def q(s: str) -> str:
        return '"' + s.replace("\\", "/") + '"'

    text = _TEMPLATE.format(
        filename=p.name,
        name=t["region"]["name"],
        title=q(t["region"]["title"]),
        code=t["region"]["kabupaten_code"],
        kecamatan=q(t["boundaries"]["kecamatan"]),
        kabupaten=q(t["boundaries"]["kabupaten"]),
        facilities=q(t["facilities"]["file"]),
        roads=q(t["roads"]["file"]),
        language=language,
    )
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- region


@dataclass(frozen=True, eq=False)
class ConfigRegion(Region):
    """A :class:`Region` built from a config file; ``title`` is its display name."""

    title: str = ""
    config: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def display_name(self) -> str:
        return self.title or self.name


def _digits(v: Any) -> str:
    s = str(v).strip()
    if s.endswith(".0") and s[:-2].isdigit():  # 1610.0 from a float column
        s = s[:-2]
    return s.replace(".", "")


def _filter(gdf: pd.DataFrame, column: str | None, code: str, what: str, path: str) -> pd.DataFrame:
    if column is None:
        return gdf
    if column not in gdf.columns:
        raise ConfigError(
            [
                f"{what}: {path} has no column {column!r}"
                + _did_you_mean(column, [str(c) for c in gdf.columns])
            ],
            argument="config",
        )
    keep = gdf[column].map(_digits) == _digits(code)
    out = gdf[keep.to_numpy()]
    if len(out) == 0:
        raise ConfigError([f"{what}: no row of {path} has {column} = {code}"], argument="config")
    return out


#: Files read by :func:`_read_cached`, by (kind, path, mtime, size): a process running many
#: kabupaten from one national file (geoaccess.run_many) reads it once. Small: a few files.
_READ_CACHE: dict[tuple[Any, ...], tuple[Any, list[tuple[Any, Any]]]] = {}


def _read_cached(kind: str, path: Any, reader: Any) -> Any:
    """``reader(path)``, kept while the file is unchanged; a copy each call (callers may
    change it), and the reader's warnings repeated each call (they go to the run's notes)."""
    try:
        st = os.stat(path)
        key = (kind, os.path.abspath(path), st.st_mtime_ns, st.st_size)
    except (OSError, TypeError, ValueError):
        return reader(path)
    hit = _READ_CACHE.get(key)
    if hit is None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = reader(path)
        hit = (frame, [(w.message, w.category) for w in caught])
        while len(_READ_CACHE) >= 4:
            _READ_CACHE.pop(next(iter(_READ_CACHE)))
        _READ_CACHE[key] = hit
    for message, category in hit[1]:
        warnings.warn(message, category, stacklevel=3)
    return hit[0].copy()


def _read_vector(path: str) -> gpd.GeoDataFrame:
    return _read_cached("vector", path, gpd.read_file)


def read_kecamatan(cfg: dict[str, Any]) -> gpd.GeoDataFrame:
    """The kecamatan of the configured kabupaten (boundaries.kecamatan, filtered by code)."""
    from .inputs.boundaries import read_boundaries

    b, code = cfg["boundaries"], cfg["region"]["kabupaten_code"]
    raw = _filter(
        _read_vector(b["kecamatan"]), b["kabupaten_code_column"], code, "boundaries.kecamatan", b["kecamatan"]
    )
    kec = read_boundaries(gpd.GeoDataFrame(raw), level="kecamatan").to_crs("EPSG:4326")
    return kec.reset_index(drop=True)


def read_desa(cfg: dict[str, Any], kec: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, bool]:
    """The desa layer, or the kecamatan standing in for desa; and whether real desa were read."""
    from .inputs.boundaries import read_boundaries

    b, code = cfg["boundaries"], cfg["region"]["kabupaten_code"]
    if b["desa"] is None:
        desa = kec[["code", "name", "geometry"]].copy()
        desa["kecamatan_code"] = desa["code"]
        desa["level"] = "desa"
        return gpd.GeoDataFrame(desa, geometry="geometry", crs=kec.crs), False
    raw = _filter(_read_vector(b["desa"]), b["kabupaten_code_column"], code, "boundaries.desa", b["desa"])
    desa = read_boundaries(gpd.GeoDataFrame(raw), level="desa").to_crs("EPSG:4326")
    col = b["kecamatan_code_column"]
    if "kecamatan_code" not in desa.columns:
        if col in desa.columns:
            desa["kecamatan_code"] = desa[col].astype(str)
        else:
            raise ConfigError(
                [f"boundaries.kecamatan_code_column: {b['desa']} has no column {col!r}"], argument="config"
            )
    return desa.reset_index(drop=True), True


def read_kabupaten(cfg: dict[str, Any], kec: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The kabupaten polygon: the configured layer, or the kecamatan dissolved."""
    from .inputs.boundaries import read_boundaries

    b, r = cfg["boundaries"], cfg["region"]
    if b["kabupaten"] is None:
        geom = kec.geometry.union_all()
        return gpd.GeoDataFrame(
            {"code": [r["kabupaten_code"]], "name": [r["title"] or r["name"]], "level": ["kabupaten"]},
            geometry=[geom],
            crs="EPSG:4326",
        )
    raw = _read_vector(b["kabupaten"])
    want = _digits(r["kabupaten_code"])
    for col in ("code", "kode", "kode_kab", "kode_kabupaten", "kabupaten_code", "kode_wilayah"):
        if col in raw.columns and (raw[col].map(_digits) == want).any():
            raw = raw[(raw[col].map(_digits) == want).to_numpy()]  # a national file: repair one row only
            break
    kab = read_boundaries(gpd.GeoDataFrame(raw), level=None).to_crs("EPSG:4326")
    kab = kab[kab["code"].map(_digits) == want]
    if len(kab) == 0:
        raise ConfigError(
            [f"boundaries.kabupaten: no row of {b['kabupaten']} has the code {r['kabupaten_code']}"],
            argument="config",
        )
    return kab.reset_index(drop=True)


def _equal_area(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return np.asarray(gdf.geometry.to_crs("EPSG:6933").area.to_numpy(), dtype=float)


def assemble_population(
    cfg: dict[str, Any],
    desa: gpd.GeoDataFrame,
    kec: gpd.GeoDataFrame,
    kab: gpd.GeoDataFrame,
    has_desa: bool,
    notes: list[str],
    sources: dict[str, str],
) -> gpd.GeoDataFrame:
    """Desa population from the configured table, raster or kabupaten total (notes and
    sources say which; the total is spread by area, a crude fallback)."""
    from .inputs.population import join_population, zonal_population

    p = cfg["population"]
    unit = "desa" if has_desa else "kecamatan"
    if p["table"] is not None:
        level = p["level"] or unit
        if level == "kecamatan" and has_desa:
            # kecamatan figures spread over their desa by area
            kk = join_population(
                kec, p["table"], on="code", table_on=p["code_column"], pop_col=p["population_column"]
            )
            area = pd.Series(_equal_area(desa), index=desa.index)
            share = area / area.groupby(desa["kecamatan_code"]).transform("sum")
            desa = desa.copy()
            desa["population"] = share * desa["kecamatan_code"].map(kk.set_index("code")["population"])
            how = Note("source.kecamatan_by_area")
        else:
            desa = join_population(
                desa, p["table"], on="code", table_on=p["code_column"], pop_col=p["population_column"]
            )
            how = Note("source.level_figures", level=level)
        sources["population"] = Note(
            "source.population_table", table=p["table"], column=p["population_column"], how=how
        )
        return desa
    if p["raster"] is not None:
        desa = desa.copy()
        desa["population"] = zonal_population(p["raster"], desa, nodata=p["raster_nodata"]).to_numpy()
        sources["population"] = Note("source.population_raster", raster=_file_name(p["raster"]), unit=unit)
        return desa
    total = p["kabupaten_total"]
    if isinstance(total, str):
        if total not in kab.columns:
            raise ConfigError(
                [
                    f"population.kabupaten_total: the kabupaten layer has no column {total!r}"
                    f"{_did_you_mean(total, [str(c) for c in kab.columns])}"
                ],
                argument="config",
            )
        value = pd.to_numeric(kab[total], errors="coerce").sum(min_count=1)
        if not np.isfinite(value) or value <= 0:
            raise ConfigError(
                [f"population.kabupaten_total: column {total!r} holds no number > 0"], argument="config"
            )
        kab_file = _file_name(cfg["boundaries"]["kabupaten"])
        what = Note("source.kabupaten_column", column=repr(total), file=kab_file)
    else:
        value, what = float(total), Note("source.the_config_file")
    area = _equal_area(desa)
    desa = desa.copy()
    desa["population"] = value * area / area.sum()
    msg = Note("note.crude_fallback", total=f"{value:,.0f}", what=what, n=len(desa), unit=unit)
    notes.append(msg)
    warnings.warn(msg, GeoAccessWarning, stacklevel=3)
    sources["population"] = Note("source.population_fallback", total=f"{value:,.0f}", what=what, unit=unit)
    return desa


def assemble_facilities(
    cfg: dict[str, Any],
    kab: gpd.GeoDataFrame,
    study_area: gpd.GeoDataFrame,
    reloc: gpd.GeoDataFrame,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The kabupaten's own facilities and its neighbours' within the study area."""
    from .inputs.facilities import read_facilities
    from .inputs.tables import read_table

    f, code = cfg["facilities"], cfg["region"]["kabupaten_code"]
    path = f["file"]
    table = (
        _read_cached("table", path, read_table)
        if str(path).lower().endswith((".csv", ".tsv", ".txt", ".xlsx"))
        else _read_vector(path)
    )
    if f["types"] is not None:
        from .inputs.facilities import normalise_types

        col = f["type_column"]
        if col not in table.columns:
            raise ConfigError([f"facilities.type_column: {path} has no column {col!r}"], argument="config")
        kinds: dict[Any, Any] = {}
        for label in table[col].dropna().unique():
            try:  # the reader's own type names (RSUD -> rs, PKM -> puskesmas); unknown labels dropped
                kinds[label] = normalise_types(pd.Series([label]), pd.Series(["0"]))[0]
            except InputValidationError:
                kinds[label] = None
        table = table[table[col].map(kinds).isin(f["types"]).to_numpy()]
    rule = f["inpatient_rule"]
    if f["kabupaten_column"] is None:
        own_rows, other = table, table.iloc[0:0]
    else:
        col = f["kabupaten_column"]
        if col not in table.columns:
            raise ConfigError(
                [
                    f"facilities.kabupaten_column: {path} has no column {col!r}"
                    f"{_did_you_mean(col, [str(c) for c in table.columns])}"
                ],
                argument="config",
            )
        mine = (table[col].map(_digits) == _digits(code)).to_numpy()
        own_rows, other = table[mine], table[~mine]
    relocate = f["relocate"]
    if len(own_rows) == 0:
        # e.g. a kabupaten newer than the list: the targets and priority tables are about
        # the kabupaten's own facilities, so there is nothing to report them on
        raise ConfigError(
            [
                f"facilities: no facility of kabupaten {code} in {path} (column {f['kabupaten_column']}); "
                "the targets and priority tables need the kabupaten's own facilities"
            ],
            argument="config",
        )
    own = read_facilities(
        own_rows,
        type_col=f["type_column"],
        boundaries=reloc if relocate is not None else None,
        relocate=relocate,
        inpatient_rule=rule,
    )
    empty = own.iloc[0:0].copy()
    if not f["neighbours"] or len(other) == 0:
        return own, empty
    lat = pd.to_numeric(other["lat"], errors="coerce") if "lat" in other else None
    lon = pd.to_numeric(other["lon"], errors="coerce") if "lon" in other else None
    if lat is None or lon is None:
        return own, empty
    x0, y0, x1, y1 = study_area.total_bounds
    box = (lon.between(x0, x1) & lat.between(y0, y1)).to_numpy()
    cand = other[box]
    if len(cand) == 0:
        return own, empty
    import shapely

    pts = shapely.points(lon[box].to_numpy(), lat[box].to_numpy())
    keep = shapely.covers(study_area.geometry.iloc[0], pts) & ~shapely.covers(kab.geometry.union_all(), pts)
    sel = cand[keep]
    if len(sel) == 0:
        return own, empty
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)  # their coordinate notes are not this kabupaten's
        nb = read_facilities(sel, type_col=f["type_column"], inpatient_rule=rule)
    nb = nb[~(nb.geometry.isna() | nb.geometry.is_empty)]
    return own, nb.reset_index(drop=True)


def _roads(cfg: dict[str, Any], study_area: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    from .inputs.roads import read_roads, roads_from_osm

    r = cfg["roads"]
    if r["from_osm"]:
        return roads_from_osm(
            study_area,
            network_type=r["osm_network_type"],
            class_mapping=r["class_mapping"],
            default_class=r["default_class"],
        )
    raw = gpd.read_file(r["file"], mask=study_area)
    if raw.crs is None:
        raise ConfigError([f"roads.file: {r['file']} has no CRS (.prj missing?)"], argument="config")
    if len(raw):
        raw = gpd.clip(raw, study_area.to_crs(raw.crs))
        raw = raw[~raw.geometry.is_empty & raw.geometry.notna()]
        raw = raw[raw.geom_type.isin(["LineString", "MultiLineString"])]
    if len(raw) == 0:
        raise ConfigError(
            [
                f"roads.file: {r['file']} has no road line within region.buffer_km of the kabupaten; "
                "is it the right area?"
            ],
            argument="config",
        )
    roads = read_roads(
        raw.explode(index_parts=False, ignore_index=True),
        class_column=r["class_column"],
        class_mapping=r["class_mapping"],
        default_class=r["default_class"],
    )
    return roads.to_crs("EPSG:4326").reset_index(drop=True)


def build_region(cfg: dict[str, Any], *, with_roads: bool = True) -> ConfigRegion:
    """The :class:`~geoaccess.inputs.datasets.Region` a checked config describes.

    The warnings of the readers are re-issued and kept in the region's ``notes``; the
    population fallback ``kabupaten_total`` is said to be crude there. ``with_roads=False``
    reads no road layer (``roads=None``: travel on the off-road grid alone, said in the
    notes), e.g. for a kabupaten the configured road file does not reach.

    Parameters
    ----------
    cfg : dict
        A config checked by :func:`load_config`.
    with_roads : bool
        Read the road layer (default) or travel on the off-road grid alone.

    Returns
    -------
    ConfigRegion
        A :class:`~geoaccess.inputs.datasets.Region` for :func:`~geoaccess.run_access`.

    Examples
    --------
    A kabupaten of two kecamatan written to a temporary folder (a kecamatan layer, a
    facility list and a road layer), and a config that names them:

    >>> import os, tempfile
    >>> import geopandas as gpd, pandas as pd, shapely
    >>> folder = tempfile.TemporaryDirectory()
    >>> here = lambda name: os.path.join(folder.name, name)
    >>> utm = "EPSG:32748"
    >>> kec = gpd.GeoDataFrame({"code": ["99.01.01", "99.01.02"], "name": ["Barat", "Timur"],
    ...     "kabupaten_code": ["99.01", "99.01"]}, crs=utm, geometry=[
    ...     shapely.box(400_000, 9_590_000, 402_000, 9_592_000),
    ...     shapely.box(402_000, 9_590_000, 404_000, 9_592_000)]).to_crs(4326)
    >>> kec.to_file(here("kecamatan.geojson"))
    >>> sites = gpd.GeoSeries([shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)],
    ...     crs=utm).to_crs(4326)
    >>> pd.DataFrame({"facility_id": ["P1", "H1"], "name": ["Puskesmas Barat", "RSUD Timur"],
    ...     "type": ["puskesmas", "rs"], "inpatient": ["tidak", "ya"],
    ...     "lat": sites.y.round(6), "lon": sites.x.round(6)}).to_csv(here("fasilitas.csv"), index=False)
    >>> gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm, geometry=[shapely.LineString(
    ...     [(400_000, 9_591_000), (404_000, 9_591_000)])]).to_crs(4326).to_file(here("jalan.geojson"))
    >>> config = {"region": {"name": "contoh", "kabupaten_code": "99.01", "buffer_km": 0},
    ...     "boundaries": {"kecamatan": here("kecamatan.geojson")},
    ...     "facilities": {"file": here("fasilitas.csv")},
    ...     "population": {"kabupaten_total": 4000}, "roads": {"file": here("jalan.geojson")},
    ...     "outputs": {"folder": here("hasil")}}
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     region = build_region(load_config(config))
    >>> region.name, len(region.kecamatan), len(region.facilities)
    ('contoh', 2, 2)
    >>> str(caught[0].message)[:60]  # no population table: the total is spread by area
    'population: CRUDE FALLBACK: the kabupaten total 4,000 (from '
    >>> folder.cleanup()
    """
    from .inputs.datasets import buffered_area

    r = cfg["region"]
    notes: list[str] = []
    sources: dict[str, str] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", GeoAccessWarning)
        kec = read_kecamatan(cfg)
        desa, has_desa = read_desa(cfg, kec)
        if not has_desa:
            notes.append(Note("note.no_desa_layer"))
        kab = read_kabupaten(cfg, kec)
        desa = assemble_population(cfg, desa, kec, kab, has_desa, [], sources)
        area = buffered_area(kab, r["buffer_km"])
        reloc = desa if cfg["facilities"]["relocate"] == "desa" else kec
        own, nb = assemble_facilities(cfg, kab, area, reloc)
        roads = _roads(cfg, area) if with_roads else None
    notes += [warning_note(w.message) for w in caught]
    if not with_roads:
        notes.append(Note("note.no_road_in_area", file=cfg["roads"]["file"], km=f"{r['buffer_km']:g}"))
    for w in caught:
        warnings.warn(warning_note(w.message), GeoAccessWarning, stacklevel=2)
    fac_file = _file_name(cfg["facilities"]["file"])
    sources.setdefault("facilities", Note("source.facilities_file", file=fac_file, own=len(own), nb=len(nb)))
    sources["roads"] = (
        Note("source.roads_none")
        if not with_roads
        else Note("source.roads_osm")
        if cfg["roads"]["from_osm"]
        else Note("source.roads_file", file=_file_name(cfg["roads"]["file"]))
    )
    sources["boundaries"] = (
        Note(
            "source.boundaries_desa",
            kecamatan=_file_name(cfg["boundaries"]["kecamatan"]),
            desa=_file_name(cfg["boundaries"]["desa"]),
        )
        if has_desa
        else Note("source.boundaries_no_desa", kecamatan=_file_name(cfg["boundaries"]["kecamatan"]))
    )
    if cfg["facilities"]["inpatient_rule"] == "pkm_code_digit":
        sources["inpatient"] = Note("source.inpatient_code_digit")
    region = ConfigRegion(
        name=r["name"],
        kabupaten_code=r["kabupaten_code"],
        kabupaten=kab,
        kecamatan=kec,
        desa=desa,
        facilities=own,
        neighbour_facilities=nb,
        roads=roads,
        buffer_km=r["buffer_km"],
        data_dir=None,
        notes=tuple(dict.fromkeys(notes)),
        sources=sources,
        title=r["title"] or r["name"],
        config=cfg,
        audit_columns=_unlabelled(kec, desa, own, nb),
        desa_unit="desa" if has_desa else "kecamatan",
    )
    region.__dict__["study_area"] = area  # the same buffer, not computed twice
    return region


def _file_name(path: Any) -> str:
    """A data file as the sources name it (the file name; the full path and its SHA-256
    are in the config copy written with the outputs), not this machine's folders."""
    return Path(str(path)).name


def _unlabelled(*layers: pd.DataFrame) -> tuple[str, ...]:
    """Columns of the input layers that geoaccess has no planner label for (the source
    file's own audit fields: ``code_nodot``, ``kab_match``, ...): kept in the CSV outputs,
    left out of the planners' spreadsheets, as the bundled loaders' ``audit_columns``."""
    from .outputs.i18n import column_label

    cols = {str(c) for df in layers if df is not None for c in df.columns if c != "geometry"}
    return tuple(sorted(c for c in cols if column_label(c, "en") == c and column_label(c, "id") == c))


# --------------------------------------------------------------------------- provenance

_SIDECARS = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qmd")


def data_files(cfg: dict[str, Any]) -> list[Path]:
    """Every data file a checked config reads (with the sidecar files of a shapefile).

    Parameters
    ----------
    cfg : dict
        A config checked by :func:`load_config`.

    Returns
    -------
    list of Path
        Absolute paths, in the order the config names them.

    Examples
    --------
    A kabupaten of two kecamatan written to a temporary folder (a kecamatan layer, a
    facility list and a road layer), and a config that names them:

    >>> import os, tempfile
    >>> import geopandas as gpd, pandas as pd, shapely
    >>> folder = tempfile.TemporaryDirectory()
    >>> here = lambda name: os.path.join(folder.name, name)
    >>> utm = "EPSG:32748"
    >>> kec = gpd.GeoDataFrame({"code": ["99.01.01", "99.01.02"], "name": ["Barat", "Timur"],
    ...     "kabupaten_code": ["99.01", "99.01"]}, crs=utm, geometry=[
    ...     shapely.box(400_000, 9_590_000, 402_000, 9_592_000),
    ...     shapely.box(402_000, 9_590_000, 404_000, 9_592_000)]).to_crs(4326)
    >>> kec.to_file(here("kecamatan.geojson"))
    >>> sites = gpd.GeoSeries([shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)],
    ...     crs=utm).to_crs(4326)
    >>> pd.DataFrame({"facility_id": ["P1", "H1"], "name": ["Puskesmas Barat", "RSUD Timur"],
    ...     "type": ["puskesmas", "rs"], "inpatient": ["tidak", "ya"],
    ...     "lat": sites.y.round(6), "lon": sites.x.round(6)}).to_csv(here("fasilitas.csv"), index=False)
    >>> gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm, geometry=[shapely.LineString(
    ...     [(400_000, 9_591_000), (404_000, 9_591_000)])]).to_crs(4326).to_file(here("jalan.geojson"))
    >>> config = {"region": {"name": "contoh", "kabupaten_code": "99.01", "buffer_km": 0},
    ...     "boundaries": {"kecamatan": here("kecamatan.geojson")},
    ...     "facilities": {"file": here("fasilitas.csv")},
    ...     "population": {"kabupaten_total": 4000}, "roads": {"file": here("jalan.geojson")},
    ...     "outputs": {"folder": here("hasil")}}
    >>> [path.name for path in data_files(load_config(config))]
    ['kecamatan.geojson', 'fasilitas.csv', 'jalan.geojson']
    >>> folder.cleanup()
    """
    out: list[Path] = []
    for s, k in _PATH_KEYS:
        v = cfg[s].get(k)
        if v is None or SCHEMA[s][k].kind == "outdir":
            continue
        out.append(Path(v))
    w = cfg["analysis"].get("population_weights_by")
    if w not in (None, "roads"):
        out.append(Path(w))
    files: list[Path] = []
    for p in out:
        files.append(p)
        if p.suffix.lower() == ".shp":
            files += [p.with_suffix(x) for x in _SIDECARS if p.with_suffix(x).exists()]
    return list(dict.fromkeys(files))


def file_checksums(cfg: dict[str, Any]) -> dict[str, str]:
    """``{absolute path: sha256}`` of :func:`data_files` (files that exist).

    Parameters
    ----------
    cfg : dict
        A config checked by :func:`load_config`.

    Returns
    -------
    dict of str to str
        Absolute path -> SHA-256 (64 hex digits).

    Examples
    --------
    A kabupaten of two kecamatan written to a temporary folder (a kecamatan layer, a
    facility list and a road layer), and a config that names them:

    >>> import os, tempfile
    >>> import geopandas as gpd, pandas as pd, shapely
    >>> folder = tempfile.TemporaryDirectory()
    >>> here = lambda name: os.path.join(folder.name, name)
    >>> utm = "EPSG:32748"
    >>> kec = gpd.GeoDataFrame({"code": ["99.01.01", "99.01.02"], "name": ["Barat", "Timur"],
    ...     "kabupaten_code": ["99.01", "99.01"]}, crs=utm, geometry=[
    ...     shapely.box(400_000, 9_590_000, 402_000, 9_592_000),
    ...     shapely.box(402_000, 9_590_000, 404_000, 9_592_000)]).to_crs(4326)
    >>> kec.to_file(here("kecamatan.geojson"))
    >>> sites = gpd.GeoSeries([shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)],
    ...     crs=utm).to_crs(4326)
    >>> pd.DataFrame({"facility_id": ["P1", "H1"], "name": ["Puskesmas Barat", "RSUD Timur"],
    ...     "type": ["puskesmas", "rs"], "inpatient": ["tidak", "ya"],
    ...     "lat": sites.y.round(6), "lon": sites.x.round(6)}).to_csv(here("fasilitas.csv"), index=False)
    >>> gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm, geometry=[shapely.LineString(
    ...     [(400_000, 9_591_000), (404_000, 9_591_000)])]).to_crs(4326).to_file(here("jalan.geojson"))
    >>> config = {"region": {"name": "contoh", "kabupaten_code": "99.01", "buffer_km": 0},
    ...     "boundaries": {"kecamatan": here("kecamatan.geojson")},
    ...     "facilities": {"file": here("fasilitas.csv")},
    ...     "population": {"kabupaten_total": 4000}, "roads": {"file": here("jalan.geojson")},
    ...     "outputs": {"folder": here("hasil")}}
    >>> sums = file_checksums(load_config(config))
    >>> sorted(os.path.basename(path) for path in sums), {len(s) for s in sums.values()}
    (['fasilitas.csv', 'jalan.geojson', 'kecamatan.geojson'], {64})
    >>> folder.cleanup()
    """
    return {str(p): file_sha256(p) for p in data_files(cfg) if p.is_file()}


def _compare(previous: Any, now: dict[str, str]) -> list[str]:
    """Notes on the data files whose checksum changed since the run a config copy records."""
    if not isinstance(previous, dict) or not isinstance(previous.get("files"), dict):
        return []
    when = previous.get("created") or Note("note.the_earlier_run")
    notes: list[str] = []
    for path, old in previous["files"].items():
        new = now.get(path)
        if new is None:
            notes.append(Note("note.data_file_gone", path=path, when=when))
        elif new != old:
            notes.append(Note("note.data_file_changed", path=path, when=when, old=old[:12], new=new[:12]))
    if previous.get("geoaccess_version") not in (None, _version()):
        notes.append(
            Note("note.other_version", when=when, version=previous.get("geoaccess_version"), now=_version())
        )
    return notes


def _version() -> str:
    from . import __version__

    return str(__version__)


def _config_copy(cfg: dict[str, Any], checksums: dict[str, str]) -> str:
    import yaml

    body = {k: v for k, v in cfg.items() if not k.startswith("_") and k != "provenance"}
    body["provenance"] = {
        "geoaccess_version": _version(),
        "created": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "config_file": cfg.get("_source"),
        "files": checksums,
        "note": "SHA-256 of every data file read; 'geoaccess run' on this copy lists the files that "
        "changed since, in the run's notes",
    }
    head = (
        "# geoaccess: the config of this run, every default filled in and every path absolute,\n"
        "# with the package version and the SHA-256 checksum of every data file used.\n"
        "# Repeat the run with: geoaccess run <this file> (change outputs.folder first).\n"
    )
    return head + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, default_flow_style=False)


# --------------------------------------------------------------------------- run


def run_config(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    progress: bool | None = None,
    memory_check: bool | None = None,
    language: str | None = None,
) -> tuple[Any, dict[str, Path]]:
    """Check a config, build the region, run :func:`~geoaccess.run_access`, write the outputs.

    Parameters
    ----------
    source : path or mapping
        A config file (see ``geoaccess init``) or its parsed mapping.
    progress : bool, optional
        Progress bars.
    memory_check : bool, optional
        Overrides ``analysis.memory_check``.
    language : {"id", "en"}, optional
        Overrides the config's ``language`` (map, figures, spreadsheet labels).

    Returns
    -------
    (AccessResult, dict)
        The result, and ``name -> path`` of every file written; ``config`` is
        ``<name>_config.yaml``, the config copy with the version and checksums.

    Raises
    ------
    ConfigError
        Every problem of the config at once, before any work.
    OfflineError
        ``roads.from_osm: true`` without internet (the message gives the offline route).

    Examples
    --------
    A kabupaten of two kecamatan written to a temporary folder (a kecamatan layer, a
    facility list and a road layer), and a config that names them:

    >>> import os, tempfile
    >>> import geopandas as gpd, pandas as pd, shapely
    >>> folder = tempfile.TemporaryDirectory()
    >>> here = lambda name: os.path.join(folder.name, name)
    >>> utm = "EPSG:32748"
    >>> kec = gpd.GeoDataFrame({"code": ["99.01.01", "99.01.02"], "name": ["Barat", "Timur"],
    ...     "kabupaten_code": ["99.01", "99.01"]}, crs=utm, geometry=[
    ...     shapely.box(400_000, 9_590_000, 402_000, 9_592_000),
    ...     shapely.box(402_000, 9_590_000, 404_000, 9_592_000)]).to_crs(4326)
    >>> kec.to_file(here("kecamatan.geojson"))
    >>> sites = gpd.GeoSeries([shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)],
    ...     crs=utm).to_crs(4326)
    >>> pd.DataFrame({"facility_id": ["P1", "H1"], "name": ["Puskesmas Barat", "RSUD Timur"],
    ...     "type": ["puskesmas", "rs"], "inpatient": ["tidak", "ya"],
    ...     "lat": sites.y.round(6), "lon": sites.x.round(6)}).to_csv(here("fasilitas.csv"), index=False)
    >>> gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm, geometry=[shapely.LineString(
    ...     [(400_000, 9_591_000), (404_000, 9_591_000)])]).to_crs(4326).to_file(here("jalan.geojson"))
    >>> config = {"region": {"name": "contoh", "kabupaten_code": "99.01", "buffer_km": 0},
    ...     "boundaries": {"kecamatan": here("kecamatan.geojson")},
    ...     "facilities": {"file": here("fasilitas.csv")},
    ...     "population": {"kabupaten_total": 4000}, "roads": {"file": here("jalan.geojson")},
    ...     "outputs": {"folder": here("hasil")}}
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the crude population fallback, said in the notes
    ...     result, files = run_config(config, progress=False)
    >>> files["config"].name, files["desa"].name
    ('contoh_config.yaml', 'contoh_desa.csv')
    >>> result.kecamatan[["name", "puskesmas_travel_time_min"]].round(2)
        name  puskesmas_travel_time_min
    0  Barat                       4.84
    1  Timur                       8.55
    >>> folder.cleanup()
    """
    from .flood_season import with_critical_links, with_flood_exposure, with_flood_season
    from .outputs.report import atomic_path, check_output_dir
    from .pipeline import run_access, write_outputs

    cfg = load_config(source)
    name = cfg["region"]["name"]
    out = check_output_dir(cfg["outputs"]["folder"], argument="outputs.folder", prefix=f"{name}_")
    checksums = file_checksums(cfg)
    changed = _compare(cfg.get("provenance"), checksums)
    region = build_region(cfg)
    an, layers = cfg["analysis"], cfg["layers"]
    extra: dict[str, Any] = {}
    accepted = inspect.signature(run_access).parameters
    unused: list[str] = []
    if layers["barriers"] is not None:
        extra["barriers"] = gpd.read_file(layers["barriers"])
    for key in ("waterways", "landings"):
        if layers[key] is None:
            continue
        if key in accepted:
            extra[key] = gpd.read_file(layers[key])
        else:
            unused.append(key)
    hazard = read_hazard(cfg)
    if layers["waterways"] is not None:
        for key in ("boat_speed_kph", "landing_wait_min", "boat_fare_idr"):
            if an[key] is not None:
                extra[key] = an[key]
    notes = list(region.notes) + changed
    if unused:
        notes.append(Note("note.layers_unused", layers=unused, version=_version()))
    if changed or unused:
        from dataclasses import replace

        region = replace(region, notes=tuple(notes))
    res = run_access(
        region,
        mode=an["mode"],
        referral_mode=an["referral_mode"],
        resolution_m=an["resolution_m"],
        categories=tuple(an["categories"]),
        speeds_kph=an["speeds_kph"],
        offroad_speed_kph=an["offroad_speed_kph"],
        referral_speeds_kph=an["referral_speeds_kph"],
        referral_offroad_speed_kph=an["referral_offroad_speed_kph"],
        max_speed_kph=an["max_speed_kph"],
        fca_threshold_min=an["fca_threshold_min"],
        population_weights_by=an["population_weights_by"],
        progress=progress,
        memory_check=an["memory_check"] if memory_check is None else memory_check,
        **extra,
    )
    if hazard is not None:
        res = with_flood_exposure(res, hazard)  # exposure, map, flood season and links take it
    if cfg["outputs"]["flood_season"]:
        res = with_flood_season(res)
    if cfg["outputs"]["critical_links"]:
        res = with_critical_links(res)
    res.assumptions["config"] = {
        "file": cfg.get("_source"),
        "language": cfg["language"],
        "geoaccess_version": _version(),
        "data_file_sha256": checksums,
    }
    siting = run_siting(res, cfg["siting"]) if siting_wanted(cfg) else None
    if siting is not None:
        res.assumptions["siting"] = siting.summary  # res is this run's own result
    files = write_outputs(
        res, out, map_category=cfg["outputs"]["map_category"], language=language or cfg["language"]
    )
    written = write_siting(res, siting, out, name, language or cfg["language"]) if siting is not None else {}
    copy_path = out / f"{name}_config.yaml"
    with atomic_path(copy_path) as tmp:
        Path(tmp).write_text(_config_copy(cfg, checksums), encoding="utf-8")
    written["config"] = copy_path
    _add_to_manifest(files["manifest"], written)
    files.update(written)
    return res, files


def _add_to_manifest(manifest: Path, files: Mapping[str, Path]) -> None:
    """List ``files`` (size, SHA-256) in the manifest :func:`~geoaccess.write_outputs` wrote,
    rewritten atomically once they are in place (until then it lists the set without them)."""
    import json

    from .outputs.report import atomic_path

    body = json.loads(manifest.read_text(encoding="utf-8"))
    for k, p in files.items():
        body["files"][k] = {"file": p.name, "bytes": p.stat().st_size, "sha256": file_sha256(p)}
    body["files"] = dict(sorted(body["files"].items()))
    with atomic_path(manifest) as tmp:
        tmp.write_text(json.dumps(body, indent=2), encoding="utf-8")
