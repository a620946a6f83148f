"""Report content for the comparison between the sources (combined["cross_source"], from
config/cross_source.csv): one table of every source's figure per theme, one table of what each
figure measures, and a dot plot of the shares.

The sources differ in year (2008–2020), design (census of a county, purposive selection, the
nation) and definition, so the comparison is indicative. Dalarna's counts are lower bounds
("minst"): a municipality the report does not mention is not a "no". A percent printed without
a count (the ÖJ national shares, two Stockholm figures) is shown as printed, never turned into n.
"""
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import figures, swedish, tables
from ..report_vars import ReportNumbers
from ..shares import printed_decimals

SECTION = "comparison"
# Units that count municipalities (or Stockholm's units, one respondent each): only their shares
# are plotted, so a share of länsdelar or of action plans is never set beside them.
MUNICIPALITY_UNITS = {"kommuner", "kommuner/stadsdelar", "respondenter"}
COMPARABLE_MARKERS = {"yes": "", "partly": "†", "no": "‡"}
COMPARABLE_LABELS = {"yes": "jämförbar", "partly": "delvis jämförbar", "no": "endast närliggande"}
# Short names: of each source (tables; the area column tells ÖJ's 8 municipalities from the
# nation) and of each series (the figure's legend). Series "<source>/nation" is a source's
# national figure (ÖJ 2015: the share of ja among all responding municipalities).
SOURCE_NAMES = {
    "stockholm_2008": "Länsstyrelsen Stockholm",
    "sormland_2019": "RSS Kvinnofrid Sörmland",
    "dalarna_2020": "Region Dalarna",
    "skl_2016": "SKL, ÖJ 2015",
    "lansstyrelserna_2015": "Länsstyrelserna",
}
SERIES_LABELS = {
    "stockholm_2008": "Stockholms län 2008",
    "sormland_2019": "Södermanland 2019",
    "dalarna_2020": "Dalarna 2020 (minst)",
    "skl_2016": "ÖJ 2015: 8 utvalda kommuner",
    "skl_2016/nation": "ÖJ 2015: riket",
    "lansstyrelserna_2015": "Länsstyrelserna 2014",
}
SERIES_SYMBOLS = {
    "stockholm_2008": ("circle", figures.PALETTE[0]),
    "sormland_2019": ("square", figures.PALETTE[1]),
    "dalarna_2020": ("triangle-right", figures.PALETTE[2]),
    "skl_2016": ("diamond", figures.PALETTE[4]),
    "skl_2016/nation": ("star", figures.PALETTE[7]),
    "lansstyrelserna_2015": ("hexagon", figures.PALETTE[5]),
}
SOURCE_LINE = ("Källa: Länsstyrelsen i Stockholms län (2008), RSS Kvinnofrid Sörmland (2019), Region Dalarna (2020), "
               "SKL (2016, Öppna jämförelser Brottsoffer 2015) och Länsstyrelsen i Stockholms län (2015); "
               "temaindelning enligt config/cross_source.csv.")


# --- the rows ---------------------------------------------------------------------------------

def series_of(row, config: dict) -> str:
    """The series a cross-source row belongs to: its source, or "<source>/nation" when the row's
    area is not the source's own (the ÖJ national share)."""
    own_area = config["sources"][row["source"]].get("area")
    return row["source"] if row["area"] == own_area else f"{row['source']}/nation"


def series_label(series: str) -> str:
    if series not in SERIES_LABELS:
        raise KeyError(f"no short label for the series {series!r}; add it to SERIES_LABELS")
    return SERIES_LABELS[series]


def source_name(source: str) -> str:
    if source not in SOURCE_NAMES:
        raise KeyError(f"no short name for the source {source!r}; add it to SOURCE_NAMES")
    return SOURCE_NAMES[source]


def series_key(series: str) -> str:
    """Variable-name part of a series: stockholm_2008 → stockholm, skl_2016/nation → skl_riket."""
    source, _, scope = series.partition("/")
    return source.split("_")[0] + ("_riket" if scope == "nation" else "")


def is_lower_bound(row) -> bool:
    """Dalarna's counts come from an interview coding sheet: yes-counts are lower bounds."""
    return str(row["note"]).startswith("minst ")


