"""Bad inputs are refused with a message that says exactly what is wrong; good inputs saved the
awkward ways Excel saves them are accepted; nothing is ever written; the published data passes.

Table-driven: each BAD case writes one broken input into a temporary project (inputs/ holds the
"raw" files, data/processed/ stands for earlier outputs), runs it through `sources.load` (or the
CLI `python -m analysis validate`), and checks the error class and a problem naming the file, the
row (spreadsheet numbering: header = row 1), the column, the value and what was expected — and
that a sha256 snapshot of inputs/ and data/processed/ is unchanged afterwards.
"""

import csv
import hashlib
import io
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import sources
from analysis.input_errors import (
    CodebookError,
    ConfigError,
    EmptyTableError,
    InputError,
    SheetError,
    UnreadableFileError,
    ValidationError,
)
from support.files import run_analysis, workbook_bytes

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "raw" / "reference"
EXAMPLES = ROOT / "data" / "examples"
DALARNA = ROOT / "data" / "raw" / "dalarna_2020"

# A small published-style source: a fixed codebook (so that edits to data/raw do not move these tests).
DEMO_CODEBOOK = """\
file,column,code,type,required,min,max,label_sv,description
counts.csv,indicator,,string,yes,,,Indikator,id
counts.csv,label,,string,yes,,,Fråga,question
counts.csv,category,,string,yes,,,Kategori,id
counts.csv,category_label,,string,yes,,,Kategori (text),label
counts.csv,group_var,,code,yes,,,Redovisningsvariabel,breakdown
counts.csv,group_var,all,,,,,Samtliga,total
counts.csv,group_var,kommun,,,,,Kommun,one municipality
counts.csv,group,,string,yes,,,Grupp,group id
counts.csv,n,,integer,no,0,39,Antal,count
counts.csv,n_max,,integer,no,0,39,"Antal, övre gräns",upper end
counts.csv,N,,integer,no,1,39,Bas,base
counts.csv,percent,,number,no,0,,Procent,percent
counts.csv,percent_max,,number,no,0,,"Procent, övre gräns",upper end
counts.csv,exclusive,,code,yes,,,Ömsesidigt uteslutande,yes/no
counts.csv,exclusive,yes,,,,,Ja,exclusive
counts.csv,exclusive,no,,,,,Nej,not exclusive
counts.csv,unit,,string,yes,,,Enhet,what is counted
counts.csv,source_ref,,string,yes,,,Källa,where
counts.csv,seed_line,,integer,yes,1,,Rad,line
counts.csv,note,,string,no,,,Anmärkning,note
municipalities.csv,kommun,,string,yes,,,Kommun,municipality
municipalities.csv,size_class,,code,yes,,,Storleksklass,size
municipalities.csv,size_class,larger,,,,,Större,larger
municipalities.csv,size_class,smaller,,,,,Mindre,smaller
"""
# Its counts table, tests/data/demo/counts.csv: data rows 2–9 as a spreadsheet numbers them.
DEMO_COUNTS = Path(__file__).parent / "data" / "demo" / "counts.csv"
COUNTS_HEADER, *COUNTS_ROWS = csv.reader(io.StringIO(DEMO_COUNTS.read_text(encoding="utf-8")))
MUNICIPALITY_ROWS = [
    ["kommun", "size_class"],
    ["Eskilstuna", "larger"],
    ["Nyköpings kommun", "larger"],
    ["Trosa", "smaller"],
]


# --- the temporary project -------------------------------------------------------------------------


