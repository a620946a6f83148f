"""Report content for a mapping by the source's own size classes: the municipalities of a county
in the report's size classes (with population and SKR group from the reference data), its table
of cooperation per part of the county, and its development-areas table, whose cells belong to a
size class, not to a municipality. An empty cell is `not_listed`, never "no". A census: counts
are reported as n of N without sampling intervals.

The source is the one whose config says `presentation: {kind: size_class_mapping}`; what is
particular to it is declared in its presentation.yml, and every word is a template in
report/text/<locale>/sormland.yml.
"""

import re
from pathlib import Path

import pandas as pd

from .. import breakdowns, swedish, tables
from ..report_vars import ReportNumbers
from . import spec

KIND = "size_class_mapping"
CLASS_ORDER = list(breakdowns.SIZE_CLASSES)  # larger, medium, smaller


class Mapping(spec.Presented):
    """The source the section presents, its declaration and the section's texts."""

    kind = KIND


# --- inputs ---------------------------------------------------------------------------------


def printed_margin(note: str) -> int:
    """The '±k' the report prints next to a figure (kept in the transcription's note only)."""
    match = re.search(r"±\s*(\d+)", str(note))
    if not match:
        raise ValueError(f"no '±' margin in note {note!r}")
    return int(match.group(1))


# --- size classes -----------------------------------------------------------------------------


def size_class_municipalities(municipalities: pd.DataFrame) -> pd.DataFrame:
    """kommun, size_class, source_ref + kommungrupp_2017 (+ name) and folkmangd_2019 (the
    reference attributes the compute step adds to a table of municipalities), ordered by size
    class (report order) and population, largest first."""
    out = municipalities[
        ["kommun", "size_class", "source_ref", "kommungrupp_2017", "kommungrupp_2017_namn", "folkmangd_2019"]
    ].copy()
    if out["folkmangd_2019"].isna().any():
        raise ValueError(f"no 2019 population for {sorted(out.loc[out['folkmangd_2019'].isna(), 'kommun'])}")
    out["class_rank"] = out["size_class"].map({c: i for i, c in enumerate(CLASS_ORDER)})
    return (
        out.sort_values(["class_rank", "folkmangd_2019"], ascending=[True, False])
        .drop(columns="class_rank")
        .reset_index(drop=True)
    )


def classes_follow_population(frame: pd.DataFrame) -> bool:
    """True when every municipality of a larger class has more inhabitants than every one of the
    next smaller class (the report's classes agree with the population order)."""
    ranges = frame.groupby("size_class")["folkmangd_2019"].agg(["min", "max"]).reindex(CLASS_ORDER)
    return all(ranges.loc[a, "min"] > ranges.loc[b, "max"] for a, b in zip(CLASS_ORDER, CLASS_ORDER[1:]))


