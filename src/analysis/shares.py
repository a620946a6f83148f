"""Shares n/N from the transcribed tables: the rows of data/processed/shares.csv.

Which rows are shares (`source_shares`):

- **every `counts` row** of a source. share = n/N where both are known. Where only a percent is
  printed and N is known, n is inferred as the integer k on base N whose round-half-up percent
  (at the printed precision) equals the printed one (`n_basis = inferred_from_percent`); if no
  k fits, n stays empty and the note says so; if several fit, the one closest to the printed
  percent is taken and the note lists them. Where N is not stated, the source's **base rule**
  applies when the config declares one (`base_rule: {default_base, reason, except}`; Stockholm
  2008: all 39 units were interviewed, so a count printed without its own base has base 39):
  N = default_base, `N_basis = default_base`, and every printed percent of the row must fit that
  base (else a BaseRuleError names the row, to be declared in `except`). A count with its own
  printed base keeps it (`N_basis = printed`). Without a rule, or for an indicator in `except`,
  share stays empty (no base is invented, `N_basis = none`) but the printed percent is kept in
  `published`. Ranges keep their lower end in
  n/published and the upper end in n_max/published_max.
- **an interview coding sheet** (`coding` + `codes`, e.g. Dalarna 2020): one row per code, n =
  municipalities the report states `yes` for, N = the municipalities of the grid (15), category
  `stated_yes`; a `stated_no` row only for codes that have an explicit `no`. `not_reported` is
  never counted as no: the share is "named in the report for this", not prevalence.
- **an OJ matrix** (`oj_values` + `indicators`, e.g. SKL 2016): per indicator the share of the
  municipalities answering ja (2), delvis (1) and nej (0), N = 8 (purposive selection), and the
  national share of ja as printed (`published` only; group_var `population`, group `national`,
  because the number of municipalities behind it is not printed).
- **A size-class mapping's development-areas table gives no shares, by choice.** Its cells belong to a size
  class, not to municipalities: a `yes` cell says the class (2 or 5 municipalities together)
  named the area, not how many of its municipalities did, and an empty cell is `not_listed`,
  not `no`. So there is neither a count of municipalities nor a meaningful base; "areas listed
  out of the 27 table rows" depends on how the table was cut and estimates nothing. The table
  stays a qualitative breakdown.

Numbers are returned as numbers; formatting happens at the edge (analysis.swedish).
"""

import math
from fractions import Fraction

import pandas as pd

from . import design as designs
from . import oj
from .errors import ConfigError, MissingEntryError, NumberError, TableShapeError
from .numbers import (  # noqa: F401
    counts_fitting_percent,
    exact,
    fmt_percent,
    missing,
    nearest_counts,
    percent_of,
    printed_decimals,
    round_half_up,
)

COUNTS_REQUIRED = "indicator label category category_label group_var group n n_max N percent percent_max exclusive unit source_ref".split()
LEADING_COLUMNS = (
    "source indicator label category group_var group n N share ci_low ci_high published source_ref".split()
)
EXTRA_COLUMNS = (
    "category_label design n_basis N_basis small_base n_max published_max exclusive unit note source_note".split()
)
SHARES_COLUMNS = LEADING_COLUMNS + EXTRA_COLUMNS
COUNTS_NUMBERS = ("n", "n_max", "N", "percent", "percent_max")  # the counts table's numbers (the rest: text)
INTEGER_COLUMNS = ("n", "N", "n_max")  # of the shares table (the rest but small_base and the floats: text)
FLOAT_COLUMNS = ("share", "ci_low", "ci_high", "published", "published_max")
N_BASES = ("printed", "inferred_from_percent", "residual", "none")
BASE_BASES = ("printed", "default_base", "none")
"""How N of a shares row is known: printed in the source, the source's base rule, or not at all."""


class BaseRuleError(NumberError):
    """Raised when a source's base rule would give a row a base its printed percent does not fit
    (the row belongs in the rule's `except`), or when the rule itself is malformed."""


OJ_CATEGORIES = {str(value): (label, label.capitalize()) for value, label in oj.VALUE_LABELS.items()}
CODING_STATUSES = ("yes", "no", "not_reported")


