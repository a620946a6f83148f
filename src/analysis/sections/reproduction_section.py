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
from .comparison import refs, source_name
from ..report_vars import ReportNumbers, used_variables
from ..reproduction import STATUSES
from ..shares import printed_decimals

SECTION = "reproduction"
STATUS_LABELS = {"match": "stämmer", "mismatch": "avviker", "not reproducible": "kan inte återberäknas"}
SOURCE_LINE = "Källa: reproduction.csv, återberäknat från de transkriberade tabellerna i data/raw."

# Why a printed figure cannot be recomputed: reason code (reproduction.csv) → Swedish label.
REASONS = texts.section("codes")["reproduction"]["reasons"]
QUANTITY_KINDS = {
    "percent": "procent",
    "percent_max": "procent, övre gräns",
    "sum of n vs N": "summan av antalen mot N",
    "sum of percents": "summan av procentsatserna",
    "N vs municipalities": "N mot kommuntabellen",
    "'de större kommunerna' vs size class larger": "”de större kommunerna” mot storleksgruppen Större kommuner",
    "n vs coding": "antal mot kodningen",
    "n vs municipalities table": "antal mot kommuntabellen",
    "n vs indicators table": "antal mot indikatortabellen",
    "percent vs national share oj_53": "procent mot andelen i riket (oj_53)",
    "n vs Unizon rank <= 10": "antal mot Unizon-placeringen",
}
# Short variable-name parts for the kinds of check (other kinds: their slug).
KIND_KEYS = {"percent": "pct", "percent_max": "pct_max", "sum of n vs N": "sum_n", "sum of percents": "sum_pct",
             "'de större kommunerna' vs size class larger": "larger"}
PERCENT_KINDS = {"percent", "percent_max", "sum of percents", "percent vs national share oj_53"}
QUANTITY = re.compile(r"(?P<indicator>[^/:\[]+)(?:/(?P<category>[^:\[]+))?(?:\[(?P<group>[^\]]+)\])?: (?P<kind>.+)")


# --- Swedish text for the English ids and notes -------------------------------------------------

def swedish_decimals(text: str) -> str:
    """Decimal points → decimal commas, and a non-breaking space before %."""
    return re.sub(r"(\d)\.(\d)", r"\1,\2", text).replace(" %", swedish.NBSP + "%")


def swedish_note(rec) -> str:
    """The Swedish sentence for a reproduction.csv row, from its `check` and `fields` (and n, N,
    decimals) through report/text/<locale>/codes.yml; MissingTextError for a check without words."""
    fields = json.loads(rec["fields"]) if isinstance(rec["fields"], str) and rec["fields"] else {}
    for column, name in (("n", "n"), ("N", "N"), ("decimals", "d")):
        if not pd.isna(rec[column]):
            fields.setdefault(name, str(int(rec[column])))
    text = texts.get("codes", f"reproduction.checks.{rec['check']}", **fields)
    return swedish_decimals(text[0].upper() + text[1:])


def quantity_kind(quantity: str) -> str:
    """The kind of check: 'percent', 'sum of n vs N', … ('count' for ja- and size-class counts)."""
    found = QUANTITY.fullmatch(quantity)
    return found.group("kind") if found else "count"


def quantity_label(source: str, quantity: str, shares: pd.DataFrame) -> str:
    """Swedish description of a reproduction quantity, with the question's label from shares.csv."""
    if quantity.startswith("ja_count/"):
        return f"Antal ja-svar (värdet 2) i ÖJ-tabellen, {quantity.split('/', 1)[1]}"
    if quantity.startswith("size_class_count/"):
        group = quantity.split("/", 1)[1]
        return f"Antal kommuner i storleksgruppen {SIZE_CLASSES.get(group, group)}"
    found = QUANTITY.fullmatch(quantity)
    if not found or found.group("kind") not in QUANTITY_KINDS:
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
        label += f": {rows['category_label'].iloc[0]}"
    if found.group("group"):
        label += f" ({rows['group'].iloc[0]})"
    return f"{label} – {QUANTITY_KINDS[found.group('kind')]}"


def value_text(value, quantity: str) -> str:
    """A published or recomputed figure in its unit: '72,9 %' for percents, '49' for counts."""
    if pd.isna(value):
        return "–"
    if quantity_kind(quantity) in PERCENT_KINDS:
        return swedish.number(value, printed_decimals(value)) + swedish.NBSP + "%"
    return swedish.number(value, printed_decimals(value))


def slug(text: str) -> str:
    """ASCII snake_case for variable names: 'ja_count/Tyresö' → 'ja_count_tyreso'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def mismatch_key(quantity: str) -> str:
    """Short variable name of a checked quantity: 'ja_count/Tyresö' → 'ja_count_tyreso',
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
    counts = (reproduction.groupby(["source", "status"]).size().unstack(fill_value=0)
              .reindex(columns=list(STATUSES), fill_value=0))
    order = [s for s in config["sources"] if s in counts.index]
    return counts.loc[order].astype(int)


