"""Interactive travel-time maps (folium / Leaflet); see :mod:`geoaccess.outputs.maps.base`."""

from .base import (
    FACILITY_STYLES,
    GAP_COLOR,
    NO_DATA_COLOR,
    NO_DATA_LABEL,
    TIME_BAND_COLORS,
    TIME_BANDS_MIN,
    access_map,
    add_boundaries,
    add_facilities,
    add_roads,
    add_travel_time_surface,
    map_travel_time,
    save_map,
    time_band_colors,
    time_band_labels,
)

__all__ = [
    "FACILITY_STYLES",
    "GAP_COLOR",
    "NO_DATA_COLOR",
    "NO_DATA_LABEL",
    "TIME_BANDS_MIN",
    "TIME_BAND_COLORS",
    "access_map",
    "add_boundaries",
    "add_facilities",
    "add_roads",
    "add_travel_time_surface",
    "map_travel_time",
    "save_map",
    "time_band_colors",
    "time_band_labels",
]
