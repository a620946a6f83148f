"""Unit tests of tests/support/transcription.py on tiny, made-up inputs (no seed files needed)."""

from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest

from support.transcription import (
    CODEBOOK_COLUMNS,
    SumProblem,
    codebook_problems,
    counts_giving_percent,
    exclusive_sum_problems,
    number_printed_near,
    number_words_near,
    numbers_near,
    percent_consistent,
    percent_decimals,
    quoted_in_note,
    resolve_kommunkod,
    round_half_up,
    seed_lines,
    seed_text,
)

LINES = [
    "Rubrik",  # 1
    "1. Polisen, 67 procent (26)",  # 2
    "",  # 3
    "Åtta (21 procent) av de 39 respondenterna och14",  # 4
    "nådde ca 1\u00a0750 deltagare, 72,9 procent",  # 5
    "64-69 procent (25-27) saknar rutiner",  # 6
    "16,28 anser att",  # 7
    "webbportalen3 lanserades",  # 8
    "",  # 9
    "",  # 10
    "Sju kommuner",  # 11
]


class TestSeedLines:
    def test_line_k_is_index_k_minus_1(self, tmp_path):
        path = tmp_path / "seed.txt"
        path.write_text("a\nb\n\nd\n", encoding="utf-8")
        lines = seed_lines(path)
        assert lines[1 - 1] == "a" and lines[4 - 1] == "d"
        assert len(lines) == 5  # the empty string after the last newline, as str.split("\n")

    def test_splits_on_newline_only(self, tmp_path):
        path = tmp_path / "seed.txt"
        path.write_text("a\x0cb\nc", encoding="utf-8")  # a form feed is not a line break here
        assert seed_lines(path) == ["a\x0cb", "c"]


class TestSeedText:
    def test_window_is_clipped_and_joined(self):
        assert seed_text(LINES, 1, 1) == "Rubrik\n1. Polisen, 67 procent (26)"
        assert seed_text(LINES, 11, 1, 0) == "\nSju kommuner"

    def test_no_break_spaces_become_spaces(self):
        assert "1 750" in seed_text(LINES, 5, 0)

    def test_after_defaults_to_before(self):
        assert seed_text(LINES, 4, 1) == "\n".join(LINES[2:5]).replace("\u00a0", " ")


class TestNumbersNear:
    def test_reads_swedish_printing(self):
        found = numbers_near(LINES, 5, 0)
        assert found == {Decimal(1750), Decimal("72.9")}

    def test_ranges_give_both_ends(self):
        assert {Decimal(64), Decimal(69), Decimal(25), Decimal(27)} <= numbers_near(LINES, 6, 0)

    def test_window(self):
        assert Decimal(26) in numbers_near(LINES, 4, 2)
        assert Decimal(26) not in numbers_near(LINES, 4, 1)

    def test_glued_numbers_count_unless_strict(self):
        assert Decimal(14) in numbers_near(LINES, 4, 0)
        assert Decimal(14) not in numbers_near(LINES, 4, 0, strict=True)
        assert Decimal(3) not in numbers_near(LINES, 8, 0, strict=True)

    def test_number_words(self):
        assert number_words_near(LINES, 4, 0) == {8: {"åtta"}}
        assert number_words_near(LINES, 11, 0) == {7: {"sju"}}


class TestQuotedInNote:
    @pytest.mark.parametrize(
        "note", ["'Åtta'", 'printed as the word "åtta"', "'Endast åtta av de 39'", "x ('åtta' = 8)"]
    )
    def test_quoted(self, note):
        assert quoted_in_note("åtta", note)

    @pytest.mark.parametrize("note", ["åtta", "'åttan'", "", None, float("nan")])
    def test_not_quoted(self, note):
        assert not quoted_in_note("åtta", note)


