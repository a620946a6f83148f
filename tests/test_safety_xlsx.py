"""Issue 14, item 4: spreadsheets are read as a person sees them in Excel. Merged cells show
their value in every cell they cover, formulas without a saved value are refused (open and save
the file in Excel), percent-formatted cells are the percent shown, and when the data is not on the
first worksheet the message names the sheet that holds it. Checked on the example survey export:
the counts from the .xlsx variants equal the counts from the CSV."""

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analysis import readers, sources
from analysis.input_errors import UnreadableFileError, ValidationError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"
UNIT = "Kommun/stadsdel"


def inputs(responses: Path, **extra) -> dict:
    return {
        "inputs": {
            "kind": "survey_microdata",
            "responses": str(responses),
            "survey_codebook": str(EXAMPLES / "stockholm_2008_survey_codebook.csv"),
            "unit_column": UNIT,
            **extra,
        }
    }


def counts(responses: Path, **extra):
    frame = sources.load("s", inputs(responses, **extra), ROOT)["counts"]
    return frame.set_index(["indicator", "category"])[["n", "N"]]


@pytest.fixture(scope="module")
def expected():
    return counts(EXAMPLES / "stockholm_2008_microdata.csv")


def load_book():
    return openpyxl.load_workbook(EXAMPLES / "stockholm_2008_microdata.xlsx")


def column_of(sheet, header: str) -> int:
    return next(c.column for c in sheet[1] if c.value == header)


def test_merged_cells_are_read_as_the_value_they_show(tmp_path, expected):
    book = load_book()
    sheet = book.active
    column = column_of(sheet, "Kvinnor: egna stödsamtal")
    runs = 0
    row = 2
    while row < sheet.max_row and runs < 3:  # merge three runs of equal answers, as people do
        if sheet.cell(row, column).value == sheet.cell(row + 1, column).value == "Ja":
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
            runs += 1
            row += 2
        else:
            row += 1
    assert runs
    path = tmp_path / "merged.xlsx"
    book.save(path)
    assert counts(path).equals(expected)


def test_a_merged_cell_across_columns_shows_in_each(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kommun", "A", "B"])
    sheet.append(["Falun", "Ja", None])
    sheet.merge_cells("B2:C2")
    path = tmp_path / "m.xlsx"
    book.save(path)
    assert readers.read_table(path).frame.loc[2].tolist() == ["Falun", "Ja", "Ja"]


def test_formulas_without_a_saved_value_are_refused(tmp_path):
    book = load_book()
    sheet = book.active
    column = column_of(sheet, "Samordnarens tjänstgöringsgrad (%)")
    sheet.cell(5, column).value = "=40+40"
    sheet.cell(9, column).value = "=SUM(1,2)"
    path = tmp_path / "formulas.xlsx"
    book.save(path)  # openpyxl saves formulas without values, as a program-written file does
    with pytest.raises(UnreadableFileError) as caught:
        counts(path)
    cells = {(p.row, p.letter) for p in caught.value.problems}
    letter = openpyxl.utils.get_column_letter(column)
    assert cells == {(5, letter), (9, letter)}
    assert all("open the file in Excel and save it" in p.expected for p in caught.value.problems)
    assert "=40+40" in caught.value.problems[0].message


def with_saved_values(path: Path, values: dict[str, str]) -> None:
    """Add Excel's saved value (<v>) after each formula of the given cells (what Excel writes)."""
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    xml = items["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        xml = re.sub(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?', rf"\1\2<v>{value}</v>", xml)
    items["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in items.items():
            target.writestr(name, data)


def test_formulas_with_a_saved_value_are_read_as_that_value(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kommun", "N"])
    sheet.append(["Falun", "=40+2"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    with_saved_values(path, {"B2": "42"})
    assert readers.read_table(path).frame.loc[2, "N"] == "42"


@pytest.mark.parametrize(
    "fmt, value, shown",
    [
        ("0%", 0.8, "80"),
        ("0 %", 0.8, "80"),
        ("0.0%", 0.805, "80.5"),
        ("0.00%", 0.1234, "12.34"),
        ("General", 0.8, "0.8"),
    ],
)
def test_percent_formatted_cells_are_the_percent_shown(tmp_path, fmt, value, shown):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kommun", "Andel"])
    sheet.append(["Falun", value])
    sheet["B2"].number_format = fmt
    path = tmp_path / "p.xlsx"
    book.save(path)
    assert readers.read_table(path).frame.loc[2, "Andel"] == shown


def test_percent_formatted_survey_column_counts_as_in_the_csv(tmp_path, expected):
    book = load_book()
    sheet = book.active
    column = column_of(sheet, "Samordnarens tjänstgöringsgrad (%)")
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, column)
        if isinstance(cell.value, (int, float)):
            cell.value = cell.value / 100
            cell.number_format = "0 %"
    path = tmp_path / "percent.xlsx"
    book.save(path)
    assert counts(path).equals(expected)


def test_a_first_sheet_with_notes_names_the_sheet_that_holds_the_data(tmp_path):
    book = load_book()
    notes = book.create_sheet("Anteckningar", 0)
    notes.append(["Enkät 2008, export ur enkätverktyget"])
    notes.append(["Frågor om kvinnofrid till länets kommuner"])
    path = tmp_path / "notes.xlsx"
    book.save(path)
    data_sheet = book.sheetnames[1]
    with pytest.raises(ValidationError) as caught:
        counts(path)
    problems = caught.value.problems
    assert len(problems) == 1
    assert f"the worksheet '{data_sheet}'" in problems[0].message and "Anteckningar" in problems[0].message
    assert f"sheet: {data_sheet}" in problems[0].expected
    assert counts(path, sheet=data_sheet).equals(counts(EXAMPLES / "stockholm_2008_microdata.csv"))


def test_a_first_sheet_with_one_line_of_notes_names_the_sheet_with_data(tmp_path):
    from analysis.input_errors import SheetError

    book = load_book()
    data_sheet = book.sheetnames[0]
    notes = book.create_sheet("Anteckningar", 0)
    notes.append(["Anteckningar om enkäten"])
    path = tmp_path / "notes1.xlsx"
    book.save(path)
    with pytest.raises(SheetError) as caught:
        counts(path)
    (problem,) = caught.value.problems
    assert "'Anteckningar' holds no table" in problem.message and f"sheet: {data_sheet}" in problem.expected
