"""The fallback renderer: the report's Quarto sources through pandoc (HTML) and Typst (PDF).

Quarto shortcodes are expanded here ({{< include >}}, {{< var >}}, {{< meta >}}, {{< pagebreak >}});
everything else Quarto adds (cross-references, callouts, conditional content) is done by
`quarto_compat.lua`. Any other shortcode stops the build with an error instead of leaking into
the output.
"""

import datetime
import re
import tempfile
from pathlib import Path

import pypandoc
import typst
import yaml

from .. import paths, static_images, texts
from ..io import atomic_path

HERE = Path(__file__).parent
LUA_FILTER = HERE / "quarto_compat.lua"
HTML_TEMPLATE, TYPST_TEMPLATE = HERE / "template.html", HERE / "template.typ"
PAGE_CSS, PAGE_JS = HERE / "page.css", HERE / "responsive.js"
# One font family for the text and the figures' labels (figures.FONT); Debian: fonts-liberation.
MAIN_FONT = "Liberation Sans"
SHORTCODE = re.compile(r"\{\{<\s*(\w+)\s*(.*?)\s*>\}\}")
# Captions already carry "Figur 1:" / "Tabell 1:" from quarto_compat.lua (the same numbers as in
# the HTML), so Typst's own figure numbering is switched off.
# Table cells are set flush left: justified narrow cells leave wide gaps between words.
TYPST_HEADER = "#set figure(numbering: none)\n#show table: set par(justify: false)\n"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


class RenderError(RuntimeError):
    """Raised when the report sources use something the fallback renderer cannot render."""


def describe() -> str:
    return (
        f"pandoc {pypandoc.get_pandoc_version()} + Typst {typst.__version__}"
        if hasattr(typst, "__version__")
        else f"pandoc {pypandoc.get_pandoc_version()} + Typst"
    )


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {} if Path(path).exists() else {}


def project_metadata(document: Path, report_dir: Path, fmt: str) -> dict:
    """Quarto's metadata merge, as far as the report uses it: _quarto.yml, its metadata-files,
    the document's front matter, and the per-format options under `format:`."""
    project = load_yaml(report_dir / "_quarto.yml")
    meta = {k: v for k, v in project.items() if k not in ("project", "format", "metadata-files")}
    for extra in project.get("metadata-files", []):
        meta.update(load_yaml(report_dir / extra))
    front = FRONT_MATTER.match(document.read_text(encoding="utf-8"))
    document_meta = (yaml.safe_load(front.group(1)) if front else None) or {}
    meta.update({k: v for k, v in document_meta.items() if k != "format"})
    quarto_format = "html" if fmt == "html" else "typst"
    for source in (project.get("format", {}), document_meta.get("format", {})):
        options = source.get(quarto_format) or {}
        meta.update(options if isinstance(options, dict) else {})
    return meta


def lookup(mapping: dict, dotted: str, what: str, where: Path):
    value = mapping
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            raise RenderError(f"{where}: {{{{< {what} {dotted} >}}}} is not defined")
        value = value[key]
    return value


ORDERED_MARKER = re.compile(r"\d{1,9}")


def list_marker_safe(value: str, match: re.Match) -> str:
    """A number put at the start of a line before '.' or ')' would start an ordered list once
    pandoc parses the expanded text ('9) insatser' inside a bullet: a new sublist). Quarto expands
    shortcodes after parsing, so there it stays text; here the delimiter is escaped to keep it so."""
    text, start, end = match.string, match.start(), match.end()
    at_line_start = text[text.rfind("\n", 0, start) + 1 : start].strip() == ""
    if at_line_start and ORDERED_MARKER.fullmatch(value) and text[end : end + 1] in (".", ")"):
        return value + "\\"
    return value


