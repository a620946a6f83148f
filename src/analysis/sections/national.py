"""Report content for the national context (region "national"):

* Öppna jämförelser (ÖJ) Brottsoffer 2015 via SKL (2016): the 8 municipalities SKL chose *because*
  they had many ja answers, compared with the national share of ja for each of the 60 indicators.
  A purposive selection: the differences describe the selection, they estimate nothing.
* Länsstyrelserna (2015): the county boards' own 11-indicator estimates (Ja and Delvis only, no
  base printed) and the survey of 43 key persons, whose printed shares are shown as printed,
  with their inconsistencies.

Numbers are computed here, formatted once with analysis.swedish, and written as figures, tables
and prose variables (`national.*`) with the source_ref of the raw rows behind them.
"""
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import breakdowns, figures, paths, swedish, tables, source_loader
from .. import shares as sh
from ..report_vars import ReportNumbers

SKL = "skl_2016"
LST = "lansstyrelserna_2015"
SECTION = "national"
SKL_SOURCE_LINE = ("Källa: SKL (2016), Bilaga 3 (de utvalda kommunernas svar) och Bilaga 4 (andel ja i riket), "
                   "Öppna jämförelser Brottsoffer 2015.")
LST_SOURCE_LINE = "Källa: Länsstyrelsen i Stockholms län (2015), länsstyrelsernas nationella slutrapport."
# Indicators shown in the "furthest apart" figure: every indicator whose rank by |difference| is at
# most this (ties at the cut-off are all kept, so the figure may hold a few more).
FURTHEST_MAX_RANK = 15
# The national shares are printed as whole percent: a difference is exact to ± half a point.
NATIONAL_ROUNDING = 0.005
OJ_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"]
KEY_PERSON_ORDER = ["better", "partly_better", "no_difference"]
RESPONDENT_GROUPS = {
    "respondents_by_sector": "Sektor",
    "respondents_by_gender": "Kön",
    "respondents_by_role": "Funktion",
    "respondents_by_exposure": "Tagit del av länsstyrelsens arbete",
}


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


def source_tables(config: dict, source: str) -> dict[str, pd.DataFrame]:
    """The transcribed tables of a configured source (for what the results do not carry: the
    printed municipality facts of SKL's Bilaga 3)."""
    return source_loader.load_source_tables(source, config["sources"][source], paths.ROOT)


def skl_refs(shares: pd.DataFrame, section_word: str) -> tuple[str, ...]:
    """Distinct skl_2016 source_refs whose section contains `section_word` (e.g. 'Bilaga 4')."""
    refs = shares.loc[shares["source"] == SKL, "source_ref"].dropna().astype(str)
    found = tuple(sorted({r for r in refs if section_word in r}))
    if not found:
        raise KeyError(f"{SKL}: no source_ref containing {section_word!r}")
    return found


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


def scatter_points(vs_nation: pd.DataFrame) -> pd.DataFrame:
    """One point per quality area × (national share, share among the 8), with how many
    indicators sit on it and their ids (identical points would otherwise hide each other)."""
    grouped = (vs_nation.groupby(["quality_area", "national_share_ja", "share_ja"], sort=False)
               .agg(indicators=("indicator", list), labels=("label", list), n_ja=("n_ja", "first"),
                    N=("N", "first"))
               .reset_index())
    grouped["count"] = grouped["indicators"].map(len)
    return grouped


