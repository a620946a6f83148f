"""Report content for the section on municipality size (combined builder).

From the combined tables (`breakdowns`, `tests`, `shares`, `reproduction`):

* a size-class mapping by its report's own size classes (one compact table; the development areas
  themselves are shown in its region's section);
* the 8 OJ municipalities (SKL 2016) by SKL's befolkningsgrupp and SKR's kommungrupp 2017;
* Dalarna 2020 by SKR kommungrupp and population band: municipalities per group only (the report
  names municipalities as examples; our list of arbetssätt cannot be split by size);
* Stockholm 2008: county totals only, no breakdown;
* the exploratory exact tests (Fisher / Freeman–Halton, Holm within each breakdown).

Groups hold one to eight municipalities; nothing here generalises beyond the units described.
Municipality names per group (and the raw rows' source_ref where the combined tables carry none)
come from the region notebooks' inventory (members.csv, table_refs.csv: analysis.inventory).

Which source plays which part is read from the shape of the combined breakdowns (`roles`), its
part of the variable names from the config (`combined_sections.key`); the words are in
report/text/<locale>/size.yml.
"""

from pathlib import Path

import pandas as pd

from .. import swedish, tables, texts
from ..report_vars import ReportNumbers
from .reproduction_section import slug

SECTION = "size"
# The parts a source can play here, in the order of the tests table (see `roles`).
ROLES = ("oj", "coding", "size_classes", "county_totals")
PATTERNS = ["", "/", ".", "x", "-", "+"]


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------


class SizeRoleError(KeyError):
    """Raised when the combined breakdowns have no source of a shape the section needs (OJ-like
    ja-counts, a coding by kommungrupp, a report's own size classes, county totals), or a source
    lacks its `combined_sections.key` in the config."""

    def __str__(self) -> str:
        return str(self.args[0])


_t = texts.Templates(SECTION)
_group = _t.group


def ref(name: str) -> str:
    """The source_ref of a reference classification: kommungrupp or population."""
    return _t(f"refs.{name}")


def roles(breakdowns: pd.DataFrame) -> dict[str, str]:
    """Which source plays which part, by the shape of its breakdown rows: printed and recomputed
    ja-counts per municipality ("oj"); codings with not_reported by population band ("coding");
    the report's own size classes ("size_classes"); one record without groups ("county_totals")."""
    found = {}
    for source, rows in breakdowns.groupby("source", sort=False):
        if (rows["indicator"] == "ja_count_published").any():
            found.setdefault("oj", source)
        elif (rows["breakdown"] == "size_class").any():
            found.setdefault("size_classes", source)
        elif ((rows["breakdown"] == "population_band") & (rows["category"] == "not_reported")).any():
            found.setdefault("coding", source)
        elif (rows["indicator"] == "all").all():
            found.setdefault("county_totals", source)
    missing = [r for r in ROLES if r not in found]
    if missing:
        raise SizeRoleError(f"the combined breakdowns have no source for {missing}")
    return found


def source_key(config: dict, source: str) -> str:
    """The source's part of the variable names (combined_sections.key in its config block)."""
    key = (config["sources"][source].get("combined_sections") or {}).get("key")
    if not key:
        raise SizeRoleError(f"source {source!r} has no combined_sections.key in the config")
    return key


def declared(config: dict, source: str) -> dict:
    """The source's combined_sections declaration in the config (empty when it has none)."""
    return config["sources"][source].get("combined_sections") or {}


def breakdown_rows(frame: pd.DataFrame, source: str, breakdown: str, indicator: str | None = None) -> pd.DataFrame:
    """Rows of one source × breakdown (× indicator) of the combined breakdowns; KeyError if none."""
    rows = frame[(frame["source"] == source) & (frame["breakdown"] == breakdown)]
    if indicator is not None:
        rows = rows[rows["indicator"] == indicator]
    if rows.empty:
        raise KeyError(f"{source}/{breakdown}/{indicator}: no rows in the combined breakdowns")
    return rows.reset_index(drop=True)


