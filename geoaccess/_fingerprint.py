"""What a cached network or result depends on besides its inputs: the code and the defaults.

The package version stays the same between commits, so the caches of
:mod:`geoaccess.batch` and :mod:`geoaccess.engine.network_cache` are keyed on
:func:`cache_stamp` instead: the version, a SHA-256 over the source of every ``.py`` file of
the package (read once per process) and the default speed tables as they are when the key is
made (so a default changed at run time also gives a new key).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

_CODE_SHA256: str | None = None


def code_fingerprint() -> str:
    """SHA-256 (hex) over the path and bytes of every ``.py`` file of the package, once per process.

    Returns
    -------
    str
        64 hex digits; any change to the package's source gives another value.

    Examples
    --------
    >>> len(code_fingerprint()), code_fingerprint() == code_fingerprint()
    (64, True)
    """
    global _CODE_SHA256
    if _CODE_SHA256 is None:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
        _CODE_SHA256 = h.hexdigest()
    return _CODE_SHA256


def defaults_fingerprint() -> str:
    """SHA-256 (hex) of the default speed tables of :mod:`geoaccess.engine.speeds` as they are now.

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> from geoaccess.engine import speeds
    >>> before = defaults_fingerprint()
    >>> speeds.OFFROAD_SPEED_KPH["motorbike"] = 5.0
    >>> defaults_fingerprint() == before
    False
    >>> speeds.OFFROAD_SPEED_KPH["motorbike"] = 10.0
    >>> defaults_fingerprint() == before
    True
    """
    from .engine import speeds as s

    tables = {
        name: getattr(s, name)
        for name in (
            "ROAD_SPEED_KPH", "OFFROAD_SPEED_KPH", "MAX_ROAD_SPEED_KPH", "MAX_OFFROAD_SPEED_KPH",
            "BOAT_SPEED_KPH", "MAX_BOAT_SPEED_KPH", "LANDING_WAIT_MIN", "TOLL_ROAD_OPEN",
            "ACCESS_CONTROLLED_OPEN",
        )
    }  # fmt: skip
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def cache_stamp() -> str:
    """The package version plus the code and default-speed fingerprints, for cache keys.

    Returns
    -------
    str
        ``"<version>+code.<16 hex>+defaults.<16 hex>"``.

    Examples
    --------
    >>> cache_stamp().split("+")[1] == "code." + code_fingerprint()[:16]
    True
    """
    from . import __version__

    return f"{__version__}+code.{code_fingerprint()[:16]}+defaults.{defaults_fingerprint()[:16]}"
