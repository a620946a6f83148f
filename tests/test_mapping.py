"""A county's own mapping (analysis.mapping): exports as survey tools write them, the draft codebook,
coding sheets in both layouts, the config, and the chain new-mapping → validate → report sections."""

import csv
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.io import read_raw_csv
from analysis.mapping import build, compute, new, present
from analysis.mapping import codebook as cb
from analysis.mapping import config as mapping_config
from analysis.mapping.coding import read_coding
from analysis.mapping.errors import CodingSheetError, ExportError, MappingConfigError, SurveyCodebookError
from analysis.mapping.export import county_of, find_unit_column, metadata_columns, read_export
from analysis.normalise import MunicipalityIndex
from analysis.readers import read_table

EXAMPLES = paths.ROOT / "data" / "examples" / "kartlaggning"
REFERENCE = paths.ROOT / "data" / "raw" / "reference"
FORMS_ANSWERS = Path(__file__).parent / "data" / "mapping" / "forms_answers.csv"
FORMS_METADATA = ["ID", "Starttid", "Slutförandetid", "E-post", "Namn", "Senaste ändringstid"]  # as Forms names them
JAMTLAND = ["Ragunda", "Bräcke", "Krokom", "Strömsund", "Åre", "Berg", "Härjedalen"]  # Östersund does not answer


@pytest.fixture(scope="module")
def index():
    return MunicipalityIndex.from_reference(REFERENCE)


@pytest.fixture(scope="module")
def kommuner():
    return read_raw_csv(REFERENCE / "kommuner.csv")


