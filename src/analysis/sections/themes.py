"""The Resultat chapter's theme × source matrix: which kind of evidence each source gives for
each of the report's themes (a count with its base, words such as "flertalet", named examples,
or nothing), and the residual counts of exclusive categories that the text needs.

The mapping lives in config/report_themes.csv, one row per piece of evidence:

    theme, source, evidence, table, key

* `evidence`: count, words or examples (a theme × source without rows is "not covered");
* `table`: `shares` (data/processed/shares.csv; key = "indicator/category"), `conclusions` (the
  sources' own conclusions, key = a row id: a statement in a source's summary that its tables do
  not hold) or one of the source's raw tables (key = a value of its first column, e.g. a
  quantifier statement's topic).

Every row is checked against the data: a count must be a shares row with a count, words and
examples must name a row that exists. Text (theme names, kinds, headings, caption) is in
report/text/<locale>/themes.yml.

For every mapping row on shares.csv whose indicator also has a national share (ÖJ's
"riket" row), the printed national share is a report number (`national_<indicator>_<category>`).

The sources' own conclusions (success factors, development areas, problems, recommendations,
proposals), when the config names their table (`conclusions: <folder with conclusions.csv>`): the
main report shows per theme a short list of a few of them, chosen in config/report_highlights.csv
(`conclusions-<theme>.md`); the technical companion shows them all per theme
(`tbl-conclusions-<theme>`) and every row, findings included, with id and line
(`tbl-conclusions-all`). Without the key those files are written empty, so the report's includes
hold and nothing is claimed.
"""

from pathlib import Path

import pandas as pd

from .. import escape, paths, source_loader, sources, swedish, tables, texts
from ..io import write_text_atomic
from ..report_vars import ReportNumbers

SECTION = "themes"
MAPPING = Path("config") / "report_themes.csv"
MAPPING_COLUMNS = ["theme", "source", "evidence", "table", "key"]
HIGHLIGHTS = Path("config") / "report_highlights.csv"
HIGHLIGHT_COLUMNS = ["theme", "id"]
# A theme's list in the main report: a few telling statements, not the full table.
HIGHLIGHTS_PER_THEME = (1, 4)
EVIDENCE_ORDER = ("count", "words", "examples")


class ThemeMappingError(ValueError):
    """Raised when config/report_themes.csv names a theme, source, kind of evidence or data row
    that does not exist (the message lists every such row)."""


def text(key: str, config: dict | None = None, **fields) -> str:
    return texts.get(SECTION, key, texts.locale(config), **fields)


def theme_labels(config: dict | None = None) -> dict[str, str]:
    """Theme id → label, in the report's order."""
    return dict(texts.section(SECTION, texts.locale(config))["themes"])


def source_label(source: str, config: dict) -> str:
    labels = texts.section(SECTION, texts.locale(config)).get("sources") or {}
    return labels.get(source) or config["sources"][source]["title"]


def load_mapping(path: Path) -> pd.DataFrame:
    mapping = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(mapping.columns) != MAPPING_COLUMNS:
        raise ThemeMappingError(f"{path}: columns must be {MAPPING_COLUMNS}, not {list(mapping.columns)}")
    return mapping


def shares_key(shares: pd.DataFrame) -> pd.Series:
    return shares["indicator"].astype(str) + "/" + shares["category"].astype(str)


def totals(shares: pd.DataFrame) -> pd.DataFrame:
    """The shares rows of whole populations (no breakdown group)."""
    return shares[(shares["group_var"] == "all") & (shares["group"] == "all")]


def data_problem(row, shares_totals: pd.DataFrame, raw: dict[str, dict[str, pd.DataFrame]]) -> str | None:
    """Why the data row a mapping row names is not there (None when it is)."""
    if row.table == "shares":
        found = shares_totals[(shares_totals["source"] == row.source) & (shares_totals["_key"] == row.key)]
        if found.empty:
            return "no total row in shares.csv"
        if row.evidence == "count" and found["n"].isna().all():
            return "evidence 'count' but shares.csv has no count"
        return None
    frame = raw.get(row.source, {}).get(row.table)
    if frame is None:
        return f"the source has no table {row.table!r}"
    if row.key not in set(frame.iloc[:, 0].astype(str)):
        return f"{row.table} has no row {row.key!r} in its column {frame.columns[0]!r}"
    return None


