"""Render the report: the Quarto CLI when it is installed, otherwise pandoc + Typst (fallback).

Both renderers read the same sources in report/. The fallback lives in `fallback.py`,
`quarto_compat.lua` and its HTML/Typst templates, and covers only the Quarto features the report uses.

Quarto renders into a staging folder under build/ (never into report/): only the deliverables
(<stem>.html, <stem>.pdf) are moved to report/_output, so a Quarto build leaves report/_output
holding deliverables only and the work tree clean (report/.gitignore is committed with the entry
Quarto would otherwise add).
"""

import os
import shutil
import subprocess
from pathlib import Path

from .. import manifest, paths, timing
from ..io import write_text_atomic
from . import fallback


class QuartoError(RuntimeError):
    """Raised when the Quarto CLI fails or does not write the file it was asked for."""


def quarto_path() -> str | None:
    return shutil.which("quarto")


def renderer_name(force_fallback: bool = False) -> str:
    """What `render` will use: 'Quarto 1.x' or the fallback's 'pandoc … + Typst …'."""
    quarto = None if force_fallback else quarto_path()
    if quarto:
        return (
            "Quarto " + subprocess.run([quarto, "--version"], capture_output=True, text=True, check=True).stdout.strip()
        )
    return fallback.describe()


def quarto_environment(document: Path, report_dir: Path) -> dict:
    """The environment for the Quarto CLI: SOURCE_DATE_EPOCH from the report's date, so that
    Typst writes the same PDF creation date as the fallback (and `make verify` holds)."""
    env = dict(os.environ)
    date = fallback.project_metadata(Path(report_dir) / document, Path(report_dir), "pdf").get("date")
    timestamp = fallback.pdf_timestamp(date) if date is not None else None
    if timestamp is None:
        raise QuartoError(f"the report date {date!r} is not an ISO date (YYYY-MM-DD): the PDF's date cannot be fixed")
    env["SOURCE_DATE_EPOCH"] = str(timestamp)
    return env


def quarto_command(
    quarto: str, document: Path, fmt: str, target_name: str, staging: Path, report_dir: Path
) -> list[str]:
    """`quarto render <doc> --to html|typst --output <stem>.<ext> --output-dir <staging>`; the
    format options (citeproc for Typst, format-links: false for HTML) are in report/_quarto.yml."""
    to = "typst" if fmt == "pdf" else fmt
    return [
        quarto,
        "render",
        str(document),
        "--to",
        to,
        "--output",
        target_name,
        "--output-dir",
        os.path.relpath(staging, report_dir),
    ]


PAGE_SCRIPT = "_generated/page-script.html"  # report/_quarto.yml: format: html: include-after-body


def write_page_script(report_dir: Path) -> Path:
    """The fallback's narrow-screen figure layout for Quarto's HTML too (one script, two renderers)."""
    return write_text_atomic(
        Path(report_dir) / PAGE_SCRIPT, "<script>\n" + fallback.PAGE_JS.read_text(encoding="utf-8") + "</script>\n"
    )


def render_with_quarto(
    quarto: str, document: Path, output_stem: str, formats, report_dir: Path, output_dir: Path, staging_root: Path
) -> list[Path]:
    report_dir, output_dir = Path(report_dir).resolve(), Path(output_dir)
    write_page_script(report_dir)
    staging = Path(staging_root).resolve() / output_stem
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    env = quarto_environment(document, report_dir)
    produced = []
    try:
        for fmt in formats:
            name = f"{output_stem}.{fmt}"
            with timing.step(f"render {name} (Quarto)"):
                result = subprocess.run(
                    quarto_command(quarto, document, fmt, name, staging, report_dir), cwd=report_dir, env=env
                )
            if result.returncode != 0:
                raise QuartoError(f"quarto render {document} --to {fmt} failed (exit {result.returncode})")
            if not (staging / name).is_file():
                raise QuartoError(f"Quarto did not write {name} in {staging}")
            produced.append(name)
        # Everything rendered: move only the deliverables into place (Quarto's resource copies,
        # e.g. _generated/*.png, stay behind in the staging folder and are removed with it).
        output_dir.mkdir(parents=True, exist_ok=True)
        files = []
        for name in produced:
            os.replace(staging / name, output_dir / name)
            files.append(output_dir / name)
        return files
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def render(
    document: Path,
    output_stem: str,
    formats=("html", "pdf"),
    report_dir: Path = paths.REPORT,
    output_dir: Path = paths.OUTPUT,
    force_fallback: bool = False,
    inputs_manifest: Path = manifest.INPUTS_MANIFEST,
    staging_root: Path | None = None,
) -> dict:
    """Render `document` (a .qmd in report_dir) to output_dir/<output_stem>.html and .pdf.

    Returns {"renderer": "...", "files": [paths]} and prints which renderer was used."""
    quarto = None if force_fallback else quarto_path()
    renderer = renderer_name(force_fallback)
    if quarto:
        print(f"Renderer: {renderer}")
        staging_root = staging_root or Path(report_dir).resolve().parent / "build" / "quarto"
        files = render_with_quarto(quarto, Path(document), output_stem, formats, report_dir, output_dir, staging_root)
    else:
        print(f"Renderer: {renderer} (fallback: the Quarto CLI was not found on PATH)")
        files = []
        for fmt in formats:
            with timing.step(f"render {output_stem}.{fmt} (pandoc{' + Typst' if fmt == 'pdf' else ''})"):
                files.append(
                    fallback.render(Path(document), fmt, Path(output_dir) / f"{output_stem}.{fmt}", report_dir)
                )
    manifest.complete_build(output_stem, renderer, files, inputs_manifest=inputs_manifest)
    return {"renderer": renderer, "files": files}
