"""Interactive travel-time maps (folium / Leaflet) for Jupyter and budget proposals.

Every function returns the :class:`folium.Map` it drew on and accepts ``m=`` (or takes
the map as its first argument), so layers stack::

    m = map_travel_time(desa)                    # desa coloured by travel-time band
    m = add_boundaries(m, kecamatan)             # kecamatan outlines with summaries
    m = add_facilities(m, facilities)            # puskesmas, pustu, posyandu, klinik, RS
    save_map(m, "akses_muara_enim.html")         # one self-contained HTML file

or in one call: ``access_map(desa, facilities, kecamatan, title="...")``.

folium is imported only when a map is drawn; without it these functions raise an
``ImportError`` that says ``pip install folium``.

Modules
-------
==============  =========================================================================
module          holds
==============  =========================================================================
``base``        the travel-time bands and their colours (:data:`TIME_BANDS_MIN`,
                :func:`time_band_colors`, the no-data grey), the map itself, legend
                boxes and the helpers every layer uses
``areas``       :func:`map_travel_time` (desa or cells by band, with a legend) and
                :func:`add_boundaries` (outlines, data-gap marking)
``facilities``  :func:`add_facilities` and :data:`FACILITY_STYLES`
``roads``       :func:`add_roads`
``labels``      :func:`add_place_labels` (kecamatan and desa names from the data: the
                offline basemap, with the roads and outlines)
``surface``     :func:`add_travel_time_surface` (a grid of minutes as an image)
``overview``    :func:`access_map`: all layers on one map, with a title
``flood``       :func:`add_hazard_layer` (hazard areas by class),
                :func:`add_flood_facilities` (facilities by the hazard at their site) and
                :func:`add_critical_links` (roads whose cut pushes people out of reach)
``planning``    :func:`add_scenario_layer` (change in minutes per desa, new / upgraded /
                closed sites) and :func:`add_proposal_layer` (proposed sites in order)
``save``        :func:`save_map`: one HTML file that opens offline (Leaflet inlined)
==============  =========================================================================

The band cut points and colours are explained in :mod:`geoaccess.outputs.maps.base`,
offline use in :mod:`geoaccess.outputs.maps.save`.

Implementation note: the layers are drawn with :class:`folium.GeoJson`, as
:meth:`geopandas.GeoDataFrame.explore` does internally, rather than through
``explore`` itself: ``explore`` requires ``mapclassify`` and ``matplotlib`` and its
legend loads jQuery UI from a CDN, which would break offline files.
"""

from .areas import GAP_COLOR, add_boundaries, map_travel_time
from .base import (
    NO_DATA_COLOR,
    NO_DATA_LABEL,
    TIME_BAND_COLORS,
    TIME_BANDS_MIN,
    time_band_colors,
    time_band_labels,
)
from .facilities import FACILITY_STYLES, add_facilities
from .flood import HAZARD_COLORS, LINK_COLORS, add_critical_links, add_flood_facilities, add_hazard_layer
from .labels import add_place_labels
from .overview import access_map
from .planning import add_proposal_layer, add_scenario_layer
from .roads import add_roads
from .save import save_map
from .surface import add_travel_time_surface

__all__ = [
    "FACILITY_STYLES",
    "GAP_COLOR",
    "HAZARD_COLORS",
    "LINK_COLORS",
    "NO_DATA_COLOR",
    "NO_DATA_LABEL",
    "TIME_BANDS_MIN",
    "TIME_BAND_COLORS",
    "access_map",
    "add_boundaries",
    "add_critical_links",
    "add_facilities",
    "add_flood_facilities",
    "add_hazard_layer",
    "add_place_labels",
    "add_proposal_layer",
    "add_roads",
    "add_scenario_layer",
    "add_travel_time_surface",
    "map_travel_time",
    "save_map",
    "time_band_colors",
    "time_band_labels",
]
