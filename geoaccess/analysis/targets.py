"""Program targets per kecamatan: puskesmas (PP 47/2016) and inpatient puskesmas.

Targets
-------
**At least one puskesmas in every kecamatan.** Peraturan Pemerintah Nomor 47 Tahun
2016 tentang Fasilitas Pelayanan Kesehatan, Pasal 11 ayat (1): "Pemerintah Daerah
kabupaten/kota wajib menyediakan paling sedikit 1 (satu) pusat kesehatan masyarakat
pada setiap kecamatan." Ayat (2) allows more than one puskesmas per kecamatan based on
service need, population and accessibility. Permenkes Nomor 43 Tahun 2019 tentang Pusat
Kesehatan Masyarakat (which replaced Permenkes 75/2014, whose Pasal 9 ayat (1) read
"Puskesmas harus didirikan pada setiap kecamatan") regulates the puskesmas itself and
sorts puskesmas by service capability (*kemampuan pelayanan*) into *puskesmas non
rawat inap* and *puskesmas rawat inap* (inpatient). We quote PP 47/2016 Pasal 11 and
Permenkes 75/2014 Pasal 9 from their texts; we did not check article numbers in
Permenkes 43/2019, so none are cited here. Column: ``meets_pp47_2016``.

**At least one inpatient puskesmas (puskesmas rawat inap) in every kecamatan.** This
is the "Muara Enim Sehat 2025" target *as stated in the geoaccess issue*; we have not
found the district document that sets it, so check the wording with the Dinas
Kesehatan before quoting it. Column: ``meets_inpatient_target``.

Unknown inpatient status
------------------------
No public list gives the rawat-inap flag per puskesmas (see
``facilities/SOURCES.md``): the ``inpatient`` column is pandas ``boolean`` with
``<NA>`` = unknown. Unknown is never treated as "no": ``n_inpatient_unknown`` counts
such puskesmas, and ``meets_inpatient_target`` is ``<NA>`` whenever the answer
depends on them (no known inpatient puskesmas, at least one unknown).

Assigning facilities to kecamatan
---------------------------------
:func:`assign_facilities_to_kecamatan` uses, per facility, the first that works:

1. ``point_in_polygon``: the facility point lies in (or on the edge of) a kecamatan
   polygon (both layers need geometry and a CRS);
2. ``code_column`` / ``name_column``: the facility's kecamatan code or name column
   (``facility_kecamatan_col``) matches a kecamatan (names compared ignoring case and
   extra spaces);
3. ``outside_boundaries`` (a point outside every kecamatan, e.g. a hospital in a
   neighbouring kabupaten) or ``unassigned`` (nothing to go on): not counted.

The method used is kept per facility in ``kecamatan_assigned_by``.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .._validate import check_choice, require_columns, require_crs, require_frame, require_unique
from ..exceptions import GeoAccessWarning, InputValidationError
from ..notes import Note
from .columns import format_examples

__all__ = [
    "HOSPITAL_TYPES",
    "INPATIENT_TARGET_MIN_PER_KECAMATAN",
    "PP47_2016_MIN_PUSKESMAS_PER_KECAMATAN",
    "PUSKESMAS_TYPES",
    "assign_facilities_to_kecamatan",
    "failing_kecamatan",
    "kecamatan_targets",
]

logger = logging.getLogger(__name__)

#: PP 47/2016 Pasal 11 ayat (1): at least one puskesmas in every kecamatan.
PP47_2016_MIN_PUSKESMAS_PER_KECAMATAN: int = 1

#: "Muara Enim Sehat 2025" target as given in the geoaccess issue: at least one
#: inpatient puskesmas (puskesmas rawat inap) in every kecamatan.
INPATIENT_TARGET_MIN_PER_KECAMATAN: int = 1

#: Facility ``type`` values counted as puskesmas (geoaccess standard facility types).
PUSKESMAS_TYPES: tuple[str, ...] = ("puskesmas",)

#: Facility ``type`` values counted as hospitals (rumah sakit).
HOSPITAL_TYPES: tuple[str, ...] = ("rs",)


def _norm_name(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    s = re.sub(r"\s+", " ", str(v)).strip().casefold()
    return s or None


def _norm_code(v: Any) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, float | np.floating) and float(v).is_integer():
        v = int(v)  # a numeric code column with a blank is float: 1603010.0 -> "1603010"
    s = str(v).strip()
    return s or None


def _coerce_inpatient(s: pd.Series, name: str) -> pd.Series:
    """Map an inpatient column to pandas ``boolean`` (True/False/<NA> = unknown)."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean")
    from ..inputs.facilities import NOT_RECOGNISED, inpatient_value

    out = [inpatient_value(v) for v in s.tolist()]
    bad = [v for v, o in zip(s.tolist(), out, strict=True) if o is NOT_RECOGNISED]
    if bad:
        raise InputValidationError(
            f"inpatient column has value(s) that are not yes/no/unknown: "
            f"{format_examples(sorted(map(str, set(bad))))}. Use True/False/<NA> (unknown).",
            argument=name,
        )
    return pd.Series(pd.array(out, dtype="boolean"), index=s.index)


