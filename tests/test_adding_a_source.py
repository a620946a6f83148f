"""docs/adding-a-source.md, followed once: a made-up source (tests/data/example_source: a data
folder and a config entry, no code) goes through validation, the region step and the combined step."""

import copy
import shutil

import pytest

from analysis import combine, paths, pipeline, sources

EXAMPLE = {
    "title": "Exempelkommunerna (2024), påhittad",
    "region": "exempel",
    "area": "Exempellän",
    "year": 2024,
    "design": "census",
    "inputs": {"kind": "published", "dir": "tests/data/example_source"},
    "breakdowns": ["kommungrupp_2017", "population_band"],
    "breakdown_notes": {"not_possible": "Ej möjligt: bara totaler."},
}


@pytest.fixture(scope="module")
def config(default_config):
    extended = copy.deepcopy(default_config)
    extended["sources"]["example_2024"] = copy.deepcopy(EXAMPLE)
    return extended


@pytest.fixture(scope="module")
def region(config):
    return pipeline.region_results(config, "exempel", paths.ROOT)


def test_the_folder_validates_like_a_published_source():
    tables = sources.load("example_2024", EXAMPLE, paths.ROOT)
    assert list(tables) == ["counts"] and len(tables["counts"]) == 4


def test_the_region_step_computes_every_table(region):
    assert set(region) == set(pipeline.REGION_TABLES)
    shares = region["shares"].set_index(["indicator", "category"])
    assert (shares.loc[("coordinator", "yes"), "n"], shares.loc[("coordinator", "yes"), "N"]) == (4, 6)
    # a percent printed without its count: n inferred from the base (50 % of 6 = 3)
    assert shares.loc[("action_plan", "yes"), "n"] == 3
    assert shares.loc[("action_plan", "yes"), "n_basis"] == "inferred_from_percent"


def test_published_figures_are_checked(region):
    reproduction = region["reproduction"].set_index("quantity")
    assert reproduction.loc["coordinator/yes: percent", "status"] == "match"
    assert reproduction.loc["coordinator: sum of n vs N", "check"] == "sum_vs_base"
    assert reproduction.loc["action_plan/yes: percent", "fits"] == "3"


def test_totals_only_give_explicit_not_possible_records(region):
    breakdowns, tests = region["breakdowns"], region["tests"]
    assert set(breakdowns["breakdown"]) == {"kommungrupp_2017", "population_band"}
    assert (breakdowns["note"] == "Ej möjligt: bara totaler.").all() and (breakdowns["N"] == 6).all()
    assert list(tests["reason"]) == ["totals_only"]


def test_the_combined_step_takes_the_new_region(config, region, processed_dir, tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(processed_dir, processed)
    pipeline.write_region(region, processed, "exempel")
    combined = combine.combine_regions(config, processed, paths.ROOT)
    for name in pipeline.REGION_TABLES:
        assert "example_2024" in set(combined[name]["source"]), name
    assert "example_2024" not in set(combined["cross_source"]["source"])  # no theme mapped (config/cross_source.csv)


def test_a_new_source_without_a_breakdowns_declaration_is_an_error(config):
    broken = copy.deepcopy(config)
    del broken["sources"]["example_2024"]["breakdowns"]
    with pytest.raises(ValueError, match="declare `breakdowns`"):
        pipeline.region_results(broken, "exempel", paths.ROOT)
