"""Shared fixtures: the default config, each region's results, the processed tables, the combined
tables and every section's assets are computed once per test session (the section and appendix
tests all start from them; none may modify them)."""

from pathlib import Path

import pytest

from analysis import combine, inventory, paths, pipeline, present
from analysis.sources import load_published

pytest.register_assert_rewrite("support.sections")  # its assert_… helpers report like a test's own asserts

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def default_config() -> dict:
    return pipeline.load_config(paths.ROOT / "config" / "default.yml")


@pytest.fixture(scope="session")
def config(default_config) -> dict:
    """The default config (modules that need another one define their own `config`)."""
    return default_config


@pytest.fixture(scope="session")
def real(default_config) -> tuple[dict, dict]:
    """(every regional source's published tables by id, the reference tables), read once."""
    regional = [
        s for s, c in default_config["sources"].items() if c["inputs"]["kind"] == "published" and c.get("breakdowns")
    ]
    return (
        {s: load_published(paths.ROOT / default_config["sources"][s]["inputs"]["dir"]) for s in regional},
        load_published(paths.ROOT / default_config["reference"]),
    )


@pytest.fixture(scope="session")
def results_of(default_config):
    """results_of(region) → pipeline.region_results for the default config, computed once."""
    cache = {}

    def get(region: str) -> dict:
        if region not in cache:
            cache[region] = pipeline.region_results(default_config, region, paths.ROOT)
        return cache[region]

    return get


@pytest.fixture(scope="session")
def processed_dir(default_config, results_of, tmp_path_factory) -> Path:
    """A data/processed with every region's tables written (as the region notebooks do)."""
    processed = tmp_path_factory.mktemp("processed")
    for region in pipeline.regions(default_config):
        pipeline.write_region(results_of(region), processed, region)
        inventory.write_region(inventory.region_inventory(default_config, region, paths.ROOT), processed, region)
    return processed


@pytest.fixture(scope="session")
def combined_tables(default_config, processed_dir) -> dict:
    """What the combined sections get: every region written (with its inventory), then combined
    (as in `make report`)."""
    combined = combine.combine_regions(default_config, processed_dir, paths.ROOT)
    return {**combined, **present.inventory_tables(processed_dir, default_config)}


@pytest.fixture(scope="session")
def combined(default_config, combined_tables) -> tuple[dict, dict]:
    """(the default config, the combined tables): what a combined section's builder gets."""
    return default_config, combined_tables


@pytest.fixture(scope="session")
def pipeline_run(default_config, results_of, processed_dir, combined_tables, tmp_path_factory):
    """The whole pipeline's work, once per session: region and combined tables in processed_dir,
    every section builder's assets. Returns (config, processed_dir, assets_dir)."""
    assets = tmp_path_factory.mktemp("assets")
    combine.write_combined(combine.combine_regions(default_config, processed_dir, paths.ROOT), processed_dir)
    present.present(default_config, None, processed_dir, assets)  # every section, from processed
    return default_config, processed_dir, assets


# --- markers for the fast loop (`make test-fast` = not e2e and not slow) ---------------------------

# The fast loop is unit tests on small made-up inputs. Slow: tests that start from the whole
# pipeline's results or from every real source (`real` fixtures), the modules that build the
# report (pandoc, Typst) or a whole edition in temporary folders, and the tests that start the
# command line in a subprocess (or build every source twice, execute a notebook, read the
# made-up example exports).
SLOW_FIXTURES = {"results_of", "processed_dir", "combined_tables", "pipeline_run", "real"}
SLOW_MODULES = {"test_byod_report", "test_render_fallback", "test_adding_a_source"}
SLOW_TESTS = {  # command line in a subprocess
    "test_cli_validates_the_default_config",
    "test_cli_with_config_reports_every_source_and_builds_nothing",
    "test_bad_input_fails_the_cli_with_every_part_of_the_message",
    "test_cli_ok_prints_a_one_line_summary",
    "test_codebook_that_does_not_describe_the_file",
    "test_config_examples_validates_with_the_cli",
    "test_single_counts_file_without_codebook_uses_the_conventions_schema",
    "test_build_is_deterministic_and_sorted",
    "test_executed_notebooks_are_normalised_for_determinism",
    "test_the_examples_folder_validates_against_its_codebook",
    "test_excel_copies_give_the_same_counts",
}
SLOW_CLASSES = {"TestStockholmMicrodata"}  # every test starts from the example microdata export


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        name = getattr(item, "originalname", item.name)
        cls = item.cls.__name__ if getattr(item, "cls", None) else ""
        if (
            SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
            or module in SLOW_MODULES
            or name in SLOW_TESTS
            or cls in SLOW_CLASSES
        ):
            item.add_marker(pytest.mark.slow)
