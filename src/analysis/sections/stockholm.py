"""Stockholm 2008: the survey of all 39 units (25 municipalities + 14 Stockholm city districts)."""
import pandas as pd

from . import figures, swedish

SOURCE_LINE = "Källa: Länsstyrelsen i Stockholms län (2008), telefonintervjuer med socialtjänsten i länets 39 kommuner och stadsdelar."


def learned_via_figure(shares: pd.DataFrame, fig_id: str, subject: str) -> figures.ReportFigure:
    """Bars of how social services learn of a case (shares of the N units)."""
    N = int(shares["N"].iloc[0])
    fig = figures.horizontal_share_bars(
        shares["category_label"], shares["share"], shares["n"].astype(int), shares["N"].astype(int),
        axis_title=f"Andel av kommuner/stadsdelar (N = {N})",
    )
    parts = "; ".join(f"{row.category_label} {swedish.percent(row.share)}" for row in shares.itertuples())
    return figures.ReportFigure(
        id=fig_id,
        figure=fig,
        caption=f"Hur socialtjänsten oftast får kännedom om {subject}, andel av kommunerna/stadsdelarna (N = {N}).",
        alt=f"Liggande stapeldiagram. Andel kommuner/stadsdelar där socialtjänsten oftast får kännedom om {subject} via: {parts}.",
        source=SOURCE_LINE,
    )


def learned_via_table(shares: pd.DataFrame) -> pd.DataFrame:
    """Formatted table: source of knowledge, n, N, share and the printed percent."""
    return pd.DataFrame({
        "Kännedom via": shares["category_label"],
        "n": shares["n"].map(swedish.number),
        "N": shares["N"].map(swedish.number),
        "Andel": shares["share"].map(swedish.percent),
        "Tryckt i rapporten": shares["published"].map(lambda p: swedish.percent(p, 0)),
    })


def learned_via_variables(shares: pd.DataFrame) -> dict:
    """Prose numbers, e.g. {'women_police_share': '66,7 %', 'women_police_n': '26', …}."""
    out = {}
    for row in shares.itertuples():
        out[f"{row.category}_share"] = swedish.percent(row.share)
        out[f"{row.category}_n"] = swedish.number(row.n)
        out[f"{row.category}_published"] = swedish.percent(row.published, 0)
    out["N"] = swedish.number(shares["N"].iloc[0])
    return out
