"""Report content for a counts survey of all units of an area (a census): shares reported as n/N
without sampling intervals. The source is the one whose config says `presentation: {kind:
counts_survey}`; what it shows of it (the items, the key table, the figures) is declared in the
source's presentation.yml, and every word is a template in report/text/<locale>/stockholm.yml.

The transcription leaves N empty where the report's sentence states no base (data/raw/CONVENTIONS.md).
The base of such a count is the source's one base rule, declared in the config (`base_rule`: every
unit answered, one respondent per unit, so N = all units surveyed unless the source states
another) and applied where shares.csv is computed (analysis.shares.apply_base_rule, which also
checks that every printed percent fits it). This section takes N from shares.csv, as the table
there has it: `base_basis = "census"` where the rule gave it, "printed" where the source printed it,
"none" (no share) for the rule's declared exceptions.
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import figures, sources, swedish, tables
from .. import shares as share_math
from ..numbers import SMALLEST_PERCENT_BASE
from ..report_vars import (
    MISSING_TEXT,
    ReportNumbers,
    is_missing,
    missing_caption,
    missing_ref,
    or_missing,
    save_missing_note,
    used_variables,
)
from . import spec

KIND = "counts_survey"


@dataclass(frozen=True)
class Item:
    """One figure of the source used in the section: a shares row and the names it gets here."""

    name: str  # variable stem: stockholm.<name>_n, _share, _published, _N …
    indicator: str
    category: str
    key_table: str = ""  # the key table's group the item is listed under ("" = not in the table)
    base_marker: str = ""  # table footnote on N (its base is derived in the transcription)


class Survey(spec.Presented):
    """The source the section presents, its declaration and the section's texts."""

    kind = KIND

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(Item(**item) for item in self.declaration["items"])

    @property
    def sufficiency_groups(self) -> list[dict]:
        return self.declaration["sufficiency"]["groups"]


MISSING = "missing"
SUFFICIENCY_STYLES = (
    figures.AnswerStyle(figures.PALETTE[0]),  # dark blue
    figures.AnswerStyle(figures.PALETTE[3], text_color="#222222"),  # light blue
    figures.AnswerStyle(figures.PALETTE[4], pattern="/"),  # vermillion, hatched
    figures.AnswerStyle("#FFFFFF", text_color="#222222", pattern=".", pattern_color="#BBBBBB"),  # white, dotted
)
NUMBER_COLUMNS = ("n", "N", "share", "published")


# --- rows ------------------------------------------------------------------------------------


def source_rows(shares: pd.DataFrame, source: str) -> pd.DataFrame:
    """The rows of the presented source in the shares table."""
    rows = shares[shares["source"] == source]
    if rows.empty:
        raise KeyError(f"{source}: no rows in shares")
    return rows


def indicator_rows(shares: pd.DataFrame, source: str, indicator: str) -> pd.DataFrame:
    """All rows of one indicator of the source, in the order of the source."""
    rows = shares[(shares["source"] == source) & (shares["indicator"] == indicator)]
    if rows.empty:
        raise KeyError(f"{source}: indicator {indicator!r} not in shares")
    return rows.reset_index(drop=True)


def shares_row(shares: pd.DataFrame, source: str, indicator: str, category: str) -> pd.Series:
    """The one shares row of indicator/category (all units, no breakdown)."""
    rows = indicator_rows(shares, source, indicator)
    rows = rows[(rows["category"] == category) & (rows["group_var"] == "all")]
    if len(rows) != 1:
        raise KeyError(f"{source}: expected one row for {indicator}/{category}, found {len(rows)}")
    return rows.iloc[0]


def has_indicator(shares: pd.DataFrame, source: str, indicator: str, category: str | None = None) -> bool:
    """Whether the inputs have the indicator (and category) at all: a build from own data may
    leave some out (data/examples/README.md)."""
    rows = shares[(shares["source"] == source) & (shares["indicator"] == indicator)]
    return not (rows if category is None else rows[rows["category"] == category]).empty


