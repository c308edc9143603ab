"""Ready-made study regions built from the shared data directory.

``load("muara_enim")`` returns a :class:`Region` holding everything an access study of one
kabupaten needs: kabupaten, kecamatan and desa polygons (desa with population), the
kabupaten's own puskesmas and hospitals, the puskesmas and hospitals of the neighbouring
kabupaten within ``buffer_km`` (patients cross borders), and the national road layer
clipped to the study area. All layers are in EPSG:4326.

The data directory is not part of the package; see ``data/README.md``. It is found by
:func:`geoaccess.settings.resolve_data_dir`: the ``data_dir`` argument, then
``geoaccess.options.data_dir``, then ``$GEOACCESS_DATA_DIR``, then ``../shared/data``
beside the checkout.

Sources (details and defects in each folder's SOURCES.md):

- boundaries: ``boundaries/kabupaten_from_desa.geojson``, ``kecamatan_from_desa.geojson``,
  ``desa.geojson`` (cahyadsn/wilayah_boundaries, MIT; Kemendagri 2025 codes).
- population: ``population/population_desa_sumsel_3kab.csv`` column
  ``pop_est_scaled_kepmendagri2025`` (Kemendes 2024 / PODES 2021, scaled to Kepmendagri
  2025 kabupaten totals; an estimate), joined on ``kode_kemendagri_matched``.
- own facilities: ``facilities/facilities_4kab.csv`` (BPPSDMK 2019 coordinates, Komdat
  2022 list, Kemenkes RS directory).
- neighbour facilities: ``indonesia/facilities.csv`` (BPPSDMK 2019, national).
- roads: ``roads/sumsel_national/jalanSumsel.shp`` (South Sumatra national roads; trunk
  roads only, no licence stated: internal testing only).
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._utm import utm_crs
from .._validate import check_choice, check_positive
from ..exceptions import DataNotFoundError, GeoAccessWarning, InputValidationError
from ..notes import Note, warning_note
from ..settings import resolve_data_dir
from .boundaries import read_boundaries
from .facilities import read_facilities
from .population import join_population

__all__ = [
    "AUDIT_COLUMNS",
    "DESA_COLUMNS",
    "REGIONS",
    "SOURCES",
    "Region",
    "available",
    "example_region",
    "load",
]

logger = logging.getLogger(__name__)

#: Study regions: name -> (Kemendagri kabupaten code, display name).
REGIONS: dict[str, tuple[str, str]] = {
    "muara_enim": ("16.03", "Muara Enim"),
    "musi_banyuasin": ("16.06", "Musi Banyuasin"),
    "ogan_komering_ilir": ("16.02", "Ogan Komering Ilir"),
    "sarolangun": ("15.03", "Sarolangun"),
}

#: Files read by :func:`load`, relative to the data directory.
FILES: dict[str, str] = {
    "kabupaten": "boundaries/kabupaten_from_desa.geojson",
    "kecamatan": "boundaries/kecamatan_from_desa.geojson",
    "desa": "boundaries/desa.geojson",
    "population": "population/population_desa_sumsel_3kab.csv",
    "facilities": "facilities/facilities_4kab.csv",
    "national_facilities": "indonesia/facilities.csv",
    "roads": "roads/sumsel_national/jalanSumsel.shp",
}

#: Desa table columns carried into ``Region.desa`` besides ``population``: column of the
#: shared table -> the standard name the analysis reads (``geoaccess.pipeline`` uses
#: ``poverty_rate`` for the poverty table and ``flood_hazard_index`` for flood exposure;
#: a region built by hand without them gets those tables skipped, with a note).
DESA_COLUMNS: dict[str, str] = {
    "flood_hazard_index_bnpb": "flood_hazard_index",  # BNPB InaRISK flood hazard index
    "poverty_rate_idm": "poverty_rate",  # Indeks Desa Membangun, % of households
    "flood_event_freq_kemendes_2024": "flood_event_freq",  # Kemendes 2024 flood events
}
#: The standard names of :data:`DESA_COLUMNS`, as found in ``Region.desa``.
DESA_EXTRA_COLUMNS: tuple[str, ...] = tuple(DESA_COLUMNS.values())

#: Where the figures of a loaded region come from (written to a run's assumptions).
SOURCES: dict[str, str] = {
    # texts in the catalogue (geoaccess.outputs.i18n, source.bundled_*), in English as str
    key: Note(f"source.bundled_{key}")
    for key in ("population", "roads", "inpatient", "staff", "poverty_rate", "flood_hazard_index")
}

#: Audit columns of the shared tables (coordinate checks, source keys, matching notes):
#: kept in CSV outputs, left out of the spreadsheets written for planners.
AUDIT_COLUMNS: tuple[str, ...] = (
    "code_nodot",
    "level",
    "provinsi",
    "provinsi_code",
    "source",
    "sliver_holes_filled",
    "n_desa",
    "kabupaten_code",
    "kab_code",
    "kab_code_src",
    "lat_src",
    "lon_src",
    "source_id",
    "coord_usable",
    "coord_source",
    "dist_outside_kab_km",
    "kecamatan_source",
    "kecamatan_geo",
    "kec_geo_kode_kemendagri",
    "kecamatan_addr",
    "kec_check",
    "dist_to_addr_kec_km",
    "address",
    "bppsdmk_kode",
    "komdat_kode_instansi",
    "kode_rs",
    "in_komdat_2022",
    "in_bppsdmk_2019",
    "in_rs_directory",
    "notes",
    "type_input",
    "provinsi_src",
    "provinsi_code_src",
    "kab_match",
    "duplicate_group",
    "duplicate_group_size",
    "in_stated_kab",
    "dist_outside_stated_kab_km",
    "kab_code_geo",
    "kabupaten_geo",
    "coord_note",
    "centroid_lat_src",
    "centroid_lon_src",
    "name_src",
)
_POP_KEY = "kode_kemendagri_matched"

#: Desa of the population table that the shared data left unmatched by name although
#: their polygon exists under another spelling (same kecamatan, checked by hand against
#: boundaries/desa.geojson): BPS id -> Kemendagri code.
MANUAL_POPULATION_MATCHES: dict[str, str] = {
    "1603070006": "16.03.03.2019",  # 'Air Enau Upt Xi' (BPS) = Air Enau, Kec. Rambang Niru
    "1603090021": "16.03.06.2019",  # 'Kartamulia' (BPS) = Kerta Mulya, Kec. Gelumbang
}
_POP_COL = "pop_est_scaled_kepmendagri2025"
_NEIGHBOUR_TYPES = ("puskesmas", "rs")


@dataclass(frozen=True, eq=False)
class Region:
    """One kabupaten with everything an access study needs (all layers EPSG:4326).

    Attributes
    ----------
    name : str
        Region key, e.g. ``'muara_enim'``.
    kabupaten_code : str
        Kemendagri code, e.g. ``'16.03'``.
    kabupaten : GeoDataFrame
        The kabupaten polygon (dissolved from the desa polygons).
    kecamatan : GeoDataFrame
        Kecamatan polygons of the kabupaten (dissolved from desa).
    desa : GeoDataFrame
        Desa/kelurahan polygons with ``code``, ``name``, ``kecamatan_code``,
        ``population`` (persons, float; NaN where unknown) and, optionally, the standard
        indicator columns ``poverty_rate`` and ``flood_hazard_index`` (and
        ``flood_event_freq``): :func:`load` maps the shared table's columns to these
        names (:data:`DESA_COLUMNS`).
    facilities : GeoDataFrame
        The kabupaten's own puskesmas and hospitals (geoaccess facility schema), read
        with ``inpatient_rule='pkm_code_digit'`` and relocated as asked.
    neighbour_facilities : GeoDataFrame
        Puskesmas and hospitals of other kabupaten within ``buffer_km`` of the border.
    roads : GeoDataFrame
        National roads clipped to :attr:`study_area`, LineStrings with
        ``road_class='arteri'`` and ``class_source='national'``.
    buffer_km : float, default 25.0
        Buffer used for the study area (km).
    data_dir : Path, optional
        Data directory the region was read from (``None`` for a region built by hand).
    notes : tuple of str
        The data problems reported while loading (the same text as the warnings), kept
        so that a run's outputs can list them.
    unplaced_population : DataFrame or None
        Population rows with no desa polygon (``iddesa_bps``, ``name``, ``kecamatan``,
        ``kecamatan_code``, ``population``): desa too new to have a polygon. The
        pipeline spreads their people over their kecamatan instead of dropping them.
    sources : dict of str
        Where the figures come from (``population``, ``roads``, ``inpatient``, ``staff``,
        ...), written to a run's assumptions; empty for a region built by hand.
    audit_columns : tuple of str
        Columns of the layers that are audit fields of the data sources (kept in CSV
        outputs, left out of the planners' spreadsheets).
    desa_unit : {"desa", "kecamatan"}, default "desa"
        What the rows of ``desa`` are: desa, or kecamatan standing in for them when no
        desa layer was given (a config run without ``boundaries.desa``). The labels of
        the outputs (printed summary, print map legend, siting candidates) follow it.

    Examples
    --------
    A region can be built by hand from your own GeoDataFrames (EPSG:4326): here two
    kecamatan of 2 x 2 km with one desa each, a puskesmas, a hospital and one road.

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import Region
    >>> utm = "EPSG:32748"  # UTM 48S, metres
    >>> west = shapely.box(400_000, 9_590_000, 402_000, 9_592_000)
    >>> east = shapely.box(402_000, 9_590_000, 404_000, 9_592_000)
    >>> kec = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["Barat", "Timur"]},
    ...     geometry=[west, east], crs=utm).to_crs(4326)
    >>> desa = kec.assign(code=["D1", "D2"], kecamatan_code=["K1", "K2"],
    ...     population=[1000.0, 3000.0])
    >>> kab = gpd.GeoDataFrame({"code": ["99.01"], "name": ["Contoh"]},
    ...     geometry=[west | east], crs=utm).to_crs(4326)
    >>> fac = ga.read_facilities(gpd.GeoDataFrame(
    ...     {"facility_id": ["P1", "H1"], "name": ["Puskesmas Barat", "RSUD Timur"],
    ...      "type": ["puskesmas", "rs"], "inpatient": [False, True]}, crs=utm,
    ...     geometry=[shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)]))
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs=utm,
    ...     geometry=[shapely.LineString([(400_000, 9_591_000), (404_000, 9_591_000)])]).to_crs(4326)
    >>> region = Region("contoh", "99.01", kab, kec, desa, fac, fac.iloc[0:0], roads, buffer_km=0.0)
    >>> region.name, len(region.desa), len(region.facilities)
    ('contoh', 2, 2)

    :func:`example_region` returns this same region in one call (the other examples use it).
    """

    name: str
    kabupaten_code: str
    kabupaten: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    desa: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    neighbour_facilities: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    buffer_km: float = 25.0
    data_dir: Path | None = None
    notes: tuple[str, ...] = ()
    unplaced_population: pd.DataFrame | None = None
    sources: dict[str, str] = field(default_factory=dict)
    audit_columns: tuple[str, ...] = ()
    desa_unit: str = "desa"

    @cached_property
    def study_area(self) -> gpd.GeoDataFrame:
        """The kabupaten buffered by ``buffer_km`` (one row, EPSG:4326)."""
        return buffered_area(self.kabupaten, self.buffer_km)

    @property
    def display_name(self) -> str:
        """Name for titles, e.g. ``'Kabupaten Muara Enim'``."""
        return f"Kabupaten {REGIONS[self.name][1]}" if self.name in REGIONS else self.name

    @property
    def facilities_all(self) -> gpd.GeoDataFrame:
        """Own and neighbour facilities in one frame, with a boolean ``neighbour`` column."""
        own = self.facilities.assign(neighbour=False)
        if len(self.neighbour_facilities) == 0:
            return own.reset_index(drop=True)
        nb = self.neighbour_facilities.assign(neighbour=True)
        out = pd.concat([own, nb], ignore_index=True)
        return gpd.GeoDataFrame(out, geometry=own.geometry.name, crs=own.crs)

    def __repr__(self) -> str:
        fac = self.facilities
        located = int((~(fac.geometry.isna() | fac.geometry.is_empty)).sum())
        pop = self.desa["population"].sum(min_count=1) if "population" in self.desa else np.nan
        return (
            f"Region({self.name!r}, kabupaten_code={self.kabupaten_code!r}, "
            f"buffer_km={self.buffer_km})\n"
            f"  kecamatan: {len(self.kecamatan)}, desa: {len(self.desa)} "
            f"(population {pop:,.0f}; {int(self.desa['population'].isna().sum())} without)\n"
            f"  facilities: {len(fac)} ({fac['type'].value_counts().to_dict()}; "
            f"{located} located)\n"
            f"  neighbour_facilities: {len(self.neighbour_facilities)}\n"
            f"  roads: {len(self.roads)} lines\n"
            f"  data_dir: {self.data_dir}"
        )


def available() -> list[str]:
    """Names accepted by :func:`load`.

    Returns
    -------
    list of str
        The bundled region names, sorted.

    Examples
    --------
    >>> available()
    ['muara_enim', 'musi_banyuasin', 'ogan_komering_ilir', 'sarolangun']
    """
    return list(REGIONS)


def load(
    name: str,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    buffer_km: float = 25.0,
    relocate: str | None = "kecamatan",
) -> Region:
    """Load a study region from the shared data directory.

    Parameters
    ----------
    name : str
        One of :func:`available`: ``'muara_enim'`` (16.03), ``'musi_banyuasin'`` (16.06),
        ``'ogan_komering_ilir'`` (16.02), ``'sarolangun'`` (15.03).
    data_dir : path, optional
        The shared data directory. Default: ``geoaccess.options.data_dir``, then
        ``$GEOACCESS_DATA_DIR``, then ``../shared/data`` beside the checkout.
    buffer_km : float, default 25.0
        Width (km) of the band around the kabupaten from which neighbour facilities and
        roads are taken; facilities across the border are often the nearest ones.
    relocate : {'kecamatan', 'desa', None}, default ``'kecamatan'``
        Where to place own facilities without a usable coordinate (see
        :func:`geoaccess.inputs.facilities.read_facilities`). The shared facility table names
        only the kecamatan, so ``'desa'`` finds no match there.

    Returns
    -------
    Region

    Raises
    ------
    InputValidationError
        Unknown ``name`` (the message lists the valid names) or bad ``buffer_km`` /
        ``relocate``.
    DataNotFoundError
        No data directory, or a needed file is missing (the message names the file and
        the data directory).

    Warns
    -----
    GeoAccessWarning
        Facilities without usable coordinates (listed by id, with the relocation done),
        desa without population and population rows that match no desa; for
        ``'sarolangun'`` that no desa population exists.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():  # needs the shared data directory
    ...     warnings.simplefilter("ignore")
    ...     region = load("muara_enim")
    >>> len(region.kecamatan), len(region.desa)
    (22, 254)
    """
    if name not in REGIONS:
        raise InputValidationError(
            f"unknown region {name!r}; valid names are {available()}.", argument="name"
        )
    check_positive(buffer_km, "buffer_km", allow_zero=True)
    check_choice(relocate, ("kecamatan", "desa", None), "relocate")
    root = resolve_data_dir(data_dir)
    kab_code, display = REGIONS[name]
    paths = _paths(root, needs_population=name != "sarolangun")

    # Warnings of the readers are collected and re-issued at the caller of load().
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kab = _read_layer(paths["kabupaten"], f"code = '{kab_code}'", "kabupaten", kab_code, root)
        kec = _read_layer(paths["kecamatan"], f"kabupaten_code = '{kab_code}'", "kecamatan", kab_code, root)
        desa = _read_layer(paths["desa"], f"kabupaten_code = '{kab_code}'", "desa", kab_code, root)
        unplaced = _unplaced_population(desa, kec, paths.get("population"), kab_code)
        desa = _desa_population(desa, paths.get("population"), kab_code, display)
        area = buffered_area(kab, buffer_km)
        own = _own_facilities(paths["facilities"], kab_code, desa if relocate == "desa" else kec, relocate)
        own = _inpatient_evidence(own, paths["facilities"].parent / INPATIENT_EVIDENCE_FILE)
        neighbours = _neighbour_facilities(paths["national_facilities"], kab, area, own)
        roads = _roads(paths["roads"], area)
    notes = []
    for w in caught:
        text = warning_note(w.message)
        if issubclass(w.category, GeoAccessWarning):
            text = Note("note.load", name=repr(name), note=text)
            notes.append(text)
        warnings.warn(text, w.category, stacklevel=2)

    region = Region(
        name=name,
        kabupaten_code=kab_code,
        kabupaten=kab,
        kecamatan=kec,
        desa=desa,
        facilities=own,
        neighbour_facilities=neighbours,
        roads=roads,
        buffer_km=float(buffer_km),
        data_dir=root,
        notes=tuple(notes),
        unplaced_population=unplaced,
        sources=dict(SOURCES),
        audit_columns=AUDIT_COLUMNS,
    )
    logger.info("loaded %r", region)
    return region


def example_region(*, inpatient: bool = False, hospital: bool = True) -> Region:
    """A small kabupaten built by hand, for examples and tests.

    Two kecamatan of 2 x 2 km side by side (``K1`` "Barat" in the west, ``K2`` "Timur" in
    the east) in UTM zone 48S, with one desa each (``D1`` with 1,000 people, ``D2`` with
    3,000), a puskesmas in the west (``P1``, "Puskesmas Barat"), a hospital in the east
    (``H1``, "RSUD Timur", inpatient) and one ``lokal`` road running west to east through
    both. The kabupaten is "Contoh" (code ``99.01``); the region is named ``"contoh"``, has
    no neighbour facilities and no buffer. All layers are in EPSG:4326. The
    :class:`Region` example builds the same region step by step.

    Parameters
    ----------
    inpatient : bool, default False
        Whether the puskesmas ``P1`` has inpatient beds.
    hospital : bool, default True
        Whether the hospital ``H1`` is included; without it ``P1`` is the only facility.

    Returns
    -------
    Region
        The region, with ``buffer_km=0.0``.

    Examples
    --------
    >>> region = example_region()
    >>> region.name, region.kabupaten_code, len(region.desa), list(region.desa["population"])
    ('contoh', '99.01', 2, [1000.0, 3000.0])
    >>> region.facilities[["facility_id", "inpatient"]].values.tolist()
    [['P1', False], ['H1', True]]
    >>> example_region(inpatient=True, hospital=False).facilities["inpatient"].tolist()
    [True]
    """
    utm = "EPSG:32748"  # UTM 48S, metres
    west = shapely.box(400_000, 9_590_000, 402_000, 9_592_000)
    east = shapely.box(402_000, 9_590_000, 404_000, 9_592_000)
    kec = gpd.GeoDataFrame(
        {"code": ["K1", "K2"], "name": ["Barat", "Timur"]}, geometry=[west, east], crs=utm
    ).to_crs(4326)
    desa = kec.assign(code=["D1", "D2"], kecamatan_code=["K1", "K2"], population=[1000.0, 3000.0])
    kab = gpd.GeoDataFrame({"code": ["99.01"], "name": ["Contoh"]}, geometry=[west | east], crs=utm).to_crs(
        4326
    )
    rows: dict[str, list[object]] = {
        "facility_id": ["P1", "H1"],
        "name": ["Puskesmas Barat", "RSUD Timur"],
        "type": ["puskesmas", "rs"],
        "inpatient": [inpatient, True],
    }
    points = [shapely.Point(401_000, 9_591_000), shapely.Point(403_500, 9_591_000)]
    n = 2 if hospital else 1
    fac = read_facilities(gpd.GeoDataFrame({k: v[:n] for k, v in rows.items()}, geometry=points[:n], crs=utm))
    roads = gpd.GeoDataFrame(
        {"road_class": ["lokal"]},
        geometry=[shapely.LineString([(400_000, 9_591_000), (404_000, 9_591_000)])],
        crs=utm,
    ).to_crs(4326)
    return Region("contoh", "99.01", kab, kec, desa, fac, fac.iloc[0:0], roads, buffer_km=0.0)


# --------------------------------------------------------------------------- steps


def _paths(root: Path, *, needs_population: bool) -> dict[str, Path]:
    paths = {k: root / v for k, v in FILES.items()}
    if not needs_population:
        paths.pop("population")
    missing = [str(FILES[k]) for k, p in paths.items() if not p.exists()]
    if missing:
        raise DataNotFoundError(
            f"missing file(s) {missing} in the data directory {str(root)!r}. "
            "See data/README.md for what the data directory must contain, or pass "
            "data_dir= / set GEOACCESS_DATA_DIR to the right directory."
        )
    return paths


def _read_layer(path: Path, where: str, level: str, kab_code: str, root: Path) -> gpd.GeoDataFrame:
    raw = gpd.read_file(path, where=where)
    if len(raw) == 0:
        raise DataNotFoundError(
            f"no {level} of kabupaten {kab_code} in {path.relative_to(root)} "
            f"(data directory {str(root)!r}); the file does not match data/README.md."
        )
    out = read_boundaries(raw, level=level)
    return out.to_crs("EPSG:4326") if not out.crs.equals("EPSG:4326") else out


def _unplaced_population(
    desa: gpd.GeoDataFrame, kec: gpd.GeoDataFrame, path: Path | None, kab_code: str
) -> pd.DataFrame:
    """Population rows that match no desa polygon, with the kecamatan they belong to.

    Desa too new to have a polygon (SOURCES.md: probably split from a neighbour and still
    inside its polygon) keep their people in their kecamatan this way.
    """
    cols = ["iddesa_bps", "name", "kecamatan", "kecamatan_code", "population"]
    if path is None:
        return pd.DataFrame(columns=cols)
    table = pd.read_csv(path)
    table = table[table["kab_code"] == int(kab_code.replace(".", ""))].copy()
    bps = table["iddesa_bps"].astype(str)
    fix = bps.isin(MANUAL_POPULATION_MATCHES) & table[_POP_KEY].isna()
    table.loc[fix, _POP_KEY] = bps[fix].map(MANUAL_POPULATION_MATCHES)
    loose = table[~table[_POP_KEY].isin(set(desa["code"])) & table[_POP_COL].notna()]

    def key(v: object) -> str:
        return "".join(str(v).lower().split())

    kec_code = {key(n): c for n, c in zip(kec["name"], kec["code"], strict=True)}
    return pd.DataFrame(
        {
            "iddesa_bps": loose["iddesa_bps"].astype(str).to_numpy(),
            "name": loose["desa"].to_numpy(),
            "kecamatan": loose["kecamatan"].to_numpy(),
            "kecamatan_code": [kec_code.get(key(k)) for k in loose["kecamatan"]],
            "population": loose[_POP_COL].astype(float).to_numpy(),
        },
        columns=cols,
    )


def _desa_population(
    desa: gpd.GeoDataFrame, path: Path | None, kab_code: str, display: str
) -> gpd.GeoDataFrame:
    kab_digits = int(kab_code.replace(".", ""))
    table = pd.read_csv(path) if path is not None else None
    if table is not None:
        table = table[table["kab_code"] == kab_digits].copy()
        bps = table["iddesa_bps"].astype(str)
        fix = bps.isin(MANUAL_POPULATION_MATCHES) & table[_POP_KEY].isna()
        table.loc[fix, _POP_KEY] = bps[fix].map(MANUAL_POPULATION_MATCHES)
    if table is None or len(table) == 0:
        out = desa.copy()
        out["population"] = np.nan
        for c in DESA_COLUMNS.values():
            out[c] = np.nan
        warnings.warn(
            Note("note.no_desa_population", name=display, code=kab_code, file=FILES["population"]),
            GeoAccessWarning,
            stacklevel=2,
        )
        return out
    joined = join_population(
        desa,
        table,
        on="code",
        table_on=_POP_KEY,
        pop_col=_POP_COL,
        columns=list(DESA_COLUMNS),
    )
    return joined.rename(columns=DESA_COLUMNS)


#: Above this many polygons (island kabupaten) :func:`buffered_area` buffers each island
#: and unites the buffers: GEOS's buffer of the whole MultiPolygon takes seconds to minutes
#: and gigabytes there (Raja Ampat: 4 min, 6.5 GB at 25 km); the union differs from it by
#: GEOS's input simplification only (0.2% of the area for Batam's 612 islands).
MANY_PARTS = 100


def buffered_area(kab: gpd.GeoDataFrame, buffer_km: float) -> gpd.GeoDataFrame:
    """The kabupaten polygon(s) buffered by ``buffer_km`` (one row, EPSG:4326)."""
    geom = gpd.GeoSeries([kab.geometry.union_all()], crs=kab.crs)
    utm = utm_crs(geom)
    projected = geom.to_crs(utm)
    parts = shapely.get_parts(projected.to_numpy())
    if len(parts) > MANY_PARTS:
        one = shapely.union_all(shapely.buffer(parts, buffer_km * 1000.0))
        buffered = gpd.GeoSeries([one], crs=utm).to_crs("EPSG:4326")
    else:
        buffered = projected.buffer(buffer_km * 1000.0).to_crs("EPSG:4326")
    return gpd.GeoDataFrame(
        {"code": [kab["code"].iloc[0]], "buffer_km": [float(buffer_km)]},
        geometry=buffered.to_numpy(),
        crs="EPSG:4326",
    )


#: Explicit inpatient status from public reports (shared ``facilities/`` folder); where a
#: row exists it wins over the registration-code digit (see its SOURCES.md).
INPATIENT_EVIDENCE_FILE = "inpatient_evidence.csv"


def _inpatient_evidence(own: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """Apply the explicit inpatient evidence to the kabupaten's own facilities, saying what changed."""
    from .facilities import apply_inpatient_status

    if not path.exists():
        return own
    table = pd.read_csv(path, dtype=str)
    table = table[table["facility_id"].isin(own["facility_id"].astype(str))]
    if len(table) == 0:
        return own
    out = apply_inpatient_status(own, table)
    for change in out.attrs.get("inpatient_changes", []):
        warnings.warn(
            Note("note.inpatient_evidence", file=path.name, change=change),
            GeoAccessWarning,
            stacklevel=2,
        )
    return out.drop(columns="inpatient_previous")


