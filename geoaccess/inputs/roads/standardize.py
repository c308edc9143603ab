"""The standard road layer: road-class detection, speeds, one-way codes, toll and
access-control flags.

:func:`standardize_roads` turns the lines read by :mod:`geoaccess.inputs.roads.read` and
:mod:`geoaccess.inputs.roads.osm` into the standard road layer:

================  =======================================================================
column            meaning
================  =======================================================================
``road_class``    one of :data:`geoaccess.engine.speeds.ROAD_CLASSES`
``class_source``  the raw label the class was derived from, as ``str`` (``""`` if none)
``speed_kph``     float; the speed given by the source (``maxspeed`` for OSM), ``NaN``
                  where the source gives none (the network then uses the class speed)
``oneway``        bool; ``True`` when motor traffic may only use the line in the
                  direction of its coordinates (``oneway=-1`` lines are reversed)
``access_controlled``  bool; ``True`` for roads entered and left only at junctions with
                  other roads (jalan tol, OSM ``motorway``/``motorway_link``,
                  ``motorroad=yes``, ``access=no``); see :func:`~geoaccess.inputs.roads.read_roads`
``toll``          bool; ``True`` for toll roads (jalan tol); always access-controlled
geometry          LineString, in the CRS of the source (OSM sources: EPSG:4326)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..._validate import require_columns, require_crs
from ...engine import speeds
from ...exceptions import EmptyInputError, InputValidationError
from ...notes import Note

logger = logging.getLogger(__name__)

#: Columns searched, in this order, for the road class when ``class_column`` is not given
#: (geoaccess standard, OpenStreetMap, BIG RBI 1:50,000, Geofabrik shapefiles, generic).
CLASS_COLUMN_CANDIDATES: tuple[str, ...] = ("road_class", "highway", "REMARK", "fclass", "class")

#: Extra OSM ``highway`` labels (not in :mod:`geoaccess.engine.speeds`) used by the OSM readers;
#: ``class_mapping=`` entries take precedence.
_OSM_EXTRA_CLASSES: dict[str, str] = {
    "corridor": "setapak",
    "ladder": "setapak",
    "via_ferrata": "setapak",
    "escape": "lingkungan",
}

# oneway codes: 1 = one way along the coordinates, -1 = one way against them, 0 = two-way.
# OSM ``reversible``/``alternating`` ways change direction during the day: two-way, as osmnx.
_ONEWAY_FORWARD = {"yes", "true", "1", "y"}
_ONEWAY_REVERSE = {"-1", "reverse"}
_ONEWAY_TWO_WAY = {"no", "false", "0", "n", "", "alternating", "reversible"}
# Geofabrik shapefile codes (upper case only): F = forward, T = backward, B = both
_ONEWAY_GEOFABRIK = {"F": 1, "T": -1, "B": 0}
_ONEWAY_KNOWN = (
    "yes/true/1/y/True (one way along the line), -1/reverse (one way against it: the line "
    "is reversed), no/false/0/n/reversible/alternating/''/False (two-way), Geofabrik F/T/B; "
    "missing values are two-way"
)

# yes/no flags (``toll``, ``access_controlled``); missing values are False
_FLAG_TRUE = {"yes", "true", "1", "y", "ya"}
_FLAG_FALSE = {"no", "false", "0", "n", "tidak", ""}

#: Road labels (OSM ``highway``, RBI ``REMARK``, Geofabrik ``fclass``; case-insensitive) of
#: access-controlled roads: entered and left only at junctions with other roads.
ACCESS_CONTROLLED_LABELS: frozenset[str] = frozenset(
    {"motorway", "motorway_link", "jalan tol", "jalan bebas hambatan"}
)
#: Road labels that mean a toll road (jalan tol).
TOLL_LABELS: frozenset[str] = frozenset({"jalan tol"})
#: Columns read as a yes/no toll flag (matched case-insensitively; OSM ``toll=*``).
TOLL_COLUMN_CANDIDATES: tuple[str, ...] = ("toll", "tol")
#: Columns whose names mark toll roads ("Jalan Tol ...", "Tol ..."): OSM/generic, the
#: South Sumatra national layer (``nama_ruas``), BIG RBI (``NAMRJL``).
NAME_COLUMN_CANDIDATES: tuple[str, ...] = ("name", "nama", "nama_ruas", "nama_jalan", "NAMRJL")
_TOLL_NAME_RE = re.compile(r"^\s*(?:(?:jalan|jln|jl)\.?\s*)?toll?(?:[\s.\-]|$)", re.IGNORECASE)

_SPEED_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(km/h|kmh|kph|mph|knots|kn)?\s*$", re.IGNORECASE)
_SPEED_FACTOR = {None: 1.0, "km/h": 1.0, "kmh": 1.0, "kph": 1.0, "mph": 1.609344, "knots": 1.852, "kn": 1.852}


def check_class_mapping(mapping: Mapping[str, str]) -> None:
    """Check a ``class_mapping=`` argument: a dict of label -> geoaccess road class."""
    if not isinstance(mapping, Mapping):
        raise InputValidationError(
            f"must be a dict of label -> class, got {type(mapping).__name__}",
            argument="class_mapping",
        )
    bad = {k: v for k, v in mapping.items() if v not in speeds.ROAD_CLASSES}
    if bad:
        raise InputValidationError(
            f"classes must be one of {list(speeds.ROAD_CLASSES)}, got {bad}",
            argument="class_mapping",
        )


# ---- standardisation -----------------------------------------------------------------


def _find_column(df: pd.DataFrame, name: str) -> str | None:
    if name in df.columns:
        return name
    lowered = {str(c).lower(): c for c in df.columns}
    return lowered.get(name.lower())


def _first(value: Any) -> Any:
    if isinstance(value, list | tuple | np.ndarray):
        return value[0] if len(value) else None
    return value


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and value != value


def standardize_roads(
    frame: gpd.GeoDataFrame,
    *,
    class_column: str | None,
    class_mapping: Mapping[str, str] | None,
    default_class: str | None,
    speed_column: str | None,
    oneway_column: str | None,
    osm: bool,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """Read lines with their raw attributes (any reader's output) into the standard road layer.

    The class, speed and one-way columns and the access-control flags are read as
    :func:`~geoaccess.inputs.roads.read_roads` documents; ``osm=True`` adds the extra OSM labels and
    reads OSM yes/no tags leniently. Messages for warnings are appended to ``notes``.
    """
    require_crs(frame, "source")
    if len(frame) == 0:
        raise EmptyInputError("it has no features", argument="source")
    geom = frame.geometry
    null = (geom.isna() | geom.is_empty).to_numpy()
    types = geom.geom_type.to_numpy()
    bad = ~null & ~np.isin(types, ["LineString", "MultiLineString"])
    if bad.any():
        counts = pd.Series(types[bad]).value_counts().to_dict()
        raise InputValidationError(
            f"{int(bad.sum())} feature(s) are not lines ({counts}). read_roads reads line "
            "layers: drop the other features or convert them (e.g. polygon.boundary) first",
            argument="source",
        )

    # --- road class --------------------------------------------------------------------
    if class_column is not None:
        require_columns(frame, [class_column], "source")
        col: str | None = class_column
    else:
        col = next((c for c in (_find_column(frame, n) for n in CLASS_COLUMN_CANDIDATES) if c), None)
    if col is None:
        if default_class is None:
            raise InputValidationError(
                f"no road-class column found (looked for {list(CLASS_COLUMN_CANDIDATES)}; "
                f"columns are {[str(c) for c in frame.columns][:20]}). Pass class_column="
                "'<column>' if the classes are in another column, or default_class='<class>' "
                f"(one of {list(speeds.ROAD_CLASSES)}) if every feature has the same class, e.g. "
                "default_class='arteri' for a national-roads layer",
                argument="source",
            )
        road_class = pd.Series(default_class, index=frame.index, dtype=object)
        class_source = pd.Series("", index=frame.index, dtype=object)
        logger.info("read_roads: no class column; every feature is %r", default_class)
    else:
        raw = frame[col]
        mapping = dict(_OSM_EXTRA_CLASSES) if osm else {}
        mapping.update(class_mapping or {})
        road_class = speeds.normalize_road_class(raw, mapping=mapping or None)
        road_class.index = frame.index
        class_source = pd.Series(
            ["" if _is_missing(v) else str(v) for v in raw.map(_first)],
            index=frame.index,
            dtype=object,
        )
        if col == "road_class" and "class_source" in frame.columns:  # already standard
            class_source = pd.Series(
                ["" if _is_missing(v) else str(v) for v in frame["class_source"]],
                index=frame.index,
                dtype=object,
            )
        unknown = road_class.isna().to_numpy() & ~null
        if unknown.any():
            counts = (
                class_source[unknown].replace("", "<missing>").value_counts().sort_values(ascending=False)
            )
            listed = ", ".join(f"{lab!r} ({n})" for lab, n in counts.head(20).items())
            more = f" and {len(counts) - 20} more" if len(counts) > 20 else ""
            if default_class is None:
                example = next((lab for lab in counts.index if lab != "<missing>"), "label")
                raise InputValidationError(
                    f"{len(counts)} label(s) in column {col!r} match no geoaccess road class "
                    f"(features per label): {listed}{more}. Classes are "
                    f"{list(speeds.ROAD_CLASSES)}. Pass class_mapping={{{example!r}: "
                    "'lingkungan'}} to map labels, or default_class='<class>' to give every "
                    "unmatched feature one class",
                    argument="source",
                )
            notes.append(
                f"{int(unknown.sum())} feature(s) with labels in {col!r} that match no road "
                f"class were given default_class={default_class!r}: {listed}{more}"
            )
            road_class = road_class.where(~unknown, default_class)

    # --- speed ---------------------------------------------------------------------------
    scol = None
    if speed_column is not None:
        scol = _find_column(frame, speed_column)
        if scol is None and not osm and speed_column != "speed_kph":
            require_columns(frame, [speed_column], "source")
        if scol is None and speed_column == "speed_kph":
            scol = _find_column(frame, "maxspeed")
    speed = _parse_speeds(frame[scol]) if scol else np.full(len(frame), np.nan)

    # --- oneway --------------------------------------------------------------------------
    ocol = None
    if oneway_column is not None:
        ocol = _find_column(frame, oneway_column)
        if ocol is None and oneway_column != "oneway":
            require_columns(frame, [oneway_column], "source")
    if ocol is not None:
        code = _parse_oneway(frame[ocol], str(ocol))
    else:
        code = np.zeros(len(frame), dtype=np.int8)

    # --- access control ------------------------------------------------------------------
    access_controlled, toll = _access_flags(frame, class_source, osm=osm)

    # --- geometry ------------------------------------------------------------------------
    table = pd.DataFrame(
        {
            "road_class": road_class.to_numpy(dtype=object),
            "class_source": class_source.to_numpy(dtype=object),
            "speed_kph": speed,
            "oneway": code != 0,
            "access_controlled": access_controlled,
            "toll": toll,
            "_reverse": code == -1,
        }
    )
    table = table[~null].reset_index(drop=True)
    geoms = np.asarray(geom.to_numpy()[~null])
    parts, idx = shapely.get_parts(geoms, return_index=True)
    ok = ~shapely.is_empty(parts) & (shapely.length(parts) > 0)
    n_degenerate = int((~ok).sum())
    parts, idx = parts[ok], idx[ok]
    if null.any() or n_degenerate:
        bits = []
        if null.any():
            bits.append(Note("note.roads_dropped_null", n=int(null.sum())))
        if n_degenerate:
            bits.append(Note("note.roads_dropped_degenerate", n=n_degenerate))
        what = (
            bits[0] if len(bits) == 1 else Note("note.roads_dropped_both", null=bits[0], degenerate=bits[1])
        )
        notes.append(Note("note.roads_dropped", what=what))
    if len(parts) == 0:
        raise EmptyInputError(
            f"no line with a length > 0 is left ({int(null.sum())} feature(s) with empty or "
            f"missing geometry, {n_degenerate} empty or zero-length line part(s))",
            argument="source",
        )
    table = table.iloc[idx].reset_index(drop=True)
    rev = table.pop("_reverse").to_numpy()
    if rev.any():
        parts = parts.copy()
        parts[rev] = shapely.reverse(parts[rev])
    table["road_class"] = table["road_class"].astype(str)
    table["class_source"] = table["class_source"].astype(str)
    table["speed_kph"] = table["speed_kph"].astype(float)
    for flag in ("oneway", "access_controlled", "toll"):
        table[flag] = table[flag].astype(bool)
    return gpd.GeoDataFrame(table, geometry=gpd.array.from_shapely(parts), crs=frame.crs)


def _parse_speed(value: Any) -> float:
    """One OSM ``maxspeed``-style value -> km/h (NaN if not numeric or <= 0)."""
    if isinstance(value, list | tuple | np.ndarray):
        vals = [_parse_speed(v) for v in value]
        vals = [v for v in vals if v == v]
        return float(np.mean(vals)) if vals else np.nan
    if _is_missing(value) or isinstance(value, bool | np.bool_):
        return np.nan
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value) if value > 0 else np.nan
    text = str(value)
    if ";" in text or "|" in text:
        return _parse_speed(re.split(r"[;|]", text))
    m = _SPEED_RE.match(text)
    if not m:
        return np.nan
    number = float(m.group(1).replace(",", "."))
    unit = m.group(2).lower() if m.group(2) else None
    kph = number * _SPEED_FACTOR[unit]
    return kph if kph > 0 else np.nan


def _parse_speeds(values: pd.Series) -> np.ndarray:
    """Speeds in km/h (NaN: use the class speed). Negative numbers are refused."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = np.array(pd.to_numeric(values, errors="coerce"), dtype=float)  # a writable copy
        negative = out < 0
        if negative.any():
            rows = values.index[negative].tolist()
            raise InputValidationError(
                f"column {values.name!r} has {int(negative.sum())} negative speeds (rows {rows[:10]}, "
                f"e.g. {out[negative][0]:g}); fix them, or set them to NaN to use the road class speed",
                argument="roads",
            )
        out[~(out > 0)] = np.nan
        return out
    cache: dict[Any, float] = {}
    out = np.empty(len(values))
    for i, v in enumerate(values):
        try:
            out[i] = cache[v]
        except (KeyError, TypeError):  # TypeError: unhashable (list)
            out[i] = _parse_speed(v)
            try:
                cache[v] = out[i]
            except TypeError:
                pass
    return out


def oneway_code(value: Any) -> int | None:
    """One one-way value -> 1 (along the line), -1 (against it), 0 (two-way); None if unknown.

    The single reading of one-way values used by every reader (layers, OSM PBF tags).
    """
    value = _first(value)
    if _is_missing(value):
        return 0
    if isinstance(value, bool | np.bool_):
        return int(bool(value))
    if isinstance(value, int | float | np.integer | np.floating):
        return int(value) if value in (1, -1, 0) else None
    text = str(value).strip()
    if text in _ONEWAY_GEOFABRIK:
        return _ONEWAY_GEOFABRIK[text]
    low = text.lower()
    if low in _ONEWAY_FORWARD:
        return 1
    if low in _ONEWAY_REVERSE:
        return -1
    if low in _ONEWAY_TWO_WAY:
        return 0
    return None


def _unique_codes(values: pd.Series, read: Any) -> tuple[np.ndarray, dict[Any, list[Any]]]:
    """Apply ``read`` once per distinct value: (codes, {unknown value: row labels})."""
    keys = [None if _is_missing(v := _first(v0)) else v for v0 in values]
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=False)
    table = [read(u) for u in uniques]
    bad = {uniques[i]: list(values.index[codes == i]) for i, t in enumerate(table) if t is None}
    out = np.array([0 if t is None else t for t in table], dtype=np.int8)
    return (out[codes] if len(codes) else np.zeros(0, dtype=np.int8)), bad


