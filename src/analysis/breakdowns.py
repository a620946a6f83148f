"""Breakdowns by municipality size and type, one tidy frame per source.

Every function returns the columns of BREAKDOWN_COLUMNS:

    source, breakdown, indicator, category, group, group_label, n, N, share, value, note

* `breakdown`: size_class (a source's own size classes), befolkningsgrupp (SKL's population bands,
  as printed in the OJ table), kommungrupp_2017 (SKR's 2017 municipality groups, joined via
  kommunkod), population_band (the SKL bands applied to SCB population).
* `indicator`: what is counted. `municipalities` = the number of municipalities in the group
  (n of N in the whole source); otherwise an OJ indicator id, a Dalarna code, `development_areas` …
* `category`: the answer counted (ja / delvis / nej, yes / no / not_reported, a municipality name
  for per-municipality rows, a domain) or empty.
* `n` and `N`: integers (nullable Int64); `share` = n / N; `value`: a number that is not a share
  (mean ja-count, development areas per municipality), else empty.

Groups: rows with `indicator == "municipalities"` list every group of the scheme, also empty ones,
so coverage is visible; the other rows exist only for groups that hold at least one municipality.
Which breakdowns a source gets is declared in its config (`breakdowns: [...]`, `[]` for none);
which function makes them is chosen by the shape of its tables (`SHAPES`), never by its id. A
source whose tables cannot give a declared breakdown (county totals only) gets an explicit 'not
possible' record; a source without a declaration is a ConfigError, never silently skipped.
Source-specific notes (where a grouping was printed, what a group means) come from the config's
`breakdown_notes`.

Numbers only: formatting belongs to analysis.swedish.
"""

import pandas as pd

from . import oj, texts
from .errors import ConfigError, NumberError, TableShapeError, require_unique
from .swedish import number

BREAKDOWN_COLUMNS = "source breakdown indicator category group group_label n N share value note".split()

# SKL's befolkningsgrupp bands (SKL 2016, Bilaga 3, lines 2068–2073): (group, lowest, highest).
POPULATION_BANDS = [
    ("1", 0, 14_999),
    ("2", 15_000, 29_999),
    ("3", 30_000, 69_999),
    ("4", 70_000, 199_999),
    ("5", 200_000, None),
]
SIZE_CLASSES = texts.section("breakdowns")["size_classes"]  # larger, medium, smaller → their labels
CODING_STATUSES = ["yes", "no", "not_reported"]  # a coding sheet's cell statuses (coding.csv `status`)
OJ_CATEGORIES = oj.VALUE_LABELS  # 2: ja, 1: delvis, 0: nej
# The breakdowns an ÖJ matrix and a municipality table (coding sheet, totals) support; what their
# functions make when they are called without a declaration.
OJ_BREAKDOWNS = ("befolkningsgrupp", "kommungrupp_2017")
MUNICIPALITY_BREAKDOWNS = ("kommungrupp_2017", "population_band")


def _text(key: str, **fields) -> str:
    return texts.get("breakdowns", key, **fields)


def band_label(group: str) -> str:
    for code, low, high in POPULATION_BANDS:
        if code == str(group):
            return (
                _text("population_band", low=number(low), high=number(high))
                if high is not None
                else _text("population_band_open", low=number(low))
            )
    raise ConfigError(f"no population band {group!r}; the bands are {[c for c, _, _ in POPULATION_BANDS]}")


def population_band(population) -> str:
    """SKL befolkningsgrupp ('1'…'5') for a population figure."""
    if population is None or pd.isna(population):
        raise NumberError("population missing: cannot assign a population band")
    population = int(population)
    if population < 0:
        raise NumberError(f"negative population {population}")
    for code, low, high in POPULATION_BANDS:
        if population >= low and (high is None or population <= high):
            return code
    raise AssertionError("unreachable")  # pragma: no cover


def _frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)
    for column in ["n", "N"]:
        out[column] = pd.array(out[column].tolist(), dtype="Int64")
    for column in ["share", "value"]:
        out[column] = pd.to_numeric(out[column]).astype("float64")
    for column in ["source", "breakdown", "indicator", "category", "group", "group_label", "note"]:
        out[column] = out[column].astype("object").where(out[column].notna(), None)
    return out


