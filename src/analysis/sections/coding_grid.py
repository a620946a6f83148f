"""Report content for a coding grid: practices (codes) × municipalities, coded from a report's
text or an interview coding sheet, with the source's statements about groups of municipalities.
The source is the one whose config says `presentation: {kind: coding_grid}`; what is particular
to it is declared in its presentation.yml, and every word is a template in
report/text/<locale>/dalarna.yml.

A municipality is `yes` for a practice only where the report names it for that practice, mostly
as a good example. Everything else is `not_reported`, which is not "no". Counts of `yes` are
therefore lower bounds ("minst n av N"), and the grid cannot be used to compare municipalities.
The breakdown by SKR kommungrupp and population band belongs to the Kommunstorlek section.
"""

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import figures, sources, swedish, tables
from ..report_vars import ReportNumbers, save_missing_note
from . import spec

KIND = "coding_grid"
STATUS_STYLE = {  # status → (value in the grid, colour); legend and cell texts: the template's `status`
    "not_reported": (0, "#E3E3E3"),
    "yes": (1, figures.PALETTE[0]),
    "no": (2, figures.PALETTE[4]),
}
MUNICIPALITY_NUMBERS = ("municipalities_N", "interviewed_n", "named_n", "never_named_n", "never_named_list")


class Grid(spec.Presented):
    """The source the section presents, its declaration and the section's texts."""

    kind = KIND

    @property
    def selected_statements(self) -> list[tuple[int, str]]:
        return [(int(line), str(quantifier)) for line, quantifier in self.declaration["statements"]["selected"]]


# --- inputs ---------------------------------------------------------------------------------


def theme_labels(grid: Grid) -> dict[str, str]:
    """{theme code: label} of the interview themes (templates); a theme without one is shown by its id."""
    return dict(grid.t.group("themes"))


# --- the coding grid --------------------------------------------------------------------------


