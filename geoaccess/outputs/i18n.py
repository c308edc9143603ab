"""The one catalogue of user-facing strings, in English (``"en"``) and Bahasa Indonesia (``"id"``).

Every text a planner reads in a geoaccess output comes from here: map titles, legends,
layer names, tooltips and popups (:mod:`geoaccess.outputs.maps`), table column labels
(CSV with labels, XLSX, GeoPackage: :func:`column_label`), figure titles and axis labels
(:mod:`geoaccess.outputs.report`, :mod:`geoaccess.outputs.proposal`), the titles
:func:`geoaccess.pipeline.write_outputs` gives its map and figures, and the summary the
command line prints.

- :data:`STRINGS`: key -> ``{"en": ..., "id": ...}``; read with :func:`t`, which fills
  ``{placeholders}`` with :meth:`str.format`.
- :data:`COLUMNS`: column name -> label per language; :data:`COLUMN_PATTERNS` label the
  columns built from numbers (``people_beyond_60_min``), :data:`COLUMN_CATEGORIES` and
  :data:`COLUMN_CATEGORY_PARTS` the per-category columns (``inpatient_travel_time_min``);
  read with :func:`column_label`.

Rules (checked by ``tests/test_i18n.py``)
-----------------------------------------
- Every entry has both languages, non-empty, with the same ``{placeholders}``.
- The output modules (``geoaccess/outputs/maps/*.py``, ``report.py``, ``proposal.py``)
  pass no English text literal as a layer ``name=``, ``title=``, ``aliases=``,
  ``tooltip=`` or ``label=``, nor to ``set_title`` / ``set_xlabel`` / ``set_ylabel``, and
  no function there has a default ``name`` / ``title`` that is English text: they take
  ``None`` and look the text up with ``t(key, lang)``. Data values (facility names,
  ``hazard_class`` values such as ``tinggi``) and CSS/HTML are not text to translate.
- Indonesian uses the words of Dinkes staff: puskesmas (rawat inap), pustu, posyandu,
  rumah sakit / RSUD, waktu tempuh, menit, penduduk (jiwa), desa, kecamatan,
  kabupaten, jangkauan / terjangkau.
- The English text is the text geoaccess printed before the catalogue existed; the
  README's figures are tested against the English command-line summary, so English
  entries change only together with the README.

The catalogue itself (:data:`STRINGS`, :func:`t`, :func:`check_lang`, :func:`placeholders`)
is defined in the stage-neutral ``geoaccess._catalogue``, since the run notes of the loaders
(:mod:`geoaccess.notes`) render from it too, and re-exported here; the column labels are
this module's own.

Adding a string: add the key with both languages to ``STRINGS`` in
``geoaccess/_catalogue.py``, then call ``t("key", lang)``.
"""

from __future__ import annotations

import re

from .. import _catalogue
from .._catalogue import check_lang, placeholders, t

__all__ = [
    "COLUMNS",
    "COLUMN_CATEGORIES",
    "COLUMN_CATEGORY_PARTS",
    "COLUMN_PATTERNS",
    "LANGS",
    "STRINGS",
    "check_lang",
    "column_label",
    "placeholders",
    "t",
]

#: The languages of every entry.
LANGS: tuple[str, ...] = _catalogue.LANGS

#: Every other user-facing string (figures, maps, command line): key -> {language: text}.
#:
#: :meta hide-value:
STRINGS: dict[str, dict[str, str]] = _catalogue.STRINGS

