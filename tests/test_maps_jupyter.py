"""Every public map function is Jupyter-native: it returns a folium.Map, takes ``m=`` (or the
map as its first argument) to add its layer to an existing map, and the map displays inline
(``_repr_html_``, the method IPython calls to show an object as HTML)."""

from __future__ import annotations

import inspect
import typing

import numpy as np
import pytest
from conftest import require_module
from test_flood_maps import _hazard
from test_maps import make_areas, make_facilities, make_kecamatan

folium = require_module("folium", "the maps are folium maps")

from geoaccess.outputs import maps  # noqa: E402

#: The functions that draw (the rest of maps.__all__ are constants, helpers and save_map).
DRAWING = [
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
]


def test_every_drawing_function_is_listed():
    drawing = {
        n for n in maps.__all__ if callable(getattr(maps, n)) and n.startswith(("add_", "map_", "access_"))
    }
    assert drawing == set(DRAWING)


@pytest.mark.parametrize("name", DRAWING)
def test_signature_takes_a_map_and_returns_one(name):
    fn = getattr(maps, name)
    sig = inspect.signature(fn)
    assert "m" in sig.parameters, f"{name} has no m= parameter"
    p = sig.parameters["m"]
    assert p.default is None or next(iter(sig.parameters)) == "m", f"{name}: m must be optional or first"
    hints = typing.get_type_hints(fn, globalns={**vars(inspect.getmodule(fn)), "folium": folium})
    assert hints["return"] is folium.Map, f"{name} should return folium.Map"


def _roads():
    import geopandas as gpd
    from shapely.geometry import LineString
    from test_maps import X0, Y0

    return gpd.GeoDataFrame(
        {"road_class": ["lokal"]}, geometry=[LineString([(X0, Y0 + 1000), (X0 + 6000, Y0 + 1000)])], crs=32748
    )


def _layers(m) -> list[str]:
    return [type(c).__name__ for c in m._children.values()]


@pytest.mark.filterwarnings("ignore:1 facilities without geometry")
def test_layers_stack_on_one_map_and_show_inline():
    from rasterio.transform import from_origin
    from test_maps import X0, Y0

    m = maps.map_travel_time(make_areas(), tiles=None)
    n = len(m._children)
    steps = [
        lambda: maps.add_boundaries(m, make_kecamatan()),
        lambda: maps.add_facilities(m, make_facilities()),
        lambda: maps.add_roads(m, _roads()),
        lambda: maps.add_travel_time_surface(
            m, np.array([[5.0, 50.0], [90.0, np.nan]]), from_origin(X0, Y0 + 2000, 1000, 1000), "EPSG:32748"
        ),
        lambda: maps.add_hazard_layer(m, _hazard()),
        lambda: maps.add_flood_facilities(m, make_facilities().iloc[:1].assign(hazard_class=["tinggi"])),
        lambda: maps.add_critical_links(
            m,
            _roads().assign(
                rank=[1], person_min_delay=[1200.0], people_cut_off=[0.0], people_pushed_beyond_60_min=[40.0]
            ),
        ),
        lambda: maps.map_travel_time(make_areas(), m=m),
        lambda: maps.access_map(make_areas(), make_facilities(), make_kecamatan(), m=m),
    ]
    for step in steps:
        assert step() is m  # the same map, returned so calls chain
        assert len(m._children) > n  # and something was added to it
        n = len(m._children)
    assert _layers(m).count("LayerControl") == 1  # access_map redraws the one layer control
    html = m._repr_html_()  # what Jupyter shows inline
    assert "<iframe" in html and "leaflet" in html.lower()


def test_access_map_refuses_a_non_map():
    from geoaccess.exceptions import InputValidationError

    with pytest.raises(InputValidationError, match=r"folium\.Map"):
        maps.access_map(make_areas(), m="not a map")
