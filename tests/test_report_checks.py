from support import report_checks as rc


def test_text_problems_find_each_kind():
    text = "Se ?? och {{< var x >}}, @fig-a, NaN och 66.7 % – men 66,7 % och e-post a@b.se är fina."
    found = " | ".join(rc.text_problems(text, "t"))
    for what in ("'??'", "unexpanded shortcode", "unresolved cross-reference", "NaN", "decimal point"):
        assert what in found
    assert rc.text_problems("Andelen var 66,7 % (26 av 39), se Figur 1.", "t") == []


def test_html_text_drops_scripts_and_tags():
    assert rc.html_text("<p>66,7 %</p><script>var a = b ?? c;</script>").split() == ["66,7", "%"]


def test_figures_need_alt_text():
    good = '<div role="img" aria-label="Stapeldiagram över andelar" class="plotly-figure">'
    bad = '<div role="img" aria-label="" class="plotly-figure">'
    assert rc.figure_alt_problems(good) == []
    assert len(rc.figure_alt_problems(bad + '<img src="x.png">')) == 2


def test_figures_drawn_looks_inside_each_plot_div():
    dom = '<div id="fig-a-plot"><svg class="main-svg"></svg></div><div id="fig-b-plot"></div>'
    assert rc.figures_drawn(dom, ["fig-a-plot", "fig-b-plot"]) == {"fig-a-plot": True, "fig-b-plot": False}


def test_missing_sections_are_named():
    assert rc.missing_sections("1 Bakgrund\ntext 2 Metod", ["Bakgrund", "Metod", "Diskussion"]) == [
        "PDF: section 'Diskussion' not found"
    ]
