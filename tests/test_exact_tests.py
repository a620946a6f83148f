from fractions import Fraction
from itertools import permutations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact, multivariate_hypergeom

from analysis import exact_tests as et
from analysis.errors import ConfigError

SMALL_2X2 = [[[8, 2], [1, 5]], [[6, 2], [1, 4]], [[3, 0], [0, 3]], [[1, 2], [2, 1]], [[0, 5], [4, 1]], [[2, 2], [2, 2]]]


# --- Fisher 2×2 and Freeman–Halton ---------------------------------------------------------------


@pytest.mark.parametrize("table", SMALL_2X2)
def test_fisher_2x2_agrees_with_scipy(table):
    assert et.fisher_2x2(table) == pytest.approx(fisher_exact(table).pvalue, rel=1e-12)


def test_fisher_2x2_documented_value():
    # scipy's docstring example: [[6, 2], [1, 4]] → 0.0163 + 0.0816 + 0.00466 = 0.10256…
    assert et.fisher_2x2([[6, 2], [1, 4]]) == pytest.approx(0.10256410256410257)


@pytest.mark.parametrize("table", SMALL_2X2)
def test_freeman_halton_on_2x2_equals_scipy_two_sided_fisher(table):
    assert et.freeman_halton(table) == pytest.approx(fisher_exact(table).pvalue, rel=1e-12)


def test_freeman_halton_2x3_by_hand():
    # margins rows (3, 3), cols (1, 3, 2): the six tables (first row) have probabilities
    # (1,2,0) .15, (1,1,1) .30, (1,0,2) .05, (0,3,0) .05, (0,2,1) .30, (0,1,2) .15;
    # observed (1,0,2) has .05 → p = .05 + .05 = 0.1
    assert et.freeman_halton([[1, 0, 2], [0, 3, 0]]) == pytest.approx(0.1)
    # margins rows (2, 2), cols (2, 1, 1): probabilities 1/6, 1/3, 1/3, 1/6 → p = 1/3
    assert et.freeman_halton([[2, 0, 0], [0, 1, 1]]) == pytest.approx(1 / 3)


def independent_2xc(table):
    """p-value from scipy's multivariate hypergeometric pmf of the first row."""
    table = np.asarray(table)
    cols, first = table.sum(axis=0), table[0]
    observed = multivariate_hypergeom.pmf(first, m=cols, n=first.sum())
    total = 0.0
    for x in np.ndindex(*(cols + 1)):
        if sum(x) == first.sum():
            p = multivariate_hypergeom.pmf(x, m=cols, n=first.sum())
            if p <= observed * (1 + 1e-9):
                total += p
    return total


@pytest.mark.parametrize("table", [[[8, 2, 3], [1, 5, 4]], [[1, 0, 2], [0, 3, 0]], [[2, 1, 0], [0, 1, 3]]])
def test_freeman_halton_2x3_equals_an_independent_computation(table):
    assert et.freeman_halton(table) == pytest.approx(independent_2xc(table), rel=1e-9)


def by_permutation(table):
    """Exact p by permuting the outcome labels over the units (every permutation equally likely)."""
    table = np.asarray(table)
    groups = [i for i, row in enumerate(table) for _ in range(row.sum())]
    outcomes = [j for row in table for j, count in enumerate(row) for _ in range(count)]

    def prob(t):
        # proportional to 1 / Π cell!
        from math import factorial, prod

        return Fraction(1, prod(factorial(int(x)) for x in np.ravel(t)))

    observed = prob(table)
    hits = total = 0
    for perm in permutations(outcomes):
        t = np.zeros_like(table)
        for g, o in zip(groups, perm):
            t[g, o] += 1
        total += 1
        hits += prob(t) <= observed
    return hits / total


def test_freeman_halton_3x3_equals_a_permutation_count():
    table = [[2, 0, 0], [0, 2, 1], [0, 0, 2]]  # 7 units → 5 040 permutations
    assert et.freeman_halton(table) == pytest.approx(by_permutation(table), rel=1e-12)


def test_empty_rows_and_columns_do_not_change_p():
    assert et.freeman_halton([[1, 0, 2, 0], [0, 0, 0, 0], [0, 3, 0, 0]]) == pytest.approx(0.1)
    assert et.freeman_halton([[3, 0], [2, 0]]) == 1.0


def test_invalid_tables_are_rejected():
    with pytest.raises(ValueError):
        et.freeman_halton([[1, -1], [0, 2]])
    with pytest.raises(ValueError):
        et.fisher_2x2([[1, 2, 3], [1, 2, 3]])


# --- Holm ----------------------------------------------------------------------------------------


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04 → 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06
    assert et.holm([0.01, 0.04, 0.03]).tolist() == pytest.approx([0.03, 0.06, 0.06])


def test_holm_caps_at_one_and_keeps_missing_untested():
    out = et.holm([0.5, float("nan"), 0.4])
    assert np.isnan(out[1])
    assert out[[0, 2]].tolist() == pytest.approx([0.8, 0.8])  # 2·0.4 = 0.8, max(0.8, 0.5)


# --- association tests -------------------------------------------------------------------------


def long(rows):
    return pd.DataFrame(rows, columns=["indicator", "group", "outcome"])


