"""Package-wide options, validated and shown in Jupyter.

Options
-------
data_dir : str or None
    Directory holding the shared data (``boundaries/``, ``facilities/``, ``population/``,
    ``roads/``, ``indonesia/``). ``None`` (default) means: the ``GEOACCESS_DATA_DIR``
    environment variable, else ``../shared/data`` beside the checkout (see
    :func:`geoaccess.settings.resolve_data_dir`).
cache_dir : str
    Where downloads (OpenStreetMap responses through osmnx) are cached.
    Default ``~/.cache/geoaccess`` or ``$XDG_CACHE_HOME/geoaccess``.
progress : bool
    Show tqdm progress bars on long steps (default ``True``).

Examples
--------
>>> import geoaccess
>>> geoaccess.options.progress = False
>>> geoaccess.options.progress
False
>>> geoaccess.options.progress = True
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from .exceptions import DataNotFoundError, InputValidationError

__all__ = ["options", "resolve_data_dir"]


@dataclass(frozen=True)
class _Option:
    name: str
    default: Any
    doc: str
    validator: Callable[[Any], None]


def _is_path_or_none(v: Any) -> None:
    if v is not None and not isinstance(v, str | os.PathLike):
        raise InputValidationError(f"must be a path or None, got {type(v).__name__}", argument="data_dir")


def _is_path(v: Any) -> None:
    if not isinstance(v, str | os.PathLike):
        raise InputValidationError(f"must be a path, got {type(v).__name__}", argument="cache_dir")


def _is_bool(v: Any) -> None:
    if not isinstance(v, bool):
        raise InputValidationError(f"must be True or False, got {v!r}", argument="progress")


def _default_cache() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "geoaccess")


class Options:
    """Validated package options; ``repr`` lists each with its doc."""

    _defs: ClassVar[dict[str, _Option]] = {
        o.name: o
        for o in [
            _Option(
                "data_dir",
                None,
                "shared data directory (None: $GEOACCESS_DATA_DIR, else ../shared/data)",
                _is_path_or_none,
            ),
            _Option("cache_dir", _default_cache(), "cache for downloads (OpenStreetMap via osmnx)", _is_path),
            _Option("progress", True, "show tqdm progress bars on long steps", _is_bool),
        ]
    }

    def __init__(self) -> None:
        object.__setattr__(self, "_values", {k: o.default for k, o in self._defs.items()})

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"no option {key!r}; options are {list(self._defs)}") from None

    def __setattr__(self, key: str, value: Any) -> None:
        if key not in self._defs:
            raise AttributeError(f"no option {key!r}; options are {list(self._defs)}")
        self._defs[key].validator(value)
        self._values[key] = value

    def __delattr__(self, key: str) -> None:
        """``del options.x`` resets ``x`` to its default (pytest's monkeypatch relies on it)."""
        if key not in self._defs:
            raise AttributeError(f"no option {key!r}; options are {list(self._defs)}")
        self._values[key] = self._defs[key].default

    def __dir__(self) -> list[str]:
        return list(self._defs)

    def __repr__(self) -> str:
        lines = ["geoaccess options:"]
        for k, o in self._defs.items():
            lines.append(f"  {k} = {self._values[k]!r}\n      {o.doc}")
        return "\n".join(lines)


#: The package options: ``data_dir``, ``cache_dir`` and ``progress`` (see the module docstring).
options = Options()

_REPO_ROOT = Path(__file__).resolve().parent.parent


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the shared data directory, checking it exists.

    Order: the ``data_dir`` argument, ``options.data_dir``, the ``GEOACCESS_DATA_DIR``
    environment variable, ``../shared/data`` beside the checkout, ``../shared/data``
    beside the current directory.

    Parameters
    ----------
    data_dir : path, optional
        A folder to use; when given it must exist (no fallback).

    Returns
    -------
    Path
        The folder, resolved.

    Raises
    ------
    DataNotFoundError
        If no candidate exists; the message lists every place looked at.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     print(resolve_data_dir(folder) == Path(folder).resolve())
    True
    >>> resolve_data_dir("/no/such/folder")
    Traceback (most recent call last):
    ...
    geoaccess.exceptions.DataNotFoundError: no geoaccess data directory found. Looked at:
      argument data_dir: /no/such/folder (not a directory)
    Pass data_dir=..., set GEOACCESS_DATA_DIR, or see data/README.md for how to get the data.
    """
    tried: list[str] = []
    for cand, why in [
        (data_dir, "argument data_dir"),
        (options.data_dir, "geoaccess.options.data_dir"),
        (os.environ.get("GEOACCESS_DATA_DIR"), "environment variable GEOACCESS_DATA_DIR"),
        (_REPO_ROOT.parent / "shared" / "data", "../shared/data beside the checkout"),
        (Path.cwd().parent / "shared" / "data", "../shared/data beside the current directory"),
    ]:
        if cand is None or cand == "":
            continue
        p = Path(cand).expanduser()
        if p.is_dir():
            return p.resolve()
        tried.append(f"{why}: {p} (not a directory)")
        if why.startswith("argument"):
            break  # an explicit argument that does not exist is an error, not a fallback
    raise DataNotFoundError(
        "no geoaccess data directory found. Looked at:\n  "
        + ("\n  ".join(tried) if tried else "(nothing configured)")
        + "\nPass data_dir=..., set GEOACCESS_DATA_DIR, or see data/README.md for how to get the data."
    )
