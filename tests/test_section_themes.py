"""The Resultat chapter's theme × source matrix (analysis.sections.themes) and the residual
counts of exclusive categories, from the real data."""

import re

import pandas as pd
import pytest
import yaml

from analysis import paths, texts
from analysis.sections import COMBINED_BUILDERS, themes

TEXT_FILES = [
    "_resultat.qmd",
    "_sammanfattning.qmd",
    "_metod.qmd",
    "_diskussion.qmd",
    "_slutsatser.qmd",
    "_nationellt.qmd",
    "_teknisk-inledning.qmd",
]


@pytest.fixture(scope="module")
def built(default_config, combined_tables, tmp_path_factory):
    assets = tmp_path_factory.mktemp("themes")
    themes.build(combined_tables, default_config, assets)
    variables = yaml.safe_load((assets / "vars" / "themes.yml").read_text(encoding="utf-8"))["themes"]
    return assets, variables


def raw_csv(source: str, name: str) -> pd.DataFrame:
    return pd.read_csv(paths.RAW / source / f"{name}.csv", dtype=str, keep_default_na=False)


class TestMapping:
    def test_registered_as_a_combined_builder(self):
        assert themes.build in COMBINED_BUILDERS

    def test_every_theme_of_the_mapping_has_a_label_and_every_label_is_used(self, default_config):
        mapping = themes.load_mapping(paths.ROOT / themes.MAPPING)
        assert set(mapping["theme"]) == set(themes.theme_labels(default_config))

    def test_every_row_names_data_that_exists_in_the_raw_tables(self):
        """Checked here against data/raw directly, independently of the builder's own check."""
        mapping = themes.load_mapping(paths.ROOT / themes.MAPPING)
        conclusions = pd.read_csv(paths.RAW / "conclusions" / "conclusions.csv", dtype=str, keep_default_na=False)
        for row in mapping.itertuples(index=False):
            if row.table == "conclusions":
                assert row.key in set(conclusions.loc[conclusions["source"] == row.source, "id"]), row
                continue
            if row.table != "shares":
                assert row.key in set(raw_csv(row.source, row.table).iloc[:, 0]), row
                continue
            indicator, category = row.key.split("/")
            folder = paths.RAW / row.source
            if category == "stated_yes":  # a practice named for a municipality in the coding sheet
                coding = raw_csv(row.source, "coding")
                assert ((coding["code"] == indicator) & (coding["status"] == "yes")).any(), row
            elif (folder / "oj_values.csv").exists() and indicator.startswith("oj_"):
                values = raw_csv(row.source, "oj_values")
                assert (values["indicator"] == indicator).any(), row
            else:
                counts = raw_csv(row.source, "counts")
                found = counts[(counts["indicator"] == indicator) & (counts["category"] == category)]
                assert not found.empty, row
                first = found.iloc[0]  # a count: printed, or a printed percent of a printed base
                assert row.evidence != "count" or first["n"] != "" or (first["percent"] != "" and first["N"] != ""), row

    def test_unknown_theme_source_kind_and_row_are_all_reported(self, default_config, combined_tables):
        bad = pd.DataFrame(
            [
                {
                    "theme": "nope",
                    "source": "stockholm_2008",
                    "evidence": "count",
                    "table": "shares",
                    "key": "coordinator_exists/yes",
                },
                {"theme": "barn", "source": "nowhere_2030", "evidence": "count", "table": "shares", "key": "x/y"},
                {
                    "theme": "barn",
                    "source": "stockholm_2008",
                    "evidence": "guess",
                    "table": "shares",
                    "key": "coordinator_exists/yes",
                },
                {
                    "theme": "barn",
                    "source": "stockholm_2008",
                    "evidence": "count",
                    "table": "shares",
                    "key": "no_such/row",
                },
                {
                    "theme": "barn",
                    "source": "sormland_2019",
                    "evidence": "words",
                    "table": "quantifier_statements",
                    "key": "no_topic",
                },
            ]
        )
        raw = {"sormland_2019": {"quantifier_statements": raw_csv("sormland_2019", "quantifier_statements")}}
        problems = themes.check_mapping(bad, default_config, combined_tables["shares"], raw)
        assert len(problems) == 5
        assert "unknown theme 'nope'" in problems[0]
        assert "not in the config" in problems[1]
        assert "evidence must be one of" in problems[2]
        assert "no total row in shares.csv" in problems[3]
        assert "has no row 'no_topic'" in problems[4]

    def test_a_count_without_a_count_is_refused(self, default_config, combined_tables):
        bad = pd.DataFrame(
            [
                {
                    "theme": "samverkan",
                    "source": "lansstyrelserna_2015",
                    "evidence": "count",
                    "table": "shares",
                    "key": "hrv_support_available/sheltered_housing",  # printed 64 % fits no count of 32
                }
            ]
        )
        bad["source"] = "stockholm_2008"
        problems = themes.check_mapping(bad, default_config, combined_tables["shares"], {})
        assert problems and "has no count" in problems[0]

    def test_a_bad_mapping_stops_the_build(self, default_config, combined_tables, tmp_path):
        (tmp_path / "config").mkdir()
        (tmp_path / "config" / "report_themes.csv").write_text(
            "theme,source,evidence,table,key\nbarn,stockholm_2008,count,shares,no_such/row\n", encoding="utf-8"
        )
        config = dict(
            default_config,
            reference=str(paths.ROOT / default_config["reference"]),
            conclusions=str(paths.ROOT / default_config["conclusions"]),
        )
        config["sources"] = {
            sid: dict(s, inputs=dict(s["inputs"], dir=str(paths.ROOT / s["inputs"]["dir"])))
            for sid, s in default_config["sources"].items()
        }
        with pytest.raises(themes.ThemeMappingError, match="no total row"):
            themes.build(combined_tables, config, tmp_path / "assets", root=tmp_path)


