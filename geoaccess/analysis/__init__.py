"""Analysis: who is underserved, from travel times and population.

- :mod:`~geoaccess.analysis.metrics`: coverage, Riskesdas bands, equity (Gini, Theil),
  referral chains.
- :mod:`~geoaccess.analysis.fca`: 2SFCA and enhanced 2SFCA supply per 1,000 people.
- :mod:`~geoaccess.analysis.targets`: program targets per kecamatan (PP 47/2016,
  inpatient puskesmas).
- :mod:`~geoaccess.analysis.columns`: the column checks and number formatting these
  modules (and :mod:`geoaccess.planning.priority`) share.
"""