def census_row(shares: pd.DataFrame, survey: Survey) -> pd.Series:
    census = survey.declaration["census"]
    return shares_row(shares, survey.source, census["indicator"], census["category"])


def units_total(shares: pd.DataFrame, survey: Survey) -> int:
    """The number of units surveyed (all took part: a census)."""
    row = census_row(shares, survey)
    if pd.isna(row["n"]) or pd.isna(row["N"]) or int(row["n"]) != int(row["N"]):
        raise ValueError(f"{survey.source}: {row['indicator']} should be n = N (a census), got {row['n']}/{row['N']}")
    return int(row["N"])


def check_printed_percent(row: pd.Series, N: int) -> None:
    """Raise when the printed percent of a row does not fit n on base N (round half up at the
    printed precision): the census base would then be wrong for this row."""
    if pd.isna(row["published"]) or pd.isna(row["n"]):
        return
    printed = 100 * share_math.exact(row["published"])
    fitted = share_math.percent_of(int(row["n"]), N, share_math.printed_decimals(round(100 * row["published"], 6)))
    if fitted != printed:
        raise ValueError(
            f"{row['source']} {row['indicator']}/{row['category']}: printed {float(printed):g} % does not "
            f"fit n = {int(row['n'])} on base {N}; the census base cannot be used for it"
        )


def item_row(shares: pd.DataFrame, source: str, item: Item, units: int, allow_missing: bool = False) -> dict:
    """One item as a plain record: the shares row, with the census base where no base is printed;
    with `allow_missing` (own inputs), an item absent from them has no numbers (`missing`) and
    points at where it should be; the published tables must have every item."""
    if allow_missing and not has_indicator(shares, source, item.indicator, item.category):
        return {
            "name": item.name,
            "indicator": item.indicator,
            "category": item.category,
            "category_label": "",
            "area": item.key_table,
            "n": None,
            "n_max": None,
            "N": None,
            "share": None,
            "published": None,
            "published_max": None,
            "n_basis": "",
            "base_basis": "none",
            "base_marker": item.base_marker,
            "source_ref": missing_ref(source, item.indicator),
            "missing": True,
        }
    row = shares_row(shares, source, item.indicator, item.category)
    n = None if pd.isna(row["n"]) else int(row["n"])
    N = None if pd.isna(row["N"]) else int(row["N"])
    basis = {"default_base": "census", "printed": "printed"}.get(
        row.get("N_basis"), "printed" if N is not None else "none"
    )
    share = n / N if None not in (n, N) else None
    return {
        "name": item.name,
        "indicator": item.indicator,
        "category": item.category,
        "category_label": row["category_label"],
        "area": item.key_table,
        "n": n,
        "n_max": None if pd.isna(row["n_max"]) else int(row["n_max"]),
        "N": N,
        "share": share,
        "published": None if pd.isna(row["published"]) else float(row["published"]),
        "published_max": None if pd.isna(row["published_max"]) else float(row["published_max"]),
        "n_basis": row["n_basis"],
        "base_basis": basis,
        "base_marker": item.base_marker,
        "source_ref": row["source_ref"],
        "missing": False,
    }


def item_frame(
    shares: pd.DataFrame, survey: Survey, items: tuple[Item, ...] | None = None, allow_missing: bool = False
) -> pd.DataFrame:
    """All items of the section (the declared ones unless `items`), one row each (see
    `item_row`), indexed by name."""
    units = units_total(shares, survey)
    items = survey.items if items is None else items
    frame = pd.DataFrame([item_row(shares, survey.source, item, units, allow_missing) for item in items])
    if frame["name"].duplicated().any():
        raise ValueError(f"duplicate item names: {sorted(frame.loc[frame['name'].duplicated(), 'name'])}")
    frame.index = pd.Index(frame["name"].tolist())
    return frame


