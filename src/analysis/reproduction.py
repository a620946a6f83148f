"""Published vs recomputed: the rows of data/processed/reproduction.csv.

Every printed figure that the transcribed data can recompute is checked, and every printed
percent gets a row even when it cannot be recomputed (then with the reason). Status:

- `match`: the recomputed figure equals the printed one (percents: round half up to the printed
  precision, e.g. 16,28 to two decimals);
- `mismatch`: it does not, or the printed figure contradicts its own stated base;
- `not reproducible`: the inputs to recompute it are not printed (no n, no N), or the percent is
  not a share of units at all (percent of one post).

A percent printed with a base N but without a count is checked for attainability: is there an
integer k with round-half-up(100·k/N) equal to it? If yes → `match` (n is then known, see
shares.py); if no k fits → `mismatch`. We treat that case as a mismatch rather than as "not
reproducible" because the base is stated: the printed figure is inconsistent with its own base
(e.g. the county boards' 2015 report's 72,9 % of 43 key persons: 31/43 = 72,09 %, 32/43 = 74,42 %). The
recomputed column then holds the attainable percent closest to the printed one.

`published` and `recomputed` are numbers in the printed unit: percent points for percents,
counts for counts.

Layers talk in data: besides the English `note` (for a reader of the CSV), every row carries
`check` (the kind of check, a code), `reason` (why a figure is not reproducible, a code; empty
otherwise), `n`, `N` and `decimals` where the check has them, `fits` (the counts on base N that
give the printed percent, ';'-separated) and `fields` (JSON: every value the check's sentence
names). The report words the codes through report/text/<locale>/codes.yml and never parses
`note`. Checks that need more than a counts table (the OJ ja-counts, the size
classes, the coding sheet) run for any source that has the tables they need; they are small
functions listed in CROSS_CHECKS.
"""

import json
import math
from fractions import Fraction

import pandas as pd

from . import shares as sh
from .errors import TableShapeError
from .input_errors import ConfigError, Problem

COLUMNS = "source quantity published recomputed status note source_ref check reason n N decimals fits fields".split()
STATUSES = ("match", "mismatch", "not reproducible")
# Why a printed figure cannot be recomputed (the `reason` codes).
REASONS = ("position", "no_count_no_base", "no_base", "no_count_category", "sum_no_base", "oj_national")
# The kind of check of a count the source prints under its own words for its larger municipalities
# against the size class `larger`; the words are the source's (config `checks.larger_size_class.phrase`,
# in the row's fields as `phrase`), never part of the kind.
LARGER_PHRASE_KIND = "printed phrase vs size class larger"


def _float(value) -> float:
    """A number as float, NaN when missing."""
    return math.nan if sh.missing(value) else float(value)


def row(
    quantity: str,
    published,
    recomputed,
    status: str,
    note: str,
    source_ref,
    *,
    check: str,
    reason: str | None = None,
    n=None,
    N=None,
    decimals=None,
    fits=(),
    **fields,
) -> dict:
    """One reproduction row (without `source`), numbers as floats; `check`, `reason` and the
    named `fields` are the structured form of `note`."""
    if status not in STATUSES:
        raise TableShapeError(f"reproduction row {quantity!r}: status {status!r} is not one of {STATUSES}")
    if (reason is not None) != (status == "not reproducible") or (reason is not None and reason not in REASONS):
        raise TableShapeError(f"reproduction row {quantity!r}: reason {reason!r} with status {status!r}")
    return {
        "quantity": quantity,
        "published": _float(published),
        "recomputed": _float(recomputed),
        "status": status,
        "note": note,
        "source_ref": source_ref,
        "check": check,
        "reason": reason,
        "n": _int(n),
        "N": _int(N),
        "decimals": _int(decimals),
        "fits": ";".join(str(int(k)) for k in fits) or None,
        "fields": json.dumps({k: str(v) for k, v in fields.items()}, ensure_ascii=False, sort_keys=True),
    }


def _int(value):
    return None if value is None or sh.missing(value) else int(value)


def key(rec: dict, with_category: bool = True) -> str:
    """Readable id of a counts row: `indicator/category`, with `[group]` for breakdowns."""
    text = f"{rec['indicator']}/{rec['category']}" if with_category else str(rec["indicator"])
    return text if rec["group"] == "all" else f"{text}[{rec['group']}]"


def _p(value) -> str:
    """Plain-text percent for notes."""
    return sh.fmt_percent(Fraction(value))


