"""Issue 14, item 6: messages a person can read. The problem list comes first and alone; a
failing step's traceback goes to a log file under build/ that the message names; a coding sheet's
problems come in one pass; a bad byte is reported on its own line; a very large file is refused
at once, and a long problem list is cut with a count per kind."""

import io
import time
from pathlib import Path

import pytest

from analysis import readers, sources, steps
from analysis.input_errors import Problem, UnreadableFileError, ValidationError
from analysis.validate import describe_failure
from support.files import run_analysis

ROOT = Path(__file__).resolve().parents[1]


# --- the real line of a bad byte -----------------------------------------------------------------


@pytest.mark.parametrize("bad_lines", [[5], [3, 7], [2]])
def test_a_line_in_another_encoding_is_reported_on_its_own_line(tmp_path, bad_lines):
    lines = ["kommun,svar"] + [f"Göteborg {i},Ja" for i in range(2, 10)]
    raw = b""
    for number, line in enumerate(lines, start=1):
        raw += line.encode("cp1252" if number in bad_lines else "utf-8") + b"\n"
    path = tmp_path / "blandad.csv"
    path.write_bytes(raw)
    with pytest.raises(UnreadableFileError) as caught:
        readers.read_table(path)
    assert [p.row for p in caught.value.problems] == bad_lines
    assert all("0xF6" in p.message and "otherwise UTF-8" in p.message for p in caught.value.problems)


def test_a_windows_1252_file_is_still_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("kommun;svar\nGöteborg;Ja\nÅre;Nej\n".encode("cp1252"))
    assert list(readers.read_table(path).frame["kommun"]) == ["Göteborg", "Åre"]


# --- large files --------------------------------------------------------------------------------


def test_a_very_large_file_is_refused_at_once(tmp_path):
    path = tmp_path / "stor.csv"
    row = "Göteborg,Ja,Nej,Delvis,12\n".encode()
    with open(path, "wb") as handle:
        handle.write(b"kommun,a,b,c,n\n")
        handle.write(row * (readers.MAX_INPUT_BYTES // len(row) + 10))
    started = time.perf_counter()
    with pytest.raises(UnreadableFileError, match=r"the file is 20,0 MB; an input table is at most 20 MB"):
        readers.read_table(path)
    assert time.perf_counter() - started < 1


def test_a_long_problem_list_is_cut_with_a_count_per_kind():
    problems = [Problem("svar.csv", f"'x{i}' is not a number", "a number", row=i + 2, column="n") for i in range(400)]
    problems += [
        Problem("svar.csv", f"'Kommun {i}' is not a municipality", "a name", row=i + 2, column="kommun")
        for i in range(200)
    ]
    text = describe_failure(ValidationError(problems))
    lines = text.splitlines()
    assert lines[0] == "FAILED: 600 problems in 1 file"
    assert len(lines) < 60
    assert "550 more problems not shown" in text
    assert "400 × '…' is not a number" in text and "200 × '…' is not a municipality" in text


# --- a coding sheet in one pass ---------------------------------------------------------------------


def test_every_problem_of_a_coding_sheet_comes_in_one_pass(tmp_path):
    import csv

    example = ROOT / "data" / "examples" / "dalarna_coding_sheet_example.csv"
    with open(example, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][0] = "Fallun"  # an unknown municipality …
    rows[2][1] = "påhittad_kod"  # … and an unknown code in another row
    sheet = tmp_path / "kodning.csv"
    with open(sheet, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    config = {
        "inputs": {
            "kind": "coding_sheet",
            "coding_sheet": str(sheet),
            "codes": str(ROOT / "data" / "raw" / "dalarna_2020" / "codes.csv"),
        }
    }
    with pytest.raises(ValidationError) as caught:
        sources.load("d", config, ROOT)
    messages = [p.message for p in caught.value.problems]
    assert any("Fallun" in m for m in messages), messages
    assert any("påhittad_kod" in m for m in messages), messages


# --- the problem first, the traceback in a log ----------------------------------------------------


class FakeNotebookError(Exception):
    """What papermill raises: the kernel's exception name, value and traceback."""

    def __init__(self):
        super().__init__("cell failed")
        self.ename = "ValidationError"
        self.evalue = "data/egna/svar.csv, row 4, column 'Kommun': 'Fallun' is not a municipality"
        self.traceback = ["\x1b[31mTraceback (most recent call last)\x1b[0m", "  File x, line 1", "ValidationError: …"]
        self.failed_notebook = ROOT / "build" / "notebooks" / "region-x.failed.ipynb"


def test_a_failing_step_prints_the_problem_and_names_the_log(tmp_path):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        with steps.reported("notebook region-x", build_dir=tmp_path, out=out):
            raise FakeNotebookError()
    assert exit_.value.code == 1
    text = out.getvalue()
    assert text.startswith("FAILED: notebook region-x: ValidationError\n  data/egna/svar.csv, row 4")
    assert "Traceback" not in text and "\x1b[" not in text
    log = tmp_path / "logs" / "notebook-region-x.log"
    assert f"The traceback is in {log}" in text or "logs/notebook-region-x.log" in text
    assert "Traceback (most recent call last)" in log.read_text(encoding="utf-8")
    assert "region-x.failed.ipynb" in text
    assert len(text.splitlines()) <= 5


def test_an_input_error_in_a_step_prints_the_problem_list(tmp_path):
    out = io.StringIO()
    with pytest.raises(SystemExit):
        with steps.reported("assemble", build_dir=tmp_path, out=out):
            raise ValidationError([Problem("a.csv", "one", row=2), Problem("a.csv", "two", row=3)])
    lines = out.getvalue().splitlines()
    assert lines[0] == "FAILED: assemble: ValidationError"
    assert lines[1].strip() == "FAILED: 2 problems in 1 file"
    assert lines[2].strip() == "- a.csv, row 2: one"


def test_the_cli_step_with_a_broken_config_has_no_traceback_on_screen(tmp_path):
    config = tmp_path / "trasig.yml"
    config.write_text("report:\n  title: 'oavslutad\n", encoding="utf-8")
    result = run_analysis("prune", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.startswith("FAILED: prune")
    assert "The traceback is in build/logs/prune.log" in result.stderr
