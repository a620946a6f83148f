"""The sources at a glance (analysis.sections.overview): Tabell 1 is for the report's readers, so
it carries no technical columns; how many rows were transcribed stays a number for the technical
companion."""

import yaml

from analysis.sections import overview


def test_the_sources_table_has_no_transcribed_rows_column(default_config, combined_tables, tmp_path):
    overview.build(combined_tables, default_config, tmp_path)
    table = (tmp_path / "tbl-sources.md").read_text(encoding="utf-8")
    header = next(line for line in table.splitlines() if line.startswith("| "))
    assert [c.strip() for c in header.strip("|").split("|")] == ["Källa", "År", "Område", "Design", "Omfattning"]
    assert "ranskriber" not in table and "rader" not in table
    numbers = yaml.safe_load((tmp_path / "vars" / "overview.yml").read_text(encoding="utf-8"))["overview"]
    assert int(numbers["rows_total"].replace("\u00a0", "")) > 0  # still there for the companion


def test_the_title_block_has_no_version_and_no_technical_words(default_config):
    from analysis import paths

    report = default_config["report"]
    assert "reproducerbar" not in (report["subtitle"] + " ".join(str(a) for a in report["authors"])).lower()
    for name in ("rapport.qmd", "rapport-stockholm.qmd", "rapport-sormland.qmd", "rapport-dalarna.qmd"):
        front = (paths.REPORT / name).read_text(encoding="utf-8").split("---")[1]
        assert yaml.safe_load(front)["version"] == "", name  # the companion keeps the config's version


def test_a_design_note_follows_the_design_in_the_sources_table(default_config, combined_tables, tmp_path):
    source = {"design": "purposive", "design_note": "rikets andelar: enkät till alla"}
    assert overview.design_text(source) == "strategiskt urval; rikets andelar: enkät till alla"
    assert overview.design_text({"design": "census"}) == "totalundersökning"
    overview.build(combined_tables, default_config, tmp_path)
    table = (tmp_path / "tbl-sources.md").read_text(encoding="utf-8")
    noted = [s for s in default_config["sources"].values() if s.get("design_note")]
    assert noted and all(s["design_note"] in table for s in noted)


def test_a_source_whose_base_is_not_printed_is_not_called_a_census(default_config, combined_tables, tmp_path):
    """Länsstyrelserna 2015 and Dalarna 2020: every unit took part, but the base of their numbers is
    not printed; Sörmland 2019 visited every municipality for talks, not interviews. Tabell 1 says what
    they are (design_text) instead of "totalundersökning"."""
    source = {"design": "census", "design_note": "x", "design_text": "alla redovisade; basen anges inte"}
    assert overview.design_text(source) == "alla redovisade; basen anges inte"
    overview.build(combined_tables, default_config, tmp_path)
    table = (tmp_path / "tbl-sources.md").read_text(encoding="utf-8")
    for source_id in ("lansstyrelserna_2015", "dalarna_2020", "sormland_2019"):
        text = default_config["sources"][source_id]["design_text"]
        row = next(line for line in table.splitlines() if text in line)
        assert "totalundersökning" not in row
    assert "besök i alla kommuner" in default_config["sources"]["sormland_2019"]["design_text"]
    assert "gruppintervjuer" in default_config["sources"]["dalarna_2020"]["design_text"]
    assert default_config["sources"]["dalarna_2020"]["design"] == "census"  # shares.csv keeps the code


def test_the_sources_table_names_each_source_by_its_short_name(default_config, combined_tables, tmp_path):
    """Tabell 1 uses the short names the Inledning declares (combined_sections.short_title)."""
    overview.build(combined_tables, default_config, tmp_path)
    table = (tmp_path / "tbl-sources.md").read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| ")][1:]
    names = [row.strip("|").split("|")[0].strip() for row in rows]
    expected = [s["combined_sections"]["short_title"] for s in default_config["sources"].values()]
    assert names == expected
