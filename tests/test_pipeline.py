"""The end-to-end job on the real Muara Enim data, and its consistency checks."""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import hand_region, write_geotiff

from geoaccess import cli
from geoaccess.exceptions import GeoAccessWarning
from geoaccess.inputs.population import allocation_table
from geoaccess.pipeline import run_access, write_outputs


@pytest.fixture(scope="module")
def result(data_dir):
    with pytest.warns(GeoAccessWarning):
        return run_access("muara_enim", data_dir=data_dir, progress=False)


def test_every_desa_and_kecamatan_comes_back(result):
    assert len(result.desa) == 254
    assert len(result.kecamatan) == 22
    for cat in ("puskesmas", "inpatient", "hospital"):
        col = f"{cat}_travel_time_min"
        assert result.desa[col].notna().all()
        assert result.kecamatan[col].notna().all()
        assert (result.desa[col] > 0).all()
        assert (result.desa[col] < 6 * 60).all()


def test_population_is_conserved(result):
    a = result.assumptions
    # 648,775 people in the desa table of Muara Enim (2025-scaled estimate)
    # 648,775 in desa polygons + 4,974 in two desa without a polygon (Ujanmas Ulu 3,964,
    # Arisan Musi 1,010), spread over their kecamatan = 653,749 (Kepmendagri 2025: 653,731)
    assert a["population_desa_total"] == pytest.approx(653_749)
    assert result.cells["population"].sum() == pytest.approx(653_749)
    assert result.kecamatan["population"].sum() == pytest.approx(653_749)
    assert result.desa["population"].sum() == pytest.approx(648_775)
    kec = result.kecamatan.set_index("name")["population"]
    desa_sum = result.desa.groupby("kecamatan_code")["population"].sum()
    ujan_mas = result.kecamatan.set_index("name").loc["Ujan Mas", "code"]
    assert kec["Ujan Mas"] == pytest.approx(desa_sum[ujan_mas] + 3_964)
    cov = result.tables["coverage"]
    for cat in ("puskesmas", "hospital", "referral"):
        c = cov[cov["category"] == cat]
        kab = c[c["level"] == "kabupaten"].iloc[0]
        kec = c[c["level"] == "kecamatan"]
        desa = c[c["level"] == "desa"]
        assert kab["population"] == pytest.approx(653_749)
        for col in ("population", "people_beyond_30_min", "people_beyond_60_min", "people_beyond_120_min"):
            assert kec[col].sum() == pytest.approx(kab[col])
            assert desa[col].sum() == pytest.approx(kab[col])


def test_time_ordering_invariants(result):
    c = result.cells
    # inpatient puskesmas are a subset of puskesmas: never closer
    assert (c["inpatient_travel_time_min"] >= c["puskesmas_travel_time_min"] - 1e-9).all()
    # the referral trip = time to the nearest puskesmas + that puskesmas' own trip to its
    # nearest hospital, timed here independently on the referral network
    import geoaccess as ga
    from geoaccess.inputs.facilities import select

    with warnings.catch_warnings():  # facilities without a location: said by the run
        warnings.simplefilter("ignore", GeoAccessWarning)
        pkm = select(result.facilities, "puskesmas")[["facility_id", "geometry"]]
        hosp = select(result.facilities, "hospital")[["facility_id", "geometry"]]
        leg = ga.travel_time(result.referral_network, pkm.rename(columns={"facility_id": "pkm_id"}), hosp)
    leg = leg.set_index("pkm_id")["travel_time_min"]
    ok = c["referral_travel_time_min"].notna()
    want = c.loc[ok, "puskesmas_travel_time_min"] + c.loc[ok, "puskesmas_facility_id"].map(leg)
    np.testing.assert_allclose(c.loc[ok, "referral_travel_time_min"], want, rtol=1e-9)
    # a desa mean lies between its cells' extremes
    d = result.desa.set_index("code")
    lo = c.groupby("desa_code")["puskesmas_travel_time_min"].min()
    hi = c.groupby("desa_code")["puskesmas_travel_time_min"].max()
    common = lo.index.intersection(d.index)
    assert (d.loc[common, "puskesmas_travel_time_min"] >= lo[common] - 1e-9).all()
    assert (d.loc[common, "puskesmas_travel_time_min"] <= hi[common] + 1e-9).all()


