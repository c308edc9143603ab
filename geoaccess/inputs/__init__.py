"""Inputs: reading and checking what a planner brings.

- :mod:`~geoaccess.inputs.boundaries`: kabupaten, kecamatan and desa polygons.
- :mod:`~geoaccess.inputs.facilities`: puskesmas, pustu and hospital lists (coordinate QA,
  relocation, inpatient status).
- :mod:`~geoaccess.inputs.population`: desa population tables and rasters, and their
  allocation over the lattice cells.
- :mod:`~geoaccess.inputs.roads`: road layers from files, OpenStreetMap or osmnx, and
  their repair.
- :mod:`~geoaccess.inputs.waterways`: river, canal and ferry lines for boats (OSM files,
  RBI ``SUNGAI``, any line layer).
- :mod:`~geoaccess.inputs.datasets`: the bundled regions (``datasets.load("muara_enim")``).
"""