class TestMatrix:
    def test_the_table_has_every_theme_and_source_and_only_known_kinds(self, built, default_config):
        assets, _ = built
        text = (assets / "tbl-themes-evidence.md").read_text(encoding="utf-8")
        rows = [line for line in text.splitlines() if line.startswith("| ") and "Tema" not in line]
        assert len(rows) == len(themes.theme_labels(default_config))
        words = texts.section("themes")["evidence"]
        allowed = {words["count"], words["words"], words["examples"], words["none"]}
        for row in rows:
            cells = [c.strip() for c in row.strip("|").split("|")][1:]
            assert len(cells) == len(default_config["sources"])
            for cell in cells:
                assert set(cell.split(", ")) <= allowed, cell

    def test_counts(self, built):
        _, v = built
        assert (v["n_themes"], v["n_sources"]) == ("9", "5")
        assert int(v["count_cells"]) + int(v["words_only_cells"]) + int(v["none_cells"]) == 45
        assert v["count_themes_stockholm_2008"] == "9"
        # ÖJ asks nothing about honour-related violence or about coordinators/action plans
        assert v["count_themes_skl_2016"] == "7"

    def test_examples_are_never_counts(self, default_config):
        mapping = themes.load_mapping(paths.ROOT / themes.MAPPING)
        matrix = themes.evidence_matrix(mapping, default_config)
        # Dalarna's named good examples give no count for support, children, perpetrators: the
        # report's own words ("generellt", "betydligt mindre") and the examples, never a count
        for theme in ("stod_insatser", "barn", "valdsutovare"):
            assert matrix.loc[theme, "dalarna_2020"] == "words examples"
        # but 3.9 gives a count for follow-up: 1 municipality in SKR's project (004 l.458-460)
        assert matrix.loc["uppfoljning", "dalarna_2020"] == "count words examples"

    def test_a_statement_in_a_summary_is_evidence_in_words_with_its_source_ref(self, built, default_config):
        """Dalarna's summary says 'fler idag frågar om våldsutsatthet på rutin' (004 l.51) and names
        honour-related violence among its shortcomings (l.55–57): words, not '–'."""
        mapping = themes.load_mapping(paths.ROOT / themes.MAPPING)
        matrix = themes.evidence_matrix(mapping, default_config)
        assert matrix.loc["upptackt", "dalarna_2020"] == "words"
        assert matrix.loc["hedersrelaterat", "dalarna_2020"] == "words"
        assets, _ = built
        refs = set(pd.read_csv(assets / "provenance" / "tbl-themes-evidence.csv")["source_ref"])
        assert "004_0204c90b7797a8fc.txt § 1 Sammanfattning" in refs

    def test_a_conclusion_id_that_does_not_exist_is_refused(self, default_config, combined_tables):
        mapping = pd.DataFrame(
            [
                {
                    "theme": "upptackt",
                    "source": "dalarna_2020",
                    "evidence": "words",
                    "table": "conclusions",
                    "key": "nope",
                }
            ]
        )
        conclusions = themes.load_conclusions(default_config, paths.ROOT)
        raw = themes.with_conclusions(themes.source_loader.load_all(default_config, paths.ROOT), conclusions)
        problems = themes.check_mapping(mapping, default_config, combined_tables["shares"], raw)
        assert len(problems) == 1 and "conclusions has no row 'nope'" in problems[0]

    def test_the_national_share_of_a_mapped_indicator_is_a_number(self, built):
        _, v = built
        # ÖJ 2015, Bilaga 4: "Skyddat boende till våldsutsatta kvinnor 94 %" (002 l.2876–2878)
        assert v["national_oj_25_ja"] == "94\u00a0%"
        assert v["national_oj_04_ja"] == "6\u00a0%"

    def test_provenance_names_the_mapping_and_the_data_rows(self, built):
        assets, _ = built
        refs = pd.read_csv(assets / "provenance" / "tbl-themes-evidence.csv")["source_ref"]
        assert "config/report_themes.csv" in set(refs)
        assert any(r.startswith("000_") for r in refs) and any(r.startswith("001_") for r in refs)


