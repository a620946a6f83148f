"""The Dalarna 2020 section: built from the real data into a temporary folder, checked against
numbers counted by hand from data/raw/dalarna_2020."""

import re
from collections import Counter

import pandas as pd
import pytest

from analysis import figures, paths, sections
from analysis.sections import coding_grid, spec
from support.sections import RegionSectionChecks, raw_rows, region_fixtures

SOURCE = "dalarna_2020"
TEXTS = [paths.REPORT / "sections" / "_dalarna.qmd", paths.REPORT / "sections" / "_sammanfattning-dalarna.qmd"]
FIGURES = ["fig-dal-kodning"]
TABLES = ["tbl-dal-koder", "tbl-dal-pastaenden"]
NBSP = "\u00a0"


def source_tables(results: dict, config: dict) -> dict:
    """The coding grid's own tables, as the compute step passes them through to data/processed."""
    return spec.source_tables(results, config, coding_grid.Grid.of(config).source)


results, built, variables = region_fixtures("dalarna")


@pytest.fixture(scope="module")
def grid(built):
    return figures.load_json(built / "fig-dal-kodning.json")


class TestBuild(RegionSectionChecks):
    section, texts, figures, tables = "dalarna", TEXTS, FIGURES, TABLES

    def test_the_coding_grid_kind_is_presented_by_this_builder(self, config):
        assert sections.KINDS[coding_grid.KIND] is coding_grid.build
        assert sections.region_builders(config, "dalarna") == [coding_grid.build]

    def test_no_size_breakdown_here(self, built):
        """The kommungrupp/population breakdown is the Kommunstorlek section's."""
        for path in built.glob("*dal*.md"):
            assert "kommungrupp" not in path.read_text(encoding="utf-8").lower(), path.name


class TestNumbersByHand:
    def test_coding_grid_counts(self, variables):
        coding = raw_rows(SOURCE, "coding")
        statuses = Counter(r["status"] for r in coding)
        assert statuses == {"not_reported": 218, "yes": 22}
        assert (variables["cells_N"], variables["cells_yes_n"], variables["cells_no_n"]) == ("240", "22", "0")
        assert (variables["codes_N"], variables["municipalities_N"], variables["interviewed_n"]) == ("16", "15", "15")

    def test_per_code_lower_bounds(self, built, variables):
        yes = Counter(r["code"] for r in raw_rows(SOURCE, "coding") if r["status"] == "yes")
        assert yes["joint_coordinator_agreement"] == 4 and yes["steering_document"] == 2
        for code in (r["code"] for r in raw_rows(SOURCE, "codes")):
            assert variables[f"{code}_n"] == str(yes[code])
        table = (built / "tbl-dal-koder.md").read_text(encoding="utf-8")
        assert ("| Samverkansavtal om gemensamma samordnare | Malung-Sälen, Mora, Orsa, Vansbro | 4 |") in table
        # named examples are never a share (REPORT.md, "Numbers"): no "minst n av 15"
        assert "minst" not in table and f"av{NBSP}15" not in table and "av 15" not in table

    def test_named_and_never_named_municipalities(self, variables):
        named = {r["kommun"] for r in raw_rows(SOURCE, "coding") if r["status"] == "yes"}
        assert len(named) == 9 and variables["named_n"] == "9"
        assert variables["never_named_n"] == "6"
        assert variables["never_named_list"] == "Gagnef, Hedemora, Leksand, Smedjebacken, Säter och Älvdalen"
        mora = sum(1 for r in raw_rows(SOURCE, "coding") if r["kommun"] == "Mora" and r["status"] == "yes")
        assert (variables["most_named"], variables["most_named_n"]) == ("Mora", str(mora)) == ("Mora", "8")

    def test_printed_counts(self, variables):
        counts = {r["indicator"]: r for r in raw_rows(SOURCE, "counts")}
        assert counts["baseline_survey_municipalities_answered"]["n"] == variables["baseline_n"] == "13"
        assert counts["baseline_survey_municipalities_answered"]["N"] == ""  # base not printed
        assert variables["agreement_n"] == "4" and variables["agreement_coordinators_n"] == "2"
        assert (variables["other_coordinator_min"], variables["other_coordinator_max"]) == (f"10{NBSP}%", f"50{NBSP}%")
        assert (variables["falun_coordinator"], variables["falun_ombud_n"]) == (f"50{NBSP}%", "50")
        assert variables["skr_project_n"] == "1"

    def test_statement_table(self, built, variables):
        assert len(raw_rows(SOURCE, "group_statements")) == 84
        assert (variables["statements_N"], variables["statements_shown_n"]) == ("84", "12")
        table = (built / "tbl-dal-pastaenden.md").read_text(encoding="utf-8")
        body = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| Tema")]
        assert len(body) == 12
        assert "| Brister | alla | Alla kommuner beskriver att orosanmälningarna stadigt har ökat |" in table
        assert "Urval av 12 av rapportens påståenden" in table and "84" not in table  # the count: companion


