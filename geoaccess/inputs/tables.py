"""Reading the tables planners bring (CSV, TSV, TXT, XLSX) and the numbers written in them.

Real Dinkes spreadsheets are exported by Excel in an Indonesian locale: semicolons as
separators, ``12.000`` for twelve thousand, ``3,5`` for three and a half, cp1252 or
UTF-16 text, ids like ``0012`` and Kemendagri codes like ``16.03.01``. The readers here
never guess silently:

- :func:`read_table` reads every cell as **text** (so ids and codes are never
  reformatted: ``0012`` stays ``0012``), detects the encoding (UTF-8, UTF-8 with BOM,
  UTF-16 with BOM or without, cp1252) and the separator (``,`` ``;`` tab ``|``), and
  raises a typed error for a directory, an empty file, binary content, or rows with
  more or fewer fields than the header (a file cut mid-row).
- :func:`parse_numbers` turns one text column into floats, deciding per column whether
  ``.`` and ``,`` are thousands separators or decimal marks (see its notes). What it can
  convert unambiguously it converts; what it cannot, it reports by column and row.
- :func:`infer_numbers` converts the audit columns a loader passes through, but only
  where every value is an unambiguous number; everything else stays text.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..exceptions import DataNotFoundError, EmptyInputError, InputValidationError

__all__ = [
    "BLANK_TOKENS",
    "TABLE_SUFFIXES",
    "NumberKind",
    "infer_numbers",
    "is_code_column",
    "parse_numbers",
    "read_table",
]

logger = logging.getLogger(__name__)

#: File suffixes :func:`read_table` reads (others are vector files for geopandas).
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")

#: Cell texts that mean "no value" (case-insensitive, after stripping spaces).
BLANK_TOKENS: frozenset[str] = frozenset(
    {"", "-", "--", "na", "n/a", "n.a.", "nan", "none", "null", "<na>", "#n/a", "?", "tidak ada data"}
)
# Texts read as missing when a file is read (pandas' default NA strings).
_NA_CELLS = frozenset(
    {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
     "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
)  # fmt: skip
_SEPARATORS = (",", ";", "\t", "|")
_CODE_NAME = re.compile(r"(^|_)(id|ids|code|codes|kode|kd|nik|nip)(_|$)|^id[a-z]|kode|code", re.IGNORECASE)

NumberKind = Literal["count", "float"]


def is_code_column(name: Any) -> bool:
    """True for a column whose name says it holds ids or codes (``facility_id``, ``kab_code``, ``kode_desa``).

    Such columns are kept as text by :func:`infer_numbers`.

    Parameters
    ----------
    name : str
        A column name.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_code_column("kode_desa"), is_code_column("facility_id"), is_code_column("population")
    (True, True, False)
    """
    return bool(_CODE_NAME.search(str(name)))


# --------------------------------------------------------------------------- reading


def read_table(source: str | os.PathLike[str], *, argument: str = "source") -> pd.DataFrame:
    """Read a CSV/TSV/TXT or Excel file with every cell as text (``None`` where empty).

    Parameters
    ----------
    source : path
        ``.csv``, ``.tsv``, ``.txt`` (separator detected: ``,`` ``;`` tab ``|``; ``.tsv``
        is tab), ``.xlsx``/``.xlsm``/``.xls`` (first sheet). A text file that is really
        an Excel workbook (renamed) is read as one.
    argument : str
        Name of the argument in error messages.

    Returns
    -------
    DataFrame
        Column names stripped of spaces; every cell a stripped ``str`` or ``None``.

    Raises
    ------
    DataNotFoundError
        The path does not exist.
    EmptyInputError
        The file is empty (a header without rows gives a frame with no rows; the
        loaders then raise :class:`EmptyInputError` for it).
    InputValidationError
        A directory, binary content, a row with more or fewer fields than the header
        (a file cut mid-row, or a separator inside an unquoted value), duplicate or
        empty column names, an unreadable workbook.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f.csv"
    >>> _ = p.write_bytes("facility_id;lat\\n0012;-3,5\\n".encode("cp1252"))
    >>> read_table(p).to_numpy().tolist()
    [['0012', '-3,5']]
    """
    path = Path(source)
    if not path.exists():
        raise DataNotFoundError(
            f"`{argument}`: file {str(path)!r} does not exist. Check the path "
            "(see data/README.md for where the shared data lives)."
        )
    if path.is_dir():
        raise InputValidationError(directory_message(path), argument=argument)
    raw = path.read_bytes()
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyInputError(f"file {str(path)!r} is empty (0 rows, no header).", argument=argument)
    suffix = path.suffix.lower()
    if (
        suffix in (".xlsx", ".xlsm", ".xls")
        or raw[:4] == b"PK\x03\x04"
        or raw[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    ):
        if suffix not in (".xlsx", ".xlsm", ".xls"):
            logger.info("%s is an Excel workbook despite its suffix; read as one", path)
        return _read_excel(path, argument)
    text, encoding = _decode(raw, path, argument)
    sep = "\t" if suffix == ".tsv" else _sniff(text)
    logger.info("read %s as %s text separated by %r", path, encoding, sep)
    return _parse_csv(text, sep, path, argument, ends_with_newline=text.endswith(("\n", "\r")))


def directory_message(path: Path) -> str:
    """The error text for a directory passed where one file is expected (lists its files)."""
    files = sorted(p.name for p in path.iterdir() if p.is_file())
    tables = [f for f in files if Path(f).suffix.lower() in (*TABLE_SUFFIXES, ".gpkg", ".geojson", ".shp")]
    listing = tables[:10] if tables else files[:10]
    return (
        f"{str(path)!r} is a directory, not a file; pass one file inside it"
        + (f", e.g. one of {listing}" if listing else " (it holds no file)")
        + ". geoaccess never picks a file out of a directory for you."
    )


def _read_excel(path: Path, argument: str) -> pd.DataFrame:
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, header=0)
    except Exception as exc:  # openpyxl/xlrd raise many kinds (zipfile.BadZipFile, KeyError, ...)
        raise InputValidationError(
            f"file {str(path)!r} is not a readable Excel workbook ({type(exc).__name__}: {exc}). "
            "Open it in Excel and save it again as .xlsx, or export it as CSV.",
            argument=argument,
        ) from exc
    if not sheets:
        raise EmptyInputError(f"workbook {str(path)!r} has no sheet.", argument=argument)
    name, df = next(iter(sheets.items()))
    if len(sheets) > 1:
        logger.info("%s: read the first sheet %r of %d", path, name, len(sheets))
    if df.shape[1] == 0:
        raise EmptyInputError(f"the first sheet {name!r} of {str(path)!r} is empty.", argument=argument)
    df = df.dropna(how="all")
    header = [str(c).strip() for c in df.columns]
    _check_header(header, path, argument)
    out = df.copy()
    out.columns = header
    for c in out.columns:
        out[c] = _clean_cells(out[c].tolist())
    return out.reset_index(drop=True)


def _decode(raw: bytes, path: Path, argument: str) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw.decode("utf-8-sig"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputValidationError(
                f"file {str(path)!r} starts with a UTF-16 mark but is not valid UTF-16 ({exc}). "
                "Save it again as 'CSV UTF-8'.",
                argument=argument,
            ) from exc
    head = raw[:4000]
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        enc = "utf-16-le" if odd > 0.3 * len(head) / 2 else "utf-16-be" if even > 0.3 * len(head) / 2 else ""
        if enc:
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError:
                pass
        raise InputValidationError(
            f"file {str(path)!r} holds binary data, not a text table (is it a GeoTIFF, a zip or a "
            "database file with a .csv name?). Export the table as CSV or XLSX.",
            argument=argument,
        )
    for enc in ("utf-8", "cp1252"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def _sniff(text: str) -> str:
    """The separator that splits the first lines into the most, equal, field counts."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:30]
    best, best_score = ",", (0, 0)
    for sep in _SEPARATORS:
        counts = [len(r) for r in csv.reader(lines, delimiter=sep)]
        if not counts or counts[0] < 2:
            continue
        header = counts[0]
        agree = sum(c == header for c in counts)
        score = (agree, header)
        if score > best_score:
            best, best_score = sep, score
    return best


