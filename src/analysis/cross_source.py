"""Indicators that several sources share, side by side (curated in config/cross_source.csv).

The mapping file has one row per theme × source (× scope for OJ) with the columns

    theme, theme_label_sv, source, table, indicator, category, definition_sv, comparable

* `table` says where the figure is and how `indicator` / `category` are read:
  - `counts`: the counts.csv row with this indicator and category (n, N, percent as printed);
  - `coding` (Dalarna): the number of municipalities coded `yes` on the code; several codes may
    be joined with `|` ("yes on any of them"); category is `yes`;
  - `oj_values` (OJ 2015): the number of the 8 municipalities with value 2; category is `ja`;
  - `indicators` (OJ 2015): the national share of ja (Bilaga 4); category is `national_share`;
  - `quantifier_statements` (size-class mapping): the statement with this `topic` and `quantifier`
    (no number is printed, so the figure is empty and the statement is quoted in the note);
  - `development_areas` (size-class mapping): the area; the size classes listing it are named in the note
    (a development area is a need, not the presence of the practice, so no figure is given);
  - `lansdel_cooperation_details` (size-class mapping): `indicator` = item_id, `category` = attribute;
    figure = county parts (lansdel) listing the item of all county parts (unit from the templates).
* `definition_sv`: what the figure measures, in Swedish, as precisely as the source allows.
* `comparable`: `yes` = the theme's reference definition (or the same definition); `partly` =
  the same subject with a different definition, population or base; `no` = related only.
  Output `definitions_differ` is True for every row whose `comparable` is not `yes`.
* `source_ref`: the distinct source_refs of the raw rows behind the figure, joined by "; "
  (provenance for the report's comparison table and figure).

Figures are never invented: `share` = figure_n / figure_N only when both exist; a percent that
the source prints without a count stays in `published_percent`. Where a census source prints a
count of its own units without a base, figure_N is the number of units in the census (its
municipalities or districts), and the note says so.
For Dalarna, `not_reported` is not `no`: the yes count is a lower bound ("minst").
"""

from fractions import Fraction
from pathlib import Path

import pandas as pd

from . import texts
from .errors import MissingConfigError, MissingEntryError, TableShapeError
from .io import read_raw_csv
from .numbers import round_half_up

MAPPING_COLUMNS = ["theme", "theme_label_sv", "source", "table", "indicator", "category", "definition_sv", "comparable"]
COMPARABLE = ("yes", "partly", "no")
CROSS_COLUMNS = "theme theme_label source region area year indicator category figure_n figure_N share published_percent unit definition definitions_differ comparable note source_ref".split()
# Units of counts.csv that count the units of a census (one respondent per unit in Stockholm).
CENSUS_UNITS = {"kommuner/stadsdelar", "respondenter", "kommuner"}
COMPARABLE_SV = texts.section("cross_source")["comparable"]


def default_mapping_path() -> Path:
    from . import paths

    return paths.ROOT / "config" / "cross_source.csv"


def load_mapping(path: Path | None = None) -> pd.DataFrame:
    mapping = read_raw_csv(Path(path) if path is not None else default_mapping_path())
    validate_mapping(mapping)
    return mapping


def validate_mapping(mapping: pd.DataFrame) -> None:
    if list(mapping.columns) != MAPPING_COLUMNS:
        raise TableShapeError(
            f"cross-source mapping must have the columns {MAPPING_COLUMNS}, got {list(mapping.columns)}"
        )
    empty = mapping[MAPPING_COLUMNS].isna()
    if empty.any().any():
        rows = sorted(set(empty[empty.any(axis=1)].index))
        raise TableShapeError(f"cross-source mapping has empty cells in rows {rows}")
    bad = sorted(set(mapping["comparable"]) - set(COMPARABLE))
    if bad:
        raise TableShapeError(f"comparable must be one of {COMPARABLE}, got {bad}")
    labels = mapping.groupby("theme")["theme_label_sv"].nunique()
    if (labels > 1).any():
        raise TableShapeError(f"themes with more than one label: {sorted(labels[labels > 1].index)}")
    scope = mapping["table"].map(lambda t: "national" if t == "indicators" else "source")
    keys = pd.DataFrame({"theme": mapping["theme"], "source": mapping["source"], "scope": scope})
    duplicated = keys[keys.duplicated(keep=False)]
    if len(duplicated):
        raise TableShapeError(f"more than one row per theme × source: {sorted(set(map(tuple, duplicated.to_numpy())))}")


