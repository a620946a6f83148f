"""`make validate` and `make report` for a county mapping (CONFIG=mappings/<slug>/config.yml).

* `validate` — config, export, codebook, coding sheet, previous round and comparisons checked,
  every table computed and every report section written into a temporary folder: "OK" means
  the build runs. Writes nothing.
* `report` — the county's tables (computed by notebooks/mapping.ipynb into
  data/processed/mappings/<slug>/) presented into report/_generated/kartlaggning/ and rendered
  as report/_output/rapport-<slug>.html and .pdf with its own manifest.
"""

import tempfile
from pathlib import Path

import yaml

from .. import figures, manifest, paths, render, static_images
from ..io import write_text_atomic
from . import compute, present
from .config import load

DOCUMENT = "kartlaggning.qmd"
ASSETS = paths.ASSETS / "kartlaggning"


def processed_dir(slug: str) -> Path:
    return paths.PROCESSED / "mappings" / slug


def validate(config_path: Path, root: Path = paths.ROOT) -> str:
    config = load(config_path, root)
    published = (config.published / "cross_source.csv").exists()
    tables = compute.compute(config, comparisons=published)
    with tempfile.TemporaryDirectory() as work:
        compute.write(tables, Path(work) / "processed")
        present.present(Path(work) / "processed", Path(work) / "kartlaggning")
    facts = tables["facts"].iloc[0]
    note = (
        ""
        if published or not config.comparisons
        else (f"; comparisons: {len(config.comparisons)} (the published tables are built by make report)")
    )
    return (
        f"OK: {facts['county']} {facts['year']}: {facts['n']} of {facts['N']} municipalities answered, "
        f"{len(tables['questions'])} questions, {len(tables.get('codes', []))} interview codes, "
        f"{len(tables['comparison']['theme'].unique()) if len(tables['comparison']) else 0} comparisons"
        f"{note} — the report can be built: make report CONFIG={config_path}"
    )


def inputs_manifest(config, build_date: str, renderer: str, processed: Path) -> Path:
    files = [
        config.path,
        config.file("survey", "export"),
        config.file("survey", "codebook"),
        config.file("interviews", "coding_sheet"),
        config.file("interviews", "codes"),
        config.file("previous"),
        *sorted(config.reference.glob("*.csv")),
    ]
    data = {
        "build_date": build_date,
        "renderer": renderer,
        "git_commit": manifest.git_commit(config.root),
        "config": {"path": manifest.hashes([config.path], config.root), "content": config.data},
        "packages": manifest.package_versions(config.root),
        "inputs": manifest.hashes([f for f in files if f and f.exists()], config.root),
        "processed": manifest.hashes(sorted(processed.glob("*.csv")), config.root),
        "notebooks": manifest.hashes(
            sorted((paths.BUILD / "notebooks").glob(f"mapping-{config.slug}.ipynb")), config.root
        ),
    }
    return manifest.write_inputs_manifest(data, paths.BUILD / f"manifest-inputs-{config.slug}.json")


def report(config_path: Path, build_date: str, root: Path = paths.ROOT) -> dict:
    config = load(config_path, root)
    processed = processed_dir(config.slug)
    present.present(processed, ASSETS)
    header = paths.ASSETS / "plotly-js.html"
    if not header.exists():
        figures.plotly_header(header)
    static_images.export(ASSETS)
    write_text_atomic(
        paths.ASSETS / "metadata.yml",
        yaml.safe_dump(present.metadata(processed, build_date), allow_unicode=True, sort_keys=True),
    )
    stem = f"rapport-{config.slug}"
    built = inputs_manifest(config, build_date, render.renderer_name(), processed)
    return render.render(Path(DOCUMENT), stem, inputs_manifest=built)
