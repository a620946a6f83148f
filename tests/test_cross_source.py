import pandas as pd
import pytest
import yaml

from analysis import cross_source as cs
from analysis import paths
from analysis.sources import load_published
from support.tables import grid_frame

CONFIG = {
    "sources": {
        "stock": {"region": "stockholm", "area": "Län S", "year": 2008, "design": "census"},
        "dal": {"region": "dalarna", "area": "Län D", "year": 2020, "design": "census"},
        "skl": {
            "region": "national",
            "area": "Riket (8 utvalda kommuner)",
            "year": 2015,
            "design": "purposive",
            "cross_source_notes": {
                "selection": "utvalda kommuner",
                "national_area": "Riket (alla)",
                "national_base": "basen är inte tryckt",
            },
        },
        "sorm": {"region": "sormland", "area": "Län X", "year": 2019, "design": "census"},
        "lst": {"region": "national", "area": "Riket (21 län)", "year": 2014, "design": "purposive"},
    }
}


def counts(rows):
    columns = ["indicator", "category", "n", "n_max", "N", "percent", "percent_max", "unit", "seed_line"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ["n", "n_max", "N", "seed_line"]:
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    for column in ["percent", "percent_max"]:
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def tables():
    stock = {
        "counts": counts(
            [
                ("units_participated", "yes", 39, None, 39, None, None, "kommuner/stadsdelar", 110),
                ("coordinator_exists", "yes", 19, None, None, None, None, "kommuner/stadsdelar", 127),
                ("routines", "yes", 13, None, None, 33, None, "respondenter", 261),
                ("counselling", "own", None, None, 39, 90, None, "kommuner/stadsdelar", 203),
                ("plan_contents", "hrv", 17, None, None, None, None, "handlingsplaner", 155),
                ("odd", "yes", 10, None, 39, 40, None, "respondenter", 1),
            ]
        )
    }
    nr = "not_reported"
    dal = {
        "municipalities": pd.DataFrame({"kommun": ["A", "B", "C"]}),
        "coding": grid_frame(["kommun", "code", "status"], "c1 c2", A=("yes", nr), B=(nr, "yes"), C=(nr, nr)),
    }
    skl = {
        "oj_values": pd.DataFrame(
            [("A", "oj_01", "2"), ("B", "oj_01", "2"), ("C", "oj_01", "1"), ("D", "oj_01", "0")],
            columns=["kommun", "indicator", "value"],
        ),
        "indicators": pd.DataFrame({"indicator": ["oj_01"], "national_share_percent": [30.0], "seed_line": [1]}),
    }
    sorm = {
        "municipalities": pd.DataFrame({"kommun": ["A", "B", "C", "D"]}),
        "counts": counts(
            [
                ("perp", "yes", 4, None, 9, None, None, "kommuner", 714),
                ("hrv_plan", "has_plan", 1, None, None, None, None, "kommuner", 742),
            ]
        ),
        "quantifier_statements": pd.DataFrame(
            {
                "topic": ["plans"],
                "quantifier": ["most"],
                "quantifier_label": ["flertalet"],
                "statement": ["Handlingsplaner finns i flertalet kommuner"],
                "seed_line": [736],
            }
        ),
        "development_areas": pd.DataFrame(
            {
                "area_id": ["ask"] * 3,
                "area_label": ["Rutiner för att fråga"] * 3,
                "size_class": ["larger", "medium", "smaller"],
                "stated": ["yes", "not_listed", "yes"],
            }
        ),
        "lansdel_cooperation_details": pd.DataFrame(
            {
                "lansdel": ["n", "n", "s", "w"],
                "lansdel_label": ["Norra", "Norra", "Södra", "Västra"],
                "attribute": ["other", "other", "other", "other"],
                "item_id": ["police", "prosecutor", "police", "prosecutor"],
                "stated": ["yes", "yes", "yes", "yes"],
            }
        ),
        "lansdel_cooperation": pd.DataFrame(
            {"lansdel_label": ["Norra", "Södra", "Södra", "Västra"], "kommun": ["A", "B", "C", "D"]}
        ),
    }
    lst = {"counts": counts([("joint_docs", "yes", 10, None, None, None, None, "länsstyrelser", 880)])}
    return {"stock": stock, "dal": dal, "skl": skl, "sorm": sorm, "lst": lst}


def mapping(rows):
    return pd.DataFrame([dict(zip(cs.MAPPING_COLUMNS, r)) for r in rows], columns=cs.MAPPING_COLUMNS)


def spec(theme, source, table, indicator, category, comparable="yes", definition="def"):
    return (theme, f"Tema {theme}", source, table, indicator, category, definition, comparable)


def cross(*specs, config=CONFIG):
    """The comparison table of the made-up tables for the given mapping rows (`spec`s)."""
    return cs.cross_source_table(config, tables(), mapping(list(specs)))


def row(out, theme, source, table_scope=None):
    found = out[(out["theme"] == theme) & (out["source"] == source)]
    if table_scope == "national":
        found = found[found["area"].str.startswith("Riket (alla")]
    elif table_scope == "source":
        found = found[~found["area"].str.startswith("Riket (alla")]
    assert len(found) == 1
    return found.iloc[0]


def test_counts_rows_census_base_and_printed_percent():
    out = cross(
        spec("coord", "stock", "counts", "coordinator_exists", "yes"),
        spec("routines", "stock", "counts", "routines", "yes"),
        spec("talks", "stock", "counts", "counselling", "own"),
        spec("hrv", "stock", "counts", "plan_contents", "hrv"),
        spec("odd", "stock", "counts", "odd", "yes"),
        spec("perp", "sorm", "counts", "perp", "yes", "partly"),
        spec("hrv", "sorm", "counts", "hrv_plan", "has_plan", "partly"),
        spec("docs", "lst", "counts", "joint_docs", "yes", "no"),
    )
    assert list(out.columns) == cs.CROSS_COLUMNS
    coord = row(out, "coord", "stock")
    # census source, unit counts units, base not printed → N = 39 units, flagged
    assert (coord["figure_n"], coord["figure_N"]) == (19, 39)
    assert coord["share"] == pytest.approx(19 / 39)
    assert "N = 39" in coord["note"] and not coord["definitions_differ"]
    assert (coord["region"], coord["year"]) == ("stockholm", 2008)
    routines = row(out, "routines", "stock")
    assert routines["published_percent"] == 33 and routines["share"] == pytest.approx(1 / 3)
    assert "stämmer inte" not in routines["note"]
    talks = row(out, "talks", "stock")  # percent only: share stays empty, n is not computed
    assert pd.isna(talks["figure_n"]) and talks["figure_N"] == 39 and pd.isna(talks["share"])
    assert talks["published_percent"] == 90
    hrv = row(out, "hrv", "stock")  # unit handlingsplaner: no census base
    assert pd.isna(hrv["figure_N"]) and pd.isna(hrv["share"]) and "bas inte angiven" in hrv["note"]
    assert "stämmer inte" in row(out, "odd", "stock")["note"]  # 10/39 = 26 %, printed 40
    perp = row(out, "perp", "sorm")
    assert (perp["figure_n"], perp["figure_N"]) == (4, 9) and perp["definitions_differ"]
    assert row(out, "hrv", "sorm")["figure_N"] == 4  # census of 4 municipalities here
    docs = row(out, "docs", "lst")  # purposive: no base invented
    assert docs["figure_n"] == 10 and pd.isna(docs["figure_N"]) and pd.isna(docs["share"])


def test_dalarna_yes_is_a_lower_bound_and_codes_can_be_joined():
    out = cross(
        spec("one", "dal", "coding", "c1", "yes", "partly"),
        spec("any", "dal", "coding", "c1|c2", "yes", "partly"),
    )
    one = row(out, "one", "dal")
    assert (one["figure_n"], one["figure_N"]) == (1, 3)
    assert one["note"].startswith("minst 1 av 3")
    assert row(out, "any", "dal")["figure_n"] == 2  # A (c1) and B (c2)


def test_oj_gives_the_eight_and_the_nation():
    out = cross(
        spec("t", "skl", "oj_values", "oj_01", "ja", "partly"),
        spec("t", "skl", "indicators", "oj_01", "national_share", "partly"),
    )
    sample, nation = row(out, "t", "skl", "source"), row(out, "t", "skl", "national")
    assert (sample["figure_n"], sample["figure_N"]) == (2, 4) and sample["share"] == pytest.approx(0.5)
    assert "delvis: 1" in sample["note"]
    assert pd.isna(nation["figure_n"]) and nation["published_percent"] == 30 and pd.isna(nation["share"])
    # the source's own words come from its config
    assert sample["note"].startswith("4 utvalda kommuner") and nation["area"] == "Riket (alla)"
    assert "basen är inte tryckt" in nation["note"]


def test_an_oj_source_without_its_cross_source_notes_is_a_config_error():
    config = {
        "sources": {
            **CONFIG["sources"],
            "skl": {k: v for k, v in CONFIG["sources"]["skl"].items() if k != "cross_source_notes"},
        }
    }
    with pytest.raises(KeyError, match="cross_source_notes.selection"):
        cross(spec("t", "skl", "oj_values", "oj_01", "ja", "partly"), config=config)


def test_qualitative_rows_have_no_figure():
    out = cross(
        spec("plans", "sorm", "quantifier_statements", "plans", "most", "partly"),
        spec("ask", "sorm", "development_areas", "ask", "yes", "no"),
        spec("police", "sorm", "lansdel_cooperation_details", "police", "other", "no"),
    )
    plans = row(out, "plans", "sorm")
    assert pd.isna(plans["figure_n"]) and "flertalet" in plans["note"]
    ask = row(out, "ask", "sorm")
    assert pd.isna(ask["figure_n"]) and "2 av 3 storleksgrupper" in ask["note"]
    police = row(out, "police", "sorm")  # Norra and Södra list police, of 3 länsdelar
    assert (police["figure_n"], police["figure_N"], police["unit"]) == (2, 3, "länsdelar")
    assert "3 av 4 kommuner" in police["note"]


def test_mapping_errors():
    with pytest.raises(KeyError, match="nope"):
        cross(spec("t", "stock", "counts", "nope", "yes"))
    with pytest.raises(KeyError, match="c9"):
        cross(spec("t", "dal", "coding", "c1|c9", "yes"))
    with pytest.raises(ValueError, match="comparable"):
        cross(spec("t", "stock", "counts", "routines", "yes", "maybe"))
    with pytest.raises(ValueError, match="more than one row"):
        cross(spec("t", "stock", "counts", "routines", "yes"), spec("t", "stock", "counts", "odd", "yes"))
    with pytest.raises(KeyError, match="not in the config"):
        cross(spec("t", "elsewhere", "counts", "x", "yes"))


# --- the real mapping and data -------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    config = yaml.safe_load((paths.ROOT / "config" / "default.yml").read_text(encoding="utf-8"))
    sources = {s: load_published(paths.RAW / s) for s in config["sources"]}
    return config, sources


def test_real_mapping_file_is_valid_and_resolves(real):
    config, sources = real
    mapping = cs.load_mapping()
    out = cs.cross_source_table(config, sources, mapping)
    assert len(out) == len(mapping)
    per_theme = out.groupby("theme")["source"].nunique()
    assert (per_theme >= 2).all()
    assert {
        "coordinator",
        "action_plan",
        "systematic_follow_up",
        "perpetrator_interventions",
        "routines_detection",
        "police_cooperation",
        "womens_shelter_cooperation",
    } <= set(per_theme.index)
    dalarna = out[out["source"] == "dalarna_2020"]
    assert len(dalarna) > 0 and dalarna["note"].str.startswith("minst").all()
    skl = out[out["source"] == "skl_2016"]
    assert skl.groupby("theme").size().eq(2).all()  # the 8 and the nation
    shares = out["share"].dropna()
    assert shares.between(0, 1).all()


def test_real_figures(real):
    config, sources = real
    out = cs.cross_source_table(config, sources).set_index(["theme", "source", "area"])
    stockholm = "Stockholms län"
    assert tuple(out.loc[("coordinator", "stockholm_2008", stockholm), ["figure_n", "figure_N"]]) == (19, 39)
    assert tuple(
        out.loc[("perpetrator_interventions", "sormland_2019", "Södermanlands län"), ["figure_n", "figure_N"]]
    ) == (4, 9)
    assert out.loc[("coordinator", "dalarna_2020", "Dalarnas län"), "figure_n"] == 5
    police = out.loc[("police_cooperation", "skl_2016", "Riket (8 utvalda kommuner)")]
    assert (police["figure_n"], police["figure_N"]) == (7, 8)
