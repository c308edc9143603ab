"""Many kabupaten in one call, one partition per kabupaten, on Dask.

:func:`run_many` assembles each kabupaten's :class:`~geoaccess.inputs.datasets.Region` from the
national files of the shared data directory (``indonesia/kecamatan.geojson``,
``indonesia/kabupaten.geojson``, ``indonesia/facilities.csv`` and the roads of
``roads/sumsel_national``) exactly as :mod:`geoaccess.config` does for one kabupaten: the
kabupaten plus a ``buffer_km`` buffer, so facilities and roads across the border count, and
its 2025 population spread over its kecamatan by area (the crude fallback; figures per
kecamatan are rough). Kabupaten whose buffered area holds no road of the shared road layer
(everywhere outside South Sumatra) are run on the off-road grid alone: their rows say so
(``offroad_only``, with ``partition_road_km`` and ``kabupaten_road_km``, see
``ROAD_COLUMNS``) and :attr:`BatchResult.notes` names them. They test scale, not access:
the referral leg, by car at 3 km/h off the roads, takes hours there.

Each partition runs :func:`~geoaccess.run_access` and keeps only the core kabupaten: its
coverage rows (``level`` kabupaten and kecamatan) with the people within 60 and 120
minutes. The partitions are merged into :attr:`BatchResult.kabupaten`,
:attr:`BatchResult.kecamatan` and :attr:`BatchResult.province`. A partition that fails is
listed in :attr:`BatchResult.failures` with its error and traceback; the others finish.

Two caches under ``cache_dir`` (no pickle anywhere: numpy ``.npz`` + JSON, written
atomically):

- ``results/``: each partition's tables, keyed by the SHA-256 of the data files it reads,
  every parameter, the kabupaten code and the geoaccess version: a rerun with unchanged
  inputs recomputes nothing;
- ``networks/``: every built network (:class:`geoaccess.engine.network_cache.NetworkCache`),
  keyed by the roads, the area and the build parameters: a rerun that changes only the
  analysis (categories, thresholds) skips the builds.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._files import atomic_write, file_sha256
from .engine.network_cache import (
    NetworkCache,
    frame_from_arrays,
    frame_to_arrays,
)
from .exceptions import GeoAccessWarning, InputValidationError

__all__ = [
    "BatchResult",
    "kabupaten_codes",
    "map_many",
    "network_road_km",
    "run_many",
    "run_partition",
    "write_many",
]

log = logging.getLogger(__name__)

#: Layout of the results cache; entries of another format are recomputed (2: the road
#: columns of ``ROAD_COLUMNS``).
RESULTS_FORMAT = 2

#: Travel-time thresholds (minutes) of the ``people_within_<t>_min`` columns.
WITHIN_MIN = (60, 120)

#: Roads of the shared data directory (South Sumatra national roads).
ROADS_FILE = "roads/sumsel_national/jalanSumsel.shp"

#: Columns added to every kabupaten and kecamatan row: the roads its times rest on.
#: ``partition_road_km``: km of mapped road in the partition's network (the kabupaten and
#: its buffer) of the row's mode (the referral mode for ``category == "referral"``);
#: ``kabupaten_road_km``: the part of it inside the kabupaten (pieces by their midpoint);
#: ``offroad_speed_kph``: that network's speed off the roads; ``offroad_only``: no mapped
#: road in the partition (for ``referral``, in neither leg's network), so every time of
#: the row is a straight crossing of the off-road grid at ``offroad_speed_kph``: a test of
#: scale, not a measure of access.
ROAD_COLUMNS = ("partition_road_km", "kabupaten_road_km", "offroad_speed_kph", "offroad_only")


def _version() -> str:
    from ._fingerprint import cache_stamp  # the version alone stays the same across code changes

    return cache_stamp()


def _data_dir(data_dir: Any) -> Path:
    from .settings import resolve_data_dir

    return Path(resolve_data_dir(data_dir))


@functools.lru_cache(maxsize=4)
def _kabupaten_table(path: str, mtime: float) -> pd.DataFrame:
    import pyogrio

    df = pyogrio.read_dataframe(path, read_geometry=False)
    return pd.DataFrame(df)


def kabupaten_codes(province: str | Sequence[str] | None = None, *, data_dir: Any = None) -> list[str]:
    """Kemendagri codes (``"16.04"``) of the kabupaten/kota in ``indonesia/kabupaten.geojson``,
    all of them or those of the province code(s) given (``"16"`` = South Sumatra).

    Parameters
    ----------
    province : str or sequence of str, optional
        Province code(s); default every kabupaten/kota.
    data_dir : path, optional
        The shared data directory (default as :func:`geoaccess.settings.resolve_data_dir`
        finds it).

    Returns
    -------
    list of str
        The codes, sorted.

    Examples
    --------
    The kabupaten and kota of South Sumatra (province 16) in the shared data:

    >>> codes = kabupaten_codes("16")
    >>> len(codes), codes[:3], codes[-2:]  # 13 kabupaten (16.01-16.13) and 4 kota (16.7x)
    (17, ['16.01', '16.02', '16.03'], ['16.73', '16.74'])
    """
    p = _data_dir(data_dir) / "indonesia/kabupaten.geojson"
    df = _kabupaten_table(str(p), p.stat().st_mtime)
    if province is not None:
        provs = [province] if isinstance(province, str) else list(province)
        df = df[df["provinsi_code"].astype(str).isin([str(x) for x in provs])]
    return sorted(df["code"].astype(str))


# --------------------------------------------------------------------------- one partition


def _config(code: str, data_dir: Path, params: dict[str, Any]) -> dict[str, Any]:
    from .config import load_config, template_dict

    cfg = template_dict(data_dir)
    name = "kab_" + re.sub(r"\W", "_", code)
    cfg["region"].update(name=name, title=name, kabupaten_code=code, buffer_km=float(params["buffer_km"]))
    cfg["roads"]["file"] = str(data_dir / ROADS_FILE)
    return load_config(cfg, check_files=False)


@functools.lru_cache(maxsize=4)
def _roads_bounds(path: str) -> tuple[float, float, float, float] | None:
    import pyogrio

    info = pyogrio.read_info(path, force_total_bounds=True)
    b = info.get("total_bounds")
    if b is None:
        return None
    from pyproj import Transformer

    crs = info.get("crs")
    if crs and crs not in ("EPSG:4326", "OGC:CRS84"):
        t = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        x0, y0, x1, y1 = t.transform_bounds(*b)
        return float(x0), float(y0), float(x1), float(y1)
    return float(b[0]), float(b[1]), float(b[2]), float(b[3])


def _region(code: str, data_dir: Path, params: dict[str, Any]) -> Any:
    """The Region of one kabupaten from the national files, buffered (config.py's assembly)."""
    from .config import ConfigError, build_region

    cfg = _config(code, data_dir, params)
    b = _roads_bounds(cfg["roads"]["file"])
    kab = _kabupaten_table(*_kab_path(data_dir))
    row = kab[kab["code"].astype(str) == code]
    if len(row) == 0:
        raise InputValidationError(f"no kabupaten with code {code!r} in indonesia/kabupaten.geojson")
    near = True
    if b is not None and {"centroid_lon_src", "centroid_lat_src", "area_km2"} <= set(row.columns):
        # a cheap test before reading the roads: kabupaten centre +- (radius + buffer) vs road bounds
        lon, lat = float(row["centroid_lon_src"].iloc[0]), float(row["centroid_lat_src"].iloc[0])
        reach = (2.0 * float(row["area_km2"].iloc[0]) ** 0.5 + params["buffer_km"]) / 100.0 + 0.5
        near = not (lon + reach < b[0] or lon - reach > b[2] or lat + reach < b[1] or lat - reach > b[3])
    if near:
        try:
            return build_region(cfg)
        except ConfigError as e:
            if not all(p.startswith("roads.file") for p in e.problems):
                raise
    return build_region(cfg, with_roads=False)


def _kab_path(data_dir: Path) -> tuple[str, float]:
    p = data_dir / "indonesia/kabupaten.geojson"
    return str(p), p.stat().st_mtime


def _networks(region: Any, params: dict[str, Any], cache: NetworkCache | None) -> tuple[Any, Any]:
    """The household and referral networks of a partition from ``cache`` (built and stored
    when absent), built as :func:`~geoaccess.run_access` would; (None, None) without a cache
    (run_access builds them)."""
    if cache is None:
        return None, None
    kw = dict(
        area=region.study_area, resolution_m=params["resolution_m"], memory_check=params["memory_check"]
    )
    net = cache.build(region.roads, params["mode"], **kw)
    if params["referral_mode"] == params["mode"]:
        return net, net
    return net, cache.build(region.roads, params["referral_mode"], **kw)


def network_road_km(net: Any, within: Any = None) -> float:
    """Kilometres of mapped road a network's searches can use: :meth:`Network.road_km`
    (kept here, where the batch tables first used it).

    Parameters
    ----------
    net : Network
        From :func:`geoaccess.build_network`.
    within : shapely geometry, optional
        A polygon in the network's CRS; default: every piece of the network.

    Returns
    -------
    float
        Road length (km); 0.0 for a network on the off-road grid alone.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> network_road_km(ga.build_network(roads, "motorbike", area=area))
    2.0
    """
    return float(net.road_km(within))


def _road_columns(res: Any) -> dict[str, dict[str, Any]]:
    """Per kind of row ("household": the categories; "referral"), the road columns of
    ``ROAD_COLUMNS`` for one partition."""
    kab = res.region.kabupaten.to_crs(res.network.crs).union_all()
    nets = {"household": res.network, "referral": res.referral_network or res.network}
    cols = {
        k: {
            "partition_road_km": network_road_km(n),
            "kabupaten_road_km": network_road_km(n, kab),
            "offroad_speed_kph": float(n.offroad_speed_kph),
        }
        for k, n in nets.items()
    }
    # the referral figure chains both legs (home -> puskesmas, puskesmas -> hospital)
    none = cols["household"]["partition_road_km"] == 0.0
    cols["household"]["offroad_only"] = none
    cols["referral"]["offroad_only"] = none and cols["referral"]["partition_road_km"] == 0.0
    return cols


def _core_tables(res: Any, code: str, kab_row: pd.Series) -> pd.DataFrame:
    """The coverage rows of the core kabupaten (kabupaten and kecamatan levels) with the
    people within :data:`WITHIN_MIN` minutes, its province and code, and the partition's
    roads (``ROAD_COLUMNS``)."""
    cov = res.tables["coverage"]
    out = cov[cov["level"].isin(["kabupaten", "kecamatan"])].copy()
    for t in WITHIN_MIN:
        beyond = f"people_beyond_{t}_min"
        if beyond in out:  # beyond counts the unreachable too
            out[f"people_within_{t}_min"] = out["population"] - out[beyond]
            out[f"share_within_{t}_min"] = out[f"people_within_{t}_min"] / out["population"].where(
                out["population"] > 0
            )
    out.insert(2, "kabupaten_code", code)
    out.insert(3, "province_code", str(kab_row.get("provinsi_code", "")))
    out.insert(4, "province", str(kab_row.get("provinsi", "")))
    if "name" in out:
        out.loc[out["level"] == "kabupaten", "name"] = str(kab_row.get("name", code))
    roads = _road_columns(res)
    kind = np.where(out["category"].to_numpy() == "referral", "referral", "household")
    for c in ROAD_COLUMNS:
        out[c] = [roads[k][c] for k in kind]
    out["offroad_only"] = out["offroad_only"].astype(bool)
    return out.reset_index(drop=True)


def run_partition(
    code: str,
    params: dict[str, Any],
    data_dir: str | os.PathLike[str],
    cache_dir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """One kabupaten: region, :func:`~geoaccess.run_access`, its core rows. Never raises.

    Returns a dict: ``code``, ``ok``, ``table`` (DataFrame, when ok), ``error`` and
    ``traceback`` (when not), ``seconds``, ``notes`` (number of run notes), ``network_hits``
    and ``network_builds`` (network cache), ``peak_rss_mb`` of the worker process.

    Parameters
    ----------
    code : str
        The kabupaten's Kemendagri code.
    params : dict
        The run parameters (as :attr:`BatchResult.params` holds them).
    data_dir : path
        The shared data directory.
    cache_dir : path, optional
        Folder of the results and network caches.

    Returns
    -------
    dict
        As above; an error is reported in it, never raised.

    Examples
    --------
    The partition of Kabupaten Ogan Ilir (16.10), with the parameters of a serial run:

    >>> import warnings
    >>> from geoaccess.settings import resolve_data_dir
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the data notes of the national files
    ...     batch = run_many(["16.10"], resolution_m=2000, scheduler="serial", progress=False)
    ...     part = run_partition("16.10", batch.params, resolve_data_dir())
    >>> part["code"], part["ok"], sorted(part["table"]["category"].unique())
    ('16.10', True, ['hospital', 'inpatient', 'puskesmas', 'referral'])
    >>> run_partition("99.99", batch.params, resolve_data_dir())["ok"]  # no such kabupaten
    False
    """
    from .pipeline import run_access

    t0 = time.perf_counter()
    d = Path(data_dir)
    out: dict[str, Any] = {"code": code, "ok": False, "network_hits": 0, "network_builds": 0}
    cache = NetworkCache(Path(cache_dir) / "networks") if cache_dir is not None else None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", GeoAccessWarning)
            region = _region(code, d, params)
            net, ref_net = _networks(region, params, cache)
            res = run_access(
                region,
                mode=params["mode"],
                referral_mode=params["referral_mode"],
                resolution_m=params["resolution_m"],
                categories=tuple(params["categories"]),
                progress=False,
                memory_check=params["memory_check"],
                network=net,
                referral_network=ref_net,
            )
        kab = _kabupaten_table(*_kab_path(d))
        row = kab[kab["code"].astype(str) == code].iloc[0]
        out["table"] = _core_tables(res, code, row)
        out["notes"] = len(res.assumptions.get("notes", [])) + len(caught)
        out["ok"] = True
    except Exception as e:
        out["error"] = f"{type(e).__name__}: {e}"
        out["traceback"] = traceback.format_exc()
    if cache is not None:
        out["network_hits"], out["network_builds"] = cache.hits, cache.misses
    out["seconds"] = time.perf_counter() - t0
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _peak_rss_mb() -> float:
    try:
        import resource

        return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024.0
    except (ImportError, OSError):  # pragma: no cover - not Linux
        return float("nan")


# --------------------------------------------------------------------------- results cache


def _results_key(code: str, params: dict[str, Any], files: dict[str, str]) -> str:
    body = {
        "format": RESULTS_FORMAT,
        "version": _version(),
        "code": code,
        "params": params,
        "files": files,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _result_paths(cache_dir: Path, key: str) -> tuple[Path, Path]:
    d = cache_dir / "results"
    return d / f"{key}.npz", d / f"{key}.json"


def _save_result(cache_dir: Path, key: str, part: dict[str, Any]) -> None:
    npz, meta_path = _result_paths(cache_dir, key)
    npz.parent.mkdir(parents=True, exist_ok=True)
    arrays, cols = frame_to_arrays(part["table"], "t_")
    atomic_write(npz, lambda fh: np.savez(fh, **arrays))  # type: ignore[arg-type]
    meta = {
        "format": RESULTS_FORMAT,
        "geoaccess_version": _version(),
        "key": key,
        "code": part["code"],
        "npz_sha256": file_sha256(npz),
        "columns": cols,
        "seconds": part["seconds"],
        "notes": part.get("notes", 0),
    }
    atomic_write(meta_path, lambda fh: fh.write(json.dumps(meta, indent=1).encode()))


def _load_result(cache_dir: Path, key: str) -> dict[str, Any] | None:
    npz, meta_path = _result_paths(cache_dir, key)
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if (
            meta.get("format") != RESULTS_FORMAT
            or meta.get("geoaccess_version") != _version()
            or meta.get("key") != key
            or file_sha256(npz) != meta.get("npz_sha256")
        ):
            log.info("results cache: entry %s stale or damaged; recomputed", key[:12])
            return None
        with np.load(npz, allow_pickle=False) as z:
            table = frame_from_arrays({k: z[k] for k in z.files}, meta["columns"], "t_")
    except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
        log.info("results cache: entry %s unreadable (%s); recomputed", key[:12], e)
        return None
    return {
        "code": meta["code"],
        "ok": True,
        "table": table,
        "seconds": 0.0,
        "notes": meta.get("notes", 0),
        "cached": True,
        "network_hits": 0,
        "network_builds": 0,
        "peak_rss_mb": float("nan"),
    }


# --------------------------------------------------------------------------- merge


@dataclass(frozen=True, eq=False)
class BatchResult:
    """The merged tables of :func:`run_many`.

    Attributes
    ----------
    kabupaten, kecamatan : DataFrame
        One row per category and unit: the coverage columns of
        :func:`geoaccess.analysis.metrics.summarize_access` (population, mean / median /
        p90 minutes, people beyond 30/60/120 min, unreachable...) plus
        ``people_within_60_min``, ``share_within_60_min`` (and 120), ``kabupaten_code``,
        ``province_code``, ``province``, and the roads the row's times rest on
        (``ROAD_COLUMNS``): ``partition_road_km``, ``kabupaten_road_km``,
        ``offroad_speed_kph`` and ``offroad_only`` (no mapped road in the partition: every
        time is a crossing of the off-road grid; for ``referral``, on both legs).
    province : DataFrame
        Per category and province: population, people within 60 / 120 minutes and their
        shares, people unreachable, the mean minutes (weighted by the people who can reach
        a facility), ``n_kabupaten``; ``kabupaten_failed`` / ``kabupaten_total``: the
        partitions of the province that failed (left out of its figures) / all asked for;
        ``kabupaten_road_km`` (summed over its kabupaten), ``kabupaten_offroad_only``,
        ``population_offroad_only`` and ``share_population_offroad_only``: the kabupaten,
        and their people, whose figures rest on the off-road grid alone.
    failures : DataFrame
        ``code``, ``error``, ``traceback`` of each partition that failed.
    runs : DataFrame
        Per partition: ``code``, ``ok``, ``cached`` (results from the cache),
        ``seconds``, ``network_hits``, ``network_builds``, ``peak_rss_mb`` (of its worker).
    seconds : float
        Wall time of the call.
    params : dict
        The run's parameters.
    notes : tuple of str
        What a reader of the tables must know: the kabupaten whose travel times rest on no
        mapped road (empty when every partition had roads).

    Examples
    --------
    Kabupaten Ogan Ilir (16.10) from the national files of the shared data, on a coarse
    2 km grid, without Dask:

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the data notes of the national files
    ...     batch = run_many(["16.10"], resolution_m=2000, scheduler="serial", progress=False)
    >>> batch.runs[["code", "ok", "cached"]]
        code    ok  cached
    0  16.10  True   False
    >>> batch.province[["category", "province", "n_kabupaten"]]
        category          province  n_kabupaten
    0   hospital  Sumatera Selatan            1
    1  inpatient  Sumatera Selatan            1
    2  puskesmas  Sumatera Selatan            1
    3   referral  Sumatera Selatan            1

    Its times rest on the national roads of the shared data: 72 km inside Ogan Ilir, 378 km
    with its 25 km buffer, so no row is off-road only and the run has no note:

    >>> batch.kabupaten[["category", "partition_road_km", "kabupaten_road_km", "offroad_only"]].round(1)
        category  partition_road_km  kabupaten_road_km  offroad_only
    0  puskesmas              377.6               72.4         False
    1  inpatient              377.6               72.4         False
    2   hospital              377.6               72.4         False
    3   referral              377.6               72.4         False
    >>> batch.notes
    ()
    """

    kabupaten: pd.DataFrame
    kecamatan: pd.DataFrame
    province: pd.DataFrame
    failures: pd.DataFrame
    runs: pd.DataFrame
    seconds: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _province(kab: pd.DataFrame, failed: Sequence[str] = ()) -> pd.DataFrame:
    if len(kab) == 0:
        return pd.DataFrame()
    k = kab.copy()
    k["reachable"] = k["population"] - k["people_unreachable"]
    k["minutes_x_people"] = k["mean_travel_time_min"].fillna(0.0) * k["reachable"]
    sums = ["population", "people_unreachable", "reachable", "minutes_x_people"]
    if "offroad_only" in k:  # tables of the results cache before the road columns have none
        off = k["offroad_only"].astype(bool)
        k["kabupaten_offroad_only"] = off.astype(int)
        k["population_offroad_only"] = k["population"].where(off, 0.0)
        sums += ["kabupaten_road_km", "kabupaten_offroad_only", "population_offroad_only"]
    sums += [f"people_within_{t}_min" for t in WITHIN_MIN if f"people_within_{t}_min" in k]
    g = k.groupby(["category", "province_code", "province"], sort=True)
    out = g[sums].sum()
    out["n_kabupaten"] = g.size()
    # failed kabupaten are missing from the province's figures: say how many
    lost = pd.Series([str(c).split(".")[0] for c in failed], dtype=object).value_counts().to_dict()
    out["kabupaten_failed"] = [int(lost.get(c, 0)) for c in out.index.get_level_values("province_code")]
    out["kabupaten_total"] = out["n_kabupaten"] + out["kabupaten_failed"]
    out["mean_travel_time_min"] = out["minutes_x_people"] / out["reachable"].where(out["reachable"] > 0)
    for t in WITHIN_MIN:
        if f"people_within_{t}_min" in out:
            out[f"share_within_{t}_min"] = out[f"people_within_{t}_min"] / out["population"].where(
                out["population"] > 0
            )
    out["share_unreachable"] = out["people_unreachable"] / out["population"].where(out["population"] > 0)
    if "population_offroad_only" in out:
        out["share_population_offroad_only"] = out["population_offroad_only"] / out["population"].where(
            out["population"] > 0
        )
    return out.drop(columns=["minutes_x_people", "reachable"]).reset_index()


def _notes(kab: pd.DataFrame, params: dict[str, Any]) -> tuple[str, ...]:
    """The run's notes on the merged tables: kabupaten whose times rest on no road."""
    if len(kab) == 0 or "offroad_only" not in kab:
        return ()
    home = kab[kab["category"] != "referral"]
    off = home[home["offroad_only"].astype(bool)].drop_duplicates("code")
    if len(off) == 0:
        return ()
    n = home["code"].nunique()
    ref = kab[(kab["category"] == "referral") & kab["code"].isin(off["code"])]
    speeds = ", ".join(f"{v:g}" for v in sorted(off["offroad_speed_kph"].unique()))
    ref_part = ""
    if len(ref):
        ref_speeds = ", ".join(f"{v:g}" for v in sorted(ref["offroad_speed_kph"].unique()))
        slow = float(ref["offroad_speed_kph"].min())
        ref_part = (
            f" and the referral leg (puskesmas -> hospital, {params.get('referral_mode', '')}) at "
            f"{ref_speeds} km/h (10 km in {600.0 / slow:.0f} minutes: their referral times run to hours)"
        )
    codes = off["code"].tolist()
    shown = ", ".join(codes[:20]) + (f" and {len(codes) - 20} more" if len(codes) > 20 else "")
    return (
        f"{len(off)} of {n} kabupaten ({off['population'].sum():,.0f} people) have no mapped road in "
        f"their partition (the kabupaten and its {params.get('buffer_km', 0):g} km buffer): every travel "
        f"time there is a crossing of the off-road grid, from home ({params.get('mode', '')}) at {speeds} "
        f"km/h{ref_part}. Their rows have offroad_only=True and partition_road_km=0; they test scale, "
        f"not access. Kabupaten: {shown}.",
    )


def _merge(parts: list[dict[str, Any]], seconds: float, params: dict[str, Any]) -> BatchResult:
    ok = sorted((p for p in parts if p["ok"]), key=lambda p: p["code"])
    tables = [p["table"] for p in ok]
    allrows = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["level"])
    order = {c: i for i, c in enumerate(params["categories"])}

    def pick(level: str) -> pd.DataFrame:
        t = allrows[allrows["level"] == level]
        if len(t) == 0:
            return t.reset_index(drop=True)
        t = t.assign(_o=t["category"].map(order)).sort_values(["_o", "code"], kind="stable")
        return t.drop(columns="_o").reset_index(drop=True)

    kab = pick("kabupaten")
    failures = pd.DataFrame(
        [
            {"code": p["code"], "error": p.get("error", ""), "traceback": p.get("traceback", "")}
            for p in sorted(parts, key=lambda p: p["code"])
            if not p["ok"]
        ],
        columns=["code", "error", "traceback"],
    )
    runs = pd.DataFrame(
        [
            {
                "code": p["code"],
                "ok": p["ok"],
                "cached": bool(p.get("cached", False)),
                "seconds": p.get("seconds", np.nan),
                "network_hits": p.get("network_hits", 0),
                "network_builds": p.get("network_builds", 0),
                "peak_rss_mb": p.get("peak_rss_mb", np.nan),
            }
            for p in sorted(parts, key=lambda p: p["code"])
        ]
    )
    lost = [p["code"] for p in parts if not p["ok"]]
    return BatchResult(
        kab,
        pick("kecamatan"),
        _province(kab, lost),
        failures,
        runs,
        seconds,
        dict(params),
        _notes(kab, params),
    )


# --------------------------------------------------------------------------- run_many


class _Progress:
    def __init__(self, total: int, progress: Any) -> None:
        self.cb: Callable[[int, int, str, str], None] | None = progress if callable(progress) else None
        self.done, self.total = 0, total
        self.bar = None
        if progress is True or (progress is None and self._default()):
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc="geoaccess kabupaten", unit="kab")

    @staticmethod
    def _default() -> bool:
        from .settings import options

        return bool(options.progress)

    def __call__(self, code: str, status: str) -> None:
        self.done += 1
        log.info("partition %s %s (%d/%d)", code, status, self.done, self.total)
        if self.bar is not None:
            self.bar.set_postfix_str(f"{code} {status}")
            self.bar.update()
        if self.cb is not None:
            self.cb(self.done, self.total, code, status)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _status(p: dict[str, Any]) -> str:
    if not p["ok"]:
        return "failed: " + str(p.get("error", ""))[:80]
    return "cached" if p.get("cached") else f"done in {p['seconds']:.1f} s"


@contextlib.contextmanager
def _client(scheduler: Any, n_workers: int | None) -> Iterator[Any]:
    """A distributed Client for ``scheduler``: None -> a new LocalCluster of processes,
    ``"threads"`` -> a LocalCluster of threads in this process, an address -> that
    scheduler, a Client -> itself (left open)."""
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is None or scheduler in ("processes", "threads"):
        n = n_workers or os.cpu_count() or 1
        kw: dict[str, Any] = dict(dashboard_address=None, silence_logs=logging.ERROR)
        if scheduler == "threads":
            cluster = LocalCluster(processes=False, n_workers=1, threads_per_worker=n, **kw)
        else:
            cluster = LocalCluster(processes=True, n_workers=n, threads_per_worker=1, **kw)
        with cluster, Client(cluster) as client:
            yield client
        return
    with Client(str(scheduler)) as client:
        yield client


def run_many(
    kabupaten_codes: Sequence[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    resolution_m: float = 500.0,
    buffer_km: float = 25.0,
    mode: str = "motorbike",
    referral_mode: str = "car",
    categories: Sequence[str] = ("puskesmas", "inpatient", "hospital"),
    memory_check: bool = True,
    scheduler: Any = None,
    n_workers: int | None = None,
    progress: bool | Callable[[int, int, str, str], None] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> BatchResult:
    """Travel time to care for many kabupaten, one partition per kabupaten, merged.

    Parameters
    ----------
    kabupaten_codes : sequence of str
        Kemendagri codes (``"16.04"``); see :func:`kabupaten_codes` for all of a province.
    data_dir : path, optional
        The shared data directory (with ``indonesia/`` and ``roads/``); default as
        :func:`geoaccess.settings.resolve_data_dir` finds it. On a multi-machine cluster it
        must be at the same path on every worker.
    resolution_m, buffer_km, mode, referral_mode, categories, memory_check
        As for :func:`geoaccess.run_access` and ``region.buffer_km`` of a config file.
    scheduler : None, "threads", "processes", "synchronous", "serial", address or Client
        Where the partitions run. None or "processes": a local Dask cluster of
        ``n_workers`` processes (default one per core), closed at the end. "threads": a
        local Dask cluster of threads in this process (Python's warning filters are
        shared by threads, so the run notes of concurrent partitions may mix; prefer
        processes when the notes matter). An address
        (``"tcp://10.0.0.5:8786"``) or a :class:`distributed.Client`: that cluster.
        "synchronous": Dask's single-threaded scheduler; "serial": a plain loop without
        Dask (the reference the Dask runs are tested against).
    n_workers : int, optional
        Workers (processes) or threads of a local cluster.
    progress : bool or callable, optional
        A progress bar (default ``geoaccess.options.progress``), or a function called
        ``progress(done, total, code, status)`` after each partition. Each partition is
        also logged (logger ``geoaccess.batch``, INFO).
    cache_dir : path, optional
        Folder of the results and network caches (see the module docstring); without it
        nothing is cached.

    Returns
    -------
    BatchResult
        Per kabupaten, kecamatan and province tables, the failures and the run log.

    Examples
    --------
    Kabupaten Ogan Ilir (16.10) from the national files of the shared data, on a coarse
    2 km grid, without Dask:

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the data notes of the national files
    ...     batch = run_many(["16.10"], resolution_m=2000, scheduler="serial", progress=False)
    >>> batch.kabupaten[["category", "population", "share_within_60_min"]].round(2)
        category  population  share_within_60_min
    0  puskesmas    446020.0                 0.84
    1  inpatient    446020.0                 0.59
    2   hospital    446020.0                 0.19
    3   referral    446020.0                 0.09
    >>> len(batch.failures)
    0
    """
    from .pipeline import check_run_arguments

    t0 = time.perf_counter()
    codes = list(dict.fromkeys(str(c) for c in kabupaten_codes))
    cats = check_run_arguments(
        categories, mode, referral_mode, resolution_m, 60.0, None, None, None, None, None
    )
    d = _data_dir(data_dir)
    params = {
        "resolution_m": float(resolution_m),
        "buffer_km": float(buffer_km),
        "mode": mode,
        "referral_mode": referral_mode,
        "categories": cats,
        "memory_check": bool(memory_check),
    }
    cache = Path(cache_dir) if cache_dir is not None else None
    parts: list[dict[str, Any]] = []
    todo: dict[str, str | None] = {}
    if cache is not None:
        from .config import file_checksums

        checksums = file_checksums(_config(codes[0], d, params)) if codes else {}
        files = {
            str(Path(p).relative_to(d)) if Path(p).is_relative_to(d) else p: s for p, s in checksums.items()
        }
        for code in codes:
            key = _results_key(code, params, files)
            hit = _load_result(cache, key)
            if hit is not None:
                parts.append(hit)
            else:
                todo[code] = key
    else:
        todo = dict.fromkeys(codes)
    bar = _Progress(len(codes), progress)
    for p in parts:
        bar(p["code"], _status(p))

    def finish(p: dict[str, Any]) -> None:
        key = todo.get(p["code"])
        if p["ok"] and cache is not None and key is not None:
            try:
                _save_result(cache, key, p)
            except (OSError, TypeError, ValueError) as e:
                log.warning("results cache: %s not written: %s", p["code"], e)
        parts.append(p)
        bar(p["code"], _status(p))

    args = (params, str(d), str(cache) if cache is not None else None)
    try:
        if todo and scheduler == "serial":
            for code in todo:
                finish(run_partition(code, *args))
        elif todo and scheduler == "synchronous":
            import dask

            tasks = [dask.delayed(run_partition, pure=False)(code, *args) for code in todo]
            for p in dask.compute(*tasks, scheduler="synchronous"):
                finish(p)
        elif todo:
            from distributed import as_completed

            with _client(scheduler, n_workers) as client:
                futures = {
                    client.submit(
                        run_partition, code, *args, key=f"geoaccess-{code}-{(key or '')[:12]}", pure=False
                    ): code
                    for code, key in todo.items()
                }
                for fut in as_completed(futures):
                    code = futures[fut]
                    if fut.status == "finished":
                        finish(fut.result())
                    else:  # the worker died, or the task could not run at all
                        exc = fut.exception()
                        finish(
                            {
                                "code": code,
                                "ok": False,
                                "error": f"{type(exc).__name__}: {exc}",
                                "traceback": "".join(traceback.format_exception(exc)) if exc else "",
                            }
                        )
                    fut.release()
    finally:
        bar.close()
    result = _merge(parts, time.perf_counter() - t0, params)
    if len(result.failures):
        log.warning(
            "%d of %d partitions failed: %s",
            len(result.failures),
            len(codes),
            "; ".join(
                f"{c}: {e}" for c, e in zip(result.failures["code"], result.failures["error"], strict=True)
            ),
        )
    return result


# --------------------------------------------------------------------------- outputs

#: Colour classes of the merged map: share of people within 60 minutes of a puskesmas.
SHARE_CLASSES = (
    (0.0, 0.5, "#bd0026", "< 50%"),
    (0.5, 0.7, "#f03b20", "50-70%"),
    (0.7, 0.8, "#fd8d3c", "70-80%"),
    (0.8, 0.9, "#fecc5c", "80-90%"),
    (0.9, 1.01, "#ffffb2", "90-100%"),
)


def map_many(
    result: BatchResult,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    category: str = "puskesmas",
    level: str = "kecamatan",
    simplify_m: float = 300.0,
) -> Any:
    """One folium map of a :func:`run_many` result: each kecamatan (or kabupaten) of the run
    coloured by the share of its people within 60 minutes of the nearest ``category``.

    Polygons come from ``indonesia/kecamatan.geojson`` / ``kabupaten.geojson`` of the
    data directory, simplified by about ``simplify_m`` metres so that a national map stays
    light; the tooltip gives the name, province, population and the shares within 60 and
    120 minutes. Units without a figure are grey. Save it offline with
    :func:`geoaccess.outputs.maps.save_map`.

    Parameters
    ----------
    result : BatchResult
        From :func:`run_many`.
    data_dir : path, optional
        The data directory with ``indonesia/kecamatan.geojson`` (or ``kabupaten.geojson``);
        default as :func:`geoaccess.settings.resolve_data_dir` finds it.
    category : str, default "puskesmas"
        The facility category whose shares colour the map (a category of the run).
    level : {"kecamatan", "kabupaten"}
        Map kecamatan or whole kabupaten.
    simplify_m : float, default 300
        Simplification tolerance of the polygons, about this many metres.

    Returns
    -------
    folium.Map
        One layer of the units, a legend of :data:`SHARE_CLASSES` and a layer control.

    Raises
    ------
    InputValidationError
        None of the run's units is in the polygon file.

    Examples
    --------
    A run of two kecamatan written by hand (:class:`BatchResult` holds plain tables), and
    a data folder with their polygons in a temporary folder:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import geopandas as gpd, pandas as pd, shapely
    >>> folder = tempfile.TemporaryDirectory()
    >>> data = Path(folder.name) / "data"
    >>> (data / "indonesia").mkdir(parents=True)
    >>> gpd.GeoDataFrame({"code": ["16.10.01", "16.10.02"], "name": ["Barat", "Timur"]},
    ...     geometry=[shapely.box(104.6, -3.4, 104.7, -3.3), shapely.box(104.7, -3.4, 104.8, -3.3)],
    ...     crs="EPSG:4326").to_file(data / "indonesia" / "kecamatan.geojson")
    >>> kec = pd.DataFrame({"category": "puskesmas", "code": ["16.10.01", "16.10.02"],
    ...     "province": "Sumatera Selatan", "population": [12_000.0, 8_000.0],
    ...     "share_within_60_min": [0.95, 0.55], "share_within_120_min": [1.0, 0.85]})
    >>> batch = BatchResult(kabupaten=pd.DataFrame(), kecamatan=kec, province=pd.DataFrame(),
    ...     failures=pd.DataFrame(columns=["code", "error", "traceback"]),
    ...     runs=pd.DataFrame({"code": ["16.10"], "ok": [True]}))
    >>> m = map_many(batch, data_dir=data)
    >>> layer = [c for c in m._children.values() if getattr(c, "layer_name", "").startswith("Share")][0]
    >>> layer.layer_name
    'Share of people within 60 min of a puskesmas (per kecamatan)'
    >>> [(f["properties"]["name"], f["properties"]["within_60_min"], f["properties"]["_color"])
    ...  for f in layer.data["features"]]  # 95%: the 90-100% class; 55%: the 50-70% class
    [('Barat', '95%', '#ffffb2'), ('Timur', '55%', '#f03b20')]
    >>> folder.cleanup()
    """
    from .outputs.maps.base import import_folium, new_map

    folium = import_folium()
    table = result.kecamatan if level == "kecamatan" else result.kabupaten
    t = table[table["category"] == category] if len(table) else table
    d = _data_dir(data_dir)
    import geopandas as gpd

    polys = gpd.read_file(d / f"indonesia/{level}.geojson", columns=["code", "name"])
    polys = polys[polys["code"].astype(str).isin(set(t["code"].astype(str)))] if len(t) else polys.iloc[0:0]
    if len(polys) == 0:
        raise InputValidationError(f"no {level} of this run in indonesia/{level}.geojson", argument="result")
    polys = polys.assign(geometry=polys.geometry.simplify(simplify_m / 111_000.0, preserve_topology=True))
    cols = ["code", "province", "population", "share_within_60_min", "share_within_120_min"]
    polys = polys.merge(t[cols].astype({"code": str}), on="code", how="left")

    def color(v: float) -> str:
        for lo, hi, c, _ in SHARE_CLASSES:
            if lo <= v < hi:
                return c
        return "#969696"

    share = polys["share_within_60_min"].astype(float)
    props = (
        polys[["code", "name", "province"]]
        .astype(str)
        .assign(
            people=polys["population"].map(lambda v: f"{v:,.0f}" if pd.notna(v) else "-"),
            within_60_min=share.map(lambda v: f"{v:.0%}" if pd.notna(v) else "-"),
            within_120_min=polys["share_within_120_min"].map(lambda v: f"{v:.0%}" if pd.notna(v) else "-"),
            _color=share.map(lambda v: color(v) if pd.notna(v) else "#969696"),
        )
    )
    layer_gdf = gpd.GeoDataFrame(props, geometry=polys.geometry.to_numpy(), crs=polys.crs)
    m = new_map(layer_gdf.total_bounds, "OpenStreetMap")
    name = f"Share of people within 60 min of a {category} (per {level})"
    folium.GeoJson(
        layer_gdf.to_json(),
        name=name,
        style_function=lambda f: {
            "fillColor": f["properties"]["_color"],
            "color": "#555555",
            "weight": 0.4,
            "fillOpacity": 0.75,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "code", "province", "people", "within_60_min", "within_120_min"],
            aliases=["", "code", "province", "people", "within 60 min", "within 120 min"],
        ),
    ).add_to(m)
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:10px;background:{c}"></span> {label}</div>'
        for _, _, c, label in SHARE_CLASSES
    )
    legend = (
        '<div style="position:fixed;bottom:24px;left:12px;z-index:9999;background:white;padding:6px 8px;'
        f'border:1px solid #999;font:12px sans-serif"><b>{name}</b>{rows}'
        '<div><span style="display:inline-block;width:14px;height:10px;background:#969696"></span> '
        "no figure</div></div>"
    )
    m.get_root().html.add_child(folium.Element(legend))  # type: ignore[attr-defined]
    folium.LayerControl().add_to(m)
    return m


def write_many(
    result: BatchResult,
    out_dir: str | os.PathLike[str],
    *,
    map: bool = True,
    data_dir: str | os.PathLike[str] | None = None,
    name: str = "batch",
) -> dict[str, Path]:
    """Write a :func:`run_many` result: ``<name>_province.csv``, ``<name>_kabupaten.csv``,
    ``<name>_kecamatan.csv`` (one row per category and unit), ``<name>_failures.csv``,
    ``<name>_runs.csv``, ``<name>_notes.txt`` when the run has notes
    (:attr:`BatchResult.notes`, one a line) and, with ``map``, ``<name>_map.html``
    (:func:`map_many`, offline). Returns the paths written by kind.

    Parameters
    ----------
    result : BatchResult
        From :func:`run_many`.
    out_dir : path
        Folder to write into (made when missing).
    map : bool, default True
        Also write the map (when the run has kecamatan rows); needs the polygons of
        ``data_dir``.
    data_dir : path, optional
        As for :func:`map_many`.
    name : str, default "batch"
        File name prefix.

    Returns
    -------
    dict of str to Path
        ``province``, ``kabupaten``, ``kecamatan``, ``failures``, ``runs``, ``notes`` (when
        there are notes) and, with the map, ``map``.

    Examples
    --------
    A run of two kecamatan written by hand (:class:`BatchResult` holds plain tables), and
    a data folder with their polygons in a temporary folder:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import geopandas as gpd, pandas as pd, shapely
    >>> folder = tempfile.TemporaryDirectory()
    >>> data = Path(folder.name) / "data"
    >>> (data / "indonesia").mkdir(parents=True)
    >>> gpd.GeoDataFrame({"code": ["16.10.01", "16.10.02"], "name": ["Barat", "Timur"]},
    ...     geometry=[shapely.box(104.6, -3.4, 104.7, -3.3), shapely.box(104.7, -3.4, 104.8, -3.3)],
    ...     crs="EPSG:4326").to_file(data / "indonesia" / "kecamatan.geojson")
    >>> kec = pd.DataFrame({"category": "puskesmas", "code": ["16.10.01", "16.10.02"],
    ...     "province": "Sumatera Selatan", "population": [12_000.0, 8_000.0],
    ...     "share_within_60_min": [0.95, 0.55], "share_within_120_min": [1.0, 0.85]})
    >>> batch = BatchResult(kabupaten=pd.DataFrame(), kecamatan=kec, province=pd.DataFrame(),
    ...     failures=pd.DataFrame(columns=["code", "error", "traceback"]),
    ...     runs=pd.DataFrame({"code": ["16.10"], "ok": [True]}))
    >>> files = write_many(batch, Path(folder.name) / "hasil", data_dir=data, name="sumsel")
    >>> [path.name for path in files.values()]
    ['sumsel_province.csv', 'sumsel_kabupaten.csv', 'sumsel_kecamatan.csv', 'sumsel_failures.csv',
     'sumsel_runs.csv', 'sumsel_map.html']
    >>> pd.read_csv(files["kecamatan"])[["code", "share_within_60_min"]]
           code  share_within_60_min
    0  16.10.01                 0.95
    1  16.10.02                 0.55
    >>> folder.cleanup()
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for kind, df in (
        ("province", result.province),
        ("kabupaten", result.kabupaten),
        ("kecamatan", result.kecamatan),
        ("failures", result.failures),
        ("runs", result.runs),
    ):
        p = out / f"{name}_{kind}.csv"
        df.to_csv(p, index=False)
        written[kind] = p
    if result.notes:
        p = out / f"{name}_notes.txt"
        p.write_text("".join(f"{n}\n" for n in result.notes), encoding="utf-8")
        written["notes"] = p
    if map and len(result.kecamatan):
        from .outputs.maps import save_map

        written["map"] = save_map(map_many(result, data_dir=data_dir), out / f"{name}_map.html")
    return written
