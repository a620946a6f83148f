"""Checks of the hand transcription data/raw/skl_2016 (SKL 2016, Framgångsfaktorer i kvinnofridsarbetet).

The tests read the CSVs with pandas and, where the seed text is available, re-read every
transcribed number from the seed around its `seed_line`.
"""

import re
from pathlib import Path

import pandas as pd

from support import seeds
from support import transcription as tr
from support.raw import seed_fixture, table_fixtures

RAW = Path(__file__).parents[1] / "data/raw/skl_2016"
SEED = seeds.SEEDS / "002_87c9ca1a3933a024.txt"

KOMMUNER = ["Göteborg", "Höganäs", "Lund", "Nykvarn", "Ronneby", "Skellefteå", "Trollhättan", "Tyresö"]
# Column order of the two half-page groups of Bilaga 3, Tabell 1
GROUPS = [["Göteborg", "Höganäs", "Lund", "Nykvarn"], ["Ronneby", "Skellefteå", "Trollhättan", "Tyresö"]]
# Known discrepancy in the source: recount of printed 2s vs the printed "Antal Ja-svar".
KNOWN_JA_DISCREPANCIES = {"Tyresö": {"recount": 48, "published": 49}}


def read(name):
    return pd.read_csv(RAW / name, dtype={"code": str}, keep_default_na=True)


ind, mun, val, counts, codebook = table_fixtures(
    read,
    ind="indicators.csv",
    mun="municipalities.csv",
    val="oj_values.csv",
    counts="counts.csv",
    codebook="codebook.csv",
)
seed = seed_fixture(SEED)


def window(lines, n, before=3, after=3):
    return tr.seed_text(lines, n, before, after)


def norm(text):
    text = re.sub(r"-\s*\n\s*(?=[a-zåäö])", "", text)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- structure


def test_files_exist():
    for f in ["indicators.csv", "municipalities.csv", "oj_values.csv", "counts.csv", "codebook.csv", "README.md"]:
        assert (RAW / f).is_file(), f


def test_indicators(ind):
    assert len(ind) == 60
    assert list(ind.indicator) == [f"oj_{i:02d}" for i in range(1, 61)]
    assert ind.label.is_unique
    assert ind[["label", "quality_area", "indicator_area", "source_ref"]].notna().all().all()
    assert set(ind.quality_area) == {
        "Kunskapsbaserad verksamhet",
        "Trygghet och säkerhet",
        "Helhetssyn och samordning",
        "Tillgänglighet",
    }


def test_national_shares_in_range(ind):
    s = ind.national_share_percent
    assert s.notna().all()
    assert ((s >= 0) & (s <= 100)).all()


def test_municipalities(mun):
    assert list(mun.kommun) == KOMMUNER
    assert mun.befolkningsgrupp.isin([1, 2, 3, 4, 5]).all()
    assert mun.ja_count_published.between(0, 60).all()
    r = mun.unizon_rank.dropna()
    assert r.between(1, 200).all()
    # 'saknas' printed for Göteborg and Lund -> empty
    assert set(mun.loc[mun.unizon_rank.isna(), "kommun"]) == {"Göteborg", "Lund"}


def test_values_long_form(val, ind, mun):
    assert len(val) == 480
    assert val.value.notna().all()
    assert set(val.value.unique()) <= {0, 1, 2}
    assert not val.duplicated(["kommun", "indicator"]).any()
    assert set(val.kommun) == set(mun.kommun)
    assert set(val.indicator) == set(ind.indicator)
    assert val.groupby("kommun").size().eq(60).all()


def test_ja_count_matches_recount(val, mun):
    twos = val[val.value == 2].groupby("kommun").size()
    for _, m in mun.iterrows():
        k = m.kommun
        if k in KNOWN_JA_DISCREPANCIES:
            d = KNOWN_JA_DISCREPANCIES[k]
            assert twos[k] == d["recount"], k
            assert m.ja_count_published == d["published"], k
            assert "discrepancy" in str(m.note).lower(), k
        else:
            assert twos[k] == m.ja_count_published, k


def test_known_discrepancy_documented():
    readme = (RAW / "README.md").read_text(encoding="utf-8")
    for k, d in KNOWN_JA_DISCREPANCIES.items():
        assert k in readme and str(d["recount"]) in readme and str(d["published"]) in readme


def test_codebook_covers_all_columns(codebook):
    assert list(codebook.columns) == "file column code type required min max label_sv description".split()
    colrows = codebook[codebook.code.isna()]
    for f in ["indicators.csv", "municipalities.csv", "oj_values.csv", "counts.csv"]:
        cols = list(pd.read_csv(RAW / f, nrows=0).columns)
        documented = set(colrows.loc[colrows.file == f, "column"])
        assert set(cols) == documented, f
    assert colrows.type.isin(["string", "integer", "number", "code", "boolean"]).all()
    assert colrows.required.isin(["yes", "no"]).all()


def test_codebook_codes(codebook, ind):
    def codes(f, c):
        return set(codebook.loc[(codebook.file == f) & (codebook.column == c) & codebook.code.notna(), "code"])

    assert codes("oj_values.csv", "value") == {"0", "1", "2"}
    lab = codebook[(codebook.file == "oj_values.csv") & (codebook.column == "value") & codebook.code.notna()]
    assert dict(zip(lab.code, lab.label_sv)) == {"0": "nej", "1": "delvis", "2": "ja"}
    assert codes("municipalities.csv", "befolkningsgrupp") == {"1", "2", "3", "4", "5"}
    for f in ["indicators.csv", "oj_values.csv"]:
        cb = codebook[(codebook.file == f) & (codebook.column == "indicator") & codebook.code.notna()]
        assert dict(zip(cb.code, cb.label_sv)) == dict(zip(ind.indicator, ind.label))
    # every value of a code column is a listed code
    for (f, c), grp in codebook[codebook.code.isna() & (codebook.type == "code")].groupby(["file", "column"]):
        data = pd.read_csv(RAW / f, dtype=str)[c].dropna()
        assert set(data) <= codes(f, c), (f, c)


