"""The whole config checked before anything runs: the same function for `make validate` and the build.

`check_config(path, root, region)` reads the YAML (a syntax error is reported with its line and
column) and checks every part of it at once: the top-level keys, the report's title page, the
reference folder, and per source its keys, region, design (and `design_by_indicator`), year,
input kind and keys, that every input path exists, and `units_outside_area`. With `region`
(an edition, `make report REGION=…`) it checks that the config has that region and that the
report has an edition for it. Every problem is collected; a ConfigError lists them all. It reads
only the config and checks that paths exist: the inputs themselves are validated by `validate`.
"""

import datetime as dt
from pathlib import Path

from .input_errors import ConfigError, InputError, Problem
from .input_errors import did_you_mean as _did_you_mean

TOP_LEVEL = ("report", "reference", "conclusions", "sources")  # conclusions: optional (sections/themes.py)
# True: required. Every key a config may hold is listed here: a key missing from these lists is refused.
REPORT_KEYS = {"title": True, "subtitle": True, "version": True, "authors": True, "locale": False}
AUTHOR_KEYS = ("name", "affiliation")
SOURCE_KEYS = {
    "title": True,
    "region": True,
    "area": True,
    "year": True,
    "design": True,
    "inputs": True,
    "design_by_indicator": False,
    "design_note": False,  # words after the design in the report's table of sources
    "design_text": False,  # words instead of the design (and its note) in that table
    "units_outside_area": False,
    "combined_sections": False,
    "presentation": False,  # how the report presents it
    # what the analysis computes for it (analysis.breakdowns, exact_tests, reproduction, cross_source)
    "breakdowns": False,
    "breakdown_notes": False,
    "population_column": False,
    "checks": False,
    "not_testable": False,
    "cross_source_notes": False,
    "base_rule": False,  # the base of a count printed without its own (analysis.shares.apply_base_rule)
}
REFERENCE_FILES = ("kommuner.csv", "name_aliases.csv", "stockholm_districts.csv")
# units_outside_area: a census declares its county in `area`; a unit of another county is refused
# unless the source says `units_outside_area: accept`.
OUTSIDE_AREA = ("refuse", "accept")
FIRST_YEAR = 1900
BACKTICK = "`"


def known_regions(config: dict, report_dir: Path) -> tuple[str, ...]:
    """The regions the report can present a source in: those with section templates
    (report/text/<locale>/<region>.yml; a presented source's section is named after its region)."""
    from . import texts

    folder = texts.text_dir(texts.locale(config), Path(report_dir))
    return tuple(sorted(p.stem for p in folder.glob("*.yml")))


def editions(report_dir: Path) -> tuple[str, ...]:
    """The regional editions: report/rapport-<region>.qmd."""
    return tuple(sorted(p.stem.removeprefix("rapport-") for p in Path(report_dir).glob("rapport-*.qmd")))


def _check_keys(mapping: dict, known, prefix: str, problem) -> None:
    """A problem for every key of `mapping` that is not in `known` (at `<prefix><key>`), naming
    the closest known key."""
    for key in mapping:
        if key not in known:
            problem(
                f"{prefix}{key}",
                f"unknown key `{key}`{_did_you_mean(key, known, BACKTICK)}",
                "only " + ", ".join(known),
            )


