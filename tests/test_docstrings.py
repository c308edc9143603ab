"""Every public function on the API pages has a numpydoc docstring with a runnable example.

The public functions are those the API pages (``docs/api/``) document: the names in
each module's ``__all__`` (a module without ``__all__``: its public functions), and the
public methods of the public classes. Each must
have ``Parameters`` (when it takes any), ``Returns`` or ``Yields`` (unless it returns
``None``) and an ``Examples`` section with a doctest (``>>>``); the doctests themselves run
under ``--doctest-modules`` (``pyproject.toml``). Public classes other than exceptions need
an ``Examples`` section too.

``NOT_YET`` lists public objects still without such a docstring; it is empty. A listed
object that has one fails the test until it is removed from the list. Run this file
(``python tests/test_docstrings.py``) to print the objects that lack a section, in the
form of ``NOT_YET`` entries.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import warnings
from pathlib import Path

import pytest

DOCS_EXT = Path(__file__).resolve().parent.parent / "docs" / "_ext"

# Empty: every public object on the API pages has a complete docstring, and a new public
# function comes with one.
NOT_YET: set[str] = set()


def documented_modules() -> list[str]:
    """The modules on the API pages (``docs/_ext/geoaccess_api.py`` lists them)."""
    sys.path.insert(0, str(DOCS_EXT))
    try:
        import geoaccess_api
    finally:
        sys.path.remove(str(DOCS_EXT))
    return geoaccess_api.documented_modules()


def public_objects() -> dict[str, object]:
    """``module.name`` -> object, for every public function, class and method on the API pages."""
    found: dict[str, object] = {}
    seen: list[object] = []
    for modname in documented_modules():
        module = importlib.import_module(modname)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [
                n
                for n, o in vars(module).items()
                if not n.startswith("_") and inspect.isfunction(o) and o.__module__ == modname
            ]
        for name in names:
            obj = getattr(module, name)
            if obj in seen:  # re-exported by another documented module (engine.network.Lattice)
                continue
            if inspect.isfunction(obj) or (inspect.isclass(obj) and not issubclass(obj, BaseException)):
                found[f"{modname}.{name}"] = obj
                seen.append(obj)
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                for meth_name, meth in vars(obj).items():  # its public methods
                    if isinstance(meth, classmethod | staticmethod):
                        meth = meth.__func__
                    if not meth_name.startswith("_") and inspect.isfunction(meth):
                        found[f"{modname}.{name}.{meth_name}"] = meth
    return found


def missing_sections(obj: object) -> list[str]:
    """The numpydoc sections ``obj``'s docstring lacks (empty list: complete)."""
    from numpydoc.docscrape import ClassDoc, FunctionDoc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpydoc warns on unknown sections
        doc = ClassDoc(obj) if inspect.isclass(obj) else FunctionDoc(obj)
    missing = []
    if not any(">>>" in line for line in doc["Examples"]):
        missing.append("Examples")
    if inspect.isfunction(obj):
        sig = inspect.signature(obj)
        takes = [
            p
            for p in sig.parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in ("self", "cls")
        ]
        if takes and not doc["Parameters"]:
            missing.append("Parameters")
        if sig.return_annotation not in (None, "None") and not (doc["Returns"] or doc["Yields"]):
            missing.append("Returns")
    return missing


def test_the_api_pages_document_modules():
    assert len(public_objects()) > 100


@pytest.mark.parametrize("qualname", sorted(set(public_objects()) - NOT_YET))
def test_public_docstring_is_complete(qualname):
    missing = missing_sections(public_objects()[qualname])
    assert not missing, f"{qualname}: the docstring lacks {', '.join(missing)} (numpydoc sections)"


def test_not_yet_only_shrinks():
    objects = public_objects()
    gone = sorted(NOT_YET - set(objects))
    assert not gone, f"NOT_YET names objects that are not public any more: {gone}"
    done = sorted(q for q in NOT_YET if not missing_sections(objects[q]))
    assert not done, f"these docstrings are complete now: remove them from NOT_YET: {done}"


if __name__ == "__main__":  # python tests/test_docstrings.py: the entries NOT_YET would need
    for qualname, obj in sorted(public_objects().items()):
        if missing_sections(obj):
            print(f'    "{qualname}",  # lacks {", ".join(missing_sections(obj))}')
