"""Every path the pipeline uses, built from the project root (one place, no hard-coded paths)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
REPORT = ROOT / "report"
ASSETS = REPORT / "_generated"
OUTPUT = REPORT / "_output"
BUILD = ROOT / "build"
SEEDS = ROOT.parent / "shared" / "seeds"
