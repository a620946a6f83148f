"""Tests for the municipality reference data in data/raw/reference/.

Run: python -m pytest -q tests/test_reference.py
"""

import re
from pathlib import Path

import pandas as pd
import pytest

from support import seeds
from support.transcription import seed_lines, seed_text

REF = Path(__file__).parents[1] / "data/raw/reference"
SHARED = Path(__file__).parents[2] / "shared"  # ../shared seen from the repo root
CODES = {"kommunkod": str, "lanskod": str}

SORMLAND = {"Eskilstuna", "Nyköping", "Katrineholm", "Strängnäs", "Flen", "Gnesta", "Oxelösund", "Trosa", "Vingåker"}
DALARNA = {
    "Avesta",
    "Borlänge",
    "Falun",
    "Gagnef",
    "Hedemora",
    "Leksand",
    "Ludvika",
    "Malung-Sälen",
    "Mora",
    "Orsa",
    "Rättvik",
    "Smedjebacken",
    "Säter",
    "Vansbro",
    "Älvdalen",
}
DISTRICTS_2008 = {
    "Rinkeby-Kista",
    "Spånga-Tensta",
    "Hässelby-Vällingby",
    "Bromma",
    "Kungsholmen",
    "Norrmalm",
    "Östermalm",
    "Södermalm",
    "Enskede-Årsta-Vantör",
    "Skarpnäck",
    "Farsta",
    "Älvsjö",
    "Hägersten-Liljeholmen",
    "Skärholmen",
}
# SKL 2016, Bilaga 3 Tabell 1 (002_87c9ca1a3933a024.txt lines 2074-2081, 2137-2139)
SKL_BEFOLKNINGSGRUPP = {
    "Göteborg": 5,
    "Höganäs": 2,
    "Lund": 4,
    "Nykvarn": 1,
    "Ronneby": 2,
    "Skellefteå": 4,
    "Trollhättan": 3,
    "Tyresö": 3,
}
KOMMUNGRUPPER = {"A1": 3, "A2": 43, "B3": 21, "B4": 52, "B5": 35, "C6": 29, "C7": 52, "C8": 40, "C9": 15}


def read(name, **kw):
    return pd.read_csv(REF / name, keep_default_na=False, **kw)


@pytest.fixture(scope="module")
def kommuner():
    return read("kommuner.csv", dtype=CODES)


@pytest.fixture(scope="module")
def districts():
    return read("stockholm_districts.csv", dtype=str)


@pytest.fixture(scope="module")
def aliases():
    return read("name_aliases.csv", dtype=str)


def test_290_unique_four_digit_codes(kommuner):
    assert len(kommuner) == 290
    assert kommuner["kommunkod"].is_unique
    assert kommuner["kommunkod"].str.fullmatch(r"\d{4}").all()
    assert kommuner["kommun"].is_unique
    assert (kommuner.astype(str) != "").all().all(), "empty cells"


def test_lanskod_is_first_two_digits(kommuner):
    assert kommuner["lanskod"].str.fullmatch(r"\d{2}").all()
    assert (kommuner["lanskod"] == kommuner["kommunkod"].str[:2]).all()
    assert kommuner["lanskod"].nunique() == 21
    # one county name per county code
    assert kommuner.groupby("lanskod")["lan"].nunique().eq(1).all()


def test_county_counts(kommuner):
    n = kommuner["lanskod"].value_counts()
    assert n["01"] == 26  # Stockholm county: 25 municipalities + Stockholm city
    assert n["04"] == 9
    assert n["20"] == 15
    lan = kommuner.groupby("lanskod")["lan"].first()
    assert lan["01"] == "Stockholms län"
    assert lan["04"] == "Södermanlands län"
    assert lan["20"] == "Dalarnas län"


def test_sormland_and_dalarna_names_in_right_county(kommuner):
    by_county = kommuner.groupby("lanskod")["kommun"].apply(set)
    assert by_county["04"] == SORMLAND
    assert by_county["20"] == DALARNA


def test_stockholm_2008_units(kommuner, districts):
    sthlm = kommuner[kommuner["lanskod"] == "01"]
    assert "0180" in set(sthlm["kommunkod"])
    assert kommuner.set_index("kommunkod").loc["0180", "kommun"] == "Stockholm"
    others = sthlm[sthlm["kommunkod"] != "0180"]
    assert len(others) == 25
    assert len(others) + len(districts) == 39


def test_stockholm_districts(districts, kommuner):
    assert len(districts) == 14
    assert districts["unit_id"].is_unique
    assert districts["stadsdel"].is_unique
    assert set(districts["stadsdel"]) == DISTRICTS_2008
    assert (districts["kommunkod"] == "0180").all()
    assert districts["unit_id"].str.fullmatch(r"0180-[a-z0-9]+(-[a-z0-9]+)*").all()
    assert (districts["unit_id"].str[:4] == districts["kommunkod"]).all()
    assert (districts["source_ref"] != "").all()
    assert "0180-bromma" in set(districts["unit_id"])