def snapshot(*folders: Path) -> dict[str, str]:
    """sha256 of every file under the folders (relative path -> digest)."""
    out = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def csv_bytes(rows, delimiter=",", encoding="utf-8", newline="\n", bom=False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@dataclass
class Project:
    root: Path

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    def demo(self, counts: bytes | None = None, municipalities: bytes | None = None) -> dict:
        folder = self.inputs / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "codebook.csv").write_text(DEMO_CODEBOOK, encoding="utf-8")
        (folder / "counts.csv").write_bytes(csv_bytes([COUNTS_HEADER, *COUNTS_ROWS]) if counts is None else counts)
        (folder / "municipalities.csv").write_bytes(
            csv_bytes(MUNICIPALITY_ROWS) if municipalities is None else municipalities
        )
        return {"kind": "published", "dir": "inputs/demo"}

    def survey(self, responses: bytes | None = None, codebook: bytes | None = None, suffix=".csv", **extra) -> dict:
        folder = self.inputs / "survey"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"svar{suffix}").write_bytes(
            (EXAMPLES / "stockholm_2008_microdata.csv").read_bytes() if responses is None else responses
        )
        (folder / "enkatkodbok.csv").write_bytes(
            (EXAMPLES / "stockholm_2008_survey_codebook.csv").read_bytes() if codebook is None else codebook
        )
        return {
            "kind": "survey_microdata",
            "responses": f"inputs/survey/svar{suffix}",
            "survey_codebook": "inputs/survey/enkatkodbok.csv",
            **extra,
        }

    def coding(self, sheet: bytes | None = None) -> dict:
        folder = self.inputs / "coding"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(DALARNA / "codes.csv", folder / "codes.csv")
        shutil.copy(DALARNA / "codebook.csv", folder / "codebook.csv")
        (folder / "kodschema.csv").write_bytes(
            (EXAMPLES / "dalarna_coding_sheet_example.csv").read_bytes() if sheet is None else sheet
        )
        return {
            "kind": "coding_sheet",
            "coding_sheet": "inputs/coding/kodschema.csv",
            "codes": "inputs/coding/codes.csv",
        }


@pytest.fixture
def project(tmp_path) -> Project:
    project = Project(tmp_path / "project")
    project.processed.mkdir(parents=True)
    (project.processed / "shares.csv").write_text("indicator,share\nwomen_learned_via,0.667\n", encoding="utf-8")
    (project.processed / "README.md").write_text("processed outputs\n", encoding="utf-8")
    project.inputs.mkdir()
    return project


def load(project: Project, inputs: dict) -> dict[str, pd.DataFrame]:
    return sources.load("demo", {"inputs": inputs}, project.root, reference=REFERENCE)


def run_cli(project: Project, *args: str) -> subprocess.CompletedProcess:
    return run_analysis("validate", *args, "--reference", str(REFERENCE), cwd=project.root)


def cli_args(inputs: dict) -> list[str]:
    if inputs["kind"] == "published":
        return [inputs["dir"]]
    if inputs["kind"] == "survey_microdata":
        return [inputs["responses"], "--kind", "survey_microdata", "--codebook", inputs["survey_codebook"]]
    return [inputs["coding_sheet"], "--kind", "coding_sheet", "--codebook", inputs["codes"]]


# --- mutations -------------------------------------------------------------------------------------


def counts_with(change: Callable[[list[list[str]]], None], **kwargs) -> bytes:
    rows = [list(COUNTS_HEADER)] + [list(r) for r in COUNTS_ROWS]
    change(rows)
    return csv_bytes(rows, **kwargs)


def setter(row: int, column: str, value: str) -> Callable[[list[list[str]]], None]:
    """Set a cell addressed as a spreadsheet user sees it (header = row 1)."""

    def change(rows):
        rows[row - 1][rows[0].index(column)] = value

    return change


def example_rows(name: str) -> list[list[str]]:
    with open(EXAMPLES / name, encoding="utf-8", newline="") as handle:
        return [list(r) for r in csv.reader(handle)]


def responses_with(change) -> bytes:
    rows = example_rows("stockholm_2008_microdata.csv")
    change(rows)
    return csv_bytes(rows)


def sheet_with(change) -> bytes:
    rows = example_rows("dalarna_coding_sheet_example.csv")
    change(rows)
    return csv_bytes(rows)


def mixed_encoding(project: Project) -> dict:
    rows = csv_bytes([COUNTS_HEADER, *COUNTS_ROWS[:2]]) + csv_bytes(
        [COUNTS_ROWS[2][:-1] + ["Västerås"]], encoding="cp1252"
    )
    return project.demo(counts=rows.replace(b"Polisen", "Polisen (Malmö)".encode()))


def garbage(project: Project) -> dict:
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(3000))
    return project.demo(counts=data)


@dataclass
class Bad:
    id: str
    make: Callable[[Project], dict]
    error: type
    file: str
    row: int | None
    column: str | None
    value: str | None  # must appear in the message
    expected: str  # must appear in what was expected
    message: str = ""  # must appear in the message
    cli: bool = False


