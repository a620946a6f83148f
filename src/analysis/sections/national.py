"""Report content for the national context (region "national"), two shapes of data:

* an indicator matrix (config `presentation: {kind: indicator_matrix}`, e.g. Open Comparisons):
  a chosen set of municipalities' answers to every indicator, compared with the national share
  of ja for each. A purposive selection: the differences describe the selection, they estimate
  nothing.
* county-board estimates (`kind: county_board_estimates`): the boards' own Ja/Delvis counts per
  indicator (no base printed) and a key-person survey whose printed shares are shown as printed,
  with their inconsistencies.

What each source shows is declared in its presentation.yml; every word is a template in
report/text/<locale>/national.yml. Numbers are computed here, formatted once with
analysis.swedish, and written as figures, tables and prose variables (`national.*`) with the
source_ref of the raw rows behind them.
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import breakdowns, figures, swedish, tables
from .. import shares as sh
from ..input_errors import ConfigError, Problem
from ..report_vars import ReportNumbers
from . import spec

MATRIX, BOARDS = "indicator_matrix", "county_board_estimates"  # the presentation kinds shown here
# Indicators shown in the "furthest apart" figure: every indicator whose rank by |difference| is at
# most this (ties at the cut-off are all kept, so the figure may hold a few more).
FURTHEST_MAX_RANK = 15
# The national shares are printed as whole percent: a difference is exact to ± half a point.
NATIONAL_ROUNDING = 0.005
# The text names the indicators where most of the 8 answered ja but few in the nation did: at least
# this many ja among the 8, and a national ja share below this. No ranking: a ranking by difference
# would turn n of 8 into a percentage on a base of 8 (REPORT.md "Numbers").
CONTRAST_MIN_JA = 6
CONTRAST_MAX_NATION = 0.25


@dataclass(frozen=True)
class Presented:
    """One source the section presents: its id, declaration and the section's texts."""

    source: str
    declaration: dict
    t: spec.Texts
    kind: str

    @classmethod
    def of(cls, config: dict, kind: str) -> "Presented":
        source = spec.source_for(config, kind)
        return cls(
            source, spec.declaration(config, source), spec.Texts.of(spec.section_of(config, source), config), kind
        )

    @property
    def source_line(self) -> str:
        return self.t(f"source_lines.{self.kind}")


# ---------------------------------------------------------------------------------------------
# Picking rows
# ---------------------------------------------------------------------------------------------


def source_rows(frame: pd.DataFrame, source: str, indicator: str) -> pd.DataFrame:
    """The rows of one indicator of one source (shares), in source order; KeyError if none."""
    rows = frame[(frame["source"] == source) & (frame["indicator"] == indicator)]
    if rows.empty:
        raise KeyError(f"{source}: indicator {indicator!r} not in the table")
    return rows.reset_index(drop=True)


def one_row(frame: pd.DataFrame, source: str, indicator: str, category: str = "yes") -> pd.Series:
    """Exactly one row (source, indicator, category) at group 'all'; KeyError otherwise."""
    rows = source_rows(frame, source, indicator)
    rows = rows[(rows["category"] == category) & (rows["group"] == "all")]
    if len(rows) != 1:
        raise KeyError(f"{source}: expected one row {indicator}/{category}, found {len(rows)}")
    return rows.iloc[0]


def reproduction_row(reproduction: pd.DataFrame, source: str, quantity: str) -> pd.Series:
    rows = reproduction[(reproduction["source"] == source) & (reproduction["quantity"] == quantity)]
    if len(rows) != 1:
        raise KeyError(f"{source}: expected one reproduction row {quantity!r}, found {len(rows)}")
    return rows.iloc[0]


def section_refs(shares: pd.DataFrame, source: str, section_word: str) -> tuple[str, ...]:
    """Distinct source_refs of `source` whose section contains `section_word` (e.g. 'Bilaga 4')."""
    refs = shares.loc[shares["source"] == source, "source_ref"].dropna().astype(str)
    found = tuple(sorted({r for r in refs if section_word in r}))
    if not found:
        raise KeyError(f"{source}: no source_ref containing {section_word!r}")
    return found


def matrix_refs(shares: pd.DataFrame, matrix: Presented, part: str) -> tuple[str, ...]:
    """The source_refs of the declared part ('values' or 'nation') of the indicator matrix."""
    return section_refs(shares, matrix.source, matrix.declaration["refs"][part])


# ---------------------------------------------------------------------------------------------
# ÖJ 2015: the 8 municipalities vs the nation
# ---------------------------------------------------------------------------------------------


def direction_counts(vs_nation: pd.DataFrame) -> dict[str, int]:
    """How many indicators have a higher, equal or lower share of ja among the 8 than in the nation."""
    diff = vs_nation["difference_pp"]
    return {"above": int((diff > 0).sum()), "equal": int((diff == 0).sum()), "below": int((diff < 0).sum())}


