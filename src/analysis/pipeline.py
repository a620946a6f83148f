"""The pipeline's first step, one region at a time (the region notebook calls these).

A region (stockholm, sormland, dalarna, national) is the set of configured sources with that
`region`. Each region's results are written under data/processed/regions/<region>/;
`analysis.combine` then puts the regions together.
"""

from pathlib import Path

import pandas as pd
import yaml

from . import breakdowns, exact_tests, oj, reproduction, shares, source_loader, sources
from .errors import UnknownRegionError
from .io import write_csv_atomic

# Tables every region writes (possibly empty), concatenated by `combine`.
REGION_TABLES = ("shares", "reproduction", "breakdowns", "tests")


def load_config(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def region_config(config: dict, region: str) -> dict:
    """The config with only the sources of `region`; an unknown region names the known ones."""
    chosen = {sid: s for sid, s in config["sources"].items() if s["region"] == region}
    if not chosen:
        known = sorted({s["region"] for s in config["sources"].values()})
        raise UnknownRegionError(f"no source has region {region!r}; the config's regions are {known}")
    return dict(config, sources=chosen)


def load_tables(config: dict, root: Path) -> dict[str, dict[str, pd.DataFrame]]:
    return source_loader.load_all(config, root)


def load_reference(config: dict, root: Path) -> dict[str, pd.DataFrame]:
    return sources.load_published(Path(root) / config["reference"])


def region_results(config: dict, region: str, root: Path) -> dict[str, pd.DataFrame]:
    """Every table computed from one region's sources."""
    chosen = region_config(config, region)
    tables = load_tables(chosen, root)
    reference = load_reference(config, root)
    results = {
        "shares": shares.all_shares(chosen, tables),
        "reproduction": reproduction.all_reproduction(chosen, tables),
        "breakdowns": breakdowns.all_breakdowns(chosen, tables, reference),
        "tests": exact_tests.all_tests(chosen, tables, reference),
    }
    results.update(oj.region_tables(tables, reference))
    results.update(presented_tables(chosen, tables, reference))
    return results


def presented_tables(
    config: dict, tables: dict[str, dict[str, pd.DataFrame]], reference: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """A source's own tables that its report section shows as they are (the config's
    `presentation.tables`), passed through as "<source>.<table>", so that the presentation reads
    data/processed only. A table of municipalities (a `kommun` column) gets their reference
    attributes (kommunkod, SKR kommungrupp, population). A table the inputs lack is left out."""
    out = {}
    for source_id, source in config["sources"].items():
        for name in (source.get("presentation") or {}).get("tables", ()):
            frame = tables[source_id].get(name)
            if frame is not None and "kommun" in frame and "kommunkod" not in frame:
                attributes = breakdowns.municipality_attributes(frame["kommun"].drop_duplicates(), reference)
                frame = frame.merge(attributes, on="kommun", how="left", validate="many_to_one")
            if frame is not None:
                out[f"{source_id}.{name}"] = frame
    return out


def region_dir(processed_dir: Path, region: str) -> Path:
    return Path(processed_dir) / "regions" / region


def write_region(results: dict[str, pd.DataFrame], processed_dir: Path, region: str) -> list[Path]:
    """Region tables under regions/<region>/; region-only tables (OJ) also at the top level, the
    sources' own tables ("<source>.<table>", `presented_tables`) not."""
    written = [
        write_csv_atomic(frame, region_dir(processed_dir, region) / f"{name}.csv") for name, frame in results.items()
    ]
    written += [
        write_csv_atomic(frame, Path(processed_dir) / f"{name}.csv")
        for name, frame in results.items()
        if name not in REGION_TABLES and "." not in name
    ]
    return written


def regions(config: dict) -> list[str]:
    return sorted({s["region"] for s in config["sources"].values()})


def read_region_table(processed_dir: Path, region: str, name: str) -> pd.DataFrame:
    path = region_dir(processed_dir, region) / f"{name}.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run the region notebook for {region!r} first (make report)")
    return pd.read_csv(path, dtype={"kommunkod": str}, keep_default_na=False, na_values=[""])
