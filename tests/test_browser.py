"""The HTML report in a real browser (Playwright driving the system's Chromium) at a phone's,
a tablet's and a desktop's width: figures not cramped, nothing wider than the page, the table of
contents beside the text on a desktop, Swedish quotation marks, offline, and axe-core (npm) finds
no serious or critical accessibility violation.

The report is built once, with `make report`, in a temporary copy of the project.
"""

import os
import shutil
import sys
from pathlib import Path

import pytest

from analysis import verify

playwright = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or os.environ.get("BROWSER_PATH")
WIDTHS = (390, 800, 1280)
MB = 1024 * 1024

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian: apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` in the project folder"
    project = verify.copy_project(ROOT, tmp_path_factory.mktemp("browser") / "project")
    # built with the venv that runs the tests (sys.prefix)
    result = verify.make(project, Path(sys.prefix), "report", "BUILD_DATE=2026-11-22")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project / "report" / "_output" / "rapport.html"


@pytest.fixture(scope="module")
def pages(report):
    """The report opened once per width (offline: any request but the file itself is refused)."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        opened = {}
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            requests, errors = [], []
            page.route(
                "**/*",
                lambda route, requests=requests: (
                    route.continue_()
                    if route.request.url.startswith("file:")
                    else (requests.append(route.request.url), route.abort())
                ),
            )
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            page.goto(report.as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
            page.wait_for_timeout(800)  # the narrow-screen layout runs after load
            opened[width] = (page, requests, errors)
        yield opened
        browser.close()


FIGURES = """() => [...document.querySelectorAll('.plotly-figure')].map(box => {
  const plot = box.querySelector('.js-plotly-plot');
  const r = plot.getBoundingClientRect();
  const areas = [...plot.querySelectorAll('.nsewdrag.drag')].map(e => e.getBoundingClientRect());
  const legend = plot.querySelector('.legend');
  return {id: plot.id, width: r.width, left: r.left, right: r.right,
          plotWidth: areas.reduce((sum, a) => sum + a.width, 0),
          plotBottom: Math.max(...areas.map(a => a.bottom)),
          svgBottom: plot.querySelector('.main-svg').getBoundingClientRect().bottom,
          boxBottom: box.getBoundingClientRect().bottom,
          legendTop: legend ? legend.getBoundingClientRect().top : null,
          modebar: !!plot.querySelector('.modebar-btn'),
          alt: box.getAttribute('aria-label') || '', role: box.getAttribute('role')};
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_figures_are_not_cramped_and_nothing_overflows(pages, width):
    page, requests, errors = pages[width]
    assert errors == []
    assert requests == [], "the report must work offline"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    figures = page.evaluate(FIGURES)
    assert len(figures) >= 4  # Stockholm organisation and sufficiency, Dalarna, the ÖJ heat map
    for fig in figures:
        assert fig["left"] >= 0 and fig["right"] <= width, fig
        assert fig["plotWidth"] >= 0.5 * fig["width"], (
            f"{fig['id']}: plotting area {fig['plotWidth']:.0f} of {fig['width']:.0f} px"
        )
        assert fig["svgBottom"] <= fig["boxBottom"] + 1, f"{fig['id']}: the plot is cut off at the bottom"
        if width < 600 and fig["legendTop"] is not None:
            assert fig["legendTop"] >= fig["plotBottom"] - 1, f"{fig['id']}: the legend is not below the plot"
        assert not fig["modebar"], f"{fig['id']}: no mode bar"
        assert fig["role"] == "img" and len(fig["alt"]) > 20, f"{fig['id']}: alt text"


LABELS_SHOWN = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
  const y = plot.layout.yaxis || {};
  return {id: plot.id, tickvals: (y.tickvals || []).map(String), ticktext: (y.ticktext || []).map(String),
          shown: [...plot.querySelectorAll('.annotation-text, .ytick text')].map(t => t.textContent)};
})"""


def test_a_phone_shows_row_labels_not_row_ids(pages):
    """Where a figure names its rows with tick texts (row ids as the category values), the labels
    moved above the rows on a phone are those texts, never the ids."""
    page = pages[390][0]
    checked = 0
    for fig in page.evaluate(LABELS_SHOWN):
        renamed = {v for v, t in zip(fig["tickvals"], fig["ticktext"]) if v != t}
        if renamed:
            checked += 1
            leaked = renamed & {text.strip() for text in fig["shown"]}
            assert not leaked, f"{fig['id']}: row ids shown as labels: {sorted(leaked)[:5]}"
    assert checked, "no figure maps row ids to labels any more: this test checks nothing"


def test_side_table_of_contents_on_a_desktop(pages):
    page, _, _ = pages[1280]
    page.mouse.wheel(0, 6000)
    page.wait_for_timeout(300)
    toc, main = page.locator("#TOC").bounding_box(), page.locator("main").bounding_box()
    assert toc is not None and toc["x"] + toc["width"] <= main["x"], "the table of contents stands beside the text"
    assert 0 <= toc["y"] < 900, "the table of contents stays in view while reading"
    page.mouse.wheel(0, -6000)


def test_table_of_contents_collapsed_on_a_phone(pages):
    page, _, _ = pages[390]
    assert page.locator("#toc-box").get_attribute("open") is None
    assert not page.locator("#TOC").is_visible()
    page.locator("#toc-box summary").click()
    assert page.locator("#TOC").is_visible()
    page.locator("#toc-box summary").click()


def test_title_block_and_swedish_text(pages):
    page, _, _ = pages[800]
    header = page.locator("#title-block-header").inner_text()
    assert "22 november 2026" in header
    # the version is the technical companion's, not on the report's title page
    assert "Version" not in header and "version" not in page.locator(".subtitle").inner_text().lower()
    assert page.evaluate("document.documentElement.lang") == "sv-SE"
    text = page.locator("main").inner_text()
    assert "\u201c" not in text and "\u201e" not in text, "English quotation marks in the text"


def test_tables_have_header_cells_and_captions_outside_their_scroll_box(pages):
    page, _, _ = pages[390]
    tables = page.evaluate("""() => [...document.querySelectorAll('main table')].map(t => ({
        headers: t.querySelectorAll('th').length, caption: !!t.querySelector('caption'),
        scrolls: !!t.closest('.table-scroll')}))""")
    assert tables and all(t["headers"] > 0 for t in tables)
    assert all(t["scrolls"] and not t["caption"] for t in tables)
    captions = page.evaluate("""() => [...document.querySelectorAll('.table-caption')].map(c => {
        const r = c.getBoundingClientRect(); return [r.left, r.right, !!c.closest('.table-scroll')]; })""")
    assert captions and all(left >= 0 and right <= 390 and not inside for left, right, inside in captions)


@pytest.mark.parametrize("width", (390, 1280))
def test_axe_finds_no_serious_or_critical_violation(pages, width):
    page, _, _ = pages[width]
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_the_html_is_at_most_3_mb_and_self_contained(report):
    from analysis.render import fallback

    html = report.read_text(encoding="utf-8")
    assert report.stat().st_size <= 3 * MB
    assert fallback.external_resources(html) == []
    assert "plotly.js (cartesian" in html  # the partial bundle, inline