def compare(published, recomputed) -> str:
    """Status of a count/number check: not reproducible without a printed figure."""
    if sh.missing(published) or sh.missing(recomputed):
        return "not reproducible"
    return "match" if Fraction(float(published)) == Fraction(float(recomputed)) else "mismatch"


def versus(rec: dict, field: str, against: str, recomputed, note: str, *, check: str, **fields) -> dict:
    """A printed field of a counts row (`n`, `N`, `percent`) against its recount from the source's own
    tables: the row `<key>: <field> vs <against>`, its status as `compare` gives it."""
    published = rec[field]
    quantity = f"{key(rec)}: {field} vs {against}"
    return row(
        quantity, published, recomputed, compare(published, recomputed), note, rec["source_ref"], check=check, **fields
    )


# --- percents from n/N ------------------------------------------------------------------------


def percent_check(quantity: str, percent, n, N, unit, source_ref) -> dict:
    """Check one printed percent against n/N (or against its base N alone when n is missing)."""
    if sh.is_percent_of_position(unit):
        return row(
            quantity,
            percent,
            None,
            "not reproducible",
            f"a percent of one post/full time (unit: {unit}), not a share n/N of units",
            source_ref,
            check="position",
            reason="position",
            unit=unit,
        )
    if sh.missing(N):
        code = "no_base" if not sh.missing(n) else "no_count_no_base"
        reason = "no base (N) stated" + ("" if not sh.missing(n) else " and no count (n) printed")
        return row(quantity, percent, None, "not reproducible", reason, source_ref, check=code, reason=code, n=n)
    decimals, printed = sh.printed_decimals(percent), sh.exact(percent)
    if not sh.missing(n):
        value = sh.percent_of(n, N, decimals)
        status = "match" if value == printed else "mismatch"
        p = _p(Fraction(100 * int(n), int(N)))
        note = f"{int(n)}/{int(N)} = {p} %, rounded half up to {decimals} decimal(s)"
        return row(
            quantity,
            percent,
            value,
            status,
            note,
            source_ref,
            check="percent_of_counts",
            n=n,
            N=N,
            decimals=decimals,
            p=p,
        )
    fits = sh.counts_fitting_percent(percent, N)
    if fits:
        listed = ", ".join(f"{k}/{int(N)}" for k in fits)
        return row(
            quantity,
            percent,
            sh.percent_of(fits[0], N, decimals),
            "match",
            f"no count printed; the base {int(N)} allows it: {listed} gives {_p(printed)} %",
            source_ref,
            check="percent_fits_base",
            N=N,
            decimals=decimals,
            fits=fits,
            listed=listed,
            p=_p(printed),
        )
    near = sh.nearest_counts(percent, N)
    best = min(near, key=lambda k: abs(Fraction(100 * k, int(N)) - printed))
    around = "; ".join(f"{k}/{int(N)} = {_p(Fraction(100 * k, int(N)))} %" for k in near)
    return row(
        quantity,
        percent,
        sh.percent_of(best, N, decimals),
        "mismatch",
        f"no count printed and no integer count on the stated base {int(N)} gives {_p(printed)} % "
        f"({around}); recomputed = the closest attainable percent",
        source_ref,
        check="percent_fits_no_count",
        N=N,
        decimals=decimals,
        p=_p(printed),
        around=around,
    )


def percent_checks(counts: pd.DataFrame) -> list[dict]:
    """One row per printed percent of a counts table (and per upper end of a printed range)."""
    out = []
    for rec in counts.to_dict("records"):
        for p_col, n_col, label in (("percent", "n", "percent"), ("percent_max", "n_max", "percent_max")):
            if not sh.missing(rec[p_col]):
                out.append(
                    percent_check(
                        f"{key(rec)}: {label}", rec[p_col], rec[n_col], rec["N"], rec["unit"], rec["source_ref"]
                    )
                )
    return out


# --- exclusive answer sets: counts add up to N, percents to 100 --------------------------------


def exclusive_sets(counts: pd.DataFrame):
    """(first record, records) per indicator × group whose categories are exclusive."""
    chosen = counts[counts["exclusive"] == "yes"]
    for _, group in chosen.groupby(["indicator", "group_var", "group"], sort=False):
        records = group.to_dict("records")
        yield records[0], records


def _refs(records: list[dict]) -> str:
    """The distinct source_refs of several rows, in order."""
    return "; ".join(dict.fromkeys(str(r["source_ref"]) for r in records))