def _sources_config(config: dict) -> dict:
    return config["sources"] if "sources" in config else config


def _source_note(meta: dict, source: str, key: str) -> str:
    """The source's own words for the cross-source table (config `cross_source_notes`)."""
    notes = meta.get("cross_source_notes") or {}
    if key not in notes:
        raise MissingConfigError(
            f"{source}: the config lacks cross_source_notes.{key} (the cross-source table needs it)"
        )
    return notes[key]


def _census_base(source: str, tables: dict, design: str | None) -> int | None:
    """Number of units in a census source: its municipalities table, else Stockholm's
    units_participated; None for other designs."""
    if design != "census":
        return None
    if "municipalities" in tables:
        return int(tables["municipalities"]["kommun"].nunique())
    counts = tables.get("counts")
    if counts is not None:
        row = counts[(counts["indicator"] == "units_participated") & (counts["category"] == "yes")]
        if len(row) and not pd.isna(row["n"].iloc[0]):
            return int(row["n"].iloc[0])
    return None


def _int_or_none(value):
    return None if value is None or pd.isna(value) else int(value)


def _float_or_none(value):
    return None if value is None or pd.isna(value) else float(value)


def _refs(rows: pd.DataFrame) -> list[str]:
    """The distinct source_refs of the raw rows behind a figure, in order (none if the table has
    no source_ref column)."""
    if "source_ref" not in rows.columns:
        return []
    return list(dict.fromkeys(str(r) for r in rows["source_ref"].dropna()))


class AbsentFromInputs(KeyError):
    """The mapping names a row (or table) the source's inputs do not have (a build from own data)."""


def _lookup(frame: pd.DataFrame, what: str, **criteria) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in criteria.items():
        mask &= frame[column].astype(str) == str(value)
    rows = frame[mask]
    if rows.empty:
        raise AbsentFromInputs(f"{what}: no row with {criteria}")
    return rows


def _text(key: str, **fields) -> str:
    return texts.get("cross_source", key, **fields)


def _figure(n, N, percent, unit, notes: list[str], refs: list[str], **extra) -> dict:
    """What a reader gives the cross-source table: figure_n, figure_N, the printed percent, the
    unit, the notes and the source_refs (and `area` where it differs from the source's)."""
    return {
        "figure_n": n,
        "figure_N": N,
        "published_percent": percent,
        "unit": unit,
        "notes": notes,
        "source_refs": refs,
        **extra,
    }


def _from_counts(tables, spec, source, meta) -> dict:
    rows = _lookup(tables["counts"], f"{source} counts.csv", indicator=spec["indicator"], category=spec["category"])
    if len(rows) > 1:
        raise TableShapeError(
            f"{source} counts.csv: {len(rows)} rows for {spec['indicator']}/{spec['category']}; "
            "the cross-source table needs exactly one"
        )
    row = rows.iloc[0]
    n, n_max, N = _int_or_none(row["n"]), _int_or_none(row["n_max"]), _int_or_none(row["N"])
    percent, percent_max = _float_or_none(row["percent"]), _float_or_none(row["percent_max"])
    notes = [_text("counts.line", line=row["seed_line"])]
    if n_max is not None:
        notes.append(_text("counts.range", n=n, n_max=n_max))
    if percent_max is not None:
        notes.append(_text("counts.percent_range", low=f"{percent:g}", high=f"{percent_max:g}"))
    if N is None:
        base = _census_base(source, tables, meta.get("design")) if row["unit"] in CENSUS_UNITS else None
        if base is not None and n is not None:
            N = base
            notes.append(_text("counts.census_base", N=base))
        else:
            notes.append(_text("counts.no_base"))
    if n is not None and N and percent is not None and percent_max is None:
        if int(round_half_up(Fraction(100 * int(n), int(N)))) != round(percent):
            notes.append(_text("counts.percent_differs", percent=f"{percent:g}", n=n, N=N))
    return _figure(n, N, percent, row["unit"], notes, _refs(rows))


