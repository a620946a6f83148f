"""The whole pipeline, run with `make report` in a temporary copy of the project."""

import re
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis import verify
from analysis.verify import copy_project
from support import report_checks

pytestmark = pytest.mark.e2e


def make(project: Path, root: Path, *targets: str) -> subprocess.CompletedProcess:
    return verify.make(project, root / ".venv", *targets, "BUILD_DATE=2026-01-01")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = Path(__file__).resolve().parents[1]
    project = copy_project(root, tmp_path_factory.mktemp("e2e") / "project")
    result = make(project, root, "report")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root, project, result


def test_build_says_which_renderer_it_used(built):
    _, _, result = built
    assert "Renderer: " in result.stdout


def test_html_has_the_interactive_figure_and_the_number(built):
    _, project, _ = built
    html = (project / "report/_output/rapport.html").read_text(encoding="utf-8")
    assert 'id="fig-stockholm-organisation-plot"' in html
    assert "Plotly.newPlot" in html and "plotly.js" in html.lower()  # plotly.js embedded: works offline
    words = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))  # not the no-break space
    assert "26 av 39 kommuner och stadsdelar, 67\u00a0%" in words  # whole percent on a base of 39
    assert "66,7\u00a0%" not in html
    prose = re.sub(r"<script.*?</script>", "", html, flags=re.S)  # plotly.js itself contains '??'
    assert "Figur\u00a01" in prose and "{{<" not in prose and "??" not in prose


def test_pdf_has_the_static_figure_and_the_number(built):
    _, project, _ = built
    reader = PdfReader(project / "report/_output/rapport.pdf")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ").split())
    assert re.search(r"26 av 39 kommuner och stads-? ?delar, 67 %", text) and "66,7 %" not in text
    assert any(image_objects(page) for page in reader.pages), "the PDF should contain the figure's PNG"


def image_objects(page) -> list:
    xobjects = page.get("/Resources", {}).get("/XObject", {})
    return [name for name, obj in xobjects.items() if obj.get_object().get("/Subtype") == "/Image"]


def test_second_build_does_no_work(built):
    root, project, _ = built
    start = time.perf_counter()
    result = make(project, root, "report")
    elapsed = time.perf_counter() - start
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout, result.stdout
    assert elapsed < 2


def steps_run(result: subprocess.CompletedProcess) -> list[str]:
    """The steps a `make report` ran, as `notebook <name>`, `present`, `render <stem>` (from its recipes)."""
    found = re.findall(r"-m analysis (notebook \S+ (\S+)\.ipynb|present|render (\S+)\.qmd)", result.stdout)
    return [f"notebook {Path(nb).name}" if nb else (f"render {stem}" if stem else "present") for _, nb, stem in found]


def test_a_deleted_processed_table_or_asset_reruns_the_step_that_writes_it_and_nothing_else(built):
    """Make knows what each step writes (build/writes/<step>.mk): a deleted output comes back, byte
    for byte, with what depends on it rebuilt and no other step run; then the build is a no-op again."""
    root, project, _ = built
    outputs = {
        "combined": "data/processed/shares.csv",
        "region": "data/processed/regions/dalarna/shares.csv",
        "asset": "report/_generated/tbl-size-tests.md",
    }
    before = {name: (project / path).read_bytes() for name, path in outputs.items()}
    expected = {
        "asset": ["present", "render rapport", "render teknisk-bilaga"],
        "combined": ["notebook combined", "present", "render rapport", "render teknisk-bilaga"],
        "region": [
            "notebook region-dalarna",
            "notebook combined",
            "present",
            "render rapport",
            "render teknisk-bilaga",
        ],
    }
    for name, steps in expected.items():
        (project / outputs[name]).unlink()
        result = make(project, root, "report")
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert steps_run(result) == steps, name
        assert (project / outputs[name]).read_bytes() == before[name], name
        again = verify.make(project, root / ".venv", "-q", "deliverables", "BUILD_DATE=2026-01-01")
        assert again.returncode == 0, f"after rebuilding {outputs[name]}, Make still has work: {again.stdout}"
    start = time.perf_counter()
    result = make(project, root, "report")
    assert "Nothing to be done" in result.stdout and time.perf_counter() - start < 2


def test_a_presentation_change_reruns_no_notebook_and_a_new_date_only_the_rendering(built):
    root, project, _ = built
    (project / "src/analysis/sections/size.py").touch()
    dry = verify.make(project, root / ".venv", "-n", "deliverables", "BUILD_DATE=2026-01-01")
    assert dry.returncode == 0 and steps_run(dry)[:2] == ["present", "render rapport"], dry.stdout
    assert make(project, root, "report").returncode == 0
    result = verify.make(project, root / ".venv", "report", "BUILD_DATE=2026-01-02")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert steps_run(result) == ["render rapport", "render teknisk-bilaga"]
    assert "2026-01-02" in (project / "report/_output/rapport.html").read_text(encoding="utf-8")
    assert make(project, root, "report").returncode == 0  # back to the module's date
    assert "Nothing to be done" in make(project, root, "report").stdout


