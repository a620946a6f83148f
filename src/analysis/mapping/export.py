"""Survey exports as the tools write them: Microsoft Forms, Google Forms, Esmaker, Netigate.

The file is read by `analysis.readers` (.xlsx, or CSV in any encoding/separator Swedish Excel
writes). Then, without looking at positions or header names for the municipality:

* `find_unit_column` — the column whose VALUES are municipalities (names with or without
  "kommun"/"stad", genitives, codes such as '2180' or '180' as Excel shows a code saved as a number);
* `metadata_columns` — ID, times, e-mail, name, status, language …: recognised by header and by
  values (timestamps, e-mail addresses, a running number) and left out of the questions;
* `read_export` — the export checked: every municipality known, none twice, all of the county
  unless the config accepts others. Every problem names file, row, column, value and, for an
  unknown municipality, the closest names.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..input_errors import Problem
from ..normalise import MunicipalityIndex, Unit, text_key
from ..readers import Table, read_table
from .errors import ExportError

_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?)?$|^\d{1,2}/\d{1,2}/\d{2,4}( \d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?)?$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
UNIT_SHARE = 0.5  # at least this share of a column's values must be municipalities


def resolve(index: MunicipalityIndex, value) -> Unit | None:
    """A municipality (or Stockholm district) for a cell: names, genitives, codes; '180' → '0180'."""
    unit = index.resolve(value)
    text = str(value).strip() if value is not None else ""
    if unit is None and text.isdigit() and len(text) < 4:
        unit = index.units.get(text.zfill(4))
    return unit


def unit_share(values: pd.Series, index: MunicipalityIndex) -> float:
    filled = values.dropna()
    if filled.empty:
        return 0.0
    return sum(resolve(index, v) is not None for v in filled) / len(filled)


def find_unit_column(table: Table, index: MunicipalityIndex, named: str | None = None) -> str:
    """The municipality column, by its values (or the column the config names)."""
    frame = table.frame
    if named:
        match = {text_key(c): c for c in frame.columns}.get(text_key(named))
        if match is None:
            raise ExportError(
                table.problem(
                    f"no column '{named}' (the config's survey.unit_column)",
                    "a column of the export, or leave unit_column out: the municipality column is found by its values",
                    row=1,
                )
            )
        return match
    scores = [(unit_share(frame[c], index), -i, c) for i, c in enumerate(frame.columns)]
    best = max(scores) if scores else (0.0, 0, None)
    if best[0] < UNIT_SHARE:
        raise ExportError(
            table.problem(
                "no column holds municipality names or codes (checked every column's values against the 290 "
                "municipalities)",
                "one column with the responding municipality, e.g. 'Gävle', 'Gävle kommun' or '2180'",
                row=1,
            )
        )
    return best[2]


def _looks_like_metadata(header: str, values: pd.Series) -> bool:
    from .codebook import rules

    key = re.sub(r"[_\s]+", " ", text_key(header).strip(" :"))
    if key in {text_key(h) for h in rules()["metadata_headers"]}:
        return True
    filled = values.dropna()
    if filled.empty:
        return False
    if filled.map(lambda v: bool(_TIMESTAMP.match(v))).all() or filled.map(lambda v: bool(_EMAIL.match(v))).all():
        return True
    is_id_header = re.search(r"(^|\W)(id|nr)(\W|$)", text_key(header)) is not None
    return is_id_header and filled.str.fullmatch(r"\d+").all() and filled.is_unique


def metadata_columns(table: Table, unit_column: str) -> list[str]:
    """Columns that are not questions: IDs, times, e-mail, respondent's name, status (left out)."""
    return [c for c in table.frame.columns if c != unit_column and _looks_like_metadata(c, table.frame[c])]


@dataclass
class Export:
    """A survey export as read and checked: one row per responding municipality."""

    table: Table
    unit_column: str
    metadata: list[str]
    questions: list[str]  # the remaining columns, in file order
    units: pd.DataFrame = field(default_factory=pd.DataFrame)  # index = spreadsheet row: kommunkod, kommun

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame


def county_of(index_reference: pd.DataFrame, county: str) -> pd.DataFrame:
    """The county's municipalities (rows of kommuner.csv) for its name (with or without the word for county) or its two-digit code ('21')."""
    key = text_key(county)
    names = index_reference["lan"].map(text_key)
    stems = names.str.replace(r"s? län$", "", regex=True)
    rows = index_reference[
        (names == key)
        | (stems == key)
        | (stems == re.sub(r"s? län$", "", key))
        | (index_reference["lanskod"] == key.zfill(2))
    ]
    return rows


def read_export(
    path: Path,
    index: MunicipalityIndex,
    county: pd.DataFrame,
    *,
    sheet: str | None = None,
    name: str | None = None,
    unit_column: str | None = None,
    accept: list | None = None,
) -> Export:
    """The export checked against the county (`county`: its rows of kommuner.csv)."""
    table = read_table(path, sheet, name=name)
    unit = find_unit_column(table, index, unit_column)
    problems: list[Problem] = []
    accepted = {u.kommunkod for u in (resolve(index, a) for a in (accept or [])) if u}
    in_county = set(county["kommunkod"])
    county_name = county["lan"].iloc[0] if len(county) else "the county"
    seen: dict[str, int] = {}
    rows = []
    for row, value in table.frame[unit].items():
        if value is None or pd.isna(value):
            problems.append(
                table.problem(
                    "the row has no municipality", "the responding municipality's name or code", row=row, column=unit
                )
            )
            continue
        found = resolve(index, value)
        if found is None:
            problems.append(
                table.problem(
                    f"unknown municipality '{value}'", index.describe_unknown(value), row=row, column=unit, value=value
                )
            )
            continue
        code = found.kommunkod
        if code in seen:
            problems.append(
                table.problem(
                    f"'{value}' is the same municipality ({index.municipalities[code].name}) as row {seen[code]}: "
                    "two answers for one municipality",
                    "one row per municipality: delete or merge the extra row",
                    row=row,
                    column=unit,
                    value=value,
                )
            )
            continue
        seen[code] = row
        if code not in in_county and code not in accepted:
            problems.append(
                table.problem(
                    f"'{value}' ({index.municipalities[code].name}) is not in {county_name}",
                    f"a municipality of {county_name}, or list it under accept_municipalities in the config",
                    row=row,
                    column=unit,
                    value=value,
                )
            )
            continue
        rows.append({"row": row, "kommunkod": code, "kommun": index.municipalities[code].name})
    if problems:
        raise ExportError(problems)
    units = pd.DataFrame(rows).set_index("row")
    metadata = metadata_columns(table, unit)
    metadata += [
        c
        for c in table.frame.columns  # a second municipality column (e.g. name and code): not a question
        if c != unit and c not in metadata and unit_share(table.frame[c], index) >= 0.8
    ]
    questions = [c for c in table.frame.columns if c != unit and c not in metadata]
    return Export(table=table, unit_column=unit, metadata=metadata, questions=questions, units=units)
