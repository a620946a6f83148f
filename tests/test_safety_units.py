"""Issue 14, items 1, 2 and 7, the mechanisms on their own: the build lock, the snapshot that a
failed build is rolled back to, and the removal of outputs that no current step writes."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from analysis import build, deps, outputs
from analysis import io as aio

ROOT = Path(__file__).resolve().parents[1]


# --- snapshot and roll back --------------------------------------------------------------------------


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".snapshot" not in p.parts
    }


def built_tree(root: Path) -> None:
    for name, text in {
        "data/processed/shares.csv": "a,b\n1,2\n",
        "data/processed/regions/x/t.csv": "x\n",
        "report/_generated/fig-a.json": "{}",
        "report/_output/rapport.html": "<p>gammal</p>",
        "report/_output/rapport.pdf": "%PDF",
        "build/notebooks/region-x.ipynb": "{}",
        "data/raw/indata.csv": "rå\n",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))


def test_roll_back_restores_bytes_and_times_and_removes_new_files(tmp_path):
    built_tree(tmp_path)
    before = tree(tmp_path)
    build.take_snapshot(tmp_path)
    (tmp_path / "report/_output/rapport.html").unlink()  # what Make did on Ctrl-C
    (tmp_path / "report/_output/rapport.pdf").write_text("%PDF half", encoding="utf-8")
    (tmp_path / "data/processed/shares.csv").write_text("a,b\n9,9\n", encoding="utf-8")
    (tmp_path / "data/processed/regions/y").mkdir()
    (tmp_path / "data/processed/regions/y/t.csv").write_text("ny\n", encoding="utf-8")
    (tmp_path / "report/_generated/fig-new.json").write_text("{}", encoding="utf-8")
    (tmp_path / "build/notebooks/combined.failed.ipynb").write_text("{}", encoding="utf-8")
    changed = build.restore_snapshot(tmp_path)
    after = tree(tmp_path)
    evidence = after.pop("build/notebooks/combined.failed.ipynb")
    assert after == before
    assert evidence  # the failed notebook is kept for inspection
    assert not (tmp_path / "data/processed/regions/y").exists()
    assert len(changed) == 5


def test_a_snapshot_is_not_restored_when_it_was_not_completed(tmp_path):
    built_tree(tmp_path)
    (tmp_path / "build" / ".snapshot").mkdir(parents=True)
    assert build.restore_snapshot(tmp_path) == []
    assert (tmp_path / "data/processed/shares.csv").exists()


# --- the lock ------------------------------------------------------------------------------------------


def test_a_second_build_waits_for_the_lock(tmp_path):
    order, messages = [], []

    class Out:
        def write(self, text):
            messages.append(text)

        def flush(self):
            pass

    def first():
        with build.build_lock(tmp_path):
            order.append("first in")
            time.sleep(1.0)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.3)
    # flock locks belong to open files: a second open file in this process waits like a second build
    with build.build_lock(tmp_path, out=Out()):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]
    assert any("waiting for it to finish" in m for m in messages)


def test_the_lock_is_held_across_processes(tmp_path):
    code = (
        "import sys, time; sys.path.insert(0, {!r}); from pathlib import Path; from analysis import build\n"
        "with build.build_lock(Path({!r})):\n    print('in', flush=True); time.sleep(1.5)\n"
    ).format(str(ROOT / "src"), str(tmp_path))
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "in"
    started = time.monotonic()
    with build.build_lock(tmp_path, out=open(os.devnull, "w")):
        waited = time.monotonic() - started
    holder.wait()
    assert waited > 0.5


# --- outputs no step writes any more ------------------------------------------------------------------


def test_outputs_of_a_region_no_longer_in_the_config_are_removed(tmp_path):
    processed, assets = tmp_path / "data" / "processed", tmp_path / "report" / "_generated"
    config = tmp_path / "c.yml"
    config.write_text(yaml.safe_dump({"sources": {"a": {"region": "keep"}}}), encoding="utf-8")
    with outputs.recording("region-keep", build_dir=tmp_path / "build"):
        aio.write_text_atomic(processed / "regions" / "keep" / "shares.csv", "k\n")
        aio.write_text_atomic(assets / "fig-keep.json", "{}")
    with outputs.recording("region-gone", build_dir=tmp_path / "build"):
        aio.write_text_atomic(processed / "regions" / "gone" / "shares.csv", "g\n")
        aio.write_text_atomic(processed / "oj_only_gone.csv", "g\n")
        aio.write_text_atomic(assets / "fig-gone.json", "{}")
        aio.write_text_atomic(assets / "vars" / "gone.yml", "g: 1\n")
    (assets / "fig-gone.png").write_bytes(b"png")
    (tmp_path / "build" / "notebooks").mkdir(parents=True)
    (tmp_path / "build" / "notebooks" / "region-gone.ipynb").write_text("{}", encoding="utf-8")
    (processed / "README.md").write_text("readme", encoding="utf-8")
    removed = outputs.prune(config, tmp_path)
    assert sorted(removed) == sorted(
        [
            "data/processed/oj_only_gone.csv",
            "data/processed/regions/gone/shares.csv",
            "report/_generated/fig-gone.json",
            "report/_generated/fig-gone.png",
            "report/_generated/vars/gone.yml",
            "build/notebooks/region-gone.ipynb",
        ]
    )
    assert (processed / "regions" / "keep" / "shares.csv").exists() and (assets / "fig-keep.json").exists()
    assert (processed / "README.md").exists() and not (processed / "regions" / "gone").exists()


def test_an_output_a_step_stops_writing_is_removed_and_nothing_outside_outputs(tmp_path):
    processed = tmp_path / "data" / "processed"
    config = tmp_path / "c.yml"
    config.write_text(yaml.safe_dump({"sources": {"a": {"region": "r"}}}), encoding="utf-8")
    elsewhere = tmp_path / "data" / "raw" / "x.csv"
    with outputs.recording("region-r", build_dir=tmp_path / "build"):
        aio.write_text_atomic(processed / "a.csv", "a\n")
        aio.write_text_atomic(processed / "b.csv", "b\n")
        aio.write_text_atomic(elsewhere, "raw\n")
    with outputs.recording("region-r", build_dir=tmp_path / "build"):  # the source behind b.csv was removed
        aio.write_text_atomic(processed / "a.csv", "a\n")
    assert outputs.prune(config, tmp_path) == ["data/processed/b.csv"]
    assert elsewhere.exists()


def test_a_figure_or_table_the_presentation_step_stops_making_is_removed_with_its_png(tmp_path):
    """A stale report/_generated output of the presentation step goes (and the static PNG of a
    removed figure); what it writes now, what no step recorded (the assembly's files, a county
    mapping's folder) and anything outside the outputs stay."""
    assets = tmp_path / "report" / "_generated"
    config = tmp_path / "c.yml"
    config.write_text(yaml.safe_dump({"sources": {"a": {"region": "r"}}}), encoding="utf-8")
    build = tmp_path / "build"
    with outputs.recording("present", build_dir=build):
        for name in (
            "fig-old.json",
            "fig-old.md",
            "provenance/fig-old.csv",
            "tbl-old.md",
            "fig-new.json",
            "vars/s.yml",
        ):
            aio.write_text_atomic(assets / name, "x\n")
        aio.write_text_atomic(tmp_path / "report" / "outside.md", "x\n")
    (assets / "fig-old.png").write_bytes(b"png")  # the assembly's static export, not recorded
    (assets / "fig-new.png").write_bytes(b"png")
    (assets / "metadata.yml").write_text("title: t\n", encoding="utf-8")  # written by the assembly
    (assets / "kartlaggning").mkdir()
    (assets / "kartlaggning" / "tbl-old.md").write_text("x\n", encoding="utf-8")  # a mapping's own
    with outputs.recording("present", build_dir=build):  # the next run: fig-old and tbl-old are gone
        for name in ("fig-new.json", "vars/s.yml"):
            aio.write_text_atomic(assets / name, "x\n")
    removed = outputs.prune(config, tmp_path)
    assert sorted(removed) == [
        "report/_generated/fig-old.json",
        "report/_generated/fig-old.md",
        "report/_generated/fig-old.png",
        "report/_generated/provenance/fig-old.csv",
        "report/_generated/tbl-old.md",
    ]
    kept = ("fig-new.json", "fig-new.png", "vars/s.yml", "metadata.yml", "kartlaggning/tbl-old.md")
    assert all((assets / name).exists() for name in kept)
    assert (tmp_path / "report" / "outside.md").exists()  # recorded, but outside the outputs
    assert not (build / "writes" / "present.previous").exists()
    assert outputs.prune(config, tmp_path) == []  # a second prune finds nothing


def test_an_output_a_present_step_no_longer_writes_but_another_step_does_stays(tmp_path):
    assets = tmp_path / "report" / "_generated"
    config = tmp_path / "c.yml"
    config.write_text(yaml.safe_dump({"sources": {"a": {"region": "r"}}}), encoding="utf-8")
    with outputs.recording("present", build_dir=tmp_path / "build"):
        aio.write_text_atomic(assets / "tbl-moved.md", "x\n")
    with outputs.recording("present", build_dir=tmp_path / "build"):
        pass
    with outputs.recording("region-r", build_dir=tmp_path / "build"):  # now written by the notebook
        aio.write_text_atomic(assets / "tbl-moved.md", "y\n")
    assert outputs.prune(config, tmp_path) == []
    assert (assets / "tbl-moved.md").read_text(encoding="utf-8") == "y\n"


def test_a_failed_step_keeps_its_previous_record(tmp_path):
    with outputs.recording("region-r", build_dir=tmp_path):
        aio.write_text_atomic(tmp_path / "a.csv", "a\n")
    with pytest.raises(RuntimeError):
        with outputs.recording("region-r", build_dir=tmp_path):
            raise RuntimeError("notebook failed")
    assert (tmp_path / "writes" / "region-r.txt").read_text(encoding="utf-8").split() == [str(tmp_path / "a.csv")]
    assert "ANALYSIS_WRITE_LOG" not in os.environ


def test_a_step_declares_what_it_wrote_to_make(tmp_path):
    """build/writes/<step>.mk: every output a prerequisite of the step's target, with an empty recipe
    (a deleted output reruns the step); names with spaces escaped; a failed run keeps the old rules."""
    target = tmp_path / "build" / "notebooks" / "region-r.ipynb"
    with outputs.recording("region-r", build_dir=tmp_path / "build", target=target):
        aio.write_text_atomic(tmp_path / "data" / "processed" / "a b.csv", "a\n")
        aio.write_text_atomic(tmp_path / "c.csv", "c\n")
    rules = (tmp_path / "build" / "writes" / "region-r.mk").read_text(encoding="utf-8")
    a, c = deps.make_escape(str(tmp_path / "data" / "processed" / "a b.csv")), str(tmp_path / "c.csv")
    assert f"{target}: \\\n  {c} \\\n  {a}\n" in rules  # sorted
    assert rules.endswith(f"\n{c} \\\n  {a}: ;\n")
    with pytest.raises(RuntimeError):
        with outputs.recording("region-r", build_dir=tmp_path / "build", target=target):
            raise RuntimeError("notebook failed")
    assert (tmp_path / "build" / "writes" / "region-r.mk").read_text(encoding="utf-8") == rules
    assert outputs.make_rules(target, set(), root=tmp_path).startswith("#")  # nothing written: no rule
    assert outputs.make_rules(target, {str(tmp_path / "c.csv")}, root=tmp_path).endswith("\nc.csv: ;\n")


# --- names with spaces in Make's dependencies -----------------------------------------------------------


def test_make_dependencies_escape_spaces_and_special_characters():
    assert deps.make_escape("data/egna filer/svar å.csv") == "data/egna\\ filer/svar\\ å.csv"
    assert deps.make_escape("a#b:c$d") == "a\\#b\\:c$$d"
