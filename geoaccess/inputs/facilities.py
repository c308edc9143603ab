"""Health facilities (puskesmas, pustu, posyandu, klinik, rumah sakit) with coordinate QA.

:func:`read_facilities` reads a facility list (CSV with latitude/longitude columns, a
vector file, or a (Geo)DataFrame) into the geoaccess facility schema, checks every
coordinate, repairs swapped latitude/longitude, optionally places facilities without a
usable coordinate at a representative point of their desa/kecamatan, and reports every
problem row by id in one :class:`~geoaccess.exceptions.GeoAccessWarning`. Rows are never
dropped. :func:`select` picks the facilities a travel-time question is about.

Output schema
-------------
facility_id
    Unique id (str).
name
    Facility name (str).
type
    ``puskesmas``, ``pustu``, ``posyandu``, ``klinik`` or ``rs``. ``type_input`` keeps the
    label as given when it differs from ``type`` somewhere (e.g. ``RSUD`` vs ``RSIA``).
inpatient
    pandas ``boolean``; ``<NA>`` = unknown (rawat inap: beds for in-patients).
inpatient_source
    ``'source'`` (read from the input), the rule that set the value
    (``'pkm_code_type_digit (unverified)'`` or ``'type rs'``, see ``inpatient_rule``), or
    ``'unknown'`` where ``inpatient`` is ``<NA>``.
staff
    Health workers (persons, float) from ``staff``, ``staff_total_2019`` or ``staff_total``
    when present (BPPSDMK 2019 counts in the shared data). Optional.
beds
    Hospital beds (float) from ``beds`` or ``rs_beds`` when present. Optional.
location_quality
    ``source`` (the input coordinate, with lat/lon swapped back where needed),
    ``desa_centroid`` / ``kecamatan_centroid`` (placed at the representative point of the
    desa/kecamatan polygon, a point guaranteed to lie inside it), or ``missing``.
coord_problem
    ``None`` or one of :data:`COORD_PROBLEMS`.
location_reason
    Why the row is not simply located at its source coordinate, in words (the
    coordinate problem, where the point lies, where it was placed instead); ``None``
    for rows located at a good source coordinate. Every row with
    ``location_quality != 'source'`` or a ``coord_problem`` has one.
geometry
    Point in EPSG:4326; ``None`` where ``location_quality == 'missing'``.

The input's coordinate columns and every other input column are returned unchanged for
audit; the geometry is the cleaned location.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from .._validate import check_choice, require_columns, require_crs, require_frame, require_unique
from ..exceptions import (
    CRSError,
    DataNotFoundError,
    GeoAccessWarning,
    InputValidationError,
    MissingColumnError,
    NonUniqueIDError,
)
from ..notes import Joined, Note
from ..settings import resolve_data_dir
from .tables import TABLE_SUFFIXES, directory_message, infer_numbers, parse_numbers, read_table

__all__ = [
    "COORD_PROBLEMS",
    "FACILITY_TYPES",
    "INDONESIA_BBOX",
    "INPATIENT_RULES",
    "LAND_TOLERANCE_DEG",
    "LOCATION_QUALITIES",
    "NATIONAL_LAND_FILE",
    "NEIGHBOUR_OUTLINES",
    "SELECT_CATEGORIES",
    "apply_inpatient_status",
    "read_facilities",
    "select",
]

logger = logging.getLogger(__name__)

#: Facility types of the geoaccess schema.
FACILITY_TYPES: tuple[str, ...] = ("puskesmas", "pustu", "posyandu", "klinik", "rs")

#: Values of ``location_quality``.
LOCATION_QUALITIES: tuple[str, ...] = ("source", "desa_centroid", "kecamatan_centroid", "missing")

#: Values of ``coord_problem`` (besides ``None``).
COORD_PROBLEMS: tuple[str, ...] = (
    "missing",
    "not_numeric",
    "zero",
    "swapped_latlon",
    "flipped_lat_sign",
    "outside_area",
)

#: Indonesia bounding box (lon_min, lat_min, lon_max, lat_max) in degrees: lat -11.2..6.2,
#: lon 94.8..141.1. Source: ``indonesia/SOURCES.md`` of the shared data (the national
#: kab polygons span lat -11.008..6.077, lon 94.972..141.020).
INDONESIA_BBOX: tuple[float, float, float, float] = (94.8, -11.2, 141.1, 6.2)

#: The national kabupaten polygons in the data directory, used as "Indonesian land" by
#: :func:`read_facilities` (``land='auto'``). Source: ``indonesia/SOURCES.md``.
NATIONAL_LAND_FILE = "indonesia/kabupaten.geojson"

#: How far (degrees; 0.25 deg is about 28 km) a point may lie off the national kabupaten
#: polygons and still count as on land. The polygons are simplified and leave out small
#: islands: of the 10,199 points of the national 2019 facility list
#: (``indonesia/facilities.csv``), 85 lie off them, all within 7 km but one island
#: puskesmas (Salissingan, Mamuju) 23 km off. Points nearer than this to Indonesian land
#: in a neighbouring country are caught by :data:`NEIGHBOUR_OUTLINES` instead.
LAND_TOLERANCE_DEG = 0.25

#: Coarse outlines (lon, lat) drawn well inside neighbouring countries near Indonesian land,
#: used with the land polygons so that a point there is flagged with the country's name
#: (Singapore and Johor Bahru are 12 and 33 km from Batam; Tawau 9 km from Sebatik).
#: They are deliberately smaller than the countries: a point near a border is only
#: caught if it is far enough from Indonesian land.
NEIGHBOUR_OUTLINES: dict[str, tuple[tuple[float, float], ...]] = {
    "Singapore / Johor (Malaysia)": ((103.60, 1.21), (104.05, 1.21), (104.05, 1.50), (103.60, 1.50)),
    "Peninsular Malaysia": (
        (100.40, 6.40), (100.35, 5.00), (100.90, 4.00), (101.40, 3.00), (101.90, 2.50),
        (102.60, 2.10), (103.40, 1.55), (104.00, 1.55), (103.70, 2.40), (103.20, 3.50),
        (103.10, 4.30), (102.90, 5.30), (102.20, 6.10),
    ),
    "Sabah (Malaysia), Tawau": ((117.70, 4.21), (118.80, 4.21), (118.80, 5.00), (117.70, 5.00)),
    "Timor-Leste": ((125.35, -8.50), (127.30, -8.35), (127.10, -8.70), (125.40, -9.25)),
}  # fmt: skip

#: Rules that may fill an unknown ``inpatient`` value (see :func:`read_facilities`).
INPATIENT_RULES: tuple[str, ...] = ("pkm_code_digit",)

#: Categories accepted by :func:`select`.
SELECT_CATEGORIES: tuple[str, ...] = ("puskesmas", "inpatient", "hospital", "pustu", "any")

PKM_DIGIT_SOURCE = "pkm_code_type_digit (unverified)"
_RS_RULE_SOURCE = "type rs"

_TYPE_ALIASES: dict[str, str] = {
    # puskesmas (community health centre)
    "puskesmas": "puskesmas",
    "pkm": "puskesmas",
    "pusk": "puskesmas",
    "puskesmas rawat inap": "puskesmas",
    "puskesmas non rawat inap": "puskesmas",
    "puskesmas perawatan": "puskesmas",
    "puskesmas non perawatan": "puskesmas",
    "health center": "puskesmas",
    "health centre": "puskesmas",
    "community health center": "puskesmas",
    "community health centre": "puskesmas",
    # pustu (auxiliary puskesmas)
    "pustu": "pustu",
    "puskesmas pembantu": "pustu",
    "pusban": "pustu",
    # posyandu
    "posyandu": "posyandu",
    # klinik
    "klinik": "klinik",
    "klinik pratama": "klinik",
    "klinik utama": "klinik",
    "clinic": "klinik",
    # rumah sakit (hospital)
    "rs": "rs",
    "rsu": "rs",
    "rsud": "rs",
    "rsia": "rs",
    "rsk": "rs",
    "rsup": "rs",
    "rsab": "rs",
    "rumah sakit": "rs",
    "rumah sakit umum": "rs",
    "rumah sakit umum daerah": "rs",
    "rumah sakit ibu dan anak": "rs",
    "rumah sakit khusus": "rs",
    "hospital": "rs",
    "general hospital": "rs",
}
# Prefix rules tried after the exact aliases (longest first).
_TYPE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("puskesmas pembantu", "pustu"),
    ("pustu ", "pustu"),
    ("puskesmas", "puskesmas"),
    ("posyandu ", "posyandu"),
    ("rumah sakit", "rs"),
    ("rsud ", "rs"),
    ("rsu ", "rs"),
    ("rsia ", "rs"),
    ("rsup ", "rs"),
    ("rsk ", "rs"),
    ("rs ", "rs"),
    ("klinik", "klinik"),
    ("hospital", "rs"),
)

_TRUE = {"true", "t", "yes", "y", "ya", "1", "1.0", "rawat inap", "inpatient"}
_FALSE = {"false", "f", "no", "n", "tidak", "0", "0.0", "non rawat inap", "outpatient"}
_UNKNOWN = {"", "unknown", "tidak diketahui", "na", "n/a", "nan", "none", "null", "<na>", "?"}
#: Returned by :func:`inpatient_value` for a value that is not a yes/no/unknown word.
NOT_RECOGNISED = object()


def inpatient_value(v: Any) -> Any:
    """One inpatient value as True / False / ``pd.NA`` (unknown), or :data:`NOT_RECOGNISED`.

    Shared by :func:`read_facilities` and :func:`geoaccess.analysis.targets.kecamatan_targets`, so
    both accept the same words (case, spaces, ``_`` and ``-`` ignored).
    """
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return pd.NA
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | float | np.integer | np.floating) and v in (0, 1):
        return bool(v)
    label = " ".join(str(v).lower().replace("_", " ").replace("-", " ").split())
    if label in _TRUE:
        return True
    if label in _FALSE:
        return False
    if label in _UNKNOWN:
        return pd.NA
    return NOT_RECOGNISED


_BLANK_COORD = {"", "-", "na", "n/a", "nan", "none", "null"}

# Facility-table columns used to match a facility to a desa/kecamatan polygon, in order.
_REGION_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "kecamatan": (
        ("kecamatan_code", "kode_kecamatan", "kec_code"),
        ("kecamatan", "nama_kecamatan", "kec"),
    ),
    "desa": (
        ("desa_code", "kode_desa", "kelurahan_code"),
        ("desa", "kelurahan", "desa_kelurahan", "nama_desa"),
    ),
}
_KAB_KEYS = ("kab_code", "kabupaten_code", "kode_kabupaten", "kode_kab")
_PKM_CODE = re.compile(r"^(?:kode_pkm:)?P\d{7}(\d)\d{2}$")


def read_facilities(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    id_col: str = "facility_id",
    lat_col: str = "lat",
    lon_col: str = "lon",
    type_col: str = "type",
    inpatient_col: str = "inpatient",
    name_col: str = "name",
    area: gpd.GeoDataFrame | gpd.GeoSeries | BaseGeometry | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    relocate: str | None = None,
    inpatient_rule: str | None = None,
    crs: Any = "EPSG:4326",
    land: Any = "auto",
) -> gpd.GeoDataFrame:
    """Read a facility list into the geoaccess facility schema, checking every coordinate.

    Parameters
    ----------
    source : path, DataFrame or GeoDataFrame
        A CSV file (``.csv``/``.tsv``/``.txt``) with latitude/longitude columns, a vector
        file of points, a DataFrame with latitude/longitude columns, or a GeoDataFrame of
        points (with a CRS). The input is never modified.
    id_col : str, default ``"facility_id"``
        Unique facility id; returned as str in ``facility_id``.
    lat_col, lon_col : str, default ``"lat"``, ``"lon"``
        Coordinate columns (decimal degrees in ``crs``), used unless ``source`` is a
        GeoDataFrame with geometries. Blank, ``-`` and NaN mean missing; a decimal comma
        is accepted.
    type_col : str, default ``"type"``
        Facility type. Common labels are mapped onto :data:`FACILITY_TYPES`
        (``Puskesmas``, ``PKM`` -> puskesmas; ``Puskesmas Pembantu`` -> pustu; ``RSUD``,
        ``RSIA``, ``rumah sakit``, ``hospital``, ``RS ...`` -> rs; ``Klinik Pratama`` ->
        klinik; ...). The raw label is kept in ``type_input`` when it differs.
    inpatient_col : str, default ``"inpatient"``
        Rawat-inap flag: true/false/unknown, 1/0, ya/tidak, yes/no (case-insensitive);
        blank = unknown. If the default column is absent every value is unknown; a
        column named explicitly must exist.
    name_col : str, default ``"name"``
        Facility name; if the default column is absent, the id is used as the name.
    area : GeoDataFrame, GeoSeries or shapely geometry, optional
        Study area polygon(s). A GeoDataFrame/GeoSeries may be in any CRS; a bare shapely
        geometry must be in EPSG:4326. Points outside it are flagged ``outside_area`` and
        treated as unlocated. Default: the Indonesia bounding box :data:`INDONESIA_BBOX`.
    boundaries : GeoDataFrame, optional
        Desa or kecamatan polygons with ``code`` and ``name`` columns (as returned by
        :func:`geoaccess.inputs.boundaries.read_boundaries`), needed for ``relocate``.
    relocate : {None, 'desa', 'kecamatan'}
        Place facilities without a usable coordinate at the representative point of
        their desa/kecamatan polygon in ``boundaries``. The facility row is matched by a
        code column (``kecamatan_code``/``desa_code``, compared with ``code``) or else a
        name column (``kecamatan``/``desa``, compared case-insensitively with ``name``);
        where both tables carry a kabupaten code (``kab_code``/``kabupaten_code``),
        only polygons of the same kabupaten are considered. ``location_quality`` then
        says ``kecamatan_centroid`` or ``desa_centroid``. ``None`` (default) leaves them
        with geometry ``None`` and ``location_quality='missing'``.
    inpatient_rule : {None, 'pkm_code_digit'}
        Fill unknown ``inpatient`` values: for puskesmas, read the type digit of the
        Kemenkes puskesmas code (column ``pkm_code_type_digit``, else the 9th character
        of a ``P`` + 10-digit code in ``id_col`` or ``source_id``): 1 -> True (puskesmas
        perawatan), 2 -> False. This reading is common but **unverified** and the digit
        is set at registration, so ``inpatient_source`` says
        ``'pkm_code_type_digit (unverified)'``. Hospitals (``rs``) become True
        (``inpatient_source='type rs'``). Known input values are never overwritten.
    crs : CRS-like, default ``"EPSG:4326"``
        CRS of ``lat_col``/``lon_col`` (x = lon column, y = lat column). Swapped-column
        detection is only done for a geographic CRS.
    land : 'auto', GeoDataFrame or None, default ``'auto'``
        Indonesian land, used when ``area`` is not given (and to say why a point lies
        outside ``area``): ``'auto'`` takes the national kabupaten polygons
        :data:`NATIONAL_LAND_FILE` of the data directory when it is found (points up to
        :data:`LAND_TOLERANCE_DEG` off them count as on land), so points in Malaysia,
        Singapore, Brunei, Timor-Leste or the sea are flagged; without a data directory
        (or with ``None``) only the coarse :data:`INDONESIA_BBOX` is checked, which cannot
        tell land from sea or neighbouring countries inside the box. A GeoDataFrame of
        land polygons (any CRS) is used as given.

    Returns
    -------
    GeoDataFrame
        One row per input row, same index and order, in EPSG:4326, with the columns
        described in the module docstring followed by all other input columns.

    Raises
    ------
    DataNotFoundError
        ``source`` is a path that does not exist.
    MissingColumnError
        ``id_col``, ``type_col`` or the coordinate columns are absent.
    NonUniqueIDError
        Two rows share an id (also ``1`` and ``"1"``: ids are compared as text).
    EmptyInputError
        The file or frame has no rows.
    InputValidationError
        Empty ids, ids that are decimal numbers, unknown facility types or inpatient
        values, staff/beds that are not numbers (all listed), a directory, a truncated or
        malformed file, a bad ``relocate``/``inpatient_rule``/``area``/``boundaries``/
        ``land`` argument.
    CRSError
        A GeoDataFrame input has no CRS, or ``crs`` is not a valid CRS.

    Warns
    -----
    GeoAccessWarning
        One warning listing, by id, every row with a coordinate problem (missing, not
        numeric, zero, swapped lat/lon -> fixed, outside the area), every relocated row
        and every row left without a location. If the input has a ``coord_quality``
        column (as the shared data does), its value is shown next to each id.

    Notes
    -----
    Checks, in order: not numeric; missing; zero (lat or lon exactly 0); then, for a
    geographic CRS, swapped (``(lat, lon)`` outside ``area``/Indonesian land but
    ``(lon, lat)`` inside: fixed, ``location_quality='source'``); flipped latitude sign
    (``(-lat, lon)`` inside: flagged ``flipped_lat_sign``, not fixed); else outside the
    area (``location_reason`` says whether the point is off Indonesian land or in
    Indonesia but outside ``area``). Flagged points are not trusted: they become
    unlocated (or relocated).

    Numbers: ``staff`` and ``beds`` written the Indonesian way (``1.234``) or the English
    way are read per column by :func:`geoaccess.inputs.tables.parse_numbers`; a value
    that is not a number (``12 orang``) raises. A CSV/XLSX path is read with every cell
    as text (:func:`geoaccess.inputs.tables.read_table`), so ids such as ``0012`` stay
    as written.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"facility_id": ["A", "B"], "name": ["PKM A", "RSUD B"],
    ...                    "type": ["Puskesmas", "RSUD"], "lat": [-3.64, 103.77],
    ...                    "lon": [103.78, -3.64]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     fac = read_facilities(df)
    >>> fac[["facility_id", "type", "coord_problem"]].to_numpy().tolist()
    [['A', 'puskesmas', None], ['B', 'rs', 'swapped_latlon']]
    """
    check_choice(relocate, (None, "desa", "kecamatan"), "relocate")
    check_choice(inpatient_rule, (None, *INPATIENT_RULES), "inpatient_rule")
    if relocate is not None and boundaries is None:
        raise InputValidationError(
            f"relocate={relocate!r} needs boundaries=<{relocate} polygons with 'code' and "
            "'name'> (e.g. geoaccess.inputs.boundaries.read_boundaries(...)); or pass relocate=None.",
            argument="relocate",
        )
    df, from_file = _read_table(source)
    require_frame(df, "source", geo=False)
    geom_mode = isinstance(df, gpd.GeoDataFrame) and _has_geometry(df)
    if geom_mode:
        require_crs(df, "source")
    else:
        require_columns(df, [lat_col, lon_col], "source")
        crs = _check_crs(crs)
    require_columns(df, [id_col, type_col], "source")
    # Optional columns may be absent only under their default names (a typo must not pass).
    for given, default in ((inpatient_col, "inpatient"), (name_col, "name")):
        if given != default:
            require_columns(df, [given], "source")
    area_geom = _area_geometry(area)
    bnd = _check_boundaries(boundaries, relocate) if relocate is not None else None

    ids = _ids(df[id_col])
    types = normalise_types(df[type_col], ids)
    inpatient = (
        _parse_inpatient(df[inpatient_col], ids)
        if inpatient_col in df.columns
        else pd.Series(pd.NA, index=df.index, dtype="boolean")
    )
    if geom_mode:
        x, y, problem, geographic = _coords_from_geometry(df)
    else:
        x, y, problem = _coords_from_columns(df[lon_col], df[lat_col], crs)
        geographic = pyproj.CRS.from_user_input(crs).is_geographic
    land_info = _land(land)
    x, y, problem, where_reasons = _check_location(x, y, problem, area_geom, geographic, land_info)
    reason = _first_reasons(problem, where_reasons, df, None if geom_mode else (lat_col, lon_col))
    counts, count_notes = _counts(df, ids)

    located = problem.isna() | (problem == "swapped_latlon")
    quality = pd.Series(np.where(located, "source", "missing"), index=df.index, dtype=object)
    geoms = np.array([None] * len(df), dtype=object)
    geoms[located.to_numpy()] = shapely.points(x[located.to_numpy()], y[located.to_numpy()])

    reloc_notes: dict[str, list[str]] = {}
    if bnd is not None and relocate is not None:
        geoms, quality, reloc_notes = _relocate(df, ids, geoms, quality, bnd, relocate)
        reason = _relocation_reasons(reason, ids, quality, reloc_notes)
    missing_left = (quality == "missing").to_numpy() & reason.isna().to_numpy()
    if missing_left.any():  # every unlocated row says why (accounting)
        reason[missing_left] = "no usable coordinate"

    inpatient, inpatient_source = _apply_inpatient_rule(df, types, inpatient, inpatient_rule, id_col)

    out = _assemble(
        df,
        ids,
        types,
        inpatient,
        inpatient_source,
        quality,
        problem,
        geoms,
        counts,
        reason,
        from_file=from_file,
        id_col=id_col,
        type_col=type_col,
        inpatient_col=inpatient_col,
        name_col=name_col,
    )
    msg = _problem_message(out, df, reloc_notes)
    if count_notes:
        msg = (
            Joined("\n", [msg, "; ".join(count_notes)])
            if msg
            else "read_facilities: " + "; ".join(count_notes)
        )
    if land_info is None and area_geom is None and geographic:
        logger.info(
            "read_facilities: no national kabupaten polygons found (%s in the data directory); "
            "coordinates were checked against the Indonesia bounding box only",
            NATIONAL_LAND_FILE,
        )
    if msg:
        warnings.warn(msg, GeoAccessWarning, stacklevel=2)
    logger.info("read %d facilities: %s", len(out), out["location_quality"].value_counts().to_dict())
    return out


def select(facilities: gpd.GeoDataFrame, category: str) -> gpd.GeoDataFrame:
    """Pick the facilities of one category, leaving out rows without a location.

    Parameters
    ----------
    facilities : GeoDataFrame
        Output of :func:`read_facilities` (needs ``facility_id``, ``type``, ``inpatient``).
    category : {'puskesmas', 'inpatient', 'hospital', 'pustu', 'any'}
        ``puskesmas``: every puskesmas. ``inpatient``: puskesmas with ``inpatient`` True
        (rawat inap; unknown counts as not inpatient). ``hospital``: type ``rs``.
        ``pustu``: pustu. ``any``: puskesmas and pustu.

    Returns
    -------
    GeoDataFrame
        A new frame with the selected rows that have a geometry, original index kept.

    Warns
    -----
    GeoAccessWarning
        Listing the ids of selected rows left out because they have no geometry, and
        for ``inpatient`` the puskesmas left out because their inpatient status is
        unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"facility_id": ["A", "B"], "type": ["puskesmas", "rs"],
    ...                    "lat": [-3.6, -3.7], "lon": [103.7, 103.8]})
    >>> select(read_facilities(df), "hospital")["facility_id"].tolist()
    ['B']
    """
    require_frame(facilities, "facilities")
    require_columns(facilities, ["facility_id", "type", "inpatient"], "facilities")
    check_choice(category, SELECT_CATEGORIES, "category")
    ftype = facilities["type"]
    inpatient = facilities["inpatient"].astype("boolean")
    notes: list[str] = []
    if category == "puskesmas":
        mask = ftype == "puskesmas"
    elif category == "hospital":
        mask = ftype == "rs"
    elif category == "pustu":
        mask = ftype == "pustu"
    elif category == "any":
        mask = ftype.isin(["puskesmas", "pustu"])
    else:  # inpatient
        pkm = ftype == "puskesmas"
        mask = pkm & inpatient.fillna(False)
        unknown = facilities.loc[pkm & inpatient.isna(), "facility_id"].tolist()
        if unknown:
            by_digit = (
                "inpatient_source" in facilities
                and facilities["inpatient_source"].astype(str).str.startswith("pkm_code").any()
            )
            notes.append(
                Note(
                    "note.select_unknown_inpatient" if by_digit else "note.select_unknown_inpatient_rule",
                    n=len(unknown),
                    ids=_fmt_ids(unknown),
                )
            )
    mask = mask.fillna(False).astype(bool)
    geom = facilities.geometry
    no_geom = mask & (geom.isna() | geom.is_empty)
    if no_geom.any():
        ids = facilities.loc[no_geom, "facility_id"].tolist()
        notes.insert(
            0,
            Note(
                "note.select_no_location_one" if len(ids) == 1 else "note.select_no_location",
                n=len(ids),
                category=Note(f"category_short.{category}") if category in _NOTE_CATEGORIES else category,
                ids=_fmt_ids(ids),
            ),
        )
    if notes:
        warnings.warn(Note("note.select", notes=Joined("; ", notes)), GeoAccessWarning, stacklevel=2)
    return facilities.loc[mask & ~no_geom].copy()


# --------------------------------------------------------------------------- reading


def _read_table(source: Any) -> tuple[pd.DataFrame, bool]:
    """The input as a frame, and whether it was read from a text/Excel table (all text)."""
    if isinstance(source, pd.DataFrame):
        return source, False
    if not isinstance(source, str | os.PathLike):
        raise InputValidationError(
            f"expected a CSV/vector file path, a DataFrame or a GeoDataFrame, got {type(source).__name__}",
            argument="source",
        )
    path = Path(source)
    if not path.exists():
        raise DataNotFoundError(
            f"`source`: file {str(path)!r} does not exist. Check the path "
            "(see data/README.md for where the shared data lives)."
        )
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return read_table(path, argument="source"), True
    if path.is_dir() and suffix != ".gdb":
        raise InputValidationError(directory_message(path), argument="source")
    try:
        return gpd.read_file(path), False
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, ...
        raise InputValidationError(
            f"could not read {str(path)!r} as a vector file ({type(exc).__name__}: {exc}). Give a "
            "CSV/XLSX table with lat/lon columns or a GeoPackage/GeoJSON/shapefile of points.",
            argument="source",
        ) from exc


def _has_geometry(df: gpd.GeoDataFrame) -> bool:
    try:
        geom = df.geometry
    except AttributeError:
        return False
    return bool((~(geom.isna() | geom.is_empty)).any())


def _check_crs(crs: Any) -> Any:
    try:
        pyproj.CRS.from_user_input(crs)
    except Exception as exc:  # pyproj raises CRSError subclasses and TypeError
        raise CRSError(
            f"{crs!r} is not a valid CRS ({exc}). Pass e.g. 'EPSG:4326' for longitude/latitude.",
            argument="crs",
        ) from exc
    return crs


def _area_geometry(area: Any) -> BaseGeometry | None:
    if area is None:
        return None
    if isinstance(area, gpd.GeoDataFrame | gpd.GeoSeries):
        if len(area) == 0:
            raise InputValidationError("it has no rows", argument="area")
        if area.crs is None:
            raise CRSError("it has no CRS; set one with .set_crs(...)", argument="area")
        geom = gpd.GeoSeries(area.geometry).to_crs("EPSG:4326").union_all()
    elif isinstance(area, BaseGeometry):
        geom = area
    else:
        raise InputValidationError(
            f"expected a GeoDataFrame, GeoSeries or shapely geometry, got {type(area).__name__}",
            argument="area",
        )
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise InputValidationError(
            "it must be polygon(s) (the study area); got "
            f"{'an empty geometry' if geom is None or geom.is_empty else geom.geom_type}",
            argument="area",
        )
    shapely.prepare(geom)
    return geom


def _check_boundaries(boundaries: Any, relocate: str) -> gpd.GeoDataFrame:
    require_frame(boundaries, "boundaries")
    require_crs(boundaries, "boundaries")
    try:
        require_columns(boundaries, ["code", "name"], "boundaries")
    except MissingColumnError as exc:
        raise MissingColumnError(
            f"{exc.problems[0]} Read the polygons with geoaccess.inputs.boundaries.read_boundaries() "
            "to get the standard columns.",
            argument="boundaries",
        ) from None
    bnd = boundaries
    if "level" in bnd.columns and bnd["level"].notna().any():
        lv = (bnd["level"].astype("string").str.strip().str.lower() == relocate).fillna(False)
        if not lv.any():
            raise InputValidationError(
                f"relocate={relocate!r} but the polygons have level "
                f"{sorted(map(str, bnd['level'].dropna().unique()))}; pass {relocate} polygons "
                "or change `relocate`.",
                argument="boundaries",
            )
        bnd = bnd[lv.to_numpy()]
    return bnd


def _ids(s: pd.Series) -> pd.Series:
    bad = s.isna() | (s.astype("string").str.strip() == "")
    if bad.any():
        raise InputValidationError(
            f"{int(bad.sum())} row(s) have an empty id (row positions "
            f"{list(map(int, np.flatnonzero(bad.to_numpy())[:10]))}). Give every facility an id.",
            argument="source",
        )
    fractional = [
        f"{v!r} (row {label})"
        for label, v in s.items()
        if isinstance(v, float | np.floating) and not float(v).is_integer()
    ]
    if fractional:
        raise InputValidationError(
            f"{len(fractional)} id(s) are decimal numbers: {fractional[:10]}. An id read as a "
            "number may have lost leading zeros or digits (0012 -> 12, 16.030 -> 16.03); read "
            "the ids as text (pd.read_csv(..., dtype={'facility_id': str}) or pass the file path).",
            argument="source",
        )
    ids = pd.Series(
        [str(int(v)) if isinstance(v, float | np.floating) else str(v).strip() for v in s],
        index=s.index,
        dtype=object,
    )
    dup = ids[ids.duplicated(keep=False)]
    if len(dup):
        raw = s[dup.index]
        types = {i: sorted({type(v).__name__ for v in raw[dup == i]}) for i in set(dup)}
        mixed = sorted(f"{i!r} ({' and '.join(t)})" for i, t in types.items() if len(t) > 1)
        if mixed:
            raise NonUniqueIDError(
                f"column 'facility_id' must be unique; ids of different types are the same as text: "
                f"{mixed[:10]} (e.g. 1 and '1'). Give each facility its own id.",
                argument="source",
            )
    require_unique(pd.DataFrame({"facility_id": ids}), "facility_id", "source")
    return ids


def _norm_label(v: Any) -> str:
    text = str(v).lower().replace("_", " ").replace("-", " ").replace(".", " ")
    return " ".join(text.split())


def normalise_types(s: pd.Series, ids: pd.Series) -> pd.Series:
    """Facility type labels (Indonesian and English) -> geoaccess types; unknown labels raise."""
    out: list[str | None] = []
    bad: dict[str, list[str]] = {}
    for fid, v in zip(ids, s, strict=True):
        t = None
        if not (v is None or v is pd.NA or (isinstance(v, float) and v != v)):
            label = _norm_label(v)
            t = _TYPE_ALIASES.get(label)
            if t is None:
                for prefix, val in _TYPE_PREFIXES:
                    if label.startswith(prefix):
                        t = val
                        break
        if t is None:
            missing = v is None or v is pd.NA or (isinstance(v, float) and v != v)
            bad.setdefault("<empty>" if missing else repr(v), []).append(fid)
        out.append(t)
    if bad:
        listing = "; ".join(f"{k} (ids {_fmt_ids(v, 5)})" for k, v in sorted(bad.items()))
        raise InputValidationError(
            f"unknown facility type(s): {listing}. Known types are {list(FACILITY_TYPES)} "
            "plus variants such as 'Puskesmas', 'Puskesmas Pembantu', 'RSUD', 'rumah sakit', "
            "'hospital', 'Klinik Pratama'. Fix the labels, or pass type_col= for the right column.",
            argument="source",
        )
    return pd.Series(out, index=s.index, dtype=object)


def _parse_inpatient(s: pd.Series, ids: pd.Series) -> pd.Series:
    vals: list[Any] = []
    bad: dict[str, list[str]] = {}
    for fid, v in zip(ids, s, strict=True):
        value = inpatient_value(v)
        if value is NOT_RECOGNISED:
            bad.setdefault(repr(v), []).append(fid)
            value = pd.NA
        vals.append(value)
    if bad:
        listing = "; ".join(f"{k} (ids {_fmt_ids(v, 5)})" for k, v in sorted(bad.items()))
        raise InputValidationError(
            f"unrecognised inpatient value(s): {listing}. Use true/false/unknown, 1/0, "
            "ya/tidak or yes/no (blank = unknown).",
            argument="source",
        )
    return pd.Series(vals, index=s.index, dtype="boolean")


# --------------------------------------------------------------------------- coordinates


def _parse_coord(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (values, missing, not_numeric) arrays for one coordinate column."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        vals = pd.to_numeric(s, errors="coerce").astype(float).to_numpy()
        missing = np.isnan(vals)
        not_numeric = np.isinf(vals)
        return np.where(not_numeric, np.nan, vals), missing, not_numeric
    text = s.astype("string").str.strip()
    missing = (text.isna() | text.str.lower().isin(_BLANK_COORD)).fillna(True).to_numpy(bool)
    num = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    vals = num.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    not_numeric = ~missing & ~np.isfinite(vals)
    vals = np.where(np.isfinite(vals), vals, np.nan)
    return vals, missing, not_numeric


def _coords_from_columns(
    lon: pd.Series, lat: pd.Series, crs: Any
) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    x, x_missing, x_bad = _parse_coord(lon)
    y, y_missing, y_bad = _parse_coord(lat)
    problem = _first_problem(
        [("not_numeric", x_bad | y_bad), ("missing", x_missing | y_missing), ("zero", (x == 0) | (y == 0))],
        len(lon),
    )
    src = pyproj.CRS.from_user_input(crs)
    if not src.equals(pyproj.CRS.from_epsg(4326)):
        ok = np.array([p is None for p in problem])
        tr = pyproj.Transformer.from_crs(src, "EPSG:4326", always_xy=True)
        x = x.copy()
        y = y.copy()
        x[ok], y[ok] = tr.transform(x[ok], y[ok])
    return x, y, pd.Series(problem, index=lon.index, dtype=object)


def _coords_from_geometry(
    gdf: gpd.GeoDataFrame,
) -> tuple[np.ndarray, np.ndarray, pd.Series, bool]:
    geom = gdf.geometry
    absent = (geom.isna() | geom.is_empty).to_numpy()
    types = set(geom[~absent].geom_type.unique())
    if types - {"Point"}:
        raise InputValidationError(
            f"facility geometries must be Points, found {sorted(types)}. Use e.g. "
            "`.representative_point()` first, or give lat/lon columns in a DataFrame.",
            argument="source",
        )
    geographic = bool(gdf.crs.is_geographic)
    g4326 = geom.to_crs("EPSG:4326") if not gdf.crs.equals("EPSG:4326") else geom
    x = np.full(len(gdf), np.nan)
    y = np.full(len(gdf), np.nan)
    pts = g4326.to_numpy()[~absent]
    x[~absent] = shapely.get_x(pts)
    y[~absent] = shapely.get_y(pts)
    problem = _first_problem(
        [
            ("missing", absent),
            ("not_numeric", ~(np.isfinite(x) & np.isfinite(y))),
            ("zero", (x == 0) | (y == 0)),
        ],
        len(gdf),
    )
    return x, y, pd.Series(problem, index=gdf.index, dtype=object), geographic


def _first_problem(rules: list[tuple[str, np.ndarray]], n: int) -> np.ndarray:
    """Per row, the first problem whose mask is True (else None)."""
    problem = np.full(n, None, dtype=object)
    free = np.ones(n, dtype=bool)
    for name, mask in rules:
        hit = free & np.asarray(mask, dtype=bool)
        problem[hit] = name
        free &= ~hit
    return problem


class _Land:
    """Indonesian land: the national kabupaten polygons, with :data:`LAND_TOLERANCE_DEG`."""

    def __init__(self, geoms: np.ndarray, source: str) -> None:
        self.tree = shapely.STRtree(geoms)
        self.source = source
        self.neighbours = {k: shapely.Polygon(v) for k, v in NEIGHBOUR_OUTLINES.items()}

    def neighbour(self, x: float, y: float) -> str | None:
        pt = shapely.Point(x, y)
        return next((k for k, g in self.neighbours.items() if g.covers(pt)), None)

    def covers(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        out = np.zeros(len(x), dtype=bool)
        ok = np.isfinite(x) & np.isfinite(y)
        for g in self.neighbours.values():
            ok &= ~shapely.covers(g, shapely.points(np.nan_to_num(x), np.nan_to_num(y)))
        if ok.any():
            hit, _ = self.tree.query(
                shapely.points(x[ok], y[ok]), predicate="dwithin", distance=LAND_TOLERANCE_DEG
            )
            sub = np.zeros(int(ok.sum()), dtype=bool)
            sub[np.unique(hit)] = True
            out[ok] = sub
        return out

    def distance_km(self, x: float, y: float) -> float:
        _, dist = self.tree.query_nearest(shapely.Point(x, y), return_distance=True)
        return float(dist[0]) * 111.32 if len(dist) else float("nan")


@functools.lru_cache(maxsize=4)
def _national_land(path: str) -> _Land:
    gdf = gpd.read_file(path, columns=[])
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    return _Land(gdf.geometry.to_numpy(), f"national kabupaten polygons ({path})")


def _land(land: Any) -> _Land | None:
    if land is None:
        return None
    if isinstance(land, str) and land == "auto":
        try:
            root = resolve_data_dir()
        except DataNotFoundError:
            return None
        path = root / NATIONAL_LAND_FILE
        return _national_land(str(path)) if path.exists() else None
    if isinstance(land, gpd.GeoDataFrame | gpd.GeoSeries):
        if len(land) == 0 or land.crs is None:
            raise InputValidationError(
                "it must hold land polygons with a CRS (e.g. the national kabupaten layer "
                f"{NATIONAL_LAND_FILE} of the data directory).",
                argument="land",
            )
        geoms = gpd.GeoSeries(land.geometry).to_crs("EPSG:4326").to_numpy()
        return _Land(geoms[~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)], "the given land polygons")
    raise InputValidationError(
        f"expected 'auto', None or a GeoDataFrame of land polygons, got {type(land).__name__}",
        argument="land",
    )


def _inside(x: np.ndarray, y: np.ndarray, area: BaseGeometry | None, land: _Land | None) -> np.ndarray:
    if area is None:
        x0, y0, x1, y1 = INDONESIA_BBOX
        box_in = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
        return box_in if land is None else box_in & land.covers(x, y)
    out = np.zeros(len(x), dtype=bool)
    ok = np.isfinite(x) & np.isfinite(y)
    out[ok] = shapely.covers(area, shapely.points(x[ok], y[ok]))
    return out


def _check_location(
    x: np.ndarray,
    y: np.ndarray,
    problem: pd.Series,
    area: BaseGeometry | None,
    geographic: bool,
    land: _Land | None,
) -> tuple[np.ndarray, np.ndarray, pd.Series, dict[int, str]]:
    """Flag points outside the area (or off Indonesian land); returns per-position reasons."""
    problem = problem.copy()
    reasons: dict[int, str] = {}
    todo = problem.isna().to_numpy()
    inside = _inside(x, y, area, land) & todo
    outside = todo & ~inside
    where = (
        "the study area"
        if area is not None
        else "Indonesian land"
        if land is not None
        else "the Indonesia bounding box"
    )
    if geographic:
        swapped_inside = _inside(y, x, area, land) & outside
        if swapped_inside.any():
            for i in np.flatnonzero(swapped_inside):
                reasons[int(i)] = (
                    f"latitude and longitude swapped in the source; used lat {x[i]:.6g}, lon {y[i]:.6g}"
                )
            x, y = x.copy(), y.copy()
            x[swapped_inside], y[swapped_inside] = y[swapped_inside], x[swapped_inside].copy()
            problem[swapped_inside] = "swapped_latlon"
            outside &= ~swapped_inside
        flipped = _inside(x, -y, area, land) & outside
        for i in np.flatnonzero(flipped):
            flip = f"lat {y[i]:.6g}, lon {x[i]:.6g} lies outside {where} but lat {-y[i]:.6g} lies inside"
            country = land.neighbour(x[i], y[i]) if land is not None else None
            if country is not None:  # both readings are possible: say both, flag as outside
                reasons[int(i)] = (
                    f"lat {y[i]:.6g}, lon {x[i]:.6g} is in {country}, not in Indonesia; or the "
                    f"latitude sign is flipped (lat {-y[i]:.6g} lies inside {where}) (not trusted)"
                )
                flipped[i] = False
                continue
            reasons[int(i)] = (
                f"{flip}: the latitude sign is probably flipped (not trusted; fix the sign in the source)"
            )
        problem[flipped] = "flipped_lat_sign"
        outside &= ~flipped
    on_land = land.covers(x, y) if (land is not None and geographic and outside.any()) else None
    x0, y0, x1, y1 = INDONESIA_BBOX
    for i in np.flatnonzero(outside):
        if int(i) in reasons:
            continue
        at = f"lat {y[i]:.6g}, lon {x[i]:.6g}"
        if not (x0 <= x[i] <= x1 and y0 <= y[i] <= y1):
            reasons[int(i)] = f"{at} is outside Indonesia (bounding box {INDONESIA_BBOX}) (not trusted)"
            continue
        country = land.neighbour(x[i], y[i]) if land is not None else None
        if country is not None:
            reasons[int(i)] = f"{at} is in {country}, not in Indonesia (not trusted)"
        elif on_land is not None and not on_land[i]:
            reasons[int(i)] = (
                f"{at} is not on Indonesian land (nearest kabupaten polygon "
                f"{land.distance_km(x[i], y[i]) if land is not None else float('nan'):.0f} km away): "
                "at sea or in a neighbouring country (not trusted)"
            )
        elif on_land is not None and area is not None:
            reasons[int(i)] = f"{at} is in Indonesia but outside the study area (not trusted)"
        else:
            reasons[int(i)] = f"{at} is outside {where} (not trusted)"
    problem[outside] = "outside_area"
    return x, y, problem, reasons


# --------------------------------------------------------------------------- reasons, counts


def _first_reasons(
    problem: pd.Series, where: dict[int, str], df: pd.DataFrame, cols: tuple[str, str] | None
) -> pd.Series:
    """``location_reason`` per row from the coordinate checks (None for good rows)."""
    out = pd.Series([None] * len(problem), index=problem.index, dtype=object)
    prob = problem.to_numpy()
    for i, p in enumerate(prob):
        if p is None or (isinstance(p, float) and p != p):
            continue
        if i in where:
            out.iloc[i] = where[i]
            continue
        raw = f" ({cols[0]}={df[cols[0]].iloc[i]!r}, {cols[1]}={df[cols[1]].iloc[i]!r})" if cols else ""
        out.iloc[i] = {
            "not_numeric": f"coordinate is not a number{raw}",
            "missing": f"no coordinate{raw}",
            "zero": f"coordinate is 0, a placeholder{raw}",
        }.get(str(p), str(p))
    return out


def _relocation_reasons(
    reason: pd.Series, ids: pd.Series, quality: pd.Series, notes: dict[str, list[str]]
) -> pd.Series:
    reason = reason.copy()
    pos = {fid: i for i, fid in enumerate(ids)}
    for i, q in enumerate(quality.to_numpy()):
        if q in ("desa_centroid", "kecamatan_centroid"):
            before = reason.iloc[i] or "no usable coordinate"
            reason.iloc[i] = f"{before}; placed at the representative point of its {q.split('_')[0]}"
    for key, text in (("unmatched", "could not be relocated"), ("ambiguous", "relocation ambiguous")):
        for note in notes.get(key, []):
            fid, _, detail = note.partition(" ")
            if fid in pos:
                i = pos[fid]
                before = reason.iloc[i] or "no usable coordinate"
                reason.iloc[i] = f"{before}; {text} {detail}".rstrip()
    return reason


def _counts(df: pd.DataFrame, ids: pd.Series) -> tuple[dict[str, pd.Series], list[str]]:
    """``staff`` and ``beds`` as floats (Indonesian or English number formats), with notes."""
    out: dict[str, pd.Series] = {}
    notes: list[str] = []
    count_cols = (("staff", ("staff", "staff_total_2019", "staff_total")), ("beds", ("beds", "rs_beds")))
    for std, names in count_cols:
        col = _first_col(df, names)
        if col is None:
            continue
        vals, col_notes = parse_numbers(
            df[col], column=str(col), argument="source", kind="count", labels=list(ids)
        )
        negative = vals < 0
        if negative.any():
            raise InputValidationError(
                f"column {col!r} has negative value(s) for ids {_fmt_ids(list(ids[negative]), 10)}; "
                f"{std} must be >= 0 (leave the cell empty for unknown).",
                argument="source",
            )
        out[std] = vals
        notes.extend(col_notes)
    return out, notes


# --------------------------------------------------------------------------- relocation


def _norm_name(v: Any) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    text = " ".join(str(v).lower().split())
    for prefix in ("kecamatan ", "kec. ", "kec ", "kelurahan ", "kel. ", "desa "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.strip() or None


def _digits(v: Any) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    d = re.sub(r"\D", "", str(v))
    return d or None


def _first_col(df: pd.DataFrame, names: Iterable[str]) -> str | None:
    lower = {str(c).lower(): c for c in df.columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


def _relocate(
    df: pd.DataFrame,
    ids: pd.Series,
    geoms: np.ndarray,
    quality: pd.Series,
    bnd: gpd.GeoDataFrame,
    level: str,
) -> tuple[np.ndarray, pd.Series, dict[str, list[str]]]:
    code_cols, name_cols = _REGION_KEYS[level]
    code_col = _first_col(df, code_cols)
    name_col = _first_col(df, name_cols)
    notes: dict[str, list[str]] = {"relocated": [], "unmatched": [], "ambiguous": []}
    todo = np.flatnonzero((quality == "missing").to_numpy())
    if len(todo) == 0:
        return geoms, quality, notes
    if code_col is None and name_col is None:
        notes["unmatched"] = [
            f"{ids.iloc[i]} (no {level} column: need one of {list(code_cols + name_cols)})" for i in todo
        ]
        return geoms, quality, notes

    b_codes = [_digits(c) for c in bnd["code"]]
    b_names = [_norm_name(n) for n in bnd["name"]]
    b_kab = [_digits(c) for c in bnd["kabupaten_code"]] if "kabupaten_code" in bnd.columns else None
    kab_col = _first_col(df, _KAB_KEYS) if b_kab is not None else None
    reps = bnd.geometry.representative_point()
    if not bnd.crs.equals("EPSG:4326"):
        reps = reps.to_crs("EPSG:4326")
    reps_arr = reps.to_numpy()
    label = f"{level}_centroid"

    geoms = geoms.copy()
    quality = quality.copy()
    for i in todo:
        fid = ids.iloc[i]
        code = _digits(df[code_col].iloc[i]) if code_col is not None else None
        name = _norm_name(df[name_col].iloc[i]) if name_col is not None else None
        if code is not None:
            cand = [j for j, c in enumerate(b_codes) if c == code]
            what = f"{code_col}={df[code_col].iloc[i]!r}"
        elif name is not None:
            cand = [j for j, n in enumerate(b_names) if n == name]
            what = f"{name_col}={df[name_col].iloc[i]!r}"
        else:
            notes["unmatched"].append(f"{fid} (no {level} given)")
            continue
        if kab_col is not None and b_kab is not None:
            kab = _digits(df[kab_col].iloc[i])
            if kab is not None:
                cand = [j for j in cand if b_kab[j] == kab]
        if len(cand) == 1:
            geoms[i] = reps_arr[cand[0]]
            quality.iloc[i] = label
            notes["relocated"].append(fid)
        elif not cand:
            notes["unmatched"].append(f"{fid} ({what} matches no polygon)")
        else:
            notes["ambiguous"].append(f"{fid} ({what} matches {len(cand)} polygons)")
    return geoms, quality, notes


# --------------------------------------------------------------------------- inpatient


def _pkm_digit(df: pd.DataFrame, id_col: str) -> pd.Series:
    """Type digit (1/2, else NaN) of the Kemenkes puskesmas code, per row."""
    if "pkm_code_type_digit" in df.columns:
        return pd.to_numeric(df["pkm_code_type_digit"], errors="coerce").astype(float)
    digit = pd.Series(np.nan, index=df.index)
    for col in (id_col, "source_id"):
        if col not in df.columns:
            continue
        found = df[col].astype("string").str.strip().str.extract(_PKM_CODE)[0]
        digit = digit.fillna(pd.to_numeric(found, errors="coerce").astype(float))
    return digit


def _apply_inpatient_rule(
    df: pd.DataFrame,
    types: pd.Series,
    inpatient: pd.Series,
    rule: str | None,
    id_col: str,
) -> tuple[pd.Series, pd.Series]:
    source = pd.Series(np.where(inpatient.isna(), "unknown", "source"), index=df.index, dtype=object)
    if rule is None:
        return inpatient, source
    inpatient = inpatient.copy()
    unknown = inpatient.isna()
    digit = _pkm_digit(df, id_col)
    pkm = unknown & (types == "puskesmas")
    for d, val in ((1, True), (2, False)):
        m = (pkm & (digit == d)).to_numpy()
        inpatient[m] = val
        source[m] = PKM_DIGIT_SOURCE
    rs = (unknown & (types == "rs")).to_numpy()
    inpatient[rs] = True
    source[rs] = _RS_RULE_SOURCE
    logger.info(
        "inpatient_rule=%r: %d puskesmas set from the (unverified) code digit, %d hospitals "
        "set True, %d puskesmas still unknown",
        rule,
        int((source == PKM_DIGIT_SOURCE).sum()),
        int(rs.sum()),
        int((pkm & inpatient.isna()).sum()),
    )
    return inpatient, source


# --------------------------------------------------------------------------- output


def _assemble(
    df: pd.DataFrame,
    ids: pd.Series,
    types: pd.Series,
    inpatient: pd.Series,
    inpatient_source: pd.Series,
    quality: pd.Series,
    problem: pd.Series,
    geoms: np.ndarray,
    counts: dict[str, pd.Series],
    reason: pd.Series,
    *,
    from_file: bool,
    id_col: str,
    type_col: str,
    inpatient_col: str,
    name_col: str,
) -> gpd.GeoDataFrame:
    base = pd.DataFrame(df).copy()
    if isinstance(df, gpd.GeoDataFrame):
        base = pd.DataFrame(base.drop(columns=df.geometry.name))
    raw_type = base[type_col]
    names = (
        base[name_col].astype("string").str.strip().astype(object) if name_col in base.columns else ids.copy()
    )
    names = names.where(pd.notna(names), ids)
    std: dict[str, Any] = {
        "facility_id": ids,
        "name": names,
        "type": types,
    }
    if not (raw_type.astype("string") == types.astype("string")).fillna(False).all():
        std["type_input"] = raw_type.astype(object)
    std["inpatient"] = inpatient.astype("boolean")
    std["inpatient_source"] = inpatient_source
    std.update(counts)
    std["location_quality"] = quality
    std["coord_problem"] = problem.astype(object).where(problem.notna(), None)
    std["location_reason"] = reason.astype(object).where(reason.notna(), None)

    # Input columns consumed by the standard ones are dropped; the others are kept.
    consumed = {id_col, type_col, name_col, inpatient_col, "staff", "beds"}
    rest = base.drop(columns=[c for c in base.columns if c in consumed])
    rest = rest.rename(columns={c: f"{c}_input" for c in rest.columns if c in std})
    if from_file:  # audit columns read as text: numbers back where unambiguous, codes stay text
        rest = infer_numbers(rest)
    front = pd.DataFrame(std, index=base.index)
    out = pd.concat([front, rest], axis=1)
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=base.index, crs="EPSG:4326"))


#: select() categories named in the catalogue (category_short.<category>) for its notes
_NOTE_CATEGORIES = ("puskesmas", "inpatient", "hospital")


def _fmt_ids(ids: list[str], limit: int = 60) -> str:
    ids = [str(i) for i in ids]
    more = f" ... (+{len(ids) - limit} more)" if len(ids) > limit else ""
    return ", ".join(ids[:limit]) + more


def _problem_message(out: gpd.GeoDataFrame, df: pd.DataFrame, reloc: dict[str, list[str]]) -> str:
    fids = out["facility_id"].to_numpy()
    cq = df["coord_quality"].to_numpy() if "coord_quality" in df.columns else None

    def tag(pos: int) -> str:
        if cq is not None and pd.notna(cq[pos]):
            return f"{fids[pos]} (coord_quality={cq[pos]})"
        return str(fids[pos])

    lines: list[str] = []
    prob = out["coord_problem"]
    n_prob = int(prob.notna().sum())
    # texts in the catalogue: note.coord.<problem> (geoaccess.notes)
    for key in ("swapped_latlon", "not_numeric", "missing", "zero", "flipped_lat_sign", "outside_area"):
        pos = np.flatnonzero((prob == key).to_numpy())
        if len(pos):
            ids = _fmt_ids([tag(int(i)) for i in pos])
            lines.append(Note("note.coord_line", what=Note(f"note.coord.{key}"), n=len(pos), ids=ids))
    if reloc.get("relocated"):
        level_q = out.loc[out["facility_id"].isin(reloc["relocated"]), "location_quality"].iloc[0]
        lines.append(
            Note(
                "note.coord_relocated",
                level=level_q.split("_")[0],
                quality=level_q,
                n=len(reloc["relocated"]),
                ids=_fmt_ids(reloc["relocated"]),
            )
        )
    for key in ("unmatched", "ambiguous"):
        if reloc.get(key):
            what = Note(f"note.coord.{key}")
            lines.append(Note("note.coord_line", what=what, n=len(reloc[key]), ids=_fmt_ids(reloc[key])))
    missing = out.loc[out["location_quality"] == "missing", "facility_id"].tolist()
    if missing:
        lines.append(Note("note.coord_missing", n=len(missing), ids=_fmt_ids(missing)))
    if not lines:
        return ""
    return Note("note.read_facilities", n_prob=n_prob, n=len(out), lines=Joined("\n", lines))


def apply_inpatient_status(
    facilities: gpd.GeoDataFrame,
    status: Any,
    *,
    id_col: str = "facility_id",
    inpatient_col: str = "inpatient",
    source_col: str | None = "source",
    label: str = "status list",
) -> gpd.GeoDataFrame:
    """Explicit inpatient (rawat inap) status wins over any inferred one.

    A registration-code digit is not a current status: a Dinkes list, or a public report
    (the shared ``facilities/inpatient_evidence.csv``), says what a puskesmas offers now.

    Parameters
    ----------
    facilities : GeoDataFrame
        Output of :func:`read_facilities`.
    status : DataFrame or path
        One row per facility: ``id_col``, ``inpatient_col`` (true / false / unknown, in
        the words :func:`read_facilities` accepts) and optionally ``source_col``.
    id_col, inpatient_col, source_col : str
        Column names in ``status``.
    label : str
        Names the list in ``inpatient_source`` when a row has no source.

    Returns
    -------
    GeoDataFrame
        A new frame: ``inpatient`` replaced where ``status`` has a row,
        ``inpatient_source`` saying where each value came from, ``inpatient_previous``
        (the value before). ``attrs["inpatient_changes"]`` lists the facilities whose
        status changed (the contradictions a planner should know about).

    Raises
    ------
    InputValidationError
        On unknown ids, repeated ids or values that are not a yes/no/unknown word.

    Examples
    --------
    A puskesmas registered without beds that a Dinkes list says is rawat inap now:

    >>> import pandas as pd
    >>> table = pd.DataFrame({"facility_id": ["P1", "P2"], "name": ["Puskesmas Ulu", "Puskesmas Ilir"],
    ...     "type": ["puskesmas", "puskesmas"], "inpatient": [False, False],
    ...     "lat": [-3.70, -3.72], "lon": [103.80, 103.84]})
    >>> facilities = read_facilities(table)
    >>> status = pd.DataFrame({"facility_id": ["P2"], "inpatient": ["ya"], "source": ["Dinkes 2024"]})
    >>> updated = apply_inpatient_status(facilities, status)
    >>> updated[["facility_id", "inpatient", "inpatient_previous", "inpatient_source"]]
      facility_id  inpatient  inpatient_previous       inpatient_source
    0          P1      False               False                 source
    1          P2       True               False  explicit: Dinkes 2024
    """
    from .tables import read_table

    table = read_table(status) if isinstance(status, str | os.PathLike) else pd.DataFrame(status).copy()
    require_columns(table, [id_col, inpatient_col], "status")
    ids = table[id_col].astype(str).str.strip()
    if ids.duplicated().any():
        raise InputValidationError(
            f"repeated facility ids {sorted(set(ids[ids.duplicated()]))}: one status per facility",
            argument="status",
        )
    values = table[inpatient_col].map(inpatient_value)
    bad = values.map(lambda v: v is NOT_RECOGNISED)
    if bad.any():
        raise InputValidationError(
            f"{inpatient_col!r} values not read as yes / no / unknown: "
            f"{dict(zip(ids[bad], table.loc[bad, inpatient_col], strict=True))}; use true / false / unknown",
            argument="status",
        )
    known_ids = set(facilities["facility_id"].astype(str))
    unknown = sorted(set(ids) - known_ids)
    if unknown:
        raise InputValidationError(
            f"facility ids not in the facility table: {unknown}; check the ids "
            "(kept as text, e.g. leading zeros)",
            argument="status",
        )
    out = facilities.copy()
    out["inpatient_previous"] = out["inpatient"].astype("boolean")
    new = pd.Series(values.to_numpy(), index=ids.to_numpy())
    src = (
        table[source_col].astype(str).to_numpy()
        if source_col is not None and source_col in table
        else np.full(len(table), label, dtype=object)
    )
    src_by_id = pd.Series(src, index=ids.to_numpy())
    hit = out["facility_id"].astype(str).isin(new.index)
    fid = out.loc[hit, "facility_id"].astype(str)
    out["inpatient"] = out["inpatient"].astype("boolean")
    out.loc[hit, "inpatient"] = pd.array(fid.map(new).tolist(), dtype="boolean")
    if "inpatient_source" not in out:
        out["inpatient_source"] = None
    out["inpatient_source"] = out["inpatient_source"].astype(object)
    out.loc[hit, "inpatient_source"] = ("explicit: " + fid.map(src_by_id)).to_numpy()
    before, after = out["inpatient_previous"], out["inpatient"]
    changed = hit & ~((before == after).fillna(False) | (before.isna() & after.isna()))
    out.attrs["inpatient_changes"] = [
        Note(
            "note.inpatient_change",
            id=r.facility_id,
            name=r.name,
            before=_status_word(r.inpatient_previous),
            after=_status_word(r.inpatient),
        )
        for r in out.loc[changed, ["facility_id", "name", "inpatient_previous", "inpatient"]].itertuples()
    ]
    return out


def _status_word(v: Any) -> Note:
    key = "unknown" if v is pd.NA or v is None else ("inpatient" if bool(v) else "not_inpatient")
    return Note(f"note.status.{key}")
