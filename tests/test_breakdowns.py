import pandas as pd
import pytest

from analysis import breakdowns as b
from analysis.errors import ConfigError, TableShapeError
from support.tables import grid_frame


def reference():
    kommuner = pd.DataFrame(
        {
            "kommunkod": ["0001", "0002", "0003", "0004"],
            "kommun": ["Alfa", "Beta", "Gamma", "Delta"],
            "kommungrupp_2017": ["A1", "C9", "C9", "B3"],
            "kommungrupp_2017_namn": ["Storstäder", "Landsbygd", "Landsbygd", "Större stad"],
            "folkmangd_2015": pd.array([250_000, 14_000, 16_000, 40_000], dtype="Int64"),
            # Gamma crosses the 15 000 limit between 2015 and 2019; Beta the other way
            "folkmangd_2019": pd.array([260_000, 15_000, 14_999, 41_000], dtype="Int64"),
        }
    )
    return {"kommuner": kommuner, "name_aliases": None}


def rows(frame, **criteria):
    mask = pd.Series(True, index=frame.index)
    for column, value in criteria.items():
        mask &= frame[column] == value
    return frame[mask]


def one(frame, **criteria):
    found = rows(frame, **criteria)
    assert len(found) == 1, criteria
    return found.iloc[0]


# --- population bands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "population, band",
    [
        (0, "1"),
        (14_999, "1"),
        (15_000, "2"),
        (29_999, "2"),
        (30_000, "3"),
        (69_999, "3"),
        (70_000, "4"),
        (199_999, "4"),
        (200_000, "5"),
        (548_190, "5"),
    ],
)
def test_population_band_edges(population, band):
    assert b.population_band(population) == band


def test_population_band_rejects_missing_and_negative():
    with pytest.raises(ValueError):
        b.population_band(None)
    with pytest.raises(ValueError):
        b.population_band(-1)


# --- Sörmland -----------------------------------------------------------------------------------


def sormland_tables():
    municipalities = pd.DataFrame({"kommun": ["Alfa", "Beta", "Gamma"], "size_class": ["larger", "smaller", "smaller"]})
    areas = []
    for area, domain, stated, shared in [
        ("x", "competence", {"larger": "yes", "medium": "not_listed", "smaller": "yes"}, "no"),
        ("y", "competence", {"larger": "not_listed", "medium": "not_listed", "smaller": "yes"}, "no"),
        ("z", "county_wide_areas", {"larger": "yes", "medium": "yes", "smaller": "yes"}, "yes"),
    ]:
        for size_class, value in stated.items():
            areas.append(
                {
                    "area_id": area,
                    "domain": domain,
                    "domain_label": domain.title(),
                    "size_class": size_class,
                    "stated": value,
                    "shared_by_all": shared,
                }
            )
    counts = pd.DataFrame(
        {
            "indicator": ["municipalities_in_size_class", "other"],
            "category": ["municipalities", "x"],
            "group_var": ["size_class", "all"],
            "group": ["smaller", "all"],
            "n": pd.array([2, 7], dtype="Int64"),
            "N": pd.array([None, None], dtype="Int64"),
            "seed_line": pd.array([913, 1], dtype="Int64"),
        }
    )
    return {"municipalities": municipalities, "development_areas": pd.DataFrame(areas), "counts": counts}


def test_sormland_size_classes_by_hand():
    out = b.size_class_breakdowns(sormland_tables(), source="s")
    assert list(out.columns) == b.BREAKDOWN_COLUMNS
    munis = rows(out, indicator="municipalities")
    assert munis.set_index("group")["n"].to_dict() == {"larger": 1, "medium": 0, "smaller": 2}
    assert (munis["N"] == 3).all()
    # larger: x + z = 2 of 3 areas, 1 municipality → 2 per municipality; z is shared
    larger = one(out, indicator="development_areas", group="larger", category="all")
    assert (larger["n"], larger["N"], larger["value"]) == (2, 3, 2.0)
    assert larger["share"] == pytest.approx(2 / 3)
    assert one(out, indicator="development_areas", group="larger", category="class_specific")["n"] == 1
    assert one(out, indicator="development_areas", group="larger", category="shared_by_all")["n"] == 1
    # smaller: x, y, z = 3 areas over 2 municipalities → 1.5
    smaller = one(out, indicator="development_areas", group="smaller", category="all")
    assert (smaller["n"], smaller["value"]) == (3, 1.5)
    # medium: only the shared area; no municipality → value undefined, not 0 or inf
    medium = one(out, indicator="development_areas", group="medium", category="all")
    assert medium["n"] == 1 and pd.isna(medium["value"])
    domain = one(out, indicator="development_areas_by_domain", group="smaller", category="competence")
    assert (domain["n"], domain["N"]) == (2, 2)
    # the printed counts row (group_var size_class) is carried, the 'all' row is not
    printed = one(out, indicator="municipalities_in_size_class")
    assert printed["n"] == 2 and pd.isna(printed["N"]) and "Stämmer" in printed["note"]
    assert rows(out, indicator="other").empty