def indicator_sum(shares: pd.DataFrame, source: str, indicator: str) -> tuple[int, str]:
    """Sum of the printed counts of an answer set, and its source_ref(s)."""
    rows = indicator_rows(shares, source, indicator)
    if rows["n"].isna().any():
        raise ValueError(f"{source} {indicator}: a category has no count, so the set cannot be summed")
    return int(rows["n"].sum()), "; ".join(sorted(rows["source_ref"].unique()))


def sufficiency_counts(shares: pd.DataFrame, survey: Survey) -> pd.DataFrame:
    """The declared answers per group, plus the answers missing from the printed set (N minus
    their sum) as 'missing', so every bar reaches N."""
    units = units_total(shares, survey)
    answers = survey.declaration["sufficiency"]["answers"]
    answer_labels = survey.t.group("sufficiency_answers")
    group_labels = survey.t.group("groups")
    records = []
    for group in survey.sufficiency_groups:
        indicator, group_label = group["indicator"], group_labels[group["key_table"]]
        if not has_indicator(shares, survey.source, indicator):
            continue  # absent from the inputs: the group is left out (see sufficiency_figure)
        rows = indicator_rows(shares, survey.source, indicator)
        bases = sorted({int(N) for N in rows["N"].dropna()})
        if len(bases) > 1:
            raise ValueError(f"{survey.source} {indicator}: several bases {bases}")
        N = bases[0] if bases else units  # no base printed: the census base
        printed = 0
        for answer in answers:
            row = rows[rows["category"] == answer]
            if len(row) != 1:
                raise KeyError(f"{survey.source} {indicator}: expected one {answer!r} row, found {len(row)}")
            row = row.iloc[0]
            check_printed_percent(row, N)
            records.append(
                {
                    "group": group["name"],
                    "group_label": group_label,
                    "answer": answer,
                    "answer_label": answer_labels[answer],
                    "n": int(row["n"]),
                    "N": N,
                    "basis": "printed",
                    "source_ref": row["source_ref"],
                }
            )
            printed += int(row["n"])
        if printed > N:
            raise ValueError(f"{survey.source} {indicator}: the printed answers ({printed}) exceed the base {N}")
        records.append(
            {
                "group": group["name"],
                "group_label": group_label,
                "answer": MISSING,
                "answer_label": answer_labels[MISSING],
                "n": N - printed,
                "N": N,
                "basis": "remainder",
                "source_ref": "; ".join(sorted(rows["source_ref"].unique())),
            }
        )
    out = pd.DataFrame(
        records, columns=["group", "group_label", "answer", "answer_label", "n", "N", "basis", "source_ref"]
    )
    out["share"] = out["n"] / out["N"]
    return out


# --- figures -----------------------------------------------------------------------------------


def organisation_figure(items: pd.DataFrame, survey: Survey) -> figures.ReportFigure:
    """Sorted bars of the declared items (e.g. coordinator, action plan, statistics and written
    routines), shares of all units."""
    t = survey.t
    declared = survey.declaration["organisation_figure"]
    labels = t.group("organisation_figure.labels")
    rows = items.loc[declared["items"]].assign(figure_label=lambda f: f["name"].map(labels))
    absent = int(rows["missing"].sum())
    rows = rows[~rows["missing"]]
    if rows["share"].isna().any() or rows["N"].nunique() != 1:
        raise ValueError("organisation figure: every bar needs a share on the same base")
    rows = rows.sort_values("share", ascending=False, kind="stable")
    N = int(rows["N"].iloc[0])
    fig = figures.horizontal_share_bars(
        [figures.wrap_label(label, 34) for label in rows["figure_label"]],
        rows["share"],
        rows["n"],
        rows["N"],
        axis_title=t("organisation_figure.axis", N=N),
    )
    parts = "; ".join(
        t(
            "organisation_figure.part",
            label=row.figure_label,
            count=swedish.count_of(row.n, row.N),
            share=swedish.percent_on(row.share, row.N),
        )
        for row in rows.itertuples()
    )
    return figures.ReportFigure(
        id=declared["id"],
        figure=fig,
        caption=t("organisation_figure.caption", N=N) + missing_caption(absent, len(declared["items"])),
        alt=t("organisation_figure.alt", parts=parts),
        source=survey.source_line,
        source_refs=tuple(rows["source_ref"]),
    )


