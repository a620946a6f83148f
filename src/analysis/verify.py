"""`make verify`: rebuild the report in a temporary copy and compare it with this build's manifest.

The copy holds the project's sources (with .git, so the commit is the same) but nothing built;
it is built with the same venv, config, edition and build date. Every input, processed table and
rendered file must have the same sha256.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import manifest, paths

BUILT = {".venv", "build", "_generated", "_output", ".pytest_cache", "__pycache__", ".quarto", "_variables.yml"}


def copy_project(root: Path, target: Path) -> Path:
    """A copy of the project without anything built (data/processed keeps only its README)."""
    root = Path(root)

    def ignore(folder, names):
        skip = {n for n in names if n in BUILT or n.endswith(".egg-info")}
        if Path(folder) == root / "data" / "processed":
            skip |= {n for n in names if n != "README.md"}
        return skip

    shutil.copytree(root, target, ignore=ignore, symlinks=True)
    return Path(target)


def make(project: Path, venv: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(["make", *args, f"VENV={venv}"], cwd=project, env=env, capture_output=True, text=True)


def verify(stem: str, config: str, region: str, venv: Path, root: Path = paths.ROOT) -> list[str]:
    """Rebuild in a temporary copy; return the differences (empty when identical)."""
    ours = json.loads(manifest.manifest_path(stem, root / "report" / "_output").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="verify-") as tmp:
        project = copy_project(root, Path(tmp) / "project")
        result = make(
            project, venv, "report", f"CONFIG={config}", f"REGION={region}", f"BUILD_DATE={ours['build_date']}"
        )
        if result.returncode != 0:
            return [f"the rebuild failed (exit {result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}"]
        theirs = json.loads(manifest.manifest_path(stem, project / "report" / "_output").read_text(encoding="utf-8"))
    problems = manifest.compare(ours, theirs)
    for key in ("config", "packages", "git_commit", "renderer"):
        if ours.get(key) != theirs.get(key):
            problems.append(f"{key}: {ours.get(key)} ≠ {theirs.get(key)}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.verify")
    parser.add_argument("--stem", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--region", default="all")
    parser.add_argument("--venv", required=True)
    args = parser.parse_args(argv)
    problems = verify(args.stem, args.config, args.region, Path(args.venv).resolve())
    if problems:
        print(f"verify: {len(problems)} difference(s) between this build and the rebuild:", file=sys.stderr)
        for line in problems:
            print("  " + line, file=sys.stderr)
        return 1
    ours = json.loads(manifest.manifest_path(args.stem).read_text(encoding="utf-8"))
    counts = {k: len(ours[k]) for k in ("inputs", "processed", "rendered")}
    print(
        f"verify: OK — the rebuild in a temporary copy matches the manifest "
        f"({counts['inputs']} inputs, {counts['processed']} processed tables, {counts['rendered']} rendered files)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
