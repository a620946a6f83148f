"""Survey microdata → counts.csv: a survey tool's export, one row per responding unit.

Two files (config `{kind: survey_microdata, responses: …, survey_codebook: …, sheet: …,
unit_column: …}`):

* the responses (.csv in any of the encodings/separators readers.py detects, or .xlsx): one row
  per unit (municipality or Stockholm city district), the unit's name in `unit_column` (default:
  the first column), one column per question or answer option;
* the survey codebook (format `survey_codebook.csv` in schemas.FORMATS): one row per indicator ×
  category of counts.csv, saying which column and which answer(s) count in n, and what the base
  N is (every unit, the units that answered a column, or the units with a given answer).

`load_survey_microdata` validates both (every problem at once), then aggregates: n = units in the
base whose answer matches; N = units in the base. A blank answer is missing, never "no": it is
in N only when the base is every unit. percent stays empty (nothing was printed); shares are n/N.
"""

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import schemas
from .errors import TableShapeError
from .input_errors import Problem, ValidationError
from .normalise import RESPONSE_LABELS, MunicipalityIndex, clean_text, is_response, response_code, text_key
from .readers import Table, parse_number, read_table
from .validate import Collector, Loaded, derived_table, display_name, other_sheet, validate_table

_CONDITION = re.compile(r"^(>=|<=|≥|≤|>|<|=)\s*(.+)$")
_OPS = {">": "__gt__", ">=": "__ge__", "≥": "__ge__", "<": "__lt__", "<=": "__le__", "≤": "__le__", "=": "__eq__"}


@dataclass(frozen=True)
class Answer:
    """What a survey codebook cell matches: answers (as codes) or a numeric condition."""

    text: str
    values: tuple[str, ...] = ()  # answer codes: yes/no/partly/dont_know, or the text key of an option
    labels: tuple[str, ...] = ()  # the options as written in the codebook, same order as values
    op: str | None = None
    number: float | None = None

    @property
    def numeric(self) -> bool:
        return self.op is not None

    def matches(self, values: pd.Series) -> pd.Series:
        """True where a (typed) answer matches; a missing answer never matches."""
        if self.numeric:
            numbers = pd.to_numeric(values, errors="coerce")
            return getattr(numbers, _OPS[self.op])(self.number).fillna(False).astype(bool)
        return values.isin(self.values).fillna(False).astype(bool)


def answer_code(value) -> str:
    """'Ja' → 'yes'; an option such as ' Polisen ' → 'polisen' (its comparison key)."""
    return response_code(value) if is_response(value) else text_key(value)


def parse_answer(text) -> Answer:
    """'Ja', 'Ja|Delvis', 'Polisen', '>0', '>= 37,5'. ValueError for a condition without a number."""
    text = clean_text(text) or ""
    condition = _CONDITION.match(text)
    if condition:
        number = parse_number(condition[2])
        if number is None:
            raise TableShapeError(f"'{condition[2]}' is not a number")
        return Answer(text, op=condition[1], number=number)
    labels = tuple(p for p in (clean_text(part) for part in text.split("|")) if p)
    return Answer(text, values=tuple(answer_code(p) for p in labels), labels=labels)


@dataclass(frozen=True)
class Mapping:
    """One row of a survey codebook: which answers of which column count for indicator × category."""

    row: int
    column: str
    indicator: str
    label: str
    category: str
    category_label: str
    answer: Answer
    base_column: str | None
    base_answer: Answer | None
    exclusive: str
    unit: str
    note: str | None