def code_summary(coding: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """One row per code in codes.csv order: code, theme, label_sv, n_yes, n_no, N (municipalities
    in the grid) and the municipalities coded yes (alphabetical)."""
    N = coding["kommun"].nunique()
    rows = []
    for code in codes.itertuples(index=False):
        cells = coding[coding["code"] == code.code]
        if len(cells) != N:
            raise ValueError(f"code {code.code!r} has {len(cells)} cells, expected {N}")
        named = sorted(cells.loc[cells["status"] == "yes", "kommun"])
        rows.append(
            {
                "code": code.code,
                "theme": code.theme,
                "label_sv": code.label_sv,
                "n_yes": len(named),
                "n_no": int((cells["status"] == "no").sum()),
                "N": N,
                "kommuner": named,
            }
        )
    return pd.DataFrame(rows)


def municipality_order(coding: pd.DataFrame) -> list[str]:
    """Municipalities in alphabetical order (the Swedish letters last, as in Swedish): the grid names examples
    and does not rank municipalities, so the number of yes does not decide the order."""
    return sorted(coding["kommun"].unique())


def coding_grid_figure(
    coding: pd.DataFrame, summary: pd.DataFrame, themes: dict[str, str], grid: Grid
) -> figures.ReportFigure:
    """Heatmap municipality × code: dark blue 'yes' where the report names the municipality for
    the practice, neutral light grey where it is not reported; each code's label says 'minst n av N'."""
    t = grid.t
    status_texts = t.group("status")
    order = municipality_order(coding)
    status = coding.pivot(index="code", columns="kommun", values="status").reindex(index=summary["code"], columns=order)
    evidence = coding.pivot(index="code", columns="kommun", values="evidence").reindex(
        index=summary["code"], columns=order
    )
    N = int(summary["N"].iloc[0])
    y = [
        t("grid.code_label", label=figures.wrap_label(row.label_sv, 38, after_slash=True), n=swedish.number(row.n_yes))
        for row in summary.itertuples()
    ]
    z = status.apply(lambda col: col.map(lambda s: STATUS_STYLE[s][0])).to_numpy()
    text = status.apply(lambda col: col.map(lambda s: status_texts[s]["cell"])).to_numpy()
    hover = [
        [
            t("grid.hover", kommun=kommun, status=status_texts[s]["legend"])
            + (f"<br>{figures.wrap_label(e, 60, after_slash=True)}" if isinstance(e, str) and e else "")
            for kommun, s, e in zip(order, status.loc[code], evidence.loc[code])
        ]
        for code in summary["code"]
    ]
    top = len(STATUS_STYLE) - 1
    scale = []
    for value, colour in sorted(STATUS_STYLE.values()):
        scale += [[value / (top + 1), colour], [(value + 1) / (top + 1), colour]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=order,
            y=y,
            text=text,
            texttemplate="%{text}",
            textfont=dict(color="white", size=12),
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=scale,
            zmin=-0.5,
            zmax=top + 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    present = set(coding["status"])
    for status_name, (_, colour) in STATUS_STYLE.items():
        if status_name in present:
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=status_texts[status_name]["legend"],
                    marker=dict(symbol="square", size=14, color=colour, line=dict(color="#555555", width=1)),
                )
            )
    # separators between the interview themes, and the theme names on the right
    boundaries = summary.index[summary["theme"] != summary["theme"].shift()].tolist()
    for start, end in zip(boundaries, boundaries[1:] + [len(summary)]):
        if start:
            fig.add_shape(
                type="line",
                xref="paper",
                x0=0,
                x1=1,
                yref="y",
                y0=start - 0.5,
                y1=start - 0.5,
                line=dict(color="#222222", width=1.5),
            )
        fig.add_annotation(
            xref="paper",
            x=1.01,
            xanchor="left",
            yref="y",
            y=(start + end - 1) / 2,
            text=figures.wrap_label(
                themes.get(summary["theme"].iloc[start], summary["theme"].iloc[start]), 14, after_slash=True
            ),
            showarrow=False,
            font=dict(size=13, color="#444444"),
            align="left",
        )
    figures.base_layout(fig, height=170 + 34 * len(summary))
    fig.update_layout(
        showlegend=True,
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", xanchor="left"),
        margin=dict(l=10, r=105, t=40, b=10),
        plot_bgcolor="white",
    )
    # The figure prints at the text width (820 px → about 470 pt): 13 px is about 7,5 pt. The 15
    # names do not fit side by side (about 27 px a column), so they stand upright, not slanted.
    fig.update_xaxes(side="top", tickangle=-90, showline=False, ticks="", tickfont=dict(size=13))
    fig.update_yaxes(autorange="reversed", showline=False, ticks="", tickfont=dict(size=13))
    fig.update_xaxes(side="bottom")
    n_yes = int((coding["status"] == "yes").sum())
    named = [k for k in order if (coding.loc[coding["kommun"] == k, "status"] == "yes").any()]
    never = [k for k in order if k not in named]
    top = summary[summary["n_yes"] == summary["n_yes"].max()]
    alt = t(
        "grid.alt",
        municipalities=swedish.number(len(order)),
        codes=swedish.number(len(summary)),
        yes=swedish.number(n_yes),
        cells=swedish.number(coding.shape[0]),
        named=swedish.number(len(named)),
        never=swedish.number(len(never)),
        never_list=", ".join(sorted(never)),
        top_n=swedish.number(top["n_yes"].iloc[0]),
        N=swedish.number(N),
        top_labels="; ".join(label.lower() for label in top["label_sv"]),
    )
    return figures.ReportFigure(
        id=grid.declaration["figure"],
        figure=fig,
        caption=t("grid.caption", N=swedish.number(N)),
        alt=alt,
        source=t("source_line"),
        source_refs=tuple(coding["source_ref"]),
    )


def theme_column(theme: pd.Series, themes: dict[str, str]) -> pd.Series:
    """A table's theme column: the theme's label on the first row of each run of one theme, else empty."""
    return theme.map(lambda t: themes.get(t, t)).where(theme != theme.shift(), "")


def code_table(summary: pd.DataFrame, themes: dict[str, str], grid: Grid) -> pd.DataFrame:
    """Formatted: theme (first row of each), practice, the municipalities named, 'minst n av N'."""
    columns = grid.t.group("code_table.columns")
    return pd.DataFrame(
        {
            columns["theme"]: theme_column(summary["theme"], themes),
            columns["code"]: summary["label_sv"],
            columns["named"]: summary["kommuner"].map(", ".join),
            columns["count"]: [grid.t("code_table.named_count", count=swedish.number(n)) for n in summary["n_yes"]],
        }
    )


# --- the group statements ---------------------------------------------------------------------


def selected_statements(statements: pd.DataFrame, selection: list[tuple[int, str]]) -> pd.DataFrame:
    """The chosen rows of the statements table, in the order of the report's themes; raises if a
    chosen (seed_line, quantifier) is missing or ambiguous."""
    lines = pd.to_numeric(statements["seed_line"])
    picked = []
    for line, quantifier in selection:
        match = statements[(lines == line) & (statements["quantifier"] == quantifier)]
        if len(match) != 1:
            raise KeyError(f"statements: {len(match)} rows for line {line}, quantifier {quantifier!r}")
        picked.append(match.index[0])
    return statements.loc[picked].reset_index(drop=True)