def _from_coding(tables, spec, source, meta) -> dict:
    coding = tables["coding"]
    codes = [c.strip() for c in str(spec["indicator"]).split("|")]
    missing = sorted(set(codes) - set(coding["code"]))
    if missing:
        raise MissingEntryError(f"{source} coding.csv: no code {missing}")
    if spec["category"] != "yes":
        raise TableShapeError(f"{source} coding: category must be 'yes' (got {spec['category']!r})")
    rows = coding[coding["code"].isin(codes)]
    yes = sorted(set(rows.loc[rows["status"] == "yes", "kommun"]))
    explicit_no = sorted(set(rows.loc[rows["status"] == "no", "kommun"]) - set(yes))
    N = int(coding["kommun"].nunique())
    notes = [
        _text("coding.at_least", n=len(yes), N=N) + (f" ({', '.join(yes)})" if yes else ""),
        _text("coding.explicit_no", n=len(explicit_no)),
    ]
    if len(codes) > 1:
        notes.append(_text("coding.any_code", codes=", ".join(codes)))
    return _figure(len(yes), N, None, "kommuner", notes, _refs(rows))


def _from_oj_values(tables, spec, source, meta) -> dict:
    if spec["category"] != "ja":
        raise TableShapeError(f"{source} oj_values: category must be 'ja' (got {spec['category']!r})")
    rows = _lookup(tables["oj_values"], f"{source} oj_values.csv", indicator=spec["indicator"])
    values = pd.to_numeric(rows["value"])
    notes = [
        _text("oj_values.selection", n=int(values.notna().sum()), selection=_source_note(meta, source, "selection"))
    ]
    if (values == 1).any():
        notes.append(_text("oj_values.partly", n=int((values == 1).sum())))
    return _figure(int((values == 2).sum()), int(values.notna().sum()), None, "kommuner", notes, _refs(rows))


def _from_indicators(tables, spec, source, meta) -> dict:
    if spec["category"] != "national_share":
        raise TableShapeError(f"{source} indicators: category must be 'national_share' (got {spec['category']!r})")
    rows = _lookup(tables["indicators"], f"{source} indicators.csv", indicator=spec["indicator"])
    row = rows.iloc[0]
    return _figure(
        None,
        None,
        _float_or_none(row["national_share_percent"]),
        "kommuner",
        [_text("indicators.national", line=row["seed_line"], detail=_source_note(meta, source, "national_base"))],
        _refs(rows.iloc[:1]),
        area=_source_note(meta, source, "national_area"),
    )


def _from_quantifier(tables, spec, source, meta) -> dict:
    rows = _lookup(
        tables["quantifier_statements"],
        f"{source} quantifier_statements.csv",
        topic=spec["indicator"],
        quantifier=spec["category"],
    )
    row = rows.iloc[0]
    return _figure(
        None,
        None,
        None,
        None,
        [_text("quantifier", label=row["quantifier_label"], statement=row["statement"], line=row["seed_line"])],
        _refs(rows.iloc[:1]),
    )


def _from_development_areas(tables, spec, source, meta) -> dict:
    rows = _lookup(tables["development_areas"], f"{source} development_areas.csv", area_id=spec["indicator"])
    listed = rows.loc[rows["stated"] == spec["category"], "size_class"].tolist()
    all_classes = rows["size_class"].tolist()
    return _figure(
        None,
        None,
        None,
        None,
        [
            _text(
                "development_areas",
                area=rows["area_label"].iloc[0],
                n=len(listed),
                N=len(all_classes),
                listed=", ".join(listed),
            )
        ],
        _refs(rows),
    )


