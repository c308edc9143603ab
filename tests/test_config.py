"""Runs from a config file (issue 10): ``geoaccess init`` / ``geoaccess run``, geoaccess.config."""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import yaml
from shapely.geometry import Point, box

from geoaccess import OfflineError, config
from geoaccess.cli import main
from geoaccess.config import ConfigError, load_config, run_config
from geoaccess.exceptions import DataNotFoundError


def _lahat(data_dir: Path, out: Path, **layers: str) -> dict:
    """Kabupaten Lahat (16.04): outside the bundled four, from the national files."""
    return {
        "region": {"name": "lahat", "title": "Kabupaten Lahat", "kabupaten_code": "16.04"},
        "boundaries": {
            "kecamatan": str(data_dir / "indonesia/kecamatan.geojson"),
            "kabupaten": str(data_dir / "indonesia/kabupaten.geojson"),
        },
        "facilities": {
            "file": str(data_dir / "indonesia/facilities.csv"),
            "kabupaten_column": "kab_code",
            "types": ["puskesmas", "rs"],
            "inpatient_rule": "pkm_code_digit",
        },
        "population": {"kabupaten_total": "population"},
        "roads": {"file": str(data_dir / "roads/sumsel_national/jalanSumsel.shp"), "default_class": "arteri"},
        "layers": dict(layers),
        "analysis": {"resolution_m": 500},
        "outputs": {"folder": str(out)},
        "language": "id",
    }