def _share(n, N):
    return n / N if N else float("nan")


def _row(
    source,
    breakdown,
    indicator,
    group,
    n=None,
    N=None,
    *,
    category=None,
    group_label=None,
    share=None,
    value=None,
    note=None,
) -> dict:
    if share is None and n is not None and N is not None:
        share = _share(n, N)
    return {
        "source": source,
        "breakdown": breakdown,
        "indicator": indicator,
        "category": category,
        "group": group,
        "group_label": group_label,
        "n": n,
        "N": N,
        "share": share,
        "value": value,
        "note": note,
    }


def _municipality_rows(source, breakdown, groups: pd.Series, scheme: dict[str, str], note=None) -> list[dict]:
    """One `municipalities` row per group of the scheme (empty groups included)."""
    total = len(groups)
    counts = groups.value_counts()
    unknown = sorted(set(counts.index) - set(scheme))
    if unknown:
        raise TableShapeError(f"{source}: groups {unknown} are not in the {breakdown} scheme")
    return [
        _row(source, breakdown, "municipalities", group, int(counts.get(group, 0)), total, group_label=label, note=note)
        for group, label in scheme.items()
    ]


def kommungrupp_scheme(reference) -> dict[str, str]:
    """{code: label} of the kommungrupper ('A1': …) in code order, from the reference table."""
    kommuner, _ = oj.reference_tables(reference)
    pairs = kommuner[["kommungrupp_2017", "kommungrupp_2017_namn"]].drop_duplicates()
    if pairs["kommungrupp_2017"].duplicated().any():
        raise TableShapeError("a kommungrupp_2017 code has two names in the reference")
    return dict(sorted(zip(pairs["kommungrupp_2017"].astype(str), pairs["kommungrupp_2017_namn"].astype(str))))


def band_scheme() -> dict[str, str]:
    return {code: band_label(code) for code, _, _ in POPULATION_BANDS}


def municipality_attributes(names, reference) -> pd.DataFrame:
    """kommun, kommunkod, kommungrupp_2017 (+ name) and the four population columns."""
    kommuner, _ = oj.reference_tables(reference)
    codes = oj.resolve_kommunkod(names, reference)
    frame = pd.DataFrame({"kommun": [str(n) for n in names], "kommunkod": codes.to_numpy()})
    columns = [
        "kommunkod",
        "kommungrupp_2017",
        "kommungrupp_2017_namn",
        "folkmangd_2008",
        "folkmangd_2015",
        "folkmangd_2019",
        "folkmangd_2020",
    ]
    ref = kommuner[[c for c in columns if c in kommuner.columns]].copy()
    ref["kommunkod"] = ref["kommunkod"].astype(str)
    return frame.merge(ref, on="kommunkod", how="left", validate="many_to_one")


# ---------------------------------------------------------------------------------------------
# Size classes printed by the source (a `size_class` column in `municipalities`, a class-level
# `development_areas` table)
# ---------------------------------------------------------------------------------------------


