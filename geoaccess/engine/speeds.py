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

Bounds on speeds (``MAX_ROAD_SPEED_KPH``, ``MAX_OFFROAD_SPEED_KPH``)
--------------------------------------------------------------------
A speed of ``inf``, ``1e6`` or 450 km/h (a typo for 45) gives trips of almost no time
and no error, so every speed geoaccess is given (``speeds_kph=``,
``offroad_speed_kph=``, a road layer's ``speed_kph`` column, an off-road speed raster,
``landcover_speeds_kph=``) is checked against a bound per mode, and refused above it
with the value, the rows and the fix (:func:`check_speed`):

========= ======== ======== ==========================================================
mode      road     off-road reason
========= ======== ======== ==========================================================
car       120      30       road: the highest legal limit in Indonesia is 100 km/h, on
                            *jalan bebas hambatan* (toll motorways; PP 79/2013 Pasal 23
                            ayat 4 huruf a, repeated in PM 111/2015); +20% for sections
                            signed or driven faster.
motorbike 100      30       road: motorbikes are off toll roads (see below), so their
                            highest limit is the 80 km/h of *jalan antarkota* (same
                            ayat, huruf b); +20%, rounded.
walk      7        6        road: people break into a run at about 2 m/s = 7.2 km/h
                            (the walk-run transition speed); off-road: the 6 km/h
                            maximum of Tobler's hiking function.
========= ======== ======== ==========================================================

Off-road 30 km/h for vehicles is the limit in settlement areas (*kawasan permukiman*,
PP 79/2013 Pasal 23 ayat 4 huruf d): crossing unmapped land faster than that means a
real road is missing from the layer; map it rather than raise the off-road speed.
The regulations were read in secondary copies, not the Lembaran Negara. Where a higher
speed is real (a race track, a calibrated GPS survey), pass ``max_speed_kph=`` to
:func:`geoaccess.build_network` or :func:`geoaccess.run_access`: it replaces the bound for
every speed of that network, road and off-road.

Boats (``BOAT_SPEED_KPH``, ``LANDING_WAIT_MIN``)
------------------------------------------------
In Musi Banyuasin and Ogan Komering Ilir many villages are reached by river:
:func:`geoaccess.build_network` takes ``waterways=`` (navigable rivers and canals) and
``landings=`` (dermaga). Boats are a way of travel of their own, open to every
household whatever the network's mode: a trip may combine road, off-road and boat legs,
boarding and leaving only at landings. The mode is not switched at the landing (a
motorbike trip continues at motorbike speed after the boat: ketek and speedboats on the
Musi carry motorbikes); for households without one, run the walk network.

* ``ketek`` (perahu motor, the small covered long-tail boat of the Musi): **8 km/h**. An
  assumption to calibrate: slow small-engine boats are usually put at 8 to 10 km/h; no
  measured figure for the Musi was found. This is the default
  (:data:`DEFAULT_BOAT_SPEED_KPH`): the service every riverside village has.
* ``speedboat`` (public speedboats from Palembang to Lalan, Sungsang, Air Sugihan):
  **30 km/h**. An assumption: a traveller's account of the Palembang - Lalan (Musi
  Banyuasin) speedboat gives "sampai 60 km/jam" for a 200 PK boat and about 4 hours for
  the trip (catatantoday.com, 2021); stops, bends and traffic keep the average well under
  the top speed. Pass ``boat_speed_kph=30`` (or ``"speedboat"``) where a speedboat runs.
* bound :data:`MAX_BOAT_SPEED_KPH` **80 km/h**: the 60 km/h top speed above, +30%,
  rounded; a waterway's ``speed_kph`` column and ``boat_speed_kph=`` are checked against
  it (``max_speed_kph=`` replaces it, as for every speed of the network).
* boarding wait :data:`LANDING_WAIT_MIN` **15 min**: an assumption (a boat that leaves when
  full, or a ketek called over from the far bank); paid once per boarding (on the
  connector from land to the waterway), not when leaving the boat. Pass
  ``landing_wait_min=`` from local knowledge (a timetabled speedboat may mean hours).

Upstream and downstream run at the same speed (no current), and boats run at any hour.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._validate import check_choice, check_number
from ..exceptions import InputValidationError

