"""The national-size workload for `make bench`: generated data shaped like the sources, at the
size of the whole country, run through the pipeline's own functions.

* ÖJ-like matrix: all 290 municipalities × 60 indicators × 10 years (174 000 values 0/1/2),
  through oj.oj_kommun_long, oj.oj_vs_nation, shares.oj_shares and breakdowns.oj_breakdowns
  (per befolkningsgrupp and SKR kommungrupp);
* 100 000 individual-level follow-up records (municipality, year, intervention, followed up:
  ja / nej / uppgift saknas), aggregated to the counts schema and through shares.counts_shares.

The data are made up (seeded, so every run is the same) and are never written to data/. The
exact tests are not run at this size: they are meant for the tiny groups of the real sources.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis import breakdowns, oj, paths, shares, sources, timing
from analysis.errors import ConfigError
from analysis.io import write_csv_atomic

YEARS = range(2011, 2021)
INTERVENTIONS = ["stodsamtal", "skyddat_boende", "barnsamtal", "forovarbehandling", "ekonomiskt_bistand"]
FOLLOWUP_STATES = ["yes", "no", "not_reported"]
REF = "generated (tools/scale.py, seed {seed})"


def band(population: int) -> str:
    """SKL's befolkningsgrupp 1–5 (0–14 999, 15 000–29 999, 30 000–69 999, 70 000–199 999, 200 000+)."""
    return str(1 + sum(population >= limit for limit in (15_000, 30_000, 70_000, 200_000)))


def oj_tables(reference: dict, indicators: pd.DataFrame, year: int, rng: np.random.Generator, seed: int) -> dict:
    """One year's ÖJ-shaped tables for all 290 municipalities (same columns as the configured ÖJ matrix)."""
    kommuner = reference["kommuner"]
    groups = kommuner["folkmangd_2019"].astype(int).map(band).astype(int).to_numpy()
    n_ind = len(indicators)
    # larger municipalities and later years answer ja somewhat more often
    p_ja = np.clip(
        0.35 + 0.06 * groups[:, None] + 0.01 * (year - YEARS.start) + rng.normal(0, 0.1, (len(kommuner), n_ind)),
        0.02,
        0.98,
    )
    draws = rng.random((len(kommuner), n_ind))
    values = np.where(draws < p_ja, 2, np.where(draws < p_ja + (1 - p_ja) / 2, 1, 0))
    ref = REF.format(seed=seed)
    oj_values = pd.DataFrame(
        {
            "kommun": np.repeat(kommuner["kommun"].to_numpy(), n_ind),
            "indicator": np.tile(indicators["indicator"].to_numpy(), len(kommuner)),
            "value": values.ravel().astype(str),
            "source_ref": ref,
        }
    )
    national = 100 * (values == 2).mean(axis=0)
    return {
        "oj_values": oj_values,
        "indicators": indicators.assign(national_share_percent=national.round(0), source_ref=ref),
        "municipalities": pd.DataFrame(
            {
                "kommun": kommuner["kommun"],
                "befolkningsgrupp": groups.astype(str),
                "ja_count_published": (values == 2).sum(axis=1),
                "source_ref": ref,
            }
        ),
    }


def followup_records(reference: dict, n: int, rng: np.random.Generator) -> pd.DataFrame:
    kommuner = reference["kommuner"]
    return pd.DataFrame(
        {
            "kommunkod": rng.choice(kommuner["kommunkod"].to_numpy(), n),
            "year": rng.choice(np.array(list(YEARS)), n),
            "intervention": rng.choice(INTERVENTIONS, n),
            "followed_up": rng.choice(FOLLOWUP_STATES, n, p=[0.6, 0.3, 0.1]),
        }
    )


def followup_counts(records: pd.DataFrame, reference: dict, seed: int) -> pd.DataFrame:
    """Records → the counts schema: per intervention × year × SKR kommungrupp, the number of
    records followed up (yes) and not (no); N = records with an answer (not_reported is missing,
    never no)."""
    groups = dict(zip(reference["kommuner"]["kommunkod"], reference["kommuner"]["kommungrupp_2017"]))
    answered = records[records["followed_up"] != "not_reported"].assign(group=lambda f: f["kommunkod"].map(groups))
    table = answered.groupby(["intervention", "year", "group", "followed_up"]).size().unstack(fill_value=0)
    table = table.reindex(columns=["yes", "no"], fill_value=0)
    table["N"] = table.sum(axis=1)
    long = table.reset_index().melt(
        id_vars=["intervention", "year", "group", "N"], value_vars=["yes", "no"], var_name="category", value_name="n"
    )
    return pd.DataFrame(
        {
            "indicator": "followup_" + long["intervention"] + "_" + long["year"].astype(str),
            "label": "Uppföljda ärenden: " + long["intervention"],
            "category": long["category"],
            "category_label": long["category"].map({"yes": "Uppföljt", "no": "Inte uppföljt"}),
            "group_var": "kommungrupp_2017",
            "group": long["group"],
            "n": long["n"],
            "n_max": None,
            "N": long["N"],
            "percent": None,
            "percent_max": None,
            "exclusive": "yes",
            "unit": "ärenden",
            "source_ref": REF.format(seed=seed),
            "note": None,
        }
    )


def oj_indicators(config_path: Path) -> pd.DataFrame:
    """The indicators table of the configured source whose tables are shaped like an ÖJ matrix."""
    config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8"))
    for source in config["sources"].values():
        folder = source["inputs"].get("dir")
        if folder and all((paths.ROOT / folder / f"{name}.csv").exists() for name in ("oj_values", "indicators")):
            tables = sources.load_published(paths.ROOT / folder)
            if oj.is_oj_matrix(tables):
                return tables["indicators"]
    raise ConfigError(f"{config_path}: no source has an ÖJ matrix (oj_values.csv and indicators.csv)")


def run(out_dir: Path, seed: int = 2026, records: int = 100_000) -> dict[str, int]:
    """Generate and process the national-size data; write the outputs to out_dir. Returns row counts."""
    rng = np.random.default_rng(seed)
    reference = sources.load_published(paths.RAW / "reference")
    indicators = oj_indicators(paths.ROOT / "config" / "default.yml")[
        ["indicator", "label", "quality_area", "indicator_area"]
    ]
    parts = {"oj_long": [], "oj_vs_nation": [], "oj_shares": [], "oj_breakdowns": []}
    with timing.step("scale: ÖJ 290 × 60 × 10"):
        for year in YEARS:
            tables = oj_tables(reference, indicators, year, rng, seed)
            parts["oj_long"].append(oj.oj_kommun_long(tables, reference).assign(year=year))
            parts["oj_vs_nation"].append(oj.oj_vs_nation(tables).assign(year=year))
            parts["oj_shares"].append(shares.oj_shares(tables["oj_values"], tables["indicators"], f"oj_{year}"))
            parts["oj_breakdowns"].append(breakdowns.oj_breakdowns(tables, reference, source=f"oj_{year}"))
    with timing.step(f"scale: {records} follow-up records"):
        counts = followup_counts(followup_records(reference, records, rng), reference, seed)
        parts["followup_shares"] = [shares.counts_shares(counts, "followup")]
    rows = {}
    with timing.step("scale: write outputs"):
        for name, frames in parts.items():
            frame = pd.concat(frames, ignore_index=True)
            write_csv_atomic(frame, Path(out_dir) / f"{name}.csv")
            rows[name] = len(frame)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/scale.py")
    parser.add_argument("out_dir")
    args = parser.parse_args(argv)
    rows = run(Path(args.out_dir))
    print("scale: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
