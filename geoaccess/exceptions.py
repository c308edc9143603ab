"""Public exception and warning classes of geoaccess.

Every error geoaccess raises on purpose derives from :class:`GeoAccessError`, so
``except geoaccess.GeoAccessError`` catches them all. Errors about bad input also
derive from :class:`ValueError` (or :class:`FileNotFoundError` for missing data),
so code written against the built-in exceptions keeps working.
"""

from __future__ import annotations

__all__ = [
    "CRSError",
    "DataNotFoundError",
    "EmptyInputError",
    "GeoAccessError",
    "GeoAccessWarning",
    "InputValidationError",
    "InsufficientMemoryError",
    "MissingColumnError",
    "NetworkBuildError",
    "NonUniqueIDError",
    "OfflineError",
    "OutputError",
]


class GeoAccessError(Exception):
    """Base class of every error raised by geoaccess."""


class InputValidationError(GeoAccessError, ValueError):
    """An input failed validation; the message lists every problem found and how to fix it."""

    def __init__(self, problems: list[str] | str, *, argument: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        self.argument = argument
        head = f"invalid `{argument}`" if argument else "invalid input"
        if len(self.problems) == 1:
            msg = f"{head}: {self.problems[0]}"
        else:
            msg = f"{head}, {len(self.problems)} problems:\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(msg)


class MissingColumnError(InputValidationError):
    """A required column is absent from a table."""


class NonUniqueIDError(InputValidationError):
    """An id column that must be unique holds duplicates."""


class CRSError(InputValidationError):
    """A layer has no CRS, or the wrong kind of CRS for the operation."""


class EmptyInputError(InputValidationError):
    """A layer or table that must hold rows is empty."""


class DataNotFoundError(GeoAccessError, FileNotFoundError):
    """A data file or data directory is missing; the message says where it was looked for."""


class NetworkBuildError(GeoAccessError, ValueError):
    """A road network or travel graph could not be built from the input."""


class OfflineError(GeoAccessError, ConnectionError):
    """An online download was needed but the machine is offline; the message gives the offline path."""


class InsufficientMemoryError(GeoAccessError, MemoryError):
    """The job would need more memory than the machine has; the message gives the estimate,
    the memory available, a resolution that fits and the override."""


class OutputError(GeoAccessError, OSError):
    """An output file or folder cannot be written; the message names the path, says which
    files of the set are new or stale, and how to fix it."""


class GeoAccessWarning(UserWarning):
    """Warnings raised by geoaccess (rows repaired, relocated, flagged or left out)."""
