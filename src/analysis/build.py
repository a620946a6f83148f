"""`make report`: one build at a time, everything checked first, and nothing already built is
changed unless every step succeeds.

`python -m analysis build --config C --region R -- make … deliverables` (the Makefile's `report`):

1. takes the lock `build/.lock` (a second build in the same folder waits for the first);
2. checks the whole config (`config_check`, the same check as `make validate`) and writes the
   config stamp that Make's targets depend on (only when the config's content changed);
3. asks Make whether anything is out of date (`make -q`): if not, stops (a no-op rebuild does no work);
4. validates every input the config names (skipped when neither the inputs nor the config changed
   since the last successful validation);
5. copies what the build may change (data/processed, report/_generated, report/_output and the
   build's own records under build/) to build/.snapshot, runs Make, and on a failure or an
   interruption (Ctrl-C, SIGTERM) puts the snapshot back, byte for byte and with the same times,
   so that Make stays incremental and the previous deliverables stay in place.

A refusal prints the problem list first and alone; tracebacks go to build/logs/ (see `steps`).
"""

import argparse
import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

# What a build may change, relative to the project root: put back as it was when a build fails.
MANAGED = (
    "data/processed",
    "report/_generated",
    "report/_output",
    "report/_variables.yml",
    "build/notebooks",
    "build/writes",
    "build/manifest-inputs.json",
)
# Kept when a failed build is rolled back: the evidence of the failure.
EVIDENCE = (".failed.ipynb",)
LOCK = Path("build") / ".lock"
SNAPSHOT = Path("build") / ".snapshot"
CONFIG_STAMP = Path("build") / "config.stamp"
DATE_STAMP = Path("build") / "build-date.stamp"  # the report's date: a tracked input of assemble and render
CONFIG_CHECKED = Path("build") / ".config-checked"
INPUTS_VALIDATED = Path("build") / ".inputs-validated"


class BuildRefused(Exception):
    """Raised when the build does not start: the config or an input is refused (the message is the
    problem list)."""


# --- 1. one build at a time ---------------------------------------------------------------------