def oj_scatter_figure(vs_nation: pd.DataFrame, source_refs) -> figures.ReportFigure:
    """All 60 indicators: national share of ja (x) against the share among the 8 (y)."""
    points = scatter_points(vs_nation)
    areas = list(dict.fromkeys(vs_nation["quality_area"]))
    per_area = vs_nation["quality_area"].value_counts()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 100], y=[0, 100], mode="lines", hoverinfo="skip", showlegend=False,
                             line=dict(color="#777777", dash="dash", width=1.5)))
    for i, area in enumerate(areas):
        rows = points[points["quality_area"] == area]
        hover = [
            "<br>".join(f"{ind}: {figures.wrap_for_axis(lab, 60)}" for ind, lab in zip(r.indicators, r.labels))
            + f"<br>Riket {swedish.percent(r.national_share_ja, 0)}, de utvalda {swedish.percent(r.share_ja)}"
              f" ({swedish.count_of(r.n_ja, r.N)})"
            for r in rows.itertuples()
        ]
        fig.add_trace(go.Scatter(
            x=(100 * rows["national_share_ja"]).tolist(), y=(100 * rows["share_ja"]).tolist(), mode="markers",
            name=f"{area} ({swedish.number(per_area[area])})",
            marker=dict(color=figures.PALETTE[i % len(figures.PALETTE)], symbol=OJ_SYMBOLS[i % len(OJ_SYMBOLS)],
                        size=[9 + 4 * (c - 1) for c in rows["count"]], opacity=0.85,
                        line=dict(color="#222222", width=1)),
            text=hover, hovertemplate="%{text}<extra></extra>",
        ))
    counts = direction_counts(vs_nation)
    N = swedish.number(vs_nation["N"].max())
    fig.add_annotation(x=3, y=97, xanchor="left", yanchor="top", showarrow=False, align="left",
                       text=f"Högre andel ja bland de {N}:<br>{swedish.number(counts['above'])} indikatorer")
    fig.add_annotation(x=97, y=3, xanchor="right", yanchor="bottom", showarrow=False, align="right",
                       text=f"Lägre än riket: {swedish.number(counts['below'])}")
    fig.update_xaxes(range=[0, 100], ticksuffix="\u00a0%", title_text="Andel ja i riket (tryckt i hela procent)",
                     showgrid=True, constrain="domain")
    ticks = [0, 25, 50, 75, 100]
    fig.update_yaxes(range=[0, 102], tickvals=ticks, ticktext=[f"{t}\u00a0%" for t in ticks],
                     title_text=f"Andel ja bland de {swedish.number(vs_nation['N'].max())} kommunerna",
                     showgrid=True, scaleanchor="x", scaleratio=1)
    figures.base_layout(fig, height=560)
    fig.update_layout(showlegend=True, legend=dict(title_text="Kvalitetsområde (antal indikatorer)",
                                                   x=1.02, y=0.5, yanchor="middle"),
                      margin=dict(l=10, r=10, t=20, b=10))
    n_ind = len(vs_nation)
    alt = (f"Punktdiagram med {swedish.number(n_ind)} indikatorer: andel ja i riket på den vågräta axeln och "
           f"bland de {swedish.number(vs_nation['N'].max())} utvalda kommunerna på den lodräta, med en streckad "
           f"linje för lika andel. {swedish.number(counts['above'])} indikatorer ligger över linjen, "
           f"{swedish.number(counts['equal'])} på den och {swedish.number(counts['below'])} under den.")
    return figures.ReportFigure(
        id="fig-oj-vs-nation",
        figure=fig,
        caption=(f"Andel ja bland de {swedish.number(vs_nation['N'].max())} utvalda kommunerna jämfört med andel ja "
                 f"i riket, för var och en av ÖJ Brottsoffer 2015:s {swedish.number(n_ind)} indikatorer, efter "
                 "kvalitetsområde. Punkter ovanför den streckade linjen: högre andel bland de utvalda. En större "
                 "punkt står för flera indikatorer med samma två värden. Kommunerna valdes för att de hade många "
                 "ja-svar; skillnaderna beskriver urvalet, de är inga skattningar."),
        alt=alt,
        source=SKL_SOURCE_LINE,
        source_refs=tuple(source_refs),
    )