def refs_of(frame: pd.DataFrame, source: str, mask=None) -> tuple[str, ...]:
    """Distinct source_refs of a source's rows in shares or reproduction (optionally filtered)."""
    rows = frame[frame["source"] == source]
    if mask is not None:
        rows = rows[mask(rows)]
    refs = tuple(sorted({str(r) for r in rows["source_ref"].dropna() if str(r).strip()}))
    if not refs:
        raise KeyError(f"{source}: no source_ref for the rows asked for")
    return refs


def members_of(members: pd.DataFrame, source: str, breakdown: str) -> pd.DataFrame:
    """Columns kommun and <breakdown>: which municipality is in which group (the region
    notebook's members.csv: analysis.inventory)."""
    rows = members[(members["source"] == source) & (members["breakdown"] == breakdown)]
    if rows.empty:
        raise SizeRoleError(f"{source}/{breakdown}: no group members in the regions' members.csv")
    return rows[["kommun", "group"]].rename(columns={"group": breakdown}).reset_index(drop=True)


def table_refs_of(table_refs: pd.DataFrame, source: str, table: str) -> list[str]:
    """The distinct source_refs of one of a source's tables, in order (table_refs.csv)."""
    refs = table_refs.loc[(table_refs["source"] == source) & (table_refs["table"] == table), "source_ref"].tolist()
    if not refs:
        raise SizeRoleError(f"{source}: no source_ref for its table {table!r} in the regions' table_refs.csv")
    return refs


def names_list(names) -> str:
    return _t("list_separator").join(names)


def group_text(breakdown: str, group: str, label: str) -> str:
    """'<code> <label>' for kommungrupper, '<band> (<range> <inhabitants>)' for population bands (templates)."""
    template = "group_with_label" if breakdown in ("befolkningsgrupp", "population_band") else "group_and_label"
    return _t(template, group=group, label=label)


def max_group_size(breakdowns: pd.DataFrame, sources) -> tuple[int, int]:
    """Smallest and largest non-empty group (municipalities) over the sources' breakdowns."""
    rows = breakdowns[
        breakdowns["source"].isin(list(sources)) & (breakdowns["indicator"] == "municipalities") & (breakdowns["n"] > 0)
    ]
    return int(rows["n"].min()), int(rows["n"].max())


# ---------------------------------------------------------------------------------------------
# Size classes (role "size_classes"): the report's own size classes
# ---------------------------------------------------------------------------------------------


def size_classes_frame(breakdowns: pd.DataFrame, municipalities: pd.DataFrame, source: str) -> pd.DataFrame:
    """Per size class: names, n of N municipalities, development areas listed for the class (all,
    of which county-wide), of the table's N areas, and areas per municipality of the class."""
    munis = breakdown_rows(breakdowns, source, "size_class", "municipalities")
    areas = breakdown_rows(breakdowns, source, "size_class", "development_areas")
    records = []
    for m in munis.itertuples():
        names = sorted(municipalities.loc[municipalities["size_class"] == m.group, "kommun"])
        if len(names) != int(m.n):
            raise ValueError(
                f"{source}: class {m.group} has {m.n} municipalities in breakdowns, {len(names)} in municipalities.csv"
            )
        listed = areas[areas["group"] == m.group].set_index("category")
        records.append(
            {
                "group": m.group,
                "label": m.group_label,
                "kommuner": names,
                "n": int(m.n),
                "N": int(m.N),
                "areas_all": int(listed.loc["all", "n"]),
                "areas_N": int(listed.loc["all", "N"]),
                "areas_shared": int(listed.loc["shared_by_all", "n"]),
                "areas_specific": int(listed.loc["class_specific", "n"]),
            }
        )
    return pd.DataFrame(records)


