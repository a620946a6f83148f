"""Interview coding sheet → the long `coding` table (the schema of a published coding.csv, e.g. Dalarna 2020's).

Config: `{kind: coding_sheet, coding_sheet: …, codes: …, sheet: …, unit_column: …}`.

* The coding sheet (.csv or .xlsx): one row per municipality (or Stockholm city district), its
  name in `unit_column` (default: the first column); one column per theme, headed by the theme
  id (e.g. `resources`) or its Swedish label when the code list's codebook gives one
  ("Resurser"). A cell lists the codes found for that municipality and theme, separated by `;`,
  `,` or line breaks, as code ids or their Swedish labels, any case. A code prefixed with `nej:`
  (or `no:`, `ej:`) records an explicit statement that the municipality does not have it.
* The code list (e.g. the codes.csv of a published coding source): columns `code`, `theme` (and optionally
  `label_sv`, …); validated against the codebook.csv beside it when that describes it.

Result: one row per municipality × code of the code list, status `yes` (listed), `no` (listed
with `nej:`) or `not_reported` (not mentioned). A code not mentioned is never turned into `no`.
"""

import difflib
import re
from pathlib import Path

import pandas as pd

from . import schemas
from .input_errors import ConfigError, Problem, ValidationError
from .normalise import MunicipalityIndex, clean_text, text_key
from .readers import Table, read_table
from .validate import Collector, Loaded, derived_table, display_name, spec_for_file, validate_table

SEPARATORS = re.compile(r"[;,\n]+")
NO_PREFIX = re.compile(r"^(nej|no|ej|inte)\s*:\s*", re.IGNORECASE)
CODING_COLUMNS = ["kommun", "theme", "code", "status", "evidence", "source_ref", "seed_line"]