def size_class_table(frame: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """Formatted: size class (with number of municipalities), municipality, population, SKR group."""
    columns = mapping.t.group("municipality_table.columns")
    per_class = frame["size_class"].value_counts()
    label = frame["size_class"].map(
        lambda c: mapping.t(
            "municipality_table.class", label=breakdowns.SIZE_CLASSES[c], n=swedish.number(per_class[c])
        )
    )
    return pd.DataFrame(
        {
            columns["size_class"]: label.where(~frame["size_class"].duplicated(), ""),
            columns["kommun"]: frame["kommun"],
            columns["population"]: frame["folkmangd_2019"].map(swedish.number),
            columns["kommungrupp"]: frame["kommungrupp_2017"] + " " + frame["kommungrupp_2017_namn"],
        }
    )


# --- parts of the county (länsdelar) ----------------------------------------------------------


def lansdel_table(cooperation: pd.DataFrame, details: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """Formatted cooperation table: one row per part of the county; an empty cell of the report
    is shown as not listed, not as 'no cooperation'."""
    columns = mapping.t.group("lansdel_table.columns")
    not_listed = mapping.t("lansdel_table.not_listed")
    rows = []
    for lansdel, members in cooperation.groupby("lansdel", sort=False):
        row = {
            columns["lansdel"]: members["lansdel_label"].iloc[0],
            columns["convener"]: ", ".join(members.loc[members["role"] == "convener", "kommun"]),
            columns["invited"]: ", ".join(members.loc[members["role"] == "invited", "kommun"]),
        }
        for attribute in mapping.declaration["lansdel_table"]["attributes"]:
            cell = details[(details["lansdel"] == lansdel) & (details["attribute"] == attribute)]
            listed = cell.loc[cell["stated"] == "yes", "item_label"].tolist()
            row[columns[attribute]] = ", ".join(listed) if listed else not_listed
        rows.append(row)
    return pd.DataFrame(rows)


# --- development areas ------------------------------------------------------------------------


def development_area_counts(breakdown: pd.DataFrame, source: str) -> pd.DataFrame:
    """One row per size class: municipalities (k), areas listed in all (n_all), only for the class
    (n_specific), shared by all three classes (n_shared) and the table's N. A class's list is not
    divided by its number of municipalities: a cell says the class named the area, not how many
    of its municipalities did (REPORT.md, "Numbers")."""
    rows = breakdown[(breakdown["source"] == source) & (breakdown["breakdown"] == "size_class")]
    areas = rows[rows["indicator"] == "development_areas"].set_index(["group", "category"])
    munis = rows[rows["indicator"] == "municipalities"].set_index("group")
    out = []
    for group in CLASS_ORDER:
        out.append(
            {
                "size_class": group,
                "label": breakdowns.SIZE_CLASSES[group],
                "k": int(munis.loc[group, "n"]),
                "N_areas": int(areas.loc[(group, "all"), "N"]),
                "n_all": int(areas.loc[(group, "all"), "n"]),
                "n_specific": int(areas.loc[(group, "class_specific"), "n"]),
                "n_shared": int(areas.loc[(group, "shared_by_all"), "n"]),
            }
        )
    return pd.DataFrame(out)


def domain_counts(breakdown: pd.DataFrame, source: str) -> tuple[pd.DataFrame, pd.Series]:
    """(areas listed: heading × size class, areas in the table per heading)."""
    rows = breakdown[
        (breakdown["source"] == source)
        & (breakdown["breakdown"] == "size_class")
        & (breakdown["indicator"] == "development_areas_by_domain")
    ]
    return rows.pivot(index="category", columns="group", values="n"), rows.groupby("category", sort=False)["N"].first()


def domain_frame(breakdown: pd.DataFrame, areas: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """Formatted table: heading of the development-areas table, its number of areas, and per size
    class the number of areas listed. Not 'n av N': elsewhere N is a base of municipalities, here
    it would be the heading's areas (its own column)."""
    columns = mapping.t.group("domain_table.columns")
    counts, totals = domain_counts(breakdown, mapping.source)
    labels = areas.drop_duplicates("domain").set_index("domain")["domain_label"]
    out = pd.DataFrame(
        {
            columns["domain"]: [labels[d] for d in labels.index],
            columns["N"]: [swedish.number(totals[d]) for d in labels.index],
        }
    )
    for group in CLASS_ORDER:
        out[breakdowns.SIZE_CLASSES[group]] = [swedish.number(counts.loc[d, group]) for d in labels.index]
    return out


# --- numbers for the prose --------------------------------------------------------------------


def count_value(row: pd.Series, value: str) -> str:
    """A declared value of a shares row, formatted: n, n_max, N, share, published or margin."""
    if value in ("n", "n_max", "N"):
        return swedish.number(row[value])
    if value == "share":
        return swedish.percent_on(row["share"], row["N"])
    if value == "published":
        return swedish.percent(row["published"], 0)
    if value == "margin":
        return swedish.number(printed_margin(row["source_note"]))
    raise ValueError(f"unknown value {value!r} of a declared count (n, n_max, N, share, published, margin)")


def add_numbers(
    numbers: ReportNumbers, results: dict, munis: pd.DataFrame, counts: pd.DataFrame, area_refs: str, mapping: Mapping
) -> None:
    """Every number the section's text and summary use."""
    t = mapping.t
    shares = results["shares"]
    muni_ref = munis["source_ref"].iloc[0]
    numbers.add("municipalities_N", swedish.number(len(munis)), t("numbers.municipalities_N"), muni_ref)
    for row in counts.itertuples():
        numbers.add(f"class_{row.size_class}_n", swedish.number(row.k), t("numbers.class_n", label=row.label), muni_ref)
        numbers.add(
            f"areas_{row.size_class}_n", swedish.number(row.n_all), t("numbers.areas_n", label=row.label), area_refs
        )
        numbers.add(
            f"areas_{row.size_class}_specific_n",
            swedish.number(row.n_specific),
            t("numbers.areas_specific_n", label=row.label),
            area_refs,
        )
    numbers.add("areas_N", swedish.number(counts["N_areas"].iloc[0]), t("numbers.areas_N"), area_refs)
    numbers.add("areas_shared_n", swedish.number(counts["n_shared"].iloc[0]), t("numbers.areas_shared_n"), area_refs)
    reference_ref = t("reference_ref")
    for group in CLASS_ORDER:
        pops = munis.loc[munis["size_class"] == group, "folkmangd_2019"]
        label = breakdowns.SIZE_CLASSES[group]
        numbers.add(f"pop_{group}_min", swedish.number(pops.min()), t("numbers.pop_min", label=label), reference_ref)
        numbers.add(f"pop_{group}_max", swedish.number(pops.max()), t("numbers.pop_max", label=label), reference_ref)

    for count in mapping.declaration["counts"]:
        row = spec.share_row(
            shares, mapping.source, count["indicator"], count.get("category", "yes"), count.get("group", "all")
        )
        numbers.add(
            count["name"], count_value(row, count.get("value", "n")), t(f"numbers.{count['name']}"), row["source_ref"]
        )


# --- what the text says in words --------------------------------------------------------------


def check_prose_claims(
    munis: pd.DataFrame, counts: pd.DataFrame, same_kommungrupp: list[list[str]], text: str = "the section's text"
) -> None:
    """Raise if the data no longer support what the section's text says in words: the size
    classes follow population, SKR's groups cut across them (the declared municipalities share a
    group), and the smaller class lists more areas than each of the other classes. `text` names the
    template to revise (report/sections/_<region>.qmd)."""
    if not classes_follow_population(munis):
        raise ValueError(f"the size classes no longer follow 2019 population; revise {text}")
    group = dict(zip(munis["kommun"], munis["kommungrupp_2017"]))
    if any(len({group[kommun] for kommun in together}) != 1 for together in same_kommungrupp):
        raise ValueError(f"SKR kommungrupp differs from what {text} says: {group}")
    listed = counts.set_index("size_class")["n_all"]
    if listed["smaller"] <= max(listed["larger"], listed["medium"]):
        raise ValueError(f"the smaller class no longer lists the most areas; revise {text}")


# --- build ------------------------------------------------------------------------------------


def build(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    mapping = Mapping.of(config)
    t, declared = mapping.t, mapping.declaration
    raw = spec.source_tables(results, config, mapping.source)
    numbers = ReportNumbers(t.section)

    munis = size_class_municipalities(raw[declared["municipalities"]])
    tables.save(
        declared["municipality_table"],
        size_class_table(munis, mapping),
        t("municipality_table.caption"),
        assets_dir,
        source_refs=[*munis["source_ref"], t("reference_ref")],
        right_align=(t("municipality_table.columns.population"),),
        widths=(2.0, 1.3, 1.1, 3.6),
    )

    lansdel = declared["lansdel_table"]
    cooperation, details = raw[lansdel["cooperation"]], raw[lansdel["details"]]
    tables.save(
        lansdel["id"],
        lansdel_table(cooperation, details, mapping),
        t("lansdel_table.caption"),
        assets_dir,
        source_refs=[*cooperation["source_ref"], *details["source_ref"]],
        widths=(1.0, 1.5, 1.7, 1.8, 1.9, 2.3),
    )

    declared_areas = declared["development_areas"]
    areas = raw[declared_areas["table"]]
    area_refs = sorted(set(areas["source_ref"]) | set(munis["source_ref"]))
    counts = development_area_counts(results["breakdowns"], mapping.source)
    check_prose_claims(munis, counts, declared["same_kommungrupp"], f"report/sections/_{t.section}.qmd")
    tables.save(
        declared_areas["domain_table"],
        domain_frame(results["breakdowns"], areas, mapping),
        t("domain_table.caption"),
        assets_dir,
        source_refs=area_refs,
        right_align=(t("domain_table.columns.N"), *breakdowns.SIZE_CLASSES.values()),
        widths=(2.6, 1.2, 1.3, 1.3, 1.3),
    )

    add_numbers(numbers, results, munis, counts, areas["source_ref"].iloc[0], mapping)
    numbers.write(assets_dir)
