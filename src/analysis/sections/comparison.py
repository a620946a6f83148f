"""Report content for the comparison between the sources (combined["cross_source"], from
config/cross_source.csv): one table of every source's figure per theme and one table of what each
figure measures.

The sources differ in year (2008–2020), design (census of a county, purposive selection, the
nation) and definition, so the comparison is indicative. Dalarna's counts are lower bounds
("minst"): a municipality the report does not mention is not a "no". A percent printed without
a count (the OJ national shares, two Stockholm figures) is shown as printed, never turned into n.
"""

from pathlib import Path

import pandas as pd

from .. import swedish, tables, texts
from ..numbers import SMALLEST_PERCENT_BASE
from ..report_vars import ReportNumbers
from ..shares import printed_decimals

SECTION = "comparison"
# Units that count municipalities (or Stockholm's units, one respondent each): their counts need no
# unit after "n av N"; any other unit (länsdelar, handlingsplaner) is named.
MUNICIPALITY_UNITS = {"kommuner", "kommuner/stadsdelar", "respondenter"}


class SourcePresentationError(KeyError):
    """Raised when a source in the comparison has no `combined_sections` declaration (short name,
    series label, marker) in the config's block for it."""

    def __str__(self) -> str:
        return str(self.args[0])


_t = texts.Templates(SECTION)
_group = _t.group  # a group of templates (a dict), e.g. a table's column headings


def _declared(source: str, config: dict, key: str):
    declared = (config["sources"].get(source) or {}).get("combined_sections") or {}
    if key not in declared:
        raise SourcePresentationError(
            f"source {source!r} has no combined_sections.{key} in the config: add it to the source's block "
            "(see config/default.yml)"
        )
    return declared[key]


def series_order(config: dict) -> list[str]:
    """Every series in config order: each source, then its national series where it declares one."""
    order = []
    for source, declared in config["sources"].items():
        order.append(source)
        if "national_series" in (declared.get("combined_sections") or {}):
            order.append(f"{source}/nation")
    return order


def _series_declaration(series: str, config: dict) -> dict:
    source, _, scope = series.partition("/")
    return _declared(source, config, "national_series" if scope == "nation" else "series")


def source_line(config: dict) -> str:
    citations = [_declared(source, config, "citation") for source in config["sources"]]
    joined = citations[0] if len(citations) == 1 else ", ".join(citations[:-1]) + _t("list_and") + citations[-1]
    return _t("source_line", citations=joined)


# --- the rows ---------------------------------------------------------------------------------


def series_of(row, config: dict) -> str:
    """The series a cross-source row belongs to: its source, or "<source>/nation" when the row's
    area is not the source's own (the OJ national share)."""
    own_area = config["sources"][row["source"]].get("area")
    return row["source"] if row["area"] == own_area else f"{row['source']}/nation"


def series_label(series: str, config: dict) -> str:
    """The legend label of a series: combined_sections.series (or .national_series) of its source."""
    return _series_declaration(series, config)["label"]


def source_name(source: str, config: dict) -> str:
    """The short name of a source in tables: combined_sections.short_name of its config block."""
    return _declared(source, config, "short_name")


def series_key(series: str) -> str:
    """Variable-name part of a series: "<name>_<year>" → "<name>", "<name>_<year>/nation" → "<name>_riket"."""
    source, _, scope = series.partition("/")
    return source.split("_")[0] + ("_riket" if scope == "nation" else "")


def is_lower_bound(row) -> bool:
    """Dalarna's counts come from an interview coding sheet: the municipalities the report names,
    mostly as examples. Such a count is never a share (REPORT.md "Numbers"): shown as the number
    of named municipalities, without a base's percentage."""
    return str(row["note"]).startswith("minst ")


def with_series(cross: pd.DataFrame, config: dict) -> pd.DataFrame:
    """The cross-source rows with their series and its label."""
    out = cross.copy()
    out["series"] = [series_of(row, config) for _, row in out.iterrows()]
    out["series_label"] = [series_label(series, config) for series in out["series"]]
    out["lower_bound"] = [is_lower_bound(row) for _, row in out.iterrows()]
    return out


