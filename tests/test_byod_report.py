"""A report built from own data (config/examples.yml): the region and combined steps and every
section builder run on the made-up examples; what the inputs lack reads "uppgift saknas" with a
provenance that says where it should have come from, and the default build never has it."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import appendix, combine, inventory, paths, pipeline, present, report_vars, sources, swedish
from analysis.report_vars import MISSING_TEXT, ReportNumbers

ROOT = paths.ROOT


def build_all(config_name: str, tmp: Path) -> tuple[dict, Path]:
    """Region results, combined tables (in a tmp processed dir) and every section into tmp/assets."""
    config = pipeline.load_config(ROOT / "config" / config_name)
    processed, assets = tmp / "processed", tmp / "assets"
    for region in pipeline.regions(config):
        results = pipeline.region_results(config, region, ROOT)
        pipeline.write_region(results, processed, region)
        inventory.write_region(inventory.region_inventory(config, region, ROOT), processed, region)
    combined = combine.combine_regions(config, processed, ROOT)
    combine.write_combined(combined, processed)
    present.present(config, None, processed, assets)  # every section, from processed
    appendix.build_appendix_a(assets, config, processed, ROOT)
    return config, assets


def variables(assets: Path) -> dict:
    merged = {}
    for part in sorted((assets / "vars").glob("*.yml")):
        merged.update(yaml.safe_load(part.read_text(encoding="utf-8")))
    return merged


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    return build_all("examples.yml", tmp_path_factory.mktemp("examples"))


@pytest.fixture(scope="module")
def default(pipeline_run):
    """The default build: the session's one pipeline run (conftest), with appendix A added."""
    config, processed, assets = pipeline_run
    appendix.build_appendix_a(assets, config, processed, ROOT)
    return config, assets


class TestExamplesReport:
    def test_every_variable_the_text_uses_is_defined(self, examples):
        _, assets = examples
        defined = variables(assets)
        for section in ("stockholm", "dalarna", "reproduction", "overview"):
            missing = sorted(report_vars.used_variables(section) - set(defined.get(section, {})))
            assert not missing, (section, missing)

    def test_absent_numbers_read_uppgift_saknas(self, examples):
        _, assets = examples
        values = variables(assets)
        # left out of the example microdata (data/examples/README.md)
        assert values["stockholm"]["plan_updated_n"] == MISSING_TEXT
        assert values["stockholm"]["hrv_counselling_n"] == MISSING_TEXT
        assert values["stockholm"]["women_training_types_sum"] == MISSING_TEXT
        # a coding sheet has no municipalities, counts or group statements
        for name in ("municipalities_N", "baseline_n", "statements_N"):
            assert values["dalarna"][name] == MISSING_TEXT
        # present in the examples: a number, never the placeholder, never a published figure
        assert values["stockholm"]["women_police_n"] == "26"
        assert values["dalarna"]["cells_no_n"] == "1"  # the example sheet's explicit 'nej:'

    def test_absent_numbers_never_become_zero(self, examples):
        _, assets = examples
        stockholm = variables(assets)["stockholm"]
        assert all(stockholm[f"plan_{k}_n"] == MISSING_TEXT for k in ("hrv", "men", "coop", "vulnerable"))

    def test_provenance_of_absent_numbers_says_where_they_should_come_from(self, examples):
        _, assets = examples
        prov = pd.read_csv(assets / "provenance" / "stockholm.csv", dtype=str, keep_default_na=False)
        absent = prov[prov["value"] == MISSING_TEXT]
        assert len(absent) > 0
        assert absent["source_ref"].str.startswith("saknas i indata: stockholm_2008, ").all()
        row = absent[absent["variable"] == "stockholm.plan_updated_n"].iloc[0]
        assert row["source_ref"] == "saknas i indata: stockholm_2008, action_plan_fully_updated"

    def test_tables_leave_absent_rows_out_and_say_how_many(self, examples):
        _, assets = examples
        key = (assets / "tbl-stockholm-key.md").read_text(encoding="utf-8")
        assert "1 av 25 förväntade uppgifter saknas i indata och visas inte." in key
        assert "Individuella stödsamtal (av övriga kommuner och stadsdelar)" not in key

    def test_a_table_without_data_is_a_one_line_note(self, examples):
        _, assets = examples
        text = (assets / "tbl-dal-pastaenden.md").read_text(encoding="utf-8")
        assert text.startswith("::: {#tbl-dal-pastaenden}") and "uppgift saknas i indata" in text
        assert "| Saknas i indata |" in text

    def test_no_nan_in_generated_text(self, examples):
        _, assets = examples
        for path in assets.glob("*.md"):
            text = path.read_text(encoding="utf-8")
            assert "nan" not in text.replace("nanc", "").lower().split(), path

    def test_appendix_lists_the_configured_input_files(self, examples):
        config, assets = examples
        inventory = appendix.raw_inventory(config, ROOT).set_index("source")
        assert pd.isna(inventory.loc["stockholm_2008", "folder"])
        assert inventory.loc["stockholm_2008", "files"] == {"data/examples/stockholm_2008_microdata.csv": 39}
        assert inventory.loc["stockholm_2008", "codebook"] == "data/examples/stockholm_2008_survey_codebook.csv"
        assert inventory.loc["dalarna_2020", "files"] == {"data/examples/dalarna_coding_sheet_example.csv": 6}
        assert inventory.loc["sormland_2019", "folder"] == "data/raw/sormland_2019"
        raw = (assets / "tbl-app-raw.md").read_text(encoding="utf-8")
        assert "data/examples/stockholm_2008_microdata.csv (39)" in raw


