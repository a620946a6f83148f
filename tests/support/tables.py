"""Made-up input tables for unit tests, typed as the package reads them."""

import pandas as pd

COUNT_FIELDS = "indicator label category category_label group_var group n n_max N percent percent_max exclusive unit source_ref note".split()


def counts_table(*rows) -> pd.DataFrame:
    """A typed counts table like sources.load_published returns (Int64 counts, float percents); each
    row lists the values of COUNT_FIELDS in order."""
    frame = pd.DataFrame([dict(zip(COUNT_FIELDS, r)) for r in rows], columns=COUNT_FIELDS)
    for column in ("n", "n_max", "N"):
        frame[column] = pd.array(frame[column], dtype="Int64")
    for column in ("percent", "percent_max"):
        frame[column] = frame[column].astype("float64")
    return frame


def grid(items: str, **rows) -> dict:
    """{(kommun, item): value} from one row of values per municipality, item by item:
    grid("c1 c2", A=("yes", "no"), B=("no", "no")) lists A's and B's c1, then A's and B's c2."""
    return {(kommun, item): values[i] for i, item in enumerate(items.split()) for kommun, values in rows.items()}


def grid_frame(columns: list[str], items: str, *, by_kommun: bool = False, **rows) -> pd.DataFrame:
    """The long table (kommun, item, value) of `grid`, its rows item by item (or, by_kommun,
    municipality by municipality)."""
    cells = grid(items, **rows)
    if by_kommun:
        cells = {key: cells[key] for key in sorted(cells, key=lambda key: list(rows).index(key[0]))}
    return pd.DataFrame([(kommun, item, value) for (kommun, item), value in cells.items()], columns=columns)