def expand_shortcodes(text: str, base: Path, variables: dict, meta: dict, fmt: str, depth: int = 0) -> str:
    """Expand Quarto shortcodes in `text`; `base` is the main document's folder."""
    if depth > 10:
        raise RenderError("includes nested more than 10 deep (a cycle?)")

    def replace(match: re.Match) -> str:
        name, argument = match.group(1), match.group(2).strip().strip('"')
        if name == "include":
            # As in Quarto: relative to the main document's folder, also inside included files;
            # a leading / means the project folder (here the same folder).
            path = base / argument.lstrip("/")
            if not path.exists():
                raise RenderError(f"{{{{< include {argument} >}}}}: {path} does not exist")
            return expand_shortcodes(path.read_text(encoding="utf-8"), base, variables, meta, fmt, depth + 1)
        if name == "var":
            return list_marker_safe(str(lookup(variables, argument, "var", base)), match)
        if name == "meta":
            return str(lookup(meta, argument, "meta", base))
        if name == "pagebreak":
            return "\n```{=typst}\n#pagebreak()\n```\n" if fmt == "pdf" else ""
        raise RenderError(f"shortcode {{{{< {name} >}}}} is not supported by the fallback renderer")

    return SHORTCODE.sub(replace, text)


def _text(key: str, meta: dict, report_dir: Path, **fields):
    """The renderer's own words (report/text/<locale>/render.yml; the project's when a
    document folder has no text/ of its own), in the document's language."""
    folder = report_dir if (Path(report_dir) / "text").is_dir() else paths.REPORT
    locale = str(meta.get("lang") or texts.DEFAULT_LOCALE).split("-")[0]
    if key == "months":
        return texts.section("render", locale, folder)["months"]
    return texts.get("render", key, locale, folder, **fields)


def long_date(date, meta: dict, report_dir: Path) -> str:
    """'2026-11-22' → '22 november 2026' in the document's language."""
    try:
        day = datetime.date.fromisoformat(str(date))
    except ValueError:
        return str(date)
    month = _text("months", meta, report_dir)[day.month - 1]
    return _text("date", meta, report_dir, day=day.day, month=month, year=day.year)


def page_metadata(meta: dict, report_dir: Path) -> dict:
    """What the templates show around the body: the date in words, the colophon, the publisher
    line and the font."""
    date = long_date(meta.get("date", ""), meta, report_dir)
    authors = _as_list(meta.get("author"))
    affiliations = [a.get("affiliation") for a in authors if isinstance(a, dict) and a.get("affiliation")]
    return {
        "date-long": date,
        "colophon": _text("colophon", meta, report_dir, version=meta["version"], date=date)
        if meta.get("version")
        else _text("colophon_unversioned", meta, report_dir, date=date),
        "colophon-note": _text("colophon_reproducible", meta, report_dir),
        "version-line": _text("version_line", meta, report_dir, version=meta["version"]) if meta.get("version") else "",
        "publisher": " · ".join(dict.fromkeys(affiliations)),
        "skip-link": _text("skip_link", meta, report_dir),
        "mainfont": meta.get("mainfont", MAIN_FONT),
    }


def pandoc_arguments(meta: dict, fmt: str, report_dir: Path, metadata_file: Path) -> list[str]:
    args = [
        "--standalone",
        f"--lua-filter={LUA_FILTER}",
        f"--metadata-file={metadata_file}",
        f"--resource-path={report_dir}",
        f"--template={HTML_TEMPLATE if fmt == 'html' else TYPST_TEMPLATE}",
    ]
    if meta.get("bibliography"):
        args.append("--citeproc")
    if meta.get("toc"):
        args.append("--toc")
    if fmt == "html":
        args.append("--section-divs")
        if meta.get("number-sections"):
            args.append("--number-sections")
        for header in _as_list(meta.get("include-in-header")):
            args.append(f"--include-in-header={report_dir / header}")
    return args


def inline_css(stylesheets, report_dir: Path, work: Path) -> list[str]:
    """The page's stylesheet and the report's inlined in a <style> header, and the page's script
    at the end of the body: the HTML is self-contained without pandoc's --embed-resources, which
    spends seconds re-parsing the inlined plotly.js. (The report's HTML has no other external
    resources: its figures are inline plotly, its images are PDF-only.)"""
    styles = [PAGE_CSS.read_text(encoding="utf-8")]
    styles += [(report_dir / css).read_text(encoding="utf-8") for css in _as_list(stylesheets)]
    header, script = work / "style.html", work / "script.html"
    header.write_text("<style>\n" + "\n".join(styles) + "</style>\n", encoding="utf-8")
    script.write_text("<script>\n" + PAGE_JS.read_text(encoding="utf-8") + "</script>\n", encoding="utf-8")
    return [f"--include-in-header={header}", f"--include-after-body={script}"]


