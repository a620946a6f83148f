"""Loading every configured source's tables (validated by `analysis.sources.load`, whatever the
kind of input), and shares + reproduction for all of them at once."""

from pathlib import Path

import pandas as pd

from . import reproduction, shares, sources


def load_source_tables(
    source_id: str, source_config: dict, root: Path, reference: Path | None = None
) -> dict[str, pd.DataFrame]:
    """{table name: DataFrame} of one configured source, validated (sources.load: published
    folders, survey microdata or interview coding sheets)."""
    return sources.load(source_id, source_config, root, reference)


def load_all(config: dict, root: Path) -> dict[str, dict[str, pd.DataFrame]]:
    """The tables of every source in config['sources'], keyed by source id."""
    reference = Path(root) / config["reference"] if "reference" in config else None
    return {
        source_id: load_source_tables(source_id, source_config, root, reference)
        for source_id, source_config in config["sources"].items()
    }


def build_shares_and_reproduction(config: dict, root: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shares, reproduction) for every configured source, each sorted by source and, within a
    source, in the order of its tables (deterministic for given inputs)."""
    tables = load_all(config, root)
    return shares.all_shares(config, tables), reproduction.all_reproduction(config, tables)