BAD = [
    # the UTF-8 file's one Windows-1252 line (row 4, 'Västerås') is named, not a correct UTF-8 line
    Bad(
        "wrong_encoding_mixed_utf8_and_cp1252",
        mixed_encoding,
        UnreadableFileError,
        "inputs/demo/counts.csv",
        4,
        None,
        "0xE5",
        "one encoding for the whole file",
        message="line 4",
    ),
    Bad(
        "wrong_encoding_utf16_without_bom",
        lambda p: p.demo(counts=csv_bytes([COUNTS_HEADER, *COUNTS_ROWS]).decode().encode("utf-16-le")),
        UnreadableFileError,
        "inputs/demo/counts.csv",
        None,
        None,
        None,
        "saved as UTF-8",
        message="NUL bytes",
    ),
    Bad(
        "wrong_encoding_not_cp1252",
        lambda p: p.demo(counts=counts_with(setter(3, "note", "x")).replace(b"Kvinnan", b"Kvinnan \x81")),
        UnreadableFileError,
        "inputs/demo/counts.csv",
        None,
        None,
        "0x81",
        "UTF-8",
        message="line 3",
        cli=True,
    ),
    Bad(
        "wrong_delimiter_pipe",
        lambda p: p.demo(counts=counts_with(lambda r: None, delimiter="|")),
        UnreadableFileError,
        "inputs/demo/counts.csv",
        1,
        None,
        "indicator|label",
        "comma, semicolon or tab",
        message="no column separator",
    ),
    Bad(
        "missing_column",
        lambda p: p.demo(
            counts=csv_bytes(
                [[c for c in r if c != "DROP"] for r in [[("DROP" if h == "n_max" else h) for h in COUNTS_HEADER]]]
                + [r[:7] + r[8:] for r in COUNTS_ROWS]
            )
        ),
        ValidationError,
        "inputs/demo/counts.csv",
        1,
        None,
        "n_max",
        "a column named 'n_max'",
        message="missing column 'n_max'",
    ),
    Bad(
        "misspelled_column",
        lambda p: p.demo(counts=counts_with(setter(1, "category", "categroy"))),
        ValidationError,
        "inputs/demo/counts.csv",
        1,
        "categroy",
        "categroy",
        "'category'",
        message="missing column 'category'; did you mean 'categroy'?",
        cli=True,
    ),
    Bad(
        "unexpected_column",
        lambda p: p.demo(counts=counts_with(lambda r: [x.append("extra") for x in r])),
        ValidationError,
        "inputs/demo/counts.csv",
        1,
        "extra",
        "extra",
        "only the columns described",
        message="unexpected column",
    ),
    Bad(
        "unknown_municipality_published",
        lambda p: p.demo(municipalities=csv_bytes(MUNICIPALITY_ROWS[:3] + [["Trossa", "smaller"]])),
        ValidationError,
        "inputs/demo/municipalities.csv",
        4,
        "kommun",
        "Trossa",
        "closest: 'Trosa'",
    ),
    Bad(
        "unknown_municipality_microdata",
        lambda p: p.survey(responses=responses_with(setter(17, "Kommun/stadsdel", "Sollentunna kommun"))),
        ValidationError,
        "inputs/survey/svar.csv",
        17,
        "Kommun/stadsdel",
        "Sollentunna kommun",
        "closest: 'Sollentuna'",
        cli=True,
    ),
    Bad(
        "duplicated_unit",
        lambda p: p.survey(responses=responses_with(setter(40, "Kommun/stadsdel", "Bromma"))),
        ValidationError,
        "inputs/survey/svar.csv",
        40,
        "Kommun/stadsdel",
        "Bromma",
        "each Kommun/stadsdel once",
        message="is the same unit as 'Bromma stadsdelsförvaltning' in row 30",
    ),
    Bad(
        "duplicated_key",
        lambda p: p.demo(counts=counts_with(setter(3, "category", "police"))),
        ValidationError,
        "inputs/demo/counts.csv",
        3,
        "indicator",
        "women_learned_via",
        "each combination of indicator, category, group_var, group once",
        message="repeats row 2",
    ),
    Bad(
        "value_out_of_range",
        lambda p: p.demo(counts=counts_with(setter(5, "n", "45"))),
        ValidationError,
        "inputs/demo/counts.csv",
        5,
        "n",
        "45",
        "a count from 0 to 39",
        message="above the maximum 39",
    ),
    Bad(
        "empty_file",
        lambda p: p.demo(counts=b""),
        EmptyTableError,
        "inputs/demo/counts.csv",
        None,
        None,
        None,
        "a header row and at least one data row",
        message="the file is empty",
        cli=True,
    ),
    Bad(
        "blank_lines_only",
        lambda p: p.demo(counts=b"\r\n  \r\n\r\n"),
        EmptyTableError,
        "inputs/demo/counts.csv",
        None,
        None,
        None,
        "a header row",
        message="the file is empty",
    ),
    Bad(
        "header_only",
        lambda p: p.demo(counts=csv_bytes([COUNTS_HEADER])),
        EmptyTableError,
        "inputs/demo/counts.csv",
        1,
        None,
        None,
        "at least one data row below the header",
        message="header row (row 1) but no data rows",
    ),
    Bad(
        "xlsx_data_on_another_sheet",
        lambda p: p.survey(
            responses=workbook_bytes({"Blad1": [], "Data": example_rows("stockholm_2008_microdata.csv")}),
            suffix=".xlsx",
        ),
        SheetError,
        "inputs/survey/svar.xlsx",
        None,
        None,
        "'Blad1', 'Data'",
        "sheet: Data",
        message="the first worksheet 'Blad1' is empty",
    ),
    Bad(
        "xlsx_named_sheet_missing",
        lambda p: p.survey(
            responses=workbook_bytes(
                {"Svar 2008": example_rows("stockholm_2008_microdata.csv"), "Info": [["made up"]]}
            ),
            suffix=".xlsx",
            sheet="Svar",
        ),
        SheetError,
        "inputs/survey/svar.xlsx",
        None,
        None,
        "Svar",
        "one of the sheets 'Svar 2008', 'Info'",
        message="no worksheet named 'Svar'; did you mean 'Svar 2008'?",
    ),
    Bad(
        "text_in_number_column",
        lambda p: p.demo(counts=counts_with(setter(6, "n", "tolv"))),
        ValidationError,
        "inputs/demo/counts.csv",
        6,
        "n",
        "tolv",
        "a whole number",
        message="is not a number",
    ),
    Bad(
        "decimal_in_integer_column",
        lambda p: p.demo(counts=counts_with(setter(6, "n", "12,5"))),
        ValidationError,
        "inputs/demo/counts.csv",
        6,
        "n",
        "12,5",
        "a whole number",
        message="not a whole number",
    ),
    Bad(
        "n_greater_than_N",
        lambda p: p.demo(counts=counts_with(setter(2, "N", "20"))),
        ValidationError,
        "inputs/demo/counts.csv",
        2,
        "n",
        "26",
        "n ≤ N",
        message="n = 26 is greater than the base N = 20",
    ),
    Bad(
        "n_max_greater_than_N",
        lambda p: p.demo(counts=counts_with(lambda r: setter(8, "N", "1")(r))),
        ValidationError,
        "inputs/demo/counts.csv",
        8,
        "n_max",
        "2",
        "n_max ≤ N",
        message="n_max = 2 is greater than the base N = 1",
    ),
    Bad(
        "range_backwards",
        lambda p: p.demo(counts=counts_with(setter(8, "n_max", "0"))),
        ValidationError,
        "inputs/demo/counts.csv",
        8,
        "n",
        "1",
        "n ≤ n_max",
        message="runs backwards",
    ),
    Bad(
        "negative_count",
        lambda p: p.demo(counts=counts_with(setter(4, "n", "-3"))),
        ValidationError,
        "inputs/demo/counts.csv",
        4,
        "n",
        "-3",
        "a count from 0 to 39",
        message="(a count cannot be negative)",
    ),
    Bad(
        "percent_over_100",
        lambda p: p.demo(counts=counts_with(setter(5, "percent", "120"))),
        ValidationError,
        "inputs/demo/counts.csv",
        5,
        "percent",
        "120",
        "a percent from 0 to 100",
        message="(a percent cannot exceed 100)",
    ),
    Bad(
        "binary_garbage",
        garbage,
        UnreadableFileError,
        "inputs/demo/counts.csv",
        None,
        None,
        None,
        "a CSV text file",
        message="binary",
    ),
    Bad(
        "binary_without_nul_bytes",
        lambda p: p.demo(counts=b"\x89\x01\x02\x03\x04PNG\x1a\x05\x06" * 40),
        UnreadableFileError,
        "inputs/demo/counts.csv",
        None,
        None,
        "U+0001",
        "a CSV text file",
        message="control character",
    ),
    Bad(
        "workbook_saved_as_csv",
        lambda p: p.survey(responses=workbook_bytes({"Svar": example_rows("stockholm_2008_microdata.csv")})),
        UnreadableFileError,
        "inputs/survey/svar.csv",
        None,
        None,
        None,
        "ending in .xlsx",
        message="Excel workbook",
    ),
    Bad(
        "csv_saved_as_xlsx",
        lambda p: p.survey(suffix=".xlsx"),
        UnreadableFileError,
        "inputs/survey/svar.xlsx",
        None,
        None,
        None,
        "saved by Excel or LibreOffice as .xlsx",
        message="not a readable .xlsx workbook",
    ),
    Bad(
        "required_cell_empty",
        lambda p: p.demo(counts=counts_with(setter(7, "unit", "  "))),
        ValidationError,
        "inputs/demo/counts.csv",
        7,
        "unit",
        None,
        "column 'unit' (Enhet) is required",
        message="the cell is empty",
    ),
    Bad(
        "unknown_code",
        lambda p: p.demo(counts=counts_with(setter(3, "exclusive", "kanske"))),
        ValidationError,
        "inputs/demo/counts.csv",
        3,
        "exclusive",
        "kanske",
        "one of yes, no",
        message="is not an allowed code",
    ),
    Bad(
        "unknown_municipality_group",
        lambda p: p.demo(counts=counts_with(setter(9, "group", "trolhattan"))),
        ValidationError,
        "inputs/demo/counts.csv",
        9,
        "group",
        "trolhattan",
        "a municipality id",
        message="is not a known municipality",
    ),
    Bad(
        "broken_quoting",
        lambda p: p.demo(counts=csv_bytes([COUNTS_HEADER, COUNTS_ROWS[0]]) + b'women,"unfinished" quote,x\n'),
        UnreadableFileError,
        "inputs/demo/counts.csv",
        3,
        None,
        None,
        "quote inside a cell doubled",
        message="broken quoting",
    ),
    Bad(
        "values_without_column_name",
        lambda p: p.demo(counts=counts_with(lambda r: r[3].append("stray"))),
        UnreadableFileError,
        "inputs/demo/counts.csv",
        1,
        None,
        "Q",
        "a column name in the header row",
        message="column Q has values (first in row 4) but no name",
    ),
    Bad(
        "duplicated_column_name",
        lambda p: p.demo(counts=counts_with(setter(1, "note", "unit"))),
        UnreadableFileError,
        "inputs/demo/counts.csv",
        1,
        "unit",
        "unit",
        "each column name once",
        message="appears twice (columns M and P)",
    ),
    Bad(
        "unknown_answer_in_microdata",
        lambda p: p.survey(responses=responses_with(setter(5, "Respondentens kön", "Kvinnna"))),
        ValidationError,
        "inputs/survey/svar.csv",
        5,
        "Respondentens kön",
        "Kvinnna",
        "Kvinna",
        message="did you mean 'Kvinna'?",
    ),
    Bad(
        "misspelled_column_in_microdata",
        lambda p: p.survey(responses=responses_with(setter(1, "Respondentens kön", "Respondentens kon"))),
        ValidationError,
        "inputs/survey/svar.csv",
        1,
        "Respondentens kon",
        "Respondentens kon",
        "as inputs/survey/enkatkodbok.csv names it",
        message="missing column 'Respondentens kön'; did you mean 'Respondentens kon'?",
    ),
    Bad(
        "text_in_numeric_microdata_column",
        lambda p: p.survey(responses=responses_with(setter(3, "Samordnarens tjänstgöringsgrad (%)", "halvtid"))),
        ValidationError,
        "inputs/survey/svar.csv",
        3,
        "Samordnarens tjänstgöringsgrad (%)",
        "halvtid",
        "a number such as 66,7",
        message="is not a number",
    ),
    Bad(
        "survey_codebook_bad_condition",
        lambda p: p.survey(
            codebook=(EXAMPLES / "stockholm_2008_survey_codebook.csv").read_bytes().replace(b",>0,", b",>noll,")
        ),
        ValidationError,
        "inputs/survey/enkatkodbok.csv",
        10,
        "answer",
        ">noll",
        "numeric condition",
        message="'noll' is not a number",
    ),
    Bad(
        "coding_sheet_unknown_code",
        lambda p: p.coding(sheet=sheet_with(setter(6, "Resurser", "perpetrator_expertis"))),
        ValidationError,
        "inputs/coding/kodschema.csv",
        6,
        "Resurser",
        "perpetrator_expertis",
        "codes of theme resources",
        message="did you mean 'perpetrator_expertise'?",
        cli=True,
    ),
    Bad(
        "coding_sheet_code_in_wrong_theme",
        lambda p: p.coding(sheet=sheet_with(setter(7, "Resurser", "violence_unit"))),
        ValidationError,
        "inputs/coding/kodschema.csv",
        7,
        "Resurser",
        "violence_unit",
        "in the column of theme organisation",
        message="belongs to theme 'organisation', not 'resources'",
    ),
    Bad(
        "coding_sheet_unknown_theme_column",
        lambda p: p.coding(sheet=sheet_with(setter(1, "Uppföljning", "Uppfoljningar"))),
        ValidationError,
        "inputs/coding/kodschema.csv",
        1,
        "Uppfoljningar",
        "Uppfoljningar",
        "a theme of the code list",
        message="did you mean 'Uppföljning'?",
    ),
    Bad(
        "coding_sheet_unknown_municipality",
        lambda p: p.coding(sheet=sheet_with(setter(6, "Kommun", "Ludvka"))),
        ValidationError,
        "inputs/coding/kodschema.csv",
        6,
        "Kommun",
        "Ludvka",
        "closest: 'Ludvika'",
    ),
    Bad(
        "config_unknown_kind",
        lambda p: {"kind": "survey", "responses": "x.csv"},
        ConfigError,
        "sources.demo.inputs",
        None,
        None,
        "survey",
        "one of published, survey_microdata, coding_sheet",
        message="did you mean 'survey_microdata'?",
    ),
    Bad(
        "config_misspelled_key",
        lambda p: {**p.survey(), "survey_codbook": "x.csv"},
        ConfigError,
        "sources.demo.inputs",
        None,
        None,
        "survey_codbook",
        "the keys kind, responses, survey_codebook",
        message="did you mean `survey_codebook`?",
    ),
]


