"""Writes the MADE-UP example inputs of data/examples (see README.md there). Deterministic:
running it again gives the same bytes (tests/test_byod.py checks that the files are up to date).

    .venv/bin/python data/examples/make_examples.py            # rewrites data/examples/*
    .venv/bin/python data/examples/make_examples.py OUT_DIR    # writes to another folder

The Stockholm 2008 microdata are invented so that their marginals reproduce the published counts
(data/raw/stockholm_2008/counts.csv, read only) for the indicators whose n and N are consistent;
which unit gave which answer is made up (seeded shuffles). Indicators left out, and why, are in
LEFT_OUT. The interview coding sheet (dalarna_coding_sheet_example.csv) is written by hand and
only read here, for the codebook.
"""

import csv
import datetime as dt
import io
import random
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis import schemas  # noqa: E402
from analysis.io import atomic_path, write_text_atomic  # noqa: E402

PUBLISHED = ROOT / "data" / "raw" / "stockholm_2008" / "counts.csv"
UNIT = "Kommun/stadsdel"
DATE = "Svarsdatum"
COORDINATOR = "Samordnarens tjänstgöringsgrad (%)"

MUNICIPALITIES = [  # the 25 municipalities of Stockholm county besides Stockholm, as an export names them
    "Upplands Väsby kommun",
    "Vallentuna kommun",
    "Österåkers kommun",
    "Värmdö kommun",
    "Järfälla kommun",
    "Ekerö kommun",
    "Huddinge kommun",
    "Botkyrka kommun",
    "Salems kommun",
    "Haninge kommun",
    "Tyresö kommun",
    "Upplands-Bro kommun",
    "Nykvarns kommun",
    "Täby kommun",
    "Danderyds kommun",
    "Sollentuna kommun",
    "Södertälje kommun",
    "Nacka kommun",
    "Sundbybergs stad",
    "Solna stad",
    "Lidingö stad",
    "Vaxholms stad",
    "Norrtälje kommun",
    "Sigtuna kommun",
    "Nynäshamns kommun",
]
DISTRICTS = [  # Stockholm city's 14 districts (2007–2020), as an export names their administrations
    "Rinkeby-Kista stadsdelsförvaltning",
    "Spånga-Tensta stadsdelsförvaltning",
    "Hässelby-Vällingby stadsdelsförvaltning",
    "Bromma stadsdelsförvaltning",
    "Kungsholmens stadsdelsförvaltning",
    "Norrmalms stadsdelsförvaltning",
    "Östermalms stadsdelsförvaltning",
    "Södermalms stadsdelsförvaltning",
    "Enskede-Årsta-Vantörs stadsdelsförvaltning",
    "Skarpnäcks stadsdelsförvaltning",
    "Farsta stadsdelsförvaltning",
    "Älvsjö stadsdelsförvaltning",
    "Hägersten-Liljeholmens stadsdelsförvaltning",
    "Skärholmens stadsdelsförvaltning",
]
UNITS = MUNICIPALITIES + DISTRICTS

LEFT_OUT = {
    "phase2_units_planned": "a plan for the supervision's second step, not a survey answer",
    "action_plan_fully_updated": "printed as a range ('en eller två'): no single count to reproduce",
    "action_plan_contents": "the base (number of reviewed plans) is not printed",
    "women_training_type": "discrepancy 6 of the source README: 5 + 8 + 26 = 39, but only 28 offered training",
    "hrv_support_available": "discrepancy 1: 64 % is not attainable on the stated base 32",
    "internal_confidentiality_routines_lacking": "printed only as a percent range (51–59 %)",
    "external_confidentiality_routines_lacking": "printed as a range of counts (25–27)",
}

# Question specs (make_examples_questions.yml): (indicator, kind, spec). single: one column, each
# category one answer (or several joined by |); options: one Ja/Nej column per category; base:
# (column, answer) for a question asked of a subset.
SPECS = [
    (spec.pop("indicator"), spec.pop("kind"), spec)
    for spec in yaml.safe_load((HERE / "make_examples_questions.yml").read_text(encoding="utf-8"))
]
COORDINATOR_TIMES = [100, 50, 50, 25, 37.5, 75, 100, 20, 50, 100, 30, 62.5, 50, 100, 40, 25, 50, 80, 100]


