"""Report content for Södermanland 2019: RSS Kvinnofrid Sörmland's visits to all 9 municipalities
(January–February 2019). A census: counts are reported as n of N without sampling intervals.

The report's own size classes (större 2, mellanstora 2, mindre 5) carry its development-areas
table. A cell of that table belongs to a size class, not to a municipality, and an empty cell is
`not_listed`, never "no".
"""
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import breakdowns, figures, paths, pipeline, swedish, tables, source_loader
from ..report_vars import ReportNumbers

SOURCE = "sormland_2019"
SECTION = "sormland"
SOURCE_LINE = ("Källa: RSS Kvinnofrid Sörmland (2019), kartläggning genom besök i länets samtliga "
               "kommuner januari–februari 2019.")
REFERENCE_REF = "reference/kommuner.csv (SCB folkmängd 31 december 2019; SKR kommungrupp 2017)"
CLASS_ORDER = list(breakdowns.SIZE_CLASSES)  # larger, medium, smaller
LANSDEL_COLUMNS = {  # lansdel_cooperation_details.csv attribute → column heading as printed
    "other_participants": "Andra deltagande",
    "formalised_cooperation": "Formaliserad samverkan",
    "cooperation_outside_lansdel": "Samverkan utanför länsdelen",
}
NOT_LISTED = "(ej angivet)"
SHARED_COLOUR, SPECIFIC_COLOUR = "#A6CEE3", figures.PALETTE[0]


# --- inputs ---------------------------------------------------------------------------------

def source_tables(config: dict, root: Path = paths.ROOT) -> dict[str, pd.DataFrame]:
    """The transcribed tables of sormland_2019, read through the configured inputs."""
    return source_loader.load_source_tables(SOURCE, config["sources"][SOURCE], root)


def share_row(shares: pd.DataFrame, indicator: str, category: str = "yes", group: str = "all") -> pd.Series:
    """The one shares row of an indicator/category/group of this source; raises if absent."""
    rows = shares[(shares["source"] == SOURCE) & (shares["indicator"] == indicator)
                  & (shares["category"] == category) & (shares["group"] == group)]
    if len(rows) != 1:
        raise KeyError(f"{SOURCE}: expected one shares row {indicator}/{category}/{group}, found {len(rows)}")
    return rows.iloc[0]


def printed_margin(note: str) -> int:
    """The '±k' the report prints next to a figure (kept in the transcription's note only)."""
    match = re.search(r"±\s*(\d+)", str(note))
    if not match:
        raise ValueError(f"no '±' margin in note {note!r}")
    return int(match.group(1))


# --- size classes -----------------------------------------------------------------------------

def size_class_municipalities(municipalities: pd.DataFrame, reference: dict) -> pd.DataFrame:
    """kommun, size_class, source_ref + kommungrupp_2017 (+ name) and folkmangd_2019, ordered by
    size class (report order) and population, largest first."""
    attributes = breakdowns.municipality_attributes(municipalities["kommun"], reference)
    out = municipalities[["kommun", "size_class", "source_ref"]].merge(
        attributes[["kommun", "kommungrupp_2017", "kommungrupp_2017_namn", "folkmangd_2019"]],
        on="kommun", how="left", validate="one_to_one")
    if out["folkmangd_2019"].isna().any():
        raise ValueError(f"no 2019 population for {sorted(out.loc[out['folkmangd_2019'].isna(), 'kommun'])}")
    out["class_rank"] = out["size_class"].map({c: i for i, c in enumerate(CLASS_ORDER)})
    return (out.sort_values(["class_rank", "folkmangd_2019"], ascending=[True, False])
            .drop(columns="class_rank").reset_index(drop=True))


def classes_follow_population(frame: pd.DataFrame) -> bool:
    """True when every municipality of a larger class has more inhabitants than every one of the
    next smaller class (the report's classes agree with the population order)."""
    ranges = frame.groupby("size_class")["folkmangd_2019"].agg(["min", "max"]).reindex(CLASS_ORDER)
    return all(ranges.loc[a, "min"] > ranges.loc[b, "max"] for a, b in zip(CLASS_ORDER, CLASS_ORDER[1:]))


