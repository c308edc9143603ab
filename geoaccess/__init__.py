"""geoaccess: travel time to health care over real road networks, for district health planners.

The curated public API is re-exported here; modules hold the rest (``geoaccess.metrics``,
``geoaccess.fca``, ``geoaccess.targets``, ``geoaccess.priority``, ``geoaccess.report``,
``geoaccess.maps``). See ``docs/`` and the module docstrings.
"""

from __future__ import annotations

from . import datasets, exceptions, facilities, settings, speeds
from .boundaries import read_boundaries
from .exceptions import GeoAccessError, GeoAccessWarning
from .facilities import read_facilities
from .network import Network, build_network
from .pipeline import AccessResult, run_access, write_outputs
from .population import allocate_population, join_population, zonal_population
from .roads import read_roads, repair_roads, roads_from_osm
from .settings import options
from .travel import NearestFacility, cell_travel_time, nearest, travel_time, travel_time_matrix

__version__ = "0.1.0"

__all__ = [
    "AccessResult",
    "GeoAccessError",
    "GeoAccessWarning",
    "NearestFacility",
    "Network",
    "__version__",
    "allocate_population",
    "build_network",
    "cell_travel_time",
    "datasets",
    "exceptions",
    "facilities",
    "join_population",
    "nearest",
    "options",
    "read_boundaries",
    "read_facilities",
    "read_roads",
    "repair_roads",
    "roads_from_osm",
    "run_access",
    "settings",
    "speeds",
    "travel_time",
    "travel_time_matrix",
    "write_outputs",
    "zonal_population",
]