def test_sormland_printed_count_that_disagrees_is_flagged():
    tables = sormland_tables()
    tables["counts"].loc[0, "n"] = 5
    printed = one(b.size_class_breakdowns(tables, source="s"), indicator="municipalities_in_size_class")
    assert "AVVIKER" in printed["note"]


# --- ÖJ ------------------------------------------------------------------------------------------


def oj_tables():
    municipalities = pd.DataFrame(
        {
            "kommun": ["Alfa", "Beta", "Gamma"],
            "befolkningsgrupp": ["5", "1", "2"],
            "ja_count_published": pd.array([2, 1, 0], dtype="Int64"),
        }
    )
    columns = ["kommun", "indicator", "value"]
    values = grid_frame(columns, "oj_01 oj_02", by_kommun=True, Alfa=("2", "2"), Beta=("2", "1"), Gamma=("0", "0"))
    return {"municipalities": municipalities, "oj_values": values}


def test_oj_breakdowns_by_hand():
    out = b.oj_breakdowns(oj_tables(), reference(), source="o")
    kg = rows(out, breakdown="kommungrupp_2017")
    munis = rows(kg, indicator="municipalities").set_index("group")["n"].to_dict()
    assert munis == {"A1": 1, "B3": 0, "C9": 2}  # Beta and Gamma are both C9
    c9 = one(kg, indicator="ja_count_published_mean", group="C9")
    assert c9["value"] == pytest.approx(0.5) and c9["N"] == 2
    assert one(kg, indicator="ja_count_recomputed", group="C9", category="Beta")["n"] == 1
    # oj_02 in C9: Beta delvis, Gamma nej
    assert one(kg, indicator="oj_02", group="C9", category="delvis")["n"] == 1
    assert one(kg, indicator="oj_02", group="C9", category="nej")["n"] == 1
    assert one(kg, indicator="oj_02", group="C9", category="ja")["n"] == 0
    # no per-indicator rows for the empty group B3
    assert rows(kg, indicator="oj_01", group="B3").empty
    bg = rows(out, breakdown="befolkningsgrupp", indicator="municipalities")
    assert bg["group"].tolist() == ["1", "2", "3", "4", "5"] and bg["n"].sum() == 3


def test_oj_recount_that_differs_from_the_printed_count_is_noted():
    tables = oj_tables()
    tables["municipalities"].loc[0, "ja_count_published"] = 3  # Alfa: values give 2
    out = b.oj_breakdowns(tables, reference(), source="o")
    published = one(out, breakdown="befolkningsgrupp", indicator="ja_count_published", category="Alfa")
    recomputed = one(out, breakdown="befolkningsgrupp", indicator="ja_count_recomputed", category="Alfa")
    assert (published["n"], recomputed["n"]) == (3, 2)
    assert "ger 2" in published["note"]


# --- Dalarna ---------------------------------------------------------------------------------------


def coding_tables():
    municipalities = pd.DataFrame({"kommun": ["Alfa", "Beta", "Gamma", "Delta"]})
    nr = "not_reported"
    coding = grid_frame(
        ["kommun", "code", "status"], "c1 c2", Alfa=("yes", nr), Beta=(nr, nr), Gamma=("yes", nr), Delta=("no", nr)
    )
    return {"municipalities": municipalities, "coding": coding}