class TestNotReportedIsNotNo:
    def test_not_reported_is_neutral_light_grey_and_differs_from_no(self, config, results, grid):
        grey = coding_grid.STATUS_STYLE["not_reported"][1]
        assert grey == "#E3E3E3"  # neutral (R = G = B) and light
        assert coding_grid.STATUS_STYLE["no"][1] != grey and coding_grid.STATUS_STYLE["yes"][1] != grey
        raw = source_tables(results, config)
        figure = coding_grid.coding_grid_figure(
            raw["coding"], coding_grid.code_summary(raw["coding"], raw["codes"]), {}, coding_grid.Grid.of(config)
        )
        heatmap = next(t for t in figure.figure.data if t.type == "heatmap")
        value = {status: style[0] for status, style in coding_grid.STATUS_STYLE.items()}
        assert Counter(v for row in heatmap.z for v in row) == {value["not_reported"]: 218, value["yes"]: 22}
        # each status value falls in a band of the colour scale that has that status's colour
        for status, (v, colour) in coding_grid.STATUS_STYLE.items():
            position = (v - heatmap.zmin) / (heatmap.zmax - heatmap.zmin)
            band = [c for (p0, c), (p1, _) in zip(heatmap.colorscale, heatmap.colorscale[1:]) if p0 <= position <= p1]
            assert band and set(band) == {colour}, status
        legend = [t.name for t in grid.data if t.type == "scatter"]
        assert legend == ["Inte rapporterat (inte detsamma som nej)", "Ja: rapporten anger det för kommunen"]

    def test_caption_and_alt_say_grey_is_not_no(self, built):
        snippet = (built / "fig-dal-kodning.md").read_text(encoding="utf-8")
        alt = re.search(r'fig-alt="([^"]*)"', snippet).group(1)
        assert "ljusgrå och tomma (inte rapporterat, inte nej)" in alt and "inga rutor är nej" in alt
        assert "Tom ruta: inte rapporterat" in snippet and "minst n av" not in snippet

    def test_caption_and_alt_use_the_reports_term_and_the_reports_date(self, built):
        snippet = (built / "fig-dal-kodning.md").read_text(encoding="utf-8")
        # the report's term is "arbetssätt"; the seed (004) dates the report, not the interviews
        assert "praktik" not in snippet.lower() and "arbetssätt" in snippet
        assert "2 mars 2020" in snippet and "2019" not in snippet
        # no ranking of municipalities: the alt text does not say which one is named most
        alt = re.search(r'fig-alt="([^"]*)"', snippet).group(1)
        assert "flest gånger" not in alt and "jämför inte kommunerna" in alt

    def test_municipalities_in_alphabetical_order_not_ranked(self, grid):
        heatmap = next(t for t in grid.data if t.type == "heatmap")
        assert list(heatmap.x) == sorted(heatmap.x) and list(heatmap.x)[-1] == "Älvdalen"

    def test_code_labels_name_a_count_not_a_share(self, grid):
        heatmap = next(t for t in grid.data if t.type == "heatmap")
        assert all("(nämns för " in label and " av 15" not in label for label in heatmap.y)

    def test_code_summary_counts_only_explicit_no_as_no(self):
        coding = pd.DataFrame(
            {
                "kommun": ["A", "B", "C", "A", "B", "C"],
                "code": ["x"] * 3 + ["y"] * 3,
                "status": ["yes", "not_reported", "no", "not_reported", "not_reported", "yes"],
            }
        )
        codes = pd.DataFrame({"code": ["x", "y"], "theme": ["t", "t"], "label_sv": ["X", "Y"]})
        summary = coding_grid.code_summary(coding, codes)
        assert summary[["n_yes", "n_no", "N"]].values.tolist() == [[1, 1, 3], [1, 0, 3]]
        assert summary["kommuner"].tolist() == [["A"], ["C"]]
        with pytest.raises(ValueError, match="'no' cells"):
            coding_grid.check_prose_claims(summary, coding, {})

    def test_incomplete_grid_is_refused(self):
        coding = pd.DataFrame({"kommun": ["A", "B", "A"], "code": ["x", "x", "y"], "status": ["yes"] * 3})
        codes = pd.DataFrame({"code": ["x", "y"], "theme": ["t", "t"], "label_sv": ["X", "Y"]})
        with pytest.raises(ValueError, match="code 'y' has 1 cells, expected 2"):
            coding_grid.code_summary(coding, codes)


class TestGuards:
    def test_selected_statement_missing(self, config, results):
        statements = source_tables(results, config)["group_statements"]
        with pytest.raises(KeyError, match="line 1, quantifier 'alla'"):
            coding_grid.selected_statements(statements, [(1, "alla")])

    def test_named_municipalities_in_the_text_are_checked(self, config, results):
        raw = source_tables(results, config)
        named_in_text = coding_grid.Grid.of(config).declaration["named_in_text"]
        summary = coding_grid.code_summary(raw["coding"], raw["codes"])
        coding_grid.check_prose_claims(summary, raw["coding"], named_in_text)
        changed = summary.copy()
        changed.loc[changed["code"] == "violence_unit", "kommuner"] = pd.Series(
            [["Falun"]], index=changed.index[changed["code"] == "violence_unit"]
        )
        with pytest.raises(ValueError, match="violence_unit"):
            coding_grid.check_prose_claims(changed, raw["coding"], named_in_text)

    def test_wrap_keeps_words_whole(self):
        assert figures.wrap_label("Beslut/styrdokument", 14, after_slash=True) == "Beslut/<br>styrdokument"


class TestText:
    def test_text_refers_to_every_figure_and_table_and_has_the_callout(self):
        text = TEXTS[0].read_text(encoding="utf-8")
        companion = (TEXTS[0].parent / "_underlag-del2.qmd").read_text(encoding="utf-8")
        for item in [*FIGURES, *TABLES]:
            if item == "tbl-dal-koder":  # repeats fig-dal-kodning: the table is in the companion
                assert f"_generated/{item}.md" in companion and f"_generated/{item}.md" not in text
                continue
            assert f"@{item}" in text and f"_generated/{item}.md" in text
        assert '::: {.callout-note title="Vad rutnätet bygger på"}' in text
        # "jämför inte kommuner" and "inte en andel" are said once, in the caption (review 4, 15)
        assert "jämför" not in text.split("{{< include _generated/fig-dal-kodning.md >}}")[1]
        assert "inte en andel" not in text
        assert "@sec-kommunstorlek" in text
