"""utm_crs: the same CRS as geopandas' estimate_utm_crs, without a database query per call."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geoaccess._utm import utm_crs


@pytest.mark.parametrize(
    "lon, lat",
    [(103.9, -3.7), (96.0, 1.0), (102.0, -3.0), (105.0, 0.0), (140.99, -8.5), (-179.9, 10.0), (10.0, 60.0)],
)
def test_utm_crs_matches_geopandas(lon: float, lat: float) -> None:
    g = gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4326")
    assert utm_crs(g) == g.estimate_utm_crs()


def test_utm_crs_random_points_and_projected_layers() -> None:
    rng = np.random.default_rng(0)
    for lon, lat in zip(rng.uniform(94, 142, 40), rng.uniform(-11, 6, 40), strict=True):
        g = gpd.GeoDataFrame(geometry=[shapely.box(lon, lat, lon + 0.5, lat + 0.3)], crs="EPSG:4326")
        assert utm_crs(g) == g.estimate_utm_crs()
        projected = g.to_crs(g.estimate_utm_crs())
        assert utm_crs(projected) == projected.estimate_utm_crs()


def test_utm_crs_needs_a_crs() -> None:
    with pytest.raises(RuntimeError, match="crs"):
        utm_crs(gpd.GeoSeries([shapely.Point(0, 0)]))