def exclusive_sum_check(records: list[dict], source_id: str = "source") -> dict | None:
    """Sum of n of an exclusive set against its base N (None when no count is printed at all)."""
    first = records[0]
    counts = [r["n"] for r in records]
    bases = {int(r["N"]) for r in records if not sh.missing(r["N"])}
    if len(bases) > 1 or (bases and any(sh.missing(r["N"]) for r in records)):
        raise TableShapeError(
            f"{source_id}: table 'counts', indicator {first['indicator']!r} "
            f"(group {first['group']!r}): exclusive categories with different bases N"
        )
    if all(sh.missing(n) for n in counts):
        return None
    quantity, refs = f"{key(first, with_category=False)}: sum of n vs N", _refs(records)
    if any(sh.missing(n) for n in counts):
        lacking = ", ".join(r["category"] for r in records if sh.missing(r["n"]))
        return row(
            quantity,
            None,
            None,
            "not reproducible",
            f"no count printed for {lacking}",
            refs,
            check="no_count_category",
            reason="no_count_category",
            categories=lacking,
        )
    total = sum(int(n) for n in counts)
    terms = " + ".join(str(int(n)) for n in counts)
    if not bases:
        return row(
            quantity,
            None,
            total,
            "not reproducible",
            f"exclusive categories {terms} = {total}, but no base (N) is stated",
            refs,
            check="sum_no_base",
            reason="sum_no_base",
            n=total,
            terms=terms,
            total=total,
        )
    base = bases.pop()
    status = "match" if total == base else "mismatch"
    return row(
        quantity,
        base,
        total,
        status,
        f"exclusive categories {terms} = {total} vs stated N = {base}",
        refs,
        check="sum_vs_base",
        n=total,
        N=base,
        terms=terms,
        total=total,
    )


def percent_sum_check(records: list[dict]) -> dict | None:
    """Printed percents of an exclusive set against 100, allowing each printed percent half a
    unit of its last printed decimal (so 73 + 16 + 12 = 101 can be rounding, 100,81 cannot)."""
    if any(sh.missing(r["percent"]) for r in records) or len(records) < 2:
        return None
    printed = [sh.exact(r["percent"]) for r in records]
    total = sum(printed)
    tolerance = sum(Fraction(1, 2 * 10 ** sh.printed_decimals(r["percent"])) for r in records)
    status = "match" if abs(total - 100) <= tolerance else "mismatch"
    terms = " + ".join(_p(p) for p in printed)
    note = f"exclusive categories: {terms} = {_p(total)}; must be 100 up to rounding (tolerance ±{_p(tolerance)})"
    return row(
        f"{key(records[0], with_category=False)}: sum of percents",
        total,
        100,
        status,
        note,
        _refs(records),
        check="percent_sum",
        terms=terms,
        total=_p(total),
        tolerance=_p(tolerance),
    )


def exclusive_checks(counts: pd.DataFrame, source_id: str = "source") -> list[dict]:
    """Sum checks (counts vs N, percents vs 100) for every exclusive answer set."""
    out = []
    for _, records in exclusive_sets(counts):
        for check in (exclusive_sum_check(records, source_id), percent_sum_check(records)):
            if check is not None:
                out.append(check)
    return out


# --- checks that need other tables ---------------------------------------------------------------


def _counts_row(tables: dict, indicator: str, category: str | None = None) -> dict | None:
    """The one counts row of `indicator` (and `category`, if given), or None if there is none."""
    counts = tables.get("counts")
    if counts is None:
        return None
    chosen = counts[counts["indicator"] == indicator]
    if category is not None:
        chosen = chosen[chosen["category"] == category]
    return chosen.to_dict("records")[0] if len(chosen) == 1 else None


def ja_count_checks(tables: dict, source_id: str, checks: dict | None = None) -> list[dict]:
    """OJ matrix: each municipality's printed number of ja answers against its 2-cells."""
    if "oj_values" not in tables or "municipalities" not in tables:
        return []
    values, municipalities = tables["oj_values"], tables["municipalities"]
    if "ja_count_published" not in municipalities.columns:
        return []
    out = []
    for rec in municipalities.to_dict("records"):
        cells = values[values["kommun"] == rec["kommun"]]
        if cells.empty:
            raise TableShapeError(
                f"{source_id}: table 'oj_values' has no values for kommun {rec['kommun']!r} of table 'municipalities'"
            )
        tally = cells["value"].astype("string").value_counts()
        ja, partly, no = (int(tally.get(v, 0)) for v in ("2", "1", "0"))
        note = f"{len(cells)} printed values: {ja} ja (2), {partly} delvis (1), {no} nej (0)"
        out.append(
            row(
                f"ja_count/{rec['kommun']}",
                rec["ja_count_published"],
                ja,
                compare(rec["ja_count_published"], ja),
                note,
                rec["source_ref"],
                check="ja_count",
                n=ja,
                N=len(cells),
                values=len(cells),
                ja=ja,
                partly=partly,
                no=no,
            )
        )
    return out