def read_survey_codebook(path: Path, name: str | None = None) -> list[Mapping]:
    """The survey codebook's rows, validated (schema, answers, one label/unit/exclusive per indicator)."""
    table = read_table(path, name=name)
    typed = validate_table(table, schemas.format_spec("survey_codebook.csv", table="survey_codebook"), None)
    problems, mappings, first = [], [], {}
    numeric_use: dict[str, tuple[bool, int]] = {}
    for row, r in typed.iterrows():
        parsed = {}
        for column in ("answer", "base_answer"):
            if pd.isna(r[column]):
                parsed[column] = None
                continue
            try:
                parsed[column] = parse_answer(r[column])
            except ValueError as error:
                problems.append(
                    table.problem(
                        f"'{r[column]}': {error}",
                        "answers such as Ja or Ja|Delvis, or a numeric condition such as >0 or >=37,5",
                        row=row,
                        column=column,
                        value=r[column],
                    )
                )
        if parsed.get("base_answer") and pd.isna(r["base_column"]):
            problems.append(
                table.problem(
                    "base_answer is given but base_column is empty",
                    "the column whose answer puts a unit in the base",
                    row=row,
                    column="base_column",
                )
            )
        for column, answer in ((r["column"], parsed.get("answer")), (r["base_column"], parsed.get("base_answer"))):
            if answer is None or pd.isna(column):
                continue
            key = text_key(column)
            if key in numeric_use and numeric_use[key][0] != answer.numeric:
                problems.append(
                    table.problem(
                        f"column '{column}' is used with a numeric condition in one row and with answers in another "
                        f"(row {numeric_use[key][1]})",
                        "a column read either as numbers (>0) or as answers (Ja)",
                        row=row,
                        column="answer",
                        value=answer.text,
                    )
                )
            numeric_use.setdefault(key, (answer.numeric, row))
        indicator = r["indicator"]
        if indicator in first:
            for column in ("label", "exclusive"):  # unit may differ by category (kommuner / stadsdelar)
                earlier = typed.at[first[indicator], column]
                if r[column] != earlier:
                    problems.append(
                        table.problem(
                            f"{column} '{r[column]}' differs from '{earlier}' in row {first[indicator]} "
                            f"(same indicator '{indicator}')",
                            f"one {column} per indicator",
                            row=row,
                            column=column,
                            value=r[column],
                        )
                    )
        first.setdefault(indicator, row)
        if parsed.get("answer"):
            mappings.append(
                Mapping(
                    row=row,
                    column=r["column"],
                    indicator=indicator,
                    label=r["label"],
                    category=r["category"],
                    category_label=r["category_label"],
                    answer=parsed["answer"],
                    base_column=None if pd.isna(r["base_column"]) else r["base_column"],
                    base_answer=parsed.get("base_answer"),
                    exclusive=r["exclusive"],
                    unit=r["unit"],
                    note=None if pd.isna(r["note"]) else r["note"],
                )
            )
    if problems:
        raise ValidationError(problems)
    return mappings


def responses_spec(
    table: Table, mappings: list[Mapping], unit_column: str | None, codebook_name: str
) -> tuple[Table, schemas.TableSpec, list[Problem]]:
    """The responses table with its headers spelled as in the survey codebook, and its spec:
    the unit column (a known municipality/district, each once), one column per referenced
    question (answers: Ja/Nej/Delvis/Vet ej or the options the codebook names; or numbers)."""
    headers = {text_key(h): h for h in table.frame.columns}
    wanted: dict[str, str] = {}  # key -> column name as in the codebook
    for m in mappings:
        for column in (m.column, m.base_column):
            if column:
                wanted.setdefault(text_key(column), column)
    problems = []
    unit = list(table.frame.columns)[0] if not unit_column else headers.get(text_key(unit_column))
    if unit is None:
        close = difflib.get_close_matches(text_key(unit_column), list(headers), n=1, cutoff=0.6)
        hint = f"; did you mean '{headers[close[0]]}'?" if close else ""
        problems.append(
            table.problem(
                f"missing column '{unit_column}' (the unit column){hint}",
                "the column with the municipality/district names, as `unit_column` in the config names it",
                row=1,
                column=headers[close[0]] if close else None,
            )
        )
    unmatched = [k for k in headers if k not in wanted and headers[k] != unit]
    renames = {}
    for key, column in wanted.items():
        if key in headers:
            renames[headers[key]] = column
            continue
        close = difflib.get_close_matches(key, unmatched, n=1, cutoff=0.6)
        if close:
            unmatched.remove(close[0])
        problems.append(
            table.problem(
                f"missing column '{column}'" + (f"; did you mean '{headers[close[0]]}'?" if close else ""),
                f"a column '{column}' as {codebook_name} names it",
                row=1,
                column=headers[close[0]] if close else None,
                value=headers[close[0]] if close else None,
            )
        )
    frame = table.frame.rename(columns=renames)
    letters = {renames.get(c, c): letter for c, letter in table.letters.items()}
    renamed = Table(
        name=table.name,
        path=table.path,
        frame=frame,
        letters=letters,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
    )
    columns = {}
    if unit is not None:
        columns[unit] = schemas.ColumnSpec(unit, "string", True, label="Kommun/stadsdel", municipality=True)
    for key, column in wanted.items():
        if key not in headers:
            continue
        answers = [
            a
            for m in mappings
            for c, a in ((m.column, m.answer), (m.base_column, m.base_answer))
            if c and a and text_key(c) == key
        ]
        if any(a.numeric for a in answers):
            columns[column] = schemas.ColumnSpec(column, "number", False)
            continue
        codes = dict(RESPONSE_LABELS)
        for answer in answers:
            for code, label in zip(answer.values, answer.labels):
                codes.setdefault(code, label)
        columns[column] = schemas.ColumnSpec(column, "code", False, codes=codes, responses=True)
    spec = schemas.make_spec(table.name, "responses", columns, extra_columns=True)
    spec.key = (unit,) if unit else ()
    return renamed, spec, problems