def size_class_breakdowns(
    tables: dict, reference=None, *, source: str, breakdowns=("size_class",), notes: dict | None = None, **_
) -> pd.DataFrame:
    """Development areas (Tabell 1) per size class, the municipalities per class, areas per
    municipality, and every counts.csv row with group_var = size_class (as printed).

    Only `stated = yes` cells count. An empty cell is `not_listed`: the class did not name the
    area, which is not the same as the area being no concern there."""
    _supported(source, breakdowns, {"size_class"})
    breakdown, notes = "size_class", notes or {}
    municipalities = tables["municipalities"]
    areas = tables["development_areas"]
    unknown = sorted(set(municipalities["size_class"]) - set(SIZE_CLASSES))
    if unknown:
        raise TableShapeError(f"{source}: unknown size classes {unknown}; known: {list(SIZE_CLASSES)}")
    per_class = municipalities["size_class"].value_counts()
    rows = _municipality_rows(
        source, breakdown, municipalities["size_class"].astype(str), SIZE_CLASSES, note=notes.get(breakdown)
    )

    n_areas = areas["area_id"].nunique()
    stated = areas[areas["stated"] == "yes"]
    shared = stated["shared_by_all"] == "yes"
    for group, label in SIZE_CLASSES.items():
        k = int(per_class.get(group, 0))
        in_class = stated["size_class"] == group
        parts = {
            "all": int(in_class.sum()),
            "class_specific": int((in_class & ~shared).sum()),
            "shared_by_all": int((in_class & shared).sum()),
        }
        for category, n in parts.items():
            rows.append(
                _row(
                    source,
                    breakdown,
                    "development_areas",
                    group,
                    n,
                    n_areas,
                    category=category,
                    group_label=label,
                    value=n / k if k else float("nan"),
                    note=_text("size_class.areas", text=_text(f"size_class.{category}"), areas=n_areas, k=k),
                )
            )
        for domain, domain_rows in areas.groupby("domain", sort=False):
            n_domain = domain_rows["area_id"].nunique()
            n = int(((domain_rows["size_class"] == group) & (domain_rows["stated"] == "yes")).sum())
            rows.append(
                _row(
                    source,
                    breakdown,
                    "development_areas_by_domain",
                    group,
                    n,
                    n_domain,
                    category=str(domain),
                    group_label=label,
                    value=n / k if k else float("nan"),
                    note=_text("size_class.domain", areas=n_domain, domain=domain_rows["domain_label"].iloc[0]),
                )
            )

    counts = tables.get("counts")
    if counts is not None:
        printed = counts[counts["group_var"] == breakdown]
        for record in printed.itertuples(index=False):
            n = None if pd.isna(record.n) else int(record.n)
            N = None if pd.isna(record.N) else int(record.N)
            k = int(per_class.get(record.group, 0))
            check = ""
            if record.indicator == "municipalities_in_size_class" and n is not None:
                check = _text("size_class.agrees") if n == k else _text("size_class.differs", k=k)
            base = _text("size_class.no_base") if N is None else _text("size_class.base")
            rows.append(
                _row(
                    source,
                    breakdown,
                    str(record.indicator),
                    str(record.group),
                    n,
                    N,
                    category=str(record.category),
                    group_label=SIZE_CLASSES.get(record.group),
                    note=_text("size_class.printed", line=record.seed_line, base=base, check=check),
                )
            )
    return _frame(rows)


# ---------------------------------------------------------------------------------------------
# An ÖJ matrix (`oj_values` + `municipalities` with the printed befolkningsgrupp and ja-counts):
# the municipalities by befolkningsgrupp and kommungrupp_2017
# ---------------------------------------------------------------------------------------------


def oj_municipalities(tables: dict, reference) -> pd.DataFrame:
    """The 8 municipalities: kommun, kommunkod, befolkningsgrupp (printed), kommungrupp_2017 (+ name),
    folkmangd_2015, ja_count_published and ja_count_recomputed (number of 2s in oj_values)."""
    municipalities = tables["municipalities"]
    out = municipality_attributes(municipalities["kommun"], reference)
    out["befolkningsgrupp"] = municipalities["befolkningsgrupp"].astype(str).to_numpy()
    out["ja_count_published"] = municipalities["ja_count_published"].astype("Int64").to_numpy()
    values = tables["oj_values"]
    recount = (pd.to_numeric(values["value"]) == 2).groupby(values["kommun"]).sum()
    missing = sorted(set(out["kommun"]) - set(recount.index))
    if missing:
        raise TableShapeError(f"municipalities without OJ values: {missing}")
    out["ja_count_recomputed"] = out["kommun"].map(recount).astype("Int64")
    return out


