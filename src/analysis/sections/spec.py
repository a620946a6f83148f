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


@dataclass(frozen=True)
class Texts:
    """The templates of one section in the config's locale: `t("figures.fig-x.caption", N=39)`."""

    section: str
    locale: str = texts.DEFAULT_LOCALE

    @classmethod
    def of(cls, section: str, config: dict | None) -> "Texts":
        return cls(section, texts.locale(config))

    def __call__(self, key: str, **fields) -> str:
        return texts.get(self.section, key, self.locale, **fields)

    def group(self, key: str) -> dict:
        """A mapping of templates (e.g. labels keyed by category), unformatted."""
        node = texts.section(self.section, self.locale)
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise texts.MissingTextError(f"text group {key!r} is missing from {self.section}.yml")
            node = node[part]
        if not isinstance(node, dict):
            raise texts.MissingTextError(f"text {key!r} in {self.section}.yml is a template, not a group")
        return node
