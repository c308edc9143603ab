"""Sphinx configuration for the geoaccess documentation.

Build (from the repository root; nothing is fetched from the network)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

The API pages are generated from the docstrings (``sphinx.ext.autodoc`` + ``numpydoc``);
the Markdown pages in this folder are read by ``myst-parser``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))  # this checkout's geoaccess, not an installed copy

import geoaccess  # noqa: E402

project = "geoaccess"
author = "geoaccess developers"
copyright = "geoaccess developers, MIT licence"
release = geoaccess.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "myst_parser",
    "geoaccess_api",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "Thumbs.db", ".DS_Store"]

# autodoc: members in the order of the source, signatures without the long type hints
# (the numpydoc Parameters sections give the types in words).
autodoc_member_order = "bysource"
autodoc_typehints = "none"
autodoc_default_options = {"members": True, "show-inheritance": True}

# numpydoc: no autosummary tables of class members (autodoc lists them), no intersphinx.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# Nitpicky (-n) cross-references: every reference to a geoaccess name must resolve
# (docs/_ext/geoaccess_api.py maps the package's re-exports and short names to where
# they are documented). Other libraries are not linked (no intersphinx: the build is
# offline), so their names are not checked.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(os|sys|pathlib|str|dict|list|numpy|np|pandas|pd|scipy|shapely|pyproj|geopandas|gpd"
     r"|rasterio|affine|matplotlib|folium|networkx|osmnx|distributed|dask|exactextract|highspy)(\..*)?"),
]

# MyST: headings get anchors so the guide's in-page links resolve.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]
# Links from the Markdown pages to files of the repository outside docs/ are not pages of
# this site (they would render as plain text): data/README.md is included as the page
# data.md, and tests/test_docs.py checks that every relative link of the Markdown pages
# points to a file that exists inside docs/.
suppress_warnings = ["myst.xref_missing"]

# The guides, in reading order; any other page in this folder follows in name order (a
# page another branch adds is never left out of the site), and a page listed here but
# not there yet (the quickstart, written on another branch) is skipped. Sphinx warns on a
# toctree glob that matches nothing, so the list is filled in here rather than globbed.
GUIDE_ORDER = [
    "quickstart",
    "quickstart.id",
    "user-guide",
    "data",
    "method",
    "sensitivity",
    "benchmarks",
    "architecture",
    "building-docs",
]
GUIDE_MARKER = "%% guide pages (filled in by conf.py)"


def guide_pages() -> list[str]:
    """The top-level pages of docs/ other than the index: GUIDE_ORDER first, then the rest."""
    found = {p.stem for p in HERE.iterdir() if p.suffix in (".md", ".rst") and p.stem != root_doc}
    return [d for d in GUIDE_ORDER if d in found] + sorted(found - set(GUIDE_ORDER))


def _fill_guide_toctree(app, docname, source):
    if docname == root_doc:
        source[0] = source[0].replace(GUIDE_MARKER, "\n".join(guide_pages()))


def setup(app):
    app.connect("source-read", _fill_guide_toctree)

html_theme = "furo"
html_title = f"geoaccess {release}"
html_static_path: list[str] = []

# No network at build time: no intersphinx, no remote images.
os.environ.setdefault("MPLBACKEND", "Agg")
