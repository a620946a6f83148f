"""Test helpers that make input files and run the command line: a workbook from rows, and
`python -m analysis …` in a subprocess."""

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx file with one worksheet per item (title → rows), as bytes."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_analysis(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m analysis <args>` in a subprocess, output captured as text; by default with the
    environment of the tests and this checkout's src/ on PYTHONPATH."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=cwd,
        env=env if env is not None else dict(os.environ, PYTHONPATH=str(ROOT / "src")),
        capture_output=True,
        text=True,
    )
