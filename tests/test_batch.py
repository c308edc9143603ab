"""geoaccess.batch.run_many (issue 11): Dask == serial, failures, the results cache, and the
network cache (geoaccess.engine.network_cache): hits, corruption, version, parameters, no pickle."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geoaccess import batch
from geoaccess.engine import network_cache as nc
from geoaccess.exceptions import DataNotFoundError
from geoaccess.settings import resolve_data_dir

try:
    DATA = Path(resolve_data_dir(None))
    HAVE_DATA = (DATA / "indonesia/kabupaten.geojson").is_file()
except DataNotFoundError:  # pragma: no cover
    DATA, HAVE_DATA = Path("."), False

needs_data = pytest.mark.skipif(not HAVE_DATA, reason="shared data directory not found")
CODES = ["16.72", "16.73", "16.74"]  # Pagar Alam, Lubuk Linggau, Prabumulih: small kota
KW = dict(data_dir=DATA, resolution_m=1000, progress=False)


@pytest.fixture(scope="module")
def serial() -> batch.BatchResult:
    return batch.run_many(CODES, scheduler="serial", **KW)


@needs_data
def test_serial_tables(serial: batch.BatchResult) -> None:
    assert len(serial.failures) == 0
    kab = serial.kabupaten
    assert set(kab["code"]) == set(CODES) and set(kab["category"]) >= {"puskesmas", "inpatient", "hospital"}
    assert (kab["province_code"] == "16").all()
    pk = kab[kab["category"] == "puskesmas"].set_index("code")
    assert (pk["people_within_60_min"] <= pk["people_within_120_min"] + 1e-6).all()
    assert (pk["people_within_120_min"] <= pk["population"] + 1e-6).all()
    # only the core kabupaten: every kecamatan row belongs to one of the codes
    kec = serial.kecamatan
    assert kec["code"].str[:5].isin(CODES).all() and (kec["kabupaten_code"] == kec["code"].str[:5]).all()
    # kecamatan people add up to the kabupaten's
    s = kec[kec["category"] == "puskesmas"].groupby("kabupaten_code")["population"].sum()
    np.testing.assert_allclose(s.reindex(pk.index), pk["population"], rtol=1e-9)
    prov = serial.province.set_index("category")
    np.testing.assert_allclose(prov.loc["puskesmas", "population"], pk["population"].sum())
    np.testing.assert_allclose(
        prov.loc["puskesmas", "share_within_60_min"],
        pk["people_within_60_min"].sum() / pk["population"].sum(),
    )


@needs_data
def test_dask_equals_serial(serial: batch.BatchResult) -> None:
    sync = batch.run_many(CODES, scheduler="synchronous", **KW)
    for name in ("kabupaten", "kecamatan", "province"):
        pd.testing.assert_frame_equal(getattr(sync, name), getattr(serial, name))


@needs_data
@pytest.mark.filterwarnings("ignore::geoaccess.exceptions.GeoAccessWarning")  # catch_warnings is per process
def test_local_cluster_threads_equals_serial(serial: batch.BatchResult) -> None:
    import warnings

    seen: list[tuple[int, int, str, str]] = []
    # Python's warning filters are global and catch_warnings is not thread-safe: a worker
    # thread leaving a catch_warnings block can restore a filter list without pytest's
    # ignores, turning e.g. rasterio's affine PendingDeprecationWarning into an error
    # (seen in CI). Ignore every warning for the run; the serial tests check the notes.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = batch.run_many(
            CODES[:2],
            scheduler="threads",
            n_workers=2,
            data_dir=DATA,
            resolution_m=1000,
            progress=lambda *a: seen.append(a),
        )
    assert len(res.failures) == 0, res.failures["traceback"].tolist()
    want = serial.kecamatan[serial.kecamatan["kabupaten_code"].isin(CODES[:2])].reset_index(drop=True)
    pd.testing.assert_frame_equal(res.kecamatan, want)
    assert sorted(s[2] for s in seen) == CODES[:2] and [s[0] for s in seen] == [1, 2]


@needs_data
def test_failing_partition_reported_others_finish(serial: batch.BatchResult) -> None:
    res = batch.run_many([CODES[0], "99.99"], scheduler="synchronous", **KW)
    assert list(res.failures["code"]) == ["99.99"]
    assert "99.99" in res.failures["error"].iloc[0] and "Traceback" in res.failures["traceback"].iloc[0]
    assert set(res.kabupaten["code"]) == {CODES[0]}
    want = serial.kabupaten[serial.kabupaten["code"] == CODES[0]].reset_index(drop=True)
    pd.testing.assert_frame_equal(res.kabupaten, want)
    # a failed kabupaten of the same province: its share is of 1 of the 2 kabupaten asked for
    part = batch.run_many([CODES[0], "16.99"], scheduler="serial", **KW)
    assert list(part.failures["code"]) == ["16.99"]
    prov = part.province[["province_code", "n_kabupaten", "kabupaten_failed", "kabupaten_total"]]
    assert prov.drop_duplicates().values.tolist() == [["16", 1, 1, 2]]
    counts = serial.province[["kabupaten_failed", "kabupaten_total"]].drop_duplicates()
    assert counts.values.tolist() == [[0, 3]]


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = nc.build_network

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(nc, "build_network", counting)
    return calls


@needs_data
def test_rerun_hits_cache_and_no_pickle(
    serial: batch.BatchResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_builds(monkeypatch)
    parts: list[str] = []
    real_part = batch.run_partition
    monkeypatch.setattr(batch, "run_partition", lambda code, *a: parts.append(code) or real_part(code, *a))
    first = batch.run_many(CODES[:2], scheduler="serial", cache_dir=tmp_path, **KW)
    assert len(calls) == 4 and sorted(parts) == CODES[:2]  # motorbike + car network per kabupaten
    again = batch.run_many(CODES[:2], scheduler="serial", cache_dir=tmp_path, **KW)
    assert len(calls) == 4 and len(parts) == 2 and again.runs["cached"].all()  # nothing recomputed
    for name in ("kabupaten", "kecamatan", "province"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name))
    want = serial.kecamatan[serial.kecamatan["kabupaten_code"].isin(CODES[:2])].reset_index(drop=True)
    pd.testing.assert_frame_equal(first.kecamatan, want)
    # another analysis of the same areas: partitions rerun, networks from the cache
    other = batch.run_many(
        CODES[:2], scheduler="serial", cache_dir=tmp_path, categories=["puskesmas", "hospital"], **KW
    )
    assert len(parts) == 4 and len(calls) == 4 and (other.runs["network_hits"] == 2).all()
    # a changed parameter is another key: rebuilt
    batch.run_many(CODES[:1], scheduler="serial", cache_dir=tmp_path, buffer_km=20, **KW)
    assert len(calls) == 6
    # a code change (the version stays "0.1.0"): another key, partition and networks recomputed
    from geoaccess import _fingerprint
    from geoaccess.engine import speeds

    code = _fingerprint.code_fingerprint()
    monkeypatch.setattr(_fingerprint, "_CODE_SHA256", "0" * 64)
    changed = batch.run_many(CODES[:1], scheduler="serial", cache_dir=tmp_path, **KW)
    assert len(parts) == 6 and len(calls) == 8 and not changed.runs["cached"].any()
    monkeypatch.setattr(_fingerprint, "_CODE_SHA256", code)
    # a changed default speed: recomputed, with the new figures (not yesterday's)
    monkeypatch.setitem(speeds.OFFROAD_SPEED_KPH, "motorbike", 5.0)
    slow = batch.run_many(CODES[:1], scheduler="serial", cache_dir=tmp_path, **KW)
    assert len(parts) == 7 and len(calls) == 10 and not slow.runs["cached"].any()
    col, was = "mean_travel_time_min", first.kabupaten[first.kabupaten["kabupaten_code"] == CODES[0]]
    assert len(slow.kabupaten) == len(was) > 0
    assert (slow.kabupaten[col].to_numpy() > was[col].to_numpy()).all()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} == {".npz", ".json"}
    for p in files:
        if p.suffix == ".npz":
            with np.load(p, allow_pickle=False) as z:
                assert all(z[k].dtype != object for k in z.files)
        else:
            json.loads(p.read_text())
        assert b"\x80\x04\x95" not in p.read_bytes()[:3]  # no pickle stream


# --------------------------------------------------------------------------- network cache


@pytest.fixture
def toy() -> tuple[gpd.GeoDataFrame, gpd.GeoSeries]:
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal", "arteri"], "name": ["a", None]},
        geometry=[shapely.LineString([(0, 0), (3000, 0)]), shapely.LineString([(3000, 0), (3000, 2000)])],
        crs="EPSG:32748",
    )
    area = gpd.GeoSeries([shapely.box(-500, -500, 3500, 2500)], crs="EPSG:32748")
    return roads, area


def _same(a: object, b: object) -> None:
    from geoaccess.engine.network import Network

    assert isinstance(a, Network) and isinstance(b, Network)
    assert (a.graph != b.graph).nnz == 0 and a.graph.shape == b.graph.shape
    np.testing.assert_array_equal(a.node_xy, b.node_xy)
    np.testing.assert_array_equal(a.csr_edge, b.csr_edge)
    pd.testing.assert_frame_equal(a.edges, b.edges)
    assert a.crs == b.crs and a.mode == b.mode and a.n_road_nodes == b.n_road_nodes
    assert a.lattice is not None and b.lattice is not None
    np.testing.assert_array_equal(a.lattice.node_of_cell, b.lattice.node_of_cell)
    assert repr(a) == repr(b)
    ra, rb = dataclasses.asdict(a.repair), dataclasses.asdict(b.repair)  # type: ignore[arg-type]
    assert {k: v for k, v in ra.items() if k != "seconds"} == {k: v for k, v in rb.items() if k != "seconds"}


def test_network_cache_roundtrip_and_barriers(toy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roads, area = toy
    calls = _count_builds(monkeypatch)
    barrier = gpd.GeoSeries([shapely.box(1000, 500, 1500, 1500)], crs="EPSG:32748")
    cache = nc.NetworkCache(tmp_path)
    a = cache.build(roads, "motorbike", area=area, resolution_m=250, barriers=barrier)
    b = cache.build(roads, "motorbike", area=area, resolution_m=250, barriers=barrier)
    assert len(calls) == 1 and (cache.hits, cache.misses) == (1, 1)
    _same(a, b)
    assert b.barriers is not None and b.barriers.geom_equals(a.barriers).all()


@pytest.mark.parametrize(
    "damage", ["truncate", "garbage_json", "version", "format", "checksum", "missing_npz"]
)
def test_network_cache_damaged_entry_rebuilt(
    toy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    roads, area = toy
    calls = _count_builds(monkeypatch)
    cache = nc.NetworkCache(tmp_path)
    a = cache.build(roads, "motorbike", area=area, resolution_m=500)
    key = nc.network_key(roads, "motorbike", area=area, resolution_m=500)
    assert key is not None
    npz, meta = cache.paths(key)
    m = json.loads(meta.read_text())
    if damage == "truncate":
        npz.write_bytes(npz.read_bytes()[: npz.stat().st_size // 2])
    elif damage == "garbage_json":
        meta.write_text("{not json")
    elif damage == "version":
        m["geoaccess_version"] = "0.0.0-other"
        meta.write_text(json.dumps(m))
    elif damage == "format":
        m["format"] = nc.FORMAT + 1
        meta.write_text(json.dumps(m))
    elif damage == "checksum":
        with np.load(npz) as z:
            arrays = {k: z[k] for k in z.files}
        arrays["graph_data"] = arrays["graph_data"] * 2  # stale arrays under sound metadata
        np.savez(npz, **arrays)
    else:
        npz.unlink()
    fresh = nc.NetworkCache(tmp_path)
    b = fresh.build(roads, "motorbike", area=area, resolution_m=500)
    assert len(calls) == 2 and fresh.misses == 1 and len(fresh.rejected) == 1
    _same(a, b)
    # rewritten: the next read is a hit
    again = nc.NetworkCache(tmp_path)
    again.build(roads, "motorbike", area=area, resolution_m=500)
    assert len(calls) == 2 and again.hits == 1 and not again.rejected


def test_network_cache_version_and_parameters_change_key(toy, monkeypatch: pytest.MonkeyPatch) -> None:
    roads, area = toy
    k = nc.network_key(roads, "motorbike", area=area, resolution_m=500)
    assert k == nc.network_key(roads.copy(), "motorbike", area=area.copy(), resolution_m=500)
    assert k != nc.network_key(roads, "motorbike", area=area, resolution_m=250)
    assert k != nc.network_key(roads, "car", area=area, resolution_m=500)
    assert k != nc.network_key(roads, "motorbike", area=area, resolution_m=500, offroad_speed_kph=3.0)
    moved = roads.copy()
    moved.loc[1, "road_class"] = "lokal"
    assert k != nc.network_key(moved, "motorbike", area=area, resolution_m=500)
    import geoaccess

    monkeypatch.setattr(geoaccess, "__version__", "9.9.9")
    assert k != nc.network_key(roads, "motorbike", area=area, resolution_m=500)
    monkeypatch.undo()
    assert k == nc.network_key(roads, "motorbike", area=area, resolution_m=500)
    # the code and the default speeds, which the version does not follow
    from geoaccess import _fingerprint
    from geoaccess.engine import speeds

    monkeypatch.setattr(_fingerprint, "_CODE_SHA256", "0" * 64)
    assert k != nc.network_key(roads, "motorbike", area=area, resolution_m=500)
    monkeypatch.undo()
    monkeypatch.setitem(speeds.ROAD_SPEED_KPH["motorbike"], "lokal", 1.0)
    assert k != nc.network_key(roads, "motorbike", area=area, resolution_m=500)
    monkeypatch.undo()
    assert nc.network_key(roads, "motorbike", area=area, offroad_speed_raster=object()) is None


def test_frame_arrays_roundtrip() -> None:
    df = pd.DataFrame(
        {
            "i": np.arange(3, dtype=np.int32),
            "f": [1.5, np.nan, 2.0],
            "b": [True, False, True],
            "s": pd.array(["a", None, "c"], dtype="string"),
            "o": ["x", "y", None],
            "c": pd.Categorical(["p", "q", "p"]),
        }
    )
    arrays, cols = nc.frame_to_arrays(df, "x")
    assert all(a.dtype != object for a in arrays.values())
    pd.testing.assert_frame_equal(nc.frame_from_arrays(arrays, json.loads(json.dumps(cols)), "x"), df)
    with pytest.raises(TypeError, match="not text"):
        nc.frame_to_arrays(pd.DataFrame({"o": [{"a": 1}]}), "x")


@needs_data
def test_kabupaten_beyond_the_road_file_runs_on_the_grid_alone() -> None:
    # Kab. Simeulue (11.01, Aceh) is far from the South Sumatra road file: the partition is
    # built by config.build_region(with_roads=False) and says so in its notes
    import warnings

    from geoaccess.exceptions import GeoAccessWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        region = batch._region("11.01", DATA, {"buffer_km": 25.0})
        res = batch.run_many(["11.01"], scheduler="serial", **KW)
    assert region.roads is None and region.sources["roads"] == "none: the off-road grid alone"
    assert any("timed on the off-road grid alone" in n for n in region.notes)
    assert len(res.failures) == 0 and set(res.kabupaten["code"]) == {"11.01"}


@needs_data
def test_write_many_tables_and_offline_map(serial: batch.BatchResult, tmp_path: Path) -> None:
    paths = batch.write_many(serial, tmp_path, name="sumsel")
    assert {p.name for p in paths.values()} == {
        f"sumsel_{k}.csv" for k in ("province", "kabupaten", "kecamatan", "failures", "runs")
    } | {"sumsel_map.html"}
    kec = pd.read_csv(paths["kecamatan"], dtype={"code": str, "kabupaten_code": str})
    assert len(kec) == len(serial.kecamatan)
    np.testing.assert_allclose(kec["share_within_60_min"], serial.kecamatan["share_within_60_min"])
    html = paths["map"].read_text(encoding="utf-8")
    pkm = serial.kecamatan[serial.kecamatan["category"] == "puskesmas"]
    # every kecamatan of the run is on the map, with its share; Leaflet inlined (offline)
    for name, share in zip(pkm["name"], pkm["share_within_60_min"], strict=True):
        assert name in html and f"{share:.0%}" in html
    assert "unpkg.com/leaflet" not in html and "cdn.jsdelivr.net/npm/leaflet@" not in html


@needs_data
def test_kabupaten_without_own_facility_is_a_clear_failure() -> None:
    """Kepulauan Seribu (31.01) has no facility of its own in the 2019 list: the partition
    fails with an error that says so, and the others finish."""
    res = batch.run_many(["31.01", CODES[0]], scheduler="serial", **KW)
    assert list(res.failures["code"]) == ["31.01"]
    assert "no facility of kabupaten 31.01" in res.failures["error"].iloc[0]
    assert set(res.kabupaten["code"]) == {CODES[0]}


def _toy_partition(roads: bool) -> tuple[object, pd.DataFrame]:
    """The hand-made kabupaten of example_region (4 x 2 km, 4,000 people) with the puskesmas
    and the hospital at the centres of two 500 m cells 2 km apart on one row, with or
    without its 4 km road; run as a partition would be, its core table."""
    import dataclasses

    import geoaccess as ga
    from geoaccess.inputs.datasets import example_region
    from geoaccess.inputs.facilities import read_facilities

    region = example_region()
    fac = read_facilities(
        gpd.GeoDataFrame(
            {"facility_id": ["P1", "H1"], "type": ["puskesmas", "rs"], "inpatient": [False, True]},
            geometry=[shapely.Point(401_250, 9_591_250), shapely.Point(403_250, 9_591_250)],
            crs="EPSG:32748",
        )
    )
    region = dataclasses.replace(region, facilities=fac, roads=region.roads if roads else None)
    res = ga.run_access(region, resolution_m=500, progress=False)
    row = pd.Series({"name": "Contoh", "provinsi_code": "99", "provinsi": "Contoh"})
    return res, batch._core_tables(res, "99.01", row)


PARAMS = {
    "categories": ["puskesmas", "inpatient", "hospital"],
    "buffer_km": 0.0,
    "mode": "motorbike",
    "referral_mode": "car",
}


def test_partition_without_roads_is_flagged_and_its_referral_leg_is_distance_over_speed(
    tmp_path: Path,
) -> None:
    res, table = _toy_partition(roads=False)
    # the referral leg crosses the grid by car at 3 km/h = 50 m/min: 2,000 m in 40 minutes
    # (four 500 m steps along one row of cells; both facilities at their cell's centre)
    leg = res.facilities.set_index("facility_id")["hospital_travel_time_min"]
    assert leg["P1"] == pytest.approx(2000 / (3.0 * 1000 / 60))
    kab = table[table["level"] == "kabupaten"].set_index("category")
    # everyone's nearest puskesmas is P1, so the referral figure is the puskesmas one + 40
    assert kab.loc["referral", "mean_travel_time_min"] == pytest.approx(
        kab.loc["puskesmas", "mean_travel_time_min"] + 40.0
    )
    # every row says its times rest on no road, and at which off-road speed
    assert table["offroad_only"].dtype == bool and table["offroad_only"].all()
    assert (table["partition_road_km"] == 0.0).all() and (table["kabupaten_road_km"] == 0.0).all()
    speed = table.set_index(["level", "code", "category"])["offroad_speed_kph"]
    assert speed.xs("referral", level="category").eq(3.0).all()  # car, the referral mode
    assert speed.drop("referral", level="category").eq(10.0).all()  # motorbike, from home
    # the existing columns keep their meaning: the mean is still the off-road figure
    assert kab.loc["referral", "mean_travel_time_min"] > 40.0
    merged = batch._merge([{"code": "99.01", "ok": True, "table": table}], 0.0, PARAMS)
    prov = merged.province.set_index("category")
    assert (prov["kabupaten_offroad_only"] == 1).all() and (prov["kabupaten_road_km"] == 0.0).all()
    np.testing.assert_allclose(prov["population_offroad_only"], 4000.0)
    np.testing.assert_allclose(prov["share_population_offroad_only"], 1.0)
    assert len(merged.notes) == 1
    note = merged.notes[0]
    assert "1 of 1 kabupaten (4,000 people)" in note and "99.01" in note
    assert "at 10 km/h" in note and "car) at 3 km/h" in note and "offroad_only=True" in note
    paths = batch.write_many(merged, tmp_path, map=False, name="toy")
    assert paths["notes"].read_text(encoding="utf-8") == note + "\n"
    kab_csv = pd.read_csv(paths["kabupaten"])
    assert kab_csv["offroad_only"].all() and (kab_csv["partition_road_km"] == 0).all()


def test_partition_with_roads_carries_their_km_and_no_note() -> None:
    _, table = _toy_partition(roads=True)
    # the 4 km lokal road runs across the whole kabupaten (which has no buffer)
    np.testing.assert_allclose(table["partition_road_km"], 4.0, rtol=1e-6)
    np.testing.assert_allclose(table["kabupaten_road_km"], 4.0, rtol=1e-6)
    assert not table["offroad_only"].any()
    merged = batch._merge([{"code": "99.01", "ok": True, "table": table}], 0.0, PARAMS)
    assert merged.notes == ()
    assert (merged.province["kabupaten_offroad_only"] == 0).all()
    np.testing.assert_allclose(merged.province["kabupaten_road_km"], 4.0, rtol=1e-6)
