"""The Quarto path, with a stub `quarto` on PATH (the Quarto CLI cannot be installed here).

The stub records its argv, working folder and environment, and behaves like Quarto 1.11 where it
matters for the project: it writes the requested output into the project's output folder (or
--output-dir), copies the figure PNGs it treats as resources next to it (_generated/*.png), adds
report/.gitignore when the project has none with `/.quarto/`, and keeps a .quarto/ scratch folder.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from analysis.render import fallback

ROOT = Path(__file__).resolve().parents[1]

STUB = textwrap.dedent("""\
    #!{python}
    import json, os, shutil, sys
    from pathlib import Path
    args = sys.argv[1:]
    if args == ["--version"]:
        print("1.11.0"); sys.exit(0)
    with open({log!r}, "a", encoding="utf-8") as log:
        log.write(json.dumps({{"argv": args, "cwd": os.getcwd(),
                              "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH")}}) + "\\n")
    def option(name, default=None):
        return args[args.index(name) + 1] if name in args else default
    out_dir = Path(option("--output-dir", "_output"))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / option("--output")).write_text("rendered " + option("--to"), encoding="utf-8")
    (out_dir / "_generated").mkdir(exist_ok=True)
    for png in Path("_generated").glob("*.png"):
        shutil.copy(png, out_dir / "_generated" / png.name)
    gitignore = Path(".gitignore")
    if "/.quarto/" not in (gitignore.read_text().split("\\n") if gitignore.exists() else []):
        gitignore.write_text((gitignore.read_text() if gitignore.exists() else "") + "/.quarto/\\n")
    Path(".quarto").mkdir(exist_ok=True)
    (Path(".quarto") / "scratch").write_text("x")
