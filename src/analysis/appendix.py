"""The report's appendices A (codebook of the processed tables, and the raw tables per source)
and B (provenance: every number, figure and table → its source_ref).

Built by `assemble` after every notebook has run (`build(assets_dir, config)`), because appendix
B reads the provenance that all section builders have written to report/_generated/provenance/.

* Appendix A uses `tables.save`, like any report table; its provenance is the files it documents.
* Appendix B is written here as Markdown (with `tables.pipe_table`), not with `tables.save`: its
  tables *are* the provenance, so they write no provenance of their own (a table listing itself
  would grow with every build). Each provenance row becomes one table row; to keep the tables
  compact the source_refs are numbered (K1, K2, …) and listed once in a third table. In the PDF
  the tables are set in a smaller font and may break across pages.
"""
import re
from pathlib import Path

import pandas as pd

from . import paths, readers, sources, swedish, tables
from .io import read_raw_csv, write_text_atomic
from .report_vars import PROVENANCE_COLUMNS, ReportNumbers, provenance

SECTION = "appendix"
APPENDIX_B_IDS = ("tbl-app-provenance-numbers", "tbl-app-provenance-items", "tbl-app-provenance-refs")

# --- A. codebook of the processed tables ------------------------------------------------------------

SOURCE = "Källans id (t.ex. stockholm_2008), som i config/default.yml."
SOURCE_REF = "Proveniens: källans textfil (seed) och avsnitt där uppgiften är tryckt."
COMMON = {"source": SOURCE, "source_ref": SOURCE_REF}
PROCESSED_COLUMNS = {
    "shares.csv": {
        "indicator": "Frågans eller indikatorns id i källan.",
        "label": "Frågan eller indikatorn på svenska, nära källans ordalydelse.",
        "category": "Svarsalternativets id (yes för en enkel uppgift; ja/delvis/nej i ÖJ).",
        "group_var": "Uppdelningsvariabel; all för totaler.",
        "group": "Grupp inom uppdelningen; all för totaler.",
        "n": "Antal: tryckt, eller härlett ur en tryckt procentsats och basen N (se n_basis).",
        "N": "Basen som källan anger; tom när ingen bas anges.",
        "share": "Andel n/N (0–1); tom när n eller N saknas.",
        "ci_low": "Nedre gräns för andelens konfidensintervall; bara för slumpmässiga urval, annars tom.",
        "ci_high": "Övre gräns för andelens konfidensintervall; bara för slumpmässiga urval, annars tom.",
        "published": "Den tryckta procentsatsen som andel (0–1).",
        "category_label": "Svarsalternativet på svenska, som tryckt.",
        "design": "Undersökningsupplägg: census (totalundersökning), purposive (strategiskt urval) "
                  "eller random_sample (slumpmässigt urval).",
        "n_basis": "Hur n är känt: printed (tryckt), inferred_from_percent (härlett ur procent och bas) eller none.",
        "small_base": "Sant när basen N är under 10 (en enhet flyttar andelen mer än 10 procentenheter).",
        "n_max": "Övre gräns när källan trycker ett intervall av antal.",
        "published_max": "Övre gräns (andel 0–1) när källan trycker ett procentintervall.",
        "exclusive": "yes när svarsalternativen utesluter varandra och tillsammans ska bli N.",
        "unit": "Vad som räknas (kommuner, kommuner/stadsdelar, respondenter, nyckelpersoner …).",
        "note": "Hur raden har räknats fram (på engelska).",
        "source_note": "Transkriberingens anmärkning från data/raw.",
    },
    "reproduction.csv": {
        "quantity": "Vad som kontrolleras: indikator/kategori och typ av kontroll (procent, summa mot N …).",
        "published": "Den tryckta uppgiften: procent i procentenheter, annars antal.",
        "recomputed": "Den återberäknade uppgiften i samma enhet; tom när den inte kan återberäknas.",
        "status": "match (stämmer), mismatch (avviker) eller not reproducible (kan inte återberäknas).",
        "note": "Hur kontrollen gjordes, eller varför den inte går (på engelska).",
        "check": "Kontrollens typ som kod (t.ex. percent_of_counts, sum_vs_base); orden står i report/text/sv/codes.yml.",
        "reason": "Varför uppgiften inte kan återberäknas, som kod (t.ex. no_base); tomt annars.",
        "n": "Antalet som kontrollen bygger på, när det finns.",
        "N": "Basen som kontrollen bygger på, när den finns.",
        "decimals": "Antal decimaler i den tryckta procentsatsen.",
        "fits": "De antal på basen N som ger den tryckta procentsatsen (åtskilda med ;), när inget antal är tryckt.",
        "fields": "Kontrollens övriga värden som JSON (de som förklaringen nämner).",
    },
    "oj_2015_kommun.csv": {
        "kommunkod": "Kommunkod, fyra siffror (SCB).",
        "kommun": "Kommunens namn (Göteborg = stadsdelen Askim-Frölunda-Högsbo, som i källan).",
        "indicator": "ÖJ-indikatorns id (oj_01–oj_60).",
        "label": "Indikatorn på svenska.",
        "value": "Värdet som tryckt: 2 = ja, 1 = delvis, 0 = nej.",
    },
    "breakdowns.csv": {
        "breakdown": "Indelning: size_class (Sörmlands storleksgrupper), befolkningsgrupp (SKL:s), "
                     "kommungrupp_2017 (SKR:s kommungrupper 2017) eller population_band (SKL:s band på SCB:s folkmängd).",
        "indicator": "Vad som räknas: municipalities = antal kommuner i gruppen; annars en ÖJ-indikator, "
                     "en Dalarnakod eller development_areas.",
        "category": "Svaret som räknas (ja/delvis/nej, yes/no/not_reported, ett kommunnamn …) eller tomt.",
        "group": "Gruppens id inom indelningen.",
        "group_label": "Gruppens namn på svenska.",
        "n": "Antal i gruppen.",
        "N": "Bas: antal kommuner i gruppen eller i källan.",
        "share": "Andel n/N (0–1).",
        "value": "Ett tal som inte är en andel (t.ex. genomsnittligt antal ja), annars tomt.",
        "note": "Anmärkning.",
    },
    "tests.csv": {
        "breakdown": "Indelningen som testas (se breakdowns.csv).",
        "indicator": "Indikatorn eller koden som testas.",
        "groups_with_data": "Antal grupper med observationer.",
        "n_total": "Antal observationer i testet (saknade uppgifter räknas inte).",
        "p_value": "Exakt p-värde (Fisher för 2×2, annars Freeman–Halton); tomt när testet inte går.",
        "p_holm": "p-värdet justerat med Holms metod över indikatorerna i samma källa och indelning.",
        "note": "Anmärkning: explorativt, eller varför testet inte går.",
        "method": "Testet som gjordes: fisher_2x2 eller freeman_halton; tomt när inget test gjordes.",
        "reason": "Varför testet inte går, som kod (t.ex. outcome_constant); orden står i report/text/sv/codes.yml.",
        "outcomes": "De utfall som fanns när det är skälet (t.ex. ja, yes/not_reported).",
    },
    "cross_source.csv": {
        "theme": "Temats id (config/cross_source.csv).",
        "theme_label": "Temat på svenska.",
        "region": "Källans region: stockholm, sormland, dalarna eller national.",
        "area": "Område: länet, riket (8 utvalda kommuner) eller riket (alla svarande kommuner).",
        "year": "Uppgiftens år enligt config/default.yml.",
        "indicator": "Källans indikator eller kod (flera Dalarnakoder åtskilda med |).",
        "category": "Kategorin som räknas.",
        "figure_n": "Antal (Dalarna: en nedre gräns); tomt när källan inte ger något antal.",
        "figure_N": "Bas; tom när källan inte anger någon.",
        "share": "Andel figure_n/figure_N (0–1).",
        "published_percent": "Procentsats som källan trycker utan antal (procentenheter).",
        "unit": "Vad som räknas.",
        "definition": "Vad uppgiften mäter, på svenska.",
        "definitions_differ": "Sant när källans definition skiljer sig från temats.",
        "comparable": "yes (jämförbar definition), partly (delvis jämförbar) eller no (endast närliggande).",
        "note": "Hur uppgiften har lästs ur källan.",
    },
    "oj_vs_nation.csv": {
        "indicator": "ÖJ-indikatorns id (oj_01–oj_60).",
        "label": "Indikatorn på svenska.",
        "quality_area": "Kvalitetsområde i ÖJ.",
        "indicator_area": "Indikatorområde i ÖJ.",
        "n_ja": "Antal av de 8 utvalda kommunerna med ja.",
        "n_delvis": "Antal av de utvalda kommunerna med delvis.",
        "n_nej": "Antal av de utvalda kommunerna med nej.",
        "N": "Antal utvalda kommuner med ett värde.",
        "share_ja": "Andel ja, n_ja/N (0–1).",
        "share_delvis": "Andel delvis, n_delvis/N (0–1).",
        "national_share_ja": "Andel ja i riket som tryckt i Bilaga 4 (0–1).",
        "difference_pp": "Skillnad i procentenheter: 100 · (share_ja − national_share_ja).",
        "rank_abs_difference": "Rang efter skillnadens storlek (1 = störst skillnad).",
    },
}


