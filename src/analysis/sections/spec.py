"""Which configured source a section presents, its declaration file, and the section's texts.

A section module is a builder for one *shape* of data (a counts survey, a coding grid, size
classes, an indicator matrix, county-board estimates); it names no source. The config says which
source it presents and where that source's declaration lives:

    sources:
      <source id>:
        ...
        presentation: {kind: counts_survey, declaration: data/raw/<folder>/presentation.yml}

The declaration (YAML, beside the source's data) lists what is particular to the source: the
indicators and categories the section shows, the items of its key table, facts the text states
in words. Labels and sentences are not in it: they are templates in report/text/<locale>/.
The source's own tables a section shows as they are (`presentation.tables`) reach it through
data/processed (`pipeline.presented_tables`, `source_tables` here): no section reads raw data.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar, Self

import pandas as pd
import yaml

from .. import paths, texts
from ..input_errors import ConfigError, Problem


def section_of(config: dict, source: str) -> str:
    """The report section a source is presented in: its region (the variable namespace
    `<region>.*`, the templates report/text/<locale>/<region>.yml)."""
    return config["sources"][source]["region"]


def presented_sources(config: dict, kind: str) -> list[str]:
    """The configured sources whose `presentation.kind` is `kind`, in config order."""
    return [
        sid
        for sid, source in (config.get("sources") or {}).items()
        if ((source or {}).get("presentation") or {}).get("kind") == kind
    ]


def source_for(config: dict, kind: str) -> str:
    """The one configured source a section of `kind` presents; ConfigError if none or several."""
    found = presented_sources(config, kind)
    if len(found) != 1:
        raise ConfigError(
            Problem(
                "config",
                f"{len(found)} sources have presentation kind {kind!r} ({', '.join(found) or 'none'})",
                expected=f"exactly one source with `presentation: {{kind: {kind}, declaration: <file>}}`",
            )
        )
    return found[0]


@cache
def _read_declaration(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def declaration(config: dict, source: str, root: Path = paths.ROOT) -> dict:
    """The source's declaration file (`presentation.declaration`, relative to the project root)."""
    presentation = config["sources"][source].get("presentation") or {}
    if "declaration" not in presentation:
        raise ConfigError(
            Problem(
                "config",
                f"source {source!r} has no `presentation.declaration`",
                expected="the path of the source's presentation.yml",
            )
        )
    path = Path(root) / presentation["declaration"]
    if not path.exists():
        raise ConfigError(Problem(str(presentation["declaration"]), f"the declaration of {source!r} is missing"))
    return _read_declaration(path)


def source_tables(results: dict, config: dict, source: str) -> dict:
    """The source's own tables that the compute step passed through to data/processed (the
    config's `presentation.tables`, written as "<source>.<table>"), by table name. A table the
    inputs lack (e.g. an interview coding sheet has no statements) is absent."""
    names = (config["sources"][source].get("presentation") or {}).get("tables", ())
    return {name: results[f"{source}.{name}"] for name in names if f"{source}.{name}" in results}


# The templates of one section in the config's locale: `Texts.of(section, config)`.
Texts = texts.Templates


@dataclass(frozen=True)
class Presented:
    """The source a section presents (the one whose `presentation.kind` is the subclass's `kind`),
    its declaration and the section's texts."""

    kind: ClassVar[str]
    source: str
    declaration: dict
    t: Texts

    @classmethod
    def of(cls, config: dict) -> Self:
        source = source_for(config, cls.kind)
        return cls(source, declaration(config, source), Texts.of(section_of(config, source), config))

    @property
    def source_line(self) -> str:
        return self.t("source_line")


class MissingShareError(KeyError):
    """Raised when the shares table has no row, or more than one, for an indicator/category/group
    of a source that a section presents."""

    def __str__(self) -> str:
        return str(self.args[0])


def share_row(
    shares: pd.DataFrame, source: str, indicator: str, category: str = "yes", group: str = "all"
) -> pd.Series:
    """The one shares row of an indicator/category/group of the source; MissingShareError if absent."""
    rows = shares[
        (shares["source"] == source)
        & (shares["indicator"] == indicator)
        & (shares["category"] == category)
        & (shares["group"] == group)
    ]
    if len(rows) != 1:
        raise MissingShareError(f"{source}: expected one shares row {indicator}/{category}/{group}, found {len(rows)}")
    return rows.iloc[0]