#: Report labels of geoaccess column names.
#:
#: :meta hide-value:
COLUMNS: dict[str, dict[str, str]] = {
    "inpatient_source": {"en": "Source of the inpatient status", "id": "Sumber status rawat inap"},
    "location_quality": {"en": "Location quality", "id": "Kualitas lokasi"},
    "coord_problem": {"en": "Coordinate problem", "id": "Masalah koordinat"},
    "coord_quality": {"en": "Coordinate quality (source)", "id": "Kualitas koordinat (sumber)"},
    "lat": {"en": "Latitude (source)", "id": "Lintang (sumber)"},
    "lon": {"en": "Longitude (source)", "id": "Bujur (sumber)"},
    "lat_used": {"en": "Latitude used", "id": "Lintang yang dipakai"},
    "lon_used": {"en": "Longitude used", "id": "Bujur yang dipakai"},
    "pkm_code_type_digit": {
        "en": "Puskesmas code type digit (1 = inpatient, unverified)",
        "id": "Digit jenis kode puskesmas (1 = rawat inap, belum diverifikasi)",
    },
    "staff_total_2019": {"en": "Health workers 2019", "id": "Tenaga kesehatan 2019"},
    "staff_medis_2019": {"en": "Doctors 2019", "id": "Tenaga medis 2019"},
    "staff_perawat_2019": {"en": "Nurses 2019", "id": "Perawat 2019"},
    "staff_bidan_2019": {"en": "Midwives 2019", "id": "Bidan 2019"},
    "neighbour": {"en": "In a neighbouring kabupaten", "id": "Di kabupaten tetangga"},
    "in_kabupaten": {"en": "In the kabupaten", "id": "Di dalam kabupaten"},
    "population": {"en": "Population (persons)", "id": "Jumlah penduduk"},
    "travel_time_min": {"en": "Travel time (min)", "id": "Waktu tempuh (menit)"},
    "travel_time_band": {"en": "Travel time band", "id": "Kelompok waktu tempuh"},
    "facility_id": {"en": "Facility ID", "id": "ID fasilitas"},
    "name": {"en": "Name", "id": "Nama"},
    "code": {"en": "Area code", "id": "Kode wilayah"},
    "level": {"en": "Administrative level", "id": "Tingkat wilayah"},
    "desa": {"en": "Desa/kelurahan", "id": "Desa/kelurahan"},
    "kecamatan": {"en": "Kecamatan", "id": "Kecamatan"},
    "kabupaten": {"en": "Kabupaten", "id": "Kabupaten"},
    "kecamatan_code": {"en": "Kecamatan code", "id": "Kode kecamatan"},
    "kabupaten_code": {"en": "Kabupaten code", "id": "Kode kabupaten"},
    "type": {"en": "Facility type", "id": "Jenis fasilitas"},
    "inpatient": {"en": "Inpatient (rawat inap)", "id": "Rawat inap"},
    "staff": {"en": "Health workers", "id": "Jumlah tenaga kesehatan"},
    "beds": {"en": "Beds", "id": "Jumlah tempat tidur"},
    "reachable": {"en": "Reachable", "id": "Terjangkau"},
    "access_dist_m": {"en": "Distance to nearest road (m)", "id": "Jarak ke jalan terdekat (m)"},
    "access_time_min": {"en": "Time to nearest road (min)", "id": "Waktu ke jalan terdekat (menit)"},
    "far_from_road": {"en": "Far from road", "id": "Jauh dari jalan"},
    "n_units": {"en": "Number of units (desa/cells)", "id": "Jumlah unit (desa/sel)"},
    "people_unreachable": {
        "en": "People with no reachable facility",
        "id": "Penduduk tidak terjangkau (jiwa)",
    },
    "share_unreachable": {
        "en": "Share with no reachable facility (0-1)",
        "id": "Proporsi penduduk tidak terjangkau (0-1)",
    },
    "mean_travel_time_min": {"en": "Mean travel time (min)", "id": "Rata-rata waktu tempuh (menit)"},
    "median_travel_time_min": {"en": "Median travel time (min)", "id": "Median waktu tempuh (menit)"},
    "p90_travel_time_min": {
        "en": "90th percentile travel time (min)",
        "id": "Persentil ke-90 waktu tempuh (menit)",
    },
    "scope": {"en": "Scope", "id": "Cakupan"},
    "group": {"en": "Group", "id": "Kelompok"},
    "people_unreachable_excluded": {
        "en": "People with no reachable facility (left out)",
        "id": "Penduduk tidak terjangkau (tidak dihitung) (jiwa)",
    },
    "gini": {"en": "Gini index of travel time", "id": "Indeks Gini waktu tempuh"},
    "theil": {"en": "Theil index of travel time", "id": "Indeks Theil waktu tempuh"},
    "theil_share": {"en": "Share of total Theil index (0-1)", "id": "Kontribusi terhadap indeks Theil (0-1)"},
    "n_units_excluded": {"en": "Units left out", "id": "Jumlah unit tidak dihitung"},
    "weighted_correlation": {"en": "Population-weighted correlation", "id": "Korelasi tertimbang penduduk"},
    "slope_min_per_poverty_point": {
        "en": "Slope (min per poverty point)",
        "id": "Kemiringan (menit per poin kemiskinan)",
    },
    "intercept_min": {"en": "Intercept (min)", "id": "Intersep (menit)"},
    "note": {"en": "Note", "id": "Catatan"},
    "puskesmas_id": {"en": "Nearest puskesmas ID", "id": "ID puskesmas terdekat"},
    "travel_time_to_puskesmas_min": {
        "en": "Travel time to puskesmas (min)",
        "id": "Waktu tempuh ke puskesmas (menit)",
    },
    "hospital_id": {"en": "Referral hospital ID", "id": "ID rumah sakit rujukan"},
    "travel_time_puskesmas_to_hospital_min": {
        "en": "Travel time puskesmas to hospital (min)",
        "id": "Waktu tempuh puskesmas ke rumah sakit (menit)",
    },
    "referral_time_min": {"en": "Total referral time (min)", "id": "Total waktu rujukan (menit)"},
    "people_within": {"en": "People within this time", "id": "Penduduk terjangkau dalam waktu ini (jiwa)"},
    "share_within": {
        "en": "Share of population within this time (0-1)",
        "id": "Proporsi penduduk terjangkau dalam waktu ini (0-1)",
    },
    "access_per_1000": {
        "en": "Health workers within reach per 1,000 people (E2SFCA)",
        "id": "Tenaga kesehatan terjangkau per 1.000 penduduk (E2SFCA)",
    },
    "n_puskesmas": {"en": "Number of puskesmas", "id": "Jumlah puskesmas"},
    "n_inpatient": {"en": "Number of inpatient puskesmas", "id": "Jumlah puskesmas rawat inap"},
    "n_inpatient_unknown": {
        "en": "Puskesmas with unknown inpatient status",
        "id": "Jumlah puskesmas status rawat inap tidak diketahui",
    },
    "n_hospital": {"en": "Number of hospitals", "id": "Jumlah rumah sakit"},
    "meets_pp47_2016": {
        "en": "Meets PP 47/2016 (at least 1 puskesmas)",
        "id": "Memenuhi PP 47/2016 (min. 1 puskesmas)",
    },
    "meets_inpatient_target": {
        "en": "Meets inpatient puskesmas target",
        "id": "Memenuhi target puskesmas rawat inap",
    },
    "failed_targets": {"en": "Targets not met", "id": "Target yang tidak terpenuhi"},
    "assigned_kecamatan_code": {"en": "Assigned kecamatan code", "id": "Kode kecamatan (hasil penetapan)"},
    "assigned_kecamatan_name": {"en": "Assigned kecamatan", "id": "Kecamatan (hasil penetapan)"},
    "kecamatan_assigned_by": {"en": "Kecamatan assigned by", "id": "Cara penetapan kecamatan"},
    "kecamatan_column_agrees": {"en": "Agrees with kecamatan column", "id": "Sesuai kolom kecamatan"},
    "population_served": {"en": "Population served (persons)", "id": "Penduduk wilayah layanan (jiwa)"},
    "staff_per_1000": {"en": "Health workers per 1,000 people", "id": "Tenaga kesehatan per 1.000 penduduk"},
    "beds_per_1000": {"en": "Beds per 1,000 people", "id": "Tempat tidur per 1.000 penduduk"},
    "flood_exposure": {"en": "Flood exposure", "id": "Keterpaparan banjir"},
    "season": {"en": "Season", "id": "Musim"},
    "category": {"en": "Facility category", "id": "Kategori fasilitas"},
    "mean_min_before": {
        "en": "Mean travel time before, of people who can reach it before (min)",
        "id": "Rata-rata waktu tempuh sebelum, penduduk yang terjangkau sebelum (menit)",
    },
    "mean_min_after": {
        "en": "Mean travel time after, of people who can reach it after (min)",
        "id": "Rata-rata waktu tempuh sesudah, penduduk yang terjangkau sesudah (menit)",
    },
    "people_reachable_both": {
        "en": "People who can reach it before and after",
        "id": "Penduduk yang terjangkau sebelum dan sesudah (jiwa)",
    },
    "mean_min_before_reachable_both": {
        "en": "Mean travel time before, of people who can reach it before and after (min)",
        "id": "Rata-rata waktu tempuh sebelum, penduduk yang terjangkau sebelum dan sesudah (menit)",
    },
    "mean_min_after_reachable_both": {
        "en": "Mean travel time after, of people who can reach it before and after (min)",
        "id": "Rata-rata waktu tempuh sesudah, penduduk yang terjangkau sebelum dan sesudah (menit)",
    },
    "people_newly_unreachable": {
        "en": "People newly cut off",
        "id": "Penduduk yang menjadi tidak terjangkau (jiwa)",
    },
    "people_newly_reachable": {
        "en": "People newly reachable",
        "id": "Penduduk yang menjadi terjangkau (jiwa)",
    },
    "person_min_saved": {"en": "Person-minutes saved", "id": "Jiwa-menit yang dihemat"},
    "minutes_saved_per_person": {"en": "Minutes saved per person", "id": "Menit yang dihemat per jiwa"},
    "link_id": {"en": "Road link ID", "id": "ID ruas jalan"},
    "road_name": {"en": "Road name", "id": "Nama ruas jalan"},
    "road_class": {"en": "Road class", "id": "Kelas jalan"},
    "length_m": {"en": "Length (m)", "id": "Panjang (m)"},
    "n_pieces": {"en": "Road pieces", "id": "Jumlah potongan jalan"},
    "person_min_delay": {
        "en": "Delay if cut (person-minutes)",
        "id": "Tambahan waktu bila terputus (jiwa-menit)",
    },
    "people_cut_off": {"en": "People cut off if cut", "id": "Penduduk terisolasi bila terputus (jiwa)"},
    "people_routed": {
        "en": "People whose fastest trip uses the link",
        "id": "Penduduk yang rute tercepatnya melewati ruas ini (jiwa)",
    },
    "nodes_recomputed": {"en": "Graph nodes recomputed", "id": "Jumlah simpul graf dihitung ulang"},
    "poverty_rate": {"en": "Poverty rate (%)", "id": "Tingkat kemiskinan (%)"},
    "poverty_rate_idm": {"en": "Poverty rate (%, IDM)", "id": "Tingkat kemiskinan (%, IDM)"},
    "priority_score": {"en": "Priority score (0-100)", "id": "Skor prioritas (0-100)"},
    "rank": {"en": "Rank", "id": "Peringkat"},
    "indicators_missing": {"en": "Indicators missing", "id": "Indikator tidak tersedia"},
    "data_gaps": {"en": "Data gaps", "id": "Data yang kurang"},
    "score_rests_on_gaps": {"en": "Score rests on data gaps", "id": "Skor bertumpu pada data yang kurang"},
    "location_reason": {"en": "Why the location is approximate", "id": "Alasan lokasi perkiraan"},
    "site_id": {"en": "Site ID", "id": "ID lokasi"},
    "action": {"en": "Action (build / upgrade)", "id": "Tindakan (bangun baru / tingkatkan)"},
    "cost_idr": {"en": "Cost (Rp)", "id": "Biaya (Rp)"},
    "cumulative_cost_idr": {"en": "Cumulative cost (Rp)", "id": "Biaya kumulatif (Rp)"},
    "people_per_miliar_idr": {
        "en": "People gained per Rp 1 miliar",
        "id": "Tambahan penduduk terjangkau per Rp 1 miliar (jiwa)",
    },
    "for_target": {
        "en": "For the program target (kecamatan without an inpatient puskesmas)",
        "id": "Untuk target program (kecamatan tanpa puskesmas rawat inap)",
    },
}

