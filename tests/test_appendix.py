"""Appendices A (codebook) and B (provenance), built after the pipeline as `assemble` does, and the
table options they use (relative widths, tables that may break across PDF pages)."""

import re

import pandas as pd
import pytest
import yaml

from analysis import appendix, paths, tables

QMD = paths.REPORT / "sections" / "_bilagor.qmd"


@pytest.fixture(scope="module")
def built(pipeline_run):
    config, processed, assets = pipeline_run
    appendix.build(assets, config, processed_dir=processed)
    return config, processed, assets


def table_rows(markdown: str) -> list[list[str]]:
    """The cells as text: the table's Markdown escapes (analysis.escape) read back."""
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    return [
        [re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", cell.strip()) for cell in re.split(r"(?<!\\) \| ", line.strip("|"))]
        for line in lines[1:]
    ]


class TestCodebook:
    def test_every_processed_column_is_documented(self, built):
        _, processed, assets = built
        codebook = appendix.processed_codebook(processed)
        for file in appendix.PROCESSED_COLUMNS:
            columns = list(pd.read_csv(processed / file, nrows=0).columns)
            assert codebook.loc[codebook["file"] == file, "column"].tolist() == columns
        assert codebook["description"].str.len().min() > 5
        rows = table_rows((assets / "tbl-app-processed.md").read_text(encoding="utf-8"))
        assert len(rows) == len(codebook)

    def test_the_seven_processed_tables(self):
        assert set(appendix.PROCESSED_COLUMNS) == {
            "shares.csv",
            "reproduction.csv",
            "oj_2015_kommun.csv",
            "breakdowns.csv",
            "tests.csv",
            "cross_source.csv",
            "oj_vs_nation.csv",
        }

    def test_an_undocumented_column_fails(self, built, tmp_path):
        _, processed, _ = built
        for file in appendix.PROCESSED_COLUMNS:
            (tmp_path / file).write_bytes((processed / file).read_bytes())
        frame = pd.read_csv(tmp_path / "tests.csv")
        frame.assign(surprise=1).to_csv(tmp_path / "tests.csv", index=False)
        with pytest.raises(appendix.UndocumentedColumnError, match="tests.csv: column 'surprise'"):
            appendix.processed_codebook(tmp_path)

    def test_a_documented_column_that_is_gone_fails(self, built, tmp_path):
        _, processed, _ = built
        for file in appendix.PROCESSED_COLUMNS:
            (tmp_path / file).write_bytes((processed / file).read_bytes())
        pd.read_csv(tmp_path / "tests.csv").drop(columns="p_holm").to_csv(tmp_path / "tests.csv", index=False)
        with pytest.raises(appendix.UndocumentedColumnError, match="'p_holm' is described but not in the table"):
            appendix.processed_codebook(tmp_path)

    def test_a_missing_processed_table_fails(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="run the notebooks first"):
            appendix.processed_codebook(tmp_path)

    def test_raw_tables_with_row_counts_and_codebook(self, built):
        config, _, assets = built
        inventory = appendix.raw_inventory(config, paths.ROOT).set_index("source")
        assert inventory.loc["stockholm_2008", "files"] == {"counts.csv": 129}
        assert inventory.loc["skl_2016", "files"]["oj_values.csv"] == 480
        assert inventory.loc["dalarna_2020", "files"]["coding.csv"] == 240
        assert inventory.loc["reference", "files"]["kommuner.csv"] == 290
        assert inventory.loc["stockholm_2008", "codebook"] == "data/raw/stockholm_2008/codebook.csv"
        text = (assets / "tbl-app-raw.md").read_text(encoding="utf-8")
        assert "counts.csv (129)" in text and "oj_values.csv (480)" in text
        assert len(table_rows(text)) == len(config["sources"]) + 1


class TestProvenance:
    def test_one_row_per_number_and_per_figure_or_table_with_all_its_source_refs(self, built):
        _, _, assets = built
        provenance = pd.concat(
            [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted((assets / "provenance").glob("*.csv"))],
            ignore_index=True,
        )
        assert len(provenance) > 100 and (provenance["source_ref"].str.strip() != "").all()
        numbers = table_rows((assets / "tbl-app-provenance-numbers.md").read_text(encoding="utf-8"))
        items = table_rows((assets / "tbl-app-provenance-items.md").read_text(encoding="utf-8"))
        refs = table_rows((assets / "tbl-app-provenance-refs.md").read_text(encoding="utf-8"))
        key_to_ref = {key: ref for key, ref in refs}
        is_number = provenance["variable"].map(appendix.item_kind) == "number"
        expected = sorted(
            (v, val, tuple(sorted(appendix.split_refs(r))))
            for v, val, r in zip(
                provenance.loc[is_number, "variable"],
                provenance.loc[is_number, "value"],
                provenance.loc[is_number, "source_ref"],
            )
        )
        for item, cells in provenance[~is_number].groupby("variable")["source_ref"]:
            expected.append((item, "", tuple(sorted({r for cell in cells for r in appendix.split_refs(cell)}))))
        shown = [(r[0], r[1], r[2]) for r in numbers] + [(r[0], "", r[1]) for r in items]
        resolved = sorted(
            (name.replace(appendix.ZWSP, ""), value, tuple(sorted(key_to_ref[k] for k in expand(keys))))
            for name, value, keys in shown
        )
        assert resolved == sorted(expected)

    def test_appendix_b_writes_no_provenance_of_its_own(self, built):
        _, _, assets = built
        for table_id in appendix.APPENDIX_B_IDS:
            assert (assets / f"{table_id}.md").exists()
            assert not (assets / "provenance" / f"{table_id}.csv").exists()

    def test_a_second_build_gives_the_same_appendix(self, built):
        config, processed, assets = built
        before = {p.name: p.read_text(encoding="utf-8") for p in assets.glob("tbl-app-*.md")}
        appendix.build(assets, config, processed_dir=processed)
        after = {p.name: p.read_text(encoding="utf-8") for p in assets.glob("tbl-app-*.md")}
        assert before == after

    def test_a_row_without_source_ref_is_an_error(self, tmp_path):
        (tmp_path / "provenance").mkdir()
        pd.DataFrame([{"variable": "x.y", "value": "1", "description": "d", "source_ref": " "}]).to_csv(
            tmp_path / "provenance" / "x.csv", index=False
        )
        with pytest.raises(ValueError, match="without source_ref"):
            appendix.provenance_rows(tmp_path)

    def test_the_appendix_numbers(self, built):
        _, _, assets = built
        variables = yaml.safe_load((assets / "vars" / "appendix.yml").read_text(encoding="utf-8"))["appendix"]
        assert variables["processed_files"] == "7"
        assert variables["raw_folders"] == "6" and variables["raw_tables"] == "21"


def expand(keys: str) -> list[str]:
    """'K1–K3, K7' → ['K1', 'K2', 'K3', 'K7'] (the inverse of appendix.ref_keys)."""
    out = []
    for part in keys.split(", "):
        first, _, last = part.partition("–")
        start, end = int(first[1:]), int((last or first)[1:])
        out += [f"K{i}" for i in range(start, end + 1)]
    return out


class TestRefKeys:
    def test_runs_are_joined(self):
        ref = "00{}_0123456789abcdef.txt § A".format
        numbers = {ref(i): i for i in range(1, 10)}
        assert appendix.ref_keys("; ".join(ref(i) for i in (1, 2, 3, 5)), numbers) == "K1–K3, K5"
        assert appendix.ref_keys(ref(4), numbers) == "K4"

    def test_joined_refs_split_only_before_a_source_file(self):
        one = "kommuner.csv; name_aliases.csv (line 3)"
        assert appendix.split_refs(one) == [one]
        two = "001_ef6ed4fd332bf2ed.txt § A; 002_87c9ca1a3933a024.txt § B"
        assert appendix.split_refs(two) == ["001_ef6ed4fd332bf2ed.txt § A", "002_87c9ca1a3933a024.txt § B"]


class TestTableOptions:
    def test_breakable_wraps_the_table_in_raw_typst(self, tmp_path):
        frame = pd.DataFrame({"a": ["x"]})
        path = tables.save("tbl-x", frame, "Text.", tmp_path, source_refs=["r"], breakable=True)
        text = path.read_text(encoding="utf-8")
        assert text.startswith(tables.BREAKABLE_OPEN) and text.rstrip().endswith("```")
        assert "::: {#tbl-x}" in text
        plain = tables.save("tbl-y", frame, "Text.", tmp_path, source_refs=["r"]).read_text(encoding="utf-8")
        assert plain.startswith("::: {#tbl-y}")


class TestText:
    def test_headings_and_includes(self):
        text = QMD.read_text(encoding="utf-8")
        assert text.startswith("# Bilaga A. Kodbok {.unnumbered}")
        assert "# Bilaga B. Proveniens {.unnumbered}" in text
        assert "# Bilaga C. Reproducerbarhet {#sec-bilaga-c .unnumbered}" in text
        for item in ("tbl-app-processed", "tbl-app-raw", *appendix.APPENDIX_B_IDS):
            assert f"{{{{< include _generated/{item}.md >}}}}" in text and f"@{item}" in text

    def test_every_variable_is_defined_and_no_number_typed(self, built):
        _, _, assets = built
        variables = yaml.safe_load((assets / "vars" / "appendix.yml").read_text(encoding="utf-8"))["appendix"]
        text = QMD.read_text(encoding="utf-8")
        used = re.findall(r"\{\{< var appendix\.(\w+) >\}\}", text)
        assert used and set(used) <= set(variables)
        assert re.findall(r"\d+", re.sub(r"\{\{<.*?>\}\}", "", text)) == ["1", "2"]  # "K1, K2 …"

    def test_no_nan_in_generated_text(self, built):
        _, _, assets = built
        for path in assets.glob("tbl-app-*.md"):
            assert not re.search(r"\bnan\b", path.read_text(encoding="utf-8"), re.I), path.name


def test_an_edition_lists_only_what_its_text_and_includes_show(tmp_path):
    (tmp_path / "sections").mkdir()
    (tmp_path / "_generated").mkdir()
    (tmp_path / "ed.qmd").write_text("{{< include sections/_a.qmd >}}\n\n{{< var x.y >}}\n")
    (tmp_path / "sections" / "_a.qmd").write_text(
        "{{< var a.b >}}\n\n{{< include _generated/fig-f.md >}}\n\n{{< include _generated/tbl-not-written-yet.md >}}\n"
    )
    (tmp_path / "_generated" / "fig-f.md").write_text("figure")
    assert appendix.items_in_document(tmp_path / "ed.qmd", tmp_path) == {"x.y", "a.b", "fig-f", "tbl-not-written-yet"}