class UndocumentedColumnError(ValueError):
    """Raised when a processed table has a column the codebook does not describe (or the
    codebook describes a column the table no longer has)."""


def describe(file: str, column: str) -> str | None:
    return PROCESSED_COLUMNS.get(file, {}).get(column) or COMMON.get(column)


def processed_codebook(processed_dir: Path) -> pd.DataFrame:
    """Columns file, column, description for every column of every processed table, in file
    order; raises UndocumentedColumnError naming every undocumented or stale column."""
    rows, problems = [], []
    for file, described in PROCESSED_COLUMNS.items():
        path = Path(processed_dir) / file
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run the notebooks first (make report)")
        columns = list(pd.read_csv(path, nrows=0).columns)
        for column in columns:
            text = describe(file, column)
            if text is None:
                problems.append(f"{file}: column {column!r} is not described")
            rows.append({"file": file, "column": column, "description": text})
        problems += [f"{file}: column {c!r} is described but not in the table" for c in described if c not in columns]
    if problems:
        raise UndocumentedColumnError("codebook of data/processed (PROCESSED_COLUMNS in analysis/appendix.py): "
                                      + "; ".join(problems))
    return pd.DataFrame(rows, columns=["file", "column", "description"])


def codebook_table(codebook: pd.DataFrame) -> pd.DataFrame:
    first = ~codebook["file"].duplicated()
    return pd.DataFrame({
        "Fil": [f if is_first else "" for f, is_first in zip(codebook["file"], first)],
        "Kolumn": codebook["column"],
        "Beskrivning": codebook["description"],
    })


