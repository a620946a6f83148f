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

from . import paths, readers, sources, swedish, tables, texts
from .io import read_raw_csv, write_text_atomic
from .report_vars import PROVENANCE_COLUMNS, ReportNumbers, provenance

SECTION = "appendix"
APPENDIX_B_IDS = ("tbl-app-provenance-numbers", "tbl-app-provenance-items", "tbl-app-provenance-refs")

# --- A. codebook of the processed tables ------------------------------------------------------------

# The codebook's words: report/text/<locale>/appendix.yml (processed_columns: file → column →
# description; common_columns: the columns every table has).


_t = texts.Templates(SECTION)
_group = _t.group


PROCESSED_COLUMNS = _group(
    "processed_columns"
)  # in the default locale (the files and columns are the same in every locale)


class UndocumentedColumnError(ValueError):
    """Raised when a processed table has a column the codebook does not describe (or the
    codebook describes a column the table no longer has)."""


def describe(file: str, column: str) -> str | None:
    return _group("processed_columns").get(file, {}).get(column) or _group("common_columns").get(column)


def processed_codebook(processed_dir: Path) -> pd.DataFrame:
    """Columns file, column, description for every column of every processed table, in file
    order; raises UndocumentedColumnError naming every undocumented or stale column."""
    rows, problems = [], []
    for file, described in _group("processed_columns").items():
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
        raise UndocumentedColumnError(
            "codebook of data/processed (processed_columns in report/text/"
            f"{texts.current()}/appendix.yml): " + "; ".join(problems)
        )
    return pd.DataFrame(rows, columns=["file", "column", "description"])


def codebook_table(codebook: pd.DataFrame) -> pd.DataFrame:
    first = ~codebook["file"].duplicated()
    column = _group("tbl-app-processed.columns")
    return pd.DataFrame(
        {
            column["file"]: [f if is_first else "" for f, is_first in zip(codebook["file"], first)],
            column["column"]: codebook["column"],
            column["description"]: codebook["description"],
        }
    )


def raw_inventory(config: dict, root: Path) -> pd.DataFrame:
    """One row per configured source, then the reference: source, title, folder (None for inputs
    that are files), the data tables or configured input files with their row counts, and the
    codebook with its row count."""
    described = [(sid, s.get("title", sid), sources.input_description(s)) for sid, s in config["sources"].items()]
    described.append(
        (
            "reference",
            _t("reference_title"),
            {"folder": config["reference"], "files": [], "codebook": f"{config['reference']}/codebook.csv"},
        )
    )
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
            files = {
                f: len(readers.read_table(Path(root) / f, inputs.get("sheet")).frame)
                for f in inputs["files"]
                if f != inputs["codebook"]
            }
            codebook_rows = len(readers.read_table(codebook).frame)
        rows.append(
            {
                "source": source,
                "title": title,
                "folder": inputs["folder"],
                "files": files,
                "codebook": inputs["codebook"],
                "codebook_rows": codebook_rows,
            }
        )
    return pd.DataFrame(rows)


def raw_table(inventory: pd.DataFrame) -> pd.DataFrame:
    column, separator = _group("tbl-app-raw.columns"), _t("tbl-app-raw.separator")
    return pd.DataFrame(
        {
            column["source"]: [
                _t("tbl-app-raw.source", title=title, source=source)
                for source, title in zip(inventory["source"], inventory["title"])
            ],
            column["tables"]: [
                separator.join(_t("tbl-app-raw.file", file=name, n=swedish.number(n)) for name, n in files.items())
                for files in inventory["files"]
            ],
            column["codebook"]: [
                _t("tbl-app-raw.file", file=path, n=swedish.number(n))
                for path, n in zip(inventory["codebook"], inventory["codebook_rows"])
            ],
        }
    )


def build_appendix_a(assets_dir: Path, config: dict, processed_dir: Path, root: Path) -> None:
    codebook = processed_codebook(processed_dir)
    processed_refs = [f"data/processed/{f}" for f in _group("processed_columns")]
    tables.save(
        "tbl-app-processed",
        codebook_table(codebook),
        _t("tbl-app-processed.caption"),
        assets_dir,
        source_refs=processed_refs,
        widths=(5, 5, 13),
        breakable=True,
    )
    inventory = raw_inventory(config, root)
    tables.save(
        "tbl-app-raw",
        raw_table(inventory),
        _t("tbl-app-raw.caption"),
        assets_dir,
        source_refs=list(inventory["codebook"]),
        widths=(6, 10, 8),
        breakable=True,
    )
    numbers = ReportNumbers(SECTION)
    numbers.add(
        "processed_files",
        swedish.number(codebook["file"].nunique()),
        _t("numbers.processed_files"),
        "; ".join(processed_refs),
    )
    numbers.add(
        "processed_columns", swedish.number(len(codebook)), _t("numbers.processed_columns"), "; ".join(processed_refs)
    )
    numbers.add(
        "raw_folders", swedish.number(len(inventory)), _t("numbers.raw_folders"), "; ".join(inventory["codebook"])
    )
    numbers.add(
        "raw_tables",
        swedish.number(sum(len(f) for f in inventory["files"])),
        _t("numbers.raw_tables"),
        "; ".join(inventory["codebook"]),
    )
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
    """ "number", "figure" or "table" (by the id's prefix)."""
    if variable.startswith("fig-"):
        return "figure"
    if variable.startswith("tbl-"):
        return "table"
    return "number"