def oj_furthest_figure(rows: pd.DataFrame, n_indicators: int, source_refs,
                       max_rank: int = FURTHEST_MAX_RANK) -> figures.ReportFigure:
    """Dumbbells for the indicators furthest apart (of `n_indicators`): nation vs the 8 municipalities."""
    N = int(rows["N"].max())
    fig = figures.horizontal_dumbbell(
        [figures.wrap_for_axis(label, 50) for label in rows["label"]],
        rows["national_share_ja"], rows["share_ja"],
        [swedish.percent(v, 0) for v in rows["national_share_ja"]],
        [f"{swedish.percent(s)} ({swedish.count_of(n, t)})" for s, n, t in zip(rows["share_ja"], rows["n_ja"], rows["N"])],
        left_name="Riket (andel ja, tryckt)", right_name=f"De {swedish.number(N)} utvalda kommunerna",
        axis_title="Andel ja",
    )
    first = rows.iloc[0]
    alt = (f"Hantelsdiagram för de {swedish.number(len(rows))} indikatorer där de {swedish.number(N)} utvalda "
           f"kommunerna och riket skiljer sig mest. Störst skillnad: {first.label}, "
           f"{swedish.percent(first.share_ja)} bland de utvalda mot {swedish.percent(first.national_share_ja, 0)} i riket.")
    return figures.ReportFigure(
        id="fig-oj-furthest",
        figure=fig,
        caption=(f"De {swedish.number(len(rows))} indikatorer där andelen ja skiljer sig mest mellan de "
                 f"{swedish.number(N)} utvalda kommunerna (n av N = {swedish.number(N)}) och riket "
                 f"(plats 1–{swedish.number(max_rank)} efter skillnadens storlek; lika skillnader vid gränsen tas "
                 f"med). Alla {swedish.number(n_indicators)} indikatorer finns i data/processed/oj_vs_nation.csv."),
        alt=alt,
        source=SKL_SOURCE_LINE,
        source_refs=tuple(source_refs),
    )


def oj_municipality_frame(municipalities: pd.DataFrame, oj_long: pd.DataFrame) -> pd.DataFrame:
    """The 8 municipalities as numbers: printed facts from Bilaga 3 and the ja-count recomputed
    from their 60 printed values (number of 2s)."""
    recount = (oj_long["value"].astype(int) == 2).groupby(oj_long["kommun"]).sum()
    out = municipalities[["kommun", "befolkningsgrupp", "area", "ja_count_published", "unizon_rank", "source_ref"]].copy()
    missing = sorted(set(out["kommun"]) - set(recount.index))
    if missing:
        raise KeyError(f"{SKL}: municipalities without ÖJ values: {missing}")
    out["ja_count_recomputed"] = out["kommun"].map(recount).astype("int64")
    out["ja_count_published"] = out["ja_count_published"].astype("int64")
    return out.reset_index(drop=True)


def oj_municipality_table(frame: pd.DataFrame, n_indicators: int) -> pd.DataFrame:
    """Formatted: kommun, befolkningsgrupp, område, printed and recomputed ja-count, Unizon rank."""
    def kommun(name: str) -> str:
        return "Göteborg (stadsdelen Askim-Frölunda-Högsbo)" if name == "Göteborg" else name

    return pd.DataFrame({
        "Kommun": frame["kommun"].map(kommun),
        "Befolkningsgrupp (invånare)": [f"{g} ({breakdowns.band_label(g).replace(' invånare', '')})"
                                        for g in frame["befolkningsgrupp"].astype(str)],
        "Område": frame["area"],
        "Ja-svar, tryckt": frame["ja_count_published"].map(swedish.number),
        f"Ja-svar, räknat ur de {swedish.number(n_indicators)} värdena": frame["ja_count_recomputed"].map(swedish.number),
        "Plats i Unizons barometer": [("saknas" if pd.isna(r) else swedish.number(r)) for r in frame["unizon_rank"]],
    })