class TestNumberPrintedNear:
    def test_digits(self):
        assert number_printed_near(LINES, 2, 26, 0)
        assert number_printed_near(LINES, 2, "26", 0)
        assert number_printed_near(LINES, 5, 1750, 0)
        assert not number_printed_near(LINES, 5, 1, 0)  # inside "1 750"
        assert not number_printed_near(LINES, 5, 750, 0)
        assert not number_printed_near(LINES, 2, 27, 0)

    def test_decimal_percent(self):
        assert number_printed_near(LINES, 5, 72.9, 0)
        assert not number_printed_near(LINES, 5, 72, 0)
        assert not number_printed_near(LINES, 5, 9, 0)
        assert number_printed_near(LINES, 7, 16.28, 0)

    def test_percent_needs_unit(self):
        assert number_printed_near(LINES, 2, 67, 0, percent=True)
        assert not number_printed_near(LINES, 2, 26, 0, percent=True)
        assert number_printed_near(LINES, 6, 64, 0, percent=True)  # range "64-69 procent"
        assert number_printed_near(LINES, 6, 69, 0, percent=True)
        assert not number_printed_near(LINES, 6, 25, 0, percent=True)
        assert not number_printed_near(LINES, 7, 16.28, 0, percent=True)  # "16,28 anser"
        assert number_printed_near(LINES, 5, 72.9, 0, percent=True)

    def test_word_only_when_quoted_in_note(self):
        assert not number_printed_near(LINES, 4, 8, 0)
        assert not number_printed_near(LINES, 4, 8, 0, note="no base printed")
        assert number_printed_near(LINES, 4, 8, 0, note="'Åtta'")
        assert not number_printed_near(LINES, 4, 7, 0, note="'sju'")  # not printed there
        assert number_printed_near(LINES, 11, 7, 0, note="printed as the word 'Sju'")

    def test_strict(self):
        assert number_printed_near(LINES, 4, 14, 0)
        assert not number_printed_near(LINES, 4, 14, 0, strict=True)


class TestRoundHalfUp:
    @pytest.mark.parametrize(
        "x,d,expected",
        [
            (Fraction(26 * 100, 39), 0, "67"),
            (Fraction(1, 2), 0, "1"),
            (Fraction(5, 2), 0, "3"),
            (Fraction(3100, 43), 2, "72.09"),
            (Fraction(700, 43), 2, "16.28"),
            ("12.5", 0, "13"),
            (Decimal("0.125"), 2, "0.13"),
            (2.5, 0, "3"),
            (7, 0, "7"),
            (Fraction(-1, 2), 0, "-1"),
        ],
    )
    def test_values(self, x, d, expected):
        assert round_half_up(x, d) == Decimal(expected)

    def test_not_bankers_rounding(self):
        assert round(2.5) == 2 and round_half_up(Fraction(5, 2)) == 3


class TestPercents:
    @pytest.mark.parametrize("p,d", [(67, 0), (72.9, 1), (16.28, 2), (16.0, 0), ("100", 0), ("64", 0)])
    def test_percent_decimals(self, p, d):
        assert percent_decimals(p) == d

    def test_counts_giving_percent(self):
        assert counts_giving_percent(67, 39) == [26]
        assert counts_giving_percent(64, 32) == []  # 20/32 = 62.5, 21/32 = 65.6
        assert counts_giving_percent(16.28, 43) == [7]
        assert counts_giving_percent(72.9, 43) == []
        assert counts_giving_percent(100, 43) == [43]
        assert counts_giving_percent(50, 4) == [2]

    def test_percent_consistent_with_count(self):
        assert percent_consistent(26, 39, 67)
        assert percent_consistent("26", "39", "67")
        assert not percent_consistent(26, 39, 66)
        assert percent_consistent(31, 43, 72.09)
        assert not percent_consistent(31, 43, 72.9)

    def test_percent_consistent_without_count(self):
        assert percent_consistent(None, 39, 90)
        assert percent_consistent(float("nan"), 39, 90)
        assert percent_consistent("", 32, 72)
        assert not percent_consistent(pd.NA, 32, 64)


def counts(rows):
    return pd.DataFrame(rows, columns=["indicator", "group_var", "group", "n", "N", "exclusive"])