def raw_inventory(config: dict, root: Path) -> pd.DataFrame:
    """One row per configured source, then the reference: source, title, folder (None for inputs
    that are files), the data tables or configured input files with their row counts, and the
    codebook with its row count."""
    described = [(sid, s.get("title", sid), sources.input_description(s)) for sid, s in config["sources"].items()]
    described.append(("reference", "Referens: kommuner, stadsdelar, namnvarianter",
                      {"folder": config["reference"], "files": [], "codebook": f"{config['reference']}/codebook.csv"}))
    rows = []
    for source, title, inputs in described:
        codebook = Path(root) / inputs["codebook"]
        if not codebook.exists():
            raise FileNotFoundError(f"{source}: {codebook} is missing")
        if inputs["folder"] is not None:
            directory = Path(root) / inputs["folder"]
            files = {p.name: len(read_raw_csv(p)) for p in sorted(directory.glob("*.csv")) if p.name != "codebook.csv"}
            codebook_rows = len(read_raw_csv(codebook))
        else:  # own files: list the configured input files (a .csv or an .xlsx)
            files = {f: len(readers.read_table(Path(root) / f, inputs.get("sheet")).frame)
                     for f in inputs["files"] if f != inputs["codebook"]}
            codebook_rows = len(readers.read_table(codebook).frame)
        rows.append({"source": source, "title": title, "folder": inputs["folder"], "files": files,
                     "codebook": inputs["codebook"], "codebook_rows": codebook_rows})
    return pd.DataFrame(rows)


def raw_table(inventory: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Källa": [f"{title} ({source})" for source, title in zip(inventory["source"], inventory["title"])],
        "Tabeller (rader)": ["; ".join(f"{name} ({swedish.number(n)})" for name, n in files.items())
                             for files in inventory["files"]],
        "Kodbok (rader)": [f"{path} ({swedish.number(n)})" for path, n in zip(inventory["codebook"], inventory["codebook_rows"])],
    })