def size_class_checks(tables: dict, source_id: str, checks: dict | None = None) -> list[dict]:
    """Printed number of municipalities per size class against the municipalities table."""
    counts, municipalities = tables.get("counts"), tables.get("municipalities")
    if counts is None or municipalities is None or "size_class" not in municipalities.columns:
        return []
    chosen = counts[(counts["indicator"] == "municipalities_in_size_class") & (counts["group_var"] == "size_class")]
    members = municipalities.groupby("size_class")["kommun"].apply(list).to_dict()
    out = []
    for rec in chosen.to_dict("records"):
        names = members.get(rec["group"], [])
        out.append(
            row(
                f"size_class_count/{rec['group']}",
                rec["n"],
                len(names),
                compare(rec["n"], len(names)),
                f"municipalities table: {', '.join(names) or 'none'}",
                rec["source_ref"],
                check="size_class_count",
                n=len(names),
                names=", ".join(names) or "none",
            )
        )
    return out


def larger_municipalities_check(tables: dict, source_id: str, checks: dict | None = None) -> list[dict]:
    """A count the source attributes to its larger municipalities (config `checks.larger_size_class`:
    `indicator`, the counts row, and `phrase`, the words the source prints for those municipalities):
    the base against the municipalities table, and the count against the size class `larger`."""
    declared = (checks or {}).get("larger_size_class")
    if declared is None:
        return []
    if not isinstance(declared, dict) or not declared.get("indicator") or not declared.get("phrase"):
        raise ConfigError(
            Problem(
                f"sources.{source_id}.checks.larger_size_class",
                f"needs the counts indicator and the printed phrase, got {declared!r}",
                expected="{indicator: <counts.csv indicator>, phrase: <the words the source prints for them>}",
            )
        )
    phrase = str(declared["phrase"])
    rec, municipalities = _counts_row(tables, declared["indicator"]), tables.get("municipalities")
    if rec is None or municipalities is None or "size_class" not in municipalities.columns:
        return []
    total = len(municipalities)
    larger = sorted(municipalities.loc[municipalities["size_class"] == "larger", "kommun"])
    out = []
    if not sh.missing(rec["N"]):
        note = f"the municipalities table lists {total}"
        out.append(
            versus(rec, "N", "municipalities", total, note, check="base_vs_municipalities", N=total, total=total)
        )
    larger_or_medium = int((municipalities["size_class"].isin(["larger", "medium"])).sum())
    out.append(
        row(
            f"{key(rec)}: {LARGER_PHRASE_KIND}",
            rec["n"],
            len(larger),
            compare(rec["n"], len(larger)),
            f"the report calls the {rec['n']} '{phrase}', but its size class Större "
            f"kommuner has {len(larger)} ({', '.join(larger)}); larger + medium would give "
            f"{larger_or_medium}",
            rec["source_ref"],
            check="larger_vs_size_class",
            n=len(larger),
            N=total,
            printed=rec["n"],
            phrase=phrase,
            k=len(larger),
            names=", ".join(larger),
            m=larger_or_medium,
        )
    )
    return out


def coding_count_checks(tables: dict, source_id: str, checks: dict | None = None) -> list[dict]:
    """Printed counts of municipalities against the yes-count of the matching code (config
    `checks.recount_with_code`: printed count's indicator → the coding sheet's code)."""
    recount = (checks or {}).get("recount_with_code") or {}
    if "coding" not in tables or "counts" not in tables:
        return []
    coding, out = tables["coding"], []
    for indicator, code in recount.items():
        rec = _counts_row(tables, indicator)
        if rec is None:
            continue
        if not (coding["code"] == code).any():
            raise TableShapeError(f"{source_id}: table 'coding' has no code {code!r} to recount {indicator!r}")
        named = sorted(coding.loc[(coding["code"] == code) & (coding["status"] == "yes"), "kommun"])
        names = ", ".join(named)
        note = f"coding sheet, code {code}, status yes: {names}"
        out.append(
            versus(rec, "n", "coding", len(named), note, check="count_vs_coding", n=len(named), code=code, names=names)
        )
    return out