def round_half_up(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))


def published() -> dict[tuple[str, str], dict]:
    with open(PUBLISHED, encoding="utf-8", newline="") as handle:  # read-only
        return {(r["indicator"], r["category"]): r for r in csv.DictReader(handle)}


def target_n(row: dict) -> int:
    """The printed n; for a percent-only figure the n that gives the printed percent on the base."""
    if row["n"]:
        return int(row["n"])
    base = int(row["N"] or 39)
    n = round(float(row["percent"]) * base / 100)
    assert round_half_up(100 * n / base) == float(row["percent"]), row
    return n


def shuffled(units: list[int], seed: str) -> list[int]:
    order = list(units)
    random.Random(seed).shuffle(order)
    return order


def build() -> tuple[dict[str, list], list[dict]]:
    """(the responses: column -> 39 answers, in unit order; the survey codebook rows)."""
    counts = published()
    columns: dict[str, list] = {UNIT: list(UNITS)}
    start = dt.date(2008, 3, 10)
    columns[DATE] = [(start + dt.timedelta(days=(i * 7) % 38)).isoformat() for i in range(len(UNITS))]
    codebook = []
    everyone = list(range(len(UNITS)))

    def base_units(spec):
        if "base" not in spec:
            return everyone
        column, answer = spec["base"]
        if answer == ">0":
            return [i for i in everyone if (columns[column][i] or 0) > 0]
        return [i for i in everyone if columns[column][i] == answer]

    def row(indicator, category, column, answer, spec):
        published_row = counts[(indicator, category)]
        base_column, base_answer = spec.get("base", (None, None))
        codebook.append(
            {
                "column": column,
                "indicator": indicator,
                "label": published_row["label"],
                "category": category,
                "category_label": published_row["category_label"],
                "answer": answer,
                "base_column": base_column or "",
                "base_answer": base_answer or "",
                "exclusive": published_row["exclusive"],
                "unit": published_row["unit"],
                "note": "",
            }
        )

    for indicator, kind, spec in SPECS:
        if kind == "kind":  # the unit's own type: municipality or city district
            columns[spec["column"]] = ["Kommun"] * len(MUNICIPALITIES) + ["Stadsdel"] * len(DISTRICTS)
            for category, answer in spec["answers"].items():
                row(indicator, category, spec["column"], answer, spec)
        elif kind == "by_type":  # a cross-tabulation of two columns that already exist
            base = base_units(spec)
            for category, answer in spec["answers"].items():
                n = sum(columns[spec["column"]][i] == answer for i in base)
                assert n == target_n(counts[(indicator, category)]), (indicator, category, n)
                row(indicator, category, spec["column"], answer, spec)
        elif kind == "coordinator":
            order = shuffled(everyone, spec["column"])
            n = target_n(counts[(indicator, "yes")])
            values = [0] * len(UNITS)
            for i, time in zip(order[:n], COORDINATOR_TIMES):
                values[i] = time
            columns[spec["column"]] = values
            row(indicator, "yes", spec["column"], ">0", spec)
        elif kind == "statistics":  # 9 with statistics: 2 municipalities + 7 districts (overall_statistics_by_type)
            values = ["Nej"] * len(UNITS)
            by_type = {
                c: target_n(counts[("overall_statistics_by_type", c)]) for c in ("municipality", "city_district")
            }
            municipalities = shuffled(range(len(MUNICIPALITIES)), spec["column"])[: by_type["municipality"]]
            districts = shuffled(range(len(MUNICIPALITIES), len(UNITS)), spec["column"])[: by_type["city_district"]]
            for i in municipalities + districts:
                values[i] = "Ja"
            columns[spec["column"]] = values
            for category, answer in spec["answers"].items():
                assert values.count(answer) == target_n(counts[(indicator, category)])
                row(indicator, category, spec["column"], answer, spec)
        elif kind == "single":
            base = base_units(spec)
            order = shuffled(base, spec["column"])
            values: list = [""] * len(UNITS)
            position = 0
            for category, answer in spec["answers"].items():
                n = target_n(counts[(indicator, category)])
                options = answer.split("|")
                for k, i in enumerate(order[position : position + n]):
                    values[i] = options[k % len(options)]
                position += n
                row(indicator, category, spec["column"], answer, spec)
            rest = spec.get("rest", [])
            for k, i in enumerate(order[position:]):
                values[i] = rest[k % len(rest)] if rest else ""  # no rest: non-answers (blank)
            columns[spec["column"]] = values
        elif kind == "options":
            base = base_units(spec)
            for category, column in spec["columns"].items():
                n = target_n(counts[(indicator, category)])
                order = shuffled(base, column)
                values = [""] * len(UNITS)
                for i in base:
                    values[i] = "Nej"
                for i in order[:n]:
                    values[i] = "Ja"
                columns[column] = values
                row(indicator, category, column, "Ja", spec)
    return columns, codebook


