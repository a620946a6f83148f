"""Figure definitions (plotly) and how each figure is saved for the report.

One figure definition serves both formats: the HTML report embeds the interactive plotly figure,
the PDF gets a static PNG of the same figure (exported later, all in one Chromium session, by
`analysis.static_images`).
"""

import json
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from . import escape, paths, swedish
from .io import write_text_atomic
from .report_vars import write_provenance

# Okabe–Ito: safe for the common colour-vision deficiencies; the first three also differ in
# lightness, so they stay apart in greyscale.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#CC79A7", "#F0E442", "#000000"]
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
WIDTH, HEIGHT = 820, 420


@dataclass(frozen=True)
class ReportFigure:
    """A figure with everything the report shows around it."""

    id: str  # cross-reference id, e.g. "fig-women-learned-via" → referred to as @fig-women-learned-via
    figure: go.Figure
    caption: str
    alt: str
    source: str  # the source line under the caption
    source_refs: tuple[str, ...] = ()  # provenance: the raw rows' source_ref behind the figure
    static: go.Figure | None = None  # the PDF's static image where it differs from the HTML figure


def base_layout(fig: go.Figure, height: int = HEIGHT) -> go.Figure:
    """Swedish number separators, the palette, and a plain white theme that prints well."""
    fig.update_layout(
        template="simple_white",
        separators=",\u00a0",
        colorway=PALETTE,
        font=dict(family=FONT, size=14, color="#222222"),
        width=WIDTH,
        height=height,
        margin=dict(l=10, r=30, t=20, b=10),
        showlegend=False,
    )
    return fig