def study_facts_checks(tables: dict, source_id: str, checks: dict | None = None) -> list[dict]:
    """Body-text facts that the source's own tables recount, as its config `checks` names them
    (e.g. SKL 2016: 8 municipalities, 60 indicators, 93 % web information = Tabell 2's oj_53,
    3 in Unizon's top 10)."""
    checks = checks or {}
    municipalities, indicators, out = tables.get("municipalities"), tables.get("indicators"), []
    for name, table, what, note, code in (
        (
            "count_of_municipalities",
            municipalities,
            "municipalities table",
            "Bilaga 3 Tabell 1 has {} municipality columns",
            "count_vs_municipality_columns",
        ),
        (
            "count_of_indicators",
            indicators,
            "indicators table",
            "Tabell 1/Tabell 2 have {} indicator rows",
            "count_vs_indicator_rows",
        ),
    ):
        rec = _counts_row(tables, checks[name]) if name in checks else None
        if rec is not None and table is not None:
            total = len(table)
            out.append(versus(rec, "n", what, total, note.format(total), check=code, n=total, total=total))
    spec = checks.get("percent_vs_national_share") or {}
    rec = _counts_row(tables, spec["indicator"]) if spec else None
    if rec is not None and indicators is not None and (indicators["indicator"] == spec["national"]).any():
        national_id, what = spec["national"], spec["what"]
        national = float(indicators.loc[indicators["indicator"] == national_id, "national_share_percent"].iloc[0])
        note = f"body text vs Bilaga 4 Tabell 2 ({national_id}, {what})"
        against = f"national share {national_id}"
        out.append(
            versus(rec, "percent", against, national, note, check="percent_vs_table", indicator=national_id, what=what)
        )
    spec = checks.get("unizon_top10") or {}
    rec = _counts_row(tables, spec["indicator"], spec["category"]) if spec else None
    if rec is not None and municipalities is not None and "unizon_rank" in municipalities.columns:
        top = municipalities[municipalities["unizon_rank"].fillna(999) <= 10]
        names = ", ".join(top["kommun"])
        note = f"Tabell 1 Unizon ranks <= 10: {names} (the ÖJ top-20 part is not checkable: the ranking is not printed)"
        out.append(
            versus(rec, "n", "Unizon rank <= 10", len(top), note, check="count_vs_unizon_rank", n=len(top), names=names)
        )
    return out


def national_share_checks(tables: dict, source_id: str, checks: dict | None = None) -> list[dict]:
    """OJ national shares of ja (Bilaga 4): printed percents whose base is not printed."""
    indicators = tables.get("indicators")
    if indicators is None or "national_share_percent" not in indicators.columns:
        return []
    return [
        row(
            f"{rec['indicator']}/ja[national]: percent",
            rec["national_share_percent"],
            None,
            "not reproducible",
            "national share of ja answers; neither the number of municipalities "
            "answering nor the count of ja is printed",
            rec["source_ref"],
            check="oj_national",
            reason="oj_national",
        )
        for rec in indicators.to_dict("records")
        if not sh.missing(rec["national_share_percent"])
    ]


CROSS_CHECKS = [
    ja_count_checks,
    national_share_checks,
    size_class_checks,
    larger_municipalities_check,
    coding_count_checks,
    study_facts_checks,
]


# --- one source, all sources -------------------------------------------------------------------


def source_reproduction(source_id: str, tables: dict[str, pd.DataFrame], checks: dict | None = None) -> pd.DataFrame:
    """All reproduction rows of one source: its printed percents, its exclusive sums, and the
    cross-checks its tables allow (and its config's `checks` name)."""
    rows = []
    if "counts" in tables:
        sh.check_counts(tables["counts"], source_id)
        rows += percent_checks(tables["counts"])
        rows += exclusive_checks(tables["counts"], source_id)
    for check in CROSS_CHECKS:
        rows += check(tables, source_id, checks)
    out = pd.DataFrame(rows, columns=COLUMNS[1:])
    out.insert(0, "source", source_id)
    duplicated = out.loc[out["quantity"].duplicated(), "quantity"]
    if not duplicated.empty:
        raise TableShapeError(f"{source_id}: two reproduction rows for {duplicated.iloc[0]!r}")
    out = out.astype({"published": "float64", "recomputed": "float64"})
    for column in ["n", "N", "decimals"]:
        out[column] = pd.array(out[column].tolist(), dtype="Int64")
    return out


def all_reproduction(config: dict, tables_by_source: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """reproduction.csv: every configured source's rows, sorted by source (stable within)."""
    frames = []
    for source_id in config["sources"]:
        if source_id not in tables_by_source:
            raise TableShapeError(f"{source_id}: configured but no tables were loaded for it")
        frames.append(
            source_reproduction(source_id, tables_by_source[source_id], config["sources"][source_id].get("checks"))
        )
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values("source", kind="stable").reset_index(drop=True)[COLUMNS]
