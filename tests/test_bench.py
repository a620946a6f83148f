import bench
from analysis import paths, timing


def test_step_timings_are_parsed_from_a_build_log():
    log = "noise\n[tid] notebook region-dalarna: 6.20 s\n[tid] render rapport.pdf (pandoc + Typst): 1.05 s\nmore"
    assert timing.parse(log) == [("notebook region-dalarna", 6.2), ("render rapport.pdf (pandoc + Typst)", 1.05)]


def test_summary_reports_the_ratio_to_the_goal():
    step = {"seconds": 10.0, "peak_mb": 100, "steps": [("notebook region-x", 4.0)]}
    results = {k: dict(step) for k in bench.BUILDS}
    results["national_size_run"] = {"seconds": 25.0, "peak_mb": 300, "steps": []}
    results["machine"] = {"cores": 2, "python": "3.11", "system": "Linux", "load_average": (3.5, 3.0, 2.0)}
    results["floor"] = {"typst": {"seconds": 1.5, "peak_mb": 50, "steps": []}}
    text = bench.summary(results)
    assert "2.50× (goal: under 3×)" in text and "notebook region-x: 4.0 s" in text
    assert "- Typst: compile a one-line document: 1.5 s" in text and "load average 3.5" in text
    assert "Presentation code changed (figures.py)" in text


def test_the_region_file_touched_is_a_regional_sources_raw_file():
    path = bench.regional_raw_file(paths.ROOT)
    assert path.parent.parent == paths.RAW and path.suffix == ".csv"
