import pandas as pd
import pytest

from analysis import shares


def counts(rows):
    columns = ["indicator", "label", "category", "category_label", "n", "n_max", "N", "percent",
               "percent_max", "source_ref"]
    return pd.DataFrame([dict(zip(columns, r)) for r in rows], dtype=str)


def test_indicator_shares_divides_n_by_N_and_keeps_printed_percent():
    frame = counts([
        ["q", "Fråga", "a", "A", "26", None, "39", "67", None, "ref"],
        ["q", "Fråga", "b", "B", "8", None, "39", "21", None, "ref"],
        ["other", "Annan", "a", "A", "1", None, "2", None, None, "ref"],
    ])
    out = shares.indicator_shares(frame, "q")
    assert list(out["category"]) == ["a", "b"]
    assert out["share"].tolist() == pytest.approx([26 / 39, 8 / 39])
    assert out["published"].tolist() == pytest.approx([0.67, 0.21])


def test_unknown_indicator_is_named_in_the_error():
    with pytest.raises(KeyError, match="nope"):
        shares.indicator_shares(counts([["q", "F", "a", "A", "1", None, "2", None, None, "r"]]), "nope")