def sufficiency_figure(counts: pd.DataFrame, survey: Survey) -> figures.ReportFigure:
    """Stacked bars: the declared answers and the missing ones, per group."""
    t = survey.t
    groups = list(dict.fromkeys(counts["group_label"]))
    answers = [*survey.declaration["sufficiency"]["answers"], MISSING]
    answer_labels = t.group("sufficiency_answers")
    N = counts["N"].unique()
    if len(N) != 1:
        raise ValueError(f"sufficiency figure: one base expected, got {sorted(N)}")
    N = int(N[0])
    matrix = [
        [int(counts.loc[(counts["group_label"] == g) & (counts["answer"] == a), "n"].iloc[0]) for g in groups]
        for a in answers
    ]
    fig = figures.stacked_answer_bars(
        groups,
        [answer_labels[a] for a in answers],
        matrix,
        N,
        axis_title=t("sufficiency_figure.axis", N=N),
        styles=list(SUFFICIENCY_STYLES),
    )
    parts = "; ".join(
        t(
            "sufficiency_figure.group_part",
            group=g,
            answers=", ".join(
                t("sufficiency_figure.part", answer=answer_labels[a].lower(), n=swedish.number(matrix[i][j]))
                for i, a in enumerate(answers)
            ),
        )
        for j, g in enumerate(groups)
    )
    expected = len(survey.sufficiency_groups)
    return figures.ReportFigure(
        id=survey.declaration["sufficiency"]["id"],
        figure=fig,
        caption=t("sufficiency_figure.caption", N=N) + missing_caption(expected - len(groups), expected),
        alt=t("sufficiency_figure.alt", N=N, parts=parts),
        source=survey.source_line,
        source_refs=tuple(counts["source_ref"].str.split("; ").explode()),
    )


# --- tables ------------------------------------------------------------------------------------


def learned_via_table(rows: pd.DataFrame, survey: Survey) -> pd.DataFrame:
    """Formatted table: source of knowledge, n, N, share and the printed percent."""
    columns = survey.t.group("learned_via.columns")
    return pd.DataFrame(
        {
            columns["category"]: rows["category_label"],
            columns["n"]: rows["n"].map(swedish.number),
            columns["N"]: rows["N"].map(swedish.number),
            columns["share"]: [swedish.percent_on(s, n) for s, n in zip(rows["share"], rows["N"])],
            columns["published"]: rows["published"].map(lambda p: or_missing(p, swedish.percent, 0)),
        }
    )


def in_figures(items: pd.DataFrame, sufficiency: pd.DataFrame, survey: Survey) -> pd.Series:
    """Items a figure of the section shows (the organisation figure, the sufficiency figure):
    the key table leaves them out, since a figure that repeats a table's rows goes (REPORT.md)."""
    organisation = survey.declaration["organisation_figure"]["items"]
    shown = items["name"].isin(organisation) if not items.loc[organisation, "missing"].all() else False
    if not sufficiency.empty:
        shown = shown | items["indicator"].isin([group["indicator"] for group in survey.sufficiency_groups])
    return pd.Series(shown, index=items.index, dtype=bool)