def add_oj_numbers(numbers: ReportNumbers, shares: pd.DataFrame, reproduction: pd.DataFrame,
                   vs_nation: pd.DataFrame, furthest: pd.DataFrame, munis: pd.DataFrame) -> None:
    """The ÖJ numbers the text uses."""
    def count(name, indicator, what, category="yes"):
        row = one_row(shares, SKL, indicator, category)
        numbers.add(name, swedish.number(row.n), what, row.source_ref)

    count("oj_municipalities", "study_municipalities", "Antal kommuner i SKL:s undersökning")
    count("oj_indicators", "oj_indicator_count", "Antal indikatorer i ÖJ Brottsoffer 2015")
    count("oj_sampling_frame", "sampling_frame_top20", "Antal kommuner överst i ÖJ-rankningen som urvalet gjordes från")
    count("oj_sample_top_both", "sample_selection", "Kommuner i topp 20 i ÖJ och topp 10 hos Unizon",
          "top20_oj_and_top10_unizon")
    count("oj_sample_strategic", "sample_selection", "Kommuner valda strategiskt (geografi, storlek)", "strategic_spread")
    count("oj_interviews", "interviews_total", "Antal intervjuer (enskilt eller i grupp)")
    count("oj_interviews_phone", "interviews_by_phone", "Kommuner där intervjun gjordes per telefon")
    count("oj_interviewees", "interviewees_total", "Antal intervjuade personer")
    for category, name, what in [("senior_officials", "oj_interviewees_senior", "ledande befattningshavare"),
                                 ("unit_managers", "oj_interviewees_managers", "enhetschefer"),
                                 ("vawg_officers", "oj_interviewees_officers",
                                  "tjänstemän med särskilt ansvar för kvinnofrid")]:
        count(name, "interviewees_by_role", f"Intervjuade: {what}", category)
    rate = one_row(shares, SKL, "oj_response_rate")
    numbers.add("oj_response_rate", swedish.percent(rate.published, 0), "Svarsfrekvens i ÖJ Brottsoffer 2015 (tryckt)",
                rate.source_ref)

    refs_values = skl_refs(shares, "Bilaga 3")[0]
    refs_nation = skl_refs(shares, "Bilaga 4")[0]
    both = f"{refs_values}; {refs_nation}"
    counts = direction_counts(vs_nation)
    numbers.add("oj_above", swedish.number(counts["above"]), "Indikatorer med högre andel ja bland de åtta än i riket", both)
    numbers.add("oj_equal", swedish.number(counts["equal"]), "Indikatorer med samma andel ja bland de åtta som i riket", both)
    numbers.add("oj_below", swedish.number(counts["below"]), "Indikatorer med lägre andel ja bland de åtta än i riket", both)
    all_ja = int((vs_nation["n_ja"] == vs_nation["N"]).sum())
    numbers.add("oj_all_ja", swedish.number(all_ja), "Indikatorer där alla åtta kommuner svarade ja", refs_values)
    numbers.add("oj_mean_share_8", swedish.percent(vs_nation["share_ja"].mean()),
                "Medelvärde över de 60 indikatorerna av andelen ja bland de åtta", refs_values)
    numbers.add("oj_mean_share_nation", swedish.percent(vs_nation["national_share_ja"].mean()),
                "Medelvärde över de 60 indikatorerna av den tryckta andelen ja i riket (oviktat)", refs_nation)
    numbers.add("oj_median_difference", swedish.percent_points(vs_nation["difference_pp"].median() / 100),
                "Medianskillnad (de åtta minus riket) över de 60 indikatorerna", both)
    numbers.add("oj_rounding", swedish.number(100 * NATIONAL_ROUNDING, 1),
                "Största avrundningsfel i procentenheter (rikets andelar tryckta i hela procent)", refs_nation)

    numbers.add("oj_furthest_n", swedish.number(len(furthest)), "Antal indikatorer i figuren över störst skillnad", both)
    numbers.add("oj_furthest_min", swedish.percent_points(furthest["difference_pp"].abs().min() / 100),
                "Minsta skillnad bland indikatorerna i figuren över störst skillnad", both)
    for i, row in enumerate(furthest.head(3).itertuples(), start=1):
        numbers.add(f"oj_top{i}_label", row.label, f"Indikator med plats {i} efter skillnad", refs_nation)
        numbers.add(f"oj_top{i}_share", swedish.percent(row.share_ja), f"Andel ja bland de åtta, plats {i}", refs_values)
        numbers.add(f"oj_top{i}_n", swedish.count_of(row.n_ja, row.N), f"Antal ja bland de åtta, plats {i}", refs_values)
        numbers.add(f"oj_top{i}_nation", swedish.percent(row.national_share_ja, 0), f"Andel ja i riket, plats {i}", refs_nation)
        numbers.add(f"oj_top{i}_diff", swedish.percent_points(row.difference_pp / 100), f"Skillnad, plats {i}", both)
    lowest = vs_nation.sort_values(["difference_pp", "indicator"], kind="stable").iloc[0]
    numbers.add("oj_lowest_label", lowest.label, "Indikatorn där de åtta ligger mest under riket", refs_nation)
    numbers.add("oj_lowest_share", swedish.percent(lowest.share_ja), "Andel ja bland de åtta, mest under riket", refs_values)
    numbers.add("oj_lowest_n", swedish.count_of(lowest.n_ja, lowest.N), "Antal ja bland de åtta, mest under riket", refs_values)
    numbers.add("oj_lowest_nation", swedish.percent(lowest.national_share_ja, 0), "Andel ja i riket, mest under riket",
                refs_nation)
    numbers.add("oj_lowest_diff", swedish.percent_points(lowest.difference_pp / 100), "Skillnad, mest under riket", both)

    ref = munis["source_ref"].iloc[0]
    numbers.add("oj_ja_min", swedish.number(munis["ja_count_published"].min()),
                "Lägsta tryckta antal ja-svar bland de utvalda", ref)
    numbers.add("oj_ja_max", swedish.number(munis["ja_count_published"].max()),
                "Högsta tryckta antal ja-svar bland de utvalda", ref)
    numbers.add("oj_unizon_missing", swedish.number(int(munis["unizon_rank"].isna().sum())),
                "Kommuner utan plats i Unizons barometer ('saknas')", ref)
    differs = munis[munis["ja_count_published"] != munis["ja_count_recomputed"]]
    numbers.add("oj_ja_differs", swedish.number(len(differs)), "Kommuner där tryckt och räknat antal ja skiljer sig", ref)
    tyreso = munis[munis["kommun"] == "Tyresö"]
    if len(tyreso) != 1:
        raise KeyError(f"{SKL}: Tyresö not among the municipalities")
    tyreso = tyreso.iloc[0]
    check = reproduction_row(reproduction, SKL, "ja_count/Tyresö")
    if (int(check.published), int(check.recomputed)) != (int(tyreso.ja_count_published), int(tyreso.ja_count_recomputed)):
        raise ValueError("Tyresö's ja-counts differ between reproduction.csv and the section's recount")
    numbers.add("oj_tyreso_published", swedish.number(tyreso.ja_count_published), "Tyresö: tryckt antal ja-svar", ref)
    numbers.add("oj_tyreso_recomputed", swedish.number(tyreso.ja_count_recomputed),
                "Tyresö: antal ja (2) bland de 60 tryckta värdena", refs_values)
    numbers.add("oj_delvis_total", swedish.number(int(vs_nation["n_delvis"].sum())),
                "Antal delvis-svar bland de åtta kommunernas svar", refs_values)
    numbers.add("oj_answers_total", swedish.number(int(vs_nation["N"].sum())),
                "Antal svar (kommuner × indikatorer)", refs_values)


