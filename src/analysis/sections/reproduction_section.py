"""Report content for "published vs recomputed" (combined["reproduction"], the rows of
reproduction.csv): counts by source × status, every mismatch with what was printed and what the
transcribed data give, and why so many printed figures cannot be recomputed.

reproduction.csv carries each check's code, reason code and values as columns (analysis.reproduction);
`swedish_note` words them through report/text/<locale>/codes.yml and raises on a code it does not
know, so a new check cannot slip into the report untranslated. A mismatch is a finding
about the source: the figure stays as printed, it is never corrected.
"""

import json
import re
import unicodedata
from pathlib import Path

import pandas as pd

from .. import swedish, tables, texts
from ..breakdowns import SIZE_CLASSES
from ..report_vars import ReportNumbers, used_variables
from ..reproduction import LARGER_PHRASE_KIND, STATUSES
from ..shares import printed_decimals
from .comparison import refs, source_name

SECTION = "reproduction"


_t = texts.Templates(SECTION)
_group = _t.group  # a group of templates (a dict): a table's column headings, the status labels, …


def status_label(status: str) -> str:
    return _group("statuses")[status]


# Why a printed figure cannot be recomputed: the reason codes (variable-name keys; their labels:
# `reasons` in the section's text templates).
REASONS = ("position", "no_count_no_base", "no_base", "no_count_category", "sum_no_base", "oj_national")
# Short variable-name parts for the kinds of check (other kinds: their slug).
KIND_KEYS = {
    "percent": "pct",
    "percent_max": "pct_max",
    "sum of n vs N": "sum_n",
    "sum of percents": "sum_pct",
    LARGER_PHRASE_KIND: "larger",
}
PERCENT_KINDS = {"percent", "percent_max", "sum of percents", "percent vs national share oj_53"}
QUANTITY = re.compile(r"(?P<indicator>[^/:\[]+)(?:/(?P<category>[^:\[]+))?(?:\[(?P<group>[^\]]+)\])?: (?P<kind>.+)")


# --- Swedish text for the English ids and notes -------------------------------------------------


def swedish_decimals(text: str) -> str:
    """Decimal points → decimal commas, and a non-breaking space before %."""
    return re.sub(r"(\d)\.(\d)", r"\1,\2", text).replace(" %", swedish.NBSP + "%")


def row_fields(rec) -> dict:
    """The named fields of a reproduction.csv row (its `fields` JSON; {} when empty)."""
    fields = rec.get("fields")
    return json.loads(fields) if isinstance(fields, str) and fields else {}


def swedish_note(rec) -> str:
    """The Swedish sentence for a reproduction.csv row, from its `check` and `fields` (and n, N,
    decimals) through report/text/<locale>/codes.yml; MissingTextError for a check without words."""
    fields = row_fields(rec)
    for column, name in (("n", "n"), ("N", "N"), ("decimals", "d")):
        if not pd.isna(rec[column]):
            fields.setdefault(name, str(int(rec[column])))
    text = texts.get("codes", f"reproduction.checks.{rec['check']}", **fields)
    return swedish_decimals(text[0].upper() + text[1:])


def quantity_kind(quantity: str) -> str:
    """The kind of check: 'percent', 'sum of n vs N', … ('count' for ja- and size-class counts)."""
    found = QUANTITY.fullmatch(quantity)
    return found.group("kind") if found else "count"


def quantity_label(source: str, quantity: str, shares: pd.DataFrame, fields: dict | None = None) -> str:
    """Swedish description of a reproduction quantity, with the question's label from shares.csv
    (and the row's `fields` filled into the kind's words: a phrase the source prints)."""
    if quantity.startswith("ja_count/"):
        return _t("quantities.ja_count", kommun=quantity.split("/", 1)[1])
    if quantity.startswith("size_class_count/"):
        group = quantity.split("/", 1)[1]
        return _t("quantities.size_class_count", group=SIZE_CLASSES.get(group, group))
    found = QUANTITY.fullmatch(quantity)
    kinds = _group("quantity_kinds")
    if not found or found.group("kind") not in kinds:
        raise ValueError(f"{source}: reproduction quantity {quantity!r} has no Swedish label")
    rows = shares[(shares["source"] == source) & (shares["indicator"] == found.group("indicator"))]
    if found.group("category"):
        rows = rows[rows["category"] == found.group("category")]
    if found.group("group"):
        rows = rows[rows["group"] == found.group("group")]
    if rows.empty:
        raise KeyError(f"{source}: no shares row for the reproduction quantity {quantity!r}")
    label = str(rows["label"].iloc[0])
    if found.group("category") and found.group("category") != "yes":
        label = _t("quantities.label_category", label=label, category=rows["category_label"].iloc[0])
    if found.group("group"):
        label = _t("quantities.label_group", label=label, group=rows["group"].iloc[0])
    kind = kinds[found.group("kind")].format(**(fields or {}))
    return _t("quantities.label_kind", label=label, kind=kind)