#: Labels of columns built from numbers of minutes: (regex, {language: template}).
COLUMN_PATTERNS: tuple[tuple[str, dict[str, str]], ...] = (
    (
        "people_newly_within_([0-9p]+)_min",
        {"en": "People newly within {0} min", "id": "Penduduk yang baru terjangkau dalam {0} menit (jiwa)"},
    ),
    (
        "people_within_([0-9p]+)_min_cumulative",
        {"en": "People within {0} min, cumulative", "id": "Penduduk dalam {0} menit, kumulatif (jiwa)"},
    ),
    (
        "people_beyond_([0-9p]+)_min",
        {
            "en": "People beyond {0} min or unreachable",
            "id": "Penduduk > {0} menit atau tidak terjangkau (jiwa)",
        },
    ),
    (
        "share_beyond_([0-9p]+)_min",
        {
            "en": "Share beyond {0} min or unreachable (0-1)",
            "id": "Proporsi penduduk > {0} menit atau tidak terjangkau (0-1)",
        },
    ),
    (
        "people_pushed_beyond_([0-9p]+)_min",
        {
            "en": "People pushed beyond {0} min if cut",
            "id": "Penduduk yang menjadi > {0} menit bila terputus (jiwa)",
        },
    ),
    (
        "people_no_longer_within_([0-9p]+)_min",
        {
            "en": "People no longer within {0} min (pushed beyond)",
            "id": "Penduduk yang tidak lagi terjangkau dalam {0} menit (jiwa)",
        },
    ),
    (
        "people_over_([0-9p]+)_min",
        {"en": "People at > {0} min", "id": "Penduduk waktu tempuh > {0} menit (jiwa)"},
    ),
    (
        "share_over_([0-9p]+)_min",
        {"en": "Share at > {0} min (0-1)", "id": "Proporsi penduduk waktu tempuh > {0} menit (0-1)"},
    ),
    (
        "people_([0-9p]+)_([0-9p]+)_min",
        {"en": "People at {0}-{1} min", "id": "Penduduk waktu tempuh {0}-{1} menit (jiwa)"},
    ),
    (
        "share_([0-9p]+)_([0-9p]+)_min",
        {"en": "Share at {0}-{1} min (0-1)", "id": "Proporsi penduduk waktu tempuh {0}-{1} menit (0-1)"},
    ),
)