def size_class_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Formatted: size class (with number of municipalities), municipality, population, SKR group."""
    per_class = frame["size_class"].value_counts()
    label = frame["size_class"].map(lambda c: f"{breakdowns.SIZE_CLASSES[c]} ({swedish.number(per_class[c])})")
    return pd.DataFrame({
        "Storleksgrupp (antal kommuner)": label.where(~frame["size_class"].duplicated(), ""),
        "Kommun": frame["kommun"],
        "Folkmängd 2019": frame["folkmangd_2019"].map(swedish.number),
        "SKR:s kommungrupp 2017": frame["kommungrupp_2017"] + " " + frame["kommungrupp_2017_namn"],
    })


# --- länsdelar --------------------------------------------------------------------------------

def lansdel_table(cooperation: pd.DataFrame, details: pd.DataFrame) -> pd.DataFrame:
    """Formatted Tabell 1 (Länsdelssamverkan): one row per länsdel; an empty cell of the report
    is shown as '(ej angivet)', not as 'no cooperation'."""
    rows = []
    for lansdel, members in cooperation.groupby("lansdel", sort=False):
        row = {
            "Länsdel": members["lansdel_label"].iloc[0],
            "Kallande": ", ".join(members.loc[members["role"] == "convener", "kommun"]),
            "Kallade kommuner": ", ".join(members.loc[members["role"] == "invited", "kommun"]),
        }
        for attribute, heading in LANSDEL_COLUMNS.items():
            cell = details[(details["lansdel"] == lansdel) & (details["attribute"] == attribute)]
            listed = cell.loc[cell["stated"] == "yes", "item_label"].tolist()
            row[heading] = ", ".join(listed) if listed else NOT_LISTED
        rows.append(row)
    return pd.DataFrame(rows)


# --- development areas ------------------------------------------------------------------------

def development_area_counts(breakdown: pd.DataFrame) -> pd.DataFrame:
    """One row per size class: municipalities (k), areas listed in all (n_all), only for the class
    (n_specific), shared by all three classes (n_shared), the table's N, and the same per
    municipality of the class (value = n / k, from analysis.breakdowns)."""
    rows = breakdown[(breakdown["source"] == SOURCE) & (breakdown["breakdown"] == "size_class")]
    areas = rows[rows["indicator"] == "development_areas"].set_index(["group", "category"])
    munis = rows[rows["indicator"] == "municipalities"].set_index("group")
    out = []
    for group in CLASS_ORDER:
        out.append({
            "size_class": group, "label": breakdowns.SIZE_CLASSES[group], "k": int(munis.loc[group, "n"]),
            "N_areas": int(areas.loc[(group, "all"), "N"]),
            "n_all": int(areas.loc[(group, "all"), "n"]),
            "n_specific": int(areas.loc[(group, "class_specific"), "n"]),
            "n_shared": int(areas.loc[(group, "shared_by_all"), "n"]),
            "per_muni_all": float(areas.loc[(group, "all"), "value"]),
            "per_muni_specific": float(areas.loc[(group, "class_specific"), "value"]),
            "per_muni_shared": float(areas.loc[(group, "shared_by_all"), "value"]),
        })
    return pd.DataFrame(out)


def development_areas_figure(counts: pd.DataFrame, source_refs) -> figures.ReportFigure:
    """Two panels of stacked horizontal bars: areas listed per size class, and per municipality of
    the class; the county-wide areas (printed for all three classes) are a light, hatched part."""
    labels = [f"{row.label}<br>({swedish.number(row.k)} kommuner)" for row in counts.itertuples()]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=("Angivna områden för gruppen", "Per kommun i gruppen"))
    parts = [("specific", "Bara för gruppen", SPECIFIC_COLOUR, "", "white"),
             ("shared", "Länsgemensamma (i alla tre grupperna)", SHARED_COLOUR, "/", "#222222")]
    for key, name, colour, shape, text_colour in parts:
        n = counts[f"n_{key}"]
        per = counts[f"per_muni_{key}"]
        for col, values, texts in ((1, n, [swedish.number(v) for v in n]),
                                   (2, per, [swedish.number(v, 1) for v in per])):
            fig.add_trace(go.Bar(
                y=labels, x=list(values), orientation="h", name=name, legendgroup=key, showlegend=col == 1,
                marker=dict(color=colour, line=dict(color="#333333", width=1),
                            pattern=dict(shape=shape, fgcolor="#555555", solidity=0.25)),
                text=texts, textposition="inside", insidetextanchor="middle",
                textfont=dict(color=text_colour), hovertemplate="%{y}: %{text}<extra>" + name + "</extra>",
            ), row=1, col=col)
    gap = "\u2002"  # keeps the total clear of the bar's end
    totals = [(1, counts["n_all"], [f"{gap}{swedish.number(v)} av {swedish.number(N)}"
                                    for v, N in zip(counts["n_all"], counts["N_areas"])]),
              (2, counts["per_muni_all"], [gap + swedish.number(v, 1) for v in counts["per_muni_all"]])]
    for col, values, texts in totals:
        fig.add_trace(go.Scatter(y=labels, x=list(values), mode="text", text=texts, textposition="middle right",
                                 showlegend=False, hoverinfo="skip", cliponaxis=False), row=1, col=col)
    figures.base_layout(fig, height=360)
    fig.update_layout(barmode="stack", showlegend=True, margin=dict(l=10, r=50, t=70, b=10),
                      legend=dict(orientation="h", x=0, y=1.22, xanchor="left"))
    fig.update_xaxes(showgrid=True, rangemode="tozero")
    fig.update_xaxes(title_text="Antal områden", range=[0, max(counts["n_all"]) * 1.3], row=1, col=1)
    fig.update_xaxes(title_text="Områden per kommun", range=[0, max(counts["per_muni_all"]) * 1.3], row=1, col=2)
    fig.update_yaxes(autorange="reversed")
    N = int(counts["N_areas"].iloc[0])
    described = "; ".join(
        f"{row.label} ({swedish.number(row.k)} kommuner) {swedish.number(row.n_all)} områden, "
        f"varav {swedish.number(row.n_shared)} länsgemensamma, {swedish.number(row.per_muni_all, 1)} per kommun"
        for row in counts.itertuples())
    return figures.ReportFigure(
        id="fig-sorm-utvecklingsomraden",
        figure=fig,
        caption=(f"Utvecklingsområden och utmaningar som rapportens tabell anger för varje storleksgrupp "
                 f"(av {swedish.number(N)} områden i tabellen), totalt och per kommun i gruppen. Ljus, "
                 f"streckad del: de länsgemensamma områdena, tryckta för alla tre grupperna. En tom cell i "
                 f"tabellen betyder att området inte angavs för gruppen, inte att det saknas där."),
        alt=f"Liggande staplar i två delar. Angivna utvecklingsområden av {swedish.number(N)}: {described}.",
        source=SOURCE_LINE,
        source_refs=tuple(source_refs),
    )


def domain_counts(breakdown: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """(areas listed: heading × size class, areas in the table per heading)."""
    rows = breakdown[(breakdown["source"] == SOURCE) & (breakdown["breakdown"] == "size_class")
                     & (breakdown["indicator"] == "development_areas_by_domain")]
    return rows.pivot(index="category", columns="group", values="n"), rows.groupby("category", sort=False)["N"].first()


def domain_frame(breakdown: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Formatted table: heading of the development-areas table, its number of areas, and per size
    class the areas listed as 'n av N'."""
    counts, totals = domain_counts(breakdown)
    labels = areas.drop_duplicates("domain").set_index("domain")["domain_label"]
    out = pd.DataFrame({"Rubrik i tabellen": [labels[d] for d in labels.index],
                        "Områden (N)": [swedish.number(totals[d]) for d in labels.index]})
    for group in CLASS_ORDER:
        out[breakdowns.SIZE_CLASSES[group]] = [swedish.count_of(counts.loc[d, group], totals[d]) for d in labels.index]
    return out


