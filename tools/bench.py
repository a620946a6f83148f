"""`make bench`: how long the build takes on this machine, and what the floor is.

Not part of the `analysis` package (a tool of the repository). In a temporary copy of the project
(installation excluded: the existing venv is used) it times
  1. the cold full build (`make report`, nothing built yet; notebooks in parallel on every core),
     and the same with JOBS=1 (one step at a time);
  2. the no-op rebuild;
  3. one region's raw data changed (a raw file of the first regional source touched);
  4. a presentation-code change (src/analysis/figures.py touched) and a text change (one report
     section touched);
  5. the national-size run (tools/scale.py: 290 municipalities × 60 indicators × 10 years and
     100 000 follow-up records through the pipeline's functions);
  6. the floor the build cannot go below: a Jupyter kernel's start, the imports of pandas, plotly,
     statsmodels and pandera, Chromium's start, a small Typst compile and a small pandoc run;
with wall time and peak memory (largest process, GNU time's %M), and where the time goes (the
`[tid]` step lines of the build). Results are printed and saved to build/bench/.
The machine may be shared: the floor is measured in the same run, so the ratios stay meaningful.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from analysis import paths, static_images, timing, verify
from analysis.io import write_text_atomic

GNU_TIME = "/usr/bin/time"
BUILDS = {
    "cold_full_build": "Cold full build (make report, notebooks in parallel)",
    "cold_full_build_serial": "Cold full build, one step at a time (JOBS=1)",
    "noop_rebuild": "No-op rebuild",
    "one_region_rebuild": "One region's raw data changed",
    "figure_code_change": "Presentation code changed (figures.py)",
    "text_change": "Report text changed (one section .qmd)",
    "national_size_run": "National size (290 × 60 × 10 + 100 000 records)",
}
FLOOR = {
    "kernel_start": (
        "Jupyter kernel start and stop",
        "from jupyter_client.manager import start_new_kernel\n"
        "km, kc = start_new_kernel(kernel_name='python3'); kc.stop_channels(); km.shutdown_kernel(now=True)",
    ),
    "imports": (
        "import pandas, plotly, statsmodels, pandera",
        "import pandas, plotly.graph_objects, statsmodels.api, pandera",
    ),
    "typst": (
        "Typst: compile a one-line document",
        "import pathlib, tempfile, typst\n"
        "d = pathlib.Path(tempfile.mkdtemp()); (d / 'a.typ').write_text('Hej')\n"
        "typst.compile(str(d / 'a.typ'), output=str(d / 'a.pdf'))",
    ),
    "pandoc": (
        "pandoc: convert one line to HTML",
        "import pypandoc; pypandoc.convert_text('Hej', 'html', format='md')",
    ),
}


def timed(cmd: list[str], cwd: Path) -> dict:
    """Run `cmd`; wall seconds, peak RSS (MB) of the largest process, and the step timings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        result = subprocess.run(
            [GNU_TIME, "-o", out.name, "-f", "%e %M", *cmd], cwd=cwd, env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
            )
        seconds, kilobytes = Path(out.name).read_text().split()[-2:]
    return {"seconds": float(seconds), "peak_mb": round(int(kilobytes) / 1024), "steps": timing.parse(result.stderr)}


def regional_raw_file(project: Path) -> Path:
    """A raw file of the first configured source that belongs to a region (not national)."""
    config = yaml.safe_load((project / "config" / "default.yml").read_text(encoding="utf-8"))
    for source in config["sources"].values():
        folder = source["inputs"].get("dir")
        if source["region"] != "national" and folder:
            return sorted((project / folder).glob("*.csv"))[0]
    raise RuntimeError("no regional source with a data folder in config/default.yml")


def floor(venv: Path) -> dict:
    python = str(venv / "bin" / "python")
    out = {name: timed([python, "-c", code], paths.ROOT) for name, (_, code) in FLOOR.items()}
    browser = static_images.find_browser()
    if browser:
        out["chromium"] = timed(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "about:blank"], paths.ROOT
        )
    return out


def run(venv: Path) -> dict:
    make = ["make", "report", f"VENV={venv}", "BUILD_DATE=2026-01-01"]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        project = verify.copy_project(paths.ROOT, Path(tmp) / "project")
        results = {"cold_full_build": timed(make, project)}
        results["noop_rebuild"] = timed(make, project)
        regional_raw_file(project).touch()
        results["one_region_rebuild"] = timed(make, project)
        (project / "src/analysis/figures.py").touch()
        results["figure_code_change"] = timed(make, project)
        sorted((project / "report/sections").glob("*.qmd"))[0].touch()
        results["text_change"] = timed(make, project)
        serial = verify.copy_project(paths.ROOT, Path(tmp) / "serial")
        results["cold_full_build_serial"] = timed([*make, "JOBS=1"], serial)
        results["national_size_run"] = timed(
            [str(venv / "bin" / "python"), str(project / "tools" / "scale.py"), str(Path(tmp) / "scale")], project
        )
    results["floor"] = floor(venv)
    results["machine"] = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average": os.getloadavg(),
    }
    return results


def summary(results: dict) -> str:
    lines = ["| measurement | time (s) | peak memory (MB) |", "|:--|--:|--:|"]
    for key, name in BUILDS.items():
        if key in results:
            lines.append(f"| {name} | {results[key]['seconds']:.1f} | {results[key]['peak_mb']} |")
    ratio = results["national_size_run"]["seconds"] / results["cold_full_build"]["seconds"]
    lines += ["", f"National-size run / cold build: {ratio:.2f}× (goal: under 3×).", ""]
    if results.get("floor"):
        lines += ["The floor (each measured alone, same run):", ""]
        names = {**{k: v[0] for k, v in FLOOR.items()}, "chromium": "Chromium: headless start, blank page"}
        lines += [f"- {names[key]}: {value['seconds']:.1f} s" for key, value in results["floor"].items()]
        lines.append("")
    lines += ["Where the cold build's time goes (steps):", ""]
    lines += [f"- {name}: {seconds:.1f} s" for name, seconds in results["cold_full_build"]["steps"]]
    for key in ("one_region_rebuild", "figure_code_change", "text_change"):
        if key in results:
            lines += [
                "",
                f"Steps rerun ({BUILDS[key]}): " + (", ".join(name for name, _ in results[key]["steps"]) or "none"),
            ]
    machine = results["machine"]
    lines += [
        "",
        f"Machine: {machine['cores']} cores, Python {machine['python']}, {machine['system']}"
        + (f", load average {machine['load_average'][0]:.1f} at the end" if "load_average" in machine else "")
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/bench.py")
    parser.add_argument("--venv", required=True)
    parser.add_argument("--out", default=str(paths.BUILD / "bench"))
    parser.add_argument("--floor-only", action="store_true", help="measure only the floor components")
    args = parser.parse_args(argv)
    venv = Path(args.venv).resolve()
    if args.floor_only:
        results = {"floor": floor(venv)}
        print(json.dumps(results, indent=2))
        return 0
    results = run(venv)
    text = summary(results)
    write_text_atomic(Path(args.out) / "bench.json", json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_text_atomic(Path(args.out) / "bench.md", text)
    print(text)
    print(f"Saved: {args.out}/bench.json and bench.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