def key_indicator_rows(items: pd.DataFrame, sufficiency: pd.DataFrame, survey: Survey) -> pd.DataFrame:
    """The items declared for the key table that no figure shows, in declaration order, with the
    groups' missing sufficiency answers inserted after their printed answers (where the
    sufficiency figure is not drawn)."""
    labels = survey.t.group("key_table.labels")
    rows = items[(items["area"] != "") & ~items["missing"] & ~in_figures(items, sufficiency, survey)].copy()
    rows["label"] = rows["name"].map(labels)
    rows["n_marker"] = ["a" if basis == "inferred_from_percent" else "" for basis in rows["n_basis"]]
    missing = sufficiency[(sufficiency["answer"] == MISSING) & (sufficiency["n"] > 0)]
    groups = {group["name"]: group for group in survey.sufficiency_groups}
    out = rows.reset_index(drop=True)
    for rec in missing.itertuples():
        if groups[rec.group]["indicator"] not in set(out["indicator"]):
            continue  # the group's answers are in the sufficiency figure, its missing answers too
        extra = pd.DataFrame(
            [
                {
                    "name": f"{rec.group}_missing",
                    "label": survey.t("key_table.missing_answers"),
                    "area": groups[rec.group]["key_table"],
                    "n": rec.n,
                    "N": rec.N,
                    "share": rec.share,
                    "published": None,
                    "n_basis": "remainder",
                    "base_marker": "",
                    "n_marker": "c",
                    "source_ref": rec.source_ref,
                }
            ]
        )
        position = max(i for i, indicator in enumerate(out["indicator"]) if indicator == groups[rec.group]["indicator"])
        out = pd.concat([out.iloc[: position + 1], extra, out.iloc[position + 1 :]], ignore_index=True)
    return out.reset_index(drop=True)


def marked(text: str, marker: str) -> str:
    """A cell with a footnote marker as a superscript (pandoc/Quarto '^a^')."""
    return f"{text}^{marker}^" if marker else text


# Column → relative width in the PDF (the key table wraps; order = the table's columns).
KEY_TABLE_WIDTHS = {"label": 46, "n": 6, "N": 6, "share": 9, "published": 16}


def key_indicator_table(rows: pd.DataFrame, survey: Survey) -> pd.DataFrame:
    """Formatted key table: a bold heading row per group, then indicator, n, N, share and the
    printed percent (a dash where the report prints none)."""
    columns = survey.t.group("key_table.columns")
    groups = survey.t.group("groups")
    not_printed = survey.t("key_table.not_printed")
    records = []
    for area, group in rows.groupby("area", sort=False):
        records.append({"label": f"**{groups[area]}**", "n": "", "N": "", "share": "", "published": ""})
        for row in group.itertuples():
            records.append(
                {
                    "label": row.label,
                    "n": marked(swedish.number(row.n), row.n_marker),
                    "N": marked(swedish.number(row.N), row.base_marker),
                    "share": swedish.percent_on(row.share, row.N) if row.N >= SMALLEST_PERCENT_BASE else not_printed,
                    "published": not_printed if pd.isna(row.published) else swedish.percent(row.published, 0),
                }
            )
    return pd.DataFrame(records, columns=list(KEY_TABLE_WIDTHS)).rename(columns=columns)


def key_table_caption(items: pd.DataFrame, sufficiency: pd.DataFrame, survey: Survey, rows: pd.DataFrame) -> str:
    """Caption with the footnotes a (n inferred), b (base derived) and c (missing answers, where
    the table's `rows` show them)."""
    units = units_total_from_items(items)
    derived = survey.declaration["key_table"]["derived_base"]
    shown, excluded = items.loc[derived["item"]], items.loc[derived["excluded"]]
    labelled = items[items["area"] != ""]
    printed = sufficiency[
        (sufficiency["group"] == survey.declaration["key_table"]["missing_answers_group"])
        & (sufficiency["answer"] != MISSING)
    ]
    printed_sum = " + ".join(swedish.number(n) for n in printed["n"])
    caption = survey.t(
        "key_table.caption",
        units=swedish.number(units),
        excluded=or_missing(excluded["n"], swedish.number),
        base=or_missing(shown["N"], swedish.number),
    )
    if (rows["n_marker"] == "c").any():
        caption += survey.t("key_table.caption_missing_answers", printed_sum=printed_sum or MISSING_TEXT)
    return caption + missing_caption(int(labelled["missing"].sum()), len(labelled))


def units_total_from_items(items: pd.DataFrame) -> int:
    """The census base used by the items (all units surveyed). Microdata print every base, so no
    item needs the census base: then it is the largest printed base (every unit)."""
    bases = items.loc[items["base_basis"] == "census", "N"].unique()
    if len(bases) == 0:
        bases = [items["N"].dropna().max()]
    if len(bases) != 1:
        raise ValueError(f"items: expected one census base, got {sorted(bases)}")
    return int(bases[0])


