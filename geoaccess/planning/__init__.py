"""Planning: what to do next.

- :mod:`~geoaccess.planning.priority`: the revitalisation priority tables (kecamatan and
  puskesmas), with the data gaps each score rests on.
"""
