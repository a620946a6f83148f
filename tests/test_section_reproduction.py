"""The "published vs recomputed" section (sections/reproduction_section.py), built from the real
raw data through the pipeline's own steps, into a temporary assets folder."""

import re

import pandas as pd
import pytest

from analysis import paths, reproduction, texts
from analysis.sections import reproduction_section as rs
from support.sections import CombinedSectionChecks, build_into, pipe_rows, raw_frame, used_variables

QMD = paths.REPORT / "sections" / "_reproduktion.qmd"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def built(combined, tmp_path_factory):
    config, tables = combined
    return build_into(rs.build, tables, config, tmp_path_factory.mktemp("assets"), "reproduction")


class TestStatusCounts:
    def test_the_table_equals_the_counts_of_reproduction_csv(self, built, combined):
        assets, _ = built
        config, tables = combined
        expected = tables["reproduction"].groupby(["source", "status"]).size()
        rows = pipe_rows((assets / "tbl-repro-status.md").read_text(encoding="utf-8"))
        titles = {config["sources"][s]["title"]: s for s in config["sources"]}
        for cells in rows[:-1]:
            source = titles[cells[0]]
            for status, cell in zip(reproduction.STATUSES, cells[1:4]):
                assert int(cell) == expected.get((source, status), 0), (source, status)
            assert int(cells[4]) == expected[source].sum()
        total = rows[-1]
        assert total[0] == "Samtliga källor"
        assert [int(c) for c in total[1:]] == [
            int((tables["reproduction"]["status"] == s).sum()) for s in reproduction.STATUSES
        ] + [len(tables["reproduction"])]

    def test_the_variables_equal_the_counts(self, built, combined):
        _, variables = built
        _, tables = combined
        status = tables["reproduction"]["status"]
        assert variables["n_total"] == str(len(status))
        assert variables["n_match"] == str((status == "match").sum())
        assert variables["n_mismatch"] == str((status == "mismatch").sum()) == "7"
        assert variables["n_not_reproducible"] == str((status == "not reproducible").sum())
        assert variables["skl_2016_mismatch"] == "1" and variables["lansstyrelserna_2015_mismatch"] == "3"


class TestMismatches:
    def test_one_row_per_mismatch(self, built, combined):
        assets, _ = built
        _, tables = combined
        rows = pipe_rows((assets / "tbl-repro-mismatches.md").read_text(encoding="utf-8"))
        assert len(rows) == (tables["reproduction"]["status"] == "mismatch").sum()

    def test_tyreso_49_printed_48_in_the_values(self, built):
        assets, variables = built
        values = raw_frame("skl_2016", "oj_values")
        recount = int((values[values["kommun"] == "Tyresö"]["value"] == "2").sum())
        printed = raw_frame("skl_2016", "municipalities").set_index("kommun").loc["Tyresö", "ja_count_published"]
        assert (int(printed), recount) == (49, 48)
        rows = pipe_rows((assets / "tbl-repro-mismatches.md").read_text(encoding="utf-8"))
        tyreso = [r for r in rows if "Tyresö" in r[1]]
        assert len(tyreso) == 1 and tyreso[0][2:4] == ["49", "48"]
        assert (variables["mismatch_ja_count_tyreso_published"], variables["mismatch_ja_count_tyreso_recomputed"]) == (
            "49",
            "48",
        )

    def test_key_person_shares_sum_to_100_81_and_72_9_is_not_k_of_43(self, built):
        assets, variables = built
        counts = raw_frame("lansstyrelserna_2015", "counts")
        shares = counts[counts["indicator"] == "coordination_improved"]
        printed = [float(p) for p in shares["percent"]]
        assert round(sum(printed), 2) == 100.81
        assert all(round(100 * k / 43, 1) != 72.9 for k in range(44))
        text = (assets / "tbl-repro-mismatches.md").read_text(encoding="utf-8")
        assert f"100,81{NBSP}%" in text and f"72,9{NBSP}%" in text
        assert variables["mismatch_coordination_improved_sum_pct_published"] == f"100,81{NBSP}%"
        assert variables["mismatch_coordination_improved_better_pct_recomputed"] == f"72,1{NBSP}%"

    def test_stockholm_and_sormland(self, built):
        _, variables = built
        counts = raw_frame("stockholm_2008", "counts")
        sums = {
            i: sum(int(n) for n in counts.loc[counts["indicator"] == i, "n"])
            for i in (
                "children_preconditions_good",
                "children_support_sufficient",
                "men_preconditions_good",
                "hrv_preconditions_good",
            )
        }
        assert sums == {
            "children_preconditions_good": 37,
            "children_support_sufficient": 37,
            "men_preconditions_good": 38,
            "hrv_preconditions_good": 36,
        }
        assert variables["mismatch_children_preconditions_good_sum_n_recomputed"] == "37"
        assert variables["sums_without_base"] == "37, 38 och 36"
        assert variables["sums_without_base_units"] == "39"
        larger = raw_frame("sormland_2019", "municipalities")
        assert (larger["size_class"] == "larger").sum() == 2
        assert (
            variables["mismatch_perpetrator_interventions_larger_published"],
            variables["mismatch_perpetrator_interventions_larger_recomputed"],
        ) == ("4", "2")

    def test_the_explanations_are_swedish(self, built):
        assets, _ = built
        rows = pipe_rows((assets / "tbl-repro-mismatches.md").read_text(encoding="utf-8"))
        for cells in rows:
            assert not re.search(r"\b(printed|recomputed|exclusive|vs|the)\b", cells[4]), cells[4]
            assert not re.search(r"\d\.\d", cells[4]), cells[4]  # decimal commas


