"""Road layers (moving into a package: everything is in :mod:`geoaccess.roads.read` for now)."""

from .read import (
    CLASS_COLUMN_CANDIDATES,
    OSM_EXCLUDED_HIGHWAY,
    RoadRepair,
    read_roads,
    repair_roads,
    roads_from_osm,
)

__all__ = [
    "CLASS_COLUMN_CANDIDATES",
    "OSM_EXCLUDED_HIGHWAY",
    "RoadRepair",
    "read_roads",
    "repair_roads",
    "roads_from_osm",
]