def matching(problems, case: Bad):
    found = []
    for problem in problems:
        text = str(problem)
        if case.file not in problem.file or case.expected not in problem.expected:
            continue
        if case.row is not None and problem.row != case.row:
            continue
        if case.column is not None and problem.column != case.column:
            continue
        if case.value is not None and case.value not in text:
            continue
        if case.message not in text:
            continue
        found.append(problem)
    return found


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_bad_input_is_refused_with_a_precise_message(project, case):
    inputs = case.make(project)
    before = snapshot(project.inputs, project.processed)
    with pytest.raises(case.error) as caught:
        load(project, inputs)
    problems = caught.value.problems
    assert matching(problems, case), f"no problem matches {case}:\n{caught.value}"
    problem = matching(problems, case)[0]
    text = str(problem)
    assert text.startswith(problem.file)
    if case.row is not None:
        assert f"row {case.row}" in text
    if case.column is not None:
        assert f"column '{case.column}'" in text
    assert f"expected {case.expected}" in text or case.expected in text
    assert snapshot(project.inputs, project.processed) == before


@pytest.mark.parametrize("case", [c for c in BAD if c.cli], ids=[c.id for c in BAD if c.cli])
def test_bad_input_fails_the_cli_with_every_part_of_the_message(project, case):
    inputs = case.make(project)
    before = snapshot(project.inputs, project.processed)
    result = run_cli(project, *cli_args(inputs))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("FAILED: ")
    for part in (
        case.file,
        case.message,
        case.expected,
        case.value or "",
        f"row {case.row}" if case.row else "",
        f"column '{case.column}'" if case.column else "",
    ):
        assert part in result.stderr, (part, result.stderr)
    assert snapshot(project.inputs, project.processed) == before


