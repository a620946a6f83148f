"""Schemas of the input tables, built from codebooks (data/raw/CONVENTIONS.md § Codebook).

A codebook row per column gives its type (string, integer, number, code, boolean), whether it
is required, its range, and for `code` columns the allowed codes (one row per code). From it:

* `read_codebook` — a codebook file, itself checked (CodebookError when malformed);
* `table_specs` — {file name: TableSpec} for every file the codebook describes;
* `build_schema` — a pandera DataFrameSchema for one table, plus a description of each check
  that validate.py turns into messages a researcher can act on.

Rules that hold whatever a codebook says live here too, in one place each: the unique key of
each kind of table (`UNIQUE_KEYS`), the columns that name municipalities, the ranges of count
columns (counts are never negative, percents are 0–100) and the cross-column rules of
counts.csv (n ≤ N, n_max ≤ N, n ≤ n_max, percent ≤ percent_max). The formats of tables that
are derived from a researcher's files (counts from survey microdata, the long coding table
from an interview coding sheet) and of the survey codebook are given as built-in codebooks in
the same schema (`FORMATS`).
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .input_errors import CodebookError, Problem
from .normalise import MunicipalityIndex

CODEBOOK_COLUMNS = ["file", "column", "code", "type", "required", "min", "max", "label_sv", "description"]
TYPES = ("string", "integer", "number", "code", "boolean")
BOOLEAN_VALUES = ("yes", "no", "true", "false", "ja", "nej", "1", "0")

# The unique key of each kind of table, by table name (file name without .csv).
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "counts": ("indicator", "category", "group_var", "group"),
    "oj_values": ("kommun", "indicator"),
    "coding": ("kommun", "code"),
    "municipalities": ("kommun",),
    "codes": ("code",),
    "indicators": ("indicator",),
    "development_areas": ("area_id", "size_class"),
    "lansdel_cooperation": ("kommun",),
    "lansdel_cooperation_details": ("lansdel", "attribute", "item_id"),
    "kommuner": ("kommunkod",),
    "name_aliases": ("alias",),
    "stockholm_districts": ("unit_id",),
    "survey_codebook": ("indicator", "category"),
}
# Columns whose every value must be a known municipality or Stockholm city district.
MUNICIPALITY_COLUMNS = ("kommun",)
# In counts.csv, rows whose group_var is one of these have a municipality id (slug) as `group`.
MUNICIPALITY_GROUP_VARS = ("kommun", "municipality")
# Count columns: ranges that hold whatever a codebook says.
COUNT_RANGES = {"n": (0, None), "n_max": (0, None), "N": (0, None), "percent": (0, 100), "percent_max": (0, 100)}
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")
SNAKE_CASE_COLUMNS = {"survey_codebook": ("indicator", "category")}


@dataclass(frozen=True)
class Rule:
    """A rule across the columns of one row, e.g. n ≤ N."""

    name: str
    columns: tuple[str, ...]
    holds: Callable[[pd.DataFrame], pd.Series]  # True where the row is fine (missing values are fine)
    message: Callable[[pd.Series], str]
    expected: str


def _le(a: str, b: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda d: d[a].isna() | d[b].isna() | (d[a] <= d[b])


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _le_rule(low: str, high: str, says: str, expected: str) -> Rule:
    """A rule `low ≤ high`; `says` names the values as {low} and {high}."""
    return Rule(
        f"{low} ≤ {high}",
        (low, high),
        _le(low, high),
        lambda r: says.format(low=_num(r[low]), high=_num(r[high])),
        expected,
    )


COUNTS_RULES = [
    _le_rule("n", "N", "n = {low} is greater than the base N = {high}", "n ≤ N (a count cannot exceed its base)"),
    _le_rule("n_max", "N", "n_max = {low} is greater than the base N = {high}", "n_max ≤ N"),
    _le_rule("n", "n_max", "the range n = {low} to n_max = {high} runs backwards", "n ≤ n_max (lower end first)"),
    _le_rule(
        "percent",
        "percent_max",
        "the range percent = {low} to percent_max = {high} runs backwards",
        "percent ≤ percent_max (lower end first)",
    ),
]
RULES = {"counts": COUNTS_RULES}


# --- built-in formats -----------------------------------------------------------------------------

FORMATS_CSV = """\
file,column,code,type,required,min,max,label_sv,description
counts.csv,indicator,,string,yes,,,Indikator/fråga,English snake_case id of the question/indicator
counts.csv,label,,string,yes,,,Frågans lydelse,The question/indicator in Swedish
counts.csv,category,,string,yes,,,Svarsalternativ,English snake_case id of the answer option; yes for a plain yes/no count
counts.csv,category_label,,string,yes,,,Svarsalternativ (text),The option in Swedish
counts.csv,group_var,,string,yes,,,Redovisningsvariabel,all for totals; otherwise the breakdown variable
counts.csv,group,,string,yes,,,Grupp,all for totals; otherwise the group id
counts.csv,n,,integer,no,0,,Antal,Count; empty when only a percent is known
counts.csv,n_max,,integer,no,0,,"Antal, övre gräns",Upper end of a range of counts; else empty
counts.csv,N,,integer,no,0,,Bas,The base; empty when none is stated
counts.csv,percent,,number,no,0,100,Procent,Percent as printed; empty when none is printed (always empty for counts computed from microdata)
counts.csv,percent_max,,number,no,0,100,"Procent, övre gräns",Upper end of a printed percent range; else empty
counts.csv,exclusive,,code,yes,,,Ömsesidigt uteslutande,yes when the categories of the indicator are mutually exclusive and exhaustive
counts.csv,exclusive,yes,,,,,Ja,Mutually exclusive and exhaustive answer set
counts.csv,exclusive,no,,,,,Nej,Multiple choice or partial list
counts.csv,unit,,string,yes,,,Enhet,"What is counted, in Swedish (kommuner/stadsdelar, respondenter …)"
counts.csv,source_ref,,string,yes,,,Källhänvisning,Where the figure comes from (file and section or column)
counts.csv,seed_line,,integer,no,1,,Rad i källfilen,Line in the seed file; empty for counts computed from microdata
counts.csv,note,,string,no,,,Anmärkning,How the figure was read or computed
coding.csv,kommun,,string,yes,,,Kommun,Official short name of the municipality (or Stockholm city district)
coding.csv,theme,,string,yes,,,Tema,Theme of the code (as in the code list)
coding.csv,code,,string,yes,,,Kod,Code id (as in the code list)
coding.csv,status,,code,yes,,,Status,What the coding sheet states about this municipality and this code
coding.csv,status,yes,,,,,Ja,The sheet lists the code for the municipality
coding.csv,status,no,,,,,Nej,"The sheet states explicitly that the municipality does not have it (prefix ""nej:"" or ""no:"")"
coding.csv,status,not_reported,,,,,Ej rapporterat,The sheet does not mention the code for the municipality: not evidence of absence
coding.csv,evidence,,string,no,,,Belägg,Quote or comment; empty for rows made from a coding sheet
coding.csv,source_ref,,string,yes,,,Källhänvisning,"Coding sheet, row and column of the cell (file only for not_reported)"
coding.csv,seed_line,,integer,no,1,,Rad i källfilen,Empty for rows made from a coding sheet
codes.csv,code,,string,yes,,,Kod,English snake_case id of the code
codes.csv,theme,,string,yes,,,Tema,Theme (column of the coding sheet) the code belongs to
codes.csv,label_sv,,string,no,,,Etikett,"Swedish label; may be written in the coding sheet instead of the code"
survey_codebook.csv,column,,string,yes,,,Kolumn i svarsfilen,"Column of the responses file (header as written, any case)"
survey_codebook.csv,indicator,,string,yes,,,Indikator,English snake_case id of the indicator in counts.csv
survey_codebook.csv,label,,string,yes,,,Frågans lydelse,The question in Swedish (counts.csv label; the same on every row of an indicator)
survey_codebook.csv,category,,string,yes,,,Kategori,English snake_case id of the category in counts.csv (yes for a plain yes/no count)
survey_codebook.csv,category_label,,string,yes,,,Kategori (text),The category in Swedish (counts.csv category_label)
survey_codebook.csv,answer,,string,yes,,,Svar som räknas,"The answer(s) in `column` counted in n: Ja, Nej, Delvis, Vet ej (any case) or an option as written; several separated by |; or a numeric condition such as >0 or >=50"
survey_codebook.csv,base_column,,string,no,,,Baskolumn,"Empty: the base N is every unit in the file (non-answers included). A column: N = units that answered it, or with base_answer those that gave that answer"
survey_codebook.csv,base_answer,,string,no,,,Bassvar,"With base_column: the answer(s) (or numeric condition) that put a unit in the base, e.g. Ja"
survey_codebook.csv,exclusive,,code,yes,,,Ömsesidigt uteslutande,yes when the categories of the indicator are mutually exclusive and exhaustive (counts.csv exclusive)
survey_codebook.csv,exclusive,yes,,,,,Ja,Mutually exclusive and exhaustive answer set
survey_codebook.csv,exclusive,no,,,,,Nej,Multiple choice or partial list
survey_codebook.csv,unit,,string,yes,,,Enhet,"What is counted, in Swedish (counts.csv unit), e.g. kommuner/stadsdelar"
survey_codebook.csv,note,,string,no,,,Anmärkning,Free text; copied to counts.csv note
"""


def _formats() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(FORMATS_CSV), dtype=str, keep_default_na=False, na_values=[""])


FORMATS = _formats()


# --- codebooks ------------------------------------------------------------------------------------


@dataclass
class ColumnSpec:
    name: str
    type: str
    required: bool
    min: float | None = None
    max: float | None = None
    codes: dict[str, str] = field(default_factory=dict)  # code -> Swedish label
    label: str = ""
    municipality: bool = False  # every value must name a known municipality or Stockholm district
    responses: bool = False  # Ja/Nej/Delvis/Vet ej (any case) are read as the codes yes/no/partly/dont_know


@dataclass
class TableSpec:
    file: str  # e.g. "counts.csv"
    table: str  # e.g. "counts": the kind of table, selects UNIQUE_KEYS and RULES
    columns: dict[str, ColumnSpec]
    key: tuple[str, ...] = ()
    rules: list[Rule] = field(default_factory=list)
    extra_columns: bool = False  # True: columns the spec does not describe are allowed (and ignored)
    municipality_groups: bool = False


def read_codebook(path: Path, name: str | None = None) -> pd.DataFrame:
    """A codebook.csv, read like any input (any encoding/separator, .xlsx) and checked."""
    from .readers import read_table

    table = read_table(path, name=name)
    return check_codebook(table.frame, table.name)


def check_codebook(codebook: pd.DataFrame, name: str) -> pd.DataFrame:
    """The codebook with its columns checked; CodebookError listing every problem."""
    problems = []
    missing = [c for c in CODEBOOK_COLUMNS[:7] if c not in codebook.columns]
    if missing:
        raise CodebookError(
            Problem(
                name,
                "missing column(s) " + ", ".join(f"'{c}'" for c in missing),
                "the codebook columns " + ", ".join(CODEBOOK_COLUMNS),
                row=1,
            )
        )
    codebook = codebook.copy()
    for column in CODEBOOK_COLUMNS:
        if column not in codebook.columns:
            codebook[column] = pd.Series(pd.NA, index=codebook.index, dtype="str")
    is_column_row = codebook["code"].isna()
    seen = {}
    for row, r in codebook.iterrows():
        where = dict(file=name, row=row)
        if pd.isna(r["file"]) or pd.isna(r["column"]):
            problems.append(
                Problem(
                    message="'file' or 'column' is empty",
                    expected="the file and column the row describes",
                    column="file" if pd.isna(r["file"]) else "column",
                    **where,
                )
            )
            continue
        key = (r["file"], r["column"], r["code"] if pd.notna(r["code"]) else None)
        if key in seen:
            problems.append(
                Problem(
                    message=f"'{r['file']}' column '{r['column']}'"
                    + (f" code '{key[2]}'" if key[2] else "")
                    + f" is described twice (first in row {seen[key]})",
                    expected="one row each",
                    column="code" if key[2] else "column",
                    value=r["column"],
                    **where,
                )
            )
        seen.setdefault(key, row)
        if not is_column_row[row]:
            continue
        if r["type"] not in TYPES:
            problems.append(
                Problem(
                    message=f"type '{r['type']}' is not a codebook type",
                    column="type",
                    value=r["type"],
                    expected="one of " + ", ".join(TYPES),
                    **where,
                )
            )
        if r["required"] not in ("yes", "no"):
            problems.append(
                Problem(
                    message=f"required '{r['required']}' is not yes or no",
                    column="required",
                    value=r["required"],
                    expected="yes or no",
                    **where,
                )
            )
        for bound in ("min", "max"):
            if pd.notna(r[bound]) and _number(r[bound]) is None:
                problems.append(
                    Problem(
                        message=f"{bound} '{r[bound]}' is not a number",
                        column=bound,
                        value=r[bound],
                        expected="a number or empty",
                        **where,
                    )
                )
    column_rows = codebook[is_column_row]
    declared = set(zip(column_rows["file"], column_rows["column"]))
    for row, r in codebook[~is_column_row].iterrows():
        if (r["file"], r["column"]) not in declared:
            problems.append(
                Problem(
                    name,
                    f"code '{r['code']}' belongs to '{r['file']}' column '{r['column']}', which has no column row",
                    "a row describing the column (code empty) first",
                    row=row,
                    column="code",
                    value=r["code"],
                )
            )
    for (file, column), rows in column_rows.groupby(["file", "column"]):
        if (
            rows["type"].iloc[0] == "code"
            and not ((codebook["file"] == file) & (codebook["column"] == column) & ~is_column_row).any()
        ):
            problems.append(
                Problem(
                    name,
                    f"'{file}' column '{column}' has type code but no codes are listed",
                    "one row per allowed code, or type string",
                    row=rows.index[0],
                    column="type",
                )
            )
    if problems:
        raise CodebookError(problems)
    return codebook


def _number(value) -> float | None:
    from .readers import parse_number

    return None if pd.isna(value) else parse_number(value)


def table_specs(codebook: pd.DataFrame) -> dict[str, TableSpec]:
    """{file name: TableSpec} for every file a (checked) codebook describes."""
    specs = {}
    column_rows = codebook[codebook["code"].isna()]
    for file, rows in column_rows.groupby("file", sort=False):
        table = Path(file).stem
        columns = {}
        for r in rows.itertuples():
            codes = codebook[(codebook["file"] == file) & (codebook["column"] == r.column) & codebook["code"].notna()]
            columns[r.column] = ColumnSpec(
                name=r.column,
                type=r.type,
                required=r.required == "yes",
                min=_number(r.min),
                max=_number(r.max),
                codes=dict(zip(codes["code"], codes["label_sv"].fillna(""))) if r.type == "code" else {},
                label="" if pd.isna(r.label_sv) else r.label_sv,
                municipality=r.column in MUNICIPALITY_COLUMNS,
            )
        specs[file] = make_spec(file, table, columns)
    return specs


def make_spec(file: str, table: str, columns: dict[str, ColumnSpec], extra_columns: bool = False) -> TableSpec:
    """A TableSpec with the key, rules and municipality checks that go with its kind of table."""
    for name in MUNICIPALITY_COLUMNS:
        if name in columns:
            columns[name].municipality = True
    return TableSpec(
        file=file,
        table=table,
        columns=columns,
        key=UNIQUE_KEYS.get(table, ()),
        rules=RULES.get(table, []),
        extra_columns=extra_columns,
        municipality_groups=table == "counts" and {"group_var", "group"} <= set(columns),
    )


def format_spec(file: str, table: str | None = None, extra_columns: bool = False) -> TableSpec:
    """The TableSpec of a built-in format (`FORMATS`): counts.csv, coding.csv, codes.csv, survey_codebook.csv."""
    spec = table_specs(FORMATS)[file]
    return make_spec(file, table or spec.table, spec.columns, extra_columns=extra_columns)


# --- pandera ---------------------------------------------------------------------------------------


@dataclass
class CheckInfo:
    """How to explain a failed check: per value (column checks) or per row (rules)."""

    column: str | None
    message: Callable[[object], str]  # raw value (column checks) or the row (rules) -> what is wrong
    expected: str | Callable[[object], str]  # text, or raw value -> text (e.g. the closest names)
    per_row: bool = False


def build_schema(
    spec: TableSpec, present: list[str], index: MunicipalityIndex | None
) -> tuple[pa.DataFrameSchema, dict[str, CheckInfo]]:
    """The pandera schema of the columns of `spec` that are present, and how to explain each check."""
    explain: dict[str, CheckInfo] = {}
    columns = {}
    for name in present:
        column = spec.columns[name]
        checks = []

        def add(check_id, fn, info, element_wise=False):
            explain[check_id] = info
            checks.append(pa.Check(fn, name=check_id, element_wise=element_wise, ignore_na=True))

        low, high = column.min, column.max
        if spec.table == "counts" and name in COUNT_RANGES:
            floor, ceiling = COUNT_RANGES[name]
            low = floor if low is None else max(low, floor)
            high = ceiling if high is None else (high if ceiling is None else min(high, ceiling))
        if column.type in ("integer", "number"):
            what = {
                "n": "a count",
                "n_max": "a count",
                "N": "a base",
                "percent": "a percent",
                "percent_max": "a percent",
            }.get(name, "a value")
            negative = " (a count cannot be negative)" if low == 0 and name in ("n", "n_max", "N") else ""
            over = " (a percent cannot exceed 100)" if high == 100 and name.startswith("percent") else ""
            if low is not None:
                add(
                    f"{name}:min",
                    lambda s, low=low: s >= low,
                    CheckInfo(
                        name,
                        lambda v, low=low, note=negative: f"'{v}' is below the minimum {_num(low)}{note}",
                        _range_text(low, high, what),
                    ),
                )
            if high is not None:
                add(
                    f"{name}:max",
                    lambda s, high=high: s <= high,
                    CheckInfo(
                        name,
                        lambda v, high=high, note=over: f"'{v}' is above the maximum {_num(high)}{note}",
                        _range_text(low, high, what),
                    ),
                )
        if column.type == "code" and column.responses:
            allowed, shown = list(column.codes), [label or code for code, label in column.codes.items()]
            add(
                f"{name}:codes",
                lambda s, allowed=allowed: s.isin(allowed),
                CheckInfo(
                    name,
                    lambda v, shown=shown: (
                        f"'{v}' is not an answer the survey codebook knows for this column" + _did_you_mean(v, shown)
                    ),
                    "one of " + ", ".join(shown) + " (any case), or an empty cell",
                ),
            )
        elif column.type == "code":
            allowed = list(column.codes)
            add(
                f"{name}:codes",
                lambda s, allowed=allowed: s.isin(allowed),
                CheckInfo(
                    name,
                    lambda v, allowed=allowed: f"'{v}' is not an allowed code" + _did_you_mean(v, allowed),
                    _one_of(allowed),
                ),
            )
        if column.type == "boolean":
            add(
                f"{name}:boolean",
                lambda s: s.str.casefold().isin(BOOLEAN_VALUES),
                CheckInfo(name, lambda v: f"'{v}' is not a yes/no value", "yes or no"),
            )
        if column.type == "string" and name in SNAKE_CASE_COLUMNS.get(spec.table, ()):
            add(
                f"{name}:snake",
                lambda s: s.str.match(SNAKE_CASE),
                CheckInfo(
                    name,
                    lambda v: f"'{v}' is not an English snake_case id",
                    "lower-case letters, digits and _ (e.g. women_learned_via)",
                ),
            )
        if column.municipality and index is not None:
            add(
                f"{name}:municipality",
                lambda v: index.resolve(v) is not None,
                CheckInfo(
                    name,
                    lambda v: f"'{v}' is not a known municipality or Stockholm city district",
                    index.describe_unknown,
                ),
                element_wise=True,
            )
        columns[name] = pa.Column(
            {"integer": "Int64", "number": "float64"}.get(column.type),
            nullable=not column.required,
            checks=checks,
            name=name,
        )
    frame_checks = []
    for rule in spec.rules:
        if set(rule.columns) <= set(present):
            explain[f"rule:{rule.name}"] = CheckInfo(rule.columns[0], rule.message, rule.expected, per_row=True)
            frame_checks.append(pa.Check(rule.holds, name=f"rule:{rule.name}"))
    if spec.municipality_groups and index is not None:

        def known_groups(d):
            return ~d["group_var"].isin(MUNICIPALITY_GROUP_VARS) | d["group"].map(
                lambda g: pd.notna(g) and index.resolve_slug(g) is not None
            ).astype(bool)

        explain["rule:municipality group"] = CheckInfo(
            "group",
            lambda r: f"group '{r['group']}' (group_var '{r['group_var']}') is not a known municipality",
            "a municipality id such as 'trollhattan' (the name in ASCII, _ between words) or a kommunkod",
            per_row=True,
        )
        frame_checks.append(pa.Check(known_groups, name="rule:municipality group"))
    key = [c for c in spec.key if c in present] if set(spec.key) <= set(present) else []
    schema = pa.DataFrameSchema(
        columns, checks=frame_checks, unique=key or None, report_duplicates="all", strict=False, coerce=False
    )
    return schema, explain


def _range_text(low, high, what: str) -> str:
    if low is not None and high is not None:
        return f"{what} from {_num(low)} to {_num(high)}"
    if low is not None:
        return f"{what} of at least {_num(low)}"
    return f"{what} of at most {_num(high)}"


def _one_of(allowed: list[str], limit: int = 12) -> str:
    shown = ", ".join(allowed[:limit])
    return "one of " + shown + (f" … ({len(allowed)} codes, see the codebook)" if len(allowed) > limit else "")


def _did_you_mean(value, allowed: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    if not close:
        folded = {a.casefold(): a for a in allowed}
        close = difflib.get_close_matches(str(value).casefold(), list(folded), n=1, cutoff=0.6)
        close = [folded[c] for c in close]
    return f"; did you mean '{close[0]}'?" if close else ""