def plotted_share(row) -> float | None:
    """The share to plot: n/N, else a printed percent / 100 — only for counts of municipalities
    (or of Stockholm's units); None where the source gives neither."""
    if row["unit"] not in MUNICIPALITY_UNITS:
        return None
    if not pd.isna(row["share"]):
        return float(row["share"])
    if not pd.isna(row["published_percent"]):
        return float(row["published_percent"]) / 100
    return None


def with_series(cross: pd.DataFrame, config: dict) -> pd.DataFrame:
    """The cross-source rows with their series, its label and the share to plot."""
    out = cross.copy()
    out["series"] = [series_of(row, config) for _, row in out.iterrows()]
    out["series_label"] = out["series"].map(series_label)
    out["plot_share"] = [plotted_share(row) for _, row in out.iterrows()]
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
    """'19 av 39', 'minst 5 av 15', '10 länsstyrelser' (no base) or '–' (no count)."""
    if pd.isna(row["figure_n"]):
        return "–"
    prefix = "minst " if row["lower_bound"] else ""
    if pd.isna(row["figure_N"]):
        return f"{prefix}{swedish.number(row['figure_n'])} {row['unit']}"
    unit = "" if row["unit"] in MUNICIPALITY_UNITS else f" {row['unit']}"
    return f"{prefix}{swedish.count_of(row['figure_n'], row['figure_N'])}{unit}"


def share_text(row) -> str:
    """'48,7 %', 'minst 33,3 %', '56 % (tryckt)' or '–'."""
    if not pd.isna(row["share"]):
        return ("minst " if row["lower_bound"] else "") + swedish.percent(row["share"])
    if not pd.isna(row["published_percent"]):
        return printed_percent(row["published_percent"]) + " (tryckt)"
    return "–"


def comparison_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Formatted table: theme (first row of each theme), source with its comparability marker,
    area, year, n, N and share."""
    first = ~rows["theme"].duplicated()
    return pd.DataFrame({
        "Tema": [label if is_first else "" for label, is_first in zip(rows["theme_label"], first)],
        "Källa": [f"{source_name(s)}{COMPARABLE_MARKERS[c]}" for s, c in zip(rows["source"], rows["comparable"])],
        "Område": rows["area"],
        "År": rows["year"].map(lambda y: str(int(y))),
        "n av N": [count_text(row) for _, row in rows.iterrows()],
        "Andel": [share_text(row) for _, row in rows.iterrows()],
    })


def definitions_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Formatted table: what each source's figure measures, one row per theme × source (ÖJ's 8
    municipalities and the nation share one definition, so one row)."""
    unique = rows.drop_duplicates(["theme", "source", "definition"])
    first = ~unique["theme"].duplicated()
    return pd.DataFrame({
        "Tema": [label if is_first else "" for label, is_first in zip(unique["theme_label"], first)],
        "Källa": unique["source"].map(source_name),
        "Vad siffran mäter": unique["definition"],
        "Jämförbarhet": [f"{COMPARABLE_LABELS[c]}{COMPARABLE_MARKERS[c]}" for c in unique["comparable"]],
    })