""")


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def quarto_build(tmp_path_factory):
    """The committed project (its tracked files), a few generated inputs, then a build through
    `python -m analysis render` with the stub quarto first on PATH."""
    tmp = tmp_path_factory.mktemp("quarto")
    project = tmp / "project"
    tracked = git(ROOT, "ls-files", "-z", "src", "report", ".gitignore").split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, project / name)
    # this checkout's (possibly uncommitted) versions of the files under test
    for name in ("report/_quarto.yml", "report/.gitignore", ".gitignore"):
        shutil.copy2(ROOT / name, project / name)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "sources")
    generated = project / "report" / "_generated"
    generated.mkdir(parents=True)
    (generated / "metadata.yml").write_text("title: T\ndate: '2026-11-22'\n", encoding="utf-8")
    (generated / "fig-a.png").write_bytes(b"\x89PNG")
    (project / "build").mkdir()
    (project / "build" / "manifest-inputs.json").write_text("{}", encoding="utf-8")
    output = project / "report" / "_output"
    output.mkdir()
    (output / "rapport.html").write_text("previous build", encoding="utf-8")

    stub_dir, log = tmp / "bin", tmp / "quarto-calls.jsonl"
    stub_dir.mkdir()
    stub = stub_dir / "quarto"
    stub.write_text(STUB.format(python=sys.executable, log=str(log)), encoding="utf-8")
    stub.chmod(0o755)
    env = dict(os.environ, PATH=f"{stub_dir}{os.pathsep}{os.environ['PATH']}", PYTHONPATH=str(project / "src"))
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "render", "rapport.qmd", "--stem", "rapport"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    return project, result, calls


class TestQuartoCall:
    def test_the_build_succeeds_and_says_it_used_quarto(self, quarto_build):
        _, result, calls = quarto_build
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Renderer: Quarto 1.11.0" in result.stdout
        assert [c["argv"][c["argv"].index("--to") + 1] for c in calls] == ["html", "typst"]

    def test_quarto_runs_in_the_report_folder_on_the_document(self, quarto_build):
        project, _, calls = quarto_build
        for call in calls:
            assert Path(call["cwd"]) == project / "report"
            assert call["argv"][:2] == ["render", "rapport.qmd"]

    def test_source_date_epoch_is_the_report_date(self, quarto_build):
        _, _, calls = quarto_build
        assert {c["SOURCE_DATE_EPOCH"] for c in calls} == {"1795305600"}  # 2026-11-22T00:00:00Z
        assert fallback.pdf_timestamp("2026-11-22") == 1795305600

    def test_output_names_and_a_staging_folder_outside_report(self, quarto_build):
        project, _, calls = quarto_build
        for call, ext in zip(calls, ("html", "pdf")):
            argv = call["argv"]
            assert argv[argv.index("--output") + 1] == f"rapport.{ext}"
            staging = (Path(call["cwd"]) / argv[argv.index("--output-dir") + 1]).resolve()
            assert staging.is_relative_to(project / "build"), staging

    def test_format_options_in_the_project_file(self, quarto_build):
        project, _, _ = quarto_build
        config = yaml.safe_load((project / "report" / "_quarto.yml").read_text(encoding="utf-8"))
        assert config["format"]["typst"]["citeproc"] is True  # author-date citations in Referenser
        assert config["format"]["html"]["format-links"] is False  # no "Andra format" box
        assert "lang" not in config  # Quarto's lang comes from the config's report.locale via _generated/metadata.yml


def test_quartos_html_gets_the_narrow_screen_figure_script(quarto_build):
    project, _, _ = quarto_build
    config = yaml.safe_load((project / "report" / "_quarto.yml").read_text(encoding="utf-8"))
    script = project / "report" / config["format"]["html"]["include-after-body"]
    assert script.read_text(encoding="utf-8").startswith("<script>") and "adaptAll" in script.read_text()


class TestQuartoLeavesNothingBehind:
    def test_output_holds_only_the_deliverables(self, quarto_build):
        project, _, _ = quarto_build
        output = project / "report" / "_output"
        assert sorted(p.name for p in output.iterdir()) == ["rapport.html", "rapport.manifest.json", "rapport.pdf"]
        assert (output / "rapport.html").read_text() == "rendered html"
        assert (output / "rapport.pdf").read_text() == "rendered typst"

    def test_the_work_tree_is_clean(self, quarto_build):
        project, _, _ = quarto_build
        assert git(project, "status", "--porcelain", "--untracked-files=all") == ""

    def test_the_staging_folder_is_removed(self, quarto_build):
        project, _, _ = quarto_build
        assert not (project / "build" / "quarto" / "rapport").exists()


def test_a_failing_quarto_keeps_the_previous_deliverables(tmp_path, monkeypatch):
    from analysis import render

    report = tmp_path / "report"
    (report / "_generated").mkdir(parents=True)
    (report / "_generated" / "metadata.yml").write_text("date: '2026-11-22'\n")
    (report / "_quarto.yml").write_text("metadata-files: [_generated/metadata.yml]\n")
    (report / "doc.qmd").write_text("text\n")
    (report / "_output").mkdir()
    (report / "_output" / "doc.html").write_text("previous")
    quarto = tmp_path / "quarto"
    quarto.write_text(f"#!{sys.executable}\nimport sys; sys.exit(3)\n")
    quarto.chmod(0o755)
    with pytest.raises(render.QuartoError, match="exit 3"):
        render.render_with_quarto(
            str(quarto), Path("doc.qmd"), "doc", ("html",), report, report / "_output", tmp_path / "build" / "quarto"
        )
    assert (report / "_output" / "doc.html").read_text() == "previous"
    assert not (tmp_path / "build" / "quarto" / "doc").exists()


def test_a_date_that_is_not_iso_stops_before_quarto_runs(tmp_path):
    from analysis import render

    (tmp_path / "_generated").mkdir()
    (tmp_path / "_quarto.yml").write_text("metadata-files: [_generated/metadata.yml]\n")
    (tmp_path / "_generated" / "metadata.yml").write_text("date: igår\n")
    (tmp_path / "doc.qmd").write_text("text\n")
    with pytest.raises(render.QuartoError, match="igår"):
        render.quarto_environment(Path("doc.qmd"), tmp_path)
