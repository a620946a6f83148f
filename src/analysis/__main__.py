"""Command line: python -m analysis <command> …  (the Makefile calls these)."""

import argparse
import sys
from pathlib import Path

from . import paths, steps, timing


def cmd_notebook(args) -> None:
    from . import notebooks

    notebooks.run(Path(args.source), Path(args.target), notebooks.parse_parameters(args.parameters))


def cmd_build(args) -> int:
    from . import build

    return build.main(args.rest)


def cmd_prune(args) -> None:
    from . import outputs

    removed = outputs.prune(Path(args.config), paths.ROOT)
    if removed:
        print(
            f"Removed {len(removed)} outputs no step writes any more: "
            + ", ".join(removed[:8])
            + (" …" if len(removed) > 8 else "")
        )


def cmd_assemble(args) -> None:
    from . import assemble

    assemble.assemble(Path(args.config), build_date=args.build_date, document=args.document)


def cmd_render(args) -> None:
    from . import render

    render.render(Path(args.document), args.stem, formats=tuple(args.formats.split(",")), force_fallback=args.fallback)


def cmd_present(args) -> None:
    from . import outputs, pipeline, present

    config = pipeline.load_config(Path(args.config))
    build_dir = Path(args.build_dir)
    if args.section:  # some sections only: not the step Make runs, nothing recorded
        written = present.present(config, args.section, Path(args.processed_dir), Path(args.assets_dir))
    else:
        # what the step writes is recorded (build/writes/present.txt, which is also the file Make
        # runs the step for; build/writes/present.mk declares the outputs), so that `prune` keeps
        # them and a deleted one is rebuilt
        record = outputs.writes_dir(build_dir) / "present.txt"
        with outputs.recording("present", build_dir, target=record):
            written = present.present(config, None, Path(args.processed_dir), Path(args.assets_dir))
    print(f"Presentation: {len(written)} files in {args.assets_dir}")


def cmd_validate(args) -> int:
    from . import config_check
    from .mapping import config as mapping_config

    if args.config and mapping_config.is_mapping_config(Path(args.config)):
        return cmd_mapping_validate(args)
    return config_check.run_cli(args)


def cmd_mapping_validate(args) -> int:
    from .input_errors import InputError
    from .mapping import build

    try:
        print(build.validate(Path(args.config), Path(args.root).resolve()))
    except InputError as error:
        print(f"Not OK: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_new_mapping(args) -> int:
    from .input_errors import InputError
    from .mapping import new

    try:
        new.new_mapping(
            args.county,
            int(args.year),
            Path(args.survey),
            Path(args.coding) if args.coding else None,
            Path(args.codes) if args.codes else None,
            sheet=args.sheet,
            force=args.force,
        )
    except InputError as error:
        print(f"new-mapping: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_mapping_report(args) -> None:
    from .mapping import build

    build.report(Path(args.config), args.build_date)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("notebook", help="run a notebook with papermill into the build folder")
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("parameters", nargs="*", help="name=value")
    p.set_defaults(func=cmd_notebook)

    p = sub.add_parser(
        "build", help="the build behind `make report`: lock, checks, Make, roll back on failure", add_help=False
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "prune",
        help="remove outputs no current step writes (removed regions and sources, figures and tables no longer made)",
    )
    p.add_argument("--config", required=True)
    p.set_defaults(func=cmd_prune)

    p = sub.add_parser("assemble", help="report assets: plotly.js header, static PNGs, variables, metadata")
    p.add_argument("--config", default=str(paths.ROOT / "config" / "default.yml"))
    p.add_argument("--build-date", required=True)
    p.add_argument("--document", help="the edition (.qmd in report/) whose numbers Bilaga B lists; default: all")
    p.set_defaults(func=cmd_assemble)

    p = sub.add_parser("present", help="the report's figures, tables and numbers from data/processed (no notebook)")
    p.add_argument("--config", default=str(paths.ROOT / "config" / "default.yml"))
    p.add_argument("--section", action="append", help="a section (repeatable; default: every section)")
    p.add_argument("--processed-dir", default=str(paths.PROCESSED))
    p.add_argument("--assets-dir", default=str(paths.ASSETS))
    p.add_argument("--build-dir", default=str(paths.BUILD), help="where the step's record goes (writes/present.*)")
    p.set_defaults(func=cmd_present)

    p = sub.add_parser("render", help="render the report (Quarto, or pandoc + Typst when Quarto is missing)")
    p.add_argument("document")
    p.add_argument("--stem", required=True, help="output file name without extension")
    p.add_argument("--formats", default="html,pdf")
    p.add_argument("--fallback", action="store_true", help="use pandoc + Typst even if Quarto is installed")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("validate", help="check input files (or every input of a config); builds and writes nothing")
    p.add_argument("path", nargs="?", help="a file (.csv/.xlsx) or a folder with codebook.csv")
    p.add_argument("--config", help="validate every input the config names (e.g. config/default.yml)")
    p.add_argument(
        "--kind",
        choices=["published", "survey_microdata", "coding_sheet"],
        default="published",
        help="what `path` is (default: published table or folder)",
    )
    p.add_argument(
        "--codebook", help="published: codebook.csv; survey_microdata: the survey codebook; coding_sheet: the code list"
    )
    p.add_argument("--sheet", help="worksheet of a .xlsx file (default: the first)")
    p.add_argument("--unit-column", help="column with the municipality/district names (default: the first)")
    p.add_argument("--reference", help="reference tables (default: the config's `reference`, or data/raw/reference)")
    p.add_argument("--root", default=".", help="folder the config's paths are relative to (default: current folder)")
    p.add_argument("--region", default="all", help="with --config: the edition to check for (default: all)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("new-mapping", help="a county mapping: config + draft survey codebook from a survey export")
    p.add_argument("--county", required=True, help="the county: its name as in kommuner.csv, or its two-digit code")
    p.add_argument("--year", required=True, help="the survey year")
    p.add_argument("--survey", required=True, help="the survey tool's export (.xlsx or .csv)")
    p.add_argument("--coding", help="the interview coding sheet (matrix or theme cells)")
    p.add_argument("--codes", help="an optional code list (kod, beskrivning) for the coding sheet")
    p.add_argument("--sheet", help="worksheet of the export (default: the first)")
    p.add_argument("--force", action="store_true", help="overwrite an existing mapping")
    p.set_defaults(func=cmd_new_mapping)

    p = sub.add_parser("mapping-report", help="a county mapping's report from its computed tables")
    p.add_argument("--config", required=True)
    p.add_argument("--build-date", required=True)
    p.set_defaults(func=cmd_mapping_report)

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["build"]:  # everything after `build` is the build's own (its Make command line)
        from . import build

        return build.main(argv[1:])
    args = parser.parse_args(argv)
    if args.command == "validate" and not (args.path or args.config):
        parser.error("validate needs a file or folder, or --config")
    if args.command in ("validate", "new-mapping"):
        return args.func(args) or 0
    name = f"{args.command} {step_name(args)}".strip()
    with steps.reported(name):
        with timing.step(name):  # `make bench` reads these lines
            return args.func(args) or 0


def step_name(args) -> str:
    if args.command == "notebook":
        return Path(args.target).stem
    if args.command == "render":
        return args.stem
    return ""


if __name__ == "__main__":
    sys.exit(main())