def refs(rows: pd.DataFrame) -> tuple[str, ...]:
    """The distinct source_refs behind rows (each row's refs are joined by '; ')."""
    found = []
    for joined in rows["source_ref"].fillna(""):
        found += [r.strip() for r in str(joined).split("; ") if r.strip()]
    return tuple(dict.fromkeys(found))


# --- formatting (Swedish, at the edge) -------------------------------------------------------------


def printed_percent(percent) -> str:
    """A percent as printed in the source: 56 → '56 %', 72.9 → '72,9 %'."""
    return swedish.number(percent, printed_decimals(percent)) + swedish.NBSP + "%"


def count_text(row) -> str:
    """'19 av 39', 'nämns för 5 kommuner' (named examples: no base), '10 länsstyrelser' (no base)
    or '–' (no count)."""
    if pd.isna(row["figure_n"]):
        return _t("none")
    if row["lower_bound"]:
        return _t("named_count", n=swedish.number(row["figure_n"]))
    if pd.isna(row["figure_N"]):
        text = f"{swedish.number(row['figure_n'])} {row['unit']}"
    else:
        unit = "" if row["unit"] in MUNICIPALITY_UNITS else f" {row['unit']}"
        text = f"{swedish.count_of(row['figure_n'], row['figure_N'])}{unit}"
    return text


def share_text(row) -> str:
    """'49 %', 'minst 33 %', '56 % (tryckt)' or '–'; precision from the base (swedish.percent_on)."""
    if not pd.isna(row["share"]) and (row["figure_N"] < SMALLEST_PERCENT_BASE or row["lower_bound"]):
        # "4 av 9" is in the count column (no percentage on a base under 10); named examples are no share
        return _t("none")
    if not pd.isna(row["share"]):
        return swedish.percent_on(row["share"], row["figure_N"])
    if not pd.isna(row["published_percent"]):
        return _t("printed_suffix", value=printed_percent(row["published_percent"]))
    return _t("none")


