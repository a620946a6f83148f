"""`make bench`: how long the build takes on this machine, and how cost grows with data.

In a temporary copy of the project (installation excluded: the existing venv is used) it times
  1. the cold full build (`make report`, nothing built yet; notebooks in parallel on every core),
     and the same with JOBS=1 (one step at a time);
  2. the no-op rebuild;
  3. a one-region incremental rebuild (one raw file of Sörmland touched);
  4. the national-size run (analysis.scale: 290 municipalities × 60 indicators × 10 years and
     100 000 follow-up records through the pipeline's functions);
with wall time and peak memory (largest process, GNU time's %M), and where the time goes (the
`[tid]` step lines of the build). Results are printed and saved to build/bench/.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from . import paths, timing, verify
from .io import write_text_atomic

GNU_TIME = "/usr/bin/time"


def timed(cmd: list[str], cwd: Path) -> dict:
    """Run `cmd`; wall seconds, peak RSS (MB) of the largest process, and the step timings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        result = subprocess.run([GNU_TIME, "-o", out.name, "-f", "%e %M", *cmd], cwd=cwd, env=env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        seconds, kilobytes = Path(out.name).read_text().split()[-2:]
    return {"seconds": float(seconds), "peak_mb": round(int(kilobytes) / 1024), "steps": timing.parse(result.stderr)}


def run(venv: Path) -> dict:
    make = ["make", "report", f"VENV={venv}", "BUILD_DATE=2026-01-01"]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        project = verify.copy_project(paths.ROOT, Path(tmp) / "project")
        results = {"cold_full_build": timed(make, project)}
        results["noop_rebuild"] = timed(make, project)
        (project / "data/raw/sormland_2019/counts.csv").touch()
        results["one_region_rebuild"] = timed(make, project)
        serial = verify.copy_project(paths.ROOT, Path(tmp) / "serial")
        results["cold_full_build_serial"] = timed([*make, "JOBS=1"], serial)
        results["national_size_run"] = timed([str(venv / "bin" / "python"), "-m", "analysis.scale", str(Path(tmp) / "scale")],
                                             project)
    results["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}
    return results


def summary(results: dict) -> str:
    names = {"cold_full_build": "Kall fullständig byggning (make report, parallellt)",
             "cold_full_build_serial": "Kall fullständig byggning, ett steg i taget (JOBS=1)",
             "noop_rebuild": "Ombyggnad utan ändringar",
             "one_region_rebuild": "En regions rådata ändrad (Sörmland)",
             "national_size_run": "Nationell storlek (290 × 60 × 10 + 100 000 poster)"}
    lines = ["| Mätning | Tid (s) | Minnestopp (MB) |", "|:--|--:|--:|"]
    for key, name in names.items():
        lines.append(f"| {name} | {results[key]['seconds']:.1f} | {results[key]['peak_mb']} |")
    ratio = results["national_size_run"]["seconds"] / results["cold_full_build"]["seconds"]
    lines += ["", f"National-size run / cold build: {ratio:.2f}× (goal: under 3×).", "",
              "Where the cold build's time goes (steps):", ""]
    lines += [f"- {name}: {seconds:.1f} s" for name, seconds in results["cold_full_build"]["steps"]]
    lines += ["", "Steps rerun after touching one Sörmland raw file: "
              + ", ".join(name for name, _ in results["one_region_rebuild"]["steps"])]
    machine = results["machine"]
    lines += ["", f"Machine: {machine['cores']} cores, Python {machine['python']}, {machine['system']}."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.bench")
    parser.add_argument("--venv", required=True)
    parser.add_argument("--out", default=str(paths.BUILD / "bench"))
    args = parser.parse_args(argv)
    results = run(Path(args.venv).resolve())
    text = summary(results)
    write_text_atomic(Path(args.out) / "bench.json", json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_text_atomic(Path(args.out) / "bench.md", text)
    print(text)
    print(f"Saved: {args.out}/bench.json and bench.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
