"""The Stockholm 2008 section, built from the real data into a temporary assets folder.

Expected numbers are computed by hand from data/raw/stockholm_2008/counts.csv (n/39 with one
decimal, rounded half up), not by the code under test.
"""

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import figures
from analysis.sections import counts_survey

ROOT = Path(__file__).resolve().parents[1]
COMPANION_TABLES = {"tbl-women-learned-via"}  # the text gives its numbers: the table is in the companion
RAW = ROOT / "data" / "raw" / "stockholm_2008" / "counts.csv"
SECTION_FILES = [
    ROOT / "report" / "sections" / "_stockholm.qmd",
    ROOT / "report" / "sections" / "_sammanfattning-stockholm.qmd",
]
NBSP = "\u00a0"
VAR = re.compile(r"\{\{<\s*var\s+stockholm\.(\w+)\s*>\}\}")


def pct(text: str) -> str:
    return text.replace(" %", NBSP + "%")


@pytest.fixture(scope="module")
def results(results_of):
    return results_of("stockholm")


@pytest.fixture(scope="module")
def survey(default_config):
    return counts_survey.Survey.of(default_config)


@pytest.fixture(scope="module")
def assets(results, default_config, tmp_path_factory):
    target = tmp_path_factory.mktemp("assets")
    counts_survey.build(results, default_config, target)
    return target


@pytest.fixture(scope="module")
def variables(assets):
    return yaml.safe_load((assets / "vars" / "stockholm.yml").read_text(encoding="utf-8"))["stockholm"]


@pytest.fixture(scope="module")
def raw():
    with open(RAW, encoding="utf-8") as handle:
        return {(r["indicator"], r["category"]): r for r in csv.DictReader(handle)}


class TestFilesWritten:
    FIGURES = ["fig-stockholm-organisation", "fig-stockholm-sufficiency"]
    TABLES = ["tbl-women-learned-via", "tbl-stockholm-key"]

    def test_every_figure_table_and_the_variables_exist(self, assets):
        for fid in self.FIGURES:
            assert (assets / f"{fid}.json").exists() and (assets / f"{fid}.md").exists(), fid
        for tid in self.TABLES:
            assert (assets / f"{tid}.md").exists(), tid
        assert (assets / "vars" / "stockholm.yml").exists()
        assert (assets / "provenance" / "stockholm.csv").exists()

    def test_every_figure_has_alt_text_with_numbers(self, assets):
        for fid in self.FIGURES:
            snippet = (assets / f"{fid}.md").read_text(encoding="utf-8")
            alt = re.search(r'fig-alt="([^"]*)"', snippet).group(1)
            assert len(alt) > 40 and re.search(r"\d", alt), fid

    def test_no_missing_values_leak_into_generated_text(self, assets):
        for path in [*assets.glob("*.md"), *assets.glob("vars/*.yml")]:
            text = path.read_text(encoding="utf-8")
            for word in ("nan", "NaN", "None", "<NA>"):
                assert not re.search(rf"\b{re.escape(word)}\b", text), (path.name, word)

    def test_every_provenance_row_has_a_source_ref(self, assets, variables):
        provenance = pd.concat(
            [pd.read_csv(p, dtype=str, keep_default_na=False) for p in (assets / "provenance").glob("*.csv")]
        )
        assert (provenance["source_ref"].str.strip() != "").all()
        assert provenance["source_ref"].str.startswith("001_ef6ed4fd332bf2ed.txt").all()
        named = set(provenance["variable"])
        assert {f"stockholm.{name}" for name in variables} <= named
        assert set(TestFilesWritten.FIGURES + TestFilesWritten.TABLES) <= named


