"""Everything the report needs beside the notebooks' outputs, put together in report/_generated."""

from pathlib import Path

import yaml

from . import (
    appendix,
    escape,
    figures,
    manifest,
    manifest_appendix,
    paths,
    render,
    report_vars,
    static_images,
    texts,
    timing,
)
from .io import write_text_atomic


def load_config(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def edition_name(config: dict, document: Path | None) -> str | None:
    """The edition's line (render.yml `edition`, e.g. the Stockholm county edition's) for report/rapport-stockholm.qmd;
    None for the full report."""
    if document is None or not Path(document).stem.startswith("rapport-"):
        return None
    region = Path(document).stem.removeprefix("rapport-")
    areas = [s["area"] for s in config["sources"].values() if s["region"] == region]
    if not areas:
        raise KeyError(f"edition {Path(document).name}: no source in the config has region {region!r}")
    return texts.get("render", "edition", area=areas[0])


def report_metadata(config: dict, build_date: str, document: Path | None = None) -> dict:
    """Title-page metadata (title, authors, date, version; the edition) for both renderers. The
    config's text is data: escaped (pandoc reads metadata strings as Markdown)."""
    report = config["report"]
    edition = edition_name(config, document)
    text = escape.markdown
    return {
        "title": text(report["title"]),
        "subtitle": " · ".join(text(t) for t in filter(None, [report["subtitle"], edition])),
        "version": str(report["version"]),  # in the colophon, not the subtitle
        "author": [{"name": text(a["name"]), "affiliation": text(a.get("affiliation", ""))} for a in report["authors"]],
        "date": build_date,
        "lang": texts.locale(config),  # Quarto's `lang`, from the one locale setting (report.locale)
    }


def assemble(
    config_path: Path,
    build_date: str,
    document: Path | None = None,
    assets_dir: Path = paths.ASSETS,
    report_dir: Path = paths.REPORT,
) -> None:
    config = load_config(config_path)
    figures.plotly_header(assets_dir / "plotly-js.html")  # rewritten only when the bundle changed
    with timing.step("static figures (kaleido, one Chromium session)"):
        written = static_images.export(assets_dir)
    if written:
        print(f"Static figures (one Chromium session): {', '.join(written)}")
    write_text_atomic(
        assets_dir / "metadata.yml",
        yaml.safe_dump(report_metadata(config, build_date, document), allow_unicode=True, sort_keys=True),
    )
    build = manifest.inputs_manifest(config_path, build_date, render.renderer_name())
    manifest.write_inputs_manifest(build)
    manifest_appendix.write_appendix(build, assets_dir)
    # after every other writer of provenance rows; Bilaga B lists what this edition shows
    appendix.build(assets_dir, config, document=report_dir / document if document else None)
    report_vars.merge(assets_dir, report_dir / "_variables.yml")
