"""Report tables: a formatted DataFrame → a captioned, numbered Markdown table (@tbl-…).

Every cell and header is input text and is escaped here (`markdown_cell`); captions are the
project's own templates."""

import re
from pathlib import Path

import pandas as pd

from . import escape, report_vars
from .io import write_text_atomic

# Typst puts a captioned table in a figure, which does not break across pages by default: a table
# longer than a page would run off it. This raw Typst, around the table only, lets it break (the
# header row repeats on every page) and sets its cells flush left instead of justified (justified
# narrow cells leave wide gaps). HTML ignores raw Typst.
BREAKABLE_OPEN = "```{=typst}\n#[#show figure: set block(breakable: true)\n#set par(justify: false)\n```\n"
BREAKABLE_CLOSE = "```{=typst}\n]\n```\n"


def pipe_table(frame: pd.DataFrame, right_align: tuple[str, ...] = (), widths: tuple[float, ...] | None = None) -> str:
    """A Markdown pipe table of already formatted text cells. `widths` (relative, one per column)
    sets the column widths of a table that wraps: pandoc reads them from the number of dashes in
    the rule line; without it every column gets the same width."""

    def cell(value) -> str:
        return markdown_cell(value)

    if widths is not None and len(widths) != len(frame.columns):
        raise ValueError(f"widths has {len(widths)} entries for {len(frame.columns)} columns")
    dashes = [max(3, round(60 * w / sum(widths))) for w in widths] if widths is not None else [3] * len(frame.columns)
    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = (
        "|"
        + "|".join(
            ("-" * (d - 1) + ":") if c in right_align else (":" + "-" * (d - 1)) for c, d in zip(frame.columns, dashes)
        )
        + "|"
    )
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


_BOLD = re.compile(r"^\*\*(.+)\*\*$", re.DOTALL)
_CODE = re.compile(r"^`([^`]+)`$")
_NOTE_MARKS = re.compile(r"^(.*?)((?:\^[A-Za-z0-9]{1,3}\^)+)$", re.DOTALL)  # "35^a^": a footnote mark


def markdown_cell(value) -> str:
    """One table cell or header as Markdown: the text escaped (`escape.markdown`), so input text
    is never markup. Two forms of the project's own are kept around the escaped text: a cell
    wholly in bold (a heading row, `**Organisation**`) and a cell wholly in a code span (a file
    path or hash); `escape.Markup` passes through."""
    if isinstance(value, escape.Markup):
        return str(value).replace("\n", " ")
    text = str(value)
    bold = _BOLD.match(text)
    if bold:
        return f"**{escape.markdown(bold[1])}**"
    code = _CODE.match(text)
    if code and "{{" not in code[1] and "|" not in code[1]:
        return f"`{code[1]}`"
    marks = _NOTE_MARKS.match(text)
    if marks:
        return escape.markdown(marks[1]) + marks[2]
    return escape.markdown(text)


def save(
    table_id: str,
    frame: pd.DataFrame,
    caption: str,
    assets_dir: Path,
    source_refs,
    right_align: tuple[str, ...] = (),
    widths: tuple[float, ...] | None = None,
    breakable: bool = False,
) -> Path:
    """Write `<table_id>.md`: a cross-reference div holding the table and its caption, and the
    table's provenance (the source_ref of every raw row behind it). `widths`: relative column
    widths (see pipe_table); `breakable`: let a long table continue on the next PDF page."""
    if not table_id.startswith("tbl-"):
        raise ValueError(f"table ids start with 'tbl-' (got {table_id!r})")
    report_vars.write_provenance(assets_dir, table_id, caption, source_refs)
    text = f"::: {{#{table_id}}}\n{pipe_table(frame, right_align, widths)}\n\n{escape.caption(caption)}\n:::\n"
    if breakable:
        text = f"{BREAKABLE_OPEN}\n{text}\n{BREAKABLE_CLOSE}"
    return write_text_atomic(Path(assets_dir) / f"{table_id}.md", text)
