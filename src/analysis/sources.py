"""Loading a source's tables: every CSV in data/raw/<source>/, typed by the source's codebook.

This is the one entry point through which the pipeline reads inputs. A source's tables come back
as {table name: DataFrame}, e.g. {"counts": …, "oj_values": …}, with the codebook's types:
integer → pandas nullable Int64, number → float64, everything else text (missing stays <NA>).

`load(source_id, source_config, root)` is the validated entry point for every kind of input a
config can name (published tables, survey microdata, an interview coding sheet): it returns the
same typed tables, or raises an input_errors.InputError listing every problem found.
`load_published` reads a transcribed folder without validation.
"""

from pathlib import Path

import pandas as pd

from .io import read_raw_csv

PANDAS_TYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean"}


def read_codebook(source_dir: Path) -> pd.DataFrame:
    return read_raw_csv(Path(source_dir) / "codebook.csv")


def column_types(codebook: pd.DataFrame, file_name: str) -> dict[str, str]:
    """{column: codebook type} for one file, from the codebook's column rows (code empty)."""
    rows = codebook[(codebook["file"] == file_name) & codebook["code"].isna()]
    return dict(zip(rows["column"], rows["type"]))


def apply_types(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    out = frame.copy()
    for column, kind in types.items():
        if column in out.columns and kind in PANDAS_TYPES:
            numbers = pd.to_numeric(out[column])
            out[column] = numbers.astype(PANDAS_TYPES[kind]) if kind != "boolean" else out[column]
    return out


def load_published(source_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of a transcribed source, typed by its codebook (no validation here)."""
    source_dir = Path(source_dir)
    codebook = read_codebook(source_dir)
    tables = {}
    for path in sorted(source_dir.glob("*.csv")):
        if path.name == "codebook.csv":
            continue
        tables[path.stem] = apply_types(read_raw_csv(path), column_types(codebook, path.name))
    return tables


# --- validated loading: the one entry point for every kind of input ------------------------------

# The keys of a source's `inputs` in the config, by kind (see docs/bring-your-own-data.md).
INPUT_KINDS = {
    "published": {"required": ("dir",), "optional": ("codebook",)},
    "survey_microdata": {"required": ("responses", "survey_codebook"), "optional": ("sheet", "unit_column")},
    "coding_sheet": {"required": ("coding_sheet", "codes"), "optional": ("sheet", "unit_column")},
}
PATH_KEYS = ("dir", "codebook", "responses", "survey_codebook", "coding_sheet", "codes")
DEFAULT_REFERENCE = Path("data") / "raw" / "reference"


def parse_inputs(source_id: str, source_config: dict, root: Path) -> dict:
    """The source's `inputs` checked (kind known, required keys present, no unknown keys) with
    paths resolved against `root`. Accepts the source's config entry or its `inputs` mapping."""
    from .input_errors import ConfigError, Problem, did_you_mean

    where = f"config: sources.{source_id}.inputs"
    inputs = source_config.get("inputs", source_config) if isinstance(source_config, dict) else None
    if not isinstance(inputs, dict) or "kind" not in inputs:
        raise ConfigError(
            Problem(where, "no `kind` given", "inputs: {kind: published | survey_microdata | coding_sheet, …}")
        )
    kind = inputs["kind"]
    if kind not in INPUT_KINDS:
        raise ConfigError(
            Problem(
                where,
                f"unknown kind '{kind}'{did_you_mean(kind, INPUT_KINDS, cutoff=0.5)}",
                "one of " + ", ".join(INPUT_KINDS),
            )
        )
    keys = INPUT_KINDS[kind]
    problems = []
    for key in keys["required"]:
        if not inputs.get(key):
            problems.append(
                Problem(
                    where,
                    f"kind {kind} needs the key `{key}`",
                    f"{kind}: " + ", ".join(keys["required"]) + " (optional: " + ", ".join(keys["optional"]) + ")",
                )
            )
    allowed = ("kind", *keys["required"], *keys["optional"])
    problems += [
        Problem(
            where,
            f"unknown key `{key}` for kind {kind}{did_you_mean(key, allowed, '`')}",
            "the keys " + ", ".join(allowed),
        )
        for key in inputs
        if key not in allowed
    ]
    if problems:
        raise ConfigError(problems)
    out = dict(inputs)
    for key in PATH_KEYS:
        if out.get(key):
            out[key] = Path(root) / out[key]
    return out


def load_checked(source_id: str, source_config: dict, root: Path, reference: Path | None = None):
    """Like `load`, but returns a validate.Loaded (tables, rows checked, files read)."""
    from . import coding_sheet, microdata
    from .normalise import MunicipalityIndex
    from .validate import area_index, validate_folder

    root = Path(root)
    inputs = parse_inputs(source_id, source_config, root)
    reference = Path(reference) if reference else root / DEFAULT_REFERENCE
    index = area_index(MunicipalityIndex.from_reference(reference), reference, source_config)
    if inputs["kind"] == "published":
        return validate_folder(inputs["dir"], inputs.get("codebook"), index, root)
    if inputs["kind"] == "survey_microdata":
        return microdata.load_survey_microdata(inputs, index, root)
    return coding_sheet.load_coding_sheet(inputs, index, root)


def load(source_id: str, source_config: dict, root: Path, reference: Path | None = None) -> dict[str, pd.DataFrame]:
    """Validated, typed tables of one source, whatever kind of input the config names:

    * `{kind: published, dir: …}` — every table of the folder, validated against its codebook.csv;
    * `{kind: survey_microdata, responses: …, survey_codebook: …}` — one row per responding unit,
      aggregated to a `counts` table with the counts.csv schema;
    * `{kind: coding_sheet, coding_sheet: …, codes: …}` — an interview coding sheet (municipality ×
      theme, several codes in a cell) as the long `coding` table (and the code list as `codes`).

    Paths are relative to `root`; municipalities are checked against `reference`
    (default <root>/data/raw/reference). Raises an analysis.input_errors.InputError listing every
    problem found; never writes anything."""
    return load_checked(source_id, source_config, root, reference).tables


def input_description(source_config: dict) -> dict:
    """Where a source's raw inputs are, as the config names them (paths relative to the root):
    {"folder": the published folder or None, "files": the configured input files (for a
    published folder: none; its tables are the folder's), "codebook": the file that describes
    them, "sheet": the worksheet of an .xlsx input}. For the appendix's inventory and codebook links; reads nothing."""
    inputs = source_config.get("inputs", source_config)
    kind = inputs["kind"]
    if kind == "published":
        folder = str(inputs["dir"]).rstrip("/")
        return {"folder": folder, "files": [], "codebook": str(inputs.get("codebook") or f"{folder}/codebook.csv")}
    if kind == "survey_microdata":
        return {
            "folder": None,
            "files": [str(inputs["responses"]), str(inputs["survey_codebook"])],
            "codebook": str(inputs["survey_codebook"]),
            "sheet": inputs.get("sheet"),
        }
    return {
        "folder": None,
        "files": [str(inputs["coding_sheet"]), str(inputs["codes"])],
        "codebook": str(inputs["codes"]),
        "sheet": inputs.get("sheet"),
    }


def is_published(source_config: dict) -> bool:
    """Whether the source is a transcribed published folder (the text is written for those)."""
    return source_config.get("inputs", source_config)["kind"] == "published"


def codebook_beside(source_config: dict, root: Path) -> Path | None:
    """The codebook.csv that describes a source's tables: the published folder's (or its
    `codebook`), or the one beside a coding sheet's code list; None when there is none."""
    inputs = source_config.get("inputs", source_config)
    if inputs["kind"] == "published":
        return Path(root) / input_description(inputs)["codebook"]
    if inputs["kind"] == "coding_sheet":
        path = (Path(root) / inputs["codes"]).parent / "codebook.csv"
        return path if path.exists() else None
    return None
