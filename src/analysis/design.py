"""Inference that fits how a source's units were chosen.

Every source in the config has a `design`:

- `census`: every unit of the population was covered (e.g. every municipality or district of a
  county). The shares *are* the population values; a sampling interval
  would be meaningless, so none is given.
- `purposive`: a chosen selection (SKL's 8 high-scoring municipalities, the 43 key persons).
  There is no sampling distribution to base an interval on, and the shares do not generalise
  to any population, so no interval is given either.
- `random_sample`: a probability sample. Only here is a confidence interval for the share
  computed (Wilson by default, Clopper–Pearson "beta" as an option, via statsmodels).

`design_by_indicator` in a source's config overrides the design for single indicators.
"""

import math

from statsmodels.stats.proportion import proportion_confint

from .errors import ConfigError, MissingConfigError

DESIGNS = ("census", "random_sample", "purposive")
METHODS = ("wilson", "beta")  # statsmodels names: Wilson score, Clopper–Pearson exact
SMALL_BASE = 10  # a base under this is flagged: one unit moves the share by more than 10 points


def _checked_design(design, where: str) -> str:
    """`design` if it is a known design, else ValueError naming `where`."""
    if design not in DESIGNS:
        raise ConfigError(f"{where}: design {design!r} is not one of {', '.join(DESIGNS)}")
    return design


def design_for(source_config: dict, indicator: str) -> str:
    """The design that applies to `indicator`: the source's `design`, unless the source's
    `design_by_indicator` names this indicator."""
    name = source_config.get("title", "source")
    if "design" not in source_config:
        raise MissingConfigError(f"{name}: the source config has no 'design' (one of {', '.join(DESIGNS)})")
    overrides = source_config.get("design_by_indicator") or {}
    if not isinstance(overrides, dict):
        raise ConfigError(f"{name}: design_by_indicator must map indicator ids to designs")
    if indicator in overrides:
        return _checked_design(overrides[indicator], f"{name}, design_by_indicator[{indicator!r}]")
    return _checked_design(source_config["design"], name)


def _missing(value) -> bool:
    """True for None, NaN and pandas.NA."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and pandas.NA (NA != NA is NA → bool raises)
    except TypeError:
        return True


def _whole(value, name: str) -> int:
    """`value` as int; ValueError if it is not a whole number."""
    number = float(value)
    if not number.is_integer():
        raise ValueError(f"interval: {name} = {value!r} is not a whole number")
    return int(number)


def interval(n, N, design: str, method: str = "wilson", alpha: float = 0.05) -> tuple[float, float]:
    """(low, high) confidence interval for the share n/N as fractions, or (NaN, NaN).

    Only a `random_sample` gets an interval: `method="wilson"` (Wilson score, default) or
    `"beta"` (Clopper–Pearson exact), from statsmodels' `proportion_confint` at level 1 − alpha.
    A census or a purposive selection gets (NaN, NaN), and so does a share without n or N.
    Impossible input (n < 0, N < 1, n > N, non-integers, unknown design or method) raises."""
    _checked_design(design, "interval")
    if method not in METHODS:
        raise ValueError(f"interval: method {method!r} is not one of {', '.join(METHODS)}")
    if _missing(n) or _missing(N):
        return (math.nan, math.nan)
    n, N = _whole(n, "n"), _whole(N, "N")
    if N < 1 or n < 0 or n > N:
        raise ValueError(f"interval: impossible count n = {n} on base N = {N}")
    if design != "random_sample":
        return (math.nan, math.nan)
    low, high = proportion_confint(n, N, alpha=alpha, method=method)
    return (float(low), float(high))


def small_base(N) -> bool:
    """True when the base is known and under SMALL_BASE (shares on it move in big steps)."""
    return not _missing(N) and float(N) < SMALL_BASE
