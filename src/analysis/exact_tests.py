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
(ÖJ) or being a whole county (Dalarna); a p-value describes the table, it does not generalise.
"""
from fractions import Fraction
from math import comb, factorial, prod

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from . import breakdowns

TEST_COLUMNS = ["source", "breakdown", "indicator", "groups_with_data", "n_total", "p_value", "p_holm", "note"]
EXPLORATORY = "explorativ: små grupper"
MAX_TABLES = 2_000_000


def _as_table(table) -> np.ndarray:
    array = np.asarray(table)
    if array.ndim != 2:
        raise ValueError("a contingency table must be two-dimensional")
    if array.size and (np.any(array < 0) or np.any(array != np.round(array))):
        raise ValueError("a contingency table holds non-negative integers")
    return array.astype(np.int64)


def fisher_2x2(table) -> float:
    """Two-sided Fisher exact p for [[a, b], [c, d]]: the summed hypergeometric probability of
    every table with the same margins that is no more probable than the observed one."""
    t = _as_table(table)
    if t.shape != (2, 2):
        raise ValueError(f"fisher_2x2 needs a 2×2 table, got {t.shape}")
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
        rest = sum(remaining_cols[j + 1:])
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
            raise ValueError(f"more than {MAX_TABLES} tables with these margins: too large for enumeration")
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

def _not_testable(reason: str) -> str:
    return f"{EXPLORATORY}; not testable: {reason}"


def association_tests(long: pd.DataFrame, *, source: str, breakdown: str, outcomes: list,
                      missing: list | tuple = (), indicator_col: str = "indicator",
                      group_col: str = "group", outcome_col: str = "outcome") -> pd.DataFrame:
    """Per indicator, an exact test of group × outcome (Fisher for 2×2, Freeman–Halton otherwise)
    on the rows whose outcome is in `outcomes`. Rows whose outcome is in `missing` are missing
    data: dropped, never counted as any outcome. Any other outcome is an error.

    Skipped (p empty, reason in note) where fewer than two groups have observations or the
    outcome does not vary. Holm adjustment over the indicators tested in this call."""
    unknown = sorted(set(long[outcome_col].astype(str)) - {str(o) for o in outcomes} - {str(m) for m in missing})
    if unknown:
        raise ValueError(f"{source}/{breakdown}: outcomes {unknown} are neither tested outcomes "
                         f"{list(outcomes)} nor declared missing {list(missing)}")
    if long[group_col].isna().any():
        raise ValueError(f"{source}/{breakdown}: rows without a group")
    records = []
    for indicator, rows in long.groupby(indicator_col, sort=True):
        observed = rows[rows[outcome_col].astype(str).isin([str(o) for o in outcomes])]
        n_missing = len(rows) - len(observed)
        table = pd.crosstab(observed[group_col], observed[outcome_col].astype(str)) if len(observed) else pd.DataFrame()
        groups_with_data = int((table.sum(axis=1) > 0).sum()) if len(table) else 0
        present = [str(o) for o in outcomes if str(o) in table.columns and table[str(o)].sum() > 0]
        p, note = float("nan"), EXPLORATORY
        if len(observed) == 0:
            note = _not_testable("no observations" + (f" (only {'/'.join(map(str, missing))})" if n_missing else ""))
        elif len(present) < 2:
            only = present[0] if present else "—"
            if n_missing:
                shown = "/".join([only] + [str(m) for m in missing if (rows[outcome_col].astype(str) == str(m)).any()])
                note = _not_testable(f"only {shown}")
            else:
                note = _not_testable(f"outcome does not vary (only {only})")
        elif groups_with_data < 2:
            note = _not_testable("fewer than two groups with observations")
        else:
            matrix = table.loc[table.sum(axis=1) > 0, present].to_numpy()
            p = fisher_2x2(matrix) if matrix.shape == (2, 2) else freeman_halton(matrix)
        records.append({"source": source, "breakdown": breakdown, "indicator": str(indicator),
                        "groups_with_data": groups_with_data, "n_total": int(len(observed)),
                        "p_value": p, "p_holm": float("nan"), "note": note})
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
    return out.reset_index(drop=True)


def oj_tests(tables: dict, reference, source: str = "skl_2016") -> pd.DataFrame:
    """ÖJ 2015: per indicator, group (befolkningsgrupp; kommungrupp_2017) × value (ja/delvis/nej)
    across the 8 municipalities. Holm within each breakdown (60 indicators, untested excluded)."""
    munis = breakdowns.oj_municipalities(tables, reference)
    values = tables["oj_values"][["kommun", "indicator", "value"]].copy()
    values["outcome"] = pd.to_numeric(values["value"]).astype(int).map(breakdowns.OJ_CATEGORIES)
    parts = []
    for breakdown in ["befolkningsgrupp", "kommungrupp_2017"]:
        group_of = dict(zip(munis["kommun"], munis[breakdown].astype(str)))
        long = values.assign(group=values["kommun"].map(group_of))
        parts.append(association_tests(long, source=source, breakdown=breakdown,
                                       outcomes=["ja", "delvis", "nej"]))
    return pd.concat(parts, ignore_index=True)


def dalarna_tests(tables: dict, reference, source: str = "dalarna_2020",
                  population_column: str = "folkmangd_2019") -> pd.DataFrame:
    """Dalarna: per code, group (kommungrupp_2017; population_band) × yes/no. `not_reported` is
    missing, never `no`; yes is never tested against not_reported. With 0 `no` codes in the
    data, every code is 'not testable: only yes/not_reported'."""
    munis = breakdowns.dalarna_municipalities(tables, reference, population_column)
    coding = tables["coding"]
    breakdowns.check_coding_grid(coding, munis["kommun"])
    parts = []
    for breakdown in ["kommungrupp_2017", "population_band"]:
        group_of = dict(zip(munis["kommun"], munis[breakdown].astype(str)))
        long = pd.DataFrame({"indicator": coding["code"].astype(str),
                             "group": coding["kommun"].map(group_of),
                             "outcome": coding["status"].astype(str)})
        parts.append(association_tests(long, source=source, breakdown=breakdown,
                                       outcomes=["yes", "no"], missing=["not_reported"]))
    return pd.concat(parts, ignore_index=True)


def sormland_tests(tables: dict, source: str = "sormland_2019") -> pd.DataFrame:
    """Sörmland: nothing is testable by size class; the rows say why."""
    n_classes = tables["municipalities"]["size_class"].nunique()
    reasons = {
        "development_areas": (
            f"class-level lists: Tabell 1 has one cell per size class ({n_classes} classes), not one "
            "outcome per municipality; an empty cell is 'not listed', not 'no'"),
        "lansdel_role": (
            "convener vs invited is not an outcome: the convener is the largest municipality of its "
            "länsdel by construction (report line 617)"),
        "statements": (
            "named-municipality statements are examples only; absence is never reported"),
    }
    records = [{"source": source, "breakdown": "size_class", "indicator": indicator,
                "groups_with_data": pd.NA, "n_total": pd.NA, "p_value": float("nan"),
                "p_holm": float("nan"), "note": _not_testable(reason)} for indicator, reason in reasons.items()]
    return _typed(pd.DataFrame(records, columns=TEST_COLUMNS))


def stockholm_tests(tables: dict | None = None, source: str = "stockholm_2008") -> pd.DataFrame:
    record = {"source": source, "breakdown": "all", "indicator": "all", "groups_with_data": pd.NA,
              "n_total": pd.NA, "p_value": float("nan"), "p_holm": float("nan"),
              "note": _not_testable("county totals only (no municipality- or group-level figures)")}
    return _typed(pd.DataFrame([record], columns=TEST_COLUMNS))


def all_tests(tables_by_source: dict, reference) -> pd.DataFrame:
    """The tests (and not-testable records) for every source present."""
    parts = []
    if "skl_2016" in tables_by_source:
        parts.append(oj_tests(tables_by_source["skl_2016"], reference))
    if "dalarna_2020" in tables_by_source:
        parts.append(dalarna_tests(tables_by_source["dalarna_2020"], reference))
    if "sormland_2019" in tables_by_source:
        parts.append(sormland_tests(tables_by_source["sormland_2019"]))
    if "stockholm_2008" in tables_by_source:
        parts.append(stockholm_tests(tables_by_source["stockholm_2008"]))
    if not parts:
        return _typed(pd.DataFrame(columns=TEST_COLUMNS))
    return pd.concat(parts, ignore_index=True)
