"""Boats (build_network ``waterways=`` / ``landings=``), checked by hand.

Layout (UTM 48S, offsets from X0, Y0): a study area 10 km x 2 km at 100 m cells (cell
centres at 50, 150, ...); a river along y = 1025 across the whole area, passed as
``waterways`` and as ``barriers`` (the row of cells 1000-1100 is blocked, so the lattice
cannot cross it). Motorbike off-road 10 km/h: one 100 m step = 0.6 min; ketek 8 km/h:
1 km = 7.5 min; boarding wait 15 min (the defaults).

- landing N at (2050, 1150) on the north bank, landing S at (3050, 950) on the south
  bank, both on cell centres (their land leg is 0 m);
- home H at (2050, 1550), facility F at (3050, 550): no road, so the only way is the
  boat: 400 m to N (2.4) + wait (15) + 1 km of river N -> S (7.5) + 400 m to F (2.4)
  = 27.3 min.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

import geoaccess as ga
from geoaccess.engine import speeds
from geoaccess.engine.flood import flood_network
from geoaccess.engine.travel import attach_points
from geoaccess.exceptions import GeoAccessWarning, InputValidationError

UTM = "EPSG:32748"
X0, Y0 = 400_000.0, 9_660_000.0
STEP = 0.6  # minutes per 100 m off-road by motorbike
BOAT_KM = 7.5  # minutes per km by ketek
WAIT = 15.0
BY_BOAT = 4 * STEP + WAIT + BOAT_KM + 4 * STEP  # 27.3


def _gdf(geoms, **cols):
    return gpd.GeoDataFrame(cols, geometry=geoms, crs=UTM)


def _pts(*xy, **cols):
    return _gdf([shapely.Point(X0 + x, Y0 + y) for x, y in xy], **cols)


def _line(*xy):
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in xy])


AREA = _gdf([shapely.box(X0, Y0, X0 + 10_000, Y0 + 2000)])
RIVER = _gdf([_line((-500, 1025), (10_500, 1025))])
LANDINGS = _pts((2050, 1150), (3050, 950))
HOME = (2050, 1550)
FAC = (3050, 550)


def _net(roads=None, **kw):
    kw.setdefault("waterways", RIVER)
    kw.setdefault("landings", LANDINGS)
    return ga.build_network(roads, "motorbike", area=AREA, resolution_m=100, barriers=RIVER, **kw)


def _time(net, home=HOME, fac=FAC):
    f = _pts(fac, facility_id=["F"])
    return float(ga.nearest(net, f).at_points(_pts(home))["travel_time_min"].iloc[0])


def _waterway_nodes(net):
    e = net.edges[net.edges["waterway"]]
    return set(e["u"]) | set(e["v"])


@pytest.fixture(scope="module")
def boat_net():
    return _net()


def test_defaults_are_documented_assumptions():
    assert speeds.DEFAULT_BOAT_SPEED_KPH == speeds.BOAT_SPEED_KPH["ketek"] == 8.0
    assert speeds.BOAT_SPEED_KPH["speedboat"] == 30.0
    assert speeds.LANDING_WAIT_MIN == 15.0
    assert speeds.boat_speed("speedboat") == 30.0
    with pytest.raises(InputValidationError, match="bound for boats"):
        speeds.boat_speed(450)
    assert "assumption" in speeds.__doc__.partition("Boats (")[2]


def test_across_the_river_by_boat_via_two_landings(boat_net):
    # no road, the river blocks the lattice: walk + wait + river / boat speed + walk
    assert _time(boat_net) == pytest.approx(BY_BOAT)  # 27.3
    e = boat_net.edges
    assert e["waterway"].any() and not e.loc[e["waterway"], "oneway"].any()
    assert e.loc[e["waterway"], "road_class"].eq("waterway").all()
    assert boat_net.boat_speed_kph == 8.0 and boat_net.landing_wait_min == 15.0
    # both ways: the wait is paid on boarding only (F -> H is the same trip backwards)
    assert _time(boat_net, home=FAC, fac=HOME) == pytest.approx(BY_BOAT)


def test_without_waterways_the_river_cannot_be_crossed():
    net = ga.build_network(None, "motorbike", area=AREA, resolution_m=100, barriers=RIVER)
    assert np.isnan(_time(net))


def test_boat_speed_and_wait_are_parameters():
    fast = _net(boat_speed_kph="speedboat", landing_wait_min=5)
    assert _time(fast) == pytest.approx(4 * STEP + 5 + 2.0 + 4 * STEP)  # 1 km at 30 km/h = 2 min
    # a reach's own speed_kph: 16 km/h -> 1 km = 3.75 min
    own = _net(waterways=RIVER.assign(speed_kph=[16.0]))
    assert _time(own) == pytest.approx(4 * STEP + WAIT + 3.75 + 4 * STEP)
    # speed 0: no boat service on that reach (here east of x = 2500, so landing S, 555 m
    # from the west reach, is left out): the river stays a barrier
    two = _gdf([_line((-500, 1025), (2500, 1025)), _line((2500, 1025), (10_500, 1025))], speed_kph=[8.0, 0.0])
    with pytest.warns(GeoAccessWarning, match="more than 500 m"):
        assert np.isnan(_time(_net(waterways=two)))


def test_no_boarding_between_landings(boat_net):
    # H2 on the north bank midway between the landings' feet, F2 straight across: the
    # boat passes right by but cannot be boarded there. 500 m west to N (3.0) + wait +
    # 1 km of river + 500 m back west from S (3.0)
    t = _time(boat_net, home=(2550, 1150), fac=(2550, 950))
    assert t == pytest.approx(5 * STEP + WAIT + BOAT_KM + 5 * STEP)  # 28.5
    # only the landings join the water: 2 landing connectors a landing (on and off)
    assert int((boat_net.csr_edge == -2).sum()) == 4


def test_the_faster_of_road_and_boat_wins():
    # a road (lokal, 25 km/h) from H east along y = 1550 to x = 9950, over a bridge,
    # back west along y = 550 to F: 7.9 + 1.0 + 6.9 km = 15.8 km = 37.92 min
    road = _gdf([_line(HOME, (9950, 1550), (9950, 550), FAC)], road_class=["lokal"])
    by_road = 15_800 / (25_000 / 60)
    assert by_road == pytest.approx(37.92)
    assert _time(_net(road)) == pytest.approx(min(by_road, BY_BOAT))  # boat, 27.3
    # a 30 min wait makes the boat 42.3 min: the road wins
    slow_boat = 4 * STEP + 30 + BOAT_KM + 4 * STEP
    assert _time(_net(road, landing_wait_min=30)) == pytest.approx(min(by_road, slow_boat))  # 37.92
    # and without the boat the road is the answer whatever the wait
    assert _time(_net(road, waterways=None, landings=None)) == pytest.approx(by_road)


def test_road_only_network_lands_on_road_nodes():
    # roads to the landings on either bank: 800 m (1.92 min) + wait + 7.5 + 900 m (2.16)
    roads = _gdf(
        [_line((2050, 1950), (2050, 1150)), _line((3050, 950), (3050, 50))], road_class=["lokal"] * 2
    )
    net = ga.build_network(roads, "motorbike", offroad=False, waterways=RIVER, landings=LANDINGS)
    assert _time(net, home=(2050, 1950), fac=(3050, 50)) == pytest.approx(1.92 + WAIT + BOAT_KM + 2.16)
    with pytest.raises(InputValidationError, match="landings"):
        ga.build_network(roads, "motorbike", offroad=False, waterways=RIVER)


def test_home_on_the_river_bank_never_attaches_to_the_waterway():
    road = _gdf([_line((0, 1550), (10_000, 1550))], road_class=["lokal"])
    net = _net(road)
    bank = np.array([X0 + 2550]), np.array([Y0 + 1040])  # 15 m from the river line
    edge, dist, _ = net.nearest_road_point(*bank)
    assert not net.edges["waterway"].iloc[edge[0]]
    assert dist[0] == pytest.approx(510.0)  # the road, not the river 15 m away
    att = attach_points(net, *bank, 5000.0, into_point=False)
    assert not set(att.node.tolist()) & _waterway_nodes(net)
    assert not net.edges["waterway"].iloc[att.road_edge[0]]
    # road_edges_gdf keeps to roads unless asked
    assert not net.road_edges_gdf()["waterway"].any()
    assert net.road_edges_gdf(waterways=True)["waterway"].sum() == net.edges["waterway"].sum()


def test_flood_leaves_boats_alone(boat_net):
    # a 'sedang' flood over the river (and nothing else): roads and cells would be halved,
    # the river is still navigable
    hz = _gdf([shapely.box(X0, Y0 + 1000, X0 + 10_000, Y0 + 1100)], hazard_class=["sedang"])
    flood = flood_network(boat_net, hz)
    w = boat_net.edges["waterway"].to_numpy()
    np.testing.assert_array_equal(
        flood.edges["travel_time_min"].to_numpy()[w], boat_net.edges["travel_time_min"].to_numpy()[w]
    )
    assert _time(flood) == pytest.approx(BY_BOAT)
    # cell speeds recomputed (the flood path): the landing connectors keep their wait
    assert _time(boat_net.with_cell_speeds(boat_net.lattice.speed_kph)) == pytest.approx(BY_BOAT)


def test_default_landings():
    # without landings, every waterway node in a passable cell is a landing: none when
    # the river is also a barrier (said with a warning)
    with pytest.warns(GeoAccessWarning, match="no waterway node lies in a passable"):
        net = _net(landings=None)
    assert not (net.csr_edge == -2).any() and np.isnan(_time(net))
    # a river that is not a barrier: every waterway node in a cell of the area is a
    # landing (nodes every 50 m: x = 0, 50, ..., 9950; x = 10,000 lies on the grid's edge)
    free = ga.build_network(None, "motorbike", area=AREA, resolution_m=100, waterways=RIVER)
    assert int((free.csr_edge == -2).sum()) == 2 * 200


def test_bad_inputs_are_refused():
    with pytest.raises(InputValidationError, match="needs waterways"):
        ga.build_network(None, "motorbike", area=AREA, landings=LANDINGS)
    with pytest.raises(InputValidationError, match="bound for boats"):
        _net(waterways=RIVER.assign(speed_kph=[450.0]))
    with pytest.raises(InputValidationError, match="lines"):
        _net(waterways=_gdf([shapely.box(X0, Y0 + 1000, X0 + 10_000, Y0 + 1050)]))
    with pytest.raises(InputValidationError, match="points"):
        _net(landings=RIVER)
    with pytest.warns(GeoAccessWarning, match="more than 500 m from every waterway"):
        _net(landings=_pts((2050, 1150), (3050, 950), (5050, 1950)))


def test_flood_season_may_speed_up_slow_or_stop_boats(boat_net):
    hz = _gdf([shapely.box(X0, Y0 + 1000, X0 + 10_000, Y0 + 1100)], hazard_class=["sedang"])
    # twice as fast: the 1 km of river takes 3.75 min instead of 7.5
    assert _time(flood_network(boat_net, hz, boat_factor=2.0)) == pytest.approx(
        4 * STEP + WAIT + 3.75 + 4 * STEP
    )
    # half as fast: 15 min of river
    assert _time(flood_network(boat_net, hz, boat_factor=0.5)) == pytest.approx(
        4 * STEP + WAIT + 15.0 + 4 * STEP
    )
    # stopped: the river is a barrier again
    assert np.isnan(_time(flood_network(boat_net, hz, boat_factor=0)))
    assert _time(boat_net) == pytest.approx(BY_BOAT)  # the dry season is untouched
    for bad in (-0.5, 5.0, True, "2"):
        with pytest.raises(InputValidationError, match="boat speed factor"):
            flood_network(boat_net, hz, boat_factor=bad)


def test_upstream_is_slower_where_the_flow_is_known():
    # the river drawn downstream (west -> east, as OSM draws waterway=river): 16 km/h with
    # the flow (1 km = 3.75 min), 4 km/h against it (1 km = 15 min); H on the north bank by
    # landing N (x = 2050), F on the south bank by landing S (x = 3050), 1 km downstream
    river = RIVER.assign(speed_kph=[16.0], upstream_speed_kph=[4.0])
    net = _net(waterways=river)
    assert _time(net) == pytest.approx(4 * STEP + WAIT + 3.75 + 4 * STEP)  # 23.55, downstream
    assert _time(net, home=FAC, fac=HOME) == pytest.approx(4 * STEP + WAIT + 15.0 + 4 * STEP)  # 34.8
    e = net.edges[net.edges["waterway"]]
    assert e["oneway"].all() and sorted(set(e["speed_kph"])) == [4.0, 16.0]
    # 0 upstream: no boat against the flow, so F cannot get back to H (the river is a barrier)
    down_only = _net(waterways=RIVER.assign(speed_kph=[16.0], upstream_speed_kph=[0.0]))
    assert _time(down_only) == pytest.approx(4 * STEP + WAIT + 3.75 + 4 * STEP)
    assert np.isnan(_time(down_only, home=FAC, fac=HOME))
    # NaN upstream: the same speed both ways, as without the column
    same = _net(waterways=RIVER.assign(speed_kph=[16.0], upstream_speed_kph=[np.nan]))
    assert _time(same, home=FAC, fac=HOME) == pytest.approx(4 * STEP + WAIT + 3.75 + 4 * STEP)
    with pytest.raises(InputValidationError, match="upstream_speed_kph"):
        _net(waterways=RIVER.assign(upstream_speed_kph=[-1.0]))
