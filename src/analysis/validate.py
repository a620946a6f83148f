"""Validating input tables against their schemas, reporting every problem of a file at once.

`validate_table` takes a table as read (text cells, index = spreadsheet row) and its TableSpec:
it checks the columns (missing, misspelled, unexpected), converts numbers (decimal commas
understood), reads codes case-insensitively (and their Swedish labels), reads municipality names
as the reference tables know them, and runs the pandera schema lazily, so that all problems come
back together in one ValidationError. `validate_folder` and `validate_file` do this for a
published source's folder or for one file. Nothing here writes anything.
"""

import collections
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.errors

from . import schemas
from .input_errors import ConfigError, InputError, Problem, UnreadableFileError, ValidationError
from .normalise import RESPONSE_CODES, MunicipalityIndex, text_key
from .readers import Table, read_table, to_numbers


@dataclass
class Loaded:
    """Validated, typed tables of one source, and what was checked to get them."""

    tables: dict[str, pd.DataFrame]
    rows: int = 0  # data rows checked, in every file read (tables, survey codebook, code list)
    files: list[str] = field(default_factory=list)


class Collector:
    """Runs checks that may fail and keeps every error, so all problems are reported together."""

    def __init__(self):
        self.errors: list[InputError] = []

    def run(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except InputError as error:
            self.errors.append(error)
            return None

    def add(self, problems: list[Problem]) -> None:
        if problems:
            self.errors.append(ValidationError(problems))

    def raise_if_any(self) -> None:
        """One error: raised as it is (keeps its class); several: one ValidationError with all problems."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ValidationError([p for e in self.errors for p in e.problems])


def display_name(path: Path, root: Path | None = None) -> str:
    """The path as messages show it: relative to the project root when it is inside it."""
    path = Path(path)
    if root is not None:
        try:
            return str(path.resolve().relative_to(Path(root).resolve()))
        except ValueError:
            pass
    return str(path)


def path_error(path: Path, root: Path | None, problem: str, expected: str) -> ConfigError:
    """A ConfigError about one path the config or the command line names (shown as `display_name`)."""
    return ConfigError(Problem(display_name(path, root), problem, expected))


# --- one table --------------------------------------------------------------------------------------


class AreaIndex:
    """A MunicipalityIndex for a census of one county: names resolve as in `index`, and
    `validate_table` refuses a unit of another county (a census is every unit of its area, so a
    unit from elsewhere would silently change N). Built by `area_index`."""

    def __init__(self, index: MunicipalityIndex, area: str, counties: dict[str, str]):
        self._index = index
        self.area = area
        self.counties = counties  # kommunkod -> county name

    def __getattr__(self, name):
        return getattr(self._index, name)

    def outside(self, value) -> str | None:
        """The county of the unit `value` names when it is not the area; None when it is (or is unknown)."""
        unit = self._index.resolve(value) if pd.notna(value) else None
        county = self.counties.get(unit.kommunkod) if unit else None
        return county if county and county != self.area else None


def area_index(index: MunicipalityIndex, reference: Path, source_config: dict) -> MunicipalityIndex | AreaIndex:
    """`index`, restricted to the source's county when the source is a census whose `area` is a
    county of the reference tables (its name as in kommuner.csv) and the config does not say
    `units_outside_area: accept`."""
    if source_config.get("design") != "census" or source_config.get("units_outside_area") == "accept":
        return index
    kommuner = pd.read_csv(Path(reference) / "kommuner.csv", dtype=str, keep_default_na=False)
    counties = dict(zip(kommuner["kommunkod"], kommuner["lan"]))
    if source_config.get("area") not in set(counties.values()):
        return index
    return AreaIndex(index, source_config["area"], counties)


def area_problems(table: Table, spec: schemas.TableSpec, present: list[str], index) -> list[Problem]:
    """Units of another county in a county census (see AreaIndex)."""
    if not isinstance(index, AreaIndex):
        return []
    problems = []
    for name in present:
        if not spec.columns[name].municipality:
            continue
        for row, value in table.frame[name].items():
            county = index.outside(value)
            if county:
                problems.append(
                    table.problem(
                        f"'{value}' is in {county}, not in {index.area} (this source is a census of {index.area})",
                        f"only units of {index.area}; if the census really includes units of other counties, "
                        "say so in the config: units_outside_area: accept",
                        row=row,
                        column=name,
                        value=value,
                    )
                )
    return problems


def validate_table(table: Table, spec: schemas.TableSpec, index: MunicipalityIndex | None) -> pd.DataFrame:
    """The table typed by its spec (index = spreadsheet rows); ValidationError with every problem."""
    present, problems = check_columns(table, spec)
    typed, typing_problems = type_columns(table, spec, present, index)
    problems += typing_problems
    problems += area_problems(table, spec, present, index)
    problems += schema_problems(table, typed, spec, present, index)
    if problems:
        raise ValidationError(_order(problems, table))
    return typed


def other_sheet(table: Table, expected) -> Problem | None:
    """When most `expected` columns are missing from the first worksheet (taken because no sheet
    was named) and another worksheet has more of them: the problem that names that sheet."""
    expected = list(dict.fromkeys(text_key(c) for c in expected))
    if not table.default_sheet or not table.sheets or not expected:
        return None
    found = sum(text_key(h) in expected for h in table.frame.columns)
    if found * 2 > len(expected):
        return None
    best, count = None, found
    for sheet, header in table.sheets.items():
        present = len({text_key(h) for h in header} & set(expected))
        if present > count:
            best, count = sheet, present
    if best is None:
        return None
    return table.problem(
        f"the first worksheet '{table.sheet}' does not hold the data ({found} of the "
        f"{len(expected)} expected columns); the worksheet '{best}' has {count} of them",
        f"the sheet named in the config: sheet: {best} (or --sheet '{best}')",
        row=1,
    )


def check_columns(table: Table, spec: schemas.TableSpec) -> tuple[list[str], list[Problem]]:
    """(spec columns present in the header, problems): missing columns, with the closest header
    name ("did you mean"), and columns the spec does not describe. When the data is on another
    worksheet than the first, that is the one problem (`other_sheet`)."""
    headers = list(table.frame.columns)
    missing = [c for c in spec.columns if c not in headers]
    elsewhere = other_sheet(table, spec.columns)
    if elsewhere:
        return [], [elsewhere]
    unknown = [h for h in headers if h not in spec.columns]
    problems = []
    for column in missing:
        close = (
            difflib.get_close_matches(column, unknown, n=1, cutoff=0.6)
            or [h for h in unknown if h.casefold() == column.casefold()][:1]
        )
        if close:
            unknown.remove(close[0])
            problems.append(
                table.problem(
                    f"missing column '{column}'; did you mean '{close[0]}'?",
                    f"the column name '{column}' exactly as in the codebook (rename '{close[0]}')",
                    row=1,
                    column=close[0],
                    value=close[0],
                )
            )
        else:
            label = spec.columns[column].label
            problems.append(
                table.problem(
                    f"missing column '{column}'",
                    f"a column named '{column}'" + (f" ({label})" if label else "") + f" as described for {spec.file}",
                    row=1,
                )
            )
    if not spec.extra_columns:
        for column in unknown:
            problems.append(
                table.problem(
                    f"unexpected column '{column}'",
                    f"only the columns described for {spec.file}: " + ", ".join(spec.columns),
                    row=1,
                    column=column,
                    value=column,
                )
            )
    return [c for c in spec.columns if c in headers], problems


def code_lookup(column: schemas.ColumnSpec) -> dict[str, str]:
    """Comparison key -> code: the codes themselves (any case), their Swedish labels where no two
    codes share one, and for answer columns Ja/Nej/Delvis/Vet ej."""
    lookup = {text_key(code): code for code in column.codes}
    labels: dict[str, list[str]] = {}
    for code, label in column.codes.items():
        if label:
            labels.setdefault(text_key(label), []).append(code)
    for key, codes in labels.items():
        if len(codes) == 1:
            lookup.setdefault(key, codes[0])
    if column.responses:
        for key, code in RESPONSE_CODES.items():
            if code in column.codes:
                lookup.setdefault(key, code)
    return lookup


def type_columns(
    table: Table, spec: schemas.TableSpec, present: list[str], index: MunicipalityIndex | None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Numbers converted (decimal commas understood), codes and municipality names canonical."""
    typed = table.frame.copy()
    problems = []
    for name in present:
        column = spec.columns[name]
        values = table.frame[name]
        if column.municipality and index is not None:
            values = values.map(lambda v: _unit_name(index, v))
        if column.type == "code":
            lookup = code_lookup(column)
            values = values.map(lambda v: lookup.get(text_key(v), v) if pd.notna(v) else v)
        if column.type in ("integer", "number"):
            numbers, bad = to_numbers(values)
            whole = "a whole number such as 12" if column.type == "integer" else "a number such as 66,7 or 66.7"
            for row in bad[bad].index:
                problems.append(
                    table.problem(
                        f"'{values[row]}' is not a number",
                        whole + " (or an empty cell)" if not column.required else whole,
                        row=row,
                        column=name,
                        value=values[row],
                    )
                )
            if column.type == "integer":
                fraction = numbers.notna() & (numbers % 1 != 0)
                for row in fraction[fraction].index:
                    problems.append(
                        table.problem(
                            f"'{values[row]}' is not a whole number", whole, row=row, column=name, value=values[row]
                        )
                    )
                numbers[fraction] = float("nan")
                typed[name] = numbers.astype("Int64")
            else:
                typed[name] = numbers
        else:
            typed[name] = values.astype("str")
    return typed, problems


def _unit_name(index: MunicipalityIndex, value):
    unit = index.resolve(value) if pd.notna(value) else None
    return unit.name if unit else value


_UNIQUE_CHECKS = ("multiple_fields_uniqueness", "field_uniqueness", "unique")


def schema_problems(
    table: Table, typed: pd.DataFrame, spec: schemas.TableSpec, present: list[str], index: MunicipalityIndex | None
) -> list[Problem]:
    """Every failure of the pandera schema (run lazily), in words."""
    schema, explain = schemas.build_schema(spec, present, index)
    try:
        schema.validate(typed[present], lazy=True)
        return []
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    problems, duplicates, done = [], set(), set()
    priority = {"not_nullable": 1}

    def rank(check) -> int:  # which problem to keep when one cell fails several checks
        check = str(check)
        return 0 if check.endswith(":municipality") else 3 if check.startswith("rule:") else priority.get(check, 2)

    cases = cases.assign(_p=cases["check"].map(rank))
    for case in cases.sort_values("_p", kind="stable").itertuples(index=False):
        check, column = str(case.check), case.column
        row = None if case.index is None or pd.isna(case.index) else int(case.index)
        if check in _UNIQUE_CHECKS:
            duplicates.add(row)
            continue
        if check == "not_nullable":
            label = spec.columns[column].label if column in spec.columns else ""
            problems.append(
                table.problem(
                    "the cell is empty",
                    f"a value: column '{column}'" + (f" ({label})" if label else "") + " is required",
                    row=row,
                    column=column,
                )
            )
            continue
        info = explain.get(check)
        if info is None:
            problems.append(
                table.problem(f"fails the check {check}: {case.failure_case!r}", "", row=row, column=column)
            )
        elif info.per_row:
            if (row, check) in done:
                continue
            done.add((row, check))
            record = typed.loc[row]
            expected = info.expected(record) if callable(info.expected) else info.expected
            problems.append(
                table.problem(
                    info.message(record), expected, row=row, column=info.column, value=record[info.column], rule=check
                )
            )
        else:
            known = row in table.frame.index and column in table.frame
            raw = table.frame.at[row, column] if known else case.failure_case
            expected = info.expected(raw) if callable(info.expected) else info.expected
            problems.append(table.problem(info.message(raw), expected, row=row, column=column, value=raw))
    return problems + _duplicate_problems(table, typed, spec, duplicates)


def _duplicate_problems(table: Table, typed: pd.DataFrame, spec: schemas.TableSpec, rows: set) -> list[Problem]:
    key = spec.key
    if not rows or not key:
        return []
    problems = []
    subset = typed.loc[sorted(r for r in rows if r is not None), list(key)]
    for _, group in subset.groupby(list(key), dropna=False, sort=False):
        first = group.index[0]
        for row in group.index[1:]:
            if len(key) == 1:
                column = key[0]
                raw, first_raw = table.frame.at[row, column], table.frame.at[first, column]
                what = "unit" if spec.columns[column].municipality else "value"
                same = (
                    f"'{raw}' appears again (first in row {first})"
                    if raw == first_raw
                    else f"'{raw}' is the same {what} as '{first_raw}' in row {first}"
                )
                problems.append(
                    table.problem(same, f"each {column} once (one row per {column})", row=row, column=column, value=raw)
                )
            else:
                values = ", ".join(f"{c} = {group.at[row, c]}" for c in key)
                problems.append(
                    table.problem(
                        f"the key ({values}) repeats row {first}",
                        "each combination of " + ", ".join(key) + " once",
                        row=row,
                        column=key[0],
                        value=group.at[row, key[0]],
                        rule="unique key",
                    )
                )
    return problems


def _order(problems: list[Problem], table: Table) -> list[Problem]:
    """Problems by row then column; one problem per cell (the first found: a value that cannot be
    read, then the value's own checks, then rules across columns)."""
    positions = {c: i for i, c in enumerate(table.frame.columns)}
    seen, out = set(), []
    for problem in problems:
        key = (problem.row, problem.column, problem.message if problem.column is None else "")
        if key in seen:
            continue
        seen.add(key)
        out.append(problem)
    return sorted(out, key=lambda p: (p.row or 0, positions.get(p.column, -1)))


# --- folders and files ----------------------------------------------------------------------------------

TABLE_SUFFIXES = (".csv", ".xlsx")


def validate_folder(
    folder: Path, codebook: Path | None = None, index: MunicipalityIndex | None = None, root: Path | None = None
) -> Loaded:
    """Every table of a published source's folder, validated against the folder's codebook.csv.

    Each file the codebook describes must be there (as .csv, or as .xlsx with the same name), and
    every .csv/.xlsx in the folder must be described. Returns {table name: typed DataFrame}."""
    folder = Path(folder)
    if not folder.is_dir():
        raise path_error(
            folder, root, "the folder does not exist", "a folder with the source's CSV files and codebook.csv"
        )
    codebook_path = Path(codebook) if codebook else folder / "codebook.csv"
    if not codebook_path.is_file():
        raise path_error(
            codebook_path,
            root,
            "the codebook does not exist",
            "a codebook.csv describing every column of every table (data/raw/CONVENTIONS.md)",
        )
    specs = schemas.table_specs(schemas.read_codebook(codebook_path, display_name(codebook_path, root)))
    collector = Collector()
    on_disk = [
        p
        for p in sorted(folder.iterdir(), key=lambda p: (p.suffix.lower() != ".csv", p.name))
        if p.suffix.lower() in TABLE_SUFFIXES
        and not p.name.startswith((".", "~$"))
        and p.resolve() != codebook_path.resolve()
    ]
    described = {Path(f).stem: f for f in specs}
    problems = []
    for path in on_disk:
        if path.stem not in described:
            problems.append(
                Problem(
                    display_name(path, root),
                    "the file is not described in the codebook",
                    f"a file the codebook describes ({', '.join(specs)}), or rows for it in "
                    f"{display_name(codebook_path, root)}",
                )
            )
    collector.add(problems)
    loaded = Loaded(tables={}, files=[display_name(codebook_path, root)])
    for stem, file in described.items():
        if file == codebook_path.name:  # the codebook describes itself: check it, do not return it
            table = collector.run(read_table, codebook_path, name=display_name(codebook_path, root))
            if table is not None:
                collector.run(validate_table, table, specs[file], index)
            continue
        paths = [p for p in on_disk if p.stem == stem]  # X.csv first, then X.xlsx: both checked, X.csv returned
        if not paths:
            collector.add(
                [
                    Problem(
                        display_name(folder / file, root),
                        "the codebook describes this file but it is not in the folder",
                        f"{file} (or {stem}.xlsx) in {display_name(folder, root)}",
                    )
                ]
            )
        for path in paths:
            table = collector.run(read_table, path, name=display_name(path, root))
            if table is None:
                continue
            typed = collector.run(validate_table, table, specs[file], index)
            loaded.files.append(table.name)
            loaded.rows += len(table.frame)
            if typed is not None and stem not in loaded.tables:
                loaded.tables[stem] = typed.reset_index(drop=True)
    collector.raise_if_any()
    return loaded


def spec_for_file(
    path: Path, codebook: Path | None = None, root: Path | None = None, extra_columns: bool = False
) -> schemas.TableSpec:
    """The spec of one file: from `codebook` (or the codebook.csv beside the file) by file name,
    else the built-in format of the same name (counts.csv, coding.csv, codes.csv, survey_codebook.csv)."""
    path = Path(path)
    candidates = [Path(codebook)] if codebook else [path.parent / "codebook.csv"]
    for candidate in candidates:
        if not candidate.is_file():
            if codebook:
                raise path_error(
                    candidate,
                    root,
                    "the codebook does not exist",
                    "a codebook.csv (data/raw/CONVENTIONS.md § Codebook)",
                )
            continue
        specs = schemas.table_specs(schemas.read_codebook(candidate, display_name(candidate, root)))
        for file in (path.name, path.stem + ".csv"):
            if file in specs:
                spec = specs[file]
                spec.extra_columns = extra_columns
                return spec
        if codebook:
            raise path_error(
                candidate,
                root,
                f"the codebook does not describe '{path.name}'",
                "a codebook with rows for this file; it describes " + ", ".join(specs),
            )
    formats = {Path(f).stem for f in schemas.FORMATS["file"]}
    if path.stem in formats:
        return schemas.format_spec(path.stem + ".csv", extra_columns=extra_columns)
    raise path_error(
        path,
        root,
        "no codebook describes this file",
        "--codebook path/to/codebook.csv (or a codebook.csv beside the file that describes it)",
    )


def validate_file(
    path: Path,
    codebook: Path | None = None,
    sheet: str | None = None,
    index: MunicipalityIndex | None = None,
    root: Path | None = None,
    extra_columns: bool = False,
) -> Loaded:
    """One table file validated against its codebook (see `spec_for_file`)."""
    spec = spec_for_file(path, codebook, root, extra_columns)
    table = read_table(path, sheet=sheet, name=display_name(path, root))
    typed = validate_table(table, spec, index)
    return Loaded(
        tables={Path(spec.file).stem: typed.reset_index(drop=True)}, rows=len(table.frame), files=[table.name]
    )


def derived_table(frame: pd.DataFrame, name: str) -> Table:
    """A table computed by the pipeline (aggregated counts, the long coding table) wrapped for
    validation: rows numbered as if it were written to a file with a header row."""
    text = frame.copy()
    for column in text.columns:
        text[column] = text[column].map(lambda v: None if pd.isna(v) else str(v)).astype("str")
    text.index = pd.RangeIndex(2, len(text) + 2, name="row")
    return Table(name=name, path=Path(name), frame=text)


# --- command line: python -m analysis validate ------------------------------------------------------


def municipality_index(reference: Path, root: Path | None = None) -> MunicipalityIndex:
    """The reference tables' names, or ConfigError when they cannot be read."""
    reference = Path(reference)
    if not all((reference / f).is_file() for f in ("kommuner.csv", "name_aliases.csv", "stockholm_districts.csv")):
        raise path_error(
            reference,
            root,
            "the reference tables are not there",
            "a folder with kommuner.csv, name_aliases.csv and stockholm_districts.csv (data/raw/reference)",
        )
    return MunicipalityIndex.from_reference(reference)


def validate_path(
    path: Path,
    kind: str = "published",
    codebook: Path | None = None,
    sheet: str | None = None,
    unit_column: str | None = None,
    reference: Path | None = None,
    root: Path = Path("."),
) -> str:
    """One file or folder validated; the one-line summary."""
    from . import coding_sheet, microdata, sources

    path = Path(path)
    if not path.exists():
        raise UnreadableFileError(
            Problem(
                str(path), "the file or folder does not exist", "a .csv or .xlsx file, or a folder with codebook.csv"
            )
        )
    index = municipality_index(Path(reference) if reference else Path(root) / sources.DEFAULT_REFERENCE, root)
    if kind == "published":
        loaded = (
            validate_folder(path, codebook, index, root)
            if path.is_dir()
            else validate_file(path, codebook, sheet, index, root)
        )
    else:
        if not codebook:
            what = "survey codebook" if kind == "survey_microdata" else "code list"
            raise ConfigError(
                Problem(
                    str(path), f"--kind {kind} needs the {what}", f"--codebook path/to/{what.replace(' ', '_')}.csv"
                )
            )
        if path.is_dir():
            raise ConfigError(Problem(str(path), f"--kind {kind} takes a file, not a folder", "a .csv or .xlsx file"))
        inputs = {"sheet": sheet, "unit_column": unit_column}
        if kind == "survey_microdata":
            loaded = microdata.load_survey_microdata(
                {**inputs, "responses": path, "survey_codebook": Path(codebook)}, index, root
            )
        else:
            loaded = coding_sheet.load_coding_sheet(
                {**inputs, "coding_sheet": path, "codes": Path(codebook)}, index, root
            )
    tables = len(loaded.tables)
    return (
        f"OK: {display_name(path, root)}: {tables} table{'s' if tables != 1 else ''}, "
        f"{_thousands(loaded.rows)} rows checked"
    )


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


PROBLEMS_SHOWN = 50  # a long list is cut here and summarised by kind


def problem_kind(problem: Problem) -> str:
    """What kind of problem it is: the message with its quoted values left out."""
    return re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'…'", problem.message))


def describe_failure(error: InputError, shown: int = PROBLEMS_SHOWN) -> str:
    """All problems, one per line, under a count of problems and files; beyond `shown` problems,
    the first ones and a count per kind of problem."""
    files = {p.file for p in error.problems}
    count = len(error.problems)
    head = f"FAILED: {count} problem{'s' if count != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}"
    lines = [head, *(f"  - {p}" for p in error.problems[:shown])]
    if count > shown:
        kinds = collections.Counter(problem_kind(p) for p in error.problems)
        lines.append(f"  … {_thousands(count - shown)} more problems not shown. All {_thousands(count)} by kind:")
        lines += [f"    {_thousands(n)} × {kind}" for kind, n in kinds.most_common()]
    return "\n".join(lines)