class TestResiduals:
    def test_the_county_boards_better_is_43_minus_7_minus_5(self, built):
        _, v = built
        assert (v["residual_coordination_improved_better_n"], v["residual_coordination_improved_better_N"]) == (
            "31",
            "43",
        )

    def test_no_residual_when_two_counts_are_missing_or_the_base_is_unknown(self):
        frame = pd.DataFrame(
            [
                {
                    "source": "s",
                    "indicator": "a",
                    "category": c,
                    "label": "A",
                    "group_var": "all",
                    "group": "all",
                    "n": n,
                    "N": N,
                    "exclusive": "yes",
                    "source_ref": "r",
                }
                for c, n, N in (("x", None, 10), ("y", None, 10), ("z", 3, 10))
            ]
            + [
                {
                    "source": "s",
                    "indicator": "b",
                    "category": c,
                    "label": "B",
                    "group_var": "all",
                    "group": "all",
                    "n": n,
                    "N": None,
                    "exclusive": "yes",
                    "source_ref": "r",
                }
                for c, n in (("x", None), ("y", 4))
            ]
            + [
                {
                    "source": "s",
                    "indicator": "c",
                    "category": c,
                    "label": "C",
                    "group_var": "all",
                    "group": "all",
                    "n": n,
                    "N": 12,
                    "exclusive": "yes",
                    "source_ref": "r",
                }
                for c, n in (("x", None), ("y", 4), ("z", 5))
            ]
        )
        # the rule lives in analysis.shares (shares.csv holds the residual); themes reads it from there
        from analysis import shares as share_math

        frame = frame.assign(n_max=None, published=float("nan"), note="", n_basis="printed", share=float("nan"))
        result = themes.residuals(share_math.with_residuals(frame))
        assert list(result["indicator"]) == ["c"] and list(result["n"]) == [3]


