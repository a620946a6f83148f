"""Loading a source's tables: every CSV in data/raw/<source>/, typed by the source's codebook.

This is the one entry point through which the pipeline reads inputs. A source's tables come back
as {table name: DataFrame}, e.g. {"counts": …, "oj_values": …}, with the codebook's types:
integer → pandas nullable Int64, number → float64, everything else text (missing stays <NA>).
"""
from pathlib import Path

import pandas as pd

from .io import read_raw_csv

PANDAS_TYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean"}


def read_codebook(source_dir: Path) -> pd.DataFrame:
    return read_raw_csv(Path(source_dir) / "codebook.csv")


def column_types(codebook: pd.DataFrame, file_name: str) -> dict[str, str]:
    """{column: codebook type} for one file, from the codebook's column rows (code empty)."""
    rows = codebook[(codebook["file"] == file_name) & codebook["code"].isna()]
    return dict(zip(rows["column"], rows["type"]))


def apply_types(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    out = frame.copy()
    for column, kind in types.items():
        if column in out.columns and kind in PANDAS_TYPES:
            numbers = pd.to_numeric(out[column])
            out[column] = numbers.astype(PANDAS_TYPES[kind]) if kind != "boolean" else out[column]
    return out


def load_published(source_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of a transcribed source, typed by its codebook (no validation here)."""
    source_dir = Path(source_dir)
    codebook = read_codebook(source_dir)
    tables = {}
    for path in sorted(source_dir.glob("*.csv")):
        if path.name == "codebook.csv":
            continue
        tables[path.stem] = apply_types(read_raw_csv(path), column_types(codebook, path.name))
    return tables