def test_template_round_trips(tmp_path, data_dir, capsys):
    path = tmp_path / "kab.yaml"
    assert main(["init", str(path), "--data-dir", str(data_dir)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "kabupaten_code:" in text and "# " in text  # commented
    cfg = load_config(path)  # runs as written
    assert cfg["region"]["kabupaten_code"] == "16.10" and cfg["language"] == "id"
    # a small change: coarser grid, outputs beside the config
    text = text.replace("resolution_m: 250 ", "resolution_m: 1000").replace(
        "folder: geoaccess-output", "folder: out"
    )
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["run", str(path), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    # the template's language is id: the data notes print in Indonesian (geoaccess.notes)
    assert "Kabupaten Ogan Ilir" in printed and "PERKIRAAN KASAR" in printed
    assert "CRUDE FALLBACK" not in printed and "no desa layer" not in printed
    out = tmp_path / "out"
    assert (out / "ogan_ilir_desa.csv").exists() and (out / "ogan_ilir_map.html").exists()
    copy = yaml.safe_load((out / "ogan_ilir_config.yaml").read_text(encoding="utf-8"))
    assert copy["analysis"]["resolution_m"] == 1000
    assert copy["outputs"]["folder"] == str(out)
    # the copy is itself a valid config (absolute paths), ready to be run again next year
    again = load_config(out / "ogan_ilir_config.yaml")
    assert again["boundaries"]["kecamatan"] == str(data_dir / "indonesia/kecamatan.geojson")
    # the manifest lists the copy like every other output, with its size and SHA-256
    import json

    entry = json.loads((out / "ogan_ilir_manifest.json").read_text(encoding="utf-8"))["files"]["config"]
    raw = (out / "ogan_ilir_config.yaml").read_bytes()
    assert entry["file"] == "ogan_ilir_config.yaml" and entry["bytes"] == len(raw)
    assert entry["sha256"] == hashlib.sha256(raw).hexdigest()
    # init refuses to replace a file: one line, exit 2
    assert main(["init", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geoaccess: error:") and "--force" in err and err.count("\n") == 1


def test_validation_lists_every_problem_at_once(tmp_path):
    bad = {
        "regoin": {},
        "region": {"nmae": "x", "kabupaten_code": 16.04, "buffer_km": "25"},
        "boundaries": {"kecamatan": str(tmp_path / "kecamatan.geojson")},
        "facilities": {"file": str(tmp_path / "puskesmas.csv"), "types": ["puskesmas", "rumah_sakit"]},
        "population": {"kabupaten_total": -5},
        "roads": {"from_osm": "yes"},
        "analysis": {
            "resolutoin_m": 500,
            "mode": "motorbke",
            "speeds_kph": {"arteri": 450},
            "referral_speeds_kph": {"arteri": 150},
        },
        "outputs": {"map_category": "hospital"},
        "language": "fr",
    }
    with pytest.raises(ConfigError) as err:
        load_config(bad)
    msg = str(err.value)
    problems = err.value.problems
    assert len(problems) >= 12, msg
    for expected in (
        "unknown key 'regoin'; did you mean 'region'?",
        "region: unknown key 'nmae'; did you mean 'name'?",
        "region.name: required, missing",
        'region.kabupaten_code: expected text, got 16.04 (float) (write codes in quotes, e.g. "16.04"',
        "region.buffer_km: expected a number, got '25' (str)",
        f"boundaries.kecamatan: file not found: {tmp_path / 'kecamatan.geojson'}",
        f"facilities.file: file not found: {tmp_path / 'puskesmas.csv'}",
        "facilities.types: unknown value(s) ['rumah_sakit']",
        "population.kabupaten_total: expected a number of people > 0",
        "roads.from_osm: expected true or false, got 'yes' (str)",
        "analysis: unknown key 'resolutoin_m'; did you mean 'resolution_m'?",
        "analysis.mode: 'motorbke' is not one of 'motorbike', 'car', 'walk'; did you mean 'motorbike'?",
        "analysis.speeds_kph.arteri: expected km/h from 0 to 300, got 450",
        "analysis.referral_speeds_kph.arteri: 150 km/h is above the car bound 120 km/h",
        "language: 'fr' is not one of 'id', 'en'",
        "roads: give either 'file'",
    ):
        assert expected in msg, (expected, msg)
    # out of range, and contradicting keys
    with pytest.raises(ConfigError) as err:
        load_config(
            {
                "region": {"name": "a b", "kabupaten_code": "16.4", "buffer_km": 500},
                "boundaries": {"kecamatan": "k.geojson"},
                "facilities": {"file": "f.csv", "relocate": "desa"},
                "population": {"kabupaten_total": 1000, "table": "p.csv"},
                "roads": {"file": "r.shp", "from_osm": True},
                "analysis": {"resolution_m": 1, "categories": ["inpatient"]},
            },
            check_files=False,
        )
    msg = str(err.value)
    for expected in (
        "'a b' cannot start a file name",
        "expected a Kemendagri kabupaten code written as text, e.g. '16.04', got '16.4'",
        "region.buffer_km: 500 is out of range; expected 0 to 200",
        "analysis.resolution_m: 1 is out of range; expected 25 to 5000",
        "population: give exactly one of",
        "roads: give either 'file' (a road layer) or 'from_osm: true'",
        "facilities.relocate: 'desa' needs boundaries.desa",
        "outputs.map_category: 'puskesmas' is not among",
    ):
        assert expected in msg, (expected, msg)


def test_config_file_errors(tmp_path):
    with pytest.raises(DataNotFoundError, match=r"config file not found: .*geoaccess init"):
        load_config(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("region:\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML at line"):
        load_config(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expected sections"):
        load_config(listed)


def test_cli_run_errors_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("geoaccess: error: config file not found")
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(
        "region:\n  name: x\n  kabupaten_code: '16.04'\nanalysis:\n  mdoe: car\n", encoding="utf-8"
    )
    assert main(["run", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"geoaccess: error: invalid `{cfg}`")
    assert "did you mean 'mode'?" in err and "boundaries.kecamatan: required, missing" in err
    with pytest.raises(SystemExit) as ex:
        main(["run"])
    assert ex.value.code == 2


def test_outside_kabupaten_end_to_end(tmp_path, data_dir):
    """Lahat (16.04), not one of the bundled four: national kecamatan and facilities,
    the kabupaten total spread by area, South Sumatra national roads, 500 m."""
    hazard = tmp_path / "hazard.geojson"
    lake = tmp_path / "danau.geojson"
    gpd.GeoDataFrame(
        {"kelas": ["tinggi"]}, geometry=[box(103.4, -3.9, 103.45, -3.85)], crs="EPSG:4326"
    ).to_file(hazard)
    gpd.GeoDataFrame(geometry=[box(103.30, -3.95, 103.31, -3.94)], crs="EPSG:4326").to_file(lake)
    cfg_path = tmp_path / "lahat.yaml"
    out = tmp_path / "keluaran"
    cfg_path.write_text(
        yaml.safe_dump(
            _lahat(data_dir, out, hazard="hazard.geojson", hazard_column="kelas", barriers="danau.geojson")
        ),
        encoding="utf-8",
    )
    with pytest.warns(Warning):
        res, files = run_config(cfg_path)
    region = res.region
    assert region.display_name == "Kabupaten Lahat" and region.kabupaten_code == "16.04"
    kec = gpd.read_file(data_dir / "indonesia/kecamatan.geojson", where="kabupaten_code = '16.04'")
    assert len(res.kecamatan) == len(kec) == len(res.desa)
    # the 2025 kabupaten total, spread by area, all of it
    assert res.desa["population"].sum() == pytest.approx(448141, rel=1e-9)
    assert len(region.facilities) > 20 and len(region.neighbour_facilities) > 0
    assert set(region.facilities["type"]) <= {"puskesmas", "rs"}
    notes = " ".join(res.assumptions["notes"])
    assert "CRUDE FALLBACK" in notes and "no desa layer" in notes
    cov = res.tables["coverage"].query("level == 'kabupaten'").set_index("category")
    assert 0 < cov.loc["puskesmas", "mean_travel_time_min"] < 300
    for key in ("desa", "coverage", "map", "assumptions", "config"):
        assert files[key].exists(), key
    copy = yaml.safe_load(files["config"].read_text(encoding="utf-8"))
    sums = copy["provenance"]["files"]
    assert copy["provenance"]["geoaccess_version"] == config._version()
    used = {
        str(data_dir / "indonesia/kecamatan.geojson"),
        str(data_dir / "indonesia/kabupaten.geojson"),
        str(data_dir / "indonesia/facilities.csv"),
        str(data_dir / "roads/sumsel_national/jalanSumsel.shp"),
        str(data_dir / "roads/sumsel_national/jalanSumsel.dbf"),
        str(hazard),
        str(lake),
    }
    assert used <= set(sums)
    for p, digest in sums.items():
        assert hashlib.sha256(Path(p).read_bytes()).hexdigest() == digest
    # next year: a changed data file is named in the notes of the repeated run
    copy["provenance"]["files"][str(hazard)] = "0" * 64
    again = load_config(copy)
    changed = config._compare(again["provenance"], config.file_checksums(again))
    assert len(changed) == 1 and str(hazard) in changed[0] and "changed since the run of" in changed[0]


def test_roads_from_osm_offline(tmp_path, data_dir, monkeypatch, capsys):
    import osmnx as ox
    import requests

    def offline(polygon, **kwargs):
        raise requests.exceptions.ConnectionError("Failed to resolve 'overpass-api.de'")

    monkeypatch.setattr(ox, "graph_from_polygon", offline)
    cfg = _lahat(data_dir, tmp_path / "out")
    cfg["roads"] = {"from_osm": True}
    path = tmp_path / "osm.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    with pytest.raises(OfflineError, match=r"\.osm\.pbf"):
        config.build_region(load_config(path))
    assert main(["run", str(path), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geoaccess: error:") and "read_roads(" in err


def test_boat_settings_reach_run_access(tmp_path, data_dir, monkeypatch):
    """layers.waterways / landings and analysis.boat_* are passed to run_access as given."""
    import functools

    import shapely

    import geoaccess.pipeline as pl

    river = tmp_path / "sungai.geojson"
    jetty = tmp_path / "dermaga.geojson"
    gpd.GeoDataFrame(geometry=[shapely.LineString([(103.3, -3.9), (103.5, -3.8)])], crs="EPSG:4326").to_file(
        river
    )
    gpd.GeoDataFrame(geometry=[shapely.Point(103.4, -3.85)], crs="EPSG:4326").to_file(jetty)
    cfg = _lahat(data_dir, tmp_path / "out", waterways="sungai.geojson", landings="dermaga.geojson")
    cfg["analysis"].update(boat_speed_kph=30, landing_wait_min=0, boat_fare_idr=25_000)
    path = tmp_path / "boats.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    seen = {}

    class Stop(Exception):
        pass

    @functools.wraps(pl.run_access)
    def fake(region, **kw):
        seen.update(kw)
        raise Stop

    monkeypatch.setattr(pl, "run_access", fake)
    with pytest.raises(Stop), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_config(path)
    assert (
        seen["boat_speed_kph"] == 30.0 and seen["landing_wait_min"] == 0.0 and seen["boat_fare_idr"] == 25_000
    )
    assert seen["waterways"].geom_type.tolist() == ["LineString"]
    assert seen["landings"].geom_type.tolist() == ["Point"]


def test_boat_settings_without_rivers_are_refused(tmp_path, data_dir):
    cfg = _lahat(data_dir, tmp_path / "out")
    cfg["analysis"]["landing_wait_min"] = 0
    with pytest.raises(
        config.ConfigError, match=r"analysis.landing_wait_min: boat settings need layers.waterways"
    ):
        load_config(cfg)


def test_siting_section_is_checked_with_every_problem(tmp_path):
    base = {
        "region": {"name": "x", "kabupaten_code": "16.04"},
        "boundaries": {"kecamatan": "k.geojson"},
        "facilities": {"file": "f.csv"},
        "population": {"kabupaten_total": 1000},
        "roads": {"file": "r.shp"},
    }
    cfg = load_config(base, check_files=False)
    assert not config.siting_wanted(cfg)  # no budget, sites or targets: no siting
    # the documented defaults (geoaccess.planning.siting)
    assert cfg["siting"]["new_cost_idr"] == 2_400_000_000 and cfg["siting"]["upgrade_cost_idr"] == 1e9
    bad = {
        **base,
        "analysis": {"categories": ["puskesmas", "hospital"]},
        "siting": {
            "budjet_idr": 5, "budget_idr": 10, "sites": 2.5, "method": "exakt", "targets": "ya",
            "new_cost_idr": 2.4, "upgrade_cost_idr": 1,
        },
    }  # fmt: skip
    with pytest.raises(ConfigError) as e:
        load_config(bad, check_files=False)
    text = "\n".join(e.value.problems)
    assert "siting: unknown key 'budjet_idr'; did you mean 'budget_idr'?" in text
    assert "siting.method: 'exakt' is not one of 'exact', 'greedy'; did you mean 'exact'?" in text
    assert "siting.targets: expected true or false" in text
    assert "siting.sites: expected a whole number of sites, got 2.5" in text
    assert "less than Rp 1 juta" in text  # 10 rupiah: miliar meant
    assert "analysis.categories must include 'inpatient'" in text
    # costs in miliar (as geoaccess plan --budget) instead of rupiah: refused like the budget
    assert (
        "siting.new_cost_idr: 2.4 rupiah is less than Rp 1 juta; write the cost in rupiah, "
        "e.g. 2400000000 for Rp 2.4 miliar" in text
    )
    assert "siting.upgrade_cost_idr: 1 rupiah is less than Rp 1 juta" in text
    assert len(e.value.problems) == 8
    # the template carries the section, commented with the sources of the default costs
    path = config.write_template(tmp_path / "t.yaml", data_dir=None)
    text = path.read_text(encoding="utf-8")
    assert "siting:" in text and "APBD" in text and "ASSUMPTION" in text
    siting = load_config(path, check_files=False)["siting"]
    assert siting["budget_idr"] is None and siting["new_cost_idr"] == 2_400_000_000


def test_run_with_siting_writes_the_proposal(tmp_path, data_dir, capsys):
    """Lahat at 1 km with Rp 5 miliar: the proposal costs at most the budget, each site at
    the configured cost of its kind, and the files are in the outputs."""
    raw = _lahat(data_dir, tmp_path / "out")
    raw["analysis"]["resolution_m"] = 1000
    raw["siting"] = {
        "budget_idr": 5_000_000_000,
        "new_cost_idr": 2_000_000_000,
        "upgrade_cost_idr": 900_000_000,
    }
    path = tmp_path / "lahat.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    capsys.readouterr()
    assert main(["run", str(path), "--no-progress", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    out = tmp_path / "out"
    import pandas as pd

    prop = pd.read_csv(out / "lahat_proposal.csv")
    assert 1 <= len(prop) and prop.iloc[:, 0].notna().all()
    cost_col = next(c for c in prop.columns if c.startswith("Cost"))
    action_col = next(c for c in prop.columns if c.startswith("Action"))
    costs = prop[cost_col].to_numpy()
    # each site at its kind's configured cost, all within the budget
    want = [2_000_000_000 if "new" in a else 900_000_000 for a in prop[action_col]]
    assert list(costs) == want and costs.sum() <= 5_000_000_000
    for f in ("lahat_proposal.xlsx", "lahat_budget_curve.png", "lahat_proposal_map.html"):
        assert (out / f).stat().st_size > 0, f
    assumptions = (out / "lahat_assumptions.json").read_text(encoding="utf-8")
    assert '"siting"' in assumptions and '"budget_idr": 5000000000' in assumptions
    assert "Kabupaten Lahat: budget Rp 5 miliar" in printed
    assert f"cost: Rp {costs.sum():,.0f}" in printed
    # the "written" list names each file once (a user saw the siting files and the config twice)
    written = printed.split("\nwritten in ")[1].splitlines()[1:]
    listed = [ln.split()[0] for ln in written if ln.startswith("  ")]
    assert len(listed) == len(set(listed)) and listed.count("config") == 1, listed
    for key in ("proposal_csv", "proposal_xlsx", "budget_curve", "proposal_map", "config", "manifest"):
        assert listed.count(key) == 1, (key, listed)
    copy = yaml.safe_load((out / "lahat_config.yaml").read_text(encoding="utf-8"))
    assert copy["siting"]["upgrade_cost_idr"] == 900_000_000
    # the manifest lists the siting files too, with their checksums
    import json

    manifest = json.loads((out / "lahat_manifest.json").read_text(encoding="utf-8"))["files"]
    for key in ("proposal_csv", "proposal_xlsx", "budget_curve", "proposal_map"):
        entry = manifest[key]
        assert entry["sha256"] == hashlib.sha256((out / entry["file"]).read_bytes()).hexdigest(), key


def test_no_library_module_imports_the_command_line():
    """Layering: cli.py sits on top; config (and everything under it) never imports it."""
    import ast

    pkg = Path(config.__file__).parent
    offenders = []
    for path in sorted(pkg.rglob("*.py")):
        if path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [a.name for a in node.names]
                if any(n == "cli" or n.endswith(".cli") for n in names):
                    offenders.append(str(path.relative_to(pkg)))
            elif isinstance(node, ast.Import) and any(a.name == "geoaccess.cli" for a in node.names):
                offenders.append(str(path.relative_to(pkg)))
    assert offenders == []


def test_a_hazard_layer_feeds_exposure_flood_season_and_critical_links(tmp_path, data_dir):
    """Lahat with a hand-drawn tinggi square (2 km a side in UTM 48S) around one of its
    puskesmas: that puskesmas is exposed (tinggi) and closed in the flood season, and the
    people in tinggi are the kabupaten total's share of the square's area (the total is
    spread evenly by area: no desa layer)."""
    fac = pd.read_csv(data_dir / "indonesia/facilities.csv", dtype={"kab_code": str})
    pkm = fac[(fac["kab_code"].isin(["1604", "16.04"])) & (fac["type"] == "puskesmas")].dropna(subset=["lat"])
    kec = gpd.read_file(data_dir / "indonesia/kecamatan.geojson")
    kec = kec[kec["kabupaten_code"] == "16.04"].to_crs(32748)
    for _, one in pkm.iterrows():  # the first puskesmas whose square lies in one kecamatan only
        centre = gpd.GeoSeries([Point(one["lon"], one["lat"])], crs=4326).to_crs(32748).iloc[0]
        square = box(centre.x - 1000, centre.y - 1000, centre.x + 1000, centre.y + 1000)
        if kec.intersects(square).sum() == 1 and kec.contains(square).any():
            break
    hz_path = tmp_path / "banjir.gpkg"
    gpd.GeoDataFrame({"kelas": ["tinggi"]}, geometry=[square], crs=32748).to_file(hz_path)
    cfg = _lahat(data_dir, tmp_path / "out", hazard=str(hz_path), hazard_column="kelas")
    with pytest.warns(Warning):
        res, files = run_config(cfg)
    exposed = res.tables["flood_facilities"]
    tinggi = exposed[exposed["hazard_class"] == "tinggi"]
    assert one["facility_id"] in set(tinggi["facility_id"])
    assert one["facility_id"] in res.assumptions["flood_season"]["facilities_closed"]
    assert res.flood_hazard is not None and "flood_exposure" in res.assumptions
    # people in tinggi: 448,141 x (4 km2 / the area of the kecamatan it is spread over),
    # both in an equal-area CRS
    area = gpd.GeoSeries([square], crs=32748).to_crs("ESRI:54034").area.iloc[0]
    expect = 448141 * area / res.kecamatan.to_crs("ESRI:54034").area.sum()
    exp_kec = res.tables["flood_exposure_kecamatan"]
    assert exp_kec["people_tinggi"].sum() == pytest.approx(expect, rel=1e-3)
    assert exp_kec["puskesmas_tinggi"].sum() >= 1
    # flood season and critical links, written
    for key in ("flood_season_kecamatan", "critical_links"):
        assert key in res.tables, key
    assert set(res.tables["critical_links"]["season"]) == {"dry", "flood"}
    written = {p.name for p in files.values()}
    assert any("critical_links" in n for n in written) and any("flood_season" in n for n in written)


def test_flood_switches_and_hazard_keys_are_checked(tmp_path, data_dir):
    cfg = _lahat(data_dir, tmp_path / "out", hazard_colum="kelas")
    cfg["outputs"]["flood_seasn"] = True
    cfg["outputs"]["critical_links"] = "yes"
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    text = "\n".join(e.value.problems)
    assert "did you mean 'hazard_column'?" in text and "did you mean 'flood_season'?" in text
    assert "outputs.critical_links: expected true or false" in text
    cfg = _lahat(data_dir, tmp_path / "out", hazard_kind="depth_m")
    with pytest.raises(ConfigError, match=r"need layers\.hazard"):
        load_config(cfg)
    cfg = _lahat(data_dir, tmp_path / "out", hazard=str(tmp_path / "x.tif"), hazard_column="kelas")
    with pytest.raises(ConfigError, match="a raster has no column"):
        load_config(cfg, check_files=False)
    hz = tmp_path / "h.geojson"
    gpd.GeoDataFrame({"kelas": ["tinggi"]}, geometry=[box(103.4, -3.9, 103.45, -3.85)], crs=4326).to_file(hz)
    cfg = _lahat(data_dir, tmp_path / "out", hazard=str(hz), hazard_column="klas")
    with pytest.raises(ConfigError, match="did you mean 'kelas'"):
        config.read_hazard(load_config(cfg))


def test_a_hazard_raster_and_the_switches_off(tmp_path, data_dir):
    """A 2 x 2 GeoTIFF index (0.1, 0.5 / 0.9, nodata) in the Lahat area: rendah, sedang,
    tinggi and unknown (nodata); with both switches off no flood-season or
    critical-links table, but the exposure comes from the raster."""
    import numpy as np
    from conftest import write_geotiff
    from rasterio.transform import from_origin

    grid = np.array([[0.1, 0.5], [0.9, -1.0]])
    tif = write_geotiff(
        tmp_path / "inarisk.tif",
        grid,
        transform=from_origin(103.5, -3.7, 0.05, 0.05),
        crs="EPSG:4326",
        nodata=-1.0,
    )
    raw = _lahat(data_dir, tmp_path / "out", hazard=str(tif))
    hz = config.read_hazard(load_config(raw))
    assert sorted(hz["hazard_class"]) == ["rendah", "sedang", "tinggi", "unknown"]  # nodata: unknown
    raw["outputs"].update(flood_season=False, critical_links=False)
    with pytest.warns(Warning):
        res, _files = run_config(raw)
    assert "flood_season_kecamatan" not in res.tables and "critical_links" not in res.tables
    assert res.flood_hazard is not None and "flood_exposure_kecamatan" in res.tables
    assert (
        res.tables["flood_exposure_kecamatan"][["people_rendah", "people_sedang", "people_tinggi"]]
        .gt(0)
        .any()
        .all()
    )


def test_run_siting_leaves_its_input_result_unchanged():
    # the kabupaten of the run_siting docstring: the summary comes back in the SitingRun
    import copy

    import geopandas as gpd
    import shapely

    import geoaccess as ga
    from geoaccess.inputs.datasets import Region

    utm = "EPSG:32748"
    west = shapely.box(400_000, 9_590_000, 402_000, 9_592_000)
    east = shapely.box(402_000, 9_590_000, 404_000, 9_592_000)
    kec = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["Barat", "Timur"]}, geometry=[west, east], crs=utm)
    desa = kec.assign(code=["D1", "D2"], kecamatan_code=["K1", "K2"], population=[1000.0, 3000.0])
    kab = gpd.GeoDataFrame({"code": ["99.01"], "name": ["Contoh"]}, geometry=[west | east], crs=utm)
    fac = ga.read_facilities(
        gpd.GeoDataFrame(
            {"facility_id": ["P1", "H1"], "name": ["Puskesmas Barat", "RSUD Timur"],
             "type": ["puskesmas", "rs"], "inpatient": [True, True]},
            crs=utm, geometry=[shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)],
        )
    )  # fmt: skip
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal"]},
        crs=utm,
        geometry=[shapely.LineString([(400_000, 9_591_000), (404_000, 9_591_000)])],
    )
    region = Region(
        "contoh", "99.01", kab.to_crs(4326), kec.to_crs(4326), desa.to_crs(4326), fac, fac.iloc[0:0],
        roads.to_crs(4326), buffer_km=0.0,
    )  # fmt: skip
    result = ga.run_access(region, progress=False)
    before = copy.deepcopy(result.assumptions)
    cfg = load_config(
        {
            "region": {"name": "contoh", "kabupaten_code": "99.01"},
            "boundaries": {"kecamatan": "k.geojson"}, "facilities": {"file": "f.csv"},
            "population": {"kabupaten_total": 4000}, "roads": {"file": "r.geojson"},
            "siting": {"sites": 1, "threshold_min": 5},
        },
        check_files=False,
    )  # fmt: skip
    run = config.run_siting(result, cfg["siting"])
    assert "siting" not in result.assumptions and result.assumptions.keys() == before.keys()
    assert repr(result.assumptions) == repr(before)
    # 53 cells of Barat within 5 min of P1 (x 15.625 people); the new site adds 25 of Timur's (x 46.875)
    assert (run.summary["people_within_before"], run.summary["people_within_after"]) == (828.125, 2000.0)
    assert run.summary["sites"] == 1 and run.summary["cost_idr"] == 2.4e9


def test_a_run_without_a_desa_layer_says_kecamatan(tmp_path, data_dir, capsys):
    """Lahat from the national files has no desa layer: each of its 24 kecamatan stands in
    for a desa, and the planner's outputs must say kecamatan (the printed summary, the
    print map legend, the siting candidates' names), not "desa"; the source file's own
    audit columns stay in the CSV and out of the planner's spreadsheet."""
    import pandas as pd
    from openpyxl import load_workbook

    raw = _lahat(data_dir, tmp_path / "out")
    raw["analysis"]["resolution_m"] = 1000
    raw["outputs"].update(flood_season=False, critical_links=False)
    raw["siting"] = {"sites": 1}
    path = tmp_path / "lahat.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res, files = run_config(path)
    assert res.region.desa_unit == "kecamatan" and len(res.desa) == 24
    from geoaccess.planning.candidates import plan_candidates

    cand, _ = plan_candidates(res)
    new = cand[cand["kind"] == "new"]
    assert len(new) == 24 and new["name"].str.startswith("Kecamatan ").all()
    assert files["proposal_csv"].is_file()
    from matplotlib.text import Text

    import geoaccess as ga

    texts = [x.get_text() for x in ga.print_map(res, lang="id").findobj(Text)]
    assert any(" kecamatan · " in x for x in texts) and not any(" desa · " in x for x in texts)
    # the source note names the data files, not this machine's folders
    assert any("facilities.csv" in x for x in texts) and not any(str(data_dir) in x for x in texts)
    assert main(["run", str(path), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "di 24 poligon kecamatan" in printed and "poligon desa" not in printed
    # the audit columns of the national kecamatan file: in the CSV, not in the spreadsheet
    out = tmp_path / "out"
    assert "code_nodot" in pd.read_csv(out / "lahat_targets.csv").columns
    sheet = load_workbook(out / "lahat_targets_id.xlsx").active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "code_nodot" not in header and "geom_valid" not in header and len(header) > 3


def test_every_schema_key_is_in_the_template(tmp_path):
    """The docs promise every key is in the template (``geoaccess init``), with its default:
    each SCHEMA key appears in its section, as a setting or a commented-out line."""
    from geoaccess.config import SCHEMA, write_template

    text = write_template(tmp_path / "kab.yaml", data_dir=tmp_path).read_text(encoding="utf-8")
    sections = dict(re.findall(r"(?m)^([a-z_]+):(.*(?:\n(?:[ #].*|))*)", text))
    missing = [
        f"{section}.{key}"
        for section, keys in SCHEMA.items()
        for key in keys
        if not re.search(rf"(?m)^\s*#?\s*{key}:", sections.get(section, ""))
    ]
    assert not missing, f"SCHEMA keys not in the template: {missing}"
    assert re.search(r"(?m)^language: id\b", text)
    cfg = load_config(tmp_path / "kab.yaml", check_files=False)
    an = cfg["analysis"]
    assert an["referral_speeds_kph"] is None and an["referral_offroad_speed_kph"] is None
    assert an["max_speed_kph"] is None and cfg["roads"]["osm_network_type"] == "all"


def test_init_lang_sets_the_template_language(tmp_path, capsys):
    """``geoaccess init --lang en`` writes ``language: en`` (the English quickstart's run then
    prints in English); the default stays ``id``; another language is refused."""
    from geoaccess.config import write_template
    from geoaccess.exceptions import InputValidationError

    (tmp_path / "en").mkdir()
    en, default = tmp_path / "en" / "kab.yaml", tmp_path / "kab.yaml"
    assert main(["init", str(en), "--lang", "en", "--data-dir", str(tmp_path)]) == 0
    assert main(["init", str(default), "--data-dir", str(tmp_path)]) == 0
    assert load_config(en, check_files=False)["language"] == "en"
    assert load_config(default, check_files=False)["language"] == "id"
    assert re.search(r"(?m)^language: en +# id or en", en.read_text(encoding="utf-8"))
    # the rest of the template is the same
    assert en.read_text(encoding="utf-8").replace("language: en", "language: id") == default.read_text(
        encoding="utf-8"
    )
    with pytest.raises(SystemExit):
        main(["init", str(tmp_path / "fr.yaml"), "--lang", "fr"])
    with pytest.raises(InputValidationError, match="language"):
        write_template(tmp_path / "x.yaml", data_dir=tmp_path, language="fr")
    assert not (tmp_path / "x.yaml").exists()
