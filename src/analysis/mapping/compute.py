"""The county report's tables, computed from the mapping's inputs (no text, no formatting).

`compute(config)` reads and checks every input (export, codebook, coding sheet, previous round,
published tables) and returns {name: DataFrame}; `write(tables, folder)` saves them as CSV.
The presentation (`present`) reads only these tables.

Tables: units (every municipality of the county: responded, kommungrupp, population of the
reference year nearest the survey year), questions, answers (municipality × question × option;
no free text), totals, breakdowns, quotes (free text, without the municipality unless the config
allows it), coding, codes, comparison, change, facts (one row of scalars).
"""

from pathlib import Path

import pandas as pd

from ..input_errors import Problem
from ..io import read_raw_csv, write_csv_atomic
from ..normalise import MunicipalityIndex
from . import codebook as cb
from .coding import read_coding
from .config import MappingConfig, load
from .errors import MappingConfigError
from .export import read_export

BASE_RULE = 10  # percentages only on bases of at least 10
BANDS = [(0, 15_000), (15_000, 50_000), (50_000, None)]


def population_year(kommuner: pd.DataFrame, year: int) -> int:
    """The reference's population year nearest the survey year (the later one on a tie)."""
    years = sorted(int(c.removeprefix("folkmangd_")) for c in kommuner.columns if c.startswith("folkmangd_"))
    return min(years, key=lambda y: (abs(y - year), -y))


def band_of(population: int) -> int:
    return next(i for i, (low, high) in enumerate(BANDS) if population >= low and (high is None or population < high))


def read_inputs(config: MappingConfig):
    """(export, questions, index) of one round, checked."""
    index = MunicipalityIndex.from_reference(config.reference)
    survey = config.data["survey"]
    export = read_export(
        config.file("survey", "export"),
        index,
        config.county,
        sheet=survey.get("sheet"),
        name=survey["export"],
        unit_column=survey.get("unit_column"),
        accept=config.data.get("accept_municipalities"),
    )
    questions = cb.read(config.file("survey", "codebook"), export, name=survey["codebook"])
    return export, questions, index


def units_table(config: MappingConfig, export) -> pd.DataFrame:
    kommuner = read_raw_csv(config.reference / "kommuner.csv")
    year = population_year(kommuner, config.year)
    codes = list(config.county["kommunkod"]) + [
        c for c in export.units["kommunkod"] if c not in set(config.county["kommunkod"])
    ]
    rows = kommuner.set_index("kommunkod").loc[codes]
    responded = dict(zip(export.units["kommunkod"], export.units.index))
    out = pd.DataFrame(
        {
            "kommunkod": codes,
            "kommun": rows["kommun"].values,
            "lan": rows["lan"].values,
            "in_county": [c in set(config.county["kommunkod"]) for c in codes],
            "responded": [c in responded for c in codes],
            "export_row": [responded.get(c) for c in codes],
            "kommungrupp": rows["kommungrupp_2017"].values,
            "kommungrupp_namn": rows["kommungrupp_2017_namn"].values,
            "huvudgrupp": rows["huvudgrupp_2017"].values,
            "huvudgrupp_namn": rows["huvudgrupp_2017_namn"].values,
            "population": pd.to_numeric(rows[f"folkmangd_{year}"]).astype(int).values,
            "population_year": year,
        }
    )
    out["band"] = out["population"].map(band_of)
    return out


def totals_table(questions, answers: pd.DataFrame, responded: int) -> pd.DataFrame:
    rows = []
    for q in questions:
        a = answers[answers["question"] == q.id]
        if q.type == "multi_select":
            answered = a["kommunkod"].nunique()
            for option in q.options:
                n = int(((a["option"] == option) & (a["code"] == "selected")).sum())
                rows.append({"question": q.id, "option": option, "n": n, "N": answered})
            continue
        counts = a["code"].value_counts()
        answered = len(a)
        row = {
            "question": q.id,
            "option": "",
            "n": int(counts.get("yes", 0)),
            "N": answered,
            "partly": int(counts.get("partly", 0)),
            "no": int(counts.get("no", 0)),
            "dont_know": int(counts.get("dont_know", 0)),
            "blank": responded - answered,
        }
        if q.type in ("number", "rating") and a["value"].notna().any():
            values = a["value"].dropna()
            row.update(
                {
                    "median": float(values.median()),
                    "min": float(values.min()),
                    "max": float(values.max()),
                    "sum": float(values.sum()),
                }
            )
        if q.type == "free_text":
            row["n"] = answered
        rows.append(row)
    totals = pd.DataFrame(rows)
    totals["share"] = [n / N if N >= BASE_RULE else float("nan") for n, N in zip(totals["n"], totals["N"])]
    return totals


