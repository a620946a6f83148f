"""The section 'Nationellt sammanhang': built from the real data into a temporary folder, its
numbers checked against values computed by hand from the raw CSVs (not through the pipeline)."""

import itertools
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis import figures, tables
from analysis.sections import KINDS, national, region_builders
from support.sections import CombinedSectionChecks, build_into, used_variables
from support.sections import raw_rows as raw

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FIGURES = ["fig-oj-heatmap-1", "fig-oj-heatmap-2"]
TABLES = ["tbl-oj-municipalities", "tbl-lst-indicators", "tbl-lst-key-persons", "tbl-lst-respondents"]
COMPANION_TABLES = ["tbl-lst-key-persons"]


@pytest.fixture(scope="module")
def results(default_config, results_of):
    return default_config, results_of("national")


@pytest.fixture(scope="module")
def built(results, tmp_path_factory):
    config, res = results
    return build_into(national.build, res, config, tmp_path_factory.mktemp("national"), "national")


# --- hand computations from the raw CSVs -----------------------------------------------------


def hand_ja_counts() -> Counter:
    return Counter(r["kommun"] for r in raw("skl_2016", "oj_values") if r["value"] == "2")


def hand_differences() -> dict[str, float]:
    """Per indicator: 100·(ja among the 8)/8 − printed national percent."""
    values = raw("skl_2016", "oj_values")
    ja = Counter(r["indicator"] for r in values if r["value"] == "2")
    n = Counter(r["indicator"] for r in values)
    return {
        r["indicator"]: 100 * ja[r["indicator"]] / n[r["indicator"]] - float(r["national_share_percent"])
        for r in raw("skl_2016", "indicators")
    }


class TestRegistration:
    def test_both_national_kinds_run_this_builder_once(self, config):
        assert KINDS[national.MATRIX] is KINDS[national.BOARDS] is national.build
        assert region_builders(config, "national") == [national.build]


class TestFilesAndProvenance(CombinedSectionChecks):
    figures, tables, min_provenance_rows = FIGURES, TABLES, 50

    def test_every_variable_used_in_the_text_is_defined_and_vice_versa(self, built):
        _, variables = built
        text = (ROOT / "report" / "sections" / "_nationellt.qmd").read_text(encoding="utf-8")
        used = set(used_variables(text, "national"))
        assert used <= set(variables), used - set(variables)
        # the audit of the county boards' printed shares is in the technical companion
        companion = (ROOT / "report" / "sections" / "_reproduktion.qmd").read_text(encoding="utf-8")
        for item in FIGURES + TABLES:
            where = companion if item in COMPANION_TABLES else text
            assert f"@{item}" in where and f"_generated/{item}.md" in where, item
            assert item in COMPANION_TABLES or f"_generated/{item}.md" not in companion, item

    def test_the_text_types_no_percent_by_hand(self):
        text = (ROOT / "report" / "sections" / "_nationellt.qmd").read_text(encoding="utf-8")
        without_vars = re.sub(r"\{\{<.*?>\}\}", "", text)
        assert not re.search(r"\d+(,\d+)?\s?%", without_vars)