# --- kept for the Stockholm notebook and tests/test_shares.py -------------------------------


# --- printed percents: precision, rounding, which counts fit ---------------------------------


def infer_count(percent, N: int) -> tuple[int | None, str]:
    """(n, note) for a percent printed without a count on a known base N."""
    fits = counts_fitting_percent(percent, N)
    p = fmt_percent(exact(percent))
    if len(fits) == 1:
        return fits[0], f"n inferred: {fits[0]}/{N} is the only count on base {N} giving {p} %"
    if len(fits) > 1:
        best = min(fits, key=lambda k: (abs(Fraction(100 * k, N) - exact(percent)), k))
        listed = ", ".join(str(k) for k in fits)
        return best, f"several counts on base {N} give {p} % ({listed}); n = {best}, the closest"
    near = "; ".join(f"{k}/{N} = {fmt_percent(Fraction(100 * k, N))} %" for k in nearest_counts(percent, N))
    return None, f"no integer count on base {N} gives {p} % ({near}); n left empty"


# --- validation --------------------------------------------------------------------------------


def _as_int(value) -> int | None:
    """A count as int, or None when missing."""
    return None if missing(value) else int(value)


def _as_float(value) -> float | None:
    """A number as float, or None when missing."""
    return None if missing(value) else float(value)


def check_counts(counts: pd.DataFrame, source_id: str, table: str = "counts") -> None:
    """Raise ValueError naming source, table, row and column on impossible counts."""
    absent = [c for c in COUNTS_REQUIRED if c not in counts.columns]
    if absent:
        raise TableShapeError(f"{source_id}: table {table!r} lacks column(s) {', '.join(absent)}")
    for position, rec in enumerate(counts.to_dict("records"), start=1):
        where = (
            f"{source_id}: table {table!r} row {position} "
            f"(indicator={rec['indicator']!r}, category={rec['category']!r})"
        )
        n, n_max, N = (_as_int(rec[c]) for c in ("n", "n_max", "N"))
        p, p_max = _as_float(rec["percent"]), _as_float(rec["percent_max"])
        problems = []
        if n is not None and n < 0:
            problems.append(f"column n = {n} is negative")
        if N is not None and N < 1:
            problems.append(f"column N = {N} is not a base")
        if None not in (n, N) and n > N:
            problems.append(f"column n = {n} exceeds N = {N}")
        if None not in (n_max, N) and n_max > N:
            problems.append(f"column n_max = {n_max} exceeds N = {N}")
        if n_max is not None and (n is None or n_max < n):
            problems.append(f"column n_max = {n_max} without a smaller n = {n}")
        for name, value in (("percent", p), ("percent_max", p_max)):
            if value is not None and not 0 <= value <= 100:
                problems.append(f"column {name} = {value} is outside 0-100")
        if p_max is not None and (p is None or p_max < p):
            problems.append(f"column percent_max = {p_max} without a smaller percent = {p}")
        if rec["exclusive"] not in ("yes", "no"):
            problems.append(f"column exclusive = {rec['exclusive']!r} is not yes/no")
        if problems:
            raise TableShapeError(f"{where}: " + "; ".join(problems))


# --- rows from counts.csv ---------------------------------------------------------------------


def is_percent_of_position(unit) -> bool:
    """Percents of one post/full time (unit 'procent av tjänst', 'procent av heltid') are not
    shares of units."""
    return isinstance(unit, str) and unit.strip().lower().startswith("procent")


