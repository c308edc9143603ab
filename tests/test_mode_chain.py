"""Mode chain (road / boat / road+boat / offroad) of each trip, read off the search's forest.

Layout as in ``tests/test_boats.py`` (UTM 48S, offsets from X0, Y0; 10 km x 2 km at 100 m
cells; a river along y = 1025 passed as ``waterways`` and ``barriers``; landings N at
(2050, 1150) and S at (3050, 950); motorbike off-road 10 km/h: 0.6 min per 100 m; ketek
8 km/h: 7.5 min per km; boarding wait 15 min; ``lokal`` roads 25 km/h: 2.4 min per km).
Facility F at (3050, 550), at the west end of a road along y = 550 to x = 8050 (5 km); a
second road along y = 1150 from x = 7050 west to landing N (5 km). Worked out by hand:

- B (2050, 1550), north bank: 400 m to N (2.4) + wait (15) + 1 km boat (7.5) + 400 m
  from S to F (2.4) = 27.3 min, **boat** (no road on the way), one boat boarded;
- R (8050, 550), south bank at the east end of the y = 550 road: 5 km of road = 12 min
  (off-road: 30 min), **road**;
- RB (7050, 1150), north bank at the east end of the y = 1150 road: 5 km of road to N
  (12) + wait (15) + boat (7.5) + 400 m to F (2.4) = 36.9 min (off-road to N instead:
  30 + 24.9 = 54.9), **road+boat**;
- O (3050, 350), 200 m south of F: 1.2 min across the lattice, **offroad**.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

import geoaccess as ga
from geoaccess.engine.travel import MODE_CHAINS

UTM = "EPSG:32748"
X0, Y0 = 400_000.0, 9_660_000.0


def _gdf(geoms, **cols):
    return gpd.GeoDataFrame(cols, geometry=geoms, crs=UTM)


def _pts(*xy, **cols):
    return _gdf([shapely.Point(X0 + x, Y0 + y) for x, y in xy], **cols)


def _line(*xy):
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in xy])


AREA = _gdf([shapely.box(X0, Y0, X0 + 10_000, Y0 + 2000)])
RIVER = _gdf([_line((-500, 1025), (10_500, 1025))])
LANDINGS = _pts((2050, 1150), (3050, 950))
ROADS = _gdf([_line((3050, 550), (8050, 550)), _line((7050, 1150), (2050, 1150))], road_class=["lokal"] * 2)
FAC = _pts((3050, 550), facility_id=["F"])
HOMES = _pts((2050, 1550), (8050, 550), (7050, 1150), (3050, 350), name=["B", "R", "RB", "O"])
EXPECTED = {
    "B": (27.3, "boat", 1),
    "R": (12.0, "road", 0),
    "RB": (36.9, "road+boat", 1),
    "O": (1.2, "offroad", 0),
}


@pytest.fixture(scope="module")
def found():
    net = ga.build_network(
        ROADS, "motorbike", area=AREA, resolution_m=100, barriers=RIVER, waterways=RIVER, landings=LANDINGS
    )
    return ga.nearest(net, FAC)


def test_times_are_the_hand_computed_ones(found):
    t = found.at_points(HOMES)["travel_time_min"].to_numpy()
    assert t == pytest.approx([EXPECTED[n][0] for n in HOMES["name"]])


def test_mode_chain_at_points(found):
    out = found.mode_chain_at_points(HOMES)
    assert out.index.equals(HOMES.index)
    assert out["mode_chain"].tolist() == [EXPECTED[n][1] for n in HOMES["name"]]
    assert out["boat_boardings"].tolist() == [EXPECTED[n][2] for n in HOMES["name"]]


def test_mode_chain_at_the_cells_holding_the_homes(found):
    net = found.network
    x, y = HOMES.geometry.x.to_numpy(), HOMES.geometry.y.to_numpy()
    cell = net.lattice.cell_of_xy(x, y)
    assert found.mode_chain_at_nodes(cell).tolist() == [EXPECTED[n][1] for n in HOMES["name"]]
    assert found.boardings_at_nodes(cell).tolist() == [EXPECTED[n][2] for n in HOMES["name"]]
    assert set(found.mode_chain_at_nodes(net.cells().index.to_numpy())) <= set(MODE_CHAINS)


def test_without_the_boat_the_chain_never_says_boat():
    net = ga.build_network(ROADS, "motorbike", area=AREA, resolution_m=100, barriers=RIVER)
    out = ga.nearest(net, FAC).mode_chain_at_points(HOMES)
    # north-bank homes cannot cross the river at all: unreachable, no chain
    assert out["mode_chain"].tolist() == [None, "road", None, "offroad"]
    assert out["boat_boardings"].tolist() == [0, 0, 0, 0]


def test_a_slower_boat_hands_the_trip_to_the_road():
    # a bridge (a road across the river at x = 9950): RB then rides 2.9 km east, crosses
    # and comes back 6.9 km west along y = 550 ... = 2.9 + 0.6 + 1.9 km of new road to the
    # y = 550 road end at 8050, then 5 km: 10.4 km at 2.4 min/km = 24.96 min, faster than
    # 36.9 by boat; with the bridge every chain of RB is road only.
    bridge = _gdf([_line((7050, 1150), (9950, 1150), (9950, 550), (8050, 550))], road_class=["lokal"])
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal"] * 3}, geometry=list(ROADS.geometry) + list(bridge.geometry), crs=UTM
    )
    net = ga.build_network(
        roads, "motorbike", area=AREA, resolution_m=100, barriers=RIVER, waterways=RIVER, landings=LANDINGS
    )
    res = ga.nearest(net, FAC)
    t = res.at_points(HOMES)["travel_time_min"].to_numpy()
    assert t[2] == pytest.approx(10.4 * 2.4)
    assert res.mode_chain_at_points(HOMES)["mode_chain"].tolist() == ["boat", "road", "road", "offroad"]


def test_unreachable_within_the_limit_has_no_chain():
    net = ga.build_network(
        ROADS, "motorbike", area=AREA, resolution_m=100, barriers=RIVER, waterways=RIVER, landings=LANDINGS
    )
    out = ga.nearest(net, FAC, max_time_min=30).mode_chain_at_points(HOMES)
    assert out["mode_chain"].tolist() == ["boat", "road", None, "offroad"]
    assert np.array_equal(out["boat_boardings"].to_numpy(), [1, 0, 0, 0])


def test_the_last_leg_along_the_facilitys_road_piece_counts_as_road(found):
    # G stands 25 m along the y = 550 road from the node at x = 5550 and 10 m off it; a
    # home 200 m south of that node: 200 m across the lattice (1.2) to the cell at
    # (5550, 550), whose road node it shares, then G's leg: 10 m walk (0.06) + 25 m of
    # road (0.06) = 1.32 min, beating the straight 27 m leg from the cell (0.16)
    g = _pts((5575, 560), facility_id=["G"])
    home = _pts((5550, 350))
    res = ga.nearest(found.network, g)
    assert res.at_points(home)["travel_time_min"].iloc[0] == pytest.approx(1.32)
    assert res.mode_chain_at_points(home)["mode_chain"].tolist() == ["road"]


# ----------------------------------------------------------------------------- run_access with boats


def _river_region():
    """The layout above as a kabupaten: desa W (x 0-2600, north bank: landing N), Mid
    (2600-6600, north), E (6600-10000, north: the y = 1150 road starts at x = 7050) and S
    (the whole south bank: puskesmas F, rawat inap, and hospital RS at (8050, 550))."""
    import pandas as pd

    from geoaccess import read_facilities
    from geoaccess.inputs.datasets import Region

    def box(x1, y1, x2, y2):
        return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)

    north, south = box(0, 1000, 10_000, 2000), box(0, 0, 10_000, 1000)
    kec = _gdf([north, south], code=["K1", "K2"], name=["Utara", "Selatan"])
    desa = _gdf(
        [box(0, 1000, 2600, 2000), box(2600, 1000, 6600, 2000), box(6600, 1000, 10_000, 2000), south],
        code=["W", "Mid", "E", "S"],
        name=["W", "Mid", "E", "S"],
        kecamatan_code=["K1", "K1", "K1", "K2"],
        population=[1000.0, 2000.0, 3000.0, 4000.0],
    )
    kab = _gdf([north.union(south)], code=["99.02"], name=["Sungai"])
    pts = _pts((3050, 550), (8050, 550)).to_crs(4326)
    fac = read_facilities(
        pd.DataFrame(
            {
                "facility_id": ["F", "RS"],
                "name": ["Puskesmas F", "RSUD"],
                "type": ["puskesmas", "rs"],
                "inpatient": [True, True],
                "lat": pts.geometry.y,
                "lon": pts.geometry.x,
            }
        )
    )
    return Region(
        "sungai",
        "99.02",
        kab.to_crs(4326),
        kec.to_crs(4326),
        desa.to_crs(4326),
        fac,
        fac.iloc[0:0],
        ROADS.to_crs(4326),
        buffer_km=0.0,
    )


@pytest.fixture(scope="module")
def river_run():
    return ga.run_access(
        _river_region(),
        resolution_m=100,
        barriers=RIVER,
        waterways=RIVER,
        landings=LANDINGS,
        boat_fare_idr=5000,
        progress=False,
    )


def test_run_access_says_which_desa_go_by_boat(river_run):
    d = river_run.desa.set_index("code")
    # W: every trip boards the boat at N (most of them over land only); E: the road to N,
    # then the boat; S: never a boat (the puskesmas is on its bank)
    assert d.loc["W", "puskesmas_mode_chain"] == "boat"
    assert d.loc["E", "puskesmas_mode_chain"] == "road+boat"
    assert d.loc["S", "puskesmas_mode_chain"] in ("road", "offroad")
    people = d["puskesmas_people_by_boat"]
    assert people["W"] == pytest.approx(1000.0) and people["E"] == pytest.approx(3000.0)
    assert people["Mid"] == pytest.approx(2000.0) and people["S"] == 0.0
    k = river_run.kecamatan.set_index("code")["puskesmas_people_by_boat"]
    assert k.to_dict() == pytest.approx({"K1": 6000.0, "K2": 0.0})
    # one boarding per north-bank trip at Rp 5,000; reported, not in the time
    fare = d["puskesmas_mean_boat_fare_idr"]
    assert fare["W"] == pytest.approx(5000.0) and fare["S"] == 0.0
    assert river_run.assumptions["boats"]["boat_fare_idr"] == 5000.0
    # the desa points: W's point (1300, 1500) walks to N and boards
    assert d.loc["W", "puskesmas_point_mode_chain"] == "boat"
    # the referral (car) network carries the same boats
    assert river_run.referral_network is not river_run.network
    assert river_run.referral_network.edges["waterway"].any()


def test_run_access_without_boats_has_no_mode_columns():
    res = ga.run_access(_river_region(), resolution_m=200, barriers=RIVER, progress=False)
    assert not [c for c in res.desa.columns if "mode_chain" in c or "by_boat" in c]
    # the north bank is cut off without the boat
    assert res.kecamatan.set_index("code")["puskesmas_people_unreachable"]["K1"] == pytest.approx(6000.0)


def test_a_fare_without_rivers_is_refused():
    with pytest.raises(ga.exceptions.InputValidationError, match="waterways"):
        ga.run_access(_river_region(), resolution_m=200, boat_fare_idr=5000, progress=False)
