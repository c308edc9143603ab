"""The one catalogue of user-facing strings (geoaccess.outputs.i18n), and outputs in Indonesian."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from geoaccess.exceptions import InputValidationError
from geoaccess.outputs import i18n
from geoaccess.outputs.i18n import LANGS, column_label, placeholders, t

OUTPUTS = Path(i18n.__file__).parent


def _entries():
    for key, texts in i18n.STRINGS.items():
        yield f"STRINGS[{key!r}]", texts
    for key, texts in i18n.COLUMNS.items():
        yield f"COLUMNS[{key!r}]", texts
    for pattern, texts in i18n.COLUMN_PATTERNS:
        yield f"COLUMN_PATTERNS[{pattern!r}]", texts
    for key, texts in i18n.COLUMN_CATEGORIES.items():
        yield f"COLUMN_CATEGORIES[{key!r}]", texts
    for key, texts in i18n.COLUMN_CATEGORY_PARTS.items():
        yield f"COLUMN_CATEGORY_PARTS[{key!r}]", texts


def test_every_string_has_both_languages_with_the_same_placeholders():
    problems = []
    for where, texts in _entries():
        if set(texts) != set(LANGS):
            problems.append(f"{where}: languages {sorted(texts)}, expected {list(LANGS)}")
            continue
        for lang in LANGS:
            if not isinstance(texts[lang], str) or not texts[lang].strip():
                problems.append(f"{where}[{lang!r}] is empty")
        if placeholders(texts["en"]) != placeholders(texts["id"]):
            problems.append(f"{where}: placeholders differ {texts}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_is_a_real_translation():
    # Indonesian differs from English for most entries (names such as "Puskesmas" may not)
    same = [k for k, v in i18n.STRINGS.items() if v["en"] == v["id"]]
    assert len(same) < 0.2 * len(i18n.STRINGS), same
    words = " ".join(v["id"] for _, v in _entries()).lower()
    for term in ("puskesmas rawat inap", "rsud", "waktu tempuh", "penduduk", "kecamatan", "desa", "menit"):
        assert term in words, term


def test_t_and_column_label():
    assert t("map.layer.facilities", "id") == "Fasilitas kesehatan"
    assert t("map.count_people", "id", n="1,234") == "1.234 jiwa"
    assert t("map.count_people", "en", n="5") == "5 people"
    with pytest.raises(KeyError, match="no string"):
        t("no.such.key", "id")
    with pytest.raises(InputValidationError, match="lang"):
        t("map.layer.facilities", "fr")
    assert (
        column_label("inpatient_travel_time_min", "id")
        == "Waktu tempuh ke puskesmas rawat inap terdekat (menit)"
    )
    assert column_label("norm_travel_time_min", "en") == "Normalised: Travel time (min) (0-1)"
    assert column_label("beds_per_1000", "id") == "Tempat tidur per 1.000 penduduk"
    assert column_label("no_such_column", "id") == "no_such_column"


# ----------------------------------------------------------------------------- literal scan
# The rule (documented in geoaccess/outputs/i18n.py): in the output modules no English
# text literal is passed as a layer name, title, alias, tooltip or label, nor to
# set_title / set_xlabel / set_ylabel / annotate / text, and no `name` / `title`
# parameter defaults to English text, and no HTML string holds words between its tags
# (legend rows, notes). Text is "English" when it holds a word of 3+ letters and is not
# an identifier (lowercase with underscores: element names such as "geoaccess_css");
# CSS, colours and numbers are not text.

_TEXT_KEYWORDS = {"name", "title", "aliases", "tooltip", "label", "labels", "xlabel", "ylabel"}
_TEXT_METHODS = {"set_title", "set_xlabel", "set_ylabel", "suptitle", "annotate", "text"}
_WORD = re.compile(r"[A-Za-z]{3,}")
# literals that are not words for a reader (names of things, not text)
_IDENTIFIER = re.compile(r"^[a-z0-9_]*$")
_HTML_TEXT = re.compile(r">([^<>{}]*)<")


def _output_modules() -> list[Path]:
    return [
        *sorted((OUTPUTS / "maps").glob("*.py")),
        OUTPUTS / "report.py",
        OUTPUTS / "proposal.py",
        OUTPUTS / "print_map.py",
    ]


def _literal_text(node: ast.AST) -> list[str]:
    """The word-bearing string literals in ``node`` (constants, f-string parts, lists)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        v = node.value
        return [v] if _WORD.search(v) and not _IDENTIFIER.match(v) else []
    if isinstance(node, ast.JoinedStr):
        return [v for part in node.values for v in _literal_text(part)]
    if isinstance(node, ast.List | ast.Tuple):
        return [v for e in node.elts for v in _literal_text(e)]
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) + _literal_text(node.orelse)
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) + _literal_text(node.right)
    return []


