"""Design-aware inference: which design applies, and intervals only for random samples."""

import math

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis import design

Z = 1.959963984540054  # standard normal 97.5 % quantile


def wilson_by_hand(n, N, z=Z):
    p = n / N
    centre = (p + z * z / (2 * N)) / (1 + z * z / N)
    half = z * math.sqrt(p * (1 - p) / N + z * z / (4 * N * N)) / (1 + z * z / N)
    return centre - half, centre + half


def test_design_for_uses_the_source_design():
    assert design.design_for({"design": "census"}, "anything") == "census"


def test_design_by_indicator_overrides_the_source_design():
    config = {"design": "census", "design_by_indicator": {"q2": "random_sample"}}
    assert design.design_for(config, "q2") == "random_sample"
    assert design.design_for(config, "q1") == "census"


@pytest.mark.parametrize(
    "config",
    [
        {"design": "convenience"},
        {"design": "census", "design_by_indicator": {"q": "snowball"}},
    ],
)
def test_unknown_design_is_an_error(config):
    with pytest.raises(ValueError, match="design"):
        design.design_for(config, "q")


def test_missing_design_is_an_error_naming_the_source():
    with pytest.raises(KeyError, match="Stockholm"):
        design.design_for({"title": "Stockholm"}, "q")


def test_wilson_interval_for_a_random_sample_agrees_with_statsmodels_and_by_hand():
    low, high = design.interval(26, 39, "random_sample")
    assert (low, high) == pytest.approx(proportion_confint(26, 39, alpha=0.05, method="wilson"))
    assert (low, high) == pytest.approx(wilson_by_hand(26, 39), abs=1e-9)
    assert low < 26 / 39 < high
    assert (low, high) == pytest.approx((0.5098, 0.7937), abs=1e-4)


def test_clopper_pearson_option_by_hand_for_zero_of_ten():
    low, high = design.interval(0, 10, "random_sample", method="beta")
    assert low == pytest.approx(0.0)
    assert high == pytest.approx(1 - 0.025 ** (1 / 10))  # exact upper bound for 0/n


@pytest.mark.parametrize("kind", ["census", "purposive"])
def test_no_interval_for_census_or_purposive(kind):
    low, high = design.interval(26, 39, kind)
    assert math.isnan(low) and math.isnan(high)


@pytest.mark.parametrize("n, N", [(None, 39), (26, None), (pd.NA, 39), (26, float("nan"))])
def test_no_interval_without_n_or_N(n, N):
    assert all(math.isnan(x) for x in design.interval(n, N, "random_sample"))


@pytest.mark.parametrize("n, N", [(40, 39), (-1, 39), (1, 0), (2.5, 39)])
def test_impossible_counts_raise(n, N):
    with pytest.raises(ValueError):
        design.interval(n, N, "random_sample")


def test_impossible_counts_raise_for_a_census_too():
    with pytest.raises(ValueError, match="n = 40"):
        design.interval(40, 39, "census")


def test_unknown_method_or_design_raises():
    with pytest.raises(ValueError, match="method"):
        design.interval(1, 2, "random_sample", method="wald")
    with pytest.raises(ValueError, match="design"):
        design.interval(1, 2, "sample")


@pytest.mark.parametrize("N, expected", [(9, True), (8, True), (10, False), (39, False), (None, False), (pd.NA, False)])
def test_small_base_flags_bases_under_ten(N, expected):
    assert design.small_base(N) is expected