# ---------------------------------------------------------------------------------------------
# ÖJ 2015: befolkningsgrupp and kommungrupp
# ---------------------------------------------------------------------------------------------


def oj_members(breakdowns: pd.DataFrame, breakdown: str, source: str) -> pd.DataFrame:
    """One row per municipality: group, group label, printed and recomputed ja-count."""
    published = breakdown_rows(breakdowns, source, breakdown, "ja_count_published")
    recomputed = breakdown_rows(breakdowns, source, breakdown, "ja_count_recomputed")
    out = published[["group", "group_label", "category", "n", "N"]].rename(
        columns={"category": "kommun", "n": "published", "N": "of"}
    )
    out = out.merge(
        recomputed[["category", "n"]].rename(columns={"category": "kommun", "n": "recomputed"}),
        on="kommun",
        how="left",
        validate="one_to_one",
    )
    return out.astype({"published": "int64", "recomputed": "int64", "of": "int64"})


def oj_group_frame(breakdowns: pd.DataFrame, breakdown: str, source: str) -> pd.DataFrame:
    """Every group of the scheme: number of municipalities (of 8) and members with their ja-counts
    (empty groups keep n = 0). No group mean: the groups hold 0-2 purposively chosen municipalities."""
    groups = breakdown_rows(breakdowns, source, breakdown, "municipalities")
    members = oj_members(breakdowns, breakdown, source)
    records = []
    for g in groups.itertuples():
        rows = members[members["group"] == g.group].sort_values("kommun")
        if len(rows) != int(g.n):
            raise ValueError(
                f"{source}/{breakdown}: group {g.group} has {g.n} municipalities but {len(rows)} ja-counts"
            )
        records.append(
            {
                "breakdown": breakdown,
                "group": g.group,
                "group_label": g.group_label,
                "n": int(g.n),
                "N": int(g.N),
                "members": rows,
            }
        )
    return pd.DataFrame(records)


def member_text(row) -> str:
    extra = (
        ""
        if row.published == row.recomputed
        else _t("tbl-size-oj-groups.member_recomputed", recomputed=swedish.number(row.recomputed))
    )
    return _t("tbl-size-oj-groups.member", kommun=row.kommun, published=swedish.number(row.published), extra=extra)


def oj_group_table(frames: list[pd.DataFrame], n_indicators: int) -> pd.DataFrame:
    records, column, labels, none = [], _group("tbl-size-oj-groups.columns"), _group("breakdowns"), _t("none")
    members_column = column["members"].format(n=swedish.number(n_indicators))
    for frame in frames:
        for i, g in enumerate(frame.itertuples()):
            records.append(
                {
                    column["breakdown"]: labels[g.breakdown] if i == 0 else "",
                    column["group"]: group_text(g.breakdown, g.group, g.group_label),
                    column["count"]: swedish.count_of(g.n, g.N),
                    members_column: names_list(member_text(m) for m in g.members.itertuples()) or none,
                }
            )
    return pd.DataFrame(records)


def coding_frame(breakdowns: pd.DataFrame, breakdown: str, municipalities: pd.DataFrame, source: str) -> pd.DataFrame:
    """Per group holding municipalities: names, n of N, and the codings stated `no` (for the
    technical companion: none). How many arbetssätt are named per group is not shown: the report
    names municipalities only as examples, and the list of arbetssätt is ours (REPORT.md)."""
    groups = breakdown_rows(breakdowns, source, breakdown, "municipalities")
    coded = breakdowns[
        (breakdowns["source"] == source)
        & (breakdowns["breakdown"] == breakdown)
        & (breakdowns["indicator"] != "municipalities")
    ]
    records = []
    for g in groups[groups["n"] > 0].itertuples():
        names = sorted(municipalities.loc[municipalities[breakdown].astype(str) == str(g.group), "kommun"])
        if len(names) != int(g.n):
            raise ValueError(f"{source}/{breakdown}: group {g.group} has {g.n} municipalities, names give {len(names)}")
        rows = coded[coded["group"] == g.group]
        status = rows.groupby("category")["n"].sum()
        records.append(
            {
                "breakdown": breakdown,
                "group": g.group,
                "group_label": g.group_label,
                "kommuner": names,
                "n": int(g.n),
                "N": int(g.N),
                "no": int(status.get("no", 0)),
            }
        )
    return pd.DataFrame(records)