def _bypasses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found += [
                f"{path.name}:{node.lineno} HTML text {m!r}"
                for m in _HTML_TEXT.findall(node.value)
                if _WORD.search(m)
            ]
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg in _TEXT_KEYWORDS:
                    found += [f"{path.name}:{node.lineno} {kw.arg}={s!r}" for s in _literal_text(kw.value)]
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in _TEXT_METHODS and node.args:
                idx = 2 if func.attr == "text" else 0  # ax.text(x, y, s)
                if len(node.args) > idx:
                    found += [
                        f"{path.name}:{node.lineno} {func.attr}({s!r})" for s in _literal_text(node.args[idx])
                    ]
        if isinstance(node, ast.FunctionDef):
            args = node.args.args + node.args.kwonlyargs
            defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + list(node.args.defaults)
            defaults += list(node.args.kw_defaults)
            for a, d in zip(args, defaults, strict=True):
                if a.arg in ("name", "title") and d is not None:
                    found += [f"{path.name}:{node.lineno} default {a.arg}={s!r}" for s in _literal_text(d)]
    return found


def test_output_modules_take_their_text_from_the_catalogue():
    found = [f for p in _output_modules() for f in _bypasses(p)]
    assert not found, "user-facing literals that bypass geoaccess.outputs.i18n:\n" + "\n".join(found)


def test_the_scan_catches_a_bypass(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(m, name='Facilities'):\n"
        "    folium.GeoJson(d, name='Mapped roads', tooltip=f'{x} people').add_to(m)\n"
        "    ax.set_title('Cumulative coverage')\n"
        "    rows.append(f'<span>no people / no data</span>{n}')\n"
        "    m.add_child(el, name='geoaccess_css')\n"
    )
    assert len(_bypasses(bad)) == 5


# ----------------------------------------------------------------------------- outputs in Indonesian


def _figure_texts(fig) -> list[str]:
    """Every text of a matplotlib figure: titles, axis labels, legends, annotations."""
    from matplotlib.text import Text

    return [a.get_text() for a in fig.findobj(Text) if a.get_text()]


#: English sentences of the run notes and data sources of the bundled kabupaten runs; none
#: may reach an Indonesian output
ENGLISH_NOTE_SENTENCES = (
    "people are spread evenly over each desa's area",
    "has no polygon",
    "crosses land without a mapped road",
    "have their nearest puskesmas across the kabupaten border",
    "rests on data gaps",
    "have no staff count",
    "could not be placed in a kecamatan",
    "indicator(s) missing in some rows",
    "are not at their own site",
    "with unknown inpatient status left out",
    "without a location left out",
    "facilities have coordinate problems",
    "no row was dropped",
    "match no polygon and are not in the result",
    "(a public report) replaces the code-digit reading",
    "is timed by the referral mode",
    "uniform over the desa's cells",
    "national roads only",
    "scaled to the Kepmendagri 2025 kabupaten totals",
    "code digit (1 = rawat inap), unverified",
    "health workers per puskesmas",
    "no puskesmas of this kecamatan in the data",
    "placed at a centroid (no coordinate)",
    "no staff count (the 2SFCA uses the median)",
    "road nodes",
    "passable cells",
    "no flood-season tables",
    "critical links for the dry season only",
    "no critical-links table",
    "as the nearest (their locations in the",
    "the 2SFCA gives every cell 0 staff per 1,000",
    "their people columns are empty",
    "fix them in the source to keep them",
)