def own_inputs(source: str, config: dict) -> bool:
    """A source built from a researcher's own files (not a published transcription): an item its
    files lack is absent, not an error."""
    return (config["sources"][source].get("inputs") or {}).get("kind", "published") != "published"


def check_mapping(
    mapping: pd.DataFrame, config: dict, shares: pd.DataFrame, raw: dict[str, dict[str, pd.DataFrame]]
) -> list[str]:
    """Every problem with the mapping (empty = fine). A published source must have every row the
    mapping names; for own inputs a missing row is left out (see `available_rows`)."""
    known_themes = theme_labels(config)
    whole = totals(shares).assign(_key=lambda f: shares_key(f))
    problems = []
    for number, row in enumerate(mapping.itertuples(index=False), start=2):
        where = f"{MAPPING} line {number} ({row.theme}, {row.source}, {row.key})"
        if row.theme not in known_themes:
            problems.append(f"{where}: unknown theme {row.theme!r}; known: {sorted(known_themes)}")
        if row.source not in config["sources"]:
            problems.append(f"{where}: source {row.source!r} is not in the config")
            continue
        if row.evidence not in EVIDENCE_ORDER:
            problems.append(f"{where}: evidence must be one of {EVIDENCE_ORDER}, not {row.evidence!r}")
        if not own_inputs(row.source, config) and not optional_conclusions(row, config):
            if problem := data_problem(row, whole, raw):
                problems.append(f"{where}: {problem}")
    return problems


def optional_conclusions(row, config: dict) -> bool:
    """A row naming the sources' own conclusions in a build whose config names no conclusions
    table (they are optional): left out like an item own inputs lack, not an error."""
    return row.table == "conclusions" and not config.get("conclusions")


def available_rows(mapping: pd.DataFrame, shares: pd.DataFrame, raw: dict) -> pd.DataFrame:
    """The mapping rows whose data is there (after check_mapping, only own inputs and the optional
    conclusions can lack some)."""
    whole = totals(shares).assign(_key=lambda f: shares_key(f))
    keep = [data_problem(row, whole, raw) is None for row in mapping.itertuples(index=False)]
    return mapping[keep].reset_index(drop=True)


def evidence_refs(mapping: pd.DataFrame, shares: pd.DataFrame, raw: dict) -> pd.Series:
    """The source_ref of every mapping row (the data row it names)."""
    whole = totals(shares).assign(_key=lambda f: shares_key(f))
    refs = []
    for row in mapping.itertuples(index=False):
        if row.table == "shares":
            found = whole[(whole["source"] == row.source) & (whole["_key"] == row.key)]
        else:
            frame = raw[row.source][row.table]
            found = frame[frame.iloc[:, 0].astype(str) == row.key]
        refs.append(str(found["source_ref"].iloc[0]))
    return pd.Series(refs, index=mapping.index)


