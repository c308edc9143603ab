"""The UTM zone of a layer: ``estimate_utm_crs`` without a database query per call."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pyproj


@lru_cache(maxsize=64)
def _transformer(crs: pyproj.CRS) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


@lru_cache(maxsize=128)
def _epsg(code: int) -> pyproj.CRS:
    return pyproj.CRS.from_epsg(code)


@lru_cache(maxsize=1024)
def _queried(lon: float, lat: float) -> pyproj.CRS:
    from pyproj.aoi import AreaOfInterest
    from pyproj.database import query_utm_crs_info

    found = query_utm_crs_info(
        datum_name="WGS 84",
        area_of_interest=AreaOfInterest(
            west_lon_degree=lon, south_lat_degree=lat, east_lon_degree=lon, north_lat_degree=lat
        ),
    )
    if not found:
        raise RuntimeError("Unable to determine UTM CRS")
    return _epsg(int(found[0].code))


def utm_crs_at(lon: float, lat: float) -> pyproj.CRS:
    """WGS 84 UTM CRS (EPSG 326zz north, 327zz south) of the point ``(lon, lat)``.

    The zone is computed from the longitude when the point lies clearly inside one zone;
    on a zone edge, the equator, near the poles and around Norway and Svalbard (zones with
    exceptions) pyproj's database is asked, as geopandas does. Cached per process.
    """
    edge = (lon + 180.0) / 6.0
    if (
        abs(lat) > 1e-7
        and -80.0 < lat < 84.0
        and not (lat > 55.0 and -1.0 < lon < 43.0)
        and abs(edge - round(edge)) > 1e-7
    ):
        zone = int(np.floor(edge)) % 60 + 1
        return _epsg((32600 if lat > 0 else 32700) + zone)
    return _queried(float(lon), float(lat))


def utm_crs(geo: Any) -> pyproj.CRS:
    """``geo.estimate_utm_crs()`` (GeoDataFrame or GeoSeries with a CRS): the UTM zone of
    the centre of its bounds, computed as geopandas does but without a pyproj database
    query per call (one was about a quarter of a small batch partition's CPU)."""
    if geo.crs is None:
        raise RuntimeError("crs must be set to estimate UTM CRS.")
    minx, miny, maxx, maxy = geo.total_bounds
    if geo.crs.is_geographic:
        lon, lat = np.mean([minx, maxx]), np.mean([miny, maxy])
    else:
        minx, miny, maxx, maxy = _transformer(pyproj.CRS(geo.crs)).transform_bounds(minx, miny, maxx, maxy)
        lat = np.mean([miny, maxy])
        if minx > maxx:  # across the antimeridian
            lon = ((np.mean([minx, maxx + 360]) + 180) % 360) - 180
        else:
            lon = np.mean([minx, maxx])
    return utm_crs_at(float(lon), float(lat))
