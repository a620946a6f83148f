"""Report content for Dalarna 2020: Region Dalarna's group interviews in all 15 municipalities
(2019) and the baseline survey of the county's länsgrupp.

The interview results are coded from the report's text: a municipality is `yes` for a practice
only where the report names it for that practice, mostly as a good example. There is no `no`
in the data; everything else is `not_reported`, which is not "no". Counts of `yes` are therefore
lower bounds ("minst n av 15"), and the grid cannot be used to compare municipalities. The
breakdown by SKR kommungrupp and population band belongs to the Kommunstorlek section.
"""
import textwrap
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import figures, paths, sources, swedish, tables, source_loader
from ..io import read_raw_csv
from ..report_vars import ReportNumbers, save_missing_note

SOURCE = "dalarna_2020"
SECTION = "dalarna"
SOURCE_LINE = ("Källa: Region Dalarna (2020), gruppintervjuer 2019 i länets samtliga kommuner; "
               "kodning av rapportens text (data/raw/dalarna_2020).")
STATUS_STYLE = {  # status → (value in the grid, colour, legend text, cell text)
    "not_reported": (0, "#E3E3E3", "Inte rapporterat (inte detsamma som nej)", ""),
    "yes": (1, figures.PALETTE[0], "Ja: rapporten anger det för kommunen", "Ja"),
    "no": (2, figures.PALETTE[4], "Nej: uttryckligen i rapporten", "Nej"),
}
# The statements of group_statements.csv shown in the report: (seed_line, quantifier as printed),
# one or two per interview theme, chosen for saying most about the municipalities' work.
SELECTED_STATEMENTS = [
    (407, "de flesta"), (411, "några"), (430, "det vanligast[e]"), (438, "i stort sett alla"),
    (472, "en del"), (474, "flera"), (499, "de flesta"), (513, "de flesta"), (578, "alla"),
    (611, "alla"), (635, "flera"), (969, "de flesta"),
]


# --- inputs ---------------------------------------------------------------------------------

def source_tables(config: dict, root: Path = paths.ROOT) -> dict[str, pd.DataFrame]:
    """The transcribed tables of dalarna_2020, read through the configured inputs."""
    return source_loader.load_source_tables(SOURCE, config["sources"][SOURCE], root)


def theme_labels(config: dict, root: Path = paths.ROOT) -> dict[str, str]:
    """{theme code: Swedish label} from the source's codebook (group_statements.csv lists them all);
    empty when the inputs come without one (the theme ids are shown then)."""
    path = sources.codebook_beside(config["sources"][SOURCE], root)
    if path is None:
        return {}
    codebook = read_raw_csv(path)
    rows = codebook[(codebook["file"] == "group_statements.csv") & (codebook["column"] == "theme")
                    & codebook["code"].notna()]
    return dict(zip(rows["code"], rows["label_sv"]))


def count_row(shares: pd.DataFrame, indicator: str, category: str = "yes", group: str = "all") -> pd.Series:
    """The one shares row of an indicator/category/group of this source; raises if absent."""
    rows = shares[(shares["source"] == SOURCE) & (shares["indicator"] == indicator)
                  & (shares["category"] == category) & (shares["group"] == group)]
    if len(rows) != 1:
        raise KeyError(f"{SOURCE}: expected one shares row {indicator}/{category}/{group}, found {len(rows)}")
    return rows.iloc[0]


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
        rows.append({"code": code.code, "theme": code.theme, "label_sv": code.label_sv,
                     "n_yes": len(named), "n_no": int((cells["status"] == "no").sum()), "N": N,
                     "kommuner": named})
    return pd.DataFrame(rows)


def municipality_order(coding: pd.DataFrame) -> list[str]:
    """Municipalities named most often first, then alphabetical; never-named ones last."""
    yes = (coding["status"] == "yes").groupby(coding["kommun"]).sum()
    return sorted(yes.index, key=lambda k: (-int(yes[k]), k))


def wrap(text: str, width: int = 38) -> str:
    """Plotly line breaks for a long label; words are kept whole, and a '/' may end a line."""
    lines = textwrap.wrap(text.replace("/", "/ "), width, break_long_words=False)
    return "<br>".join(line.replace("/ ", "/") for line in lines)


