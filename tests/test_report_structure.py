"""The structure of the editions and of the technical companion, and the language of the main
report's own chapters, of Part II and of the captions and alt texts the main report shows
(issue 10): read from the report sources and text templates, no build needed."""

import re

import pytest
import yaml

from analysis import appendix, paths
from analysis.render.fallback import SHORTCODE

REPORT = paths.REPORT
SECTIONS = REPORT / "sections"
TEXTS = REPORT / "text" / "sv"
EDITIONS = ["rapport.qmd", "rapport-stockholm.qmd", "rapport-sormland.qmd", "rapport-dalarna.qmd"]
# Part I, in this order, in every edition (the summary differs per edition)
PART_ONE = ["_inledning.qmd", "_metod.qmd", "_resultat.qmd", "_diskussion.qmd", "_slutsatser.qmd", "_del2.qmd"]
COMPANION_ONLY = [
    "_metoddetaljer.qmd",
    "_reproduktion.qmd",
    "_tester.qmd",
    "_jamforelse.qmd",
    "_kallornas-slutsatser.qmd",
    "_bilagor.qmd",
]
# The chapters written for the readers (Part I and the summaries): no technical words, no typed numbers
READER_FILES = [
    "_sammanfattning.qmd",
    "_sammanfattning-stockholm.qmd",
    "_sammanfattning-sormland.qmd",
    "_sammanfattning-dalarna.qmd",
    *PART_ONE,
]
# Part II: each source on its own, in the main report and in the regional editions
PART_TWO = ["_stockholm.qmd", "_sormland.qmd", "_dalarna.qmd", "_nationellt.qmd", "_kommunstorlek.qmd"]
# The templates of texts that only the technical companion or the mapping document show
NOT_IN_MAIN_REPORT = ["appendix.yml", "manifest.yml", "reproduction.yml", "kartlaggning.yml"]
MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
TECHNICAL = re.compile(
    r"pipeline|notebook|\bbygge(?:t|n|na|ts)?\b|kontrollsumma|proveniens|source_ref|seed_line|data/(raw|processed)"
    r"|\.csv\b|\.ipynb|\bmake\b|\bK\d+\b|Bilaga [ABC]\b|transkriber|reproducerbar|\bversion\b"
    r"|härlett\s+antal|via\s+kommunkod|\brutan\b",  # words of the build ('se rutan' pointed to an audit box)
    re.I,
)


def includes(name: str) -> list[str]:
    text = (REPORT / name).read_text(encoding="utf-8")
    return [Path_name for kind, Path_name in ((k, a.strip()) for k, a in SHORTCODE.findall(text)) if kind == "include"]


def leaves(node, path: tuple[str, ...] = ()):
    """Every string in a parsed YAML template, with its path of keys."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*path, str(i)))
    elif isinstance(node, str):
        yield path, node


def captions_in_main_report() -> list[tuple[str, str]]:
    """The caption and alt-text templates of the figures and tables: all but those of the
    documents the main report does not include, and of ids the main report does not show."""
    shown = appendix.items_in_document(REPORT / "rapport.qmd", REPORT)
    found = []
    for file in sorted(TEXTS.glob("*.yml")):
        if file.name in NOT_IN_MAIN_REPORT:
            continue
        for path, text in leaves(yaml.safe_load(file.read_text(encoding="utf-8"))):
            ids = [key for key in path if key.startswith(("fig-", "tbl-"))]
            if ids and ids[0] not in shown:
                continue
            if any("caption" in key or key.startswith("alt") for key in path):
                found.append((f"{file.name}:{'.'.join(path)}", text))
    return found


def prose(name: str) -> str:
    """A section's text without shortcodes, citations, cross-references and ids."""
    text = (SECTIONS / name).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^\d+\. ", "", text)  # a numbered list's markers are markup
    return re.sub(r"\{\{<.*?>\}\}|\[@[^\]]*\]|@(fig|tbl|sec)-[\w-]+|\{#[^}]*\}", "", text)


