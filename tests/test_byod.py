"""Bring your own data: the made-up examples of data/examples go through sources.load and give
what the published sources give (same counts, same coding schema)."""

import csv
import hashlib
import importlib.util
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import microdata, schemas, sources
from analysis.input_errors import ValidationError
from analysis.normalise import MunicipalityIndex
from support.files import run_analysis

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"
REFERENCE = ROOT / "data" / "raw" / "reference"
SURVEY = {"kind": "survey_microdata", "survey_codebook": "data/examples/stockholm_2008_survey_codebook.csv"}
COPIES = ["stockholm_2008_microdata.csv", "stockholm_2008_microdata_excel.csv", "stockholm_2008_microdata.xlsx"]
KEY = ["indicator", "category", "group_var", "group"]
# Indicators deliberately left out of the example microdata (see data/examples/README.md).
LEFT_OUT = {
    "phase2_units_planned",
    "action_plan_fully_updated",
    "action_plan_contents",
    "women_training_type",
    "hrv_support_available",
    "internal_confidentiality_routines_lacking",
    "external_confidentiality_routines_lacking",
}


def round_half_up(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))


def microdata_counts(copy: str = COPIES[0]) -> pd.DataFrame:
    return sources.load("stockholm_2008", {"inputs": {**SURVEY, "responses": f"data/examples/{copy}"}}, ROOT)["counts"]


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    return microdata_counts()


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return sources.load_published(ROOT / "data" / "raw" / "stockholm_2008")["counts"]


