"""Render the report: the Quarto CLI when it is installed, otherwise pandoc + Typst (fallback).

Both renderers read the same sources in report/. The fallback lives in `fallback.py` and
`quarto_compat.lua` and covers only the Quarto features the report uses.
"""
import shutil
import subprocess
from pathlib import Path

from .. import manifest, paths, timing
from . import fallback


def quarto_path() -> str | None:
    return shutil.which("quarto")


def renderer_name(force_fallback: bool = False) -> str:
    """What `render` will use: 'Quarto 1.x' or the fallback's 'pandoc … + Typst …'."""
    quarto = None if force_fallback else quarto_path()
    if quarto:
        return "Quarto " + subprocess.run([quarto, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return fallback.describe()


def render(document: Path, output_stem: str, formats=("html", "pdf"), report_dir: Path = paths.REPORT,
           output_dir: Path = paths.OUTPUT, force_fallback: bool = False,
           inputs_manifest: Path = manifest.INPUTS_MANIFEST) -> dict:
    """Render `document` (a .qmd in report_dir) to output_dir/<output_stem>.html and .pdf.

    Returns {"renderer": "...", "files": [paths]} and prints which renderer was used."""
    quarto = None if force_fallback else quarto_path()
    renderer = renderer_name(force_fallback)
    if quarto:
        print(f"Renderer: {renderer}")
        files = []
        for fmt in formats:
            to = "typst" if fmt == "pdf" else fmt
            target = f"{output_stem}.{fmt}"
            subprocess.run([quarto, "render", str(document), "--to", to, "--output", target],
                           cwd=report_dir, check=True)
            files.append(Path(output_dir) / target)
    else:
        print(f"Renderer: {renderer} (fallback: the Quarto CLI was not found on PATH)")
        files = []
        for fmt in formats:
            with timing.step(f"render {output_stem}.{fmt} (pandoc{' + Typst' if fmt == 'pdf' else ''})"):
                files.append(fallback.render(Path(document), fmt, Path(output_dir) / f"{output_stem}.{fmt}", report_dir))
    manifest.complete_build(output_stem, renderer, files, inputs_manifest=inputs_manifest)
    return {"renderer": renderer, "files": files}