def oj_breakdowns(
    tables: dict, reference, *, source: str, breakdowns=OJ_BREAKDOWNS, notes: dict | None = None, **_
) -> pd.DataFrame:
    """Per breakdown (befolkningsgrupp, kommungrupp_2017) and group: the number of municipalities,
    each municipality's published and recomputed ja-count (category = kommun, N = 60), the group
    means (value), and per OJ indicator the counts of ja / delvis / nej (N = municipalities in the
    group)."""
    munis = oj_municipalities(tables, reference)
    long = tables["oj_values"][["kommun", "indicator", "value"]].copy()
    long["value"] = pd.to_numeric(long["value"]).astype(int)
    _supported(source, breakdowns, set(OJ_BREAKDOWNS))
    notes = notes or {}
    schemes = {"befolkningsgrupp": lambda: band_scheme(), "kommungrupp_2017": lambda: kommungrupp_scheme(reference)}
    indicators = sorted(long["indicator"].unique())
    n_indicators = len(indicators)  # per municipality: the matrix is complete (oj_kommun_long checks)
    rows = []
    for breakdown in breakdowns:
        column, scheme = breakdown, schemes[breakdown]()
        rows += _municipality_rows(source, breakdown, munis[column].astype(str), scheme, note=notes.get(breakdown))
        group_of = dict(zip(munis["kommun"], munis[column].astype(str)))
        for group in [g for g in scheme if g in set(group_of.values())]:
            members = munis[munis[column].astype(str) == group].sort_values("kommun")
            k = len(members)
            for m in members.itertuples(index=False):
                differs = int(m.ja_count_published) != int(m.ja_count_recomputed)
                for kind, n, other in (
                    ("published", m.ja_count_published, m.ja_count_recomputed),
                    ("recomputed", m.ja_count_recomputed, m.ja_count_published),
                ):
                    note = _text(f"oj.{kind}", N=n_indicators) + (
                        _text(f"oj.{kind}_differs", n=other) if differs else ""
                    )
                    rows.append(
                        _row(
                            source,
                            breakdown,
                            f"ja_count_{kind}",
                            group,
                            int(n),
                            n_indicators,
                            category=m.kommun,
                            group_label=scheme[group],
                            note=note,
                        )
                    )
            for kind in ["published", "recomputed"]:
                counts = members[f"ja_count_{kind}"].astype(float)
                rows.append(
                    _row(
                        source,
                        breakdown,
                        f"ja_count_{kind}_mean",
                        group,
                        None,
                        k,
                        group_label=scheme[group],
                        value=float(counts.mean()),
                        note=_text("oj.mean", k=k, N=n_indicators),
                    )
                )
            in_group = long[long["kommun"].map(group_of) == group]
            table = (
                in_group.groupby(["indicator", "value"])
                .size()
                .unstack(fill_value=0)
                .reindex(index=indicators, columns=list(OJ_CATEGORIES), fill_value=0)
            )
            for indicator in indicators:
                for value, category in OJ_CATEGORIES.items():
                    rows.append(
                        _row(
                            source,
                            breakdown,
                            indicator,
                            group,
                            int(table.loc[indicator, value]),
                            k,
                            category=category,
                            group_label=scheme[group],
                        )
                    )
    return _frame(rows)


def oj_group_summary(tables: dict, reference, breakdown: str = "befolkningsgrupp") -> pd.DataFrame:
    """Convenience wide view, one row per group holding municipalities: group, group_label,
    n_municipalities, kommuner (list), ja_count_published (list), ja_count_published_mean,
    ja_count_recomputed (list), ja_count_recomputed_mean."""
    frame = oj_breakdowns(tables, reference, source="", breakdowns=(breakdown,))
    out = []
    for group, rows in frame[frame["indicator"] == "ja_count_published"].groupby("group", sort=True):
        recomputed = frame[(frame["indicator"] == "ja_count_recomputed") & (frame["group"] == group)]
        out.append(
            {
                "breakdown": breakdown,
                "group": group,
                "group_label": rows["group_label"].iloc[0],
                "n_municipalities": len(rows),
                "kommuner": rows["category"].tolist(),
                "ja_count_published": [int(v) for v in rows["n"]],
                "ja_count_published_mean": float(rows["n"].astype(float).mean()),
                "ja_count_recomputed": [int(v) for v in recomputed["n"]],
                "ja_count_recomputed_mean": float(recomputed["n"].astype(float).mean()),
            }
        )
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------------------------
# An interview coding sheet (`coding`: kommun × code × status) by kommungrupp_2017 and population band
# ---------------------------------------------------------------------------------------------


