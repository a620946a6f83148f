"""The presentation step (analysis/present.py): report assets from data/processed only, and the
split from the notebooks (which compute and no longer build assets)."""

import ast
import copy
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import assemble, combine, deps, inventory, outputs, paths, pipeline, present, sections, texts
from analysis.input_errors import ConfigError
from analysis.sections import comparison

NOTEBOOKS = paths.ROOT / "notebooks"


@pytest.fixture(scope="module")
def processed(default_config, processed_dir, tmp_path_factory) -> Path:
    """data/processed as the notebooks write it: every region (conftest's processed_dir, copied),
    then the combined tables."""
    folder = tmp_path_factory.mktemp("processed")
    shutil.copytree(processed_dir, folder, dirs_exist_ok=True)
    combine.write_combined(combine.combine_regions(default_config, folder, paths.ROOT), folder)
    return folder


class TestInventory:
    def test_what_each_source_covers_by_the_shape_of_its_tables(self, default_config):
        tables = pipeline.load_tables(default_config, paths.ROOT)
        inv = inventory.source_inventory(tables).set_index("source")
        assert inv["units_kind"].to_dict() == {
            "stockholm_2008": "units_surveyed",
            "sormland_2019": "municipalities",
            "dalarna_2020": "municipalities",
            "skl_2016": "municipalities_by_indicators",
            "lansstyrelserna_2015": "boards_and_persons",
        }
        assert (inv.loc["skl_2016", "units_n"], inv.loc["skl_2016", "units_k"]) == (8, 60)
        assert (inv.loc["lansstyrelserna_2015", "units_n"], inv.loc["lansstyrelserna_2015", "units_k"]) == (21, 43)
        assert inv.loc["stockholm_2008", "rows"] == sum(len(t) for t in tables["stockholm_2008"].values())

    def test_a_source_of_no_known_shape_is_an_error(self):
        with pytest.raises(inventory.UnitsError, match="no description of the units of source 'x'"):
            inventory.source_units("x", {"statements": pd.DataFrame({"kommun": ["A"]})})

    def test_group_members_and_table_refs(self, default_config):
        tables = pipeline.load_tables(default_config, paths.ROOT)
        members = inventory.group_members(tables, pipeline.load_reference(default_config, paths.ROOT))
        size = members[members["breakdown"] == "size_class"]
        assert set(size["source"]) == {"sormland_2019"} and len(size) == 9
        assert sorted(size.loc[size["group"] == "larger", "kommun"]) == ["Eskilstuna", "Nyköping"]
        assert members.groupby("breakdown").size().to_dict() == {
            "size_class": 9,
            "kommungrupp_2017": 15,
            "population_band": 15,
        }
        refs = inventory.table_refs(tables)
        first = refs[(refs["source"] == "sormland_2019") & (refs["table"] == "municipalities")]["source_ref"].iloc[0]
        assert first == tables["sormland_2019"]["municipalities"]["source_ref"].iloc[0]
        assert not refs.duplicated().any()


class TestExactShares:
    def test_a_share_that_is_n_over_N_is_read_back_exactly(self):
        frame = pd.DataFrame({"n": [2.0, 1.0, None], "N": [3.0, 7.0, 5.0], "share": [0.6666666667, 0.5, 0.2]})
        out = present.exact_shares(frame.copy())
        assert out["share"].tolist()[0] == 2 / 3  # 10 significant digits in the CSV, exact again
        assert out["share"].tolist()[1:] == [0.5, 0.2]  # not n/N (1/7): left as stored; no n: left as stored

    def test_cross_source_counts(self):
        frame = pd.DataFrame({"figure_n": [19.0], "figure_N": [39.0], "share": [0.4871794872]})
        assert present.exact_shares(frame)["share"].iloc[0] == 19 / 39


