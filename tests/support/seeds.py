"""Where the seed texts (the published reports as text) are, and what a test does without them.

The transcription checks compare data/raw with ../shared/seeds. Outside CI a missing seed folder
skips those checks, and the skip reason says so; in CI (CI=true) it fails loudly, so a CI run can
never pass while silently checking nothing.
"""

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared"  # ../shared seen from the repository root
SEEDS = SHARED / "seeds"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def require(path: Path) -> Path:
    """`path` if it exists; else fail (CI=true) or skip with the reason (elsewhere)."""
    path = Path(path)
    if path.exists():
        return path
    message = (
        f"seed text not available: {path} (the seed-text checks need ../shared; "
        "outside CI they are skipped, with CI=true they fail)"
    )
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
