"""Report content for Stockholm 2008: the survey of all 39 units (25 municipalities + 14 Stockholm
city districts). A census: shares are reported as n/N without sampling intervals.

The transcription leaves N empty where the report's sentence states no base (data/raw/CONVENTIONS.md).
Every unit answered and there is one respondent per unit, so for the figures about the units or
their respondents this section takes N = all units surveyed (the *census base*, `base_basis =
"census"`), and checks that every printed percent fits that base. Figures whose base is unclear
in the source (contents of the reviewed action plans, the women's training types, the "sex"
partners of men's cooperation) get no base and no share.
"""
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import figures, shares as share_math, sources, swedish, tables
from ..report_vars import (MISSING_TEXT, ReportNumbers, is_missing, missing_caption, missing_ref, or_missing,
                           save_missing_note, used_variables)

SOURCE = "stockholm_2008"
SOURCE_LINE = "Källa: Länsstyrelsen i Stockholms län (2008), telefonintervjuer med socialtjänsten i länets 39 kommuner och stadsdelar."
SECTION = "stockholm"


@dataclass(frozen=True)
class Item:
    """One figure of the source used in the section: a shares row and the names it gets here."""

    name: str  # variable stem: stockholm.<name>_n, _share, _published, _N …
    indicator: str
    category: str
    label: str = ""  # short Swedish label for the key-indicator table ("" = not in the table)
    area: str = ""  # the table's group
    census_base: bool = True  # N = all units surveyed where the sentence states no base
    base_marker: str = ""  # table footnote on N (its base is derived in the transcription)


ORG, WOMEN, CHILDREN, MEN, HRV, COOP = ("Organisation", "Våldsutsatta kvinnor", "Barn som bevittnat våld",
                                       "Män som utövar våld", "Hedersrelaterat våld", "Samverkan")

