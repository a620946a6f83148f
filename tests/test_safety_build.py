"""Issue 14, items 2 and 7, end to end: `make report` in temporary copies of a built project.

The project is built once, from a config whose name has a space and å/ä/ö and whose Sörmland
folder is named with spaces and å/ö (names with spaces work). Each test then works on its own copy
(times preserved, so Make sees the same state) and checks that after a refused, failed or
interrupted build data/processed, report/_generated and report/_output are byte-identical to before."""

import hashlib
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import yaml

from analysis import verify

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "config/mitt bygge å.yml"
SORMLAND = "data/egna källor/sörmland 2019"
DELIVERABLES = ("data/processed", "report/_generated", "report/_output")


def env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}


def make_args(*targets: str, config: str = CONFIG) -> list[str]:
    return ["make", *targets, f"VENV={ROOT / '.venv'}", f"CONFIG={config}", "BUILD_DATE=2026-01-01"]


def make(project: Path, *targets: str, config: str = CONFIG) -> subprocess.CompletedProcess:
    return subprocess.run(make_args(*targets, config=config), cwd=project, env=env(), capture_output=True, text=True)


def state(project: Path, folders=DELIVERABLES) -> dict[str, str]:
    out = {}
    for folder in folders:
        for path in sorted((project / folder).rglob("*")):
            if path.is_file():
                out[str(path.relative_to(project))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = verify.copy_project(ROOT, tmp_path_factory.mktemp("safety") / "project")
    shutil.copytree(project / "data" / "raw" / "sormland_2019", project / SORMLAND)
    config = yaml.safe_load((project / "config" / "default.yml").read_text(encoding="utf-8"))
    source = next(s for s in config["sources"].values() if s["region"] == "sormland")
    source["inputs"]["dir"] = SORMLAND
    (project / CONFIG).write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = make(project, "report")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    copy = tmp_path / "kopia"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def write_config(project: Path, name: str, change) -> str:
    config = yaml.safe_load((project / CONFIG).read_text(encoding="utf-8"))
    change(config)
    (project / name).write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return name


def source_of(config: dict, region: str) -> dict:
    return next(s for s in config["sources"].values() if s["region"] == region)


def test_names_with_spaces_and_swedish_letters_build_and_a_second_build_does_nothing(built):
    assert (built / "report" / "_output" / "rapport.html").exists()
    before = state(built)
    result = make(built, "report")
    assert result.returncode == 0 and "Nothing to be done" in result.stdout, result.stdout + result.stderr
    assert state(built) == before


def test_make_validate_writes_nothing_that_outdates_the_build(project):
    def every():
        return {
            str(p.relative_to(project)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in project.rglob("*")
            if p.is_file() and ".git" not in p.parts
        }

    before = every()
    other = write_config(project, "config/annan.yml", lambda c: c["report"].update(title="En annan titel"))
    before = every()
    result = make(project, "validate", config=other)
    assert result.returncode == 0, result.stderr
    assert every() == before
    result = make(project, "report")
    assert result.returncode == 0 and "Nothing to be done" in result.stdout, result.stdout + result.stderr


def test_a_mistyped_region_is_refused_before_anything_runs(project):
    before = state(project, DELIVERABLES + ("build/notebooks",))
    bad = write_config(project, "config/fel region.yml", lambda c: source_of(c, "stockholm").update(region="stockolm"))
    result = make(project, "report", config=bad)
    assert result.returncode != 0
    assert result.stderr.startswith("FAILED: 1 problem in 1 file"), result.stderr
    assert "unknown region 'stockolm'; did you mean 'stockholm'?" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert state(project, DELIVERABLES + ("build/notebooks",)) == before
    assert not (project / "data" / "processed" / "regions" / "stockolm").exists()


def test_a_refused_input_changes_nothing(project):
    before = state(project, DELIVERABLES + ("build/notebooks",))
    import csv

    with open(project / SORMLAND / "counts.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[3][rows[0].index("n")] = "tolv"  # a broken value in a raw table (row 4 as a spreadsheet shows it)
    (project / "data" / "egna filer").mkdir(parents=True)
    shutil.copytree(project / SORMLAND, project / "data" / "egna filer" / "sörmland trasig")
    with open(
        project / "data" / "egna filer" / "sörmland trasig" / "counts.csv", "w", encoding="utf-8", newline=""
    ) as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    bad = write_config(
        project,
        "config/trasig indata.yml",
        lambda c: source_of(c, "sormland")["inputs"].update(dir="data/egna filer/sörmland trasig"),
    )
    result = make(project, "report", config=bad)
    assert result.returncode != 0
    assert result.stderr.startswith("FAILED: "), result.stderr
    assert "sörmland trasig/counts.csv, row 4, column 'n'" in result.stderr and "'tolv'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert state(project, DELIVERABLES + ("build/notebooks",)) == before


def test_a_notebook_that_fails_after_writing_changes_nothing(project):
    """Sörmland's input changes (valid), its region notebook writes new tables, then the combined
    notebook fails after its write cell: everything is put back, the failure is explained."""
    before = state(project)
    counts = project / SORMLAND / "counts.csv"
    text = counts.read_text(encoding="utf-8")
    assert "National SKL programme" in text
    counts.write_text(text.replace("National SKL programme", "The national SKL programme"), encoding="utf-8")
    notebook = project / "notebooks" / "combined.ipynb"
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8"))
    cells["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "fail",
            "metadata": {},
            "outputs": [],
            "source": ["raise RuntimeError('injected failure after the write cell')"],
        }
    )
    notebook.write_text(json.dumps(cells, ensure_ascii=False, indent=1), encoding="utf-8")
    result = make(project, "report")
    assert result.returncode != 0
    assert "FAILED: notebook combined: RuntimeError" in result.stderr, result.stderr[-3000:]
    assert "injected failure after the write cell" in result.stderr
    assert "build/logs/notebook-combined.log" in result.stderr
    assert "Traceback" not in result.stderr
    assert "nothing already built was changed" in result.stderr
    assert "injected failure" in (project / "build" / "logs" / "notebook-combined.log").read_text(encoding="utf-8")
    assert (project / "build" / "notebooks" / "combined.failed.ipynb").exists()
    assert state(project) == before
    # the region notebook had written changed tables before the failure: the roll back was real
    import re

    put_back = re.search(r"(\d+) files? put back", result.stderr)
    assert put_back and int(put_back[1]) > 0, result.stderr[-2000:]


def test_ctrl_c_while_the_pdf_renders_keeps_the_previous_report(project):
    before = state(project)
    section = project / "report" / "sections" / "_metod.qmd"
    section.write_text(section.read_text(encoding="utf-8") + "\nEn mening till.\n", encoding="utf-8")
    process = subprocess.Popen(
        make_args("report"),
        cwd=project,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    seen = []

    def read():
        for line in process.stdout:
            seen.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 600
    while not any("render rapport.html" in line for line in seen) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert process.poll() is None, "".join(seen)[-3000:]
    time.sleep(1)  # inside the PDF step
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=120)
    reader.join(timeout=10)
    output = "".join(seen)
    assert process.returncode != 0
    assert "INTERRUPTED" in output, output[-3000:]
    assert state(project) == before
    assert (project / "report" / "_output" / "rapport.html").exists()


def test_two_builds_at_once_wait_for_each_other(project):
    section = project / "report" / "sections" / "_metod.qmd"
    section.write_text(section.read_text(encoding="utf-8") + "\nEn mening till.\n", encoding="utf-8")
    first = subprocess.Popen(
        make_args("report"), cwd=project, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(3)
    second = subprocess.run(make_args("report"), cwd=project, env=env(), capture_output=True, text=True)
    out, err = first.communicate(timeout=900)
    assert first.returncode == 0, err[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    assert "waiting for it to finish" in second.stderr
    assert "Nothing to be done" in second.stdout
    html = (project / "report" / "_output" / "rapport.html").read_text(encoding="utf-8")
    assert "En mening till." in html


def test_text_from_inputs_reaches_the_html_and_pdf_as_text(project):
    """Hostile labels in a raw table and a hostile title in the config, through the whole build."""
    import csv

    from pypdf import PdfReader

    (project / "report" / "hemlig.txt").write_text("HEMLIGT-INNEHÅLL\n", encoding="utf-8")
    hostile = '{{< include hemlig.txt >}} <b onmouseover="alert(1)">fet</b> [länk](javascript:alert(1)) $x$ '
    with open(project / SORMLAND / "counts.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    label = rows[0].index("label")
    for row in rows[1:]:
        row[label] = hostile + row[label]
    with open(project / SORMLAND / "counts.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    title = "Rapport <script>alert(1)</script> [länk](javascript:alert(2)) @doe"
    config = write_config(project, "config/fientlig.yml", lambda c: c["report"].update(title=title))
    result = make(project, "report", config=config)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    output = project / "report" / "_output"
    # the main report shows the title; the input labels reach the technical companion (the audit
    # tables quote the sources' labels), both as text
    page = (output / "rapport.html").read_text(encoding="utf-8")
    pages = page + (output / "teknisk-bilaga.html").read_text(encoding="utf-8")
    assert "HEMLIGT-INNEHÅLL" not in pages
    assert "{{&lt; include hemlig.txt &gt;}}" in pages or "{{< include hemlig.txt >}}" in pages.replace(
        "&lt;", "<"
    ).replace("&gt;", ">")
    assert "<b onmouseover" not in pages and "<script>alert" not in pages and 'href="javascript' not in pages
    assert "Rapport &lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = " ".join(
        p.extract_text() for pdf in ("rapport.pdf", "teknisk-bilaga.pdf") for p in PdfReader(output / pdf).pages
    )
    assert "HEMLIGT-INNEHÅLL" not in text
    assert "include hemlig.txt" in text and "<script>alert(1)</script>" in text
