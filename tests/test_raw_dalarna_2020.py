"""Tests for data/raw/dalarna_2020 (Region Dalarna / SKR kvinnofridssatsning, report 2020-03-02).

Checks the transcription against its own rules (complete municipality x code grid, closed code
lists, codebook coverage) and against the seed text (every yes/no quote and every group statement
is printed within +-3 lines of its seed_line; the named municipality is printed near it).
"""

import re
from pathlib import Path

import pandas as pd
import pytest

from support import seeds
from support import transcription as tr
from support.raw import seed_fixture, table_fixtures

RAW = Path(__file__).parents[1] / "data/raw/dalarna_2020"
SEED = seeds.SEEDS / "004_0204c90b7797a8fc.txt"

QUOTE_WINDOW = 3  # evidence must be printed within +-3 lines of seed_line
NAME_WINDOW = 6  # the municipality's name must be printed within +-6 lines of seed_line

KOMMUNER = [
    "Vansbro",
    "Malung-Sälen",
    "Gagnef",
    "Leksand",
    "Rättvik",
    "Orsa",
    "Älvdalen",
    "Smedjebacken",
    "Mora",
    "Falun",
    "Borlänge",
    "Säter",
    "Hedemora",
    "Avesta",
    "Ludvika",
]
# forms in which a municipality is printed (genitive / compound: 'Falu kommun', 'Rättviks kommun', 'Avestamodellen')
NAME_PATTERNS = {k: re.compile(rf"\b{re.escape(k)}\b") for k in KOMMUNER}
NAME_PATTERNS.update(
    {
        "Falun": re.compile(r"\bFalu(n)?\b"),
        "Rättvik": re.compile(r"\bRättvik(s)?\b"),
        "Avesta": re.compile(r"\bAvesta"),
    }
)
THEMES = {
    "decisions",
    "shared_view",
    "follow_up",
    "resources",
    "organisation",
    "successes",
    "shortcomings",
    "needs",
    "vision",
}
GROUP_THEMES = THEMES | {"method"}
STATUS = {"yes", "no", "not_reported"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
FILES = ["municipalities.csv", "codes.csv", "coding.csv", "group_statements.csv", "counts.csv", "codebook.csv"]


def read(name):
    return pd.read_csv(RAW / name, dtype=str, keep_default_na=False, encoding="utf-8")


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


seed_lines = seed_fixture(SEED, "seed_lines")


def window(lines, line, w):
    return norm(tr.seed_text(lines, int(line), w))


mun, codes, coding, groups, counts, codebook = table_fixtures(
    read,
    mun="municipalities.csv",
    codes="codes.csv",
    coding="coding.csv",
    groups="group_statements.csv",
    counts="counts.csv",
    codebook="codebook.csv",
)


# ---------------------------------------------------------------- file format
@pytest.mark.parametrize("name", FILES + ["README.md"])
def test_files_exist(name):  # UTF-8, LF, no BOM; the codebook describes every CSV: test_raw_common.py
    assert (RAW / name).is_file()


@pytest.mark.parametrize("name", [f for f in FILES if f != "codebook.csv"])
def test_every_row_has_source_ref(name):
    df = read(name)
    assert "source_ref" in df and "seed_line" in df
    assert (df["source_ref"].str.startswith("004_0204c90b7797a8fc.txt § ")).all()


# ---------------------------------------------------------------- municipalities
def test_fifteen_municipalities(mun):
    assert len(mun) == 15
    assert mun["kommun"].tolist() == KOMMUNER
    assert mun["kommun"].is_unique


def test_municipalities_interviewed_and_seed_lines(mun):
    # 'Samtliga kommuner besöktes' (line 301): all interviewed
    assert set(mun["interviewed"]) <= {"yes", "not_reported"}
    assert (mun["interviewed"] == "yes").all()
    assert (mun["interviewed_seed_line"] == "301").all()
    assert (mun["seed_line"] != "").all()
    # the report never says which 13 municipalities answered the baseline survey
    assert (mun["baseline_survey_answered"] == "not_reported").all()


def test_municipality_named_lines_match_seed(mun, seed_lines):
    for _, r in mun.iterrows():
        pat = NAME_PATTERNS[r["kommun"]]
        hits = [str(i + 1) for i, t in enumerate(seed_lines) if pat.search(t)]
        assert r["named_lines"] == ";".join(hits), r["kommun"]
        assert r["named_in_report"] == ("yes" if hits else "no"), r["kommun"]
        if hits:
            assert r["seed_line"] == hits[0], r["kommun"]
        assert "Samtliga kommuner besöktes" in window(seed_lines, r["interviewed_seed_line"], QUOTE_WINDOW)


def test_municipality_yes_counts_consistent(mun, coding):
    yes = coding[coding["status"] == "yes"].groupby("kommun").size()
    for _, r in mun.iterrows():
        assert int(r["n_codes_yes"]) == int(yes.get(r["kommun"], 0)), r["kommun"]


# ---------------------------------------------------------------- codes
def test_codes(codes):
    assert codes["code"].is_unique
    assert codes["code"].map(lambda c: bool(SNAKE.match(c))).all()
    assert set(codes["theme"]) <= THEMES
    assert (codes["label_sv"] != "").all() and (codes["description"] != "").all()
    for c in ["joint_coordinator_agreement", "violence_unit", "perpetrator_expertise", "annual_quality_report"]:
        assert c in set(codes["code"])


# ---------------------------------------------------------------- coding grid
def test_coding_grid_complete(coding, codes):
    assert len(coding) == 15 * len(codes)
    assert not coding.duplicated(["kommun", "code"]).any()
    assert set(coding["kommun"]) == set(KOMMUNER)
    assert set(coding["code"]) == set(codes["code"])
    for k in KOMMUNER:
        assert set(coding.loc[coding["kommun"] == k, "code"]) == set(codes["code"]), k
    theme_of = dict(zip(codes["code"], codes["theme"]))
    assert (coding["code"].map(theme_of) == coding["theme"]).all()


def test_status_values(coding):
    assert set(coding["status"]) <= STATUS


def test_yes_no_rows_have_evidence(coding):
    coded = coding[coding["status"].isin(["yes", "no"])]
    assert len(coded) > 0
    assert (coded["evidence"].str.strip() != "").all()
    assert coded["seed_line"].str.fullmatch(r"\d+").all()
    nr = coding[coding["status"] == "not_reported"]
    assert (nr["evidence"] == "").all() and (nr["seed_line"] == "").all()


def test_no_rows_state_a_negation(coding):
    # 'no' needs an explicit statement that the named municipality does NOT have/do it
    no = coding[coding["status"] == "no"]
    for _, r in no.iterrows():
        assert re.search(r"\b(inte|ej|saknar|saknas|ingen|inget|inga|aldrig)\b", r["evidence"], re.I), r.to_dict()


def test_evidence_in_seed_and_municipality_named_near(coding, seed_lines):
    coded = coding[coding["status"].isin(["yes", "no"])]
    for _, r in coded.iterrows():
        line = int(r["seed_line"])
        assert 1 <= line <= len(seed_lines)
        assert norm(r["evidence"]) in window(seed_lines, line, QUOTE_WINDOW), r.to_dict()
        assert NAME_PATTERNS[r["kommun"]].search(window(seed_lines, line, NAME_WINDOW)), r.to_dict()


def test_never_named_municipalities_not_coded(coding, seed_lines):
    text = "\n".join(seed_lines)
    for k in KOMMUNER:
        if not NAME_PATTERNS[k].search(text):
            assert (coding.loc[coding["kommun"] == k, "status"] == "not_reported").all(), k


def _status(coding, kommun, code):
    s = coding.loc[(coding["kommun"] == kommun) & (coding["code"] == code), "status"]
    assert len(s) == 1, (kommun, code)
    return s.iloc[0]


@pytest.mark.parametrize(
    "kommun,code",
    [
        ("Mora", "joint_coordinator_agreement"),
        ("Orsa", "joint_coordinator_agreement"),
        ("Malung-Sälen", "joint_coordinator_agreement"),
        ("Vansbro", "joint_coordinator_agreement"),
        ("Borlänge", "violence_unit"),
        ("Falun", "violence_unit"),
        ("Falun", "perpetrator_expertise"),
        ("Ludvika", "perpetrator_expertise"),
        ("Borlänge", "annual_quality_report"),
    ],
)
def test_known_examples_yes(coding, kommun, code):
    assert _status(coding, kommun, code) == "yes"


def test_known_examples_not_overcoded(coding):
    # exactly the four named municipalities are in the agreement; 'Fyra kommuner' (lines 41, 413)
    agreement = coding[(coding["code"] == "joint_coordinator_agreement") & (coding["status"] == "yes")]
    assert set(agreement["kommun"]) == {"Mora", "Orsa", "Malung-Sälen", "Vansbro"}
    assert set(coding[(coding["code"] == "violence_unit") & (coding["status"] == "yes")]["kommun"]) == {
        "Borlänge",
        "Falun",
    }
    assert set(coding[(coding["code"] == "perpetrator_expertise") & (coding["status"] == "yes")]["kommun"]) == {
        "Falun",
        "Ludvika",
    }
    # nobody is coded 'no' merely for not being mentioned (the report has no explicit negative statement about a named municipality)
    assert (coding["status"] != "no").all()


# ---------------------------------------------------------------- group statements
def test_group_statements_in_seed(groups, seed_lines):
    assert len(groups) > 0
    assert set(groups["theme"]) <= GROUP_THEMES
    for _, r in groups.iterrows():
        assert norm(r["statement"]) in window(seed_lines, r["seed_line"], QUOTE_WINDOW), r.to_dict()
        first = re.sub(r"[\[\]()]", "", r["quantifier"]).split()[0].lower()
        assert first in r["statement"].lower(), r.to_dict()


def test_group_statements_name_no_municipality(groups):
    for s in groups["statement"]:
        named = [k for k, p in NAME_PATTERNS.items() if p.search(s)]
        # the only exception: the 'bland annat Borlänge' sentence, kept for its quantifier and coded separately
        assert named in ([], ["Borlänge"]), s


# ---------------------------------------------------------------- counts
COUNT_COLS = "indicator label category category_label group_var group n n_max N percent percent_max exclusive unit source_ref seed_line note".split()


def test_counts_schema(counts):
    assert list(counts.columns) == COUNT_COLS
    assert not counts.duplicated(["indicator", "category", "group_var", "group"]).any()
    assert set(counts["exclusive"]) <= {"yes", "no"}
    for c in ["n", "n_max", "N"]:
        assert counts[c].str.fullmatch(r"\d*").all(), c
    assert ((counts["n"] != "") | (counts["percent"] != "")).all()
    assert counts["indicator"].map(lambda c: bool(SNAKE.match(c))).all()


def test_counts_baseline_survey(counts):
    r = counts[counts["indicator"] == "baseline_survey_municipalities_answered"]
    assert len(r) == 1
    r = r.iloc[0]
    assert r["n"] == "13" and r["unit"] == "kommuner" and r["seed_line"] == "285"
    # the report never prints the base: N must stay empty, never filled with 15
    assert r["N"] == ""
    assert (counts["N"] == "").all()
    four = counts[counts["indicator"] == "joint_coordinator_agreement_municipalities"].iloc[0]
    assert four["n"] == "4"


def test_counts_printed_near_seed_line(counts, seed_lines):
    """Every n, n_max, N, percent and percent_max is printed within ±3 lines of seed_line: as
    digits (a percent followed by "%"), or as a number word quoted in the note."""
    for _, r in counts.iterrows():
        for col in ["n", "n_max", "N", "percent", "percent_max"]:
            if r[col] != "":
                ok = tr.number_printed_near(
                    seed_lines,
                    int(r["seed_line"]),
                    r[col],
                    QUOTE_WINDOW,
                    note=r["note"],
                    percent=col.startswith("percent"),
                )
                assert ok, (r["indicator"], r["category"], col, r[col])


def test_counts_exclusive_sets_add_up(counts):
    assert tr.exclusive_sum_problems(counts) == []


def test_municipalities_resolve_to_kommunkod(mun, coding):
    codes = tr.reference_kommunkoder(set(mun["kommun"]) | set(coding["kommun"]))
    assert all(codes.values()), {k: c for k, c in codes.items() if c is None}
    assert len(codes) == 15 and {c[:2] for c in codes.values()} == {"20"}  # Dalarnas län


# ---------------------------------------------------------------- codebook
def test_codebook_covers_every_column(codebook):
    col_rows = codebook[codebook["code"] == ""]
    for name in FILES:
        df = read(name)
        described = set(col_rows.loc[col_rows["file"] == name, "column"])
        assert set(df.columns) == described, name
    assert set(col_rows["type"]) <= {"string", "integer", "number", "code", "boolean"}
    assert set(col_rows["required"]) <= {"yes", "no"}
    assert (codebook["label_sv"] != "").all()


def test_codebook_covers_every_code(codebook):
    col_rows = codebook[codebook["code"] == ""]
    for name in FILES:
        df = read(name)
        for column in col_rows.loc[(col_rows["file"] == name) & (col_rows["type"] == "code"), "column"]:
            allowed = set(
                codebook.loc[
                    (codebook["file"] == name) & (codebook["column"] == column) & (codebook["code"] != ""), "code"
                ]
            )
            used = set(df[column]) - {""}
            assert used <= allowed, (name, column, used - allowed)


def test_codebook_required_columns_filled(codebook):
    col_rows = codebook[(codebook["code"] == "") & (codebook["required"] == "yes")]
    for _, r in col_rows.iterrows():
        df = read(r["file"])
        assert (df[r["column"]] != "").all(), (r["file"], r["column"])


def test_codebook_status_labels(codebook, codes):
    st = codebook[(codebook["file"] == "coding.csv") & (codebook["column"] == "status") & (codebook["code"] != "")]
    assert dict(zip(st["code"], st["label_sv"])) == {
        "yes": "uppgett ja",
        "no": "uppgett nej",
        "not_reported": "uppgift saknas",
    }
    cc = codebook[(codebook["file"] == "coding.csv") & (codebook["column"] == "code") & (codebook["code"] != "")]
    assert set(cc["code"]) == set(codes["code"])
    th = codebook[(codebook["file"] == "codes.csv") & (codebook["column"] == "theme") & (codebook["code"] != "")]
    assert set(th["code"]) == THEMES


def test_plain_counts_use_category_yes(counts):
    """CONVENTIONS: `yes` for a plain count. Every indicator printed as a single figure uses it."""
    single = counts.groupby(["indicator", "group_var", "group"])["category"].agg(list)
    assert all(cats == ["yes"] for cats in single if len(cats) == 1), single[single.map(len) == 1]
    skr = counts[counts["indicator"] == "skr_follow_up_project_municipalities"]
    assert skr[["n", "N", "seed_line"]].values.tolist() == [["1", "", "458"]]
