"""Benchmark: the default power model's uncertainty analysis, cold, for all states, 1990 to latest.

Measures one full computation without any cache: indicator frame from the store, nominal index run,
1,000 Monte Carlo replications (weights noise at two levels, treatment and normalisation drawn at
random), tiers, percentile intervals and the power gap for every replication. Target: <= 60 s on
2 cores.

    MIDDLEPOWER_MIRROR=../shared/data PYTHONPATH=src python benchmarks/bench_power.py [--db STORE] [--replications N]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

TARGET_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="store file (default: the user's store)")
    parser.add_argument("--replications", type=int, default=1000)
    args = parser.parse_args()

    from middlepower.power.compute import compute

    started = time.perf_counter()
    result = compute(db=args.db, replications=args.replications, cache=False)
    seconds = time.perf_counter() - started
    years = result.tiers["year"]
    states = result.tiers["iso3"].nunique()
    print(f"power model: {args.replications:,} replications, {states} states, {years.min()}-{years.max()} "
          f"({len(result.tiers):,} state-years): {seconds:.1f} s on {os.cpu_count()} cores "
          f"({platform.python_implementation()} {platform.python_version()})")
    print(f"target <= {TARGET_SECONDS:.0f} s: {'met' if seconds <= TARGET_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
