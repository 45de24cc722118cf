"""Benchmark: the default power model's uncertainty analysis, cold, for all states, 1990 to latest.

Measures one full computation without any cache: the inputs read from the store and imputed, 50
imputed data sets drawn, the nominal index run, 1,000 Monte Carlo replications (weight noise at
three levels, two normalisations, the imputed inputs drawn), and for every replication the
percentiles of every node, tiers, classes and the power gap. Target: <= 60 s on 2 cores.
Baseline in the same process: the same replications with a single imputed data set (no missing-data
draws), inputs already read, so the ratio shows what drawing the missing data costs.

    MIDDLEPOWER_MIRROR=../shared/data PYTHONPATH=src python benchmarks/bench_power.py [--db STORE] [--replications N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import sys
import time

TARGET_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="store file (default: the user's store)")
    parser.add_argument("--replications", type=int, default=1000)
    args = parser.parse_args()

    from middlepower.power import spec as power_spec
    from middlepower.power.compute import compute

    module = sys.modules["middlepower.power.compute"]
    load = os.getloadavg()
    spec = power_spec.load()
    module._INPUTS.clear()
    started = time.perf_counter()
    result = compute(db=args.db, spec=spec, replications=args.replications, cache=False)
    seconds = time.perf_counter() - started
    single = dataclasses.replace(spec, settings=dataclasses.replace(spec.settings, imputation_draws=1))
    started = time.perf_counter()
    compute(db=args.db, spec=single, replications=args.replications, cache=False)
    baseline = time.perf_counter() - started
    years = result.tiers["year"]
    states = result.tiers["iso3"].nunique()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"power model, cold: {args.replications:,} replications over {spec.settings.imputation_draws} imputed data "
          f"sets, {states} states, {years.min()}-{years.max()} ({len(result.tiers):,} state-years): {seconds:.1f} s "
          f"on {os.cpu_count()} cores ({platform.python_implementation()} {platform.python_version()})")
    print(f"baseline, inputs cached, one imputed data set: {baseline:.1f} s; ratio {seconds / baseline:.2f}")
    print(f"target <= {TARGET_SECONDS:.0f} s: {'met' if seconds <= TARGET_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