def build_appendix_a(assets_dir: Path, config: dict, processed_dir: Path, root: Path) -> None:
    codebook = processed_codebook(processed_dir)
    processed_refs = [f"data/processed/{f}" for f in PROCESSED_COLUMNS]
    tables.save("tbl-app-processed", codebook_table(codebook),
                "De bearbetade tabellerna i data/processed: varje kolumn och vad den innehåller.",
                assets_dir, source_refs=processed_refs, widths=(5, 5, 13), breakable=True)
    inventory = raw_inventory(config, root)
    tables.save("tbl-app-raw", raw_table(inventory),
                "De transkriberade tabellerna per källa med antal rader (utan rubrikrad), och var källans "
                "fullständiga kodbok finns.",
                assets_dir, source_refs=list(inventory["codebook"]), widths=(6, 10, 8), breakable=True)
    numbers = ReportNumbers(SECTION)
    numbers.add("processed_files", swedish.number(codebook["file"].nunique()),
                "Antal bearbetade tabeller i kodboken", "; ".join(processed_refs))
    numbers.add("processed_columns", swedish.number(len(codebook)),
                "Antal beskrivna kolumner i de bearbetade tabellerna", "; ".join(processed_refs))
    numbers.add("raw_folders", swedish.number(len(inventory)), "Antal mappar med transkriberade tabeller",
                "; ".join(inventory["codebook"]))
    numbers.add("raw_tables", swedish.number(sum(len(f) for f in inventory["files"])),
                "Antal transkriberade tabeller (utan kodböcker)", "; ".join(inventory["codebook"]))
    numbers.write(assets_dir)


# --- B. provenance ------------------------------------------------------------------------------

ZWSP = "\u200b"  # lets a long variable name wrap after '.' and '_' in a narrow PDF column
# Several source_refs behind one number are joined by "; "; a piece starts with a seed file name
# or a data path. (A "; " inside one source_ref, as in the reference tables, is not a split.)
JOINED_REFS = re.compile(r"; (?=\d{3}_[0-9a-f]{16}\.txt|data/)")


def breakable_name(name: str) -> str:
    return name.replace(".", "." + ZWSP).replace("_", "_" + ZWSP)


def split_refs(source_ref: str) -> list[str]:
    """The single source_refs in a provenance cell."""
    return [r.strip() for r in JOINED_REFS.split(str(source_ref)) if r.strip()]


def item_kind(variable: str) -> str:
    if variable.startswith("fig-"):
        return "figur"
    if variable.startswith("tbl-"):
        return "tabell"
    return "tal"


def provenance_rows(assets_dir: Path) -> pd.DataFrame:
    """Every provenance row of the report (appendix B's own tables write none), sorted: numbers
    first, then figures, then tables (each in the order written)."""
    rows = provenance(assets_dir)
    missing = rows["source_ref"].fillna("").str.strip() == ""
    if missing.any():
        raise ValueError(f"provenance rows without source_ref: {sorted(set(rows.loc[missing, 'variable']))}")
    kind = rows["variable"].map(item_kind)
    order = kind.map({"tal": 0, "figur": 1, "tabell": 2})
    return (rows.assign(kind=kind, _order=order).sort_values("_order", kind="stable")
            .drop(columns="_order").reset_index(drop=True)[PROVENANCE_COLUMNS + ["kind"]])


def ref_numbers(rows: pd.DataFrame) -> dict[str, int]:
    """Every distinct single source_ref, numbered 1, 2, … in alphabetical order (so the refs of
    one source file stand together)."""
    refs = sorted({r for cell in rows["source_ref"] for r in split_refs(cell)})
    return {ref: i for i, ref in enumerate(refs, start=1)}


def ref_keys(source_refs, numbers: dict[str, int]) -> str:
    """'K3', 'K3, K7' or 'K1–K4, K9': the numbers of the refs in one provenance cell (or in a
    list of cells), runs joined."""
    cells = [source_refs] if isinstance(source_refs, str) else list(source_refs)
    keys = sorted({numbers[r] for cell in cells for r in split_refs(cell)})
    runs, start = [], keys[0]
    for previous, current in zip(keys, keys[1:] + [None]):
        if current != previous + 1:
            runs.append(f"K{start}" if start == previous else f"K{start}–K{previous}")
            start = current
    return ", ".join(runs)


def numbers_table(rows: pd.DataFrame, numbers: dict[str, int]) -> pd.DataFrame:
    chosen = rows[rows["kind"] == "tal"]
    return pd.DataFrame({
        "Variabel": chosen["variable"].map(breakable_name),
        "Värde": chosen["value"],
        "Källrad": chosen["source_ref"].map(lambda r: ref_keys(r, numbers)),
    })


