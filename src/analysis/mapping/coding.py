"""Interview coding sheets as FoU units keep them, in either layout, Swedish themes and codes:

* **matrix**: municipalities as rows; two header rows — the theme row (a theme cell merged over
  its codes, or written once with empty cells after it in a CSV) and the code row; a cell with
  X, 1 or Ja means the code was found for that municipality (blank: not mentioned, never "no";
  Nej or 0: explicitly not);
* **theme cells**: one header row of themes, one column per theme; a cell lists the codes found,
  separated by ";" or line breaks (a code written "nej: …" is an explicit no).

The municipality column is found by its values, as in survey exports. No code list is needed;
one (columns code, theme and optionally description) only adds descriptions.
Result: one row per municipality × code: kommunkod, kommun, theme, code, status (yes/no/not_reported).
"""

import io
import re
from pathlib import Path

import pandas as pd

from ..input_errors import Problem
from ..normalise import MunicipalityIndex, clean_text, text_key
from ..readers import _records as csv_records  # the readers' own CSV record splitter
from ..readers import column_letter, decode, detect_delimiter, read_table
from .errors import CodingSheetError
from .export import resolve

MARK_YES = {"x", "1", "ja", "yes", "✓", "✔"}
MARK_NO = {"0", "nej", "no", "-"}
NO_PREFIX = re.compile(r"^(nej|no|ej|inte)\s*:\s*", re.IGNORECASE)
CELL_SEPARATORS = re.compile(r"[;\n]+")
COLUMNS = ["kommunkod", "kommun", "theme", "code", "status", "source_ref"]


def raw_rows(path: Path, sheet: str | None = None, name: str | None = None) -> list[tuple[int, list[str]]]:
    """Every row as text cells with its spreadsheet number; merged cells of a workbook are filled
    with their value (a merged theme cell heads each of its columns)."""
    path = Path(path)
    name = name or str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        with open(path, "rb") as handle:
            book = openpyxl.load_workbook(io.BytesIO(handle.read()), data_only=True)
        sheet_ = book[sheet] if sheet else book[book.sheetnames[0]]
        grid = [[cell.value for cell in row] for row in sheet_.iter_rows()]
        for merged in sheet_.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    grid[r][c] = value
        return [(i, [clean_text(v) or "" if v is not None else "" for v in row]) for i, row in enumerate(grid, 1)]
    if path.suffix.lower() != ".csv":
        read_table(path, sheet, name)  # raises the readers' error for anything else
    with open(path, "rb") as handle:
        text, _ = decode(handle.read(), name)
    delimiter = detect_delimiter(text, name)
    return [
        (i, [clean_text(c) or "" for c in record]) for i, record in enumerate(csv_records(text, delimiter, name), 1)
    ]


def _unit_column(rows, index) -> int | None:
    width = max(len(r) for _, r in rows)
    best, best_share = None, 0.0
    for col in range(width):
        values = [r[col] for _, r in rows if col < len(r) and r[col]]
        if not values:
            continue
        share = sum(resolve(index, v) is not None for v in values) / len(values)
        if share > best_share + 1e-9:
            best, best_share = col, share
    return best if best_share > 0 else None