def value_text(value, quantity: str) -> str:
    """A published or recomputed figure in its unit: '72,9 %' for percents, '49' for counts."""
    if pd.isna(value):
        return _t("none")
    if quantity_kind(quantity) in PERCENT_KINDS:
        return swedish.number(value, printed_decimals(value)) + swedish.NBSP + "%"
    return swedish.number(value, printed_decimals(value))


def slug(text: str) -> str:
    """ASCII snake_case for variable names: 'ja_count/<municipality>' → 'ja_count_<its ASCII slug>'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def mismatch_key(quantity: str) -> str:
    """Short variable name of a checked quantity: 'ja_count/<municipality>' → 'ja_count_<its ASCII slug>',
    'coordination_improved/better: percent' → 'coordination_improved_better_pct' (category yes
    left out)."""
    found = QUANTITY.fullmatch(quantity)
    if not found:
        return slug(quantity)
    parts = [found.group("indicator")]
    if found.group("category") and found.group("category") != "yes":
        parts.append(found.group("category"))
    if found.group("group"):
        parts.append(found.group("group"))
    parts.append(KIND_KEYS.get(found.group("kind"), found.group("kind")))
    return slug("_".join(parts))


def source_title(source: str, config: dict) -> str:
    return config["sources"][source]["title"]


# --- tables -------------------------------------------------------------------------------------


def status_counts(reproduction: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Rows per source (config order) × status counts, integers; unknown statuses raise."""
    unknown = sorted(set(reproduction["status"]) - set(STATUSES))
    if unknown:
        raise ValueError(f"reproduction statuses {unknown} are not one of {STATUSES}")
    counts = (
        reproduction.groupby(["source", "status"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(STATUSES), fill_value=0)
    )
    order = [s for s in config["sources"] if s in counts.index]
    return counts.loc[order].astype(int)


def status_table(counts: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Formatted: one row per source and a total row."""
    total = counts.sum()
    column = _group("tbl-repro-status.columns")
    frame = pd.DataFrame(
        {
            column["source"]: [source_title(s, config) for s in counts.index] + [_t("tbl-repro-status.all_sources")],
            **{
                status_label(s).capitalize(): [swedish.number(v) for v in list(counts[s]) + [total[s]]]
                for s in STATUSES
            },
            column["total"]: [swedish.number(v) for v in list(counts.sum(axis=1)) + [total.sum()]],
        }
    )
    return frame


def mismatch_rows(reproduction: pd.DataFrame) -> pd.DataFrame:
    return reproduction[reproduction["status"] == "mismatch"].reset_index(drop=True)


def mismatch_table(rows: pd.DataFrame, shares: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Formatted: every mismatch with what was printed, what was recomputed and why."""
    column = _group("tbl-repro-mismatches.columns")
    return pd.DataFrame(
        {
            column["source"]: [source_name(s, config) for s in rows["source"]],
            column["quantity"]: [
                quantity_label(rec["source"], rec["quantity"], shares, row_fields(rec))
                for rec in rows.to_dict("records")
            ],
            column["published"]: [value_text(v, q) for v, q in zip(rows["published"], rows["quantity"])],
            column["recomputed"]: [value_text(v, q) for v, q in zip(rows["recomputed"], rows["quantity"])],
            column["note"]: [swedish_note(rec) for rec in rows.to_dict("records")],
        }
    )


def reason_counts(reproduction: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Not-reproducible rows by reason (a REASONS code) and source: columns reason, source, n, refs;
    the largest reason first."""
    rows = reproduction[reproduction["status"] == "not reproducible"].copy()
    unknown = sorted(set(rows["reason"].astype(str)) - set(REASONS))
    if unknown:
        raise texts.MissingTextError(f"reproduction reasons without words in codes.yml: {unknown}")
    order = {s: i for i, s in enumerate(config["sources"])}
    out = (
        rows.groupby(["reason", "source"], sort=False)
        .agg(n=("quantity", "size"), refs=("source_ref", lambda r: refs(pd.DataFrame({"source_ref": r}))))
        .reset_index()
    )
    out["_order"] = out["source"].map(order)
    out["_total"] = out.groupby("reason")["n"].transform("sum")
    return (
        out.sort_values(["_total", "reason", "_order"], ascending=[False, True, True])
        .drop(columns=["_order", "_total"])
        .reset_index(drop=True)
    )


def reasons_table(reasons: pd.DataFrame, config: dict) -> pd.DataFrame:
    first = ~reasons["reason"].duplicated()
    column, labels = _group("tbl-repro-reasons.columns"), _group("reasons")
    return pd.DataFrame(
        {
            column["reason"]: [labels[r] if f else "" for r, f in zip(reasons["reason"], first)],
            column["source"]: [source_title(s, config) for s in reasons["source"]],
            column["n"]: reasons["n"].map(swedish.number),
        }
    )


def sums_without_base(reproduction: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Exclusive answer sets of a census source with no printed base whose sum differs from the
    number of units surveyed (Stockholm 2008: 39). Columns source, quantity, total, units, source_ref."""
    out = []
    for rec in reproduction[reproduction["reason"] == "sum_no_base"].to_dict("records"):
        units = shares[(shares["source"] == rec["source"]) & (shares["indicator"] == "units_participated")]
        if units.empty or pd.isna(units["n"].iloc[0]):
            continue
        if int(rec["n"]) != int(units["n"].iloc[0]):
            out.append(
                {
                    "source": rec["source"],
                    "quantity": rec["quantity"],
                    "total": int(rec["n"]),
                    "units": int(units["n"].iloc[0]),
                    "source_ref": rec["source_ref"],
                }
            )
    return pd.DataFrame(out, columns=["source", "quantity", "total", "units", "source_ref"])


def joined(items: list[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + _t("list_and") + items[-1]


# --- numbers ------------------------------------------------------------------------------------


def refs_of(rows: pd.DataFrame) -> str:
    """The distinct single source_refs of rows, joined by '; '."""
    return "; ".join(refs(rows))


def text_checks(config: dict) -> dict[str, tuple[str, str]]:
    """The mismatches the text discusses, as each source declares them (combined_sections.text_checks:
    variable key → indicator): variable key → (source, indicator). A build from own data may not
    have them (no printed figure to check); their variables then read "uppgift saknas"."""
    return {
        key: (source, indicator)
        for source, declared in config["sources"].items()
        for key, indicator in ((declared.get("combined_sections") or {}).get("text_checks") or {}).items()
    }


def add_missing_mismatches(numbers: ReportNumbers, config: dict) -> None:
    """The text's mismatch variables that the inputs do not give: "uppgift saknas"."""
    for key, (source, indicator) in text_checks(config).items():
        for suffix in ("published", "recomputed"):
            name = f"{key}_{suffix}"
            if name not in numbers.values and name in used_variables(SECTION):
                numbers.add_missing(name, _t(f"numbers.{suffix}", source=source, quantity=indicator), source, indicator)


def add_numbers(
    numbers: ReportNumbers,
    reproduction: pd.DataFrame,
    counts: pd.DataFrame,
    reasons: pd.DataFrame,
    sums: pd.DataFrame,
    config: dict,
) -> None:
    all_refs = refs_of(reproduction)
    numbers.add("n_total", swedish.number(len(reproduction)), _t("numbers.n_total"), all_refs)
    for status in STATUSES:
        key = slug(status)
        rows = reproduction[reproduction["status"] == status]
        numbers.add(
            f"n_{key}",
            swedish.number(len(rows)),
            _t("numbers.n_status", status=status_label(status)),
            refs_of(rows) or all_refs,
        )
        for source in counts.index:
            part = rows[rows["source"] == source]
            numbers.add(
                f"{slug(source)}_{key}",
                swedish.number(counts.loc[source, status]),
                _t("numbers.source_status", source=source, status=status_label(status)),
                refs_of(part) or refs_of(reproduction[reproduction["source"] == source]),
            )
    for source in counts.index:
        numbers.add(
            f"{slug(source)}_total",
            swedish.number(counts.loc[source].sum()),
            _t("numbers.source_total", source=source),
            refs_of(reproduction[reproduction["source"] == source]),
        )
    for rec in mismatch_rows(reproduction).to_dict("records"):
        key = f"mismatch_{mismatch_key(rec['quantity'])}"
        numbers.add(
            f"{key}_published",
            value_text(rec["published"], rec["quantity"]),
            _t("numbers.published", source=rec["source"], quantity=rec["quantity"]),
            rec["source_ref"],
        )
        numbers.add(
            f"{key}_recomputed",
            value_text(rec["recomputed"], rec["quantity"]),
            _t("numbers.recomputed", source=rec["source"], quantity=rec["quantity"]),
            rec["source_ref"],
        )
    add_missing_mismatches(numbers, config)
    for reason, label in _group("reasons").items():  # every reason, 0 where none
        rows = reasons[reasons["reason"] == reason]
        reason_refs = "; ".join(dict.fromkeys(r for t in rows["refs"] for r in t)) or all_refs
        numbers.add(f"reason_{reason}", swedish.number(rows["n"].sum()), _t("numbers.reason", label=label), reason_refs)
    if not sums.empty:
        numbers.add(
            "sums_without_base",
            joined([swedish.number(t) for t in sums["total"]]),
            _t("numbers.sums_without_base"),
            refs_of(sums),
        )
        numbers.add("sums_without_base_n", swedish.number(len(sums)), _t("numbers.sums_without_base_n"), refs_of(sums))
        numbers.add(
            "sums_without_base_units",
            swedish.number(sums["units"].iloc[0]),
            _t("numbers.sums_without_base_units"),
            refs_of(sums),
        )
    else:  # own inputs that print every base (survey microdata): no such sums
        sources = [
            s
            for s, declared in config["sources"].items()
            if (declared.get("combined_sections") or {}).get("sums_without_base")
        ]
        for name in ("sums_without_base", "sums_without_base_n", "sums_without_base_units"):
            if name in used_variables(SECTION):
                numbers.add_missing(
                    name, _t("numbers.sums_missing"), "; ".join(sources), _t("numbers.sums_missing_what")
                )


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    reproduction, shares = combined["reproduction"], combined["shares"]
    if reproduction.empty:
        raise ValueError("reproduction is empty: nothing to report")
    counts = status_counts(reproduction, config)
    tables.save(
        "tbl-repro-status",
        status_table(counts, config),
        _t("tbl-repro-status.caption"),
        assets_dir,
        source_refs=refs(reproduction),
        right_align=tuple(status_label(s).capitalize() for s in STATUSES)
        + (_group("tbl-repro-status.columns")["total"],),
        widths=(8, 2, 2, 3, 2),
    )
    mismatches = mismatch_rows(reproduction)
    if mismatches.empty:
        raise ValueError("no mismatches in reproduction: the section's text expects at least one")
    column = _group("tbl-repro-mismatches.columns")
    tables.save(
        "tbl-repro-mismatches",
        mismatch_table(mismatches, shares, config),
        _t("tbl-repro-mismatches.caption"),
        assets_dir,
        source_refs=refs(mismatches),
        right_align=(column["published"], column["recomputed"]),
        widths=(5, 6.5, 2.5, 3.5, 9.5),
        breakable=True,
    )
    reasons = reason_counts(reproduction, config)
    tables.save(
        "tbl-repro-reasons",
        reasons_table(reasons, config),
        _t("tbl-repro-reasons.caption"),
        assets_dir,
        source_refs=[r for t in reasons["refs"] for r in t],
        right_align=(_group("tbl-repro-reasons.columns")["n"],),
        widths=(6, 6, 2),
    )
    numbers = ReportNumbers(SECTION)
    add_numbers(numbers, reproduction, counts, reasons, sums_without_base(reproduction, shares), config)
    numbers.write(assets_dir)