def items_table(rows: pd.DataFrame, numbers: dict[str, int]) -> pd.DataFrame:
    """One row per figure or table, with all the source rows it builds on."""
    chosen = rows[rows["kind"] != "tal"].groupby("variable", sort=False)["source_ref"].agg(list).reset_index()
    return pd.DataFrame({
        "Figur eller tabell": chosen["variable"].map(breakable_name),
        "Källrad": chosen["source_ref"].map(lambda r: ref_keys(r, numbers)),
    })


def refs_table(numbers: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"Nr": [f"K{n}" for n in numbers.values()], "Källrad (source_ref)": list(numbers)})


def small_open(columns: int = 1) -> str:
    """Raw Typst before a table: smaller font, not justified, may break across pages and (with
    columns > 1) flows in several columns. HTML ignores raw Typst."""
    flow = f"#show: columns.with({columns}, gutter: 14pt)\n" if columns > 1 else ""
    return ("```{=typst}\n#[#set text(size: 8pt)\n#set par(justify: false)\n"
            f"#show figure: set block(breakable: true)\n{flow}```\n")


def provenance_markdown(table_id: str, frame: pd.DataFrame, caption: str, widths: tuple[int, ...],
                        columns: int = 1) -> str:
    """A captioned table div in a smaller PDF font that may break across pages (and columns)."""
    return (f"{small_open(columns)}\n::: {{#{table_id}}}\n{tables.pipe_table(frame, widths=widths)}\n\n{caption}\n"
            f":::\n\n{tables.BREAKABLE_CLOSE}")


def items_in_document(document: Path, report_dir: Path) -> set[str]:
    """What an edition shows: every {{< var x.y >}} and every included figure/table id
    (`_generated/fig-….md`, `_generated/tbl-….md`), following includes as Quarto does
    (relative to the report folder). Generated files not written yet are skipped."""
    from .render.fallback import SHORTCODE

    found: set[str] = set()
    todo, seen = [Path(document)], set()
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        for name, argument in SHORTCODE.findall(path.read_text(encoding="utf-8")):
            argument = argument.strip().strip('"')
            if name == "var":
                found.add(argument)
            elif name == "include":
                stem = Path(argument).stem
                if stem.startswith(("fig-", "tbl-")):
                    found.add(stem)
                todo.append(Path(report_dir) / argument.lstrip("/"))
    return found


def build_appendix_b(assets_dir: Path, shown: set[str] | None = None) -> pd.DataFrame:
    """The three tables of appendix B, for the numbers, figures and tables in `shown` (all when
    None); returns the provenance rows they show."""
    rows = provenance_rows(assets_dir)
    if shown is not None:
        rows = rows[rows["variable"].isin(shown)].reset_index(drop=True)
    numbers = ref_numbers(rows)
    parts = {
        APPENDIX_B_IDS[0]: (numbers_table(rows, numbers), (10, 3, 4), 1,
                            "Varje tal i rapportens text: variabelns namn, värdet som det står i texten och "
                            "numret på de källrader som talet bygger på (se källradernas tabell)."),
        APPENDIX_B_IDS[1]: (items_table(rows, numbers), (10, 4), 3,
                            "Varje figur och tabell i rapporten, med en rad för varje källrad som den bygger på."),
        APPENDIX_B_IDS[2]: (refs_table(numbers), (2, 16), 1,
                            "Källraderna: källans textfil (seed) och avsnittet där uppgiften är tryckt (source_ref)."),
    }
    for table_id, (frame, widths, columns, caption) in parts.items():
        write_text_atomic(Path(assets_dir) / f"{table_id}.md",
                          provenance_markdown(table_id, frame, caption, widths, columns))
    return rows


def build(assets_dir: Path, config: dict, processed_dir: Path = paths.PROCESSED, root: Path = paths.ROOT,
          document: Path | None = None) -> None:
    """Appendix A, then appendix B (which includes A's provenance) for what `document` (an
    edition's .qmd) shows, or for everything. Call after every notebook."""
    build_appendix_a(Path(assets_dir), config, Path(processed_dir), Path(root))
    shown = items_in_document(document, paths.REPORT if document is None else Path(document).parent) if document else None
    build_appendix_b(Path(assets_dir), shown)
