"""normalise: whitespace, municipality names → units, response categories → codes."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis import normalise
from analysis.normalise import MunicipalityIndex, clean_text, response_code

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "raw" / "reference"
NAMES = Path(__file__).parent / "data" / "municipality_names.csv"  # name → unit_id, the way sources write them


def names_of(kind: str) -> list[tuple[str, str]]:
    """The (name, unit_id) rows of tests/data/municipality_names.csv whose unit is of this kind."""
    with NAMES.open(encoding="utf-8", newline="") as f:
        return [(r["name"], r["unit_id"]) for r in csv.DictReader(f) if r["kind"] == kind]


@pytest.fixture(scope="module")
def index() -> MunicipalityIndex:
    return MunicipalityIndex.from_reference(REFERENCE)


class TestCleanText:
    @pytest.mark.parametrize(
        "raw, clean",
        [
            ("  Mora ", "Mora"),
            ("Stockholms\u00a0 stad", "Stockholms stad"),
            ("a\t\tb", "a b"),
            ("\ufeffkommun", "kommun"),
            ("rad 1 \r\n  rad 2 ", "rad 1\nrad 2"),
            ("", None),
            ("   ", None),
            ("\u00a0", None),
            (None, None),
            (float("nan"), None),
            (pd.NA, None),
            (12, "12"),
        ],
    )
    def test_cleans(self, raw, clean):
        assert clean_text(raw) == clean

    def test_clean_frame_cleans_cells_and_column_names(self):
        frame = pd.DataFrame({" kommun ": [" Mora ", "  "], "n": ["1 ", None]}, dtype="str")
        out = normalise.clean_frame(frame)
        assert out.columns.tolist() == ["kommun", "n"]
        assert out["kommun"].tolist()[0] == "Mora" and pd.isna(out["kommun"].iloc[1])


class TestResponseCode:
    @pytest.mark.parametrize(
        "raw, code",
        [
            ("Ja", "yes"),
            ("JA", "yes"),
            (" ja ", "yes"),
            ("Nej", "no"),
            ("nej\u00a0", "no"),
            ("Delvis", "partly"),
            ("DELVIS", "partly"),
            ("Vet ej", "dont_know"),
            ("vet  EJ", "dont_know"),
            ("Vet inte", "dont_know"),
            ("yes", "yes"),
            ("dont_know", "dont_know"),
        ],
    )
    def test_codes(self, raw, code):
        assert response_code(raw) == code

    @pytest.mark.parametrize("blank", ["", "   ", None, float("nan"), "\u00a0"])
    def test_blank_is_missing_never_no(self, blank):
        assert response_code(blank) is None

    @pytest.mark.parametrize("other", ["Jaa", "N", "0", "kanske", "Ja/Nej"])
    def test_anything_else_is_an_error_naming_the_answers(self, other):
        with pytest.raises(ValueError, match="expected one of Ja, Nej, Delvis, Vet ej or blank"):
            response_code(other)

    def test_is_response(self):
        assert normalise.is_response(" nej ") and not normalise.is_response("") and not normalise.is_response("Polisen")


class TestMunicipalities:
    @pytest.mark.parametrize("name, unit_id", names_of("municipality"))
    def test_municipality_names_to_kommunkod(self, index, name, unit_id):
        unit = index.resolve(name)
        assert unit is not None and unit.unit_id == unit_id and unit.kind == "municipality"

    @pytest.mark.parametrize("name, unit_id", names_of("district"))
    def test_stockholm_districts_are_units_of_their_own(self, index, name, unit_id):
        unit = index.resolve(name)
        assert unit is not None and unit.unit_id == unit_id and unit.kommunkod == "0180" and unit.kind == "district"

    @pytest.mark.parametrize(
        "name", ["Stokholm", "Bromma kommun stad", "Upplands Bro", "Falunn", "Kista", "", None, "Stockholm, Mora"]
    )
    def test_unknown_names_are_none(self, index, name):
        assert index.resolve(name) is None

    @pytest.mark.parametrize(
        "name, closest",
        [
            ("Stokholm", "Stockholm"),
            ("Upplands Bro", "Upplands-Bro"),
            ("Sollentunna kommun", "Sollentuna"),
            ("Brommaa", "Bromma"),
            ("Göteborgs stad", "Göteborg"),
            ("Ludvka", "Ludvika"),
        ],
    )
    def test_closest_names(self, index, name, closest):
        assert index.closest(name)[0] == closest
        assert f"'{closest}'" in index.describe_unknown(name)

    def test_nothing_close(self, index):
        assert index.closest("xyzzy") == []
        assert "e.g. 'Botkyrka', 'Bromma'" in index.describe_unknown("xyzzy")

    def test_all_290_municipalities_and_14_districts(self, index):
        assert len(index.municipalities) == 290
        assert sum(u.kind == "district" for u in index.units.values()) == 14
        kommuner = pd.read_csv(REFERENCE / "kommuner.csv", dtype=str)
        assert all(index.resolve(n).kommunkod == k for n, k in zip(kommuner["kommun"], kommuner["kommunkod"]))
        assert all(
            index.resolve(n + " kommun").kommunkod == k for n, k in zip(kommuner["kommun"], kommuner["kommunkod"])
        )

    @pytest.mark.parametrize(
        "group, unit_id",
        [
            ("trollhattan", "1488"),
            ("falun", "2080"),
            ("malung_salen", "2023"),
            ("upplands_bro", "0139"),
            ("0180", "0180"),
        ],
    )
    def test_group_ids(self, index, group, unit_id):
        assert index.resolve_slug(group).unit_id == unit_id

    def test_slug(self):
        assert normalise.slug("Malung-Sälen") == "malung_salen" and normalise.slug("Örebro") == "orebro"
