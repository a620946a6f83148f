"""Report content for the section on municipality size (combined builder).

From the combined tables (`breakdowns`, `tests`, `shares`, `reproduction`):

* Sörmland 2019 by the report's own three size classes (one compact table; the development areas
  themselves are shown in the Sörmland section);
* the 8 ÖJ municipalities (SKL 2016) by SKL's befolkningsgrupp and SKR's kommungrupp 2017;
* Dalarna 2020 by SKR kommungrupp and population band: municipalities per group and how many
  codings are `yes` — a lower bound, since `not_reported` is not `no`;
* Stockholm 2008: county totals only, no breakdown;
* the exploratory exact tests (Fisher / Freeman–Halton, Holm within each breakdown).

Groups hold one to eight municipalities; nothing here generalises beyond the units described.
Municipality names per group (and the raw rows' source_ref where the combined tables carry none)
are read from the configured sources.
"""
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import breakdowns as bd
from .. import figures, paths, pipeline, swedish, tables, source_loader, texts
from ..report_vars import ReportNumbers

SECTION = "size"
SORMLAND, SKL, DALARNA, STOCKHOLM = "sormland_2019", "skl_2016", "dalarna_2020", "stockholm_2008"
KOMMUNGRUPP_REF = "reference/kommuner.csv: SKR:s kommungruppsindelning 2017 (via kommunkod)"
POPULATION_REF = "reference/kommuner.csv: SCB:s folkmängd 31 december 2019 (via kommunkod)"
SOURCE_LABELS = {SKL: "SKL 2016 (ÖJ 2015)", DALARNA: "Dalarna 2020", SORMLAND: "Sörmland 2019",
                 STOCKHOLM: "Stockholm 2008"}
BREAKDOWN_LABELS = {"befolkningsgrupp": "Befolkningsgrupp (SKL)", "kommungrupp_2017": "SKR:s kommungrupp 2017",
                    "population_band": "Befolkningsgrupp (SCB 2019)", "size_class": "Rapportens storleksgrupper",
                    "all": "–"}
TEST_ORDER = [(SKL, "befolkningsgrupp"), (SKL, "kommungrupp_2017"), (DALARNA, "kommungrupp_2017"),
              (DALARNA, "population_band"), (SORMLAND, "size_class"), (STOCKHOLM, "all")]
PATTERNS = ["", "/", ".", "x", "-", "+"]


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------

def breakdown_rows(frame: pd.DataFrame, source: str, breakdown: str, indicator: str | None = None) -> pd.DataFrame:
    """Rows of one source × breakdown (× indicator) of the combined breakdowns; KeyError if none."""
    rows = frame[(frame["source"] == source) & (frame["breakdown"] == breakdown)]
    if indicator is not None:
        rows = rows[rows["indicator"] == indicator]
    if rows.empty:
        raise KeyError(f"{source}/{breakdown}/{indicator}: no rows in the combined breakdowns")
    return rows.reset_index(drop=True)


def refs_of(frame: pd.DataFrame, source: str, mask=None) -> tuple[str, ...]:
    """Distinct source_refs of a source's rows in shares or reproduction (optionally filtered)."""
    rows = frame[frame["source"] == source]
    if mask is not None:
        rows = rows[mask(rows)]
    refs = tuple(sorted({str(r) for r in rows["source_ref"].dropna() if str(r).strip()}))
    if not refs:
        raise KeyError(f"{source}: no source_ref for the rows asked for")
    return refs


def raw_tables(config: dict, source: str) -> dict[str, pd.DataFrame]:
    return source_loader.load_source_tables(source, config["sources"][source], paths.ROOT)


def names_list(names) -> str:
    return ", ".join(names)


def group_text(breakdown: str, group: str, label: str) -> str:
    """'A1 Storstäder' for kommungrupper, '1 (0–14 999 invånare)' for population bands."""
    return f"{group} ({label})" if breakdown in ("befolkningsgrupp", "population_band") else f"{group} {label}"


