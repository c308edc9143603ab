"""The string catalogue of geoaccess: every user-facing text in English and Bahasa Indonesia.

:data:`STRINGS` (key -> ``{"en": ..., "id": ...}``), :func:`t` (the text of a key in a
language, placeholders filled, numbers with Indonesian separators in ``"id"``),
:func:`check_lang` and :func:`placeholders`. It belongs to no stage: the run notes
(:mod:`geoaccess.notes`) that the loaders and the engine write, the pipeline and the
outputs all read it, so it imports nothing of geoaccess but the argument check.
:mod:`geoaccess.outputs.i18n` re-exports it with the column labels of the output tables;
its docstring gives the catalogue's rules and how to add a string.
"""

from __future__ import annotations

import numbers
import re
import string
from typing import Any

#: The languages of every entry.
LANGS: tuple[str, ...] = ("en", "id")

#: Every other user-facing string (figures, maps, command line): key -> {language: text}.
#:
#: :meta hide-value:
STRINGS: dict[str, dict[str, str]] = {
    # figures (report.py, proposal.py)
    "fig.cum_title": {"en": "Cumulative coverage", "id": "Cakupan kumulatif"},
    "fig.cum_x": {"en": "Travel time (min)", "id": "Waktu tempuh (menit)"},
    "fig.cum_y": {"en": "Population within (%)", "id": "Penduduk terjangkau (%)"},
    "fig.within": {"en": "{s:.0f}% within {t} min", "id": "{s:.0f}% dalam {t} menit"},
    "fig.unreach": {
        "en": "{s:.1f}% cannot reach a facility",
        "id": "{s:.1f}% tidak dapat menjangkau fasilitas",
    },
    "fig.all": {"en": "All", "id": "Semua"},
    "fig.bars_title": {"en": "Population by travel time", "id": "Penduduk menurut waktu tempuh"},
    "fig.bars_x_people": {"en": "People", "id": "Jumlah penduduk (jiwa)"},
    "fig.bars_x_share": {"en": "Share of population (%)", "id": "Persentase penduduk (%)"},
    "fig.unreachable": {"en": "Unreachable", "id": "Tidak terjangkau"},
    "budget.title": {
        "en": "People within {t} min of an inpatient puskesmas, by budget",
        "id": "Penduduk dalam {t} menit dari puskesmas rawat inap, menurut anggaran",
    },
    "budget.x": {"en": "Budget (Rp miliar)", "id": "Anggaran (Rp miliar)"},
    "budget.y": {"en": "People within {t} min", "id": "Penduduk dalam {t} menit (jiwa)"},
    "budget.base": {"en": "today", "id": "saat ini"},
    "budget.src1": {
        "en": "points: the proposed sites in order (one run)",
        "id": "titik: lokasi usulan berurutan (satu perhitungan)",
    },
    "budget.srcn": {"en": "points: one run per budget", "id": "titik: satu perhitungan per anggaran"},
    "action.new": {"en": "build new puskesmas", "id": "bangun puskesmas baru"},
    "action.upgrade": {"en": "upgrade to inpatient", "id": "tingkatkan menjadi rawat inap"},
    "sheet.proposal": {"en": "proposal", "id": "usulan"},
    # column labels built around another label (column_label)
    "column.norm": {"en": "Normalised: {inner} (0-1)", "id": "Nilai normalisasi: {inner} (0-1)"},
    "column.points": {"en": "Points: {inner}", "id": "Poin: {inner}"},
    "column.per_1000": {"en": "{inner} per 1,000 people", "id": "{inner} per 1.000 penduduk"},
    "column.in_category": {"en": "{inner} ({category})", "id": "{inner} ({category})"},
    # units and short words
    "unit.min": {"en": "min", "id": "menit"},
    "word.yes": {"en": "yes", "id": "ya"},
    "word.no": {"en": "no", "id": "tidak"},
    "word.unknown": {"en": "unknown", "id": "tidak diketahui"},
    # facility categories of a run (pipeline.CATEGORIES is the English column)
    "category.puskesmas": {"en": "nearest puskesmas (any)", "id": "puskesmas terdekat (semua)"},
    "category.inpatient": {
        "en": "nearest inpatient (rawat inap) puskesmas",
        "id": "puskesmas rawat inap terdekat",
    },
    "category.hospital": {"en": "nearest hospital (rumah sakit)", "id": "rumah sakit (RS/RSUD) terdekat"},
    "category.referral": {
        "en": "hospital via the nearest puskesmas (referral)",
        "id": "rumah sakit melalui puskesmas terdekat (rujukan)",
    },
    # short category names (figure legends, summary rows, scenario layer)
    "category_short.puskesmas": {"en": "puskesmas", "id": "puskesmas"},
    "category_short.inpatient": {"en": "inpatient", "id": "pkm rawat inap"},
    "category_short.hospital": {"en": "hospital", "id": "rumah sakit"},
    "category_short.referral": {"en": "referral", "id": "rujukan"},
    # travel modes
    "mode.motorbike": {"en": "motorbike", "id": "sepeda motor"},
    "mode.car": {"en": "car", "id": "mobil"},
    "mode.walk": {"en": "walk", "id": "jalan kaki"},
    # titles write_outputs gives its map and figures
    "output.coverage_title": {
        "en": "{name}: share of people within each travel time",
        "id": "{name}: proporsi penduduk menurut waktu tempuh",
    },
    "output.bars_title": {
        "en": "{name}: travel time to the {category}",
        "id": "{name}: waktu tempuh ke {category}",
    },
    "output.map_title": {
        "en": "{name}: travel time to the {category} ({mode}, population-weighted per desa)",
        "id": "{name}: waktu tempuh ke {category} ({mode}, tertimbang jumlah penduduk per desa)",
    },
    "output.surface": {
        "en": "Travel time surface ({res} m cells)",
        "id": "Permukaan waktu tempuh (sel {res} m)",
    },
    "output.flood_layer": {
        "en": "Flood hazard (BNPB index per desa)",
        "id": "Bahaya banjir (indeks BNPB per desa)",
    },
    "output.plan_title": {
        "en": "{name}: proposed inpatient puskesmas for Rp {budget} miliar",
        "id": "{name}: usulan puskesmas rawat inap untuk Rp {budget} miliar",
    },
    "output.budget_title": {
        "en": "{name}: people within 60 min of an inpatient puskesmas, by budget",
        "id": "{name}: penduduk dalam 60 menit dari puskesmas rawat inap, menurut anggaran",
    },
    # maps: travel-time bands (base.py)
    "map.no_data": {"en": "unreachable / no data", "id": "tidak terjangkau / tanpa data"},
    "map.band_first": {"en": "≤ {b} min", "id": "≤ {b} menit"},
    "map.band_mid": {"en": "{a}–{b} min", "id": "{a}–{b} menit"},
    "map.band_last": {"en": "> {a} min", "id": "> {a} menit"},
    # maps: areas (areas.py)
    "map.layer.travel_time_col": {"en": "Travel time ({col})", "id": "Waktu tempuh ({col})"},
    "map.layer.kecamatan": {"en": "Kecamatan", "id": "Kecamatan"},
    "map.layer.osm": {"en": "OpenStreetMap (internet)", "id": "OpenStreetMap (perlu internet)"},
    "map.layer.names": {"en": "Place names", "id": "Nama wilayah"},
    "map.alias.name": {"en": "Name", "id": "Nama"},
    "map.alias.population": {"en": "Population", "id": "Penduduk (jiwa)"},
    "map.alias.people_unreachable": {
        "en": "People who cannot reach one (not in the mean time)",
        "id": "Penduduk yang tidak dapat menjangkau (tidak masuk rata-rata waktu)",
    },
    "map.alias.facility_name": {"en": "Nearest facility", "id": "Fasilitas terdekat"},
    "map.alias.facility_id": {"en": "Nearest facility id", "id": "ID fasilitas terdekat"},
    "map.alias.code": {"en": "Code", "id": "Kode wilayah"},
    "map.alias.data_gaps": {"en": "Score rests on data gaps", "id": "Skor bertumpu pada data yang kurang"},
    "map.alias.travel_time": {"en": "Travel time (min)", "id": "Waktu tempuh (menit)"},
    "map.alias.band": {"en": "Band", "id": "Kelompok waktu tempuh"},
    "map.gap_suffix": {
        "en": "{name} (score rests on data gaps)",
        "id": "{name} (skor bertumpu pada data yang kurang)",
    },
    "map.count_people": {"en": "{n} people", "id": "{n} jiwa"},
    "map.note.counts_people": {
        "en": "Counts: areas · people per band, each area classed by its own time (the tables "
        "count people cell by cell, so their band totals differ).",
        "id": "Jumlah: wilayah · penduduk per kelompok, tiap wilayah menurut waktu tempuhnya sendiri "
        "(tabel menghitung penduduk per sel, jadi totalnya per kelompok berbeda).",
    },
    "map.note.counts_areas": {"en": "Counts: areas per band.", "id": "Jumlah: wilayah per kelompok."},
    "map.note.riskesdas": {
        "en": " Bands as in Riskesdas (≤15, 16–30, 31–60, &gt;60 min) plus 120 min.",
        "id": " Kelompok seperti Riskesdas (≤15, 16–30, 31–60, &gt;60 menit) ditambah 120 menit.",
    },
    # maps: one-call map (overview.py)
    "map.layer.travel_time": {"en": "Travel time (minutes)", "id": "Waktu tempuh (menit)"},
    "map.title.default": {
        "en": "Travel time to the nearest health facility",
        "id": "Waktu tempuh ke fasilitas kesehatan terdekat",
    },
    # maps: roads and surface (roads.py, surface.py)
    "map.layer.roads": {"en": "Mapped roads", "id": "Jaringan jalan (terpetakan)"},
    "map.alias.road_class": {"en": "road_class", "id": "Kelas jalan"},
    "map.alias.class_source": {"en": "class_source", "id": "Sumber kelas jalan"},
    "map.layer.surface": {"en": "Travel time surface", "id": "Permukaan waktu tempuh"},
    # maps: facilities (facilities.py)
    "map.layer.facilities": {"en": "Facilities", "id": "Fasilitas kesehatan"},
    "facility.rs": {"en": "Rumah sakit (hospital)", "id": "Rumah sakit (RS/RSUD)"},
    "facility.puskesmas": {"en": "Puskesmas", "id": "Puskesmas"},
    "facility.klinik": {"en": "Klinik (clinic)", "id": "Klinik"},
    "facility.pustu": {"en": "Pustu (puskesmas pembantu)", "id": "Pustu (puskesmas pembantu)"},
    "facility.posyandu": {"en": "Posyandu", "id": "Posyandu"},
    "facility.other": {"en": "Other type", "id": "Jenis lain"},
    "facility.other_named": {"en": "Other: {type}", "id": "Lainnya: {type}"},
    "facility.no_type": {"en": "no type", "id": "tanpa jenis"},
    "facility.type_unknown": {"en": "type ?", "id": "jenis ?"},
    "facility.tip_inpatient": {"en": ", rawat inap", "id": ", rawat inap"},
    "facility.tip_approx": {"en": ", approximate location", "id": ", lokasi perkiraan"},
    "facility.quality.source": {"en": "as given by the source", "id": "sesuai sumber data"},
    "facility.quality.desa_centroid": {
        "en": "APPROXIMATE: placed at the desa centroid (real site unknown)",
        "id": "PERKIRAAN: di titik tengah desa (lokasi sebenarnya tidak diketahui)",
    },
    "facility.quality.kecamatan_centroid": {
        "en": "APPROXIMATE: placed at the kecamatan centroid (real site unknown)",
        "id": "PERKIRAAN: di titik tengah kecamatan (lokasi sebenarnya tidak diketahui)",
    },
    "facility.quality.missing": {"en": "missing", "id": "tidak ada"},
    "facility.alias.id": {"en": "ID", "id": "ID"},
    "facility.alias.type": {"en": "Type", "id": "Jenis"},
    "facility.alias.inpatient": {"en": "Inpatient (rawat inap)", "id": "Rawat inap"},
    "facility.alias.location": {"en": "Location", "id": "Lokasi"},
    "facility.alias.staff": {"en": "Staff", "id": "Tenaga kesehatan"},
    "facility.alias.beds": {"en": "Beds", "id": "Tempat tidur"},
    "facility.legend.inpatient_pkm": {"en": "Puskesmas rawat inap (inpatient)", "id": "Puskesmas rawat inap"},
    "facility.legend.inpatient": {"en": "Rawat inap (inpatient): {types}", "id": "Rawat inap: {types}"},
    "facility.legend.approx": {
        "en": "Approximate location (relocated, see popup)",
        "id": "Lokasi perkiraan (dipindahkan, lihat popup)",
    },
    # maps: flood (flood.py)
    "map.layer.flood": {"en": "Flood hazard", "id": "Bahaya banjir"},
    "map.layer.flood_change": {
        "en": "Flood season: change in travel time to the {category} (min)",
        "id": "Musim banjir: perubahan waktu tempuh ke {category} (menit)",
    },
    "map.layer.critical_links": {"en": "Critical roads", "id": "Ruas jalan kritis"},
    "map.layer.critical_links_season": {
        "en": "Critical roads ({season})",
        "id": "Ruas jalan kritis ({season})",
    },
    "season.dry": {"en": "dry season", "id": "musim kemarau"},
    "season.flood": {"en": "flood season", "id": "musim banjir"},
    "map.link_tip": {
        "en": "#{rank} {road} ({km} km): if cut, {pushed} people pushed beyond the threshold, "
        "{cut} cut off, {delay} person-minutes of delay",
        "id": "#{rank} {road} ({km} km): bila terputus, {pushed} jiwa melewati batas waktu, "
        "{cut} jiwa terisolasi, tambahan waktu {delay} jiwa-menit",
    },
    "map.link_pushed": {
        "en": "a cut pushes people beyond the threshold (thicker: more people)",
        "id": "bila terputus, penduduk melewati batas waktu (lebih tebal: lebih banyak jiwa)",
    },
    "map.link_delay": {
        "en": "a cut only slows people down",
        "id": "bila terputus, penduduk hanya terlambat",
    },
    "map.note.critical_links": {
        "en": "One road link (junction to junction) cut at a time; nearest puskesmas "
        "(geoaccess.engine.links.critical_links).",
        "id": "Satu ruas (simpang ke simpang) diputus satu per satu; puskesmas terdekat "
        "(geoaccess.engine.links.critical_links).",
    },
    "map.layer.flood_facilities": {
        "en": "Facilities by flood hazard",
        "id": "Fasilitas menurut bahaya banjir",
    },
    "hazard.tinggi": {"en": "tinggi", "id": "tinggi"},
    "hazard.sedang": {"en": "sedang", "id": "sedang"},
    "hazard.rendah": {"en": "rendah", "id": "rendah"},
    "hazard.unknown": {"en": "unknown", "id": "tidak diketahui"},
    "map.count_areas": {"en": "{n} areas", "id": "{n} wilayah"},
    "map.note.hazard": {
        "en": "Classes: InaRISK flood index split at 0.333 and 0.667 (geoaccess.analysis.flood).",
        "id": "Kelas: indeks banjir InaRISK dibagi pada 0,333 dan 0,667 (geoaccess.analysis.flood).",
    },
    "map.flood_tip": {
        "en": "{name} ({type}): flood hazard {cls}",
        "id": "{name} ({type}): bahaya banjir {cls}",
    },
    "map.flood_tip_unplaced": {
        "en": " · site not known (placed at a centroid)",
        "id": " · lokasi tidak diketahui (di titik tengah wilayah)",
    },
    "map.alias.hazard_class": {"en": "hazard_class", "id": "Kelas bahaya"},
    "map.alias.hazard_index": {"en": "hazard_index", "id": "Indeks bahaya"},
    "map.alias.depth_m": {"en": "depth_m", "id": "Kedalaman (m)"},
    "map.alias.hazard_name": {"en": "name", "id": "Nama"},
    # maps: scenario and proposal (planning.py)
    "map.layer.scenario": {
        "en": "Change in travel time to the {category} (min)",
        "id": "Perubahan waktu tempuh ke {category} (menit)",
    },
    "change.0": {"en": "faster by > 30 min", "id": "lebih cepat > 30 menit"},
    "change.1": {"en": "faster by 10–30 min", "id": "lebih cepat 10–30 menit"},
    "change.2": {"en": "faster by 1–10 min", "id": "lebih cepat 1–10 menit"},
    "change.3": {"en": "no change (within 1 min)", "id": "tidak berubah (selisih ≤ 1 menit)"},
    "change.4": {"en": "slower by 1–10 min", "id": "lebih lambat 1–10 menit"},
    "change.5": {"en": "slower by 10–30 min", "id": "lebih lambat 10–30 menit"},
    "change.6": {"en": "slower by > 30 min", "id": "lebih lambat > 30 menit"},
    "change.no_data": {"en": "no people / no data", "id": "tanpa penduduk / tanpa data"},
    "change.cut_off": {
        "en": "cut off: people who can no longer reach it",
        "id": "terputus: ada penduduk yang tidak lagi dapat menjangkaunya",
    },
    "change.alias.cut_off": {"en": "People cut off", "id": "Penduduk terputus (jiwa)"},
    "change.alias.desa": {"en": "Desa", "id": "Desa"},
    "change.alias.change": {"en": "Change (min)", "id": "Perubahan (menit)"},
    "change.alias.before": {"en": "Before (min)", "id": "Sebelum (menit)"},
    "change.alias.after": {"en": "After (min)", "id": "Sesudah (menit)"},
    "change.alias.site": {"en": "Change", "id": "Perubahan"},
    "change.alias.name": {"en": "Name", "id": "Nama"},
    "change.alias.id": {"en": "ID", "id": "ID"},
    "change.alias.kecamatan": {"en": "Kecamatan", "id": "Kecamatan"},
    "site.added": {"en": "New facility", "id": "Fasilitas baru"},
    "site.upgraded": {"en": "Upgraded to inpatient (rawat inap)", "id": "Ditingkatkan menjadi rawat inap"},
    "site.closed": {"en": "Closed", "id": "Ditutup"},
    "site.label.added": {"en": "NEW", "id": "BARU"},
    "site.label.upgraded": {"en": "UP", "id": "RI"},
    "site.label.closed": {"en": "X", "id": "X"},
    "map.note.scenario": {
        "en": "Population-weighted mean minutes per desa, after minus before, of the same people "
        "(those who can reach it before and after); a desa with people cut off is in its own class.",
        "id": "Rata-rata menit tertimbang jumlah penduduk per desa, sesudah dikurangi sebelum, untuk "
        "penduduk yang sama (yang dapat menjangkaunya sebelum dan sesudah); desa dengan penduduk "
        "terputus masuk kelas tersendiri.",
    },
    "map.note.closed_unplaced": {
        "en": " {n} closed facilities not drawn (pass facilities=).",
        "id": " {n} fasilitas yang ditutup tidak digambar (berikan facilities=).",
    },
    "map.layer.proposal": {"en": "Proposed sites", "id": "Lokasi usulan"},
    "map.action.new": {"en": "build a new puskesmas", "id": "bangun puskesmas baru"},
    "map.action.upgrade": {"en": "upgrade to inpatient (rawat inap)", "id": "tingkatkan menjadi rawat inap"},
    "proposal.alias.rank": {"en": "Rank", "id": "Peringkat"},
    "proposal.alias.site": {"en": "Site", "id": "Lokasi"},
    "proposal.alias.kecamatan": {"en": "Kecamatan", "id": "Kecamatan"},
    "proposal.alias.action": {"en": "Action", "id": "Tindakan"},
    "proposal.alias.cost": {"en": "Cost", "id": "Biaya"},
    "proposal.alias.gained": {
        "en": "People newly within {t} min",
        "id": "Penduduk baru terjangkau dalam {t} menit (jiwa)",
    },
    "proposal.alias.per_miliar": {"en": "People per Rp 1 miliar", "id": "Penduduk per Rp 1 miliar (jiwa)"},
    "proposal.alias.cumulative": {"en": "Cumulative cost", "id": "Biaya kumulatif"},
    "proposal.alias.for_target": {"en": "For the program target", "id": "Untuk target program"},
    "map.note.proposal": {
        "en": "Numbered in the order chosen. {n} sites, {cost}, {gain} people newly within {t} min.",
        "id": "Nomor menurut urutan pemilihan. {n} lokasi, {cost}, "
        "{gain} jiwa baru terjangkau dalam {t} menit.",
    },
    # command line (cli.py)
    "cli.data_notes": {
        "en": "Data notes ({n}; also in {file}):",
        "id": "Catatan data ({n}; juga di {file}):",
    },
    "cli.written": {"en": "written in {secs} s to {out}/:", "id": "ditulis dalam {secs} detik ke {out}/:"},
    "cli.written_config": {
        "en": "written in {secs} s to {out}/ (config copy with checksums: {file}):",
        "id": "ditulis dalam {secs} detik ke {out}/ (salinan config dengan checksum: {file}):",
    },
    "cli.no_population": {
        "en": "no population figures: travel times per desa only ({n} desa)",
        "id": "tanpa data penduduk: hanya waktu tempuh per desa ({n} desa)",
    },
    "cli.desa_median": {
        "en": "{cat}: desa median {median} min, max {max} min",
        "id": "{cat}: median desa {median} menit, maks {max} menit",
    },
    "cli.population": {
        "en": "population: {total} ({in_polygons} in {n_desa} {unit} polygons{extra}), "
        "population-weighted over {n_cells} lattice cells",
        "id": "penduduk: {total} jiwa ({in_polygons} di {n_desa} poligon {unit}{extra}), "
        "tertimbang jumlah penduduk pada {n_cells} sel kisi",
    },
    "cli.population_extra": {
        "en": ", {n} in desa without a polygon",
        "id": ", {n} di desa tanpa poligon",
    },
    "cli.header_mean": {"en": "mean", "id": "rerata"},
    "cli.header_median": {"en": "median", "id": "median"},
    "cli.header_beyond": {
        "en": "people beyond 30 / 60 / 120 min",
        "id": "penduduk > 30 / 60 / 120 menit",
    },
    "cli.hospitals": {
        "en": "hospitals of the kabupaten by location quality: {counts} "
        "(hospital and referral times rest on these locations)",
        "id": "rumah sakit kabupaten menurut kualitas lokasi: {counts} "
        "(waktu tempuh ke rumah sakit dan rujukan bertumpu pada lokasi ini)",
    },
    "cli.none": {"en": "none", "id": "tidak ada"},
    "cli.no_puskesmas": {
        "en": "kecamatan without a puskesmas in the data (PP 47/2016): {names}",
        "id": "kecamatan tanpa puskesmas dalam data (PP 47/2016): {names}",
    },
    "cli.no_inpatient": {
        "en": "kecamatan without an inpatient puskesmas: {n} (unknown: {unknown})",
        "id": "kecamatan tanpa puskesmas rawat inap: {n} (tidak diketahui: {unknown})",
    },
    "cli.priority": {
        "en": "revitalisation priority (top 5 kecamatan): {items}",
        "id": "prioritas revitalisasi (5 kecamatan teratas): {items}",
    },
    "cli.gaps": {"en": ", score rests on data gaps", "id": ", skor bertumpu pada data yang kurang"},
    "cli.plan.budget": {
        "en": "{name}: budget Rp {budget} miliar",
        "id": "{name}: anggaran Rp {budget} miliar",
    },
    "cli.plan.targets_first": {"en": " (program targets first)", "id": " (target program lebih dulu)"},
    "cli.plan.sites": {
        "en": "sites: {n} ({n_new} new, {n_up} upgrades) of {n_cand} candidates",
        "id": "lokasi: {n} ({n_new} baru, {n_up} peningkatan) dari {n_cand} kandidat",
    },
    "cli.plan.cost": {"en": "cost: Rp {cost}", "id": "biaya: Rp {cost}"},
    "cli.plan.gained": {
        "en": "people gained (newly within 60 min of an inpatient puskesmas): {n}",
        "id": "tambahan penduduk terjangkau (baru dalam 60 menit dari puskesmas rawat inap): {n} jiwa",
    },
    "cli.plan.within": {
        "en": "people within 60 min: {before} -> {after} of {total}",
        "id": "penduduk dalam 60 menit: {before} -> {after} dari {total}",
    },
    "cli.plan.gap": {
        "en": "gap: {gap} ({source}; bound {bound})",
        "id": "selisih: {gap} ({source}; batas {bound})",
    },
    "cli.plan.not_optimal": {
        "en": "note: the exact solver stopped before proving the best answer (status {status}); "
        "the sites above are the best found, within the gap shown",
        "id": "catatan: solver eksak berhenti sebelum membuktikan jawaban terbaik (status {status}); "
        "lokasi di atas adalah yang terbaik yang ditemukan, dalam selisih yang ditampilkan",
    },
    "cli.plan.target": {
        "en": "program target: {n} kecamatan, Rp {cost}; without a candidate: {without}",
        "id": "target program: {n} kecamatan, Rp {cost}; tanpa kandidat: {without}",
    },
    "cli.network": {
        "en": "network ({mode}): {nodes} road nodes{water}, {lattice}, {edges} directed edges, crs={crs}",
        "id": "jaringan ({mode}): {nodes} simpul jalan{water}, {lattice}, {edges} sisi berarah, crs={crs}",
    },
    "cli.network_lattice": {
        "en": "lattice {shape} at {res} m ({cells} passable cells)",
        "id": "kisi {shape} sel {res} m ({cells} sel dapat dilalui)",
    },
    "cli.network_no_lattice": {"en": "no lattice (road-only)", "id": "tanpa kisi (hanya jalan)"},
    "cli.network_water": {"en": ", {n} waterway pieces", "id": ", {n} ruas perairan"},
    "cli.plan.costs": {"en": "costs: {source}", "id": "biaya: {source}"},
    # print map (print_map.py)
    "print.title": {
        "en": "{name}: travel time to the {category}",
        "id": "{name}: waktu tempuh ke {category}",
    },
    "print.subtitle": {
        "en": "By {mode}; each desa coloured by the population-weighted mean travel time of its people "
        "who can reach one",
        "id": "Dengan {mode}; warna tiap desa menurut rata-rata waktu tempuh tertimbang jumlah penduduknya "
        "yang dapat menjangkau",
    },
    "print.subtitle_no_pop": {
        "en": "By {mode}; each desa coloured by its travel time "
        "(no population figures: not weighted by people)",
        "id": "Dengan {mode}; warna tiap desa menurut waktu tempuhnya (tanpa data penduduk: tidak ditimbang "
        "jumlah penduduk)",
    },
    "print.legend_time": {
        "en": "Travel time to the {category} (desa by colour · people by their own time)",
        "id": "Waktu tempuh ke {category} (desa menurut warna · jiwa menurut waktu tempuh masing-masing)",
    },
    "print.legend_time_no_pop": {
        "en": "Travel time to the {category} (desa; no population figures)",
        "id": "Waktu tempuh ke {category} (desa; tanpa data penduduk)",
    },
    "print.class_row": {
        "en": "{label}   {n} {unit} · {people}",
        "id": "{label}   {n} {unit} · {people} jiwa",
    },
    "print.class_row_no_pop": {"en": "{label}   {n} {unit}", "id": "{label}   {n} {unit}"},
    # what the rows of a region's desa layer are (Region.desa_unit)
    "unit.desa": {"en": "desa", "id": "desa"},
    "unit.kecamatan": {"en": "kecamatan", "id": "kecamatan"},
    "print.legend_facilities": {
        "en": "Health facilities and boundaries",
        "id": "Fasilitas kesehatan dan batas",
    },
    "print.facility.puskesmas": {"en": "Puskesmas", "id": "Puskesmas"},
    "print.facility.inpatient": {"en": "Puskesmas rawat inap (inpatient)", "id": "Puskesmas rawat inap"},
    "print.facility.hospital": {"en": "Hospital (RS / RSUD)", "id": "Rumah sakit (RS/RSUD)"},
    "print.facility.neighbour": {
        "en": "Pale: in a neighbouring kabupaten (counted: people cross the border)",
        "id": "Pucat: di kabupaten tetangga (ikut dihitung: penduduk melintas batas)",
    },
    "print.facility.approx": {
        "en": "Hollow: approximate location (no usable coordinate)",
        "id": "Kosong: lokasi perkiraan (tanpa koordinat yang dapat dipakai)",
    },
    "print.boundary.kabupaten": {"en": "Kabupaten boundary", "id": "Batas kabupaten"},
    "print.boundary.kecamatan": {"en": "Kecamatan boundary and name", "id": "Batas dan nama kecamatan"},
    "print.how_to_read": {
        "en": "How to read: a desa's colour is the mean time its people who can reach the {category} need, "
        "over roads and the land between them; people who cannot reach one are counted as unreachable, "
        "also in a coloured desa. Grey: no people or no facility within reach.",
        "id": "Cara membaca: warna desa adalah rata-rata waktu yang dibutuhkan penduduknya yang dapat "
        "mencapai {category}, melalui jalan dan lahan di antaranya; penduduk yang tidak dapat mencapainya "
        "dihitung sebagai tidak terjangkau, juga di desa berwarna. Abu-abu: tanpa penduduk atau tidak "
        "terjangkau.",
    },
    "print.how_to_read_no_pop": {
        "en": "How to read: a desa's colour is the time needed to reach the {category} from the desa, over "
        "roads and the land between them (no population figures). Grey: no facility within reach.",
        "id": "Cara membaca: warna desa adalah waktu yang dibutuhkan dari desa untuk mencapai {category}, "
        "melalui jalan dan lahan di antaranya (tanpa data penduduk). Abu-abu: tidak terjangkau.",
    },
    "print.north": {"en": "N", "id": "U"},
    "print.scale_note": {
        "en": "About 1 : {ratio} printed on A4 at 100%",
        "id": "Sekitar 1 : {ratio} bila dicetak A4 100%",
    },
    "print.sources": {"en": "Data sources:", "id": "Sumber data:"},
    "print.source.boundaries": {"en": "boundaries", "id": "batas wilayah"},
    "print.source.population": {"en": "population", "id": "penduduk"},
    "print.source.facilities": {"en": "facilities", "id": "fasilitas"},
    "print.source.inpatient": {"en": "inpatient status", "id": "status rawat inap"},
    "print.source.roads": {"en": "roads", "id": "jalan"},
    "print.assumptions": {
        "en": "Assumptions: travel by {mode} (speeds: geoaccess.engine.speeds), off the mapped roads "
        "{offroad} km/h over a {res} m grid; desa time = population-weighted mean over its grid cells "
        "within reach.",
        "id": "Asumsi: perjalanan dengan {mode} (kecepatan: geoaccess.engine.speeds), di luar jalan "
        "terpetakan {offroad} km/jam pada kisi {res} m; waktu desa = rata-rata tertimbang jumlah "
        "penduduk atas sel kisinya yang terjangkau.",
    },
    "print.assumptions_no_pop": {
        "en": "Assumptions: travel by {mode} (speeds: geoaccess.engine.speeds), off the mapped roads "
        "{offroad} km/h over a {res} m grid; no population figures, so desa times are not weighted "
        "by people.",
        "id": "Asumsi: perjalanan dengan {mode} (kecepatan: geoaccess.engine.speeds), di luar jalan "
        "terpetakan {offroad} km/jam pada kisi {res} m; tanpa data penduduk, sehingga waktu desa tidak "
        "ditimbang jumlah penduduk.",
    },
    "print.made": {
        "en": "Made with geoaccess {version} on {date}; projection {crs}.",
        "id": "Dibuat dengan geoaccess {version} pada {date}; proyeksi {crs}.",
    },
    # run notes and data sources (geoaccess.notes.Note: English is the note's own text)
    "note.area_weighting": {
        "en": "people are spread evenly over each desa's area (area weighting)",
        "id": "penduduk disebar merata di seluruh luas tiap desa (pembobotan luas)",
    },
    "note.desa_no_polygon_left_out": {
        "en": "desa {name} (BPS {bps}, {people} people) has no polygon and its kecamatan {kecamatan} "
        "was not found: its people are left out",
        "id": "desa {name} (BPS {bps}, {people} jiwa) tidak punya poligon dan kecamatannya {kecamatan} "
        "tidak ditemukan: penduduknya tidak dihitung",
    },
    "note.desa_no_polygon": {
        "en": "desa {name} (BPS {bps}) has no polygon; its {people} people are spread over the cells of "
        "Kec. {kecamatan} and reported as {code}",
        "id": "desa {name} (BPS {bps}) tidak punya poligon; {people} jiwa penduduknya disebar ke sel kisi "
        "Kec. {kecamatan} dan dilaporkan sebagai {code}",
    },
    "note.no_located_facility": {
        "en": "no located facility in category {category}; its travel times are empty",
        "id": "tidak ada fasilitas berlokasi dalam kategori {category}; waktu tempuhnya kosong",
    },
    "note.referral_offroad": {
        "en": "the referral leg ({referral_mode}) crosses land without a mapped road at {referral_speed} "
        "km/h (the {mode} trip from home: {speed} km/h); where village roads are missing from the road "
        "layer, those stretches dominate the referral times (compare referral_mode={mode_value}, or set "
        "referral_offroad_speed_kph)",
        "id": "perjalanan rujukan ({referral_mode}) melintasi lahan tanpa jalan terpetakan dengan "
        "{referral_speed} km/jam (perjalanan {mode} dari rumah: {speed} km/jam); bila jalan desa tidak ada "
        "di lapisan jalan, bagian itu mendominasi waktu tempuh rujukan (bandingkan "
        "referral_mode={mode_value}, atau atur referral_offroad_speed_kph)",
    },
    "note.network_without_roads": {
        "en": "the {mode} network holds no mapped road: every trip is timed across the off-road grid at "
        "{speed} km/h, so these travel times rest on no road (a test, not a finding); give a road layer "
        "(run_access(roads=...), or layers.roads in a config) for real figures",
        "id": "jaringan {mode} tidak memuat jalan terpetakan: setiap perjalanan dihitung melintasi kisi di "
        "luar jalan dengan {speed} km/jam, jadi waktu tempuh ini tidak bertumpu pada jalan mana pun (uji, "
        "bukan temuan); berikan lapisan jalan (run_access(roads=...), atau layers.roads dalam config) "
        "untuk angka yang nyata",
    },
    "note.referral_mode_reason": {
        "en": "the referral leg (puskesmas -> hospital) is timed by the referral mode: a referred patient "
        "goes by puskesmas ambulance / PSC 119, not the household's own transport; the home -> puskesmas "
        "leg keeps the household's mode",
        "id": "perjalanan rujukan (puskesmas -> rumah sakit) dihitung dengan moda rujukan: pasien rujukan "
        "diantar ambulans puskesmas / PSC 119, bukan kendaraan keluarga; perjalanan rumah -> puskesmas "
        "tetap dengan moda keluarga",
    },
    "note.population_uniform": {
        "en": "uniform over the desa's cells",
        "id": "merata di seluruh sel kisi desa",
    },
    "note.score_rests_on_gaps": {
        "en": "{n} kecamatan have a priority score that rests on data gaps (see data_gaps; a gap is not a "
        "finding): {names}",
        "id": "{n} kecamatan punya skor prioritas yang bertumpu pada data yang kurang (lihat data_gaps; "
        "data yang kurang bukan temuan): {names}",
    },
    "note.no_poverty_rate": {
        "en": "the desa have no poverty_rate figures: the poverty table is left out",
        "id": "desa tidak punya angka kemiskinan (poverty_rate): tabel kemiskinan tidak dibuat",
    },
    "note.no_flood_hazard_index": {
        "en": "the desa have no flood_hazard_index figures: the priority scores leave flood exposure out",
        "id": "desa tidak punya angka bahaya banjir (flood_hazard_index): skor prioritas dihitung tanpa "
        "paparan banjir",
    },
    "note.no_staff_counts": {
        "en": "the puskesmas have no staff counts: the 2SFCA (staff per 1,000) is left out and the priority "
        "score uses the other indicators",
        "id": "puskesmas tidak punya data jumlah tenaga kesehatan: 2SFCA (tenaga per 1.000 penduduk) tidak "
        "dihitung dan skor prioritas memakai indikator lainnya",
    },
    "note.staff_median": {
        "en": "{n} puskesmas have no staff count; the 2SFCA gives them the median of the other puskesmas "
        "({median} health workers): {ids}",
        "id": "{n} puskesmas tanpa data jumlah tenaga kesehatan; 2SFCA memberi mereka median puskesmas "
        "lainnya ({median} tenaga kesehatan): {ids}",
    },
    "note.fca_nobody_within": {
        "en": "no populated cell is within {minutes} min of one of the kabupaten's own puskesmas (located "
        "ones, on the graph): the 2SFCA gives every cell 0 staff per 1,000",
        "id": "tidak ada sel berpenduduk dalam {minutes} menit dari puskesmas milik kabupaten sendiri "
        "(yang berlokasi, pada graf): 2SFCA memberi setiap sel 0 tenaga per 1.000 penduduk",
    },
    "note.no_own_puskesmas_nearest": {
        "en": "nobody has one of the kabupaten's own puskesmas as the nearest (their locations in the "
        "facility list may be wrong): the facility priority table is left out",
        "id": "tidak ada penduduk yang puskesmas terdekatnya milik kabupaten sendiri (lokasinya dalam "
        "daftar fasilitas mungkin salah): tabel prioritas puskesmas tidak dibuat",
    },
    "note.no_hazard_flood_tables": {
        "en": "no hazard layer and no desa flood_hazard_index: no flood-season tables",
        "id": "tanpa lapisan bahaya banjir dan tanpa flood_hazard_index desa: tidak ada tabel musim banjir",
    },
    "note.no_population_links": {
        "en": "no lattice cell holds people (no population figures): no critical-links table",
        "id": "tidak ada sel kisi yang berpenduduk (tanpa angka penduduk): tidak ada tabel ruas jalan kritis",
    },
    "note.flood_closes_all_links": {
        "en": "no {category} open in the flood season (all stand in tinggi): everybody is cut off, "
        "no flood-season critical links",
        "id": "tidak ada {category} yang buka pada musim banjir (semua berada di bahaya tinggi): semua "
        "penduduk terputus, tanpa ruas jalan kritis musim banjir",
    },
    "note.no_hazard_links_dry_only": {
        "en": "no hazard layer and no desa flood_hazard_index: critical links for the dry season only",
        "id": "tanpa lapisan bahaya banjir dan tanpa flood_hazard_index desa: ruas jalan kritis hanya "
        "untuk musim kemarau",
    },
    "note.flood_desa_no_population": {
        "en": "{n} desa have no population: their people columns are empty",
        "id": "{n} desa tanpa angka penduduk: kolom jumlah penduduknya kosong",
    },
    "note.roads_dropped": {
        "en": "dropped {what}; fix them in the source to keep them",
        "id": "dibuang: {what}; perbaiki di sumber data agar tetap dipakai",
    },
    "note.roads_dropped_null": {
        "en": "{n} feature(s) with empty or missing geometry",
        "id": "{n} fitur dengan geometri kosong atau hilang",
    },
    "note.roads_dropped_degenerate": {
        "en": "{n} empty or zero-length line part(s)",
        "id": "{n} bagian garis kosong atau berpanjang nol",
    },
    "note.roads_dropped_both": {"en": "{null} and {degenerate}", "id": "{null} dan {degenerate}"},
    "note.nearest_across_border": {
        "en": "{people} people have their nearest puskesmas across the kabupaten border ({n} puskesmas); "
        "they are left out of the facility priority table",
        "id": "{people} jiwa memiliki puskesmas terdekat di seberang batas kabupaten ({n} puskesmas); "
        "mereka tidak dihitung dalam tabel prioritas puskesmas",
    },
    "note.flood_site_unknown": {
        "en": "{n} facilities are not at their own site (relocated or without coordinates): their hazard "
        "class is that of their whole desa when uniform, else 'unknown'",
        "id": "{n} fasilitas tidak berada di lokasinya sendiri (dipindahkan atau tanpa koordinat): kelas "
        "bahayanya mengikuti seluruh desanya bila seragam, selain itu 'unknown' (tidak diketahui)",
    },
    "note.indicators_missing": {
        "en": "indicator(s) missing in some rows: {counts}; those rows are scored on their other indicators "
        "(see indicators_missing).",
        "id": "indikator kosong di sebagian baris: {counts}; baris itu dinilai dengan indikator lainnya "
        "(lihat indicators_missing).",
    },
    "note.indicator_rows": {"en": "{name} ({n} row(s))", "id": "{name} ({n} baris)"},
    "note.facility_not_placed": {
        "en": "{n} facility(ies) could not be placed in a kecamatan (no geometry and no matching kecamatan "
        "{by} in '{column}'), e.g. {examples}; they are not counted.",
        "id": "{n} fasilitas tidak dapat ditempatkan di kecamatan mana pun (tanpa geometri dan tanpa "
        "{by} kecamatan yang cocok di '{column}'), mis. {examples}; fasilitas itu tidak dihitung.",
    },
    "note.puskesmas_not_placed": {
        "en": "{n} puskesmas could not be placed in a kecamatan; kecamatan that fall short of a target get "
        "<NA> (unknown) for it, since one of these might be there",
        "id": "{n} puskesmas tidak dapat ditempatkan di kecamatan mana pun; kecamatan yang belum memenuhi "
        "target diberi <NA> (tidak diketahui), karena salah satu puskesmas itu mungkin ada di sana",
    },
    "note.load": {"en": "load({name}): {note}", "id": "load({name}): {note}"},
    "note.inpatient_evidence": {
        "en": "inpatient status from {file} (a public report) replaces the code-digit reading: {change}",
        "id": "status rawat inap dari {file} (laporan publik) menggantikan pembacaan digit kode: {change}",
    },
    "note.read_facilities": {
        "en": "read_facilities: {n_prob} of {n} facilities have coordinate problems; no row was dropped.\n"
        "{lines}",
        "id": "read_facilities: {n_prob} dari {n} fasilitas bermasalah koordinatnya; tidak ada baris yang "
        "dibuang.\n{lines}",
    },
    "note.coord_line": {"en": "  - {what} [{n}]: {ids}", "id": "  - {what} [{n}]: {ids}"},
    "note.coord.swapped_latlon": {
        "en": "latitude/longitude swapped (fixed)",
        "id": "lintang/bujur tertukar (diperbaiki)",
    },
    "note.coord.not_numeric": {"en": "coordinate not a number", "id": "koordinat bukan angka"},
    "note.coord.missing": {"en": "no coordinate", "id": "tanpa koordinat"},
    "note.coord.zero": {"en": "coordinate is 0 (placeholder)", "id": "koordinat bernilai 0 (pengisi)"},
    "note.coord.flipped_lat_sign": {
        "en": "latitude sign probably flipped (not trusted)",
        "id": "tanda lintang kemungkinan terbalik (tidak dipercaya)",
    },
    "note.coord.outside_area": {
        "en": "outside the study area (not trusted)",
        "id": "di luar wilayah kajian (tidak dipercaya)",
    },
    "note.coord.unmatched": {"en": "could not be relocated", "id": "tidak dapat dipindahkan"},
    "note.coord.ambiguous": {"en": "relocation ambiguous", "id": "pemindahan ambigu"},
    "note.coord_relocated": {
        "en": "  - placed at the representative point of their {level} (location_quality='{quality}') "
        "[{n}]: {ids}",
        "id": "  - ditempatkan di titik representatif {level}-nya (location_quality='{quality}') "
        "[{n}]: {ids}",
    },
    "note.coord_missing": {
        "en": "  - left without a location (geometry None, location_quality='missing') [{n}]: {ids}. Fix "
        "their coordinates, or pass relocate='kecamatan' (or 'desa') with boundaries=...",
        "id": "  - dibiarkan tanpa lokasi (geometry None, location_quality='missing') [{n}]: {ids}. "
        "Perbaiki koordinatnya, atau beri relocate='kecamatan' (atau 'desa') dengan boundaries=...",
    },
    "note.select": {"en": "select(): {notes}", "id": "select(): {notes}"},
    "note.select_no_location_one": {
        "en": "{n} {category} facility without a location left out: {ids} (read them with relocate= and "
        "boundaries= to place them at their kecamatan/desa)",
        "id": "{n} fasilitas {category} tanpa lokasi tidak dihitung: {ids} (baca dengan relocate= dan "
        "boundaries= untuk menempatkannya di kecamatan/desanya)",
    },
    "note.select_no_location": {
        "en": "{n} {category} facilities without a location left out: {ids} (read them with relocate= and "
        "boundaries= to place them at their kecamatan/desa)",
        "id": "{n} fasilitas {category} tanpa lokasi tidak dihitung: {ids} (baca dengan relocate= dan "
        "boundaries= untuk menempatkannya di kecamatan/desanya)",
    },
    "note.select_unknown_inpatient": {
        "en": "{n} puskesmas with unknown inpatient status left out: {ids} (set their `inpatient` value)",
        "id": "{n} puskesmas dengan status rawat inap tidak diketahui tidak dihitung: {ids} (isi nilai "
        "`inpatient`-nya)",
    },
    "note.select_unknown_inpatient_rule": {
        "en": "{n} puskesmas with unknown inpatient status left out: {ids} (set their `inpatient` value, "
        "or read the list with inpatient_rule='pkm_code_digit')",
        "id": "{n} puskesmas dengan status rawat inap tidak diketahui tidak dihitung: {ids} (isi nilai "
        "`inpatient`-nya, atau baca daftar dengan inpatient_rule='pkm_code_digit')",
    },
    "note.no_population_figure": {
        "en": "{n} of {total} polygon(s) have no population figure (population = NaN): {keys}",
        "id": "{n} dari {total} poligon tanpa angka penduduk (population = NaN): {keys}",
    },
    "note.rows_match_no_polygon": {
        "en": "{n} table row(s) match no polygon and are not in the result ({people} persons): {rows}",
        "id": "{n} baris tabel tidak cocok dengan poligon mana pun dan tidak masuk hasil ({people} jiwa): "
        "{rows}",
    },
    "note.no_desa_layer": {
        "en": "no desa layer: each kecamatan stands in for a desa, so the desa tables and map are per "
        "kecamatan",
        "id": "tanpa lapisan desa: tiap kecamatan menggantikan desa, jadi tabel dan peta desa dibuat per "
        "kecamatan",
    },
    "note.crude_fallback": {
        "en": "population: CRUDE FALLBACK: the kabupaten total {total} (from {what}) is spread over the {n} "
        "{unit} polygons in proportion to their area, as if people lived evenly across the land; figures "
        "per {unit} and every count of people beyond a travel time are rough. Use a desa table or a "
        "population raster when you have one",
        "id": "penduduk: PERKIRAAN KASAR: total kabupaten {total} jiwa (dari {what}) disebar ke {n} poligon "
        "{unit} sebanding luasnya, seolah penduduk tinggal merata di seluruh lahan; angka per {unit} dan "
        "setiap jumlah penduduk di atas suatu waktu tempuh hanya kasar. Pakai tabel penduduk desa atau "
        "raster penduduk bila ada",
    },
    "note.no_road_in_area": {
        "en": "no road of {file} within {km} km of the kabupaten: travel is timed on the off-road grid alone "
        "(a test of scale, not a finding)",
        "id": "tidak ada jalan dari {file} dalam {km} km dari kabupaten: waktu tempuh dihitung pada kisi di "
        "luar jalan saja (uji skala, bukan temuan)",
    },
    "note.layers_unused": {
        "en": "layers {layers} are recorded and checksummed but not used: run_access of geoaccess {version} "
        "takes no such layer",
        "id": "lapisan {layers} dicatat beserta checksum-nya tetapi tidak dipakai: run_access geoaccess "
        "{version} tidak menerima lapisan itu",
    },
    "note.the_earlier_run": {"en": "the earlier run", "id": "run sebelumnya"},
    "note.data_file_gone": {
        "en": "data file {path} of the run of {when} is not used (or gone) now",
        "id": "berkas data {path} dari run {when} kini tidak dipakai (atau sudah tidak ada)",
    },
    "note.data_file_changed": {
        "en": "data file {path} changed since the run of {when} (sha256 {old}... -> {new}...): figures may "
        "differ because the data differ",
        "id": "berkas data {path} berubah sejak run {when} (sha256 {old}... -> {new}...): angka dapat "
        "berbeda karena datanya berbeda",
    },
    "note.other_version": {
        "en": "the run of {when} used geoaccess {version}; this is {now}",
        "id": "run {when} memakai geoaccess {version}; sekarang {now}",
    },
    "source.kecamatan_by_area": {
        "en": "kecamatan figures spread over their desa by area",
        "id": "angka kecamatan disebar ke desanya menurut luas",
    },
    "source.level_figures": {"en": "{level} figures", "id": "angka {level}"},
    "source.population_table": {
        "en": "table {table}, column {column} ({how})",
        "id": "tabel {table}, kolom {column} ({how})",
    },
    "source.population_raster": {
        "en": "raster {raster}, summed per {unit} (exactextract)",
        "id": "raster {raster}, dijumlahkan per {unit} (exactextract)",
    },
    "source.kabupaten_column": {"en": "column {column} of {file}", "id": "kolom {column} di {file}"},
    "source.staff_column": {"en": "staff column", "id": "kolom staff"},
    "source.the_config_file": {"en": "the config file", "id": "berkas config"},
    "source.population_fallback": {
        "en": "kabupaten total {total} from {what}, spread over the {unit} by area (crude fallback)",
        "id": "total kabupaten {total} jiwa dari {what}, disebar ke {unit} menurut luas (perkiraan kasar)",
    },
    "source.facilities_file": {
        "en": "{file} (own: {own}, across the border: {nb})",
        "id": "{file} (di kabupaten: {own}, di seberang batas: {nb})",
    },
    "source.roads_none": {"en": "none: the off-road grid alone", "id": "tidak ada: hanya kisi di luar jalan"},
    "source.roads_osm": {"en": "OpenStreetMap (downloaded)", "id": "OpenStreetMap (diunduh)"},
    "source.roads_file": {
        "en": "{file} (clipped to the study area)",
        "id": "{file} (dipotong sebatas wilayah kajian)",
    },
    "source.boundaries_desa": {
        "en": "kecamatan {kecamatan}; desa {desa}",
        "id": "kecamatan {kecamatan}; desa {desa}",
    },
    "source.boundaries_no_desa": {
        "en": "kecamatan {kecamatan}; no desa layer",
        "id": "kecamatan {kecamatan}; tanpa lapisan desa",
    },
    "source.inpatient_code_digit": {
        "en": "Kemenkes puskesmas code digit (1 = rawat inap), unverified",
        "id": "digit kode puskesmas Kemenkes (1 = rawat inap), belum diverifikasi",
    },
    "source.bundled_population": {
        "en": "desa table population/population_desa_sumsel_3kab.csv, column pop_est_scaled_kepmendagri2025 "
        "(Kemendes 2024 / PODES 2021 scaled to the Kepmendagri 2025 kabupaten totals; an estimate), joined "
        "by Kemendagri code",
        "id": "tabel desa population/population_desa_sumsel_3kab.csv, kolom pop_est_scaled_kepmendagri2025 "
        "(Kemendes 2024 / PODES 2021 disesuaikan ke total kabupaten Kepmendagri 2025; perkiraan), digabung "
        "dengan kode Kemendagri",
    },
    "source.bundled_roads": {
        "en": "offline: national roads only (roads/sumsel_national); village/kabupaten roads are missing and "
        "off-road travel stands in for them (docs/sensitivity.md: how the figures move with the off-road "
        "speed, the lattice resolution and the population weights)",
        "id": "luring: hanya jalan nasional (roads/sumsel_national); jalan desa/kabupaten tidak ada dan "
        "perjalanan di luar jalan menggantikannya (docs/sensitivity.md: bagaimana angka berubah menurut "
        "kecepatan di luar jalan, resolusi kisi dan bobot penduduk)",
    },
    "source.bundled_inpatient": {
        "en": "Kemenkes puskesmas code digit (1 = rawat inap), unverified; replaced where "
        "facilities/inpatient_evidence.csv (public reports) has a row",
        "id": "digit kode puskesmas Kemenkes (1 = rawat inap), belum diverifikasi; diganti bila "
        "facilities/inpatient_evidence.csv (laporan publik) memuat barisnya",
    },
    "source.bundled_staff": {
        "en": "health workers per puskesmas, BPPSDMK 2019",
        "id": "tenaga kesehatan per puskesmas, BPPSDMK 2019",
    },
    "source.bundled_poverty_rate": {
        "en": "poverty_rate_idm of the desa table (IDM, % of households)",
        "id": "poverty_rate_idm dari tabel desa (IDM, % rumah tangga)",
    },
    "source.bundled_flood_hazard_index": {
        "en": "flood_hazard_index_bnpb of the desa table (BNPB InaRISK)",
        "id": "flood_hazard_index_bnpb dari tabel desa (BNPB InaRISK)",
    },
    "note.speed_source": {
        "en": "geoaccess.engine.speeds (car: PP 34/2006 minimum design speeds; motorbike and walking: "
        "planning assumptions documented there)",
        "id": "geoaccess.engine.speeds (mobil: kecepatan rencana minimum PP 34/2006; sepeda motor dan jalan "
        "kaki: asumsi perencanaan yang dijelaskan di sana)",
    },
    "note.fca_assumption": {
        "en": "enhanced 2SFCA, Luo & Qi 2009 step weights, {threshold} min catchment, supply = staff of the "
        "kabupaten's own puskesmas ({staff}), demand = the people of its lattice cells (as in the coverage "
        "tables); puskesmas across the border are left out (their own demand is not in the data)",
        "id": "2SFCA yang diperluas, bobot bertingkat Luo & Qi 2009, jangkauan {threshold} menit, pasokan = "
        "tenaga kesehatan puskesmas milik kabupaten ({staff}), permintaan = penduduk sel kisinya (seperti "
        "pada tabel cakupan); puskesmas di seberang batas tidak dihitung (permintaan mereka sendiri tidak "
        "ada dalam data)",
    },
    "note.gap.no_puskesmas": {
        "en": "no puskesmas of this kecamatan in the data",
        "id": "tidak ada puskesmas kecamatan ini dalam data",
    },
    "note.gap.placed_at_centroid": {
        "en": "placed at a centroid (no coordinate)",
        "id": "ditempatkan di titik tengah wilayah (tanpa koordinat)",
    },
    "note.gap.no_staff": {
        "en": "no staff count (the 2SFCA uses the median)",
        "id": "tanpa data jumlah tenaga kesehatan (2SFCA memakai median)",
    },
    "note.gap.inpatient_unknown": {
        "en": "inpatient status unknown",
        "id": "status rawat inap tidak diketahui",
    },
    "note.gap.puskesmas": {"en": "puskesmas {ids}: {gap}", "id": "puskesmas {ids}: {gap}"},
    "note.gap.no_figure": {
        "en": "no figure for {indicators} (scored on the other indicators)",
        "id": "tanpa angka untuk {indicators} (dinilai dengan indikator lainnya)",
    },
    "note.no_population": {
        "en": "no desa has a population figure: coverage, equity, poverty, 2SFCA and priority tables need "
        "people and are left out; travel times per desa and kecamatan and the facility counts per "
        "kecamatan (targets) are still given",
        "id": "tidak ada desa dengan angka penduduk: tabel cakupan, pemerataan, kemiskinan, 2SFCA dan "
        "prioritas membutuhkan data penduduk dan tidak dibuat; waktu tempuh per desa dan kecamatan serta "
        "jumlah fasilitas per kecamatan (target) tetap diberikan",
    },
    "note.no_desa_population": {
        "en": "no desa population exists for {name} ({code}) in the shared data ({file} covers 16.02, "
        "16.03 and 16.06 only); desa population is NaN. population/population_kabupaten_4kab.csv has the "
        "kabupaten total.",
        "id": "data penduduk desa untuk {name} ({code}) tidak ada dalam data bersama ({file} hanya "
        "mencakup 16.02, 16.03 dan 16.06); penduduk desa = NaN. population/population_kabupaten_4kab.csv "
        "memuat total kabupaten.",
    },
    "note.by_name": {"en": "name", "id": "nama"},
    "note.by_code": {"en": "code", "id": "kode"},
    "note.nan_population_not_allocated": {
        "en": "{n} polygon(s) with NaN population not allocated: {ids}",
        "id": "{n} poligon dengan penduduk NaN tidak dialokasikan: {ids}",
    },
    "note.polygon_no_cell": {
        "en": "{n} polygon(s) contain no cell centre; their population went to the cell nearest their "
        "representative point: {ids}",
        "id": "{n} poligon tidak memuat titik tengah sel; penduduknya diberikan ke sel terdekat dari titik "
        "representatifnya: {ids}",
    },
    "note.zero_weight_polygons": {
        "en": "{n} polygon(s) whose cells all weigh 0 were spread equally: {ids}",
        "id": "{n} poligon yang semua selnya berbobot 0 disebar merata: {ids}",
    },
    "note.labels_index": {"en": "polygon index values", "id": "nilai indeks poligon"},
    "note.labels_column": {"en": "values of polygons[{column}]", "id": "nilai polygons[{column}]"},
    "note.allocate_population": {
        "en": "allocate_population: {notes} (labels are {which}).",
        "id": "allocate_population: {notes} (label adalah {which}).",
    },
    "note.inpatient_change": {
        "en": "{id} ({name}): {before} -> {after}",
        "id": "{id} ({name}): {before} -> {after}",
    },
    "note.status.unknown": {"en": "unknown", "id": "tidak diketahui"},
    "note.status.inpatient": {"en": "inpatient", "id": "rawat inap"},
    "note.status.not_inpatient": {"en": "not inpatient", "id": "bukan rawat inap"},
    "note.cost_column": {"en": "column '{column}'", "id": "kolom '{column}'"},
    "note.cost_by_kind": {
        "en": "column '{column}': new Rp {new} ({new_origin}), upgrade Rp {upgrade} ({upgrade_origin})",
        "id": "kolom '{column}': bangun baru Rp {new} ({new_origin}), peningkatan Rp {upgrade} "
        "({upgrade_origin})",
    },
    "note.cost_all_new": {
        "en": "every candidate a new build at Rp {new} ({new_origin})",
        "id": "setiap kandidat bangun baru dengan Rp {new} ({new_origin})",
    },
    "note.cost_given": {"en": "given by the planner", "id": "ditetapkan perencana"},
    "note.cost_default_new": {
        "en": "default, from the Musi Banyuasin APBD 2023: review it",
        "id": "nilai bawaan, dari APBD Musi Banyuasin 2023: tinjau kembali",
    },
    "note.cost_default_upgrade": {
        "en": "default, an assumption without a published source: review it",
        "id": "nilai bawaan, asumsi tanpa sumber terbitan: tinjau kembali",
    },
    "note.join_population": {
        "en": "join_population: {notes}. Check the keys (desa[{on}] vs table[{table_on}]).",
        "id": "join_population: {notes}. Periksa kuncinya (desa[{on}] vs table[{table_on}]).",
    },
}