def test_flood_links_and_road_notes_in_indonesian():
    # a kabupaten built by hand without hazard layer or desa flood_hazard_index: the flood
    # season and critical links say so, in the output language (reviewer's Sarolangun case)
    import dataclasses

    import geopandas as gpd
    import shapely

    import geoaccess as ga
    from geoaccess.inputs.datasets import Region
    from geoaccess.inputs.roads.standardize import standardize_roads
    from geoaccess.notes import Note, localize

    utm = "EPSG:32748"
    west = shapely.box(400_000, 9_590_000, 402_000, 9_592_000)
    east = shapely.box(402_000, 9_590_000, 404_000, 9_592_000)
    kec = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["Barat", "Timur"]}, geometry=[west, east], crs=utm)
    desa = kec.assign(code=["D1", "D2"], kecamatan_code=["K1", "K2"], population=[1000.0, 3000.0])
    kab = gpd.GeoDataFrame({"code": ["99.01"], "name": ["Contoh"]}, geometry=[west | east], crs=utm)
    fac = ga.read_facilities(
        gpd.GeoDataFrame(
            {"facility_id": ["P1"], "name": ["Puskesmas Barat"], "type": ["puskesmas"], "inpatient": [True]},
            crs=utm,
            geometry=[shapely.Point(401_000, 9_591_000)],
        )
    )
    line = shapely.LineString([(400_000, 9_591_000), (404_000, 9_591_000)])
    roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm, geometry=[line])
    region = Region(
        "contoh", "99.01", kab.to_crs(4326), kec.to_crs(4326), desa.to_crs(4326), fac, fac.iloc[0:0],
        roads.to_crs(4326), buffer_km=0.0,
    )  # fmt: skip
    result = ga.run_access(region, progress=False)
    wet = ga.with_flood_season(result)
    links = ga.with_critical_links(result, top=1)
    no_people = dataclasses.replace(result, cell_table=result.cell_table.assign(population=0.0))
    nobody = ga.with_critical_links(no_people)
    notes = [wet.assumptions["notes"][-1], *links.assumptions["critical_links"]["notes"]]
    notes.append(nobody.assumptions["notes"][-1])
    # the road loader: one line without geometry, one of zero length
    frame = gpd.GeoDataFrame(
        {"road_class": ["lokal"] * 3},
        crs=utm,
        geometry=[line, None, shapely.LineString([(401_000, 9_591_500)] * 2)],
    )
    road_notes: list[str] = []
    standardize_roads(
        frame, class_column="road_class", class_mapping=None, default_class=None, speed_column=None,
        oneway_column=None, osm=False, notes=road_notes,
    )  # fmt: skip
    notes += [n for n in road_notes if "dropped" in n]
    notes += [Note("note.no_own_puskesmas_nearest"), Note("note.fca_nobody_within", minutes="60")]
    notes.append(Note("note.flood_desa_no_population", n=2))
    assert len(notes) == 7 and all(isinstance(n, Note) for n in notes)
    english = [n for n in notes if any(e in n for e in ENGLISH_NOTE_SENTENCES)]
    assert english == notes  # each is one of the listed English sentences ...
    text = " | ".join(localize(notes, "id"))
    assert not [e for e in ENGLISH_NOTE_SENTENCES if e in text]  # ... and none is left in Indonesian
    assert localize(notes[0], "id") == (
        "tanpa lapisan bahaya banjir dan tanpa flood_hazard_index desa: tidak ada tabel musim banjir"
    )
    assert localize(notes[1], "id").endswith("ruas jalan kritis hanya untuk musim kemarau")
    assert localize(notes[3], "id") == (
        "dibuang: 1 fitur dengan geometri kosong atau hilang dan 1 bagian garis kosong atau berpanjang nol; "
        "perbaiki di sumber data agar tetap dipakai"
    )