def coding_municipalities(tables: dict, reference, population_column: str) -> pd.DataFrame:
    """The coded municipalities with kommunkod, kommungrupp_2017 and population_band from
    `population_column` (the source's `population_column` in the config)."""
    names = (
        tables["municipalities"]["kommun"]
        if "municipalities" in tables
        else pd.Series(list(dict.fromkeys(tables["coding"]["kommun"])))
    )
    out = municipality_attributes(names, reference)
    out["population"] = out[population_column]
    out["population_band"] = out["population"].map(population_band)
    return out


def check_coding_grid(coding: pd.DataFrame, municipalities) -> None:
    """Every municipality × code exactly once, status in yes / no / not_reported."""
    bad_status = sorted(set(coding["status"].astype(str)) - set(CODING_STATUSES))
    if bad_status:
        raise TableShapeError(f"coding.status outside {CODING_STATUSES}: {bad_status}")
    require_unique(coding, ["kommun", "code"], "coding has duplicate kommun × code rows")
    expected = len(set(municipalities)) * coding["code"].nunique()
    if len(coding) != expected or set(coding["kommun"]) != set(municipalities):
        raise TableShapeError(
            f"coding is not a complete municipality × code grid ({len(coding)} rows, expected {expected})"
        )


def coding_breakdowns(
    tables: dict,
    reference,
    *,
    source: str,
    breakdowns=MUNICIPALITY_BREAKDOWNS,
    notes: dict | None = None,
    population_column: str | None = None,
    **_,
) -> pd.DataFrame:
    """Per code × group (kommungrupp_2017, population_band): N = municipalities in the group and
    n coded yes / no / not_reported (category). `not_reported` is not `no`: a yes share is a
    lower bound for how common a practice is."""
    _supported(source, breakdowns, set(MUNICIPALITY_BREAKDOWNS))
    if "population_band" in breakdowns and not population_column:
        raise ConfigError(
            f"{source}: the breakdown population_band needs `population_column` "
            "(e.g. folkmangd_2019) in the source's config"
        )
    munis = coding_municipalities(tables, reference, population_column or "folkmangd_2019")
    coding = tables["coding"]
    check_coding_grid(coding, munis["kommun"])
    codes = list(dict.fromkeys(coding["code"]))  # order of the coding sheet
    makers = {"kommungrupp_2017": lambda: kommungrupp_scheme(reference), "population_band": band_scheme}
    schemes = {breakdown: makers[breakdown]() for breakdown in breakdowns}
    notes = notes or {}
    status_notes = {status: _text(f"coding.{status}") for status in CODING_STATUSES}
    rows = []
    for breakdown, scheme in schemes.items():
        rows += _municipality_rows(source, breakdown, munis[breakdown].astype(str), scheme, note=notes.get(breakdown))
        group_of = dict(zip(munis["kommun"], munis[breakdown].astype(str)))
        with_group = coding.assign(group=coding["kommun"].map(group_of))
        sizes = munis[breakdown].astype(str).value_counts()
        for group in [g for g in scheme if g in sizes.index]:
            k = int(sizes[group])
            in_group = with_group[with_group["group"] == group]
            for code in codes:
                statuses = in_group.loc[in_group["code"] == code, "status"].value_counts()
                for status in CODING_STATUSES:
                    rows.append(
                        _row(
                            source,
                            breakdown,
                            code,
                            group,
                            int(statuses.get(status, 0)),
                            k,
                            category=status,
                            group_label=scheme[group],
                            note=status_notes[status],
                        )
                    )
    return _frame(rows)


# ---------------------------------------------------------------------------------------------
# Totals only (a counts table without any grouping): not possible
# ---------------------------------------------------------------------------------------------