class TestText:
    def test_every_themes_variable_in_the_text_is_defined(self, built):
        _, variables = built
        for name in TEXT_FILES:
            used = re.findall(
                r"\{\{< var themes\.(\w+) >\}\}", (paths.REPORT / "sections" / name).read_text(encoding="utf-8")
            )
            assert set(used) <= set(variables), (name, set(used) - set(variables))

    def test_the_matrix_is_included_and_referred_to(self):
        text = (paths.REPORT / "sections" / "_resultat.qmd").read_text(encoding="utf-8")
        assert "{{< include _generated/tbl-themes-evidence.md >}}" in text and "@tbl-themes-evidence" in text


CONCLUSIONS_CSV = """id,source,kind,theme,heading,text,text_kind,key_words,source_ref,seed_line,seed_line_end,note
s_f01,sormland_2019,finding,uppfoljning,,Alla kommuner uttryckte att de saknade systematisk uppföljning på individnivå.,quote,,000.txt § A,716,716,
s_p01,sormland_2019,problem,stod_insatser,,Sörmland har svårt att säkerställa att det finns boende till våldsutsatta.,quote,,000.txt § B,47,48,
k_s01,skl_2016,success_factor,upptackt,Många vägar in,Kommunen har många vägar in,quote,,002.txt § C,397,399,
k_d01,skl_2016,development_area,general,,SKL föreslår mer förebyggande arbete,paraphrase,förebyggande,002.txt § D,1192,1200,
"""
CONCLUSIONS_CODEBOOK = """file,column,code,type,required,min,max,label_sv,description
conclusions.csv,seed_line,,integer,yes,1,,Rad,Line
conclusions.csv,seed_line_end,,integer,yes,1,,Rad,Line
"""


@pytest.fixture
def conclusions_root(tmp_path):
    folder = tmp_path / "data" / "raw" / "conclusions"
    folder.mkdir(parents=True)
    (folder / "conclusions.csv").write_text(CONCLUSIONS_CSV, encoding="utf-8")
    (folder / "codebook.csv").write_text(CONCLUSIONS_CODEBOOK, encoding="utf-8")
    return tmp_path