def _from_lansdel(tables, spec, source, meta) -> dict:
    details = tables["lansdel_cooperation_details"]
    rows = _lookup(
        details, f"{source} lansdel_cooperation_details.csv", item_id=spec["indicator"], attribute=spec["category"]
    )
    listed = sorted(set(rows.loc[rows["stated"] == "yes", "lansdel_label"]))
    N = int(details["lansdel"].nunique())
    municipalities = tables.get("lansdel_cooperation")
    covered = ""
    if municipalities is not None:
        in_listed = municipalities[municipalities["lansdel_label"].isin(listed)]["kommun"].nunique()
        covered = _text("lansdel.covered", n=in_listed, N=municipalities["kommun"].nunique())
    return _figure(
        len(listed),
        N,
        None,
        _text("lansdel.unit"),
        [_text("lansdel.counted", listed=", ".join(listed), covered=covered)],
        _refs(rows),
    )


def _absent(spec, source) -> dict:
    """No figure: the source's own inputs lack the mapped row (never 0, never a published figure)."""
    from .report_vars import MISSING_TEXT, missing_ref

    return _figure(None, None, None, "", [f"{MISSING_TEXT} i indata"], [missing_ref(source, spec["indicator"])])


READERS = {
    "counts": _from_counts,
    "coding": _from_coding,
    "oj_values": _from_oj_values,
    "indicators": _from_indicators,
    "quantifier_statements": _from_quantifier,
    "development_areas": _from_development_areas,
    "lansdel_cooperation_details": _from_lansdel,
}


def cross_source_table(config: dict, tables_by_source: dict, mapping: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per theme × source (OJ: the 8 municipalities and the nation as two rows), in the
    order of the mapping, with the columns CROSS_COLUMNS (the brief's columns plus area, category
    and comparable). `config` is the parsed config YAML (or its `sources:` part);
    `tables_by_source` = {source: load_published(dir)}; `mapping` defaults to config/cross_source.csv."""
    mapping = load_mapping() if mapping is None else mapping
    validate_mapping(mapping)
    sources = _sources_config(config)
    records = []
    for spec in mapping.to_dict("records"):
        source, table = spec["source"], spec["table"]
        if source not in sources:
            raise MissingEntryError(f"source {source!r} of theme {spec['theme']!r} is not in the config")
        if source not in tables_by_source:
            raise MissingEntryError(f"no tables loaded for source {source!r} (theme {spec['theme']!r})")
        if table not in READERS:
            raise TableShapeError(f"unknown table {table!r} in the mapping (known: {sorted(READERS)})")
        meta = sources[source]
        try:
            if table not in tables_by_source[source]:
                raise AbsentFromInputs(f"source {source!r} has no table {table!r}")
            figure = READERS[table](tables_by_source[source], spec, source, meta)
        except AbsentFromInputs:
            if meta.get("inputs", {}).get("kind", "published") == "published":
                raise  # the published tables must have every mapped row
            figure = _absent(spec, source)
        n, N = figure["figure_n"], figure["figure_N"]
        notes = figure["notes"] + [COMPARABLE_SV[spec["comparable"]]]
        records.append(
            {
                "theme": spec["theme"],
                "theme_label": spec["theme_label_sv"],
                "source": source,
                "region": meta.get("region"),
                "area": figure.get("area", meta.get("area")),
                "year": _int_or_none(meta.get("year")),
                "indicator": spec["indicator"],
                "category": spec["category"],
                "figure_n": n,
                "figure_N": N,
                "share": n / N if n is not None and N else None,
                "published_percent": figure["published_percent"],
                "unit": figure["unit"],
                "definition": spec["definition_sv"],
                "definitions_differ": spec["comparable"] != "yes",
                "comparable": spec["comparable"],
                "note": "; ".join(notes),
                "source_ref": "; ".join(figure["source_refs"]),
            }
        )
    out = pd.DataFrame(records, columns=CROSS_COLUMNS)
    out["year"] = pd.array(out["year"].tolist(), dtype="Int64")
    out["figure_n"] = pd.array(out["figure_n"].tolist(), dtype="Int64")
    out["figure_N"] = pd.array(out["figure_N"].tolist(), dtype="Int64")
    out["share"] = pd.to_numeric(out["share"]).astype("float64")
    out["published_percent"] = pd.to_numeric(out["published_percent"]).astype("float64")
    out["definitions_differ"] = out["definitions_differ"].astype(bool)
    return out
