"""What the report's overview and size sections need from the sources' own tables, computed by
the region notebook beside the region's other tables, so that the presentation step reads
data/processed only (regions/<region>/sources.csv, table_refs.csv, members.csv):

* `source_inventory`: per source, the rows transcribed and what it covers, by the shape of its
  tables (`units_kind` with its counts `units_n`, `units_k` and the row that gives them);
* `table_refs`: the distinct source_refs of each of a source's tables;
* `group_members`: which municipality is in which group of a size breakdown (the report's own
  size classes; SKR kommungrupp 2017 and population band for a coding by municipality).
"""

from pathlib import Path

import pandas as pd

from .breakdowns import coding_municipalities
from .io import write_csv_atomic
from .pipeline import load_reference, load_tables, region_config, region_dir

INVENTORY_TABLES = ("sources", "table_refs", "members")
SOURCE_COLUMNS = ["source", "rows", "units_kind", "units_n", "units_k", "units_ref"]
REF_COLUMNS = ["source", "table", "source_ref"]
MEMBER_COLUMNS = ["source", "breakdown", "group", "kommun"]


class UnitsError(KeyError):
    """Raised when a source's tables have none of the shapes whose units can be described (a
    count of units surveyed, counts of county boards and key persons, a municipalities table or
    an interview coding sheet)."""

    def __str__(self) -> str:
        return str(self.args[0])


def _count_row(counts: pd.DataFrame, indicator: str) -> pd.Series:
    rows = counts[counts["indicator"] == indicator]
    if rows.empty:
        raise UnitsError(f"indicator {indicator!r} missing from counts")
    return rows.iloc[0]


def _has_counts(tables: dict[str, pd.DataFrame], *indicators: str) -> bool:
    return "counts" in tables and set(indicators) <= set(tables["counts"]["indicator"])


def source_units(source_id: str, tables: dict[str, pd.DataFrame]) -> dict:
    """What a source covers, from the shape of its tables: units_kind, units_n, units_k (or
    None) and units_ref, the source_ref of the row that gives them."""
    if _has_counts(tables, "units_surveyed"):
        row = _count_row(tables["counts"], "units_surveyed")
        return {
            "units_kind": "units_surveyed",
            "units_n": int(row["N"]),
            "units_k": None,
            "units_ref": row["source_ref"],
        }
    if _has_counts(tables, "county_boards", "survey_recipients"):
        boards = _count_row(tables["counts"], "county_boards")
        persons = _count_row(tables["counts"], "survey_recipients")
        return {
            "units_kind": "boards_and_persons",
            "units_n": int(boards["n"]),
            "units_k": int(persons["N"]),
            "units_ref": persons["source_ref"],
        }
    if "municipalities" in tables and "indicators" in tables:
        municipalities = tables["municipalities"]
        return {
            "units_kind": "municipalities_by_indicators",
            "units_n": len(municipalities),
            "units_k": len(tables["indicators"]),
            "units_ref": municipalities["source_ref"].iloc[0],
        }
    if "municipalities" in tables or "coding" in tables:
        # an interview coding sheet brought by a researcher has no municipalities table
        frame = tables["municipalities"] if "municipalities" in tables else tables["coding"].drop_duplicates("kommun")
        return {
            "units_kind": "municipalities",
            "units_n": len(frame),
            "units_k": None,
            "units_ref": frame["source_ref"].iloc[0],
        }
    raise UnitsError(
        f"no description of the units of source {source_id!r}: its tables {sorted(tables)} have "
        "no units_surveyed count, no county_boards/survey_recipients counts, no municipalities "
        "table and no coding sheet"
    )


def source_inventory(tables_by_source: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """One row per source: rows transcribed (all its tables) and what it covers."""
    rows = [
        {"source": source, "rows": sum(len(t) for t in tables.values()), **source_units(source, tables)}
        for source, tables in tables_by_source.items()
    ]
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS).astype({"units_k": "Int64"})


def table_refs(tables_by_source: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """The distinct source_refs of every table of every source, in order of first appearance."""
    rows = [
        {"source": source, "table": name, "source_ref": ref}
        for source, tables in tables_by_source.items()
        for name, table in tables.items()
        if "source_ref" in table
        for ref in dict.fromkeys(table["source_ref"].dropna().astype(str))
    ]
    return pd.DataFrame(rows, columns=REF_COLUMNS)


def group_members(
    tables_by_source: dict[str, dict[str, pd.DataFrame]], reference: dict, sources: dict | None = None
) -> pd.DataFrame:
    """Which municipality is in which group: the report's own size classes (a municipalities
    table with size_class) and, for a coding by municipality, SKR kommungrupp 2017 and the
    population band (of the source's `population_column` in the config; default 2019)."""
    rows = []
    for source, tables in tables_by_source.items():
        municipalities = tables.get("municipalities")
        if municipalities is not None and "size_class" in municipalities:
            rows += [
                {"source": source, "breakdown": "size_class", "group": g, "kommun": k}
                for k, g in zip(municipalities["kommun"], municipalities["size_class"])
            ]
        if "coding" in tables:
            population = ((sources or {}).get(source) or {}).get("population_column", "folkmangd_2019")
            attributes = coding_municipalities(tables, reference, population)
            for breakdown in ("kommungrupp_2017", "population_band"):
                rows += [
                    {"source": source, "breakdown": breakdown, "group": str(g), "kommun": k}
                    for k, g in zip(attributes["kommun"], attributes[breakdown])
                ]
    return pd.DataFrame(rows, columns=MEMBER_COLUMNS)


def inventory(
    tables_by_source: dict[str, dict[str, pd.DataFrame]], reference: dict, sources: dict | None = None
) -> dict[str, pd.DataFrame]:
    return {
        "sources": source_inventory(tables_by_source),
        "table_refs": table_refs(tables_by_source),
        "members": group_members(tables_by_source, reference, sources),
    }


def region_inventory(config: dict, region: str, root: Path) -> dict[str, pd.DataFrame]:
    """The inventory of one region's sources (what the region notebook writes)."""
    chosen = region_config(config, region)
    return inventory(load_tables(chosen, root), load_reference(config, root), chosen["sources"])


def write_region(frames: dict[str, pd.DataFrame], processed_dir: Path, region: str) -> list[Path]:
    """The inventory under regions/<region>/ (beside the region's other tables; not top-level
    processed tables: the report's appendix documents those)."""
    return [
        write_csv_atomic(frames[name], region_dir(processed_dir, region) / f"{name}.csv") for name in INVENTORY_TABLES
    ]