def check_lang(lang: Any, argument: str = "lang") -> str:
    """``lang`` if it is ``"en"`` or ``"id"``; else an InputValidationError naming ``argument``.

    Parameters
    ----------
    lang : str
        The language asked for.
    argument : str
        The argument named in the error message.

    Returns
    -------
    str
        ``lang``.

    Examples
    --------
    >>> check_lang("id")
    'id'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    geoaccess.exceptions.InputValidationError: invalid `lang`: ...
    """
    from ._validate import check_choice

    check_choice(lang, LANGS, argument)
    return str(lang)


def t(key: str, lang: str = "en", /, **fmt: Any) -> str:
    """The text of ``key`` in ``lang``, with ``{placeholders}`` filled from ``fmt``.

    Parameters
    ----------
    key : str
        A key of :data:`STRINGS`.
    lang : {"en", "id"}
        English or Bahasa Indonesia.
    **fmt
        Values of the placeholders (``str.format``); without any, the text is returned
        as it stands. In Indonesian, numbers and strings that are English-formatted
        numbers with thousands separators (``"9,800,000,000"``, ``"1,234.5"``) are written
        with Indonesian separators (``9.800.000.000``, ``1.234,5``).

    Returns
    -------
    str
        The text, its placeholders filled.

    Examples
    --------
    >>> t("map.layer.facilities", "id")
    'Fasilitas kesehatan'
    >>> t("map.count_people", "id", n="1,234")  # Indonesian separators
    '1.234 jiwa'
    >>> t("map.count_people", "en", n="1,234"), t("map.count_people", "id", n=1234.5)
    ('1,234 people', '1234,5 jiwa')
    """
    if lang not in LANGS:
        check_lang(lang)
    try:
        text = STRINGS[key][lang]
    except KeyError:
        raise KeyError(f"no string {key!r} in geoaccess.outputs.i18n.STRINGS") from None
    if not fmt:
        return text
    return _ID_FORMATTER.format(text, **fmt) if lang == "id" else text.format(**fmt)