def count_share(rec: dict) -> dict:
    """One shares row (without source/design/interval) from one counts record."""
    n, n_max, N = (_as_int(rec[c]) for c in ("n", "n_max", "N"))
    p, p_max = _as_float(rec["percent"]), _as_float(rec["percent_max"])
    notes, basis = [], "printed" if n is not None else "none"
    base_basis = rec.get("N_basis") or ("printed" if N is not None else "none")
    if base_basis == "default_base":
        notes.append(f"N = {N} by the source's base rule (no base printed for this count)")
    position = is_percent_of_position(rec["unit"])
    if n is None and p is not None and N is not None and not position:
        n, note = infer_count(p, N)
        basis = "inferred_from_percent" if n is not None else "none"
        notes.append(note)
    if n_max is None and p_max is not None and N is not None and not position:
        n_max, note = infer_count(p_max, N)
        notes.append("upper end: " + note)
    if N is None and (n is not None or p is not None):
        notes.append("no base stated: share not computed")
    if n_max is not None or p_max is not None:
        counts = f"n {n}-{n_max}" if n_max is not None else None
        percents = f"percent {fmt_percent(exact(p))}-{fmt_percent(exact(p_max))}" if p_max is not None else None
        notes.append(
            "printed as a range ("
            + ", ".join(x for x in (counts, percents) if x)
            + "); n/share/published are the lower end"
        )
    if position and p is not None:
        notes.append(
            f"the printed percent is a share of one post/full time (unit: {rec['unit']}), not a share of units"
        )
    return {
        **{c: rec[c] for c in COUNTS_REQUIRED if c not in COUNTS_NUMBERS},
        "n": n,
        "N": N,
        "n_max": n_max,
        "share": n / N if None not in (n, N) else math.nan,
        "published": p / 100 if p is not None else math.nan,
        "published_max": p_max / 100 if p_max is not None else math.nan,
        "n_basis": basis,
        "N_basis": base_basis,
        "note": "; ".join(notes),
        "source_note": rec.get("note"),
    }


def base_rule(source_config: dict | None, source_id: str = "") -> dict | None:
    """The source's declared base rule ({default_base, reason, except}) or None."""
    rule = (source_config or {}).get("base_rule")
    if rule is None:
        return None
    where = f"sources.{source_id}.base_rule"
    if not isinstance(rule, dict) or "default_base" not in rule or "reason" not in rule:
        raise BaseRuleError(f"{where}: needs default_base (a count of units) and reason")
    N = rule["default_base"]
    if isinstance(N, bool) or not isinstance(N, int) or N < 1:
        raise BaseRuleError(f"{where}.default_base: {N!r} is not a positive whole number")
    exceptions = rule.get("except") or {}
    if not isinstance(exceptions, dict):
        raise BaseRuleError(f"{where}.except: expected a mapping indicator → why")
    return {"default_base": N, "reason": str(rule["reason"]), "except": dict(exceptions)}


def _fits(percent, n: int, N: int) -> bool:
    """True when n on base N gives the printed percent at its printed precision."""
    return percent_of(n, N, printed_decimals(percent)) == exact(percent)


def apply_base_rule(counts: pd.DataFrame, source_id: str, rule: dict | None) -> pd.DataFrame:
    """The counts with N filled by the source's base rule where no base is printed (whole-source
    rows, `group_var` all, with a count or a percent, not percents of a post), and `N_basis`
    (printed / default_base / none). Raise BaseRuleError where a printed percent does not fit the
    default base, and ConfigError for an exception naming no indicator of the table."""
    out = counts.copy()
    printed = out["N"].notna()
    out["N_basis"] = ["printed" if has else "none" for has in printed]
    if rule is None:
        return out
    unknown = set(rule["except"]) - set(out["indicator"])
    if unknown:
        raise ConfigError(f"sources.{source_id}.base_rule.except: no such indicator(s) {sorted(unknown)}")
    N = rule["default_base"]
    out["N"] = out["N"].astype("object")
    for index, rec in out.iterrows():
        if printed[index] or rec["indicator"] in rule["except"] or rec["group_var"] != "all":
            continue
        if (missing(rec["n"]) and missing(rec["percent"])) or is_percent_of_position(rec["unit"]):
            continue
        for n_col, p_col in (("n", "percent"), ("n_max", "percent_max")):
            if not missing(rec[n_col]) and not missing(rec[p_col]) and not _fits(rec[p_col], int(rec[n_col]), N):
                raise BaseRuleError(
                    f"{source_id}: {rec['indicator']}/{rec['category']}: printed {rec[p_col]:g} % does not "
                    f"fit {n_col} = {int(rec[n_col])} on the default base {N}; declare the indicator in "
                    "base_rule.except with the reason"
                )
        out.at[index, "N"] = N
        out.at[index, "N_basis"] = "default_base"
    return out