# --- writing ---------------------------------------------------------------------------------------


def number_text(value, decimal: str) -> str:
    if value == "" or value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return repr(value).replace(".", decimal)
    return str(int(value)) if isinstance(value, (int, float)) else value


def csv_text(columns: dict[str, list], delimiter: str = ",", decimal: str = ".", newline: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(list(columns))
    for i in range(len(UNITS)):
        writer.writerow([number_text(values[i], decimal) for values in columns.values()])
    return out.getvalue()


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def xlsx_bytes(columns: dict[str, list]) -> bytes:
    """The responses as a workbook (sheet 'Svar'), with fixed timestamps so the bytes never change."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Svar"
    sheet.append(list(columns))
    for i in range(len(UNITS)):
        cells = []
        for name, values in columns.items():
            value = values[i]
            if name == DATE:
                value = dt.datetime.fromisoformat(value)
            cells.append(None if value == "" else value)
        sheet.append(cells)
    return pinned_xlsx(book, dt.datetime(2008, 4, 30))


def pinned_xlsx(book, when: dt.datetime) -> bytes:
    """The workbook's bytes with every timestamp set to `when`, so the file never changes (openpyxl
    stamps the save time into docProps/core.xml and the zip entries: both are pinned). Also used
    by kartlaggning/make_examples.py."""
    book.properties.creator = "make_examples.py"
    book.properties.created = when
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                start = text.index("<dcterms:modified")
                end = text.index("</dcterms:modified>") + len("</dcterms:modified>")
                stamp = f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when:%Y-%m-%dT%H:%M:%SZ}</dcterms:modified>'
                data = (text[:start] + stamp + text[end:]).encode("utf-8")
            info = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return out.getvalue()


def codebook_rows(columns: dict[str, list], survey_codebook: list[dict], coding_sheet: Path) -> list[dict]:
    """data/examples/codebook.csv: every column of every example CSV (codebook.csv schema)."""
    rows = []

    def add(file, column, type_="", required="", code="", low="", high="", label="", description=""):
        rows.append(
            {
                "file": file,
                "column": column,
                "code": code,
                "type": type_,
                "required": required,
                "min": low,
                "max": high,
                "label_sv": label,
                "description": description,
            }
        )

    formats = schemas.FORMATS[schemas.FORMATS["file"] == "survey_codebook.csv"].fillna("")
    for r in formats.itertuples():
        add(
            "stockholm_2008_survey_codebook.csv",
            r.column,
            r.type,
            r.required,
            r.code,
            r.min,
            r.max,
            r.label_sv,
            r.description,
        )
    answers: dict[str, dict[str, str]] = {}
    for r in survey_codebook:
        if r["answer"].startswith(">"):
            continue
        for answer in r["answer"].split("|"):
            code = {"Ja": "yes", "Nej": "no", "Delvis": "partly", "Vet ej": "dont_know"}.get(answer, r["category"])
            answers.setdefault(r["column"], {})[code] = answer
    for file in ("stockholm_2008_microdata.csv", "stockholm_2008_microdata_excel.csv"):
        copy = (
            ""
            if file.endswith("microdata.csv")
            else " (same content as stockholm_2008_microdata.csv, saved by Swedish Excel: Windows-1252, semicolons, decimal commas)"
        )
        for column, values in columns.items():
            if column == UNIT:
                add(
                    file,
                    column,
                    "string",
                    "yes",
                    label="Kommun eller stadsdel",
                    description="The responding unit as the survey export names it (25 municipalities and 14 Stockholm "
                    "city districts); normalised to kommunkod / 0180-<district> by analysis.normalise" + copy,
                )
            elif column == DATE:
                add(
                    file,
                    column,
                    "string",
                    "yes",
                    label="Svarsdatum",
                    description="Date of the (made-up) interview, YYYY-MM-DD; not used by the survey codebook" + copy,
                )
            elif column == COORDINATOR:
                add(
                    file,
                    column,
                    "number",
                    "yes",
                    low="0",
                    high="100",
                    label="Samordnarens tjänstgöringsgrad (%)",
                    description="Percent of a full-time post for violence coordination, 0 when there is no coordinator; "
                    "the survey codebook counts >0 as coordinator_exists" + copy,
                )
            else:
                mapped = [r for r in survey_codebook if r["column"] == column or r["base_column"] == column]
                used = answers.get(column, {})
                codes = {"yes": "Ja", "no": "Nej", "partly": "Delvis", "dont_know": "Vet ej"}
                codes.update({c: a for c, a in used.items() if c not in codes})
                required = "yes" if all(v != "" for v in values) else "no"
                indicators = ", ".join(dict.fromkeys(r["indicator"] for r in mapped))
                add(
                    file,
                    column,
                    "code",
                    required,
                    label=column,
                    description=f"Answer to the question (counted for {indicators}); empty = not asked or not "
                    "answered, never 'no'" + copy,
                )
                for code, label in codes.items():
                    add(file, column, code=code, label=label)
    with open(coding_sheet, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    add(
        coding_sheet.name,
        header[0],
        "string",
        "yes",
        label="Kommun",
        description="Municipality as the researcher wrote it (any spelling analysis.normalise understands)",
    )
    for column in header[1:]:
        add(
            coding_sheet.name,
            column,
            "string",
            "no",
            label=column,
            description="Codes of this theme found for the municipality, separated by ; , or line breaks; code ids or "
            "Swedish labels of data/raw/dalarna_2020/codes.csv, any case; 'nej: code' for an explicit no; "
            "empty = nothing reported (codes not mentioned become not_reported, never no)",
        )
    return rows


def write(out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    columns, survey_codebook = build()
    written = []
    targets = {
        "stockholm_2008_microdata.csv": csv_text(columns).encode("utf-8"),
        "stockholm_2008_microdata_excel.csv": csv_text(columns, ";", ",", "\r\n").encode("cp1252"),
        "stockholm_2008_microdata.xlsx": xlsx_bytes(columns),
    }
    for name, data in targets.items():
        write_bytes_atomic(out_dir / name, data)
        written.append(out_dir / name)
    fields = [
        "column",
        "indicator",
        "label",
        "category",
        "category_label",
        "answer",
        "base_column",
        "base_answer",
        "exclusive",
        "unit",
        "note",
    ]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(survey_codebook)
    written.append(write_text_atomic(out_dir / "stockholm_2008_survey_codebook.csv", text.getvalue()))
    text = io.StringIO()
    fields = ["file", "column", "code", "type", "required", "min", "max", "label_sv", "description"]
    writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(codebook_rows(columns, survey_codebook, HERE / "dalarna_coding_sheet_example.csv"))
    written.append(write_text_atomic(out_dir / "codebook.csv", text.getvalue()))
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