def _describe_rows(bad: Mapping[Any, list[Any]]) -> str:
    parts = []
    for value, rows in list(bad.items())[:20]:
        shown = ", ".join(str(r) for r in rows[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
        parts.append(f"{value!r} (row{'s' if len(rows) > 1 else ''} {shown})")
    more = f" and {len(bad) - 20} more value(s)" if len(bad) > 20 else ""
    return "; ".join(parts) + more


def _parse_oneway(values: pd.Series, column: str) -> np.ndarray:
    """One-way codes of a layer's column; unknown values raise (see :func:`oneway_code`)."""
    code, bad = _unique_codes(values, oneway_code)
    if bad:
        example = next(iter(bad))
        raise InputValidationError(
            f"column {column!r} holds one-way values geoaccess does not know: "
            f"{_describe_rows(bad)}. Known values: {_ONEWAY_KNOWN}. Fix: map them first, e.g. "
            f"roads[{column!r}] = roads[{column!r}].replace({{{example!r}: 'no'}}), or pass "
            "oneway_column=None to read every line as two-way",
            argument="source",
        )
    return code


def _flag_value(value: Any) -> int | None:
    """One yes/no value -> 1/0; None if unknown. Missing values are 0 (no)."""
    if _is_missing(value):
        return 0
    if isinstance(value, bool | np.bool_):
        return int(bool(value))
    if isinstance(value, int | float | np.integer | np.floating):
        return int(value) if value in (0, 1) else None
    low = str(value).strip().lower()
    if low in _FLAG_TRUE:
        return 1
    if low in _FLAG_FALSE:
        return 0
    return None


def _parse_flag(values: pd.Series, column: str, *, strict: bool) -> np.ndarray:
    """A yes/no column as bool. Unknown values raise, or (``strict=False``, OSM tags) are no."""
    code, bad = _unique_codes(values, _flag_value)
    if bad and strict:
        example = next(iter(bad))
        raise InputValidationError(
            f"column {column!r} holds values that are neither yes nor no: {_describe_rows(bad)}. "
            "Known: yes/true/1/y/ya/True and no/false/0/n/tidak/''/False; missing values are no. "
            f"Fix: map them first, e.g. roads[{column!r}] = roads[{column!r}].replace("
            f"{{{example!r}: 'yes'}})",
            argument="source",
        )
    if bad:
        logger.info("read_roads: %s values %s read as no", column, sorted(map(str, bad))[:20])
    return code.astype(bool)


def _access_flags(
    frame: pd.DataFrame, class_source: pd.Series, *, osm: bool
) -> tuple[np.ndarray, np.ndarray]:
    """``(access_controlled, toll)`` of each feature (see :func:`read_roads`)."""
    labels = class_source.str.strip().str.lower().to_numpy(dtype=object)
    toll = np.isin(labels, list(TOLL_LABELS))
    ac = np.isin(labels, list(ACCESS_CONTROLLED_LABELS))
    for name in TOLL_COLUMN_CANDIDATES:
        col = _find_column(frame, name)
        if col is not None:
            toll |= _parse_flag(frame[col], str(col), strict=not osm)
    for name in NAME_COLUMN_CANDIDATES:
        col = _find_column(frame, name)
        if col is not None:
            toll |= np.array(
                [not _is_missing(v) and bool(_TOLL_NAME_RE.match(str(v))) for v in frame[col].map(_first)],
                dtype=bool,
            )
    col = _find_column(frame, "access_controlled")
    if col is not None:  # an already standard layer
        ac |= _parse_flag(frame[col], str(col), strict=True)
    # OSM tags: motorroad=yes (motor vehicles only, junctions only), access=no
    for name, value in (("motorroad", "yes"), ("access", "no")):
        col = _find_column(frame, name)
        if col is not None:
            ac |= np.array(
                [not _is_missing(v) and str(v).strip().lower() == value for v in frame[col].map(_first)],
                dtype=bool,
            )
    # every jalan tol is access-controlled (PP 15/2005: no at-grade crossings, all entries
    # and exits fully controlled)
    return ac | toll, toll
