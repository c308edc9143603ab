"""The A4 print map: page size, classes and colours by hand, legend and texts in both languages.

The run is the two-kecamatan hand region of ``conftest.hand_region`` (a puskesmas in West,
a hospital in East); its desa table is replaced by eight hand-made desa whose travel times
sit on and around the class edges, so every class and colour below is written by hand.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely
from conftest import hand_region
from matplotlib.colors import to_hex

from geoaccess import run_access
from geoaccess.exceptions import GeoAccessWarning, InputValidationError
from geoaccess.outputs.print_map import print_map

X0, Y0 = 400_000, 9_660_000
# minutes on and around the edges 30 / 60 / 120: a class holds (previous edge, its edge]
TIMES = [10.0, 30.0, 30.01, 60.0, 61.0, 120.0, 121.0, float("nan")]
CLASS_BY_HAND = [0, 0, 1, 1, 2, 2, 3, -1]
PEOPLE = [100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0]
# ColorBrewer YlOrRd, 4 classes (colorbrewer2.org), and the no-data grey of the maps
YLORRD4 = ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"]
GREY = "#969696"
DATE = datetime.date(2026, 12, 1)


@pytest.fixture(scope="module")
def result():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        res = run_access(hand_region(), resolution_m=500, progress=False)
    # eight 500 x 2000 m strips across the 4 x 2 km kabupaten
    strips = [shapely.box(X0 + i * 500, Y0, X0 + (i + 1) * 500, Y0 + 2000) for i in range(8)]
    desa = gpd.GeoDataFrame(
        {
            "code": [f"D{i}" for i in range(8)],
            "name": [f"Desa {i}" for i in range(8)],
            "kecamatan_code": ["K1"] * 4 + ["K2"] * 4,
            "population": PEOPLE,
            "puskesmas_travel_time_min": TIMES,
            "hospital_travel_time_min": [5.0] * 8,
        },
        geometry=strips,
        crs="EPSG:32748",
    ).to_crs(4326)
    # one cell per desa, at its centre, with its people and time: the legend counts people
    # by their cell's time, so these keep the hand figures below
    cells = gpd.GeoDataFrame(
        {"population": PEOPLE, "puskesmas_travel_time_min": TIMES, "hospital_travel_time_min": [5.0] * 8},
        geometry=desa.representative_point(),
        crs=desa.crs,
    )
    return dataclasses.replace(res, desa=desa, cell_table=cells)


def _legend_texts(fig, gid):
    for ax in fig.axes:
        for artist in ax.artists + ([ax.get_legend()] if ax.get_legend() else []):
            if artist.get_gid() == gid:
                return [t.get_text() for t in artist.get_texts()], artist.get_title().get_text()
    raise AssertionError(f"no legend {gid!r}")


def _all_text(fig):
    texts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.texts]
    return "\n".join(texts)


def test_files_are_a4_landscape_png_and_pdf(result, tmp_path):
    pdf, png = tmp_path / "peta.pdf", tmp_path / "peta.png"
    print_map(result, [pdf, png], lang="id", date=DATE)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box, "no MediaBox in the PDF"
    # A4 = 297 x 210 mm = 841.89 x 595.28 pt (1 pt = 25.4/72 mm)
    assert float(box.group(1)) == pytest.approx(841.89, abs=1.0)
    assert float(box.group(2)) == pytest.approx(595.28, abs=1.0)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert width / height == pytest.approx(297 / 210, rel=0.002)
    assert width == pytest.approx(297 / 25.4 * 200, abs=1)  # 200 dpi default
    assert b"DejaVu" in data  # the font matplotlib ships, embedded


def test_desa_colours_match_hand_classes(result):
    fig = print_map(result, lang="en", date=DATE)
    (coll,) = [c for ax in fig.axes for c in ax.collections if c.get_gid() == "desa"]
    got = [to_hex(c) for c in coll.get_facecolors()]
    want = [YLORRD4[c] if c >= 0 else GREY for c in CLASS_BY_HAND]
    assert got == want


@pytest.mark.parametrize(
    ("lang", "rows", "title"),
    [
        (
            "id",
            [
                "≤ 30 menit   2 desa · 300 jiwa",
                "30–60 menit   2 desa · 700 jiwa",
                "60–120 menit   2 desa · 1.100 jiwa",
                "> 120 menit   1 desa · 700 jiwa",
                "tidak terjangkau / tanpa data   1 desa · 800 jiwa",
            ],
            "Waktu tempuh ke puskesmas terdekat (semua)",
        ),
        (
            "en",
            [
                "≤ 30 min   2 desa · 300",
                "30–60 min   2 desa · 700",
                "60–120 min   2 desa · 1,100",
                "> 120 min   1 desa · 700",
                "unreachable / no data   1 desa · 800",
            ],
            "Travel time to the nearest puskesmas (any)",
        ),
    ],
)
def test_legend_classes_in_each_language(result, lang, rows, title):
    fig = print_map(result, lang=lang, date=DATE)
    texts, legend_title = _legend_texts(fig, "legend-classes")
    assert texts == rows
    assert legend_title.replace("\n", " ").startswith(title)
    fac_texts, _ = _legend_texts(fig, "legend-facilities")
    want = {"id": ["Puskesmas", "Rumah sakit (RS/RSUD)"], "en": ["Puskesmas", "Hospital (RS / RSUD)"]}[lang]
    assert [s for s in fac_texts if s in want] == want


def test_title_source_note_scale_and_north(result):
    fig = print_map(result, lang="id", date=DATE)
    text = _all_text(fig)
    assert "hand: waktu tempuh ke puskesmas terdekat (semua)" in text
    note = " ".join(t.get_text() for t in fig.texts if t.get_gid() == "source-note").replace("\n", " ")
    assert note.startswith("Sumber data:")
    assert "sepeda motor" in note and "kisi 500 m" in note and "2026-12-01" in note
    assert "U" in [t.get_text() for ax in fig.axes for t in ax.texts]
    # scale by hand: the kabupaten is 4 km wide, the map frame 4 km x 1.06 = 4,240 m over
    # 0.665 x 297 mm = 7.776 in of paper: 545.3 m per inch, 1 : 21,468 (to 2 digits 21,000).
    # The bar: a round length (1, 2, 5 x 10^k) up to 4/5 of the 0.275 x 297 mm = 3.216 in
    # panel, i.e. up to 1,403 m: 1 km, labelled 0, 500 m, 1 km.
    labels = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"0", "500 m", "1 km", "Sekitar 1 : 21.000 bila dicetak A4 100%"} <= labels
    en = _all_text(print_map(result, lang="en", date=DATE))
    assert "hand: travel time to the nearest puskesmas (any)" in en and "Data sources:" in en


def test_facilities_drawn_by_type(result):
    fig = print_map(result, lang="id", date=DATE)
    offsets = {
        c.get_gid(): c.get_offsets() for ax in fig.axes for c in ax.collections if c.get_gid() != "desa"
    }
    # P1 at 1 km, H1 at 3.5 km along the middle of the kabupaten (UTM 48S)
    assert np.allclose(offsets["fac-puskesmas"], [[X0 + 1000, Y0 + 1000]], atol=1)
    assert np.allclose(offsets["fac-hospital"], [[X0 + 3500, Y0 + 1000]], atol=1)
    assert "fac-inpatient" not in offsets


def test_category_and_arguments_are_checked(result, tmp_path):
    with pytest.raises(InputValidationError, match="category"):
        print_map(result, category="posyandu")
    with pytest.raises(InputValidationError, match=r"\.png or \.pdf"):
        print_map(result, tmp_path / "peta.jpg")
    with pytest.raises(InputValidationError, match="lang"):
        print_map(result, lang="fr")
    with pytest.raises(InputValidationError, match="bands_min"):
        print_map(result, bands_min=(60, 30))
    fig = print_map(result, category="hospital", lang="en", date=DATE)
    (coll,) = [c for ax in fig.axes for c in ax.collections if c.get_gid() == "desa"]
    assert {to_hex(c) for c in coll.get_facecolors()} == {YLORRD4[0]}  # 5 min everywhere


def test_write_outputs_writes_the_print_map(tmp_path):
    from geoaccess import write_outputs

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        res = run_access(hand_region(), resolution_m=500, progress=False)
        files = write_outputs(res, tmp_path, language="id")
    assert files["print_map_pdf"].name == "hand_print_map.pdf"
    assert files["print_map_png"].read_bytes()[:4] == b"\x89PNG"
    manifest = (tmp_path / "hand_manifest.json").read_text(encoding="utf-8")
    assert "hand_print_map.pdf" in manifest


@pytest.mark.parametrize(
    ("lang", "weighted", "unweighted"),
    [
        ("en", "population-weighted", "not weighted by people"),
        ("id", "tertimbang jumlah penduduk", "tidak ditimbang jumlah penduduk"),
    ],
)
def test_subtitle_says_population_weighted_only_with_population(result, lang, weighted, unweighted):
    def subtitle_and_note(res):
        fig = print_map(res, lang=lang, date=DATE)
        sub = [t.get_text() for t in fig.texts if abs(t.get_position()[1] - 0.917) < 1e-9]
        note = " ".join(t.get_text() for t in fig.texts if t.get_gid() == "source-note").replace("\n", " ")
        return " ".join(sub), note, _all_text(fig)

    sub, note, _ = subtitle_and_note(result)
    assert weighted in sub and unweighted not in sub
    # the same run without population figures: nothing on the page says population-weighted
    no_pop = dataclasses.replace(result, desa=result.desa.assign(population=np.nan))
    sub, note, text = subtitle_and_note(no_pop)
    assert sub and unweighted in sub and unweighted in note
    assert weighted not in text and "rata-rata tertimbang" not in text


def test_legend_counts_people_who_cannot_reach_the_puskesmas_as_unreachable():
    # The docstring kabupaten (West D1 1,000 people with the puskesmas, East D2 3,000), a
    # river at x = 402,900 and the road stopping at 402,400: no way across. D2's eight
    # 250 m columns lose the river's one (no people), so 3,000 / 7 per column and the
    # four east of it, 12,000 / 7 = 1,714.3 people, cannot reach the puskesmas. Both desa
    # are coloured "<= 30 min" by the mean of their reachable people, but the legend
    # counts people by their own time: 4,000 - 12,000 / 7 = 2,285.7 within 30 minutes.
    import geoaccess as ga
    from geoaccess.inputs.datasets import Region

    utm = "EPSG:32748"
    west = shapely.box(400_000, 9_590_000, 402_000, 9_592_000)
    east = shapely.box(402_000, 9_590_000, 404_000, 9_592_000)
    kec = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["Barat", "Timur"]}, geometry=[west, east], crs=utm)
    kec = kec.to_crs(4326)
    desa = kec.assign(code=["D1", "D2"], kecamatan_code=["K1", "K2"], population=[1000.0, 3000.0])
    kab = gpd.GeoDataFrame({"code": ["99.01"], "name": ["Contoh"]}, geometry=[west | east], crs=utm).to_crs(
        4326
    )
    fac = ga.read_facilities(
        gpd.GeoDataFrame(
            {"facility_id": ["P1"], "name": ["Puskesmas Barat"], "type": ["puskesmas"], "inpatient": [False]},
            crs=utm,
            geometry=[shapely.Point(401_000, 9_591_000)],
        )
    )
    road = shapely.LineString([(400_000, 9_591_000), (402_400, 9_591_000)])
    roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm, geometry=[road]).to_crs(4326)
    river = shapely.LineString([(402_900, 9_585_000), (402_900, 9_597_000)])
    barriers = gpd.GeoDataFrame(geometry=[river], crs=utm).to_crs(4326)
    region = Region("contoh", "99.01", kab, kec, desa, fac, fac.iloc[0:0], roads, buffer_km=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        res = run_access(region, progress=False, barriers=barriers, categories=("puskesmas",))
    assert res.desa["puskesmas_people_unreachable"].tolist() == pytest.approx([0.0, 12_000 / 7])
    (coll,) = [
        c for ax in print_map(res, lang="en", date=DATE).axes for c in ax.collections if c.get_gid() == "desa"
    ]
    assert [to_hex(c) for c in coll.get_facecolors()] == [YLORRD4[0]] * 2  # both desa "<= 30 min"
    for lang, rows in (
        (
            "en",
            [
                "≤ 30 min   2 desa · 2,286",
                "30–60 min   0 desa · 0",
                "60–120 min   0 desa · 0",
                "> 120 min   0 desa · 0",
                "unreachable / no data   0 desa · 1,714",
            ],
        ),
        (
            "id",
            [
                "≤ 30 menit   2 desa · 2.286 jiwa",
                "30–60 menit   0 desa · 0 jiwa",
                "60–120 menit   0 desa · 0 jiwa",
                "> 120 menit   0 desa · 0 jiwa",
                "tidak terjangkau / tanpa data   0 desa · 1.714 jiwa",
            ],
        ),
    ):
        texts, _ = _legend_texts(print_map(res, lang=lang, date=DATE), "legend-classes")
        assert texts == rows
    # the same totals as the run's coverage table: 4,000 people, 1,714 unreachable
    cov = res.tables["coverage"].query("level == 'kabupaten'").iloc[0]
    assert cov["population"] == pytest.approx(4000.0)
    assert cov["people_unreachable"] == pytest.approx(12_000 / 7)
