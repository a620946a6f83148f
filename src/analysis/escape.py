"""Text from inputs is data: the one place where it is made safe for the report.

Input text (labels, categories, notes, column headers, municipality names, the config's title,
subtitle and authors) reaches the report through a few choke points: table cells and headers
(`tables.pipe_table`), report variables (`report_vars`), figure text (`figures.save`) and the
title-page metadata (`assemble.report_metadata`). Each calls a function here:

* `markdown(text)`: for Markdown that pandoc/Quarto read into HTML and Typst. Every character
  that starts markup is backslash-escaped (pandoc reads any escaped ASCII punctuation as the
  character itself), so Quarto shortcodes (`{{< … >}}`), citations (`@key`), math (`$…$`), raw
  HTML (`<b …>`), links (`[…](javascript:…)`), emphasis, code spans, raw Typst/LaTeX and entities
  come out as the characters typed. A line break becomes a space.
* `plotly(text)`: for text that plotly.js draws (it interprets some HTML: `<b>`, `<a href>`,
  `<span style>`, …). Everything is escaped as HTML except the bare formatting tags the
  project's figures use (`<br>`, `<b>`, `<i>`, `<em>`, `<sup>`, `<sub>`, without attributes:
  they can neither link nor run anything).
* `Markup`: text the project itself wrote as Markdown (its templates); passes through unchanged.

Only the project's own templates may contain markup.
"""

import html
import re

# Characters that begin Markdown/Quarto/pandoc markup anywhere in a line.
_INLINE = re.compile(r"([\\`*{}\[\]<>$@~^&#|])")
# An underscore after a letter or digit and before one (or before a zero-width space, which the
# appendix puts after `_` so long names can wrap) is text in pandoc (intraword_underscores): only
# one at the edge of a word can start emphasis.
_UNDERSCORE = re.compile("(?<![^\\W_])_|_(?![^\\W_]|\u200b)")
# What makes a line start a block (list, heading, quote, div fence, table) in pandoc Markdown.
_BLOCK_START = re.compile(r"^(\s*)([-+]|\d+[.)])(?=\s|$)")
_SMART = re.compile(r"([-.])(?=\1)")
# Bare formatting tags plotly.js draws (no attributes: no links, no event handlers, no styles).
_PLOTLY_TAGS = re.compile(r"&lt;(/?(?:b|i|em|sup|sub)|br\s*/?)&gt;", re.IGNORECASE)


class Markup(str):
    """Markdown written by the project (a template, a bold heading row): not escaped again."""


def markdown(text) -> str:
    """Input text as Markdown that shows exactly these characters (see the module docstring).
    `Markup` comes back unchanged; None and NaN come back as ""."""
    if isinstance(text, Markup):
        return text
    if text is None or (isinstance(text, float) and text != text):
        return ""
    value = " ".join(str(text).splitlines())
    value = _INLINE.sub(r"\\\1", value)
    value = _UNDERSCORE.sub(r"\\_", value)
    value = _SMART.sub(r"\\\1", value)  # "--" and "..." stay as typed (pandoc's smart typography)
    return _BLOCK_START.sub(
        lambda m: m[1] + "\\" + m[2] if len(m[2]) == 1 else m[1] + m[2][:-1] + "\\" + m[2][-1], value
    )


_CAPTION = re.compile(r"([<>$\\])|(\{\{)|(\}\})")


def caption(text) -> str:
    """A caption or source line: a template of the project with input text (labels, areas,
    municipality names) filled in. The template may use Markdown (emphasis, links, citations),
    but nothing in it may become raw HTML, math or a Quarto shortcode: `<`, `>`, `$`, `\\` and
    `{{`/`}}` are escaped."""
    if isinstance(text, Markup):
        return str(text)
    return _CAPTION.sub(lambda m: "\\" + m[1] if m[1] else ("\\{\\{" if m[2] else "\\}\\}"), str(text))


def attribute(text) -> str:
    """Text for a Markdown attribute value (`fig-alt="…"`): entities for `&`, `"`, `<`, `>`, so
    that neither the attribute nor a shortcode (`{{< … >}}`) can be opened from inside it."""
    return str(text).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def plotly(text) -> str:
    """Text for plotly.js: HTML-escaped, bare formatting tags (`<br>`, `<b>` …) kept."""
    if text is None:
        return ""
    if isinstance(text, Markup):
        return str(text)
    return _PLOTLY_TAGS.sub(lambda m: f"<{m[1]}>", html.escape(str(text), quote=False))


def plotly_figure(figure: dict) -> dict:
    """Every string in a plotly figure's JSON (as `fig.to_plotly_json()` / `to_dict()` gives it),
    escaped with `plotly` — except hover templates, whose `%{…}` and `<extra>` are plotly's syntax
    written by the project: their literal parts are escaped, the placeholders kept."""

    def walk(value, key=""):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            return _template(value) if key in ("hovertemplate", "texttemplate") else plotly(value)
        return value

    return walk(figure)


_TEMPLATE_PARTS = re.compile(r"(%\{[^}]*\}|<extra>|</extra>|<br>)")


def _template(text: str) -> str:
    return "".join(part if _TEMPLATE_PARTS.fullmatch(part) else plotly(part) for part in _TEMPLATE_PARTS.split(text))
