"""Shared fixtures: the default config, each region's results and the combined tables are
computed once per test session (the section tests all start from them; none may modify them)."""
from pathlib import Path

import pytest

from analysis import combine, inventory, paths, pipeline, present

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def default_config() -> dict:
    return pipeline.load_config(paths.ROOT / "config" / "default.yml")


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
def combined_tables(default_config, results_of, tmp_path_factory) -> dict:
    """What the combined sections get: every region written (with its inventory), then combined
    (as in `make report`)."""
    processed = tmp_path_factory.mktemp("processed")
    for region in pipeline.regions(default_config):
        pipeline.write_region(results_of(region), processed, region)
        inventory.write_region(inventory.region_inventory(default_config, region, paths.ROOT), processed, region)
    combined = combine.combine_regions(default_config, processed, paths.ROOT)
    return {**combined, **present.inventory_tables(processed, default_config)}
