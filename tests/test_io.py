import os
import stat

import pandas as pd
import pytest

from analysis import io


class TestAtomicWrite:
    def test_writes_csv_with_lf_and_no_index(self, tmp_path):
        target = tmp_path / "out.csv"
        io.write_csv_atomic(pd.DataFrame({"a": [1, 2], "b": [0.5, 1 / 3]}), target)
        assert target.read_bytes() == b"a,b\n1,0.5\n2,0.3333333333\n"

    def test_failure_leaves_previous_file_and_no_temporary(self, tmp_path):
        target = tmp_path / "out.txt"
        target.write_text("old")
        with pytest.raises(RuntimeError):
            with io.atomic_path(target) as tmp:
                tmp.write_text("half-written")
                raise RuntimeError("boom")
        assert target.read_text() == "old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]

    def test_output_is_readable_by_others(self, tmp_path):
        target = io.write_text_atomic(tmp_path / "x.txt", "x")
        assert stat.S_IMODE(os.stat(target).st_mode) & 0o044 == 0o044 & ~_umask()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_read_raw_csv_keeps_leading_zeros_and_empty_as_missing(tmp_path):
    path = tmp_path / "raw.csv"
    path.write_text("kommunkod,n\n0180,\n", encoding="utf-8")
    frame = io.read_raw_csv(path)
    assert frame.loc[0, "kommunkod"] == "0180"
    assert pd.isna(frame.loc[0, "n"])


def test_executed_notebooks_are_normalised_for_determinism():
    import nbformat

    from analysis import notebooks

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("y = 2")]
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00"}
    nb.cells[0].metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    nb.cells[0].metadata["papermill"] = {"duration": 0.1}
    out = notebooks.normalise(nb)
    assert "papermill" not in out.metadata
    assert out.cells[0].metadata == {}
    assert [c["id"] for c in out.cells] == ["cell-0", "cell-1"]


def test_make_dependencies_name_only_input_files(tmp_path):
    from analysis import deps

    (tmp_path / "pub").mkdir()
    (tmp_path / "pub" / "counts.csv").write_text("x\n")
    assert deps.source_inputs({"inputs": {"kind": "published", "dir": "pub"}}, tmp_path) == [
        tmp_path / "pub" / "counts.csv"
    ]
    microdata = {
        "inputs": {
            "kind": "survey_microdata",
            "responses": "r.csv",
            "survey_codebook": "c.csv",
            "unit_column": "Kommun/stadsdel",
            "sheet": "Blad1",
        }
    }
    assert deps.source_inputs(microdata, tmp_path) == [tmp_path / "c.csv", tmp_path / "r.csv"]


def test_make_dependencies_follow_imports_transitively():
    from analysis import deps, paths

    files = {p.name for p in deps.module_closure({"pipeline"}, paths.ROOT / "src" / "analysis")}
    assert {"pipeline.py", "shares.py", "design.py", "sources.py"} <= files
    assert "cross_source.py" not in files  # only the combined step uses it


def test_unchanged_output_is_not_rewritten(tmp_path):
    target = tmp_path / "x.txt"
    io.write_text_atomic(target, "same")
    os.utime(target, (1, 1))
    io.write_text_atomic(target, "same")
    assert target.stat().st_mtime == 1
    io.write_text_atomic(target, "changed")
    assert target.read_text() == "changed" and target.stat().st_mtime > 1


def test_regional_editions_get_their_own_subtitle():
    from pathlib import Path

    from analysis import assemble

    config = {
        "report": {"title": "T", "subtitle": "S", "version": "1", "authors": [{"name": "A"}]},
        "sources": {"s": {"region": "dalarna", "area": "Dalarnas län"}},
    }
    assert (
        assemble.report_metadata(config, "2026-01-01", Path("rapport-dalarna.qmd"))["subtitle"]
        == "S · Regional utgåva: Dalarnas län"
    )
    assert assemble.report_metadata(config, "2026-01-01", Path("rapport.qmd"))["subtitle"] == "S"
    assert assemble.report_metadata(config, "2026-01-01", Path("rapport.qmd"))["version"] == "1"  # colophon