ITEMS = (
    # the survey
    Item("units_municipalities", "units_surveyed", "municipality"),
    Item("units_districts", "units_surveyed", "city_district"),
    Item("resp_managers", "respondent_role", "unit_manager"),
    Item("resp_coordinators", "respondent_role", "coordinator"),
    Item("resp_caseworkers", "respondent_role", "caseworker"),
    Item("resp_women", "respondent_gender", "female"),
    Item("resp_men", "respondent_gender", "male"),
    # organisation
    Item("coordinator", "coordinator_exists", "yes", "Person med samordningsansvar för kvinnofrid", ORG),
    Item("coordinator_ifo", "coordinator_in_ifo", "yes"),
    Item("plan_current", "action_plan_status", "current_plan", "Aktuell handlingsplan", ORG),
    Item("plan_old", "action_plan_status", "old_or_incomplete_plan"),
    Item("plan_none", "action_plan_status", "no_plan"),
    Item("plan_updated", "action_plan_fully_updated", "yes", census_base=False),
    Item("plan_vulnerable", "action_plan_contents", "vulnerable_groups", census_base=False),
    Item("plan_men", "action_plan_contents", "men_who_use_violence", census_base=False),
    Item("plan_hrv", "action_plan_contents", "honour_violence", census_base=False),
    Item("plan_coop", "action_plan_contents", "cooperation", census_base=False),
    Item("stats_yes", "overall_statistics", "yes", "Övergripande statistik över våldsärenden", ORG),
    Item("stats_no", "overall_statistics", "no"),
    Item("stats_municipalities", "overall_statistics_by_type", "municipality"),
    Item("stats_districts", "overall_statistics_by_type", "city_district"),
    # how social services learn of cases
    Item("women_police", "women_learned_via", "police"),
    Item("women_self_report", "women_learned_via", "self_report"),
    Item("women_other_unit", "women_learned_via", "other_unit"),
    Item("children_police", "children_learned_via", "police"),
    Item("children_parents", "children_learned_via", "parents"),
    Item("children_other_unit", "children_learned_via", "other_unit"),
    Item("men_police", "men_learned_via", "police"),
    Item("men_victim", "men_learned_via", "victim"),
    Item("hrv_police", "hrv_learned_via", "police"),
    Item("hrv_self_report", "hrv_learned_via", "self_report"),
    # women
    Item("women_lacking", "women_support_lacking_entirely", "yes"),
    Item("women_financial", "women_support_available", "financial_assistance"),
    Item("women_counselling", "women_support_available", "own_counselling", "Egna stödsamtal", WOMEN),
    Item("women_shelter", "women_support_available", "womens_shelter_in_unit"),
    Item("women_buys_housing", "women_support_available", "buys_housing_elsewhere"),
    Item("women_sufficient", "women_support_sufficient", "sufficient", "Insatserna räcker: tillräckligt", WOMEN),
    Item("women_partly", "women_support_sufficient", "partly", "Insatserna räcker: delvis", WOMEN),
    Item("women_not", "women_support_sufficient", "not_sufficient", "Insatserna räcker: inte", WOMEN),
    Item("women_precond", "women_preconditions_good", "good"),
    Item("women_precond_not", "women_preconditions_good", "not_good"),
    Item("women_training", "women_training_offered", "yes", "Fortbildning erbjuden", WOMEN),
    Item("women_training_multiday", "women_training_type", "multi_day", census_base=False),
    Item("women_training_fullday", "women_training_type", "full_day", census_base=False),
    Item("women_training_lectures", "women_training_type", "single_lectures", census_base=False),
    Item("women_training_ngo", "women_training_ngo_invited", "yes"),
    Item("women_detect", "women_routines_detection", "yes", "Skriftliga rutiner för upptäckt", WOMEN),
    Item("women_handle", "women_routines_handling", "yes", "Skriftliga rutiner för handläggning", WOMEN),
    # special groups (women)
    Item("focus_substance", "women_special_focus", "substance_abuse"),
    Item("focus_honour", "women_special_focus", "honour_culture_and_under_18"),
    Item("focus_ethnic", "women_special_focus", "other_ethnic_background"),
    Item("focus_disability", "women_special_focus", "disability"),
    Item("focus_older", "women_special_focus", "older_and_same_sex"),
    # children who witnessed violence
    Item("children_lacking", "children_support_lacking_entirely", "yes"),
    Item("children_counselling", "children_support_available", "individual_counselling", "Individuella stödsamtal för barnet", CHILDREN),
    Item("children_sheltered", "children_support_available", "sheltered_housing"),
    Item("children_sufficient", "children_support_sufficient", "sufficient", "Insatserna räcker: tillräckligt", CHILDREN),
    Item("children_partly", "children_support_sufficient", "partly", "Insatserna räcker: delvis", CHILDREN),
    Item("children_not", "children_support_sufficient", "not_sufficient", "Insatserna räcker: inte", CHILDREN),
    Item("children_precond", "children_preconditions_good", "good"),
    Item("children_precond_not", "children_preconditions_good", "not_or_partly_good"),
    Item("children_training", "children_training_offered", "yes", "Fortbildning erbjuden", CHILDREN),
    Item("children_trappan", "children_training_type", "trappan"),
    Item("children_seminars", "children_training_type", "seminars_and_lectures"),
    Item("children_training_ngo", "children_training_ngo_invited", "yes"),
    Item("children_detect", "children_routines_detection", "exists", "Skriftliga rutiner för upptäckt", CHILDREN),
    Item("children_detect_not", "children_routines_detection", "not_exists"),
    Item("children_handle", "children_routines_handling", "exists", "Skriftliga rutiner för handläggning", CHILDREN),
    Item("children_handle_not", "children_routines_handling", "not_exists"),
    # men who use violence
    Item("men_sometimes_victim", "men_sometimes_learned_via", "victim"),
    Item("men_lacking", "men_support_lacking_entirely", "yes"),
    Item("men_counselling", "men_support_available", "individual_counselling", "Individuella stödsamtal", MEN),
    Item("men_centre", "men_support_available", "mens_crisis_centre"),
    Item("men_sufficient", "men_support_sufficient", "sufficient", "Insatserna räcker: tillräckligt", MEN),
    Item("men_gap_housing", "men_support_gaps", "housing"),
    Item("men_gap_therapy", "men_support_gaps", "therapy_treatment"),
    Item("men_gap_centre", "men_support_gaps", "mens_centre_network"),
    Item("men_gap_other", "men_support_gaps", "other"),
    Item("men_precond", "men_preconditions_good", "good"),
    Item("men_precond_not", "men_preconditions_good", "not_or_partly_good"),
    Item("men_training", "men_training_offered", "yes"),
    Item("men_training_ngo", "men_training_ngo_invited", "yes"),
    # honour-related violence
    Item("hrv_lacking", "hrv_support_lacking", "yes", "Saknar stöd och insatser för HRV", HRV),
    Item("hrv_counselling", "hrv_support_available", "individual_counselling",
         "Individuella stödsamtal (av övriga enheter)", HRV, base_marker="b"),
    Item("hrv_sheltered", "hrv_support_available", "sheltered_housing"),
    Item("hrv_sufficient", "hrv_support_sufficient", "sufficient", "Insatserna räcker: tillräckligt", HRV),
    Item("hrv_gap_sheltered", "hrv_support_gaps", "sheltered_housing_and_group_talks"),
    Item("hrv_precond", "hrv_preconditions_good", "good"),
    Item("hrv_precond_not", "hrv_preconditions_good", "not_quite_good"),
    Item("hrv_training_all", "hrv_training_offered", "all_staff"),
    Item("hrv_training_some", "hrv_training_offered", "some_staff"),
    Item("hrv_training_ngo", "hrv_training_ngo_invited", "yes"),
    Item("hrv_detect_lacking", "hrv_routines_detection_lacking", "yes",
         "Saknar rutiner för upptäckt (eller inte för alla)", HRV),
    Item("hrv_handle_lacking", "hrv_routines_handling_lacking", "yes"),
    Item("hrv_confid_lacking", "hrv_confidentiality_guidelines_lacking", "yes"),
    # cooperation
    Item("int_wc", "internal_coop_women_children", "yes", "Intern samverkan: kvinnor och barn", COOP),
    Item("int_men", "internal_coop_men", "yes"),
    Item("int_hrv", "internal_coop_hrv", "yes"),
    Item("int_hrv_partly", "internal_coop_hrv", "partly"),
    Item("int_confid_lacking", "internal_confidentiality_routines_lacking", "yes", census_base=False),
    Item("ext_wc_none", "external_coop_women_children", "none"),
    Item("ext_wc_police", "external_coop_women_children_partners", "police"),
    Item("ext_wc_ngos", "external_coop_women_children_partners", "ngos"),
    Item("ext_wc_county", "external_coop_women_children_partners", "county_council"),
    Item("ext_wc_munis", "external_coop_women_children_partners", "other_municipalities"),
    Item("ext_wc_victim", "external_coop_women_children_partners", "victim_support"),
    Item("ext_men", "external_coop_men", "yes"),
    Item("ext_men_police", "external_coop_men_partners", "police"),
    Item("ext_men_ngos", "external_coop_men_partners", "ngos"),
    Item("ext_men_munis", "external_coop_men_partners", "other_municipalities"),
    Item("ext_men_county", "external_coop_men_partners", "county_council"),
    Item("ext_men_prison", "external_coop_men_partners", "prison_probation_and_victim_support", census_base=False),
    Item("ext_hrv_none", "external_coop_hrv", "none", "Ingen extern samverkan: HRV", COOP),
    Item("ext_hrv_police", "external_coop_hrv_partners", "police"),
    Item("ext_hrv_ngo_county", "external_coop_hrv_partners", "ngos_and_county_council"),
    Item("ext_hrv_munis", "external_coop_hrv_partners", "other_municipalities"),
    Item("ext_confid_lacking", "external_confidentiality_routines_lacking", "yes", census_base=False),
)