def coding_table(frames: list[pd.DataFrame], table_id: str) -> pd.DataFrame:
    records, column, labels = [], _group(f"{table_id}.columns"), _group("breakdowns")
    for frame in frames:
        for i, g in enumerate(frame.itertuples()):
            records.append(
                {
                    column["breakdown"]: labels[g.breakdown] if i == 0 else "",
                    column["group"]: group_text(g.breakdown, g.group, g.group_label),
                    column["municipalities"]: names_list(g.kommuner),
                    column["count"]: swedish.count_of(g.n, g.N),
                }
            )
    return pd.DataFrame(records)


# ---------------------------------------------------------------------------------------------
# Exact tests
# ---------------------------------------------------------------------------------------------


def skip_reason(rec) -> str:
    """The Swedish reason for an untested row (its `reason` code, and `outcomes` where the words
    depend on them) from report/text/<locale>/codes.yml; MissingTextError for a code without words."""
    words = texts.section("codes")["tests"]["reasons"].get(rec["reason"])
    if isinstance(words, dict):
        words = words.get(rec["outcomes"])
    if not isinstance(words, str):
        raise texts.MissingTextError(
            f"no Swedish wording in codes.yml for the exact-test reason "
            f"{rec['reason']!r} (outcomes {rec['outcomes']!r})"
        )
    return words


def test_order(tests: pd.DataFrame, roles_: dict[str, str]) -> list[tuple[str, str]]:
    """(source, breakdown) in the order of ROLES, each source's breakdowns as the tests give them."""
    order = []
    for role in ROLES:
        source = roles_[role]
        breakdowns = list(dict.fromkeys(tests.loc[tests["source"] == source, "breakdown"]))
        if not breakdowns:
            raise KeyError(f"tests: no rows for {source}")
        order += [(source, b) for b in breakdowns]
    return order


def tests_summary(tests: pd.DataFrame, roles_: dict[str, str]) -> pd.DataFrame:
    """Per source × breakdown: indicators, tested, not testable (with reasons), the smallest raw
    and Holm-adjusted p (NaN when nothing was tested)."""
    records = []
    for source, breakdown in test_order(tests, roles_):
        rows = tests[(tests["source"] == source) & (tests["breakdown"] == breakdown)]
        if rows.empty:
            raise KeyError(f"tests: no rows for {source}/{breakdown}")
        tested = rows["p_value"].notna()
        reasons = pd.Series([skip_reason(r) for r in rows[~tested].to_dict("records")], dtype="object").value_counts(
            sort=False
        )
        records.append(
            {
                "source": source,
                "breakdown": breakdown,
                "indicators": len(rows),
                "tested": int(tested.sum()),
                "skipped": int((~tested).sum()),
                "min_p": rows["p_value"].min(),
                "min_p_holm": rows["p_holm"].min(),
                "reasons": dict(reasons),
            }
        )
    return pd.DataFrame(records)


def tests_table(summary: pd.DataFrame, config: dict) -> pd.DataFrame:
    none = _t("none")

    def p(value) -> str:
        return none if pd.isna(value) else swedish.number(value, 3)

    def reasons(mapping: dict) -> str:
        return (
            _t("tbl-size-tests.reason_separator").join(
                _t("tbl-size-tests.reason", text=text, n=swedish.number(k)) for text, k in mapping.items()
            )
            or none
        )

    column, labels = _group("tbl-size-tests.columns"), _group("breakdowns")
    return pd.DataFrame(
        {
            column["source"]: [declared(config, s)["short_title"] for s in summary["source"]],
            column["breakdown"]: summary["breakdown"].map(labels),
            column["indicators"]: summary["indicators"].map(swedish.number),
            column["tested"]: summary["tested"].map(swedish.number),
            column["min_p"]: summary["min_p"].map(p),
            column["min_p_holm"]: summary["min_p_holm"].map(p),
            column["reasons"]: summary["reasons"].map(reasons),
        }
    )