def assign_facilities_to_kecamatan(
    facilities: pd.DataFrame,
    kecamatan: pd.DataFrame,
    *,
    kecamatan_code_col: str = "code",
    kecamatan_name_col: str | None = "name",
    facility_kecamatan_col: str | None = "kecamatan_code",
    facility_kecamatan_by: str = "code",
) -> pd.DataFrame:
    """Give every facility a kecamatan, by point-in-polygon or by a code/name column.

    Parameters
    ----------
    facilities : DataFrame or GeoDataFrame
        Facilities; Point geometry where known (rows without geometry fall back to
        the column).
    kecamatan : DataFrame or GeoDataFrame
        One row per kecamatan with a unique ``kecamatan_code_col``; polygons to use
        point-in-polygon.
    kecamatan_code_col, kecamatan_name_col : str
        Columns of ``kecamatan``. ``kecamatan_name_col`` may be ``None``.
    facility_kecamatan_col : str or None
        Column of ``facilities`` holding the kecamatan code or name, used when a
        facility has no geometry or lies outside every polygon. ``None``: none.
    facility_kecamatan_by : {"code", "name"}
        Whether ``facility_kecamatan_col`` holds codes or names.

    Returns
    -------
    DataFrame
        A copy of ``facilities`` with ``assigned_kecamatan_code``,
        ``assigned_kecamatan_name``, ``kecamatan_assigned_by`` (``point_in_polygon``,
        ``code_column``, ``name_column``, ``outside_boundaries``, ``unassigned``) and
        ``kecamatan_column_agrees`` (boolean; ``<NA>`` when there is no column value
        or no point-in-polygon result to compare).

    Warns
    -----
    GeoAccessWarning
        For facilities that could not be placed in any kecamatan (``unassigned``).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> kecamatan = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["Barat", "Timur"]}, crs="EPSG:4326",
    ...     geometry=[shapely.box(103.80, -3.72, 103.82, -3.70), shapely.box(103.82, -3.72, 103.84, -3.70)])
    >>> facilities = gpd.GeoDataFrame({"facility_id": ["P1", "P2"], "type": ["puskesmas", "puskesmas"],
    ...     "inpatient": pd.array([True, False], dtype="boolean")}, crs="EPSG:4326",
    ...     geometry=[shapely.Point(103.81, -3.71), shapely.Point(103.83, -3.71)])
    >>> placed = assign_facilities_to_kecamatan(facilities, kecamatan)
    >>> placed[["facility_id", "assigned_kecamatan_name", "kecamatan_assigned_by"]]
      facility_id assigned_kecamatan_name kecamatan_assigned_by
    0          P1                   Barat      point_in_polygon
    1          P2                   Timur      point_in_polygon
    """
    require_frame(facilities, "facilities", geo=False)
    require_frame(kecamatan, "kecamatan", geo=False)
    require_columns(kecamatan, [kecamatan_code_col], "kecamatan")
    if kecamatan_name_col is not None:
        require_columns(kecamatan, [kecamatan_name_col], "kecamatan")
    require_unique(kecamatan, kecamatan_code_col, "kecamatan")
    check_choice(facility_kecamatan_by, ["code", "name"], "facility_kecamatan_by")
    use_col = facility_kecamatan_col is not None and facility_kecamatan_col in facilities.columns
    if facility_kecamatan_col is not None and not use_col:
        logger.info(
            "assign_facilities_to_kecamatan: no column '%s' in facilities; using point-in-polygon only",
            facility_kecamatan_col,
        )

    codes = kecamatan[kecamatan_code_col].tolist()
    names = kecamatan[kecamatan_name_col].tolist() if kecamatan_name_col else [None] * len(codes)
    code_of_key = {_norm_code(c): c for c in codes}
    name_of_code = dict(zip(codes, names, strict=True))
    by_name: dict[str, list[Any]] = {}
    for c, n in zip(codes, names, strict=True):
        k = _norm_name(n)
        if k is not None:
            by_name.setdefault(k, []).append(c)
    ambiguous = {k for k, v in by_name.items() if len(v) > 1}
    if facility_kecamatan_by == "name" and kecamatan_name_col is None:
        raise InputValidationError(
            "facility_kecamatan_by='name' needs kecamatan_name_col", argument="kecamatan_name_col"
        )

    n = len(facilities)
    pip = [None] * n
    geo = isinstance(facilities, gpd.GeoDataFrame) and isinstance(kecamatan, gpd.GeoDataFrame)
    has_point = np.zeros(n, dtype=bool)
    if geo:
        require_crs(facilities, "facilities")
        require_crs(kecamatan, "kecamatan")
        fac = facilities
        if not fac.crs.equals(kecamatan.crs):
            fac = fac.to_crs(kecamatan.crs)
        geom = fac.geometry
        has_point = (geom.notna() & ~geom.is_empty).to_numpy()
        if has_point.any():
            pts = gpd.GeoDataFrame(
                {"_pos": np.flatnonzero(has_point)},
                geometry=geom[has_point].to_numpy(),
                crs=kecamatan.crs,
            )
            polys = gpd.GeoDataFrame(
                {"_code": codes}, geometry=kecamatan.geometry.to_numpy(), crs=kecamatan.crs
            )
            joined = gpd.sjoin(pts, polys, how="inner", predicate="intersects")
            joined = joined.sort_values(["_pos", "index_right"])
            n_multi = int(joined["_pos"].duplicated().sum())
            if n_multi:
                logger.info(
                    "assign_facilities_to_kecamatan: %d facility point(s) lie on a shared "
                    "kecamatan edge; the first kecamatan in table order is used",
                    n_multi,
                )
            first = joined.drop_duplicates("_pos")
            for pos, code in zip(first["_pos"], first["_code"], strict=True):
                pip[int(pos)] = code
    elif isinstance(facilities, gpd.GeoDataFrame) or isinstance(kecamatan, gpd.GeoDataFrame):
        logger.info(
            "assign_facilities_to_kecamatan: point-in-polygon needs both facilities and "
            "kecamatan as GeoDataFrames; using the kecamatan column only"
        )

    col_match: list[Any] = [None] * n
    if use_col:
        assert facility_kecamatan_col is not None
        for i, v in enumerate(facilities[facility_kecamatan_col].tolist()):
            if facility_kecamatan_by == "code":
                col_match[i] = code_of_key.get(_norm_code(v))
            else:
                k = _norm_name(v)
                if k is not None and k in by_name and k not in ambiguous:
                    col_match[i] = by_name[k][0]

    assigned: list[Any] = []
    how: list[str] = []
    agrees: list[Any] = []
    col_has_value = (
        facilities[facility_kecamatan_col].notna().to_numpy() if use_col else np.zeros(n, dtype=bool)
    )
    for i in range(n):
        if pip[i] is not None:
            assigned.append(pip[i])
            how.append("point_in_polygon")
            agrees.append((col_match[i] == pip[i]) if (use_col and col_has_value[i]) else pd.NA)
        elif col_match[i] is not None:
            assigned.append(col_match[i])
            how.append("code_column" if facility_kecamatan_by == "code" else "name_column")
            agrees.append(pd.NA)
        else:
            assigned.append(None)
            how.append("outside_boundaries" if has_point[i] else "unassigned")
            agrees.append(pd.NA)

    out = facilities.copy()
    out["assigned_kecamatan_code"] = pd.Series(assigned, index=out.index, dtype=object)
    out["assigned_kecamatan_name"] = pd.Series(
        [name_of_code.get(c) if c is not None else None for c in assigned],
        index=out.index,
        dtype=object,
    )
    out["kecamatan_assigned_by"] = how
    out["kecamatan_column_agrees"] = pd.array(agrees, dtype="boolean")

    how_s = pd.Series(how)
    n_dis = int(out["kecamatan_column_agrees"].eq(False).fillna(False).sum())
    if n_dis:
        logger.info(
            "assign_facilities_to_kecamatan: %d facility point(s) lie in another kecamatan "
            "than their '%s' column says (the point is used; see kecamatan_column_agrees)",
            n_dis,
            facility_kecamatan_col,
        )
    n_out = int((how_s == "outside_boundaries").sum())
    if n_out:
        logger.info(
            "assign_facilities_to_kecamatan: %d facility(ies) lie outside every kecamatan "
            "and are not counted",
            n_out,
        )
    un = np.flatnonzero((how_s == "unassigned").to_numpy())
    if un.size:
        ids = (
            facilities["facility_id"].iloc[un]
            if "facility_id" in facilities.columns
            else facilities.index[un]
        )
        warnings.warn(
            Note(
                "note.facility_not_placed",
                n=un.size,
                by=Note("note.by_code") if facility_kecamatan_by == "code" else Note("note.by_name"),
                column=facility_kecamatan_col,
                examples=format_examples(ids),
            ),
            GeoAccessWarning,
            stacklevel=2,
        )
    return out


