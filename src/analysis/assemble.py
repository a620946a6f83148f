"""Everything the report needs beside the notebooks' outputs, put together in report/_generated."""
from pathlib import Path

import yaml

from . import appendix, figures, paths, report_vars, static_images
from .io import write_text_atomic


def load_config(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def report_metadata(config: dict, build_date: str) -> dict:
    """Title-page metadata (title, authors, date, version) for both renderers."""
    report = config["report"]
    return {
        "title": report["title"],
        "subtitle": f"{report['subtitle']} · version {report['version']}",
        "author": [{"name": a["name"], "affiliation": a.get("affiliation", "")} for a in report["authors"]],
        "date": build_date,
    }


def assemble(config_path: Path, build_date: str, assets_dir: Path = paths.ASSETS,
             report_dir: Path = paths.REPORT) -> None:
    config = load_config(config_path)
    header = assets_dir / "plotly-js.html"
    if not header.exists():
        figures.plotly_header(header)
    written = static_images.export(assets_dir)
    if written:
        print(f"Static figures (one Chromium session): {', '.join(written)}")
    write_text_atomic(assets_dir / "metadata.yml",
                      yaml.safe_dump(report_metadata(config, build_date), allow_unicode=True, sort_keys=True))
    appendix.build(assets_dir, config)
    report_vars.merge(assets_dir, report_dir / "_variables.yml")