# ---------------------------------------------------------------------------------------------
# The section
# ---------------------------------------------------------------------------------------------


def build_size_classes(combined: dict, config: dict, assets_dir: Path, numbers: ReportNumbers, source: str) -> None:
    key = source_key(config, source)
    frame = size_classes_frame(combined["breakdowns"], members_of(combined["members"], source, "size_class"), source)
    refs_m = table_refs_of(combined["table_refs"], source, "municipalities")
    refs_a = table_refs_of(combined["table_refs"], source, "development_areas")
    ref_m, ref_a = refs_m[0], refs_a[0]
    numbers.add(f"{key}_N", swedish.number(frame["N"].iloc[0]), _t("numbers.size_classes_N"), ref_m)
    numbers.add(f"{key}_areas_N", swedish.number(frame["areas_N"].iloc[0]), _t("numbers.size_classes_areas_N"), ref_a)
    for r in frame.itertuples():
        for name, shown, description, ref in (  # each class: how many, which, its areas, its own areas
            ("n", swedish.number(r.n), _t("numbers.class_n", label=r.label), ref_m),
            ("names", names_list(r.kommuner), _t("numbers.class_names", label=r.label), ref_m),
            ("areas", swedish.number(r.areas_all), _t("numbers.class_areas", label=r.label), ref_a),
            ("specific", swedish.number(r.areas_specific), _t("numbers.class_specific", label=r.label), ref_a),
        ):
            numbers.add(f"{key}_{r.group}_{name}", shown, description, ref)
    text_count = combined["reproduction"]
    text_count = text_count[
        (text_count["source"] == source) & text_count["quantity"].str.endswith(" vs size class larger")
    ]
    if len(text_count) != 1:
        raise KeyError(
            f"{source}: expected one reproduction row on the text's larger municipalities vs the "
            f"size class, found {len(text_count)}"
        )
    text_count = text_count.iloc[0]
    numbers.add(
        f"{key}_larger_in_text",
        swedish.number(text_count.published),
        _t("numbers.larger_in_text"),
        text_count.source_ref,
    )
    numbers.add(f"{key}_shared", swedish.number(frame["areas_shared"].iloc[0]), _t("numbers.shared"), ref_a)


def values_refs(shares: pd.DataFrame, config: dict, source: str) -> tuple[str, ...]:
    """The source_refs of the source's printed values table (combined_sections.values_ref)."""
    marker = declared(config, source).get("values_ref")
    if not marker:
        raise SizeRoleError(f"source {source!r} has no combined_sections.values_ref in the config")
    return refs_of(shares, source, lambda r: r["source_ref"].str.contains(marker, regex=False))


