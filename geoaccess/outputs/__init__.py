"""Outputs: what a planner reads.

- :mod:`~geoaccess.outputs.maps`: Folium maps that open offline.
- :mod:`~geoaccess.outputs.report`: tables (CSV, XLSX with Indonesian labels, GPKG) and
  figures.
"""