def test_demo_in_indonesian(data_dir, tmp_path, capsys, monkeypatch):
    from matplotlib.figure import Figure

    from geoaccess import cli

    saved: dict[str, list[str]] = {}
    original = Figure.savefig

    def capture(self, fname, *args, **kwargs):
        saved[Path(str(fname)).name] = _figure_texts(self)
        return original(self, fname, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", capture)
    out_dir = tmp_path / "o"
    rc = cli.main(
        [
            *("demo", "--lang", "id", "--out", str(out_dir), "--no-progress"),
            *("--resolution", "500", "--data-dir", str(data_dir)),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    # CLI summary
    assert "penduduk: 653.749 jiwa" in out
    # the summary table: Indonesian separators too (mean/median/p90 33,0; people 245.017 (55%))
    assert re.search(r"\n +puskesmas: +\d+,\d +\d+,\d +\d+,\d   \d{1,3}(\.\d{3})* \(\d+%\) / ", out), out
    assert re.search(r"\nditulis dalam \d+,\d detik ke ", out), out
    assert "penduduk > 30 / 60 / 120 menit" in out
    assert "prioritas revitalisasi (5 kecamatan teratas):" in out
    assert "kecamatan tanpa puskesmas rawat inap:" in out
    assert "ditulis dalam" in out
    assert "people beyond 30 / 60 / 120 min" not in out and "\npopulation: " not in out
    # the run's notes and data sources: Indonesian in the CLI, the assumptions file and the
    # print map's source note (geoaccess.notes), no English sentence left
    import json

    assumptions = (out_dir / "muara_enim_assumptions.json").read_text(encoding="utf-8")
    notes = json.loads(assumptions)["notes"]
    # the print map (saved through a temporary name): the page whose text holds the source note
    source_note = next(
        " ".join(v).replace("\n", " ") for v in saved.values() if any(x.startswith("Sumber data:") for x in v)
    )
    for english in ENGLISH_NOTE_SENTENCES:
        for where, text in (("CLI", out), ("assumptions", assumptions), ("print map", source_note)):
            assert english not in text, (where, english)
    for indonesian in (
        "penduduk disebar merata di seluruh luas tiap desa (pembobotan luas)",
        "desa 'Ujanmas Ulu' (BPS 1603051009) tidak punya poligon; 3.964 jiwa penduduknya disebar",
        "jiwa memiliki puskesmas terdekat di seberang batas kabupaten",
        "perjalanan rujukan (mobil) melintasi lahan tanpa jalan terpetakan dengan 3 km/jam "
        "(perjalanan sepeda motor dari rumah: 10 km/jam)",
        "select(): 1 fasilitas rumah sakit tanpa lokasi tidak dihitung: F1603-RS077",
        "menggantikan pembacaan digit kode: F1603-PKM073 (Puskesmas Tanjung Raya): "
        "rawat inap -> bukan rawat inap",
    ):
        assert indonesian in out and any(indonesian in n for n in notes), indonesian
    assert "jalan: luring: hanya jalan nasional" in source_note
    # the network line (README, at 250 m: a 803 x 805 lattice; at 500 m half of it, rounded up)
    assert re.search(
        r"\nKabupaten Muara Enim: jaringan \(sepeda motor\): [\d.]+ simpul jalan, kisi 402x403 sel 500 m "
        r"\([\d.]+ sel dapat dilalui\), [\d.]+ sisi berarah, crs=EPSG:32748\n",
        out,
    )
    # the map: title, layer names, legends; the data gaps of its kecamatan popups
    page = (out_dir / "muara_enim_map.html").read_text(encoding="utf-8")
    for english in ENGLISH_NOTE_SENTENCES:
        assert english not in page, english
    assert "tidak ada puskesmas kecamatan ini dalam data" in page
    for text in (
        "Kabupaten Muara Enim: waktu tempuh ke puskesmas terdekat (semua) "
        "(sepeda motor, tertimbang jumlah penduduk per desa)",
        '"Waktu tempuh (menit)"',  # layer name in the layer control
        "Fasilitas kesehatan",
        "Jaringan jalan (terpetakan)",
        "Permukaan waktu tempuh (sel 500 m)",
        "Bahaya banjir (indeks BNPB per desa)",
        "≤ 15 menit",
        "&gt; 120 menit",
        "tidak terjangkau / tanpa data",
        "Puskesmas rawat inap",
        "Rumah sakit (RS/RSUD)",
        "Kelompok seperti Riskesdas",
    ):
        assert text in page, text
    for english in ("Travel time to the", "Mapped roads", "unreachable / no data", " people</span>"):
        assert english not in page, english
    # spreadsheet headers
    xlsx = pd.read_excel(out_dir / "muara_enim_priority_kecamatan_id.xlsx")
    assert "Skor prioritas (0-100)" in xlsx.columns and "Peringkat" in xlsx.columns
    # the data gaps: a labelled column, in Indonesian (Panang Enim has no puskesmas in the data)
    assert "Data yang kurang" in xlsx.columns and "Skor bertumpu pada data yang kurang" in xlsx.columns
    gaps = xlsx.set_index("Nama")["Data yang kurang"]
    assert gaps["Panang Enim"].startswith("tidak ada puskesmas kecamatan ini dalam data")
    # CSV keeps the code names (read back by programs)
    assert "puskesmas_travel_time_min" in pd.read_csv(out_dir / "muara_enim_desa.csv").columns
    # figures: matplotlib text objects, not pixels
    cov = saved["muara_enim_coverage_curve.png"]
    assert "Kabupaten Muara Enim: proporsi penduduk menurut waktu tempuh" in cov
    assert "Waktu tempuh (menit)" in cov and "Penduduk terjangkau (%)" in cov
    assert "pkm rawat inap" in cov and "rumah sakit" in cov
    bars = saved["muara_enim_kecamatan_bars.png"]
    assert "Kabupaten Muara Enim: waktu tempuh ke puskesmas terdekat (semua)" in bars
    assert "Persentase penduduk (%)" in bars and "0-15 menit" in bars and "Tidak terjangkau" in bars
    assert not any("Travel time" in s or "People" in s for s in cov + bars)


def test_csv_labels_and_english_map(tmp_path):
    from conftest import hand_region

    from geoaccess.pipeline import run_access, write_outputs

    res = run_access(hand_region(staff=False), resolution_m=500, progress=False)
    files = write_outputs(res, tmp_path / "id", language="id", csv_labels=True)
    desa = pd.read_csv(files["desa"], encoding="utf-8-sig")
    assert "Waktu tempuh ke puskesmas terdekat (menit)" in desa.columns and "Kode wilayah" in desa.columns
    files = write_outputs(res, tmp_path / "en")
    assert "puskesmas_travel_time_min" in pd.read_csv(files["desa"]).columns
    page = files["map"].read_text(encoding="utf-8")
    assert "travel time to the nearest puskesmas (any)" in page and "Waktu tempuh" not in page


def test_map_layers_take_lang():
    import geopandas as gpd
    from shapely.geometry import Point, box

    from geoaccess.outputs.maps import access_map

    desa = gpd.GeoDataFrame(
        {"name": ["A", "B"], "population": [10, 20], "travel_time_min": [12.0, None]},
        geometry=[box(103.7, -3.8, 103.8, -3.7), box(103.8, -3.8, 103.9, -3.7)],
        crs=4326,
    )
    fac = gpd.GeoDataFrame(
        {"name": ["PKM A"], "type": ["puskesmas"], "inpatient": [True]},
        geometry=[Point(103.75, -3.75)],
        crs=4326,
    )
    page_id = access_map(desa, fac, tiles=None, lang="id").get_root().render()
    assert "Waktu tempuh ke fasilitas kesehatan terdekat" in page_id and "10 jiwa" in page_id
    assert "Penduduk (jiwa)" in page_id and "Rawat inap" in page_id
    page_en = access_map(desa, fac, tiles=None).get_root().render()
    assert "Travel time to the nearest health facility" in page_en and "10 people" in page_en
    with pytest.raises(InputValidationError, match="lang"):
        access_map(desa, fac, tiles=None, lang="jv")


def test_a_note_is_english_text_that_renders_in_indonesian():
    import json
    import pickle
    import warnings

    from geoaccess.exceptions import GeoAccessWarning
    from geoaccess.notes import Joined, Note, localize, warning_note

    n = Note("note.nearest_across_border", people="1,200", n=3)
    english = (
        "1,200 people have their nearest puskesmas across the kabupaten border (3 puskesmas); "
        "they are left out of the facility priority table"
    )
    assert n == english and isinstance(n, str) and json.dumps([n]) == json.dumps([english])
    assert n.text("id") == (
        "1.200 jiwa memiliki puskesmas terdekat di seberang batas kabupaten (3 puskesmas); "
        "mereka tidak dihitung dalam tabel prioritas puskesmas"
    )
    # a note inside a note, joined notes, plain text: each in the output language
    both = Joined("; ", [Note("note.select", notes=Note("note.gap.inpatient_unknown")), "PKM-1"])
    assert both == "select(): inpatient status unknown; PKM-1"
    assert localize({"a": [both], "b": 2}, "id") == {
        "a": ["select(): status rawat inap tidak diketahui; PKM-1"],
        "b": 2,
    }
    # survives pickling (batch cache) and a warning (collected into the run's notes)
    assert pickle.loads(pickle.dumps(both)).text("id") == both.text("id")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn(n, GeoAccessWarning, stacklevel=1)
    assert warning_note(caught[0].message).text("id") == n.text("id")


def test_notes_of_a_run_without_population_in_indonesian(data_dir, tmp_path, capsys):
    """Sarolangun (15.03) has no desa population in the shared data: its notes say so, in Indonesian."""
    import json

    from geoaccess import cli

    out_dir = tmp_path / "o"
    rc = cli.main(
        [
            *("demo", "--region", "sarolangun", "--lang", "id", "--out", str(out_dir), "--no-progress"),
            *("--resolution", "1000", "--data-dir", str(data_dir)),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    notes = "\n".join(
        json.loads((out_dir / "sarolangun_assumptions.json").read_text(encoding="utf-8"))["notes"]
    )
    for english in (
        "no desa population exists for",
        "no desa has a population figure",
        "with NaN population not allocated",
        "labels are",
        "facilities have coordinate problems",
        "could not be placed in a kecamatan",
    ):
        assert english not in out and english not in notes, english
    for indonesian in (
        "data penduduk desa untuk Sarolangun (15.03) tidak ada dalam data bersama",
        "tidak ada desa dengan angka penduduk: tabel cakupan, pemerataan, kemiskinan, 2SFCA dan prioritas",
        "allocate_population: 158 poligon dengan penduduk NaN tidak dialokasikan",
    ):
        assert indonesian in out and indonesian in notes, indonesian


def test_indonesian_numbers_use_indonesian_separators():
    """An Indonesian reads "4,974" as 4.974: in ``lang="id"`` numbers get ``.`` for thousands
    and ``,`` for decimals, whether the caller passes a number or an ``f"{x:,.0f}"`` string."""
    from geoaccess.notes import Note

    # strings formatted in English by the caller, swapped by hand: 9,800,000,000 -> 9.800.000.000
    assert t("cli.plan.cost", "id", cost="9,800,000,000") == t("cli.plan.cost", "id", cost="9.800.000.000")
    assert "9.800.000.000" in t("cli.plan.cost", "id", cost="9,800,000,000")
    assert "9,800,000,000" in t("cli.plan.cost", "en", cost="9,800,000,000")
    assert t("map.count_people", "id", n="1,234.5") == "1.234,5 jiwa"
    assert t("map.count_people", "id", n="-12,345%") == "-12.345% jiwa"
    assert t("map.count_people", "en", n="1,234.5") == "1,234.5 people"
    # no thousands separator: a kabupaten code, a version, a plain count stay as they are
    for v in ("16.04", "1.2.0", "653749", "1,23", "12,3456", "F1603-RS077"):
        assert t("map.count_people", "id", n=v) == f"{v} jiwa", v
    # numbers passed as numbers; format specs in the Indonesian text: 12.25 -> "12,2", 1234 -> "1234"
    assert t("map.count_people", "id", n=1234) == "1234 jiwa"
    assert t("map.count_people", "id", n=0.5) == "0,5 jiwa"
    assert t("fig.within", "id", s=12.25, t=60) == "12% dalam 60 menit"
    assert t("fig.within", "en", s=12.25, t=60) == "12% within 60 min"
    assert t("fig.unreach", "id", s=12.25) == "12,2% tidak dapat menjangkau fasilitas"
    assert t("fig.unreach", "en", s=12.25) == "12.2% cannot reach a facility"
    # notes render through t(): the English text keeps English separators
    n = Note("note.nearest_across_border", people="4,974", n=3)
    assert n.startswith("4,974 people") and n.text("id").startswith("4.974 jiwa")