class TestExclusiveSumProblems:
    def test_adds_up(self):
        t = counts([["a", "all", "all", 25, 39, "yes"], ["a", "all", "all", 14, 39, "yes"]])
        assert exclusive_sum_problems(t) == []

    def test_sum_differs(self):
        t = counts([["a", "all", "all", 20, 39, "yes"], ["a", "all", "all", 17, 39, "yes"]])
        assert exclusive_sum_problems(t) == [SumProblem("a", "all", "all", 37, 39, "sum differs from base")]

    def test_default_base_when_no_n(self):
        t = counts([["a", "all", "all", 17, None, "yes"], ["a", "all", "all", 20, None, "yes"]])
        assert exclusive_sum_problems(t, default_base=37) == []
        assert exclusive_sum_problems(t, default_base=39)[0].reason == "sum differs from base"
        assert exclusive_sum_problems(t)[0].reason == "no base"

    def test_printed_base_wins_over_default(self):
        t = counts([["a", "all", "all", 2, 9, "yes"], ["a", "all", "all", 7, 9, "yes"]])
        assert exclusive_sum_problems(t, default_base=39) == []

    def test_missing_and_mixed(self):
        t = counts(
            [
                ["a", "all", "all", 2, 9, "yes"],
                ["a", "all", "all", None, 9, "yes"],
                ["b", "all", "all", 2, 9, "yes"],
                ["b", "all", "all", 7, 10, "yes"],
                ["c", "all", "all", None, 43, "yes"],
                ["c", "all", "all", None, 43, "yes"],
            ]
        )
        assert [(p.indicator, p.reason) for p in exclusive_sum_problems(t)] == [
            ("a", "count missing"),
            ("b", "mixed bases"),
            ("c", "no counts"),
        ]

    def test_groups_are_separate_sets_and_non_exclusive_rows_ignored(self):
        t = counts(
            [
                ["a", "size", "x", 1, 3, "yes"],
                ["a", "size", "x", 2, 3, "yes"],
                ["a", "size", "y", 5, 5, "yes"],
                ["b", "all", "all", 1, 39, "no"],
            ]
        )
        assert exclusive_sum_problems(t) == []

    def test_text_columns(self):
        t = counts([["a", "all", "all", "4", "9", "yes"], ["a", "all", "all", "5", "", "yes"]])
        assert exclusive_sum_problems(t) == []


class TestResolveKommunkod:
    def test_names_and_aliases(self):
        kommuner = pd.DataFrame({"kommun": ["Falun", "Stockholm"], "kommunkod": ["2080", "0180"]})
        aliases = pd.DataFrame({"alias": ["Falu kommun"], "kommunkod": ["2080"]})
        assert resolve_kommunkod(["Falun", "Falu kommun", "Faluns kommun"], kommuner, aliases) == {
            "Falun": "2080",
            "Falu kommun": "2080",
            "Faluns kommun": None,
        }
        assert resolve_kommunkod(["Stockholm"], kommuner) == {"Stockholm": "0180"}


def write_folder(tmp_path, codebook_rows, tables):
    pd.DataFrame(codebook_rows, columns=CODEBOOK_COLUMNS).to_csv(tmp_path / "codebook.csv", index=False)
    for name, frame in tables.items():
        frame.to_csv(tmp_path / name, index=False)
    return tmp_path


SELF = [["codebook.csv", c, "", "string", "no", "", "", c, c] for c in CODEBOOK_COLUMNS]
GOOD = [
    ["t.csv", "kind", "", "code", "yes", "", "", "Typ", "a code"],
    ["t.csv", "kind", "yes", "", "", "", "", "ja", "yes"],
    ["t.csv", "n", "", "integer", "no", "0", "39", "Antal", "count"],
]


class TestCodebookProblems:
    def test_complete(self, tmp_path):
        folder = write_folder(tmp_path, GOOD + SELF, {"t.csv": pd.DataFrame({"kind": ["yes"], "n": [3]})})
        assert codebook_problems(folder) == []

    def test_every_gap_is_reported(self, tmp_path):
        table = pd.DataFrame({"kind": ["yes", "total", ""], "n": ["3", "40", "x"], "extra": [1, 2, 3]})
        rows = GOOD + [["gone.csv", "a", "", "string", "no", "", "", "a", "a"]]  # no self rows
        problems = codebook_problems(write_folder(tmp_path, rows, {"t.csv": table}))
        text = "\n".join(problems)
        assert "describes gone.csv" in text
        assert "codebook.csv: columns not in the codebook" in text
        assert "t.csv: columns not in the codebook: ['extra']" in text
        assert "t.csv.kind: required but empty in 1 rows" in text
        assert "t.csv.kind: codes not in the codebook: ['total']" in text
        assert "t.csv.n: not integer: ['x']" in text

    def test_range(self, tmp_path):
        folder = write_folder(tmp_path, GOOD + SELF, {"t.csv": pd.DataFrame({"kind": ["yes"], "n": [40]})})
        assert codebook_problems(folder) == ["t.csv.n: above max 39"]

    def test_wrong_header(self, tmp_path):
        pd.DataFrame({"file": ["t.csv"]}).to_csv(tmp_path / "codebook.csv", index=False)
        assert "codebook.csv columns are" in codebook_problems(tmp_path)[0]
