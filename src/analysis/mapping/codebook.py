"""The survey codebook of a county mapping: drafted from the export, edited by the user, read back.

One row per question (CSV, semicolons, UTF-8 with BOM: opens as columns in Swedish Excel):

| column | what |
|---|---|
| id | f01, f02, … (the report's and the config's name for the question) |
| group | the results section the question is shown in (a heading, any text) |
| type | yes_no · multi_select · rating · number · free_text |
| text | the question as the report names it |
| columns | the export column(s): one, or for a multi-select exported one column per option, all of them ("A \\| B") |
| options | the answers (or the options of a multi-select, or the scale points lowest first), separated by " \\| " |
| yes | the answers that count as "yes" (yes_no, rating), the option(s) (multi_select) or a condition such as >0 (number) |
| partly | yes_no: the answers that count as "partly" (Delvis) |

`draft` infers every question of an export; `read` checks a (possibly edited) codebook against the
export; `answers` turns the export's cells into one long table of typed answers.
"""

import math
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from .. import paths, texts
from ..input_errors import Problem
from ..normalise import RESPONSE_CODES, RESPONSE_LABELS, text_key
from ..readers import Table, parse_number, read_table
from .errors import SurveyCodebookError
from .export import Export

TYPES = ("yes_no", "multi_select", "rating", "number", "free_text")
COLUMNS = ["id", "group", "type", "text", "columns", "options", "yes", "partly"]
SEP = " | "
RULES = paths.ROOT / "config" / "kartlaggning.yml"
_OPTION_HEADER = re.compile(r"^(?P<stem>.+?)(?:\s+[-–—|]\s+|:\s+|\s*\[)(?P<option>[^\[\]]+?)\]?$")
_LEADING_INT = re.compile(r"^(\d{1,2})(?:\s*[-–:.)]\s*(\D.*))?$")
_UNSELECTED = {"0", "nej", "no", "false", "falskt", "ej vald", "inte vald", "-"}
_NEGATIVE = {"nej", "no"}


@cache
def rules(path: Path = RULES) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def statuses() -> tuple[str, str]:
    """(proposed, confirmed): the status words of a comparison in a mapping's config (`statuses`)."""
    proposed, confirmed = rules()["statuses"]
    return proposed, confirmed


@cache
def _numbering() -> re.Pattern:
    """A question's number at the start of a header, with a prefix word of `question_prefixes`."""
    words = "|".join(re.escape(w) + r"\s*" for w in rules()["question_prefixes"])
    return re.compile(rf"^\s*(?:{words})?\d+(?:\.\d+)*\s*[.:)]?\s+(?=\S)", re.IGNORECASE)


def hinted(kind: str, header_key: str) -> bool:
    """Whether a (case-folded) question text has one of the config's hints for `kind`."""
    return any(word in header_key for word in rules()["hints"][kind])


def dont_know_keys() -> set[str]:
    return {text_key(v) for v in rules()["dont_know"]}


def says_nothing(text) -> bool:
    """Whether a free-text answer is no comment at all ('Ingen kommentar.', '-', 'Vet ej'): not a quotation."""
    key = text_key(str(text)).rstrip(".! ")
    return not key or key in {text_key(v) for v in rules().get("no_comment", [])} | dont_know_keys()


def yes_no_code(value) -> str | None:
    """'Ja' → yes, 'Ja, delvis' → partly, 'Nej, inte alls' → no, 'Vet ej' → dont_know; None otherwise."""
    key = text_key(value)
    if key in dont_know_keys():
        return "dont_know"
    if key in RESPONSE_CODES:
        return RESPONSE_CODES[key]
    if key.startswith("delvis") or (key.startswith("ja") and "delvis" in key):
        return "partly"
    if re.match(r"^ja\b", key):
        return "yes"
    if re.match(r"^nej\b", key):
        return "no"
    return None


