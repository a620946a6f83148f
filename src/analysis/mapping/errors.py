"""Errors of a county mapping: each holds `Problem`s (file, row, column, value, expected)."""

from ..input_errors import InputError


class MappingError(InputError):
    """Raised when a mapping's inputs (export, codebook, coding sheet, config) cannot be used as they are."""


class ExportError(MappingError):
    """Raised when a survey export has no municipality column, names a municipality twice, names one
    that does not exist, or one of another county that the config does not accept."""


class SurveyCodebookError(MappingError):
    """Raised when the survey codebook names an unknown type, a column the export lacks, or an
    answer that is not one of the question's options."""


class CodingSheetError(MappingError):
    """Raised when an interview coding sheet has neither layout (matrix or theme cells), or a cell
    that cannot be read."""


class MappingConfigError(MappingError):
    """Raised when a mapping config misses a key, names an unknown county or a missing file."""