def read_codes(
    path: Path, index: MunicipalityIndex | None = None, root: Path | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """(the code list, validated; {theme: Swedish label} when the list's codebook gives labels)."""
    try:
        spec = spec_for_file(path, None, root, extra_columns=True)
    except ConfigError:
        spec = schemas.format_spec("codes.csv", table="codes", extra_columns=True)
    spec.table, spec.key = "codes", schemas.UNIQUE_KEYS["codes"]
    table = read_table(path, name=display_name(path, root))
    missing = [c for c in ("code", "theme") if c not in spec.columns]
    if missing:
        raise ValidationError(
            table.problem(
                "the code list's codebook does not describe the column(s) " + ", ".join(missing),
                "a code list with the columns code and theme",
                row=1,
            )
        )
    typed = validate_table(table, spec, index)
    return typed, dict(spec.columns["theme"].codes)


def _theme_columns(
    table: Table, unit: str, themes: list[str], labels: dict[str, str]
) -> tuple[dict[str, str], list[Problem]]:
    """{header: theme} for every column but the unit column; problems for unknown headers."""
    lookup = {text_key(t): t for t in themes}
    shown = {text_key(t): t for t in themes}
    for theme, label in labels.items():
        if label and theme in themes:
            lookup.setdefault(text_key(label), theme)
            shown.setdefault(text_key(label), label)
    columns, problems = {}, []
    for header in table.frame.columns:
        if header == unit:
            continue
        theme = lookup.get(text_key(header))
        if theme is None:
            close = difflib.get_close_matches(text_key(header), list(lookup), n=1, cutoff=0.6)
            problems.append(
                table.problem(
                    f"unknown theme column '{header}'" + (f"; did you mean '{shown[close[0]]}'?" if close else ""),
                    "a theme of the code list: "
                    + ", ".join(f"{t} ({labels[t]})" if labels.get(t) else t for t in themes),
                    row=1,
                    column=header,
                    value=header,
                )
            )
        elif theme in columns.values():
            problems.append(
                table.problem(
                    f"a second column for theme '{theme}'", "one column per theme", row=1, column=header, value=header
                )
            )
        else:
            columns[header] = theme
    return columns, problems


def parse_cells(
    table: Table, typed: pd.DataFrame, columns: dict[str, str], codes: pd.DataFrame
) -> tuple[dict[tuple[int, str], tuple[str, str]], list[Problem]]:
    """{(row, code): (status, header)} for every code listed in a cell, and the problems found."""
    theme_of = dict(zip(codes["code"], codes["theme"]))
    lookup = {text_key(c): c for c in codes["code"]}
    if "label_sv" in codes.columns:
        labels = codes.dropna(subset=["label_sv"])
        counts = labels["label_sv"].map(text_key).value_counts()
        for code, label in zip(labels["code"], labels["label_sv"]):
            if counts[text_key(label)] == 1:
                lookup.setdefault(text_key(label), code)
    found, problems = {}, []
    for row, record in typed.iterrows():
        for header, theme in columns.items():
            cell = record[header]
            if pd.isna(cell):
                continue
            for item in (clean_text(i) for i in SEPARATORS.split(cell)):
                if not item:
                    continue
                status = "no" if NO_PREFIX.match(item) else "yes"
                code = lookup.get(text_key(NO_PREFIX.sub("", item)))
                own = [c for c in codes["code"] if theme_of[c] == theme]
                if code is None:
                    close = difflib.get_close_matches(text_key(NO_PREFIX.sub("", item)), list(lookup), n=1, cutoff=0.6)
                    hint = f"; did you mean '{lookup[close[0]]}'?" if close else ""
                    problems.append(
                        table.problem(
                            f"'{item}' is not a code of the code list{hint}",
                            f"codes of theme {theme}: "
                            + (", ".join(own) or "(none)")
                            + " (or their Swedish labels), separated by ; , or line breaks; 'nej: code' for an explicit no",
                            row=row,
                            column=header,
                            value=item,
                        )
                    )
                elif theme_of[code] != theme:
                    problems.append(
                        table.problem(
                            f"code '{code}' belongs to theme '{theme_of[code]}', not '{theme}'",
                            f"'{code}' in the column of theme {theme_of[code]}, or a code of theme {theme}: "
                            + (", ".join(own) or "(none)"),
                            row=row,
                            column=header,
                            value=item,
                        )
                    )
                elif (row, code) in found and found[(row, code)][0] != status:
                    problems.append(
                        table.problem(
                            f"code '{code}' is listed both as yes and as nej (no)",
                            "each code once per municipality",
                            row=row,
                            column=header,
                            value=item,
                        )
                    )
                else:
                    found[(row, code)] = (status, header)
    return found, problems


def load_coding_sheet(inputs: dict, index: MunicipalityIndex, root: Path | None = None) -> Loaded:
    """The long `coding` table (and the code list as `codes`) from an interview coding sheet."""
    collector = Collector()
    loaded_codes = collector.run(read_codes, inputs["codes"], index, root)
    table = collector.run(
        read_table, inputs["coding_sheet"], inputs.get("sheet"), name=display_name(inputs["coding_sheet"], root)
    )
    if loaded_codes is None or table is None:
        collector.raise_if_any()
    codes, theme_labels = loaded_codes
    themes = list(dict.fromkeys([*codes["theme"], *theme_labels]))  # also themes without codes (e.g. shared_view)
    unit_column = inputs.get("unit_column")
    headers = {text_key(h): h for h in table.frame.columns}
    unit = list(table.frame.columns)[0] if not unit_column else headers.get(text_key(unit_column))
    problems = []
    if unit is None:
        problems.append(
            table.problem(
                f"missing column '{unit_column}' (the unit column)",
                "the column with the municipality names, as `unit_column` names it",
                row=1,
            )
        )
        collector.add(problems)
        collector.raise_if_any()
    columns, header_problems = _theme_columns(table, unit, themes, theme_labels)
    problems += header_problems
    spec_columns = {unit: schemas.ColumnSpec(unit, "string", True, label="Kommun", municipality=True)}
    spec_columns.update({h: schemas.ColumnSpec(h, "string", False) for h in columns})
    spec = schemas.make_spec(table.name, "coding_sheet", spec_columns, extra_columns=True)
    spec.key = (unit,)
    typed = collector.run(validate_table, table, spec, index)
    # the cells' codes are checked also when the unit column has problems: every problem in one pass
    found, cell_problems = parse_cells(table, typed if typed is not None else table.frame, columns, codes)
    problems += cell_problems
    collector.add(problems)
    collector.raise_if_any()
    name = Path(table.name.split(", sheet ")[0]).name
    rows = []
    for code, theme in zip(codes["code"], codes["theme"]):
        for row, record in typed.iterrows():
            status, header = found.get((row, code), ("not_reported", None))
            rows.append(
                {
                    "kommun": record[unit],
                    "theme": theme,
                    "code": code,
                    "status": status,
                    "evidence": None,
                    "source_ref": f"{name} row {row}, column '{header}'" if header else f"{name} (not mentioned)",
                    "seed_line": None,
                }
            )
    coding = pd.DataFrame(rows, columns=CODING_COLUMNS)
    checked = validate_table(
        derived_table(coding, f"coding table made from {table.name}"), schemas.format_spec("coding.csv"), index
    )
    return Loaded(
        tables={"coding": checked.reset_index(drop=True), "codes": codes.reset_index(drop=True)},
        rows=len(table.frame) + len(codes),
        files=[display_name(inputs["codes"], root), table.name],
    )