def max_group_size(breakdowns: pd.DataFrame, sources) -> tuple[int, int]:
    """Smallest and largest non-empty group (municipalities) over the sources' breakdowns."""
    rows = breakdowns[breakdowns["source"].isin(list(sources)) & (breakdowns["indicator"] == "municipalities")
                      & (breakdowns["n"] > 0)]
    return int(rows["n"].min()), int(rows["n"].max())


# ---------------------------------------------------------------------------------------------
# Sörmland 2019: the report's size classes
# ---------------------------------------------------------------------------------------------

def sormland_frame(breakdowns: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """Per size class: names, n of N municipalities, development areas listed for the class (all,
    of which county-wide), of the table's N areas, and areas per municipality of the class."""
    munis = breakdown_rows(breakdowns, SORMLAND, "size_class", "municipalities")
    areas = breakdown_rows(breakdowns, SORMLAND, "size_class", "development_areas")
    records = []
    for m in munis.itertuples():
        names = sorted(municipalities.loc[municipalities["size_class"] == m.group, "kommun"])
        if len(names) != int(m.n):
            raise ValueError(f"{SORMLAND}: class {m.group} has {m.n} municipalities in breakdowns, "
                             f"{len(names)} in municipalities.csv")
        listed = areas[areas["group"] == m.group].set_index("category")
        records.append({"group": m.group, "label": m.group_label, "kommuner": names, "n": int(m.n), "N": int(m.N),
                        "areas_all": int(listed.loc["all", "n"]), "areas_N": int(listed.loc["all", "N"]),
                        "areas_shared": int(listed.loc["shared_by_all", "n"]),
                        "areas_specific": int(listed.loc["class_specific", "n"]),
                        "areas_per_municipality": float(listed.loc["all", "value"])})
    return pd.DataFrame(records)


def sormland_table(frame: pd.DataFrame) -> pd.DataFrame:
    N_areas = swedish.number(frame["areas_N"].iloc[0])
    return pd.DataFrame({
        "Storleksgrupp": frame["label"],
        "Kommuner": frame["kommuner"].map(names_list),
        "Antal": [swedish.count_of(n, N) for n, N in zip(frame["n"], frame["N"])],
        f"Angivna områden (av {N_areas})": frame["areas_all"].map(swedish.number),
        "varav bara för gruppen": frame["areas_specific"].map(swedish.number),
        "Områden per kommun": frame["areas_per_municipality"].map(lambda v: swedish.number(v, 1)),
    })


# ---------------------------------------------------------------------------------------------
# ÖJ 2015: befolkningsgrupp and kommungrupp
# ---------------------------------------------------------------------------------------------

def oj_members(breakdowns: pd.DataFrame, breakdown: str) -> pd.DataFrame:
    """One row per municipality: group, group label, printed and recomputed ja-count."""
    published = breakdown_rows(breakdowns, SKL, breakdown, "ja_count_published")
    recomputed = breakdown_rows(breakdowns, SKL, breakdown, "ja_count_recomputed")
    out = published[["group", "group_label", "category", "n", "N"]].rename(
        columns={"category": "kommun", "n": "published", "N": "of"})
    out = out.merge(recomputed[["category", "n"]].rename(columns={"category": "kommun", "n": "recomputed"}),
                    on="kommun", how="left", validate="one_to_one")
    return out.astype({"published": "int64", "recomputed": "int64", "of": "int64"})


def oj_group_frame(breakdowns: pd.DataFrame, breakdown: str) -> pd.DataFrame:
    """Every group of the scheme: number of municipalities (of 8), members with their ja-counts,
    and the mean printed ja-count (empty groups keep n = 0 and no mean)."""
    groups = breakdown_rows(breakdowns, SKL, breakdown, "municipalities")
    members = oj_members(breakdowns, breakdown)
    records = []
    for g in groups.itertuples():
        rows = members[members["group"] == g.group].sort_values("kommun")
        if len(rows) != int(g.n):
            raise ValueError(f"{SKL}/{breakdown}: group {g.group} has {g.n} municipalities but {len(rows)} ja-counts")
        records.append({"breakdown": breakdown, "group": g.group, "group_label": g.group_label, "n": int(g.n),
                        "N": int(g.N), "members": rows, "mean_published": rows["published"].mean() if len(rows) else None})
    return pd.DataFrame(records)


def member_text(row) -> str:
    extra = "" if row.published == row.recomputed else f"; {swedish.number(row.recomputed)} i värdena"
    return f"{row.kommun} ({swedish.number(row.published)}{extra})"


def oj_group_table(frames: list[pd.DataFrame], n_indicators: int) -> pd.DataFrame:
    records = []
    for frame in frames:
        for i, g in enumerate(frame.itertuples()):
            records.append({
                "Indelning": BREAKDOWN_LABELS[g.breakdown] if i == 0 else "",
                "Grupp": group_text(g.breakdown, g.group, g.group_label),
                "Kommuner": swedish.count_of(g.n, g.N),
                f"Kommuner (antal ja-svar av {swedish.number(n_indicators)})":
                    ", ".join(member_text(m) for m in g.members.itertuples()) or "–",
                "Ja-svar, medel": "–" if g.mean_published is None or pd.isna(g.mean_published)
                else swedish.number(g.mean_published, 1),
            })
    return pd.DataFrame(records)


def oj_ja_figure(breakdowns: pd.DataFrame, source_refs) -> figures.ReportFigure:
    """Bars: each municipality's printed ja-count, coloured and patterned by befolkningsgrupp;
    the kommungrupp code in the label."""
    by_band = oj_members(breakdowns, "befolkningsgrupp")
    kommungrupp = oj_members(breakdowns, "kommungrupp_2017").set_index("kommun")["group"]
    rows = by_band.sort_values(["group", "kommun"], kind="stable").reset_index(drop=True)
    bands = list(dict.fromkeys(rows["group"]))
    of = swedish.number(rows["of"].max())
    fig = go.Figure()
    for i, band in enumerate(bands):
        part = rows[rows["group"] == band]
        texts = [swedish.number(r.published) if r.published == r.recomputed
                 else f"{swedish.number(r.published)} ({swedish.number(r.recomputed)} i värdena)"
                 for r in part.itertuples()]
        fig.add_trace(go.Bar(
            y=[f"{k} ({kommungrupp[k]})" for k in part["kommun"]], x=part["published"].tolist(), orientation="h",
            name=f"{band}: {part['group_label'].iloc[0].replace(' invånare', '')}",
            marker=dict(color=figures.PALETTE[i % len(figures.PALETTE)], line=dict(color="#222222", width=1),
                        pattern=dict(shape=PATTERNS[i % len(PATTERNS)], fgcolor="#222222", size=7)),
            text=texts, textposition="outside", cliponaxis=False,
            hovertemplate=f"%{{y}}: %{{x}} ja-svar av {of}<extra></extra>",
        ))
    fig.update_xaxes(range=[0, int(rows["of"].max())], dtick=10, title_text=f"Antal ja-svar av {of} (tryckt)",
                     showgrid=True)
    fig.update_yaxes(autorange="reversed", title_text=None)
    figures.base_layout(fig, height=470)
    fig.update_layout(showlegend=True, bargap=0.25,
                      legend=dict(title=dict(text="Befolkningsgrupp (invånare)", side="top"), orientation="h",
                                  x=0, y=1.02, yanchor="bottom"),
                      margin=dict(l=10, r=40, t=80, b=10))
    low, high = rows.loc[rows["published"].idxmin()], rows.loc[rows["published"].idxmax()]
    alt = (f"Liggande stapeldiagram över antal ja-svar av {of} för de {swedish.number(len(rows))} utvalda kommunerna, "
           f"färgade efter befolkningsgrupp. Från {swedish.number(low.published)} ({low.kommun}) till "
           f"{swedish.number(high.published)} ({high.kommun}); ingen ordning efter storlek syns.")
    return figures.ReportFigure(
        id="fig-size-oj-ja-counts",
        figure=fig,
        caption=(f"Antal ja-svar av {of} i ÖJ Brottsoffer 2015 för var och en av de {swedish.number(len(rows))} "
                 "kommuner som SKL valde ut, efter befolkningsgrupp (färg och mönster) och med SKR:s kommungrupp "
                 "2017 inom parentes. Antalen är tryckta i Bilaga 3; där tabellens egna värden ger ett annat "
                 "antal anges det."),
        alt=alt,
        source="Källa: SKL (2016), Bilaga 3; kommungrupp: SKR:s indelning 2017.",
        source_refs=tuple(source_refs),
    )


# ---------------------------------------------------------------------------------------------
# Dalarna 2020: kommungrupp and population band
# ---------------------------------------------------------------------------------------------

def dalarna_frame(breakdowns: pd.DataFrame, breakdown: str, municipalities: pd.DataFrame) -> pd.DataFrame:
    """Per group holding municipalities: names, n of N, codings stated `yes` (a lower bound),
    `no` and `not_reported`, the number of codes with at least one yes, and the possible codings."""
    groups = breakdown_rows(breakdowns, DALARNA, breakdown, "municipalities")
    coded = breakdowns[(breakdowns["source"] == DALARNA) & (breakdowns["breakdown"] == breakdown)
                       & (breakdowns["indicator"] != "municipalities")]
    n_codes = coded["indicator"].nunique()
    records = []
    for g in groups[groups["n"] > 0].itertuples():
        names = sorted(municipalities.loc[municipalities[breakdown].astype(str) == str(g.group), "kommun"])
        if len(names) != int(g.n):
            raise ValueError(f"{DALARNA}/{breakdown}: group {g.group} has {g.n} municipalities, names give {len(names)}")
        rows = coded[coded["group"] == g.group]
        status = rows.groupby("category")["n"].sum()
        yes_codes = rows[(rows["category"] == "yes") & (rows["n"] > 0)]["indicator"].nunique()
        records.append({"breakdown": breakdown, "group": g.group, "group_label": g.group_label, "kommuner": names,
                        "n": int(g.n), "N": int(g.N), "yes": int(status.get("yes", 0)), "no": int(status.get("no", 0)),
                        "not_reported": int(status.get("not_reported", 0)), "codes_with_yes": int(yes_codes),
                        "n_codes": int(n_codes), "possible": int(g.n) * int(n_codes)})
    return pd.DataFrame(records)


def dalarna_table(frames: list[pd.DataFrame]) -> pd.DataFrame:
    records = []
    for frame in frames:
        for i, g in enumerate(frame.itertuples()):
            records.append({
                "Indelning": BREAKDOWN_LABELS[g.breakdown] if i == 0 else "",
                "Grupp": group_text(g.breakdown, g.group, g.group_label),
                "Kommuner": names_list(g.kommuner),
                "Antal": swedish.count_of(g.n, g.N),
                "Kodningar ja (kommuner × koder)": f"minst {swedish.count_of(g.yes, g.possible)}",
                f"Koder med minst ett ja (av {swedish.number(g.n_codes)})": swedish.number(g.codes_with_yes),
            })
    return pd.DataFrame(records)


# ---------------------------------------------------------------------------------------------
# Exact tests
# ---------------------------------------------------------------------------------------------

def skip_reason(rec) -> str:
    """The Swedish reason for an untested row (its `reason` code, and `outcomes` where the words
    depend on them) from report/text/<locale>/codes.yml; MissingTextError for a code without words."""
    words = texts.section("codes")["tests"]["reasons"].get(rec["reason"])
    if isinstance(words, dict):
        words = words.get(rec["outcomes"])
    if not isinstance(words, str):
        raise texts.MissingTextError(f"no Swedish wording in codes.yml for the exact-test reason "
                                     f"{rec['reason']!r} (outcomes {rec['outcomes']!r})")
    return words


def tests_summary(tests: pd.DataFrame) -> pd.DataFrame:
    """Per source × breakdown: indicators, tested, not testable (with reasons), the smallest raw
    and Holm-adjusted p (NaN when nothing was tested)."""
    records = []
    for source, breakdown in TEST_ORDER:
        rows = tests[(tests["source"] == source) & (tests["breakdown"] == breakdown)]
        if rows.empty:
            raise KeyError(f"tests: no rows for {source}/{breakdown}")
        tested = rows["p_value"].notna()
        reasons = pd.Series([skip_reason(r) for r in rows[~tested].to_dict("records")],
                            dtype="object").value_counts(sort=False)
        records.append({"source": source, "breakdown": breakdown, "indicators": len(rows),
                        "tested": int(tested.sum()), "skipped": int((~tested).sum()),
                        "min_p": rows["p_value"].min(), "min_p_holm": rows["p_holm"].min(),
                        "reasons": dict(reasons)})
    return pd.DataFrame(records)


def tests_table(summary: pd.DataFrame) -> pd.DataFrame:
    def p(value) -> str:
        return "–" if pd.isna(value) else swedish.number(value, 3)

    def reasons(mapping: dict) -> str:
        return "; ".join(f"{text} ({swedish.number(k)})" for text, k in mapping.items()) or "–"

    return pd.DataFrame({
        "Källa": summary["source"].map(SOURCE_LABELS),
        "Uppdelning": summary["breakdown"].map(BREAKDOWN_LABELS),
        "Indikatorer": summary["indicators"].map(swedish.number),
        "Testade": summary["tested"].map(swedish.number),
        "Minsta p": summary["min_p"].map(p),
        "Minsta p, Holm": summary["min_p_holm"].map(p),
        "Ej testade: skäl (antal)": summary["reasons"].map(reasons),
    })


# ---------------------------------------------------------------------------------------------
# The section
# ---------------------------------------------------------------------------------------------

def build_sormland(combined: dict, config: dict, assets_dir: Path, numbers: ReportNumbers) -> None:
    raw = raw_tables(config, SORMLAND)
    frame = sormland_frame(combined["breakdowns"], raw["municipalities"])
    refs = tuple(sorted(set(raw["municipalities"]["source_ref"]) | set(raw["development_areas"]["source_ref"])))
    tables.save("tbl-size-sormland", sormland_table(frame),
                f"Sörmlands {swedish.number(frame['N'].iloc[0])} kommuner efter rapportens storleksgrupper: "
                "kommunerna, antal av N, hur många av "
                "rapportens utvecklingsområden som anges för gruppen (inklusive de länsgemensamma) och hur många "
                "som bara anges för den gruppen, samt angivna områden per kommun i gruppen. En grupp anger sina "
                "områden gemensamt; tabellen säger inte hur många av gruppens kommuner som nämnde ett område, och "
                "ett område som inte anges är inte ett nej.",
                assets_dir, source_refs=refs,
                right_align=("Antal", f"Angivna områden (av {swedish.number(frame['areas_N'].iloc[0])})",
                             "varav bara för gruppen", "Områden per kommun"),
                widths=(1.6, 2.6, 0.9, 1.3, 1.2, 1.1))
    ref_m = raw["municipalities"]["source_ref"].iloc[0]
    ref_a = raw["development_areas"]["source_ref"].iloc[0]
    numbers.add("sormland_N", swedish.number(frame["N"].iloc[0]), "Sörmlands kommuner", ref_m)
    numbers.add("sormland_areas_N", swedish.number(frame["areas_N"].iloc[0]), "Utvecklingsområden i rapportens tabell", ref_a)
    for r in frame.itertuples():
        numbers.add(f"sormland_{r.group}_n", swedish.number(r.n), f"Kommuner i gruppen {r.label}", ref_m)
        numbers.add(f"sormland_{r.group}_names", names_list(r.kommuner), f"Kommunerna i gruppen {r.label}", ref_m)
        numbers.add(f"sormland_{r.group}_areas", swedish.number(r.areas_all), f"Angivna områden, {r.label}", ref_a)
        numbers.add(f"sormland_{r.group}_specific", swedish.number(r.areas_specific),
                    f"Områden som bara anges för {r.label}", ref_a)
        numbers.add(f"sormland_{r.group}_per_municipality", swedish.number(r.areas_per_municipality, 1),
                    f"Angivna områden per kommun, {r.label}", ref_a)
    text_count = combined["reproduction"]
    text_count = text_count[(text_count["source"] == SORMLAND)
                            & text_count["quantity"].str.contains("'de större kommunerna'", regex=False)]
    if len(text_count) != 1:
        raise KeyError(f"{SORMLAND}: expected one reproduction row on 'de större kommunerna', found {len(text_count)}")
    text_count = text_count.iloc[0]
    numbers.add("sormland_larger_in_text", swedish.number(text_count.published),
                "Antal 'större kommuner' enligt rapportens text om insatser för förövare", text_count.source_ref)
    numbers.add("sormland_shared", swedish.number(frame["areas_shared"].iloc[0]),
                "Länsgemensamma områden (angivna för alla tre grupperna)", ref_a)


def build_oj(combined: dict, assets_dir: Path, numbers: ReportNumbers) -> None:
    breakdowns, shares = combined["breakdowns"], combined["shares"]
    refs_values = refs_of(shares, SKL, lambda r: r["source_ref"].str.contains("Bilaga 3", regex=False))
    frames = [oj_group_frame(breakdowns, b) for b in ("befolkningsgrupp", "kommungrupp_2017")]
    n_indicators = int(oj_members(breakdowns, "befolkningsgrupp")["of"].max())
    tables.save("tbl-size-oj-groups", oj_group_table(frames, n_indicators),
                f"De {swedish.number(frames[0]['N'].iloc[0])} ÖJ-kommunerna efter SKL:s befolkningsgrupp (tryckt i "
                "Bilaga 3) och SKR:s kommungrupp 2017: "
                "antal kommuner av N, kommunerna med sitt tryckta antal ja-svar (och tabellvärdenas antal där det "
                "skiljer sig) och gruppens medelvärde av de tryckta antalen. Göteborg = stadsdelen "
                "Askim-Frölunda-Högsbo; gruppen avser hela Göteborg. Urvalet är strategiskt, så grupperna "
                "säger inget om kommuner i allmänhet.",
                assets_dir, source_refs=refs_values + (KOMMUNGRUPP_REF,),
                right_align=("Kommuner", "Ja-svar, medel"), widths=(2.0, 2.4, 0.9, 2.8, 1.1))
    figures.save(oj_ja_figure(breakdowns, refs_values + (KOMMUNGRUPP_REF,)), assets_dir)
    for frame in frames:
        key = "oj_band" if frame["breakdown"].iloc[0] == "befolkningsgrupp" else "oj_kommungrupp"
        ref = refs_values[0] if key == "oj_band" else KOMMUNGRUPP_REF
        numbers.add(f"{key}_groups_used", swedish.number(int((frame["n"] > 0).sum())),
                    "Grupper med minst en av de utvalda ÖJ-kommunerna", ref)
        numbers.add(f"{key}_groups", swedish.number(len(frame)), "Grupper i indelningen", ref)
        numbers.add(f"{key}_max_n", swedish.number(frame["n"].max()), "Flest kommuner i en grupp", ref)
    members = oj_members(breakdowns, "befolkningsgrupp")
    numbers.add("oj_N", swedish.number(len(members)), "De utvalda ÖJ-kommunerna", refs_values[0])
    gbg = members[members["kommun"] == "Göteborg"]
    if len(gbg) == 1:
        numbers.add("oj_goteborg_group", str(gbg["group"].iloc[0]), "Göteborgs befolkningsgrupp (tryckt)", refs_values[0])


def build_dalarna(combined: dict, config: dict, assets_dir: Path, numbers: ReportNumbers) -> None:
    breakdowns, shares = combined["breakdowns"], combined["shares"]
    municipalities = bd.coding_municipalities(raw_tables(config, DALARNA), pipeline.load_reference(config, paths.ROOT),
                                              config["sources"][DALARNA]["population_column"])
    frames = [dalarna_frame(breakdowns, b, municipalities) for b in ("kommungrupp_2017", "population_band")]
    refs = refs_of(shares, DALARNA, lambda r: r["category"] == "stated_yes")
    tables.save("tbl-size-dalarna", dalarna_table(frames),
                f"Dalarnas {swedish.number(frames[0]['N'].iloc[0])} kommuner efter SKR:s kommungrupp 2017 och efter "
                "befolkningsgrupp (SKL:s gränser på SCB:s "
                "folkmängd 2019): kommunerna, antal av N, och hur många av gruppens kodningar (kommuner × koder) "
                "som är ja. Rapporten nämner kommuner mest som goda exempel: det som inte nämns är inte "
                "rapporterat, inte nej, så antalet ja är ett minsta antal. Grupper utan kommuner i Dalarna är "
                "utelämnade.",
                assets_dir, source_refs=refs + (KOMMUNGRUPP_REF, POPULATION_REF),
                right_align=("Antal", "Kodningar ja (kommuner × koder)",
                             f"Koder med minst ett ja (av {swedish.number(frames[0]['n_codes'].iloc[0])})"),
                widths=(2.1, 2.3, 2.1, 1.1, 1.8, 1.2))
    first = frames[0]
    numbers.add("dalarna_N", swedish.number(first["N"].iloc[0]), "Dalarnas kommuner", refs[0])
    numbers.add("dalarna_codes", swedish.number(first["n_codes"].iloc[0]), "Koder i kodningen", refs[0])
    numbers.add("dalarna_yes_total", swedish.number(first["yes"].sum()), "Ja-kodningar totalt (minst)", refs[0])
    numbers.add("dalarna_possible_total", swedish.number(first["possible"].sum()), "Kodningar totalt (kommuner × koder)",
                refs[0])
    numbers.add("dalarna_no_total", swedish.number(first["no"].sum()), "Uttryckliga nej i kodningen", refs[0])
    numbers.add("dalarna_kommungrupp_used", swedish.number(len(frames[0])), "Kommungrupper med kommuner i Dalarna",
                KOMMUNGRUPP_REF)
    numbers.add("dalarna_band_used", swedish.number(len(frames[1])), "Befolkningsgrupper med kommuner i Dalarna",
                POPULATION_REF)
    largest = first.sort_values(["n", "group"], ascending=[False, True]).iloc[0]
    numbers.add("dalarna_largest_group", f"{largest.group} {largest.group_label}", "Kommungruppen med flest kommuner",
                KOMMUNGRUPP_REF)
    numbers.add("dalarna_largest_group_n", swedish.number(largest.n), "Kommuner i den största kommungruppen",
                KOMMUNGRUPP_REF)


def build_stockholm(combined: dict, numbers: ReportNumbers) -> None:
    rows = breakdown_rows(combined["breakdowns"], STOCKHOLM, "kommungrupp_2017")
    if not rows["note"].iloc[0].startswith("Ej möjligt"):
        raise ValueError(f"{STOCKHOLM}: expected a 'not possible' breakdown record, got {rows['note'].iloc[0]!r}")
    ref = refs_of(combined["shares"], STOCKHOLM, lambda r: r["indicator"] == "units_participated")[0]
    numbers.add("stockholm_units", swedish.number(rows["N"].iloc[0]), "Kommuner och stadsdelar i Stockholm 2008", ref)


def build_tests(combined: dict, assets_dir: Path, numbers: ReportNumbers) -> None:
    shares, reproduction = combined["shares"], combined["reproduction"]
    summary = tests_summary(combined["tests"])
    refs = (refs_of(shares, SKL, lambda r: r["source_ref"].str.contains("Bilaga 3", regex=False))
            + refs_of(shares, DALARNA, lambda r: r["category"] == "stated_yes")
            + refs_of(reproduction, SORMLAND, lambda r: r["quantity"].str.startswith("size_class_count"))
            + refs_of(shares, STOCKHOLM, lambda r: r["indicator"] == "units_participated")
            + (KOMMUNGRUPP_REF, POPULATION_REF))
    smallest, largest = max_group_size(combined["breakdowns"], (SKL, DALARNA))
    tables.save("tbl-size-tests", tests_table(summary),
                "Explorativa exakta test av samband mellan grupp och utfall per indikator (Fisher för 2 × 2-tabeller, "
                "annars Freeman–Halton), med Holms korrektion inom varje uppdelning. Grupperna har "
                f"{swedish.number(smallest)}–{swedish.number(largest)} kommuner; p-värdena beskriver tabellerna och "
                "kan inte generaliseras. Inte rapporterat räknas aldrig som nej.",
                assets_dir, source_refs=refs,
                right_align=("Indikatorer", "Testade", "Minsta p", "Minsta p, Holm"),
                widths=(1.5, 1.6, 1.0, 0.9, 0.9, 0.9, 2.8))
    ref_skl, ref_dal = refs[0], refs_of(shares, DALARNA, lambda r: r["category"] == "stated_yes")[0]
    for r in summary.itertuples():
        if r.source not in (SKL, DALARNA):
            continue
        kind = "band" if r.breakdown in ("befolkningsgrupp", "population_band") else "kommungrupp"
        key = f"tests_{'oj' if r.source == SKL else 'dalarna'}_{kind}"
        ref = ref_skl if r.source == SKL else ref_dal
        numbers.add(f"{key}_n", swedish.number(r.indicators), f"Indikatorer, {r.source}/{r.breakdown}", ref)
        numbers.add(f"{key}_tested", swedish.number(r.tested), f"Testade, {r.source}/{r.breakdown}", ref)
        numbers.add(f"{key}_skipped", swedish.number(r.skipped), f"Ej testbara, {r.source}/{r.breakdown}", ref)
        if r.tested:
            numbers.add(f"{key}_min_p", swedish.number(r.min_p, 3), f"Minsta p, {r.source}/{r.breakdown}", ref)
            numbers.add(f"{key}_min_p_holm", swedish.number(r.min_p_holm, 3),
                        f"Minsta Holm-justerade p, {r.source}/{r.breakdown}", ref)
    tested = summary[summary["tested"] > 0]
    numbers.add("tests_group_min", swedish.number(smallest), "Minsta grupp (kommuner) i de testade indelningarna", ref_skl)
    numbers.add("tests_group_max", swedish.number(largest), "Största grupp (kommuner) i de testade indelningarna", ref_dal)
    numbers.add("tests_total", swedish.number(int(tested["tested"].sum())), "Genomförda test totalt", ref_skl)
    numbers.add("tests_min_p", swedish.number(tested["min_p"].min(), 3), "Minsta råa p över alla test", ref_skl)
    numbers.add("tests_min_p_holm", swedish.number(tested["min_p_holm"].min(), 3), "Minsta Holm-justerade p över alla test",
                ref_skl)


def build(combined: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    """Figures, tables and numbers of the section 'Kommunstorlek'."""
    assets_dir = Path(assets_dir)
    numbers = ReportNumbers(SECTION)
    build_sormland(combined, config, assets_dir, numbers)
    build_oj(combined, assets_dir, numbers)
    build_dalarna(combined, config, assets_dir, numbers)
    build_stockholm(combined, numbers)
    build_tests(combined, assets_dir, numbers)
    numbers.write(assets_dir)