def evidence_matrix(mapping: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Theme × source → the kinds of evidence, strongest first ('' = not covered); rows in the
    report's theme order, columns in the config's source order."""
    order = {kind: i for i, kind in enumerate(EVIDENCE_ORDER)}
    matrix = pd.DataFrame("", index=list(theme_labels(config)), columns=list(config["sources"]))
    for (theme, source), rows in mapping.groupby(["theme", "source"]):
        kinds = sorted(set(rows["evidence"]), key=order.get)
        matrix.loc[theme, source] = " ".join(kinds)
    return matrix


def matrix_table(matrix: pd.DataFrame, config: dict) -> pd.DataFrame:
    words = texts.section(SECTION, texts.locale(config))["evidence"]

    def cell(kinds: str) -> str:
        return ", ".join(words[k] for k in kinds.split()) if kinds else words["none"]

    table = pd.DataFrame(
        {text("tables.tbl-themes-evidence.theme_heading", config): [theme_labels(config)[t] for t in matrix.index]}
    )
    for source in matrix.columns:
        table[source_label(source, config)] = [cell(k) for k in matrix[source]]
    return table


def residuals(shares: pd.DataFrame) -> pd.DataFrame:
    """Exclusive categories whose count the source leaves out while it gives the base and every
    other category's count: shares.csv holds the residual N − Σ others (e.g. 43 − 7 − 5) with
    `n_basis = residual` (analysis.shares.with_residuals, the one home of the rule).
    Columns source, indicator, category, label, n, N, source_ref."""
    columns = ["source", "indicator", "category", "label", "n", "N", "source_ref"]
    if "n_basis" not in shares.columns:
        return pd.DataFrame(columns=columns)
    rows = totals(shares)
    rows = rows[rows["n_basis"] == "residual"]
    out = rows.assign(n=rows["n"].astype("int64"), N=rows["N"].astype("int64"))[columns]
    refs = {
        key: "; ".join(dict.fromkeys(group["source_ref"].astype(str)))
        for key, group in totals(shares).groupby(["source", "indicator"], sort=False)
    }
    out["source_ref"] = [refs[(s, i)] for s, i in zip(out["source"], out["indicator"])]
    return out.reset_index(drop=True)


# --- the sources' own conclusions ---------------------------------------------------------------

CONCLUSION_COLUMNS = ["id", "source", "kind", "theme", "heading", "text", "text_kind", "source_ref", "seed_line"]
# What Resultat shows per theme: what the sources put forward, not their findings (the chapter
# reports the findings from the data).
SHOWN_KINDS = ("success_factor", "development_area", "problem", "recommendation", "proposal")
CONCLUSION_TABLES = ("tbl-conclusions-all",)


class ConclusionsError(ValueError):
    """Raised when the configured conclusions table is missing, lacks a column, or names a
    source, kind or theme the report does not know."""


def load_conclusions(config: dict, root: Path) -> pd.DataFrame | None:
    """The sources' own conclusions (config key `conclusions`: a folder with conclusions.csv and
    its codebook), or None when the config names none."""
    folder = config.get("conclusions")
    if not folder:
        return None
    path = Path(root) / folder
    if not (path / "conclusions.csv").exists():
        raise ConclusionsError(f"config key conclusions: {path / 'conclusions.csv'} does not exist")
    frame = sources.load_published(path)["conclusions"]
    if missing := [c for c in CONCLUSION_COLUMNS if c not in frame.columns]:
        raise ConclusionsError(f"{path / 'conclusions.csv'} lacks the columns {missing}")
    return frame


def conclusion_themes(config: dict | None = None) -> dict[str, str]:
    """Theme id → table id of the per-theme tables: the report's themes and the extra ones."""
    section = texts.section(SECTION, texts.locale(config))
    ids = [*section["themes"], *section["conclusions"]["extra_themes"]]
    return {theme: f"tbl-conclusions-{theme.replace('_', '-')}" for theme in ids}


def check_conclusions(frame: pd.DataFrame, config: dict) -> list[str]:
    section = texts.section(SECTION, texts.locale(config))
    problems = []
    for column, known in (
        ("source", set(config["sources"])),
        ("kind", set(section["conclusions"]["kinds"])),
        ("theme", set(conclusion_themes(config))),
    ):
        if unknown := sorted(set(frame[column]) - known):
            problems.append(f"conclusions: unknown {column} {unknown}")
    if "said_by" in frame.columns:
        codes = {said_by(r) for r in frame.itertuples(index=False)} - {""}
        for key in ("said_by", "said_by_table"):
            if unknown := sorted(codes - set(section["conclusions"].get(key) or {})):
                problems.append(f"conclusions: said_by {unknown} has no text conclusions.{key}")
    return problems


def conclusion_text(row, config: dict) -> str:
    """The statement as the reader sees it: a quote in quotation marks, a paraphrase marked as
    such; the printed heading first."""
    words = texts.section(SECTION, texts.locale(config))["conclusions"]
    body = f"”{row.text}”" if row.text_kind == "quote" else f"{row.text} {words['paraphrase_mark']}"
    heading = row.heading.strip() if isinstance(row.heading, str) else ""
    return f"{heading}: {body}" if heading else body


def said_by(row) -> str:
    """The code of the text a source reprints or quotes (column `said_by`), '' = the source itself."""
    value = getattr(row, "said_by", "")
    return value.strip() if isinstance(value, str) else ""


