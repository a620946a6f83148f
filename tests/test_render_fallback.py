import pytest
import yaml

from analysis.render import fallback


class TestExpandShortcodes:
    def test_var_with_dotted_name(self, tmp_path):
        out = fallback.expand_shortcodes("x {{< var a.b >}} y", tmp_path, {"a": {"b": "66,7 %"}}, {}, "html")
        assert out == "x 66,7 % y"

    def test_nested_include_is_relative_to_the_main_document_as_in_quarto(self, tmp_path):
        (tmp_path / "sections").mkdir()
        (tmp_path / "sections" / "_part.md").write_text("part {{< include _generated/x.md >}}")
        (tmp_path / "_generated").mkdir()
        (tmp_path / "_generated" / "x.md").write_text("{{< var v >}}")
        out = fallback.expand_shortcodes("{{< include sections/_part.md >}}", tmp_path, {"v": "1"}, {}, "html")
        assert out == "part 1"

    def test_undefined_var_names_the_variable(self, tmp_path):
        with pytest.raises(fallback.RenderError, match="a.missing"):
            fallback.expand_shortcodes("{{< var a.missing >}}", tmp_path, {"a": {}}, {}, "html")

    def test_unknown_shortcode_stops_the_build(self, tmp_path):
        with pytest.raises(fallback.RenderError, match="video"):
            fallback.expand_shortcodes("{{< video x.mp4 >}}", tmp_path, {}, {}, "html")

    def test_pagebreak_only_in_pdf(self, tmp_path):
        assert fallback.expand_shortcodes("{{< pagebreak >}}", tmp_path, {}, {}, "html") == ""
        assert "#pagebreak()" in fallback.expand_shortcodes("{{< pagebreak >}}", tmp_path, {}, {}, "pdf")


def test_metadata_merges_project_files_front_matter_and_format_options(tmp_path):
    (tmp_path / "_quarto.yml").write_text(yaml.safe_dump({
        "lang": "sv", "metadata-files": ["meta.yml"], "toc": True,
        "format": {"html": {"css": "style.css"}, "typst": {"papersize": "a4"}},
    }))
    (tmp_path / "meta.yml").write_text("title: Titel\n")
    doc = tmp_path / "doc.qmd"
    doc.write_text("---\nsubtitle: Under\n---\ntext\n")
    html = fallback.project_metadata(doc, tmp_path, "html")
    assert (html["lang"], html["title"], html["subtitle"], html["css"]) == ("sv", "Titel", "Under", "style.css")
    assert "papersize" not in html
    assert fallback.project_metadata(doc, tmp_path, "pdf")["papersize"] == "a4"


DOC = """---
number-sections: true
---
# Resultat {#sec-res}

Se @fig-a, @tbl-b och @sec-res.

::: {#fig-a}
::: {.content-visible when-format="html"}
HTML-ONLY
:::
::: {.content-visible unless-format="html"}
PDF-ONLY
:::

Bildtext A.
:::

::: {#tbl-b}
| x | y |
|---|---|
| 1 | 2 |

Tabelltext B.
:::

::: {.callout-note title="Obs"}
Viktigt.
:::
"""


@pytest.fixture
def report_dir(tmp_path):
    (tmp_path / "doc.qmd").write_text(DOC, encoding="utf-8")
    return tmp_path


def test_html_numbers_figures_tables_sections_and_resolves_references(report_dir):
    out = fallback.render(report_dir / "doc.qmd", "html", report_dir / "out" / "doc.html", report_dir)
    html = out.read_text(encoding="utf-8")
    assert "Figur\u00a01: Bildtext A." in html
    assert "Tabell\u00a01: Tabelltext B." in html
    assert 'href="#fig-a">Figur\u00a01</a>' in html and 'href="#sec-res">Avsnitt\u00a01</a>' in html
    assert "HTML-ONLY" in html and "PDF-ONLY" not in html
    assert "Obs" in html and "callout-note" in html
    assert "@fig" not in html and "??" not in html


def test_pdf_is_written_and_keeps_only_pdf_content(report_dir):
    from pypdf import PdfReader

    out = fallback.render(report_dir / "doc.qmd", "pdf", report_dir / "out" / "doc.pdf", report_dir)
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "PDF-ONLY" in text and "HTML-ONLY" not in text
    assert "Figur 1: Bildtext A." in " ".join(text.split()).replace("\u00a0", " ")
    assert not list(report_dir.glob(".*.fallback.*")), "intermediate files must be removed"


def test_unresolved_reference_fails(report_dir):
    (report_dir / "doc.qmd").write_text("See @fig-missing.\n")
    with pytest.raises(RuntimeError, match="fig-missing"):
        fallback.render(report_dir / "doc.qmd", "html", report_dir / "doc.html", report_dir)
    assert not (report_dir / "doc.html").exists()


def test_html_is_self_contained_with_inlined_css(report_dir):
    (report_dir / "_quarto.yml").write_text("format:\n  html:\n    css: style.css\n")
    (report_dir / "style.css").write_text("body { color: #123456; }")
    html = fallback.render(report_dir / "doc.qmd", "html", report_dir / "out.html", report_dir).read_text()
    assert "#123456" in html
    assert fallback.external_resources(html) == []


def test_external_resources_are_found():
    html = '<img src="fig.png"><script src="data:text/javascript,1"></script><link href="x.css" rel="stylesheet">'
    assert fallback.external_resources(html) == ["fig.png", "x.css"]