# ---------------------------------------------------------------------------------------------
# Länsstyrelserna 2015
# ---------------------------------------------------------------------------------------------

def lst_indicator_rows(shares: pd.DataFrame) -> pd.DataFrame:
    """The indicator table (Ja and Delvis per indicator, as printed), wide: indicator, label,
    ja, delvis, source_ref. The table's indicators are those printed with exactly Ja and Delvis."""
    rows = shares[shares["source"] == LST]
    categories = rows.groupby("indicator", sort=False)["category"].agg(frozenset)
    chosen = [ind for ind, cats in categories.items() if cats == frozenset({"yes", "partly"})]
    if not chosen:
        raise KeyError(f"{LST}: no indicator with exactly the categories Ja and Delvis")
    table = rows[rows["indicator"].isin(chosen)]
    if table["N"].notna().any():
        raise ValueError(f"{LST}: the indicator table has a base N; the section says it has none")
    wide = table.pivot(index="indicator", columns="category", values="n").reindex(chosen)
    meta = table.drop_duplicates("indicator").set_index("indicator").reindex(chosen)
    return pd.DataFrame({"indicator": chosen, "label": meta["label"].to_numpy(),
                         "ja": wide["yes"].astype("int64").to_numpy(), "delvis": wide["partly"].astype("int64").to_numpy(),
                         "source_ref": meta["source_ref"].to_numpy()})


def lst_indicator_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Indikator (läget 2012 jämfört med 2010)": rows["label"],
                         "Ja": rows["ja"].map(swedish.number), "Delvis": rows["delvis"].map(swedish.number)})


def printed_percent(value_percent: float) -> str:
    """A printed percent at its printed precision: 72.9 → '72,9 %', 16.28 → '16,28 %'."""
    return swedish.number(value_percent, sh.printed_decimals(value_percent)) + swedish.NBSP + "%"


