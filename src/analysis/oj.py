"""Open Comparisons matrices (OJ, "Öppna jämförelser"): a municipality × indicator matrix of
printed values in long form, and the municipalities compared with the national share of yes answers.

Values are the printed digits: 2 = yes (ja), 1 = partly (delvis), 0 = no (nej); the raw table keeps
them as text. The municipalities of such a matrix may be a purposive selection (e.g. of high
results), so the comparison with the nation describes the selection, it does not estimate anything.
A column may be a city district kept under its municipality's name and code, as in the source table.
"""

import pandas as pd

from .errors import MissingEntryError, TableShapeError, require_unique
from .normalise import resolve_kommunkod

VALUE_LABELS = {2: "ja", 1: "delvis", 0: "nej"}
LONG_COLUMNS = ["kommunkod", "kommun", "indicator", "label", "value"]
NATION_COLUMNS = "indicator label quality_area indicator_area n_ja n_delvis n_nej N share_ja share_delvis national_share_ja difference_pp rank_abs_difference".split()


# ---------------------------------------------------------------------------------------------
# Municipality names → kommunkod
# ---------------------------------------------------------------------------------------------


def reference_tables(reference) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(kommuner, name_aliases or None) from either the dict `load_published(data/raw/reference)`
    returns or the kommuner DataFrame itself."""
    if isinstance(reference, dict):
        return reference["kommuner"], reference.get("name_aliases")
    return reference, None


# ---------------------------------------------------------------------------------------------
# Long form
# ---------------------------------------------------------------------------------------------


def _int_values(values: pd.Series) -> pd.Series:
    """'0'/'1'/'2' (text, as transcribed) → int; anything else is an error."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values[numbers.isna() | ~numbers.isin(list(VALUE_LABELS))]
    if len(bad):
        raise TableShapeError(f"OJ values must be 0, 1 or 2; found {sorted(set(map(str, bad)))}")
    return numbers.astype("int64")


def oj_kommun_long(tables: dict, reference) -> pd.DataFrame:
    """One row per municipality × indicator: kommunkod, kommun, indicator, label, value (int 0/1/2).

    `tables` is a source's `load_published(...)` with an OJ matrix; `reference` is `load_published(data/raw/reference)`
    (or its kommuner frame). Sorted by kommunkod, then indicator. 480 rows for the real data."""
    values = tables["oj_values"]
    indicators = tables["indicators"]
    labels = dict(zip(indicators["indicator"], indicators["label"]))
    unknown = sorted(set(values["indicator"]) - set(labels))
    if unknown:
        raise MissingEntryError(f"indicator(s) in oj_values missing from indicators.csv: {', '.join(unknown)}")
    require_unique(values, ["kommun", "indicator"], "duplicate municipality × indicator cells")
    out = pd.DataFrame(
        {
            "kommunkod": resolve_kommunkod(values["kommun"], reference).to_numpy(),
            "kommun": values["kommun"].astype(str).to_numpy(),
            "indicator": values["indicator"].astype(str).to_numpy(),
            "label": values["indicator"].map(labels).astype(str).to_numpy(),
            "value": _int_values(values["value"]).to_numpy(),
        }
    )
    return out.sort_values(["kommunkod", "indicator"], kind="stable").reset_index(drop=True)[LONG_COLUMNS]


# ---------------------------------------------------------------------------------------------
# The 8 municipalities vs the nation
# ---------------------------------------------------------------------------------------------


def value_counts_by_indicator(values: pd.DataFrame) -> pd.DataFrame:
    """n_ja, n_delvis, n_nej and N (municipalities with a value) per indicator, from rows with
    `indicator` and `value` (text or int)."""
    frame = pd.DataFrame({"indicator": values["indicator"].astype(str), "value": _int_values(values["value"])})
    counts = frame.groupby(["indicator", "value"]).size().unstack(fill_value=0).reindex(columns=[2, 1, 0], fill_value=0)
    counts.columns = ["n_ja", "n_delvis", "n_nej"]
    counts["N"] = counts.sum(axis=1)
    return counts.astype("int64").reset_index()