def build_oj(combined: dict, config: dict, assets_dir: Path, numbers: ReportNumbers, source: str) -> None:
    key = source_key(config, source)
    breakdowns, shares = combined["breakdowns"], combined["shares"]
    refs_values = values_refs(shares, config, source)
    frames = [oj_group_frame(breakdowns, b, source) for b in ("befolkningsgrupp", "kommungrupp_2017")]
    n_indicators = int(oj_members(breakdowns, "befolkningsgrupp", source)["of"].max())
    tables.save(
        "tbl-size-oj-groups",
        oj_group_table(frames, n_indicators),
        _t("tbl-size-oj-groups.caption", N=swedish.number(frames[0]["N"].iloc[0])),
        assets_dir,
        source_refs=refs_values + (ref("kommungrupp"),),
        right_align=(_group("tbl-size-oj-groups.columns")["count"],),
        widths=(1.8, 2.6, 1.0, 3.6),
    )
    for frame in frames:
        band = frame["breakdown"].iloc[0] == "befolkningsgrupp"
        name = f"{key}_band" if band else f"{key}_kommungrupp"
        ref_ = refs_values[0] if band else ref("kommungrupp")
        numbers.add(f"{name}_groups_used", swedish.number(int((frame["n"] > 0).sum())), _t("numbers.groups_used"), ref_)
        numbers.add(f"{name}_groups", swedish.number(len(frame)), _t("numbers.groups"), ref_)
        numbers.add(f"{name}_max_n", swedish.number(frame["n"].max()), _t("numbers.max_n"), ref_)
    members = oj_members(breakdowns, "befolkningsgrupp", source)
    numbers.add(f"{key}_N", swedish.number(len(members)), _t("numbers.oj_N"), refs_values[0])
    for kommun in declared(config, source).get("named_municipalities") or []:
        named = members[members["kommun"] == kommun]
        if len(named) == 1:
            numbers.add(
                f"{key}_{slug(kommun)}_group",
                str(named["group"].iloc[0]),
                _t("numbers.named_group", kommun=kommun),
                refs_values[0],
            )


def build_coding(combined: dict, config: dict, assets_dir: Path, numbers: ReportNumbers, source: str) -> None:
    key = source_key(config, source)
    breakdowns, shares = combined["breakdowns"], combined["shares"]
    frames = [
        coding_frame(breakdowns, b, members_of(combined["members"], source, b), source)
        for b in ("kommungrupp_2017", "population_band")
    ]
    refs = refs_of(shares, source, lambda r: r["category"] == "stated_yes")
    table_id = f"tbl-size-{key}"  # a report part named by the source's key (config), like its variables
    column = _group(f"{table_id}.columns")
    tables.save(
        table_id,
        coding_table(frames, table_id),
        _t(f"{table_id}.caption", N=swedish.number(frames[0]["N"].iloc[0])),
        assets_dir,
        source_refs=refs + (ref("kommungrupp"), ref("population")),
        right_align=(column["count"],),
        widths=(1.7, 2.6, 3.6, 1.3),
    )
    first = frames[0]
    numbers.add(f"{key}_N", swedish.number(first["N"].iloc[0]), _t("numbers.coding_N"), refs[0])
    numbers.add(f"{key}_no_total", swedish.number(first["no"].sum()), _t("numbers.coding_no_total"), refs[0])
    numbers.add(
        f"{key}_kommungrupp_used",
        swedish.number(len(frames[0])),
        _t("numbers.coding_kommungrupp_used"),
        ref("kommungrupp"),
    )
    numbers.add(f"{key}_band_used", swedish.number(len(frames[1])), _t("numbers.coding_band_used"), ref("population"))
    largest = first.sort_values(["n", "group"], ascending=[False, True]).iloc[0]
    numbers.add(
        f"{key}_largest_group",
        _t("group_and_label", group=largest.group, label=largest.group_label),
        _t("numbers.coding_largest_group"),
        ref("kommungrupp"),
    )
    numbers.add(
        f"{key}_largest_group_n", swedish.number(largest.n), _t("numbers.coding_largest_group_n"), ref("kommungrupp")
    )


def build_county_totals(combined: dict, config: dict, numbers: ReportNumbers, source: str) -> None:
    rows = breakdown_rows(combined["breakdowns"], source, "kommungrupp_2017")
    if not (rows["indicator"] == "all").all() or rows["group"].notna().any():
        raise ValueError(f"{source}: expected a 'not possible' breakdown record (indicator all, no groups)")
    ref_ = refs_of(combined["shares"], source, lambda r: r["indicator"] == "units_participated")[0]
    numbers.add(
        f"{source_key(config, source)}_units",
        swedish.number(rows["N"].iloc[0]),
        _t("numbers.county_totals_units"),
        ref_,
    )


