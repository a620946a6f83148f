"""Checking a hand transcription in data/raw against the seed text it was typed from.

One place for the logic the source tests (tests/test_raw_*.py) share:

- read a seed and the text around a line (`seed_lines`, `seed_text`);
- find the numbers printed near a line, as digits or as Swedish number words
  (`numbers_near`, `number_words_near`, `number_printed_near`, `quoted_in_note`);
- round the way the reports do and compare printed percents with n and N
  (`round_half_up`, `percent_decimals`, `counts_giving_percent`, `percent_consistent`);
- check that mutually exclusive answer sets add up to their base (`exclusive_sum_problems`);
- attach a kommunkod to the municipality names of a transcription (`resolve_kommunkod`);
- check that a folder's codebook describes every column and code of its CSVs (`codebook_problems`).

Line numbers are 1-based, as in the `seed_line` column (line k is `lines[k - 1]`). Numbers are
compared exactly (Decimal / Fraction), never as binary floats. Nothing here writes: apart from
`seed_lines` and `codebook_problems`, which only read, the functions take the lines and tables
the caller has already read.
"""

import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis import numbers, paths
from analysis.normalise import MunicipalityIndex

# Swedish number words as they occur in the reports ("åtta kommuner", "Fem", "Ingen kommun").
SWEDISH_NUMBER_WORDS: dict[int, tuple[str, ...]] = {
    0: ("ingen", "inget", "inga"),
    1: ("en", "ett"),
    2: ("två",),
    3: ("tre",),
    4: ("fyra",),
    5: ("fem",),
    6: ("sex",),
    7: ("sju",),
    8: ("åtta",),
    9: ("nio",),
    10: ("tio",),
    11: ("elva",),
    12: ("tolv",),
    13: ("tretton",),
    14: ("fjorton",),
    15: ("femton",),
    16: ("sexton",),
    17: ("sjutton",),
    18: ("arton",),
    19: ("nitton",),
    20: ("tjugo",),
}

# A number as printed in Swedish text: digits, optionally grouped in threes by a (no-break)
# space ("1 750", "203 151"), optionally with a decimal comma ("72,9"). A number glued to the
# end of another number or decimal comma is not a new number.
_NUMBER = re.compile(r"(?<![\d,])(\d{1,3}(?:[ \u00a0]\d{3})+(?!\d)|\d+)(?:,(\d+))?(?!\d)")
# What may follow a printed percent: an optional range end ("64-69 procent") and the unit.
_PERCENT_SUFFIX = re.compile(r"\s*(?:[-\u2013\u2010]\s*\d+(?:,\d+)?\s*)?(?:%|procent)", re.IGNORECASE)
# Quoted spans in a note: 'x', "x", ‘x’, “x”, ”x”.
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"|\u2018([^\u2019]*)\u2019|[\u201c\u201d]([^\u201c\u201d]*)[\u201d]")


# ---------------------------------------------------------------- seed text


def seed_lines(path: Path) -> list[str]:
    """The lines of a seed file, so that `lines[k - 1]` is line k of `seed_line`.

    Split on "\\n" only: that is how the line numbers in data/raw were counted."""
    return Path(path).read_text(encoding="utf-8").split("\n")


def seed_text(lines: list[str], line: int, before: int = 3, after: int | None = None) -> str:
    """The seed lines `line - before` … `line + after` (1-based, clipped to the file) joined by
    "\\n", with no-break spaces made ordinary spaces. `after` defaults to `before`."""
    after = before if after is None else after
    line = int(line)
    lo, hi = max(1, line - before), min(len(lines), line + after)
    return "\n".join(lines[lo - 1 : hi]).replace("\u00a0", " ")


def _as_decimal(value) -> Decimal:
    """An exact Decimal for a count or percent read from a CSV (int, float, str, Decimal)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return Decimal(value.strip().replace(",", "."))
    if isinstance(value, Fraction):
        raise TypeError("a Fraction has no exact printed form; pass an int, str or Decimal")
    return Decimal(str(value))  # str() of a float is its shortest round-tripping form: 72.9


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _glued_to_letters(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha())


def _printed_numbers(text: str, strict: bool = False):
    """(value, start, end) for every number printed as digits in text."""
    for m in _NUMBER.finditer(text):
        if strict and _glued_to_letters(text, m.start(), m.end()):
            continue
        whole = re.sub(r"[ \u00a0]", "", m.group(1))
        value = Decimal(f"{whole}.{m.group(2)}") if m.group(2) else Decimal(whole)
        yield value, m.start(), m.end()


# ---------------------------------------------------------------- numbers near a line


def numbers_near(lines: list[str], line: int, window: int = 3, *, strict: bool = False) -> set[Decimal]:
    """Every number printed as digits within ±`window` lines of `line`.

    Swedish printing is read: "1 750" is 1750 (not 1 and 750), "72,9" is 72.9, "64-69" is 64
    and 69. A number run together with a word ("och14", footnote markers such as "procent5")
    counts, unless `strict`, which drops numbers that touch a letter on either side."""
    return {value for value, _, _ in _printed_numbers(seed_text(lines, line, window), strict)}


def number_words_near(lines: list[str], line: int, window: int = 3) -> dict[int, set[str]]:
    """Numbers printed as Swedish words within ±`window` lines of `line`: {value: words found}
    (lower case), e.g. {8: {"åtta"}} for "Åtta (21 procent) av de 39 …"."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", seed_text(lines, line, window))}
    found = {}
    for value, spellings in SWEDISH_NUMBER_WORDS.items():
        hits = words & set(spellings)
        if hits:
            found[value] = hits
    return found


