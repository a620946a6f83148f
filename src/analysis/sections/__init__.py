"""Report content: each module turns processed tables into the report's figures, tables and
numbers (report/_generated/), for one region or for the combined sections. The presentation
step (`python -m analysis present`, analysis/present.py) calls them with the tables read from
data/processed.

Which builder presents a region comes from the config, never from the region's name: each
source's `presentation.kind` names the shape of data a builder shows (`KINDS`); a region's
section runs the builders of its sources' kinds. A source without `presentation` appears in the
combined sections only; an unknown kind is a ConfigError."""

import difflib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..input_errors import ConfigError, Problem
from . import (
    coding_grid,
    comparison,
    counts_survey,
    national,
    overview,
    reproduction_section,
    size,
    size_class_mapping,
    themes,
)

Builder = Callable[[dict[str, pd.DataFrame], dict, Path], None]

# presentation kind (config: sources.<id>.presentation.kind) → the builder for that shape of data
KINDS: dict[str, Builder] = {
    counts_survey.KIND: counts_survey.build,
    size_class_mapping.KIND: size_class_mapping.build,
    coding_grid.KIND: coding_grid.build,
    national.MATRIX: national.build,
    national.BOARDS: national.build,
}
# the combined sections: every region's tables together
COMBINED_SECTIONS: dict[str, Builder] = {
    "overview": overview.build,
    "size": size.build,
    "comparison": comparison.build,
    "reproduction": reproduction_section.build,
    "themes": themes.build,
}
COMBINED_BUILDERS = list(COMBINED_SECTIONS.values())


def kind_problem(source_id: str, kind) -> Problem | None:
    """The problem with a source's `presentation.kind` (None when a builder presents that kind)."""
    if kind in KINDS:
        return None
    close = difflib.get_close_matches(str(kind), list(KINDS), n=1, cutoff=0.6)
    return Problem(
        f"sources.{source_id}.presentation.kind",
        f"unknown presentation kind {kind!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
        expected="one of " + ", ".join(KINDS),
    )


def region_builders(config: dict, region: str) -> list[Builder]:
    """The builders of a region's section: one per presentation kind of its sources (config order,
    each builder once). ConfigError when a source's kind has no builder."""
    builders = []
    for source_id, source in (config.get("sources") or {}).items():
        presentation = (source or {}).get("presentation")
        if source.get("region") != region or not presentation:
            continue
        problem = kind_problem(source_id, presentation.get("kind"))
        if problem:
            raise ConfigError(problem)
        if KINDS[presentation["kind"]] not in builders:
            builders.append(KINDS[presentation["kind"]])
    return builders


def build_region(region: str, results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    for build in region_builders(config, region):
        build(results, config, Path(assets_dir))
