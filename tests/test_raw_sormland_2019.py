"""Tests for data/raw/sormland_2019 (RSS Kvinnofrid Sörmland, kartläggning jan–feb 2019).
Seed: shared/seeds/000_4e00bc4709ff3942.txt."""

import re
from pathlib import Path

import pandas as pd
import pytest

from support import seeds
from support.transcription import exclusive_sum_problems, number_printed_near, reference_kommunkoder
from support.transcription import seed_lines as read_seed_lines

RAW = Path(__file__).parents[1] / "data/raw/sormland_2019"
SEED = seeds.SEEDS / "000_4e00bc4709ff3942.txt"
SEED_NAME = "000_4e00bc4709ff3942.txt"
WINDOW = 3

CSV_FILES = [
    "municipalities.csv",
    "lansdel_cooperation.csv",
    "lansdel_cooperation_details.csv",
    "development_areas.csv",
    "counts.csv",
    "statements.csv",
    "quantifier_statements.csv",
]
COUNTS_COLUMNS = "indicator label category category_label group_var group n n_max N percent percent_max exclusive unit source_ref seed_line note".split()
SIZE_CLASSES = {"larger", "medium", "smaller"}
EXPECTED_CLASSES = {
    "larger": {"Eskilstuna", "Nyköping"},
    "medium": {"Katrineholm", "Strängnäs"},
    "smaller": {"Flen", "Gnesta", "Oxelösund", "Trosa", "Vingåker"},
}
KOMMUNER = set().union(*EXPECTED_CLASSES.values())
# the "Länsgemensamma områden" rows, printed for all three size classes
SHARED_LABELS = {"SU", "Metoder heder", "Rutiner för att fråga", "Samverkan med skola"}
# size-class headings in the header of the development-areas table
CLASS_HEADINGS = {"larger": "Större kommuner", "medium": "Mellanstora", "smaller": "Mindre kommuner"}
HYPHEN = "\u2010"  # the PDF extraction's line-end hyphen


