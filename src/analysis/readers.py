"""Reading a researcher's table from .csv or .xlsx, whatever program saved it.

CSV: the encoding (UTF-8, UTF-8 with BOM, Windows-1252 as Swedish Excel writes it, UTF-16 with
BOM as Excel's "Unicode text") and the column separator (comma, semicolon, tab) are detected.
XLSX: the first worksheet, or the one named. Every cell comes back as text with surrounding
whitespace removed; numbers are converted later, by the schema (see `parse_number`, which also
understands decimal commas). The DataFrame's index is the row number a spreadsheet shows
(header = row 1), so every error can point at the row the researcher sees.

Files are only opened for reading.
"""

import codecs
import csv
import datetime as dt
import difflib
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .input_errors import EmptyTableError, Problem, SheetError, UnreadableFileError
from .normalise import clean_text

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
SAMPLE_RECORDS = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# UTF-8 bytes of å ä ö Å Ä Ö é read as Windows-1252: the sign of a file decoded with the wrong encoding.
_MOJIBAKE = re.compile("Ã[¥¤¶…„–©]")
_NUMBER = re.compile(r"^[+\-−]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?(?:[eE][+\-]?\d+)?$")


@dataclass
class Table:
    """A table as read: text cells, index = spreadsheet row number, columns = header names."""

    name: str  # how messages name the file (path as given, plus the sheet for workbooks)
    path: Path
    frame: pd.DataFrame
    letters: dict[str, str] = field(default_factory=dict)  # column name -> spreadsheet letter
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    default_sheet: bool = False  # the first worksheet, taken because none was named
    sheets: dict[str, list[str]] = field(default_factory=dict)  # the workbook's other sheets: header row

    def problem(
        self,
        message: str,
        expected: str = "",
        row: int | None = None,
        column: str | None = None,
        value=None,
        rule: str | None = None,
    ) -> Problem:
        return Problem(
            file=self.name,
            message=message,
            expected=expected,
            row=row,
            column=column,
            letter=self.letters.get(column) if column else None,
            value=value,
            rule=rule,
        )


def column_letter(position: int) -> str:
    """0 → 'A', 25 → 'Z', 26 → 'AA'."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_number(text) -> float | None:
    """'37,5' → 37.5, '1 432' → 1432.0, '−2' → -2.0; None when the text is not a number.

    A decimal comma or point is accepted; thousands may be separated by a (non-breaking) space,
    never by a point or comma (ambiguous)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    value = str(text).strip()
    if not _NUMBER.match(value):
        return None
    value = re.sub(r"[ \u00a0\u202f]", "", value).replace("−", "-").replace(",", ".")
    return float(value)


