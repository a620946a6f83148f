"""Renamed to analysis.manifest_appendix (the name collided with reproduction / reproduction_section).
Kept only so that branches written before the rename still import; delete after the merge."""
from .manifest_appendix import *  # noqa: F403
from .manifest_appendix import write_appendix  # noqa: F401
