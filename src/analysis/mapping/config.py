"""The mapping config, mappings/<slug>/config.yml (written by `make new-mapping`, edited by the user).

    mapping: {county: <county>, year: 2024, slug: <county in ASCII>-2024}
    survey: {export: …, sheet: null, codebook: mappings/…/enkat-kodbok.csv, unit_column: null}
    interviews: {coding_sheet: …, sheet: null, codes: null}      # optional
    accept_municipalities: []        # municipalities of other counties the export may contain
    quotes_with_municipality: false  # free-text answers are quoted without the municipality's name
    comparisons: [{theme: coordinator, question: f03, option: null, status: <proposed|confirmed>}]
    previous: null                   # the previous round's config.yml: the report shows the change
    reference: data/raw/reference
    published: data/processed         # the published sources' processed tables (cross_source.csv)

Paths are relative to the project root. `load` checks the keys; it reads no input file.
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from .. import paths
from ..input_errors import Problem, did_you_mean
from ..io import read_raw_csv
from ..normalise import slug as ascii_slug
from .codebook import statuses
from .errors import MappingConfigError
from .export import county_of

KEYS = {
    "mapping",
    "survey",
    "interviews",
    "accept_municipalities",
    "quotes_with_municipality",
    "comparisons",
    "previous",
    "reference",
    "published",
    "report",
}
THEMES = (
    "coordinator",
    "action_plan",
    "routines_detection",
    "support_talks_children",
    "perpetrator_interventions",
    "police_cooperation",
)


def slug_for(county: str, year) -> str:
    """'Gävleborgs län', 2024 → 'gavleborg-2024'."""
    stem = ascii_slug(county).removesuffix("_lan").removesuffix("s").replace("_", "-")
    return f"{stem}-{year}"


def is_mapping_config(path: Path) -> bool:
    """Whether a config file is a county mapping's (top-level key `mapping`)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and "mapping" in data


@dataclass
class MappingConfig:
    path: Path
    root: Path
    data: dict
    county: pd.DataFrame  # the county's rows of kommuner.csv

    @property
    def county_name(self) -> str:
        return self.county["lan"].iloc[0]

    @property
    def year(self) -> int:
        return int(self.data["mapping"]["year"])

    @property
    def slug(self) -> str:
        return self.data["mapping"].get("slug") or slug_for(self.county_name, self.year)

    def file(self, *keys) -> Path | None:
        node = self.data
        for key in keys:
            node = (node or {}).get(key)
        return self.root / node if node else None

    @property
    def reference(self) -> Path:
        return self.root / self.data.get("reference", "data/raw/reference")

    @property
    def published(self) -> Path:
        return self.root / self.data.get("published", "data/processed")

    @property
    def comparisons(self) -> list[dict]:
        return list(self.data.get("comparisons") or [])


def load(path: Path, root: Path = paths.ROOT) -> MappingConfig:
    """The config, its keys and files checked (every problem at once)."""
    path, root = Path(path), Path(root)
    where = str(path)
    if not path.is_file():
        raise MappingConfigError(Problem(where, "the config file does not exist", "mappings/<slug>/config.yml"))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise MappingConfigError(
            Problem(where, f"not valid YAML: {error}", "the config as new-mapping wrote it")
        ) from error
    problems = [
        Problem(where, f"unknown key `{key}`{did_you_mean(key, KEYS, '`')}", "the keys " + ", ".join(sorted(KEYS)))
        for key in data
        if key not in KEYS
    ]
    mapping = data.get("mapping") or {}
    for key in ("county", "year"):
        if not mapping.get(key):
            problems.append(Problem(where, f"mapping.{key} is missing", "mapping: {county: <county>, year: <year>}"))
    if not (data.get("survey") or {}).get("export"):
        problems.append(Problem(where, "survey.export is missing", "the survey tool's export (.xlsx or .csv)"))
    if not (data.get("survey") or {}).get("codebook"):
        problems.append(Problem(where, "survey.codebook is missing", "the survey codebook new-mapping wrote"))
    reference = root / data.get("reference", "data/raw/reference")
    county = pd.DataFrame()
    if not (reference / "kommuner.csv").is_file():
        problems.append(
            Problem(
                where,
                f"reference: {reference / 'kommuner.csv'} does not exist",
                "reference: data/raw/reference (the 290 municipalities)",
            )
        )
    elif mapping.get("county"):
        kommuner = read_raw_csv(reference / "kommuner.csv")
        county = county_of(kommuner, str(mapping["county"]))
        if county.empty:
            problems.append(
                Problem(
                    where,
                    f"mapping.county '{mapping['county']}' is not a county"
                    + did_you_mean(mapping["county"], sorted(kommuner["lan"].unique()), cutoff=0.5),
                    "a county's name as in kommuner.csv, or its two-digit code",
                    value=mapping["county"],
                )
            )
    for keys in (
        ("survey", "export"),
        ("survey", "codebook"),
        ("interviews", "coding_sheet"),
        ("interviews", "codes"),
        ("previous",),
    ):
        node = data
        for key in keys:
            node = (node or {}).get(key) if isinstance(node, dict) else None
        if node and not (root / node).is_file():
            problems.append(
                Problem(
                    where,
                    f"{'.'.join(keys)}: the file {node} does not exist",
                    "a path relative to the project folder",
                    value=node,
                )
            )
    for i, item in enumerate(data.get("comparisons") or [], start=1):
        if not isinstance(item, dict) or item.get("theme") not in THEMES or not item.get("question"):
            problems.append(
                Problem(
                    where,
                    f"comparisons, entry {i}: {item!r}",
                    "{theme: <" + " | ".join(THEMES) + ">, question: f01, option: null, "
                    "status: " + " | ".join(statuses()) + "}",
                )
            )
        elif item.get("status", statuses()[0]) not in statuses():
            problems.append(
                Problem(
                    where,
                    f"comparisons, entry {i}: unknown status '{item.get('status')}'",
                    " or ".join(statuses()),
                    value=item.get("status"),
                )
            )
    if problems:
        raise MappingConfigError(problems)
    return MappingConfig(path=path, root=root, data=data, county=county)
