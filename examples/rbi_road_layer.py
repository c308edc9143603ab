"""A dense rural road layer: BIG RBI 1:50,000 roads of Kabupaten Pringsewu (Lampung).

What it shows
-------------
* :func:`geoaccess.inputs.roads.read_roads` reading an RBI ``JALAN_LN_50K`` layer: the road class
  comes from its ``REMARK`` column (Jalan Arteri / Kolektor / Lokal / Lain), mapped onto the
  geoaccess classes (arteri, kolektor, lokal, lingkungan);
* :func:`geoaccess.inputs.roads.repair_roads`: RBI lines are digitised without topology (lines cross
  without a shared vertex, ends stop short of the road they join); the repair splits them at
  crossings, snaps near-miss ends and prints a report of what it changed;
* :func:`geoaccess.build_network` (motorbike, 250 m off-road lattice over the kabupaten) and
  :func:`geoaccess.cell_travel_time`: travel time from every 250 m cell to the nearest of
  three facilities.

**The three facilities are TEST FACILITIES, not real ones**: each is a point inside one of
the kecamatan polygons (Pringsewu, Gadingrejo, Pagelaran), chosen only to exercise the
network. Pringsewu lies about 230 km from Muara Enim; the layer is here because it is the
only dense, class-attributed Sumatran road layer available offline (see
``roads/SOURCES.md`` of the shared data: no licence stated, internal testing only).

Run from the repository root::

    python examples/rbi_road_layer.py
"""

from __future__ import annotations

import sys
import time
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

import geoaccess as ga
from geoaccess.exceptions import DataNotFoundError
from geoaccess.inputs.roads import read_roads, repair_roads

TEST_SITES = ("PRINGSEWU", "GADINGREJO", "PAGELARAN")  # kecamatan holding one test facility each


def main() -> int:
    t0 = time.perf_counter()
    try:
        data = ga.settings.resolve_data_dir()
    except DataNotFoundError as e:
        print(f"shared data directory not found:\n{e}", file=sys.stderr)
        return 1
    folder = data / "roads" / "pringsewu_rbi50k"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ga.GeoAccessWarning)
        roads = read_roads(folder / "JALAN_LN_50K_pringsewu.geojson")  # class from REMARK
    for w in caught:
        print(f"  note: {w.message}")
    utm = roads.estimate_utm_crs()
    km = roads.to_crs(utm).length.groupby([roads["class_source"], roads["road_class"]]).sum() / 1000
    print(f"RBI 1:50k roads of Pringsewu: {len(roads):,} lines, {km.sum():,.1f} km")
    print("  REMARK           -> geoaccess class      km")
    for (remark, cls), v in km.sort_values(ascending=False).items():
        print(f"  {remark:<16} -> {cls:<16} {v:7.1f}")

    fixed, report = repair_roads(roads)  # node crossings, snap ends within 5 m
    print("\nRepair report (RBI lines are not noded at crossings):")
    print(report)

    kec = gpd.read_file(folder / "ADMINISTRASIKECAMATAN_AR_50K_pringsewu.geojson")
    kec = kec[kec["WADMKK"] == "PRINGSEWU"][["NAMOBJ", "geometry"]].reset_index(drop=True)
    kabupaten = gpd.GeoDataFrame(geometry=[kec.union_all()], crs=kec.crs)
    sites = kec[kec["NAMOBJ"].isin(TEST_SITES)]
    test_fac = gpd.GeoDataFrame(
        {
            "facility_id": [f"TEST-{n}" for n in sites["NAMOBJ"]],
            "name": [f"Test facility in Kec. {n.title()} (NOT a real facility)" for n in sites["NAMOBJ"]],
        },
        geometry=sites.geometry.representative_point().to_numpy(),
        crs=kec.crs,
    )
    print(
        f"\n{len(test_fac)} TEST facilities (made-up points inside kecamatan polygons, not real puskesmas):"
    )
    for _, f in test_fac.iterrows():
        print(f"  {f['facility_id']:<16} lon {f.geometry.x:.4f}, lat {f.geometry.y:.4f}")

    net = ga.build_network(fixed, "motorbike", area=kabupaten, resolution_m=250, repair=False)
    n_comp, largest = net.components()
    print(f"\n{net}\n  {n_comp} connected part(s), the largest holds {largest:.1%} of the nodes")

    cells = ga.cell_travel_time(net, test_fac)
    t = cells["travel_time_min"].to_numpy()
    print(
        f"\nMotorbike travel time from {len(cells):,} cells of 250 m "
        f"({len(cells) * 0.0625:,.0f} km²) to the nearest TEST facility:"
    )
    print(
        f"  mean {np.nanmean(t):.1f} min, median {np.nanmedian(t):.1f} min, "
        f"max {np.nanmax(t):.1f} min, unreachable cells {int(np.isnan(t).sum())}"
    )
    for limit in (15, 30, 60):
        print(f"  area within {limit:>2} min: {np.mean(t <= limit):6.1%}")

    joined = gpd.sjoin(
        cells[["travel_time_min", "geometry"]], kec.to_crs(cells.crs), how="inner", predicate="within"
    )
    per_kec = joined.groupby("NAMOBJ")["travel_time_min"].agg(["count", "mean", "max"])
    print("\nPer kecamatan (cells, mean and max minutes to the nearest TEST facility):")
    print(
        pd.DataFrame(per_kec)
        .rename(columns={"count": "cells", "mean": "mean_min", "max": "max_min"})
        .sort_values("mean_min", ascending=False)
        .round(1)
        .to_string()
    )
    print(f"\ndone in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
