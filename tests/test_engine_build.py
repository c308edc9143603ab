"""The graph build's fast paths give exactly the graph of a straightforward construction.

:func:`build_network` takes the lattice's entries already in CSR order and sorts only the
road, waterway, connector and landing entries (``network._assemble_csr``). Here a
reference keeps the construction it replaced: every lattice edge built direction by
direction (``_reference_lattice``), all entries sorted together on (row, col, minutes)
and the first of each (row, col) kept (``_reference_csr``). The CSR arrays (indptr,
indices, data and their dtypes) and ``csr_edge`` must be equal, element for element, on
random layouts (area, speeds with impassable cells, barriers, parallel roads, one-way
roads, toll roads, boats) and on Muara Enim at 250 m.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import scipy.sparse as sp
import shapely
from conftest import write_geotiff
from rasterio.transform import from_origin

import geoaccess as ga
from geoaccess.engine import lattice as lattice_mod
from geoaccess.engine import network as network_mod
from geoaccess.engine.speeds import KPH_TO_M_PER_MIN
from geoaccess.exceptions import GeoAccessWarning

UTM = "EPSG:32748"
X0, Y0 = 400_000.0, 9_660_000.0


def _reference_lattice(lat, first_node):
    """Lattice edges as build_lattice made them before (four directions, both ways)."""
    node_of_cell = lat.node_of_cell
    active = node_of_cell >= 0
    nrows, ncols = active.shape
    m_per_min = lat.speed_kph * KPH_TO_M_PER_MIN
    rows, cols, w = [], [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        step = lat.resolution_m * (np.sqrt(2.0) if dr and dc else 1.0)
        r0, r1 = 0, nrows - dr
        c0, c1 = max(0, -dc), ncols - max(0, dc)
        a = active[r0:r1, c0:c1]
        b = active[r0 + dr : r1 + dr, c0 + dc : c1 + dc]
        ok = a & b
        if dr and dc:
            ok &= active[r0 + dr : r1 + dr, c0:c1] | active[r0:r1, c0 + dc : c1 + dc]
        ia = node_of_cell[r0:r1, c0:c1][ok]
        ib = node_of_cell[r0 + dr : r1 + dr, c0 + dc : c1 + dc][ok]
        t = (
            0.5 * step / m_per_min[r0:r1, c0:c1][ok]
            + 0.5 * step / m_per_min[r0 + dr : r1 + dr, c0 + dc : c1 + dc][ok]
        )
        rows += [ia, ib]
        cols += [ib, ia]
        w += [t, t]
    r = np.concatenate(rows).astype(np.int64)
    return r, np.concatenate(cols).astype(np.int64), np.concatenate(w), np.full(len(r), -1, np.int64)


def _reference_csr(parts, n):
    """All entries sorted on (row, col, minutes), the first of each (row, col) kept."""
    r = np.concatenate([p[0] for p in parts]).astype(np.int64)
    c = np.concatenate([p[1] for p in parts]).astype(np.int64)
    w = np.maximum(np.concatenate([p[2] for p in parts]).astype(float), network_mod.MIN_EDGE_MIN)
    src = np.concatenate([p[3] for p in parts]).astype(np.int64)
    order = np.lexsort((w, c, r))
    r, c, w, src = r[order], c[order], w[order], src[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    r, c, w, src = r[first], c[first], w[first], src[first]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
    return sp.csr_matrix((w, c, indptr), shape=(n, n)), src


def _assert_same(graph, src, ref_graph, ref_src):
    for name in ("indptr", "indices", "data"):
        a, b = getattr(graph, name), getattr(ref_graph, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert src.dtype == np.int32  # the reference keeps int64; the values are the same
    np.testing.assert_array_equal(src, ref_src)
    assert graph.shape == ref_graph.shape


def _build_and_reference(monkeypatch, *args, **kwargs):
    """build_network, and the reference graph from the same small entry lists."""
    seen = {}
    real = network_mod._assemble_csr

    def spy(parts, n, lattice=None):
        seen["parts"], seen["n"] = list(parts), n
        return real(parts, n, lattice)

    monkeypatch.setattr(network_mod, "_assemble_csr", spy)
    net = ga.build_network(*args, **kwargs)
    parts = list(seen["parts"])
    if net.lattice is not None:
        parts.insert(1, _reference_lattice(net.lattice, net.n_road_nodes))  # old entry order
    ref, ref_src = _reference_csr(parts, seen["n"])
    return net, ref, ref_src


def _random_layout(rng, tmp_path, res):
    size = res * rng.integers(15, 40)
    boxes = []
    for _ in range(rng.integers(1, 4)):
        x, y = rng.uniform(0, size * 0.6, 2)
        boxes.append(shapely.box(X0 + x, Y0 + y, X0 + x + rng.uniform(0.3, 0.6) * size, Y0 + y + size * 0.5))
    area = gpd.GeoSeries([shapely.union_all(boxes)], crs=UTM)
    classes = np.array(["primary", "secondary", "tertiary", "residential", "path", "motorway"])
    lines, cls, oneway, toll = [], [], [], []
    for _ in range(rng.integers(3, 12)):
        pts = X0 + rng.uniform(-res, size, (rng.integers(2, 5), 2)) * [1, 1]
        pts[:, 1] += Y0 - X0
        line = shapely.LineString(pts)
        k = int(rng.integers(1, 3))  # parallel copies: duplicate (row, col) entries
        for _ in range(k):
            lines.append(line)
            cls.append(str(rng.choice(classes)))
            oneway.append(bool(rng.random() < 0.3))
            toll.append(bool(rng.random() < 0.15))
    roads = gpd.GeoDataFrame({"road_class": cls, "oneway": oneway, "toll": toll}, geometry=lines, crs=UTM)
    barriers = None
    if rng.random() < 0.6:
        y = Y0 + rng.uniform(0, size)
        barriers = gpd.GeoSeries(
            [shapely.LineString([(X0 - res, y), (X0 + size, y + rng.uniform(-1, 1) * size)])], crs=UTM
        )
    raster = None
    if rng.random() < 0.6:
        n = int(size // res) + 4
        speed = rng.choice([0.0, 2.0, 3.0, 4.0, 5.0], size=(n, n)).astype("float32")
        raster = write_geotiff(
            tmp_path / f"speed{rng.integers(1 << 30)}.tif",
            speed,
            transform=from_origin(X0 - 2 * res, Y0 + size + 2 * res, res, res),
            crs=UTM,
        )
    return area, roads, barriers, raster


@pytest.mark.parametrize("seed", range(12))
def test_build_equals_reference_on_random_layouts(seed, tmp_path, monkeypatch):
    rng = np.random.default_rng(seed)
    res = float(rng.choice([50.0, 100.0, 130.0]))
    area, roads, barriers, raster = _random_layout(rng, tmp_path, res)
    mode = str(rng.choice(["motorbike", "car", "walk"]))
    net, ref, ref_src = _build_and_reference(
        monkeypatch,
        roads if seed % 5 else None,
        mode,
        area=area,
        resolution_m=res,
        barriers=barriers,
        offroad_speed_raster=raster,
        max_edge_m=float(rng.choice([res / 2, res, 2 * res])),
    )
    assert net.n_cells > 0
    _assert_same(net.graph, net.csr_edge, ref, ref_src)


def test_build_equals_reference_with_boats(monkeypatch):
    area = gpd.GeoSeries([shapely.box(X0, Y0, X0 + 5000, Y0 + 2000)], crs=UTM)
    river = gpd.GeoDataFrame(
        geometry=[shapely.LineString([(X0 - 500, Y0 + 1025), (X0 + 5500, Y0 + 1025)])], crs=UTM
    )
    road = gpd.GeoDataFrame(
        {"road_class": ["lokal", "lokal"]},
        geometry=[
            shapely.LineString([(X0 + 100, Y0 + 1150), (X0 + 4000, Y0 + 1150)]),
            shapely.LineString([(X0 + 100, Y0 + 1150), (X0 + 4000, Y0 + 1150)]),
        ],
        crs=UTM,
    )
    landings = gpd.GeoDataFrame(
        geometry=[shapely.Point(X0 + 2050, Y0 + 1150), shapely.Point(X0 + 3050, Y0 + 950)], crs=UTM
    )
    for kw in ({"landings": landings}, {"landings": None}):
        net, ref, ref_src = _build_and_reference(
            monkeypatch,
            road,
            "motorbike",
            area=area,
            resolution_m=100,
            barriers=river if kw["landings"] is not None else None,
            waterways=river,
            **kw,
        )
        assert (net.csr_edge == -2).any()
        _assert_same(net.graph, net.csr_edge, ref, ref_src)


def test_public_build_lattice_gives_the_same_edges():
    area = gpd.GeoSeries([shapely.Point(X0, Y0).buffer(2000)], crs=UTM)
    barrier = gpd.GeoSeries([shapely.LineString([(X0 - 3000, Y0 - 3000), (X0 + 3000, Y0 + 2500)])], crs=UTM)
    lat, xy, r, c, w = lattice_mod.build_lattice(
        area, 100.0, pyproj.CRS(UTM), 5.0, None, None, None, barrier, 7
    )
    rr, rc, rw, _ = _reference_lattice(lat, 7)
    a = np.lexsort((c, r))
    b = np.lexsort((rc, rr))
    np.testing.assert_array_equal(r[a], rr[b])
    np.testing.assert_array_equal(c[a], rc[b])
    np.testing.assert_array_equal(w[a], rw[b])
    assert r.dtype == c.dtype == np.int64 and len(xy) == int((lat.node_of_cell >= 0).sum())


def test_assemble_csr_falls_back_when_small_entries_join_cells():
    """A small entry between two cells (not a layout build_network makes) is still merged right."""
    rng = np.random.default_rng(3)
    first, k = 5, 40
    rows = np.repeat(np.arange(first, first + k), 3)
    cols = first + rng.integers(0, k, len(rows))
    keep = np.ones(len(rows), bool)
    key = rows * 1000 + cols
    _, u = np.unique(key, return_index=True)
    keep[:] = False
    keep[u] = True
    rows, cols = rows[keep], cols[keep]
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    w = rng.random(len(rows))
    counts = np.bincount(rows - first, minlength=k)
    small = (
        np.array([0, 1, first + 2, first + 2, 3]),
        np.array([1, first + 1, first + 3, 0, 4]),
        np.array([1.0, 2.0, 0.0, 3.0, 4.0]),
        np.array([0, -1, 7, -2, 1]),
    )
    n = first + k
    g, src = network_mod._assemble_csr([small], n, (first, counts, cols.astype(np.int32), w))
    ref, ref_src = _reference_csr([small, (rows, cols, w, np.full(len(rows), -1))], n)
    _assert_same(g, src, ref, ref_src)


def test_muara_enim_250_equals_reference(data_dir, monkeypatch):
    from geoaccess.inputs import datasets

    with warnings.catch_warnings():  # the loader's data-quality warnings
        warnings.simplefilter("ignore", GeoAccessWarning)
        region = datasets.load("muara_enim", data_dir=data_dir)
    net, ref, ref_src = _build_and_reference(
        monkeypatch, region.roads, "motorbike", area=region.study_area, resolution_m=250
    )
    _assert_same(net.graph, net.csr_edge, ref, ref_src)
