"""MADE-UP county mappings for `make new-mapping` (every answer here is invented).

Writes, deterministically:
* Gävleborgs län 2022 and 2024, exported the way Netigate exports (metadata columns Respondent ID,
  Startdatum, Slutdatum, Status, Språk; the municipality in the 3rd question column as "Gävle kommun";
  a multi-select as one column per option "Fråga - Alternativ"), 2024 as .xlsx AND as a
  Swedish-Excel CSV (Windows-1252, semicolons, decimal commas), 2022 as CSV only; one municipality
  (Nordanstig) did not answer in 2024; the interview coding sheet as a two-header-row matrix with
  merged theme cells (.xlsx).
* Kronobergs län 2023, exported the way Esmaker exports (Id, Skapad, Ändrad, E-post; numbered
  question headers; the municipality as a kommunkod; a multi-select in one cell "Stödsamtal;Skyddat
  boende;"), as a Swedish-Excel CSV; Markaryd did not answer; the coding sheet in the theme-cell
  layout (one column per theme, codes separated by ";"), CSV.

Run: python data/examples/kartlaggning/make_examples.py
"""

import datetime as dt
import importlib.util
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2024, 5, 31)

Q_COORD = "Finns det en kvinnofridssamordnare eller motsvarande med samordningsansvar i kommunen?"
Q_PLAN = "Har kommunen en aktuell handlingsplan eller ett styrdokument för arbetet mot våld i nära relationer?"
Q_ROUTINE = "Har socialtjänsten rutiner för att fråga om våld?"
Q_FREDA = "Används FREDA-kortfrågor i utredningar inom socialtjänsten?"
Q_CHILD = "Erbjuder kommunen stöd till barn som upplevt våld?"
Q_PERP = "Erbjuder kommunen insatser till våldsutövare?"
Q_HONOUR = "Har kommunen en handlingsplan mot hedersrelaterat våld och förtryck?"
Q_POLICE = "Samverkar kommunen med polisen i enskilda ärenden?"
Q_SUPPORT = "Vilka insatser erbjuder kommunen våldsutsatta vuxna?"
OPTIONS = ["Stödsamtal", "Skyddat boende", "Ekonomiskt bistånd", "Juridisk rådgivning"]
Q_FTE = "Hur många årsarbetare arbetar med våld i nära relationer?"
Q_SKILL = "Hur bedömer ni personalens kompetens om våld i nära relationer? (1–5)"
Q_COMMENT = "Övriga kommentarer"
SCALE = {1: "1 - Mycket låg", 2: "2", 3: "3", 4: "4", 5: "5 - Mycket hög"}
COMMENTS = [
    "Vi har svårt att rekrytera socionomer med erfarenhet av våldsärenden.",
    "Samverkan med kvinnojouren fungerar bra men avtalet behöver förnyas.",
    "Arbetet med barn som upplevt våld har utvecklats under året.",
    "Vi saknar en gemensam rutin med hälso- och sjukvården.",
    "",
]


def answers(rng: random.Random, level: float) -> dict:
    def yn(p):
        r = rng.random()
        return "Ja" if r < p else ("Delvis" if r < p + 0.15 else ("Nej" if r < 0.97 else "Vet ej"))

    return {
        Q_COORD: yn(level),
        Q_PLAN: yn(level - 0.1),
        Q_ROUTINE: yn(level),
        Q_FREDA: yn(level - 0.2),
        Q_CHILD: yn(level),
        Q_PERP: yn(level - 0.3),
        Q_HONOUR: yn(level - 0.35),
        Q_POLICE: yn(level + 0.1),
        Q_SUPPORT: [o for o in OPTIONS if rng.random() < level + (0.3 if o == "Stödsamtal" else -0.1)]
        or ["Stödsamtal"],
        Q_FTE: rng.choice([0.5, 1, 1.5, 2, 2.5, 3, 4.5]),
        Q_SKILL: rng.choice([2, 3, 3, 4, 4, 5]),
        Q_COMMENT: rng.choice(COMMENTS),
    }