def coding_grid_figure(coding: pd.DataFrame, summary: pd.DataFrame, themes: dict[str, str]) -> figures.ReportFigure:
    """Heatmap municipality × code: dark blue 'Ja' where the report names the municipality for the
    practice, neutral light grey where it is not reported; each code's label says 'minst n av N'."""
    order = municipality_order(coding)
    status = coding.pivot(index="code", columns="kommun", values="status").reindex(index=summary["code"], columns=order)
    evidence = coding.pivot(index="code", columns="kommun", values="evidence").reindex(index=summary["code"], columns=order)
    N = int(summary["N"].iloc[0])
    y = [f"{wrap(row.label_sv)} <b>(minst {swedish.number(row.n_yes)} av {swedish.number(N)})</b>"
         for row in summary.itertuples()]
    z = status.apply(lambda col: col.map(lambda s: STATUS_STYLE[s][0])).to_numpy()
    text = status.apply(lambda col: col.map(lambda s: STATUS_STYLE[s][3])).to_numpy()
    hover = [[f"{kommun}: {STATUS_STYLE[s][2]}" + (f"<br>{wrap(str(e), 60)}" if isinstance(e, str) and e else "")
              for kommun, s, e in zip(order, status.loc[code], evidence.loc[code])] for code in summary["code"]]
    top = len(STATUS_STYLE) - 1
    scale = []
    for status_name, (value, colour, _, _) in sorted(STATUS_STYLE.items(), key=lambda item: item[1][0]):
        scale += [[value / (top + 1), colour], [(value + 1) / (top + 1), colour]]
    fig = go.Figure(go.Heatmap(
        z=z, x=order, y=y, text=text, texttemplate="%{text}", textfont=dict(color="white", size=12),
        customdata=hover, hovertemplate="%{customdata}<extra></extra>", colorscale=scale,
        zmin=-0.5, zmax=top + 0.5, showscale=False, xgap=2, ygap=2,
    ))
    present = set(coding["status"])
    for status_name, (_, colour, legend, _) in STATUS_STYLE.items():
        if status_name in present:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=legend,
                                     marker=dict(symbol="square", size=14, color=colour,
                                                 line=dict(color="#555555", width=1))))
    # separators between the interview themes, and the theme names on the right
    boundaries = summary.index[summary["theme"] != summary["theme"].shift()].tolist()
    for start, end in zip(boundaries, boundaries[1:] + [len(summary)]):
        if start:
            fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=start - 0.5, y1=start - 0.5,
                          line=dict(color="#222222", width=1.5))
        fig.add_annotation(xref="paper", x=1.01, xanchor="left", yref="y", y=(start + end - 1) / 2,
                           text=wrap(themes.get(summary["theme"].iloc[start], summary["theme"].iloc[start]), 14),
                           showarrow=False, font=dict(size=12, color="#444444"), align="left")
    figures.base_layout(fig, height=170 + 34 * len(summary))
    fig.update_layout(showlegend=True, legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", xanchor="left"),
                      margin=dict(l=10, r=105, t=40, b=10), plot_bgcolor="white")
    fig.update_xaxes(side="top", tickangle=-60, showline=False, ticks="", tickfont=dict(size=13))
    fig.update_yaxes(autorange="reversed", showline=False, ticks="", tickfont=dict(size=12))
    fig.update_xaxes(side="bottom")
    n_yes = int((coding["status"] == "yes").sum())
    named = [k for k in order if (coding.loc[coding["kommun"] == k, "status"] == "yes").any()]
    never = [k for k in order if k not in named]
    top = summary[summary["n_yes"] == summary["n_yes"].max()]
    alt = (f"Rutnät med {swedish.number(len(order))} kommuner och {swedish.number(len(summary))} praktiker. "
           f"{swedish.number(n_yes)} av {swedish.number(coding.shape[0])} rutor är mörkblå (Ja: rapporten anger "
           f"praktiken för kommunen), övriga ljusgrå (inte rapporterat, inte nej); inga rutor är nej. "
           f"{swedish.number(len(named))} kommuner nämns, flest gånger {order[0]}; "
           f"{swedish.number(len(never))} nämns aldrig ({', '.join(sorted(never))}). Flest kommuner, minst "
           f"{swedish.number(top['n_yes'].iloc[0])} av {swedish.number(N)}, nämns för: "
           f"{'; '.join(label.lower() for label in top['label_sv'])}.")
    return figures.ReportFigure(
        id="fig-dal-kodning",
        figure=fig,
        caption=(f"Praktiker som rapporten tillskriver namngivna kommuner, efter intervjutema. Mörkblå ruta "
                 f"(Ja): rapporten anger praktiken för kommunen. Neutral ljusgrå ruta: inte rapporterat, vilket "
                 f"inte betyder att kommunen saknar praktiken; rapporten säger aldrig uttryckligen att en kommun "
                 f"inte har något, så ingen ruta är nej. Antalet per praktik är därför en nedre gräns (minst n "
                 f"av {swedish.number(N)}). Kommunerna nämns mest som goda exempel: rutnätet jämför inte kommuner."),
        alt=alt,
        source=SOURCE_LINE,
        source_refs=tuple(coding["source_ref"]),
    )


