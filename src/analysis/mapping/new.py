"""`make new-mapping COUNTY=… YEAR=… SURVEY=… [CODING=…]`: a county mapping's config and draft codebook.

Reads the export (and the coding sheet), checks them against the county, drafts the survey
codebook (every question: text, type, options, which answers count as yes), proposes comparisons
with the published sources' themes, writes mappings/<slug>/config.yml and enkat-kodbok.csv, and
prints what it found and the next command. An existing mapping is not overwritten (FORCE=1 does).
"""

from pathlib import Path

import yaml

from .. import paths, texts
from ..io import read_raw_csv
from ..normalise import MunicipalityIndex, text_key
from . import codebook as cb
from .coding import read_coding
from .config import slug_for
from .errors import MappingConfigError
from .export import county_of, read_export

CODEBOOK_NAME = "enkat-kodbok.csv"


def relative(path: Path, root: Path) -> str:
    path = Path(path).resolve()
    try:
        return str(path.relative_to(root.resolve()))
    except ValueError:
        return str(path)


def propose(questions: list[cb.Question]) -> list[dict]:
    """Per published theme, the first question (or multi-select option) whose text has a keyword."""
    out = []
    for rule in cb.rules()["comparisons"]:
        for q in questions:
            if q.type in ("yes_no", "number") and any(k in text_key(q.text) for k in rule["keywords"]):
                out.append({"theme": rule["theme"], "question": q.id, "option": None, "status": cb.statuses()[0]})
                break
            if q.type == "multi_select":
                option = next(
                    (
                        o
                        for o in q.options
                        if any(k in text_key(f"{q.text} {o}") for k in rule["keywords"])
                        and any(k in text_key(o) for k in rule["keywords"])
                        or False
                    ),
                    None,
                )
                if option:
                    out.append({"theme": rule["theme"], "question": q.id, "option": option, "status": cb.statuses()[0]})
                    break
    return out


def new_mapping(
    county: str,
    year: int,
    survey: Path,
    coding: Path | None = None,
    codes: Path | None = None,
    sheet: str | None = None,
    root: Path = paths.ROOT,
    force: bool = False,
    out=print,
) -> Path:
    root = Path(root)
    reference = root / "data" / "raw" / "reference"
    kommuner = read_raw_csv(reference / "kommuner.csv")
    rows = county_of(kommuner, county)
    if rows.empty:
        import difflib

        close = difflib.get_close_matches(county, sorted(kommuner["lan"].unique()), n=1, cutoff=0.5)
        from ..input_errors import Problem

        raise MappingConfigError(
            Problem(
                "COUNTY",
                f"'{county}' is not a county" + (f"; did you mean '{close[0]}'?" if close else ""),
                "a county's name as in kommuner.csv, or its two-digit code",
                value=county,
            )
        )
    county_name = rows["lan"].iloc[0]
    slug = slug_for(county_name, year)
    folder = root / "mappings" / slug
    config_path = folder / "config.yml"
    if config_path.exists() and not force:
        raise MappingConfigError(
            __import__("analysis.input_errors", fromlist=["Problem"]).Problem(
                relative(config_path, root),
                "the mapping already exists (your edits would be lost)",
                "make report CONFIG=" + relative(config_path, root) + ", or FORCE=1 to write it again",
            )
        )
    index = MunicipalityIndex.from_reference(reference)
    export = read_export(survey, index, rows, sheet=sheet, name=relative(survey, root))
    questions = cb.draft(export)
    folder.mkdir(parents=True, exist_ok=True)
    cb.write(questions, folder / CODEBOOK_NAME)
    comparisons = propose(questions)
    config = {
        "mapping": {"county": county_name, "year": int(year), "slug": slug},
        "survey": {
            "export": relative(survey, root),
            "sheet": sheet,
            "codebook": relative(folder / CODEBOOK_NAME, root),
            "unit_column": None,
        },
        "interviews": (
            {"coding_sheet": relative(coding, root), "sheet": None, "codes": relative(codes, root) if codes else None}
            if coding
            else None
        ),
        "accept_municipalities": [],
        "quotes_with_municipality": False,
        "comparisons": comparisons,
        "previous": None,
        "reference": "data/raw/reference",
        "published": "data/processed",
    }
    layout = None
    if coding:
        _, code_list, layout = read_coding(coding, index, name=relative(coding, root), codes=codes, county=rows)
    header = texts.get("kartlaggning", "new_mapping.config_header", county=county_name, year=year)
    config_path.write_text(header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    responded = set(export.units["kommunkod"])
    missing = [k for c, k in zip(rows["kommunkod"], rows["kommun"]) if c not in responded]
    kinds = {t: sum(q.type == t for q in questions) for t in cb.TYPES}
    say = lambda key, **f: out(texts.get("kartlaggning", f"new_mapping.{key}", **f))  # noqa: E731
    say("found_units", column=export.unit_column, n=len(responded), N=len(rows), county=county_name)
    if missing:
        say("missing", names=", ".join(missing))
    say("metadata", columns=", ".join(f"'{c}'" for c in export.metadata) or "–")
    say("questions", n=len(questions), **kinds)
    if layout:
        say("coding", layout=texts.get("kartlaggning", f"layouts.{layout}"), codes=len(code_list))
    for item in comparisons:
        q = next(q for q in questions if q.id == item["question"])
        say("proposal", theme=item["theme"], id=q.id, text=q.text + (f" – {item['option']}" if item["option"] else ""))
    say("written", config=relative(config_path, root), codebook=relative(folder / CODEBOOK_NAME, root))
    say("next", config=relative(config_path, root))
    return config_path