def provenance_rows(assets_dir: Path) -> pd.DataFrame:
    """Every provenance row of the report (appendix B's own tables write none), sorted: numbers
    first, then figures, then tables (each in the order written)."""
    rows = provenance(assets_dir)
    missing = rows["source_ref"].fillna("").str.strip() == ""
    if missing.any():
        raise ValueError(f"provenance rows without source_ref: {sorted(set(rows.loc[missing, 'variable']))}")
    kind = rows["variable"].map(item_kind)
    order = kind.map({"number": 0, "figure": 1, "table": 2})
    return (
        rows.assign(kind=kind, _order=order)
        .sort_values("_order", kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)[PROVENANCE_COLUMNS + ["kind"]]
    )


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
            runs.append(_t("ref_key", n=start) if start == previous else _t("ref_run", start=start, end=previous))
            start = current
    return ", ".join(runs)


def numbers_table(rows: pd.DataFrame, numbers: dict[str, int]) -> pd.DataFrame:
    chosen = rows[rows["kind"] == "number"]
    column = _group("tbl-app-provenance-numbers.columns")
    return pd.DataFrame(
        {
            column["variable"]: chosen["variable"].map(breakable_name),
            column["value"]: chosen["value"],
            column["refs"]: chosen["source_ref"].map(lambda r: ref_keys(r, numbers)),
        }
    )


def items_table(rows: pd.DataFrame, numbers: dict[str, int]) -> pd.DataFrame:
    """One row per figure or table, with all the source rows it builds on."""
    chosen = rows[rows["kind"] != "number"].groupby("variable", sort=False)["source_ref"].agg(list).reset_index()
    column = _group("tbl-app-provenance-items.columns")
    return pd.DataFrame(
        {
            column["item"]: chosen["variable"].map(breakable_name),
            column["refs"]: chosen["source_ref"].map(lambda r: ref_keys(r, numbers)),
        }
    )


def refs_table(numbers: dict[str, int]) -> pd.DataFrame:
    column = _group("tbl-app-provenance-refs.columns")
    return pd.DataFrame(
        {column["number"]: [_t("ref_key", n=n) for n in numbers.values()], column["ref"]: list(numbers)}
    )


def small_open(columns: int = 1) -> str:
    """Raw Typst before a table: smaller font, not justified, may break across pages and (with
    columns > 1) flows in several columns. HTML ignores raw Typst."""
    flow = f"#show: columns.with({columns}, gutter: 14pt)\n" if columns > 1 else ""
    return (
        "```{=typst}\n#[#set text(size: 8pt)\n#set par(justify: false)\n"
        f"#show figure: set block(breakable: true)\n{flow}```\n"
    )


def provenance_markdown(
    table_id: str, frame: pd.DataFrame, caption: str, widths: tuple[int, ...], columns: int = 1
) -> str:
    """A captioned table div in a smaller PDF font that may break across pages (and columns)."""
    return (
        f"{small_open(columns)}\n::: {{#{table_id}}}\n{tables.pipe_table(frame, widths=widths)}\n\n{caption}\n"
        f":::\n\n{tables.BREAKABLE_CLOSE}"
    )


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


def traced_documents(document: Path) -> list[Path]:
    """The editions whose numbers a companion traces too: its front matter's `traces` list
    (e.g. the technical companion lists every edition's numbers, not only its own)."""
    import yaml

    from .render.fallback import FRONT_MATTER

    front = FRONT_MATTER.match(Path(document).read_text(encoding="utf-8")) if Path(document).exists() else None
    traces = ((yaml.safe_load(front.group(1)) if front else None) or {}).get("traces") or []
    return [Path(document).parent / name for name in traces]


def build_appendix_b(assets_dir: Path, shown: set[str] | None = None) -> pd.DataFrame:
    """The three tables of appendix B, for the numbers, figures and tables in `shown` (all when
    None); returns the provenance rows they show."""
    rows = provenance_rows(assets_dir)
    if shown is not None:
        rows = rows[rows["variable"].isin(shown)].reset_index(drop=True)
    numbers = ref_numbers(rows)
    parts = {
        APPENDIX_B_IDS[0]: (numbers_table(rows, numbers), (10, 3, 4), 1, _t(f"{APPENDIX_B_IDS[0]}.caption")),
        APPENDIX_B_IDS[1]: (items_table(rows, numbers), (10, 4), 3, _t(f"{APPENDIX_B_IDS[1]}.caption")),
        APPENDIX_B_IDS[2]: (refs_table(numbers), (2, 16), 1, _t(f"{APPENDIX_B_IDS[2]}.caption")),
    }
    for table_id, (frame, widths, columns, caption) in parts.items():
        write_text_atomic(
            Path(assets_dir) / f"{table_id}.md", provenance_markdown(table_id, frame, caption, widths, columns)
        )
    return rows


def build(
    assets_dir: Path,
    config: dict,
    processed_dir: Path = paths.PROCESSED,
    root: Path = paths.ROOT,
    document: Path | None = None,
) -> None:
    """Appendix A, then appendix B (which includes A's provenance) for what `document` (an
    edition's .qmd) shows, or for everything. Call after every notebook."""
    with texts.using(texts.locale(config)):
        build_appendix_a(Path(assets_dir), config, Path(processed_dir), Path(root))
        shown = None
        if document:
            report_dir = Path(document).parent
            shown = set().union(
                *(items_in_document(d, report_dir) for d in [Path(document), *traced_documents(document)])
            )
        build_appendix_b(Path(assets_dir), shown)