def key_person_frame(shares: pd.DataFrame) -> pd.DataFrame:
    """Per answer: the percent printed in the results section and in the summary, the base, and the
    counts k on the base whose percent (at the printed precision) is the printed one."""
    records = []
    for category in KEY_PERSON_ORDER:
        body = one_row(shares, LST, "coordination_improved", category)
        summary = one_row(shares, LST, "coordination_improved_summary", category)
        N = int(body.N)
        printed = round(100 * float(body.published), 6)
        fits = sh.counts_fitting_percent(printed, N)
        nearest = sh.nearest_counts(printed, N)
        records.append({
            "category": category, "label": body.category_label, "N": N, "printed": printed,
            "printed_summary": round(100 * float(summary.published), 6),
            "fits": fits, "nearest": nearest,
            # two decimals at least, the precision of the other two printed answers (72,09 %, not 72,1 %)
            "nearest_percents": [float(sh.percent_of(k, N, max(2, sh.printed_decimals(printed)))) for k in nearest],
            "source_ref": body.source_ref, "source_ref_summary": summary.source_ref,
        })
    return pd.DataFrame(records)


def key_person_table(frame: pd.DataFrame) -> pd.DataFrame:
    def fit(row) -> str:
        if len(row.fits) == 1:
            return f"{swedish.count_of(row.fits[0], row.N)}"
        options = " eller ".join(f"{swedish.count_of(k, row.N)} = {printed_percent(p)}"
                                 for k, p in zip(row.nearest, row.nearest_percents))
        return f"inget heltal ({options})"

    body_sum = sum(sh.exact(p) for p in frame["printed"])
    summary_sum = sum(sh.exact(p) for p in frame["printed_summary"])
    table = pd.DataFrame({
        "Svar": frame["label"].str.capitalize(),
        "Tryckt, resultatavsnittet": frame["printed"].map(printed_percent),
        "Tryckt, sammanfattningen": frame["printed_summary"].map(printed_percent),
        "Antal av N som ger procenten": [fit(r) for r in frame.itertuples()],
    })
    total = pd.DataFrame([{"Svar": "Summa", "Tryckt, resultatavsnittet": printed_percent(float(body_sum)),
                           "Tryckt, sammanfattningen": printed_percent(float(summary_sum)),
                           "Antal av N som ger procenten": f"N = {swedish.number(frame['N'].iloc[0])}"}])
    return pd.concat([table, total], ignore_index=True)


def respondent_rows(shares: pd.DataFrame) -> pd.DataFrame:
    parts = [source_rows(shares, LST, indicator).assign(group_label=label)
             for indicator, label in RESPONDENT_GROUPS.items()]
    return pd.concat(parts, ignore_index=True)


def respondent_table(rows: pd.DataFrame) -> pd.DataFrame:
    first = ~rows["indicator"].duplicated()
    return pd.DataFrame({
        "Indelning": rows["group_label"].where(first, ""),
        "Grupp": rows["category_label"].str.capitalize(),
        "n": rows["n"].map(swedish.number),
        "N": rows["N"].map(swedish.number),
        "Andel": rows["share"].map(swedish.percent),
    })