class TestEditions:
    @pytest.mark.parametrize("edition", EDITIONS)
    def test_part_one_in_order_then_part_two_then_references(self, edition):
        files = [i.removeprefix("sections/") for i in includes(edition)]
        assert files[0].startswith("_sammanfattning")
        assert files[1 : 1 + len(PART_ONE)] == PART_ONE
        assert files[-1] == "_referenser.qmd"
        assert not set(files) & set(COMPANION_ONLY), edition

    def test_regional_editions_hold_their_own_county_only(self):
        for region in ("stockholm", "sormland", "dalarna"):
            files = includes(f"rapport-{region}.qmd")
            counties = [
                f for f in files if f in ("sections/_stockholm.qmd", "sections/_sormland.qmd", "sections/_dalarna.qmd")
            ]
            assert counties == [f"sections/_{region}.qmd"]
            assert f"sections/_sammanfattning-{region}.qmd" in files

    def test_the_companion_holds_the_technical_material_and_traces_every_edition(self):
        files = [i.removeprefix("sections/") for i in includes("teknisk-bilaga.qmd")]
        assert set(COMPANION_ONLY) <= set(files)
        traced = [p.name for p in appendix.traced_documents(REPORT / "teknisk-bilaga.qmd")]
        assert traced == EDITIONS

    def test_part_two_leaves_the_audit_to_the_companion(self):
        """Checks of the sources' own numbers, misprints and counts of our own coding live in the
        companion (Underlag till del II), which shows and so traces every number moved there."""
        for name in PART_TWO:
            text = " ".join(prose(name).split())
            for audit in (
                "avrundar till hela procent",
                "tryckfel",
                "sådana påståenden",
                "kombinationer av kommun",
                "stämmer med de namngivna",
                "jämnt upp",
                "stämmer med den basen;",
            ):
                assert audit not in text, (name, audit)
        companion = appendix.items_in_document(REPORT / "teknisk-bilaga.qmd", REPORT)
        moved = {"stockholm.women_police_published", "dalarna.statements_N", "dalarna.cells_N"}
        assert moved | {"dalarna.codes_N", "national.lst_better_printed"} <= companion

    def test_the_companion_lists_what_every_edition_shows(self):
        shown = appendix.items_in_document(REPORT / "teknisk-bilaga.qmd", REPORT)
        for document in appendix.traced_documents(REPORT / "teknisk-bilaga.qmd"):
            shown |= appendix.items_in_document(document, REPORT)
        main = appendix.items_in_document(REPORT / "rapport.qmd", REPORT)
        assert main and main <= shown
        assert "tbl-themes-evidence" in main and "tbl-repro-status" not in main and "tbl-size-tests" not in main


class TestChapters:
    def test_results_have_every_theme_and_the_conclusions_point_to_them(self):
        results = (SECTIONS / "_resultat.qmd").read_text(encoding="utf-8")
        ids = set(re.findall(r"\{#(sec-res-[\w-]+)\}", results))
        assert {
            "sec-res-styrning",
            "sec-res-upptackt",
            "sec-res-stod",
            "sec-res-barn",
            "sec-res-valdsutovare",
            "sec-res-heder",
            "sec-res-samverkan",
            "sec-res-kompetens",
            "sec-res-uppfoljning",
        } <= ids
        conclusions = (SECTIONS / "_slutsatser.qmd").read_text(encoding="utf-8")
        assert "## Slutsatser" in conclusions and "## Rekommendationer" in conclusions
        # conclusions as bullets, recommendations as a numbered list in order of priority
        bullets = [line for line in conclusions.splitlines() if re.match(r"- |\d+\. ", line)]
        paragraphs = re.split(r"\n(?=- |\d+\. )", conclusions)
        assert len(bullets) >= 10
        recommendations = conclusions.split("## Rekommendationer")[1]
        numbers = [int(m) for m in re.findall(r"^(\d+)\. ", recommendations, flags=re.M)]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 5
        assert "prioritetsordning" in recommendations
        for paragraph in paragraphs[1:]:
            assert re.search(r"@sec-(res-|metod)", paragraph), paragraph[:80]
        cited = set(re.findall(r"@(sec-res-[\w-]+)", conclusions))
        assert cited <= ids

    @pytest.mark.parametrize(
        "summary",
        [
            "_sammanfattning.qmd",
            "_sammanfattning-stockholm.qmd",
            "_sammanfattning-sormland.qmd",
            "_sammanfattning-dalarna.qmd",
        ],
    )
    def test_a_summary_opens_with_five_to_seven_key_messages_each_with_a_count_and_a_pointer(self, summary):
        text = (SECTIONS / summary).read_text(encoding="utf-8")
        messages = re.split(r"\n(?=- \*\*)", text.split("**Huvudbudskap**", 1)[1].split("\n\n", 2)[1])
        assert 5 <= len(messages) <= 7, summary
        for message in messages:
            assert "{{< var " in message and re.search(r"@sec-[\w-]+", message), message[:80]

    def test_the_method_says_once_that_not_reported_is_not_no(self):
        method = (SECTIONS / "_metod.qmd").read_text(encoding="utf-8")
        assert method.count("Ej rapporterat är inte nej") == 1
        assert "Syfte och frågeställningar" in (SECTIONS / "_inledning.qmd").read_text(encoding="utf-8")


