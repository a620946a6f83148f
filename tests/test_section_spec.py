"""The per-source section builders: the source comes from config, the particulars from the
source's presentation.yml, the words from report/text/<locale>/<section>.yml."""

import ast
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import texts
from analysis.input_errors import ConfigError
from analysis.sections import coding_grid, counts_survey, national, size_class_mapping, spec

ROOT = Path(__file__).resolve().parents[1]
BUILDERS = [counts_survey, national, coding_grid, size_class_mapping, spec]
SOURCE_IDS = re.compile(r"stockholm_2008|sormland_2019|dalarna_2020|skl_2016|lansstyrelserna_2015")
SWEDISH = re.compile("[åäöÅÄÖ]")


@pytest.mark.parametrize("module", BUILDERS, ids=lambda m: m.__name__)
def test_the_builder_names_no_source(module):
    text = Path(module.__file__).read_text(encoding="utf-8")
    assert not SOURCE_IDS.findall(text)


@pytest.mark.parametrize("module", BUILDERS, ids=lambda m: m.__name__)
def test_the_builder_holds_no_swedish_text(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    swedish = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SWEDISH.search(node.value)
    ]
    assert swedish == []


@pytest.mark.parametrize("config_file", ["default.yml", "examples.yml"])
def test_every_kind_is_presented_by_exactly_one_configured_source(config_file):
    config = yaml.safe_load((ROOT / "config" / config_file).read_text(encoding="utf-8"))
    kinds = [counts_survey.KIND, national.MATRIX, national.BOARDS, coding_grid.KIND, size_class_mapping.KIND]
    chosen = [spec.source_for(config, kind) for kind in kinds]
    assert len(set(chosen)) == len(kinds)
    for source in chosen:
        assert spec.declaration(config, source)


def test_a_missing_or_doubled_kind_is_a_config_error(default_config):
    with pytest.raises(ConfigError, match="0 sources have presentation kind 'counts_survey'"):
        spec.source_for({"sources": {}}, "counts_survey")
    doubled = {"sources": {"a": {"presentation": {"kind": "k"}}, "b": {"presentation": {"kind": "k"}}}}
    with pytest.raises(ConfigError, match=r"2 sources .* \(a, b\)"):
        spec.source_for(doubled, "k")
    without = {"sources": {"a": {"presentation": {"kind": "k"}}}}
    with pytest.raises(ConfigError, match="no `presentation.declaration`"):
        spec.declaration(without, "a")


def test_a_missing_template_names_the_key():
    t = spec.Texts("stockholm")
    with pytest.raises(texts.MissingTextError, match="no_such_key"):
        t("figures.no_such_key")
    with pytest.raises(texts.MissingTextError, match="is a template, not a group"):
        t.group("source_line")


def test_the_texts_follow_the_configs_locale():
    assert spec.Texts.of("stockholm", {"report": {"locale": "en"}}).locale == "en"
    assert spec.Texts.of("stockholm", {}).locale == texts.DEFAULT_LOCALE


@pytest.mark.parametrize("module", BUILDERS, ids=lambda m: m.__name__)
def test_the_builder_reads_no_raw_data(module):
    """Presentation reads data/processed only: no loader of raw inputs is imported."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"source_loader", "pipeline", "io", "readers", "read_raw_csv"}


def test_the_presented_tables_are_passed_through_to_the_region_folder(default_config, results_of, tmp_path):
    from analysis import pipeline

    results = results_of("sormland")
    source = size_class_mapping.Mapping.of(default_config).source
    municipalities = results[f"{source}.municipalities"]
    # the reference attributes the size-class table needs come with it
    assert {"kommunkod", "kommungrupp_2017", "folkmangd_2019"} <= set(municipalities.columns)
    assert municipalities["folkmangd_2019"].notna().all()
    pipeline.write_region(results, tmp_path, "sormland")
    assert (tmp_path / "regions" / "sormland" / f"{source}.municipalities.csv").exists()
    assert not list(tmp_path.glob(f"{source}.*.csv"))  # not among the top-level tables
    tables = spec.source_tables(results, default_config, source)
    assert set(tables) == set(default_config["sources"][source]["presentation"]["tables"])


def test_the_presentation_step_not_the_notebooks_depends_on_the_texts_and_declarations(root):
    from analysis import deps

    rules = deps.rules(root / "config" / "default.yml", root)
    dalarna_rule = next(line for line in rules.splitlines() if line.startswith("build/notebooks/region-dalarna.ipynb:"))
    # the notebooks compute only: a text or a declaration changes no notebook's output
    assert "report/text/sv/dalarna.yml" not in dalarna_rule and "presentation.yml" not in dalarna_rule
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    present_inputs = makefile[makefile.index("PRESENT_INPUTS :=") :].split("\n\n")[0]
    assert "report/text/*/*.yml" in present_inputs and "data/raw/*/presentation.yml" in present_inputs


def test_a_source_is_presented_in_its_regions_section(default_config):
    survey = counts_survey.Survey.of(default_config)
    assert (
        survey.t.section
        == default_config["sources"][survey.source]["region"]
        == spec.section_of(default_config, survey.source)
    )


def test_share_row_names_what_is_missing_or_doubled():
    shares = pd.DataFrame(
        [("s", "q", "yes", "all", 1), ("s", "q", "yes", "all", 2), ("s", "r", "yes", "all", 3)],
        columns=["source", "indicator", "category", "group", "n"],
    )
    assert spec.share_row(shares, "s", "r")["n"] == 3
    with pytest.raises(spec.MissingShareError, match="s: expected one shares row q/yes/all, found 2"):
        spec.share_row(shares, "s", "q")
    with pytest.raises(KeyError, match="s: expected one shares row r/no/all, found 0"):
        spec.share_row(shares, "s", "r", "no")
