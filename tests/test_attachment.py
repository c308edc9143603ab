"""How homes and facilities join the graph: over passable ground, never across a barrier.

Every layout is small enough to work out by hand. Lattice: 100 m cells over a
2,000 x 1,000 m box, off-road 6 km/h = 100 m/min, so one orthogonal step is 1 minute.
A river runs north-south along x = 1,050 m and blocks the lattice column 1,000-1,100 m
(every cell it touches); nothing else crosses it unless a road bridge does.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

import geoaccess as ga

CRS = "EPSG:32748"
AREA = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 2000, 1000)], crs=CRS)
RIVER = gpd.GeoDataFrame(geometry=[shapely.LineString([(1050, -100), (1050, 1100)])], crs=CRS)
OFFROAD_KPH = 6.0  # 100 m/min
ROAD_KPH = 30.0  # 500 m/min


def pts(*xy: tuple[float, float], ids: bool = False) -> gpd.GeoDataFrame:
    df = gpd.GeoDataFrame(geometry=[shapely.Point(p) for p in xy], crs=CRS)
    if ids:
        df["facility_id"] = [f"F{i}" for i in range(len(xy))]
    return df


def roads(*lines: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"road_class": ["lokal"] * len(lines)}, geometry=[shapely.LineString(c) for c in lines], crs=CRS
    )


def net(road_layer=None, barriers=RIVER) -> ga.Network:
    return ga.build_network(
        road_layer,
        "motorbike",
        area=AREA,
        resolution_m=100,
        offroad_speed_kph=OFFROAD_KPH,
        speeds_kph={"lokal": ROAD_KPH},
        barriers=barriers,
        repair=False,
    )


def test_bank_home_joins_its_own_side():
    # home on the east bank, inside the blocked column; facility further east.
    # east bank: snap to cell centre (1150, 550), 90 m = 0.9 min; 4 steps east to
    # (1550, 550) = 4 min; facility (1520, 550) is 30 m from that centre = 0.3 min.
    n = net()
    out = ga.travel_time(n, pts((1060, 550)), pts((1520, 550), ids=True))
    assert out["travel_time_min"].iloc[0] == pytest.approx(0.9 + 4.0 + 0.3)
    assert out["snap_dist_m"].iloc[0] == pytest.approx(90.0)
    assert not out["snapped_far"].iloc[0]


def test_bank_home_never_snaps_across_the_river():
    # west-bank home (1040, 550): the nearest passable cell centre on its side is
    # (950, 550), 90 m; (1150, 550) is 110 m but across the river. The facility is on
    # the east bank and there is no bridge: nobody on the west bank reaches it.
    n = net()
    out = ga.travel_time(n, pts((1040, 550), (950, 550)), pts((1520, 550), ids=True))
    assert not out["reachable"].any()
    assert out["travel_time_min"].isna().all()
    assert out["snap_dist_m"].iloc[0] == pytest.approx(90.0)


def test_snap_goes_to_the_own_side_even_when_the_other_is_nearer():
    # river off-centre at x = 1,010 (still blocking the column 1,000-1,100 only). Home
    # (1015, 550) on the east bank: the west cell centre (950, 550) is 65 m away but
    # across the water; the own-side centre (1150, 550) is 135 m = 1.35 min, then 4 min
    # east and 0.3 min to the facility. A facility on the west bank is out of reach.
    river = gpd.GeoDataFrame(geometry=[shapely.LineString([(1010, -100), (1010, 1100)])], crs=CRS)
    n = net(barriers=river)
    home = pts((1015, 550))
    east = ga.travel_time(n, home, pts((1520, 550), ids=True))
    assert east["snap_dist_m"].iloc[0] == pytest.approx(135.0)
    assert east["travel_time_min"].iloc[0] == pytest.approx(1.35 + 4.0 + 0.3)
    west = ga.travel_time(n, home, pts((500, 550), ids=True))
    assert not west["reachable"].iloc[0]


def test_facility_on_a_bank_stays_reachable():
    # facility (1060, 550) inside the blocked column used to be "outside the lattice"
    # and unreachable for everyone; now it joins (1150, 550), 90 m, on its own side.
    n = net()
    out = ga.travel_time(n, pts((1550, 550)), pts((1060, 550), ids=True))
    assert out["travel_time_min"].iloc[0] == pytest.approx(4.0 + 0.9)


def test_no_walk_across_the_river_to_a_road():
    # road on the west bank (x = 700) with the facility on it; home on the east bank,
    # 360 m from that road in a straight line across the water. Without a bridge the
    # home cannot reach it (before: 3.6 min walk across the river + 400 m of road).
    n = net(roads([(700, 0), (700, 1000)]))
    out = ga.travel_time(n, pts((1060, 550)), pts((700, 950), ids=True))
    assert not out["reachable"].iloc[0]
    assert out["access_dist_m"].iloc[0] == pytest.approx(360.0)  # still reported


def test_the_bridge_is_the_way_across():
    # A road along y = 150 bridges the river. West-bank home (1040, 550) is off the
    # lattice, so it may walk straight to the nearest road point on its own side:
    # (1040, 150), 400 m = 4 min; along the road to (1550, 150), 510 m at 500 m/min =
    # 1.02 min; connector 0 m (a road node sits on the cell centre); 4 steps north to
    # (1550, 550) = 4 min; facility leg 0.3 min.
    n = net(roads([(0, 150), (2000, 150)]))
    out = ga.travel_time(n, pts((1040, 550)), pts((1520, 550), ids=True))
    assert out["travel_time_min"].iloc[0] == pytest.approx(4.0 + 1.02 + 4.0 + 0.3)


def test_nearest_road_across_the_river_is_skipped_for_one_on_this_side():
    # Road-only network. Home (1060, 500) east of the river: the nearest road (x = 1000,
    # 60 m away) is across it; the next road on its own side is x = 1300, 240 m away.
    # Walk 240 m at 6 km/h = 2.4 min, then 400 m north at 500 m/min = 0.8 min to the
    # facility on that road at (1300, 900).
    layer = roads([(1000, 0), (1000, 1000)], [(1300, 0), (1300, 1000)])
    n = ga.build_network(
        layer,
        "motorbike",
        offroad=False,
        offroad_speed_kph=OFFROAD_KPH,
        speeds_kph={"lokal": ROAD_KPH},
        barriers=RIVER,
        repair=False,
    )
    out = ga.travel_time(n, pts((1060, 500)), pts((1300, 900), ids=True))
    assert out["travel_time_min"].iloc[0] == pytest.approx(2.4 + 0.8)
    assert out["access_dist_m"].iloc[0] == pytest.approx(60.0)


def test_same_cell_trip_is_direct():
    # home (1510, 510) and facility (1530, 530) share the cell centred (1550, 550):
    # straight 28.28 m = 0.2828 min (through the centre it would be 0.8485 min).
    n = net(barriers=None)
    out = ga.travel_time(n, pts((1510, 510)), pts((1530, 530), ids=True))
    assert out["travel_time_min"].iloc[0] == pytest.approx(np.hypot(20, 20) / 100.0)


def test_same_cell_direct_trip_in_the_matrix_too():
    n = net(barriers=None)
    m = ga.travel_time_matrix(n, pts((1510, 510)), pts((1530, 530), ids=True), max_time_min=10)
    assert m["travel_time_min"].iloc[0] == pytest.approx(np.hypot(20, 20) / 100.0)


def test_point_outside_the_area_joins_the_nearest_cell():
    # facility (2100, 550) lies outside the study area: it joins (1950, 550), 150 m.
    n = net(barriers=None)
    res = ga.nearest(n, pts((2100, 550), ids=True))
    out = res.at_points(pts((1550, 550)))
    assert out["travel_time_min"].iloc[0] == pytest.approx(4.0 + 1.5)


def test_far_snap_is_flagged():
    n = net(barriers=None)
    res = ga.nearest(n, pts((1550, 550), ids=True))
    out = res.at_points(pts((3200, 550)), snap_flag_m=1000)  # 1,250 m east of the last cell
    assert out["snap_dist_m"].iloc[0] == pytest.approx(1250.0)
    assert out["snapped_far"].iloc[0]
    assert out["travel_time_min"].iloc[0] == pytest.approx(12.5 + 4.0)


def test_one_search_read_twice_equals_two_searches():
    n = net(roads([(0, 150), (2000, 150)]))
    fac = pts((1520, 550), (300, 800), ids=True)
    res = ga.nearest(n, fac)
    homes = pts((1040, 550), (100, 100), (1900, 950))
    a = res.at_points(homes)
    b = ga.travel_time(n, homes, fac)
    np.testing.assert_array_equal(a["travel_time_min"], b["travel_time_min"])
    cells = res.at_cells()
    np.testing.assert_array_equal(cells["travel_time_min"], ga.cell_travel_time(n, fac)["travel_time_min"])


def test_output_columns_are_never_overwritten():
    n = net(barriers=None)
    fac = pts((1530, 530), ids=True)
    first = ga.travel_time(n, pts((1510, 510)), fac)
    with pytest.raises(ga.exceptions.InputValidationError, match="prefix"):
        ga.travel_time(n, first, fac)
    second = ga.travel_time(n, first, fac, prefix="hospital_")
    assert second["hospital_travel_time_min"].iloc[0] == pytest.approx(first["travel_time_min"].iloc[0])
    assert "travel_time_min" in second  # the caller's columns are kept as they were


@pytest.mark.parametrize("seed", range(6))
def test_attachment_within_reach_gives_the_same_legs(seed):
    """roads_beyond_reach=False (the 2SFCA cost table's many cells) looks for roads only as
    far as a leg may go: the legs and the road pieces of the attached points are the same."""
    from conftest import random_hybrid_network

    from geoaccess.engine.travel import attach_points

    rng = np.random.default_rng(seed)
    net, w, h, _ = random_hybrid_network(rng, 400_000.0, 9_600_000.0)
    # points inside and around the area (some off the lattice), many of them cell centres
    x = np.r_[rng.uniform(400_000 - 800, 400_000 + w + 800, 300), net.node_xy[net.n_road_nodes :, 0]]
    y = np.r_[rng.uniform(9_600_000 - 800, 9_600_000 + h + 800, 300), net.node_xy[net.n_road_nodes :, 1]]
    for into in (False, True):
        full = attach_points(net, x, y, 600.0, into_point=into)
        near = attach_points(net, x, y, 600.0, into_point=into, roads_beyond_reach=False)
        for name in ("point", "node", "leg_min", "road_ok", "cell", "snap_dist_m"):
            np.testing.assert_array_equal(getattr(near, name), getattr(full, name), err_msg=name)
        ok = full.road_ok
        for name in ("road_edge", "road_frac", "road_walk_min", "access_dist_m"):
            np.testing.assert_array_equal(getattr(near, name)[ok], getattr(full, name)[ok], err_msg=name)