def excel_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A CSV as Swedish Excel saves it: Windows-1252, semicolons, CRLF."""

    def quote(cell: str) -> str:
        return f'"{cell}"' if ";" in cell else cell

    path.write_bytes(("\r\n".join(";".join(quote(c) for c in r) for r in [header, *rows]) + "\r\n").encode("cp1252"))
    return path


def forms_export(path: Path, municipalities=JAMTLAND, extra_rows=()) -> Path:
    """Microsoft Forms' column layout (ID first, times, e-post, namn), saved by Swedish Excel; the answers
    to the six questions (tests/data/mapping/forms_answers.csv) go round the municipalities in turn."""
    with FORMS_ANSWERS.open(encoding="utf-8", newline="") as f:
        questions, *answers = csv.reader(f)
    header = [*FORMS_METADATA, "Vilken kommun svarar du för?", *questions]
    rows = []
    for i, name in enumerate(municipalities):
        day = f"2025-03-0{i + 1}"
        person = [f"anna{i}@kommun.se", f"Anna Andersson {i}"]
        rows.append([str(i + 1), f"{day} 09:00", f"{day} 09:20", *person, f"{day} 09:20", f"{name} kommun"])
        rows[-1] += answers[i % len(answers)]
    rows += [list(r) for r in extra_rows]
    return excel_csv(path, header, rows)


class TestFindUnitColumn:
    def test_found_by_values_not_by_position_or_header(self, tmp_path, index):
        table = read_table(forms_export(tmp_path / "forms.csv"))
        assert list(table.frame.columns)[0] == "ID"
        assert find_unit_column(table, index) == "Vilken kommun svarar du för?"

    def test_codes_also_as_excel_shows_them_without_leading_zero(self, tmp_path, index):
        path = excel_csv(
            tmp_path / "codes.csv", ["Löpnummer", "Kommun nr", "Fråga"], [["1", "180", "Ja"], ["2", "0114", "Nej"]]
        )
        assert find_unit_column(read_table(path), index) == "Kommun nr"

    def test_no_municipality_column_is_refused(self, tmp_path, index):
        path = excel_csv(tmp_path / "none.csv", ["ID", "Fråga"], [["1", "Ja"], ["2", "Nej"]])
        with pytest.raises(ExportError, match="no column holds municipality names"):
            find_unit_column(read_table(path), index)


class TestMetadata:
    @pytest.mark.parametrize(
        "header",
        [
            *FORMS_METADATA,
            "Tidstämpel",
            "E-postadress",
            "Respondent ID",
            "Startdatum",
            "Status",
            "Språk",
        ],
    )
    def test_survey_tools_metadata_headers(self, tmp_path, header):
        path = excel_csv(tmp_path / "m.csv", [header, "Kommun"], [["x", "Åre"], ["y", "Berg"]])
        assert metadata_columns(read_table(path), "Kommun") == [header]

    def test_metadata_by_values(self, tmp_path):
        path = excel_csv(
            tmp_path / "m.csv",
            ["Inskickat den", "Svarandens adress", "Kommun"],
            [["2025-01-02 10:11", "a@b.se", "Åre"], ["2025-01-03 08:00", "c@d.se", "Berg"]],
        )
        assert metadata_columns(read_table(path), "Kommun") == ["Inskickat den", "Svarandens adress"]


class TestReadExport:
    def test_county_and_rows(self, tmp_path, index, kommuner):
        export = read_export(forms_export(tmp_path / "f.csv"), index, county_of(kommuner, "Jämtlands län"))
        assert list(export.units["kommun"]) == JAMTLAND
        assert "ID" in export.metadata and "Namn" in export.metadata
        assert len(export.questions) == 6

    def test_two_rows_for_one_municipality_refused_with_both_rows(self, tmp_path, index, kommuner):
        path = forms_export(tmp_path / "f.csv", extra_rows=[["9", "", "", "", "", "", "Åre", "Ja", "", "", "", "", ""]])
        with pytest.raises(ExportError, match=r"row 9.*same municipality \(Åre\) as row 6"):
            read_export(path, index, county_of(kommuner, "Jämtland"))

    def test_another_countys_municipality_refused_unless_accepted(self, tmp_path, index, kommuner):
        path = forms_export(
            tmp_path / "f.csv", extra_rows=[["9", "", "", "", "", "", "Sundsvall", "Ja", "", "", "", "", ""]]
        )
        with pytest.raises(ExportError, match="'Sundsvall' .* is not in Jämtlands län"):
            read_export(path, index, county_of(kommuner, "Jämtlands län"))
        export = read_export(path, index, county_of(kommuner, "Jämtlands län"), accept=["Sundsvall"])
        assert "Sundsvall" in set(export.units["kommun"])

    def test_unknown_municipality_names_the_closest(self, tmp_path, index, kommuner):
        path = forms_export(
            tmp_path / "f.csv", extra_rows=[["9", "", "", "", "", "", "Östersnd", "Ja", "", "", "", "", ""]]
        )
        with pytest.raises(ExportError, match=r"row 9, column 'Vilken kommun svarar du för\?' \(G\).*Östersund"):
            read_export(path, index, county_of(kommuner, "Jämtlands län"))


class TestInfer:
    def types(self, tmp_path, index, kommuner):
        export = read_export(forms_export(tmp_path / "f.csv"), index, county_of(kommuner, "Jämtlands län"))
        return {q.text: q for q in cb.draft(export)}

    def test_types_of_a_forms_export(self, tmp_path, index, kommuner):
        q = self.types(tmp_path, index, kommuner)
        plan = q["Har kommunen en handlingsplan mot våld i nära relationer?"]
        assert (plan.type, plan.yes, plan.partly) == ("yes_no", ["Ja"], ["Delvis"])
        assert "Vet ej" in plan.options
        support = q["Vilka insatser erbjuds?"]
        assert support.type == "multi_select"
        assert support.options == ["Stödsamtal", "Skyddat boende", "Juridisk rådgivning"]
        staff = q["Hur många handläggare arbetar med våldsärenden?"]
        assert (staff.type, staff.yes) == ("number", [">0"])
        rating = q["Hur väl fungerar samverkan med polisen?"]
        assert rating.type == "rating" and rating.yes == ["Ganska bra", "Mycket bra"] and rating.options[-1] == "Vet ej"
        assert q["Kommentar"].type == "free_text"

    def test_google_checkboxes_with_commas(self):
        values = pd.Series(["Stödsamtal, Skyddat boende", "Stödsamtal", "Skyddat boende, Jour", "Jour, Stödsamtal"])
        kind, options, _, _ = cb.infer("Vilka insatser?", values)
        assert kind == "multi_select" and set(options) == {"Stödsamtal", "Skyddat boende", "Jour"}

    def test_a_semicolon_in_one_free_text_answer_is_not_a_multi_select(self):
        values = pd.Series(
            [
                "Kompetensutveckling",
                'Barnens röst; "samverkan"',
                None,
                "Kompetensutveckling",
                "Fler platser i skyddat boende",
            ]
        )
        assert cb.infer("Beskriv kort ert viktigaste utvecklingsområde", values)[0] == "free_text"
        distinct = pd.Series(["Barnens röst; samverkan", "Mer utbildning", "Fler platser i skyddat boende"])
        assert cb.infer("Utvecklingsområde", distinct)[0] == "free_text"

    def test_one_cell_multi_select_without_trailing_semicolon(self):
        values = pd.Series(["Stödsamtal;Skyddat boende", "Stödsamtal", "Skyddat boende;Stödsamtal"])
        kind, options, _, _ = cb.infer("Vilka insatser?", values)
        assert kind == "multi_select" and options == ["Stödsamtal", "Skyddat boende"]

    def test_socialtjansten_in_a_question_is_not_a_position(self):
        assert cb.group_of("Hur bedömer du kompetensen i socialtjänsten (1–5)?") == "Kompetens"
        assert cb.group_of("Frågar socialtjänsten rutinmässigt om våld?") == "Upptäckt av våld"
        assert cb.group_of("Hur många tjänster finns för samordning?") == "Styrning och samordning"

    def test_groups_in_report_order_with_own_groups_before_the_rest(self):
        used = ["Samverkan", "Övriga frågor", "Styrning och samordning", "Egen grupp", "Samverkan"]
        assert cb.group_order(used) == ["Styrning och samordning", "Samverkan", "Egen grupp", "Övriga frågor"]

    def test_labelled_numeric_scale(self):
        kind, options, yes, _ = cb.infer("Kompetens", pd.Series(["1 - Mycket låg", "4", "5 - Mycket hög", "3"]))
        assert kind == "rating" and options == ["1 - Mycket låg", "2", "3", "4", "5 - Mycket hög"]
        assert yes == ["4", "5 - Mycket hög"]

    def test_option_columns_are_one_multi_select(self):
        assert cb.option_groups(["Insatser - Stödsamtal", "Insatser - Jour", "Kommun"]) == {
            "Insatser": [("Insatser - Stödsamtal", "Stödsamtal"), ("Insatser - Jour", "Jour")]
        }

    def test_numbering_is_not_part_of_the_question(self):
        assert cb.question_text("12. Har ni en rutin?") == "Har ni en rutin?"
        assert cb.question_text("F3 Har ni en rutin?") == "Har ni en rutin?"


class TestAnswers:
    def setup_export(self, tmp_path, index, kommuner):
        export = read_export(forms_export(tmp_path / "f.csv"), index, county_of(kommuner, "Jämtlands län"))
        questions = cb.draft(export)
        cb.write(questions, tmp_path / "kodbok.csv")
        return export, cb.read(tmp_path / "kodbok.csv", export)

    def test_codebook_round_trip_and_blank_never_no(self, tmp_path, index, kommuner):
        export, questions = self.setup_export(tmp_path, index, kommuner)
        answers = cb.answers(export, questions)
        plan = answers[answers["question"] == "f01"]
        assert len(plan) == 6  # Åre left it blank: no row, not "no"
        assert "Åre" not in set(plan["kommun"])
        staff = answers[answers["question"] == "f03"].set_index("kommun")
        assert staff.at["Ragunda", "value"] == 2.5 and staff.at["Åre", "code"] == "dont_know"

    def test_answer_not_in_the_codebook_is_refused(self, tmp_path, index, kommuner):
        export, questions = self.setup_export(tmp_path, index, kommuner)
        questions[1].options = ["Stödsamtal", "Skyddat boende"]
        with pytest.raises(SurveyCodebookError, match="'Juridisk rådgivning' is not an option of f02"):
            cb.answers(export, questions)

    def test_codebook_with_unknown_type_and_column(self, tmp_path, index, kommuner):
        export, _ = self.setup_export(tmp_path, index, kommuner)
        frame = pd.read_csv(tmp_path / "kodbok.csv", sep=";", dtype=str, encoding="utf-8-sig")
        frame.loc[0, "type"] = "janej"
        frame.loc[1, "columns"] = "Finns inte"
        frame.to_csv(tmp_path / "kodbok.csv", sep=";", index=False, encoding="utf-8-sig")
        with pytest.raises(SurveyCodebookError) as error:
            cb.read(tmp_path / "kodbok.csv", export)
        assert "row 2, column 'type'" in str(error.value) and "unknown type 'janej'" in str(error.value)
        assert "the export has no column 'Finns inte'" in str(error.value)


class TestCodingSheets:
    def test_matrix_with_merged_theme_cells(self, index):
        coding, codes, layout = read_coding(EXAMPLES / "gavleborg_2024_kodning_matris.xlsx", index)
        assert layout == "matrix"
        assert codes["theme"].tolist()[:3] == ["Samordning och styrning"] * 3
        assert set(coding["status"]) <= {"yes", "not_reported", "no"}
        assert coding["kommun"].nunique() == 6

    def test_theme_cells_csv(self, index):
        coding, codes, layout = read_coding(EXAMPLES / "kronoberg_2023_kodning_teman.csv", index)
        assert layout == "theme_cells"
        vaxjo = coding[(coding["kommun"] == "Växjö") & (coding["code"] == "Behandling")]
        assert vaxjo["status"].tolist() == ["no"]  # "nej: Behandling"
        assert list(dict.fromkeys(codes["theme"])) == ["Styrning", "Upptäckt", "Barn", "Våldsutövare"]  # sheet order

    def test_matrix_csv_theme_written_once(self, tmp_path, index):
        path = excel_csv(tmp_path / "m.csv", ["", "Styrning", "", "Stöd"], [])
        path.write_bytes(
            path.read_bytes()
            + "Kommun;Samordnare;Handlingsplan;Jour\r\nÅre;X;;1\r\nBergs kommun;;x;\r\n".encode("cp1252")
        )
        coding, codes, layout = read_coding(path, index)
        assert layout == "matrix"
        assert codes.values[:, :2].tolist() == [
            ["Styrning", "Samordnare"],
            ["Styrning", "Handlingsplan"],
            ["Stöd", "Jour"],
        ]
        are = coding[coding["kommun"] == "Åre"].set_index("code")["status"]
        assert are.to_dict() == {"Samordnare": "yes", "Handlingsplan": "not_reported", "Jour": "yes"}

    @pytest.mark.parametrize(
        "header, row, message",
        [
            (["Kommun", "Samordnare", "", "Jour"], ["Åre", "X", "x", "1"], "column C has marks but no code"),
            (["Kommun", "Styrning", ""], ["Åre", "Samordnare", "Plan"], "column C has codes but no theme"),
        ],
    )
    def test_a_column_without_a_heading_is_named(self, tmp_path, index, header, row, message):
        path = excel_csv(tmp_path / "t.csv", header, [row, ["Bergs kommun", *row[1:]]])
        with pytest.raises(CodingSheetError, match=rf"t\.csv, row 1: {message} in the header row; expected a"):
            read_coding(path, index)

    def test_unknown_municipality_in_the_sheet(self, tmp_path, index):
        path = excel_csv(tmp_path / "t.csv", ["Kommun", "Styrning"], [["Åre", "Samordnare"], ["Berrg", "Plan"]])
        with pytest.raises(CodingSheetError, match="row 3, column 'Kommun' \\(A\\): unknown municipality 'Berrg'"):
            read_coding(path, index)

    def test_municipality_of_another_county_in_the_sheet(self, tmp_path, index, kommuner):
        path = excel_csv(tmp_path / "t.csv", ["Kommun", "Styrning"], [["Åre", "Samordnare"], ["Växjö", "Plan"]])
        jamtland = county_of(kommuner, "Jämtlands län")
        with pytest.raises(
            CodingSheetError, match=r"row 3.*'Växjö' \(Växjö\) is not in Jämtlands län.*accept_municipalities"
        ):
            read_coding(path, index, county=jamtland)
        coding, _, _ = read_coding(path, index, county=jamtland, accept=["Växjö"])
        assert set(coding["kommun"]) == {"Åre", "Växjö"}

    def test_new_mapping_refuses_a_coding_sheet_of_another_county(self, project):
        export = forms_export(project / "svar.csv")
        sheet = excel_csv(project / "kod.csv", ["Kommun", "Styrning"], [["Åre", "Samordnare"], ["Växjö", "Plan"]])
        with pytest.raises(CodingSheetError, match="is not in Jämtlands län"):
            new.new_mapping("Jämtlands län", 2025, export, coding=sheet, root=project, out=lambda *_: None)
        assert not (project / "mappings" / "jamtland-2025" / "config.yml").exists()


class TestConfig:
    def test_slug(self):
        assert mapping_config.slug_for("Gävleborgs län", 2024) == "gavleborg-2024"
        assert mapping_config.slug_for("Jämtlands län", 2025) == "jamtland-2025"

    def test_unknown_county_and_missing_file(self, project):
        tmp_path = project
        path = tmp_path / "config.yml"
        path.write_text(
            "mapping: {county: Jämtlandia, year: 2025}\nsurvey: {export: nope.csv, codebook: k.csv}\n", encoding="utf-8"
        )
        with pytest.raises(MappingConfigError) as error:
            mapping_config.load(path, tmp_path)
        assert "'Jämtlandia' is not a county; did you mean 'Jämtlands län'?" in str(error.value)
        assert "survey.export: the file nope.csv does not exist" in str(error.value)


@pytest.fixture
def project(tmp_path):
    """A project folder with the reference data (the config's paths are relative to it)."""
    shutil.copytree(REFERENCE, tmp_path / "data" / "raw" / "reference")
    return tmp_path


class TestNewMappingToReport:
    def test_forms_export_gives_a_report_about_that_county(self, project):
        export = forms_export(project / "svar.csv")
        printed = []
        config_path = new.new_mapping("Jämtlands län", 2025, export, root=project, out=printed.append)
        assert config_path == project / "mappings" / "jamtland-2025" / "config.yml"
        assert any("Svarade inte: Östersund." in line for line in printed)
        assert any("make report CONFIG=mappings/jamtland-2025/config.yml" in line for line in printed)
        message = build.validate(config_path, project)
        assert message.startswith("OK: Jämtlands län 2025: 7 of 8 municipalities answered, 6 questions")
        config = mapping_config.load(config_path, project)
        tables = compute.compute(config, comparisons=False)
        compute.write(tables, project / "processed")
        body = present.present(project / "processed", project / "assets").read_text(encoding="utf-8")
        assert "Jämtlands län" in body and "Östersund svarade inte" in body
        assert "uppgift saknas" not in body
        assert "Stockholms län" not in body and "Dalarna" not in body
        assert "svar på 1 fråga." in body and "1 frågor" not in body  # one free-text question
        headings = [line[3:] for line in body.splitlines() if line.startswith("## ")]
        results = [h for h in headings if h in set(tables["questions"]["group"])]
        assert results == cb.group_order(tables["questions"]["group"])  # report order, not the export's
        assert results.index("Upptäckt av våld") < results.index("Samverkan") and results[-1] == "Övriga frågor"
        for qid in tables["questions"]["id"]:
            assert qid in body or any(qid in p.read_text(encoding="utf-8") for p in (project / "assets").glob("*.md"))
        everything = body + "".join(p.read_text(encoding="utf-8") for p in (project / "assets").glob("*.md"))
        assert "<b>mer</b>" not in everything and "{{< include x >}}" not in everything  # input text is data
        assert "[länk](http" not in everything and "*inte alls*" not in everything
        import pypandoc

        shown = " ".join(pypandoc.convert_text(body, "html", format="markdown").split())  # what a reader sees
        assert "Vi behöver &lt;b&gt;mer&lt;/b&gt; utbildning {{&lt; include x &gt;}}" in shown
        assert "Resurserna räcker inte [länk](http://x) | *inte alls*" in shown
        assert "Anna Andersson" not in everything and "anna0@kommun.se" not in everything  # metadata left out
        quotes = tables["quotes"]
        assert "kommun" not in quotes.columns  # free text never beside the municipality's name
        import json

        from analysis import figures

        layout = json.loads((project / "assets" / "fig-kl-grupp-1.json").read_text(encoding="utf-8"))["layout"]
        assert layout["width"] == figures.WIDTH  # printed at the text's width: not enlarged, not taller than a page


class TestQuotes:
    def test_no_comment_answers_are_not_quoted(self, project):
        comments = ["Ingen kommentar", "-", "Inga kommentarer.", "Vet ej", "Bra samarbete med jouren.", "", "nej"]
        rows = [[str(i + 1), name + " kommun", "Ja", comments[i]] for i, name in enumerate(JAMTLAND)]
        export = excel_csv(
            project / "svar.csv", ["ID", "Kommun", "Har kommunen en handlingsplan?", "Övriga kommentarer"], rows
        )
        config_path = new.new_mapping("Jämtlands län", 2025, export, root=project, out=lambda *_: None)
        tables = compute.compute(mapping_config.load(config_path, project), comparisons=False)
        assert tables["quotes"]["text"].tolist() == ["Bra samarbete med jouren."]

    def test_an_export_without_free_text(self, project):
        rows = [[name, "Ja" if i % 2 else "Nej"] for i, name in enumerate(JAMTLAND)]
        export = excel_csv(project / "svar.csv", ["Kommun", "Har kommunen en handlingsplan?"], rows)
        config_path = new.new_mapping("Jämtlands län", 2025, export, root=project, out=lambda *_: None)
        quotes = compute.compute(mapping_config.load(config_path, project), comparisons=False)["quotes"]
        assert quotes.empty and list(quotes.columns) == ["question", "text"]

    def test_a_free_text_question_without_anything_to_quote_points_nowhere(self, project):
        rows = [[name, "Ja", "Ingen kommentar" if i % 2 else "-"] for i, name in enumerate(JAMTLAND)]
        export = excel_csv(
            project / "svar.csv", ["Kommun", "Har kommunen en handlingsplan?", "Övriga kommentarer"], rows
        )
        config_path = new.new_mapping("Jämtlands län", 2025, export, root=project, out=lambda *_: None)
        tables = compute.compute(mapping_config.load(config_path, project), comparisons=False)
        compute.write(tables, project / "processed")
        body = present.present(project / "processed", project / "assets").read_text(encoding="utf-8")
        assert "sec-kl-citat" not in body and "inget av svaren innehöll en kommentar" in body
        assert "Ingen kommentar" not in body


class TestHeatmapFitsAPage:
    def test_few_municipalities_keep_full_rows(self):
        assert present.heatmap_height(7) == 130 + 34 * 7

    @pytest.mark.parametrize("rows", [26, 33, 49])
    def test_large_counties_fit_one_pdf_page(self, rows):
        assert present.heatmap_height(rows) <= present.HEATMAP_MAX
        assert (present.heatmap_height(rows) - 130) / rows >= 20  # rows still readable

    def test_existing_mapping_is_not_overwritten(self, project):
        export = forms_export(project / "svar.csv")
        new.new_mapping("Jämtlands län", 2025, export, root=project, out=lambda *_: None)
        with pytest.raises(MappingConfigError, match="already exists"):
            new.new_mapping("Jämtlands län", 2025, export, root=project, out=lambda *_: None)


class TestExamples:
    """The committed made-up examples: Netigate (.xlsx and Swedish-Excel CSV) and Esmaker (CSV)."""

    @pytest.mark.parametrize("name", ["gavleborg_2024_netigate.xlsx", "gavleborg_2024_netigate_excel.csv"])
    def test_xlsx_and_csv_give_the_same_answers(self, name, index, kommuner):
        config = mapping_config.load(paths.ROOT / "mappings" / "gavleborg-2024" / "config.yml")
        export = read_export(EXAMPLES / name, index, config.county)
        answers = cb.answers(export, cb.read(config.file("survey", "codebook"), export))
        reference = read_export(EXAMPLES / "gavleborg_2024_netigate.xlsx", index, config.county)
        expected = cb.answers(reference, cb.read(config.file("survey", "codebook"), reference))
        pd.testing.assert_frame_equal(answers.drop(columns="answer"), expected.drop(columns="answer"))

    def test_two_rounds_show_the_change(self):
        config = mapping_config.load(paths.ROOT / "mappings" / "gavleborg-2024" / "config.yml")
        tables = compute.compute(config, comparisons=False)
        change = tables["change"]
        assert set(change["previous_year"]) == {2022}
        assert change["changed"].notna().sum() > 0
        staff = change[change["question"] == "f10"]
        assert not staff[staff["kommun"] == "Söderhamn"]["changed"].iloc[0]  # 1,5 (CSV) = 1.5 (xlsx)

    def test_comparison_with_published_tables(self, tmp_path):
        config = mapping_config.load(paths.ROOT / "mappings" / "kronoberg-2023" / "config.yml")
        published = tmp_path / "published"
        published.mkdir()
        pd.DataFrame(
            [
                {
                    "theme": "coordinator",
                    "theme_label": "Samordnare",
                    "source": "x",
                    "region": "x",
                    "area": "Stockholms län",
                    "year": "2008",
                    "indicator": "c",
                    "category": "yes",
                    "figure_n": "19",
                    "figure_N": "39",
                    "share": "0.487",
                    "published_percent": "",
                    "unit": "kommuner",
                    "definition": "Def",
                    "definitions_differ": "False",
                    "comparable": "yes",
                    "note": "",
                    "source_ref": "r",
                }
            ]
        ).to_csv(published / "cross_source.csv", index=False)
        pd.DataFrame([{"indicator": "oj_01", "national_share_ja": 0.5}]).to_csv(
            published / "oj_vs_nation.csv", index=False
        )
        config.data["published"] = str(published)
        comparison = compute.compute(config)["comparison"]
        coordinator = comparison[comparison["theme"] == "coordinator"]
        assert coordinator["who"].tolist() == ["Kronobergs län", "Stockholms län"]
        assert coordinator["status"].iloc[0] == "föreslagen"


def google_forms_xlsx(path: Path) -> Path:
    """Google Forms' layout saved as .xlsx: Tidstämpel, E-postadress, checkboxes joined by ', ', a grid
    'Fråga [rad]' with Ja/Nej, numbers stored as numbers, the municipality as a code stored as a number."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "Tidstämpel",
            "E-postadress",
            "Kommunkod",
            "Rutiner [Fråga om våld]",
            "Rutiner [Skyddsbedömning]",
            "Vilka verksamheter samverkar ni med?",
            "Antal utbildade (heltid)",
            "Synpunkter",
        ]
    )
    rows = [
        (2303, "Ja", "Nej", "Polisen, Kvinnojouren", 2.5, "Bra"),
        (2305, "Nej", "Nej", "Polisen", 1, None),
        (2309, "Ja", "Ja", "Kvinnojouren, Polisen, Skolan", 0, "Saknar resurser"),
        (2313, "Ja", "Delvis", "Skolan", 4, None),
        (2321, "Vet ej", "Ja", "Polisen, Skolan", 3.5, "Ok"),
        (2380, "Ja", "Ja", "Kvinnojouren", 10, None),
    ]
    for i, (code, a, b, c, d, e) in enumerate(rows):
        sheet.append([f"2025-02-0{i + 1} 10:00:00", f"x{i}@kommun.se", code, a, b, c, d, e])
    book.save(path)
    return path


class TestGoogleFormsWorkbook:
    def test_types_and_chain(self, project):
        export = google_forms_xlsx(project / "google.xlsx")
        config_path = new.new_mapping("Jämtland", 2025, export, root=project, out=lambda *_: None)
        config = mapping_config.load(config_path, project)
        tables = compute.compute(config, comparisons=False)
        questions = tables["questions"].set_index("text")
        assert questions.at["Rutiner: Fråga om våld", "type"] == "yes_no"
        assert questions.at["Rutiner: Skyddsbedömning", "type"] == "yes_no"
        assert questions.at["Vilka verksamheter samverkar ni med?", "type"] == "multi_select"
        assert questions.at["Antal utbildade (heltid)", "type"] == "number"
        assert questions.at["Synpunkter", "type"] == "free_text"
        assert "Tidstämpel" not in set(questions["columns"]) and "E-postadress" not in set(questions["columns"])
        facts = tables["facts"].iloc[0]
        assert (facts["n"], facts["N"]) == (6, 8)
        units = tables["units"].set_index("kommun")
        assert not units.at["Berg", "responded"] and not units.at["Härjedalen", "responded"]
        police = tables["totals"][(tables["totals"]["option"] == "Polisen")].iloc[0]
        assert (police["n"], police["N"]) == (4, 6)
        proposals = {c["theme"]: c for c in config.comparisons}
        assert proposals["police_cooperation"]["option"] == "Polisen"
        assert proposals["routines_detection"]["question"] == questions.at["Rutiner: Fråga om våld", "id"]


class TestValidateCommand:
    def test_ok_and_not_ok(self, project, capsys):
        from analysis.__main__ import main

        config_path = new.new_mapping(
            "Jämtlands län", 2025, forms_export(project / "svar.csv"), root=project, out=lambda *_: None
        )
        assert main(["validate", "--config", str(config_path), "--root", str(project)]) == 0
        assert capsys.readouterr().out.startswith("OK: Jämtlands län 2025: 7 of 8 municipalities answered")
        forms_export(project / "svar.csv", extra_rows=[["9", "", "", "", "", "", "Åre", "Ja", "", "", "", "", ""]])
        assert main(["validate", "--config", str(config_path), "--root", str(project)]) == 1
        assert "same municipality (Åre) as row 6" in capsys.readouterr().err