def test_unreachable_people_and_hospital_quality_are_reported(result):
    for cat in ("puskesmas", "inpatient", "hospital", "referral"):
        col = f"{cat}_people_unreachable"
        assert col in result.desa and col in result.kecamatan
        # everyone in Muara Enim reaches every category over roads and the lattice
        assert result.kecamatan[col].sum() == 0
    pkm = result.facilities[result.facilities["type"] == "puskesmas"]
    q = pkm["nearest_hospital_location_quality"]
    assert q.notna().all() and set(q) <= {"source", "kecamatan_centroid", "desa_centroid"}


def test_nearest_ids_are_real_facilities(result):
    ids = set(result.facilities["facility_id"])
    for cat in ("puskesmas", "inpatient", "hospital"):
        got = set(result.cells[f"{cat}_facility_id"].dropna())
        assert got <= ids
    hosp = result.facilities[result.facilities["type"] == "rs"]
    assert set(result.facilities["nearest_hospital_id"].dropna()) <= set(hosp["facility_id"])
    inpat = set(
        result.facilities.loc[result.facilities["inpatient"].fillna(False).astype(bool), "facility_id"]
    )
    assert set(result.cells["inpatient_facility_id"].dropna()) <= inpat


def test_program_targets_and_priority(result):
    tg = result.tables["targets"].set_index("name")
    # the two newest kecamatan have no puskesmas in any source (facilities/SOURCES.md)
    assert set(tg.index[tg["meets_pp47_2016"].eq(False)]) == {"Empat Petulai Dangku", "Panang Enim"}
    assert tg["n_puskesmas"].sum() == 22
    pr = result.tables["priority_kecamatan"]
    assert sorted(pr["rank"]) == list(range(1, 23))
    # the score recomputed here from the raw indicators: min-max over the kecamatan
    # (access per 1,000: lower is worse), weights as documented in priority.PRIORITY_WEIGHTS
    w = result.assumptions["priority_weights"]
    want = np.zeros(len(pr))
    for col, wk in w.items():
        x = pr[col].astype(float)
        norm = (x - x.min()) / (x.max() - x.min())
        want += 100 * wk * (1 - norm if col == "access_per_1000" else norm).fillna(0).to_numpy()
    assert np.allclose(pr["priority_score"], want / sum(w.values()))
    assert set(result.assumptions["priority_weights"]) >= {"people_beyond_60_min", "mean_travel_time_min"}