def _check_header(header: list[str], path: Path, argument: str) -> None:
    dup = sorted({h for h in header if header.count(h) > 1 and h})
    if dup:
        raise InputValidationError(
            f"file {str(path)!r} has duplicate column name(s) {dup}; rename them so each column "
            "has its own name.",
            argument=argument,
        )


def _clean_cells(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            out.append(None)
            continue
        text = str(v).strip()
        out.append(None if text in _NA_CELLS else text)
    return out


def _parse_csv(text: str, sep: str, path: Path, argument: str, *, ends_with_newline: bool) -> pd.DataFrame:
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
        rows: list[tuple[int, list[str]]] = []
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputValidationError(
            f"file {str(path)!r} is not a well-formed table near line {reader.line_num} ({exc}); "
            "a quote is probably left open (the file may be cut off). Export it again.",
            argument=argument,
        ) from exc
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows:
        raise EmptyInputError(f"file {str(path)!r} has no header and no rows.", argument=argument)
    header = [c.strip() for c in rows[0][1]]
    # Trailing separators ("a;b;") give empty trailing names; drop those columns if empty.
    width = len(header)
    while (
        width > 1
        and header[width - 1] == ""
        and all(len(r) < width or not r[width - 1].strip() for _, r in rows[1:])
    ):
        width -= 1
    header = header[:width]
    if "" in header:
        raise InputValidationError(
            f"file {str(path)!r} has an empty column name at position(s) "
            f"{[i + 1 for i, h in enumerate(header) if not h]}; give every column a name.",
            argument=argument,
        )
    _check_header(header, path, argument)
    short: list[str] = []
    long: list[str] = []
    data: list[list[str]] = []
    last = len(rows) - 1
    for line, r in rows[1:]:
        extra = r[width:]
        if len(r) < width:
            short.append(f"line {line} ({len(r)} of {width} fields)")
        elif any(c.strip() for c in extra):
            long.append(f"line {line} ({len(r)} fields)")
        data.append((r + [""] * width)[:width])
    if short or long:
        cut = bool(short) and short[-1].startswith(f"line {rows[last][0]} ") and not ends_with_newline
        problems = []
        if cut:
            problems.append(
                f"file {str(path)!r} looks truncated: its last row ({short[-1]}) is cut off "
                "mid-row and the file does not end with a line break. Copy or download the file "
                "again; the rows after the cut are missing."
            )
            short = short[:-1]
        if short:
            problems.append(
                f"{len(short)} row(s) have fewer fields than the header ({width}): {short[:10]}. "
                f"Check for a missing separator {sep!r}, or export the file again."
            )
        if long:
            problems.append(
                f"{len(long)} row(s) have more fields than the header ({width}): {long[:10]}. "
                f"A value probably contains the separator {sep!r} without quotes; quote it or "
                "export the file again."
            )
        raise InputValidationError(problems, argument=argument)
    df = pd.DataFrame(data, columns=header, dtype=object)
    for c in df.columns:
        df[c] = _clean_cells(df[c].tolist())
    return df


# --------------------------------------------------------------------------- numbers

_INT = re.compile(r"^[+-]?\d+$")
_DOT3 = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")  # 12.000: Indonesian thousands or English decimal
_COMMA3 = re.compile(r"^[+-]?\d{1,3},\d{3}$")  # 1,234: English thousands or Indonesian decimal
_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}$")  # 1.234.567: Indonesian thousands
_COMMAS = re.compile(r"^[+-]?\d{1,3}(,\d{3}){2,}$")  # 1,234,567: English thousands
_ID_FULL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")  # 1.234,5
_EN_FULL = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$")  # 1,234.5
_DOT_DEC = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?\d+[eE][+-]?\d+$")  # 12.5, 1e5
_COMMA_DEC = re.compile(r"^[+-]?(\d+,\d*|,\d+)$")  # 12,5
_SPACES = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$")  # 12 000