def statements_table(chosen: pd.DataFrame, themes: dict[str, str], grid: Grid) -> pd.DataFrame:
    columns = grid.t.group("statements_table.columns")
    return pd.DataFrame(
        {
            columns["theme"]: theme_column(chosen["theme"], themes),
            columns["quantifier"]: chosen["quantifier"],
            columns["statement"]: chosen["statement"],
        }
    )


# --- numbers for the prose --------------------------------------------------------------------


def add_numbers(numbers: ReportNumbers, results: dict, raw: dict, summary: pd.DataFrame, grid: Grid) -> None:
    """Every number the section's text and summary use."""
    shares = results["shares"]
    coding = raw["coding"]
    if "municipalities" in raw:
        add_municipality_numbers(numbers, raw["municipalities"], grid)
    else:
        for name in MUNICIPALITY_NUMBERS:
            numbers.add_missing(name, grid.t(f"numbers.{name}"), grid.source, "municipalities")
    add_coding_numbers(numbers, coding, summary, grid)
    add_count_numbers(numbers, shares, grid)


def add_municipality_numbers(numbers: ReportNumbers, munis: pd.DataFrame, grid: Grid) -> None:
    """The numbers of the municipalities table (published inputs only)."""
    t = grid.t
    interviewed = munis[munis["interviewed"] == "yes"]
    numbers.add(
        "municipalities_N", swedish.number(len(munis)), t("numbers.municipalities_N"), munis["source_ref"].iloc[0]
    )
    numbers.add(
        "interviewed_n",
        swedish.number(len(interviewed)),
        t("numbers.interviewed_n"),
        interviewed.loc[interviewed["interviewed_seed_line"].notna(), "source_ref"].iloc[0],
    )
    named = munis[munis["named_in_report"] == "yes"]
    numbers.add("named_n", swedish.number(len(named)), t("numbers.named_n"), named["source_ref"].iloc[0])
    never = munis[munis["named_in_report"] != "yes"]
    numbers.add("never_named_n", swedish.number(len(never)), t("numbers.never_named_n"), never["source_ref"].iloc[0])
    names = sorted(never["kommun"])
    numbers.add(
        "never_named_list",
        t("list_and", items=", ".join(names[:-1]), last=names[-1]),
        t("numbers.never_named_list"),
        never["source_ref"].iloc[0],
    )


def add_coding_numbers(numbers: ReportNumbers, coding: pd.DataFrame, summary: pd.DataFrame, grid: Grid) -> None:
    """The numbers of the coding grid (published coding table or a coding sheet)."""
    t = grid.t
    yes = coding[coding["status"] == "yes"]
    ref = yes["source_ref"].iloc[0]
    numbers.add("codes_N", swedish.number(len(summary)), t("numbers.codes_N"), ref)
    numbers.add("cells_N", swedish.number(len(coding)), t("numbers.cells_N"), ref)
    numbers.add("cells_yes_n", swedish.number(len(yes)), t("numbers.cells_yes_n"), ref)
    numbers.add("cells_no_n", swedish.number(int((coding["status"] == "no").sum())), t("numbers.cells_no_n"), ref)
    top = yes["kommun"].value_counts()
    top_ref = yes.loc[yes["kommun"] == top.index[0], "source_ref"].iloc[0]
    numbers.add("most_named", top.index[0], t("numbers.most_named"), top_ref)
    numbers.add("most_named_n", swedish.number(top.iloc[0]), t("numbers.most_named_n"), top_ref)
    for row in summary.itertuples():
        cells = yes if (yes["code"] == row.code).any() else coding  # a code no municipality has: its cells
        code_ref = cells.loc[cells["code"] == row.code, "source_ref"].iloc[0]
        numbers.add(f"{row.code}_n", swedish.number(row.n_yes), t("numbers.code_n", label=row.label_sv), code_ref)


def count_value(shares: pd.DataFrame, source: str, count: dict) -> tuple[str, str]:
    """A declared count as (formatted value, source_ref): the row's n or printed percent, or the
    smallest/largest printed percent over all rows of the indicator."""
    value = count.get("value", "n")
    if value in ("published_min", "published_max"):
        rows = shares[(shares["source"] == source) & (shares["indicator"] == count["indicator"])]
        printed = rows["published"].min() if value == "published_min" else rows["published"].max()
        return swedish.percent(printed, 0), rows["source_ref"].iloc[0]
    row = spec.share_row(shares, source, count["indicator"], count.get("category", "yes"), count.get("group", "all"))
    return (swedish.number(row["n"]) if value == "n" else swedish.percent(row["published"], 0)), row["source_ref"]


