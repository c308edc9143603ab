"""The flood season as a planning scenario of a run.

:func:`flood_scenario` floods both networks of a :func:`geoaccess.run_access` result with
:func:`geoaccess.engine.flood.flood_network` (the engine's part: hazard -> slower or cut
roads and cells) and closes the facilities standing in high hazard; the result is a
:class:`geoaccess.Scenario`, compared with the dry season by
:func:`geoaccess.compare_scenario`. It lives in ``planning`` because it builds on the
scenario API; the engine knows nothing of scenarios.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np

from ..engine.flood import BOAT_FACTOR, CLOSE_CLASSES, flood_network, flooded_facilities, pregnolato_factor
from .scenario import Scenario

__all__ = ["flood_scenario"]


def flood_scenario(
    result: Any,
    hazard: gpd.GeoDataFrame,
    *,
    name: str = "flood season",
    road_factors: Mapping[str, float] | None = None,
    offroad_factors: Mapping[str, float] | None = None,
    by: str = "class",
    depth_factor: Callable[[np.ndarray], Any] = pregnolato_factor,
    close_facilities: bool = True,
    close_classes: Iterable[str] = CLOSE_CLASSES,
    boat_factor: float = BOAT_FACTOR,
) -> Any:
    """The flood season as a :class:`geoaccess.Scenario` of a :func:`geoaccess.run_access` result.

    Both networks of the run (household and referral) are flooded with the same hazard
    and factors, ``boat_factor`` included (:func:`flood_network`); facilities in ``close_classes`` are closed
    (``close_facilities``). ``geoaccess.compare_scenario(result, flood_scenario(result,
    hazard))`` then gives, per desa and kecamatan, the people pushed beyond 60 and 120
    minutes (``people_no_longer_within_<t>_min``) and the people cut off
    (``people_newly_unreachable``).

    Parameters
    ----------
    result : AccessResult
        The dry-season run, from :func:`geoaccess.run_access`.
    hazard : GeoDataFrame
        Hazard polygons (any CRS) with ``hazard_class`` and optionally ``depth_m``.
    name : str
        Name of the scenario.
    road_factors, offroad_factors : dict, optional
        Speed factor per class, as in :func:`flood_network`.
    by : {"class", "depth"}
        As in :func:`flood_network`.
    depth_factor : callable
        As in :func:`flood_network`.
    close_facilities : bool
        Close the facilities standing in ``close_classes``.
    close_classes : iterable of str
        Default :data:`CLOSE_CLASSES` (tinggi).

    Returns
    -------
    Scenario

    Examples
    --------
    A kabupaten built by hand (two kecamatan of 2 x 2 km, a puskesmas in the west, the
    hospital in the east); high hazard over most of the east kecamatan, hospital included:

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> from geoaccess.inputs.datasets import example_region
    >>> utm = "EPSG:32748"  # UTM 48S, metres
    >>> region = example_region()
    >>> result = ga.run_access(region, progress=False)
    >>> hazard = gpd.GeoDataFrame({"hazard_class": ["tinggi"]}, crs=utm,
    ...     geometry=[shapely.box(402_500, 9_590_000, 404_000, 9_592_000)])
    >>> flood = flood_scenario(result, hazard)
    >>> flood, flood.closed
    (<geoaccess.Scenario 'flood season': 0 added, 0 upgraded, 1 closed, own network>, ('H1',))
    >>> cmp = ga.compare_scenario(result, flood)
    >>> cmp.summary[["category", "people_newly_unreachable"]]
        category  people_newly_unreachable
    0  puskesmas                    2250.0
    1  inpatient                       0.0
    2   hospital                    4000.0
    3   referral                    4000.0

    The 2,250 people of the flooded three quarters of the east kecamatan are cut off; with
    the hospital closed nobody reaches one.
    """
    kw: dict[str, Any] = dict(
        road_factors=road_factors,
        offroad_factors=offroad_factors,
        by=by,
        depth_factor=depth_factor,
        boat_factor=boat_factor,
    )
    net = flood_network(result.network, hazard, **kw)
    ref = result.referral_network
    ref_net = None if ref is None or ref is result.network else flood_network(ref, hazard, **kw)
    sc = Scenario(name).with_network(net, ref_net)
    if close_facilities:
        sc = sc.close(*flooded_facilities(result.facilities, hazard, classes=close_classes))
    return sc
