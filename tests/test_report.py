"""Tests of geoaccess.outputs.report: labels, CSV/XLSX/GPKG round trips, figures."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from shapely.geometry import box

from geoaccess.analysis import metrics
from geoaccess.exceptions import InputValidationError
from geoaccess.outputs import report


def _summary() -> pd.DataFrame:
    desa = pd.DataFrame(
        {
            "kecamatan_code": ["K1", "K1", "K2", "K2"],
            "travel_time_min": [10.0, 40.0, 90.0, np.nan],
            "population": [100.0, 200.0, 700.0, 50.0],
        }
    )
    s = metrics.summarize_access(desa, by="kecamatan_code")
    s["name"] = ["Lawang Kidul", "Semende Darat Laut"]
    s["meets_inpatient_target"] = pd.array([True, pd.NA], dtype="boolean")
    return s


def _geo_summary() -> gpd.GeoDataFrame:
    s = _summary()
    s["band"] = pd.Categorical(["0-15", ">60"])
    return gpd.GeoDataFrame(s, geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs="EPSG:32748")


def test_labels():
    assert report.LABELS_ID["population"] == "Jumlah penduduk"
    assert report.LABELS_ID["travel_time_min"] == "Waktu tempuh (menit)"
    assert report.column_label("people_beyond_60_min", "id") == (
        "Penduduk > 60 menit atau tidak terjangkau (jiwa)"
    )
    assert report.column_label("people_16_30_min", "id") == ("Penduduk waktu tempuh 16-30 menit (jiwa)")
    assert report.column_label("share_over_60_min", "en") == "Share at > 60 min (0-1)"
    assert (
        report.column_label("points_access_per_1000", "id")
        == "Poin: Tenaga kesehatan terjangkau per 1.000 penduduk (E2SFCA)"
    )
    assert report.column_label("beds_per_1000", "en") == "Beds per 1,000 people"
    assert report.column_label("some_user_column", "id") == "some_user_column"
    with pytest.raises(InputValidationError, match="language"):
        report.column_label("population", "fr")


def test_every_summary_column_has_a_label():
    s = _summary()
    for lang in ("en", "id"):
        labels = report.relabel(s, lang).columns
        assert len(set(labels)) == len(labels)
        unlabelled = [c for c, lab in zip(s.columns, labels, strict=True) if c == lab]
        assert unlabelled == [], unlabelled


def test_csv_round_trip(tmp_path):
    s = _summary()
    before = s.copy()
    p = report.export_table(s, tmp_path / "kec.csv", language=None)
    back = pd.read_csv(p)
    assert list(back.columns) == list(s.columns)
    np.testing.assert_allclose(back["people_beyond_60_min"], s["people_beyond_60_min"])
    p_id = report.export_table(s, tmp_path / "kec_id.csv", language="id")
    back_id = pd.read_csv(p_id)
    assert "Jumlah penduduk" in back_id.columns  # BOM handled by pandas
    assert back_id["Jumlah penduduk"].tolist() == [300.0, 750.0]
    pd.testing.assert_frame_equal(s, before)


def test_xlsx_round_trip(tmp_path):
    s = _summary()
    p = report.export_table(s, tmp_path / "kec.xlsx", language="id")
    back = pd.read_excel(p, sheet_name="geoaccess")
    assert back.columns[0] == "Kode kecamatan"
    assert back["Jumlah penduduk"].tolist() == [300.0, 750.0]
    assert back["Rata-rata waktu tempuh (menit)"].tolist() == pytest.approx([30.0, 90.0])
    # <NA> is an empty cell
    assert pd.isna(back["Memenuhi target puskesmas rawat inap"].iloc[1])
    raw = pd.read_excel(report.export_table(s, tmp_path / "raw.xlsx", language=None))
    assert list(raw.columns) == list(s.columns)


def test_gpkg_round_trip(tmp_path):
    g = _geo_summary()
    p = report.export_table(g, tmp_path / "kec.gpkg", language=None)
    back = gpd.read_file(p, layer="kec")
    assert back.crs == g.crs
    assert back.geometry.equals(g.geometry.reset_index(drop=True))
    np.testing.assert_allclose(back["people_unreachable"], g["people_unreachable"])
    assert back["band"].tolist() == ["0-15", ">60"]
    p_id = report.export_table(g, tmp_path / "kec_id.gpkg", language="id", layer="kecamatan")
    back_id = gpd.read_file(p_id, layer="kecamatan")
    assert "Jumlah penduduk" in back_id.columns
    assert back_id.geometry.name == "geometry"


def test_export_errors_and_geometry_dropped(tmp_path):
    with pytest.raises(InputValidationError, match="GeoPackage needs geometry"):
        report.export_table(_summary(), tmp_path / "x.gpkg")
    with pytest.raises(InputValidationError, match="extension"):
        report.export_table(_summary(), tmp_path / "x.shp")
    with pytest.raises(InputValidationError, match="does not exist"):
        report.export_table(_summary(), tmp_path / "missing" / "x.csv")
    back = pd.read_csv(report.export_table(_geo_summary(), tmp_path / "g.csv", language=None))
    assert "geometry" not in back.columns


def test_plot_cumulative_coverage():
    desa = pd.DataFrame(
        {
            "kabupaten": ["A", "A", "B", "B"],
            "travel_time_min": [10.0, 40.0, 90.0, np.nan],
            "population": [100.0, 200.0, 700.0, 50.0],
        }
    )
    before = desa.copy()
    fig = report.plot_cumulative_coverage(desa, language="id")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Waktu tempuh (menit)"
    # the curve ends at (1000 reachable / 1050) = 95.2 %
    assert ax.lines[0].get_ydata()[-1] == pytest.approx(100 * 1000 / 1050)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    fig2 = report.plot_cumulative_coverage(desa, by="kabupaten")
    assert len(fig2.axes[0].lines) == 2
    pd.testing.assert_frame_equal(desa, before)


def test_plot_kecamatan_bars():
    s = _summary()
    fig = report.plot_kecamatan_bars(s, label_col="name")
    ax = fig.axes[0]
    # 4 bands + unreachable, 2 kecamatan each
    assert len(ax.patches) == 5 * 2
    # K2 (700 beyond 60) sorts to the top: the last bar drawn per series is the top one
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Semende Darat Laut"
    fig_share = report.plot_kecamatan_bars(s, label_col="name", share=True, language="id", top=1)
    assert len(fig_share.axes[0].patches) == 5
    with pytest.raises(InputValidationError, match="band columns"):
        report.plot_kecamatan_bars(s[["name", "population"]], label_col="name")


def test_no_pyplot_state():
    plt = pytest.importorskip("matplotlib.pyplot")
    n = len(plt.get_fignums())
    report.plot_kecamatan_bars(_summary(), label_col="name")
    assert len(plt.get_fignums()) == n  # figures are not registered with pyplot
