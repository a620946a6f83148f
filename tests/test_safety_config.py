"""Issue 14, items 1 and 5: the whole config is checked before anything runs (by the same function
in `validate` and in the build), and a census is a census (a unit of another county is refused
unless the config accepts it). Each case is a mutation of the default config."""

import copy
from pathlib import Path

import pytest
import yaml

from analysis import config_check, sources
from analysis.config_check import validate_config
from analysis.input_errors import ConfigError, ValidationError, did_you_mean
from support.files import run_analysis

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = yaml.safe_load((ROOT / "config" / "default.yml").read_text(encoding="utf-8"))
EXAMPLES = yaml.safe_load((ROOT / "config" / "examples.yml").read_text(encoding="utf-8"))


def first_source(config, region):
    return next(s for s in config["sources"].values() if s["region"] == region)


def mutate(change, base=DEFAULT):
    config = copy.deepcopy(base)
    change(config)
    return config


CASES = {
    "misspelt region": (
        lambda c: first_source(c, "stockholm").update(region="stockolm"),
        "unknown region 'stockolm'; did you mean 'stockholm'?",
    ),
    "region the report has no section for": (
        lambda c: first_source(c, "dalarna").update(region="uppsala"),
        "unknown region 'uppsala'",
    ),
    "misspelt source key": (
        lambda c: first_source(c, "sormland").update(desing="census"),
        "unknown key `desing`; did you mean `design`?",
    ),
    "missing source key": (lambda c: first_source(c, "sormland").pop("area"), "`area` is missing"),
    "unknown design": (
        lambda c: first_source(c, "sormland").update(design="totalundersökning"),
        "unknown design 'totalundersökning'",
    ),
    "unknown design per indicator": (
        lambda c: first_source(c, "national").update(design_by_indicator={"oj_01": "random"}),
        "unknown design 'random'",
    ),
    "year out of range": (lambda c: first_source(c, "sormland").update(year=20019), "'20019' is not a year"),
    "year as text": (lambda c: first_source(c, "sormland").update(year="i fjol"), "'i fjol' is not a year"),
    "unknown kind": (
        lambda c: first_source(c, "dalarna")["inputs"].update(kind="publised"),
        "unknown kind 'publised'; did you mean 'published'?",
    ),
    "missing input folder": (
        lambda c: first_source(c, "dalarna")["inputs"].update(dir="data/raw/dalarna_2021"),
        "the folder 'data/raw/dalarna_2021' does not exist; did you mean 'dalarna_2020'?",
    ),
    "unknown top-level key": (lambda c: c.update(sourcess={}), "unknown key `sourcess`; did you mean `sources`?"),
    "misspelt report key": (lambda c: c["report"].update(titel="x"), "unknown key `titel`; did you mean `title`?"),
    "missing reference folder": (
        lambda c: c.update(reference="data/raw/referens"),
        "does not hold the reference tables",
    ),
    "unknown presentation kind": (
        lambda c: first_source(c, "dalarna")["presentation"].update(kind="coding_grd"),
        "unknown presentation kind 'coding_grd'; did you mean 'coding_grid'?",
    ),
    "bad units_outside_area": (
        lambda c: first_source(c, "sormland").update(units_outside_area="ja"),
        "'ja' is not one of refuse, accept",
    ),
}