class TestDefaultReport:
    def test_uppgift_saknas_nowhere_in_the_default_build(self, default):
        _, assets = default
        values = variables(assets)
        assert not [f"{s}.{k}" for s, part in values.items() for k, v in part.items() if v == MISSING_TEXT]
        for path in assets.glob("*.md"):
            assert "saknas i indata" not in path.read_text(encoding="utf-8"), path


class TestHelpers:
    def test_add_missing(self):
        numbers = ReportNumbers("x")
        numbers.add_missing("a_n", "Antal a", "src", "ind")
        assert numbers.values == {"a_n": "uppgift saknas"}
        assert numbers.provenance[0]["source_ref"] == "saknas i indata: src, ind"

    def test_or_missing(self):
        assert report_vars.or_missing(None, swedish.percent) == MISSING_TEXT
        assert report_vars.or_missing(float("nan"), swedish.percent, 0) == MISSING_TEXT
        assert report_vars.or_missing(0.5, swedish.percent, 0) == "50\u00a0%"
        assert report_vars.or_missing(0, swedish.number) == "0"

    def test_missing_caption(self):
        assert report_vars.missing_caption(0, 7) == ""
        assert report_vars.missing_caption(2, 7) == " 2 av 7 förväntade uppgifter saknas i indata och visas inte."

    def test_figure_note_has_a_body_and_a_caption(self, tmp_path):
        path = report_vars.save_missing_note("fig-x", "Något", tmp_path, "src", ["a", "b", "a"])
        text = path.read_text(encoding="utf-8")
        assert text == "::: {#fig-x}\n*Uppgift saknas i indata.*\n\nNågot: uppgift saknas i indata (src: a, b).\n:::\n"
        prov = pd.read_csv(tmp_path / "provenance" / "fig-x.csv", dtype=str)
        assert sorted(prov["source_ref"]) == ["saknas i indata: src, a", "saknas i indata: src, b"]

    def test_used_variables_reads_the_text(self, tmp_path):
        (tmp_path / "a.qmd").write_text("{{< var s.x_N >}} {{< var t.y >}} {{< var s.z_n >}}", encoding="utf-8")
        assert report_vars.used_variables("s", tmp_path) == {"x_N", "z_n"}

    def test_input_description(self):
        assert sources.input_description({"inputs": {"kind": "published", "dir": "data/raw/x/"}}) == {
            "folder": "data/raw/x",
            "files": [],
            "codebook": "data/raw/x/codebook.csv",
        }
        described = sources.input_description(
            {"kind": "coding_sheet", "coding_sheet": "a.xlsx", "codes": "c.csv", "sheet": "Kodning"}
        )
        assert described == {"folder": None, "files": ["a.xlsx", "c.csv"], "codebook": "c.csv", "sheet": "Kodning"}


def test_published_inputs_still_must_have_every_stockholm_item():
    from analysis.sections import counts_survey

    config = pipeline.load_config(ROOT / "config" / "default.yml")
    shares = pipeline.region_results(config, "stockholm", ROOT)["shares"]
    item = counts_survey.Item("x", "nope", "yes")
    survey = counts_survey.Survey.of(config)
    with pytest.raises(KeyError, match="'nope'"):
        counts_survey.item_frame(shares, survey, items=(item,))
    assert counts_survey.item_frame(shares, survey, items=(item,), allow_missing=True).loc["x", "missing"]
