"""Report tables: a formatted DataFrame → a captioned, numbered Markdown table (@tbl-…)."""
from pathlib import Path

import pandas as pd

from . import figures
from .io import write_text_atomic


def pipe_table(frame: pd.DataFrame, right_align: tuple[str, ...] = (), widths: dict[str, int] | None = None) -> str:
    """A Markdown pipe table of already formatted text cells.

    `widths` (column → relative width) sets the column widths of a wide table: pandoc and Quarto
    take them from the number of dashes in the rule line once a row is longer than the page line.
    """
    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    def rule_cell(column) -> str:
        dashes = "-" * max(2, (widths or {}).get(column, 2))
        return dashes + ":" if column in right_align else ":" + dashes

    unknown = set(widths or {}) - set(frame.columns)
    if unknown:
        raise ValueError(f"widths given for columns not in the table: {sorted(unknown)}")
    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join(rule_cell(c) for c in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def save(table_id: str, frame: pd.DataFrame, caption: str, assets_dir: Path, source_refs,
         right_align: tuple[str, ...] = (), widths: dict[str, int] | None = None) -> Path:
    """Write `<table_id>.md`: a cross-reference div holding the table and its caption, and the
    table's provenance (the source_ref of every raw row behind it)."""
    if not table_id.startswith("tbl-"):
        raise ValueError(f"table ids start with 'tbl-' (got {table_id!r})")
    figures.write_provenance(assets_dir, table_id, caption, source_refs)
    text = f"::: {{#{table_id}}}\n{pipe_table(frame, right_align, widths)}\n\n{caption}\n:::\n"
    return write_text_atomic(Path(assets_dir) / f"{table_id}.md", text)
