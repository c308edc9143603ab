"""Property-based tests of the engine on random small networks (issue 9).

Each example is a lattice over a random box with a few random roads, facilities and
origins (hypothesis draws the numbers, so failures shrink and replay).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from conftest import require_module

from geoaccess import build_network, nearest

require_module("hypothesis", "property-based tests")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

UTM = "EPSG:32748"
CLASSES = ["arteri", "kolektor", "lokal", "lingkungan"]
coord = st.floats(0, 3000, allow_nan=False)
point = st.tuples(coord, coord)


@st.composite
def worlds(draw):
    roads = draw(st.lists(st.tuples(point, point, st.sampled_from(CLASSES)), min_size=1, max_size=4))
    roads = [(a, b, c) for a, b, c in roads if np.hypot(a[0] - b[0], a[1] - b[1]) > 10]
    if not roads:
        roads = [((0.0, 0.0), (3000.0, 3000.0), "lokal")]
    facs = draw(st.lists(point, min_size=2, max_size=4))
    origins = draw(st.lists(point, min_size=1, max_size=6))
    return roads, facs, origins


def _frames(world):
    roads, facs, origins = world
    r = gpd.GeoDataFrame(
        {"road_class": [c for *_, c in roads]},
        geometry=[shapely.LineString([a, b]) for a, b, _ in roads],
        crs=UTM,
    )
    f = gpd.GeoDataFrame(
        {"facility_id": [f"F{i}" for i in range(len(facs))]},
        geometry=[shapely.Point(p) for p in facs],
        crs=UTM,
    )
    o = gpd.GeoDataFrame(geometry=[shapely.Point(p) for p in origins], crs=UTM)
    return r, f, o


AREA = gpd.GeoSeries([shapely.box(-200, -200, 3200, 3200)], crs=UTM)
SETTINGS = settings(max_examples=30, deadline=None)


def _net(roads, scale=1.0):
    base = {"arteri": 60.0, "kolektor": 40.0, "lokal": 20.0, "lingkungan": 15.0, "setapak": 0.0}
    return build_network(
        roads,
        "car",
        area=AREA,
        resolution_m=250,
        speeds_kph={k: v * scale for k, v in base.items()},
        offroad_speed_kph=3.0 * scale,
        repair=False,
    )


@SETTINGS
@given(worlds())
def test_adding_a_facility_never_increases_a_time(world):
    roads, facs, origins = _frames(world)
    net = _net(roads)
    fewer = nearest(net, facs.iloc[:-1])
    more = nearest(net, facs)
    t0 = fewer.at_cells()["travel_time_min"].fillna(np.inf).to_numpy()
    t1 = more.at_cells()["travel_time_min"].fillna(np.inf).to_numpy()
    assert (t1 <= t0 + 1e-9).all()
    p0 = fewer.at_points(origins)["travel_time_min"].fillna(np.inf).to_numpy()
    p1 = more.at_points(origins)["travel_time_min"].fillna(np.inf).to_numpy()
    assert (p1 <= p0 + 1e-9).all()


@SETTINGS
@given(worlds(), st.sampled_from([0.5, 2.0]))
def test_scaling_every_speed_divides_every_time(world, c):
    roads, facs, origins = _frames(world)
    base = nearest(_net(roads), facs)
    fast = nearest(_net(roads, c), facs)
    t0 = base.at_cells()["travel_time_min"].to_numpy()
    t1 = fast.at_cells()["travel_time_min"].to_numpy()
    np.testing.assert_allclose(t1, t0 / c, rtol=1e-6, atol=1e-6)
    p0 = base.at_points(origins)["travel_time_min"].to_numpy()
    p1 = fast.at_points(origins)["travel_time_min"].to_numpy()
    np.testing.assert_allclose(p1, p0 / c, rtol=1e-6, atol=1e-6)


@SETTINGS
@given(worlds(), st.floats(1.0, 120.0))
def test_every_origin_is_accounted_for(world, limit):
    # every origin comes back once: reachable (a time and a facility) or unreachable (neither)
    roads, facs, origins = _frames(world)
    far = gpd.GeoDataFrame(geometry=[shapely.Point(50_000, 50_000)], crs=UTM)
    origins = pd.concat([origins, far], ignore_index=True)
    out = nearest(_net(roads), facs, max_time_min=limit).at_points(origins)
    assert len(out) == len(origins) and out.index.equals(origins.index)
    reach = out["reachable"].to_numpy(dtype=bool)
    assert (np.isfinite(out["travel_time_min"].to_numpy(dtype=float)) == reach).all()
    assert (out["facility_id"].notna().to_numpy() == reach).all()
    assert (out.loc[reach, "travel_time_min"] <= limit + 1e-9).all()
    assert not reach[-1]  # the far origin is flagged unreachable, not dropped


def test_write_outputs_is_byte_identical(tmp_path):
    # determinism: the same result written twice gives byte-identical CSV and GeoTIFF files
    from test_hostile_engine import _region

    from geoaccess.pipeline import run_access, write_outputs

    res = run_access(_region(), resolution_m=500, progress=False)
    a = write_outputs(res, tmp_path / "a")
    b = write_outputs(res, tmp_path / "b")
    checked = [k for k, p in a.items() if p.suffix in (".csv", ".tif")]
    assert "raster" in checked and "desa" in checked
    for key in checked:
        assert a[key].read_bytes() == b[key].read_bytes(), key