def test_there_are_at_least_twenty_kinds_of_bad_input():
    assert len({c.id for c in BAD}) == len(BAD) >= 20


# --- all problems of a file together ---------------------------------------------------------------


class TestAllProblemsTogether:
    def test_three_errors_in_one_file_give_three_problems(self, project):
        def three(rows):
            setter(2, "N", "20")(rows)  # n = 26 > N = 20
            setter(4, "n", "-1")(rows)  # negative
            setter(6, "exclusive", "kanske")(rows)  # unknown code

        inputs = project.demo(counts=counts_with(three))
        with pytest.raises(ValidationError) as caught:
            load(project, inputs)
        problems = caught.value.problems
        assert [(p.row, p.column) for p in problems] == [(2, "n"), (4, "n"), (6, "exclusive")]
        assert str(caught.value).startswith("3 problems:\n")

    def test_problems_in_two_files_of_a_source_come_together(self, project):
        inputs = project.demo(
            counts=counts_with(setter(5, "n", "45")),
            municipalities=csv_bytes(MUNICIPALITY_ROWS[:3] + [["Trossa", "medium"]]),
        )
        with pytest.raises(ValidationError) as caught:
            load(project, inputs)
        where = sorted((Path(p.file).name, p.row, p.column) for p in caught.value.problems)
        assert where == [
            ("counts.csv", 5, "n"),
            ("municipalities.csv", 4, "kommun"),
            ("municipalities.csv", 4, "size_class"),
        ]

    def test_cli_with_config_reports_every_source_and_builds_nothing(self, project):
        about = {"area": "Testområde", "year": 2008, "design": "purposive"}  # the whole config is checked first
        config = {
            "report": {"title": "T", "subtitle": "S", "version": "1", "authors": [{"name": "A"}]},
            "reference": str(REFERENCE),
            "sources": {
                "demo": {
                    "title": "Demo",
                    "region": "stockholm",
                    **about,
                    "inputs": project.demo(counts=counts_with(setter(5, "n", "45"))),
                },
                "survey": {
                    "title": "Enkät",
                    "region": "sormland",
                    **about,
                    "inputs": project.survey(responses=responses_with(setter(17, "Kommun/stadsdel", "Solentuna"))),
                },
            },
        }
        (project.root / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        before = snapshot(project.inputs, project.processed)
        files_before = sorted(p.name for p in project.root.rglob("*"))
        result = run_cli(project, "--config", "config.yml")
        assert result.returncode == 1
        assert "FAILED: 2 problems in 2 files" in result.stderr
        assert "inputs/demo/counts.csv, row 5, column 'n' (G): '45' is above the maximum 39" in result.stderr
        assert "inputs/survey/svar.csv, row 17, column 'Kommun/stadsdel' (A): 'Solentuna'" in result.stderr
        assert snapshot(project.inputs, project.processed) == before
        assert sorted(p.name for p in project.root.rglob("*")) == files_before


# --- accepted: the ways Excel and people save files --------------------------------------------------


def demo_counts_expected() -> pd.DataFrame:
    frame = pd.DataFrame(COUNTS_ROWS, columns=COUNTS_HEADER).replace("", None)
    for column in ("n", "n_max", "N", "seed_line"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("percent", "percent_max"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    for column in frame.columns:
        if column not in ("n", "n_max", "N", "seed_line", "percent", "percent_max"):
            frame[column] = frame[column].astype("str")
    return frame


def swedish_excel(rows):
    """Decimal commas in the percent column, as Swedish Excel writes numbers."""
    for row in rows[1:]:
        row[9] = row[9].replace(".", ",")


ACCEPTED = {
    "utf8_with_bom": lambda: counts_with(lambda r: None, bom=True),
    "cp1252_semicolons_crlf": lambda: counts_with(swedish_excel, delimiter=";", encoding="cp1252", newline="\r\n"),
    "tab_separated": lambda: counts_with(lambda r: None, delimiter="\t"),
    "utf16_with_bom_tabs": lambda: (
        b"\xff\xfe" + counts_with(lambda r: None, delimiter="\t").decode().encode("utf-16-le")
    ),
    "trailing_whitespace": lambda: counts_with(
        lambda rows: [r.__setitem__(i, f" {v}\u00a0 ") for r in rows for i, v in enumerate(r) if v]
    ),
    "mixed_case_codes": lambda: counts_with(lambda rows: [r.__setitem__(11, r[11].upper()) for r in rows[1:]]),
    "trailing_separators_and_blank_lines": lambda: (
        counts_with(lambda r: None, delimiter=";").replace(b"\n", b";;\n", 3) + b"\n;;;\n"
    ),
}


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_accepted_variants_load_as_the_clean_file(project, name):
    inputs = project.demo(counts=ACCEPTED[name]())
    tables = load(project, inputs)
    pd.testing.assert_frame_equal(tables["counts"], demo_counts_expected())


def test_decimal_commas_are_numbers(project):
    def commas(rows):
        setter(2, "percent", "66,7")(rows)
        setter(3, "percent", "56.4")(rows)

    inputs = project.demo(counts=counts_with(commas, delimiter=";"))
    percent = load(project, inputs)["counts"]["percent"]
    assert percent.tolist()[:2] == [66.7, 56.4] and percent.dtype == "float64"


def test_municipality_spellings_become_official_names(project):
    inputs = project.demo(
        municipalities=csv_bytes(
            [["kommun", "size_class"], ["eskilstuna kommun", "Larger"], ["Nyköpings kommun", "SMALLER"]]
        )
    )
    frame = load(project, inputs)["municipalities"]
    assert frame.to_dict("list") == {"kommun": ["Eskilstuna", "Nyköping"], "size_class": ["larger", "smaller"]}


def test_xlsx_table_in_a_published_folder(project):
    inputs = project.demo()
    (project.inputs / "demo" / "counts.csv").unlink()
    (project.inputs / "demo" / "counts.xlsx").write_bytes(
        workbook_bytes(
            {"Blad1": [COUNTS_HEADER, *[[int(v) if v.isdigit() else (v or None) for v in r] for r in COUNTS_ROWS]]}
        )
    )
    pd.testing.assert_frame_equal(load(project, inputs)["counts"], demo_counts_expected())


def test_single_counts_file_without_codebook_uses_the_conventions_schema(project):
    path = project.inputs / "counts.csv"
    path.write_bytes(counts_with(setter(4, "percent", "120")))
    result = run_cli(project, "inputs/counts.csv")
    assert result.returncode == 1
    assert "inputs/counts.csv, row 4, column 'percent' (J): '120' is above the maximum 100" in result.stderr
    path.write_bytes(counts_with(lambda r: None))
    assert run_cli(project, "inputs/counts.csv").stdout == "OK: inputs/counts.csv: 1 table, 8 rows checked\n"


def test_codebook_that_does_not_describe_the_file(project):
    project.demo()
    path = project.inputs / "svar.csv"
    path.write_bytes(csv_bytes([["a", "b"], ["1", "2"]]))
    result = run_cli(project, "inputs/svar.csv", "--codebook", "inputs/demo/codebook.csv")
    assert result.returncode == 1
    assert (
        "inputs/demo/codebook.csv: the codebook does not describe 'svar.csv'; expected a codebook with rows "
        "for this file; it describes counts.csv, municipalities.csv"
    ) in result.stderr


def test_malformed_codebook(project):
    inputs = project.demo()
    codebook = project.inputs / "demo" / "codebook.csv"
    codebook.write_text(
        DEMO_CODEBOOK.replace("counts.csv,n,,integer,no", "counts.csv,n,,int,no").replace(
            "municipalities.csv,size_class,,code,yes", "municipalities.csv,size_class,,code,maybe"
        ),
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as caught:
        load(project, inputs)
    assert [(p.row, p.column) for p in caught.value.problems] == [(10, "type"), (23, "required")]
    assert "type 'int' is not a codebook type; expected one of string, integer, number, code, boolean" in str(
        caught.value
    )


def test_cli_ok_prints_a_one_line_summary(project):
    inputs = project.demo()
    result = run_cli(project, inputs["dir"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == "OK: inputs/demo: 2 tables, 11 rows checked\n"


# --- the published data passes ---------------------------------------------------------------------


def default_sources():
    config = yaml.safe_load((ROOT / "config" / "default.yml").read_text(encoding="utf-8"))
    return config["sources"]


@pytest.mark.parametrize("source_id", list(default_sources()))
def test_published_source_validates_and_equals_load_published(source_id):
    source = default_sources()[source_id]
    tables = sources.load(source_id, source, ROOT)
    published = sources.load_published(ROOT / source["inputs"]["dir"])
    assert set(tables) == set(published)
    for name, frame in published.items():
        pd.testing.assert_frame_equal(tables[name], frame)


def test_reference_tables_validate():
    tables = sources.load("reference", {"kind": "published", "dir": "data/raw/reference"}, ROOT)
    assert len(tables["kommuner"]) == 290 and len(tables["stockholm_districts"]) == 14


def test_cli_validates_the_default_config():
    result = run_analysis("validate", "--config", "config/default.yml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 5 sources and the reference tables, ")
    assert result.stdout.count("\n") == 1


def test_validation_error_classes_share_one_base():
    for error in (CodebookError, ConfigError, EmptyTableError, SheetError, UnreadableFileError, ValidationError):
        assert issubclass(error, InputError) and error.__doc__.startswith("Raised when")
