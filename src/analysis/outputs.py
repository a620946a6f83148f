"""Which build step wrote which output, and removing the outputs nothing writes any more.

Every output goes through `io.write_bytes_atomic`, which records its path while a step runs
`recording(step, target)` (the notebooks and the presentation step do): build/writes/<step>.txt
lists what the step wrote in its last successful run, and build/writes/<step>.previous what
earlier runs wrote besides.

What a step writes is declared to Make the same way for every step: build/writes/<step>.mk
(written with the .txt, included by the Makefile) makes each output a prerequisite of the file
Make runs the step for (`target`: the executed notebook; for the presentation step its own
record, build/writes/present.txt), with an empty recipe. An output that is missing (deleted) or
newer than that file (edited by hand) therefore reruns its step — and what depends on the step —
and nothing else; an output the step has written since keeps the step up to date.

`prune(config)` runs after the notebooks and the presentation step and before the appendix and
the manifest are made: an output written by the notebook of a region that is no longer in the
config, or by an earlier run of a step that no longer writes it (a source taken out of a region; a
figure or table the presentation step no longer makes), and written by no current step, is
removed — it would otherwise stay in data/processed and report/_generated, be listed in the
appendix and the manifest, or be shown in the report. So are a removed figure's static PNG, a
removed region's folder under data/processed/regions/ and its executed notebook. Only recorded
outputs under data/processed and report/_generated are ever removed: files no step recorded (the
assembly's appendix tables, metadata and PNGs, a county mapping's folder) stay.
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from . import paths
from .deps import make_escape
from .io import WRITE_LOG

NOTEBOOK_STEPS = ("combined",)  # besides region-<region>


def writes_dir(build_dir: Path = paths.BUILD) -> Path:
    return Path(build_dir) / "writes"


def _lines(path: Path) -> set[str]:
    """The paths in a record, one a line (a path may hold spaces)."""
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line} if path.exists() else set()


def make_rules(target: Path, written: set[str], root: Path = paths.ROOT) -> str:
    """Make syntax: every output in `written` a prerequisite of `target`, each with an empty recipe
    (a missing output is remade by rerunning the step). Paths relative to `root` where inside it."""

    def name(path) -> str:
        path, base = Path(path).resolve(), Path(root).resolve()
        return make_escape(str(path.relative_to(base)) if path.is_relative_to(base) else str(path))

    names = " \\\n  ".join(name(p) for p in sorted(written))
    head = (
        f"# written by analysis.outputs.recording: the outputs of the step Make runs for {name(target)} (do not edit)\n"
    )
    if not written:
        return head
    return f"{head}{name(target)}: \\\n  {names}\n\n{names}: ;\n"


@contextmanager
def recording(step: str, build_dir: Path = paths.BUILD, target: Path | None = None):
    """Record every output written inside the block as build/writes/<step>.txt (on success), and,
    with a `target` (the file Make runs the step for), declare them to Make in build/writes/<step>.mk."""
    folder = writes_dir(build_dir)
    folder.mkdir(parents=True, exist_ok=True)
    log, previous, partial = (folder / f"{step}{suffix}" for suffix in (".txt", ".previous", ".partial"))
    partial.write_text("", encoding="utf-8")
    before = os.environ.get(WRITE_LOG)
    os.environ[WRITE_LOG] = str(partial)
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    else:
        earlier = _lines(log) | _lines(previous)
        written = _lines(partial)
        if earlier - written:
            previous.write_text("".join(f"{p}\n" for p in sorted(earlier - written)), encoding="utf-8")
        else:
            previous.unlink(missing_ok=True)
        if target is not None:
            rules = folder / f"{step}.mk"
            rules.with_suffix(".mk.tmp").write_text(make_rules(target, written), encoding="utf-8")
            os.replace(rules.with_suffix(".mk.tmp"), rules)
        partial.write_text("".join(f"{p}\n" for p in sorted(written)), encoding="utf-8")
        os.replace(partial, log)
    finally:
        if before is None:
            os.environ.pop(WRITE_LOG, None)
        else:
            os.environ[WRITE_LOG] = before


@contextmanager
def paused():
    """Record nothing inside the block (e.g. a step's scratch files, only the final outputs count)."""
    before = os.environ.pop(WRITE_LOG, None)
    try:
        yield
    finally:
        if before is not None:
            os.environ[WRITE_LOG] = before


def current_steps(config: dict) -> set[str]:
    return {f"region-{s['region']}" for s in config["sources"].values()} | set(NOTEBOOK_STEPS)


def prune(
    config_path: Path,
    root: Path = paths.ROOT,
    processed_dir: Path | None = None,
    assets_dir: Path | None = None,
    exec_dir: Path | None = None,
) -> list[str]:
    """Remove the outputs no current step writes (see the module docstring); their paths, relative to root."""
    import yaml

    root = Path(root)
    config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8"))
    processed = Path(processed_dir or root / "data" / "processed").resolve()
    assets = Path(assets_dir or root / "report" / "_generated").resolve()
    executed = Path(exec_dir or root / "build" / "notebooks")
    folder = writes_dir(root / "build")
    steps = current_steps(config)
    keep, candidates = set(), set()
    for log in sorted(folder.glob("*.txt")):
        # a region no longer in the config: its outputs go; any other step (e.g. one that builds
        # report/_generated from data/processed) is current
        removed_region = log.stem.startswith("region-") and log.stem not in steps
        (candidates if removed_region else keep).update(_lines(log))
    for log in sorted(folder.glob("*.previous")):
        # what a current step wrote before and writes no more (a notebook's processed table, the
        # presentation step's figure, table or variables of something no longer shown): removed
        # unless a current step writes it now (`keep`); a file the assembly writes after this step
        # (e.g. an appendix table once written by the presentation step) is made again by it
        candidates |= {p for p in _lines(log) if Path(p).is_relative_to(processed) or Path(p).is_relative_to(assets)}
    removed = []

    def remove(path: Path) -> None:
        if path.is_file():
            path.unlink()
            removed.append(str(path.relative_to(root.resolve())) if path.is_relative_to(root.resolve()) else str(path))

    for name in sorted(candidates - keep):
        path = Path(name)
        if not (path.is_relative_to(processed) or path.is_relative_to(assets)):
            continue  # only outputs are ever removed
        remove(path)
        if path.suffix == ".json" and path.parent == assets:
            remove(path.with_suffix(".png"))  # the static export of a removed figure
    regions = {s["region"] for s in config["sources"].values()}
    region_root = processed / "regions"
    if region_root.is_dir():
        for directory in sorted(region_root.iterdir()):
            if directory.is_dir() and directory.name not in regions:
                for file in sorted(directory.rglob("*")):
                    remove(file)
                shutil.rmtree(directory, ignore_errors=True)
    for notebook in sorted(executed.glob("region-*.ipynb")):
        if notebook.name.removesuffix(".failed.ipynb").removesuffix(".ipynb") not in steps:
            remove(notebook.resolve())
    for log in list(folder.glob("*.txt")) + list(folder.glob("*.previous")) + list(folder.glob("*.mk")):
        if log.suffix == ".previous" or (log.stem.startswith("region-") and log.stem not in steps):
            log.unlink()
    return removed
