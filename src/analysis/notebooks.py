"""Run a parameterised notebook with papermill into the build folder, never back into notebooks/."""

from pathlib import Path

import nbformat
import papermill

from . import paths
from .io import write_text_atomic

VOLATILE_METADATA = ("execution", "papermill")


def parse_parameters(pairs: list[str]) -> dict:
    """['raw_dir=data/raw/x', 'region=all'] → {'raw_dir': 'data/raw/x', 'region': 'all'}"""
    parameters = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.isidentifier():
            raise ValueError(f"notebook parameter {pair!r} is not of the form name=value")
        parameters[key] = value
    return parameters


def normalise(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what differs between two identical runs: timings, kernel/papermill run metadata, and
    the random id papermill gives the cell it injects with the parameters."""
    notebook.metadata.pop("papermill", None)
    for index, cell in enumerate(notebook.cells):
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
        if "id" in cell:
            cell["id"] = f"cell-{index}"
    return notebook


def run(source: Path, target: Path, parameters: dict) -> Path:
    """Execute `source` with `parameters` (cwd = project root) and store it normalised at `target`.
    On failure papermill's partial notebook (with the error marked) is kept beside the target as
    `<name>.failed.ipynb` for inspection (the error's `failed_notebook`), and the previous target
    is left untouched. Every file the notebook writes is recorded (`outputs.recording`), so that
    outputs it no longer writes can be removed, and declared to Make as the target's outputs (a
    deleted one reruns the notebook)."""
    from . import outputs

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    failed = target.with_suffix(".failed.ipynb")
    failed.unlink(missing_ok=True)
    with outputs.recording(target.stem, target=target):
        try:
            executed = papermill.execute_notebook(
                str(source),
                str(failed),
                parameters=parameters,
                cwd=str(paths.ROOT),
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
            )
        except Exception as error:
            error.failed_notebook = failed
            raise
    write_text_atomic(target, nbformat.writes(normalise(executed)))
    target.touch()  # a Make target: newer than its inputs even when its content did not change
    failed.unlink(missing_ok=True)
    return target