def aggregate(typed: pd.DataFrame, mappings: list[Mapping], responses_name: str) -> pd.DataFrame:
    """counts.csv rows (group_var = group = all) from validated responses."""
    units = len(typed)
    rows = []
    for m in mappings:
        if m.base_column is None:
            base = pd.Series(True, index=typed.index)
            base_text = f"all {units} units in the file (non-answers included)"
        elif m.base_answer is None:
            base = typed[m.base_column].notna()
            base_text = f"units that answered '{m.base_column}'"
        else:
            base = m.base_answer.matches(typed[m.base_column])
            base_text = f"units answering {m.base_answer.text} in '{m.base_column}'"
        n = int((base & m.answer.matches(typed[m.column])).sum())
        note = f"Computed from microdata: units answering {m.answer.text} in '{m.column}'; base: {base_text}"
        rows.append(
            {
                "indicator": m.indicator,
                "label": m.label,
                "category": m.category,
                "category_label": m.category_label,
                "group_var": "all",
                "group": "all",
                "n": n,
                "n_max": pd.NA,
                "N": int(base.sum()),
                "percent": float("nan"),
                "percent_max": float("nan"),
                "exclusive": m.exclusive,
                "unit": m.unit,
                "source_ref": f"{Path(responses_name).name} § {m.column}",
                "seed_line": pd.NA,
                "note": note + (f". {m.note}" if m.note else ""),
            }
        )
    return pd.DataFrame(rows)


def load_survey_microdata(inputs: dict, index: MunicipalityIndex, root: Path | None = None) -> Loaded:
    """Validated counts from survey microdata (`inputs`: responses, survey_codebook, sheet, unit_column)."""
    collector = Collector()
    codebook_name = display_name(inputs["survey_codebook"], root)
    mappings = collector.run(read_survey_codebook, inputs["survey_codebook"], codebook_name)
    table = collector.run(
        read_table, inputs["responses"], inputs.get("sheet"), name=display_name(inputs["responses"], root)
    )
    if mappings is None or table is None:
        collector.raise_if_any()
    elsewhere = other_sheet(
        table, [inputs.get("unit_column") or ""] + [c for m in mappings for c in (m.column, m.base_column) if c]
    )
    if elsewhere:  # the data is on another worksheet: that, not every column, is the problem
        raise ValidationError(elsewhere)
    renamed, spec, problems = responses_spec(table, mappings, inputs.get("unit_column"), codebook_name)
    typed = collector.run(validate_table, renamed, spec, index)
    collector.add(problems)
    collector.raise_if_any()
    counts = aggregate(typed, mappings, table.name)
    counts_spec = schemas.format_spec("counts.csv")
    checked = validate_table(derived_table(counts, f"counts computed from {table.name}"), counts_spec, index)
    return Loaded(
        tables={"counts": checked.reset_index(drop=True)},
        rows=len(table.frame) + len(mappings),
        files=[codebook_name, table.name],
    )


def read_responses(inputs: dict, index: MunicipalityIndex, root: Path | None = None) -> pd.DataFrame:
    """The validated responses themselves, one row per unit, with `unit_id` (kommunkod or
    '0180-<district>') and answers as codes (yes/no/partly/dont_know, options as keys)."""
    mappings = read_survey_codebook(inputs["survey_codebook"], display_name(inputs["survey_codebook"], root))
    table = read_table(inputs["responses"], inputs.get("sheet"), name=display_name(inputs["responses"], root))
    renamed, spec, problems = responses_spec(
        table, mappings, inputs.get("unit_column"), display_name(inputs["survey_codebook"], root)
    )
    if problems:
        raise ValidationError(problems)
    typed = validate_table(renamed, spec, index)
    unit = spec.key[0]
    typed.insert(0, "unit_id", typed[unit].map(lambda v: index.resolve(v).unit_id))
    return typed
