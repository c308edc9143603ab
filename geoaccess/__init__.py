"""geoaccess: travel time to health care over real road networks, for district health planners.

The package follows the flow of the data:

- :mod:`geoaccess.inputs`: boundaries, facilities, population, roads, bundled datasets;
- :mod:`geoaccess.engine`: speeds, the hybrid road + lattice graph, the searches;
- :mod:`geoaccess.analysis`: coverage, equity, 2SFCA, program targets;
- :mod:`geoaccess.planning`: priority tables;
- :mod:`geoaccess.outputs`: maps, tables and figures;
- :mod:`geoaccess.pipeline`: the end-to-end job built from the parts above (its flood steps
  in :mod:`geoaccess.flood_season`).

The curated public API is re-exported here, and the modules users reach for are
attributes of the package (``geoaccess.inputs.facilities``, ``geoaccess.analysis.metrics``,
``geoaccess.outputs.maps``, ...). See ``docs/`` and the module docstrings.
"""

from __future__ import annotations

from . import exceptions, settings
from .analysis import fca, metrics, targets
from .analysis.flood import (
    add_flood_exposure,
    flood_exposure,
    hazard_from_desa,
    hazard_from_polygons,
    hazard_from_raster,
)
from .batch import BatchResult, run_many
from .engine import speeds
from .engine.flood import flood_network, flooded_facilities
from .engine.links import critical_links, road_links
from .engine.network import Network, build_network
from .engine.travel import NearestFacility, cell_travel_time, nearest, travel_time, travel_time_matrix
from .exceptions import (
    CRSError,
    DataNotFoundError,
    EmptyInputError,
    GeoAccessError,
    GeoAccessWarning,
    InputValidationError,
    InsufficientMemoryError,
    MissingColumnError,
    NetworkBuildError,
    NonUniqueIDError,
    OfflineError,
    OutputError,
)
from .flood_season import with_critical_links, with_flood_exposure, with_flood_season
from .inputs import datasets, facilities, roads
from .inputs.boundaries import read_boundaries
from .inputs.facilities import read_facilities
from .inputs.population import allocate_population, join_population, zonal_population
from .inputs.roads import read_roads, repair_roads, roads_from_osm
from .inputs.waterways import read_waterways
from .pipeline import AccessResult, run_access, write_outputs
from .planning import priority
from .planning.candidates import score_candidates
from .planning.eligibility import inpatient_eligibility
from .planning.flood import flood_scenario
from .planning.scenario import Scenario, compare_scenario
from .planning.siting import site_facilities, site_for_targets
from .settings import options

__version__ = "0.1.0"

__all__ = [
    "AccessResult",
    "BatchResult",
    "CRSError",
    "DataNotFoundError",
    "EmptyInputError",
    "GeoAccessError",
    "GeoAccessWarning",
    "InputValidationError",
    "InsufficientMemoryError",
    "MissingColumnError",
    "NearestFacility",
    "Network",
    "NetworkBuildError",
    "NonUniqueIDError",
    "OfflineError",
    "OutputError",
    "Scenario",
    "__version__",
    "add_flood_exposure",
    "allocate_population",
    "build_network",
    "cell_travel_time",
    "compare_scenario",
    "critical_links",
    "datasets",
    "exceptions",
    "facilities",
    "fca",
    "flood_exposure",
    "flood_network",
    "flood_scenario",
    "flooded_facilities",
    "hazard_from_desa",
    "hazard_from_polygons",
    "hazard_from_raster",
    "inpatient_eligibility",
    "join_population",
    "metrics",
    "nearest",
    "options",
    "print_map",
    "priority",
    "read_boundaries",
    "read_facilities",
    "read_roads",
    "read_waterways",
    "repair_roads",
    "road_links",
    "roads",
    "roads_from_osm",
    "run_access",
    "run_many",
    "score_candidates",
    "settings",
    "site_facilities",
    "site_for_targets",
    "speeds",
    "targets",
    "travel_time",
    "travel_time_matrix",
    "with_critical_links",
    "with_flood_exposure",
    "with_flood_season",
    "write_outputs",
    "zonal_population",
]


def __getattr__(name: str) -> object:
    """Load the output modules (matplotlib, folium) only when first used."""
    if name in ("maps", "report"):
        import importlib

        return importlib.import_module(f".outputs.{name}", __name__)
    if name == "print_map":  # matplotlib, loaded on first use
        from .outputs.print_map import print_map

        return print_map
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
