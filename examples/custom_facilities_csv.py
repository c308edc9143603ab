"""Read a planner's own facility list (CSV) and see what geoaccess checked and fixed.

What it shows
-------------
A Dinas Kesehatan keeps its own spreadsheet of facilities, with Indonesian labels and the
usual slips. :func:`geoaccess.inputs.facilities.read_facilities` reads it into the geoaccess
facility schema and checks every coordinate. This example list has:

* a **pustu** (``Puskesmas Pembantu``), a puskesmas labelled ``Puskesmas Rawat Inap`` and a
  hospital labelled ``RSUD``: labels are mapped onto the standard ``type`` (the raw label is
  kept in ``type_input``); ``inpatient`` is read from ``ya``/``tidak``/blank (blank =
  unknown, never "no");
* a row with **latitude and longitude swapped**: detected (it falls outside Indonesia the
  wrong way round) and fixed, ``coord_problem = "swapped_latlon"``;
* a row with **no coordinates**: kept, with ``location_quality = "missing"`` and no
  geometry; with ``relocate="kecamatan"`` and the kecamatan polygons it is placed inside its
  kecamatan instead (``location_quality = "kecamatan_centroid"``, position approximate).

Every problem is listed, by id, in one ``GeoAccessWarning``; no row is dropped. Then
:func:`geoaccess.inputs.facilities.select` picks the facilities a travel-time question is about.

The rows are an illustration: the puskesmas and hospital coordinates are those of the
shared 2019 list for Muara Enim, the pustu is made up. The second part (relocation) uses the
kecamatan polygons of the shared data directory.

Run from the repository root::

    python examples/custom_facilities_csv.py
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
import warnings
from pathlib import Path

import pandas as pd

import geoaccess as ga
from geoaccess.exceptions import DataNotFoundError
from geoaccess.inputs.boundaries import read_boundaries
from geoaccess.inputs.facilities import read_facilities, select

# A planner's own list, as exported from a spreadsheet (comma-separated, one row a facility).
CSV_TEXT = """\
facility_id,name,type,lat,lon,inpatient,kecamatan,staff
PKM-ME,Puskesmas Muara Enim,Puskesmas,-3.639850,103.779800,ya,Muara Enim,122
PKM-TE,Puskesmas Tanjung Enim,Puskesmas Rawat Inap,-3.761342,103.766167,ya,Lawang Kidul,91
PT-01,Pustu Desa Contoh (made up),Puskesmas Pembantu,-3.7050,103.7900,tidak,Lawang Kidul,4
RS-ME,RSUD dr. H. M. Rabain,RSUD,103.774719,-3.639906,ya,Muara Enim,728
PKM-BN,Puskesmas Benakat,Puskesmas,,,,Benakat,
"""

COLUMNS = [
    "facility_id",
    "type",
    "type_input",
    "inpatient",
    "inpatient_source",
    "location_quality",
    "coord_problem",
    "lat_given",
    "lon_given",
]


def read_and_report(csv: Path, **kwargs) -> pd.DataFrame:
    """read_facilities with its warning printed, then the schema columns and the location."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ga.GeoAccessWarning)
        fac = read_facilities(csv, **kwargs)
    for w in caught:
        print("GeoAccessWarning:")
        print(textwrap.indent(str(w.message), "  "))
    out = pd.DataFrame(fac.drop(columns="geometry")).rename(
        columns={"lat": "lat_given", "lon": "lon_given"}
    )  # the input columns, kept as given
    out["location (lon, lat)"] = [
        "(no location)" if g is None else f"{g.x:.4f}, {g.y:.4f}" for g in fac.geometry
    ]
    print(out[[*COLUMNS, "location (lon, lat)"]].to_string(index=False))
    return fac


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "fasilitas_kesehatan_saya.csv"
        csv.write_text(CSV_TEXT, encoding="utf-8")
        print(f"The planner's CSV ({csv.name}):\n{textwrap.indent(CSV_TEXT, '  ')}")

        print("1) read_facilities(csv): coordinates checked, nothing relocated\n")
        fac = read_and_report(csv)
        print("\nlocation_quality counts:", fac["location_quality"].value_counts().to_dict())

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ga.GeoAccessWarning)
            pustu = select(fac, "pustu")
            pkm = select(fac, "puskesmas")
            inpatient = select(fac, "inpatient")
        print(
            f"\nselect(): pustu {pustu['facility_id'].tolist()}, puskesmas with a location "
            f"{pkm['facility_id'].tolist()}, inpatient puskesmas {inpatient['facility_id'].tolist()}"
        )
        for w in caught:
            print(f"  {w.message}")

        try:
            data = ga.settings.resolve_data_dir()
        except DataNotFoundError:
            print("\n(shared data directory not found: relocation example skipped)")
            return 0
        kec = read_boundaries(data / "boundaries" / "kecamatan_from_desa.geojson", level="kecamatan")
        kec = kec[kec["kabupaten_code"] == "16.03"]  # Muara Enim
        print(
            f"\n2) read_facilities(csv, boundaries=<{len(kec)} kecamatan of Muara Enim>, "
            "relocate='kecamatan')\n"
        )
        fac2 = read_and_report(csv, boundaries=kec, relocate="kecamatan")
        print("\nlocation_quality counts:", fac2["location_quality"].value_counts().to_dict())
    return 0


if __name__ == "__main__":
    sys.exit(main())
