"""shares.csv and reproduction.csv for every configured source (called from a notebook).

Sources are read through `load_source_tables` (validated by `analysis.sources.load`, whatever
the kind of input).
"""
from pathlib import Path

import pandas as pd

from . import reproduction, shares, sources
from .io import write_csv_atomic

SHARES_FILE = "shares.csv"
REPRODUCTION_FILE = "reproduction.csv"


def load_source_tables(source_id: str, source_config: dict, root: Path,
                       reference: Path | None = None) -> dict[str, pd.DataFrame]:
    """{table name: DataFrame} of one configured source, validated (sources.load: published
    folders, survey microdata or interview coding sheets)."""
    return sources.load(source_id, source_config, root, reference)


def load_all(config: dict, root: Path) -> dict[str, dict[str, pd.DataFrame]]:
    """The tables of every source in config['sources'], keyed by source id."""
    reference = Path(root) / config["reference"] if "reference" in config else None
    return {source_id: load_source_tables(source_id, source_config, root, reference)
            for source_id, source_config in config["sources"].items()}


def build_shares_and_reproduction(config: dict, root: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shares, reproduction) for every configured source, each sorted by source and, within a
    source, in the order of its tables (deterministic for given inputs)."""
    tables = load_all(config, root)
    return shares.all_shares(config, tables), reproduction.all_reproduction(config, tables)


def write_outputs(shares_frame: pd.DataFrame, reproduction_frame: pd.DataFrame,
                  processed_dir: Path) -> dict[str, Path]:
    """Write shares.csv and reproduction.csv atomically into `processed_dir`."""
    processed_dir = Path(processed_dir)
    return {
        "shares": write_csv_atomic(shares_frame, processed_dir / SHARES_FILE),
        "reproduction": write_csv_atomic(reproduction_frame, processed_dir / REPRODUCTION_FILE),
    }