# Figure: organisation and written routines, as shares of all units (sorted in the figure).
ORGANISATION_FIGURE = {
    "coordinator": "Person med samordningsansvar för kvinnofrid",
    "plan_current": "Aktuell handlingsplan inom socialtjänsten",
    "stats_yes": "Övergripande statistik över ärenden med våld",
    "women_detect": "Skriftliga rutiner för upptäckt: våldsutsatta kvinnor",
    "women_handle": "Skriftliga rutiner för handläggning: våldsutsatta kvinnor",
    "children_detect": "Skriftliga rutiner för upptäckt: barn som bevittnat våld",
    "children_handle": "Skriftliga rutiner för handläggning: barn som bevittnat våld",
}

# Figure: are the interventions sufficient? Missing answers are shown as such, never as "no".
SUFFICIENCY_GROUPS = {"women": ("women_support_sufficient", WOMEN), "children": ("children_support_sufficient", CHILDREN)}
MISSING = "missing"
SUFFICIENCY_ANSWERS = {"sufficient": "Tillräckligt", "partly": "Delvis tillräckligt",
                       "not_sufficient": "Inte tillräckligt", MISSING: "Uppgift saknas"}
SUFFICIENCY_STYLES = (
    figures.AnswerStyle(figures.PALETTE[0]),  # dark blue
    figures.AnswerStyle(figures.PALETTE[3], text_color="#222222"),  # light blue
    figures.AnswerStyle(figures.PALETTE[4], pattern="/"),  # vermillion, hatched
    figures.AnswerStyle("#FFFFFF", text_color="#222222", pattern=".", pattern_color="#BBBBBB"),  # white, dotted
)

# The answer sets whose printed counts do not add up to the base (data/raw/stockholm_2008/README.md).
PRECONDITION_INDICATORS = {"women": "women_preconditions_good", "children": "children_preconditions_good",
                           "men": "men_preconditions_good", "hrv": "hrv_preconditions_good"}


# --- rows ------------------------------------------------------------------------------------

def source_rows(shares: pd.DataFrame) -> pd.DataFrame:
    """The Stockholm 2008 rows of the shares table."""
    rows = shares[shares["source"] == SOURCE]
    if rows.empty:
        raise KeyError(f"{SOURCE}: no rows in shares")
    return rows