def code_table(summary: pd.DataFrame, themes: dict[str, str]) -> pd.DataFrame:
    """Formatted: theme (first row of each), practice, the municipalities named, 'minst n av N'."""
    theme = summary["theme"].map(lambda t: themes.get(t, t))
    return pd.DataFrame({
        "Tema": theme.where(summary["theme"] != summary["theme"].shift(), ""),
        "Praktik": summary["label_sv"],
        "Kommuner som rapporten nämner": summary["kommuner"].map(", ".join),
        "Antal kommuner": [f"minst {swedish.count_of(n, N)}".replace(" ", swedish.NBSP)
                           for n, N in zip(summary["n_yes"], summary["N"])],
    })


# --- the group statements ---------------------------------------------------------------------

def selected_statements(statements: pd.DataFrame, selection=SELECTED_STATEMENTS) -> pd.DataFrame:
    """The chosen rows of group_statements.csv, in the order of the report's themes; raises if a
    chosen (seed_line, quantifier) is missing or ambiguous."""
    lines = pd.to_numeric(statements["seed_line"])
    picked = []
    for line, quantifier in selection:
        match = statements[(lines == line) & (statements["quantifier"] == quantifier)]
        if len(match) != 1:
            raise KeyError(f"group_statements: {len(match)} rows for line {line}, quantifier {quantifier!r}")
        picked.append(match.index[0])
    return statements.loc[picked].reset_index(drop=True)


def statements_table(chosen: pd.DataFrame, themes: dict[str, str]) -> pd.DataFrame:
    theme = chosen["theme"].map(lambda t: themes.get(t, t))
    return pd.DataFrame({
        "Tema": theme.where(chosen["theme"] != chosen["theme"].shift(), ""),
        "Kvantor (som tryckt)": chosen["quantifier"],
        "Påstående i rapporten": chosen["statement"],
    })


# --- numbers for the prose --------------------------------------------------------------------

def add_numbers(numbers: ReportNumbers, results: dict, raw: dict, summary: pd.DataFrame) -> None:
    """Every number the Dalarna text and summary use."""
    shares = results["shares"]
    coding = raw["coding"]
    if "municipalities" in raw:
        add_municipality_numbers(numbers, raw["municipalities"])
    else:
        for name, description in MUNICIPALITY_NUMBERS.items():
            numbers.add_missing(name, description, SOURCE, "municipalities")
    add_coding_numbers(numbers, coding, summary)
    add_count_numbers(numbers, shares)


MUNICIPALITY_NUMBERS = {
    "municipalities_N": "Kommuner i Dalarnas län (kodningens rader)",
    "interviewed_n": "Kommuner som intervjuades ('Samtliga kommuner besöktes')",
    "named_n": "Kommuner som rapporten nämner vid namn",
    "never_named_n": "Kommuner som rapporten aldrig nämner vid namn",
    "never_named_list": "De kommuner som aldrig nämns",
}


def add_municipality_numbers(numbers: ReportNumbers, munis: pd.DataFrame) -> None:
    """The numbers of the municipalities table (published inputs only)."""
    interviewed = munis[munis["interviewed"] == "yes"]
    numbers.add("municipalities_N", swedish.number(len(munis)), "Kommuner i Dalarnas län (kodningens rader)",
                munis["source_ref"].iloc[0])
    numbers.add("interviewed_n", swedish.number(len(interviewed)), "Kommuner som intervjuades ('Samtliga kommuner besöktes')",
                interviewed.loc[interviewed["interviewed_seed_line"].notna(), "source_ref"].iloc[0])
    named = munis[munis["named_in_report"] == "yes"]
    numbers.add("named_n", swedish.number(len(named)), "Kommuner som rapporten nämner vid namn", named["source_ref"].iloc[0])
    never = munis[munis["named_in_report"] != "yes"]
    numbers.add("never_named_n", swedish.number(len(never)), "Kommuner som rapporten aldrig nämner vid namn",
                never["source_ref"].iloc[0])
    numbers.add("never_named_list", ", ".join(sorted(never["kommun"])[:-1]) + " och " + sorted(never["kommun"])[-1],
                "De kommuner som aldrig nämns", never["source_ref"].iloc[0])


