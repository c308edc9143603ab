"""Built networks kept on disk, so a rerun or another analysis of the same area skips the build.

An entry is one :class:`~geoaccess.engine.network.Network` in two files named by its key:
``<key>.npz`` (numpy arrays only: the CSR graph, node coordinates, the lattice grids, the
road edges table column by column, barrier geometries as WKB bytes) and ``<key>.json``
(the scalars: CRS, mode, speeds, the road repair report, the dtypes of the edge columns,
the geoaccess version, the cache format, and the SHA-256 of the ``.npz``). **No pickle**:
arrays are written and read with ``allow_pickle=False``; text columns are stored as fixed
width unicode arrays with a mask of missing values.

The key (:func:`network_key`) is the SHA-256 of everything the build depends on: the road
layer (geometry WKB and every attribute column), the study area geometry, the mode, every
build parameter, the geoaccess version and :data:`FORMAT`. Both files are written to a
temporary name in the cache folder and moved into place with :func:`os.replace` (the
``.json`` last, so a half-written entry is never read as whole). An entry whose files are
missing, truncated, unreadable, whose checksum, version, format or key does not match is
treated as absent: it is rebuilt and rewritten (:attr:`NetworkCache.rejected` records why).

Examples
--------
>>> import tempfile, geopandas as gpd, shapely
>>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]},
...     geometry=[shapely.LineString([(0, 0), (3000, 0)])], crs="EPSG:32748")
>>> area = gpd.GeoSeries([shapely.box(-500, -500, 3500, 500)], crs="EPSG:32748")
>>> cache = NetworkCache(tempfile.mkdtemp())
>>> a = cache.build(roads, "motorbike", area=area, resolution_m=500)
>>> b = cache.build(roads, "motorbike", area=area, resolution_m=500)
>>> cache.hits, cache.misses, a.n_nodes == b.n_nodes
(1, 1, True)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import scipy.sparse as sp
import shapely

from .._files import atomic_write, file_sha256
from .lattice import Lattice
from .network import Network, build_network

__all__ = ["FORMAT", "NetworkCache", "frame_from_arrays", "frame_to_arrays", "network_key"]

log = logging.getLogger(__name__)

#: Version of the on-disk layout; an entry of another format is rebuilt.
FORMAT = 1


def _version() -> str:
    from .._fingerprint import cache_stamp  # the version alone stays the same across code changes

    return cache_stamp()


# --------------------------------------------------------------------------- frames as arrays


def frame_to_arrays(df: pd.DataFrame, prefix: str) -> tuple[dict[str, np.ndarray], list[dict[str, Any]]]:
    """A DataFrame as plain numpy arrays (no object arrays) and the JSON-able column list.

    Numbers and booleans are kept as they are; text, categorical and mixed columns become a
    unicode array plus a boolean mask of missing values. The index is not kept (reset it).

    Parameters
    ----------
    df : DataFrame
        The frame (its index is not kept).
    prefix : str
        Put before every array name (several frames share one ``.npz``).

    Returns
    -------
    arrays : dict of str to ndarray
        Plain numpy arrays, no object dtype.
    cols : list of dict
        The JSON-able description of each column, for :func:`frame_from_arrays`.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2], "b": ["x", None], "c": pd.Categorical(["p", "q"])})
    >>> arrays, cols = frame_to_arrays(df, "e")
    >>> frame_from_arrays(arrays, cols, "e").equals(df)
    True
    """
    arrays: dict[str, np.ndarray] = {}
    cols: list[dict[str, Any]] = []
    for i, (name, s) in enumerate(df.items()):
        key = f"{prefix}{i}"
        dtype = s.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            cats = [str(c) for c in dtype.categories]
            arrays[key] = s.cat.codes.to_numpy(dtype=np.int32)
            cols.append({"name": str(name), "kind": "category", "categories": cats, "ordered": dtype.ordered})
        elif dtype.kind in "biuf" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
            arrays[key] = s.to_numpy()
            cols.append({"name": str(name), "kind": "numpy", "dtype": dtype.str})
        else:
            values = s.to_numpy(dtype=object)
            na = pd.isna(values)
            if not all(isinstance(v, str) for v in values[~na]):
                raise TypeError(
                    f"column {name!r} holds values that are not text; cannot store it without pickle"
                )
            arrays[key] = np.array(["" if m else v for v, m in zip(values, na, strict=True)], dtype=str)
            arrays[key + "_na"] = na.astype(bool)
            cols.append({"name": str(name), "kind": "text", "dtype": str(dtype)})
    return arrays, cols


def frame_from_arrays(
    arrays: Mapping[str, np.ndarray], cols: list[dict[str, Any]], prefix: str
) -> pd.DataFrame:
    """The DataFrame :func:`frame_to_arrays` stored (RangeIndex).

    Parameters
    ----------
    arrays : mapping of str to ndarray
        The arrays written by :func:`frame_to_arrays` (e.g. an opened ``.npz``).
    cols : list of dict
        Its column list.
    prefix : str
        Its prefix.

    Returns
    -------
    DataFrame
        The frame, with a RangeIndex.

    Examples
    --------
    >>> df = pd.DataFrame({"road_class": ["lokal", None], "speed_kph": [25.0, 40.0]})
    >>> frame_from_arrays(*frame_to_arrays(df, "edges"), "edges").equals(df)
    True
    """
    data: dict[str, Any] = {}
    for i, c in enumerate(cols):
        a = arrays[f"{prefix}{i}"]
        if c["kind"] == "category":
            data[c["name"]] = pd.Categorical.from_codes(a, categories=c["categories"], ordered=c["ordered"])
        elif c["kind"] == "numpy":
            data[c["name"]] = a.astype(np.dtype(c["dtype"]), copy=False)
        else:
            values = a.astype(object)
            values[arrays[f"{prefix}{i}_na"]] = None
            data[c["name"]] = pd.Series(values, dtype=c["dtype"] if c["dtype"] != "object" else object)
    return pd.DataFrame(data)


# --------------------------------------------------------------------------- key


def _hash_geo(h: Any, obj: Any) -> None:
    """Feed a layer, a geometry, a path or a plain value into the hash ``h``."""
    if obj is None:
        h.update(b"<none>")
    elif isinstance(obj, gpd.GeoDataFrame | gpd.GeoSeries):
        h.update(str(obj.crs.to_wkt() if obj.crs is not None else None).encode())
        geoms = np.asarray(obj.geometry.to_numpy(), dtype=object)
        for g in shapely.to_wkb(geoms, hex=False, include_srid=False):
            h.update(b"<geom>" if g is None else g)
        if isinstance(obj, gpd.GeoDataFrame):
            attrs = pd.DataFrame(obj.drop(columns=obj.geometry.name))
            h.update(json.dumps([str(c) for c in attrs.columns]).encode())
            h.update(json.dumps([str(t) for t in attrs.dtypes]).encode())
            if len(attrs.columns):
                h.update(pd.util.hash_pandas_object(attrs.astype(str), index=False).to_numpy().tobytes())
    elif isinstance(obj, shapely.Geometry):
        h.update(shapely.to_wkb(obj))
    elif isinstance(obj, str | os.PathLike) and Path(obj).is_file():
        h.update(b"<file>")
        with open(obj, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    else:
        h.update(json.dumps(obj, sort_keys=True, default=_unkeyable).encode())


def _unkeyable(obj: Any) -> Any:
    raise TypeError(f"cannot key a {type(obj).__name__}")


def network_key(roads: Any, mode: str, **params: Any) -> str | None:
    """SHA-256 key of a :func:`~geoaccess.build_network` call, or None when an input cannot be
    keyed (e.g. an open raster dataset, an osmnx graph): such a build is not cached.

    The key covers the road layer and the area (geometry and attributes), files given by
    path (their content), every parameter, the geoaccess version and :data:`FORMAT`.

    Parameters
    ----------
    roads : GeoDataFrame, path or None
        As given to :func:`~geoaccess.build_network`.
    mode : str
        The travel mode.
    **params
        Every other keyword of :func:`~geoaccess.build_network`.

    Returns
    -------
    str or None
        64 hex digits, or None for inputs that cannot be keyed.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> car = network_key(roads, "car", offroad=False)
    >>> len(car), car == network_key(roads, "car", offroad=False)
    (64, True)
    >>> car == network_key(roads, "walk", offroad=False)
    False
    """
    h = hashlib.sha256()
    h.update(json.dumps({"format": FORMAT, "version": _version(), "mode": mode}).encode())
    try:
        h.update(b"<roads>")
        _hash_geo(h, roads)
        for name in sorted(params):
            h.update(f"<{name}>".encode())
            _hash_geo(h, params[name])
    except TypeError as e:
        log.debug("network not cached: %s", e)
        return None
    return h.hexdigest()


# --------------------------------------------------------------------------- the cache


class NetworkCache:
    """A folder of built networks (``.npz`` arrays + ``.json`` metadata), keyed by their inputs.

    Parameters
    ----------
    folder : path
        Created when needed. Safe to share between processes on one machine (writes are
        atomic; two processes building the same entry both write it, the last one wins).

    Attributes
    ----------
    hits, misses : int
        Loads served from disk, and builds (absent, unkeyable or rejected entries).
    rejected : list of (key, reason)
        Entries found but not used (truncated, checksum, version or format mismatch...).

    Examples
    --------
    The second build of the same inputs is read from disk:

    >>> import tempfile
    >>> import geopandas as gpd, shapely
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     cache = NetworkCache(folder)
    ...     first = cache.build(roads, "car", offroad=False)
    ...     again = cache.build(roads, "car", offroad=False)
    >>> cache.misses, cache.hits, again.n_nodes == first.n_nodes
    (1, 1, True)
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0
        self.rejected: list[tuple[str, str]] = []

    def paths(self, key: str) -> tuple[Path, Path]:
        """The ``.npz`` and ``.json`` files of an entry.

        Parameters
        ----------
        key : str
            An entry's key (:func:`network_key`).

        Returns
        -------
        npz, meta : Path
            The two files.

        Examples
        --------
        >>> import tempfile
        >>> import geopandas as gpd, shapely
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> folder = tempfile.TemporaryDirectory()
        >>> cache = NetworkCache(folder.name)
        >>> [path.name for path in cache.paths("abc")]
        ['abc.npz', 'abc.json']
        >>> folder.cleanup()
        """
        return self.folder / f"{key}.npz", self.folder / f"{key}.json"

    def build(self, roads: Any = None, mode: str = "motorbike", **params: Any) -> Network:
        """:func:`~geoaccess.build_network` ``(roads, mode, **params)``, from disk when an entry
        with the same key is there and sound; built and stored otherwise.

        Parameters
        ----------
        roads : GeoDataFrame, path or None
            As for :func:`~geoaccess.build_network`.
        mode : str
            The travel mode.
        **params
            Every other keyword of :func:`~geoaccess.build_network`.

        Returns
        -------
        Network

        Examples
        --------
        >>> import tempfile
        >>> import geopandas as gpd, shapely
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> folder = tempfile.TemporaryDirectory()
        >>> cache = NetworkCache(folder.name)
        >>> net = cache.build(roads, "car", offroad=False)
        >>> again = cache.build(roads, "car", offroad=False)  # read from disk
        >>> cache.misses, cache.hits, again.edges.equals(net.edges)
        (1, 1, True)
        >>> folder.cleanup()
        """
        key = network_key(roads, mode, **params)
        if key is not None:
            net = self.load(key)
            if net is not None:
                self.hits += 1
                return net
        self.misses += 1
        net = build_network(roads, mode, **params)
        if key is not None:
            try:
                self.save(key, net)
            except (OSError, TypeError, ValueError) as e:  # a cache that cannot be written is no error
                log.warning("network cache: entry %s not written: %s", key[:12], e)
        return net

    # ---------------------------------------------------------------- write

    def save(self, key: str, net: Network) -> None:
        """Write ``net`` under ``key`` (atomically: temp files + :func:`os.replace`).

        Parameters
        ----------
        key : str
            The entry's key (:func:`network_key`).
        net : Network
            A network as built (not one made by :meth:`Network.with_edge_times`).

        Examples
        --------
        >>> import tempfile
        >>> import geopandas as gpd, shapely
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> folder = tempfile.TemporaryDirectory()
        >>> cache = NetworkCache(folder.name)
        >>> import geoaccess as ga
        >>> net = ga.build_network(roads, "car", offroad=False)
        >>> key = network_key(roads, "car", offroad=False)
        >>> cache.save(key, net)
        >>> all(path.is_file() for path in cache.paths(key))
        True
        >>> folder.cleanup()
        """
        if net._base is not None:
            raise ValueError("only a network as built is cached (not one made by with_edge_times)")
        self.folder.mkdir(parents=True, exist_ok=True)
        g = net.graph.tocsr()
        arrays: dict[str, np.ndarray] = {
            "graph_data": g.data,
            "graph_indices": g.indices,
            "graph_indptr": g.indptr,
            "node_xy": np.asarray(net.node_xy),
        }
        if net.csr_edge is not None:
            arrays["csr_edge"] = np.asarray(net.csr_edge)
        lat = None
        if net.lattice is not None:
            arrays["lattice_node_of_cell"] = net.lattice.node_of_cell
            arrays["lattice_speed_kph"] = net.lattice.speed_kph
            lat = {
                "x0": net.lattice.x0,
                "y0": net.lattice.y0,
                "resolution_m": net.lattice.resolution_m,
                "shape": list(net.lattice.shape),
            }
        edge_arrays, edge_cols = frame_to_arrays(net.edges.reset_index(drop=True), "edges_")
        arrays.update(edge_arrays)
        barriers = None
        if net.barriers is not None:
            wkb = shapely.to_wkb(np.asarray(net.barriers.geometry.to_numpy(), dtype=object))
            lens = np.array([0 if w is None else len(w) for w in wkb], dtype=np.int64)
            arrays["barriers_wkb"] = np.frombuffer(b"".join(w or b"" for w in wkb), dtype=np.uint8)
            arrays["barriers_len"] = lens
            barriers = {"crs": net.barriers.crs.to_wkt() if net.barriers.crs is not None else None}
        repair = None
        if net.repair is not None and dataclasses.is_dataclass(net.repair):
            repair = dataclasses.asdict(net.repair)  # type: ignore[arg-type]
        npz, meta_path = self.paths(key)
        atomic_write(npz, lambda fh: np.savez(fh, **arrays))  # type: ignore[arg-type]
        meta = {
            "format": FORMAT,
            "geoaccess_version": _version(),
            "key": key,
            "npz_sha256": file_sha256(npz),
            "graph_shape": list(g.shape),
            "crs": net.crs.to_wkt(),
            "n_road_nodes": int(net.n_road_nodes),
            "mode": net.mode,
            "road_speeds_kph": {k: float(v) for k, v in net.road_speeds_kph.items()},
            "offroad_speed_kph": float(net.offroad_speed_kph),
            "lattice": lat,
            "edge_columns": edge_cols,
            "repair": repair,
            "barriers": barriers,
            "boat_speed_kph": net.boat_speed_kph,
            "landing_wait_min": net.landing_wait_min,
        }
        atomic_write(meta_path, lambda fh: fh.write(json.dumps(meta, indent=1).encode()))

    # ---------------------------------------------------------------- read

    def _reject(self, key: str, reason: str) -> None:
        log.info("network cache: entry %s rebuilt: %s", key[:12], reason)
        self.rejected.append((key, reason))

    def load(self, key: str) -> Network | None:
        """The network stored under ``key``, or None (absent, or rejected: see :attr:`rejected`).

        Parameters
        ----------
        key : str
            The entry's key (:func:`network_key`).

        Returns
        -------
        Network or None

        Examples
        --------
        >>> import tempfile
        >>> import geopandas as gpd, shapely
        >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
        ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
        >>> folder = tempfile.TemporaryDirectory()
        >>> cache = NetworkCache(folder.name)
        >>> key = network_key(roads, "car", offroad=False)
        >>> cache.load(key) is None  # nothing stored yet
        True
        >>> _ = cache.build(roads, "car", offroad=False)
        >>> cache.load(key).n_nodes
        21
        >>> folder.cleanup()
        """
        npz, meta_path = self.paths(key)
        if not meta_path.is_file() and not npz.is_file():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            self._reject(key, f"metadata unreadable: {e}")
            return None
        if not isinstance(meta, dict):
            self._reject(key, "metadata is not an object")
            return None
        if meta.get("format") != FORMAT:
            self._reject(key, f"cache format {meta.get('format')!r}, expected {FORMAT}")
            return None
        if meta.get("geoaccess_version") != _version():
            self._reject(key, f"written by geoaccess {meta.get('geoaccess_version')!r}, this is {_version()}")
            return None
        if meta.get("key") != key:
            self._reject(key, "metadata of another entry")
            return None
        try:
            if file_sha256(npz) != meta.get("npz_sha256"):
                self._reject(key, "arrays file changed or truncated (checksum mismatch)")
                return None
            with np.load(npz, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
            return self._network(meta, arrays)
        except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
            self._reject(key, f"unreadable: {type(e).__name__}: {e}")
            return None

    @staticmethod
    def _network(meta: dict[str, Any], a: dict[str, np.ndarray]) -> Network:
        n, m = meta["graph_shape"]
        graph = sp.csr_matrix((a["graph_data"], a["graph_indices"], a["graph_indptr"]), shape=(n, m))
        lat = None
        if meta["lattice"] is not None:
            L = meta["lattice"]
            lat = Lattice(
                x0=L["x0"],
                y0=L["y0"],
                resolution_m=L["resolution_m"],
                shape=(int(L["shape"][0]), int(L["shape"][1])),
                node_of_cell=a["lattice_node_of_cell"],
                speed_kph=a["lattice_speed_kph"],
            )
        repair = None
        if meta["repair"] is not None:
            from ..inputs.roads.repair import RoadRepair

            repair = RoadRepair(**meta["repair"])
        barriers = None
        if meta["barriers"] is not None:
            lens = a["barriers_len"]
            buf = a["barriers_wkb"].tobytes()
            ends = np.cumsum(lens)
            wkb = [buf[e - k : e] if k else None for e, k in zip(ends, lens, strict=True)]
            barriers = gpd.GeoSeries(
                shapely.from_wkb(np.array(wkb, dtype=object)), crs=meta["barriers"]["crs"]
            )
        return Network(
            graph=graph,
            node_xy=a["node_xy"],
            crs=pyproj.CRS.from_wkt(meta["crs"]),
            n_road_nodes=int(meta["n_road_nodes"]),
            mode=meta["mode"],
            road_speeds_kph=dict(meta["road_speeds_kph"]),
            offroad_speed_kph=float(meta["offroad_speed_kph"]),
            lattice=lat,
            edges=frame_from_arrays(a, meta["edge_columns"], "edges_"),
            repair=repair,
            csr_edge=a.get("csr_edge"),
            barriers=barriers,
            boat_speed_kph=meta["boat_speed_kph"],
            landing_wait_min=meta["landing_wait_min"],
        )