def _classify(text: str) -> tuple[str, float, float]:
    """(category, value read the English way, value read the Indonesian way)."""
    t = text.replace("\u2212", "-")
    if _SPACES.match(t):
        t = re.sub(r"[ \u00a0\u202f]", "", t)
        if "," in t and "." not in t:
            t = t.replace(",", ".")
        return "both", float(t), float(t)
    if _INT.match(t):
        return "both", float(t), float(t)
    if _DOT3.match(t):
        return "dot3", float(t), float(t.replace(".", ""))
    if _COMMA3.match(t):
        return "comma3", float(t.replace(",", "")), float(t.replace(",", "."))
    if _DOTS.match(t) or _ID_FULL.match(t):
        v = float(t.replace(".", "").replace(",", "."))
        return "id", np.nan, v
    if _COMMAS.match(t) or _EN_FULL.match(t):
        return "en", float(t.replace(",", "")), np.nan
    if _DOT_DEC.match(t):
        return "en", float(t), np.nan
    if _COMMA_DEC.match(t):
        return "id", np.nan, float(t.replace(",", "."))
    return "bad", np.nan, np.nan


def _row_label(labels: Sequence[Any] | None, index: Sequence[Any], pos: int) -> str:
    if labels is not None:
        return str(labels[pos])
    return f"row {index[pos]}"


