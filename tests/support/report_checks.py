"""Checks of a rendered report, as a reviewer would make them by machine: no unresolved
references or shortcodes, no NaN, Swedish numbers, alt text on every figure, the expected
sections in the PDF, and an HTML that loads in headless Chromium without console errors and
draws every plotly figure. Each check returns a list of problems (empty = fine)."""

import re
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader

from analysis import static_images

UNRESOLVED = [
    (re.compile(r"\?\?"), "'??' (unresolved reference)"),
    (re.compile(r"\{\{<|>\}\}"), "unexpanded shortcode"),
    (re.compile(r"(?<![\w.])@(?:fig|tbl|sec)-[\w-]+"), "unresolved cross-reference"),
    (re.compile(r"\b(?:NaN|nan|None|<NA>)\b"), "missing value shown as NaN/None"),
    (re.compile(r"\d\.\d+\s?%"), "decimal point before % (Swedish uses a comma)"),
]


def html_text(html: str) -> str:
    """The visible text of the report's HTML: scripts, styles and tags removed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", html)


def pdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\u00a0", " ")


def text_problems(text: str, where: str) -> list[str]:
    problems = []
    for pattern, what in UNRESOLVED:
        for match in pattern.finditer(text):
            context = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
            problems.append(f"{where}: {what}: …{context}…")
    return problems


def figure_alt_problems(html: str) -> list[str]:
    """Every figure in the HTML has alt text (plotly figures: role=img with aria-label)."""
    problems = []
    for div in re.findall(r'<div role="img"[^>]*class="plotly-figure"[^>]*>', html):
        if not re.search(r'aria-label="[^"]{10,}"', div):
            problems.append(f"HTML: plotly figure without alt text: {div[:120]}")
    for img in re.findall(r"<img\b[^>]*>", html):
        if not re.search(r'alt="[^"]{10,}"', img):
            problems.append(f"HTML: image without alt text: {img[:120]}")
    return problems


def missing_sections(pdf_plain: str, headings: list[str]) -> list[str]:
    flat = " ".join(pdf_plain.split())
    return [f"PDF: section '{h}' not found" for h in headings if h not in flat]


def chromium_problems(html_path: Path) -> list[str]:
    """Load the HTML in headless Chromium: no console errors, and every plotly figure drawn."""
    browser = static_images.ensure_browser()
    html = Path(html_path).read_text(encoding="utf-8")
    expected = len(re.findall(r'class="plotly-figure"', html))
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=15000",
                "--dump-dom",
                Path(html_path).resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    problems = [
        f"Chromium console: {line.strip()[:200]}"
        for line in result.stderr.splitlines()
        if "CONSOLE" in line and re.search(r"error|uncaught", line, re.I)
    ]
    ids = re.findall(r'<div id="(fig-[\w-]+-plot)"', html)
    if len(ids) != expected:
        problems.append(f"HTML: {expected} plotly figures but {len(ids)} plot divs with an id")
    for plot_id, drawn in figures_drawn(result.stdout, ids).items():
        if not drawn:
            problems.append(f"Chromium: figure {plot_id} was not drawn")
    return problems


def figures_drawn(dom: str, plot_ids: list[str]) -> dict[str, bool]:
    """For each plot div id: does the rendered DOM hold a plotly svg inside it (before the next
    figure starts)?"""
    out = {}
    for plot_id in plot_ids:
        start = dom.find(f'id="{plot_id}"')
        if start < 0:
            out[plot_id] = False
            continue
        following = [dom.find(f'id="{other}"', start + 1) for other in plot_ids if other != plot_id]
        end = min([pos for pos in following if pos > start] or [len(dom)])
        out[plot_id] = 'class="main-svg"' in dom[start:end]
    return out
