"""Critical links in the run's outputs (``with_critical_links``, the demo): table, CSV, map.

The hand-made region of ``conftest.hand_region`` (West: 1,000 people and the puskesmas
at (1000, 1000); East: 3,000 people; one ``lokal`` road along y = 1000 over the 4 km, no
junction, so one road link) with a river along the kecamatan border (x 1900-2100) that
the off-road lattice cannot cross: the road's bridge is East's only way to a puskesmas.
By hand: cutting that one link leaves East with no path, so all 3,000 East people, within
60 minutes today (at most ~3 km of road at 25 km/h plus ~1 km off-road at 10 km/h, under
15 minutes), are pushed beyond 60 minutes and cut off; West keeps the lattice.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import hand_region
from test_maps import _browser_or_skip

import geoaccess as ga
from geoaccess.pipeline import with_critical_links

X0, Y0 = 400_000, 9_660_000
RIVER = gpd.GeoDataFrame(
    geometry=[shapely.box(X0 + 1900, Y0 - 500, X0 + 2100, Y0 + 2500)], crs="EPSG:32748"
).to_crs(4326)


def _run(flood_index):
    region = hand_region()
    region = dataclasses.replace(region, desa=region.desa.assign(flood_hazard_index=flood_index))
    return ga.run_access(region, resolution_m=500, barriers=RIVER, progress=False)


@pytest.fixture(scope="module")
def sedang():
    return with_critical_links(_run([0.2, 0.5]))  # West rendah, East sedang (half speed)


def test_the_bridge_is_the_critical_link_in_both_seasons(sedang):
    tab = sedang.tables["critical_links"]
    assert list(tab.columns) == [
        "season", "rank", "link_id", "road_name", "road_class", "length_m",
        "people_pushed_beyond_60_min", "person_min_delay", "people_cut_off", "people_routed", "geometry",
    ]  # fmt: skip
    assert tab.crs.to_epsg() == 4326
    for season in ("dry", "flood"):
        top = tab[tab["season"] == season].iloc[0]
        assert top["rank"] == 1 and top["road_class"] == "lokal"
        assert top["length_m"] == pytest.approx(4000.0)
        assert top["people_pushed_beyond_60_min"] == pytest.approx(3000.0)
        assert top["people_cut_off"] == pytest.approx(3000.0)
    info = sedang.assumptions["critical_links"]["seasons"]
    assert info["dry"]["exact"] and info["flood"]["exact"]


def test_the_run_itself_is_not_changed():
    res = _run([0.2, 0.5])
    out = with_critical_links(res, flood_season=False)
    assert "critical_links" not in res.tables and "critical_links" not in res.assumptions
    assert set(out.tables["critical_links"]["season"]) == {"dry"}


def test_flooded_east_is_already_cut_off_so_the_flood_season_link_pushes_nobody():
    # East tinggi: its cells are cut in the flood season, so its people are unreachable
    # before any link is cut and cannot be pushed (West keeps the lattice)
    res = with_critical_links(_run([0.2, 0.8]))
    tab = res.tables["critical_links"].set_index("season")
    assert tab.loc["dry", "people_pushed_beyond_60_min"] == pytest.approx(3000.0)
    assert tab.loc["flood", "people_pushed_beyond_60_min"] == 0.0
    assert tab.loc["flood", "people_cut_off"] == 0.0
    assert res.assumptions["critical_links"]["seasons"]["flood"]["baseline"]["people_unreachable"] == (
        pytest.approx(3000.0)
    )


def test_outputs_carry_the_table_and_the_layers_in_both_languages(sedang, tmp_path):
    files = ga.write_outputs(sedang, tmp_path / "en")
    csv = pd.read_csv(files["critical_links"])
    assert csv["people_pushed_beyond_60_min"].max() == pytest.approx(3000.0)
    assert set(csv["season"]) == {"dry", "flood"} and "geometry" not in csv
    page = files["map"].read_text(encoding="utf-8")
    assert "Critical roads (dry season)" in page and "Critical roads (flood season)" in page
    assert "if cut, 3,000 people pushed beyond the threshold" in page
    page_id = ga.write_outputs(sedang, tmp_path / "id", language="id")["map"].read_text(encoding="utf-8")
    assert "Ruas jalan kritis (musim kemarau)" in page_id and "Ruas jalan kritis (musim banjir)" in page_id
    assert "bila terputus, 3.000 jiwa melewati batas waktu" in page_id
    labels = ga.write_outputs(sedang, tmp_path / "lab", csv_labels=True, language="id")
    head = labels["critical_links"].read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Penduduk yang menjadi > 60 menit bila terputus (jiwa)" in head and "Panjang (m)" in head


@pytest.mark.browser
def test_critical_roads_layer_renders_when_switched_on(sedang, tmp_path):
    import time

    from geoaccess.outputs.maps import LINK_COLORS

    path = ga.write_outputs(sedang, tmp_path)["map"]
    driver = _browser_or_skip()
    try:
        driver.get(path.as_uri())
        count = """return Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))
            .filter(p => p.getAttribute('stroke') === arguments[0]).length;"""
        time.sleep(1.0)
        assert driver.execute_script(count, LINK_COLORS["pushed"]) == 0  # off when the map opens
        driver.execute_script(
            """for (const l of document.querySelectorAll('.leaflet-control-layers-overlays label'))
                   if (l.textContent.includes('Critical roads (dry season)'))
                       l.querySelector('input').click();"""
        )
        deadline = time.time() + 20
        n = 0
        while time.time() < deadline and n == 0:
            time.sleep(0.2)
            n = driver.execute_script(count, LINK_COLORS["pushed"])
        assert n >= 1  # the bridge link, drawn red
        severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert [m for m in severe if "tile.openstreetmap.org" not in m] == []
    finally:
        driver.quit()


# ----------------------------------------------------------------------------- flood-season access


def test_flood_season_tables_by_hand(tmp_path):
    # East tinggi (0.8): its cells are cut, so its 3,000 people lose the puskesmas (in
    # West); the hospital H1 stands in East and closes, so all 4,000 lose it. West
    # (rendah) keeps its puskesmas trip unchanged.
    res = ga.with_flood_season(_run([0.2, 0.8]))
    kab = res.tables["flood_season_kabupaten"].set_index("category")
    assert kab.loc["puskesmas", "people_newly_unreachable"] == pytest.approx(3000.0)
    assert kab.loc["puskesmas", "people_no_longer_within_60_min"] == pytest.approx(3000.0)
    assert kab.loc["hospital", "people_newly_unreachable"] == pytest.approx(4000.0)
    kec = res.tables["flood_season_kecamatan"].query("category == 'puskesmas'").set_index("code")
    assert kec.loc["K1", "people_newly_unreachable"] == 0.0
    assert kec.loc["K1", "mean_min_after"] == pytest.approx(kec.loc["K1", "mean_min_before"])
    assert res.assumptions["flood_season"]["facilities_closed"] == ["H1"]
    files = ga.write_outputs(res, tmp_path)
    assert {"flood_season_kabupaten", "flood_season_kecamatan", "flood_season_desa"} <= set(files)
    page = files["map"].read_text(encoding="utf-8")
    assert "Flood season: change in travel time to the puskesmas (min)" in page
    # the exposed facilities: the hospital stands in tinggi, the puskesmas in rendah
    assert (
        "RSUD East (rs): flood hazard tinggi" in page
        and "Puskesmas West (puskesmas): flood hazard rendah" in page
    )
    assert "geometry" not in pd.read_csv(files["flood_facilities"]).columns
    page_id = ga.write_outputs(res, tmp_path / "id", language="id")["map"].read_text(encoding="utf-8")
    assert "Musim banjir: perubahan waktu tempuh ke puskesmas (menit)" in page_id


def test_flood_season_without_a_hazard_says_so():
    region = hand_region()
    res = ga.with_flood_season(ga.run_access(region, resolution_m=500, progress=False))
    assert not [k for k in res.tables if k.startswith("flood_season")]
    assert "no flood-season tables" in " ".join(res.assumptions["notes"])


def test_no_people_no_critical_links():
    region = hand_region()
    region = dataclasses.replace(region, desa=region.desa.assign(population=[0.0, 0.0]))
    res = with_critical_links(ga.run_access(region, resolution_m=500, progress=False))
    assert "critical_links" not in res.tables
    assert "no critical-links table" in " ".join(res.assumptions["notes"])


def test_after_with_flood_season_its_flood_network_is_reused(monkeypatch):
    import geoaccess.engine.flood as flood_mod
    from geoaccess.pipeline import with_flood_season

    res = _run([0.2, 0.2])  # the desa index: both rendah, nothing would change
    # a sedang polygon over West given to the flood season: the critical links take it
    # (hazard=None), from the flood season's network, not flooded a second time
    hz = gpd.GeoDataFrame(
        {"hazard_class": ["sedang"]},
        geometry=[shapely.box(X0 - 500, Y0 - 500, X0 + 1900, Y0 + 2500)],
        crs="EPSG:32748",
    )
    fresh = with_critical_links(res, hazard=hz)
    by_desa = with_critical_links(res).tables["critical_links"].set_index("season")
    season = with_flood_season(res, hazard=hz)
    assert season.flood_hazard is hz and season.flood_scenario.network is not None

    def no_second_flood(*args, **kwargs):
        raise AssertionError("flood_network called again")

    monkeypatch.setattr(flood_mod, "flood_network", no_second_flood)
    reused = with_critical_links(season)
    pd.testing.assert_frame_equal(reused.tables["critical_links"], fresh.tables["critical_links"])
    flood = reused.tables["critical_links"].set_index("season").loc["flood"]
    assert flood["people_pushed_beyond_60_min"] == pytest.approx(3000.0)  # the bridge, as in the dry season
    # West at half speed: the same bridge, more delay for West; the desa index changes nothing
    assert by_desa.loc["flood", "person_min_delay"] == by_desa.loc["dry", "person_min_delay"]
    # every West time (road and off-road) doubles, so does the delay of its detour
    assert flood["person_min_delay"] == pytest.approx(2 * by_desa.loc["dry", "person_min_delay"])
    with pytest.raises(AssertionError, match="called again"):  # another hazard: flooded anew
        with_critical_links(season, hazard=hz.copy())


def test_a_flood_season_that_closes_every_puskesmas_gets_a_note_not_an_error():
    from geoaccess.pipeline import with_flood_season

    res = _run([0.2, 0.2])
    # P1, the only puskesmas, at (1000, 1000) stands in tinggi: closed in the flood season
    hz = gpd.GeoDataFrame(
        {"hazard_class": ["tinggi"]},
        geometry=[shapely.box(X0 + 900, Y0 + 900, X0 + 1100, Y0 + 1100)],
        crs="EPSG:32748",
    )
    out = with_critical_links(with_flood_season(res, hazard=hz))
    assert set(out.tables["critical_links"]["season"]) == {"dry"}
    notes = out.assumptions["critical_links"]["notes"]
    assert any("no puskesmas open in the flood season" in n for n in notes)


def test_the_map_hazard_layer_keeps_the_desa_people_after_the_flood_season(tmp_path):
    # with the desa index (West rendah 1,000 people, East sedang 3,000) the hazard legend
    # counts the people per class, also once with_flood_season has recorded its hazard
    from geoaccess.pipeline import with_flood_exposure, with_flood_season

    res = with_flood_season(_run([0.2, 0.5]))
    page = ga.write_outputs(res, tmp_path / "a")["map"].read_text(encoding="utf-8")
    assert "1,000 people" in page and "3,000 people" in page
    # a hazard layer of one's own is drawn instead (its polygons carry no people figure)
    hz = ga.hazard_from_polygons(
        gpd.GeoDataFrame(
            {"kelas": ["tinggi"]},
            geometry=[shapely.box(X0 + 2500, Y0 + 500, X0 + 3000, Y0 + 1500)],
            crs="EPSG:32748",
        ),
        "kelas",
    )
    page = ga.write_outputs(with_flood_exposure(res, hz), tmp_path / "b")["map"].read_text(encoding="utf-8")
    assert "3,000 people" not in page.split("ga_legend_hazard")[1][:3000]
