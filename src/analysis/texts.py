"""User-visible text: templates beside the report sources, never literals in Python.

Every caption, alt text, label, heading and sentence the pipeline writes into the report comes
from `report/text/<locale>/<section>.yml`, keyed by figure/table id or a short name. Python holds
logic and passes values in; `{name}` fields are filled with `str.format`. The locale is the
config's `report.locale` (default "sv"); an English edition is a new folder of YAML files, no
Python change.

    texts.get("stockholm", "fig-stockholm-support.caption", n="26", N="39")
    texts.section("stockholm")["labels"]["coordinator"]

YAML 1.1 reads unquoted yes/no/on/off as booleans: quote such keys ("yes": Ja).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from . import paths

DEFAULT_LOCALE = "sv-SE"  # a language tag (Quarto's `lang`, the PDF's language); templates: report/text/sv/
_CURRENT = ContextVar("report_locale", default=DEFAULT_LOCALE)


class MissingTextError(KeyError):
    """Raised when a template file or a key in it is missing (the message names both)."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the sentence as written
        return str(self.args[0])


def locale(config: dict | None = None) -> str:
    """The report's locale: `report.locale` in the config, else the default."""
    return ((config or {}).get("report") or {}).get("locale", DEFAULT_LOCALE)


@contextmanager
def using(locale_: str):
    """Within the block, templates come from report/text/<locale_>/ wherever a call names no
    locale (the presentation step sets the config's locale once for every section)."""
    token = _CURRENT.set(locale_)
    try:
        yield locale_
    finally:
        _CURRENT.reset(token)


def current() -> str:
    """The locale in effect: the innermost `using`, else the default."""
    return _CURRENT.get()


def text_dir(locale_: str = DEFAULT_LOCALE, report_dir: Path = paths.REPORT) -> Path:
    """report/text/<tag>/ where it exists (sv-FI), else report/text/<language>/ (sv-SE → sv)."""
    base = Path(report_dir) / "text"
    return base / locale_ if (base / locale_).is_dir() else base / locale_.split("-")[0]


def section(name: str, locale_: str | None = None, report_dir: Path = paths.REPORT) -> dict:
    """The whole template file of one section, as a (nested) dict (locale: the one in effect)."""
    return _load(name, locale_ or current(), Path(report_dir))


@cache
def _load(name: str, locale_: str, report_dir: Path) -> dict:
    path = text_dir(locale_, report_dir) / f"{name}.yml"
    if not path.exists():
        raise MissingTextError(f"no text templates for section {name!r}: {path} is missing")
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


section.cache_clear = _load.cache_clear


def _node(name: str, key: str, locale_: str, report_dir: Path):
    """What stands at dotted `key` in section `name`: a template or a group; MissingTextError if absent."""
    node = section(name, locale_, Path(report_dir))
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise MissingTextError(f"text {key!r} is missing from {text_dir(locale_, report_dir) / (name + '.yml')}")
        node = node[part]
    return node


def get(name: str, key: str, locale_: str | None = None, report_dir: Path = paths.REPORT, **fields) -> str:
    """The template at dotted `key` in section `name`, with `fields` filled in.

    Keys may contain dots only as separators of nesting: "figures.fig-x.caption".
    """
    node = _node(name, key, locale_ or current(), report_dir)
    if not isinstance(node, str):
        raise MissingTextError(f"text {key!r} in {name}.yml is a group, not a template; name one of {sorted(node)}")
    return node.format(**fields) if fields else node


def group(name: str, key: str, locale_: str | None = None, report_dir: Path = paths.REPORT) -> dict | list:
    """The group of templates at dotted `key` in section `name` (a mapping, e.g. labels keyed by
    category, or a list), unformatted."""
    node = _node(name, key, locale_ or current(), report_dir)
    if isinstance(node, str):
        raise MissingTextError(f"text {key!r} in {name}.yml is a template, not a group")
    return node


@dataclass(frozen=True)
class Templates:
    """The templates of one section: `t = Templates("size")`, then `t("figures.fig-x.caption", N=39)`
    and `t.group("tbl-x.columns")`. Locale None: the one in effect where a template is read."""

    section: str
    locale: str | None = None

    @classmethod
    def of(cls, section: str, config: dict | None) -> "Templates":
        """The section's templates in the config's locale."""
        return cls(section, locale(config))

    def __call__(self, key: str, **fields) -> str:
        return get(self.section, key, self.locale, **fields)

    def group(self, key: str) -> dict | list:
        return group(self.section, key, self.locale)