def parse_numbers(
    values: pd.Series,
    *,
    column: str,
    argument: str,
    kind: NumberKind = "float",
    labels: Sequence[Any] | None = None,
) -> tuple[pd.Series, list[str]]:
    """Parse one column of numbers written the Indonesian or the English way.

    Parameters
    ----------
    values : Series
        Numbers (returned as float) or text.
    column, argument : str
        Column and argument names for the messages.
    kind : {'count', 'float'}
        ``count`` for whole quantities (persons, staff, beds): a lone ``12.000`` or
        ``1,234`` with no other evidence in the column is read with the separator as a
        thousands mark (a count is not written with three decimals) and reported in the
        returned notes. ``float``: such a column is ambiguous and raises.
    labels : sequence, optional
        Row labels (e.g. facility ids) for the messages; default the index.

    Returns
    -------
    (Series of float, list of str)
        The values (NaN for blanks such as ``""``, ``-``, ``NA``) and notes on
        interpretations the caller should pass on to the user.

    Raises
    ------
    InputValidationError
        Values that are not numbers (``12 orang``, ``12%``), a column that mixes the
        Indonesian and the English way, ``float`` columns where ``1.234`` could be either,
        and infinite values; each with the column, the rows and the fix.

    Notes
    -----
    Per value: ``1.234.567``, ``1.234,5`` and ``12,5`` can only be Indonesian;
    ``1,234,567``, ``1,234.5``, ``12.5`` and ``1e5`` only English; ``12 000`` is twelve
    thousand either way; ``12.000`` and ``1,234`` could be either. The column is read
    the one way its unambiguous values show; a column with both kinds is an error.

    Examples
    --------
    >>> s = pd.Series(["12.000", "1.234.567", "7,5"])
    >>> parse_numbers(s, column="population", argument="table")[0].tolist()
    [12000.0, 1234567.0, 7.5]
    >>> parse_numbers(pd.Series(["1,234.5", "1,234"]), column="x", argument="t")[0].tolist()
    [1234.5, 1234.0]
    """
    index = list(values.index)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = pd.Series(values, dtype="Float64").astype(float)
        inf = np.isinf(out.to_numpy())
        if inf.any():
            rows = [_row_label(labels, index, int(i)) for i in np.flatnonzero(inf)]
            raise InputValidationError(
                f"column {column!r} has infinite value(s) at {rows[:10]}; write a finite number, "
                "or leave the cell empty for unknown.",
                argument=argument,
            )
        return out, []
    cats: list[str] = []
    en = np.full(len(values), np.nan)
    idv = np.full(len(values), np.nan)
    blank = np.zeros(len(values), dtype=bool)
    bad: list[str] = []
    for i, v in enumerate(values.tolist()):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            blank[i] = True
            cats.append("blank")
            continue
        if isinstance(v, bool | np.bool_):
            cats.append("bad")
            bad.append(f"{_row_label(labels, index, i)}: {v!r}")
            continue
        if isinstance(v, int | float | np.integer | np.floating):
            if not np.isfinite(float(v)):
                cats.append("bad")
                bad.append(f"{_row_label(labels, index, i)}: {v!r}")
                continue
            cats.append("both")
            en[i] = idv[i] = float(v)
            continue
        text = str(v).strip()
        if text.lower() in BLANK_TOKENS:
            blank[i] = True
            cats.append("blank")
            continue
        cat, e, d = _classify(text)
        cats.append(cat)
        en[i], idv[i] = e, d
        if cat == "bad":
            bad.append(f"{_row_label(labels, index, i)}: {text!r}")
    if bad:
        raise InputValidationError(
            f"column {column!r} has {len(bad)} value(s) that are not numbers: {bad[:10]}"
            f"{' ...' if len(bad) > 10 else ''}. Write the number only (no units, %, or words; "
            "e.g. 12 not '12 orang'), or leave the cell empty for unknown.",
            argument=argument,
        )
    cat_arr = np.array(cats, dtype=object)

    def examples(cat: str) -> str:
        pos = np.flatnonzero(cat_arr == cat)[:3]
        return ", ".join(f"{values.iloc[int(p)]!r} ({_row_label(labels, index, int(p))})" for p in pos)

    has_en, has_id = bool((cat_arr == "en").any()), bool((cat_arr == "id").any())
    has_dot3, has_comma3 = bool((cat_arr == "dot3").any()), bool((cat_arr == "comma3").any())
    notes: list[str] = []
    if has_en and has_id:
        raise InputValidationError(
            f"column {column!r} mixes English-style numbers ({examples('en')}) and Indonesian-style "
            f"numbers ({examples('id')}); geoaccess cannot tell what '.' and ',' mean. Write the "
            "whole column one way (e.g. 1234.5 with no thousands separator).",
            argument=argument,
        )
    if has_en:
        style = "en"
    elif has_id:
        style = "id"
    elif has_dot3 and has_comma3:
        raise InputValidationError(
            f"column {column!r} writes thousands both as '.' ({examples('dot3')}) and as ',' "
            f"({examples('comma3')}), or one of them is a decimal mark; write the column one way "
            "(e.g. 12000 and 1234 with no separator).",
            argument=argument,
        )
    elif has_dot3 or has_comma3:
        which = "dot3" if has_dot3 else "comma3"
        n = int((cat_arr == which).sum())
        if kind == "count":
            style = "id" if has_dot3 else "en"
            sep = "." if has_dot3 else ","
            first = int(np.flatnonzero(cat_arr == which)[0])
            notes.append(
                f"column {column!r}: {n} value(s) with {sep!r} before three digits ({examples(which)}) "
                f"read as thousands ({values.iloc[first]} -> {(idv if has_dot3 else en)[first]:.0f}): "
                "a count is not written with three decimals"
            )
        else:
            raise InputValidationError(
                f"column {column!r} has {n} value(s) like {examples(which)} that read as "
                + (
                    "thousands (Indonesian) or a decimal (English)"
                    if has_dot3
                    else "thousands (English) or a decimal (Indonesian)"
                )
                + ", and no other value in the column tells which. Write them without a thousands "
                "separator and with the decimal mark you mean (e.g. 1234 or 1.234).",
                argument=argument,
            )
    else:
        style = "en"
    result = np.where(cat_arr == "both", en, en if style == "en" else idv)
    result = np.where(blank, np.nan, result)
    if style == "id" and (has_id or has_dot3 or has_comma3):
        logger.info("column %r read with Indonesian number format ('.' thousands, ',' decimal)", column)
    return pd.Series(result.astype(float), index=values.index, name=values.name), notes