def statement_source(row, config: dict, key: str = "said_by_table") -> str:
    """Who the reader is told made the statement: the source, or the text it reprints (texts
    `conclusions.<key>.<code>`: `said_by` in the main report's lists, `said_by_table` in tables)."""
    words = texts.section(SECTION, texts.locale(config))["conclusions"]
    if code := said_by(row):
        return words[key][code]
    return (words.get("sources") or {}).get(row.source) or source_label(row.source, config)


def conclusions_table(rows: pd.DataFrame, config: dict, with_ids: bool = False) -> pd.DataFrame:
    words = texts.section(SECTION, texts.locale(config))["conclusions"]
    table = pd.DataFrame(
        {
            words["source_heading"]: [statement_source(r, config) for r in rows.itertuples(index=False)],
            words["kind_heading"]: [words["kinds"][k] for k in rows["kind"]],
            words["text_heading"]: [conclusion_text(r, config) for r in rows.itertuples(index=False)],
        }
    )
    if with_ids:
        table.insert(0, words["id_heading"], list(rows["id"]))
        table[words["line_heading"]] = [swedish.number(int(n)) for n in rows["seed_line"]]
    return table


def write_conclusions(frame: pd.DataFrame | None, config: dict, assets_dir: Path) -> None:
    """Per theme: the kinds in SHOWN_KINDS, in the config's source order; all rows in the
    companion's table. Empty files when there is no table (see the module docstring)."""
    words = texts.section(SECTION, texts.locale(config))["conclusions"]
    theme_ids = conclusion_themes(config)

    def write_empty(table_id: str) -> None:
        write_text_atomic(Path(assets_dir) / f"{table_id}.md", "")
        (Path(assets_dir) / "provenance" / f"{table_id}.csv").unlink(missing_ok=True)

    if frame is None:
        for table_id in [*theme_ids.values(), *CONCLUSION_TABLES]:
            write_empty(table_id)
        write_text_atomic(Path(assets_dir) / "conclusions-companion.md", "")
        return
    order = {source: i for i, source in enumerate(config["sources"])}
    kind_order = {kind: i for i, kind in enumerate(words["kinds"])}
    frame = (
        frame.assign(_s=frame["source"].map(order), _k=frame["kind"].map(kind_order))
        .sort_values(["_s", "_k", "seed_line"], kind="stable")
        .drop(columns=["_s", "_k"])
    )
    labels = {**theme_labels(config), **words["extra_themes"]}
    per_theme = []
    for theme, table_id in theme_ids.items():
        rows = frame[(frame["theme"] == theme) & frame["kind"].isin(SHOWN_KINDS)]
        if rows.empty:
            write_empty(table_id)
            continue
        label = labels[theme].replace("\u00ad", "")
        per_theme.append(f"## {label}\n\n{{{{< include _generated/{table_id}.md >}}}}\n")
        caption = words["caption"].format(theme=label, n=swedish.number(len(rows)))
        tables.save(
            table_id,
            conclusions_table(rows, config),
            caption,
            assets_dir,
            source_refs=list(rows["source_ref"]),
            widths=(1.3, 2.1, 6.6),
            breakable=True,
        )
    write_text_atomic(
        Path(assets_dir) / "conclusions-companion.md",
        words["companion_section"].format(n=swedish.number(len(frame)))
        + "\n\n"
        + "\n".join(per_theme)
        + f"\n## {words['all_heading']}\n\n{{{{< include _generated/tbl-conclusions-all.md >}}}}\n",
    )
    tables.save(
        "tbl-conclusions-all",
        conclusions_table(frame, config, with_ids=True),
        words["caption_all"].format(n=swedish.number(len(frame))),
        assets_dir,
        source_refs=list(frame["source_ref"]),
        widths=(1.9, 1.3, 2.1, 5.6, 0.7),
        breakable=True,
    )


def with_conclusions(raw: dict[str, dict[str, pd.DataFrame]], conclusions: pd.DataFrame | None) -> dict:
    """The sources' raw tables plus, per source, its rows of the conclusions table (first column
    id), so that a mapping row can name a statement the source's own tables do not hold."""
    if conclusions is None:
        return raw
    out = {source: dict(tables_) for source, tables_ in raw.items()}
    for source, rows in conclusions.groupby("source"):
        out.setdefault(source, {})["conclusions"] = rows.reset_index(drop=True)
    return out


