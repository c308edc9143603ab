"""The documentation site builds with every warning an error (docs/building-docs.md).

The same command as CI's ``.ci/run`` step, into a temporary folder, so ``python -m pytest``
also fails when a docstring breaks the API pages. One build (about 10 s) serves every test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_module

import geoaccess

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> Path:
    for name in ("sphinx", "numpydoc", "myst_parser", "furo"):
        require_module(name, "to build the docs (the docs extra)")
    out = tmp_path_factory.mktemp("docs")
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-j",
        "1",
        "-q",
        "-b",
        "html",
        "-d",
        str(out / "doctrees"),
        str(DOCS),
        str(out / "html"),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"sphinx-build failed:\n{proc.stderr}\n{proc.stdout[-3000:]}"
    return out / "html"


def test_docs_build_without_warnings(html):
    assert (html / "index.html").is_file()
    for page in ("inputs", "engine", "analysis", "planning", "outputs", "pipeline"):
        assert (html / "api" / f"{page}.html").is_file()
    for page in ("user-guide", "method", "architecture", "benchmarks", "sensitivity"):
        assert (html / f"{page}.html").is_file(), f"{page}.md is not part of the site"


def test_every_public_name_is_linked_to_its_documentation(html):
    """Each row of the generated ``geoaccess.__all__`` table links to an anchor that exists."""
    index = (html / "api" / "index.html").read_text(encoding="utf-8")
    pages = {p.name: p.read_text(encoding="utf-8") for p in (html / "api").glob("*.html")}
    for name in geoaccess.__all__:
        if name == "__version__":
            continue
        label = rf'(?:<code[^>]*>)?(?:<span class="pre">)?{re.escape(name)}<'
        links = re.findall(rf'href="([^"]*)"[^>]*>{label}', index)
        assert links, f"geoaccess.{name} has no link in the API reference table"
        page, _, anchor = links[0].partition("#")
        assert page in pages, f"geoaccess.{name} links to a missing page {page!r}"
        assert f'id="{anchor}"' in pages[page], f"geoaccess.{name} links to a missing anchor {anchor!r}"


def test_cross_reference_checks_know_real_names_from_typos():
    """The nitpicky build lets a real geoaccess name through and fails on a misspelt one."""
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import geoaccess_api
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    exists = geoaccess_api._exists
    assert exists("Network.edges") and exists("edges", "Network")  # numpydoc Attributes
    assert exists("geoaccess.analysis.flood.FloodExposure.facilities")  # a dataclass field
    assert exists("geoaccess.pipeline.RUN_BYTES_PER_CELL") and exists("ROAD_SPEED_KPH")
    assert not exists("Network.edgez") and not exists("geoaccess.no_such_function")
    assert not exists("buld_network") and not exists("RUN_BYTES_PER_CEL")


def test_markdown_links_point_to_files_that_exist():
    """Relative links of the Markdown pages (Sphinx is told not to resolve those leaving docs/):
    to a file that exists inside docs/ (a link leaving docs/, ``../data/README.md``, is plain
    text on the site)."""
    broken, outside = [], []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0]
            if path and not (page.parent / path).exists():
                broken.append(f"{page.name}: {target}")
            elif path and not (page.parent / path).resolve().is_relative_to(DOCS):
                outside.append(f"{page.name}: {target}")
    assert not broken, f"links to missing files: {broken}"
    assert not outside, f"links leaving docs/ (plain text on the site): {outside}"


def test_data_readme_is_a_page_the_guides_link_to(html):
    """The guides' data/README.md links are links on the built site, to the page holding it."""
    assert "do not copy data files into the repository" in (html / "data.html").read_text(encoding="utf-8")
    for page in ("quickstart.html", "quickstart.id.html", "user-guide.html"):
        text = (html / page).read_text(encoding="utf-8")
        link = r'<a class="reference internal" href="data\.html"[^>]*>.*?data/README\.md'
        assert re.search(link, text), page