class TestKeyNumbers:
    @pytest.mark.parametrize(
        "name, expected",
        [
            ("units_N", "39"),
            ("women_police_n", "26"),
            ("women_police_share", pct("67 %")),
            ("women_police_published", pct("67 %")),
            ("coordinator_n", "19"),
            ("coordinator_share", pct("49 %")),  # 19/39
            ("coordinator_ifo_share", pct("79 %")),  # 15/19
            ("plan_current_share", pct("59 %")),
            ("plan_old_share", pct("28 %")),
            ("plan_none_share", pct("13 %")),  # 23, 11, 5 of 39
            ("stats_yes_share", pct("23 %")),
            ("stats_no_share", pct("77 %")),  # 9, 30 of 39
            ("women_sufficient_share", pct("21 %")),
            ("women_partly_share", pct("51 %")),
            ("women_not_share", pct("28 %")),  # 8, 20, 11 of 39
            ("children_sufficient_share", pct("44 %")),  # 17/39
            ("children_sufficiency_printed_sum", "37"),
            ("children_sufficiency_missing_n", "2"),
            ("women_sufficiency_missing_n", "0"),
            ("women_counselling_n", "35"),
            ("women_counselling_share", pct("90 %")),  # only 35/39 rounds to 90
            ("children_counselling_n", "37"),  # only 37/39 rounds to 95
            ("hrv_counselling_n", "23"),
            ("hrv_counselling_N", "32"),
            ("hrv_counselling_share", pct("72 %")),
            ("hrv_counselling_fit_all_n", "28"),  # 28/39 = 71,8 -> 72
            ("hrv_sheltered_near_low_n", "20"),
            ("hrv_sheltered_near_low_share", pct("63 %")),
            ("hrv_sheltered_near_high_n", "21"),
            ("hrv_sheltered_near_high_share", pct("66 %")),
            ("hrv_sheltered_fit_all_n", "25"),
            ("hrv_sheltered_fit_all_share", pct("64 %")),
            ("children_precond_sum", "37"),
            ("men_precond_sum", "38"),
            ("hrv_precond_sum", "36"),
            ("women_training_types_sum", "39"),
            ("women_training_n", "28"),
            ("ext_men_police_N", "23"),
            ("ext_men_police_share", pct("70 %")),  # 16/23
            ("ext_confid_lacking_n", "25"),
            ("ext_confid_lacking_n_max", "27"),
            ("organisation_max_share", pct("59 %")),
        ],
    )
    def test_value(self, variables, name, expected):
        assert variables[name] == expected

    def test_counts_equal_the_raw_transcription(self, variables, raw):
        for name, key in [
            ("coordinator_n", ("coordinator_exists", "yes")),
            ("plan_current_n", ("action_plan_status", "current_plan")),
            ("stats_yes_n", ("overall_statistics", "yes")),
            ("children_not_n", ("children_support_sufficient", "not_sufficient")),
            ("hrv_detect_lacking_n", ("hrv_routines_detection_lacking", "yes")),
        ]:
            assert variables[name] == raw[key]["n"], name

    def test_at_most_is_the_base_minus_the_printed_count(self, variables, raw):
        """HRV detection routines for all staff: at most 39 − 26 (those who did not say they
        lacked them or had them not for all; non-answers included)."""
        lacking = int(raw[("hrv_routines_detection_lacking", "yes")]["n"])
        assert variables["hrv_detect_all_max"] == str(39 - lacking) == "13"

    def test_missing_children_answers_are_39_minus_the_printed_set(self, variables, raw):
        printed = sum(
            int(raw[("children_support_sufficient", c)]["n"]) for c in ("sufficient", "partly", "not_sufficient")
        )
        assert variables["children_sufficiency_missing_n"] == str(39 - printed)

    def test_ambiguous_bases_get_no_share(self, variables):
        for name in ("women_training_lectures", "plan_hrv", "ext_men_prison", "plan_updated", "hrv_sheltered"):
            assert f"{name}_share" not in variables, name
        assert "hrv_sheltered_n" not in variables  # no count on 32 gives 64 %: never invented


class TestSufficiencyFigure:
    def test_bars_reach_N_and_missing_answers_are_not_no(self, assets):
        fig = figures.load_json(assets / "fig-stockholm-sufficiency.json")
        names = [trace.name for trace in fig.data]
        assert names == ["Tillräckligt", "Delvis tillräckligt", "Inte tillräckligt", "Ej rapporterat"]
        totals = [sum(trace.x[j] for trace in fig.data) for j in range(2)]
        assert totals == [39, 39]
        missing = fig.data[3]
        assert list(missing.y) == ["Våldsutsatta kvinnor", "Barn som upplevt våld"]
        assert list(missing.x) == [0, 2]
        assert list(fig.data[0].x) == [8, 17] and list(fig.data[2].x) == [11, 8]

    def test_answer_options_differ_in_greyscale_or_pattern(self, assets):
        fig = figures.load_json(assets / "fig-stockholm-sufficiency.json")
        looks = {(trace.marker.color, trace.marker.pattern.shape) for trace in fig.data}
        assert len(looks) == 4

    def test_counts_frame_raises_when_printed_answers_exceed_the_base(self, results, survey):
        shares = results["shares"].copy()
        row = (shares["indicator"] == "children_support_sufficient") & (shares["category"] == "partly")
        shares.loc[row, "n"] = 30
        with pytest.raises(ValueError, match="exceed the base 39"):
            counts_survey.sufficiency_counts(shares, survey)