def totals_only_breakdowns(
    tables: dict, reference=None, *, source: str, breakdowns=MUNICIPALITY_BREAKDOWNS, notes: dict | None = None, **_
) -> pd.DataFrame:
    """An explicit 'not possible' record per declared breakdown: the source publishes totals only
    (every counts row has group_var = all), so no breakdown is made up. The note is the config's
    `breakdown_notes.not_possible`. Raises if the data ever do carry a breakdown, so this record
    cannot silently go stale."""
    counts = tables["counts"]
    group_vars = sorted(set(counts["group_var"].astype(str)))
    if group_vars != ["all"]:
        raise TableShapeError(
            f"{source}: counts now carry group_var {group_vars}; "
            "replace the 'not possible' record with a real breakdown"
        )
    units = counts[(counts["indicator"] == "units_participated") & (counts["category"] == "yes")]
    N = int(units["n"].iloc[0]) if len(units) and not pd.isna(units["n"].iloc[0]) else None
    note = (notes or {}).get("not_possible")
    rows = [_row(source, breakdown, "all", None, None, N, note=note) for breakdown in breakdowns]
    return _frame(rows)


# ---------------------------------------------------------------------------------------------
# Dispatch on the shape of a source's tables
# ---------------------------------------------------------------------------------------------

# (shape, the tables it needs, the function): the first shape whose tables are all present wins.
SHAPES = (
    ("oj_matrix", {"oj_values", "municipalities"}, oj_breakdowns),
    ("coding_sheet", {"coding"}, coding_breakdowns),
    ("size_classes", {"development_areas", "municipalities"}, size_class_breakdowns),
    ("totals_only", {"counts"}, totals_only_breakdowns),
)


def _supported(source: str, declared, supported: set) -> None:
    unknown = [b for b in declared if b not in supported]
    if unknown:
        raise ConfigError(
            f"{source}: breakdowns {unknown} are declared, but its tables support only {sorted(supported)}"
        )


def table_shape(source: str, tables: dict) -> str:
    """The name of the first SHAPES entry whose tables `tables` has."""
    for shape, needs, _ in SHAPES:
        if needs <= set(tables):
            return shape
    raise TableShapeError(
        f"{source}: tables {sorted(tables)} have no known shape for breakdowns "
        f"(known: {[(shape, sorted(needs)) for shape, needs, _ in SHAPES]}); "
        "declare `breakdowns: []` in the config if none applies"
    )


def declared_breakdowns(source: str, source_config: dict) -> list[str]:
    """The source's `breakdowns` declaration ([] = none); a source without one is a ConfigError."""
    if "breakdowns" not in source_config:
        raise ConfigError(
            f"{source}: the config does not declare `breakdowns` (a list such as "
            "[kommungrupp_2017, population_band], or [] for none)"
        )
    return list(source_config["breakdowns"] or [])


def dispatch(source: str, source_config: dict, tables: dict, reference, functions: dict, empty: pd.DataFrame):
    """Call the function of `functions` ({shape: function}) that the tables' shape selects, with
    the source's declared breakdowns and its config's notes, population column and not-testable
    records; `empty` when the source declares no breakdowns."""
    declared = declared_breakdowns(source, source_config)
    if not declared:
        return empty
    return functions[table_shape(source, tables)](
        tables,
        reference,
        source=source,
        breakdowns=declared,
        notes=source_config.get("breakdown_notes") or {},
        population_column=source_config.get("population_column"),
        not_testable=source_config.get("not_testable"),
    )


def for_every_source(config: dict, tables_by_source: dict, reference, one_source, empty: pd.DataFrame):
    """one_source(source, its config, its tables, reference) for every source loaded (config
    order), the non-empty results concatenated; `empty` when there are none."""
    parts = [
        one_source(source, config["sources"][source], tables, reference) for source, tables in tables_by_source.items()
    ]
    parts = [part for part in parts if len(part)]
    return pd.concat(parts, ignore_index=True) if parts else empty


def source_breakdowns(source: str, source_config: dict, tables: dict, reference) -> pd.DataFrame:
    """The declared breakdowns of one source, by the function its tables' shape selects."""
    return dispatch(
        source, source_config, tables, reference, {shape: function for shape, _, function in SHAPES}, _frame([])
    )


def all_breakdowns(config: dict, tables_by_source: dict, reference) -> pd.DataFrame:
    """Every configured source's breakdowns (in config order), concatenated."""
    return for_every_source(config, tables_by_source, reference, source_breakdowns, _frame([]))[BREAKDOWN_COLUMNS]
