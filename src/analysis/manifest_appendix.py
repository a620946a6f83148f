"""Bilaga C, Reproducerbarhet: the build manifest as the report shows it (build date, commit,
renderer, config, package versions, sha256 of every input and processed table)."""

from pathlib import Path

import pandas as pd
import yaml

from . import tables
from .io import write_text_atomic

MANIFEST_REF = "Byggmanifestet (report/_output/<utgåva>.manifest.json)"
SHORT = 16  # hex characters of sha256 shown in the report; the manifest has all 64


def hash_table(hashes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"Fil": [f"`{p}`" for p in hashes], "sha256 (början)": [f"`{h[:SHORT]}`" for h in hashes.values()]}
    )


def package_table(versions: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"Paket": list(versions), "Version": list(versions.values())})


def write_appendix(manifest: dict, assets_dir: Path) -> Path:
    """Write the tables (tbl-app-packages, tbl-app-hash-inputs, tbl-app-hash-processed) and the appendix
    text _generated/appendix-reproducibility.md that report/sections/_bilagor.qmd includes."""
    assets_dir = Path(assets_dir)
    tables.save(
        "tbl-app-packages",
        package_table(manifest["packages"]),
        "Python och paketversioner i byggmiljön.",
        assets_dir,
        source_refs=[MANIFEST_REF],
    )
    tables.save(
        "tbl-app-hash-inputs",
        hash_table(manifest["inputs"]),
        "Indata: de transkriberade tabellerna och referenstabellen med kontrollsumma (sha256).",
        assets_dir,
        source_refs=[MANIFEST_REF],
    )
    tables.save(
        "tbl-app-hash-processed",
        hash_table(manifest["processed"]),
        "Bearbetade tabeller som pipelinen skrev i detta bygge, med kontrollsumma (sha256).",
        assets_dir,
        source_refs=[MANIFEST_REF],
    )
    config_path, config_sha = next(iter(manifest["config"]["path"].items()))
    config_text = yaml.safe_dump(manifest["config"]["content"], allow_unicode=True, sort_keys=False).rstrip()
    text = "\n".join(
        [
            "| | |",
            "|:--|:--|",
            f"| Byggdatum | {manifest['build_date']} |",
            f"| Git-commit | `{manifest['git_commit']}` |",
            f"| Renderare | {manifest['renderer']} |",
            f"| Konfiguration | `{config_path}` (sha256 `{config_sha[:SHORT]}`) |",
            "",
            "Konfigurationen som byggdes:",
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