def read(name):
    return pd.read_csv(RAW / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def seed_lines():
    seeds.require(SEED)
    return read_seed_lines(SEED)


def window_text(lines, seed_line, before=WINDOW, after=WINDOW):
    """Seed lines around seed_line (1-based) joined into one string: blank lines dropped,
    line-end hyphens (a hyphen that is the very last character of the line) joined,
    no-break spaces turned into spaces, whitespace collapsed."""
    lo = max(0, seed_line - 1 - before)
    hi = min(len(lines), seed_line + after)
    out = ""
    for raw in lines[lo:hi]:
        if not raw.strip():
            continue
        if out.endswith(HYPHEN):
            out = out[:-1] + raw
        else:
            out = out + "\n" + raw
    out = out.replace("\xa0", " ")
    return re.sub(r"\s+", " ", out)


# ---------------------------------------------------------------- format / codebook


@pytest.mark.parametrize("name", CSV_FILES + ["codebook.csv"])
def test_rows_and_provenance(name):  # UTF-8, LF, no BOM: test_raw_common.py
    df = read(name)
    assert len(df) > 0
    if name != "codebook.csv":
        assert {"source_ref", "seed_line"} <= set(df.columns)
        assert (df.source_ref.str.startswith(SEED_NAME + " § ")).all()
        assert df.seed_line.str.fullmatch(r"\d+").all()


def test_codebook_covers_every_column_and_code():
    cb = read("codebook.csv")
    for name in CSV_FILES:
        df = read(name)
        colrows = cb[(cb.file == name) & (cb.code == "")]
        assert list(colrows.column) == list(df.columns), name
        assert (colrows.label_sv != "").all() and (colrows.type != "").all()
        for _, c in colrows.iterrows():
            if c.required == "yes":
                assert (df[c.column] != "").all(), (name, c.column)
            if c.type == "code":
                allowed = set(cb[(cb.file == name) & (cb.column == c.column) & (cb.code != "")].code)
                assert set(df[c.column]) - {""} <= allowed, (name, c.column)
            if c.type == "integer":
                vals = df[c.column][df[c.column] != ""]
                assert vals.str.fullmatch(r"\d+").all(), (name, c.column)
    assert (cb[cb.code != ""].label_sv != "").all()


def test_no_stated_no_anywhere():
    for name in CSV_FILES:
        df = read(name)
        if "stated" in df.columns:
            assert "no" not in set(df.stated), name
            assert set(df.stated) <= {"yes", "not_listed"}, name


# ---------------------------------------------------------------- municipalities


def test_municipalities_classes():
    m = read("municipalities.csv")
    assert len(m) == 9 and m.kommun.is_unique
    assert set(m.kommun) == KOMMUNER
    assert m.size_class.value_counts().to_dict() == {"smaller": 5, "larger": 2, "medium": 2}
    for cls, names in EXPECTED_CLASSES.items():
        assert set(m.kommun[m.size_class == cls]) == names


def test_municipalities_in_seed_table_header(seed_lines):
    """Each municipality is printed near seed_line, under its own class heading."""
    m = read("municipalities.csv")
    for _, r in m.iterrows():
        ln = int(r.seed_line)
        assert r.kommun in window_text(seed_lines, ln, 0, 0), r.kommun
        heading_line = max(
            i
            for i in range(ln - 6, ln + 1)
            if any(h in seed_lines[i - 1].replace("\xa0", " ") for h in CLASS_HEADINGS.values())
        )
        assert CLASS_HEADINGS[r.size_class] in seed_lines[heading_line - 1].replace("\xa0", " "), r.kommun


# ---------------------------------------------------------------- länsdel table


def test_lansdel_cooperation(seed_lines):
    lc = read("lansdel_cooperation.csv")
    assert len(lc) == 9 and set(lc.kommun) == KOMMUNER and lc.kommun.is_unique
    conveners = lc[lc.role == "convener"].set_index("lansdel").kommun.to_dict()
    assert conveners == {"north": "Eskilstuna", "west": "Katrineholm", "south": "Nyköping"}
    assert lc.groupby("lansdel").size().to_dict() == {"north": 2, "west": 3, "south": 4}
    for _, r in lc.iterrows():
        text = window_text(seed_lines, int(r.seed_line), 0, 0)
        assert r.kommun in text, r.kommun
        assert r.lansdel_label in window_text(seed_lines, int(r.seed_line), 2, 0), r.kommun


def test_lansdel_details(seed_lines):
    d = read("lansdel_cooperation_details.csv")
    # every länsdel has all three columns of the table
    assert d.groupby("lansdel").attribute.nunique().to_dict() == {"north": 3, "west": 3, "south": 3}
    assert set(d[d.attribute == "other_participants"].groupby("lansdel").item_id.apply(frozenset)) == {
        frozenset({"police", "probation_service", "prosecutor"})
    }
    for _, r in d.iterrows():
        if r.stated == "yes":
            assert r.item_label and r.item_label in window_text(seed_lines, int(r.seed_line), 0, 6)
        else:
            assert r.item_label == "" and r.item_id == ""
            assert seed_lines[int(r.seed_line) - 1].strip(" \xa0") == ""


# ---------------------------------------------------------------- development areas


def test_development_areas_structure():
    d = read("development_areas.csv")
    assert set(d.size_class) == SIZE_CLASSES
    assert set(d.shared_by_all) <= {"yes", "no"}
    # one row per area x size class
    assert not d.duplicated(["area_id", "size_class"]).any()
    assert (d.groupby("area_id").size() == 3).all()
    assert (d.groupby("area_id").area_label.nunique() == 1).all()
    assert (d.groupby("area_id").stated.apply(lambda s: (s == "yes").any())).all()
    # shared rows: exist for all three classes and are stated there
    shared = d[d.shared_by_all == "yes"]
    assert set(shared.area_label) == SHARED_LABELS
    for lab in SHARED_LABELS:
        rows = shared[shared.area_label == lab]
        assert set(rows.size_class) == SIZE_CLASSES and (rows.stated == "yes").all(), lab
    # shared_by_all is exactly "stated for all three classes"
    all3 = d.groupby("area_id").stated.apply(lambda s: (s == "yes").all())
    flag = d.groupby("area_id").shared_by_all.first() == "yes"
    assert (all3 == flag).all()
    # the duplicated printing of "Kommunens interna utvecklingsbehov" is captured once
    assert (d.area_label == "Akuta ärenden går före strategiskt arbete").sum() == 3
    # report (line 793): the smaller municipalities named more development areas
    yes = d[d.stated == "yes"].size_class.value_counts()
    assert yes["smaller"] > yes["larger"] and yes["smaller"] > yes["medium"]


def test_development_area_labels_in_seed(seed_lines):
    d = read("development_areas.csv")
    for _, r in d.iterrows():
        ln = int(r.seed_line)
        assert 797 <= ln <= 908, (r.area_id, ln)  # inside the table
        assert r.area_label in window_text(seed_lines, ln, WINDOW, 6), (r.area_id, r.size_class, ln)
        if r.stated == "yes":
            # the cell starts on seed_line itself
            first_words = " ".join(r.area_label.split()[:2])
            assert first_words in seed_lines[ln - 1].replace("\xa0", " "), (r.area_id, ln)


def parse_development_table(lines):
    """Independent re-reading of the development-areas table from the raw seed lines.

    In the extraction every cell ends with a no-break space and cells of one table row are
    separated by an ordinary space; an empty cell is a lone no-break space. A cell that wraps
    continues on the following line(s) (continuations start with a lower-case letter or a
    parenthesis), after which the remaining cells of the row follow. Every row has 4 cells:
    row heading, Större, Mellanstora, Mindre. Returns (rows, cells) where cells is a set of
    (domain_label, area_label, size_class, first_line)."""
    norm = [ln.replace("\xa0", " ") for ln in lines]
    start = next(i for i, ln in enumerate(norm) if ln.startswith("Flen, Gnesta, Oxelösund, Trosa och Vingåker")) + 1
    end = next(i for i in range(start, len(norm)) if "Reflexion utvecklingsområden" in norm[i])
    rows, row = [], []
    for i in range(start, end):
        raw = lines[i]
        tokens = [t for t in raw.split(" ") if t != ""]
        if not tokens:
            continue
        first = tokens[0].strip("\xa0 ")
        # a single lower-case token continues the last (wrapped) cell
        is_cont = len(tokens) == 1 and first and not first[0].isupper() and row
        if is_cont:
            prev_text = row[-1][0]
            if prev_text.endswith(HYPHEN):  # raw text: a hyphen followed by a space is kept
                row[-1][0] = prev_text[:-1] + tokens[0]
            else:
                row[-1][0] = prev_text + " " + tokens[0]
            continue
        for tok in tokens:
            if len(row) == 4:
                rows.append(row)
                row = []
            row.append([tok, i + 1])
    rows.append(row)
    cells = set()
    domain = None
    classes = ["larger", "medium", "smaller"]
    for r in rows:
        assert len(r) == 4, r
        if r[0][0].strip("\xa0 "):
            domain = re.sub(r"\s+", " ", r[0][0].replace("\xa0", " ")).strip()
        for (text, line), cls in zip(r[1:], classes):
            text = re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()
            if text:
                cells.add((domain, text, cls, line))
    return rows, cells


def test_development_areas_match_independent_table_parse(seed_lines):
    rows, cells = parse_development_table(seed_lines)
    assert len(rows) == 20  # incl. the twice-printed "Kommunens interna utvecklingsbehov" row
    d = read("development_areas.csv")
    yes = d[d.stated == "yes"]
    got = {(r.domain_label, r.area_label, r.size_class, int(r.seed_line)) for _, r in yes.iterrows()}
    # the duplicate printing (lines 876-885) is captured once, at its first printing
    parsed = {c for c in cells if not 876 <= c[3] <= 885}
    assert got == parsed
    first = {c[:3] for c in cells if 865 <= c[3] <= 874}
    second = {c[:3] for c in cells if 876 <= c[3] <= 885}
    assert first == second and len(first) == 2


# ---------------------------------------------------------------- counts


def test_counts_schema():
    c = read("counts.csv")
    assert list(c.columns) == COUNTS_COLUMNS
    assert not c.duplicated(["indicator", "category", "group_var", "group"]).any()
    assert set(c.exclusive) <= {"yes", "no"}
    assert ((c.group_var == "all") == (c.group == "all")).all()
    assert set(c.group[c.group_var == "size_class"]) <= SIZE_CLASSES
    assert ((c.n != "") | (c.percent != "")).all()


def test_counts_numbers_in_seed(seed_lines):
    """n, n_max, N as digits or as a number word quoted in the note; percents as digits followed
    by "%"/"procent"; all within ±3 lines of seed_line."""
    c = read("counts.csv")
    for _, r in c.iterrows():
        for col in ["n", "n_max", "N"]:
            if r[col] != "":
                assert number_printed_near(seed_lines, int(r.seed_line), r[col], WINDOW, note=r.note), (
                    r.indicator,
                    r.category,
                    col,
                    r[col],
                )
        for col in ["percent", "percent_max"]:
            if r[col] != "":
                assert number_printed_near(seed_lines, int(r.seed_line), r[col], WINDOW, percent=True), (
                    r.indicator,
                    col,
                )


def test_counts_exclusive_sets_add_up():
    assert exclusive_sum_problems(read("counts.csv")) == []


def test_municipalities_resolve_to_kommunkod():
    names = set()
    for name in CSV_FILES:
        df = read(name)
        if "kommun" in df.columns:
            names |= set(df.kommun) - {""}
    assert names >= KOMMUNER
    codes = reference_kommunkoder(names)
    assert all(codes.values()), {k: c for k, c in codes.items() if c is None}
    assert {c[:2] for c in codes.values()} == {"04"}  # all in Södermanlands län


def test_counts_key_statements():
    c = read("counts.csv")
    perp = c[c.indicator == "perpetrator_interventions"].iloc[0]
    assert (perp.n, perp.N, perp.group_var) == ("4", "9", "all")
    honour = c[c.indicator == "honour_cases_per_year"].iloc[0]
    assert honour.n == "25" and honour.n_max == "" and "±2" in honour.note
    plan = c[c.indicator == "honour_action_plan"].set_index("category").n.to_dict()
    assert plan == {"has_plan": "1", "developing_plan": "2"}
    # the report's own count of municipalities per class agrees with municipalities.csv
    m = read("municipalities.csv")
    per_class = c[c.indicator == "municipalities_in_size_class"].set_index("group").n.astype(int)
    assert per_class.to_dict() == m.size_class.value_counts().to_dict()


# ---------------------------------------------------------------- statements


def test_statements_in_seed(seed_lines):
    s = read("statements.csv")
    assert set(s.kommun) <= KOMMUNER
    for _, r in s.iterrows():
        text = window_text(seed_lines, int(r.seed_line), WINDOW, 8)
        assert r.statement in text, (r.kommun, r.seed_line)
        # the municipality is named close to the statement (or, for an implied one, in the note)
        assert r.kommun in window_text(seed_lines, int(r.seed_line), 2, 2) or f"'I {r.kommun}'" in r.note, (
            r.kommun,
            r.seed_line,
        )


def test_quantifier_statements_in_seed(seed_lines):
    q = read("quantifier_statements.csv")
    assert q.topic.is_unique
    for _, r in q.iterrows():
        text = window_text(seed_lines, int(r.seed_line), WINDOW, 8)
        assert r.statement in text, (r.topic, r.seed_line)
        assert r.quantifier_label.lower() in text.lower(), r.topic


def test_plain_counts_use_category_yes():
    """CONVENTIONS: `yes` for a plain count. Every indicator printed as a single figure uses it."""
    c = read("counts.csv")
    single = c.groupby(["indicator", "group_var", "group"]).category.agg(list)
    assert all(cats == ["yes"] for cats in single if len(cats) == 1), single[single.map(len) == 1]