def with_residuals(rows: pd.DataFrame) -> pd.DataFrame:
    """Exclusive answer sets give the residual: where the answers of one indicator and group
    exclude each other (`exclusive` yes), share one base N and all but one have a count, the last
    count is N minus the others (`n_basis = residual`), even where a printed percent fits no count
    (the county boards' "bättre": 43 − 7 − 5 = 31, printed 72,9 %; the note flags the printed
    figure)."""
    out = rows.copy()
    for _, group in out.groupby(["indicator", "group_var", "group"], sort=False):
        if len(group) < 2 or (group["exclusive"] != "yes").any() or group["n_max"].notna().any():
            continue
        bases = {int(N) for N in group["N"] if not missing(N)}
        unknown = group[[missing(n) for n in group["n"]]]
        if len(bases) != 1 or group["N"].isna().any() or len(unknown) != 1:
            continue
        N, index = bases.pop(), unknown.index[0]
        residual = N - int(sum(int(n) for n in group["n"] if not missing(n)))
        if residual < 0:
            continue
        others = " − ".join([str(N)] + [str(int(n)) for n in group["n"] if not missing(n)])
        out.at[index, "n"] = residual
        out.at[index, "n_basis"] = "residual"
        out.at[index, "share"] = residual / N
        printed = out.at[index, "published"]
        flag = (
            f"; the printed {fmt_percent(exact(100 * printed))} % fits no count on base {N} (flagged)"
            if not missing(printed) and not _fits(round(100 * printed, 6), residual, N)
            else ""
        )
        earlier = str(out.at[index, "note"] or "").replace("; n left empty", "")
        out.at[index, "note"] = "; ".join(
            x for x in (earlier, f"n = {others} = {residual}, the residual of an exclusive answer set{flag}") if x
        )
    return out


def counts_shares(counts: pd.DataFrame, source_id: str, rule: dict | None = None) -> pd.DataFrame:
    """Shares rows for every row of a counts table, in the order of the table; `rule` is the
    source's base rule (`base_rule`), applied before the shares are computed; exclusive answer
    sets then give their residual (`with_residuals`)."""
    check_counts(counts, source_id)
    ruled = apply_base_rule(counts, source_id, rule)
    return with_residuals(pd.DataFrame([count_share(rec) for rec in ruled.to_dict("records")]))


# --- rows from an interview coding sheet (yes / no / not_reported) ----------------------------


def check_coding(coding: pd.DataFrame, codes: pd.DataFrame, source_id: str) -> list[str]:
    """Validate the coding grid (known statuses, every code × every municipality once) and
    return the municipalities it covers."""
    for table, frame, columns in (
        ("coding", coding, ["kommun", "code", "status"]),
        ("codes", codes, ["code", "label_sv", "source_ref"]),
    ):
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise TableShapeError(f"{source_id}: table {table!r} lacks column(s) {', '.join(absent)}")
    bad = coding[~coding["status"].isin(CODING_STATUSES)]
    if not bad.empty:
        row = bad.index[0]
        raise TableShapeError(
            f"{source_id}: table 'coding' row {row + 1}: column status = "
            f"{bad.at[row, 'status']!r} is not one of {', '.join(CODING_STATUSES)}"
        )
    municipalities = sorted(coding["kommun"].unique())
    for code, group in coding.groupby("code", sort=False):
        if len(group) != len(municipalities) or set(group["kommun"]) != set(municipalities):
            raise TableShapeError(
                f"{source_id}: table 'coding', code {code!r}: the grid must hold each of "
                f"the {len(municipalities)} municipalities once, found {len(group)} rows"
            )
    unknown = set(coding["code"]) - set(codes["code"])
    if unknown:
        raise TableShapeError(f"{source_id}: table 'coding' uses code(s) missing from 'codes': {sorted(unknown)}")
    return municipalities