# --- numbers for the prose --------------------------------------------------------------------

def add_count(numbers: ReportNumbers, name: str, row: pd.Series, description: str) -> None:
    numbers.add(name, swedish.number(row["n"]), description, row["source_ref"])


def add_numbers(numbers: ReportNumbers, results: dict, munis: pd.DataFrame, counts: pd.DataFrame,
                area_refs: str) -> None:
    """Every number the Sörmland text and summary use."""
    shares = results["shares"]
    muni_ref = munis["source_ref"].iloc[0]
    numbers.add("municipalities_N", swedish.number(len(munis)), "Antal kommuner i länet som besöktes", muni_ref)
    for row in counts.itertuples():
        numbers.add(f"class_{row.size_class}_n", swedish.number(row.k), f"Antal kommuner i gruppen {row.label}", muni_ref)
        numbers.add(f"areas_{row.size_class}_n", swedish.number(row.n_all),
                    f"Angivna utvecklingsområden för {row.label}", area_refs)
        numbers.add(f"areas_{row.size_class}_specific_n", swedish.number(row.n_specific),
                    f"Utvecklingsområden som bara anges för {row.label}", area_refs)
        numbers.add(f"areas_{row.size_class}_per_muni", swedish.number(row.per_muni_all, 1),
                    f"Angivna utvecklingsområden per kommun i gruppen {row.label}", area_refs)
    numbers.add("areas_N", swedish.number(counts["N_areas"].iloc[0]), "Utvecklingsområden i rapportens tabell", area_refs)
    numbers.add("areas_shared_n", swedish.number(counts["n_shared"].iloc[0]),
                "Länsgemensamma utvecklingsområden (tryckta för alla tre grupperna)", area_refs)
    for group in CLASS_ORDER:
        pops = munis.loc[munis["size_class"] == group, "folkmangd_2019"]
        numbers.add(f"pop_{group}_min", swedish.number(pops.min()), f"Minsta folkmängd 2019, {breakdowns.SIZE_CLASSES[group]}", REFERENCE_REF)
        numbers.add(f"pop_{group}_max", swedish.number(pops.max()), f"Största folkmängd 2019, {breakdowns.SIZE_CLASSES[group]}", REFERENCE_REF)

    perpetrators = share_row(shares, "perpetrator_interventions")
    add_count(numbers, "perpetrator_n", perpetrators, "Kommuner med insatser för förövare ('de större kommunerna')")
    numbers.add("perpetrator_N", swedish.number(perpetrators["N"]), "Bas för insatser för förövare (kommuner)", perpetrators["source_ref"])
    numbers.add("perpetrator_share", swedish.percent(perpetrators["share"]), "Andel kommuner med insatser för förövare", perpetrators["source_ref"])

    honour = share_row(shares, "honour_cases_per_year")
    add_count(numbers, "honour_cases", honour, "Hedersärenden per år i länets kommuner (cirka, summerat)")
    numbers.add("honour_cases_margin", swedish.number(printed_margin(honour["source_note"])),
                "Tryckt osäkerhet (±) kring antalet hedersärenden per år", honour["source_ref"])
    add_count(numbers, "honour_plan_n", share_row(shares, "honour_action_plan", "has_plan"),
              "Kommuner med handlingsplan mot hedersrelaterat våld och förtryck")
    add_count(numbers, "honour_plan_developing_n", share_row(shares, "honour_action_plan", "developing_plan"),
              "Kommuner som arbetade med att ta fram en handlingsplan mot hedersrelaterat våld")

    persons = share_row(shares, "persons_met_per_municipality")
    add_count(numbers, "persons_met_min", persons, "Minsta antal personer som mötte RSS vid ett kommunbesök")
    numbers.add("persons_met_max", swedish.number(persons["n_max"]), "Största antal personer vid ett kommunbesök", persons["source_ref"])
    add_count(numbers, "theme_areas_n", share_row(shares, "mapping_theme_areas"), "Temaområden i kartläggningen")
    add_count(numbers, "rss_leaders_n", share_row(shares, "rss_development_leaders"), "Utvecklingsledare i RSS Kvinnofrid Sörmland")
    work_time = share_row(shares, "rss_development_leader_work_time")
    numbers.add("rss_leader_time", swedish.percent(work_time["published"], 0),
                "Tjänstgöringsgrad per utvecklingsledare (andel av heltid)", work_time["source_ref"])

    staff = share_row(shares, "region_competence_centre_staff")
    add_count(numbers, "region_staff_min", staff, "Medarbetare i Region Sörmlands kompetenscentrum, lägst")
    numbers.add("region_staff_max", swedish.number(staff["n_max"]), "Medarbetare i kompetenscentrum, högst", staff["source_ref"])
    add_count(numbers, "region_past_violence", share_row(shares, "region_patients_past_violence_2018"),
              "Personer som 2018 uppgav tidigare våldsutsatthet i Region Sörmland (över)")
    add_count(numbers, "region_ongoing_violence", share_row(shares, "region_patients_ongoing_violence_2018"),
              "Personer med pågående våldsutsatthet 2018 i Region Sörmland")


