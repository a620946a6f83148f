"""The section 'Kommunstorlek': the combined tables are built from the real data in a temporary
folder (every region, then `combine`), the section is built from them, and its numbers are
checked against values computed by hand from the raw CSVs."""

import re
from collections import Counter
from pathlib import Path

import pytest

from analysis import texts
from analysis.sections import COMBINED_BUILDERS, size
from support.sections import CombinedSectionChecks, build_into, used_variables
from support.sections import raw_rows as raw

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FIGURES: list[str] = []  # the ja-counts figure repeated tbl-oj-municipalities and tbl-size-oj-groups: removed
TABLES = [
    "tbl-size-oj-groups",
    "tbl-size-dalarna",
    "tbl-size-tests",
]  # Sörmland: in the text (its chapter has the tables)


def kommungrupp() -> dict[str, str]:
    return {r["kommun"]: r["kommungrupp_2017"] for r in raw("reference", "kommuner")}


@pytest.fixture(scope="module")
def built(combined, tmp_path_factory):
    config, frames = combined
    return build_into(size.build, frames, config, tmp_path_factory.mktemp("size"), "size")


def table_rows(assets: Path, table_id: str) -> list[list[str]]:
    lines = [l for l in (assets / f"{table_id}.md").read_text(encoding="utf-8").splitlines() if l.startswith("|")]
    return [[c.strip() for c in l.strip("|").split("|")] for l in lines[2:]]


def table_header(assets: Path, table_id: str) -> list[str]:
    line = next(l for l in (assets / f"{table_id}.md").read_text(encoding="utf-8").splitlines() if l.startswith("|"))
    return [c.strip() for c in line.strip("|").split("|")]


class TestRegistration:
    def test_combined_runs_this_builder(self):
        assert size.build in COMBINED_BUILDERS


class TestFilesAndProvenance(CombinedSectionChecks):
    figures, tables, min_provenance_rows = FIGURES, TABLES, 30
    source_ref = r"\.txt §|^reference/kommuner\.csv"

    def test_every_variable_used_in_the_text_is_defined(self, built):
        _, variables = built
        # the exploratory tests are in the technical companion's section (_tester.qmd)
        text = "".join(
            (ROOT / "report" / "sections" / name).read_text(encoding="utf-8")
            for name in ("_kommunstorlek.qmd", "_tester.qmd")
        )
        used = set(used_variables(text, "size"))
        assert used and used <= set(variables), used - set(variables)
        for item in FIGURES + TABLES:
            assert f"@{item}" in text and f"_generated/{item}.md" in text, item
        without_vars = re.sub(r"\{\{<.*?>\}\}", "", text)
        assert not re.search(r"\d+(,\d+)?\s?%|\b0,\d", without_vars)


class TestSormland:
    def test_classes_and_areas(self, built):
        assets, v = built
        classes = Counter(r["size_class"] for r in raw("sormland_2019", "municipalities"))
        assert (
            (v["sormland_larger_n"], v["sormland_medium_n"], v["sormland_smaller_n"])
            == tuple(str(classes[c]) for c in ("larger", "medium", "smaller"))
            == ("2", "2", "5")
        )
        stated = Counter(r["size_class"] for r in raw("sormland_2019", "development_areas") if r["stated"] == "yes")
        assert (
            (v["sormland_larger_areas"], v["sormland_medium_areas"], v["sormland_smaller_areas"])
            == tuple(str(stated[c]) for c in ("larger", "medium", "smaller"))
            == ("8", "9", "18")
        )
        assert not any(name.endswith("_per_municipality") for name in v)  # a class's list is not divided by its size
        assert v["sormland_larger_names"] == "Eskilstuna, Nyköping"
        assert v["sormland_larger_in_text"] == "4"  # "De större kommunerna (4 av 9)" vs 2 in the table
        assert v["sormland_smaller_names"] == "Flen, Gnesta, Oxelösund, Trosa, Vingåker"
        classes_of = {}  # area → the classes that stated it
        for r in raw("sormland_2019", "development_areas"):
            classes_of.setdefault(r["area_id"], set()).update({r["size_class"]} if r["stated"] == "yes" else set())
        shared = {r["area_id"] for r in raw("sormland_2019", "development_areas") if r["shared_by_all"] == "yes"}
        assert v["sormland_shared"] == str(len(shared)) == "4"
        only = Counter(next(iter(c)) for c in classes_of.values() if len(c) == 1)
        assert (
            (v["sormland_larger_specific"], v["sormland_medium_specific"], v["sormland_smaller_specific"])
            == tuple(str(only[c]) for c in ("larger", "medium", "smaller"))
            == ("4", "5", "14")
        )
        assert not (assets / "tbl-size-sormland.md").exists()  # it repeated the text and the Sörmland chapter


