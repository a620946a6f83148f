"""Exact tests of association between a municipality group and an outcome, for tiny tables.

* fisher_2x2: Fisher's exact test, two-sided (hypergeometric, tables no more probable than the
  observed one), implemented here and checked against scipy.stats.fisher_exact in the tests.
* freeman_halton: the r×c generalisation, by enumerating every table with the observed margins.
  SciPy's `fisher_exact` only handles r×c through permutation / Monte Carlo resampling
  (`method=`, SciPy ≥ 1.15), not by exact enumeration, so the enumeration is done here. Exact
  rational arithmetic (integers and fractions) is used, so "as or less probable than the observed
  table" involves no floating-point tolerance.
* holm: Holm's step-down adjustment via statsmodels `multipletests(method="holm")`.

Everything here is exploratory: the groups hold one to eight municipalities, chosen purposively
(OJ) or being a whole county; a p-value describes the table, it does not generalise.

Which sources are tested follows their config: the declared `breakdowns`, by the shape of their
tables (as in analysis.breakdowns); what a shape cannot test gets a 'not testable' record with a
reason code (`reason`, worded in report/text/<locale>/codes.yml) and the source's own detail
(`not_testable` in the config). tests.csv: `method` is the test run (fisher_2x2, freeman_halton)
or empty, `reason` the code of why not, `outcomes` the outcomes seen when that is the reason
('ja', 'yes/not_reported').
"""

from fractions import Fraction
from math import comb, factorial, prod

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from . import breakdowns as bd
from . import texts
from .errors import ConfigError, TableShapeError

TEST_COLUMNS = "source breakdown indicator groups_with_data n_total p_value p_holm note method reason outcomes".split()
# Why an indicator was not tested: reason code → the English note (the report's words are in
# report/text/<locale>/codes.yml, section tests).
REASONS = {
    "no_observations": "no observations",
    "no_observations_only_missing": "no observations (only {missing})",
    "only_outcome_and_missing": "only {shown}",
    "outcome_constant": "outcome does not vary (only {only})",
    "fewer_than_two_groups": "fewer than two groups with observations",
    "totals_only": "county totals only (no municipality- or group-level figures)",
}
MAX_TABLES = 2_000_000


def _as_table(table) -> np.ndarray:
    array = np.asarray(table)
    if array.ndim != 2:
        raise TableShapeError("a contingency table must be two-dimensional")
    if array.size and (np.any(array < 0) or np.any(array != np.round(array))):
        raise TableShapeError("a contingency table holds non-negative integers")
    return array.astype(np.int64)


def fisher_2x2(table) -> float:
    """Two-sided Fisher exact p for [[a, b], [c, d]]: the summed hypergeometric probability of
    every table with the same margins that is no more probable than the observed one."""
    t = _as_table(table)
    if t.shape != (2, 2):
        raise TableShapeError(f"fisher_2x2 needs a 2×2 table, got {t.shape}")
    (a, b), (c, d) = t.tolist()
    row1, col1, n = a + b, a + c, a + b + c + d
    if n == 0:
        return 1.0
    total = comb(n, col1)
    low, high = max(0, col1 - (n - row1)), min(row1, col1)
    weights = {x: comb(row1, x) * comb(n - row1, col1 - x) for x in range(low, high + 1)}
    observed = weights[a]
    return float(Fraction(sum(w for w in weights.values() if w <= observed), total))


def _tables_with_margins(rows: list[int], cols: list[int]):
    """Every non-negative integer table with the given row and column sums (generator)."""

    def fill_row(remaining_cols, total, j):
        if j == len(remaining_cols) - 1:
            if total <= remaining_cols[j]:
                yield [total]
            return
        rest = sum(remaining_cols[j + 1 :])
        for x in range(max(0, total - rest), min(total, remaining_cols[j]) + 1):
            for tail in fill_row(remaining_cols, total - x, j + 1):
                yield [x] + tail

    def fill(i, remaining_cols):
        if i == len(rows) - 1:
            yield [list(remaining_cols)]
            return
        for row in fill_row(remaining_cols, rows[i], 0):
            left = [c - x for c, x in zip(remaining_cols, row)]
            for rest in fill(i + 1, left):
                yield [row] + rest

    yield from fill(0, list(cols))


def freeman_halton(table) -> float:
    """Freeman–Halton exact p for an r×c table: over all tables with the observed margins, the
    total probability of those no more probable than the observed one. Under fixed margins a
    table's probability is (Π row! Π col!) / (n! Π cell!), so 'no more probable' is exactly
    Π cell! ≥ Π observed cell!. Rows and columns that are all zero are dropped first (they do not
    change the p-value); a table with fewer than two non-empty rows or columns gives p = 1."""
    t = _as_table(table)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0] if t.size else t
    if t.shape[0] < 2 or t.shape[1] < 2:
        return 1.0
    rows, cols = t.sum(axis=1).tolist(), t.sum(axis=0).tolist()
    n = int(sum(rows))
    constant = Fraction(prod(factorial(r) for r in rows) * prod(factorial(c) for c in cols), factorial(n))
    observed = prod(factorial(int(x)) for x in t.ravel())
    p = Fraction(0)
    count = 0
    for candidate in _tables_with_margins(rows, cols):
        count += 1
        if count > MAX_TABLES:
            raise TableShapeError(f"more than {MAX_TABLES} tables with these margins: too large for enumeration")
        weight = prod(factorial(x) for row in candidate for x in row)
        if weight >= observed:
            p += Fraction(1, weight)
    return float(min(constant * p, Fraction(1)))


