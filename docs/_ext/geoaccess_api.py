"""Sphinx extension: the ``geoaccess-public-api`` directive.

Writes the table of ``geoaccess.__all__`` (name, kind, first line of the docstring), each
name linked to the one place it is documented (the module that defines it), so the table
can never fall behind the package and no object is described twice.
"""

from __future__ import annotations

import importlib
import inspect
import sys

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective


def _home(obj: object, name: str) -> str | None:
    """The module documented as holding ``obj``: the shortest ``geoaccess.*`` module listing it.

    The API pages document each module's ``__all__``; a subpackage that re-exports its
    modules' names (``geoaccess.inputs.roads``, ``geoaccess.outputs.maps``) is documented
    instead of those modules.
    """
    homes = [
        modname
        for modname, module in sys.modules.items()
        if modname.startswith("geoaccess.")
        and name in getattr(module, "__all__", ())
        and getattr(module, name, None) is obj
    ]
    return min(homes, key=lambda m: (m.count("."), m)) if homes else None


def _target(obj: object, name: str) -> tuple[str, str]:
    """The cross-reference role and target for a public name of ``geoaccess``."""
    if inspect.ismodule(obj):
        return "mod", obj.__name__
    home = _home(obj, name)
    if inspect.isclass(obj):
        role = "exc" if issubclass(obj, BaseException) else "class"
    elif callable(obj):
        role = "func"
    else:
        role = "data"
    if home is None:
        home = getattr(obj, "__module__", None) if role != "data" else None
    return role, f"{home or 'geoaccess'}.{name}"


class PublicApi(SphinxDirective):
    """``.. geoaccess-public-api::``: one row per name of ``geoaccess.__all__``."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        package = importlib.import_module("geoaccess")
        lines = [".. list-table::", "   :header-rows: 1", "   :widths: 30 70", ""]
        lines += ["   * - name", "     - what it is"]
        for name in sorted(package.__all__, key=str.lower):
            obj = getattr(package, name)
            role, target = _target(obj, name)
            if role == "data" and target == f"geoaccess.{name}":  # __version__: nowhere else
                label = f"``geoaccess.{name}``"
            else:
                label = f":{role}:`{name} <{target}>`"
            doc = (inspect.getdoc(obj) or "").strip().splitlines()
            summary = doc[0] if doc else ""
            if name == "__version__":
                summary = "the package version"
            lines += [f"   * - {label}", f"     - {summary}"]
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="geoaccess.__all__"), self.content_offset, container)
        return container.children


def setup(app):
    app.add_directive("geoaccess-public-api", PublicApi)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
