"""Tests for data/raw/lansstyrelserna_2015 (Länsstyrelsen i Stockholms län 2015, slutrapport
samordningsuppdraget 2011–2014). Seed: shared/seeds/003_f89261d3c06baefe.txt."""

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from support import seeds
from support import transcription as tr

RAW = Path(__file__).parents[1] / "data/raw/lansstyrelserna_2015"
SEED = seeds.SEEDS / "003_f89261d3c06baefe.txt"
SEED_NAME = "003_f89261d3c06baefe.txt"
WINDOW = 3

COLUMNS = "indicator label category category_label group_var group n n_max N percent percent_max exclusive unit source_ref seed_line note".split()

TABLE_INDICATORS = "more_joint_steering_documents more_joint_trainings more_same_profession_same_training more_shared_resources more_joint_competence_development more_systematic_long_term_initiatives fewer_parallel_initiatives more_functioning_coordination_structures more_even_competence more_even_service_quality more_actors_using_updated_knowledge".split()
N_COUNTY_BOARDS = 21  # "Länsstyrelserna är 21 självständiga myndigheter" (lines 54, 423, 1251)
N_KEY_PERSONS = 43

# Percents printed without "%"/"procent" (README discrepancy 6): '16,28 anser' (line 1017).
PERCENT_WITHOUT_UNIT = {("coordination_improved", "partly_better")}


