"""Domain errors of the analysis layer (papermill style: one base exception, subclasses whose
docstrings say when they are raised). Input-file problems have their own base,
`analysis.input_errors.InputError` (which also holds ConfigError); these are about the shape of
loaded tables and the numbers asked of them.

Each subclass also derives from the built-in error a caller would have caught before
(ValueError, KeyError), so existing `except ValueError` keeps working.
"""

from .input_errors import ConfigError as ConfigError  # one home for config problems (input_errors)


class AnalysisError(Exception):
    """Base class: raised when the analysis cannot go on with the config or tables it was given."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the sentence as written
        return str(self.args[0]) if self.args else ""


class UnknownRegionError(AnalysisError, KeyError):
    """Raised when a region is asked for that no configured source has (the message lists them)."""


class TableShapeError(AnalysisError, ValueError):
    """Raised when a source's tables do not have the shape an analysis needs (a missing table or
    column, an incomplete grid, a value outside its declared set)."""


class NumberError(AnalysisError, ValueError):
    """Raised when a number cannot be used as asked (a negative or missing base, a missing population)."""


class MissingEntryError(TableShapeError, KeyError):
    """Raised when a table, row or code that another table or the config refers to is not there
    (e.g. an indicator of oj_values without a row in indicators, a source without loaded tables)."""


class MissingConfigError(ConfigError, KeyError):
    """Raised when a key the analysis needs is missing from a source's config (the message names it)."""


def require_unique(frame, columns: list[str], message: str) -> None:
    """Raise TableShapeError (`message`: the duplicated key values) when `columns` repeat a key."""
    duplicated = frame[frame.duplicated(columns, keep=False)]
    if len(duplicated):
        keys = sorted(set(map(tuple, duplicated[columns].astype(str).to_numpy())))
        raise TableShapeError(f"{message}: {keys}")