def add_lst_numbers(numbers: ReportNumbers, shares: pd.DataFrame, reproduction: pd.DataFrame,
                    indicators: pd.DataFrame, key_persons: pd.DataFrame) -> None:
    ref_table = indicators["source_ref"].iloc[0]
    numbers.add("lst_indicators", swedish.number(len(indicators)), "Antal indikatorer i länsstyrelsernas tabell", ref_table)
    total = indicators["ja"] + indicators["delvis"]
    numbers.add("lst_sum_max", swedish.number(total.max()), "Största summa Ja + Delvis för en indikator", ref_table)
    top = indicators.sort_values(["ja", "indicator"], ascending=[False, True], kind="stable").iloc[0]
    numbers.add("lst_ja_max", swedish.number(top.ja), "Flest Ja för en indikator", ref_table)
    numbers.add("lst_ja_max_label", top.label, "Indikatorn med flest Ja", ref_table)
    numbers.add("lst_ja_min", swedish.number(indicators["ja"].min()), "Minst Ja för en indikator", ref_table)
    numbers.add("lst_delvis_max", swedish.number(indicators["delvis"].max()), "Flest Delvis för en indikator", ref_table)
    boards = one_row(shares, LST, "county_boards")
    numbers.add("lst_county_boards", swedish.number(boards.n), "Antal länsstyrelser", boards.source_ref)

    recipients = one_row(shares, LST, "survey_recipients")
    numbers.add("lst_key_persons", swedish.number(recipients.n), "Antal nyckelpersoner som fick enkäten", recipients.source_ref)
    per_county = one_row(shares, LST, "key_persons_per_county")
    numbers.add("lst_per_county", f"{swedish.number(per_county.n)}–{swedish.number(per_county.n_max)}",
                "Nyckelpersoner per län", per_county.source_ref)
    rate = one_row(shares, LST, "survey_response_rate")
    numbers.add("lst_response_rate", swedish.percent(rate.published, 0), "Svarsfrekvens (tryckt)", rate.source_ref)

    names = {"better": "better", "partly_better": "partly", "no_difference": "none"}
    for row in key_persons.itertuples():
        key = names[row.category]
        numbers.add(f"lst_{key}_printed", printed_percent(row.printed), f"Tryckt andel: {row.label}", row.source_ref)
        numbers.add(f"lst_{key}_summary", printed_percent(row.printed_summary),
                    f"Tryckt andel i sammanfattningen: {row.label}", row.source_ref_summary)
        if len(row.fits) == 1:
            numbers.add(f"lst_{key}_n", swedish.number(row.fits[0]), f"Antal av N som ger den tryckta andelen: {row.label}",
                        row.source_ref)
    better = key_persons.set_index("category").loc["better"]
    if better.fits:
        raise ValueError(f"{LST}: 72,9 % now fits a count on 43; the section's text assumes it does not")
    low, high = better.nearest
    low_p, high_p = better.nearest_percents
    numbers.add("lst_better_low_n", swedish.number(low), "Närmaste antal under den tryckta andelen 'bättre'",
                better.source_ref)
    numbers.add("lst_better_high_n", swedish.number(high), "Närmaste antal över den tryckta andelen 'bättre'",
                better.source_ref)
    numbers.add("lst_better_low_pct", printed_percent(low_p), "Andelen med det lägre antalet (två decimaler)",
                better.source_ref)
    numbers.add("lst_better_high_pct", printed_percent(high_p), "Andelen med det högre antalet (två decimaler)",
                better.source_ref)
    others = key_persons[key_persons["category"] != "better"]
    probable = sh.exact(low_p) + sum(sh.exact(p) for p in others["printed"])
    numbers.add("lst_probable_sum", swedish.number(float(probable), 2) + swedish.NBSP + "%",
                "Summan om 'bättre' är 72,09 % (lägre antal)", better.source_ref)
    numbers.add("lst_probable_total_n", swedish.number(low + sum(r[0] for r in others["fits"])),
                "Summan av antalen om 'bättre' är det lägre antalet", better.source_ref)
    body_sum = reproduction_row(reproduction, LST, "coordination_improved: sum of percents")
    numbers.add("lst_printed_sum", swedish.number(body_sum.published, 2) + swedish.NBSP + "%",
                "Summan av de tryckta andelarna (resultatavsnittet)", body_sum.source_ref)
    summary_sum = reproduction_row(reproduction, LST, "coordination_improved_summary: sum of percents")
    numbers.add("lst_summary_sum", swedish.number(summary_sum.published, 0) + swedish.NBSP + "%",
                "Summan av de tryckta andelarna (sammanfattningen)", summary_sum.source_ref)

    names = {("respondents_by_sector", "civil_society"): "lst_civil",
             ("respondents_by_sector", "public_agencies"): "lst_agencies",
             ("respondents_by_gender", "women"): "lst_women", ("respondents_by_gender", "men"): "lst_men",
             ("respondents_by_role", "administrative_or_strategic"): "lst_strategic",
             ("respondents_by_role", "direct_support"): "lst_direct",
             ("respondents_by_exposure", "past_three_years"): "lst_three_years",
             ("respondents_by_exposure", "past_year_only"): "lst_past_year"}
    for (indicator, category), name in names.items():
        row = one_row(shares, LST, indicator, category)
        numbers.add(name, swedish.number(row.n), f"Respondenter: {row.category_label}", row.source_ref)


# ---------------------------------------------------------------------------------------------
# The section
# ---------------------------------------------------------------------------------------------

