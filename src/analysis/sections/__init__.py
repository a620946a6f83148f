"""Report content: each module turns computed tables into the report's figures, tables and
numbers (report/_generated/), for one region or for the combined sections."""
from pathlib import Path

import pandas as pd

from . import stockholm
from . import comparison
from . import reproduction_section

REGION_BUILDERS = {
    "stockholm": [stockholm.build],
}
COMBINED_BUILDERS: list = [
    comparison.build,
    reproduction_section.build,
]


def build_region(region: str, results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    for build in REGION_BUILDERS.get(region, []):
        build(results, config, Path(assets_dir))


def build_combined(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    for build in COMBINED_BUILDERS:
        build(combined, config, Path(assets_dir))
