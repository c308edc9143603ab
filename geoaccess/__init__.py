"""geoaccess: travel time to health care over real road networks, for district health planners.

The public API is re-exported here; see ``docs/`` and the module docstrings for details.
"""

from __future__ import annotations

from . import exceptions, settings, speeds
from .exceptions import GeoAccessError, GeoAccessWarning
from .network import Network, build_network
from .settings import options
from .travel import cell_travel_time, travel_time, travel_time_matrix

__version__ = "0.1.0"

__all__ = [
    "GeoAccessError",
    "GeoAccessWarning",
    "Network",
    "__version__",
    "build_network",
    "cell_travel_time",
    "exceptions",
    "options",
    "settings",
    "speeds",
    "travel_time",
    "travel_time_matrix",
]