def netigate_rows(municipalities: list[str], year: int, seed: int, level: float) -> tuple[list[str], list[list]]:
    rng = random.Random(seed)
    header = [
        "Respondent ID",
        "Startdatum",
        "Slutdatum",
        "Status",
        "Språk",
        Q_COORD,
        Q_PLAN,
        "Vilken kommun besvarar du enkäten för?",
        Q_ROUTINE,
        Q_FREDA,
        Q_CHILD,
        Q_PERP,
        Q_HONOUR,
        Q_POLICE,
    ]
    header += [f"{Q_SUPPORT} - {o}" for o in OPTIONS] + [Q_FTE, Q_SKILL, Q_COMMENT]
    rows = []
    for i, name in enumerate(municipalities):
        a = answers(rng, level)
        start = dt.datetime(year, 4, 2 + i, 9, 15)
        row = [
            str(4711 + i),
            start,
            start + dt.timedelta(minutes=23),
            "Slutförd",
            "Svenska",
            a[Q_COORD],
            a[Q_PLAN],
            f"{name} kommun",
            a[Q_ROUTINE],
            a[Q_FREDA],
            a[Q_CHILD],
            a[Q_PERP],
            a[Q_HONOUR],
            a[Q_POLICE],
        ]
        row += [o if o in a[Q_SUPPORT] else "" for o in OPTIONS]
        row += [a[Q_FTE], SCALE[a[Q_SKILL]], a[Q_COMMENT]]
        if i == 2:
            row[header.index(Q_HONOUR)] = ""  # a question left blank: missing, never "no"
        rows.append(row)
    return header, rows


def esmaker_rows(codes: list[str], seed: int, level: float) -> tuple[list[str], list[list]]:
    rng = random.Random(seed)
    header = [
        "Id",
        "Skapad",
        "Ändrad",
        "E-post",
        "1. Kommunkod",
        f"2. {Q_COORD}",
        f"3. {Q_PLAN}",
        f"4. {Q_ROUTINE}",
        f"5. {Q_CHILD}",
        f"6. {Q_PERP}",
        f"7. {Q_POLICE}",
        f"8. {Q_SUPPORT}",
        f"9. {Q_FTE}",
        "10. Hur väl fungerar samverkan med kvinnojouren?",
        f"11. {Q_COMMENT}",
    ]
    rows = []
    for i, code in enumerate(codes):
        a = answers(rng, level)
        created = dt.datetime(2023, 3, 6 + i, 13, 0)
        rows.append(
            [
                str(i + 1),
                created,
                created + dt.timedelta(days=1),
                f"svarande{i + 1}@example.org",
                code,
                a[Q_COORD],
                a[Q_PLAN],
                a[Q_ROUTINE],
                a[Q_CHILD],
                a[Q_PERP],
                a[Q_POLICE],
                "".join(f"{o};" for o in a[Q_SUPPORT]),
                a[Q_FTE],
                rng.choice(["Mycket bra", "Ganska bra", "Ganska bra", "Varken bra eller dåligt", "Vet ej"]),
                a[Q_COMMENT],
            ]
        )
    return header, rows