@pytest.fixture(scope="module")
def counts():
    return pd.read_csv(RAW / "counts.csv", dtype={"seed_line": "Int64"}, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def codebook():
    return pd.read_csv(RAW / "codebook.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def seed():
    seeds.require(SEED)
    return tr.seed_lines(SEED)


# ---------------------------------------------------------------- format and codebook


def test_counts_columns(counts):
    assert list(counts.columns) == COLUMNS


def test_required_columns_and_provenance(counts):
    for c in "indicator label category category_label group_var group exclusive unit source_ref seed_line".split():
        assert counts[c].notna().all(), f"empty values in required column {c}"
    assert counts["source_ref"].str.startswith(SEED_NAME).all()
    assert (counts["seed_line"] >= 1).all()
    assert (counts[["n", "percent"]].notna().any(axis=1)).all(), "row with neither n nor percent"
    assert set(counts["exclusive"]) <= {"yes", "no"}
    assert not counts.duplicated(["indicator", "category", "group_var", "group"]).any()
    for c in ["indicator", "category", "group_var", "group"]:
        assert counts[c].str.fullmatch(r"[a-z][a-z0-9_]*").all(), f"{c} not snake_case"


def test_codebook_covers_everything(counts, codebook):
    col_rows = codebook[(codebook["file"] == "counts.csv") & (codebook["code"] == "")]
    assert set(col_rows["column"]) == set(COLUMNS)
    assert set(col_rows["type"]) <= {"string", "integer", "number", "code", "boolean"}
    assert set(col_rows["required"]) <= {"yes", "no"}
    for c in col_rows.loc[col_rows["type"] == "code", "column"]:
        codes = set(
            codebook.loc[
                (codebook["file"] == "counts.csv") & (codebook["column"] == c) & (codebook["code"] != ""), "code"
            ]
        )
        assert set(counts[c].dropna()) <= codes, f"codes of {c} missing in codebook"
        assert codes <= set(counts[c].dropna()), f"codebook lists unused codes for {c}"
    assert (codebook.loc[codebook["code"] != "", "label_sv"] != "").all()


def test_numeric_ranges(counts):
    assert (counts["percent"].dropna().between(0, 100)).all()
    assert (counts["n"].dropna() >= 0).all()
    both = counts.dropna(subset=["n", "n_max"])
    assert (both["n_max"] > both["n"]).all()


# ---------------------------------------------------------------- 11-indicator table


def test_indicator_table_complete(counts):
    tab = counts[counts["indicator"].isin(TABLE_INDICATORS)]
    assert tab["indicator"].nunique() == 11
    for ind in TABLE_INDICATORS:
        sub = tab[tab["indicator"] == ind]
        assert sorted(sub["category"]) == ["partly", "yes"], ind
        assert sub["n"].notna().all(), ind
        assert set(sub["category_label"]) == {"Ja", "Delvis"}
    # Nej is never printed and must not be computed
    assert "no" not in set(tab["category"])
    # base is not stated in the table -> N empty
    assert tab["N"].isna().all()


def test_indicator_table_matches_seed_columns(counts, seed):
    """Each table row ends with 'Ja Delvis'; check the order was not swapped."""
    tab = counts[counts["indicator"].isin(TABLE_INDICATORS)]
    for ind in TABLE_INDICATORS:
        sub = tab[tab["indicator"] == ind].set_index("category")
        line = int(sub.loc["yes", "seed_line"])
        assert int(sub.loc["partly", "seed_line"]) == line
        m = re.search(r"(\d+) (\d+)\s*$", seed[line - 1])
        assert m, f"no 'Ja Delvis' pair on seed line {line}"
        assert (int(m.group(1)), int(m.group(2))) == (sub.loc["yes", "n"], sub.loc["partly", "n"])
    # the table has exactly 11 such number rows between its header and the next section
    start = next(i for i, l in enumerate(seed) if l.strip().startswith("Indikator  Ja Delvis"))
    end = next(i for i, l in enumerate(seed) if l.startswith("Insatser kan beskrivas"))
    pairs = [l for l in seed[start + 1 : end] if re.search(r"\d+ \d+\s*$", l)]
    assert len(pairs) == 11


def test_ja_plus_delvis_within_base(counts):
    # exclusive sets with counts add up to their base; the two key-person result sets print
    # percents only (no counts), so there is nothing to add up
    problems = {(p.indicator, p.reason) for p in tr.exclusive_sum_problems(counts)}
    assert problems == {("coordination_improved", "no counts"), ("coordination_improved_summary", "no counts")}
    # where N is known, the printed counts cannot exceed it
    known = counts.dropna(subset=["N", "n"])
    for (ind, gv, g), sub in known.groupby(["indicator", "group_var", "group"]):
        if (sub["exclusive"] == "yes").all():
            assert sub["n"].sum() <= sub["N"].iloc[0], ind
    # indicator table: N is not stated; plausibility check against the 21 county boards
    tab = counts[counts["indicator"].isin(TABLE_INDICATORS)]
    sums = tab.groupby("indicator")["n"].sum()
    assert (sums <= N_COUNTY_BOARDS).all()
    assert sums.max() == 18  # never reaches 21: Nej/non-answers not printed


# ---------------------------------------------------------------- every number is in the seed


def test_every_number_near_seed_line(counts, seed):
    """Every n, n_max, percent, percent_max and N is printed within ±3 lines of seed_line: as
    digits (Swedish decimal comma, space-grouped thousands; a percent followed by "procent"),
    or as a number word quoted in the note."""
    missing = []
    for _, r in counts.iterrows():
        line = int(r["seed_line"])
        assert line <= len(seed)
        for col, is_pct in [("n", False), ("n_max", False), ("percent", True), ("percent_max", True), ("N", False)]:
            v = r[col]
            if pd.isna(v):
                continue
            if col == "N" and v == N_KEY_PERSONS:
                # the survey base is stated at line 942 (and 342, 1266, 1279, 1289)
                if not tr.number_printed_near(seed, 942, v, WINDOW):
                    missing.append((r["indicator"], col, v))
                continue
            needs_unit = is_pct and (r["indicator"], r["category"]) not in PERCENT_WITHOUT_UNIT
            if not tr.number_printed_near(seed, line, v, WINDOW, note=r["note"], percent=needs_unit):
                missing.append((r["indicator"], r["category"], col, v, line))
    assert not missing, missing


def test_word_numbers_are_noted(counts, seed):
    """Numbers printed as words on their seed line (and not as digits) carry the word in the note."""
    for _, r in counts.dropna(subset=["n"]).iterrows():
        line = int(r["seed_line"])
        if tr.number_printed_near(seed, line, r["n"], 0):
            continue
        words = [
            w
            for w in tr.SWEDISH_NUMBER_WORDS.get(int(r["n"]), ())
            if re.search(r"(?<!\w)" + w + r"(?!\w)", seed[line - 1], re.IGNORECASE)
        ]
        if words:
            assert any(w in str(r["note"]).lower() for w in words), (r["indicator"], r["category"])
        assert tr.number_printed_near(seed, line, r["n"], 0, note=r["note"]), (r["indicator"], r["category"])


def test_percents_consistent_with_base(counts):
    """A percent on a stated base is producible by an integer count, except the documented 72,9 / 73."""
    bad = {
        (r.indicator, r.category)
        for r in counts.dropna(subset=["percent", "N"]).itertuples()
        if not tr.percent_consistent(r.n, r.N, r.percent)
    }
    assert bad == {("coordination_improved", "better"), ("coordination_improved_summary", "better")}


# ---------------------------------------------------------------- key-person survey


def kp(counts, ind):
    return counts[counts["indicator"] == ind].set_index("category")


def test_key_person_survey_values(counts):
    res = kp(counts, "coordination_improved")
    assert res["percent"].to_dict() == {"better": 72.9, "partly_better": 16.28, "no_difference": 11.63}
    summ = kp(counts, "coordination_improved_summary")
    assert summ["percent"].to_dict() == {"better": 73, "partly_better": 16, "no_difference": 12}
    assert "ca" in summ.loc["better", "note"].lower()
    assert "ca" in summ.loc["no_difference", "note"].lower()
    assert (res["N"] == N_KEY_PERSONS).all() and (summ["N"] == N_KEY_PERSONS).all()
    assert res["n"].isna().all() and summ["n"].isna().all()  # no counts printed


def test_respondent_breakdowns_add_up_to_43(counts):
    expected = {
        "respondents_by_sector": {"civil_society": 8, "public_agencies": 35},
        "respondents_by_gender": {"women": 38, "men": 5},
        "respondents_by_role": {"administrative_or_strategic": 21, "direct_support": 22},
        "respondents_by_exposure": {"past_three_years": 34, "past_year_only": 9},
    }
    for ind, exp in expected.items():
        sub = kp(counts, ind)
        assert sub["n"].astype(int).to_dict() == exp, ind
        assert (sub["N"] == N_KEY_PERSONS).all()
        assert (sub["exclusive"] == "yes").all()
        assert sub["n"].sum() == N_KEY_PERSONS, ind  # finding: totals match


# ---------------------------------------------------------------- documented discrepancies


def test_discrepancy_results_percentages_do_not_sum_to_100(counts):
    s = kp(counts, "coordination_improved")["percent"].sum()
    assert round(s, 2) == 100.81
    assert round(s, 2) != 100


def test_discrepancy_summary_percentages_do_not_sum_to_100(counts):
    s = kp(counts, "coordination_improved_summary")["percent"].sum()
    assert s == 101


def test_discrepancy_72_9_not_producible_from_43(counts):
    res = kp(counts, "coordination_improved")["percent"]
    assert tr.counts_giving_percent(res["better"], N_KEY_PERSONS) == []
    # not producible from any base up to 43 either (item non-response cannot explain it)
    assert all(tr.counts_giving_percent(res["better"], b) == [] for b in range(1, N_KEY_PERSONS + 1))
    assert tr.counts_giving_percent(res["partly_better"], N_KEY_PERSONS) == [7]
    assert tr.counts_giving_percent(res["no_difference"], N_KEY_PERSONS) == [5]
    # 31/43 = 72.09 would make 31 + 7 + 5 = 43 (likely typo '72,9' for '72,09'; not fixed)
    assert tr.round_half_up(Fraction(3100, 43), 2) == Decimal("72.09")


def test_discrepancy_73_not_producible_from_43(counts):
    summ = kp(counts, "coordination_improved_summary")["percent"]
    assert tr.counts_giving_percent(summ["better"], N_KEY_PERSONS) == []
    assert tr.counts_giving_percent(summ["partly_better"], N_KEY_PERSONS) == [7]
    assert tr.counts_giving_percent(summ["no_difference"], N_KEY_PERSONS) == [5]


def test_discrepancy_reference_year(seed):
    # same question: 'jämförelse med 2011' on line 1017 but '2010' on lines 78 and 1020
    assert "jämförelse med 2011" in seed[1017 - 1]
    assert "jämförelse med 2010" in seed[78 - 1]
    assert "2010" in seed[1020 - 1] and "2011" not in seed[1020 - 1]


def test_discrepancy_five_vs_six_statements(seed):
    # footnote 4 (line 988) says 'de fem vanligaste' omdömen, but six påståenden are listed
    assert "de fem vanligaste" in seed[988 - 1]
    bullets = [l for l in seed[969 - 1 : 979] if l.strip().startswith("•")]
    assert len(bullets) == 6


def test_percent_without_word_procent(seed):
    # '16,28 anser' (line 1017) is printed without 'procent'
    assert "16,28 anser" in seed[1017 - 1]
    assert "procent" not in seed[1017 - 1]


def test_plain_counts_use_category_yes(counts):
    """CONVENTIONS: `yes` for a plain count. Every indicator printed as a single figure uses it."""
    single = counts.groupby(["indicator", "group_var", "group"]).category.agg(list)
    assert all(cats == ["yes"] for cats in single if len(cats) == 1), single[single.map(len) == 1]
    assert "total" not in set(counts["category"])