def external_resources(html: str) -> list[str]:
    """src/href attributes that point at local files (a self-contained report has none)."""
    found = re.findall(r'<(?:img|script|link)[^>]*?(?:src|href)="([^"#][^"]*)"', html)
    return [ref for ref in found if not ref.startswith(("data:", "http:", "https:", "mailto:"))]


def pdf_timestamp(date) -> int | None:
    """The PDF's creation date: the report's (build) date at 00:00 UTC, so that two builds of the
    same sources give the same bytes; None (= now) when the date is not an ISO date."""
    try:
        return int(
            datetime.datetime.combine(
                datetime.date.fromisoformat(str(date)), datetime.time(), tzinfo=datetime.UTC
            ).timestamp()
        )
    except ValueError:
        return None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def render(document: Path, fmt: str, target: Path, report_dir: Path) -> Path:
    """Render one format. The output appears at `target` only when everything succeeded."""
    report_dir = Path(report_dir).resolve()
    document = (report_dir / document).resolve() if not Path(document).is_absolute() else Path(document)
    meta = project_metadata(document, report_dir, fmt)
    variables = load_yaml(report_dir / "_variables.yml")
    text = expand_shortcodes(document.read_text(encoding="utf-8"), document.parent, variables, meta, fmt)
    front = FRONT_MATTER.match(text)
    body = text[front.end() :] if front else text
    # Paths in the document are relative to report_dir; the resolved bibliography and typst
    # images need absolute ones.
    if meta.get("bibliography"):
        meta["bibliography"] = [str(report_dir / b) for b in _as_list(meta["bibliography"])]
    if fmt == "pdf" and meta.get("number-sections"):
        meta["section-numbering"] = "1.1"
    meta["author"] = [a if isinstance(a, dict) else {"name": a} for a in _as_list(meta.get("author"))]
    meta.update(page_metadata(meta, report_dir))
    stylesheets = meta.pop("css", None)  # inlined by inline_css, not linked
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="render-", dir=report_dir) as work:
        work = Path(work)
        metadata_file = work / "metadata.yml"
        metadata_file.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
        typst_header = work / "header.typ"
        typst_header.write_text(TYPST_HEADER, encoding="utf-8")
        source = report_dir / f".{document.stem}.fallback.md"  # beside the sources, so relative paths hold
        source.write_text(body, encoding="utf-8")
        try:
            args = pandoc_arguments(meta, fmt, report_dir, metadata_file)
            if fmt == "pdf":
                args.append(f"--include-in-header={typst_header}")
            with atomic_path(target) as tmp:
                if fmt == "html":
                    pypandoc.convert_file(
                        str(source),
                        "html5",
                        format="markdown",
                        extra_args=args + inline_css(stylesheets, report_dir, work),
                        outputfile=str(tmp),
                        cworkdir=str(report_dir),
                    )
                    if local := external_resources(tmp.read_text(encoding="utf-8")):
                        raise RenderError(f"the HTML would not be self-contained: it refers to {local[:5]}")
                elif fmt == "pdf":
                    static_images.ensure_font(meta["mainfont"])  # Typst would fall back silently
                    typ = report_dir / f".{document.stem}.fallback.typ"
                    try:
                        pypandoc.convert_file(
                            str(source),
                            "typst",
                            format="markdown",
                            extra_args=args,
                            outputfile=str(typ),
                            cworkdir=str(report_dir),
                        )
                        typst.compile(
                            str(typ),
                            output=str(tmp),
                            root=str(report_dir.parent),
                            timestamp=pdf_timestamp(meta.get("date")),
                        )
                    finally:
                        typ.unlink(missing_ok=True)
                else:
                    raise RenderError(f"unknown format {fmt!r}: expected 'html' or 'pdf'")
        finally:
            source.unlink(missing_ok=True)
    return target
