import math

import pytest

from analysis import swedish
from analysis.swedish import NBSP


class TestPercent:
    def test_two_thirds_reads_66_7(self):
        assert swedish.percent(26 / 39) == f"66,7{NBSP}%"

    def test_whole_percent(self):
        assert swedish.percent(22 / 39, 0) == f"56{NBSP}%"

    def test_rounds_half_up(self):
        assert swedish.percent(0.125, 0) == f"13{NBSP}%"
        assert swedish.percent(0.0005, 1) == f"0,1{NBSP}%"

    def test_missing_value_is_refused(self):
        with pytest.raises(swedish.MissingNumberError):
            swedish.percent(math.nan)


class TestNumber:
    def test_thousands_separator_is_non_breaking_space(self):
        assert swedish.number(1250) == f"1{NBSP}250"
        assert swedish.number(1234567) == f"1{NBSP}234{NBSP}567"

    def test_decimal_comma(self):
        assert swedish.number(2.675, 2) == "2,68"
        assert swedish.number(1234.5, 1) == f"1{NBSP}234,5"

    def test_negative_uses_minus_sign(self):
        assert swedish.number(-3.4) == "−3"

    def test_small_numbers_have_no_separator(self):
        assert swedish.number(999) == "999"


def test_percent_points_signed():
    assert swedish.percent_points(0.123) == f"+12,3{NBSP}procentenheter"
    assert swedish.percent_points(-0.05) == f"−5,0{NBSP}procentenheter"


def test_count_of():
    assert swedish.count_of(26, 39) == "26 av 39"


def test_decimals_follow_the_base():
    from analysis.errors import NumberError
    from analysis.numbers import decimals_for_base

    assert [decimals_for_base(N) for N in (10, 39, 43, 99, 100, 290)] == [0, 0, 0, 0, 1, 1]
    assert swedish.percent_on(26 / 39, 39) == "67\u00a0%"
    assert swedish.percent_on(260 / 390, 390) == "66,7\u00a0%"
    with pytest.raises(NumberError):
        swedish.percent_on(7 / 8, 8)  # "7 av 8", never "87,5 %"
