"""Numbers for Bakgrund and Metod: the sources at a glance (year, area, design, units, rows
transcribed) and the size of the checks."""
from pathlib import Path

import pandas as pd

from .. import paths, sources, swedish, tables, source_loader
from ..report_vars import ReportNumbers

DESIGN_SV = {"census": "totalundersökning", "purposive": "ändamålsenligt urval", "random_sample": "slumpmässigt urval"}


def _count_row(counts: pd.DataFrame, indicator: str) -> pd.Series:
    rows = counts[counts["indicator"] == indicator]
    if rows.empty:
        raise KeyError(f"indicator {indicator!r} missing from counts")
    return rows.iloc[0]


def units(source_id: str, tables_: dict[str, pd.DataFrame]) -> tuple[str, str]:
    """(what the source covers, its source_ref), from the source's own tables."""
    if source_id == "stockholm_2008":
        row = _count_row(tables_["counts"], "units_surveyed")
        return f"{swedish.number(row['N'])} kommuner och stadsdelar", row["source_ref"]
    if source_id in ("sormland_2019", "dalarna_2020"):
        # an interview coding sheet brought by a researcher has no municipalities table
        frame = tables_["municipalities"] if "municipalities" in tables_ else tables_["coding"].drop_duplicates("kommun")
        return f"{swedish.number(len(frame))} kommuner", frame["source_ref"].iloc[0]
    if source_id == "skl_2016":
        municipalities, indicators = tables_["municipalities"], tables_["indicators"]
        return (f"{swedish.number(len(municipalities))} kommuner × {swedish.number(len(indicators))} indikatorer",
                municipalities["source_ref"].iloc[0])
    if source_id == "lansstyrelserna_2015":
        boards = _count_row(tables_["counts"], "county_boards")
        persons = _count_row(tables_["counts"], "survey_recipients")
        return (f"{swedish.number(boards['n'])} länsstyrelser; {swedish.number(persons['N'])} nyckelpersoner",
                persons["source_ref"])
    raise KeyError(f"no description of the units of source {source_id!r}")


def source_overview(config: dict, tables_by_source: dict) -> pd.DataFrame:
    """One row per configured source: title, year, area, design, units, rows transcribed."""
    rows = []
    for source_id, source in config["sources"].items():
        covered, ref = units(source_id, tables_by_source[source_id])
        rows.append({
            "source": source_id, "title": source["title"], "year": source["year"], "area": source["area"],
            "design": DESIGN_SV[source["design"]], "units": covered, "units_ref": ref,
            "rows": sum(len(t) for t in tables_by_source[source_id].values()),
        })
    return pd.DataFrame(rows)


def input_ref(source_config: dict) -> str:
    """The source_ref of a source's rows: its folder ("data/raw/x/"), or its configured files."""
    described = sources.input_description(source_config)
    return f"{described['folder']}/" if described["folder"] else "; ".join(described["files"])


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path, root: Path = paths.ROOT) -> None:
    tables_by_source = source_loader.load_all(config, root)
    overview = source_overview(config, tables_by_source)
    dirs = {sid: input_ref(s) for sid, s in config["sources"].items()}
    table = pd.DataFrame({
        "Källa": overview["title"],
        "År": overview["year"].astype(str),
        "Område": overview["area"],
        "Design": overview["design"],
        "Omfattning": overview["units"],
        "Transkriberade rader": overview["rows"].map(swedish.number),
    })
    tables.save("tbl-sources", table,
                "De fem källorna: år, område, design, vad de omfattar och hur många rader som transkriberats till data/raw.",
                assets_dir, source_refs=list(overview["units_ref"]), right_align=("Transkriberade rader",),
                widths=(2.3, 0.6, 1.5, 2.0, 1.8, 1.2))

    numbers = ReportNumbers("overview")
    all_refs = "; ".join(d for d in dirs.values())
    numbers.add("sources_n", swedish.number(len(overview)), "Antal källrapporter", all_refs)
    numbers.add("rows_total", swedish.number(overview["rows"].sum()), "Antal transkriberade rader i data/raw", all_refs)
    for row in overview.itertuples():
        numbers.add(f"rows_{row.source}", swedish.number(row.rows), f"Transkriberade rader: {row.title}", dirs[row.source])
    shares, reproduction = combined["shares"], combined["reproduction"]
    numbers.add("shares_total", swedish.number(len(shares)), "Antal rader i shares.csv", "data/processed/shares.csv")
    numbers.add("inferred_n", swedish.number((shares["n_basis"] == "inferred_from_percent").sum()),
                "Andelar där n härletts ur en tryckt procentsats", "data/processed/shares.csv")
    numbers.add("checks_total", swedish.number(len(reproduction)), "Antal återberäknade kontroller",
                "data/processed/reproduction.csv")
    for status, name in (("match", "match"), ("mismatch", "mismatch"), ("not reproducible", "not_reproducible")):
        numbers.add(f"checks_{name}", swedish.number((reproduction["status"] == status).sum()),
                    f"Kontroller med status {status}", "data/processed/reproduction.csv")
    numbers.write(assets_dir)
