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

    def test_a_number_at_line_start_does_not_become_a_list_marker(self, tmp_path):
        """'(4 av\\n  {{< var n >}}) insatser' inside a bullet: expanded to '9) insatser' pandoc
        starts a sublist (Quarto expands after parsing, so there it is text)."""
        import pypandoc

        text = "- de större (4 av\n  {{< var n >}}) insatser och\n  {{< var n >}}. Sedan x {{< var n >}}. y"
        out = fallback.expand_shortcodes(text, tmp_path, {"n": "9"}, {}, "html")
        assert out == "- de större (4 av\n  9\\) insatser och\n  9\\. Sedan x 9. y"
        html = pypandoc.convert_text(out, "html", format="markdown")
        assert "<ol" not in html and "9) insatser" in html and "9. Sedan" in html
        unescaped = pypandoc.convert_text(out.replace("\\", ""), "html", format="markdown")
        assert "<ol" in unescaped  # the case the escape exists for

    def test_pagebreak_only_in_pdf(self, tmp_path):
        assert fallback.expand_shortcodes("{{< pagebreak >}}", tmp_path, {}, {}, "html") == ""
        assert "#pagebreak()" in fallback.expand_shortcodes("{{< pagebreak >}}", tmp_path, {}, {}, "pdf")


def test_metadata_merges_project_files_front_matter_and_format_options(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        yaml.safe_dump(
            {
                "lang": "sv",
                "metadata-files": ["meta.yml"],
                "toc": True,
                "format": {"html": {"css": "style.css"}, "typst": {"papersize": "a4"}},
            }
        )
    )
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


TITLED = """---
title: Rapporten
subtitle: Underrubrik
version: "2.1"
date: "2026-11-22"
lang: sv-SE
author:
  - name: Gruppen
    affiliation: FoU-enheten
---
# Del {#sec-del}

Han sa "hej" och 'då'.

| Nyckel | Värde |
|---|---|
| a | 1 |

: Tabelltext. {#tbl-nyckel}

::: {#tbl-b}
| x | y |
|---|---|
| 1 | 2 |

Tabelltext B.
:::

|   |   |
|---|---|
| Byggdatum | 2026 |
"""


@pytest.fixture
def titled(tmp_path):
    (tmp_path / "doc.qmd").write_text(TITLED, encoding="utf-8")
    return tmp_path


class TestHtmlPage:
    def test_title_block_has_authors_affiliation_and_the_date_in_swedish(self, titled):
        html = fallback.render(titled / "doc.qmd", "html", titled / "doc.html", titled).read_text(encoding="utf-8")
        header = " ".join(html[html.index('id="title-block-header"') : html.index("</header>")].split())
        assert "Gruppen" in header and "FoU-enheten" in header and "22 november 2026" in header
        assert "Version 2.1" in header and '<html lang="sv-SE">' in html

    def test_swedish_quotation_marks(self, titled):
        html = fallback.render(titled / "doc.qmd", "html", titled / "doc.html", titled).read_text(encoding="utf-8")
        assert "\u201dhej\u201d" in html and "\u2019då\u2019" in html
        assert "\u201c" not in html and "\u2018" not in html

    def test_numbered_table_caption_sits_outside_the_scroll_box(self, titled):
        html = fallback.render(titled / "doc.qmd", "html", titled / "doc.html", titled).read_text(encoding="utf-8")
        caption = html.index('id="tbl-b-caption"')
        box = html.index('class="table-scroll"', caption)
        assert "Tabell\u00a01: Tabelltext B." in html[caption:box]
        assert "<caption" not in html[box : html.index("</table>", box)]

    def test_a_table_without_header_row_gets_row_headers(self, titled):
        html = fallback.render(titled / "doc.qmd", "html", titled / "doc.html", titled).read_text(encoding="utf-8")
        last = html.rindex("<table")
        assert "<th" in html[last : html.index("</table>", last)] and "Byggdatum" in html[last:]

    def test_side_table_of_contents_and_the_page_script(self, titled):
        (titled / "_quarto.yml").write_text("toc: true\ntoc-title: Innehåll\n", encoding="utf-8")
        html = fallback.render(titled / "doc.qmd", "html", titled / "doc.html", titled).read_text(encoding="utf-8")
        assert '<details class="toc" id="toc-box">' in html and '<nav id="TOC"' in html
        assert "position: sticky" in html and "adaptAll" in html


class TestPdfPage:
    def test_cover_then_colophon_then_body_in_one_font_family_and_swedish(self, titled):
        from pypdf import PdfReader

        pdf = PdfReader(fallback.render(titled / "doc.qmd", "pdf", titled / "doc.pdf", titled))
        cover, colophon = pdf.pages[0].extract_text(), pdf.pages[1].extract_text()
        assert "Rapporten" in cover and "Underrubrik" in cover and "22 november 2026" in cover
        assert "FoU-enheten" in cover and "2.1" not in cover  # the version is in the colophon
        assert "Version 2.1" in colophon
        assert "Del" in pdf.pages[2].extract_text()
        assert pdf.trailer["/Root"]["/Lang"] == "sv-SE"
        fonts = set()
        for page in pdf.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1].split("-")[0])
        assert fonts == {"LiberationSans"}


def test_the_html_is_the_same_bytes_every_time(titled):
    outputs = {
        fallback.render(titled / "doc.qmd", "html", titled / f"doc{i}.html", titled).read_bytes() for i in range(5)
    }
    assert len(outputs) == 1