def furthest_rows(vs_nation: pd.DataFrame, max_rank: int = FURTHEST_MAX_RANK) -> pd.DataFrame:
    """Indicators ranked at most `max_rank` by |difference| (ties kept), largest first."""
    rows = vs_nation[vs_nation["rank_abs_difference"] <= max_rank]
    return rows.sort_values(["rank_abs_difference", "indicator"], kind="stable").reset_index(drop=True)


# The heat map's cells: the ÖJ value (2 ja, 1 delvis, 0 nej; none printed = not reported, never
# "nej"), an Okabe–Ito colour, and a letter (texts: heatmap.cells) so the value never rests on
# colour alone. The four fills also stay apart in greyscale (review: yellow nej and sky-blue delvis
# printed as near-equal greys): black nej (white letter), blue ja (white letter), sky-blue delvis,
# near-white not reported; every pair's luminance contrast is at least GREYSCALE_MIN_CONTRAST.
OJ_CELLS = {2: "ja", 1: "delvis", 0: "nej", None: "not_reported"}
OJ_CELL_COLOURS = {"ja": "#0072B2", "delvis": "#56B4E9", "nej": "#000000", "not_reported": "#EEEEEE"}
OJ_CELL_CODES = {"not_reported": 0, "nej": 1, "delvis": 2, "ja": 3}
GREYSCALE_MIN_CONTRAST = 1.8  # (L1 + 0.05) / (L2 + 0.05), WCAG's ratio of relative luminances
HEATMAP_ROW_PDF, HEATMAP_ROW_HTML = 24, 24  # px a row: one line in the PDF; up to two label lines in the HTML
HEATMAP_WRAP_HTML = 46  # characters a label line in the HTML: at most two lines, readable at 390 px
# The PDF's static image is scaled to the text width (about 470 pt): at 940 px wide a 17 px font prints
# at 8,5 pt (review: 13 px at 760 px printed at 8 pt, a cap height of about 6 pt). The longest label still
# leaves the grid about a quarter of the width. The 60 indicators are split at an area boundary into
# two figures, each one page.
HEATMAP_WIDTH_PDF, HEATMAP_FONT_PDF, HEATMAP_FONT_HTML = 940, 17, 9
HEATMAP_PARTS = 2


def short_labels(labels: list[str]) -> list[str]:
    """Labels of one indicator area without the words they all begin with (an area of internal
    coordination routines keeps only each label's partner, under the area's heading); a single
    label, or labels without a shared beginning, stay as they are."""
    words = [str(label).split() for label in labels]
    if len(words) < 2:
        return [str(label) for label in labels]
    k = 0
    while all(len(w) > k + 1 for w in words) and len({w[k] for w in words}) == 1:
        k += 1
    return [" ".join(w[k:]) for w in words]


