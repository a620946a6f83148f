"""Command line: python -m analysis <command> …  (the Makefile calls these)."""
import argparse
import sys
from pathlib import Path

from . import paths


def cmd_notebook(args) -> None:
    from . import notebooks

    notebooks.run(Path(args.source), Path(args.target), notebooks.parse_parameters(args.parameters))


def cmd_assemble(args) -> None:
    from . import assemble

    assemble.assemble(Path(args.config), build_date=args.build_date)


def cmd_render(args) -> None:
    from . import render

    render.render(Path(args.document), args.stem, formats=tuple(args.formats.split(",")),
                  force_fallback=args.fallback)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("notebook", help="run a notebook with papermill into the build folder")
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("parameters", nargs="*", help="name=value")
    p.set_defaults(func=cmd_notebook)

    p = sub.add_parser("assemble", help="report assets: plotly.js header, static PNGs, variables, metadata")
    p.add_argument("--config", default=str(paths.ROOT / "config" / "default.yml"))
    p.add_argument("--build-date", required=True)
    p.set_defaults(func=cmd_assemble)

    p = sub.add_parser("render", help="render the report (Quarto, or pandoc + Typst when Quarto is missing)")
    p.add_argument("document")
    p.add_argument("--stem", required=True, help="output file name without extension")
    p.add_argument("--formats", default="html,pdf")
    p.add_argument("--fallback", action="store_true", help="use pandoc + Typst even if Quarto is installed")
    p.set_defaults(func=cmd_render)

    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
