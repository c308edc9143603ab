"""Planning: what to do next.

- :mod:`~geoaccess.planning.priority`: the revitalisation priority tables (kecamatan and
  puskesmas), with the data gaps each score rests on.
- :mod:`~geoaccess.planning.scenario`: immutable what-if scenarios (new, upgraded or
  closed facilities, another network) compared with the baseline run.
- :mod:`~geoaccess.planning.candidates`: :func:`score_candidates`, what one new site
  would change, for many candidates, with one pruned search each.
- :mod:`~geoaccess.planning.siting`: :func:`site_facilities`, the sites to build or
  upgrade for k sites or a rupiah budget (exact MILP or lazy greedy).
"""
