"""Travel time over a real OpenStreetMap file, without internet.

What it shows
-------------
* :func:`geoaccess.inputs.roads.read_roads` reading an OSM XML file (``.osm.bz2``) into the
  standard road layer (OSM ``highway`` tags mapped onto the geoaccess road classes);
* :func:`geoaccess.inputs.roads.repair_roads` with ``node_crossings=False``, as advised for OSM data
  (OSM roads already meet at shared nodes; a crossing without one is a bridge);
* :func:`geoaccess.build_network` on that layer (motorbike and walking, with a 50 m
  off-road lattice) and :func:`geoaccess.travel_time` from a few homes to one facility.

The file is ``osm-samples/West-Oakland.osm.bz2`` of the shared data directory: a few streets
of West Oakland, California (OpenStreetMap, ODbL, from the osmnx test data). **It is not
Indonesian**; no OSM extract of Sumatra is available offline. With an extract of your own
kabupaten (e.g. cut from the Geofabrik Sumatra ``.osm.pbf`` with ``osmium extract``) the
same calls work. The "clinic" and the homes below are made up.

Run from the repository root::

    python examples/offline_osm_file.py
"""

from __future__ import annotations

import sys
import time
import warnings

import geopandas as gpd
import shapely

import geoaccess as ga
from geoaccess.exceptions import DataNotFoundError
from geoaccess.inputs.roads import read_roads, repair_roads


def main() -> int:
    t0 = time.perf_counter()
    try:
        data = ga.settings.resolve_data_dir()
    except DataNotFoundError as e:
        print(f"shared data directory not found:\n{e}", file=sys.stderr)
        return 1
    path = data / "osm-samples" / "West-Oakland.osm.bz2"
    print(f"OSM file: {path.name} (West Oakland, California; not Indonesian)")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ga.GeoAccessWarning)
        roads = read_roads(path)
    for w in caught:
        print(f"  note: {w.message}")
    utm = roads.estimate_utm_crs()
    km = roads.to_crs(utm).length.groupby(roads["road_class"]).sum() / 1000
    print(
        f"{len(roads)} road lines, {km.sum():.1f} km, {int(roads['oneway'].sum())} one-way; "
        "km per geoaccess class:"
    )
    for cls, v in km.sort_values(ascending=False).items():
        labels = sorted(roads.loc[roads["road_class"] == cls, "class_source"].unique())
        print(f"  {cls:<11} {v:5.2f} km   (OSM highway={', '.join(labels)})")

    # OSM roads already meet at shared nodes: do not split them where they cross
    # (that would join a bridge to the road under it); only snap near-miss ends.
    fixed, report = repair_roads(roads, node_crossings=False)
    print(report)

    # study area: the streets plus 150 m, as the off-road lattice (50 m cells)
    area = gpd.GeoSeries([roads.to_crs(utm).union_all().convex_hull.buffer(150)], crs=utm)
    clinic = gpd.GeoDataFrame(
        {"facility_id": ["CLINIC-X"], "name": ["Clinic X (made up)"]},
        geometry=[shapely.Point(-122.2995, 37.8110)],
        crs="EPSG:4326",
    )
    homes = gpd.GeoDataFrame(
        {"home": ["A (south-west)", "B (north-east)", "C (north-west)", "D (south-east)"]},
        geometry=shapely.points(
            [(-122.3070, 37.8050), (-122.2920, 37.8165), (-122.3050, 37.8160), (-122.2930, 37.8060)]
        ),
        crs="EPSG:4326",
    )
    minutes: dict[str, dict[str, float]] = {}
    for mode in ("motorbike", "walk"):
        net = ga.build_network(fixed, mode, area=area, resolution_m=50, repair=False)
        print(net)
        tt = ga.travel_time(net, homes, clinic)
        minutes[mode] = dict(zip(tt["home"], tt["travel_time_min"], strict=True))
    to_road = dict(zip(tt["home"], tt["access_dist_m"], strict=True))
    straight = homes.to_crs(utm).distance(clinic.to_crs(utm).geometry.iloc[0])
    print("\nTravel time to the made-up Clinic X (minutes):")
    print(f"  {'home':<16} {'straight m':>10} {'m to road':>9} {'motorbike':>9} {'walk':>7}")
    for home, s in zip(homes["home"], straight, strict=True):
        print(
            f"  {home:<16} {s:10,.0f} {to_road[home]:9,.0f} {minutes['motorbike'][home]:9.1f} "
            f"{minutes['walk'][home]:7.1f}"
        )
    print(f"\ndone in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