@dataclass
class Question:
    id: str
    group: str
    type: str
    text: str
    columns: list[str]
    options: list[str] = field(default_factory=list)
    yes: list[str] = field(default_factory=list)
    partly: list[str] = field(default_factory=list)
    row: int | None = None  # the codebook row (for messages)

    def record(self) -> dict:
        return {
            "id": self.id,
            "group": self.group,
            "type": self.type,
            "text": self.text,
            "columns": SEP.join(self.columns),
            "options": SEP.join(self.options),
            "yes": SEP.join(self.yes),
            "partly": SEP.join(self.partly),
        }


# --- inference -----------------------------------------------------------------------------------


def question_text(header: str) -> str:
    """The question without the tool's numbering: '2. Finns det …?' → 'Finns det …?'."""
    return _numbering().sub("", header).strip() or header


def group_of(text: str) -> str:
    """The results group of a question text (config/kartlaggning.yml), as its Swedish heading."""
    key = text_key(text)
    for group in rules()["groups"]:
        if any(k in key for k in group["keywords"]):
            return texts.get("kartlaggning", f"groups.{group['id']}")
    return texts.get("kartlaggning", "groups.ovrigt")


def group_order(groups) -> list[str]:
    """The codebook's groups in report order: the template's headings in their order (config/kartlaggning.yml's
    groups, as report/text/<locale>/kartlaggning.yml lists them), groups the user named after them in the order
    the codebook first uses them, and the group of other questions last."""
    known = list(texts.section("kartlaggning")["groups"].values())
    other = texts.get("kartlaggning", "groups.ovrigt")
    present = list(dict.fromkeys(groups))
    own = [g for g in present if g not in known]
    return [g for g in known if g in present and g != other] + own + ([other] if other in present else [])


def _split_pieces(values: pd.Series) -> list[str] | None:
    """The options of a multi-select written in one cell ('Counselling;Shelter;'), or None."""
    filled = values.dropna()
    with_semicolon = filled[filled.str.contains(";")]
    if len(with_semicolon):
        pieces = [p.strip() for v in filled for p in v.split(";") if p.strip()]
        counts = pd.Series(pieces).value_counts()
        tool_style = with_semicolon.str.rstrip().str.endswith(";").any()  # Microsoft Forms: 'A;B;'
        if tool_style or (counts >= 2).sum() >= 0.5 * len(counts):
            return list(dict.fromkeys(pieces))
        return None  # a ';' inside a free-text answer, its pieces never repeated
    with_comma = filled[filled.str.contains(", ")]
    if len(with_comma) >= 2:
        pieces = [p.strip() for v in filled for p in v.split(", ") if p.strip()]
        counts = pd.Series(pieces).value_counts()
        if (counts >= 2).sum() >= 0.6 * len(counts) and len(counts) < len(filled.unique()):
            return list(dict.fromkeys(pieces))
    return None


def _scale_points(values: list[str]) -> list[str] | None:
    keys = {text_key(v) for v in values}
    for scale in rules()["scales"]:
        if keys <= {text_key(s) for s in scale}:
            return list(scale)
    return None