def test_outputs_written(result, tmp_path):
    files = write_outputs(result, tmp_path)
    desa = pd.read_csv(files["desa"])
    assert len(desa) == 254 and "puskesmas_travel_time_min" in desa
    html = files["map"].read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in html and "L.map(" in html  # Leaflet inlined: works offline
    assert "Muara Enim" in html
    a = json.loads(files["assumptions"].read_text())
    assert a["road_speeds_kph"]["arteri"] == 60.0 and a["mode"] == "motorbike"
    assert files["priority_kecamatan_id_xlsx"].stat().st_size > 0
    gp = gpd.read_file(files["priority_kecamatan_gpkg"])
    assert len(gp) == 22 and gp.crs is not None
    assert files["coverage_curve"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import rasterio

    with rasterio.open(files["raster"]) as ds:
        assert ds.descriptions[0] == "population" and "puskesmas_travel_time_min" in ds.descriptions
        band = {d: i + 1 for i, d in enumerate(ds.descriptions)}
        pop = ds.read(band["population"])
        tt = ds.read(band["puskesmas_travel_time_min"])
    cells = result.cells
    assert np.nansum(pop) == pytest.approx(653_749, rel=1e-6)  # float32 raster
    some = cells.iloc[[0, len(cells) // 2, -1]]
    for _, r in some.iterrows():
        assert tt[r["row"], r["col"]] == pytest.approx(r["puskesmas_travel_time_min"], rel=1e-6)


def test_cli_demo_and_error(data_dir, tmp_path, capsys):
    rc = cli.main(
        [
            "demo",
            "--out",
            str(tmp_path / "o"),
            "--no-progress",
            "--resolution",
            "500",
            "--data-dir",
            str(data_dir),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "Kabupaten Muara Enim" in out and "people beyond 30 / 60 / 120 min" in out
    assert (tmp_path / "o" / "muara_enim_map.html").is_file()
    links = pd.read_csv(tmp_path / "o" / "muara_enim_critical_links.csv")  # dry and flood season
    assert set(links["season"]) == {"dry", "flood"} and (links["people_pushed_beyond_60_min"] >= 0).all()
    rc = cli.main(
        ["demo", "--out", str(tmp_path / "x"), "--no-progress", "--data-dir", str(tmp_path / "nope")]
    )
    err = capsys.readouterr().err
    assert rc == 2 and "nope" in err


def test_allocate_conserves_and_keeps_small_desa():
    # two desa: a 1x1 km square (4 cells of 500 m) and a tiny one holding no cell centre
    crs = "EPSG:32748"
    desa = gpd.GeoDataFrame(
        {"code": ["A", "B"], "population": [400.0, 30.0]},
        geometry=[shapely.box(0, 0, 1000, 1000), shapely.box(1010, 10, 1030, 30)],
        crs=crs,
    )
    xy = [(250, 250), (750, 250), (250, 750), (750, 750), (1250, 250)]
    cells = gpd.GeoDataFrame(geometry=[shapely.Point(p) for p in xy], index=[10, 11, 12, 13, 14], crs=crs)
    with pytest.warns(GeoAccessWarning, match="no cell centre.*: B"):
        long = allocation_table(desa, cells, id_col="code").rename(
            columns={"cell": "node", "code": "desa_code"}
        )
    assert long["population"].sum() == pytest.approx(430.0)
    a = long[long["desa_code"] == "A"]
    assert sorted(a["node"]) == [10, 11, 12, 13] and np.allclose(a["population"], 100.0)
    b = long[long["desa_code"] == "B"]
    # B's 30 people go to the cell centre nearest to B's representative point (1020, 20):
    # (1250, 250) is 325 m away, (750, 250) 354 m -> node 14; the row keeps code B
    assert b["node"].tolist() == [14] and b["population"].tolist() == [30.0]


def test_allocate_with_weights_and_road_weights(tmp_path):
    from rasterio.transform import from_origin

    import geoaccess as ga
    from geoaccess.pipeline import population_weights

    crs = "EPSG:32748"
    area = gpd.GeoSeries([shapely.box(0, 0, 1000, 1000)], crs=crs)
    road = gpd.GeoDataFrame(
        {"road_class": ["lokal"]}, geometry=[shapely.LineString([(0, 250), (1000, 250)])], crs=crs
    )
    net = ga.build_network(road, "walk", area=area, resolution_m=500, repair=False)
    cells = net.cells()  # centres (250,250) (750,250) (250,750) (750,750)
    desa = gpd.GeoDataFrame(
        {"code": ["A"], "population": [300.0]}, geometry=[shapely.box(0, 0, 1000, 1000)], crs=crs
    )
    # roads: cells on the road weigh 1, cells 500 m away weigh 1 / (1 + 0.5) = 2/3
    w = population_weights(net, cells, "roads")
    on_road = cells.geometry.y == 250
    assert np.allclose(w[on_road], 1.0) and np.allclose(w[~on_road], 2 / 3)
    long = allocation_table(desa, cells.assign(w=w), id_col="code", weight_col="w").rename(
        columns={"cell": "node"}
    )
    # 300 people over weights 1, 1, 2/3, 2/3 (sum 10/3): 90 on each road cell, 60 on the others
    got = long.set_index("node")["population"]
    assert np.allclose(got[cells.index[on_road]], 90.0) and np.allclose(got[cells.index[~on_road]], 60.0)
    # raster: a settlement raster with people only in the north-east cell
    arr = np.zeros((2, 2), dtype="float32")
    arr[0, 1] = 5.0
    path = tmp_path / "settlement.tif"
    write_geotiff(path, arr, transform=from_origin(0, 1000, 500, 500), crs=crs, nodata=-1)
    cells["w"] = population_weights(net, cells, str(path))
    long = allocation_table(desa, cells, id_col="code", weight_col="w").rename(columns={"cell": "node"})
    got = long.set_index("node")["population"]
    ne = cells.index[(cells.geometry.x == 750) & (cells.geometry.y == 750)][0]
    assert got[ne] == pytest.approx(300.0) and got.drop(ne).sum() == pytest.approx(0.0)


def test_readme_figures_match_the_demo(result):
    from pathlib import Path

    from geoaccess.cli import _summary

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for line in _summary(result).splitlines():
        assert line in readme, f"README.md is out of date; the demo now prints:\n{line}"


def test_cli_region_without_population(data_dir, tmp_path, capsys):
    # Sarolangun has desa polygons but no desa population: travel times only, honestly said
    rc = cli.main(
        [
            "demo",
            "--region",
            "sarolangun",
            "--out",
            str(tmp_path),
            "--no-progress",
            "--resolution",
            "500",
            "--data-dir",
            str(data_dir),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "no population figures: travel times per desa only (158 desa)" in out
    desa = pd.read_csv(tmp_path / "sarolangun_desa.csv")
    assert len(desa) == 158 and desa["puskesmas_travel_time_min"].notna().all()
    assert not (tmp_path / "sarolangun_priority_kecamatan.csv").exists()


# ----------------------------------------------------------------------------- a region built by hand


def test_run_access_on_a_region_built_by_hand():
    region = hand_region(staff=False)
    res = run_access(region, resolution_m=500, progress=False)
    notes = " ".join(res.assumptions["notes"])
    # optional data absent: the tables that need it are skipped with a note, not a crash
    assert "poverty" not in res.tables and "no poverty_rate figures" in notes
    assert "no flood_hazard_index figures" in notes and "no staff counts" in notes
    pr = res.tables["priority_kecamatan"]
    assert "flood_exposure" not in pr and "access_per_1000" not in pr
    # every person of the two desa is allocated and counted
    kab = res.tables["coverage"].query("level == 'kabupaten' and category == 'puskesmas'").iloc[0]
    assert kab["population"] == pytest.approx(4000.0)
    assert res.kecamatan.set_index("code")["population"].to_dict() == pytest.approx({"K1": 1000, "K2": 3000})
    assert res.assumptions["population"] == "the desa population column"


def test_run_access_passes_roads_and_barriers_to_the_network():
    region = hand_region()
    x0, y0 = 400_000, 9_660_000
    # a river along the kecamatan border, over the whole height: the lattice cannot cross it
    river = gpd.GeoDataFrame(
        geometry=[shapely.box(x0 + 1900, y0 - 500, x0 + 2100, y0 + 2500)], crs="EPSG:32748"
    ).to_crs(4326)
    # the region's road bridges the river: East reaches the puskesmas in West
    res = run_access(region, resolution_m=500, barriers=river, progress=False)
    assert res.kecamatan.set_index("code")["puskesmas_people_unreachable"].to_dict() == {"K1": 0, "K2": 0}
    # the caller's own road layer (West only, no bridge) replaces the region's: all 3,000
    # people of East are cut off from the only puskesmas
    west_road = gpd.GeoDataFrame(
        {"road_class": ["lokal"]},
        geometry=[shapely.LineString([(x0, y0 + 1000), (x0 + 1500, y0 + 1000)])],
        crs="EPSG:32748",
    )
    res = run_access(region, resolution_m=500, barriers=river, roads=west_road, progress=False)
    unreach = res.kecamatan.set_index("code")["puskesmas_people_unreachable"]
    assert unreach["K1"] == 0 and unreach["K2"] == pytest.approx(3000.0)
    assert res.assumptions["roads_note"] == "the caller's road layer (roads=)"


def test_referral_leg_travels_by_its_own_mode(monkeypatch):
    import geoaccess.pipeline as pl

    built = []
    real = pl.build_network

    def counting(roads, mode, **kw):
        built.append(mode)
        return real(roads, mode, **kw)

    monkeypatch.setattr(pl, "build_network", counting)
    region = hand_region()
    # P1 (x0+1 km) and H1 (x0+3.5 km) sit on the road (a "lokal" road, pieces end there):
    # the referral leg is 2.5 km of road: by car at 20 km/h 7.5 min, by motorbike at
    # 25 km/h 6.0 min (geoaccess.engine.speeds)
    by_car = run_access(region, resolution_m=500, progress=False)
    assert built == ["motorbike", "car"]
    by_bike = run_access(region, resolution_m=500, referral_mode="motorbike", progress=False)
    assert built == ["motorbike", "car", "motorbike"]  # same mode: one network only
    assert by_bike.referral_network is by_bike.network
    leg = {
        r: res.facilities.set_index("facility_id").loc["P1", "hospital_travel_time_min"]
        for r, res in (("car", by_car), ("motorbike", by_bike))
    }
    assert leg["car"] == pytest.approx(7.5) and leg["motorbike"] == pytest.approx(6.0)
    # the home leg keeps the household's mode (motorbike) in both runs
    c1, c2 = by_car.cells, by_bike.cells
    assert np.allclose(c1["puskesmas_travel_time_min"], c2["puskesmas_travel_time_min"])
    assert np.allclose(c1["referral_travel_time_min"], c1["puskesmas_travel_time_min"] + 7.5)
    assert np.allclose(c2["referral_travel_time_min"], c2["puskesmas_travel_time_min"] + 6.0)
    assert (
        by_car.assumptions["referral_mode"] == "car"
        and "PSC 119" in by_car.assumptions["referral_mode_reason"]
    )


def test_2sfca_counts_the_same_people_as_coverage():
    # West (1,000 people in its polygon + 1,000 of a desa without a polygon, spread over
    # Kec. West) reaches the puskesmas; East (3,000) is cut off by a river (the caller's
    # road layer covers the west only)
    import dataclasses

    x0, y0 = 400_000, 9_660_000
    unplaced = pd.DataFrame(
        {"iddesa_bps": ["9901"], "name": ["New"], "kecamatan": ["West"], "kecamatan_code": ["K1"]}
    ).assign(population=[1000.0])
    region = dataclasses.replace(hand_region(), unplaced_population=unplaced)
    river = gpd.GeoDataFrame(
        geometry=[shapely.box(x0 + 1900, y0 - 500, x0 + 2100, y0 + 2500)], crs="EPSG:32748"
    ).to_crs(4326)
    west_road = gpd.GeoDataFrame(
        {"road_class": ["lokal"]},
        geometry=[shapely.LineString([(x0, y0 + 1000), (x0 + 1500, y0 + 1000)])],
        crs="EPSG:32748",
    )
    res = run_access(region, resolution_m=500, barriers=river, roads=west_road, progress=False)
    cells = res.cells[res.cells["population"] > 0]
    # 500 m cells: the river closes the two middle columns, leaving 12 cells each side
    west = cells.geometry.to_crs(32748).x < x0 + 2000
    assert west.sum() == 12 and (~west).sum() == 12
    assert cells.loc[west, "population"].sum() == pytest.approx(2000.0)
    # every west cell is within 20 min of P1 (E2SFCA weight 1): step 1, R = 10 staff /
    # 2,000 people (the same people as the coverage table, incl. the desa without a
    # polygon; a desa-point demand would count 1,000 and give 10 per 1,000); step 2,
    # 5 per 1,000 in every west cell, 0 in the east
    assert np.allclose(cells.loc[west, "access_per_1000"], 5.0)
    assert np.allclose(cells.loc[~west, "access_per_1000"], 0.0)
    assert res.desa.set_index("code")["access_per_1000"].to_dict() == pytest.approx({"D1": 5.0, "D2": 0.0})
    k = res.kecamatan.set_index("code")
    assert k["puskesmas_staff_per_1000_e2sfca"].to_dict() == pytest.approx({"K1": 5.0, "K2": 0.0})
    # the people with no staff in reach are exactly those who cannot reach the puskesmas
    no_supply = cells.loc[cells["access_per_1000"] == 0, "population"].sum()
    assert no_supply == pytest.approx(k["puskesmas_people_unreachable"].sum()) == pytest.approx(3000.0)


def test_scores_resting_on_data_gaps_are_flagged(result):
    pr = result.tables["priority_kecamatan"].set_index("name")
    # Panang Enim ranks first, but its puskesmas is one of the two newest, missing from
    # every source (facilities/SOURCES.md): its score rests on that gap
    assert pr.loc["Panang Enim", "rank"] == 1
    assert bool(pr.loc["Panang Enim", "score_rests_on_gaps"])
    assert "no puskesmas of this kecamatan in the data" in pr.loc["Panang Enim", "data_gaps"]
    assert "no puskesmas of this kecamatan in the data" in pr.loc["Empat Petulai Dangku", "data_gaps"]
    # the 4 puskesmas without a coordinate were placed at their kecamatan's centroid
    for kec, pkm in (
        ("Belida Darat", "F1603-PKM055"),
        ("Benakat", "F1603-PKM056"),
        ("Kelekar", "F1603-PKM060"),
    ):
        assert f"puskesmas {pkm}: placed at a centroid" in pr.loc[kec, "data_gaps"]
        assert bool(pr.loc[kec, "score_rests_on_gaps"])
    # a kecamatan with located, staffed puskesmas of known status and a flood figure: no gap
    assert pr.loc["Lawang Kidul", "data_gaps"] == "" and not pr.loc["Lawang Kidul", "score_rests_on_gaps"]
    assert any("rests on data gaps" in n and "Panang Enim" in n for n in result.assumptions["notes"])


def test_data_gap_on_a_region_built_by_hand():
    res = run_access(hand_region(), resolution_m=500, progress=False)
    pr = res.tables["priority_kecamatan"].set_index("code")
    # East has no puskesmas in the data; West's puskesmas is located, staffed, status known
    assert pr.loc["K2", "data_gaps"].startswith("no puskesmas of this kecamatan in the data")
    assert bool(pr.loc["K2", "score_rests_on_gaps"])
    assert not pr.loc["K1", "score_rests_on_gaps"]


def test_each_category_is_searched_once(monkeypatch):
    import geoaccess.engine.travel as travel
    import geoaccess.pipeline as pl

    calls = []
    real = travel.nearest

    def counting(net, facilities, **kw):
        calls.append((net.mode, sorted(facilities["facility_id"])))
        return real(net, facilities, **kw)

    # every search of the run: the pipeline's own and the referral leg's (analysis.metrics)
    monkeypatch.setattr(pl, "nearest", counting)
    monkeypatch.setattr(travel, "nearest", counting)
    run_access(hand_region(), resolution_m=500, progress=False)
    # the referral leg on the car network first (its buffer freed before the household
    # network's is made), then puskesmas, inpatient (none: P1 is not inpatient) and
    # hospital; cells and desa points read from the same search
    assert calls == [("car", ["H1"]), ("motorbike", ["P1"]), ("motorbike", ["H1"])]


def test_desa_and_kecamatan_times_are_population_weighted():
    # people spread nearer the road (dasymetric "roads" weights), so within a desa the
    # cells carry different numbers of people and different times: the desa and
    # kecamatan figures must be sum(people x minutes) / sum(people) over their cells,
    # computed here independently from the cell table, and differ from the plain mean.
    region = hand_region()
    res = run_access(region, resolution_m=500, population_weights_by="roads", progress=False)
    cells = res.cells[res.cells["population"] > 0]
    col = "puskesmas_travel_time_min"
    for code in ("D1", "D2"):
        c = cells[cells["desa_code"] == code]
        want = float(np.sum(c["population"] * c[col]) / np.sum(c["population"]))
        plain = float(c[col].mean())
        assert abs(want - plain) > 0.05  # the check below can tell the two apart
        got = res.desa.set_index("code").loc[code, col]
        assert got == pytest.approx(want, rel=1e-9)
        kec = {"D1": "K1", "D2": "K2"}[code]  # one desa per kecamatan
        assert res.kecamatan.set_index("code").loc[kec, col] == pytest.approx(want, rel=1e-9)


def test_household_speeds_do_not_change_the_referral_network():
    # offroad_speed_kph is the household's (motorbike here); the ambulance keeps the car's
    # default off-road speed unless referral_offroad_speed_kph says otherwise
    from geoaccess.engine.speeds import OFFROAD_SPEED_KPH

    region = hand_region()
    res = run_access(region, resolution_m=500, offroad_speed_kph=6.0, progress=False)
    assert res.network.offroad_speed_kph == 6.0
    assert res.referral_network.offroad_speed_kph == OFFROAD_SPEED_KPH["car"]
    res = run_access(region, resolution_m=500, referral_offroad_speed_kph=5.0, progress=False)
    assert res.referral_network.offroad_speed_kph == 5.0
    assert res.network.offroad_speed_kph == OFFROAD_SPEED_KPH["motorbike"]


def test_prebuilt_networks_give_the_same_run(monkeypatch):
    import geoaccess.pipeline as pl
    from geoaccess import build_network

    region = hand_region()
    kw = dict(area=region.study_area, resolution_m=500)
    net = build_network(region.roads, "motorbike", **kw)
    ref = build_network(region.roads, "car", **kw)
    inside = run_access(region, resolution_m=500, progress=False)
    monkeypatch.setattr(pl, "build_network", lambda *a, **k: pytest.fail("built again"))
    given = run_access(region, resolution_m=500, progress=False, network=net, referral_network=ref)
    assert given.network is net and given.referral_network is ref
    for name, table in inside.tables.items():
        if isinstance(table, pd.DataFrame):
            pd.testing.assert_frame_equal(given.tables[name], table)
    pd.testing.assert_frame_equal(given.desa, inside.desa)
    pd.testing.assert_frame_equal(given.facilities, inside.facilities)
    np.testing.assert_array_equal(
        given.cells["puskesmas_travel_time_min"], inside.cells["puskesmas_travel_time_min"]
    )
    # the household's network only: the referral one is still built, as without it
    monkeypatch.undo()
    only = run_access(region, resolution_m=500, progress=False, network=net)
    pd.testing.assert_frame_equal(only.facilities, inside.facilities)
    assert only.referral_network.mode == "car"


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(mode="car"), "its mode is 'motorbike', the run's is 'car'"),
        (dict(resolution_m=250), "its lattice is 500 m, the run's resolution_m is 250 m"),
        (dict(offroad_speed_kph=3.0), "its off-road speed is"),
        (dict(speeds_kph={"lokal": 30.0}), "road class 'lokal'"),
        (dict(motorbike_on_toll=True), "motorbike_on_toll given too"),
    ],
)
def test_prebuilt_network_that_does_not_match_is_refused(change, message):
    from geoaccess import build_network
    from geoaccess.exceptions import InputValidationError

    region = hand_region()
    net = build_network(region.roads, "motorbike", area=region.study_area, resolution_m=500)
    args = {"resolution_m": 500, "progress": False, "referral_mode": "motorbike", **change}
    if "mode" in change:
        args["referral_mode"] = "car"
    with pytest.raises(InputValidationError, match=message.replace("(", r"\(")):
        run_access(region, network=net, **args)


def test_prebuilt_network_of_another_area_or_without_lattice_is_refused():
    from geoaccess import build_network
    from geoaccess.exceptions import InputValidationError

    region = hand_region()
    bigger = region.study_area.to_crs(32748).buffer(2000).to_crs(4326)
    other = build_network(region.roads, "car", area=bigger, resolution_m=500)
    with pytest.raises(InputValidationError, match=r"does not cover region\.study_area") as e:
        run_access(region, resolution_m=500, progress=False, referral_network=other)
    assert e.value.argument == "referral_network"
    roads_only = build_network(region.roads, "motorbike", offroad=False)
    with pytest.raises(InputValidationError, match="no off-road lattice"):
        run_access(region, resolution_m=500, progress=False, network=roads_only)
    with pytest.raises(InputValidationError, match="expected a geoaccess Network"):
        run_access(region, resolution_m=500, progress=False, network="motorbike")


def test_prebuilt_network_that_is_not_the_run_is_refused():
    """A network the run would not have built: without the region's roads, a flood-season
    (changed) network, or slower than the mode's default speeds; each would give other
    times under the run's dry-season labels (review finding H4)."""
    import numpy as np

    from geoaccess import build_network
    from geoaccess.exceptions import InputValidationError

    region = hand_region()
    args = {"resolution_m": 500, "progress": False, "referral_mode": "motorbike"}
    no_roads = build_network(None, "motorbike", area=region.study_area, resolution_m=500)
    with pytest.raises(InputValidationError, match="it has no roads while the region has a road layer"):
        run_access(region, network=no_roads, **args)
    net = build_network(region.roads, "motorbike", area=region.study_area, resolution_m=500)
    flooded = net.with_cell_speeds(np.full(net.lattice.shape, 2.5))
    with pytest.raises(InputValidationError, match="it is a changed network"):
        run_access(region, network=flooded, **args)
    slow = build_network(
        region.roads, "motorbike", area=region.study_area, resolution_m=500, offroad_speed_kph=5
    )
    with pytest.raises(InputValidationError, match="its off-road speed is 5 km/h, 10 km/h asked"):
        run_access(region, network=slow, **args)
    slow_road = build_network(
        region.roads, "motorbike", area=region.study_area, resolution_m=500, speeds_kph={"lokal": 20.0}
    )
    with pytest.raises(InputValidationError, match="road class 'lokal' is 20 km/h in it"):
        run_access(region, network=slow_road, **args)
    run_access(region, network=net, **args)  # the network as the run would build it is taken


def test_own_puskesmas_nobody_reaches_gives_notes_not_errors():
    """Kota Magelang in the national list: its own puskesmas lie elsewhere, so nobody has one
    as the nearest and the 2SFCA has no pair: both tables give way with a note."""
    import dataclasses

    region = hand_region()
    fac = region.facilities.copy()
    far = fac["facility_id"] == "P1"
    fac.loc[far, "geometry"] = fac.loc[far, "geometry"].translate(xoff=3.0)  # ~330 km east
    nb = region.facilities[far].assign(facility_id="N1", name="Puskesmas next door")
    region = dataclasses.replace(region, facilities=fac, neighbour_facilities=nb)
    with pytest.warns(GeoAccessWarning):
        res = run_access(region, resolution_m=500, progress=False)
    notes = " ".join(res.assumptions["notes"])
    assert "the 2SFCA gives every cell 0" in notes
    assert "facility priority table is left out" in notes
    assert "priority_facilities" not in res.tables
    assert (res.cells.loc[res.cells["population"] > 0, "access_per_1000"] == 0).all()
    assert res.desa["puskesmas_facility_id"].eq("N1").all()


def test_a_run_makes_no_cell_points_until_asked(tmp_path, monkeypatch):
    # the run and its outputs read cells as a table (no point per cell: ~0.6 GB at
    # 100 m); the points appear on first use of result.cells, at the cell centres
    from geoaccess.engine.network import Network

    made = []
    real = Network.as_cell_points
    monkeypatch.setattr(Network, "as_cell_points", lambda self, t: made.append(len(t)) or real(self, t))
    region = hand_region()
    res = run_access(region, resolution_m=500, progress=False)
    write_outputs(res, tmp_path)
    assert made == [] and not isinstance(res.cell_table, gpd.GeoDataFrame)
    table = res.cell_table.copy()
    cells = res.cells
    assert isinstance(cells, gpd.GeoDataFrame) and res.cell_table is cells  # made once
    xy = np.column_stack([cells.geometry.x, cells.geometry.y])
    assert np.array_equal(xy, res.network.node_xy[cells.index.to_numpy()])
    pd.testing.assert_frame_equal(pd.DataFrame(cells.drop(columns="geometry")), table)


def test_referral_network_shares_the_household_layout_and_keeps_its_times():
    # both networks cover the same roads and lattice: the car graph keeps its own times
    # (7.5 min for P1's 2.5 km referral leg, as in the test above) but holds no second
    # copy of the layout, node coordinates or lattice numbering
    import geoaccess as ga

    region = hand_region()
    res = run_access(region, resolution_m=500, progress=False)
    bike, car = res.network, res.referral_network
    assert np.shares_memory(car.graph.indices, bike.graph.indices)
    assert np.shares_memory(car.graph.indptr, bike.graph.indptr)
    assert car.node_xy is bike.node_xy and car.csr_edge is bike.csr_edge
    assert car.lattice.node_of_cell is bike.lattice.node_of_cell
    fresh = ga.build_network(region.roads, "car", area=region.study_area, resolution_m=500)
    assert (car.graph != fresh.graph).nnz == 0 and np.array_equal(car.graph.data, fresh.graph.data)
    assert res.facilities.set_index("facility_id").loc["P1", "hospital_travel_time_min"] == pytest.approx(7.5)


def test_share_structure_keeps_arrays_that_differ():
    # a toll road: cars may use it, motorbikes may not (PP 15/2005), so the two graphs
    # have different layouts; nothing of the layout is shared and the car graph is its own
    import geoaccess as ga
    from geoaccess.engine.network import share_structure

    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal", "arteri"], "toll": [False, True]},
        geometry=[
            shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)]),
            shapely.LineString([(400_000, 9_590_400), (402_000, 9_590_400)]),
        ],
        crs="EPSG:32748",
    )
    area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    bike = ga.build_network(roads, "motorbike", area=area)
    car = ga.build_network(roads, "car", area=area)
    shared = share_structure(car, bike)
    assert not np.shares_memory(shared.graph.indices, bike.graph.indices)
    assert (shared.graph != car.graph).nnz == 0
    assert shared.node_xy is bike.node_xy  # the nodes are the same: those are shared


def test_a_network_without_roads_is_said_in_the_notes():
    # no road layer: every trip crosses the off-road grid (motorbike 10 km/h, the car of
    # the referral leg 3 km/h); the run says its figures rest on no road, once per mode
    import dataclasses

    region = hand_region()
    bare = dataclasses.replace(region, roads=None)
    notes = [n for n in run_access(bare, resolution_m=500, progress=False).assumptions["notes"]]
    said = [n for n in notes if getattr(n, "key", None) == "note.network_without_roads"]
    assert [str(n).split(" network")[0] for n in said] == ["the motorbike", "the car"]
    assert "at 10 km/h" in str(said[0]) and "at 3 km/h" in str(said[1])
    with_roads = run_access(region, resolution_m=500, progress=False).assumptions["notes"]
    assert not [n for n in with_roads if getattr(n, "key", None) == "note.network_without_roads"]