def test_association_tests_test_skip_and_adjust():
    frame = long(
        # i1: group a all ja, group b all nej → 2×2 [[3,0],[0,3]], p = 0.1
        [("i1", "a", "ja")] * 3
        + [("i1", "b", "nej")] * 3
        # i2: no variation
        + [("i2", "a", "ja")] * 3
        + [("i2", "b", "ja")] * 3
        # i3: one group only
        + [("i3", "a", "ja"), ("i3", "a", "nej")]
        # i4: 2×3 case from above
        + [("i4", "a", "ja"), ("i4", "a", "nej"), ("i4", "a", "nej"), ("i4", "b", "delvis")]
        + [("i4", "b", "delvis")] * 2
    )
    raw = et.association_tests(frame, source="s", breakdown="g", outcomes=["ja", "delvis", "nej"])
    assert list(raw.columns) == et.TEST_COLUMNS
    out = raw.set_index("indicator")
    assert out.loc["i1", "p_value"] == pytest.approx(0.1)
    assert out.loc["i4", "p_value"] == pytest.approx(0.1)
    assert (out.loc["i1", "groups_with_data"], out.loc["i1", "n_total"]) == (2, 6)
    assert np.isnan(out.loc["i2", "p_value"]) and "does not vary" in out.loc["i2", "note"]
    assert np.isnan(out.loc["i3", "p_value"]) and "fewer than two groups" in out.loc["i3", "note"]
    # Holm over the two tested indicators only: 2·0.1
    assert out.loc["i1", "p_holm"] == pytest.approx(0.2) and out.loc["i4", "p_holm"] == pytest.approx(0.2)
    assert np.isnan(out.loc["i2", "p_holm"])
    assert out["note"].str.startswith("explorativ: små grupper").all()
    # layers talk in data: the test run and the reason code, not only the sentence
    assert out["method"].to_dict() == {"i1": "fisher_2x2", "i2": None, "i3": None, "i4": "freeman_halton"}
    assert out["reason"].to_dict() == {"i1": None, "i2": "outcome_constant", "i3": "fewer_than_two_groups", "i4": None}


def test_yes_is_never_tested_against_not_reported():
    # group a all yes, group b all not_reported: as "yes vs no" this would look like a perfect split
    frame = long([("c", "a", "yes")] * 4 + [("c", "b", "not_reported")] * 4)
    out = et.association_tests(frame, source="d", breakdown="g", outcomes=["yes", "no"], missing=["not_reported"])
    row = out.iloc[0]
    assert np.isnan(row["p_value"]) and np.isnan(row["p_holm"])
    assert "not testable: only yes/not_reported" in row["note"]
    assert row["reason"] == "only_outcome_and_missing" and row["method"] is None
    assert (row["groups_with_data"], row["n_total"]) == (1, 4)


def test_yes_vs_no_is_tested_and_not_reported_left_out():
    frame = long([("c", "a", "yes")] * 3 + [("c", "b", "no")] * 3 + [("c", "b", "not_reported")] * 5)
    row = et.association_tests(frame, source="d", breakdown="g", outcomes=["yes", "no"], missing=["not_reported"]).iloc[
        0
    ]
    assert row["n_total"] == 6 and row["p_value"] == pytest.approx(0.1)


def test_undeclared_outcome_is_an_error():
    frame = long([("c", "a", "yes"), ("c", "b", "not_reported")])
    with pytest.raises(ValueError, match="not_reported"):
        et.association_tests(frame, source="d", breakdown="g", outcomes=["yes", "no"])


# --- the real data -------------------------------------------------------------------------------


def test_real_dalarna_is_never_tested(real):
    sources, ref = real
    out = et.coding_tests(sources["dalarna_2020"], ref, source="dalarna_2020", population_column="folkmangd_2019")
    assert len(out) == 2 * 16
    assert out["p_value"].isna().all() and out["p_holm"].isna().all()
    assert out["note"].str.contains("not testable: only yes/not_reported", regex=False).all()


def test_real_oj_tests(real):
    sources, ref = real
    out = et.oj_tests(sources["skl_2016"], ref, source="skl_2016")
    assert len(out) == 120 and set(out["breakdown"]) == {"befolkningsgrupp", "kommungrupp_2017"}
    tested = out[out["p_value"].notna()]
    assert len(tested) > 0 and tested["p_value"].between(0, 1).all()
    assert (tested["p_holm"] >= tested["p_value"] - 1e-12).all()
    assert (out["n_total"] == 8).all()
    # oj_22 (all 8 ja) cannot be tested
    assert out.loc[out["indicator"] == "oj_22", "p_value"].isna().all()


def test_real_all_tests_explain_sormland_and_stockholm(real, default_config):
    sources, ref = real
    out = et.all_tests(default_config, sources, ref)
    assert list(out.columns) == et.TEST_COLUMNS
    for source in ["sormland_2019", "stockholm_2008"]:
        part = out[out["source"] == source]
        assert len(part) >= 1 and part["p_value"].isna().all()
        assert part["note"].str.contains("not testable").all()
        assert part["reason"].notna().all() and part["method"].isna().all()
    assert set(out.loc[out["source"] == "sormland_2019", "reason"]) == {
        "class_level_lists",
        "not_an_outcome",
        "examples_only",
    }


def test_size_classes_without_a_not_testable_declaration_are_an_error():
    tables = {"municipalities": pd.DataFrame({"kommun": ["a"], "size_class": ["larger"]})}
    with pytest.raises(ConfigError, match="not_testable"):
        et.size_class_tests(tables, source="s")