class TestConclusions:
    def test_without_the_config_key_every_include_is_empty_and_stale_provenance_goes(self, default_config, tmp_path):
        (tmp_path / "provenance").mkdir()
        (tmp_path / "provenance" / "tbl-conclusions-barn.csv").write_text("stale", encoding="utf-8")
        without = {k: v for k, v in default_config.items() if k != "conclusions"}
        assert themes.load_conclusions(without, tmp_path) is None
        themes.write_conclusions(None, without, tmp_path)
        written = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
        expected = {f"{t}.md" for t in themes.conclusion_themes(default_config).values()} | {
            "tbl-conclusions-all.md",
            "conclusions-companion.md",
        }
        assert set(written) == expected and set(written.values()) == {""}
        assert not (tmp_path / "provenance" / "tbl-conclusions-barn.csv").exists()

    def test_a_configured_folder_that_does_not_exist_is_an_error(self, default_config, tmp_path):
        with pytest.raises(themes.ConclusionsError, match="does not exist"):
            themes.load_conclusions(dict(default_config, conclusions="data/raw/nowhere"), tmp_path)

    def test_per_theme_tables_show_what_the_sources_put_forward_and_the_companion_shows_all(
        self, default_config, conclusions_root, tmp_path
    ):
        config = dict(default_config, conclusions="data/raw/conclusions")
        frame = themes.load_conclusions(config, conclusions_root)
        assert themes.check_conclusions(frame, config) == []
        themes.write_conclusions(frame, config, tmp_path)
        support = (tmp_path / "tbl-conclusions-stod-insatser.md").read_text(encoding="utf-8")
        assert "| Problem | ”Sörmland har svårt att säkerställa" in support and "(antal: 1)" in support
        # a finding is not shown per theme, only in the companion
        assert (tmp_path / "tbl-conclusions-uppfoljning.md").read_text(encoding="utf-8") == ""
        every = (tmp_path / "tbl-conclusions-all.md").read_text(encoding="utf-8")
        assert every.count("\n| s_") + every.count("\n| k_") == 4
        assert "Alla kommuner uttryckte" in every and "| 716 |" in every
        # a paraphrase is marked, a heading comes first, and SKL's conclusions are SKL's, not ÖJ's
        general = (tmp_path / "tbl-conclusions-general.md").read_text(encoding="utf-8")
        assert "SKL föreslår mer förebyggande arbete (sammanfattat)" in general and "| SKL 2016 |" in general
        detection = (tmp_path / "tbl-conclusions-upptackt.md").read_text(encoding="utf-8")
        assert "Många vägar in: ”Kommunen har" in detection
        companion = (tmp_path / "conclusions-companion.md").read_text(encoding="utf-8")
        assert (
            companion.startswith("# Källornas egna slutsatser")
            and "{{< include _generated/tbl-conclusions-all.md >}}" in companion
        )
        # the per-theme tables are the companion's, one heading each; an empty theme has none
        assert "## Stöd och insatser\n\n{{< include _generated/tbl-conclusions-stod-insatser.md >}}" in companion
        assert "tbl-conclusions-uppfoljning" not in companion
        refs = set(pd.read_csv(tmp_path / "provenance" / "tbl-conclusions-all.csv")["source_ref"])
        assert refs == {"000.txt § A", "000.txt § B", "002.txt § C", "002.txt § D"}

    def test_unknown_source_kind_or_theme_is_refused(self, default_config, conclusions_root):
        config = dict(default_config, conclusions="data/raw/conclusions")
        frame = themes.load_conclusions(config, conclusions_root)
        frame.loc[0, "kind"], frame.loc[1, "theme"], frame.loc[2, "source"] = "opinion", "weather", "x_2030"
        problems = themes.check_conclusions(frame, config)
        assert len(problems) == 3 and all("unknown" in p for p in problems)

    def test_the_default_build_shows_the_real_table(self, default_config, built):
        assert default_config["conclusions"] == "data/raw/conclusions"
        frame = themes.load_conclusions(default_config, paths.ROOT)
        assert themes.check_conclusions(frame, default_config) == []
        assets, _ = built
        every = (assets / "tbl-conclusions-all.md").read_text(encoding="utf-8")
        assert every.count("\n| ") == len(frame) + 1  # header row + one row per conclusion
        support = (assets / "tbl-conclusions-stod-insatser.md").read_text(encoding="utf-8")
        assert "Upphandlingar är inte formulerade" in support


def test_own_inputs_may_lack_an_item_a_published_source_may_not(default_config, combined_tables):
    mapping = pd.DataFrame(
        [{"theme": "barn", "source": "stockholm_2008", "evidence": "count", "table": "shares", "key": "no_such/row"}]
    )
    own = dict(
        default_config,
        sources=dict(
            default_config["sources"],
            stockholm_2008=dict(default_config["sources"]["stockholm_2008"], inputs={"kind": "survey_microdata"}),
        ),
    )
    assert themes.check_mapping(mapping, own, combined_tables["shares"], {}) == []
    assert themes.available_rows(mapping, combined_tables["shares"], {}).empty
    assert themes.check_mapping(mapping, default_config, combined_tables["shares"], {}) != []


def test_conclusions_rows_are_left_out_when_the_config_names_no_conclusions(default_config, combined_tables):
    row = {"theme": "uppfoljning", "source": "lansstyrelserna_2015", "evidence": "words", "table": "conclusions"}
    mapping = pd.DataFrame([dict(row, key="lansstyrelserna_2015_da5")])
    without = {k: v for k, v in default_config.items() if k != "conclusions"}
    assert themes.check_mapping(mapping, without, combined_tables["shares"], {}) == []
    assert themes.available_rows(mapping, combined_tables["shares"], {}).empty
    # with the conclusions named, a published source must have the row
    assert themes.check_mapping(mapping, default_config, combined_tables["shares"], {}) != []