COLUMN_CATEGORIES: dict[str, dict[str, str]] = {
    "puskesmas": {"en": "nearest puskesmas", "id": "puskesmas terdekat"},
    "inpatient": {"en": "nearest inpatient puskesmas", "id": "puskesmas rawat inap terdekat"},
    "hospital": {"en": "nearest hospital", "id": "rumah sakit terdekat"},
    "referral": {
        "en": "hospital via the nearest puskesmas (referral)",
        "id": "rumah sakit melalui puskesmas terdekat (rujukan)",
    },
}

COLUMN_CATEGORY_PARTS: dict[str, dict[str, str]] = {
    "travel_time_min": {"en": "Travel time to the {0} (min)", "id": "Waktu tempuh ke {0} (menit)"},
    "point_travel_time_min": {
        "en": "Travel time from the desa point to the {0} (min)",
        "id": "Waktu tempuh dari titik desa ke {0} (menit)",
    },
    "facility_id": {"en": "ID of the {0}", "id": "ID {0}"},
    "people_unreachable": {
        "en": "People who cannot reach the {0}",
        "id": "Penduduk yang tidak dapat mencapai {0} (jiwa)",
    },
    "mode_chain": {
        "en": "How most people travel to the {0} (road / boat / road+boat / offroad)",
        "id": "Cara sebagian besar penduduk menuju {0} (jalan / perahu / jalan+perahu / luar jalan)",
    },
    "point_mode_chain": {
        "en": "How the trip from the desa point to the {0} travels",
        "id": "Cara perjalanan dari titik desa ke {0}",
    },
    "boat_boardings": {"en": "Boats boarded on the way to the {0}", "id": "Jumlah naik perahu menuju {0}"},
    "people_by_boat": {
        "en": "People who go to the {0} by boat",
        "id": "Penduduk yang menuju {0} dengan perahu (jiwa)",
    },
    "boat_fare_idr": {"en": "Boat fare to the {0} (Rp)", "id": "Ongkos perahu menuju {0} (Rp)"},
    "mean_boat_fare_idr": {
        "en": "Mean boat fare per trip to the {0} (Rp)",
        "id": "Rata-rata ongkos perahu per perjalanan menuju {0} (Rp)",
    },
    "staff_per_1000_e2sfca": {
        "en": "Health workers of the kabupaten's puskesmas within 60 min per 1,000 people (E2SFCA)",
        "id": "Tenaga kesehatan puskesmas kabupaten dalam 60 menit per 1.000 penduduk (E2SFCA)",
    },
}