def to_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(numbers as float64, mask of non-empty cells that are not numbers)."""
    parsed = values.map(lambda v: None if pd.isna(v) else parse_number(v))
    bad = values.notna() & parsed.isna()
    return pd.to_numeric(parsed, errors="coerce").astype("float64"), bad


# --- reading ------------------------------------------------------------------------------------

# Inputs are tables of municipalities: one row per unit, a few thousand rows of transcribed
# figures at most. A file far larger is not such a table; it is refused at once, unread.
MAX_INPUT_BYTES = 20 * 1024 * 1024


def read_table(path: Path, sheet: str | None = None, name: str | None = None) -> Table:
    """Read a .csv or .xlsx file as text. `name` is how messages name the file (default: the path)."""
    path = Path(path)
    name = name or str(path)
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise UnreadableFileError(Problem(name, f"the file {what}", "a .csv or .xlsx file"))
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise UnreadableFileError(
            Problem(
                name,
                f"the file is {size / 1024 / 1024:.1f} MB; an input table is at most "
                f"{MAX_INPUT_BYTES // 1024 // 1024} MB".replace(".", ","),
                "one row per municipality or district (a survey export, a coding sheet) or the transcribed "
                "tables of a report: check that this is the right file",
            )
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet, name)
    if suffix == ".xls":
        raise UnreadableFileError(
            Problem(
                name,
                "old Excel .xls workbooks cannot be read",
                "a .xlsx workbook or a CSV file: open it in Excel and save it as .xlsx",
            )
        )
    if sheet:
        raise SheetError(
            Problem(
                name,
                f"a worksheet ('{sheet}') was named, but this is a CSV file",
                "no `sheet` for CSV files (only .xlsx workbooks have worksheets)",
            )
        )
    return read_csv(path, name)


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes; UnreadableFileError when it is not text."""
    if not raw.strip():
        raise EmptyTableError(Problem(name, "the file is empty", "a header row and at least one data row"))
    if raw.startswith(b"PK\x03\x04"):
        raise UnreadableFileError(
            Problem(
                name,
                "this is an Excel workbook (.xlsx) or another zip archive, not a CSV text file",
                "a file ending in .xlsx for workbooks, or save the sheet as CSV",
            )
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFileError(
            Problem(name, "this is an old Excel .xls workbook, not a CSV text file", "a CSV file or a .xlsx workbook")
        )
    if raw.startswith(codecs.BOM_UTF8):
        if not _utf8(raw[3:]):
            raise UnreadableFileError(
                Problem(
                    name,
                    "the file starts with a UTF-8 byte-order mark but is not UTF-8",
                    "a file saved as UTF-8 (CSV UTF-8 in Excel)",
                )
            )
        text, encoding = raw[3:].decode("utf-8"), "UTF-8 with BOM"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            raise UnreadableFileError(
                Problem(
                    name, "the file starts with a UTF-16 byte-order mark but is not UTF-16", "a file saved as UTF-8"
                )
            ) from error
    elif b"\x00" in raw:
        raise UnreadableFileError(
            Problem(
                name,
                "the file contains NUL bytes: it is a binary file (or UTF-16 without byte-order mark), not CSV text",
                "a CSV text file saved as UTF-8 or Windows-1252, or a .xlsx workbook",
            )
        )
    elif _utf8(raw):
        text, encoding = raw.decode("utf-8"), "UTF-8"
    else:
        mixed = _mixed_encoding(raw, name)
        if mixed:
            raise UnreadableFileError(mixed)
        try:
            text, encoding = raw.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise UnreadableFileError(
                Problem(
                    name,
                    f"line {line} has the byte 0x{raw[error.start]:02X}, which is neither UTF-8 nor Windows-1252 text",
                    "a text file saved as UTF-8 (or Windows-1252, as Swedish Excel saves CSV)",
                )
            ) from error
    if not text.strip():
        raise EmptyTableError(Problem(name, "the file is empty", "a header row and at least one data row"))
    bad = _CONTROL.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise UnreadableFileError(
            Problem(
                name,
                f"line {line} has the control character U+{ord(bad.group()):04X}: this looks like a binary "
                "file, not CSV text",
                "a CSV text file or a .xlsx workbook",
            )
        )
    garbled = _mojibake(text, name, encoding)
    if garbled:
        raise UnreadableFileError(garbled)
    return text, encoding


def _mojibake(text: str, name: str, encoding: str) -> Problem | None:
    """The first letter saved as UTF-8 twice (or read with the wrong encoding): 'GÃ¶teborg'."""
    garbled = _MOJIBAKE.search(text)
    if not garbled:
        return None
    line = text[: garbled.start()].count("\n") + 1
    around = text[max(0, garbled.start() - 30) :]
    word = re.search(r"[^\s,;\t\"]*" + re.escape(garbled.group()) + r"[^\s,;\t\"]*", around)
    letter = garbled.group().encode("cp1252").decode("utf-8")
    mixed = " mixed with Windows-1252" if encoding == "Windows-1252" else ""
    return Problem(
        name,
        f"line {line} has '{word.group() if word else garbled.group()}': the letter '{letter}' saved as "
        f"UTF-8 and read as Windows-1252 '{garbled.group()}' "
        f"(the file was re-encoded twice, or is UTF-8{mixed})",
        "one encoding for the whole file: open it, fix the letters and save it as UTF-8",
    )


_UTF8_LETTER = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
MIXED_LINES_SHOWN = 10


def _mixed_encoding(raw: bytes, name: str) -> list[Problem]:
    """Problems for a file that is UTF-8 except for some lines in another encoding (e.g. rows
    pasted from a Windows-1252 file): each such line by its own number. Empty when the file has no
    UTF-8 letters at all (then it is Windows-1252 throughout)."""
    lines = raw.split(b"\n")
    good = next((n for n, line in enumerate(lines, start=1) if _UTF8_LETTER.search(line) and _utf8(line)), None)
    if good is None:
        return []
    bad = []
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            byte = line[error.start]
            bad.append(
                Problem(
                    name,
                    f"line {number} has the byte 0x{byte:02X} ('{bytes([byte]).decode('cp1252', 'replace')}' "
                    f"in Windows-1252), but the file is otherwise UTF-8 (e.g. line {good})",
                    "one encoding for the whole file: retype the letters of this line or save the whole file as UTF-8",
                    row=number,
                )
            )
    shown = bad[:MIXED_LINES_SHOWN]
    if len(bad) > len(shown):
        shown.append(
            Problem(
                name,
                f"… and {len(bad) - len(shown)} more lines not in UTF-8 ({len(bad)} in all)",
                "one encoding for the whole file",
            )
        )
    twice = _mojibake(raw.decode("utf-8", errors="replace"), name, "UTF-8")  # and letters encoded twice
    return ([twice] if twice else []) + shown


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_delimiter(text: str, name: str) -> str:
    """The separator (comma, semicolon, tab) that splits the first records into the same number
    of columns as the header; ties go to the separator giving more columns. When the best
    candidate breaks on bad quoting, that error is raised (it is the file's real problem)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    scores, broken = [], []
    for delimiter in DELIMITERS:
        width = len(_trim(next(csv.reader([first_line], delimiter=delimiter), [])))
        if width < 2:
            continue
        try:
            rows = [r for r in _records(text, delimiter, name, limit=SAMPLE_RECORDS) if any(c.strip() for c in r)]
        except UnreadableFileError as error:
            broken.append((width, error))
            continue
        consistent = sum(len(_trim(r)) <= width for r in rows[1:]) / max(len(rows) - 1, 1)
        scores.append((consistent, width, delimiter))
    if broken and (not scores or max(broken, key=lambda b: b[0])[0] > max(scores)[1]):
        raise max(broken, key=lambda b: b[0])[1]
    if not scores:
        shown = first_line[:60]
        raise UnreadableFileError(
            Problem(
                name,
                f"no column separator found: the header row '{shown}' is a single column",
                "columns separated by comma, semicolon or tab (e.g. 'kommun;q1;q2'), or a .xlsx workbook",
                row=1,
            )
        )
    return max(scores)[2]


def _trim(cells: list[str]) -> list[str]:
    """Cells without the empty ones at the end (Excel writes trailing separators)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _records(text: str, delimiter: str, name: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True, strict=True
    )
    records = []
    try:
        for record in reader:
            records.append(record)
            if limit and len(records) >= limit:
                break
    except csv.Error as error:
        raise UnreadableFileError(
            Problem(
                name,
                f"broken quoting near line {reader.line_num}: {error}",
                'cells quoted with " and a quote inside a cell doubled (""), as Excel writes them',
                row=len(records) + 1,
            )
        ) from error
    return records


def read_csv(path: Path, name: str | None = None) -> Table:
    """Read a CSV file, detecting its encoding and separator."""
    path = Path(path)
    name = name or str(path)
    with open(path, "rb") as handle:  # read-only
        raw = handle.read()
    text, encoding = decode(raw, name)
    delimiter = detect_delimiter(text, name)
    rows = list(enumerate(_records(text, delimiter, name), start=1))
    table = _table_from_rows(rows, name, path)
    table.encoding, table.delimiter = encoding, delimiter
    return table


XLSX_FORMULA_LIMIT = 20  # formula cells listed one by one; the rest are counted


def read_xlsx(path: Path, sheet: str | None = None, name: str | None = None) -> Table:
    """Read the first (or the named) worksheet of a .xlsx workbook as a person sees it in Excel:
    the saved values of formulas (a formula without a saved value is refused: the file must be
    opened and saved in Excel first), merged cells expanded to the value they show, and cells
    formatted as percent read as the percent shown (0,8 formatted "0 %" is 80)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    name = name or str(path)
    try:
        with open(path, "rb") as handle:  # read-only
            data = handle.read()
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise UnreadableFileError(
            Problem(
                name,
                f"not a readable .xlsx workbook ({type(error).__name__})",
                "a workbook saved by Excel or LibreOffice as .xlsx",
            )
        ) from error
    names = book.sheetnames
    listing = ", ".join(f"'{s}'" for s in names)
    if sheet is None:
        worksheet = book[names[0]]
        rows = _sheet_rows(worksheet)
        if not any(any(c.strip() for c in r) for _, r in rows):
            others = [s for s in names[1:] if any(any(c.strip() for c in r) for _, r in _sheet_rows(book[s]))]
            hint = (
                f"name the sheet with data, e.g. sheet: {others[0]}"
                if others
                else "a worksheet with a header row and data"
            )
            raise SheetError(
                Problem(
                    f"{name}, sheet '{names[0]}'",
                    f"the first worksheet '{names[0]}' is empty; the workbook has the sheets {listing}",
                    hint,
                )
            )
    else:
        if sheet not in names:
            close = difflib.get_close_matches(sheet, names, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise SheetError(Problem(name, f"no worksheet named '{sheet}'{hint}", f"one of the sheets {listing}"))
        worksheet = book[sheet]
        rows = _sheet_rows(worksheet)
    sheet_name = f"{name}, sheet '{worksheet.title}'"
    _refuse_unsaved_formulas(data, worksheet, sheet_name)
    try:
        table = _table_from_rows(rows, sheet_name, path)
    except EmptyTableError:
        others = [
            s
            for s in names
            if s != worksheet.title and sum(any(c.strip() for c in r) for _, r in _sheet_rows(book[s])) >= 2
        ]
        if sheet is not None or not others:
            raise
        raise SheetError(
            Problem(
                sheet_name,
                f"the first worksheet '{worksheet.title}' holds no table (a header row "
                f"and data rows); the workbook has the sheets {listing}",
                f"the sheet with the data named in the config, e.g. sheet: {others[0]}",
            )
        ) from None
    table.sheet = worksheet.title
    table.default_sheet = sheet is None
    table.sheets = {s: _header(book[s]) for s in names if s != worksheet.title}
    return table


def _header(worksheet) -> list[str]:
    """The first non-empty row of a worksheet (its column names, if it holds a table)."""
    for _, cells in _sheet_rows(worksheet):
        if any(c.strip() for c in cells):
            return [clean_text(c) or "" for c in cells]
    return []


def _refuse_unsaved_formulas(data: bytes, worksheet, name: str) -> None:
    """UnreadableFileError listing the formula cells that have no saved value: openpyxl reads
    what Excel saved, and a workbook written by a program (or never opened in Excel) holds only
    the formulas — the cells would be read as empty."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)[worksheet.title]
    unsaved = []
    for row in formulas.iter_rows():
        for cell in row:
            if cell.data_type == "f" and worksheet.cell(row=cell.row, column=cell.column).value is None:
                unsaved.append(cell)
    if not unsaved:
        return
    problems = [
        Problem(
            name,
            f"cell {get_column_letter(c.column)}{c.row} holds the formula {c.value} without a saved value",
            "open the file in Excel and save it (Excel stores each formula's value); or type the values",
            row=c.row,
            letter=get_column_letter(c.column),
        )
        for c in unsaved[:XLSX_FORMULA_LIMIT]
    ]
    if len(unsaved) > XLSX_FORMULA_LIMIT:
        problems.append(
            Problem(
                name,
                f"… and {len(unsaved) - XLSX_FORMULA_LIMIT} more formula cells without a "
                f"saved value ({len(unsaved)} in all)",
                "open the file in Excel and save it",
            )
        )
    raise UnreadableFileError(problems)


def _sheet_rows(worksheet) -> list[tuple[int, list[str]]]:
    """Every row as text, as Excel shows it: a merged range shows its top-left value in every
    cell it covers; a number formatted as percent is the percent shown."""
    merged = {}
    for cells in worksheet.merged_cells.ranges:
        value = worksheet.cell(row=cells.min_row, column=cells.min_col)
        for row in range(cells.min_row, cells.max_row + 1):
            for column in range(cells.min_col, cells.max_col + 1):
                merged[(row, column)] = value
    rows = []
    for number, row in enumerate(worksheet.iter_rows(), start=1):
        rows.append((number, [_shown_text(merged.get((cell.row, cell.column), cell)) for cell in row]))
    width = max((len(t) for _, t in rows), default=0)
    for (row, column), cell in merged.items():  # a merged range past the last filled cell of a row
        if row <= len(rows) and column > len(rows[row - 1][1]) and column <= width:
            rows[row - 1][1].extend([""] * (column - len(rows[row - 1][1])))
            rows[row - 1][1][column - 1] = _shown_text(cell)
    return rows


def _shown_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt.replace('"%"', ""):
        value = round(value * 100, 10)  # the percent Excel shows: 0,8 formatted "0 %" is 80
    return _cell_text(value)


def _cell_text(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _table_from_rows(rows: list[tuple[int, list[str]]], name: str, path: Path) -> Table:
    """Header = first non-empty row; blank rows are skipped but keep their row numbers."""
    rows = [(number, cells) for number, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise EmptyTableError(Problem(name, "the file has no rows", "a header row and at least one data row"))
    header_row, header = rows[0]
    names = [clean_text(c) or "" for c in header]
    data = rows[1:]
    width = max([len(names)] + [len(_trim(c)) for _, c in data])
    names += [""] * (width - len(names))
    problems = []
    keep = []
    for position, column in enumerate(names):
        filled = any(position < len(c) and c[position].strip() for _, c in data)
        if not column:
            if filled:
                first = next(n for n, c in data if position < len(c) and c[position].strip())
                problems.append(
                    Problem(
                        name,
                        f"column {column_letter(position)} has values (first in row {first}) "
                        "but no name in the header row",
                        "a column name in the header row",
                        row=header_row,
                        letter=column_letter(position),
                    )
                )
            continue
        keep.append(position)
    seen: dict[str, int] = {}
    for position in keep:
        column = names[position]
        if column in seen:
            problems.append(
                Problem(
                    name,
                    f"the column name '{column}' appears twice (columns {column_letter(seen[column])} and "
                    f"{column_letter(position)})",
                    "each column name once",
                    row=header_row,
                    column=column,
                )
            )
        seen.setdefault(column, position)
    if problems:
        raise UnreadableFileError(problems)
    if not data:
        raise EmptyTableError(
            Problem(
                name,
                f"the file has a header row (row {header_row}) but no data rows",
                "at least one data row below the header",
                row=header_row,
            )
        )
    cells = {names[p]: [clean_text(c[p]) if p < len(c) else None for _, c in data] for p in keep}
    frame = pd.DataFrame(cells, index=pd.Index([n for n, _ in data], name="row"), dtype="str")
    letters = {names[p]: column_letter(p) for p in keep}
    return Table(name=name, path=path, frame=frame, letters=letters)