def horizontal_share_bars(labels, shares, counts, totals, axis_title: str) -> go.Figure:
    """Horizontal bars of shares (0–1) labelled '67 % (26 av 39)', largest first from the top."""
    texts = [f"{swedish.count_of(n, t)} ({swedish.percent_on(s, t)})" for s, n, t in zip(shares, counts, totals)]
    fig = go.Figure(
        go.Bar(
            y=list(labels),
            x=[100 * s for s in shares],
            orientation="h",
            marker_color=PALETTE[0],
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="\u00a0%", title_text=axis_title, showgrid=True)
    fig.update_yaxes(autorange="reversed", title_text=None)
    return base_layout(fig, height=140 + 55 * len(labels))


def wrap_label(text, width: int = 42, *, after_slash: bool = False) -> str:
    """A long label for a figure (axis, bar, hover or band label: plotly does not wrap them by
    itself) broken into lines of at most `width` characters joined by <br>, at spaces (and, with
    `after_slash`, after a '/', counted as if a space followed it). A word longer than `width`
    stays whole; a word is never split at a hyphen. The one home for label wrapping."""
    text = str(text)
    lines: list[str] = []
    for word in (text.replace("/", "/ ") if after_slash else text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if after_slash:
        lines = [line.replace("/ ", "/") for line in lines]
    return "<br>".join(lines) or text


def horizontal_dumbbell(
    labels, left_values, right_values, left_texts, right_texts, *, left_name: str, right_name: str, axis_title: str
) -> go.Figure:
    """One row per label: two shares (0–1) joined by a line, e.g. the nation vs a selection.
    The two series differ in colour, lightness and marker symbol (readable in greyscale); each
    point carries its own text label, placed on the outer side of the pair. First label on top."""
    labels = list(labels)
    left = [100 * v for v in left_values]
    right = [100 * v for v in right_values]
    fig = go.Figure()
    for y, a, b in zip(labels, left, right):
        fig.add_trace(
            go.Scatter(
                x=[a, b],
                y=[y, y],
                mode="lines",
                line=dict(color="#9a9a9a", width=2),
                hoverinfo="skip",
                showlegend=False,
            )
        )

    def outer(values, others):
        return ["middle left" if v <= o else "middle right" for v, o in zip(values, others)]

    for values, others, texts, name, colour, symbol in (
        (left, right, left_texts, left_name, PALETTE[1], "diamond"),
        (right, left, right_texts, right_name, PALETTE[0], "circle"),
    ):
        fig.add_trace(
            go.Scatter(
                x=values,
                y=labels,
                mode="markers+text",
                name=name,
                marker=dict(color=colour, symbol=symbol, size=13, line=dict(color="#222222", width=1)),
                text=list(texts),
                textposition=outer(values, others),
                cliponaxis=False,
                hovertemplate=f"{name}: %{{text}}<extra></extra>",
            )
        )
    ticks = [0, 20, 40, 60, 80, 100]
    fig.update_xaxes(
        range=[-20, 140], tickvals=ticks, ticktext=[f"{t}\u00a0%" for t in ticks], title_text=axis_title, showgrid=True
    )
    fig.update_yaxes(autorange="reversed", title_text=None)
    base_layout(fig, height=150 + 60 * len(labels))
    fig.update_layout(
        showlegend=True, legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom"), margin=dict(l=10, r=30, t=50, b=10)
    )
    return fig


def count_ticks(total: int, most: int = 5) -> list[int]:
    """Round ticks from 0 up to and including `total` (the base, so the reader sees where a full
    bar ends); a round tick too close to `total` is left out."""
    step = (
        next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if total / s <= most)
        if total <= 1000 * most
        else -(-total // most)
    )
    return [t for t in range(0, total, step) if total - t > step / 2] + [total]


@dataclass(frozen=True)
class AnswerStyle:
    """How one answer option of a stacked bar is drawn: fill, text colour and an optional
    pattern, so the options also differ in greyscale."""

    color: str
    text_color: str = "#FFFFFF"
    pattern: str = ""  # plotly pattern shape: "/", "x", ".", …
    pattern_color: str = "#555555"


def stacked_answer_bars(groups, answers, counts, total: int, axis_title: str, styles: list[AnswerStyle]) -> go.Figure:
    """Horizontal stacked bars of answer counts per group, every bar reaching `total`.

    `counts[i][j]` is the count of answer `answers[i]` in group `groups[j]`. Each segment is
    labelled with its count (and its share of `total` where it is wide enough); the legend keeps
    the order of `answers`.
    """
    if not len(answers) == len(counts) == len(styles):
        raise ValueError("stacked_answer_bars: answers, counts and styles must have the same length")
    fig = go.Figure()
    for answer, row, style in zip(answers, counts, styles):
        if len(row) != len(groups):
            raise ValueError(f"stacked_answer_bars: {answer!r} has {len(row)} counts for {len(groups)} groups")
        shares = [n / total for n in row]
        texts = [
            (f"{swedish.number(n)}<br>({swedish.percent_on(s, total)})" if s >= 0.15 else swedish.number(n))
            if n
            else ""
            for n, s in zip(row, shares)
        ]
        hovers = [f"{swedish.count_of(n, total)} ({swedish.percent_on(s, total)})" for n, s in zip(row, shares)]
        fig.add_trace(
            go.Bar(
                name=answer,
                y=list(groups),
                x=list(row),
                orientation="h",
                marker=dict(
                    color=style.color,
                    line=dict(color="#444444", width=1),
                    pattern=dict(shape=style.pattern, fgcolor=style.pattern_color, size=8, solidity=0.25),
                ),
                text=texts,
                textposition="inside",
                insidetextanchor="middle",
                textfont=dict(color=style.text_color),
                customdata=hovers,
                hovertemplate="%{y}<br>" + answer + ": %{customdata}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, total], tickvals=count_ticks(total), title_text=axis_title, showgrid=True)
    fig.update_yaxes(autorange="reversed", title_text=None)
    base_layout(fig, height=170 + 95 * len(groups))
    fig.update_layout(
        showlegend=True,
        legend=dict(orientation="h", x=0, y=1.02, xanchor="left", yanchor="bottom", traceorder="normal", title_text=""),
        margin=dict(l=10, r=30, t=60, b=10),
    )
    return fig


def html_config(fig: go.Figure) -> dict:
    """plotly's config in the HTML: responsive, and no mode bar (the report's charts are simple;
    zoom and lasso buttons only get in the way, and inside the figure's role="img" they would be
    focusable controls a screen reader is told are not there)."""
    return {"displaylogo": False, "responsive": True, "displayModeBar": False}


def save(report_figure: ReportFigure, assets_dir: Path, image_dir: str = "_generated") -> Path:
    """Write the figure's plotly JSON (for the static export), its HTML fragment and the Markdown
    snippet that the report includes. Returns the snippet's path. `image_dir`: where the PDF's
    PNG is, seen from report/ (a county mapping's assets live in a subfolder)."""
    assets_dir = Path(assets_dir)
    fid = report_figure.id
    # input text in labels is data: plotly.js would draw some HTML in it (escape.plotly_figure)
    plain = json.loads(pio.to_json(report_figure.figure))
    escaped = escape.plotly_figure(plain)
    figure = report_figure.figure if escaped == plain else go.Figure(escaped)
    static = figure
    if report_figure.static is not None:  # e.g. a heat map: one page in the PDF, wrapped labels in the HTML
        static = go.Figure(escape.plotly_figure(json.loads(pio.to_json(report_figure.static))))
    write_text_atomic(assets_dir / f"{fid}.json", pio.to_json(static, pretty=False))
    # The static PNG keeps the fixed WIDTH; the HTML figure follows its column instead, so it
    # does not overflow (and need a scrollbar) in a window narrower than WIDTH.
    html_figure = go.Figure(figure).update_layout(width=None, autosize=True)
    fragment = pio.to_html(
        html_figure,
        full_html=False,
        include_plotlyjs=False,
        div_id=f"{fid}-plot",
        config=html_config(report_figure.figure),
    )
    alt = _attribute(report_figure.alt)
    snippet = "\n".join(
        [
            f'::: {{#{fid} fig-alt="{alt}"}}',
            '::: {.content-visible when-format="html"}',
            "```{=html}",
            f'<div role="img" aria-label="{alt}" class="plotly-figure">',
            fragment,
            "</div>",
            "```",
            ":::",
            '::: {.content-visible unless-format="html"}',
            f'![]({image_dir}/{fid}.png){{fig-alt="{alt}" width="100%"}}',
            ":::",
            "",
            f"{escape.caption(report_figure.caption)} {escape.caption(report_figure.source)}",
            ":::",
            "",
        ]
    )
    write_provenance(assets_dir, fid, report_figure.caption, report_figure.source_refs)
    return write_text_atomic(assets_dir / f"{fid}.md", snippet)


def _attribute(text: str) -> str:
    return escape.attribute(text)


def load_json(path: Path) -> go.Figure:
    return pio.from_json(Path(path).read_text(encoding="utf-8"))


def figure_ids(assets_dir: Path) -> list[str]:
    return sorted(p.stem for p in Path(assets_dir).glob("fig-*.json"))


class PlotlyBundleMissingError(RuntimeError):
    """Raised when the partial plotly.js bundle (npm package, see package.json) is not installed."""


# The official partial bundle with the cartesian trace types (bar, scatter, heatmap: all the report
# uses), from npm at the version in package-lock.json (the plotly.js that this plotly.py targets):
# 1,5 MB instead of the full 4,8 MB bundle.
PLOTLY_BUNDLE = paths.ROOT / "node_modules" / "plotly.js-cartesian-dist-min" / "plotly-cartesian.min.js"


def plotly_header(target: Path, bundle: Path = PLOTLY_BUNDLE) -> Path:
    """plotly.js once, inline, for the HTML header: the report works offline."""
    bundle = Path(bundle)
    if not bundle.is_file():
        raise PlotlyBundleMissingError(
            f"{bundle} is missing: the HTML report embeds this partial plotly.js bundle.\n"
            "  Install it with `npm ci` in the project folder (make report does this when npm is installed;\n"
            "  Debian/Ubuntu: sudo apt-get install npm)."
        )
    js = bundle.read_text(encoding="utf-8")
    return write_text_atomic(target, f'<script type="text/javascript">{js}</script>\n')
