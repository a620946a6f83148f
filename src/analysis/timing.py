"""One line per build step on stderr, `[tid] <step>: 1.23 s`, which `make bench` collects."""

import sys
import time
from contextlib import contextmanager

PREFIX = "[tid]"


@contextmanager
def step(name: str):
    started = time.perf_counter()
    yield
    print(f"{PREFIX} {name}: {time.perf_counter() - started:.2f} s", file=sys.stderr, flush=True)


def parse(log: str) -> list[tuple[str, float]]:
    """[(step, seconds)] from a build log."""
    out = []
    for line in log.splitlines():
        if line.startswith(PREFIX) and line.endswith(" s"):
            name, _, seconds = line[len(PREFIX) + 1 : -2].rpartition(": ")
            out.append((name, float(seconds)))
    return out
