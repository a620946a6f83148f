"""The comparison section (sections/comparison.py), built from the real raw data through the
pipeline's own steps (region tables → combine), into a temporary assets folder."""

import re

import pytest

from analysis import cross_source, paths, swedish
from analysis.sections import comparison
from support.sections import CombinedSectionChecks, build_into, used_variables
from support.sections import pipe_rows as table_rows
from support.sections import raw_frame as raw

QMD = paths.REPORT / "sections" / "_jamforelse.qmd"


@pytest.fixture(scope="module")
def built(combined, tmp_path_factory):
    config, tables = combined
    return build_into(comparison.build, tables, config, tmp_path_factory.mktemp("assets"), "comparison")


class TestFiles(CombinedSectionChecks):
    figures, tables = (), ("tbl-cross-themes",)

    def test_every_item_is_written(self, built):
        assets, _ = built
        for name in (
            "tbl-cross-themes.md",
            "tbl-cross-definitions.md",
            "vars/comparison.yml",
            "provenance/comparison.csv",
            "provenance/tbl-cross-themes.csv",
        ):
            assert (assets / name).exists(), name

    def test_no_figure_is_written(self, built):
        # the cross-source percentage figure was included nowhere (issue 10): deleted, not just hidden
        assets, _ = built
        assert not list(assets.glob("fig-cross-*")) and not (assets / "provenance" / "fig-cross-shares.csv").exists()

    def test_cross_source_rows_carry_their_source_ref(self, combined):
        _, tables = combined
        refs = tables["cross_source"]["source_ref"]
        assert refs.notna().all() and (refs.str.strip() != "").all()


class TestNumbers:
    def test_stockholm_coordinator_from_the_raw_counts(self, built):
        _, variables = built
        counts = raw("stockholm_2008", "counts")
        n = int(counts.loc[counts["indicator"] == "coordinator_exists", "n"].iloc[0])
        units = int(counts.loc[counts["indicator"] == "units_participated", "n"].iloc[0])
        assert (n, units) == (19, 39)
        assert variables["coordinator_stockholm_count"] == "19 av 39"
        assert variables["coordinator_stockholm_share"] == swedish.percent_on(19 / 39, 39) == "49\u00a0%"

    def test_dalarna_is_a_lower_bound(self, built):
        _, variables = built
        coding = raw("dalarna_2020", "coding")
        codes = {"joint_coordinator_agreement", "care_administration_coordinator"}
        yes = coding[coding["code"].isin(codes) & (coding["status"] == "yes")]["kommun"].nunique()
        assert yes == 5
        # named examples are never a share: the number of municipalities named, no base, no percent
        assert variables["coordinator_dalarna_count"] == "5"
        assert "coordinator_dalarna_share" not in variables
        assert not any(str(v).startswith("minst") for v in variables.values())

    def test_oj_selection_and_nation_are_separate(self, built):
        _, variables = built
        values = raw("skl_2016", "oj_values")
        police = values[values["indicator"] == "oj_41"]
        assert (int((police["value"] == "2").sum()), len(police)) == (7, 8)
        national = raw("skl_2016", "indicators").set_index("indicator").loc["oj_41", "national_share_percent"]
        assert variables["police_cooperation_skl_count"] == "7 av 8"
        assert variables["police_cooperation_skl_riket_share"] == f"{national}\u00a0%" == "22\u00a0%"
        assert variables["oj_sample_N"] == "8"

    def test_summary_counts(self, built, combined):
        _, variables = built
        _, tables = combined
        cross = tables["cross_source"]
        assert variables["n_rows"] == str(len(cross)) == "45"
        assert variables["n_themes"] == str(cross["theme"].nunique())
        assert variables["years"] == "2008–2020"
        assert int(variables["n_rows_same_definition"]) + int(variables["n_rows_partly"]) + int(
            variables["n_rows_related"]
        ) == len(cross)


class TestTable:
    def test_one_row_per_theme_and_source_with_markers(self, built, combined):
        assets, _ = built
        _, tables = combined
        cross = tables["cross_source"]
        rows = table_rows((assets / "tbl-cross-themes.md").read_text(encoding="utf-8"))
        assert len(rows) == len(cross)
        sources = [r[1] for r in rows]
        assert sum(s.endswith("†") for s in sources) == (cross["comparable"] == "partly").sum()
        assert sum(s.endswith("‡") for s in sources) == (cross["comparable"] == "no").sum()
        years = {r[3] for r in rows}
        assert years == {"2008", "2014", "2015", "2019", "2020"}  # no thousands separator in years
        dalarna = [r for r in rows if r[1].startswith("Region Dalarna")]
        assert dalarna and all(r[4].startswith("nämnda kommuner: ") and r[5] == "–" for r in dalarna)

    def test_caption_explains_the_markers(self, built):
        assets, _ = built
        text = (assets / "tbl-cross-themes.md").read_text(encoding="utf-8")
        assert "† delvis jämförbar" in text and "‡ endast närliggande" in text and "ingen andel" in text
        assert "minst" not in text


class TestText:
    def test_every_variable_in_the_text_is_defined(self, built):
        _, variables = built
        used = used_variables(QMD.read_text(encoding="utf-8"), "comparison")
        assert used and sorted(set(used) - set(variables)) == []

    def test_no_number_from_the_data_is_typed_into_the_text(self):
        text = re.sub(r"\{\{<.*?>\}\}|\[@[^\]]+\]", "", QMD.read_text(encoding="utf-8"))  # vars, citations
        numbers = set(re.findall(r"\d+", text))
        assert numbers <= {"2008", "2010", "2012", "2015", "2019", "2020"}, numbers

    def test_every_generated_item_is_included_and_referred_to(self):
        text = QMD.read_text(encoding="utf-8")
        # no cross-source figure: it put lower bounds from named examples on the same axis as census
        # shares (issue 10); the main report has the theme × source evidence matrix
        for item in ("tbl-cross-themes", "tbl-cross-definitions"):
            assert f"{{{{< include _generated/{item}.md >}}}}" in text
            assert f"@{item}" in text


def test_a_source_without_a_short_name_is_an_error(default_config):
    config = {"sources": {**default_config["sources"], "unknown_2030": {"title": "x"}}}
    with pytest.raises(KeyError, match="combined_sections.short_name"):
        comparison.source_name("unknown_2030", config)
    with pytest.raises(KeyError, match="combined_sections.series"):
        comparison.series_label("unknown_2030", config)
    with pytest.raises(comparison.SourcePresentationError, match="combined_sections.national_series"):
        comparison.series_label("stockholm_2008/nation", config)


def test_cross_source_columns_include_source_ref():
    assert cross_source.CROSS_COLUMNS[-1] == "source_ref"
