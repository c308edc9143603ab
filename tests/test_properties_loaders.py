"""Property-based tests of the loaders (issue 9): ids and codes round-trip as text, and numbers
written the Indonesian or the English way parse to the same value."""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd
import pytest
from conftest import require_module
from shapely.geometry import box

from geoaccess.exceptions import GeoAccessWarning
from geoaccess.inputs import boundaries, facilities, population, tables

hypothesis = require_module("hypothesis", "property-based tests")
st = hypothesis.strategies
given, settings, HealthCheck = hypothesis.given, hypothesis.settings, hypothesis.HealthCheck

_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Ids as a planner writes them: leading zeros, dots, dashes, letters.
ids = st.text(alphabet="0123456789.-ABCPRSF", min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s.strip() and s not in ("-", "--", "?")
)
# Kemendagri-like codes: 2, 2.2, 2.2.2 or 2.2.2.4 digit groups, e.g. "16.030" shaped too.
codes = st.lists(st.from_regex(r"\A[0-9]{2,4}\Z"), min_size=1, max_size=4).map(".".join)


def _fmt_en(v: float, decimals: int, thousands: bool) -> str:
    return f"{v:,.{decimals}f}" if thousands else f"{v:.{decimals}f}"


def _fmt_id(v: float, decimals: int, thousands: bool) -> str:
    en = _fmt_en(v, decimals, thousands)
    return en.replace(",", "_").replace(".", ",").replace("_", ".")


@_SETTINGS
@given(st.lists(ids, min_size=1, max_size=6, unique=True))
def test_facility_ids_round_trip_as_text_through_csv(tmp_path_factory, id_list):
    # Ids written to a CSV come back exactly as written (0012 stays 0012, 16.030 stays 16.030).
    p = tmp_path_factory.mktemp("ids") / "f.csv"
    df = pd.DataFrame({"facility_id": id_list, "type": "puskesmas", "lat": -3.64, "lon": 103.78})
    df.to_csv(p, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)
        out = facilities.read_facilities(p)
    assert out["facility_id"].tolist() == id_list


@_SETTINGS
@given(st.lists(codes, min_size=1, max_size=5, unique=True))
def test_population_keys_round_trip_as_text(tmp_path_factory, code_list):
    # Join keys read from a CSV are matched as text: every code finds its own row.
    desa = gpd.GeoDataFrame(
        {"code": code_list}, geometry=[box(i, 0, i + 1, 1) for i in range(len(code_list))], crs="EPSG:32748"
    )
    p = tmp_path_factory.mktemp("keys") / "pop.csv"
    pd.DataFrame({"code": code_list, "population": range(1, len(code_list) + 1)}).to_csv(p, index=False)
    out = population.join_population(desa, p)
    assert out["population"].tolist() == [float(i) for i in range(1, len(code_list) + 1)]


@_SETTINGS
@given(st.lists(codes, min_size=1, max_size=5, unique=True))
def test_boundary_codes_round_trip(code_list):
    # Codes given as text come out as the same text.
    gdf = gpd.GeoDataFrame(
        {"code": code_list, "name": code_list},
        geometry=[box(103 + i * 0.1, -4, 103.1 + i * 0.1, -3.9) for i in range(len(code_list))],
        crs=4326,
    )
    assert boundaries.read_boundaries(gdf)["code"].tolist() == code_list


@_SETTINGS
@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.integers(min_value=1, max_value=4),
    st.booleans(),
)
def test_float_same_value_in_indonesian_and_english(v, decimals, thousands):
    # A float written "en" and "id" (each with a value that shows the format) parses to one value.
    hypothesis.assume(decimals != 3 or abs(v) >= 1000 or not thousands)
    en, idn = _fmt_en(v, decimals, thousands), _fmt_id(v, decimals, thousands)
    # a second value with a non-3-digit decimal part tells the column's format when en is ambiguous
    got_en = tables.parse_numbers(pd.Series([en, "0.5"]), column="x", argument="t")[0].iloc[0]
    got_id = tables.parse_numbers(pd.Series([idn, "0,5"]), column="x", argument="t")[0].iloc[0]
    assert got_en == pytest.approx(got_id, rel=0, abs=0)
    assert got_en == pytest.approx(round(v, decimals), rel=1e-12, abs=10 ** -(decimals + 1))


@_SETTINGS
@given(st.integers(min_value=0, max_value=10**9))
def test_counts_same_value_in_every_format(n):
    # A whole count parses to itself written plain, with dots (id), commas (en) or spaces.
    forms = [str(n), f"{n:,}".replace(",", "."), f"{n:,}", f"{n:,}".replace(",", " ")]
    for text in forms:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = tables.parse_numbers(pd.Series([text]), column="population", argument="t", kind="count")[0]
        assert got.iloc[0] == float(n), text


@_SETTINGS
@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=8))
def test_population_column_id_and_en_agree(values):
    # The same population column written the Indonesian and the English way joins to the same figures.
    id_col = [f"{v:,}".replace(",", ".") for v in values]
    en_col = [f"{v:,}" for v in values]
    a = tables.parse_numbers(pd.Series(id_col), column="p", argument="t", kind="count")[0]
    b = tables.parse_numbers(pd.Series(en_col), column="p", argument="t", kind="count")[0]
    assert a.tolist() == b.tolist() == [float(v) for v in values]