def indicator_rows(shares: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """All rows of one Stockholm 2008 indicator, in the order of the source."""
    rows = shares[(shares["source"] == SOURCE) & (shares["indicator"] == indicator)]
    if rows.empty:
        raise KeyError(f"{SOURCE}: indicator {indicator!r} not in shares")
    return rows.reset_index(drop=True)


def shares_row(shares: pd.DataFrame, indicator: str, category: str) -> pd.Series:
    """The one shares row of indicator/category (all units, no breakdown)."""
    rows = indicator_rows(shares, indicator)
    rows = rows[(rows["category"] == category) & (rows["group_var"] == "all")]
    if len(rows) != 1:
        raise KeyError(f"{SOURCE}: expected one row for {indicator}/{category}, found {len(rows)}")
    return rows.iloc[0]


def has_indicator(shares: pd.DataFrame, indicator: str, category: str | None = None) -> bool:
    """Whether the inputs have the indicator (and category) at all: a build from own data may
    leave some out (data/examples/README.md)."""
    rows = shares[(shares["source"] == SOURCE) & (shares["indicator"] == indicator)]
    return not (rows if category is None else rows[rows["category"] == category]).empty


def units_total(shares: pd.DataFrame) -> int:
    """The number of units surveyed (all took part: 'Samtliga 39')."""
    row = shares_row(shares, "units_participated", "yes")
    if pd.isna(row["n"]) or pd.isna(row["N"]) or int(row["n"]) != int(row["N"]):
        raise ValueError(f"{SOURCE}: units_participated should be n = N (a census), got {row['n']}/{row['N']}")
    return int(row["N"])


def check_printed_percent(row: pd.Series, N: int) -> None:
    """Raise when the printed percent of a row does not fit n on base N (round half up at the
    printed precision): the census base would then be wrong for this row."""
    if pd.isna(row["published"]) or pd.isna(row["n"]):
        return
    printed = 100 * share_math.exact(row["published"])
    fitted = share_math.percent_of(int(row["n"]), N, share_math.printed_decimals(round(100 * row["published"], 6)))
    if fitted != printed:
        raise ValueError(f"{SOURCE} {row['indicator']}/{row['category']}: printed {float(printed):g} % does not "
                         f"fit n = {int(row['n'])} on base {N}; the census base cannot be used for it")


def item_row(shares: pd.DataFrame, item: Item, units: int, allow_missing: bool = False) -> dict:
    """One item as a plain record: the shares row, with the census base where no base is printed;
    with `allow_missing` (own inputs), an item absent from them has no numbers (`missing`) and
    points at where it should be; the published tables must have every item."""
    if allow_missing and not has_indicator(shares, item.indicator, item.category):
        return {"name": item.name, "indicator": item.indicator, "category": item.category,
                "category_label": "", "label": item.label, "area": item.area, "n": None, "n_max": None,
                "N": None, "share": None, "published": None, "published_max": None, "n_basis": "",
                "base_basis": "none", "base_marker": item.base_marker,
                "source_ref": missing_ref(SOURCE, item.indicator), "missing": True}
    row = shares_row(shares, item.indicator, item.category)
    n = None if pd.isna(row["n"]) else int(row["n"])
    N = None if pd.isna(row["N"]) else int(row["N"])
    basis = "printed" if N is not None else "none"
    if N is None and item.census_base:
        check_printed_percent(row, units)
        N, basis = units, "census"
    share = n / N if None not in (n, N) else None
    return {
        "name": item.name, "indicator": item.indicator, "category": item.category,
        "category_label": row["category_label"], "label": item.label, "area": item.area,
        "n": n, "n_max": None if pd.isna(row["n_max"]) else int(row["n_max"]), "N": N, "share": share,
        "published": None if pd.isna(row["published"]) else float(row["published"]),
        "published_max": None if pd.isna(row["published_max"]) else float(row["published_max"]),
        "n_basis": row["n_basis"], "base_basis": basis, "base_marker": item.base_marker,
        "source_ref": row["source_ref"], "missing": False,
    }


def item_frame(shares: pd.DataFrame, items=ITEMS, allow_missing: bool = False) -> pd.DataFrame:
    """All items of the section, one row each (see `item_row`), indexed by name."""
    units = units_total(shares)
    frame = pd.DataFrame([item_row(shares, item, units, allow_missing) for item in items])
    if frame["name"].duplicated().any():
        raise ValueError(f"duplicate item names: {sorted(frame.loc[frame['name'].duplicated(), 'name'])}")
    frame.index = pd.Index(frame["name"].tolist())
    return frame


def indicator_sum(shares: pd.DataFrame, indicator: str) -> tuple[int, str]:
    """Sum of the printed counts of an answer set, and its source_ref(s)."""
    rows = indicator_rows(shares, indicator)
    if rows["n"].isna().any():
        raise ValueError(f"{SOURCE} {indicator}: a category has no count, so the set cannot be summed")
    return int(rows["n"].sum()), "; ".join(sorted(rows["source_ref"].unique()))


def sufficiency_counts(shares: pd.DataFrame) -> pd.DataFrame:
    """Sufficient / partly / not sufficient per group, plus the answers missing from the printed
    set (N minus their sum) as 'Uppgift saknas', so every bar reaches N."""
    units = units_total(shares)
    records = []
    for group, (indicator, group_label) in SUFFICIENCY_GROUPS.items():
        if not has_indicator(shares, indicator):
            continue  # absent from the inputs: the group is left out (see sufficiency_figure)
        rows = indicator_rows(shares, indicator)
        bases = sorted({int(N) for N in rows["N"].dropna()})
        if len(bases) > 1:
            raise ValueError(f"{SOURCE} {indicator}: several bases {bases}")
        N = bases[0] if bases else units  # no base printed: the census base
        printed = 0
        for answer in list(SUFFICIENCY_ANSWERS)[:-1]:
            row = rows[rows["category"] == answer]
            if len(row) != 1:
                raise KeyError(f"{SOURCE} {indicator}: expected one {answer!r} row, found {len(row)}")
            row = row.iloc[0]
            check_printed_percent(row, N)
            records.append({"group": group, "group_label": group_label, "answer": answer,
                            "answer_label": SUFFICIENCY_ANSWERS[answer], "n": int(row["n"]), "N": N,
                            "basis": "printed", "source_ref": row["source_ref"]})
            printed += int(row["n"])
        if printed > N:
            raise ValueError(f"{SOURCE} {indicator}: the printed answers ({printed}) exceed the base {N}")
        records.append({"group": group, "group_label": group_label, "answer": MISSING,
                        "answer_label": SUFFICIENCY_ANSWERS[MISSING], "n": N - printed, "N": N,
                        "basis": "remainder", "source_ref": "; ".join(sorted(rows["source_ref"].unique()))})
    out = pd.DataFrame(records, columns=["group", "group_label", "answer", "answer_label", "n", "N", "basis",
                                         "source_ref"])
    out["share"] = out["n"] / out["N"]
    return out


# --- figures -----------------------------------------------------------------------------------

def learned_via_figure(rows: pd.DataFrame, fig_id: str, subject: str) -> figures.ReportFigure:
    """Bars of how social services learn of a case (shares of the N units)."""
    N = int(rows["N"].iloc[0])
    fig = figures.horizontal_share_bars(
        [figures.wrap_bar_label(label) for label in rows["category_label"]], rows["share"],
        rows["n"].astype(int), rows["N"].astype(int),
        axis_title=f"Andel av kommuner/stadsdelar (N = {N})",
    )
    parts = "; ".join(f"{row.category_label} {swedish.percent(row.share)}" for row in rows.itertuples())
    return figures.ReportFigure(
        id=fig_id,
        figure=fig,
        caption=f"Hur socialtjänsten oftast får kännedom om {subject}, andel av kommunerna/stadsdelarna (N = {N}).",
        alt=f"Liggande stapeldiagram. Andel kommuner/stadsdelar där socialtjänsten oftast får kännedom om {subject} via: {parts}.",
        source=SOURCE_LINE,
        source_refs=tuple(rows["source_ref"]),
    )


def organisation_figure(items: pd.DataFrame) -> figures.ReportFigure:
    """Sorted bars: coordinator, action plan, statistics and written routines, shares of all units."""
    rows = items.loc[list(ORGANISATION_FIGURE)].assign(
        figure_label=lambda f: f["name"].map(ORGANISATION_FIGURE))
    absent = int(rows["missing"].sum())
    rows = rows[~rows["missing"]]
    if rows["share"].isna().any() or rows["N"].nunique() != 1:
        raise ValueError("organisation figure: every bar needs a share on the same base")
    rows = rows.sort_values("share", ascending=False, kind="stable")
    N = int(rows["N"].iloc[0])
    fig = figures.horizontal_share_bars(
        [figures.wrap_bar_label(label, 34) for label in rows["figure_label"]], rows["share"], rows["n"], rows["N"],
        axis_title=f"Andel av kommuner/stadsdelar (N = {N})")
    parts = "; ".join(f"{row.figure_label} {swedish.count_of(row.n, row.N)} ({swedish.percent(row.share)})"
                      for row in rows.itertuples())
    return figures.ReportFigure(
        id="fig-stockholm-organisation",
        figure=fig,
        caption=("Samordning, handlingsplaner, statistik och skriftliga rutiner inom socialtjänsten: andel av "
                 f"kommunerna/stadsdelarna där det finns enligt respondenten (N = {N})."
                 + missing_caption(absent, len(ORGANISATION_FIGURE))),
        alt=f"Liggande stapeldiagram, sorterat efter andel. {parts}.",
        source=SOURCE_LINE,
        source_refs=tuple(rows["source_ref"]),
    )


def sufficiency_figure(counts: pd.DataFrame) -> figures.ReportFigure:
    """Stacked bars: sufficient / partly / not / missing for women and for children."""
    groups = list(dict.fromkeys(counts["group_label"]))
    answers = list(SUFFICIENCY_ANSWERS)
    N = counts["N"].unique()
    if len(N) != 1:
        raise ValueError(f"sufficiency figure: one base expected, got {sorted(N)}")
    N = int(N[0])
    matrix = [[int(counts.loc[(counts["group_label"] == g) & (counts["answer"] == a), "n"].iloc[0]) for g in groups]
              for a in answers]
    fig = figures.stacked_answer_bars(
        groups, [SUFFICIENCY_ANSWERS[a] for a in answers], matrix, N,
        axis_title=f"Antal kommuner/stadsdelar (N = {N})", styles=list(SUFFICIENCY_STYLES))
    parts = "; ".join(
        f"{g}: " + ", ".join(f"{SUFFICIENCY_ANSWERS[a].lower()} {swedish.number(matrix[i][j])}"
                             for i, a in enumerate(answers))
        for j, g in enumerate(groups))
    return figures.ReportFigure(
        id="fig-stockholm-sufficiency",
        figure=fig,
        caption=("Respondenternas bedömning av om socialtjänstens insatser räcker, för våldsutsatta kvinnor och för "
                 f"barn som bevittnat våld, antal av de N = {N} kommunerna/stadsdelarna. ”Uppgift saknas” är de svar "
                 "som rapporten inte redovisar (N minus summan av de tryckta svaren), inte ett nej."
                 + missing_caption(len(SUFFICIENCY_GROUPS) - len(groups), len(SUFFICIENCY_GROUPS))),
        alt=f"Staplat liggande stapeldiagram, antal av {N}. {parts}.",
        source=SOURCE_LINE,
        source_refs=tuple(counts["source_ref"].str.split("; ").explode()),
    )


# --- tables ------------------------------------------------------------------------------------

def learned_via_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Formatted table: source of knowledge, n, N, share and the printed percent."""
    return pd.DataFrame({
        "Kännedom via": rows["category_label"],
        "n": rows["n"].map(swedish.number),
        "N": rows["N"].map(swedish.number),
        "Andel": rows["share"].map(swedish.percent),
        "Tryckt i rapporten": rows["published"].map(lambda p: or_missing(p, swedish.percent, 0)),
    })


def key_indicator_rows(items: pd.DataFrame, sufficiency: pd.DataFrame) -> pd.DataFrame:
    """The items labelled for the key table, in ITEMS order, with the children's missing
    sufficiency answers inserted after their printed answers."""
    rows = items[(items["label"] != "") & ~items["missing"]].copy()
    rows["n_marker"] = ["a" if basis == "inferred_from_percent" else "" for basis in rows["n_basis"]]
    missing = sufficiency[(sufficiency["answer"] == MISSING) & (sufficiency["n"] > 0)]
    out = rows.reset_index(drop=True)
    for rec in missing.itertuples():
        area = rec.group_label
        extra = pd.DataFrame([{
            "name": f"{rec.group}_missing", "label": "Insatserna räcker: uppgift saknas", "area": area,
            "n": rec.n, "N": rec.N, "share": rec.share, "published": None, "n_basis": "remainder",
            "base_marker": "", "n_marker": "c", "source_ref": rec.source_ref,
        }])
        position = max(i for i, name in enumerate(out["name"]) if name.startswith(f"{rec.group}_")
                       and name.endswith(("_sufficient", "_partly", "_not")))
        out = pd.concat([out.iloc[:position + 1], extra, out.iloc[position + 1:]], ignore_index=True)
    return out.reset_index(drop=True)


def marked(text: str, marker: str) -> str:
    """A cell with a footnote marker as a superscript (pandoc/Quarto '^a^')."""
    return f"{text}^{marker}^" if marker else text


# Column → relative width in the PDF (the key table wraps; column order = the table's columns).
KEY_TABLE_WIDTHS = {"Indikator": 46, "n": 6, "N": 6, "Andel": 9, "Tryckt i rapporten": 16}


def key_indicator_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Formatted key table: a bold heading row per area, then indicator, n, N, share and the
    printed percent ('–' where the report prints none)."""
    records = []
    for area, group in rows.groupby("area", sort=False):
        records.append({"Indikator": f"**{area}**", "n": "", "N": "", "Andel": "", "Tryckt i rapporten": ""})
        for row in group.itertuples():
            records.append({
                "Indikator": row.label,
                "n": marked(swedish.number(row.n), row.n_marker),
                "N": marked(swedish.number(row.N), row.base_marker),
                "Andel": swedish.percent(row.share),
                "Tryckt i rapporten": "–" if pd.isna(row.published) else swedish.percent(row.published, 0),
            })
    return pd.DataFrame(records, columns=list(KEY_TABLE_WIDTHS))


def key_table_caption(items: pd.DataFrame, sufficiency: pd.DataFrame) -> str:
    """Caption with the footnotes a (n inferred), b (base derived) and c (missing answers)."""
    units = units_total_from_items(items)
    hrv = items.loc["hrv_counselling"]
    lacking = items.loc["hrv_lacking"]
    labelled = items[items["label"] != ""]
    children = sufficiency[(sufficiency["group"] == "children") & (sufficiency["answer"] != MISSING)]
    printed_sum = " + ".join(swedish.number(n) for n in children["n"])
    return (
        "Nyckeltal för Stockholms län 2008: antal kommuner/stadsdelar (n) av N, andel n/N och den i rapporten "
        f"tryckta procentsatsen. Där rapporten inte anger basen är N = {swedish.number(units)}, alla enheter "
        "(en respondent per enhet); alla tryckta procentsatser stämmer med den basen. "
        "^a^ n är inte tryckt: rapporten anger bara procent, och n är det enda antal på basen N som ger den "
        "tryckta procentsatsen. "
        f"^b^ Basen är inte tryckt: ”de övriga” enheterna, {swedish.number(units)} − "
        f"{or_missing(lacking['n'], swedish.number)} (utan insatser för HRV) = {or_missing(hrv['N'], swedish.number)}. "
        f"^c^ Inte tryckt: N minus summan av de tryckta svaren ({printed_sum or MISSING_TEXT}); redovisas som "
        "uppgift saknas, inte som nej."
        + missing_caption(int(labelled["missing"].sum()), len(labelled))
    )


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

def add_item_numbers(numbers: ReportNumbers, items: pd.DataFrame, units: int) -> None:
    """<name>_n, _n_max, _N (when not all units), _share, _published, _published_max per item;
    those the text uses but the inputs lack read "uppgift saknas" (add_missing_item_numbers)."""
    for row in items.itertuples():
        what = f"{row.indicator}/{row.category}: {row.category_label}"
        add_missing_item_numbers(numbers, row, what)
        if row.missing:
            continue
        if row.n is not None and not pd.isna(row.n):
            basis = " (härlett ur tryckt procent)" if row.n_basis == "inferred_from_percent" else ""
            numbers.add(f"{row.name}_n", swedish.number(row.n), f"Antal{basis}, {what}", row.source_ref)
        if row.n_max is not None and not pd.isna(row.n_max):
            numbers.add(f"{row.name}_n_max", swedish.number(row.n_max), f"Antal, övre gräns, {what}", row.source_ref)
        if row.N is not None and not pd.isna(row.N) and (int(row.N) != units or f"{row.name}_N" in used_variables(SECTION)):
            numbers.add(f"{row.name}_N", swedish.number(row.N), f"Bas N, {what}", row.source_ref)
        if row.share is not None and not pd.isna(row.share):
            numbers.add(f"{row.name}_share", swedish.percent(row.share), f"Andel n/N ({row.base_basis} bas), {what}",
                        row.source_ref)
        if row.published is not None and not pd.isna(row.published):
            numbers.add(f"{row.name}_published", swedish.percent(row.published, 0), f"Tryckt procent, {what}",
                        row.source_ref)
        if row.published_max is not None and not pd.isna(row.published_max):
            numbers.add(f"{row.name}_published_max", swedish.percent(row.published_max, 0),
                        f"Tryckt procent, övre gräns, {what}", row.source_ref)


ITEM_VALUES = {"n": "Antal", "n_max": "Antal, övre gräns", "N": "Bas N", "share": "Andel n/N",
               "published": "Tryckt procent", "published_max": "Tryckt procent, övre gräns"}


def add_missing_item_numbers(numbers: ReportNumbers, row, what: str) -> None:
    """The values of an item that the text uses but the inputs do not have: "uppgift saknas"."""
    used = used_variables(SECTION)
    for value, description in ITEM_VALUES.items():
        name = f"{row.name}_{value}"
        if name in used and (row.missing or is_missing(getattr(row, value))):
            numbers.add_missing(name, f"{description}, {what}", SOURCE, row.indicator)


def add_sufficiency_numbers(numbers: ReportNumbers, sufficiency: pd.DataFrame) -> None:
    """The missing answers per group, and the sum of the printed answers."""
    for group, (indicator, _) in SUFFICIENCY_GROUPS.items():
        if group not in set(sufficiency["group"]):  # absent from the inputs
            for suffix in ("missing_n", "missing_share", "printed_sum"):
                if f"{group}_sufficiency_{suffix}" in used_variables(SECTION):
                    numbers.add_missing(f"{group}_sufficiency_{suffix}", "Svar om insatserna räcker", SOURCE, indicator)
    for group, rows in sufficiency.groupby("group", sort=False):
        missing = rows[rows["answer"] == MISSING].iloc[0]
        printed = rows[rows["answer"] != MISSING]
        numbers.add(f"{group}_sufficiency_missing_n", swedish.number(missing["n"]),
                    "Svar som saknas i redovisningen av om insatserna räcker (N minus de tryckta svaren)",
                    missing["source_ref"])
        numbers.add(f"{group}_sufficiency_missing_share", swedish.percent(missing["share"]),
                    "Andel svar som saknas i redovisningen av om insatserna räcker", missing["source_ref"])
        numbers.add(f"{group}_sufficiency_printed_sum", swedish.number(printed["n"].sum()),
                    "Summan av de tryckta svaren om insatserna räcker", missing["source_ref"])


def add_discrepancy_numbers(numbers: ReportNumbers, shares: pd.DataFrame, items: pd.DataFrame, units: int) -> None:
    """Numbers for the callout on the source's own discrepancies."""
    for group, indicator in PRECONDITION_INDICATORS.items():
        if not has_indicator(shares, indicator):
            numbers.add_missing(f"{group}_precond_sum", f"Summan av de tryckta svaren om förutsättningarna ({indicator})",
                                SOURCE, indicator)
            continue
        total, refs = indicator_sum(shares, indicator)
        numbers.add(f"{group}_precond_sum", swedish.number(total),
                    f"Summan av de tryckta svaren om förutsättningarna ({indicator})", refs)
    if has_indicator(shares, "women_training_type"):
        total, refs = indicator_sum(shares, "women_training_type")
        numbers.add("women_training_types_sum", swedish.number(total),
                    "Summan av utbildningstyperna för arbetet med våldsutsatta kvinnor", refs)
    else:
        numbers.add_missing("women_training_types_sum", "Summan av utbildningstyperna för arbetet med våldsutsatta "
                            "kvinnor", SOURCE, "women_training_type")
    add_hrv_base_numbers(numbers, items, units)


def add_hrv_base_numbers(numbers: ReportNumbers, items: pd.DataFrame, units: int) -> None:
    """HRV support is printed as percents of "de övriga" units (N = 32 in the transcription): the
    counts on that base next to the printed percent, and the count on all units that gives it."""
    for name in ("hrv_counselling", "hrv_sheltered"):
        row = items.loc[name]
        if row["missing"] or is_missing(row["published"]) or is_missing(row["N"]):
            for used in sorted(v for v in used_variables(SECTION) if v.startswith(f"{name}_")
                               and v.removeprefix(f"{name}_").startswith(("near_", "fit_all_"))):
                numbers.add_missing(used, "Antal/andel på basen som ger den tryckta procentsatsen", SOURCE, row["indicator"])
            continue
        base, printed = int(row["N"]), round(100 * row["published"], 6)
        if not share_math.counts_fitting_percent(printed, base):
            for position, k in zip(("low", "high"), share_math.nearest_counts(printed, base)):
                numbers.add(f"{name}_near_{position}_n", swedish.number(k),
                            f"Närmaste antal på basen {base} till tryckta {swedish.percent(row['published'], 0)}",
                            row["source_ref"])
                numbers.add(f"{name}_near_{position}_share", swedish.percent(k / base),
                            f"Andel för närmaste antal på basen {base}", row["source_ref"])
        fits = share_math.counts_fitting_percent(printed, units)
        if len(fits) != 1:
            raise ValueError(f"{name}: expected one count on {units} giving the printed percent, got {fits}")
        numbers.add(f"{name}_fit_all_n", swedish.number(fits[0]),
                    f"Det antal på basen {units} som ger den tryckta procentsatsen", row["source_ref"])
        numbers.add(f"{name}_fit_all_share", swedish.percent(fits[0] / units),
                    f"Andel för det antal på basen {units} som ger den tryckta procentsatsen", row["source_ref"])


# --- the section ---------------------------------------------------------------------------------

def build(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    shares = source_rows(results["shares"])
    units = units_total(shares)
    source_config = config.get("sources", {}).get(SOURCE)
    items = item_frame(shares, allow_missing=source_config is not None and not sources.is_published(source_config))
    sufficiency = sufficiency_counts(shares)
    numbers = ReportNumbers(SECTION)

    if has_indicator(shares, "women_learned_via"):
        women = indicator_rows(shares, "women_learned_via")
        figures.save(learned_via_figure(women, "fig-women-learned-via", "en kvinna som utsätts för våld"), assets_dir)
        tables.save("tbl-women-learned-via", learned_via_table(women),
                    "Hur socialtjänsten oftast får kännedom om en kvinna som utsätts för våld: antal (n) och andel av de N "
                    "kommunerna/stadsdelarna, jämfört med den i rapporten tryckta procentsatsen.",
                    assets_dir, source_refs=women["source_ref"],
                    right_align=("n", "N", "Andel", "Tryckt i rapporten"))
    else:
        for item_id in ("fig-women-learned-via", "tbl-women-learned-via"):
            save_missing_note(item_id, "Hur socialtjänsten får kännedom om våldsutsatta kvinnor", assets_dir,
                              SOURCE, ["women_learned_via"])
    organisation = items.loc[list(ORGANISATION_FIGURE)]
    if organisation["missing"].all():
        save_missing_note("fig-stockholm-organisation", "Samordning, handlingsplaner, statistik och rutiner",
                          assets_dir, SOURCE, organisation["indicator"])
        numbers.add_missing("organisation_max_share", "Största andelen bland indikatorerna i figuren om organisation "
                            "och rutiner", SOURCE, ", ".join(dict.fromkeys(organisation["indicator"])))
    else:
        figures.save(organisation_figure(items), assets_dir)
        top = organisation[~organisation["missing"]].sort_values("share", ascending=False, kind="stable").iloc[0]
        numbers.add("organisation_max_share", swedish.percent(top["share"]),
                    "Största andelen bland indikatorerna i figuren om organisation och rutiner", top["source_ref"])
    if sufficiency.empty:
        save_missing_note("fig-stockholm-sufficiency", "Om insatserna räcker", assets_dir, SOURCE,
                          [indicator for indicator, _ in SUFFICIENCY_GROUPS.values()])
    else:
        figures.save(sufficiency_figure(sufficiency), assets_dir)
    key_rows = key_indicator_rows(items, sufficiency)
    tables.save("tbl-stockholm-key", key_indicator_table(key_rows), key_table_caption(items, sufficiency),
                assets_dir, source_refs=key_rows["source_ref"].str.split("; ").explode(),
                right_align=("n", "N", "Andel", "Tryckt i rapporten"), widths=tuple(KEY_TABLE_WIDTHS.values()))

    participated = shares_row(shares, "units_participated", "yes")
    numbers.add("units_N", swedish.number(units), "Antal kommuner och stadsdelar i undersökningen (alla deltog)",
                participated["source_ref"])
    add_item_numbers(numbers, items, units)
    add_sufficiency_numbers(numbers, sufficiency)
    add_discrepancy_numbers(numbers, shares, items, units)
    numbers.write(assets_dir)