def quoted_in_note(word: str, note) -> bool:
    """Is `word` (as a whole word, any case) inside a quoted span of `note`? The conventions ask
    for number words to be transcribed as digits with the printed word quoted in `note`."""
    if _is_missing(note):
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    return any(pattern.search(next(g for g in m.groups() if g is not None)) for m in _QUOTED.finditer(str(note)))


def number_printed_near(
    lines: list[str], line: int, value, window: int = 3, *, note=None, percent: bool = False, strict: bool = False
) -> bool:
    """Is `value` printed within ±`window` lines of `line`?

    As digits (see `numbers_near`); with `percent`, the digits must be followed by "%" or
    "procent" (after the end of a range, "64-69 procent", if any). As a Swedish number word only
    when `note` is given and quotes that word (`quoted_in_note`)."""
    target = _as_decimal(value)
    text = seed_text(lines, line, window)
    for printed, _, end in _printed_numbers(text, strict):
        if printed == target and (not percent or _PERCENT_SUFFIX.match(text, end)):
            return True
    if note is None or percent or target != target.to_integral_value():
        return False
    words = number_words_near(lines, line, window).get(int(target), set())
    return any(quoted_in_note(word, note) for word in words)


# ---------------------------------------------------------------- percents


def round_half_up(x, decimals: int = 0) -> Decimal:
    """`x` rounded to `decimals` places, halves away from zero (26/39 = 66.67 → 67, 12.5 → 13),
    as a Decimal: analysis.numbers.round_half_up (the one rounding), read exactly from a
    Fraction, Decimal, int or str; a float through its printed form (str)."""
    exact = x if isinstance(x, Fraction) else Fraction(_as_decimal(x))
    return Decimal(numbers.decimal_text(exact, decimals))


def percent_decimals(percent) -> int:
    """Decimal places of a printed percent: 67 → 0, 72.9 → 1, 16.28 → 2 (16.0 → 0)."""
    exponent = _as_decimal(percent).normalize().as_tuple().exponent
    return max(0, -exponent)


def counts_giving_percent(percent, base) -> list[int]:
    """Every integer k in 0 … base whose share of base, rounded half up to the printed precision,
    is the printed percent. Empty when no count on this base can give the percent."""
    return numbers.counts_fitting_percent(_as_decimal(percent), int(base))


def percent_consistent(n, N, percent) -> bool:
    """Does a printed percent agree with its count and base? With a count: round-half-up of
    100·n/N at the printed precision equals the percent. Without a count (only a percent
    printed): some integer count on N gives it."""
    if _is_missing(n):
        return bool(counts_giving_percent(percent, N))
    target = _as_decimal(percent)
    return round_half_up(Fraction(100 * int(n), int(N)), percent_decimals(target)) == target


# ---------------------------------------------------------------- exclusive answer sets


class SumProblem(NamedTuple):
    """An exclusive answer set (`exclusive` = yes) whose counts do not add up to its base."""

    indicator: str
    group_var: str
    group: str
    total: int | None
    base: int | None
    reason: str  # "no counts", "count missing", "mixed bases", "no base", "sum differs from base"


