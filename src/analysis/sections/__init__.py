"""Report content: each module turns computed tables into the report's figures, tables and
numbers (report/_generated/), for one region or for the combined sections."""
from pathlib import Path

import pandas as pd

from . import comparison, dalarna, national, overview, reproduction_section, size, sormland, stockholm, themes

REGION_BUILDERS = {
    "stockholm": [stockholm.build],
    "sormland": [sormland.build],
    "dalarna": [dalarna.build],
    "national": [national.build],
}
COMBINED_BUILDERS = [
    overview.build,
    size.build,
    comparison.build,
    reproduction_section.build,
    themes.build,
]


def build_region(region: str, results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    for build in REGION_BUILDERS.get(region, []):
        build(results, config, Path(assets_dir))


def build_combined(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    for build in COMBINED_BUILDERS:
        build(combined, config, Path(assets_dir))