# --- what the text says in words --------------------------------------------------------------

def check_prose_claims(munis: pd.DataFrame, counts: pd.DataFrame) -> None:
    """Raise if the data no longer support what the section's text says in words: the size
    classes follow population, SKR's groups cut across them (Nyköping and Katrineholm share a
    group; Strängnäs shares one with Gnesta and Trosa), and per municipality the smaller class
    lists no more areas than the other classes."""
    if not classes_follow_population(munis):
        raise ValueError("the size classes no longer follow 2019 population; revise _sormland.qmd")
    group = dict(zip(munis["kommun"], munis["kommungrupp_2017"]))
    if group["Nyköping"] != group["Katrineholm"] or not group["Strängnäs"] == group["Gnesta"] == group["Trosa"]:
        raise ValueError(f"SKR kommungrupp differs from what _sormland.qmd says: {group}")
    per_muni = counts.set_index("size_class")["per_muni_all"]
    if per_muni["smaller"] > min(per_muni["larger"], per_muni["medium"]):
        raise ValueError("the smaller class now lists more areas per municipality; revise the texts")


# --- build ------------------------------------------------------------------------------------

def build(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    raw = source_tables(config)
    reference = pipeline.load_reference(config, paths.ROOT)
    numbers = ReportNumbers(SECTION)

    munis = size_class_municipalities(raw["municipalities"], reference)
    tables.save("tbl-sorm-kommuner", size_class_table(munis),
                "Södermanlands kommuner efter rapportens storleksgrupper, med folkmängd 31 december 2019 "
                "(SCB) och SKR:s kommungrupp 2017. Rapporten anger bara gruppernas medlemmar, inte "
                "folkmängd eller gränser.",
                assets_dir, source_refs=[*munis["source_ref"], REFERENCE_REF], right_align=("Folkmängd 2019",),
                widths=(2.0, 1.3, 1.1, 3.6))

    cooperation, details = raw["lansdel_cooperation"], raw["lansdel_cooperation_details"]
    tables.save("tbl-sorm-lansdelar", lansdel_table(cooperation, details),
                "Länsdelssamverkan i Södermanland 2019, som i rapportens tabell. Kallande = kommunen som "
                "kallar till länsdelens träffar. \"(ej angivet)\": cellen är tom i rapporten.",
                assets_dir, source_refs=[*cooperation["source_ref"], *details["source_ref"]],
                widths=(1.0, 1.5, 1.7, 1.8, 1.9, 2.3))

    areas = raw["development_areas"]
    area_refs = sorted(set(areas["source_ref"]) | set(munis["source_ref"]))
    counts = development_area_counts(results["breakdowns"])
    check_prose_claims(munis, counts)
    figures.save(development_areas_figure(counts, area_refs), assets_dir)
    tables.save("tbl-sorm-omraden", domain_frame(results["breakdowns"], areas),
                "Angivna utvecklingsområden per rubrik i rapportens tabell och storleksgrupp: n av N, där "
                "N är antalet områden under rubriken. Ett område som inte angavs för en grupp är inte "
                "detsamma som att det inte behövs där.",
                assets_dir, source_refs=area_refs,
                right_align=("Områden (N)", *breakdowns.SIZE_CLASSES.values()), widths=(2.6, 1.2, 1.3, 1.3, 1.3))

    add_numbers(numbers, results, munis, counts, areas["source_ref"].iloc[0])
    numbers.write(assets_dir)