class TestOrganisationFigure:
    def test_bars_are_sorted_and_show_n_of_39(self, assets):
        bars = figures.load_json(assets / "fig-stockholm-organisation.json").data[0]
        assert list(bars.x) == sorted(bars.x, reverse=True)
        assert len(bars.x) == 7
        assert any("19 av 39" in text for text in bars.text)
        assert all("av 39" in text for text in bars.text)


class TestKeyTable:
    def test_inferred_counts_and_derived_numbers_are_marked(self, assets):
        text = (assets / "tbl-stockholm-key.md").read_text(encoding="utf-8")
        rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
        assert "| 35^a^ |" in rows["Egna stödsamtal"]
        assert "| 37^a^ |" in rows["Individuella stödsamtal för barnet"]
        assert "| 23^a^ | 32^b^ |" in rows["Individuella stödsamtal (av övriga kommuner och stadsdelar)"]
        assert text.count("^a^") == 3 + 1  # three cells and the footnote
        assert "^c^" not in text  # the missing answers are in the sufficiency figure

    def test_rows_a_figure_shows_are_not_repeated(self, assets, survey):
        """Figur 1 (organisation, routines) and Figur 2 (sufficiency) show their numbers; the key
        table does not repeat them (REPORT.md: a figure that repeats a table goes; review 4, 12)."""
        text = (assets / "tbl-stockholm-key.md").read_text(encoding="utf-8")
        rows = {line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")}
        labels = survey.t.group("key_table.labels")
        for name in survey.declaration["organisation_figure"]["items"]:
            assert labels[name] not in rows, name
        sufficiency_rows = [line for line in text.splitlines() if line.startswith("| Insatserna räcker")]
        assert len(sufficiency_rows) == 2  # men and hedersrelaterat våld: not in a figure
        assert "**Organisation**" not in text
        assert "figurerna ovan" in text

    def test_printed_counts_carry_no_marker(self, assets):
        text = (assets / "tbl-stockholm-key.md").read_text(encoding="utf-8")
        assert "| 28 | 39 | 72\u00a0% | 72\u00a0% |" in text

    def test_headings_use_the_reports_terms_and_every_percent_its_space(self, assets):
        text = (assets / "tbl-stockholm-key.md").read_text(encoding="utf-8")
        assert "| **Hedersrelaterat våld och förtryck** |" in text
        assert "| 7 | 39 | 18\u00a0% | – |" in text  # one digit too: the no-break space of swedish.percent
        assert not re.search(r"\d ?%", text)


class TestCensusBase:
    def test_a_printed_percent_that_does_not_fit_39_stops_the_build(self, config):
        """The base rule is applied where shares.csv is computed, and checks every printed percent."""
        from analysis import shares as share_math
        from analysis import source_loader

        source = config["sources"]["stockholm_2008"]
        counts = source_loader.load_source_tables("stockholm_2008", source, ROOT)["counts"].copy()
        row = (counts["indicator"] == "women_routines_detection") & (counts["category"] == "yes")
        counts.loc[row, "percent"] = 40  # 13/39 is 33 %
        rule = share_math.base_rule(source, "stockholm_2008")
        with pytest.raises(share_math.BaseRuleError, match="does not fit n = 13 on the default base 39"):
            share_math.counts_shares(counts, "stockholm_2008", rule)

    def test_items_take_their_base_from_shares(self, results, survey):
        items = counts_survey.item_frame(counts_survey.source_rows(results["shares"], survey.source), survey)
        shares = results["shares"]
        for item in items.itertuples():
            row = shares[
                (shares.source == survey.source)
                & (shares.indicator == item.indicator)
                & (shares.category == item.category)
            ].iloc[0]
            assert (pd.isna(row["N"]) and pd.isna(item.N)) or int(row["N"]) == item.N, item.name

    def test_the_six_who_named_a_gap_are_respondents_not_a_share_of_39(self, results, default_config, variables):
        """'Det saknas skyddat boende och gruppsamtal tycker sex respondenter' (001 l.453-455): the
        source prints no question and no base for it, so the base rule's exception keeps N empty."""
        assert "hrv_support_gaps" in default_config["sources"]["stockholm_2008"]["base_rule"]["except"]
        shares = results["shares"]
        row = shares[
            (shares.indicator == "hrv_support_gaps") & (shares.category == "sheltered_housing_and_group_talks")
        ]
        assert len(row) == 1 and int(row["n"].iloc[0]) == 6
        assert pd.isna(row["N"].iloc[0]) and pd.isna(row["share"].iloc[0]) and row["N_basis"].iloc[0] == "none"
        assert variables["hrv_gap_sheltered_n"] == "6" and "hrv_gap_sheltered_share" not in variables
        for path in (ROOT / "report").glob("**/*.qmd"):
            text = path.read_text(encoding="utf-8")
            assert "hrv_gap_sheltered_share" not in text and "hrv_gap_sheltered_N" not in text, path.name

    def test_units_must_be_a_census(self, results, survey):
        shares = results["shares"].copy()
        shares.loc[shares["indicator"] == "units_participated", "n"] = 38
        with pytest.raises(ValueError, match="census"):
            counts_survey.units_total(shares, survey)

    def test_unknown_item_is_named(self, results, survey):
        with pytest.raises(KeyError, match="'nope'"):
            counts_survey.item_frame(results["shares"], survey, items=(counts_survey.Item("x", "nope", "yes"),))


class TestSectionText:
    def test_every_variable_used_exists(self, variables):
        for path in SECTION_FILES:
            used = set(VAR.findall(path.read_text(encoding="utf-8")))
            assert used, path.name
            assert used <= set(variables), (path.name, sorted(used - set(variables)))

    def test_no_number_is_typed_by_hand(self):
        for path in SECTION_FILES:
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"\{\{<.*?>\}\}", "", text)  # shortcodes
            text = re.sub(r"@[\w-]+|\{#[\w-]+\}", "", text)  # citations, cross-references, ids
            text = text.replace("2008", "")  # the year that names the source
            text = text.replace("under 18 år", "")  # an age bound in the source's category, not a count
            text = re.sub(r"sedan (?:april|juli) 20\d\d", "", text)  # when the law changed (not a figure)
            assert not re.search(r"\d", text), (path.name, re.findall(r".{20}\d.{20}", text))

    def test_expanded_text_starts_no_line_with_a_list_number(self, variables):
        for path in SECTION_FILES:
            expanded = VAR.sub(lambda m: variables[m.group(1)], path.read_text(encoding="utf-8"))
            bad = [line for line in expanded.splitlines() if re.match(r"\s*\d+[.)]\s", line)]
            assert not bad, (path.name, bad)

    def test_every_generated_item_is_included_and_referred_to(self):
        text = SECTION_FILES[0].read_text(encoding="utf-8")
        companion = (ROOT / "report" / "sections" / "_underlag-del2.qmd").read_text(encoding="utf-8")
        for item in TestFilesWritten.FIGURES + TestFilesWritten.TABLES:
            if item in COMPANION_TABLES:  # a table whose numbers the text gives: in the companion
                assert f"{{{{< include _generated/{item}.md >}}}}" in companion and f"@{item}" not in text, item
                continue
            assert f"{{{{< include _generated/{item}.md >}}}}" in text, item
            assert f"@{item}" in text, item

    def test_summary_uses_only_stockholm_variables(self):
        text = SECTION_FILES[1].read_text(encoding="utf-8")
        assert re.findall(r"\{\{<\s*var\s+(\w+)\.", text) and set(re.findall(r"\{\{<\s*var\s+(\w+)\.", text)) == {
            "stockholm"
        }
        assert "@sec-nationellt" in text


