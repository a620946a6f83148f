"""Numbers for the report's prose, each with its provenance.

A section builder collects numbers in a `ReportNumbers` under its own key (e.g. "stockholm"):

    numbers = ReportNumbers("stockholm")
    numbers.add("women_police_share", swedish.percent(row.share), "Andel … via polisen", row.source_ref)
    numbers.write(assets_dir)

which writes report/_generated/vars/stockholm.yml (merged into report/_variables.yml, read in the
text as {{< var stockholm.women_police_share >}}, by Quarto and the fallback alike) and
report/_generated/provenance/stockholm.csv (the provenance appendix: every number → source_ref).
"""
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .io import write_csv_atomic, write_text_atomic

PROVENANCE_COLUMNS = ["variable", "value", "description", "source_ref"]


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
        self.provenance.append({"variable": f"{self.section}.{name}", "value": text,
                                "description": description, "source_ref": source_ref})
        return text

    def write(self, assets_dir: Path) -> None:
        assets_dir = Path(assets_dir)
        write_text_atomic(assets_dir / "vars" / f"{self.section}.yml", _dump({self.section: self.values}))
        write_csv_atomic(pd.DataFrame(self.provenance, columns=PROVENANCE_COLUMNS),
                         assets_dir / "provenance" / f"{self.section}.csv")


def write_partial(name: str, variables: dict, assets_dir: Path) -> Path:
    """Variables without provenance (kept for report metadata such as the build date)."""
    return write_text_atomic(Path(assets_dir) / "vars" / f"{name}.yml", _dump({name: variables}))


def merge(assets_dir: Path, target: Path, extra: dict | None = None) -> Path:
    merged = dict(extra or {})
    for part in sorted((Path(assets_dir) / "vars").glob("*.yml")):
        merged.update(yaml.safe_load(part.read_text(encoding="utf-8")))
    return write_text_atomic(target, _dump(merged))


def provenance(assets_dir: Path) -> pd.DataFrame:
    parts = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted((Path(assets_dir) / "provenance").glob("*.csv"))]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=PROVENANCE_COLUMNS)
