"""Module fixtures for the transcription tests: one per table of a data/raw folder, and the seed text."""

import pytest

from . import seeds
from .transcription import seed_lines


def table_fixtures(read, **files):
    """One module-scoped fixture per table: `mun, codes = table_fixtures(read, mun="municipalities.csv",
    codes="codes.csv")`; each returns read(file)."""

    def make(name: str, file: str):
        @pytest.fixture(scope="module", name=name)
        def table():
            return read(file)

        return table

    return [make(name, file) for name, file in files.items()]


def seed_fixture(path, name: str = "seed"):
    """A module-scoped fixture with the seed text's lines (skipped outside CI, failing in CI, when absent)."""

    @pytest.fixture(scope="module", name=name)
    def seed():
        return seed_lines(seeds.require(path))

    return seed
