"""Sphinx extension for the geoaccess API reference.

- ``.. geoaccess-public-api::`` writes the table of ``geoaccess.__all__`` (name and first
  line of the docstring), each name linked to the one place it is documented, so the
  table can never fall behind the package.
- ``.. geoaccess-stage:: engine`` documents every public module of a stage package
  (``automodule`` of each, members from its ``__all__``), so a new module is on its page
  without editing the docs, and a name a module re-exports from another documented module
  is described once.
- The ``missing-reference`` handler resolves the short names the docstrings use
  (``geoaccess.build_network``, ``build_network``, ``Network.edges``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


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


def _lookup(dotted: str) -> object | None:
    """The object a dotted ``geoaccess...`` name reaches by attribute access, or None."""
    parts = dotted.split(".")
    try:
        obj: object = importlib.import_module(parts[0])
        for part in parts[1:]:
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    return obj


def resolve_short_names(app, env, node, contnode):
    """Resolve the names the docstrings use for the public API to where it is documented.

    ``geoaccess.build_network`` (the package's re-export) becomes
    ``geoaccess.engine.network.build_network``; a bare ``build_network`` or
    ``Network.with_edge_times`` is looked up among the documented objects whose full name
    ends with it (the one in the current module first). A name that exists in geoaccess
    but is not documented on the API pages (a module constant not in ``__all__``, a
    helper) is shown as plain text. Anything else is left to Sphinx, which warns about it
    under ``-n``: a typo or a renamed function fails the docs build.
    """
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    objects = domain.objects
    target = node["reftarget"].removesuffix("()")
    names: list[str] = []
    if target.startswith("geoaccess."):
        obj = _lookup(target)
        if obj is not None:
            short = target.rsplit(".", 1)[-1]
            if inspect.ismodule(obj):
                names.append(obj.__name__)
            else:
                home = _home(obj, short)
                if home:
                    names.append(f"{home}.{short}")
                qual = getattr(obj, "__qualname__", None)
                if qual and getattr(obj, "__module__", None):
                    names.append(f"{obj.__module__}.{qual}")
    if not names:
        found = sorted(n for n in objects if n.endswith("." + target) and n.startswith("geoaccess."))
        here = node.get("py:module") or ""
        local = [n for n in found if n.startswith(here + ".")] if here else []
        names = local[:1] if len(local) == 1 else found if len(found) == 1 else []
    for name in names:
        if name in objects or name in domain.modules:
            typ = "mod" if name in domain.modules and name not in objects else node["reftype"]
            return domain.resolve_xref(env, node["refdoc"], app.builder, typ, name, node, contnode)
    if _exists(target, node.get("py:class")):
        return contnode  # real but not on the API pages (a module constant, a helper): plain text
    return None  # a name that does not exist: with -n, a warning


def _has_attribute(cls: type, name: str) -> bool:
    """A class attribute, a dataclass field, or an attribute its docstring's numpydoc
    ``Attributes`` section names (instance attributes set in ``__init__``)."""
    if hasattr(cls, name) or name in getattr(cls, "__annotations__", {}):
        return True
    from numpydoc.docscrape import ClassDoc

    try:
        documented = ClassDoc(cls, config={"show_class_members": False})["Attributes"]
    except Exception:  # a docstring numpydoc cannot read: not documented
        return False
    return any(name in (n.strip() for n in attr.name.split(",")) for attr in documented)


def _exists(target: str, classname: str | None = None) -> bool:
    """Whether ``target`` (``geoaccess.x.NAME``, ``NAME``, ``Class.attr``, or an attribute
    of ``classname``) is a real name of a geoaccess module, documented or not."""
    if classname and "." not in target:
        return _exists(f"{classname}.{target}")
    parts = target.split(".")
    if target.startswith("geoaccess."):
        if _lookup(target) is not None:
            return True
        try:  # a submodule not imported yet
            importlib.import_module(target)
            return True
        except ImportError:
            owner = _lookup(".".join(parts[:-1]))
            return inspect.isclass(owner) and _has_attribute(owner, parts[-1])
    head, *rest = parts
    for modname, module in list(sys.modules.items()):
        if not modname.startswith("geoaccess") or not hasattr(module, head):
            continue
        obj = getattr(module, head)
        for i, part in enumerate(rest):
            if inspect.isclass(obj) and i == len(rest) - 1 and _has_attribute(obj, part):
                return True
            obj = getattr(obj, part, None)
            if obj is None:
                break
        else:
            return True
    return False


# --------------------------------------------------------------------------- stage pages

#: The API pages: page -> the package whose modules it documents (None: the top-level
#: modules that are no stage package). Within a page, the modules named in
#: ``MODULE_ORDER`` come first, then any other module in name order, so a module added to
#: the package is on its page without editing the docs.
STAGES: dict[str, str | None] = {
    "inputs": "geoaccess.inputs",
    "engine": "geoaccess.engine",
    "analysis": "geoaccess.analysis",
    "planning": "geoaccess.planning",
    "outputs": "geoaccess.outputs",
    "pipeline": None,
}
MODULE_ORDER = [
    "geoaccess.inputs.boundaries", "geoaccess.inputs.facilities", "geoaccess.inputs.population",
    "geoaccess.inputs.roads", "geoaccess.inputs.tables", "geoaccess.inputs.datasets",
    "geoaccess.engine.network", "geoaccess.engine.travel", "geoaccess.engine.speeds",
    "geoaccess.engine.lattice", "geoaccess.engine.links", "geoaccess.engine.flood",
    "geoaccess.engine.network_cache", "geoaccess.engine.arrays",
    "geoaccess.analysis.metrics", "geoaccess.analysis.fca", "geoaccess.analysis.targets",
    "geoaccess.analysis.flood", "geoaccess.analysis.columns",
    "geoaccess.planning.priority", "geoaccess.planning.scenario", "geoaccess.planning.candidates",
    "geoaccess.planning.siting", "geoaccess.planning.eligibility",
    "geoaccess.outputs.maps", "geoaccess.outputs.report", "geoaccess.outputs.proposal",
    "geoaccess.outputs.i18n",
    "geoaccess.pipeline", "geoaccess.flood_season", "geoaccess.config", "geoaccess.siting_run",
    "geoaccess.batch", "geoaccess.cli",
    "geoaccess.settings", "geoaccess.exceptions",
]


def _public_modules(package: str) -> list[str]:
    """The public modules of ``package`` the API documents: each submodule; a subpackage
    with an ``__all__`` (``geoaccess.inputs.roads``) as one module, else its submodules."""
    pkg = importlib.import_module(package)
    out: list[str] = []
    for info in pkgutil.iter_modules(pkg.__path__, package + "."):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        if info.ispkg and not hasattr(module, "__all__"):
            out += _public_modules(info.name)
        else:
            out.append(info.name)
    return out


def stage_modules(stage: str) -> list[str]:
    """The modules documented on one API page, in page order."""
    package = STAGES[stage]
    if package is None:
        stage_packages = {p for p in STAGES.values() if p}
        top = importlib.import_module("geoaccess")
        found = [
            info.name
            for info in pkgutil.iter_modules(top.__path__, "geoaccess.")
            if not info.name.rsplit(".", 1)[-1].startswith("_") and info.name not in stage_packages
        ]
    else:
        found = _public_modules(package)
    rank = {name: i for i, name in enumerate(MODULE_ORDER)}
    return sorted(found, key=lambda m: (rank.get(m, len(rank)), m))


def documented_modules() -> list[str]:
    """Every module on the API pages, page by page."""
    return [m for stage in STAGES for m in stage_modules(stage)]


def reexported_members(modname: str, documented: list[str]) -> list[str]:
    """Names of ``modname.__all__`` defined in another documented module: described
    there, not again here (``geoaccess.engine.network.Lattice``)."""
    module = importlib.import_module(modname)
    out = []
    for name in getattr(module, "__all__", ()):
        home = getattr(getattr(module, name, None), "__module__", None)
        if isinstance(home, str) and home != modname and home in documented:
            out.append(name)
    return out


class StagePage(SphinxDirective):
    """``.. geoaccess-stage:: engine``: the package's docstring, then one section per module."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        stage = self.arguments[0]
        documented = documented_modules()
        lines: list[str] = []
        if STAGES[stage]:
            lines += [f".. automodule:: {STAGES[stage]}", "   :no-members:", ""]
        for modname in stage_modules(stage):
            title = f"``{modname}``"
            lines += [title, "-" * len(title), "", f".. automodule:: {modname}"]
            skip = reexported_members(modname, documented)
            if skip:
                lines.append(f"   :exclude-members: {', '.join(skip)}")
            lines.append("")
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source=f"stage {stage}"), container)
        return container.children


def setup(app):
    app.add_directive("geoaccess-public-api", PublicApi)
    app.add_directive("geoaccess-stage", StagePage)
    app.connect("missing-reference", resolve_short_names)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
