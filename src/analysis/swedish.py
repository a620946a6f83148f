"""Swedish number formatting, used by tables, prose and figures alike.

Decimal comma, a non-breaking space before %, and a non-breaking space as thousands separator:
66,7 %, 1 250.
"""

import math

from .numbers import decimal_text, decimals_for_base

NBSP = "\u00a0"


class MissingNumberError(ValueError):
    """Raised when a missing value (None/NaN) is about to be formatted as a number."""


def _check(value) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise MissingNumberError("cannot format a missing value as a number; handle it before formatting")
    return value


def number(value, decimals: int = 0) -> str:
    """1250 → '1 250', 0.5 with decimals=1 → '0,5'. Rounds half away from zero."""
    value = _check(value)
    digits = decimal_text(abs(value), decimals)
    sign = "−" if value < 0 and set(digits) - {"0", "."} else ""
    whole, _, fraction = digits.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups)
    return sign + text + ("," + fraction if decimals else "")


def percent(share, decimals: int = 1) -> str:
    """A share (0–1) as Swedish percent: 26/39 → '66,7 %'."""
    return number(100 * _check(share), decimals) + NBSP + "%"


def percent_on(share, base) -> str:
    """A share (0–1) of a base N as Swedish percent with the report's precision for that base
    (analysis.numbers.decimals_for_base): 26/39 → '67 %', 260/390 → '66,7 %'. Raises NumberError
    for a base under 10, where only 'n av N' may be printed."""
    return percent(share, decimals_for_base(base))


def percent_points(difference, decimals: int = 1) -> str:
    """A difference of shares as percentage points with sign: 0.123 → '+12,3 procentenheter'."""
    difference = _check(difference)
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    return sign + number(abs(100 * difference), decimals) + NBSP + "procentenheter"


def count_of(n, total) -> str:
    """'26 av 39'."""
    return f"{number(n)} av {number(total)}"
