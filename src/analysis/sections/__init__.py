"""Report content: each module turns processed tables into the report's figures, tables and
numbers (report/_generated/), for one region or for the combined sections. The presentation
step (`python -m analysis present`, analysis/present.py) calls them with the tables read from
data/processed."""

from pathlib import Path

import pandas as pd

from . import comparison, dalarna, national, overview, reproduction_section, size, sormland, stockholm, themes

# section name → builder: a region section gets its region's tables, a combined one the top-level tables
REGION_SECTIONS = {
    "stockholm": stockholm.build,
    "sormland": sormland.build,
    "dalarna": dalarna.build,
    "national": national.build,
}
COMBINED_SECTIONS = {
    "overview": overview.build,
    "size": size.build,
    "comparison": comparison.build,
    "reproduction": reproduction_section.build,
    "themes": themes.build,
}
REGION_BUILDERS = {region: [build] for region, build in REGION_SECTIONS.items()}
COMBINED_BUILDERS = list(COMBINED_SECTIONS.values())


def build_region(region: str, results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    for build in REGION_BUILDERS.get(region, []):
        build(results, config, Path(assets_dir))