def oj_vs_nation(tables: dict) -> pd.DataFrame:
    """Per indicator: the 8 municipalities' counts and shares of ja and delvis (N = municipalities
    with a value, 8 here), the national share of ja (indicators.csv national_share_percent / 100),
    difference_pp = 100 × (share_ja − national_share_ja) in percentage points (a number, e.g. 12.5),
    and rank_abs_difference (1 = furthest apart; ties share the lowest rank).

    The national shares are printed as whole percent, so a difference is exact only to ±0.5 points."""
    indicators = tables["indicators"]
    counts = value_counts_by_indicator(tables["oj_values"])
    meta = indicators[["indicator", "label", "quality_area", "indicator_area", "national_share_percent"]].copy()
    meta["indicator"] = meta["indicator"].astype(str)
    missing = sorted(set(counts["indicator"]) - set(meta["indicator"]))
    if missing:
        raise MissingEntryError(f"indicator(s) without a row in indicators.csv: {', '.join(missing)}")
    out = meta.merge(counts, on="indicator", how="inner", validate="one_to_one")
    out["share_ja"] = out["n_ja"] / out["N"]
    out["share_delvis"] = out["n_delvis"] / out["N"]
    out["national_share_ja"] = out["national_share_percent"].astype("float64") / 100
    # 100·n/N − printed percent: exact in binary for N = 8, no 0.1 + 0.2 noise.
    out["difference_pp"] = 100 * out["n_ja"] / out["N"] - out["national_share_percent"].astype("float64")
    out["rank_abs_difference"] = out["difference_pp"].abs().round(9).rank(method="min", ascending=False).astype("Int64")
    for column in ["label", "quality_area", "indicator_area"]:
        out[column] = out[column].astype(str)
    return out.sort_values("indicator", kind="stable").reset_index(drop=True)[NATION_COLUMNS]


def furthest_apart(frame: pd.DataFrame, k: int, direction: str = "both") -> pd.DataFrame:
    """The k indicators where the 8 municipalities and the nation differ most (|difference_pp|,
    largest first; ties broken by indicator id so the result is deterministic).

    direction: "both" (absolute difference), "above" (8 municipalities higher, largest positive
    first) or "below" (lower, most negative first). Fewer than k rows if fewer qualify."""
    if k < 0:
        raise ValueError("k must be >= 0")
    rows = frame.dropna(subset=["difference_pp"]).copy()
    if direction == "both":
        rows["_key"] = -rows["difference_pp"].abs()
    elif direction == "above":
        rows = rows[rows["difference_pp"] > 0]
        rows["_key"] = -rows["difference_pp"]
    elif direction == "below":
        rows = rows[rows["difference_pp"] < 0]
        rows["_key"] = rows["difference_pp"]
    else:
        raise ValueError(f"direction must be 'both', 'above' or 'below', not {direction!r}")
    rows["_key"] = rows["_key"].round(9)
    rows = rows.sort_values(["_key", "indicator"], kind="stable").head(k)
    return rows.drop(columns="_key").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# The region step: the OJ tables of a region whose source has an OJ matrix
# ---------------------------------------------------------------------------------------------


def is_oj_matrix(tables: dict) -> bool:
    """Does a source's set of tables have the shape of an OJ matrix (values + indicators)?"""
    return {"oj_values", "indicators"} <= set(tables)


def region_tables(tables_by_source: dict, reference) -> dict[str, pd.DataFrame]:
    """{'oj_2015_kommun': …, 'oj_vs_nation': …} from the one source of the region shaped like an
    OJ matrix; {} when there is none. Two such sources would overwrite each other's tables: an error."""
    matrices = [source for source, tables in tables_by_source.items() if is_oj_matrix(tables)]
    if not matrices:
        return {}
    if len(matrices) > 1:
        raise TableShapeError(
            f"sources {matrices} all have an OJ matrix; oj_2015_kommun.csv and oj_vs_nation.csv hold one"
        )
    tables = tables_by_source[matrices[0]]
    return {"oj_2015_kommun": oj_kommun_long(tables, reference), "oj_vs_nation": oj_vs_nation(tables)}