def status_table(counts: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Formatted: one row per source and a total row."""
    total = counts.sum()
    frame = pd.DataFrame({
        "Källa": [source_title(s, config) for s in counts.index] + ["Samtliga källor"],
        **{STATUS_LABELS[s].capitalize(): [swedish.number(v) for v in list(counts[s]) + [total[s]]] for s in STATUSES},
        "Totalt": [swedish.number(v) for v in list(counts.sum(axis=1)) + [total.sum()]],
    })
    return frame


def mismatch_rows(reproduction: pd.DataFrame) -> pd.DataFrame:
    return reproduction[reproduction["status"] == "mismatch"].reset_index(drop=True)


def mismatch_table(rows: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Formatted: every mismatch with what was printed, what was recomputed and why."""
    return pd.DataFrame({
        "Källa": rows["source"].map(source_name),
        "Uppgift": [quantity_label(s, q, shares) for s, q in zip(rows["source"], rows["quantity"])],
        "Tryckt": [value_text(v, q) for v, q in zip(rows["published"], rows["quantity"])],
        "Återberäknat": [value_text(v, q) for v, q in zip(rows["recomputed"], rows["quantity"])],
        "Förklaring": [swedish_note(rec) for rec in rows.to_dict("records")],
    })


def reason_counts(reproduction: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Not-reproducible rows by reason (a REASONS key) and source: columns reason, source, n, refs;
    the largest reason first."""
    rows = reproduction[reproduction["status"] == "not reproducible"].copy()
    unknown = sorted(set(rows["reason"].astype(str)) - set(REASONS))
    if unknown:
        raise texts.MissingTextError(f"reproduction reasons without words in codes.yml: {unknown}")
    order = {s: i for i, s in enumerate(config["sources"])}
    out = (rows.groupby(["reason", "source"], sort=False)
           .agg(n=("quantity", "size"), refs=("source_ref", lambda r: refs(pd.DataFrame({"source_ref": r}))))
           .reset_index())
    out["_order"] = out["source"].map(order)
    out["_total"] = out.groupby("reason")["n"].transform("sum")
    return out.sort_values(["_total", "reason", "_order"], ascending=[False, True, True]).drop(
        columns=["_order", "_total"]).reset_index(drop=True)


def reasons_table(reasons: pd.DataFrame, config: dict) -> pd.DataFrame:
    first = ~reasons["reason"].duplicated()
    return pd.DataFrame({
        "Orsak": [REASONS[r] if f else "" for r, f in zip(reasons["reason"], first)],
        "Källa": [source_title(s, config) for s in reasons["source"]],
        "Antal": reasons["n"].map(swedish.number),
    })


def sums_without_base(reproduction: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Exclusive answer sets of a census source with no printed base whose sum differs from the
    number of units surveyed (Stockholm 2008: 39). Columns source, quantity, total, units, source_ref."""
    out = []
    for rec in reproduction[reproduction["reason"] == "sum_no_base"].to_dict("records"):
        units = shares[(shares["source"] == rec["source"]) & (shares["indicator"] == "units_participated")]
        if units.empty or pd.isna(units["n"].iloc[0]):
            continue
        if int(rec["n"]) != int(units["n"].iloc[0]):
            out.append({"source": rec["source"], "quantity": rec["quantity"], "total": int(rec["n"]),
                        "units": int(units["n"].iloc[0]), "source_ref": rec["source_ref"]})
    return pd.DataFrame(out, columns=["source", "quantity", "total", "units", "source_ref"])


def joined(items: list[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


# --- numbers ------------------------------------------------------------------------------------

def refs_of(rows: pd.DataFrame) -> str:
    """The distinct single source_refs of rows, joined by '; '."""
    return "; ".join(refs(rows))


# The mismatches the text discusses: variable key → (source, indicator). A build from own data may
# not have them (no printed figure to check); their variables then read "uppgift saknas".
TEXT_MISMATCHES = {
    "mismatch_coordination_improved_better_pct": ("lansstyrelserna_2015", "coordination_improved"),
    "mismatch_coordination_improved_summary_better_pct": ("lansstyrelserna_2015", "coordination_improved_summary"),
    "mismatch_coordination_improved_sum_pct": ("lansstyrelserna_2015", "coordination_improved"),
    "mismatch_ja_count_tyreso": ("skl_2016", "ja_count"),
    "mismatch_perpetrator_interventions_larger": ("sormland_2019", "perpetrator_interventions"),
    "mismatch_hrv_support_available_sheltered_housing_pct": ("stockholm_2008", "hrv_support_available"),
    "mismatch_children_preconditions_good_sum_n": ("stockholm_2008", "children_preconditions_good"),
}


def add_missing_mismatches(numbers: ReportNumbers) -> None:
    """The text's mismatch variables that the inputs do not give: "uppgift saknas"."""
    for key, (source, indicator) in TEXT_MISMATCHES.items():
        for suffix, what in (("published", "tryckt"), ("recomputed", "återberäknat")):
            name = f"{key}_{suffix}"
            if name not in numbers.values and name in used_variables(SECTION):
                numbers.add_missing(name, f"{source} {indicator}: {what}", source, indicator)


def add_numbers(numbers: ReportNumbers, reproduction: pd.DataFrame, counts: pd.DataFrame,
                reasons: pd.DataFrame, sums: pd.DataFrame) -> None:
    all_refs = refs_of(reproduction)
    numbers.add("n_total", swedish.number(len(reproduction)), "Antal kontrollerade uppgifter", all_refs)
    for status in STATUSES:
        key = slug(status)
        rows = reproduction[reproduction["status"] == status]
        numbers.add(f"n_{key}", swedish.number(len(rows)), f"Antal uppgifter som {STATUS_LABELS[status]}",
                    refs_of(rows) or all_refs)
        for source in counts.index:
            part = rows[rows["source"] == source]
            numbers.add(f"{slug(source)}_{key}", swedish.number(counts.loc[source, status]),
                        f"{source}: antal uppgifter som {STATUS_LABELS[status]}",
                        refs_of(part) or refs_of(reproduction[reproduction["source"] == source]))
    for source in counts.index:
        numbers.add(f"{slug(source)}_total", swedish.number(counts.loc[source].sum()),
                    f"{source}: antal kontrollerade uppgifter",
                    refs_of(reproduction[reproduction["source"] == source]))
    for rec in mismatch_rows(reproduction).to_dict("records"):
        key = f"mismatch_{mismatch_key(rec['quantity'])}"
        numbers.add(f"{key}_published", value_text(rec["published"], rec["quantity"]),
                    f"{rec['source']} {rec['quantity']}: tryckt", rec["source_ref"])
        numbers.add(f"{key}_recomputed", value_text(rec["recomputed"], rec["quantity"]),
                    f"{rec['source']} {rec['quantity']}: återberäknat", rec["source_ref"])
    add_missing_mismatches(numbers)
    for reason, label in REASONS.items():  # every reason, 0 where none
        rows = reasons[reasons["reason"] == reason]
        reason_refs = "; ".join(dict.fromkeys(r for t in rows["refs"] for r in t)) or all_refs
        numbers.add(f"reason_{reason}", swedish.number(rows["n"].sum()), f"Kan inte återberäknas: {label}", reason_refs)
    if not sums.empty:
        numbers.add("sums_without_base", joined([swedish.number(t) for t in sums["total"]]),
                    "Summor av uteslutande svarsalternativ utan tryckt bas som inte blir antalet enheter",
                    refs_of(sums))
        numbers.add("sums_without_base_n", swedish.number(len(sums)),
                    "Antal sådana svarsfördelningar", refs_of(sums))
        numbers.add("sums_without_base_units", swedish.number(sums["units"].iloc[0]),
                    "Antal enheter i undersökningen", refs_of(sums))
    else:  # own inputs that print every base (survey microdata): no such sums
        for name in ("sums_without_base", "sums_without_base_n", "sums_without_base_units"):
            if name in used_variables(SECTION):
                numbers.add_missing(name, "Summor av uteslutande svarsalternativ utan tryckt bas", "stockholm_2008",
                                    "svarsfördelningar utan tryckt bas")


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    reproduction, shares = combined["reproduction"], combined["shares"]
    if reproduction.empty:
        raise ValueError("reproduction is empty: nothing to report")
    counts = status_counts(reproduction, config)
    tables.save("tbl-repro-status", status_table(counts, config),
                "Antal tryckta uppgifter per källa som stämmer, avviker eller inte kan återberäknas när de "
                "räknas om från de transkriberade tabellerna.",
                assets_dir, source_refs=refs(reproduction),
                right_align=tuple(STATUS_LABELS[s].capitalize() for s in STATUSES) + ("Totalt",),
                widths=(8, 2, 2, 3, 2))
    mismatches = mismatch_rows(reproduction)
    if mismatches.empty:
        raise ValueError("no mismatches in reproduction: the section's text expects at least one")
    tables.save("tbl-repro-mismatches", mismatch_table(mismatches, shares),
                "Varje tryckt uppgift som inte stämmer med det som de transkriberade tabellerna ger. "
                "Uppgiften står kvar som den trycktes; avvikelsen är ett resultat om källan, inte en rättelse.",
                assets_dir, source_refs=refs(mismatches), right_align=("Tryckt", "Återberäknat"),
                widths=(5, 6.5, 2.5, 3.5, 9.5), breakable=True)
    reasons = reason_counts(reproduction, config)
    tables.save("tbl-repro-reasons", reasons_table(reasons, config),
                "Tryckta uppgifter som inte kan återberäknas, efter orsak och källa.",
                assets_dir, source_refs=[r for t in reasons["refs"] for r in t], right_align=("Antal",),
                widths=(6, 6, 2))
    numbers = ReportNumbers(SECTION)
    add_numbers(numbers, reproduction, counts, reasons, sums_without_base(reproduction, shares))
    numbers.write(assets_dir)