def build_oj(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path, numbers: ReportNumbers) -> None:
    shares, reproduction, vs_nation = results["shares"], results["reproduction"], results["oj_vs_nation"]
    refs = skl_refs(shares, "Bilaga 3") + skl_refs(shares, "Bilaga 4")
    figures.save(oj_scatter_figure(vs_nation, refs), assets_dir)
    furthest = furthest_rows(vs_nation)
    figures.save(oj_furthest_figure(furthest, len(vs_nation), refs), assets_dir)
    munis = oj_municipality_frame(source_tables(config, SKL)["municipalities"], results["oj_2015_kommun"])
    k = swedish.number(len(vs_nation))
    tables.save("tbl-oj-municipalities", oj_municipality_table(munis, len(vs_nation)),
                f"De {swedish.number(len(munis))} kommuner som SKL valde ut: befolkningsgrupp och område som tryckta i "
                f"Bilaga 3, antal ja-svar av {k} som tryckt och som räknat ur kommunens {k} tryckta värden, samt plats "
                "i Unizons kvinnofridsbarometer 2015. Tyresös tryckta antal stämmer inte med tabellens egna värden. "
                "Göteborgs kolumn gäller stadsdelen Askim-Frölunda-Högsbo; befolkningsgruppen avser hela Göteborg.",
                assets_dir, source_refs=tuple(munis["source_ref"]) + skl_refs(shares, "Bilaga 3"),
                right_align=("Ja-svar, tryckt", f"Ja-svar, räknat ur de {k} värdena", "Plats i Unizons barometer"),
                widths=(3, 2.2, 1.7, 1.1, 1.4, 1.3))
    add_oj_numbers(numbers, shares, reproduction, vs_nation, furthest, munis)


def build_lst(results: dict[str, pd.DataFrame], assets_dir: Path, numbers: ReportNumbers) -> None:
    shares, reproduction = results["shares"], results["reproduction"]
    indicators = lst_indicator_rows(shares)
    tables.save("tbl-lst-indicators", lst_indicator_table(indicators),
                "Länsstyrelsernas egna uppskattningar av läget 2012 jämfört med 2010 (delredovisningen 2012, "
                "omtryckt i slutrapporten): antal Ja och Delvis per indikator. Rapporten anger inte hur många "
                "länsstyrelser som svarade och trycker ingen Nej-kolumn; därför redovisas inga andelar och inga Nej.",
                assets_dir, source_refs=indicators["source_ref"], right_align=("Ja", "Delvis"), widths=(6, 1, 1))
    key_persons = key_person_frame(shares)
    unmatched = [printed_percent(p) for p, fits in zip(key_persons["printed"], key_persons["fits"]) if not fits]
    tables.save("tbl-lst-key-persons", key_person_table(key_persons),
                "Har samordningen i länet blivit bättre? Nyckelpersonernas svar som tryckta i rapportens "
                "resultatavsnitt och i dess sammanfattning, och vilket antal av de N svarande som ger den tryckta "
                "procenten. "
                + (f"Inget antal ger {' eller '.join(unmatched)}. " if unmatched else "")
                + "Summan är de tryckta procentsatsernas summa.",
                assets_dir, source_refs=tuple(key_persons["source_ref"]) + tuple(key_persons["source_ref_summary"]),
                right_align=("Tryckt, resultatavsnittet", "Tryckt, sammanfattningen"), widths=(1.4, 1.4, 1.4, 3.2))
    respondents = respondent_rows(shares)
    tables.save("tbl-lst-respondents", respondent_table(respondents),
                "De svarande nyckelpersonerna efter sektor, kön, funktion och hur länge de tagit del av "
                "länsstyrelsens arbete: antal (n) av N och andel. Nyckelpersonerna valdes av länsstyrelserna "
                "(inte ett slumpmässigt urval).",
                assets_dir, source_refs=respondents["source_ref"], right_align=("n", "N", "Andel"),
                widths=(2, 4.2, 0.7, 0.7, 1))
    add_lst_numbers(numbers, shares, reproduction, indicators, key_persons)


def build(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    """Figures, tables and numbers of the section 'Nationellt sammanhang'."""
    numbers = ReportNumbers(SECTION)
    build_oj(results, config, Path(assets_dir), numbers)
    build_lst(results, Path(assets_dir), numbers)
    numbers.write(assets_dir)