def wrap(text: str, width: int = 24) -> str:
    """Break a label into lines of at most `width` characters (plotly '<br>')."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


# --- the figure -------------------------------------------------------------------------------

SLOT, PAD, LINE = 17, 20, 17  # plot units (≈ pixels): one marker row, space between themes, one label line


def theme_layout(plotted: pd.DataFrame, series: list[str]) -> tuple[dict, list[tuple[str, float, float]]]:
    """y position of every (theme, series) point and (theme, top, bottom) of each theme's band:
    each theme gets one row per series it has, so no two markers share a row."""
    positions, bands, top = {}, [], 0.0
    for theme, part in plotted.groupby("theme_label", sort=False):
        present = [s for s in series if s in set(part["series"])]
        lines = wrap(theme).count("<br>") + 1
        height = max(len(present) * SLOT + PAD, lines * LINE + PAD / 2)
        first = top + (height - len(present) * SLOT) / 2
        for k, s in enumerate(present):
            positions[(theme, s)] = first + (k + 0.5) * SLOT
        bands.append((theme, top, top + height))
        top += height
    return positions, bands


def shares_figure(rows: pd.DataFrame, years: str) -> figures.ReportFigure:
    """Dot plot: one band per theme, one marker per source (symbol and colour), filled where the
    source's definition is the theme's reference definition, open where it differs; labels n av N
    (or the printed percent)."""
    plotted = rows[rows["plot_share"].notna()].copy()
    series = [s for s in SERIES_LABELS if s in set(plotted["series"])]
    positions, bands = theme_layout(plotted, series)
    fig = go.Figure()
    for s in series:
        symbol, colour = SERIES_SYMBOLS[s]
        part = plotted[plotted["series"] == s]
        labels = [count_text(row) if not pd.isna(row["figure_n"]) else share_text(row) for _, row in part.iterrows()]
        fig.add_trace(go.Scatter(
            x=100 * part["plot_share"], y=[positions[(t, s)] for t in part["theme_label"]],
            mode="markers+text", name=SERIES_LABELS[s], showlegend=False,
            marker=dict(symbol=[symbol if c == "yes" else f"{symbol}-open" for c in part["comparable"]],
                        size=11, color=colour, line=dict(width=1.5, color=colour)),
            text=labels, textfont=dict(size=12, color="#333333"),
            textposition=["middle left" if v > 0.62 else "middle right" for v in part["plot_share"]],
            customdata=[[t, share_text(row)] for t, (_, row) in zip(part["theme_label"], part.iterrows())],
            hovertemplate=f"{SERIES_LABELS[s]}<br>%{{customdata[0]}}: %{{customdata[1]}} (%{{text}})<extra></extra>",
            cliponaxis=False,
        ))
        # legend entry: the filled symbol (the data traces mix filled and open markers)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=SERIES_LABELS[s],
                                 marker=dict(symbol=symbol, size=11, color=colour)))
    for name, symbol in (("fylld: jämförbar definition", "circle"), ("ofylld: annan definition", "circle-open")):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name,
                                 marker=dict(symbol=symbol, size=11, color="#555555", line=dict(width=1.5))))
    total = bands[-1][2]
    fig.update_xaxes(range=[0, 100], ticksuffix="\u00a0%", title_text="Andel", showgrid=True, zeroline=False)
    fig.update_yaxes(tickvals=[(top + bottom) / 2 for _, top, bottom in bands],
                     ticktext=[wrap(theme) for theme, _, _ in bands],
                     range=[total, 0], showgrid=False, title_text=None)
    for _, _, bottom in bands[:-1]:
        fig.add_hline(y=bottom, line=dict(color="#dddddd", width=1))
    figures.base_layout(fig, height=int(total) + 170)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", x=0, y=-0.07, yanchor="top", font=dict(size=12)),
                      margin=dict(l=10, r=30, t=10, b=10))
    by_series = "; ".join(
        f"{SERIES_LABELS[s]}: " + (f"{swedish.percent(g['plot_share'].min(), 0)}–{swedish.percent(g['plot_share'].max(), 0)}"
                                   if len(g) > 1 else swedish.percent(g["plot_share"].iloc[0], 0))
        for s in series for g in [plotted[plotted["series"] == s]])
    return figures.ReportFigure(
        id="fig-cross-shares",
        figure=fig,
        caption=(f"Andel per tema och källa ({years}). Varje punkt är en källas uppgift (etiketten: n av N, "
                 "eller den tryckta procentsatsen när antalet saknas); ÖJ:s 8 utvalda kommuner och riket är "
                 "separata punkter. Ofylld symbol: källans definition skiljer sig från temats. Åren och "
                 "undersökningsupplägget skiljer sig (totalundersökningar av ett län, ett strategiskt urval, "
                 "riket), så jämförelsen är endast vägledande. Dalarnas andelar är nedre gränser."),
        alt=(f"Punktdiagram med {len(plotted)} andelar för {plotted['theme'].nunique()} teman, {years}. "
             f"Lägsta–högsta andel per källa: {by_series}."),
        source=SOURCE_LINE,
        source_refs=refs(plotted),
    )


# --- numbers for the text -----------------------------------------------------------------------

def add_row_numbers(numbers: ReportNumbers, rows: pd.DataFrame) -> None:
    """Per theme × series with a figure: `<theme>_<series>_count` ('19 av 39') and
    `<theme>_<series>_share` ('48,7 %', a printed percent as printed)."""
    for _, row in rows.iterrows():
        base = f"{row['theme']}_{series_key(row['series'])}"
        ref = "; ".join(refs(pd.DataFrame([row])))
        what = f"{row['theme_label']}, {row['series_label']}"
        if not pd.isna(row["figure_n"]):
            numbers.add(f"{base}_count", count_text(row), f"{what}: antal", ref)
        if not pd.isna(row["share"]):
            numbers.add(f"{base}_share", share_text(row), f"{what}: andel", ref)
        elif not pd.isna(row["published_percent"]):
            numbers.add(f"{base}_share", printed_percent(row["published_percent"]), f"{what}: tryckt procent", ref)


def add_summary_numbers(numbers: ReportNumbers, rows: pd.DataFrame, years: str) -> None:
    all_refs = "; ".join(refs(rows))
    figure_rows = rows["figure_n"].notna() | rows["published_percent"].notna()
    numbers.add("n_themes", swedish.number(rows["theme"].nunique()), "Antal teman i jämförelsen", all_refs)
    numbers.add("n_sources", swedish.number(rows["source"].nunique()), "Antal källor i jämförelsen", all_refs)
    numbers.add("n_rows", swedish.number(len(rows)), "Antal uppgifter (tema × källa) i jämförelsen", all_refs)
    numbers.add("n_rows_same_definition", swedish.number((~rows["definitions_differ"]).sum()),
                "Uppgifter med temats definition", all_refs)
    numbers.add("n_rows_partly", swedish.number((rows["comparable"] == "partly").sum()),
                "Uppgifter med delvis jämförbar definition", all_refs)
    numbers.add("n_rows_related", swedish.number((rows["comparable"] == "no").sum()),
                "Uppgifter som endast är närliggande", all_refs)
    numbers.add("n_rows_without_figure", swedish.number((~figure_rows).sum()),
                "Uppgifter utan antal eller procent (endast ett uttalande)", all_refs)
    numbers.add("n_points", swedish.number(rows["plot_share"].notna().sum()),
                "Antal punkter (andelar) i figuren", all_refs)
    numbers.add("years", years, "Årsspann för källornas uppgifter", all_refs)
    national = rows["series"].str.endswith("/nation")
    sample = rows[rows["source"].isin(set(rows.loc[national, "source"])) & ~national]
    bases = sorted(set(sample["figure_N"].dropna().astype(int)))
    if len(bases) != 1:
        raise ValueError(f"the selection beside a national series should have one base, got {bases}")
    numbers.add("oj_sample_N", swedish.number(bases[0]), "Antal utvalda kommuner i ÖJ-jämförelsen", "; ".join(refs(sample)))


def year_span(rows: pd.DataFrame) -> str:
    return f"{int(rows['year'].min())}–{int(rows['year'].max())}"


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    rows = with_series(combined["cross_source"], config)
    if rows.empty:
        raise ValueError("cross_source is empty: nothing to compare (check config/cross_source.csv)")
    years = year_span(rows)
    figures.save(shares_figure(rows, years), assets_dir)
    markers = ("Tecken efter källan: † delvis jämförbar definition (samma ämne, men annan definition, population "
               "eller bas); ‡ endast närliggande uppgift. Utan tecken: temats definition.")
    tables.save("tbl-cross-themes", comparison_table(rows),
                f"Varje källas uppgift per tema ({years}): antal (n av N) och andel. {markers} "
                "Dalarna: antalet kommuner som rapporten nämner, en nedre gräns (minst). "
                "(tryckt): procentsats som källan trycker utan antal. –: inget antal eller ingen bas tryckt.",
                assets_dir, source_refs=refs(rows), right_align=("År", "n av N", "Andel"),
                widths=(8, 5.5, 6.5, 2, 4.75, 4.75), breakable=True)
    tables.save("tbl-cross-definitions", definitions_table(rows),
                f"Vad varje källas uppgift mäter, och om definitionen är jämförbar med temats. {markers}",
                assets_dir, source_refs=refs(rows), widths=(6, 4, 10.6, 3.4), breakable=True)
    numbers = ReportNumbers(SECTION)
    add_row_numbers(numbers, rows)
    add_summary_numbers(numbers, rows, years)
    numbers.write(assets_dir)