def add_coding_numbers(numbers: ReportNumbers, coding: pd.DataFrame, summary: pd.DataFrame) -> None:
    """The numbers of the coding grid (published coding table or a coding sheet)."""
    yes = coding[coding["status"] == "yes"]
    numbers.add("codes_N", swedish.number(len(summary)), "Koder (praktiker) i kodningen", yes["source_ref"].iloc[0])
    numbers.add("cells_N", swedish.number(len(coding)), "Rutor i kodningen (kommuner × koder)", yes["source_ref"].iloc[0])
    numbers.add("cells_yes_n", swedish.number(len(yes)), "Rutor med Ja", yes["source_ref"].iloc[0])
    numbers.add("cells_no_n", swedish.number(int((coding["status"] == "no").sum())), "Rutor med uttryckligt nej",
                yes["source_ref"].iloc[0])
    top = yes["kommun"].value_counts()
    numbers.add("most_named", top.index[0], "Kommunen som nämns för flest praktiker",
                yes.loc[yes["kommun"] == top.index[0], "source_ref"].iloc[0])
    numbers.add("most_named_n", swedish.number(top.iloc[0]), "Antal praktiker för den oftast nämnda kommunen",
                yes.loc[yes["kommun"] == top.index[0], "source_ref"].iloc[0])
    for row in summary.itertuples():
        cells = yes if (yes["code"] == row.code).any() else coding  # a code no municipality has: its cells
        ref = cells.loc[cells["code"] == row.code, "source_ref"].iloc[0]
        numbers.add(f"{row.code}_n", swedish.number(row.n_yes), f"Minst antal kommuner med: {row.label_sv}", ref)


# The counts.csv numbers of the text: variable → (indicator, description).
COUNT_NUMBERS = {
    "baseline_n": ("baseline_survey_municipalities_answered", "Kommuner som besvarade baskartläggningens enkät"),
    "agreement_n": ("joint_coordinator_agreement_municipalities",
                    "Kommuner med samverkansavtal om gemensamma samordnare"),
    "agreement_coordinators_n": ("agreement_full_time_coordinators",
                                 "Strategiska samordnare på heltid inom samverkansavtalet"),
    "other_coordinator_min": ("other_coordinator_position_percent",
                              "Minsta tryckta andel av tjänsten för samordnare i andra kommuner"),
    "other_coordinator_max": ("other_coordinator_position_percent",
                              "Största tryckta andel av tjänsten för samordnare i andra kommuner"),
    "falun_coordinator": ("falun_care_admin_coordinator_percent",
                          "Falun: samordnare för omvårdnadsförvaltningen, andel av tjänst"),
    "falun_ombud_n": ("falun_care_admin_model", "Falun: ombud ute i omvårdnadens verksamheter"),
    "skr_project_n": ("skr_follow_up_project_municipalities", "Kommuner i SKR:s projekt om systematisk uppföljning 2020"),
}


def add_count_numbers(numbers: ReportNumbers, shares: pd.DataFrame) -> None:
    """The counts.csv numbers; all "uppgift saknas" when the inputs have no counts (a coding sheet)."""
    present = set(shares.loc[shares["source"] == SOURCE, "indicator"])
    absent = {name: spec for name, spec in COUNT_NUMBERS.items() if spec[0] not in present}
    for name, (indicator, description) in absent.items():
        numbers.add_missing(name, description, SOURCE, indicator)
    if absent:  # a coding sheet has no counts; partial counts are not a case the text is written for
        if len(absent) != len(COUNT_NUMBERS):
            raise KeyError(f"{SOURCE}: counts of {sorted(n for n in COUNT_NUMBERS if n not in absent)} are given, "
                           f"but not of {sorted(absent)}: give all or none")
        return
    survey = count_row(shares, "baseline_survey_municipalities_answered")
    numbers.add("baseline_n", swedish.number(survey["n"]), "Kommuner som besvarade baskartläggningens enkät", survey["source_ref"])
    agreement = count_row(shares, "joint_coordinator_agreement_municipalities")
    numbers.add("agreement_n", swedish.number(agreement["n"]), "Kommuner med samverkansavtal om gemensamma samordnare",
                agreement["source_ref"])
    coordinators = count_row(shares, "agreement_full_time_coordinators", group="mora_orsa_malung_salen_vansbro")
    numbers.add("agreement_coordinators_n", swedish.number(coordinators["n"]),
                "Strategiska samordnare på heltid inom samverkansavtalet", coordinators["source_ref"])
    other = shares[(shares["source"] == SOURCE) & (shares["indicator"] == "other_coordinator_position_percent")]
    numbers.add("other_coordinator_min", swedish.percent(other["published"].min(), 0),
                "Minsta tryckta andel av tjänsten för samordnare i andra kommuner", other["source_ref"].iloc[0])
    numbers.add("other_coordinator_max", swedish.percent(other["published"].max(), 0),
                "Största tryckta andel av tjänsten för samordnare i andra kommuner", other["source_ref"].iloc[0])
    falun = count_row(shares, "falun_care_admin_coordinator_percent", group="falun")
    numbers.add("falun_coordinator", swedish.percent(falun["published"], 0),
                "Falun: samordnare för omvårdnadsförvaltningen, andel av tjänst", falun["source_ref"])
    ombud = count_row(shares, "falun_care_admin_model", "ombud", group="falun")
    numbers.add("falun_ombud_n", swedish.number(ombud["n"]), "Falun: ombud ute i omvårdnadens verksamheter", ombud["source_ref"])
    project = count_row(shares, "skr_follow_up_project_municipalities")
    numbers.add("skr_project_n", swedish.number(project["n"]),
                "Kommuner i SKR:s projekt om systematisk uppföljning 2020", project["source_ref"])


