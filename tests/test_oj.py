import pandas as pd
import pytest

from analysis import oj, paths
from analysis.sources import load_published


def reference():
    kommuner = pd.DataFrame(
        {
            "kommunkod": ["0138", "1488", "0140"],
            "kommun": ["Tyresö", "Trollhättan", "Nykvarn"],
        }
    )
    aliases = pd.DataFrame({"alias": ["Trollhättans stad"], "kommun": ["Trollhättan"], "kommunkod": ["1488"]})
    return {"kommuner": kommuner, "name_aliases": aliases}


def skl_tables(values, indicators=None):
    """values: [(kommun, indicator, value-as-text)]."""
    indicators = (
        indicators
        if indicators is not None
        else pd.DataFrame(
            {
                "indicator": ["oj_01", "oj_02"],
                "label": ["Första", "Andra"],
                "quality_area": ["Q", "Q"],
                "indicator_area": ["A", "B"],
                "national_share_percent": [90.0, 20.0],
            }
        )
    )
    return {"oj_values": pd.DataFrame(values, columns=["kommun", "indicator", "value"]), "indicators": indicators}


# --- oj_kommun_long ---------------------------------------------------------------------------


def test_long_form_has_exact_columns_codes_labels_and_int_values():
    tables = skl_tables(
        [
            ("Tyresö", "oj_02", "1"),
            ("Tyresö", "oj_01", "2"),
            ("Trollhättans stad", "oj_01", "0"),
            ("Trollhättans stad", "oj_02", "2"),
        ]
    )
    out = oj.oj_kommun_long(tables, reference())
    assert list(out.columns) == ["kommunkod", "kommun", "indicator", "label", "value"]
    # sorted by kommunkod then indicator; the alias resolves to Trollhättan's code
    assert out["kommunkod"].tolist() == ["0138", "0138", "1488", "1488"]
    assert out["indicator"].tolist() == ["oj_01", "oj_02", "oj_01", "oj_02"]
    assert out["label"].tolist() == ["Första", "Andra", "Första", "Andra"]
    assert out["value"].tolist() == [2, 1, 0, 2]
    assert pd.api.types.is_integer_dtype(out["value"])


def test_unresolved_municipality_is_named_in_the_error():
    tables = skl_tables([("Tyresö", "oj_01", "2"), ("Atlantis", "oj_01", "2")])
    with pytest.raises(KeyError, match="Atlantis"):
        oj.oj_kommun_long(tables, reference())


def test_kommuner_frame_alone_does_not_know_aliases():
    tables = skl_tables([("Trollhättans stad", "oj_01", "2")])
    with pytest.raises(KeyError, match="Trollhättans stad"):
        oj.oj_kommun_long(tables, reference()["kommuner"])


def test_value_outside_0_1_2_is_rejected():
    with pytest.raises(ValueError, match="0, 1 or 2"):
        oj.oj_kommun_long(skl_tables([("Tyresö", "oj_01", "3")]), reference())


def test_indicator_without_label_is_rejected():
    with pytest.raises(KeyError, match="oj_99"):
        oj.oj_kommun_long(skl_tables([("Tyresö", "oj_99", "2")]), reference())


# --- oj_vs_nation / furthest_apart ------------------------------------------------------------


def test_vs_nation_shares_and_difference_in_points_by_hand():
    # oj_01: 2, 1, 1, 0 → ja 1/4 = 0.25, delvis 2/4, nej 1/4; nation 90 % → −65 points
    # oj_02: 2, 2, 2, 0 → ja 3/4 = 0.75; nation 20 % → +55 points
    values = [(k, "oj_01", v) for k, v in zip("ABCD", ["2", "1", "1", "0"])]
    values += [(k, "oj_02", v) for k, v in zip("ABCD", ["2", "2", "2", "0"])]
    out = oj.oj_vs_nation(skl_tables(values)).set_index("indicator")
    assert list(out.reset_index().columns) == oj.NATION_COLUMNS
    assert out.loc["oj_01", ["n_ja", "n_delvis", "n_nej", "N"]].tolist() == [1, 2, 1, 4]
    assert out.loc["oj_01", "share_ja"] == pytest.approx(0.25)
    assert out.loc["oj_01", "share_delvis"] == pytest.approx(0.5)
    assert out.loc["oj_01", "national_share_ja"] == pytest.approx(0.9)
    assert out.loc["oj_01", "difference_pp"] == pytest.approx(-65.0)
    assert out.loc["oj_02", "share_ja"] == pytest.approx(0.75)
    assert out.loc["oj_02", "national_share_ja"] == pytest.approx(0.2)
    assert out.loc["oj_02", "difference_pp"] == pytest.approx(55.0)
    # ranked by the absolute difference: |−65| before |+55|
    assert out.loc["oj_01", "rank_abs_difference"] == 1
    assert out.loc["oj_02", "rank_abs_difference"] == 2
    assert out.loc["oj_01", "label"] == "Första" and out.loc["oj_02", "indicator_area"] == "B"


def nation_frame():
    return pd.DataFrame({"indicator": ["a", "b", "c", "d"], "difference_pp": [10.0, -30.0, 30.0, 5.0]})


def test_furthest_apart_by_absolute_difference_ties_by_id():
    out = oj.furthest_apart(nation_frame(), 3)
    assert out["indicator"].tolist() == ["b", "c", "a"]  # |−30| = |30|: b before c


def test_furthest_apart_directions():
    assert oj.furthest_apart(nation_frame(), 2, "above")["indicator"].tolist() == ["c", "a"]
    assert oj.furthest_apart(nation_frame(), 5, "below")["indicator"].tolist() == ["b"]
    with pytest.raises(ValueError):
        oj.furthest_apart(nation_frame(), 2, "sideways")


# --- the real data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return load_published(paths.RAW / "skl_2016"), load_published(paths.RAW / "reference")


def test_real_long_form_480_rows_every_code_in_the_reference(real):
    skl, ref = real
    out = oj.oj_kommun_long(skl, ref)
    assert len(out) == 480
    assert list(out.columns) == oj.LONG_COLUMNS
    assert set(out["kommunkod"]) <= set(ref["kommuner"]["kommunkod"])
    assert out["kommunkod"].str.fullmatch(r"\d{4}").all()
    assert out["kommun"].nunique() == 8 and out["indicator"].nunique() == 60
    assert set(out["value"]) <= {0, 1, 2}
    assert not out.duplicated(["kommunkod", "indicator"]).any()
    # Tyresö: the values give 48 ja, the table prints 49 (README discrepancy 1)
    assert (out[(out["kommun"] == "Tyresö")]["value"] == 2).sum() == 48


def test_real_vs_nation(real):
    skl, _ = real
    out = oj.oj_vs_nation(skl)
    assert len(out) == 60 and (out["N"] == 8).all()
    assert ((out["n_ja"] + out["n_delvis"] + out["n_nej"]) == 8).all()
    top = oj.furthest_apart(out, 1).iloc[0]
    # oj_41 police agreement: 7 of 8 vs 22 % in the nation → 87.5 − 22 = 65.5 points
    assert top["indicator"] == "oj_41" and top["difference_pp"] == pytest.approx(65.5)