class TestFigureHelpers:
    def test_wrap_label_breaks_at_spaces(self):
        assert (
            figures.wrap_label("Från annan enhet inom kommunen/stadsdelen", 22)
            == "Från annan enhet inom<br>kommunen/stadsdelen"
        )
        assert figures.wrap_label("Polisen") == "Polisen"

    def test_wrap_label_after_a_slash_and_never_at_a_hyphen(self):
        assert figures.wrap_label("kommunen/stadsdelen", 12, after_slash=True) == "kommunen/<br>stadsdelen"
        assert figures.wrap_label("kommunen/stadsdelen", 12) == "kommunen/stadsdelen"  # one word
        assert figures.wrap_label("Malung-Sälen och Orsa", 8) == "Malung-Sälen<br>och Orsa"
        assert figures.wrap_label("", 8) == ""

    def test_count_ticks_end_at_the_base(self):
        assert figures.count_ticks(39) == [0, 10, 20, 30, 39]
        assert figures.count_ticks(9) == [0, 2, 4, 6, 9]

    def test_stacked_answer_bars_checks_its_shapes(self):
        style = figures.AnswerStyle("#000000")
        with pytest.raises(ValueError, match="same length"):
            figures.stacked_answer_bars(["a"], ["x", "y"], [[1]], 2, "t", [style, style])
        with pytest.raises(ValueError, match="1 counts for 2 groups"):
            figures.stacked_answer_bars(["a", "b"], ["x"], [[1]], 2, "t", [style])
