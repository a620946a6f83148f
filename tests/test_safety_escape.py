"""Issue 14, item 3: text from inputs is data. Hostile labels, headers, variables and config
titles go through the choke points (tables, report variables, figures, title metadata) and come
out of pandoc (HTML and Typst) and the fallback's shortcode expansion as the characters typed."""

import html
import json
import re

import pandas as pd
import pypandoc
import pytest
import yaml

from analysis import assemble, escape, figures, report_vars, tables
from analysis.render import fallback

HOSTILE = [
    "{{< include /etc/hostname >}}",
    '<b onmouseover="alert(1)">fet</b>',
    "[klicka](javascript:alert(1))",
    "<script>alert(1)</script>",
    "$x^2$ och $$y$$",
    "@smith2020 och [@doe]",
    "**fet** _kursiv_ `kod` ~~struken~~ H~2~O x^2^",
    "- en lista",
    "1. numrerad",
    "# rubrik",
    "&lt;b&gt; &amp;",
    "a | b \\| c",
    "`{=typst}` #set page(width: 1cm)",
    "<!-- kommentar -->",
    "ett\nradbrott",
]


def html_of(markdown: str) -> str:
    return pypandoc.convert_text(markdown, "html5", format="markdown")


def plain(text: str) -> str:
    return " ".join(text.splitlines())


def straight(text: str) -> str:
    """pandoc's `smart` typography (curly quotes) is not markup: compared as straight quotes."""
    return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_shows_the_characters_typed(text):
    out = html_of(escape.markdown(text))
    assert straight(html.unescape(re.sub(r"</?p>", "", out))).strip() == plain(text).strip()
    assert "<b " not in out and "<script" not in out and "href=" not in out and "<strong" not in out
    assert 'class="math' not in out and "citation" not in out and "<li" not in out and "<h1" not in out


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_in_typst_is_text(text):
    out = pypandoc.convert_text(escape.markdown(text), "typst", format="markdown")
    assert "#strong" not in out and "#emph" not in out and "#link" not in out and "#cite" not in out
    assert "#set page" not in out.replace("\\#set page", "")


def test_table_cells_and_headers_are_escaped(tmp_path):
    frame = pd.DataFrame({HOSTILE[1]: HOSTILE, "n": range(len(HOSTILE))})
    path = tables.save("tbl-hostile", frame, "Rubrik.", tmp_path, source_refs=["x"])
    text = path.read_text(encoding="utf-8")
    assert "{{<" not in text
    out = html_of(text)
    assert "<b " not in out and "<script" not in out and "href=" not in out and "<em>" not in out
    # the table keeps its shape: one row per input, two columns
    assert out.count("<tr") == len(HOSTILE) + 1
    assert html.escape("{{< include /etc/hostname >}}", quote=False) in out


def test_projects_own_bold_heading_row_and_code_span_stay():
    frame = pd.DataFrame({"A": ["**Organisation**", "`data/raw/x.csv`"]})
    text = tables.pipe_table(frame)
    assert "| **Organisation** |" in text and "| `data/raw/x.csv` |" in text
    assert tables.markdown_cell(escape.Markup("*mall*")) == "*mall*"
    hostile_bold = tables.pipe_table(pd.DataFrame({"A": ["**<b onmouseover=x>**"]}))
    assert "<b " not in html_of(hostile_bold)


def test_shortcode_in_an_included_table_is_not_expanded(tmp_path):
    frame = pd.DataFrame({"Kategori": ["{{< include secret.txt >}}", "{{< var a.b >}}", "{{< meta title >}}"]})
    tables.save("tbl-x", frame, "Rubrik.", tmp_path, source_refs=["x"])
    (tmp_path / "secret.txt").write_text("HEMLIGT", encoding="utf-8")
    (tmp_path / "doc.qmd").write_text("{{< include tbl-x.md >}}\n", encoding="utf-8")
    out = fallback.expand_shortcodes(
        (tmp_path / "doc.qmd").read_text(), tmp_path, {"a": {"b": "VAR"}}, {"title": "META"}, "html"
    )
    assert "HEMLIGT" not in out and "VAR" not in out and "META" not in out