def national_shares(mapping: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """For the mapping's shares rows: the source's printed national share of the same indicator
    and category (group_var population, group national), where it has one. Columns indicator,
    category, label, published (percent), source_ref."""
    keys = mapping[mapping["table"] == "shares"]
    national = shares[(shares["group_var"] == "population") & (shares["group"] == "national")]
    rows = []
    for row in keys.drop_duplicates(["source", "key"]).itertuples(index=False):
        indicator, _, category = row.key.partition("/")
        found = national[
            (national["source"] == row.source)
            & (national["indicator"].astype(str) == indicator)
            & (national["category"].astype(str) == category)
            & national["published"].notna()
        ]
        if found.empty:
            continue
        first = found.iloc[0]
        rows.append(
            {
                "indicator": indicator,
                "category": category,
                "label": first["label"],
                "published": float(first["published"]),
                "source_ref": str(first["source_ref"]),
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "category", "label", "published", "source_ref"])


def printed_percent(share: float) -> str:
    """A national share (0–1) as the source prints it: 0.94 → '94 %', 0.729 → '72,9 %'."""
    whole = round(100 * float(share), 6).is_integer()
    return swedish.percent(share, 0 if whole else 1)


def load_highlights(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != HIGHLIGHT_COLUMNS:
        raise ConclusionsError(f"{path}: columns must be {HIGHLIGHT_COLUMNS}, not {list(frame.columns)}")
    return frame


def check_highlights(highlights: pd.DataFrame, conclusions: pd.DataFrame, config: dict) -> list[str]:
    """Every problem with the choice of statements for the main report (empty = fine): unknown
    theme or id, an id twice, a theme with fewer or more than HIGHLIGHTS_PER_THEME."""
    problems = []
    known = set(conclusion_themes(config))
    ids = set(conclusions["id"])
    if unknown := sorted(set(highlights["theme"]) - known):
        problems.append(f"{HIGHLIGHTS}: unknown theme {unknown}")
    if missing := sorted(set(highlights["id"]) - ids):
        problems.append(f"{HIGHLIGHTS}: no conclusion with id {missing}")
    if twice := sorted(highlights.loc[highlights["id"].duplicated(), "id"]):
        problems.append(f"{HIGHLIGHTS}: ids chosen twice {twice}")
    low, high = HIGHLIGHTS_PER_THEME
    for theme, count in highlights.groupby("theme").size().items():
        if not low <= count <= high:
            problems.append(f"{HIGHLIGHTS}: {theme} has {count} statements, not {low}–{high}")
    return problems


def highlight_line(row, config: dict, section_headings: set) -> str:
    """One list item: source and year, kind, the statement (quoted or marked as a paraphrase).
    A heading the source prints over several statements (a section title such as "Förslag") is
    left out; a heading that names this one statement (SKL's "Många vägar in") is kept."""
    words = texts.section(SECTION, texts.locale(config))["conclusions"]
    source = statement_source(row, config, key="said_by")
    if (row.source, row.heading) in section_headings:
        row = row._replace(heading="")
    return words["highlight_item"].format(
        source=source.replace("\u00ad", ""),
        kind=words["kinds"][row.kind].lower(),
        text=escape.markdown(conclusion_text(row, config)),
    )


def write_highlights(
    conclusions: pd.DataFrame | None, highlights: pd.DataFrame | None, config: dict, assets_dir: Path
) -> None:
    """Per theme `conclusions-<theme>.md`: the chosen statements as a short list under a lead-in
    (empty for a theme without a choice, or without the conclusions table)."""
    words = texts.section(SECTION, texts.locale(config))["conclusions"]
    by_id = conclusions.set_index("id", drop=False) if conclusions is not None else None
    section_headings = set()
    if conclusions is not None:
        counted = (
            conclusions[conclusions["heading"].astype(str).str.strip() != ""].groupby(["source", "heading"]).size()
        )
        section_headings = set(counted[counted > 1].index)
    for theme in conclusion_themes(config):
        name = f"conclusions-{theme.replace('_', '-')}.md"
        chosen = [] if highlights is None else list(highlights.loc[highlights["theme"] == theme, "id"])
        if not chosen:
            write_text_atomic(Path(assets_dir) / name, "")
            continue
        rows = by_id.loc[chosen]
        items = "\n".join(f"- {highlight_line(row, config, section_headings)}" for row in rows.itertuples(index=False))
        write_text_atomic(Path(assets_dir) / name, f"{words['highlight_lead']}\n\n{items}\n")


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path, root: Path = paths.ROOT) -> None:
    shares = combined["shares"]
    mapping = load_mapping(Path(root) / MAPPING)
    mapping = mapping[mapping["source"].isin(config["sources"])].reset_index(drop=True)
    conclusions = load_conclusions(config, root)
    if conclusions is not None:
        conclusions = conclusions[conclusions["source"].isin(config["sources"])].reset_index(drop=True)
        if problems := check_conclusions(conclusions, config):
            raise ConclusionsError("; ".join(problems))
    raw = with_conclusions(source_loader.load_all(config, root), conclusions)
    if problems := check_mapping(mapping, config, shares, raw):
        raise ThemeMappingError("; ".join(problems))
    mapping = available_rows(mapping, shares, raw)
    refs = evidence_refs(mapping, shares, raw)
    matrix = evidence_matrix(mapping, config)
    tables.save(
        "tbl-themes-evidence",
        matrix_table(matrix, config),
        text("tables.tbl-themes-evidence.caption", config),
        assets_dir,
        source_refs=[str(MAPPING), *refs],
        widths=(2.2, *([1.2] * len(matrix.columns))),
    )

    numbers = ReportNumbers(SECTION)
    describe = texts.section(SECTION, texts.locale(config))["numbers"]
    mapping_ref = "; ".join([str(MAPPING), *dict.fromkeys(refs)])
    cells = matrix.stack()
    numbers.add("report_title", config["report"]["title"], describe["report_title"], "config: report.title")
    numbers.add("n_themes", swedish.number(len(matrix.index)), describe["n_themes"], str(MAPPING))
    numbers.add("n_sources", swedish.number(len(matrix.columns)), describe["n_sources"], str(MAPPING))
    numbers.add("count_cells", swedish.number(cells.str.contains("count").sum()), describe["count_cells"], mapping_ref)
    numbers.add(
        "words_only_cells",
        swedish.number(((cells != "") & ~cells.str.contains("count")).sum()),
        describe["words_only_cells"],
        mapping_ref,
    )
    numbers.add("none_cells", swedish.number((cells == "").sum()), describe["none_cells"], mapping_ref)
    for source in matrix.columns:
        source_refs = "; ".join([str(MAPPING), *dict.fromkeys(refs[mapping["source"] == source])])
        numbers.add(
            f"count_themes_{source}",
            swedish.number(matrix[source].str.contains("count").sum()),
            texts.get(SECTION, "numbers.count_themes", texts.locale(config), source=source_label(source, config)),
            source_refs,
        )
    for row in residuals(shares).itertuples(index=False):
        name = f"residual_{row.indicator}_{row.category}"
        description = texts.get(
            SECTION, "numbers.residual", texts.locale(config), label=row.label, category=row.category
        )
        numbers.add(f"{name}_n", swedish.number(row.n), description, row.source_ref)
        numbers.add(f"{name}_N", swedish.number(row.N), description, row.source_ref)
    for row in national_shares(mapping, shares).itertuples(index=False):
        numbers.add(
            f"national_{row.indicator}_{row.category}",
            printed_percent(row.published),
            texts.get(SECTION, "numbers.national", texts.locale(config), label=row.label),
            row.source_ref,
        )
    numbers.write(assets_dir)

    write_conclusions(conclusions, config, assets_dir)
    highlights = load_highlights(Path(root) / HIGHLIGHTS) if conclusions is not None else None
    if highlights is not None and (problems := check_highlights(highlights, conclusions, config)):
        raise ConclusionsError("; ".join(problems))
    write_highlights(conclusions, highlights, config, assets_dir)
