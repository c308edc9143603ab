"""The proposal table, its labels, the budget curve, the planning map layers and `geoaccess plan`."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import hand_region

import geoaccess as ga
from geoaccess import cli
from geoaccess.outputs.maps import add_proposal_layer, add_scenario_layer, save_map
from geoaccess.outputs.maps.base import new_map
from geoaccess.outputs.proposal import (
    budget_curve,
    budget_curve_from_runs,
    export_proposal,
    plot_budget_curve,
    proposal_table,
)
from geoaccess.outputs.report import column_label
from geoaccess.planning.scenario import Scenario, compare_scenario
from geoaccess.planning.siting import site_facilities

CRS = "EPSG:32748"


def _sites():
    """What site_facilities returns for three sites, by hand (threshold 60 min)."""
    out = gpd.GeoDataFrame(
        {
            "name": ["Pkm A", "Desa B", "Desa C"],
            "kind": ["upgrade", "new", "new"],
            "target_group": [None, "East", None],
            "rank": [1, 2, 3],
            "cost": [1e9, 2.4e9, 2.4e9],
            "cumulative_cost": [1e9, 3.4e9, 5.8e9],
            "people_newly_within": [5000.0, 6000.0, 1200.0],
            "people_within_cumulative": [105000.0, 111000.0, 112200.0],
        },
        geometry=[shapely.Point(500, 500), shapely.Point(1500, 500), shapely.Point(1500, 900)],
        crs=CRS,
        index=["pkm:A", "desa:B", "desa:C"],
    )
    out.attrs = {"threshold_min": 60.0, "people_within_before": 100000.0, "people_within_after": 112200.0}
    return out


def _kecamatan():
    return gpd.GeoDataFrame(
        {"code": ["K1", "K2"], "name": ["West", "East"]},
        geometry=[shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 2000, 1000)],
        crs=CRS,
    )


def test_table_by_hand():
    p = proposal_table(_sites(), kecamatan=_kecamatan())
    assert p["site_id"].tolist() == ["pkm:A", "desa:B", "desa:C"]
    assert p["kecamatan"].tolist() == ["West", "East", "East"]
    assert p["action"].tolist() == ["upgrade", "new", "new"]
    # marginal people per Rp 1 miliar: 5000 / 1; 6000 / 2.4 = 2500; 1200 / 2.4 = 500
    assert p["people_per_miliar_idr"].tolist() == pytest.approx([5000.0, 2500.0, 500.0])
    assert p["people_newly_within_60_min"].sum() == pytest.approx(12200.0)
    assert p["people_within_60_min_cumulative"].iloc[-1] == pytest.approx(112200.0)
    assert p["cost_idr"].tolist() == [1e9, 2.4e9, 2.4e9]
    assert p["cumulative_cost_idr"].tolist() == [1e9, 3.4e9, 5.8e9]
    assert p["for_target"].tolist() == [False, True, False]
    assert p.crs == CRS and p.geometry.iloc[1].equals(shapely.Point(1500, 500))
    # a site outside every polygon gets the nearest kecamatan
    outside = _sites()
    outside.geometry = [shapely.Point(-50, 500), shapely.Point(2100, 500), shapely.Point(1500, 900)]
    assert proposal_table(outside, kecamatan=_kecamatan())["kecamatan"].tolist() == ["West", "East", "East"]


def test_table_from_a_real_siting_run():
    # three villages on a 12 km road (3 min/km by car on 'lokal'), the puskesmas at 0 km
    road = gpd.GeoDataFrame(
        {"road_class": ["lokal"]}, geometry=[shapely.LineString([(0, 0), (12_000, 0)])], crs=CRS
    )
    net = ga.build_network(road, "car", offroad=False)
    pts = lambda xs: [shapely.Point(x, 0) for x in xs]  # noqa: E731
    desa = gpd.GeoDataFrame({"population": [100, 200, 300]}, geometry=pts([2_000, 8_000, 12_000]), crs=CRS)
    pkm = gpd.GeoDataFrame({"facility_id": ["P"]}, geometry=pts([0]), crs=CRS)
    cand = gpd.GeoDataFrame(
        {"kind": ["new", "upgrade"]}, geometry=pts([6_000, 10_000]), crs=CRS, index=["mid", "east"]
    )
    out = site_facilities(net, desa, pkm, cand, budget=3.4e9, threshold_min=15)
    p = proposal_table(out)
    # 'east' (Rp 1 miliar upgrade) brings 8 and 12 km within 15 min: 500 people; then 'mid'
    # (Rp 2.4 miliar) adds nobody new and is not proposed
    assert p["site_id"].tolist() == ["east"]
    assert p["people_newly_within_15_min"].tolist() == [500.0]
    assert p["people_per_miliar_idr"].tolist() == [500.0]
    assert p["people_newly_within_15_min"].sum() == pytest.approx(out.attrs["objective_value"])


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_column_has_a_label(language):
    p = proposal_table(_sites(), kecamatan=_kecamatan())
    for c in p.columns.drop("geometry"):
        assert column_label(c, language) != c, c
    assert (
        column_label("people_per_miliar_idr", "id") == "Tambahan penduduk terjangkau per Rp 1 miliar (jiwa)"
    )
    assert column_label("people_newly_within_60_min", "en") == "People newly within 60 min"


def test_export_indonesian_csv_and_xlsx(tmp_path):
    p = proposal_table(_sites(), kecamatan=_kecamatan())
    csv = export_proposal(p, tmp_path / "usulan.csv", language="id")
    xlsx = export_proposal(p, tmp_path / "usulan.xlsx", language="id")
    for df in (pd.read_csv(csv), pd.read_excel(xlsx)):
        assert "Biaya (Rp)" in df.columns and "Kecamatan" in df.columns
        assert df["Tindakan (bangun baru / tingkatkan)"].tolist() == [
            "tingkatkan menjadi rawat inap",
            "bangun puskesmas baru",
            "bangun puskesmas baru",
        ]
        assert df["Tambahan penduduk terjangkau per Rp 1 miliar (jiwa)"].tolist() == pytest.approx(
            [5000.0, 2500.0, 500.0]
        )
    en = pd.read_csv(export_proposal(p, tmp_path / "proposal.csv", language="en"))
    assert "People gained per Rp 1 miliar" in en.columns
    assert p["action"].tolist() == ["upgrade", "new", "new"]  # the table itself is not changed


def test_budget_curve_data():
    curve = budget_curve(_sites())
    assert curve["budget_miliar"].tolist() == pytest.approx([0.0, 1.0, 3.4, 5.8])
    assert curve["people_within"].tolist() == [100000.0, 105000.0, 111000.0, 112200.0]
    assert curve["n_sites"].tolist() == [0, 1, 2, 3]
    # from the proposal table too
    pd.testing.assert_frame_equal(budget_curve(proposal_table(_sites())), curve)
    fig = plot_budget_curve(curve, language="id")
    xy = fig.axes[0].lines[0].get_xydata()  # drawn as steps ("post") through these points
    np.testing.assert_allclose(xy, [[0.0, 100000.0], [1.0, 105000.0], [3.4, 111000.0], [5.8, 112200.0]])
    assert fig.axes[0].lines[0].get_drawstyle() == "steps-post"
    assert fig.axes[0].get_xlabel() == "Anggaran (Rp miliar)"
    # one run per budget
    runs = []
    for b, within in ((2e9, 105000.0), (4e9, 111000.0)):
        r = _sites()
        r.attrs.update(budget=b, people_within_after=within, n_sites=2, total_cost=b, gap=0.0)
        runs.append(r)
    c2 = budget_curve_from_runs(runs[::-1])
    assert c2["budget_miliar"].tolist() == [2.0, 4.0] and c2["people_within"].tolist() == [105000.0, 111000.0]
    line = plot_budget_curve(c2).axes[0].lines[0].get_xydata()
    assert line.tolist() == [[2.0, 105000.0], [4.0, 111000.0]]


def _external(page: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page)


def test_proposal_layer_offline(tmp_path):
    p = proposal_table(_sites(), kecamatan=_kecamatan())
    m = new_map(p.to_crs(4326).total_bounds, None)
    assert add_proposal_layer(m, p) is m
    page = save_map(m, tmp_path / "p.html").read_text(encoding="utf-8")
    for text in ("Pkm A", "Desa B", "Desa C", "Rp 2,400,000,000 (2.40 miliar)", "5,000", "2,500"):
        assert text in page, text
    assert "People newly within 60 min" in page and "upgrade to inpatient" in page
    assert _external(page) == [] and "tile.openstreetmap" not in page


def test_scenario_layer_offline(tmp_path):
    base = ga.run_access(hand_region(), resolution_m=500, progress=False)
    add = gpd.GeoSeries([shapely.Point(403_000, 9_661_000)], crs=CRS).to_crs(4326).iloc[0]
    sc = Scenario().add(add, "NEW", name="Pkm Baru", inpatient=True).upgrade("P1")
    cmp = compare_scenario(base, sc)
    m = new_map(base.desa.to_crs(4326).total_bounds, None)
    add_scenario_layer(m, cmp, base.desa, "puskesmas", facilities=base.facilities)
    page = save_map(m, tmp_path / "s.html").read_text(encoding="utf-8")
    assert "Pkm Baru" in page and "New facility" in page and "Upgraded to inpatient (rawat inap)" in page
    d = cmp.desa[cmp.desa["category"] == "puskesmas"]
    change = (d["mean_min_after"] - d["mean_min_before"]).to_numpy()
    assert np.isfinite(change).all() and (change < -1).any()  # the new site speeds up East
    for v in change:
        assert f"{v:+.1f}" in page  # the change per desa is in the tooltip data
    assert _external(page) == []
    closed = compare_scenario(base, Scenario().close("P1"))
    page = save_map(
        add_scenario_layer(None, closed, base.desa, "puskesmas", facilities=base.facilities),
        tmp_path / "c.html",
    ).read_text(encoding="utf-8")
    assert ">Closed<" in page and "P1" in page
    with pytest.raises(ga.InputValidationError, match="category"):
        add_scenario_layer(m, cmp, base.desa, "pustu")


def test_cli_plan_muara_enim(data_dir, tmp_path, capsys):
    out = tmp_path / "plan"
    rc = cli.main(["plan", "--region", "muara_enim", "--budget", "5", "--out", str(out), "--no-progress",
                   "--data-dir", str(data_dir)])  # fmt: skip
    text = capsys.readouterr().out
    assert rc == 0, text
    for f in ("muara_enim_proposal.csv", "muara_enim_proposal.xlsx", "muara_enim_budget_curve.png",
              "muara_enim_proposal_map.html"):  # fmt: skip
        assert (out / f).is_file() and (out / f).stat().st_size > 0, f
    table = pd.read_csv(out / "muara_enim_proposal.csv")
    gained = float(re.search(r"people gained[^:]*: ([\d,]+)", text).group(1).replace(",", ""))
    col = "Penduduk yang baru terjangkau dalam 60 menit (jiwa)"
    # each row of the file is rounded to whole persons: their sum is within half a person a
    # row of the printed total (the exact sum, rounded)
    assert abs(gained - table[col].sum()) <= len(table) / 2
    assert table["Biaya (Rp)"].sum() <= 5e9
    cost = float(re.search(r"cost: Rp ([\d,]+)", text).group(1).replace(",", ""))
    assert cost == table["Biaya (Rp)"].sum()
    assert np.all(np.diff(table["Peringkat"]) == 1) and table["Kecamatan"].notna().all()
    assert f"sites: {len(table)} " in text and "gap: " in text
    page = (out / "muara_enim_proposal_map.html").read_text(encoding="utf-8")
    assert all(str(n) in page for n in table["Nama"])
    assert _external(page) == []


def test_cli_plan_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["plan", "--budget", "-1"])
    assert e.value.code == 2 and "Rp miliar" in capsys.readouterr().err
    f = tmp_path / "file.txt"
    f.write_text("x")
    assert cli.main(["plan", "--out", str(f), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file, not a folder" in err


def test_proposal_files_for_a_kabupaten_without_inpatient_puskesmas(tmp_path):
    """The kabupaten that needs siting most has no inpatient puskesmas at all: the proposal
    files are still written (the map used to fail on the empty 'existing' layer)."""
    import warnings

    from conftest import hand_region

    import geoaccess as ga
    from geoaccess.outputs.proposal import write_proposal
    from geoaccess.planning.candidates import plan_candidates

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ga.run_access(hand_region(), categories=("puskesmas", "inpatient"), progress=False)
    cand, existing = plan_candidates(res)
    assert len(existing) == 0  # West's puskesmas is not rawat inap; East has only a hospital
    origins = res.cells[res.cells["population"] > 0]
    # one site at 5 min: East holds 3,000 of the 4,000 people, so a new site in desa E wins
    sites = ga.site_facilities(res.network, origins, existing, cand, k=1, threshold_min=5,
                               candidate_id_col="candidate_id")  # fmt: skip
    assert sites["candidate_id"].tolist() == ["desa:D2"]
    prop = proposal_table(sites, kecamatan=res.kecamatan, id_col="candidate_id")
    files = write_proposal(res, sites, prop, tmp_path, "hand", existing=existing, language="en")
    assert sorted(files) == ["budget_curve", "proposal_csv", "proposal_map", "proposal_xlsx"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in files.values())
    page = files["proposal_map"].read_text(encoding="utf-8")
    assert "Desa Edesa" in page and "Puskesmas West" not in page  # no existing inpatient layer
    assert _external(page) == []


def test_export_writes_whole_persons(tmp_path):
    """People in the file are whole persons: 34034.595643783585 -> 34035; the table stays exact."""
    sites = _sites()
    sites["people_newly_within"] = [34034.595643783585, 6000.6, 1200.4]
    sites["people_within_cumulative"] = [134034.595643783585, 140035.195643783585, 141235.595643783585]
    p = proposal_table(sites)
    for language, cols in (
        ("id", ("Tambahan penduduk terjangkau per Rp 1 miliar (jiwa)",)),
        ("en", ("People gained per Rp 1 miliar",)),
    ):
        csv = export_proposal(p, tmp_path / f"p_{language}.csv", language=language)
        xlsx = export_proposal(p, tmp_path / f"p_{language}.xlsx", language=language)
        newly = column_label("people_newly_within_60_min", language)
        cumulative = column_label("people_within_60_min_cumulative", language)
        for df in (pd.read_csv(csv), pd.read_excel(xlsx)):
            assert df[newly].tolist() == [34035, 6001, 1200]
            assert df[cumulative].tolist() == [134035, 140035, 141236]
            # per Rp 1 miliar: 34034.6 / 1, 6000.6 / 2.4 = 2500.25, 1200.4 / 2.4 = 500.17
            assert df[cols[0]].tolist() == [34035, 2500, 500]
        text = csv.read_text(encoding="utf-8-sig")
        assert "34035," in text and "34034.59" not in text and "2500.25" not in text
    assert p["people_newly_within_60_min"].iloc[0] == 34034.595643783585