def exclusive_sum_problems(counts: pd.DataFrame, default_base: int | None = None) -> list[SumProblem]:
    """The exclusive answer sets of a counts table that do not add up.

    A set is the rows of one indicator within one group (`indicator`, `group_var`, `group`) with
    `exclusive` = yes. Its base is the N printed on its rows (one value), else `default_base`
    (e.g. the number of units surveyed). Columns may be text or numbers; empty = missing."""
    rows = counts[counts["exclusive"].astype(str) == "yes"]
    keys = [c for c in ("indicator", "group_var", "group") if c in rows.columns]
    problems = []
    for key, g in rows.groupby(keys, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        ident = dict(zip(keys, key))
        ident = (ident.get("indicator", ""), ident.get("group_var", "all"), ident.get("group", "all"))
        n = pd.to_numeric(g["n"].replace("", pd.NA), errors="coerce")
        bases = set(pd.to_numeric(g["N"].replace("", pd.NA), errors="coerce").dropna().astype(int))
        total = int(n.sum()) if n.notna().any() else None
        if n.isna().all():
            problems.append(SumProblem(*ident, None, None, "no counts"))
            continue
        if n.isna().any():
            problems.append(SumProblem(*ident, total, None, "count missing"))
            continue
        if len(bases) > 1:
            problems.append(SumProblem(*ident, total, None, "mixed bases"))
            continue
        base = bases.pop() if bases else default_base
        if base is None:
            problems.append(SumProblem(*ident, total, None, "no base"))
        elif total != base:
            problems.append(SumProblem(*ident, total, int(base), "sum differs from base"))
    return problems


# ---------------------------------------------------------------- municipalities


def resolve_kommunkod(
    names: Iterable[str], kommuner: pd.DataFrame, aliases: pd.DataFrame | None = None
) -> dict[str, str | None]:
    """{name: kommunkod} for municipality names as written in a transcription: the official short
    name (`kommun` in reference/kommuner.csv) or a listed alias (`alias` in
    reference/name_aliases.csv), through the package's one resolver (MunicipalityIndex.exact).
    None where the name resolves to nothing."""
    index = MunicipalityIndex.from_tables(kommuner, aliases)
    return {name: (unit.kommunkod if (unit := index.exact(name)) else None) for name in names}


def reference_kommunkoder(names: Iterable[str]) -> dict[str, str | None]:
    """`resolve_kommunkod` against the project's reference tables (data/raw/reference)."""
    kommuner = pd.read_csv(paths.RAW / "reference" / "kommuner.csv", dtype={"kommunkod": str, "lanskod": str})
    aliases = pd.read_csv(paths.RAW / "reference" / "name_aliases.csv", dtype=str)
    return resolve_kommunkod(names, kommuner, aliases)


# ---------------------------------------------------------------- codebooks

CODEBOOK_COLUMNS = ["file", "column", "code", "type", "required", "min", "max", "label_sv", "description"]
COLUMN_TYPES = {"string", "integer", "number", "code", "boolean"}


def codebook_problems(folder: Path) -> list[str]:
    """What a folder's codebook.csv fails to describe (empty list: nothing), per CONVENTIONS.md:
    every CSV in the folder (codebook.csv included) has one column row per column; every column
    row has a known type and required = yes/no; every value of a `code` column is a listed code;
    required columns are never empty; integer/number columns parse and respect min/max; and the
    codebook names no file that does not exist. Read-only."""
    folder = Path(folder)

    def read(path):
        return pd.read_csv(path, dtype=str, keep_default_na=False)

    codebook = read(folder / "codebook.csv")
    if list(codebook.columns) != CODEBOOK_COLUMNS:
        return [f"codebook.csv columns are {list(codebook.columns)}, expected {CODEBOOK_COLUMNS}"]
    problems = [
        f"codebook.csv describes {name}, which does not exist"
        for name in sorted(set(codebook["file"]))
        if not (folder / name).is_file()
    ]
    for path in sorted(folder.glob("*.csv")):
        frame = read(path)
        rows = codebook[(codebook["file"] == path.name) & (codebook["code"] == "")]
        missing = [c for c in frame.columns if c not in set(rows["column"])]
        extra = [c for c in rows["column"] if c not in set(frame.columns)]
        if missing:
            problems.append(f"{path.name}: columns not in the codebook: {missing}")
        if extra:
            problems.append(f"{path.name}: codebook describes absent columns: {extra}")
        for row in rows.itertuples():
            if row.type not in COLUMN_TYPES or row.required not in {"yes", "no"}:
                problems.append(f"{path.name}.{row.column}: type {row.type!r} / required {row.required!r}")
            if row.column not in frame.columns:
                continue
            values = frame[row.column]
            given = values[values != ""]
            if row.required == "yes" and len(given) < len(values):
                problems.append(f"{path.name}.{row.column}: required but empty in {len(values) - len(given)} rows")
            if row.type == "code":
                allowed = set(
                    codebook.loc[
                        (codebook["file"] == path.name) & (codebook["column"] == row.column) & (codebook["code"] != ""),
                        "code",
                    ]
                )
                unknown = sorted(set(given) - allowed)
                if unknown:
                    problems.append(f"{path.name}.{row.column}: codes not in the codebook: {unknown[:10]}")
            if row.type in {"integer", "number"} and len(given):
                pattern = r"-?\d+" if row.type == "integer" else r"-?\d+(\.\d+)?"
                bad = sorted(set(given[~given.str.fullmatch(pattern)]))
                if bad:
                    problems.append(f"{path.name}.{row.column}: not {row.type}: {bad[:10]}")
                    continue
                numbers = given.map(Decimal)
                if row.min != "" and (numbers < Decimal(row.min)).any():
                    problems.append(f"{path.name}.{row.column}: below min {row.min}")
                if row.max != "" and (numbers > Decimal(row.max)).any():
                    problems.append(f"{path.name}.{row.column}: above max {row.max}")
    return problems
