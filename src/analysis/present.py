"""The presentation step: the report's figures, tables and numbers (report/_generated/) from the
processed tables (data/processed/) — no notebook, no kernel.

    python -m analysis present --config config/default.yml            # every section
    python -m analysis present --config config/default.yml --section size

A region section (stockholm, sormland, dalarna, national) reads its region's tables under
data/processed/regions/<region>/; a combined section (overview, size, comparison, reproduction)
reads the top-level tables and the regions' inventories (sources, table_refs, members). Each section is built into a scratch folder first: a file whose
content did not change keeps its bytes (a figure whose JSON did not change keeps its PNG). Every
file it writes into the assets folder, changed or not, is recorded while the step runs under
`outputs.recording` (the command line does): Make then knows what the step writes, so a deleted
asset is rebuilt (see analysis.outputs).
"""

import filecmp
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from . import paths, texts
from .inventory import INVENTORY_TABLES
from .io import record_output, write_bytes_atomic
from .pipeline import REGION_TABLES, region_dir, regions

COMBINED_TABLES = (*REGION_TABLES, "cross_source")


class PresentationError(Exception):
    """Raised when a section is asked for that does not exist, or its processed tables are missing."""


# (count, base, share) columns: the CSVs keep 10 significant digits, so a share that is its
# count over its base is read back as exactly that ratio (as the notebook had it in memory).
SHARE_COLUMNS = (("n", "N", "share"), ("figure_n", "figure_N", "share"))


def exact_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """`share` = n / N again, at full precision, wherever the stored share is that ratio."""
    for count, base, share in SHARE_COLUMNS:
        if not {count, base, share} <= set(frame.columns):
            continue
        ratio = pd.to_numeric(frame[count], errors="coerce") / pd.to_numeric(frame[base], errors="coerce")
        same = ratio.notna() & ((ratio - frame[share]).abs() <= 1e-9 * ratio.abs().clip(lower=1))
        frame.loc[same, share] = ratio[same]
    return frame


def read_processed(path: Path) -> pd.DataFrame:
    """A processed table as the notebooks wrote it (kommunkod stays text; empty cells are missing)."""
    if not Path(path).exists():
        raise PresentationError(f"{path} is missing: run the notebooks first (make report)")
    return exact_shares(pd.read_csv(path, dtype={"kommunkod": str}, keep_default_na=False, na_values=[""]))


def region_tables(processed_dir: Path, region: str) -> dict[str, pd.DataFrame]:
    """Every table the region's notebook wrote (regions/<region>/*.csv), by name."""
    folder = region_dir(processed_dir, region)
    names = sorted(p.stem for p in folder.glob("*.csv"))
    if not names:
        raise PresentationError(f"{folder} holds no tables: run the region notebook for {region!r} first (make report)")
    return {name: read_processed(folder / f"{name}.csv") for name in names}


def combined_tables(processed_dir: Path, config: dict) -> dict[str, pd.DataFrame]:
    """The combined notebook's tables (shares, reproduction, breakdowns, tests, cross_source) and
    every region's inventory (sources, table_refs, members: analysis.inventory), concatenated."""
    tables = {name: read_processed(Path(processed_dir) / f"{name}.csv") for name in COMBINED_TABLES}
    return {**tables, **inventory_tables(processed_dir, config)}


def inventory_tables(processed_dir: Path, config: dict) -> dict[str, pd.DataFrame]:
    """Every region's inventory (sources, table_refs, members), concatenated in region order."""
    return {
        name: pd.concat(
            [read_processed(region_dir(processed_dir, region) / f"{name}.csv") for region in regions(config)],
            ignore_index=True,
        )
        for name in INVENTORY_TABLES
    }


def section_names(config: dict) -> list[str]:
    """The sections a config's report has: one per configured region whose sources the config
    presents (`presentation.kind`), then the combined sections."""
    from . import sections

    return [r for r in regions(config) if sections.region_builders(config, r)] + list(sections.COMBINED_SECTIONS)


def build_section(name: str, config: dict, processed_dir: Path, assets_dir: Path) -> None:
    """Build one section's assets into `assets_dir` from `processed_dir`."""
    from . import sections

    if name in sections.COMBINED_SECTIONS:
        sections.COMBINED_SECTIONS[name](combined_tables(processed_dir, config), config, Path(assets_dir))
    elif name in regions(config) and sections.region_builders(config, name):
        sections.build_region(name, region_tables(processed_dir, name), config, Path(assets_dir))
    else:
        raise PresentationError(f"no section {name!r}; the sections are {', '.join(section_names(config))}")


def sync(scratch: Path, assets_dir: Path) -> list[Path]:
    """Move every file from `scratch` into `assets_dir`. A changed file is replaced atomically; an
    unchanged one keeps its bytes and only gets a new time (so Make sees it as built), and the
    PNG of an unchanged figure JSON stays newer than the JSON (no needless re-export)."""
    written = []
    for source in sorted(p for p in Path(scratch).rglob("*") if p.is_file()):
        target = Path(assets_dir) / source.relative_to(scratch)
        if target.exists() and filecmp.cmp(source, target, shallow=False):
            png = target.with_suffix(".png")
            png_fresh = target.suffix == ".json" and png.exists() and png.stat().st_mtime >= target.stat().st_mtime
            os.utime(target)
            if png_fresh:
                os.utime(png)
            record_output(target)
        else:
            write_bytes_atomic(target, source.read_bytes())
        written.append(target)
    return written


def present(
    config: dict,
    names: list[str] | None = None,
    processed_dir: Path = paths.PROCESSED,
    assets_dir: Path = paths.ASSETS,
) -> list[Path]:
    """Build the named sections (all when None) into `assets_dir` and return the files written."""
    from . import outputs

    chosen = names or section_names(config)
    written = []
    with texts.using(texts.locale(config)):  # the config's locale: report/text/<locale>/ for every section
        for name in chosen:
            scratch = Path(tempfile.mkdtemp(prefix=f"present-{name}-"))
            try:
                with outputs.paused():  # the scratch files are no outputs
                    build_section(name, config, Path(processed_dir), scratch)
                written += sync(scratch, Path(assets_dir))
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    return written