class TestTranslation:
    def test_the_printed_phrase_comes_from_the_config_not_the_code(self, combined):
        config, tables = combined
        rows = tables["reproduction"]
        rec = rows[rows["quantity"].str.endswith(": " + rs.LARGER_PHRASE_KIND)].to_dict("records")[0]
        phrase = config["sources"][rec["source"]]["checks"]["larger_size_class"]["phrase"]
        assert f"”{phrase}”" in rs.quantity_label(rec["source"], rec["quantity"], tables["shares"], rs.row_fields(rec))
        assert f"”{phrase}”" in rs.swedish_note(rec)

    def test_every_note_and_quantity_of_reproduction_csv_has_swedish_text(self, combined):
        _, tables = combined
        for rec in tables["reproduction"].to_dict("records"):
            assert rs.swedish_note(rec)
            assert rs.quantity_label(rec["source"], rec["quantity"], tables["shares"], rs.row_fields(rec))
            if rec["status"] == "not reproducible":
                assert rec["reason"] in rs.REASONS
            else:
                assert pd.isna(rec["reason"])

    def test_an_unknown_check_is_an_error(self):
        rec = {"check": "a_brand_new_kind_of_check", "fields": "{}", "n": None, "N": None, "decimals": None}
        with pytest.raises(texts.MissingTextError, match="a_brand_new_kind_of_check"):
            rs.swedish_note(rec)

    def test_numbers_in_notes_get_decimal_commas(self):
        rec = reproduction.percent_check("q", 72.1, 31, 43, "person", "ref")
        assert rs.swedish_note(rec) == f"31/43 = 72,09{NBSP}%, avrundat till 1 decimaler"

    def test_unknown_status_is_an_error(self, combined):
        config, tables = combined
        broken = tables["reproduction"].copy()
        broken.loc[0, "status"] = "probably fine"
        with pytest.raises(ValueError, match="probably fine"):
            rs.status_counts(broken, config)


class TestReasons:
    def test_reasons_add_up_to_the_not_reproducible_rows(self, built, combined):
        _, variables = built
        _, tables = combined
        total = sum(int(variables[f"reason_{key}"]) for key in rs.REASONS)
        assert total == (tables["reproduction"]["status"] == "not reproducible").sum()
        assert variables["reason_oj_national"] == str(len(raw_frame("skl_2016", "indicators"))) == "60"


class TestFiles(CombinedSectionChecks):
    tables = ("tbl-repro-status", "tbl-repro-mismatches", "tbl-repro-reasons")

    def test_every_variable_in_the_text_is_defined(self, built):
        _, variables = built
        used = used_variables(QMD.read_text(encoding="utf-8"), "reproduction")
        assert used and sorted(set(used) - set(variables)) == []

    def test_no_number_from_the_data_is_typed_into_the_text(self):
        text = re.sub(r"\{\{<.*?>\}\}|\[@[^\]]+\]", "", QMD.read_text(encoding="utf-8"))
        # years that name a source; 100 = the sum percents must reach (a rule, not a figure)
        assert set(re.findall(r"\d+", text)) <= {"2008", "2015", "2019", "100"}

    def test_every_table_is_included_and_referred_to(self):
        text = QMD.read_text(encoding="utf-8")
        for item in ("tbl-repro-status", "tbl-repro-mismatches", "tbl-repro-reasons"):
            assert f"{{{{< include _generated/{item}.md >}}}}" in text and f"@{item}" in text