# --- numbers for the prose ---------------------------------------------------------------------

ITEM_VALUES = ("n", "n_max", "N", "share", "published", "published_max")


def add_base_rule_numbers(numbers: ReportNumbers, config: dict, survey: Survey, units: int, ref: str) -> None:
    """The source's base rule as the config declares it (stated in the method section): the
    default base and why. The default base must be the units surveyed."""
    t = survey.t
    rule = share_math.base_rule(config["sources"][survey.source], survey.source)
    if rule is None:  # own answers per unit: every count is computed on all units that answered
        rule = {"default_base": units, "reason": t("numbers.base_rule_without_rule", units=swedish.number(units))}
    if rule["default_base"] != units:
        raise share_math.BaseRuleError(
            f"sources.{survey.source}.base_rule.default_base = {rule['default_base']}, but {units} units were surveyed"
        )
    numbers.add("base_rule_N", swedish.number(rule["default_base"]), t("numbers.base_rule_N"), ref)
    numbers.add("base_rule_reason", rule["reason"], t("numbers.base_rule_reason"), ref)


def add_item_numbers(numbers: ReportNumbers, items: pd.DataFrame, units: int, survey: Survey) -> None:
    """<name>_n, _n_max, _N (when not all units), _share, _published, _published_max per item;
    those the text uses but the inputs lack read "uppgift saknas" (add_missing_item_numbers)."""
    t = survey.t
    for row in items.itertuples():
        what = t("numbers.item.what", indicator=row.indicator, category=row.category, label=row.category_label)
        add_missing_item_numbers(numbers, row, what, survey)
        if row.missing:
            continue
        if row.n is not None and not pd.isna(row.n):
            basis = t("numbers.item.inferred") if row.n_basis == "inferred_from_percent" else ""
            numbers.add(
                f"{row.name}_n", swedish.number(row.n), t("numbers.item.n", basis=basis, what=what), row.source_ref
            )
        if row.n_max is not None and not pd.isna(row.n_max):
            numbers.add(
                f"{row.name}_n_max", swedish.number(row.n_max), t("numbers.item.n_max", what=what), row.source_ref
            )
        if (
            row.N is not None
            and not pd.isna(row.N)
            and (int(row.N) != units or f"{row.name}_N" in used_variables(survey.t.section))
        ):
            numbers.add(f"{row.name}_N", swedish.number(row.N), t("numbers.item.N", what=what), row.source_ref)
        if row.share is not None and not pd.isna(row.share) and int(row.N) >= SMALLEST_PERCENT_BASE:
            numbers.add(
                f"{row.name}_share",
                swedish.percent_on(row.share, row.N),
                t("numbers.item.share", basis=row.base_basis, what=what),
                row.source_ref,
            )
        if row.published is not None and not pd.isna(row.published):
            numbers.add(
                f"{row.name}_published",
                swedish.percent(row.published, 0),
                t("numbers.item.published", what=what),
                row.source_ref,
            )
        if row.published_max is not None and not pd.isna(row.published_max):
            numbers.add(
                f"{row.name}_published_max",
                swedish.percent(row.published_max, 0),
                t("numbers.item.published_max", what=what),
                row.source_ref,
            )


def add_missing_item_numbers(numbers: ReportNumbers, row, what: str, survey: Survey) -> None:
    """The values of an item that the text uses but the inputs do not have: "uppgift saknas"."""
    used = used_variables(survey.t.section)
    for value in ITEM_VALUES:
        name = f"{row.name}_{value}"
        if name in used and (row.missing or is_missing(getattr(row, value))):
            numbers.add_missing(
                name, survey.t(f"numbers.item_missing.{value}", what=what), survey.source, row.indicator
            )