@contextlib.contextmanager
def build_lock(root: Path, out=sys.stderr):
    """Hold build/.lock for the whole build; a second build in the same folder waits for it."""
    path = Path(root) / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            print(
                f"Another build is running in this folder (process {holder}); waiting for it to finish …",
                file=out,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- 2. the config --------------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def config_stamp_text(config: Path) -> str:
    return f"{sha256_bytes(Path(config).read_bytes())}\n"


def write_if_changed(path: Path, text: str) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def check_config(config: Path, root: Path, region: str) -> None:
    """The whole config (`config_check`), skipped when this config and region passed before."""
    key = f"{config_stamp_text(config).strip()} {region} {_code_version(root)}\n"
    if (root / CONFIG_CHECKED).exists() and (root / CONFIG_CHECKED).read_text(encoding="utf-8") == key:
        return
    from . import config_check
    from .input_errors import InputError
    from .validate import describe_failure

    try:
        config_check.check_config(config, root, region)
    except InputError as error:
        raise BuildRefused(describe_failure(error)) from None
    write_if_changed(root / CONFIG_CHECKED, key)


def _code_version(root: Path) -> str:
    """Changes when a module of the package changes (a changed check must run again)."""
    files = sorted((Path(root) / "src" / "analysis").rglob("*.py"))
    return sha256_bytes("".join(f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in files).encode())[:16]


# --- 4. every input ----------------------------------------------------------------------------------


def input_fingerprint(config: Path, root: Path, region: str) -> str:
    import yaml

    from . import deps

    data = yaml.safe_load(Path(config).read_text(encoding="utf-8"))
    files = [p for source in data["sources"].values() for p in deps.source_inputs(source, root)]
    files += sorted((Path(root) / data["reference"]).glob("*.csv"))
    digest = hashlib.sha256(config_stamp_text(config).encode() + region.encode() + _code_version(root).encode())
    for path in sorted(set(files)):
        digest.update(str(path).encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest() + "\n"


def validate_inputs(config: Path, root: Path, region: str) -> None:
    """Every input validated (`validate.validate_config`), skipped when nothing changed since the last pass."""
    from .config_check import validate_config
    from .input_errors import InputError
    from .validate import describe_failure

    fingerprint = input_fingerprint(config, root, region)
    if (root / INPUTS_VALIDATED).exists() and (root / INPUTS_VALIDATED).read_text() == fingerprint:
        return
    try:
        summary = validate_config(config, root, region=region)
    except InputError as error:
        raise BuildRefused(describe_failure(error)) from None
    print(f"Inputs {summary}", flush=True)
    write_if_changed(root / INPUTS_VALIDATED, fingerprint)


# --- 5. snapshot and roll back -----------------------------------------------------------------------


def _files(path: Path):
    if path.is_file():
        yield path
    elif path.is_dir():
        for item in sorted(path.rglob("*")):
            if item.is_file() or item.is_symlink():
                yield item


def take_snapshot(root: Path, managed=MANAGED) -> Path:
    """Copies (with their times) of everything a build may change, under build/.snapshot."""
    root = Path(root)
    snapshot = root / SNAPSHOT
    if snapshot.exists():
        shutil.rmtree(snapshot)
    snapshot.mkdir(parents=True)
    for name in managed:
        for file in _files(root / name):
            target = snapshot / file.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target, follow_symlinks=False)
    (snapshot / ".complete").write_text("\n".join(managed) + "\n", encoding="utf-8")
    return snapshot


def _same(a: Path, b: Path) -> bool:
    sa, sb = a.stat(), b.stat()
    if sa.st_size != sb.st_size:
        return False
    if sa.st_mtime_ns == sb.st_mtime_ns:
        return True
    return a.read_bytes() == b.read_bytes()


def restore_snapshot(root: Path, managed=MANAGED) -> list[str]:
    """Put every managed file back as the snapshot holds it (content and times); remove files the
    failed build added (except the evidence of the failure: *.failed.ipynb). Returns the paths that
    were changed back."""
    root = Path(root)
    snapshot = root / SNAPSHOT
    if not (snapshot / ".complete").exists():
        return []
    changed = []
    for name in managed:
        saved = {f.relative_to(snapshot) for f in _files(snapshot / name)}
        for file in list(_files(root / name)):
            relative = file.relative_to(root)
            if relative not in saved and not file.name.endswith(EVIDENCE):
                file.unlink()
                changed.append(str(relative))
        for relative in sorted(saved):
            source, target = snapshot / relative, root / relative
            if target.is_file() and _same(source, target) and source.stat().st_mtime_ns == target.stat().st_mtime_ns:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.restore")
            shutil.copy2(source, tmp, follow_symlinks=False)
            os.replace(tmp, target)
            changed.append(str(relative))
        folder = root / name
        if folder.is_dir():
            for directory in sorted((d for d in folder.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)):
                if not any(directory.iterdir()) and not (snapshot / directory.relative_to(root)).is_dir():
                    directory.rmdir()
    return changed


def _files_put_back(changed: list[str]) -> str:
    return f"{len(changed)} file{'s' if len(changed) != 1 else ''} put back"


def drop_snapshot(root: Path) -> None:
    shutil.rmtree(Path(root) / SNAPSHOT, ignore_errors=True)


# --- the build ------------------------------------------------------------------------------------


class Interrupted(Exception):
    """Raised (from the signal handler) when the build is interrupted by SIGINT or SIGTERM."""


def run_make(command: list[str]) -> int:
    """Run Make (inheriting the jobserver); on SIGINT/SIGTERM wait until it has stopped, then raise
    Interrupted (Make and its steps got the terminal's SIGINT themselves; SIGTERM is passed on)."""
    process = subprocess.Popen(command, close_fds=False)
    received = []

    def handler(signum, frame):
        received.append(signum)
        if signum == signal.SIGTERM:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                code = process.wait()
                break
            except InterruptedError:
                continue
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
    if received:
        raise Interrupted(signal.Signals(received[0]).name)
    return code


def up_to_date(command: list[str]) -> bool:
    """Whether Make has nothing to do (`make -q`)."""
    result = subprocess.run(
        [command[0], "-q", *command[1:]], close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return result.returncode == 0


def build(config: Path, region: str, command: list[str], root: Path = Path("."), build_date: str | None = None) -> int:
    root = Path(root)
    config = Path(config)
    with build_lock(root):
        if not config.is_file():
            from .config_check import read_config
            from .input_errors import InputError
            from .validate import describe_failure

            try:
                read_config(config)
            except InputError as error:
                raise BuildRefused(describe_failure(error)) from None
        check_config(config, root, region)
        write_if_changed(root / CONFIG_STAMP, config_stamp_text(config))
        if build_date is not None:
            write_if_changed(root / DATE_STAMP, f"{build_date}\n")
        if up_to_date(command):
            print("Nothing to be done: the report is up to date.", flush=True)
            return 0
        validate_inputs(config, root, region)
        started = time.monotonic()
        take_snapshot(root)
        ignore_signals = False
        try:
            code = run_make(command)
        except Interrupted as interrupted:
            ignore_signals = True
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            changed = restore_snapshot(root)
            drop_snapshot(root)
            print(
                f"\nINTERRUPTED ({interrupted}): nothing already built was changed — data/processed, "
                "report/_generated and report/_output are as they were before this build "
                f"({_files_put_back(changed)}).",
                file=sys.stderr,
            )
            return 130
        finally:
            if ignore_signals:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if code != 0:
            changed = restore_snapshot(root)
            drop_snapshot(root)
            logs = sorted((root / "build" / "logs").glob("*.log"), key=lambda p: p.stat().st_mtime)
            recent = [
                str(p.relative_to(root))
                for p in logs
                if p.stat().st_mtime >= time.time() - (time.monotonic() - started) - 1
            ]
            print(
                "\nFAILED: the build stopped; nothing already built was changed — data/processed, "
                f"report/_generated and report/_output are as they were before this build ({_files_put_back(changed)})."
                + (f"\n  Details: {', '.join(recent)}" if recent else ""),
                file=sys.stderr,
            )
            return code
        drop_snapshot(root)
        return 0


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" not in argv:
        print("usage: python -m analysis.build --config C --region R -- make … TARGET", file=sys.stderr)
        return 2
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="python -m analysis.build")
    parser.add_argument("--config", required=True)
    parser.add_argument("--region", default="all")
    parser.add_argument("--root", default=".")
    parser.add_argument("--build-date", help="the report's date (Make's BUILD_DATE): a change rebuilds the report")
    args = parser.parse_args(argv[:split])
    try:
        return build(Path(args.config), args.region, argv[split + 1 :], Path(args.root), args.build_date)
    except BuildRefused as refused:
        print(str(refused), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
