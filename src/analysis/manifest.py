"""The build manifest: sha256 of every input, processed output and rendered file, package
versions, the config and the git commit.

Written in two steps: `inputs_manifest` before rendering (the report's reproducibility appendix
shows it) and `complete` after rendering, which adds the rendered files and the renderer and
writes report/_output/manifest.json. `compare` tells two manifests apart (used by `make verify`).
"""

import hashlib
import json
import platform
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import yaml

from . import deps, paths, texts
from .io import write_text_atomic

HASHED_PROCESSED = ("*.csv",)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hashes(files, root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(Path(f).resolve() for f in files):
        key = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        out[key] = sha256(path)
    return out


def git_commit(root: Path) -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return commit + (texts.get("manifest", "git.changed") if dirty else "")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return texts.get("manifest", "git.unknown")


def package_versions(root: Path) -> dict[str, str]:
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    names = [deps_name(r) for r in pyproject["project"]["dependencies"]]
    versions = {"python": platform.python_version()}
    for name in sorted(names):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "saknas"
    return versions


def deps_name(requirement: str) -> str:
    for sep in "<>=!~ ;[":
        requirement = requirement.split(sep)[0]
    return requirement.strip()


def input_files(config: dict, root: Path) -> list[Path]:
    files = [p for source in config["sources"].values() for p in deps.source_inputs(source, root)]
    files += sorted((root / config["reference"]).glob("*.csv"))
    return files


def inputs_manifest(
    config_path: Path, build_date: str, renderer: str, root: Path = paths.ROOT, processed_dir: Path = paths.PROCESSED
) -> dict:
    config_path = Path(config_path)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    processed = sorted(
        p
        for pattern in HASHED_PROCESSED
        for p in Path(processed_dir).rglob(pattern)
        if "mappings" not in p.relative_to(processed_dir).parts
    )  # county mappings: their own manifests
    return {
        "build_date": build_date,
        "renderer": renderer,
        "git_commit": git_commit(root),
        "config": {"path": hashes([config_path], root), "content": config},
        "packages": package_versions(root),
        "inputs": hashes(input_files(config, root), root),
        "processed": hashes(processed, root),
        "notebooks": hashes(sorted((root / "build" / "notebooks").glob("*.ipynb")), root),
    }


INPUTS_MANIFEST = paths.BUILD / "manifest-inputs.json"


def dumps(manifest: dict) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_inputs_manifest(manifest: dict, target: Path = INPUTS_MANIFEST) -> Path:
    return write_text_atomic(target, dumps(manifest))


def manifest_path(stem: str, output_dir: Path = paths.OUTPUT) -> Path:
    return Path(output_dir) / f"{stem}.manifest.json"


def complete_build(
    stem: str,
    renderer: str,
    rendered: list[Path],
    inputs_manifest: Path = INPUTS_MANIFEST,
    output_dir: Path = paths.OUTPUT,
    root: Path = paths.ROOT,
) -> Path:
    """After rendering: the inputs manifest plus the renderer and the rendered files' hashes."""
    manifest = json.loads(Path(inputs_manifest).read_text(encoding="utf-8"))
    manifest = dict(manifest, renderer=renderer, rendered=hashes(rendered, root))
    return write_text_atomic(manifest_path(stem, output_dir), dumps(manifest))


def compare(expected: dict, actual: dict, sections=("inputs", "processed", "notebooks", "rendered")) -> list[str]:
    """Differences between two manifests, one line each (empty when they agree)."""
    problems = []
    for section in sections:
        mine, theirs = expected.get(section, {}), actual.get(section, {})
        for path in sorted(set(mine) | set(theirs)):
            if mine.get(path) != theirs.get(path):
                problems.append(f"{section}: {path}: {mine.get(path, 'saknas')} ≠ {theirs.get(path, 'saknas')}")
    return problems
