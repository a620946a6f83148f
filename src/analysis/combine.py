"""The pipeline's second step (the combined notebook calls these): every region's tables
concatenated into the top-level tables (shares.csv, reproduction.csv, breakdowns.csv, tests.csv)
and what needs every source at once (the cross-source comparison)."""

from pathlib import Path

import pandas as pd

from . import cross_source
from .io import write_csv_atomic
from .pipeline import REGION_TABLES, load_tables, read_region_table, regions


def combine_regions(config: dict, processed_dir: Path, root: Path) -> dict[str, pd.DataFrame]:
    """The top-level tables: every region's tables concatenated (sorted by source, stable), and
    the cross-source comparison."""
    combined = {}
    for name in REGION_TABLES:
        frames = [read_region_table(processed_dir, region, name) for region in regions(config)]
        frames = [f for f in frames if not f.empty]
        combined[name] = (
            pd.concat(frames, ignore_index=True).sort_values("source", kind="stable").reset_index(drop=True)
        )
    combined["cross_source"] = cross_source.cross_source_table(config, load_tables(config, root))
    return combined


def write_combined(combined: dict[str, pd.DataFrame], processed_dir: Path) -> list[Path]:
    return [write_csv_atomic(frame, Path(processed_dir) / f"{name}.csv") for name, frame in combined.items()]