def test_dalarna_breakdowns_by_hand_use_2019_population():
    out = b.coding_breakdowns(coding_tables(), reference(), source="d", population_column="folkmangd_2019")
    # 2019 bands: Alfa 5, Beta 2 (15 000), Gamma 1 (14 999), Delta 3
    bands = rows(out, breakdown="population_band", indicator="municipalities").set_index("group")["n"]
    assert bands.to_dict() == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 1}
    assert one(out, breakdown="population_band", indicator="c1", group="1", category="yes")["n"] == 1  # Gamma 14 999
    c9 = rows(out, breakdown="kommungrupp_2017", indicator="c1", group="C9").set_index("category")
    assert c9["n"].to_dict() == {"yes": 1, "no": 0, "not_reported": 1}
    assert (c9["N"] == 2).all()
    assert one(out, breakdown="kommungrupp_2017", indicator="c1", group="B3", category="no")["n"] == 1
    assert "minst" in one(out, breakdown="kommungrupp_2017", indicator="c1", group="A1", category="yes")["note"]


def test_dalarna_with_2015_population_moves_the_border_cases():
    out = b.coding_breakdowns(coding_tables(), reference(), source="d", population_column="folkmangd_2015")
    bands = rows(out, breakdown="population_band", indicator="municipalities").set_index("group")["n"]
    assert bands.to_dict() == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 1}
    assert (
        one(out, breakdown="population_band", indicator="c1", group="1", category="not_reported")["n"] == 1
    )  # Beta 14 000


def test_dalarna_incomplete_grid_or_unknown_status_is_rejected():
    tables = coding_tables()
    tables["coding"] = tables["coding"].iloc[1:]
    with pytest.raises(ValueError, match="grid"):
        b.coding_breakdowns(tables, reference(), source="d", population_column="folkmangd_2019")
    tables = coding_tables()
    tables["coding"].loc[0, "status"] = "maybe"
    with pytest.raises(ValueError, match="maybe"):
        b.coding_breakdowns(tables, reference(), source="d", population_column="folkmangd_2019")


# --- Stockholm -------------------------------------------------------------------------------------


def test_stockholm_returns_not_possible_record():
    counts = pd.DataFrame(
        {
            "indicator": ["units_participated", "x"],
            "category": ["yes", "yes"],
            "group_var": ["all", "all"],
            "n": pd.array([39, 3], dtype="Int64"),
        }
    )
    out = b.totals_only_breakdowns({"counts": counts}, source="t", notes={"not_possible": "Ej möjligt: x"})
    assert list(out.columns) == b.BREAKDOWN_COLUMNS
    assert set(out["breakdown"]) == {"kommungrupp_2017", "population_band"}
    assert out["n"].isna().all() and out["share"].isna().all() and (out["N"] == 39).all()
    assert out["note"].str.startswith("Ej möjligt").all()


def test_stockholm_with_a_real_breakdown_fails_loudly():
    counts = pd.DataFrame(
        {"indicator": ["x"], "category": ["yes"], "group_var": ["size_class"], "n": pd.array([3], dtype="Int64")}
    )
    with pytest.raises(ValueError, match="size_class"):
        b.totals_only_breakdowns({"counts": counts}, source="t", notes={"not_possible": "Ej möjligt: x"})


# --- the real data ----------------------------------------------------------------------------------


def test_real_sormland_classes_add_up_to_nine(real):
    sources, _ = real
    out = b.size_class_breakdowns(sources["sormland_2019"], source="sormland_2019")
    munis = rows(out, indicator="municipalities").set_index("group")["n"]
    assert munis.to_dict() == {"larger": 2, "medium": 2, "smaller": 5} and munis.sum() == 9
    printed = rows(out, indicator="municipalities_in_size_class").set_index("group")["n"]
    assert printed.to_dict() == munis.to_dict()
    areas = rows(out, indicator="development_areas", category="all").set_index("group")
    assert areas["n"].to_dict() == {"larger": 8, "medium": 9, "smaller": 18}  # README: 8 / 9 / 18
    assert areas["value"].to_dict() == pytest.approx({"larger": 4.0, "medium": 4.5, "smaller": 3.6})
    shared = rows(out, indicator="development_areas", category="shared_by_all")
    assert (shared["n"] == 4).all()