__all__ = [
    "ACCESS_CONTROLLED_OPEN",
    "BOAT_SPEED_KPH",
    "DEFAULT_BOAT_SPEED_KPH",
    "KPH_TO_M_PER_MIN",
    "LANDING_WAIT_MIN",
    "MAX_BOAT_SPEED_KPH",
    "MAX_OFFROAD_SPEED_KPH",
    "MAX_ROAD_SPEED_KPH",
    "MODES",
    "OFFROAD_SPEED_KPH",
    "ROAD_CLASSES",
    "ROAD_SPEED_KPH",
    "TOLL_ROAD_OPEN",
    "access_rules",
    "boat_speed",
    "boat_speed_bound",
    "check_speed",
    "normalize_road_class",
    "road_speeds",
    "speed_bound",
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

#: Highest road speed accepted per mode (km/h); see "Bounds on speeds" in the module
#: docstring for the source of each figure. ``max_speed_kph=`` replaces it.
MAX_ROAD_SPEED_KPH: dict[str, float] = {"car": 120.0, "motorbike": 100.0, "walk": 7.0}
#: Highest off-road (lattice) speed accepted per mode (km/h), for ``offroad_speed_kph``,
#: speed rasters and ``landcover_speeds_kph``; see the module docstring.
MAX_OFFROAD_SPEED_KPH: dict[str, float] = {"car": 30.0, "motorbike": 30.0, "walk": 6.0}

#: Boat speed per kind of boat (km/h); assumptions to calibrate (module docstring, "Boats").
BOAT_SPEED_KPH: dict[str, float] = {"ketek": 8.0, "speedboat": 30.0}
#: Boat speed used when ``boat_speed_kph`` is not given: the ketek's.
DEFAULT_BOAT_SPEED_KPH = BOAT_SPEED_KPH["ketek"]
#: Highest boat speed accepted (km/h): a 60 km/h speedboat top speed +30% (module docstring).
MAX_BOAT_SPEED_KPH = 80.0
#: Waiting time (minutes) on boarding a boat at a landing; an assumption (module docstring).
LANDING_WAIT_MIN = 15.0

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

    Returns
    -------
    tuple of (bool, bool)
        ``(toll, access_controlled)``: whether the mode may use toll roads, and other
        access-controlled roads.

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


def speed_bound(mode: str, *, offroad: bool = False, max_speed_kph: float | None = None) -> float:
    """The highest speed (km/h) accepted for ``mode`` on roads or off-road.

    ``max_speed_kph`` (checked: a finite number > 0) replaces the bound of
    :data:`MAX_ROAD_SPEED_KPH` / :data:`MAX_OFFROAD_SPEED_KPH`.

    Parameters
    ----------
    mode : {"motorbike", "car", "walk"}
        The travel mode.
    offroad : bool
        The bound off road (on the lattice) instead of on roads.
    max_speed_kph : float, optional
        A bound of your own replacing the default.

    Returns
    -------
    float
        The bound in km/h.

    Examples
    --------
    >>> speed_bound("car"), speed_bound("car", offroad=True), speed_bound("walk", max_speed_kph=12)
    (120.0, 30.0, 12.0)
    """
    check_choice(mode, MODES, "mode")
    if max_speed_kph is not None:
        return check_number(max_speed_kph, "max_speed_kph", unit="km/h")
    return (MAX_OFFROAD_SPEED_KPH if offroad else MAX_ROAD_SPEED_KPH)[mode]


def check_speed(
    value: object,
    name: str,
    *,
    mode: str,
    offroad: bool = False,
    max_speed_kph: float | None = None,
    allow_zero: bool = False,
) -> float:
    """Return ``value`` (km/h) as a float, or raise :class:`~geoaccess.exceptions.InputValidationError`.

    Refused: strings (``"45"``), NaN, infinity, negative values (and 0 unless
    ``allow_zero``), and speeds above :func:`speed_bound` for the mode, with the bound,
    its reason and the override in the message.

    Parameters
    ----------
    value : float
        The speed given (km/h).
    name : str
        The argument named in error messages (``"offroad_speed_kph"``).
    mode : {"motorbike", "car", "walk"}
        The travel mode whose bound applies.
    offroad : bool
        Check against the off-road bound instead of the road bound.
    max_speed_kph : float, optional
        A bound replacing the mode's.
    allow_zero : bool
        Accept 0 (a mode that cannot use a road class).

    Returns
    -------
    float
        ``value`` as a float.

    Examples
    --------
    >>> check_speed(45, "offroad_speed_kph", mode="motorbike", max_speed_kph=50)
    45.0
    """
    v = check_number(value, name, allow_zero=allow_zero, unit="km/h")
    bound = speed_bound(mode, offroad=offroad, max_speed_kph=max_speed_kph)
    if v > bound:
        raise InputValidationError(
            _above_bound(f"got {value!r} km/h", mode, offroad, bound, max_speed_kph), argument=name
        )
    return v


def _above_bound(what: str, mode: str, offroad: bool, bound: float, max_speed_kph: float | None) -> str:
    where = "off-road" if offroad else "on roads"
    if max_speed_kph is not None:
        return f"{what}, above max_speed_kph={bound:g} km/h; raise max_speed_kph if this is real"
    table = "MAX_OFFROAD_SPEED_KPH" if offroad else "MAX_ROAD_SPEED_KPH"
    return (
        f"{what}, above the {bound:g} km/h bound for {mode} {where} "
        f"(geoaccess.engine.speeds.{table}; its source is in that module's docstring). "
        "Is it a typo (450 for 45) or in m/s or m/min? Give km/h; if the speed is real, "
        "pass max_speed_kph= to raise the bound"
    )


def road_speeds(
    mode: str = "motorbike",
    speeds: Mapping[str, float] | None = None,
    *,
    max_speed_kph: float | None = None,
    argument: str = "speeds",
) -> dict[str, float]:
    """Return the class -> km/h table for ``mode``, with ``speeds`` overriding entries.

    Every given speed must be a number from 0 (the mode cannot use the class) up to
    :func:`speed_bound` for the mode on roads (``max_speed_kph`` replaces that bound);
    ``argument`` is the name errors give it.

    Parameters
    ----------
    mode : {"motorbike", "car", "walk"}
        The travel mode.
    speeds : mapping of str to float, optional
        Road class -> km/h entries replacing the defaults of :data:`ROAD_SPEED_KPH`.
    max_speed_kph : float, optional
        A bound replacing the mode's road bound.
    argument : str
        The argument named in error messages.

    Returns
    -------
    dict of str to float
        Every road class of :data:`ROAD_CLASSES` with its speed in km/h.

    Examples
    --------
    >>> road_speeds("car")["arteri"]
    60.0
    >>> road_speeds("car", {"lokal": 30})["lokal"]
    30.0
    """
    check_choice(mode, MODES, "mode")
    table = dict(ROAD_SPEED_KPH[mode])
    if speeds is not None and not isinstance(speeds, Mapping):
        raise InputValidationError(
            f"expected a dict {{road_class: km/h}}, got {type(speeds).__name__} {speeds!r}; "
            f"e.g. {{'lokal': 30}} (classes: {list(ROAD_CLASSES)})",
            argument=argument,
        )
    if speeds:
        unknown = set(speeds) - set(ROAD_CLASSES)
        if unknown:
            raise InputValidationError(
                f"unknown road classes {sorted(map(str, unknown))}; classes are {list(ROAD_CLASSES)}",
                argument=argument,
            )
        bound = speed_bound(mode, max_speed_kph=max_speed_kph)
        for k, v in speeds.items():
            if isinstance(v, str):
                raise InputValidationError(
                    f"speed for {k!r} is the string {v!r}; give numbers in km/h, e.g. {{{k!r}: 45}}",
                    argument=argument,
                )
            try:
                table[k] = check_number(v, argument, allow_zero=True, unit="km/h")
            except InputValidationError as e:
                raise InputValidationError(f"speed for {k!r}: {e.problems[0]}", argument=argument) from None
            if table[k] > bound:
                raise InputValidationError(
                    _above_bound(f"speed for {k!r} is {v!r} km/h", mode, False, bound, max_speed_kph),
                    argument=argument,
                )
    return table


def boat_speed(
    value: object = None, *, max_speed_kph: float | None = None, name: str = "boat_speed_kph"
) -> float:
    """The boat speed (km/h): ``None`` gives :data:`DEFAULT_BOAT_SPEED_KPH`; a kind of boat
    (``"ketek"``, ``"speedboat"``) its :data:`BOAT_SPEED_KPH`; a number is checked against
    :data:`MAX_BOAT_SPEED_KPH` (or ``max_speed_kph``).

    Parameters
    ----------
    value : None, str or float
        ``None``, a kind of boat from :data:`BOAT_SPEED_KPH`, or a speed in km/h.
    max_speed_kph : float, optional
        Bound replacing :data:`MAX_BOAT_SPEED_KPH`.
    name : str
        The argument named in error messages.

    Returns
    -------
    float
        The speed in km/h.

    Examples
    --------
    >>> boat_speed(), boat_speed("speedboat"), boat_speed(12)
    (8.0, 30.0, 12.0)
    """
    if value is None:
        return DEFAULT_BOAT_SPEED_KPH
    if isinstance(value, str):
        check_choice(value.strip().lower(), tuple(BOAT_SPEED_KPH), name)
        return BOAT_SPEED_KPH[value.strip().lower()]
    v = check_number(value, name, unit="km/h")
    bound = boat_speed_bound(max_speed_kph)
    if v > bound:
        raise InputValidationError(
            f"got {value!r} km/h, above the {bound:g} km/h bound for boats (geoaccess.engine.speeds."
            "MAX_BOAT_SPEED_KPH, or max_speed_kph=); is it in km/h? If it is real, pass max_speed_kph=",
            argument=name,
        )
    return v


def boat_speed_bound(max_speed_kph: float | None = None) -> float:
    """The highest boat speed accepted (km/h): ``max_speed_kph``, else :data:`MAX_BOAT_SPEED_KPH`.

    Parameters
    ----------
    max_speed_kph : float, optional
        A bound of your own (a finite number > 0), replacing the default.

    Returns
    -------
    float
        The bound in km/h.

    Examples
    --------
    >>> boat_speed_bound(), boat_speed_bound(50)
    (80.0, 50.0)
    """
    if max_speed_kph is not None:
        return check_number(max_speed_kph, "max_speed_kph", unit="km/h")
    return MAX_BOAT_SPEED_KPH
