"""Numbers for Bakgrund and Metod: the sources at a glance (year, area, design, units, rows
transcribed) and the size of the checks."""
from pathlib import Path

import pandas as pd

from .. import paths, sources, swedish, tables, tables_out, texts
from ..report_vars import ReportNumbers

SECTION = "overview"


class UnitsError(KeyError):
    """Raised when a source's tables have none of the shapes whose units the overview can describe."""

    def __str__(self) -> str:
        return str(self.args[0])


def _t(key: str, locale_: str = texts.DEFAULT_LOCALE, **fields) -> str:
    return texts.get(SECTION, key, locale_, **fields)


def _count_row(counts: pd.DataFrame, indicator: str) -> pd.Series:
    rows = counts[counts["indicator"] == indicator]
    if rows.empty:
        raise UnitsError(f"indicator {indicator!r} missing from counts")
    return rows.iloc[0]


def _has_counts(tables_: dict[str, pd.DataFrame], *indicators: str) -> bool:
    return "counts" in tables_ and set(indicators) <= set(tables_["counts"]["indicator"])


def units(source_id: str, tables_: dict[str, pd.DataFrame], locale_: str = texts.DEFAULT_LOCALE) -> tuple[str, str]:
    """(what the source covers, its source_ref), from the shape of the source's own tables: a
    count of the units surveyed; counts of county boards and key persons; a municipalities ×
    indicators matrix; or a list of municipalities (or a coding sheet's municipalities)."""
    if _has_counts(tables_, "units_surveyed"):
        row = _count_row(tables_["counts"], "units_surveyed")
        return _t("units.units_surveyed", locale_, N=swedish.number(row["N"])), row["source_ref"]
    if _has_counts(tables_, "county_boards", "survey_recipients"):
        boards = _count_row(tables_["counts"], "county_boards")
        persons = _count_row(tables_["counts"], "survey_recipients")
        return (_t("units.boards_and_persons", locale_, boards=swedish.number(boards["n"]),
                   persons=swedish.number(persons["N"])), persons["source_ref"])
    if "municipalities" in tables_ and "indicators" in tables_:
        municipalities, indicators = tables_["municipalities"], tables_["indicators"]
        return (_t("units.municipalities_by_indicators", locale_, n=swedish.number(len(municipalities)),
                   k=swedish.number(len(indicators))), municipalities["source_ref"].iloc[0])
    if "municipalities" in tables_ or "coding" in tables_:
        # an interview coding sheet brought by a researcher has no municipalities table
        frame = tables_["municipalities"] if "municipalities" in tables_ else tables_["coding"].drop_duplicates("kommun")
        return _t("units.municipalities", locale_, n=swedish.number(len(frame))), frame["source_ref"].iloc[0]
    raise UnitsError(f"no description of the units of source {source_id!r}: its tables {sorted(tables_)} have "
                     "no units_surveyed count, no county_boards/survey_recipients counts, no municipalities "
                     "table and no coding sheet")


def source_overview(config: dict, tables_by_source: dict) -> pd.DataFrame:
    """One row per configured source: title, year, area, design, units, rows transcribed."""
    locale_ = texts.locale(config)
    rows = []
    for source_id, source in config["sources"].items():
        covered, ref = units(source_id, tables_by_source[source_id], locale_)
        rows.append({
            "source": source_id, "title": source["title"], "year": source["year"], "area": source["area"],
            "design": _t(f"designs.{source['design']}", locale_), "units": covered, "units_ref": ref,
            "rows": sum(len(t) for t in tables_by_source[source_id].values()),
        })
    return pd.DataFrame(rows)


def input_ref(source_config: dict) -> str:
    """The source_ref of a source's rows: its folder ("data/raw/x/"), or its configured files."""
    described = sources.input_description(source_config)
    return f"{described['folder']}/" if described["folder"] else "; ".join(described["files"])


def number_word(n: int, locale_: str = texts.DEFAULT_LOCALE) -> str:
    """A small count as a word ("fem"), digits beyond the template's list."""
    words = texts.section(SECTION, locale_)["number_words"]
    return words[n] if 0 <= n < len(words) else swedish.number(n)


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path, root: Path = paths.ROOT) -> None:
    locale_ = texts.locale(config)
    tables_by_source = tables_out.load_all(config, root)
    overview = source_overview(config, tables_by_source)
    dirs = {sid: input_ref(s) for sid, s in config["sources"].items()}
    column = texts.section(SECTION, locale_)["tbl-sources"]["columns"]
    table = pd.DataFrame({
        column["source"]: overview["title"],
        column["year"]: overview["year"].astype(str),
        column["area"]: overview["area"],
        column["design"]: overview["design"],
        column["units"]: overview["units"],
        column["rows"]: overview["rows"].map(swedish.number),
    })
    tables.save("tbl-sources", table,
                _t("tbl-sources.caption", locale_, sources_word=number_word(len(overview), locale_)),
                assets_dir, source_refs=list(overview["units_ref"]), right_align=(column["rows"],),
                widths=(2.3, 0.6, 1.5, 2.0, 1.8, 1.2))

    numbers = ReportNumbers(SECTION)
    all_refs = "; ".join(d for d in dirs.values())
    numbers.add("sources_n", swedish.number(len(overview)), _t("numbers.sources_n", locale_), all_refs)
    numbers.add("rows_total", swedish.number(overview["rows"].sum()), _t("numbers.rows_total", locale_), all_refs)
    for row in overview.itertuples():
        numbers.add(f"rows_{row.source}", swedish.number(row.rows), _t("numbers.rows_source", locale_, title=row.title),
                    dirs[row.source])
    shares, reproduction = combined["shares"], combined["reproduction"]
    numbers.add("shares_total", swedish.number(len(shares)), _t("numbers.shares_total", locale_),
                "data/processed/shares.csv")
    numbers.add("inferred_n", swedish.number((shares["n_basis"] == "inferred_from_percent").sum()),
                _t("numbers.inferred_n", locale_), "data/processed/shares.csv")
    numbers.add("checks_total", swedish.number(len(reproduction)), _t("numbers.checks_total", locale_),
                "data/processed/reproduction.csv")
    for status, name in (("match", "match"), ("mismatch", "mismatch"), ("not reproducible", "not_reproducible")):
        numbers.add(f"checks_{name}", swedish.number((reproduction["status"] == status).sum()),
                    _t("numbers.checks_status", locale_, status=status), "data/processed/reproduction.csv")
    numbers.write(assets_dir)
