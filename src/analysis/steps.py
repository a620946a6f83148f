"""How a failed build step speaks: the problem first and alone, the traceback in a log file.

`python -m analysis notebook|assemble|render|prune` run inside `reported(step)`: when the step
fails, the whole traceback goes to build/logs/<step>.log and the terminal gets a few lines — what
failed, the problem list of an input error (or the error's one-line message), and where the log
and (for a notebook) the partly run notebook are.
"""

import re
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

from . import paths

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def log_path(step: str, build_dir: Path = paths.BUILD) -> Path:
    return Path(build_dir) / "logs" / (re.sub(r"[^A-Za-z0-9_.-]+", "-", step).strip("-") + ".log")


def relative(path: Path) -> str:
    path = Path(path)
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def summary(error: BaseException) -> tuple[str, str]:
    """(what kind of error, its message) — for a notebook, the error raised inside the kernel."""
    from .input_errors import InputError

    if isinstance(error, InputError):
        from .validate import describe_failure

        return type(error).__name__, describe_failure(error)
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    if ename:  # papermill.PapermillExecutionError: the exception of the failing cell
        return ename, ANSI.sub("", str(evalue))
    return type(error).__name__, str(error)


@contextmanager
def reported(step: str, build_dir: Path = paths.BUILD, out=sys.stderr):
    """Run a step; on an error write the traceback to build/logs/<step>.log, print the short
    account and exit with status 1 (KeyboardInterrupt: status 130, no traceback)."""
    log = log_path(step, build_dir)
    try:
        yield
    except KeyboardInterrupt:
        print(f"{step}: interrupted", file=out, flush=True)
        raise SystemExit(130) from None
    except Exception as error:  # every failure of a step is reported the same way
        log.parent.mkdir(parents=True, exist_ok=True)
        details = "".join(traceback.format_exception(error))
        cell = getattr(error, "traceback", None)
        if cell:
            details += "\nIn the notebook:\n" + ANSI.sub("", "\n".join(cell))
        log.write_text(details, encoding="utf-8")
        kind, message = summary(error)
        lines = [f"FAILED: {step}: {kind}", *("  " + line for line in message.splitlines() if line.strip())]
        lines.append(f"  The traceback is in {relative(log)}")
        failed = getattr(error, "failed_notebook", None)
        if failed:
            lines.append(f"  The partly run notebook, with the failing cell marked: {relative(failed)}")
        print("\n".join(lines), file=out, flush=True)
        raise SystemExit(1) from None
