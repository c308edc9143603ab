"""Travel speeds per road class and mode, with their sources.

Every speed geoaccess uses comes from this module (or from a ``speed_kph`` column /
``speeds_kph=`` argument of :func:`geoaccess.build_network`), so every travel time can be traced back.

Road classes
------------
geoaccess maps every road layer onto the functional classes of Indonesian road law
(UU 38/2004 and PP 34/2006 *tentang Jalan*) plus footpaths:

========== ============================== ================================ =================
class      Indonesian (RBI 1:50k REMARK)  OpenStreetMap ``highway``        national layer
========== ============================== ================================ =================
arteri     Jalan Arteri                   motorway, trunk, primary (+link) every section
kolektor   Jalan Kolektor                 secondary (+link)
lokal      Jalan Lokal                    tertiary (+link), unclassified
lingkungan Jalan Lain                     residential, living_street,
                                          service, track, road
setapak    Jalan Setapak                  path, footway, bridleway, steps,
                                          pedestrian, cycleway
========== ============================== ================================ =================

Speeds (km/h)
-------------
``car`` on arteri/kolektor/lokal/lingkungan uses the *minimum design speeds* of
PP 34/2006 Pasal 13-16 for primary roads (arteri primer >= 60, kolektor primer >= 40,
lokal primer >= 20, lingkungan primer >= 15 km/h). Minimum design speeds are a
conservative stand-in for real rural speeds on narrow, often damaged roads; the
national roads in Muara Enim carry trucks and are rarely driven faster.

``motorbike``: same as car on arteri/kolektor (traffic bound), faster than a car on
small roads that a motorbike handles better (lokal 25, lingkungan 20) and able to use
footpaths at 10 km/h. These are planning assumptions, not measurements; calibrate
them with local knowledge (pass ``speeds_kph=`` to :func:`geoaccess.build_network`).

``walk``: 4 km/h everywhere on roads, 3 km/h off-road. 5 km/h is the usual walking
speed on flat paved ground (Tobler's hiking function gives 5.0 km/h at zero slope);
we take 4 km/h on rural roads and 3 km/h off-road (plantation, scrub, paddy bunds)
as planning assumptions.

Toll and access-controlled roads
--------------------------------
A road layer marks ``toll`` roads (jalan tol) and ``access_controlled`` roads (every
jalan tol, OSM ``motorway``/``motorway_link``, ``motorroad=yes``, ``access=no``; see
:func:`geoaccess.inputs.roads.read_roads`). :func:`geoaccess.build_network` enters and leaves
access-controlled roads only at junctions with ordinary roads, and closes them per mode
as :data:`TOLL_ROAD_OPEN` and :data:`ACCESS_CONTROLLED_OPEN` say:

* toll roads are for motor vehicles with four or more wheels: PP 15/2005 *tentang Jalan
  Tol* Pasal 38 ayat (1). PP 44/2009 amended Pasal 38: ayat (1) keeps "roda empat atau
  lebih", and a new ayat (1a) allows a separate toll lane for two-wheelers, physically
  divided from the four-wheel lanes (in use on the Suramadu bridge and the Bali Mandara
  toll road). So motorbikes are off toll roads by default; pass
  ``build_network(..., motorbike_on_toll=True)`` where a motorbike lane exists. Walking
  is never allowed on a toll road.
* other access-controlled roads are open to cars and motorbikes and closed to walking:
  OSM ``motorway`` and ``motorroad=yes`` exclude pedestrians by definition. ``access=no``
  is read the same way (entered only at junctions, no pedestrians); OSM's strict meaning
  (no public access at all) would close it to every mode: where that is the local
  reality, drop those lines before building.

The legal text was checked against secondary copies of PP 15/2005 and PP 44/2009, not the
Lembaran Negara; later changes to the toll-road regulation were not checked.

Off-road speeds (``OFFROAD_SPEED_KPH``) are used on the lattice between mapped
roads: ``walk`` 3 km/h; ``motorbike`` 10 km/h (unmapped village and plantation
tracks are ridden, slowly); ``car`` 3 km/h (the patient walks to where a car can
reach them). All are assumptions to calibrate; each result table records the
speeds used.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._validate import check_choice
from ..exceptions import InputValidationError

__all__ = [
    "ACCESS_CONTROLLED_OPEN",
    "KPH_TO_M_PER_MIN",
    "MODES",
    "OFFROAD_SPEED_KPH",
    "ROAD_CLASSES",
    "ROAD_SPEED_KPH",
    "TOLL_ROAD_OPEN",
    "access_rules",
    "normalize_road_class",
    "road_speeds",
]

MODES: tuple[str, ...] = ("motorbike", "car", "walk")
ROAD_CLASSES: tuple[str, ...] = ("arteri", "kolektor", "lokal", "lingkungan", "setapak")

#: Speed per mode and road class in km/h; 0 means the mode cannot use that class.
ROAD_SPEED_KPH: dict[str, dict[str, float]] = {
    "car": {"arteri": 60.0, "kolektor": 40.0, "lokal": 20.0, "lingkungan": 15.0, "setapak": 0.0},
    "motorbike": {"arteri": 60.0, "kolektor": 40.0, "lokal": 25.0, "lingkungan": 20.0, "setapak": 10.0},
    "walk": {"arteri": 4.0, "kolektor": 4.0, "lokal": 4.0, "lingkungan": 4.0, "setapak": 4.0},
}

#: km/h to metres per minute.
KPH_TO_M_PER_MIN = 1000.0 / 60.0

#: Off-road (lattice) speed per mode in km/h.
OFFROAD_SPEED_KPH: dict[str, float] = {"car": 3.0, "motorbike": 10.0, "walk": 3.0}

#: May the mode use a toll road (jalan tol)? PP 15/2005 Pasal 38 ayat (1), as amended by
#: PP 44/2009: toll roads are for motor vehicles with four or more wheels; two-wheelers
#: only on a separate, physically divided lane (ayat 1a), so motorbikes are off by default
#: (``build_network(..., motorbike_on_toll=True)`` opens them). Never on foot.
TOLL_ROAD_OPEN: dict[str, bool] = {"car": True, "motorbike": False, "walk": False}
#: May the mode use an access-controlled road that is not a toll road (OSM ``motorway``,
#: ``motorroad=yes``, ``access=no``)? Not on foot (see the module docstring for ``access=no``).
ACCESS_CONTROLLED_OPEN: dict[str, bool] = {"car": True, "motorbike": True, "walk": False}

_ALIASES: dict[str, str] = {
    # OpenStreetMap highway=*
    "motorway": "arteri",
    "motorway_link": "arteri",
    "trunk": "arteri",
    "trunk_link": "arteri",
    "primary": "arteri",
    "primary_link": "arteri",
    "secondary": "kolektor",
    "secondary_link": "kolektor",
    "tertiary": "lokal",
    "tertiary_link": "lokal",
    "unclassified": "lokal",
    "residential": "lingkungan",
    "living_street": "lingkungan",
    "service": "lingkungan",
    "track": "lingkungan",
    "road": "lingkungan",
    "busway": "lingkungan",
    "path": "setapak",
    "footway": "setapak",
    "bridleway": "setapak",
    "steps": "setapak",
    "pedestrian": "setapak",
    "cycleway": "setapak",
    # BIG RBI 1:50,000 REMARK values
    "jalan arteri": "arteri",
    "jalan kolektor": "kolektor",
    "jalan lokal": "lokal",
    "jalan lain": "lingkungan",
    "jalan setapak": "setapak",
    "jalan lingkungan": "lingkungan",
    "jalan tol": "arteri",
    "jalan bebas hambatan": "arteri",
    # national / provincial road layers
    "nasional": "arteri",
    "national": "arteri",
    "jalan nasional": "arteri",
    "provinsi": "kolektor",
    "jalan provinsi": "kolektor",
    "kabupaten": "lokal",
    "jalan kabupaten": "lokal",
    "desa": "lingkungan",
    "jalan desa": "lingkungan",
}
_ALIASES.update({c: c for c in ROAD_CLASSES})


def normalize_road_class(
    values: pd.Series | list | str, *, mapping: Mapping[str, str] | None = None
) -> pd.Series:
    """Map road-class labels (OSM ``highway``, RBI ``REMARK``, national) to geoaccess classes.

    Parameters
    ----------
    values : Series, list or str
        Raw labels. Case and surrounding space are ignored. OSM list values
        (``['primary', 'secondary']``, as osmnx gives for merged edges) take the first item.
    mapping : dict, optional
        Extra ``label -> class`` entries that take precedence over the built-in aliases.

    Returns
    -------
    Series of str
        geoaccess classes; labels that match nothing become ``NaN`` (the caller decides
        whether to fail or to fall back, and reports it).

    Examples
    --------
    >>> normalize_road_class(["Jalan Lokal", "primary", "track"]).tolist()
    ['lokal', 'arteri', 'lingkungan']
    """
    s = pd.Series([values]) if isinstance(values, str) else pd.Series(values)
    table = dict(_ALIASES)
    if mapping:
        bad = {k: v for k, v in mapping.items() if v not in ROAD_CLASSES}
        if bad:
            raise InputValidationError(
                f"classes must be one of {list(ROAD_CLASSES)}, got {bad}", argument="mapping"
            )
        table.update({str(k).strip().lower(): v for k, v in mapping.items()})

    def one(v: object) -> object:
        if isinstance(v, list | tuple):
            v = v[0] if v else None
        if v is None or (isinstance(v, float) and v != v):
            return None
        return table.get(str(v).strip().lower())

    return pd.Series([one(v) for v in s], index=s.index, dtype="object")


def access_rules(mode: str, *, motorbike_on_toll: bool = False) -> tuple[bool, bool]:
    """Whether ``mode`` may use (toll roads, other access-controlled roads).

    Parameters
    ----------
    mode : {"motorbike", "car", "walk"}
    motorbike_on_toll : bool, default False
        Open toll roads to motorbikes, for toll roads with a separate two-wheeler lane
        (PP 44/2009, Pasal 38 ayat 1a). Walking stays closed.

    Examples
    --------
    >>> access_rules("motorbike"), access_rules("motorbike", motorbike_on_toll=True)
    ((False, True), (True, True))
    >>> access_rules("walk", motorbike_on_toll=True)
    (False, False)
    """
    check_choice(mode, MODES, "mode")
    if not isinstance(motorbike_on_toll, bool | np.bool_):
        raise InputValidationError(
            f"must be True or False, got {motorbike_on_toll!r}", argument="motorbike_on_toll"
        )
    toll = TOLL_ROAD_OPEN[mode] or (mode == "motorbike" and bool(motorbike_on_toll))
    return toll, ACCESS_CONTROLLED_OPEN[mode]


def road_speeds(mode: str = "motorbike", speeds: Mapping[str, float] | None = None) -> dict[str, float]:
    """Return the class -> km/h table for ``mode``, with ``speeds`` overriding entries.

    Examples
    --------
    >>> road_speeds("car")["arteri"]
    60.0
    >>> road_speeds("car", {"lokal": 30})["lokal"]
    30.0
    """
    check_choice(mode, MODES, "mode")
    table = dict(ROAD_SPEED_KPH[mode])
    if speeds:
        unknown = set(speeds) - set(ROAD_CLASSES)
        if unknown:
            raise InputValidationError(
                f"unknown road classes {sorted(unknown)}; classes are {list(ROAD_CLASSES)}",
                argument="speeds",
            )
        for k, v in speeds.items():
            if not v >= 0:
                raise InputValidationError(f"speed for {k!r} must be >= 0 km/h, got {v}", argument="speeds")
            table[k] = float(v)
    return table