class TestLanguage:
    @pytest.mark.parametrize("name", [*READER_FILES, *PART_TWO])
    def test_no_technical_words(self, name):
        found = [m.group(0) for m in TECHNICAL.finditer(prose(name))]
        assert not found, (name, found)

    def test_no_technical_words_in_the_captions_and_alt_texts_of_the_main_report(self):
        captions = captions_in_main_report()
        assert len(captions) >= 20  # the templates are found
        found = [(where, m.group(0)) for where, text in captions for m in TECHNICAL.finditer(text)]
        assert not found, found

    @pytest.mark.parametrize("name", READER_FILES)
    def test_no_number_typed_by_hand(self, name):
        text = prose(name).replace("5 kap. 11 §", "")  # the law's chapter and section, not a figure
        text = re.sub(rf"\b\d{{1,2}} (?:{MONTHS}) (?:19|20)\d\d\b", "", text)  # a date (the law since the sources)
        typed = [t for t in re.findall(r"\d+", text) if not re.fullmatch(r"(19|20)\d\d", t)]
        assert not typed, (name, typed)

    @pytest.mark.parametrize("name", READER_FILES)
    def test_no_percentage_typed_and_no_claim_the_issue_called_misleading(self, name):
        text = prose(name)
        assert not re.search(r"\d\s?%", text)
        for claim in (
            "inga signifikanta skillnader",
            "finns nästan överallt, medan",
            "fel i\nkällorna själva",
            "som länsstyrelserna valde ut",
            "ingen hade systematisk uppföljning",
        ):
            assert claim not in text, (name, claim)

    def test_the_dated_term_appears_only_in_quotes_in_the_results(self):
        text = prose("_resultat.qmd")
        for match in re.finditer(r"bevittnat våld", text):
            assert text[max(0, match.start() - 20) : match.start()].rfind("”") >= 0, text[
                match.start() - 40 : match.end()
            ]


# The main report (every section the full edition includes): no words of the audit or of the
# transcription, no statistics jargon, one term for what a source does not report (review 2b).
MAIN_REPORT_WORDS = re.compile(
    r"\bkvantor\w*|\bkodat\b|\bkoder(na)?\b|\bkodning\w*|\brutor(na)?\b|\bvärdena\b|oviktat medelvärde"
    r"|medianskillnad\w*|\bförövare\w*|\bej angivet\b|\buppgift saknas\b|\bsignifikanstest\w*",
    re.I,
)


def main_report_sections() -> list[str]:
    return [i.removeprefix("sections/") for i in includes("rapport.qmd") if i.startswith("sections/")]


class TestMainReportLanguage:
    @pytest.mark.parametrize("name", main_report_sections())
    def test_no_audit_or_jargon_words(self, name):
        text = re.sub(r"”[^”]*”", "", prose(name))  # the sources' own words in quotes may stay
        found = [m.group(0) for m in MAIN_REPORT_WORDS.finditer(text)]
        assert not found, (name, found)

    @pytest.mark.parametrize("name", main_report_sections())
    def test_no_n_of_N_in_headings_and_no_straight_quotes(self, name):
        text = re.sub(r"\{\.[^}]*\}", "", prose(name))  # block attributes (a callout's title) are markup
        headings = [line for line in text.splitlines() if line.startswith("#")]
        assert not [h for h in headings if re.search(r"\bav\s*$|\d+ av \d+|n av N", h)], (name, headings)
        assert not re.search(r'"[^"\n]+"', text), name

    def test_the_law_since_the_sources_is_stated_and_cited(self):
        intro = (SECTIONS / "_inledning.qmd").read_text(encoding="utf-8")
        assert "{#sec-lagen}" in intro and "@prop_2023_24_31" in intro and "@prop_2024_25_89" in intro
        assert "kap." not in prose("_inledning.qmd")  # no chapter and paragraph of a law since replaced
        summary = (SECTIONS / "_sammanfattning.qmd").read_text(encoding="utf-8")
        assert "@sec-lagen" in summary
        advice = (SECTIONS / "_slutsatser.qmd").read_text(encoding="utf-8")
        assert "gör skyddat boende till en insats" not in advice  # done since 1 April 2024