def read_coding(
    path: Path,
    index: MunicipalityIndex,
    *,
    sheet: str | None = None,
    name: str | None = None,
    codes: Path | None = None,
    county: pd.DataFrame | None = None,
    accept: list | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """(long coding table, code list with descriptions, layout 'matrix' or 'theme_cells'). With `county` (its rows
    of kommuner.csv), a municipality of another county is refused unless `accept` names it."""
    name = name or str(path)
    in_county = set(county["kommunkod"]) if county is not None else None
    county_name = county["lan"].iloc[0] if county is not None and len(county) else "the county"
    accepted = {u.kommunkod for u in (resolve(index, a) for a in (accept or [])) if u}
    rows = [(n, r) for n, r in raw_rows(path, sheet, name) if any(r)]
    if not rows:
        raise CodingSheetError(Problem(name, "the coding sheet is empty", "a header row and one row per municipality"))
    unit = _unit_column(rows, index)
    if unit is None:
        raise CodingSheetError(
            Problem(
                name, "no column holds municipality names or codes", "one row per municipality, its name in one column"
            )
        )
    first_data = next((i for i, (_, r) in enumerate(rows) if unit < len(r) and resolve(index, r[unit])), None)
    header_rows, data = rows[:first_data], rows[first_data:]
    unit_header = next((str(r[unit]) for _, r in header_rows if unit < len(r) and r[unit]), "Kommun")
    width = max(len(r) for _, r in rows)
    problems: list[Problem] = []

    def unlabelled(col: int, holds: str, label: str, expected: str) -> Problem:
        """A column with content but nothing above it in the (last) header row."""
        return Problem(
            name,
            f"column {column_letter(col)} has {holds} but no {label} in the header row",
            expected,
            row=header_rows[-1][0] if header_rows else 1,
            letter=column_letter(col),
        )

    cell_values = [r[c] for _, r in data for c in range(len(r)) if c != unit and r[c]]
    marks = bool(cell_values) and all(text_key(v) in MARK_YES | MARK_NO for v in cell_values)
    if marks:
        layout = "matrix"
        code_row = header_rows[-1][1] if header_rows else []
        theme_row = header_rows[-2][1] if len(header_rows) >= 2 else []
        heads, theme = [], None
        for col in range(width):
            t = theme_row[col] if col < len(theme_row) else ""
            theme = t or theme
            code = code_row[col] if col < len(code_row) else ""
            if col == unit:
                continue
            if not code:
                if any(col < len(r) and r[col] for _, r in data):
                    problems.append(unlabelled(col, "marks", "code", "a code name above every column of marks"))
                continue
            if theme is None and ":" in code:
                theme, code = (p.strip() for p in code.split(":", 1))
            heads.append((col, theme or code, code))
    else:
        layout = "theme_cells"
        theme_row = header_rows[-1][1] if header_rows else []
        heads = [(c, theme_row[c], None) for c in range(width) if c != unit and c < len(theme_row) and theme_row[c]]
        for col in range(width):
            if (
                col != unit
                and (col >= len(theme_row) or not theme_row[col])
                and any(col < len(r) and r[col] for _, r in data)
            ):
                problems.append(unlabelled(col, "codes", "theme", "a theme name above every column"))
    seen: dict[str, int] = {}
    found: list[dict] = []
    units = []
    for number, record in data:
        value = record[unit] if unit < len(record) else ""
        if not value:
            if any(record):
                problems.append(
                    Problem(
                        name,
                        "the row has codes but no municipality",
                        "a municipality name",
                        row=number,
                        column=unit_header,
                        letter=column_letter(unit),
                    )
                )
            continue
        place = resolve(index, value)
        if place is None:
            problems.append(
                Problem(
                    name,
                    f"unknown municipality '{value}'",
                    index.describe_unknown(value),
                    row=number,
                    column=unit_header,
                    letter=column_letter(unit),
                    value=value,
                )
            )
            continue
        if place.kommunkod in seen:
            problems.append(
                Problem(
                    name,
                    f"'{value}' is the same municipality as row {seen[place.kommunkod]}",
                    "one row per municipality",
                    row=number,
                    column=unit_header,
                    letter=column_letter(unit),
                    value=value,
                )
            )
            continue
        seen[place.kommunkod] = number
        kommun = index.municipalities[place.kommunkod].name
        if in_county is not None and place.kommunkod not in in_county | accepted:
            problems.append(
                Problem(
                    name,
                    f"'{value}' ({kommun}) is not in {county_name}",
                    f"a municipality of {county_name}, or list it under accept_municipalities in the config",
                    row=number,
                    column=unit_header,
                    letter=column_letter(unit),
                    value=value,
                )
            )
            continue
        units.append((place.kommunkod, kommun))
        for col, theme, code in heads:
            cell = record[col] if col < len(record) else ""
            ref = f"{Path(name).name} row {number}, column {column_letter(col)}"
            if layout == "matrix":
                key = text_key(cell)
                if not key:
                    continue
                status = "yes" if key in MARK_YES else "no"
                found.append(
                    {
                        "kommunkod": place.kommunkod,
                        "kommun": kommun,
                        "theme": theme,
                        "code": code,
                        "status": status,
                        "source_ref": ref,
                    }
                )
                continue
            for piece in CELL_SEPARATORS.split(cell or ""):
                piece = piece.strip().rstrip(".")
                if not piece:
                    continue
                status = "no" if NO_PREFIX.match(piece) else "yes"
                piece = NO_PREFIX.sub("", piece).strip()
                found.append(
                    {
                        "kommunkod": place.kommunkod,
                        "kommun": kommun,
                        "theme": theme,
                        "code": piece[:1].upper() + piece[1:],
                        "status": status,
                        "source_ref": ref,
                    }
                )
    if problems:
        raise CodingSheetError(problems)
    code_list = _code_list(found, heads, layout, codes, name)
    by_key = {(r["kommunkod"], text_key(r["theme"]), text_key(r["code"])): r for r in found}
    rows_out = []
    for kommunkod, kommun in units:
        for _, c in code_list.iterrows():
            hit = by_key.get((kommunkod, text_key(c["theme"]), text_key(c["code"])))
            rows_out.append(
                {
                    "kommunkod": kommunkod,
                    "kommun": kommun,
                    "theme": c["theme"],
                    "code": c["code"],
                    "status": hit["status"] if hit else "not_reported",
                    "source_ref": hit["source_ref"] if hit else f"{Path(name).name} (not mentioned)",
                }
            )
    return pd.DataFrame(rows_out, columns=COLUMNS), code_list, layout


def _code_list(found, heads, layout, codes: Path | None, name: str) -> pd.DataFrame:
    """The codes in sheet order (one spelling per code: the first seen), with descriptions from the
    optional code list."""
    order: dict[tuple[str, str], dict] = {}
    if layout == "matrix":
        for _, theme, code in heads:
            order.setdefault((text_key(theme), text_key(code)), {"theme": theme, "code": code})
    for r in found:
        order.setdefault((text_key(r["theme"]), text_key(r["code"])), {"theme": r["theme"], "code": r["code"]})
    frame = pd.DataFrame(list(order.values()), columns=["theme", "code"])
    themes = list(dict.fromkeys(text_key(theme) for _, theme, _ in heads))  # the sheet's column order
    frame = frame.iloc[sorted(range(len(frame)), key=lambda i: themes.index(text_key(frame.at[i, "theme"])))]
    frame = frame.reset_index(drop=True)
    frame["description"] = None
    if codes:
        listed = read_table(codes)
        cols = {text_key(c): c for c in listed.frame.columns}
        code_col = cols.get("code") or cols.get("kod")
        desc_col = cols.get("description") or cols.get("beskrivning") or cols.get("label_sv")
        if code_col is None:
            raise CodingSheetError(
                listed.problem("the code list has no column 'kod' (or 'code')", "columns kod and beskrivning", row=1)
            )
        if desc_col:
            descriptions = {text_key(c): d for c, d in zip(listed.frame[code_col], listed.frame[desc_col])}
            frame["description"] = frame["code"].map(lambda c: descriptions.get(text_key(c)))
    return frame