def build_tests(combined: dict, config: dict, assets_dir: Path, numbers: ReportNumbers, roles_: dict[str, str]) -> None:
    shares, reproduction = combined["shares"], combined["reproduction"]
    oj, coding = roles_["oj"], roles_["coding"]
    summary = tests_summary(combined["tests"], roles_)
    refs = (
        values_refs(shares, config, oj)
        + refs_of(shares, coding, lambda r: r["category"] == "stated_yes")
        + refs_of(reproduction, roles_["size_classes"], lambda r: r["quantity"].str.startswith("size_class_count"))
        + refs_of(shares, roles_["county_totals"], lambda r: r["indicator"] == "units_participated")
        + (ref("kommungrupp"), ref("population"))
    )
    smallest, largest = max_group_size(combined["breakdowns"], (oj, coding))
    column = _group("tbl-size-tests.columns")
    tables.save(
        "tbl-size-tests",
        tests_table(summary, config),
        _t("tbl-size-tests.caption", smallest=swedish.number(smallest), largest=swedish.number(largest)),
        assets_dir,
        source_refs=refs,
        right_align=(column["indicators"], column["tested"], column["min_p"], column["min_p_holm"]),
        widths=(1.5, 1.6, 1.0, 0.9, 0.9, 0.9, 2.8),
    )
    ref_oj, ref_coding = refs[0], refs_of(shares, coding, lambda r: r["category"] == "stated_yes")[0]
    for r in summary.itertuples():
        if r.source not in (oj, coding):
            continue
        kind = "band" if r.breakdown in ("befolkningsgrupp", "population_band") else "kommungrupp"
        key = f"tests_{source_key(config, r.source)}_{kind}"
        ref_ = ref_oj if r.source == oj else ref_coding
        where = dict(source=r.source, breakdown=r.breakdown)
        numbers.add(f"{key}_n", swedish.number(r.indicators), _t("numbers.tests_n", **where), ref_)
        numbers.add(f"{key}_tested", swedish.number(r.tested), _t("numbers.tests_tested", **where), ref_)
        numbers.add(f"{key}_skipped", swedish.number(r.skipped), _t("numbers.tests_skipped", **where), ref_)
        if r.tested:
            numbers.add(f"{key}_min_p", swedish.number(r.min_p, 3), _t("numbers.tests_min_p", **where), ref_)
            numbers.add(
                f"{key}_min_p_holm", swedish.number(r.min_p_holm, 3), _t("numbers.tests_min_p_holm", **where), ref_
            )
    tested = summary[summary["tested"] > 0]
    numbers.add("tests_group_min", swedish.number(smallest), _t("numbers.tests_group_min"), ref_oj)
    numbers.add("tests_group_max", swedish.number(largest), _t("numbers.tests_group_max"), ref_coding)
    numbers.add("tests_total", swedish.number(int(tested["tested"].sum())), _t("numbers.tests_total"), ref_oj)
    numbers.add("tests_min_p", swedish.number(tested["min_p"].min(), 3), _t("numbers.tests_min_p_all"), ref_oj)
    numbers.add(
        "tests_min_p_holm", swedish.number(tested["min_p_holm"].min(), 3), _t("numbers.tests_min_p_holm_all"), ref_oj
    )


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    """Figures, tables and numbers of the section 'Kommunstorlek'."""
    assets_dir = Path(assets_dir)
    numbers = ReportNumbers(SECTION)
    roles_ = roles(combined["breakdowns"])
    build_size_classes(combined, config, assets_dir, numbers, roles_["size_classes"])
    build_oj(combined, config, assets_dir, numbers, roles_["oj"])
    build_coding(combined, config, assets_dir, numbers, roles_["coding"])
    build_county_totals(combined, config, numbers, roles_["county_totals"])
    build_tests(combined, config, assets_dir, numbers, roles_)
    numbers.write(assets_dir)