class TestOjNumbers:
    def test_tyreso_printed_and_recounted(self, built):
        _, v = built
        printed = {r["kommun"]: r["ja_count_published"] for r in raw("skl_2016", "municipalities")}
        assert printed["Tyresö"] == "49" and hand_ja_counts()["Tyresö"] == 48
        assert (v["oj_tyreso_published"], v["oj_tyreso_recomputed"]) == ("49", "48")
        assert v["oj_ja_differs"] == "1"

    def test_municipality_table_has_one_count_column(self, built):
        # the printed count only; the recount (48 in Tyresö's own values) is in the technical companion
        assets, _ = built
        text = (assets / "tbl-oj-municipalities.md").read_text(encoding="utf-8")
        header = next(line for line in text.splitlines() if line.startswith("|"))
        assert header.count("Ja-svar") == 1 and "Ja-svar (av 60)" in header
        tyreso = next(line for line in text.splitlines() if line.startswith("| Tyresö"))
        assert "| 49 |" in tyreso and "48" not in tyreso
        assert "Askim-Frölunda-Högsbo" in text and text.count("saknas") == 2

    def test_directions_against_the_nation(self, built):
        _, v = built
        diffs = hand_differences()
        assert len(diffs) == 60
        above = sum(d > 0 for d in diffs.values())
        below = sum(d < 0 for d in diffs.values())
        assert (above, below) == (56, 3)
        assert (v["oj_above"], v["oj_equal"], v["oj_below"]) == ("56", "1", "3")

    def test_no_ranking_on_the_base_of_8_only_a_contrast(self, built):
        _, v = built
        # a ranking by difference would need 7/8 = 87,5 %: the text names the indicators with at
        # least 6 ja among the 8 and under 25 % in the nation instead, as counts (review 5, finding 6)
        assert not any(name.startswith("oj_top") for name in v)
        assert (v["oj_contrast_min_ja"], v["oj_contrast_max_nation"], v["oj_contrast_n"]) == ("6", "25\u00a0%", "3")
        listed = v["oj_contrast_list"]
        assert "7 av 8 mot 22\u00a0% i riket" in listed and listed.count(" av 8 mot ") == 3
        assert "polisen" in listed and "Migrationsverket" in listed and "brukarnas uppfattning" in listed
        assert "oj_top1_share" not in v and "oj_lowest_share" not in v and "oj_top1_diff" not in v
        text = (ROOT / "report" / "sections" / "_nationellt.qmd").read_text(encoding="utf-8")
        assert "Störst" not in text and "största skillnaderna" not in text

    def test_answers_as_counts_no_percent_on_the_eight(self, built):
        _, v = built
        values = raw("skl_2016", "oj_values")
        assert sum(r["value"] == "2" for r in values) == 380 and len(values) == 480
        assert (v["oj_ja_total"], v["oj_answers_total"]) == ("380", "480")
        # no share of the 8 and no median difference in percentage points from base-8 shares
        assert not {"oj_mean_share_8", "oj_median_difference", "oj_furthest_min"} & set(v)


class TestOjHeatmap:
    def test_every_cell_as_printed_and_the_national_share_beside(self, built):
        assets, _ = built
        values = {(r["kommun"], r["indicator"]): r["value"] for r in raw("skl_2016", "oj_values")}
        letters = {"2": "J", "1": "D", "0": "N"}
        national_by_indicator = {r["indicator"]: r["national_share_percent"] for r in raw("skl_2016", "indicators")}
        all_indicators = []
        for fid in FIGURES:  # the two parts of the heat map, split at an area boundary
            fig = national.figures.load_json(assets / f"{fid}.json")  # the PDF's static figure
            cells, nation = fig.data[0], fig.data[1]
            rows = list(cells.y)
            assert rows[0].startswith("area:") and len(cells.x) == 8
            all_indicators += [r for r in rows if not r.startswith("area:")]
            for i, row in enumerate(rows):
                for j, kommun in enumerate(cells.x):
                    expected = "" if row.startswith("area:") else letters[values[(kommun, row)]]
                    assert cells.text[i][j] == expected, (row, kommun)
                if not row.startswith("area:"):
                    assert nation.text[i][0] == f"{national_by_indicator[row]}\u00a0%", row
            legend = [t.name for t in fig.data[2:]]
            assert legend == ["J = ja", "D = delvis", "N = nej", "– = ej rapporterat (inte nej)"]
        assert len(all_indicators) == len(set(all_indicators)) == 60

    def test_not_reported_is_never_no(self, built, results):
        config, res = results
        oj = res["oj_2015_kommun"].copy()
        oj.loc[0, "value"] = None
        frame, municipalities = national.oj_heatmap_frame(oj, res["oj_vs_nation"])
        row = frame[frame["row"] == oj.loc[0, "indicator"]].iloc[0]
        assert row[oj.loc[0, "kommun"]] == "not_reported"

    def test_the_four_cell_colours_stay_apart_in_greyscale(self):
        def luminance(colour: str) -> float:  # WCAG relative luminance of an sRGB colour
            channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
            r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
            return 0.2126 * r + 0.7152 * g + 0.0722 * b

        colours = national.OJ_CELL_COLOURS
        assert set(colours) == set(national.OJ_CELLS.values())
        for a, b in itertools.combinations(colours, 2):
            high, low = sorted((luminance(colours[a]), luminance(colours[b])), reverse=True)
            assert (high + 0.05) / (low + 0.05) >= national.GREYSCALE_MIN_CONTRAST, (a, b)
        assert national.GREYSCALE_MIN_CONTRAST >= 1.8  # sky-blue delvis and yellow nej (1,74) did not pass

    def test_pdf_text_is_readable_and_html_labels_wrap_to_two_lines(self, built, results):
        config, res = results
        matrix = national.Presented.of(config, national.MATRIX)
        parts = national.oj_heatmap_figures(res["oj_2015_kommun"], res["oj_vs_nation"], ("r",), matrix)
        indicators = [sum(not str(y).startswith("area:") for y in part.static.data[0].y) for part in parts]
        assert indicators == [27, 33]  # split after the area "Insatser"
        text_width_pt = 470  # the PDF's text width: the static image is scaled to it
        for part in parts:
            static = part.static.layout
            scale = text_width_pt / static.width
            sizes = [static.yaxis.tickfont.size, static.xaxis.tickfont.size, part.static.data[0].textfont.size]
            assert min(sizes) * scale >= 8.5, sizes  # printed text of at least 8,5 pt (review: 8 pt was too small)
            assert static.height * scale <= 560  # one page with its caption
            labels = part.figure.layout.yaxis.ticktext
            assert max(label.count("<br>") for label in labels) <= 1
            assert "ÖJ Brottsoffer 2015" in part.caption and "riket" in part.caption

    def test_study_facts(self, built):
        _, v = built
        assert (v["oj_interviews"], v["oj_interviewees"]) == ("17", "29")
        assert (v["oj_interviewees_senior"], v["oj_interviewees_managers"], v["oj_interviewees_officers"]) == (
            "10",
            "6",
            "13",
        )
        assert v["oj_response_rate"] == "91\u00a0%"


