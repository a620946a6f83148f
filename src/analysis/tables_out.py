"""Renamed to analysis.source_loader (the name collided with analysis.tables). Kept only so that
branches written before the rename still import; delete after the merge."""
from .source_loader import *  # noqa: F403
from .source_loader import build_shares_and_reproduction, load_all, load_source_tables  # noqa: F401