def test_report_variables_are_escaped_in_the_text_and_raw_in_the_provenance(tmp_path):
    numbers = report_vars.ReportNumbers("sec")
    numbers.add("label", HOSTILE[0], "d", "ref")
    numbers.add("tag", HOSTILE[1], "d", "ref")
    numbers.write(tmp_path)
    values = yaml.safe_load((tmp_path / "vars" / "sec.yml").read_text(encoding="utf-8"))["sec"]
    assert "{{<" not in values["label"]
    assert "<b " not in html_of(values["tag"])
    provenance = pd.read_csv(tmp_path / "provenance" / "sec.csv", dtype=str)
    assert list(provenance["value"]) == [HOSTILE[0], HOSTILE[1]]


def test_missing_note_escapes_the_source_and_indicator_names(tmp_path):
    path = report_vars.save_missing_note("tbl-y", "Tabellen", tmp_path, "<script>x</script>", ["{{< include a >}}"])
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text and "{{<" not in text


def test_config_title_subtitle_and_authors_are_escaped():
    config = {
        "report": {
            "title": "<script>alert(1)</script>",
            "subtitle": "[x](javascript:alert(1))",
            "version": "1",
            "authors": [{"name": "@doe", "affiliation": "$a$"}],
        },
        "sources": {},
    }
    meta = assemble.report_metadata(config, "2026-01-01")
    standalone = pypandoc.convert_text(
        "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\ntext\n",
        "html5",
        format="markdown",
        extra_args=["--standalone"],
    )
    assert 'href="javascript' not in standalone and "<script>alert" not in standalone
    assert "&lt;script&gt;" in standalone


def test_figure_text_is_escaped_but_line_breaks_kept(tmp_path):
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Bar(
            y=['<b onmouseover="x">A</b>', "lång<br>etikett", '<a href="javascript:x">l</a>'],
            x=[1, 2, 3],
            hovertemplate="%{y}<br>%{x}<extra></extra>",
        )
    )
    fig.update_layout(title_text="<script>t</script>")
    saved = figures.ReportFigure(id="fig-hostile", figure=fig, caption="C.", alt="A", source="S.", source_refs=("r",))
    figures.save(saved, tmp_path)
    data = json.loads((tmp_path / "fig-hostile.json").read_text(encoding="utf-8"))
    labels = data["data"][0]["y"]
    assert labels[0].startswith("&lt;b ") and "lång<br>etikett" == labels[1] and "<a " not in labels[2]
    assert data["data"][0]["hovertemplate"] == "%{y}<br>%{x}<extra></extra>"
    assert "<script>" not in data["layout"]["title"]["text"]


def test_captions_and_alt_text_with_input_text_cannot_open_markup(tmp_path):
    import plotly.graph_objects as go

    label = "{{< include secret.txt >}} <b onmouseover=x>y</b> $x$"
    saved = figures.ReportFigure(
        id="fig-cap",
        figure=go.Figure(go.Bar(x=[1], y=["a"])),
        caption=f"Andel för {label}.",
        alt=f"Stapel: {label}",
        source="Källa: *mall*.",
        source_refs=("r",),
    )
    figures.save(saved, tmp_path)
    tables.save("tbl-cap", pd.DataFrame({"a": ["1"]}), f"Tabell för {label}.", tmp_path, source_refs=["r"])
    (tmp_path / "secret.txt").write_text("HEMLIGT", encoding="utf-8")
    for item in ("fig-cap.md", "tbl-cap.md"):
        text = (tmp_path / item).read_text(encoding="utf-8")
        expanded = fallback.expand_shortcodes(text, tmp_path, {}, {}, "html")
        assert "HEMLIGT" not in expanded
        out = html_of(expanded)
        assert "<b onmouseover" not in out and 'class="math' not in out
    out = html_of((tmp_path / "fig-cap.md").read_text(encoding="utf-8"))
    assert "<em>mall</em>" in out  # the template's own Markdown still works
