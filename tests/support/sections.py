"""Helpers for the tests of the section builders (tests/test_section_*.py): build a section into a
folder and read what it wrote, read the raw CSVs by hand, and read a section's text."""

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import paths, sections

SHORTCODES_AND_REFS = r"\{\{<.*?>\}\}|@(fig|tbl|sec)-[\w-]+|\[@[^\]]*\]|\{#[^}]*\}"


def section_variables(assets: Path, name: str) -> dict:
    """The variables a section wrote: assets/vars/<name>.yml, under its key <name>."""
    return yaml.safe_load((Path(assets) / "vars" / f"{name}.yml").read_text(encoding="utf-8"))[name]


def build_into(build, tables: dict, config: dict, assets: Path, name: str) -> tuple[Path, dict]:
    """Run a section builder into `assets`: (assets, the variables it wrote)."""
    build(tables, config, assets)
    return assets, section_variables(assets, name)


def raw_frame(source: str, table: str) -> pd.DataFrame:
    """data/raw/<source>/<table>.csv as text, read by hand (not through the pipeline)."""
    return pd.read_csv(paths.RAW / source / f"{table}.csv", dtype=str, keep_default_na=False)


def raw_rows(source: str, table: str) -> list[dict]:
    """data/raw/<source>/<table>.csv as a list of rows (dicts of text), read with the csv module."""
    with open(paths.RAW / source / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def pipe_rows(markdown: str) -> list[list[str]]:
    """Body rows of the pipe table in a generated snippet, as lists of cells."""
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


def used_variables(text: str, section: str) -> list[str]:
    """The names of the section's variables a text uses ({{< var <section>.<name> >}})."""
    return re.findall(rf"\{{\{{< var {section}\.(\w+) >\}}\}}", text)


def typed_numbers(text: str) -> list[str]:
    """The numbers typed into a text other than years (19xx, 20xx), outside shortcodes,
    cross-references, citations and attributes."""
    text = re.sub(SHORTCODES_AND_REFS, "", text)
    return [t for t in re.findall(r"\d+", text) if not re.fullmatch(r"(19|20)\d\d", t)]


def provenance_without_ref(assets: Path) -> list[str]:
    """The provenance files a section wrote that are empty or have a row without a source_ref."""
    bad = []
    for path in sorted((Path(assets) / "provenance").glob("*.csv")):
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        if not len(rows) or not (rows["source_ref"].str.strip() != "").all():
            bad.append(path.name)
    return bad


def nan_in_text(assets: Path) -> list[str]:
    """The generated snippets, variable and provenance files with a "nan" in them."""
    assets = Path(assets)
    files = [*assets.glob("*.md"), *assets.glob("vars/*.yml"), *assets.glob("provenance/*.csv")]
    return [p.name for p in files if re.search(r"\bnan\b", p.read_text(encoding="utf-8"), re.I)]


def assert_written(assets: Path, figures: list[str], tables: list[str], section: str) -> None:
    """Every figure (JSON and snippet), table and the section's variables are written, each with
    its provenance (and the section's own)."""
    assets = Path(assets)
    for fid in figures:
        assert (assets / f"{fid}.json").exists() and (assets / f"{fid}.md").exists(), fid
    for tid in tables:
        assert (assets / f"{tid}.md").exists(), tid
    assert (assets / "vars" / f"{section}.yml").exists()
    for item in [*figures, *tables, section]:
        assert (assets / "provenance" / f"{item}.csv").exists(), item


def assert_alt_text_in_both_formats(assets: Path, figures: list[str]) -> None:
    """Every figure's alt text is long enough and stands in the HTML (aria-label) and, twice, as
    fig-alt (the cross-reference div and the PDF image)."""
    for fid in figures:
        snippet = (Path(assets) / f"{fid}.md").read_text(encoding="utf-8")
        alt = re.search(r'fig-alt="([^"]*)"', snippet).group(1)
        assert len(alt) > 40, fid
        assert f'aria-label="{alt}"' in snippet, fid
        assert snippet.count(f'fig-alt="{alt}"') == 2, fid


def assert_text_uses_only_defined_variables(texts: list[Path], section: str, variables: dict) -> None:
    """Each text uses the section's variables, and only ones the section defines."""
    for path in texts:
        used = used_variables(path.read_text(encoding="utf-8"), section)
        assert used, path.name
        assert not set(used) - set(variables), path.name


def assert_no_number_typed_by_hand(texts: list[Path]) -> None:
    """Digits in the prose are years only; every count comes from a variable."""
    for path in texts:
        typed = typed_numbers(path.read_text(encoding="utf-8"))
        assert not typed, f"{path.name}: {typed}"


def assert_included_and_referred_to(text: str, items: list[str]) -> None:
    """Every figure and table is included (its generated snippet) and referred to (@id)."""
    for item in items:
        assert f"@{item}" in text and f"_generated/{item}.md" in text, item


def region_fixtures(region: str):
    """Module-scoped fixtures for a region's section tests: `results` (the region's results),
    `built` (the folder its sections were built into) and `variables` (what they wrote):
    `results, built, variables = region_fixtures("<region>")`."""

    @pytest.fixture(scope="module", name="results")
    def results(results_of):
        return results_of(region)

    @pytest.fixture(scope="module", name="built")
    def built(config, results, tmp_path_factory):
        assets = tmp_path_factory.mktemp("assets")
        sections.build_region(region, results, config, assets)
        return assets

    @pytest.fixture(scope="module", name="variables")
    def variables(built):
        return section_variables(built, region)

    return results, built, variables
