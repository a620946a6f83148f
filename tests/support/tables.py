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