def add_sufficiency_numbers(numbers: ReportNumbers, sufficiency: pd.DataFrame, survey: Survey) -> None:
    """The missing answers per group, and the sum of the printed answers."""
    t = survey.t
    for group in survey.sufficiency_groups:
        if group["name"] not in set(sufficiency["group"]):  # absent from the inputs
            for suffix in ("missing_n", "missing_share", "printed_sum"):
                if f"{group['name']}_sufficiency_{suffix}" in used_variables(survey.t.section):
                    numbers.add_missing(
                        f"{group['name']}_sufficiency_{suffix}",
                        t("numbers.sufficiency_absent"),
                        survey.source,
                        group["indicator"],
                    )
    for group, rows in sufficiency.groupby("group", sort=False):
        missing = rows[rows["answer"] == MISSING].iloc[0]
        printed = rows[rows["answer"] != MISSING]
        numbers.add(
            f"{group}_sufficiency_missing_n",
            swedish.number(missing["n"]),
            t("numbers.sufficiency_missing_n"),
            missing["source_ref"],
        )
        numbers.add(
            f"{group}_sufficiency_missing_share",
            swedish.percent_on(missing["share"], missing["N"]),
            t("numbers.sufficiency_missing_share"),
            missing["source_ref"],
        )
        numbers.add(
            f"{group}_sufficiency_printed_sum",
            swedish.number(printed["n"].sum()),
            t("numbers.sufficiency_printed_sum"),
            missing["source_ref"],
        )


def add_discrepancy_numbers(
    numbers: ReportNumbers, shares: pd.DataFrame, items: pd.DataFrame, units: int, survey: Survey
) -> None:
    """Numbers for the callout on the source's own discrepancies: the sums of the declared
    answer sets, and the counts behind the items on a derived base."""
    for name, indicator in survey.declaration["answer_sums"].items():
        description = survey.t(f"numbers.answer_sums.{name}", indicator=indicator)
        if not has_indicator(shares, survey.source, indicator):
            numbers.add_missing(name, description, survey.source, indicator)
            continue
        total, refs = indicator_sum(shares, survey.source, indicator)
        numbers.add(name, swedish.number(total), description, refs)
    add_derived_base_numbers(numbers, items, units, survey)
    add_at_most_numbers(numbers, items, survey)


def add_at_most_numbers(numbers: ReportNumbers, items: pd.DataFrame, survey: Survey) -> None:
    """The other side of a printed count (declaration `at_most`: variable → item): the units that
    did not give the printed answer, N − n. It is an upper bound, not a count of an
    answer: units that did not answer the question are in it too."""
    for name, item in (survey.declaration.get("at_most") or {}).items():
        row = items.loc[item]
        description = survey.t(f"numbers.at_most.{name}")
        if row["missing"] or is_missing(row["n"]) or is_missing(row["N"]):
            numbers.add_missing(name, description, survey.source, row["indicator"])
            continue
        numbers.add(name, swedish.number(int(row["N"]) - int(row["n"])), description, row["source_ref"])


def add_derived_base_numbers(numbers: ReportNumbers, items: pd.DataFrame, units: int, survey: Survey) -> None:
    """Items printed as percents of a derived base (e.g. "the other" units): the counts on that
    base next to the printed percent, and the count on all units that gives it."""
    t = survey.t
    for name in survey.declaration["derived_base_items"]:
        row = items.loc[name]
        if row["missing"] or is_missing(row["published"]) or is_missing(row["N"]):
            for used in sorted(
                v
                for v in used_variables(survey.t.section)
                if v.startswith(f"{name}_") and v.removeprefix(f"{name}_").startswith(("near_", "fit_all_"))
            ):
                numbers.add_missing(used, t("numbers.derived_base.missing"), survey.source, row["indicator"])
            continue
        base, printed = int(row["N"]), round(100 * row["published"], 6)
        if not share_math.counts_fitting_percent(printed, base):
            for position, k in zip(("low", "high"), share_math.nearest_counts(printed, base)):
                numbers.add(
                    f"{name}_near_{position}_n",
                    swedish.number(k),
                    t("numbers.derived_base.near_n", base=base, printed=swedish.percent(row["published"], 0)),
                    row["source_ref"],
                )
                numbers.add(
                    f"{name}_near_{position}_share",
                    swedish.percent_on(k / base, base),
                    t("numbers.derived_base.near_share", base=base),
                    row["source_ref"],
                )
        fits = share_math.counts_fitting_percent(printed, units)
        if len(fits) != 1:
            raise ValueError(f"{name}: expected one count on {units} giving the printed percent, got {fits}")
        numbers.add(
            f"{name}_fit_all_n",
            swedish.number(fits[0]),
            t("numbers.derived_base.fit_all_n", units=units),
            row["source_ref"],
        )
        numbers.add(
            f"{name}_fit_all_share",
            swedish.percent_on(fits[0] / units, units),
            t("numbers.derived_base.fit_all_share", units=units),
            row["source_ref"],
        )