def _own_facilities(
    path: Path, kab_code: str, boundaries: gpd.GeoDataFrame, relocate: str | None
) -> gpd.GeoDataFrame:
    table = pd.read_csv(path)
    table = table[table["kab_code"] == int(kab_code.replace(".", ""))]
    return read_facilities(
        table,
        boundaries=boundaries if relocate is not None else None,
        relocate=relocate,
        inpatient_rule="pkm_code_digit",
    )


def _national_id(source_id: object) -> str | None:
    """``kode_pkm:P1603…`` -> ``P1603…``; ``kode_rs:1603063`` -> ``R1603063``; else None."""
    if not isinstance(source_id, str) or ":" not in source_id:
        return None
    kind, code = source_id.split(":", 1)
    if kind == "kode_pkm":
        return code.strip()
    if kind == "kode_rs":
        return "R" + code.strip()
    return None


def _neighbour_facilities(
    path: Path, kab: gpd.GeoDataFrame, area: gpd.GeoDataFrame, own: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    nat = pd.read_csv(path, dtype={"facility_id": str})
    x0, y0, x1, y1 = area.total_bounds
    lat = pd.to_numeric(nat["lat"], errors="coerce")
    lon = pd.to_numeric(nat["lon"], errors="coerce")
    keep = (
        nat["type"].isin(_NEIGHBOUR_TYPES)
        & (nat["coord_quality"] == "ok")
        & lon.between(x0, x1)
        & lat.between(y0, y1)
    )
    cand = nat[keep.to_numpy()]
    pts = shapely.points(lon[keep].to_numpy(), lat[keep].to_numpy())
    inside_area = shapely.covers(area.geometry.iloc[0], pts)
    kab_geom = kab.geometry.union_all()
    inside_kab = shapely.covers(kab_geom, pts)
    own_ids = {i for i in map(_national_id, own.get("source_id", pd.Series(dtype=object))) if i}
    is_own = cand["facility_id"].isin(own_ids).to_numpy()
    sel = cand[inside_area & ~inside_kab & ~is_own]
    logger.info(
        "neighbour facilities: %d in the buffer outside the kabupaten (%d own ones and %d "
        "points inside the kabupaten left out)",
        len(sel),
        int((inside_area & is_own).sum()),
        int((inside_area & inside_kab & ~is_own).sum()),
    )
    if len(sel) == 0:
        return own.iloc[0:0].copy()
    return read_facilities(sel, inpatient_rule="pkm_code_digit")


def _roads(path: Path, area: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    roads = gpd.read_file(path, mask=area)
    if roads.crs is None:
        raise DataNotFoundError(f"{path} has no CRS (.prj missing?); the data directory is damaged.")
    if len(roads):
        clip_area = area.to_crs(roads.crs)
        roads = gpd.clip(roads, clip_area)
        roads = roads[~roads.geometry.is_empty & roads.geometry.notna()]
        roads = roads[roads.geom_type.isin(["LineString", "MultiLineString"])]
        roads = roads.explode(index_parts=False, ignore_index=True)
    roads = roads.to_crs("EPSG:4326")
    roads["road_class"] = "arteri"
    roads["class_source"] = "national"
    return roads.reset_index(drop=True)