class TestLansstyrelserna:
    def test_indicator_table_has_ja_and_delvis_only(self, built):
        assets, v = built
        text = (assets / "tbl-lst-indicators.md").read_text(encoding="utf-8")
        header = text.splitlines()[1]
        assert "Ja" in header and "Delvis" in header and "Nej" not in header and "| N |" not in header
        rows = [
            r
            for r in raw("lansstyrelserna_2015", "counts")
            if r["unit"] == "länsstyrelser" and r["category"] in ("yes", "partly") and r["indicator"] != "county_boards"
        ]
        assert len(rows) == 22 and all(r["N"] == "" for r in rows)
        assert v["lst_indicators"] == "11"
        assert v["lst_ja_max"] == "15" and v["lst_sum_max"] == "18"
        assert "| Flera personer med samma yrke/funktion som fått samma utbildning | 15 | 3 |" in text

    def test_key_person_shares_as_printed_with_their_problems(self, built):
        _, v = built
        assert (v["lst_better_printed"], v["lst_partly_printed"], v["lst_none_printed"]) == (
            "72,9\u00a0%",
            "16,28\u00a0%",
            "11,63\u00a0%",
        )
        assert v["lst_printed_sum"] == "100,81\u00a0%"  # 72,9 + 16,28 + 11,63
        # computed shares in whole percent (base 43 < 100)
        assert (v["lst_better_low_n"], v["lst_better_low_pct"]) == ("31", "72\u00a0%")  # 31/43
        assert (v["lst_better_high_n"], v["lst_better_high_pct"]) == ("32", "74\u00a0%")  # 32/43
        assert (v["lst_partly_n"], v["lst_none_n"]) == ("7", "5")  # 7/43 = 16,28 %, 5/43 = 11,63 %
        assert (v["lst_better_residual_n"], v["lst_better_residual_pct"]) == ("31", "72\u00a0%")  # 43 − 7 − 5
        assert v["lst_probable_total_n"] == "43"
        assert "lst_better_n" not in v  # no count fits 72,9 %: 31 is the residual, not a fit

    def test_key_person_table_shows_31_of_43_and_no_two_decimal_computed_share(self, built):
        assets, _ = built
        text = (assets / "tbl-lst-key-persons.md").read_text(encoding="utf-8")
        assert "| Bättre | 31^a^ | 72\u00a0% | 72,9\u00a0%^b^ | 73\u00a0%^b^ |" in text
        assert "| Delvis bättre | 7^c^ | 16\u00a0% | 16,28\u00a0% | 16\u00a0% |" in text
        assert "72,09" not in text and "74,42" not in text

    def test_respondents(self, built):
        _, v = built
        assert (v["lst_civil"], v["lst_agencies"], v["lst_women"], v["lst_men"]) == ("8", "35", "38", "5")
        assert (v["lst_strategic"], v["lst_direct"], v["lst_three_years"], v["lst_past_year"]) == (
            "21",
            "22",
            "34",
            "9",
        )


