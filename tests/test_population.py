"""Tests of geoaccess.inputs.population: join, zonal sums on a tiny raster, conserved allocation."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from geoaccess.exceptions import (
    CRSError,
    DataNotFoundError,
    GeoAccessWarning,
    InputValidationError,
    MissingColumnError,
    NonUniqueIDError,
)
from geoaccess.inputs import population


def _desa() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["16.03.01.2001", "16.03.01.2002", "16.03.01.2003"], "name": ["A", "B", "C"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        crs="EPSG:32748",
        index=[7, 8, 9],
    )


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode": ["16.03.01.2001", "16.03.01.2002", "16.03.99.2999", None],
            "desa": ["A", "B", "Ghost", "Lost"],
            "pop": [1200, 800, 500, 300],
            "flood": [0.1, 0.5, 0.9, 0.0],
        }
    )


# ----------------------------------------------------------------------------- join


def test_join_reports_both_sides_and_keeps_polygons():
    desa, table = _desa(), _table()
    d0, t0 = desa.copy(), table.copy()
    with pytest.warns(GeoAccessWarning) as rec:
        out = population.join_population(desa, table, table_on="kode", pop_col="pop", columns=["flood"])
    msg = str(rec[0].message)
    assert out.index.tolist() == [7, 8, 9]
    assert out["population"].dtype == float
    assert out["population"].tolist()[:2] == [1200.0, 800.0]
    assert np.isnan(out["population"].iloc[2])
    assert out["flood"].tolist()[:2] == [0.1, 0.5]
    assert "1 of 3 polygon(s) have no population figure" in msg and "16.03.01.2003" in msg
    assert "2 table row(s) match no polygon" in msg and "(800 persons)" in msg
    assert "16.03.99.2999 'Ghost'" in msg and "index 3 (empty kode) 'Lost'" in msg
    assert out.crs == desa.crs
    pd.testing.assert_frame_equal(pd.DataFrame(desa), pd.DataFrame(d0))
    pd.testing.assert_frame_equal(table, t0)


def test_join_numeric_keys_match_text_keys_and_csv_path(tmp_path):
    desa = _desa().assign(code=["1", "2", "3"])
    table = pd.DataFrame({"code": [1.0, 2.0, 3.0], "population": [5, 6, 7]})
    out = population.join_population(desa, table)  # no warning: everything matched
    assert out["population"].tolist() == [5.0, 6.0, 7.0]
    path = tmp_path / "pop.csv"
    table.to_csv(path, index=False)
    assert population.join_population(desa, path)["population"].tolist() == [5.0, 6.0, 7.0]
    with pytest.raises(DataNotFoundError, match=r"nope\.csv"):
        population.join_population(desa, tmp_path / "nope.csv")


def test_join_errors_name_the_argument():
    desa, table = _desa(), _table()
    with pytest.raises(MissingColumnError, match=r"`table`.*'population'"):
        population.join_population(desa, table, table_on="kode")
    with pytest.raises(MissingColumnError, match=r"`desa`.*'kode_desa'"):
        population.join_population(desa, table, on="kode_desa", table_on="kode", pop_col="pop")
    dup = pd.concat([table, table.iloc[[0]]], ignore_index=True)
    with pytest.raises(NonUniqueIDError, match=r"`table`.*16\.03\.01\.2001"):
        population.join_population(desa, dup, table_on="kode", pop_col="pop")
    neg = table.assign(pop=[-1, 2, 3, 4])
    with pytest.raises(InputValidationError, match=r"`table`.*negative"):
        population.join_population(desa, neg, table_on="kode", pop_col="pop")


# ----------------------------------------------------------------------------- zonal


@pytest.fixture
def raster_path(tmp_path) -> Path:
    """4 x 4 cells of 100 m in UTM 48S, origin (0, 400); values 1..16 row by row from the top."""
    path = tmp_path / "pop.tif"
    data = np.arange(1, 17, dtype="float32").reshape(4, 4)
    data[3, 3] = -9999  # nodata in the bottom-right cell
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=4,
        width=4,
        count=1,
        dtype="float32",
        crs="EPSG:32748",
        transform=from_origin(0, 400, 100, 100),
        nodata=-9999,
    ) as ds:
        ds.write(data, 1)
    return path


def test_zonal_sum_exact_partial_cells(raster_path):
    polys = gpd.GeoDataFrame(
        geometry=[
            box(0, 300, 100, 400),  # top-left cell: 1
            box(0, 300, 150, 400),  # cell 1 + half of cell 2: 1 + 1.0 = 2.0
            box(0, 0, 400, 400),  # all but the nodata cell: 1 + ... + 15 = 120
            box(300, 0, 400, 100),  # only the nodata cell: NaN (no data is not 0 people)
            box(5000, 5000, 5100, 5100),  # outside the raster: NaN
        ],
        crs="EPSG:32748",
        index=list("abcde"),
    )
    with pytest.warns(GeoAccessWarning, match=r"outside the raster or under nodata.*d, e.*c \(94%\)"):
        out = population.zonal_population(raster_path, polys)
    assert out.name == "population"
    assert out.index.tolist() == list("abcde")
    assert out.tolist() == pytest.approx([1.0, 2.0, 120.0, np.nan, np.nan], nan_ok=True)
    assert out.attrs["valid_fraction"].round(4).tolist() == [1.0, 1.0, 0.9375, 0.0, 0.0]


def test_zonal_reprojects_polygons_and_accepts_open_dataset(raster_path):
    polys = gpd.GeoDataFrame(geometry=[box(0, 300, 150, 400)], crs="EPSG:32748").to_crs(4326)
    with rasterio.open(raster_path) as ds:
        s = population.zonal_population(ds, polys)
        mean = population.zonal_population(ds, polys, stat="mean")
    assert s.iloc[0] == pytest.approx(2.0, rel=1e-4)
    # coverage-weighted mean: (1 * 1 + 2 * 0.5) / 1.5
    assert mean.iloc[0] == pytest.approx(4 / 3, rel=1e-4)
    assert mean.name == "population_mean"


def test_zonal_errors(raster_path, tmp_path):
    polys = gpd.GeoDataFrame(geometry=[box(0, 300, 100, 400)], crs="EPSG:32748")
    with pytest.raises(InputValidationError, match="`stat`"):
        population.zonal_population(raster_path, polys, stat="mode")
    with pytest.raises(DataNotFoundError, match=r"missing\.tif"):
        population.zonal_population(tmp_path / "missing.tif", polys)
    with pytest.raises(CRSError, match="`polygons`"):
        population.zonal_population(raster_path, polys.set_crs(None, allow_override=True))
    with pytest.raises(InputValidationError, match="`raster`"):
        population.zonal_population(np.zeros((2, 2)), polys)


def test_read_population_raster(raster_path, tmp_path):
    with population.read_population_raster(raster_path) as ds:
        assert ds.crs.to_epsg() == 32748
    with pytest.raises(DataNotFoundError):
        population.read_population_raster(tmp_path / "x.tif")


# ----------------------------------------------------------------------------- allocate


def _two_squares() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"population": [100.0, 60.0, 7.0, np.nan]},
        geometry=[box(0, 0, 2, 2), box(2, 0, 4, 2), box(10, 10, 11, 11), box(20, 20, 21, 21)],
        crs="EPSG:32748",
        index=["A", "B", "C", "D"],
    )


def _five_cells() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"w": [1.0, 1.0, 2.0, 5.0, 0.0]},
        geometry=[Point(0.5, 0.5), Point(1.5, 0.5), Point(1.5, 1.5), Point(3, 1), Point(5, 5)],
        crs="EPSG:32748",
        index=[100, 101, 102, 103, 104],
    )


def test_allocate_uniform_by_hand():
    polys, cells = _two_squares(), _five_cells()
    p0, c0 = polys.copy(), cells.copy()
    with pytest.warns(GeoAccessWarning) as rec:
        out = population.allocate_population(polys, cells)
    msg = str(rec[0].message)
    # A: 100 over 3 cells; B: 60 on its one cell; C holds no cell -> nearest to (10.5, 10.5)
    # is (5, 5) -> 7; D is NaN -> nothing
    assert out.index.tolist() == [100, 101, 102, 103, 104]
    assert out.name == "population"
    assert out.tolist() == pytest.approx([100 / 3, 100 / 3, 100 / 3, 60.0, 7.0])
    assert "NaN population not allocated: D" in msg
    assert "contain no cell centre" in msg and ": C" in msg
    pd.testing.assert_frame_equal(pd.DataFrame(polys), pd.DataFrame(p0))
    pd.testing.assert_frame_equal(pd.DataFrame(cells), pd.DataFrame(c0))


def test_allocate_weighted_by_hand():
    polys = _two_squares().iloc[:2]
    out = population.allocate_population(polys, _five_cells(), weight_col="w")
    # A: weights 1, 1, 2 -> 25, 25, 50; B: one cell -> 60
    assert out.tolist() == pytest.approx([25.0, 25.0, 50.0, 60.0, 0.0])


def test_allocate_zero_weights_fall_back_to_equal_shares():
    polys = _two_squares().iloc[:2]
    cells = _five_cells().assign(w=[0.0, 0.0, np.nan, 5.0, 0.0])
    with pytest.warns(GeoAccessWarning, match="all weigh 0 were spread equally: A"):
        out = population.allocate_population(polys, cells, weight_col="w")
    assert out.tolist() == pytest.approx([100 / 3, 100 / 3, 100 / 3, 60.0, 0.0])


def test_allocate_conserves_totals_exactly():
    rng = np.random.default_rng(42)
    geoms = [
        box(x, y, x + rng.uniform(50, 400), y + rng.uniform(50, 400))
        for x, y in rng.uniform(0, 3000, (30, 2))
    ]
    geoms.append(box(3010, 3010, 3020, 3020))  # smaller than a cell: holds no cell centre
    polys = gpd.GeoDataFrame(
        {"population": [*rng.uniform(0, 1e5, 30), 1234.5]}, geometry=geoms, crs="EPSG:32748"
    )
    xs, ys = np.meshgrid(np.arange(50, 3500, 100.0), np.arange(50, 3500, 100.0))
    cells = gpd.GeoDataFrame(
        {"w": rng.uniform(0, 3, xs.size)},
        geometry=gpd.points_from_xy(xs.ravel(), ys.ravel()),
        crs="EPSG:32748",
    )
    total = polys["population"].sum()
    for weight_col in (None, "w"):
        with pytest.warns(GeoAccessWarning, match="no cell centre"):
            out = population.allocate_population(polys, cells, weight_col=weight_col)
        assert abs(out.sum() - total) / total < 1e-9
        assert (out >= 0).all()


def test_allocate_cells_in_other_crs():
    polys = _two_squares().iloc[:2].to_crs(4326)
    out = population.allocate_population(polys, _five_cells())
    assert out.sum() == pytest.approx(160.0, rel=1e-12)
    assert out.iloc[3] == pytest.approx(60.0)


def test_allocate_geographic_nearest_cell():
    polys = gpd.GeoDataFrame({"population": [9.0]}, geometry=[box(103.0, -3.01, 103.001, -3.0)], crs=4326)
    cells = gpd.GeoDataFrame(geometry=[Point(103.2, -3.0), Point(103.0005, -3.02)], crs=4326)
    with pytest.warns(GeoAccessWarning, match="no cell centre"):
        out = population.allocate_population(polys, cells)
    assert out.tolist() == [0.0, 9.0]


def test_allocate_errors():
    polys, cells = _two_squares(), _five_cells()
    with pytest.raises(InputValidationError, match=r"`polygons`.*negative"):
        population.allocate_population(polys.assign(population=[-1.0, 1, 1, 1]), cells)
    with pytest.raises(InputValidationError, match=r"`cells`.*negative"):
        population.allocate_population(polys, cells.assign(w=-1.0), weight_col="w")
    with pytest.raises(MissingColumnError, match=r"`polygons`.*'pop'"):
        population.allocate_population(polys, cells, pop_col="pop")
    with pytest.raises(MissingColumnError, match=r"`cells`.*'weight'"):
        population.allocate_population(polys, cells, weight_col="weight")
    with pytest.raises(InputValidationError, match=r"`cells`.*Polygon"):
        population.allocate_population(polys, polys)
    with pytest.raises(CRSError, match="`cells`"):
        population.allocate_population(polys, cells.set_crs(None, allow_override=True))


# ----------------------------------------------------------------------------- shared data


def test_shared_muara_enim_join(shared_data):
    from geoaccess.inputs.boundaries import read_boundaries

    desa = read_boundaries(shared_data / "boundaries" / "desa.geojson", level="desa")
    desa = desa[desa["kabupaten_code"] == "16.03"]
    table = pd.read_csv(shared_data / "population" / "population_desa_sumsel_3kab.csv")
    table = table[table["kab_code"] == 1603]
    with pytest.warns(GeoAccessWarning) as rec:
        out = population.join_population(
            desa,
            table,
            table_on="kode_kemendagri_matched",
            pop_col="pop_est_scaled_kepmendagri2025",
            columns=[
                "flood_hazard_index_bnpb",
                "poverty_rate_idm",
                "flood_event_freq_kemendes_2024",
            ],
        )
    msg = str(rec[0].message)
    assert len(out) == 254
    assert out["population"].isna().sum() == 2
    assert "4 table row(s) match no polygon" in msg
    matched = table["kode_kemendagri_matched"].notna()
    assert out["population"].sum() == table.loc[matched, "pop_est_scaled_kepmendagri2025"].sum()
    assert out["population"].sum() == 645_361
    assert out["flood_event_freq_kemendes_2024"].notna().sum() == 252


# ----------------------------------------------------------------------------- allocation table


def test_allocation_table_is_the_long_form_of_allocate_population():
    polys = _two_squares().assign(code=["a", "b", "c", "d"])
    cells = _five_cells()
    with pytest.warns(GeoAccessWarning, match=r"no cell centre.*: c .*values of polygons\['code'\]"):
        t = population.allocation_table(polys, cells, id_col="code", weight_col="w")
    # A (100, cells 100/101/102 with weights 1/1/2): 25, 25, 50; B (60): its one cell 103;
    # C (7) holds no cell centre: nearest cell to (10.5, 10.5) is 104 (5, 5);
    # D has no population figure: it holds no cell, so no row at all
    assert t.columns.tolist() == ["cell", "code", "population"]
    assert t.values.tolist() == [
        [100, "a", 25.0],
        [101, "a", 25.0],
        [102, "a", 50.0],
        [103, "b", 60.0],
        [104, "c", 7.0],
    ]
    with pytest.warns(GeoAccessWarning):
        per_cell = population.allocate_population(polys, cells, weight_col="w")
    assert per_cell.tolist() == pytest.approx(t.groupby("cell")["population"].sum().tolist())


def test_allocation_table_edge_cells_and_empty_desa():
    # two 2x1 desa side by side; a cell centre on their shared edge x = 2 belongs to both
    polys = gpd.GeoDataFrame(
        {"code": ["L", "R", "Z"], "population": [30.0, 8.0, 0.0]},
        geometry=[box(0, 0, 2, 1), box(2, 0, 4, 1), box(0, 5, 4, 6)],
        crs="EPSG:32748",
    )
    cells = gpd.GeoDataFrame(
        geometry=[Point(0.5, 0.5), Point(1.0, 0.5), Point(2.0, 0.5), Point(3.5, 0.5), Point(2, 5.5)],
        crs="EPSG:32748",
    )
    t = population.allocation_table(polys, cells, id_col="code")
    # L: 30 over cells 0, 1, 2 (10 each); R: 8 over cells 2, 3 (4 each); Z (0 people)
    # keeps its membership row with 0 so its plain travel-time mean can still be taken
    assert t.values.tolist() == [
        [0, "L", 10.0],
        [1, "L", 10.0],
        [2, "L", 10.0],
        [2, "R", 4.0],
        [3, "R", 4.0],
        [4, "Z", 0.0],
    ]
    assert t.groupby("code")["population"].sum().to_dict() == {"L": 30.0, "R": 8.0, "Z": 0.0}


def test_populated_cells_are_the_cells_with_people():
    # 2 km x 1 km at 500 m: 8 cells; desa A (west km, 400 people) over 4 cells, desa B
    # (east km) has no population: only A's 4 cells come back, 100 people each
    import shapely

    import geoaccess as ga
    from geoaccess.inputs.population import populated_cells

    area = gpd.GeoSeries([shapely.box(0, 0, 2000, 1000)], crs="EPSG:32748")
    net = ga.build_network(None, "walk", area=area, resolution_m=500)
    desa = gpd.GeoDataFrame(
        {"population": [400.0, 0.0]},
        geometry=[shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 2000, 1000)],
        crs="EPSG:32748",
    )
    out = populated_cells(net, desa)
    assert len(out) == 4 and out["population"].tolist() == [100.0] * 4
    assert (out.geometry.x < 1000).all() and set(out.index) <= set(net.cells().index)


# --------------------------------------------------------------- cells read off the lattice


def _grid_net(width_m=2000, height_m=1000, resolution_m=500):
    import shapely

    import geoaccess as ga

    area = gpd.GeoSeries([shapely.box(0, 0, width_m, height_m)], crs="EPSG:32748")
    return ga.build_network(None, "walk", area=area, resolution_m=resolution_m)


def _node_at(net, x, y):
    hit = np.flatnonzero((net.node_xy[:, 0] == x) & (net.node_xy[:, 1] == y))
    assert len(hit) == 1
    return int(hit[0])


def test_lattice_allocation_by_hand_edge_and_tiny_desa():
    # 2 x 1 km at 500 m: cell centres x = 250, 750, 1250, 1750 and y = 250, 750.
    # L ends at x = 750, so the centres at x = 750 lie on its edge and belong to L and R;
    # T (50 x 50 m) holds no centre: its 5 people go to the cell nearest to its
    # representative point (1925, 925), the one centred at (1750, 750)
    net = _grid_net()
    polys = gpd.GeoDataFrame(
        {"code": ["L", "R", "T"], "population": [30.0, 60.0, 5.0]},
        geometry=[box(0, 0, 750, 1000), box(750, 0, 2000, 1000), box(1900, 900, 1950, 950)],
        crs="EPSG:32748",
    )
    with pytest.warns(GeoAccessWarning, match="no cell centre"):
        t = population.allocation_table(polys, net.cell_table(), id_col="code", network=net)
    got = {(int(c), d): p for c, d, p in t.itertuples(index=False)}
    want = {}
    for y in (250, 750):
        for x in (250, 750):  # L: 4 cells of 7.5
            want[(_node_at(net, x, y), "L")] = 7.5
        for x in (750, 1250, 1750):  # R: 6 cells of 10
            want[(_node_at(net, x, y), "R")] = 10.0
    want[(_node_at(net, 1750, 750), "T")] = 5.0
    assert got == want
    # and the same table as the one from the cells' points
    with pytest.warns(GeoAccessWarning):
        from_points = population.allocation_table(polys, net.cells(), id_col="code")
    pd.testing.assert_frame_equal(t, from_points)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lattice_allocation_equals_point_allocation(seed):
    # irregular desa (buffered random points, some overlapping, some off the grid, some
    # smaller than a cell), weights, and a table holding every other cell only: the
    # lattice reading must give exactly the point query's table
    import shapely

    rng = np.random.default_rng(seed)
    net = _grid_net(width_m=5000, height_m=3000, resolution_m=100)
    centres = rng.uniform([-500, -500], [5500, 3500], size=(40, 2))
    radii = rng.choice([20.0, 150.0, 400.0, 900.0], size=40)
    polys = gpd.GeoDataFrame(
        {"code": [f"D{i}" for i in range(40)], "population": rng.integers(0, 500, 40).astype(float)},
        geometry=shapely.buffer(shapely.points(centres), radii, quad_segs=3),
        crs="EPSG:32748",
    )
    for cells_lat in (net.cell_table(), net.cell_table().iloc[::2].assign(w=lambda d: d["row"] % 3)):
        weight = "w" if "w" in cells_lat else None
        cells_pts = net.cells().loc[cells_lat.index].assign(**({"w": cells_lat["w"]} if weight else {}))
        with pytest.warns(GeoAccessWarning):
            a = population.allocation_table(polys, cells_lat, id_col="code", weight_col=weight, network=net)
        with pytest.warns(GeoAccessWarning):
            b = population.allocation_table(polys, cells_pts, id_col="code", weight_col=weight)
        pd.testing.assert_frame_equal(a, b)
        assert len(a) > 500


def test_lattice_allocation_reprojects_polygons_and_refuses_a_lattice_less_network():
    import shapely

    import geoaccess as ga

    net = _grid_net()
    polys = gpd.GeoDataFrame(
        {"population": [80.0]}, geometry=[box(0, 0, 1000, 1000)], crs="EPSG:32748"
    ).to_crs(4326)
    t = population.allocation_table(polys, net.cell_table(), network=net)
    assert len(t) == 4 and t["population"].tolist() == [20.0] * 4
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal"]}, geometry=[shapely.LineString([(0, 0), (1000, 0)])], crs="EPSG:32748"
    )
    road_only = ga.build_network(roads, "walk", offroad=False)
    with pytest.raises(InputValidationError, match="not lattice cells of this network"):
        population.allocation_table(polys, net.cell_table(), network=road_only)


def test_lattice_allocation_gives_a_desa_far_off_the_grid_its_nearest_cell():
    # a desa 10 km east of a 2 x 1 km grid of 500 m cells (centres x = 250 ... 1750):
    # its 40 people go to the nearest cell centre, (1750, 750) for a point at y = 900
    net = _grid_net()
    far = gpd.GeoDataFrame(
        {"code": ["F"], "population": [40.0]},
        geometry=[box(11_900, 850, 12_000, 950)],
        crs="EPSG:32748",
    )
    with pytest.warns(GeoAccessWarning, match="no cell centre"):
        t = population.allocation_table(far, net.cell_table(), id_col="code", network=net)
    assert t.values.tolist() == [[_node_at(net, 1750, 750), "F", 40.0]]
    with pytest.warns(GeoAccessWarning):
        pd.testing.assert_frame_equal(t, population.allocation_table(far, net.cells(), id_col="code"))
    with pytest.raises(InputValidationError, match="not lattice cells"):  # ids and places crossed
        population.allocation_table(far, net.cell_table().iloc[::-1].reset_index(drop=True), network=net)