class TestStockholmMicrodata:
    def test_counts_have_exactly_the_published_schema(self, counts, published):
        assert list(counts.columns) == list(published.columns)
        assert counts.dtypes.to_dict() == published.dtypes.to_dict()
        assert (counts["group_var"] == "all").all() and (counts["group"] == "all").all()

    def test_every_printed_n_and_N_is_reproduced(self, counts, published):
        merged = counts.merge(published, on=KEY, how="left", suffixes=("", "_published"), indicator=True)
        assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", KEY]
        printed_n = merged["n_published"].notna()
        printed_N = merged["N_published"].notna()
        assert (merged.loc[printed_n, "n"] == merged.loc[printed_n, "n_published"]).all()
        assert (merged.loc[printed_N, "N"] == merged.loc[printed_N, "N_published"]).all()
        assert printed_n.sum() >= 100 and printed_N.sum() >= 35

    def test_shares_equal_the_published_shares_where_both_are_printed(self, counts, published):
        merged = counts.merge(published.dropna(subset=["n", "N"]), on=KEY, suffixes=("", "_published"))
        shares = merged["n"] / merged["N"]
        assert (shares == merged["n_published"] / merged["N_published"]).all()
        assert {
            "women_learned_via",
            "women_support_sufficient",
            "children_preconditions_good",
            "external_coop_men_partners",
            "children_training_type",
            "coordinator_in_ifo",
        } <= set(merged["indicator"])

    def test_percent_only_figures_round_to_the_printed_percent(self, counts, published):
        merged = counts.merge(published, on=KEY, suffixes=("", "_published"))
        only_percent = merged[merged["n_published"].isna() & merged["percent_published"].notna()]
        assert len(only_percent) == 3
        for row in only_percent.itertuples():
            assert round_half_up(100 * row.n / row.N) == row.percent_published, row.category

    def test_every_indicator_is_covered_but_the_discrepant_ones(self, counts, published):
        assert set(published["indicator"]) - set(counts["indicator"]) == LEFT_OUT

    def test_non_answers_stay_in_the_base_for_the_discrepant_answer_sets(self, counts):
        # children_support_sufficient 17 + 12 + 8 = 37 of 39 (two units did not answer); never counted as "no".
        rows = counts[counts["indicator"] == "children_support_sufficient"]
        assert rows["n"].tolist() == [17, 12, 8] and rows["N"].tolist() == [39, 39, 39]

    def test_conditional_bases(self, counts):
        base = counts.set_index(["indicator", "category"])["N"]
        assert base[("coordinator_in_ifo", "yes")] == 19
        assert base[("children_training_type", "trappan")] == 28
        assert base[("external_coop_men_partners", "police")] == 23
        assert base[("overall_statistics_by_type", "city_district")] == 9

    def test_percent_is_empty_and_provenance_names_the_column(self, counts):
        assert counts["percent"].isna().all() and counts["seed_line"].isna().all()
        row = counts[(counts["indicator"] == "women_learned_via") & (counts["category"] == "police")].iloc[0]
        assert row["source_ref"] == "stockholm_2008_microdata.csv § Kvinnor: kännedom oftast via polisen"
        assert row["note"].startswith("Computed from microdata: units answering Ja")

    @pytest.mark.parametrize("copy", COPIES[1:])
    def test_excel_copies_give_the_same_counts(self, counts, copy):
        other = microdata_counts(copy)
        pd.testing.assert_frame_equal(
            other.drop(columns=["source_ref", "note"]), counts.drop(columns=["source_ref", "note"])
        )

    def test_the_excel_copy_really_is_saved_the_swedish_excel_way(self):
        raw = (EXAMPLES / "stockholm_2008_microdata_excel.csv").read_bytes()
        assert b"\r\n" in raw and raw.decode("cp1252").splitlines()[0].count(";") > 50
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert ";37,5;" in raw.decode("cp1252")

    def test_units_are_25_municipalities_and_14_districts(self):
        inputs = {**SURVEY, "responses": "data/examples/stockholm_2008_microdata.csv"}
        inputs = sources.parse_inputs("stockholm_2008", inputs, ROOT)
        responses = microdata.read_responses(inputs, MunicipalityIndex.from_reference(REFERENCE), ROOT)
        ids = responses["unit_id"]
        assert ids.is_unique and len(ids) == 39
        assert ids.str.fullmatch(r"01\d\d").sum() == 25 and ids.str.startswith("0180-").sum() == 14
        assert "0180-bromma" in set(ids) and "0180" not in set(ids)

    def test_a_blank_answer_is_not_a_no(self, tmp_path):
        rows = list(csv.reader((EXAMPLES / "stockholm_2008_microdata.csv").open(encoding="utf-8", newline="")))
        column = rows[0].index("Kvinnor: kännedom oftast via polisen")
        yes_rows = [r for r in rows[1:] if r[column] == "Ja"]
        for r in rows[1:]:
            if r[column] == "Nej":
                r[column] = ""  # every "no" becomes a non-answer
        path = tmp_path / "svar.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        codebook = tmp_path / "kodbok.csv"
        codebook.write_text(
            "column,indicator,label,category,category_label,answer,base_column,base_answer,"
            "exclusive,unit,note\n"
            "Kvinnor: kännedom oftast via polisen,police_yes,Polisen,yes,Ja,Ja,,,no,enheter,\n"
            "Kvinnor: kännedom oftast via polisen,police_no,Polisen,no,Nej,Nej,,,no,enheter,\n"
            "Kvinnor: kännedom oftast via polisen,police_answered,Polisen,yes,Ja,ja,"
            "Kvinnor: kännedom oftast via polisen,,no,enheter,\n",
            encoding="utf-8",
        )
        counts = sources.load(
            "x", {"kind": "survey_microdata", "responses": str(path), "survey_codebook": str(codebook)}, ROOT
        )["counts"].set_index("indicator")
        assert (counts.loc["police_yes", "n"], counts.loc["police_yes", "N"]) == (len(yes_rows), 39)
        assert (counts.loc["police_no", "n"], counts.loc["police_no", "N"]) == (0, 39)
        assert (counts.loc["police_answered", "n"], counts.loc["police_answered", "N"]) == (
            len(yes_rows),
            len(yes_rows),
        )

    def test_survey_codebook_problems_are_reported_together(self, tmp_path):
        text = (EXAMPLES / "stockholm_2008_survey_codebook.csv").read_text(encoding="utf-8").splitlines()
        text[1] = text[1].replace(",municipality,", ",Municipality,")  # not snake_case
        text[5] = text[5].replace(",yes,respondenter", ",maybe,respondenter")  # exclusive not yes/no
        text[7] = text[7].replace(",Kvinnor,", ",,")  # category_label empty
        path = tmp_path / "kodbok.csv"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        with pytest.raises(ValidationError) as caught:
            microdata.read_survey_codebook(path)
        assert [(p.row, p.column) for p in caught.value.problems] == [
            (2, "category"),
            (6, "exclusive"),
            (8, "category_label"),
        ]

    def test_survey_codebook_answers_are_checked_together(self, tmp_path):
        text = (EXAMPLES / "stockholm_2008_survey_codebook.csv").read_text(encoding="utf-8").splitlines()
        assert ",Ja,,,no," in text[3] and ",Kvinna,,,yes," in text[7]
        text[3] = text[3].replace(",Ja,,,no,", ",Ja,,Ja,no,")  # base_answer without base_column
        text[7] = text[7].replace(",Kvinna,,,yes,", ",Kvinna,,,no,")  # exclusive differs within the indicator
        path = tmp_path / "kodbok.csv"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        with pytest.raises(ValidationError) as caught:
            microdata.read_survey_codebook(path)
        assert [str(p) for p in caught.value.problems] == [
            f"{path}, row 4, column 'base_column' (G): base_answer is given but base_column is empty; "
            "expected the column whose answer puts a unit in the base",
            f"{path}, row 9, column 'exclusive' (I): exclusive 'yes' differs from 'no' in row 8 (same indicator "
            "'respondent_gender'); expected one exclusive per indicator",
        ]


@pytest.fixture(scope="module")
def tables():
    config = yaml.safe_load((ROOT / "config" / "examples.yml").read_text(encoding="utf-8"))
    return sources.load("dalarna_2020", config["sources"]["dalarna_2020"], ROOT)