def _counted_row(indicator, label, category, category_label, n, N, exclusive, source_ref, note) -> dict:
    """A shares row whose n was counted from the source's own table (municipalities, all)."""
    return {
        "indicator": indicator,
        "label": label,
        "category": category,
        "category_label": category_label,
        "group_var": "all",
        "group": "all",
        "n": n,
        "N": N,
        "n_max": None,
        "share": n / N,
        "published": math.nan,
        "published_max": math.nan,
        "n_basis": "printed",
        "N_basis": "printed",
        "exclusive": exclusive,
        "unit": "kommuner",
        "source_ref": source_ref,
        "source_note": None,
        "note": note,
    }


def coding_shares(coding: pd.DataFrame, codes: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """Per code: share of municipalities the report states `yes` for (N = municipalities of the
    grid), plus a `stated_no` row where an explicit `no` exists. not_reported is never no."""
    N = len(check_coding(coding, codes, source_id))
    rows = []
    for code in codes.to_dict("records"):
        statuses = coding.loc[coding["code"] == code["code"], "status"]
        tally = statuses.value_counts()
        silent = int(tally.get("not_reported", 0))
        for status, category, label in (("yes", "stated_yes", "uppgett ja"), ("no", "stated_no", "uppgett nej")):
            n = int(tally.get(status, 0))
            if status == "no" and n == 0:
                continue
            note = (
                f"n counted from the coding sheet: municipalities the report states '{status}' "
                f"for; {silent} of {N} not_reported, which is not 'no' (the report names "
                "municipalities mostly as examples), so this is not prevalence"
            )
            rows.append(
                _counted_row(code["code"], code["label_sv"], category, label, n, N, "no", code["source_ref"], note)
            )
    return pd.DataFrame(rows)


# --- rows from the ÖJ matrix (8 municipalities × 60 indicators) and the national shares -------


def check_oj(oj_values: pd.DataFrame, indicators: pd.DataFrame, source_id: str) -> list[str]:
    """Validate the OJ matrix (values 0/1/2, a complete grid) and return its municipalities."""
    for table, frame, columns in (
        ("oj_values", oj_values, ["kommun", "indicator", "value", "source_ref"]),
        ("indicators", indicators, ["indicator", "label", "national_share_percent", "source_ref"]),
    ):
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise TableShapeError(f"{source_id}: table {table!r} lacks column(s) {', '.join(absent)}")
    values = oj_values["value"].astype("string")
    bad = oj_values[~values.isin(list(OJ_CATEGORIES))]
    if not bad.empty:
        row = bad.index[0]
        raise TableShapeError(
            f"{source_id}: table 'oj_values' row {row + 1} (kommun={bad.at[row, 'kommun']!r}, "
            f"indicator={bad.at[row, 'indicator']!r}): column value = "
            f"{bad.at[row, 'value']!r} is not 0, 1 or 2"
        )
    municipalities = sorted(oj_values["kommun"].unique())
    for indicator in indicators["indicator"]:
        cells = oj_values.loc[oj_values["indicator"] == indicator, "kommun"]
        if len(cells) != len(municipalities) or set(cells) != set(municipalities):
            raise TableShapeError(
                f"{source_id}: table 'oj_values', indicator {indicator!r}: expected one value "
                f"for each of the {len(municipalities)} municipalities, found {len(cells)}"
            )
    unknown = set(oj_values["indicator"]) - set(indicators["indicator"])
    if unknown:
        raise TableShapeError(
            f"{source_id}: table 'oj_values' uses indicator(s) missing from 'indicators': {sorted(unknown)}"
        )
    return municipalities


def oj_shares(oj_values: pd.DataFrame, indicators: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """Per OJ indicator: share of the study municipalities answering ja, delvis, nej (N = the
    municipalities of the matrix), then the printed national share of ja (published only)."""
    N = len(check_oj(oj_values, indicators, source_id))
    values = oj_values.assign(value=oj_values["value"].astype("string"))
    rows = []
    for ind in indicators.to_dict("records"):
        cells = values[values["indicator"] == ind["indicator"]]
        refs = "; ".join(sorted(cells["source_ref"].dropna().unique()))
        for value, (category, label) in OJ_CATEGORIES.items():
            n = int((cells["value"] == value).sum())
            note = (
                f"n counted from the {N} printed cells; the municipalities were chosen for high "
                "ÖJ results (purposive), so the share describes them only"
            )
            rows.append(_counted_row(ind["indicator"], ind["label"], category, label, n, N, "yes", refs, note))
        national = _as_float(ind["national_share_percent"])
        rows.append(
            {
                "indicator": ind["indicator"],
                "label": ind["label"],
                "category": "ja",
                "category_label": "Ja",
                "group_var": "population",
                "group": "national",
                "n": None,
                "N": None,
                "n_max": None,
                "share": math.nan,
                "published": national / 100 if national is not None else math.nan,
                "published_max": math.nan,
                "n_basis": "none",
                "N_basis": "none",
                "exclusive": "no",
                "unit": "kommuner",
                "source_ref": ind["source_ref"],
                "source_note": ind.get("note"),
                "note": (
                    "national share of ja answers as printed; the number of municipalities behind it "
                    "is not printed, so no share/base (not part of the 8 municipalities' selection)"
                ),
            }
        )
    return pd.DataFrame(rows)


# --- one source, all sources -------------------------------------------------------------------


def with_design(rows: pd.DataFrame, source_id: str, source_config: dict, method: str = "wilson") -> pd.DataFrame:
    """Add source, design (per indicator), interval and small-base flag; order the columns."""
    out = rows.copy()
    out.insert(0, "source", source_id)
    out["design"] = [designs.design_for(source_config, i) for i in out["indicator"]]
    bounds = [designs.interval(n, N, d, method=method) for n, N, d in zip(out["n"], out["N"], out["design"])]
    out["ci_low"] = [low for low, _ in bounds]
    out["ci_high"] = [high for _, high in bounds]
    out["small_base"] = [designs.small_base(N) for N in out["N"]]
    for column in INTEGER_COLUMNS:
        out[column] = pd.array([_as_int(v) for v in out[column]], dtype="Int64")
    for column in FLOAT_COLUMNS:
        out[column] = out[column].astype("float64")
    out["small_base"] = out["small_base"].astype(bool)
    for column in SHARES_COLUMNS:
        if column not in (*INTEGER_COLUMNS, *FLOAT_COLUMNS, "small_base"):
            out[column] = out[column].astype("str")
    return out[SHARES_COLUMNS]


def source_shares(
    source_id: str, tables: dict[str, pd.DataFrame], source_config: dict, method: str = "wilson"
) -> pd.DataFrame:
    """All share rows of one source: its counts table, plus a coding sheet (coding + codes) or an
    OJ matrix (oj_values + indicators) where the source has one. See the module docstring."""
    parts = []
    if "counts" in tables:
        parts.append(counts_shares(tables["counts"], source_id, base_rule(source_config, source_id)))
    if "coding" in tables:
        if "codes" not in tables:
            raise TableShapeError(f"{source_id}: table 'coding' needs the table 'codes' for its labels")
        parts.append(coding_shares(tables["coding"], tables["codes"], source_id))
    if "oj_values" in tables:
        if "indicators" not in tables:
            raise TableShapeError(f"{source_id}: table 'oj_values' needs the table 'indicators'")
        parts.append(oj_shares(tables["oj_values"], tables["indicators"], source_id))
    parts = [p for p in parts if not p.empty]
    if not parts:
        raise TableShapeError(
            f"{source_id}: no table that gives shares (counts, coding or oj_values) among {sorted(tables)}"
        )
    return with_design(pd.concat(parts, ignore_index=True), source_id, source_config, method)


def all_shares(
    config: dict, tables_by_source: dict[str, dict[str, pd.DataFrame]], method: str = "wilson"
) -> pd.DataFrame:
    """shares.csv: the share rows of every configured source, sorted by source (stable within a
    source: counts order, then coding/OJ rows)."""
    frames = []
    for source_id, source_config in config["sources"].items():
        if source_id not in tables_by_source:
            raise MissingEntryError(f"{source_id}: configured but no tables were loaded for it")
        frames.append(source_shares(source_id, tables_by_source[source_id], source_config, method))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values("source", kind="stable").reset_index(drop=True)
