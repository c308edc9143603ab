"""Engine: the travel-time graph and the searches on it.

- :mod:`~geoaccess.engine.speeds`: road classes and speeds per mode, with their sources.
- :mod:`~geoaccess.engine.lattice`: the off-road grid.
- :mod:`~geoaccess.engine.network`: :func:`build_network`, one CSR graph of roads, lattice
  and connectors.
- :mod:`~geoaccess.engine.travel`: attaching points to the graph, :func:`nearest` (one
  multi-source search, read at points and cells), :func:`travel_time`,
  :func:`travel_time_matrix`.
"""
