"""File helpers shared across stages: a file's SHA-256 and the one atomic write.

:func:`atomic_path` writes a file under a temporary name in its folder and renames it into
place (the outputs, the config copy, the manifest; re-exported by
:mod:`geoaccess.outputs.report`); :func:`atomic_write` is the same with a callback that
writes bytes, flushed to disk (the network and result caches).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .exceptions import OutputError

__all__ = ["atomic_path", "atomic_write", "file_sha256"]


def file_sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def atomic_path(path: str | os.PathLike, *, keep_existing: bool = False) -> Iterator[Path]:
    """Write a file under a temporary name in its folder, then rename it onto ``path``.

    Yields the temporary path (same folder, same extension, so writers that pick the
    format by extension still work). When the block ends without error the file is
    moved onto ``path`` with :func:`os.replace` (atomic on one file system: readers see
    the old file or the new one, never half of one); on error the temporary file is
    removed and ``path`` is untouched. ``keep_existing=True`` starts from a copy of the
    existing file (for formats that add to a file, such as a GeoPackage layer).

    Parameters
    ----------
    path : path
        The file to write.
    keep_existing : bool
        Start from a copy of the existing file.

    Yields
    ------
    Path
        The temporary file to write to.

    Raises
    ------
    OutputError
        When the file cannot be put in place (e.g. it is open in Excel on Windows).

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = os.path.join(folder, "tabel.csv")
    ...     with atomic_path(target) as tmp:
    ...         _ = tmp.write_text("desa,penduduk")
    ...     print(sorted(os.listdir(folder)))
    ['tabel.csv']
    """
    p = Path(path)
    tmp = p.with_name(f".{p.name}.{uuid.uuid4().hex[:8]}.tmp{p.suffix}")
    try:
        if keep_existing and p.is_file():
            shutil.copy2(p, tmp)
        yield tmp
        try:
            os.replace(tmp, p)
        except OSError as e:
            raise OutputError(
                f"cannot replace {str(p)!r} ({e.strerror or e}); is it open in another program "
                "(Excel, QGIS) or read-only? Close it, or write to another folder"
            ) from e
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write(path: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Write ``path`` through ``write(file)``, flushed to disk, with :func:`atomic_path`:
    under a temporary name in its folder, then :func:`os.replace` into place; on error
    nothing is left behind."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