def holm(pvalues) -> np.ndarray:
    """Holm-adjusted p-values (statsmodels multipletests, method='holm'), in input order.
    Missing p-values (NaN/None: untested) stay missing and do not count as tests."""
    p = np.asarray(pd.to_numeric(pd.Series(list(pvalues), dtype="object")), dtype="float64")
    out = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    if tested.any():
        out[tested] = multipletests(p[tested], method="holm")[1]
    return out


# ---------------------------------------------------------------------------------------------
# Group × outcome per indicator
# ---------------------------------------------------------------------------------------------


def _exploratory() -> str:
    """The note of every test row (report/text/<locale>/codes.yml `tests.exploratory`)."""
    return texts.get("codes", "tests.exploratory")


def _not_testable(reason: str) -> str:
    return f"{_exploratory()}; not testable: {reason}"


def _reason(code: str, outcomes: str | None = None, **fields) -> tuple[str, str | None, str]:
    """(reason code, outcomes seen, note) for an untested indicator."""
    return code, outcomes, _not_testable(REASONS[code].format(**fields))


def association_tests(
    long: pd.DataFrame,
    *,
    source: str,
    breakdown: str,
    outcomes: list,
    missing: list | tuple = (),
    indicator_col: str = "indicator",
    group_col: str = "group",
    outcome_col: str = "outcome",
) -> pd.DataFrame:
    """Per indicator, an exact test of group × outcome (Fisher for 2×2, Freeman–Halton otherwise)
    on the rows whose outcome is in `outcomes`. Rows whose outcome is in `missing` are missing
    data: dropped, never counted as any outcome. Any other outcome is an error.

    Skipped (p empty, reason in note) where fewer than two groups have observations or the
    outcome does not vary. Holm adjustment over the indicators tested in this call."""
    unknown = sorted(set(long[outcome_col].astype(str)) - {str(o) for o in outcomes} - {str(m) for m in missing})
    if unknown:
        raise TableShapeError(
            f"{source}/{breakdown}: outcomes {unknown} are neither tested outcomes "
            f"{list(outcomes)} nor declared missing {list(missing)}"
        )
    if long[group_col].isna().any():
        raise TableShapeError(f"{source}/{breakdown}: rows without a group")
    records = []
    for indicator, rows in long.groupby(indicator_col, sort=True):
        observed = rows[rows[outcome_col].astype(str).isin([str(o) for o in outcomes])]
        n_missing = len(rows) - len(observed)
        table = pd.crosstab(observed[group_col], observed[outcome_col].astype(str)) if len(observed) else pd.DataFrame()
        groups_with_data = int((table.sum(axis=1) > 0).sum()) if len(table) else 0
        present = [str(o) for o in outcomes if str(o) in table.columns and table[str(o)].sum() > 0]
        p, note, method, reason, seen = float("nan"), _exploratory(), None, None, None
        if len(observed) == 0:
            gone = "/".join(map(str, missing))
            reason, seen, note = (
                _reason("no_observations_only_missing", gone, missing=gone) if n_missing else _reason("no_observations")
            )
        elif len(present) < 2:
            only = present[0] if present else "—"
            if n_missing:
                shown = "/".join([only] + [str(m) for m in missing if (rows[outcome_col].astype(str) == str(m)).any()])
                reason, seen, note = _reason("only_outcome_and_missing", shown, shown=shown)
            else:
                reason, seen, note = _reason("outcome_constant", only, only=only)
        elif groups_with_data < 2:
            reason, seen, note = _reason("fewer_than_two_groups")
        else:
            matrix = table.loc[table.sum(axis=1) > 0, present].to_numpy()
            method = "fisher_2x2" if matrix.shape == (2, 2) else "freeman_halton"
            p = fisher_2x2(matrix) if method == "fisher_2x2" else freeman_halton(matrix)
        records.append(
            {
                "source": source,
                "breakdown": breakdown,
                "indicator": str(indicator),
                "groups_with_data": groups_with_data,
                "n_total": int(len(observed)),
                "p_value": p,
                "p_holm": float("nan"),
                "note": note,
                "method": method,
                "reason": reason,
                "outcomes": seen,
            }
        )
    out = pd.DataFrame(records, columns=TEST_COLUMNS)
    if len(out):
        out["p_holm"] = holm(out["p_value"])
    return _typed(out)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[TEST_COLUMNS].copy()
    out["groups_with_data"] = out["groups_with_data"].astype("Int64")
    out["n_total"] = out["n_total"].astype("Int64")
    out["p_value"] = pd.to_numeric(out["p_value"]).astype("float64")
    out["p_holm"] = pd.to_numeric(out["p_holm"]).astype("float64")
    for column in ["method", "reason", "outcomes"]:
        out[column] = out[column].astype("object").where(out[column].notna(), None)
    return out.reset_index(drop=True)


