"""Numbers for the report's prose: each notebook writes its own variables; they are merged into
report/_variables.yml, which the report reads with {{< var name >}} (Quarto and fallback alike)."""
from pathlib import Path

import yaml

from .io import write_text_atomic


def _dump(mapping: dict) -> str:
    return yaml.safe_dump(mapping, allow_unicode=True, sort_keys=True, width=1000)


def write_partial(name: str, variables: dict, assets_dir: Path) -> Path:
    """Write one notebook's variables (already formatted text) under the key `name`."""
    return write_text_atomic(Path(assets_dir) / "vars" / f"{name}.yml", _dump({name: variables}))


def merge(assets_dir: Path, target: Path, extra: dict | None = None) -> Path:
    merged = dict(extra or {})
    for part in sorted((Path(assets_dir) / "vars").glob("*.yml")):
        merged.update(yaml.safe_load(part.read_text(encoding="utf-8")))
    return write_text_atomic(target, _dump(merged))
