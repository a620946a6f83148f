"""Numbers, exactly: the one home of rounding half up, percent from counts and "which counts give
this printed percent". Everything here works on exact rationals (fractions.Fraction); a float is
read through its shortest printed form (0.1 → 1/10), as a printed figure is meant. Formatting for
readers (decimal comma, spaces) is analysis.swedish, which rounds through here.
"""

import math
from decimal import Decimal
from fractions import Fraction

from .errors import NumberError


def missing(value) -> bool:
    """True for None, NaN and pandas.NA."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA
        return True


def exact(value) -> Fraction:
    """A number exactly as printed (72.9 → 729/10, not the binary float); Fractions, ints and
    Decimals as they are."""
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    if missing(value):
        raise NumberError("cannot take a missing value as a number; handle it first")
    return Fraction(Decimal(repr(float(value))))


def printed_decimals(percent) -> int:
    """Decimals of a printed percent: 67 → 0, 72.9 → 1, 16.28 → 2 (trailing zeros are not kept
    by the transcription's number type, so '72,90' would count as 1)."""
    exponent = Decimal(repr(float(percent))).normalize().as_tuple().exponent
    return max(0, -exponent)


def round_half_up(value, decimals: int = 0) -> Fraction:
    """`value` rounded to `decimals` places, halves away from zero (26/39 = 66,67 → 67,
    12,5 → 13, −2,5 → −3), as the reports round. Exact."""
    x, scale = exact(value), 10**decimals
    sign = -1 if x < 0 else 1
    return sign * Fraction(math.floor(abs(x) * scale + Fraction(1, 2)), scale)


def decimal_text(value, decimals: int = 0) -> str:
    """Plain digits of `value` rounded half up to exactly `decimals` places: 2/3, 1 → '0.7'."""
    rounded = round_half_up(value, decimals)
    return f"{Decimal(rounded.numerator) / Decimal(rounded.denominator):.{decimals}f}"


SMALLEST_PERCENT_BASE = 10
"""No percentage on a base under this: "7 av 8", never "87,5 %"."""

WHOLE_PERCENT_BELOW = 100
"""Whole percent where the base is under this; one decimal from it on."""


def decimals_for_base(N) -> int:
    """Decimals of a share printed for the report on base N: 0 where N < 100 (a census of 39 units
    does not carry a decimal), 1 from 100 on. A base under 10 takes no percentage at all."""
    N = int(N)
    if N < SMALLEST_PERCENT_BASE:
        raise NumberError(f"no percentage on a base of {N} (under {SMALLEST_PERCENT_BASE}); say n av N")
    return 0 if N < WHOLE_PERCENT_BELOW else 1


def percent_of(n: int, N: int, decimals: int = 0) -> Fraction:
    """100·n/N rounded half up to `decimals`, exactly."""
    if int(N) <= 0:
        raise NumberError(f"a percent needs a positive base N, got {N}")
    return round_half_up(Fraction(100 * int(n), int(N)), decimals)


def counts_fitting_percent(percent, N: int) -> list[int]:
    """Every integer k in 0..N whose percent k/N, rounded half up to the printed precision,
    equals the printed `percent`."""
    decimals, target = printed_decimals(percent), exact(percent)
    return [k for k in range(int(N) + 1) if percent_of(k, N, decimals) == target]


def nearest_counts(percent, N: int) -> list[int]:
    """The counts just below and above the printed percent on base N (for notes)."""
    below = math.floor(exact(percent) * int(N) / 100)
    return [k for k in (below, below + 1) if 0 <= k <= int(N)]


def fmt_percent(value: Fraction) -> str:
    """Plain-text percent for notes (not for the report): 66.67."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")