def oj_heatmap_frame(oj_long: pd.DataFrame, vs_nation: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The heat map's rows top to bottom, and its municipalities left to right. Rows: per
    indicator area (in the matrix's order of quality areas) a heading row, then its indicators by the
    national share of ja, highest first. Municipalities: by their number of ja, most first.
    Columns: row (unique y key), kind (area/indicator), label, label_full, national_share_ja,
    and one cell name (ja/delvis/nej/not_reported) per municipality."""
    municipalities = (
        oj_long.assign(is_ja=oj_long["value"] == 2)
        .groupby("kommun", sort=False)["is_ja"]
        .sum()
        .reset_index()
        .sort_values(["is_ja", "kommun"], ascending=[False, True], kind="stable")["kommun"]
        .tolist()
    )
    values = oj_long.pivot(index="indicator", columns="kommun", values="value")
    rows = []
    for area, group in vs_nation.groupby("indicator_area", sort=False):
        group = group.sort_values(["national_share_ja", "indicator"], ascending=[False, True], kind="stable")
        rows.append({"row": f"area:{area}", "kind": "area", "label": area, "label_full": area})
        for record, short in zip(group.to_dict("records"), short_labels(group["label"].tolist())):
            cells = {}
            for kommun in municipalities:
                value = values.at[record["indicator"], kommun] if record["indicator"] in values.index else None
                cells[kommun] = OJ_CELLS[None if pd.isna(value) else int(value)]
            rows.append(
                {
                    "row": record["indicator"],
                    "kind": "indicator",
                    "label": short,
                    "label_full": record["label"],
                    "national_share_ja": record["national_share_ja"],
                    **cells,
                }
            )
    return pd.DataFrame(rows), municipalities


def oj_heatmap(frame: pd.DataFrame, municipalities: list[str], matrix: Presented, for_pdf: bool) -> go.Figure:
    """60 indicators × the selected municipalities (cells ja/delvis/nej/ej rapporterat, a letter in
    each), with the national share of ja in a column beside them. `for_pdf`: one line a label and
    low rows, to fit one page; otherwise labels wrapped for a narrow screen."""
    from plotly.subplots import make_subplots

    t = matrix.t
    letters, names = t.group("heatmap.cells"), t.group("heatmap.legend")
    ys = frame["row"].tolist()
    indicator = frame["kind"] == "indicator"

    def label(row) -> str:
        text = row.label if for_pdf else figures.wrap_label(row.label, HEATMAP_WRAP_HTML)
        return f"<b>{text}</b>" if row.kind == "area" else text

    ticktext = [label(row) for row in frame.itertuples()]
    z = [[OJ_CELL_CODES[frame.at[i, k]] if indicator[i] else None for k in municipalities] for i in frame.index]
    text = [[letters[frame.at[i, k]] if indicator[i] else "" for k in municipalities] for i in frame.index]
    hover = [
        [f"{frame.at[i, 'label_full']}<br>{k}: {names[frame.at[i, k]]}" if indicator[i] else "" for k in municipalities]
        for i in frame.index
    ]
    order = ["not_reported", "nej", "delvis", "ja"]
    scale = []
    for position, key in enumerate(order):
        scale += [[position / len(order), OJ_CELL_COLOURS[key]], [(position + 1) / len(order), OJ_CELL_COLOURS[key]]]
    font_size = HEATMAP_FONT_PDF if for_pdf else HEATMAP_FONT_HTML
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.82, 0.18], horizontal_spacing=0.012)
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=municipalities,
            y=ys,
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            textfont=dict(size=font_size),
            colorscale=scale,
            zmin=-0.5,
            zmax=3.5,
            showscale=False,
            xgap=1,
            ygap=1,
            hovertemplate="%{customdata}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    national = [
        swedish.percent(share, 0) if kind == "indicator" else ""
        for share, kind in zip(frame["national_share_ja"], frame["kind"])
    ]
    fig.add_trace(
        go.Heatmap(
            z=[
                [share if kind == "indicator" else None]
                for share, kind in zip(frame["national_share_ja"], frame["kind"])
            ],
            x=[t("heatmap.national_column")],
            y=ys,
            text=[[value] for value in national],
            texttemplate="%{text}",
            textfont=dict(size=font_size, color="#222222"),
            colorscale=[[0, "#FFFFFF"], [1, "#BBBBBB"]],
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=1,
            ygap=1,
            hovertemplate=t("heatmap.national_hover") + "<extra></extra>",
        ),
        row=1,
        col=2,
    )
    for key in ("ja", "delvis", "nej", "not_reported"):  # the legend: one empty trace per kind of cell
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=f"{letters[key]} = {names[key]}",
                marker=dict(size=12, symbol="square", color=OJ_CELL_COLOURS[key], line=dict(color="#444444", width=1)),
            ),
            row=1,
            col=1,
        )
    fig.update_yaxes(
        autorange="reversed",
        type="category",
        tickmode="array",
        tickvals=ys,
        ticktext=ticktext,
        tickfont=dict(size=font_size),
        showgrid=False,
        ticks="",
    )
    fig.update_xaxes(
        side="top", type="category", tickangle=-90, tickfont=dict(size=font_size + 1), ticks="", showgrid=False
    )
    row_height = HEATMAP_ROW_PDF if for_pdf else HEATMAP_ROW_HTML
    figures.base_layout(fig, height=row_height * len(frame) + 130)
    fig.update_layout(
        showlegend=True,
        legend=dict(orientation="h", x=0, y=-0.005, yanchor="top", font=dict(size=font_size + 2)),
        margin=dict(l=10, r=10, t=80 if for_pdf else 70, b=30),
        plot_bgcolor="#FFFFFF",
    )
    if for_pdf:
        fig.update_layout(width=HEATMAP_WIDTH_PDF)
    return fig


def heatmap_parts(frame: pd.DataFrame, parts: int = HEATMAP_PARTS) -> list[pd.DataFrame]:
    """The heat map's rows in `parts` pieces, each starting with an area heading: split at the area
    boundaries that come closest to equal numbers of indicators."""
    starts = [i for i, kind in enumerate(frame["kind"]) if kind == "area"]
    indicators_before = [int((frame["kind"].iloc[:i] == "indicator").sum()) for i in starts]
    total = int((frame["kind"] == "indicator").sum())
    cuts = []
    for k in range(1, parts):
        target = total * k / parts
        best = min(
            (i for i, n in zip(starts, indicators_before) if i not in cuts and i > 0),
            key=lambda i: (abs(indicators_before[starts.index(i)] - target), i),
        )
        cuts.append(best)
    bounds = [0, *sorted(cuts), len(frame)]
    return [frame.iloc[a:b].reset_index(drop=True) for a, b in zip(bounds, bounds[1:])]


def oj_heatmap_figures(
    oj_long: pd.DataFrame, vs_nation: pd.DataFrame, source_refs, matrix: Presented
) -> list[figures.ReportFigure]:
    """The heat map for the report in two figures split at an area boundary (readable print: text
    of 8,5 pt), each with the national share beside it: the HTML figure (wrapped labels)
    and the PDF's static one. Ids: the declared id with -1, -2."""
    t = matrix.t
    frame, municipalities = oj_heatmap_frame(oj_long, vs_nation)
    parts = heatmap_parts(frame)
    out = []
    for k, part in enumerate(parts, start=1):
        indicators = part[part["kind"] == "indicator"]
        cells = indicators[municipalities].to_numpy().ravel()
        counts = {key: int((cells == key).sum()) for key in OJ_CELL_CODES}
        area_names = part.loc[part["kind"] == "area", "label"].tolist()
        fields = dict(
            indicators=swedish.number(len(indicators)),
            indicators_total=swedish.number(int((frame["kind"] == "indicator").sum())),
            N=swedish.number(len(municipalities)),
            areas=swedish.number(len(area_names)),
            first_area=area_names[0],
            last_area=area_names[-1],
            part=swedish.number(k),
            parts=swedish.number(len(parts)),
            cells=swedish.number(len(cells)),
            **{key: swedish.number(n) for key, n in counts.items()},
        )
        out.append(
            figures.ReportFigure(
                id=f"{matrix.declaration['figures']['heatmap']}-{k}",
                figure=oj_heatmap(part, municipalities, matrix, for_pdf=False),
                static=oj_heatmap(part, municipalities, matrix, for_pdf=True),
                caption=t("heatmap.caption", **fields),
                alt=t("heatmap.alt", **fields),
                source=matrix.source_line,
                source_refs=tuple(source_refs),
            )
        )
    return out


def oj_municipality_frame(municipalities: pd.DataFrame, oj_long: pd.DataFrame, source: str) -> pd.DataFrame:
    """The selected municipalities as numbers: printed facts and the ja-count recomputed from
    their printed values (number of 2s)."""
    recount = (oj_long["value"].astype(int) == 2).groupby(oj_long["kommun"]).sum()
    out = municipalities[
        ["kommun", "befolkningsgrupp", "area", "ja_count_published", "unizon_rank", "source_ref"]
    ].copy()
    missing = sorted(set(out["kommun"]) - set(recount.index))
    if missing:
        raise KeyError(f"{source}: municipalities without values: {missing}")
    out["ja_count_recomputed"] = out["kommun"].map(recount).astype("int64")
    out["ja_count_published"] = out["ja_count_published"].astype("int64")
    return out.reset_index(drop=True)


def municipality_table_columns(matrix: Presented, n_indicators: int) -> dict[str, str]:
    columns = dict(matrix.t.group("municipality_table.columns"))
    columns["published"] = matrix.t("municipality_table.columns.published", k=swedish.number(n_indicators))
    return columns


def oj_municipality_table(frame: pd.DataFrame, n_indicators: int, matrix: Presented) -> pd.DataFrame:
    """Formatted: municipality, population band, area, printed ja-count, Unizon rank. One count column:
    where a municipality's own values give another count, the recount is in the technical
    companion's audit (reproduction.csv), not in this table."""
    t = matrix.t
    names = t.group("municipality_table.names")
    columns = municipality_table_columns(matrix, n_indicators)
    suffix = t("municipality_table.band_suffix")
    return pd.DataFrame(
        {
            columns["kommun"]: frame["kommun"].map(lambda name: names.get(name, name)),
            columns["band"]: [
                t("municipality_table.band", group=g, band=breakdowns.band_label(g).replace(suffix, ""))
                for g in frame["befolkningsgrupp"].astype(str)
            ],
            columns["area"]: frame["area"],
            columns["published"]: frame["ja_count_published"].map(swedish.number),
            columns["rank"]: [
                (t("municipality_table.no_rank") if pd.isna(r) else swedish.number(r)) for r in frame["unizon_rank"]
            ],
        }
    )


def add_oj_numbers(
    numbers: ReportNumbers,
    shares: pd.DataFrame,
    reproduction: pd.DataFrame,
    vs_nation: pd.DataFrame,
    furthest: pd.DataFrame,
    munis: pd.DataFrame,
    matrix: Presented,
) -> None:
    """The indicator-matrix numbers the text uses."""
    t, source, declared = matrix.t, matrix.source, matrix.declaration

    def add(name: str, text: str, ref: str, **fields) -> None:
        numbers.add(name, text, t(f"numbers.{name}", **fields), ref)

    for count in declared["counts"]:
        row = one_row(shares, source, count["indicator"], count.get("category", "yes"))
        add(count["name"], swedish.number(row.n), row.source_ref)
    rate = declared["response_rate"]
    row = one_row(shares, source, rate["indicator"], rate["category"])
    add(rate["name"], swedish.percent(row.published, 0), row.source_ref)

    refs_values = matrix_refs(shares, matrix, "values")[0]
    refs_nation = matrix_refs(shares, matrix, "nation")[0]
    both = f"{refs_values}; {refs_nation}"
    counts = direction_counts(vs_nation)
    add("oj_above", swedish.number(counts["above"]), both)
    add("oj_equal", swedish.number(counts["equal"]), both)
    add("oj_below", swedish.number(counts["below"]), both)
    add("oj_all_ja", swedish.number(int((vs_nation["n_ja"] == vs_nation["N"]).sum())), refs_values)
    add("oj_ja_total", swedish.number(int(vs_nation["n_ja"].sum())), refs_values)
    add("oj_rounding", swedish.number(100 * NATIONAL_ROUNDING, 1), refs_nation)
    contrast = vs_nation[
        (vs_nation["n_ja"] >= CONTRAST_MIN_JA) & (vs_nation["national_share_ja"] < CONTRAST_MAX_NATION)
    ].sort_values("indicator", kind="stable")
    if contrast.empty:
        raise ValueError(
            f"{source}: no indicator with ≥ {CONTRAST_MIN_JA} ja and a national share < {CONTRAST_MAX_NATION}"
        )
    add("oj_contrast_min_ja", swedish.number(CONTRAST_MIN_JA), refs_values)
    add("oj_contrast_max_nation", swedish.percent(CONTRAST_MAX_NATION, 0), refs_nation)
    add("oj_contrast_n", swedish.number(len(contrast)), both)
    items = [
        t(
            "contrast.item",
            label=r.label,
            n=swedish.count_of(r.n_ja, r.N),
            nation=swedish.percent(r.national_share_ja, 0),
        )
        for r in contrast.itertuples()
    ]
    listed = (
        items[0]
        if len(items) == 1
        else t("contrast.last", first=t("contrast.separator").join(items[:-1]), last=items[-1])
    )
    add("oj_contrast_list", listed, both)
    lowest = vs_nation.sort_values(["difference_pp", "indicator"], kind="stable").iloc[0]
    add("oj_lowest_label", lowest.label, refs_nation)
    add("oj_lowest_n", swedish.count_of(lowest.n_ja, lowest.N), refs_values)
    add("oj_lowest_nation", swedish.percent(lowest.national_share_ja, 0), refs_nation)

    ref = munis["source_ref"].iloc[0]
    add("oj_ja_min", swedish.number(munis["ja_count_published"].min()), ref)
    add("oj_ja_max", swedish.number(munis["ja_count_published"].max()), ref)
    add("oj_unizon_missing", swedish.number(int(munis["unizon_rank"].isna().sum())), ref)
    differs = munis[munis["ja_count_published"] != munis["ja_count_recomputed"]]
    add("oj_ja_differs", swedish.number(len(differs)), ref)
    check = declared["ja_count_check"]
    kommun = munis[munis["kommun"] == check["kommun"]]
    if len(kommun) != 1:
        raise KeyError(f"{source}: {check['kommun']} not among the municipalities")
    kommun = kommun.iloc[0]
    recorded = reproduction_row(reproduction, source, check["quantity"])
    if (int(recorded.published), int(recorded.recomputed)) != (
        int(kommun.ja_count_published),
        int(kommun.ja_count_recomputed),
    ):
        raise ValueError(f"{check['kommun']}'s ja-counts differ between reproduction.csv and the section's recount")
    numbers.add(
        f"{check['variables']}_published",
        swedish.number(kommun.ja_count_published),
        t("numbers.ja_count_published", kommun=check["kommun"]),
        ref,
    )
    numbers.add(
        f"{check['variables']}_recomputed",
        swedish.number(kommun.ja_count_recomputed),
        t("numbers.ja_count_recomputed", kommun=check["kommun"]),
        refs_values,
    )
    add("oj_delvis_total", swedish.number(int(vs_nation["n_delvis"].sum())), refs_values)
    add("oj_answers_total", swedish.number(int(vs_nation["N"].sum())), refs_values)


# ---------------------------------------------------------------------------------------------
# County-board estimates
# ---------------------------------------------------------------------------------------------


def lst_indicator_rows(shares: pd.DataFrame, boards: Presented) -> pd.DataFrame:
    """The indicator table (the declared categories per indicator, e.g. Ja and Delvis, as
    printed), wide: indicator, label, one column per category, source_ref. The table's
    indicators are those printed with exactly the declared categories."""
    source = boards.source
    categories = boards.declaration["indicator_table"]["categories"]
    rows = shares[shares["source"] == source]
    printed = rows.groupby("indicator", sort=False)["category"].agg(frozenset)
    chosen = [ind for ind, cats in printed.items() if cats == frozenset(categories.values())]
    if not chosen:
        raise KeyError(f"{source}: no indicator with exactly the categories {sorted(categories.values())}")
    table = rows[rows["indicator"].isin(chosen)]
    if table["N"].notna().any():
        raise ValueError(f"{source}: the indicator table has a base N; the section says it has none")
    wide = table.pivot(index="indicator", columns="category", values="n").reindex(chosen)
    meta = table.drop_duplicates("indicator").set_index("indicator").reindex(chosen)
    return pd.DataFrame(
        {
            "indicator": chosen,
            "label": meta["label"].to_numpy(),
            **{column: wide[category].astype("int64").to_numpy() for column, category in categories.items()},
            "source_ref": meta["source_ref"].to_numpy(),
        }
    )


def lst_indicator_table(rows: pd.DataFrame, boards: Presented) -> pd.DataFrame:
    columns = boards.t.group("indicator_table.columns")
    return pd.DataFrame(
        {
            columns["label"]: rows["label"],
            **{columns[c]: rows[c].map(swedish.number) for c in boards.declaration["indicator_table"]["categories"]},
        }
    )


def printed_percent(value_percent: float) -> str:
    """A printed percent at its printed precision: 72.9 → '72,9 %', 16.28 → '16,28 %'."""
    return swedish.number(value_percent, sh.printed_decimals(value_percent)) + swedish.NBSP + "%"


def key_person_frame(shares: pd.DataFrame, boards: Presented) -> pd.DataFrame:
    """Per answer: the percent printed in the results section and in the summary, the base, and the
    counts k on the base whose percent (at the printed precision) is the printed one."""
    declared = boards.declaration["key_persons"]
    records = []
    for category in declared["answers"]:
        body = one_row(shares, boards.source, declared["indicator"], category)
        summary = one_row(shares, boards.source, declared["summary_indicator"], category)
        N = int(body.N)
        printed = round(100 * float(body.published), 6)
        fits = sh.counts_fitting_percent(printed, N)
        nearest = sh.nearest_counts(printed, N)
        records.append(
            {
                "category": category,
                "label": body.category_label,
                "n": None if pd.isna(body.n) else int(body.n),  # shares.csv: printed, inferred or the residual
                "n_basis": body.n_basis,
                "N": N,
                "printed": printed,
                "printed_summary": round(100 * float(summary.published), 6),
                "fits_summary": sh.counts_fitting_percent(round(100 * float(summary.published), 6), N),
                "fits": fits,
                "nearest": nearest,
                # computed shares take the report's precision for the base (whole percent under 100)
                "nearest_percents": [k / N for k in nearest],
                "source_ref": body.source_ref,
                "source_ref_summary": summary.source_ref,
            }
        )
    return pd.DataFrame(records)


KEY_PERSON_MARKERS = {"residual": "a", "inferred_from_percent": "c"}
"""Footnotes of the key-person table: a = the residual of the exclusive answers, b = the printed
percent fits no count on the base, c = the count is the only one on the base giving the printed percent."""


def key_person_table(frame: pd.DataFrame, boards: Presented) -> pd.DataFrame:
    """Per answer: n of N from shares.csv (marked how it is known), the computed share at the
    report's precision for the base, and the percents as printed (marked where no count fits)."""
    t = boards.t
    columns = t.group("key_person_table.columns")

    def marked(text: str, marker: str) -> str:
        return f"{text}^{marker}^" if marker else text

    N = int(frame["N"].iloc[0])
    body_sum = sum(sh.exact(p) for p in frame["printed"])
    summary_sum = sum(sh.exact(p) for p in frame["printed_summary"])
    unfit = [not fits for fits in frame["fits"]]
    table = pd.DataFrame(
        {
            columns["answer"]: frame["label"].str.capitalize(),
            columns["n"]: [
                marked(swedish.number(n), KEY_PERSON_MARKERS.get(basis, "")) if n is not None else "–"
                for n, basis in zip(frame["n"], frame["n_basis"])
            ],
            columns["share"]: [swedish.percent_on(n / N, N) if n is not None else "–" for n in frame["n"]],
            columns["printed"]: [marked(printed_percent(p), "b" if u else "") for p, u in zip(frame["printed"], unfit)],
            columns["summary"]: [
                marked(printed_percent(p), "" if fits else "b")
                for p, fits in zip(frame["printed_summary"], frame["fits_summary"])
            ],
        }
    )
    known = [n for n in frame["n"] if n is not None]
    total = pd.DataFrame(
        [
            {
                columns["answer"]: t("key_person_table.total"),
                columns["n"]: swedish.number(sum(known)),
                columns["share"]: swedish.percent_on(sum(known) / N, N),
                columns["printed"]: printed_percent(float(body_sum)),
                columns["summary"]: printed_percent(float(summary_sum)),
            }
        ]
    )
    return pd.concat([table, total], ignore_index=True)


def respondent_rows(shares: pd.DataFrame, boards: Presented) -> pd.DataFrame:
    labels = boards.t.group("respondent_table.groups")
    parts = [
        source_rows(shares, boards.source, indicator).assign(group_label=labels[indicator])
        for indicator in boards.declaration["respondents"]["indicators"]
    ]
    return pd.concat(parts, ignore_index=True)


def respondent_table(rows: pd.DataFrame, boards: Presented) -> pd.DataFrame:
    columns = boards.t.group("respondent_table.columns")
    first = ~rows["indicator"].duplicated()
    return pd.DataFrame(
        {
            columns["group"]: rows["group_label"].where(first, ""),
            columns["category"]: rows["category_label"].str.capitalize(),
            columns["n"]: rows["n"].map(swedish.number),
            columns["N"]: rows["N"].map(swedish.number),
            columns["share"]: [swedish.percent_on(s, n) for s, n in zip(rows["share"], rows["N"])],
        }
    )


def respondent_caption(t, shares: pd.DataFrame, respondents: pd.DataFrame, boards: Presented) -> str:
    """The key-person table's caption: the selection as the source states it (the printed number
    per county and the criterion); the source does not say who chose the key persons."""
    per_county = one_row(shares, boards.source, boards.declaration["per_county"]["indicator"])
    return t(
        "respondent_table.caption",
        N=swedish.number(int(respondents["N"].max())),
        per_county=f"{swedish.number(per_county.n)}–{swedish.number(per_county.n_max)}",
    )


def add_lst_numbers(
    numbers: ReportNumbers,
    shares: pd.DataFrame,
    reproduction: pd.DataFrame,
    indicators: pd.DataFrame,
    key_persons: pd.DataFrame,
    boards: Presented,
) -> None:
    t, source, declared = boards.t, boards.source, boards.declaration

    def add(name: str, text: str, ref: str, **fields) -> None:
        numbers.add(name, text, t(f"numbers.{name}", **fields), ref)

    ref_table = indicators["source_ref"].iloc[0]
    add("lst_indicators", swedish.number(len(indicators)), ref_table)
    total = indicators["ja"] + indicators["delvis"]
    add("lst_sum_max", swedish.number(total.max()), ref_table)
    top = indicators.sort_values(["ja", "indicator"], ascending=[False, True], kind="stable").iloc[0]
    add("lst_ja_max", swedish.number(top.ja), ref_table)
    add("lst_ja_max_label", top.label, ref_table)
    add("lst_ja_min", swedish.number(indicators["ja"].min()), ref_table)
    add("lst_delvis_max", swedish.number(indicators["delvis"].max()), ref_table)
    for name, indicator in declared["counts"].items():
        row = one_row(shares, source, indicator)
        add(name, swedish.number(row.n), row.source_ref)
    per_county = one_row(shares, source, declared["per_county"]["indicator"])
    add(
        declared["per_county"]["name"],
        f"{swedish.number(per_county.n)}–{swedish.number(per_county.n_max)}",
        per_county.source_ref,
    )
    rate = one_row(shares, source, declared["response_rate"]["indicator"])
    add(declared["response_rate"]["name"], swedish.percent(rate.published, 0), rate.source_ref)

    stems = declared["key_persons"]["answers"]
    for row in key_persons.itertuples():
        key = stems[row.category]
        numbers.add(
            f"lst_{key}_printed",
            printed_percent(row.printed),
            t("numbers.answer.printed", label=row.label),
            row.source_ref,
        )
        numbers.add(
            f"lst_{key}_summary",
            printed_percent(row.printed_summary),
            t("numbers.answer.summary", label=row.label),
            row.source_ref_summary,
        )
        if len(row.fits) == 1:
            numbers.add(
                f"lst_{key}_n", swedish.number(row.fits[0]), t("numbers.answer.n", label=row.label), row.source_ref
            )
    unmatched_category = declared["key_persons"]["unmatched"]
    stem = stems[unmatched_category]
    unmatched = key_persons.set_index("category").loc[unmatched_category]
    if unmatched.fits:
        raise ValueError(
            f"{source}: {printed_percent(unmatched.printed)} now fits a count on {unmatched.N}; "
            "the section's text assumes it does not"
        )
    low, high = unmatched.nearest
    low_p, high_p = unmatched.nearest_percents
    if unmatched.n_basis != "residual" or int(unmatched.n) not in (low, high):
        raise ValueError(f"{source}: the residual {unmatched.n} is not one of the nearest counts {low}, {high}")
    add(f"lst_{stem}_low_n", swedish.number(low), unmatched.source_ref)
    add(f"lst_{stem}_high_n", swedish.number(high), unmatched.source_ref)
    add(f"lst_{stem}_low_pct", swedish.percent_on(low_p, unmatched.N), unmatched.source_ref)
    add(f"lst_{stem}_high_pct", swedish.percent_on(high_p, unmatched.N), unmatched.source_ref)
    add(f"lst_{stem}_residual_n", swedish.number(unmatched.n), unmatched.source_ref)
    add(f"lst_{stem}_residual_pct", swedish.percent_on(unmatched.n / unmatched.N, unmatched.N), unmatched.source_ref)
    add("lst_probable_total_n", swedish.number(int(key_persons["n"].sum())), unmatched.source_ref)
    sums = declared["key_persons"]["sums"]
    body_sum = reproduction_row(reproduction, source, sums["body"])
    add("lst_printed_sum", swedish.number(body_sum.published, 2) + swedish.NBSP + "%", body_sum.source_ref)
    summary_sum = reproduction_row(reproduction, source, sums["summary"])
    add("lst_summary_sum", swedish.number(summary_sum.published, 0) + swedish.NBSP + "%", summary_sum.source_ref)

    for name, (indicator, category) in declared["respondents"]["numbers"].items():
        row = one_row(shares, source, indicator, category)
        numbers.add(name, swedish.number(row.n), t("numbers.respondents", label=row.category_label), row.source_ref)


# ---------------------------------------------------------------------------------------------
# The section
# ---------------------------------------------------------------------------------------------


def build_oj(
    results: dict[str, pd.DataFrame], config: dict, matrix: Presented, assets_dir: Path, numbers: ReportNumbers
) -> None:
    t, declared = matrix.t, matrix.declaration
    shares, reproduction, vs_nation = results["shares"], results["reproduction"], results["oj_vs_nation"]
    refs = matrix_refs(shares, matrix, "values") + matrix_refs(shares, matrix, "nation")
    for report_figure in oj_heatmap_figures(results["oj_2015_kommun"], vs_nation, refs, matrix):
        figures.save(report_figure, assets_dir)
    furthest = furthest_rows(vs_nation)
    munis = oj_municipality_frame(
        spec.source_tables(results, config, matrix.source)["municipalities"], results["oj_2015_kommun"], matrix.source
    )
    k = swedish.number(len(vs_nation))
    columns = municipality_table_columns(matrix, len(vs_nation))
    tables.save(
        declared["municipality_table"],
        oj_municipality_table(munis, len(vs_nation), matrix),
        t("municipality_table.caption", n=swedish.number(len(munis)), k=k),
        assets_dir,
        source_refs=tuple(munis["source_ref"]),
        right_align=(columns["published"], columns["rank"]),
        widths=(3, 2.2, 1.7, 1.2, 1.3),
    )
    add_oj_numbers(numbers, shares, reproduction, vs_nation, furthest, munis, matrix)


def build_lst(results: dict[str, pd.DataFrame], boards: Presented, assets_dir: Path, numbers: ReportNumbers) -> None:
    t, declared = boards.t, boards.declaration
    shares, reproduction = results["shares"], results["reproduction"]
    indicators = lst_indicator_rows(shares, boards)
    columns = t.group("indicator_table.columns")
    tables.save(
        declared["indicator_table"]["id"],
        lst_indicator_table(indicators, boards),
        t("indicator_table.caption"),
        assets_dir,
        source_refs=indicators["source_ref"],
        right_align=tuple(columns[c] for c in declared["indicator_table"]["categories"]),
        widths=(6, 1, 1),
    )
    key_persons = key_person_frame(shares, boards)
    columns = t.group("key_person_table.columns")
    tables.save(
        declared["key_persons"]["id"],
        key_person_table(key_persons, boards),
        t("key_person_table.caption", N=swedish.number(int(key_persons["N"].iloc[0]))),
        assets_dir,
        source_refs=tuple(key_persons["source_ref"]) + tuple(key_persons["source_ref_summary"]),
        right_align=(columns["n"], columns["share"], columns["printed"], columns["summary"]),
        widths=(1.6, 1, 1, 1.4, 1.4),
    )
    respondents = respondent_rows(shares, boards)
    columns = t.group("respondent_table.columns")
    tables.save(
        declared["respondents"]["id"],
        respondent_table(respondents, boards),
        respondent_caption(t, shares, respondents, boards),
        assets_dir,
        source_refs=respondents["source_ref"],
        right_align=(columns["n"], columns["N"], columns["share"]),
        widths=(2, 4.2, 0.7, 0.7, 1),
    )
    add_lst_numbers(numbers, shares, reproduction, indicators, key_persons, boards)


def build(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    """Figures, tables and numbers of the section on the national context."""
    matrix, boards = Presented.of(config, MATRIX), Presented.of(config, BOARDS)
    if matrix.t.section != boards.t.section:
        raise ConfigError(
            Problem(
                "config",
                f"the sources {matrix.source} and {boards.source} are presented in one "
                "section but belong to different regions",
                expected="one region for both",
            )
        )
    numbers = ReportNumbers(matrix.t.section)
    build_oj(results, config, matrix, Path(assets_dir), numbers)
    build_lst(results, boards, Path(assets_dir), numbers)
    numbers.write(assets_dir)
