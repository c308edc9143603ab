"""critical_links: hand-made networks, and every figure against a full recomputation.

The oracle cuts a link with ``network.with_edge_times`` (its pieces at ``np.inf``) and
runs :func:`geoaccess.nearest` from scratch, read with ``at_points``; never the repair
search under test.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import random_hybrid_network

import geoaccess as ga
from geoaccess.engine.links import critical_links, road_links
from geoaccess.exceptions import GeoAccessWarning, InputValidationError

UTM = "EPSG:32748"
X0, Y0 = 430_000.0, 9_610_000.0


def _gdf(rows, geoms, **kw):
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=UTM, **kw)


def _pt(x, y):
    return shapely.Point(X0 + x, Y0 + y)


def _line(*pts):
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in pts])


def _brute(net, origins, fac, thr, link_ids=None):
    """Per link: pushed beyond, delay, cut off, by full recomputation."""
    links = road_links(net)
    pop = origins["population"].to_numpy(dtype=float)
    geo = origins[["geometry"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        b = ga.nearest(net, fac).at_points(geo)["travel_time_min"].to_numpy()
        b = np.where(np.isnan(b), np.inf, b)
        rows = {}
        times = net.edges["travel_time_min"].to_numpy(dtype=float)
        for lk in links.index if link_ids is None else link_ids:
            t = times.copy()
            t[links.loc[lk, "edges"]] = np.inf
            a = ga.nearest(net.with_edge_times(t), fac).at_points(geo)["travel_time_min"].to_numpy()
            a = np.where(np.isnan(a), np.inf, a)
            both = np.isfinite(a) & np.isfinite(b)
            rows[lk] = {
                "people_pushed_beyond": pop[(b <= thr) & (a > thr)].sum(),
                "person_min_delay": (pop[both] * (a[both] - b[both])).sum(),
                "people_cut_off": pop[np.isfinite(b) & ~np.isfinite(a)].sum(),
            }
    return pd.DataFrame.from_dict(rows, orient="index")


def _quiet(*a, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        return critical_links(*a, **kw)


# ----------------------------------------------------------------- by hand
def test_a_bridge_whose_cut_strands_a_village():
    # a river (barrier) splits the area; one road crosses it; the village is across it
    area = gpd.GeoSeries([shapely.box(X0, Y0, X0 + 4000, Y0 + 2000)], crs=UTM)
    river = _gdf({}, [_line((2000, -100), (2000, 2100))])
    roads = _gdf({"road_class": ["kolektor"]}, [_line((500, 1000), (3500, 1000))])
    net = ga.build_network(roads, "motorbike", area=area, resolution_m=250, barriers=river)
    fac = _gdf({"facility_id": ["PKM"]}, [_pt(500, 1000)])
    village = _gdf({"population": [300.0, 40.0]}, [_pt(3500, 1000), _pt(3300, 1600)])
    out = _quiet(net, village, fac, threshold_min=60, top=None)
    assert out.attrs["links"] == 1 and len(out) == 1
    row = out.iloc[0]
    # both origins are across the river: with the road cut nobody there has a path
    assert row["people_cut_off"] == 340.0
    assert row["people_pushed_beyond"] == 340.0
    assert row["person_min_delay"] == 0.0  # cut-off people carry no delay
    assert row["people_routed"] == 340.0
    assert row["rank"] == 1 and row["road_class"] == "kolektor"
    assert row["length_m"] == pytest.approx(3000.0)


def _ladder():
    # F --1km-- P ==2km straight== Q --1km-- V ; a 6 km detour P-(up)-(across)-(down)-Q
    roads = _gdf(
        {"road_class": ["lokal"] * 4},
        [
            _line((0, 0), (1000, 0)),
            _line((1000, 0), (3000, 0)),
            _line((1000, 0), (1000, 2000), (3000, 2000), (3000, 0)),
            _line((3000, 0), (4000, 0)),
        ],
    )
    net = ga.build_network(roads, "car", offroad=False)  # lokal 20 km/h: 3 min per km
    fac = _gdf({"facility_id": ["A"]}, [_pt(0, 0)])
    village = _gdf({"population": [100.0]}, [_pt(4000, 0)])
    return net, fac, village


def test_a_link_with_an_alternative_route_and_one_nobody_uses():
    net, fac, village = _ladder()
    links = road_links(net)
    assert len(links) == 4
    straight = int(links.index[(links["length_m"] - 2000).abs() < 1e-6][0])
    detour = int(links.index[(links["length_m"] - 6000).abs() < 1e-6][0])
    out = _quiet(net, village, fac, threshold_min=20, top=None).set_index("link_id")
    # 4 km = 12 min today; with the straight link cut, 8 km = 24 min: +12 min x 100 people
    assert out.loc[straight, "person_min_delay"] == pytest.approx(1200.0)
    assert out.loc[straight, "people_pushed_beyond"] == 100.0
    assert out.loc[straight, "people_cut_off"] == 0.0
    # the detour carries nobody: cutting it changes nothing
    assert (
        out.loc[
            detour, ["people_pushed_beyond", "person_min_delay", "people_cut_off", "people_routed"]
        ].tolist()
        == [0.0] * 4
    )
    # at 60 minutes nobody is pushed beyond by the straight link (24 min), delay still counts
    out60 = _quiet(net, village, fac, threshold_min=60, top=None).set_index("link_id")
    assert out60.loc[straight, "people_pushed_beyond"] == 0.0
    assert out60.loc[straight, "person_min_delay"] == pytest.approx(1200.0)


# ----------------------------------------------------------------- random networks
def _layout(seed: int):
    rng = np.random.default_rng(seed)
    net, w, h, lines = random_hybrid_network(
        rng,
        X0,
        Y0,
        n_roads=(3, 7),
        classes=("arteri", "kolektor", "lokal"),
        oneway_p=0.2,
        offroad_kph=(1, 4),  # slow off-road: the roads matter
        repair=True,
    )

    def points(n, margin=0.0):
        return gpd.points_from_xy(
            X0 + rng.uniform(-margin, w + margin, n), Y0 + rng.uniform(-margin, h + margin, n), crs=UTM
        )

    fac_pts = list(points(2))
    # one facility and some origins right on a road: they join again when it is cut
    fac_pts[0] = lines[0].interpolate(rng.uniform(0.2, 0.8), normalized=True)
    fac = gpd.GeoDataFrame({"facility_id": ["F0", "F1"]}, geometry=fac_pts, crs=UTM).iloc[
        : int(rng.integers(1, 3))
    ]
    o_pts = list(points(30, 300))
    for i in range(6):
        o_pts[i] = lines[i % len(lines)].interpolate(rng.uniform(0, 1), normalized=True)
    origins = gpd.GeoDataFrame(
        {"population": rng.integers(0, 500, 30).astype(float)}, geometry=o_pts, crs=UTM
    )
    return net, origins, fac


def _threshold(net, origins, fac):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        b = ga.nearest(net, fac).at_points(origins[["geometry"]])["travel_time_min"]
    return float(np.nanmedian(b)) if b.notna().any() else 30.0


COLS = ["people_pushed_beyond", "person_min_delay", "people_cut_off"]


def _check_all_links(net, origins, fac):
    thr = _threshold(net, origins, fac)
    n_links = len(road_links(net))
    got = _quiet(net, origins, fac, threshold_min=thr, top=None, candidates=range(n_links)).set_index(
        "link_id"
    )
    assert got.attrs["evaluated"] == n_links
    want = _brute(net, origins, fac, thr)
    got = got.loc[want.index]
    for c in COLS:
        np.testing.assert_allclose(got[c].to_numpy(), want[c].to_numpy(), rtol=1e-9, atol=1e-6, err_msg=c)
    # the prune score bounds the people pushed beyond
    assert (got["people_routed"] >= got["people_pushed_beyond"] - 1e-9).all()
    return thr, want


@pytest.mark.parametrize("seed", range(10))
def test_every_link_equals_full_recomputation(seed):
    net, origins, fac = _layout(seed)
    thr, want = _check_all_links(net, origins, fac)
    # the pruned exact top-k equals brute force over all links
    k = 3
    top = _quiet(net, origins, fac, threshold_min=thr, top=k)
    assert top.attrs["exact"]
    ranked = want.assign(link_id=want.index).sort_values(
        ["people_pushed_beyond", "person_min_delay", "link_id"], ascending=[False, False, True]
    )
    np.testing.assert_allclose(
        top["people_pushed_beyond"].to_numpy(),
        ranked["people_pushed_beyond"].to_numpy()[: len(top)],
        atol=1e-6,
    )
    np.testing.assert_allclose(
        top["person_min_delay"].to_numpy(), ranked["person_min_delay"].to_numpy()[: len(top)], atol=1e-6
    )
    assert top["rank"].tolist() == list(range(1, len(top) + 1))


@pytest.mark.parametrize("seed", [0, 3])
def test_flood_season_network(seed):
    net, origins, fac = _layout(seed)
    minx, miny, maxx, maxy = net.node_xy.min(0).tolist() + net.node_xy.max(0).tolist()
    hz = gpd.GeoDataFrame(
        {"hazard_class": ["sedang", "tinggi"]},
        geometry=[
            shapely.box(minx, miny, (minx + maxx) / 2, maxy),
            shapely.box(maxx - 400, (miny + maxy) / 2, maxx, (miny + maxy) / 2 + 400),
        ],
        crs=UTM,
    )
    fnet = ga.flood_network(net, hz)
    _check_all_links(fnet, origins, fac)
    # the same links in both seasons
    pd.testing.assert_series_equal(road_links(fnet)["length_m"], road_links(net)["length_m"])


def test_pruning_evaluates_fewer_links_and_keeps_the_top():
    # a grid of roads: many links, few carry anyone within the threshold
    lines = [_line((0, y), (6000, y)) for y in (0, 2000, 4000)] + [
        _line((x, 0), (x, 4000)) for x in (0, 3000, 6000)
    ]
    roads = _gdf({"road_class": ["lokal"] * len(lines)}, lines)
    net = ga.build_network(roads, "car", offroad=False)
    fac = _gdf({"facility_id": ["A"]}, [_pt(0, 0)])
    origins = _gdf({"population": [500.0, 5.0, 5.0]}, [_pt(6000, 4000), _pt(3000, 2000), _pt(100, 0)])
    full = _quiet(net, origins, fac, threshold_min=40, top=None, candidates=range(len(road_links(net))))
    top = _quiet(net, origins, fac, threshold_min=40, top=1)
    assert top.attrs["exact"] and top.attrs["evaluated"] < top.attrs["links"]
    assert top["people_pushed_beyond"].iloc[0] == full["people_pushed_beyond"].max()


def test_links_are_chains_between_junctions():
    net, _, _ = _ladder()
    links = road_links(net)
    assert sorted(links["length_m"].round(6).tolist()) == [1000.0, 1000.0, 2000.0, 6000.0]
    assert links.geometry.geom_type.eq("LineString").all()  # pieces merged into one line
    assert sum(len(e) for e in links["edges"]) == len(net.edges)


def test_inputs_are_not_mutated_and_errors_are_typed():
    net, fac, village = _ladder()
    before = (village.copy(), fac.copy(), net.edges.copy())
    _quiet(net, village, fac)
    pd.testing.assert_frame_equal(village, before[0])
    pd.testing.assert_frame_equal(fac, before[1])
    pd.testing.assert_frame_equal(net.edges, before[2])
    bad = village.assign(population=[-1.0])
    with pytest.raises(InputValidationError, match="negative"):
        _quiet(net, bad, fac)
    with pytest.raises(InputValidationError):
        _quiet(net, village, fac, top=0)
    with pytest.raises(InputValidationError):
        _quiet(net, village, fac, candidates=[99])


def test_a_bounded_road_search_gives_the_same_legs():
    # attach_points(roads_beyond_reach=False), as critical_links calls it, stops the
    # nearest-road search at the longest road leg allowed (the access leg, or one cell):
    # every leg stays the same, only access_dist_m of points farther than that becomes inf
    from geoaccess.engine.travel import attach_points

    x0, y0 = 400_000.0, 9_660_000.0
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal", "kolektor"]},
        geometry=[
            shapely.LineString([(x0, y0 + 500), (x0 + 3000, y0 + 500)]),
            shapely.LineString([(x0 + 1500, y0), (x0 + 1500, y0 + 9000)]),
        ],
        crs="EPSG:32748",
    )
    area = gpd.GeoDataFrame(geometry=[shapely.box(x0, y0, x0 + 9000, y0 + 9000)], crs="EPSG:32748")
    net = ga.build_network(roads, "motorbike", area=area, resolution_m=250)
    rng = np.random.default_rng(8)
    x, y = x0 + rng.uniform(0, 9000, 400), y0 + rng.uniform(0, 9000, 400)
    full = attach_points(net, x, y, 1000.0, into_point=False)
    bounded = attach_points(net, x, y, 1000.0, into_point=False, roads_beyond_reach=False)
    for a in ("point", "node", "leg_min", "road_ok"):
        np.testing.assert_array_equal(getattr(full, a), getattr(bounded, a))
    far = full.access_dist_m > 1000.0
    assert far.any() and np.isinf(bounded.access_dist_m[far]).all()
    ok = full.road_ok
    np.testing.assert_array_equal(full.access_dist_m[ok], bounded.access_dist_m[ok])