def _num(stem: str) -> str:
    """Column-name number back to text: '7p5' -> '7.5'."""
    return stem.replace("p", ".").replace("m", "-")


def column_label(name: str, language: str = "en") -> str:
    """Planner-readable label of one geoaccess column name.

    Parameters
    ----------
    name : str
        Column name, e.g. ``"people_beyond_60_min"``.
    language : {"en", "id"}
        English or Indonesian.

    Returns
    -------
    str
        The label; the name itself when geoaccess does not know it.

    Examples
    --------
    >>> column_label("travel_time_min", "id")
    'Waktu tempuh (menit)'
    >>> column_label("people_beyond_60_min", "id")
    'Penduduk > 60 menit atau tidak terjangkau (jiwa)'
    >>> column_label("share_16_30_min", "en")
    'Share at 16-30 min (0-1)'
    """
    check_lang(language, "language")
    name_s = str(name)
    if name_s in COLUMNS:
        return COLUMNS[name_s][language]
    for pattern, templates in COLUMN_PATTERNS:
        m = re.fullmatch(pattern, name_s)
        if m:
            nums = [_num(g) for g in m.groups()]
            return templates[language].format(*nums)
    m = re.fullmatch(r"(norm|points)_(.+)", name_s)
    if m:
        inner = column_label(m.group(2), language)
        return t(f"column.{m.group(1)}", language, inner=inner)
    m = re.fullmatch(r"(.+)_per_1000", name_s)
    if m:
        return t("column.per_1000", language, inner=column_label(m.group(1), language))
    m = re.fullmatch(r"(puskesmas|inpatient|hospital|referral)_(.+)", name_s)
    if m:
        cat = COLUMN_CATEGORIES[m.group(1)][language]
        if m.group(2) in COLUMN_CATEGORY_PARTS:
            return COLUMN_CATEGORY_PARTS[m.group(2)][language].format(cat)
        inner = column_label(m.group(2), language)
        if inner != m.group(2):  # e.g. puskesmas_people_beyond_60_min
            return t("column.in_category", language, inner=inner, category=cat)
    return name_s