def cell_text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def excel_csv(header: list[str], rows: list[list]) -> bytes:
    """As Swedish Excel saves 'CSV (semikolonavgränsad)': Windows-1252, semicolons, decimal commas, CRLF."""

    def quote(text: str) -> str:
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ';"\n') else text

    lines = [";".join(quote(cell_text(c)) for c in row) for row in [header, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _published_examples():
    """../make_examples.py (the published sources' made-up inputs), loaded by path: it shares its
    pinned-timestamp workbook writer."""
    spec = importlib.util.spec_from_file_location("published_examples", HERE.parent / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pinned_xlsx(book) -> bytes:
    """The workbook's bytes with fixed timestamps (so the file never changes)."""
    return _published_examples().pinned_xlsx(book, FIXED)


def export_xlsx(header, rows) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Svar"
    sheet.append(header)
    for row in rows:
        sheet.append([None if c == "" else c for c in row])
    return pinned_xlsx(book)


MATRIX = [
    ("Samordning och styrning", ["Samordnare", "Handlingsplan", "Politisk förankring"]),
    ("Stöd och skydd", ["Stödsamtal", "Skyddat boende", "Barnsamtal"]),
    ("Samverkan", ["Polisen", "Kvinnojouren", "Hälso- och sjukvården"]),
]


def matrix_xlsx(municipalities: list[str], seed: int) -> bytes:
    """Two header rows (themes merged over their codes, then codes); X or 1 in the cells."""
    import openpyxl

    rng = random.Random(seed)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kodning"
    theme_row, code_row, column = (
        [
            "",
        ],
        ["Kommun"],
        2,
    )
    for theme, codes in MATRIX:
        theme_row += [theme] + [""] * (len(codes) - 1)
        code_row += codes
    sheet.append([c or None for c in theme_row])
    sheet.append(code_row)
    for theme, codes in MATRIX:
        sheet.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + len(codes) - 1)
        column += len(codes)
    for name in municipalities:
        sheet.append([name] + [rng.choice(["X", "1", None, None]) for _, codes in MATRIX for _ in codes])
    return pinned_xlsx(book)


def theme_cells_csv(codes: list[str], names: list[str], seed: int) -> bytes:
    rng = random.Random(seed)
    themes = {
        "Styrning": ["Handlingsplan", "Samordnare", "Budget för kvinnofrid"],
        "Upptäckt": ["Rutin för att fråga om våld", "FREDA", "Utbildning i att fråga"],
        "Barn": ["Barnsamtal", "Trappan", "Samverkan med skolan"],
        "Våldsutövare": ["Behandling", "Samtal för män"],
    }
    header = ["Intervjuad kommun"] + list(themes)
    rows = []
    for name in names:
        cells = []
        for theme, options in themes.items():
            chosen = [o for o in options if rng.random() < 0.5]
            if theme == "Våldsutövare" and not chosen:
                chosen = ["nej: Behandling"]
            cells.append(";".join(chosen))
        rows.append([name] + cells)
    return excel_csv(header, rows)


def main() -> None:
    gavleborg = [
        "Ockelbo",
        "Hofors",
        "Ovanåker",
        "Ljusdal",
        "Gävle",
        "Sandviken",
        "Söderhamn",
        "Bollnäs",
        "Hudiksvall",
    ]  # Nordanstig did not answer in 2024
    header, rows = netigate_rows(gavleborg, 2024, seed=2024, level=0.6)
    (HERE / "gavleborg_2024_netigate.xlsx").write_bytes(export_xlsx(header, rows))
    (HERE / "gavleborg_2024_netigate_excel.csv").write_bytes(excel_csv(header, rows))
    header, rows = netigate_rows(gavleborg[:-1] + ["Nordanstig", "Hudiksvall"], 2022, seed=2022, level=0.4)
    (HERE / "gavleborg_2022_netigate_excel.csv").write_bytes(excel_csv(header, rows))
    (HERE / "gavleborg_2024_kodning_matris.xlsx").write_bytes(matrix_xlsx(gavleborg[:6], seed=7))
    kronoberg = ["0760", "0761", "0763", "0764", "0765", "0780", "0781"]  # Markaryd (0767) did not answer
    header, rows = esmaker_rows(kronoberg, seed=2023, level=0.5)
    (HERE / "kronoberg_2023_esmaker_excel.csv").write_bytes(excel_csv(header, rows))
    names = ["Uppvidinge kommun", "Lessebo", "Tingsryds kommun", "Alvesta", "Växjö kommun"]
    (HERE / "kronoberg_2023_kodning_teman.csv").write_bytes(theme_cells_csv(kronoberg, names, seed=3))


if __name__ == "__main__":
    main()