class TestPresent:
    def test_a_section_from_processed_tables_equals_the_in_memory_build(
        self, default_config, combined_tables, processed, tmp_path
    ):
        from_memory, from_processed = tmp_path / "memory", tmp_path / "processed"
        comparison.build(combined_tables, default_config, from_memory)
        present.present(default_config, ["comparison"], processed, from_processed)
        files = sorted(p.relative_to(from_memory) for p in from_memory.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(from_processed) for p in from_processed.rglob("*") if p.is_file())
        for rel in files:
            assert (from_memory / rel).read_bytes() == (from_processed / rel).read_bytes(), rel

    def test_every_section_and_the_record_of_what_it_wrote(self, default_config, processed, tmp_path):
        assets, build = tmp_path / "assets", tmp_path / "build"
        record = build / "writes" / "present.txt"
        with outputs.recording("present", build, target=record):
            written = present.present(default_config, None, processed, assets)
        sections = {p.stem for p in (assets / "vars").glob("*.yml")}
        assert (
            sections
            == set(present.section_names(default_config))
            == {
                "stockholm",
                "sormland",
                "dalarna",
                "national",
                "overview",
                "size",
                "comparison",
                "reproduction",
                "themes",
            }
        )
        listed = set(record.read_text(encoding="utf-8").split())
        assert listed == {str(p.resolve()) for p in written} and len(listed) > 60  # no scratch file
        assert all(Path(p).exists() for p in listed)
        rules = (build / "writes" / "present.mk").read_text(encoding="utf-8")
        assert f"{record}: \\\n" in rules and f"  {assets / 'vars' / 'size.yml'}" in rules
        # a second run whose files are all unchanged records them all again
        with outputs.recording("present", build, target=record):
            present.present(default_config, None, processed, assets)
        assert set(record.read_text(encoding="utf-8").split()) == listed

    def test_an_unchanged_file_keeps_its_bytes_and_its_png_stays_fresh(self, default_config, processed, tmp_path):
        assets = tmp_path / "assets"
        present.present(default_config, ["dalarna"], processed, assets)
        spec, png = assets / "fig-dal-kodning.json", assets / "fig-dal-kodning.png"
        png.write_bytes(b"png")
        old = spec.stat().st_mtime - 100
        os.utime(spec, (old, old))
        os.utime(png, (old + 1, old + 1))
        before = spec.read_bytes()
        present.present(default_config, ["dalarna"], processed, assets)
        assert spec.read_bytes() == before and spec.stat().st_mtime > old + 1  # touched for Make
        assert png.stat().st_mtime >= spec.stat().st_mtime  # so the PNG is not re-exported

    def test_a_deleted_asset_is_written_again(self, default_config, processed, tmp_path):
        assets = tmp_path / "assets"
        present.present(default_config, ["size"], processed, assets)
        (assets / "tbl-size-tests.md").unlink()
        present.present(default_config, ["size"], processed, assets)
        assert (assets / "tbl-size-tests.md").exists()

    def test_an_unknown_section_is_an_error(self, default_config, processed, tmp_path):
        with pytest.raises(
            present.PresentationError, match="no section 'sizes'; the sections are .*stockholm.*, size,"
        ):
            present.present(default_config, ["sizes"], processed, tmp_path)

    def test_a_missing_processed_table_names_the_file(self, default_config, tmp_path):
        with pytest.raises(present.PresentationError, match=r"shares\.csv is missing: run the notebooks first"):
            present.present(default_config, ["reproduction"], tmp_path, tmp_path / "assets")
        with pytest.raises(present.PresentationError, match="run the region notebook for 'dalarna'"):
            present.present(default_config, ["dalarna"], tmp_path, tmp_path / "assets")

    def test_the_command_line(self, processed, tmp_path):
        from analysis.__main__ import main

        assets, build = tmp_path / "assets", tmp_path / "build"
        config = str(paths.ROOT / "config" / "default.yml")
        common = ["--config", config, "--processed-dir", str(processed), "--assets-dir", str(assets)]
        main(["present", *common, "--section", "overview", "--build-dir", str(build)])
        assert (
            yaml.safe_load((assets / "vars" / "overview.yml").read_text(encoding="utf-8"))["overview"]["sources_n"]
            == "5"
        )
        assert not (build / "writes").exists()  # some sections only: not the step Make runs
        main(["present", *common, "--build-dir", str(build)])
        assert str(assets / "vars" / "size.yml") in (build / "writes" / "present.txt").read_text(encoding="utf-8")
        assert (build / "writes" / "present.mk").read_text(encoding="utf-8").count(f"{build}/writes/present.txt: ") == 1


class TestNotebooksCompute:
    @pytest.mark.parametrize("name", ["region.ipynb", "combined.ipynb"])
    def test_no_notebook_imports_the_presentation(self, name):
        assert "sections" not in deps.notebook_modules(NOTEBOOKS / name)
        package = paths.ROOT / "src" / "analysis"
        closure = {p.name for p in deps.module_closure(deps.notebook_modules(NOTEBOOKS / name), package)}
        assert not closure & {
            "present.py",
            "figures.py",
            "tables.py",
            "comparison.py",
            "size.py",
            "overview.py",
            "reproduction_section.py",
        }

    @pytest.mark.parametrize("name", ["region.ipynb", "combined.ipynb"])
    def test_no_notebook_writes_assets(self, name):
        text = (NOTEBOOKS / name).read_text(encoding="utf-8")
        assert "assets_dir" not in text and "build_region" not in text and "build_combined" not in text


