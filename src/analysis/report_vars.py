"""Numbers for the report's prose, each with its provenance.

A section builder collects numbers in a `ReportNumbers` under its own key (e.g. "stockholm"):

    numbers = ReportNumbers("stockholm")
    numbers.add("women_police_share", swedish.percent(row.share), "Andel … via polisen", row.source_ref)
    numbers.write(assets_dir)

which writes report/_generated/vars/stockholm.yml (merged into report/_variables.yml, read in the
text as {{< var stockholm.women_police_share >}}, by Quarto and the fallback alike) and
report/_generated/provenance/stockholm.csv (the provenance appendix: every number → source_ref).
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from . import escape, paths, texts
from .io import write_csv_atomic, write_text_atomic

PROVENANCE_COLUMNS = ["variable", "value", "description", "source_ref"]

# A number the text uses that the inputs do not contain (a build from own data that leaves an
# indicator out). Never a published figure in its place, never 0 or "nej". The words:
# report/text/<locale>/missing.yml.
MISSING_SECTION = "missing"
MISSING_TEXT = texts.get(MISSING_SECTION, "value")


def missing_ref(source: str, indicator: str) -> str:
    """The provenance of an absent number: where it should have come from."""
    return texts.get(MISSING_SECTION, "ref", source=source, indicator=indicator)


def is_missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def or_missing(value, formatter, *args) -> str:
    """`formatter(value, *args)`, or MISSING_TEXT for an absent value (None/NaN), e.g.
    or_missing(row.published, swedish.percent, 0)."""
    return MISSING_TEXT if is_missing(value) else formatter(value, *args)


def missing_caption(absent: int, expected: int) -> str:
    """Caption sentence for a table or figure that leaves absent items out ("" when none is)."""
    if not absent:
        return ""
    return texts.get(MISSING_SECTION, "caption", absent=absent, expected=expected)


def save_missing_note(item_id: str, what: str, assets_dir: Path, source: str, indicators) -> Path:
    """Replace a table or figure with no data at all by a one-line note under the same id (the
    include and the cross-reference stay valid); its provenance says what is missing."""
    indicators = list(dict.fromkeys(indicators))
    refs = [missing_ref(source, i) for i in indicators]
    note = texts.get(
        MISSING_SECTION, "note", what=what, value=MISSING_TEXT, source=source, indicators=", ".join(indicators)
    )
    write_provenance(assets_dir, item_id, note, refs)  # a table cell in the appendix: escaped there
    # on the page, the source and indicator names are input text: escaped
    shown = texts.get(
        MISSING_SECTION,
        "note",
        what=what,
        value=MISSING_TEXT,
        source=escape.markdown(source),
        indicators=", ".join(escape.markdown(i) for i in indicators),
    )
    # a table div must hold a table, a figure div a body before its caption (the last paragraph)
    body = (
        f"| {texts.get(MISSING_SECTION, 'table_heading')} |\n|:---|\n| "
        + "; ".join(escape.markdown(r) for r in refs)
        + " |"
        if item_id.startswith("tbl-")
        else texts.get(MISSING_SECTION, "figure_body", value=MISSING_TEXT.capitalize())
    )
    return write_text_atomic(Path(assets_dir) / f"{item_id}.md", f"::: {{#{item_id}}}\n{body}\n\n{shown}\n:::\n")


VAR_REFERENCE = re.compile(r"\{\{< var ([A-Za-z0-9_]+)\.([A-Za-z0-9_]+) >\}\}")


@cache
def used_variables(section: str, report_dir: Path = paths.REPORT) -> frozenset[str]:
    """The variable names of `section` that the report's text uses ({{< var section.name >}})."""
    names = set()
    for qmd in Path(report_dir).rglob("*.qmd"):
        names |= {name for key, name in VAR_REFERENCE.findall(qmd.read_text(encoding="utf-8")) if key == section}
    return frozenset(names)


def _dump(mapping: dict) -> str:
    return yaml.safe_dump(mapping, allow_unicode=True, sort_keys=True, width=1000)


@dataclass
class ReportNumbers:
    section: str
    values: dict = field(default_factory=dict)
    provenance: list = field(default_factory=list)

    def add(self, name: str, text: str, description: str, source_ref: str) -> str:
        """Register one formatted number (or short text) with what it is and where it comes from."""
        if not name.replace("_", "").isalnum():
            raise ValueError(f"variable name {name!r} must be letters, digits and _")
        if name in self.values:
            raise ValueError(f"variable {self.section}.{name} is defined twice")
        if not source_ref or not str(source_ref).strip():
            raise ValueError(f"variable {self.section}.{name} has no source_ref")
        self.values[name] = text
        self.provenance.append(
            {"variable": f"{self.section}.{name}", "value": text, "description": description, "source_ref": source_ref}
        )
        return text

    def add_missing(self, name: str, description: str, source: str, indicator: str) -> str:
        """Register a number the text uses that is absent from the inputs: it reads MISSING_TEXT,
        and its provenance says where it should have come from."""
        return self.add(name, MISSING_TEXT, description, missing_ref(source, indicator))

    def write(self, assets_dir: Path) -> None:
        """The variables for the text (escaped: a value is data, never markup, when Quarto or the
        fallback puts it into the Markdown) and their provenance (the values as they are)."""
        assets_dir = Path(assets_dir)
        shown = {
            name: escape.markdown(value) if isinstance(value, str) else value for name, value in self.values.items()
        }
        write_text_atomic(assets_dir / "vars" / f"{self.section}.yml", _dump({self.section: shown}))
        write_csv_atomic(
            pd.DataFrame(self.provenance, columns=PROVENANCE_COLUMNS), assets_dir / "provenance" / f"{self.section}.csv"
        )


def merge(assets_dir: Path, target: Path, extra: dict | None = None) -> Path:
    merged = dict(extra or {})
    for part in sorted((Path(assets_dir) / "vars").glob("*.yml")):
        merged.update(yaml.safe_load(part.read_text(encoding="utf-8")))
    return write_text_atomic(target, _dump(merged))


def provenance(assets_dir: Path) -> pd.DataFrame:
    parts = [
        pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in sorted((Path(assets_dir) / "provenance").glob("*.csv"))
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=PROVENANCE_COLUMNS)


def write_provenance(assets_dir: Path, item_id: str, description: str, source_refs) -> Path:
    """One provenance row per distinct source_ref behind a figure or table."""
    refs = sorted({str(r) for r in source_refs if str(r).strip()})
    if not refs:
        raise ValueError(f"{item_id}: a figure or table needs at least one source_ref")
    rows = [{"variable": item_id, "value": "", "description": description, "source_ref": r} for r in refs]
    return write_csv_atomic(
        pd.DataFrame(rows, columns=PROVENANCE_COLUMNS), Path(assets_dir) / "provenance" / f"{item_id}.csv"
    )