def kecamatan_targets(
    kecamatan: pd.DataFrame,
    facilities: pd.DataFrame,
    access_summary: pd.DataFrame | None = None,
    *,
    kecamatan_code_col: str = "code",
    kecamatan_name_col: str | None = "name",
    facility_kecamatan_col: str | None = "kecamatan_code",
    facility_kecamatan_by: str = "code",
    facility_type_col: str = "type",
    inpatient_col: str = "inpatient",
    puskesmas_types: Sequence[str] = PUSKESMAS_TYPES,
    inpatient_types: Sequence[str] = PUSKESMAS_TYPES,
    hospital_types: Sequence[str] = HOSPITAL_TYPES,
    summary_code_col: str | None = None,
) -> pd.DataFrame:
    """Check the puskesmas and inpatient-puskesmas targets for every kecamatan.

    Parameters
    ----------
    kecamatan : DataFrame or GeoDataFrame
        One row per kecamatan (``kecamatan_code_col`` unique). Kecamatan without
        any facility are kept (and fail the targets).
    facilities : DataFrame or GeoDataFrame
        Facilities with ``facility_type_col`` and ``inpatient_col`` (pandas
        ``boolean``, ``<NA>`` = unknown; strings like ``"true"``/``"unknown"`` are
        accepted). See :func:`assign_facilities_to_kecamatan` for the assignment.
    access_summary : DataFrame, optional
        Per-kecamatan coverage, e.g. ``summarize_access(desa, by="kecamatan_code")``;
        every column except the key is joined (population, travel times ...).
    kecamatan_code_col, kecamatan_name_col, facility_kecamatan_col, facility_kecamatan_by
        See :func:`assign_facilities_to_kecamatan`.
    facility_type_col, inpatient_col : str
        Columns of ``facilities``.
    puskesmas_types, inpatient_types, hospital_types : sequence of str
        Facility types counted as puskesmas, as candidates for the inpatient target
        (default puskesmas only; add ``"rs"`` to let hospitals count) and as hospitals.
    summary_code_col : str, optional
        Kecamatan code column in ``access_summary`` (default ``kecamatan_code_col``).

    Returns
    -------
    DataFrame
        A copy of ``kecamatan`` (GeoDataFrame stays one) with ``n_puskesmas``,
        ``n_inpatient`` (known inpatient), ``n_inpatient_unknown``, ``n_hospital``,
        ``meets_pp47_2016`` (bool), ``meets_inpatient_target`` (boolean: True, False,
        or ``<NA>`` when unknown status could change the answer) and the joined
        ``access_summary`` columns.

    Warns
    -----
    GeoAccessWarning
        When facilities cannot be placed, when the inpatient column is missing (all
        treated as unknown), or when kecamatan have no row in ``access_summary``.

    Examples
    --------
    Two kecamatan with one puskesmas each; only the western one is rawat inap:

    >>> import geopandas as gpd, shapely
    >>> kecamatan = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["Barat", "Timur"]}, crs="EPSG:4326",
    ...     geometry=[shapely.box(103.80, -3.72, 103.82, -3.70), shapely.box(103.82, -3.72, 103.84, -3.70)])
    >>> facilities = gpd.GeoDataFrame({"facility_id": ["P1", "P2"], "type": ["puskesmas", "puskesmas"],
    ...     "inpatient": pd.array([True, False], dtype="boolean")}, crs="EPSG:4326",
    ...     geometry=[shapely.Point(103.81, -3.71), shapely.Point(103.83, -3.71)])
    >>> targets = kecamatan_targets(kecamatan, facilities)
    >>> targets[["name", "n_puskesmas", "n_inpatient", "meets_pp47_2016", "meets_inpatient_target"]]
        name  n_puskesmas  n_inpatient  meets_pp47_2016  meets_inpatient_target
    0  Barat            1            1             True                    True
    1  Timur            1            0             True                   False
    """
    require_frame(kecamatan, "kecamatan", geo=False)
    require_frame(facilities, "facilities", geo=False)
    require_columns(facilities, [facility_type_col], "facilities")
    for arg, val in (
        ("puskesmas_types", puskesmas_types),
        ("inpatient_types", inpatient_types),
        ("hospital_types", hospital_types),
    ):
        if isinstance(val, str):
            raise InputValidationError(
                f"give a list or tuple of types, e.g. ({val!r},), not a string", argument=arg
            )
    if access_summary is not None:
        require_frame(access_summary, "access_summary", geo=False)
        scol = summary_code_col or kecamatan_code_col
        require_columns(access_summary, [scol], "access_summary")
        require_unique(access_summary, scol, "access_summary")
    if inpatient_col in facilities.columns:
        inpatient = _coerce_inpatient(facilities[inpatient_col], "facilities")
    else:
        warnings.warn(
            f"facilities has no '{inpatient_col}' column; every facility's inpatient status "
            "is treated as unknown (never as 'no').",
            GeoAccessWarning,
            stacklevel=2,
        )
        inpatient = pd.Series(pd.array([pd.NA] * len(facilities), dtype="boolean"), index=facilities.index)

    assigned = assign_facilities_to_kecamatan(
        facilities,
        kecamatan,
        kecamatan_code_col=kecamatan_code_col,
        kecamatan_name_col=kecamatan_name_col,
        facility_kecamatan_col=facility_kecamatan_col,
        facility_kecamatan_by=facility_kecamatan_by,
    )
    ftype = facilities[facility_type_col].map(_norm_name)
    pk_types = {_norm_name(x) for x in puskesmas_types}
    ip_types = {_norm_name(x) for x in inpatient_types}
    rs_types = {_norm_name(x) for x in hospital_types}
    code = assigned["assigned_kecamatan_code"]
    ok = code.notna()
    is_pk = ftype.isin(pk_types) & ok
    is_ip_cand = ftype.isin(ip_types) & ok
    is_rs = ftype.isin(rs_types) & ok
    ip_true = is_ip_cand & inpatient.fillna(False).astype(bool)
    ip_unknown = is_ip_cand & inpatient.isna()

    def count(mask: pd.Series) -> pd.Series:
        return code[mask].value_counts()

    keys = kecamatan[kecamatan_code_col]
    out = kecamatan.copy()
    for col, mask in (
        ("n_puskesmas", is_pk),
        ("n_inpatient", ip_true),
        ("n_inpatient_unknown", ip_unknown),
        ("n_hospital", is_rs),
    ):
        counts = count(mask)
        out[col] = keys.map(counts).fillna(0).astype("int64").to_numpy()
    # facilities that could not be placed in any kecamatan might be in any of those
    # that fall short: there the answer is unknown, never "no"
    # (facilities located outside every kecamatan, e.g. across the border, are not "unplaced")
    nowhere = (assigned["kecamatan_assigned_by"] == "unassigned").to_numpy()
    unplaced_pk = facilities.index[ftype.isin(pk_types).to_numpy() & nowhere]
    unplaced_ip = facilities.index[
        ftype.isin(ip_types).to_numpy() & nowhere & inpatient.fillna(True).astype(bool).to_numpy()
    ]
    if len(unplaced_pk) or len(unplaced_ip):
        warnings.warn(
            Note("note.puskesmas_not_placed", n=len(unplaced_pk)),
            GeoAccessWarning,
            stacklevel=2,
        )
    pp47 = out["n_puskesmas"] >= PP47_2016_MIN_PUSKESMAS_PER_KECAMATAN
    out["meets_pp47_2016"] = pd.array(
        [True if m else (pd.NA if len(unplaced_pk) else False) for m in pp47], dtype="boolean"
    )
    meets = pd.array(
        [
            True
            if ni >= INPATIENT_TARGET_MIN_PER_KECAMATAN
            else (pd.NA if ni + nu >= INPATIENT_TARGET_MIN_PER_KECAMATAN else False)
            for ni, nu in zip(out["n_inpatient"], out["n_inpatient_unknown"], strict=True)
        ],
        dtype="boolean",
    )
    if len(unplaced_ip):
        meets = pd.array([pd.NA if (m is not pd.NA and not m) else m for m in meets], dtype="boolean")
    out["meets_inpatient_target"] = meets

    if access_summary is not None:
        scol = summary_code_col or kecamatan_code_col
        summ = access_summary.copy()
        if isinstance(summ, gpd.GeoDataFrame):
            summ = pd.DataFrame(summ.drop(columns=summ.geometry.name))
        dup_cols = [c for c in summ.columns if c in out.columns and c != scol]
        if dup_cols:
            logger.info("kecamatan_targets: summary columns %s already present; kept ours", dup_cols)
            summ = summ.drop(columns=dup_cols)
        summ["_key"] = summ[scol].map(_norm_code)
        summ = summ.drop(columns=[scol]).set_index("_key")
        joined = summ.reindex(keys.map(_norm_code).to_numpy())
        missing = keys[~keys.map(_norm_code).isin(summ.index)].tolist()
        if missing:
            warnings.warn(
                f"{len(missing)} kecamatan have no row in access_summary "
                f"(e.g. {format_examples(missing)}); their population and travel times are NaN. "
                "Check that both use the same kecamatan codes.",
                GeoAccessWarning,
                stacklevel=2,
            )
        for c in joined.columns:
            out[c] = joined[c].to_numpy()
    return out