class TestHelpers:
    def test_printed_percent_keeps_the_printed_precision(self):
        assert national.printed_percent(72.9) == "72,9\u00a0%"
        assert national.printed_percent(16.28) == "16,28\u00a0%"
        assert national.printed_percent(73.0) == "73\u00a0%"

    def test_furthest_rows_keeps_ties(self):
        frame = pd.DataFrame(
            {
                "indicator": ["a", "b", "c", "d"],
                "difference_pp": [30.0, -20.0, 20.0, 5.0],
                "rank_abs_difference": [1, 2, 2, 4],
            }
        )
        assert national.furthest_rows(frame, max_rank=2)["indicator"].tolist() == ["a", "b", "c"]

    def test_indicator_table_refuses_a_base(self, results):
        config, res = results
        boards = national.Presented.of(config, national.BOARDS)
        shares = res["shares"].copy()
        table = (shares["source"] == boards.source) & (shares["indicator"] == "more_joint_trainings")
        shares.loc[table, "N"] = 21
        with pytest.raises(ValueError, match="has a base N"):
            national.lst_indicator_rows(shares, boards)

    def test_one_row_names_what_is_missing(self, results):
        config, res = results
        matrix = national.Presented.of(config, national.MATRIX)
        with pytest.raises(KeyError, match="no_such_indicator"):
            national.one_row(res["shares"], matrix.source, "no_such_indicator")

    def test_wrap_label(self):
        assert figures.wrap_label("a b c", 3) == "a b<br>c"
        assert figures.wrap_label("kort") == "kort"

    def test_dumbbell_puts_labels_outside_the_pair(self):
        fig = figures.horizontal_dumbbell(
            ["x", "y"],
            [0.2, 0.9],
            [0.8, 0.5],
            ["20", "90"],
            ["80", "50"],
            left_name="L",
            right_name="R",
            axis_title="t",
        )
        left, right = fig.data[-2], fig.data[-1]
        assert list(left.textposition) == ["middle left", "middle right"]
        assert list(right.textposition) == ["middle right", "middle left"]
        assert left.marker.symbol != right.marker.symbol

    def test_pipe_table_widths_set_the_rule(self):
        frame = pd.DataFrame({"a": ["x"], "b": ["1"]})
        rule = tables.pipe_table(frame, right_align=("b",), widths=(3, 1)).splitlines()[1]
        assert rule == "|:" + "-" * 44 + "|" + "-" * 14 + ":|"
        assert tables.pipe_table(frame).splitlines()[1] == "|:--|:--|"
        with pytest.raises(ValueError, match="2 columns"):
            tables.pipe_table(frame, widths=(1,))


def test_the_better_answers_are_given_as_computed_from_the_shares():
    """9.2: the number answering 'bättre' is the rest after the two exact shares (003 l.1014-1020,
    partial non-response): 'omkring ... (räknat ur källans andelar)', never a plain count (review 5, 12).
    How it was computed, and the misprinted share, are in the companion (Underlag till del II)."""
    text = (ROOT / "report" / "sections" / "_nationellt.qmd").read_text(encoding="utf-8")
    flat = " ".join(text.split())
    var = "{{< var themes.residual_coordination_improved_better_n >}}"
    assert flat.count(var) == 1 and flat.count(f"omkring {var}") == 1
    assert "tryckfel" not in flat and "national.lst_better_printed" not in flat
    companion = " ".join((ROOT / "report" / "sections" / "_underlag-del2.qmd").read_text(encoding="utf-8").split())
    assert f"omkring {var}" in companion and "{{< var national.lst_better_printed >}}" in companion
    assert "(räknat ur källans andelar)" in flat
