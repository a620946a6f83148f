"""What every transcribed folder under data/raw (each source's, the conclusions', the reference
data's) must be, whatever it holds: plain UTF-8 text files (no byte-order mark, LF line ends) and
a codebook.csv that describes every column and code of every CSV (support.transcription)."""

from pathlib import Path

import pytest

from support.transcription import codebook_problems

RAW = Path(__file__).parents[1] / "data/raw"
FOLDERS = sorted(path.parent.name for path in RAW.glob("*/codebook.csv"))
TEXT_FILES = sorted(
    str(path.relative_to(RAW))
    for folder in FOLDERS
    for path in (RAW / folder).iterdir()
    if path.suffix in (".csv", ".md")
)


def test_every_folder_is_found():
    assert len(FOLDERS) >= 7 and {"conclusions", "reference"} <= set(FOLDERS), FOLDERS


@pytest.mark.parametrize("name", TEXT_FILES)
def test_utf8_lf_no_bom(name):
    data = (RAW / name).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), f"{name} has a BOM"
    assert b"\r" not in data, f"{name} has CR line endings"
    data.decode("utf-8")


@pytest.mark.parametrize("folder", FOLDERS)
def test_codebook_describes_every_column_and_code_of_every_csv(folder):
    assert codebook_problems(RAW / folder) == []