def failing_kecamatan(
    targets: pd.DataFrame, *, target: str = "any", include_unknown: bool = True
) -> pd.DataFrame:
    """The kecamatan that fail a target, with the reason, largest population first.

    Parameters
    ----------
    targets : DataFrame
        Output of :func:`kecamatan_targets`.
    target : {"any", "pp47_2016", "inpatient"}
        Which target to check.
    include_unknown : bool
        Also list kecamatan whose inpatient status is unknown (``<NA>``), marked
        ``inpatient target: unknown``. Default True.

    Returns
    -------
    DataFrame
        The failing rows of ``targets`` plus ``failed_targets`` (plain-language
        reasons, ``"; "``-separated), sorted by ``population`` (descending) when that
        column exists.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> kecamatan = gpd.GeoDataFrame({"code": ["K1", "K2"], "name": ["Barat", "Timur"]}, crs="EPSG:4326",
    ...     geometry=[shapely.box(103.80, -3.72, 103.82, -3.70), shapely.box(103.82, -3.72, 103.84, -3.70)])
    >>> facilities = gpd.GeoDataFrame({"facility_id": ["P1", "P2"], "type": ["puskesmas", "puskesmas"],
    ...     "inpatient": pd.array([True, False], dtype="boolean")}, crs="EPSG:4326",
    ...     geometry=[shapely.Point(103.81, -3.71), shapely.Point(103.83, -3.71)])
    >>> failing = failing_kecamatan(kecamatan_targets(kecamatan, facilities))
    >>> failing[["name", "failed_targets"]]
        name                                     failed_targets
    1  Timur  no inpatient puskesmas (Muara Enim Sehat 2025 ...
    """
    require_frame(targets, "targets", geo=False)
    require_columns(targets, ["meets_pp47_2016", "meets_inpatient_target"], "targets")
    check_choice(target, ["any", "pp47_2016", "inpatient"], "target")
    pp47 = targets["meets_pp47_2016"].astype("boolean")
    pp = pp47.eq(False).fillna(False).astype(bool)
    pp_unknown = pp47.isna()
    ip = targets["meets_inpatient_target"].astype("boolean")
    ip_fail = ip.eq(False).fillna(False).astype(bool)
    ip_unknown = ip.isna()
    reasons = []
    for a, b, c, d in zip(pp, ip_fail, ip_unknown, pp_unknown, strict=True):
        r = []
        if target in ("any", "pp47_2016") and a:
            r.append("no puskesmas (PP 47/2016 Pasal 11)")
        elif target in ("any", "pp47_2016") and d and include_unknown:
            r.append("PP 47/2016: unknown (a puskesmas of the kabupaten could not be placed)")
        if target in ("any", "inpatient"):
            if b:
                r.append("no inpatient puskesmas (Muara Enim Sehat 2025 target)")
            elif c and include_unknown:
                r.append("inpatient target: unknown (puskesmas with unknown rawat-inap status)")
        reasons.append("; ".join(r))
    out = targets.copy()
    out["failed_targets"] = reasons
    out = out[out["failed_targets"] != ""]
    if "population" in out.columns:
        out = out.sort_values("population", ascending=False, na_position="last", kind="stable")
    return out