# --- what the text says in words --------------------------------------------------------------

# Statements in report/sections/_dalarna.qmd that name municipalities (names are words, not
# variables): code → the municipalities the text names for it.
NAMED_IN_TEXT = {
    "joint_coordinator_agreement": ["Malung-Sälen", "Mora", "Orsa", "Vansbro"],
    "perpetrator_expertise": ["Falun", "Ludvika"],
    "violence_unit": ["Borlänge", "Falun"],
}


def check_prose_claims(summary: pd.DataFrame, coding: pd.DataFrame) -> None:
    """Raise if the data no longer support what the section's text says in words: no cell is an
    explicit 'no', and the municipalities named for a practice."""
    if (coding["status"] == "no").any():
        raise ValueError("coding.csv now has 'no' cells: the text and figure caption of the Dalarna "
                         "section say there are none; revise report/sections/_dalarna.qmd")
    named = dict(zip(summary["code"], summary["kommuner"]))
    for code, expected in NAMED_IN_TEXT.items():
        if named.get(code) != expected:
            raise ValueError(f"the Dalarna text names {expected} for {code!r}, the data {named.get(code)}")


# --- build ------------------------------------------------------------------------------------

def build(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    raw = source_tables(config)
    themes = theme_labels(config)
    numbers = ReportNumbers(SECTION)
    coding, codes = raw["coding"], raw["codes"]
    summary = code_summary(coding, codes)
    if sources.is_published(config["sources"][SOURCE]):
        # the text's words describe the published coding; an own coding sheet is not checked against them
        check_prose_claims(summary, coding)

    figures.save(coding_grid_figure(coding, summary, themes), assets_dir)
    tables.save("tbl-dal-koder", code_table(summary, themes),
                "Praktiker som rapporten tillskriver namngivna kommuner, med antalet kommuner som en nedre "
                "gräns: en kommun som inte nämns för en praktik kan ändå ha den.",
                assets_dir, source_refs=[*codes["source_ref"], *coding.loc[coding["status"] == "yes", "source_ref"]],
                right_align=("Antal kommuner",), widths=(1.6, 2.4, 2.1, 1.1))

    if "group_statements" in raw:
        statements = raw["group_statements"]
        chosen = selected_statements(statements)
        tables.save("tbl-dal-pastaenden", statements_table(chosen, themes),
                    f"Urval av {swedish.number(len(chosen))} av rapportens {swedish.number(len(statements))} "
                    f"påståenden om grupper av kommuner, efter tema. Kvantorn är rapportens ord, inget antal; "
                    f"samtliga påståenden finns i data/raw/dalarna_2020/group_statements.csv.",
                    assets_dir, source_refs=chosen["source_ref"], widths=(1.4, 1.2, 3.4))
        numbers.add("statements_shown_n", swedish.number(len(chosen)), "Påståenden som visas i tabellen",
                    chosen["source_ref"].iloc[0])
        numbers.add("statements_N", swedish.number(len(statements)), "Påståenden om grupper av kommuner i rapporten",
                    statements["source_ref"].iloc[0])
    else:  # an interview coding sheet has no group statements
        save_missing_note("tbl-dal-pastaenden", "Påståenden om grupper av kommuner", assets_dir, SOURCE,
                          ["group_statements"])
        numbers.add_missing("statements_shown_n", "Påståenden som visas i tabellen", SOURCE, "group_statements")
        numbers.add_missing("statements_N", "Påståenden om grupper av kommuner i rapporten", SOURCE, "group_statements")

    add_numbers(numbers, results, raw, summary)
    numbers.write(assets_dir)
