"""Benchmark and reference check of middlepower.alignment on the full 1946-2025 vote series.

Run: MIDDLEPOWER_MIRROR=../shared/data OMP_NUM_THREADS=2 taskset -c 0,1 python benchmarks/bench_alignment.py [--db PATH]
(builds a store in a temporary home when --db is not given).

Prints: load time, agreement time and the share of Voeten 2024 agreement values reproduced within
0.01 (sessions 1-74), the ideal-point fit time of the full 1946-2025 series (sessions and calendar
years) with the baseline of the same fit on 1946-2019 only (ratio), the correlation of the session
fit with BSV 2024 IdealPointAll (sessions 1-74, pooled and per decade), and of the yearly fit with
Voeten's July 2025 final-passage ideal points for 2020-2024 (pooled and per year). Also `uptime`.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from middlepower import warehouse
from middlepower.alignment import series
from middlepower.alignment.agreement import dyad_agreement
from middlepower.alignment.idealpoints import fit_ideal_points
from middlepower.alignment.votes import load_votes
from middlepower.warehouse import open_store

REFERENCE = {"USA": "us_agree", "RUS": "russia_agree", "CHN": "china_agree",
             "BRA": "brazil_agree", "IND": "india_agree", "ISR": "israel_agree"}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_fit(matrix, period: str):
    cpu = cpu_seconds()
    fit = fit_ideal_points(matrix, period=period)
    return fit, cpu_seconds() - cpu


def main(db: Path) -> None:
    print(f"python {platform.python_version()}, numpy {np.__version__}, cpus visible {len(os.sched_getaffinity(0))}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    started = time.perf_counter()
    votes = load_votes(db)
    print(f"load vote matrix from the store {votes.votes.shape}: {time.perf_counter() - started:.1f} s")
    with open_store(db) as store:
        published = store.query("SELECT * FROM voeten_ideal_points_2024")
        july_2025 = store.query("SELECT iso3, year, ideal_point_fp FROM voeten_ideal_points_2025 "
                                "WHERE ideal_point_fp IS NOT NULL AND iso3 IS NOT NULL")

    started = time.perf_counter()
    mine = dyad_agreement(votes.select(unanimous=False, amend_para="original", sessions=(None, 74)),
                          partners=list(REFERENCE))
    print(f"agreement, {votes.votes.shape[0]} states x 6 partners x 74 sessions: {time.perf_counter() - started:.2f} s")
    for partner, column in REFERENCE.items():
        theirs = published.dropna(subset=[column])
        both = theirs[theirs["iso3"] != partner].merge(mine[mine["partner"] == partner], on=["iso3", "session"])
        gap = (both["strict"] - both[column]).abs()
        print(f"  {partner}: {len(both)} state-sessions, within 0.01: {(gap < 0.01).mean():.4f}, "
              f"max gap {gap.max():.2e}")

    full = series.analysis_votes(db)
    baseline = full.select(years=(None, 2019))
    print(f"series selection: {full.votes.shape[1]} roll calls 1946-{series.last_full_year(db)}, "
          f"{int((full.votes != 0).sum()):,} recorded votes; baseline 1946-2019: {baseline.votes.shape[1]} roll calls")
    for period in ("session", "year"):
        base_fit, base_cpu = timed_fit(baseline, period)
        fit, cpu = timed_fit(full, period)
        print(f"ideal points by {period}, 1946-2025: {fit.seconds:.1f} s wall, {cpu:.1f} s CPU, {fit.iterations} "
              f"sweeps, converged {fit.converged}; baseline 1946-2019 {base_fit.seconds:.1f} s "
              f"({base_fit.iterations} sweeps): ratio {fit.seconds / base_fit.seconds:.2f}")
        if period == "session":
            both = published.merge(fit.points, on=["iso3", "session"], suffixes=("_bsv", "_own"))
            both = both[both["session"] <= 74]
            r = np.corrcoef(both["ideal_point_bsv"], both["ideal_point_own"])[0, 1]
            print(f"  r with IdealPointAll (BSV 2024), sessions 1-74, pooled over {len(both)}: {r:.4f}")
            both["decade"] = both["year"] // 10 * 10
            print("  per decade: " + ", ".join(
                f"{decade}s {np.corrcoef(rows['ideal_point_bsv'], rows['ideal_point_own'])[0, 1]:.3f}"
                for decade, rows in both.groupby("decade")))
        else:
            both = july_2025.merge(fit.points, on=["iso3", "year"])
            recent = both[both["year"].between(2020, 2024)]
            r = np.corrcoef(recent["ideal_point_fp"], recent["ideal_point"])[0, 1]
            print(f"  r with Voeten July 2025 final-passage, 2020-2024, pooled over {len(recent)}: {r:.4f}")
            print("  per year: " + ", ".join(
                f"{year} {np.corrcoef(rows['ideal_point_fp'], rows['ideal_point'])[0, 1]:.3f}"
                for year, rows in recent.groupby("year")))
            early = both[both["year"] <= 2019]
            print(f"  1946-2019, pooled over {len(early)}: "
                  f"{np.corrcoef(early['ideal_point_fp'], early['ideal_point'])[0, 1]:.4f}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None, help="a built store (default: build one in a temp home)")
    args = parser.parse_args()
    if args.db is not None:
        main(args.db)
    else:
        with tempfile.TemporaryDirectory() as home:
            os.environ["MIDDLEPOWER_HOME"] = home
            store = Path(home) / "bench.duckdb"
            warehouse.build(store)
            main(store)