#: A number as Python writes it in English with thousands separators: ``9,800,000,000``,
#: ``1,234.5``, ``12,345%`` (not ``16.04`` or ``1.2.0``: no thousands separator).
_EN_NUMBER = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?%?")
_ID_SEPARATORS = str.maketrans(",.", ".,")


class _IdFormatter(string.Formatter):
    """``str.format`` for Indonesian: numbers written ``9.800.000.000`` and ``1.234,5``.

    A number value (with or without a format spec such as ``{n:,.0f}``) and a string that
    is an English-formatted number with thousands separators (``f"{x:,.0f}"`` of the
    caller) get their separators swapped; other strings (``16.04``, names) stay as they are.
    """

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, str):
            if _EN_NUMBER.fullmatch(value):
                value = value.translate(_ID_SEPARATORS)
            return format(value, format_spec)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return format(value, format_spec).translate(_ID_SEPARATORS)
        return super().format_field(value, format_spec)


_ID_FORMATTER = _IdFormatter()


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` of a template (``{0}`` -> ``"0"``).

    Parameters
    ----------
    text : str
        A template of :data:`STRINGS`.

    Returns
    -------
    set of str

    Examples
    --------
    >>> sorted(placeholders("{n} people within {t} min"))
    ['n', 't']
    """
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
