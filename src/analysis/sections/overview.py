"""Numbers for Bakgrund and Metod: the sources at a glance (year, area, design, units, rows
transcribed) and the size of the checks."""

from pathlib import Path

import pandas as pd

from .. import sources, swedish, tables, texts
from ..report_vars import ReportNumbers

SECTION = "overview"


class InventoryMissingError(KeyError):
    """Raised when a configured source has no row in the regions' sources.csv (its region
    notebook has not run, or ran with another config)."""

    def __str__(self) -> str:
        return str(self.args[0])


def _t(key: str, locale_: str = texts.DEFAULT_LOCALE, **fields) -> str:
    return texts.get(SECTION, key, locale_, **fields)


def units_text(row, locale_: str = texts.DEFAULT_LOCALE) -> str:
    """What a source covers, in words, from its inventory row (units_kind, units_n, units_k)."""
    k = None if pd.isna(row["units_k"]) else swedish.number(row["units_k"])
    return _t(f"units.{row['units_kind']}", locale_, n=swedish.number(row["units_n"]), k=k)


def design_text(source: dict, locale_: str = texts.DEFAULT_LOCALE) -> str:
    """The design in words, with the config's `design_note` after it where a source has one (a
    purposive selection whose national shares come from a survey of all municipalities). A
    source's `design_text` replaces both: what the source is, where the design word would
    mislead (every unit took part, but the base of its numbers is not printed)."""
    if source.get("design_text"):
        return source["design_text"]
    design = _t(f"designs.{source['design']}", locale_)
    note = source.get("design_note")
    return _t("design_with_note", locale_, design=design, note=note) if note else design


def source_overview(config: dict, inventory: pd.DataFrame) -> pd.DataFrame:
    """One row per configured source: title, year, area, design, units, rows transcribed (the
    inventory the region notebooks wrote: analysis.inventory)."""
    locale_ = texts.locale(config)
    by_source = inventory.set_index("source")
    rows = []
    for source_id, source in config["sources"].items():
        if source_id not in by_source.index:
            raise InventoryMissingError(
                f"source {source_id!r} is missing from the regions' sources.csv: run its region notebook"
            )
        row = by_source.loc[source_id]
        rows.append(
            {
                "source": source_id,
                "title": source["title"],
                # the short name the report declares in its Inledning and uses in Part I
                "name": (source.get("combined_sections") or {}).get("short_title") or source["title"],
                "year": source["year"],
                "area": source["area"],
                "design": design_text(source, locale_),
                "units": units_text(row, locale_),
                "units_ref": row["units_ref"],
                "rows": int(row["rows"]),
            }
        )
    return pd.DataFrame(rows)


def input_ref(source_config: dict) -> str:
    """The source_ref of a source's rows: its folder ("data/raw/x/"), or its configured files."""
    described = sources.input_description(source_config)
    return f"{described['folder']}/" if described["folder"] else "; ".join(described["files"])


def number_word(n: int, locale_: str = texts.DEFAULT_LOCALE) -> str:
    """A small count as a word ("fem"), digits beyond the template's list."""
    words = texts.section(SECTION, locale_)["number_words"]
    return words[n] if 0 <= n < len(words) else swedish.number(n)


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    locale_ = texts.locale(config)
    overview = source_overview(config, combined["sources"])
    dirs = {sid: input_ref(s) for sid, s in config["sources"].items()}
    column = texts.section(SECTION, locale_)["tbl-sources"]["columns"]
    table = pd.DataFrame(
        {
            column["source"]: overview["name"],
            column["year"]: overview["year"].astype(str),
            column["area"]: overview["area"],
            column["design"]: overview["design"],
            column["units"]: overview["units"],
        }
    )  # how many rows were transcribed is for the technical companion (overview.rows_*), not the readers
    tables.save(
        "tbl-sources",
        table,
        _t("tbl-sources.caption", locale_, sources_word=number_word(len(overview), locale_)),
        assets_dir,
        source_refs=list(overview["units_ref"]),
        widths=(2.5, 0.6, 1.6, 2.0, 2.0),
    )

    numbers = ReportNumbers(SECTION)
    all_refs = "; ".join(d for d in dirs.values())
    numbers.add("sources_n", swedish.number(len(overview)), _t("numbers.sources_n", locale_), all_refs)
    numbers.add("rows_total", swedish.number(overview["rows"].sum()), _t("numbers.rows_total", locale_), all_refs)
    for row in overview.itertuples():
        numbers.add(
            f"rows_{row.source}",
            swedish.number(row.rows),
            _t("numbers.rows_source", locale_, title=row.title),
            dirs[row.source],
        )
    shares, reproduction = combined["shares"], combined["reproduction"]
    numbers.add(
        "shares_total", swedish.number(len(shares)), _t("numbers.shares_total", locale_), "data/processed/shares.csv"
    )
    numbers.add(
        "inferred_n",
        swedish.number((shares["n_basis"] == "inferred_from_percent").sum()),
        _t("numbers.inferred_n", locale_),
        "data/processed/shares.csv",
    )
    numbers.add(
        "checks_total",
        swedish.number(len(reproduction)),
        _t("numbers.checks_total", locale_),
        "data/processed/reproduction.csv",
    )
    for status, name in (("match", "match"), ("mismatch", "mismatch"), ("not reproducible", "not_reproducible")):
        numbers.add(
            f"checks_{name}",
            swedish.number((reproduction["status"] == status).sum()),
            _t("numbers.checks_status", locale_, status=status),
            "data/processed/reproduction.csv",
        )
    numbers.write(assets_dir)
