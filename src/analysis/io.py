"""Reading raw tables and writing outputs atomically.

Raw files are only ever opened for reading. Every output is written to a temporary file in the
same folder and then renamed over the target, so a failed run never leaves a half-written file.
"""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd


def read_raw_csv(path: Path) -> pd.DataFrame:
    """Read a transcribed CSV from data/raw: every column as text first, so that codes such as
    kommunkod '0180' keep their zeros; numeric columns are converted by the caller's schema."""
    with open(path, encoding="utf-8", newline="") as handle:  # read-only
        return pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside `target`; rename it over `target` only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# While a build step runs, the file named here collects the path of every output it writes
# (see analysis.outputs): the outputs a step no longer writes can then be removed.
WRITE_LOG = "ANALYSIS_WRITE_LOG"


def record_output(target: Path) -> None:
    """Add `target` to the running step's record (see analysis.outputs); nothing outside a step."""
    log = os.environ.get(WRITE_LOG)
    if log:
        with open(log, "a", encoding="utf-8") as handle:  # one short line per write: appends stay whole
            handle.write(f"{Path(target).resolve()}\n")


def write_bytes_atomic(target: Path, data: bytes) -> Path:
    """Write atomically; a file that already holds exactly these bytes is left alone (its mtime
    too), so that steps downstream, e.g. the static figure export, redo only what changed."""
    target = Path(target)
    record_output(target)
    if target.exists() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return target
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    return write_bytes_atomic(target, text.encode("utf-8"))


def write_csv_atomic(frame: pd.DataFrame, target: Path) -> Path:
    """Write a processed table deterministically (UTF-8, LF, no index, fixed float format)."""
    return write_text_atomic(target, frame.to_csv(index=False, lineterminator="\n", float_format="%.10g"))