def test_counts_schema(counts):
    assert (
        list(counts.columns)
        == "indicator label category category_label group_var group n n_max N percent percent_max exclusive unit source_ref seed_line note".split()
    )
    assert not counts.duplicated(["indicator", "category", "group_var", "group"]).any()
    assert (counts.n.notna() | counts.percent.notna()).all()
    assert counts.exclusive.isin(["yes", "no"]).all()
    assert tr.exclusive_sum_problems(counts) == []  # every exclusive set has one base and adds up to it
    assert (counts.exclusive == "yes").sum() >= 5


def test_counts_percents_consistent(counts):
    for r in counts[counts.percent.notna() & counts.N.notna()].itertuples():
        assert tr.percent_consistent(r.n, r.N, r.percent), (r.indicator, r.category)


def test_municipalities_resolve_to_kommunkod(mun, val):
    codes = tr.reference_kommunkoder(set(mun.kommun) | set(val.kommun))
    assert all(codes.values()), {k: c for k, c in codes.items() if c is None}


def test_counts_key_facts(counts):
    def n(ind, cat="yes"):
        return counts.loc[(counts.indicator == ind) & (counts.category == cat), "n"].item()

    assert n("interviewees_total") == 29
    assert n("interviews_total") == 17
    assert n("study_municipalities") == 8
    assert {c: n("interviewees_by_role", c) for c in ["senior_officials", "unit_managers", "vawg_officers"]} == {
        "senior_officials": 10,
        "unit_managers": 6,
        "vawg_officers": 13,
    }
    assert counts.loc[counts.indicator == "oj_response_rate", "percent"].item() == 91


# ---------------------------------------------------------------- against the seed text


def test_national_shares_in_seed(ind, seed):
    for _, r in ind.iterrows():
        line = seed[int(r.seed_line) - 1]
        assert re.search(rf"(?<!\d){int(r.national_share_percent)} %\s*$", line), (r.indicator, r.seed_line, line)
        assert re.search(rf"(?<!\d){int(r.national_share_percent)} %", window(seed, int(r.seed_line), 2, 2))
    # shares appear in table order, strictly increasing lines inside Bilaga 4
    assert ind.seed_line.is_monotonic_increasing and ind.seed_line.between(2711, 3127).all()


def test_values_in_seed(val, ind, seed):
    labels = dict(zip(ind.indicator, ind.label))
    for group in GROUPS:
        sub = val[val.kommun.isin(group)]
        lines = sub.groupby("indicator").seed_line.nunique()
        assert (lines == 1).all(), "the four kommuner of a half-page share one printed row"
        rowline = sub.groupby("indicator").seed_line.first().sort_index()
        assert rowline.is_monotonic_increasing
        for iid, n in rowline.items():
            printed = re.findall(r"\b([012])\b", seed[n - 1])[-4:]
            assert len(printed) == 4, (iid, n, seed[n - 1])
            for pos, k in enumerate(group):
                v = sub.loc[(sub.kommun == k) & (sub.indicator == iid), "value"].item()
                assert int(printed[pos]) == v, (k, iid, n)
            # the indicator's label is printed just above / on the value row
            assert labels[iid] in norm(window(seed, n, 6, 0)), (iid, n)
        # the column heads of this half-page are printed above the rows
        for iid, n in rowline.items():
            above = "\n".join(seed[max(0, n - 90) : n])
            heads = [
                l
                for l in above.split("\n")
                if "Höganäs Lund Nykvarn" in l or "Ronneby Skellefteå Trollhättan Tyresö" in l
            ]
            assert heads, (iid, n)
            expected = "Höganäs Lund Nykvarn" if group[0] == "Göteborg" else "Ronneby Skellefteå Trollhättan Tyresö"
            assert expected in heads[-1], (iid, n, heads[-1])


def test_municipality_header_in_seed(mun, seed):
    for _, m in mun.iterrows():
        group = next(g for g in GROUPS if m.kommun in g)
        pos = group.index(m.kommun)
        w = window(seed, int(m.seed_line), 5, 5).split("\n")
        bg = next(l for l in w if l.startswith("Befolkningsgrupp"))
        ja = next(l for l in w if l.startswith("Antal Ja-svar"))
        rk = next(l for l in w if "(1–200)" in l)
        assert int(bg.split()[1:][pos]) == m.befolkningsgrupp
        assert int(ja.split()[-4:][pos]) == m.ja_count_published
        printed_rank = rk.split()[-4:][pos]
        if pd.isna(m.unizon_rank):
            assert printed_rank == "saknas"
        else:
            assert int(printed_rank) == m.unizon_rank
        assert m.area.split("/")[0] in window(seed, int(m.seed_line), 5, 1)


def test_counts_in_seed(counts, seed):
    """Every n and percent is printed within ±3 lines of seed_line, as digits not run together
    with letters (a percent followed by "procent"), or as a number word that the note quotes."""
    for _, r in counts.iterrows():
        for col in ["n", "percent"]:
            if pd.isna(r[col]):
                continue
            found = tr.number_printed_near(
                seed, int(r.seed_line), r[col], 3, note=r.note, percent=col == "percent", strict=True
            )
            assert found, (r.indicator, r.category, r[col], r.seed_line)
