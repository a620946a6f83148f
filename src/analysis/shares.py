"""Shares n/N from transcribed counts."""
import pandas as pd

COUNT_COLUMNS = ["n", "n_max", "N", "percent", "percent_max"]


def numeric_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """The raw counts table with its number columns as numbers (empty stays missing)."""
    out = counts.copy()
    for column in COUNT_COLUMNS:
        out[column] = pd.to_numeric(out[column])
    return out


def indicator_shares(counts: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One row per category of `indicator` with n, N, share = n/N and the printed percent as a
    fraction (`published`), in the order of the source."""
    rows = numeric_counts(counts[counts["indicator"] == indicator])
    if rows.empty:
        raise KeyError(f"indicator {indicator!r} not found in the counts table")
    out = rows[["indicator", "label", "category", "category_label", "n", "N", "source_ref"]].copy()
    out["share"] = rows["n"] / rows["N"]
    out["published"] = rows["percent"] / 100
    return out.reset_index(drop=True)