def _is_text(s: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)


def infer_numbers(df: pd.DataFrame, *, skip: Iterable[str] = ()) -> pd.DataFrame:
    """Convert the text columns of ``df`` that hold only unambiguous numbers (or true/false).

    For audit columns a loader passes through: ids and codes (:func:`is_code_column`),
    the ``skip`` columns, and any column with one value that is not an unambiguous
    number stay text, so nothing is silently reformatted. Whole numbers without a
    missing value become ``int64``, other numbers ``float64``; ``True``/``False``
    columns become ``bool``.

    Parameters
    ----------
    df : DataFrame
        A table read as text (:func:`read_table`).
    skip : iterable of str
        Columns to keep as text whatever they hold.

    Returns
    -------
    DataFrame
        A new frame; the converted columns are numbers or booleans, the rest unchanged.

    Examples
    --------
    >>> raw = pd.DataFrame({"kode_desa": ["1603012001", "1603012002"], "luas_km2": ["12.5", "7"],
    ...                     "rawat_inap": ["True", "False"], "catatan": ["baru", "12"]})
    >>> typed = infer_numbers(raw)
    >>> typed["luas_km2"].tolist(), typed["rawat_inap"].tolist()
    ([12.5, 7.0], [True, False])
    >>> typed["kode_desa"].tolist(), typed["catatan"].tolist()  # a code, and a column with text
    (['1603012001', '1603012002'], ['baru', '12'])
    """
    out = df.copy()
    skip = set(skip)
    for c in out.columns:
        if c in skip or is_code_column(c) or not _is_text(out[c]):
            continue
        vals = out[c]
        present = vals.dropna()
        if len(present) == 0:
            continue
        texts = present.astype(str)
        if texts.str.lower().isin(["true", "false"]).all() and len(present) == len(vals):
            out[c] = texts.str.lower() == "true"
            continue
        if not texts.str.match(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$").all():
            continue
        try:
            num, notes = parse_numbers(vals, column=str(c), argument="source", kind="float")
        except InputValidationError:
            continue
        if notes:
            continue
        if texts.str.match(r"^[+-]?\d+$").all() and len(present) == len(vals):
            out[c] = num.astype("int64")
        else:
            out[c] = num
    return out