class TestOj:
    def test_groups_and_ja_counts(self, built):
        assets, v = built
        groups = Counter(kommungrupp()[r["kommun"]] for r in raw("skl_2016", "municipalities"))
        assert v["oj_kommungrupp_groups_used"] == str(len(groups)) == "6"
        assert v["oj_kommungrupp_max_n"] == str(max(groups.values())) == "2"
        rows = {r[1]: r for r in table_rows(assets, "tbl-size-oj-groups")}
        # Befolkningsgrupp 3 holds Trollhättan (53) and Tyresö (49 printed, 48 in its values); no group means
        # (groups of 0-2 purposively chosen municipalities): names and plain counts only.
        band3 = next(r for g, r in rows.items() if g.startswith("3 ("))
        assert band3[2:] == ["2 av 8", "Trollhättan (53), Tyresö (49)"]
        assert rows["B5 Lågpendlingskommun nära större stad"][2:] == ["0 av 8", "–"]
        header = table_header(assets, "tbl-size-oj-groups")
        assert not any("medel" in h.lower() for h in header)


class TestDalarna:
    def test_groups_only_no_counts_of_named_arbetssatt(self, built):
        assets, v = built
        coding = raw("dalarna_2020", "coding")
        status = Counter(r["status"] for r in coding)
        assert v["dalarna_no_total"] == str(status["no"]) == "0"
        # the report names municipalities only as examples and the list of arbetssätt is ours:
        # no counts of named arbetssätt per group, and no totals of the coding here
        assert not {"dalarna_codes", "dalarna_yes_total", "dalarna_possible_total"} & set(v)
        groups = Counter(kommungrupp()[r["kommun"]] for r in raw("dalarna_2020", "municipalities"))
        assert v["dalarna_kommungrupp_used"] == str(len(groups))
        row = next(r for r in table_rows(assets, "tbl-size-dalarna") if r[1].startswith("C8"))
        assert row[2:] == ["Ludvika, Mora, Vansbro", "3 av 15"]
        header = table_header(assets, "tbl-size-dalarna")
        assert header == ["Indelning", "Grupp", "Kommuner", "Antal kommuner"]
        assert not any(word in h for h in header for word in ("Arbetssätt", "Kod", "Omnämnanden", "praktik"))
        text = (ROOT / "report" / "sections" / "_kommunstorlek.qmd").read_text(encoding="utf-8")
        assert "gånger" not in text and "för varje kommun" not in text


class TestTests:
    def test_summary_of_the_exact_tests(self, built):
        assets, v = built
        assert (v["tests_oj_band_tested"], v["tests_oj_band_skipped"]) == ("40", "20")
        # 20 indicators have ja from all 8 municipalities: nothing to test there.
        values = raw("skl_2016", "oj_values")
        all_ja = {
            i for i in {r["indicator"] for r in values} if all(r["value"] == "2" for r in values if r["indicator"] == i)
        }
        assert len(all_ja) == 20
        # Smallest raw p by befolkningsgrupp (groups of 1, 2, 2, 2, 1 municipalities): 6 ja and 2 delvis with
        # both delvis in one group of two. Tables at most that probable: both in one of the three 2-groups
        # (1/28 each) or one in each 1-group (1/28): p = 4/28 = 1/7.
        assert v["tests_oj_band_min_p"] == "0,143"
        assert v["tests_min_p_holm"] == "1,000"
        assert (v["tests_dalarna_kommungrupp_tested"], v["tests_dalarna_kommungrupp_skipped"]) == ("0", "16")
        rows = table_rows(assets, "tbl-size-tests")
        assert [r[0] for r in rows] == ["SKL 2016 (ÖJ 2015)"] * 2 + ["Dalarna 2020"] * 2 + [
            "Sörmland 2019",
            "Stockholm 2008",
        ]
        assert rows[0][3:7] == ["40", "0,143", "1,000", "alla svarade ja (20)"]

    def test_untranslated_skip_reason_is_an_error(self):
        with pytest.raises(texts.MissingTextError, match="something_new"):
            size.skip_reason({"reason": "something_new", "outcomes": None})
        with pytest.raises(texts.MissingTextError, match="delvis"):
            size.skip_reason({"reason": "outcome_constant", "outcomes": "delvis"})
        assert size.skip_reason({"reason": "only_outcome_and_missing", "outcomes": "yes/not_reported"}).startswith(
            "bara ja"
        )

    def test_missing_breakdown_rows_name_what_is_missing(self, combined):
        _, frames = combined
        with pytest.raises(KeyError, match="no rows"):
            size.breakdown_rows(frames["breakdowns"], "sormland_2019", "kommungrupp_2017")