def read_config(path: Path) -> dict:
    """The config as a mapping; ConfigError (with the line and column) when it is not readable YAML."""
    import yaml

    path = Path(path)
    name = str(path)
    if not path.is_file():
        siblings = [p.name for p in path.parent.glob("*.yml")] if path.parent.is_dir() else []
        raise ConfigError(
            Problem(
                name,
                "the config file does not exist" + _did_you_mean(path.name, siblings),
                "a YAML file like config/default.yml (CONFIG=path/to/your.yml)",
            )
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ConfigError(
            Problem(
                name,
                f"line {line}: the config is not UTF-8 text (byte 0x{path.read_bytes()[error.start]:02x})",
                "the config saved as UTF-8",
            )
        ) from None
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as error:
        # an unclosed quote or bracket: where it was opened (context_mark), not the end of the file
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        what = " ".join(filter(None, [getattr(error, "context", None), getattr(error, "problem", None)])) or str(error)
        at = f"line {mark.line + 1}, character {mark.column + 1}: " if mark else ""
        raise ConfigError(
            Problem(
                name,
                f"{at}YAML syntax error: {what}",
                "valid YAML: `key: value`, indented with spaces (not tabs), quotes closed",
            )
        ) from None
    if not isinstance(config, dict):
        raise ConfigError(Problem(name, "the config is not a mapping of keys", "report:, reference:, sources:"))
    return config


def check_config(path: Path, root: Path, region: str = "all", report_dir: Path | None = None) -> dict:
    """The config read and checked whole (see the module docstring); ConfigError listing every problem."""
    path, root = Path(path), Path(root)
    config = read_config(path)
    name = str(path)
    if "mapping" in config:  # a county mapping's config (`make new-mapping`): checked by its own loader
        return config
    problems: list[Problem] = []

    def problem(where: str, message: str, expected: str) -> None:
        problems.append(Problem(name, f"{where}: {message}" if where else message, expected))

    _check_keys(config, TOP_LEVEL, "", problem)
    _check_report(config.get("report"), problem)
    reference = config.get("reference")
    if not isinstance(reference, str) or not reference:
        problem("reference", "no `reference` folder given", "reference: data/raw/reference")
    else:
        folder = root / reference
        missing = [f for f in REFERENCE_FILES if not (folder / f).is_file()]
        if missing:
            problem(
                "reference",
                f"'{reference}' does not hold the reference tables ({', '.join(missing)} missing)",
                "a folder with " + ", ".join(REFERENCE_FILES) + " (data/raw/reference)",
            )
    sources = config.get("sources")
    if not isinstance(sources, dict) or not sources:
        problem("sources", "the config names no sources", "a `sources:` mapping, each source with `inputs: {kind: …}`")
        raise ConfigError(problems)
    regions = known_regions(config, report_dir or root / "report")
    for source_id, source in sources.items():
        _check_source(str(source_id), source, root, regions, problem)
    if region != "all":
        configured = sorted({s.get("region") for s in sources.values() if isinstance(s, dict)} - {None}, key=str)
        available = editions(report_dir or root / "report")
        if region not in available:
            problem(
                "REGION",
                f"there is no regional edition '{region}'{_did_you_mean(region, available)}",
                "REGION=all or one of " + ", ".join(available),
            )
        elif region not in configured:
            problem(
                "REGION",
                f"no source of the config has region '{region}'",
                "REGION=all or a region of the config: " + ", ".join(map(str, configured)),
            )
    if problems:
        raise ConfigError(problems)
    return config


def _check_report(report, problem) -> None:
    if not isinstance(report, dict):
        problem("report", "no `report:` with the title page", "report: {title, subtitle, version, authors}")
        return
    _check_keys(report, REPORT_KEYS, "report.", problem)
    for key in (k for k, required in REPORT_KEYS.items() if required and k != "authors"):
        if key not in report:
            problem(f"report.{key}", f"`{key}` is missing", f"report.{key}: a text")
        elif not isinstance(report[key], (str, int, float)) or isinstance(report[key], bool):
            problem(f"report.{key}", f"`{key}` is not a text", f"report.{key}: a text")
    authors = report.get("authors")
    if not isinstance(authors, list) or not authors:
        problem("report.authors", "no authors", "authors: a list of {name: …, affiliation: …}")
        return
    for number, author in enumerate(authors, start=1):
        if not isinstance(author, dict) or not isinstance(author.get("name"), str) or not author["name"].strip():
            problem(f"report.authors[{number}]", "an author without `name`", "{name: …, affiliation: …}")
            continue
        _check_keys(author, AUTHOR_KEYS, f"report.authors[{number}].", problem)


def _check_source(source_id: str, source, root: Path, regions, problem) -> None:
    from . import design
    from . import sources as sources_module

    where = f"sources.{source_id}"
    if not source_id.replace("_", "").isalnum() or not source_id.isascii():
        problem(
            where,
            f"the source id '{source_id}' has characters other than a–z, 0–9 and _",
            "a short id such as uppsala_2024",
        )
    if not isinstance(source, dict):
        problem(where, "the source is not a mapping of keys", "title, region, area, year, design, inputs")
        return
    _check_keys(source, SOURCE_KEYS, f"{where}.", problem)
    for key, required in SOURCE_KEYS.items():
        if required and key not in source:
            problem(
                f"{where}.{key}",
                f"`{key}` is missing",
                f"{key}: …  (every source has " + ", ".join(k for k, r in SOURCE_KEYS.items() if r) + ")",
            )
    region = source.get("region")
    presentation = source.get("presentation")
    if presentation and "region" in source and region not in regions:  # without: in the combined sections only
        problem(
            f"{where}.region",
            f"unknown region '{region}'{_did_you_mean(region, regions)}",
            "a region with section templates (report/text/<locale>/<region>.yml)",
        )
    if presentation:
        from .sections import kind_problem

        kind = presentation.get("kind") if isinstance(presentation, dict) else None
        wrong = kind_problem(source_id, kind)
        if wrong:
            problem(wrong.file, wrong.message, wrong.expected)
    if "design" in source and source["design"] not in design.DESIGNS:
        problem(
            f"{where}.design",
            f"unknown design '{source['design']}'{_did_you_mean(source['design'], design.DESIGNS)}",
            "one of " + ", ".join(design.DESIGNS),
        )
    overrides = source.get("design_by_indicator")
    if overrides is not None:
        if not isinstance(overrides, dict):
            problem(f"{where}.design_by_indicator", "not a mapping", "{indicator id: design}")
        else:
            for indicator, value in overrides.items():
                if value not in design.DESIGNS:
                    problem(
                        f"{where}.design_by_indicator.{indicator}",
                        f"unknown design '{value}'{_did_you_mean(value, design.DESIGNS)}",
                        "one of " + ", ".join(design.DESIGNS),
                    )
    if "year" in source:
        year, last = source["year"], dt.date.today().year + 1
        if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= last:
            problem(f"{where}.year", f"'{year}' is not a year", f"a year such as 2019 ({FIRST_YEAR}–{last})")
    if "area" in source and (not isinstance(source["area"], str) or not source["area"].strip()):
        problem(
            f"{where}.area",
            "`area` is not a text",
            "the county or area the source covers, e.g. a county's name as in kommuner.csv",
        )
    outside = source.get("units_outside_area", "refuse")
    if outside not in OUTSIDE_AREA:
        problem(
            f"{where}.units_outside_area",
            f"'{outside}' is not one of {', '.join(OUTSIDE_AREA)}",
            "units_outside_area: accept (only when a census really includes units of another county)",
        )
    if "inputs" not in source:
        return
    try:
        inputs = sources_module.parse_inputs(source_id, source, root)
    except Exception as error:  # a ConfigError: its problems, named as ours
        for p in getattr(error, "problems", []):
            problem(f"{where}.inputs", p.message, p.expected)
        if not getattr(error, "problems", None):
            raise
        return
    for key in sources_module.PATH_KEYS:
        if not inputs.get(key):
            continue
        target = Path(inputs[key])
        if key == "dir" and not target.is_dir():
            problem(
                f"{where}.inputs.{key}",
                f"the folder '{source['inputs'][key]}' does not exist" + _did_you_mean(target.name, _siblings(target)),
                "a folder with the source's CSV files and codebook.csv",
            )
        elif key != "dir" and not target.is_file():
            what = "is a folder, not a file" if target.is_dir() else "does not exist"
            problem(
                f"{where}.inputs.{key}",
                f"the file '{source['inputs'][key]}' {what}" + _did_you_mean(target.name, _siblings(target)),
                "a .csv or .xlsx file (path relative to the project)",
            )


def _siblings(path: Path) -> list[str]:
    return [p.name for p in path.parent.iterdir()] if path.parent.is_dir() else []


def configured_regions(config: dict) -> list[str]:
    return sorted({s["region"] for s in config["sources"].values()})


def validate_config(config_path: Path, root: Path, reference: Path | None = None, region: str = "all") -> str:
    """The whole config checked (`config_check`, the same check the build runs first), then every
    input it names (and its reference tables) validated; the one-line summary."""
    from . import sources
    from .validate import Collector, _thousands, municipality_index, validate_folder

    config_path = Path(config_path)
    config = check_config(config_path, root, region)
    reference = Path(reference) if reference else Path(root) / config.get("reference", sources.DEFAULT_REFERENCE)
    index = municipality_index(reference, root)
    collector = Collector()
    checked = [collector.run(validate_folder, reference, None, index, root)]
    for source_id, source_config in config["sources"].items():
        checked.append(collector.run(sources.load_checked, source_id, source_config, root, reference))
    collector.raise_if_any()
    tables = sum(len(c.tables) for c in checked)
    rows = sum(c.rows for c in checked)
    count = len(config["sources"])
    return (
        f"OK: {count} source{'s' if count != 1 else ''} and the reference tables, {tables} tables, "
        f"{_thousands(rows)} rows checked ({config_path})"
    )


def run_cli(args) -> int:
    """`python -m analysis validate …`: 0 and a summary when valid, 1 and every problem when not.
    (Here, not in validate.py: the notebooks import validate.py, and the config check imports the
    report's sections, which must not become a notebook's prerequisite.)"""
    import sys

    from .validate import describe_failure, validate_path

    root = Path(args.root)
    try:
        if args.config:
            summary = validate_config(Path(args.config), root, args.reference, getattr(args, "region", "all") or "all")
        else:
            summary = validate_path(
                Path(args.path),
                args.kind,
                args.codebook and Path(args.codebook),
                args.sheet,
                args.unit_column,
                args.reference,
                root,
            )
    except InputError as error:
        print(describe_failure(error), file=sys.stderr)
        return 1
    print(summary)
    return 0
