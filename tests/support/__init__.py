"""Test-only helpers (not shipped in the `analysis` package): the transcription checks against the
seed texts, the machine checks of a rendered report, and where the seed texts are."""
