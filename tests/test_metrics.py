"""Tests of geoaccess.analysis.metrics: coverage, bands, quantiles, Gini/Theil, referral, curves.

Every expected number is worked out by hand in a comment next to the assertion.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geoaccess.analysis import metrics
from geoaccess.exceptions import GeoAccessWarning, InputValidationError, MissingColumnError


def _three_desa() -> pd.DataFrame:
    # The brief's example: 3 desa of 100 / 200 / 700 people at 10 / 40 / 90 minutes.
    return pd.DataFrame(
        {
            "desa": ["A", "B", "C"],
            "kecamatan": ["K1", "K1", "K2"],
            "travel_time_min": [10.0, 40.0, 90.0],
            "population": [100.0, 200.0, 700.0],
        }
    )


def test_constants_documented():
    assert metrics.RISKESDAS_BANDS_MIN == (15, 30, 60)
    assert metrics.THRESHOLDS_MIN == (30, 60, 120)
    assert "Riskesdas 2013" in metrics.__doc__
    assert "Lancet Commission on Global Surgery" in metrics.__doc__


def test_summarize_hand_case():
    df = _three_desa()
    before = df.copy()
    s = metrics.summarize_access(df)
    assert len(s) == 1
    row = s.iloc[0]
    assert row["population"] == 1000
    # mean = (100*10 + 200*40 + 700*90) / 1000 = (1,000 + 8,000 + 63,000) / 1000 = 72 min
    # (the brief says 73; the arithmetic gives 72)
    assert row["mean_travel_time_min"] == pytest.approx(72.0)
    # cumulative people by time: 10 -> 100, 40 -> 300, 90 -> 1000.
    # median: first time with >= 500 people within -> 90; p90: >= 900 -> 90
    assert row["median_travel_time_min"] == 90.0
    assert row["p90_travel_time_min"] == 90.0
    # beyond 30: 200 + 700 = 900; beyond 60: 700; beyond 120: 0
    assert row["people_beyond_30_min"] == 900
    assert row["people_beyond_60_min"] == 700
    assert row["share_beyond_60_min"] == pytest.approx(0.7)
    assert row["people_beyond_120_min"] == 0
    # Riskesdas bands: 0-15 -> 100 (A), 16-30 -> 0, 31-60 -> 200 (B), >60 -> 700 (C)
    assert row["people_0_15_min"] == 100
    assert row["people_16_30_min"] == 0
    assert row["people_31_60_min"] == 200
    assert row["people_over_60_min"] == 700
    assert row["share_31_60_min"] == pytest.approx(0.2)
    assert row["people_unreachable"] == 0
    pd.testing.assert_frame_equal(df, before)


def test_summarize_unreachable_counted_not_dropped():
    df = pd.concat(
        [
            _three_desa(),
            pd.DataFrame(
                {
                    "desa": ["D", "E"],
                    "kecamatan": ["K2", "K2"],
                    "travel_time_min": [np.nan, np.inf],
                    "population": [60.0, 40.0],
                }
            ),
        ],
        ignore_index=True,
    )
    row = metrics.summarize_access(df).iloc[0]
    # population 1000 + 60 + 40 = 1100, of which 100 unreachable (NaN and inf)
    assert row["population"] == 1100
    assert row["people_unreachable"] == 100
    assert row["share_unreachable"] == pytest.approx(100 / 1100)
    # mean over reachable people only: still 72 min
    assert row["mean_travel_time_min"] == pytest.approx(72.0)
    # unreachable people are beyond every threshold: 700 + 100 = 800 beyond 60,
    # 0 + 100 = 100 beyond 120
    assert row["people_beyond_60_min"] == 800
    assert row["people_beyond_120_min"] == 100
    # bands + unreachable add up to the population: 100 + 0 + 200 + 700 + 100 = 1100
    bands = ["people_0_15_min", "people_16_30_min", "people_31_60_min", "people_over_60_min"]
    assert row[bands].sum() + row["people_unreachable"] == row["population"]


def test_summarize_by_group_keeps_missing_keys():
    df = _three_desa()
    df.loc[3] = ["D", None, 5.0, 50.0]
    s = metrics.summarize_access(df, by="kecamatan")
    assert len(s) == 3  # K1, K2 and the missing key
    k1 = s[s["kecamatan"] == "K1"].iloc[0]
    # K1: A (100 at 10) and B (200 at 40): mean = (1000 + 8000) / 300 = 30 min
    assert k1["mean_travel_time_min"] == pytest.approx(30.0)
    # K1 median: cumulative 100 (10 min), 300 (40 min); 150 needed -> 40 min
    assert k1["median_travel_time_min"] == 40.0
    assert s["population"].sum() == 1050  # nobody dropped


def test_summarize_custom_bands_and_thresholds():
    s = metrics.summarize_access(_three_desa(), bands_min=(15, 30, 60, 120), thresholds_min=[45])
    # bands 0-15, 16-30, 31-60, 61-120, >120: C (90 min, 700 people) is in 61-120
    assert s.loc[0, "people_61_120_min"] == 700
    assert s.loc[0, "people_over_120_min"] == 0
    # beyond 45: only C -> 700
    assert s.loc[0, "people_beyond_45_min"] == 700
    assert "people_beyond_60_min" not in s.columns


def test_summarize_validation():
    df = _three_desa()
    with pytest.raises(MissingColumnError, match="pop"):
        metrics.summarize_access(df, pop_col="pop")
    bad = df.assign(population=[100.0, np.nan, 700.0])
    with pytest.raises(InputValidationError, match="no population"):
        metrics.summarize_access(bad)
    neg = df.assign(travel_time_min=[10.0, -1.0, 90.0])
    with pytest.raises(InputValidationError, match="negative travel time"):
        metrics.summarize_access(neg)
    with pytest.raises(InputValidationError, match="strictly increasing"):
        metrics.summarize_access(df, bands_min=(30, 15))


def test_band_labels_and_assign_band():
    assert metrics.band_labels() == ["0-15", "16-30", "31-60", ">60"]
    assert metrics.band_labels((7.5, 20)) == ["0-7.5", "7.5-20", ">20"]
    times = pd.Series([0, 15, 15.5, 30, 60, 60.01, np.nan, np.inf], index=list("abcdefgh"))
    bands = metrics.assign_band(times)
    # right-closed: 15 -> 0-15, 15.5 -> 16-30, 30 -> 16-30, 60 -> 31-60, 60.01 -> >60
    assert bands.tolist() == [
        "0-15",
        "0-15",
        "16-30",
        "16-30",
        "31-60",
        ">60",
        "unreachable",
        "unreachable",
    ]
    assert list(bands.index) == list("abcdefgh")
    assert bands.cat.ordered


def test_weighted_quantile_hand_and_numpy():
    # equal weights at 10 and 20: half the people are within 10 min -> median 10
    assert metrics.weighted_quantile([10, 20], [1, 1], 0.5) == 10.0
    # 100/200/700 at 10/40/90: 10 % within 10 min, 30 % within 40 min
    assert metrics.weighted_quantile([90, 10, 40], [700, 100, 200], [0.1, 0.3]).tolist() == [
        10.0,
        40.0,
    ]
    # zero weight values are ignored: q=0 gives the smallest value with people
    assert metrics.weighted_quantile([1, 5, 9], [0, 2, 2], 0.0) == 5.0
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 120, 200)
    w = rng.uniform(0, 1000, 200)
    for q in (0.0, 0.1, 0.5, 0.9, 1.0):
        expected = np.quantile(x, q, weights=w, method="inverted_cdf")
        assert metrics.weighted_quantile(x, w, q) == pytest.approx(float(expected))
    with pytest.raises(InputValidationError, match="NaN"):
        metrics.weighted_quantile([1, np.nan], [1, 1], 0.5)
    with pytest.raises(InputValidationError, match=r"\[0, 1\]"):
        metrics.weighted_quantile([1, 2], [1, 1], 1.5)


def _gini_brute(x, w):
    x, w = np.asarray(x, float), np.asarray(w, float)
    mu = np.sum(w * x) / np.sum(w)
    return np.sum(w[:, None] * w[None, :] * np.abs(x[:, None] - x[None, :])) / (2 * np.sum(w) ** 2 * mu)


def test_gini_hand_cases():
    # equal times -> 0
    assert metrics.gini([20, 20, 20], [1, 5, 3]) == 0.0
    # two equal groups at 0 and 10 min: sum_ij w_i w_j |x_i - x_j| = 2 * 1*1*10 = 20,
    # mean 5 -> G = 20 / (2 * 2^2 * 5) = 0.5
    assert metrics.gini([0, 10], [1, 1]) == pytest.approx(0.5)
    # weights act like repeated people: [10 (x2), 30] == [10, 10, 30]
    assert metrics.gini([10, 30], [2, 1]) == pytest.approx(metrics.gini([10, 10, 30]))
    rng = np.random.default_rng(3)
    x, w = rng.uniform(0, 100, 50), rng.uniform(0, 10, 50)
    assert metrics.gini(x, w) == pytest.approx(_gini_brute(x, w), rel=1e-12)
    assert metrics.gini([0, 0], [1, 1]) == 0.0  # everyone at the facility
    with pytest.raises(InputValidationError, match="unreachable"):
        metrics.gini([1, np.inf], [1, 1])


def test_theil_hand_cases():
    # equal times -> 0
    assert metrics.theil([15, 15], [3, 4]) == pytest.approx(0.0)
    # two equal groups at 1 and 3: mean 2, ratios 0.5 and 1.5:
    # T = 0.5 * (0.5 ln 0.5 + 1.5 ln 1.5) = 0.5 * (-0.346574 + 0.608198) = 0.130812
    expected = 0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5))
    assert metrics.theil([1, 3], [1, 1]) == pytest.approx(expected)
    assert expected == pytest.approx(0.130812, abs=1e-6)
    # zero time uses 0 ln 0 = 0: [0, 2] equal weights, mean 1:
    # T = 0.5 * (0 + 2 ln 2) = ln 2, the maximum for two equal groups
    assert metrics.theil([0, 2], [1, 1]) == pytest.approx(math.log(2))
    # weights act like repeated people
    assert metrics.theil([10, 30], [2, 1]) == pytest.approx(metrics.theil([10, 10, 30]))


def test_equity_table_decomposition_by_hand():
    # Kecamatan A: desa at 10 and 30 min, 100 people each; kecamatan B: one desa at
    # 20 min with 200 people. Overall mean (1000 + 3000 + 4000) / 400 = 20 min;
    # both kecamatan means are 20, so everything is within-kecamatan inequality.
    df = pd.DataFrame(
        {
            "kec": ["A", "A", "B", "B"],
            "travel_time_min": [10.0, 30.0, 20.0, np.nan],
            "population": [100.0, 100.0, 200.0, 50.0],
        }
    )
    before = df.copy()
    t = metrics.equity_table(df, "travel_time_min", "population", by="kec").set_index("scope")
    t_a = 0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5))  # Theil of A = 0.130812
    # s_A = 200 * 20 / (400 * 20) = 0.5, so T_within = 0.5 * 0.130812 = 0.065406
    assert t.loc["overall", "theil"] == pytest.approx(0.5 * t_a)
    assert t.loc["between", "theil"] == pytest.approx(0.0)
    assert t.loc["within", "theil"] == pytest.approx(0.5 * t_a)
    assert t.loc["between", "theil_share"] + t.loc["within", "theil_share"] == pytest.approx(1.0)
    groups = t.loc["group"].set_index("group")
    # Gini of A: 2 * 100 * 100 * |30 - 10| / (2 * 200^2 * 20) = 400,000 / 1,600,000 = 0.25
    assert groups.loc["A", "gini"] == pytest.approx(0.25)
    assert groups.loc["B", "gini"] == 0.0
    # the 50 unreachable people in B are reported, not silently dropped
    assert groups.loc["B", "people_unreachable_excluded"] == 50
    assert t.loc["overall", "people_unreachable_excluded"] == 50
    pd.testing.assert_frame_equal(df, before)


def test_equity_decomposition_identity_random():
    rng = np.random.default_rng(11)
    df = pd.DataFrame(
        {
            "k": rng.choice(list("abcde"), 300),
            "travel_time_min": rng.gamma(2.0, 20.0, 300),
            "population": rng.uniform(50, 5000, 300),
        }
    )
    t = metrics.equity_table(df, by="k").set_index("scope")
    assert t.loc["overall", "theil"] == pytest.approx(
        t.loc["between", "theil"] + t.loc["within", "theil"], rel=1e-12
    )
    assert t.loc["group", "theil_share"].sum() == pytest.approx(t.loc["within", "theil_share"])


def test_poverty_relation_hand_case():
    # time = 2 * poverty exactly -> r = 1, slope 2 min per point, intercept 0
    df = pd.DataFrame(
        {
            "travel_time_min": [20.0, 40.0, 60.0, 30.0],
            "population": [100.0, 100.0, 100.0, 100.0],
            "poverty_rate": [10.0, 20.0, 30.0, np.nan],
        }
    )
    r = metrics.poverty_relation(df, "travel_time_min", "population", "poverty_rate")
    assert r["n_units"] == 3
    assert r["n_units_excluded"] == 1  # the desa without a poverty rate
    assert r["weighted_correlation"] == pytest.approx(1.0)
    assert r["slope_min_per_poverty_point"] == pytest.approx(2.0)
    assert r["intercept_min"] == pytest.approx(0.0, abs=1e-9)
    assert "longer" in r["note"] and "strong" in r["note"] and "not show cause" in r["note"]
    few = metrics.poverty_relation(df.head(2), poverty_col="poverty_rate")
    assert math.isnan(few["weighted_correlation"]) and "Not enough" in few["note"]


def test_referral_chain_hand_case():
    home = pd.DataFrame(
        {
            "desa": ["A", "B", "C", "D"],
            "travel_time_min": [10.0, 20.0, np.nan, 5.0],
            "facility_id": ["P1", "P2", None, "P1"],
        }
    )
    fth = pd.DataFrame(
        {
            "origin_id": ["P1", "P2"],
            "facility_id": ["H1", None],
            "travel_time_min": [30.0, np.nan],
        }
    )
    before = home.copy()
    out = metrics.referral_chain(home, fth)
    # A: 10 + 30 = 40; B: P2 reaches no hospital -> NaN; C: unreachable -> NaN;
    # D: 5 + 30 = 35
    np.testing.assert_allclose(out["referral_time_min"], [40.0, np.nan, np.nan, 35.0])
    assert out["hospital_id"].tolist()[0] == "H1"
    assert out["travel_time_puskesmas_to_hospital_min"].iloc[0] == 30.0
    pd.testing.assert_frame_equal(home, before)
    # puskesmas ids on the index instead of a column
    out2 = metrics.referral_chain(home, fth.set_index("origin_id"), referral_from_col=None)
    np.testing.assert_allclose(out2["referral_time_min"], out["referral_time_min"])


def test_referral_chain_warns_on_unknown_puskesmas():
    home = pd.DataFrame({"travel_time_min": [10.0], "facility_id": ["P9"]})
    fth = pd.DataFrame({"origin_id": ["P1"], "facility_id": ["H1"], "travel_time_min": [30.0]})
    with pytest.warns(GeoAccessWarning, match="P9"):
        out = metrics.referral_chain(home, fth)
    assert np.isnan(out["referral_time_min"].iloc[0])


def test_cumulative_coverage_hand_case():
    df = pd.DataFrame({"travel_time_min": [10.0, 40.0, np.nan], "population": [100, 300, 100]})
    c = metrics.cumulative_coverage(df)
    # total 500 (unreachable included): 0 min -> 0; 10 min -> 100/500 = 0.2;
    # 40 min -> 400/500 = 0.8; never reaches 1 because 100 people are unreachable
    assert c["travel_time_min"].tolist() == [0.0, 10.0, 40.0]
    assert c["share_within"].tolist() == pytest.approx([0.0, 0.2, 0.8])
    g = metrics.cumulative_coverage(df, minutes=[5, 30, 60])
    assert g["people_within"].tolist() == [0.0, 100.0, 400.0]


def test_cumulative_coverage_by_group():
    df = _three_desa()
    c = metrics.cumulative_coverage(df, by="kecamatan")
    k2 = c[c["kecamatan"] == "K2"]
    assert k2["share_within"].tolist() == [0.0, 1.0]  # 700 people at 90 min


def test_categorical_group_keys_keep_missing_rows():
    # 3 people: 1 in kecamatan "a", 2 whose kecamatan is unknown (NaN in a categorical)
    df = pd.DataFrame(
        {
            "t": [10.0, 20.0, 70.0],
            "p": [1.0, 1.0, 1.0],
            "k": pd.Categorical(["a", None, None]),
        }
    )
    s = metrics.summarize_access(df, time_col="t", pop_col="p", by="k")
    assert s["population"].sum() == 3.0
    assert s["people_beyond_60_min"].sum() == 1.0


@pytest.mark.parametrize("categories", [None, ["k3", "k2", "k1", "k0", "unused"]])
def test_categorical_groups_give_the_tables_of_plain_text_groups(categories):
    # the runs keep desa / kecamatan codes as categories (grouped by their codes);
    # the tables must equal those of the same codes as text: same groups, same order
    # (sorted by value whatever the category order), a missing key as its own last group
    from geoaccess.analysis import metrics

    rng = np.random.default_rng(7)
    keys = rng.choice(np.array(["k0", "k1", "k2", "k3", None], dtype=object), size=400)
    df = pd.DataFrame(
        {
            "travel_time_min": np.where(rng.random(400) < 0.1, np.nan, rng.gamma(2.0, 20.0, 400)),
            "population": rng.integers(0, 50, 400).astype(float),
            "g": keys,
        }
    )
    cat = df.assign(g=pd.Categorical(df["g"], categories=categories))
    plain, coded = metrics.summarize_access(df, by="g"), metrics.summarize_access(cat, by="g")
    pd.testing.assert_frame_equal(coded.astype({"g": object}), plain.astype({"g": object}))
    assert plain["g"].iloc[:4].tolist() == ["k0", "k1", "k2", "k3"] and pd.isna(plain["g"].iloc[4])
    pd.testing.assert_frame_equal(metrics.equity_table(cat, by="g"), metrics.equity_table(df, by="g"))


def test_categories_of_text_and_numbers_group_like_plain_values():
    # numpy cannot order 'b' against 1: the plain-object grouping does, and so must
    # a categorical column of such keys
    from geoaccess.analysis import metrics

    df = pd.DataFrame(
        {"travel_time_min": [10.0, 20.0, 30.0], "population": [1.0, 2.0, 3.0], "g": ["b", 1, "a"]}
    )
    cat = df.assign(g=pd.Categorical(df["g"]))
    assert metrics.summarize_access(cat, by="g")["g"].tolist() == [1, "a", "b"]
    assert metrics.summarize_access(df, by="g")["g"].tolist() == [1, "a", "b"]
