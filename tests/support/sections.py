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


def provenance_rows(assets: Path) -> pd.DataFrame:
    """Every provenance row a section wrote (every file of assets/provenance), as text."""
    paths_ = sorted((Path(assets) / "provenance").glob("*.csv"))
    return pd.concat(pd.read_csv(path, dtype=str, keep_default_na=False) for path in paths_)


def provenance_without_ref(assets: Path) -> list[str]:
    """The provenance files a section wrote that are empty or have a row without a source_ref."""
    bad = []
    for path in sorted((Path(assets) / "provenance").glob("*.csv")):
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        if not len(rows) or not (rows["source_ref"].str.strip() != "").all():
            bad.append(path.name)
    return bad


NAN = re.compile(r"\bnan\b", re.I)
MISSING_VALUES = re.compile(r"\b(?i:nan)\b|\b(None|<NA>)\b")  # nan in any case, None, <NA>


def nan_in_text(assets: Path, pattern: re.Pattern = NAN) -> list[str]:
    """The generated snippets, variable and provenance files with a "nan" (or `pattern`) in them."""
    assets = Path(assets)
    files = [*assets.glob("*.md"), *assets.glob("vars/*.yml"), *assets.glob("provenance/*.csv")]
    return [p.name for p in files if pattern.search(p.read_text(encoding="utf-8"))]


def unwritten(assets: Path, items: list[str]) -> list[str]:
    """The figures and tables whose snippet or provenance was not written."""
    assets = Path(assets)
    return [i for i in items if not (assets / f"{i}.md").exists() or not (assets / "provenance" / f"{i}.csv").exists()]


def alt_text(assets: Path, figure: str) -> str:
    """A figure's alt text (fig-alt in its snippet); "" where it has none."""
    found = re.search(r'fig-alt="([^"]*)"', (Path(assets) / f"{figure}.md").read_text(encoding="utf-8"))
    return found.group(1) if found else ""


class CombinedSectionChecks:
    """The checks of a section's files whose test module's `built` fixture is (assets, variables)
    (`build_into`). A test module subclasses it and sets the attributes below."""

    figures: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    min_provenance_rows = 1
    source_ref = r"\.txt §"  # what every provenance row's source_ref contains (a regular expression)

    def test_every_figure_and_table_is_written(self, built):
        assets, _ = built
        assert unwritten(assets, [*self.figures, *self.tables]) == []
        for fid in self.figures:
            assert (assets / f"{fid}.json").exists(), fid

    def test_every_figure_has_alt_text(self, built):
        if not self.figures:
            pytest.skip("the section has no figures")
        for fid in self.figures:
            assert len(alt_text(built[0], fid)) > 40, fid

    def test_every_provenance_row_has_a_source_ref(self, built):
        assert provenance_without_ref(built[0]) == []  # no empty file, no empty source_ref
        rows = provenance_rows(built[0])
        assert len(rows) > self.min_provenance_rows
        refs = rows["source_ref"].str.strip()
        assert (refs != "").all()
        assert refs.str.contains(self.source_ref).all()

    def test_no_missing_values_leak_into_the_text(self, built):
        assert nan_in_text(built[0], MISSING_VALUES) == []


class RegionSectionChecks:
    """The checks every region section passes. A test module subclasses it (`class
    TestSection(RegionSectionChecks)`), sets the attributes below and provides the fixtures
    `built` and `variables` (`region_fixtures`)."""

    section = ""  # its name: the region, the variables' namespace
    texts: tuple[Path, ...] = ()  # the report texts that use its variables
    figures: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()

    def test_every_figure_table_and_variable_file_is_written(self, built):
        assert unwritten(built, [*self.figures, *self.tables]) == []
        for fid in self.figures:
            assert (built / f"{fid}.json").exists(), fid
        assert (built / "vars" / f"{self.section}.yml").exists()
        assert (built / "provenance" / f"{self.section}.csv").exists()

    def test_every_figure_has_alt_text_in_both_formats(self, built):
        for fid in self.figures:
            snippet, alt = (built / f"{fid}.md").read_text(encoding="utf-8"), alt_text(built, fid)
            assert len(alt) > 40, fid
            assert f'aria-label="{alt}"' in snippet, fid
            assert snippet.count(f'fig-alt="{alt}"') == 2, fid  # cross-reference div and PDF image

    def test_every_provenance_row_has_a_source_ref(self, built):
        assert provenance_without_ref(built) == []

    def test_no_nan_in_generated_text(self, built):
        assert nan_in_text(built) == []

    def test_every_variable_in_the_text_exists(self, variables):
        for path in self.texts:
            used = used_variables(path.read_text(encoding="utf-8"), self.section)
            assert used, path.name
            assert not set(used) - set(variables), path.name

    def test_no_number_typed_by_hand(self):
        """Digits in the prose are years only; every count comes from a variable."""
        for path in self.texts:
            typed = typed_numbers(path.read_text(encoding="utf-8"))
            assert not typed, f"{path.name}: {typed}"


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
