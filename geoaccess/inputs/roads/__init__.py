"""Road layers: read any road source into the standard line layer, download OSM, repair topology.

Three public functions:

* :func:`read_roads` turns a GeoDataFrame, a vector file (GeoJSON, GeoPackage,
  shapefile), an OpenStreetMap file (``.osm``, ``.osm.bz2``, ``.osm.xml``,
  ``.osm.pbf``) or an osmnx graph into the *standard road layer* (see
  :mod:`geoaccess.inputs.roads.standardize`);
* :func:`roads_from_osm` downloads the roads inside a polygon from OpenStreetMap
  (online, through osmnx) and returns the same standard layer;
* :func:`repair_roads` nodes lines at crossings and snaps near-miss line ends, so a
  layer digitised without topology (like BIG RBI 1:50,000 roads) becomes routable,
  and returns a :class:`RoadRepair` report next to the repaired lines.

Modules
-------
================  =======================================================================
module            holds
================  =======================================================================
``read``          :func:`read_roads`: dispatch on the source, vector files (pyogrio)
``osm``           the OpenStreetMap readers (``.osm`` XML via osmnx, ``.osm.pbf`` via
                  pyosmium, osmnx graphs) and :func:`roads_from_osm`
``standardize``   the standard road layer: class detection, speeds, one-way codes, toll
                  and access-control flags
``repair``        :func:`repair_roads`, :class:`RoadRepair`, noding and snapping
================  =======================================================================

Examples
--------
The South Sumatra national road layer of the shared data (no class column: every
section is a national road):

>>> import geoaccess.inputs.roads as roads
>>> from geoaccess.settings import resolve_data_dir
>>> shp = resolve_data_dir() / "roads" / "sumsel_national" / "jalanSumsel.shp"
>>> national = roads.read_roads(shp, default_class="arteri")
>>> fixed, report = roads.repair_roads(national)
>>> report.n_components_before, report.n_components_after
(11, 1)
"""

from .osm import OSM_ACCESS_TAGS, OSM_EXCLUDED_HIGHWAY, roads_from_osm
from .read import read_roads
from .repair import RoadRepair, repair_roads
from .standardize import CLASS_COLUMN_CANDIDATES, NAME_COLUMN_CANDIDATES

__all__ = [
    "CLASS_COLUMN_CANDIDATES",
    "NAME_COLUMN_CANDIDATES",
    "OSM_ACCESS_TAGS",
    "OSM_EXCLUDED_HIGHWAY",
    "RoadRepair",
    "read_roads",
    "repair_roads",
    "roads_from_osm",
]
