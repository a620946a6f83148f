"""The county report's figures, tables and text, from the computed tables only (data/processed/mappings/<slug>/).

`present(processed, assets)` writes assets/body.md (the whole report body, included by
report/kartlaggning.qmd), the figures (plotly JSON + snippet) and tables it includes. Every
sentence comes from report/text/sv/kartlaggning.yml; every number from the tables. Text taken
from the inputs (question texts, answers, municipality names, quotations) is escaped: it is data,
never markup.
"""

import html
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import figures, swedish, texts
from .. import tables as report_tables
from ..io import write_text_atomic
from . import codebook
from .compute import BANDS, BASE_RULE

SECTION = "kartlaggning"
COLOURS = {"yes": "#0072B2", "partly": "#56B4E9", "no": "#E69F00", "dont_know": "#BBBBBB", "blank": "#FFFFFF"}
TEXT_COLOURS = {"yes": "#FFFFFF", "partly": "#000000", "no": "#000000", "dont_know": "#000000", "blank": "#555555"}
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!~^$@&:\"'=%])")


def plain(text) -> str:
    """Input text as literal Markdown: ASCII punctuation escaped, line breaks as spaces. '|' is left
    to `tables.pipe_table`, which escapes it in table cells (elsewhere it is plain text)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


t = texts.Templates(SECTION)


def tl(key: str) -> list:
    return list(t.group(key))


def count_share(n, N) -> str:
    """'7 av 9', or '12 av 20 (60 %)' on a base of at least BASE_RULE."""
    if pd.isna(N) or N == 0:
        return f"{swedish.number(n)}" if not pd.isna(n) else "–"
    text = swedish.count_of(n, N)
    return t("results.share", count=text, percent=swedish.percent(n / N, 0)) if N >= BASE_RULE else text


def names(values) -> str:
    values = [plain(v) for v in values]
    if len(values) < 2:
        return "".join(values)
    return ", ".join(values[:-1]) + t("join_last") + values[-1]


def band_label(band: int) -> str:
    low, high = BANDS[band]
    if band == 0:
        return t("bands.first", high=swedish.number(high))
    if high is None:
        return t("bands.last", low=swedish.number(low))
    return t("bands.middle", low=swedish.number(low), high_minus=swedish.number(high - 1))


def read(processed: Path) -> dict[str, pd.DataFrame]:
    keep = {"kommunkod": str, "question": str, "option": str, "group": str}
    out = {}
    for path in sorted(Path(processed).glob("*.csv")):
        out[path.stem] = pd.read_csv(path, dtype=keep, keep_default_na=True)
        for column in ("option",):
            if column in out[path.stem].columns:
                out[path.stem][column] = out[path.stem][column].fillna("")
    return out


class Writer:
    def __init__(self, data: dict[str, pd.DataFrame], assets: Path):
        self.data, self.assets = data, Path(assets)
        self.facts = data["facts"].iloc[0]
        self.county, self.year = self.facts["county"], int(self.facts["year"])
        self.image_dir = "_generated/" + self.assets.name
        self.parts: list[str] = []
        self.refs = [f"{self.facts['export']}"]

    def add(self, *paragraphs: str) -> None:
        self.parts.extend(p for p in paragraphs if p)

    def include(self, path: Path) -> str:
        return "{{< include " + f"{self.image_dir}/{path.name}" + " >}}"

    def table(self, table_id: str, frame: pd.DataFrame, caption: str, right=(), widths=None) -> str:
        path = report_tables.save(
            table_id,
            frame,
            caption,
            self.assets,
            self.refs,
            right_align=tuple(right),
            widths=widths,
            breakable=len(frame) > 12,
        )
        return self.include(path)

    def figure(self, fig: figures.ReportFigure) -> str:
        return self.include(figures.save(fig, self.assets, image_dir=self.image_dir))


def question_label(q) -> str:
    return f"{q['id']} {plain(q['text'])}"


HEATMAP_ROW, HEATMAP_FRAME, HEATMAP_MAX = 34, 130, 1140  # px at figures.WIDTH; 1140 px: one PDF page with caption


def heatmap_height(rows: int) -> int:
    """The heat map's height: 34 px a municipality, rows made lower so that a county of up to 49 municipalities
    (the largest county) still fits on one PDF page (the figure is never split, so rows beyond the page are lost)."""
    return HEATMAP_FRAME + min(HEATMAP_ROW, (HEATMAP_MAX - HEATMAP_FRAME) // max(rows, 1)) * rows


def heatmap(
    w: Writer, group: str, qs: pd.DataFrame, answers: pd.DataFrame, units: pd.DataFrame, fid: str, table_id: str
) -> str:
    responders = units[units["responded"]]
    municipalities = list(responders["kommun"])
    codes = {"yes": 4, "partly": 3, "no": 2, "dont_know": 1, "blank": 0}
    z, text = [], []
    for kommun in municipalities:
        zr, tr = [], []
        for _, q in qs.iterrows():
            hit = answers[(answers["question"] == q["id"]) & (answers["kommun"] == kommun)]
            if hit.empty:
                zr.append(0)
                tr.append(t("answers.blank"))
                continue
            a = hit.iloc[0]
            zr.append(codes[a["code"]])
            label = (
                swedish.number(a["value"], 0 if float(a["value"]).is_integer() else 1)
                if q["type"] == "number" and not pd.isna(a["value"])
                else str(a["answer"])
            )
            tr.append(html.escape(label[:14]))
        z.append(zr)
        text.append(tr)
    order = ["blank", "dont_know", "no", "partly", "yes"]
    scale = []
    for i, key in enumerate(order):
        scale += [[i / len(order), COLOURS[key]], [(i + 1) / len(order), COLOURS[key]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(qs["id"]),
            y=municipalities,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=12),
            colorscale=scale,
            zmin=-0.5,
            zmax=4.5,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        )
    )
    for key in reversed(order):  # a legend: one invisible trace per colour
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=t(f"legend.{key}"),
                marker=dict(size=12, symbol="square", color=COLOURS[key], line=dict(color="#444444", width=1)),
            )
        )
    fig.update_yaxes(autorange="reversed", title_text=None)
    fig.update_xaxes(side="top", title_text=None, type="category")
    figures.base_layout(fig, height=heatmap_height(len(municipalities)))
    # The PDF prints the image at the text's width: a narrower image is enlarged, and its height with it.
    fig.update_layout(
        showlegend=True,
        legend=dict(orientation="h", x=0, y=-0.02, yanchor="top"),
        margin=dict(l=10, r=10, t=40, b=60),
        plot_bgcolor="#FFFFFF",
    )
    return w.figure(
        figures.ReportFigure(
            id=fid,
            figure=fig,
            caption=t("results.heatmap_caption", group=plain(group), n=len(municipalities), table=table_id),
            alt=t("results.heatmap_alt", rows=len(municipalities), cols=len(qs)),
            source=t("results.heatmap_source", county=w.county, year=w.year),
            source_refs=tuple(w.refs),
        )
    )


def totals_table(w: Writer, qs: pd.DataFrame, totals: pd.DataFrame, table_id: str, group: str) -> str:
    rows = []
    for _, q in qs.iterrows():
        r = totals[(totals["question"] == q["id"]) & (totals["option"] == "")].iloc[0]
        rows.append(
            [question_label(q), count_share(r["n"], r["N"])]
            + [
                swedish.number(r[c]) if q["type"] == "yes_no" or c in ("dont_know", "blank") else "–"
                for c in ("partly", "no", "dont_know", "blank")
            ]
        )
    frame = pd.DataFrame(rows, columns=tl("results.totals_columns"))
    return w.table(
        table_id,
        frame,
        t("results.totals_caption", group=plain(group)),
        right=tuple(frame.columns[1:]),
        widths=(5, 1.6, 1, 1, 1, 1),
    )


def multi_tables(w: Writer, q, answers: pd.DataFrame, totals: pd.DataFrame, units: pd.DataFrame, table_id: str) -> str:
    options = [o for o in str(q["options"]).split(" | ") if o]
    a = answers[answers["question"] == q["id"]]
    rows = []
    for kommun in units[units["responded"]]["kommun"]:
        mine = a[a["kommun"] == kommun]
        if mine.empty:
            rows.append([plain(kommun)] + [t("answers.blank")] + [""] * (len(options) - 1))
            continue
        chosen = set(mine[mine["code"] == "selected"]["option"])
        rows.append([plain(kommun)] + [t("answers.selected") if o in chosen else "" for o in options])
    tot = totals[totals["question"] == q["id"]].set_index("option")
    rows.append([t("results.multi_total")] + [count_share(tot.at[o, "n"], tot.at[o, "N"]) for o in options])
    frame = pd.DataFrame(rows, columns=[tl("results.number_columns")[0]] + [plain(o) for o in options])
    return w.table(table_id, frame, t("results.multi_caption", text=plain(q["text"])), right=tuple(frame.columns[1:]))


def number_table(w: Writer, q, answers: pd.DataFrame, totals: pd.DataFrame, units: pd.DataFrame, table_id: str) -> str:
    a = answers[answers["question"] == q["id"]].set_index("kommun")
    rows = []
    for kommun in units[units["responded"]]["kommun"]:
        if kommun not in a.index:
            rows.append([plain(kommun), t("answers.blank")])
        elif pd.isna(a.at[kommun, "value"]):
            rows.append([plain(kommun), plain(a.at[kommun, "answer"])])
        else:
            v = float(a.at[kommun, "value"])
            rows.append([plain(kommun), swedish.number(v, 0 if v.is_integer() else 1)])
    frame = pd.DataFrame(rows, columns=tl("results.number_columns"))
    return w.table(table_id, frame, t("results.number_caption", text=plain(q["text"])), right=(frame.columns[1],))


def fmt(v) -> str:
    return swedish.number(v, 0 if float(v).is_integer() else 1)


def results(w: Writer) -> None:
    d = w.data
    qs, answers, totals, units = d["questions"], d["answers"], d["totals"], d["units"]
    w.add(f"# {t('sections.results')} {{#sec-kl-resultat}}", t("results.intro"))
    for g, group in enumerate(codebook.group_order(qs["group"]), start=1):
        members = qs[qs["group"] == group]
        w.add(f"## {plain(group)}")
        coloured = members[members["type"].isin(["yes_no", "rating", "number"])]
        if len(coloured):
            table_id = f"tbl-kl-grupp-{g}"
            w.add(heatmap(w, group, coloured, answers, units, f"fig-kl-grupp-{g}", table_id))
            w.add(totals_table(w, coloured, totals, table_id, group))
            ratings = coloured[coloured["type"] == "rating"]
            for _, q in ratings.iterrows():
                w.add(f"{q['id']}: " + t("results.scale_note", yes=plain(str(q["yes"]).replace(" | ", ", "))))
            for _, q in coloured[coloured["type"] == "number"].iterrows():
                r = totals[(totals["question"] == q["id"]) & (totals["option"] == "")].iloc[0]
                if not pd.isna(r.get("median")):
                    w.add(
                        f"{q['id']}: "
                        + t(
                            "results.number_summary",
                            N=int(r["N"]) - int(r["dont_know"]),
                            median=fmt(r["median"]),
                            min=fmt(r["min"]),
                            max=fmt(r["max"]),
                        )
                    )
        for i, (_, q) in enumerate(members[members["type"] == "multi_select"].iterrows(), start=1):
            w.add(multi_tables(w, q, answers, totals, units, f"tbl-kl-flerval-{g}-{i}"))
        quoted = set(d["quotes"]["question"]) if d.get("quotes") is not None else set()
        for _, q in members[members["type"] == "free_text"].iterrows():
            w.add(f"{question_label(q)}: " + t("results.text_only" if q["id"] in quoted else "results.text_none"))


def summary(w: Writer) -> None:
    d, f = w.data, w.facts
    units = d["units"][d["units"]["in_county"]]
    missing = list(units[~units["responded"]]["kommun"])
    lines = [
        t("summary.response", n=int(f["n"]), N=int(f["N"]), county=w.county, year=w.year),
        t("summary.nonresponse", names=names(missing)) if missing else t("summary.all_responded"),
    ]
    qs, totals = d["questions"], d["totals"]
    yes_no = qs[qs["type"] == "yes_no"].merge(totals[totals["option"] == ""], left_on="id", right_on="question")
    yes_no = yes_no[yes_no["N"] > 0]
    if len(yes_no):
        yes_no = yes_no.assign(ratio=yes_no["n"] / yes_no["N"])
        top, bottom = yes_no.sort_values("ratio", ascending=False).iloc[0], yes_no.sort_values("ratio").iloc[0]
        lines.append(t("summary.most_yes", text=plain(top["text"]), n=int(top["n"]), N=int(top["N"])))
        if bottom["id"] != top["id"]:
            lines.append(t("summary.least_yes", text=plain(bottom["text"]), n=int(bottom["n"]), N=int(bottom["N"])))
    multi = qs[qs["type"] == "multi_select"].merge(totals, left_on="id", right_on="question")
    if len(multi):
        best = multi.sort_values("n", ascending=False).iloc[0]
        lines.append(
            t(
                "summary.option",
                option=plain(best["option"]).lower(),
                n=int(best["n"]),
                N=int(best["N"]),
                text=plain(best["text"]),
            )
        )
    if "coding" in d:
        c = d["coding"]
        found = c[c["status"] == "yes"].groupby(["theme", "code"]).size().sort_values(ascending=False)
        if len(found):
            (_theme, code), n = found.index[0], int(found.iloc[0])
            lines.append(t("summary.interviews", code=plain(code).lower(), n=n, N=int(f["interviewed"])))
    change = d.get("change")
    if change is not None and len(change):
        lines.append(
            t(
                "summary.change",
                previous_year=int(f["previous_year"]),
                changed=int(f["changed"]),
                compared=int(f["compared"]),
            )
        )
    w.add(f"# {t('sections.summary')} {{.unnumbered}}", "\n".join(f"- {line}" for line in lines))


def method(w: Writer) -> None:
    d, f = w.data, w.facts
    units = d["units"]
    county_units = units[units["in_county"]]
    missing = list(county_units[~county_units["responded"]]["kommun"])
    qs = d["questions"]
    kinds = qs["type"].value_counts()
    described = ", ".join(
        f"{int(kinds[k])} {t('types.' + k)}"
        for k in ("yes_no", "multi_select", "rating", "number", "free_text")
        if k in kinds
    )
    w.add(
        f"# {t('sections.method')} {{#sec-kl-metod}}",
        t("method.intro", county=w.county, year=w.year, n=int(f["n"]), N=int(f["N"]))
        + " "
        + (t("method.nonresponse", names=names(missing)) if missing else ""),
        t("method.questions", n=len(qs), described=described),
        t("method.blank") + " " + t("method.base_rule", base=BASE_RULE) + " " + t("method.census"),
    )
    outside = units[~units["in_county"]]
    if len(outside):
        w.add(t("method.other_county", n=len(outside), names=names(outside["kommun"])))
    if "coding" in d:
        w.add(t("method.interviews", N=int(f["interviewed"])))


def response(w: Writer) -> None:
    units = w.data["units"]
    rows = [
        [
            plain(r["kommun"]),
            t("response.yes") if r["responded"] else t("response.no"),
            f"{r['kommungrupp']} {plain(r['kommungrupp_namn'])}",
            swedish.number(r["population"]),
        ]
        for _, r in units.iterrows()
    ]
    frame = pd.DataFrame(rows, columns=tl("response.columns"))
    w.add(
        f"# {t('sections.response')} {{#sec-kl-svar}}",
        t("response.text"),
        w.table(
            "tbl-kl-svar",
            frame,
            t("response.caption", population_year=int(w.facts["population_year"])),
            right=(frame.columns[3],),
            widths=(2, 1, 3, 1.2),
        ),
    )


def size(w: Writer) -> None:
    d = w.data
    b, units, qs = d["breakdowns"], d["units"], d["questions"]
    responders = units[units["responded"]]
    main_groups = responders[["huvudgrupp", "huvudgrupp_namn"]].drop_duplicates().sort_values("huvudgrupp").values
    groups = [("huvudgrupp", g, t("size.group_column", group=g)) for g, _ in main_groups]
    groups += [("band", str(g), band_label(int(g))) for g in sorted(responders["band"].unique())]
    rows = [
        [t("size.groups_row")]
        + [
            swedish.number(
                int((responders["huvudgrupp"] == g).sum())
                if var == "huvudgrupp"
                else int((responders["band"] == int(g)).sum())
            )
            for var, g, _ in groups
        ]
    ]
    for _, q in qs[qs["type"] != "free_text"].iterrows():
        options = [o for o in str(q["options"]).split(" | ") if o] if q["type"] == "multi_select" else [""]
        for option in options:
            label = question_label(q) + (f": {plain(option)}" if option else "")
            cells = []
            for var, g, _ in groups:
                r = b[(b["question"] == q["id"]) & (b["option"] == option) & (b["var"] == var) & (b["group"] == g)]
                cells.append(count_share(int(r["n"].iloc[0]), int(r["N"].iloc[0])) if len(r) else "–")
            rows.append([label] + cells)
    frame = pd.DataFrame(rows, columns=[t("size.first_column")] + [label for _, _, label in groups])
    year, pop_year = w.year, int(w.facts["population_year"])
    nearest = t("size.nearest", year=year) if pop_year != year else ""
    described = t("size.group_names", names="; ".join(f"{g} {plain(n).lower()}" for g, n in main_groups))
    w.add(
        f"# {t('sections.size')} {{#sec-kl-storlek}}",
        t("size.intro", population_year=pop_year, nearest=nearest, groups=described),
        w.table(
            "tbl-kl-storlek",
            frame,
            t("size.caption", population_year=pop_year),
            right=tuple(frame.columns[1:]),
            widths=(4,) + (1.3,) * len(groups),
        ),
    )


def interviews(w: Writer) -> None:
    d = w.data
    if "coding" not in d:
        return
    c, codes = d["coding"], d["codes"]
    interviewed = c[["kommunkod", "kommun"]].drop_duplicates()
    N = len(interviewed)
    rows = []
    for _, code in codes.iterrows():
        mine = c[(c["theme"] == code["theme"]) & (c["code"] == code["code"])]
        yes, no = mine[mine["status"] == "yes"], mine[mine["status"] == "no"]
        where = names(yes["kommun"])
        if len(no):
            where = "; ".join(filter(None, [where, t("interviews.explicit_no", names=names(no["kommun"]))]))
        label = plain(code["code"]) + (
            f" ({plain(code['description'])})" if isinstance(code.get("description"), str) else ""
        )
        rows.append([plain(code["theme"]), label, swedish.count_of(len(yes), N), where or "–"])
    frame = pd.DataFrame(rows, columns=tl("interviews.columns"))
    w.add(
        f"# {t('sections.interviews')} {{#sec-kl-intervjuer}}",
        t("interviews.intro", N=N, names=names(interviewed["kommun"])),
        w.table(
            "tbl-kl-koder", frame, t("interviews.caption", N=N), right=(frame.columns[2],), widths=(2, 2.4, 1.2, 4)
        ),
    )


def comparison(w: Writer) -> None:
    comp = w.data.get("comparison")
    if comp is None or comp.empty:
        return
    published = comp[comp["kind"] != "county"][["who", "year"]].drop_duplicates()
    sources = names([f"{who} {int(year)}" for who, year in published.values])
    w.add(f"# {t('sections.comparison')} {{#sec-kl-jamforelse}}", t("comparison.intro", sources=sources))
    proposed = codebook.statuses()[0]
    if (comp["status"] == proposed).any():
        w.add(t("comparison.proposed"))
    for i, (theme, rows_) in enumerate(comp.groupby("theme", sort=False), start=1):
        label = rows_["theme_label"].iloc[0]
        rows = []
        for _, r in rows_.iterrows():
            who = plain(r["who"]) + (f" {t('comparison.proposed_mark')}" if r["status"] == proposed else "")
            mark = t("comparison.differs") + " " if r["kind"] != "county" and bool(r["definitions_differ"]) else ""
            share = swedish.percent(r["share"], 0) if not pd.isna(r["share"]) and r["N"] >= BASE_RULE else "–"
            national = swedish.percent(r["national_share"], 0) if not pd.isna(r["national_share"]) else "–"
            counts = (
                swedish.count_of(r["n"], r["N"])
                if not pd.isna(r["n"]) and not pd.isna(r["N"])
                else (swedish.number(r["n"]) if not pd.isna(r["n"]) else "–")
            )
            rows.append([who, str(int(r["year"])), counts, share, national, mark + plain(r["definition"])])
        frame = pd.DataFrame(rows, columns=tl("comparison.columns"))
        w.add(
            f"## {plain(label)}",
            w.table(
                f"tbl-kl-jamforelse-{i}",
                frame,
                t("comparison.caption", theme=plain(label), county=w.county, year=w.year),
                right=tuple(frame.columns[1:5]),
                widths=(2.2, 0.8, 1.1, 0.9, 0.9, 5),
            ),
        )


def change(w: Writer) -> None:
    ch = w.data.get("change")
    if ch is None or ch.empty:
        return
    prev = int(w.facts["previous_year"])
    qs = w.data["questions"].set_index("id")
    compared = ch[ch["changed"].notna()]
    changed = compared[compared["changed"].astype(str) == "True"]
    w.add(f"# {t('sections.change', previous_year=prev)} {{#sec-kl-forandring}}")
    if changed.empty:
        w.add(t("change.none", previous_year=prev, compared=len(compared)))
        return

    def shown(answer, value) -> str:
        return fmt(value) if not pd.isna(value) else plain(answer)

    rows = [
        [
            r["question"],
            plain(r["kommun"]),
            shown(r["previous"], r["previous_value"]),
            shown(r["current"], r["current_value"]),
        ]
        for _, r in changed.iterrows()
    ]
    columns = [c.format(previous_year=prev, year=w.year) for c in tl("change.columns")]
    frame = pd.DataFrame(rows, columns=columns)
    w.add(
        t("change.intro", previous_year=prev, changed=len(changed), compared=len(compared)),
        w.table(
            "tbl-kl-forandring", frame, t("change.caption", previous_year=prev, year=w.year), widths=(1, 2, 1.5, 1.5)
        ),
    )
    rows = []
    for question, mine in ch.groupby("question", sort=False):
        cells = []
        for side in ("previous_code", "current_code"):
            answered = mine[side].dropna()
            cells.append(count_share(int((answered == "yes").sum()), len(answered)))
        rows.append([question_label({"id": question, "text": qs.at[question, "text"]}), *cells])
    columns = [c.format(previous_year=prev, year=w.year) for c in tl("change.totals_columns")]
    frame = pd.DataFrame(rows, columns=columns)
    w.add(
        w.table(
            "tbl-kl-forandring-lanet",
            frame,
            t("change.totals_caption", previous_year=prev, year=w.year),
            right=tuple(columns[1:]),
            widths=(5, 1.3, 1.3),
        )
    )


def quotes(w: Writer) -> None:
    qt = w.data.get("quotes")
    if qt is None or qt.empty:
        return
    qs = w.data["questions"].set_index("id")
    with_names = "kommun" in qt.columns
    asked = qt["question"].nunique()
    questions = t("quotes.questions_one") if asked == 1 else t("quotes.questions_many", q=asked)
    w.add(
        f"# {t('sections.quotes')} {{#sec-kl-citat}}",
        t("quotes.intro", order="" if with_names else t("quotes.order"), n=len(qt), questions=questions),
    )
    for question, rows in qt.groupby("question", sort=False):
        w.add(t("quotes.question", text=plain(qs.at[question, "text"])))
        for _, r in rows.iterrows():
            who = f" ({plain(r['kommun'])})" if with_names else ""
            w.add("> " + plain(r["text"]) + who)


def appendix(w: Writer) -> None:
    qs = w.data["questions"]
    rows = [
        [
            q["id"],
            plain(q["text"]),
            plain(q["group"]),
            t(f"types.{q['type']}"),
            plain(str(q["options"]).replace(" | ", "; ")) if isinstance(q["options"], str) else "–",
            plain(str(q["yes"]).replace(" | ", "; ")) if isinstance(q["yes"], str) else "–",
        ]
        for _, q in qs.iterrows()
    ]
    frame = pd.DataFrame(rows, columns=tl("appendix.columns"))
    w.add(
        f"# {t('sections.appendix')} {{#sec-kl-bilaga}}",
        w.table("tbl-kl-fragor", frame, t("appendix.caption"), widths=(0.6, 4, 1.6, 1, 3, 2)),
    )


def present(processed: Path, assets: Path) -> Path:
    """Write the report body and its figures and tables into `assets`; returns body.md."""
    assets = Path(assets)
    assets.mkdir(parents=True, exist_ok=True)
    for old in list(assets.glob("fig-*")) + list(assets.glob("tbl-*")):
        if old.suffix in (".md", ".json"):
            old.unlink()  # a previous county's figures and tables must not linger
    w = Writer(read(processed), assets)
    summary(w)
    method(w)
    response(w)
    results(w)
    size(w)
    interviews(w)
    comparison(w)
    change(w)
    quotes(w)
    appendix(w)
    return write_text_atomic(assets / "body.md", "\n\n".join(w.parts) + "\n")


def metadata(processed: Path, build_date: str) -> dict:
    facts = read(processed)["facts"].iloc[0]
    fields = dict(county=facts["county"], year=int(facts["year"]))
    return {
        "title": t("report.title", **fields),
        "subtitle": t("report.subtitle"),
        "author": [{"name": t("report.author", **fields), "affiliation": ""}],
        "date": build_date,
    }