def add_count_numbers(numbers: ReportNumbers, shares: pd.DataFrame, grid: Grid) -> None:
    """The declared counts; all "uppgift saknas" when the inputs have no counts (a coding sheet)."""
    counts = grid.declaration["counts"]
    present = set(shares.loc[shares["source"] == grid.source, "indicator"])
    absent = [count for count in counts if count["indicator"] not in present]
    for count in absent:
        numbers.add_missing(count["name"], grid.t(f"numbers.{count['name']}"), grid.source, count["indicator"])
    if absent:  # a coding sheet has no counts; partial counts are not a case the text is written for
        if len(absent) != len(counts):
            given = sorted(c["name"] for c in counts if c not in absent)
            raise KeyError(
                f"{grid.source}: counts of {given} are given, but not of "
                f"{sorted(c['name'] for c in absent)}: give all or none"
            )
        return
    for count in counts:
        text, ref = count_value(shares, grid.source, count)
        numbers.add(count["name"], text, grid.t(f"numbers.{count['name']}"), ref)


# --- what the text says in words --------------------------------------------------------------


def check_prose_claims(
    summary: pd.DataFrame, coding: pd.DataFrame, named_in_text: dict[str, list[str]], text: str = "the section's text"
) -> None:
    """Raise if the data no longer support what the section's text says in words: no cell is an
    explicit 'no', and the municipalities named for a practice (declared `named_in_text`). `text`
    names the template to revise (report/sections/_<region>.qmd)."""
    if (coding["status"] == "no").any():
        raise ValueError(
            "the coding now has 'no' cells: the text and figure caption of the coding-grid "
            f"section say there are none; revise {text}"
        )
    named = dict(zip(summary["code"], summary["kommuner"]))
    for code, expected in named_in_text.items():
        if named.get(code) != expected:
            raise ValueError(f"the text names {expected} for {code!r}, the data {named.get(code)}")


# --- build ------------------------------------------------------------------------------------


def build(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    grid = Grid.of(config)
    t, declared = grid.t, grid.declaration
    raw = spec.source_tables(results, config, grid.source)
    themes = theme_labels(grid)
    numbers = ReportNumbers(t.section)
    coding, codes = raw["coding"], raw["codes"]
    summary = code_summary(coding, codes)
    if sources.is_published(config["sources"][grid.source]):
        # the text's words describe the published coding; an own coding sheet is not checked against them
        check_prose_claims(summary, coding, declared["named_in_text"], f"report/sections/_{t.section}.qmd")

    figures.save(coding_grid_figure(coding, summary, themes, grid), assets_dir)
    code_columns = t.group("code_table.columns")
    tables.save(
        declared["code_table"],
        code_table(summary, themes, grid),
        t("code_table.caption"),
        assets_dir,
        source_refs=[*codes["source_ref"], *coding.loc[coding["status"] == "yes", "source_ref"]],
        right_align=(code_columns["count"],),
        widths=(1.6, 2.4, 2.1, 1.1),
    )

    statements_id, statements_name = declared["statements"]["id"], declared["statements"]["table"]
    if statements_name in raw:
        statements = raw[statements_name]
        chosen = selected_statements(statements, grid.selected_statements)
        tables.save(
            statements_id,
            statements_table(chosen, themes, grid),
            t("statements_table.caption", shown=swedish.number(len(chosen))),
            assets_dir,
            source_refs=chosen["source_ref"],
            widths=(1.4, 1.2, 3.4),
        )
        numbers.add(
            "statements_shown_n",
            swedish.number(len(chosen)),
            t("numbers.statements_shown_n"),
            chosen["source_ref"].iloc[0],
        )
        numbers.add(
            "statements_N", swedish.number(len(statements)), t("numbers.statements_N"), statements["source_ref"].iloc[0]
        )
    else:  # an interview coding sheet has no group statements
        save_missing_note(statements_id, t("statements_table.missing"), assets_dir, grid.source, [statements_name])
        numbers.add_missing("statements_shown_n", t("numbers.statements_shown_n"), grid.source, statements_name)
        numbers.add_missing("statements_N", t("numbers.statements_N"), grid.source, statements_name)

    add_numbers(numbers, results, raw, summary, grid)
    numbers.write(assets_dir)