def write(tmp_path, config) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES)
def test_bad_config_is_refused_by_the_config_check(tmp_path, case):
    change, message = CASES[case]
    with pytest.raises(ConfigError) as caught:
        config_check.check_config(write(tmp_path, mutate(change)), ROOT)
    assert any(message in p.message for p in caught.value.problems), [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("case", CASES)
def test_validate_refuses_the_same_configs(tmp_path, case):
    change, message = CASES[case]
    with pytest.raises(ConfigError) as caught:
        validate_config(write(tmp_path, mutate(change)), ROOT)
    assert any(message in p.message for p in caught.value.problems)


def test_every_problem_of_a_config_at_once(tmp_path):
    def change(c):
        first_source(c, "stockholm").update(region="stockolm")
        first_source(c, "sormland").update(year=3000, design="x")

    with pytest.raises(ConfigError) as caught:
        config_check.check_config(write(tmp_path, mutate(change)), ROOT)
    assert len(caught.value.problems) == 3


def test_the_published_and_example_configs_pass():
    for name in ("default.yml", "examples.yml"):
        assert config_check.check_config(ROOT / "config" / name, ROOT)["sources"]


def test_an_edition_that_does_not_exist_or_is_not_configured(tmp_path):
    with pytest.raises(ConfigError, match="no regional edition 'stockolm'; did you mean 'stockholm'"):
        config_check.check_config(ROOT / "config" / "default.yml", ROOT, region="stockolm")
    without = mutate(
        lambda c: (
            c["sources"].__setitem__(
                "x", c["sources"].pop(next(k for k, s in c["sources"].items() if s["region"] == "dalarna"))
            )
            or first_source(c, "dalarna").update(region="national")
        )
    )
    with pytest.raises(ConfigError, match="no source of the config has region 'dalarna'"):
        config_check.check_config(write(tmp_path, without), ROOT, region="dalarna")


@pytest.mark.parametrize(
    "text, line",
    [('report:\n  title: "oavslutad\nsources: {}\n', 2), ("report:\n\ttitle: x\n", 2), ("a: [1, 2\nb: 3\n", 1)],
)
def test_yaml_syntax_error_names_its_line_without_a_traceback(tmp_path, text, line):
    path = tmp_path / "c.yml"
    path.write_text(text, encoding="utf-8")
    result = run_analysis(
        "validate", "--config", str(path), env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"line {line}," in result.stderr and "YAML syntax error" in result.stderr
    assert result.stderr.startswith("FAILED: 1 problem")


# --- item 5: a census is a census ----------------------------------------------------------------


def microdata_with(tmp_path, unit: str) -> dict:
    """The examples config with one more responding unit, `unit`, in Stockholm's census microdata."""
    responses = ROOT / "data" / "examples" / "stockholm_2008_microdata.csv"
    lines = responses.read_text(encoding="utf-8").splitlines()
    extra = lines[1].replace(lines[1].split(",")[0], unit, 1)
    copy_path = tmp_path / "microdata.csv"
    copy_path.write_text("\n".join(lines + [extra]) + "\n", encoding="utf-8")
    config = copy.deepcopy(EXAMPLES)
    first_source(config, "stockholm")["inputs"]["responses"] = str(copy_path)
    return config


@pytest.mark.parametrize(
    "unit, county", [("Uppsala kommun", "Uppsala län"), ("Gnesta", "Södermanlands län"), ("0980", "Gotlands län")]
)
def test_a_unit_of_another_county_is_refused_in_a_county_census(tmp_path, unit, county):
    config = microdata_with(tmp_path, unit)
    source = first_source(config, "stockholm")
    with pytest.raises(ValidationError) as caught:
        sources.load("s", source, ROOT)
    (problem,) = caught.value.problems
    assert f"is in {county}, not in Stockholms län" in problem.message
    assert "units_outside_area: accept" in problem.expected and problem.row == 41


def test_the_config_can_accept_units_outside_the_area_and_n_grows(tmp_path):
    config = microdata_with(tmp_path, "Uppsala kommun")
    source = dict(first_source(config, "stockholm"), units_outside_area="accept")
    counts = sources.load("s", source, ROOT)["counts"]
    assert counts["N"].max() == 40


def test_a_purposive_selection_may_span_counties(tmp_path):
    config = microdata_with(tmp_path, "Uppsala kommun")
    source = dict(first_source(config, "stockholm"), design="purposive")
    assert sources.load("s", source, ROOT)["counts"]["N"].max() == 40


def test_did_you_mean_names_the_closest_choice_or_nothing():
    assert did_you_mean("titel", ["title", "subtitle"]) == "; did you mean 'title'?"
    assert did_you_mean("titel", ["title"], quote="`") == "; did you mean `title`?"
    assert did_you_mean("xyz", ["title"]) == ""
    assert did_you_mean("publ", ["published"], cutoff=0.5) == "; did you mean 'published'?"
