"""report/references.bib: every title, number and address is printed in the source's text, and
what the fallback renderer (pandoc citeproc, the same processor Quarto uses) prints for each
entry includes the note on a missing title page."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
BIB = ROOT / "report/references.bib"
SEEDS = ROOT.parent / "shared/seeds"
SEED_OF = {
    "lst_stockholm_2008": "001_ef6ed4fd332bf2ed.txt",
    "rss_sormland_2019": "000_4e00bc4709ff3942.txt",
    "region_dalarna_2020": "004_0204c90b7797a8fc.txt",
    "skl_2016": "002_87c9ca1a3933a024.txt",
    "lansstyrelserna_2015": "003_f89261d3c06baefe.txt",
}
# The law that has changed since the sources were written (cited, not a source: no seed)
LAW = {"prop_2023_24_31": "2023/24:31", "prop_2024_25_89": "2024/25:89"}
# A text a source reprints (data/raw/conclusions said_by): key -> (seed of the reprinting source, number)
REPRINTED = {"lst_stockholm_2014": ("lansstyrelserna_2015", "2014:13")}
# The reference data of the size breakdowns (Metod och material; data/raw/reference/SOURCES.md)
REFERENCE_DATA = {
    "skr_kommungrupper_2017": "Kommungruppsindelning 2017",
    "scb_folkmangd_2019": "Folkmängden i Sveriges kommuner 1950–2019",
}


def entries() -> dict[str, dict[str, str]]:
    """{key: {field: value}} of the .bib file (one field per line, as the file is written)."""
    out, key = {}, None
    for line in BIB.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"@\w+\{([^,]+),", line):
            key = m.group(1)
            out[key] = {}
        elif key and (m := re.match(r"\s+(\w+) = \{(.*)\},?$", line)):
            out[key][m.group(1)] = m.group(2).strip("{}")
    return out


def flat(text: str) -> str:
    """Seed text with line-end hyphenation joined and whitespace collapsed."""
    text = re.sub(r"(?<=[^\W\d_])[-\u2010]\s*\n\s*(?=[a-zåäö])", "", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.fixture(scope="module")
def seeds():
    missing = [n for n in SEED_OF.values() if not (SEEDS / n).is_file()]
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"seed files missing in {SEEDS}: {missing} (CI=true)")
        pytest.skip(f"seed files missing in {SEEDS}: {missing}")
    return {key: flat((SEEDS / name).read_text(encoding="utf-8")) for key, name in SEED_OF.items()}


def sources() -> dict[str, dict[str, str]]:
    return {key: fields for key, fields in entries().items() if key in SEED_OF}


def test_one_entry_per_source_and_the_law_since():
    assert set(entries()) == set(SEED_OF) | set(LAW) | set(REFERENCE_DATA) | set(REPRINTED)
    for key, number in LAW.items():
        assert entries()[key]["type"] == "Proposition" and entries()[key]["number"] == number
    for key, title in REFERENCE_DATA.items():
        assert entries()[key]["title"].startswith(title), key


def test_titles_are_printed_or_marked_as_descriptions(seeds):
    for key, fields in sources().items():
        title = fields["title"]
        if title.startswith("["):
            assert title.endswith("]"), key
            assert "titeln inom hakparentes är en beskrivning" in fields["series"], key
        else:
            assert title in seeds[key], f"{key}: title not printed in its seed"
        assert fields["series"].startswith("Titelsidan saknas i textversionen"), key


def test_numbers_addresses_and_names_are_printed_in_the_seed(seeds):
    bib = entries()
    for key, fields in sources().items():
        if "url" in fields:
            assert fields["url"].removeprefix("http://") in seeds[key], key
        for isbn in re.findall(r"ISBN ([\d-]+)", fields["series"]):
            assert f"ISBN {isbn}" in seeds[key], key
    assert "Hanna Lundgren, Agneta Haraldsson Region Dalarna" in seeds["region_dalarna_2020"]
    assert "Falun 2020-03-02" in seeds["region_dalarna_2020"]
    assert "Jenny Norén" in seeds["skl_2016"] and "Emelie Printz" in seeds["skl_2016"]
    # "8. Fjärde jämställdhetsdelmålet: …" in the list of the county board's reports of 2015
    listing = seeds["lansstyrelserna_2015"]
    assert "Utkomna rapporter under 2015" in listing
    assert re.search(
        r"8\.\s+Fjärde jämställdhetsdelmålet: Mäns våld mot kvinnor ska upphöra\s+– länsstyrelsernas "
        r"samordning av insatser",
        listing,
    )
    assert bib["lansstyrelserna_2015"]["number"] == "2015:8"


def test_a_reprinted_text_is_named_as_the_reprinting_source_prints_it(seeds):
    """Title, publisher and number of lst_stockholm_2014 as seed 003 prints them (lines 1161–1163)."""
    bib = entries()
    for key, (source, number) in REPRINTED.items():
        fields = bib[key]
        printed = f"{fields['title']} (rapport {number}, {fields['institution']})"
        assert printed in seeds[source], key
        assert fields["number"] == number and fields["series"].startswith("Återgiven i "), key


def test_the_fallback_renderer_prints_the_notes(tmp_path):
    pypandoc = pytest.importorskip("pypandoc")
    doc = tmp_path / "refs.md"
    doc.write_text(f"---\nlang: sv\nbibliography: {BIB}\nnocite: '@*'\n---\n\n::: {{#refs}}\n:::\n", encoding="utf-8")
    text = re.sub(r"\s+", " ", pypandoc.convert_file(str(doc), "plain", extra_args=["--citeproc"]))
    for key, fields in sources().items():
        assert fields["series"] in text, f"{key}: the note is not rendered"
        assert fields["title"] in text, key
    for key, number in LAW.items():
        assert entries()[key]["title"] in text and f"Proposition {number}" in text, key
    assert "Rapport 2015:8" in text
    assert "Lundgren, Hanna, och Agneta Haraldsson. 2020." in text
    for title in REFERENCE_DATA.values():
        assert title in text, title
    assert "2016a" not in text  # SKL 2016 keeps its year alone
