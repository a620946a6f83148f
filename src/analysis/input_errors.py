"""Errors raised while reading and validating input files (papermill style: one base exception).

Every error carries a list of `Problem`s. A problem names the file, the row as a spreadsheet
user sees it (1-based, the header is row 1, so the first data row is row 2), the column, the
bad value and what was expected, so that the researcher can open the file and fix it.
"""

import difflib
from dataclasses import dataclass


def did_you_mean(value, choices, quote: str = "'", cutoff: float = 0.6) -> str:
    """ "; did you mean 'x'?" naming the choice closest to `value`, or "" when none is close."""
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f"; did you mean {quote}{close[0]}{quote}?" if close else ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    message: str
    expected: str = ""
    row: int | None = None
    column: str | None = None
    letter: str | None = None  # spreadsheet column letter (A, B, …) when known
    value: object = None
    rule: str | None = None  # the cross-column rule broken (e.g. "n ≤ N"), for rules spanning columns

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'" + (f" ({self.letter})" if self.letter else ""))
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where()}: {self.message}"
        return f"{text}; expected {self.expected}" if self.expected else text


class InputError(Exception):
    """Base class: raised when an input file cannot be used as it is. Holds every problem found."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):  # a config problem found in code that has no file at hand
            problems = Problem("config", problems)
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self._text())

    def __str__(self) -> str:  # subclasses that are also KeyError would quote the sentence
        return str(self.args[0]) if self.args else ""

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        return f"{len(self.problems)} problems:\n" + "\n".join(f"  - {p}" for p in self.problems)


class UnreadableFileError(InputError):
    """Raised when a file cannot be read as a table at all: missing, binary, an encoding that is
    neither UTF-8 nor Windows-1252, no column separator, broken quoting or ragged rows."""


class EmptyTableError(InputError):
    """Raised when a file or worksheet holds no data: an empty file, or a header row without data rows."""


class SheetError(InputError):
    """Raised when the named worksheet is not in the workbook, or the first worksheet is empty."""


class ConfigError(InputError, ValueError):
    """Raised when the config names an unknown kind, misses a key or declaration the analysis
    needs, points at a file or folder that does not exist, or declares something the analysis
    cannot do (the message names the source, the key and what is allowed)."""


class CodebookError(InputError):
    """Raised when a codebook (a source's codebook.csv, a survey codebook or a code list) is itself
    malformed, so the data it describes cannot be checked."""


class ValidationError(InputError):
    """Raised when tables were read but break their schema: missing or misspelled columns, values
    of the wrong type or out of range, duplicated keys, unknown municipalities or codes, n > N."""
