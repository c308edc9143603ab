"""The one catalogue of user-facing strings (geoaccess.outputs.i18n), and outputs in Indonesian."""

from __future__ import annotations

import ast
import re
from pathlib import Path

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
    assert t("map.count_people", "id", n="1,234") == "1,234 jiwa"
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
    return [*sorted((OUTPUTS / "maps").glob("*.py")), OUTPUTS / "report.py", OUTPUTS / "proposal.py"]


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