def comparison_table(rows: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Formatted table: theme (first row of each theme), source with its comparability marker,
    area, year, n, N and share."""
    first = ~rows["theme"].duplicated()
    markers, column = _group("comparable.markers"), _group("tbl-cross-themes.columns")
    return pd.DataFrame(
        {
            column["theme"]: [label if is_first else "" for label, is_first in zip(rows["theme_label"], first)],
            column["source"]: [
                f"{source_name(s, config)}{markers[c]}" for s, c in zip(rows["source"], rows["comparable"])
            ],
            column["area"]: rows["area"],
            column["year"]: rows["year"].map(lambda y: str(int(y))),
            column["count"]: [count_text(row) for _, row in rows.iterrows()],
            column["share"]: [share_text(row) for _, row in rows.iterrows()],
        }
    )


def definitions_table(rows: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Formatted table: what each source's figure measures, one row per theme × source (OJ's 8
    municipalities and the nation share one definition, so one row)."""
    unique = rows.drop_duplicates(["theme", "source", "definition"])
    first = ~unique["theme"].duplicated()
    markers, labels = _group("comparable.markers"), _group("comparable.labels")
    column = _group("tbl-cross-definitions.columns")
    return pd.DataFrame(
        {
            column["theme"]: [label if is_first else "" for label, is_first in zip(unique["theme_label"], first)],
            column["source"]: [source_name(s, config) for s in unique["source"]],
            column["definition"]: unique["definition"],
            column["comparable"]: [f"{labels[c]}{markers[c]}" for c in unique["comparable"]],
        }
    )


# --- numbers for the text -----------------------------------------------------------------------


def add_row_numbers(numbers: ReportNumbers, rows: pd.DataFrame) -> None:
    """Per theme × series with a figure: `<theme>_<series>_count` ('19 av 39') and
    `<theme>_<series>_share` ('48,7 %', a printed percent as printed)."""
    for _, row in rows.iterrows():
        base = f"{row['theme']}_{series_key(row['series'])}"
        ref = "; ".join(refs(pd.DataFrame([row])))
        what = f"{row['theme_label']}, {row['series_label']}"
        if not pd.isna(row["figure_n"]) and row["lower_bound"]:  # named examples: the number named, no base
            numbers.add(f"{base}_count", swedish.number(row["figure_n"]), _t("numbers.named", what=what), ref)
        elif not pd.isna(row["figure_n"]):
            numbers.add(f"{base}_count", count_text(row), _t("numbers.count", what=what), ref)
        if not pd.isna(row["share"]) and not row["lower_bound"]:
            numbers.add(f"{base}_share", share_text(row), _t("numbers.share", what=what), ref)
        elif not pd.isna(row["published_percent"]):
            numbers.add(
                f"{base}_share", printed_percent(row["published_percent"]), _t("numbers.printed", what=what), ref
            )


def add_summary_numbers(numbers: ReportNumbers, rows: pd.DataFrame, years: str) -> None:
    all_refs = "; ".join(refs(rows))
    figure_rows = rows["figure_n"].notna() | rows["published_percent"].notna()
    numbers.add("n_themes", swedish.number(rows["theme"].nunique()), _t("numbers.n_themes"), all_refs)
    numbers.add("n_sources", swedish.number(rows["source"].nunique()), _t("numbers.n_sources"), all_refs)
    numbers.add("n_rows", swedish.number(len(rows)), _t("numbers.n_rows"), all_refs)
    numbers.add(
        "n_rows_same_definition",
        swedish.number((~rows["definitions_differ"]).sum()),
        _t("numbers.n_rows_same_definition"),
        all_refs,
    )
    numbers.add(
        "n_rows_partly", swedish.number((rows["comparable"] == "partly").sum()), _t("numbers.n_rows_partly"), all_refs
    )
    numbers.add(
        "n_rows_related", swedish.number((rows["comparable"] == "no").sum()), _t("numbers.n_rows_related"), all_refs
    )
    numbers.add(
        "n_rows_without_figure", swedish.number((~figure_rows).sum()), _t("numbers.n_rows_without_figure"), all_refs
    )
    numbers.add("years", years, _t("numbers.years"), all_refs)
    national = rows["series"].str.endswith("/nation")
    sample = rows[rows["source"].isin(set(rows.loc[national, "source"])) & ~national]
    bases = sorted(set(sample["figure_N"].dropna().astype(int)))
    if len(bases) != 1:
        raise ValueError(f"the selection beside a national series should have one base, got {bases}")
    numbers.add("oj_sample_N", swedish.number(bases[0]), _t("numbers.oj_sample_N"), "; ".join(refs(sample)))


def year_span(rows: pd.DataFrame) -> str:
    return f"{int(rows['year'].min())}–{int(rows['year'].max())}"


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    rows = with_series(combined["cross_source"], config)
    if rows.empty:
        raise ValueError("cross_source is empty: nothing to compare (check config/cross_source.csv)")
    years = year_span(rows)
    markers = _t("markers_note")
    tables.save(
        "tbl-cross-themes",
        comparison_table(rows, config),
        _t("tbl-cross-themes.caption", years=years, markers=markers),
        assets_dir,
        source_refs=refs(rows),
        right_align=tuple(_group("tbl-cross-themes.columns")[c] for c in ("year", "count", "share")),
        widths=(8, 5.5, 6.5, 2, 4.75, 4.75),
        breakable=True,
    )
    tables.save(
        "tbl-cross-definitions",
        definitions_table(rows, config),
        _t("tbl-cross-definitions.caption", markers=markers),
        assets_dir,
        source_refs=refs(rows),
        widths=(6, 4, 10.6, 3.4),
        breakable=True,
    )
    numbers = ReportNumbers(SECTION)
    add_row_numbers(numbers, rows)
    add_summary_numbers(numbers, rows, years)
    numbers.write(assets_dir)
