"""reproduction.csv: printed figures against what the transcribed data recompute."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import reproduction, source_loader
from analysis.input_errors import ConfigError
from support.tables import counts_table

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = "source quantity published recomputed status note source_ref check reason n N decimals fits fields".split()
STATUSES = {"match", "mismatch", "not reproducible"}
SOURCES = {"stockholm_2008", "sormland_2019", "dalarna_2020", "skl_2016", "lansstyrelserna_2015"}


def rec(indicator="q", category="a", n=None, N=None, percent=None, exclusive="no", unit="kommuner"):
    return [indicator, "Fråga", category, "A", "all", "all", n, None, N, percent, None, exclusive, unit, "ref", None]


# --- single percents ---------------------------------------------------------------------------


def test_percent_from_n_over_N_matches_when_rounded_half_up():
    got = reproduction.percent_check("q/a: percent", 67.0, 26, 39, "kommuner", "ref")
    assert (got["published"], got["recomputed"], got["status"]) == (67.0, 67.0, "match")
    assert "26/39" in got["note"]


def test_percent_that_n_over_N_does_not_give_is_a_mismatch():
    got = reproduction.percent_check("q", 20.0, 8, 39, "kommuner", "ref")  # 8/39 = 20.51 → 21
    assert (got["recomputed"], got["status"]) == (21.0, "mismatch")


def test_percent_with_two_decimals_is_rounded_to_two_decimals():
    got = reproduction.percent_check("q", 16.28, 7, 43, "nyckelpersoner", "ref")
    assert (got["recomputed"], got["status"]) == (16.28, "match")
    assert reproduction.percent_check("q", 16.3, 7, 43, "x", "ref")["status"] == "match"
    assert reproduction.percent_check("q", 16.27, 7, 43, "x", "ref")["status"] == "mismatch"


def test_percent_without_count_is_checked_against_its_base():
    fits = reproduction.percent_check("q", 11.63, None, 43, "x", "ref")
    assert (fits["recomputed"], fits["status"]) == (11.63, "match")
    misprint = reproduction.percent_check("q", 72.9, None, 43, "x", "ref")
    assert misprint["status"] == "mismatch"
    assert misprint["recomputed"] == pytest.approx(72.1)  # 31/43 = 72.09 → 72.1, the closest attainable
    assert "31/43" in misprint["note"] and "32/43" in misprint["note"]


@pytest.mark.parametrize("n, N, reason", [(13, None, "no base"), (None, None, "no count")])
def test_percent_without_base_is_not_reproducible_with_the_reason(n, N, reason):
    got = reproduction.percent_check("q", 33.0, n, N, "x", "ref")
    assert got["status"] == "not reproducible" and reason in got["note"]
    assert math.isnan(got["recomputed"])


def test_percent_of_one_post_is_not_reproducible():
    got = reproduction.percent_check("q", 50.0, None, None, "procent av tjänst", "ref")
    assert got["status"] == "not reproducible" and "one post" in got["note"]


def test_percent_checks_cover_every_printed_percent_and_upper_end():
    frame = counts_table(rec(category="a", n=25, N=39, percent=64), rec(category="b", n=3))
    frame.loc[0, "n_max"] = 27
    frame.loc[0, "percent_max"] = 70.0  # 27/39 = 69.23 → 69
    got = reproduction.percent_checks(frame)
    assert [g["quantity"] for g in got] == ["q/a: percent", "q/a: percent_max"]
    assert [g["status"] for g in got] == ["match", "mismatch"]
    assert got[1]["recomputed"] == 69.0


# --- exclusive answer sets ---------------------------------------------------------------------


def exclusive(*pairs, N=None, percents=None):
    percents = percents or [None] * len(pairs)
    return [
        dict(
            zip(["indicator", "category", "group", "n", "N", "percent", "source_ref"], ["q", c, "all", n, N, p, "ref"])
        )
        for (c, n), p in zip(pairs, percents)
    ]


def test_exclusive_counts_adding_up_to_N_match():
    got = reproduction.exclusive_sum_check(exclusive(("a", 25), ("b", 14), N=39))
    assert (got["published"], got["recomputed"], got["status"]) == (39.0, 39.0, "match")
    assert got["quantity"] == "q: sum of n vs N"


def test_exclusive_counts_short_of_N_are_a_mismatch():
    got = reproduction.exclusive_sum_check(exclusive(("a", 20), ("b", 17), N=39))
    assert (got["recomputed"], got["status"]) == (37.0, "mismatch")


def test_exclusive_counts_without_a_base_are_not_reproducible():
    got = reproduction.exclusive_sum_check(exclusive(("a", 23), ("b", 11), ("c", 5)))
    assert got["status"] == "not reproducible" and got["recomputed"] == 39.0
    assert math.isnan(got["published"]) and "no base" in got["note"]


def test_exclusive_set_with_two_bases_raises():
    records = exclusive(("a", 1), ("b", 2), N=3)
    records[1]["N"] = 4
    with pytest.raises(ValueError, match="src.*'counts'.*'q'"):
        reproduction.exclusive_sum_check(records, "src")


def test_percent_sums_allow_rounding_but_not_more():
    rounded = reproduction.percent_sum_check(
        exclusive(("a", None), ("b", None), ("c", None), percents=[73.0, 16.0, 12.0])
    )
    assert (rounded["published"], rounded["recomputed"], rounded["status"]) == (101.0, 100.0, "match")
    off = reproduction.percent_sum_check(
        exclusive(("a", None), ("b", None), ("c", None), percents=[72.9, 16.28, 11.63])
    )
    assert off["published"] == pytest.approx(100.81) and off["status"] == "mismatch"
    two = reproduction.percent_sum_check(exclusive(("a", None), ("b", None), percents=[60.0, 42.0]))
    assert two["status"] == "mismatch"  # 102 is more than 2 × 0.5 off


# --- cross-checks ------------------------------------------------------------------------------


def test_ja_counts_recounted_from_the_matrix():
    oj = pd.DataFrame(
        {
            "kommun": ["A", "A", "A", "B", "B", "B"],
            "indicator": ["i1", "i2", "i3"] * 2,
            "value": ["2", "2", "1", "2", "0", "0"],
            "source_ref": "r",
        }
    )
    municipalities = pd.DataFrame(
        {"kommun": ["A", "B"], "ja_count_published": pd.array([2, 2], dtype="Int64"), "source_ref": ["r", "r"]}
    )
    got = {
        g["quantity"]: g
        for g in reproduction.ja_count_checks({"oj_values": oj, "municipalities": municipalities}, "src")
    }
    assert got["ja_count/A"]["status"] == "match"
    assert (got["ja_count/B"]["published"], got["ja_count/B"]["recomputed"], got["ja_count/B"]["status"]) == (
        2.0,
        1.0,
        "mismatch",
    )


def test_size_classes_recounted_from_the_municipalities_table():
    counts = counts_table(
        *[
            [
                "municipalities_in_size_class",
                "L",
                "municipalities",
                "k",
                "size_class",
                g,
                n,
                None,
                None,
                None,
                None,
                "no",
                "kommuner",
                "ref",
                None,
            ]
            for g, n in (("larger", 2), ("smaller", 2))
        ]
    )
    municipalities = pd.DataFrame(
        {"kommun": ["A", "B", "C", "D", "E"], "size_class": ["larger", "larger", "smaller", "smaller", "smaller"]}
    )
    got = {
        g["quantity"]: g["status"]
        for g in reproduction.size_class_checks({"counts": counts, "municipalities": municipalities}, "src")
    }
    assert got == {"size_class_count/larger": "match", "size_class_count/smaller": "mismatch"}


def test_a_count_printed_for_the_larger_municipalities_quotes_the_declared_phrase():
    counts = counts_table(rec(indicator="big_ones", category="yes", n=3, N=4))
    municipalities = pd.DataFrame(
        {"kommun": ["A", "B", "C", "D"], "size_class": ["larger", "medium", "medium", "smaller"]}
    )
    checks = {"larger_size_class": {"indicator": "big_ones", "phrase": "the big ones"}}
    got = reproduction.larger_municipalities_check({"counts": counts, "municipalities": municipalities}, "src", checks)
    larger = got[-1]
    assert larger["quantity"] == "big_ones/yes: " + reproduction.LARGER_PHRASE_KIND
    assert (larger["published"], larger["recomputed"], larger["status"]) == (3.0, 1.0, "mismatch")
    assert json.loads(larger["fields"])["phrase"] == "the big ones" and "'the big ones'" in larger["note"]


@pytest.mark.parametrize("declared", ["big_ones", {"indicator": "big_ones"}])
def test_a_larger_size_class_check_without_its_phrase_is_a_config_error(declared):
    counts = counts_table(rec(indicator="big_ones", category="yes", n=3, N=4))
    with pytest.raises(ConfigError, match=r"sources\.src\.checks\.larger_size_class"):
        reproduction.larger_municipalities_check({"counts": counts}, "src", {"larger_size_class": declared})


def test_printed_count_against_the_coding_sheet():
    counts = counts_table(rec(indicator="joint_coordinator_agreement_municipalities", category="yes", n=2))
    coding = pd.DataFrame(
        {"kommun": ["A", "B", "C"], "code": "joint_coordinator_agreement", "status": ["yes", "not_reported", "yes"]}
    )
    checks = {"recount_with_code": {"joint_coordinator_agreement_municipalities": "joint_coordinator_agreement"}}
    got = reproduction.coding_count_checks({"counts": counts, "coding": coding}, "src", checks)
    assert [(g["published"], g["recomputed"], g["status"]) for g in got] == [(2.0, 2.0, "match")]
    # without the config's declaration nothing is recounted
    assert reproduction.coding_count_checks({"counts": counts, "coding": coding}, "src") == []


def test_source_reproduction_has_the_columns_and_unique_quantities():
    counts = counts_table(
        rec(category="a", n=26, N=39, percent=67, exclusive="yes"),
        rec(category="b", n=13, N=39, percent=33, exclusive="yes"),
    )
    out = reproduction.source_reproduction("src", {"counts": counts})
    assert list(out.columns) == COLUMNS
    assert out["quantity"].is_unique and set(out["status"]) == {"match"}
    assert len(out) == 2 + 1 + 1  # two percents, sum of n, sum of percents
    # layers talk in data: the check, n, N and decimals as columns, the sentence's values as fields
    first = out.iloc[0]
    assert (first["check"], first["n"], first["N"], first["decimals"]) == ("percent_of_counts", 26, 39, 0)
    assert json.loads(first["fields"]) == {"p": "66.67"} and out["reason"].isna().all()
    assert list(out["check"]) == ["percent_of_counts", "percent_of_counts", "sum_vs_base", "percent_sum"]


def test_a_percent_without_a_count_lists_the_counts_that_fit_and_the_reason_codes():
    fits = reproduction.percent_check("q", 67, None, 39, "kommun", "ref")
    assert (fits["check"], fits["fits"], fits["N"], fits["decimals"]) == ("percent_fits_base", "26", 39, 0)
    none = reproduction.percent_check("q", 72.9, None, 43, "person", "ref")
    assert (none["check"], none["status"], none["fits"]) == ("percent_fits_no_count", "mismatch", None)
    no_base = reproduction.percent_check("q", 50, 3, None, "kommun", "ref")
    assert (no_base["reason"], no_base["n"]) == ("no_base", 3)
    assert reproduction.percent_check("q", 50, None, None, "kommun", "ref")["reason"] == "no_count_no_base"


# --- the real sources --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(config):
    return source_loader.build_shares_and_reproduction(config, ROOT)


@pytest.fixture(scope="module")
def real(built):
    return built[1]


def status_of(real, source, quantity):
    hit = real[(real.source == source) & (real.quantity == quantity)]
    assert len(hit) == 1, (source, quantity)
    return hit.iloc[0]


def test_real_reproduction_columns_statuses_and_sources(real):
    assert list(real.columns) == COLUMNS
    assert set(real["status"]) <= STATUSES
    assert set(real["source"]) == SOURCES
    assert real["published"].dtype == "float64" and real["recomputed"].dtype == "float64"
    assert not real.duplicated(["source", "quantity"]).any()
    assert real["note"].notna().all() and real["source_ref"].notna().all()


def test_tyreso_is_a_mismatch_and_the_other_seven_match(real):
    tyreso = status_of(real, "skl_2016", "ja_count/Tyresö")
    assert (tyreso["published"], tyreso["recomputed"], tyreso["status"]) == (49.0, 48.0, "mismatch")
    others = real[real.quantity.str.startswith("ja_count/") & (real.quantity != "ja_count/Tyresö")]
    assert len(others) == 7 and (others["status"] == "match").all()


def test_lansstyrelserna_key_person_shares(real):
    total = status_of(real, "lansstyrelserna_2015", "coordination_improved: sum of percents")
    assert total["published"] == pytest.approx(100.81) and total["status"] == "mismatch"
    assert status_of(real, "lansstyrelserna_2015", "coordination_improved/better: percent")["status"] == "mismatch"
    for category in ("partly_better", "no_difference"):
        assert (
            status_of(real, "lansstyrelserna_2015", f"coordination_improved/{category}: percent")["status"] == "match"
        )


def test_stockholm_mismatches_are_exactly_the_documented_ones(real):
    stockholm = real[real.source == "stockholm_2008"]
    assert set(stockholm.loc[stockholm.status == "mismatch", "quantity"]) == {
        "hrv_support_available/sheltered_housing: percent",  # README discrepancy 1
        "children_preconditions_good: sum of n vs N",  # README discrepancy 3
    }
    assert status_of(real, "stockholm_2008", "women_learned_via/police: percent")["status"] == "match"
    for indicator in ("children_support_sufficient", "men_preconditions_good", "hrv_preconditions_good"):
        row = status_of(real, "stockholm_2008", f"{indicator}: sum of n vs N")  # discrepancies 2, 4, 5
        assert row["status"] == "not reproducible" and row["recomputed"] < 39


def test_every_printed_percent_has_a_row(config, real):
    tables = source_loader.load_all(config, ROOT)
    for source_id, source_tables in tables.items():
        printed = (
            source_tables["counts"]["percent"].notna().sum() + source_tables["counts"]["percent_max"].notna().sum()
        )
        rows = real[(real.source == source_id) & real.quantity.str.contains(r": percent(?:_max)?$")]
        extra = len(source_tables["indicators"]) if "indicators" in source_tables else 0  # ÖJ national shares
        assert len(rows) == printed + extra, source_id


def test_sormland_size_classes_and_dalarna_fyra(real):
    for group, n in (("smaller", 5), ("medium", 2), ("larger", 2)):
        row = status_of(real, "sormland_2019", f"size_class_count/{group}")
        assert (row["published"], row["status"]) == (float(n), "match")
    row = status_of(real, "dalarna_2020", "joint_coordinator_agreement_municipalities/yes: n vs coding")
    assert (row["published"], row["recomputed"], row["status"]) == (4.0, 4.0, "match")


CROSS_CHECKED = {
    "dalarna_2020": [
        "joint_coordinator_agreement_municipalities/yes: n vs coding",
        "summary_joint_coordinator_agreement_municipalities/yes: n vs coding",
    ],
    "skl_2016": [
        "study_municipalities/yes: n vs municipalities table",
        "oj_indicator_count/yes: n vs indicators table",
        "oj_web_information/yes: percent vs national share oj_53",
        "sample_selection/top20_oj_and_top10_unizon: n vs Unizon rank <= 10",
    ],
    "sormland_2019": [
        "perpetrator_interventions/yes: N vs municipalities",
        "perpetrator_interventions/yes: printed phrase vs size class larger",
    ],
}


def test_every_cross_check_still_finds_its_rows(real):
    """Renamed ids in data/raw must not make a cross-check vanish silently."""
    for source, quantities in CROSS_CHECKED.items():
        for quantity in quantities:
            status_of(real, source, quantity)
    larger = status_of(real, "sormland_2019", "perpetrator_interventions/yes: printed phrase vs size class larger")
    assert (larger["published"], larger["recomputed"], larger["status"]) == (4.0, 2.0, "mismatch")
    web = status_of(real, "skl_2016", "oj_web_information/yes: percent vs national share oj_53")
    assert (web["published"], web["recomputed"], web["status"]) == (93.0, 93.0, "match")


def test_build_is_deterministic_and_sorted(config, built):
    again = source_loader.build_shares_and_reproduction(config, ROOT)
    pd.testing.assert_frame_equal(built[0], again[0])
    pd.testing.assert_frame_equal(built[1], again[1])
    for frame in built:
        assert frame["source"].is_monotonic_increasing


def test_written_outputs_round_trip(built, tmp_path):
    from analysis import combine

    written = {p.stem: p for p in combine.write_combined({"shares": built[0], "reproduction": built[1]}, tmp_path)}
    back = pd.read_csv(written["reproduction"])
    assert list(back.columns) == COLUMNS and len(back) == len(built[1])
    assert list(pd.read_csv(written["shares"]).columns) == list(built[0].columns)


def test_an_unknown_input_kind_is_refused_with_the_source_named():
    from analysis.input_errors import ConfigError

    with pytest.raises(ConfigError, match="my_source"):
        source_loader.load_source_tables("my_source", {"inputs": {"kind": "excel", "dir": "x"}}, ROOT)