# --- the section ---------------------------------------------------------------------------------


def build(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    survey = Survey.of(config)
    t, source = survey.t, survey.source
    shares = source_rows(results["shares"], source)
    units = units_total(shares, survey)
    items = item_frame(shares, survey, allow_missing=not sources.is_published(config["sources"][source]))
    sufficiency = sufficiency_counts(shares, survey)
    numbers = ReportNumbers(t.section)

    number_columns = tuple(t.group("learned_via.columns")[c] for c in NUMBER_COLUMNS)
    for learned in survey.declaration["learned_via"]:
        subject = t.group(f"learned_via.{learned['indicator']}")
        if has_indicator(shares, source, learned["indicator"]):
            rows = indicator_rows(shares, source, learned["indicator"])
            tables.save(
                learned["table"],
                learned_via_table(rows, survey),
                t("learned_via.table_caption", subject=subject["subject"]),
                assets_dir,
                source_refs=rows["source_ref"],
                right_align=number_columns,
            )
        else:
            save_missing_note(learned["table"], subject["missing"], assets_dir, source, [learned["indicator"]])
    declared = survey.declaration["organisation_figure"]
    organisation = items.loc[declared["items"]]
    description = t("numbers.organisation_max_share")
    if organisation["missing"].all():
        save_missing_note(
            declared["id"], t("organisation_figure.missing"), assets_dir, source, organisation["indicator"]
        )
        numbers.add_missing(
            "organisation_max_share", description, source, ", ".join(dict.fromkeys(organisation["indicator"]))
        )
    else:
        figures.save(organisation_figure(items, survey), assets_dir)
        top = organisation[~organisation["missing"]].sort_values("share", ascending=False, kind="stable").iloc[0]
        numbers.add(
            "organisation_max_share", swedish.percent_on(top["share"], top["N"]), description, top["source_ref"]
        )
    if sufficiency.empty:
        save_missing_note(
            survey.declaration["sufficiency"]["id"],
            t("sufficiency_figure.missing"),
            assets_dir,
            source,
            [group["indicator"] for group in survey.sufficiency_groups],
        )
    else:
        figures.save(sufficiency_figure(sufficiency, survey), assets_dir)
    key_rows = key_indicator_rows(items, sufficiency, survey)
    key_columns = t.group("key_table.columns")
    tables.save(
        survey.declaration["key_table"]["id"],
        key_indicator_table(key_rows, survey),
        key_table_caption(items, sufficiency, survey, key_rows),
        assets_dir,
        source_refs=key_rows["source_ref"].str.split("; ").explode(),
        right_align=tuple(key_columns[c] for c in NUMBER_COLUMNS),
        widths=tuple(KEY_TABLE_WIDTHS.values()),
    )

    numbers.add("units_N", swedish.number(units), t("numbers.units_N"), census_row(shares, survey)["source_ref"])
    add_base_rule_numbers(numbers, config, survey, units, census_row(shares, survey)["source_ref"])
    add_item_numbers(numbers, items, units, survey)
    add_sufficiency_numbers(numbers, sufficiency, survey)
    add_discrepancy_numbers(numbers, shares, items, units, survey)
    numbers.write(assets_dir)