def test_aliases_map_to_existing_municipality(aliases, kommuner):
    name = kommuner.set_index("kommunkod")["kommun"]
    assert len(aliases) > 0
    assert aliases["alias"].is_unique
    assert aliases["kommunkod"].isin(name.index).all(), "unknown kommunkod"
    assert (aliases["kommunkod"].map(name) == aliases["kommun"]).all(), "kommun != name of kommunkod"
    assert (aliases["source_ref"] != "").all()
    # an alias must not be the official short name of any municipality
    assert not aliases["alias"].isin(set(name)).any()
    assert (
        aliases["alias_type"]
        .isin({"full_name", "self_designation", "spelling_variant", "former_name", "district"})
        .all()
    )


def test_required_aliases_present(aliases):
    a = aliases.set_index("alias")["kommun"]
    expected = {
        "Falu kommun": "Falun",
        "Malung-Sälens kommun": "Malung-Sälen",
        "Stockholms stad": "Stockholm",
        "Upplands-Väsby": "Upplands Väsby",
        "Region Gotland": "Gotland",
        "Trollhättans stad": "Trollhättan",
    }
    for alias, kommun in expected.items():
        assert a.get(alias) == kommun, alias
    # invented genitives must not be there
    assert not {"Faluns kommun", "Hedemoras kommun", "Kalmars kommun"} & set(a.index)


def _norm(s):
    return re.sub(r"\s+", " ", s.replace("\u2010", "-")).strip()


def test_seed_aliases_printed_near_seed_line(aliases):
    seeds.require(seeds.SEEDS)
    seeded = aliases[aliases["seed_line"] != ""]
    assert len(seeded) >= 10
    for r in seeded.itertuples():
        seed = r.source_ref.split(" ")[0]
        lines = seed_lines(SHARED / "seeds" / seed)
        window = _norm(seed_text(lines, int(r.seed_line), 1, 4))
        assert r.alias in window, f"{r.alias!r} not near {seed}:{r.seed_line}"


def test_skl_befolkningsgrupp_matches_population_2015(kommuner):
    pop = kommuner.set_index("kommun")["folkmangd_2015"].astype(int)

    def band(n):
        return 1 if n < 15000 else 2 if n < 30000 else 3 if n < 70000 else 4 if n < 200000 else 5

    for k, grp in SKL_BEFOLKNINGSGRUPP.items():
        assert band(pop[k]) == grp, (k, pop[k], grp)


def test_population_totals_and_groups(kommuner):
    totals = {
        "folkmangd_2008": 9256347,
        "folkmangd_2015": 9851017,
        "folkmangd_2019": 10327589,
        "folkmangd_2020": 10379295,
    }
    for col, total in totals.items():
        v = kommuner[col].astype(int)
        assert (v > 0).all()
        assert v.sum() == total, col
    assert kommuner["kommungrupp_2017"].value_counts().to_dict() == KOMMUNGRUPPER
    assert (kommuner["huvudgrupp_2017"] == kommuner["kommungrupp_2017"].str[0]).all()


def test_codebook_covers_every_column_and_code(kommuner, districts, aliases):
    cb = read("codebook.csv", dtype=str)
    assert list(cb.columns) == ["file", "column", "code", "type", "required", "min", "max", "label_sv", "description"]
    for fname, df in [
        ("kommuner.csv", kommuner),
        ("stockholm_districts.csv", districts),
        ("name_aliases.csv", aliases),
    ]:
        rows = cb[(cb["file"] == fname) & (cb["code"] == "")]
        assert list(rows["column"]) == list(df.columns), fname
        for r in rows[rows["type"] == "code"].itertuples():
            allowed = set(cb[(cb["file"] == fname) & (cb["column"] == r.column) & (cb["code"] != "")]["code"])
            assert allowed and set(df[r.column]) <= allowed, (fname, r.column)
        for r in rows[rows["required"] == "yes"].itertuples():
            assert (df[r.column] != "").all(), (fname, r.column)
    kg = cb[(cb["file"] == "kommuner.csv") & (cb["column"] == "kommungrupp_2017") & (cb["code"] != "")]
    assert set(kg["code"]) == set(KOMMUNGRUPPER)
    # the shared check of every column and code of every CSV, and the files' format: test_raw_common.py


def test_pinned_copy_is_byte_identical():
    shared = SHARED / "reference/kommuner.csv"
    if not shared.exists():
        pytest.skip("../shared/reference/kommuner.csv not available")
    assert (REF / "kommuner.csv").read_bytes() == shared.read_bytes()
