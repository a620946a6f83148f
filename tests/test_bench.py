from analysis import bench, timing


def test_step_timings_are_parsed_from_a_build_log():
    log = "noise\n[tid] notebook region-dalarna: 6.20 s\n[tid] render rapport.pdf (pandoc + Typst): 1.05 s\nmore"
    assert timing.parse(log) == [("notebook region-dalarna", 6.2), ("render rapport.pdf (pandoc + Typst)", 1.05)]


def test_summary_reports_the_ratio_to_the_goal():
    step = {"seconds": 10.0, "peak_mb": 100, "steps": [("notebook region-x", 4.0)]}
    results = {k: dict(step) for k in ("cold_full_build", "cold_full_build_serial", "noop_rebuild",
                                       "one_region_rebuild", "national_size_run")}
    results["national_size_run"] = {"seconds": 25.0, "peak_mb": 300, "steps": []}
    results["machine"] = {"cores": 2, "python": "3.11", "system": "Linux"}
    text = bench.summary(results)
    assert "2.50× (goal: under 3×)" in text and "notebook region-x: 4.0 s" in text