def infer(header: str, values: pd.Series) -> tuple[str, list[str], list[str], list[str]]:
    """(type, options, yes, partly) of one export column."""
    filled = values.dropna()
    distinct = list(dict.fromkeys(filled))
    if not distinct:
        return "free_text", [], [], []
    codes = {v: yes_no_code(v) for v in distinct}
    if all(codes.values()) and any(c in ("yes", "no", "partly") for c in codes.values()):
        order = {"yes": 0, "partly": 1, "no": 2, "dont_know": 3}
        standard = [
            label
            for label in ("Ja", "Delvis", "Nej", "Vet ej")
            if label not in {RESPONSE_LABELS.get(c) for c in codes.values()}
            and yes_no_code(label) not in codes.values()
        ]
        distinct += standard  # the usual answers, also where nobody gave them
        codes.update({label: yes_no_code(label) for label in standard})
        options = sorted(distinct, key=lambda v: (order[codes[v]], distinct.index(v)))
        return (
            "yes_no",
            options,
            [v for v in options if codes[v] == "yes"],
            [v for v in options if codes[v] == "partly"],
        )
    unknown = dont_know_keys()
    known = [v for v in distinct if text_key(v) not in unknown]
    dont_know = [v for v in distinct if text_key(v) in unknown]
    scale = _scale_points(known) if known else None
    if scale:
        return "rating", scale + dont_know, scale[(len(scale) + 1) // 2 :], []
    header_key = text_key(header)
    leading = [_LEADING_INT.match(v) for v in known]
    if known and all(leading):
        ints = [int(m[1]) for m in leading]
        labelled = any(m[2] for m in leading)
        if (labelled or hinted("rating", header_key)) and not hinted("number", header_key) and max(ints) <= 10:
            low = 0 if min(ints) == 0 else 1
            high = next(h for h in (3, 4, 5, 6, 7, 10) if h >= max(ints))
            label = {int(m[1]): m[0] for m in leading}
            points = [label.get(i, str(i)) for i in range(low, high + 1)]
            return "rating", points + dont_know, points[(len(points) + 1) // 2 :], []
    numbers = [parse_number(v) for v in known]
    if known and all(n is not None for n in numbers):
        return "number", dont_know, [">0"], []
    pieces = _split_pieces(filled)
    if pieces and hinted("free_text", header_key) and not (pd.Series(pieces).value_counts() >= 2).any():
        pieces = None  # 'Beskriv …' answered with lists that no two municipalities share: free text
    if pieces:
        return "multi_select", pieces, pieces, []
    long_text = filled.str.len().mean() > 40 or hinted("free_text", header_key)
    repeated = len(distinct) < len(filled)  # a choice among options: some answer given more than once
    if not long_text and repeated and len(distinct) <= max(6, len(filled) // 2):
        return "multi_select", distinct, distinct, []  # one choice among a few options
    return "free_text", [], [], []


def option_groups(columns: list[str]) -> dict[str, list[tuple[str, str]]]:
    """{stem: [(column, option)]} for headers sharing a stem ('Support - Counselling', 'Support [Helpline]')."""
    stems: dict[str, list[tuple[str, str]]] = {}
    for column in columns:
        match = _OPTION_HEADER.match(column)
        if match:
            stems.setdefault(match["stem"].strip(), []).append((column, match["option"].strip()))
    return {s: members for s, members in stems.items() if len(members) >= 2}


def _selection_column(values: pd.Series, option: str) -> bool:
    """Whether a column is one option of a multi-select (cells: 1/0, X, Vald, or the option's own text)."""
    filled = values.dropna().map(text_key)
    allowed = {"1", "x", "vald", "true", "sant", "ja", text_key(option)} | _UNSELECTED
    return filled.isin(allowed).all() and not filled.isin(_NEGATIVE | {"ja"}).all()


def draft(export: Export) -> list[Question]:
    """Every question of the export with an inferred type, options and yes answers."""
    frame = export.frame
    questions: list[Question] = []
    grouped = option_groups(export.questions)
    done: set[str] = set()
    for column in export.questions:
        if column in done:
            continue
        stem = next((s for s, members in grouped.items() if column in [c for c, _ in members]), None)
        if stem is not None:
            members = grouped[stem]
            if all(_selection_column(frame[c], o) for c, o in members):
                options = [o for _, o in members]
                questions.append(
                    Question(
                        "",
                        group_of(stem + " " + " ".join(options)),
                        "multi_select",
                        question_text(stem),
                        [c for c, _ in members],
                        options,
                        options,
                    )
                )
                done.update(c for c, _ in members)
                continue
            for member, option in members:  # a grid: one question per row, grouped by the stem
                kind, options, yes, partly = infer(member, frame[member])
                questions.append(
                    Question(
                        "",
                        group_of(stem + " " + option),
                        kind,
                        f"{question_text(stem)}: {option}",
                        [member],
                        options,
                        yes,
                        partly,
                    )
                )
                done.add(member)
            continue
        kind, options, yes, partly = infer(column, frame[column])
        questions.append(Question("", group_of(column), kind, question_text(column), [column], options, yes, partly))
        done.add(column)
    width = max(2, len(str(len(questions))))
    return [replace(q, id=f"f{i:0{width}d}") for i, q in enumerate(questions, start=1)]


def write(questions: list[Question], target: Path) -> Path:
    """The codebook as CSV for Swedish Excel (semicolons, UTF-8 with BOM)."""
    frame = pd.DataFrame([q.record() for q in questions], columns=COLUMNS)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(target, sep=";", index=False, encoding="utf-8-sig")
    return target


# --- reading back --------------------------------------------------------------------------------


def _split(value) -> list[str]:
    return [p.strip() for p in str(value or "").split("|") if p.strip()]


def read(path: Path, export: Export, name: str | None = None) -> list[Question]:
    """The codebook, checked against the export: every problem at once."""
    table: Table = read_table(path, name=name)
    problems: list[Problem] = []
    missing = [c for c in ("id", "type", "text", "columns") if c not in table.frame.columns]
    if missing:
        raise SurveyCodebookError(
            table.problem("missing column(s) " + ", ".join(missing), "the columns " + ", ".join(COLUMNS), row=1)
        )
    headers = {text_key(c): c for c in export.frame.columns}
    questions, ids = [], {}
    for row, r in table.frame.iterrows():
        get = lambda c: r.get(c) if c in r and not pd.isna(r.get(c)) else None  # noqa: E731
        qid, kind = get("id"), get("type")

        def problem(message: str, expected: str, column: str, value=None) -> None:
            """A problem with this row's `column`."""
            problems.append(table.problem(message, expected, row=row, column=column, value=value))

        if not qid:
            problem("no question id", "an id such as f01", "id")
            continue
        if qid in ids:
            problem(f"id '{qid}' also in row {ids[qid]}", "each id once", "id", qid)
        ids.setdefault(qid, row)
        if kind not in TYPES:
            problem(f"unknown type '{kind}'", "one of " + ", ".join(TYPES), "type", kind)
            continue
        columns = []
        for column in _split(get("columns")):
            if text_key(column) not in headers:
                problem(
                    f"the export has no column '{column}'",
                    "a column header of the export, as written there",
                    "columns",
                    column,
                )
            else:
                columns.append(headers[text_key(column)])
        options, yes, partly = _split(get("options")), _split(get("yes")), _split(get("partly"))
        if kind != "number":
            option_keys = {text_key(o) for o in options}
            for answer in yes + partly:
                if text_key(answer) not in option_keys:
                    problem(
                        f"'{answer}' is not one of the question's options",
                        "answers listed under options",
                        "yes",
                        answer,
                    )
        elif yes and (len(yes) != 1 or not re.match(r"^(>=|<=|>|<|=)\s*[\d,.]+$", yes[0])):
            problem(f"'{get('yes')}' is not a condition", "a condition such as >0 or >=2", "yes", get("yes"))
        group = get("group") or texts.get("kartlaggning", "groups.ovrigt")
        questions.append(Question(qid, group, kind, get("text"), columns, options, yes, partly, row=row))
    if problems:
        raise SurveyCodebookError(problems)
    return questions


# --- answers ----------------------------------------------------------------------------------------


def _selected_options(cell: str, options: list[str]) -> tuple[list[str], str]:
    """Options found in a one-cell multi-select ('Counselling;Shelter;'), and what is left over."""
    rest = cell
    found = []
    for option in sorted(options, key=len, reverse=True):
        pattern = re.compile(r"(^|[;,]\s*)" + re.escape(option) + r"\s*(?=[;,]|$)", re.IGNORECASE)
        if pattern.search(rest):
            found.append(option)
            rest = pattern.sub(r"\1", rest)
    leftover = re.sub(r"[;,\s]+", " ", rest).strip()
    return [o for o in options if o in found], leftover


def _condition(yes: list[str]):
    match = re.match(r"^(>=|<=|>|<|=)\s*([\d,.]+)$", yes[0]) if yes else None
    if not match:
        return lambda x: x > 0
    op, limit = match[1], parse_number(match[2])
    return {
        ">": lambda x: x > limit,
        ">=": lambda x: x >= limit,
        "<": lambda x: x < limit,
        "<=": lambda x: x <= limit,
        "=": lambda x: x == limit,
    }[op]


def answers(export: Export, questions: list[Question]) -> pd.DataFrame:
    """One row per municipality × question (× option): kommunkod, kommun, question, option, answer,
    code (yes/partly/no/dont_know for yes_no and rating; selected/not_selected; number; text),
    value (scale point or number). A blank cell gives no row: blank is never "no"."""
    table, frame = export.table, export.frame
    problems, rows = [], []
    unknown = dont_know_keys()
    for q in questions:
        for row, unit in export.units.iterrows():
            base = {"kommunkod": unit["kommunkod"], "kommun": unit["kommun"], "question": q.id}
            if q.type == "multi_select" and len(q.columns) > 1:
                cells = {o: frame.at[row, c] for c, o in zip(q.columns, q.options)}
                if all(v is None or pd.isna(v) for v in cells.values()):
                    continue
                for option, cell in cells.items():
                    chosen = cell is not None and not pd.isna(cell) and text_key(cell) not in _UNSELECTED
                    rows.append(
                        {
                            **base,
                            "option": option,
                            "answer": option if chosen else None,
                            "code": "selected" if chosen else "not_selected",
                            "value": math.nan,
                        }
                    )
                continue
            column = q.columns[0]
            cell = frame.at[row, column]
            if cell is None or pd.isna(cell):
                continue
            where = dict(row=row, column=column, value=cell)
            options = {text_key(o): o for o in q.options}
            if q.type == "free_text":
                rows.append({**base, "option": "", "answer": cell, "code": "text", "value": math.nan})
            elif q.type == "number":
                if text_key(cell) in unknown:
                    rows.append({**base, "option": "", "answer": cell, "code": "dont_know", "value": math.nan})
                    continue
                number = parse_number(cell)
                if number is None:
                    problems.append(
                        table.problem(
                            f"'{cell}' is not a number", "a number (decimal comma allowed) or Vet ej", **where
                        )
                    )
                    continue
                code = "yes" if _condition(q.yes)(number) else "no"
                rows.append({**base, "option": "", "answer": cell, "code": code, "value": number})
            elif q.type == "multi_select":
                chosen, leftover = _selected_options(cell, q.options)
                if leftover:
                    problems.append(
                        table.problem(
                            f"'{leftover}' is not an option of {q.id} ({q.text})",
                            "the options "
                            + ", ".join(f"'{o}'" for o in q.options)
                            + " (add it to the codebook's options)",
                            **where,
                        )
                    )
                    continue
                for option in q.options:
                    rows.append(
                        {
                            **base,
                            "option": option,
                            "answer": option if option in chosen else None,
                            "code": "selected" if option in chosen else "not_selected",
                            "value": math.nan,
                        }
                    )
            else:
                answer = options.get(text_key(cell))
                if answer is None:
                    problems.append(
                        table.problem(
                            f"'{cell}' is not an answer of {q.id} ({q.text})",
                            "one of " + ", ".join(f"'{o}'" for o in q.options),
                            **where,
                        )
                    )
                    continue
                if text_key(answer) in unknown:
                    code, value = "dont_know", math.nan
                elif answer in q.yes:
                    code, value = "yes", math.nan
                elif answer in q.partly:
                    code, value = "partly", math.nan
                else:
                    code, value = "no", math.nan
                if q.type == "rating" and code != "dont_know":
                    points = [o for o in q.options if text_key(o) not in unknown]
                    leading = _LEADING_INT.match(answer)
                    value = float(leading[1]) if leading else float(points.index(answer) + 1)
                rows.append({**base, "option": "", "answer": answer, "code": code, "value": value})
    if problems:
        raise SurveyCodebookError(problems)
    return pd.DataFrame(rows, columns=["kommunkod", "kommun", "question", "option", "answer", "code", "value"])
