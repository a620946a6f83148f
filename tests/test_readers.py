"""readers: CSV in whatever encoding and separator Excel used, .xlsx sheets, spreadsheet row numbers."""

import pandas as pd
import pytest

from analysis import readers
from analysis.input_errors import EmptyTableError, SheetError, UnreadableFileError
from support.files import workbook_bytes

TEXT = "kommun;andel;svar\nFalu kommun;37,5;Ja\nRättvik;;Nej\n"


def write(tmp_path, data: bytes, name="svar.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


class TestDecode:
    @pytest.mark.parametrize(
        "data, encoding",
        [
            (TEXT.encode("utf-8"), "UTF-8"),
            (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 with BOM"),
            (TEXT.encode("cp1252"), "Windows-1252"),
            (b"\xff\xfe" + TEXT.encode("utf-16-le"), "UTF-16"),
        ],
    )
    def test_detects_the_encoding(self, data, encoding):
        text, found = readers.decode(data, "svar.csv")
        assert (text, found) == (TEXT, encoding)

    def test_bom_is_not_part_of_the_first_column_name(self, tmp_path):
        table = readers.read_table(write(tmp_path, b"\xef\xbb\xbf" + TEXT.encode("utf-8")))
        assert list(table.frame.columns) == ["kommun", "andel", "svar"]

    @pytest.mark.parametrize(
        "data, message",
        [
            (b"", "the file is empty"),
            (b"\xef\xbb\xbf", "the file is empty"),
            (b"PK\x03\x04rest", "Excel workbook"),
            (b"\xd0\xcf\x11\xe0rest", "old Excel .xls"),
            (b"a,b\x00\n", "NUL bytes"),
            (b"a,b\n\x81,2\n", "byte 0x81"),
            (b"a,b\n\x07,2\n", "control character U+0007"),
            ("a,b\nGÃ¶teborg,2\n".encode(), "'GÃ¶teborg': the letter 'ö'"),
        ],
    )
    def test_refuses_what_is_not_csv_text(self, data, message):
        with pytest.raises((UnreadableFileError, EmptyTableError)) as caught:
            readers.decode(data, "x.csv")
        assert message in str(caught.value)


class TestDelimiter:
    @pytest.mark.parametrize("delimiter", [",", ";", "\t"])
    def test_detects_the_separator(self, delimiter):
        text = f"kommun{delimiter}n{delimiter}N\nMora{delimiter}1{delimiter}2\n"
        assert readers.detect_delimiter(text, "x") == delimiter

    def test_semicolon_file_with_decimal_commas_is_not_read_as_comma_separated(self):
        text = "kommun;andel;n\nMora;37,5;2\nOrsa;12,25;3\nVansbro;5;1\n"
        assert readers.detect_delimiter(text, "x") == ";"

    def test_quoted_separators_do_not_count(self):
        text = 'kommun,note\nMora,"a; b; c"\nOrsa,"d; e"\n'
        assert readers.detect_delimiter(text, "x") == ","

    def test_single_column_is_an_error_naming_the_header(self):
        with pytest.raises(UnreadableFileError, match=r"row 1: no column separator found: the header row 'a\|b\|c'"):
            readers.detect_delimiter("a|b|c\n1|2|3\n", "x.csv")


class TestReadCsv:
    def test_index_is_the_spreadsheet_row_and_blank_lines_keep_their_number(self, tmp_path):
        table = readers.read_table(write(tmp_path, b"a,b\n1,2\n\n3,4\n"))
        assert table.frame.index.tolist() == [2, 4]

    def test_quoted_multi_line_cell_is_one_row(self, tmp_path):
        table = readers.read_table(write(tmp_path, b'a,b\n1,"x\ny"\n2,z\n'))
        assert table.frame.index.tolist() == [2, 3]
        assert table.frame.loc[2, "b"] == "x\ny"

    def test_cells_are_text_stripped_and_empty_is_missing(self, tmp_path):
        table = readers.read_table(write(tmp_path, "kod, n \n 0180 ,\u00a0\n".encode("utf-8")))
        assert table.frame.columns.tolist() == ["kod", "n"]
        assert table.frame.loc[2, "kod"] == "0180" and pd.isna(table.frame.loc[2, "n"])

    def test_trailing_separators_and_empty_columns_are_dropped(self, tmp_path):
        table = readers.read_table(write(tmp_path, b"a;b;;\n1;2;;\n3;4;;\n"))
        assert table.frame.columns.tolist() == ["a", "b"]
        assert table.letters == {"a": "A", "b": "B"}

    def test_short_rows_are_padded(self, tmp_path):
        table = readers.read_table(write(tmp_path, b"a,b,c\n1\n"))
        assert table.frame.loc[2].isna().tolist() == [False, True, True]

    def test_remembers_encoding_and_separator(self, tmp_path):
        table = readers.read_table(write(tmp_path, TEXT.encode("cp1252")))
        assert (table.encoding, table.delimiter) == ("Windows-1252", ";")

    def test_header_only(self, tmp_path):
        with pytest.raises(EmptyTableError, match=r"header row \(row 1\) but no data rows"):
            readers.read_table(write(tmp_path, b"a,b\n"))

    def test_missing_file(self, tmp_path):
        with pytest.raises(UnreadableFileError, match="does not exist"):
            readers.read_table(tmp_path / "nope.csv")

    def test_old_xls_is_refused_with_the_fix(self, tmp_path):
        with pytest.raises(UnreadableFileError, match="save it as .xlsx"):
            readers.read_table(write(tmp_path, b"x", "svar.xls"))

    def test_sheet_for_csv_is_refused(self, tmp_path):
        with pytest.raises(SheetError, match="this is a CSV file"):
            readers.read_table(write(tmp_path, TEXT.encode()), sheet="Blad1")

    def test_file_is_opened_read_only(self, tmp_path):
        path = write(tmp_path, TEXT.encode())
        path.chmod(0o444)
        assert len(readers.read_table(path).frame) == 2


def workbook(tmp_path, sheets, name="svar.xlsx"):
    path = tmp_path / name
    path.write_bytes(workbook_bytes(sheets))
    return path


class TestReadXlsx:
    def test_first_sheet_with_numbers_dates_and_text(self, tmp_path):
        import datetime as dt

        path = workbook(
            tmp_path,
            {
                "Svar": [
                    ["kommun", "n", "andel", "datum"],
                    ["Mora", 3, 37.5, dt.datetime(2008, 3, 10)],
                    [None, None, None, None],
                    ["Orsa ", 4.0, "12,5", None],
                ]
            },
        )
        table = readers.read_table(path)
        assert table.name.endswith("svar.xlsx, sheet 'Svar'") and table.sheet == "Svar"
        assert table.frame.index.tolist() == [2, 4]
        assert table.frame.loc[2].tolist() == ["Mora", "3", "37.5", "2008-03-10"]
        assert table.frame.loc[4, "kommun"] == "Orsa" and table.frame.loc[4, "n"] == "4"

    def test_named_sheet(self, tmp_path):
        path = workbook(tmp_path, {"Info": [["om"]], "Data": [["a", "b"], [1, 2]]})
        assert readers.read_table(path, sheet="Data").frame.loc[2].tolist() == ["1", "2"]

    def test_missing_sheet_lists_the_sheets(self, tmp_path):
        path = workbook(tmp_path, {"Info": [["om"]], "Data": [["a", "b"], [1, 2]]})
        with pytest.raises(SheetError) as caught:
            readers.read_table(path, sheet="data 2008")
        assert "no worksheet named 'data 2008'" in str(caught.value)
        assert "one of the sheets 'Info', 'Data'" in str(caught.value)

    def test_empty_first_sheet_points_at_the_sheet_with_data(self, tmp_path):
        path = workbook(tmp_path, {"Blad1": [], "Blad2": [], "Svar": [["a", "b"], [1, 2]]})
        with pytest.raises(SheetError, match="the first worksheet 'Blad1' is empty.*sheet: Svar"):
            readers.read_table(path)

    def test_not_a_workbook(self, tmp_path):
        with pytest.raises(UnreadableFileError, match="not a readable .xlsx workbook"):
            readers.read_table(write(tmp_path, b"a,b\n1,2\n", "svar.xlsx"))


class TestNumbers:
    @pytest.mark.parametrize(
        "text, number",
        [
            ("37,5", 37.5),
            ("37.5", 37.5),
            ("1 432", 1432.0),
            ("1\u00a0432,5", 1432.5),
            ("−2", -2.0),
            ("-0,25", -0.25),
            ("+3", 3.0),
            ("0", 0.0),
            ("1E-05", 1e-05),
            (" 12 ", 12.0),
            (7, 7.0),
        ],
    )
    def test_parses(self, text, number):
        assert readers.parse_number(text) == number

    @pytest.mark.parametrize("text", ["tolv", "1.432,5", "1,432.5", "67 %", "12-13", "", "1,2,3", None])
    def test_refuses_what_is_not_one_number(self, text):
        assert readers.parse_number(text) is None

    def test_to_numbers_flags_the_bad_cells_only(self):
        values = pd.Series(["1,5", None, "x", "2"], index=[2, 3, 4, 5], dtype="str")
        numbers, bad = readers.to_numbers(values)
        assert numbers.tolist()[0] == 1.5 and pd.isna(numbers[3]) and numbers[5] == 2.0
        assert bad.tolist() == [False, False, True, False]


@pytest.mark.parametrize("position, letter", [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letter(position, letter):
    assert readers.column_letter(position) == letter


def test_same_table_whatever_the_format(tmp_path):
    rows = [["kommun", "andel"], ["Falu kommun", "37,5"], ["Rättvik", "12"]]
    csv_utf8 = write(tmp_path, "\n".join(",".join(f'"{c}"' for c in r) for r in rows).encode("utf-8"), "a.csv")
    csv_excel = write(tmp_path, "\r\n".join(";".join(r) for r in rows).encode("cp1252"), "b.csv")
    xlsx = workbook(tmp_path, {"Blad1": rows}, "c.xlsx")
    frames = [readers.read_table(p).frame for p in (csv_utf8, csv_excel, xlsx)]
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])