class TestHighlights:
    """The main report shows per theme a few of the sources' own statements as a short list (the
    choice: config/report_highlights.csv); the companion keeps them all."""

    def test_every_chosen_statement_exists_and_each_theme_has_a_few(self, default_config):
        conclusions = themes.load_conclusions(default_config, paths.ROOT)
        highlights = themes.load_highlights(paths.ROOT / themes.HIGHLIGHTS)
        assert themes.check_highlights(highlights, conclusions, default_config) == []
        assert set(highlights["theme"]) >= set(themes.theme_labels(default_config)) - {"barn"}

    def test_a_bad_choice_is_refused_with_every_problem(self, default_config):
        conclusions = themes.load_conclusions(default_config, paths.ROOT)
        highlights = pd.DataFrame(
            {
                "theme": ["weather", "upptackt", "upptackt", *["samverkan"] * 5],
                "id": ["skl_2016_sf1", "no_such_id", "skl_2016_sf1", *conclusions["id"][:5]],
            }
        )
        problems = " | ".join(themes.check_highlights(highlights, conclusions, default_config))
        assert "unknown theme ['weather']" in problems and "no conclusion with id ['no_such_id']" in problems
        assert "chosen twice ['skl_2016_sf1']" in problems and "samverkan has 5 statements" in problems

    def test_the_list_names_source_year_and_kind_and_quotes_as_printed(self, built):
        assets, _ = built
        support = (assets / "conclusions-stod-insatser.md").read_text(encoding="utf-8")
        items = [line for line in support.splitlines() if line.startswith("- ")]
        assert 1 <= len(items) <= 4
        assert "- *Sörmland 2019, problem:* ”Svårigheter att få bostad" in support
        # a heading printed over several statements is a section title, left out; a heading that
        # names one statement (SKL's success factors) is kept
        assert "Förbättringsområden efter avslutad tillsyn" not in support
        detection = (assets / "conclusions-upptackt.md").read_text(encoding="utf-8")
        assert "*SKL 2016, framgångsfaktor:* Många vägar in: ”Genom att" in detection
        assert (assets / "conclusions-barn.md").read_text(encoding="utf-8") == ""

    def test_a_reprinted_statement_is_credited_to_its_author_with_its_reference(self, built, default_config):
        """said_by: the 2014 investigation's proposals are its own, reprinted by the county boards."""
        assets, _ = built
        steering = (assets / "conclusions-styrning-samordning.md").read_text(encoding="utf-8")
        size = (assets / "conclusions-kommunstorlek.md").read_text(encoding="utf-8")
        for text in (steering, size):
            assert (
                "Utredningen om kvinnofridssamordnare [@lst_stockholm_2014], återgiven i Länsstyrelserna 2015" in text
            )
            assert "*Länsstyrelserna 2015, rekommendation:*" not in text
        frame = themes.load_conclusions(default_config, paths.ROOT)
        bad = frame.assign(said_by=frame["said_by"].replace("lst_stockholm_2014", "nobody"))
        assert "said_by ['nobody'] has no text" in " ".join(themes.check_conclusions(bad, default_config))

    def test_input_text_in_a_statement_is_shown_as_text(self, default_config, conclusions_root, tmp_path):
        config = dict(default_config, conclusions="data/raw/conclusions")
        frame = themes.load_conclusions(config, conclusions_root)
        frame.loc[1, "text"] = "<b>x</b> {{< var y >}} *z*"
        highlights = pd.DataFrame({"theme": ["stod_insatser"], "id": ["s_p01"]})
        themes.write_highlights(frame, highlights, config, tmp_path)
        text = (tmp_path / "conclusions-stod-insatser.md").read_text(encoding="utf-8")
        assert "<b>" not in text and "{{<" not in text and "\\*z\\*" in text

    def test_the_report_includes_the_lists_not_the_tables(self):
        results = (paths.REPORT / "sections" / "_resultat.qmd").read_text(encoding="utf-8")
        assert "tbl-conclusions-" not in results
        for theme in themes.theme_labels():
            assert f"{{{{< include _generated/conclusions-{theme.replace('_', '-')}.md >}}}}" in results
