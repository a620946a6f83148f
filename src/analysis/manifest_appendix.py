"""Bilaga C, Reproducerbarhet: the build manifest as the report shows it (build date, commit,
renderer, config, package versions, sha256 of every input and processed table)."""

from pathlib import Path

import pandas as pd
import yaml

from . import tables, texts
from .io import write_text_atomic

SECTION = "manifest"  # the words: report/text/<locale>/manifest.yml
SHORT = 16  # hex characters of sha256 shown in the report; the manifest has all 64


def hash_table(hashes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            texts.get(SECTION, "columns.file"): [f"`{p}`" for p in hashes],
            texts.get(SECTION, "columns.sha"): [f"`{h[:SHORT]}`" for h in hashes.values()],
        }
    )


def package_table(versions: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            texts.get(SECTION, "columns.package"): list(versions),
            texts.get(SECTION, "columns.version"): list(versions.values()),
        }
    )


def write_appendix(manifest: dict, assets_dir: Path) -> Path:
    """Write the tables (tbl-app-packages, tbl-app-hash-inputs, tbl-app-hash-processed) and the appendix
    text _generated/appendix-reproducibility.md that report/sections/_bilagor.qmd includes."""
    assets_dir = Path(assets_dir)
    for table_id, frame in (
        ("tbl-app-packages", package_table(manifest["packages"])),
        ("tbl-app-hash-inputs", hash_table(manifest["inputs"])),
        ("tbl-app-hash-processed", hash_table(manifest["processed"])),
    ):
        tables.save(
            table_id,
            frame,
            texts.get(SECTION, f"captions.{table_id}"),
            assets_dir,
            source_refs=[texts.get(SECTION, "source_ref")],
        )

    def row(key: str) -> str:
        return texts.get(SECTION, f"rows.{key}")

    config_path, config_sha = next(iter(manifest["config"]["path"].items()))
    config_text = yaml.safe_dump(manifest["config"]["content"], allow_unicode=True, sort_keys=False).rstrip()
    text = "\n".join(
        [
            "| | |",
            "|:--|:--|",
            f"| {row('build_date')} | {manifest['build_date']} |",
            f"| {row('git_commit')} | `{manifest['git_commit']}` |",
            f"| {row('renderer')} | {manifest['renderer']} |",
            f"| {row('config')} | `{config_path}` (sha256 `{config_sha[:SHORT]}`) |",
            "",
            texts.get(SECTION, "config_built"),
            "",
            "```yaml",
            config_text,
            "```",
            "",
            "{{< include _generated/tbl-app-packages.md >}}",
            "",
            "{{< include _generated/tbl-app-hash-inputs.md >}}",
            "",
            "{{< include _generated/tbl-app-hash-processed.md >}}",
            "",
        ]
    )
    return write_text_atomic(assets_dir / "appendix-reproducibility.md", text)