class TestCodingSheet:
    def test_same_schema_as_the_published_coding_table(self, tables):
        published = sources.load_published(ROOT / "data" / "raw" / "dalarna_2020")["coding"]
        assert list(tables["coding"].columns) == list(published.columns)
        assert tables["coding"].dtypes.to_dict() == published.dtypes.to_dict()

    def test_one_row_per_municipality_and_code(self, tables):
        coding, codes = tables["coding"], tables["codes"]
        assert len(coding) == 6 * len(codes)
        assert not coding.duplicated(["kommun", "code"]).any()
        assert list(dict.fromkeys(coding["kommun"])) == [
            "Falun",
            "Mora",
            "Borlänge",
            "Rättvik",
            "Ludvika",
            "Smedjebacken",
        ]

    def test_statuses(self, tables):
        status = tables["coding"].set_index(["kommun", "code"])["status"]
        assert status[("Falun", "joint_violence_training_new_staff")] == "yes"  # written as its Swedish label
        assert status[("Falun", "care_administration_coordinator")] == "yes"  # after a line break in the cell
        assert status[("Mora", "steering_document")] == "yes"
        assert status[("Borlänge", "violence_unit")] == "yes"  # written 'Violence_Unit'
        assert status[("Rättvik", "violence_unit")] == "no"  # 'nej: violence_unit'
        assert (status["Smedjebacken"] == "not_reported").all()
        assert status.value_counts().to_dict() == {"not_reported": 79, "yes": 16, "no": 1}

    def test_a_code_not_mentioned_is_never_no(self, tables):
        coding = tables["coding"]
        no = coding[coding["status"] == "no"]
        assert no[["kommun", "code"]].values.tolist() == [["Rättvik", "violence_unit"]]

    def test_provenance(self, tables):
        row = tables["coding"].set_index(["kommun", "code"]).loc[("Mora", "atv_group_for_women")]
        assert row["source_ref"] == "dalarna_coding_sheet_example.csv row 3, column 'Framgångar'"

    def test_separators_semicolon_comma_newline(self, tmp_path):
        sheet = tmp_path / "sheet.csv"
        sheet.write_text(
            'kommun,resources\nMora,"joint_coordinator_agreement, perpetrator_expertise;'
            '\ncare_administration_coordinator"\n',
            encoding="utf-8",
        )
        coding = sources.load(
            "x", {"kind": "coding_sheet", "coding_sheet": str(sheet), "codes": "data/raw/dalarna_2020/codes.csv"}, ROOT
        )["coding"]
        assert (coding.loc[coding["theme"] == "resources", "status"] == "yes").all()


class TestExamplesAreConsistent:
    def test_config_examples_validates_with_the_cli(self):
        result = run_analysis("validate", "--config", "config/examples.yml")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("OK: 5 sources and the reference tables, ")

    def test_config_examples_differs_from_default_only_in_two_sources(self):
        default = yaml.safe_load((ROOT / "config" / "default.yml").read_text(encoding="utf-8"))
        examples = yaml.safe_load((ROOT / "config" / "examples.yml").read_text(encoding="utf-8"))
        assert list(examples["sources"]) == list(default["sources"])
        for source_id, source in default["sources"].items():
            kind = examples["sources"][source_id]["inputs"]["kind"]
            expected = {"stockholm_2008": "survey_microdata", "dalarna_2020": "coding_sheet"}.get(
                source_id, "published"
            )
            assert kind == expected
            if kind == "published":
                assert examples["sources"][source_id] == source

    def test_the_examples_folder_validates_against_its_codebook(self):
        loaded = sources.load_checked("examples", {"kind": "published", "dir": "data/examples"}, ROOT)
        assert set(loaded.tables) == {
            "stockholm_2008_microdata",
            "stockholm_2008_microdata_excel",
            "stockholm_2008_survey_codebook",
            "dalarna_coding_sheet_example",
        }
        assert any(f.endswith("stockholm_2008_microdata.xlsx, sheet 'Svar'") for f in loaded.files)

    def test_codebook_describes_the_survey_codebook_format_as_the_loader_checks_it(self):
        examples = pd.read_csv(EXAMPLES / "codebook.csv", dtype=str, keep_default_na=False)
        rows = examples[examples["file"] == "stockholm_2008_survey_codebook.csv"].drop(columns="file")
        builtin = schemas.FORMATS[schemas.FORMATS["file"] == "survey_codebook.csv"].fillna("").drop(columns="file")
        assert rows.reset_index(drop=True).equals(builtin.reset_index(drop=True))

    def test_examples_are_up_to_date_and_deterministic(self, tmp_path):
        spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        first = {p.name: p.read_bytes() for p in module.write(tmp_path / "a")}
        second = {p.name: p.read_bytes() for p in module.write(tmp_path / "b")}
        assert first == second
        for name, data in first.items():
            assert hashlib.sha256((EXAMPLES / name).read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest(), name

    def test_examples_say_they_are_made_up(self):
        readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
        assert "MADE UP" in readme

    def test_docs_name_every_config_key(self):
        docs = (ROOT / "docs" / "bring-your-own-data.md").read_text(encoding="utf-8")
        for kind, keys in sources.INPUT_KINDS.items():
            assert f"kind: {kind}" in docs
            for key in (*keys["required"], *keys["optional"]):
                assert f"`{key}`" in docs, key
        assert "make validate CONFIG=" in docs and "make report CONFIG=" in docs