def breakdowns_table(questions, answers: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """n (yes / selected) and N (answered) per SKR huvudgrupp and population band."""
    merged = answers.merge(units[["kommunkod", "huvudgrupp", "huvudgrupp_namn", "band"]], on="kommunkod")
    rows = []
    for q in questions:
        if q.type == "free_text":
            continue
        a = merged[merged["question"] == q.id]
        options = q.options if q.type == "multi_select" else [""]
        for option in options:
            part = a[a["option"] == option] if q.type == "multi_select" else a
            hit = part["code"].isin(["yes", "selected"])
            for var, column in (("huvudgrupp", "huvudgrupp"), ("band", "band")):
                groups = units[units["responded"]][column].drop_duplicates().sort_values()
                for group in groups:
                    in_group = part[column] == group
                    rows.append(
                        {
                            "question": q.id,
                            "option": option,
                            "var": var,
                            "group": str(group),
                            "n": int((hit & in_group).sum()),
                            "N": int(in_group.sum()),
                        }
                    )
    return pd.DataFrame(rows, columns=["question", "option", "var", "group", "n", "N"])


def check_comparisons(config: MappingConfig, questions) -> None:
    """Every comparison names a question of the codebook that has a "yes" (and an option of a multi-select)."""
    by_id = {q.id: q for q in questions}
    problems = []
    for i, item in enumerate(config.comparisons, start=1):
        q = by_id.get(item["question"])
        where = dict(value=item["question"])
        if q is None:
            problems.append(
                Problem(
                    str(config.path),
                    f"comparisons, entry {i}: no question '{item['question']}' in the codebook",
                    "an id of the codebook (f01, f02, …)",
                    **where,
                )
            )
        elif q.type == "free_text":
            problems.append(
                Problem(
                    str(config.path),
                    f"comparisons, entry {i}: {q.id} is free text",
                    "a yes/no, rating, number or multi-select question",
                    **where,
                )
            )
        elif q.type == "multi_select" and item.get("option") not in q.options:
            problems.append(
                Problem(
                    str(config.path),
                    f"comparisons, entry {i}: option '{item.get('option')}' is not an option of {q.id}",
                    "one of " + ", ".join(f"'{o}'" for o in q.options),
                    value=item.get("option"),
                )
            )
    if problems:
        raise MappingConfigError(problems)


def comparison_table(config: MappingConfig, questions, totals: pd.DataFrame) -> pd.DataFrame:
    """The county beside the published sources, for every mapped theme."""
    if not config.comparisons:
        return pd.DataFrame(
            columns=[
                "theme",
                "theme_label",
                "who",
                "kind",
                "year",
                "n",
                "N",
                "share",
                "national_share",
                "definition",
                "definitions_differ",
                "status",
                "question",
                "option",
            ]
        )
    cross = pd.read_csv(config.published / "cross_source.csv", dtype=str)
    oj = pd.read_csv(config.published / "oj_vs_nation.csv", dtype={"indicator": str})
    national = dict(zip(oj["indicator"], oj["national_share_ja"]))
    by_id = {q.id: q for q in questions}
    rows = []
    for item in config.comparisons:
        q = by_id[item["question"]]
        option = item.get("option") or ""
        total = totals[(totals["question"] == q.id) & (totals["option"] == option)].iloc[0]
        theme_rows = cross[cross["theme"] == item["theme"]]
        label = theme_rows["theme_label"].iloc[0] if len(theme_rows) else item["theme"]
        rows.append(
            {
                "theme": item["theme"],
                "theme_label": label,
                "who": config.county_name,
                "kind": "county",
                "year": config.year,
                "n": int(total["n"]),
                "N": int(total["N"]),
                "share": total["share"],
                "national_share": float("nan"),
                "definition": q.text + (f": {option}" if option else ""),
                "definitions_differ": True,
                "status": item.get("status", cb.statuses()[0]),
                "question": q.id,
                "option": option,
            }
        )
        for _, r in theme_rows.iterrows():
            n = pd.to_numeric(r["figure_n"]) if isinstance(r["figure_n"], str) else float("nan")
            N = pd.to_numeric(r["figure_N"]) if isinstance(r["figure_N"], str) else float("nan")
            nat = float("nan")
            if pd.isna(n) and str(r["indicator"]) in national:  # the nation's row of an ÖJ indicator: a share, no count
                nat = float(national[str(r["indicator"])])
            if pd.isna(n) and pd.isna(nat):
                continue  # the published source prints no count for this theme
            rows.append(
                {
                    "theme": item["theme"],
                    "theme_label": label,
                    "who": r["area"],
                    "kind": "national" if not pd.isna(nat) else "published",
                    "year": int(r["year"]),
                    "n": n,
                    "N": N,
                    "share": float(r["share"]) if isinstance(r["share"], str) else float("nan"),
                    "national_share": nat,
                    "definition": r["definition"],
                    "definitions_differ": str(r["definitions_differ"]) == "True",
                    "status": "",
                    "question": "",
                    "option": "",
                }
            )
    return pd.DataFrame(rows)


def change_table(config: MappingConfig, questions, answers: pd.DataFrame) -> pd.DataFrame:
    """Per municipality and question: the previous round's answer and this round's (matched by question text)."""
    columns = [
        "question",
        "kommunkod",
        "kommun",
        "previous",
        "current",
        "previous_code",
        "current_code",
        "previous_value",
        "current_value",
        "changed",
        "previous_year",
    ]
    if not config.data.get("previous"):
        return pd.DataFrame(columns=columns)
    previous = load(config.file("previous"), config.root)
    p_export, p_questions, _ = read_inputs(previous)
    p_answers = cb.answers(p_export, p_questions)
    by_text = {cb.text_key(q.text): q for q in p_questions if q.type in ("yes_no", "rating", "number")}
    rows = []
    for q in questions:
        old = by_text.get(cb.text_key(q.text))
        if q.type not in ("yes_no", "rating", "number") or old is None:
            continue
        now = answers[answers["question"] == q.id].set_index("kommunkod")
        then = p_answers[p_answers["question"] == old.id].set_index("kommunkod")
        for code in sorted(set(now.index) | set(then.index)):
            kommun = (now if code in now.index else then).at[code, "kommun"]
            both = code in now.index and code in then.index
            if not both:
                changed = None
            elif q.type == "number" and not (pd.isna(now.at[code, "value"]) or pd.isna(then.at[code, "value"])):
                changed = bool(now.at[code, "value"] != then.at[code, "value"])
            else:
                changed = bool(cb.text_key(now.at[code, "answer"]) != cb.text_key(then.at[code, "answer"]))
            rows.append(
                {
                    "changed": changed,
                    "previous_value": then.at[code, "value"] if code in then.index else None,
                    "current_value": now.at[code, "value"] if code in now.index else None,
                    "question": q.id,
                    "kommunkod": code,
                    "kommun": kommun,
                    "previous": then.at[code, "answer"] if code in then.index else None,
                    "current": now.at[code, "answer"] if code in now.index else None,
                    "previous_code": then.at[code, "code"] if code in then.index else None,
                    "current_code": now.at[code, "code"] if code in now.index else None,
                    "previous_year": previous.year,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def compute(config: MappingConfig | Path, comparisons: bool = True) -> dict[str, pd.DataFrame]:
    """Every table of the county report. `comparisons=False` leaves out the published comparison
    (for `validate` before the published tables are built)."""
    if not isinstance(config, MappingConfig):
        config = load(config)
    export, questions, index = read_inputs(config)
    check_comparisons(config, questions)
    answers = cb.answers(export, questions)
    units = units_table(config, export)
    responded = int(units["responded"].sum())
    totals = totals_table(questions, answers, responded)
    free = {q.id for q in questions if q.type == "free_text"}
    quotes = answers[answers["question"].isin(free)][["question", "kommun", "answer"]].rename(
        columns={"answer": "text"}
    )
    quotes = quotes.loc[~quotes["text"].map(cb.says_nothing).astype(bool)]  # 'Ingen kommentar', '-': nothing to quote
    if not config.data.get("quotes_with_municipality"):
        quotes = quotes.drop(columns="kommun").sample(frac=1, random_state=1)  # order no longer follows the export
    tables = {
        "units": units,
        "questions": pd.DataFrame([q.record() for q in questions]),
        "answers": answers[~answers["question"].isin(free)].reset_index(drop=True),
        "totals": totals,
        "breakdowns": breakdowns_table(questions, answers, units),
        "quotes": quotes.reset_index(drop=True),
        "comparison": comparison_table(config, questions, totals)
        if comparisons
        else comparison_table(
            MappingConfig(config.path, config.root, {**config.data, "comparisons": []}, config.county),
            questions,
            totals,
        ),
        "change": change_table(config, questions, answers),
    }
    if config.data.get("interviews", {}) and config.data["interviews"].get("coding_sheet"):
        interviews = config.data["interviews"]
        coding, codes, layout = read_coding(
            config.file("interviews", "coding_sheet"),
            index,
            sheet=interviews.get("sheet"),
            name=interviews["coding_sheet"],
            codes=config.file("interviews", "codes"),
            county=config.county,
            accept=config.data.get("accept_municipalities"),
        )
        tables["coding"], tables["codes"] = coding, codes.assign(layout=layout)
    tables["facts"] = pd.DataFrame(
        [
            {
                "county": config.county_name,
                "year": config.year,
                "slug": config.slug,
                "N": int(units["in_county"].sum()),
                "n": int(units[units["in_county"]]["responded"].sum()),
                "outside": int((~units["in_county"]).sum()),
                "population_year": int(units["population_year"].iloc[0]),
                "export": Path(config.data["survey"]["export"]).name,
                "metadata_columns": len(export.metadata),
                "interviewed": int(tables["coding"]["kommunkod"].nunique()) if "coding" in tables else 0,
                "previous_year": int(tables["change"]["previous_year"].iloc[0]) if len(tables["change"]) else None,
                "changed": int((tables["change"]["changed"] == True).sum()),  # noqa: E712 (None = not comparable)
                "compared": int(tables["change"]["changed"].notna().sum()),
            }
        ]
    )
    return tables


def write(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder = Path(folder)
    return [write_csv_atomic(frame, folder / f"{name}.csv") for name, frame in tables.items()]
