"""docs/quickstart.md and docs/quickstart.id.md run as written.

Every ``geoaccess ...`` line of their ``bash`` blocks is run through the command-line entry
point in an empty folder (the shared data found through ``GEOACCESS_DATA_DIR``, as the docs
say), every ``python`` block is executed there, and the ``yaml`` snippet is checked as a
config section. The two languages must hold the same commands and code (comments and
file names aside).
"""

from __future__ import annotations

import re
import shlex
import warnings
from pathlib import Path

import pytest
import yaml

from geoaccess.cli import main
from geoaccess.config import load_config, siting_wanted, template_dict
from geoaccess.exceptions import GeoAccessWarning

DOCS = Path(__file__).resolve().parent.parent / "docs"
QUICKSTARTS = ["quickstart.md", "quickstart.id.md"]


def _blocks(name: str, lang: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.DOTALL)


def _commands(name: str) -> list[str]:
    lines = [ln.split("#")[0].strip() for b in _blocks(name, "bash") for ln in b.splitlines()]
    return [ln for ln in lines if ln.startswith("geoaccess ")]


def _code(name: str) -> str:
    """The python blocks without comments, strings in quotes blanked (file names, labels)."""
    src = "\n".join(_blocks(name, "python"))
    src = re.sub(r"#.*", "", src)
    src = re.sub(r'"[^"\n]*"', '""', src)
    return "\n".join(ln.rstrip() for ln in src.splitlines() if ln.strip())


def test_both_languages_hold_the_same_steps():
    en, id_ = (_commands(n) for n in QUICKSTARTS)

    def norm(cmds):
        return [re.sub(r"\S+\.yaml", "X.yaml", re.sub(r" --lang (id|en)\b", "", c)) for c in cmds]

    assert norm(en) == norm(id_) and len(en) >= 4
    assert _code("quickstart.md") == _code("quickstart.id.md")
    for word in ("puskesmas rawat inap", "RSUD", "waktu tempuh", "penduduk", "kecamatan", "desa"):
        assert word in (DOCS / "quickstart.id.md").read_text(encoding="utf-8"), word
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "docs/quickstart.md" in readme and "docs/quickstart.id.md" in readme


@pytest.mark.slow
@pytest.mark.parametrize("doc", QUICKSTARTS)
def test_quickstart_runs_as_written(doc, data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GEOACCESS_DATA_DIR", str(data_dir))
    for cmd in _commands(doc):
        assert main(shlex.split(cmd)[1:]) == 0, cmd
    assert (tmp_path / "hasil-demo" / "muara_enim_print_map.pdf").exists()
    assert (tmp_path / "geoaccess-output" / "ogan_ilir_print_map.png").exists()
    # the config run is in the quickstart's language (geoaccess init --lang en in English)
    copy = yaml.safe_load((tmp_path / "geoaccess-output" / "ogan_ilir_config.yaml").read_text("utf-8"))
    assert copy["language"] == ("en" if doc == "quickstart.md" else "id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        for code in _blocks(doc, "python"):
            exec(compile(code, doc, "exec"), {})
    out = capsys.readouterr().out
    m = re.search(r"^(\d+) desa (?:are more than|berjarak lebih dari) 60 (?:minutes|menit)", out, flags=re.M)
    assert m and 0 < int(m.group(1)) < 254, out[-2000:]
    pdfs = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert pdfs in (["print_map.pdf"], ["peta_cetak.pdf"])
    assert len(list(tmp_path.glob("*.html"))) == 1


@pytest.mark.parametrize("doc", QUICKSTARTS)
def test_siting_snippet_is_a_valid_section(doc):
    (snippet,) = _blocks(doc, "yaml")
    section = yaml.safe_load(snippet)
    cfg = load_config({**template_dict(None), **section}, check_files=False)
    assert siting_wanted(cfg)
    assert cfg["siting"]["budget_idr"] == 10_000_000_000  # Rp 10 miliar, as the comment says
