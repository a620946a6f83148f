"""shares.csv and reproduction.csv for every configured source (called from a notebook).

Sources are read through `load_source_tables`, the one place to change when other input kinds
than `published` arrive (e.g. a future `analysis.sources.load`).
"""
from pathlib import Path

import pandas as pd

from . import reproduction, shares, sources
from .io import write_csv_atomic

SHARES_FILE = "shares.csv"
REPRODUCTION_FILE = "reproduction.csv"


def load_source_tables(source_id: str, source_config: dict, root: Path) -> dict[str, pd.DataFrame]:
    """{table name: DataFrame} of one configured source. Only `inputs.kind: published` for now."""
    inputs = source_config.get("inputs") or {}
    if inputs.get("kind") != "published" or not inputs.get("dir"):
        raise ValueError(f"{source_id}: inputs must be {{kind: published, dir: …}}, got {inputs!r}")
    directory = Path(root) / inputs["dir"]
    if not directory.is_dir():
        raise FileNotFoundError(f"{source_id}: input folder {directory} does not exist")
    return sources.load_published(directory)


def load_all(config: dict, root: Path) -> dict[str, dict[str, pd.DataFrame]]:
    """The tables of every source in config['sources'], keyed by source id."""
    return {source_id: load_source_tables(source_id, source_config, root)
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