class TestLocale:
    def test_quarto_lang_comes_from_the_config(self, default_config):
        assert "lang" not in yaml.safe_load((paths.REPORT / "_quarto.yml").read_text(encoding="utf-8"))
        assert assemble.report_metadata(default_config, "2026-01-31")["lang"] == texts.locale(default_config) == "sv-SE"
        other = {**default_config, "report": {**default_config["report"], "locale": "en"}}
        assert assemble.report_metadata(other, "2026-01-31")["lang"] == "en"

    def test_using_sets_the_locale_where_a_call_names_none(self, tmp_path):
        for locale_, word in (("sv", "Svenska"), ("en", "English")):
            (tmp_path / "text" / locale_).mkdir(parents=True)
            (tmp_path / "text" / locale_ / "demo.yml").write_text(f"a: {word}\n", encoding="utf-8")
        with texts.using("en"):
            assert texts.current() == "en"
            assert texts.get("demo", "a", report_dir=tmp_path) == "English"
            assert texts.get("demo", "a", "sv", report_dir=tmp_path) == "Svenska"
        assert texts.get("demo", "a", report_dir=tmp_path) == "Svenska"

    def test_the_presentation_step_reads_the_configs_locale(self, default_config, processed, tmp_path):
        other = {**default_config, "report": {**default_config["report"], "locale": "xx"}}
        with pytest.raises(texts.MissingTextError, match=r"text/xx/"):
            present.present(other, ["comparison"], processed, tmp_path)


# --- every template the combined sections ask for exists -----------------------------------------

MODULES = {  # module → its template file (SECTION)
    "sections/overview.py": "overview",
    "sections/size.py": "size",
    "sections/comparison.py": "comparison",
    "sections/reproduction_section.py": "reproduction",
    "appendix.py": "appendix",
}
SWEDISH = re.compile("[åäöÅÄÖ]")


def literal_keys(path: Path) -> set[str]:
    """The literal keys of every _t("…") and _group("…") call in a module."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_t", "_group")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            keys.add(node.args[0].value)
    return keys


@pytest.mark.parametrize("module,section", sorted(MODULES.items()))
def test_every_template_key_a_module_uses_exists(module, section):
    path = paths.ROOT / "src" / "analysis" / module
    keys = literal_keys(path)
    assert keys
    templates = texts.section(section)
    for key in keys:
        node = templates
        for part in key.split("."):
            assert isinstance(node, dict) and part in node, f"{module}: {key!r} is missing from {section}.yml"
            node = node[part]


@pytest.mark.parametrize("module", sorted(MODULES) + ["report_vars.py"])
def test_no_swedish_text_in_the_module(module):
    """User-visible text lives in report/text/<locale>/; only what parses analysis output (English
    notes and quantity ids that quote the source's Swedish words) stays."""
    tree = ast.parse((paths.ROOT / "src" / "analysis" / module).read_text(encoding="utf-8"))
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    swedish = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and id(n) not in docstrings
        and SWEDISH.search(n.value)
    ]
    # regexes over reproduction.csv's notes and its quantity kinds: analysis output, quoting the source
    allowed = [s for s in swedish if "(?P<" in s or s.endswith(" vs size class larger")]
    assert swedish == allowed, swedish


def test_the_combined_sections_name_no_source():
    ids = re.compile(r"\b[a-z]+_(2008|2015|2016|2019|2020)\b")
    for module in MODULES:
        text = (paths.ROOT / "src" / "analysis" / module).read_text(encoding="utf-8")
        assert not ids.search(text), (module, ids.search(text))


class TestDispatch:
    """A region's section comes from its sources' `presentation.kind`, never from the region's name."""

    @staticmethod
    def moved(config: dict, region: str, to: str, **presentation) -> dict:
        changed = copy.deepcopy(config)
        for source in changed["sources"].values():
            if source["region"] == region:
                source["region"] = to
                source["presentation"].update(presentation)
        return changed

    def test_a_region_is_presented_by_its_sources_kinds(self, default_config):
        from analysis.sections import counts_survey

        moved = self.moved(default_config, "stockholm", "uppland")
        assert sections.region_builders(moved, "uppland") == [counts_survey.build]
        names = present.section_names(moved)
        assert "uppland" in names and "stockholm" not in names

    def test_a_source_without_presentation_has_no_region_section(self, default_config):
        changed = copy.deepcopy(default_config)
        for source in changed["sources"].values():
            if source["region"] == "dalarna":
                del source["presentation"]
        assert sections.region_builders(changed, "dalarna") == []
        assert "dalarna" not in present.section_names(changed)

    def test_an_unknown_kind_is_a_config_error(self, default_config, processed, tmp_path):
        wrong = self.moved(default_config, "stockholm", "stockholm", kind="counts_survy")
        with pytest.raises(ConfigError, match="unknown presentation kind 'counts_survy'; did you mean 'counts_survey'"):
            present.present(wrong, ["stockholm"], processed, tmp_path)