def oj_tests(tables: dict, reference, *, source: str, breakdowns=bd.OJ_BREAKDOWNS, **_) -> pd.DataFrame:
    """An OJ matrix: per indicator, group (each declared breakdown) × value (ja/delvis/nej)
    across the municipalities. Holm within each breakdown (untested indicators excluded)."""
    munis = bd.oj_municipalities(tables, reference)
    values = tables["oj_values"][["kommun", "indicator", "value"]].copy()
    values["outcome"] = pd.to_numeric(values["value"]).astype(int).map(bd.OJ_CATEGORIES)
    parts = []
    for breakdown in breakdowns:
        group_of = dict(zip(munis["kommun"], munis[breakdown].astype(str)))
        long = values.assign(group=values["kommun"].map(group_of))
        parts.append(
            association_tests(long, source=source, breakdown=breakdown, outcomes=list(bd.OJ_CATEGORIES.values()))
        )
    return pd.concat(parts, ignore_index=True)


def coding_tests(
    tables: dict,
    reference,
    *,
    source: str,
    breakdowns=bd.MUNICIPALITY_BREAKDOWNS,
    population_column: str | None = None,
    **_,
) -> pd.DataFrame:
    """An interview coding sheet: per code, group (each declared breakdown) × yes/no.
    `not_reported` is missing, never `no`; yes is never tested against not_reported. With 0 `no`
    codes in the data, every code is 'not testable: only yes/not_reported'."""
    munis = bd.coding_municipalities(tables, reference, population_column or "folkmangd_2019")
    coding = tables["coding"]
    bd.check_coding_grid(coding, munis["kommun"])
    parts = []
    for breakdown in breakdowns:
        group_of = dict(zip(munis["kommun"], munis[breakdown].astype(str)))
        long = pd.DataFrame(
            {
                "indicator": coding["code"].astype(str),
                "group": coding["kommun"].map(group_of),
                "outcome": coding["status"].astype(str),
            }
        )
        parts.append(
            association_tests(
                long, source=source, breakdown=breakdown, outcomes=["yes", "no"], missing=["not_reported"]
            )
        )
    return pd.concat(parts, ignore_index=True)


def _untested(source: str, breakdown: str, indicator: str, reason: str, note: str) -> dict:
    return {
        "source": source,
        "breakdown": breakdown,
        "indicator": indicator,
        "groups_with_data": pd.NA,
        "n_total": pd.NA,
        "p_value": float("nan"),
        "p_holm": float("nan"),
        "note": note,
        "method": None,
        "reason": reason,
        "outcomes": None,
    }


def size_class_tests(
    tables: dict, reference=None, *, source: str, not_testable: dict | None = None, **_
) -> pd.DataFrame:
    """Size classes printed class by class: nothing is testable by size class; one record per
    entry of the source's `not_testable` config (reason code and detail) says why."""
    if not not_testable:
        raise ConfigError(
            f"{source}: size classes cannot be tested; declare `not_testable` "
            "(indicator → reason, detail) in the source's config"
        )
    n_classes = tables["municipalities"]["size_class"].nunique()
    records = [
        _untested(
            source, "size_class", indicator, spec["reason"], _not_testable(spec["detail"].format(groups=n_classes))
        )
        for indicator, spec in not_testable.items()
    ]
    return _typed(pd.DataFrame(records, columns=TEST_COLUMNS))


def totals_only_tests(tables: dict | None = None, reference=None, *, source: str, **_) -> pd.DataFrame:
    """Totals only: one 'not testable' record."""
    reason, _, note = _reason("totals_only")
    return _typed(pd.DataFrame([_untested(source, "all", "all", reason, note)], columns=TEST_COLUMNS))


SHAPE_TESTS = {
    "oj_matrix": oj_tests,
    "coding_sheet": coding_tests,
    "size_classes": size_class_tests,
    "totals_only": totals_only_tests,
}


def source_tests(source: str, source_config: dict, tables: dict, reference) -> pd.DataFrame:
    """The tests (or not-testable records) of one source's declared breakdowns."""
    return bd.dispatch(
        source, source_config, tables, reference, SHAPE_TESTS, _typed(pd.DataFrame(columns=TEST_COLUMNS))
    )


def all_tests(config: dict, tables_by_source: dict, reference) -> pd.DataFrame:
    """The tests (and not-testable records) for every configured source present."""
    return bd.for_every_source(
        config, tables_by_source, reference, source_tests, _typed(pd.DataFrame(columns=TEST_COLUMNS))
    )
