"""Benchmark and reference check of middlepower.alignment on the full 1946-2020 vote data.

Run: MIDDLEPOWER_MIRROR=../shared/data OMP_NUM_THREADS=2 taskset -c 0,1 python benchmarks/bench_alignment.py
Prints: load time, agreement time, the share of Voeten 2024 agreement values reproduced within
0.01, the ideal-point fit time (sessions and calendar years), and the correlation of the own ideal
points with the published IdealPointAll, pooled and per decade.
"""

from __future__ import annotations

import os
import platform
import time

import numpy as np

from middlepower import codes, sources
from middlepower.alignment.agreement import dyad_agreement
from middlepower.alignment.idealpoints import fit_ideal_points
from middlepower.alignment.votes import load_votes

REFERENCE = {"USA": "us_agree", "RUS": "russia_agree", "CHN": "china_agree",
             "BRA": "brazil_agree", "IND": "india_agree", "ISR": "israel_agree"}


def main() -> None:
    print(f"python {platform.python_version()}, numpy {np.__version__}, cpus visible {len(os.sched_getaffinity(0))}")
    started = time.perf_counter()
    votes = load_votes()
    print(f"load vote matrix {votes.votes.shape}: {time.perf_counter() - started:.1f} s")
    published = sources.load("voeten_ideal_points_2024")
    published["iso3"] = codes.ccode_to_iso3(published["ccode"])

    started = time.perf_counter()
    mine = dyad_agreement(votes.select(unanimous=False, amend_para="original"), partners=list(REFERENCE))
    print(f"agreement, 198 states x 6 partners x 74 sessions: {time.perf_counter() - started:.2f} s")
    for partner, column in REFERENCE.items():
        theirs = published.dropna(subset=[column])
        both = theirs[theirs["iso3"] != partner].merge(mine[mine["partner"] == partner], on=["iso3", "session"])
        gap = (both["strict"] - both[column]).abs()
        print(
            f"  {partner}: {len(both)} state-sessions, within 0.01: {(gap < 0.01).mean():.4f}, max gap {gap.max():.2e}"
        )

    for period in ("session", "year"):
        fit = fit_ideal_points(votes, period=period)
        print(
            f"ideal points by {period}: {fit.seconds:.1f} s, {fit.iterations} sweeps, converged {fit.converged}, "
            f"{len(fit.points)} state-{period}s"
        )
        if period == "session":
            both = published.merge(fit.points, on=["iso3", "session"], suffixes=("_bsv", "_own"))
            r = np.corrcoef(both["ideal_point_bsv"], both["ideal_point_own"])[0, 1]
            print(f"  r with IdealPointAll, pooled over {len(both)} state-sessions: {r:.4f}")
            both["decade"] = both["year"] // 10 * 10
            for decade, rows in both.groupby("decade"):
                r = np.corrcoef(rows["ideal_point_bsv"], rows["ideal_point_own"])[0, 1]
                print(f"  {decade}s: r = {r:.4f} ({len(rows)})")


if __name__ == "__main__":
    main()
