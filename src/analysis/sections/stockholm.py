"""Report content for Stockholm 2008: the survey of all 39 units (25 municipalities + 14 Stockholm
city districts). A census: shares are reported as n/N without sampling intervals."""
from pathlib import Path

import pandas as pd

from .. import figures, swedish, tables
from ..report_vars import ReportNumbers

SOURCE = "stockholm_2008"
SOURCE_LINE = "Källa: Länsstyrelsen i Stockholms län (2008), telefonintervjuer med socialtjänsten i länets 39 kommuner och stadsdelar."


def indicator_rows(shares: pd.DataFrame, indicator: str) -> pd.DataFrame:
    rows = shares[(shares["source"] == SOURCE) & (shares["indicator"] == indicator)]
    if rows.empty:
        raise KeyError(f"{SOURCE}: indicator {indicator!r} not in shares")
    return rows.reset_index(drop=True)


def learned_via_figure(rows: pd.DataFrame, fig_id: str, subject: str) -> figures.ReportFigure:
    """Bars of how social services learn of a case (shares of the N units)."""
    N = int(rows["N"].iloc[0])
    fig = figures.horizontal_share_bars(
        rows["category_label"], rows["share"], rows["n"].astype(int), rows["N"].astype(int),
        axis_title=f"Andel av kommuner/stadsdelar (N = {N})",
    )
    parts = "; ".join(f"{row.category_label} {swedish.percent(row.share)}" for row in rows.itertuples())
    return figures.ReportFigure(
        id=fig_id,
        figure=fig,
        caption=f"Hur socialtjänsten oftast får kännedom om {subject}, andel av kommunerna/stadsdelarna (N = {N}).",
        alt=f"Liggande stapeldiagram. Andel kommuner/stadsdelar där socialtjänsten oftast får kännedom om {subject} via: {parts}.",
        source=SOURCE_LINE,
        source_refs=tuple(rows["source_ref"]),
    )


def learned_via_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Formatted table: source of knowledge, n, N, share and the printed percent."""
    return pd.DataFrame({
        "Kännedom via": rows["category_label"],
        "n": rows["n"].map(swedish.number),
        "N": rows["N"].map(swedish.number),
        "Andel": rows["share"].map(swedish.percent),
        "Tryckt i rapporten": rows["published"].map(lambda p: swedish.percent(p, 0)),
    })


def build(results: dict[str, pd.DataFrame], config: dict, assets_dir: Path) -> None:
    shares = results["shares"]
    numbers = ReportNumbers("stockholm")
    women = indicator_rows(shares, "women_learned_via")
    figures.save(learned_via_figure(women, "fig-women-learned-via", "en kvinna som utsätts för våld"), assets_dir)
    tables.save("tbl-women-learned-via", learned_via_table(women),
                "Hur socialtjänsten oftast får kännedom om en kvinna som utsätts för våld: antal (n) och andel av de N "
                "kommunerna/stadsdelarna, jämfört med den i rapporten tryckta procentsatsen.",
                assets_dir, source_refs=women["source_ref"],
                right_align=("n", "N", "Andel", "Tryckt i rapporten"))
    for row in women.itertuples():
        numbers.add(f"women_{row.category}_share", swedish.percent(row.share),
                    f"Andel kommuner/stadsdelar som oftast får kännedom via: {row.category_label}", row.source_ref)
        numbers.add(f"women_{row.category}_n", swedish.number(row.n),
                    f"Antal kommuner/stadsdelar som oftast får kännedom via: {row.category_label}", row.source_ref)
        numbers.add(f"women_{row.category}_published", swedish.percent(row.published, 0),
                    f"Tryckt procentsats i rapporten: {row.category_label}", row.source_ref)
    numbers.add("units_N", swedish.number(women["N"].iloc[0]), "Antal kommuner och stadsdelar i undersökningen",
                women["source_ref"].iloc[0])
    numbers.write(assets_dir)