def test_two_clean_builds_are_identical(built):
    """Determinism: a second clean build (another copy) gives the same processed tables, executed
    notebooks, HTML and PDF, byte for byte (compared through the build manifest)."""
    root, project, _ = built
    assert verify.verify("rapport", "config/default.yml", "all", root / ".venv", root=project) == []


FULL_SECTIONS = [
    "Sammanfattning",
    "Inledning",
    "Syfte och frågeställningar",
    "Metod och material",
    "Resultat",
    "Diskussion",
    "Slutsatser och rekommendationer",
    "Del II. Källorna en och en",
    "Stockholms län 2008",
    "Södermanlands län 2019",
    "Dalarnas län 2020",
    "Nationellt sammanhang",
    "Kommunstorlek",
    "Referenser",
]
COMPANION_SECTIONS = [
    "Metoddetaljer",
    "Publicerade och återberäknade siffror",
    "Explorativa test efter kommunstorlek",
    "Jämförelse mellan källorna",
    "Bilaga A. Kodbok",
    "Bilaga B. Proveniens",
    "Bilaga C. Reproducerbarhet",
    "Referenser",
]


def report_problems(output: Path, stem: str, sections: list[str]) -> list[str]:
    html = (output / f"{stem}.html").read_text(encoding="utf-8")
    pdf = report_checks.pdf_text(output / f"{stem}.pdf")
    return (
        report_checks.text_problems(report_checks.html_text(html), f"{stem}.html")
        + report_checks.text_problems(pdf, f"{stem}.pdf")
        + report_checks.figure_alt_problems(html)
        + report_checks.missing_sections(pdf, sections)
        + report_checks.chromium_problems(output / f"{stem}.html")
    )


def test_full_report_passes_the_reviewer_checks(built):
    _, project, _ = built
    assert report_problems(project / "report/_output", "rapport", FULL_SECTIONS) == []


def test_the_technical_companion_is_built_and_passes_the_reviewer_checks(built):
    _, project, _ = built
    output = project / "report/_output"
    assert report_problems(output, "teknisk-bilaga", COMPANION_SECTIONS) == []
    assert (output / "teknisk-bilaga.manifest.json").exists()
    main = report_checks.pdf_text(output / "rapport.pdf")
    assert "Bilaga B" not in main and "Publicerade och återberäknade siffror" not in main


def test_a_regional_edition_has_its_region_and_the_national_context_only(built):
    root, project, _ = built
    result = make(project, root, "report", "REGION=dalarna")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    sections = [s for s in FULL_SECTIONS if s not in ("Stockholms län 2008", "Södermanlands län 2019")]
    assert report_problems(project / "report/_output", "rapport-dalarna", sections) == []
    html = (project / "report/_output/rapport-dalarna.html").read_text(encoding="utf-8")
    assert 'id="sec-dalarna"' in html and 'id="sec-nationellt"' in html
    assert 'id="sec-stockholm"' not in html and 'id="sec-sormland"' not in html
    assert (project / "report/_output/rapport-dalarna.manifest.json").exists()


def test_every_n_av_N_on_a_ruled_base_is_a_shares_row(built):
    """One base rule: every "n av N" the main report prints on a source's default base (Stockholm:
    39) or on the base of a residual (the county boards' 43) is a row of shares.csv with that n and
    that N: the text, the tables and shares.csv agree on every base."""
    import pandas as pd
    import yaml

    _, project, _ = built
    config = yaml.safe_load((project / "config/default.yml").read_text(encoding="utf-8"))
    shares = pd.read_csv(project / "data/processed/shares.csv")
    ruled = {
        source["base_rule"]["default_base"]: source_id
        for source_id, source in config["sources"].items()
        if "base_rule" in source
    }
    for row in shares[shares["n_basis"] == "residual"].itertuples():
        ruled[int(row.N)] = row.source
    assert 39 in ruled and 43 in ruled
    rows = shares[shares["N"].notna()]
    known = {
        (int(n), int(r.N))
        for r in rows[rows["source"].isin(set(ruled.values()))].itertuples()
        for n in (r.n, r.n_max)
        if pd.notna(n)
    }
    text = report_checks.html_text((project / "report/_output/rapport.html").read_text(encoding="utf-8"))
    printed = {(int(n), int(N)) for n, N in re.findall(r"\b(\d+) av (?:de |alla )?(\d+)\b", text)}
    on_ruled = {pair for pair in printed if pair[1] in ruled}
    assert on_ruled, "the report prints no n av N on a ruled base"
    assert on_ruled <= known, sorted(on_ruled - known)