def test_real_oj_groups_sum_to_eight(real):
    sources, ref = real
    out = b.oj_breakdowns(sources["skl_2016"], ref, source="skl_2016")
    for breakdown in ["befolkningsgrupp", "kommungrupp_2017"]:
        part = rows(out, breakdown=breakdown)
        assert rows(part, indicator="municipalities")["n"].sum() == 8
        assert len(rows(part, indicator="ja_count_published")) == 8
        per_indicator = part[part["indicator"].str.startswith("oj_")]
        totals = per_indicator.groupby(["indicator", "group"]).agg(n=("n", "sum"), N=("N", "first"))
        assert (totals["n"] == totals["N"]).all()
        assert per_indicator.groupby("indicator")["n"].sum().eq(8).all()
    # group 3 = Trollhättan 53 and Tyresö 49 (printed) / 48 (values)
    assert one(out, breakdown="befolkningsgrupp", indicator="ja_count_published_mean", group="3")["value"] == 51.0
    assert one(out, breakdown="befolkningsgrupp", indicator="ja_count_recomputed_mean", group="3")["value"] == 50.5
    summary = b.oj_group_summary(sources["skl_2016"], ref, "befolkningsgrupp")
    assert summary["n_municipalities"].sum() == 8


def test_real_dalarna_groups_sum_to_fifteen_per_code(real):
    sources, ref = real
    out = b.coding_breakdowns(sources["dalarna_2020"], ref, source="dalarna_2020", population_column="folkmangd_2019")
    for breakdown in ["kommungrupp_2017", "population_band"]:
        part = rows(out, breakdown=breakdown)
        assert rows(part, indicator="municipalities")["n"].sum() == 15
        codes = part[part["indicator"] != "municipalities"]
        assert codes.groupby("indicator")["n"].sum().eq(15).all()
        assert codes[codes["category"] == "yes"].groupby("indicator")["N"].sum().eq(15).all()
        assert codes.loc[codes["category"] == "yes", "n"].sum() == 22
        assert codes.loc[codes["category"] == "no", "n"].sum() == 0


def test_real_stockholm_is_not_possible(real):
    sources, _ = real
    out = b.totals_only_breakdowns(sources["stockholm_2008"], source="stockholm_2008")
    assert (out["N"] == 39).all() and out["n"].isna().all()


def test_all_breakdowns_has_every_source(real, default_config):
    sources, ref = real
    out = b.all_breakdowns(default_config, sources, ref)
    assert set(out["source"]) == {"stockholm_2008", "sormland_2019", "dalarna_2020", "skl_2016"}
    assert list(out.columns) == b.BREAKDOWN_COLUMNS


# --- dispatch: declared in the config, chosen by the shape of the tables ----------------------------


def test_a_source_without_a_breakdowns_declaration_is_an_error():
    with pytest.raises(ConfigError, match="declare `breakdowns`"):
        b.source_breakdowns("new", {"title": "x"}, {"counts": pd.DataFrame()}, reference())


def test_declared_none_gives_no_rows():
    out = b.source_breakdowns("new", {"breakdowns": []}, {"counts": pd.DataFrame()}, reference())
    assert out.empty and list(out.columns) == b.BREAKDOWN_COLUMNS


def test_tables_of_unknown_shape_are_an_error():
    with pytest.raises(TableShapeError, match="no known shape"):
        b.source_breakdowns("new", {"breakdowns": ["population_band"]}, {"notes": pd.DataFrame()}, reference())


def test_a_breakdown_the_shape_cannot_give_is_an_error():
    with pytest.raises(ConfigError, match="population_band"):
        b.source_breakdowns("new", {"breakdowns": ["population_band"]}, oj_tables(), reference())


def test_shape_dispatch_picks_the_coding_sheet():
    config = {
        "breakdowns": ["kommungrupp_2017"],
        "population_column": "folkmangd_2019",
        "breakdown_notes": {"kommungrupp_2017": "via kommunkod"},
    }
    out = b.source_breakdowns("new", config, coding_tables(), reference())
    assert set(out["breakdown"]) == {"kommungrupp_2017"} and set(out["source"]) == {"new"}
    assert (rows(out, indicator="municipalities")["note"] == "via kommunkod").all()
